public import S7Model

/// Writes PLC tag tables and watch/force tables as SimaticML documents that TIA Portal V17+ imports (Openness and
/// the Version Control Interface).
///
/// The layout is TIA's own: UTF-8 with a byte order mark, two-space indentation, attribute-list children in
/// alphabetical order, `ID`s counted up in upper-case hexadecimal (`0` … `9`, `A`, … `1A`) in document order.
/// `SimaticMLReader` reads every document written here back to an equal model. A table TIA exported with
/// `WithDefaults` comes out byte for byte as TIA wrote it, less the `DocumentInfo` block and the read-only
/// `Address` of watch entries, which the model does not keep.
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
    /// A tag table with its tags and user constants. The table's own `engineeringVersion` wins over the argument.
    public static func tagTable(_ table: TagTable, engineeringVersion: String = "V17") -> [UInt8] {
        var writer = DocumentWriter(engineeringVersion: table.engineeringVersion ?? engineeringVersion)
        writer.tagTable(table)
        return writer.finish()
    }

    /// A watch table or force table. The table's own `engineeringVersion` wins over the argument; entry comments,
    /// which the model keeps in one culture only, are written in `commentCulture`.
    public static func watchTable(
        _ table: WatchTable, engineeringVersion: String = "V17", commentCulture: String = "en-US"
    ) -> [UInt8] {
        var writer = DocumentWriter(engineeringVersion: table.engineeringVersion ?? engineeringVersion)
        writer.watchTable(table, commentCulture: commentCulture)
        return writer.finish()
    }
}

/// One document under construction: the XML text and the next object `ID`.
private struct DocumentWriter {
    private var xml = XMLWriter()
    private var nextID = 0

    init(engineeringVersion: String) {
        xml.declaration()
        xml.start("Document")
        xml.leaf("Engineering", attributes: [("version", engineeringVersion)])
    }

    mutating func finish() -> [UInt8] {
        xml.end()  // Document
        return xml.utf8WithByteOrderMark
    }

    // MARK: Tag tables

    mutating func tagTable(_ table: TagTable) {
        startObject("SW.Tags.PlcTagTable")
        nameList(table.name)
        if !table.tags.isEmpty || !table.constants.isEmpty {
            xml.start("ObjectList")
            for tag in table.tags { self.tag(tag) }
            for constant in table.constants { self.constant(constant) }
            xml.end()
        }
        xml.end()
    }

    private mutating func tag(_ tag: Tag) {
        startObject("SW.Tags.PlcTag", composition: "Tags")
        xml.start("AttributeList")
        xml.leaf("DataTypeName", tag.dataType)
        xml.leaf("ExternalAccessible", String(tag.externalAccessible))
        xml.leaf("ExternalVisible", String(tag.externalVisible))
        xml.leaf("ExternalWritable", String(tag.externalWritable))
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
        var attributes: XMLWriter.Attributes = [("ID", String(nextID, radix: 16, uppercase: true))]
        nextID += 1
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
        startObject("MultilingualText", composition: "Comment")
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
        xml.end()
    }
}
