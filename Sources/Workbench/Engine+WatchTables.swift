public import Foundation
public import S7Model
import S7Runtime
import SimaticML

/// The live value of one watch table row, as TIA's "Monitor value" column shows it.
public struct WatchValue: Sendable, Hashable {
    public enum Quality: String, Sendable, Hashable {
        case good
        /// The operand does not resolve against the program in the PLC (unknown tag, member or address).
        case notFound = "bad: not found"
    }

    public var value: PLCValue?
    public var quality: Quality
    /// Why the value could not be read.
    public var error: String?
    public var timestamp: Date
}

/// A watch or force table with the live values of its rows.
public struct WatchTableReading: Sendable {
    public var table: WatchTable
    /// When the program the values come from was downloaded; nil when the device's virtual PLC holds none.
    public var downloadedAt: Date?
    /// One per entry of the table (nil for a comment row); nil as a whole when there is no download to read.
    public var values: [WatchValue?]?
}

/// A watch or force table written as SimaticML (or only rendered, when no path was given).
public struct WatchTableExport: Sendable, Hashable {
    public var table: WatchTable
    public var bytes: [UInt8]
    /// The absolute path written, nil when the content was only returned.
    public var filePath: String?
}

/// What importing a watch or force table did.
public struct WatchTableImport: Sendable, Hashable {
    public var table: WatchTable
    /// The table did not exist and was created.
    public var created: Bool
    /// An existing table of that name got the imported rows (`overwrite`).
    public var replaced: Bool
}

/// Watch and force tables as TIA Portal has them (T-IA's Watch & Force Tables group): rows added, removed, cleared,
/// SimaticML export and import, folders under "Watch and force tables", and the live values of a table's rows from
/// the device's virtual PLC. Every row change goes through `updateWatchTable`, so it is snapshotted, audited and
/// written on the next save.
extension Engine {
    // MARK: Display formats

    /// TIA's display formats, as SimaticML writes them, with the names TIA's table shows as aliases.
    static let watchDisplayFormatAliases: [(format: String, aliases: [String])] = [
        ("Bool", ["Boolean"]),
        ("Hex", ["Hexadecimal"]),
        ("DEC", ["DEC_unsigned", "DEC+", "Decimal", "Unsigned decimal"]),
        ("DEC_signed", ["DEC+/-", "Signed decimal"]),
        ("Bin", ["Binary"]),
        ("Octal", ["Oct"]),
        ("Float", ["Floating-point", "Floating point", "Real"]),
        ("Character", ["Char"]),
        ("Unicode_character", ["Unicode character", "WChar"]),
        ("String", []),
        ("Unicode_string", ["Unicode string", "WString"]),
        ("Time", []),
        ("LTime", []),
        ("S5Time", ["S5T"]),
        ("Date", []),
        ("Time_of_day", ["Time of day", "TOD"]),
        ("LTime_of_day", ["LTime of day", "LTOD"]),
        ("Date_and_time", ["Date and time", "DT"]),
        ("LDT", ["Date_and_ltime"]),
        ("DTL", []),
        ("SIMATIC_Time", ["SIMATIC time"]),
        ("Counter", []),
        ("Pointer", []),
    ]

    /// The display formats a watch table row may have, as SimaticML writes them.
    public static var watchDisplayFormats: [String] { watchDisplayFormatAliases.map(\.format) }

    /// The SimaticML spelling of a display format given in any case or as TIA's table shows it (`DEC+/-` →
    /// `DEC_signed`, `floating-point` → `Float`); nil when it is none.
    public static func watchDisplayFormat(_ text: String) -> String? {
        func key(_ text: String) -> String {
            String(text.lowercased().filter { !$0.isWhitespace && $0 != "_" && $0 != "-" })
        }
        let wanted = key(text)
        guard !wanted.isEmpty else { return nil }
        let match = watchDisplayFormatAliases.first { entry in
            ([entry.format] + entry.aliases).contains { key($0) == wanted }
        }
        return match?.format
    }

    // MARK: Tables

    /// The watch table (or, with `kind` `.force`, the force table) `name`; 404 when there is none of that kind.
    public func watchOrForceTable(
        _ name: String, kind: WatchTable.Kind, device deviceName: String, sessionID: String? = nil
    ) throws(EngineError) -> WatchTable {
        let device = try self.device(deviceName, sessionID: sessionID)
        let word = kind == .watch ? "watch table" : "force table"
        guard let table = device.watchTable(named: name) else {
            throw EngineError(.notFound, "no \(word) '\(name)' in device \(device.name)")
        }
        guard table.kind == kind else {
            let other = kind == .watch ? "force table" : "watch table"
            throw EngineError(.notFound, "no \(word) '\(name)' in device \(device.name): \(table.name) is a \(other)")
        }
        return table
    }

