import S7Model
import Testing

/// Parses a type the test expects to be valid.
private func type(_ text: String) -> DataType? {
    try? DataType(parsing: text)
}

/// The error a type text the test expects to be invalid gives.
private func failure(_ text: String) -> DataTypeParseError? {
    do {
        _ = try DataType(parsing: text)
        return nil
    } catch {
        return error
    }
}

private let elementary: [(DataType, String)] = [
    (.bool, "Bool"), (.byte, "Byte"), (.word, "Word"), (.dWord, "DWord"), (.lWord, "LWord"), (.sInt, "SInt"),
    (.usInt, "USInt"), (.int, "Int"), (.uInt, "UInt"), (.dInt, "DInt"), (.udInt, "UDInt"), (.lInt, "LInt"),
    (.ulInt, "ULInt"), (.real, "Real"), (.lReal, "LReal"), (.s5Time, "S5Time"), (.time, "Time"), (.lTime, "LTime"),
    (.date, "Date"), (.timeOfDay, "Time_Of_Day"), (.lTimeOfDay, "LTime_Of_Day"), (.dateAndTime, "Date_And_Time"),
    (.ldt, "LDT"), (.dtl, "DTL"), (.char, "Char"), (.wChar, "WChar"), (.string, "String"), (.wString, "WString"),
    (.variant, "Variant"), (.pointer, "Pointer"), (.any, "Any"), (.void, "Void"), (.blockFB, "Block_FB"),
    (.blockFC, "Block_FC"), (.blockDB, "Block_DB"), (.timer, "Timer"), (.counter, "Counter"), (.dbAny, "DB_ANY"),
    (.remote, "Remote"),
]

@Test func everyKeywordTypeFormatsCanonicallyAndReadsBack() {
    for (dataType, text) in elementary {
        #expect(dataType.description == text)
        #expect(type(text) == dataType, "\(text)")
        #expect(type(text.uppercased()) == dataType, "\(text)")
        #expect(type("  \(text.lowercased())\t") == dataType, "\(text)")
    }
}

@Test func aliases() {
    #expect(type("TOD") == .timeOfDay)
    #expect(type("ltod") == .lTimeOfDay)
    #expect(type("DT") == .dateAndTime)
    #expect(type("Date_And_LTime") == .ldt)
    #expect(type("String[254]") == .string)
    #expect(type("STRING [ 20 ]") == .string(20))
}

@Test func compositeTypesReadBackFromTheirCanonicalText() {
    let texts = [
        "String[20]", "WString[100]", "String[#Len]", "String[\"MaxLen\"]", "Array[0..7] of Bool",
        "Array[-5..5] of Int", "Array[0..1, 0..2, 1..3] of Real", "Array[1..#N] of \"UDT_Motor\"",
        "Array[0..\"MaxItems\"] of String[10]", "Array[0..MaxItems] of Byte", "Array[*] of Int", "Array[*, *] of Bool",
        "Array[0..1] of Array[0..3] of Char", "\"UDT_Motor\"", "\"FB with space\"", "TCON_IP_v4", "TON_TIME",
        "IEC_TIMER", "IEC_LTIMER", "CTU_INT", "CTUD_ULINT", "IEC_DCOUNTER", "R_TRIG", "F_TRIG", "TONR_LTIME", "TP",
        "Struct", "Struct a : Bool; b : Int; END_STRUCT", "Struct x : Struct y : Bool; END_STRUCT; END_STRUCT",
        "Struct \"odd name\" : Int; END_STRUCT", "Array[0..3] of Struct a : Bool; END_STRUCT",
    ]
    for text in texts {
        let parsed = type(text)
        #expect(parsed?.description == text, "\(text)")
        if let parsed { #expect(type(parsed.description) == parsed) }
    }
}

@Test func parsedStructures() {
    #expect(type("array [ 0 .. 7 ] OF bool") == .array([.range(0, 7)], of: .bool))
    #expect(type("Array[1..#N] of \"UDT\"") == .array([.range(1, .constant("#N"))], of: .named("UDT")))
    #expect(type("Array[*] of Int") == .array([.variable], of: .int))
    #expect(type("\"Udt_Motor\"") == .named("Udt_Motor"))
    #expect(type("ton_time") == .systemFB(SystemFBType(name: "TON_TIME")!))
    #expect(type("ton_time")?.description == "TON_TIME")
    #expect(type("HW_IO") == .systemDataType("HW_IO"))
    #expect(
        type("STRUCT a : BOOL; b : Array[0..1] of Int; END_STRUCT")
            == .struct([StructMember("a", .bool), StructMember("b", .array([.range(0, 1)], of: .int))]))
    #expect(type("Array[0..1] of Struct a : Int; END_STRUCT")?.simaticMLName == "Array[0..1] of Struct")
}

