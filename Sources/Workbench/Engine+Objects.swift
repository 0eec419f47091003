import Foundation
public import S7Model
import SimaticML

/// What the project tree (and the REST API) can create from a template.
public enum ObjectTemplate: String, Sendable, CaseIterable {
    case organizationBlock = "OB"
    case functionBlock = "FB"
    case function = "FC"
    case dataBlock = "DB"
    case dataType = "UDT"
    case tagTable = "TagTable"
    case watchTable = "WatchTable"
    case forceTable = "ForceTable"

    /// How TIA names it in "Add new …".
    public var title: String {
        switch self {
        case .organizationBlock: "organization block"
        case .functionBlock: "function block"
        case .function: "function"
        case .dataBlock: "global data block"
        case .dataType: "PLC data type"
        case .tagTable: "tag table"
        case .watchTable: "watch table"
        case .forceTable: "force table"
        }
    }

    /// The SCL source a new block or data type starts from, as TIA's "Add new block" writes it.
    func source(named name: String) -> String? {
        switch self {
        case .organizationBlock:
            Self.block("ORGANIZATION_BLOCK \"\(name)\"", sections: ["VAR_TEMP"], end: "END_ORGANIZATION_BLOCK")
        case .functionBlock:
            Self.block(
                "FUNCTION_BLOCK \"\(name)\"", sections: ["VAR_INPUT", "VAR_OUTPUT", "VAR_IN_OUT", "VAR", "VAR_TEMP"],
                end: "END_FUNCTION_BLOCK")
        case .function:
            Self.block(
                "FUNCTION \"\(name)\" : Void", sections: ["VAR_INPUT", "VAR_OUTPUT", "VAR_IN_OUT", "VAR_TEMP"],
                end: "END_FUNCTION")
        case .dataBlock:
            Self.block("DATA_BLOCK \"\(name)\"", options: ["NON_RETAIN"], sections: ["VAR"], end: "END_DATA_BLOCK")
        case .dataType:
            "TYPE \"\(name)\"\nVERSION : 0.1\n   STRUCT\n   END_STRUCT;\n\nEND_TYPE\n\n"
        case .tagTable, .watchTable, .forceTable: nil
        }
    }

    /// A block source: header, optimized access, version, empty declaration sections and an empty body.
    private static func block(_ header: String, options: [String] = [], sections: [String], end: String) -> String {
        let declarations = sections.map { "   \($0) \n   END_VAR\n" }.joined(separator: "\n")
        return ([header, "{ S7_Optimized_Access := 'TRUE' }", "VERSION : 0.1"] + options).joined(separator: "\n")
            + "\n" + declarations + "\n\nBEGIN\n\n\n" + end + "\n\n"
    }

    var fileExtension: String {
        switch self {
        case .organizationBlock, .functionBlock, .function: "scl"
        case .dataBlock: "db"
        case .dataType: "udt"
        case .tagTable, .watchTable, .forceTable: "xml"
        }
    }

    var folder: String {
        switch self {
        case .organizationBlock, .functionBlock, .function, .dataBlock: VCILayout.programBlocks
        case .dataType: VCILayout.plcDataTypes
        case .tagTable: VCILayout.plcTags
        case .watchTable, .forceTable: VCILayout.watchAndForceTables
        }
    }

    var format: SourceFileRef.Format {
        switch self {
        case .organizationBlock, .functionBlock, .function: .sclSource
        case .dataBlock: .dbSource
        case .dataType: .udtSource
        case .tagTable, .watchTable, .forceTable: .simaticML
        }
    }
}

/// A project object the tree shows, by kind and name.
public enum ObjectReference: Sendable, Hashable {
    case block(String)
    case dataType(String)
    case tagTable(String)
    case watchTable(String)

    public var name: String {
        switch self {
        case .block(let name), .dataType(let name), .tagTable(let name), .watchTable(let name): name
        }
    }

    public var kind: String {
        switch self {
        case .block: "block"
        case .dataType: "dataType"
        case .tagTable: "tagTable"
        case .watchTable: "watchTable"
        }
    }
}

/// A tag table row the engine refused, by its position in the table (1-based, as the grid numbers rows).
public struct TagTableProblem: Sendable, Hashable, CustomStringConvertible {
    public var row: Int
    public var column: String
    public var message: String

    public var description: String { "row \(row), \(column): \(message)" }
}

extension Engine {
    // MARK: Create, rename, delete

