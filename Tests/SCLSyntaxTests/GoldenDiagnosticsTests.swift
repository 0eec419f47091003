import Foundation
import S7Diagnostics
import SCLSyntax
import Testing

/// Golden diagnostics (STYLE.md 8): every `Golden/SCLxxxx-short-name.scl` is a small source that triggers the code in
/// its name, and `Golden/SCLxxxx-short-name.expected` is what `DiagnosticRenderer` prints for it, the file shown by
/// its name relative to `Golden`. After a deliberate change to a message or a range, re-record and review the diff:
///
///     S7WB_RECORD=1 swift test --filter GoldenDiagnosticsTests
@Suite struct GoldenDiagnosticsTests {
    /// The `Golden` folder beside this file (through a symlinked test file, beside its target).
    static let folder: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        .appendingPathComponent("Golden")

    static var recording: Bool { ProcessInfo.processInfo.environment["S7WB_RECORD"] == "1" }

    /// The names of the golden sources, sorted.
    static let sources: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".scl") }.sorted()
    }()

    /// Codes no source text can trigger through lexer, unit scanner and parser, with the reason.
    static let untriggerable: [DiagnosticCode: String] = [
        // SCL1010: the lexer reports it only for a source of 4 GiB or more (token offsets are 32-bit); a golden file
        // that size is out of the question, and no test of SCLSyntax reaches the limit either.
        .sourceTooLarge: "needs a source file of 4 GiB or more"
    ]

    /// Golden files that show more than one diagnostic on purpose, with the reason.
    static let multipleDiagnostics: [String: String] = [:]

    /// The diagnostics of lexer, unit scanner and parser for one golden source, in source order.
    ///
    /// The parser repeats the lexer's findings and reports most of the scanner's structural ones itself, sometimes
    /// with primary range and note swapped (SCL1105). A scanner finding is added only when no parser finding with
    /// the same code touches one of the lines it points at.
    static func diagnostics(of name: String) throws -> (file: SourceFile, diagnostics: [Diagnostic]) {
        let data = try Data(contentsOf: folder.appendingPathComponent(name))
        let file = SourceFile(path: name, bytes: Array(data))
        let (tokens, scan) = SCLUnitScanner.scan(file)
        let parsed = SCLParser.parse(tokens)
        func lines(_ diagnostic: Diagnostic) -> Set<Int> {
            let ranges = [diagnostic.range] + diagnostic.labels.map(\.range) + diagnostic.notes.compactMap(\.range)
            return Set(ranges.map { file.line(of: $0.start) })
        }
        var diagnostics = parsed.diagnostics
        for finding in scan.allDiagnostics {
            let pointsAt = lines(finding)
            let known = parsed.diagnostics.contains { $0.code == finding.code && !lines($0).isDisjoint(with: pointsAt) }
            if !known { diagnostics.append(finding) }
        }
        // Stable: at equal positions the parser's findings come first.
        let ordered = diagnostics.enumerated().sorted {
            ($0.element.range.start, $0.offset) < ($1.element.range.start, $1.offset)
        }
        return (file, ordered.map(\.element))
    }

    static func rendering(of name: String) throws -> String {
        let (file, diagnostics) = try diagnostics(of: name)
        return DiagnosticRenderer().render(diagnostics, files: [file])
    }

    static func expectedURL(for name: String) -> URL {
        folder.appendingPathComponent(String(name.dropLast(".scl".count)) + ".expected")
    }

    /// The code a golden file is named after: `SCL1001-unterminated-string.scl` → `SCL1001`.
    static func code(of name: String) -> DiagnosticCode {
        DiagnosticCode(String(name.prefix { $0 != "-" }))
    }

    @Test func goldenFolderIsFound() {
        #expect(!Self.sources.isEmpty, "no .scl files in \(Self.folder.path)")
    }

    @Test(arguments: sources)
    func renderingMatchesExpected(_ name: String) throws {
        let rendered = try Self.rendering(of: name)
        let url = Self.expectedURL(for: name)
        if Self.recording {
            try Data(rendered.utf8).write(to: url)
            return
        }
        guard let data = try? Data(contentsOf: url) else {
            Issue.record("missing \(url.lastPathComponent); record it with S7WB_RECORD=1")
            return
        }
        let expected = String(decoding: data, as: UTF8.self)
        #expect(rendered == expected, "\(name) renders differently; re-record with S7WB_RECORD=1 if intended")
    }

    @Test(arguments: sources)
    func triggersTheCodeInItsName(_ name: String) throws {
        let code = Self.code(of: name)
        #expect(DiagnosticRegistry.entry(for: code) != nil, "\(name) is named after an unregistered code")
        let diagnostics = try Self.diagnostics(of: name).diagnostics
        #expect(diagnostics.contains { $0.code == code }, "\(name) does not trigger \(code)")
        if Self.multipleDiagnostics[name] == nil {
            #expect(diagnostics.map(\.code) == [code], "\(name) should give exactly one diagnostic")
        }
    }

    /// A new front-end code (`SCL1xxx`, `SCL2xxx`) fails here until it has a golden file (or an explained entry in
    /// `untriggerable`). The compiler's `SCL3xxx` codes have their golden programs in ProgramTests.
    @Test func everyRegisteredCodeHasAGoldenFile() throws {
        var renderings: [String] = []
        for name in Self.sources { renderings.append(try Self.rendering(of: name)) }
        for entry in DiagnosticRegistry.all
        where Self.untriggerable[entry.code] == nil && entry.code < DiagnosticCode("SCL3000") {
            let tag = "[\(entry.code.rawValue)]"
            #expect(
                renderings.contains { $0.contains(tag) },
                "no golden file renders \(tag) (\(entry.title)); add Golden/\(entry.code.rawValue)-….scl")
        }
        for code in Self.untriggerable.keys {
            #expect(DiagnosticRegistry.entry(for: code) != nil, "exception for unregistered code \(code)")
        }
    }
}
