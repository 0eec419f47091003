import Foundation
import S7Compiler
import S7Diagnostics
public import S7Model
import S7Runtime
import SCLSyntax
import SimaticML

/// A file of a device's `External source files` folder: T-IA Connect's external sources, SCL text that becomes
/// blocks only when generated.
public struct ExternalSourceFile: Sendable, Hashable {
    /// The file name with its extension: `Motors.scl`.
    public var name: String
    /// Relative to the project root.
    public var path: String
    /// Sub-folders below `External source files`.
    public var folder: [String]
    public var sizeBytes: Int
}

/// A block or PLC data type that an import or a generation put into the program.
public struct GeneratedProgramObject: Sendable, Hashable {
    /// `OB`, `FB`, `FC`, `GlobalDB`, `InstanceDB`, `TypedDB`, or `UDT`.
    public var kind: String
    public var name: String
    /// Its file, relative to the project root.
    public var path: String
    /// Whether it replaced an object of the same name.
    public var replaced: Bool
}

/// What an export wrote.
public struct ExportedObjectFile: Sendable, Hashable {
    /// The absolute path written.
    public var path: String
    /// `SimaticML` or `SCL`.
    public var format: String
    public var sizeBytes: Int
}

/// One object of an import or generation, checked and ready to join the program.
private struct PlannedObject {
    var object: SimaticMLObject
    var path: String
    var replacing: ReplacedObject?
    /// Bytes written to `path` at once (SimaticML files, which the engine does not write on save).
    var writeNow: [UInt8]?
}

private struct ReplacedObject {
    var name: String
    var path: String
    var isBlock: Bool
}

/// Blocks, PLC data types, their folders and T-IA Connect's external sources.
///
/// Blocks and types from SCL sources (`.scl`, `.db`, `.udt`) are edited as text: a generated source, or a
/// declaration changed in place by `SCLSourceGenerator`, is read back with `SCLSourceReader` so the model (and the
/// compiler's view) always follows the text. SimaticML blocks and types are read-only here: they can be imported,
/// exported, deleted and restored from snapshots, not edited.
extension Engine {
    /// The device folder TIA Portal's external sources map to.
    public static let externalSourcesFolder = VCILayout.externalSources
    /// The reason `createBlockSnapshot` records, which `loadBlockSnapshot` looks for.
    public static let blockSnapshotReason = "block snapshot"

    // MARK: Create and update blocks

    /// Creates a block from a spec: its SCL source is generated as TIA writes it and read back, so the block is the
    /// one a later open reads. Names, the number, sections, data types and start values are checked first.
    @discardableResult
    public func createBlock(
        _ spec: BlockSpec, device deviceName: String, group: [String] = [], sessionID: String? = nil,
        actor: String? = nil
    ) throws(EngineError) -> Block {
        let session = try self.session(sessionID)
        let device = try blockDevice(deviceName, in: session)
        try Self.checkBlockName(spec.name, what: "block")
        try Self.checkFreeName(spec.name, in: device)
        try Self.checkSpec(spec, in: device, library: session.project.library)
        return try createBlock(
            source: SCLSourceGenerator.source(for: spec), number: spec.number, device: deviceName, group: group,
            sessionID: session.id, actor: actor)
    }

    /// Creates a block from a whole SCL source holding exactly one block (`FUNCTION_BLOCK "x" … END_FUNCTION_BLOCK`),
    /// filed as `Program blocks/<group>/<name>.scl` (`.db` for a data block) and written on the next save. With
    /// `expected`, a source declaring another name or kind is refused.
    @discardableResult
    public func createBlock(
        source: String, number: Int? = nil, expecting expected: (name: String, kind: BlockSpec.Kind)? = nil,
        device deviceName: String, group: [String] = [], sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) -> Block {
        var session = try self.session(sessionID)
        let deviceIndex = try blockDeviceIndex(deviceName, in: session)
        let device = session.project.devices[deviceIndex]
        try Self.checkFolder(group, allowEmpty: true)
        let objects = try Self.readSource(source, path: "new.scl", group: group, checkSyntax: true)
        guard objects.count == 1, case .block(var block) = objects[0] else {
            throw EngineError(
                .invalidInput, "the source must hold exactly one block; it holds \(Self.describe(objects))")
        }
        if let expected {
            guard block.name.caseInsensitiveEquals(expected.name) else {
                throw EngineError(.invalidInput, "the source declares \(block.name), not \(expected.name)")
            }
            guard BlockSpec.Kind(block.kind) == expected.kind else {
                throw EngineError(
                    .invalidInput, "the source declares a \(block.kind.rawValue), not a \(expected.kind.rawValue)")
            }
        }
        try Self.checkBlockName(block.name, what: "block")
        try Self.checkFreeName(block.name, in: device)
        if let number { try Self.checkNumber(number, kind: block.kind, in: device, ignoring: nil) }
        let isDB = block.kind.isDataBlock
        let path = Self.objectPath(
            in: device, folder: VCILayout.programBlocks, group: group, name: block.name, extension: isDB ? "db" : "scl")
        try checkPathFree(path, in: session)
        block.file = SourceFileRef(path: path, format: isDB ? .dbSource : .sclSource)
        block.group = group
        block.number = number
        var blocks = device.blocks + [block]
        BlockNumbering.assign(&blocks)
        session.project.devices[deviceIndex].blocks = blocks
        session.dirtyFiles.insert(path)
        session.removedFiles.remove(path)
        sessions[session.id] = session
        let created = blocks[blocks.count - 1]
        record(
            session, actor: actor, action: "block.create", target: "\(device.name)/\(created.name)",
            detail: created.displayNumber, outcome: "ok")
        hub.publish(.objectChanged(sessionID: session.id, kind: "block", device: device.name, name: created.name))
        return created
    }

    /// Replaces the whole source of an SCL-source block; the text must hold this one block (same name, same kind).
    /// SimaticML blocks are refused (`.unsupported`): s7wb does not write SimaticML blocks.
    @discardableResult
    public func updateBlockContent(
        _ name: String, device deviceName: String, source: String, number: Int? = nil, sessionID: String? = nil,
        actor: String? = nil
    ) throws(EngineError) -> Block {
        var session = try self.session(sessionID)
        let (deviceIndex, blockIndex) = try editableBlock(name, device: deviceName, in: session)
        let device = session.project.devices[deviceIndex]
        let block = device.blocks[blockIndex]
        let objects = try Self.readSource(source, path: block.file.path, group: block.group, checkSyntax: true)
        var updated = try Self.singleBlock(objects, replacing: block)
        if let number, number != block.number {
            try Self.checkNumber(number, kind: updated.kind, in: device, ignoring: blockIndex)
            updated.number = number
            updated.attributes["AutoNumber"] = nil
        }
        snapshot(session, kind: "block", path: block.file.path, reason: "before updating \(block.name)", actor: actor)
        session.project.devices[deviceIndex].blocks[blockIndex] = updated
        session.dirtyFiles.insert(block.file.path)
        sessions[session.id] = session
        record(
            session, actor: actor, action: "block.updateContent", target: "\(device.name)/\(block.name)",
            outcome: "ok")
        hub.publish(.objectChanged(sessionID: session.id, kind: "block", device: device.name, name: updated.name))
        return updated
    }

    /// Replaces an SCL-source block's source with one generated from `spec` (its name is the block's).
    @discardableResult
    public func updateBlockContent(
        _ name: String, device deviceName: String, spec: BlockSpec, sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) -> Block {
        let session = try self.session(sessionID)
        let (deviceIndex, blockIndex) = try editableBlock(name, device: deviceName, in: session)
        let device = session.project.devices[deviceIndex]
        var spec = spec
        spec.name = device.blocks[blockIndex].name
        try Self.checkSpec(spec, in: device, library: session.project.library)
        return try updateBlockContent(
            name, device: deviceName, source: SCLSourceGenerator.source(for: spec), number: spec.number,
            sessionID: session.id, actor: actor)
    }

    // MARK: Interface members

    /// Declares a new member in a section of an SCL-source block (the section is created where TIA puts it when
    /// the block has none yet); the rest of the source stays byte for byte.
    @discardableResult
    public func addInterfaceMember(
        _ member: MemberSpec, section: InterfaceSection.Kind, block name: String, device deviceName: String,
        sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) -> Block {
        let session = try self.session(sessionID)
        let (deviceIndex, blockIndex) = try editableBlock(name, device: deviceName, in: session)
        let device = session.project.devices[deviceIndex]
        let block = device.blocks[blockIndex]
        try Self.checkSection(section, for: block)
        try Self.checkMember(
            member, in: device, library: session.project.library, owner: block.name,
            forType: block.kind.isDataBlock)
        if block.interface.allMembers.contains(where: { $0.name.caseInsensitiveEquals(member.name) }) {
            throw EngineError(.conflict, "\(block.name) already declares a member \(member.name)")
        }
        let text = try SCLSourceGenerator.addingMember(member, to: section, unit: block.name, in: block.sourceText!)
        return try commitBlockEdit(
            text, deviceIndex: deviceIndex, blockIndex: blockIndex, sessionID: session.id, actor: actor,
            action: "block.addMember", detail: "\(section.rawValue) \(member.name)", checkSyntax: false)
    }

