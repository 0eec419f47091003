import S7Model
import SimaticML
import Testing

@Suite struct BlockNumberingTests {
    func block(_ name: String, _ kind: BlockKind, _ number: Int? = nil) -> Block {
        Block(
            name: name, kind: kind, number: number, language: .scl, file: SourceFileRef(path: name, format: .sclSource))
    }

    @Test func assignsNumbersAsTIAPortalDoesOnImport() {
        var blocks = [
            block("Main", .organizationBlock), block("Startup", .organizationBlock),
            block("Cyclic interrupt", .organizationBlock), block("Cyclic interrupt_1", .organizationBlock),
            block("Special", .organizationBlock), block("Conveyor", .functionBlock, 1), block("Filler", .functionBlock),
            block("Scale", .function), block("Recipe", .globalDB, 2), block("Conveyor_DB", .instanceDB),
            block("Filler_DB", .instanceDB),
        ]
        BlockNumbering.assign(&blocks)
        #expect(
            blocks.map(\.displayNumber) == [
                "OB1", "OB100", "OB30", "OB31", "OB123", "FB1", "FB2", "FC1", "DB2", "DB1", "DB3",
            ])
        #expect(blocks[0].attributes["AutoNumber"] == "true")
        #expect(blocks[5].attributes["AutoNumber"] == nil)
    }
}
