public import Foundation
public import S7Compiler
import Synchronization

/// What the virtual PLC refuses to do.
public enum PLCError: Error, Hashable, Sendable, CustomStringConvertible {
    case link(LinkError)
    case rejected(String)
    case memory(CPUMemoryError)

    public var description: String {
        switch self {
        case .link(let error): "cannot load the program: \(error)"
        case .rejected(let reason): reason
        case .memory(let error): error.description
        }
    }
}

/// A simulated S7-1500 CPU: memory, a loaded program, the mode state machine and the scan cycle on a virtual clock.
///
/// The cycle: apply queued writes and the staged input image, run the cyclic interrupt OBs that fell due, run the
/// program cycle OBs (OB1, then OB123 and up), check the cycle time, publish a snapshot. Outside code talks to it
/// only through the port (DESIGN.md decision 3): `write` queues a change applied at the start of the next cycle
/// (writes to `%I` go to the staged input image, as PLCSIM Advanced's input writes do), `snapshot()` returns the
/// image published at the end of the last cycle.
///
/// Stepped time (tests): `start()`, then `runCycles(100, cycleTime: .milliseconds(10))` runs one second of virtual
/// time as fast as it can. Real or scaled time: `startThread()` runs the cycle on a thread of its own until
/// `shutdown()`; control calls are then queued for that thread.
///
/// Thread safety: while the thread runs, the port and the control calls (`write`, `snapshot`, `load`, `start`,
/// `stop`, `memoryReset`) may be used from any thread. Without the thread (stepped time) they act at once, and the
/// PLC belongs to the one thread that calls them and `runCycles`; `snapshot()` may still be read from anywhere.
public final class VirtualPLC: @unchecked Sendable {
    // Sendable because engine state below is touched only by the thread that runs cycles (the PLC's own thread, or
    // the caller of `runCycles` and of control calls when no thread runs) and everything shared sits in `port`.

    public struct Configuration: Sendable {
        public var profile: CPUMemoryProfile
        public var clock: VirtualClock.Mode
        /// The cycle waits until this much virtual time has passed since it started (real and scaled time).
        public var minimumCycleTime: Duration
        /// A longer cycle calls OB80 if loaded, else the CPU goes to STOP; twice as long always stops it.
        public var maximumCycleTime: Duration
        public var diagnosticCapacity: Int
        /// The CPU's system time (UTC) at virtual time zero; it then follows virtual time (RD_SYS_T).
        public var systemTimeOrigin: Date
        /// Local time minus UTC, for RD_LOC_T (the CPU's time zone setting).
        public var localTimeOffset: Duration
        /// Memory bytes from MB0 that keep their values through a warm restart (TIA: PLC tags → Retain).
        public var retentiveMarkerBytes: Int

        public init(
            profile: CPUMemoryProfile = .s7_1500, clock: VirtualClock.Mode = .stepped,
            minimumCycleTime: Duration = .milliseconds(1), maximumCycleTime: Duration = .milliseconds(150),
            diagnosticCapacity: Int = 1000, systemTimeOrigin: Date = Date(),
            localTimeOffset: Duration = .seconds(TimeZone.current.secondsFromGMT()), retentiveMarkerBytes: Int = 0
        ) {
            self.profile = profile
            self.clock = clock
            self.minimumCycleTime = minimumCycleTime
            self.maximumCycleTime = maximumCycleTime
            self.diagnosticCapacity = diagnosticCapacity
            self.systemTimeOrigin = systemTimeOrigin
            self.localTimeOffset = localTimeOffset
            self.retentiveMarkerBytes = retentiveMarkerBytes
        }
    }

    /// Cycle times: `last`, `minimum`, `maximum`, `average` of the cycle in virtual time (in stepped mode the step),
    /// and the wall-clock time the VM took to execute the last cycle and on average.
    public struct CycleStatistics: Hashable, Sendable {
        public var count = 0
        public var last: Duration = .zero
        public var minimum: Duration = .zero
        public var maximum: Duration = .zero
        public var average: Duration = .zero
        public var lastExecution: Duration = .zero
        public var averageExecution: Duration = .zero
        public var minimumExecution: Duration = .zero
        public var maximumExecution: Duration = .zero
        var total: Duration = .zero
        var totalExecution: Duration = .zero

