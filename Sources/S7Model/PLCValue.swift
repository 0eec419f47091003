/// A typed value of an elementary S7 type, stored the way the CPU stores it.
///
/// Integers and bit strings keep their exact type (`.int(-5)` is not `.dInt(-5)`). Durations are signed counts of
/// their resolution, dates are days since 1990-01-01, times of day count from midnight:
///
///     try PLCValue.parse("T#1h2m3s4ms")      // .time(milliseconds: 3_723_004)
///     try PLCValue.parse("D#1990-01-02")     // .date(daysSince1990: 1)
///     try PLCValue.parse("5", as: .dInt)     // .dInt(5)
///
/// `parse` reads every literal form and `format` writes the canonical one; see `PLCValue+Literal.swift`.
public enum PLCValue: Hashable, Sendable {
    case bool(Bool)
    case byte(UInt8)
    case word(UInt16)
    case dWord(UInt32)
    case lWord(UInt64)
    case sInt(Int8)
    case usInt(UInt8)
    case int(Int16)
    case uInt(UInt16)
    case dInt(Int32)
    case udInt(UInt32)
    case lInt(Int64)
    case ulInt(UInt64)
    /// IEEE 754 single precision.
    case real(Float)
    /// IEEE 754 double precision.
    case lReal(Double)
    /// A SIMATIC timer value, 0 to 9 990 000 ms (2h46m30s). A valid value is a multiple of its time base:
    /// 10 ms up to 9 990 ms, 100 ms up to 99 900 ms, 1 s up to 999 s, 10 s above.
    case s5Time(milliseconds: Int32)
    case time(milliseconds: Int32)
    case lTime(nanoseconds: Int64)
    /// Days since 1990-01-01, up to 2168-12-31 (65 378).
    case date(daysSince1990: UInt16)
    /// Milliseconds since midnight, below 86 400 000.
    case timeOfDay(milliseconds: UInt32)
    /// Nanoseconds since midnight, below 86 400 × 10⁹.
    case lTimeOfDay(nanoseconds: UInt64)
    /// `Date_And_Time`: 1990-01-01-00:00:00 to 2089-12-31-23:59:59.999, millisecond resolution.
    case dateAndTime(PLCDateTime)
    /// `LDT`: 1970-01-01-00:00:00 to 2262-04-11-23:47:16.854775807, nanosecond resolution.
    case ldt(PLCDateTime)
    /// `DTL`: the same range as LDT; the weekday is derived from the date.
    case dtl(PLCDateTime)
    /// A single-byte character, its code in the Windows-1252 code page (`'A'` is 65).
    case char(UInt8)
    /// A UTF-16 code unit.
    case wChar(UInt16)
    /// The characters of a String; each one is in Windows-1252.
    case string(String)
    case wString(String)
}

