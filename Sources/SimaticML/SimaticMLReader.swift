public import S7Model

/// Reads SimaticML documents (TIA Portal Openness / VCI XML, Engineering V15–V21) into project objects.
///
/// Blocks keep their interface in full (sections, members, nested structs, multi-instance sections, start values,
/// attributes, comments in every culture) and every network's `NetworkSource` verbatim, so nothing is lost before
/// the LAD/FBD importer interprets it. What a document says beyond the model's values (the order of header
/// attributes, object IDs, the kinds and flags of member attributes, informative parts) is kept as
/// `DocumentMarkup` and `MemberMarkup` where it differs from how TIA lays a document out, so that
/// `SimaticMLWriter` writes the document back as it was.
public enum SimaticMLReader {
    /// Reads one document. `file` is where it came from, relative to the project root; `group` its block group.
    public static func read(
        bytes: [UInt8], file: SourceFileRef, group: [String] = []
    ) throws(SimaticMLError) -> SimaticMLObject {
        let document: XMLDocument
        do {
            document = try XMLParser.parse(bytes)
        } catch {
            throw SimaticMLError(message: error.message, line: error.line, column: error.column)
        }
        guard document.root.localName == "Document" else {
            throw SimaticMLError(message: "not a SimaticML document: the root element is <\(document.root.name)>")
        }
        let version = document.root.first("Engineering")?[attribute: "version"]
        guard let object = document.root.elements.first(where: { $0.localName.hasPrefix("SW.") }) else {
            throw SimaticMLError(message: "the document holds no TIA Portal object (no <SW.…> element)")
        }
        let reader = ObjectReader(document: document, file: file, group: group, version: version)
        return try reader.read(object)
    }
}

private struct ObjectReader {
    let document: XMLDocument
    let file: SourceFileRef
    let group: [String]
    let version: String?

    func read(_ object: XMLElement) throws(SimaticMLError) -> SimaticMLObject {
        let kind = object.localName
        switch kind {
        case "SW.Blocks.OB", "SW.Blocks.FB", "SW.Blocks.FC", "SW.Blocks.GlobalDB", "SW.Blocks.InstanceDB",
            "SW.Blocks.ArrayDB":
            return .block(try block(object))
        case "SW.Types.PlcStruct":
            return .dataType(try dataType(object))
        case "SW.Tags.PlcTagTable":
            return .tagTable(try tagTable(object))
        default:
            if kind.hasPrefix("SW.WatchAndForceTables.") {
                return .watchTable(try watchTable(object))
            }
            throw SimaticMLError(message: "unsupported SimaticML object <\(kind)>")
        }
    }

    // MARK: Blocks

    private func block(_ element: XMLElement) throws(SimaticMLError) -> Block {
        let attributes = element.first("AttributeList")
        guard let name = attributes?.first("Name")?.text, !name.isEmpty else {
            throw located("the block has no <Name>", element)
        }
        let kind: BlockKind =
            switch element.localName {
            case "SW.Blocks.OB": .organizationBlock
            case "SW.Blocks.FB": .functionBlock
            case "SW.Blocks.FC": .function
            case "SW.Blocks.InstanceDB": .instanceDB
            case "SW.Blocks.ArrayDB": .typedDB
            default: .globalDB
            }
        let header = self.header(attributes)
        let languageText = attributes?.first("ProgrammingLanguage")?.text ?? (kind.isDataBlock ? "DB" : "")
        var interface = Interface()
        if let sections = attributes?.first(path: "Interface", "Sections") {
            interface = try self.interface(sections)
        }
        var networks: [Network] = []
        for unit in element.first("ObjectList")?.elements ?? [] where unit.localName == "SW.Blocks.CompileUnit" {
            networks.append(network(unit))
        }
        let instanceOf = attributes?.first("InstanceOfName")?.text ?? attributes?.first("ArrayDataType")?.text
        let returnType = interface.section(.return)?.members.first?.dataType
        var block = Block(
            name: name, kind: kind, number: attributes?.first("Number").flatMap { Int($0.text) },
            language: BlockLanguage(simaticML: languageText), group: group, file: file,
            title: texts(element, composition: "Title"), comment: texts(element, composition: "Comment"),
            interface: interface, networks: networks, instanceOf: instanceOf, returnType: returnType,
            attributes: header.values, engineeringVersion: version)
        block.markup = markup(
            of: element, header: header, defaultOrder: SimaticMLWriter.defaultAttributeOrder(of: block))
        return block
    }

    /// The `AttributeList` of a block or type: text values, values that hold markup, and the order of the names.
    private struct Header {
        var values: [String: String] = [:]
        var markup: [String: String] = [:]
        var order: [String] = []
    }

    private func header(_ attributes: XMLElement?) -> Header {
        var header = Header()
        for child in attributes?.elements ?? [] {
            header.order.append(child.localName)
            if child.localName == "Interface" { continue }
            if child.elements.isEmpty {
                header.values[child.localName] = child.text
            } else {
                header.markup[child.localName] = document.text(of: child.contentRange)
            }
        }
        return header
    }

