import S7Compiler
import S7Model
import S7Runtime
import Testing

@Suite("VirtualPLC")
struct VirtualPLCTests {
    /// OB with one `addImm` on DB`db`.DBW`offset`: a counter of how often it ran.
    static func counterOB(
        _ name: String, number: Int, event: OBEventClass, db: UInt16 = 1, offset: Int32 = 0
    ) -> CompiledBlock {
        var b = BytecodeBuilder(kind: .organizationBlock, name: name, number: number)
        let r = b.register()
        b.emit(.loadS16, a: r, b: db, d: offset, area: .globalDB)
        b.emit(.addImmI16, a: r, b: r, d: 1)
        b.emit(.store16, a: r, b: db, d: offset, area: .globalDB)
        return b.finish(event: event)
    }

    @Test func integerDivisionByZeroClearsENOAndGivesZero() throws {
        let plc = try runMain(dataBlocks: [db(1, size: 4)]) { b in
            let x = b.register()
            let zero = b.register()
            let eno = b.register()
            b.emit(.const32, a: x, d: 10)
            b.emit(.divS16, a: x, b: x, c: zero, e: DivisionByZeroPolicy.eno.rawValue)
            b.emit(.getENO, a: eno)
            b.emit(.store16, a: x, b: 1, d: 0, area: .globalDB)
            b.emit(.storeBit, a: eno, d: 0, e: 0, area: .marker)
            b.emit(.const32, a: eno, d: 1)
            b.emit(.storeBit, a: eno, d: 0, e: 1, area: .marker)
        }
        #expect(plc.snapshot().mode == .run)
        #expect(try plc.dbInt(1, 0) == 0)
        #expect(try plc.bit(.marker, 0, 0) == false)
        #expect(try plc.bit(.marker, 0, 1) == true)
    }

    @Test func trappingDivisionByZeroWithoutOB121Stops() throws {
        let plc = try runMain(dataBlocks: [db(1, size: 4)]) { b in
            let x = b.register()
            let zero = b.register()
            b.at(line: 4, column: 5)
            b.emit(.const32, a: x, d: 10)
            b.at(line: 5, column: 9)
            b.emit(.divS32, a: x, b: x, c: zero, e: DivisionByZeroPolicy.programmingError.rawValue)
            b.at(line: 6, column: 5)
            b.emit(.store32, a: x, b: 1, d: 0, area: .globalDB)
        }
        let snapshot = plc.snapshot()
        #expect(snapshot.mode == .stop(.programmingError))
        let entry = try #require(snapshot.diagnostics.first { $0.eventID == DiagnosticEventID.divisionByZero })
        #expect(entry.block == "OB1 \"Main\"")
        #expect(entry.line == 5)
        #expect(entry.column == 9)
        #expect(entry.text.contains("line 5"))
    }

    @Test func arrayIndexOutOfRangeCallsOB121AndContinues() throws {
        let ob121 = Self.counterOB("ProgErr", number: 121, event: .programmingError, offset: 2)
        let plc = try runMain(dataBlocks: [db(1, size: 16)], extra: [ob121], cycles: 2) { b in
            let i = b.register()
            let x = b.register()
            b.at(line: 7)
            b.emit(.const32, a: i, d: 9)
            b.emit(.checkIndex, a: i, b: i, d: 0, e: 3)
            b.emit(.loadS16x, a: x, b: 1, c: i, d: 4, e: 2, area: .globalDB)
            b.at(line: 8)
            b.emit(.const32, a: x, d: 77)
            b.emit(.store16, a: x, b: 1, d: 0, area: .globalDB)
        }
        let snapshot = plc.snapshot()
        #expect(snapshot.mode == .run)
        #expect(try plc.dbInt(1, 2) == 2)  // OB121 ran once per cycle
        #expect(try plc.dbInt(1, 0) == 77)  // the rest of OB1 ran
        let errors = snapshot.diagnostics.filter { $0.eventID == DiagnosticEventID.arrayIndexError }
        #expect(errors.count == 2)
        #expect(errors.first?.line == 7)
    }