    /// A table with the live values of its rows, read from one image of the device's virtual PLC; no values when
    /// the PLC holds no download (the rows are then only what the project has).
    public func readWatchTable(
        _ name: String, kind: WatchTable.Kind, device deviceName: String, sessionID: String? = nil
    ) throws(EngineError) -> WatchTableReading {
        let session = try self.session(sessionID)
        let table = try watchOrForceTable(name, kind: kind, device: deviceName, sessionID: session.id)
        let device = try self.device(deviceName, sessionID: session.id)
        guard
            let instance = try plcInstances(sessionID: session.id).first(where: {
                $0.device.caseInsensitiveEquals(device.name)
            }), let downloadedAt = instance.downloadedAt
        else {
            return WatchTableReading(table: table, downloadedAt: nil, values: nil)
        }
        let snapshot = instance.snapshot()
        let now = Date()
        let values = table.entries.map { entry -> WatchValue? in
            guard !entry.isCommentRow else { return nil }
            do {
                let value = try instance.read(entry.operand, in: snapshot)
                return WatchValue(value: value, quality: .good, error: nil, timestamp: now)
            } catch {
                return WatchValue(value: nil, quality: .notFound, error: "\(error)", timestamp: now)
            }
        }
        return WatchTableReading(table: table, downloadedAt: downloadedAt, values: values)
    }

    // MARK: Rows

    /// Appends rows to a table after checking each: an operand, and a display format TIA knows (written as
    /// SimaticML spells it). Nothing changes when one row is refused; the error names it (`entry 2`). Operands are
    /// resolved when the table is read against a download, as TIA checks them when it goes online.
    @discardableResult
    public func addWatchEntries(
        _ entries: [WatchEntry], to name: String, kind: WatchTable.Kind, device deviceName: String,
        sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) -> WatchTable {
        let session = try self.session(sessionID)
        let table = try watchOrForceTable(name, kind: kind, device: deviceName, sessionID: session.id)
        guard !entries.isEmpty else { throw EngineError(.invalidInput, "no entries to add") }
        var checked: [WatchEntry] = []
        for (index, entry) in entries.enumerated() {
            var row = try Self.checkedEntry(entry, label: "entry \(index + 1)")
            // TIA's defaults for a new row: monitor and modify permanently.
            if kind == .watch {
                row.monitorTrigger = row.monitorTrigger ?? "Permanent"
                row.modifyTrigger = row.modifyTrigger ?? "Permanent"
            }
            checked.append(row)
        }
        try updateWatchTable(
            table.name, entries: table.entries + checked, device: deviceName, sessionID: session.id, actor: actor)
        return try watchOrForceTable(table.name, kind: kind, device: deviceName, sessionID: session.id)
    }

    /// Removes the rows naming one of `operands` (case-insensitive, as TIA treats tag names) and the rows at
    /// `indexes` (0-based positions in the table, comment rows included). An operand no row names, or an index out
    /// of the table, is refused and nothing changes. Returns the table and how many rows went.
    @discardableResult
    public func removeWatchEntries(
        operands: [String], indexes: [Int], from name: String, kind: WatchTable.Kind, device deviceName: String,
        sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) -> (table: WatchTable, removed: Int) {
        let session = try self.session(sessionID)
        let table = try watchOrForceTable(name, kind: kind, device: deviceName, sessionID: session.id)
        guard !operands.isEmpty || !indexes.isEmpty else {
            throw EngineError(.invalidInput, "name the rows to remove by 'operands' or 'indexes'")
        }
        var doomed: Set<Int> = []
        for index in indexes {
            guard table.entries.indices.contains(index) else {
                throw EngineError(
                    .invalidInput,
                    "\(table.name) has \(table.entries.count) rows: index \(index) is not one of them (0-based)")
            }
            doomed.insert(index)
        }
        var missing: [String] = []
        for operand in operands {
            let wanted = operand.trimmingCharacters(in: .whitespaces)
            let rows = table.entries.indices.filter { index in
                !table.entries[index].isCommentRow
                    && table.entries[index].operand.trimmingCharacters(in: .whitespaces).caseInsensitiveEquals(wanted)
            }
            if rows.isEmpty { missing.append(operand) }
            doomed.formUnion(rows)
        }
        guard missing.isEmpty else {
            throw EngineError(
                .notFound, "no row of \(table.name) names " + missing.map { "'\($0)'" }.joined(separator: ", "))
        }
        let remaining = table.entries.indices.filter { !doomed.contains($0) }.map { table.entries[$0] }
        try updateWatchTable(table.name, entries: remaining, device: deviceName, sessionID: session.id, actor: actor)
        let updated = try watchOrForceTable(table.name, kind: kind, device: deviceName, sessionID: session.id)
        return (updated, doomed.count)
    }

