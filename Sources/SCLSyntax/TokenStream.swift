public import S7Diagnostics

/// The tokens of one source file, ending with `endOfFile`, and the lexical diagnostics.
///
/// Token texts, trivia pieces and literal values are computed on demand from the file's bytes, so lexing allocates
/// only the token array.
public struct TokenStream: Sendable {
    public let file: SourceFile
    public let tokens: [Token]
    public let diagnostics: [Diagnostic]

    public init(file: SourceFile, tokens: [Token], diagnostics: [Diagnostic]) {
        self.file = file
        self.tokens = tokens
        self.diagnostics = diagnostics
    }

    /// The token text as written, e.g. `#count`, `"Motor"`, `T#1s`, `'a$'b'`.
    public func text(of token: Token) -> String { file.text(in: token.range) }

    public func location(of token: Token) -> SourceLocation { file.location(of: token.start) }

    public func sourceRange(of token: Token) -> SourceRange { file.range(token.range) }

    /// The name a name-like token stands for, without `#` and quotes: `#"my var"` → `my var`, `"Motor"` → `Motor`.
    /// Identifiers and keywords are returned as written. An unterminated quoted name yields what was there.
    public func name(of token: Token) -> String {
        var range = token.range
        switch token.kind {
        case .localIdentifier:
            range = range.lowerBound + 1..<range.upperBound
        case .quotedIdentifier, .quotedLocalIdentifier:
            range = range.lowerBound + (token.kind == .quotedLocalIdentifier ? 2 : 1)..<range.upperBound
            if range.upperBound > range.lowerBound, file.bytes[range.upperBound - 1] == 0x22 {
                range = range.lowerBound..<range.upperBound - 1
            }
        default:
            break
        }
        return file.text(in: range.lowerBound..<max(range.lowerBound, range.upperBound))
    }

    /// The value of a string literal (or of the string body of `STRING#'…'`) with escapes resolved:
    /// `'50$$ off$N'` → "50$ off\n". Nil for other tokens.
    public func stringValue(of token: Token) -> String? {
        var start = token.start
        switch token.kind {
        case .stringLiteral: break
        case .typedLiteral:
            guard let parts = typedLiteralParts(of: token), parts.value.lowerBound < file.bytes.count,
                file.bytes[parts.value.lowerBound] == 0x27
            else { return nil }
            start = parts.value.lowerBound
        default: return nil
        }
        let bytes = file.bytes
        var end = token.end
        if end - start >= 2, bytes[end - 1] == 0x27 { end -= 1 }
        var result: [UInt8] = []
        var index = start + 1
        while index < end {
            let byte = bytes[index]
            guard byte == 0x24, index + 1 < end else {
                result.append(byte)
                index += 1
                continue
            }
            let next = bytes[index + 1]
            let simple: UInt8? =
                switch next | 0x20 {
                case 0x6C, 0x6E: 0x0A
                case 0x70: 0x0C
                case 0x72: 0x0D
                case 0x74: 0x09
                default: nil
                }
            if let simple, isASCIILetter(next) {
                result.append(simple)
                index += 2
            } else if index + 2 < end, isHexDigit(next), isHexDigit(bytes[index + 2]),
                let value = UInt8(String(decoding: bytes[index + 1...index + 2], as: UTF8.self), radix: 16)
            {
                result.append(contentsOf: Array(String(Unicode.Scalar(value)).utf8))
                index += 3
            } else {
                result.append(next)
                index += 2
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// The byte ranges of prefix and value of a typed literal: `WORD#16#FF` → `WORD` and `16#FF`.
    public func typedLiteralParts(of token: Token) -> (prefix: Range<Int>, value: Range<Int>)? {
        guard case .typedLiteral = token.kind else { return nil }
        var hash = token.start
        while hash < token.end, file.bytes[hash] != 0x23 { hash += 1 }
        guard hash < token.end else { return nil }
        return (token.start..<hash, hash + 1..<token.end)
    }

    public func leadingTrivia(of token: Token) -> [TriviaPiece] { trivia(in: token.leadingTriviaRange) }

    public func trailingTrivia(of token: Token) -> [TriviaPiece] { trivia(in: token.trailingTriviaRange) }

    /// The comments in a token's trailing trivia joined, without delimiters: `x : Int; // speed` → "speed".
    public func trailingComment(of token: Token) -> String? {
        let comments = trailingTrivia(of: token).filter(\.isComment).map { piece -> String in
            let text = file.text(in: piece.range)
            let body =
                switch piece.kind {
                case .lineComment: text.dropFirst(2)
                default: text.dropFirst(2).dropLast(2)
                }
            return body.trimmingSpaces()
        }
        return comments.isEmpty ? nil : comments.joined(separator: " ")
    }

    func trivia(in range: Range<Int>) -> [TriviaPiece] {
        guard !range.isEmpty, range.upperBound <= file.bytes.count else { return [] }
        return file.bytes.withUnsafeBufferPointer { whole in
            var pieces: [TriviaPiece] = []
            var index = range.lowerBound
            let buffer = UnsafeBufferPointer(rebasing: whole[0..<range.upperBound])
            while index < range.upperBound {
                guard let piece = scanTrivia(buffer, at: index), piece.end > index else { break }
                pieces.append(TriviaPiece(kind: piece.kind, range: index..<piece.end))
                index = piece.end
            }
            return pieces
        }
    }
}

extension Substring {
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
