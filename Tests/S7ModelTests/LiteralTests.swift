import S7Model
import Testing

/// Parses a literal the test expects to be valid.
private func value(_ literal: String, as type: DataType? = nil) -> PLCValue? {
    try? PLCValue.parse(literal, as: type)
}

/// The error a literal the test expects to be invalid gives.
private func failure(_ literal: String, as type: DataType? = nil) -> LiteralError? {
    do {
        _ = try PLCValue.parse(literal, as: type)
        return nil
    } catch {
        return error
    }
}

private let noon = PLCDateTime(year: 2024, month: 1, day: 31, hour: 12)

/// Every literal form with the value it stands for.
private let forms: [(literal: String, type: DataType?, value: PLCValue)] = [
    ("TRUE", nil, .bool(true)), ("false", nil, .bool(false)), ("BOOL#1", nil, .bool(true)),
    ("bool#FALSE", nil, .bool(false)), ("1", .bool, .bool(true)), ("0", .bool, .bool(false)),
    ("16#FF", nil, .byte(255)), ("16#100", nil, .word(256)), ("2#1010_0001", nil, .byte(0xA1)),
    ("8#17", nil, .byte(15)), ("16#1_0000", nil, .dWord(65_536)), ("16#1_0000_0000", nil, .lWord(1 << 32)),
    ("-1", nil, .int(-1)), ("40000", nil, .dInt(40_000)), ("1_000", nil, .int(1_000)),
    ("3_000_000_000", nil, .lInt(3_000_000_000)), ("18446744073709551615", nil, .ulInt(.max)),
    ("INT#-5", nil, .int(-5)), ("int#+5", nil, .int(5)), ("SINT#-128", nil, .sInt(-128)),
    ("USINT#255", nil, .usInt(255)),
    ("UINT#65535", nil, .uInt(65_535)), ("DINT#16#7FFF_FFFF", nil, .dInt(.max)),
    ("UDINT#4294967295", nil, .udInt(.max)),
    ("LINT#-9223372036854775808", nil, .lInt(.min)), ("ULINT#16#FFFF_FFFF_FFFF_FFFF", nil, .ulInt(.max)),
    ("INT#16#FFFF", nil, .int(-1)), ("BYTE#16#0F", nil, .byte(15)), ("WORD#16#00FF", nil, .word(255)),
    ("DWORD#2#1", nil, .dWord(1)), ("LWORD#8#777", nil, .lWord(0o777)), ("B#16#0F", nil, .byte(15)),
    ("W#16#1234", nil, .word(0x1234)), ("DW#16#DEAD_BEEF", nil, .dWord(0xDEAD_BEEF)), ("L#-7", nil, .dInt(-7)),
    ("255", .byte, .byte(255)), ("12", .dInt, .dInt(12)), ("16#10", .int, .int(16)),
    ("REAL#1.5", nil, .real(1.5)), ("1.5", nil, .real(1.5)), ("1.0E-3", nil, .real(0.001)), ("1e10", nil, .real(1e10)),
    ("-2.5e+2", nil, .real(-250)), ("1_000.5", nil, .real(1_000.5)), ("LREAL#0.1", nil, .lReal(0.1)),
    ("REAL#5", nil, .real(5)), ("5", .real, .real(5)), ("5", .lReal, .lReal(5)), ("1e300", nil, .lReal(1e300)),
    ("LREAL#-Inf", nil, .lReal(-.infinity)),
    ("T#1h2m3s4ms", nil, .time(milliseconds: 3_723_004)), ("TIME#1h_2m_3s_4ms", nil, .time(milliseconds: 3_723_004)),
    ("T#-5s", nil, .time(milliseconds: -5_000)), ("T#1d2h_3m", nil, .time(milliseconds: 93_780_000)),
    ("T#1.5s", nil, .time(milliseconds: 1_500)), ("t#90M", nil, .time(milliseconds: 5_400_000)),
    ("T#1_000ms", nil, .time(milliseconds: 1_000)), ("T#24d20h31m23s647ms", nil, .time(milliseconds: .max)),
    ("T#-24d20h31m23s648ms", nil, .time(milliseconds: .min)),
    ("LT#1s5ns", nil, .lTime(nanoseconds: 1_000_000_005)), ("LTIME#-2us", nil, .lTime(nanoseconds: -2_000)),
    ("LT#1.000000001s", nil, .lTime(nanoseconds: 1_000_000_001)), ("LT#0.5ms", nil, .lTime(nanoseconds: 500_000)),
    ("S5T#2s", nil, .s5Time(milliseconds: 2_000)), ("S5TIME#2h46m30s", nil, .s5Time(milliseconds: 9_990_000)),
    ("S5T#137ms", nil, .s5Time(milliseconds: 130)), ("S5T#12345ms", nil, .s5Time(milliseconds: 12_300)),
    ("D#2024-01-31", nil, .date(daysSince1990: 12_448)), ("DATE#1990-01-01", nil, .date(daysSince1990: 0)),
    ("D#2168-12-31", nil, .date(daysSince1990: 65_378)),
    ("TOD#12:00:00.000", nil, .timeOfDay(milliseconds: 43_200_000)),
    ("TIME_OF_DAY#23:59:59.999", nil, .timeOfDay(milliseconds: 86_399_999)),
    ("TOD#8:30", nil, .timeOfDay(milliseconds: 30_600_000)), ("TOD#0:0:1.5", nil, .timeOfDay(milliseconds: 1_500)),
    ("LTOD#10:20:30.400_365_215", nil, .lTimeOfDay(nanoseconds: 37_230_400_365_215)),
    ("LTIME_OF_DAY#00:00:00.000000001", nil, .lTimeOfDay(nanoseconds: 1)),
    ("DT#2024-01-31-12:00:00.000", nil, .dateAndTime(noon)),
    ("DATE_AND_TIME#2024-01-31-12:00", nil, .dateAndTime(noon)),
    ("LDT#2024-01-31-12:00:00", nil, .ldt(noon)),
    (
        "DATE_AND_LTIME#2262-04-11-23:47:16.854775807", nil,
        .ldt(PLCDateTime(year: 2262, month: 4, day: 11, hour: 23, minute: 47, second: 16, nanosecond: 854_775_807))
    ),
    (
        "DTL#2008-12-16-20:30:20.250", nil,
        .dtl(PLCDateTime(year: 2008, month: 12, day: 16, hour: 20, minute: 30, second: 20, nanosecond: 250_000_000))
    ),
    ("'text'", nil, .string("text")), ("''", nil, .string("")), ("STRING#'a$'b'", nil, .string("a'b")),
    ("'$$ $L$l$N$P$R$T'", nil, .string("$ \n\n\r\n\u{0C}\r\t")), ("'$41$e9$80'", nil, .string("Aé€")),
    ("WSTRING#'Ωx'", nil, .wString("Ωx")), ("WSTRING#'$03A9$'$$'", nil, .wString("Ω'$")),
    ("CHAR#'a'", nil, .char(97)), ("'a'", .char, .char(97)), ("CHAR#'$27'", nil, .char(39)),
    ("CHAR#'€'", nil, .char(0x80)), ("WCHAR#'x'", nil, .wChar(120)), ("WCHAR#'$20AC'", nil, .wChar(0x20AC)),
    ("'ab'", .string(.value(2)), .string("ab")), ("'Ω'", .wString, .wString("Ω")),
    ("  INT#7 ", nil, .int(7)),
]

