import S7Model
import Testing

/// A literal the test expects to be valid.
private func literal(_ text: String) -> PLCValue {
    try! PLCValue.parse(text)
}

/// Bytes written as TIA's hex display shows them: `"FF FE"`.
private func hex(_ text: String) -> [UInt8] {
    text.split(separator: " ").map { UInt8($0, radix: 16)! }
}

/// The error encoding gives when the test expects one.
private func encodingFailure(_ value: PLCValue, as type: DataType) -> PLCValueCodingError? {
    do {
        _ = try value.encoded(as: type)
        return nil
    } catch {
        return error
    }
}

/// The error decoding gives when the test expects one.
private func decodingFailure(_ bytes: [UInt8], as type: DataType) -> PLCValueCodingError? {
    do {
        _ = try PLCValue.decode(bytes, as: type)
        return nil
    } catch {
        return error
    }
}

private let moment = PLCDateTime(
    year: 2024, month: 3, day: 5, hour: 12, minute: 34, second: 56, nanosecond: 789_000_000)

/// Values and the bytes TIA shows for them in a DB's hex view.
private let patterns: [(value: PLCValue, type: DataType, bytes: String)] = [
    (.bool(true), .bool, "01"), (.bool(false), .bool, "00"), (.byte(0xA5), .byte, "A5"),
    (.word(0x1234), .word, "12 34"), (.dWord(0xDEAD_BEEF), .dWord, "DE AD BE EF"),
    (.lWord(0x0102_0304_0506_0708), .lWord, "01 02 03 04 05 06 07 08"), (.sInt(-1), .sInt, "FF"),
    (.usInt(200), .usInt, "C8"), (.int(-2), .int, "FF FE"), (.uInt(65_535), .uInt, "FF FF"),
    (.dInt(-100_000), .dInt, "FF FE 79 60"), (.udInt(4_000_000_000), .udInt, "EE 6B 28 00"),
    (.lInt(-1), .lInt, "FF FF FF FF FF FF FF FF"), (.ulInt(1), .ulInt, "00 00 00 00 00 00 00 01"),
    (.real(1), .real, "3F 80 00 00"), (.real(-1.5), .real, "BF C0 00 00"), (.real(.infinity), .real, "7F 80 00 00"),
    (.lReal(1), .lReal, "3F F0 00 00 00 00 00 00"),
    (literal("T#1s"), .time, "00 00 03 E8"), (literal("T#-1ms"), .time, "FF FF FF FF"),
    (literal("LT#1s"), .lTime, "00 00 00 00 3B 9A CA 00"),
    (literal("S5T#0ms"), .s5Time, "00 00"), (literal("S5T#2s"), .s5Time, "02 00"),
    (literal("S5T#500ms"), .s5Time, "00 50"), (literal("S5T#9s990ms"), .s5Time, "09 99"),
    (literal("S5T#12s300ms"), .s5Time, "11 23"), (literal("S5T#100s"), .s5Time, "21 00"),
    (literal("S5T#999s"), .s5Time, "29 99"), (literal("S5T#2h46m30s"), .s5Time, "39 99"),
    (literal("D#1990-01-01"), .date, "00 00"), (literal("D#2024-03-05"), .date, "30 C2"),
    (literal("TOD#12:34:56.789"), .timeOfDay, "02 B3 2C 95"),
    (literal("LTOD#12:34:56.789"), .lTimeOfDay, "00 00 29 32 7B 04 8F 40"),
    // Tuesday is weekday 3, Monday 2, Saturday 7.
    (literal("DT#2024-03-05-12:34:56.789"), .dateAndTime, "24 03 05 12 34 56 78 93"),
    (literal("DT#1990-01-01-00:00:00"), .dateAndTime, "90 01 01 00 00 00 00 02"),
    (literal("DT#2089-12-31-23:59:59.999"), .dateAndTime, "89 12 31 23 59 59 99 97"),
    (literal("LDT#2024-03-05-12:34:56.789"), .ldt, "17 B9 DE 6D D0 29 8F 40"),
    (literal("DTL#2024-03-05-12:34:56.789"), .dtl, "07 E8 03 05 03 0C 22 38 2F 07 2F 40"),
    (literal("DTL#1970-01-01-00:00:00"), .dtl, "07 B2 01 01 05 00 00 00 00 00 00 00"),
    (.char(0x41), .char, "41"), (literal("'€'"), .string(1), "01 01 80"), (literal("WCHAR#'é'"), .wChar, "00 E9"),
    (.string("AB"), .string(10), "0A 02 41 42 00 00 00 00 00 00 00 00"),
    (.string("é€"), .string(4), "04 02 E9 80 00 00"), (.string(""), .string(0), "00 00"),
    (.wString("Aé"), .wString(4), "00 04 00 02 00 41 00 E9 00 00 00 00"),
    (.wString("😀"), .wString(3), "00 03 00 02 D8 3D DE 00 00 00"),
]

