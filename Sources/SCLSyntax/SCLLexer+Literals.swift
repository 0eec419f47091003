import S7Diagnostics

// Numbers, absolute addresses and typed literals.

extension Lexer {
    /// Advances over `[0-9_]`; returns an error text for a trailing or doubled underscore.
    mutating func scanDecimalDigits() -> String? {
        var previousUnderscore = false
        var problem: String?
        while position < buffer.count {
            let byte = buffer[position]
            if isDigit(byte) {
                previousUnderscore = false
            } else if byte == 0x5F {
                if previousUnderscore { problem = "doubled '_'" }
                previousUnderscore = true
            } else {
                break
            }
            position += 1
        }
        if previousUnderscore { problem = "'_' must be followed by a digit" }
        return problem
    }

    /// After a base and `#` (at `position`): the digits of a based integer; returns an error text if malformed.
    mutating func scanBasedDigits(base: Int, baseText: String) -> String? {
        let digitsStart = position
        while position < buffer.count, isIdentifierByte(buffer[position]) { position += 1 }
        guard position > digitsStart else { return "missing digits after '\(baseText)#'" }
        var previousUnderscore = true
        for index in digitsStart..<position {
            let byte = buffer[index]
            if byte == 0x5F {
                if previousUnderscore { return "misplaced '_' in '\(text(digitsStart..<position))'" }
                previousUnderscore = true
                continue
            }
            previousUnderscore = false
            let value: Int
            if isDigit(byte) {
                value = Int(byte - 0x30)
            } else if isHexDigit(byte) {
                value = Int((byte | 0x20) - 0x61 + 10)
            } else {
                value = 99
            }
            if value >= base {
                return "digit '\(Character(Unicode.Scalar(byte)))' is not valid in a base-\(base) literal"
            }
        }
        if previousUnderscore { return "'_' must be followed by a digit" }
        return nil
    }

    /// An integer or real literal at `position` (which holds a digit).
    mutating func lexNumber() -> TokenKind {
        let start = position
        var problem = scanDecimalDigits()
        if peek() == 0x23 {
            let baseText = text(start..<position)
            position += 1
            let base = Int(baseText.replacingUnderscores()) ?? 0
            if base == 2 || base == 8 || base == 16 {
                problem = problem ?? scanBasedDigits(base: base, baseText: baseText)
            } else {
                while position < buffer.count, isIdentifierByte(buffer[position]) { position += 1 }
                problem = "base \(baseText) is not supported; use 2#, 8# or 16#"
            }
            if let problem { diagnose(.malformedNumber, "malformed integer literal: \(problem)", start..<position) }
            return .integerLiteral
        }
        var isReal = false
        if peek() == 0x2E && isDigit(peek(1)) {
            position += 1
            problem = problem ?? scanDecimalDigits()
            isReal = true
        }
        if peek() | 0x20 == 0x65 {
            let signLength = peek(1) == 0x2B || peek(1) == 0x2D ? 1 : 0
            if isDigit(peek(1 + signLength)) {
                position += 1 + signLength
                problem = problem ?? scanDecimalDigits()
                isReal = true
            }
        }
        let suffixStart = position
        _ = scanIdentifierCharacters()
        if position > suffixStart {
            problem = "invalid suffix '\(text(suffixStart..<position))' after a number"
        }
        if let problem {
            diagnose(
                .malformedNumber, "malformed numeric literal '\(text(start..<position))': \(problem)",
                start..<position)
        }
        return isReal ? .realLiteral : .integerLiteral
    }

    /// `%I0.0`, `%QW4`, `%DB1.DBX0.1`, or right after a `.` a slice like `%X3`.
    mutating func lexAddress() -> TokenKind {
        let start = position
        position += 1
        let afterDot = tokens.last?.kind == .dot && tokens.last?.trailingTriviaEnd == start
        let lettersStart = position
        while position < buffer.count, isASCIILetter(buffer[position]) { position += 1 }
        let letters = text(lettersStart..<position).uppercased()
        let digitsStart = position
        while position < buffer.count, isDigit(buffer[position]) { position += 1 }
        let hasDigits = position > digitsStart
        if afterDot {
            if ["X", "B", "W", "D"].contains(letters) && hasDigits {
                return .sliceAccess
            }
            diagnose(
                .malformedAddress,
                "malformed slice '\(text(start..<position))': expected %X, %B, %W or %D and "
                    + "a number", start..<position)
            return .sliceAccess
        }
        // Further components: `.0` or `.DBX0`.
        while peek() == 0x2E {
            var look = position + 1
            while look < buffer.count, isASCIILetter(buffer[look]) { look += 1 }
            guard look < buffer.count, isDigit(buffer[look]) else { break }
            while look < buffer.count, isDigit(buffer[look]) { look += 1 }
            position = look
        }
        if letters.isEmpty || !hasDigits || letters.count > 4 {
            diagnose(
                .malformedAddress,
                "malformed absolute address '\(text(start..<position))': expected an area "
                    + "and an offset such as %I0.0, %MW10 or %DB1.DBX0.1", start..<position)
        }
        return .absoluteAddress
    }

