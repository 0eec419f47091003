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
                return RouteResponse.list("commands", commands)
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
                .get, "/api/docs/sections", group: "System API",
                summary: "The documentation sections (one per route group) with their route counts.", isPublic: true,
                responseSchema: Schema.object([
                    "sections": Schema.array(Schema.object(["name": Schema.string, "routeCount": Schema.integer])),
                    "count": Schema.integer,
                ])
            ) { _, _ in
                let groups = RouteCatalog.standard.groups
                let sections: [JSONValue] = groups.map { group in
                    [
                        "name": .string(group),
                        "routeCount": .int(Int64(RouteCatalog.standard.routes.filter { $0.group == group }.count)),
                    ]
                }
                return RouteResponse.list("sections", sections)
            },
            Route(
                .get, "/api/docs/sections/{sectionName}", group: "System API",
                summary: "One documentation section as text: the routes of a group with their parameters.",
                responseSchema: Schema.string, errorStatuses: [404]
            ) { request, _ in
                let name = request.path("sectionName")
                guard let group = RouteCatalog.standard.groups.first(where: { $0.lowercased() == name.lowercased() })
                else {
                    throw APIError.notFound("no section '\(name)'; GET /api/docs/sections lists them")
                }
                let routes = RouteCatalog.standard.routes.filter { $0.group == group }
                return RouteResponse(text: APIDocsText.render(RouteCatalog(routes: routes)))
            },
            Route(
                .get, "/api/docs/search", group: "System API",
                summary: "Search the documentation: routes whose path, group or summary contain every word of q.",
                query: [QueryParameter("q", "Words to look for (case-insensitive).", required: true)],
                responseSchema: Schema.object([
                    "query": Schema.string,
                    "matches": Schema.array(
                        Schema.object([
                            "key": Schema.string, "section": Schema.string, "summary": Schema.string,
                        ])),
                    "count": Schema.integer,
                ])
            ) { request, _ in
                guard let query = request.query["q"] else {
                    throw APIError.badRequest("the query parameter q is required")
                }
                let words = query.lowercased().split(whereSeparator: \.isWhitespace).map(String.init)
                let matches: [JSONValue] = RouteCatalog.standard.routes.filter { route in
                    let text = "\(route.method.rawValue) \(route.path) \(route.group) \(route.summary)".lowercased()
                    return words.allSatisfy { text.contains($0) }
                }.map { route in
                    ["key": .string(route.key), "section": .string(route.group), "summary": .string(route.summary)]
                }
                return RouteResponse(json: [
                    "query": .string(query), "matches": .array(matches), "count": .int(Int64(matches.count)),
                ])
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
