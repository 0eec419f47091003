public import S7Diagnostics

/// Formats SCL source in the layout TIA Portal writes when it exports a block as source, so that formatting a
/// TIA export changes little and a formatted file imports unchanged:
///
///     FUNCTION_BLOCK "FB_Mixer"            unit keyword, header lines, BEGIN and END_ at column 0
///     { S7_Optimized_Access := 'TRUE' }
///     VERSION : 0.1
///        VAR_INPUT                         sections indented 3 spaces, members 6, nested STRUCT members +3
///           speed : Int := 40;   // rpm    trailing comments of declarations 3 spaces after the `;`
///        END_VAR
///
///     BEGIN
///     →IF #speed > 100 THEN                statements: one tab, then 4 spaces per nesting level
///     →    #speed := 100;                  (DATA_BLOCK start values: 3 spaces per level)
///     →END_IF;
///     END_FUNCTION_BLOCK
///
/// Rules: keywords upper case (`Array`, `of`, `Struct` and elementary type names in TIA's spelling, e.g. `DInt`),
/// one statement per line, CASE values one level in and their statements two, single spaces around `:=`, `=>` and
/// binary operators, none inside brackets and before `,` `;`. A line break the source has after a binary operator,
/// `:=` or `,` (or before a binary operator) is kept as a continuation line: one level deeper, or aligned after the
/// `(` of a call as TIA aligns parameters; other line breaks inside a statement are joined. At most one blank line
/// is kept where the source had any.
///
/// The formatter re-spaces tokens and never adds, drops or reorders one, so every comment stays (leading comments
/// on their own lines at the indentation of what follows, or of the block body before an END_ keyword; trailing
/// comments after their token), `parse(format(x))` has the tree of `parse(x)`, and `format` is idempotent. Source
/// with syntax errors is formatted too; the tokens of unreadable parts are kept, spaced by the same rules. Source
/// with lexical errors (an unterminated string, an invalid character) is returned unchanged. Optional
/// semicolons are kept as written, not added. Long lines are not broken.
public enum SCLFormatter {
    public static func format(_ file: SourceFile) -> String {
        format(SCLParser.parse(file))
    }

    public static func format(_ result: SCLParseResult) -> String {
        // Re-spacing around a token the lexer could not close could change what the text means; leave it alone.
        guard result.tokens.diagnostics.isEmpty else { return result.file.text }
        var layout = FormatLayout(tokens: result.tokens)
        for unit in result.units { layout.layoutUnit(unit) }
        var emitter = FormatEmitter(layout: layout)
        return emitter.emit()
    }
}

/// Where a new line starts: a fixed indentation, or aligned one column after the token `alignAfter`.
struct FormatIndent {
    var prefix: String
    var alignAfter: Int?

    init(_ prefix: String, alignAfter: Int? = nil) {
        self.prefix = prefix
        self.alignAfter = alignAfter
    }
}

enum FormatSpacing {
    /// Decided by the token pair (`FormatLayout.autoSpacing`).
    case auto
    case space
    case none
    case newline(FormatIndent)
    /// The whitespace of the source if it has no line break, else one space (TITLE and REGION names).
    case verbatim
}

enum FormatMode {
    case statement, declaration, header
}

/// The layout decisions per token, made from the syntax tree; `FormatEmitter` writes them.
struct FormatLayout {
    let stream: TokenStream
    let tokens: [Token]
    var spacing: [FormatSpacing]
    var continuation: [FormatIndent]
    var commentIndent: [String?]
    var textOverride: [String?]
    var mode: [FormatMode]
    var paddedBraces: [Bool]
    var claimed: [Bool]

    init(tokens stream: TokenStream) {
        self.stream = stream
        self.tokens = stream.tokens
        let count = stream.tokens.count
        spacing = Array(repeating: .auto, count: count)
        continuation = Array(repeating: FormatIndent("    "), count: count)
        commentIndent = Array(repeating: nil, count: count)
        textOverride = Array(repeating: nil, count: count)
        mode = Array(repeating: .statement, count: count)
        paddedBraces = Array(repeating: false, count: count)
        claimed = Array(repeating: false, count: count)
    }

