/// Why a value could not be encoded as, or decoded from, the bytes of a type.
public struct PLCValueCodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong, e.g. `byte 1 (16#3A) is not BCD` or `40000 is outside the range of Int (-32768..32767)`.
    public var message: String

    public init(message: String) {
        self.message = message
    }

    public var description: String { message }
}

extension DataType {
    /// The bytes `PLCValue.decode` reads and `PLCValue.encoded` writes: `sizeInBytes` for the elementary types and
    /// DTL (Bool 1, `String[n]` n + 2, `WString[n]` 2n + 4, DTL 12). Nil for other types, symbolic string lengths
    /// and lengths outside 0...254 (String) or 0...16382 (WString).
    ///
    ///     DataType.string(10).storageSize   // 12
    public var storageSize: Int? {
        switch self {
        case .string(let length):
            guard let n = length.intValue, (0...DataType.maxStringLength).contains(n) else { return nil }
        case .wString(let length):
            guard let n = length.intValue, (0...DataType.maxWStringLength).contains(n) else { return nil }
        case .dtl: break
        default: guard isElementary else { return nil }
        }
        return sizeInBytes
    }
}

extension PLCValue {
    /// The bytes the CPU stores for this value as `type`, most significant byte first; `type.storageSize` of them.
    ///
    /// - Integers are two's complement, Byte to LWord unsigned, Real and LReal IEEE 754; Bool is one byte, 0 or 1.
    /// - Time is Int32 ms, LTime Int64 ns, Date UInt16 days since 1990-01-01, Time_Of_Day UInt32 ms and
    ///   LTime_Of_Day UInt64 ns since midnight, LDT UInt64 ns since 1970-01-01, WChar a UTF-16 unit, Char its
    ///   Windows-1252 code.
    /// - S5Time: bits 13-12 the time base (0 = 10 ms, 1 = 100 ms, 2 = 1 s, 3 = 10 s), bits 11-0 the count in three
    ///   BCD digits. The base is the finest that holds the value (10 ms up to 9 990 ms, 100 ms up to 99 900 ms,
    ///   1 s up to 999 s, 10 s above); digits below it are dropped, as `parse` does.
    /// - Date_And_Time: BCD year (90-99 for 1990-1999, 00-89 for 2000-2089), month, day, hour, minute, second,
    ///   then three BCD digits of milliseconds and the weekday nibble (1 = Sunday).
    /// - DTL: UInt16 year, then one byte each for month, day, weekday (1 = Sunday), hour, minute, second, then UInt32
    ///   nanoseconds.
    /// - `String[n]`: maximum length n, current length, the characters in Windows-1252, zeros up to n + 2 bytes.
    ///   `WString[n]`: the same with UInt16 lengths and UTF-16 units. A longer text is cut to n characters (units).
    ///
    /// A value of another case is converted when no information is lost: `.int(5)` as DInt, Real as LReal, Time as
    /// LTime, Char as WChar, String as WString. A value outside the range of `type` is an error.
    ///
    ///     try PLCValue.int(-2).encoded(as: .int)         // [0xFF, 0xFE]
    ///     try PLCValue.s5Time(milliseconds: 2_000).encoded(as: .s5Time)   // [0x02, 0x00]: 200 × 10 ms
    ///     try PLCValue.string("AB").encoded(as: .string(4))   // [4, 2, 0x41, 0x42, 0, 0]
    public func encoded(as type: DataType) throws(PLCValueCodingError) -> [UInt8] {
        guard type.storageSize != nil else { throw PLCValueCodingError(message: "\(type) has no binary form") }
        switch try converted(to: type) {
        case .bool(let value): return [value ? 1 : 0]
        case .byte(let value), .usInt(let value), .char(let value): return [value]
        case .sInt(let value): return [UInt8(bitPattern: value)]
        case .word(let value), .uInt(let value), .wChar(let value): return BinaryCoding.bytes(value)
        case .int(let value): return BinaryCoding.bytes(value)
        case .dWord(let value), .udInt(let value): return BinaryCoding.bytes(value)
        case .dInt(let value): return BinaryCoding.bytes(value)
        case .lWord(let value), .ulInt(let value): return BinaryCoding.bytes(value)
        case .lInt(let value): return BinaryCoding.bytes(value)
        case .real(let value): return BinaryCoding.bytes(value.bitPattern)
        case .lReal(let value): return BinaryCoding.bytes(value.bitPattern)
        case .s5Time(let milliseconds): return try BinaryCoding.encodeS5Time(milliseconds)
        case .time(let milliseconds): return BinaryCoding.bytes(milliseconds)
        case .lTime(let nanoseconds): return BinaryCoding.bytes(nanoseconds)
        case .date(let days):
            try BinaryCoding.check(days, upTo: BinaryCoding.lastDate, "days since 1990", .date)
            return BinaryCoding.bytes(days)
        case .timeOfDay(let milliseconds):
            try BinaryCoding.check(milliseconds, upTo: 86_399_999, "ms", .timeOfDay)
            return BinaryCoding.bytes(milliseconds)
        case .lTimeOfDay(let nanoseconds):
            try BinaryCoding.check(nanoseconds, upTo: 86_399_999_999_999, "ns", .lTimeOfDay)
            return BinaryCoding.bytes(nanoseconds)
        case .dateAndTime(let value): return try BinaryCoding.encodeDateAndTime(value)
        case .ldt(let value):
            try BinaryCoding.checkLong(value, .ldt)
            return BinaryCoding.bytes(UInt64(value.nanosecondsSince1970))
        case .dtl(let value):
            try BinaryCoding.checkLong(value, .dtl)
            let fields = [value.month, value.day, value.weekday, value.hour, value.minute, value.second]
            return BinaryCoding.bytes(UInt16(value.year)) + fields.map { UInt8($0) }
                + BinaryCoding.bytes(UInt32(value.nanosecond))
        case .string(let text):
            var codes: [UInt8] = []
            for scalar in text.unicodeScalars {
                guard let code = Windows1252.encode(scalar) else {
                    throw PLCValueCodingError(message: "'\(scalar)' is not a Windows-1252 character")
                }
                codes.append(code)
            }
            let capacity = type.stringLength!
            codes = Array(codes.prefix(capacity))
            return [UInt8(capacity), UInt8(codes.count)] + codes + Array(repeating: 0, count: capacity - codes.count)
        case .wString(let text):
            let capacity = type.stringLength!
            var units = Array(text.utf16.prefix(capacity))
            // Cutting between the halves of a surrogate pair would leave half a character.
            if units.count < text.utf16.count, let last = units.last, UTF16.isLeadSurrogate(last) {
                units.removeLast()
            }
            let padding = Array(repeating: UInt16(0), count: capacity - units.count)
            return ([UInt16(capacity), UInt16(units.count)] + units + padding).flatMap(BinaryCoding.bytes)
        }
    }

