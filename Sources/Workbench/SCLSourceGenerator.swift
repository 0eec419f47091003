import Foundation
import S7Diagnostics
public import S7Model
import SCLSyntax

/// One declared variable of a block interface or a PLC data type, as a caller describes it.
public struct MemberSpec: Sendable, Hashable {
    public var name: String
    /// The type as SCL writes it: `Bool`, `Array[0..7] of Int`, `"typeMotor"`, `TON_TIME`,
    /// `Struct a : Bool; b : Int; END_STRUCT`.
    public var dataType: String
    /// An S7 literal (`500.0`, `T#20s`, `'text'`); nil for the type's default.
    public var startValue: String?
    public var comment: String?

    public init(name: String, dataType: String, startValue: String? = nil, comment: String? = nil) {
        self.name = name
        self.dataType = dataType
        self.startValue = startValue
        self.comment = comment
    }
}

/// The members of one interface section (`Input` is `VAR_INPUT`, `Static` is `VAR`, …).
public struct InterfaceSectionSpec: Sendable, Hashable {
    public var kind: InterfaceSection.Kind
    public var members: [MemberSpec]

    public init(_ kind: InterfaceSection.Kind, members: [MemberSpec] = []) {
        self.kind = kind
        self.members = members
    }
}

/// A program block to write as an SCL source: header, interface and code.
///
/// A data block takes its members from `sections` (any section; they form its `STRUCT`), or is an instance of
/// `instanceOf` (an FB, a PLC data type or an IEC block such as `TON_TIME`); then members with a start value become
/// the actual values of its `BEGIN` part.
public struct BlockSpec: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case organizationBlock = "OB"
        case functionBlock = "FB"
        case function = "FC"
        case dataBlock = "DB"

        /// The kind of an existing block (every data block kind is `dataBlock`).
        public init(_ kind: BlockKind) {
            switch kind {
            case .organizationBlock: self = .organizationBlock
            case .functionBlock: self = .functionBlock
            case .function: self = .function
            case .globalDB, .instanceDB, .typedDB: self = .dataBlock
            }
        }

        var keyword: String {
            switch self {
            case .organizationBlock: "ORGANIZATION_BLOCK"
            case .functionBlock: "FUNCTION_BLOCK"
            case .function: "FUNCTION"
            case .dataBlock: "DATA_BLOCK"
            }
        }

        /// The sections a block of this kind declares, in the order TIA writes them.
        public var allowedSections: [InterfaceSection.Kind] {
            switch self {
            case .organizationBlock: [.input, .temp, .constant]
            case .functionBlock: [.input, .output, .inOut, .static, .temp, .constant]
            case .function: [.input, .output, .inOut, .temp, .constant]
            case .dataBlock: [.static, .none]
            }
        }
    }

    public var kind: Kind
    public var name: String
    /// The number to give the block; nil lets the engine take the first free one. SCL sources do not hold
    /// numbers, so TIA (and s7wb on the next open) numbers a source block anew.
    public var number: Int?
    public var title: String?
    /// The block comment, written as `//` lines after the header.
    public var comment: String?
    public var optimizedAccess: Bool
    /// A function's return type; nil is `Void`.
    public var returnType: String?
    public var sections: [InterfaceSectionSpec]
    public var instanceOf: String?
    /// The statements between `BEGIN` and the end keyword.
    public var code: String?
    public var version: String

    public init(
        kind: Kind, name: String, number: Int? = nil, title: String? = nil, comment: String? = nil,
        optimizedAccess: Bool = true, returnType: String? = nil, sections: [InterfaceSectionSpec] = [],
        instanceOf: String? = nil, code: String? = nil, version: String = "0.1"
    ) {
        self.kind = kind
        self.name = name
        self.number = number
        self.title = title
        self.comment = comment
        self.optimizedAccess = optimizedAccess
        self.returnType = returnType
        self.sections = sections
        self.instanceOf = instanceOf
        self.code = code
        self.version = version
    }

    /// Every member of every section, in order.
    public var allMembers: [MemberSpec] { sections.flatMap(\.members) }
}

/// A PLC data type (UDT) to write as a `.udt` source.
public struct DataTypeSpec: Sendable, Hashable {
    public var name: String
    public var title: String?
    public var comment: String?
    public var members: [MemberSpec]
    public var version: String

    public init(
        name: String, title: String? = nil, comment: String? = nil, members: [MemberSpec] = [],
        version: String = "0.1"
    ) {
        self.name = name
        self.title = title
        self.comment = comment
        self.members = members
        self.version = version
    }
}

/// A change to one declared member. Nil keeps what the source has; an empty start value or comment removes it.
public struct MemberChange: Sendable, Hashable {
    public var name: String?
    public var dataType: String?
    public var startValue: String?
    public var comment: String?

    public init(name: String? = nil, dataType: String? = nil, startValue: String? = nil, comment: String? = nil) {
        self.name = name
        self.dataType = dataType
        self.startValue = startValue
        self.comment = comment
    }

