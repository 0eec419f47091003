public import S7Diagnostics

/// Splits S7 SCL source text into tokens with trivia, and reports lexical errors.
///
/// The lexer works on UTF-8 bytes and never fails: every byte of the input ends up in exactly one token or trivia
/// piece, each lexical error yields one diagnostic (`SCL10xx`) and lexing continues after it. Examples:
///
///     IF #x >= 16#FF THEN "Out".q := T#1s; END_IF;   // 12 tokens + endOfFile, no diagnostics
///     s := 'abc                                      // SCL1001 at 1:6, the string token ends at the line end
///
/// Decisions that follow TIA Portal: keywords and typed-literal prefixes are case-insensitive; `(* *)` and `/* */`
/// do not nest; strings and quoted names end at the line break; `%X0` is a slice only right after `.`; a UTF-8 BOM
/// at the start is leading trivia of the first token. Invalid UTF-8 is diagnosed in code, strings and quoted names
/// but passed over silently inside comments.
public enum SCLLexer {
    public static func tokenize(_ file: SourceFile) -> TokenStream {
        var diagnostics: [Diagnostic] = []
        let limit = Int(UInt32.max - 1)
        let tokens: [Token] = file.bytes.withUnsafeBufferPointer { buffer in
            let usable = UnsafeBufferPointer(rebasing: buffer[0..<min(buffer.count, limit)])
            var lexer = Lexer(buffer: usable, path: file.path)
            lexer.run()
            diagnostics = lexer.diagnostics
            return lexer.tokens
        }
        if file.bytes.count > limit {
            diagnostics.append(
                Diagnostic(
                    .sourceTooLarge, "source file is larger than 4 GiB; the rest is ignored",
                    at: file.range(limit..<limit)))
        }
        return TokenStream(file: file, tokens: tokens, diagnostics: diagnostics)
    }
}

// MARK: - Byte classes

@inline(__always) func isASCIILetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- 0x61 < 26 }
@inline(__always) func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }
@inline(__always) func isHexDigit(_ byte: UInt8) -> Bool { isDigit(byte) || (byte | 0x20) &- 0x61 < 6 }
@inline(__always) func isIdentifierByte(_ byte: UInt8) -> Bool {
    isASCIILetter(byte) || isDigit(byte) || byte == 0x5F
}

/// Decodes the UTF-8 scalar at `index`; nil for an invalid or truncated sequence.
func decodeScalar(_ buffer: UnsafeBufferPointer<UInt8>, at index: Int) -> (scalar: Unicode.Scalar, length: Int)? {
    let lead = buffer[index]
    let length: Int
    var value: UInt32
    switch lead {
    case 0x00...0x7F: return (Unicode.Scalar(lead), 1)
    case 0xC2...0xDF: length = 2; value = UInt32(lead & 0x1F)
    case 0xE0...0xEF: length = 3; value = UInt32(lead & 0x0F)
    case 0xF0...0xF4: length = 4; value = UInt32(lead & 0x07)
    default: return nil
    }
    guard index + length <= buffer.count else { return nil }
    for offset in 1..<length {
        let byte = buffer[index + offset]
        guard byte & 0xC0 == 0x80 else { return nil }
        value = value << 6 | UInt32(byte & 0x3F)
    }
    // Reject overlong forms and surrogates.
    let minimum: UInt32 = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000
    guard value >= minimum, let scalar = Unicode.Scalar(value) else { return nil }
    return (scalar, length)
}

func isIdentifierScalar(_ scalar: Unicode.Scalar, first: Bool) -> Bool {
    let properties = scalar.properties
    if properties.isAlphabetic { return true }
    if first { return false }
    switch properties.generalCategory {
    case .decimalNumber, .nonspacingMark, .spacingMark, .connectorPunctuation: return true
    default: return false
    }
}

// MARK: - Trivia

