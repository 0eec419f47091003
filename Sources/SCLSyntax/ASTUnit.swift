public import S7Diagnostics

/// What `SCLParser.parse` returns: the tokens, the program units and every diagnostic of the file in source order.
///
/// The tree is complete even after errors: a construct the parser could not read is left out (statements) or stands
/// as an `.error` node (expressions, types), and the tokens it skipped stay in `tokens` so a formatter loses nothing.
public struct SCLParseResult: Sendable {
    public let tokens: TokenStream
    public var units: [SCLProgramUnit]
    /// Lexical diagnostics first reported by the lexer, then the parser's, sorted by position.
    public var diagnostics: [Diagnostic]

    public var file: SourceFile { tokens.file }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// A name as written: plain (`speed`), quoted global (`"Motor 1"`), local (`#speed`, `#"my var"`).
///
/// `text` is the name without `#` and quotes. Names compare case-insensitively in S7; `text` keeps the spelling.
public struct SCLName: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// `speed`, also a contextual keyword used as a name (`Name`, `Title`).
        case plain
        /// `"Motor 1"`
        case quoted
        /// `#speed` or `#"my var"`
        case local
    }

    public var text: String
    public var kind: Kind
    public var range: Range<Int>

    public init(text: String, kind: Kind, range: Range<Int>) {
        self.text = text
        self.kind = kind
        self.range = range
    }
}

/// One program unit: FUNCTION_BLOCK, FUNCTION, ORGANIZATION_BLOCK, DATA_BLOCK or TYPE.
///
///     FUNCTION "Scale" : Real           kind .function, name "Scale", returnType .named("Real")
///     { S7_Optimized_Access := 'TRUE' } header [.attributes(…)]
///     VERSION : 0.1                     header [.property(VERSION, "0.1")]
///     VAR_INPUT x : Int; END_VAR        sections [input [x : Int]]
///     BEGIN #Scale := #x * 2.0; END_FUNCTION   body [assignment]
///
/// A DATA_BLOCK's BEGIN section holds start-value assignments (`x := 5;`) as ordinary assignment statements.
public struct SCLProgramUnit: Hashable, Sendable {
    public var kind: SCLUnit.Kind
    /// Nil when the name is missing (then there is a diagnostic).
    public var name: SCLName?
    /// A FUNCTION's return type (`Void` is `.named` "Void"); nil for other units or when missing.
    public var returnType: SCLTypeSpec?
    /// TITLE, attribute lists, VERSION and friends, flags and a DATA_BLOCK's type, in source order.
    public var header: [SCLHeaderItem]
    public var sections: [SCLVariableSection]
    /// The statements after BEGIN; nil when the unit has no BEGIN.
    public var body: [SCLStatement]?
    /// Whether the unit is closed by its own END_ keyword.
    public var isTerminated: Bool
    /// From the unit keyword to the end of its END_ keyword (and a `;` after it), or to where it was cut off.
    public var range: Range<Int>

    /// The type of an instance DB (`"FB_Motor"`) or a typed DB (`"UDT_Data"`); nil for a global DB.
    public var dataBlockType: SCLName? {
        for item in header { if case .dataBlockType(let name) = item { return name } }
        return nil
    }

    /// The value of a header property such as VERSION, AUTHOR or TITLE: `unit.property(.version)` → "0.1".
    public func property(_ keyword: Keyword) -> String? {
        for item in header {
            if case .property(keyword, let value, _) = item { return value }
        }
        return nil
    }
}

/// One item of a unit header.
public enum SCLHeaderItem: Hashable, Sendable {
    /// `TITLE = text` (value: the rest of the line, trimmed), `VERSION : 0.1`, `AUTHOR : Siemens`, `FAMILY : x`,
    /// `NAME : x` (value: the token after the colon, strings and quoted names without quotes).
    case property(Keyword, value: String, range: Range<Int>)
    /// `{ S7_Optimized_Access := 'TRUE' }`
    case attributes(SCLAttributeList)
    /// KNOW_HOW_PROTECT, READ_ONLY, NON_RETAIN, UNLINKED, RETAIN.
    case flag(Keyword, range: Range<Int>)
    /// The FB or PLC data type a DATA_BLOCK is an instance of.
    case dataBlockType(SCLName)
}

/// `{ key := 'value'; other := 'x' }`: block properties in a header or a member's attributes.
public struct SCLAttributeList: Hashable, Sendable {
    public struct Entry: Hashable, Sendable {
        public var key: String
        /// The value as written, a string without its quotes; nil for a bare key.
        public var value: String?
        public var range: Range<Int>
    }

    public var entries: [Entry]
    /// From `{` to `}`.
    public var range: Range<Int>

    public func value(of key: String) -> String? {
        let wanted = key.lowercased()
        return entries.first { $0.key.lowercased() == wanted }?.value
    }
}
