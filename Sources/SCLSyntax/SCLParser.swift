public import S7Diagnostics

/// Parses S7 SCL source into program units. It never throws and never gives up: every file yields a tree and the
/// diagnostics that explain what was wrong with it.
///
/// Recursive descent with a precedence climb for expressions (`SCLBinaryOperator.precedence`). After a syntax error
/// the parser is in panic mode and reports nothing more until the next statement or declaration starts, so one typo
/// gives one error. Recovery follows the construct: a missing THEN or `;` is assumed and parsing goes on; an
/// unreadable statement is skipped to the next `;` or statement keyword; a block missing its END_ keyword ends where
/// a closing keyword of an enclosing block (or the unit's end) appears. Tokens the lexer already diagnosed start
/// panic mode too, so a lexical error is not reported again as a syntax error.
///
///     let result = SCLParser.parse(SourceFile(path: "FB.scl", text: source))
///     result.units.first?.body      // the statements after BEGIN
///     result.diagnostics            // lexer and parser findings in source order
public enum SCLParser {
    public static func parse(_ file: SourceFile) -> SCLParseResult {
        parse(SCLLexer.tokenize(file))
    }

    public static func parse(_ tokens: TokenStream) -> SCLParseResult {
        var parser = Parser(stream: tokens)
        let units = parser.parseFile()
        return SCLParseResult(tokens: tokens, units: units, diagnostics: parser.finishDiagnostics())
    }

    /// Parses a statement list without a unit around it, e.g. the body of a StructuredText network or a test
    /// snippet (`#x := 1; IF #a THEN … END_IF;`).
    public static func parseStatements(
        _ file: SourceFile
    ) -> (
        tokens: TokenStream, statements: [SCLStatement], diagnostics: [Diagnostic]
    ) {
        let tokens = SCLLexer.tokenize(file)
        var parser = Parser(stream: tokens)
        let statements = parser.parseStatementsToEnd()
        return (tokens, statements, parser.finishDiagnostics())
    }
}

/// The blocks the parser is inside of, innermost last; used to tell a block's missing END_ keyword from a stray one.
enum OpenBlock {
    case `if`, `case`, `for`, `while`, `repeat`, region, unit

    func accepts(_ keyword: Keyword) -> Bool {
        switch self {
        case .if: keyword == .elsif || keyword == .else || keyword == .endIf
        case .case: keyword == .else || keyword == .endCase
        case .for: keyword == .endFor
        case .while: keyword == .endWhile
        case .repeat: keyword == .until || keyword == .endRepeat
        case .region: keyword == .endRegion
        case .unit: false
        }
    }
}

extension Keyword {
    var isUnitStart: Bool { unitEnd != nil }

    var isUnitEnd: Bool {
        switch self {
        case .endFunctionBlock, .endFunction, .endOrganizationBlock, .endDataBlock, .endType: true
        default: false
        }
    }

    var isSectionStart: Bool {
        switch self {
        case .varInput, .varOutput, .varInOut, .varTemp, .var, .varStat: true
        default: false
        }
    }

    /// Keywords that close or continue a statement block: END_IF, ELSE, UNTIL …
    var isBlockCloser: Bool {
        switch self {
        case .endIf, .elsif, .else, .endCase, .endFor, .endWhile, .until, .endRepeat, .endRegion: true
        default: false
        }
    }

    /// Keywords that end every statement list and declaration list: they belong to the unit level.
    var isUnitLevel: Bool { isUnitStart || isUnitEnd || isSectionStart || self == .begin || self == .endVar }

    var startsStatement: Bool {
        switch self {
        case .if, .case, .for, .while, .repeat, .exit, .continue, .return, .goto, .region: true
        default: false
        }
    }
}

struct Parser {
    let stream: TokenStream
    let tokens: [Token]
    var index = 0
    var diagnostics: [Diagnostic] = []
    var panicking = false
    var blocks: [OpenBlock] = []
    /// Start offsets of lexer diagnostics, sorted; a token holding one starts panic mode.
    let lexicalErrorStarts: [Int]
    /// Nesting depth of expressions and types, bounded so hostile input cannot overflow the stack.
    var depth = 0
    static let maximumDepth = 200