/// The trivia piece starting at `index`, or nil if a token starts there. `unterminated` flags a block comment
/// running to the end of the input.
func scanTrivia(
    _ buffer: UnsafeBufferPointer<UInt8>, at index: Int
) -> (kind: TriviaPiece.Kind, end: Int, unterminated: Bool)? {
    let count = buffer.count
    let byte = buffer[index]
    switch byte {
    case 0x20, 0x09, 0x0B, 0x0C:
        var end = index + 1
        while end < count, buffer[end] == 0x20 || buffer[end] == 0x09 || buffer[end] == 0x0B || buffer[end] == 0x0C {
            end += 1
        }
        return (.whitespace, end, false)
    case 0x0A, 0x0D:
        var end = index + 1
        while end < count, buffer[end] == 0x0A || buffer[end] == 0x0D { end += 1 }
        return (.newlines, end, false)
    case 0x2F where index + 1 < count && buffer[index + 1] == 0x2F:
        var end = index + 2
        while end < count, buffer[end] != 0x0A, buffer[end] != 0x0D { end += 1 }
        return (.lineComment, end, false)
    case 0x2F where index + 1 < count && buffer[index + 1] == 0x2A:
        var end = index + 2
        while end + 1 < count {
            if buffer[end] == 0x2A, buffer[end + 1] == 0x2F { return (.slashBlockComment, end + 2, false) }
            end += 1
        }
        return (.slashBlockComment, count, true)
    case 0x28 where index + 1 < count && buffer[index + 1] == 0x2A:
        var end = index + 2
        while end + 1 < count {
            if buffer[end] == 0x2A, buffer[end + 1] == 0x29 { return (.blockComment, end + 2, false) }
            end += 1
        }
        return (.blockComment, count, true)
    case 0xEF where index == 0 && count >= 3 && buffer[1] == 0xBB && buffer[2] == 0xBF:
        return (.byteOrderMark, 3, false)
    default:
        return nil
    }
}

// MARK: - Lexer

struct Lexer {
    let buffer: UnsafeBufferPointer<UInt8>
    let path: String
    var position = 0
    var tokens: [Token] = []
    var diagnostics: [Diagnostic] = []

    init(buffer: UnsafeBufferPointer<UInt8>, path: String) {
        self.buffer = buffer
        self.path = path
        tokens.reserveCapacity(buffer.count / 4 + 1)
    }

    @inline(__always) func peek(_ offset: Int = 0) -> UInt8 {
        let index = position + offset
        return index < buffer.count ? buffer[index] : 0
    }

    mutating func diagnose(_ code: DiagnosticCode, _ message: String, _ range: Range<Int>) {
        diagnostics.append(Diagnostic(code, message, at: SourceRange(path: path, range)))
    }

