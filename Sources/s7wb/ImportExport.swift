import ArgumentParser
import Foundation
import S7Model
import SimaticML
import Workbench

/// `s7wb import PROJECT FILE... [--device NAME] [--group G] [--table T] [--replace] [--overwrite]`: brings files into
/// a project through the engine and saves it: SimaticML documents (blocks, PLC data types, tag tables, watch and
/// force tables), SCL sources (`.scl`, `.db`: blocks; `.udt`: data types) and tag files (`.csv`, `.xlsx` in TIA's
/// tag export layout, `.json`).
///
/// Every file is read and checked before anything changes; a file with a bad row or element is reported with its
/// row (or line and column) and nothing is imported. Exit status 0 when everything was imported, 1 otherwise.
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import SimaticML, SCL sources and tag files (CSV, XLSX, JSON) into a project.")

    @Argument(help: "The project folder.")
    var project: String

    @Argument(help: "Files to import: .xml (SimaticML), .scl, .db, .udt, .csv, .xlsx, .json.")
    var files: [String]

    @Option(help: "The PLC of the project (needed when it has several).")
    var device: String?

    @Option(help: "The block or data type group (folder below Program blocks / PLC data types), e.g. Machines/Line1.")
    var group: String?

    @Option(help: "The tag table that tag files go into (default: the file's own table names, else the default table).")
    var table: String?

    @Flag(help: "A tag file replaces the table's rows instead of merging into them.")
    var replace = false

    @Flag(help: "Replace blocks, data types and watch tables of the same name.")
    var overwrite = false

    func run() async throws {
        let engine = Engine(configuration: Engine.Configuration(defaultActor: "cli", filesRoot: "/"))
        var lines: [String] = []
        do throws(EngineError) {
            _ = try await engine.openProject(at: project, actor: "cli", history: .inMemory)
            let plc = try await engine.plcDevice(device).name
            let groups = (group ?? "").split(separator: "/").map(String.init)
            let paths = files.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
            // Read and check every file first: nothing changes when one of them is bad.
            var kinds: [ImportKind] = []
            for path in paths { kinds.append(try Self.kind(of: path)) }
            try Self.checkNames(paths, device: try await engine.plcDevice(device), overwrite: overwrite)
            for (path, kind) in zip(paths, kinds) {
                let name = (path as NSString).lastPathComponent
                switch kind {
                case .blocks:
                    let objects = try await engine.importBlocks(
                        from: path, device: plc, group: groups, overwrite: overwrite, actor: "cli")
                    lines += objects.map { "\(name): \($0.replaced ? "replaced" : "added") \($0.kind) \($0.name)" }
                case .dataTypes:
                    let objects = try await engine.importDataTypes(
                        from: path, device: plc, group: groups, overwrite: overwrite, actor: "cli")
                    lines += objects.map { "\(name): \($0.replaced ? "replaced" : "added") \($0.kind) \($0.name)" }
                case .tags(let format):
                    let result = try await engine.importTags(
                        filePath: path, format: format, table: table, mode: replace ? .replace : .merge, device: plc,
                        actor: "cli")
                    lines.append(Self.describe(result, file: name))
                case .tagTable(let tagTable):
                    let sheet = TagSheet(tags: tagTable.tags, constants: tagTable.constants)
                    let result = try await engine.importTags(
                        sheet, table: table ?? tagTable.name, mode: replace ? .replace : .merge, device: plc,
                        actor: "cli")
                    lines.append(Self.describe(result, file: name))
                case .watchTable:
                    let result = try await engine.importWatchTable(
                        filePath: path, group: groups, overwrite: overwrite, device: plc, actor: "cli")
                    lines.append(
                        "\(name): \(result.replaced ? "replaced" : "added") \(result.table.kind.rawValue) table "
                            + "\(result.table.name) (\(result.table.entries.count) rows)")
                }
            }
            _ = try await engine.save(actor: "cli")
        } catch {
            await engine.shutdown()
            for line in lines { print(line) }
            FileHandle.standardError.write(Data("s7wb import: \(error.message)\n".utf8))
            throw ExitCode(1)
        }
        await engine.shutdown()
        for line in lines { print(line) }
    }

    enum ImportKind {
        case blocks, dataTypes
        case tags(TagFileFormat)
        case tagTable(TagTable)
        case watchTable
    }

    /// What a file holds, read and checked: a bad file throws with its location.
    static func kind(of path: String) throws(EngineError) -> ImportKind {
        let name = (path as NSString).lastPathComponent
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EngineError(.notFound, "cannot read \(path)")
        }
        let bytes = [UInt8](data)
        switch (path as NSString).pathExtension.lowercased() {
        case "xml":
            let object: SimaticMLObject
            do {
                object = try SimaticMLReader.read(
                    bytes: bytes, file: SourceFileRef(path: name, format: .simaticML))
            } catch {
                throw EngineError(.invalidInput, "\(name): \(error.description)")
            }
            switch object {
            case .block: return .blocks
            case .dataType: return .dataTypes
            case .tagTable(let table): return .tagTable(table)
            case .watchTable: return .watchTable
            }
        case "scl", "db": return .blocks
        case "udt": return .dataTypes
        case let fileExtension:
            guard let format = TagFileFormat(rawValue: fileExtension) else {
                throw EngineError(
                    .invalidInput,
                    "\(name): s7wb imports .xml (SimaticML), .scl, .db, .udt, .csv, .xlsx and .json files")
            }
            do { _ = try TagExchange.read(bytes, as: format) } catch {
                throw EngineError(.invalidInput, "\(name): \(error.description)")
            }
            return .tags(format)
        }
    }

    /// Refuses, before anything is written, blocks, data types and watch tables whose names clash: with each
    /// other across the files, with the device's (unless `overwrite`), or a block number the device gives another
    /// block of the same kind.
    static func checkNames(_ paths: [String], device: Device, overwrite: Bool) throws(EngineError) {
        var seen: [String: String] = [:]
        for path in paths {
            let file = (path as NSString).lastPathComponent
            let bytes = FileManager.default.contents(atPath: path).map { [UInt8]($0) } ?? []
            var objects: [SimaticMLObject] = []
            switch (path as NSString).pathExtension.lowercased() {
            case "xml":
                if let object = try? SimaticMLReader.read(
                    bytes: bytes, file: SourceFileRef(path: file, format: .simaticML))
                {
                    objects = [object]
                }
            case "scl", "db", "udt":
                objects =
                    SCLSourceReader.read(
                        bytes: bytes, file: SourceFileRef(path: file, format: .sclSource), group: []
                    ).objects
            default: continue
            }
            for object in objects {
                let name: String
                switch object {
                case .block(let block):
                    name = block.name
                    if let number = block.number,
                        let other = device.blocks.first(where: {
                            $0.number == number && $0.kind.numberPrefix == block.kind.numberPrefix
                                && $0.name.lowercased() != block.name.lowercased()
                        })
                    {
                        throw EngineError(
                            .conflict, "\(file): \(block.displayNumber) is \"\(other.name)\" in \(device.name) already")
                    }
                    if !overwrite, device.block(named: name) != nil {
                        throw EngineError(
                            .conflict,
                            "\(file): \(name) already exists in \(device.name); pass --overwrite to replace it")
                    }
                case .dataType(let type):
                    name = type.name
                    if !overwrite, device.dataType(named: name) != nil {
                        throw EngineError(
                            .conflict,
                            "\(file): \(name) already exists in \(device.name); pass --overwrite to replace it")
                    }
                case .watchTable(let table):
                    name = table.name
                    if !overwrite, device.watchTables.contains(where: { $0.name.lowercased() == name.lowercased() }) {
                        throw EngineError(
                            .conflict,
                            "\(file): \(name) already exists in \(device.name); pass --overwrite to replace it")
                    }
                case .tagTable: continue
                }
                if let earlier = seen[name.lowercased()] {
                    throw EngineError(.conflict, "\(name) is in both \(earlier) and \(file)")
                }
                seen[name.lowercased()] = file
            }
        }
    }

    static func describe(_ result: TagImportResult, file: String) -> String {
        "\(file): tag table \(result.table)\(result.tableCreated ? " (new)" : ""): \(result.tagsAdded) tags added, "
            + "\(result.tagsUpdated) updated, \(result.tagsRemoved) removed; \(result.constantsAdded) constants "
            + "added, \(result.constantsUpdated) updated, \(result.constantsRemoved) removed"
    }
}