    /// Creates a block, data type, tag table or watch/force table from its template, in `group` (block groups and
    /// data type folders). Returns the path of the new file; it is written on the next save.
    @discardableResult
    public func create(
        _ template: ObjectTemplate, named name: String, device deviceName: String, group: [String] = [],
        sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) -> String {
        var session = try self.session(sessionID)
        let deviceIndex = try self.deviceIndex(deviceName, in: session)
        let device = session.project.devices[deviceIndex]
        try Self.validateName(name, what: template.title)
        try Self.checkFree(name, for: template, in: device)
        let path = Self.path(for: template, named: name, group: group, in: device)
        let file = SourceFileRef(path: path, format: template.format)
        switch template {
        case .organizationBlock, .functionBlock, .function, .dataBlock, .dataType:
            let source = template.source(named: name)!
            let read = SCLSourceReader.read(bytes: Array(source.utf8), file: file, group: group)
            for object in read.objects {
                switch object {
                case .block(var block):
                    block.sourceText = source
                    var blocks = session.project.devices[deviceIndex].blocks + [block]
                    BlockNumbering.assign(&blocks)
                    session.project.devices[deviceIndex].blocks = blocks
                case .dataType(var type):
                    type.sourceText = source
                    session.project.devices[deviceIndex].dataTypes.append(type)
                default: break
                }
            }
        case .tagTable:
            session.project.devices[deviceIndex].tagTables.append(TagTable(name: name, group: group, file: file))
        case .watchTable, .forceTable:
            session.project.devices[deviceIndex].watchTables.append(
                WatchTable(name: name, kind: template == .watchTable ? .watch : .force, group: group, file: file))
        }
        session.dirtyFiles.insert(path)
        session.removedFiles.remove(path)
        sessions[session.id] = session
        record(
            session, actor: actor, action: "object.create", target: "\(device.name)/\(name)",
            detail: template.rawValue, outcome: "ok")
        hub.publish(.objectChanged(sessionID: session.id, kind: template.rawValue, device: device.name, name: name))
        return path
    }

    /// Renames an object and its file. Blocks and data types must come from SCL sources (their header names them);
    /// uses of the old name elsewhere are not rewritten, so the next compile lists them.
    public func rename(
        _ object: ObjectReference, to newName: String, device deviceName: String, sessionID: String? = nil,
        actor: String? = nil
    ) throws(EngineError) {
        var session = try self.session(sessionID)
        let deviceIndex = try self.deviceIndex(deviceName, in: session)
        var device = session.project.devices[deviceIndex]
        try Self.validateName(newName, what: object.kind)
        let oldPath = try filePath(of: object, in: device)
        guard !newName.caseInsensitiveEquals(object.name) || newName != object.name else { return }
        if !newName.caseInsensitiveEquals(object.name) { try Self.checkFree(newName, for: object, in: device) }
        let sharing = Self.objectCount(in: oldPath, of: device)
        guard sharing <= 1 else {
            throw EngineError(.conflict, "\(oldPath) holds \(sharing) objects; rename them in the file itself")
        }
        let extensionPart = (oldPath as NSString).pathExtension
        let newPath = (oldPath as NSString).deletingLastPathComponent + "/" + newName + "." + extensionPart
        snapshot(session, kind: object.kind, path: oldPath, reason: "before renaming \(object.name)", actor: actor)
        switch object {
        case .block(let name):
            let index = device.blocks.firstIndex { $0.name.caseInsensitiveEquals(name) }!
            guard let text = device.blocks[index].sourceText, device.blocks[index].file.format != .simaticML else {
                throw EngineError(.unsupported, "\(name) is a SimaticML block; s7wb renames blocks from SCL sources")
            }
            device.blocks[index].sourceText = try Self.renamedHeader(text, from: name, to: newName)
            device.blocks[index].name = newName
            device.blocks[index].file.path = newPath
        case .dataType(let name):
            let index = device.dataTypes.firstIndex { $0.name.caseInsensitiveEquals(name) }!
            guard let text = device.dataTypes[index].sourceText else {
                throw EngineError(.unsupported, "\(name) is a SimaticML data type; s7wb renames .udt sources")
            }
            device.dataTypes[index].sourceText = try Self.renamedHeader(text, from: name, to: newName)
            device.dataTypes[index].name = newName
            device.dataTypes[index].file.path = newPath
        case .tagTable(let name):
            let index = device.tagTables.firstIndex { $0.name.caseInsensitiveEquals(name) }!
            device.tagTables[index].name = newName
            device.tagTables[index].file.path = newPath
        case .watchTable(let name):
            let index = device.watchTables.firstIndex { $0.name.caseInsensitiveEquals(name) }!
            device.watchTables[index].name = newName
            device.watchTables[index].file.path = newPath
        }
        session.project.devices[deviceIndex] = device
        if newPath != oldPath {
            session.dirtyFiles.remove(oldPath)
            session.removedFiles.insert(oldPath)
        }
        session.dirtyFiles.insert(newPath)
        session.removedFiles.remove(newPath)
        sessions[session.id] = session
        record(
            session, actor: actor, action: "object.rename", target: "\(device.name)/\(object.name)",
            detail: newName, outcome: "ok")
        hub.publish(.objectChanged(sessionID: session.id, kind: object.kind, device: device.name, name: newName))
    }

