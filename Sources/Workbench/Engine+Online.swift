public import Foundation
import S7Compiler
import S7Diagnostics
import S7Model
public import S7Protocol
public import S7Runtime
import SCLSyntax

/// The devices gone online (T-IA's Download / Upload group) and what the last download through `downloadProgram`
/// loaded, both by `session/device`.
struct OnlineRegistry: Sendable {
    /// When each device went online.
    var connections: [String: Date] = [:]
    /// The last download of each device through `downloadProgram`.
    var downloads: [String: LoadedProgram] = [:]
    /// The devices online with a real PLC, and their S7comm links.
    var plcs: [String: PLCLink] = [:]

    init() {}
}

/// What `Engine.downloadProgram` remembers of a download: the layout of every DB (to tell the next download which
/// DBs may keep their actual values) and the names of what it loaded (for blocks the project no longer has).
struct LoadedProgram: Sendable {
    struct CodeBlock: Sendable {
        var kind: String
        var number: Int
    }

    /// The instance's `downloadedAt` after this download; a later download by another path makes this stale.
    var at: Date
    /// Layout keys (`Engine.layoutKey`) by lower-cased DB name.
    var layouts: [String: Int]
    /// DB names by number.
    var dataBlocks: [Int: String]
    /// Code blocks by lower-cased name.
    var codeBlocks: [String: CodeBlock]
}

/// Where going online connects to: the device's virtual PLC, or a real PLC over S7comm (PUT/GET).
public enum OnlineTarget: String, Sendable, Hashable {
    case virtual
    case plc
}

/// A CPU's operating mode as the online view shows it: the virtual CPU's state (with the cause of a STOP), or what a
/// real CPU reports in SZL 0x0424.
public enum OnlineCPUMode: Sendable, Hashable {
    case virtual(CPUModeStateMachine.State)
    case plc(S7CPUMode)

    /// `RUN`, `STOP`, `STARTUP`, and for a real CPU also `HOLD`, `DEFECT` or `UNKNOWN`.
    public var text: String {
        switch self {
        case .virtual(.run): "RUN"
        case .virtual(.startup): "STARTUP"
        case .virtual(.stop): "STOP"
        case .plc(let mode): mode.description
        }
    }

    /// Why the virtual CPU stopped; nil in RUN, and for a real CPU, whose SZL 0x0424 does not say.
    public var stopCause: CPUModeStateMachine.StopCause? {
        if case .virtual(.stop(let cause)) = self { return cause }
        return nil
    }

    public var isRun: Bool { text == "RUN" }
}

/// A device's online state (TIA's "Go online" with its status bar).
public struct OnlineStatus: Sendable, Hashable {
    public var device: String
    public var isOnline: Bool
    /// When the device went online; nil offline.
    public var since: Date?
    public var target: OnlineTarget
    /// The CPU's mode while online; nil offline, or when a real PLC does not answer.
    public var mode: OnlineCPUMode?
    /// The address the manifest gives the device.
    public var ipAddress: String?
    /// Where the real PLC is reached (target `plc`).
    public var endpoint: PLCEndpoint?
    /// The S7comm link to the real PLC (target `plc`).
    public var link: PLCLinkState?
}

/// The CPU's state as TIA's online and diagnostics view shows it. A real PLC reports its mode and diagnostic buffer
/// over S7comm; cycle statistics, time, forces and loaded blocks are the virtual CPU's only (nil for a real one).
public struct CPUStatus: Sendable {
    public var device: String
    public var target: OnlineTarget
    public var mode: OnlineCPUMode
    /// Cycles since the last transition to RUN.
    public var cycle: Int?
    public var statistics: VirtualPLC.CycleStatistics?
    public var virtualTime: Duration?
    public var timeMode: VirtualClock.Mode?
    public var downloadedAt: Date?
    public var diagnosticCount: Int
    /// The newest entry of the diagnostic buffer.
    public var lastDiagnostic: String?
    public var forcedCount: Int?
    public var loadedBlocks: [String]?
    /// Where the real PLC is reached (target `plc`).
    public var endpoint: PLCEndpoint?
}

/// What `Engine.downloadProgram` did: the download itself and which DBs kept their actual values.
public struct DownloadSummary: Sendable {
    public var report: DownloadReport
    public var keepActualValues: Bool
    /// DBs whose actual values were written back after the load (layout unchanged), by name.
    public var keptDataBlocks: [String]
    /// DBs loaded with their start values, by name.
    public var reinitializedDataBlocks: [String]
    /// Whether the CPU was in RUN before and was started again.
    public var restarted: Bool
    /// The CPU's mode after the download.
    public var mode: CPUModeStateMachine.State
}

/// One block in the online/offline comparison.
public struct BlockComparisonEntry: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, CaseIterable {
        /// The PLC runs what the project holds.
        case same
        /// The project's block changed since the download.
        case different
        /// The project has the block, the PLC does not.
        case onlyOffline
        /// The PLC has the block, the project no longer does.
        case onlyOnline
    }

    public var name: String
    /// `OB`, `FB`, `FC` or `DB`; nil when it is not known (a code block loaded by another tool and since deleted).
    public var type: String?
    public var number: Int?
    public var status: Status
}

/// The online/offline comparison of a device (TIA's compare editor, block level).
public struct OnlineComparisonReport: Sendable {
    public var device: String
    public var downloadedAt: Date?
    public var blocks: [BlockComparisonEntry]

    public func count(_ status: BlockComparisonEntry.Status) -> Int { blocks.count { $0.status == status } }

    /// Whether every block is the same online and offline.
    public var isIdentical: Bool { blocks.allSatisfy { $0.status == .same } }
}

