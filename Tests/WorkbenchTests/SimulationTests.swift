import S7Compiler
import S7Diagnostics
import S7Model
import S7Runtime
import S7TestSupport
import Testing
import Workbench

/// The sample projects compile without a diagnostic and run 1000 cycles without a programming or time error.
@Suite struct SimulationTests {
    @Test(arguments: ["traffic-light", "bottling-line", "tank-control"])
    func sampleRunsAThousandCycles(_ name: String) async throws {
        let engine = Engine()
        _ = try await engine.openProject(at: Fixtures.sampleProject(name), actor: "test", history: .inMemory)
        let (_, result) = try await engine.compile()
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.message))")
        #expect(result.skippedBlocks.isEmpty)
        let run = try await engine.runProgram(cycles: 1000, cycleTime: .milliseconds(10), sets: [], watch: [])
        #expect(run.cycles == 1000)
        #expect(run.mode == .run)
        let faults = run.diagnostics.filter { $0.eventID & 0xF000 != 0x4000 }
        #expect(faults.isEmpty, "\(faults.map(\.text))")
        await engine.shutdown()
    }

    @Test func bottlingLineStartsWithAHealthyEStopChainInSimulation() async throws {
        let engine = Engine()
        _ = try await engine.openProject(
            at: Fixtures.sampleProject("bottling-line"), actor: "test", history: .inMemory)
        // OB100 sets the E-stop chain and the NC stop button healthy in simulation. No input module drives %I0.1 and
        // %I0.2, so the process image update leaves them as the program wrote them (as on a CPU whose inputs have no
        // module): the line does not fault and waits, stopped, for a start.
        let stopped = try await engine.runProgram(
            cycles: 20, cycleTime: .milliseconds(10), sets: [],
            watch: ["\"LineData\".State", "\"EStopOk\"", "\"StopButton\""])
        #expect(stopped.values.map(\.value) == [.int(0), .bool(true), .bool(true)])
        // An input written from outside is driven from then on, like a module's: each cycle starts with it FALSE
        // whatever the plant model wrote, so the line faults.
        let tripped = try await engine.runProgram(
            cycles: 20, cycleTime: .milliseconds(10), sets: [(operand: "\"EStopOk\"", literal: "FALSE")],
            watch: ["\"LineData\".State"])
        #expect(tripped.values.map(\.value) == [.int(90)])
        await engine.shutdown()
    }

    @Test func runReportsUnknownOperands() async throws {
        let engine = Engine()
        _ = try await engine.openProject(at: Fixtures.sampleProject("traffic-light"), actor: "test", history: .inMemory)
        await #expect(throws: EngineError.self) {
            _ = try await engine.runProgram(cycles: 1, cycleTime: .milliseconds(10), sets: [], watch: ["\"Nope\""])
        }
        await engine.shutdown()
    }
}

/// Issue #7: the CPU's minimum cycle time (TIA's cycle setting) changes while the PLC runs.
@Suite struct MinimumCycleTimeTests {
    @Test func theMinimumCycleTimeIsCheckedAndTakesEffect() async throws {
        let engine = Engine()
        _ = try await engine.openProject(at: Fixtures.sampleProject("bottling-line"), history: .inMemory)
        try await engine.download(device: "PLC_1")
        await #expect(throws: EngineError.self) {
            try await engine.setMinimumCycleTime(.microseconds(500), device: "PLC_1")
        }
        try await engine.setMinimumCycleTime(.milliseconds(2), device: "PLC_1")
        let instance = try await engine.plcInstance(device: "PLC_1")
        #expect(instance.snapshot().minimumCycleTime == .milliseconds(2))
        _ = try await engine.setPLCMode(run: true, device: "PLC_1")
        let start = instance.snapshot()
        try await Task.sleep(for: .milliseconds(200))
        let end = instance.snapshot()
        // Cycles at least 2 ms apart (in the virtual time that passed, whatever the load), and the thread cycled.
        let cycles = end.statistics.count - start.statistics.count
        let bound = Int((end.virtualTime - start.virtualTime) / .milliseconds(2)) + 2
        #expect(cycles > 5 && cycles <= bound, "\(cycles) cycles in \(end.virtualTime - start.virtualTime)")
        await engine.shutdown()
    }
}
