import Foundation
import S7Compiler
import S7Model
import S7Protocol
import Synchronization

/// Where a real PLC is reached over S7comm (PUT/GET): the address of its PROFINET interface, the ISO-on-TCP port, and
/// the rack and slot of the CPU (0 and 1 on an S7-1200 and S7-1500).
public struct PLCEndpoint: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var rack: Int
    public var slot: Int
    /// How long one job may take before the connection is dropped and rebuilt.
    public var timeout: Duration

    public init(host: String, port: Int = 102, rack: Int = 0, slot: Int = 1, timeout: Duration = .seconds(2)) {
        self.host = host
        self.port = port
        self.rack = rack
        self.slot = slot
        self.timeout = timeout
    }

    public var description: String { "\(host):\(port) rack \(rack) slot \(slot)" }

    var clientOptions: S7ClientOptions {
        S7ClientOptions(host: host, port: port, rack: rack, slot: slot, timeout: timeout)
    }
}

/// The link to a real PLC: connected, or how long until the next attempt.
public enum PLCLinkState: Sendable, Hashable, CustomStringConvertible {
    case connected(pduSize: Int)
    /// The last attempt (or the connection) failed; the next use tries again after `retryAfter`.
    case unreachable(reason: String, failures: Int, retryAfter: Duration)

    public var isConnected: Bool { if case .connected = self { true } else { false } }

    public var description: String {
        switch self {
        case .connected(let pduSize): "connected (PDU \(pduSize) bytes)"
        case .unreachable(let reason, let failures, let retryAfter):
            "not reachable: \(reason) (\(failures) failed attempts, next in "
                + "\(retryAfter.components.seconds).\(retryAfter.components.attoseconds / 100_000_000_000_000_000) s)"
        }
    }
}

/// One S7comm connection to a real PLC that heals itself: a call finds the client connected, or connects it; a
/// connection that fails or times out is dropped, and attempts after a failure wait 0.25 s, 0.5 s, 1 s … up to 10 s
/// (reset by a success), so a PLC that is off costs a caller one failed attempt per backoff period, never a hang.
/// Concurrent calls share one connect attempt.
actor PLCConnection {
    let endpoint: PLCEndpoint
    private var client: S7Client?
    private var connecting: Task<Result<S7Client, S7ClientError>, Never>?
    private var failures = 0
    private var lastError: String?
    private var nextAttempt: ContinuousClock.Instant?
    /// Counts `close()` calls: a connect that finishes after one is closed at once, not kept.
    private var generation = 0

    static let firstBackoff: Duration = .milliseconds(250)
    static let longestBackoff: Duration = .seconds(10)

    init(endpoint: PLCEndpoint) {
        self.endpoint = endpoint
    }

    var state: PLCLinkState {
        if let client, client.isConnected { return .connected(pduSize: client.pduSize) }
        let wait = nextAttempt.map { max(.zero, $0 - ContinuousClock.now) } ?? .zero
        return .unreachable(reason: lastError ?? "not connected yet", failures: failures, retryAfter: wait)
    }

    /// Runs `body` with a connected client; a failure that closed the connection starts the backoff.
    func perform<T: Sendable>(
        _ body: @Sendable (S7Client) async throws(S7ClientError) -> T
    ) async throws(S7ClientError) -> T {
        let client = try await connected()
        do {
            return try await body(client)
        } catch {
            if !client.isConnected { failed(error, dropping: client) }
            throw error
        }
    }

    /// Closes the connection; the next call connects again at once.
    func close() async {
        generation += 1
        connecting?.cancel()
        connecting = nil
        let client = self.client
        self.client = nil
        failures = 0
        nextAttempt = nil
        await client?.close()
    }

    private func connected() async throws(S7ClientError) -> S7Client {
        if let client, client.isConnected { return client }
        if let nextAttempt, ContinuousClock.now < nextAttempt {
            let wait = nextAttempt - ContinuousClock.now
            throw .connectionFailed(
                "\(lastError ?? "not reachable"); next attempt in \(Int(wait / .milliseconds(1))) ms")
        }
        let attempt: Task<Result<S7Client, S7ClientError>, Never>
        let started = generation
        if let connecting {
            attempt = connecting
        } else {
            let options = endpoint.clientOptions
            attempt = Task {
                do throws(S7ClientError) { return .success(try await S7Client.connect(options)) } catch {
                    return .failure(error)
                }
            }
            connecting = attempt
        }
        let result = await attempt.value
        // Of the callers sharing the attempt, the first to get here books its outcome.
        let first = connecting == attempt
        if first { connecting = nil }
        guard generation == started else {
            // Closed meanwhile (gone offline): the new connection is not kept.
            if case .success(let client) = result, first { await client.close() }
            throw .closed
        }
        switch result {
        case .success(let client):
            if self.client !== client {
                self.client = client
                failures = 0
                lastError = nil
                nextAttempt = nil
            }
            return client
        case .failure(let error):
            if first { failed(error, dropping: nil) }
            throw error
        }
    }

    private func failed(_ error: S7ClientError, dropping client: S7Client?) {
        if let client {
            // Every job in flight on a dropped connection fails; the drop is one failure.
            guard self.client === client else { return }
            self.client = nil
        }
        failures += 1
        lastError = error.description
        // The first failure of a connection that worked retries at once; a PLC that stays away is asked less often.
        let steps = min(failures - 1, 6)
        let backoff = min(Self.firstBackoff * (1 << steps), Self.longestBackoff)
        nextAttempt = failures == 1 && client != nil ? nil : ContinuousClock.now + backoff
    }
}

