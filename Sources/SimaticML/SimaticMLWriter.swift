public import S7Model

/// Writes SimaticML documents that TIA Portal imports (Openness and the Version Control Interface): program blocks,
/// PLC data types, PLC tag tables and watch/force tables.
///
/// The layout is TIA's own: UTF-8 with a byte order mark, two-space indentation, attribute-list children in
/// alphabetical order, `ID`s counted up in upper-case hexadecimal (`0` … `9`, `A`, … `1A`) in document order.
/// `SimaticMLReader` reads every document written here back to an equal model, and an object read from SimaticML
/// is written back as the document it came from (the same elements, attributes and text), less the informative
/// `DocumentInfo` block and the read-only `Address` of watch entries, which the model does not keep. A table TIA
/// exported with `WithDefaults` comes out byte for byte as TIA wrote it.
///
/// Example: a tag table `HMI` with one tag gives
///
///     <?xml version="1.0" encoding="utf-8"?>
///     <Document>
///       <Engineering version="V17" />
///       <SW.Tags.PlcTagTable ID="0">
///         <AttributeList>
///           <Name>HMI</Name>
///         </AttributeList>
///         <ObjectList>
///           <SW.Tags.PlcTag ID="1" CompositionName="Tags">
///             <AttributeList>
///               <DataTypeName>Bool</DataTypeName>
///               …
public enum SimaticMLWriter {
    /// The version a document gets when neither the caller nor the object names one.
    public static let defaultEngineeringVersion = "V17"

    /// An OB, FB, FC, global DB, instance DB or array DB with its interface and networks.
    ///
    /// `engineeringVersion` (`V15` … `V21`) chooses the TIA version the document is for, and with it the namespaces
    /// of the interface and of FlgNet and StructuredText network sources (see `OpennessNamespace`); nil keeps the
    /// block's own version. A network source naming another version's namespace gets the chosen one on its root
    /// element and is otherwise written as it is; a source that is not well-formed XML is written as text.
    public static func block(_ block: Block, engineeringVersion: String? = nil) -> [UInt8] {
        let version = engineeringVersion ?? block.engineeringVersion ?? defaultEngineeringVersion
        return document(version: version, objectIDs: block.markup?.objectIDs) { $0.block(block) }
    }

    /// A PLC data type (`SW.Types.PlcStruct`). `engineeringVersion` chooses the TIA version as for `block`.
    public static func dataType(_ type: PlcDataType, engineeringVersion: String? = nil) -> [UInt8] {
        let version = engineeringVersion ?? type.engineeringVersion ?? defaultEngineeringVersion
        return document(version: version, objectIDs: type.markup?.objectIDs) { $0.dataType(type) }
    }

    /// A tag table with its tags and user constants. The table's own `engineeringVersion` wins over the argument.
    public static func tagTable(_ table: TagTable, engineeringVersion: String = defaultEngineeringVersion) -> [UInt8] {
        var writer = DocumentWriter(engineeringVersion: table.engineeringVersion ?? engineeringVersion)
        writer.tagTable(table)
        return writer.finish()
    }

    /// A watch table or force table. The table's own `engineeringVersion` wins over the argument; entry comments,
    /// which the model keeps in one culture only, are written in `commentCulture`.
    public static func watchTable(
        _ table: WatchTable, engineeringVersion: String = defaultEngineeringVersion, commentCulture: String = "en-US"
    ) -> [UInt8] {
        var writer = DocumentWriter(engineeringVersion: table.engineeringVersion ?? engineeringVersion)
        writer.watchTable(table, commentCulture: commentCulture)
        return writer.finish()
    }

    /// Writes with the object IDs a document was read with, or counts them as TIA does when the model now holds
    /// other objects than that document.
    private static func document(
        version: String, objectIDs: [String]?, _ body: (inout DocumentWriter) -> Void
    ) -> [UInt8] {
        var writer = DocumentWriter(engineeringVersion: version, objectIDs: objectIDs)
        body(&writer)
        if let objectIDs, writer.objectCount != objectIDs.count {
            writer = DocumentWriter(engineeringVersion: version)
            body(&writer)
        }
        return writer.finish()
    }

    // MARK: Header attributes

