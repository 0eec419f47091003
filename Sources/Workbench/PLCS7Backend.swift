import Foundation
import S7Model
import S7Protocol
import S7Runtime
import Synchronization

/// The S7comm server's view of a virtual PLC: reads come from the image published at the end of the last cycle,
/// writes are queued for the next cycle start (DESIGN.md decision 3), mode changes are requests to the PLC's
/// thread. As on an S7-1500 with PUT/GET permitted, only standard-access DBs can be addressed absolutely; an
/// optimized DB answers "address out of range".
final class PLCS7Backend: S7ServerBackend {
    let instance: PLCInstance
    let identity: S7ModuleIdentity
    private let state = Mutex<State>(State())

    private struct State {
        var lastMode: S7CPUMode = .stop
        var previousMode: S7CPUMode = .stop
        /// What a client's clock set moved the CPU clock by, from the host's clock.
        var clockOffset: TimeInterval = 0
    }

    init(instance: PLCInstance, device: Device, catalogName: String?) {
        self.instance = instance
        let firmware = Self.firmware(device.firmware)
        let isS71200 = HardwareCatalog.orderKey(device.orderNumber ?? "").hasPrefix("6ES721")
        identity = S7ModuleIdentity(
            orderNumber: device.orderNumber ?? "6ES7 516-3AN02-0AB0", firmware: firmware,
            systemName: "s7wb virtual \(device.name)", moduleName: device.name,
            moduleTypeName: catalogName ?? "CPU", plantDesignation: "",
            serialNumber: "S7WB-"
                + String(UInt32(truncatingIfNeeded: StableHash.fnv1a(device.name.lowercased().utf8)), radix: 16)
                .uppercased(),
            copyright: "s7wb virtual PLC", maximumPDUSize: isS71200 ? 240 : 960,
            maximumConnections: isS71200 ? 8 : 64)
    }

    /// The PDU size and parallel jobs the CPU grants.
    var sessionConfiguration: S7ServerSession.Configuration {
        S7ServerSession.Configuration(
            maximumPDUSize: identity.maximumPDUSize, maximumParallelJobs: identity.maximumPDUSize > 240 ? 8 : 3)
    }

    static func firmware(_ text: String?) -> S7FirmwareVersion {
        let digits = (text ?? "").drop { !$0.isNumber }.split(separator: ".").map { UInt8($0) ?? 0 }
        return S7FirmwareVersion(
            digits.first ?? 0, digits.count > 1 ? digits[1] : 0, digits.count > 2 ? digits[2] : 0)
    }

    // MARK: Read and write

    func read(_ items: [S7VariableAddress]) -> [Result<[UInt8], S7ReturnCode>] {
        let snapshot = instance.plc.snapshot()
        let optimized = instance.optimizedDataBlocks
        return items.map { item -> Result<[UInt8], S7ReturnCode> in
            let kind: MemoryAreaKind
            switch area(of: item, optimized: optimized, writing: false) {
            case .success(let area): kind = area
            case .failure(let code): return .failure(code)
            }
            guard let area = snapshot.memory.area(kind) else { return .failure(.objectDoesNotExist) }
            let count = item.transportSize == .bit ? 1 : item.byteCount
            guard item.byteOffset >= 0, item.byteOffset + count <= area.count, count > 0 else {
                return .failure(.addressOutOfRange)
            }
            if item.transportSize == .bit {
                guard item.count == 1, let bit = try? area.bit(at: item.byteOffset, item.bit) else {
                    return .failure(.addressOutOfRange)
                }
                return .success([bit ? 1 : 0])
            }
            guard let bytes = try? area.bytes(at: item.byteOffset, count: count) else {
                return .failure(.addressOutOfRange)
            }
            return .success(bytes)
        }
    }

    func write(_ items: [S7WriteItem]) -> [S7ReturnCode] {
        let optimized = instance.optimizedDataBlocks
        return items.map { write($0, optimized: optimized) }
    }

