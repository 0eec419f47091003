public import S7Diagnostics

/// Finds the program units of a source file from its tokens: a light header parser for overviews, until the full
/// parser lands.
///
/// It reads unit headers and declaration sections one level deep and skips statement bodies token by token up to
/// the unit's END_ keyword, so it is as fast as the lexer. A unit without its END_ keyword ends before the next unit
/// keyword (or at the end of the file) with one `SCL1101` error; tokens between units give one `SCL1104` per run.
///
///     let scan = SCLUnitScanner.scan(SCLLexer.tokenize(file))
///     scan.units.map(\.name)   // ["FB_IM"]
public enum SCLUnitScanner {
    public static func scan(_ stream: TokenStream) -> SCLUnitScan {
        var scanner = UnitScanner(stream: stream)
        return scanner.run()
    }

    /// Lexes and scans; returns the lexer's diagnostics and the scan.
    public static func scan(_ file: SourceFile) -> (tokens: TokenStream, scan: SCLUnitScan) {
        let tokens = SCLLexer.tokenize(file)
        return (tokens, scan(tokens))
    }
}

extension Keyword {
    /// FUNCTION_BLOCK, FUNCTION, ORGANIZATION_BLOCK, DATA_BLOCK or TYPE.
    fileprivate var opensUnit: Bool { unitEnd != nil }

    fileprivate var closesUnit: Bool {
        switch self {
        case .endFunctionBlock, .endFunction, .endOrganizationBlock, .endDataBlock, .endType: true
        default: false
        }
    }

    fileprivate var opensSection: Bool {
        switch self {
        case .varInput, .varOutput, .varInOut, .varTemp, .var, .varStat: true
        default: false
        }
    }
}

struct UnitScanner {
    let stream: TokenStream
    let tokens: [Token]
    var index = 0
    var fileDiagnostics: [Diagnostic] = []
    var unitDiagnostics: [Diagnostic] = []

    init(stream: TokenStream) {
        self.stream = stream
        self.tokens =
            stream.tokens.isEmpty
            ? [Token(kind: .endOfFile, leadingTriviaStart: 0, start: 0, end: 0, trailingTriviaEnd: 0)]
            : stream.tokens
    }

    var current: Token { tokens[index] }
    var keyword: Keyword? { keyword(at: index) }
    var atEnd: Bool { current.kind == .endOfFile }

    func keyword(at position: Int) -> Keyword? {
        if case .keyword(let keyword) = tokens[min(position, tokens.count - 1)].kind { return keyword }
        return nil
    }

    mutating func advance() {
        if index < tokens.count - 1 { index += 1 }
    }

    func range(_ range: Range<Int>) -> SourceRange { stream.file.range(range) }

    /// Source text from the start of token `first` to the end of token `last`, with runs of whitespace collapsed.
    func text(from first: Int, through last: Int) -> String {
        guard last >= first else { return "" }
        var pieces: [String] = []
        for position in first...last {
            let token = tokens[position]
            pieces.append(stream.text(of: token))
            if position < last,
                token.trailingTriviaEnd > token.end
                    || tokens[position + 1].leadingTriviaStart
                        < tokens[position + 1].start
            {
                pieces.append(" ")
            }
        }
        return pieces.joined()
    }

    mutating func run() -> SCLUnitScan {
        var units: [SCLUnit] = []
        while !atEnd {
            if let keyword, keyword.opensUnit {
                units.append(scanUnit(keyword))
                continue
            }
            if keyword == .namespace || keyword == .endNamespace {
                skipNamespaceLine()
                continue
            }
            let first = current
            var last = current
            while !atEnd {
                if let keyword, keyword.opensUnit || keyword == .namespace { break }
                last = current
                advance()
            }
            fileDiagnostics.append(
                Diagnostic(
                    .expectedUnit,
                    "expected FUNCTION_BLOCK, FUNCTION, ORGANIZATION_BLOCK, DATA_BLOCK or TYPE, found "
                        + "'\(stream.text(of: first))'",
                    at: range(first.start..<max(first.end, min(last.end, first.end)))))
        }
        return SCLUnitScan(units: units, diagnostics: fileDiagnostics)
    }

