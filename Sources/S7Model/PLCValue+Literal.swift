/// Why a literal could not be read, and where.
public struct LiteralError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong, e.g. `40000 is outside the range of Int (-32768..32767)`.
    public var message: String
    /// Offset of the problem in Unicode scalars from the start of the literal as given.
    public var offset: Int
    /// The literal that was parsed.
    public var literal: String

    public init(message: String, offset: Int, literal: String) {
        self.message = message
        self.offset = offset
        self.literal = literal
    }

    public var description: String { "invalid literal '\(literal)' at offset \(offset): \(message)" }
}

extension PLCValue: CustomStringConvertible {
    /// Reads an S7 literal; with `type`, the literal must be of that type or an untyped form that fits it.
    ///
    /// Forms (prefixes in any case, `_` between digits anywhere a number is allowed):
    /// - Bool: `TRUE`, `FALSE`, `BOOL#1`, `BOOL#FALSE`; `1` and `0` when `type` is Bool.
    /// - Integers and bit strings: `-5`, `16#FF`, `2#1010_0001`, `8#17`, `INT#-5`, `DINT#16#7FFF_FFFF`,
    ///   `BYTE#16#0F`, `WORD#…`, `DWORD#…`, `LWORD#…`, and the STEP 7 forms `B#16#…`, `W#16#…`, `DW#16#…`,
    ///   `LW#16#…`, `L#…` (DInt). A based literal for a signed type may give the two's complement bit pattern:
    ///   `INT#16#FFFF` is -1.
    /// - Real and LReal: `1.5`, `-1.0E-3`, `1e10`, `REAL#1.5`, `LREAL#2`, and `NaN`, `Inf`, `-Inf`.
    /// - Durations: `T#1h2m3s4ms`, `TIME#…`, `T#-5s`, `T#1d_2h_3m`, `T#1.5s` (a fraction on the last unit),
    ///   `LT#…`/`LTIME#…` also with `us` and `ns`, `S5T#2s`/`S5TIME#…`. The leading unit may exceed its usual
    ///   range (`T#90m`); the total must fit the type.
    /// - Dates and times: `D#2024-01-31`, `DATE#…`, `TOD#12:00:00.000`, `TIME_OF_DAY#…`, `LTOD#…`,
    ///   `LTIME_OF_DAY#…`, `DT#2024-01-31-12:00:00.000`, `DATE_AND_TIME#…`, `LDT#…`, `DATE_AND_LTIME#…`, `DTL#…`;
    ///   seconds may be left out, fractions may be grouped with `_`.
    /// - Characters: `'text'`, `STRING#'…'`, `WSTRING#'…'`, `CHAR#'a'`, `WCHAR#'x'`, with the escapes `$$`, `$'`,
    ///   `$L` (LF), `$N` (CR LF), `$P` (FF), `$R` (CR), `$T` (tab), `$hh` (a Windows-1252 code; in WString and
    ///   WChar `$hhhh`, a UTF-16 unit).
    ///
    /// Without `type`, an untyped decimal integer is an Int, DInt, LInt or ULInt (the smallest that holds it), a
    /// based one (`16#FF`) is a Byte, Word, DWord or LWord, a number with a point or exponent is a Real (an LReal
    /// if it exceeds Real), a quoted text a String.
    ///
    /// Ranges are checked: `INT#40000`, `T#25d`, `S5T#3h`, `D#2169-01-01`, `DT#2090-01-01-00:00:00` all fail.
    public static func parse(_ literal: String, as type: DataType? = nil) throws(LiteralError) -> PLCValue {
        var reader = LiteralReader(literal: literal)
        return try reader.parse(target: type)
    }