@Test func everyLiteralFormParses() {
    for form in forms {
        #expect(value(form.literal, as: form.type) == form.value, "\(form.literal)")
    }
}

/// A value of every elementary type and DTL, including extremes.
private let samples: [PLCValue] = [
    .bool(true), .bool(false), .byte(0), .byte(0xAB), .word(0x00FF), .dWord(0xDEAD_BEEF), .lWord(.max),
    .sInt(.min), .usInt(.max), .int(-5), .int(.max), .uInt(.max), .dInt(.min), .udInt(.max), .lInt(.min),
    .ulInt(.max), .real(1.5), .real(-0.1), .real(1e10), .real(.leastNonzeroMagnitude), .real(.greatestFiniteMagnitude),
    .real(3.1415927), .lReal(0.1), .lReal(-1e-300), .lReal(.greatestFiniteMagnitude), .lReal(2), .real(.infinity),
    .s5Time(milliseconds: 0), .s5Time(milliseconds: 9_990_000), .s5Time(milliseconds: 1_230),
    .time(milliseconds: 0), .time(milliseconds: 3_723_004), .time(milliseconds: .min), .time(milliseconds: .max),
    .lTime(nanoseconds: .min), .lTime(nanoseconds: .max), .lTime(nanoseconds: 0),
    .lTime(nanoseconds: 90_061_001_001_001),
    .date(daysSince1990: 0), .date(daysSince1990: 65_378), .date(daysSince1990: 12_448),
    .timeOfDay(milliseconds: 0), .timeOfDay(milliseconds: 86_399_999), .timeOfDay(milliseconds: 45_296_500),
    .lTimeOfDay(nanoseconds: 37_230_400_365_215), .lTimeOfDay(nanoseconds: 86_399_999_999_999),
    .lTimeOfDay(nanoseconds: 1_000),
    .dateAndTime(PLCDateTime(year: 1990, month: 1, day: 1)),
    .dateAndTime(
        PLCDateTime(year: 2089, month: 12, day: 31, hour: 23, minute: 59, second: 59, nanosecond: 999_000_000)),
    .ldt(PLCDateTime(year: 1970, month: 1, day: 1)), .ldt(PLCDateTime(year: 2024, month: 2, day: 29, nanosecond: 1)),
    .dtl(PLCDateTime(year: 2262, month: 4, day: 11, hour: 23, minute: 47, second: 16, nanosecond: 854_775_807)),
    .char(97), .char(0), .char(0x27), .char(0x80), .char(0x81), .wChar(0x3A9), .wChar(0xD800), .wChar(10),
    .string(""), .string("It's $5\r\n\tok\u{1}"), .string("Grüße €"), .wString("Ω ünïcödé 😀 $'\n"),
]

