import S7Compiler
import S7Model
import S7Runtime
import S7TestSupport
import Synchronization
import Testing

@Suite("BytecodeVM")
struct BytecodeVMTests {
    @Test func intAdditionWrapsAtSixteenBits() throws {
        let plc = try runMain(dataBlocks: [db(1, size: 8)]) { b in
            let x = b.register()
            let one = b.register()
            b.emit(.const32, a: x, d: 32767)
            b.emit(.const32, a: one, d: 1)
            b.emit(.addI16, a: x, b: x, c: one)
            b.emit(.store16, a: x, b: 1, d: 0, area: .globalDB)
            // DINT 2147483647 + 1 wraps to -2147483648.
            b.emit(.const32, a: x, d: Int32.max)
            b.emit(.addI32, a: x, b: x, c: one)
            b.emit(.store32, a: x, b: 1, d: 2, area: .globalDB)
        }
        #expect(try plc.dbInt(1, 0) == -32768)
        #expect(try plc.dbDInt(1, 2) == Int32.min)
    }

    @Test func loadSignExtendsAndIntMultiplicationWraps() throws {
        let plc = try runMain(dataBlocks: [DataBlockImage(number: 2, name: "D", bytes: [0xFF, 0xFE, 0, 0, 0, 0])]) {
            b in
            let x = b.register()
            let y = b.register()
            b.emit(.loadS16, a: x, b: 2, d: 0, area: .globalDB)  // -2
            b.emit(.const32, a: y, d: 20000)
            b.emit(.mulI16, a: y, b: y, c: x)  // -40000 wraps to 25536
            b.emit(.store16, a: y, b: 2, d: 2, area: .globalDB)
            b.emit(.extS, a: x, b: x, d: 16)
            b.emit(.store16, a: x, b: 2, d: 4, area: .globalDB)
        }
        #expect(try plc.dbInt(2, 2) == 25536)
        #expect(try plc.dbInt(2, 4) == -2)
    }

    @Test func realArithmeticAndRoundingConversion() throws {
        let plc = try runMain(dataBlocks: [db(1, size: 16)]) { b in
            let x = b.register()
            let y = b.register()
            let z = b.register()
            b.loadConstant(x, real: 1.5)
            b.loadConstant(y, real: 2.25)
            b.emit(.mulF32, a: z, b: x, c: y)  // 3.375
            b.emit(.store32, a: z, b: 1, d: 0, area: .globalDB)
            b.loadConstant(x, real: 2.5)
            b.emit(.f32ToInt, a: z, b: x, c: UInt16(ValueType.dInt.rawValue), e: RoundingMode.nearestEven.rawValue)
            b.emit(.store32, a: z, b: 1, d: 4, area: .globalDB)  // ROUND(2.5) = 2
            b.loadConstant(x, real: -3.5)
            b.emit(.f32ToInt, a: z, b: x, c: UInt16(ValueType.int.rawValue), e: RoundingMode.nearestEven.rawValue)
            b.emit(.store16, a: z, b: 1, d: 8, area: .globalDB)  // -4
            b.emit(.f32ToInt, a: z, b: x, c: UInt16(ValueType.int.rawValue), e: RoundingMode.truncate.rawValue)
            b.emit(.store16, a: z, b: 1, d: 10, area: .globalDB)  // TRUNC(-3.5) = -3
            b.emit(.intToF32, a: z, b: z, e: Int32(ValueType.int.rawValue))
            b.emit(.divF32, a: z, b: z, c: y)
            b.emit(.store32, a: z, b: 1, d: 12, area: .globalDB)
        }
        #expect(try plc.dbReal(1, 0) == 3.375)
        #expect(try plc.dbDInt(1, 4) == 2)
        #expect(try plc.dbInt(1, 8) == -4)
        #expect(try plc.dbInt(1, 10) == -3)
        #expect(try plc.dbReal(1, 12) == Float(-3) / 2.25)
    }

