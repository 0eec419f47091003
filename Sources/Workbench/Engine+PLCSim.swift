public import Foundation
import S7Compiler
public import S7Model
public import S7Runtime

// The PLCSim group (PLCSIM Advanced's API) on the engine's virtual PLCs. PLCSIM Advanced runs a "runtime" process
// holding named instances, each a virtual CPU with an IP address and a time mode; here the runtime is this process
// and an instance is a name for the virtual PLC of one device (`plcInstance(device:)`), with the configuration
// PLCSIM keeps beside it. One instance per device: the device's PLC is the one every front end sees.

/// How an instance's virtual clock runs (PLCSIM Advanced's time modes; stepped time is exact here).
public enum SimulationTimeMode: String, Sendable, Hashable, Codable, CaseIterable {
    case realTime
    case scaled
    case stepped

    /// The clock mode of the PLC; `scale` is used in scaled time only.
    public func clockMode(scale: Double) -> VirtualClock.Mode {
        switch self {
        case .realTime: .realTime
        case .scaled: .scaled(scale)
        case .stepped: .stepped
        }
    }

    public init(_ mode: VirtualClock.Mode) {
        switch mode {
        case .realTime: self = .realTime
        case .scaled: self = .scaled
        case .stepped: self = .stepped
        }
    }
}

/// What a caller or a profile says about an instance; what is left out comes from the device and the runtime
/// configuration.
public struct SimulationInstanceDefinition: Sendable, Hashable, Codable {
    public var name: String
    public var deviceName: String
    public var ipAddress: String?
    public var subnetMask: String?
    public var gateway: String?
    public var s7Port: Int?
    public var timeMode: SimulationTimeMode?
    /// Virtual time per wall time in scaled time, 0.1…100.
    public var timeScale: Double?

    public init(
        name: String, deviceName: String, ipAddress: String? = nil, subnetMask: String? = nil, gateway: String? = nil,
        s7Port: Int? = nil, timeMode: SimulationTimeMode? = nil, timeScale: Double? = nil
    ) {
        self.name = name
        self.deviceName = deviceName
        self.ipAddress = ipAddress
        self.subnetMask = subnetMask
        self.gateway = gateway
        self.s7Port = s7Port
        self.timeMode = timeMode
        self.timeScale = timeScale
    }
}

/// An instance's configuration, everything resolved.
public struct SimulationInstanceConfiguration: Sendable, Hashable {
    public var name: String
    public var deviceName: String
    /// The CPU the device's order number names (`CPU 1516-3 PN/DP`).
    public var cpuType: String
    public var orderNumber: String?
    public var firmware: String?
    public var ipAddress: String
    public var subnetMask: String
    public var gateway: String?
    /// The TCP port its S7comm server takes.
    public var s7Port: Int
    public var timeMode: SimulationTimeMode
    public var timeScale: Double

    public var clockMode: VirtualClock.Mode { timeMode.clockMode(scale: timeScale) }

    /// The definition that recreates this instance (a profile's entry).
    public var definition: SimulationInstanceDefinition {
        SimulationInstanceDefinition(
            name: name, deviceName: deviceName, ipAddress: ipAddress, subnetMask: subnetMask, gateway: gateway,
            s7Port: s7Port, timeMode: timeMode, timeScale: timeMode == .scaled ? timeScale : nil)
    }
}

/// PLCSIM's operating states as the API reports them: `off` while powered off, else the CPU's mode.
public enum SimulationCPUState: String, Sendable, Hashable {
    case off, stop, startup, run
}

/// An instance as it is now.
public struct SimulationInstanceStatus: Sendable {
    /// The configuration, with the time mode the PLC actually runs in while powered on.
    public var configuration: SimulationInstanceConfiguration
    public var projectID: String
    public var projectName: String
    public var poweredOn: Bool
    public var state: SimulationCPUState
    /// Why the CPU is in STOP (`initial`, `requested`, `programmingError`, `timeError`, `memoryReset`).
    public var stopCause: String?
    public var cycleCount: Int
    public var virtualTime: Duration
    public var downloadedAt: Date?
    public var isConnected: Bool
}

/// Defaults for new instances, kept in the project's `.s7wb` store.
public struct SimulationRuntimeConfiguration: Sendable, Hashable {
    public static let timeScales: ClosedRange<Double> = 0.1...100
    public static let ports: ClosedRange<Int> = 1...65535

    public var defaultTimeMode: SimulationTimeMode
    public var defaultTimeScale: Double
    /// New instances take the first port from here that no other instance uses.
    public var s7PortBase: Int

    public init(defaultTimeMode: SimulationTimeMode = .realTime, defaultTimeScale: Double = 1, s7PortBase: Int = 102) {
        self.defaultTimeMode = defaultTimeMode
        self.defaultTimeScale = defaultTimeScale
        self.s7PortBase = s7PortBase
    }

    func validate() throws(EngineError) {
        guard Self.ports.contains(s7PortBase) else {
            throw EngineError(.invalidInput, "the S7 port must be from 1 to 65535, not \(s7PortBase)")
        }
        guard Self.timeScales.contains(defaultTimeScale) else {
            throw EngineError(.invalidInput, "the time scale must be from 0.1 to 100, not \(defaultTimeScale)")
        }
    }
}

/// A tag of the connected instance: a PLC tag or a member of a DB, flattened to an operand the PLC reads.
public struct SimulationTag: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case tag
        case dataBlockMember = "dbMember"
    }

    /// As the API names it: `StartButton`, `"LineData".Counters.BottlesIn`.
    public var name: String
    /// As the PLC locates it: `"StartButton"`, `"LineData".Counters.BottlesIn`.
    public var operand: String
    public var dataType: String
    /// `%I0.0` for a tag, `%DB3.DBW2` for a member of a standard DB; nil in optimized DBs.
    public var address: String?
    /// The tag table or DB it comes from.
    public var source: String
    public var kind: Kind
}

/// One read or written tag with its quality: a value when good, a problem and its reason when bad.
public struct SimulationTagValue: Sendable, Hashable {
    public enum Problem: String, Sendable, Hashable {
        /// No tag, DB member or address by that name.
        case notFound
        /// It exists but has no single value (an Array, a Struct) or its bytes are no valid value.
        case unreadable
        /// The value to write is not a literal of the tag's type.
        case invalidValue
    }

    public var name: String
    public var value: PLCValue?
    public var dataType: String?
    public var problem: Problem?
    public var reason: String?

    public var isGood: Bool { problem == nil }
}

/// The values of one consistent image of the connected instance.
public struct SimulationTagRead: Sendable {
    public var instance: String
    public var cycle: Int
    public var at: Date
    public var values: [SimulationTagValue]
}

/// How `startSimulation` steps time after starting: `cycles` cycles (or `duration` of virtual time) of `cycleTime`
/// each; with `untilOperand`, one cycle at a time until the operand holds `untilLiteral`, at most `cycles`
/// (default 10 000) or `duration`.
public struct SimulationStepping: Sendable {
    public static let defaultConditionCycles = 10_000

    public var cycles: Int?
    public var cycleTime: Duration
    public var duration: Duration?
    public var untilOperand: String?
    public var untilLiteral: String?

    public init(
        cycles: Int? = nil, cycleTime: Duration = .milliseconds(10), duration: Duration? = nil,
        untilOperand: String? = nil, untilLiteral: String? = nil
    ) {
        self.cycles = cycles
        self.cycleTime = cycleTime
        self.duration = duration
        self.untilOperand = untilOperand
        self.untilLiteral = untilLiteral
    }
}