@Test func knownBytePatternsEncodeAndDecode() throws {
    for pattern in patterns {
        let bytes = hex(pattern.bytes)
        #expect(try pattern.value.encoded(as: pattern.type) == bytes, "\(pattern.value) as \(pattern.type)")
        #expect(try PLCValue.decode(bytes, as: pattern.type) == pattern.value, "\(pattern.bytes) as \(pattern.type)")
    }
}

/// At least one value of every case, with the extremes of each range.
private let roundTrips: [(value: PLCValue, type: DataType)] = [
    (.bool(true), .bool), (.byte(.max), .byte), (.word(.max), .word), (.dWord(.max), .dWord), (.lWord(.max), .lWord),
    (.sInt(.min), .sInt), (.usInt(.max), .usInt), (.int(.min), .int), (.uInt(.max), .uInt), (.dInt(.min), .dInt),
    (.udInt(.max), .udInt), (.lInt(.min), .lInt), (.lInt(.max), .lInt), (.ulInt(.max), .ulInt),
    (.real(-.leastNonzeroMagnitude), .real), (.real(.greatestFiniteMagnitude), .real), (.lReal(0.1), .lReal),
    (.lReal(-.infinity), .lReal), (.s5Time(milliseconds: 9_990_000), .s5Time), (.s5Time(milliseconds: 130), .s5Time),
    (.time(milliseconds: .min), .time), (.lTime(nanoseconds: .max), .lTime), (.date(daysSince1990: 65_378), .date),
    (.timeOfDay(milliseconds: 86_399_999), .timeOfDay), (.lTimeOfDay(nanoseconds: 86_399_999_999_999), .lTimeOfDay),
    (literal("DT#1999-12-31-23:59:59.001"), .dateAndTime), (literal("DT#2000-02-29-00:00:00"), .dateAndTime),
    (literal("LDT#2262-04-11-23:47:16.854775807"), .ldt), (literal("LDT#1970-01-01-00:00:00"), .ldt),
    (literal("DTL#2262-04-11-23:47:16.854775807"), .dtl), (literal("DTL#2024-02-29-08:15:00.000000001"), .dtl),
    (.char(0xFF), .char), (.wChar(0xD83D), .wChar), (literal("'a$'$$$N$00ÿ'"), .string),
    (.string(String(repeating: "x", count: 254)), .string), (literal("WSTRING#'中文 $0000'"), .wString),
    (.wString(String(repeating: "é", count: 16_382)), .wString(16_382)),
]

@Test func everyCaseRoundTrips() throws {
    for (value, type) in roundTrips {
        let bytes = try value.encoded(as: type)
        #expect(bytes.count == type.storageSize, "\(value) as \(type)")
        #expect(try PLCValue.decode(bytes, as: type) == value, "\(value) as \(type)")
    }
    let cases = Set(roundTrips.map { String(describing: $0.value.dataType).prefix { $0 != "[" } })
    #expect(cases.count == 28)
}

