/// The time a virtual PLC runs on: the wall clock, the wall clock scaled, or stepped by the caller.
///
/// `now` is virtual time since the clock was created. In `.stepped` mode it moves only by `advance(by:)`, so a test
/// can run 100 cycles of 10 ms and see exactly one second pass, in no wall time.
public struct VirtualClock: Sendable {
    public enum Mode: Hashable, Sendable {
        case realTime
        /// Virtual time runs `factor` times as fast as the wall clock, 0.1...100.
        case scaled(Double)
        case stepped
    }

    public private(set) var mode: Mode
    private var anchorWall: ContinuousClock.Instant
    private var anchorVirtual: Duration = .zero
    private var stepped: Duration = .zero

    public init(mode: Mode) {
        self.mode = Self.clamped(mode)
        anchorWall = ContinuousClock.now
    }

    private static func clamped(_ mode: Mode) -> Mode {
        if case .scaled(let factor) = mode { return .scaled(min(max(factor, 0.1), 100)) }
        return mode
    }

    /// How fast virtual time runs against the wall clock (stepped: 1, for sleeping).
    public var factor: Double {
        if case .scaled(let factor) = mode { return factor }
        return 1
    }

    /// The current virtual time.
    public var now: Duration {
        switch mode {
        case .stepped: stepped
        case .realTime, .scaled: anchorVirtual + (ContinuousClock.now - anchorWall) * factor
        }
    }

    /// Moves stepped time forward; no effect in the other modes.
    public mutating func advance(by duration: Duration) {
        if mode == .stepped { stepped += duration }
    }

    /// Switches mode without a jump in virtual time.
    public mutating func setMode(_ newMode: Mode) {
        let current = now
        mode = Self.clamped(newMode)
        anchorVirtual = current
        anchorWall = ContinuousClock.now
        stepped = current
    }

    /// The wall-clock time `duration` of virtual time takes in this mode.
    public func wallDuration(of duration: Duration) -> Duration { duration / factor }
}

extension VirtualClock.Mode: CustomStringConvertible {
    /// `real time`, `scaled ×2`, `stepped`, as the PLC view and the audit log show it.
    public var description: String {
        switch self {
        case .realTime: "real time"
        case .scaled(let factor): "scaled ×\(Self.format(factor))"
        case .stepped: "stepped"
        }
    }

    private static func format(_ factor: Double) -> String {
        factor == factor.rounded() ? String(Int(factor)) : String(factor)
    }
}