    /// The `AttributeList` names a block gets when its markup does not say otherwise: its header attributes and the
    /// ones the model keeps in fields (`Name`, `Number`, `ProgrammingLanguage`, `InstanceOfName`, `Interface`), in
    /// alphabetical order as TIA writes them.
    static func defaultAttributeOrder(of block: Block) -> [String] {
        var names = Set(headerValues(of: block).keys)
        names.formUnion(block.markup?.markupAttributes?.keys ?? [String: String]().keys)
        names.formUnion(["Interface", "Name", "ProgrammingLanguage"])
        if block.number != nil { names.insert("Number") }
        if let name = instanceAttribute(block.kind), block.instanceOf != nil { names.insert(name) }
        return names.sorted()
    }

    /// The `AttributeList` names of a PLC data type when its markup does not say otherwise.
    static func defaultAttributeOrder(of type: PlcDataType) -> [String] {
        var names = Set(type.attributes.keys)
        names.formUnion(type.markup?.markupAttributes?.keys ?? [String: String]().keys)
        names.formUnion(["Interface", "Name"])
        return names.sorted()
    }

    /// The header attributes as SimaticML names them. A block from SimaticML has them already; of an SCL source's
    /// header (a block with `sourceText`) the `Header…` values carry over and `S7_Optimized_Access` becomes
    /// `MemoryLayout`.
    static func headerValues(of block: Block) -> [String: String] {
        guard block.sourceText != nil else { return block.attributes }
        var values = block.attributes.filter { $0.key.hasPrefix("Header") }
        if let optimized = block.attributes["S7_Optimized_Access"] {
            values["MemoryLayout"] = optimized.uppercased() == "FALSE" ? "Standard" : "Optimized"
        }
        return values
    }

    /// `InstanceOfName` for an instance DB, `ArrayDataType` for an array DB.
    static func instanceAttribute(_ kind: BlockKind) -> String? {
        switch kind {
        case .instanceDB: "InstanceOfName"
        case .typedDB: "ArrayDataType"
        default: nil
        }
    }

    static func elementName(_ kind: BlockKind) -> String {
        switch kind {
        case .organizationBlock: "SW.Blocks.OB"
        case .functionBlock: "SW.Blocks.FB"
        case .function: "SW.Blocks.FC"
        case .globalDB: "SW.Blocks.GlobalDB"
        case .instanceDB: "SW.Blocks.InstanceDB"
        case .typedDB: "SW.Blocks.ArrayDB"
        }
    }
}

/// One document under construction: the XML text and the next object `ID`.
private struct DocumentWriter {
    private var xml = XMLWriter()
    /// How many objects got an `ID` so far.
    private(set) var objectCount = 0
    /// The IDs to give the objects in turn; counted in hexadecimal when nil or used up.
    private let objectIDs: [String]?
    private let engineeringVersion: String
    /// TIA writes an interface's sections from the left margin up to V20, each section member on one line, and
    /// indents them like the rest of the document from V21 on.
    private let indentsInterfaces: Bool

    init(engineeringVersion: String, objectIDs: [String]? = nil) {
        self.engineeringVersion = engineeringVersion
        self.objectIDs = objectIDs
        indentsInterfaces = OpennessNamespace.release(engineeringVersion) >= 210
        xml.declaration()
        xml.start("Document")
        xml.leaf("Engineering", attributes: [("version", engineeringVersion)])
    }

    mutating func finish() -> [UInt8] {
        xml.end()  // Document
        return xml.utf8WithByteOrderMark
    }

    // MARK: Blocks and types

    mutating func block(_ block: Block) {
        startObject(SimaticMLWriter.elementName(block.kind))
        let values = SimaticMLWriter.headerValues(of: block)
        let markup = block.markup?.markupAttributes ?? [:]
        let instanceAttribute = SimaticMLWriter.instanceAttribute(block.kind)
        xml.start("AttributeList")
        let order = attributeOrder(block.markup, default: SimaticMLWriter.defaultAttributeOrder(of: block))
        for name in order {
            switch name {
            case "Interface":
                interface(block.interface.sections)
            case "Name":
                xml.leaf(name, block.name)
            case "Number":
                if let number = block.number.map(String.init) ?? values[name] { xml.leaf(name, number) }
            case "ProgrammingLanguage":
                // The text as the document had it (`Lad`, `LAD_IEC`) while it still names the block's language.
                let written = values[name].flatMap { BlockLanguage(simaticML: $0) == block.language ? $0 : nil }
                xml.leaf(name, written ?? block.language.rawValue)
            case instanceAttribute:
                if let type = block.instanceOf ?? values[name] { xml.leaf(name, type) }
            default:
                headerValue(name, values: values, markup: markup)
            }
        }
        xml.end()
        xml.start("ObjectList")
        text(block.comment, composition: "Comment")
        for network in block.networks { self.network(network) }
        text(block.title, composition: "Title")
        xml.end()
        xml.end()
    }

