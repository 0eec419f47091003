public import Foundation
public import S7Compiler
public import S7Model
public import S7Protocol
public import S7Runtime
import Synchronization

/// A virtual PLC the engine keeps for one device of an open project, as PLCSIM Advanced keeps an instance: it runs
/// in real time on its own thread from its creation until the project closes. Front ends download to it, start and
/// stop it through the engine; they read its published snapshot directly (`snapshot()`, `read`), which never waits
/// for a cycle.
public final class PLCInstance: Sendable {
    public let device: String
    public let plc: VirtualPLC
    public let createdAt = Date()
    private let state: Mutex<State>

    struct State {
        /// The symbols of the last download.
        var resolver: OperandResolver
        var downloadedAt: Date?
        var loadedBlocks: [String] = []
        /// What each downloaded block (code, DB, and the data types they use) looked like offline at the download.
        var fingerprints: [String: Int] = [:]
        /// The blocks of the last download as S7comm's block directory lists them.
        var directory: [S7BlockEntry] = []
        /// Numbers of the downloaded DBs with optimized access (S7comm refuses absolute access to them).
        var optimizedDataBlocks: Set<Int> = []
    }

    init(device: Device, library: ProjectLibrary, configuration: VirtualPLC.Configuration) {
        self.device = device.name
        plc = VirtualPLC(configuration: configuration)
        state = Mutex(State(resolver: OperandResolver(device: device, library: library)))
    }

    /// The image published at the end of the last cycle.
    public func snapshot() -> VirtualPLC.Snapshot { plc.snapshot() }

    /// When the program now in the PLC was downloaded (nil: never).
    public var downloadedAt: Date? { state.withLock { $0.downloadedAt } }

    /// The code blocks of the last download, by name.
    public var loadedBlocks: [String] { state.withLock { $0.loadedBlocks } }

    /// How the project's object compares with what the PLC runs: nil when nothing was downloaded yet.
    public func comparison(of block: Block) -> OnlineComparison? {
        state.withLock { state in
            guard state.downloadedAt != nil else { return nil }
            guard let loaded = state.fingerprints[block.name.lowercased()] else { return .offlineOnly }
            return loaded == block.hashValue ? .same : .different
        }
    }

    /// Where an operand (`"Tag"`, `"DB".a[3]`, `%MW10`) lives, by the symbols of the last download; resolved once
    /// per download.
    public func locate(_ operand: String) throws(EngineError) -> OperandLocation {
        try state.withLock { $0.resolver }.locate(operand)
    }

    /// The operand's value in `snapshot` (or the latest one).
    public func read(_ operand: String, in snapshot: VirtualPLC.Snapshot? = nil) throws(EngineError) -> PLCValue {
        let location = try locate(operand)
        do { return try (snapshot ?? plc.snapshot()).memory.value(at: location) } catch {
            throw EngineError(.invalidInput, "\(operand): \(error.description)")
        }
    }

    /// The blocks of the last download, as the S7comm block directory lists them.
    public var blockDirectory: [S7BlockEntry] { state.withLock { $0.directory } }

    /// Numbers of the downloaded DBs with optimized access.
    public var optimizedDataBlocks: Set<Int> { state.withLock { $0.optimizedDataBlocks } }

    func downloaded(device: Device, library: ProjectLibrary, program: CompiledProgram) {
        let blocks = program.blocks.map(\.name)
        let loaded = Set((blocks + program.dataBlocks.map(\.name)).map { $0.lowercased() })
        let directory = Self.directory(of: program, device: device)
        var fingerprints: [String: Int] = [:]
        for block in device.blocks where loaded.contains(block.name.lowercased()) {
            fingerprints[block.name.lowercased()] = block.hashValue
        }
        state.withLock { state in
            state.resolver = OperandResolver(device: device, library: library)
            state.downloadedAt = Date()
            state.loadedBlocks = blocks
            state.fingerprints = fingerprints
            state.directory = directory
            state.optimizedDataBlocks = Engine.optimizedDataBlocks(program)
        }
    }