    public var isEmpty: Bool { name == nil && dataType == nil && startValue == nil && comment == nil }
}

/// SCL code to append to a block's body; a title wraps it in a `REGION` of that name, as TIA's SCL editor
/// structures a block.
public struct SCLNetworkSpec: Sendable, Hashable {
    public var title: String?
    public var comment: String?
    public var code: String

    public init(title: String? = nil, comment: String? = nil, code: String) {
        self.title = title
        self.comment = comment
        self.code = code
    }
}

/// Writes SCL sources the way TIA Portal's "Generate source from blocks" lays them out, and edits interface
/// declarations in existing sources without touching anything else.
///
///     FUNCTION_BLOCK "Conveyor"
///     { S7_Optimized_Access := 'TRUE' }
///     VERSION : 0.1
///        VAR_INPUT
///           Start : Bool;   // start request
///        END_VAR
///
///
///     BEGIN
///     	#Run := #Start;
///     END_FUNCTION_BLOCK
///
/// The editing functions find declarations with the SCL lexer and unit scanner, so comments and strings that hold
/// `END_VAR` or a member's name never mislead them; every byte outside the edited declaration stays as it was.
public enum SCLSourceGenerator {
    static let sectionIndent = "   "
    static let memberIndent = "      "
    static let nestedIndent = "   "

    // MARK: Whole sources

    /// The source of a block.
    public static func source(for spec: BlockSpec) -> String {
        var lines: [String] = []
        switch spec.kind {
        case .function:
            let returnType = spec.returnType.map(trimmed).flatMap { $0.isEmpty ? nil : $0 } ?? "Void"
            lines.append("FUNCTION \(quotedName(spec.name)) : \(returnType)")
        default:
            lines.append("\(spec.kind.keyword) \(quotedName(spec.name))")
        }
        if let title = titleLine(spec.title) { lines.append(title) }
        lines.append("{ S7_Optimized_Access := '\(spec.optimizedAccess ? "TRUE" : "FALSE")' }")
        lines.append("VERSION : \(spec.version)")
        if spec.kind == .dataBlock { lines.append("NON_RETAIN") }
        lines += commentLines(spec.comment)
        let instance = spec.instanceOf.map(trimmed).flatMap { $0.isEmpty ? nil : $0 }
        if spec.kind == .dataBlock, let instance { lines.append(typeReference(instance)) }
        var text = lines.joined(separator: "\n") + "\n"
        switch spec.kind {
        case .dataBlock where instance == nil:
            text += sectionIndent + "STRUCT \n"
            text += spec.allMembers.flatMap { declarationLines($0, indent: memberIndent) }.map { $0 + "\n" }.joined()
            text += sectionIndent + "END_STRUCT;\n\n"
        case .dataBlock:
            break
        default:
            for kind in sectionOrder {
                let members = spec.sections.filter { $0.kind == kind }.flatMap(\.members)
                guard !members.isEmpty else { continue }
                text += sectionText(kind, members: members, forType: false)
                text += "\n"
            }
        }
        text += "\nBEGIN\n"
        if spec.kind == .dataBlock {
            if instance != nil {
                for member in spec.allMembers {
                    guard let value = member.startValue.map(trimmed), !value.isEmpty else { continue }
                    text += sectionIndent + formatName(member.name) + " := " + value + ";\n"
                }
            }
            text += "\nEND_DATA_BLOCK\n\n"
            return text
        }
        let body = bodyLines(spec.code ?? "", prefix: "\t")
        text += body.isEmpty ? "\n" : body.joined(separator: "\n") + "\n"
        text += "END_\(spec.kind.keyword)\n\n"
        return text
    }

    /// The source of a PLC data type.
    public static func source(for spec: DataTypeSpec) -> String {
        var lines = ["TYPE \(quotedName(spec.name))"]
        if let title = titleLine(spec.title) { lines.append(title) }
        lines.append("VERSION : \(spec.version)")
        lines += commentLines(spec.comment)
        var text = lines.joined(separator: "\n") + "\n"
        text += sectionText(.none, members: spec.members, forType: true)
        text += "\nEND_TYPE\n\n"
        return text
    }

    /// The lines declaring `member`, each starting with `indent`: one line, or several for a `Struct` with members.
    ///
    ///     Speed : Real := 1.5;   // mm/s
    public static func declarationLines(_ member: MemberSpec, indent: String) -> [String] {
        let typeText = collapsedSpaces(member.dataType)
        let comment = member.comment.map(commentText).flatMap { $0.isEmpty ? nil : "   // " + $0 } ?? ""
        if let type = try? DataType(parsing: typeText), let layout = structLayout(type) {
            return ["\(indent)\(formatName(member.name)) : \(layout.head)\(comment)"]
                + layout.members.flatMap { nestedLines($0, indent: indent + nestedIndent) } + ["\(indent)END_STRUCT;"]
        }
        var line = indent + formatName(member.name) + " : " + typeText
        if let value = member.startValue.map(trimmed), !value.isEmpty { line += " := " + value }
        return [line + ";" + comment]
    }