    init(stream: TokenStream) {
        self.stream = stream
        self.tokens =
            stream.tokens.isEmpty
            ? [Token(kind: .endOfFile, leadingTriviaStart: 0, start: 0, end: 0, trailingTriviaEnd: 0)]
            : stream.tokens
        self.lexicalErrorStarts = stream.diagnostics.map(\.range.start).sorted()
        skipUnknown()
    }

    mutating func finishDiagnostics() -> [Diagnostic] {
        (stream.diagnostics + diagnostics).enumerated().sorted {
            ($0.element.range.start, $0.offset) < ($1.element.range.start, $1.offset)
        }.map(\.element)
    }

    // MARK: - Token access

    var current: Token { tokens[index] }
    var kind: TokenKind { tokens[index].kind }
    var atEnd: Bool { tokens[index].kind == .endOfFile }

    var keyword: Keyword? {
        if case .keyword(let keyword) = tokens[index].kind { return keyword }
        return nil
    }

    func kind(at offset: Int) -> TokenKind {
        var position = index
        var remaining = offset
        while remaining > 0, position < tokens.count - 1 {
            position += 1
            if tokens[position].kind != .unknown { remaining -= 1 }
        }
        return tokens[position].kind
    }

    /// End of the last token consumed; where a missing token is reported.
    var previousEnd: Int {
        var position = index - 1
        while position > 0, tokens[position].kind == .unknown { position -= 1 }
        return position >= 0 ? tokens[position].end : 0
    }

    mutating func advance() {
        if index < tokens.count - 1 { index += 1 }
        skipUnknown()
    }

    /// Unknown tokens were diagnosed by the lexer; the parser steps over them. A token the lexer diagnosed (or whose
    /// leading trivia it did, e.g. an unterminated comment) starts panic mode.
    mutating func skipUnknown() {
        var skipped = false
        while tokens[index].kind == .unknown, index < tokens.count - 1 {
            index += 1
            skipped = true
        }
        if skipped || (!lexicalErrorStarts.isEmpty && hasLexicalError(tokens[index])) { panicking = true }
    }

    func hasLexicalError(_ token: Token) -> Bool {
        var low = 0
        var high = lexicalErrorStarts.count
        while low < high {
            let mid = (low + high) / 2
            if lexicalErrorStarts[mid] < token.leadingTriviaStart { low = mid + 1 } else { high = mid }
        }
        return low < lexicalErrorStarts.count && lexicalErrorStarts[low] <= max(token.end, token.start)
            && (lexicalErrorStarts[low] < token.end || token.kind == .endOfFile)
    }

    /// A statement or declaration starts: errors are reported again unless this token is already diagnosed.
    mutating func beginSyncPoint() {
        panicking = !lexicalErrorStarts.isEmpty && hasLexicalError(current)
    }

    func text(_ token: Token) -> String { stream.text(of: token) }

    /// How a token is shown in a message: `'x'`, or "the end of the file".
    func describe(_ token: Token) -> String {
        token.kind == .endOfFile ? "the end of the file" : "'\(text(token))'"
    }

    func range(_ bytes: Range<Int>) -> SourceRange { stream.file.range(bytes) }

    // MARK: - Diagnostics

    mutating func report(
        _ code: DiagnosticCode, _ message: String, at bytes: Range<Int>, labels: [Diagnostic.Label] = [],
        notes: [Diagnostic.Note] = [], fixIt: Diagnostic.FixIt? = nil
    ) {
        guard !panicking else { return }
        panicking = true
        diagnostics.append(
            Diagnostic(code, message, at: range(bytes), labels: labels, notes: notes, fixIt: fixIt))
    }

    /// Reports a token missing after the previous one: an empty range where it belongs, with an insertion fix-it.
    mutating func reportMissing(_ code: DiagnosticCode, _ message: String, insert: String?) {
        let at = previousEnd
        report(
            code, message, at: at..<at,
            fixIt: insert.map { .init(range: range(at..<at), replacement: $0) })
    }

    // MARK: - Names

    /// Whether the current token can be a plain or quoted name (identifiers, quoted names, contextual keywords).
    var atName: Bool {
        switch kind {
        case .identifier, .quotedIdentifier: true
        case .keyword(let keyword): keyword.isContextual
        default: false
        }
    }

