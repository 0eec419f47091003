import Foundation
import S7Diagnostics
public import S7Model
import SCLSyntax

/// What an SCL, `.db` or `.udt` source holds: its blocks and data types, and the errors that kept a unit out.
public struct SCLSourceResult: Sendable {
    public struct Problem: Sendable, Hashable {
        public var line: Int?
        public var column: Int?
        public var message: String
    }

    public var objects: [SimaticMLObject]
    public var problems: [Problem]
}

/// Reads external sources (`.scl`, `.db`, `.udt`) into project objects with the SCL unit scanner: each
/// FUNCTION_BLOCK, FUNCTION, ORGANIZATION_BLOCK and DATA_BLOCK becomes a block, each TYPE a PLC data type, with
/// its declaration sections as the interface. The block keeps its source text for editing and compiling.
public enum SCLSourceReader {
    public static func read(bytes: [UInt8], file: SourceFileRef, group: [String]) -> SCLSourceResult {
        let source = SourceFile(path: file.path, bytes: bytes)
        let (tokens, scan) = SCLUnitScanner.scan(source)
        let parsed = SCLParser.parse(tokens)
        let structures = NestedStructures(parsed)
        var problems: [SCLSourceResult.Problem] = []
        for diagnostic in scan.allDiagnostics where diagnostic.severity == .error {
            let location = source.location(of: diagnostic.range.start)
            problems.append(
                SCLSourceResult.Problem(
                    line: location.line, column: location.column,
                    message: "error[\(diagnostic.code.rawValue)]: \(diagnostic.message)"))
        }
        let bodyStart = source.hasByteOrderMark ? 3 : 0
        let wholeText = String(decoding: bytes[bodyStart...], as: UTF8.self)
        var objects: [SimaticMLObject] = []
        for unit in scan.units where unit.isTerminated && !unit.name.isEmpty {
            let text = scan.units.count == 1 ? wholeText : source.text(in: unit.range)
            var object = object(unit, text: text, file: file, group: group, structures: structures)
            if scan.units.count > 1, case .block(var block) = object {
                block.sourceStartLine = source.location(of: unit.range.lowerBound).line
                object = .block(block)
            }
            objects.append(object)
        }
        if objects.isEmpty && problems.isEmpty {
            problems.append(SCLSourceResult.Problem(message: "the source holds no block or type (only comments)"))
        }
        return SCLSourceResult(objects: objects, problems: problems)
    }

    static func object(
        _ unit: SCLUnit, text: String, file: SourceFileRef, group: [String], structures: NestedStructures
    ) -> SimaticMLObject {
        var attributes: [String: String] = [:]
        var title = MultilingualText()
        for attribute in unit.attributes {
            let value = unquoted(attribute.value)
            switch attribute.keyword {
            case .title: title = MultilingualText(value)
            case .author: attributes["HeaderAuthor"] = value
            case .family: attributes["HeaderFamily"] = value
            case .name: attributes["HeaderName"] = value
            case .version: attributes["HeaderVersion"] = value
            default: attributes[attribute.keyword.rawValue] = value.isEmpty ? "TRUE" : value
            }
        }
        for flag in unit.flags { attributes[flag.rawValue] = "TRUE" }
        for pragma in unit.pragmas { attributes[pragma.key] = pragma.value.map(unquoted) ?? "TRUE" }
        let isTypeOrDB = unit.kind == .type || unit.kind == .dataBlock
        var sections = unit.sections.enumerated().map { index, section in
            InterfaceSection(
                kind: kind(section.kind, isTypeOrDB: isTypeOrDB, isType: unit.kind == .type),
                members: section.members.map { scanned in
                    var converted = member(scanned)
                    converted.members = structures.members(unit: unit.name, section: index, name: scanned.name)
                    converted.remanence = remanence(section.options)
                    return converted
                })
        }
        // `VAR` and `VAR RETAIN` are one Static section whose members carry their remanence, as in SimaticML.
        var merged: [InterfaceSection] = []
        for section in sections {
            if let index = merged.firstIndex(where: { $0.kind == section.kind }) {
                merged[index].members += section.members
            } else {
                merged.append(section)
            }
        }
        sections = merged
        if unit.kind == .type {
            return .dataType(
                PlcDataType(
                    name: unit.name, group: group, file: file, title: title,
                    members: sections.flatMap(\.members), sourceText: text))
        }
        let blockKind: BlockKind
        let language: BlockLanguage
        switch unit.kind {
        case .functionBlock: (blockKind, language) = (.functionBlock, .scl)
        case .function: (blockKind, language) = (.function, .scl)
        case .organizationBlock: (blockKind, language) = (.organizationBlock, .scl)
        default: (blockKind, language) = (unit.dataBlockType == nil ? .globalDB : .instanceDB, .db)
        }
        if unit.kind == .function {
            sections.append(
                InterfaceSection(
                    kind: .return, members: [S7Model.Member(name: "Ret_Val", dataType: unit.returnType ?? "Void")]))
        }
        return .block(
            Block(
                name: unit.name, kind: blockKind, language: language, group: group, file: file, title: title,
                interface: Interface(sections: sections), instanceOf: unit.dataBlockType.map(unquoted),
                returnType: unit.kind == .function ? (unit.returnType ?? "Void") : nil, attributes: attributes,
                sourceText: text))
    }