    /// The canonical literal, as TIA displays values in watch tables and start values:
    /// `TRUE`, `-5` (all integers in decimal), `16#0F` (Byte), `16#00FF` (Word), `16#0000_00FF` (DWord),
    /// `16#0000_0000_0000_00FF` (LWord), `1.5` and `1.0E+10` (the shortest digits that read back to the same
    /// Real or LReal), `T#1h_2m_3s_4ms`, `T#-5s`, `T#0ms`, `LT#1s_5ns`, `S5T#2s`, `D#2024-01-31`, `TOD#12:00:00`,
    /// `TOD#12:00:00.500`, `LTOD#10:20:30.400_365_215`, `DT#2024-01-31-12:00:00`, `LDT#…`, `DTL#…`, `'a'` (Char),
    /// `WCHAR#'x'`, `'text'`, `WSTRING#'text'`.
    ///
    /// With `typed`, integers, bit strings, Real, LReal and Char carry their type prefix (`INT#-5`,
    /// `WORD#16#00FF`, `LREAL#1.5`, `CHAR#'a'`) so that `parse(format(typed: true))` needs no type; the plain form
    /// reads back to the same value with `parse(_:as: value.dataType)`.
    public func format(typed: Bool = false) -> String {
        let prefix = typed ? LiteralReader.typePrefix[dataType] ?? "" : ""
        switch self {
        case .bool(let value): return value ? "TRUE" : "FALSE"
        case .byte(let value): return prefix + LiteralReader.hex(UInt64(value), digits: 2)
        case .word(let value): return prefix + LiteralReader.hex(UInt64(value), digits: 4)
        case .dWord(let value): return prefix + LiteralReader.hex(UInt64(value), digits: 8)
        case .lWord(let value): return prefix + LiteralReader.hex(value, digits: 16)
        case .sInt, .usInt, .int, .uInt, .dInt, .udInt, .lInt, .ulInt: return prefix + String(integerValue!)
        case .real(let value): return prefix + LiteralReader.formatFloat(value.description, finite: value.isFinite)
        case .lReal(let value): return prefix + LiteralReader.formatFloat(value.description, finite: value.isFinite)
        case .s5Time(let ms): return "S5T#" + LiteralReader.formatDuration(Int128(ms) * 1_000_000, smallest: 1_000_000)
        case .time(let ms): return "T#" + LiteralReader.formatDuration(Int128(ms) * 1_000_000, smallest: 1_000_000)
        case .lTime(let ns): return "LT#" + LiteralReader.formatDuration(Int128(ns), smallest: 1)
        case .date(let days):
            let date = S7Calendar.civil(daysSince1970: S7Calendar.epoch1990 + Int(days))
            return "D#" + S7Calendar.formatDate(year: date.year, month: date.month, day: date.day)
        case .timeOfDay(let ms): return "TOD#" + S7Calendar.formatTimeOfDay(nanoseconds: Int128(ms) * 1_000_000)
        case .lTimeOfDay(let ns): return "LTOD#" + S7Calendar.formatTimeOfDay(nanoseconds: Int128(ns))
        case .dateAndTime(let value): return "DT#\(value)"
        case .ldt(let value): return "LDT#\(value)"
        case .dtl(let value): return "DTL#\(value)"
        case .char(let code):
            return prefix + "'" + LiteralReader.escape(Windows1252.decode(code), wide: false) + "'"
        case .wChar(let unit):
            guard let scalar = Unicode.Scalar(UInt32(unit)) else {
                return "WCHAR#'$" + String(unit, radix: 16, uppercase: true) + "'"
            }
            return "WCHAR#'" + LiteralReader.escape(scalar, wide: true) + "'"
        case .string(let text):
            return "'" + text.unicodeScalars.map { LiteralReader.escape($0, wide: false) }.joined() + "'"
        case .wString(let text):
            return "WSTRING#'" + text.unicodeScalars.map { LiteralReader.escape($0, wide: true) }.joined() + "'"
        }
    }

    /// `format()`.
    public var description: String { format() }
}

/// The Windows-1252 code page that single-byte Char and String use on Western-European TIA installations.
public enum Windows1252 {
    /// Characters of the codes 16#80 to 16#9F; codes without a character map to the C1 control of that number.
    static let high: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,
        0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
        0x0153, 0x9D, 0x017E, 0x0178,
    ]

    public static func decode(_ code: UInt8) -> Unicode.Scalar {
        (0x80...0x9F).contains(code) ? Unicode.Scalar(high[Int(code) - 0x80])! : Unicode.Scalar(code)
    }

    public static func encode(_ scalar: Unicode.Scalar) -> UInt8? {
        let value = scalar.value
        if value < 0x80 || (0xA0...0xFF).contains(value) { return UInt8(value) }
        return high.firstIndex(of: value).map { UInt8(0x80 + $0) }
    }
}

/// The literal reader and the formatting helpers of `PLCValue`.
struct LiteralReader {
    let literal: String
    let scalars: [Unicode.Scalar]
    var position: Int
    /// End of the literal without trailing white space.
    var end: Int

