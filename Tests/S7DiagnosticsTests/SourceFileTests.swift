import S7Diagnostics
import Testing

@Suite struct SourceFileTests {
    @Test func linesAndColumnsCountScalarsAndTabs() {
        let file = SourceFile(path: "a.scl", text: "IF x THEN\n\tсчёт := 1;\r\ny := 2;\rz")
        #expect(file.lineCount == 4)
        #expect(file.location(of: 0) == SourceLocation(line: 1, column: 1))
        #expect(file.location(of: 11) == SourceLocation(line: 2, column: 2))  // after the tab
        let assign = Array(file.bytes).firstIndex(of: UInt8(ascii: ":"))!
        #expect(file.location(of: assign) == SourceLocation(line: 2, column: 7))
        #expect(file.lineText(2) == "\tсчёт := 1;")
        #expect(file.lineText(3) == "y := 2;")
        #expect(file.lineText(4) == "z")
        #expect(file.location(of: 10_000) == SourceLocation(line: 4, column: 2))
    }

    @Test func byteOrderMarkIsNotAColumn() {
        let file = SourceFile(path: "b.scl", bytes: [0xEF, 0xBB, 0xBF] + Array("FB".utf8))
        #expect(file.hasByteOrderMark)
        #expect(file.location(of: 3) == SourceLocation(line: 1, column: 1))
        #expect(file.location(of: 1) == SourceLocation(line: 1, column: 1))
        #expect(file.lineText(1) == "FB")
    }

    @Test func invalidUTF8DoesNotTrap() {
        let file = SourceFile(path: "c.scl", bytes: [0x41, 0xFF, 0xC3, 0x0A, 0x80, 0x42])
        #expect(file.location(of: 5) == SourceLocation(line: 2, column: 1))
        #expect(file.location(of: 6) == SourceLocation(line: 2, column: 2))
        #expect(!file.text.isEmpty)
    }
}
