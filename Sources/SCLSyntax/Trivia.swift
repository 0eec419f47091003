/// One piece of the text between tokens. Comments are trivia, not tokens, so a formatter can keep them in place.
public struct TriviaPiece: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// Spaces and tabs.
        case whitespace
        /// A run of `\n`, `\r\n` or `\r`.
        case newlines
        /// `// …` up to the line break.
        case lineComment
        /// `(* … *)`; does not nest (the first `*)` closes it).
        case blockComment
        /// `/* … */`; does not nest.
        case slashBlockComment
        /// The UTF-8 byte order mark at the start of a file.
        case byteOrderMark
    }

    public var kind: Kind
    public var range: Range<Int>

    public init(kind: Kind, range: Range<Int>) {
        self.kind = kind
        self.range = range
    }

    public var isComment: Bool { kind == .lineComment || kind == .blockComment || kind == .slashBlockComment }
}
