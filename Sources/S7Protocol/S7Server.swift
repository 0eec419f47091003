public import NIOCore
public import NIOPosix
import Synchronization

/// An S7comm server on TCP (ISO-on-TCP, RFC 1006) for one CPU: every connection gets its own COTP and S7 state
/// machines and answers through the shared backend, on the connection's event loop. Clients may pipeline jobs; the
/// answers go out in the order the jobs came.
///
/// ```swift
/// let server = S7Server(backend: cpu)
/// let port = try await server.start(host: "0.0.0.0", port: 10102)
/// …
/// await server.stop()
/// ```
public final class S7Server: Sendable {
    public let configuration: S7ServerSession.Configuration
    private let backend: any S7ServerBackend
    private let group: any EventLoopGroup
    private let state = Mutex<State>(State())
    private let counters: Counters

    private struct State {
        var channel: (any Channel)?
    }

    final class Counters: Sendable {
        let total = Atomic<Int>(0)
        let jobs = Atomic<Int>(0)
        /// The open connections, closed with the server.
        let open = Mutex<[ObjectIdentifier: any Channel]>([:])
    }

    public init(
        backend: some S7ServerBackend, configuration: S7ServerSession.Configuration = .init(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.backend = backend
        self.configuration = configuration
        self.group = group
        counters = Counters()
    }

    /// Clients connected now.
    public var connectionCount: Int { counters.open.withLock { $0.count } }
    /// Connections accepted since the start.
    public var connectionsAccepted: Int { counters.total.load(ordering: .relaxed) }
    /// Jobs answered since the start.
    public var jobsAnswered: Int { counters.jobs.load(ordering: .relaxed) }

    /// The port listened on, nil when stopped.
    public var port: Int? { state.withLock { $0.channel?.localAddress?.port } }

    /// Binds and listens; answers the port (useful with port 0, which picks a free one).
    @discardableResult
    public func start(host: String = "0.0.0.0", port: Int) async throws -> Int {
        let backend = backend
        let configuration = configuration
        let counters = counters
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(TPKTFrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(TPKTFrameEncoder()))
                    try channel.pipeline.syncOperations.addHandler(
                        S7ServerConnectionHandler(backend: backend, configuration: configuration, counters: counters))
                }
            }
        let channel = try await bootstrap.bind(host: host, port: port).get()
        state.withLock { $0.channel = channel }
        return channel.localAddress?.port ?? port
    }

    /// Stops listening and closes the connected clients.
    public func stop() async {
        let channel = state.withLock { state in
            defer { state.channel = nil }
            return state.channel
        }
        try? await channel?.close()
        let connections = counters.open.withLock { open in
            defer { open = [:] }
            return Array(open.values)
        }
        for connection in connections { try? await connection.close() }
    }
}

/// One connection: TPKT frames in, COTP then S7 state machines, TPKT frames out.
final class S7ServerConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = TPKTFrame
    typealias OutboundOut = TPKTFrame

    private let backend: any S7ServerBackend
    private let counters: S7Server.Counters
    private var cotp: COTPServerStateMachine
    private var session: S7ServerSession
    private var pendingFlush = false

    init(backend: any S7ServerBackend, configuration: S7ServerSession.Configuration, counters: S7Server.Counters) {
        self.backend = backend
        self.counters = counters
        cotp = COTPServerStateMachine()
        session = S7ServerSession(configuration: configuration)
    }

    func channelActive(context: ChannelHandlerContext) {
        let channel = context.channel
        counters.open.withLock { $0[ObjectIdentifier(channel)] = channel }
        counters.total.add(1, ordering: .relaxed)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        let channel = context.channel
        counters.open.withLock { _ = $0.removeValue(forKey: ObjectIdentifier(channel)) }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch cotp.receive(frame.payload) {
        case .send(let tpdu):
            write(tpdu, context: context)
        case .deliver(let pdu):
            let answer = session.handle(pdu, backend: backend)
            counters.jobs.add(1, ordering: .relaxed)
            for tpdu in cotp.dataTPDUs(for: answer) ?? [] { write(tpdu, context: context) }
        case .wait:
            break
        case .sendError(let tpdu, _):
            write(tpdu, context: context)
            context.flush()
            context.close(promise: nil)
        case .close:
            context.close(promise: nil)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if pendingFlush {
            pendingFlush = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A byte stream that is not TPKT cannot be resynchronised; anything else is the socket going away.
        context.close(promise: nil)
    }

    private func write(_ tpdu: COTPTPDU, context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(TPKTFrame(payload: tpdu.encoded())), promise: nil)
        pendingFlush = true
    }
}
