import Workbench

/// Builds the OpenAPI 3.1 document and the route descriptions from the catalog.
public enum OpenAPIDocument {
    public static func make(from catalog: RouteCatalog) -> JSONValue {
        var paths: [(String, JSONValue)] = []
        var order: [String] = []
        var operations: [String: [(String, JSONValue)]] = [:]
        for route in catalog.routes {
            if operations[route.path] == nil { order.append(route.path) }
            operations[route.path, default: []].append((route.method.rawValue.lowercased(), operation(route)))
        }
        for path in order { paths.append((path, .object(operations[path]!))) }
        let groups = catalog.groups
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "s7wb API", "version": .string(Engine.version),
                "description":
                    "The s7wb engineering engine: T-IA Connect compatible endpoints on a TIA Version Control Interface project.",
            ],
            "tags": .array(groups.map { ["name": .string($0)] }),
            "paths": .object(paths),
            "components": [
                "securitySchemes": ["ApiKey": ["type": "apiKey", "in": "header", "name": "X-API-Key"]],
                "schemas": Schema.components,
            ],
        ]
    }

    static func operation(_ route: Route) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("operationId", .string(route.operationID)), ("summary", .string(route.summary)),
            ("tags", [.string(route.group)]),
        ]
        var parameters: [JSONValue] = route.pathParameterNames.map { name in
            [
                "name": .string(name), "in": "path", "required": true,
                "schema": route.pathSchemas[name] ?? ["type": "string"],
            ]
        }
        parameters += route.query.map { query in
            [
                "name": .string(query.name), "in": "query", "required": .bool(query.required),
                "description": .string(query.description), "schema": query.schema,
            ]
        }
        if !parameters.isEmpty { members.append(("parameters", .array(parameters))) }
        if let schema = route.requestSchema {
            // A body is required when its schema requires fields; the others may be left out.
            let required = RequestValidation.bodyIsRequired(schema)
            members.append(
                ("requestBody", ["required": .bool(required), "content": ["application/json": ["schema": schema]]]))
        }
        let problem: JSONValue = ["application/json": ["schema": ["$ref": "#/components/schemas/Problem"]]]
        let successContent: JSONValue
        if let media = route.responseMediaType {
            // Not JSON: an event stream (or another text) described by a string schema.
            successContent = .object([(media, .object([("schema", route.responseSchema)]))])
        } else if route.responseSchema == Schema.string {
            successContent = ["text/plain": ["schema": route.responseSchema]]
        } else if let media = route.responseSchema["contentMediaType"]?.stringValue {
            successContent = .object([(media, .object([("schema", Schema.string)]))])
        } else {
            successContent = ["application/json": ["schema": route.responseSchema]]
        }
        var responses: [(String, JSONValue)] = [
            (
                String(route.successStatus),
                ["description": .string(successReason(route.successStatus)), "content": successContent]
            )
        ]
        var statuses = Set(route.errorStatuses)
        if route.requestSchema != nil || !route.query.isEmpty { statuses.insert(400) }
        if !route.isPublic { statuses.insert(401) }
        for status in statuses.sorted() {
            responses.append(
                (String(status), ["description": .string(APIError.reason(for: status)), "content": problem]))
        }
        members.append(("responses", .object(responses)))
        members.append(("security", route.isPublic ? [] : [["ApiKey": []]]))
        return .object(members)
    }

    static func successReason(_ status: Int) -> String {
        switch status {
        case 201: "Created"
        case 202: "Accepted: the job was started; poll GET /api/jobs/{jobId}"
        default: "OK"
        }
    }

    /// What `/api/command/info/{route}` answers.
    public static func describe(_ route: Route) -> JSONValue {
        [
            "key": .string(route.key), "method": .string(route.method.rawValue), "path": .string(route.path),
            "group": .string(route.group), "summary": .string(route.summary), "operationId": .string(route.operationID),
            "public": .bool(route.isPublic), "mutates": .bool(route.mutates),
            "pathParameters": JSONValue(route.pathParameterNames),
            "queryParameters": .array(
                route.query.map { ["name": .string($0.name), "description": .string($0.description)] }),
            "requestSchema": route.requestSchema ?? .null, "responseSchema": route.responseSchema,
        ]
    }
}

/// The plain-text API description served at `/api/docs`.
enum APIDocsText {
    static func render(_ catalog: RouteCatalog) -> String {
        var text = "s7wb API \(Engine.version)\n"
        text += "Authentication: header X-API-Key (routes marked [public] need none). Errors are JSON problems.\n"
        var group = ""
        for route in catalog.routes {
            if route.group != group {
                group = route.group
                text += "\n## \(group)\n"
            }
            let marks = (route.isPublic ? " [public]" : "") + (route.isEventStream ? " [\(EventStream.mediaType)]" : "")
            text += "- \(route.method.rawValue) \(route.path) — \(route.summary)\(marks)\n"
            for query in route.query { text += "    ?\(query.name): \(query.description)\n" }
        }
        return text
    }
}
