public import NIOCore
public import NIOPosix
public import S7Model

/// Where and how an S7 client connects.
public struct S7ClientOptions: Sendable, Hashable {
    public var host: String
    public var port: Int
    public var rack: Int
    public var slot: Int
    /// The PDU size asked for; the CPU grants at most its own (960 on an S7-1500, 240 on an S7-1200).
    public var requestedPDUSize: Int
    /// How long one job may take, and the TCP and COTP connect together.
    public var timeout: Duration
    public var connectionType: S7ConnectionType

    public init(
        host: String, port: Int = 102, rack: Int = 0, slot: Int = 1, requestedPDUSize: Int = 960,
        timeout: Duration = .seconds(2), connectionType: S7ConnectionType = .pg
    ) {
        self.host = host
        self.port = port
        self.rack = rack
        self.slot = slot
        self.requestedPDUSize = requestedPDUSize
        self.timeout = timeout
        self.connectionType = connectionType
    }
}

/// Why an S7 client call failed. After `timeout`, `closed` and `protocolViolation` the connection is closed.
public enum S7ClientError: Error, Hashable, Sendable, CustomStringConvertible {
    case connectionFailed(String)
    case timeout(String)
    case closed
    /// The CPU refused the job with this header error class and code.
    case refused(UInt16, String)
    /// The answer is not what the protocol allows.
    case protocolViolation(String)
    case invalidRequest(String)

    public var description: String {
        switch self {
        case .connectionFailed(let reason): "cannot connect: \(reason)"
        case .timeout(let what): "no answer to \(what) in time"
        case .closed: "the connection is closed"
        case .refused(let code, let what):
            "the CPU refused \(what) (error 0x\(hex(UInt8(code >> 8)))\(hex(UInt8(code & 0xFF))))"
        case .protocolViolation(let reason): "protocol violation: \(reason)"
        case .invalidRequest(let reason): reason
        }
    }
}