/// What `startSimulation` did.
public struct SimulationRunReport: Sendable {
    public struct Skip: Sendable, Hashable {
        public var name: String
        public var reason: String
    }

    public var started: [String]
    public var skipped: [Skip]
    /// Cycles stepped on every running instance (0 without stepping).
    public var cyclesRun: Int
    /// The virtual time after stepping (of the condition's instance, else the first one stepped).
    public var virtualTime: Duration?
    /// Whether the condition held at the end; nil without one.
    public var conditionMet: Bool?
    public var instances: [SimulationInstanceStatus]
}

/// A saved set of instance definitions (`PROJECT/.s7wb/profiles/NAME.json`).
public struct SimulationProfile: Sendable, Hashable, Codable {
    public static let formatName = "s7wb-simulation-profile"

    public var format: String
    public var version: Int
    public var name: String
    public var description: String?
    public var createdAt: Date?
    public var instances: [SimulationInstanceDefinition]

    public init(
        name: String, description: String? = nil, createdAt: Date? = Date(),
        instances: [SimulationInstanceDefinition]
    ) {
        format = Self.formatName
        version = 1
        self.name = name
        self.description = description
        self.createdAt = createdAt
        self.instances = instances
    }

    enum CodingKeys: String, CodingKey {
        case format, version, name, description, createdAt, instances
    }

    /// Only `instances` is required, so a profile written by hand may leave out the rest.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        format = try container.decodeIfPresent(String.self, forKey: .format) ?? Self.formatName
        version = try container.decodeIfPresent(Int.self, forKey: .version) ?? 1
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        description = try container.decodeIfPresent(String.self, forKey: .description)
        createdAt = try container.decodeIfPresent(Date.self, forKey: .createdAt)
        instances = try container.decode([SimulationInstanceDefinition].self, forKey: .instances)
    }
}

/// A file of the profiles folder: its profile, or why it is none.
public struct SimulationProfileFile: Sendable {
    public var fileName: String
    public var profile: SimulationProfile?
    public var problem: String?
    public var sizeBytes: Int
}

/// The PLCSim group's state on the engine: named instances, the connected one and its tag list.
struct SimulationRegistry: Sendable {
    struct Entry: Sendable {
        var sessionID: String
        var configuration: SimulationInstanceConfiguration
        /// The virtual PLC while the instance is powered off: its thread is down, its program and memory are kept
        /// for the next power-on (PLCSIM Advanced keeps them on the instance's virtual memory card).
        var parked: PLCInstance?
    }

    struct TagList: Sendable {
        var plc: ObjectIdentifier
        var downloadedAt: Date?
        var tags: [SimulationTag]
    }

    /// By lower-cased instance name.
    var entries: [String: Entry] = [:]
    /// The lower-cased name of the instance `simulation/tags…` act on.
    var connected: String?
    /// The connected instance's tags, by lower-cased instance name; built again after a download.
    var tagLists: [String: TagList] = [:]

    init() {}
}

extension Engine {
    private enum SimulationKey {
        static let timeMode = "simulation.defaultTimeMode"
        static let timeScale = "simulation.defaultTimeScale"
        static let portBase = "simulation.s7PortBase"
    }

    // MARK: Runtime

    /// The defaults for new instances of the project.
    public func simulationRuntimeConfiguration(
        sessionID: String? = nil
    ) throws(EngineError)
        -> SimulationRuntimeConfiguration
    {
        try Self.simulationRuntime(of: try session(sessionID))
    }

    public func updateSimulationRuntimeConfiguration(
        _ configuration: SimulationRuntimeConfiguration, sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) {
        let session = try self.session(sessionID)
        try configuration.validate()
        do {
            try session.store.setSetting(SimulationKey.timeMode, configuration.defaultTimeMode.rawValue)
            try session.store.setSetting(SimulationKey.timeScale, String(configuration.defaultTimeScale))
            try session.store.setSetting(SimulationKey.portBase, String(configuration.s7PortBase))
        } catch {
            throw EngineError(.io, "cannot store the simulation settings: \(error)")
        }
        record(
            session, actor: actor, action: "simulation.runtimeConfig", target: session.project.root,
            detail: "timeMode=\(configuration.defaultTimeMode.rawValue) timeScale=\(configuration.defaultTimeScale) "
                + "s7PortBase=\(configuration.s7PortBase)", outcome: "ok")
    }

    private static func simulationRuntime(of session: Session) throws(EngineError) -> SimulationRuntimeConfiguration {
        var configuration = SimulationRuntimeConfiguration()
        do {
            if let text = try session.store.setting(SimulationKey.timeMode),
                let mode = SimulationTimeMode(rawValue: text)
            {
                configuration.defaultTimeMode = mode
            }
            if let text = try session.store.setting(SimulationKey.timeScale), let scale = Double(text),
                SimulationRuntimeConfiguration.timeScales.contains(scale)
            {
                configuration.defaultTimeScale = scale
            }
            if let text = try session.store.setting(SimulationKey.portBase), let port = Int(text),
                SimulationRuntimeConfiguration.ports.contains(port)
            {
                configuration.s7PortBase = port
            }
        } catch {
            throw EngineError(.io, "cannot read the simulation settings: \(error)")
        }
        return configuration
    }

    // MARK: Instances

    /// The instances of one open project, or of all when `sessionID` is nil, by name.
    public func simulationInstances(sessionID: String? = nil) throws(EngineError) -> [SimulationInstanceStatus] {
        pruneSimulation()
        var project: String?
        if let sessionID { project = try session(sessionID).id }
        let entries = simulation.entries.values.filter { project == nil || $0.sessionID == project }
            .sorted { $0.configuration.name.lowercased() < $1.configuration.name.lowercased() }
        return entries.map { simulationStatus($0) }
    }

    public func simulationInstance(_ name: String) throws(EngineError) -> SimulationInstanceStatus {
        simulationStatus(try simulationEntry(name).entry)
    }

    /// The name of the instance tag access goes to, nil when none is connected.
    public func connectedSimulationInstance() -> String? {
        pruneSimulation()
        return simulation.connected.flatMap { simulation.entries[$0]?.configuration.name }
    }

    /// Names the virtual PLC of a device of the project as an instance (created, in STOP, if the device has none
    /// yet) and sets its time mode. One instance per device; names are unique across projects.
    @discardableResult
    public func createSimulationInstance(
        _ definition: SimulationInstanceDefinition, sessionID: String? = nil, actor: String? = nil
    ) async throws(EngineError) -> SimulationInstanceStatus {
        pruneSimulation()
        let session = try self.session(sessionID)
        let runtime = try Self.simulationRuntime(of: session)
        let configuration = try simulationConfiguration(
            definition, in: session, runtime: runtime, usedPorts: usedSimulationPorts(except: nil))
        try checkSimulationFree(configuration, sessionID: session.id, except: nil)
        let instance = try plcInstance(device: configuration.deviceName, sessionID: session.id)
        if instance.snapshot().clockMode != configuration.clockMode {
            try await setTimeMode(
                configuration.clockMode, device: configuration.deviceName, sessionID: session.id, actor: actor)
        }
        // Another call may have taken the name or the device while the time mode changed.
        try checkSimulationFree(configuration, sessionID: session.id, except: nil)
        let entry = SimulationRegistry.Entry(sessionID: session.id, configuration: configuration, parked: nil)
        simulation.entries[configuration.name.lowercased()] = entry
        // A new instance is powered on: it serves S7comm on its port (see powerSimulationInstance).
        _ = try? await startS7Server(
            device: configuration.deviceName, port: configuration.s7Port, sessionID: session.id, actor: actor)
        record(
            session, actor: actor, action: "simulation.create", target: configuration.name,
            detail: "\(configuration.deviceName), \(configuration.ipAddress), S7 port \(configuration.s7Port), "
                + configuration.clockMode.description, outcome: "ok")
        hub.publish(.plcChanged(sessionID: session.id, device: configuration.deviceName, change: "simulation.create"))
        return simulationStatus(entry)
    }

