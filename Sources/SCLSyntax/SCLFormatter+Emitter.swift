import S7Diagnostics

/// Writes the tokens in order with the spacing `FormatLayout` chose, placing the comments of the trivia.
struct FormatEmitter {
    let layout: FormatLayout
    let bytes: [UInt8]
    let lineBreak: [UInt8]
    var out: [UInt8] = []
    /// Where the current output line starts and how long its indentation is.
    var lineStart = 0
    var lineIndentLength = 0
    /// For each `(` written: the indentation that aligns a continuation line one column after it.
    var alignment: [Int: String] = [:]
    /// Whether the last thing written is a line comment, so the next token must start a new line.
    var afterLineComment = false

    init(layout: FormatLayout) {
        self.layout = layout
        self.bytes = layout.stream.file.bytes
        var lineBreak: [UInt8] = [0x0A]
        if let first = bytes.firstIndex(where: { $0 == 0x0A || $0 == 0x0D }), bytes[first] == 0x0D {
            lineBreak = first + 1 < bytes.count && bytes[first + 1] == 0x0A ? [0x0D, 0x0A] : [0x0D]
        }
        self.lineBreak = lineBreak
        out.reserveCapacity(bytes.count + bytes.count / 8)
    }

    /// A comment of the trivia before a token: where it is and how many line breaks precede it.
    struct Comment {
        var range: Range<Int>
        var isLine: Bool
        var lineBreaksBefore: Int
    }

    func comments(in range: Range<Int>) -> (comments: [Comment], lineBreaksAfter: Int) {
        var result: [Comment] = []
        var breaks = 0
        for piece in layout.stream.trivia(in: range) {
            switch piece.kind {
            case .newlines:
                breaks += lineBreakCount(piece.range)
            case .lineComment, .blockComment, .slashBlockComment:
                result.append(Comment(range: piece.range, isLine: piece.kind == .lineComment, lineBreaksBefore: breaks))
                breaks = 0
            default:
                break
            }
        }
        return (result, breaks)
    }

