import Foundation
import S7Model
import Workbench

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// T-IA Connect's TIA Portal Management group attaches to, launches and shuts down TIA Portal processes. s7wb runs no
/// TIA Portal: the one instance is this engine process, which is always running and attached (DESIGN.md decision 6).
extension RouteCatalog {
    private static let instancesRouteGroup = "TIA Portal Management"

    static var instanceRoutes: [Route] {
        [
            Route(
                .get, "/api/instances", group: instancesRouteGroup,
                summary: "The running instances: this s7wb engine process (there is no TIA Portal process), with "
                    + "its pid, version, uptime and open projects.",
                responseSchema: Schema.list("instances", engineInstance)
            ) { _, engine in
                RouteResponse.list("instances", [await engineInstanceJSON(engine)])
            },
            Route(
                .get, "/api/instance/diagnostics", group: instancesRouteGroup,
                summary: "Diagnostics of this engine process: memory, CPU time, threads, open projects and virtual "
                    + "PLCs; no Openness permission is required.",
                responseSchema: Schema.object([
                    "pid": Schema.integer, "name": Schema.string, "version": Schema.string,
                    "uptimeSeconds": Schema.number,
                    "memory": Schema.object([
                        "residentBytes": Schema.nullableInteger, "peakResidentBytes": Schema.nullableInteger,
                        "physicalMemoryBytes": Schema.integer,
                    ]),
                    "cpu": Schema.object([
                        "processSeconds": ["type": ["number", "null"]], "processorCount": Schema.integer,
                        "activeProcessorCount": Schema.integer,
                    ]),
                    "threads": Schema.nullableInteger,
                    "openProjects": Schema.array(
                        Schema.object([
                            "id": Schema.string, "name": Schema.string, "path": Schema.string,
                            "unsavedFiles": Schema.integer, "virtualPLCs": Schema.integer,
                        ])),
                    "openness": Schema.object(["required": Schema.boolean, "note": Schema.string]),
                ])
            ) { _, engine in
                let info = ProcessInfo.processInfo
                let status = processStatus()
                var projects: [JSONValue] = []
                for session in await engine.openSessions() {
                    let plcs = (try? await engine.plcInstances(sessionID: session.id)) ?? []
                    projects.append([
                        "id": .string(session.id), "name": .string(session.project.name),
                        "path": .string(session.project.root),
                        "unsavedFiles": .int(Int64(session.dirtyFiles.union(session.removedFiles).count)),
                        "virtualPLCs": .int(Int64(plcs.count)),
                    ])
                }
                let cpuSeconds: JSONValue = processCPUSeconds().map(JSONValue.double) ?? .null
                return RouteResponse(json: [
                    "pid": .int(Int64(info.processIdentifier)), "name": "s7wb", "version": .string(Engine.version),
                    "uptimeSeconds": .double(Date().timeIntervalSince(engine.startedAt)),
                    "memory": [
                        "residentBytes": JSONValue(kilobytes(status["VmRSS"]).map { $0 * 1024 }),
                        "peakResidentBytes": JSONValue(kilobytes(status["VmHWM"]).map { $0 * 1024 }),
                        "physicalMemoryBytes": .int(Int64(clamping: info.physicalMemory)),
                    ],
                    "cpu": [
                        "processSeconds": cpuSeconds, "processorCount": .int(Int64(info.processorCount)),
                        "activeProcessorCount": .int(Int64(info.activeProcessorCount)),
                    ],
                    "threads": JSONValue(status["Threads"].flatMap { Int($0) }),
                    "openProjects": .array(projects),
                    "openness": [
                        "required": false,
                        "note": "s7wb reads and writes TIA Portal's files itself; no Openness permission applies",
                    ],
                ])
            },
            Route(
                .post, "/api/instance/actions/attach", group: instancesRouteGroup,
                summary: "Attach to an engine by its pid: s7wb serves its own engine, so only this process's pid "
                    + "(from GET /api/instances) attaches; any other pid is not found.",
                requestSchema: [
                    "type": "object",
                    "properties": ["pid": ["type": "integer", "minimum": 1, "maximum": .int(Int64(Int32.max))]],
                    "required": ["pid"],
                ],
                responseSchema: Schema.object([
                    "attached": Schema.boolean, "instance": engineInstance, "note": Schema.string,
                ]),
                errorStatuses: [404]
            ) { request, engine in
                _ = try request.fields()
                guard let pid = try request.int("pid") else { throw APIError.badRequest("'pid' is required") }
                guard (1...Int(Int32.max)).contains(pid) else {
                    throw APIError.badRequest("'pid' must be a process id from 1 to \(Int32.max)")
                }
                let own = Int(ProcessInfo.processInfo.processIdentifier)
                guard pid == own else {
                    throw APIError.notFound(
                        "no s7wb engine runs with pid \(pid); s7wb serves its own engine (pid \(own))")
                }
                return RouteResponse(json: [
                    "attached": true, "instance": await engineInstanceJSON(engine),
                    "note": "this engine is the instance; it is always attached",
                ])
            },
            Route(
                .post, "/api/instance/actions/launch", group: instancesRouteGroup,
                summary: "The engine is already running (there is no TIA Portal to start): answers this instance and, "
                    + "given projectPath, opens that project.",
                requestSchema: [
                    "type": "object",
                    "properties": [
                        "projectPath": [
                            "type": "string",
                            "description": "A project folder to open, inside the files root or an open project.",
                        ]
                    ],
                ],
                responseSchema: Schema.object([
                    "alreadyRunning": Schema.boolean, "instance": engineInstance, "projectId": Schema.nullableString,
                    "projectName": Schema.nullableString, "note": Schema.string,
                ]),
                errorStatuses: [403, 404, 409], mutates: true
            ) { request, engine in
                if let body = request.body, body != .null { _ = try request.fields() }
                var opened: Engine.Session?
                if let path = try request.string("projectPath"), !path.trimmingCharacters(in: .whitespaces).isEmpty {
                    opened = try await WorkbenchAPI.engine { () async throws(EngineError) -> Engine.Session in
                        let resolved = try await engine.resolvePath(path)
                        return try await engine.openProject(at: resolved, actor: request.actor)
                    }
                }
                return RouteResponse(json: [
                    "alreadyRunning": true, "instance": await engineInstanceJSON(engine),
                    "projectId": JSONValue(opened?.id), "projectName": JSONValue(opened?.project.name),
                    "note": "s7wb is its own engine and needs no TIA Portal; nothing was started",
                ])
            },
            Route(
                .post, "/api/instance/actions/detach", group: instancesRouteGroup,
                summary: "Nothing to detach from: the API is part of the engine, which keeps running with its "
                    + "projects open.",
                responseSchema: Schema.object([
                    "detached": Schema.boolean, "engineRunning": Schema.boolean, "openProjects": Schema.integer,
                    "note": Schema.string,
                ])
            ) { _, engine in
                let open = await engine.openSessions().count
                return RouteResponse(json: [
                    "detached": true, "engineRunning": true, "openProjects": .int(Int64(open)),
                    "note": "the API is part of the engine process; there is no TIA Portal connection to drop",
                ])
            },
            Route(
                .post, "/api/instance/actions/shutdown", group: instancesRouteGroup,
                summary: "Close every open project WITHOUT saving (unsaved changes are discarded). The engine "
                    + "process does not exit: it keeps serving this API.",
                responseSchema: Schema.object([
                    "shutdown": Schema.boolean, "processExited": Schema.boolean,
                    "closedProjects": Schema.array(
                        Schema.object([
                            "id": Schema.string, "name": Schema.string, "path": Schema.string,
                            "discarded": Schema.array(Schema.string),
                        ])),
                    "count": Schema.integer, "note": Schema.string,
                ]),
                mutates: true
            ) { request, engine in
                var closed: [JSONValue] = []
                for session in await engine.openSessions() {
                    let discarded = session.dirtyFiles.union(session.removedFiles).sorted()
                    do {
                        try await engine.closeProject(sessionID: session.id, actor: request.actor)
                    } catch {
                        continue  // closed meanwhile by another caller
                    }
                    closed.append([
                        "id": .string(session.id), "name": .string(session.project.name),
                        "path": .string(session.project.root), "discarded": JSONValue(discarded),
                    ])
                }
                return RouteResponse(json: [
                    "shutdown": true, "processExited": false, "closedProjects": .array(closed),
                    "count": .int(Int64(closed.count)),
                    "note": "every project was closed without saving; the engine keeps running",
                ])
            },
            Route(
                .post, "/api/tia/firewall/whitelist", group: instancesRouteGroup,
                summary: "No Openness firewall exists here: s7wb needs no TIA Portal, so there is nothing to "
                    + "whitelist; answers whitelisted.",
                responseSchema: Schema.object([
                    "whitelisted": Schema.boolean, "required": Schema.boolean, "note": Schema.string,
                ])
            ) { _, _ in
                RouteResponse(json: [
                    "whitelisted": true, "required": false,
                    "note": "s7wb does not use TIA Portal Openness, whose firewall this whitelist is for",
                ])
            },
        ]
    }