    /// Removes the instance and shuts its virtual PLC down (the device gets a new, empty one when next asked for).
    public func deleteSimulationInstance(_ name: String, actor: String? = nil) throws(EngineError) {
        let (key, entry) = try simulationEntry(name)
        dropS7Server(simulationPLCKey(entry))
        if let live = instances.removeValue(forKey: simulationPLCKey(entry)) { live.plc.shutdown() }
        entry.parked?.plc.shutdown()
        simulation.entries.removeValue(forKey: key)
        simulation.tagLists.removeValue(forKey: key)
        if simulation.connected == key { simulation.connected = nil }
        if let session = sessions[entry.sessionID] {
            record(
                session, actor: actor, action: "simulation.delete", target: entry.configuration.name,
                detail: entry.configuration.deviceName, outcome: "ok")
            hub.publish(
                .plcChanged(sessionID: session.id, device: entry.configuration.deviceName, change: "simulation.delete"))
        }
    }

    /// Power-on starts the PLC's thread again (in STOP, with the program and memory it had) or creates the
    /// device's PLC; power-off stops the CPU, ends its thread and keeps it for the next power-on.
    @discardableResult
    public func powerSimulationInstance(
        _ name: String, on: Bool, actor: String? = nil
    ) async throws(EngineError) -> SimulationInstanceStatus {
        let (key, entry) = try simulationEntry(name)
        let session = try self.session(entry.sessionID)
        let plcKey = simulationPLCKey(entry)
        if on {
            if instances[plcKey] == nil {
                if let parked = entry.parked {
                    parked.plc.startThread()
                    instances[plcKey] = parked
                } else {
                    _ = try plcInstance(device: entry.configuration.deviceName, sessionID: session.id)
                }
                simulation.entries[key]?.parked = nil
            }
            // The instance serves S7comm on its port, as a PLCSIM Advanced instance does on its adapter. A port this
            // process may not open (102 without privileges) leaves it without; the audit log records why.
            _ = try? await startS7Server(
                device: entry.configuration.deviceName, port: entry.configuration.s7Port, sessionID: session.id,
                actor: actor)
            // A time mode changed while the instance was off takes effect now.
            if let live = instances[plcKey], live.snapshot().clockMode != entry.configuration.clockMode {
                try await setTimeMode(
                    entry.configuration.clockMode, device: entry.configuration.deviceName, sessionID: session.id,
                    actor: actor)
            }
        } else if let live = instances.removeValue(forKey: plcKey) {
            _ = try? await stopS7Server(device: entry.configuration.deviceName, sessionID: session.id, actor: actor)
            live.plc.stop()
            let deadline = ContinuousClock.now + .seconds(2)
            while !live.snapshot().mode.isStop, ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(2))
            }
            live.plc.shutdown()
            if simulation.entries[key] != nil { simulation.entries[key]?.parked = live }
        }
        record(
            session, actor: actor, action: on ? "simulation.powerOn" : "simulation.powerOff",
            target: entry.configuration.name, outcome: "ok")
        hub.publish(
            .plcChanged(
                sessionID: session.id, device: entry.configuration.deviceName,
                change: on ? "simulation.powerOn" : "simulation.powerOff"))
        return try simulationInstance(name)
    }

    /// RUN (which needs a downloaded program) or STOP.
    @discardableResult
    public func setSimulationMode(
        _ name: String, run: Bool, actor: String? = nil
    ) async throws(EngineError) -> SimulationInstanceStatus {
        let entry = try simulationEntry(name).entry
        let live = try poweredSimulationPLC(entry)
        if run, live.downloadedAt == nil {
            throw EngineError(
                .conflict,
                "download first: POST /api/devices/\(entry.configuration.deviceName)/actions/download-sync "
                    + "(instance '\(entry.configuration.name)' has no program)")
        }
        _ = try await setPLCMode(
            run: run, device: entry.configuration.deviceName, sessionID: entry.sessionID, actor: actor)
        return try simulationInstance(name)
    }

    /// Memory reset: STOP, I, Q and M cleared, every DB back to its start values.
    @discardableResult
    public func resetSimulationMemory(
        _ name: String, actor: String? = nil
    ) async throws(EngineError)
        -> SimulationInstanceStatus
    {
        let entry = try simulationEntry(name).entry
        _ = try poweredSimulationPLC(entry)
        try await memoryReset(device: entry.configuration.deviceName, sessionID: entry.sessionID, actor: actor)
        return try simulationInstance(name)
    }

    /// Changes what is given (nil keeps it; an empty gateway removes it). The time mode applies at once to a
    /// powered-on PLC, else at power-on; address and port are the instance's own, not the device's.
    @discardableResult
    public func updateSimulationInstance(
        _ name: String, timeMode: SimulationTimeMode? = nil, timeScale: Double? = nil, ipAddress: String? = nil,
        subnetMask: String? = nil, gateway: String? = nil, s7Port: Int? = nil, actor: String? = nil
    ) async throws(EngineError) -> SimulationInstanceStatus {
        let (key, entry) = try simulationEntry(name)
        var configuration = entry.configuration
        if let timeMode { configuration.timeMode = timeMode }
        if let timeScale {
            guard SimulationRuntimeConfiguration.timeScales.contains(timeScale) else {
                throw EngineError(.invalidInput, "the time scale must be from 0.1 to 100, not \(timeScale)")
            }
            configuration.timeScale = timeScale
        }
        if let ipAddress { configuration.ipAddress = ipAddress.trimmingCharacters(in: .whitespaces) }
        if let subnetMask { configuration.subnetMask = subnetMask.trimmingCharacters(in: .whitespaces) }
        if let gateway {
            let trimmed = gateway.trimmingCharacters(in: .whitespaces)
            configuration.gateway = trimmed.isEmpty ? nil : trimmed
        }
        if let s7Port {
            guard SimulationRuntimeConfiguration.ports.contains(s7Port) else {
                throw EngineError(.invalidInput, "the S7 port must be from 1 to 65535, not \(s7Port)")
            }
            configuration.s7Port = s7Port
        }
        try IPv4.validate(address: configuration.ipAddress, mask: configuration.subnetMask)
        if let gateway = configuration.gateway {
            try Self.validateGateway(gateway, address: configuration.ipAddress, mask: configuration.subnetMask)
        }
        try checkSimulationFree(configuration, sessionID: entry.sessionID, except: key)
        if let live = instances[simulationPLCKey(entry)], live.snapshot().clockMode != configuration.clockMode {
            try await setTimeMode(
                configuration.clockMode, device: configuration.deviceName, sessionID: entry.sessionID, actor: actor)
        }
        guard simulation.entries[key] != nil else {
            throw EngineError(.notFound, "the simulation instance '\(name)' was deleted meanwhile")
        }
        simulation.entries[key]?.configuration = configuration
        // A powered-on instance moves its S7comm server to a new port at once.
        if s7Port != nil, instances[simulationPLCKey(entry)] != nil {
            _ = try? await startS7Server(
                device: configuration.deviceName, port: configuration.s7Port, sessionID: entry.sessionID, actor: actor)
        }
        if let session = sessions[entry.sessionID] {
            record(
                session, actor: actor, action: "simulation.configure", target: configuration.name,
                detail: "\(configuration.ipAddress)/\(configuration.subnetMask), S7 port \(configuration.s7Port), "
                    + configuration.clockMode.description, outcome: "ok")
        }
        return try simulationInstance(name)
    }

    // MARK: Connection and tags

    /// Makes the instance the one whose tags `simulationTags`, `readSimulationTags` and `writeSimulationTags` use.
    @discardableResult
    public func connectSimulation(_ name: String, actor: String? = nil) throws(EngineError) -> SimulationInstanceStatus
    {
        let (key, entry) = try simulationEntry(name)
        _ = try poweredSimulationPLC(entry)
        simulation.connected = key
        if let session = sessions[entry.sessionID] {
            record(session, actor: actor, action: "simulation.connect", target: entry.configuration.name, outcome: "ok")
        }
        return simulationStatus(entry)
    }

    /// Ends the connection; returns the instance that was connected.
    @discardableResult
    public func disconnectSimulation(actor: String? = nil) -> String? {
        let name = connectedSimulationInstance()
        if let key = simulation.connected, let entry = simulation.entries[key], let session = sessions[entry.sessionID]
        {
            record(
                session, actor: actor, action: "simulation.disconnect", target: entry.configuration.name, outcome: "ok")
        }
        simulation.connected = nil
        return name
    }

    /// Every tag of the connected instance's device and every member of its DBs (structures flattened, arrays
    /// whole), as the last download locates them; built again after a download or when `refresh` says so.
    public func simulationTags(refresh: Bool = false) throws(EngineError) -> (instance: String, tags: [SimulationTag]) {
        let (key, entry, live) = try connectedSimulationPLC()
        let name = entry.configuration.name
        let identity = ObjectIdentifier(live)
        if !refresh, let list = simulation.tagLists[key], list.plc == identity, list.downloadedAt == live.downloadedAt {
            return (name, list.tags)
        }
        let session = try self.session(entry.sessionID)
        let device = try self.device(entry.configuration.deviceName, sessionID: session.id)
        var walker = SimulationTagWalker(device: device, library: session.project.library, plc: live)
        let tags = walker.tags()
        simulation.tagLists[key] = SimulationRegistry.TagList(
            plc: identity, downloadedAt: live.downloadedAt, tags: tags)
        return (name, tags)
    }

    /// Reads tags of the connected instance from one image; each name gets its own quality. Names are tags
    /// (`StartButton`), DB members (`"LineData".State`, `LineData.State`) or addresses (`%MW10`, `%DB1.DBX0.1`).
    public func readSimulationTags(_ names: [String]) throws(EngineError) -> SimulationTagRead {
        let (_, entry, live) = try connectedSimulationPLC()
        let snapshot = live.snapshot()
        var values: [SimulationTagValue] = []
        values.reserveCapacity(names.count)
        for name in names {
            values.append(Self.readSimulationTag(name, from: live, in: snapshot))
        }
        return SimulationTagRead(instance: entry.configuration.name, cycle: snapshot.cycle, at: Date(), values: values)
    }

    /// Writes S7 literals (`TRUE`, `42`, `1.5`, `T#2s`) to tags of the connected instance at the next cycle
    /// start; each write gets its own quality and a bad one does not stop the others.
    public func writeSimulationTags(
        _ writes: [(name: String, literal: String)], actor: String? = nil
    ) throws(EngineError) -> (instance: String, results: [SimulationTagValue]) {
        let (_, entry, live) = try connectedSimulationPLC()
        var results: [SimulationTagValue] = []
        for write in writes {
            var result = SimulationTagValue(name: write.name, value: nil, dataType: nil, problem: nil, reason: nil)
            guard let operand = Self.simulationOperand(write.name) else {
                result.problem = .notFound
                result.reason = "the tag name is empty"
                results.append(result)
                continue
            }
            let location: OperandLocation
            do { location = try live.locate(operand) } catch {
                result.problem = .notFound
                result.reason = "\(error)"
                results.append(result)
                continue
            }
            result.dataType = location.dataType.description
            do {
                result.value = try PLCValue.parse(write.literal, as: location.dataType)
                try modifyVirtual(
                    operand, to: write.literal, device: entry.configuration.deviceName, sessionID: entry.sessionID,
                    actor: actor)
            } catch {
                result.value = nil
                result.problem = .invalidValue
                result.reason = "\(write.name): \(error)"
            }
            results.append(result)
        }
        return (entry.configuration.name, results)
    }

    private static func readSimulationTag(
        _ name: String, from live: PLCInstance, in snapshot: VirtualPLC.Snapshot
    ) -> SimulationTagValue {
        var result = SimulationTagValue(name: name, value: nil, dataType: nil, problem: nil, reason: nil)
        guard let operand = simulationOperand(name) else {
            result.problem = .notFound
            result.reason = "the tag name is empty"
            return result
        }
        let location: OperandLocation
        do { location = try live.locate(operand) } catch {
            result.problem = .notFound
            result.reason = "\(error)"
            return result
        }
        result.dataType = location.dataType.description
        do { result.value = try snapshot.memory.value(at: location) } catch {
            result.problem = .unreadable
            switch location.dataType {
            case .array:
                result.reason = "\(name) is an array (\(location.dataType)): read its elements, e.g. \(name)[1]"
            case .struct, .named, .systemFB, .systemDataType:
                result.reason = "\(name) is a structure (\(location.dataType)): read its members"
            default: result.reason = "\(operand): \(error)"
            }
        }
        return result
    }

    /// The operand text for a name: addresses and quoted names as given, else the first part quoted
    /// (`StartButton` → `"StartButton"`, `LineData.State` → `"LineData".State`); nil when empty.
    private static func simulationOperand(_ name: String) -> String? {
        // Names rarely have spaces around them; Foundation's trimming would cost more than the rest of a read.
        func plain(_ byte: UInt8?) -> Bool { byte.map { $0 > 0x20 && $0 < 0x80 } ?? false }
        let text = plain(name.utf8.first) && plain(name.utf8.last) ? name : name.trimmingCharacters(in: .whitespaces)
        guard let first = text.utf8.first else { return nil }
        if first == UInt8(ascii: "%") || first == UInt8(ascii: "\"") || first == UInt8(ascii: "#") { return text }
        let utf8 = text.utf8
        let end = utf8.firstIndex { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "[") } ?? utf8.endIndex
        return "\"" + text[..<end] + "\"" + text[end...]
    }

    // MARK: Start and stop

    /// Powers on and starts (RUN) every instance of the project that has a download, or the named one; then, with
    /// `stepping`, steps every instance in RUN (all must run in stepped time).
    public func startSimulation(
        instance name: String? = nil, stepping: SimulationStepping? = nil, sessionID: String? = nil,
        actor: String? = nil
    ) async throws(EngineError) -> SimulationRunReport {
        let targets = try simulationTargets(name, sessionID: sessionID)
        guard !targets.isEmpty else {
            let project = (try? session(sessionID).project.name) ?? "the project"
            throw EngineError(
                .conflict, "\(project) has no simulation instance: POST /api/simulation/instances/create first")
        }
        var runnable: [SimulationRegistry.Entry] = []
        var skipped: [SimulationRunReport.Skip] = []
        for target in targets {
            let plc = instances[simulationPLCKey(target.entry)] ?? target.entry.parked
            if plc?.downloadedAt == nil {
                skipped.append(
                    SimulationRunReport.Skip(
                        name: target.entry.configuration.name,
                        reason: "download first: POST /api/devices/\(target.entry.configuration.deviceName)"
                            + "/actions/download-sync"))
            } else {
                runnable.append(target.entry)
            }
        }
        guard !runnable.isEmpty else {
            throw EngineError(
                .conflict, "nothing to start: " + skipped.map { "\($0.name): \($0.reason)" }.joined(separator: "; "))
        }
        var plan: StepPlan?
        if let stepping { plan = try simulationStepPlan(stepping, runnable) }
        var started: [String] = []
        for entry in runnable {
            if instances[simulationPLCKey(entry)] == nil {
                _ = try await powerSimulationInstance(entry.configuration.name, on: true, actor: actor)
            }
            guard let live = instances[simulationPLCKey(entry)] else { continue }
            if live.snapshot().mode != .run {
                _ = try await setPLCMode(
                    run: true, device: entry.configuration.deviceName, sessionID: entry.sessionID, actor: actor)
            }
            started.append(entry.configuration.name)
        }
        var cyclesRun = 0
        var virtualTime: Duration?
        var conditionMet: Bool?
        if let plan {
            let running = runnable.filter { instances[simulationPLCKey($0)]?.snapshot().mode == .run }
            let plcs = running.compactMap { instances[simulationPLCKey($0)] }
            if let condition = plan.condition {
                let watched = instances[simulationPLCKey(condition.entry)]
                func holds() -> Bool {
                    guard let watched, let value = try? watched.read(condition.operand) else { return false }
                    return value == condition.value
                }
                conditionMet = holds()
                while conditionMet == false, cyclesRun < plan.cycles, !plcs.isEmpty {
                    for plc in plcs { try await Self.step(plc, cycles: 1, cycleTime: plan.cycleTime) }
                    cyclesRun += 1
                    conditionMet = holds()
                }
                for entry in running {
                    if let session = sessions[entry.sessionID] {
                        record(
                            session, actor: actor, action: "plc.step", target: entry.configuration.deviceName,
                            detail: "\(cyclesRun) × \(plan.cycleTime) until \(condition.operand) = "
                                + condition.value.format(), outcome: conditionMet == true ? "ok" : "condition not met")
                    }
                }
                virtualTime = watched?.snapshot().virtualTime
            } else {
                for entry in running {
                    _ = try await stepCycles(
                        plan.cycles, cycleTime: plan.cycleTime, device: entry.configuration.deviceName,
                        sessionID: entry.sessionID, actor: actor)
                }
                cyclesRun = running.isEmpty ? 0 : plan.cycles
            }
            if virtualTime == nil { virtualTime = plcs.first?.snapshot().virtualTime }
        }
        return SimulationRunReport(
            started: started, skipped: skipped, cyclesRun: cyclesRun, virtualTime: virtualTime,
            conditionMet: conditionMet,
            instances: targets.compactMap { simulation.entries[$0.key] }.map {
                simulationStatus($0)
            })
    }

    /// STOP for every powered-on instance of the project, or the named one.
    public func stopSimulation(
        instance name: String? = nil, sessionID: String? = nil, actor: String? = nil
    ) async throws(EngineError) -> [SimulationInstanceStatus] {
        let targets = try simulationTargets(name, sessionID: sessionID)
        for target in targets {
            guard let live = instances[simulationPLCKey(target.entry)], !live.snapshot().mode.isStop else { continue }
            _ = try await setPLCMode(
                run: false, device: target.entry.configuration.deviceName, sessionID: target.entry.sessionID,
                actor: actor)
        }
        return targets.compactMap { simulation.entries[$0.key] }.map { simulationStatus($0) }
    }

    private struct StepPlan {
        struct Condition {
            var entry: SimulationRegistry.Entry
            var operand: String
            var value: PLCValue
        }

        var cycles: Int
        var cycleTime: Duration
        var condition: Condition?
    }

    /// Checks a stepping request before anything starts: counts, times, the condition, stepped time everywhere.
    private func simulationStepPlan(
        _ stepping: SimulationStepping, _ runnable: [SimulationRegistry.Entry]
    ) throws(EngineError) -> StepPlan {
        let range = 1...1_000_000
        guard stepping.cycleTime > .zero, stepping.cycleTime <= .seconds(3600) else {
            throw EngineError(.invalidInput, "the cycle time must be more than 0 and at most one hour")
        }
        if stepping.cycles != nil, stepping.duration != nil {
            throw EngineError(.invalidInput, "give the number of cycles or a duration, not both")
        }
        var count = stepping.cycles
        if let duration = stepping.duration {
            guard duration > .zero else { throw EngineError(.invalidInput, "the duration must be more than 0") }
            // Whole cycles covering the duration; a ratio a rounding error above a whole number is that number.
            let exact = duration / stepping.cycleTime
            let ratio = exact - exact.rounded(.down) > 1e-9 ? exact.rounded(.up) : exact.rounded(.down)
            guard ratio.isFinite, ratio <= Double(range.upperBound) else {
                throw EngineError(.invalidInput, "the duration takes more than 1000000 cycles of \(stepping.cycleTime)")
            }
            count = max(1, Int(ratio))
        }
        if let given = count, !range.contains(given) {
            throw EngineError(.invalidInput, "the number of cycles must be from 1 to 1000000, not \(given)")
        }
        var condition: StepPlan.Condition?
        if let name = stepping.untilOperand {
            guard let literal = stepping.untilLiteral else {
                throw EngineError(.invalidInput, "the condition needs the value to wait for")
            }
            let connected = simulation.connected.flatMap { key in
                runnable.first { $0.configuration.name.lowercased() == key }
            }
            guard let entry = connected ?? (runnable.count == 1 ? runnable[0] : nil) else {
                throw EngineError(
                    .conflict,
                    "the condition reads the connected instance: POST /api/simulation/connect {\"name\": …} first")
            }
            guard let plc = instances[simulationPLCKey(entry)] ?? entry.parked,
                let operand = Self.simulationOperand(name)
            else {
                throw EngineError(.invalidInput, "the condition names no tag")
            }
            let location: OperandLocation
            do { location = try plc.locate(operand) } catch {
                throw EngineError(.notFound, "the condition's tag: \(error)")
            }
            let value: PLCValue
            do { value = try PLCValue.parse(literal, as: location.dataType) } catch {
                throw EngineError(.invalidInput, "the condition's value for \(name): \(error)")
            }
            condition = StepPlan.Condition(entry: entry, operand: operand, value: value)
        } else if count == nil {
            throw EngineError(.invalidInput, "give the number of cycles, a duration or a condition to step")
        }
        for entry in runnable {
            // A powered-off instance takes its configured time mode at power-on.
            let live = instances[simulationPLCKey(entry)]
            let effective: VirtualClock.Mode? = live == nil ? entry.configuration.clockMode : live?.snapshot().clockMode
            guard effective == .stepped else {
                let name = entry.configuration.name
                throw EngineError(
                    .conflict,
                    "instance '\(name)' runs in \(effective?.description ?? "real time"), not stepped time: PUT "
                        + "/api/simulation/instances/\(name)/config {\"timeMode\": \"stepped\"} first")
            }
        }
        return StepPlan(
            cycles: count ?? SimulationStepping.defaultConditionCycles, cycleTime: stepping.cycleTime,
            condition: condition)
    }

    private static func step(_ plc: PLCInstance, cycles: Int, cycleTime: Duration) async throws(EngineError) {
        do { _ = try await plc.plc.step(cycles: cycles, cycleTime: cycleTime) } catch {
            throw EngineError(.conflict, "\(plc.device): \(error)")
        }
    }

    // MARK: Profiles

    /// The `.json` files of `PROJECT/.s7wb/profiles`, by name; a file that is no profile says why.
    public func simulationProfiles(sessionID: String? = nil) throws(EngineError) -> [SimulationProfileFile] {
        let session = try self.session(sessionID)
        let folder = Self.profilesFolder(session)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        var files: [SimulationProfileFile] = []
        for name in names.sorted() where name.lowercased().hasSuffix(".json") && !name.hasPrefix(".") {
            guard let data = FileManager.default.contents(atPath: folder + "/" + name) else { continue }
            var file = SimulationProfileFile(fileName: name, profile: nil, problem: nil, sizeBytes: data.count)
            do { file.profile = try Self.decodeSimulationProfile(Array(data), source: name) } catch {
                file.problem = "\(error)"
            }
            files.append(file)
        }
        return files
    }

    public func simulationProfile(
        fileName: String, sessionID: String? = nil
    ) throws(EngineError)
        -> SimulationProfileFile
    {
        let session = try self.session(sessionID)
        let name = try Self.validProfileFileName(fileName)
        let path = try resolvePath(Self.profilesFolder(session) + "/" + name, sessionID: session.id)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EngineError(.notFound, "no simulation profile '\(name)' in .s7wb/profiles of \(session.project.name)")
        }
        let profile = try Self.decodeSimulationProfile(Array(data), source: name)
        return SimulationProfileFile(fileName: name, profile: profile, problem: nil, sizeBytes: data.count)
    }

    /// A profile read from a file the caller names (inside the project or the files root).
    public func simulationProfile(
        atPath path: String, sessionID: String? = nil
    ) throws(EngineError)
        -> SimulationProfile
    {
        let full = try resolvePath(path, sessionID: sessionID)
        guard let data = FileManager.default.contents(atPath: full) else {
            throw EngineError(.notFound, "no file '\(path)'")
        }
        return try Self.decodeSimulationProfile(Array(data), source: (path as NSString).lastPathComponent)
    }

    /// Saves `definitions` (by default the project's instances) as `PROJECT/.s7wb/profiles/fileName`.
    @discardableResult
    public func saveSimulationProfile(
        fileName: String, name: String? = nil, description: String? = nil,
        instances definitions: [SimulationInstanceDefinition]? = nil, overwrite: Bool = false,
        sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) -> SimulationProfileFile {
        pruneSimulation()
        let session = try self.session(sessionID)
        let file = try Self.validProfileFileName(fileName)
        let list =
            definitions
            ?? simulation.entries.values.filter { $0.sessionID == session.id }
            .sorted { $0.configuration.name.lowercased() < $1.configuration.name.lowercased() }
            .map(\.configuration.definition)
        guard !list.isEmpty else {
            throw EngineError(
                .conflict, "no simulation instance to save: create instances first or give the profile's 'instances'")
        }
        try Self.validateProfileDefinitions(list)
        let path = try resolvePath(Self.profilesFolder(session) + "/" + file, sessionID: session.id)
        if !overwrite, FileManager.default.fileExists(atPath: path) {
            throw EngineError(.conflict, "the profile '\(file)' exists already: send \"overwrite\": true to replace it")
        }
        let title = name.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        let profile = SimulationProfile(
            name: title ?? String(file.dropLast(".json".count)), description: description, createdAt: Date(),
            instances: list)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let bytes: [UInt8]
        do { bytes = try Array(encoder.encode(profile)) + [0x0A] } catch {
            throw EngineError(.io, "cannot encode the profile: \(error)")
        }
        do { try AtomicFile.write(bytes, to: path) } catch { throw EngineError(.io, "\(error)") }
        record(
            session, actor: actor, action: "simulation.saveProfile", target: ".s7wb/profiles/\(file)",
            detail: list.map(\.name).joined(separator: ", "), outcome: "ok")
        return SimulationProfileFile(fileName: file, profile: profile, problem: nil, sizeBytes: bytes.count)
    }

    /// Creates the profile's instances in the project: all of them, or none when one does not fit.
    public func importSimulationProfile(
        _ profile: SimulationProfile, sessionID: String? = nil, actor: String? = nil
    ) async throws(EngineError) -> [SimulationInstanceStatus] {
        pruneSimulation()
        let session = try self.session(sessionID)
        try Self.validateProfileDefinitions(profile.instances)
        let runtime = try Self.simulationRuntime(of: session)
        var ports = usedSimulationPorts(except: nil)
        for definition in profile.instances {
            let configuration = try simulationConfiguration(
                definition, in: session, runtime: runtime, usedPorts: ports)
            try checkSimulationFree(configuration, sessionID: session.id, except: nil)
            ports[configuration.s7Port] = configuration.name
        }
        var created: [SimulationInstanceStatus] = []
        for definition in profile.instances {
            let status = try await createSimulationInstance(definition, sessionID: session.id, actor: actor)
            created.append(status)
        }
        return created
    }

    /// Reads a profile; anything else (PLCSIM Advanced's own files included) is refused as unsupported.
    public static func decodeSimulationProfile(
        _ bytes: [UInt8], source: String
    ) throws(EngineError)
        -> SimulationProfile
    {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let profile: SimulationProfile
        do { profile = try decoder.decode(SimulationProfile.self, from: Data(bytes)) } catch {
            throw EngineError(
                .unsupported,
                "\(source) is not an s7wb simulation profile (\(decodingReason(error))); PLCSIM Advanced's legacy "
                    + "instance lists are not read here: save a profile with POST /api/simulation/profiles")
        }
        guard profile.format == SimulationProfile.formatName else {
            throw EngineError(
                .unsupported,
                "\(source) has the format '\(profile.format)', not '\(SimulationProfile.formatName)'")
        }
        return profile
    }

    private static func decodingReason(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ keys: [any CodingKey]) -> String {
            keys.isEmpty
                ? "the document"
                : keys.map { key in key.intValue.map { "[\($0)]" } ?? key.stringValue }
                    .joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context.codingPath + [key])) is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    private static func profilesFolder(_ session: Session) -> String {
        session.project.root + "/.s7wb/profiles"
    }

    /// A plain file name ending in `.json`: no folders, no `..`, not hidden.
    private static func validProfileFileName(_ text: String) throws(EngineError) -> String {
        let name = text.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw EngineError(.invalidInput, "the profile's file name is empty") }
        guard !name.contains("/"), !name.contains("\\"), !name.contains(".."), !name.hasPrefix("."),
            !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }), name.count <= 128
        else {
            throw EngineError(.invalidInput, "'\(text)' is no plain file name: profiles take names like line.json")
        }
        guard name.lowercased().hasSuffix(".json"), name.count > ".json".count else {
            throw EngineError(.invalidInput, "a profile's file name ends in .json, not '\(name)'")
        }
        return name
    }

    private static func validateProfileDefinitions(_ definitions: [SimulationInstanceDefinition]) throws(EngineError) {
        guard !definitions.isEmpty else { throw EngineError(.invalidInput, "a profile holds at least one instance") }
        var names: Set<String> = []
        var devices: Set<String> = []
        for definition in definitions {
            let name = try validSimulationName(definition.name)
            guard names.insert(name.lowercased()).inserted else {
                throw EngineError(.invalidInput, "the profile names the instance '\(name)' twice")
            }
            let device = definition.deviceName.trimmingCharacters(in: .whitespaces)
            guard !device.isEmpty else { throw EngineError(.invalidInput, "instance '\(name)': 'deviceName' is empty") }
            guard devices.insert(device.lowercased()).inserted else {
                throw EngineError(.invalidInput, "the profile has two instances of \(device): one instance per device")
            }
            if let address = definition.ipAddress, IPv4.parse(address) == nil {
                throw EngineError(.invalidInput, "instance '\(name)': '\(address)' is not an IPv4 address")
            }
            if let port = definition.s7Port, !SimulationRuntimeConfiguration.ports.contains(port) {
                throw EngineError(.invalidInput, "instance '\(name)': the S7 port must be from 1 to 65535")
            }
            if let scale = definition.timeScale, !SimulationRuntimeConfiguration.timeScales.contains(scale) {
                throw EngineError(.invalidInput, "instance '\(name)': the time scale must be from 0.1 to 100")
            }
        }
    }

    // MARK: Registry helpers

    /// Forgets instances of closed projects and PLCs replaced while their instance was off.
    private func pruneSimulation() {
        for (key, entry) in simulation.entries where sessions[entry.sessionID] == nil {
            simulation.entries.removeValue(forKey: key)
            simulation.tagLists.removeValue(forKey: key)
        }
        if let connected = simulation.connected, simulation.entries[connected] == nil { simulation.connected = nil }
        for (key, entry) in simulation.entries where entry.parked != nil && instances[simulationPLCKey(entry)] != nil {
            simulation.entries[key]?.parked = nil
        }
    }

    /// The key of the entry's PLC in `instances` (as `plcInstance(device:)` files it).
    private func simulationPLCKey(_ entry: SimulationRegistry.Entry) -> String {
        entry.sessionID + "/" + entry.configuration.deviceName.lowercased()
    }

    private func simulationEntry(_ name: String) throws(EngineError) -> (key: String, entry: SimulationRegistry.Entry) {
        pruneSimulation()
        let key = name.trimmingCharacters(in: .whitespaces).lowercased()
        guard let entry = simulation.entries[key] else {
            let known = simulation.entries.values.map(\.configuration.name).sorted().joined(separator: ", ")
            throw EngineError(
                .notFound, "no simulation instance '\(name)'" + (known.isEmpty ? "" : " (instances: \(known))"))
        }
        return (key, entry)
    }

    private func simulationTargets(
        _ name: String?, sessionID: String?
    ) throws(EngineError) -> [(key: String, entry: SimulationRegistry.Entry)] {
        if let name { return [try simulationEntry(name)] }
        pruneSimulation()
        let session = try self.session(sessionID)
        return simulation.entries.filter { $0.value.sessionID == session.id }.sorted { $0.key < $1.key }
            .map { (key: $0.key, entry: $0.value) }
    }

    private func poweredSimulationPLC(_ entry: SimulationRegistry.Entry) throws(EngineError) -> PLCInstance {
        guard let live = instances[simulationPLCKey(entry)] else {
            let name = entry.configuration.name
            throw EngineError(
                .conflict,
                "simulation instance '\(name)' is powered off: POST /api/simulation/instances/\(name)/power-on first")
        }
        return live
    }

    private func connectedSimulationPLC() throws(EngineError) -> (
        key: String, entry: SimulationRegistry.Entry, plc: PLCInstance
    ) {
        pruneSimulation()
        guard let key = simulation.connected, let entry = simulation.entries[key] else {
            throw EngineError(
                .conflict, "no simulation instance is connected: POST /api/simulation/connect {\"name\": …} first")
        }
        let live = try poweredSimulationPLC(entry)
        return (key, entry, live)
    }

    private func simulationStatus(_ entry: SimulationRegistry.Entry) -> SimulationInstanceStatus {
        let live = instances[simulationPLCKey(entry)]
        let plc = live ?? entry.parked
        let snapshot = plc?.snapshot()
        var configuration = entry.configuration
        var state = SimulationCPUState.off
        var stopCause: String?
        if let live {
            let current = live.snapshot()
            switch current.mode {
            case .stop(let cause):
                state = .stop
                stopCause = cause.rawValue
            case .startup: state = .startup
            case .run: state = .run
            }
            configuration.timeMode = SimulationTimeMode(current.clockMode)
            if case .scaled(let factor) = current.clockMode { configuration.timeScale = factor }
        }
        return SimulationInstanceStatus(
            configuration: configuration, projectID: entry.sessionID,
            projectName: sessions[entry.sessionID]?.project.name ?? "", poweredOn: live != nil, state: state,
            stopCause: stopCause, cycleCount: snapshot?.cycle ?? 0, virtualTime: snapshot?.virtualTime ?? .zero,
            downloadedAt: plc?.downloadedAt, isConnected: simulation.connected == entry.configuration.name.lowercased())
    }

    /// The S7 ports instances take, with the instance taking each.
    private func usedSimulationPorts(except exempt: String?) -> [Int: String] {
        var ports: [Int: String] = [:]
        for (key, entry) in simulation.entries where key != exempt {
            ports[entry.configuration.s7Port] = entry.configuration.name
        }
        return ports
    }

    /// Refuses a name, device or port another instance has.
    private func checkSimulationFree(
        _ configuration: SimulationInstanceConfiguration, sessionID: String, except exempt: String?
    ) throws(EngineError) {
        for (key, other) in simulation.entries where key != exempt {
            let otherName = other.configuration.name
            if key == configuration.name.lowercased() {
                throw EngineError(
                    .conflict,
                    "a simulation instance named '\(otherName)' exists already "
                        + "(device \(other.configuration.deviceName))")
            }
            if other.sessionID == sessionID,
                other.configuration.deviceName.caseInsensitiveEquals(configuration.deviceName)
            {
                throw EngineError(
                    .conflict,
                    "\(configuration.deviceName) already has the simulation instance '\(otherName)': one instance per "
                        + "device")
            }
            if other.configuration.s7Port == configuration.s7Port {
                throw EngineError(
                    .conflict, "the S7 port \(configuration.s7Port) is taken by the instance '\(otherName)'")
            }
        }
    }

    /// A definition resolved against the project and the runtime defaults, validated.
    private func simulationConfiguration(
        _ definition: SimulationInstanceDefinition, in session: Session, runtime: SimulationRuntimeConfiguration,
        usedPorts: [Int: String]
    ) throws(EngineError) -> SimulationInstanceConfiguration {
        let name = try Self.validSimulationName(definition.name)
        let deviceName = definition.deviceName.trimmingCharacters(in: .whitespaces)
        guard !deviceName.isEmpty else { throw EngineError(.invalidInput, "'deviceName' is required") }
        guard let device = session.project.device(named: deviceName) else {
            let known = session.project.devices.map(\.name).joined(separator: ", ")
            throw EngineError(
                .notFound, "no device '\(deviceName)' in project \(session.project.name) (devices: \(known))")
        }
        guard device.kind == .plc else {
            throw EngineError(
                .invalidInput, "\(device.name) is an \(device.kind.rawValue) device: only PLCs are simulated")
        }
        let ipAddress = (definition.ipAddress ?? device.ipAddress ?? "192.168.0.1").trimmingCharacters(in: .whitespaces)
        let subnetMask = (definition.subnetMask ?? device.subnetMask ?? "255.255.255.0")
            .trimmingCharacters(in: .whitespaces)
        try IPv4.validate(address: ipAddress, mask: subnetMask)
        let gateway = definition.gateway.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap {
            $0.isEmpty ? nil : $0
        }
        if let gateway { try Self.validateGateway(gateway, address: ipAddress, mask: subnetMask) }
        let port: Int
        if let requested = definition.s7Port {
            guard SimulationRuntimeConfiguration.ports.contains(requested) else {
                throw EngineError(.invalidInput, "the S7 port must be from 1 to 65535, not \(requested)")
            }
            if let holder = usedPorts[requested] {
                throw EngineError(.conflict, "the S7 port \(requested) is taken by the instance '\(holder)'")
            }
            port = requested
        } else {
            var candidate = runtime.s7PortBase
            while usedPorts[candidate] != nil, candidate < SimulationRuntimeConfiguration.ports.upperBound {
                candidate += 1
            }
            guard usedPorts[candidate] == nil else {
                throw EngineError(.conflict, "no free S7 port from \(runtime.s7PortBase) on")
            }
            port = candidate
        }
        let scale = definition.timeScale ?? runtime.defaultTimeScale
        guard SimulationRuntimeConfiguration.timeScales.contains(scale) else {
            throw EngineError(.invalidInput, "the time scale must be from 0.1 to 100, not \(scale)")
        }
        return SimulationInstanceConfiguration(
            name: name, deviceName: device.name, cpuType: Self.cpuType(of: device), orderNumber: device.orderNumber,
            firmware: device.firmware, ipAddress: ipAddress, subnetMask: subnetMask, gateway: gateway, s7Port: port,
            timeMode: definition.timeMode ?? runtime.defaultTimeMode, timeScale: scale)
    }

    /// The CPU the order number names in the hardware catalog (`6ES7 516-3AN02-0AB0` → `CPU 1516-3 PN/DP`).
    private static func cpuType(of device: Device) -> String {
        guard let number = device.orderNumber, !number.isEmpty else { return "S7-1500 CPU" }
        if let entry = HardwareCatalog.find(orderNumber: number), entry.isPLC { return entry.name }
        return "CPU \(number)"
    }

    /// Letters, digits, spaces, `_`, `-` and `.`, at most 64, not starting with a dot.
    private static func validSimulationName(_ text: String) throws(EngineError) -> String {
        let name = text.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw EngineError(.invalidInput, "the instance name is empty") }
        guard name.count <= 64 else {
            throw EngineError(.invalidInput, "instance names take at most 64 characters: '\(name)'")
        }
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            scalar.properties.isAlphabetic || (0x30...0x39).contains(scalar.value)
                || " _-.".unicodeScalars.contains(scalar)
        }
        guard allowed, !name.hasPrefix(".") else {
            throw EngineError(
                .invalidInput, "instance names take letters, digits, spaces, '_', '-' and '.' (not first): '\(name)'")
        }
        return name
    }

    private static func validateGateway(_ gateway: String, address: String, mask: String) throws(EngineError) {
        try IPv4.validate(address: gateway, mask: mask)
        guard IPv4.network(address: gateway, mask: mask) == IPv4.network(address: address, mask: mask) else {
            throw EngineError(.invalidInput, "the gateway \(gateway) is not in the subnet of \(address)/\(mask)")
        }
        guard gateway != address else {
            throw EngineError(.invalidInput, "the gateway cannot be the instance's own address \(address)")
        }
    }
}