/// `s7wb export PROJECT OBJECT... [--device NAME] [--format simaticml|scl|csv|xlsx|json] [-o DIR]`: writes blocks,
/// PLC data types, tag tables and watch/force tables to files, named after the object.
///
/// The default format is the object's own: SimaticML for objects read from XML (written as the project holds
/// them), SCL sources for source blocks (`.scl`, `.db`) and types (`.udt`), SimaticML for tag and watch tables.
/// `scl` writes an SCL-source block's source, or a SimaticML SCL block's networks with its interface as source;
/// `csv`, `xlsx` and `json` are for tag tables.
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export blocks, data types, tag tables and watch tables (SimaticML, SCL, CSV, XLSX, JSON).")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case simaticml, scl, csv, xlsx, json
    }

    @Argument(help: "The project folder.")
    var project: String

    @Argument(help: "Objects by name: blocks, PLC data types, tag tables, watch or force tables.")
    var objects: [String]

    @Option(help: "The PLC of the project (needed when it has several).")
    var device: String?

    @Option(help: "simaticml, scl (SCL source), csv, xlsx or json (tag tables).")
    var format: Format?

    @Option(
        name: [.customShort("o"), .customLong("output")], help: "The folder to write to (default: the current one).")
    var output: String = "."

    @Option(
        name: .customLong("version"),
        help: "SimaticML for this TIA version (V15…V21: its Interface, FlgNet and StructuredText namespaces).")
    var engineeringVersion: String?

    func validate() throws {
        let versions = ["V15", "V15.1", "V16", "V17", "V18", "V19", "V20", "V21"]
        if let engineeringVersion, !versions.contains(engineeringVersion) {
            throw ValidationError("--version takes \(versions.joined(separator: ", ")), not \(engineeringVersion)")
        }
    }

    func run() async throws {
        let engine = Engine(configuration: Engine.Configuration(defaultActor: "cli", filesRoot: "/"))
        let folder = URL(fileURLWithPath: output).standardizedFileURL.path
        var lines: [String] = []
        do throws(EngineError) {
            _ = try await engine.openProject(at: project, actor: "cli", history: .inMemory)
            let plc = try await engine.plcDevice(device)
            let names = objects.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")) }
            // Every name must be known before anything is written.
            for name in names where !Self.holds(plc, name) {
                throw EngineError(
                    .notFound, "no block, PLC data type, tag table or watch table '\(name)' in \(plc.name)")
            }
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for name in names {
                lines.append(try await export(name, from: plc, engine: engine, folder: folder))
            }
        } catch {
            await engine.shutdown()
            for line in lines { print(line) }
            FileHandle.standardError.write(Data("s7wb export: \(error.message)\n".utf8))
            throw ExitCode(1)
        }
        await engine.shutdown()
        for line in lines { print(line) }
    }

    static func holds(_ plc: Device, _ name: String) -> Bool {
        let lowered = name.lowercased()
        return plc.block(named: name) != nil || plc.dataType(named: name) != nil
            || plc.tagTables.contains { $0.name.lowercased() == lowered }
            || plc.watchTables.contains { $0.name.lowercased() == lowered }
    }

    func export(_ name: String, from plc: Device, engine: Engine, folder: String) async throws(EngineError) -> String {
        if let block = plc.block(named: name) {
            return try await exportBlock(block, plc: plc, engine: engine, folder: folder)
        }
        if let type = plc.dataType(named: name) {
            guard format == nil || format == .simaticml || format == .scl else {
                throw EngineError(.invalidInput, "a PLC data type exports as simaticml or scl (.udt), not \(format!)")
            }
            let isXML = type.file.format == .simaticML
            if format == .scl && isXML {
                // A SimaticML data type as a `.udt` source: its members with their types and start values.
                let spec = DataTypeSpec(
                    name: type.name,
                    members: type.members.map {
                        MemberSpec(name: $0.name, dataType: Self.sclType($0), startValue: $0.startValue)
                    })
                let path = folder + "/" + type.name + ".udt"
                try write(Array("\u{FEFF}".utf8) + Array(SCLSourceGenerator.source(for: spec).utf8), to: path)
                return "\(type.name) -> \(path)"
            }
            if format == .simaticml && !isXML {
                let file = try await engine.exportDataType(
                    type.name, device: plc.name, to: folder + "/" + type.name + ".xml",
                    engineeringVersion: engineeringVersion, actor: "cli")
                return "\(type.name) -> \(file.path)" + (engineeringVersion.map { " (\($0))" } ?? "")
            }
            if isXML, let engineeringVersion {
                let path = folder + "/" + type.name + ".xml"
                try write(SimaticMLWriter.dataType(type, engineeringVersion: engineeringVersion), to: path)
                return "\(type.name) -> \(path) (\(engineeringVersion))"
            }
            let file = try await engine.exportDataType(
                type.name, device: plc.name, to: folder + "/" + type.name + (isXML ? ".xml" : ".udt"), actor: "cli")
            return "\(type.name) -> \(file.path)"
        }
        if let table = plc.tagTables.first(where: { $0.name.lowercased() == name.lowercased() }) {
            let tagFormat: TagFileFormat?
            switch format ?? .simaticml {
            case .csv: tagFormat = .csv
            case .xlsx: tagFormat = .xlsx
            case .json: tagFormat = .json
            case .simaticml: tagFormat = nil
            case .scl: throw EngineError(.invalidInput, "a tag table exports as simaticml, csv, xlsx or json")
            }
            if let tagFormat {
                let path = folder + "/" + table.name + "." + tagFormat.fileExtension
                let export = try await engine.exportTagTable(table.name, as: tagFormat, to: path, device: plc.name)
                return "\(table.name) -> \(export.filePath ?? path) (\(export.rows) rows)"
            }
            let path = folder + "/" + table.name + ".xml"
            try write(SimaticMLWriter.tagTable(table, engineeringVersion: engineeringVersion ?? "V17"), to: path)
            return "\(table.name) -> \(path)"
        }
        if let table = plc.watchTables.first(where: { $0.name.lowercased() == name.lowercased() }) {
            guard format == nil || format == .simaticml else {
                throw EngineError(.invalidInput, "a watch or force table exports as simaticml")
            }
            let path = folder + "/" + table.name + ".xml"
            try write(SimaticMLWriter.watchTable(table, engineeringVersion: engineeringVersion ?? "V17"), to: path)
            return "\(table.name) -> \(path)"
        }
        throw EngineError(.notFound, "no block, PLC data type, tag table or watch table '\(name)' in \(plc.name)")
    }

    func exportBlock(
        _ block: Block, plc: Device, engine: Engine, folder: String
    ) async throws(EngineError) -> String {
        let isXML = block.file.format == .simaticML
        let sourceExtension = block.kind.isDataBlock ? ".db" : ".scl"
        switch format {
        case .csv, .xlsx, .json:
            throw EngineError(.invalidInput, "a block exports as simaticml or scl, not \(format!.rawValue)")
        case .scl where isXML && block.kind.isDataBlock:
            // A SimaticML DB as a `.db` source: its members and start values, or the FB / type it is an instance of.
            let members = block.interface.sections.filter { $0.kind != .temp && $0.kind != .constant }
                .flatMap(\.members)
            let spec = BlockSpec(
                kind: .dataBlock, name: block.name, number: block.number, optimizedAccess: block.isOptimized,
                sections: block.instanceOf == nil
                    ? [
                        InterfaceSectionSpec(
                            .static,
                            members: members.map {
                                MemberSpec(name: $0.name, dataType: Self.sclType($0), startValue: $0.startValue)
                            })
                    ] : [], instanceOf: block.instanceOf)
            let path = folder + "/" + block.name + ".db"
            try write(Array("\u{FEFF}".utf8) + Array(SCLSourceGenerator.source(for: spec).utf8), to: path)
            return "\(block.name) -> \(path)"
        case .scl where isXML:
            guard block.language == .scl, let text = Self.sclSource(of: block) else {
                throw EngineError(
                    .unsupported,
                    "\(block.displayNumber) \"\(block.name)\" is a \(block.language.rawValue) block; only SCL blocks "
                        + "export as SCL source (`s7wb show --scl` shows the SCL s7wb simulates it with)")
            }
            let path = folder + "/" + block.name + sourceExtension
            try write(Array("\u{FEFF}".utf8) + Array(text.utf8), to: path)
            return "\(block.name) -> \(path)"
        case .simaticml where !isXML:
            let file = try await engine.exportBlock(
                block.name, device: plc.name, to: folder + "/" + block.name + ".xml",
                engineeringVersion: engineeringVersion, actor: "cli")
            return "\(block.name) -> \(file.path)" + (engineeringVersion.map { " (\($0))" } ?? "")
        default:
            if isXML, let engineeringVersion {
                let path = folder + "/" + block.name + ".xml"
                try write(SimaticMLWriter.block(block, engineeringVersion: engineeringVersion), to: path)
                return "\(block.name) -> \(path) (\(engineeringVersion))"
            }
            let file = try await engine.exportBlock(
                block.name, device: plc.name, to: folder + "/" + block.name + (isXML ? ".xml" : sourceExtension),
                actor: "cli")
            return "\(block.name) -> \(file.path)"
        }
    }

    /// A member's type as SCL declares it: a `Struct` (also as array element) with its members spelled out.
    static func sclType(_ member: S7Model.Member) -> String {
        guard !member.members.isEmpty else { return member.dataType }
        let inner = member.members.map { "\($0.name) : \(sclType($0));" }.joined(separator: " ")
        let structure = "Struct " + inner + " END_STRUCT"
        let type = member.dataType
        if type.lowercased().hasSuffix("struct"), type.lowercased().hasPrefix("array") {
            return String(type.dropLast("struct".count)) + structure
        }
        return structure
    }

    /// The SCL source of a SimaticML SCL block: header, interface and its networks' text, one after the other.
    static func sclSource(of block: Block) -> String? {
        var body: [String] = []
        for network in block.networks {
            guard let text = try? StructuredText.text(ofNetworkSource: network.sourceXML) else { return nil }
            body.append(text)
        }
        let sections = block.interface.sections.filter { !$0.members.isEmpty && $0.kind != .return }.map { section in
            InterfaceSectionSpec(
                section.kind,
                members: section.members.map {
                    MemberSpec(name: $0.name, dataType: sclType($0), startValue: $0.startValue)
                })
        }
        let spec = BlockSpec(
            kind: BlockSpec.Kind(block.kind), name: block.name, number: block.number,
            optimizedAccess: block.isOptimized, returnType: block.returnType, sections: sections,
            code: body.joined(separator: "\n"))
        return SCLSourceGenerator.source(for: spec)
    }

    func write(_ bytes: [UInt8], to path: String) throws(EngineError) {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw EngineError(.io, "cannot write \(path)")
        }
    }
}
