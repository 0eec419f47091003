import S7Model

/// The S7-1500 rules for mixing data types (IEC check off): which conversions happen implicitly and which type an
/// operation on two operands has.
enum TypeRules {
    /// Whether a value of `source` may be used where `target` is expected without a conversion function: the same
    /// type, or a widening that loses nothing (SInt → Int → DInt → LInt, USInt → UInt → … and unsigned into a wider
    /// signed type, any integer → Real/LReal, Real → LReal, Bool and bit strings into wider bit strings, bit strings
    /// and integers of at least the same width into each other, Char → String, any String into any String).
    static func isImplicit(from source: DataType, to target: DataType) -> Bool {
        if same(source, target) { return true }
        switch (source, target) {
        case (.string, .string), (.wString, .wString), (.char, .string), (.wChar, .wString): return true
        case (.real, .lReal), (.time, .lTime): return true
        default: break
        }
        if source.isInteger && target.isFloatingPoint { return true }
        guard let sourceRange = source.integerRange ?? (source == .bool ? 0...1 : nil),
            let targetRange = target.integerRange
        else { return false }
        let sourceBits = source.bitWidth ?? 0
        let targetBits = target.bitWidth ?? 0
        if source.isInteger && target.isInteger {
            return targetRange.contains(sourceRange.lowerBound) && targetRange.contains(sourceRange.upperBound)
        }
        if source == .bool { return target.isBitString }
        // Bit strings and integers: a bit pattern of at least the same width.
        return targetBits >= sourceBits
    }

    /// Structurally equal types; user type names compare case-insensitively.
    static func same(_ a: DataType, _ b: DataType) -> Bool {
        switch (a, b) {
        case (.named(let x), .named(let y)), (.systemDataType(let x), .systemDataType(let y)),
            (.named(let x), .systemDataType(let y)), (.systemDataType(let x), .named(let y)):
            return x.lowercased() == y.lowercased()
        case (.array(let d1, let e1), .array(let d2, let e2)):
            return d1 == d2 && same(e1, e2)
        case (.struct(let m1), .struct(let m2)):
            return m1.count == m2.count
                && zip(m1, m2).allSatisfy {
                    $0.name.lowercased() == $1.name.lowercased() && same($0.dataType, $1.dataType)
                }
        default:
            return a == b
        }
    }

    /// The type of `+ - * /` on two numeric operands, nil when they cannot be combined. Integers widen to the
    /// smaller type holding both ranges (Int and UInt → DInt); with a Real the result is Real, with an LReal LReal.
    static func arithmetic(_ a: DataType, _ b: DataType) -> DataType? {
        if a == .lReal || b == .lReal {
            return (a.isInteger || a.isFloatingPoint) && (b.isInteger || b.isFloatingPoint) ? .lReal : nil
        }
        if a == .real || b == .real {
            return (a.isInteger || a.isFloatingPoint) && (b.isInteger || b.isFloatingPoint) ? .real : nil
        }
        guard a.isInteger, b.isInteger else { return nil }
        return widerInteger(a, b)
    }

    /// The smallest integer type holding the values of both.
    static func widerInteger(_ a: DataType, _ b: DataType) -> DataType? {
        if isImplicit(from: a, to: b) { return b }
        if isImplicit(from: b, to: a) { return a }
        for candidate in [DataType.int, .dInt, .lInt]
        where isImplicit(from: a, to: candidate)
            && isImplicit(
                from: b, to: candidate)
        {
            return candidate
        }
        return nil
    }

    /// The type of AND, OR, XOR on two operands: Bool with Bool, otherwise the wider bit string or integer.
    static func logic(_ a: DataType, _ b: DataType) -> DataType? {
        if a == .bool && b == .bool { return .bool }
        guard a != .bool || b.isBitString, b != .bool || a.isBitString else { return nil }
        guard a.isBitString || a.isInteger || a == .bool, b.isBitString || b.isInteger || b == .bool else {
            return nil
        }
        if isImplicit(from: a, to: b) { return b }
        if isImplicit(from: b, to: a) { return a }
        return (a.bitWidth ?? 0) >= (b.bitWidth ?? 0) ? a : b
    }

    /// The common type two operands of a comparison are compared as.
    static func comparison(_ a: DataType, _ b: DataType) -> DataType? {
        if same(a, b) { return a }
        if let numeric = arithmetic(a, b) { return numeric }
        if isImplicit(from: a, to: b) { return b }
        if isImplicit(from: b, to: a) { return a }
        return nil
    }

    /// The smallest integer type an untyped integer literal fits: DInt, else LInt, else ULInt.
    static func defaultType(of value: Int128) -> DataType {
        if DataType.dInt.integerRange!.contains(value) { return .dInt }
        if DataType.lInt.integerRange!.contains(value) { return .lInt }
        return .ulInt
    }
}