    /// Deletes an object; its file is removed on the next save (a snapshot keeps its content).
    public func delete(
        _ object: ObjectReference, device deviceName: String, sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) {
        var session = try self.session(sessionID)
        let deviceIndex = try self.deviceIndex(deviceName, in: session)
        var device = session.project.devices[deviceIndex]
        let path = try filePath(of: object, in: device)
        let sharing = Self.objectCount(in: path, of: device)
        guard sharing <= 1 else {
            throw EngineError(.conflict, "\(path) holds \(sharing) objects; delete the file as a whole")
        }
        snapshot(session, kind: object.kind, path: path, reason: "before deleting \(object.name)", actor: actor)
        switch object {
        case .block(let name): device.blocks.removeAll { $0.name.caseInsensitiveEquals(name) }
        case .dataType(let name): device.dataTypes.removeAll { $0.name.caseInsensitiveEquals(name) }
        case .tagTable(let name): device.tagTables.removeAll { $0.name.caseInsensitiveEquals(name) }
        case .watchTable(let name): device.watchTables.removeAll { $0.name.caseInsensitiveEquals(name) }
        }
        session.project.devices[deviceIndex] = device
        session.dirtyFiles.remove(path)
        session.removedFiles.insert(path)
        sessions[session.id] = session
        record(session, actor: actor, action: "object.delete", target: "\(device.name)/\(object.name)", outcome: "ok")
        hub.publish(.objectChanged(sessionID: session.id, kind: object.kind, device: device.name, name: object.name))
    }

    // MARK: Tables

    /// Replaces a tag table's tags and user constants after checking every row: names unique within the table and
    /// across the device's tag tables, data types TIA knows, addresses that parse and fit the data type. Nothing
    /// changes when a row is refused; the error lists every refused row.
    public func updateTagTable(
        _ name: String, tags: [Tag], constants: [UserConstant], device deviceName: String, sessionID: String? = nil,
        actor: String? = nil
    ) throws(EngineError) {
        var session = try self.session(sessionID)
        let deviceIndex = try self.deviceIndex(deviceName, in: session)
        let device = session.project.devices[deviceIndex]
        guard let tableIndex = device.tagTables.firstIndex(where: { $0.name.caseInsensitiveEquals(name) }) else {
            throw EngineError(.notFound, "no tag table '\(name)' in device \(device.name)")
        }
        let others = device.tagTables.indices.filter { $0 != tableIndex }.flatMap { index in
            device.tagTables[index].tags.map { ($0.name.lowercased(), device.tagTables[index].name) }
        }
        let problems = Self.check(
            tags: tags, constants: constants, against: Dictionary(others, uniquingKeysWith: { first, _ in first }),
            dataTypes: Set(device.dataTypes.map { $0.name.lowercased() }))
        guard problems.isEmpty else {
            throw EngineError(
                .invalidInput,
                "tag table \(name): " + problems.map(\.description).joined(separator: "; "))
        }
        let table = device.tagTables[tableIndex]
        snapshot(session, kind: "tagTable", path: table.file.path, reason: "before editing \(table.name)", actor: actor)
        session.project.devices[deviceIndex].tagTables[tableIndex].tags = tags
        session.project.devices[deviceIndex].tagTables[tableIndex].constants = constants
        session.dirtyFiles.insert(table.file.path)
        sessions[session.id] = session
        record(
            session, actor: actor, action: "tagTable.update", target: "\(device.name)/\(table.name)",
            detail: "\(tags.count) tags, \(constants.count) constants", outcome: "ok")
        hub.publish(.objectChanged(sessionID: session.id, kind: "tagTable", device: device.name, name: table.name))
    }

