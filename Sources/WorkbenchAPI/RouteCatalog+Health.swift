import Foundation
import S7Model
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
