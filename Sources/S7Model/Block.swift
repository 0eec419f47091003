/// The kind of a program block, as TIA Portal names it in the project tree.
public enum BlockKind: String, Hashable, Sendable, Codable, CaseIterable {
    case organizationBlock = "OB"
    case functionBlock = "FB"
    case function = "FC"
    case globalDB = "GlobalDB"
    case instanceDB = "InstanceDB"
    /// An ARRAY DB or a DB derived from a PLC data type (`DATA_BLOCK "x" "UDT"`).
    case typedDB = "TypedDB"

    public var isDataBlock: Bool { self == .globalDB || self == .instanceDB || self == .typedDB }

    /// The short prefix TIA shows before the number: `OB1`, `FB3`, `DB10`.
    public var numberPrefix: String {
        switch self {
        case .organizationBlock: "OB"
        case .functionBlock: "FB"
        case .function: "FC"
        case .globalDB, .instanceDB, .typedDB: "DB"
        }
    }
}

/// The language a block is written in (`ProgrammingLanguage` in SimaticML).
public enum BlockLanguage: String, Hashable, Sendable, Codable, CaseIterable {
    case scl = "SCL"
    case lad = "LAD"
    case fbd = "FBD"
    case stl = "STL"
    case graph = "GRAPH"
    case db = "DB"
    case cem = "CEM"
    case f_lad = "F_LAD"
    case f_fbd = "F_FBD"
    case unknown = "Unknown"

    public init(simaticML text: String) {
        self = BlockLanguage(rawValue: text.uppercased()) ?? BlockLanguage(rawValue: text) ?? .unknown
    }
}

/// Where a project object came from on disk, relative to the project root.
public struct SourceFileRef: Hashable, Sendable, Codable {
    public enum Format: String, Hashable, Sendable, Codable {
        /// SCL source (`.scl`), also used for `.db` and `.udt` sources.
        case sclSource
        case dbSource
        case udtSource
        case simaticML
        case simaticSD
    }

    /// Path relative to the project root, with `/` separators.
    public var path: String
    public var format: Format

    public init(path: String, format: Format) {
        self.path = path
        self.format = format
    }
}

/// One network of a LAD/FBD/STL/GRAPH/SCL block, kept in full as TIA exported it.
public struct Network: Hashable, Sendable, Codable {
    public var language: BlockLanguage
    public var title: MultilingualText
    public var comment: MultilingualText
    /// The `NetworkSource` element's content as XML text, exactly as in the source file.
    public var sourceXML: String
    /// The `ProgrammingLanguage` text when `language` does not spell it (`LAD_IEC` is `.unknown`); nil otherwise.
    public var languageText: String?

    public init(
        language: BlockLanguage, title: MultilingualText, comment: MultilingualText, sourceXML: String,
        languageText: String? = nil
    ) {
        self.language = language
        self.title = title
        self.comment = comment
        self.sourceXML = sourceXML
        self.languageText = languageText
    }
}

/// A program block: OB, FB, FC or DB, from an SCL source or a SimaticML document.
public struct Block: Hashable, Sendable, Codable {
    public var name: String
    public var kind: BlockKind
    /// The block number; nil for a source block whose number TIA would assign on import.
    public var number: Int?
    public var language: BlockLanguage
    /// Block group path below `Program blocks` (sub-folders), e.g. `["Machines"]`.
    public var group: [String]
    public var file: SourceFileRef
    public var title: MultilingualText
    public var comment: MultilingualText
    public var interface: Interface
    public var networks: [Network]
    /// For an instance DB the FB (or system FB type) it is an instance of; for a typed DB the UDT.
    public var instanceOf: String?
    /// For a FUNCTION, its return type text (`Void` when none).
    public var returnType: String?
    /// Header attributes: `HeaderAuthor`, `HeaderFamily`, `HeaderVersion`, `MemoryLayout`, `SecondaryType`
    /// (the OB's event class), `S7_Optimized_Access`... as written in the source.
    public var attributes: [String: String]
    /// The SCL source text for blocks read from sources (whole file when it holds a single unit).
    public var sourceText: String?
    /// The line of the source file where `sourceText` starts, when the file holds more than one unit (nil: line 1).
    public var sourceStartLine: Int?
    /// TIA version that wrote a SimaticML document (`V16`), when known.
    public var engineeringVersion: String?
    /// What the SimaticML document said beyond the model's values (attribute order, object IDs), when it said more
    /// than TIA's own layout.
    public var markup: DocumentMarkup?

    public init(
        name: String, kind: BlockKind, number: Int? = nil, language: BlockLanguage, group: [String] = [],
        file: SourceFileRef, title: MultilingualText = MultilingualText(),
        comment: MultilingualText = MultilingualText(),
        interface: Interface = Interface(), networks: [Network] = [], instanceOf: String? = nil,
        returnType: String? = nil, attributes: [String: String] = [:], sourceText: String? = nil,
        engineeringVersion: String? = nil, markup: DocumentMarkup? = nil
    ) {
        self.name = name
        self.kind = kind
        self.number = number
        self.language = language
        self.group = group
        self.file = file
        self.title = title
        self.comment = comment
        self.interface = interface
        self.networks = networks
        self.instanceOf = instanceOf
        self.returnType = returnType
        self.attributes = attributes
        self.sourceText = sourceText
        self.engineeringVersion = engineeringVersion
        self.markup = markup
    }

    /// `OB1`, `FB3`, `DB10`, or `FB` alone when the number is not assigned yet.
    public var displayNumber: String {
        kind.numberPrefix + (number.map(String.init) ?? "")
    }

    /// Whether members without a `remanence` of their own keep their values through a warm restart: a DB typed by a
    /// PLC data type with `S7_StandardRetain := 'TRUE'`, and a standard-access DB from an SCL source without the
    /// header keyword `NON_RETAIN` (TIA exports non-retentive standard DBs with it). Optimized blocks decide member
    /// by member (`VAR RETAIN`, SimaticML `Remanence="Retain"`), so their default is non-retentive.
    public var isRetainByDefault: Bool {
        if attributes["NON_RETAIN"] != nil { return false }
        if let standard = attributes["S7_StandardRetain"] { return standard.uppercased() == "TRUE" }
        return kind.isDataBlock && !isOptimized && sourceText != nil
    }

    /// Standard (non-optimized) access, as the block's memory layout attribute or SCL pragma says.
    public var isOptimized: Bool {
        if let layout = attributes["MemoryLayout"] { return layout.lowercased() == "optimized" }
        if let pragma = attributes["S7_Optimized_Access"] { return pragma.uppercased() != "FALSE" }
        return true
    }
}
