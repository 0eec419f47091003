import S7Diagnostics

extension Parser {
    /// Statements up to the end of the input (for `SCLParser.parseStatements`); stray closers are reported.
    mutating func parseStatementsToEnd() -> [SCLStatement] {
        var statements: [SCLStatement] = []
        blocks.append(.unit)
        while !atEnd {
            statements += parseStatementList()
            if atEnd { break }
            beginSyncPoint()
            report(.expectedStatement, "expected a statement, found \(describe(current))", at: current.range)
            advance()
        }
        blocks.removeLast()
        return statements
    }

    /// Whether the statement list ends at `current`: a closing keyword, the unit level, or a CASE value.
    var atStatementListEnd: Bool {
        switch kind {
        case .endOfFile: return true
        case .keyword(let keyword):
            return keyword.isBlockCloser || keyword.isUnitLevel
        default:
            return blocks.contains(.case) && atCaseValue
        }
    }

    /// `1:`, `-5,`, `#CONST..`, `"Const":`: a value of a CASE clause, not a statement.
    var atCaseValue: Bool {
        var offset = 0
        if kind == .minus || kind == .plus { offset = 1 }
        switch kind(at: offset) {
        case .integerLiteral, .realLiteral, .typedLiteral, .stringLiteral, .localIdentifier, .quotedLocalIdentifier,
            .quotedIdentifier, .keyword(.true), .keyword(.false):
            break
        default:
            return false
        }
        let next = kind(at: offset + 1)
        return next == .colon || next == .comma || next == .dotDot
    }

    /// Statements up to a closing keyword, the unit level or (inside CASE) the next CASE value. A closing keyword
    /// that no enclosing block accepts is reported as stray and skipped.
    mutating func parseStatementList() -> [SCLStatement] {
        var statements: [SCLStatement] = []
        while true {
            if atStatementListEnd {
                guard let keyword, keyword.isBlockCloser, !blocks.contains(where: { $0.accepts(keyword) }) else {
                    break
                }
                beginSyncPoint()
                report(
                    .expectedStatement, "\(keyword.rawValue) without a matching opening statement", at: current.range)
                advance()
                if kind == .semicolon { advance() }
                continue
            }
            let before = index
            beginSyncPoint()
            if let statement = parseStatement() { statements.append(statement) }
            if index == before { advance() }
        }
        return statements
    }

    func statement(_ kind: SCLStatementKind, from start: Token) -> SCLStatement {
        SCLStatement(kind, range: start.start..<max(start.end, previousEnd))
    }

    mutating func parseStatement() -> SCLStatement? {
        let start = current
        switch kind {
        case .semicolon:
            advance()
            return statement(.empty, from: start)
        case .keyword(.if): return parseIf()
        case .keyword(.case): return parseCase()
        case .keyword(.for): return parseFor()
        case .keyword(.while): return parseWhile()
        case .keyword(.repeat): return parseRepeat()
        case .keyword(.region): return parseRegion()
        case .keyword(.exit), .keyword(.continue), .keyword(.return):
            let keyword = self.keyword!
            advance()
            expectSemicolon(after: keyword.rawValue)
            let statementKind: SCLStatementKind =
                keyword == .exit ? .exit : keyword == .continue ? .continue : .return
            return statement(statementKind, from: start)
        case .keyword(.goto):
            advance()
            guard atName else {
                report(.expectedName, "expected a label after GOTO, found \(describe(current))", at: current.range)
                skipToStatementBoundary()
                return nil
            }
            let label = name(current)
            advance()
            expectSemicolon(after: "GOTO")
            return statement(.goto(label: label), from: start)
        case .identifier, .quotedIdentifier, .localIdentifier, .quotedLocalIdentifier, .absoluteAddress,
            .keyword(.title), .keyword(.author), .keyword(.family), .keyword(.name), .keyword(.version),
            .keyword(.knowHowProtect), .keyword(.readOnly), .keyword(.unlinked), .keyword(.constant),
            .keyword(.retain), .keyword(.nonRetain), .keyword(.dbSpecific), .keyword(.namespace),
            .keyword(.endNamespace), .keyword(.varStat), .keyword(.const), .keyword(.endConst), .keyword(.label),
            .keyword(.endLabel):
            if kind != .quotedIdentifier, kind != .localIdentifier, kind != .quotedLocalIdentifier,
                kind != .absoluteAddress, kind(at: 1) == .colon
            {
                let label = name(current)
                advance()
                advance()
                return statement(.label(label), from: start)
            }
            return parseAssignmentOrCall()
        case .rightParen, .rightBracket, .rightBrace:
            report(.unmatchedClosingDelimiter, "unmatched '\(text(current))'", at: current.range)
            skipToStatementBoundary()
            return nil
        default:
            report(.expectedStatement, "expected a statement, found \(describe(current))", at: current.range)
            skipToStatementBoundary()
            return nil
        }
    }