    static func kind(_ kind: DeclarationSection.Kind, isTypeOrDB: Bool, isType: Bool) -> InterfaceSection.Kind {
        switch kind {
        case .input: .input
        case .output: .output
        case .inOut: .inOut
        case .temp: .temp
        case .static: .static
        case .constant: .constant
        case .structure: isType ? .none : .static
        }
    }

    /// `VAR RETAIN` → `Retain`, `VAR NON_RETAIN` → `NonRetain`, `VAR DB_SPECIFIC` → `SetInIDB` (SimaticML's words);
    /// nil for a section without one, whose members follow the block (`Block.isRetainByDefault`).
    static func remanence(_ options: [Keyword]) -> String? {
        if options.contains(.retain) { return "Retain" }
        if options.contains(.nonRetain) { return "NonRetain" }
        if options.contains(.dbSpecific) { return "SetInIDB" }
        return nil
    }

    static func member(_ member: SCLSyntax.Member) -> S7Model.Member {
        var attributes: [String: String] = [:]
        for pragma in member.attributes { attributes[pragma.key] = pragma.value.map(unquoted) ?? "TRUE" }
        if let overlay = member.overlays { attributes["AT"] = overlay }
        return S7Model.Member(
            name: member.name, dataType: member.typeText, startValue: member.initialValue, attributes: attributes,
            comment: MultilingualText(member.comment ?? ""))
    }

    /// `'TRUE'` → `TRUE`, `"Cyclic Interrupt"` → `Cyclic Interrupt`.
    static func unquoted(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.count >= 2, let first = trimmed.first, first == trimmed.last, first == "'" || first == "\"" else {
            return trimmed
        }
        return String(trimmed.dropFirst().dropLast())
    }
}

/// Members of STRUCTs nested in declarations, read from the parser's tree (the unit scanner reads one level).
///
/// Example: `Counters : Struct BottlesIn : DInt; END_STRUCT;` in `"LineData"` gives `Counters` the member
/// `BottlesIn : DInt`, so `"LineData".Counters.BottlesIn` resolves.
struct NestedStructures {
    let result: SCLParseResult

    init(_ result: SCLParseResult) {
        self.result = result
    }

    func members(unit name: String, section index: Int, name member: String) -> [S7Model.Member] {
        guard let unit = result.units.first(where: { $0.name?.text == name }), index < unit.sections.count,
            let declaration = unit.sections[index].declarations.first(where: { $0.names.contains { $0.text == member } }
            )
        else { return [] }
        return nested(declaration.type)
    }

    /// The members of a STRUCT type, also inside arrays of STRUCT; none for other types.
    private func nested(_ type: SCLTypeSpec) -> [S7Model.Member] {
        switch type {
        case .structure(let declarations, _): declarations.flatMap(convert)
        case .array(_, let element, _): nested(element)
        default: []
        }
    }

    private func convert(_ declaration: SCLVariableDeclaration) -> [S7Model.Member] {
        let file = result.file
        var attributes: [String: String] = [:]
        for entry in declaration.attributes?.entries ?? [] {
            attributes[entry.key] = entry.value.map(SCLSourceReader.unquoted) ?? "TRUE"
        }
        let typeText: String =
            switch declaration.type {
            case .structure: "Struct"
            default: file.text(in: declaration.type.range)
            }
        return declaration.names.map { name in
            S7Model.Member(
                name: name.text, dataType: typeText,
                startValue: declaration.initialValue.map { file.text(in: $0.range) },
                attributes: attributes, comment: MultilingualText(comment(after: declaration.range) ?? ""),
                members: nested(declaration.type))
        }
    }

    /// The line comment that ends the declaration's line, if any.
    private func comment(after range: Range<Int>) -> String? {
        let tokens = result.tokens.tokens
        var low = 0
        var high = tokens.count
        while low < high {
            let mid = (low + high) / 2
            if tokens[mid].end < range.upperBound { low = mid + 1 } else { high = mid }
        }
        guard low < tokens.count else { return nil }
        var token = tokens[low]
        if low + 1 < tokens.count, tokens[low + 1].kind == .semicolon { token = tokens[low + 1] }
        return result.tokens.trailingComment(of: token)
    }
}
