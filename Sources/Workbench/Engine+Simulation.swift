import Foundation
public import S7Compiler
public import S7Model
public import S7Runtime

/// What `Engine.runProgram` reports: the watched values after the last cycle, cycle statistics and the diagnostic
/// buffer.
public struct ProgramRun: Sendable {
    public var device: String
    public var cycles: Int
    public var mode: CPUModeStateMachine.State
    public var values: [(operand: String, value: PLCValue)]
    public var statistics: VirtualPLC.CycleStatistics
    public var diagnostics: [DiagnosticEntry]
    public var virtualTime: Duration
}

/// How `Engine.runProgram` drives the virtual PLC's time.
public enum RunTiming: Sendable {
    /// Exactly `cycles` cycles of `cycleTime` virtual time each, as fast as the machine allows.
    case stepped(cycles: Int, cycleTime: Duration)
    /// On the PLC's own thread, virtual time running `speed` times as fast as the wall clock (1 = real time,
    /// 0.1…100), cycles at least `minimumCycleTime` apart, for `duration` of wall time or until the task is
    /// cancelled (Ctrl-C).
    case realTime(speed: Double, minimumCycleTime: Duration, duration: Duration?)
}

extension Engine {
    /// The device to compile: the named one, else the only PLC of the project.
    public func plcDevice(_ name: String?, sessionID: String? = nil) throws(EngineError) -> Device {
        if let name { return try device(name, sessionID: sessionID) }
        let plcs = try project(sessionID: sessionID).devices.filter { $0.kind == .plc }
        guard plcs.count == 1 else {
            throw EngineError(
                .invalidInput,
                plcs.isEmpty
                    ? "the project has no PLC"
                    : "the project has \(plcs.count) PLCs: name one with --device "
                        + "(\(plcs.map(\.name).joined(separator: ", ")))")
        }
        return plcs[0]
    }

    /// Compiles the SCL blocks of a PLC (`s7wb compile`, `POST /api/…/compile`).
    public func compile(
        device name: String? = nil, sessionID: String? = nil
    ) throws(EngineError) -> (
        device: Device, result: CompilationResult
    ) {
        let device = try plcDevice(name, sessionID: sessionID)
        let library = try project(sessionID: sessionID).library
        return (device, DeviceCompiler.compile(device, library: library))
    }

    /// Compiles a PLC, loads it into a virtual PLC in stepped time, applies `sets` at the start of the first cycle (after OB100), runs
    /// `cycles` cycles of `cycleTime` and reads `watch` afterwards (`s7wb run`). Fails when nothing compiles or an
    /// operand cannot be resolved; blocks with errors are left out as the compiler reports.
    public func runProgram(
        device name: String? = nil, cycles: Int, cycleTime: Duration, sets: [(operand: String, literal: String)],
        watch: [String], sessionID: String? = nil
    ) async throws(EngineError) -> ProgramRun {
        try await runProgram(
            device: name, timing: .stepped(cycles: cycles, cycleTime: cycleTime), sets: sets, watch: watch,
            sessionID: sessionID)
    }

    /// Compiles a PLC and runs it as `timing` says (`s7wb run`): `sets` are applied at the start of the first
    /// cycle (after OB100), `watch` is read after the last one and, in real time, handed to `progress` about once
    /// a second of wall time.
    public func runProgram(
        device name: String? = nil, timing: RunTiming, sets: [(operand: String, literal: String)],
        watch: [String], sessionID: String? = nil, progress: (@Sendable (ProgramRun) -> Void)? = nil
    ) async throws(EngineError) -> ProgramRun {
        let (device, result) = try compile(device: name, sessionID: sessionID)
        let library = try project(sessionID: sessionID).library
        let locator = OperandLocator(device: device, library: library)
        func locate(_ operand: String) throws(EngineError) -> OperandLocation {
            do { return try locator.locate(operand) } catch { throw EngineError(.invalidInput, error.description) }
        }
        var configuration = VirtualPLC.Configuration()
        if case .realTime(let speed, let minimumCycleTime, _) = timing {
            configuration.clock = speed == 1 ? .realTime : .scaled(speed)
            configuration.minimumCycleTime = minimumCycleTime
        }
        let plc = VirtualPLC(configuration: configuration)
        do { try plc.load(result.program) } catch { throw EngineError(.conflict, error.description) }
        plc.start()
        // Set after STARTUP (which loads the start values), applied at the start of the first cycle.
        for set in sets {
            let location = try locate(set.operand)
            let value: PLCValue
            do { value = try PLCValue.parse(set.literal, as: location.dataType) } catch {
                throw EngineError(.invalidInput, "\(set.operand): \(error.description)")
            }
            do { try plc.write(value, at: location) } catch { throw EngineError(.invalidInput, error.description) }
        }
        let locations = try watch.map { operand throws(EngineError) in (operand, try locate(operand)) }
        func report(_ snapshot: VirtualPLC.Snapshot) throws(EngineError) -> ProgramRun {
            var values: [(String, PLCValue)] = []
            for (operand, location) in locations {
                do { values.append((operand, try snapshot.memory.value(at: location))) } catch {
                    throw EngineError(.invalidInput, "\(operand): \(error.description)")
                }
            }
            return ProgramRun(
                device: device.name, cycles: snapshot.cycle, mode: snapshot.mode, values: values,
                statistics: snapshot.statistics, diagnostics: snapshot.diagnostics, virtualTime: snapshot.virtualTime)
        }
        switch timing {
        case .stepped(let cycles, let cycleTime):
            plc.runCycles(cycles, cycleTime: cycleTime)
        case .realTime(_, _, let duration):
            plc.startThread()
            let clock = ContinuousClock()
            let start = clock.now
            var nextReport = start + .seconds(1)
            while !Task.isCancelled, duration.map({ clock.now - start < $0 }) ?? true {
                try? await Task.sleep(for: .milliseconds(20))
                if let progress, clock.now >= nextReport {
                    nextReport += .seconds(1)
                    progress(try report(plc.snapshot()))
                }
            }
            plc.shutdown()
        }
        return try report(plc.snapshot())
    }
}
