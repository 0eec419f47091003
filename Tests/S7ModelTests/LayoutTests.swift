import S7Model
import Testing

/// `path offset size` lines of a layout, one per entry, sizes in bytes except Bools (`1b`).
private func summary(_ layout: StandardLayout) -> [String] {
    layout.entries.map { entry in
        let size = entry.dataType == .bool ? "1b" : "\(entry.sizeInBytes)"
        return "\(entry.path) \(entry.offsetDescription) \(size)"
    }
}

private func layout(
    _ members: [StructMember], udts: [String: [StructMember]] = [:], constants: [String: Int] = [:]
) throws -> StandardLayout {
    try StandardLayout(members: members, resolve: { udts[$0] }, constant: { constants[$0] })
}

private func members(_ pairs: KeyValuePairs<String, DataType>) -> [StructMember] {
    pairs.map { StructMember($0.key, $0.value) }
}

/// The example of the specification: Bools share a byte, everything of 2 bytes or more and every struct starts
/// on an even byte.
@Test func mixedMembers() throws {
    let result = try layout(
        members([
            "a": .bool, "b": .bool, "c": .int, "d": .byte, "e": .bool, "f": .real, "s": .string(10),
            "arr": .array([.range(0, 9)], of: .bool),
            "x": .struct([StructMember("y", .bool), StructMember("z", .int)]),
            "w": .word,
        ]))
    #expect(
        summary(result) == [
            "a 0.0 1b", "b 0.1 1b",
            "c 2.0 2",  // after Bools the next even byte
            "d 4.0 1",
            "e 5.0 1b",  // a Bool after a Byte starts a new byte
            "f 6.0 4",  // 5.1 → even byte 6
            "s 10.0 12",  // String[10] = 10 + 2
            "arr 22.0 2",  // 10 bits → 2 bytes
            "x 24.0 4", "x.y 24.0 1b", "x.z 26.0 2", "w 28.0 2",
        ])
    #expect(result.sizeInBytes == 30)
    #expect(result.entry("ARR")?.elementStrideInBits == 1)
}

/// Nine Bools fill byte 0 and spill into byte 1; a Byte then takes the next whole byte; the total is even.
@Test func boolsSpillIntoTheNextByte() throws {
    let names = (0...8).map { "b\($0)" }
    let result = try layout(names.map { StructMember($0, .bool) } + [StructMember("c", .byte)])
    #expect(summary(result) == (0...7).map { "b\($0) 0.\($0) 1b" } + ["b8 1.0 1b", "c 2.0 1"])
    #expect(result.sizeInBytes == 4)
}

/// Byte types pack on any byte; DInt after an odd byte moves to the next even one.
@Test func byteTypesPack() throws {
    let result = try layout(
        members(["c1": .char, "c2": .char, "i": .int, "b": .byte, "s": .sInt, "u": .usInt, "d": .dInt]))
    #expect(summary(result) == ["c1 0.0 1", "c2 1.0 1", "i 2.0 2", "b 4.0 1", "s 5.0 1", "u 6.0 1", "d 8.0 4"])
    #expect(result.sizeInBytes == 12)
}

/// String[3] takes 5 bytes, so a Byte can follow on the odd byte 5; WString[2] takes 2 × 2 + 4 = 8.
@Test func oddStringAndWString() throws {
    let result = try layout(members(["s": .string(3), "b": .byte, "w": .word, "ws": .wString(2), "t": .time]))
    #expect(summary(result) == ["s 0.0 5", "b 5.0 1", "w 6.0 2", "ws 8.0 8", "t 16.0 4"])
    #expect(result.sizeInBytes == 20)
}

/// A UDT instance starts on an even byte, lists its members, and is padded to an even size (here 16).
@Test func udtInstances() throws {
    let motor = members(["on": .bool, "speed": .real, "name": .string(8)])
    let result = try layout(
        members(["flag": .bool, "m1": .named("UDT_Motor"), "count": .int, "m2": .named("UDT_Motor")]),
        udts: ["UDT_Motor": motor])
    #expect(
        summary(result) == [
            "flag 0.0 1b", "m1 2.0 16", "m1.on 2.0 1b", "m1.speed 4.0 4", "m1.name 8.0 10", "count 18.0 2",
            "m2 20.0 16", "m2.on 20.0 1b", "m2.speed 22.0 4", "m2.name 26.0 10",
        ])
    #expect(result.sizeInBytes == 36)
}