    /// `NAMESPACE a.b` or `END_NAMESPACE;`, tolerated around units.
    mutating func skipNamespaceLine() {
        advance()
        while !atEnd, keyword.map({ !$0.opensUnit && $0 != .namespace && $0 != .endNamespace }) ?? true {
            let wasSemicolon = current.kind == .semicolon
            advance()
            if wasSemicolon { break }
        }
    }

    // MARK: - Units

    mutating func scanUnit(_ opening: Keyword) -> SCLUnit {
        let kind = SCLUnit.Kind(opening)!
        let startToken = current
        unitDiagnostics = []
        var unit = SCLUnit(
            kind: kind, name: "", nameRange: nil, range: startToken.range, attributes: [], pragmas: [], flags: [],
            returnType: nil, dataBlockType: nil, sections: [], hasBody: false, isTerminated: false, diagnostics: [])
        advance()
        switch current.kind {
        case .quotedIdentifier, .identifier:
            unit.name = stream.name(of: current)
            unit.nameRange = current.range
            advance()
        case .keyword(let word) where word.isContextual:
            unit.name = stream.name(of: current)
            unit.nameRange = current.range
            advance()
        default:
            unitDiagnostics.append(
                Diagnostic(.expectedUnitName, "expected a name after \(kind.rawValue)", at: range(current.range)))
        }
        var lastIndex = index - 1
        if kind == .function {
            if current.kind == .colon {
                advance()
                let first = index
                var depth = 0
                while !atEnd {
                    if depth == 0, let keyword, isHeaderOrSectionStart(keyword) { break }
                    if depth == 0, current.kind == .leftBrace { break }
                    depth += current.kind == .leftBracket ? 1 : current.kind == .rightBracket ? -1 : 0
                    advance()
                }
                if index > first {
                    unit.returnType = text(from: first, through: index - 1)
                } else {
                    unitDiagnostics.append(
                        Diagnostic(
                            .expectedReturnType, "expected a return type after ':'",
                            at: range(tokens[first - 1].range)))
                }
            } else {
                let after = tokens[index - 1].end
                unitDiagnostics.append(
                    Diagnostic(
                        .expectedReturnType, "expected ':' and a return type after the FUNCTION name",
                        at: range(after..<after), fixIt: .init(range: range(after..<after), replacement: " : Void")))
            }
        }
        scanHeader(into: &unit)

        // Sections and body up to the END_ keyword.
        loop: while true {
            lastIndex = max(lastIndex, index - 1)
            if atEnd {
                reportMissingEnd(unit: unit, startToken: startToken, cutAt: current)
                break
            }
            guard let keyword else {
                if kind == .dataBlock, unit.dataBlockType == nil,
                    current.kind == .quotedIdentifier || current.kind == .identifier
                {
                    unit.dataBlockType = stream.name(of: current)
                }
                advance()
                continue
            }
            switch keyword {
            case kind.endKeyword:
                unit.isTerminated = true
                lastIndex = index
                advance()
                break loop
            case _ where keyword.closesUnit:
                unitDiagnostics.append(
                    Diagnostic(
                        .mismatchedEndOfUnit,
                        "\(keyword.rawValue) does not close \(kind.rawValue); expected "
                            + kind.endKeyword.rawValue, at: range(current.range),
                        labels: [.init(range: range(startToken.range), message: "\(kind.rawValue) starts here")],
                        fixIt: .init(range: range(current.range), replacement: kind.endKeyword.rawValue)))
                lastIndex = index
                advance()
                break loop
            case _ where keyword.opensUnit:
                reportMissingEnd(unit: unit, startToken: startToken, cutAt: current)
                break loop
            case _ where keyword.opensSection:
                unit.sections.append(scanSection())
            case .struct:
                unit.sections.append(scanStructSection())
            case .begin:
                unit.hasBody = true
                advance()
                while !atEnd, !(self.keyword.map { $0.opensUnit || $0.closesUnit } ?? false) {
                    advance()
                }
            case .nonRetain, .retain, .knowHowProtect, .readOnly, .unlinked:
                unit.flags.append(keyword)
                advance()
            default:
                advance()
            }
        }
        let endToken = tokens[max(0, min(lastIndex, tokens.count - 1))]
        unit.range = startToken.start..<max(startToken.end, endToken.end)
        reportDuplicates(in: unit)
        unit.diagnostics = unitDiagnostics
        return unit
    }

