import S7Compiler
import S7Model
import Testing

@Suite struct SymbolIndexTests {
    let file = SourceFileRef(path: "x", format: .simaticML)

    var device: Device {
        let fill = PlcDataType(
            name: "typeFill", file: file,
            members: [
                Member(name: "volume", dataType: "Real"),
                Member(name: "heads", dataType: "Array[1..4] of \"typeHead\""),
            ])
        let head = PlcDataType(name: "typeHead", file: file, members: [Member(name: "open", dataType: "Bool")])
        let recipe = Block(
            name: "Recipe", kind: .globalDB, number: 1, language: .db, file: file,
            interface: Interface(sections: [
                InterfaceSection(kind: .static, members: [Member(name: "fill", dataType: "\"typeFill\"")])
            ]))
        let conveyor = Block(
            name: "Conveyor", kind: .functionBlock, number: 1, language: .scl, file: file,
            interface: Interface(sections: [
                InterfaceSection(kind: .input, members: [Member(name: "run", dataType: "Bool")]),
                InterfaceSection(kind: .static, members: [Member(name: "jam", dataType: "TON_TIME")]),
                InterfaceSection(kind: .temp, members: [Member(name: "scratch", dataType: "Int")]),
            ]))
        let instance = Block(
            name: "Conveyor_DB", kind: .instanceDB, number: 2, language: .db, file: file, instanceOf: "Conveyor")
        let table = TagTable(
            name: "IO", file: file, tags: [Tag(name: "Start", dataType: "Bool", address: "%I0.0")],
            constants: [UserConstant(name: "MaxBottles", dataType: "Int", value: "24")])
        return Device(
            name: "PLC_1", folder: "PLC_1", blocks: [recipe, conveyor, instance], tagTables: [table],
            dataTypes: [fill, head])
    }

    @Test func resolvesTagsDBMembersArraysAndInstanceMembers() throws {
        let index = SymbolIndex(device: device)
        #expect(index.conflicts.isEmpty)
        #expect(try index.resolve("\"start\"") == "Bool")
        #expect(try index.resolve("MaxBottles") == "Int")
        #expect(try index.resolve("\"Recipe\".fill.volume") == "Real")
        #expect(try index.resolve("\"Recipe\".fill.heads[2].open") == "Bool")
        #expect(try index.resolve("\"Conveyor_DB\".run") == "Bool")
        #expect(try index.resolve("\"Conveyor_DB\".jam.ET") == "Time")
    }

    @Test func explainsWhatCannotBeResolved() {
        let index = SymbolIndex(device: device)
        #expect(throws: SymbolIndex.ResolveError.unknownGlobal("Stop")) { try index.resolve("\"Stop\"") }
        #expect(throws: SymbolIndex.ResolveError.unknownMember("weight", in: "\"Recipe\".fill")) {
            try index.resolve("\"Recipe\".fill.weight")
        }
        #expect(throws: SymbolIndex.ResolveError.unknownMember("scratch", in: "\"Conveyor_DB\"")) {
            try index.resolve("\"Conveyor_DB\".scratch")
        }
        #expect(throws: SymbolIndex.ResolveError.notStructured("\"Start\"", type: "Bool")) {
            try index.resolve("\"Start\".x")
        }
        #expect(throws: SymbolIndex.ResolveError.malformed("\"Recipe.fill")) { try index.resolve("\"Recipe.fill") }
    }

    @Test func reportsNamesAndNumbersUsedTwice() {
        var device = self.device
        device.tagTables.append(
            TagTable(name: "More", file: file, tags: [Tag(name: "RECIPE", dataType: "Bool", address: "%M0.0")]))
        device.blocks.append(Block(name: "Other", kind: .globalDB, number: 1, language: .db, file: file))
        let index = SymbolIndex(device: device)
        #expect(
            index.conflicts.map(\.description).sorted() == [
                "\"DB1\" is defined by block \"Recipe\" and by block \"Other\"",
                "\"Recipe\" is defined by a tag in table \"More\" and by block DB1",
            ])
    }
}