    @Test func conversionsCheckTheirRangeThroughENO() throws {
        let plc = try runMain(dataBlocks: [db(1, size: 16)]) { b in
            let x = b.register()
            let y = b.register()
            let eno = b.register()
            b.emit(.const32, a: x, d: 40000)  // DINT 40000 → INT: out of range, low bits kept
            b.emit(.intToInt, a: y, b: x, c: UInt16(ValueType.int.rawValue), e: Int32(ValueType.dInt.rawValue))
            b.emit(.store16, a: y, b: 1, d: 0, area: .globalDB)
            b.emit(.getENO, a: eno)
            b.emit(.storeBit, a: eno, d: 0, e: 0, area: .marker)
            b.emit(.const32, a: eno, d: 1)
            b.emit(.setENO, a: eno)
            b.emit(.const32, a: x, d: -1)  // UDINT 16#FFFF_FFFF → LREAL 4294967295
            b.emit(.intToF64, a: y, b: x, e: Int32(ValueType.udInt.rawValue))
            b.emit(.store64, a: y, b: 1, d: 2, area: .globalDB)
            b.loadConstant(x, real: 1e10)  // REAL 1.0E10 → DINT: out of range
            b.emit(.f32ToInt, a: y, b: x, c: UInt16(ValueType.dInt.rawValue), e: RoundingMode.nearestEven.rawValue)
            b.emit(.store32, a: y, b: 1, d: 10, area: .globalDB)
            b.emit(.getENO, a: eno)
            b.emit(.storeBit, a: eno, d: 0, e: 1, area: .marker)
        }
        #expect(try plc.dbInt(1, 0) == Int16(truncatingIfNeeded: 40000))
        #expect(try plc.bit(.marker, 0, 0) == false)
        #expect(try plc.snapshot().memory.area(.dataBlock(1))!.lreal(at: 2) == 4_294_967_295)
        #expect(try plc.dbDInt(1, 10) == 0)
        #expect(try plc.bit(.marker, 0, 1) == false)
    }

    @Test func bitLogicOnInputsOutputsAndMarkers() throws {
        var builder = BytecodeBuilder(kind: .organizationBlock, name: "Main", number: 1)
        let a = builder.register()
        let b = builder.register()
        let c = builder.register()
        // %Q0.1 := %I0.0 AND NOT %M10.7;  %M10.7 := %I0.0 OR %M10.7
        builder.emit(.loadBit, a: a, d: 0, e: 0, area: .input)
        builder.emit(.loadBit, a: b, d: 10, e: 7, area: .marker)
        builder.emit(.notBool, a: c, b: b)
        builder.emit(.and, a: c, b: a, c: c)
        builder.emit(.storeBit, a: c, d: 0, e: 1, area: .output)
        builder.emit(.or, a: b, b: a, c: b)
        builder.emit(.storeBit, a: b, d: 10, e: 7, area: .marker)
        let plc = VirtualPLC()
        try plc.load(CompiledProgram(blocks: [builder.finish(event: .programCycle)]))
        plc.start()
        plc.runCycles(1, cycleTime: .milliseconds(10))
        #expect(try plc.bit(.output, 0, 1) == false)
        try plc.write(.bit(.input, offset: 0, bit: 0, true))
        plc.runCycles(1, cycleTime: .milliseconds(10))
        #expect(try plc.bit(.output, 0, 1) == true)
        #expect(try plc.bit(.marker, 10, 7) == true)
        plc.runCycles(1, cycleTime: .milliseconds(10))
        #expect(try plc.bit(.output, 0, 1) == false)
    }

    @Test func loopSumsOneToHundred() throws {
        let plc = try runMain(dataBlocks: [db(1, size: 4)]) { b in
            let i = b.register()
            let sum = b.register()
            let limit = b.register()
            b.emit(.const32, a: i, d: 1)
            b.emit(.const32, a: limit, d: 100)
            let top = b.label()
            b.bind(top)
            b.emit(.addI32, a: sum, b: sum, c: i)
            b.emit(.addImmI32, a: i, b: i, d: 1)
            b.jump(.jumpLeS32, to: top, b: i, c: limit)
            b.emit(.store32, a: sum, b: 1, d: 0, area: .globalDB)
        }
        #expect(try plc.dbDInt(1, 0) == 5050)
    }

