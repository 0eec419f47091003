/// A watch table or a force table (`Watch and force tables/<name>.xml`).
public struct WatchTable: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable {
        case watch
        case force
    }

    public var name: String
    public var kind: Kind
    public var group: [String]
    public var file: SourceFileRef
    public var entries: [WatchEntry]
    public var engineeringVersion: String?

    /// The rows that name an operand (comment rows left out).
    public var operandEntries: [WatchEntry] { entries.filter { !$0.isCommentRow } }

    public init(
        name: String, kind: Kind, group: [String] = [], file: SourceFileRef, entries: [WatchEntry] = [],
        engineeringVersion: String? = nil
    ) {
        self.name = name
        self.kind = kind
        self.group = group
        self.file = file
        self.entries = entries
        self.engineeringVersion = engineeringVersion
    }
}

/// One row of a watch or force table: an operand with display format, modify or force value and comment.
public struct WatchEntry: Hashable, Sendable, Codable {
    /// The operand as the engineer typed it: `"Start"`, `"DB".a.b[3]`, `%MW10`.
    public var operand: String
    /// `Bool`, `Hex`, `DEC`, `DEC+/-`, `Bin`, `Floating-point`, `Character`, `String`, `Time`... as TIA writes it.
    public var displayFormat: String?
    public var modifyValue: String?
    /// For force tables, the force value.
    public var forceValue: String?
    /// Whether the modify/force value is checked for use (TIA's check box next to the value).
    public var modifyIntention: Bool
    public var forceIntention: Bool
    public var comment: String?
    /// A comment row of the table (TIA's `PlcTableCommentEntry`): only `comment` is meaningful.
    public var isCommentRow: Bool
    /// When the value is monitored or modified: `Permanent`, `Once`, `StartOfScanCycle`… as TIA writes it.
    public var monitorTrigger: String?
    public var modifyTrigger: String?

    public init(
        operand: String, displayFormat: String? = nil, modifyValue: String? = nil, forceValue: String? = nil,
        modifyIntention: Bool = false, forceIntention: Bool = false, comment: String? = nil,
        isCommentRow: Bool = false, monitorTrigger: String? = nil, modifyTrigger: String? = nil
    ) {
        self.operand = operand
        self.displayFormat = displayFormat
        self.modifyValue = modifyValue
        self.forceValue = forceValue
        self.modifyIntention = modifyIntention
        self.forceIntention = forceIntention
        self.comment = comment
        self.isCommentRow = isCommentRow
        self.monitorTrigger = monitorTrigger
        self.modifyTrigger = modifyTrigger
    }

    /// A comment row.
    public static func commentRow(_ text: String) -> WatchEntry {
        WatchEntry(operand: "", comment: text, isCommentRow: true)
    }
}
