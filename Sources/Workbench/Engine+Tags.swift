import Foundation
public import S7Model
import SimaticML

/// How an import treats the rows a tag table already has.
public enum TagImportMode: String, Sendable, Hashable, CaseIterable {
    /// Imported rows replace the rows of the same name; the others stay; new names are appended.
    case merge
    /// The table holds exactly the imported rows afterwards.
    case replace
}

/// The fields of a tag to change; nil leaves a field as it is.
public struct TagPatch: Sendable, Hashable {
    public var name: String?
    public var dataType: String?
    public var address: String?
    public var comment: String?
    public var externalAccessible: Bool?
    public var externalVisible: Bool?
    public var externalWritable: Bool?

    public init(
        name: String? = nil, dataType: String? = nil, address: String? = nil, comment: String? = nil,
        externalAccessible: Bool? = nil, externalVisible: Bool? = nil, externalWritable: Bool? = nil
    ) {
        self.name = name
        self.dataType = dataType
        self.address = address
        self.comment = comment
        self.externalAccessible = externalAccessible
        self.externalVisible = externalVisible
        self.externalWritable = externalWritable
    }
}

/// The fields of a user constant to change; nil leaves a field as it is.
public struct ConstantPatch: Sendable, Hashable {
    public var name: String?
    public var dataType: String?
    public var value: String?
    public var comment: String?

    public init(name: String? = nil, dataType: String? = nil, value: String? = nil, comment: String? = nil) {
        self.name = name
        self.dataType = dataType
        self.value = value
        self.comment = comment
    }
}

/// What an import did to a tag table.
public struct TagImportResult: Sendable, Hashable {
    public var table: String
    public var mode: TagImportMode
    /// The table did not exist and was created by the import.
    public var tableCreated: Bool
    public var tagsAdded: Int
    public var tagsUpdated: Int
    public var tagsRemoved: Int
    public var constantsAdded: Int
    public var constantsUpdated: Int
    public var constantsRemoved: Int
    /// Rows of the table after the import.
    public var tagCount: Int
    public var constantCount: Int
}

/// A tag table written as a file (or only rendered, when no path was given).
public struct TagTableExport: Sendable, Hashable {
    public var table: String
    public var format: TagFileFormat
    public var bytes: [UInt8]
    /// Data rows in the file (tags, plus constants in a workbook or JSON file).
    public var rows: Int
    /// The absolute path written, nil when the content was only returned.
    public var filePath: String?
}

/// Tag-level and constant-level editing of tag tables, imports and exports in TIA's tag file layouts, and tag table
/// folders. Every row change goes through `updateTagTable`, so the same checks apply and nothing changes when one row
/// is refused; errors name the row as the caller knows it (`tag Start`, `PLC Tags row 5`).
extension Engine {
    /// The table TIA gives every PLC; tags added without naming a table go there (it is created when missing).
    public static let defaultTagTableName = "Default tag table"

    // MARK: Tags

    /// Adds a tag to `table` (the default tag table when nil, created if missing). Returns the table afterwards.
    @discardableResult
    public func addTag(
        _ tag: Tag, table tableName: String? = nil, device deviceName: String, sessionID: String? = nil,
        actor: String? = nil
    ) throws(EngineError) -> TagTable {
        let session = try self.session(sessionID)
        let device = try self.device(deviceName, sessionID: session.id)
        let name = tableName ?? Self.defaultTagTableName
        let existing = device.tagTable(named: name)
        if existing == nil, !name.caseInsensitiveEquals(Self.defaultTagTableName) {
            throw EngineError(.notFound, "no tag table '\(name)' in device \(device.name)")
        }
        let added = Self.normalized(tag)
        let tags = (existing?.tags ?? []) + [added]
        let constants = existing?.constants ?? []
        try Self.refuseRowProblems(
            tags: tags, constants: constants, table: existing?.name ?? name, changedTag: tags.count, in: device)
        if existing == nil {
            try create(.tagTable, named: name, device: device.name, sessionID: session.id, actor: actor)
        }
        try updateTagTable(
            existing?.name ?? name, tags: tags, constants: constants, device: device.name, sessionID: session.id,
            actor: actor)
        return try tagTable(existing?.name ?? name, device: device.name, sessionID: session.id)
    }

