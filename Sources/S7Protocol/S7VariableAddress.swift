/// The memory areas an S7 ANY pointer addresses (the area byte of a read/write item).
public enum S7Area: UInt8, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Peripheral I/O (`%IW256:P`, `%QW256:P`).
    case peripheral = 0x80
    case inputs = 0x81
    case outputs = 0x82
    case markers = 0x83
    case dataBlock = 0x84
    case instanceDataBlock = 0x85
    case localData = 0x86
    /// S5 counters (`C`), two bytes each.
    case counters = 0x1C
    /// S5 timers (`T`), two bytes each.
    case timers = 0x1D

    public var description: String {
        switch self {
        case .peripheral: "P"
        case .inputs: "I"
        case .outputs: "Q"
        case .markers: "M"
        case .dataBlock: "DB"
        case .instanceDataBlock: "DI"
        case .localData: "L"
        case .counters: "C"
        case .timers: "T"
        }
    }
}

/// The element type of a read/write item (the ANY pointer's transport size).
public enum S7TransportSize: UInt8, Hashable, Sendable, CaseIterable {
    case bit = 0x01
    case byte = 0x02
    case char = 0x03
    case word = 0x04
    case int = 0x05
    case dword = 0x06
    case dint = 0x07
    case real = 0x08
    case date = 0x09
    case timeOfDay = 0x0A
    case time = 0x0B
    case s5Time = 0x0C
    case dateAndTime = 0x0F
    case counter = 0x1C
    case timer = 0x1D

    /// Bytes per element (a bit occupies one byte on the wire).
    public var elementSize: Int {
        switch self {
        case .bit, .byte, .char: 1
        case .word, .int, .date, .s5Time, .counter, .timer: 2
        case .dword, .dint, .real, .timeOfDay, .time: 4
        case .dateAndTime: 8
        }
    }

    /// Timers and counters are addressed by number, everything else by bit address.
    public var addressesByNumber: Bool { self == .counter || self == .timer }
}

/// The transport size of an item in the data section (how its length is counted).
public enum S7DataTransportSize: UInt8, Hashable, Sendable {
    /// An error item: no data.
    case null = 0x00
    /// A bit; the length is in bits (1).
    case bit = 0x03
    /// Bytes, words, double words; the length is in bits.
    case byteWordDWord = 0x04
    /// Integers; the length is in bits.
    case integer = 0x05
    /// REAL; the length is in bytes.
    case real = 0x07
    /// An octet string (timers, counters, user data); the length is in bytes.
    case octetString = 0x09

    /// Whether the data section's length field counts bits.
    public var lengthInBits: Bool { self == .byteWordDWord || self == .integer }

    /// The size an answer to an item of `size` uses, as an S7-1500 answers.
    public init(answering size: S7TransportSize) {
        switch size {
        case .bit: self = .bit
        case .int, .dint: self = .integer
        case .real: self = .real
        case .counter, .timer, .char, .date, .timeOfDay, .time, .s5Time, .dateAndTime: self = .octetString
        case .byte, .word, .dword: self = .byteWordDWord
        }
    }
}

/// One variable of a read or write job: an S7 ANY pointer (12 bytes, syntax id 0x10).
///
/// `%DB7.DBW2` is `area: .dataBlock, dbNumber: 7, transportSize: .byte, count: 2, byteOffset: 2`; `%M20.3` is
/// `area: .markers, transportSize: .bit, count: 1, byteOffset: 20, bit: 3`; counter C5 is `area: .counters,
/// transportSize: .counter, count: 1, byteOffset: 5` (timers and counters are addressed by number).
public struct S7VariableAddress: Hashable, Sendable, CustomStringConvertible {
    public static let encodedSize = 12

    public var area: S7Area
    /// The DB number (0 outside data blocks).
    public var dbNumber: Int
    public var transportSize: S7TransportSize
    /// The number of elements.
    public var count: Int
    /// The byte offset, or the timer/counter number.
    public var byteOffset: Int
    /// The bit (0...7) of a bit access.
    public var bit: Int

    public init(
        area: S7Area, dbNumber: Int = 0, transportSize: S7TransportSize = .byte, count: Int, byteOffset: Int,
        bit: Int = 0
    ) {
        self.area = area
        self.dbNumber = dbNumber
        self.transportSize = transportSize
        self.count = count
        self.byteOffset = byteOffset
        self.bit = bit
    }

    /// The bytes the item covers in its area (one per bit item, two per timer or counter).
    public var byteCount: Int { transportSize == .bit ? count : count * transportSize.elementSize }

    public var description: String {
        let place = area == .dataBlock || area == .instanceDataBlock ? "DB\(dbNumber)." : ""
        let at = transportSize == .bit ? "\(byteOffset).\(bit)" : "\(byteOffset)"
        return "\(place)\(area)\(at) (\(count) × \(transportSize))"
    }

    /// The 12 bytes of the item: `12 0A 10 size count(2) db(2) area address(3)`.
    public func encoded() -> [UInt8] {
        let address =
            transportSize.addressesByNumber ? UInt32(byteOffset) : UInt32(byteOffset) << 3 | UInt32(bit & 7)
        var bytes: [UInt8] = [0x12, 0x0A, 0x10, transportSize.rawValue]
        bytes.appendBigEndian(UInt16(clamping: count))
        bytes.appendBigEndian(UInt16(clamping: dbNumber))
        bytes.append(area.rawValue)
        bytes += [UInt8((address >> 16) & 0xFF), UInt8((address >> 8) & 0xFF), UInt8(address & 0xFF)]
        return bytes
    }

    /// Parses the item at `offset` of a parameter section.
    public init(parsing bytes: [UInt8], at offset: Int) throws(S7ItemError) {
        guard offset + Self.encodedSize <= bytes.count else { throw .truncated }
        guard bytes[offset] == 0x12, bytes[offset + 1] == 0x0A, bytes[offset + 2] == 0x10 else {
            throw .unsupportedSyntax(bytes[offset + 2])
        }
        guard let size = S7TransportSize(rawValue: bytes[offset + 3]) else {
            throw .unsupportedTransportSize(bytes[offset + 3])
        }
        guard let area = S7Area(rawValue: bytes[offset + 8]) else { throw .unknownArea(bytes[offset + 8]) }
        let address = Int(bytes[offset + 9]) << 16 | Int(bytes[offset + 10]) << 8 | Int(bytes[offset + 11])
        self.area = area
        transportSize = size
        count = Int(bytes.bigEndianUInt16(at: offset + 4))
        dbNumber = Int(bytes.bigEndianUInt16(at: offset + 6))
        byteOffset = size.addressesByNumber ? address : address >> 3
        bit = size.addressesByNumber ? 0 : address & 7
    }
}

/// Why one item of a job cannot be read or written; each maps to the return code a CPU answers for it.
public enum S7ItemError: Error, Hashable, Sendable {
    case truncated
    case unsupportedSyntax(UInt8)
    case unsupportedTransportSize(UInt8)
    case unknownArea(UInt8)

    public var returnCode: S7ReturnCode {
        switch self {
        case .truncated, .unsupportedSyntax, .unknownArea: .addressOutOfRange
        case .unsupportedTransportSize: .dataTypeNotSupported
        }
    }
}