@Test func formatReadsBackWithTheType() {
    for sample in samples {
        let text = sample.format()
        #expect(value(text, as: sample.dataType) == sample, "\(text)")
    }
}

@Test func typedFormatReadsBackWithoutType() {
    for sample in samples {
        let text = sample.format(typed: true)
        #expect(value(text) == sample, "\(text)")
    }
}

@Test func nanFormatsAndReadsBack() throws {
    #expect(PLCValue.real(.nan).format() == "NaN")
    guard case .real(let single) = try PLCValue.parse("NaN") else {
        Issue.record("NaN is not a Real")
        return
    }
    #expect(single.isNaN)
}

@Test func canonicalFormats() {
    let expected: [(PLCValue, String)] = [
        (.bool(true), "TRUE"), (.int(-5), "-5"), (.byte(15), "16#0F"), (.word(255), "16#00FF"),
        (.dWord(255), "16#0000_00FF"), (.lWord(255), "16#0000_0000_0000_00FF"), (.real(1.5), "1.5"),
        (.real(5), "5.0"), (.real(1e10), "1.0E+10"), (.lReal(-2.5e-5), "-2.5E-5"), (.real(0.1), "0.1"),
        (.time(milliseconds: 3_723_004), "T#1h_2m_3s_4ms"), (.time(milliseconds: -5_000), "T#-5s"),
        (.time(milliseconds: 0), "T#0ms"), (.time(milliseconds: 93_780_000), "T#1d_2h_3m"),
        (.lTime(nanoseconds: 1_000_000_005), "LT#1s_5ns"), (.lTime(nanoseconds: 0), "LT#0ns"),
        (.s5Time(milliseconds: 2_000), "S5T#2s"), (.date(daysSince1990: 12_448), "D#2024-01-31"),
        (.timeOfDay(milliseconds: 43_200_000), "TOD#12:00:00"), (.timeOfDay(milliseconds: 500), "TOD#00:00:00.500"),
        (.lTimeOfDay(nanoseconds: 37_230_400_365_215), "LTOD#10:20:30.400_365_215"),
        (.lTimeOfDay(nanoseconds: 37_230_400_000_000), "LTOD#10:20:30.400"),
        (.dateAndTime(noon), "DT#2024-01-31-12:00:00"), (.ldt(noon), "LDT#2024-01-31-12:00:00"),
        (.dtl(PLCDateTime(year: 2008, month: 12, day: 16, nanosecond: 250_000_000)), "DTL#2008-12-16-00:00:00.250"),
        (.char(97), "'a'"), (.char(10), "'$L'"), (.char(1), "'$01'"), (.wChar(120), "WCHAR#'x'"),
        (.string("It's $5"), "'It$'s $$5'"), (.string("a\r\n"), "'a$R$L'"), (.wString("Ω"), "WSTRING#'Ω'"),
    ]
    for (sample, text) in expected {
        #expect(sample.format() == text)
    }
    #expect(PLCValue.int(-5).format(typed: true) == "INT#-5")
    #expect(PLCValue.word(255).format(typed: true) == "WORD#16#00FF")
    #expect(PLCValue.lReal(1.5).format(typed: true) == "LREAL#1.5")
    #expect(PLCValue.char(97).format(typed: true) == "CHAR#'a'")
    #expect(PLCValue.string("x").format(typed: true) == "'x'")
    #expect(PLCValue.int(3).description == "3")
}