    mutating func dataType(_ type: PlcDataType) {
        startObject("SW.Types.PlcStruct")
        xml.start("AttributeList")
        for name in attributeOrder(type.markup, default: SimaticMLWriter.defaultAttributeOrder(of: type)) {
            switch name {
            case "Interface": interface([InterfaceSection(kind: .none, members: type.members)])
            case "Name": xml.leaf(name, type.name)
            default: headerValue(name, values: type.attributes, markup: type.markup?.markupAttributes ?? [:])
            }
        }
        xml.end()
        xml.start("ObjectList")
        text(type.comment, composition: "Comment")
        text(type.title, composition: "Title")
        xml.end()
        xml.end()
    }

    /// The order the markup keeps, followed by the header attributes it does not list; without markup the default.
    /// Names the writer adds by itself (`Interface`, `Name`, `ProgrammingLanguage`) are not added to a kept order:
    /// a document without `<Interface>` stays without.
    private func attributeOrder(_ markup: DocumentMarkup?, default defaultOrder: [String]) -> [String] {
        guard let kept = markup?.attributeOrder else { return defaultOrder }
        let added: Set<String> = ["Interface", "Name", "ProgrammingLanguage"]
        return kept + defaultOrder.filter { !kept.contains($0) && !added.contains($0) }
    }

    /// `<name>value</name>`, the markup the document held for it, or nothing when the object has no such attribute.
    private mutating func headerValue(_ name: String, values: [String: String], markup: [String: String]) {
        if let content = markup[name] {
            xml.start(name)
            xml.verbatim(content)
            xml.end()
        } else if let value = values[name] {
            xml.leaf(name, value)
        }
    }

    /// `<Interface><Sections xmlns="…/Interface/vN">…</Sections></Interface>` for the document's version.
    private mutating func interface(_ sections: [InterfaceSection]) {
        let namespace: XMLWriter.Attributes = [("xmlns", OpennessNamespace.interface.uri(for: engineeringVersion))]
        xml.start("Interface")
        if indentsInterfaces {
            xml.start("Sections", attributes: namespace)
            for section in sections { xml.section(section, compact: false) }
            xml.end()
        } else {
            var inner = XMLWriter()
            inner.start("Sections", attributes: namespace)
            for section in sections { inner.section(section, compact: true) }
            inner.end()
            xml.verbatim(inner.text)
        }
        xml.end()
    }

    /// A `SW.Blocks.CompileUnit`: the network source, its language, comment and title.
    private mutating func network(_ network: Network) {
        startObject("SW.Blocks.CompileUnit", composition: "CompileUnits")
        xml.start("AttributeList")
        xml.start("NetworkSource")
        if let markup = NetworkSourceMarkup.markup(network.sourceXML, engineeringVersion: engineeringVersion) {
            xml.verbatim(markup)
        } else {
            xml.characters(network.sourceXML)
        }
        xml.end()
        xml.leaf("ProgrammingLanguage", network.languageText ?? network.language.rawValue)
        xml.end()
        xml.start("ObjectList")
        text(network.comment, composition: "Comment")
        text(network.title, composition: "Title")
        xml.end()
        xml.end()
    }

    // MARK: Tag tables

    mutating func tagTable(_ table: TagTable) {
        startObject("SW.Tags.PlcTagTable")
        nameList(table.name)
        if !table.tags.isEmpty || !table.constants.isEmpty {
            xml.start("ObjectList")
            for tag in table.tags { self.tag(tag, listsDefaults: table.listsDefaults != false) }
            for constant in table.constants { self.constant(constant) }
            xml.end()
        }
        xml.end()
    }

    /// One tag; without `listsDefaults` the `External…` flags that are true (their default) are left out, as TIA's
    /// export without defaults does.
    private mutating func tag(_ tag: Tag, listsDefaults: Bool) {
        startObject("SW.Tags.PlcTag", composition: "Tags")
        xml.start("AttributeList")
        xml.leaf("DataTypeName", tag.dataType)
        let flags = [
            ("ExternalAccessible", tag.externalAccessible), ("ExternalVisible", tag.externalVisible),
            ("ExternalWritable", tag.externalWritable),
        ]
        for (name, value) in flags where listsDefaults || !value { xml.leaf(name, String(value)) }
        if !tag.address.isEmpty { xml.leaf("LogicalAddress", tag.address) }
        xml.leaf("Name", tag.name)
        xml.end()
        commentList(tag.comment)
        xml.end()
    }

