/// An S7-1500 data type, as a declaration or a SimaticML `Datatype` attribute names it.
///
/// `DataType(parsing:)` reads the text form and `description` writes it back canonically, so
/// `try DataType(parsing: t.description) == t` for every value built by the parser:
///
///     try DataType(parsing: "array [0..7] OF bool")   // .array([.range(0, 7)], of: .bool)
///     DataType.array([.range(0, 7)], of: .bool).description   // "Array[0..7] of Bool"
///
/// A quoted name (`"UDT_Motor"`) may be a PLC data type or a function block; the parser cannot tell and returns
/// `.named`, which later stages resolve. An unquoted name that is no keyword (`TCON_IP_v4`, `HW_IO`) is a
/// `.systemDataType`; the IEC timer, counter and edge blocks (`TON_TIME`, `CTU_INT`, `R_TRIG`) are `.systemFB`.
public indirect enum DataType: Hashable, Sendable {
    case bool, byte, word, dWord, lWord
    case sInt, usInt, int, uInt, dInt, udInt, lInt, ulInt
    case real, lReal
    case s5Time, time, lTime
    case date, timeOfDay, lTimeOfDay, dateAndTime, ldt, dtl
    case char, wChar
    /// `String[n]`: at most n single-byte characters; plain `String` is `String[254]`.
    case string(Bound)
    /// `WString[n]`: at most n UTF-16 characters; plain `WString` is `WString[254]`.
    case wString(Bound)
    /// `Array[lo..hi, ...] of T`, one dimension per entry; `Array[*]` has `.variable` dimensions.
    case array([Dimension], of: DataType)
    /// An anonymous structure; `Struct` without members is what SimaticML writes (members are separate elements).
    case `struct`([StructMember])
    /// A quoted user type: a PLC data type (UDT) or an FB, the name without quotes (`"UDT_Motor"` → `UDT_Motor`).
    case named(String)
    /// An unquoted identifier that is no built-in keyword, kept as written: TIA's system data types such as
    /// `TCON_IP_v4`, `HW_IO`, `ErrorStruct`, or a user type whose quotes were left out.
    case systemDataType(String)
    /// An IEC timer, counter or edge detection block used as a (multi-)instance type.
    case systemFB(SystemFBType)
    case variant, pointer, any, void
    /// Parameter-only types.
    case blockFB, blockFC, blockDB, timer, counter, dbAny, remote

    /// The length of `String` and `WString` when no length is given.
    public static let defaultStringLength = 254
    /// The largest `String[n]`.
    public static let maxStringLength = 254
    /// The largest `WString[n]`.
    public static let maxWStringLength = 16382

    /// `String` with the default length 254.
    public static var string: DataType { .string(.value(defaultStringLength)) }
    /// `WString` with the default length 254.
    public static var wString: DataType { .wString(.value(defaultStringLength)) }

    /// A bound of an array dimension or a string length: a number, or a constant kept exactly as written
    /// (`#N`, `"MaxItems"`, `MaxItems`) for a later stage to resolve.
    public enum Bound: Hashable, Sendable, ExpressibleByIntegerLiteral, CustomStringConvertible {
        case value(Int)
        case constant(String)

        public init(integerLiteral value: Int) { self = .value(value) }

        /// The number, or nil for a constant.
        public var intValue: Int? {
            if case .value(let value) = self { return value }
            return nil
        }

        public var description: String {
            switch self {
            case .value(let value): String(value)
            case .constant(let text): text
            }
        }
    }

    /// One array dimension: `lo..hi`, or `*` (an array of variable length, only for block parameters).
    public enum Dimension: Hashable, Sendable, CustomStringConvertible {
        case range(Bound, Bound)
        case variable

        /// The number of elements when both bounds are numbers; nil for `*` and for symbolic bounds.
        public var count: Int? {
            guard case .range(let low, let high) = self, let lo = low.intValue, let hi = high.intValue else {
                return nil
            }
            return max(0, hi - lo + 1)
        }

        public var description: String {
            switch self {
            case .range(let low, let high): "\(low)..\(high)"
            case .variable: "*"
            }
        }
    }
}

/// A member of a `Struct` (or of a UDT, for `StandardLayout`): a name without quotes and its type.
public struct StructMember: Hashable, Sendable {
    public var name: String
    public var dataType: DataType

    public init(_ name: String, _ dataType: DataType) {
        self.name = name
        self.dataType = dataType
    }
}

/// An IEC system function block type, spelled as TIA spells it (upper case): `TON_TIME`, `IEC_TIMER`, `CTU_INT`,
/// `IEC_DCOUNTER`, `R_TRIG`. Built from a name case-insensitively; unknown names give nil.
public struct SystemFBType: Hashable, Sendable, CustomStringConvertible {
    /// What the block does.
    public enum Family: Hashable, Sendable {
        case timer, counter, edge
    }

    /// The canonical upper-case name.
    public let name: String

    public init?(name: String) {
        let upper = name.uppercased()
        guard SystemFBType.facts[upper] != nil else { return nil }
        self.name = upper
    }

    public var description: String { name }

    public var family: Family { SystemFBType.facts[name]!.family }

    /// `.time` or `.lTime` for the PT and ET of a timer; nil for other families.
    public var timeType: DataType? { family == .timer ? SystemFBType.facts[name]!.valueType : nil }

    /// The integer type of PV and CV of a counter; nil for other families.
    public var countType: DataType? { family == .counter ? SystemFBType.facts[name]!.valueType : nil }

    /// Every known name, sorted.
    public static var allNames: [String] { facts.keys.sorted() }