/// Lists the tags of a device as its PLC locates them: the tag tables' tags, then the members of every DB, structures
/// (structs, PLC data types, FB and IEC timer/counter instances) flattened to their elementary members with dotted
/// names, arrays as a whole. A name the PLC cannot locate (not downloaded, not compiled) is left out.
struct SimulationTagWalker {
    let device: Device
    let library: ProjectLibrary
    let plc: PLCInstance
    private(set) var list: [SimulationTag] = []

    static let limit = 50_000
    static let depthLimit = 16

    init(device: Device, library: ProjectLibrary, plc: PLCInstance) {
        self.device = device
        self.library = library
        self.plc = plc
    }

    mutating func tags() -> [SimulationTag] {
        list = []
        for table in device.tagTables {
            for tag in table.tags {
                let operand = "\"\(tag.name)\""
                guard let location = try? plc.locate(operand) else { continue }
                let address = tag.address.isEmpty ? nil : (tag.address.hasPrefix("%") ? tag.address : "%" + tag.address)
                list.append(
                    SimulationTag(
                        name: tag.name, operand: operand, dataType: location.dataType.description, address: address,
                        source: table.name, kind: .tag))
            }
        }
        let dataBlocks = device.blocks.filter(\.kind.isDataBlock).sorted {
            ($0.number ?? Int.max, $0.name.lowercased()) < ($1.number ?? Int.max, $1.name.lowercased())
        }
        for block in dataBlocks {
            let root = "\"\(block.name)\""
            // An instance DB of a type the device does not know (a library FB) has its members in its own interface.
            let own = block.interface.sections.filter { $0.kind != .temp && $0.kind != .constant }
                .flatMap(\.members).map(\.name)
            let names: [String]
            switch block.kind {
            case .instanceDB, .typedDB: names = block.instanceOf.flatMap { memberNames(ofNamed: $0) } ?? own
            default: names = own
            }
            for name in names { visit(root, member: name, block: block, depth: 1) }
        }
        return list
    }