    @Test func functionBlockKeepsStateInEachInstance() throws {
        // FB "Count": static n : INT at 0; IN step : INT at 2; n := n + step.
        var fb = BytecodeBuilder(kind: .functionBlock, name: "Count", number: 1)
        let n = fb.register()
        let step = fb.register()
        fb.emit(.loadS16, a: n, d: 0, area: .instance)
        fb.emit(.loadS16, a: step, d: 2, area: .instance)
        fb.emit(.addI16, a: n, b: n, c: step)
        fb.emit(.store16, a: n, d: 0, area: .instance)
        let count = fb.finish(instanceSize: 4)
        let plc = try runMain(dataBlocks: [db(10, size: 4), db(11, size: 4)], extra: [count], cycles: 3) { b in
            let v = b.register()
            let window = b.register()
            b.emit(.const32, a: v, d: 1)
            b.emit(.store16, a: v, b: 10, d: 2, area: .globalDB)
            b.emit(.callFB, a: 0, b: window, c: 10, d: 0, area: .globalDB)
            b.emit(.const32, a: v, d: 5)
            b.emit(.store16, a: v, b: 11, d: 2, area: .globalDB)
            b.emit(.callFB, a: 0, b: window, c: 11, d: 0, area: .globalDB)
        }
        #expect(try plc.dbInt(10, 0) == 3)
        #expect(try plc.dbInt(11, 0) == 15)
    }

    @Test func functionPassesInputsAndOutputsInItsWindow() throws {
        // FC "Scale" (a : INT r0, b : INT r1, OUT sum : INT r2, IN_OUT acc : DINT r3) : INT r4
        var fc = BytecodeBuilder(kind: .function, name: "Scale", number: 1)
        _ = fc.registers(5)
        let tmp = fc.register()
        fc.emit(.addI16, a: 2, b: 0, c: 1)
        fc.emit(.addI32, a: 3, b: 3, c: 2)
        fc.emit(.mulI16, a: 4, b: 0, c: 1)
        fc.emit(.const32, a: tmp, d: 0)
        let interface = [
            InterfaceSlot(name: "a", section: .input, dataType: .int, location: .register(0)),
            InterfaceSlot(name: "b", section: .input, dataType: .int, location: .register(1)),
            InterfaceSlot(name: "sum", section: .output, dataType: .int, location: .register(2)),
            InterfaceSlot(name: "acc", section: .inOut, dataType: .dInt, location: .register(3)),
            InterfaceSlot(name: "Ret_Val", section: .return, dataType: .int, location: .register(4)),
        ]
        let scale = fc.finish(interface: interface)
        let plc = try runMain(dataBlocks: [db(1, size: 8)], extra: [scale]) { b in
            let keep = b.register()
            let w = b.registers(5)
            b.emit(.const32, a: keep, d: 99)
            b.emit(.const32, a: w, d: 6)
            b.emit(.const32, a: w + 1, d: 7)
            b.emit(.const32, a: w + 3, d: 100)
            b.emit(.callFC, a: 0, b: w)
            b.emit(.store16, a: w + 2, b: 1, d: 0, area: .globalDB)
            b.emit(.store32, a: w + 3, b: 1, d: 2, area: .globalDB)
            b.emit(.store16, a: w + 4, b: 1, d: 6, area: .globalDB)
            b.emit(.addI16, a: keep, b: keep, c: keep)
        }
        #expect(try plc.dbInt(1, 0) == 13)
        #expect(try plc.dbDInt(1, 2) == 113)
        #expect(try plc.dbInt(1, 6) == 42)
    }

    @Test func indexedAccessReadsArrayElements() throws {
        // Array[1..4] of INT at DB1.0; x := arr[3].
        let bytes: [UInt8] = [0, 10, 0, 20, 0, 30, 0, 40, 0, 0]
        let plc = try runMain(dataBlocks: [DataBlockImage(number: 1, name: "A", bytes: bytes)]) { b in
            let i = b.register()
            let x = b.register()
            b.emit(.const32, a: i, d: 3)
            b.emit(.checkIndex, a: i, b: i, d: 1, e: 4)
            b.emit(.loadS16x, a: x, b: 1, c: i, d: 0, e: 2, area: .globalDB)
            b.emit(.store16, a: x, b: 1, d: 8, area: .globalDB)
        }
        #expect(try plc.dbInt(1, 8) == 30)
    }

