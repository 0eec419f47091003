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
    ) throws(EngineError) -> ProgramRun {
        let (device, result) = try compile(device: name, sessionID: sessionID)
        let library = try project(sessionID: sessionID).library
        let locator = OperandLocator(device: device, library: library)
        func locate(_ operand: String) throws(EngineError) -> OperandLocation {
            do { return try locator.locate(operand) } catch { throw EngineError(.invalidInput, error.description) }
        }
        let plc = VirtualPLC()
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
        plc.runCycles(cycles, cycleTime: cycleTime)
        let snapshot = plc.snapshot()
        var values: [(String, PLCValue)] = []
        for operand in watch {
            let location = try locate(operand)
            do { values.append((operand, try snapshot.memory.value(at: location))) } catch {
                throw EngineError(.invalidInput, "\(operand): \(error.description)")
            }
        }
        return ProgramRun(
            device: device.name, cycles: snapshot.cycle, mode: snapshot.mode, values: values,
            statistics: snapshot.statistics, diagnostics: snapshot.diagnostics, virtualTime: snapshot.virtualTime)
    }
}