    func name(_ token: Token) -> SCLName {
        let nameKind: SCLName.Kind =
            switch token.kind {
            case .quotedIdentifier: .quoted
            case .localIdentifier, .quotedLocalIdentifier: .local
            default: .plain
            }
        return SCLName(text: stream.name(of: token), kind: nameKind, range: token.range)
    }

    /// Skips to a statement boundary: past the next `;`, or to a statement keyword, a block closer or the unit level.
    mutating func skipToStatementBoundary() {
        var nesting = 0
        while !atEnd {
            switch kind {
            case .semicolon where nesting == 0:
                advance()
                return
            case .leftParen, .leftBracket: nesting += 1
            case .rightParen, .rightBracket: nesting = max(0, nesting - 1)
            case .keyword(let keyword) where keyword.startsStatement || keyword.isBlockCloser || keyword.isUnitLevel:
                return
            default: break
            }
            advance()
        }
    }

    // MARK: - File and units

    mutating func parseFile() -> [SCLProgramUnit] {
        var units: [SCLProgramUnit] = []
        while !atEnd {
            if let keyword, keyword.isUnitStart {
                beginSyncPoint()
                units.append(parseUnit(keyword))
                continue
            }
            if keyword == .namespace || keyword == .endNamespace {
                advance()
                while !atEnd, keyword.map({ !$0.isUnitStart && $0 != .namespace && $0 != .endNamespace }) ?? true {
                    let wasSemicolon = kind == .semicolon
                    advance()
                    if wasSemicolon { break }
                }
                continue
            }
            let first = current
            report(
                .expectedUnit,
                "expected FUNCTION_BLOCK, FUNCTION, ORGANIZATION_BLOCK, DATA_BLOCK or TYPE, found \(describe(first))",
                at: first.range)
            while !atEnd, !(keyword.map { $0.isUnitStart || $0 == .namespace } ?? false) { advance() }
        }
        return units
    }

    mutating func parseUnitName(_ unitKind: SCLUnit.Kind) -> SCLName? {
        if atName {
            let result = name(current)
            advance()
            return result
        }
        report(.expectedUnitName, "expected a name after \(unitKind.rawValue)", at: current.range)
        return nil
    }

    mutating func parseUnit(_ opening: Keyword) -> SCLProgramUnit {
        let unitKind = SCLUnit.Kind(opening)!
        let start = current
        advance()
        var unit = SCLProgramUnit(
            kind: unitKind, name: parseUnitName(unitKind), returnType: nil, header: [], sections: [], body: nil,
            isTerminated: false, range: start.range)
        if unitKind == .function {
            if kind == .colon {
                advance()
                if startsType {
                    unit.returnType = parseType()
                } else {
                    report(.expectedReturnType, "expected a return type after ':'", at: current.range)
                }
            } else if startsType && keyword != .struct {
                reportMissing(
                    .expectedReturnType, "expected ':' before the return type of FUNCTION", insert: " :")
                unit.returnType = parseType()
            } else {
                reportMissing(
                    .expectedReturnType, "expected ':' and a return type after the FUNCTION name", insert: " : Void")
            }
        }
        parseHeader(into: &unit)
        blocks.append(.unit)
        defer { blocks.removeLast() }
        while true {
            if atEnd || keyword?.isUnitStart == true {
                reportMissingUnitEnd(unit, start: start)
                break
            }
            guard let keyword else {
                report(
                    .expectedBegin,
                    "expected a declaration section, BEGIN or \(unitKind.endKeyword.rawValue), found "
                        + describe(current), at: current.range)
                skipToUnitLevel()
                continue
            }
            if keyword == unitKind.endKeyword {
                unit.isTerminated = true
                advance()
                break
            }
            if keyword.isUnitEnd {
                report(
                    .mismatchedEndOfUnit,
                    "\(keyword.rawValue) does not close \(unitKind.rawValue); expected \(unitKind.endKeyword.rawValue)",
                    at: current.range,
                    labels: [.init(range: range(start.range), message: "\(unitKind.rawValue) starts here")],
                    fixIt: .init(range: range(current.range), replacement: unitKind.endKeyword.rawValue))
                advance()
                break
            }
            beginSyncPoint()
            switch keyword {
            case _ where keyword.isSectionStart:
                unit.sections.append(parseSection())
            case .struct:
                unit.sections.append(parseStructSection())
            case .begin:
                advance()
                var body = unit.body ?? []
                parseUnitBody(into: &body, unitKind: unitKind)
                unit.body = body
            default:
                report(
                    .expectedBegin,
                    "expected a declaration section, BEGIN or \(unitKind.endKeyword.rawValue), found "
                        + describe(current), at: current.range)
                advance()
                skipToUnitLevel()
            }
        }
        unit.range = start.start..<max(start.end, previousEnd)
        return unit
    }