@Test func notANumberKeepsItsBits() throws {
    #expect(try PLCValue.real(.nan).encoded(as: .real) == hex("7F C0 00 00"))
    guard case .lReal(let value) = try PLCValue.decode(hex("7F F8 00 00 00 00 00 01"), as: .lReal) else {
        Issue.record("not an LReal")
        return
    }
    #expect(value.isNaN && value.bitPattern == 0x7FF8_0000_0000_0001)
}

@Test func decodeReadsAnyCollectionOfBytes() throws {
    let buffer: [UInt8] = [0x00, 0x11, 0xFF, 0xFE, 0x22]
    #expect(try PLCValue.decode(buffer[2..<4], as: .int) == .int(-2))
    #expect(try PLCValue.decode(buffer.reversed().prefix(2), as: .word) == .word(0x22FE))
}

@Test func storageSizes() {
    let sizes: [(DataType, Int?)] = [
        (.bool, 1), (.byte, 1), (.int, 2), (.s5Time, 2), (.real, 4), (.lReal, 8), (.dateAndTime, 8), (.ldt, 8),
        (.dtl, 12), (.char, 1), (.wChar, 2), (.string(10), 12), (.string, 256), (.string(0), 2), (.wString(10), 24),
        (.wString, 512), (.wString(16_382), 32_768), (.string(.constant("N")), nil), (.string(255), nil),
        (.wString(16_383), nil), (.array([.range(0, 1)], of: .int), nil), (.named("UDT_Motor"), nil),
        (.struct([StructMember("a", .int)]), nil), (.variant, nil), (.timer, nil),
    ]
    for (type, size) in sizes { #expect(type.storageSize == size, "\(type)") }
}

@Test func boolIsBitZeroOfItsByte() throws {
    #expect(try PLCValue.decode([0x02], as: .bool) == .bool(false))
    #expect(try PLCValue.decode([0x03], as: .bool) == .bool(true))
}

@Test func otherCasesConvertWhenNothingIsLost() throws {
    let conversions: [(value: PLCValue, type: DataType, bytes: String)] = [
        (.int(5), .dInt, "00 00 00 05"), (.int(-1), .lInt, "FF FF FF FF FF FF FF FF"), (.byte(255), .int, "00 FF"),
        (.dInt(-2), .int, "FF FE"), (.ulInt(7), .word, "00 07"), (.int(3), .real, "40 40 00 00"),
        (.real(1), .lReal, "3F F0 00 00 00 00 00 00"), (.lReal(-1.5), .real, "BF C0 00 00"),
        (.time(milliseconds: 1_000), .lTime, "00 00 00 00 3B 9A CA 00"),
        (.lTime(nanoseconds: 1_000_000), .time, "00 00 00 01"), (.time(milliseconds: 1_500), .s5Time, "01 50"),
        (.s5Time(milliseconds: 2_000), .time, "00 00 07 D0"),
        (.timeOfDay(milliseconds: 1), .lTimeOfDay, "00 00 00 00 00 0F 42 40"),
        (.lTimeOfDay(nanoseconds: 2_000_000), .timeOfDay, "00 00 00 02"),
        (.dtl(moment), .dateAndTime, "24 03 05 12 34 56 78 93"),
        (.dateAndTime(moment), .ldt, "17 B9 DE 6D D0 29 8F 40"),
        (.ldt(moment), .dtl, "07 E8 03 05 03 0C 22 38 2F 07 2F 40"), (.char(0x80), .wChar, "20 AC"),
        (.wChar(0x20AC), .char, "80"), (.string("é"), .wString(1), "00 01 00 01 00 E9"),
        (.wString("é"), .string(1), "01 01 E9"), (.string("AB"), .string(2), "02 02 41 42"),
    ]
    for conversion in conversions {
        #expect(
            try conversion.value.encoded(as: conversion.type) == hex(conversion.bytes),
            "\(conversion.value) as \(conversion.type)")
    }
}

