import S7Diagnostics
public import S7Model
import SCLSyntax
import SimaticML

/// Blocks and PLC data types as SimaticML documents, whether they were read from SimaticML or from SCL sources.
///
/// A SimaticML object is written by `SimaticMLWriter` as it was read. An object from an SCL source is first turned
/// into what TIA would hold after importing that source: member types in SimaticML spelling (`INT` → `Int`,
/// `STRING[20]` → `String[20]`), an instance DB with the interface of its FB, and the statements of a code block
/// as one SCL network of StructuredText tokens (see `StructuredTextEncoder`), which needs the PLC's symbols to say
/// what each name is.
///
///     let xml = SimaticMLExport.block(motorFB, device: plc, engineeringVersion: "V19")
///     // <Document><Engineering version="V19" /> … <SW.Blocks.FB ID="0"> … <StructuredText xmlns="…/v4"> …
public enum SimaticMLExport {
    /// What keeps an object from being written as SimaticML without losing something.
    public struct Failure: Error, Hashable, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// The SimaticML document of `block` on `device`, for TIA `engineeringVersion` (nil: the block's own version,
    /// else `SimaticMLWriter.defaultEngineeringVersion`).
    public static func block(
        _ block: Block, device: Device, library: ProjectLibrary = ProjectLibrary(), engineeringVersion: String? = nil
    ) throws(Failure) -> [UInt8] {
        let version = engineeringVersion ?? block.engineeringVersion ?? SimaticMLWriter.defaultEngineeringVersion
        return SimaticMLWriter.block(
            try simaticMLBlock(block, device: device, library: library, engineeringVersion: version),
            engineeringVersion: version)
    }

    /// The SimaticML document of a PLC data type; an SCL-source type gets SimaticML member types.
    public static func dataType(_ type: PlcDataType, engineeringVersion: String? = nil) -> [UInt8] {
        var copy = type
        if type.file.format != .simaticML { copy.members = copy.members.map { simaticMLMember($0) } }
        return SimaticMLWriter.dataType(copy, engineeringVersion: engineeringVersion)
    }

    /// The block as a SimaticML document holds it: unchanged for a SimaticML block; for an SCL-source block its
    /// interface in SimaticML spelling and, for a code block, its statements as an SCL network. A source DB's
    /// `BEGIN` assignments become start values of its members (`a := 5;`, `arr[2] := 1;`, `s.x := 1;`,
    /// `udt.x := 1;`); one that SimaticML cannot hold this way fails the export.
    public static func simaticMLBlock(
        _ block: Block, device: Device, library: ProjectLibrary = ProjectLibrary(), engineeringVersion: String
    ) throws(Failure) -> Block {
        guard block.file.format != .simaticML else { return block }
        var copy = block
        copy.interface.sections = block.interface.sections.map { simaticMLSection($0) }
        switch block.kind {
        case .instanceDB:
            let symbols = SymbolIndex(device: device, library: library)
            if copy.interface.isEmpty, let of = block.instanceOf, case .block(let fb) = symbols.symbol(of) {
                copy.interface.sections = fb.interface.sections
                    .filter { [.input, .output, .inOut, .static].contains($0.kind) }.map { simaticMLSection($0) }
            }
        case .organizationBlock, .functionBlock, .function:
            copy.language = .scl
            if let text = block.sourceText, let body = StructuredTextEncoder.body(ofSource: text) {
                let symbols = SymbolIndex(device: device, library: library)
                let source = StructuredTextEncoder.networkSource(
                    body: body, block: block, symbols: symbols, engineeringVersion: engineeringVersion)
                copy.networks = [
                    Network(language: .scl, title: MultilingualText(), comment: MultilingualText(), sourceXML: source)
                ]
            }
        case .globalDB, .typedDB:
            break
        }
        if block.kind.isDataBlock {
            try foldStartValues(of: block, into: &copy, device: device)
            // A standard-access source DB keeps all its data over a warm restart unless it says NON_RETAIN;
            // SimaticML says so of each member.
            if block.isRetainByDefault {
                for index in copy.interface.sections.indices {
                    for member in copy.interface.sections[index].members.indices
                    where copy.interface.sections[index].members[member].remanence == nil {
                        copy.interface.sections[index].members[member].remanence = "Retain"
                    }
                }
            }
        }
        return copy
    }

    /// A source DB's `BEGIN` assignments as start values of the members they name.
    static func foldStartValues(of block: Block, into copy: inout Block, device: Device) throws(Failure) {
        guard let text = block.sourceText else { return }
        let parsed = SCLParser.parse(SourceFile(path: block.name, text: text))
        guard let unit = parsed.units.first(where: { $0.kind == .dataBlock }) else { return }
        for statement in unit.body ?? [] {
            if case .empty = statement.kind { continue }
            let written = parsed.file.text(in: statement.range)
            guard case .assignment(let target, .assign, let value) = statement.kind, let path = startValuePath(target)
            else {
                throw Failure(message: "\(block.name): `\(written)` after BEGIN has no SimaticML form")
            }
            let valueText = parsed.file.text(in: value.range)
            var sections = copy.interface.sections
            var done = false
            for index in sections.indices where !done {
                done = setStartValue(valueText, path: path[...], in: &sections[index].members, device: device)
            }
            guard done else {
                throw Failure(
                    message: "\(block.name): the start value `\(written)` cannot be written as SimaticML yet")
            }
            copy.interface.sections = sections
        }
    }