/// An S7comm client (PUT/GET, as HMIs and SCADA use it): ISO-on-TCP connect, PDU negotiation, read and write of
/// variables split to the PDU, SZL, CPU mode, stop and start, clock. Calls may come from any task; jobs are
/// matched to answers by PDU reference, and one that is not answered within the timeout fails and closes the
/// connection (so a caller never hangs on a dead peer).
///
/// The client is an actor that runs on its connection's event loop: a job is written, and its answer resumes it,
/// without a hop between threads (a round trip on loopback is then dominated by the peer, not by wake-ups).
public actor S7Client {
    public nonisolated let options: S7ClientOptions
    public nonisolated let negotiation: S7Negotiation
    private nonisolated let channel: any Channel
    private nonisolated let executor: EventLoopExecutor
    /// The same executor as a task executor: a job's answer resumes the waiting task there, not on the global pool
    /// (from where it would hop back to this actor), and a task that prefers it calls the client without a hop.
    public nonisolated var taskExecutor: any TaskExecutor { executor }
    private var reference: UInt16 = 0
    /// Jobs sent and not answered yet, at most the `maxJobsCalling` the CPU granted; callers beyond it wait here.
    private var jobsInFlight = 0
    private var waitingForJob: [UnsafeContinuation<Void, Never>] = []

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    /// The most items one read or write job carries (S7 CPUs accept 20).
    public static let maximumItemsPerJob = 20

    private init(options: S7ClientOptions, negotiation: S7Negotiation, channel: any Channel) {
        self.options = options
        self.negotiation = negotiation
        self.channel = channel
        executor = EventLoopExecutor(channel.eventLoop)
    }

    /// Connects, opens the COTP connection to rack/slot and negotiates the PDU size.
    public static func connect(
        _ options: S7ClientOptions, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws(S7ClientError) -> S7Client {
        guard (0...7).contains(options.rack), (0...31).contains(options.slot) else {
            throw .invalidRequest("rack must be 0...7 and slot 0...31")
        }
        let timeout = options.timeout
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(TimeAmount(timeout))
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(TPKTFrameDecoder()))
                        try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(TPKTFrameEncoder()))
                        try channel.pipeline.syncOperations.addHandler(S7ClientHandler(timeout: timeout))
                    }
                }
                .connect(host: options.host, port: options.port).get()
        } catch {
            throw .connectionFailed("\(options.host):\(options.port): \(error)")
        }
        do {
            let request = COTPConnectionTPDU(
                destinationReference: 0, sourceReference: 0x0001, callingTSAP: TSAP(bytes: [0x01, 0x00]),
                calledTSAP: TSAP(connectionType: options.connectionType, rack: options.rack, slot: options.slot),
                tpduSize: .bytes1024)
            let connected = channel.eventLoop.makePromise(of: Void.self)
            try await channel.writeAndFlush(S7ClientHandler.Outbound.connect(request, connected)).get()
            try await connected.futureResult.get()
            let client = S7Client(
                options: options, negotiation: S7Negotiation(maxJobsCalling: 1, maxJobsCalled: 1, pduSize: 240),
                channel: channel)
            let asked = S7Negotiation(maxJobsCalling: 8, maxJobsCalled: 8, pduSize: options.requestedPDUSize)
            let answer = try await client.exchange(
                S7PDU(type: .job, reference: 0, parameters: asked.encoded()), what: "setup communication")
            let granted = try S7Negotiation(parameters: answer.parameters)
            guard granted.pduSize >= 64 else { throw S7ClientError.protocolViolation("PDU size \(granted.pduSize)") }
            return S7Client(options: options, negotiation: granted, channel: channel)
        } catch {
            try? await channel.close()
            if let error = error as? S7ClientError { throw error }
            if error is S7ItemError { throw .protocolViolation("setup communication answer too short") }
            throw .connectionFailed("\(options.host):\(options.port): \(error)")
        }
    }

    /// The negotiated PDU size.
    public nonisolated var pduSize: Int { negotiation.pduSize }

    /// Whether the connection is still open.
    public nonisolated var isConnected: Bool { channel.isActive }

    /// Closes the connection (a COTP disconnect is not needed in class 0).
    public func close() async {
        try? await channel.close()
    }

    // MARK: Jobs

    /// Sends one PDU (its reference is replaced) and waits for the answer with the same reference.
    public func exchange(_ pdu: S7PDU, what: String) async throws(S7ClientError) -> S7PDU {
        if jobsInFlight < max(1, negotiation.maxJobsCalling) {
            jobsInFlight += 1
        } else {
            // A finished job hands its slot over (see `finishJob`).
            await withUnsafeContinuation { waitingForJob.append($0) }
        }
        defer { finishJob() }
        var pdu = pdu
        reference = reference == 0xFFFF ? 1 : reference + 1
        pdu.reference = reference
        guard channel.isActive else { throw .closed }
        let answer = channel.eventLoop.makePromise(of: S7PDU.self)
        // Only the answer is awaited (one wake-up of this task per job, not two); a write that fails fails it.
        let written = channel.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { _ in answer.fail(S7ClientError.closed) }
        channel.writeAndFlush(S7ClientHandler.Outbound.request(pdu, what: what, answer), promise: written)
        do {
            // Awaited here, on the client's executor: `EventLoopFuture.get()` would resume on the global executor
            // and cost two more thread hops per job.
            let result = try await withTaskExecutorPreference(taskExecutor) {
                try await withUnsafeThrowingContinuation { continuation in
                    answer.futureResult.whenComplete { continuation.resume(with: $0) }
                }
            }
            if result.error != 0 { throw S7ClientError.refused(result.error, what) }
            return result
        } catch let error as S7ClientError {
            throw error
        } catch {
            throw .closed
        }
    }

    /// Passes the finished job's slot to the next waiting caller, or frees it.
    private func finishJob() {
        if waitingForJob.isEmpty {
            jobsInFlight -= 1
        } else {
            waitingForJob.removeFirst().resume()
        }
    }

    /// Reads the items, splitting them into as many jobs (and items larger than a PDU into chunks) as the PDU
    /// needs; each item's bytes or its return code.
    public func read(_ items: [S7VariableAddress]) async throws(S7ClientError) -> [Result<[UInt8], S7ReturnCode>] {
        let plan = S7JobPlanner(pduSize: pduSize).readJobs(items)
        var chunks: [Result<[UInt8], S7ReturnCode>] = []
        for job in plan.jobs {
            let answer = try await exchange(
                S7PDU(type: .job, reference: 0, parameters: S7Request.readParameters(job)), what: "read")
            chunks += try S7JobPlanner.parseReadAnswer(answer, itemCount: job.count)
        }
        return plan.assemble(chunks)
    }

    /// Writes the items (split like `read`); `.success` or the return code of each.
    public func write(_ items: [S7WriteItem]) async throws(S7ClientError) -> [S7ReturnCode] {
        for item in items where item.data.count != item.address.byteCount {
            throw .invalidRequest("\(item.address) needs \(item.address.byteCount) bytes, not \(item.data.count)")
        }
        let plan = S7JobPlanner(pduSize: pduSize).writeJobs(items)
        var codes: [S7ReturnCode] = []
        for job in plan.jobs {
            let sections = S7Request.writeSections(job)
            let answer = try await exchange(
                S7PDU(type: .job, reference: 0, parameters: sections.parameters, data: sections.data), what: "write")
            guard answer.data.count == job.count else {
                throw .protocolViolation("write answer has \(answer.data.count) codes for \(job.count) items")
            }
            codes += answer.data.map { S7ReturnCode(rawValue: $0) ?? .hardwareError }
        }
        return plan.assemble(codes)
    }

    /// A user-data service, following up fragments until the last; the payload of the answer.
    public func userData(_ request: S7UserDataRequest, what: String) async throws(S7ClientError) -> [UInt8] {
        var payload: [UInt8] = []
        var next = request
        for _ in 0..<256 {
            let answer = try await exchange(next.pdu(reference: 0), what: what)
            let parameters = answer.parameters
            guard answer.type == .userData, parameters.count >= 12, parameters[4] == 0x12 else {
                throw .protocolViolation("\(what): the answer is not user data")
            }
            let error = parameters.bigEndianUInt16(at: 10)
            guard error == 0 else { throw .refused(error, what) }
            guard answer.data.count >= 4 else { throw .protocolViolation("\(what): no data in the answer") }
            guard answer.data[0] == S7ReturnCode.success.rawValue else {
                let code = S7ReturnCode(rawValue: answer.data[0])
                if code == .objectDoesNotExist, answer.data[1] == 0, payload.isEmpty, parameters[9] == 0 {
                    return []  // a service that answers nothing
                }
                throw .refused(UInt16(answer.data[0]), "\(what): \(code?.description ?? "error")")
            }
            let length = Int(answer.data.bigEndianUInt16(at: 2))
            guard 4 + length <= answer.data.count else { throw .protocolViolation("\(what): data runs past the PDU") }
            payload += answer.data[4..<(4 + length)]
            guard parameters[9] != 0 else { return payload }
            next = S7UserDataRequest(
                group: request.group, subfunction: request.subfunction, sequence: parameters[7], isFollowUp: true,
                payload: [])
        }
        throw .protocolViolation("\(what): more than 256 fragments")
    }

    /// A partial SZL list: `LENTHDR`, `N_DR` and the records (without the id and index words).
    public func readSZL(id: UInt16, index: UInt16 = 0) async throws(S7ClientError) -> [UInt8] {
        let what = "SZL 0x\(hex(UInt8(id >> 8)))\(hex(UInt8(id & 0xFF)))"
        let payload = try await userData(
            S7UserDataRequest(
                group: S7UserDataGroup.szl.rawValue, subfunction: 0x01,
                payload: [UInt8(id >> 8), UInt8(id & 0xFF), UInt8(index >> 8), UInt8(index & 0xFF)]),
            what: what)
        guard payload.count >= 8 else { throw .protocolViolation("\(what): \(payload.count) bytes") }
        return Array(payload[4...])
    }

    /// The CPU's operating mode (SZL 0x0424).
    public func mode() async throws(S7ClientError) -> S7CPUMode {
        let list = try await readSZL(id: 0x0424)
        guard list.count >= 8 else { throw .protocolViolation("SZL 0x0424 without a record") }
        return S7CPUMode(rawValue: list[7] & 0x0F) ?? .unknown
    }

    /// PLC stop.
    public func stop() async throws(S7ClientError) {
        _ = try await exchange(S7PDU(type: .job, reference: 0, parameters: S7Request.plcStopParameters), what: "stop")
    }

    /// Warm (hot) or cold start.
    public func start(cold: Bool = false) async throws(S7ClientError) {
        _ = try await exchange(
            S7PDU(type: .job, reference: 0, parameters: S7Request.plcStartParameters(cold: cold)),
            what: cold ? "cold start" : "warm start")
    }

    /// The CPU's clock.
    public func clock() async throws(S7ClientError) -> PLCDateTime {
        let payload = try await userData(
            S7UserDataRequest(group: S7UserDataGroup.clock.rawValue, subfunction: 0x01, payload: []),
            what: "read clock")
        guard payload.count >= 10, let time = S7Clock.time(bcd: payload[2..<10]) else {
            throw .protocolViolation("clock answer of \(payload.count) bytes")
        }
        return time
    }

    /// The diagnostic buffer (SZL 0x00A0), newest first; at most `limit` entries when given (index = count, as
    /// TIA asks for the newest entries only).
    public func diagnosticBuffer(limit: Int? = nil) async throws(S7ClientError) -> [S7DiagnosticRecord] {
        // SZL 0x00A0 is the whole buffer; 0x01A0 with index n its n newest entries.
        let list: [UInt8]
        if let limit {
            list = try await readSZL(id: 0x01A0, index: UInt16(clamping: max(1, limit)))
        } else {
            list = try await readSZL(id: 0x00A0, index: 0)
        }
        guard list.count >= 4 else { throw .protocolViolation("SZL 0x00A0 without its header") }
        let length = Int(list.bigEndianUInt16(at: 0))
        let count = Int(list.bigEndianUInt16(at: 2))
        guard length >= 20, 4 + length * count <= list.count else {
            throw .protocolViolation("SZL 0x00A0: \(count) records of \(length) bytes in \(list.count - 4)")
        }
        return (0..<count).compactMap { number in
            let record = Array(list[(4 + number * length)..<(4 + (number + 1) * length)])
            guard let time = S7Clock.time(bcd: record[12..<20]) else { return nil }
            return S7DiagnosticRecord(
                eventID: record.bigEndianUInt16(at: 0), priorityClass: record[2], obNumber: record[3],
                info1: record.bigEndianUInt16(at: 6), info2: record.bigEndianUInt32(at: 8), time: time)
        }
    }
}