    @Test func indexedAccessOutsideTheAreaIsAProgrammingError() throws {
        let plc = try runMain(dataBlocks: [db(1, size: 4)]) { b in
            let i = b.register()
            b.emit(.const32, a: i, d: 100)
            b.emit(.store16x, a: i, b: 1, c: i, d: 0, e: 2, area: .globalDB)
        }
        #expect(plc.snapshot().mode == .stop(.programmingError))
        #expect(plc.snapshot().diagnostics.contains { $0.eventID == DiagnosticEventID.areaLengthError })
    }

    @Test func startupRunsOB100OnceThenCycles() throws {
        let ob100 = Self.counterOB("Startup", number: 100, event: .startup, offset: 0)
        let ob1 = Self.counterOB("Main", number: 1, event: .programCycle, offset: 2)
        let plc = VirtualPLC()
        try plc.load(CompiledProgram(blocks: [ob100, ob1], dataBlocks: [db(1, size: 4)]))
        #expect(plc.snapshot().mode == .stop(.initial))
        plc.start()
        #expect(plc.snapshot().mode == .run)
        plc.runCycles(5, cycleTime: .milliseconds(10))
        #expect(try plc.dbInt(1, 0) == 1)
        #expect(try plc.dbInt(1, 2) == 5)
        #expect(plc.snapshot().cycle == 5)
    }

    @Test func cyclicInterruptRunsTenTimesPerVirtualSecond() throws {
        let ob30 = Self.counterOB(
            "Cyclic", number: 30, event: .cyclicInterrupt(period: .milliseconds(100), phase: .zero), offset: 0)
        let ob1 = Self.counterOB("Main", number: 1, event: .programCycle, offset: 2)
        let plc = VirtualPLC()
        try plc.load(CompiledProgram(blocks: [ob30, ob1], dataBlocks: [db(1, size: 4)]))
        plc.start()
        plc.runCycles(100, cycleTime: .milliseconds(10))
        #expect(try plc.dbInt(1, 0) == 10)
        #expect(try plc.dbInt(1, 2) == 100)
        #expect(plc.snapshot().virtualTime == .seconds(1))
        plc.runCycles(100, cycleTime: .milliseconds(10))
        #expect(try plc.dbInt(1, 0) == 20)
    }

    @Test func writesAreAppliedAtTheStartOfTheNextCycle() throws {
        // OB1: DB1.DBW2 := DB1.DBW0.
        let plc = try runMain(dataBlocks: [db(1, size: 4)]) { b in
            let r = b.register()
            b.emit(.loadS16, a: r, b: 1, d: 0, area: .globalDB)
            b.emit(.store16, a: r, b: 1, d: 2, area: .globalDB)
        }
        try plc.write(.bytes(.dataBlock(1), offset: 0, [0, 7]))
        #expect(try plc.dbInt(1, 0) == 0)  // queued, not yet applied
        plc.runCycles(1, cycleTime: .milliseconds(10))
        #expect(try plc.dbInt(1, 0) == 7)
        #expect(try plc.dbInt(1, 2) == 7)
        #expect(throws: PLCError.self) { try plc.write(.bytes(.dataBlock(1), offset: 3, [1, 2])) }
        #expect(throws: PLCError.self) { try plc.write(.bytes(.dataBlock(9), offset: 0, [1])) }
    }

    @Test func snapshotStaysConsistentWhileCyclesRun() throws {
        let plc = try runMain(dataBlocks: [db(1, size: 4)]) { b in
            let r = b.register()
            b.emit(.loadS32, a: r, b: 1, d: 0, area: .globalDB)
            b.emit(.addImmI32, a: r, b: r, d: 1)
            b.emit(.store32, a: r, b: 1, d: 0, area: .globalDB)
        }
        let before = plc.snapshot()
        plc.runCycles(10, cycleTime: .milliseconds(10))
        #expect(try before.memory.area(.dataBlock(1))!.dint(at: 0) == 1)
        #expect(try plc.dbDInt(1, 0) == 11)
        #expect(before.cycle == 1)
    }