    mutating func skipToUnitLevel() {
        while !atEnd, !(keyword?.isUnitLevel ?? false) || keyword == .endVar { advance() }
    }

    /// Statements after BEGIN up to the unit's end; stray closing keywords are reported and skipped.
    mutating func parseUnitBody(into body: inout [SCLStatement], unitKind: SCLUnit.Kind) {
        while true {
            body += parseStatementList()
            guard let keyword, !atEnd else { return }
            if keyword.isUnitStart || keyword.isUnitEnd { return }
            if keyword.isBlockCloser {
                beginSyncPoint()
                report(
                    .expectedStatement, "\(keyword.rawValue) without a matching opening statement", at: current.range)
                advance()
                if kind == .semicolon { advance() }
                continue
            }
            // A section keyword or BEGIN inside the body.
            beginSyncPoint()
            report(
                .expectedStatement,
                "expected a statement or \(unitKind.endKeyword.rawValue), found \(describe(current))",
                at: current.range)
            advance()
        }
    }

    mutating func reportMissingUnitEnd(_ unit: SCLProgramUnit, start: Token) {
        let expected = unit.kind.endKeyword.rawValue
        let nameEnd = unit.name?.range.upperBound ?? start.end
        let insertAt = previousEnd
        report(
            .missingEndOfUnit, "\(unit.kind.rawValue) is missing \(expected)", at: start.start..<nameEnd,
            notes: [.init("expected \(expected) before \(describe(current))", range: range(current.range))],
            fixIt: .init(range: range(insertAt..<insertAt), replacement: "\n" + expected))
    }

    mutating func parseHeader(into unit: inout SCLProgramUnit) {
        while !atEnd {
            if kind == .leftBrace {
                unit.header.append(.attributes(parseAttributeList()))
                continue
            }
            guard let keyword else {
                if unit.kind == .dataBlock, atName {
                    unit.header.append(.dataBlockType(name(current)))
                    advance()
                    continue
                }
                return
            }
            let start = current
            switch keyword {
            case .title:
                advance()
                let line = stream.file.line(of: start.start)
                let lineEnd = stream.file.lineRange(line).upperBound
                if kind == .equal, current.start < lineEnd { advance() }
                let valueStart = current.start
                var valueEnd = valueStart
                while !atEnd, current.start < lineEnd {
                    valueEnd = current.end
                    advance()
                }
                let value = valueEnd > valueStart ? stream.file.text(in: valueStart..<valueEnd) : ""
                unit.header.append(.property(.title, value: value, range: start.start..<max(start.end, valueEnd)))
            case .author, .family, .name, .version:
                if unit.kind == .dataBlock, keyword == .name, kind(at: 1) != .colon {
                    // `NAME` as the type of a typed DB is not a header property.
                    unit.header.append(.dataBlockType(name(current)))
                    advance()
                    continue
                }
                advance()
                if kind == .colon {
                    advance()
                } else {
                    reportMissing(.expectedColon, "expected ':' after \(keyword.rawValue)", insert: " :")
                }
                guard !atEnd, !(self.keyword.map { $0.isUnitLevel || $0.isUnitStart } ?? false) else {
                    report(.expectedExpression, "expected a value for \(keyword.rawValue)", at: current.range)
                    continue
                }
                let value =
                    kind == .stringLiteral ? stream.stringValue(of: current) ?? "" : stream.name(of: current)
                unit.header.append(.property(keyword, value: value, range: start.start..<current.end))
                advance()
            case .knowHowProtect, .readOnly, .unlinked, .nonRetain, .retain:
                unit.header.append(.flag(keyword, range: start.range))
                advance()
            default:
                return
            }
        }
    }

