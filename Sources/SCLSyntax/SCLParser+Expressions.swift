import S7Diagnostics

extension Parser {
    mutating func parseExpression() -> SCLExpression {
        parseBinary(minimumPrecedence: 1)
    }

    func binaryOperator(_ kind: TokenKind) -> SCLBinaryOperator? {
        switch kind {
        case .star: .multiply
        case .slash: .divide
        case .keyword(.mod): .modulo
        case .plus: .add
        case .minus: .subtract
        case .less: .less
        case .greater: .greater
        case .lessEqual: .lessEqual
        case .greaterEqual: .greaterEqual
        case .equal: .equal
        case .notEqual: .notEqual
        case .keyword(.and): .and
        case .ampersand: .ampersand
        case .keyword(.xor): .xor
        case .keyword(.or): .or
        default: nil
        }
    }

    /// Precedence climbing over the left-associative binary operators below `**`.
    mutating func parseBinary(minimumPrecedence: Int) -> SCLExpression {
        var left = parseUnary()
        while let op = binaryOperator(kind), op.precedence >= minimumPrecedence {
            advance()
            let right = parseBinary(minimumPrecedence: op.precedence + 1)
            left = SCLExpression(.binary(op, left, right), range: left.range.lowerBound..<right.range.upperBound)
        }
        return left
    }

    func unaryOperator(_ kind: TokenKind) -> SCLUnaryOperator? {
        switch kind {
        case .minus: .negate
        case .plus: .plus
        case .keyword(.not): .not
        default: nil
        }
    }

    /// `- x`, `NOT x`, `+ x`, binding looser than `**`: `-2 ** 2` is `-(2 ** 2)`.
    mutating func parseUnary() -> SCLExpression {
        guard let op = unaryOperator(kind) else { return parsePower() }
        let start = current
        depth += 1
        defer { depth -= 1 }
        guard depth < Self.maximumDepth else { return tooDeep() }
        advance()
        let operand = parseUnary()
        return SCLExpression(.unary(op, operand), range: start.start..<operand.range.upperBound)
    }

    /// `a ** b ** c` is `(a ** b) ** c`; the right operand may carry a sign: `2 ** -1`.
    mutating func parsePower() -> SCLExpression {
        var left = parsePostfix()
        while kind == .power {
            advance()
            let right = parsePowerOperand()
            left = SCLExpression(
                .binary(.power, left, right), range: left.range.lowerBound..<right.range.upperBound)
        }
        return left
    }

    mutating func parsePowerOperand() -> SCLExpression {
        guard let op = unaryOperator(kind) else { return parsePostfix() }
        let start = current
        depth += 1
        defer { depth -= 1 }
        guard depth < Self.maximumDepth else { return tooDeep() }
        advance()
        let operand = parsePowerOperand()
        return SCLExpression(.unary(op, operand), range: start.start..<operand.range.upperBound)
    }

    mutating func tooDeep() -> SCLExpression {
        report(.expectedExpression, "expression nested too deeply", at: current.range)
        skipToStatementBoundary()
        return SCLExpression(.error, range: previousEnd..<previousEnd)
    }

    /// An operand with its selectors: `.member`, `.%X3`, `[i, j]`, `(arguments)`, `^`.
    mutating func parsePostfix() -> SCLExpression {
        var base = parsePrimary()
        while true {
            switch kind {
            case .dot:
                advance()
                switch kind {
                case .identifier, .quotedIdentifier:
                    base = SCLExpression(
                        .member(base: base, member: name(current)), range: base.range.lowerBound..<current.end)
                    advance()
                case .keyword:
                    // After '.' any word is a member name: a structure may have a member called `Type` or `End`.
                    base = SCLExpression(
                        .member(base: base, member: name(current)), range: base.range.lowerBound..<current.end)
                    advance()
                case .sliceAccess:
                    base = SCLExpression(
                        .slice(base: base, slice: text(current)), range: base.range.lowerBound..<current.end)
                    advance()
                default:
                    report(
                        .expectedName, "expected a member name after '.', found \(describe(current))",
                        at: atEnd ? previousEnd..<previousEnd : current.range)
                    return base
                }
            case .leftBracket:
                let open = current
                advance()
                var indices: [SCLExpression] = []
                repeat {
                    if kind == .comma { advance() }
                    indices.append(parseExpression())
                } while kind == .comma
                expectClosing(.rightBracket, "]", opening: open)
                base = SCLExpression(.index(base: base, indices: indices), range: base.range.lowerBound..<previousEnd)
            case .leftParen where base.kind.isCallable:
                let arguments = parseArguments()
                let call = SCLCall(callee: base, arguments: arguments, range: base.range.lowerBound..<previousEnd)
                base = SCLExpression(.call(call), range: call.range)
            case .caret:
                advance()
                base = SCLExpression(.dereference(base), range: base.range.lowerBound..<previousEnd)
            case .colon where atPeripheralSuffix:
                advance()
                advance()
                base = SCLExpression(.peripheral(base), range: base.range.lowerBound..<previousEnd)
            default:
                return base
            }
        }
    }