    /// Changes the fields of a tag the patch sets (renaming it when `name` is set). Returns the tag afterwards.
    /// Uses of the old name in blocks are not rewritten; the next compile lists them.
    @discardableResult
    public func updateTag(
        _ name: String, in tableName: String, with patch: TagPatch, device deviceName: String,
        sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) -> Tag {
        let (session, device, table, index) = try tableRow(
            name, constant: false, in: tableName, device: deviceName, sessionID: sessionID)
        var tag = table.tags[index]
        if let value = patch.name { tag.name = value }
        if let value = patch.dataType { tag.dataType = value }
        if let value = patch.address { tag.address = value }
        if let value = patch.comment { tag.comment = tag.comment.setting(value) }
        if let value = patch.externalAccessible { tag.externalAccessible = value }
        if let value = patch.externalVisible { tag.externalVisible = value }
        if let value = patch.externalWritable { tag.externalWritable = value }
        tag = Self.normalized(tag)
        var tags = table.tags
        tags[index] = tag
        try writeRows(
            tags, table.constants, of: table, checked: true, changedTag: index + 1, device: device, session: session,
            actor: actor)
        return tag
    }

    public func deleteTag(
        _ name: String, in tableName: String, device deviceName: String, sessionID: String? = nil,
        actor: String? = nil
    ) throws(EngineError) {
        let (session, device, table, index) = try tableRow(
            name, constant: false, in: tableName, device: deviceName, sessionID: sessionID)
        var tags = table.tags
        tags.remove(at: index)
        try writeRows(tags, table.constants, of: table, checked: false, device: device, session: session, actor: actor)
    }

    // MARK: User constants

    /// Adds a user constant to an existing table. Returns the table afterwards.
    @discardableResult
    public func addConstant(
        _ constant: UserConstant, table tableName: String, device deviceName: String, sessionID: String? = nil,
        actor: String? = nil
    ) throws(EngineError) -> TagTable {
        let session = try self.session(sessionID)
        let device = try self.device(deviceName, sessionID: session.id)
        let table = try Self.table(tableName, in: device)
        let constants = table.constants + [Self.normalized(constant)]
        try writeRows(table.tags, constants, of: table, checked: true, device: device, session: session, actor: actor)
        return try tagTable(table.name, device: device.name, sessionID: session.id)
    }

    /// Changes the fields of a user constant the patch sets. Returns the constant afterwards.
    @discardableResult
    public func updateConstant(
        _ name: String, in tableName: String, with patch: ConstantPatch, device deviceName: String,
        sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) -> UserConstant {
        let (session, device, table, index) = try tableRow(
            name, constant: true, in: tableName, device: deviceName, sessionID: sessionID)
        var constant = table.constants[index]
        if let value = patch.name { constant.name = value }
        if let value = patch.dataType { constant.dataType = value }
        if let value = patch.value { constant.value = value }
        if let value = patch.comment { constant.comment = constant.comment.setting(value) }
        constant = Self.normalized(constant)
        var constants = table.constants
        constants[index] = constant
        try writeRows(table.tags, constants, of: table, checked: true, device: device, session: session, actor: actor)
        return constant
    }

    public func deleteConstant(
        _ name: String, in tableName: String, device deviceName: String, sessionID: String? = nil,
        actor: String? = nil
    ) throws(EngineError) {
        let (session, device, table, index) = try tableRow(
            name, constant: true, in: tableName, device: deviceName, sessionID: sessionID)
        var constants = table.constants
        constants.remove(at: index)
        try writeRows(table.tags, constants, of: table, checked: false, device: device, session: session, actor: actor)
    }