    /// The problems of tag table rows (empty when all are fine); `known` maps lower-cased tag names of other tables
    /// to their table, `dataTypes` holds the lower-cased names of the device's PLC data types.
    public static func check(
        tags: [Tag], constants: [UserConstant], against known: [String: String] = [:], dataTypes: Set<String> = []
    ) -> [TagTableProblem] {
        var problems: [TagTableProblem] = []
        var seen: Set<String> = []
        for (offset, tag) in tags.enumerated() {
            let row = offset + 1
            func refuse(_ column: String, _ message: String) {
                problems.append(TagTableProblem(row: row, column: column, message: message))
            }
            if let message = nameProblem(tag.name, isFile: false) { refuse("name", message) }
            let key = tag.name.lowercased()
            if let table = known[key] {
                refuse("name", "a tag named \(tag.name) exists in tag table \(table)")
            } else if !seen.insert(key).inserted {
                refuse("name", "the name \(tag.name) is used twice")
            }
            let type: DataType
            do { type = try DataType(parsing: tag.dataType) } catch {
                refuse("data type", error.description)
                continue
            }
            switch type {
            case .named(let name) where !dataTypes.contains(name.lowercased()):
                refuse("data type", "no PLC data type \(tag.dataType) in this PLC")
                continue
            case .systemDataType(let name) where !systemTagTypes.contains(name.uppercased()):
                refuse("data type", "\(tag.dataType) is not a data type")
                continue
            case .systemFB(let block):
                refuse("data type", "a tag cannot be an instance of \(block)")
                continue
            default: break
            }
            guard !tag.address.isEmpty else { continue }
            let address: Address
            do { address = try Address(parsing: tag.address) } catch {
                refuse("address", error.description)
                continue
            }
            if let message = fitProblem(type, address) { refuse("address", message) }
        }
        for (offset, constant) in constants.enumerated() {
            let row = offset + 1
            if let message = nameProblem(constant.name, isFile: false) {
                problems.append(TagTableProblem(row: row, column: "constant name", message: message))
            }
            if !seen.insert(constant.name.lowercased()).inserted {
                problems.append(
                    TagTableProblem(row: row, column: "constant name", message: "the name \(constant.name) is taken"))
            }
            do {
                let type = try DataType(parsing: constant.dataType)
                _ = try PLCValue.parse(constant.value, as: type)
            } catch {
                problems.append(TagTableProblem(row: row, column: "constant value", message: "\(error)"))
            }
        }
        return problems
    }

    /// Replaces the rows of a watch or force table (operands are checked when the table goes online, as in TIA).
    public func updateWatchTable(
        _ name: String, entries: [WatchEntry], device deviceName: String, sessionID: String? = nil,
        actor: String? = nil
    ) throws(EngineError) {
        var session = try self.session(sessionID)
        let deviceIndex = try self.deviceIndex(deviceName, in: session)
        let device = session.project.devices[deviceIndex]
        guard let index = device.watchTables.firstIndex(where: { $0.name.caseInsensitiveEquals(name) }) else {
            throw EngineError(.notFound, "no watch or force table '\(name)' in device \(device.name)")
        }
        let table = device.watchTables[index]
        snapshot(
            session, kind: "watchTable", path: table.file.path, reason: "before editing \(table.name)",
            actor: actor)
        session.project.devices[deviceIndex].watchTables[index].entries = entries
        session.dirtyFiles.insert(table.file.path)
        sessions[session.id] = session
        record(
            session, actor: actor, action: "watchTable.update", target: "\(device.name)/\(table.name)",
            detail: "\(entries.count) entries", outcome: "ok")
        hub.publish(.objectChanged(sessionID: session.id, kind: "watchTable", device: device.name, name: table.name))
    }

    // MARK: Helpers

    private func deviceIndex(_ name: String, in session: Session) throws(EngineError) -> Int {
        guard let index = session.project.devices.firstIndex(where: { $0.name.caseInsensitiveEquals(name) }) else {
            throw EngineError(.notFound, "no device '\(name)' in project \(session.project.name)")
        }
        return index
    }

    private func filePath(of object: ObjectReference, in device: Device) throws(EngineError) -> String {
        let path: String?
        switch object {
        case .block(let name): path = device.block(named: name)?.file.path
        case .dataType(let name): path = device.dataType(named: name)?.file.path
        case .tagTable(let name): path = device.tagTable(named: name)?.file.path
        case .watchTable(let name): path = device.watchTable(named: name)?.file.path
        }
        guard let path else { throw EngineError(.notFound, "no \(object.kind) '\(object.name)' in \(device.name)") }
        return path
    }

    /// How many blocks and data types a source file holds (an SCL source may hold several).
    private static func objectCount(in path: String, of device: Device) -> Int {
        device.blocks.count { $0.file.path == path } + device.dataTypes.count { $0.file.path == path }
    }

