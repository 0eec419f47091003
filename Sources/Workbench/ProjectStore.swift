public import Foundation
import GRDB

/// The project's own history in SQLite under `<project>/.s7wb/s7wb.sqlite`: audit log, snapshots, jobs, settings.
///
/// A project folder that cannot be written (a read-only checkout) gets an in-memory store instead, and
/// `isPersistent` says so; nothing else changes for the caller.
public final class ProjectStore: Sendable {
    public let path: String?
    private let database: any DatabaseWriter

    public var isPersistent: Bool { path != nil }

    /// Opens (creating and migrating as needed) the store of the project at `projectRoot`.
    public static func open(projectRoot: String) -> ProjectStore {
        let folder = projectRoot + "/.s7wb"
        let path = folder + "/s7wb.sqlite"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.busyMode = .timeout(5)
            let pool = try DatabasePool(path: path, configuration: configuration)
            try ProjectStore.migrator.migrate(pool)
            return ProjectStore(path: path, database: pool)
        } catch {
            return inMemory()
        }
    }

    public static func inMemory() -> ProjectStore {
        // An in-memory queue cannot fail to open; a failing migration here is a programming error.
        let queue = try! DatabaseQueue()
        try! ProjectStore.migrator.migrate(queue)
        return ProjectStore(path: nil, database: queue)
    }

    private init(path: String?, database: any DatabaseWriter) {
        self.path = path
        self.database = database
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "audit") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .datetime).notNull()
                t.column("actor", .text).notNull()
                t.column("action", .text).notNull()
                t.column("target", .text).notNull()
                t.column("detail", .text)
                t.column("outcome", .text).notNull()
            }
            try db.create(table: "snapshot") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .datetime).notNull()
                t.column("actor", .text).notNull()
                t.column("objectKind", .text).notNull()
                t.column("objectPath", .text).notNull()
                t.column("reason", .text).notNull()
                t.column("content", .blob).notNull()
            }
            try db.create(index: "snapshot_on_object", on: "snapshot", columns: ["objectKind", "objectPath"])
            try db.create(table: "job") { t in
                t.column("id", .text).primaryKey()
                t.column("kind", .text).notNull()
                t.column("status", .text).notNull()
                t.column("progress", .double).notNull().defaults(to: 0)
                t.column("message", .text)
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
                t.column("result", .text)
                t.column("error", .text)
            }
            try db.create(table: "setting") { t in
                t.column("key", .text).primaryKey()
                t.column("value", .text).notNull()
            }
        }
        return migrator
    }

    // MARK: Audit

    public func appendAudit(_ entry: AuditEntry) throws {
        try database.write { db in
            try db.execute(
                sql: "INSERT INTO audit (at, actor, action, target, detail, outcome) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [entry.at, entry.actor, entry.action, entry.target, entry.detail, entry.outcome])
        }
    }

    /// The newest entries first.
    public func audit(limit: Int = 100) throws -> [AuditEntry] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit ORDER BY id DESC LIMIT ?", arguments: [limit]).map {
                AuditEntry(
                    id: $0["id"], at: $0["at"], actor: $0["actor"], action: $0["action"], target: $0["target"],
                    detail: $0["detail"], outcome: $0["outcome"])
            }
        }
    }

    // MARK: Snapshots

    @discardableResult
    public func addSnapshot(_ snapshot: Snapshot) throws -> Int64 {
        try database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO snapshot (at, actor, objectKind, objectPath, reason, content)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    snapshot.at, snapshot.actor, snapshot.objectKind, snapshot.objectPath, snapshot.reason,
                    Data(snapshot.content),
                ])
            return db.lastInsertedRowID
        }
    }

    public func snapshots(objectPath: String? = nil, limit: Int = 100) throws -> [Snapshot] {
        try database.read { db in
            let rows: [Row]
            if let objectPath {
                rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM snapshot WHERE objectPath = ? ORDER BY id DESC LIMIT ?",
                    arguments: [objectPath, limit])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM snapshot ORDER BY id DESC LIMIT ?", arguments: [limit])
            }
            return rows.map { row in
                let content: Data = row["content"]
                return Snapshot(
                    id: row["id"], at: row["at"], actor: row["actor"], objectKind: row["objectKind"],
                    objectPath: row["objectPath"], reason: row["reason"], content: Array(content))
            }
        }
    }

    public func snapshot(id: Int64) throws -> Snapshot? {
        try database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM snapshot WHERE id = ?", arguments: [id]).map { row in
                let content: Data = row["content"]
                return Snapshot(
                    id: row["id"], at: row["at"], actor: row["actor"], objectKind: row["objectKind"],
                    objectPath: row["objectPath"], reason: row["reason"], content: Array(content))
            }
        }
    }

    /// Deletes one snapshot; false when there was none with that id.
    public func deleteSnapshot(id: Int64) throws -> Bool {
        try database.write { db in
            try db.execute(sql: "DELETE FROM snapshot WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    /// Deletes snapshots taken before `date` and, per object, all but the newest `keepPerObject`; returns how many
    /// were deleted.
    public func cleanSnapshots(before date: Date?, keepPerObject: Int?) throws -> Int {
        try database.write { db in
            var deleted = 0
            if let date {
                try db.execute(sql: "DELETE FROM snapshot WHERE at < ?", arguments: [date])
                deleted += db.changesCount
            }
            if let keepPerObject {
                try db.execute(
                    sql: """
                        DELETE FROM snapshot WHERE id IN (
                          SELECT id FROM (
                            SELECT id, ROW_NUMBER() OVER (PARTITION BY objectPath ORDER BY id DESC) AS n FROM snapshot
                          ) WHERE n > ?)
                        """,
                    arguments: [keepPerObject])
                deleted += db.changesCount
            }
            return deleted
        }
    }

    /// How many snapshots there are, how many bytes they hold, and the oldest and newest dates.
    public func snapshotStatistics() throws -> (count: Int, bytes: Int, oldest: Date?, newest: Date?) {
        try database.read { db in
            let row = try Row.fetchOne(
                db,
                sql:
                    "SELECT COUNT(*) AS n, COALESCE(SUM(LENGTH(content)), 0) AS b, MIN(at) AS o, MAX(at) AS w FROM snapshot"
            )
            return (row?["n"] ?? 0, row?["b"] ?? 0, row?["o"], row?["w"])
        }
    }

    // MARK: Jobs

    public func saveJob(_ job: JobRecord) throws {
        try database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO job (id, kind, status, progress, message, createdAt, updatedAt, result, error)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET status = excluded.status, progress = excluded.progress,
                      message = excluded.message, updatedAt = excluded.updatedAt, result = excluded.result,
                      error = excluded.error
                    """,
                arguments: [
                    job.id, job.kind, job.status.rawValue, job.progress, job.message, job.createdAt, job.updatedAt,
                    job.result, job.error,
                ])
        }
    }

    public func job(id: String) throws -> JobRecord? {
        try database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM job WHERE id = ?", arguments: [id]).map(JobRecord.init(row:))
        }
    }

    public func jobs(limit: Int = 100) throws -> [JobRecord] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM job ORDER BY createdAt DESC LIMIT ?", arguments: [limit])
                .map(JobRecord.init(row:))
        }
    }

    /// Deletes finished jobs last updated before `date`; returns how many.
    public func deleteJobs(finishedBefore date: Date) throws -> Int {
        try database.write { db in
            try db.execute(
                sql: "DELETE FROM job WHERE status IN ('succeeded', 'failed', 'cancelled') AND updatedAt < ?",
                arguments: [date])
            return db.changesCount
        }
    }

    // MARK: Settings

    public func setting(_ key: String) throws -> String? {
        try database.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [key])
        }
    }

    public func setSetting(_ key: String, _ value: String) throws {
        try database.write { db in
            try db.execute(
                sql:
                    "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                arguments: [key, value])
        }
    }
}

/// One line of the audit log: who changed what, when, and whether it worked.
public struct AuditEntry: Sendable, Hashable, Codable {
    public var id: Int64?
    public var at: Date
    public var actor: String
    public var action: String
    public var target: String
    public var detail: String?
    /// `ok` or `failed: reason`.
    public var outcome: String

    public init(
        id: Int64? = nil, at: Date = Date(), actor: String, action: String, target: String, detail: String? = nil,
        outcome: String
    ) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.target = target
        self.detail = detail
        self.outcome = outcome
    }
}

/// The content of one project file before a change, so the change can be undone.
public struct Snapshot: Sendable, Hashable, Codable {
    public var id: Int64?
    public var at: Date
    public var actor: String
    /// `block`, `tagTable`, `dataType`, `watchTable`, `manifest`.
    public var objectKind: String
    /// Path of the file relative to the project root.
    public var objectPath: String
    public var reason: String
    public var content: [UInt8]

    public init(
        id: Int64? = nil, at: Date = Date(), actor: String, objectKind: String, objectPath: String, reason: String,
        content: [UInt8]
    ) {
        self.id = id
        self.at = at
        self.actor = actor
        self.objectKind = objectKind
        self.objectPath = objectPath
        self.reason = reason
        self.content = content
    }
}

/// A long operation's record, kept until cleaned.
public struct JobRecord: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Codable {
        case queued, running, succeeded, failed, cancelled
    }

    public var id: String
    public var kind: String
    public var status: Status
    public var progress: Double
    public var message: String?
    public var createdAt: Date
    public var updatedAt: Date
    /// The result as JSON text.
    public var result: String?
    public var error: String?

    public init(
        id: String = UUID().uuidString.lowercased(), kind: String, status: Status = .queued, progress: Double = 0,
        message: String? = nil, createdAt: Date = Date(), updatedAt: Date = Date(), result: String? = nil,
        error: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.status = status
        self.progress = progress
        self.message = message
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.result = result
        self.error = error
    }

    init(row: Row) {
        self.init(
            id: row["id"], kind: row["kind"], status: Status(rawValue: row["status"]) ?? .failed,
            progress: row["progress"], message: row["message"], createdAt: row["createdAt"],
            updatedAt: row["updatedAt"], result: row["result"], error: row["error"])
    }
}