    /// A tag table with the index of its tag (or, with `constant`, its user constant) `name`; 404 when either is
    /// missing. The lookup the single-row edits share.
    private func tableRow(
        _ name: String, constant: Bool, in tableName: String, device deviceName: String, sessionID: String?
    ) throws(EngineError) -> (session: Session, device: Device, table: TagTable, index: Int) {
        let session = try self.session(sessionID)
        let device = try self.device(deviceName, sessionID: session.id)
        let table = try Self.table(tableName, in: device)
        let found =
            constant
            ? table.constants.firstIndex(where: { $0.name.caseInsensitiveEquals(name) })
            : table.tags.firstIndex(where: { $0.name.caseInsensitiveEquals(name) })
        guard let index = found else {
            throw EngineError(
                .notFound,
                "no \(constant ? "user constant" : "tag") '\(name)' in tag table \(table.name) of \(device.name)")
        }
        return (session, device, table, index)
    }

    /// Writes a table's edited rows, refusing them first when `checked` (`changedTag`, 1-based, is the tag the
    /// edit is about).
    private func writeRows(
        _ tags: [Tag], _ constants: [UserConstant], of table: TagTable, checked: Bool, changedTag: Int? = nil,
        device: Device, session: Session, actor: String?
    ) throws(EngineError) {
        if checked {
            try Self.refuseRowProblems(
                tags: tags, constants: constants, table: table.name, changedTag: changedTag, in: device)
        }
        try updateTagTable(
            table.name, tags: tags, constants: constants, device: device.name, sessionID: session.id, actor: actor)
    }

    /// `refuseProblems` with the labels of a single-row edit: `tag X` for the changed tag, `row N (tag X)` for the
    /// others, `constant X` for constants.
    static func refuseRowProblems(
        tags: [Tag], constants: [UserConstant], table: String, changedTag: Int?, in device: Device
    ) throws(EngineError) {
        try refuseProblems(
            tags: tags, constants: constants, table: table, in: device,
            tagLabel: { $0 == changedTag ? "tag \(tags[$0 - 1].name)" : "row \($0) (tag \(tags[$0 - 1].name))" },
            constantLabel: { "constant \(constants[$0 - 1].name)" })
    }

    // MARK: Import

    /// Imports tags and constants into `table` (the default tag table when nil; a missing table is created). In
    /// `.merge` mode rows replace the rows of the same name and new names are appended; in `.replace` mode the table
    /// holds exactly the imported rows. Every row is checked first; when one is refused nothing changes and the error
    /// names each refused row by its origin (`PLC Tags row 5`).
    @discardableResult
    public func importTags(
        _ sheet: TagSheet, table tableName: String? = nil, mode: TagImportMode = .merge, device deviceName: String,
        sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) -> TagImportResult {
        try importRows(
            sheet, table: tableName, mode: mode, constantMode: mode, device: deviceName, sessionID: sessionID,
            actor: actor)
    }