    func isHeaderOrSectionStart(_ keyword: Keyword) -> Bool {
        switch keyword {
        case .title, .author, .family, .name, .version, .knowHowProtect, .readOnly, .unlinked, .nonRetain, .begin,
            .struct:
            true
        default:
            keyword.opensSection || keyword.opensUnit || keyword.closesUnit
        }
    }

    mutating func reportMissingEnd(unit: SCLUnit, startToken: Token, cutAt token: Token) {
        let expected = unit.kind.endKeyword.rawValue
        let nameEnd = unit.nameRange?.upperBound ?? startToken.end
        let before = token.kind == .endOfFile ? "the end of the file" : "'\(stream.text(of: token))'"
        let insertAt = tokens[max(0, index - 1)].end
        unitDiagnostics.append(
            Diagnostic(
                .missingEndOfUnit, "\(unit.kind.rawValue) is missing \(expected)",
                at: range(startToken.start..<nameEnd),
                notes: [.init("expected \(expected) before \(before)", range: range(token.start..<token.end))],
                fixIt: .init(range: range(insertAt..<insertAt), replacement: "\n" + expected)))
    }

    // MARK: - Header

    mutating func scanHeader(into unit: inout SCLUnit) {
        while !atEnd {
            if current.kind == .leftBrace {
                unit.pragmas += scanPragmas()
                continue
            }
            guard let keyword else {
                // `DATA_BLOCK "iDB" "FB"`: the instance-of or type name.
                if unit.kind == .dataBlock, unit.dataBlockType == nil,
                    current.kind == .quotedIdentifier || current.kind == .identifier
                {
                    unit.dataBlockType = stream.name(of: current)
                    advance()
                    continue
                }
                return
            }
            switch keyword {
            case .title:
                let start = current.start
                advance()
                guard current.kind == .equal else { continue }
                let lineEnd = stream.file.lineRange(stream.file.line(of: current.start)).upperBound
                let valueStart = current.end
                while !atEnd, current.start < lineEnd { advance() }
                let value = stream.file.text(in: valueStart..<max(valueStart, lineEnd))
                unit.attributes.append(
                    HeaderAttribute(keyword: .title, value: Substring(value).trimmingSpaces(), range: start..<lineEnd))
            case .author, .family, .name, .version:
                let start = current.start
                advance()
                guard current.kind == .colon else { continue }
                advance()
                guard !atEnd else { return }
                let value =
                    current.kind == .stringLiteral ? stream.stringValue(of: current) ?? "" : stream.name(of: current)
                unit.attributes.append(HeaderAttribute(keyword: keyword, value: value, range: start..<current.end))
                advance()
            case .knowHowProtect, .readOnly, .unlinked, .nonRetain:
                unit.flags.append(keyword)
                advance()
            default:
                return
            }
        }
    }