    /// The first token starting at or after `offset`.
    func tokenIndex(at offset: Int) -> Int {
        var low = 0
        var high = tokens.count - 1
        while low < high {
            let mid = (low + high) / 2
            if tokens[mid].start < offset { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Token indices covering `range` (tokens starting inside it).
    func tokenSpan(_ range: Range<Int>) -> Range<Int> {
        let first = tokenIndex(at: range.lowerBound)
        var last = first
        while last < tokens.count - 1, tokens[last].start < range.upperBound, tokens[last].kind != .endOfFile {
            last += 1
        }
        return first..<max(first, last)
    }

    func keyword(_ index: Int) -> Keyword? {
        if case .keyword(let keyword) = tokens[index].kind { return keyword }
        return nil
    }

    static func bodyPrefix(_ level: Int, dataBlock: Bool) -> String {
        if dataBlock { return String(repeating: "   ", count: max(level, 0)) }
        return level <= 0 ? "" : "\t" + String(repeating: "    ", count: level - 1)
    }

    static func declarationPrefix(_ depth: Int) -> String { String(repeating: "   ", count: depth) }

    // MARK: - Units

    mutating func layoutUnit(_ unit: SCLProgramUnit) {
        let span = tokenSpan(unit.range)
        guard !span.isEmpty else { return }
        let dataBlock = unit.kind == .dataBlock
        for section in unit.sections { layoutSection(section) }
        for statement in unit.body ?? [] { layoutStatement(statement, level: 1, dataBlock: dataBlock) }
        if let returnType = unit.returnType { layoutTypeCase(returnType) }
        var lineStarts: Set<Int> = [span.lowerBound]
        var titleValue: Range<Int>?
        for item in unit.header {
            switch item {
            case .property(let keyword, _, let range):
                let first = tokenIndex(at: range.lowerBound)
                lineStarts.insert(first)
                textOverride[first] = keyword.rawValue
                if keyword == .title {
                    titleValue = tokenSpan(range)
                }
            case .attributes(let list):
                let first = tokenIndex(at: list.range.lowerBound)
                lineStarts.insert(first)
                for index in tokenSpan(list.range) { paddedBraces[index] = true }
            case .flag(let keyword, let range):
                let first = tokenIndex(at: range.lowerBound)
                lineStarts.insert(first)
                textOverride[first] = keyword.rawValue
            case .dataBlockType(let name):
                lineStarts.insert(tokenIndex(at: name.range.lowerBound))
            }
        }
        var afterTitleEquals = false
        for index in span where !claimed[index] {
            claimed[index] = true
            mode[index] = .header
            if lineStarts.contains(index) {
                spacing[index] = .newline(FormatIndent(""))
            } else if let keyword = keyword(index), keyword == .begin || keyword.isUnitEnd {
                spacing[index] = .newline(FormatIndent(""))
                if keyword.isUnitEnd { commentIndent[index] = Self.bodyPrefix(1, dataBlock: dataBlock) }
            }
            if let titleValue, titleValue.contains(index), index > titleValue.lowerBound {
                if tokens[index].kind == .equal, !afterTitleEquals {
                    afterTitleEquals = true
                } else {
                    textOverride[index] = stream.text(of: tokens[index])
                    if index > titleValue.lowerBound + (afterTitleEquals ? 2 : 1) { spacing[index] = .verbatim }
                }
            }
            continuation[index] = FormatIndent("   ")
        }
    }

    // MARK: - Declarations

    mutating func layoutSection(_ section: SCLVariableSection) {
        let span = tokenSpan(section.range)
        guard !span.isEmpty else { return }
        for declaration in section.declarations { layoutDeclaration(declaration, depth: 2) }
        let sectionPrefix = Self.declarationPrefix(1)
        for index in span where !claimed[index] {
            claimed[index] = true
            mode[index] = .declaration
            continuation[index] = FormatIndent(Self.declarationPrefix(2))
            if index == span.lowerBound {
                spacing[index] = .newline(FormatIndent(sectionPrefix))
            } else if let keyword = keyword(index), keyword == .endVar || keyword == .endStruct {
                spacing[index] = .newline(FormatIndent(sectionPrefix))
                commentIndent[index] = Self.declarationPrefix(2)
            } else if let keyword = keyword(index), section.options.contains(keyword) {
                textOverride[index] = keyword.rawValue
            }
        }
    }

    func structMembers(_ type: SCLTypeSpec) -> [SCLVariableDeclaration] {
        switch type {
        case .structure(let members, _): members
        case .array(_, let element, _): structMembers(element)
        default: []
        }
    }

    mutating func layoutDeclaration(_ declaration: SCLVariableDeclaration, depth: Int) {
        let span = tokenSpan(declaration.range)
        guard !span.isEmpty else { return }
        for member in structMembers(declaration.type) { layoutDeclaration(member, depth: depth + 1) }
        layoutTypeCase(declaration.type)
        let prefix = Self.declarationPrefix(depth)
        for index in span where !claimed[index] {
            claimed[index] = true
            mode[index] = .declaration
            continuation[index] = FormatIndent(prefix + "   ")
            if index == span.lowerBound {
                spacing[index] = .newline(FormatIndent(prefix))
            } else if keyword(index) == .endStruct {
                spacing[index] = .newline(FormatIndent(prefix))
                commentIndent[index] = Self.declarationPrefix(depth + 1)
            }
        }
    }

    /// TIA's spelling of the words of a type: `Array[…] of Struct`, `Void`, `DInt`.
    mutating func layoutTypeCase(_ type: SCLTypeSpec) {
        switch type {
        case .named(let name, _, let range):
            let index = tokenIndex(at: range.lowerBound)
            if let canonical = SCLTypeNames.canonical(name) { textOverride[index] = canonical }
        case .array(_, let element, let range):
            textOverride[tokenIndex(at: range.lowerBound)] = "Array"
            let elementIndex = tokenIndex(at: element.range.lowerBound)
            if elementIndex > 0, keyword(elementIndex - 1) == .of { textOverride[elementIndex - 1] = "of" }
            layoutTypeCase(element)
        case .structure(_, let range):
            textOverride[tokenIndex(at: range.lowerBound)] = "Struct"
        case .reference(let target, _):
            layoutTypeCase(target)
        case .userDefined, .error:
            break
        }
    }

    // MARK: - Statements

    mutating func layoutStatement(_ statement: SCLStatement, level: Int, dataBlock: Bool) {
        let span = tokenSpan(statement.range)
        guard !span.isEmpty else { return }
        let prefix = Self.bodyPrefix(level, dataBlock: dataBlock)
        let bodyPrefix = Self.bodyPrefix(level + 1, dataBlock: dataBlock)
        let step = dataBlock ? "   " : "    "
        var clauseStarts: Set<Int> = []
        var isCase = false
        var regionLine: Range<Int>?
        switch statement.kind {
        case .if(let branches, let elseBody):
            for statement in branches.flatMap(\.body) + (elseBody ?? []) {
                layoutStatement(statement, level: level + 1, dataBlock: dataBlock)
            }
        case .case(_, let clauses, let elseBody):
            isCase = true
            for clause in clauses {
                clauseStarts.insert(tokenIndex(at: clause.range.lowerBound))
                for statement in clause.body { layoutStatement(statement, level: level + 2, dataBlock: dataBlock) }
            }
            for statement in elseBody ?? [] { layoutStatement(statement, level: level + 2, dataBlock: dataBlock) }
        case .for(_, _, _, _, let body), .while(_, let body), .repeat(let body, _):
            for statement in body { layoutStatement(statement, level: level + 1, dataBlock: dataBlock) }
        case .region(_, let body):
            let file = stream.file
            regionLine = file.lineRange(file.line(of: statement.range.lowerBound))
            for statement in body { layoutStatement(statement, level: level + 1, dataBlock: dataBlock) }
        default:
            break
        }
        // Open parentheses of the statement's own tokens: the `(` index and whether it opens an argument list.
        var parentheses: [(index: Int, isCall: Bool)] = []
        for index in span where !claimed[index] {
            claimed[index] = true
            mode[index] = .statement
            if let open = parentheses.last(where: { $0.isCall }) {
                continuation[index] = FormatIndent(prefix, alignAfter: open.index)
            } else {
                continuation[index] = FormatIndent(prefix + step)
            }
            switch tokens[index].kind {
            case .leftParen:
                parentheses.append((index, index > 0 && Self.endsOperand(tokens[index - 1].kind)))
            case .rightParen:
                if !parentheses.isEmpty { parentheses.removeLast() }
            default: break
            }
            if index == span.lowerBound {
                spacing[index] = .newline(FormatIndent(prefix))
            } else if clauseStarts.contains(index) {
                spacing[index] = .newline(FormatIndent(Self.bodyPrefix(level + 1, dataBlock: dataBlock)))
            } else if let keyword = keyword(index), keyword.isBlockCloser {
                if keyword == .else && isCase {
                    spacing[index] = .newline(FormatIndent(Self.bodyPrefix(level + 1, dataBlock: dataBlock)))
                } else {
                    spacing[index] = .newline(FormatIndent(prefix))
                }
                if keyword != .else && keyword != .elsif {
                    commentIndent[index] = isCase ? Self.bodyPrefix(level + 2, dataBlock: dataBlock) : bodyPrefix
                }
            } else if let regionLine, index > span.lowerBound, regionLine.contains(tokens[index].start) {
                // The REGION name is free text: kept as written.
                textOverride[index] = stream.text(of: tokens[index])
                if index > span.lowerBound + 1 { spacing[index] = .verbatim }
            }
        }
    }

    // MARK: - Spacing between tokens

    /// Whether a token ends an operand, so that a following `(` or `[` is a call or an index and a following `-`
    /// is binary.
    static func endsOperand(_ kind: TokenKind) -> Bool {
        switch kind {
        case .identifier, .quotedIdentifier, .localIdentifier, .quotedLocalIdentifier, .absoluteAddress,
            .sliceAccess, .integerLiteral, .realLiteral, .typedLiteral, .stringLiteral, .rightParen, .rightBracket,
            .caret:
            true
        case .keyword(let keyword): keyword.isContextual || keyword == .true || keyword == .false
        default: false
        }
    }

    func isUnarySign(_ index: Int) -> Bool {
        let kind = tokens[index].kind
        guard kind == .minus || kind == .plus || kind == .keyword(.not) else { return false }
        if kind == .keyword(.not) { return true }
        return index == 0 || !Self.endsOperand(tokens[index - 1].kind)
    }

    func isBinaryOperator(_ index: Int) -> Bool {
        switch tokens[index].kind {
        case .star, .slash, .power, .keyword(.mod), .less, .greater, .lessEqual, .greaterEqual, .equal, .notEqual,
            .keyword(.and), .ampersand, .keyword(.xor), .keyword(.or):
            true
        case .minus, .plus: !isUnarySign(index)
        default: false
        }
    }

    /// The spacing before token `index` when the tree decided nothing: `.space` or `.none`.
    func autoSpacing(_ index: Int) -> FormatSpacing {
        guard index > 0 else { return .none }
        let previous = tokens[index - 1].kind
        let current = tokens[index].kind
        switch current {
        case .comma, .semicolon, .rightParen, .rightBracket, .dot, .dotDot, .caret:
            return .none
        case .colon:
            return mode[index] == .statement ? .none : .space
        case .leftParen:
            return Self.endsOperand(previous) || (previous == .minus && isUnarySign(index - 1)) ? .none : .space
        case .leftBracket:
            return Self.endsOperand(previous) || previous == .keyword(.array) ? .none : .space
        case .rightBrace:
            return paddedBraces[index] ? .space : .none
        case .sliceAccess:
            return .none
        default:
            break
        }
        switch previous {
        case .leftParen, .leftBracket, .dot, .dotDot:
            return .none
        case .leftBrace:
            return paddedBraces[index - 1] ? .space : .none
        case .minus, .plus:
            return isUnarySign(index - 1) ? .none : .space
        case .colon where mode[index] == .statement:
            // `"Valve":P` stays glued as written.
            return tokens[index - 1].trailingTriviaEnd == tokens[index].start
                && tokens[index].leadingTriviaStart == tokens[index].start
                && tokens[index - 1].end == tokens[index - 1].trailingTriviaEnd ? .none : .space
        default:
            return .space
        }
    }

    /// Whether a line break of the source before token `index` is kept as a continuation line.
    func keepsLineBreak(_ index: Int) -> Bool {
        guard index > 0, tokens[index].leadingTriviaStart < tokens[index].start else { return false }
        let previous = tokens[index - 1].kind
        if previous == .comma || previous == .assign || previous == .outputAssign { return true }
        return isBinaryOperator(index - 1) || isBinaryOperator(index)
    }
}
