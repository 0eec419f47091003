/// The operating modes of the CPU and the transitions between them, without side effects: each method changes
/// the state and returns what the owner must do.
///
/// STOP → (run requested, program loaded) → STARTUP: run OB100 → RUN. RUN or STARTUP → STOP on request or on an
/// error. Memory reset and downloads happen in STOP.
public struct CPUModeStateMachine: Hashable, Sendable {
    public enum StopCause: String, Hashable, Sendable {
        /// Power-on: the CPU has not run yet.
        case initial
        case requested
        /// A programming error with no OB121, or a fault OB121 could not handle.
        case programmingError
        /// The cycle exceeded the maximum cycle time with no OB80, or twice the maximum.
        case timeError
        case memoryReset
    }

    public enum State: Hashable, Sendable {
        case stop(StopCause)
        case startup
        case run
    }

    public enum Action: Hashable, Sendable {
        case none
        /// Initialise non-retentive data and run the startup OBs, then call `startupFinished()`.
        case runStartup
        case enterRun
        /// Leave the cycle: outputs to 0 and write a diagnostic entry for the cause.
        case enterStop(StopCause)
        /// Clear the memory and reload the DBs' start values (the CPU stays in STOP).
        case resetMemory
        case loadProgram
        case reject(String)
    }

    public private(set) var state: State = .stop(.initial)

    public init() {}

    public var isRunning: Bool { state == .run }

    public mutating func requestRun(programLoaded: Bool) -> Action {
        guard case .stop = state else { return .none }
        guard programLoaded else { return .reject("no program is loaded") }
        state = .startup
        return .runStartup
    }

    public mutating func startupFinished() -> Action {
        guard state == .startup else { return .none }
        state = .run
        return .enterRun
    }

    public mutating func requestStop() -> Action {
        if case .stop = state { return .none }
        state = .stop(.requested)
        return .enterStop(.requested)
    }

    /// An error that stops the CPU, in any mode but STOP.
    public mutating func fail(_ cause: StopCause) -> Action {
        if case .stop = state { return .none }
        state = .stop(cause)
        return .enterStop(cause)
    }

    /// Memory reset: from RUN or STARTUP it first goes to STOP (as the mode switch's MRES position does).
    public mutating func requestMemoryReset() -> Action {
        state = .stop(.memoryReset)
        return .resetMemory
    }

    /// A download replaces the program; it needs STOP.
    public mutating func requestLoad() -> Action {
        guard case .stop = state else { return .reject("the CPU must be in STOP to load a program") }
        return .loadProgram
    }
}