    private func write(_ item: S7WriteItem, optimized: Set<Int>) -> S7ReturnCode {
        let kind: MemoryAreaKind
        switch area(of: item.address, optimized: optimized, writing: true) {
        case .success(let area): kind = area
        case .failure(let code): return code
        }
        let write: VirtualPLC.Write
        if item.address.transportSize == .bit {
            guard item.address.count == 1, let value = item.data.first else { return .dataTypeInconsistent }
            write = .bit(kind, offset: item.address.byteOffset, bit: item.address.bit, value != 0)
        } else {
            write = .bytes(kind, offset: item.address.byteOffset, item.data)
        }
        do throws(PLCError) {
            try instance.plc.write(write)
            return .success
        } catch {
            if case .memory(.noSuchArea(_)) = error { return .objectDoesNotExist }
            return .addressOutOfRange
        }
    }

    /// The memory area an item addresses, or the code a CPU answers for it.
    private func area(
        of item: S7VariableAddress, optimized: Set<Int>, writing: Bool
    ) -> Result<MemoryAreaKind, S7ReturnCode> {
        switch item.area {
        case .inputs: return .success(.input)
        case .outputs: return .success(.output)
        case .markers: return .success(.marker)
        case .timers: return .success(.timer)
        case .counters: return .success(.counter)
        // Peripheral access reads the inputs and writes the outputs, which the virtual I/O mirrors at once.
        case .peripheral: return .success(writing ? .output : .input)
        case .dataBlock, .instanceDataBlock:
            if optimized.contains(item.dbNumber) { return .failure(.addressOutOfRange) }
            return .success(.dataBlock(item.dbNumber))
        case .localData: return .failure(.accessDenied)
        }
    }

    // MARK: Mode

    var mode: S7CPUMode { observe().current }
    var previousMode: S7CPUMode { observe().previous }

    /// The mode now, remembering the one before the last change.
    private func observe() -> (current: S7CPUMode, previous: S7CPUMode) {
        let current: S7CPUMode =
            switch instance.plc.snapshot().mode {
            case .run: .run
            case .startup: .startupWarm
            case .stop: .stop
            }
        return state.withLock { state in
            if current != state.lastMode {
                state.previousMode = state.lastMode
                state.lastMode = current
            }
            return (current, state.previousMode)
        }
    }

    func stop() -> Bool {
        instance.plc.stop()
        return true
    }

    /// An S7-1500 knows only the warm restart: a cold start request restarts warm too.
    func start(cold: Bool) -> Bool {
        guard instance.downloadedAt != nil else { return false }
        instance.plc.start()
        return true
    }

    // MARK: Diagnostics, blocks, clock

    var diagnostics: [S7DiagnosticRecord] {
        let origin = instance.plc.configuration.systemTimeOrigin
        return instance.plc.snapshot().diagnostics.map { entry in
            let seconds = Double(entry.time.components.seconds) + Double(entry.time.components.attoseconds) * 1e-18
            return S7DiagnosticRecord(
                eventID: entry.eventID, info1: UInt16(clamping: entry.line ?? 0),
                time: Self.dateTime(origin.addingTimeInterval(seconds)))
        }
    }

    var blocks: [S7BlockEntry] { instance.blockDirectory }

    var clock: PLCDateTime {
        Self.dateTime(Date().addingTimeInterval(state.withLock { $0.clockOffset }))
    }

    func setClock(_ time: PLCDateTime) -> Bool {
        var components = DateComponents()
        components.year = time.year
        components.month = time.month
        components.day = time.day
        components.hour = time.hour
        components.minute = time.minute
        components.second = time.second
        components.nanosecond = time.nanosecond
        guard let date = Calendar.current.date(from: components) else { return false }
        state.withLock { $0.clockOffset = date.timeIntervalSinceNow }
        return true
    }

    /// A date in the host's time zone (the clock a panel shows).
    static func dateTime(_ date: Date) -> PLCDateTime {
        let parts = Calendar.current.dateComponents(
            [.year, .month, .day, .hour, .minute, .second, .nanosecond], from: date)
        return PLCDateTime(
            year: parts.year ?? 1990, month: parts.month ?? 1, day: parts.day ?? 1, hour: parts.hour ?? 0,
            minute: parts.minute ?? 0, second: parts.second ?? 0,
            nanosecond: (parts.nanosecond ?? 0) / 1_000_000 * 1_000_000)
    }
}
