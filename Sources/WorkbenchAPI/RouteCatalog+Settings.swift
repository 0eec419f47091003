import Workbench

extension RouteCatalog {
    static let settingsSchema = Schema.object([
        "snapshotBeforeChange": Schema.boolean,
        "snapshotsPerObject": ["type": "integer", "minimum": 1, "maximum": 10_000],
        "apiKeyRequired": Schema.boolean,
    ])

    static let settingsUpdateSchema: JSONValue = [
        "type": "object", "additionalProperties": false,
        "properties": [
            "snapshotBeforeChange": Schema.boolean,
            "snapshotsPerObject": ["type": "integer", "minimum": 1, "maximum": 10_000],
            "apiKeyRequired": Schema.boolean,
        ],
    ]

    /// Settings of the open project; `apiKeyRequired` reports how the server was started and cannot be changed here.
    static var settingsRoutes: [Route] {
        [
            Route(
                .get, "/api/settings", group: "System API",
                summary: "The settings of the open project (history) and whether this server requires an API key.",
                query: [projectIDQuery], responseSchema: settingsSchema, errorStatuses: [404, 409]
            ) { request, engine in
                let id = projectID(request)
                let settings = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.settings(sessionID: id)
                }
                return RouteResponse(json: settingsJSON(settings, apiKeyRequired: request.actor == "api-key"))
            },
            Route(
                .post, "/api/settings", group: "System API",
                summary: "Save settings: send the object from GET with the values changed; omitted fields keep theirs.",
                query: [projectIDQuery], requestSchema: settingsUpdateSchema, responseSchema: settingsSchema,
                errorStatuses: [404, 409], mutates: true
            ) { request, engine in
                let id = projectID(request)
                guard case .object(let fields) = request.body ?? .null else {
                    throw APIError.badRequest("the body must be a JSON object of settings")
                }
                var settings = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.settings(sessionID: id)
                }
                for (key, value) in fields {
                    switch (key, value) {
                    case ("snapshotBeforeChange", .bool(let flag)): settings.snapshotBeforeChange = flag
                    case ("snapshotsPerObject", _):
                        guard let number = value.intValue, ProjectSettings.snapshotsPerObjectRange.contains(number)
                        else {
                            throw APIError.badRequest("snapshotsPerObject must be a whole number from 1 to 10000")
                        }
                        settings.snapshotsPerObject = number
                    case ("apiKeyRequired", .bool):
                        break  // Reported, not changed: the key is given when the server starts.
                    default:
                        throw APIError.badRequest("unknown setting or wrong type: '\(key)'")
                    }
                }
                let updated = settings
                try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.updateSettings(updated, sessionID: id, actor: request.actor)
                }
                return RouteResponse(json: settingsJSON(updated, apiKeyRequired: request.actor == "api-key"))
            },
        ]
    }

    static func settingsJSON(_ settings: ProjectSettings, apiKeyRequired: Bool) -> JSONValue {
        [
            "snapshotBeforeChange": .bool(settings.snapshotBeforeChange),
            "snapshotsPerObject": .int(Int64(settings.snapshotsPerObject)), "apiKeyRequired": .bool(apiKeyRequired),
        ]
    }
}