    init(literal: String) {
        self.literal = literal
        self.scalars = Array(literal.unicodeScalars)
        var start = 0
        var end = scalars.count
        while start < end, scalars[start].properties.isWhitespace { start += 1 }
        while end > start, scalars[end - 1].properties.isWhitespace { end -= 1 }
        self.position = start
        self.end = end
    }

    // MARK: Prefixes

    /// Type prefixes (upper case, without `#`), long forms and STEP 7 forms included.
    static let prefixes: [String: DataType] = [
        "BOOL": .bool, "BYTE": .byte, "B": .byte, "WORD": .word, "W": .word, "DWORD": .dWord, "DW": .dWord,
        "LWORD": .lWord, "LW": .lWord, "SINT": .sInt, "USINT": .usInt, "INT": .int, "UINT": .uInt, "DINT": .dInt,
        "L": .dInt, "UDINT": .udInt, "LINT": .lInt, "ULINT": .ulInt, "REAL": .real, "LREAL": .lReal, "T": .time,
        "TIME": .time, "LT": .lTime, "LTIME": .lTime, "S5T": .s5Time, "S5TIME": .s5Time, "D": .date, "DATE": .date,
        "TOD": .timeOfDay, "TIME_OF_DAY": .timeOfDay, "LTOD": .lTimeOfDay, "LTIME_OF_DAY": .lTimeOfDay,
        "DT": .dateAndTime, "DATE_AND_TIME": .dateAndTime, "LDT": .ldt, "DATE_AND_LTIME": .ldt, "DTL": .dtl,
        "CHAR": .char, "WCHAR": .wChar, "STRING": .string, "WSTRING": .wString,
    ]

    /// The prefix `format(typed: true)` writes.
    static let typePrefix: [DataType: String] = [
        .byte: "BYTE#", .word: "WORD#", .dWord: "DWORD#", .lWord: "LWORD#", .sInt: "SINT#", .usInt: "USINT#",
        .int: "INT#", .uInt: "UINT#", .dInt: "DINT#", .udInt: "UDINT#", .lInt: "LINT#", .ulInt: "ULINT#",
        .real: "REAL#", .lReal: "LREAL#", .char: "CHAR#",
    ]

    // MARK: Reading

    var atEnd: Bool { position >= end }

    var current: Unicode.Scalar? { atEnd ? nil : scalars[position] }

    func error(_ message: String, at offset: Int? = nil) -> LiteralError {
        LiteralError(message: message, offset: offset ?? position, literal: literal)
    }

    func text(_ range: Range<Int>) -> String { String(String.UnicodeScalarView(scalars[range])) }

    static func isDigit(_ scalar: Unicode.Scalar?) -> Bool { scalar.map { ("0"..."9").contains($0) } ?? false }

    static func isLetter(_ scalar: Unicode.Scalar?) -> Bool {
        scalar.map { ("a"..."z").contains($0) || ("A"..."Z").contains($0) } ?? false
    }

    /// Whether a type accepts the same literal forms as `other` (string lengths aside).
    static func sameKind(_ type: DataType, _ other: DataType) -> Bool {
        switch (type, other) {
        case (.string, .string), (.wString, .wString): true
        default: type == other
        }
    }

    mutating func parse(target: DataType?) throws(LiteralError) -> PLCValue {
        guard !atEnd else { throw error("empty literal") }
        if let target, !target.isElementary, target != .dtl {
            throw error("\(target) has no literal form", at: 0)
        }
        let start = position
        // A type prefix: letters, digits and `_` starting with a letter, then `#`.
        var prefixType: DataType?
        if LiteralReader.isLetter(current) {
            var index = position
            while index < end,
                LiteralReader.isLetter(scalars[index]) || LiteralReader.isDigit(scalars[index])
                    || scalars[index] == "_"
            {
                index += 1
            }
            if index < end, scalars[index] == "#" {
                let name = text(position..<index).uppercased()
                if name == "C" {
                    // A STEP 7 counter value: up to three decimal digits, kept as BCD in a WORD (C#25 = 16#0025).
                    guard target == nil || target == .word else {
                        throw error("a counter value C# cannot be used for \(target!)", at: start)
                    }
                    let digits = text(index + 1..<end)
                    guard (1...3).contains(digits.unicodeScalars.count),
                        digits.unicodeScalars.allSatisfy({ LiteralReader.isDigit($0) }), let value = Int(digits)
                    else { throw error("a counter value C# has 1 to 3 decimal digits (0 to 999)", at: start) }
                    position = end
                    return .word(UInt16(value / 100) << 8 | UInt16(value / 10 % 10) << 4 | UInt16(value % 10))
                }
                guard let type = LiteralReader.prefixes[name] else {
                    throw error("unknown type prefix '\(text(position..<index))#'")
                }
                prefixType = type
                position = index + 1
            }
        }
        if let prefixType {
            var type = prefixType
            if let target {
                guard LiteralReader.sameKind(prefixType, target) else {
                    throw error("a \(prefixType) literal cannot be used for \(target)", at: start)
                }
                type = target
            }
            if type == .string, target == nil {
                return try readCharacters(as: .string(.value(DataType.maxStringLength)))
            }
            if type == .wString, target == nil {
                return try readCharacters(as: .wString(.value(DataType.maxWStringLength)))
            }
            return try readBody(as: type, typed: true)
        }
        if let target { return try readBody(as: target, typed: false) }
        return try readUntyped()
    }