    /// The S7comm block directory of a program: code blocks with their language and code size, DBs with their
    /// data size, each stamped with the download time.
    static func directory(of program: CompiledProgram, device: Device) -> [S7BlockEntry] {
        let offline = Dictionary(
            device.blocks.map { ($0.name.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        let now = Date()
        let days = UInt16(clamping: Int(now.timeIntervalSince(s7Epoch) / 86_400))
        let milliseconds = UInt32(
            clamping: Int(now.timeIntervalSince(s7Epoch).truncatingRemainder(dividingBy: 86_400) * 1000))
        func language(_ name: String) -> S7BlockLanguage {
            switch offline[name.lowercased()]?.language {
            case .lad, .f_lad: .lad
            case .fbd, .f_fbd: .fbd
            case .stl: .stl
            case .graph: .graph
            default: .scl
            }
        }
        var entries: [S7BlockEntry] = program.blocks.map { block in
            let type: S7BlockType =
                switch block.kind {
                case .organizationBlock: .ob
                case .functionBlock: .fb
                case .function: .fc
                }
            return S7BlockEntry(
                type: type, number: block.number, language: language(block.name), name: block.name,
                size: block.instructions.count * 4 + block.constants.count * 8,
                checksum: StableHash.checksum16((offline[block.name.lowercased()]?.sourceText ?? block.name).utf8),
                loadedMilliseconds: milliseconds,
                loadedDays: days)
        }
        entries += program.dataBlocks.map { db in
            S7BlockEntry(
                type: .db, number: db.number, language: .db, name: db.name, size: db.bytes.count,
                checksum: StableHash.checksum16(db.bytes), loadedMilliseconds: milliseconds,
                loadedDays: days)
        }
        return entries.sorted { ($0.type.rawValue, $0.number) < ($1.type.rawValue, $1.number) }
    }

    /// Day 0 of S7 block time stamps.
    static let s7Epoch = Date(timeIntervalSince1970: 441_763_200)  // 1984-01-01T00:00:00Z
}

/// A project block against the PLC (TIA's online/offline comparison marks).
public enum OnlineComparison: String, Sendable {
    /// The PLC runs what the project holds.
    case same
    /// The project's block changed since the download.
    case different
    /// The PLC does not have the block (new, or left out of the download for its errors).
    case offlineOnly
}

/// What a download did.
public struct DownloadReport: Sendable {
    public var device: String
    /// The compiler's output: diagnostics, files, blocks left out.
    public var result: CompilationResult
    public var loadedBlocks: Int
    public var dataBlocks: Int
    /// Whether the PLC was in RUN before and was started again after loading.
    public var restarted: Bool
}

extension Engine {
    private func instanceKey(_ session: Session, _ device: String) -> String {
        session.id + "/" + device.lowercased()
    }

    /// The virtual PLC of a device (the only PLC when `device` is nil), created in STOP with nothing loaded the first
    /// time it is asked for.
    public func plcInstance(device name: String? = nil, sessionID: String? = nil) throws(EngineError) -> PLCInstance {
        let session = try self.session(sessionID)
        let device = try plcDevice(name, sessionID: session.id)
        let key = instanceKey(session, device.name)
        if let existing = instances[key] { return existing }
        var configuration = VirtualPLC.Configuration()
        configuration.clock = .realTime
        configuration.minimumCycleTime = .milliseconds(10)
        let instance = PLCInstance(device: device, library: session.project.library, configuration: configuration)
        instance.plc.startThread()
        instances[key] = instance
        return instance
    }

    /// The virtual PLCs of a session that exist so far.
    public func plcInstances(sessionID: String? = nil) throws(EngineError) -> [PLCInstance] {
        let session = try self.session(sessionID)
        return instances.filter { $0.key.hasPrefix(session.id + "/") }.map(\.value).sorted { $0.device < $1.device }
    }

    /// Compiles the device and loads what compiles into its virtual PLC: the CPU goes to STOP for the download and
    /// back to RUN if it was running (TIA's "start modules after downloading"). Blocks with errors are left out as
    /// the compiler reports; nothing is loaded when no code block compiles.
    @discardableResult
    public func download(
        device name: String? = nil, sessionID: String? = nil, actor: String? = nil
    ) async throws(EngineError) -> DownloadReport {
        let session = try self.session(sessionID)
        let (device, result) = try compile(device: name, sessionID: session.id)
        let instance = try plcInstance(device: device.name, sessionID: session.id)
        guard !result.program.blocks.isEmpty else {
            record(session, actor: actor, action: "plc.download", target: device.name, outcome: "nothing compiles")
            throw EngineError(
                .conflict, "nothing to download: no code block of \(device.name) compiles (\(result.errorCount) errors)"
            )
        }
        let wasRunning = instance.snapshot().mode == .run
        instance.plc.stop()
        try await waitForMode(instance) { if case .stop = $0 { true } else { false } }
        let ticket: Int
        do { ticket = try instance.plc.load(result.program) } catch {
            record(session, actor: actor, action: "plc.download", target: device.name, outcome: "rejected")
            throw EngineError(.conflict, error.description)
        }
        // Reads and writes after the download must meet the new program, not be undone by its install.
        let deadline = ContinuousClock.now + .seconds(5)
        while !instance.plc.isInstalled(ticket), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(1))
        }
        instance.downloaded(device: device, library: session.project.library, program: result.program)
        if wasRunning {
            instance.plc.start()
            try await waitForMode(instance) { $0 == .run || $0 == .stop(.programmingError) || $0 == .stop(.timeError) }
        }
        record(
            session, actor: actor, action: "plc.download", target: device.name,
            detail: "\(result.program.blocks.count) blocks, \(result.program.dataBlocks.count) DBs, "
                + "\(result.errorCount) errors", outcome: "ok")
        hub.publish(.plcChanged(sessionID: session.id, device: device.name, change: "download"))
        return DownloadReport(
            device: device.name, result: result, loadedBlocks: result.program.blocks.count,
            dataBlocks: result.program.dataBlocks.count, restarted: wasRunning)
    }

    /// STOP → STARTUP → RUN (`run` true) or RUN → STOP; a CPU without a program refuses to start.
    public func setPLCMode(
        run: Bool, device name: String? = nil, sessionID: String? = nil, actor: String? = nil
    ) async throws(EngineError) -> CPUModeStateMachine.State {
        let session = try self.session(sessionID)
        let instance = try plcInstance(device: name, sessionID: session.id)
        if run {
            guard instance.downloadedAt != nil else {
                throw EngineError(.conflict, "\(instance.device) has no program: download first")
            }
            instance.plc.start()
            try await waitForMode(instance) { $0 == .run || $0 == .stop(.programmingError) || $0 == .stop(.timeError) }
        } else {
            instance.plc.stop()
            try await waitForMode(instance) { $0.isStop }
        }
        let mode = instance.snapshot().mode
        record(session, actor: actor, action: run ? "plc.start" : "plc.stop", target: instance.device, outcome: "ok")
        hub.publish(.plcChanged(sessionID: session.id, device: instance.device, change: run ? "run" : "stop"))
        return mode
    }

    /// Memory reset (MRES): STOP, clear I, Q, M, reload every DB's start values.
    public func memoryReset(
        device name: String? = nil, sessionID: String? = nil, actor: String? = nil
    ) async throws(EngineError) {
        let session = try self.session(sessionID)
        let instance = try plcInstance(device: name, sessionID: session.id)
        instance.plc.memoryReset()
        try await waitForMode(instance) { $0 == .stop(.memoryReset) }
        record(session, actor: actor, action: "plc.memoryReset", target: instance.device, outcome: "ok")
        hub.publish(.plcChanged(sessionID: session.id, device: instance.device, change: "memoryReset"))
    }

    /// Writes a value once (TIA's "modify now"), applied at the start of the next cycle; a device online with a real
    /// PLC writes it there over S7comm.
    public func modify(
        _ operand: String, to literal: String, device name: String? = nil, sessionID: String? = nil,
        actor: String? = nil
    ) async throws(EngineError) {
        let session = try self.session(sessionID)
        let device = try plcDevice(name, sessionID: session.id)
        if let link = plcLink(device: device, in: session) {
            try await modifyPLC([(operand, literal)], link: link, device: device, session: session, actor: actor)
            return
        }
        try modifyVirtual(operand, to: literal, device: device.name, sessionID: session.id, actor: actor)
    }

    /// Modify on the device's virtual PLC, whatever the device is online with (the PLCSim group's tag writes).
    func modifyVirtual(
        _ operand: String, to literal: String, device name: String?, sessionID: String?, actor: String?
    ) throws(EngineError) {
        let (session, instance, location, value) = try target(operand, literal, device: name, sessionID: sessionID)
        do { try instance.plc.write(value, at: location) } catch { throw EngineError(.invalidInput, error.description) }
        record(
            session, actor: actor, action: "plc.modify", target: "\(instance.device)/\(operand)", detail: literal,
            outcome: "ok")
    }

    /// Forces an input or output to a value until `unforce` (the virtual PLC only: forcing a real S7-1200/1500
    /// needs S7comm-plus).
    public func force(
        _ operand: String, to literal: String, device name: String? = nil, sessionID: String? = nil,
        actor: String? = nil
    ) throws(EngineError) {
        try refuseForcingPLC(device: name, sessionID: sessionID)
        let (session, instance, location, value) = try target(operand, literal, device: name, sessionID: sessionID)
        do { try instance.plc.force(value, at: location) } catch { throw EngineError(.invalidInput, error.description) }
        record(
            session, actor: actor, action: "plc.force", target: "\(instance.device)/\(operand)", detail: literal,
            outcome: "ok")
        hub.publish(.plcChanged(sessionID: session.id, device: instance.device, change: "force"))
    }

    /// Removes the force on an operand; false if it was not forced.
    @discardableResult
    public func unforce(
        _ operand: String, device name: String? = nil, sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) -> Bool {
        try refuseForcingPLC(device: name, sessionID: sessionID)
        let session = try self.session(sessionID)
        let instance = try plcInstance(device: name, sessionID: session.id)
        let removed = instance.plc.unforce(at: try instance.locate(operand))
        record(
            session, actor: actor, action: "plc.unforce", target: "\(instance.device)/\(operand)",
            outcome: removed ? "ok" : "not forced")
        hub.publish(.plcChanged(sessionID: session.id, device: instance.device, change: "unforce"))
        return removed
    }

    /// Switches the PLC's time between real, scaled (×0.1…×100) and stepped time, without a jump.
    public func setTimeMode(
        _ mode: VirtualClock.Mode, device name: String? = nil, sessionID: String? = nil, actor: String? = nil
    ) async throws(EngineError) {
        let session = try self.session(sessionID)
        let instance = try plcInstance(device: name, sessionID: session.id)
        if case .scaled(let factor) = mode, !(0.1...100).contains(factor) {
            throw EngineError(.invalidInput, "the time scale must be from 0.1 to 100, not \(factor)")
        }
        instance.plc.setClockMode(mode)
        let deadline = ContinuousClock.now + .seconds(2)
        while instance.snapshot().clockMode != mode, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(2))
        }
        record(
            session, actor: actor, action: "plc.setTimeMode", target: instance.device, detail: mode.description,
            outcome: "ok")
        hub.publish(.plcChanged(sessionID: session.id, device: instance.device, change: "timeMode"))
    }

    /// Sets the minimum cycle time of real and scaled time (TIA's "minimum cycle time", 1 ms to 6000 ms).
    public func setMinimumCycleTime(
        _ duration: Duration, device name: String? = nil, sessionID: String? = nil, actor: String? = nil
    ) async throws(EngineError) {
        let session = try self.session(sessionID)
        let instance = try plcInstance(device: name, sessionID: session.id)
        guard duration >= .milliseconds(1), duration <= .milliseconds(6000) else {
            throw EngineError(.invalidInput, "the minimum cycle time must be from 1 ms to 6000 ms, not \(duration)")
        }
        instance.plc.setMinimumCycleTime(duration)
        let deadline = ContinuousClock.now + .seconds(2)
        while instance.snapshot().minimumCycleTime != duration, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(2))
        }
        record(
            session, actor: actor, action: "plc.setMinimumCycleTime", target: instance.device,
            detail: "\(duration)", outcome: "ok")
    }

    /// Runs exactly `count` cycles of `cycleTime` virtual time (stepped time only) and returns the image after them.
    @discardableResult
    public func stepCycles(
        _ count: Int, cycleTime: Duration, device name: String? = nil, sessionID: String? = nil, actor: String? = nil
    ) async throws(EngineError) -> VirtualPLC.Snapshot {
        let session = try self.session(sessionID)
        let instance = try plcInstance(device: name, sessionID: session.id)
        guard (1...1_000_000).contains(count) else {
            throw EngineError(.invalidInput, "the number of cycles must be from 1 to 1000000, not \(count)")
        }
        let snapshot: VirtualPLC.Snapshot
        do { snapshot = try await instance.plc.step(cycles: count, cycleTime: cycleTime) } catch {
            throw EngineError(.conflict, error.description)
        }
        record(
            session, actor: actor, action: "plc.step", target: instance.device,
            detail: "\(count) × \(cycleTime)", outcome: "ok")
        hub.publish(.plcChanged(sessionID: session.id, device: instance.device, change: "step"))
        return snapshot
    }

    /// Writes operands of a real PLC in one S7comm write (split to the PDU); each must be reachable, and every
    /// value is checked before anything is written.
    func modifyPLC(
        _ writes: [(operand: String, literal: String)], link: PLCLink, device: Device, session: Session,
        actor: String?
    ) async throws(EngineError) {
        let (resolver, optimized) = try plcSymbols(link, device: device, session: session)
        var items: [S7WriteItem] = []
        for write in writes {
            let location = try resolver.locate(write.operand)
            let address: S7VariableAddress
            do { address = try PLCLink.address(of: location, optimized: optimized).get() } catch {
                throw EngineError(error.kind, "\(write.operand): \(error.message)")
            }
            let value = try Self.parse(write.literal, for: write.operand, as: location.dataType)
            items.append(S7WriteItem(address: address, data: try PLCLink.bytes(value, at: location)))
        }
        let writeItems = items
        let codes: [S7ReturnCode]
        do {
            codes = try await link.connection.perform { client async throws(S7ClientError) in
                try await client.write(writeItems)
            }
        } catch {
            record(
                session, actor: actor, action: "plc.modify", target: device.name, detail: "\(link.endpoint)",
                outcome: "\(error)")
            throw Self.engineError(error, device: device.name, link: link)
        }
        let refused = zip(writes, codes).filter { $0.1 != .success }
        for (write, code) in zip(writes, codes) {
            record(
                session, actor: actor, action: "plc.modify", target: "\(device.name)/\(write.operand)",
                detail: "\(write.literal) at \(link.endpoint)", outcome: code == .success ? "ok" : "\(code)")
        }
        if !refused.isEmpty {
            throw EngineError(
                .conflict,
                "the PLC refused "
                    + refused.map { "\($0.0.operand) (\($0.1))" }.joined(separator: ", "))
        }
    }

    /// Forcing a real S7-1200/1500 is not possible over PUT/GET.
    private func refuseForcingPLC(device name: String?, sessionID: String?) throws(EngineError) {
        let session = try self.session(sessionID)
        let device = try plcDevice(name, sessionID: session.id)
        guard let link = plcLink(device: device, in: session) else { return }
        throw EngineError(
            .unsupported,
            "\(device.name) is online with the real PLC at \(link.endpoint): forcing an S7-1200/1500 needs "
                + "S7comm-plus, which s7wb does not speak; modify writes a value once")
    }

    /// The session, PLC, location and parsed value a modify or force acts on.
    private func target(
        _ operand: String, _ literal: String, device name: String?, sessionID: String?
    ) throws(EngineError) -> (Session, PLCInstance, OperandLocation, PLCValue) {
        let session = try self.session(sessionID)
        let instance = try plcInstance(device: name, sessionID: session.id)
        let location = try instance.locate(operand)
        return (session, instance, location, try Self.parse(literal, for: operand, as: location.dataType))
    }

    static func parse(_ literal: String, for operand: String, as type: DataType) throws(EngineError) -> PLCValue {
        do { return try PLCValue.parse(literal, as: type) } catch {
            throw EngineError(.invalidInput, "\(operand): \(error.description)")
        }
    }

    /// Waits (at most two seconds) until the PLC's thread has published a mode `accepts`, sleeping as a task so
    /// no thread of the shared pool is held.
    func waitForMode(
        _ instance: PLCInstance, _ accepts: (CPUModeStateMachine.State) -> Bool
    ) async throws(EngineError) {
        let deadline = ContinuousClock.now + .seconds(2)
        while !accepts(instance.snapshot().mode) {
            guard ContinuousClock.now < deadline else {
                throw EngineError(
                    .conflict, "\(instance.device) did not change its mode (now \(instance.snapshot().mode))")
            }
            try? await Task.sleep(for: .milliseconds(2))
        }
    }
}

extension CPUModeStateMachine.State {
    /// Any STOP, whatever its cause.
    public var isStop: Bool {
        if case .stop = self { return true }
        return false
    }
}
