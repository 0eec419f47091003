/// A statement with its source range, from its first token to its `;` (or closing keyword and `;`).
public struct SCLStatement: Hashable, Sendable {
    public var kind: SCLStatementKind
    public var range: Range<Int>

    public init(_ kind: SCLStatementKind, range: Range<Int>) {
        self.kind = kind
        self.range = range
    }
}

public indirect enum SCLStatementKind: Hashable, Sendable {
    /// `target := value`, also `+=`, `-=`, `*=`, `/=` and `?=`. A chained `#a := #b := 0` nests an
    /// assignment expression in `value`.
    case assignment(target: SCLExpression, operator: SCLAssignmentOperator, value: SCLExpression)
    /// A call as a statement: `#inst(IN := #x)`, `"IDB"()`, `#arr[#i](…)`, `"FC"(…)`, `MOVE_BLK(…)`.
    case call(SCLCall)
    case `if`(branches: [SCLConditionalBlock], else: [SCLStatement]?)
    case `case`(selector: SCLExpression, clauses: [SCLCaseClause], else: [SCLStatement]?)
    case `for`(
        variable: SCLExpression, start: SCLExpression, end: SCLExpression, step: SCLExpression?,
        body: [SCLStatement])
    case `while`(condition: SCLExpression, body: [SCLStatement])
    case `repeat`(body: [SCLStatement], until: SCLExpression)
    case exit
    case `continue`
    case `return`
    case goto(label: SCLName)
    /// `label:` — a jump target; the statement it marks follows as the next statement.
    case label(SCLName)
    /// `REGION name … END_REGION`; the name is the rest of the REGION line, trimmed.
    case region(name: String, body: [SCLStatement])
    /// A lone `;`.
    case empty
}

public enum SCLAssignmentOperator: String, Hashable, Sendable {
    case assign = ":="
    case add = "+="
    case subtract = "-="
    case multiply = "*="
    case divide = "/="
    /// `?=`: assignment attempt of a reference or VARIANT.
    case attempt = "?="
}

/// `IF condition THEN statements` or `ELSIF condition THEN statements`.
public struct SCLConditionalBlock: Hashable, Sendable {
    public var condition: SCLExpression
    public var body: [SCLStatement]
}

/// `1, 3, 5..7: statements` in a CASE.
public struct SCLCaseClause: Hashable, Sendable {
    public var values: [SCLCaseValue]
    public var body: [SCLStatement]
    /// From the first value to the last statement.
    public var range: Range<Int>
}

public enum SCLCaseValue: Hashable, Sendable {
    case single(SCLExpression)
    case range(SCLExpression, SCLExpression)
}