    @Test func stopClearsOutputsAndMemoryResetRestoresStartValues() throws {
        let start = DataBlockImage(number: 1, name: "D", bytes: [0, 5, 0, 0])
        let plc = try runMain(dataBlocks: [start]) { b in
            let r = b.register()
            b.emit(.loadS16, a: r, b: 1, d: 0, area: .globalDB)
            b.emit(.addImmI16, a: r, b: r, d: 1)
            b.emit(.store16, a: r, b: 1, d: 0, area: .globalDB)
            b.emit(.store8, a: r, d: 0, area: .output)
            b.emit(.store8, a: r, d: 4, area: .marker)
        }
        #expect(try plc.dbInt(1, 0) == 6)
        #expect(try plc.snapshot().memory.area(.output)!.byte(at: 0) == 6)
        plc.stop()
        #expect(plc.snapshot().mode == .stop(.requested))
        #expect(try plc.snapshot().memory.area(.output)!.byte(at: 0) == 0)
        #expect(try plc.dbInt(1, 0) == 6)
        plc.memoryReset()
        #expect(plc.snapshot().mode == .stop(.memoryReset))
        #expect(try plc.dbInt(1, 0) == 5)
        #expect(try plc.snapshot().memory.area(.marker)!.byte(at: 4) == 0)
        #expect(plc.snapshot().diagnostics.first?.eventID == DiagnosticEventID.memoryReset)
        plc.start()
        plc.runCycles(1, cycleTime: .milliseconds(10))
        #expect(try plc.dbInt(1, 0) == 6)
    }

    @Test func warmRestartKeepsRetentiveBitsAndMarkersButMemoryResetDoesNot() throws {
        // DB1: word 0 retentive, word 2 not; bit 4.0 retentive, bit 4.1 not (masks are bit by bit).
        var image = DataBlockImage(number: 1, name: "D", bytes: [0, 5, 0, 5, 0])
        image.retainMask = [0xFF, 0xFF, 0, 0, 0x01]
        var b = BytecodeBuilder(kind: .organizationBlock, name: "Main", number: 1)
        let r = b.register()
        for offset: Int32 in [0, 2] {
            b.emit(.loadS16, a: r, b: 1, d: offset, area: .globalDB)
            b.emit(.addImmI16, a: r, b: r, d: 1)
            b.emit(.store16, a: r, b: 1, d: offset, area: .globalDB)
        }
        b.emit(.const32, a: r, d: 3)
        b.emit(.store8, a: r, b: 1, d: 4, area: .globalDB)
        b.emit(.store8, a: r, d: 1, area: .marker)
        b.emit(.store8, a: r, d: 2, area: .marker)
        let plc = VirtualPLC(configuration: .init(retentiveMarkerBytes: 2))
        try plc.load(CompiledProgram(blocks: [b.finish(event: .programCycle)], dataBlocks: [image]))
        plc.start()
        plc.runCycles(2, cycleTime: .milliseconds(10))
        plc.stop()
        plc.start()
        let restarted = plc.snapshot().memory
        #expect(try restarted.area(.dataBlock(1))!.int(at: 0) == 7)
        #expect(try restarted.area(.dataBlock(1))!.int(at: 2) == 5)
        #expect(try restarted.area(.dataBlock(1))!.byte(at: 4) == 1)
        #expect(try restarted.area(.marker)!.byte(at: 1) == 3)  // MB0..MB1 retentive
        #expect(try restarted.area(.marker)!.byte(at: 2) == 0)
        plc.stop()
        plc.memoryReset()
        #expect(try plc.dbInt(1, 0) == 5)
        #expect(try plc.snapshot().memory.area(.marker)!.byte(at: 1) == 0)
    }

    @Test func cycleLongerThanTheMaximumStopsWithoutOB80() throws {
        let ob1 = Self.counterOB("Main", number: 1, event: .programCycle)
        let plc = VirtualPLC(configuration: .init(maximumCycleTime: .milliseconds(5)))
        try plc.load(CompiledProgram(blocks: [ob1], dataBlocks: [db(1, size: 2)]))
        plc.start()
        plc.runCycles(1, cycleTime: .milliseconds(10))
        #expect(plc.snapshot().mode == .stop(.timeError))

        let ob80 = Self.counterOB("TimeErr", number: 80, event: .timeError, offset: 0)
        let tolerant = VirtualPLC(configuration: .init(maximumCycleTime: .milliseconds(5)))
        try tolerant.load(CompiledProgram(blocks: [ob1, ob80], dataBlocks: [db(1, size: 2)]))
        tolerant.start()
        tolerant.runCycles(3, cycleTime: .milliseconds(10))
        #expect(tolerant.snapshot().mode == .run)
        #expect(try tolerant.dbInt(1, 0) == 6)  // OB1 and OB80 each ran three times
    }