    /// `{ key := 'value'; key2 := 'value' }` at `current`.
    mutating func parseAttributeList() -> SCLAttributeList {
        let open = current
        advance()
        var entries: [SCLAttributeList.Entry] = []
        while !atEnd, kind != .rightBrace {
            if kind == .semicolon || kind == .comma {
                advance()
                continue
            }
            if let keyword, keyword.isUnitLevel || keyword.isUnitStart { break }
            let key = current
            advance()
            var value: String?
            var end = key.end
            if kind == .assign {
                advance()
                if kind != .rightBrace, kind != .semicolon, !atEnd {
                    value = kind == .stringLiteral ? stream.stringValue(of: current) : text(current)
                    end = current.end
                    advance()
                }
            }
            entries.append(.init(key: stream.name(of: key), value: value, range: key.start..<end))
        }
        if kind == .rightBrace {
            advance()
        } else {
            report(
                .expectedClosingDelimiter, "expected '}' to close the attribute list", at: previousEnd..<previousEnd,
                labels: [.init(range: range(open.range), message: "'{' opened here")])
        }
        return SCLAttributeList(entries: entries, range: open.start..<previousEnd)
    }

    // MARK: - Declarations

    mutating func parseSection() -> SCLVariableSection {
        let open = current
        let sectionKeyword = keyword!
        advance()
        var options: [Keyword] = []
        while let keyword, [.retain, .nonRetain, .constant, .dbSpecific].contains(keyword) {
            options.append(keyword)
            advance()
        }
        let sectionKind = DeclarationSection.Kind(sectionKeyword, options: options)
        let declarations = parseDeclarations(until: .endVar)
        let closed = closeList(.endVar, opening: open)
        return SCLVariableSection(
            kind: sectionKind, options: options, declarations: declarations, isClosed: closed,
            range: open.start..<max(open.end, previousEnd))
    }

    /// `STRUCT … END_STRUCT;` as the body of a TYPE or classic DATA_BLOCK.
    mutating func parseStructSection() -> SCLVariableSection {
        let open = current
        advance()
        let declarations = parseDeclarations(until: .endStruct)
        let closed = closeList(.endStruct, opening: open)
        return SCLVariableSection(
            kind: .structure, options: [], declarations: declarations, isClosed: closed,
            range: open.start..<max(open.end, previousEnd))
    }

    /// Consumes `terminator` and an optional `;`, or reports that the list opened by `opening` is not closed.
    mutating func closeList(_ terminator: Keyword, opening: Token) -> Bool {
        if keyword == terminator {
            advance()
            if kind == .semicolon { advance() }
            return true
        }
        report(
            .unclosedSection, "expected \(terminator.rawValue) before \(describe(current))",
            at: current.kind == .endOfFile ? previousEnd..<previousEnd : current.range,
            labels: [.init(range: range(opening.range), message: "\(text(opening).uppercased()) starts here")])
        return false
    }

    mutating func parseDeclarations(until terminator: Keyword) -> [SCLVariableDeclaration] {
        var declarations: [SCLVariableDeclaration] = []
        while !atEnd {
            if let keyword,
                keyword == terminator || keyword.isUnitLevel || keyword == .endStruct
                    || keyword.isUnitStart
            {
                break
            }
            let before = index
            if kind == .semicolon {
                advance()
                continue
            }
            beginSyncPoint()
            if let declaration = parseDeclaration(terminator: terminator) { declarations.append(declaration) }
            if index == before { advance() }
        }
        return declarations
    }

    /// Whether `current` ends a declaration list.
    func endsDeclarations(_ terminator: Keyword) -> Bool {
        guard let keyword else { return atEnd }
        return keyword == terminator || keyword.isUnitLevel || keyword.isUnitStart || keyword == .endStruct
    }