/// An event loop as one object that is both the client actor's serial executor and a task executor (NIO's loops
/// are serial executors only), so that switching between the two on the loop's thread is no switch at all.
final class EventLoopExecutor: SerialExecutor, TaskExecutor {
    let loop: any EventLoop

    init(_ loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute {
            job.runSynchronously(isolatedTo: self.asUnownedSerialExecutor(), taskExecutor: self.asUnownedTaskExecutor())
        }
    }

    func isSameExclusiveExecutionContext(other: EventLoopExecutor) -> Bool { other === self }

    func checkIsolated() { loop.preconditionInEventLoop() }
}

/// How reads and writes are cut to fit the PDU: items larger than a PDU become byte chunks, chunks are packed into
/// jobs of at most 20 items whose request and answer both fit.
struct S7JobPlanner {
    var pduSize: Int

    struct Plan<Item> {
        var jobs: [[Item]]
        /// For each original item, how many consecutive chunks make it.
        var chunkCounts: [Int]

        func assemble(_ chunks: [Result<[UInt8], S7ReturnCode>]) -> [Result<[UInt8], S7ReturnCode>] {
            var results: [Result<[UInt8], S7ReturnCode>] = []
            var index = 0
            for count in chunkCounts {
                var bytes: [UInt8] = []
                var failure: S7ReturnCode?
                for chunk in chunks[index..<(index + count)] {
                    switch chunk {
                    case .success(let part): bytes += part
                    case .failure(let code): failure = failure ?? code
                    }
                }
                results.append(failure.map { .failure($0) } ?? .success(bytes))
                index += count
            }
            return results
        }