    /// The import itself; `constantMode` is `.merge` for files that cannot hold constants (CSV), so that replacing
    /// a table's tags from one keeps its constants.
    func importRows(
        _ sheet: TagSheet, table tableName: String?, mode: TagImportMode, constantMode: TagImportMode,
        device deviceName: String, sessionID: String?, actor: String?
    ) throws(EngineError) -> TagImportResult {
        let session = try self.session(sessionID)
        let device = try self.device(deviceName, sessionID: session.id)
        let name = tableName ?? Self.defaultTagTableName
        try Self.validateTableName(name)
        let existing = device.tagTable(named: name)
        let tags = Self.merge(
            existing?.tags ?? [], sheet.tags.map { Self.normalized($0) }, origins: sheet.tagOrigins, mode: mode,
            name: { $0.name }, existingLabel: { "existing tag \($0.name)" },
            combine: { old, new in
                var tag = new
                tag.comment =
                    new.comment.text() == old.comment.text() ? old.comment : old.comment.setting(new.comment.text())
                return tag
            })
        let constants = Self.merge(
            existing?.constants ?? [], sheet.constants.map { Self.normalized($0) }, origins: sheet.constantOrigins,
            mode: constantMode, name: { $0.name }, existingLabel: { "existing constant \($0.name)" },
            combine: { old, new in
                var constant = new
                constant.comment =
                    new.comment.text() == old.comment.text() ? old.comment : old.comment.setting(new.comment.text())
                return constant
            })
        try Self.refuseProblems(
            tags: tags.rows, constants: constants.rows, table: existing?.name ?? name, in: device,
            tagLabel: { tags.labels[$0 - 1] }, constantLabel: { constants.labels[$0 - 1] })
        if existing == nil {
            try create(.tagTable, named: name, device: device.name, sessionID: session.id, actor: actor)
        }
        let finalName = existing?.name ?? name
        try updateTagTable(
            finalName, tags: tags.rows, constants: constants.rows, device: device.name, sessionID: session.id,
            actor: actor)
        record(
            session, actor: actor, action: "tagTable.import", target: "\(device.name)/\(finalName)",
            detail: "\(mode.rawValue): \(sheet.tags.count) tags, \(sheet.constants.count) constants", outcome: "ok")
        return TagImportResult(
            table: finalName, mode: mode, tableCreated: existing == nil, tagsAdded: tags.added,
            tagsUpdated: tags.updated, tagsRemoved: tags.removed, constantsAdded: constants.added,
            constantsUpdated: constants.updated, constantsRemoved: constants.removed, tagCount: tags.rows.count,
            constantCount: constants.rows.count)
    }

    /// `importTags` for rows given directly (origins `tag 1`, `constant 1`, …).
    @discardableResult
    public func importTags(
        table tableName: String? = nil, tags: [Tag], constants: [UserConstant] = [], mode: TagImportMode = .merge,
        device deviceName: String, sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) -> TagImportResult {
        try importTags(
            TagSheet(tags: tags, constants: constants), table: tableName, mode: mode, device: deviceName,
            sessionID: sessionID, actor: actor)
    }

    /// Imports the content of a tag file (CSV, XLSX or JSON bytes); a file with bad rows is refused as a whole. A CSV
    /// file holds tags only, so importing one in `.replace` mode keeps the table's constants.
    @discardableResult
    public func importTags(
        fileContent bytes: [UInt8], format: TagFileFormat, table tableName: String? = nil,
        mode: TagImportMode = .merge, device deviceName: String, sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) -> TagImportResult {
        let session = try self.session(sessionID)
        _ = try self.device(deviceName, sessionID: session.id)
        let sheet: TagSheet
        do {
            sheet = try TagExchange.read(bytes, as: format)
        } catch {
            throw EngineError(.invalidInput, "\(format.title) tag file: \(error.description)")
        }
        return try importRows(
            sheet, table: tableName, mode: mode, constantMode: format == .csv ? .merge : mode, device: deviceName,
            sessionID: session.id, actor: actor)
    }

    /// Imports a tag file named by a path (resolved with `resolvePath`: inside the project folder or files root).
    @discardableResult
    public func importTags(
        filePath: String, format: TagFileFormat, table tableName: String? = nil, mode: TagImportMode = .merge,
        device deviceName: String, sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) -> TagImportResult {
        let session = try self.session(sessionID)
        _ = try self.device(deviceName, sessionID: session.id)
        let data = try readCallerFile(filePath, sessionID: session.id, limit: Self.maximumTagFileSize)
        return try importTags(
            fileContent: data, format: format, table: tableName, mode: mode, device: deviceName,
            sessionID: session.id, actor: actor)
    }

    /// Largest tag file read from disk.
    static let maximumTagFileSize = 64 << 20

    // MARK: Export

