import Foundation
import S7Model
import S7Protocol
import S7Runtime
import S7TestSupport
import Testing
import Workbench

/// Issue #7: a device goes online with a real PLC over S7comm. The "real PLC" is a second engine's virtual CPU
/// serving S7comm on loopback, so what the engineer's engine reads and writes can be checked on the other side.
@Suite struct OnlinePLCTests {
    /// A running bottling line served over S7comm, and an engineer's engine with the same project.
    struct Plant {
        let plc = Engine()
        let engineer = Engine()
        var port = 0

        static func start() async throws -> Plant {
            var plant = Plant()
            _ = try await plant.plc.openProject(at: Fixtures.sampleProject("bottling-line"), history: .inMemory)
            try await plant.plc.download(device: "PLC_1")
            _ = try await plant.plc.setPLCMode(run: true, device: "PLC_1")
            plant.port = try await plant.plc.startS7Server(device: "PLC_1", host: "127.0.0.1", port: 0).port
            _ = try await plant.engineer.openProject(at: Fixtures.sampleProject("bottling-line"), history: .inMemory)
            return plant
        }

        var endpoint: PLCEndpoint { PLCEndpoint(host: "127.0.0.1", port: port, timeout: .milliseconds(500)) }

        func value(_ operand: String) async throws -> PLCValue {
            try await plc.plcInstance(device: "PLC_1").read(operand)
        }

        func shutdown() async {
            await engineer.shutdown()
            _ = try? await plc.stopS7Server(device: "PLC_1")
            await plc.shutdown()
        }
    }

    /// Polls until `condition` holds (the PLC applies writes at its next cycle start).
    func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<200 {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    @Test func watchTablesModifyAndCPUStateGoThroughS7comm() async throws {
        let plant = try await Plant.start()
        let status = try await plant.engineer.goOnline(device: "PLC_1", target: .plc, endpoint: plant.endpoint)
        #expect(status.isOnline && status.target == .plc)
        #expect(status.mode == .plc(.run))
        #expect(status.link?.isConnected == true)

        // Rows in the M area come from the PLC; members of optimized DBs cannot be reached over PUT/GET.
        try await plant.engineer.modify("\"HMI_SpeedOverride\"", to: "73", device: "PLC_1")
        #expect(try await eventually { try await plant.value("\"HMI_SpeedOverride\"") == .real(73) })
        let reading = try await plant.engineer.readWatchTable("Line overview", kind: .watch, device: "PLC_1")
        #expect(reading.target == .plc)
        let rows = Dictionary(
            zip(reading.table.entries.map(\.operand), reading.values ?? []), uniquingKeysWith: { first, _ in first })
        #expect(rows["\"HMI_SpeedOverride\""]??.value == .real(73))
        #expect(rows["\"HMI_SpeedOverride\""]??.quality == .good)
        #expect(rows["\"HMI_Start\""]??.quality == .good)
        #expect(rows["\"LineData\".State"]??.quality == .notReachable)
        #expect(rows["\"LineData\".State"]??.error?.contains("optimized access") == true)

        // Modify now writes the table's modify values in one job.
        try await plant.engineer.addWatchEntries(
            [WatchEntry(operand: "%MW100", modifyValue: "42"), WatchEntry(operand: "%M102.1", modifyValue: "TRUE")],
            to: "Line overview", kind: .watch, device: "PLC_1")
        let written = try await plant.engineer.modifyWatchTable("Line overview", device: "PLC_1")
        #expect(written.map(\.entry.operand).suffix(2) == ["%MW100", "%M102.1"])
        #expect(try await eventually { try await plant.value("%MW100") == .word(42) })
        #expect(try await plant.value("%M102.1") == .bool(true))

        // Forcing, downloading and comparing need S7comm-plus: refused with the reason.
        await #expect(throws: EngineError.self) {
            try await plant.engineer.force("\"HMI_Start\"", to: "TRUE", device: "PLC_1")
        }
        do {
            _ = try await plant.engineer.downloadProgram(device: "PLC_1")
            Issue.record("a download to a real PLC must be refused")
        } catch {
            #expect(error.kind == .unsupported && error.message.contains("S7comm-plus"))
        }

        // CPU state, stop and start reach the PLC.
        let cpu = try await plant.engineer.cpuStatus(device: "PLC_1")
        #expect(cpu.target == .plc && cpu.mode == .plc(.run) && cpu.statistics == nil)
        #expect(cpu.diagnosticCount > 0)
        let stopped = try await plant.engineer.setCPUMode(run: false, device: "PLC_1")
        #expect(stopped.mode.text == "STOP")
        #expect(try await plant.plc.plcInstance(device: "PLC_1").snapshot().mode.isStop)
        let started = try await plant.engineer.setCPUMode(run: true, device: "PLC_1")
        #expect(started.mode == .plc(.run))

        // Offline closes the connection; the PLC keeps running.
        let offline = try await plant.engineer.goOffline(device: "PLC_1")
        #expect(!offline.isOnline && offline.target == .virtual)
        await plant.shutdown()
    }

    @Test func aLostPLCIsReportedAndReconnectedWithBackoff() async throws {
        let plant = try await Plant.start()
        try await plant.engineer.goOnline(device: "PLC_1", target: .plc, endpoint: plant.endpoint)

        // The PLC goes away: values turn bad (never an error or a hang), the link says why.
        #expect(try await plant.plc.stopS7Server(device: "PLC_1"))
        let started = ContinuousClock.now
        let lost = try await plant.engineer.readWatchTable("Line overview", kind: .watch, device: "PLC_1")
        #expect(ContinuousClock.now - started < .seconds(2))
        let start = try #require(lost.values?.compactMap { $0 }.first { $0.value == nil && $0.error != nil })
        #expect(start.quality == .notReachable)
        let status = try await plant.engineer.onlineStatus(device: "PLC_1")
        #expect(status.isOnline && status.mode == nil)
        #expect(status.link?.isConnected == false)

        // It comes back on the same port: the link connects again by itself.
        _ = try await plant.plc.startS7Server(device: "PLC_1", host: "127.0.0.1", port: plant.port)
        let healed = try await eventually {
            let reading = try await plant.engineer.readWatchTable("Line overview", kind: .watch, device: "PLC_1")
            return reading.values?.compactMap { $0 }.contains { $0.quality == .good } == true
        }
        #expect(healed)
        #expect(try await plant.engineer.onlineStatus(device: "PLC_1").link?.isConnected == true)
        await plant.shutdown()
    }

    @Test func goingOnlineWithAPLCThatDoesNotAnswerFails() async throws {
        let plant = try await Plant.start()
        let closed = PLCEndpoint(host: "127.0.0.1", port: 1, timeout: .milliseconds(300))
        do {
            try await plant.engineer.goOnline(device: "PLC_1", target: .plc, endpoint: closed)
            Issue.record("going online with a closed port must fail")
        } catch {
            #expect(error.kind == .unreachable)
            #expect(error.message.contains("127.0.0.1:1"))
        }
        #expect(try await plant.engineer.onlineStatus(device: "PLC_1").isOnline == false)
        await plant.shutdown()
    }
}