    /// Reads a value of `type` from exactly `type.storageSize` bytes laid out as `encoded(as:)` writes them.
    ///
    /// Bool is bit 0 of its byte. The weekdays of Date_And_Time and DTL are not checked (they follow from the date);
    /// nor are bits 15-14 of an S5Time. A string's current length is clamped to its maximum length and to the bytes
    /// present. Digits that are not BCD, dates that do not exist and values outside the range of the type are
    /// errors.
    ///
    ///     try PLCValue.decode([0xFF, 0xFE], as: .int)                  // .int(-2)
    ///     try PLCValue.decode([0x10, 0x05], as: .s5Time)               // .s5Time(milliseconds: 500): 5 × 100 ms
    ///     try PLCValue.decode([4, 2, 0x41, 0x42, 0, 0], as: .string(4))   // .string("AB")
    public static func decode(
        _ bytes: some Collection<UInt8>, as type: DataType
    ) throws(PLCValueCodingError) -> PLCValue {
        guard let size = type.storageSize else { throw PLCValueCodingError(message: "\(type) has no binary form") }
        let bytes = Array(bytes)
        guard bytes.count == size else {
            throw PLCValueCodingError(message: "\(type) takes \(size) bytes, not \(bytes.count)")
        }
        func read<T: FixedWidthInteger>(_: T.Type, at offset: Int = 0) -> T {
            BinaryCoding.integer(bytes[offset..<offset + T.bitWidth / 8])
        }
        switch type {
        case .bool: return .bool(bytes[0] & 1 != 0)
        case .byte: return .byte(bytes[0])
        case .word: return .word(read(UInt16.self))
        case .dWord: return .dWord(read(UInt32.self))
        case .lWord: return .lWord(read(UInt64.self))
        case .sInt: return .sInt(Int8(bitPattern: bytes[0]))
        case .usInt: return .usInt(bytes[0])
        case .int: return .int(read(Int16.self))
        case .uInt: return .uInt(read(UInt16.self))
        case .dInt: return .dInt(read(Int32.self))
        case .udInt: return .udInt(read(UInt32.self))
        case .lInt: return .lInt(read(Int64.self))
        case .ulInt: return .ulInt(read(UInt64.self))
        case .real: return .real(Float(bitPattern: read(UInt32.self)))
        case .lReal: return .lReal(Double(bitPattern: read(UInt64.self)))
        case .s5Time:
            let hundreds = try BinaryCoding.bcdDigit(bytes[0] & 0x0F, byte: 0, of: bytes)
            let count = hundreds * 100 + (try BinaryCoding.bcd(bytes, at: 1))
            let base = [10, 100, 1_000, 10_000][Int(bytes[0] >> 4 & 0x03)]
            return .s5Time(milliseconds: Int32(count * base))
        case .time: return .time(milliseconds: read(Int32.self))
        case .lTime: return .lTime(nanoseconds: read(Int64.self))
        case .date:
            let days = read(UInt16.self)
            try BinaryCoding.check(days, upTo: BinaryCoding.lastDate, "days since 1990", .date)
            return .date(daysSince1990: days)
        case .timeOfDay:
            let milliseconds = read(UInt32.self)
            try BinaryCoding.check(milliseconds, upTo: 86_399_999, "ms", .timeOfDay)
            return .timeOfDay(milliseconds: milliseconds)
        case .lTimeOfDay:
            let nanoseconds = read(UInt64.self)
            try BinaryCoding.check(nanoseconds, upTo: 86_399_999_999_999, "ns", .lTimeOfDay)
            return .lTimeOfDay(nanoseconds: nanoseconds)
        case .dateAndTime: return .dateAndTime(try BinaryCoding.decodeDateAndTime(bytes))
        case .ldt:
            let nanoseconds = read(UInt64.self)
            try BinaryCoding.check(nanoseconds, upTo: Int128(Int64.max), "ns", .ldt)
            return .ldt(PLCDateTime(nanosecondsSince1970: Int128(nanoseconds)))
        case .dtl:
            let value = PLCDateTime(
                year: Int(read(UInt16.self)), month: Int(bytes[2]), day: Int(bytes[3]), hour: Int(bytes[5]),
                minute: Int(bytes[6]), second: Int(bytes[7]), nanosecond: Int(read(UInt32.self, at: 8)))
            try BinaryCoding.checkLong(value, .dtl)
            return .dtl(value)
        case .char: return .char(bytes[0])
        case .wChar: return .wChar(read(UInt16.self))
        case .string:
            let length = min(Int(bytes[1]), Int(bytes[0]), bytes.count - 2)
            return .string(String(String.UnicodeScalarView(bytes[2..<2 + length].map(Windows1252.decode))))
        default:
            let capacity = (bytes.count - 4) / 2
            let length = min(Int(read(UInt16.self, at: 2)), Int(read(UInt16.self)), capacity)
            let units = (0..<length).map { read(UInt16.self, at: 4 + 2 * $0) }
            return .wString(String(decoding: units, as: UTF16.self))
        }
    }