        func assemble(_ codes: [S7ReturnCode]) -> [S7ReturnCode] {
            var results: [S7ReturnCode] = []
            var index = 0
            for count in chunkCounts {
                results.append(codes[index..<(index + count)].first { $0 != .success } ?? .success)
                index += count
            }
            return results
        }
    }

    /// Bytes of one item's data that fit in an answer alone (header 12, parameters 2, item header 4).
    var chunkSize: Int { (pduSize - 18) & ~1 }

    func readJobs(_ items: [S7VariableAddress]) -> Plan<S7VariableAddress> {
        var chunks: [S7VariableAddress] = []
        var counts: [Int] = []
        for item in items {
            let parts = split(item, room: chunkSize)
            chunks += parts
            counts.append(parts.count)
        }
        // Request: header, function and count, 12 bytes per item; answer: header, 2, then 4 + data (padded).
        let jobs = Self.pack(chunks) { job in
            12 + job.count * S7VariableAddress.encodedSize <= pduSize
                && 14 + job.reduce(0) { $0 + 4 + $1.byteCount + $1.byteCount % 2 } <= pduSize
        }
        return Plan(jobs: jobs, chunkCounts: counts)
    }

    func writeJobs(_ items: [S7WriteItem]) -> Plan<S7WriteItem> {
        var chunks: [S7WriteItem] = []
        var counts: [Int] = []
        let room = (pduSize - 12 - 2 - S7VariableAddress.encodedSize - 4) & ~1
        for item in items {
            let parts = split(item.address, room: room)
            var offset = 0
            for part in parts {
                chunks.append(S7WriteItem(address: part, data: Array(item.data[offset..<(offset + part.byteCount)])))
                offset += part.byteCount
            }
            counts.append(parts.count)
        }
        // Request: header, function and count, then per item its address and 4 + data (padded).
        let jobs = Self.pack(chunks) { job in
            12 + job.reduce(0) { $0 + S7VariableAddress.encodedSize + 4 + $1.data.count + $1.data.count % 2 } <= pduSize
        }
        return Plan(jobs: jobs, chunkCounts: counts)
    }