    private mutating func visit(_ parent: String, member: String, block: Block, depth: Int) {
        guard list.count < Self.limit else { return }
        // A member whose name is a keyword or not an identifier is reached only quoted.
        let plain = parent + "." + member
        let quoted = parent + ".\"" + member + "\""
        let candidates = Self.isIdentifier(member) ? [plain, quoted] : [quoted]
        for operand in candidates {
            guard let location = try? plc.locate(operand) else { continue }
            if depth < Self.depthLimit, let children = children(of: location.dataType), !children.isEmpty {
                for child in children { visit(operand, member: child, block: block, depth: depth + 1) }
            } else {
                list.append(
                    SimulationTag(
                        name: operand, operand: operand, dataType: location.dataType.description,
                        address: block.isOptimized ? nil : Self.address(of: location), source: block.name,
                        kind: .dataBlockMember))
            }
            return
        }
    }

    private func children(of type: DataType) -> [String]? {
        switch type {
        case .struct(let members): members.map(\.name)
        case .named(let name), .systemDataType(let name): memberNames(ofNamed: name)
        case .systemFB(let system): Self.members(of: system)
        default: nil
        }
    }

    /// The members of a PLC data type, an FB's instance (Input, Output, InOut, Static) or an IEC block instance.
    private func memberNames(ofNamed name: String) -> [String]? {
        let udt =
            device.dataType(named: name) ?? library.dataTypes.first { $0.name.caseInsensitiveEquals(name) }
        if let udt { return udt.members.map(\.name) }
        let isFB = { (block: Block) in block.kind == .functionBlock && block.name.caseInsensitiveEquals(name) }
        if let fb = device.blocks.first(where: isFB) ?? library.blocks.first(where: isFB) {
            let sections: Set<InterfaceSection.Kind> = [.input, .output, .inOut, .static]
            return fb.interface.sections.filter { sections.contains($0.kind) }.flatMap(\.members).map(\.name)
        }
        return SystemFBType(name: name).map(Self.members(of:))
    }

    /// The members of an IEC timer, counter or edge instance; the ones a variant lacks do not locate.
    private static func members(of system: SystemFBType) -> [String] {
        switch system.family {
        case .timer: ["IN", "PT", "Q", "ET", "R"]
        case .counter: ["CU", "CD", "R", "LD", "QU", "QD", "PV", "CV", "Q"]
        case .edge: ["CLK", "Q"]
        }
    }

    private static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLetter || first == "_" else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }

    /// The absolute address of a member of a standard DB: `%DB3.DBX0.1`, `%DB3.DBW2`, or an area pointer for
    /// values of other sizes.
    private static func address(of location: OperandLocation) -> String? {
        guard location.area == .globalDB else { return nil }
        let db = "%DB\(location.dbNumber)"
        if location.dataType == .bool { return "\(db).DBX\(location.byteOffset).\(location.bit)" }
        switch location.size {
        case 1: return "\(db).DBB\(location.byteOffset)"
        case 2: return "\(db).DBW\(location.byteOffset)"
        case 4: return "\(db).DBD\(location.byteOffset)"
        default: return "P#DB\(location.dbNumber).DBX\(location.byteOffset).0 BYTE \(location.size)"
        }
    }
}