    mutating func parseAssignmentOrCall() -> SCLStatement? {
        let start = current
        let target = parsePostfix()
        if let assignment = assignmentOperator(kind) {
            advance()
            var value = parseExpression()
            // `#a := #b := 0` assigns right to left.
            var targets = [target]
            while kind == .assign, value.kind.isAssignable {
                advance()
                targets.append(value)
                value = parseExpression()
            }
            while targets.count > 1 {
                let inner = targets.removeLast()
                value = SCLExpression(
                    .assignment(target: inner, value: value), range: inner.range.lowerBound..<value.range.upperBound)
            }
            expectSemicolon(after: "assignment")
            return statement(.assignment(target: target, operator: assignment, value: value), from: start)
        }
        if case .call(let call) = target.kind {
            expectSemicolon(after: "call")
            return statement(.call(call), from: start)
        }
        let shown = stream.file.text(in: target.range)
        if kind == .equal {
            report(
                .expectedAssignment, "expected ':=' to assign to '\(shown)', found '='; '=' compares",
                at: current.range, fixIt: .init(range: range(current.range), replacement: ":="))
        } else {
            report(
                .expectedAssignment, "expected ':=' or a parameter list after '\(shown)', found \(describe(current))",
                at: atEnd ? previousEnd..<previousEnd : current.range)
        }
        skipToStatementBoundary()
        return nil
    }

    func assignmentOperator(_ kind: TokenKind) -> SCLAssignmentOperator? {
        switch kind {
        case .assign: .assign
        case .plusAssign: .add
        case .minusAssign: .subtract
        case .multiplyAssign: .multiply
        case .divideAssign: .divide
        case .tryAssign: .attempt
        default: nil
        }
    }

    /// Consumes the `;` ending a statement. A missing one is reported after the previous token; parsing goes on at
    /// the current token if it can start a statement, else after the next `;`.
    mutating func expectSemicolon(after what: String) {
        if kind == .semicolon {
            advance()
            return
        }
        switch kind {
        case .rightParen, .rightBracket:
            report(.unmatchedClosingDelimiter, "unmatched '\(text(current))'", at: current.range)
            skipToStatementBoundary()
            return
        default:
            break
        }
        reportMissing(.expectedSemicolon, "expected ';' after \(what)", insert: ";")
        if canStartStatement || atStatementListEnd { return }
        skipToStatementBoundary()
    }

    var canStartStatement: Bool {
        switch kind {
        case .identifier, .quotedIdentifier, .localIdentifier, .quotedLocalIdentifier, .absoluteAddress, .semicolon:
            true
        case .keyword(let keyword): keyword.startsStatement || keyword.isContextual
        default: false
        }
    }

    /// Consumes `expected` (THEN, DO, OF, TO) or reports it missing after the previous token and goes on.
    mutating func expectKeyword(_ expected: Keyword, _ code: DiagnosticCode, _ context: String) {
        if keyword == expected {
            advance()
            return
        }
        let found = describe(current)
        let at = previousEnd
        report(
            code, "expected \(expected.rawValue) \(context), found \(found)", at: at..<at,
            fixIt: .init(range: range(at..<at), replacement: " \(expected.rawValue)"))
    }

    /// Consumes the END_ keyword of a block (and an optional `;`), or reports it missing where the block was cut off.
    mutating func expectEnd(_ end: Keyword, opening: Token) {
        if keyword == end {
            advance()
            if kind == .semicolon { advance() }
            return
        }
        let openingText = text(opening).uppercased()
        report(
            .missingEndOfStatement, "expected \(end.rawValue) to close \(openingText), found \(describe(current))",
            at: atEnd ? previousEnd..<previousEnd : current.range,
            labels: [.init(range: range(opening.range), message: "\(openingText) starts here")])
    }

    mutating func parseBlockBody(_ block: OpenBlock) -> [SCLStatement] {
        guard blocks.count < Self.maximumDepth else {
            report(.expectedStatement, "statements nested too deeply", at: current.range)
            while !atEnd, !(keyword?.isUnitEnd ?? false) { advance() }
            return []
        }
        blocks.append(block)
        defer { blocks.removeLast() }
        return parseStatementList()
    }