    @Test func linkerRejectsStaticAccessOutsideTheDB() {
        var builder = BytecodeBuilder(kind: .organizationBlock, name: "Main", number: 1)
        builder.emit(.store32, a: 0, b: 1, d: 2, area: .globalDB)
        let plc = VirtualPLC()
        #expect(throws: PLCError.self) {
            try plc.load(CompiledProgram(blocks: [builder.finish(event: .programCycle)], dataBlocks: [db(1, size: 4)]))
        }
    }
}

@Suite("BytecodeVM arrays and loops")
struct BytecodeVMArrayTests {
    /// `Array[1..4] of Int` at DB1.0: sums it with a loop step instruction, then reads element `index`.
    static func program(index: Int32) -> (CompiledBlock, [DataBlockImage]) {
        var b = BytecodeBuilder(kind: .organizationBlock, name: "Main", number: 1)
        let arr = b.array(ArrayDescriptor(low: 1, count: 4, stride: 2))
        let i = b.register()
        let sum = b.register()
        let value = b.register()
        let last = b.register()
        b.at(line: 1)
        b.emit(.const32, a: i, d: 1)
        b.emit(.const32, a: last, d: 4)
        let loop = b.label()
        b.bind(loop)
        b.at(line: 2)
        b.emit(.loadS16a, a: value, b: 1, c: i, d: 0, e: arr, area: .globalDB)
        b.emit(.addI16, a: sum, b: sum, c: value)
        b.jump(.incJumpLeS32, to: loop, a: i, c: last, e: 1)
        b.emit(.store16, a: sum, b: 1, d: 8, area: .globalDB)
        b.at(line: 3)
        b.emit(.const32, a: i, d: index)
        b.emit(.const32, a: value, d: -1)
        b.emit(.store16a, a: value, b: 1, c: i, d: 0, e: arr, area: .globalDB)
        let bytes: [UInt8] = [0, 10, 0, 20, 0, 30, 0, 40, 0, 0]
        return (b.finish(event: .programCycle), [DataBlockImage(number: 1, name: "A", bytes: bytes)])
    }

    @Test func arrayElementsAreReadAndWrittenByIndex() throws {
        let (main, dbs) = Self.program(index: 2)
        let plc = VirtualPLC()
        try plc.load(CompiledProgram(blocks: [main], dataBlocks: dbs))
        plc.start()
        plc.runCycles(1, cycleTime: .milliseconds(10))
        #expect(try plc.dbInt(1, 8) == 100)
        #expect(try plc.dbInt(1, 2) == -1)
    }

    @Test func arrayIndexOutsideTheBoundsStopsWithoutOB121() throws {
        let (main, dbs) = Self.program(index: 5)
        let plc = VirtualPLC()
        try plc.load(CompiledProgram(blocks: [main], dataBlocks: dbs))
        plc.start()
        plc.runCycles(1, cycleTime: .milliseconds(10))
        let snapshot = plc.snapshot()
        #expect(snapshot.mode == .stop(.programmingError))
        let entry = try #require(snapshot.diagnostics.first { $0.eventID == DiagnosticEventID.arrayIndexError })
        #expect(entry.line == 3)
        #expect(entry.text.contains("array index 5 is outside 1..4"))
        #expect(try plc.dbInt(1, 8) == 100)
    }