    /// What the document says beyond the model: a header order other than the writer's, header values that hold
    /// markup, object IDs other than TIA's count. Nil when it says nothing more.
    private func markup(of element: XMLElement, header: Header, defaultOrder: [String]) -> DocumentMarkup? {
        var markup = DocumentMarkup()
        if !header.markup.isEmpty { markup.markupAttributes = header.markup }
        let expectedOrder = (defaultOrder + header.markup.keys).sorted()
        if header.order != expectedOrder { markup.attributeOrder = header.order }
        var ids: [String] = []
        collectIDs(element, into: &ids)
        if ids != ids.indices.map({ String($0, radix: 16, uppercase: true) }) { markup.objectIDs = ids }
        return markup.isEmpty ? nil : markup
    }

    /// The `ID`s of an object and of the objects below it, in document order (not inside interfaces or network
    /// sources, which hold none).
    private func collectIDs(_ element: XMLElement, into ids: inout [String]) {
        if let id = element[attribute: "ID"] { ids.append(id) }
        for child in element.elements where child.localName != "Interface" && child.localName != "NetworkSource" {
            collectIDs(child, into: &ids)
        }
    }

    private func network(_ unit: XMLElement) -> Network {
        let attributes = unit.first("AttributeList")
        let source = attributes?.first("NetworkSource")
        let sourceXML = source.map { document.text(of: $0.contentRange) } ?? ""
        let languageText = attributes?.first("ProgrammingLanguage")?.text ?? ""
        let language = BlockLanguage(simaticML: languageText)
        return Network(
            language: language, title: texts(unit, composition: "Title"), comment: texts(unit, composition: "Comment"),
            sourceXML: sourceXML, languageText: language.rawValue == languageText ? nil : languageText)
    }

    /// `<MultilingualText CompositionName="Comment">` items below an object's `ObjectList`.
    private func texts(_ element: XMLElement, composition: String) -> MultilingualText {
        let list = element.first("ObjectList")?.elements ?? []
        guard
            let text = list.first(where: {
                $0.localName == "MultilingualText" && $0[attribute: "CompositionName"] == composition
            })
        else { return MultilingualText() }
        var items: [MultilingualText.Item] = []
        for item in text.first("ObjectList")?.elements ?? [] {
            let attributes = item.first("AttributeList")
            items.append(
                MultilingualText.Item(
                    culture: attributes?.first("Culture")?.text ?? "", text: attributes?.first("Text")?.text ?? ""))
        }
        return MultilingualText(items)
    }

    // MARK: Interfaces

    private func interface(_ sections: XMLElement) throws(SimaticMLError) -> Interface {
        var result: [InterfaceSection] = []
        for section in sections.elements(named: "Section") {
            result.append(try self.section(section))
        }
        return Interface(sections: result)
    }

    private func section(_ element: XMLElement) throws(SimaticMLError) -> InterfaceSection {
        let name = element[attribute: "Name"] ?? ""
        guard let kind = InterfaceSection.Kind(rawValue: name) else {
            throw located("unknown interface section '\(name)'", element)
        }
        var result = InterfaceSection(kind: kind)
        for child in element.elements {
            switch child.localName {
            case "Member":
                result.members.append(try self.member(child))
            case "Sections":
                result.base = BaseInterface(
                    dataType: child[attribute: "Datatype"], version: child[attribute: "Version"],
                    sections: try interface(child).sections)
            default:
                break
            }
        }
        return result
    }

    private func member(_ element: XMLElement) throws(SimaticMLError) -> Member {
        guard let name = element[attribute: "Name"], let dataType = element[attribute: "Datatype"] else {
            throw located("a <Member> needs Name and Datatype attributes", element)
        }
        var member = Member(
            name: name, dataType: dataType, remanence: element[attribute: "Remanence"],
            accessibility: element[attribute: "Accessibility"], version: element[attribute: "Version"])
        var markup = MemberMarkup(isInformative: Self.isInformative(element))
        for child in element.elements {
            switch child.localName {
            case "AttributeList":
                for attribute in child.elements {
                    guard let key = attribute[attribute: "Name"] else { continue }
                    member.attributes[key] = attribute.text
                    markup.attributes.append(
                        MemberMarkup.Attribute(
                            name: key, kind: attribute.localName,
                            systemDefined: attribute[attribute: "SystemDefined"].map { $0.lowercased() == "true" },
                            isInformative: Self.isInformative(attribute)))
                }
            case "Comment":
                member.comment = comment(child)
                markup.commentIsInformative = Self.isInformative(child)
            case "StartValue":
                member.startValue = child.text
                markup.startValueIsInformative = Self.isInformative(child)
            case "Member":
                member.members.append(try self.member(child))
            case "Sections":
                member.sections = try interface(child).sections
            case "Subelement":
                guard let path = child[attribute: "Path"] else { break }
                var subelement = MemberMarkup.Subelement(path: path)
                if let start = child.first("StartValue") {
                    member.subelementStartValues[path] = start.text
                    subelement.startValueIsInformative = Self.isInformative(start)
                }
                subelement.comment = child.first("Comment").map(comment)
                markup.subelements.append(subelement)
            default:
                break
            }
        }
        member.markup = markup.isEmpty ? nil : markup
        return member
    }