    /// Changes a member's name, type, start value or comment in place; with `section` naming another section, moves
    /// it there.
    @discardableResult
    public func updateInterfaceMember(
        _ memberName: String, block name: String, device deviceName: String, change: MemberChange,
        section: InterfaceSection.Kind? = nil, sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) -> Block {
        let session = try self.session(sessionID)
        let (deviceIndex, blockIndex) = try editableBlock(name, device: deviceName, in: session)
        let device = session.project.devices[deviceIndex]
        let block = device.blocks[blockIndex]
        let (currentSection, member) = try Self.interfaceMember(memberName, of: block)
        if let newName = change.name, !newName.caseInsensitiveEquals(member.name) {
            if let problem = Self.nameProblem(newName, isFile: false) {
                throw EngineError(.invalidInput, "member '\(newName)': \(problem)")
            }
            if block.interface.allMembers.contains(where: { $0.name.caseInsensitiveEquals(newName) }) {
                throw EngineError(.conflict, "\(block.name) already declares a member \(newName)")
            }
        }
        if let type = change.dataType {
            try Self.checkMember(
                MemberSpec(name: member.name, dataType: type), in: device, library: session.project.library,
                owner: block.name, forType: false)
        }
        if let value = change.startValue, !value.trimmingCharacters(in: .whitespaces).isEmpty {
            try Self.checkStartValue(value, type: change.dataType ?? member.dataType, member: member.name)
        }
        let source = block.sourceText!
        let text: String
        if let section, section != currentSection {
            try Self.checkSection(section, for: block)
            let moved = MemberSpec(
                name: change.name ?? member.name, dataType: change.dataType ?? Self.typeText(of: member),
                startValue: change.startValue.map { $0.isEmpty ? nil : $0 } ?? member.startValue,
                comment: change.comment ?? member.comment.text())
            let removed = try SCLSourceGenerator.removingMember(named: member.name, unit: block.name, in: source)
            text = try SCLSourceGenerator.addingMember(moved, to: section, unit: block.name, in: removed)
        } else {
            guard !change.isEmpty else { return block }
            text = try SCLSourceGenerator.updatingMember(named: member.name, change, unit: block.name, in: source)
        }
        return try commitBlockEdit(
            text, deviceIndex: deviceIndex, blockIndex: blockIndex, sessionID: session.id, actor: actor,
            action: "block.updateMember", detail: member.name, checkSyntax: false)
    }

    /// Removes a member's declaration (its line, comment included) from an SCL-source block.
    @discardableResult
    public func deleteInterfaceMember(
        _ memberName: String, block name: String, device deviceName: String, sessionID: String? = nil,
        actor: String? = nil
    ) throws(EngineError) -> Block {
        let session = try self.session(sessionID)
        let (deviceIndex, blockIndex) = try editableBlock(name, device: deviceName, in: session)
        let block = session.project.devices[deviceIndex].blocks[blockIndex]
        let (_, member) = try Self.interfaceMember(memberName, of: block)
        let text = try SCLSourceGenerator.removingMember(named: member.name, unit: block.name, in: block.sourceText!)
        return try commitBlockEdit(
            text, deviceIndex: deviceIndex, blockIndex: blockIndex, sessionID: session.id, actor: actor,
            action: "block.deleteMember", detail: member.name, checkSyntax: false)
    }

