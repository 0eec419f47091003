import Foundation
import S7Diagnostics
import S7TestSupport
import SCLSyntax
import Testing

/// Random byte mutations of corpus files (and of a built-in sample when the corpus is absent) never trap the lexer or
/// the scanner, and the tokens always tile the input.
@Suite struct FuzzTests {
    static let interesting: [[UInt8]] = [
        [0xFF], [0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x98, 0x80], [0xEF, 0xBB, 0xBF], Array("(*".utf8),
        Array("*)".utf8), Array("/*".utf8), Array("'".utf8), Array("\"".utf8), Array("#".utf8), Array("%".utf8),
        Array("16#".utf8), Array("T#".utf8), Array("$".utf8), Array("\n".utf8), Array("\r".utf8), Array(".".utf8),
        Array("END_FUNCTION_BLOCK".utf8), Array("VAR_INPUT".utf8), Array("STRUCT".utf8), Array("{".utf8), [0],
    ]

    func corpusSamples() -> [[UInt8]] {
        guard Fixtures.corpusAvailable else { return [] }
        return Fixtures.files(below: Fixtures.corpus, endings: ["scl"]).compactMap {
            FileManager.default.contents(atPath: Fixtures.corpus + "/" + $0).map { Array($0) }
        }
    }

    func mutate(_ input: [UInt8], _ random: inout SeededRandom) -> [UInt8] {
        var bytes = input
        for _ in 0...random.next(below: 8) {
            let position = random.next(below: bytes.count)
            switch random.next(below: 5) {
            case 0 where !bytes.isEmpty:
                bytes.removeSubrange(position..<min(bytes.count, position + 1 + random.next(below: 16)))
            case 1:
                bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: position)
            case 2 where bytes.count > 1:
                bytes.swapAt(position, random.next(below: bytes.count))
            case 3:
                bytes.insert(contentsOf: Self.interesting[random.next(below: Self.interesting.count)], at: position)
            default:
                if !bytes.isEmpty { bytes[position] = UInt8(truncatingIfNeeded: random.next()) }
            }
        }
        return bytes
    }

    @Test func mutatedSourcesNeverTrapAndTokensTileTheInput() {
        var samples = corpusSamples()
        if samples.isEmpty {
            print("FuzzTests: corpus missing at \(Fixtures.corpus); mutating a built-in sample only")
        }
        samples.append(
            Array("FUNCTION_BLOCK \"A\"\nVAR_INPUT x : Int; END_VAR\nBEGIN #x := T#1s; END_FUNCTION_BLOCK".utf8))
        var random = SeededRandom(seed: 0x5C1_2024)
        for iteration in 0..<2_000 {
            let base = samples[iteration % samples.count]
            // Cut large files to a window so the whole run stays fast.
            let start = base.count > 4_000 ? random.next(below: base.count - 4_000) : 0
            let input = mutate(Array(base[start..<min(base.count, start + 4_000)]), &random)
            let file = SourceFile(path: "fuzz\(iteration).scl", bytes: input)
            let (stream, scan) = SCLUnitScanner.scan(file)
            var expectedStart = 0
            var ok = true
            for token in stream.tokens {
                ok =
                    ok && token.leadingTriviaStart == expectedStart && token.leadingTriviaStart <= token.start
                    && token.start <= token.end && token.end <= token.trailingTriviaEnd
                    && token.trailingTriviaEnd <= input.count
                ok = ok && (token.kind == .endOfFile || token.end > token.start)
                expectedStart = token.trailingTriviaEnd
            }
            ok = ok && expectedStart == input.count && stream.tokens.last?.kind == .endOfFile
            for diagnostic in stream.diagnostics + scan.allDiagnostics {
                ok = ok && diagnostic.range.start >= 0 && diagnostic.range.end <= input.count
                ok = ok && DiagnosticRegistry.entry(for: diagnostic.code) != nil
            }
            for unit in scan.units {
                ok = ok && unit.range.lowerBound >= 0 && unit.range.upperBound <= input.count
            }
            _ = DiagnosticRenderer().render(stream.diagnostics + scan.allDiagnostics, files: [file])
            #expect(ok, "iteration \(iteration)")
            if !ok { break }
        }
    }
}