    private static let engineInstance = Schema.object([
        "pid": Schema.integer, "name": Schema.string, "version": Schema.string, "startedAt": Schema.string,
        "uptimeSeconds": Schema.number, "isAttached": Schema.boolean,
        "openProjects": Schema.array(
            Schema.object(["id": Schema.string, "name": Schema.string, "path": Schema.string])),
    ])

    /// This process as the one instance.
    private static func engineInstanceJSON(_ engine: Engine) async -> JSONValue {
        let projects: [JSONValue] = await engine.openSessions().map { session in
            ["id": .string(session.id), "name": .string(session.project.name), "path": .string(session.project.root)]
        }
        return [
            "pid": .int(Int64(ProcessInfo.processInfo.processIdentifier)), "name": "s7wb",
            "version": .string(Engine.version), "startedAt": .string(engine.startedAt.formatted(.iso8601)),
            "uptimeSeconds": .double(Date().timeIntervalSince(engine.startedAt)), "isAttached": true,
            "openProjects": .array(projects),
        ]
    }

    /// The fields of `/proc/self/status` (`VmRSS` → `12345 kB`); empty where there is no /proc.
    private static func processStatus() -> [String: String] {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return [:] }
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return fields
    }

    /// `12345 kB` → 12345.
    private static func kilobytes(_ field: String?) -> Int? {
        field?.split(separator: " ").first.flatMap { Int($0) }
    }

    /// CPU time the process used so far (user and system), in seconds.
    private static func processCPUSeconds() -> Double? {
        let ticks = clock()
        guard ticks >= 0 else { return nil }
        return Double(ticks) / Double(CLOCKS_PER_SEC)
    }
}