    /// Removes every row of a table. Returns the table and how many rows went.
    @discardableResult
    public func clearWatchTable(
        _ name: String, kind: WatchTable.Kind, device deviceName: String, sessionID: String? = nil,
        actor: String? = nil
    ) throws(EngineError) -> (table: WatchTable, removed: Int) {
        let session = try self.session(sessionID)
        let table = try watchOrForceTable(name, kind: kind, device: deviceName, sessionID: session.id)
        try updateWatchTable(table.name, entries: [], device: deviceName, sessionID: session.id, actor: actor)
        let updated = try watchOrForceTable(table.name, kind: kind, device: deviceName, sessionID: session.id)
        return (updated, table.entries.count)
    }

    /// A row as the table keeps it: operand and texts trimmed, the display format as SimaticML spells it.
    static func checkedEntry(_ entry: WatchEntry, label: String) throws(EngineError) -> WatchEntry {
        var entry = entry
        entry.operand = entry.operand.trimmingCharacters(in: .whitespaces)
        guard !entry.operand.isEmpty else { throw EngineError(.invalidInput, "\(label): the operand is empty") }
        if let bad = entry.operand.first(where: { $0.isNewline || $0.asciiValue.map { $0 < 32 } == true }) {
            throw EngineError(.invalidInput, "\(label): the operand must not contain \(bad.debugDescription)")
        }
        if let format = entry.displayFormat?.trimmingCharacters(in: .whitespaces) {
            if format.isEmpty {
                entry.displayFormat = nil
            } else if let known = watchDisplayFormat(format) {
                entry.displayFormat = known
            } else {
                let known = watchDisplayFormats.joined(separator: ", ")
                throw EngineError(.invalidInput, "\(label): '\(format)' is no display format of TIA (\(known))")
            }
        }
        if let value = entry.modifyValue?.trimmingCharacters(in: .whitespaces) {
            entry.modifyValue = value.isEmpty ? nil : value
        }
        if let value = entry.forceValue?.trimmingCharacters(in: .whitespaces) {
            entry.forceValue = value.isEmpty ? nil : value
        }
        if let comment = entry.comment, comment.trimmingCharacters(in: .whitespaces).isEmpty { entry.comment = nil }
        return entry
    }

    // MARK: Export and import

