import Foundation
public import MCP
public import Workbench
public import WorkbenchAPI

/// The MCP tools of s7wb: one tool per route of the catalog, so scripts, CI and AI agents see the same API. Event
/// streams are left out: a tool call answers once, a stream runs as long as its client listens.
///
/// A route's path and query parameters become string arguments of the tool, its JSON body the `body` argument.
/// Example: `GET /api/projects/overview` is the tool `get_api_projects_overview` with an optional `projectId`.
public struct MCPTools: Sendable {
    public let catalog: RouteCatalog
    public let engine: Engine

    public init(engine: Engine, catalog: RouteCatalog = .standard) {
        self.engine = engine
        self.catalog = catalog
    }

    /// `GET /api/projects/overview` → `get_api_projects_overview`.
    public static func toolName(_ route: Route) -> String {
        var name = route.method.rawValue.lowercased()
        for part in route.path.split(whereSeparator: { "/-{}.".contains($0) }) where !part.isEmpty {
            name += "_" + part.lowercased()
        }
        return name
    }

    public var tools: [Tool] {
        catalog.routes.filter { $0.path != "/api/openapi.json" && !$0.isEventStream }.map { route in
            var properties: [String: Value] = [:]
            var required: [Value] = []
            for name in route.pathParameterNames {
                properties[name] = .object(["type": .string("string"), "description": .string("path parameter")])
                required.append(.string(name))
            }
            for query in route.query {
                properties[query.name] = .object(["type": .string("string"), "description": .string(query.description)])
                if query.required { required.append(.string(query.name)) }
            }
            if let schema = route.requestSchema {
                properties["body"] = MCPValue.make(schema)
                required.append("body")
            }
            return Tool(
                name: MCPTools.toolName(route), title: route.summary,
                description: "\(route.summary) (\(route.method.rawValue) \(route.path))",
                inputSchema: .object([
                    "type": "object", "properties": .object(properties), "required": .array(required),
                ]),
                annotations: Tool.Annotations(
                    readOnlyHint: !route.mutates, destructiveHint: route.method == .delete, openWorldHint: false))
        }
    }

    /// Runs a tool: the route's handler with the arguments; errors come back as a problem with `isError`.
    public func call(_ name: String, arguments: [String: Value]?) async -> CallTool.Result {
        guard let route = catalog.routes.first(where: { !$0.isEventStream && MCPTools.toolName($0) == name }) else {
            return CallTool.Result(
                content: [.text(text: "unknown tool \(name)", annotations: nil, _meta: nil)], isError: true)
        }
        var request = RouteRequest(actor: "mcp")
        for (key, value) in arguments ?? [:] {
            if key == "body" {
                request.body = MCPValue.json(value)
            } else if route.pathParameterNames.contains(key) {
                request.pathParameters[key] = MCPValue.text(value)
            } else {
                request.query[key] = MCPValue.text(value)
            }
        }
        for name in route.pathParameterNames where request.pathParameters[name] == nil {
            return problem(APIError.badRequest("missing argument '\(name)'"))
        }
        do {
            let response = try await route.handler(request, engine)
            switch response.body {
            case .json(let value):
                let text = String(decoding: value.serialized(), as: UTF8.self)
                let structured: Value? = if case .object = value { MCPValue.make(value) } else { nil }
                return CallTool.Result(
                    content: [.text(text: text, annotations: nil, _meta: nil)], structuredContent: structured,
                    isError: response.status >= 400)
            case .text(let text, _):
                return CallTool.Result(content: [.text(text: text, annotations: nil, _meta: nil)], isError: false)
            case .eventStream:
                return problem(APIError(status: 422, detail: "\(route.key) answers an event stream, not one result"))
            }
        } catch let error as APIError {
            return problem(error)
        } catch {
            return problem(APIError(status: 500, detail: "internal error"))
        }
    }

    private func problem(_ error: APIError) -> CallTool.Result {
        let text = String(decoding: error.problem.serialized(), as: UTF8.self)
        return CallTool.Result(
            content: [.text(text: text, annotations: nil, _meta: nil)],
            structuredContent: MCPValue.make(error.problem) as Value?,
            isError: true)
    }

    /// An MCP server answering `tools/list` and `tools/call` from the catalog.
    public func makeServer() async -> Server {
        let server = Server(
            name: "s7wb", version: Engine.version, title: "s7wb S7 engineering workbench",
            instructions: "Tools mirror the s7wb REST API (T-IA Connect compatible); see the get_api_docs tool.",
            capabilities: Server.Capabilities(tools: Server.Capabilities.Tools(listChanged: false)))
        let tools = self.tools
        await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: tools) }
        await server.withMethodHandler(CallTool.self) { parameters in
            await self.call(parameters.name, arguments: parameters.arguments)
        }
        return server
    }
}

/// Conversions between the API's `JSONValue` and MCP's `Value`.
enum MCPValue {
    static func make(_ json: JSONValue) -> Value {
        switch json {
        case .null: .null
        case .bool(let b): .bool(b)
        case .int(let i): Int(exactly: i).map(Value.int) ?? .double(Double(i))
        case .double(let d): .double(d)
        case .string(let s): .string(s)
        case .array(let a): .array(a.map(make))
        case .object(let o): .object(Dictionary(o.map { ($0.0, make($0.1)) }, uniquingKeysWith: { _, last in last }))
        }
    }

    static func json(_ value: Value) -> JSONValue {
        switch value {
        case .null: .null
        case .bool(let b): .bool(b)
        case .int(let i): .int(Int64(i))
        case .double(let d): .double(d)
        case .string(let s): .string(s)
        case .data(_, let data): .string(data.base64EncodedString())
        case .array(let a): .array(a.map(json))
        case .object(let o): .object(o.sorted { $0.key < $1.key }.map { ($0.key, json($0.value)) })
        }
    }

    /// A scalar argument as the text a query parameter would carry.
    static func text(_ value: Value) -> String {
        switch value {
        case .string(let s): s
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .bool(let b): b ? "true" : "false"
        default: String(decoding: json(value).serialized(), as: UTF8.self)
        }
    }
}
