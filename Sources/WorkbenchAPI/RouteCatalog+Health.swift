import Foundation
import S7Model
import SimaticML
import Workbench

extension RouteCatalog {
    static let healthGroup = "Health & Status"

    static var healthRoutes: [Route] {
        [
            Route(
                .get, "/api/health", group: healthGroup,
                summary: "Quick health check: the API answers and the engine is running (no TIA Portal is needed).",
                responseSchema: Schema.object([
                    "status": Schema.string, "engine": Schema.string, "version": Schema.string,
                    "uptimeSeconds": Schema.number, "tiaPortalReachable": Schema.boolean, "projectOpen": Schema.boolean,
                    "note": Schema.string,
                ])
            ) { _, engine in
                let open = await engine.currentSession() != nil
                return RouteResponse(json: [
                    "status": "healthy", "engine": "s7wb", "version": .string(Engine.version),
                    "uptimeSeconds": .double(Date().timeIntervalSince(engine.startedAt)),
                    "tiaPortalReachable": true, "projectOpen": .bool(open),
                    "note": "s7wb is its own engineering engine: TIA Portal is not needed and counts as reachable",
                ])
            },
            Route(
                .get, "/api/health/diagnostics", group: healthGroup,
                summary: "A diagnostics report: engine, machine, open projects and where their history is kept.",
                responseSchema: Schema.object([
                    "engine": Schema.object([
                        "name": Schema.string, "version": Schema.string, "uptimeSeconds": Schema.number,
                    ]),
                    "machine": Schema.object([
                        "operatingSystem": Schema.string, "processorCount": Schema.integer,
                        "physicalMemoryBytes": Schema.integer, "hostName": Schema.string,
                    ]),
                    "projects": Schema.array(
                        Schema.object([
                            "id": Schema.string, "name": Schema.string, "path": Schema.string,
                            "historyPersistent": Schema.boolean, "historyPath": Schema.nullableString,
                            "problems": Schema.integer,
                        ])),
                    "tiaPortal": Schema.object(["required": Schema.boolean, "note": Schema.string]),
                ])
            ) { _, engine in
                let info = ProcessInfo.processInfo
                let projects: [JSONValue] = await engine.openSessions().map { session in
                    [
                        "id": .string(session.id), "name": .string(session.project.name),
                        "path": .string(session.project.root), "historyPersistent": .bool(session.store.isPersistent),
                        "historyPath": JSONValue(session.store.path),
                        "problems": .int(Int64(session.project.problems.count)),
                    ]
                }
                return RouteResponse(json: [
                    "engine": [
                        "name": "s7wb", "version": .string(Engine.version),
                        "uptimeSeconds": .double(Date().timeIntervalSince(engine.startedAt)),
                    ],
                    "machine": [
                        "operatingSystem": .string(info.operatingSystemVersionString),
                        "processorCount": .int(Int64(info.processorCount)),
                        "physicalMemoryBytes": .int(Int64(clamping: info.physicalMemory)),
                        "hostName": .string(info.hostName),
                    ],
                    "projects": .array(projects),
                    "tiaPortal": [
                        "required": false,
                        "note": "s7wb reads and writes TIA Portal's VCI files itself; no Openness permission applies",
                    ],
                ])
            },
            Route(
                .get, "/api/health/versions", group: healthGroup,
                summary: "The TIA Portal versions whose files this engine reads (SimaticML Engineering V15 to V21).",
                responseSchema: Schema.object([
                    "versions": Schema.array(Schema.object(["version": Schema.string, "simaticML": Schema.boolean])),
                    "count": Schema.integer, "note": Schema.string,
                ])
            ) { _, _ in
                let versions: [JSONValue] = EngineeringVersion.supported.map {
                    ["version": .string($0), "simaticML": true]
                }
                return RouteResponse(json: [
                    "versions": .array(versions), "count": .int(Int64(versions.count)),
                    "note": "no TIA Portal is installed or needed; these are the export versions s7wb reads",
                ])
            },
            Route(
                .get, "/api/health/ping", group: healthGroup, summary: "Simple ping: the API server is responding.",
                isPublic: true,
                responseSchema: Schema.object(["pong": Schema.boolean, "timestamp": Schema.string])
            ) { _, _ in
                RouteResponse(json: ["pong": true, "timestamp": .string(Date().formatted(.iso8601))])
            },
            Route(
                .get, "/api/instance/status", group: healthGroup,
                summary: "Connection status and which project is open in this engine.",
                responseSchema: Schema.object(
                    [
                        "connected": Schema.boolean, "mode": Schema.string, "projectOpen": Schema.boolean,
                        "projectName": Schema.nullableString, "projectPath": Schema.nullableString,
                        "openProjects": Schema.integer,
                    ])
            ) { _, engine in
                let sessions = await engine.openSessions()
                let current = sessions.last
                return RouteResponse(json: [
                    "connected": true, "mode": "engine", "projectOpen": .bool(current != nil),
                    "projectName": JSONValue(current?.project.name), "projectPath": JSONValue(current?.project.root),
                    "openProjects": .int(Int64(sessions.count)),
                ])
            },
            Route(
                .get, "/api/instance/version", group: healthGroup, summary: "The API and engine versions.",
                responseSchema: Schema.object([
                    "apiVersion": Schema.string, "product": Schema.string, "engineVersion": Schema.string,
                    "compatibleWith": Schema.string,
                ])
            ) { _, _ in
                RouteResponse(json: [
                    "apiVersion": "1.0", "product": "s7wb", "engineVersion": .string(Engine.version),
                    "compatibleWith": "T-IA Connect REST API",
                ])
            },
        ]
    }
}