@Test func rangeErrorsSayWhatAndWhere() {
    let cases: [(literal: String, type: DataType?, message: String, offset: Int)] = [
        ("INT#40000", nil, "40000 is outside the range of Int (-32768..32767)", 4),
        ("300", .byte, "300 is outside the range of Byte (0..255)", 0),
        ("-1", .uInt, "-1 is outside the range of UInt (0..65535)", 0),
        ("USINT#-1", nil, "-1 is outside the range of USInt (0..255)", 6),
        ("SINT#16#1FF", nil, "511 is outside the range of SInt (-128..127)", 5),
        ("T#24d20h31m23s648ms", nil, "duration outside the range of Time (±24d_20h_31m_23s_647ms)", 2),
        ("T#25d", nil, "duration outside the range of Time (±24d_20h_31m_23s_647ms)", 2),
        ("LT#106752d", nil, "duration outside the range of LTime (±106751d_23h_47m_16s_854ms_775us_807ns)", 3),
        ("S5T#2h46m31s", nil, "duration outside the range of S5Time (0 to 2h_46m_30s)", 4),
        ("S5T#-1s", nil, "an S5Time cannot be negative", 4),
        ("D#1989-12-31", nil, "date outside the range of Date (1990-01-01 to 2168-12-31)", 2),
        ("D#2169-01-01", nil, "date outside the range of Date (1990-01-01 to 2168-12-31)", 2),
        ("DT#2090-01-01-00:00:00", nil, "date outside the range of Date_And_Time (1990-01-01 to 2089-12-31)", 3),
        ("DT#1989-12-31-23:59:59", nil, "date outside the range of Date_And_Time (1990-01-01 to 2089-12-31)", 3),
        (
            "LDT#1969-12-31-23:59:59", nil,
            "date outside the range of LDT (1970-01-01-00:00:00 to 2262-04-11-23:47:16.854775807)", 4
        ),
        (
            "LDT#2262-04-11-23:47:16.854775808", nil,
            "date outside the range of LDT (1970-01-01-00:00:00 to 2262-04-11-23:47:16.854775807)", 4
        ),
        ("REAL#1e39", nil, "1e39 is outside the range of Real", 5),
        ("'abc'", .string(.value(2)), "3 characters do not fit String[2] (at most 2)", 0),
        ("'Ω'", nil, "'Ω' is not a Windows-1252 character", 1),
        ("CHAR#'ab'", nil, "a Char holds exactly one character", 0),
        ("TOD#24:00:00", nil, "no such time of day", 4),
        ("D#2023-02-29", nil, "no such date", 2),
    ]
    for test in cases {
        let error = failure(test.literal, as: test.type)
        #expect(error?.message == test.message, "\(test.literal)")
        #expect(error?.offset == test.offset, "\(test.literal)")
        #expect(error?.literal == test.literal)
    }
}