/// A calendar date and time of day as DT, LDT and DTL hold it, in the proleptic Gregorian calendar, no time zone.
public struct PLCDateTime: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    public var nanosecond: Int

    public init(
        year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, nanosecond: Int = 0
    ) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.nanosecond = nanosecond
    }

    /// The date and time `nanoseconds` after 1970-01-01-00:00:00 (negative values go before).
    public init(nanosecondsSince1970 nanoseconds: Int128) {
        let perDay = Int128(86_400_000_000_000)
        var days = nanoseconds / perDay
        var rest = nanoseconds % perDay
        if rest < 0 {
            rest += perDay
            days -= 1
        }
        let date = S7Calendar.civil(daysSince1970: Int(days))
        let time = Int(rest)
        self.init(
            year: date.year, month: date.month, day: date.day, hour: time / 3_600_000_000_000,
            minute: time / 60_000_000_000 % 60, second: time / 1_000_000_000 % 60, nanosecond: time % 1_000_000_000)
    }

    /// Whether every field is in its range and the day exists in its month.
    public var isValid: Bool {
        (1...12).contains(month) && day >= 1 && day <= S7Calendar.daysIn(month: month, year: year)
            && (0..<24).contains(hour) && (0..<60).contains(minute) && (0..<60).contains(second)
            && (0..<1_000_000_000).contains(nanosecond)
    }

    /// Days from 1970-01-01 to the date.
    public var daysSince1970: Int { S7Calendar.days(year: year, month: month, day: day) }

    /// Nanoseconds from 1970-01-01-00:00:00, the representation of an LDT.
    public var nanosecondsSince1970: Int128 {
        let seconds = Int128(daysSince1970) * 86_400 + Int128(hour * 3_600 + minute * 60 + second)
        return seconds * 1_000_000_000 + Int128(nanosecond)
    }

    /// The DTL `WEEKDAY`: 1 is Sunday, 7 is Saturday.
    public var weekday: Int {
        // 1970-01-01 was a Thursday (5).
        let offset = (daysSince1970 + 4) % 7
        return (offset < 0 ? offset + 7 : offset) + 1
    }

    public static func < (lhs: PLCDateTime, rhs: PLCDateTime) -> Bool {
        lhs.nanosecondsSince1970 < rhs.nanosecondsSince1970
    }

    /// `2024-01-31-12:00:00.500`, without a type prefix; the fraction as `PLCValue.format` writes it.
    public var description: String {
        S7Calendar.formatDate(year: year, month: month, day: day) + "-"
            + S7Calendar.formatTimeOfDay(
                nanoseconds: Int128(((hour * 60 + minute) * 60 + second)) * 1_000_000_000
                    + Int128(nanosecond))
    }
}

/// Gregorian calendar arithmetic and the date and time texts of S7 literals.
enum S7Calendar {
    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days before 1 January of `year`, counted from 1970-01-01 (negative before 1970).
    static func daysBeforeYear(_ year: Int) -> Int {
        // Leap days in the years before `year`, counted from year 1.
        func leaps(_ y: Int) -> Int { y / 4 - y / 100 + y / 400 }
        return (year - 1970) * 365 + leaps(year - 1) - leaps(1969)
    }

    static func days(year: Int, month: Int, day: Int) -> Int {
        var total = daysBeforeYear(year)
        for earlier in stride(from: 1, to: month, by: 1) { total += daysIn(month: earlier, year: year) }
        return total + day - 1
    }

    /// The date `days` after 1970-01-01; valid for years 1 to 9999.
    static func civil(daysSince1970 days: Int) -> (year: Int, month: Int, day: Int) {
        var year = 1970 + Int((Double(days) / 365.2425).rounded(.down))
        while daysBeforeYear(year) > days { year -= 1 }
        while daysBeforeYear(year + 1) <= days { year += 1 }
        var rest = days - daysBeforeYear(year)
        var month = 1
        while rest >= daysIn(month: month, year: year) {
            rest -= daysIn(month: month, year: year)
            month += 1
        }
        return (year, month, rest + 1)
    }

    /// Days from 1970-01-01 to 1990-01-01.
    static let epoch1990 = 7305

    static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    static func formatDate(year: Int, month: Int, day: Int) -> String {
        "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))"
    }

    /// `hh:mm:ss`, then the fraction in groups of three digits when it is not zero, trailing zero groups
    /// dropped: 0.5 s → `.500`, 400 365 215 ns → `.400_365_215`.
    static func formatTimeOfDay(nanoseconds: Int128) -> String {
        let total = Int(nanoseconds)
        let seconds = total / 1_000_000_000
        var text = "\(padded(seconds / 3_600, 2)):\(padded(seconds / 60 % 60, 2)):\(padded(seconds % 60, 2))"
        var fraction = total % 1_000_000_000
        if fraction != 0 {
            var groups: [String] = []
            for _ in 0..<3 {
                groups.append(padded(fraction / 1_000_000, 3))
                fraction = fraction % 1_000_000 * 1_000
            }
            while groups.last == "000" { groups.removeLast() }
            text += "." + groups.joined(separator: "_")
        }
        return text
    }
}

