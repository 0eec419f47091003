/// Event ids of the diagnostic buffer entries the virtual PLC writes. Numbers are s7wb's own, grouped as S7 groups
/// them: 0x2xxx programming and time errors, 0x4xxx mode transitions.
public enum DiagnosticEventID {
    public static let divisionByZero: UInt16 = 0x2520
    public static let arrayIndexError: UInt16 = 0x2521
    public static let areaLengthError: UInt16 = 0x2522
    public static let stackOverflow: UInt16 = 0x2530
    public static let cycleTimeExceeded: UInt16 = 0x3501
    public static let stopToStartup: UInt16 = 0x4302
    public static let startupToRun: UInt16 = 0x4303
    public static let stopRequested: UInt16 = 0x4304
    public static let stopByError: UInt16 = 0x4305
    public static let memoryReset: UInt16 = 0x4306
    public static let programLoaded: UInt16 = 0x4307
}

/// One entry of the diagnostic buffer, as TIA's online diagnostics lists it.
public struct DiagnosticEntry: Hashable, Sendable {
    /// Counts every entry ever written, starting at 1, so a reader can tell which entries are new.
    public var sequence: Int
    /// Virtual time since the PLC was created.
    public var time: Duration
    public var eventID: UInt16
    public var text: String
    /// The block the event happened in, as `OB1 "Main"`.
    public var block: String?
    public var line: Int?
    public var column: Int?

    public init(
        sequence: Int, time: Duration, eventID: UInt16, text: String, block: String? = nil, line: Int? = nil,
        column: Int? = nil
    ) {
        self.sequence = sequence
        self.time = time
        self.eventID = eventID
        self.text = text
        self.block = block
        self.line = line
        self.column = column
    }
}

/// A ring of the newest `capacity` entries; older ones are dropped as on the CPU.
public struct DiagnosticBuffer: Hashable, Sendable {
    public let capacity: Int
    private var ring: [DiagnosticEntry] = []
    private var next = 0
    public private(set) var written = 0

    public init(capacity: Int = 1000) {
        precondition(capacity > 0, "a diagnostic buffer holds at least one entry")
        self.capacity = capacity
    }

    /// Appends an entry with the next sequence number.
    public mutating func append(
        time: Duration, eventID: UInt16, text: String, block: String? = nil, line: Int? = nil, column: Int? = nil
    ) {
        written += 1
        let entry = DiagnosticEntry(
            sequence: written, time: time, eventID: eventID, text: text, block: block, line: line, column: column)
        if ring.count < capacity {
            ring.append(entry)
        } else {
            ring[next] = entry
        }
        next = (next + 1) % capacity
    }

    /// The entries, newest first.
    public var entries: [DiagnosticEntry] {
        if ring.count < capacity { return ring.reversed() }
        return (Array(ring[next...]) + Array(ring[..<next])).reversed()
    }
}