    @Test func endlessLoopIsStoppedByTheWatchdog() throws {
        let plc = VirtualPLC(configuration: .init(maximumCycleTime: .milliseconds(20)))
        var b = BytecodeBuilder(kind: .organizationBlock, name: "Main", number: 1)
        let top = b.label()
        b.bind(top)
        b.at(line: 3)
        b.jump(to: top)
        try plc.load(CompiledProgram(blocks: [b.finish(event: .programCycle)]))
        plc.start()
        plc.runCycles(1, cycleTime: .milliseconds(10))
        #expect(plc.snapshot().mode == .stop(.timeError))
        #expect(
            plc.snapshot().diagnostics.contains { $0.eventID == DiagnosticEventID.cycleTimeExceeded && $0.line == 3 })
    }

    @Test func loadNeedsStopAndStartNeedsAProgram() throws {
        let plc = VirtualPLC()
        plc.start()
        #expect(plc.snapshot().mode == .stop(.initial))
        try plc.load(
            CompiledProgram(
                blocks: [Self.counterOB("Main", number: 1, event: .programCycle)], dataBlocks: [db(1, size: 2)]))
        plc.start()
        #expect(throws: PLCError.self) { try plc.load(CompiledProgram(blocks: [])) }
    }

    @Test func realTimeThreadRunsCycles() async throws {
        let plc = VirtualPLC(configuration: .init(clock: .scaled(10), minimumCycleTime: .milliseconds(10)))
        try plc.load(
            CompiledProgram(
                blocks: [Self.counterOB("Main", number: 1, event: .programCycle)], dataBlocks: [db(1, size: 2)]))
        plc.startThread()
        plc.start()
        try await Task.sleep(for: .milliseconds(100))
        plc.shutdown()
        let snapshot = plc.snapshot()
        #expect(snapshot.mode == .run)
        #expect(snapshot.cycle > 5)
        #expect(try plc.dbInt(1, 0) == Int16(truncatingIfNeeded: snapshot.cycle))
    }
}

@Suite("CPUModeStateMachine")
struct CPUModeStateMachineTests {
    @Test func runStopAndErrorTransitions() {
        var machine = CPUModeStateMachine()
        #expect(machine.state == .stop(.initial))
        #expect(machine.requestRun(programLoaded: false) == .reject("no program is loaded"))
        #expect(machine.requestRun(programLoaded: true) == .runStartup)
        #expect(machine.state == .startup)
        #expect(machine.requestLoad() == .reject("the CPU must be in STOP to load a program"))
        #expect(machine.startupFinished() == .enterRun)
        #expect(machine.requestRun(programLoaded: true) == CPUModeStateMachine.Action.none)
        #expect(machine.fail(.programmingError) == .enterStop(.programmingError))
        #expect(machine.fail(.timeError) == CPUModeStateMachine.Action.none)
        #expect(machine.requestStop() == CPUModeStateMachine.Action.none)
        #expect(machine.requestLoad() == .loadProgram)
        #expect(machine.requestRun(programLoaded: true) == .runStartup)
        #expect(machine.startupFinished() == .enterRun)
        #expect(machine.requestStop() == .enterStop(.requested))
        #expect(machine.requestMemoryReset() == .resetMemory)
        #expect(machine.state == .stop(.memoryReset))
    }
}

@Suite("DiagnosticBuffer")
struct DiagnosticBufferTests {
    @Test func ringKeepsNewestEntries() {
        var buffer = DiagnosticBuffer(capacity: 3)
        for index in 1...5 { buffer.append(time: .milliseconds(index), eventID: 1, text: "e\(index)") }
        #expect(buffer.entries.map(\.text) == ["e5", "e4", "e3"])
        #expect(buffer.entries.map(\.sequence) == [5, 4, 3])
    }
}