    /// `:P` glued to an operand: `"Valve":P`.
    var atPeripheralSuffix: Bool {
        let colon = current
        let next = tokens[min(index + 1, tokens.count - 1)]
        return colon.leadingTriviaStart == colon.start && colon.trailingTriviaEnd == colon.end
            && next.kind == .identifier && next.end - next.start == 1
            && (stream.file.bytes[next.start] | 0x20) == 0x70
    }

    /// `( … )` at `current`: named inputs `IN := x`, outputs `Q => y`, or positional values.
    mutating func parseArguments() -> [SCLArgument] {
        let open = current
        advance()
        var arguments: [SCLArgument] = []
        depth += 1
        defer { depth -= 1 }
        while kind != .rightParen, !atEnd, depth < Self.maximumDepth {
            let before = index
            let start = current
            let next = kind(at: 1)
            if atName || kind == .localIdentifier, next == .assign || next == .outputAssign {
                let parameter = name(current)
                advance()
                let isOutput = kind == .outputAssign
                advance()
                let value = parseExpression()
                arguments.append(
                    SCLArgument(
                        kind: isOutput ? .output : .input, name: parameter, value: value,
                        range: start.start..<max(start.end, previousEnd)))
            } else {
                let value = parseExpression()
                arguments.append(SCLArgument(kind: .positional, name: nil, value: value, range: value.range))
            }
            if kind == .comma {
                advance()
                continue
            }
            if kind == .rightParen || index == before { break }
            // Something else: a missing ',' or ')'.
            break
        }
        expectClosing(.rightParen, ")", opening: open)
        return arguments
    }

    mutating func parsePrimary() -> SCLExpression {
        let token = current
        switch kind {
        case .localIdentifier, .quotedLocalIdentifier, .quotedIdentifier, .identifier:
            advance()
            return SCLExpression(.name(name(token)), range: token.range)
        case .keyword(let keyword) where keyword.isContextual && keyword != .null:
            advance()
            return SCLExpression(.name(name(token)), range: token.range)
        case .absoluteAddress:
            advance()
            return SCLExpression(.address(text(token)), range: token.range)
        case .integerLiteral: return literal(.integer)
        case .realLiteral: return literal(.real)
        case .stringLiteral: return literal(.string)
        case .typedLiteral(let prefix): return literal(.typed(prefix))
        case .keyword(.true): return literal(.boolean(true))
        case .keyword(.false): return literal(.boolean(false))
        case .keyword(.null): return literal(.null)
        case .leftParen:
            depth += 1
            defer { depth -= 1 }
            guard depth < Self.maximumDepth else { return tooDeep() }
            advance()
            let inner = parseExpression()
            expectClosing(.rightParen, ")", opening: token)
            return SCLExpression(.parenthesized(inner), range: token.start..<previousEnd)
        default:
            let at = atEnd ? previousEnd..<previousEnd : current.range
            report(.expectedExpression, "expected an expression, found \(describe(current))", at: at)
            return SCLExpression(.error, range: token.start..<token.start)
        }
    }

    mutating func literal(_ literalKind: SCLLiteral.Kind) -> SCLExpression {
        let token = current
        advance()
        return SCLExpression(.literal(SCLLiteral(kind: literalKind, text: text(token))), range: token.range)
    }
}

extension SCLExpressionKind {
    /// Whether `(` after the expression starts an argument list: names, members, indexed instances.
    var isCallable: Bool {
        switch self {
        case .name, .member, .index: true
        default: false
        }
    }
}
