/// A declaration section: `VAR_INPUT … END_VAR`, `VAR CONSTANT … END_VAR`, or the `STRUCT … END_STRUCT` body of a
/// TYPE or classic DATA_BLOCK (kind `.structure`).
public struct SCLVariableSection: Hashable, Sendable {
    public var kind: DeclarationSection.Kind
    /// CONSTANT, RETAIN, NON_RETAIN or DB_SPECIFIC after the section keyword, in source order.
    public var options: [Keyword]
    public var declarations: [SCLVariableDeclaration]
    /// Whether END_VAR (END_STRUCT) was found.
    public var isClosed: Bool
    public var range: Range<Int>
}

/// `a, b {attr := 'x'} AT other : Type := initial;`, one declaration with one or more names.
public struct SCLVariableDeclaration: Hashable, Sendable {
    public var names: [SCLName]
    public var attributes: SCLAttributeList?
    /// The variable this one overlays with `AT`.
    public var overlay: SCLName?
    public var type: SCLTypeSpec
    public var initialValue: SCLInitializer?
    /// From the first name to the `;` (or the last token read).
    public var range: Range<Int>
}

/// A data type as written in a declaration or a FUNCTION's return type.
public indirect enum SCLTypeSpec: Hashable, Sendable {
    /// An elementary or system type, optionally with a length: `Int`, `Bool`, `TON_TIME`, `Void`,
    /// `String[20]`, `WString[#LEN]`.
    case named(name: String, length: SCLExpression?, range: Range<Int>)
    /// A PLC data type, FB or other block type in quotes: `"UDT_Motor"`.
    case userDefined(SCLName)
    /// `Array[0..9, 1..#N] of Int`; `Array[*] of Int` has `.variable` dimensions.
    case array(dimensions: [SCLArrayDimension], element: SCLTypeSpec, range: Range<Int>)
    /// `Struct … END_STRUCT`.
    case structure(members: [SCLVariableDeclaration], range: Range<Int>)
    /// `REF_TO Int`.
    case reference(to: SCLTypeSpec, range: Range<Int>)
    /// A type the parser could not read (diagnosed).
    case error(range: Range<Int>)

    public var range: Range<Int> {
        switch self {
        case .named(_, _, let range), .array(_, _, let range), .structure(_, let range), .reference(_, let range),
            .error(let range):
            range
        case .userDefined(let name): name.range
        }
    }
}

/// One dimension of an array type.
public enum SCLArrayDimension: Hashable, Sendable {
    /// `lo..hi`, each a constant expression: a literal, `#Const` or `"GlobalConst"`, possibly signed.
    case bounds(low: SCLExpression, high: SCLExpression)
    /// `*` in `Array[*] of Int` (parameters of FCs and FBs).
    case variable(range: Range<Int>)
}

/// An initial value in a declaration.
///
///     := 5                   .expression(5)
///     := [3(0), 1, 2]        .array([.repeated(3, [0]), 1, 2])
///     := (a := 1, b := TRUE) .structure([a: 1, b: TRUE])
public indirect enum SCLInitializer: Hashable, Sendable {
    case expression(SCLExpression)
    case array(elements: [SCLInitializer], range: Range<Int>)
    /// `count(value, …)` inside an array initialiser.
    case repeated(count: SCLExpression, values: [SCLInitializer], range: Range<Int>)
    case structure(fields: [SCLFieldInitializer], range: Range<Int>)

    public var range: Range<Int> {
        switch self {
        case .expression(let expression): expression.range
        case .array(_, let range), .repeated(_, _, let range), .structure(_, let range): range
        }
    }
}

/// `name := value` inside a structure initialiser.
public struct SCLFieldInitializer: Hashable, Sendable {
    public var name: SCLName
    public var value: SCLInitializer
}