    private mutating func constant(_ constant: UserConstant) {
        startObject("SW.Tags.PlcUserConstant", composition: "UserConstants")
        xml.start("AttributeList")
        xml.leaf("DataTypeName", constant.dataType)
        xml.leaf("Name", constant.name)
        xml.leaf("Value", constant.value)
        xml.end()
        commentList(constant.comment)
        xml.end()
    }

    // MARK: Watch and force tables

    mutating func watchTable(_ table: WatchTable, commentCulture: String) {
        let isForce = table.kind == .force
        startObject(isForce ? "SW.WatchAndForceTables.PlcForceTable" : "SW.WatchAndForceTables.PlcWatchTable")
        nameList(table.name)
        if !table.entries.isEmpty {
            xml.start("ObjectList")
            for entry in table.entries {
                self.entry(entry, isForce: isForce, commentCulture: commentCulture)
            }
            xml.end()
        }
        xml.end()
    }

    /// One row. Like TIA, a watch table entry always carries `ModifyIntention` and `ModifyValue` and a force table
    /// entry `ForceIntention` and `ForceValue`; the other kind's fields appear only when the model sets them.
    /// TIA writes the intentions as read-only, and so does this.
    private mutating func entry(_ entry: WatchEntry, isForce: Bool, commentCulture: String) {
        let comment = MultilingualText([MultilingualText.Item(culture: commentCulture, text: entry.comment ?? "")])
        if entry.isCommentRow {
            startObject("SW.WatchAndForceTables.PlcTableCommentEntry", composition: "Entries")
            commentList(comment)
            xml.end()
            return
        }
        let kind = isForce ? "PlcForceTableEntry" : "PlcWatchTableEntry"
        startObject("SW.WatchAndForceTables." + kind, composition: "Entries")
        xml.start("AttributeList")
        if let format = entry.displayFormat { xml.leaf("DisplayFormat", format) }
        if isForce || entry.forceIntention {
            xml.leaf("ForceIntention", String(entry.forceIntention), attributes: [("ReadOnly", "true")])
        }
        if isForce || entry.forceValue != nil { xml.leaf("ForceValue", entry.forceValue ?? "") }
        if !isForce || entry.modifyIntention {
            xml.leaf("ModifyIntention", String(entry.modifyIntention), attributes: [("ReadOnly", "true")])
        }
        if let trigger = entry.modifyTrigger { xml.leaf("ModifyTrigger", trigger) }
        if !isForce || entry.modifyValue != nil { xml.leaf("ModifyValue", entry.modifyValue ?? "") }
        if let trigger = entry.monitorTrigger { xml.leaf("MonitorTrigger", trigger) }
        xml.leaf("Name", entry.operand)
        xml.end()
        commentList(comment)
        xml.end()
    }

    // MARK: Shared pieces

    /// Starts `<kind ID="…" CompositionName="…">` with the next ID.
    private mutating func startObject(_ kind: String, composition: String? = nil) {
        let id =
            objectIDs.flatMap { objectCount < $0.count ? $0[objectCount] : nil }
            ?? String(objectCount, radix: 16, uppercase: true)
        var attributes: XMLWriter.Attributes = [("ID", id)]
        objectCount += 1
        if let composition { attributes.append(("CompositionName", composition)) }
        xml.start(kind, attributes: attributes)
    }

    private mutating func nameList(_ name: String) {
        xml.start("AttributeList")
        xml.leaf("Name", name)
        xml.end()
    }

    /// `<ObjectList>` with the `Comment` text in every culture it has, left out for a text without items.
    private mutating func commentList(_ text: MultilingualText) {
        guard !text.items.isEmpty else { return }
        xml.start("ObjectList")
        self.text(text, composition: "Comment")
        xml.end()
    }

    /// A `MultilingualText` object with an item per culture, left out for a text without items.
    private mutating func text(_ text: MultilingualText, composition: String) {
        guard !text.items.isEmpty else { return }
        startObject("MultilingualText", composition: composition)
        xml.start("ObjectList")
        for item in text.items {
            startObject("MultilingualTextItem", composition: "Items")
            xml.start("AttributeList")
            xml.leaf("Culture", item.culture)
            xml.leaf("Text", item.text)
            xml.end()
            xml.end()
        }
        xml.end()
        xml.end()
    }
}
