/// How a SimaticML document wrote one interface member where the model's values alone do not say it: the flags
/// TIA puts on read-only parts, and the element kind, order and flags of each member attribute. Nil for members
/// from SCL sources.
///
/// Example: `<Member Name="Initial_Call" Datatype="Bool" Informative="true">` with
/// `<BooleanAttribute Name="ExternalWritable" SystemDefined="true">false</BooleanAttribute>` keeps
/// `isInformative` and `attributes == [.init(name: "ExternalWritable", kind: "BooleanAttribute",
/// systemDefined: true)]`; the value `false` stays in `Member.attributes`.
public struct MemberMarkup: Hashable, Sendable, Codable {
    /// One `AttributeList` entry as the document wrote it.
    public struct Attribute: Hashable, Sendable, Codable {
        public var name: String
        /// The element: `BooleanAttribute`, `StringAttribute`, `IntegerAttribute`, …
        public var kind: String
        /// The `SystemDefined` flag, nil when the document left it out.
        public var systemDefined: Bool?
        /// `Informative="true"`: TIA writes it for values it derives; an import ignores them.
        public var isInformative: Bool

        public init(name: String, kind: String, systemDefined: Bool? = nil, isInformative: Bool = false) {
            self.name = name
            self.kind = kind
            self.systemDefined = systemDefined
            self.isInformative = isInformative
        }
    }

    /// One `Subelement` (an array element or nested path with its own start value or comment).
    public struct Subelement: Hashable, Sendable, Codable {
        public var path: String
        public var startValueIsInformative: Bool
        public var comment: MultilingualText?

        public init(path: String, startValueIsInformative: Bool = false, comment: MultilingualText? = nil) {
            self.path = path
            self.startValueIsInformative = startValueIsInformative
            self.comment = comment
        }
    }

    /// `Informative="true"` on the member itself (an OB's start information, a GRAPH FB's fixed parameters).
    public var isInformative: Bool
    public var commentIsInformative: Bool
    public var startValueIsInformative: Bool
    /// The `AttributeList` entries in document order; their values are in `Member.attributes`.
    public var attributes: [Attribute]
    /// The `Subelement`s in document order; their start values are in `Member.subelementStartValues`.
    public var subelements: [Subelement]

    public init(
        isInformative: Bool = false, commentIsInformative: Bool = false, startValueIsInformative: Bool = false,
        attributes: [Attribute] = [], subelements: [Subelement] = []
    ) {
        self.isInformative = isInformative
        self.commentIsInformative = commentIsInformative
        self.startValueIsInformative = startValueIsInformative
        self.attributes = attributes
        self.subelements = subelements
    }

    /// True when the markup says nothing beyond what the writer does by itself.
    public var isEmpty: Bool { self == MemberMarkup() }
}