@Test func parseErrorsGiveMessageAndOffset() {
    let cases: [(text: String, message: String, offset: Int)] = [
        ("", "expected a data type", 0),
        ("Array[0..7] Bool", "expected 'of' after the dimensions", 12),
        ("Array[0..7 of Bool", "expected ',' or ']' in the array dimensions", 11),
        ("Array[7..0] of Bool", "lower bound 7 is greater than upper bound 0", 6),
        ("Array[0 7] of Bool", "expected '..' between the bounds", 8),
        ("String[0]", "string length 0 is outside 1..254", 7),
        ("String[255]", "string length 255 is outside 1..254", 7),
        ("WString[16383]", "string length 16383 is outside 1..16382", 8),
        ("\"UDT", "missing closing quote", 0),
        ("Int Int", "unexpected text after the type", 4),
        ("Struct a : Int", "expected ';' after the member type", 14),
        ("Struct a : Int; a : Bool; END_STRUCT", "duplicate member 'a'", 16),
        ("Struct a : Int;", "missing END_STRUCT", 15),
        ("Array[0..1] of", "expected a data type", 14),
    ]
    for test in cases {
        let error = failure(test.text)
        #expect(error?.message == test.message, "\(test.text)")
        #expect(error?.offset == test.offset, "\(test.text)")
    }
}

@Test func properties() {
    #expect(DataType.int.isElementary && DataType.string.isElementary && !DataType.dtl.isElementary)
    #expect(!DataType.array([.range(0, 1)], of: .int).isElementary)
    #expect(DataType.uInt.isInteger && !DataType.word.isInteger && DataType.word.isBitString)
    #expect(DataType.int.isSigned && !DataType.uInt.isSigned && DataType.time.isSigned && !DataType.byte.isSigned)
    #expect(DataType.bool.bitWidth == 1 && DataType.lReal.bitWidth == 64 && DataType.string.bitWidth == nil)
    #expect(DataType.string(10).sizeInBytes == 12 && DataType.wString(10).sizeInBytes == 24)
    #expect(DataType.dtl.sizeInBytes == 12 && DataType.dateAndTime.sizeInBytes == 8 && DataType.date.sizeInBytes == 2)
    #expect(DataType.int.integerRange == -32_768...32_767)
    #expect(DataType.ulInt.maxValue == Int128(UInt64.max))
    #expect(DataType.lInt.minValue == Int128(Int64.min))
    #expect(DataType.real.integerRange == nil)
    #expect(DataType.array([.range(1, 10), .range(0, 2)], of: .int) != DataType.array([.range(1, 10)], of: .int))
    #expect(DataType.Dimension.range(1, 10).count == 10 && DataType.Dimension.variable.count == nil)
}

@Test func systemBlocks() {
    #expect(SystemFBType(name: "iec_timer")?.timeType == .time)
    #expect(SystemFBType(name: "TOF_LTIME")?.timeType == .lTime)
    #expect(SystemFBType(name: "CTD_UDINT")?.countType == .udInt)
    #expect(SystemFBType(name: "IEC_COUNTER")?.countType == .int)
    #expect(SystemFBType(name: "R_TRIG")?.family == .edge)
    #expect(SystemFBType(name: "TON_DINT") == nil)
    #expect(SystemFBType.allNames.count == 51)
}