    private static func path(
        for template: ObjectTemplate, named name: String, group: [String], in device: Device
    )
        -> String
    {
        let folders = [template.folder] + group
        let prefix = device.folder == "." ? "" : device.folder + "/"
        return prefix + folders.joined(separator: "/") + "/" + name + "." + template.fileExtension
    }

    /// Names of system data types a PLC tag may have.
    static let systemTagTypes: Set<String> = ["DTL", "IEC_TIMER", "IEC_LTIMER", "IEC_COUNTER", "IEC_UCOUNTER"]

    /// TIA's rule for names: not empty, at most 125 characters, no quotes or control characters; names of objects
    /// kept in a file of their own also without the characters a file name cannot hold.
    static func nameProblem(_ name: String, isFile: Bool) -> String? {
        if name.trimmingCharacters(in: .whitespaces).isEmpty { return "a name must not be empty" }
        if name.count > 125 { return "a name has at most 125 characters" }
        if name != name.trimmingCharacters(in: .whitespaces) { return "a name must not start or end with a space" }
        let forbidden = isFile ? "\"/\\:*?<>|" : "\""
        if let bad = name.first(where: {
            forbidden.contains($0) || $0.isNewline || $0.asciiValue.map { $0 < 32 } == true
        }) {
            return "a name must not contain \(bad.debugDescription)"
        }
        return nil
    }

    private static func validateName(_ name: String, what: String) throws(EngineError) {
        if let problem = nameProblem(name, isFile: true) {
            throw EngineError(.invalidInput, "\(what) '\(name)': \(problem)")
        }
    }

    /// Blocks and data types share one name space per device (as in TIA); tables have their own.
    private static func checkFree(_ name: String, for template: ObjectTemplate, in device: Device) throws(EngineError) {
        switch template {
        case .organizationBlock, .functionBlock, .function, .dataBlock, .dataType:
            if device.block(named: name) != nil || device.dataType(named: name) != nil {
                throw EngineError(.conflict, "a block or data type named \(name) exists in \(device.name)")
            }
        case .tagTable:
            if device.tagTable(named: name) != nil {
                throw EngineError(.conflict, "a tag table named \(name) exists in \(device.name)")
            }
        case .watchTable, .forceTable:
            if device.watchTable(named: name) != nil {
                throw EngineError(.conflict, "a watch or force table named \(name) exists in \(device.name)")
            }
        }
    }

    private static func checkFree(_ name: String, for object: ObjectReference, in device: Device) throws(EngineError) {
        switch object {
        case .block, .dataType: try checkFree(name, for: .functionBlock, in: device)
        case .tagTable: try checkFree(name, for: .tagTable, in: device)
        case .watchTable: try checkFree(name, for: .watchTable, in: device)
        }
    }

    /// The source with its first block or type header naming `newName` instead of `oldName`.
    private static func renamedHeader(
        _ text: String, from oldName: String, to newName: String
    ) throws(EngineError)
        -> String
    {
        let keywords = ["ORGANIZATION_BLOCK", "FUNCTION_BLOCK", "FUNCTION", "DATA_BLOCK", "TYPE"]
        for keyword in keywords {
            let pattern = "(?im)^(\\s*" + keyword + "\\s+)\"" + NSRegularExpression.escapedPattern(for: oldName) + "\""
            guard let expression = try? NSRegularExpression(pattern: pattern) else { continue }
            let range = NSRange(text.startIndex..., in: text)
            guard let match = expression.firstMatch(in: text, range: range),
                let whole = Range(match.range, in: text), let head = Range(match.range(at: 1), in: text)
            else { continue }
            return text.replacingCharacters(in: whole, with: String(text[head]) + "\"" + newName + "\"")
        }
        throw EngineError(.unsupported, "cannot find the header naming \"\(oldName)\" in its source")
    }

    /// Whether an address can hold a value of `type` (a Bool needs a bit, a Word a W address…).
    private static func fitProblem(_ type: DataType, _ address: Address) -> String? {
        if address.area == .timer || address.area == .counter || address.area == .dataBlock { return nil }
        guard let width = type.bitWidth else { return nil }
        if width == 1 {
            return address.size == .bit ? nil : "a Bool needs a bit address such as %M0.0, not \(address)"
        }
        if address.size == .bit { return "a \(type) needs a byte, word or double word address, not a bit" }
        if width <= 32, address.size.rawValue != width {
            let letter = Address.Size(rawValue: width)?.letter ?? "D"
            return "a \(type) takes \(width / 8) bytes; use a %\(address.area.rawValue)\(letter) address"
        }
        return nil
    }
}
