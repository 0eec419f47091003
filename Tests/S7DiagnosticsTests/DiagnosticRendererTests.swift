import Foundation
import S7Diagnostics
import Testing

@Suite struct DiagnosticRendererTests {
    let file = SourceFile(
        path: "FB_Test.scl",
        text: """
            FUNCTION_BLOCK "FB_Test"
            BEGIN
            \tIF #a > 1 THEN #s := 'abc;
            \t#счёт := 漢字 + 1;
            """)

    @Test func rendersCaretUnderlineNotesAndFixIt() {
        let diagnostic = Diagnostic(
            .unterminatedString, "unterminated string literal: missing \"'\"", at: file.range(53..<58),
            labels: [.init(range: file.range(0..<14), message: "block starts here")],
            notes: [.init("strings end at the line break")],
            fixIt: .init(range: file.range(58..<58), replacement: "'"))
        let expected = """
            FB_Test.scl:3:23: error[SCL1001]: unterminated string literal: missing "'"
                IF #a > 1 THEN #s := 'abc;
                                     ^~~~~
                                          '
            FB_Test.scl:1:1: note: block starts here
            FUNCTION_BLOCK "FB_Test"
            ^~~~~~~~~~~~~~
            note: strings end at the line break

            """
        #expect(DiagnosticRenderer().render(diagnostic, file: file) == expected)
    }

    @Test func wideCharactersTakeTwoCells() {
        let start = Array(file.bytes).firstIndex(of: 0xE6)!  // 漢
        let diagnostic = Diagnostic(.invalidCharacter, "invalid character", at: file.range(start..<start + 6))
        let expected = """
            FB_Test.scl:4:11: error[SCL1004]: invalid character
                #счёт := 漢字 + 1;
                         ^~~~

            """
        #expect(DiagnosticRenderer().render([diagnostic], files: [file]) == expected)
    }

    @Test func unknownFileRendersHeadingOnly() {
        let diagnostic = Diagnostic(.sourceTooLarge, "too large", at: SourceRange(path: "x.scl", start: 0, end: 0))
        #expect(DiagnosticRenderer().render(diagnostic, file: nil) == "x.scl: error[SCL1010]: too large\n")
    }

    @Test func recordIsJSONFriendly() throws {
        let diagnostic = Diagnostic(.unterminatedString, "unterminated", at: file.range(53..<58))
        let record = DiagnosticRecord(diagnostic, in: file)
        #expect(record.line == 3 && record.column == 23 && record.endLine == 3 && record.endColumn == 28)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(record), as: UTF8.self)
        #expect(
            json == #"{"code":"SCL1001","column":23,"endColumn":28,"endLine":3,"file":"FB_Test.scl","line":3,"#
                + #""message":"unterminated","severity":"error"}"#)
        #expect(try JSONDecoder().decode(DiagnosticRecord.self, from: Data(json.utf8)) == record)
    }

    @Test func registryExplainsEveryCode() {
        #expect(DiagnosticRegistry.all.count == Set(DiagnosticRegistry.all.map(\.code)).count)
        for entry in DiagnosticRegistry.all {
            #expect(entry.code.rawValue.hasPrefix("SCL") || entry.code.rawValue.hasPrefix("S7C"))
            #expect(!entry.title.isEmpty && entry.explanation.count > 40)
        }
        #expect(DiagnosticRegistry.entry(for: .duplicateDeclaration)?.title == "duplicate declaration")
        #expect(DiagnosticRegistry.entry(for: DiagnosticCode("SCL9999")) == nil)
    }
}