    func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: buffer[range]), as: UTF8.self)
    }

    mutating func run() {
        while true {
            let leadingStart = position
            skipTrivia(stopAtNewline: false)
            let start = position
            if position >= buffer.count {
                tokens.append(
                    Token(
                        kind: .endOfFile, leadingTriviaStart: leadingStart, start: start, end: start,
                        trailingTriviaEnd: start))
                return
            }
            let kind = lexToken()
            let end = position
            skipTrivia(stopAtNewline: true)
            tokens.append(
                Token(
                    kind: kind, leadingTriviaStart: leadingStart, start: start, end: end,
                    trailingTriviaEnd: position))
        }
    }

    /// Skips trivia; trailing trivia (`stopAtNewline`) stops before a line break.
    mutating func skipTrivia(stopAtNewline: Bool) {
        while position < buffer.count {
            let byte = buffer[position]
            if stopAtNewline && (byte == 0x0A || byte == 0x0D) { return }
            if byte > 0x2F && byte != 0xEF { return }  // fast exit: no trivia starts above '/' except a BOM
            guard let piece = scanTrivia(buffer, at: position) else { return }
            if piece.unterminated {
                let opener = piece.kind == .blockComment ? "(*" : "/*"
                let closer = piece.kind == .blockComment ? "*)" : "*/"
                diagnose(
                    .unterminatedComment, "unterminated '\(opener)' comment: missing '\(closer)'",
                    position..<position + 2)
            }
            position = piece.end
        }
    }

    /// Lexes the token at `position` (not trivia, not the end) and advances past it.
    mutating func lexToken() -> TokenKind {
        let byte = buffer[position]
        if isASCIILetter(byte) || byte == 0x5F { return lexWord() }
        if isDigit(byte) { return lexNumber() }
        switch byte {
        case 0x27: return lexString()
        case 0x22:
            lexQuotedName(from: position)
            return .quotedIdentifier
        case 0x23: return lexLocal()
        case 0x25: return lexAddress()
        case 0x3A: return pair(0x3D, .assign, else: .colon)
        case 0x3D: return pair(0x3E, .outputAssign, else: .equal)
        case 0x2B: return pair(0x3D, .plusAssign, else: .plus)
        case 0x2D: return pair(0x3D, .minusAssign, else: .minus)
        case 0x2F: return pair(0x3D, .divideAssign, else: .slash)
        case 0x2A:
            if peek(1) == 0x2A { position += 2; return .power }
            return pair(0x3D, .multiplyAssign, else: .star)
        case 0x3C:
            if peek(1) == 0x3E { position += 2; return .notEqual }
            return pair(0x3D, .lessEqual, else: .less)
        case 0x3E: return pair(0x3D, .greaterEqual, else: .greater)
        case 0x2E: return pair(0x2E, .dotDot, else: .dot)
        case 0x3F:
            if peek(1) == 0x3D { position += 2; return .tryAssign }
        case 0x26: position += 1; return .ampersand
        case 0x5E: position += 1; return .caret
        case 0x28: position += 1; return .leftParen
        case 0x29: position += 1; return .rightParen
        case 0x5B: position += 1; return .leftBracket
        case 0x5D: position += 1; return .rightBracket
        case 0x7B: position += 1; return .leftBrace
        case 0x7D: position += 1; return .rightBrace
        case 0x2C: position += 1; return .comma
        case 0x3B: position += 1; return .semicolon
        default: break
        }
        if byte >= 0x80 {
            if let (scalar, length) = decodeScalar(buffer, at: position) {
                if isIdentifierScalar(scalar, first: true) { return lexWord() }
                let start = position
                position += length
                let hex = String(scalar.value, radix: 16, uppercase: true)
                let code = String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                diagnose(.invalidCharacter, "invalid character '\(scalar)' (U+\(code))", start..<position)
                return .unknown
            }
            let start = position
            position += 1
            while position < buffer.count, buffer[position] >= 0x80, decodeScalar(buffer, at: position) == nil {
                position += 1
            }
            diagnose(.invalidUTF8, "invalid UTF-8 byte sequence", start..<position)
            return .unknown
        }
        let start = position
        position += 1
        let shown = byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "U+00\(hexByte(byte))"
        diagnose(.invalidCharacter, "invalid character \(shown)", start..<position)
        return .unknown
    }

    @inline(__always) mutating func pair(_ second: UInt8, _ long: TokenKind, else short: TokenKind) -> TokenKind {
        if peek(1) == second {
            position += 2
            return long
        }
        position += 1
        return short
    }

    func hexByte(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }

    /// Advances over identifier characters (ASCII and Unicode letters, digits, marks, `_`); returns whether all
    /// were ASCII.
    @inline(__always) mutating func scanIdentifierCharacters() -> Bool {
        var ascii = true
        while position < buffer.count {
            let byte = buffer[position]
            if isIdentifierByte(byte) {
                position += 1
            } else if byte >= 0x80, let (scalar, length) = decodeScalar(buffer, at: position),
                isIdentifierScalar(scalar, first: false)
            {
                ascii = false
                position += length
            } else {
                break
            }
        }
        return ascii
    }

    /// An identifier, a keyword, or a typed literal when the word is a type prefix followed by `#`.
    mutating func lexWord() -> TokenKind {
        let start = position
        if buffer[position] < 0x80 {
            position += 1
        } else if let (_, length) = decodeScalar(buffer, at: position) {
            position += length
        }
        let ascii = scanIdentifierCharacters()
        guard ascii else { return .identifier }
        let word = UnsafeBufferPointer(rebasing: buffer[start..<position])
        if peek() == 0x23, let prefix = TypedLiteralPrefix(bytes: word) {
            position += 1
            lexTypedLiteralValue(prefix, literalStart: start)
            return .typedLiteral(prefix)
        }
        if let keyword = KeywordTable.shared.lookup(word) { return .keyword(keyword) }
        return .identifier
    }

    /// `#name` or `#"quoted name"`.
    mutating func lexLocal() -> TokenKind {
        let start = position
        position += 1
        if peek() == 0x22 {
            lexQuotedName(from: start)
            return .quotedLocalIdentifier
        }
        let byte = peek()
        var startsName = isASCIILetter(byte) || byte == 0x5F
        if byte >= 0x80, position < buffer.count, let (scalar, _) = decodeScalar(buffer, at: position) {
            startsName = isIdentifierScalar(scalar, first: true)
        }
        guard startsName else {
            diagnose(.invalidCharacter, "'#' must be followed by a local name", start..<position)
            return .unknown
        }
        position += byte < 0x80 ? 1 : (decodeScalar(buffer, at: position)?.length ?? 1)
        _ = scanIdentifierCharacters()
        return .localIdentifier
    }

    /// A double-quoted name starting at `position`; `from` is where the token started (before a `#`).
    mutating func lexQuotedName(from start: Int) {
        position += 1
        var invalidUTF8 = false
        while position < buffer.count {
            let byte = buffer[position]
            if byte == 0x22 {
                position += 1
                if invalidUTF8 { diagnose(.invalidUTF8, "invalid UTF-8 in quoted name", start..<position) }
                return
            }
            if byte == 0x0A || byte == 0x0D { break }
            if byte >= 0x80 {
                if let (_, length) = decodeScalar(buffer, at: position) {
                    position += length
                    continue
                }
                invalidUTF8 = true
            }
            position += 1
        }
        diagnose(.unterminatedQuotedName, "unterminated quoted name: missing '\"'", start..<position)
    }

    /// A string literal `'…'` at `position` with `$` escapes; diagnoses bad escapes and a missing closing quote.
    mutating func lexString() -> TokenKind {
        let start = position
        position += 1
        var invalidUTF8 = false
        while position < buffer.count {
            let byte = buffer[position]
            switch byte {
            case 0x27:
                position += 1
                if invalidUTF8 { diagnose(.invalidUTF8, "invalid UTF-8 in string literal", start..<position) }
                return .stringLiteral
            case 0x0A, 0x0D:
                diagnose(.unterminatedString, "unterminated string literal: missing \"'\"", start..<position)
                return .stringLiteral
            case 0x24:
                let next = peek(1)
                switch next {
                case 0x24, 0x27, 0x22, 0x4C, 0x6C, 0x4E, 0x6E, 0x50, 0x70, 0x52, 0x72, 0x54, 0x74:
                    position += 2
                case _ where isHexDigit(next) && isHexDigit(peek(2)):
                    position += 3
                default:
                    let end = next == 0 || next == 0x0A || next == 0x0D || next >= 0x80 ? position + 1 : position + 2
                    diagnose(
                        .invalidEscape,
                        "invalid escape sequence '\(text(position..<end))' in string; write '$$' for a dollar sign",
                        position..<end)
                    position = end
                }
            case 0x80...:
                if let (_, length) = decodeScalar(buffer, at: position) {
                    position += length
                } else {
                    invalidUTF8 = true
                    position += 1
                }
            default:
                position += 1
            }
        }
        diagnose(.unterminatedString, "unterminated string literal: missing \"'\"", start..<position)
        return .stringLiteral
    }
}