    /// The value as a value of `type`'s case (string lengths aside), when that loses nothing.
    func converted(to type: DataType) throws(PLCValueCodingError) -> PLCValue {
        if LiteralReader.sameKind(dataType, type) { return self }
        let impossible = PLCValueCodingError(message: "a \(dataType) value cannot be stored as \(type)")
        if let range = type.integerRange {
            guard let number = integerValue else { throw impossible }
            guard let value = PLCValue(integer: number, as: type) else {
                throw PLCValueCodingError(
                    message: "\(number) is outside the range of \(type) (\(range.lowerBound)..\(range.upperBound))")
            }
            return value
        }
        let inexact = PLCValueCodingError(message: "\(format(typed: true)) cannot be stored as \(type) exactly")
        switch (type, self) {
        case (.real, .lReal(let value)):
            guard let single = value.isNaN ? Float.nan : Float(exactly: value) else { throw inexact }
            return .real(single)
        case (.lReal, .real(let value)): return .lReal(Double(value))
        case (.real, _), (.lReal, _):
            guard let number = integerValue else { throw impossible }
            if type == .real {
                guard let value = Float(exactly: number) else { throw inexact }
                return .real(value)
            }
            guard let value = Double(exactly: number) else { throw inexact }
            return .lReal(value)
        case (.s5Time, _), (.time, _), (.lTime, _):
            let nanoseconds: Int128
            switch self {
            case .s5Time(let milliseconds), .time(let milliseconds): nanoseconds = Int128(milliseconds) * 1_000_000
            case .lTime(let value): nanoseconds = Int128(value)
            default: throw impossible
            }
            if type == .lTime { return .lTime(nanoseconds: Int64(nanoseconds)) }
            guard nanoseconds % 1_000_000 == 0 else { throw inexact }
            guard let milliseconds = Int32(exactly: nanoseconds / 1_000_000) else {
                throw PLCValueCodingError(message: "\(format()) is outside the range of \(type)")
            }
            if type == .time { return .time(milliseconds: milliseconds) }
            guard try BinaryCoding.s5TimeBase(milliseconds).remainder == 0 else { throw inexact }
            return .s5Time(milliseconds: milliseconds)
        case (.timeOfDay, .lTimeOfDay(let nanoseconds)):
            guard nanoseconds % 1_000_000 == 0, let milliseconds = UInt32(exactly: nanoseconds / 1_000_000) else {
                throw inexact
            }
            return .timeOfDay(milliseconds: milliseconds)
        case (.lTimeOfDay, .timeOfDay(let milliseconds)):
            return .lTimeOfDay(nanoseconds: UInt64(milliseconds) * 1_000_000)
        case (.dateAndTime, .ldt(let value)), (.dateAndTime, .dtl(let value)): return .dateAndTime(value)
        case (.ldt, .dateAndTime(let value)), (.ldt, .dtl(let value)): return .ldt(value)
        case (.dtl, .dateAndTime(let value)), (.dtl, .ldt(let value)): return .dtl(value)
        case (.wChar, .char(let code)): return .wChar(UInt16(Windows1252.decode(code).value))
        case (.char, .wChar(let unit)):
            guard let code = Unicode.Scalar(UInt32(unit)).flatMap(Windows1252.encode) else { throw inexact }
            return .char(code)
        case (.string, .wString(let text)): return .string(text)
        case (.wString, .string(let text)): return .wString(text)
        default: throw impossible
        }
    }
}