extension PLCValue {
    /// The type of the value; a String or WString reports the default length 254.
    public var dataType: DataType {
        switch self {
        case .bool: .bool
        case .byte: .byte
        case .word: .word
        case .dWord: .dWord
        case .lWord: .lWord
        case .sInt: .sInt
        case .usInt: .usInt
        case .int: .int
        case .uInt: .uInt
        case .dInt: .dInt
        case .udInt: .udInt
        case .lInt: .lInt
        case .ulInt: .ulInt
        case .real: .real
        case .lReal: .lReal
        case .s5Time: .s5Time
        case .time: .time
        case .lTime: .lTime
        case .date: .date
        case .timeOfDay: .timeOfDay
        case .lTimeOfDay: .lTimeOfDay
        case .dateAndTime: .dateAndTime
        case .ldt: .ldt
        case .dtl: .dtl
        case .char: .char
        case .wChar: .wChar
        case .string: .string
        case .wString: .wString
        }
    }

    /// The number held by an integer or bit string value (bit strings read as unsigned); nil otherwise.
    public var integerValue: Int128? {
        switch self {
        case .byte(let v): Int128(v)
        case .word(let v): Int128(v)
        case .dWord(let v): Int128(v)
        case .lWord(let v): Int128(v)
        case .sInt(let v): Int128(v)
        case .usInt(let v): Int128(v)
        case .int(let v): Int128(v)
        case .uInt(let v): Int128(v)
        case .dInt(let v): Int128(v)
        case .udInt(let v): Int128(v)
        case .lInt(let v): Int128(v)
        case .ulInt(let v): Int128(v)
        default: nil
        }
    }

    /// An integer or bit string value of `type`, or nil when `type` is neither or `value` is outside its range.
    ///
    ///     PLCValue(integer: 300, as: .int)    // .int(300)
    ///     PLCValue(integer: 300, as: .byte)   // nil
    public init?(integer value: Int128, as type: DataType) {
        guard let range = type.integerRange, range.contains(value) else { return nil }
        switch type {
        case .byte: self = .byte(UInt8(value))
        case .word: self = .word(UInt16(value))
        case .dWord: self = .dWord(UInt32(value))
        case .lWord: self = .lWord(UInt64(value))
        case .sInt: self = .sInt(Int8(value))
        case .usInt: self = .usInt(UInt8(value))
        case .int: self = .int(Int16(value))
        case .uInt: self = .uInt(UInt16(value))
        case .dInt: self = .dInt(Int32(value))
        case .udInt: self = .udInt(UInt32(value))
        case .lInt: self = .lInt(Int64(value))
        case .ulInt: self = .ulInt(UInt64(value))
        default: return nil
        }
    }

    /// The value memory holds after a reset (all bytes zero), for every elementary type and DTL: FALSE, 0, 0.0,
    /// `T#0ms`, `D#1990-01-01`, `TOD#00:00:00`, `DT#1990-01-01-00:00:00`, `LDT#1970-01-01-00:00:00`,
    /// `DTL#1970-01-01-00:00:00`, `'$00'` for Char, `''` for strings. Nil for other types.
    public static func defaultValue(for type: DataType) -> PLCValue? {
        if let zero = PLCValue(integer: 0, as: type) { return zero }
        switch type {
        case .bool: return .bool(false)
        case .real: return .real(0)
        case .lReal: return .lReal(0)
        case .s5Time: return .s5Time(milliseconds: 0)
        case .time: return .time(milliseconds: 0)
        case .lTime: return .lTime(nanoseconds: 0)
        case .date: return .date(daysSince1990: 0)
        case .timeOfDay: return .timeOfDay(milliseconds: 0)
        case .lTimeOfDay: return .lTimeOfDay(nanoseconds: 0)
        case .dateAndTime: return .dateAndTime(PLCDateTime(year: 1990, month: 1, day: 1))
        case .ldt: return .ldt(PLCDateTime(year: 1970, month: 1, day: 1))
        case .dtl: return .dtl(PLCDateTime(year: 1970, month: 1, day: 1))
        case .char: return .char(0)
        case .wChar: return .wChar(0)
        case .string: return .string("")
        case .wString: return .wString("")
        default: return nil
        }
    }
}
