/// What a token is. Keywords and typed literals carry which one; everything else is told apart by kind alone.
public enum TokenKind: Hashable, Sendable {
    /// A plain name: ASCII or Unicode letters, digits and `_`, not starting with a digit (`Motor_1`, `счётчик`).
    case identifier
    case keyword(Keyword)
    /// A global name in double quotes: `"Motor_1"`, `"DB Data"`.
    case quotedIdentifier
    /// A local name after `#`: `#count`.
    case localIdentifier
    /// A quoted local name after `#`: `#"my count"`.
    case quotedLocalIdentifier
    /// An absolute address: `%I0.0`, `%QW4`, `%MD20`, `%DB1.DBX0.1`.
    case absoluteAddress
    /// A slice after a dot: the `%X3` of `#w.%X3` (also `%B`, `%W`, `%D`).
    case sliceAccess
    /// `42`, `1_000`, `16#FF`, `8#17`, `2#1010`.
    case integerLiteral
    /// `1.0`, `1.0E-3`, `1e10`.
    case realLiteral
    /// A literal with a type prefix, one token: `INT#5`, `T#1h2m`, `WORD#16#FF`, `CHAR#'a'`.
    case typedLiteral(TypedLiteralPrefix)
    /// `'text'` with `$` escapes.
    case stringLiteral
    /// `:=`
    case assign
    /// `=>`
    case outputAssign
    /// `+=`
    case plusAssign
    /// `-=`
    case minusAssign
    /// `*=`
    case multiplyAssign
    /// `/=`
    case divideAssign
    /// `?=` (assignment attempt for references)
    case tryAssign
    /// `**`
    case power
    /// `<>`
    case notEqual
    /// `<=`
    case lessEqual
    /// `>=`
    case greaterEqual
    /// `=`
    case equal
    /// `<`
    case less
    /// `>`
    case greater
    /// `+`
    case plus
    /// `-`
    case minus
    /// `*`
    case star
    /// `/`
    case slash
    /// `&` (AND)
    case ampersand
    /// `^` (dereference)
    case caret
    /// `(`
    case leftParen
    /// `)`
    case rightParen
    /// `[`
    case leftBracket
    /// `]`
    case rightBracket
    /// `{` opening a pragma or attribute list
    case leftBrace
    /// `}`
    case rightBrace
    /// `,`
    case comma
    /// `;`
    case semicolon
    /// `:`
    case colon
    /// `.`
    case dot
    /// `..`
    case dotDot
    /// Bytes no token can start with; always diagnosed.
    case unknown
    /// The end of the input; the last token of every stream, empty, holding the trailing trivia of the file.
    case endOfFile

    public var isKeyword: Bool {
        if case .keyword = self { return true }
        return false
    }

    public var isLiteral: Bool {
        switch self {
        case .integerLiteral, .realLiteral, .typedLiteral, .stringLiteral, .keyword(.true), .keyword(.false): true
        default: false
        }
    }
}

/// One token: its kind and byte ranges into the source, trivia included.
///
/// `leadingTriviaStart ..< start` holds the whitespace and comments before the token, `start ..< end` the token
/// text, `end ..< trailingTriviaEnd` the whitespace and comments after it up to (not including) the next line break.
/// Consecutive tokens tile the file: a token's `leadingTriviaStart` is the previous token's `trailingTriviaEnd`, the
/// first starts at 0 (its leading trivia holds a BOM if any), and the `endOfFile` token ends at the file size.
///
///     x := 1; // one
///     `;` has start 6, end 7, trailing trivia ` // one`; the next token's leading trivia starts with `\n`.
public struct Token: Hashable, Sendable {
    public let kind: TokenKind
    private let leading: UInt32
    private let tokenStart: UInt32
    private let tokenEnd: UInt32
    private let trailing: UInt32

    init(kind: TokenKind, leadingTriviaStart: Int, start: Int, end: Int, trailingTriviaEnd: Int) {
        self.kind = kind
        self.leading = UInt32(truncatingIfNeeded: leadingTriviaStart)
        self.tokenStart = UInt32(truncatingIfNeeded: start)
        self.tokenEnd = UInt32(truncatingIfNeeded: end)
        self.trailing = UInt32(truncatingIfNeeded: trailingTriviaEnd)
    }

    public var start: Int { Int(tokenStart) }
    public var end: Int { Int(tokenEnd) }
    public var leadingTriviaStart: Int { Int(leading) }
    public var trailingTriviaEnd: Int { Int(trailing) }
    /// The token text without trivia.
    public var range: Range<Int> { start..<end }
    /// The token with its leading and trailing trivia.
    public var fullRange: Range<Int> { leadingTriviaStart..<trailingTriviaEnd }
    public var leadingTriviaRange: Range<Int> { leadingTriviaStart..<start }
    public var trailingTriviaRange: Range<Int> { end..<trailingTriviaEnd }
}