    /// Greedy packing: a job takes chunks in order while it `fits` and has fewer than 20 items.
    static func pack<Item>(_ chunks: [Item], fits: ([Item]) -> Bool) -> [[Item]] {
        var jobs: [[Item]] = []
        var job: [Item] = []
        for chunk in chunks {
            if !job.isEmpty, job.count == S7Client.maximumItemsPerJob || !fits(job + [chunk]) {
                jobs.append(job)
                job = []
            }
            job.append(chunk)
        }
        if !job.isEmpty { jobs.append(job) }
        return jobs
    }

    /// `item` as byte chunks of at most `room` bytes (timers and counters in whole elements; bits never split).
    private func split(_ item: S7VariableAddress, room: Int) -> [S7VariableAddress] {
        guard item.byteCount > room, item.transportSize != .bit else { return [item] }
        let element = item.transportSize.addressesByNumber ? item.transportSize.elementSize : 1
        let perChunk = max(1, room / element)
        let total = item.transportSize.addressesByNumber ? item.count : item.byteCount
        var parts: [S7VariableAddress] = []
        var done = 0
        while done < total {
            let count = min(perChunk, total - done)
            var part = item
            if !item.transportSize.addressesByNumber { part.transportSize = .byte }
            part.count = count
            part.byteOffset = item.byteOffset + done
            parts.append(part)
            done += count
        }
        return parts
    }

    /// The items of a read answer: bytes, or the return code of an item that failed.
    static func parseReadAnswer(
        _ answer: S7PDU, itemCount: Int
    ) throws(S7ClientError) -> [Result<[UInt8], S7ReturnCode>] {
        guard answer.parameters.count >= 2, answer.parameters[0] == S7Function.readVariable.rawValue,
            Int(answer.parameters[1]) == itemCount
        else { throw .protocolViolation("read answer does not carry \(itemCount) items") }
        let data = answer.data
        var results: [Result<[UInt8], S7ReturnCode>] = []
        var offset = 0
        for index in 0..<itemCount {
            guard offset + 4 <= data.count else { throw .protocolViolation("read answer ends at item \(index + 1)") }
            let code = S7ReturnCode(rawValue: data[offset]) ?? .hardwareError
            let size = S7DataTransportSize(rawValue: data[offset + 1]) ?? .octetString
            let length = Int(data.bigEndianUInt16(at: offset + 2))
            let count = size.lengthInBits ? (length + 7) / 8 : length
            offset += 4
            guard code == .success else {
                results.append(.failure(code))
                continue
            }
            guard offset + count <= data.count else {
                throw .protocolViolation("read answer: item \(index + 1) runs past the PDU")
            }
            results.append(.success(Array(data[offset..<(offset + count)])))
            offset += count
            if count % 2 == 1, index < itemCount - 1 { offset += 1 }
        }
        return results
    }
}

