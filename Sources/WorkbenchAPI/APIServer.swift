public import Hummingbird
import HummingbirdCore
public import Logging
import NIOCore
public import Workbench

/// Serves the route catalog over HTTP with Hummingbird: one Hummingbird route per catalog route, API-key checks,
/// and JSON problems for every error, including unknown paths and bodies that are not JSON.
public struct APIServer: Sendable {
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        /// When set, every non-public route needs `X-API-Key: <key>`.
        public var apiKey: String?
        /// Largest request body accepted, in bytes.
        public var maxBodySize: Int

        public init(host: String = "127.0.0.1", port: Int = 9000, apiKey: String? = nil, maxBodySize: Int = 32 << 20) {
            self.host = host
            self.port = port
            self.apiKey = apiKey
            self.maxBodySize = maxBodySize
        }
    }

    public let engine: Engine
    public let catalog: RouteCatalog
    public let configuration: Configuration

    public init(engine: Engine, catalog: RouteCatalog = .standard, configuration: Configuration = Configuration()) {
        self.engine = engine
        self.catalog = catalog
        self.configuration = configuration
    }

    /// The Hummingbird router holding every catalog route.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: ProblemMiddleware(catalog: catalog))
        for route in catalog.routes {
            let path = route.path.split(separator: "/").map { part in
                part.hasPrefix("{") && part.hasSuffix("}") ? ":" + part.dropFirst().dropLast() : part
            }.joined(separator: "/")
            let method = HTTPRequest.Method(rawValue: route.method.rawValue)!
            router.on(RouterPath("/" + path), method: method) { request, context in
                try await respond(route, request, context)
            }
        }
        return router
    }

    /// A Hummingbird application for this server; `onRunning` is told the bound port (useful with port 0).
    public func application(
        logger: Logger = Logger(label: "s7wb.api"), onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "s7wb"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
    }

    private func respond(_ route: Route, _ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let actor: String
        if route.isPublic {
            actor = "anonymous"
        } else if let key = configuration.apiKey {
            let given = request.headers.first { $0.name.canonicalName == "x-api-key" }?.value
            guard given == key else {
                throw APIError(status: 401, detail: "a valid X-API-Key header is required")
            }
            actor = "api-key"
        } else {
            actor = "local"
        }
        var parameters: [String: String] = [:]
        for name in route.pathParameterNames {
            parameters[name] = context.parameters.get(name)?.removingPercentEncodingLeniently
        }
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters {
            query[String(key)] = String(value).removingPercentEncodingLeniently
        }
        var body: JSONValue?
        if route.requestSchema != nil || request.method == .post || request.method == .put || request.method == .patch {
            let buffer: ByteBuffer
            do {
                buffer = try await request.body.collect(upTo: configuration.maxBodySize)
            } catch {
                throw APIError(
                    status: 413, detail: "the request body is larger than \(configuration.maxBodySize) bytes")
            }
            if buffer.readableBytes > 0 {
                do {
                    body = try JSONValue.parse(Array(buffer.readableBytesView))
                } catch {
                    throw APIError.badRequest("the request body is not JSON: \(error.description)")
                }
            }
        }
        if let problem = RequestValidation.problem(query: query, for: route)
            ?? RequestValidation.problem(
                body: body, for: route)
        {
            throw APIError.badRequest(problem)
        }
        let routeRequest = RouteRequest(pathParameters: parameters, query: query, body: body, actor: actor)
        var response: RouteResponse
        do {
            response = try await route.handler(routeRequest, engine)
        } catch let error as APIError {
            if route.mutates { await audit(route, request, actor: actor, outcome: "\(error.status) \(error.detail)") }
            throw error
        }
        if (200..<300).contains(response.status) { response.status = route.successStatus }
        if route.mutates { await audit(route, request, actor: actor, outcome: "\(response.status)") }
        return APIServer.response(response, inbound: request.body)
    }

    /// Every call of a mutating route goes to the audit log of the project it acted on, with its outcome.
    private func audit(_ route: Route, _ request: Request, actor: String, outcome: String) async {
        let sessionID = request.uri.queryParameters["projectId"].map(String.init)
        await engine.recordCall(
            actor: actor, action: "\(route.method.rawValue) \(route.path)", target: request.uri.path, outcome: outcome,
            sessionID: sessionID)
    }

    /// The HTTP answer of a route's response. For an event stream, `inbound` (the request's body) tells when the
    /// client goes away, so the stream stops at once; without it only a failed write would tell.
    static func response(_ response: RouteResponse, inbound: RequestBody? = nil) -> Response {
        switch response.body {
        case .json(let value):
            return Response(
                status: HTTPResponse.Status(code: response.status),
                headers: [.contentType: "application/json; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.serialized())))
        case .text(let text, let contentType):
            return Response(
                status: HTTPResponse.Status(code: response.status), headers: [.contentType: contentType],
                body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        case .eventStream(let stream):
            return Response(
                status: HTTPResponse.Status(code: response.status),
                headers: [.contentType: EventStream.mediaType, .cacheControl: "no-cache"],
                body: eventStreamBody(stream, inbound: inbound))
        }
    }

    /// A chunked body written by the stream's producer, event by event. It ends when the producer returns; when the
    /// client closes the connection the producer is cancelled (`consumeWithCancellationOnInboundClose`), which ends
    /// its wait for the next tick, and the body ends with the cancellation.
    static func eventStreamBody(_ stream: EventStream, inbound: RequestBody?) -> ResponseBody {
        ResponseBody { writer in
            let sink = EventStreamSink(writer)
            let events = EventStreamWriter { text in try await sink.write(text) }
            if let inbound {
                try await inbound.consumeWithCancellationOnInboundClose { _ in try await stream.produce(events) }
            } else {
                try await stream.produce(events)
            }
            try await sink.finish()
        }
    }
}

/// The body writer of one event stream. Only the stream's producer writes through it, one write after the other,
/// and `finish` comes after the producer returned: never two accesses at once, which is what `@unchecked Sendable`
/// claims here (the writer itself is not Sendable).
private final class EventStreamSink: @unchecked Sendable {
    private var writer: any ResponseBodyWriter

    init(_ writer: any ResponseBodyWriter) {
        self.writer = writer
    }

    func write(_ text: String) async throws {
        try await writer.write(ByteBuffer(string: text))
    }

    func finish() async throws {
        let last = writer
        try await last.finish(nil)
    }
}

/// Turns every error into a JSON problem: `APIError`s as they are, Hummingbird's own (unknown path, wrong method)
/// with their status, anything else as 500 without internals.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    let catalog: RouteCatalog

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return APIServer.response(RouteResponse(status: error.status, json: error.problem))
        } catch let error as HTTPError {
            let allowed = error.status == .notFound ? catalog.allowedMethods(path: request.uri.path) : []
            if !allowed.isEmpty {
                var response = APIServer.response(
                    RouteResponse(
                        status: 405,
                        json: APIError(
                            status: 405,
                            detail: "\(request.method.rawValue) is not served at \(request.uri.path); "
                                + "allowed: \(allowed.map(\.rawValue).joined(separator: ", "))"
                        ).problem))
                response.headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
                return response
            }
            let status = Int(error.status.code)
            let detail =
                status == 404
                ? "no route \(request.method.rawValue) \(request.uri.path); GET /api/command/list names them all"
                : (error.body ?? error.status.reasonPhrase)
            return APIServer.response(
                RouteResponse(status: status, json: APIError(status: status, detail: detail).problem))
        } catch {
            context.logger.error("unhandled error: \(error)")
            return APIServer.response(
                RouteResponse(status: 500, json: APIError(status: 500, detail: "internal error").problem))
        }
    }
}
