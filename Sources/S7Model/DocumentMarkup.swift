/// How a SimaticML document wrote a block or PLC data type where the model's values alone do not say it, so that
/// the object written again is the document it was read from. Nil for objects from other sources; the writer then
/// lays the document out as TIA does.
///
/// Example: a hand-edited export listing `<Name>` before `<Interface>` and numbering its objects `0`, `3` keeps
/// `attributeOrder == ["Name", "Interface", …]` and `objectIDs == ["0", "3"]`.
public struct DocumentMarkup: Hashable, Sendable, Codable {
    /// The names of the `AttributeList` children in document order, `Interface` included; nil when they are in
    /// alphabetical order, which is how TIA writes them.
    public var attributeOrder: [String]?
    /// Header attributes whose content is markup rather than text (a `UDABlockProperties` holding elements), as
    /// the XML text between their tags.
    public var markupAttributes: [String: String]?
    /// Every object `ID` (the object itself, its texts and their items, its compile units) in document order; nil
    /// when they count 0, 1, 2, … in upper-case hexadecimal, as TIA writes them.
    public var objectIDs: [String]?

    public init(
        attributeOrder: [String]? = nil, markupAttributes: [String: String]? = nil, objectIDs: [String]? = nil
    ) {
        self.attributeOrder = attributeOrder
        self.markupAttributes = markupAttributes
        self.objectIDs = objectIDs
    }

    /// True when the markup says nothing beyond what the writer does by itself.
    public var isEmpty: Bool { attributeOrder == nil && markupAttributes == nil && objectIDs == nil }
}
