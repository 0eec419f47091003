public import Foundation
import S7Compiler
public import S7Model
import S7Protocol
import S7Runtime
import SimaticML

/// The live value of one watch table row, as TIA's "Monitor value" column shows it.
public struct WatchValue: Sendable, Hashable {
    public enum Quality: String, Sendable, Hashable {
        case good
        /// The operand does not resolve against the program in the PLC (unknown tag, member or address), or the
        /// real PLC has no such DB or address.
        case notFound = "bad: not found"
        /// The real PLC does not answer, or S7comm cannot reach the operand (a member of an optimized DB).
        case notReachable = "bad: not reachable"
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
    /// Where the values come from: the virtual PLC, or the real PLC the device is online with.
    public var target: OnlineTarget
    /// When the program the values come from was downloaded; nil when the device's virtual PLC holds none, and for
    /// a real PLC.
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
    /// the PLC holds no download (the rows are then only what the project has). A device online with a real PLC
    /// reads its rows there, in as few S7comm jobs as the PDU allows.
    public func readWatchTable(
        _ name: String, kind: WatchTable.Kind, device deviceName: String, sessionID: String? = nil
    ) async throws(EngineError) -> WatchTableReading {
        let session = try self.session(sessionID)
        let table = try watchOrForceTable(name, kind: kind, device: deviceName, sessionID: session.id)
        let device = try self.device(deviceName, sessionID: session.id)
        if let link = plcLink(device: device, in: session) {
            let values = try await readOperands(table.entries, from: link, device: device, session: session)
            return WatchTableReading(table: table, target: .plc, downloadedAt: nil, values: values)
        }
        guard
            let instance = try plcInstances(sessionID: session.id).first(where: {
                $0.device.caseInsensitiveEquals(device.name)
            }), let downloadedAt = instance.downloadedAt
        else {
            return WatchTableReading(table: table, target: .virtual, downloadedAt: nil, values: nil)
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
        return WatchTableReading(table: table, target: .virtual, downloadedAt: downloadedAt, values: values)
    }

    /// The rows' values read from a real PLC: every reachable operand in one read (split to the PDU by the client).
    private func readOperands(
        _ entries: [WatchEntry], from link: PLCLink, device: Device, session: Session
    ) async throws(EngineError) -> [WatchValue?] {
        let (resolver, optimized) = try plcSymbols(link, device: device, session: session)
        var values: [WatchValue?] = Array(repeating: nil, count: entries.count)
        var reads: [(row: Int, location: OperandLocation, address: S7VariableAddress)] = []
        let now = Date()
        for (row, entry) in entries.enumerated() where !entry.isCommentRow {
            do {
                let location = try resolver.locate(entry.operand)
                switch PLCLink.address(of: location, optimized: optimized) {
                case .success(let address): reads.append((row, location, address))
                case .failure(let error):
                    values[row] = WatchValue(value: nil, quality: .notReachable, error: error.message, timestamp: now)
                }
            } catch {
                values[row] = WatchValue(value: nil, quality: .notFound, error: error.message, timestamp: now)
            }
        }
        guard !reads.isEmpty else { return values }
        let addresses = reads.map(\.address)
        let results: [Result<[UInt8], S7ReturnCode>]
        do {
            results = try await link.connection.perform { client async throws(S7ClientError) in
                try await client.read(addresses)
            }
        } catch {
            let reason = Self.engineError(error, device: device.name, link: link).message
            for read in reads {
                values[read.row] = WatchValue(value: nil, quality: .notReachable, error: reason, timestamp: Date())
            }
            return values
        }
        let time = Date()
        for (read, result) in zip(reads, results) {
            switch result {
            case .success(let bytes):
                if let value = PLCLink.value(bytes, at: read.location) {
                    values[read.row] = WatchValue(value: value, quality: .good, error: nil, timestamp: time)
                } else {
                    values[read.row] = WatchValue(
                        value: nil, quality: .notFound, error: "the PLC answered \(bytes.count) bytes", timestamp: time)
                }
            case .failure(let code):
                let quality: WatchValue.Quality =
                    code == .objectDoesNotExist || code == .addressOutOfRange ? .notFound : .notReachable
                values[read.row] = WatchValue(
                    value: nil, quality: quality, error: "\(read.address): \(code)", timestamp: time)
            }
        }
        return values
    }

    /// Operands read from the real PLC the device is online with (one value per operand, in one batch); nil when
    /// the device is not online with a real PLC. The workbench monitors its open tables with this.
    public func readOperandsFromPLC(
        _ operands: [String], device deviceName: String, sessionID: String? = nil
    ) async throws(EngineError) -> [WatchValue]? {
        let session = try self.session(sessionID)
        let device = try self.device(deviceName, sessionID: session.id)
        guard let link = plcLink(device: device, in: session) else { return nil }
        let values = try await readOperands(
            operands.map { WatchEntry(operand: $0) }, from: link, device: device, session: session)
        return values.map { $0 ?? WatchValue(value: nil, quality: .notFound, error: "no operand", timestamp: Date()) }
    }

    /// TIA's "Modify now" on a watch table: writes the modify value of the given rows (by index; by default every
    /// row that has one) to the PLC the device is online with (its virtual PLC otherwise, at the next cycle start).
    /// Every value is checked first: nothing is written when one is refused. Answers the rows written.
    @discardableResult
    public func modifyWatchTable(
        _ name: String, rows: [Int]? = nil, device deviceName: String, sessionID: String? = nil, actor: String? = nil
    ) async throws(EngineError) -> [(index: Int, entry: WatchEntry)] {
        let session = try self.session(sessionID)
        let table = try watchOrForceTable(name, kind: .watch, device: deviceName, sessionID: session.id)
        let device = try self.device(deviceName, sessionID: session.id)
        var chosen: [(index: Int, entry: WatchEntry)] = []
        if let rows {
            for row in rows {
                guard table.entries.indices.contains(row), !table.entries[row].isCommentRow else {
                    throw EngineError(.invalidInput, "\(table.name) has no operand row \(row)")
                }
                guard table.entries[row].modifyValue != nil else {
                    throw EngineError(.invalidInput, "row \(row) (\(table.entries[row].operand)) has no modify value")
                }
                chosen.append((row, table.entries[row]))
            }
        } else {
            chosen = table.entries.enumerated().filter { !$0.element.isCommentRow && $0.element.modifyValue != nil }
                .map { ($0.offset, $0.element) }
        }
        guard !chosen.isEmpty else { throw EngineError(.invalidInput, "no row of \(table.name) has a modify value") }
        let writes = chosen.map { (operand: $0.entry.operand, literal: $0.entry.modifyValue ?? "") }
        if let link = plcLink(device: device, in: session) {
            try await modifyPLC(writes, link: link, device: device, session: session, actor: actor)
            return chosen
        }
        let instance = try plcInstance(device: device.name, sessionID: session.id)
        guard instance.downloadedAt != nil else {
            throw EngineError(.conflict, "\(device.name) has no program: download first")
        }
        var checked: [(OperandLocation, PLCValue)] = []
        for write in writes {
            let location = try instance.locate(write.operand)
            checked.append((location, try Self.parse(write.literal, for: write.operand, as: location.dataType)))
        }
        for (location, value) in checked {
            do { try instance.plc.write(value, at: location) } catch {
                throw EngineError(.invalidInput, error.description)
            }
        }
        record(
            session, actor: actor, action: "plc.modify", target: "\(device.name)/\(table.name)",
            detail: writes.map { "\($0.operand)=\($0.literal)" }.joined(separator: ", "), outcome: "ok")
        return chosen
    }

    /// The project's symbols for a real PLC's operands, compiled again when the device changed since.
    func plcSymbols(
        _ link: PLCLink, device: Device, session: Session
    ) throws(EngineError) -> (OperandResolver, Set<Int>) {
        if let current = link.resolver(for: device, library: session.project.library) { return current }
        let (_, compiled) = try compile(device: device.name, sessionID: session.id)
        return link.refresh(
            device: device, library: session.project.library,
            optimizedDataBlocks: Self.optimizedDataBlocks(compiled.program))
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