/// Byte order, BCD and the range checks of `PLCValue+Binary`.
private enum BinaryCoding {
    /// Days from 1990-01-01 to 2168-12-31, the last Date.
    static let lastDate: Int128 = 65_378

    /// The bytes of `value`, most significant first.
    static func bytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        (0..<T.bitWidth / 8).reversed().map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }

    /// The integer whose bytes, most significant first, are `bytes`.
    static func integer<T: FixedWidthInteger>(_ bytes: ArraySlice<UInt8>) -> T {
        T(truncatingIfNeeded: bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    }

    /// `value` from 0 to `last`, else `65379 days since 1990 is outside the range of Date`.
    static func check(
        _ value: some BinaryInteger, upTo last: Int128, _ unit: String, _ type: DataType
    ) throws(PLCValueCodingError) {
        guard (0...last).contains(Int128(value)) else {
            throw PLCValueCodingError(message: "\(value) \(unit) is outside the range of \(type)")
        }
    }

    /// LDT and DTL: a valid date and time from 1970-01-01-00:00:00 to 2262-04-11-23:47:16.854775807.
    static func checkLong(_ value: PLCDateTime, _ type: DataType) throws(PLCValueCodingError) {
        try checkFields(value)
        guard value.year >= 1970, value.nanosecondsSince1970 <= Int128(Int64.max) else {
            throw PLCValueCodingError(
                message: "\(value) is outside the range of \(type) "
                    + "(1970-01-01-00:00:00 to 2262-04-11-23:47:16.854775807)")
        }
    }

    /// Each field of a date and time in its range and the day in its month: `month 13 is outside 1..12`,
    /// `day 30 is outside 1..29 in 2024-02`.
    static func checkFields(_ value: PLCDateTime) throws(PLCValueCodingError) {
        guard (1...12).contains(value.month) else { throw outside("month", value.month, 1...12) }
        let days = S7Calendar.daysIn(month: value.month, year: value.year)
        guard (1...days).contains(value.day) else {
            let month = S7Calendar.padded(value.year, 4) + "-" + S7Calendar.padded(value.month, 2)
            throw outside("day", value.day, 1...days, in: " in " + month)
        }
        guard (0...23).contains(value.hour) else { throw outside("hour", value.hour, 0...23) }
        guard (0...59).contains(value.minute) else { throw outside("minute", value.minute, 0...59) }
        guard (0...59).contains(value.second) else { throw outside("second", value.second, 0...59) }
        guard (0...999_999_999).contains(value.nanosecond) else {
            throw outside("nanosecond", value.nanosecond, 0...999_999_999)
        }
    }

    static func outside(
        _ field: String, _ value: Int, _ range: ClosedRange<Int>, in context: String = ""
    ) -> PLCValueCodingError {
        PLCValueCodingError(message: "\(field) \(value) is outside \(range.lowerBound)..\(range.upperBound)" + context)
    }

    /// Two BCD digits, 0 to 99.
    static func bcd(_ value: Int) -> UInt8 { UInt8((value / 10) << 4 | value % 10) }

    /// The number in the two BCD digits of `bytes[index]`.
    static func bcd(_ bytes: [UInt8], at index: Int) throws(PLCValueCodingError) -> Int {
        let high = try bcdDigit(bytes[index] >> 4, byte: index, of: bytes)
        return high * 10 + (try bcdDigit(bytes[index] & 0x0F, byte: index, of: bytes))
    }

    static func bcdDigit(_ nibble: UInt8, byte index: Int, of bytes: [UInt8]) throws(PLCValueCodingError) -> Int {
        guard nibble <= 9 else {
            throw PLCValueCodingError(
                message: "byte \(index) (\(LiteralReader.hex(UInt64(bytes[index]), digits: 2))) is not BCD")
        }
        return Int(nibble)
    }

    /// The S5Time base code (0 to 3) for `milliseconds`, and the milliseconds the base cannot hold.
    static func s5TimeBase(_ milliseconds: Int32) throws(PLCValueCodingError) -> (code: Int, remainder: Int32) {
        guard (0...9_990_000).contains(milliseconds) else {
            throw PLCValueCodingError(message: "\(milliseconds) ms is outside the range of S5Time (0 to 2h_46m_30s)")
        }
        let code = milliseconds <= 9_990 ? 0 : milliseconds <= 99_900 ? 1 : milliseconds <= 999_000 ? 2 : 3
        return (code, milliseconds % s5TimeBases[code])
    }

    static let s5TimeBases: [Int32] = [10, 100, 1_000, 10_000]

    static func encodeS5Time(_ milliseconds: Int32) throws(PLCValueCodingError) -> [UInt8] {
        let code = try s5TimeBase(milliseconds).code
        let count = Int(milliseconds / s5TimeBases[code])
        return [UInt8(code << 4 | count / 100), bcd(count % 100)]
    }

    static func encodeDateAndTime(_ value: PLCDateTime) throws(PLCValueCodingError) -> [UInt8] {
        try checkFields(value)
        guard (1990...2089).contains(value.year) else {
            throw PLCValueCodingError(
                message: "\(value) is outside the range of Date_And_Time (1990-01-01 to 2089-12-31)")
        }
        guard value.nanosecond % 1_000_000 == 0 else {
            throw PLCValueCodingError(message: "\(value): Date_And_Time has a resolution of 1 ms")
        }
        let millisecond = value.nanosecond / 1_000_000
        let fields = [value.year % 100, value.month, value.day, value.hour, value.minute, value.second]
        return fields.map(bcd) + [bcd(millisecond / 10), UInt8((millisecond % 10) << 4 | value.weekday)]
    }

    static func decodeDateAndTime(_ bytes: [UInt8]) throws(PLCValueCodingError) -> PLCDateTime {
        var fields: [Int] = []
        for index in 0..<6 { fields.append(try bcd(bytes, at: index)) }
        let millisecond = try bcd(bytes, at: 6) * 10 + (try bcdDigit(bytes[7] >> 4, byte: 7, of: bytes))
        let value = PLCDateTime(
            year: fields[0] + (fields[0] >= 90 ? 1900 : 2000), month: fields[1], day: fields[2], hour: fields[3],
            minute: fields[4], second: fields[5], nanosecond: millisecond * 1_000_000)
        try checkFields(value)
        return value
    }
}