/// The client's channel handler: COTP connect, DT segmentation and reassembly, answers matched by reference,
/// timeouts.
final class S7ClientHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = TPKTFrame
    typealias OutboundIn = Outbound
    typealias OutboundOut = TPKTFrame

    enum Outbound {
        case connect(COTPConnectionTPDU, EventLoopPromise<Void>)
        case request(S7PDU, what: String, EventLoopPromise<S7PDU>)
    }

    private struct Pending {
        var promise: EventLoopPromise<S7PDU>
        var timeout: Scheduled<Void>
    }

    private let timeout: Duration
    private var tpduSize: COTPTPDUSize = .bytes128
    private var connectPromise: EventLoopPromise<Void>?
    private var connectTimeout: Scheduled<Void>?
    private var pending: [UInt16: Pending] = [:]
    private var tsdu: [UInt8] = []

    init(timeout: Duration) {
        self.timeout = timeout
    }

    private var timeAmount: TimeAmount { TimeAmount(timeout) }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .connect(let request, let connected):
            connectPromise = connected
            connectTimeout = context.eventLoop.assumeIsolated().scheduleTask(in: timeAmount) { [weak self] in
                guard let self, let promise = self.connectPromise else { return }
                self.connectPromise = nil
                promise.fail(S7ClientError.timeout("the COTP connection request"))
                context.close(promise: nil)
            }
            send(.connectionRequest(request), context: context, promise: promise)
        case .request(let pdu, let what, let answer):
            let reference = pdu.reference
            let scheduled = context.eventLoop.assumeIsolated().scheduleTask(in: timeAmount) { [weak self] in
                guard let self, let entry = self.pending.removeValue(forKey: reference) else { return }
                entry.promise.fail(S7ClientError.timeout(what))
                context.close(promise: nil)
            }
            pending[reference] = Pending(promise: answer, timeout: scheduled)
            let segments = COTPDataTPDU.segments(of: pdu.encoded(), tpduSize: tpduSize)
            for (index, segment) in segments.enumerated() {
                send(.data(segment), context: context, promise: index == segments.count - 1 ? promise : nil)
            }
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        let tpdu: COTPTPDU
        do throws(COTPParseError) {
            tpdu = try COTPTPDU(parsing: frame.payload)
        } catch {
            failAll(.protocolViolation(error.description))
            context.close(promise: nil)
            return
        }
        switch tpdu {
        case .connectionConfirm(let confirm):
            tpduSize = confirm.tpduSize ?? .bytes128
            connectTimeout?.cancel()
            connectPromise?.succeed()
            connectPromise = nil
        case .data(let segment):
            tsdu += segment.payload
            guard segment.isEndOfTSDU else { return }
            defer { tsdu = [] }
            do throws(S7ParseError) {
                let pdu = try S7PDU(parsing: tsdu)
                guard let entry = pending.removeValue(forKey: pdu.reference) else { return }
                entry.timeout.cancel()
                entry.promise.succeed(pdu)
            } catch {
                failAll(.protocolViolation(error.description))
                context.close(promise: nil)
            }
        case .disconnectRequest, .error:
            failAll(.connectionFailed("the CPU closed the connection"))
            context.close(promise: nil)
        case .connectionRequest, .disconnectConfirm:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(.closed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(.protocolViolation("\(error)"))
        context.close(promise: nil)
    }

    private func failAll(_ error: S7ClientError) {
        if let promise = connectPromise {
            connectPromise = nil
            connectTimeout?.cancel()
            promise.fail(error == .closed ? S7ClientError.connectionFailed("refused by the peer") : error)
        }
        let entries = pending
        pending = [:]
        for entry in entries.values {
            entry.timeout.cancel()
            entry.promise.fail(error)
        }
    }

    private func send(_ tpdu: COTPTPDU, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        context.writeAndFlush(wrapOutboundOut(TPKTFrame(payload: tpdu.encoded())), promise: promise)
    }
}