/// A start value an upload replaced by the actual value.
public struct StartValueChange: Sendable, Hashable {
    public var dataBlock: String
    /// The member's path in the DB: `State`, `Counters.BottlesIn`.
    public var member: String
    public var oldStartValue: String?
    public var newStartValue: String
}

/// A DB member whose actual value an upload did not take as its start value, and why.
public struct SkippedMember: Sendable, Hashable {
    public var dataBlock: String
    public var member: String
    public var dataType: String
    public var reason: String
}

/// What an upload read back.
public struct UploadReport: Sendable {
    public var device: String
    public var downloadedAt: Date?
    /// The blocks the PLC holds, compared with the project.
    public var blocks: [BlockComparisonEntry]
    public var actualValuesAsStartValues: Bool
    /// DBs whose source got new start values.
    public var updatedDataBlocks: [String]
    public var startValues: [StartValueChange]
    public var skippedMembers: [SkippedMember]
}

/// Going online and offline, CPU state, start and stop, download with or without keeping actual values, upload and
/// the online/offline comparison (T-IA's Download / Upload group), all with the device's virtual PLC. As in TIA,
/// reading the CPU, starting, stopping, uploading and comparing need the device online; a download goes online by
/// itself.
extension Engine {
    // MARK: Online and offline

    /// Goes online with the device's virtual PLC (created in STOP the first time), or with `target` `.plc` with the
    /// real PLC at `endpoint` (by default the manifest's IP address, port 102, rack 0, slot 1) over S7comm: the PLC
    /// must answer (its mode is read) or the device stays offline. Going online with the other target replaces the
    /// connection.
    @discardableResult
    public func goOnline(
        device name: String, target: OnlineTarget = .virtual, endpoint: PLCEndpoint? = nil,
        sessionID: String? = nil, actor: String? = nil
    ) async throws(EngineError) -> OnlineStatus {
        let session = try self.session(sessionID)
        let device = try onlinePLC(name, in: session)
        let key = onlineKey(session, device)
        guard target == .plc else {
            if endpoint != nil { throw EngineError(.invalidInput, "an endpoint is for target 'plc' only") }
            await dropPLCLink(key)
            _ = try plcInstance(device: device.name, sessionID: session.id)
            markOnline(session, device, target: .virtual, actor: actor)
            return try await onlineStatus(device: device.name, sessionID: session.id)
        }
        var endpoint = endpoint ?? PLCEndpoint(host: "")
        if endpoint.host.isEmpty {
            guard let address = device.ipAddress else {
                throw EngineError(
                    .invalidInput, "\(device.name) has no IP address in the project: give the PLC's address")
            }
            endpoint.host = address
        }
        guard IPv4.parse(endpoint.host) != nil else {
            throw EngineError(.invalidInput, "'\(endpoint.host)' is not an IPv4 address (a PLC's PROFINET address)")
        }
        guard (1...65535).contains(endpoint.port), (0...7).contains(endpoint.rack), (0...31).contains(endpoint.slot)
        else { throw EngineError(.invalidInput, "port must be 1...65535, rack 0...7 and slot 0...31") }
        guard endpoint.timeout >= .milliseconds(10), endpoint.timeout <= .seconds(60) else {
            throw EngineError(.invalidInput, "the timeout must be from 10 ms to 60 s")
        }
        let (_, compiled) = try compile(device: device.name, sessionID: session.id)
        let link = PLCLink(
            endpoint: endpoint, device: device, library: session.project.library,
            optimizedDataBlocks: Self.optimizedDataBlocks(compiled.program))
        do throws(S7ClientError) {
            _ = try await link.connection.perform { client async throws(S7ClientError) in try await client.mode() }
        } catch .refused {
            // Connected, but the CPU keeps its mode to itself (SZL 0x0424 refused): online all the same.
        } catch {
            await link.connection.close()
            record(
                session, actor: actor, action: "online.connect", target: device.name, detail: "\(endpoint)",
                outcome: "unreachable")
            throw EngineError(.unreachable, "cannot go online with \(device.name) at \(endpoint): \(error)")
        }
        // The project may have closed meanwhile; another call may have gone online: the last one wins, as in TIA.
        guard sessions[session.id] != nil else {
            await link.connection.close()
            throw EngineError(.conflict, "the project was closed while going online")
        }
        let previous = online.plcs.updateValue(link, forKey: key)
        online.connections.removeValue(forKey: key)
        markOnline(session, device, target: .plc, actor: actor)
        await previous?.connection.close()
        return try await onlineStatus(device: device.name, sessionID: session.id)
    }

    /// Goes offline; the CPU keeps running as it was (a real PLC's connection is closed).
    @discardableResult
    public func goOffline(
        device name: String, sessionID: String? = nil, actor: String? = nil
    ) async throws(EngineError) -> OnlineStatus {
        let session = try self.session(sessionID)
        let device = try onlinePLC(name, in: session)
        let key = onlineKey(session, device)
        let wasOnline = online.connections[key] != nil
        await dropPLCLink(key)
        online.connections.removeValue(forKey: key)
        if wasOnline {
            record(session, actor: actor, action: "online.disconnect", target: device.name, outcome: "ok")
            hub.publish(.plcChanged(sessionID: session.id, device: device.name, change: "offline"))
        }
        return try await onlineStatus(device: device.name, sessionID: session.id)
    }