@Test func conversionsThatLoseInformationFail() {
    let failures: [(value: PLCValue, type: DataType, message: String)] = [
        (.dInt(40_000), .int, "40000 is outside the range of Int (-32768..32767)"),
        (.int(-1), .word, "-1 is outside the range of Word (0..65535)"),
        (.bool(true), .int, "a Bool value cannot be stored as Int"),
        (.real(1), .int, "a Real value cannot be stored as Int"),
        (.lReal(0.1), .real, "LREAL#0.1 cannot be stored as Real exactly"),
        (.lInt(16_777_217), .real, "LINT#16777217 cannot be stored as Real exactly"),
        (.lTime(nanoseconds: 1), .time, "LT#1ns cannot be stored as Time exactly"),
        (.lTime(nanoseconds: 25 * 86_400_000_000_000), .time, "LT#25d is outside the range of Time"),
        (.time(milliseconds: 12_345), .s5Time, "T#12s_345ms cannot be stored as S5Time exactly"),
        (.time(milliseconds: -10), .s5Time, "-10 ms is outside the range of S5Time (0 to 2h_46m_30s)"),
        (.lTimeOfDay(nanoseconds: 1), .timeOfDay, "LTOD#00:00:00.000_000_001 cannot be stored as Time_Of_Day exactly"),
        (.wChar(0x4E2D), .char, "WCHAR#'中' cannot be stored as Char exactly"),
        (.wString("中"), .string(4), "'中' is not a Windows-1252 character"),
        (.date(daysSince1990: 0), .dateAndTime, "a Date value cannot be stored as Date_And_Time"),
        (.string("A"), .char, "a String value cannot be stored as Char"),
    ]
    for failure in failures {
        #expect(encodingFailure(failure.value, as: failure.type)?.message == failure.message, "\(failure.value)")
    }
}

@Test func valuesOutsideTheirTypeFail() {
    let failures: [(value: PLCValue, type: DataType, message: String)] = [
        (.s5Time(milliseconds: 9_990_010), .s5Time, "9990010 ms is outside the range of S5Time (0 to 2h_46m_30s)"),
        (.date(daysSince1990: 65_379), .date, "65379 days since 1990 is outside the range of Date"),
        (.timeOfDay(milliseconds: 86_400_000), .timeOfDay, "86400000 ms is outside the range of Time_Of_Day"),
        (
            .lTimeOfDay(nanoseconds: 86_400_000_000_000), .lTimeOfDay,
            "86400000000000 ns is outside the range of LTime_Of_Day"
        ),
        (
            .dateAndTime(PLCDateTime(year: 2090, month: 1, day: 1)), .dateAndTime,
            "2090-01-01-00:00:00 is outside the range of Date_And_Time (1990-01-01 to 2089-12-31)"
        ),
        (
            .dateAndTime(PLCDateTime(year: 2024, month: 1, day: 1, nanosecond: 1)), .dateAndTime,
            "2024-01-01-00:00:00.000_000_001: Date_And_Time has a resolution of 1 ms"
        ),
        (
            .ldt(PLCDateTime(year: 1969, month: 12, day: 31)), .ldt,
            "1969-12-31-00:00:00 is outside the range of LDT (1970-01-01-00:00:00 to 2262-04-11-23:47:16.854775807)"
        ),
        (.dtl(PLCDateTime(year: 2024, month: 2, day: 30)), .dtl, "day 30 is outside 1..29 in 2024-02"),
        (.string("x"), .string(.constant("N")), "String[N] has no binary form"),
        (.int(1), .array([.range(0, 1)], of: .int), "Array[0..1] of Int has no binary form"),
    ]
    for failure in failures {
        #expect(encodingFailure(failure.value, as: failure.type)?.message == failure.message, "\(failure.value)")
    }
}

