import Foundation
import S7Diagnostics
import S7TestSupport
import SCLSyntax
import Testing

/// Every real TIA export of the corpus parses without a diagnostic, and the formatter keeps its meaning.
@Suite struct ParserCorpusTests {
    static func corpusFiles() -> [SourceFile] {
        guard Fixtures.corpusAvailable else { return [] }
        return Fixtures.files(below: Fixtures.corpus, endings: ["scl", "udt", "db"]).compactMap { relative in
            FileManager.default.contents(atPath: Fixtures.corpus + "/" + relative).map {
                SourceFile(path: relative, bytes: Array($0))
            }
        }
    }

    @Test func everyCorpusSourceParsesWithoutDiagnostics() {
        let files = Self.corpusFiles()
        guard !files.isEmpty else {
            print("ParserCorpusTests skipped: no corpus at \(Fixtures.corpus)")
            return
        }
        #expect(files.count >= 57)
        var units = 0
        var statements = 0
        for file in files {
            let result = SCLParser.parse(file)
            #expect(
                result.diagnostics.isEmpty, "\(DiagnosticRenderer().render(result.diagnostics, files: [file]))")
            units += result.units.count
            for unit in result.units {
                #expect(unit.isTerminated && unit.body != nil, "\(file.path)")
                statements += unit.body?.count ?? 0
            }
        }
        #expect(units == 56)
        #expect(statements > 700)
    }
}
