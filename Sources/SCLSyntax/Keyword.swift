/// The reserved and contextual keywords of S7 SCL (TIA Portal V15–V21), matched case-insensitively.
///
/// Elementary type names (INT, BOOL, STRING, TON …) are not keywords: they lex as identifiers and are resolved by the
/// parser, except before `#` where they start a typed literal. Header words such as NAME or VERSION are
/// `isContextual`: the lexer tags them, but a parser accepts them as names where a name is expected.
public enum Keyword: String, Hashable, Sendable, CaseIterable {
    // Program units.
    case functionBlock = "FUNCTION_BLOCK", endFunctionBlock = "END_FUNCTION_BLOCK"
    case function = "FUNCTION", endFunction = "END_FUNCTION"
    case organizationBlock = "ORGANIZATION_BLOCK", endOrganizationBlock = "END_ORGANIZATION_BLOCK"
    case dataBlock = "DATA_BLOCK", endDataBlock = "END_DATA_BLOCK"
    case type = "TYPE", endType = "END_TYPE"
    case namespace = "NAMESPACE", endNamespace = "END_NAMESPACE"
    // Block header.
    case title = "TITLE", author = "AUTHOR", family = "FAMILY", name = "NAME", version = "VERSION"
    case knowHowProtect = "KNOW_HOW_PROTECT", readOnly = "READ_ONLY", unlinked = "UNLINKED"
    // Declarations.
    case varInput = "VAR_INPUT", varOutput = "VAR_OUTPUT", varInOut = "VAR_IN_OUT", varTemp = "VAR_TEMP"
    case `var` = "VAR", varStat = "VAR_STAT", endVar = "END_VAR"
    case const = "CONST", endConst = "END_CONST", label = "LABEL", endLabel = "END_LABEL"
    case constant = "CONSTANT", retain = "RETAIN", nonRetain = "NON_RETAIN", dbSpecific = "DB_SPECIFIC"
    case `struct` = "STRUCT", endStruct = "END_STRUCT", array = "ARRAY", of = "OF", at = "AT"
    case refTo = "REF_TO", void = "VOID", null = "NULL"
    // Statements.
    case begin = "BEGIN"
    case `if` = "IF", then = "THEN", elsif = "ELSIF", `else` = "ELSE", endIf = "END_IF"
    case `case` = "CASE", endCase = "END_CASE"
    case `for` = "FOR", to = "TO", by = "BY", `do` = "DO", endFor = "END_FOR"
    case `while` = "WHILE", endWhile = "END_WHILE"
    case `repeat` = "REPEAT", until = "UNTIL", endRepeat = "END_REPEAT"
    case exit = "EXIT", `continue` = "CONTINUE", `return` = "RETURN", goto = "GOTO"
    case region = "REGION", endRegion = "END_REGION"
    // Operators and constants.
    case and = "AND", or = "OR", xor = "XOR", not = "NOT", mod = "MOD"
    case `true` = "TRUE", `false` = "FALSE"

    /// Whether the word may also be used as a name (block header attributes, section options, rarely used words).
    public var isContextual: Bool {
        switch self {
        case .title, .author, .family, .name, .version, .knowHowProtect, .readOnly, .unlinked, .constant, .retain,
            .nonRetain, .dbSpecific, .namespace, .endNamespace, .varStat, .const, .endConst, .label, .endLabel,
            .null:
            true
        default:
            false
        }
    }

    /// The keyword that closes a program unit opened by this keyword, e.g. END_FUNCTION for FUNCTION.
    public var unitEnd: Keyword? {
        switch self {
        case .functionBlock: .endFunctionBlock
        case .function: .endFunction
        case .organizationBlock: .endOrganizationBlock
        case .dataBlock: .endDataBlock
        case .type: .endType
        default: nil
        }
    }

    /// The keyword with the spelling `bytes` in any letter case, if it is one.
    public init?(bytes: some Collection<UInt8>) {
        guard let keyword = KeywordTable.shared.lookup(bytes) else { return nil }
        self = keyword
    }
}

/// Open-addressing hash table from upper-cased ASCII spellings to keywords, probed without allocating.
struct KeywordTable: Sendable {
    static let shared = KeywordTable()

    private static let slotCount = 512
    private var slots: [(spelling: [UInt8], keyword: Keyword)?]
    let maxLength: Int

    private init() {
        slots = Array(repeating: nil, count: Self.slotCount)
        var longest = 0
        for keyword in Keyword.allCases {
            let spelling = Array(keyword.rawValue.utf8)
            longest = max(longest, spelling.count)
            var slot = Self.hash(spelling) & (Self.slotCount - 1)
            while slots[slot] != nil { slot = (slot + 1) & (Self.slotCount - 1) }
            slots[slot] = (spelling, keyword)
        }
        maxLength = longest
    }

    /// FNV-1a over ASCII upper-cased bytes.
    @inline(__always)
    static func hash(_ bytes: some Collection<UInt8>) -> Int {
        var hash: UInt32 = 2_166_136_261
        for byte in bytes {
            hash = (hash ^ UInt32(upper(byte))) &* 16_777_619
        }
        return Int(hash)
    }

    @inline(__always)
    static func upper(_ byte: UInt8) -> UInt8 { byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte }

    func lookup(_ bytes: some Collection<UInt8>) -> Keyword? {
        guard bytes.count >= 2, bytes.count <= maxLength else { return nil }
        var slot = Self.hash(bytes) & (Self.slotCount - 1)
        while let entry = slots[slot] {
            if entry.spelling.count == bytes.count
                && zip(entry.spelling, bytes).allSatisfy({ $0 == Self.upper($1) })
            {
                return entry.keyword
            }
            slot = (slot + 1) & (Self.slotCount - 1)
        }
        return nil
    }
}
