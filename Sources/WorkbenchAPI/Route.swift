public import Workbench

/// The HTTP methods the catalog uses.
public enum HTTPVerb: String, Sendable, Hashable, CaseIterable {
    case get = "GET"
    case post = "POST"
    case put = "PUT"
    case patch = "PATCH"
    case delete = "DELETE"
}

/// What a handler gets: path and query parameters, the JSON body, and who is calling.
public struct RouteRequest: Sendable {
    public var pathParameters: [String: String]
    public var query: [String: String]
    public var body: JSONValue?
    /// The API key's label or `anonymous`; recorded in the audit log.
    public var actor: String

    public init(
        pathParameters: [String: String] = [:], query: [String: String] = [:], body: JSONValue? = nil,
        actor: String = "anonymous"
    ) {
        self.pathParameters = pathParameters
        self.query = query
        self.body = body
        self.actor = actor
    }

    /// A path parameter the route template guarantees.
    public func path(_ name: String) -> String { pathParameters[name] ?? "" }
}

/// What a handler answers.
public struct RouteResponse: Sendable {
    public enum Body: Sendable {
        case json(JSONValue)
        case text(String, contentType: String)
        /// Server-sent events (`text/event-stream`), written while the client listens; a route answering this
        /// declares `responseMediaType` `EventStream.mediaType` and has neither a job form nor an MCP tool.
        case eventStream(EventStream)
    }

    public var status: Int
    public var body: Body

    public init(status: Int = 200, json: JSONValue) {
        self.status = status
        self.body = .json(json)
    }

    /// A list answer: `{"<key>": [items], "count": n}`, the shape `Schema.list` documents.
    public static func list(_ key: String, _ items: [JSONValue]) -> RouteResponse {
        RouteResponse(json: .object([(key, .array(items)), ("count", .int(Int64(items.count)))]))
    }

    public init(status: Int = 200, text: String, contentType: String = "text/plain; charset=utf-8") {
        self.status = status
        self.body = .text(text, contentType: contentType)
    }

    public init(status: Int = 200, eventStream: EventStream) {
        self.status = status
        self.body = .eventStream(eventStream)
    }
}

/// A stream of server-sent events: `produce` writes events until it returns (the answer then ends), throws, or is
/// cancelled because the client went away.
///
/// Example: `EventStream { events in try await events.send(event: "tick", data: ["n": 1], id: "1") }` answers
/// `event: tick`, `id: 1`, `data: {"n":1}` and a blank line.
public struct EventStream: Sendable {
    public typealias Producer = @Sendable (EventStreamWriter) async throws -> Void

    /// The content type of an event stream.
    public static let mediaType = "text/event-stream"

    public var produce: Producer

    public init(_ produce: @escaping Producer) {
        self.produce = produce
    }
}

/// Writes server-sent events in their wire form to wherever the stream goes: the HTTP answer, or a test's collector.
public struct EventStreamWriter: Sendable {
    private let output: @Sendable (String) async throws -> Void

    /// `output` gets the text of each event (or comment) whole, in order; it throws when the stream cannot go on.
    public init(_ output: @escaping @Sendable (String) async throws -> Void) {
        self.output = output
    }

    /// One event: `event: <event>`, `id: <id>` (when given), `data: <data>` as compact JSON on one line, then a
    /// blank line. Line breaks in `event` and `id` are left out (they would end the field).
    public func send(event: String, data: JSONValue, id: String? = nil) async throws {
        var text = "event: " + Self.oneLine(event) + "\n"
        if let id { text += "id: " + Self.oneLine(id) + "\n" }
        text += "data: " + String(decoding: data.serialized(), as: UTF8.self) + "\n\n"
        try await output(text)
    }

    /// A comment (`: keep-alive`), which clients ignore; it keeps proxies and idle timers from closing a quiet
    /// stream.
    public func comment(_ text: String) async throws {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        try await output(lines.map { ": " + $0 }.joined(separator: "\n") + "\n\n")
    }

