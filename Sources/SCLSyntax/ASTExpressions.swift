/// An expression with its source range (parentheses included for `.parenthesized`).
public struct SCLExpression: Hashable, Sendable {
    public var kind: SCLExpressionKind
    public var range: Range<Int>

    public init(_ kind: SCLExpressionKind, range: Range<Int>) {
        self.kind = kind
        self.range = range
    }
}

public indirect enum SCLExpressionKind: Hashable, Sendable {
    /// `#x`, `"Global"`, `x` (plain names appear in DB start values, FOR headers, instruction names).
    case name(SCLName)
    /// `%I0.0`, `%MW10`, `%DB1.DBX0.1`, as written.
    case address(String)
    case literal(SCLLiteral)
    /// `base.member`, the member plain or quoted: `"DB".Motor`, `#t.Q`.
    case member(base: SCLExpression, member: SCLName)
    /// `base.%X3`, `base.%B0`, `base.%W1`, `base.%D0`: the slice text after the dot, as written.
    case slice(base: SCLExpression, slice: String)
    /// `base[i, j]`
    case index(base: SCLExpression, indices: [SCLExpression])
    /// `callee(arguments)` used as a value: `ABS(#x)`, `"FC"(a := 1)`, `REF(#v)`.
    case call(SCLCall)
    /// `base^`
    case dereference(SCLExpression)
    /// `"Valve":P`, `%IW64:P`: direct access to the peripheral I/O instead of the process image.
    case peripheral(SCLExpression)
    case unary(SCLUnaryOperator, SCLExpression)
    case binary(SCLBinaryOperator, SCLExpression, SCLExpression)
    case parenthesized(SCLExpression)
    /// `#b := 0` as the value of a chained assignment `#a := #b := 0`.
    case assignment(target: SCLExpression, value: SCLExpression)
    /// A missing or unreadable operand (diagnosed).
    case error
}

/// A literal; `text` is the token as written (`16#FF`, `T#1s`, `'a$'b'`, `TRUE`).
public struct SCLLiteral: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case integer
        case real
        case string
        case boolean(Bool)
        case typed(TypedLiteralPrefix)
        /// `NULL`
        case null
    }

    public var kind: Kind
    public var text: String
}

/// A call's callee and arguments.
public struct SCLCall: Hashable, Sendable {
    public var callee: SCLExpression
    public var arguments: [SCLArgument]
    /// From the callee to the `)`.
    public var range: Range<Int>
}

/// One argument: `IN := #x` (input or in-out), `Q => #y` (output), or positional `#x`.
public struct SCLArgument: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case input
        case output
        case positional
    }

    public var kind: Kind
    /// The formal parameter; nil for a positional argument.
    public var name: SCLName?
    public var value: SCLExpression
    public var range: Range<Int>
}

public enum SCLUnaryOperator: String, Hashable, Sendable {
    case negate = "-"
    case plus = "+"
    case not = "NOT"
}

/// Binary operators, `precedence` from S7 SCL: `**` binds tightest, then `* / MOD`, `+ -`, `< > <= >=`, `= <>`,
/// `AND &`, `XOR`, `OR`. All are left-associative.
public enum SCLBinaryOperator: String, Hashable, Sendable {
    case power = "**"
    case multiply = "*"
    case divide = "/"
    case modulo = "MOD"
    case add = "+"
    case subtract = "-"
    case less = "<"
    case greater = ">"
    case lessEqual = "<="
    case greaterEqual = ">="
    case equal = "="
    case notEqual = "<>"
    case and = "AND"
    /// `&`, the same as AND.
    case ampersand = "&"
    case xor = "XOR"
    case or = "OR"

    /// Higher binds tighter: `**` 9, `* / MOD` 7, `+ -` 6, comparisons 5, equality 4, AND 3, XOR 2, OR 1.
    public var precedence: Int {
        switch self {
        case .power: 9
        case .multiply, .divide, .modulo: 7
        case .add, .subtract: 6
        case .less, .greater, .lessEqual, .greaterEqual: 5
        case .equal, .notEqual: 4
        case .and, .ampersand: 3
        case .xor: 2
        case .or: 1
        }
    }
}
