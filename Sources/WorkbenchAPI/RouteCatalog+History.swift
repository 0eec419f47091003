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
