/// A PLC tag table (`PLC tags/<name>.xml`) with its tags and user constants.
public struct TagTable: Hashable, Sendable, Codable {
    public var name: String
    public var group: [String]
    public var file: SourceFileRef
    public var tags: [Tag]
    public var constants: [UserConstant]
    public var engineeringVersion: String?
    /// False when the document left out tag attributes at their default value (`ExternalAccessible` true …), as
    /// TIA's export without defaults does; nil or true: they are listed, as in an export `WithDefaults`.
    public var listsDefaults: Bool?

    public init(
        name: String, group: [String] = [], file: SourceFileRef, tags: [Tag] = [], constants: [UserConstant] = [],
        engineeringVersion: String? = nil, listsDefaults: Bool? = nil
    ) {
        self.name = name
        self.group = group
        self.file = file
        self.tags = tags
        self.constants = constants
        self.engineeringVersion = engineeringVersion
        self.listsDefaults = listsDefaults
    }
}

/// A PLC tag: a symbolic name for an absolute address (`"Start" Bool %I0.0`).
public struct Tag: Hashable, Sendable, Codable {
    public var name: String
    public var dataType: String
    /// The address as TIA writes it (`%I0.0`, `%MW10`); empty for a tag without address.
    public var address: String
    public var comment: MultilingualText
    public var externalAccessible: Bool
    public var externalVisible: Bool
    public var externalWritable: Bool

    public init(
        name: String, dataType: String, address: String, comment: MultilingualText = MultilingualText(),
        externalAccessible: Bool = true, externalVisible: Bool = true, externalWritable: Bool = true
    ) {
        self.name = name
        self.dataType = dataType
        self.address = address
        self.comment = comment
        self.externalAccessible = externalAccessible
        self.externalVisible = externalVisible
        self.externalWritable = externalWritable
    }
}

/// A user constant of a tag table (`MaxBottles Int 24`).
public struct UserConstant: Hashable, Sendable, Codable {
    public var name: String
    public var dataType: String
    public var value: String
    public var comment: MultilingualText

    public init(name: String, dataType: String, value: String, comment: MultilingualText = MultilingualText()) {
        self.name = name
        self.dataType = dataType
        self.value = value
        self.comment = comment
    }
}

/// A PLC data type (UDT), from a SimaticML `SW.Types.PlcStruct` or a `.udt` source.
public struct PlcDataType: Hashable, Sendable, Codable {
    public var name: String
    public var group: [String]
    public var file: SourceFileRef
    public var title: MultilingualText
    public var comment: MultilingualText
    public var members: [Member]
    public var sourceText: String?
    public var engineeringVersion: String?
    /// Header attributes as SimaticML lists them (`Namespace`, `IsFailsafeCompliant`), or as a `.udt` source's
    /// header gives them; `Name` and `Interface` are the fields above.
    public var attributes: [String: String]
    /// What the SimaticML document said beyond the model's values, when it said more than TIA's own layout.
    public var markup: DocumentMarkup?

    public init(
        name: String, group: [String] = [], file: SourceFileRef, title: MultilingualText = MultilingualText(),
        comment: MultilingualText = MultilingualText(), members: [Member] = [], sourceText: String? = nil,
        engineeringVersion: String? = nil, attributes: [String: String] = [:], markup: DocumentMarkup? = nil
    ) {
        self.name = name
        self.group = group
        self.file = file
        self.title = title
        self.comment = comment
        self.members = members
        self.sourceText = sourceText
        self.engineeringVersion = engineeringVersion
        self.attributes = attributes
        self.markup = markup
    }
}

extension PlcDataType {
    /// Decodes data encoded before `attributes` existed as a type without header attributes.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        group = try container.decode([String].self, forKey: .group)
        file = try container.decode(SourceFileRef.self, forKey: .file)
        title = try container.decode(MultilingualText.self, forKey: .title)
        comment = try container.decode(MultilingualText.self, forKey: .comment)
        members = try container.decode([Member].self, forKey: .members)
        sourceText = try container.decodeIfPresent(String.self, forKey: .sourceText)
        engineeringVersion = try container.decodeIfPresent(String.self, forKey: .engineeringVersion)
        attributes = try container.decodeIfPresent([String: String].self, forKey: .attributes) ?? [:]
        markup = try container.decodeIfPresent(DocumentMarkup.self, forKey: .markup)
    }
}
