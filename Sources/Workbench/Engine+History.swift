public import Foundation
import S7Model
import SimaticML

/// Snapshots on request, restore, delete and cleanup (T-IA Connect's History & Snapshots).
extension Engine {
    /// Takes a snapshot of a project file now (whatever the history setting says) and returns it.
    public func takeSnapshot(
        kind: String, path: String, reason: String, sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) -> Snapshot {
        let session = try self.session(sessionID)
        guard let bytes = currentContent(path, in: session) else {
            throw EngineError(.notFound, "\(path) has no content to snapshot")
        }
        var snapshot = Snapshot(
            actor: actor ?? configuration.defaultActor, objectKind: kind, objectPath: path, reason: reason,
            content: bytes)
        do { snapshot.id = try session.store.addSnapshot(snapshot) } catch { throw EngineError(.io, "\(error)") }
        record(session, actor: actor, action: "snapshot.create", target: path, detail: reason, outcome: "ok")
        return snapshot
    }

    public func deleteSnapshot(id: Int64, sessionID: String? = nil, actor: String? = nil) throws(EngineError) {
        let session = try self.session(sessionID)
        let deleted: Bool
        do { deleted = try session.store.deleteSnapshot(id: id) } catch { throw EngineError(.io, "\(error)") }
        guard deleted else { throw EngineError(.notFound, "no snapshot \(id)") }
        record(session, actor: actor, action: "snapshot.delete", target: String(id), outcome: "ok")
    }

    /// Deletes snapshots older than `olderThan` and beyond the newest `keepPerObject` of each object (the project
    /// setting when nil); returns how many were deleted.
    public func cleanSnapshots(
        olderThan: Date? = nil, keepPerObject: Int? = nil, sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) -> Int {
        let session = try self.session(sessionID)
        var keep = try settings(sessionID: session.id).snapshotsPerObject
        if let keepPerObject { keep = keepPerObject }
        let count: Int
        do { count = try session.store.cleanSnapshots(before: olderThan, keepPerObject: keep) } catch {
            throw EngineError(.io, "\(error)")
        }
        record(
            session, actor: actor, action: "snapshot.cleanup", target: session.project.root,
            detail: "\(count) deleted, \(keep) kept per object", outcome: "ok")
        return count
    }

    /// Puts a snapshot's content back: the file is written at once (its current content snapshotted first) and the
    /// objects it holds are read again. Returns the restored file's path.
    @discardableResult
    public func restoreSnapshot(id: Int64, sessionID: String? = nil, actor: String? = nil) throws(EngineError) -> String
    {
        var session = try self.session(sessionID)
        let snapshot = try self.snapshot(id: id, sessionID: session.id)
        let path = snapshot.objectPath
        guard !path.split(separator: "/").contains(".."), !path.hasPrefix("/") else {
            throw EngineError(.invalidInput, "snapshot \(id) names an unusable path \(path)")
        }
        self.snapshot(
            session, kind: snapshot.objectKind, path: path, reason: "before restoring snapshot \(id)", actor: actor)
        do {
            _ = try AtomicFile.write(snapshot.content, to: session.project.root + "/" + path)
        } catch {
            throw EngineError(.io, "cannot write \(path): \(error.description)")
        }
        let reread: Project
        do { reread = try ProjectLoader.load(at: session.project.root) } catch {
            throw EngineError(.io, error.description)
        }
        for index in session.project.devices.indices {
            let name = session.project.devices[index].name
            let fresh = reread.devices.first { $0.name == name }
            session.project.devices[index].blocks.removeAll { $0.file.path == path }
            session.project.devices[index].blocks += fresh?.blocks.filter { $0.file.path == path } ?? []
            session.project.devices[index].dataTypes.removeAll { $0.file.path == path }
            session.project.devices[index].dataTypes += fresh?.dataTypes.filter { $0.file.path == path } ?? []
            session.project.devices[index].tagTables.removeAll { $0.file.path == path }
            session.project.devices[index].tagTables += fresh?.tagTables.filter { $0.file.path == path } ?? []
            session.project.devices[index].watchTables.removeAll { $0.file.path == path }
            session.project.devices[index].watchTables += fresh?.watchTables.filter { $0.file.path == path } ?? []
        }
        if path == ProjectManifest.fileName { session.project.devices = reread.devices }
        session.dirtyFiles.remove(path)
        session.removedFiles.remove(path)
        sessions[session.id] = session
        record(session, actor: actor, action: "snapshot.restore", target: path, detail: "snapshot \(id)", outcome: "ok")
        hub.publish(.objectChanged(sessionID: session.id, kind: snapshot.objectKind, device: "", name: path))
        return path
    }
}
