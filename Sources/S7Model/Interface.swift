/// A block's or data type's interface: sections of members, as SimaticML `Sections` holds them.
public struct Interface: Hashable, Sendable, Codable {
    public var sections: [InterfaceSection]

    public init(sections: [InterfaceSection] = []) {
        self.sections = sections
    }

    public func section(_ kind: InterfaceSection.Kind) -> InterfaceSection? {
        sections.first { $0.kind == kind }
    }

    /// Every member of every section, in order.
    public var allMembers: [Member] { sections.flatMap(\.members) }

    public var isEmpty: Bool { sections.allSatisfy { $0.members.isEmpty } }
}

public struct InterfaceSection: Hashable, Sendable, Codable {
    /// Section names as SimaticML writes them; SCL's VAR_INPUT is `Input`, VAR is `Static`, and so on.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case input = "Input"
        case output = "Output"
        case inOut = "InOut"
        case `static` = "Static"
        case temp = "Temp"
        case constant = "Constant"
        case `return` = "Return"
        /// The single section of a PLC data type or of a global DB.
        case none = "None"
        case base = "Base"
    }

    public var kind: Kind
    public var members: [Member]
    /// The interface this section takes from a base type: a GRAPH FB's `Base` section holds
    /// `<Sections Datatype="GRAPH_BASE" Version="1.0">`.
    public var base: BaseInterface?

    public init(kind: Kind, members: [Member] = [], base: BaseInterface? = nil) {
        self.kind = kind
        self.members = members
        self.base = base
    }
}

/// The interface of a base type inside a `Base` section, with the type's name and version as SimaticML writes them.
public struct BaseInterface: Hashable, Sendable, Codable {
    public var dataType: String?
    public var version: String?
    public var sections: [InterfaceSection]

    public init(dataType: String? = nil, version: String? = nil, sections: [InterfaceSection] = []) {
        self.dataType = dataType
        self.version = version
        self.sections = sections
    }
}

/// One declared variable with its type text, start value, attributes and nested members.
public struct Member: Hashable, Sendable, Codable {
    public var name: String
    /// The type as written in the source (`Array[0..7] of Bool`, `"typeMotor"`, `TON_TIME`).
    public var dataType: String
    public var startValue: String?
    /// `Retain`, `NonRetain`, `SetInIDB`, `Classic` as SimaticML writes it.
    public var remanence: String?
    /// `Public` etc.; TIA's `Accessibility` attribute.
    public var accessibility: String?
    /// Version of a system type (`TON` → `1.0`).
    public var version: String?
    /// Boolean and other attributes: `ExternalAccessible`, `ExternalVisible`, `ExternalWritable`, `SetPoint`.
    public var attributes: [String: String]
    public var comment: MultilingualText
    /// Members of a `Struct`, in order.
    public var members: [Member]
    /// Sections of a multi-instance (an FB or system FB type as member): its own interface.
    public var sections: [InterfaceSection]
    /// Start values of array elements or nested paths (`[3]` → `"5"`), as SimaticML `Subelement` gives them.
    public var subelementStartValues: [String: String]
    /// How a SimaticML document wrote the member beyond these values (attribute kinds and flags, informative parts).
    public var markup: MemberMarkup?

    public init(
        name: String, dataType: String, startValue: String? = nil, remanence: String? = nil,
        accessibility: String? = nil, version: String? = nil, attributes: [String: String] = [:],
        comment: MultilingualText = MultilingualText(), members: [Member] = [], sections: [InterfaceSection] = [],
        subelementStartValues: [String: String] = [:], markup: MemberMarkup? = nil
    ) {
        self.name = name
        self.dataType = dataType
        self.startValue = startValue
        self.remanence = remanence
        self.accessibility = accessibility
        self.version = version
        self.attributes = attributes
        self.comment = comment
        self.members = members
        self.sections = sections
        self.subelementStartValues = subelementStartValues
        self.markup = markup
    }
}