    func lineBreakCount(_ range: Range<Int>) -> Int {
        var count = 0
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = bytes[index]
            if byte == 0x0A || (byte == 0x0D && (index + 1 == range.upperBound || bytes[index + 1] != 0x0A)) {
                count += 1
            }
            index += 1
        }
        return count
    }

    mutating func newline(blank: Bool, indent: FormatIndent) {
        guard !out.isEmpty, !(out.count == 3 && out == [0xEF, 0xBB, 0xBF]) else {
            afterLineComment = false
            return
        }
        // No trailing spaces.
        while let last = out.last, last == 0x20 || last == 0x09, out.count > lineStart { out.removeLast() }
        out += lineBreak
        if blank { out += lineBreak }
        let prefix = indent.alignAfter.flatMap { alignment[$0] } ?? indent.prefix
        lineStart = out.count
        out += Array(prefix.utf8)
        lineIndentLength = prefix.utf8.count
        afterLineComment = false
    }

    var atLineStart: Bool { out.count == lineStart + lineIndentLength }

    mutating func write(_ range: Range<Int>) { out += bytes[range] }

    /// Indentation one column after what is written so far on this line, for aligning continuation lines.
    func alignmentHere() -> String {
        let indent = String(decoding: out[lineStart..<lineStart + lineIndentLength], as: UTF8.self)
        var columns = 0
        for byte in out[(lineStart + lineIndentLength)...] where byte & 0xC0 != 0x80 { columns += 1 }
        return indent + String(repeating: " ", count: columns)
    }

    func indent(of spacing: FormatSpacing, _ index: Int) -> FormatIndent {
        if case .newline(let indent) = spacing { return indent }
        return layout.continuation[index]
    }

    mutating func emit() -> String {
        let tokens = layout.tokens
        if layout.stream.file.hasByteOrderMark { out += [0xEF, 0xBB, 0xBF] }
        lineStart = out.count
        for index in tokens.indices {
            let token = tokens[index]
            let isEnd = token.kind == .endOfFile
            var spacing = isEnd ? FormatSpacing.newline(FormatIndent("")) : layout.spacing[index]
            if case .auto = spacing { spacing = layout.autoSpacing(index) }
            let leading = comments(in: token.leadingTriviaRange)
            let isNewline: Bool
            if case .newline = spacing { isNewline = true } else { isNewline = false }
            if !isNewline, !isEnd,
                !leading.comments.isEmpty || afterLineComment || layout.keepsLineBreak(index)
            {
                spacing = .newline(layout.continuation[index])
            }
            let tokenIndent = indent(of: spacing, index)
            if !leading.comments.isEmpty {
                let commentIndent = layout.commentIndent[index].map { FormatIndent($0) } ?? tokenIndent
                for (position, comment) in leading.comments.enumerated() {
                    if comment.lineBreaksBefore > 0 || position == 0 {
                        newline(blank: comment.lineBreaksBefore > 1, indent: commentIndent)
                    } else if !atLineStart {
                        out.append(0x20)
                    }
                    write(comment.range)
                    afterLineComment = comment.isLine
                }
                if leading.lineBreaksAfter > 0 || afterLineComment || isEnd {
                    newline(blank: leading.lineBreaksAfter > 1, indent: tokenIndent)
                } else {
                    out.append(0x20)
                }
            } else {
                switch spacing {
                case .newline(let indent):
                    let breaks = lineBreakCount(token.leadingTriviaRange)
                    newline(blank: breaks > 1 && !isEnd, indent: indent)
                case .space:
                    out.append(0x20)
                case .none:
                    if index > 0, mustSeparate(tokens[index - 1], token) { out.append(0x20) }
                case .verbatim:
                    let gap = tokens[index - 1].end..<token.start
                    if bytes[gap].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                        write(gap)
                    } else {
                        out.append(0x20)
                    }
                case .auto:
                    break
                }
            }
            if isEnd { break }
            if let text = layout.textOverride[index] ?? keywordSpelling(token) {
                out += Array(text.utf8)
            } else {
                write(token.range)
            }
            if token.kind == .leftParen { alignment[index] = alignmentHere() }
            let trailing = comments(in: token.trailingTriviaRange).comments
            for (position, comment) in trailing.enumerated() {
                let gap = position == 0 && layout.mode[index] == .declaration ? 3 : 1
                out += Array(repeating: 0x20, count: gap)
                write(comment.range)
                afterLineComment = comment.isLine
            }
        }
        while let last = out.last, last == 0x20 || last == 0x09 || last == 0x0A || last == 0x0D { out.removeLast() }
        if !out.isEmpty, out != [0xEF, 0xBB, 0xBF] { out += lineBreak }
        return String(decoding: out, as: UTF8.self)
    }

    /// Reserved keywords in upper case; contextual ones are names unless the layout spelled them.
    func keywordSpelling(_ token: Token) -> String? {
        guard case .keyword(let keyword) = token.kind, !keyword.isContextual else { return nil }
        return keyword.rawValue
    }

    /// Whether two tokens written without a space would lex differently: two words, or punctuation that forms a
    /// longer token or a comment (`(*`, `//`, `:=`, `..`).
    func mustSeparate(_ first: Token, _ second: Token) -> Bool {
        guard first.end > first.start, second.end > second.start else { return false }
        let last = bytes[first.end - 1]
        let next = bytes[second.start]
        func isWord(_ byte: UInt8) -> Bool { isIdentifierByte(byte) || byte >= 0x80 }
        if isWord(last) && (isWord(next) || next == 0x23 || next == 0x22 || next == 0x27) { return true }
        switch (last, next) {
        case (0x28, 0x2A), (0x2F, 0x2F), (0x2F, 0x2A), (0x3A, 0x3D), (0x3D, 0x3E), (0x3C, 0x3E), (0x3C, 0x3D),
            (0x3E, 0x3D), (0x2A, 0x2A), (0x2B, 0x3D), (0x2D, 0x3D), (0x2A, 0x3D), (0x2F, 0x3D), (0x3F, 0x3D),
            (0x2A, 0x29):
            return true
        case (0x2E, 0x2E):
            // `..` then `.` lexes back the same; a `.` before a dot would join it.
            return first.kind == .dot
        default:
            return false
        }
    }
}