    /// `{ key := 'value'; key2 := 'value' }` at `current`; returns its entries and stops after `}`.
    mutating func scanPragmas() -> [Pragma] {
        var pragmas: [Pragma] = []
        advance()
        while !atEnd, current.kind != .rightBrace {
            if current.kind == .semicolon || current.kind == .comma {
                advance()
                continue
            }
            let keyToken = current
            let start = current.start
            advance()
            var value: String?
            var end = keyToken.end
            if current.kind == .assign {
                advance()
                if current.kind != .rightBrace, current.kind != .semicolon, !atEnd {
                    value = current.kind == .stringLiteral ? stream.stringValue(of: current) : stream.text(of: current)
                    end = current.end
                    advance()
                }
            }
            pragmas.append(Pragma(key: stream.name(of: keyToken), value: value, range: start..<end))
            // Anything else up to the separator belongs to this entry.
            while !atEnd, current.kind != .semicolon, current.kind != .rightBrace, current.kind != .comma {
                if isStructuralKeyword(keyword) { return pragmas }
                advance()
            }
        }
        if current.kind == .rightBrace { advance() }
        return pragmas
    }

    func isStructuralKeyword(_ keyword: Keyword?) -> Bool {
        guard let keyword else { return false }
        return keyword.opensUnit || keyword.closesUnit || keyword.opensSection
            || keyword == .endVar || keyword == .begin
    }

    // MARK: - Sections

    mutating func scanSection() -> DeclarationSection {
        let opening = current
        let sectionKeyword = keyword!
        advance()
        var options: [Keyword] = []
        while let keyword, [.retain, .nonRetain, .constant, .dbSpecific].contains(keyword) {
            options.append(keyword)
            advance()
        }
        let kind = DeclarationSection.Kind(sectionKeyword, options: options)
        let (members, closed) = scanMembers(until: .endVar)
        var end = tokens[max(0, index - 1)].end
        if closed {
            end = current.end
            advance()
        } else {
            reportUnclosed(opening: opening, expected: .endVar)
        }
        return DeclarationSection(
            kind: kind, options: options, members: members, range: opening.start..<max(opening.end, end))
    }

    /// `STRUCT … END_STRUCT;` as the body of a TYPE or DATA_BLOCK.
    mutating func scanStructSection() -> DeclarationSection {
        let opening = current
        advance()
        let (members, closed) = scanMembers(until: .endStruct)
        var end = tokens[max(0, index - 1)].end
        if closed {
            end = current.end
            advance()
            if current.kind == .semicolon {
                end = current.end
                advance()
            }
        } else {
            reportUnclosed(opening: opening, expected: .endStruct)
        }
        return DeclarationSection(
            kind: .structure, options: [], members: members, range: opening.start..<max(opening.end, end))
    }

    mutating func reportUnclosed(opening: Token, expected: Keyword) {
        let found = atEnd ? "the end of the file" : "'\(stream.text(of: current))'"
        unitDiagnostics.append(
            Diagnostic(
                .unclosedSection, "\(stream.text(of: opening).uppercased()) section is missing \(expected.rawValue)",
                at: range(opening.range),
                notes: [.init("expected \(expected.rawValue) before \(found)", range: range(current.range))]))
    }

    /// Whether `current` ends a declaration list early: a keyword that cannot occur inside one.
    var endsDeclarations: Bool {
        guard let keyword else { return atEnd }
        return isStructuralKeyword(keyword) || keyword == .endStruct
    }

    /// Member declarations up to `terminator` (left as `current`); `closed` is false if something else ended them.
    mutating func scanMembers(until terminator: Keyword) -> (members: [Member], closed: Bool) {
        var members: [Member] = []
        while !atEnd {
            if keyword == terminator { return (members, true) }
            if endsDeclarations { return (members, false) }
            if current.kind == .semicolon {
                advance()
                continue
            }
            members += scanDeclaration(terminator: terminator)
        }
        return (members, false)
    }

    func isNameToken(_ token: Token) -> Bool {
        switch token.kind {
        case .identifier, .quotedIdentifier: true
        case .keyword(let keyword): keyword.isContextual
        default: false
        }
    }