    /// Renders a tag table as a tag file and, when `path` is given, writes it there (resolved with `resolvePath`;
    /// the name must end in the format's extension, and `.s7wb` is off limits).
    public func exportTagTable(
        _ name: String, as format: TagFileFormat, to path: String? = nil, device deviceName: String,
        sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) -> TagTableExport {
        let session = try self.session(sessionID)
        let table = try tagTable(name, device: deviceName, sessionID: session.id)
        let bytes: [UInt8]
        do {
            bytes = try TagExchange.write(table, as: format)
        } catch {
            throw EngineError(.io, "cannot write tag table \(table.name) as \(format.title): \(error.description)")
        }
        var export = TagTableExport(
            table: table.name, format: format, bytes: bytes, rows: TagExchange.rowCount(table, as: format),
            filePath: nil)
        guard let path else { return export }
        let full = try resolvePath(path, sessionID: session.id)
        if full.split(separator: "/").contains(where: { $0.utf8.count > 255 }) {
            throw EngineError(.invalidInput, "'\(path)': a file or folder name has at most 255 bytes")
        }
        guard (full as NSString).pathExtension.lowercased() == format.fileExtension else {
            throw EngineError(
                .invalidInput, "'\(path)': a \(format.title) export is written to a .\(format.fileExtension) file")
        }
        let state = Engine.resolvingExistingPrefix(session.project.root) + "/" + VCILayout.stateFolder
        if full == state || full.hasPrefix(state + "/") {
            throw EngineError(.forbidden, "'\(path)' is inside s7wb's own \(VCILayout.stateFolder) folder")
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), isDirectory.boolValue {
            throw EngineError(.invalidInput, "'\(path)' is a folder")
        }
        do {
            try AtomicFile.write(bytes, to: full)
        } catch {
            record(
                session, actor: actor, action: "tagTable.export", target: "\(deviceName)/\(table.name)", detail: full,
                outcome: "failed: \(error.description)")
            throw EngineError(.io, "cannot write '\(path)': \(error.reason)")
        }
        record(
            session, actor: actor, action: "tagTable.export", target: "\(deviceName)/\(table.name)",
            detail: "\(format.rawValue) → \(full)", outcome: "ok")
        export.filePath = full
        return export
    }

    // MARK: Folders

    /// The folder path of a tag table folder as a group: `Drives/Axes` → ["Drives", "Axes"]; `\` also separates.
    public static func folderGroup(_ folderPath: String) throws(EngineError) -> [String] {
        let parts = folderPath.split(whereSeparator: { $0 == "/" || $0 == "\\" }).map(String.init)
        guard !parts.isEmpty else { throw EngineError(.invalidInput, "the folder path is empty") }
        for part in parts {
            if part == "." || part == ".." || part.hasPrefix(".") {
                throw EngineError(.invalidInput, "folder '\(part)': a folder name must not start with '.'")
            }
            if let problem = nameProblem(part, isFile: true) {
                throw EngineError(.invalidInput, "folder '\(part)': \(problem)")
            }
            if part.utf8.count > 255 {
                throw EngineError(.invalidInput, "folder '\(part)': a folder name has at most 255 bytes")
            }
        }
        return parts
    }

    // MARK: Helpers

    static func table(_ name: String, in device: Device) throws(EngineError) -> TagTable {
        guard let table = device.tagTable(named: name) else {
            throw EngineError(.notFound, "no tag table '\(name)' in device \(device.name)")
        }
        return table
    }

    static func validateTableName(_ name: String) throws(EngineError) {
        if let problem = nameProblem(name, isFile: true) {
            throw EngineError(.invalidInput, "tag table '\(name)': \(problem)")
        }
    }

    /// The tag with its data type and address in the form TIA writes them (`Bool`, `%I0.0`); what does not parse
    /// stays as given for the check to report.
    static func normalized(_ tag: Tag) -> Tag {
        var tag = tag
        tag.name = tag.name.trimmingCharacters(in: .whitespaces)
        let type = tag.dataType.trimmingCharacters(in: .whitespaces)
        tag.dataType = (try? DataType(parsing: type))?.description ?? type
        let address = tag.address.trimmingCharacters(in: .whitespaces)
        if case .success(let canonical) = TagExchange.canonicalAddress(address) {
            tag.address = canonical
        } else {
            tag.address = address
        }
        return tag
    }

