public import Foundation

/// Long operations as jobs (T-IA Connect's async forms): started here, run in the background, polled by id.
///
/// A job is written to the store of the project it belongs to (the named session, else the current one) whenever its
/// state changes, so finished jobs survive a restart until cleaned. Jobs started with no project open (open, create)
/// are kept in memory only.
extension Engine {
    /// Starts `work` as a job and returns its record at once (status `queued`). The work's result is JSON text; a
    /// thrown error fails the job with the error's description.
    public func startJob(
        kind: String, sessionID: String? = nil, message: String? = nil,
        work: @escaping @Sendable () async throws -> String
    ) -> JobRecord {
        let record = JobRecord(kind: kind, message: message)
        let store = (sessionID.flatMap { sessions[$0] } ?? currentSession())?.store
        liveJobs[record.id] = (record, store)
        _ = try? store?.saveJob(record)
        Task { await self.runJob(record.id, work) }
        return record
    }

    private func runJob(_ id: String, _ work: @escaping @Sendable () async throws -> String) async {
        updateJob(id) { $0.status = .running }
        do {
            let result = try await work()
            updateJob(id) { record in
                record.status = .succeeded
                record.progress = 1
                record.result = result
            }
        } catch {
            updateJob(id) { record in
                record.status = .failed
                record.error = "\(error)"
            }
        }
    }

    private func updateJob(_ id: String, _ change: (inout JobRecord) -> Void) {
        guard var entry = liveJobs[id] else { return }
        change(&entry.record)
        entry.record.updatedAt = Date()
        liveJobs[id] = entry
        _ = try? entry.store?.saveJob(entry.record)
    }

    /// A job by id: one started in this process, else one kept in the named session's store, else in any open
    /// project's store.
    public func job(id: String, sessionID: String? = nil) throws(EngineError) -> JobRecord {
        if let live = liveJobs[id] { return live.record }
        let stores =
            sessionID == nil ? openSessions().reversed().map(\.store) : [try session(sessionID).store]
        for store in stores {
            let found: JobRecord?
            do { found = try store.job(id: id) } catch { throw EngineError(.io, "\(error)") }
            if let found { return found }
        }
        throw EngineError(.notFound, "no job \(id)")
    }

    /// The jobs of this process and of the project's store, newest first.
    public func jobs(limit: Int = 100, sessionID: String? = nil) throws(EngineError) -> [JobRecord] {
        var byID: [String: JobRecord] = [:]
        for (id, entry) in liveJobs { byID[id] = entry.record }
        if let store = (sessionID == nil ? currentSession() : try session(sessionID))?.store {
            do {
                for record in try store.jobs(limit: limit) where byID[record.id] == nil { byID[record.id] = record }
            } catch {
                throw EngineError(.io, "\(error)")
            }
        }
        return Array(byID.values.sorted { $0.createdAt > $1.createdAt }.prefix(limit))
    }

    /// Waits until a job has finished (or `timeout` passed) and returns its record as it is then.
    public func waitForJob(id: String, timeout: Duration = .seconds(300)) async throws(EngineError) -> JobRecord {
        let deadline = ContinuousClock.now + timeout
        var record = try job(id: id)
        while record.status == .queued || record.status == .running, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
            record = try job(id: id)
        }
        return record
    }

    /// Forgets finished jobs last updated before `date`, in memory and in the project's store; returns how many.
    public func cleanJobs(finishedBefore date: Date, sessionID: String? = nil) throws(EngineError) -> Int {
        var count = 0
        for (id, entry) in liveJobs
        where entry.record.status != .queued && entry.record.status != .running && entry.record.updatedAt < date {
            liveJobs.removeValue(forKey: id)
            if entry.store == nil { count += 1 }
        }
        if let store = (sessionID == nil ? currentSession() : try session(sessionID))?.store {
            do { count += try store.deleteJobs(finishedBefore: date) } catch { throw EngineError(.io, "\(error)") }
        }
        return count
    }
}
