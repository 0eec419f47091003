import S7Model

/// Interface sections and members as SimaticML writes them inside `<Sections>`.
///
/// `compact` lays members out as TIA does up to V20: a member with an attribute list on one line with everything
/// inside it, `<Member Name="T" Datatype="TON" Version="1.0"><AttributeList>…</AttributeList><Sections>…</Member>`,
/// one without (an OB's temporary start information) with its comment and members on lines of their own; otherwise
/// every element gets its own line.
extension XMLWriter {
    mutating func section(_ section: InterfaceSection, compact: Bool) {
        start("Section", attributes: [("Name", section.kind.rawValue)])
        if let base = section.base {
            var attributes: Attributes = []
            if let type = base.dataType { attributes.append(("Datatype", type)) }
            if let version = base.version { attributes.append(("Version", version)) }
            start("Sections", attributes: attributes)
            for inner in base.sections { self.section(inner, compact: compact) }
            end()
        }
        for member in section.members { self.member(member, compact: compact) }
        end()
    }

    /// A `<Member>` with, in this order, its attribute list, comment, struct members or multi-instance sections,
    /// sub-element start values and start value.
    mutating func member(_ member: Member, compact: Bool) {
        let markup = member.markup ?? MemberMarkup()
        var attributes: Attributes = [("Name", member.name), ("Datatype", member.dataType)]
        if let version = member.version { attributes.append(("Version", version)) }
        if let remanence = member.remanence { attributes.append(("Remanence", remanence)) }
        if let accessibility = member.accessibility { attributes.append(("Accessibility", accessibility)) }
        if markup.isInformative { attributes.append(("Informative", "true")) }
        start("Member", attributes: attributes)
        let breaks = breaksLines
        let memberAttributes = self.memberAttributes(member, markup)
        if compact && !memberAttributes.isEmpty { breaksLines = false }
        write(memberAttributes)
        memberComment(member.comment, informative: markup.commentIsInformative)
        for inner in member.members { self.member(inner, compact: compact) }
        if !member.sections.isEmpty {
            start("Sections")
            for section in member.sections { self.section(section, compact: compact) }
            end()
        }
        subelements(member, markup)
        if let value = member.startValue {
            leaf("StartValue", value, attributes: Self.informative(markup.startValueIsInformative))
        }
        end()
        breaksLines = breaks
    }

    /// The attributes in the order and with the element kinds and flags the markup keeps, then the ones it does not
    /// know in alphabetical order: `true`/`false` as a `BooleanAttribute`, anything else as a `StringAttribute`,
    /// `SystemDefined` for the attributes TIA defines.
    private func memberAttributes(
        _ member: Member, _ markup: MemberMarkup
    ) -> [(attribute: MemberMarkup.Attribute, value: String)] {
        var entries: [(attribute: MemberMarkup.Attribute, value: String)] = []
        var listed: Set<String> = []
        for attribute in markup.attributes {
            guard let value = member.attributes[attribute.name], listed.insert(attribute.name).inserted else {
                continue
            }
            entries.append((attribute, value))
        }
        for (key, value) in member.attributes.sorted(by: { $0.key < $1.key }) where !listed.contains(key) {
            // An SCL source's `{ S7_SetPoint := 'True' }` is SimaticML's `SetPoint`; an `AT` overlay is no attribute.
            let name = key == "S7_SetPoint" ? "SetPoint" : key
            guard name != "AT", !listed.contains(name) else { continue }
            let lowered = value.lowercased()
            let isBoolean = lowered == "true" || lowered == "false"
            entries.append(
                (
                    MemberMarkup.Attribute(
                        name: name, kind: isBoolean ? "BooleanAttribute" : "StringAttribute",
                        systemDefined: Self.systemAttributes.contains(name) ? true : nil),
                    isBoolean ? lowered : value
                ))
        }
        return entries
    }

    /// `<AttributeList>` with the entries, left out when there are none.
    private mutating func write(_ entries: [(attribute: MemberMarkup.Attribute, value: String)]) {
        guard !entries.isEmpty else { return }
        start("AttributeList")
        for entry in entries {
            var attributes: Attributes = [("Name", entry.attribute.name)]
            attributes += Self.informative(entry.attribute.isInformative)
            if let systemDefined = entry.attribute.systemDefined {
                attributes.append(("SystemDefined", String(systemDefined)))
            }
            leaf(entry.attribute.kind, entry.value, attributes: attributes)
        }
        end()
    }

    /// `<Comment>` with one `<MultiLanguageText Lang="…">` per culture; nothing for a text without items.
    private mutating func memberComment(_ comment: MultilingualText, informative: Bool) {
        guard !comment.items.isEmpty else { return }
        start("Comment", attributes: Self.informative(informative))
        for item in comment.items {
            leaf("MultiLanguageText", item.text, attributes: [("Lang", item.culture)])
        }
        end()
    }

    /// The sub-elements the markup lists, in its order, then the other start values by path (`2` before `10`).
    private mutating func subelements(_ member: Member, _ markup: MemberMarkup) {
        var written: Set<String> = []
        for subelement in markup.subelements where written.insert(subelement.path).inserted {
            let value = member.subelementStartValues[subelement.path]
            guard value != nil || subelement.comment != nil else { continue }
            self.subelement(
                path: subelement.path, value: value, informative: subelement.startValueIsInformative,
                comment: subelement.comment)
        }
        let rest = member.subelementStartValues.keys.filter { !written.contains($0) }
        for path in rest.sorted(by: Self.pathPrecedes) {
            subelement(path: path, value: member.subelementStartValues[path], informative: false, comment: nil)
        }
    }

    private mutating func subelement(path: String, value: String?, informative: Bool, comment: MultilingualText?) {
        start("Subelement", attributes: [("Path", path)])
        if let value { leaf("StartValue", value, attributes: Self.informative(informative)) }
        if let comment { memberComment(comment, informative: false) }
        end()
    }

    private static func informative(_ flag: Bool) -> Attributes {
        flag ? [("Informative", "true")] : []
    }

    /// Array paths in index order: `1,2` before `1,10`; other paths as text.
    private static func pathPrecedes(_ a: String, _ b: String) -> Bool {
        let left = a.split(separator: ",").map { part in Int(part.filter { $0 != " " }) }
        let right = b.split(separator: ",").map { part in Int(part.filter { $0 != " " }) }
        if !left.contains(nil), !right.contains(nil) {
            return left.map { $0! }.lexicographicallyPrecedes(right.map { $0! })
        }
        return a < b
    }

    /// Member attributes TIA itself defines; it marks them `SystemDefined="true"`.
    private static let systemAttributes: Set<String> = [
        "ExternalAccessible", "ExternalVisible", "ExternalWritable", "SetPoint", "UserVisible", "UserReadOnly",
        "UserDeletable", "S7_HiddenAssignment",
    ]
}
