public import S7Diagnostics

/// A program unit found by `SCLUnitScanner`: its header, its interface one level deep and where it is.
///
///     FUNCTION "Scale" : Real       kind .function, name "Scale", returnType "Real"
///     { S7_Optimized_Access := 'TRUE' }   pragmas [S7_Optimized_Access = TRUE]
///     VERSION : 0.1                 attributes [VERSION = 0.1]
///     VAR_INPUT x : Int; END_VAR    sections [input: x : Int]
///     BEGIN … END_FUNCTION          hasBody, range up to the end of END_FUNCTION
public struct SCLUnit: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case functionBlock = "FUNCTION_BLOCK"
        case function = "FUNCTION"
        case organizationBlock = "ORGANIZATION_BLOCK"
        case dataBlock = "DATA_BLOCK"
        case type = "TYPE"

        init?(_ keyword: Keyword) {
            switch keyword {
            case .functionBlock: self = .functionBlock
            case .function: self = .function
            case .organizationBlock: self = .organizationBlock
            case .dataBlock: self = .dataBlock
            case .type: self = .type
            default: return nil
            }
        }

        /// The keyword that closes the unit, e.g. `END_FUNCTION_BLOCK`.
        public var endKeyword: Keyword {
            switch self {
            case .functionBlock: .endFunctionBlock
            case .function: .endFunction
            case .organizationBlock: .endOrganizationBlock
            case .dataBlock: .endDataBlock
            case .type: .endType
            }
        }
    }

    public var kind: Kind
    /// The name without quotes; empty if missing (then `diagnostics` says so).
    public var name: String
    public var nameRange: Range<Int>?
    /// From the unit keyword to the end of its END_ keyword, or to the last token before where it was cut off.
    public var range: Range<Int>
    /// TITLE, AUTHOR, FAMILY, NAME and VERSION in source order.
    public var attributes: [HeaderAttribute]
    /// The `{ key := 'value'; … }` block properties of the header, e.g. `S7_Optimized_Access`.
    public var pragmas: [Pragma]
    /// Header flags in source order: KNOW_HOW_PROTECT, READ_ONLY, NON_RETAIN, UNLINKED.
    public var flags: [Keyword]
    /// A FUNCTION's return type as written: `Int`, `Void`, `"PlankOnChain"`, `String[20]`.
    public var returnType: String?
    /// A DATA_BLOCK's type as written, without quotes: the FB of an instance DB or the PLC data type of a typed DB;
    /// nil for a global DB with its own declarations.
    public var dataBlockType: String?
    public var sections: [DeclarationSection]
    /// Whether the unit has a BEGIN section.
    public var hasBody: Bool
    /// Whether the unit is closed by its own END_ keyword.
    public var isTerminated: Bool
    /// Structural findings of the scanner inside this unit (not the lexer's).
    public var diagnostics: [Diagnostic]

    /// The value of a header attribute: `unit.attribute(.version)` → "0.1".
    public func attribute(_ keyword: Keyword) -> String? {
        attributes.first { $0.keyword == keyword }?.value
    }

    /// The value of a header pragma, compared case-insensitively: `unit.pragma("s7_optimized_access")` → "FALSE".
    public func pragma(_ key: String) -> String? {
        let wanted = key.lowercased()
        return pragmas.first { $0.key.lowercased() == wanted }?.value
    }
}

/// `TITLE = …`, `AUTHOR : …`, `FAMILY : …`, `NAME : …` or `VERSION : …`.
///
/// The value is the text as written after the separator, with quotes of a quoted name or string removed, except for
/// TITLE whose value is the rest of the line, trimmed.
public struct HeaderAttribute: Hashable, Sendable {
    public var keyword: Keyword
    public var value: String
    public var range: Range<Int>
}

/// One `key := value` entry of a `{ … }` property block; `value` is nil for a bare key, unquoted for a string.
public struct Pragma: Hashable, Sendable {
    public var key: String
    public var value: String?
    public var range: Range<Int>
}

/// One declaration section: `VAR_INPUT … END_VAR`, or the `STRUCT … END_STRUCT` of a TYPE or DATA_BLOCK.
public struct DeclarationSection: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case input = "VAR_INPUT"
        case output = "VAR_OUTPUT"
        case inOut = "VAR_IN_OUT"
        case temp = "VAR_TEMP"
        /// `VAR` (static) or the classic `VAR_STAT`.
        case `static` = "VAR"
        /// `VAR CONSTANT`.
        case constant = "VAR CONSTANT"
        /// The body of a TYPE or DATA_BLOCK written as `STRUCT … END_STRUCT`.
        case structure = "STRUCT"

        /// The section a `VAR…` keyword opens: `VAR CONSTANT` is constant, plain `VAR` (or `VAR_STAT`) static.
        init(_ keyword: Keyword, options: [Keyword]) {
            switch keyword {
            case .varInput: self = .input
            case .varOutput: self = .output
            case .varInOut: self = .inOut
            case .varTemp: self = .temp
            default: self = options.contains(.constant) ? .constant : .static
            }
        }
    }

    public var kind: Kind
    /// RETAIN, NON_RETAIN, CONSTANT or DB_SPECIFIC after the section keyword.
    public var options: [Keyword]
    public var members: [Member]
    public var range: Range<Int>
}

/// One declared name with its type as written.
///
///     SX { ExternalAccessible := 'False' } AT schema : Array[0..31] of Bool := [32(FALSE)]; // bits
///     name "SX", attributes [ExternalAccessible = False], overlays "schema", typeText "Array[0..31] of Bool",
///     initialValue "[32(FALSE)]", comment "bits"
///
/// A member of type STRUCT has `typeText` "Struct" and `nestedMemberCount` set; its members are not listed.
public struct Member: Hashable, Sendable {
    public var name: String
    public var nameRange: Range<Int>
    public var typeText: String
    public var initialValue: String?
    /// The variable this one overlays with `AT`.
    public var overlays: String?
    public var attributes: [Pragma]
    /// The comment after the declaration's `;` on the same line.
    public var comment: String?
    public var nestedMemberCount: Int?
    /// From the name to the `;`.
    public var range: Range<Int>
}

/// Everything `SCLUnitScanner` found in one file.
public struct SCLUnitScan: Sendable {
    public var units: [SCLUnit]
    /// Scanner findings outside any unit (stray tokens between units).
    public var diagnostics: [Diagnostic]

    /// The scanner's diagnostics inside and outside units, in source order.
    public var allDiagnostics: [Diagnostic] {
        (diagnostics + units.flatMap(\.diagnostics)).sorted { $0.range.start < $1.range.start }
    }
}