@Test func s5TimeDropsDigitsBelowItsBase() throws {
    #expect(try PLCValue.s5Time(milliseconds: 12_345).encoded(as: .s5Time) == hex("11 23"))
    #expect(try PLCValue.s5Time(milliseconds: 137).encoded(as: .s5Time) == hex("00 13"))
    #expect(try PLCValue.s5Time(milliseconds: 9_995).encoded(as: .s5Time) == hex("10 99"))
    // Bits 15-14 are not part of the value.
    #expect(try PLCValue.decode(hex("C2 00"), as: .s5Time) == .s5Time(milliseconds: 2_000))
    #expect(try PLCValue.decode(hex("10 05"), as: .s5Time) == .s5Time(milliseconds: 500))
}

@Test func stringsAreCutAndClamped() throws {
    #expect(try PLCValue.string("ABC").encoded(as: .string(2)) == hex("02 02 41 42"))
    #expect(try PLCValue.wString("ABC").encoded(as: .wString(2)) == hex("00 02 00 02 00 41 00 42"))
    // A surrogate pair is not split.
    #expect(try PLCValue.wString("A😀").encoded(as: .wString(2)) == hex("00 02 00 01 00 41 00 00"))
    // The current length is clamped to the maximum length in byte 0 and to the bytes present.
    #expect(try PLCValue.decode(hex("04 09 41 42 43 44"), as: .string(4)) == .string("ABCD"))
    #expect(try PLCValue.decode(hex("02 04 41 42 43 44"), as: .string(4)) == .string("AB"))
    #expect(try PLCValue.decode(hex("FE 04 41 42 43 44"), as: .string(4)) == .string("ABCD"))
    #expect(try PLCValue.decode(hex("00 00 00 00 00 00"), as: .string(4)) == .string(""))
    #expect(try PLCValue.decode(hex("00 02 00 03 00 41 00 42"), as: .wString(2)) == .wString("AB"))
    #expect(try PLCValue.decode(hex("00 01 00 02 00 41 00 42"), as: .wString(2)) == .wString("A"))
    // A lone surrogate reads as U+FFFD.
    #expect(try PLCValue.decode(hex("00 01 00 01 D8 3D"), as: .wString(1)) == .wString("\u{FFFD}"))
}

@Test func decodingInvalidBytesFails() {
    let failures: [(bytes: String, type: DataType, message: String)] = [
        ("24 1A 05 12 34 56 78 93", .dateAndTime, "byte 1 (16#1A) is not BCD"),
        ("24 03 05 12 34 56 7F 93", .dateAndTime, "byte 6 (16#7F) is not BCD"),
        ("24 03 05 12 34 56 78 A3", .dateAndTime, "byte 7 (16#A3) is not BCD"),
        ("24 02 30 12 00 00 00 03", .dateAndTime, "day 30 is outside 1..29 in 2024-02"),
        ("24 03 05 24 00 00 00 03", .dateAndTime, "hour 24 is outside 0..23"),
        ("0A 00", .s5Time, "byte 0 (16#0A) is not BCD"), ("00 F0", .s5Time, "byte 1 (16#F0) is not BCD"),
        ("FF FF", .date, "65535 days since 1990 is outside the range of Date"),
        ("05 26 5C 00", .timeOfDay, "86400000 ms is outside the range of Time_Of_Day"),
        ("80 00 00 00 00 00 00 00", .ldt, "9223372036854775808 ns is outside the range of LDT"),
        ("07 E8 0D 01 01 00 00 00 00 00 00 00", .dtl, "month 13 is outside 1..12"),
        ("07 E8 01 01 01 00 00 00 3B 9A CA 00", .dtl, "nanosecond 1000000000 is outside 0..999999999"),
        (
            "07 B1 0C 1F 05 00 00 00 00 00 00 00", .dtl,
            "1969-12-31-00:00:00 is outside the range of DTL (1970-01-01-00:00:00 to 2262-04-11-23:47:16.854775807)"
        ),
        ("FF", .int, "Int takes 2 bytes, not 1"), ("00 00 00", .string(2), "String[2] takes 4 bytes, not 3"),
        ("00", .variant, "Variant has no binary form"),
    ]
    for failure in failures {
        #expect(decodingFailure(hex(failure.bytes), as: failure.type)?.message == failure.message, "\(failure.bytes)")
    }
}