    /// Renders a table as SimaticML and, when `path` is given, writes it there (resolved with `resolvePath`; a
    /// folder gets `<table>.xml`; the name must end in `.xml`; `.s7wb` and the project's own table files are off
    /// limits).
    public func exportWatchTable(
        _ name: String, kind: WatchTable.Kind, to path: String? = nil, device deviceName: String,
        sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) -> WatchTableExport {
        let session = try self.session(sessionID)
        let table = try watchOrForceTable(name, kind: kind, device: deviceName, sessionID: session.id)
        let bytes = SimaticMLWriter.watchTable(table)
        guard let path else { return WatchTableExport(table: table, bytes: bytes, filePath: nil) }
        var full = try resolvePath(path, sessionID: session.id)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), isDirectory.boolValue {
            full = try resolvePath(full + "/" + table.name + ".xml", sessionID: session.id)
        }
        if full.split(separator: "/").contains(where: { $0.utf8.count > 255 }) {
            throw EngineError(.invalidInput, "'\(path)': a file or folder name has at most 255 bytes")
        }
        guard (full as NSString).pathExtension.lowercased() == "xml" else {
            throw EngineError(.invalidInput, "'\(path)': a watch or force table is exported to an .xml file")
        }
        let root = Engine.resolvingExistingPrefix(session.project.root)
        let state = root + "/" + VCILayout.stateFolder
        if full == state || full.hasPrefix(state + "/") {
            throw EngineError(.forbidden, "'\(path)' is inside s7wb's own \(VCILayout.stateFolder) folder")
        }
        let projectFiles = session.project.devices.flatMap { device in
            device.blocks.map(\.file.path) + device.tagTables.map(\.file.path) + device.dataTypes.map(\.file.path)
                + device.watchTables.map(\.file.path)
        }
        if projectFiles.contains(where: { root + "/" + $0 == full }) {
            throw EngineError(.conflict, "'\(path)' is a file of the project itself; export somewhere else")
        }
        do {
            try AtomicFile.write(bytes, to: full)
        } catch {
            record(
                session, actor: actor, action: "watchTable.export", target: "\(deviceName)/\(table.name)",
                detail: full, outcome: "failed: \(error.description)")
            throw EngineError(.io, "cannot write '\(path)': \(error.reason)")
        }
        record(
            session, actor: actor, action: "watchTable.export", target: "\(deviceName)/\(table.name)", detail: full,
            outcome: "ok")
        return WatchTableExport(table: table, bytes: bytes, filePath: full)
    }

    /// Imports a watch or force table from a SimaticML document: a new table goes to `group` (below "Watch and
    /// force tables"); an existing one of the same name and kind gets the imported rows with `overwrite`, else the
    /// import is refused. Nothing changes when the document is refused.
    @discardableResult
    public func importWatchTable(
        xml bytes: [UInt8], group: [String] = [], overwrite: Bool = false, device deviceName: String,
        sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) -> WatchTableImport {
        let session = try self.session(sessionID)
        let device = try self.device(deviceName, sessionID: session.id)
        if !group.isEmpty { _ = try Self.folderGroup(group.joined(separator: "/")) }
        let object: SimaticMLObject
        do {
            object = try SimaticMLReader.read(
                bytes: bytes, file: SourceFileRef(path: "import.xml", format: .simaticML), group: group)
        } catch {
            var place = ""
            if let line = error.line { place = " (line \(line)" + (error.column.map { ", column \($0)" } ?? "") + ")" }
            throw EngineError(.invalidInput, "the SimaticML document cannot be read\(place): \(error.message)")
        }
        guard case .watchTable(let imported) = object else {
            throw EngineError(.invalidInput, "the document holds \(Self.objectDescription(object)), not a watch table")
        }
        if let problem = Self.nameProblem(imported.name, isFile: true) {
            throw EngineError(.invalidInput, "watch table '\(imported.name)': \(problem)")
        }
        let kindWord = imported.kind == .watch ? "watch table" : "force table"
        if let existing = device.watchTable(named: imported.name) {
            guard overwrite else {
                throw EngineError(
                    .conflict,
                    "a watch or force table named \(existing.name) exists in \(device.name): give "
                        + "'overwrite' to replace its rows")
            }
            guard existing.kind == imported.kind else {
                throw EngineError(
                    .conflict, "\(existing.name) is a \(existing.kind.rawValue) table, the document a \(kindWord)")
            }
            try updateWatchTable(
                existing.name, entries: imported.entries, device: device.name, sessionID: session.id, actor: actor)
            record(
                session, actor: actor, action: "watchTable.import", target: "\(device.name)/\(existing.name)",
                detail: "replaced: \(imported.entries.count) rows", outcome: "ok")
            let table = try watchOrForceTable(
                existing.name, kind: existing.kind, device: device.name, sessionID: session.id)
            return WatchTableImport(table: table, created: false, replaced: true)
        }
        try create(
            imported.kind == .watch ? .watchTable : .forceTable, named: imported.name, device: device.name,
            group: group, sessionID: session.id, actor: actor)
        try updateWatchTable(
            imported.name, entries: imported.entries, device: device.name, sessionID: session.id, actor: actor)
        record(
            session, actor: actor, action: "watchTable.import", target: "\(device.name)/\(imported.name)",
            detail: "created \(kindWord): \(imported.entries.count) rows", outcome: "ok")
        let table = try watchOrForceTable(
            imported.name, kind: imported.kind, device: device.name, sessionID: session.id)
        return WatchTableImport(table: table, created: true, replaced: false)
    }

    /// `importWatchTable` from a file (resolved with `resolvePath`: inside the project folder or the files root).
    @discardableResult
    public func importWatchTable(
        filePath: String, group: [String] = [], overwrite: Bool = false, device deviceName: String,
        sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) -> WatchTableImport {
        let session = try self.session(sessionID)
        _ = try self.device(deviceName, sessionID: session.id)
        let data = try readCallerFile(filePath, sessionID: session.id, limit: Self.maximumTagFileSize)
        return try importWatchTable(
            xml: data, group: group, overwrite: overwrite, device: deviceName, sessionID: session.id,
            actor: actor)
    }

    private static func objectDescription(_ object: SimaticMLObject) -> String {
        switch object {
        case .block(let block): "the block \(block.name)"
        case .dataType(let type): "the PLC data type \(type.name)"
        case .tagTable(let table): "the tag table \(table.name)"
        case .watchTable(let table): "the table \(table.name)"
        }
    }
}