    @Test func linkerRejectsAnArrayLargerThanItsArea() {
        var b = BytecodeBuilder(kind: .organizationBlock, name: "Main", number: 1)
        let arr = b.array(ArrayDescriptor(low: 0, count: 3, stride: 4))
        b.emit(.loadS32a, a: 0, b: 1, c: 0, d: 0, e: arr, area: .globalDB)
        let plc = VirtualPLC()
        #expect(throws: PLCError.self) {
            try plc.load(CompiledProgram(blocks: [b.finish(event: .programCycle)], dataBlocks: [db(1, size: 10)]))
        }
    }

    @Test func traceReportsEachInstructionWithItsLine() throws {
        let (main, dbs) = Self.program(index: 1)
        let plc = VirtualPLC()
        try plc.load(CompiledProgram(blocks: [main], dataBlocks: dbs))
        let lines = TraceCollector()
        plc.setTrace { record in lines.append("\(record.line ?? 0) \(record.index) \(record.instruction)") }
        plc.start()
        plc.runCycles(1, cycleTime: .milliseconds(10))
        plc.setTrace(nil)
        plc.runCycles(1, cycleTime: .milliseconds(10))
        let trace = lines.lines
        #expect(trace.count == 2 + 4 * 3 + 1 + 3 + 1)
        #expect(trace.first == "1 0 const32     r0, 1")
        #expect(trace.contains("2 2 load.s16.a  r2, DB1[0 + array0(r0)]"))
        #expect(trace.last == "3 9 ret")
    }
}

/// Collects trace lines from the cycle's thread.
final class TraceCollector: Sendable {
    private let storage = Mutex<[String]>([])

    func append(_ line: String) { storage.withLock { $0.append(line) } }
    var lines: [String] { storage.withLock { $0 } }
}

@Suite("Linker")
struct LinkerTests {
    static func load(_ block: CompiledBlock, dataBlocks: [DataBlockImage] = []) throws {
        try VirtualPLC().load(CompiledProgram(blocks: [block], dataBlocks: dataBlocks))
    }

    @Test func codeMustEndInReturnOrJump() {
        let open = CompiledBlock(
            kind: .organizationBlock, name: "Main", number: 1, instructions: [BytecodeInstruction(.nop)],
            event: .programCycle)
        #expect(throws: PLCError.self) { try Self.load(open) }
    }

    @Test func callsAndJumpsMustResolve() {
        var call = BytecodeBuilder(kind: .organizationBlock, name: "Main", number: 1)
        call.emit(.callFC, a: 5)
        #expect(throws: PLCError.self) { try Self.load(call.finish(event: .programCycle)) }
        var jump = BytecodeBuilder(kind: .organizationBlock, name: "Main", number: 1)
        jump.emit(.jump, d: 99)
        #expect(throws: PLCError.self) { try Self.load(jump.finish(event: .programCycle)) }
        var missing = BytecodeBuilder(kind: .organizationBlock, name: "Main", number: 1)
        missing.emit(.loadS16, a: 0, b: 42, d: 0, area: .globalDB)
        #expect(throws: PLCError.self) { try Self.load(missing.finish(event: .programCycle)) }
        var selfInOB = BytecodeBuilder(kind: .organizationBlock, name: "Main", number: 1)
        selfInOB.emit(.loadS16, a: 0, d: 0, area: .instance)
        #expect(throws: PLCError.self) { try Self.load(selfInOB.finish(event: .programCycle)) }
    }
}

/// `fill.loop` and `count.loop` against the loops they stand for, worked out bit by bit here: seeded random arrays,
/// ranges (some leaving the array, some empty), steps of 1 to 80 bits, values, totals of 16, 32 and 64 bits.
@Suite("Fill and count loops")
struct BitLoopTests {
    struct Trial {
        var bytes: [UInt8]
        var bitOffset: Int
        var low: Int
        var count: Int
        var start: Int
        var end: Int
        var step: Int

        init(_ random: inout SeededRandom) {
            bytes = (0..<48).map { _ in UInt8.random(in: 0...255, using: &random) }
            bitOffset = Int.random(in: 0..<24, using: &random)
            low = Int.random(in: -5...5, using: &random)
            count = Int.random(in: 1...(48 * 8 - bitOffset), using: &random)
            start = low + Int.random(in: -2..<count, using: &random)
            end = start + Int.random(in: -3...count, using: &random)
            step = Int.random(in: 1...80, using: &random)
        }

        /// The indexes the loop visits, or nil when one of them leaves the array (the loop is then left to run).
        var indexes: [Int]? {
            guard start <= end else { return [] }
            let visited = Array(stride(from: start, through: end, by: step))
            return visited.allSatisfy { $0 >= low && $0 < low + count } ? visited : nil
        }

        func bitAddress(_ index: Int) -> (byte: Int, bit: Int) {
            let bit = bitOffset + index - low
            return (bit >> 3, bit & 7)
        }

