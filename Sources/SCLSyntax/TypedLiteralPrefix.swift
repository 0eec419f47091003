/// The type prefix of a typed literal (`INT#5`, `T#1s`, `WORD#16#FF`), matched case-insensitively.
///
/// Long and short spellings are distinct cases so a formatter can keep what was written; `valueClass` groups them.
/// STEP 7 classic prefixes (`B#16#`, `W#16#`, `DW#16#`, `L#`, `C#`, `P#`) are accepted as TIA still does.
public enum TypedLiteralPrefix: String, Hashable, Sendable, CaseIterable {
    case bool = "BOOL", byte = "BYTE", word = "WORD", dword = "DWORD", lword = "LWORD"
    case sint = "SINT", int = "INT", dint = "DINT", lint = "LINT"
    case usint = "USINT", uint = "UINT", udint = "UDINT", ulint = "ULINT"
    case real = "REAL", lreal = "LREAL"
    case char = "CHAR", wchar = "WCHAR", string = "STRING", wstring = "WSTRING"
    case t = "T", time = "TIME", lt = "LT", ltime = "LTIME", s5t = "S5T", s5time = "S5TIME"
    case d = "D", date = "DATE"
    case tod = "TOD", timeOfDay = "TIME_OF_DAY", ltod = "LTOD", ltimeOfDay = "LTIME_OF_DAY"
    case dt = "DT", dateAndTime = "DATE_AND_TIME", ldt = "LDT", dateAndLTime = "DATE_AND_LTIME", dtl = "DTL"
    case b = "B", w = "W", dw = "DW", lw = "LW", l = "L", c = "C", p = "P"

    /// What the literal body looks like after the `#`.
    public enum ValueClass: Sendable {
        /// `TRUE`, `FALSE`, `0`, `1` or an integer.
        case boolean
        /// An optionally signed integer: decimal or base#digits.
        case integer
        /// An optionally signed real or integer.
        case real
        /// A string in single quotes (or for CHAR an integer code).
        case text
        /// A duration: number-unit pairs such as `1h2m3s500ms`.
        case duration
        /// `YYYY-MM-DD`.
        case date
        /// `hh:mm:ss[.fff]`.
        case timeOfDay
        /// `YYYY-MM-DD-hh:mm:ss[.fff]`.
        case dateAndTime
        /// A STEP 7 pointer such as `P#M10.0` or `P#DB1.DBX0.0`.
        case pointer
    }

    public var valueClass: ValueClass {
        switch self {
        case .bool: .boolean
        case .byte, .word, .dword, .lword, .sint, .int, .dint, .lint, .usint, .uint, .udint, .ulint, .b, .w, .dw,
            .lw, .l, .c:
            .integer
        case .real, .lreal: .real
        case .char, .wchar, .string, .wstring: .text
        case .t, .time, .lt, .ltime, .s5t, .s5time: .duration
        case .d, .date: .date
        case .tod, .timeOfDay, .ltod, .ltimeOfDay: .timeOfDay
        case .dt, .dateAndTime, .ldt, .dateAndLTime, .dtl: .dateAndTime
        case .p: .pointer
        }
    }

    private static let bySpelling: [String: TypedLiteralPrefix] = Dictionary(
        uniqueKeysWithValues: allCases.map { ($0.rawValue, $0) })

    /// The prefix spelled by `bytes` in any letter case, if it is one.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count <= 14 else { return nil }
        let upper = String(decoding: bytes.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 }, as: UTF8.self)
        guard let prefix = Self.bySpelling[upper] else { return nil }
        self = prefix
    }
}
