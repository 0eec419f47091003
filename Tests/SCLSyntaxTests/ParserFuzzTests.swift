import Foundation
import S7Diagnostics
import S7TestSupport
import SCLSyntax
import Testing

/// Mutated corpus files go through the parser and the formatter without a trap or a hang, every diagnostic is
/// registered and in range, and formatting only re-spaces tokens.
@Suite struct ParserFuzzTests {
    static let fragments: [String] = [
        "IF", "THEN", "END_IF", "ELSE", "CASE", "OF", "END_CASE", "FOR", "TO", "DO", "END_FOR", "WHILE", "REPEAT",
        "UNTIL", "END_REPEAT", "REGION", "END_REGION", ";", ":=", "(", ")", "[", "]", "{", "}", ",", ":", "..", ".",
        "=>", "#x", "\"DB\"", "1", "T#1s", "NOT", "AND", "-", "**", "STRUCT", "END_STRUCT", "VAR", "END_VAR",
        "BEGIN", "END_FUNCTION_BLOCK", "Array[0..1] of", "GOTO", "x:", "^", "%I0.0", ".%X1", "\n", "(* c *)", "// c\n",
    ]

    func mutate(_ input: [UInt8], _ random: inout SeededRandom) -> [UInt8] {
        var bytes = input
        for _ in 0...random.next(below: 4) {
            let position = random.next(below: bytes.count)
            switch random.next(below: 4) {
            case 0 where !bytes.isEmpty:
                bytes.removeSubrange(position..<min(bytes.count, position + 1 + random.next(below: 24)))
            case 1 where bytes.count > 1:
                // Move a slice elsewhere: breaks nesting without breaking tokens too often.
                let end = min(bytes.count, position + 1 + random.next(below: 40))
                let slice = Array(bytes[position..<end])
                bytes.removeSubrange(position..<end)
                bytes.insert(contentsOf: slice, at: random.next(below: bytes.count))
            default:
                let fragment = Self.fragments[random.next(below: Self.fragments.count)]
                bytes.insert(contentsOf: Array(" \(fragment) ".utf8), at: position)
            }
        }
        return bytes
    }

    /// Token kinds and texts, keywords upper-cased, for comparing before and after formatting.
    func signature(_ stream: TokenStream) -> [String] {
        stream.tokens.map { token in
            token.kind.isKeyword ? stream.text(of: token).uppercased() : "\(token.kind) \(stream.text(of: token))"
        }
    }

    @Test(.timeLimit(.minutes(2))) func mutatedSourcesParseAndFormatSafely() {
        var samples = ParserCorpusTests.corpusFiles().map(\.bytes)
        samples.append(
            Array(
                "FUNCTION_BLOCK \"A\"\nVAR_INPUT x : Int; END_VAR\nBEGIN IF #x THEN #x := 1; END_IF; END_FUNCTION_BLOCK"
                    .utf8))
        var random = SeededRandom(seed: 0x5C1_F022)
        var failures = 0
        for iteration in 0..<2_000 {
            let base = samples[iteration % samples.count]
            let start = base.count > 3_000 ? random.next(below: base.count - 3_000) : 0
            let input = mutate(Array(base[start..<min(base.count, start + 3_000)]), &random)
            let file = SourceFile(path: "fuzz\(iteration).scl", bytes: input)
            let result = SCLParser.parse(file)
            var ok = true
            for diagnostic in result.diagnostics {
                ok = ok && diagnostic.range.start >= 0 && diagnostic.range.end <= input.count
                ok = ok && DiagnosticRegistry.entry(for: diagnostic.code) != nil
            }
            for unit in result.units { ok = ok && unit.range.upperBound <= input.count }
            _ = DiagnosticRenderer().render(result.diagnostics, files: [file])
            _ = SCLTreeDump.dump(result.units)
            let formatted = SCLFormatter.format(result)
            let reformatted = SCLLexer.tokenize(SourceFile(path: file.path, text: formatted))
            let before = signature(result.tokens)
            let after = signature(reformatted)
            var detail = ""
            // With lexical errors the formatter returns the source unchanged.
            if result.tokens.diagnostics.isEmpty, before != after {
                ok = false
                let first =
                    zip(before, after).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                    ?? min(before.count, after.count)
                let expected = before.dropFirst(first).prefix(3)
                detail = "tokens differ at \(first): \(expected) vs \(after.dropFirst(first).prefix(3))"
                try? Data(input).write(to: URL(fileURLWithPath: NSTemporaryDirectory() + "scl-fuzz-failure.scl"))
            }
            #expect(ok, "iteration \(iteration) \(detail)")
            if !ok {
                failures += 1
                if failures > 3 { break }
            }
        }
    }

    @Test func deepNestingIsBounded() {
        let deep = String(repeating: "(", count: 5_000) + "1" + String(repeating: ")", count: 5_000)
        let result = SCLParser.parseStatements(SourceFile(path: "deep.scl", text: "#x := \(deep);"))
        #expect(result.diagnostics.count == 1)
        let ifs = String(repeating: "IF #a THEN ", count: 5_000) + String(repeating: "END_IF; ", count: 5_000)
        #expect(SCLParser.parseStatements(SourceFile(path: "ifs.scl", text: ifs)).diagnostics.count == 1)
        let arrays =
            "FUNCTION_BLOCK \"A\" VAR a : " + String(repeating: "Array[0..1] of ", count: 5_000)
            + "Int; END_VAR BEGIN END_FUNCTION_BLOCK"
        #expect(SCLParser.parse(SourceFile(path: "arrays.scl", text: arrays)).diagnostics.count == 1)
    }
}
