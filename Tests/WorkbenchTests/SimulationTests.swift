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

    @Test func bottlingLineFaultsUntilTheEStopChainIsHealthy() async throws {
        let engine = Engine()
        _ = try await engine.openProject(
            at: Fixtures.sampleProject("bottling-line"), actor: "test", history: .inMemory)
        // The plant model in OB30 (first run after 100 ms) makes the E-stop chain healthy, so the line faults in the
        // first cycle and stays in FAULT until an operator resets it, as on the real line.
        let faulted = try await engine.runProgram(
            cycles: 20, cycleTime: .milliseconds(10), sets: [], watch: ["\"LineData\".State", "\"EStopOk\""])
        #expect(faulted.values.map(\.value) == [.int(90), .bool(true)])
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