    /// A member's `<Comment>`: one `<MultiLanguageText Lang="…">` per culture.
    private func comment(_ element: XMLElement) -> MultilingualText {
        MultilingualText(
            element.elements(named: "MultiLanguageText").map {
                MultilingualText.Item(culture: $0[attribute: "Lang"] ?? "", text: $0.text)
            })
    }

    /// `Informative="true"`: a part TIA derives and writes for information only.
    private static func isInformative(_ element: XMLElement) -> Bool {
        element[attribute: "Informative"]?.lowercased() == "true"
    }

    // MARK: Types and tables

    private func dataType(_ element: XMLElement) throws(SimaticMLError) -> PlcDataType {
        let attributes = element.first("AttributeList")
        guard let name = attributes?.first("Name")?.text, !name.isEmpty else {
            throw located("the PLC data type has no <Name>", element)
        }
        var members: [Member] = []
        if let sections = attributes?.first(path: "Interface", "Sections") {
            members = try interface(sections).allMembers
        }
        let header = self.header(attributes)
        var type = PlcDataType(
            name: name, group: group, file: file, title: texts(element, composition: "Title"),
            comment: texts(element, composition: "Comment"), members: members, engineeringVersion: version,
            attributes: header.values)
        type.markup = markup(of: element, header: header, defaultOrder: SimaticMLWriter.defaultAttributeOrder(of: type))
        return type
    }

    private func tagTable(_ element: XMLElement) throws(SimaticMLError) -> TagTable {
        guard let name = element.first(path: "AttributeList", "Name")?.text else {
            throw located("the tag table has no <Name>", element)
        }
        var table = TagTable(name: name, group: group, file: file, engineeringVersion: version)
        for object in element.first("ObjectList")?.elements ?? [] {
            let attributes = object.first("AttributeList")
            func value(_ key: String) -> String? { attributes?.first(key)?.text }
            guard let tagName = value("Name") else { throw located("a tag has no <Name>", object) }
            switch object.localName {
            case "SW.Tags.PlcTag":
                // An export without defaults leaves out the flags that are true.
                if ["ExternalAccessible", "ExternalVisible", "ExternalWritable"].contains(where: { value($0) == nil }) {
                    table.listsDefaults = false
                }
                table.tags.append(
                    Tag(
                        name: tagName, dataType: value("DataTypeName") ?? "", address: value("LogicalAddress") ?? "",
                        comment: texts(object, composition: "Comment"),
                        externalAccessible: value("ExternalAccessible") != "false",
                        externalVisible: value("ExternalVisible") != "false",
                        externalWritable: value("ExternalWritable") != "false"))
            case "SW.Tags.PlcUserConstant", "SW.Tags.PlcSystemConstant":
                table.constants.append(
                    UserConstant(
                        name: tagName, dataType: value("DataTypeName") ?? "", value: value("Value") ?? "",
                        comment: texts(object, composition: "Comment")))
            default:
                break
            }
        }
        return table
    }

    private func watchTable(_ element: XMLElement) throws(SimaticMLError) -> WatchTable {
        guard let name = element.first(path: "AttributeList", "Name")?.text else {
            throw located("the watch table has no <Name>", element)
        }
        // `SW.WatchAndForceTables.PlcForceTable`: the last name component says which kind it is.
        let kind: WatchTable.Kind = element.localName.hasSuffix("ForceTable") ? .force : .watch
        var table = WatchTable(name: name, kind: kind, group: group, file: file, engineeringVersion: version)
        for entry in element.first("ObjectList")?.elements ?? [] where entry.localName.hasSuffix("Entry") {
            let attributes = entry.first("AttributeList")
            func value(_ key: String) -> String? {
                guard let text = attributes?.first(key)?.text, !text.isEmpty else { return nil }
                return text
            }
            let comment = value("Comment") ?? texts(entry, composition: "Comment").text()
            if entry.localName.hasSuffix("CommentEntry") {
                table.entries.append(.commentRow(comment))
                continue
            }
            table.entries.append(
                WatchEntry(
                    operand: value("Name") ?? value("Address") ?? "", displayFormat: value("DisplayFormat"),
                    modifyValue: value("ModifyValue"), forceValue: value("ForceValue"),
                    modifyIntention: value("ModifyIntention")?.lowercased() == "true",
                    forceIntention: value("ForceIntention")?.lowercased() == "true",
                    comment: comment.isEmpty ? nil : comment, monitorTrigger: value("MonitorTrigger"),
                    modifyTrigger: value("ModifyTrigger") ?? value("ForceTrigger")))
        }
        return table
    }

    private func located(_ message: String, _ element: XMLElement) -> SimaticMLError {
        var line = 1
        var lineStart = 0
        let end = min(element.sourceRange.lowerBound, document.bytes.count)
        for i in 0..<end where document.bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        return SimaticMLError(message: message, line: line, column: end - lineStart + 1)
    }
}
