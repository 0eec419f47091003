import Foundation
import S7Model
import Workbench

extension RouteCatalog {
    static let historyGroup = "History & Snapshots"

    /// Snapshots, jobs and the audit log kept in the project's SQLite store.
    static var historyRoutes: [Route] {
        [
            Route(
                .get, "/api/history/stats", group: historyGroup, summary: "Snapshot storage statistics.",
                query: [projectIDQuery],
                responseSchema: Schema.object([
                    "snapshotCount": Schema.integer, "totalBytes": Schema.integer, "oldest": Schema.nullableString,
                    "newest": Schema.nullableString, "persistent": Schema.boolean,
                ]),
                errorStatuses: [404, 409]
            ) { request, engine in
                let id = projectID(request)
                let statistics = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.snapshotStatistics(sessionID: id)
                }
                return RouteResponse(json: [
                    "snapshotCount": .int(Int64(statistics.count)), "totalBytes": .int(Int64(statistics.bytes)),
                    "oldest": JSONValue(statistics.oldest?.formatted(.iso8601)),
                    "newest": JSONValue(statistics.newest?.formatted(.iso8601)),
                    "persistent": .bool(statistics.persistent),
                ])
            },
            Route(
                .get, "/api/history/blocks/{deviceName}/{blockName}", group: historyGroup,
                summary: "List all snapshots of a block, newest first.", query: [projectIDQuery],
                responseSchema: snapshotList, errorStatuses: [404, 409]
            ) { request, engine in
                let device = try await device(request, engine)
                guard let block = device.block(named: request.path("blockName")) else {
                    throw APIError.notFound("no block '\(request.path("blockName"))' in device \(device.name)")
                }
                return try await snapshots(of: block.file.path, request, engine)
            },
            Route(
                .get, "/api/history/tags/{deviceName}/{tableName}", group: historyGroup,
                summary: "List all snapshots of a tag table, newest first.", query: [projectIDQuery],
                responseSchema: snapshotList, errorStatuses: [404, 409]
            ) { request, engine in
                let table = try await tagTable(request, engine)
                return try await snapshots(of: table.file.path, request, engine)
            },
            Route(
                .get, "/api/history/snapshots/{snapshotId}", group: historyGroup,
                summary: "Details of a snapshot (without its content).", query: [projectIDQuery],
                pathSchemas: ["snapshotId": snapshotIDSchema],
                responseSchema: Schema.snapshot, errorStatuses: [404, 409]
            ) { request, engine in
                RouteResponse(json: ModelJSON.snapshot(try await snapshot(request, engine)))
            },
            Route(
                .get, "/api/history/snapshots/{snapshotId}/content", group: historyGroup,
                summary: "The full content of a snapshot: the file as it was before the change.",
                query: [projectIDQuery], pathSchemas: ["snapshotId": snapshotIDSchema],
                responseSchema: Schema.object([
                    "id": Schema.integer, "objectPath": Schema.string, "encoding": Schema.string,
                    "content": Schema.string,
                ]),
                errorStatuses: [404, 409]
            ) { request, engine in
                let snapshot = try await snapshot(request, engine)
                let text = String(validating: snapshot.content, as: UTF8.self)
                return RouteResponse(json: [
                    "id": .int(snapshot.id ?? 0), "objectPath": .string(snapshot.objectPath),
                    "encoding": text == nil ? "base64" : "utf-8",
                    "content": .string(text ?? Data(snapshot.content).base64EncodedString()),
                ])
            },
            Route(
                .post, "/api/history/blocks/{deviceName}/{blockName}/actions/snapshot", group: historyGroup,
                summary: "Take a snapshot of a block now (its unsaved text when edited), e.g. before changing it.",
                query: [projectIDQuery], requestSchema: snapshotRequestSchema, responseSchema: Schema.snapshot,
                errorStatuses: [404, 409], mutates: true
            ) { request, engine in
                let device = try await device(request, engine)
                guard let block = device.block(named: request.path("blockName")) else {
                    throw APIError.notFound("no block '\(request.path("blockName"))' in device \(device.name)")
                }
                return try await takeSnapshot(kind: "block", path: block.file.path, name: block.name, request, engine)
            },
            Route(
                .post, "/api/history/tags/{deviceName}/{tableName}/actions/snapshot", group: historyGroup,
                summary: "Take a snapshot of a tag table now, e.g. before changing it.",
                query: [projectIDQuery], requestSchema: snapshotRequestSchema, responseSchema: Schema.snapshot,
                errorStatuses: [404, 409], mutates: true
            ) { request, engine in
                let table = try await tagTable(request, engine)
                return try await takeSnapshot(
                    kind: "tagTable", path: table.file.path, name: table.name, request, engine)
            },
            Route(
                .delete, "/api/history/snapshots/{snapshotId}", group: historyGroup,
                summary: "Delete a snapshot; 404 when there is none with that id.", query: [projectIDQuery],
                pathSchemas: ["snapshotId": snapshotIDSchema],
                responseSchema: Schema.object(["deleted": Schema.boolean, "id": Schema.integer]),
                errorStatuses: [404, 409], mutates: true
            ) { request, engine in
                guard let snapshotID = Int64(request.path("snapshotId")) else {
                    throw APIError.badRequest("snapshot ids are whole numbers, not '\(request.path("snapshotId"))'")
                }
                let id = projectID(request)
                try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.deleteSnapshot(id: snapshotID, sessionID: id, actor: request.actor)
                }
                return RouteResponse(json: ["deleted": true, "id": .int(snapshotID)])
            },
            Route(
                .post, "/api/history/actions/cleanup", group: historyGroup,
                summary: "Delete old snapshots: those older than olderThanDays and, per object, all but the newest "
                    + "keepPerObject (the project setting snapshotsPerObject when omitted); with olderThanDays also "
                    + "the jobs that finished before then.",
                query: [projectIDQuery],
                requestSchema: [
                    "type": "object",
                    "properties": [
                        "olderThanDays": ["type": "integer", "minimum": 0, "maximum": 36500],
                        "keepPerObject": ["type": "integer", "minimum": 1, "maximum": 10_000],
                    ],
                ],
                responseSchema: Schema.object([
                    "deleted": Schema.integer, "remaining": Schema.integer, "totalBytes": Schema.integer,
                    "jobsDeleted": Schema.integer,
                ]),
                errorStatuses: [404, 409], mutates: true
            ) { request, engine in
                let id = projectID(request)
                let days = request.body == nil ? nil : try request.int("olderThanDays")
                let keep = request.body == nil ? nil : try request.int("keepPerObject")
                if let days, !(0...36500).contains(days) {
                    throw APIError.badRequest("olderThanDays must be from 0 to 36500")
                }
                if let keep, !(1...10_000).contains(keep) {
                    throw APIError.badRequest("keepPerObject must be from 1 to 10000")
                }
                let cutoff = days.map { Date().addingTimeInterval(-Double($0) * 86_400) }
                let (deleted, statistics, jobs) = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    let deleted = try await engine.cleanSnapshots(
                        olderThan: cutoff, keepPerObject: keep, sessionID: id, actor: request.actor)
                    // Finished jobs are kept until a cleanup names an age.
                    var jobs = 0
                    if let cutoff { jobs = try await engine.cleanJobs(finishedBefore: cutoff, sessionID: id) }
                    return (deleted, try await engine.snapshotStatistics(sessionID: id), jobs)
                }
                return RouteResponse(json: [
                    "deleted": .int(Int64(deleted)), "remaining": .int(Int64(statistics.count)),
                    "totalBytes": .int(Int64(statistics.bytes)), "jobsDeleted": .int(Int64(jobs)),
                ])
            },
            Route(
                .post, "/api/history/snapshots/{snapshotId}/actions/restore-sync", group: historyGroup,
                summary: "Restore a snapshot: its content replaces the block or tag table file at once (the current "
                    + "content is snapshotted first) and the objects in it are read again.",
                query: [projectIDQuery], pathSchemas: ["snapshotId": snapshotIDSchema],
                responseSchema: Schema.object([
                    "restored": Schema.boolean, "id": Schema.integer, "objectPath": Schema.string,
                ]),
                errorStatuses: [404, 409, 500], mutates: true
            ) { request, engine in
                guard let snapshotID = Int64(request.path("snapshotId")) else {
                    throw APIError.badRequest("snapshot ids are whole numbers, not '\(request.path("snapshotId"))'")
                }
                let id = projectID(request)
                let path = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.restoreSnapshot(id: snapshotID, sessionID: id, actor: request.actor)
                }
                return RouteResponse(json: ["restored": true, "id": .int(snapshotID), "objectPath": .string(path)])
            },
            Route(
                .get, "/api/jobs/{jobId}", group: "Async Jobs",
                summary: "The status, progress and result of an asynchronous job.", query: [projectIDQuery],
                responseSchema: Schema.job, errorStatuses: [404, 409]
            ) { request, engine in
                let id = projectID(request)
                let jobID = request.path("jobId")
                let job = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.job(id: jobID, sessionID: id)
                }
                return RouteResponse(json: ModelJSON.job(job))
            },
            Route(
                .post, "/api/jobs/execute-sync", group: "Async Jobs",
                summary: "Run an operation synchronously and answer its result: either {\"jobId\"} of a started job "
                    + "(waits for it, up to timeoutSeconds) or {\"method\", \"path\", \"body\"} of any route "
                    + "(an asynchronous route runs its synchronous form).",
                query: [projectIDQuery],
                requestSchema: [
                    "type": "object",
                    "properties": [
                        "jobId": ["type": "string"],
                        "method": ["type": "string", "enum": ["GET", "POST", "PUT", "PATCH", "DELETE"]],
                        "path": ["type": "string"],
                        "query": ["type": "object", "additionalProperties": ["type": "string"]],
                        "body": [:],
                        "timeoutSeconds": ["type": "integer", "minimum": 1, "maximum": 3600],
                    ],
                ],
                responseSchema: Schema.object(["status": Schema.string, "result": [:], "error": Schema.nullableString]),
                errorStatuses: [404, 409, 422], mutates: true
            ) { request, engine in
                try await executeSync(request, engine)
            },
            Route(
                .get, "/api/audit", group: "System API",
                summary: "The audit log: every change, when, by whom (API key, CLI, MCP), with its outcome.",
                query: [
                    projectIDQuery,
                    QueryParameter(
                        "limit", "How many entries, newest first (1–1000, default 100).",
                        schema: ["type": "integer", "minimum": 1, "maximum": 1000]),
                ],
                responseSchema: Schema.list("entries", Schema.auditEntry),
                errorStatuses: [404, 409]
            ) { request, engine in
                let id = projectID(request)
                var limit = 100
                if let text = request.query["limit"] {
                    guard let value = Int(text), (1...1000).contains(value) else {
                        throw APIError.badRequest("limit must be a whole number from 1 to 1000")
                    }
                    limit = value
                }
                let entries = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.audit(limit: limit, sessionID: id)
                }
                return RouteResponse.list("entries", entries.map(ModelJSON.auditEntry))
            },
        ]
    }

    static let snapshotRequestSchema: JSONValue = [
        "type": "object", "properties": ["reason": ["type": "string", "maxLength": 500]],
    ]

    static func takeSnapshot(
        kind: String, path: String, name: String, _ request: RouteRequest, _ engine: Engine
    ) async throws -> RouteResponse {
        let reason = request.body == nil ? nil : try request.string("reason")
        let id = projectID(request)
        let snapshot = try await WorkbenchAPI.engine { () async throws(EngineError) in
            try await engine.takeSnapshot(
                kind: kind, path: path, reason: reason ?? "manual snapshot of \(name)", sessionID: id,
                actor: request.actor)
        }
        return RouteResponse(json: ModelJSON.snapshot(snapshot))
    }

    /// `POST /api/jobs/execute-sync`: waits for a job, or runs a route's synchronous form in place.
    static func executeSync(_ request: RouteRequest, _ engine: Engine) async throws -> RouteResponse {
        let timeout = try request.int("timeoutSeconds") ?? 300
        guard (1...3600).contains(timeout) else { throw APIError.badRequest("timeoutSeconds must be from 1 to 3600") }
        if let jobID = try request.string("jobId") {
            let record = try await WorkbenchAPI.engine { () async throws(EngineError) in
                try await engine.waitForJob(id: jobID, timeout: .seconds(timeout))
            }
            let result = record.result.flatMap { try? JSONValue.parse($0) } ?? .null
            return RouteResponse(json: [
                "status": .string(record.status.rawValue), "result": result, "error": JSONValue(record.error),
            ])
        }
        let methodName = try request.requiredString("method").uppercased()
        let path = try request.requiredString("path")
        guard let method = HTTPVerb(rawValue: methodName) else {
            throw APIError.badRequest("method must be GET, POST, PUT, PATCH or DELETE")
        }
        let bare = String(path.split(separator: "?", maxSplits: 1).first ?? "")
        guard let (route, parameters) = RouteCatalog.standard.match(method: method, path: bare) else {
            throw APIError.notFound("no route \(methodName) \(bare); GET /api/command/list names them all")
        }
        guard route.key != "POST:/api/jobs/execute-sync" else {
            throw APIError(status: 422, detail: "execute-sync cannot run itself")
        }
        guard !route.isEventStream else {
            throw APIError(
                status: 422, detail: "a stream cannot run synchronously: \(route.key) answers server-sent events")
        }
        var query: [String: String] = [:]
        if case .object(let members) = request.field("query") ?? .object([]) {
            for (key, value) in members {
                guard let text = value.stringValue else { throw APIError.badRequest("query values must be strings") }
                query[key] = text
            }
        } else {
            throw APIError.badRequest("'query' must be an object of strings")
        }
        if query["projectId"] == nil, let id = projectID(request) { query["projectId"] = id }
        let inner = RouteRequest(
            pathParameters: parameters, query: query, body: request.field("body"), actor: request.actor)
        let handler = route.synchronous?.handler ?? route.handler
        let response: RouteResponse
        do {
            response = try await handler(inner, engine)
        } catch let error as APIError {
            return RouteResponse(json: ["status": "failed", "result": error.problem, "error": .string(error.detail)])
        }
        let result: JSONValue
        switch response.body {
        case .json(let value): result = value
        case .text(let text, _): result = .string(text)
        case .eventStream: throw APIError(status: 422, detail: "a stream cannot run synchronously")
        }
        return RouteResponse(json: ["status": "succeeded", "result": result, "error": .null])
    }

    static let snapshotIDSchema: JSONValue = ["type": "integer", "minimum": 0, "maximum": .int(Int64.max)]

    static let snapshotList = Schema.list("snapshots", Schema.snapshot)

    static func snapshots(of path: String, _ request: RouteRequest, _ engine: Engine) async throws -> RouteResponse {
        let id = projectID(request)
        let list = try await WorkbenchAPI.engine { () async throws(EngineError) in
            try await engine.snapshots(objectPath: path, sessionID: id)
        }
        return RouteResponse.list("snapshots", list.map(ModelJSON.snapshot))
    }

    static func snapshot(_ request: RouteRequest, _ engine: Engine) async throws -> Snapshot {
        guard let snapshotID = Int64(request.path("snapshotId")) else {
            throw APIError.badRequest("snapshot ids are whole numbers, not '\(request.path("snapshotId"))'")
        }
        let id = projectID(request)
        return try await WorkbenchAPI.engine { () async throws(EngineError) in
            try await engine.snapshot(id: snapshotID, sessionID: id)
        }
    }
}