    static func normalized(_ constant: UserConstant) -> UserConstant {
        var constant = constant
        constant.name = constant.name.trimmingCharacters(in: .whitespaces)
        let type = constant.dataType.trimmingCharacters(in: .whitespaces)
        constant.dataType = (try? DataType(parsing: type))?.description ?? type
        constant.value = constant.value.trimmingCharacters(in: .whitespaces)
        return constant
    }

    /// Rows after an import, with a label for each (its origin, or `existing tag X`) and what changed.
    struct MergedRows<Row> {
        var rows: [Row]
        var labels: [String]
        var added = 0
        var updated = 0
        var removed = 0
    }

    static func merge<Row>(
        _ existing: [Row], _ imported: [Row], origins: [String], mode: TagImportMode, name: (Row) -> String,
        existingLabel: (Row) -> String, combine: (Row, Row) -> Row
    ) -> MergedRows<Row> {
        var byName: [String: Int] = [:]
        for (index, row) in existing.enumerated() where byName[name(row).lowercased()] == nil {
            byName[name(row).lowercased()] = index
        }
        func origin(_ index: Int) -> String { index < origins.count ? origins[index] : "imported row \(index + 1)" }
        switch mode {
        case .merge:
            var result = MergedRows(rows: existing, labels: existing.map(existingLabel))
            var replaced: Set<Int> = []
            for (index, row) in imported.enumerated() {
                if let at = byName[name(row).lowercased()], !replaced.contains(at) {
                    result.rows[at] = combine(existing[at], row)
                    result.labels[at] = origin(index)
                    replaced.insert(at)
                    result.updated += 1
                } else {
                    result.rows.append(row)
                    result.labels.append(origin(index))
                    result.added += 1
                }
            }
            return result
        case .replace:
            var result = MergedRows<Row>(rows: [], labels: [])
            var kept: Set<Int> = []
            for (index, row) in imported.enumerated() {
                if let at = byName[name(row).lowercased()], !kept.contains(at) {
                    result.rows.append(combine(existing[at], row))
                    kept.insert(at)
                    result.updated += 1
                } else {
                    result.rows.append(row)
                    result.added += 1
                }
                result.labels.append(origin(index))
            }
            result.removed = existing.count - kept.count
            return result
        }
    }

    /// Runs the engine's row checks on the table's rows as they would be and throws `.invalidInput` naming each
    /// refused row by its label.
    static func refuseProblems(
        tags: [Tag], constants: [UserConstant], table: String, in device: Device, tagLabel: (Int) -> String,
        constantLabel: (Int) -> String
    ) throws(EngineError) {
        let others = device.tagTables.filter { !$0.name.caseInsensitiveEquals(table) }.flatMap { other in
            other.tags.map { ($0.name.lowercased(), other.name) }
        }
        let problems = check(
            tags: tags, constants: constants, against: Dictionary(others, uniquingKeysWith: { first, _ in first }),
            dataTypes: Set(device.dataTypes.map { $0.name.lowercased() }))
        guard !problems.isEmpty else { return }
        let described = problems.map { problem -> String in
            let isConstant = problem.column.hasPrefix("constant")
            let count = isConstant ? constants.count : tags.count
            let label =
                (1...max(count, 1)).contains(problem.row) && count > 0
                ? (isConstant ? constantLabel(problem.row) : tagLabel(problem.row)) : "row \(problem.row)"
            let column = isConstant ? String(problem.column.dropFirst("constant ".count)) : problem.column
            return "\(label), \(column): \(problem.message)"
        }
        throw EngineError(.invalidInput, "tag table \(table): " + described.joined(separator: "; "))
    }
}