        /// The counter after the instruction: past the end when done, else where it started.
        var counterAfter: Int32 {
            guard let indexes, let last = indexes.last else { return Int32(start) }
            return Int32(last + step)
        }

        /// Counter, end and step in r0…r2, the instruction and its operand for DB1's array.
        func emit(_ b: inout BytecodeBuilder, _ opcode: Opcode, b value: UInt16, e: Int32, c: UInt16) {
            let array = b.array(ArrayDescriptor(low: Int32(low), count: Int32(count), stride: 1))
            b.emit(.const32, a: 0, d: Int32(start))
            b.emit(.const32, a: 1, d: Int32(end))
            b.emit(.const32, a: 2, d: Int32(step))
            b.emit(opcode, a: 0, b: value, c: 1, d: 2, e: e)
            b.emit(.operand, a: 1, b: 1, c: c, d: Int32(bitOffset), e: array, area: .globalDB)
            b.emit(.store32, a: 0, b: 2, d: 0, area: .globalDB)
        }
    }

    @Test func fillLoopSetsOrClearsTheBitsItsLoopWould() throws {
        var random = SeededRandom(seed: 1)
        for trial in 0..<400 {
            let t = Trial(&random)
            let on = Bool.random(using: &random)
            let plc = try runMain(
                dataBlocks: [DataBlockImage(number: 1, name: "Bits", bytes: t.bytes), db(2, size: 4)]
            ) { b in
                _ = b.registers(4)
                b.emit(.const32, a: 3, d: on ? 1 : 0)
                t.emit(&b, .fillLoop, b: 3, e: 0, c: UInt16(ValueType.bool.rawValue))
            }
            var expected = t.bytes
            for index in t.indexes ?? [] {
                let (byte, bit) = t.bitAddress(index)
                expected[byte] = on ? expected[byte] | 1 << bit : expected[byte] & ~(1 << bit)
            }
            let memory = plc.snapshot().memory
            #expect(memory.area(.dataBlock(1))?.bytes == expected, "trial \(trial)")
            #expect(try plc.dbDInt(2, 0) == t.counterAfter, "trial \(trial)")
        }
    }

    @Test func countLoopAddsWhatItsLoopWould() throws {
        var random = SeededRandom(seed: 2)
        for trial in 0..<400 {
            let t = Trial(&random)
            let countsTrue = Bool.random(using: &random)
            let addend = Int32.random(in: -3...3, using: &random)
            let width = [16, 32, 64].randomElement(using: &random)!
            let total = Int64.random(in: -40_000...40_000, using: &random)
            let plc = try runMain(
                dataBlocks: [DataBlockImage(number: 1, name: "Bits", bytes: t.bytes), db(2, size: 16)]
            ) { b in
                _ = b.registers(4)
                b.loadConstant(3, width == 16 ? Int64(Int16(truncatingIfNeeded: total)) : total)
                t.emit(&b, .countLoop, b: 3, e: addend, c: UInt16(width + (countsTrue ? 1 : 0)))
                b.emit(.store64, a: 3, b: 2, d: 8, area: .globalDB)
            }
            var sum = width == 16 ? Int64(Int16(truncatingIfNeeded: total)) : total
            for index in t.indexes ?? [] {
                let (byte, bit) = t.bitAddress(index)
                if (t.bytes[byte] >> bit) & 1 == (countsTrue ? 1 : 0) { sum += Int64(addend) }
            }
            let stored = try #require(plc.snapshot().memory.area(.dataBlock(2))).lint(at: 8)
            switch width {
            case 16: #expect(Int16(truncatingIfNeeded: stored) == Int16(truncatingIfNeeded: sum), "trial \(trial)")
            case 32: #expect(Int32(truncatingIfNeeded: stored) == Int32(truncatingIfNeeded: sum), "trial \(trial)")
            default: #expect(stored == sum, "trial \(trial)")
            }
            #expect(try plc.dbDInt(2, 0) == t.counterAfter, "trial \(trial)")
            #expect(plc.snapshot().memory.area(.dataBlock(1))?.bytes == t.bytes, "trial \(trial)")
        }
    }
}