@Test func syntaxErrorsSayWhatAndWhere() {
    let cases: [(literal: String, type: DataType?, message: String, offset: Int)] = [
        ("", nil, "empty literal", 0),
        ("FOO#1", nil, "unknown type prefix 'FOO#'", 0),
        ("T#5", nil, "missing unit", 3),
        ("T#5x", nil, "unknown unit 'x' for Time", 3),
        ("T#5ns", nil, "unknown unit 'ns' for Time", 3),
        ("T#1s2m", nil, "units must go from days down to the smallest", 5),
        ("T#1.5s2ms", nil, "only the last unit may have a fraction", 6),
        ("T#1.5ms", nil, "Time has a resolution of 1 ms", 2),
        ("16#FG", nil, "unexpected 'G' in an integer", 4),
        ("3#12", nil, "base 3 is not 2, 8 or 16", 0),
        ("-16#10", nil, "a based number has no sign", 0),
        ("1__0", nil, "misplaced '_'", 1),
        ("'abc", nil, "missing closing quote", 4),
        ("'a$q'", nil, "unknown escape '$q'", 2),
        ("T#5s", .lTime, "a Time literal cannot be used for LTime", 0),
        ("INT#5", .dInt, "a Int literal cannot be used for DInt", 0),
        ("5", .named("UDT"), "\"UDT\" has no literal form", 0),
        ("1.5", .int, "unexpected '.' in an integer", 1),
        ("maybe", .bool, "expected TRUE, FALSE, 1 or 0", 0),
        ("TOD#12", nil, "expected ':' after the hours", 6),
        ("abc", nil, "expected digits", 0),
        ("T#1d_", nil, "misplaced '_'", 4),
        ("T#", nil, "missing value after the prefix", 2),
    ]
    for test in cases {
        let error = failure(test.literal, as: test.type)
        #expect(error?.message == test.message, "\(test.literal)")
        #expect(error?.offset == test.offset, "\(test.literal)")
    }
}

@Test func defaultValues() {
    #expect(PLCValue.defaultValue(for: .int) == .int(0))
    #expect(PLCValue.defaultValue(for: .bool) == .bool(false))
    #expect(PLCValue.defaultValue(for: .string(.value(10))) == .string(""))
    #expect(PLCValue.defaultValue(for: .time)?.format() == "T#0ms")
    #expect(PLCValue.defaultValue(for: .date)?.format() == "D#1990-01-01")
    #expect(PLCValue.defaultValue(for: .timeOfDay)?.format() == "TOD#00:00:00")
    #expect(PLCValue.defaultValue(for: .dateAndTime)?.format() == "DT#1990-01-01-00:00:00")
    #expect(PLCValue.defaultValue(for: .ldt)?.format() == "LDT#1970-01-01-00:00:00")
    #expect(PLCValue.defaultValue(for: .dtl)?.format() == "DTL#1970-01-01-00:00:00")
    #expect(PLCValue.defaultValue(for: .array([.range(0, 1)], of: .int)) == nil)
    let elementary: [DataType] = [
        .bool, .byte, .word, .dWord, .lWord, .sInt, .usInt, .int, .uInt, .dInt, .udInt, .lInt, .ulInt, .real, .lReal,
        .s5Time, .time, .lTime, .date, .timeOfDay, .lTimeOfDay, .dateAndTime, .ldt, .dtl, .char, .wChar, .string,
        .wString,
    ]
    for type in elementary {
        let zero = PLCValue.defaultValue(for: type)
        #expect(zero?.dataType == type)
        if let zero { #expect(value(zero.format(), as: type) == zero) }
    }
}

@Test func dateTimeArithmetic() {
    let leap = PLCDateTime(year: 2024, month: 2, day: 29, hour: 13, minute: 14, second: 15, nanosecond: 16)
    #expect(PLCDateTime(nanosecondsSince1970: leap.nanosecondsSince1970) == leap)
    #expect(PLCDateTime(year: 1970, month: 1, day: 1).weekday == 5)
    #expect(PLCDateTime(year: 2024, month: 1, day: 31).weekday == 4)
    #expect(PLCDateTime(year: 1990, month: 1, day: 1).daysSince1970 == 7_305)
    #expect(PLCDateTime(year: 2023, month: 2, day: 29).isValid == false)
    #expect(PLCValue(integer: 300, as: .byte) == nil)
    #expect(PLCValue(integer: 300, as: .int) == .int(300))
    #expect(PLCValue.uInt(7).integerValue == 7)
}

/// `C#n`, a STEP 7 counter value: three decimal digits kept as BCD in a WORD.
@Test func counterValuesAreBCDWords() {
    #expect(value("C#25") == .word(0x0025))
    #expect(value("c#999", as: .word) == .word(0x0999))
    #expect(value("C#0") == .word(0))
    for bad in ["C#1000", "C#-1", "C#+5", "C#12A", "C#", "C#1.5"] {
        #expect(failure(bad) != nil, "\(bad)")
    }
    #expect(failure("C#5", as: .int) != nil)
}