/// Operands resolved against a device's program the way the compiler addresses them, each resolved once (watch
/// tables ask for the same operands on every refresh).
final class OperandResolver: Sendable {
    private let state: Mutex<(locator: OperandLocator, locations: [String: OperandLocation])>

    init(device: Device, library: ProjectLibrary) {
        state = Mutex((OperandLocator(device: device, library: library), [:]))
    }

    func locate(_ operand: String) throws(EngineError) -> OperandLocation {
        if let known = state.withLock({ $0.locations[operand] }) { return known }
        let location: OperandLocation
        do { location = try state.withLock { state throws(OperandError) in try state.locator.locate(operand) } } catch {
            throw EngineError(.invalidInput, error.description)
        }
        state.withLock { $0.locations[operand] = location }
        return location
    }
}

/// A device online with a real PLC: the connection, and the project's symbols as they were when it went online
/// (refreshed when the device's blocks or types change), which give standard-access DB members their absolute
/// addresses.
final class PLCLink: Sendable {
    let connection: PLCConnection
    private let symbols: Mutex<Symbols>

    struct Symbols {
        /// What the symbols were resolved from. Compared by value, which for an unchanged project is the
        /// same storage and costs nothing (a hash would read every block's source on every watch refresh).
        var source: Source
        var resolver: OperandResolver
        /// DBs with optimized access: S7comm (PUT/GET) cannot reach their members by address.
        var optimizedDataBlocks: Set<Int>
    }

    init(endpoint: PLCEndpoint, device: Device, library: ProjectLibrary, optimizedDataBlocks: Set<Int>) {
        connection = PLCConnection(endpoint: endpoint)
        symbols = Mutex(
            Symbols(
                source: Source(device, library),
                resolver: OperandResolver(device: device, library: library), optimizedDataBlocks: optimizedDataBlocks))
    }

    var endpoint: PLCEndpoint { connection.endpoint }

    /// The parts of a project operand resolution depends on.
    struct Source: Equatable {
        var blocks: [Block]
        var tagTables: [TagTable]
        var library: ProjectLibrary

        init(_ device: Device, _ library: ProjectLibrary) {
            blocks = device.blocks
            tagTables = device.tagTables
            self.library = library
        }
    }

    /// The symbols for `device` as the project now has it; nil when they changed since they were resolved (the
    /// caller compiles and calls `refresh`).
    func resolver(for device: Device, library: ProjectLibrary) -> (OperandResolver, Set<Int>)? {
        let source = Source(device, library)
        return symbols.withLock { symbols in
            symbols.source == source ? (symbols.resolver, symbols.optimizedDataBlocks) : nil
        }
    }

    /// Takes the symbols of `device` as the project now has it.
    func refresh(
        device: Device, library: ProjectLibrary, optimizedDataBlocks: Set<Int>
    ) -> (OperandResolver, Set<Int>) {
        let fresh = Symbols(
            source: Source(device, library), resolver: OperandResolver(device: device, library: library),
            optimizedDataBlocks: optimizedDataBlocks)
        symbols.withLock { $0 = fresh }
        return (fresh.resolver, optimizedDataBlocks)
    }

    /// The S7comm address of an operand, or why PUT/GET cannot reach it.
    static func address(of location: OperandLocation, optimized: Set<Int>) -> Result<S7VariableAddress, EngineError> {
        let area: S7Area
        switch location.area {
        case .input: area = .inputs
        case .output: area = .outputs
        case .marker: area = .markers
        case .globalDB:
            guard !optimized.contains(location.dbNumber) else {
                return .failure(
                    EngineError(
                        .unsupported,
                        "DB\(location.dbNumber) has optimized access: S7comm (PUT/GET) reaches standard-access DBs only"
                    ))
            }
            area = .dataBlock
        default:
            return .failure(EngineError(.unsupported, "the operand has no absolute address S7comm can reach"))
        }
        if location.dataType == .bool {
            return .success(
                S7VariableAddress(
                    area: area, dbNumber: location.dbNumber, transportSize: .bit, count: 1,
                    byteOffset: location.byteOffset, bit: location.bit))
        }
        return .success(
            S7VariableAddress(
                area: area, dbNumber: location.dbNumber, transportSize: .byte, count: location.size,
                byteOffset: location.byteOffset))
    }

    /// The value in the bytes S7comm returned for `location`.
    static func value(_ bytes: [UInt8], at location: OperandLocation) -> PLCValue? {
        if location.dataType == .bool { return bytes.first.map { .bool($0 & 1 == 1) } }
        guard bytes.count == location.size else { return nil }
        return try? PLCValue.decode(bytes[...], as: location.dataType)
    }

    /// The bytes S7comm writes for `value` at `location`.
    static func bytes(_ value: PLCValue, at location: OperandLocation) throws(EngineError) -> [UInt8] {
        if location.dataType == .bool, case .bool(let bit) = value { return [bit ? 1 : 0] }
        let bytes: [UInt8]
        do { bytes = try value.encoded(as: location.dataType) } catch {
            throw EngineError(.invalidInput, error.description)
        }
        guard bytes.count == location.size else {
            throw EngineError(.unsupported, "\(location.dataType) takes \(location.size) bytes, not \(bytes.count)")
        }
        return bytes
    }
}