/// Arrays: Ints at a stride of 2, Bytes of 1 (5 bytes padded to 6), 21 Bools in 3 bytes padded to 4, a 2 × 3 Real
/// array of 24 bytes, and String[3] elements at an even stride of 6.
@Test func arrays() throws {
    let result = try layout(
        members([
            "a": .array([.range(1, 3)], of: .int), "b": .array([.range(0, 4)], of: .byte), "c": .bool,
            "d": .array([.range(0, 20)], of: .bool), "e": .array([.range(0, 1), .range(0, 2)], of: .real),
            "f": .array([.range(0, 1)], of: .string(3)),
        ]))
    #expect(summary(result) == ["a 0.0 6", "b 6.0 6", "c 12.0 1b", "d 14.0 4", "e 18.0 24", "f 42.0 12"])
    #expect(result.entries.map(\.elementStrideInBits) == [16, 8, nil, 1, 32, 48])
    #expect(result.sizeInBytes == 54)
}

/// Date and time types: DT 8, DTL 12, Date 2, TOD 4, S5Time 2, LReal 8, Char 1, WChar 2 (even), LTime 8.
@Test func dateAndTimeTypes() throws {
    let result = try layout(
        members([
            "dt": .dateAndTime, "dtl": .dtl, "d": .date, "tod": .timeOfDay, "s5": .s5Time, "lr": .lReal,
            "ch": .char, "wc": .wChar, "lt": .lTime,
        ]))
    #expect(
        summary(result) == [
            "dt 0.0 8", "dtl 8.0 12", "d 20.0 2", "tod 22.0 4", "s5 26.0 2", "lr 28.0 8", "ch 36.0 1", "wc 38.0 2",
            "lt 40.0 8",
        ])
    #expect(result.sizeInBytes == 48)
}

/// IEC system blocks as multi-instances: TON_TIME 16, CTU_INT 6, R_TRIG 2, TON_LTIME 32, CTU_SINT 4, CTUD_DINT 12.
@Test func iecSystemBlocks() throws {
    func block(_ name: String) -> DataType { .systemFB(SystemFBType(name: name)!) }
    let result = try layout(
        members([
            "start": .bool, "t": block("TON_TIME"), "c": block("CTU_INT"), "r": block("R_TRIG"),
            "lt": block("TON_LTIME"), "cs": block("CTU_SINT"), "cd": block("CTUD_DINT"),
        ]))
    #expect(
        summary(result) == [
            "start 0.0 1b", "t 2.0 16", "c 18.0 6", "r 24.0 2", "lt 26.0 32", "cs 58.0 4", "cd 62.0 12",
        ])
    #expect(result.sizeInBytes == 74)
    #expect(StandardLayout.size(of: SystemFBType(name: "IEC_TIMER")!) == 16)
    #expect(StandardLayout.size(of: SystemFBType(name: "IEC_ULCOUNTER")!) == 24)
}

/// A struct of three byte-sized members is padded to 4, which is the stride of an array of it.
@Test func arrayOfStructs() throws {
    let element = DataType.struct(members(["a": .bool, "b": .byte, "c": .bool]))
    let result = try layout(members(["arr": .array([.range(0, 2)], of: element), "x": .bool]))
    #expect(summary(result) == ["arr 0.0 12", "x 12.0 1b"])
    #expect(result.entries[0].elementStrideInBits == 32)
    #expect(result.sizeInBytes == 14)
}

/// A struct holding one Bool still takes 2 bytes, so the next Bool starts at byte 2.
@Test func structPadding() throws {
    let result = try layout(members(["s": .struct([StructMember("a", .bool)]), "b": .bool]))
    #expect(summary(result) == ["s 0.0 2", "s.a 0.0 1b", "b 2.0 1b"])
    #expect(result.sizeInBytes == 4)
}

@Test func symbolicBounds() throws {
    let result = try layout(
        members(["a": .array([.range(0, .constant("#N"))], of: .int), "s": .string(.constant("\"Len\""))]),
        constants: ["#N": 4, "\"Len\"": 6])
    #expect(summary(result) == ["a 0.0 10", "s 10.0 8"])
}

/// The description of the error a layout the test expects to fail gives.
private func message(_ members: [StructMember], udts: [String: [StructMember]] = [:]) -> String? {
    do {
        _ = try StandardLayout(members: members, resolve: { udts[$0] })
        return nil
    } catch {
        return error.description
    }
}

@Test func layoutErrors() {
    #expect(message([StructMember("m", .named("UDT_X"))]) == "m: unknown type \"UDT_X\"")
    #expect(
        message(
            [StructMember("s", .struct([StructMember("inner", .named("Loop"))]))],
            udts: [
                "Loop": [
                    StructMember("again", .named("Loop"))
                ]
            ]) == "s.inner.again: type \"Loop\" contains itself")
    #expect(message([StructMember("a", .array([.range(0, .constant("#N"))], of: .int))]) == "a: unknown constant #N")
    #expect(
        message([StructMember("a", .array([.variable], of: .int))]) == "a: Array[*] has no layout in a standard block")
    #expect(message([StructMember("v", .variant)]) == "v: Variant has no layout in a standard block")
}