    /// The value of a typed literal after `prefix#`, at `position`; diagnoses a value that does not fit the type.
    mutating func lexTypedLiteralValue(_ prefix: TypedLiteralPrefix, literalStart: Int) {
        let valueStart = position
        var ok: Bool
        var expectation: String
        switch prefix.valueClass {
        case .boolean:
            _ = scanIdentifierCharacters()
            let value = text(valueStart..<position).uppercased()
            ok = ["TRUE", "FALSE", "0", "1"].contains(value)
            expectation = "TRUE, FALSE, 0 or 1"
        case .integer:
            ok = scanSignedInteger()
            expectation = "an integer such as 5, -5 or 16#FF"
        case .real:
            ok = scanSignedReal()
            expectation = "a number such as 1.5 or -2.0E-3"
        case .text:
            if peek() == 0x27 {
                _ = lexString()
                ok = true
            } else {
                ok = scanSignedInteger()
            }
            expectation = "a quoted string such as 'a'"
        case .duration:
            ok = scanDuration()
            expectation = "a duration such as 1h2m3s500ms"
        case .date:
            ok = scanGroups(separators: [0x2D]) == [0x2D, 0x2D]
            expectation = "a date such as 2024-01-31"
        case .timeOfDay:
            ok = [[0x3A], [0x3A, 0x3A], [0x3A, 0x3A, 0x2E]].contains(scanGroups(separators: [0x3A, 0x2E]))
            expectation = "a time of day such as 12:30:00.000"
        case .dateAndTime:
            let separators = scanGroups(separators: [0x2D, 0x3A, 0x2E])
            ok = [[0x2D, 0x2D, 0x2D, 0x3A], [0x2D, 0x2D, 0x2D, 0x3A, 0x3A], [0x2D, 0x2D, 0x2D, 0x3A, 0x3A, 0x2E]]
                .contains(separators)
            expectation = "a date and time such as 2024-01-31-12:30:00"
        case .pointer:
            while position < buffer.count,
                isIdentifierByte(buffer[position]) || (buffer[position] == 0x2E && isIdentifierByte(peek(1)))
            {
                position += 1
            }
            ok = position > valueStart
            expectation = "an address such as P#M10.0"
        }
        // Letters glued to the value (`INT#5x`) belong to the literal and make it malformed.
        let tailStart = position
        _ = scanIdentifierCharacters()
        if position > tailStart { ok = false }
        if !ok {
            let shown = text(literalStart..<position)
            diagnose(
                .malformedTypedLiteral, "malformed \(prefix.rawValue) literal '\(shown)': expected \(expectation)",
                literalStart..<position)
        }
    }

    /// `[+-]` then decimal digits or base#digits.
    mutating func scanSignedInteger() -> Bool {
        if peek() == 0x2B || peek() == 0x2D { position += 1 }
        let start = position
        guard isDigit(peek()) else { return false }
        if scanDecimalDigits() != nil { return false }
        if peek() == 0x23 {
            let baseText = text(start..<position)
            position += 1
            let base = Int(baseText) ?? 0
            guard base == 2 || base == 8 || base == 16 else {
                while position < buffer.count, isIdentifierByte(buffer[position]) { position += 1 }
                return false
            }
            return scanBasedDigits(base: base, baseText: baseText) == nil
        }
        return true
    }

    /// `[+-]digits[.digits][e[+-]digits]`.
    mutating func scanSignedReal() -> Bool {
        if peek() == 0x2B || peek() == 0x2D { position += 1 }
        guard isDigit(peek()) else { return false }
        var ok = scanDecimalDigits() == nil
        if peek() == 0x2E && isDigit(peek(1)) {
            position += 1
            ok = scanDecimalDigits() == nil && ok
        }
        if peek() | 0x20 == 0x65 {
            let signLength = peek(1) == 0x2B || peek(1) == 0x2D ? 1 : 0
            if isDigit(peek(1 + signLength)) {
                position += 1 + signLength
                ok = scanDecimalDigits() == nil && ok
            }
        }
        return ok
    }

    /// `[+-]` then number-unit pairs (`1d2h3m4s5ms6us7ns`, fractions and `_` between pairs allowed).
    mutating func scanDuration() -> Bool {
        if peek() == 0x2B || peek() == 0x2D { position += 1 }
        var pairs = 0
        while isDigit(peek()) {
            while isDigit(peek()) { position += 1 }
            if peek() == 0x2E && isDigit(peek(1)) {
                position += 1
                while isDigit(peek()) { position += 1 }
            }
            let unitStart = position
            while isASCIILetter(peek()) { position += 1 }
            let unit = text(unitStart..<position).lowercased()
            guard ["d", "h", "m", "s", "ms", "us", "ns"].contains(unit) else { return false }
            pairs += 1
            if peek() == 0x5F && isDigit(peek(1)) { position += 1 }
        }
        return pairs > 0
    }

    /// Digit groups joined by the given separators (a separator is taken only before a digit); returns the
    /// separators seen, or a marker if there were no digits.
    mutating func scanGroups(separators: [UInt8]) -> [UInt8] {
        guard isDigit(peek()) else { return [0] }
        var seen: [UInt8] = []
        while true {
            while isDigit(peek()) { position += 1 }
            let next = peek()
            guard separators.contains(next), isDigit(peek(1)) else { break }
            seen.append(next)
            position += 1
        }
        return seen
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String { filter { $0 != "_" } }
}
