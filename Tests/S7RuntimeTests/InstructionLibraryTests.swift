import S7Compiler
import S7Model
import S7Runtime
import Testing

@Suite("InstructionLibrary")
struct InstructionLibraryTests {
    /// OB1: a timer (TON by default) on DB1.DBB0 (16 bytes) with IN = %I0.0, PT = T#100ms; Q to %Q0.0, ET to
    /// DB2.DBD0.
    static func tonProgram(_ timer: BuiltinInstruction = .ton) -> CompiledProgram {
        var b = BytecodeBuilder(kind: .organizationBlock, name: "Main", number: 1)
        let w = b.registers(4)
        b.emit(.loadBit, a: w, d: 0, e: 0, area: .input)
        b.emit(.const32, a: w + 1, d: 100)
        b.emit(
            .builtin, a: timer.rawValue, b: w, c: 1, d: 0, e: Int32(ValueType.time.rawValue),
            area: .globalDB)
        b.emit(.storeBit, a: w + 2, d: 0, e: 0, area: .output)
        b.emit(.store32, a: w + 3, b: 2, d: 0, area: .globalDB)
        return CompiledProgram(
            blocks: [b.finish(event: .programCycle)], dataBlocks: [db(1, size: 16), db(2, size: 4)])
    }

    @Test func tonSetsQAfterPresetTimeAndClampsET() throws {
        let plc = VirtualPLC()
        try plc.load(Self.tonProgram())
        plc.start()
        plc.runCycles(2, cycleTime: .milliseconds(10))
        try plc.write(.bit(.input, offset: 0, bit: 0, true))
        plc.runCycles(1, cycleTime: .milliseconds(10))  // IN rises here
        #expect(try plc.dbDInt(2, 0) == 0)
        plc.runCycles(9, cycleTime: .milliseconds(10))
        #expect(try plc.dbDInt(2, 0) == 90)
        #expect(try plc.bit(.output, 0, 0) == false)
        plc.runCycles(1, cycleTime: .milliseconds(10))
        #expect(try plc.dbDInt(2, 0) == 100)
        #expect(try plc.bit(.output, 0, 0) == true)
        plc.runCycles(20, cycleTime: .milliseconds(10))
        #expect(try plc.dbDInt(2, 0) == 100)
        // The instance shows PT, ET, IN and Q where StandardLayout puts SystemTypes' members.
        #expect(try plc.dbDInt(1, 4) == 100)
        #expect(try plc.dbDInt(1, 0) == 100)
        #expect(try plc.bit(.dataBlock(1), 8, 0) == true)
        #expect(try plc.bit(.dataBlock(1), 8, 1) == true)
        try plc.write(.bit(.input, offset: 0, bit: 0, false))
        plc.runCycles(1, cycleTime: .milliseconds(10))
        #expect(try plc.bit(.output, 0, 0) == false)
        #expect(try plc.dbDInt(2, 0) == 0)
    }

    /// Steps a timer program: for each entry of `inputs`, sets %I0.0 and runs one 10 ms cycle; returns (Q, ET).
    static func timeline(_ timer: BuiltinInstruction, _ inputs: [Bool]) throws -> [(Bool, Int32)] {
        let plc = VirtualPLC()
        try plc.load(Self.tonProgram(timer))
        plc.start()
        var result: [(Bool, Int32)] = []
        for input in inputs {
            try plc.write(.bit(.input, offset: 0, bit: 0, input))
            plc.runCycles(1, cycleTime: .milliseconds(10))
            result.append((try plc.bit(.output, 0, 0), try plc.dbDInt(2, 0)))
        }
        return result
    }

    @Test func tofHoldsQForPresetTimeAfterINFalls() throws {
        let inputs = [true, true] + [Bool](repeating: false, count: 12)
        let trace = try Self.timeline(.tof, inputs)
        #expect(trace[1].0 == true)
        #expect(trace[2].0 == true && trace[2].1 == 0)  // IN fell: timing starts
        #expect(trace[11].0 == true && trace[11].1 == 90)
        #expect(trace[12].0 == false && trace[12].1 == 100)
        #expect(trace[13].0 == false && trace[13].1 == 100)  // ET stays at PT until IN rises again
    }

    @Test func tpGivesOnePulseOfPresetLengthAndIgnoresRetrigger() throws {
        // IN pulses for two cycles, then again during the pulse: Q stays exactly 100 ms.
        var inputs = [Bool](repeating: false, count: 14)
        inputs[0] = true
        inputs[1] = true
        inputs[5] = true
        let trace = try Self.timeline(.tp, inputs)
        #expect(trace.prefix(10).allSatisfy { $0.0 })
        #expect(trace[10].0 == false)
        #expect(trace[10].1 == 0)  // pulse over and IN false: ET resets
        #expect(trace[9].1 == 90)
    }

    /// Runs one built-in `count` times through a window of 8 registers, with `inputs` set before each call by
    /// `feed(call)`, and returns the window after each call.
    static func drive(
        _ builtin: BuiltinInstruction, type: ValueType = .int, instanceSize: Int = 16, count: Int = 1,
        argumentCount: Int32 = 0, feed: @escaping (Int) -> [UInt64]
    ) throws -> [[UInt64]] {
        var results: [[UInt64]] = []
        var state = [UInt8](repeating: 0, count: instanceSize)
        for call in 0..<count {
            var b = BytecodeBuilder(kind: .organizationBlock, name: "Main", number: 1)
            let w = b.registers(8)
            for (index, value) in feed(call).enumerated() { b.loadConstant(w + UInt16(index), bits: value) }
            b.emit(
                .builtin, a: builtin.rawValue, b: w, c: 1, d: builtin.hasInstance ? 0 : argumentCount,
                e: Int32(type.rawValue), area: builtin.hasInstance ? .globalDB : .none)
            for index in 0..<8 { b.emit(.store64, a: w + UInt16(index), b: 2, d: Int32(8 * index), area: .globalDB) }
            let plc = VirtualPLC()
            try plc.load(
                CompiledProgram(
                    blocks: [b.finish(event: .programCycle)],
                    dataBlocks: [DataBlockImage(number: 1, name: "I", bytes: state), db(2, size: 64)]))
            plc.start()
            plc.runCycles(1, cycleTime: .milliseconds(10))
            let memory = plc.snapshot().memory
            state = memory.area(.dataBlock(1))!.bytes
            results.append(try (0..<8).map { i in try memory.area(.dataBlock(2))!.lword(at: 8 * i) })
        }
        return results
    }