    /// `a, b {attr} AT x : Type := init;` at `current`; one member per name.
    mutating func scanDeclaration(terminator: Keyword) -> [Member] {
        var names: [Token] = []
        while isNameToken(current) {
            names.append(current)
            advance()
            guard current.kind == .comma else { break }
            advance()
        }
        guard !names.isEmpty else {
            // Not a declaration: skip to the next `;` or the end of the list.
            while !atEnd, current.kind != .semicolon, keyword != terminator, !endsDeclarations { advance() }
            return []
        }
        var attributes: [Pragma] = []
        var overlays: String?
        if current.kind == .leftBrace { attributes = scanPragmas() }
        if keyword == .at {
            advance()
            if !atEnd, !endsDeclarations {
                overlays = stream.name(of: current)
                advance()
            }
        }
        var typeText = ""
        var nested: Int?
        var initial: String?
        var structComment: String?
        if current.kind == .colon {
            advance()
            if keyword == .struct {
                structComment = stream.trailingComment(of: current)
                nested = skipNestedStruct()
                typeText = "Struct"
            } else {
                let first = index
                skipExpression(terminator: terminator, stopAtAssign: true)
                typeText = text(from: first, through: index - 1)
            }
            if current.kind == .assign {
                advance()
                let first = index
                skipExpression(terminator: terminator, stopAtAssign: false)
                initial = text(from: first, through: index - 1)
            }
        } else {
            skipExpression(terminator: terminator, stopAtAssign: false)
        }
        var end = tokens[max(0, index - 1)].end
        var comment: String?
        if current.kind == .semicolon {
            end = current.end
            comment = stream.trailingComment(of: current)
            advance()
        }
        comment = comment ?? structComment
        return names.map { name in
            Member(
                name: stream.name(of: name), nameRange: name.range, typeText: typeText, initialValue: initial,
                overlays: overlays, attributes: attributes, comment: comment, nestedMemberCount: nested,
                range: name.start..<max(name.end, end))
        }
    }

    /// Skips tokens up to `;` (or `:=` if `stopAtAssign`) at bracket depth 0, or to the end of the list.
    mutating func skipExpression(terminator: Keyword, stopAtAssign: Bool) {
        var depth = 0
        while !atEnd {
            switch current.kind {
            case .semicolon where depth == 0: return
            case .assign where depth == 0 && stopAtAssign: return
            case .leftParen, .leftBracket, .leftBrace: depth += 1
            case .rightParen, .rightBracket, .rightBrace: depth = max(0, depth - 1)
            default:
                if keyword == terminator || endsDeclarations { return }
            }
            advance()
        }
    }

    /// At a member's `STRUCT`: skips to after its `END_STRUCT` and returns how many direct members it has.
    mutating func skipNestedStruct() -> Int {
        advance()
        var depth = 1
        var braces = 0
        var count = 0
        while !atEnd {
            if let keyword {
                if keyword == .struct {
                    depth += 1
                } else if keyword == .endStruct {
                    depth -= 1
                    if depth == 0 {
                        advance()
                        return count
                    }
                } else if isStructuralKeyword(keyword) {
                    return count
                }
            }
            switch current.kind {
            case .leftBrace: braces += 1
            case .rightBrace: braces = max(0, braces - 1)
            case .colon where depth == 1 && braces == 0: count += 1
            default: break
            }
            advance()
        }
        return count
    }

    // MARK: - Declarations

    mutating func reportDuplicates(in unit: SCLUnit) {
        var seen: [String: Member] = [:]
        for section in unit.sections {
            for member in section.members {
                let key = member.name.lowercased()
                if let previous = seen[key] {
                    unitDiagnostics.append(
                        Diagnostic(
                            .duplicateDeclaration,
                            "'\(member.name)' is declared twice in \(unit.kind.rawValue) "
                                + "'\(unit.name)'", at: range(member.nameRange),
                            labels: [.init(range: range(previous.nameRange), message: "first declared here")]))
                } else {
                    seen[key] = member
                }
            }
        }
    }
}