    /// A name as a declaration writes it: bare when it is an identifier and no reserved word, else in quotes.
    public static func formatName(_ name: String) -> String {
        guard let first = name.unicodeScalars.first, first == "_" || first.properties.isAlphabetic,
            name.unicodeScalars.allSatisfy({ $0 == "_" || $0.properties.isAlphabetic || (48...57).contains($0.value) })
        else { return "\"\(name)\"" }
        if let keyword = Keyword(bytes: Array(name.utf8)), !keyword.isContextual { return "\"\(name)\"" }
        return name
    }

    /// `VAR_INPUT`, `VAR_OUTPUT`, `VAR_IN_OUT`, `VAR`, `VAR_TEMP`, `VAR CONSTANT`; `STRUCT` for a type's or a DB's
    /// single section.
    public static func sectionKeyword(_ kind: InterfaceSection.Kind) -> String {
        switch kind {
        case .input: "VAR_INPUT"
        case .output: "VAR_OUTPUT"
        case .inOut: "VAR_IN_OUT"
        case .static: "VAR"
        case .temp: "VAR_TEMP"
        case .constant: "VAR CONSTANT"
        case .return, .none, .base: "STRUCT"
        }
    }

    /// The section a name stands for: `Input`, `VAR_INPUT`, `in`, `Static`, `VAR`, `Temp`, `VAR CONSTANT`… in any
    /// case; nil for an unknown name.
    public static func sectionKind(named text: String) -> InterfaceSection.Kind? {
        let key = text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: " ", with: "_")
        switch key {
        case "input", "var_input", "in", "inputs": return .input
        case "output", "var_output", "out", "outputs": return .output
        case "inout", "in_out", "var_in_out", "var_inout": return .inOut
        case "static", "var", "stat", "var_stat": return .static
        case "temp", "var_temp", "temporary": return .temp
        case "constant", "var_constant", "const", "constants": return .constant
        case "none", "struct": return InterfaceSection.Kind.none
        default: return nil
        }
    }

    static let sectionOrder: [InterfaceSection.Kind] = [.input, .output, .inOut, .static, .temp, .constant]

    /// A whole declaration section with its members, its lines ending in a line break.
    static func sectionText(_ kind: InterfaceSection.Kind, members: [MemberSpec], forType: Bool) -> String {
        let opening = forType ? "STRUCT" : sectionKeyword(kind) + " "
        let closing = kind == .none || kind == .return || kind == .base ? "END_STRUCT;" : "END_VAR"
        var text = sectionIndent + opening + "\n"
        text += members.flatMap { declarationLines($0, indent: memberIndent) }.map { $0 + "\n" }.joined()
        return text + sectionIndent + closing + "\n"
    }

    private static func nestedLines(_ member: StructMember, indent: String) -> [String] {
        if let layout = structLayout(member.dataType) {
            return ["\(indent)\(formatName(member.name)) : \(layout.head)"]
                + layout.members.flatMap { nestedLines($0, indent: indent + nestedIndent) } + ["\(indent)END_STRUCT;"]
        }
        return ["\(indent)\(formatName(member.name)) : \(member.dataType);"]
    }

    /// How a declaration of a struct (or an array of structs) with members is laid out: `Struct` or
    /// `Array[0..3] of Struct` on the first line, the members below, `END_STRUCT;` last.
    private static func structLayout(_ type: DataType) -> (head: String, members: [StructMember])? {
        switch type {
        case .struct(let members) where !members.isEmpty:
            return ("Struct", members)
        case .array(let dimensions, of: .struct(let members)) where !members.isEmpty:
            return (DataType.array(dimensions, of: .struct([])).description, members)
        default:
            return nil
        }
    }

    /// `"Name"` with any double quote inside left out (names with quotes are refused before).
    static func quotedName(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "") + "\""
    }

    /// A reference to a type in a DB header: an IEC block bare (`TON_TIME`), anything else quoted.
    static func typeReference(_ name: String) -> String {
        if name.hasPrefix("\"") { return name }
        if let system = SystemFBType(name: name) { return system.name }
        return quotedName(name)
    }

    private static func titleLine(_ title: String?) -> String? {
        guard let title = title.map(commentText), !title.isEmpty else { return nil }
        return title.contains("\"") ? "TITLE = \(title)" : "TITLE = \"\(title)\""
    }

    private static func commentLines(_ comment: String?) -> [String] {
        guard let comment, !trimmed(comment).isEmpty else { return [] }
        return normalizedLines(comment).map { "//" + $0 }
    }

    /// The code's lines with `prefix` before each non-blank one; code already indented by one tab throughout
    /// loses that tab first, so a body copied from a TIA source is not indented twice. Trailing blank lines go.
    static func bodyLines(_ code: String, prefix: String) -> [String] {
        var lines = normalizedLines(code)
        while let last = lines.last, trimmed(last).isEmpty { lines.removeLast() }
        while let first = lines.first, trimmed(first).isEmpty { lines.removeFirst() }
        let content = lines.filter { !trimmed($0).isEmpty }
        let tabbed = !content.isEmpty && content.allSatisfy { $0.hasPrefix("\t") }
        return lines.map { line in
            if trimmed(line).isEmpty { return "" }
            return prefix + (tabbed ? String(line.dropFirst()) : line)
        }
    }

    static func normalizedLines(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// A comment on one line: line breaks become spaces.
    static func commentText(_ text: String) -> String {
        trimmed(normalizedLines(text).joined(separator: " "))
    }

    static func trimmed(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

    static func collapsedSpaces(_ text: String) -> String {
        trimmed(text).split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
            .joined(separator: " ")
    }
}

// MARK: - Editing declarations

extension SCLSourceGenerator {
    /// `text` with `member` declared in `section` of the unit `unitName` (the only unit when nil): before the
    /// section's `END_VAR` (`END_STRUCT` for a type or DB), or in a new section placed where TIA puts it.
    public static func addingMember(
        _ member: MemberSpec, to section: InterfaceSection.Kind, unit unitName: String? = nil, in text: String
    ) throws(EngineError) -> String {
        let layout = SCLSourceLayout(text)
        let unit = try layout.unit(named: unitName)
        let structured = unit.kind == .type || unit.kind == .dataBlock
        if unit.kind == .dataBlock, let type = unit.dataBlockType {
            throw EngineError(
                .unsupported, "\(unit.name) is an instance of \(type): its members are those of \(type)")
        }
        let wanted: [DeclarationSection.Kind] = structured ? [.structure, .static] : [declarationKind(section)]
        let candidates = unit.sections.filter { wanted.contains($0.kind) }
        if let target = candidates.first(where: { $0.options.isEmpty || $0.kind == .constant }) ?? candidates.first {
            let close = try layout.closingToken(of: target)
            let closeToken = layout.tokens[close]
            let indent = layout.memberIndent(in: target, closing: closeToken)
            let lines = declarationLines(member, indent: indent)
            let lineStart = layout.lineStart(of: closeToken.start)
            if layout.onlySpaces(lineStart..<closeToken.start) {
                return layout.applying([TextEdit(at: lineStart, insert: lines.map { $0 + "\n" }.joined())])
            }
            let insertion = "\n" + lines.joined(separator: "\n") + "\n" + sectionIndent
            return layout.applying([TextEdit(at: closeToken.start, insert: insertion)])
        }
        // A new section: after the last section TIA writes before it, else before the first one after it, else
        // before BEGIN (or the end keyword).
        let newText = sectionText(structured ? .none : section, members: [member], forType: unit.kind == .type)
        let rank = sectionOrder.firstIndex(of: section) ?? sectionOrder.count
        let ranked = unit.sections.map { ($0, sectionRank($0.kind)) }
        if !structured, let previous = ranked.last(where: { $0.1 < rank })?.0 {
            if let next = layout.nextLineStart(afterEndOf: previous.range.upperBound) {
                return layout.applying([TextEdit(at: next, insert: "\n" + newText)])
            }
            return layout.applying([TextEdit(at: layout.file.bytes.count, insert: "\n\n" + newText)])
        }
        let anchorStart: Int
        if !structured, let next = ranked.first(where: { $0.1 > rank })?.0 {
            anchorStart = next.range.lowerBound
        } else if let begin = layout.firstToken(.keyword(.begin), in: unit.range) {
            anchorStart = layout.tokens[begin].start
        } else if let end = layout.unitEndToken(unit) {
            anchorStart = layout.tokens[end].start
        } else {
            throw EngineError(.invalidInput, "\(unit.name) has no end keyword; cannot add a section")
        }
        let lineStart = layout.lineStart(of: anchorStart)
        if layout.onlySpaces(lineStart..<anchorStart) {
            return layout.applying([TextEdit(at: lineStart, insert: newText + "\n")])
        }
        return layout.applying([TextEdit(at: anchorStart, insert: "\n" + newText)])
    }

    /// `text` without the declaration of `memberName` (its whole line when it stands alone there, comment
    /// included); a name declared together with others (`a, b : Int;`) loses only its name.
    public static func removingMember(
        named memberName: String, unit unitName: String? = nil, in text: String
    ) throws(EngineError) -> String {
        let layout = SCLSourceLayout(text)
        let unit = try layout.unit(named: unitName)
        let (section, member) = try layout.member(named: memberName, in: unit)
        let group = section.members.filter { $0.range.upperBound == member.range.upperBound }
        if group.count > 1 {
            return layout.applying([TextEdit(range: layout.nameRemoval(member, in: group), replacement: "")])
        }
        return layout.applying([TextEdit(range: layout.declarationRemoval(member.range), replacement: "")])
    }

    /// `text` with the declaration of `memberName` changed as `change` says; the rest of the declaration
    /// (attributes, `AT`, layout) stays. A name declared together with others is split into its own declaration.
    public static func updatingMember(
        named memberName: String, _ change: MemberChange, unit unitName: String? = nil, in text: String
    ) throws(EngineError) -> String {
        let layout = SCLSourceLayout(text)
        let unit = try layout.unit(named: unitName)
        let (section, member) = try layout.member(named: memberName, in: unit)
        let parts = try layout.declarationParts(member)
        let group = section.members.filter { $0.range.upperBound == member.range.upperBound }
        if group.count > 1 {
            // Split: the name leaves the shared declaration and gets a line of its own below it.
            let current = layout.currentSpec(member, parts)
            var spec = current
            if let name = change.name { spec.name = name }
            if let type = change.dataType { spec.dataType = type }
            if let value = change.startValue { spec.startValue = value.isEmpty ? nil : value }
            if let comment = change.comment { spec.comment = comment.isEmpty ? nil : comment }
            let first = group.min { $0.range.lowerBound < $1.range.lowerBound }!
            let lineStart = layout.lineStart(of: first.range.lowerBound)
            let indent =
                layout.onlySpaces(lineStart..<first.range.lowerBound)
                ? layout.file.text(in: lineStart..<first.range.lowerBound) : memberIndent
            var lines = declarationLines(spec, indent: indent)
            if let attributes = parts.attributes, spec.dataType == current.dataType, !lines.isEmpty,
                let colon = lines[0].range(of: " : ")
            {
                lines[0].insert(contentsOf: " " + layout.file.text(in: attributes), at: colon.lowerBound)
            }
            let end = layout.tokens[parts.end].trailingTriviaEnd
            let insertAt = layout.nextLineStart(afterEndOf: end) ?? layout.file.bytes.count
            let prefix = insertAt == layout.file.bytes.count && !layout.endsWithLineBreak ? "\n" : ""
            return layout.applying([
                TextEdit(range: layout.nameRemoval(member, in: group), replacement: ""),
                TextEdit(at: insertAt, insert: prefix + lines.map { $0 + "\n" }.joined()),
            ])
        }
        var edits: [TextEdit] = []
        if let name = change.name, name != member.name {
            edits.append(TextEdit(range: member.nameRange, replacement: formatName(name)))
        }
        if let type = change.dataType {
            edits.append(TextEdit(range: parts.typeRange, replacement: collapsedSpaces(type)))
        }
        if let value = change.startValue.map(trimmed) {
            if value.isEmpty {
                if let initial = parts.initialRange {
                    edits.append(TextEdit(range: parts.typeRange.upperBound..<initial.upperBound, replacement: ""))
                }
            } else if let initial = parts.initialRange {
                edits.append(TextEdit(range: initial, replacement: value))
            } else {
                edits.append(TextEdit(at: parts.typeRange.upperBound, insert: " := " + value))
            }
        }
        if let comment = change.comment.map(commentText) {
            edits += layout.commentEdits(comment, after: parts.commentToken)
        }
        return layout.applying(edits)
    }

    /// `text` with `networks` appended to the body of the unit, before its end keyword; a unit without `BEGIN`
    /// gets one.
    public static func appendingNetworks(
        _ networks: [SCLNetworkSpec], unit unitName: String? = nil, in text: String
    ) throws(EngineError) -> String {
        let layout = SCLSourceLayout(text)
        let unit = try layout.unit(named: unitName)
        guard unit.kind != .type, unit.kind != .dataBlock else {
            throw EngineError(
                .unsupported, "\(unit.name) is a \(unit.kind.rawValue): it has no code to add networks to")
        }
        guard unit.isTerminated, let end = layout.unitEndToken(unit) else {
            throw EngineError(.invalidInput, "\(unit.name) is missing \(unit.kind.endKeyword.rawValue)")
        }
        var body = ""
        for network in networks {
            var lines: [String] = []
            if let comment = network.comment.map(commentText), !comment.isEmpty { lines.append("\t// " + comment) }
            if let title = network.title.map(commentText), !title.isEmpty {
                lines.append("\tREGION " + title)
                lines += bodyLines(network.code, prefix: "\t    ")
                lines.append("\tEND_REGION")
            } else {
                lines += bodyLines(network.code, prefix: "\t")
            }
            body += lines.map { $0 + "\n" }.joined()
        }
        if !unit.hasBody { body = "BEGIN\n" + body }
        let endToken = layout.tokens[end]
        let lineStart = layout.lineStart(of: endToken.start)
        if layout.onlySpaces(lineStart..<endToken.start) {
            return layout.applying([TextEdit(at: lineStart, insert: body)])
        }
        return layout.applying([TextEdit(at: endToken.start, insert: "\n" + body)])
    }

    /// `text` with the members of its `STRUCT` (a type's or a global DB's) replaced by `members`; the header and
    /// everything after `END_STRUCT` stay.
    public static func replacingStructMembers(
        _ members: [MemberSpec], unit unitName: String? = nil, in text: String
    ) throws(EngineError) -> String {
        let layout = SCLSourceLayout(text)
        let unit = try layout.unit(named: unitName)
        guard let section = unit.sections.first(where: { $0.kind == .structure }),
            let open = layout.tokenIndex(startingAt: section.range.lowerBound)
        else {
            throw EngineError(.invalidInput, "\(unit.name) has no STRUCT … END_STRUCT section to replace")
        }
        let close = try layout.closingToken(of: section)
        let closeToken = layout.tokens[close]
        let closeLine = layout.lineStart(of: closeToken.start)
        let closeIndent =
            layout.onlySpaces(closeLine..<closeToken.start)
            ? layout.file.text(in: closeLine..<closeToken.start) : sectionIndent
        let lines = members.flatMap { declarationLines($0, indent: closeIndent + nestedIndent) }
        let replacement = lines.map { $0 + "\n" }.joined()
        if let start = layout.nextLineStart(afterEndOf: layout.tokens[open].end), start <= closeLine,
            layout.onlySpaces(closeLine..<closeToken.start)
        {
            return layout.applying([TextEdit(range: start..<closeLine, replacement: replacement)])
        }
        return layout.applying([
            TextEdit(
                range: layout.tokens[open].end..<closeToken.start, replacement: "\n" + replacement + closeIndent)
        ])
    }

    static func declarationKind(_ kind: InterfaceSection.Kind) -> DeclarationSection.Kind {
        switch kind {
        case .input: .input
        case .output: .output
        case .inOut: .inOut
        case .static: .static
        case .temp: .temp
        case .constant: .constant
        case .return, .none, .base: .structure
        }
    }

    static func sectionRank(_ kind: DeclarationSection.Kind) -> Int {
        switch kind {
        case .input: 0
        case .output: 1
        case .inOut: 2
        case .static: 3
        case .temp: 4
        case .constant: 5
        case .structure: 3
        }
    }
}

/// A replacement of a byte range of a source.
struct TextEdit {
    var range: Range<Int>
    var replacement: String

    init(range: Range<Int>, replacement: String) {
        self.range = range
        self.replacement = replacement
    }

    init(at offset: Int, insert text: String) {
        self.range = offset..<offset
        self.replacement = text
    }
}

/// The tokens and units of one source text, with the byte positions the editing functions need.
struct SCLSourceLayout {
    let file: SourceFile
    let stream: TokenStream
    let tokens: [Token]
    let units: [SCLUnit]

    init(_ text: String) {
        let source = SourceFile(path: "source.scl", text: text)
        let (tokenStream, scan) = SCLUnitScanner.scan(source)
        file = source
        stream = tokenStream
        tokens = tokenStream.tokens
        units = scan.units
    }

    var endsWithLineBreak: Bool { file.bytes.last == 0x0A || file.bytes.last == 0x0D }

    /// The unit named `name`, or the only unit when `name` is nil.
    func unit(named name: String?) throws(EngineError) -> SCLUnit {
        if let name {
            guard let unit = units.first(where: { $0.name.caseInsensitiveEquals(name) }) else {
                throw EngineError(.notFound, "the source holds no block or type named \(name)")
            }
            return unit
        }
        guard units.count == 1 else {
            throw EngineError(.conflict, "the source holds \(units.count) units; name the one to edit")
        }
        return units[0]
    }

    /// The member `name` among the unit's declarations (top level), with its section.
    func member(named name: String, in unit: SCLUnit) throws(EngineError) -> (DeclarationSection, SCLSyntax.Member) {
        for section in unit.sections {
            if let member = section.members.first(where: { $0.name.caseInsensitiveEquals(name) }) {
                return (section, member)
            }
        }
        throw EngineError(.notFound, "\(unit.name) declares no member \(name)")
    }

    // MARK: Positions

    func tokenIndex(startingAt offset: Int) -> Int? {
        var low = 0
        var high = tokens.count
        while low < high {
            let mid = (low + high) / 2
            if tokens[mid].start < offset { low = mid + 1 } else { high = mid }
        }
        guard low < tokens.count, tokens[low].start == offset, tokens[low].kind != .endOfFile else { return nil }
        return low
    }

    func tokenIndex(endingAt offset: Int) -> Int? {
        var low = 0
        var high = tokens.count
        while low < high {
            let mid = (low + high) / 2
            if tokens[mid].end < offset { low = mid + 1 } else { high = mid }
        }
        guard low < tokens.count, tokens[low].end == offset, tokens[low].kind != .endOfFile else { return nil }
        return low
    }

    func firstToken(_ kind: TokenKind, in range: Range<Int>) -> Int? {
        guard var index = tokens.firstIndex(where: { $0.start >= range.lowerBound }) else { return nil }
        while index < tokens.count, tokens[index].start < range.upperBound {
            if tokens[index].kind == kind { return index }
            index += 1
        }
        return nil
    }

    /// The unit's END_ keyword.
    func unitEndToken(_ unit: SCLUnit) -> Int? {
        guard let index = tokenIndex(endingAt: unit.range.upperBound),
            tokens[index].kind == .keyword(unit.kind.endKeyword)
        else { return nil }
        return index
    }

    /// The `END_VAR` of a VAR section or the `END_STRUCT` of a STRUCT section.
    func closingToken(of section: DeclarationSection) throws(EngineError) -> Int {
        let keyword: Keyword = section.kind == .structure ? .endStruct : .endVar
        if var index = tokenIndex(endingAt: section.range.upperBound) {
            while index >= 0, tokens[index].start >= section.range.lowerBound {
                if tokens[index].kind == .keyword(keyword) { return index }
                if section.kind != .structure { break }
                index -= 1
            }
        }
        throw EngineError(.invalidInput, "a \(section.kind.rawValue) section is missing \(keyword.rawValue)")
    }

    /// Where the line holding `offset` starts.
    func lineStart(of offset: Int) -> Int {
        file.lineStarts[file.line(of: offset) - 1]
    }

    /// Where the line after the one holding the byte before `end` starts (`end` being the end of a token or of
    /// its trailing trivia); nil on the last line.
    func nextLineStart(afterEndOf end: Int) -> Int? {
        let line = file.line(of: max(0, end - 1))
        return line < file.lineStarts.count ? file.lineStarts[line] : nil
    }

    /// Whether the bytes are all spaces and tabs.
    func onlySpaces(_ range: Range<Int>) -> Bool {
        guard range.lowerBound <= range.upperBound, range.upperBound <= file.bytes.count else { return false }
        return file.bytes[range].allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }

    /// The indentation of the section's first member when it starts its line, else the closing keyword's
    /// indentation and three spaces more.
    func memberIndent(in section: DeclarationSection, closing: Token) -> String {
        if let first = section.members.first {
            let start = lineStart(of: first.range.lowerBound)
            if onlySpaces(start..<first.range.lowerBound) { return file.text(in: start..<first.range.lowerBound) }
        }
        let start = lineStart(of: closing.start)
        let base = onlySpaces(start..<closing.start) ? file.text(in: start..<closing.start) : ""
        return base + SCLSourceGenerator.nestedIndent
    }

    // MARK: Declarations

    /// The pieces of a declaration `name {attributes} AT x : type := value;`.
    struct DeclarationParts {
        var attributes: Range<Int>?
        var typeRange: Range<Int>
        var initialRange: Range<Int>?
        /// The `;` (or the last token when it is missing).
        var end: Int
        /// The token whose trailing comment is the member's comment.
        var commentToken: Int
    }

    func declarationParts(_ member: SCLSyntax.Member) throws(EngineError) -> DeclarationParts {
        guard let nameIndex = tokenIndex(startingAt: member.nameRange.lowerBound),
            let end = tokenIndex(endingAt: member.range.upperBound)
        else { throw EngineError(.invalidInput, "cannot find the declaration of \(member.name) in the source") }
        let hasSemicolon = tokens[end].kind == .semicolon
        let last = hasSemicolon ? end - 1 : end
        var index = nameIndex + 1
        var attributes: Range<Int>?
        var braces = 0
        var braceStart = 0
        while index <= last {
            let kind = tokens[index].kind
            if kind == .leftBrace {
                if braces == 0 { braceStart = tokens[index].start }
                braces += 1
            } else if kind == .rightBrace {
                braces = max(0, braces - 1)
                if braces == 0, attributes == nil { attributes = braceStart..<tokens[index].end }
            } else if kind == .colon, braces == 0 {
                break
            }
            index += 1
        }
        guard index <= last, tokens[index].kind == .colon, index + 1 <= last else {
            throw EngineError(.invalidInput, "the declaration of \(member.name) has no type")
        }
        let typeStart = index + 1
        var depth = 0
        index = typeStart
        while index <= last {
            switch tokens[index].kind {
            case .leftParen, .leftBracket, .leftBrace, .keyword(.struct): depth += 1
            case .rightParen, .rightBracket, .rightBrace, .keyword(.endStruct): depth = max(0, depth - 1)
            default: break
            }
            if tokens[index].kind == .assign, depth == 0 { break }
            index += 1
        }
        let typeEnd = index - 1
        guard typeEnd >= typeStart else {
            throw EngineError(.invalidInput, "the declaration of \(member.name) has no type")
        }
        var initial: Range<Int>?
        if index <= last, tokens[index].kind == .assign {
            if index + 1 <= last {
                initial = tokens[index + 1].start..<tokens[last].end
            } else {
                initial = tokens[index].end..<tokens[index].end
            }
        }
        var commentToken = end
        if tokens[typeStart].kind == .keyword(.struct), !hasComment(end), hasComment(typeStart) {
            commentToken = typeStart
        }
        return DeclarationParts(
            attributes: attributes, typeRange: tokens[typeStart].start..<tokens[typeEnd].end, initialRange: initial,
            end: end, commentToken: commentToken)
    }

    func hasComment(_ token: Int) -> Bool {
        stream.trailingTrivia(of: tokens[token]).contains(where: \.isComment)
    }

    /// What the source declares for `member` now, as a spec.
    func currentSpec(_ member: SCLSyntax.Member, _ parts: DeclarationParts) -> MemberSpec {
        MemberSpec(
            name: member.name, dataType: file.text(in: parts.typeRange),
            startValue: parts.initialRange.map { file.text(in: $0) },
            comment: stream.trailingComment(of: tokens[parts.commentToken]))
    }

    /// The bytes to delete for a whole declaration: its lines when it stands alone on them (with the comment
    /// after it), else the declaration and the spaces after it.
    func declarationRemoval(_ range: Range<Int>) -> Range<Int> {
        let end = tokenIndex(endingAt: range.upperBound)
        let trailingEnd = end.map { tokens[$0].trailingTriviaEnd } ?? range.upperBound
        let start = lineStart(of: range.lowerBound)
        let trailing = file.bytes[range.upperBound..<trailingEnd]
        let restOfLineFree =
            !trailing.contains(0x0A) && !trailing.contains(0x0D)
            && (trailingEnd == file.bytes.count || file.bytes[trailingEnd] == 0x0A || file.bytes[trailingEnd] == 0x0D)
        if onlySpaces(start..<range.lowerBound), restOfLineFree {
            return start..<lineBreakEnd(trailingEnd)
        }
        if restOfLineFree { return range.lowerBound..<trailingEnd }
        var stop = range.upperBound
        while stop < file.bytes.count, file.bytes[stop] == 0x20 || file.bytes[stop] == 0x09 { stop += 1 }
        return range.lowerBound..<stop
    }

    /// The bytes to delete for one name of `a, b, c : Int;`: the name and the comma after it, or for the last name
    /// the comma before it.
    func nameRemoval(_ member: SCLSyntax.Member, in group: [SCLSyntax.Member]) -> Range<Int> {
        let sorted = group.sorted { $0.nameRange.lowerBound < $1.nameRange.lowerBound }
        let position = sorted.firstIndex { $0.nameRange == member.nameRange } ?? 0
        if position + 1 < sorted.count {
            return member.nameRange.lowerBound..<sorted[position + 1].nameRange.lowerBound
        }
        return sorted[position - 1].nameRange.upperBound..<member.nameRange.upperBound
    }

    /// Edits setting the comment after `token` to `comment` (removing it when empty).
    func commentEdits(_ comment: String, after index: Int) -> [TextEdit] {
        let token = tokens[index]
        let pieces = stream.trailingTrivia(of: token).filter(\.isComment)
        let trailingEnd = token.trailingTriviaEnd
        let lineFree =
            trailingEnd == file.bytes.count || file.bytes[trailingEnd] == 0x0A || file.bytes[trailingEnd] == 0x0D
        if comment.isEmpty {
            guard let first = pieces.first, let last = pieces.last else { return [] }
            if lineFree { return [TextEdit(range: token.end..<trailingEnd, replacement: "")] }
            return [TextEdit(range: first.range.lowerBound..<last.range.upperBound, replacement: "")]
        }
        let text =
            lineFree
            ? "// " + comment
            : "(* " + comment.replacingOccurrences(of: "*)", with: "* )") + " *)"
        if let first = pieces.first, let last = pieces.last {
            return [TextEdit(range: first.range.lowerBound..<last.range.upperBound, replacement: text)]
        }
        if lineFree { return [TextEdit(range: token.end..<trailingEnd, replacement: "   " + text)] }
        return [TextEdit(at: token.end, insert: " " + text)]
    }

    /// The offset after the line break at `offset` (itself at the end of the file).
    func lineBreakEnd(_ offset: Int) -> Int {
        guard offset < file.bytes.count else { return offset }
        if file.bytes[offset] == 0x0D {
            return offset + 1 < file.bytes.count && file.bytes[offset + 1] == 0x0A ? offset + 2 : offset + 1
        }
        return file.bytes[offset] == 0x0A ? offset + 1 : offset
    }

    /// The text with `edits` applied (ranges must not overlap).
    func applying(_ edits: [TextEdit]) -> String {
        var bytes = file.bytes
        for edit in edits.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            bytes.replaceSubrange(edit.range, with: Array(edit.replacement.utf8))
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