    @Test func rTrigDetectsRisingEdgesOnly() throws {
        let clk: [UInt64] = [0, 1, 1, 0, 1]
        let q = try Self.drive(.rTrig, instanceSize: 2, count: clk.count) { [clk[$0]] }.map { $0[1] }
        #expect(q == [0, 1, 0, 0, 1])
    }

    @Test func ctuCountsRisingEdgesAndResets() throws {
        // CU, R, PV = 2 → Q at +3, CV at +4.
        let cu: [UInt64] = [1, 0, 1, 1, 0, 1, 0]
        let r: [UInt64] = [0, 0, 0, 0, 0, 0, 1]
        let out = try Self.drive(.ctu, instanceSize: 6, count: cu.count) { [cu[$0], r[$0], 2] }
        #expect(out.map { $0[4] } == [1, 1, 2, 2, 2, 3, 0])
        #expect(out.map { $0[3] } == [0, 0, 1, 1, 1, 1, 0])
    }

    @Test func limitMinMaxSelMux() throws {
        let limited = try Self.drive(.limit) { _ in [0, 150, 100] }[0][0]
        #expect(limited == 100)
        let smallest = try Self.drive(.min, argumentCount: 3) { _ in [7, 3, 9] }[0][0]
        #expect(smallest == 3)
        let negative = UInt64(bitPattern: -5)
        let largest = try Self.drive(.max, type: .dInt, argumentCount: 2) { _ in [negative, 2] }[0][0]
        #expect(largest == 2)
        #expect(try Self.drive(.sel) { _ in [1, 10, 20] }[0][0] == 20)
        #expect(try Self.drive(.mux, argumentCount: 3) { _ in [2, 10, 20, 30] }[0][0] == 30)
    }

    @Test func mathAndShifts() throws {
        let root = try Self.drive(.sqrt, type: .real) { _ in [UInt64(Float(16).bitPattern)] }[0][0]
        #expect(Float(bitPattern: UInt32(root)) == 4)
        let shifted = try Self.drive(.shl, type: .word) { _ in [0x8001, 1] }[0][0]
        #expect(UInt16(truncatingIfNeeded: shifted) == 0x0002)
        let rotated = try Self.drive(.rol, type: .word) { _ in [0x8001, 1] }[0][0]
        #expect(UInt16(truncatingIfNeeded: rotated) == 0x0003)
    }
}

@Suite("FILL_BLK and MOVE_BLK")
struct BlockInstructionTests {
    /// DB1: src Array[0..4] of Int at 0, dst Array[1..6] of Int at 10. OB1 fills src[1..3] with 7, then moves
    /// `count` elements from src[0] to dst[2]; %M0.0 := ENO.
    static func run(count: Int32) throws -> VirtualPLC {
        var b = BytecodeBuilder(kind: .organizationBlock, name: "Main", number: 1)
        let src = b.array(ArrayDescriptor(low: 0, count: 5, stride: 2))
        let dst = b.array(ArrayDescriptor(low: 1, count: 6, stride: 2))
        let w = b.registers(3)
        let eno = b.register()
        b.emit(.const32, a: w, d: 7)
        b.emit(.const32, a: w + 1, d: 3)
        b.emit(.const32, a: w + 2, d: 1)
        b.emit(.fillBlock, a: w, b: 1, d: 0, e: src, area: .globalDB)
        b.emit(.const32, a: w, d: count)
        b.emit(.const32, a: w + 1, d: 0)
        b.emit(.const32, a: w + 2, d: 2)
        b.emit(.moveBlock, a: w, b: 1, d: 10, e: dst, area: .globalDB)
        b.emit(.operand, b: 1, d: 0, e: src, area: .globalDB)
        b.emit(.getENO, a: eno)
        b.emit(.storeBit, a: eno, d: 0, e: 0, area: .marker)
        let plc = VirtualPLC()
        try plc.load(CompiledProgram(blocks: [b.finish(event: .programCycle)], dataBlocks: [db(1, size: 22)]))
        plc.start()
        plc.runCycles(1, cycleTime: .milliseconds(10))
        return plc
    }

    @Test func fillAndMoveCopyElements() throws {
        let plc = try Self.run(count: 4)
        #expect(try (0..<5).map { try plc.dbInt(1, 2 * $0) } == [0, 7, 7, 7, 0])
        #expect(try (0..<6).map { try plc.dbInt(1, 10 + 2 * $0) } == [0, 0, 7, 7, 7, 0])
        #expect(try plc.bit(.marker, 0, 0) == true)
    }

    @Test func moveOutsideTheArrayCopiesNothingAndClearsENO() throws {
        let plc = try Self.run(count: 6)
        #expect(try (0..<6).map { try plc.dbInt(1, 10 + 2 * $0) } == [0, 0, 0, 0, 0, 0])
        #expect(try plc.bit(.marker, 0, 0) == false)
    }
}
