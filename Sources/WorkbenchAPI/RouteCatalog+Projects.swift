import Workbench

extension RouteCatalog {
    static let projectGroup = "Project Operations"

    static let projectIDQuery = QueryParameter(
        "projectId", "Id of an open project (from GET /api/projects); the current project when omitted.")

    static var projectRoutes: [Route] {
        [
            Route(
                .get, "/api/projects", group: projectGroup, summary: "List the projects open in this engine.",
                responseSchema: Schema.list("projects", Schema.session)
            ) { _, engine in
                let sessions = await engine.openSessions()
                let items = sessions.enumerated().map { index, session in
                    ModelJSON.session(session, isCurrent: index == sessions.count - 1)
                }
                return RouteResponse.list("projects", items)
            },
            Route(
                .get, "/api/projects/overview", group: projectGroup,
                summary: "A full overview of the project: devices, blocks, tag tables, data types, watch tables and "
                    + "the files that could not be read.",
                query: [projectIDQuery], responseSchema: Schema.overview, errorStatuses: [404, 409]
            ) { request, engine in
                let session = try await RouteCatalog.session(request, engine)
                return RouteResponse(json: ModelJSON.overview(session.project, sessionID: session.id))
            },
        ]
    }

    /// The `projectId` query parameter; nil (the current project) when absent or empty.
    static func projectID(_ request: RouteRequest) -> String? {
        request.query["projectId"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static func session(_ request: RouteRequest, _ engine: Engine) async throws(APIError) -> Engine.Session {
        let id = projectID(request)
        return try await WorkbenchAPI.engine { () async throws(EngineError) in try await engine.session(id) }
    }
}
