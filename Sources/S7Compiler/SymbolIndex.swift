import Foundation
public import S7Model

/// All global names of one PLC: tags, user constants, blocks (with DBs) and PLC data types, looked up
/// case-insensitively as S7 does, plus resolution of structured operands through interfaces and data types.
///
/// Example: with a DB `"Recipe"` holding `fill : "typeFill"` and `typeFill` holding `volume : Real`,
/// `resolve("\"Recipe\".fill.volume")` gives the type text `Real`.
public struct SymbolIndex: Sendable {
    public enum Symbol: Sendable, Hashable {
        case tag(Tag, table: String)
        case constant(UserConstant, table: String)
        case block(Block)
        case dataType(PlcDataType)
    }

    /// A name used twice where S7 wants it once (tags, constants and blocks share one namespace).
    public struct Conflict: Sendable, Hashable, CustomStringConvertible {
        public var name: String
        public var first: String
        public var second: String
        public var description: String { "\"\(name)\" is defined by \(first) and by \(second)" }
    }

    public private(set) var globals: [String: Symbol] = [:]
    public private(set) var dataTypes: [String: PlcDataType] = [:]
    public private(set) var conflicts: [Conflict] = []

    public init(device: Device, library: ProjectLibrary = ProjectLibrary()) {
        for table in device.tagTables {
            for tag in table.tags { add(tag.name, .tag(tag, table: table.name)) }
            for constant in table.constants { add(constant.name, .constant(constant, table: table.name)) }
        }
        for block in device.blocks { add(block.name, .block(block)) }
        for type in library.dataTypes + device.dataTypes {
            let key = type.name.lowercased()
            if let existing = dataTypes[key], existing.file != type.file {
                conflicts.append(
                    Conflict(
                        name: type.name, first: "data type in \(existing.file.path)",
                        second: "data type in \(type.file.path)"))
            }
            dataTypes[key] = type
        }
        var numbers: [String: Block] = [:]
        for block in device.blocks {
            guard block.number != nil else { continue }
            let key = block.displayNumber
            if let first = numbers[key] {
                conflicts.append(
                    Conflict(name: key, first: "block \"\(first.name)\"", second: "block \"\(block.name)\""))
            } else {
                numbers[key] = block
            }
        }
    }

    private mutating func add(_ name: String, _ symbol: Symbol) {
        let key = name.lowercased()
        if let existing = globals[key] {
            conflicts.append(
                Conflict(name: name, first: SymbolIndex.describe(existing), second: SymbolIndex.describe(symbol)))
            return
        }
        globals[key] = symbol
    }

    static func describe(_ symbol: Symbol) -> String {
        switch symbol {
        case .tag(_, let table): "a tag in table \"\(table)\""
        case .constant(_, let table): "a constant in table \"\(table)\""
        case .block(let block): "block \(block.displayNumber)"
        case .dataType(let type): "data type in \(type.file.path)"
        }
    }

    public func symbol(_ name: String) -> Symbol? { globals[name.lowercased()] }

    public func dataType(_ name: String) -> PlcDataType? { dataTypes[SymbolIndex.unquoted(name).lowercased()] }

    // MARK: Resolution of structured operands

    public enum ResolveError: Error, Sendable, Hashable, CustomStringConvertible {
        case unknownGlobal(String)
        case unknownMember(String, in: String)
        case notStructured(String, type: String)
        case malformed(String)

        public var description: String {
            switch self {
            case .unknownGlobal(let name): "unknown tag or block \"\(name)\""
            case .unknownMember(let member, let path): "\(path) has no member '\(member)'"
            case .notStructured(let path, let type): "\(path) is of type \(type) and has no members"
            case .malformed(let text): "cannot read the operand '\(text)'"
            }
        }
    }