    mutating func skipDeclaration(_ terminator: Keyword) {
        var nesting = 0
        while !atEnd, !endsDeclarations(terminator) {
            switch kind {
            case .semicolon where nesting == 0:
                advance()
                return
            case .leftParen, .leftBracket, .leftBrace: nesting += 1
            case .rightParen, .rightBracket, .rightBrace: nesting = max(0, nesting - 1)
            default: break
            }
            advance()
        }
    }

    /// `a, b {attributes} AT other : Type := initial;`
    mutating func parseDeclaration(terminator: Keyword) -> SCLVariableDeclaration? {
        let start = current
        var names: [SCLName] = []
        while atName {
            names.append(name(current))
            advance()
            guard kind == .comma else { break }
            advance()
        }
        guard !names.isEmpty else {
            let found = describe(current)
            report(
                .expectedDeclaration,
                keyword == .begin || kind == .localIdentifier
                    ? "expected a declaration, found \(found); statements follow BEGIN"
                    : "expected a declaration 'name : Type;', found \(found)", at: current.range)
            skipDeclaration(terminator)
            return nil
        }
        var attributes: SCLAttributeList?
        if kind == .leftBrace { attributes = parseAttributeList() }
        var overlay: SCLName?
        if keyword == .at {
            advance()
            if atName || kind == .localIdentifier {
                overlay = name(current)
                advance()
            } else {
                report(.expectedName, "expected the name of the overlaid variable after AT", at: current.range)
            }
        }
        let type: SCLTypeSpec
        if kind == .colon {
            advance()
            type = parseType()
        } else if startsType {
            reportMissing(.expectedColon, "expected ':' between '\(names[0].text)' and its type", insert: " :")
            type = parseType()
        } else {
            reportMissing(.expectedColon, "expected ':' and a type after '\(names[0].text)'", insert: nil)
            skipDeclaration(terminator)
            return SCLVariableDeclaration(
                names: names, attributes: attributes, overlay: overlay, type: .error(range: previousEnd..<previousEnd),
                initialValue: nil, range: start.start..<previousEnd)
        }
        var initial: SCLInitializer?
        if kind == .assign {
            advance()
            initial = parseInitializer()
        }
        if kind == .semicolon {
            advance()
        } else if atName && (kind(at: 1) == .colon || kind(at: 1) == .comma || kind(at: 1) == .leftBrace)
            || endsDeclarations(terminator)
        {
            reportMissing(.expectedSemicolon, "expected ';' after the declaration of '\(names[0].text)'", insert: ";")
        } else {
            reportMissing(.expectedSemicolon, "expected ';' after the declaration of '\(names[0].text)'", insert: ";")
            skipDeclaration(terminator)
        }
        return SCLVariableDeclaration(
            names: names, attributes: attributes, overlay: overlay, type: type, initialValue: initial,
            range: start.start..<max(start.end, previousEnd))
    }

    var startsType: Bool {
        switch kind {
        case .identifier, .quotedIdentifier: true
        case .keyword(let keyword): keyword == .array || keyword == .struct || keyword == .refTo || keyword == .void
        default: false
        }
    }

