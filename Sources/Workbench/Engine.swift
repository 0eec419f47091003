public import Foundation
public import S7Model
import S7Protocol
import S7Runtime
import SimaticML

/// The one writer of project state. Every front end (TUI, REST, MCP, CLI) calls the engine and nothing else.
///
/// A session is one open project (T-IA Connect calls it an instance's project). Calls without a session id act on
/// the current session, the last one opened. Every mutation is written to the audit log, and the file it changes
/// is snapshotted first, so any change can be undone.
public actor Engine {
    public struct Configuration: Sendable {
        /// Name recorded in the audit log for calls that do not say who they are.
        public var defaultActor: String
        /// Snapshot a file before every change (T-IA Connect's history setting).
        public var snapshotBeforeChange: Bool

        /// Besides an open project's folder, the one folder whose files the API may read and write (projects to open
        /// or create, archives, exports); nil allows project folders only.
        public var filesRoot: String?

        /// Where the list of recently opened projects is kept (`recent-projects.json`); nil keeps it in memory.
        public var stateDirectory: String?

        public init(
            defaultActor: String = "local", snapshotBeforeChange: Bool = true, filesRoot: String? = nil,
            stateDirectory: String? = nil
        ) {
            self.defaultActor = defaultActor
            self.snapshotBeforeChange = snapshotBeforeChange
            self.filesRoot = filesRoot
            self.stateDirectory = stateDirectory
        }
    }

    /// An open project and what the engine keeps beside it.
    public struct Session: Sendable {
        public let id: String
        public internal(set) var project: Project
        public let store: ProjectStore
        public let openedAt: Date
        /// Files changed in memory and not saved yet (paths relative to the project root).
        public internal(set) var dirtyFiles: Set<String>
        /// Files of deleted or renamed objects, removed on the next save.
        public internal(set) var removedFiles: Set<String> = []
    }

    public static let version = "0.1.0"

    public nonisolated let configuration: Configuration
    public nonisolated let startedAt = Date()
    var sessions: [String: Session] = [:]
    private var sessionOrder: [String] = []
    let hub = EventHub()
    /// Virtual PLCs by session and device (`Engine+Instances.swift`).
    var instances: [String: PLCInstance] = [:]
    /// Jobs started in this process, with the store they are written to (`Engine+Jobs.swift`).
    var liveJobs: [String: (record: JobRecord, store: ProjectStore?)] = [:]
    /// Devices gone online (`Engine+Online.swift`, T-IA's Download / Upload group).
    var online = OnlineRegistry()
    /// Named simulation instances, profiles and the connected instance (`Engine+PLCSim.swift`, the PLCSim group).
    var simulation = SimulationRegistry()
    /// The S7comm servers of virtual PLCs (`Engine+S7Server.swift`).
    var s7Servers = S7ServerRegistry()
    /// Recently opened projects, newest first (`Engine+Projects.swift`); loaded lazily from the state directory.
    var recentProjects: [RecentProject]?

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// An engine that goes away takes its virtual PLCs' threads with it.
    deinit {
        for instance in instances.values { instance.plc.shutdown() }
        for entry in s7Servers.entries.values {
            let server = entry.server
            Task { await server.stop() }
        }
    }

    /// A new stream of everything that happens from now on.
    public nonisolated func events() -> AsyncStream<EngineEvent> {
        hub.subscribe()
    }

    // MARK: Sessions

    /// Where a session keeps its audit log, snapshots and jobs.
    public enum History: Sendable {
        /// In `PROJECT/.s7wb/s7wb.sqlite` (in memory when the folder cannot be written).
        case persistent
        /// In memory only: for commands that only read (`s7wb info`) and for shared, read-only data.
        case inMemory
    }

    @discardableResult
    public func openProject(
        at path: String, actor: String? = nil, history: History = .persistent
    ) throws(EngineError) -> Session {
        let root = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        if let existing = sessions.values.first(where: { $0.project.root == root }) {
            makeCurrent(existing.id)
            return existing
        }
        let project: Project
        do {
            project = try ProjectLoader.load(at: path)
        } catch {
            throw EngineError(.notFound, error.description)
        }
        let store = history == .persistent ? ProjectStore.open(projectRoot: project.root) : ProjectStore.inMemory()
        let session = Session(
            id: UUID().uuidString.lowercased(), project: project, store: store, openedAt: Date(), dirtyFiles: [])
        sessions[session.id] = session
        makeCurrent(session.id)
        record(session, actor: actor, action: "project.open", target: project.root, outcome: "ok")
        remember(project)
        hub.publish(.projectOpened(sessionID: session.id, name: project.name))
        return session
    }

    public func closeProject(sessionID: String? = nil, actor: String? = nil) throws(EngineError) {
        let session = try self.session(sessionID)
        record(session, actor: actor, action: "project.close", target: session.project.root, outcome: "ok")
        sessions.removeValue(forKey: session.id)
        sessionOrder.removeAll { $0 == session.id }
        // The project's virtual PLCs stop with it, and nothing stays online or registered as a simulation.
        for (key, instance) in instances where key.hasPrefix(session.id + "/") {
            instance.plc.shutdown()
            instances.removeValue(forKey: key)
        }
        stopS7Servers(ofSession: session.id)
        online.connections = online.connections.filter { !$0.key.hasPrefix(session.id + "/") }
        online.downloads = online.downloads.filter { !$0.key.hasPrefix(session.id + "/") }
        for (key, link) in online.plcs where key.hasPrefix(session.id + "/") {
            online.plcs.removeValue(forKey: key)
            Task { await link.connection.close() }
        }
        for (name, entry) in simulation.entries where entry.sessionID == session.id {
            entry.parked?.plc.shutdown()
            simulation.entries.removeValue(forKey: name)
            if simulation.connected == name { simulation.connected = nil }
        }
        hub.publish(.projectClosed(sessionID: session.id))
    }

    /// Open sessions, the current one last.
    public func openSessions() -> [Session] {
        sessionOrder.compactMap { sessions[$0] }
    }

    public func currentSession() -> Session? {
        sessionOrder.last.flatMap { sessions[$0] }
    }

    public func session(_ id: String? = nil) throws(EngineError) -> Session {
        if let id {
            guard let session = sessions[id] else { throw EngineError(.notFound, "no open project with id \(id)") }
            return session
        }
        guard let session = currentSession() else { throw EngineError(.conflict, "no project is open") }
        return session
    }

    public func project(sessionID: String? = nil) throws(EngineError) -> Project {
        try session(sessionID).project
    }

    private func makeCurrent(_ id: String) {
        sessionOrder.removeAll { $0 == id }
        sessionOrder.append(id)
    }

    // MARK: Queries

    public func device(_ name: String, sessionID: String? = nil) throws(EngineError) -> Device {
        let project = try project(sessionID: sessionID)
        guard let device = project.device(named: name) else {
            let known = project.devices.map(\.name).joined(separator: ", ")
            throw EngineError(.notFound, "no device '\(name)' in project \(project.name) (devices: \(known))")
        }
        return device
    }

    public func block(_ name: String, device: String, sessionID: String? = nil) throws(EngineError) -> Block {
        guard let block = try self.device(device, sessionID: sessionID).block(named: name) else {
            throw EngineError(.notFound, "no block '\(name)' in device \(device)")
        }
        return block
    }

    public func tagTable(_ name: String, device: String, sessionID: String? = nil) throws(EngineError) -> TagTable {
        guard let table = try self.device(device, sessionID: sessionID).tagTable(named: name) else {
            throw EngineError(.notFound, "no tag table '\(name)' in device \(device)")
        }
        return table
    }

    public func dataType(_ name: String, device: String, sessionID: String? = nil) throws(EngineError) -> PlcDataType {
        guard let type = try self.device(device, sessionID: sessionID).dataType(named: name) else {
            throw EngineError(.notFound, "no PLC data type '\(name)' in device \(device)")
        }
        return type
    }

    public func watchTable(_ name: String, device: String, sessionID: String? = nil) throws(EngineError) -> WatchTable {
        guard let table = try self.device(device, sessionID: sessionID).watchTable(named: name) else {
            throw EngineError(.notFound, "no watch or force table '\(name)' in device \(device)")
        }
        return table
    }

    /// Every tag of a device across its tag tables, with the table each comes from.
    public func allTags(device: String, sessionID: String? = nil) throws(EngineError) -> [(table: String, tag: Tag)] {
        try self.device(device, sessionID: sessionID).tagTables.flatMap { table in table.tags.map { (table.name, $0) } }
    }

    // MARK: Mutations

    /// Replaces the SCL source of a block read from a source file (the file must hold only this block).
    public func updateBlockSource(
        _ name: String, device deviceName: String, source: String, sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) {
        var session = try self.session(sessionID)
        let block = try self.block(name, device: deviceName, sessionID: session.id)
        guard block.sourceText != nil, block.file.format != .simaticML else {
            throw EngineError(
                .unsupported,
                "block \(name) is a SimaticML (\(block.language.rawValue)) block; only SCL sources can be edited as text"
            )
        }
        let deviceIndex = session.project.devices.firstIndex {
            $0.name == deviceName || $0.name.caseInsensitiveEquals(deviceName)
        }!
        let siblings = session.project.devices[deviceIndex].blocks.filter { $0.file.path == block.file.path }
        guard siblings.count == 1 else {
            throw EngineError(.conflict, "\(block.file.path) holds \(siblings.count) blocks; edit the file as a whole")
        }
        snapshot(session, kind: "block", path: block.file.path, reason: "before editing \(name)", actor: actor)
        let blockIndex = session.project.devices[deviceIndex].blocks.firstIndex { $0.file.path == block.file.path }!
        // Read the block anew so its interface (and so the compiler's view of it) follows the text; a text that no
        // longer holds this one block keeps the old interface until it does.
        let read = SCLSourceReader.read(bytes: Array(source.utf8), file: block.file, group: block.group)
        let reread = read.objects.compactMap { object -> Block? in
            if case .block(let block) = object { return block }
            return nil
        }
        if reread.count == 1, var updated = reread.first, updated.name == block.name, updated.kind == block.kind {
            if updated.number == nil { updated.number = block.number }
            session.project.devices[deviceIndex].blocks[blockIndex] = updated
        }
        session.project.devices[deviceIndex].blocks[blockIndex].sourceText = source
        session.dirtyFiles.insert(block.file.path)
        sessions[session.id] = session
        record(session, actor: actor, action: "block.updateSource", target: "\(deviceName)/\(name)", outcome: "ok")
        hub.publish(.objectChanged(sessionID: session.id, kind: "block", device: deviceName, name: name))
    }

    /// Sets a device's IP address and subnet mask (kept in the manifest).
    public func setDeviceNetwork(
        _ deviceName: String, ipAddress: String, subnetMask: String, sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) {
        var session = try self.session(sessionID)
        guard let index = session.project.devices.firstIndex(where: { $0.name.caseInsensitiveEquals(deviceName) })
        else {
            throw EngineError(.notFound, "no device '\(deviceName)'")
        }
        try IPv4.validate(address: ipAddress, mask: subnetMask)
        snapshot(
            session, kind: "manifest", path: ProjectManifest.fileName, reason: "before network change", actor: actor)
        session.project.devices[index].ipAddress = ipAddress
        session.project.devices[index].subnetMask = subnetMask
        session.dirtyFiles.insert(ProjectManifest.fileName)
        sessions[session.id] = session
        record(
            session, actor: actor, action: "device.setNetwork", target: deviceName,
            detail: "\(ipAddress)/\(subnetMask)", outcome: "ok")
        hub.publish(.objectChanged(sessionID: session.id, kind: "device", device: deviceName, name: deviceName))
    }

    /// Writes every changed file atomically and removes the files of deleted objects; files whose bytes did not
    /// change are not touched.
    @discardableResult
    public func save(sessionID: String? = nil, actor: String? = nil) throws(EngineError) -> [String] {
        var session = try self.session(sessionID)
        var written: [String] = []
        for path in session.removedFiles.sorted() {
            let full = session.project.root + "/" + path
            if FileManager.default.fileExists(atPath: full) {
                do { try FileManager.default.removeItem(atPath: full) } catch {
                    throw EngineError(.io, "cannot remove \(path): \(error.localizedDescription)")
                }
                written.append(path)
            }
            session.removedFiles.remove(path)
        }
        for path in session.dirtyFiles.sorted() {
            guard let bytes = try fileContent(path, in: session.project) else { continue }
            do {
                if try AtomicFile.write(bytes, to: session.project.root + "/" + path) { written.append(path) }
            } catch {
                record(session, actor: actor, action: "project.save", target: path, outcome: "failed: \(error)")
                throw EngineError(.io, error.description)
            }
            session.dirtyFiles.remove(path)
        }
        sessions[session.id] = session
        record(
            session, actor: actor, action: "project.save", target: session.project.root,
            detail: written.joined(separator: ", "), outcome: "ok")
        hub.publish(.projectSaved(sessionID: session.id, writtenFiles: written))
        return written
    }

    /// The bytes a project file should hold now, or nil when the engine does not write that file.
    func fileContent(_ path: String, in project: Project) throws(EngineError) -> [UInt8]? {
        if path == ProjectManifest.fileName {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            guard let data = try? encoder.encode(project.manifest) else {
                throw EngineError(.io, "cannot encode the manifest")
            }
            return Array(data) + [0x0A]
        }
        let original = FileManager.default.contents(atPath: project.root + "/" + path)
        let bom: [UInt8] = original?.starts(with: [0xEF, 0xBB, 0xBF]) == true ? [0xEF, 0xBB, 0xBF] : []
        for device in project.devices {
            if let block = device.blocks.first(where: { $0.file.path == path }), let text = block.sourceText {
                return bom + Array(text.utf8)
            }
            if let type = device.dataTypes.first(where: { $0.file.path == path }), let text = type.sourceText {
                return bom + Array(text.utf8)
            }
            if let table = device.tagTables.first(where: { $0.file.path == path }) {
                return SimaticMLWriter.tagTable(table)
            }
            if let table = device.watchTables.first(where: { $0.file.path == path }) {
                return SimaticMLWriter.watchTable(table)
            }
        }
        return nil
    }

    // MARK: History

    public func audit(limit: Int = 100, sessionID: String? = nil) throws(EngineError) -> [AuditEntry] {
        let session = try self.session(sessionID)
        do { return try session.store.audit(limit: limit) } catch { throw EngineError(.io, "\(error)") }
    }

    public func snapshots(limit: Int = 100, sessionID: String? = nil) throws(EngineError) -> [Snapshot] {
        let session = try self.session(sessionID)
        do { return try session.store.snapshots(limit: limit) } catch { throw EngineError(.io, "\(error)") }
    }

    // MARK: Settings

    /// The project's settings as stored in its `.s7wb` store, defaults for what was never set.
    public func settings(sessionID: String? = nil) throws(EngineError) -> ProjectSettings {
        let session = try self.session(sessionID)
        var settings = ProjectSettings()
        do {
            if let value = try session.store.setting(ProjectSettings.Key.snapshotBeforeChange) {
                settings.snapshotBeforeChange = value == "true"
            }
            if let value = try session.store.setting(ProjectSettings.Key.snapshotsPerObject), let number = Int(value) {
                settings.snapshotsPerObject = number
            }
        } catch {
            throw EngineError(.io, "\(error)")
        }
        return settings
    }

    public func updateSettings(
        _ settings: ProjectSettings, sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) {
        let session = try self.session(sessionID)
        guard ProjectSettings.snapshotsPerObjectRange.contains(settings.snapshotsPerObject) else {
            throw EngineError(.invalidInput, "snapshotsPerObject must be from 1 to 10000")
        }
        do {
            try session.store.setSetting(
                ProjectSettings.Key.snapshotBeforeChange, settings.snapshotBeforeChange ? "true" : "false")
            try session.store.setSetting(ProjectSettings.Key.snapshotsPerObject, String(settings.snapshotsPerObject))
        } catch {
            throw EngineError(.io, "\(error)")
        }
        record(
            session, actor: actor, action: "settings.update", target: session.project.root,
            detail:
                "snapshotBeforeChange=\(settings.snapshotBeforeChange) snapshotsPerObject=\(settings.snapshotsPerObject)",
            outcome: "ok")
    }

    /// Snapshots of one project file (a block's source, a tag table), newest first.
    public func snapshots(
        objectPath: String, limit: Int = 100, sessionID: String? = nil
    ) throws(EngineError) -> [Snapshot] {
        let session = try self.session(sessionID)
        do { return try session.store.snapshots(objectPath: objectPath, limit: limit) } catch {
            throw EngineError(.io, "\(error)")
        }
    }

    public func snapshot(id: Int64, sessionID: String? = nil) throws(EngineError) -> Snapshot {
        let session = try self.session(sessionID)
        let found: Snapshot?
        do { found = try session.store.snapshot(id: id) } catch { throw EngineError(.io, "\(error)") }
        guard let found else { throw EngineError(.notFound, "no snapshot \(id)") }
        return found
    }

    public func snapshotStatistics(
        sessionID: String? = nil
    ) throws(EngineError) -> (count: Int, bytes: Int, oldest: Date?, newest: Date?, persistent: Bool) {
        let session = try self.session(sessionID)
        do {
            let statistics = try session.store.snapshotStatistics()
            return (
                statistics.count, statistics.bytes, statistics.oldest, statistics.newest, session.store.isPersistent
            )
        } catch {
            throw EngineError(.io, "\(error)")
        }
    }

    func snapshot(_ session: Session, kind: String, path: String, reason: String, actor: String?) {
        guard configuration.snapshotBeforeChange, (try? settings(sessionID: session.id).snapshotBeforeChange) != false
        else { return }
        let bytes = currentContent(path, in: session) ?? []
        _ = try? session.store.addSnapshot(
            Snapshot(
                actor: actor ?? configuration.defaultActor, objectKind: kind, objectPath: path, reason: reason,
                content: bytes))
    }

    /// A file as it is now: its unsaved content when changed in memory, else the bytes on disk (nil when neither).
    func currentContent(_ path: String, in session: Session) -> [UInt8]? {
        if session.dirtyFiles.contains(path), let bytes = (try? fileContent(path, in: session.project)) ?? nil {
            return bytes
        }
        return FileManager.default.contents(atPath: session.project.root + "/" + path).map(Array.init)
    }

    func record(
        _ session: Session, actor: String?, action: String, target: String, detail: String? = nil, outcome: String
    ) {
        _ = try? session.store.appendAudit(
            AuditEntry(
                actor: actor ?? configuration.defaultActor, action: action, target: target, detail: detail,
                outcome: outcome))
    }

    /// Records a call of a front end (an API route) in the audit log of the project it acted on; nothing when no
    /// project is open.
    public func recordCall(actor: String, action: String, target: String, outcome: String, sessionID: String? = nil) {
        guard let session = (sessionID.flatMap { sessions[$0] } ?? currentSession()) else { return }
        record(session, actor: actor, action: action, target: target, outcome: outcome)
    }

    /// Ends every event stream; call when the process shuts down.
    public func shutdown() {
        for instance in instances.values { instance.plc.shutdown() }
        instances.removeAll()
        for link in online.plcs.values { Task { await link.connection.close() } }
        online.plcs.removeAll()
        hub.finish()
    }
}