    private static func oneLine(_ text: String) -> String {
        String(text.filter { !$0.isNewline })
    }
}

/// A query parameter a route documents.
public struct QueryParameter: Sendable {
    public var name: String
    public var description: String
    public var schema: JSONValue
    public var required: Bool

    public init(_ name: String, _ description: String, schema: JSONValue = ["type": "string"], required: Bool = false) {
        self.name = name
        self.description = description
        self.schema = schema
        self.required = required
    }
}

/// One endpoint, declared once: from it come the HTTP route, its OpenAPI entry, its `/api/docs` text, its
/// `/api/command/info` answer and its MCP tool (DESIGN.md decision 2).
public struct Route: Sendable {
    /// Handlers throw `APIError` for anything the caller should see; other errors become a 500 problem.
    public typealias Handler = @Sendable (RouteRequest, Engine) async throws -> RouteResponse

    public var method: HTTPVerb
    /// Template with `{name}` parameters: `/api/projects/devices/{deviceName}`.
    public var path: String
    /// T-IA Connect's group name (`Health & Status`).
    public var group: String
    public var summary: String
    /// Public routes need no API key.
    public var isPublic: Bool
    public var query: [QueryParameter]
    /// Schemas of path parameters that are not free text (`snapshotId` is an integer); the others are strings.
    public var pathSchemas: [String: JSONValue]
    /// JSON Schema of the request body, nil when the route takes none.
    public var requestSchema: JSONValue?
    /// JSON Schema of the success body.
    public var responseSchema: JSONValue
    /// The content type of the success body when it is not JSON, e.g. `EventStream.mediaType` for a route answering
    /// server-sent events (its `responseSchema` is then a string schema).
    public var responseMediaType: String?
    /// The status of a successful answer: 200, 201 for a created object, 202 for a started job.
    public var successStatus: Int
    /// Status codes besides the success status (and 401 for protected routes) that the route can answer.
    public var errorStatuses: [Int]
    /// True when the route changes project state (and so is audited and is not an MCP read-only tool).
    public var mutates: Bool
    public var handler: Handler
    /// For the asynchronous form of an operation: the synchronous handler and its answer's schema, which
    /// `POST /api/jobs/execute-sync` runs instead of starting a job.
    public var synchronous: (handler: Handler, responseSchema: JSONValue)?

    public init(
        _ method: HTTPVerb, _ path: String, group: String, summary: String, isPublic: Bool = false,
        query: [QueryParameter] = [], pathSchemas: [String: JSONValue] = [:], requestSchema: JSONValue? = nil,
        responseSchema: JSONValue,
        successStatus: Int = 200, errorStatuses: [Int] = [], mutates: Bool = false, handler: @escaping Handler
    ) {
        self.successStatus = successStatus
        self.method = method
        self.path = path
        self.group = group
        self.summary = summary
        self.isPublic = isPublic
        self.query = query
        self.pathSchemas = pathSchemas
        self.requestSchema = requestSchema
        self.responseSchema = responseSchema
        self.errorStatuses = errorStatuses
        self.mutates = mutates
        self.handler = handler
    }

    /// Names of the `{parameters}` in the path, in order.
    public var pathParameterNames: [String] {
        path.split(separator: "/").compactMap { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? String(part.dropFirst().dropLast()) : nil
        }
    }

    /// A stable identifier: `GET /api/health/ping` → `getApiHealthPing`.
    public var operationID: String {
        var words = [method.rawValue.lowercased()]
        for part in path.split(whereSeparator: { "/-{}.".contains($0) }) where !part.isEmpty {
            words.append(part.prefix(1).uppercased() + part.dropFirst())
        }
        return words.joined()
    }

    /// The key used by `/api/command/info/{route}`: `GET:/api/health/ping`.
    public var key: String { "\(method.rawValue):\(path)" }

    /// True when the route answers server-sent events: it runs only as long as its client listens, so it has no
    /// job form, cannot run through `POST /api/jobs/execute-sync` and is no MCP tool.
    public var isEventStream: Bool { responseMediaType == EventStream.mediaType }
}