    /// The type text of a symbolic operand: `"Tag"`, `"DB".a.b[3].c`, `"IDB".timer.Q`.
    public func resolve(_ operand: String) throws(ResolveError) -> String {
        let parts = try SymbolIndex.split(operand)
        guard let head = parts.first else { throw .malformed(operand) }
        guard let symbol = symbol(head) else { throw .unknownGlobal(head) }
        var path = "\"\(head)\""
        var members: [Member]
        var type: String
        switch symbol {
        case .tag(let tag, _):
            type = tag.dataType
            members = []
        case .constant(let constant, _):
            type = constant.dataType
            members = []
        case .block(let block):
            guard block.kind.isDataBlock else {
                if parts.count == 1 { return block.kind.rawValue }
                throw .notStructured(path, type: block.kind.rawValue)
            }
            type = block.name
            members = dbMembers(block)
        case .dataType(let dataType):
            type = dataType.name
            members = dataType.members
        }
        for part in parts.dropFirst() {
            let name = SymbolIndex.stripIndex(part)
            if members.isEmpty { members = structuredMembers(of: type) }
            guard !members.isEmpty else { throw .notStructured(path, type: type) }
            guard let member = members.first(where: { $0.name.caseInsensitiveEquals(name) }) else {
                throw .unknownMember(name, in: path)
            }
            path += "." + part
            type = part.contains("[") ? SymbolIndex.elementType(of: member.dataType) : member.dataType
            members =
                part.contains("[") ? [] : (member.members.isEmpty ? member.sections.flatMap(\.members) : member.members)
        }
        return type
    }

    /// Members of a DB: its own interface, or those of the FB or data type it is an instance of.
    private func dbMembers(_ block: Block) -> [Member] {
        let own = block.interface.allMembers
        if !own.isEmpty { return own }
        guard let of = block.instanceOf else { return [] }
        if case .block(let fb) = symbol(of) {
            return fb.interface.sections.filter { $0.kind != .temp && $0.kind != .constant }.flatMap(\.members)
        }
        return dataType(of)?.members ?? []
    }

    func structuredMembers(of type: String) -> [Member] {
        if let udt = dataType(type) { return udt.members }
        if case .block(let fb) = symbol(SymbolIndex.unquoted(type)), fb.kind == .functionBlock {
            return fb.interface.sections.filter { $0.kind != .temp && $0.kind != .constant }.flatMap(\.members)
        }
        if let system = SystemTypes.members[type.uppercased()] { return system }
        return []
    }

    // MARK: Text helpers

    static func unquoted(_ name: String) -> String {
        name.count >= 2 && name.hasPrefix("\"") && name.hasSuffix("\"") ? String(name.dropFirst().dropLast()) : name
    }

    static func stripIndex(_ part: String) -> String {
        part.firstIndex(of: "[").map { String(part[..<$0]) } ?? part
    }

    /// `Array[0..7] of "typeBottle"` → `"typeBottle"`.
    static func elementType(of arrayType: String) -> String {
        guard let range = arrayType.range(of: " of ", options: .caseInsensitive) else { return arrayType }
        return String(arrayType[range.upperBound...]).trimmingCharacters(in: .whitespaces)
    }

    /// Splits `"DB 1".a."b c"[2].d` into `DB 1`, `a`, `b c[2]`, `d` (quotes removed, indexes kept).
    static func split(_ operand: String) throws(ResolveError) -> [String] {
        var parts: [String] = []
        var current = ""
        var inQuotes = false
        var depth = 0
        for character in operand.trimmingCharacters(in: .whitespaces) {
            switch character {
            case "\"" where depth == 0: inQuotes.toggle()
            case "[" where !inQuotes:
                depth += 1
                current.append(character)
            case "]" where !inQuotes:
                depth -= 1
                current.append(character)
            case "." where !inQuotes && depth == 0:
                guard !current.isEmpty else { throw .malformed(operand) }
                parts.append(current)
                current = ""
            default: current.append(character)
            }
        }
        guard !inQuotes, depth == 0, !current.isEmpty else { throw .malformed(operand) }
        parts.append(current)
        return parts
    }
}