    /// Whether the device is online and with what; a real PLC is asked for its mode (nil when it does not answer,
    /// the link then says why).
    public func onlineStatus(device name: String, sessionID: String? = nil) async throws(EngineError) -> OnlineStatus {
        let session = try self.session(sessionID)
        let device = try onlinePLC(name, in: session)
        let key = onlineKey(session, device)
        let since = online.connections[key]
        var status = OnlineStatus(
            device: device.name, isOnline: since != nil, since: since, target: .virtual, mode: nil,
            ipAddress: device.ipAddress)
        if let link = online.plcs[key] {
            status.target = .plc
            status.endpoint = link.endpoint
            status.mode = try? await link.connection.perform { client async throws(S7ClientError) in
                do throws(S7ClientError) { return OnlineCPUMode.plc(try await client.mode()) } catch {
                    guard case .refused = error else { throw error }
                    return .plc(.unknown)
                }
            }
            status.link = await link.connection.state
        } else if since != nil, let instance = try existingInstance(device, in: session) {
            status.mode = .virtual(instance.snapshot().mode)
        }
        return status
    }

    // MARK: CPU

    public func cpuStatus(device name: String, sessionID: String? = nil) async throws(EngineError) -> CPUStatus {
        let (_, device, connection) = try onlineConnection(name, sessionID: sessionID)
        switch connection {
        case .virtual(let instance): return Self.cpuStatus(device.name, instance)
        case .plc(let link): return try await Self.cpuStatus(device.name, link)
        }
    }

