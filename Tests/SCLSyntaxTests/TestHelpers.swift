import S7Diagnostics
import SCLSyntax

/// Lexes `source` as `test.scl`.
func lex(_ source: String) -> TokenStream {
    SCLLexer.tokenize(SourceFile(path: "test.scl", text: source))
}

/// Kinds and texts of all tokens but `endOfFile`.
func tokens(_ source: String) -> [(kind: TokenKind, text: String)] {
    let stream = lex(source)
    return stream.tokens.dropLast().map { ($0.kind, stream.text(of: $0)) }
}

/// Asserts that `source` lexes to exactly one token of `kind` spanning the whole text, without diagnostics.
func isSingleToken(_ source: String, _ kind: TokenKind) -> Bool {
    let stream = lex(source)
    return stream.diagnostics.isEmpty && stream.tokens.count == 2 && stream.tokens[0].kind == kind
        && stream.text(of: stream.tokens[0]) == source
}

/// The single diagnostic of `source` as `code line:column message`, or a description of what went wrong.
func onlyDiagnostic(_ source: String) -> String {
    let stream = lex(source)
    guard stream.diagnostics.count == 1, let diagnostic = stream.diagnostics.first else {
        return "\(stream.diagnostics.count) diagnostics: \(stream.diagnostics.map(\.message))"
    }
    let location = stream.file.location(of: diagnostic.range.start)
    return "\(diagnostic.code) \(location) \(diagnostic.message)"
}