    /// A literal without prefix or target type.
    mutating func readUntyped() throws(LiteralError) -> PLCValue {
        let word = text(position..<end).uppercased()
        if word == "TRUE" || word == "FALSE" { return .bool(word == "TRUE") }
        if current == "'" { return try readCharacters(as: .string) }
        if ["NAN", "INF", "+INF", "-INF"].contains(word) { return try readBody(as: .real, typed: false) }
        let body = scalars[position..<end]
        if body.contains("#") {
            let value = try readInteger()
            for type in [DataType.byte, .word, .dWord, .lWord] {
                if let fitted = PLCValue(integer: value.value, as: type) { return fitted }
            }
            throw error("\(value.value) is larger than an LWord", at: value.start)
        }
        if body.contains(".") || body.contains("e") || body.contains("E") {
            let save = position
            if case .real(let single) = try readBody(as: .real, typed: false, overflowOK: true), single.isFinite {
                return .real(single)
            }
            position = save
            return try readBody(as: .lReal, typed: false)
        }
        let value = try readInteger()
        for type in [DataType.int, .dInt, .lInt, .ulInt] {
            if let fitted = PLCValue(integer: value.value, as: type) { return fitted }
        }
        throw error("\(value.value) is outside every integer type", at: value.start)
    }

    /// The part after the prefix (or the whole untyped literal) read as `type`.
    mutating func readBody(as type: DataType, typed: Bool, overflowOK: Bool = false) throws(LiteralError) -> PLCValue {
        guard !atEnd else { throw error("missing value after the prefix") }
        switch type {
        case .bool:
            let word = text(position..<end).uppercased()
            switch word {
            case "TRUE", "1": return .bool(true)
            case "FALSE", "0": return .bool(false)
            default: throw error("expected TRUE, FALSE, 1 or 0")
            }
        case .byte, .word, .dWord, .lWord, .sInt, .usInt, .int, .uInt, .dInt, .udInt, .lInt, .ulInt:
            let value = try readInteger()
            if let fitted = PLCValue(integer: value.value, as: type) { return fitted }
            let range = type.integerRange!
            // A based literal may spell the bit pattern of a negative number.
            if value.based, type.isSigned, let width = type.bitWidth, value.value <= (Int128(1) << width) - 1,
                let fitted = PLCValue(integer: value.value - (Int128(1) << width), as: type)
            {
                return fitted
            }
            throw error(
                "\(value.value) is outside the range of \(type) (\(range.lowerBound)..\(range.upperBound))",
                at: value.start)
        case .real, .lReal:
            return try readReal(as: type, overflowOK: overflowOK)
        case .s5Time, .time, .lTime:
            return try readDuration(as: type)
        case .date, .timeOfDay, .lTimeOfDay, .dateAndTime, .ldt, .dtl:
            return try readDateTime(as: type)
        case .char, .wChar, .string, .wString:
            return try readCharacters(as: type)
        default:
            throw error("\(type) has no literal form")
        }
    }

