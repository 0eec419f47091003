import Workbench

extension RouteCatalog {
    static let discoveryGroup = "Discovery"

    static var discoveryRoutes: [Route] {
        [
            Route(
                .get, "/api/openapi.json", group: discoveryGroup, summary: "The OpenAPI 3.1 document of this API.",
                isPublic: true, responseSchema: ["type": "object"]
            ) { _, _ in
                RouteResponse(json: OpenAPIDocument.make(from: RouteCatalog.standard))
            },
            Route(
                .get, "/api/command/list", group: discoveryGroup,
                summary: "Every route of the API with its method, group and summary.",
                query: [QueryParameter("group", "Only the routes of this group.")],
                responseSchema: Schema.object([
                    "commands": Schema.array(
                        Schema.object([
                            "key": Schema.string, "method": Schema.string, "path": Schema.string,
                            "group": Schema.string, "summary": Schema.string,
                        ])),
                    "count": Schema.integer,
                ])
            ) { request, _ in
                let routes = RouteCatalog.standard.routes.filter { route in
                    request.query["group"].map { $0.isEmpty || route.group.lowercased() == $0.lowercased() } ?? true
                }
                let commands: [JSONValue] = routes.map { route in
                    [
                        "key": .string(route.key), "method": .string(route.method.rawValue),
                        "path": .string(route.path),
                        "group": .string(route.group), "summary": .string(route.summary),
                    ]
                }
                return RouteResponse(json: ["commands": .array(commands), "count": .int(Int64(commands.count))])
            },
            Route(
                .get, "/api/command/info/{route}", group: discoveryGroup,
                summary: "Details of one route, named `METHOD:/path` (URL-encoded) or by its operation id.",
                responseSchema: ["type": "object"], errorStatuses: [404]
            ) { request, _ in
                let name = request.path("route")
                let catalog = RouteCatalog.standard
                guard
                    let route = catalog.route(key: name)
                        ?? catalog.routes.first(where: { $0.operationID.lowercased() == name.lowercased() })
                else {
                    throw APIError.notFound("no route '\(name)'; GET /api/command/list names them all")
                }
                return RouteResponse(json: OpenAPIDocument.describe(route))
            },
            Route(
                .get, "/api/docs", group: "System API",
                summary: "The whole API as plain text, for people and language models.", isPublic: true,
                responseSchema: Schema.string
            ) { _, _ in
                RouteResponse(text: APIDocsText.render(RouteCatalog.standard))
            },
        ]
    }
}