        mutating func record(cycle: Duration, execution: Duration) {
            count += 1
            last = cycle
            minimum = count == 1 ? cycle : min(minimum, cycle)
            maximum = max(maximum, cycle)
            total += cycle
            average = total / count
            lastExecution = execution
            minimumExecution = count == 1 ? execution : min(minimumExecution, execution)
            maximumExecution = max(maximumExecution, execution)
            totalExecution += execution
            averageExecution = totalExecution / count
        }
    }

    /// The state published at the end of a cycle (or of a mode change).
    public struct Snapshot: Sendable {
        public var memory: CPUMemorySnapshot
        public var mode: CPUModeStateMachine.State
        /// Cycles run since the last transition to RUN.
        public var cycle: Int
        public var virtualTime: Duration
        public var statistics: CycleStatistics
        /// How virtual time runs now (it can change while the PLC runs).
        public var clockMode: VirtualClock.Mode = .stepped
        /// The minimum cycle time in real and scaled time (TIA's cycle setting; it can change while the PLC runs).
        public var minimumCycleTime: Duration = .zero
        var diagnosticBuffer: DiagnosticBuffer
        /// The forced inputs and outputs, in the order they were forced.
        public var forces: [Write] = []

        /// The diagnostic buffer, newest entry first.
        public var diagnostics: [DiagnosticEntry] { diagnosticBuffer.entries }
    }

    /// A change queued through the port.
    public enum Write: Hashable, Sendable {
        case bytes(MemoryAreaKind, offset: Int, [UInt8])
        case bit(MemoryAreaKind, offset: Int, bit: Int, Bool)
    }

    private enum Command {
        case start, stop, memoryReset
        case install(VMBox)
        case setClock(VirtualClock.Mode)
        case setMinimumCycleTime(Duration)
    }

    /// Cycles asked for in stepped time while the thread runs, and who waits for them.
    private struct StepRequest {
        var count: Int
        var cycleTime: Duration
        var done: @Sendable () -> Void
    }

    private final class VMBox: @unchecked Sendable {
        // Handed from the loading thread to the cycle thread once, through the port's lock.
        let vm: BytecodeVM
        init(_ vm: BytecodeVM) { self.vm = vm }
    }

    private struct PortState: ~Copyable {
        var writes: [Write] = []
        var forces: [Write] = []
        var commands: [Command] = []
        var stagedInputs: MemoryArea
        /// The input bits something outside has written (byte offset → bit mask): the simulated input modules. The
        /// process image update copies only these, so inputs no module drives keep what the program wrote, as on a
        /// CPU whose input addresses have no module.
        var drivenInputs: [Int: UInt8] = [:]
        var published: Snapshot
        var steps: [StepRequest] = []
        var threadRunning = false
        var shutdownRequested = false
        /// Programs installed so far (`load` waits for its own).
        var installs = 0
    }

    public let configuration: Configuration
    private let port: Mutex<PortState>
    private let threadDone = DispatchSemaphore(value: 0)

