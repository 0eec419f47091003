/// Every registered diagnostic code with a one-line title, a default severity and an explanation with an example.
///
/// `s7wb explain SCL1001` and the documentation are generated from this table, and a test checks that every code a
/// component emits is registered here.
public enum DiagnosticRegistry {
    public struct Entry: Hashable, Sendable {
        public let code: DiagnosticCode
        public let severity: Severity
        public let title: String
        public let explanation: String
    }

    /// The entries sorted by code.
    public static let all: [Entry] = entries.sorted { $0.code < $1.code }

    private static let byCode: [DiagnosticCode: Entry] = Dictionary(
        uniqueKeysWithValues: entries.map { ($0.code, $0) })

    public static func entry(for code: DiagnosticCode) -> Entry? { byCode[code] }

    private static func entry(
        _ code: DiagnosticCode, _ severity: Severity, _ title: String, _ explanation: String
    ) -> Entry {
        Entry(code: code, severity: severity, title: title, explanation: explanation)
    }

    private static let entries: [Entry] = [
        entry(
            .unterminatedString, .error, "unterminated string literal",
            """
            A character string starts with ' and must end with ' on the same line. A quote inside the string is \
            written $'. Example: `s := 'it$'s';` instead of `s := 'it's';`.
            """),
        entry(
            .unterminatedQuotedName, .error, "unterminated quoted name",
            """
            A name in double quotes ("Motor_1", #"my local") must be closed on the same line; double quotes never \
            delimit strings in SCL. Example: `"Motor_1".Start := TRUE;`.
            """),
        entry(
            .unterminatedComment, .error, "unterminated block comment",
            """
            A block comment opened with (* must be closed with *), one opened with /* with */. Block comments do \
            not nest: the first closing delimiter ends the comment. Example: `(* disabled: x := 1; *)`.
            """),
        entry(
            .invalidCharacter, .error, "invalid character",
            """
            The character cannot start any SCL token outside a comment or string, e.g. `x := 5 € 3;` or a \
            non-breaking space pasted from a document. Unicode letters are allowed in names: `счётчик := 1;`.
            """),
        entry(
            .invalidUTF8, .error, "invalid UTF-8",
            """
            The bytes are not valid UTF-8. TIA Portal exports SCL sources as UTF-8 (usually with a byte order \
            mark); a file saved in a legacy code page such as Windows-1251 must be converted first.
            """),
        entry(
            .malformedNumber, .error, "malformed numeric literal",
            """
            An integer literal is decimal digits or base#digits with base 2, 8 or 16, digits valid for the base, \
            underscores only between digits. A real literal needs digits on both sides of the point. Examples: \
            `16#FF`, `2#1010_0101`, `1.5E-3`; wrong: `16#`, `2#102`, `12abc`.
            """),
        entry(
            .malformedTypedLiteral, .error, "malformed typed literal",
            """
            The value after a type prefix does not fit the type. Examples: `T#1h2m3s`, `TOD#12:30:00`, \
            `D#2024-01-31`, `DT#2024-01-31-12:30:00`, `INT#-5`, `WORD#16#FF`, `REAL#1.5`, `CHAR#'a'`, `BOOL#1`; \
            wrong: `T#5x`, `D#2024`, `INT#`.
            """),
        entry(
            .invalidEscape, .error, "invalid escape sequence",
            """
            In a string, $ starts an escape: $$, $', $L, $N, $P, $R, $T or two hex digits ($0A). Any other \
            character after $ is an error. Example: `'100$$'` for the text 100$.
            """),
        entry(
            .malformedAddress, .error, "malformed absolute address",
            """
            An absolute address is % followed by an area and an offset: %I0.0, %QW4, %MD20, %DB1.DBX0.1, or after \
            a dot a slice such as #w.%X3 or #d.%B0. A bare % or %X0 outside a slice is an error.
            """),
        entry(
            .sourceTooLarge, .error, "source file too large",
            """
            Token offsets are 32-bit; a source of 4 GiB or more is lexed only up to that size.
            """),
        entry(
            .missingEndOfUnit, .error, "missing end of program unit",
            """
            Every program unit ends with its own keyword: FUNCTION_BLOCK with END_FUNCTION_BLOCK, FUNCTION with \
            END_FUNCTION, ORGANIZATION_BLOCK with END_ORGANIZATION_BLOCK, DATA_BLOCK with END_DATA_BLOCK, TYPE \
            with END_TYPE. Example: `FUNCTION "F" : Void BEGIN END_FUNCTION`.
            """),
        entry(
            .mismatchedEndOfUnit, .error, "mismatched end of program unit",
            """
            The unit is closed with the end keyword of another kind, e.g. `FUNCTION_BLOCK "FB" ... END_FUNCTION`. \
            Use the end keyword that matches the opening keyword.
            """),
        entry(
            .expectedUnitName, .error, "expected program unit name",
            """
            The unit keyword must be followed by the block name, quoted or plain: `FUNCTION_BLOCK "Motor"` or \
            `FUNCTION_BLOCK Motor`.
            """),
        entry(
            .expectedUnit, .error, "expected a program unit",
            """
            Outside program units a source file holds only comments and the keywords FUNCTION_BLOCK, FUNCTION, \
            ORGANIZATION_BLOCK, DATA_BLOCK or TYPE. Statements must be inside a unit's BEGIN section.
            """),
        entry(
            .unclosedSection, .error, "unclosed declaration section",
            """
            A declaration section (VAR_INPUT, VAR_OUTPUT, VAR_IN_OUT, VAR_TEMP, VAR) ends with END_VAR, a STRUCT \
            with END_STRUCT. Example: `VAR_INPUT start : Bool; END_VAR`.
            """),
        entry(
            .expectedReturnType, .error, "expected return type",
            """
            A FUNCTION declares its return type after a colon; a function without a result returns Void. \
            Example: `FUNCTION "Scale" : Real` or `FUNCTION "Log" : Void`.
            """),
        entry(
            .duplicateDeclaration, .error, "duplicate declaration",
            """
            A name is declared twice in the interface of one block (names are case-insensitive across all its \
            sections). Example: `VAR_INPUT speed : Int; END_VAR VAR speed : Int; END_VAR` declares `speed` twice.
            """),
    ]
}