    /// Starts (STOP → STARTUP → RUN) or stops the CPU of a device that is online; answers the state afterwards. A
    /// real PLC gets S7comm's PLC stop or warm start (refused by a CPU whose protection or mode switch forbids it).
    public func setCPUMode(
        run: Bool, device name: String, sessionID: String? = nil, actor: String? = nil
    ) async throws(EngineError) -> CPUStatus {
        let (session, device, connection) = try onlineConnection(name, sessionID: sessionID)
        guard case .plc(let link) = connection else {
            _ = try await setPLCMode(run: run, device: device.name, sessionID: session.id, actor: actor)
            return Self.cpuStatus(device.name, try plcInstance(device: device.name, sessionID: session.id))
        }
        do {
            try await link.connection.perform { client async throws(S7ClientError) in
                if run { try await client.start() } else { try await client.stop() }
            }
        } catch {
            record(
                session, actor: actor, action: run ? "plc.start" : "plc.stop", target: device.name,
                detail: "\(link.endpoint)", outcome: "\(error)")
            throw Self.engineError(error, device: device.name, link: link)
        }
        record(
            session, actor: actor, action: run ? "plc.start" : "plc.stop", target: device.name,
            detail: "\(link.endpoint)", outcome: "ok")
        hub.publish(.plcChanged(sessionID: session.id, device: device.name, change: run ? "run" : "stop"))
        // A real CPU takes its time through STARTUP: report the mode once it settled (or after a second).
        // Only the mode is polled; the diagnostic buffer is read once, at the end.
        let deadline = ContinuousClock.now + .seconds(1)
        while ContinuousClock.now < deadline {
            if try await Self.plcMode(device.name, link).isRun == run { break }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return try await Self.cpuStatus(device.name, link)
    }

    /// A real CPU's operating mode (SZL 0x0424); unknown when the CPU keeps that list to itself.
    static func plcMode(_ device: String, _ link: PLCLink) async throws(EngineError) -> OnlineCPUMode {
        do {
            return try await link.connection.perform { client async throws(S7ClientError) in
                do throws(S7ClientError) { return .plc(try await client.mode()) } catch {
                    guard case .refused = error else { throw error }
                    return .plc(.unknown)
                }
            }
        } catch {
            throw engineError(error, device: device, link: link)
        }
    }

    static func cpuStatus(_ device: String, _ link: PLCLink) async throws(EngineError) -> CPUStatus {
        do {
            return try await link.connection.perform { client async throws(S7ClientError) in
                // A CPU may refuse an SZL it does not keep: the mode is then unknown, the buffer not readable.
                var status = CPUStatus(
                    device: device, target: .plc, mode: .plc(.unknown), diagnosticCount: 0, endpoint: link.endpoint)
                do throws(S7ClientError) { status.mode = .plc(try await client.mode()) } catch {
                    guard case .refused = error else { throw error }
                }
                do throws(S7ClientError) {
                    let diagnostics = try await client.diagnosticBuffer()
                    status.diagnosticCount = diagnostics.count
                    status.lastDiagnostic = diagnostics.first.map(Self.diagnosticText)
                } catch {
                    guard case .refused = error else { throw error }
                    status.lastDiagnostic = "the CPU does not give its diagnostic buffer (SZL 0x00A0) over S7comm"
                }
                return status
            }
        } catch {
            throw engineError(error, device: device, link: link)
        }
    }

    /// A diagnostic buffer entry of a real CPU: its event id, OB and priority class, and time.
    static func diagnosticText(_ record: S7DiagnosticRecord) -> String {
        let id = String(record.eventID, radix: 16, uppercase: true)
        return "\(record.time): event 16#\(String(repeating: "0", count: max(0, 4 - id.count)) + id) "
            + "(OB\(record.obNumber), priority class \(record.priorityClass))"
    }

    /// A failed S7comm call as the engine reports it: a refusal by the CPU is a conflict, anything else means the
    /// PLC is not reachable now.
    static func engineError(_ error: S7ClientError, device: String, link: PLCLink) -> EngineError {
        if case .refused = error { return EngineError(.conflict, "\(device): \(error)") }
        return EngineError(.unreachable, "\(device) at \(link.endpoint): \(error)")
    }

    static func cpuStatus(_ device: String, _ instance: PLCInstance) -> CPUStatus {
        let snapshot = instance.snapshot()
        let diagnostics = snapshot.diagnostics
        return CPUStatus(
            device: device, target: .virtual, mode: .virtual(snapshot.mode), cycle: snapshot.cycle,
            statistics: snapshot.statistics,
            virtualTime: snapshot.virtualTime, timeMode: snapshot.clockMode, downloadedAt: instance.downloadedAt,
            diagnosticCount: diagnostics.count, lastDiagnostic: diagnostics.first?.text,
            forcedCount: snapshot.forces.count, loadedBlocks: instance.loadedBlocks)
    }

    // MARK: Download

    /// Compiles the device and loads it into its virtual PLC (going online if it was not). With `keepActualValues`
    /// (TIA's download without reinitialization) every DB whose layout did not change since the last download gets
    /// its actual values back after the load; the others start from their start values.
    ///
    /// The virtual PLC loads in STOP: a CPU in RUN is stopped, loaded and started again (a warm restart, so OB100
    /// runs), and the kept values are written at the start of the first cycle after the restart.
    public func downloadProgram(
        device name: String, keepActualValues: Bool = false, sessionID: String? = nil, actor: String? = nil
    ) async throws(EngineError) -> DownloadSummary {
        let session = try self.session(sessionID)
        let device = try onlinePLC(name, in: session)
        let key = onlineKey(session, device)
        if let link = online.plcs[key] { throw Self.needsS7commPlus(device.name, link) }
        let instance = try plcInstance(device: device.name, sessionID: session.id)
        let wasRunning = instance.snapshot().mode == .run
        markOnline(session, device, target: .virtual, actor: actor)
        let report: DownloadReport
        var kept: [(number: Int, name: String, bytes: [UInt8])] = []
        if keepActualValues, instance.downloadedAt != nil {
            // STOP first, so the values kept are the last ones the program wrote.
            if wasRunning {
                instance.plc.stop()
                try await waitForMode(instance) { $0.isStop }
            }
            let before = instance.snapshot()
            // The project as it is now, after the wait: what the download compiles.
            let current = try self.session(session.id)
            let candidates = unchangedLayouts(
                of: try self.device(device.name, sessionID: current.id), library: current.project.library,
                instance: instance, key: key)
            let previous = currentLoad(key, instance)
            do {
                report = try await download(device: device.name, sessionID: session.id, actor: actor)
            } catch {
                // Nothing was loaded: leave the CPU as it was.
                if wasRunning { instance.plc.start() }
                throw error
            }
            for image in report.result.program.dataBlocks where candidates.contains(image.name.lowercased()) {
                guard let old = before.memory.dataBlocks[image.number], old.count == image.bytes.count else {
                    continue
                }
                if let previous, previous.dataBlocks[image.number]?.lowercased() != image.name.lowercased() {
                    continue
                }
                kept.append((image.number, image.name, old.bytes))
            }
            // Start before writing: the writes then reach the DBs after the warm restart, which would otherwise
            // load their start values again.
            if wasRunning { instance.plc.start() }
            var written: [(number: Int, name: String, bytes: [UInt8])] = []
            for entry in kept {
                do {
                    try instance.plc.write(.bytes(.dataBlock(entry.number), offset: 0, entry.bytes))
                    written.append(entry)
                } catch {
                    continue
                }
            }
            kept = written
            if wasRunning {
                try await waitForMode(instance) {
                    $0 == .run || $0 == .stop(.programmingError) || $0 == .stop(.timeError)
                }
            }
            await awaitKeptValues(instance, kept.map { ($0.number, $0.bytes) }, running: wasRunning)
        } else {
            report = try await download(device: device.name, sessionID: session.id, actor: actor)
        }
        rememberLoad(report, device: device.name, key: key, instance: instance, sessionID: session.id)
        let keptNames = Set(kept.map { $0.name.lowercased() })
        let allDataBlocks = report.result.program.dataBlocks.map(\.name)
        let summary = DownloadSummary(
            report: report, keepActualValues: keepActualValues, keptDataBlocks: kept.map(\.name),
            reinitializedDataBlocks: allDataBlocks.filter { !keptNames.contains($0.lowercased()) },
            restarted: wasRunning || report.restarted, mode: instance.snapshot().mode)
        record(
            session, actor: actor, action: "online.download", target: device.name,
            detail: "keepActualValues=\(keepActualValues): \(summary.keptDataBlocks.count) DBs kept, "
                + "\(summary.reinitializedDataBlocks.count) reinitialized", outcome: "ok")
        return summary
    }

    /// The lower-cased names of the device's DBs whose layout is the same as in the PLC now: by the layouts the
    /// last `downloadProgram` recorded, or, after a download by another path, by the block's fingerprint (and its
    /// FB's, for an instance DB).
    private func unchangedLayouts(
        of device: Device, library: ProjectLibrary, instance: PLCInstance, key: String
    ) -> Set<String> {
        var names: Set<String> = []
        let previous = currentLoad(key, instance)
        for db in device.blocks where db.kind.isDataBlock {
            let name = db.name.lowercased()
            if let previous {
                if previous.layouts[name] == Self.layoutKey(of: db, in: device, library: library) {
                    names.insert(name)
                }
                continue
            }
            guard instance.comparison(of: db) == .same else { continue }
            if let base = db.instanceOf, let fb = device.block(named: base), instance.comparison(of: fb) != .same {
                continue
            }
            names.insert(name)
        }
        return names
    }

    /// What the last `downloadProgram` recorded, if the PLC still runs that download.
    private func currentLoad(_ key: String, _ instance: PLCInstance) -> LoadedProgram? {
        guard let load = online.downloads[key], load.at == instance.downloadedAt else { return nil }
        return load
    }

    private func rememberLoad(
        _ report: DownloadReport, device name: String, key: String, instance: PLCInstance, sessionID: String
    ) {
        guard let at = instance.downloadedAt, let session = try? self.session(sessionID),
            let device = try? self.device(name, sessionID: sessionID)
        else { return }
        var layouts: [String: Int] = [:]
        for db in device.blocks where db.kind.isDataBlock {
            layouts[db.name.lowercased()] = Self.layoutKey(of: db, in: device, library: session.project.library)
        }
        var dataBlocks: [Int: String] = [:]
        for image in report.result.program.dataBlocks { dataBlocks[image.number] = image.name }
        var codeBlocks: [String: LoadedProgram.CodeBlock] = [:]
        for block in report.result.program.blocks {
            codeBlocks[block.name.lowercased()] = LoadedProgram.CodeBlock(
                kind: block.kind.rawValue, number: block.number)
        }
        online.downloads[key] = LoadedProgram(
            at: at, layouts: layouts, dataBlocks: dataBlocks, codeBlocks: codeBlocks)
    }

    /// A hash of everything that decides where a DB's members lie: its kind and access, the names and types of its
    /// members (start values and comments left out), for an instance DB its FB's interface, and every PLC data type
    /// they use, transitively. Equal keys (in one process) mean the same layout.
    static func layoutKey(of db: Block, in device: Device, library: ProjectLibrary) -> Int {
        var hasher = Hasher()
        var types: [String] = []
        hasher.combine(db.kind)
        hasher.combine(db.isOptimized)
        combineShape(db.interface.sections, into: &hasher, types: &types)
        if let base = db.instanceOf {
            hasher.combine(base.lowercased())
            let fb = device.block(named: base) ?? library.blocks.first { $0.name.caseInsensitiveEquals(base) }
            if let fb {
                hasher.combine(fb.isOptimized)
                combineShape(fb.interface.sections, into: &hasher, types: &types)
            } else {
                types.append(base)
            }
        }
        var seen: Set<String> = []
        while let name = types.popLast() {
            guard seen.insert(name.lowercased()).inserted else { continue }
            guard
                let type = device.dataType(named: name)
                    ?? library.dataTypes.first(where: { $0.name.caseInsensitiveEquals(name) })
            else { continue }
            hasher.combine(name.lowercased())
            combineShape(type.members, into: &hasher, types: &types)
        }
        return hasher.finalize()
    }

    private static func combineShape(
        _ sections: [InterfaceSection], into hasher: inout Hasher, types: inout [String]
    ) {
        hasher.combine(sections.count)
        for section in sections {
            hasher.combine(section.kind)
            combineShape(section.members, into: &hasher, types: &types)
        }
    }

    private static func combineShape(_ members: [S7Model.Member], into hasher: inout Hasher, types: inout [String]) {
        hasher.combine(members.count)
        for member in members {
            hasher.combine(member.name.lowercased())
            hasher.combine(member.dataType)
            // `"typeRecipe"`, `Array[1.."COUNT"] of "typeRecipe"`: the quoted names (constants are simply not found).
            let parts = member.dataType.split(separator: "\"", omittingEmptySubsequences: false)
            for (index, part) in parts.enumerated() where index % 2 == 1 { types.append(String(part)) }
            combineShape(member.members, into: &hasher, types: &types)
            combineShape(member.sections, into: &hasher, types: &types)
        }
    }

    /// Waits (at most two seconds, not in stepped time) until the kept DB values reached the PLC: in STOP until its
    /// image holds them, in RUN until two cycles ran after the restart.
    private func awaitKeptValues(_ instance: PLCInstance, _ kept: [(Int, [UInt8])], running: Bool) async {
        guard !kept.isEmpty, instance.snapshot().clockMode != .stepped else { return }
        let deadline = ContinuousClock.now + .seconds(2)
        while ContinuousClock.now < deadline {
            let snapshot = instance.snapshot()
            if running {
                if snapshot.mode != .run || snapshot.cycle >= 2 { return }
            } else if kept.allSatisfy({ snapshot.memory.dataBlocks[$0.0]?.bytes == $0.1 }) {
                return
            }
            try? await Task.sleep(for: .milliseconds(2))
        }
    }

    // MARK: Compare and upload

    /// Every block of the project and of the PLC: same, different, only offline or only online.
    public func compareOnline(
        device name: String, sessionID: String? = nil
    ) throws(EngineError) -> OnlineComparisonReport {
        let (session, device, instance) = try onlineInstance(name, sessionID: sessionID)
        return comparison(of: device, instance: instance, key: onlineKey(session, device))
    }

    private func comparison(of device: Device, instance: PLCInstance, key: String) -> OnlineComparisonReport {
        var entries: [BlockComparisonEntry] = device.blocks.map { block in
            let status: BlockComparisonEntry.Status =
                switch instance.comparison(of: block) {
                case .same?: .same
                case .different?: .different
                case .offlineOnly?, nil: .onlyOffline
                }
            return BlockComparisonEntry(
                name: block.name, type: block.kind.numberPrefix, number: block.number, status: status)
        }
        let downloadedAt = instance.downloadedAt
        if downloadedAt != nil {
            let previous = currentLoad(key, instance)
            let names = Set(device.blocks.map { $0.name.lowercased() })
            for name in instance.loadedBlocks where !names.contains(name.lowercased()) {
                let known = previous?.codeBlocks[name.lowercased()]
                entries.append(
                    BlockComparisonEntry(name: name, type: known?.kind, number: known?.number, status: .onlyOnline))
            }
            let numbers = Set(device.blocks.filter(\.kind.isDataBlock).compactMap(\.number))
            for number in instance.snapshot().memory.dataBlocks.keys.sorted() where !numbers.contains(number) {
                let name = previous?.dataBlocks[number] ?? "DB\(number)"
                entries.append(BlockComparisonEntry(name: name, type: "DB", number: number, status: .onlyOnline))
            }
        }
        return OnlineComparisonReport(device: device.name, downloadedAt: downloadedAt, blocks: entries)
    }

    /// Reads back what the PLC holds: its blocks, compared with the project (s7wb keeps every block's source in the
    /// project, so nothing is decompiled). With `actualValuesAsStartValues` the actual values of SCL-source global
    /// DBs (`dataBlocks`, or every such DB the PLC holds unchanged when nil) become their start values: members of
    /// elementary types, also inside Structs, in the declaration (top-level members) or the BEGIN section;
    /// members of other types (arrays, PLC data types, IEC timers) are listed as skipped. A DB that is not an
    /// SCL-source global DB, or has no member of an elementary type, is refused (nothing changes then).
    public func upload(
        device name: String, actualValuesAsStartValues: Bool = false, dataBlocks: [String]? = nil,
        sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) -> UploadReport {
        let (session, device, instance) = try onlineInstance(name, sessionID: sessionID)
        let compared = comparison(of: device, instance: instance, key: onlineKey(session, device))
        var report = UploadReport(
            device: device.name, downloadedAt: instance.downloadedAt,
            blocks: compared.blocks.filter { $0.status != .onlyOffline },
            actualValuesAsStartValues: actualValuesAsStartValues, updatedDataBlocks: [], startValues: [],
            skippedMembers: [])
        guard actualValuesAsStartValues else {
            record(session, actor: actor, action: "online.upload", target: device.name, outcome: "ok")
            return report
        }
        guard instance.downloadedAt != nil else {
            throw EngineError(.conflict, "the PLC of \(device.name) holds no program: download first")
        }
        let targets = try uploadTargets(dataBlocks, device: device, instance: instance)
        let (_, compiled) = try compile(device: device.name, sessionID: session.id)
        let snapshot = instance.snapshot()
        var edits: [(block: Block, text: String)] = []
        for block in targets {
            guard
                let image = compiled.program.dataBlocks.first(where: { $0.name.caseInsensitiveEquals(block.name) }),
                snapshot.memory.dataBlocks[image.number] != nil
            else {
                throw EngineError(.conflict, "the PLC of \(device.name) holds no DB for \(block.name); download first")
            }
            let sharing = device.blocks.count { $0.file.path == block.file.path }
            guard sharing == 1 else {
                throw EngineError(
                    .conflict, "\(block.file.path) holds \(sharing) blocks; edit \(block.name)'s start values there")
            }
            var leaves: [StartValueLeaf] = []
            var skipped: [SkippedMember] = []
            Self.collectLeaves(
                block.interface.sections.flatMap(\.members), prefix: "", dataBlock: block.name, into: &leaves,
                skipped: &skipped)
            guard !leaves.isEmpty else {
                throw EngineError(
                    .unsupported,
                    "\(block.name) has no member of an elementary type: only those (also inside Structs) take their "
                        + "actual values as start values here")
            }
            var changes: [(leaf: StartValueLeaf, literal: String)] = []
            for leaf in leaves {
                let operand = "\"\(block.name)\"." + leaf.path
                let location: OperandLocation
                let actual: PLCValue
                do {
                    location = try instance.locate(operand)
                    actual = try instance.read(operand, in: snapshot)
                } catch {
                    skipped.append(
                        SkippedMember(
                            dataBlock: block.name, member: leaf.path, dataType: leaf.dataType, reason: "\(error)"))
                    continue
                }
                guard location.area == .globalDB, location.dbNumber == image.number else {
                    skipped.append(
                        SkippedMember(
                            dataBlock: block.name, member: leaf.path, dataType: leaf.dataType,
                            reason: "the member does not lie in DB\(image.number)"))
                    continue
                }
                let start = Self.value(at: location, in: image.bytes)
                guard start != actual else { continue }
                // A value with no literal that reads back (a Real NaN) would break the source.
                guard (try? PLCValue.parse(actual.format(), as: location.dataType)) != nil else {
                    skipped.append(
                        SkippedMember(
                            dataBlock: block.name, member: leaf.path, dataType: leaf.dataType,
                            reason: "its actual value \(actual.format()) has no literal of \(location.dataType)"))
                    continue
                }
                changes.append((leaf, actual.format()))
                report.startValues.append(
                    StartValueChange(
                        dataBlock: block.name, member: leaf.path, oldStartValue: start?.format(),
                        newStartValue: actual.format()))
            }
            report.skippedMembers += skipped
            guard !changes.isEmpty, let text = block.sourceText else { continue }
            let edited = try Self.settingStartValues(changes, of: block.name, in: text)
            edits.append((block, edited))
        }
        // Every DB's new text is ready: only now change the project.
        for edit in edits {
            try updateBlockSource(
                edit.block.name, device: device.name, source: edit.text, sessionID: session.id, actor: actor)
            report.updatedDataBlocks.append(edit.block.name)
        }
        record(
            session, actor: actor, action: "online.upload", target: device.name,
            detail: "actual values as start values: \(report.startValues.count) members of "
                + report.updatedDataBlocks.joined(separator: ", "), outcome: "ok")
        return report
    }

    /// The DBs an upload takes actual values from, checked: SCL-source global DBs the PLC holds as the project has
    /// them.
    private func uploadTargets(
        _ names: [String]?, device: Device, instance: PLCInstance
    ) throws(EngineError) -> [Block] {
        guard let names else {
            return device.blocks.filter { block in
                block.kind == .globalDB && block.sourceText != nil && block.file.format != .simaticML
                    && instance.comparison(of: block) == .same
            }
        }
        var blocks: [Block] = []
        for name in names {
            guard let block = device.block(named: name) else {
                throw EngineError(.notFound, "no block '\(name)' in device \(device.name)")
            }
            guard block.kind == .globalDB else {
                let what =
                    block.kind == .instanceDB
                    ? "an instance DB of \(block.instanceOf ?? "an FB")"
                    : block.kind.isDataBlock ? "a DB of \(block.instanceOf ?? "a type")" : "\(block.displayNumber)"
                throw EngineError(
                    .unsupported, "\(block.name) is \(what): only global DBs take actual values as start values here")
            }
            guard block.sourceText != nil, block.file.format != .simaticML else {
                throw EngineError(
                    .unsupported, "\(block.name) is a SimaticML DB: s7wb edits start values of DB sources only")
            }
            switch instance.comparison(of: block) {
            case .same?: break
            case .different?:
                throw EngineError(.conflict, "\(block.name) changed since the download; download it first")
            case .offlineOnly?, nil:
                throw EngineError(.conflict, "the PLC of \(device.name) does not hold \(block.name); download first")
            }
            if !blocks.contains(where: { $0.name == block.name }) { blocks.append(block) }
        }
        return blocks
    }

    /// A DB member of an elementary type: its path as SCL writes it (`Counters.BottlesIn`) and, for a member
    /// declared at the top level, its name.
    struct StartValueLeaf {
        var path: String
        var topLevelName: String?
        var dataType: String
    }

    /// The members of elementary types below `members` (Structs opened), the others as skipped.
    static func collectLeaves(
        _ members: [S7Model.Member], prefix: String, dataBlock: String, into leaves: inout [StartValueLeaf],
        skipped: inout [SkippedMember]
    ) {
        for member in members {
            let name = SCLSourceGenerator.formatName(member.name)
            let path = prefix.isEmpty ? name : prefix + "." + name
            let typeText = member.dataType.trimmingCharacters(in: .whitespaces)
            if !member.members.isEmpty, typeText.lowercased().hasPrefix("struct") {
                collectLeaves(member.members, prefix: path, dataBlock: dataBlock, into: &leaves, skipped: &skipped)
                continue
            }
            if let type = try? DataType(parsing: typeText), type.isElementary {
                leaves.append(
                    StartValueLeaf(path: path, topLevelName: prefix.isEmpty ? member.name : nil, dataType: typeText))
            } else {
                skipped.append(
                    SkippedMember(
                        dataBlock: dataBlock, member: path, dataType: typeText,
                        reason: "\(typeText) is not an elementary type: only those (also inside Structs) take their "
                            + "actual values as start values here"))
            }
        }
    }

    /// The value at `location` in a DB image (its start values).
    static func value(at location: OperandLocation, in bytes: [UInt8]) -> PLCValue? {
        let end = location.byteOffset + location.size
        guard location.byteOffset >= 0, end <= bytes.count else { return nil }
        if location.dataType == .bool { return .bool((bytes[location.byteOffset] >> location.bit) & 1 == 1) }
        return try? PLCValue.decode(bytes[location.byteOffset..<end], as: location.dataType)
    }

    /// The DB source `text` with new start values: a top-level member's declaration takes it (`State : Int :=
    /// 20;`) unless the BEGIN section assigns the member; nested members and members the BEGIN section assigns get
    /// their assignment there (replaced, or added before END_DATA_BLOCK).
    static func settingStartValues(
        _ changes: [(leaf: StartValueLeaf, literal: String)], of unitName: String, in text: String
    ) throws(EngineError) -> String {
        let original = SCLSourceLayout(text)
        let originalUnit = try original.unit(named: unitName)
        let assigned = Set(beginAssignments(in: original, unit: originalUnit).keys)
        var result = text
        var inBody: [(path: String, literal: String)] = []
        for change in changes {
            if let name = change.leaf.topLevelName, !assigned.contains(normalizedTarget(change.leaf.path)),
                let updated = try? SCLSourceGenerator.updatingMember(
                    named: name, MemberChange(startValue: change.literal), unit: unitName, in: result)
            {
                result = updated
            } else {
                inBody.append((change.leaf.path, change.literal))
            }
        }
        guard !inBody.isEmpty else { return result }
        let layout = SCLSourceLayout(result)
        let unit = try layout.unit(named: unitName)
        guard unit.isTerminated, let end = layout.unitEndToken(unit) else {
            throw EngineError(.invalidInput, "\(unit.name) is missing END_DATA_BLOCK")
        }
        let existing = beginAssignments(in: layout, unit: unit)
        var edits: [TextEdit] = []
        var added = ""
        for (path, literal) in inBody {
            let statement = path + " := " + literal + ";"
            if let range = existing[normalizedTarget(path)] {
                edits.append(TextEdit(range: range, replacement: statement))
            } else {
                added += SCLSourceGenerator.sectionIndent + statement + "\n"
            }
        }
        if !added.isEmpty {
            if layout.firstToken(.keyword(.begin), in: unit.range) == nil { added = "BEGIN\n" + added }
            let endToken = layout.tokens[end]
            let lineStart = layout.lineStart(of: endToken.start)
            if layout.onlySpaces(lineStart..<endToken.start) {
                edits.append(TextEdit(at: lineStart, insert: added))
            } else {
                edits.append(TextEdit(at: endToken.start, insert: "\n" + added))
            }
        }
        return layout.applying(edits)
    }

    /// The assignments of a DB's BEGIN section: normalized target → the statement's bytes (target to `;`).
    private static func beginAssignments(in layout: SCLSourceLayout, unit: SCLUnit) -> [String: Range<Int>] {
        guard let begin = layout.firstToken(.keyword(.begin), in: unit.range) else { return [:] }
        let end = layout.unitEndToken(unit) ?? layout.tokens.count - 1
        var result: [String: Range<Int>] = [:]
        var statementStart = begin + 1
        var assign: Int?
        var index = begin + 1
        while index < end {
            switch layout.tokens[index].kind {
            case .assign where assign == nil:
                assign = index
            case .semicolon:
                if let assign, assign > statementStart {
                    let target = layout.file.text(
                        in: layout.tokens[statementStart].start..<layout.tokens[assign - 1].end)
                    result[normalizedTarget(target)] = layout.tokens[statementStart].start..<layout.tokens[index].end
                }
                statementStart = index + 1
                assign = nil
            default:
                break
            }
            index += 1
        }
        return result
    }

    /// `"Counters" . BottlesIn` → `counters.bottlesin`.
    private static func normalizedTarget(_ text: String) -> String {
        String(text.lowercased().filter { !$0.isWhitespace && $0 != "\"" })
    }

    // MARK: Helpers

    private func onlineKey(_ session: Session, _ device: Device) -> String {
        session.id + "/" + device.name.lowercased()
    }

    /// A device that can go online: a PLC (an HMI is refused with 422).
    private func onlinePLC(_ name: String, in session: Session) throws(EngineError) -> Device {
        let device = try self.device(name, sessionID: session.id)
        guard device.kind == .plc else {
            throw EngineError(
                .unsupported, "\(device.name) is an HMI: only PLCs go online, take downloads and have a CPU here")
        }
        return device
    }

    private func markOnline(_ session: Session, _ device: Device, target: OnlineTarget, actor: String?) {
        let key = onlineKey(session, device)
        guard online.connections[key] == nil else { return }
        online.connections[key] = Date()
        let detail = online.plcs[key].map { "real PLC at \($0.endpoint)" } ?? "virtual PLC"
        record(session, actor: actor, action: "online.connect", target: device.name, detail: detail, outcome: "ok")
        hub.publish(.plcChanged(sessionID: session.id, device: device.name, change: "online"))
    }

    /// Closes and forgets the link of a device online with a real PLC.
    private func dropPLCLink(_ key: String) async {
        guard let link = online.plcs.removeValue(forKey: key) else { return }
        online.connections.removeValue(forKey: key)
        await link.connection.close()
    }

    /// What an online device is connected to.
    enum OnlineConnection {
        case virtual(PLCInstance)
        case plc(PLCLink)
    }

    /// The session, device and connection of a device that is online; 409 when it is offline.
    func onlineConnection(
        _ name: String, sessionID: String?
    ) throws(EngineError) -> (Session, Device, OnlineConnection) {
        let session = try self.session(sessionID)
        let device = try onlinePLC(name, in: session)
        let key = onlineKey(session, device)
        guard online.connections[key] != nil else {
            throw EngineError(
                .conflict, "\(device.name) is offline: go online first (POST /api/devices/\(device.name)/online)")
        }
        if let link = online.plcs[key] { return (session, device, .plc(link)) }
        return (session, device, .virtual(try plcInstance(device: device.name, sessionID: session.id)))
    }

    /// Where the devices online with a real PLC reach it, by device name.
    public func plcEndpoints(sessionID: String? = nil) throws(EngineError) -> [String: PLCEndpoint] {
        let session = try self.session(sessionID)
        var endpoints: [String: PLCEndpoint] = [:]
        for device in session.project.devices {
            if let link = plcLink(device: device, in: session) { endpoints[device.name] = link.endpoint }
        }
        return endpoints
    }

    /// The real PLC a device is online with, if it is.
    func plcLink(device: Device, in session: Session) -> PLCLink? {
        online.plcs[onlineKey(session, device)]
    }

    /// The session, device and PLC of a device that is online with its virtual PLC; 409 when it is offline, 422
    /// when it is online with a real PLC (whose blocks S7comm cannot read).
    private func onlineInstance(
        _ name: String, sessionID: String?
    ) throws(EngineError) -> (Session, Device, PLCInstance) {
        let (session, device, connection) = try onlineConnection(name, sessionID: sessionID)
        switch connection {
        case .virtual(let instance): return (session, device, instance)
        case .plc(let link): throw Self.needsS7commPlus(device.name, link)
        }
    }

    /// Why loading, reading back and comparing blocks of a real PLC are refused.
    static func needsS7commPlus(_ device: String, _ link: PLCLink) -> EngineError {
        EngineError(
            .unsupported,
            "\(device) is online with the real PLC at \(link.endpoint): downloading, uploading and comparing blocks "
                + "of an S7-1200/1500 need S7comm-plus, which s7wb does not speak (it reaches a real PLC through "
                + "PUT/GET: CPU state, start/stop, watch and modify); go online with the virtual PLC for those")
    }

    /// Numbers of a program's DBs with optimized access.
    static func optimizedDataBlocks(_ program: CompiledProgram) -> Set<Int> {
        Set(program.dataBlocks.filter { $0.access == .optimized }.map(\.number))
    }

    /// The device's virtual PLC if one exists (nil: none was created yet).
    private func existingInstance(_ device: Device, in session: Session) throws(EngineError) -> PLCInstance? {
        try plcInstances(sessionID: session.id).first { $0.device.caseInsensitiveEquals(device.name) }
    }

}