    private static let facts: [String: (family: Family, valueType: DataType?)] = {
        var table: [String: (family: Family, valueType: DataType?)] = [:]
        for kind in ["TON", "TOF", "TP", "TONR"] {
            table[kind] = (.timer, .time)
            table[kind + "_TIME"] = (.timer, .time)
            table[kind + "_LTIME"] = (.timer, .lTime)
        }
        table["IEC_TIMER"] = (.timer, .time)
        table["IEC_LTIMER"] = (.timer, .lTime)
        let counts: [(suffix: String, type: DataType, iec: String)] = [
            ("SINT", .sInt, "IEC_SCOUNTER"), ("USINT", .usInt, "IEC_USCOUNTER"), ("INT", .int, "IEC_COUNTER"),
            ("UINT", .uInt, "IEC_UCOUNTER"), ("DINT", .dInt, "IEC_DCOUNTER"), ("UDINT", .udInt, "IEC_UDCOUNTER"),
            ("LINT", .lInt, "IEC_LCOUNTER"), ("ULINT", .ulInt, "IEC_ULCOUNTER"),
        ]
        for count in counts {
            for kind in ["CTU", "CTD", "CTUD"] { table[kind + "_" + count.suffix] = (.counter, count.type) }
            table[count.iec] = (.counter, count.type)
        }
        for kind in ["CTU", "CTD", "CTUD"] { table[kind] = (.counter, .int) }
        table["R_TRIG"] = (.edge, nil)
        table["F_TRIG"] = (.edge, nil)
        return table
    }()
}

extension DataType {
    /// Bit strings, integers, floating point, durations, dates and times of day (DT, LDT included), Char, WChar,
    /// String and WString. DTL is a structure in TIA and not elementary.
    public var isElementary: Bool {
        switch self {
        case .bool, .byte, .word, .dWord, .lWord, .sInt, .usInt, .int, .uInt, .dInt, .udInt, .lInt, .ulInt, .real,
            .lReal, .s5Time, .time, .lTime, .date, .timeOfDay, .lTimeOfDay, .dateAndTime, .ldt, .char, .wChar,
            .string, .wString:
            true
        default: false
        }
    }

    /// SInt, USInt, Int, UInt, DInt, UDInt, LInt, ULInt.
    public var isInteger: Bool {
        switch self {
        case .sInt, .usInt, .int, .uInt, .dInt, .udInt, .lInt, .ulInt: true
        default: false
        }
    }

    /// Byte, Word, DWord, LWord (not Bool).
    public var isBitString: Bool {
        switch self {
        case .byte, .word, .dWord, .lWord: true
        default: false
        }
    }

    /// Real and LReal.
    public var isFloatingPoint: Bool { self == .real || self == .lReal }

    /// Whether values can be negative: the signed integers, Real, LReal, Time and LTime.
    public var isSigned: Bool {
        switch self {
        case .sInt, .int, .dInt, .lInt, .real, .lReal, .time, .lTime: true
        default: false
        }
    }

    /// The width of the value in bits for elementary types of fixed size: Bool 1, Int 16, LReal 64, Date 16,
    /// DT 64. Nil for strings and all other types.
    public var bitWidth: Int? {
        switch self {
        case .bool: 1
        case .byte, .sInt, .usInt, .char: 8
        case .word, .int, .uInt, .wChar, .s5Time, .date: 16
        case .dWord, .dInt, .udInt, .real, .time, .timeOfDay: 32
        case .lWord, .lInt, .ulInt, .lReal, .lTime, .lTimeOfDay, .dateAndTime, .ldt: 64
        case .dtl: 96
        default: nil
        }
    }

    /// Storage in bytes: `bitWidth / 8` (a Bool by itself takes one byte), `String[n]` n + 2, `WString[n]`
    /// 2n + 4, DTL 12. Nil when the size depends on more than the type (symbolic lengths, arrays, structs,
    /// user types); `StandardLayout` computes those.
    public var sizeInBytes: Int? {
        switch self {
        case .bool: 1
        case .string(let length): length.intValue.map { $0 + 2 }
        case .wString(let length): length.intValue.map { 2 * $0 + 4 }
        default: bitWidth.map { $0 / 8 }
        }
    }

    /// The values an integer literal may take for this type: the integer types, and the bit strings read as
    /// unsigned numbers (`Word` is 0...65535). Nil for other types.
    ///
    ///     DataType.int.integerRange   // -32768...32767
    public var integerRange: ClosedRange<Int128>? {
        switch self {
        case .sInt: Int128(Int8.min)...Int128(Int8.max)
        case .usInt, .byte: 0...Int128(UInt8.max)
        case .int: Int128(Int16.min)...Int128(Int16.max)
        case .uInt, .word: 0...Int128(UInt16.max)
        case .dInt: Int128(Int32.min)...Int128(Int32.max)
        case .udInt, .dWord: 0...Int128(UInt32.max)
        case .lInt: Int128(Int64.min)...Int128(Int64.max)
        case .ulInt, .lWord: 0...Int128(UInt64.max)
        default: nil
        }
    }

    /// The smallest value of an integer or bit string type.
    public var minValue: Int128? { integerRange?.lowerBound }

    /// The largest value of an integer or bit string type.
    public var maxValue: Int128? { integerRange?.upperBound }

    /// The declared maximum length of a `String[n]` or `WString[n]` with a numeric length.
    public var stringLength: Int? {
        switch self {
        case .string(let length), .wString(let length): length.intValue
        default: nil
        }
    }
}