    mutating func parseType() -> SCLTypeSpec {
        let start = current
        depth += 1
        defer { depth -= 1 }
        guard depth < Self.maximumDepth else {
            report(.expectedType, "type nested too deeply", at: current.range)
            return .error(range: current.start..<current.start)
        }
        switch kind {
        case .identifier:
            let typeName = text(current)
            advance()
            var length: SCLExpression?
            if kind == .leftBracket {
                let open = current
                advance()
                length = parseExpression()
                expectClosing(.rightBracket, "]", opening: open)
            }
            return .named(name: typeName, length: length, range: start.start..<previousEnd)
        case .keyword(.void):
            advance()
            return .named(name: text(start), length: nil, range: start.range)
        case .quotedIdentifier:
            advance()
            return .userDefined(name(start))
        case .keyword(.refTo):
            advance()
            let target = parseType()
            return .reference(to: target, range: start.start..<previousEnd)
        case .keyword(.struct):
            advance()
            let members = parseDeclarations(until: .endStruct)
            if keyword == .endStruct {
                advance()
            } else {
                report(
                    .unclosedSection, "expected END_STRUCT before \(describe(current))",
                    at: atEnd ? previousEnd..<previousEnd : current.range,
                    labels: [.init(range: range(start.range), message: "STRUCT starts here")])
            }
            return .structure(members: members, range: start.start..<previousEnd)
        case .keyword(.array):
            advance()
            var dimensions: [SCLArrayDimension] = []
            if kind == .leftBracket {
                let open = current
                advance()
                repeat {
                    if kind == .comma { advance() }
                    if kind == .star {
                        dimensions.append(.variable(range: current.range))
                        advance()
                        continue
                    }
                    let low = parseExpression()
                    if kind == .dotDot {
                        advance()
                    } else {
                        reportMissing(.expectedType, "expected '..' between the array bounds", insert: "..")
                    }
                    let high = parseExpression()
                    dimensions.append(.bounds(low: low, high: high))
                } while kind == .comma
                expectClosing(.rightBracket, "]", opening: open)
            } else {
                reportMissing(.expectedType, "expected '[' and the bounds after Array", insert: nil)
            }
            if keyword == .of {
                advance()
            } else {
                reportMissing(.expectedOf, "expected OF before the element type of the array", insert: " of")
            }
            let element =
                startsType ? parseType() : reportedTypeError("expected the element type of the array after OF")
            return .array(dimensions: dimensions, element: element, range: start.start..<max(start.end, previousEnd))
        default:
            return reportedTypeError("expected a data type, found \(describe(current))")
        }
    }

    mutating func reportedTypeError(_ message: String) -> SCLTypeSpec {
        report(.expectedType, message, at: atEnd ? previousEnd..<previousEnd : current.range)
        return .error(range: current.start..<current.start)
    }

    mutating func parseInitializer() -> SCLInitializer {
        let start = current
        depth += 1
        defer { depth -= 1 }
        if kind == .leftBracket, depth < Self.maximumDepth {
            advance()
            var elements: [SCLInitializer] = []
            while kind != .rightBracket, !atEnd, !(keyword?.isUnitLevel ?? false) {
                let before = index
                if kind == .integerLiteral || kind == .localIdentifier || kind == .quotedIdentifier,
                    kind(at: 1) == .leftParen
                {
                    let countToken = current
                    let count = parsePrimary()
                    let open = current
                    advance()
                    var values: [SCLInitializer] = []
                    while kind != .rightParen, !atEnd, !(keyword?.isUnitLevel ?? false), kind != .semicolon {
                        let inner = index
                        values.append(parseInitializer())
                        if kind == .comma { advance() } else if index == inner { break }
                    }
                    expectClosing(.rightParen, ")", opening: open)
                    elements.append(.repeated(count: count, values: values, range: countToken.start..<previousEnd))
                } else {
                    elements.append(parseInitializer())
                }
                if kind == .comma {
                    advance()
                } else if index == before || kind != .rightBracket {
                    break
                }
            }
            expectClosing(.rightBracket, "]", opening: start)
            return .array(elements: elements, range: start.start..<previousEnd)
        }
        if kind == .leftParen, depth < Self.maximumDepth, atNameToken(offset: 1), kind(at: 2) == .assign {
            advance()
            var fields: [SCLFieldInitializer] = []
            while atName {
                let field = name(current)
                advance()
                advance()  // `:=`
                fields.append(SCLFieldInitializer(name: field, value: parseInitializer()))
                guard kind == .comma else { break }
                advance()
            }
            expectClosing(.rightParen, ")", opening: start)
            return .structure(fields: fields, range: start.start..<previousEnd)
        }
        return .expression(parseExpression())
    }

    func atNameToken(offset: Int) -> Bool {
        switch kind(at: offset) {
        case .identifier, .quotedIdentifier: true
        case .keyword(let keyword): keyword.isContextual
        default: false
        }
    }

    /// Consumes `closer` or reports it missing at the end of the previous token.
    mutating func expectClosing(_ closer: TokenKind, _ spelling: String, opening: Token) {
        if kind == closer {
            advance()
            return
        }
        let at = previousEnd
        report(
            .expectedClosingDelimiter, "expected '\(spelling)', found \(describe(current))", at: at..<at,
            labels: [.init(range: range(opening.range), message: "'\(text(opening))' opened here")],
            fixIt: .init(range: range(at..<at), replacement: spelling))
    }
}