    mutating func parseIf() -> SCLStatement {
        let start = current
        advance()
        var branches: [SCLConditionalBlock] = []
        let condition = parseExpression()
        expectKeyword(.then, .expectedThen, "after the IF condition")
        branches.append(SCLConditionalBlock(condition: condition, body: parseBlockBody(.if)))
        var elseBody: [SCLStatement]?
        while keyword == .elsif {
            advance()
            beginSyncPoint()
            let condition = parseExpression()
            expectKeyword(.then, .expectedThen, "after the ELSIF condition")
            branches.append(SCLConditionalBlock(condition: condition, body: parseBlockBody(.if)))
        }
        if keyword == .else {
            advance()
            elseBody = parseBlockBody(.if)
        }
        expectEnd(.endIf, opening: start)
        return statement(.if(branches: branches, else: elseBody), from: start)
    }

    mutating func parseCase() -> SCLStatement {
        let start = current
        advance()
        let selector = parseExpression()
        expectKeyword(.of, .expectedOf, "after the CASE selector")
        var clauses: [SCLCaseClause] = []
        var elseBody: [SCLStatement]?
        blocks.append(.case)
        while !atEnd {
            if let keyword, keyword.isBlockCloser || keyword.isUnitLevel { break }
            let before = index
            let clauseStart = current
            var values: [SCLCaseValue] = []
            repeat {
                if kind == .comma { advance() }
                let low = parseExpression()
                if kind == .dotDot {
                    advance()
                    values.append(.range(low, parseExpression()))
                } else {
                    values.append(.single(low))
                }
            } while kind == .comma
            if kind == .colon {
                advance()
            } else {
                reportMissing(.expectedColon, "expected ':' after the CASE value", insert: ":")
                if !canStartStatement { skipToStatementBoundary() }
            }
            let body = parseStatementList()
            clauses.append(
                SCLCaseClause(values: values, body: body, range: clauseStart.start..<max(clauseStart.end, previousEnd)))
            if index == before { advance() }
        }
        if keyword == .else {
            advance()
            if kind == .colon { advance() }
            elseBody = parseStatementList()
        }
        blocks.removeLast()
        expectEnd(.endCase, opening: start)
        return statement(.case(selector: selector, clauses: clauses, else: elseBody), from: start)
    }

    mutating func parseFor() -> SCLStatement {
        let start = current
        advance()
        let variable = parsePostfix()
        if kind == .assign {
            advance()
        } else {
            reportMissing(.expectedAssignment, "expected ':=' after the FOR variable", insert: " :=")
        }
        let first = parseExpression()
        expectKeyword(.to, .expectedTo, "after the FOR start value")
        let last = parseExpression()
        var step: SCLExpression?
        if keyword == .by {
            advance()
            step = parseExpression()
        }
        expectKeyword(.do, .expectedDo, "after the FOR header")
        let body = parseBlockBody(.for)
        expectEnd(.endFor, opening: start)
        return statement(.for(variable: variable, start: first, end: last, step: step, body: body), from: start)
    }

    mutating func parseWhile() -> SCLStatement {
        let start = current
        advance()
        let condition = parseExpression()
        expectKeyword(.do, .expectedDo, "after the WHILE condition")
        let body = parseBlockBody(.while)
        expectEnd(.endWhile, opening: start)
        return statement(.while(condition: condition, body: body), from: start)
    }

    mutating func parseRepeat() -> SCLStatement {
        let start = current
        advance()
        let body = parseBlockBody(.repeat)
        var condition = SCLExpression(.error, range: previousEnd..<previousEnd)
        if keyword == .until {
            advance()
            beginSyncPoint()
            condition = parseExpression()
            if kind == .semicolon, kind(at: 1) == .keyword(.endRepeat) { advance() }
        } else {
            report(
                .expectedUntil, "expected UNTIL and a condition to end REPEAT, found \(describe(current))",
                at: atEnd ? previousEnd..<previousEnd : current.range,
                labels: [.init(range: range(start.range), message: "REPEAT starts here")])
        }
        expectEnd(.endRepeat, opening: start)
        return statement(.repeat(body: body, until: condition), from: start)
    }

    mutating func parseRegion() -> SCLStatement {
        let start = current
        advance()
        let lineEnd = stream.file.lineRange(stream.file.line(of: start.start)).upperBound
        let nameStart = current.start
        var nameEnd = nameStart
        while !atEnd, current.start < lineEnd {
            nameEnd = current.end
            advance()
        }
        let regionName = nameEnd > nameStart ? stream.file.text(in: nameStart..<nameEnd) : ""
        let body = parseBlockBody(.region)
        expectEnd(.endRegion, opening: start)
        return statement(.region(name: regionName, body: body), from: start)
    }
}

extension SCLExpressionKind {
    /// Whether the expression can be assigned to: a name, member, index, slice, dereference or address.
    var isAssignable: Bool {
        switch self {
        case .name, .member, .index, .slice, .dereference, .address, .peripheral: true
        default: false
        }
    }
}
