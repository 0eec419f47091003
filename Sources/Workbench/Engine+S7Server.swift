public import Foundation
import S7Model
import S7Protocol

/// A virtual PLC's S7comm server as front ends see it.
public struct S7ServerStatus: Sendable, Hashable {
    public var device: String
    public var host: String
    public var port: Int
    /// Clients connected now.
    public var connections: Int
    /// Connections accepted and jobs answered since the start.
    public var connectionsAccepted: Int
    public var jobsAnswered: Int
    public var startedAt: Date
}

/// The S7comm servers of the engine's virtual PLCs, by session and device.
struct S7ServerRegistry: Sendable {
    struct Entry: Sendable {
        var server: S7Server
        var device: String
        var host: String
        var port: Int
        var startedAt: Date
    }

    var entries: [String: Entry] = [:]

    init() {}
}

/// S7comm access to the virtual PLCs: each device's PLC can serve S7comm on a port of its own, as a PLCSIM
/// Advanced instance does on its virtual adapter, so HMIs, SCADA and python-snap7 scripts read and write it.
extension Engine {
    /// Starts the device's S7comm server (its virtual PLC is created if needed); a server already listening on the
    /// same host and port is kept, one elsewhere is moved. Port 0 picks a free port.
    @discardableResult
    public func startS7Server(
        device name: String? = nil, host: String = "0.0.0.0", port: Int, sessionID: String? = nil,
        actor: String? = nil
    ) async throws(EngineError) -> S7ServerStatus {
        let session = try self.session(sessionID)
        let device = try plcDevice(name, sessionID: session.id)
        guard (0...65535).contains(port) else {
            throw EngineError(.invalidInput, "the S7 port must be from 0 to 65535, not \(port)")
        }
        let key = session.id + "/" + device.name.lowercased()
        if let running = s7Servers.entries[key] {
            if running.host == host, running.port == port || port == 0 { return Self.status(running) }
            s7Servers.entries.removeValue(forKey: key)
            await running.server.stop()
        }
        let instance = try plcInstance(device: device.name, sessionID: session.id)
        let catalogName = device.orderNumber.flatMap { HardwareCatalog.find(orderNumber: $0)?.name }
        let backend = PLCS7Backend(instance: instance, device: device, catalogName: catalogName)
        let server = S7Server(backend: backend, configuration: backend.sessionConfiguration)
        let bound: Int
        do {
            bound = try await server.start(host: host, port: port)
        } catch {
            record(session, actor: actor, action: "s7.listen", target: device.name, outcome: "failed")
            let hint = port < 1024 ? " (ports below 1024 need privileges: choose e.g. 10102)" : ""
            throw EngineError(.conflict, "cannot serve S7comm on \(host):\(port): \(error)\(hint)")
        }
        let entry = S7ServerRegistry.Entry(
            server: server, device: device.name, host: host, port: bound, startedAt: Date())
        s7Servers.entries[key] = entry
        record(
            session, actor: actor, action: "s7.listen", target: device.name, detail: "\(host):\(bound)",
            outcome: "ok")
        hub.publish(.plcChanged(sessionID: session.id, device: device.name, change: "s7.listen"))
        return Self.status(entry)
    }

    /// Stops the device's S7comm server and closes its connections; false if none was running.
    @discardableResult
    public func stopS7Server(
        device name: String? = nil, sessionID: String? = nil, actor: String? = nil
    ) async throws(EngineError) -> Bool {
        let session = try self.session(sessionID)
        let device = try plcDevice(name, sessionID: session.id)
        guard let entry = s7Servers.entries.removeValue(forKey: session.id + "/" + device.name.lowercased()) else {
            return false
        }
        await entry.server.stop()
        record(session, actor: actor, action: "s7.close", target: device.name, outcome: "ok")
        hub.publish(.plcChanged(sessionID: session.id, device: device.name, change: "s7.close"))
        return true
    }

    /// The device's S7comm server, nil when it serves none.
    public func s7Server(device name: String? = nil, sessionID: String? = nil) throws(EngineError) -> S7ServerStatus? {
        let session = try self.session(sessionID)
        let device = try plcDevice(name, sessionID: session.id)
        return s7Servers.entries[session.id + "/" + device.name.lowercased()].map(Self.status)
    }

    /// Stops the servers of a session's PLCs (the project closes).
    func stopS7Servers(ofSession sessionID: String) {
        for key in s7Servers.entries.keys where key.hasPrefix(sessionID + "/") { dropS7Server(key) }
    }

    /// Stops the server of the PLC with this key (`session/device`) without waiting for its sockets to close.
    func dropS7Server(_ key: String) {
        guard let entry = s7Servers.entries.removeValue(forKey: key) else { return }
        let server = entry.server
        Task { await server.stop() }
    }

    private static func status(_ entry: S7ServerRegistry.Entry) -> S7ServerStatus {
        S7ServerStatus(
            device: entry.device, host: entry.host, port: entry.port, connections: entry.server.connectionCount,
            connectionsAccepted: entry.server.connectionsAccepted, jobsAnswered: entry.server.jobsAnswered,
            startedAt: entry.startedAt)
    }
}