    /// Digits of `base` with single `_` between them; returns the value and its start.
    mutating func readDigits(base: Int, what: String) throws(LiteralError) -> Int128 {
        let start = position
        var value: Int128 = 0
        var digits = 0
        while let scalar = current {
            if scalar == "_" {
                guard digits > 0, position + 1 < end, scalars[position + 1] != "_" else {
                    throw error("misplaced '_'")
                }
                position += 1
                continue
            }
            guard let digit = LiteralReader.isDigit(scalar) ? Int(scalar.value - 48) : hexValue(scalar), digit < base
            else { break }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: Int128(base))
            let (sum, overflow2) = shifted.addingReportingOverflow(Int128(digit))
            if overflow1 || overflow2 { throw error("number too large", at: start) }
            value = sum
            digits += 1
            position += 1
        }
        if digits == 0 { throw error("expected \(what)") }
        if scalars[position - 1] == "_" { throw error("misplaced '_'", at: position - 1) }
        return value
    }

    func hexValue(_ scalar: Unicode.Scalar) -> Int? {
        switch scalar {
        case "a"..."f": Int(scalar.value - 97 + 10)
        case "A"..."F": Int(scalar.value - 65 + 10)
        default: nil
        }
    }

    /// `[+-]digits` or `base#digits`, to the end of the literal.
    mutating func readInteger() throws(LiteralError) -> (value: Int128, based: Bool, start: Int) {
        let start = position
        var negative = false
        if current == "-" || current == "+" {
            negative = current == "-"
            position += 1
        }
        var value = try readDigits(base: 10, what: "digits")
        var based = false
        if current == "#" {
            guard !negative, scalars[start] != "+" else { throw error("a based number has no sign", at: start) }
            guard [2, 8, 16].contains(value) else { throw error("base \(value) is not 2, 8 or 16", at: start) }
            position += 1
            value = try readDigits(base: Int(value), what: "base-\(value) digits")
            based = true
        }
        if !atEnd { throw error("unexpected '\(current!)' in an integer") }
        return (negative ? -value : value, based, start)
    }

    mutating func readReal(as type: DataType, overflowOK: Bool) throws(LiteralError) -> PLCValue {
        let start = position
        let word = text(position..<end).uppercased()
        let special: Double? =
            switch word {
            case "NAN": .nan
            case "INF", "+INF": .infinity
            case "-INF": -.infinity
            default: nil
            }
        if let special { return type == .real ? .real(Float(special)) : .lReal(special) }
        var cleaned = ""
        if current == "-" || current == "+" {
            cleaned.unicodeScalars.append(current!)
            position += 1
        }
        cleaned += try readDecimalRun()
        if current == "." {
            position += 1
            cleaned += "." + (try readDecimalRun())
        }
        if current == "e" || current == "E" {
            position += 1
            cleaned += "e"
            if current == "-" || current == "+" {
                cleaned.unicodeScalars.append(current!)
                position += 1
            }
            cleaned += try readDecimalRun()
        }
        if !atEnd { throw error("unexpected '\(current!)' in a number") }
        if type == .real {
            guard let value = Float(cleaned) else { throw error("invalid number", at: start) }
            if !value.isFinite && !overflowOK { throw error("\(cleaned) is outside the range of Real", at: start) }
            return .real(value)
        }
        guard let value = Double(cleaned), value.isFinite else {
            throw error("\(cleaned) is outside the range of LReal", at: start)
        }
        return .lReal(value)
    }

    /// Decimal digits with `_` between them, returned as text without the underscores.
    mutating func readDecimalRun() throws(LiteralError) -> String {
        let start = position
        _ = try readDigitsText()
        return text(start..<position).filter { $0 != "_" }
    }

    /// Like `readDigits(base: 10)` but for runs too long for a number (fractions, exponents).
    mutating func readDigitsText() throws(LiteralError) -> Int {
        var digits = 0
        while let scalar = current {
            if scalar == "_", digits > 0, position + 1 < end, LiteralReader.isDigit(scalars[position + 1]) {
                position += 1
                continue
            }
            guard LiteralReader.isDigit(scalar) else { break }
            digits += 1
            position += 1
        }
        if digits == 0 { throw error("expected digits") }
        return digits
    }

    // MARK: Durations

    static let units: [(name: String, nanoseconds: Int128)] = [
        ("d", 86_400_000_000_000), ("h", 3_600_000_000_000), ("m", 60_000_000_000), ("s", 1_000_000_000),
        ("ms", 1_000_000), ("us", 1_000), ("ns", 1),
    ]

    mutating func readDuration(as type: DataType) throws(LiteralError) -> PLCValue {
        let start = position
        var negative = false
        if current == "-" || current == "+" {
            negative = current == "-"
            if negative && type == .s5Time { throw error("an S5Time cannot be negative") }
            position += 1
        }
        let smallestUnit = type == .lTime ? 6 : 4
        var total: Int128 = 0
        var lastUnit = -1
        var hadFraction = false
        while !atEnd {
            let componentStart = position
            if hadFraction { throw error("only the last unit may have a fraction", at: componentStart) }
            let whole = try readDigits(base: 10, what: "a number")
            var fraction = ""
            if current == "." {
                position += 1
                fraction = try readDecimalRun()
                hadFraction = true
            }
            let unitStart = position
            while LiteralReader.isLetter(current) { position += 1 }
            let unitName = text(unitStart..<position).lowercased()
            guard let unit = LiteralReader.units.firstIndex(where: { $0.name == unitName }), unit <= smallestUnit
            else {
                throw error(unitName.isEmpty ? "missing unit" : "unknown unit '\(unitName)' for \(type)", at: unitStart)
            }
            guard unit > lastUnit else { throw error("units must go from days down to the smallest", at: unitStart) }
            lastUnit = unit
            let scale = LiteralReader.units[unit].nanoseconds
            let (product, overflow) = whole.multipliedReportingOverflow(by: scale)
            if overflow || product > Int128(Int64.max) * 1_000 {
                throw error("duration too long for \(type)", at: start)
            }
            total += product
            if !fraction.isEmpty {
                guard fraction.count <= 18, let digits = Int128(fraction) else {
                    throw error("fraction too long", at: componentStart)
                }
                var divisor: Int128 = 1
                for _ in 0..<fraction.count { divisor *= 10 }
                guard (digits * scale) % divisor == 0 else {
                    throw error("the fraction is finer than 1 ns", at: componentStart)
                }
                total += digits * scale / divisor
            }
            if current == "_" {
                position += 1
                if atEnd { throw error("misplaced '_'", at: position - 1) }
            }
        }
        if lastUnit < 0 { throw error("missing duration after the prefix") }
        if negative { total = -total }
        switch type {
        case .lTime:
            guard let value = Int64(exactly: total) else {
                throw error("duration outside the range of LTime (±106751d_23h_47m_16s_854ms_775us_807ns)", at: start)
            }
            return .lTime(nanoseconds: value)
        case .time:
            guard total % 1_000_000 == 0 else { throw error("Time has a resolution of 1 ms", at: start) }
            guard let value = Int32(exactly: total / 1_000_000) else {
                throw error("duration outside the range of Time (±24d_20h_31m_23s_647ms)", at: start)
            }
            return .time(milliseconds: value)
        default:
            guard total % 1_000_000 == 0 else {
                throw error("S5Time cannot hold fractions of a millisecond", at: start)
            }
            let ms = total / 1_000_000
            guard ms <= 9_990_000 else {
                throw error("duration outside the range of S5Time (0 to 2h_46m_30s)", at: start)
            }
            // The time base is the finest of 10 ms, 100 ms, 1 s, 10 s that holds the value in three digits;
            // digits below it are dropped, as STEP 7 does (137 ms becomes 130 ms).
            let base: Int128 = ms <= 9_990 ? 10 : ms <= 99_900 ? 100 : ms <= 999_000 ? 1_000 : 10_000
            return .s5Time(milliseconds: Int32(ms / base * base))
        }
    }

    static func formatDuration(_ nanoseconds: Int128, smallest: Int128) -> String {
        var rest = nanoseconds.magnitude
        var parts: [String] = []
        for unit in units where unit.nanoseconds >= smallest {
            let scale = UInt128(unit.nanoseconds)
            if rest >= scale {
                parts.append("\(rest / scale)\(unit.name)")
                rest %= scale
            }
        }
        if parts.isEmpty { return smallest == 1 ? "0ns" : "0ms" }
        return (nanoseconds < 0 ? "-" : "") + parts.joined(separator: "_")
    }

    // MARK: Dates and times of day

    mutating func readNumber(_ what: String, maxDigits: Int) throws(LiteralError) -> Int {
        let start = position
        while LiteralReader.isDigit(current) { position += 1 }
        guard position > start, position - start <= maxDigits else { throw error("expected \(what)", at: start) }
        return Int(text(start..<position))!
    }

    mutating func expect(_ symbol: Unicode.Scalar, _ what: String) throws(LiteralError) {
        guard current == symbol else { throw error("expected \(what)") }
        position += 1
    }

    mutating func readDate() throws(LiteralError) -> (year: Int, month: Int, day: Int) {
        let start = position
        let year = try readNumber("a year", maxDigits: 4)
        try expect("-", "'-' after the year")
        let month = try readNumber("a month", maxDigits: 2)
        try expect("-", "'-' after the month")
        let day = try readNumber("a day", maxDigits: 2)
        guard (1...12).contains(month), day >= 1, day <= S7Calendar.daysIn(month: month, year: year) else {
            throw error("no such date", at: start)
        }
        return (year, month, day)
    }

    /// `hh:mm[:ss[.fraction]]` as nanoseconds since midnight.
    mutating func readTimeOfDay() throws(LiteralError) -> Int128 {
        let start = position
        let hour = try readNumber("hours", maxDigits: 2)
        try expect(":", "':' after the hours")
        let minute = try readNumber("minutes", maxDigits: 2)
        var second = 0
        var nanosecond = 0
        if current == ":" {
            position += 1
            second = try readNumber("seconds", maxDigits: 2)
            if current == "." {
                position += 1
                let fractionStart = position
                let digits = try readDecimalRun()
                guard digits.count <= 9 else { throw error("more than 9 fraction digits", at: fractionStart) }
                nanosecond = Int(digits + String(repeating: "0", count: 9 - digits.count))!
            }
        }
        guard hour < 24, minute < 60, second < 60 else { throw error("no such time of day", at: start) }
        return Int128((hour * 60 + minute) * 60 + second) * 1_000_000_000 + Int128(nanosecond)
    }

    mutating func readDateTime(as type: DataType) throws(LiteralError) -> PLCValue {
        let start = position
        switch type {
        case .date:
            let date = try readDate()
            try expectEnd()
            let days = S7Calendar.days(year: date.year, month: date.month, day: date.day) - S7Calendar.epoch1990
            guard (0...65_378).contains(days) else {
                throw error("date outside the range of Date (1990-01-01 to 2168-12-31)", at: start)
            }
            return .date(daysSince1990: UInt16(days))
        case .timeOfDay, .lTimeOfDay:
            let nanoseconds = try readTimeOfDay()
            try expectEnd()
            if type == .lTimeOfDay { return .lTimeOfDay(nanoseconds: UInt64(nanoseconds)) }
            guard nanoseconds % 1_000_000 == 0 else { throw error("Time_Of_Day has a resolution of 1 ms", at: start) }
            return .timeOfDay(milliseconds: UInt32(nanoseconds / 1_000_000))
        default:
            let date = try readDate()
            try expect("-", "'-' between date and time")
            let time = try readTimeOfDay()
            try expectEnd()
            let days = Int128(S7Calendar.days(year: date.year, month: date.month, day: date.day))
            let value = PLCDateTime(nanosecondsSince1970: days * 86_400_000_000_000 + time)
            if type == .dateAndTime {
                guard time % 1_000_000 == 0 else { throw error("Date_And_Time has a resolution of 1 ms", at: start) }
                guard (1990...2089).contains(value.year) else {
                    throw error("date outside the range of Date_And_Time (1990-01-01 to 2089-12-31)", at: start)
                }
                return .dateAndTime(value)
            }
            guard value.year >= 1970, value.nanosecondsSince1970 <= Int128(Int64.max) else {
                throw error(
                    "date outside the range of \(type) (1970-01-01-00:00:00 to 2262-04-11-23:47:16.854775807)",
                    at: start)
            }
            return type == .ldt ? .ldt(value) : .dtl(value)
        }
    }

    func expectEnd() throws(LiteralError) {
        if !atEnd { throw error("unexpected '\(current!)'") }
    }

    // MARK: Characters

    /// A quoted text with `$` escapes, checked against `type` (Char, WChar, String[n], WString[n]).
    mutating func readCharacters(as type: DataType) throws(LiteralError) -> PLCValue {
        let wide = type == .wChar || LiteralReader.sameKind(type, .wString)
        guard current == "'" else { throw error("expected a quoted text") }
        position += 1
        var result: [Unicode.Scalar] = []
        var offsets: [Int] = []
        // A `$hhhh` surrogate code, which only a WChar can hold.
        var surrogate: UInt16?
        while true {
            guard let scalar = current else { throw error("missing closing quote") }
            let start = position
            position += 1
            if scalar == "'" { break }
            guard scalar == "$" else {
                result.append(scalar)
                offsets.append(start)
                continue
            }
            guard let next = current else { throw error("'$' at the end of the text", at: start) }
            position += 1
            var decoded: [Unicode.Scalar]
            switch next {
            case "$", "'": decoded = [next]
            case "L", "l": decoded = ["\n"]
            case "N", "n": decoded = ["\r", "\n"]
            case "P", "p": decoded = ["\u{0C}"]
            case "R", "r": decoded = ["\r"]
            case "T", "t": decoded = ["\t"]
            default:
                let count = wide ? 4 : 2
                guard position - 1 + count <= end,
                    let code = UInt32(text(position - 1..<position - 1 + count), radix: 16)
                else {
                    throw error("unknown escape '$\(next)'", at: start)
                }
                position += count - 1
                if wide {
                    if let scalar = Unicode.Scalar(code) {
                        decoded = [scalar]
                    } else {
                        guard type == .wChar else {
                            throw error("$\(text(start + 1..<position)) is a lone surrogate", at: start)
                        }
                        surrogate = UInt16(code)
                        decoded = ["\u{FFFD}"]
                    }
                } else {
                    decoded = [Windows1252.decode(UInt8(code))]
                }
            }
            result += decoded
            offsets += Array(repeating: start, count: decoded.count)
        }
        try expectEnd()
        if !wide {
            for (scalar, offset) in zip(result, offsets) where Windows1252.encode(scalar) == nil {
                throw error("'\(scalar)' is not a Windows-1252 character", at: offset)
            }
        }
        let text = String(String.UnicodeScalarView(result))
        switch type {
        case .char:
            guard result.count == 1 else { throw error("a Char holds exactly one character", at: 0) }
            return .char(Windows1252.encode(result[0])!)
        case .wChar:
            guard result.count == 1, result[0].value <= 0xFFFF else {
                throw error("a WChar holds exactly one UTF-16 unit", at: 0)
            }
            return .wChar(surrogate ?? UInt16(result[0].value))
        default:
            let length = wide ? text.utf16.count : result.count
            let limit = type.stringLength ?? (wide ? DataType.maxWStringLength : DataType.maxStringLength)
            guard length <= limit else {
                throw error("\(length) characters do not fit \(type) (at most \(limit))", at: 0)
            }
            return wide ? .wString(text) : .string(text)
        }
    }

    // MARK: Formatting

    /// `16#` and `digits` upper-case hex digits, in groups of four joined by `_` when there are more than four.
    static func hex(_ value: UInt64, digits: Int) -> String {
        let raw = String(value, radix: 16, uppercase: true)
        let padded = String(repeating: "0", count: digits - raw.count) + raw
        guard digits > 4 else { return "16#" + padded }
        var groups: [String] = []
        var index = padded.startIndex
        while index < padded.endIndex {
            let next = padded.index(index, offsetBy: 4)
            groups.append(String(padded[index..<next]))
            index = next
        }
        return "16#" + groups.joined(separator: "_")
    }

    /// Swift's shortest round-trip digits in TIA's style: `1.5`, `5.0`, `1.0E+10`, `-2.5E-5`, `NaN`, `Inf`.
    static func formatFloat(_ text: String, finite: Bool) -> String {
        if !finite { return text == "nan" || text == "-nan" ? "NaN" : text.hasPrefix("-") ? "-Inf" : "Inf" }
        let parts = text.split(separator: "e")
        var mantissa = String(parts[0])
        if !mantissa.contains(".") { mantissa += ".0" }
        guard parts.count == 2, let exponent = Int(parts[1]) else { return mantissa }
        return mantissa + "E" + (exponent < 0 ? "-" : "+") + String(exponent.magnitude)
    }

    /// One character of a quoted literal: `$$`, `$'`, `$L`, `$R`, `$T`, `$P`, `$hh` (`$hhhh` when wide) for other
    /// control characters, the character itself otherwise.
    static func escape(_ scalar: Unicode.Scalar, wide: Bool) -> String {
        switch scalar {
        case "$": return "$$"
        case "'": return "$'"
        case "\n": return "$L"
        case "\r": return "$R"
        case "\t": return "$T"
        case "\u{0C}": return "$P"
        default:
            let value = scalar.value
            guard value < 0x20 || (0x7F...0x9F).contains(value) else { return String(scalar) }
            let code = wide ? value : UInt32(Windows1252.encode(scalar) ?? 0x3F)
            let raw = String(code, radix: 16, uppercase: true)
            return "$" + String(repeating: "0", count: (wide ? 4 : 2) - raw.count) + raw
        }
    }
}

extension PLCValue: Codable {
    /// Decodes a literal that carries its type, as `format(typed: true)` writes it.
    public init(from decoder: any Decoder) throws {
        self = try PLCValue.parse(try decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes `format(typed: true)`, a single string that reads back without a type.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(format(typed: true))
    }
}