    // Engine state, owned by the cycle thread.
    private var memory: CPUMemory
    private var clock: VirtualClock
    /// The minimum cycle time now (the configuration's until changed).
    private var minimumCycleTime: Duration
    private var modes = CPUModeStateMachine()
    private var vm: BytecodeVM?
    private var diagnostics: DiagnosticBuffer
    private var statistics = CycleStatistics()
    private var cycleCount = 0
    private var lastCycleStart: Duration = .zero
    private var cyclicOBs: [(block: Int, period: Duration, nextDue: Duration, phase: Duration)] = []
    private var programCycleOBs: [Int] = []
    private var startupOBs: [Int] = []
    private var timeErrorOB: Int?
    private let traceHandler: Mutex<(@Sendable (TraceRecord) -> Void)?> = Mutex(nil)

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        minimumCycleTime = configuration.minimumCycleTime
        memory = CPUMemory(profile: configuration.profile)
        clock = VirtualClock(mode: configuration.clock)
        diagnostics = DiagnosticBuffer(capacity: configuration.diagnosticCapacity)
        let initial = Snapshot(
            memory: memory.snapshot(), mode: .stop(.initial), cycle: 0, virtualTime: .zero,
            statistics: CycleStatistics(), clockMode: clock.mode, minimumCycleTime: minimumCycleTime,
            diagnosticBuffer: diagnostics)
        port = Mutex(PortState(stagedInputs: memory.inputs, published: initial))
    }

    deinit {
        shutdown()
    }

    // MARK: - Port

    /// The image published at the end of the last cycle or mode change.
    public func snapshot() -> Snapshot { port.withLock { $0.published } }

    /// Queues `write` for the start of the next cycle; in STOP it is applied at once (as TIA writes a DB in STOP).
    /// Fails if the address is outside the area or the DB does not exist.
    public func write(_ write: Write) throws(PLCError) {
        try port.withLock { state throws(PLCError) in
            let (kind, offset, count, bit): (MemoryAreaKind, Int, Int, Int?) =
                switch write {
                case .bytes(let kind, let offset, let bytes): (kind, offset, bytes.count, nil)
                case .bit(let kind, let offset, let bit, _): (kind, offset, 1, bit)
                }
            let size: Int
            if kind == .input {
                size = state.stagedInputs.count
            } else if let area = state.published.memory.area(kind) {
                size = area.count
            } else {
                throw .memory(.noSuchArea(kind))
            }
            guard offset >= 0, offset + count <= size, (bit ?? 0) >= 0, (bit ?? 0) <= 7 else {
                throw .memory(
                    .access(MemoryAccessError(area: kind, offset: offset, size: count, areaSize: size, bit: bit)))
            }
            if kind == .input {
                switch write {
                case .bytes(_, let offset, let bytes):
                    try? state.stagedInputs.setBytes(bytes, at: offset)
                    for index in offset..<(offset + bytes.count) { state.drivenInputs[index] = 0xFF }
                case .bit(_, let offset, let bit, let value):
                    try? state.stagedInputs.setBit(at: offset, bit, to: value)
                    state.drivenInputs[offset, default: 0] |= 1 << UInt8(bit)
                }
            } else {
                state.writes.append(write)
            }
        }
        if !isThreaded { processCommands(applyWrites: !modes.isRunning) }
    }

    /// Forces an input or output: the value is written at every cycle start (inputs after the process image is
    /// read) and again after the program (outputs), so the program cannot change it; a new force on the same
    /// address replaces the old one. As on an S7-1500 only I and Q can be forced (`modify` writes the rest once).
    public func force(_ write: Write) throws(PLCError) {
        let kind: MemoryAreaKind
        switch write {
        case .bytes(let area, _, _), .bit(let area, _, _, _): kind = area
        }
        guard kind == .input || kind == .output else {
            throw .rejected("an S7-1500 forces only inputs and outputs (%I, %Q); modify other operands instead")
        }
        try self.write(write)
        port.withLock { state in
            state.forces.removeAll { Self.sameAddress($0, write) }
            state.forces.append(write)
            state.published.forces = state.forces
        }
    }

    /// Removes the force on the address `write` names (its value is not looked at); false if there was none.
    @discardableResult
    public func unforce(_ write: Write) -> Bool {
        port.withLock { state in
            let before = state.forces.count
            state.forces.removeAll { Self.sameAddress($0, write) }
            state.published.forces = state.forces
            return state.forces.count != before
        }
    }

    /// Removes every force.
    public func unforceAll() {
        port.withLock { state in
            state.forces.removeAll()
            state.published.forces = []
        }
    }

    private static func sameAddress(_ a: Write, _ b: Write) -> Bool {
        switch (a, b) {
        case (.bit(let k1, let o1, let b1, _), .bit(let k2, let o2, let b2, _)): k1 == k2 && o1 == o2 && b1 == b2
        case (.bytes(let k1, let o1, let v1), .bytes(let k2, let o2, let v2)):
            k1 == k2 && o1 == o2 && v1.count == v2.count
        default: false
        }
    }

    /// Called with every executed instruction while set; slows the VM down a lot. Takes effect at the next cycle.
    public func setTrace(_ handler: (@Sendable (TraceRecord) -> Void)?) {
        traceHandler.withLock { $0 = handler }
    }

    // MARK: - Control

    /// Downloads `program` (the CPU must be in STOP): links it and creates its DBs with their start values.
    /// Returns a ticket: `isInstalled(ticket)` tells when the PLC's thread has installed and published the program
    /// (at once without a thread). Callers that read or write the new DBs right after a load wait for it, so that the
    /// install does not undo their writes.
    @discardableResult
    public func load(_ program: CompiledProgram) throws(PLCError) -> Int {
        guard case .stop = port.withLock({ $0.published.mode }) else {
            throw .rejected("the CPU must be in STOP to load a program")
        }
        do {
            let vm = try BytecodeVM(program: program, profile: configuration.profile)
            for db in program.dataBlocks where !configuration.profile.dataBlockNumbers.contains(db.number) {
                throw PLCError.memory(
                    .dataBlockNumberOutOfRange(db.number, allowed: configuration.profile.dataBlockNumbers))
            }
            let before = port.withLock { $0.installs }
            send(.install(VMBox(vm)))
            return before + 1
        } catch let error as LinkError {
            throw .link(error)
        } catch let error as PLCError {
            throw error
        } catch {
            throw .rejected("\(error)")
        }
    }

    /// Whether the program of a `load` ticket is installed (or was refused: the diagnostic buffer says so), or the
    /// thread has stopped.
    public func isInstalled(_ ticket: Int) -> Bool {
        port.withLock { $0.installs >= ticket || !$0.threadRunning }
    }

    /// STOP → STARTUP (OB100) → RUN.
    public func start() { send(.start) }
    public func stop() { send(.stop) }
    /// Memory reset: STOP, clear I, Q, M, timers, counters, reload the DBs' start values. The program and the
    /// diagnostic buffer stay.
    public func memoryReset() { send(.memoryReset) }

    /// Switches between real, scaled and stepped time without a jump in virtual time (PLCSIM Advanced's time
    /// modes). In stepped time the thread runs no cycles of its own; `step(cycles:cycleTime:)` runs them.
    public func setClockMode(_ mode: VirtualClock.Mode) { send(.setClock(mode)) }

    /// Sets the minimum cycle time of real and scaled time (from the next cycle; published in the snapshot).
    public func setMinimumCycleTime(_ duration: Duration) { send(.setMinimumCycleTime(duration)) }

    private var isThreaded: Bool { port.withLock { $0.threadRunning } }

    private func send(_ command: Command) {
        port.withLock { $0.commands.append(command) }
        if !isThreaded { processCommands(applyWrites: !modes.isRunning) }
    }

    // MARK: - Stepped time

    /// Runs `count` cycles of `cycleTime` virtual time each, back to back (in real or scaled mode without the thread
    /// the clock gives the time instead). In STOP the cycles only process queued commands and let time pass.
    public func runCycles(_ count: Int, cycleTime: Duration) {
        precondition(!isThreaded, "runCycles is for stepped time without the PLC thread")
        for _ in 0..<count { cycle(step: cycleTime) }
    }

    /// Runs exactly `count` cycles of `cycleTime` virtual time each and returns the image after the last one.
    /// The PLC must be in stepped time; with the thread running the cycles run on it, without on the caller.
    public func step(cycles count: Int, cycleTime: Duration) async throws(PLCError) -> Snapshot {
        guard count >= 0 else { throw .rejected("the number of cycles must not be negative") }
        guard cycleTime > .zero else { throw .rejected("the cycle time must be positive") }
        guard snapshot().clockMode == .stepped else {
            throw .rejected("cycles are stepped only in stepped time; switch the time mode to stepped first")
        }
        if !isThreaded {
            runCycles(count, cycleTime: cycleTime)
            return snapshot()
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let queued = port.withLock { state in
                guard state.threadRunning, !state.shutdownRequested else { return false }
                state.steps.append(StepRequest(count: count, cycleTime: cycleTime) { continuation.resume() })
                return true
            }
            if !queued { continuation.resume() }
        }
        return snapshot()
    }

    // MARK: - Own thread

    /// Runs cycles on a thread of its own, paced by the clock (real or scaled time), until `shutdown()`.
    public func startThread() {
        let already = port.withLock { state in
            if state.threadRunning { return true }
            state.threadRunning = true
            state.shutdownRequested = false
            return false
        }
        if already { return }
        let thread = Thread { [self] in
            threadLoop()
            threadDone.signal()
        }
        thread.name = "s7wb VirtualPLC"
        thread.start()
    }

    /// Stops the thread after its current cycle and waits for it.
    public func shutdown() {
        let running = port.withLock { state in
            state.shutdownRequested = true
            return state.threadRunning
        }
        if running {
            threadDone.wait()
            let waiting = port.withLock { state in
                state.threadRunning = false
                defer { state.steps.removeAll() }
                return state.steps
            }
            for request in waiting { request.done() }
        }
    }

    private func threadLoop() {
        while !port.withLock({ $0.shutdownRequested }) {
            if let request = port.withLock({ $0.steps.isEmpty ? nil : $0.steps.removeFirst() }) {
                for _ in 0..<request.count where clock.mode == .stepped { cycle(step: request.cycleTime) }
                publish()
                request.done()
                continue
            }
            if clock.mode == .stepped {
                // Stepped time moves only on request; serve commands and, outside RUN, writes meanwhile.
                processCommands(applyWrites: !modes.isRunning)
                Thread.sleep(forTimeInterval: 0.002)
                continue
            }
            let start = clock.now
            cycle(step: minimumCycleTime)
            let idle = modes.isRunning ? minimumCycleTime : .milliseconds(10)
            let remaining = start + idle - clock.now
            if remaining > .zero {
                let wall = clock.wallDuration(of: remaining)
                let seconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) * 1e-18
                Thread.sleep(forTimeInterval: seconds)
            }
        }
    }

    // MARK: - The cycle

    /// Applies the queued commands; with `applyWrites` also the queued writes (outside RUN).
    private func processCommands(applyWrites: Bool) {
        let (commands, writes) = port.withLock { state in
            let commands = state.commands
            state.commands.removeAll()
            var writes: [Write] = []
            if applyWrites {
                writes = state.writes
                state.writes.removeAll()
            }
            return (commands, writes)
        }
        for command in commands { handle(command) }
        apply(writes)
        if !commands.isEmpty || !writes.isEmpty { publish() }
    }

    private func handle(_ command: Command) {
        switch command {
        case .start: perform(modes.requestRun(programLoaded: vm != nil))
        case .stop: perform(modes.requestStop())
        case .memoryReset: perform(modes.requestMemoryReset())
        case .setClock(let mode):
            clock.setMode(mode)
            lastCycleStart = clock.now
        case .setMinimumCycleTime(let duration):
            minimumCycleTime = duration
        case .install(let box):
            // Counted also when refused, so that `load` stops waiting.
            defer { port.withLock { $0.installs += 1 } }
            guard modes.requestLoad() == .loadProgram else {
                log(DiagnosticEventID.programLoaded, "download rejected: the CPU is not in STOP")
                return
            }
            install(box.vm)
            publish()
        }
    }

    private func perform(_ action: CPUModeStateMachine.Action) {
        switch action {
        case .none, .loadProgram: break
        case .reject(let reason): log(DiagnosticEventID.stopRequested, "request rejected: \(reason)")
        case .runStartup:
            log(DiagnosticEventID.stopToStartup, "mode transition STOP to STARTUP")
            runStartup()
        case .enterRun:
            log(DiagnosticEventID.startupToRun, "mode transition STARTUP to RUN")
        case .enterStop(let cause):
            memory.outputs.fill()
            let id = cause == .requested ? DiagnosticEventID.stopRequested : DiagnosticEventID.stopByError
            log(id, "mode transition to STOP (\(cause.rawValue))")
        case .resetMemory:
            resetMemory()
            log(DiagnosticEventID.memoryReset, "memory reset")
        }
    }

    private func install(_ newVM: BytecodeVM) {
        vm = newVM
        let program = newVM.program
        memory.removeAllDataBlocks()
        for db in program.dataBlocks { memory.resetDataBlock(number: db.number, to: db.bytes) }
        programCycleOBs = program.blocks.indices.filter { program.blocks[$0].event == .programCycle }
            .sorted { program.blocks[$0].number < program.blocks[$1].number }
        startupOBs = program.blocks.indices.filter { program.blocks[$0].event == .startup }
            .sorted { program.blocks[$0].number < program.blocks[$1].number }
        timeErrorOB = program.blocks.indices.first { program.blocks[$0].event == .timeError }
        cyclicOBs = program.blocks.indices.compactMap { index in
            guard case .cyclicInterrupt(let period, let phase) = program.blocks[index].event, period > .zero else {
                return nil
            }
            return (index, period, .zero, phase)
        }.sorted { program.blocks[$0.block].number < program.blocks[$1.block].number }
        log(
            DiagnosticEventID.programLoaded,
            "program loaded: \(program.blocks.count) blocks, \(program.dataBlocks.count) DBs")
    }

    /// Clears the areas a warm restart or memory reset initialises and reloads the DBs' start values.
    private func resetMemory() {
        memory.inputs.fill()
        port.withLock { state in
            state.stagedInputs.fill()
            state.drivenInputs = [:]
        }
        memory.outputs.fill()
        memory.markers.fill()
        memory.timers.fill()
        memory.counters.fill()
        if let program = vm?.program {
            for db in program.dataBlocks { memory.resetDataBlock(number: db.number, to: db.bytes) }
        }
    }

    /// Warm restart: non-retentive data to their start values, retentive data (DB members declared retentive, the
    /// first `retentiveMarkerBytes` of M) kept, then OB100 and RUN.
    private func runStartup() {
        guard let vm else { return }
        memory.outputs.fill()
        let keep = min(configuration.retentiveMarkerBytes, memory.markers.count)
        let retained = (try? memory.markers.bytes(at: 0, count: keep)) ?? []
        memory.markers.fill()
        for (offset, byte) in retained.enumerated() { try? memory.markers.setByte(byte, at: offset) }
        memory.timers.fill()
        memory.counters.fill()
        for db in vm.program.dataBlocks {
            memory.resetDataBlock(number: db.number, to: db.restarted(from: memory.dataBlocks[db.number]?.bytes ?? []))
        }
        let now = clock.now
        setClock(vm, now)
        vm.bind(&memory)
        vm.trace = traceHandler.withLock { $0 }
        var ok = true
        for ob in startupOBs where ok { ok = runOB(ob) }
        guard ok else { return }
        cycleCount = 0
        lastCycleStart = now
        statistics = CycleStatistics()
        for index in cyclicOBs.indices {
            cyclicOBs[index].nextDue = now + cyclicOBs[index].phase + cyclicOBs[index].period
        }
        perform(modes.startupFinished())
    }

    /// Runs one OB and turns its faults into diagnostic entries; false if the CPU went to STOP.
    private func runOB(_ index: Int) -> Bool {
        guard let vm else { return false }
        let ok = vm.run(block: index)
        if !vm.faults.isEmpty {
            let timeNow = clock.now
            for (fault, block, instruction) in vm.faults {
                let compiled = vm.program.blocks[block]
                let position = compiled.sourcePosition(ofInstruction: instruction)
                let where_ = compiled.sourceDescription(ofInstruction: instruction).map { " " + $0 } ?? ""
                diagnostics.append(
                    time: timeNow, eventID: fault.eventID,
                    text: "programming error in \(compiled.displayName)\(where_): \(fault.text)",
                    block: compiled.displayName, line: position?.line, column: position?.column)
            }
            let watchdog = vm.faults.contains { $0.fault == .cycleWatchdog }
            vm.faults.removeAll()
            if !ok || vm.stopRequested {
                vm.stopRequested = false
                perform(modes.fail(watchdog ? .timeError : .programmingError))
                return false
            }
        }
        return ok
    }

    private func cycle(step: Duration) {
        processCommands(applyWrites: false)
        if clock.mode == .stepped { clock.advance(by: step) }
        guard modes.isRunning, let vm else {
            processCommands(applyWrites: true)
            publish()
            return
        }
        let now = clock.now
        let (writes, forces) = port.withLock { state in
            let writes = state.writes
            if !writes.isEmpty { state.writes.removeAll() }
            for (offset, mask) in state.drivenInputs {
                guard let staged = try? state.stagedInputs.byte(at: offset),
                    let current = try? memory.inputs.byte(at: offset)
                else { continue }
                try? memory.inputs.setByte(current & ~mask | staged & mask, at: offset)
            }
            return (writes, state.forces)
        }
        apply(writes)
        apply(forces)
        setClock(vm, now)
        vm.bind(&memory)
        vm.trace = traceHandler.withLock { $0 }
        let wallStart = ContinuousClock.now
        vm.watchdogDeadline = wallStart + clock.wallDuration(of: configuration.maximumCycleTime * 2)
        var ok = true
        for index in cyclicOBs.indices where ok {
            while ok && cyclicOBs[index].nextDue <= now {
                cyclicOBs[index].nextDue += cyclicOBs[index].period
                ok = runOB(cyclicOBs[index].block)
            }
        }
        for ob in programCycleOBs where ok { ok = runOB(ob) }
        apply(forces)
        let execution = ContinuousClock.now - wallStart
        let cycleTime = clock.mode == .stepped ? step : max(now - lastCycleStart, clock.now - now)
        lastCycleStart = now
        if ok {
            cycleCount += 1
            statistics.record(cycle: cycleTime, execution: execution)
            let exceeded = clock.mode == .stepped ? step : clock.now - now
            if exceeded > configuration.maximumCycleTime {
                log(DiagnosticEventID.cycleTimeExceeded, "cycle time \(exceeded) exceeds the maximum cycle time")
                if let timeErrorOB {
                    _ = runOB(timeErrorOB)
                } else {
                    perform(modes.fail(.timeError))
                }
            }
        }
        publish()
    }

    private func apply(_ writes: [Write]) {
        for write in writes {
            switch write {
            case .bytes(let kind, let offset, let bytes):
                _ = try? memory.modify(kind) { area throws(MemoryAccessError) in try area.setBytes(bytes, at: offset) }
            case .bit(let kind, let offset, let bit, let value):
                _ = try? memory.modify(kind) { area throws(MemoryAccessError) in
                    try area.setBit(at: offset, bit, to: value)
                }
            }
        }
    }

    private func publish() {
        var snapshot = Snapshot(
            memory: memory.snapshot(), mode: modes.state, cycle: cycleCount, virtualTime: clock.now,
            statistics: statistics, clockMode: clock.mode, minimumCycleTime: minimumCycleTime,
            diagnosticBuffer: diagnostics)
        port.withLock { state in
            snapshot.forces = state.forces
            state.published = snapshot
        }
    }

    private func log(_ id: UInt16, _ text: String) {
        diagnostics.append(time: clock.now, eventID: id, text: text)
    }

    /// Gives the VM the virtual clock for timers and the system time that follows it.
    private func setClock(_ vm: BytecodeVM, _ now: Duration) {
        vm.nowMilliseconds = Self.milliseconds(now)
        vm.nowNanoseconds = Self.nanoseconds(now)
        let origin = Int64((configuration.systemTimeOrigin.timeIntervalSince1970 * 1e9).rounded())
        vm.systemTime = origin &+ Self.nanoseconds(now)
        vm.localTimeOffset = Self.nanoseconds(configuration.localTimeOffset)
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000
    }

    private static func milliseconds(_ duration: Duration) -> UInt32 {
        let (seconds, attoseconds) = duration.components
        return UInt32(truncatingIfNeeded: seconds &* 1000 &+ attoseconds / 1_000_000_000_000_000)
    }
}