    /// Appends SCL code to an SCL-source block's body, before its end keyword. LAD/FBD networks would need
    /// SimaticML writing, so SimaticML blocks are refused.
    @discardableResult
    public func addNetworks(
        _ networks: [SCLNetworkSpec], block name: String, device deviceName: String, sessionID: String? = nil,
        actor: String? = nil
    ) throws(EngineError) -> Block {
        let session = try self.session(sessionID)
        if let block = try blockDevice(deviceName, in: session).block(named: name), block.file.format == .simaticML {
            throw EngineError(
                .unsupported,
                "\(block.name) is a SimaticML \(block.language.rawValue) block; adding networks to it needs "
                    + "SimaticML block writing, which s7wb does not do yet (SCL-source blocks take SCL code)")
        }
        let (deviceIndex, blockIndex) = try editableBlock(name, device: deviceName, in: session)
        let block = session.project.devices[deviceIndex].blocks[blockIndex]
        guard !block.kind.isDataBlock else {
            throw EngineError(.unsupported, "\(block.name) is a data block: it has no code to add networks to")
        }
        guard !networks.isEmpty else { throw EngineError(.invalidInput, "no networks to add") }
        for (index, network) in networks.enumerated()
        where network.code.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw EngineError(.invalidInput, "network \(index + 1) has no code")
        }
        let text = try SCLSourceGenerator.appendingNetworks(networks, unit: block.name, in: block.sourceText!)
        return try commitBlockEdit(
            text, deviceIndex: deviceIndex, blockIndex: blockIndex, sessionID: session.id, actor: actor,
            action: "block.addNetworks", detail: "\(networks.count) networks", checkSyntax: true)
    }

    // MARK: Folders

    /// Creates a folder below one of a device's VCI folders (a block group, a data type, tag table or watch table
    /// folder, a folder of external sources) as a directory at once: it shows in the tree once it holds an object.
    /// Returns the directory relative to the project root.
    @discardableResult
    public func createFolder(
        _ path: [String], in folder: ProjectFolder, device deviceName: String, sessionID: String? = nil,
        actor: String? = nil
    ) throws(EngineError) -> String {
        let top = folder.name
        let session = try self.session(sessionID)
        let device = try blockDevice(deviceName, in: session)
        try Self.checkFolder(path, allowEmpty: false)
        let relative = Self.devicePrefix(device) + ([top] + path).joined(separator: "/")
        let full = session.project.root + "/" + relative
        if FileManager.default.fileExists(atPath: full) || !Self.objects(below: relative, in: device).isEmpty {
            throw EngineError(.conflict, "the folder \(path.joined(separator: "/")) exists in \(top) of \(device.name)")
        }
        do { try FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: true) } catch {
            throw EngineError(.io, "cannot create \(relative): \(error.localizedDescription)")
        }
        record(session, actor: actor, action: "folder.create", target: relative, outcome: "ok")
        hub.publish(
            .objectChanged(sessionID: session.id, kind: "folder", device: device.name, name: relative))
        return relative
    }

    /// Deletes an empty folder; one that holds objects or other files is refused with what it holds.
    public func deleteFolder(
        _ path: [String], in folder: ProjectFolder, device deviceName: String, sessionID: String? = nil,
        actor: String? = nil
    ) throws(EngineError) {
        let top = folder.name
        var session = try self.session(sessionID)
        let device = try blockDevice(deviceName, in: session)
        try Self.checkFolder(path, allowEmpty: false)
        let relative = Self.devicePrefix(device) + ([top] + path).joined(separator: "/")
        let full = session.project.root + "/" + relative
        let held = Self.objects(below: relative, in: device)
        guard held.isEmpty else {
            throw EngineError(
                .conflict,
                "the folder \(path.joined(separator: "/")) holds " + held.prefix(5).joined(separator: ", ")
                    + (held.count > 5 ? " and \(held.count - 5) more" : "") + "; delete or move them first")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw EngineError(.notFound, "no folder \(path.joined(separator: "/")) in \(top) of \(device.name)")
        }
        let entries = (try? FileManager.default.subpathsOfDirectory(atPath: full)) ?? []
        var pending: [String] = []
        var others: [String] = []
        for entry in entries.sorted() {
            var entryIsDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: full + "/" + entry, isDirectory: &entryIsDirectory)
            guard !entryIsDirectory.boolValue else { continue }
            if (entry as NSString).lastPathComponent.hasPrefix(".") { continue }
            let projectPath = relative + "/" + entry
            if session.removedFiles.contains(projectPath) { pending.append(projectPath) } else { others.append(entry) }
        }
        guard others.isEmpty else {
            throw EngineError(
                .conflict,
                "the folder \(path.joined(separator: "/")) is not empty: "
                    + others.prefix(5).joined(separator: ", ") + (others.count > 5 ? ", …" : ""))
        }
        do { try FileManager.default.removeItem(atPath: full) } catch {
            throw EngineError(.io, "cannot remove \(relative): \(error.localizedDescription)")
        }
        for file in pending { session.removedFiles.remove(file) }
        sessions[session.id] = session
        record(session, actor: actor, action: "folder.delete", target: relative, outcome: "ok")
        hub.publish(.objectChanged(sessionID: session.id, kind: "folder", device: device.name, name: relative))
    }

    // MARK: PLC data types

    /// Creates a PLC data type from a spec as a `.udt` source in `PLC data types/<group>`, written on the next save.
    @discardableResult
    public func createDataType(
        _ spec: DataTypeSpec, device deviceName: String, group: [String] = [], sessionID: String? = nil,
        actor: String? = nil
    ) throws(EngineError) -> PlcDataType {
        var session = try self.session(sessionID)
        let deviceIndex = try blockDeviceIndex(deviceName, in: session)
        let device = session.project.devices[deviceIndex]
        try Self.checkBlockName(spec.name, what: "PLC data type")
        try Self.checkFolder(group, allowEmpty: true)
        try Self.checkFreeName(spec.name, in: device)
        try Self.checkVersion(spec.version)
        try Self.checkMembers(
            spec.members, in: device, library: session.project.library, owner: spec.name, forType: true)
        let path = Self.objectPath(
            in: device, folder: VCILayout.plcDataTypes, group: group, name: spec.name, extension: "udt")
        try checkPathFree(path, in: session)
        let objects = try Self.readSource(
            SCLSourceGenerator.source(for: spec), path: path, group: group, checkSyntax: true)
        guard objects.count == 1, case .dataType(let type) = objects[0] else {
            throw EngineError(.invalidInput, "the PLC data type \(spec.name) does not read back from its source")
        }
        session.project.devices[deviceIndex].dataTypes.append(type)
        session.dirtyFiles.insert(path)
        session.removedFiles.remove(path)
        sessions[session.id] = session
        record(session, actor: actor, action: "dataType.create", target: "\(device.name)/\(type.name)", outcome: "ok")
        hub.publish(.objectChanged(sessionID: session.id, kind: "dataType", device: device.name, name: type.name))
        return type
    }

    /// Replaces the members of a PLC data type from a `.udt` source; its header and the text after `END_STRUCT`
    /// stay. SimaticML types are refused (`.unsupported`).
    @discardableResult
    public func updateDataType(
        _ name: String, members: [MemberSpec], device deviceName: String, sessionID: String? = nil,
        actor: String? = nil
    ) throws(EngineError) -> PlcDataType {
        var session = try self.session(sessionID)
        let deviceIndex = try blockDeviceIndex(deviceName, in: session)
        let device = session.project.devices[deviceIndex]
        guard let index = device.dataTypes.firstIndex(where: { $0.name.caseInsensitiveEquals(name) }) else {
            throw EngineError(.notFound, "no PLC data type '\(name)' in device \(device.name)")
        }
        let type = device.dataTypes[index]
        guard let text = type.sourceText, type.file.format != .simaticML else {
            throw EngineError(
                .unsupported,
                "\(type.name) is a SimaticML PLC data type (\(type.file.path)); s7wb edits .udt sources only, "
                    + "SimaticML types are read-only here")
        }
        let sharing = Self.objectsInFile(type.file.path, of: device)
        guard sharing == 1 else {
            throw EngineError(.conflict, "\(type.file.path) holds \(sharing) objects; edit the file as a whole")
        }
        try Self.checkMembers(members, in: device, library: session.project.library, owner: type.name, forType: true)
        let newText = try SCLSourceGenerator.replacingStructMembers(members, unit: type.name, in: text)
        let objects = try Self.readSource(newText, path: type.file.path, group: type.group, checkSyntax: true)
        guard objects.count == 1, case .dataType(var updated) = objects[0],
            updated.name.caseInsensitiveEquals(type.name)
        else {
            throw EngineError(.invalidInput, "the source of \(type.name) does not read back as that one type")
        }
        updated.file = type.file
        updated.group = type.group
        snapshot(session, kind: "dataType", path: type.file.path, reason: "before updating \(type.name)", actor: actor)
        session.project.devices[deviceIndex].dataTypes[index] = updated
        session.dirtyFiles.insert(type.file.path)
        sessions[session.id] = session
        record(
            session, actor: actor, action: "dataType.update", target: "\(device.name)/\(type.name)",
            detail: "\(members.count) members", outcome: "ok")
        hub.publish(.objectChanged(sessionID: session.id, kind: "dataType", device: device.name, name: type.name))
        return updated
    }

    /// Writes a PLC data type to a file: a SimaticML type as its XML, a source type as its `.udt` text, or as
    /// SimaticML when the target ends in `.xml`. A folder (or a path ending in `/`) gets `<name>.xml` /
    /// `<name>.udt`. `engineeringVersion` (`V17`) writes SimaticML for that TIA version.
    @discardableResult
    public func exportDataType(
        _ name: String, device deviceName: String, to path: String, engineeringVersion: String? = nil,
        sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) -> ExportedObjectFile {
        let session = try self.session(sessionID)
        let device = try blockDevice(deviceName, in: session)
        guard let type = device.dataType(named: name) else {
            throw EngineError(.notFound, "no PLC data type '\(name)' in device \(device.name)")
        }
        return try exportObjectFile(
            type.name, file: type.file, sourceText: type.sourceText, sourceExtension: ".udt", to: path,
            engineeringVersion: engineeringVersion,
            simaticML: { SimaticMLExport.dataType(type, engineeringVersion: $0) },
            action: "dataType.export", device: device, session: session, actor: actor)
    }

    /// Imports PLC data types from a SimaticML `.xml` (copied as it is) or a `.udt`/`.scl` source (one `.udt` file
    /// per type) into `PLC data types/<group>`; an existing name is refused unless `overwrite`.
    @discardableResult
    public func importDataTypes(
        from filePath: String, device deviceName: String, group: [String] = [], overwrite: Bool = false,
        sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) -> [GeneratedProgramObject] {
        try importProgramObjects(
            blocks: false, from: filePath, device: deviceName, group: group, overwrite: overwrite,
            sessionID: sessionID, actor: actor)
    }

    // MARK: Import and export of blocks

    /// Imports blocks from a SimaticML `.xml` (copied into `Program blocks/<group>` as it is, written at once) or
    /// an SCL source `.scl`/`.db` (one source file per block, as TIA generates them; types it declares go to
    /// `PLC data types`). An existing name is refused unless `overwrite`.
    @discardableResult
    public func importBlocks(
        from filePath: String, device deviceName: String, group: [String] = [], overwrite: Bool = false,
        sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) -> [GeneratedProgramObject] {
        try importProgramObjects(
            blocks: true, from: filePath, device: deviceName, group: group, overwrite: overwrite,
            sessionID: sessionID, actor: actor)
    }

    /// Writes a block to a file: a SimaticML block as its XML file, an SCL-source block as its source, or as
    /// SimaticML (its statements as StructuredText tokens, see `SimaticMLExport`) when the target ends in `.xml`.
    /// `engineeringVersion` (`V17`) writes SimaticML for that TIA version.
    @discardableResult
    public func exportBlock(
        _ name: String, device deviceName: String, to path: String, engineeringVersion: String? = nil,
        sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) -> ExportedObjectFile {
        let session = try self.session(sessionID)
        let device = try blockDevice(deviceName, in: session)
        let block = try Self.existingBlock(name, in: device)
        let sourceExtension = block.kind.isDataBlock ? ".db" : ".scl"
        let library = session.project.library
        return try exportObjectFile(
            block.name, file: block.file, sourceText: block.sourceText, sourceExtension: sourceExtension, to: path,
            engineeringVersion: engineeringVersion,
            simaticML: { (version: String?) throws(EngineError) -> [UInt8] in
                do throws(SimaticMLExport.Failure) {
                    return try SimaticMLExport.block(
                        block, device: device, library: library, engineeringVersion: version)
                } catch {
                    throw EngineError(.unsupported, error.message)
                }
            },
            action: "block.export", device: device, session: session, actor: actor)
    }

    /// Writes an SCL-source block's source to a file (TIA's "Generate source from blocks"); SimaticML blocks are
    /// refused: generating SCL from them is not available.
    @discardableResult
    public func exportBlockSource(
        _ name: String, device deviceName: String, to path: String, sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) -> ExportedObjectFile {
        let session = try self.session(sessionID)
        let device = try blockDevice(deviceName, in: session)
        let block = try Self.existingBlock(name, in: device)
        guard block.file.format != .simaticML, let text = block.sourceText else {
            throw EngineError(
                .unsupported,
                "\(block.name) is a SimaticML \(block.language.rawValue) block; generating an SCL source from "
                    + "SimaticML blocks is not available (only SCL-source blocks export as source)")
        }
        let target = try exportTarget(
            path, defaultName: block.name + (block.kind.isDataBlock ? ".db" : ".scl"), session: session)
        return try writeExport(
            Self.byteOrderMark + Array(text.utf8), to: target, format: "SCL", name: block.name,
            action: "block.exportSource", device: device, session: session, actor: actor)
    }

    /// The SimaticML document of a block: a SimaticML block as its file holds it, an SCL-source block as
    /// `SimaticMLExport` writes it (file name `<name>.xml`).
    public func blockXML(
        _ name: String, device deviceName: String, sessionID: String? = nil
    ) throws(EngineError) -> (fileName: String, xml: String) {
        let session = try self.session(sessionID)
        let device = try blockDevice(deviceName, in: session)
        let block = try Self.existingBlock(name, in: device)
        guard block.file.format == .simaticML else {
            var bytes: [UInt8]
            do throws(SimaticMLExport.Failure) {
                bytes = try SimaticMLExport.block(block, device: device, library: session.project.library)
            } catch {
                throw EngineError(.unsupported, error.message)
            }
            if bytes.starts(with: Self.byteOrderMark) { bytes.removeFirst(3) }
            return (block.name + ".xml", String(decoding: bytes, as: UTF8.self))
        }
        var bytes = try Self.diskBytes(block.file.path, in: session)
        if bytes.starts(with: Self.byteOrderMark) { bytes.removeFirst(3) }
        return ((block.file.path as NSString).lastPathComponent, String(decoding: bytes, as: UTF8.self))
    }

    // MARK: External sources

    /// The files below the device's `External source files` folder, sorted by path.
    public func externalSources(
        device deviceName: String, sessionID: String? = nil
    ) throws(EngineError) -> [ExternalSourceFile] {
        let session = try self.session(sessionID)
        let device = try blockDevice(deviceName, in: session)
        return Self.externalSourceFiles(of: device, root: session.project.root)
    }

    /// Creates an external source from text (`name` gets `.scl` when it has no source extension); an existing one
    /// is refused unless `overwrite`. Written at once: external sources are files, not program objects.
    @discardableResult
    public func createExternalSource(
        named name: String, text: String, device deviceName: String, folder: [String] = [], overwrite: Bool = false,
        sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) -> ExternalSourceFile {
        let session = try self.session(sessionID)
        let device = try blockDevice(deviceName, in: session)
        let path = try externalSourcePath(name, folder: folder, device: device, overwrite: overwrite, session: session)
        return try writeExternalSource(
            Array(text.utf8), path: path, folder: folder, device: device, session: session,
            actor: actor)
    }

    /// Creates an external source as a copy of a file (a path inside the project folder or the files root).
    @discardableResult
    public func createExternalSource(
        copying filePath: String, named name: String? = nil, device deviceName: String, folder: [String] = [],
        overwrite: Bool = false, sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) -> ExternalSourceFile {
        let session = try self.session(sessionID)
        let device = try blockDevice(deviceName, in: session)
        let (resolved, bytes) = try readImportFile(filePath, session: session)
        let fileName = name ?? (resolved as NSString).lastPathComponent
        let path = try externalSourcePath(
            fileName, folder: folder, device: device, overwrite: overwrite, session: session)
        return try writeExternalSource(
            bytes, path: path, folder: folder, device: device, session: session,
            actor: actor)
    }

    /// Deletes an external source file (a snapshot keeps its content).
    public func deleteExternalSource(
        _ name: String, device deviceName: String, sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) {
        let session = try self.session(sessionID)
        let device = try blockDevice(deviceName, in: session)
        let source = try findExternalSource(name, in: device, session: session)
        snapshot(
            session, kind: "externalSource", path: source.path, reason: "before deleting \(source.name)",
            actor: actor)
        do { try FileManager.default.removeItem(atPath: session.project.root + "/" + source.path) } catch {
            throw EngineError(.io, "cannot remove \(source.path): \(error.localizedDescription)")
        }
        record(session, actor: actor, action: "externalSource.delete", target: source.path, outcome: "ok")
        hub.publish(
            .objectChanged(sessionID: session.id, kind: "externalSource", device: device.name, name: source.name))
    }

    /// Generates the blocks and types an external source declares (TIA's "Generate blocks from source"): one
    /// source file per object in `Program blocks` and `PLC data types`. A source with errors generates nothing; an
    /// existing name is refused unless `overwrite` (which replaces the object and keeps its folder and number).
    @discardableResult
    public func generateBlocks(
        fromExternalSource name: String, device deviceName: String, overwrite: Bool = false,
        sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) -> [GeneratedProgramObject] {
        var session = try self.session(sessionID)
        let deviceIndex = try blockDeviceIndex(deviceName, in: session)
        let device = session.project.devices[deviceIndex]
        let source = try findExternalSource(name, in: device, session: session)
        let bytes = try Self.diskBytes(source.path, in: session)
        let plan = try planSource(
            bytes, file: source.path, device: device, blockGroup: [], typeGroup: [], overwrite: overwrite,
            session: session)
        return try apply(
            plan, session: &session, deviceIndex: deviceIndex, actor: actor,
            action: "externalSource.generate", target: source.name)
    }

    /// Saves `text` as an external source and generates its objects; nothing is written when the text has errors
    /// or names taken objects (without `overwrite`). `name` defaults to the first object's name.
    public func importAndGenerate(
        text: String, named name: String? = nil, device deviceName: String, overwrite: Bool = false,
        sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) -> (source: ExternalSourceFile, generated: [GeneratedProgramObject]) {
        var session = try self.session(sessionID)
        let deviceIndex = try blockDeviceIndex(deviceName, in: session)
        let device = session.project.devices[deviceIndex]
        let bytes = Array(text.utf8)
        let plan = try planSource(
            bytes, file: (name ?? "source") + ".scl", device: device, blockGroup: [], typeGroup: [],
            overwrite: overwrite, session: session)
        let fileName = name ?? plan.first.map { Self.objectName($0.object) } ?? "source"
        let path = try externalSourcePath(fileName, folder: [], device: device, overwrite: overwrite, session: session)
        let source = try writeExternalSource(
            bytes, path: path, folder: [], device: device, session: session,
            actor: actor)
        let generated = try apply(
            plan, session: &session, deviceIndex: deviceIndex, actor: actor,
            action: "externalSource.generate", target: source.name)
        return (source, generated)
    }

    // MARK: Snapshots and start values

    /// Stores the block's current content (its source as edited, or its SimaticML file) as a snapshot to restore
    /// later, whatever the history setting says.
    @discardableResult
    public func createBlockSnapshot(
        _ name: String, device deviceName: String, description: String? = nil, sessionID: String? = nil,
        actor: String? = nil
    ) throws(EngineError) -> Snapshot {
        let session = try self.session(sessionID)
        let device = try blockDevice(deviceName, in: session)
        let block = try Self.existingBlock(name, in: device)
        guard let content = currentContent(block.file.path, in: session) else {
            throw EngineError(.conflict, "\(block.file.path) has no content yet; save the project first")
        }
        let note = description.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        var taken = Snapshot(
            actor: actor ?? configuration.defaultActor, objectKind: "block", objectPath: block.file.path,
            reason: Self.blockSnapshotReason + (note.isEmpty ? "" : ": " + note), content: content)
        do { taken.id = try session.store.addSnapshot(taken) } catch {
            throw EngineError(.io, "cannot store the snapshot: \(error)")
        }
        record(
            session, actor: actor, action: "block.createSnapshot", target: "\(device.name)/\(block.name)",
            detail: "snapshot \(taken.id ?? 0)", outcome: "ok")
        return taken
    }

    /// Restores a block from a snapshot of its file: `snapshotID`, else the newest one `createBlockSnapshot` took
    /// (else the newest of any kind). The block is read anew from the restored content; its state before is kept as
    /// a snapshot too.
    @discardableResult
    public func loadBlockSnapshot(
        _ name: String, device deviceName: String, snapshotID: Int64? = nil, sessionID: String? = nil,
        actor: String? = nil
    ) throws(EngineError) -> (block: Block, snapshot: Snapshot) {
        var session = try self.session(sessionID)
        let deviceIndex = try blockDeviceIndex(deviceName, in: session)
        let device = session.project.devices[deviceIndex]
        guard let blockIndex = device.blocks.firstIndex(where: { $0.name.caseInsensitiveEquals(name) }) else {
            throw EngineError(.notFound, "no block '\(name)' in device \(device.name)")
        }
        let block = device.blocks[blockIndex]
        var candidates: [Snapshot] = []
        do {
            if let snapshotID {
                if let found = try session.store.snapshot(id: snapshotID) { candidates = [found] }
            } else {
                candidates = try session.store.snapshots(objectPath: block.file.path, limit: 1000)
            }
        } catch {
            throw EngineError(.io, "cannot read snapshots: \(error)")
        }
        let chosen: Snapshot
        if let snapshotID {
            guard let found = candidates.first else { throw EngineError(.notFound, "no snapshot \(snapshotID)") }
            guard found.objectPath == block.file.path else {
                throw EngineError(
                    .invalidInput, "snapshot \(snapshotID) is of \(found.objectPath), not of block \(block.name)")
            }
            chosen = found
        } else {
            guard
                let found = candidates.first(where: { $0.reason.hasPrefix(Self.blockSnapshotReason) })
                    ?? candidates.first
            else {
                throw EngineError(.conflict, "no snapshot of block \(block.name) yet; take one with create-snapshot")
            }
            chosen = found
        }
        let id = chosen.id ?? 0
        guard !chosen.content.isEmpty else {
            throw EngineError(.conflict, "snapshot \(id) is empty: \(block.file.path) did not exist when it was taken")
        }
        let restored: Block
        if block.file.format == .simaticML {
            let object: SimaticMLObject
            do { object = try SimaticMLReader.read(bytes: chosen.content, file: block.file, group: block.group) } catch
            {
                throw EngineError(.invalidInput, "snapshot \(id) does not read as SimaticML: \(error.description)")
            }
            guard case .block(var read) = object, read.name.caseInsensitiveEquals(block.name) else {
                throw EngineError(.invalidInput, "snapshot \(id) does not hold block \(block.name)")
            }
            if read.number == nil { read.number = block.number }
            snapshot(
                session, kind: "block", path: block.file.path, reason: "before loading snapshot \(id)", actor: actor)
            try Self.write(chosen.content, to: session.project.root + "/" + block.file.path)
            restored = read
        } else {
            let sharing = Self.objectsInFile(block.file.path, of: device)
            guard sharing == 1 else {
                throw EngineError(.conflict, "\(block.file.path) holds \(sharing) objects; restore the file as a whole")
            }
            var bytes = chosen.content
            if bytes.starts(with: Self.byteOrderMark) { bytes.removeFirst(3) }
            let objects = try Self.readSource(
                String(decoding: bytes, as: UTF8.self), path: block.file.path, group: block.group, checkSyntax: false)
            restored = try Self.singleBlock(objects, replacing: block)
            snapshot(
                session, kind: "block", path: block.file.path, reason: "before loading snapshot \(id)", actor: actor)
            session.dirtyFiles.insert(block.file.path)
        }
        session.project.devices[deviceIndex].blocks[blockIndex] = restored
        sessions[session.id] = session
        record(
            session, actor: actor, action: "block.loadSnapshot", target: "\(device.name)/\(block.name)",
            detail: "snapshot \(id)", outcome: "ok")
        hub.publish(.objectChanged(sessionID: session.id, kind: "block", device: device.name, name: restored.name))
        return (restored, chosen)
    }

    /// Sets a data block's actual values in the device's virtual PLC to its start values (TIA's "Load start
    /// values as actual values"). Needs a virtual PLC that holds the block as the project has it now; returns how
    /// many bytes were written.
    @discardableResult
    public func loadStartValues(
        _ name: String, device deviceName: String, sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) -> Int {
        let session = try self.session(sessionID)
        let device = try blockDevice(deviceName, in: session)
        let block = try Self.existingBlock(name, in: device)
        guard block.kind.isDataBlock else {
            throw EngineError(
                .invalidInput,
                "\(block.name) is \(block.displayNumber), not a data block: only data blocks have "
                    + "start values")
        }
        guard
            let instance = try plcInstances(sessionID: session.id).first(where: {
                $0.device.caseInsensitiveEquals(device.name)
            }), instance.downloadedAt != nil
        else {
            throw EngineError(.conflict, "no virtual PLC runs for this device; download first")
        }
        switch instance.comparison(of: block) {
        case .same?: break
        case .different?:
            throw EngineError(.conflict, "\(block.name) changed since the last download; download first")
        case .offlineOnly?, nil:
            throw EngineError(
                .conflict, "the virtual PLC of \(device.name) does not hold \(block.name); download first")
        }
        let (_, result) = try compile(device: device.name, sessionID: session.id)
        guard let image = result.program.dataBlocks.first(where: { $0.name.caseInsensitiveEquals(block.name) }) else {
            throw EngineError(.conflict, "\(block.name) does not compile now; its start values cannot be loaded")
        }
        do { try instance.plc.write(.bytes(.dataBlock(image.number), offset: 0, image.bytes)) } catch {
            throw EngineError(.conflict, "cannot write DB\(image.number): \(error.description)")
        }
        record(
            session, actor: actor, action: "plc.loadStartValues", target: "\(device.name)/\(block.name)",
            detail: "\(image.bytes.count) bytes", outcome: "ok")
        hub.publish(.plcChanged(sessionID: session.id, device: device.name, change: "loadStartValues"))
        return image.bytes.count
    }

    // MARK: Planning imports and generations

    /// The objects an SCL source declares, checked against the device: no errors in the source, names valid and
    /// free (or replaceable with `overwrite`). `blockGroup` nil refuses blocks, `typeGroup` nil refuses types.
    private func planSource(
        _ bytes: [UInt8], file: String, device: Device, blockGroup: [String]?, typeGroup: [String]?,
        overwrite: Bool, session: Session
    ) throws(EngineError) -> [PlannedObject] {
        let text = String(
            decoding: bytes.starts(with: Self.byteOrderMark) ? Array(bytes.dropFirst(3)) : bytes, as: UTF8.self)
        let objects = try Self.readSource(text, path: file, group: [], checkSyntax: true)
        guard !objects.isEmpty else { throw EngineError(.invalidInput, "\(file) declares no block or type") }
        let several = objects.count > 1
        var seen: Set<String> = []
        var taken: [String] = []
        var plan: [PlannedObject] = []
        for object in objects {
            let name = Self.objectName(object)
            guard seen.insert(name.lowercased()).inserted else {
                throw EngineError(.invalidInput, "\(file) declares \(name) twice")
            }
            let isBlock: Bool
            let unitText: String
            let group: [String]
            switch object {
            case .block(let block):
                guard let blockGroup else {
                    throw EngineError(.invalidInput, "\(file) declares the block \(name); import blocks as blocks")
                }
                isBlock = true
                unitText = block.sourceText ?? ""
                group = blockGroup
            case .dataType(let type):
                guard let typeGroup else {
                    throw EngineError(.invalidInput, "\(file) declares the PLC data type \(name); import it as a type")
                }
                isBlock = false
                unitText = type.sourceText ?? ""
                group = typeGroup
            default:
                continue
            }
            try Self.checkBlockName(name, what: isBlock ? "block" : "PLC data type")
            let wantedExtension: String
            if case .block(let block) = object {
                wantedExtension = block.kind.isDataBlock ? "db" : "scl"
            } else {
                wantedExtension = "udt"
            }
            var path = Self.objectPath(
                in: device, folder: isBlock ? VCILayout.programBlocks : VCILayout.plcDataTypes, group: group,
                name: name, extension: wantedExtension)
            var targetGroup = group
            var replacing: ReplacedObject?
            let existingBlock = device.block(named: name)
            let existingType = device.dataType(named: name)
            if existingBlock != nil || existingType != nil {
                guard overwrite else {
                    taken.append(name)
                    continue
                }
                let existingPath: String
                let existingFormat: SourceFileRef.Format
                if isBlock, let existing = existingBlock {
                    existingPath = existing.file.path
                    existingFormat = existing.file.format
                    targetGroup = existing.group
                } else if !isBlock, let existing = existingType {
                    existingPath = existing.file.path
                    existingFormat = existing.file.format
                    targetGroup = existing.group
                } else {
                    throw EngineError(
                        .conflict,
                        "\(name) exists in \(device.name) as a \(existingBlock != nil ? "block" : "PLC data type"); "
                            + "a \(isBlock ? "block" : "PLC data type") cannot replace it")
                }
                let sharing = Self.objectsInFile(existingPath, of: device)
                guard sharing == 1 else {
                    throw EngineError(
                        .conflict, "\(existingPath) holds \(sharing) objects; \(name) cannot replace it alone")
                }
                let folder = (existingPath as NSString).deletingLastPathComponent
                path =
                    existingFormat != .simaticML && existingPath.lowercased().hasSuffix("." + wantedExtension)
                    ? existingPath : folder + "/" + name + "." + wantedExtension
                replacing = ReplacedObject(
                    name: existingBlock?.name ?? existingType?.name ?? name, path: existingPath, isBlock: isBlock)
            } else {
                try checkPathFree(path, in: session)
            }
            var fileText = unitText
            if several {
                while let last = fileText.last, last.isWhitespace { fileText.removeLast() }
                fileText += "\n\n"
            }
            let read = try Self.readSource(fileText, path: path, group: targetGroup, checkSyntax: false)
            guard read.count == 1 else {
                throw EngineError(.invalidInput, "\(name) of \(file) does not read back as one object")
            }
            var planned = read[0]
            if case .block(var block) = planned {
                if let existing = existingBlock, replacing != nil, existing.kind.numberPrefix == block.kind.numberPrefix
                {
                    block.number = existing.number
                }
                planned = .block(block)
            }
            plan.append(PlannedObject(object: planned, path: path, replacing: replacing, writeNow: nil))
        }
        guard taken.isEmpty else {
            throw EngineError(
                .conflict,
                "\(taken.joined(separator: ", ")) already exist\(taken.count == 1 ? "s" : "") in \(device.name); "
                    + "pass overwrite to replace \(taken.count == 1 ? "it" : "them")")
        }
        return plan
    }

    /// A SimaticML block (or type) to copy into the program as it is.
    private func planSimaticML(
        _ bytes: [UInt8], file: String, device: Device, group: [String], overwrite: Bool, block wantBlock: Bool,
        session: Session
    ) throws(EngineError) -> PlannedObject {
        let fileName = (file as NSString).lastPathComponent
        let object: SimaticMLObject
        do {
            object = try SimaticMLReader.read(
                bytes: bytes, file: SourceFileRef(path: fileName, format: .simaticML), group: group)
        } catch {
            throw EngineError(.invalidInput, "\(fileName): \(error.description)")
        }
        let name = Self.objectName(object)
        switch object {
        case .block where !wantBlock:
            throw EngineError(.invalidInput, "\(fileName) holds the block \(name), not a PLC data type")
        case .dataType where wantBlock:
            throw EngineError(.invalidInput, "\(fileName) holds the PLC data type \(name), not a block")
        case .tagTable, .watchTable:
            throw EngineError(
                .invalidInput, "\(fileName) holds a table, not a \(wantBlock ? "block" : "PLC data type")")
        default:
            break
        }
        try Self.checkBlockName(name, what: wantBlock ? "block" : "PLC data type")
        let top = wantBlock ? VCILayout.programBlocks : VCILayout.plcDataTypes
        var path = Self.objectPath(in: device, folder: top, group: group, name: name, extension: "xml")
        var targetGroup = group
        var replacing: ReplacedObject?
        let existingBlock = device.block(named: name)
        let existingType = device.dataType(named: name)
        if existingBlock != nil || existingType != nil {
            guard overwrite else {
                throw EngineError(.conflict, "\(name) already exists in \(device.name); pass overwrite to replace it")
            }
            let existingPath: String
            if wantBlock, let existing = existingBlock {
                existingPath = existing.file.path
                targetGroup = existing.group
            } else if !wantBlock, let existing = existingType {
                existingPath = existing.file.path
                targetGroup = existing.group
            } else {
                throw EngineError(
                    .conflict,
                    "\(name) exists in \(device.name) as a \(existingBlock != nil ? "block" : "PLC data type")")
            }
            let sharing = Self.objectsInFile(existingPath, of: device)
            guard sharing == 1 else {
                throw EngineError(
                    .conflict, "\(existingPath) holds \(sharing) objects; \(name) cannot replace it alone")
            }
            path = (existingPath as NSString).deletingLastPathComponent + "/" + name + ".xml"
            replacing = ReplacedObject(
                name: existingBlock?.name ?? existingType?.name ?? name, path: existingPath, isBlock: wantBlock)
        } else {
            try checkPathFree(path, in: session)
        }
        let file = SourceFileRef(path: path, format: .simaticML)
        var placed = object
        switch object {
        case .block(var block):
            block.file = file
            block.group = targetGroup
            if let number = block.number {
                let clash = device.blocks.first {
                    $0.kind.numberPrefix == block.kind.numberPrefix && $0.number == number
                        && !$0.name.caseInsensitiveEquals(replacing?.name ?? "")
                }
                if let clash {
                    throw EngineError(
                        .conflict, "\(block.displayNumber) is taken by \(clash.name) in \(device.name)")
                }
            }
            placed = .block(block)
        case .dataType(var type):
            type.file = file
            type.group = targetGroup
            placed = .dataType(type)
        default:
            break
        }
        return PlannedObject(object: placed, path: path, replacing: replacing, writeNow: bytes)
    }

    /// Puts planned objects into the program: snapshots of what they replace first, SimaticML files written,
    /// then the model changed in one step.
    private func apply(
        _ plan: [PlannedObject], session: inout Session, deviceIndex: Int, actor: String?, action: String,
        target: String
    ) throws(EngineError) -> [GeneratedProgramObject] {
        for planned in plan {
            if let replaced = planned.replacing {
                snapshot(
                    session, kind: replaced.isBlock ? "block" : "dataType", path: replaced.path,
                    reason: "before replacing \(replaced.name)", actor: actor)
            }
        }
        for planned in plan {
            if let bytes = planned.writeNow { try Self.write(bytes, to: session.project.root + "/" + planned.path) }
        }
        var device = session.project.devices[deviceIndex]
        var results: [GeneratedProgramObject] = []
        for planned in plan {
            if let replaced = planned.replacing, replaced.path != planned.path {
                session.dirtyFiles.remove(replaced.path)
                session.removedFiles.insert(replaced.path)
            }
            let replacedName = planned.replacing?.name ?? ""
            switch planned.object {
            case .block(let block):
                if let index = device.blocks.firstIndex(where: { $0.name.caseInsensitiveEquals(replacedName) }) {
                    device.blocks[index] = block
                } else {
                    device.blocks.append(block)
                }
                results.append(
                    GeneratedProgramObject(
                        kind: block.kind.rawValue, name: block.name, path: planned.path,
                        replaced: planned.replacing != nil))
            case .dataType(let type):
                if let index = device.dataTypes.firstIndex(where: { $0.name.caseInsensitiveEquals(replacedName) }) {
                    device.dataTypes[index] = type
                } else {
                    device.dataTypes.append(type)
                }
                results.append(
                    GeneratedProgramObject(
                        kind: "UDT", name: type.name, path: planned.path, replaced: planned.replacing != nil))
            default:
                continue
            }
            if planned.writeNow == nil {
                session.dirtyFiles.insert(planned.path)
            } else {
                session.dirtyFiles.remove(planned.path)
            }
            session.removedFiles.remove(planned.path)
        }
        BlockNumbering.assign(&device.blocks)
        session.project.devices[deviceIndex] = device
        sessions[session.id] = session
        record(
            session, actor: actor, action: action, target: "\(device.name)/\(target)",
            detail: results.map(\.name).joined(separator: ", "), outcome: "ok")
        for result in results {
            hub.publish(
                .objectChanged(
                    sessionID: session.id, kind: result.kind == "UDT" ? "dataType" : "block", device: device.name,
                    name: result.name))
        }
        return results
    }

    // MARK: Helpers

    private func blockDeviceIndex(_ name: String, in session: Session) throws(EngineError) -> Int {
        guard let index = session.project.devices.firstIndex(where: { $0.name.caseInsensitiveEquals(name) }) else {
            let known = session.project.devices.map(\.name).joined(separator: ", ")
            throw EngineError(.notFound, "no device '\(name)' in project \(session.project.name) (devices: \(known))")
        }
        return index
    }

    private func blockDevice(_ name: String, in session: Session) throws(EngineError) -> Device {
        let index = try blockDeviceIndex(name, in: session)
        return session.project.devices[index]
    }

    /// The indexes of a block s7wb may edit as text: from an SCL source that holds only this block.
    private func editableBlock(
        _ name: String, device deviceName: String, in session: Session
    ) throws(EngineError) -> (device: Int, block: Int) {
        let deviceIndex = try blockDeviceIndex(deviceName, in: session)
        let device = session.project.devices[deviceIndex]
        guard let blockIndex = device.blocks.firstIndex(where: { $0.name.caseInsensitiveEquals(name) }) else {
            throw EngineError(.notFound, "no block '\(name)' in device \(device.name)")
        }
        let block = device.blocks[blockIndex]
        guard block.file.format != .simaticML, block.sourceText != nil else {
            throw EngineError(
                .unsupported,
                "\(block.name) is a SimaticML \(block.language.rawValue) block (\(block.file.path)); SimaticML blocks "
                    + "are read-only here: s7wb edits blocks from SCL sources")
        }
        let sharing = Self.objectsInFile(block.file.path, of: device)
        guard sharing == 1 else {
            throw EngineError(.conflict, "\(block.file.path) holds \(sharing) objects; edit the file as a whole")
        }
        return (deviceIndex, blockIndex)
    }

    /// Reads an edited source back into the block and makes it the block's state.
    private func commitBlockEdit(
        _ text: String, deviceIndex: Int, blockIndex: Int, sessionID: String, actor: String?, action: String,
        detail: String, checkSyntax: Bool
    ) throws(EngineError) -> Block {
        var session = try self.session(sessionID)
        let device = session.project.devices[deviceIndex]
        let block = device.blocks[blockIndex]
        let objects = try Self.readSource(text, path: block.file.path, group: block.group, checkSyntax: checkSyntax)
        let updated = try Self.singleBlock(objects, replacing: block)
        snapshot(session, kind: "block", path: block.file.path, reason: "before \(action) \(detail)", actor: actor)
        session.project.devices[deviceIndex].blocks[blockIndex] = updated
        session.dirtyFiles.insert(block.file.path)
        sessions[session.id] = session
        record(
            session, actor: actor, action: action, target: "\(device.name)/\(block.name)", detail: detail,
            outcome: "ok")
        hub.publish(.objectChanged(sessionID: session.id, kind: "block", device: device.name, name: updated.name))
        return updated
    }

    /// Refuses a path that a file already holds (one the project did not read, or is not about to remove).
    private func checkPathFree(_ path: String, in session: Session) throws(EngineError) {
        let taken = session.project.devices.contains { device in
            device.blocks.contains { $0.file.path == path } || device.dataTypes.contains { $0.file.path == path }
        }
        if taken
            || (FileManager.default.fileExists(atPath: session.project.root + "/" + path)
                && !session.removedFiles.contains(path))
        {
            throw EngineError(.conflict, "the file \(path) exists; remove or rename it first")
        }
    }

    /// Where an export goes: `path` resolved, with `defaultName` appended for a folder or a path ending in `/`.
    /// Paths inside a device's program folders are refused: the file would become part of the program.
    /// Imports blocks (`blocks`) or PLC data types from a SimaticML `.xml` or a source file into `group`: the
    /// steps `importBlocks` and `importDataTypes` share.
    private func importProgramObjects(
        blocks: Bool, from filePath: String, device deviceName: String, group: [String], overwrite: Bool,
        sessionID: String?, actor: String?
    ) throws(EngineError) -> [GeneratedProgramObject] {
        var session = try self.session(sessionID)
        let deviceIndex = try blockDeviceIndex(deviceName, in: session)
        let device = session.project.devices[deviceIndex]
        try Self.checkFolder(group, allowEmpty: true)
        let (resolved, bytes) = try readImportFile(filePath, session: session)
        let fileExtension = (resolved as NSString).pathExtension.lowercased()
        let plan: [PlannedObject]
        if fileExtension == "xml" {
            plan = [
                try planSimaticML(
                    bytes, file: resolved, device: device, group: group, overwrite: overwrite, block: blocks,
                    session: session)
            ]
        } else if (blocks ? ["scl", "db"] : ["udt", "scl"]).contains(fileExtension) {
            plan = try planSource(
                bytes, file: resolved, device: device, blockGroup: blocks ? group : nil, typeGroup: blocks ? [] : group,
                overwrite: overwrite, session: session)
        } else if blocks {
            throw EngineError(
                .invalidInput, "a block is imported from a SimaticML .xml or an SCL source (.scl, .db), not \(filePath)"
            )
        } else {
            throw EngineError(
                .invalidInput, "a PLC data type is imported from a SimaticML .xml or a .udt source, not \(filePath)")
        }
        return try apply(
            plan, session: &session, deviceIndex: deviceIndex, actor: actor,
            action: blocks ? "block.import" : "dataType.import", target: (resolved as NSString).lastPathComponent)
    }

    /// Exports a block or PLC data type to `path`: a SimaticML object as its file on disk (or written anew for
    /// `engineeringVersion`), a source object as its text, or as `simaticML(version)` makes it when the target ends
    /// in `.xml` or a version is asked for; a folder target gets `<name>.xml` or `<name><sourceExtension>`.
    private func exportObjectFile(
        _ name: String, file: SourceFileRef, sourceText: String?, sourceExtension: String, to path: String,
        engineeringVersion: String?, simaticML: (String?) throws(EngineError) -> [UInt8], action: String,
        device: Device,
        session: Session, actor: String?
    ) throws(EngineError) -> ExportedObjectFile {
        let isXML = file.format == .simaticML || engineeringVersion != nil
        let target = try exportTarget(path, defaultName: name + (isXML ? ".xml" : sourceExtension), session: session)
        let bytes: [UInt8]
        let asXML = isXML || (target as NSString).pathExtension.lowercased() == "xml"
        if file.format == .simaticML && engineeringVersion == nil {
            bytes = try Self.diskBytes(file.path, in: session)
        } else if asXML {
            bytes = try simaticML(engineeringVersion)
        } else {
            bytes = Self.byteOrderMark + Array((sourceText ?? "").utf8)
        }
        return try writeExport(
            bytes, to: target, format: asXML ? "SimaticML" : "SCL", name: name, action: action, device: device,
            session: session, actor: actor)
    }

    /// Writes exported bytes to `target` and records the export of `name`.
    private func writeExport(
        _ bytes: [UInt8], to target: String, format: String, name: String, action: String, device: Device,
        session: Session, actor: String?
    ) throws(EngineError) -> ExportedObjectFile {
        try Self.write(bytes, to: target)
        record(session, actor: actor, action: action, target: "\(device.name)/\(name)", detail: target, outcome: "ok")
        return ExportedObjectFile(path: target, format: format, sizeBytes: bytes.count)
    }

    private func exportTarget(_ path: String, defaultName: String, session: Session) throws(EngineError) -> String {
        var target = try resolvePath(path, sessionID: session.id)
        var isDirectory: ObjCBool = false
        if path.hasSuffix("/") || path.hasSuffix("\\")
            || (FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory) && isDirectory.boolValue)
        {
            target += "/" + defaultName
        }
        let root = Self.resolvingExistingPrefix(session.project.root)
        if target.hasPrefix(root + "/") {
            let inside = target.dropFirst(root.count + 1).split(separator: "/").map(String.init)
            if inside.dropLast().contains(where: { VCILayout.deviceFolders.contains($0) }) {
                throw EngineError(
                    .forbidden,
                    "'\(path)' is inside a program folder of the project; the export would become part "
                        + "of the program")
            }
        }
        return target
    }

    /// The resolved path and bytes of a file to import.
    private func readImportFile(_ path: String, session: Session) throws(EngineError) -> (String, [UInt8]) {
        let resolved = try resolvePath(path, sessionID: session.id)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory), !isDirectory.boolValue,
            let data = FileManager.default.contents(atPath: resolved)
        else {
            throw EngineError(.notFound, "no file \(path)")
        }
        return (resolved, Array(data))
    }

    /// The project path for a new external source, checked: a source extension, a file name, no other source of
    /// that name (an existing one only with `overwrite`).
    private func externalSourcePath(
        _ name: String, folder: [String], device: Device, overwrite: Bool, session: Session
    ) throws(EngineError) -> String {
        var fileName = name.trimmingCharacters(in: .whitespaces)
        let known = ["scl", "db", "udt"]
        if !known.contains((fileName as NSString).pathExtension.lowercased()) { fileName += ".scl" }
        try Self.checkBlockName((fileName as NSString).deletingPathExtension, what: "external source")
        try Self.checkFolder(folder, allowEmpty: true)
        let path =
            Self.devicePrefix(device) + ([Self.externalSourcesFolder] + folder + [fileName]).joined(separator: "/")
        let existing = Self.externalSourceFiles(of: device, root: session.project.root)
        if let same = existing.first(where: { $0.name.caseInsensitiveEquals(fileName) }) {
            guard overwrite, same.path == path else {
                throw EngineError(
                    .conflict,
                    "an external source \(same.name) exists (\(same.path))"
                        + (same.path == path ? "; pass overwrite to replace it" : ""))
            }
        }
        return path
    }

    private func writeExternalSource(
        _ bytes: [UInt8], path: String, folder: [String], device: Device, session: Session, actor: String?
    ) throws(EngineError) -> ExternalSourceFile {
        let full = session.project.root + "/" + path
        if FileManager.default.fileExists(atPath: full) {
            snapshot(session, kind: "externalSource", path: path, reason: "before replacing it", actor: actor)
        }
        try Self.write(bytes, to: full)
        let name = (path as NSString).lastPathComponent
        record(session, actor: actor, action: "externalSource.create", target: path, outcome: "ok")
        hub.publish(.objectChanged(sessionID: session.id, kind: "externalSource", device: device.name, name: name))
        return ExternalSourceFile(name: name, path: path, folder: folder, sizeBytes: bytes.count)
    }

    /// An external source by file name (with or without extension) or by its path below `External source files`.
    private func findExternalSource(
        _ name: String, in device: Device, session: Session
    ) throws(EngineError) -> ExternalSourceFile {
        let all = Self.externalSourceFiles(of: device, root: session.project.root)
        let wanted = name.replacingOccurrences(of: "\\", with: "/")
        let matches = all.filter { source in
            let below = (source.folder + [source.name]).joined(separator: "/")
            return below.caseInsensitiveEquals(wanted) || source.name.caseInsensitiveEquals(wanted)
                || (source.name as NSString).deletingPathExtension.caseInsensitiveEquals(wanted)
        }
        guard let first = matches.first else {
            throw EngineError(.notFound, "no external source '\(name)' in device \(device.name)")
        }
        guard matches.count == 1 else {
            throw EngineError(
                .conflict,
                "'\(name)' names \(matches.count) external sources: "
                    + matches.map(\.path).joined(separator: ", "))
        }
        return first
    }

    private static func externalSourceFiles(of device: Device, root: String) -> [ExternalSourceFile] {
        let base = devicePrefix(device) + externalSourcesFolder
        let full = root + "/" + base
        guard let entries = try? FileManager.default.subpathsOfDirectory(atPath: full) else { return [] }
        var result: [ExternalSourceFile] = []
        for entry in entries.sorted() {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full + "/" + entry, isDirectory: &isDirectory),
                !isDirectory.boolValue
            else { continue }
            let components = entry.split(separator: "/").map(String.init)
            guard let name = components.last, !name.hasPrefix("."),
                !components.contains(where: { $0.hasPrefix(".") })
            else { continue }
            let size = FileManager.default.contents(atPath: full + "/" + entry)?.count ?? 0
            result.append(
                ExternalSourceFile(
                    name: name, path: base + "/" + entry, folder: Array(components.dropLast()), sizeBytes: size))
        }
        return result
    }

    // MARK: Static checks

    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    private static func devicePrefix(_ device: Device) -> String {
        device.folder == "." ? "" : device.folder + "/"
    }

    private static func objectPath(
        in device: Device, folder: String, group: [String], name: String, extension fileExtension: String
    ) -> String {
        devicePrefix(device) + ([folder] + group).joined(separator: "/") + "/" + name + "." + fileExtension
    }

    /// How many blocks and data types a source file holds.
    private static func objectsInFile(_ path: String, of device: Device) -> Int {
        device.blocks.count { $0.file.path == path } + device.dataTypes.count { $0.file.path == path }
    }

    /// How many objects have their file below a folder.
    /// The names of the objects whose files lie below `folder`.
    private static func objects(below folder: String, in device: Device) -> [String] {
        let prefix = folder + "/"
        return device.blocks.filter { $0.file.path.hasPrefix(prefix) }.map(\.name)
            + device.dataTypes.filter { $0.file.path.hasPrefix(prefix) }.map(\.name)
            + device.tagTables.filter { $0.file.path.hasPrefix(prefix) }.map(\.name)
            + device.watchTables.filter { $0.file.path.hasPrefix(prefix) }.map(\.name)
    }

    private static func existingBlock(_ name: String, in device: Device) throws(EngineError) -> Block {
        guard let block = device.block(named: name) else {
            throw EngineError(.notFound, "no block '\(name)' in device \(device.name)")
        }
        return block
    }

    private static func diskBytes(_ path: String, in session: Session) throws(EngineError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: session.project.root + "/" + path) else {
            throw EngineError(.conflict, "\(path) is not on disk yet; save the project first")
        }
        return Array(data)
    }

    private static func write(_ bytes: [UInt8], to path: String) throws(EngineError) {
        do { try AtomicFile.write(bytes, to: path) } catch {
            throw EngineError(.io, "cannot write \(path): \(error.reason)")
        }
    }

    private static func objectName(_ object: SimaticMLObject) -> String {
        switch object {
        case .block(let block): block.name
        case .dataType(let type): type.name
        case .tagTable(let table): table.name
        case .watchTable(let table): table.name
        }
    }

    private static func describe(_ objects: [SimaticMLObject]) -> String {
        guard !objects.isEmpty else { return "none" }
        return "\(objects.count): " + objects.map(objectName).joined(separator: ", ")
    }

    /// Reads a source text into objects; scanner errors (and with `checkSyntax` parser errors) refuse it.
    private static func readSource(
        _ text: String, path: String, group: [String], checkSyntax: Bool
    ) throws(EngineError) -> [SimaticMLObject] {
        let bytes = Array(text.utf8)
        let ext = (path as NSString).pathExtension.lowercased()
        let format: SourceFileRef.Format = ext == "db" ? .dbSource : ext == "udt" ? .udtSource : .sclSource
        let result = SCLSourceReader.read(bytes: bytes, file: SourceFileRef(path: path, format: format), group: group)
        var problems = result.problems.map { problem -> String in
            if let line = problem.line { return "\(line):\(problem.column ?? 1): \(problem.message)" }
            return problem.message
        }
        if problems.isEmpty, checkSyntax {
            let parsed = SCLParser.parse(SourceFile(path: path, bytes: bytes))
            let errors = (parsed.tokens.diagnostics + parsed.diagnostics).filter { $0.severity == .error }
            problems = errors.map { diagnostic in
                let location = parsed.file.location(of: diagnostic.range.start)
                return "\(location.line):\(location.column): \(diagnostic.message)"
            }
        }
        guard problems.isEmpty else {
            let shown = problems.prefix(5).joined(separator: "; ")
            throw EngineError(
                .invalidInput,
                "the source has \(problems.count) error\(problems.count == 1 ? "" : "s"): \(shown)"
                    + (problems.count > 5 ? "; …" : ""))
        }
        return result.objects
    }

    /// The one block of a re-read source, taking the old block's place (file, folder, number).
    private static func singleBlock(_ objects: [SimaticMLObject], replacing block: Block) throws(EngineError) -> Block {
        guard objects.count == 1, case .block(var updated) = objects[0] else {
            throw EngineError(
                .invalidInput, "the source must hold exactly the block \(block.name); it holds \(describe(objects))")
        }
        guard updated.name.caseInsensitiveEquals(block.name) else {
            throw EngineError(
                .invalidInput,
                "the source declares \(updated.name), not \(block.name); rename blocks with blocks/actions/rename")
        }
        let sameKind = updated.kind == block.kind || (updated.kind.isDataBlock && block.kind.isDataBlock)
        guard sameKind else {
            throw EngineError(
                .invalidInput,
                "the source declares a \(updated.kind.rawValue); \(block.name) is a \(block.kind.rawValue)")
        }
        updated.file = block.file
        updated.group = block.group
        updated.number = block.number
        if let auto = block.attributes["AutoNumber"] { updated.attributes["AutoNumber"] = auto }
        return updated
    }

    private static func checkBlockName(_ name: String, what: String) throws(EngineError) {
        if let problem = nameProblem(name, isFile: true) {
            throw EngineError(.invalidInput, "\(what) '\(name)': \(problem)")
        }
    }

    private static func checkFreeName(_ name: String, in device: Device) throws(EngineError) {
        if device.block(named: name) != nil || device.dataType(named: name) != nil {
            throw EngineError(.conflict, "a block or PLC data type named \(name) exists in \(device.name)")
        }
    }

    /// Folder names: file names, no `.` or `..`.
    private static func checkFolder(_ path: [String], allowEmpty: Bool) throws(EngineError) {
        guard allowEmpty || !path.isEmpty else { throw EngineError(.invalidInput, "the folder path is empty") }
        for part in path {
            if part == "." || part == ".." {
                throw EngineError(.invalidInput, "folder names may not be '.' or '..'")
            }
            if let problem = nameProblem(part, isFile: true) {
                throw EngineError(.invalidInput, "folder '\(part)': \(problem)")
            }
        }
    }

    private static func checkNumber(
        _ number: Int, kind: BlockKind, in device: Device, ignoring index: Int?
    ) throws(EngineError) {
        guard (1...65535).contains(number) else {
            throw EngineError(.invalidInput, "block numbers are from 1 to 65535, not \(number)")
        }
        for (position, block) in device.blocks.enumerated()
        where position != index && block.kind.numberPrefix == kind.numberPrefix && block.number == number {
            throw EngineError(.conflict, "\(kind.numberPrefix)\(number) is taken by \(block.name) in \(device.name)")
        }
    }

    private static func checkVersion(_ version: String) throws(EngineError) {
        let parts = version.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2,
            parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
        else {
            throw EngineError(.invalidInput, "a block version is written major.minor (0.1), not '\(version)'")
        }
    }

    private static func checkSection(_ section: InterfaceSection.Kind, for block: Block) throws(EngineError) {
        if block.kind.isDataBlock, let type = block.instanceOf {
            throw EngineError(.unsupported, "\(block.name) is an instance of \(type): its members are those of \(type)")
        }
        let allowed = BlockSpec.Kind(block.kind).allowedSections
        guard allowed.contains(section) else {
            throw EngineError(
                .invalidInput,
                "a \(block.kind.rawValue) has no \(section.rawValue) section (it has "
                    + allowed.filter { $0 != InterfaceSection.Kind.none }.map(\.rawValue).joined(separator: ", ") + ")")
        }
    }

    /// Everything about a block spec but its name: sections, members, types, start values, return type, the type
    /// of an instance DB, version and number.
    private static func checkSpec(_ spec: BlockSpec, in device: Device, library: ProjectLibrary) throws(EngineError) {
        try checkVersion(spec.version)
        if let number = spec.number, !(1...65535).contains(number) {
            throw EngineError(.invalidInput, "block numbers are from 1 to 65535, not \(number)")
        }
        let allowed = spec.kind.allowedSections
        for section in spec.sections where !section.members.isEmpty && !allowed.contains(section.kind) {
            throw EngineError(
                .invalidInput, "a \(spec.kind.rawValue) has no \(section.kind.rawValue) section")
        }
        try checkMembers(
            spec.allMembers, in: device, library: library, owner: spec.name, forType: spec.kind == .dataBlock)
        if spec.kind == .function, let returnType = spec.returnType,
            !returnType.trimmingCharacters(in: .whitespaces).isEmpty,
            returnType.trimmingCharacters(in: .whitespaces).lowercased() != "void"
        {
            try checkMember(
                MemberSpec(name: "Ret_Val", dataType: returnType), in: device, library: library, owner: spec.name,
                forType: true)
        }
        if spec.kind == .dataBlock, let instance = spec.instanceOf?.trimmingCharacters(in: .whitespaces),
            !instance.isEmpty
        {
            let bare = instance.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            let known =
                device.blocks.contains { $0.kind == .functionBlock && $0.name.caseInsensitiveEquals(bare) }
                || device.dataType(named: bare) != nil
                || library.dataTypes.contains { $0.name.caseInsensitiveEquals(bare) }
                || library.blocks.contains { $0.kind == .functionBlock && $0.name.caseInsensitiveEquals(bare) }
                || SystemFBType(name: bare) != nil
            guard known else {
                throw EngineError(
                    .invalidInput, "a DB can be an instance of an FB, a PLC data type or an IEC block; \(bare) is none")
            }
        }
    }

    private static func checkMembers(
        _ members: [MemberSpec], in device: Device, library: ProjectLibrary, owner: String, forType: Bool
    ) throws(EngineError) {
        var seen: Set<String> = []
        for member in members {
            guard seen.insert(member.name.lowercased()).inserted else {
                throw EngineError(.invalidInput, "the member name \(member.name) is used twice")
            }
            try checkMember(member, in: device, library: library, owner: owner, forType: forType)
        }
    }

    /// A member's name, type (user types must exist; a type cannot use itself) and start value.
    private static func checkMember(
        _ member: MemberSpec, in device: Device, library: ProjectLibrary, owner: String, forType: Bool
    ) throws(EngineError) {
        if let problem = nameProblem(member.name, isFile: false) {
            throw EngineError(.invalidInput, "member '\(member.name)': \(problem)")
        }
        let text = SCLSourceGenerator.collapsedSpaces(member.dataType)
        guard !text.isEmpty else { throw EngineError(.invalidInput, "member \(member.name) has no data type") }
        let type: DataType
        do { type = try DataType(parsing: text) } catch {
            throw EngineError(.invalidInput, "member \(member.name): \(error.description)")
        }
        try checkReferences(type, member: member.name, in: device, library: library, owner: owner, forType: forType)
        if let value = member.startValue, !value.trimmingCharacters(in: .whitespaces).isEmpty {
            try checkStartValue(value, type: text, member: member.name)
        }
    }

    private static func checkReferences(
        _ type: DataType, member: String, in device: Device, library: ProjectLibrary, owner: String, forType: Bool
    ) throws(EngineError) {
        switch type {
        case .named(let name):
            guard !name.caseInsensitiveEquals(owner) else {
                throw EngineError(.invalidInput, "member \(member): \(owner) cannot contain itself")
            }
            let isType =
                device.dataType(named: name) != nil
                || library.dataTypes.contains { $0.name.caseInsensitiveEquals(name) }
            let isFB =
                device.blocks.contains { $0.kind == .functionBlock && $0.name.caseInsensitiveEquals(name) }
                || library.blocks.contains { $0.kind == .functionBlock && $0.name.caseInsensitiveEquals(name) }
            guard isType || (!forType && isFB) else {
                throw EngineError(
                    .invalidInput,
                    "member \(member): no PLC data type\(forType ? "" : " or function block") \"\(name)\" in "
                        + device.name)
            }
        case .array(_, of: let element):
            try checkReferences(element, member: member, in: device, library: library, owner: owner, forType: forType)
        case .struct(let members):
            guard !members.isEmpty else {
                throw EngineError(
                    .invalidInput, "member \(member): a Struct needs members (Struct a : Bool; END_STRUCT)")
            }
            for nested in members {
                try checkReferences(
                    nested.dataType, member: member + "." + nested.name, in: device, library: library, owner: owner,
                    forType: forType)
            }
        default:
            break
        }
    }

    /// A start value must be a literal of the member's type (checked for elementary types).
    private static func checkStartValue(_ value: String, type text: String, member: String) throws(EngineError) {
        guard let type = try? DataType(parsing: SCLSourceGenerator.collapsedSpaces(text)), type.isElementary else {
            return
        }
        do { _ = try PLCValue.parse(value.trimmingCharacters(in: .whitespaces), as: type) } catch {
            throw EngineError(.invalidInput, "member \(member): start value \(value): \(error.message)")
        }
    }

    /// A member of a block's interface (not its return value) and the section holding it.
    private static func interfaceMember(
        _ name: String, of block: Block
    ) throws(EngineError) -> (InterfaceSection.Kind, S7Model.Member) {
        for section in block.interface.sections where section.kind != .return {
            if let member = section.members.first(where: { $0.name.caseInsensitiveEquals(name) }) {
                return (section.kind, member)
            }
        }
        throw EngineError(.notFound, "\(block.name) has no interface member \(name)")
    }

    /// A member's type as a declaration writes it, nested structs included.
    private static func typeText(of member: S7Model.Member) -> String {
        guard member.dataType.caseInsensitiveEquals("Struct"), !member.members.isEmpty else { return member.dataType }
        let body = member.members.map { "\(SCLSourceGenerator.formatName($0.name)) : \(typeText(of: $0));" }
        return "Struct " + body.joined(separator: " ") + " END_STRUCT"
    }
}

/// The VCI folders of a device below which callers make folders of their own.
public enum ProjectFolder: Sendable, CaseIterable {
    case programBlocks, dataTypes, tagTables, watchTables, externalSources

    /// The folder's name in the device folder.
    public var name: String {
        switch self {
        case .programBlocks: VCILayout.programBlocks
        case .dataTypes: VCILayout.plcDataTypes
        case .tagTables: VCILayout.plcTags
        case .watchTables: VCILayout.watchAndForceTables
        case .externalSources: VCILayout.externalSources
        }
    }
}