    /// `a`, `a[3]`, `a.b.c` as names with an optional single integer index; nil for anything else.
    static func startValuePath(_ expression: SCLExpression) -> [(name: String, index: Int?)]? {
        switch expression.kind {
        case .name(let name): return [(name.text, nil)]
        case .member(let base, let member):
            guard let head = startValuePath(base) else { return nil }
            return head + [(member.text, nil)]
        case .index(let base, let indices):
            guard case .name(let name) = base.kind, indices.count == 1 else { return nil }
            // `arr[2].x`: below in `.member`, the index stays on `arr`.
            var index: Int?
            switch indices[0].kind {
            case .literal(let literal): index = Int(literal.text)
            case .unary(.negate, let inner):
                if case .literal(let literal) = inner.kind { index = Int(literal.text).map { -$0 } }
            default: break
            }
            guard let index else { return nil }
            return [(name.text, index)]
        default: return nil
        }
    }

    /// Sets the start value at `path` among `members`; false when the path names nothing it can hold.
    static func setStartValue(
        _ value: String, path: ArraySlice<(name: String, index: Int?)>, in members: inout [S7Model.Member],
        device: Device
    ) -> Bool {
        guard let step = path.first,
            let position = members.firstIndex(where: { $0.name.caseInsensitiveEquals(step.name) })
        else { return false }
        let rest = path.dropFirst()
        if let index = step.index {
            if rest.isEmpty {
                members[position].subelementStartValues[String(index)] = value
                return true
            }
            // A member of one element of an array of a PLC data type: the data type's member with a start value
            // for that element (`Subelement Path="2"`), in the array member's `Sections`.
            guard rest.count == 1, let next = rest.first,
                case .array(let dimensions, .named(let name))? = try? DataType(parsing: members[position].dataType),
                dimensions.count == 1, let udt = device.dataType(named: name),
                let declared = udt.members.first(where: { $0.name.caseInsensitiveEquals(next.name) }),
                declared.members.isEmpty
            else { return false }
            var own = ownMembers(of: members[position], adding: declared)
            guard let target = own.firstIndex(where: { $0.name.caseInsensitiveEquals(next.name) }) else { return false }
            own[target].subelementStartValues[String(index)] = value
            members[position].sections = [InterfaceSection(kind: .none, members: own)]
            return true
        }
        if rest.isEmpty {
            members[position].startValue = value
            return true
        }
        if !members[position].members.isEmpty {
            return setStartValue(value, path: rest, in: &members[position].members, device: device)
        }
        // A member of a PLC data type: its own members with start values go in `Sections`.
        guard case .named(let name)? = try? DataType(parsing: members[position].dataType),
            let udt = device.dataType(named: name)
        else { return false }
        guard let next = rest.first,
            let declared = udt.members.first(where: { $0.name.caseInsensitiveEquals(next.name) })
        else { return false }
        var own = ownMembers(of: members[position], adding: declared)
        guard setStartValue(value, path: rest, in: &own, device: device) else { return false }
        members[position].sections = [InterfaceSection(kind: .none, members: own)]
        return true
    }

    /// The members a member of a PLC data type lists in its `Sections` (their own start values), with the data
    /// type's member `declared` added without a start value when it is not there yet.
    static func ownMembers(of member: S7Model.Member, adding declared: S7Model.Member) -> [S7Model.Member] {
        var own = member.sections.first?.members ?? []
        guard !own.contains(where: { $0.name.caseInsensitiveEquals(declared.name) }) else { return own }
        var added = simaticMLMember(declared)
        added.startValue = nil
        added.subelementStartValues = [:]
        own.append(added)
        return own
    }

    static func simaticMLSection(_ section: InterfaceSection) -> InterfaceSection {
        var copy = section
        copy.members = section.members.map { simaticMLMember($0) }
        return copy
    }

    static func simaticMLMember(_ member: S7Model.Member) -> S7Model.Member {
        var copy = member
        if let type = try? DataType(parsing: member.dataType) {
            copy.dataType = type.simaticMLName
            // A struct declared inline lists its members; SimaticML writes them as `Member` elements.
            if copy.members.isEmpty, case .struct(let members) = type.arrayElement {
                copy.members = members.map { Member(name: $0.name, dataType: $0.dataType.description) }
            }
        }
        copy.members = copy.members.map { simaticMLMember($0) }
        copy.sections = copy.sections.map { simaticMLSection($0) }
        return copy
    }
}

extension DataType {
    /// The element type of an array, the type itself otherwise.
    fileprivate var arrayElement: DataType {
        if case .array(_, let element) = self { return element }
        return self
    }
}
