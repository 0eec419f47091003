import S7Compiler

/// Why a program cannot be loaded: an operand outside its area, a call of a missing block, a jump outside the
/// block. The linker checks every static operand so the interpreter can skip those checks.
public struct LinkError: Error, Hashable, Sendable, CustomStringConvertible {
    public var block: String
    public var instruction: Int
    public var message: String

    public var description: String { "\(block) instruction \(instruction): \(message)" }
}

/// A programming error the program made at run time.
enum RuntimeFault: Hashable, Sendable {
    case arrayIndex(value: Int64, low: Int32, high: Int32)
    case areaLength(area: String, offset: Int, size: Int)
    case divisionByZero
    case stackOverflow
    case cycleWatchdog

    var eventID: UInt16 {
        switch self {
        case .arrayIndex: DiagnosticEventID.arrayIndexError
        case .areaLength: DiagnosticEventID.areaLengthError
        case .divisionByZero: DiagnosticEventID.divisionByZero
        case .stackOverflow: DiagnosticEventID.stackOverflow
        case .cycleWatchdog: DiagnosticEventID.cycleTimeExceeded
        }
    }

    var text: String {
        switch self {
        case .arrayIndex(let value, let low, let high): "array index \(value) is outside \(low)..\(high)"
        case .areaLength(let area, let offset, let size):
            "access to \(size) bytes at \(area) \(offset) is outside the area"
        case .divisionByZero: "integer division by zero"
        case .stackOverflow: "block nesting or local data exceeds the CPU's limit"
        case .cycleWatchdog: "cycle time exceeded twice the maximum cycle time"
        }
    }
}

/// Turns trace output on for one specialisation of the interpreter; the other compiles without it.
protocol TraceSwitch {
    static var isEnabled: Bool { get }
}

enum TraceOff: TraceSwitch {
    static var isEnabled: Bool { false }
}

enum TraceOn: TraceSwitch {
    static var isEnabled: Bool { true }
}

/// One executed instruction, for the trace switch.
public struct TraceRecord: Sendable {
    public var block: String
    public var index: Int
    public var line: Int?
    /// The instruction as the disassembler prints it.
    public var instruction: String
    /// The registers of the block's window before the instruction ran.
    public var registers: [UInt64]
}

/// A block prepared for the interpreter: raw pointers only, so copying it costs no reference counting.
struct LinkedBlock {
    var code: UnsafeMutablePointer<BytecodeInstruction>
    var count: Int
    var constants: UnsafeMutablePointer<UInt64>
    var arrays: UnsafeMutablePointer<ArrayDescriptor>
    var registerCount: Int
    var parameterCount: Int
    var tempSize: Int
    var parameterSize: Int
    var instanceSize: Int
}

/// The register VM: a linked program plus the memory slots it addresses.
///
/// Slots: 0 local data of the running block, 1 its instance data, 2 I, 3 Q, 4 M, then one per DB of the program.
/// `bind(_:)` points them at a `CPUMemory` for one cycle; `execute` runs a block. Only the cycle's thread uses it.
final class BytecodeVM {
    static let localSlot = 0
    static let instanceSlot = 1
    static let firstDBSlot = 5
    static let maxDepth = 64
    /// Backward jumps between two looks at the wall clock for the cycle watchdog.
    static let watchdogInterval = 1 << 16

    let program: CompiledProgram
    let blocks: UnsafeMutableBufferPointer<LinkedBlock>
    let slotBase: UnsafeMutablePointer<UnsafeMutableRawPointer>
    let slotSize: UnsafeMutablePointer<Int>
    let slotCount: Int
    /// DB number of each slot from `firstDBSlot` on.
    let dbNumbers: [Int]
    /// Slots the program writes to; `bind` makes those areas unique before the cycle.
    let writableSlots: [Bool]
    let registerFile: UnsafeMutablePointer<UInt64>
    let registerCapacity: Int
    let localStack: UnsafeMutableRawPointer
    let localCapacity: Int
    let programmingErrorOB: Int?
    /// ENO of the frame at each depth.
    let enoStack: UnsafeMutablePointer<UInt8>
    /// Backward jumps left until the next look at the wall clock.
    let watchdogBudget: UnsafeMutablePointer<Int>
    /// Placeholder for unbound slots: a valid address nothing is read from.
    private let emptyArea: UnsafeMutableRawPointer
    /// The state of the CPU's S5 timers, `S5TimerState.size` bytes each, and one more slot for timer numbers
    /// the CPU does not have.
    let s5Timers: UnsafeMutableRawPointer
    let s5TimerCount: Int
    /// The state of the CPU's S5 counters, `S5CounterState.size` bytes each, and one more slot as for the timers.
    let s5Counters: UnsafeMutableRawPointer
    let s5CounterCount: Int

    /// The millisecond clock IEC timers see (a wrapping UDINT).
    var nowMilliseconds: UInt32 = 0
    /// The nanosecond clock LTIME timers see (virtual time since the PLC was created).
    var nowNanoseconds: Int64 = 0
    /// The CPU's system time (UTC) in nanoseconds since 1970, for RD_SYS_T; it follows virtual time.
    var systemTime: Int64 = 0
    /// Local time minus system time in nanoseconds, for RD_LOC_T.
    var localTimeOffset: Int64 = 0
    /// Faults raised since the owner last looked, with their block and instruction index.
    var faults: [(fault: RuntimeFault, block: Int, instruction: Int)] = []
    /// Set when a fault must stop the CPU.
    var stopRequested = false
    var runningProgrammingErrorOB = false
    var watchdogDeadline: ContinuousClock.Instant?
    var trace: (@Sendable (TraceRecord) -> Void)?

    init(program: CompiledProgram, profile: CPUMemoryProfile) throws(LinkError) {
        self.program = program
        let dbs = program.dataBlocks.sorted { $0.number < $1.number }
        dbNumbers = dbs.map(\.number)
        var dbSlot: [Int: Int] = [:]
        for (index, db) in dbs.enumerated() { dbSlot[db.number] = BytecodeVM.firstDBSlot + index }
        slotCount = BytecodeVM.firstDBSlot + dbs.count
        var sizes = [0, 0, profile.inputSize, profile.outputSize, profile.markerSize] + dbs.map(\.bytes.count)
        var writable = [Bool](repeating: false, count: slotCount)
        programmingErrorOB = program.blocks.firstIndex {
            $0.kind == .organizationBlock && $0.event == .programmingError
        }

        var linked: [LinkedBlock] = []
        do throws(LinkError) {
            for (blockIndex, block) in program.blocks.enumerated() {
                var code = block.instructions
                // Execution must never run past the last instruction.
                guard let last = code.last?.opcode, last == .ret || last == .jump else {
                    throw LinkError(
                        block: block.displayName, instruction: code.count,
                        message: "the code does not end in ret or jump")
                }
                for index in code.indices {
                    try Linker.link(
                        &code[index], index: index, block: block, blockIndex: blockIndex, program: program,
                        dbSlot: dbSlot, sizes: &sizes, writable: &writable)
                }
                let codePointer = UnsafeMutablePointer<BytecodeInstruction>.allocate(capacity: max(code.count, 1))
                codePointer.initialize(from: code, count: code.count)
                let constants = UnsafeMutablePointer<UInt64>.allocate(capacity: max(block.constants.count, 1))
                constants.initialize(from: block.constants, count: block.constants.count)
                let arrays = UnsafeMutablePointer<ArrayDescriptor>.allocate(capacity: max(block.arrays.count, 1))
                arrays.initialize(from: block.arrays, count: block.arrays.count)
                let parameters =
                    block.kind == .function
                    ? block.interface.reduce(0) { count, slot in
                        if case .register(let n) = slot.location, slot.section != .temp { return max(count, n + 1) }
                        return count
                    } : 0
                linked.append(
                    LinkedBlock(
                        code: codePointer, count: code.count, constants: constants, arrays: arrays,
                        registerCount: max(block.registerCount, parameters), parameterCount: parameters,
                        tempSize: block.tempSize, parameterSize: block.parameterSize, instanceSize: block.instanceSize))
            }
        } catch {
            for block in linked {
                block.code.deallocate()
                block.constants.deallocate()
                block.arrays.deallocate()
            }
            throw error
        }
        blocks = .allocate(capacity: max(linked.count, 1))
        _ = blocks.initialize(from: linked)
        writableSlots = writable
        slotBase = .allocate(capacity: slotCount)
        slotSize = .allocate(capacity: slotCount)
        emptyArea = .allocate(byteCount: 16, alignment: 16)
        s5TimerCount = profile.timerCount
        s5Timers = .allocate(byteCount: (s5TimerCount + 1) * S5TimerState.size, alignment: 16)
        s5Timers.initializeMemory(as: UInt8.self, repeating: 0, count: (s5TimerCount + 1) * S5TimerState.size)
        s5CounterCount = profile.counterCount
        s5Counters = .allocate(byteCount: (s5CounterCount + 1) * S5CounterState.size, alignment: 16)
        s5Counters.initializeMemory(as: UInt8.self, repeating: 0, count: (s5CounterCount + 1) * S5CounterState.size)
        slotBase.initialize(repeating: emptyArea, count: slotCount)
        slotSize.initialize(from: sizes, count: slotCount)
        // Headroom of 65 536 registers past the capacity: an instruction's register field can never leave the file.
        registerCapacity = 1 << 16
        registerFile = .allocate(capacity: registerCapacity + (1 << 16) + 16)
        registerFile.initialize(repeating: 0, count: registerCapacity + (1 << 16) + 16)
        enoStack = .allocate(capacity: BytecodeVM.maxDepth + 2)
        enoStack.initialize(repeating: 1, count: BytecodeVM.maxDepth + 2)
        watchdogBudget = .allocate(capacity: 1)
        watchdogBudget.initialize(to: BytecodeVM.watchdogInterval)
        localCapacity = profile.localDataSize
        localStack = .allocate(byteCount: localCapacity + 16, alignment: 16)
        localStack.initializeMemory(as: UInt8.self, repeating: 0, count: localCapacity + 16)
    }

    deinit {
        for block in blocks {
            block.code.deallocate()
            block.constants.deallocate()
            block.arrays.deallocate()
        }
        blocks.deallocate()
        slotBase.deallocate()
        slotSize.deallocate()
        emptyArea.deallocate()
        s5Timers.deallocate()
        s5Counters.deallocate()
        registerFile.deallocate()
        localStack.deallocate()
        enoStack.deallocate()
        watchdogBudget.deallocate()
    }

    /// Points the slots at `memory` for one cycle; the areas the program writes get storage of their own. Call
    /// again after anything else changed `memory` or took a snapshot of it.
    func bind(_ memory: inout CPUMemory) {
        let fixed: [(Int, MemoryAreaKind)] = [(2, .input), (3, .output), (4, .marker)]
        for (slot, kind) in fixed {
            slotBase[slot] =
                writableSlots[slot] ? memory.uniqueBaseAddress(of: kind)! : memory.area(kind)!.baseAddress
        }
        for (index, number) in dbNumbers.enumerated() {
            let slot = BytecodeVM.firstDBSlot + index
            if writableSlots[slot] {
                slotBase[slot] = memory.uniqueBaseAddress(of: .dataBlock(number)) ?? emptyArea
            } else {
                slotBase[slot] = memory.dataBlocks[number]?.baseAddress ?? emptyArea
            }
        }
    }

    /// The area name of a slot for diagnostics: `DB5`, `M`.
    func slotName(_ slot: Int) -> String {
        switch slot {
        case 0: "L"
        case 1: "instance"
        case 2: "I"
        case 3: "Q"
        case 4: "M"
        default: "DB\(dbNumbers[slot - BytecodeVM.firstDBSlot])"
        }
    }

    /// Runs block `index` (an OB) from the bottom of the stacks. Returns false if a fault stopped the CPU.
    func run(block index: Int) -> Bool {
        let result: Int
        if trace != nil {
            result = execute(
                TraceOn.self, index, regs: registerFile, local: localStack, instance: emptyArea, instanceSize: 0,
                depth: 0)
        } else {
            result = execute(
                TraceOff.self, index, regs: registerFile, local: localStack, instance: emptyArea, instanceSize: 0,
                depth: 0)
        }
        return result >= 0
    }

    /// Records `fault` and decides how to go on: with OB121 loaded (and not already running) it runs OB121 above
    /// the faulting frame and returns true (continue after the faulting instruction); otherwise it requests STOP
    /// and returns false.
    @inline(never)
    func raise<T: TraceSwitch>(
        _ trace: T.Type, _ fault: RuntimeFault, block: Int, instruction: Int, regsTop: UnsafeMutablePointer<UInt64>,
        localTop: UnsafeMutableRawPointer, depth: Int
    ) -> Bool {
        faults.append((fault, block, instruction))
        guard fault != .stackOverflow, fault != .cycleWatchdog, let ob = programmingErrorOB,
            !runningProgrammingErrorOB
        else {
            stopRequested = true
            return false
        }
        let saved = (slotBase[0], slotSize[0], slotBase[1], slotSize[1])
        runningProgrammingErrorOB = true
        let result = execute(
            T.self, ob, regs: regsTop, local: localTop, instance: emptyArea, instanceSize: 0, depth: depth + 1)
        runningProgrammingErrorOB = false
        (slotBase[0], slotSize[0], slotBase[1], slotSize[1]) = saved
        return result >= 0 && !stopRequested
    }

    /// The fault of an array index outside `ins`'s array; true to continue after the instruction.
    @inline(never)
    func arrayIndexFault<T: TraceSwitch>(
        _ trace: T.Type, _ ins: BytecodeInstruction, index: UInt64, block: Int, instruction: Int,
        regsTop: UnsafeMutablePointer<UInt64>, localTop: UnsafeMutableRawPointer, depth: Int
    ) -> Bool {
        let array = blocks[block].arrays[Int(ins.e)]
        let fault = RuntimeFault.arrayIndex(
            value: Int64(Int32(truncatingIfNeeded: index)), low: array.low, high: array.low &+ array.count &- 1)
        return raise(
            T.self, fault, block: block, instruction: instruction, regsTop: regsTop, localTop: localTop, depth: depth)
    }

    /// Counts a backward jump; every `watchdogInterval` of them it looks at the wall clock and, past the deadline,
    /// raises the watchdog fault and returns false.
    @inline(__always)
    func backwardJumpAllowed<T: TraceSwitch>(
        _ trace: T.Type, block: Int, instruction: Int, regsTop: UnsafeMutablePointer<UInt64>,
        localTop: UnsafeMutableRawPointer, depth: Int
    ) -> Bool {
        let budget = watchdogBudget
        budget.pointee &-= 1
        if _fastPath(budget.pointee != 0) { return true }
        budget.pointee = BytecodeVM.watchdogInterval
        if watchdogAllows() { return true }
        _ = raise(
            T.self, .cycleWatchdog, block: block, instruction: instruction, regsTop: regsTop, localTop: localTop,
            depth: depth)
        return false
    }

    /// Whether the cycle may go on; false once the wall clock passed the watchdog deadline.
    @inline(never)
    func watchdogAllows() -> Bool {
        guard let deadline = watchdogDeadline else { return true }
        return ContinuousClock.now < deadline
    }

    @inline(never)
    func emitTrace(block: Int, index: Int, regs: UnsafeMutablePointer<UInt64>) {
        let compiled = program.blocks[block]
        let count = blocks[block].registerCount
        trace?(
            TraceRecord(
                block: compiled.displayName, index: index, line: compiled.sourcePosition(ofInstruction: index)?.line,
                instruction: compiled.instructions[index].disassembled(in: compiled, program: program),
                registers: Array(UnsafeBufferPointer(start: regs, count: count))))
    }
}

/// Checks and rewrites one instruction for the interpreter.
private enum Linker {
    static func link(
        _ instruction: inout BytecodeInstruction, index: Int, block: CompiledBlock, blockIndex: Int,
        program: CompiledProgram, dbSlot: [Int: Int], sizes: inout [Int], writable: inout [Bool]
    ) throws(LinkError) {
        func fail(_ message: String) -> LinkError {
            LinkError(block: block.displayName, instruction: index, message: message)
        }
        let op = instruction.opcode
        let area = instruction.areaKind

        /// The slot of a memory operand whose DB number is `number`, and that area's size.
        func slot(for area: AreaKind, number: UInt16) throws(LinkError) -> (slot: Int, size: Int) {
            switch area {
            case .local: return (BytecodeVM.localSlot, block.tempSize)
            case .instance:
                guard block.kind == .functionBlock else { throw fail("only an FB has instance data") }
                return (BytecodeVM.instanceSlot, block.instanceSize)
            case .input: return (2, sizes[2])
            case .output: return (3, sizes[3])
            case .marker: return (4, sizes[4])
            case .globalDB:
                guard let slot = dbSlot[Int(number)] else { throw fail("DB\(number) does not exist") }
                return (slot, sizes[slot])
            case .none: throw fail("\(op.mnemonic) needs a memory area")
            }
        }

        switch op {
        case .loadS8, .loadU8, .loadS16, .loadU16, .loadS32, .loadU32, .load64, .store8, .store16, .store32,
            .store64, .loadS8x, .loadU8x, .loadS16x, .loadU16x, .loadS32x, .loadU32x, .load64x, .store8x,
            .store16x, .store32x, .store64x:
            let (s, size) = try slot(for: area, number: instruction.b)
            let width = accessSize(op)
            let indexed =
                op.rawValue >= Opcode.loadS8x.rawValue && op.rawValue <= Opcode.load64x.rawValue
                || op.rawValue >= Opcode.store8x.rawValue && op.rawValue <= Opcode.store64x.rawValue
            if !indexed, instruction.d < 0 || Int(instruction.d) + width > size {
                throw fail("\(width) bytes at offset \(instruction.d) are outside the area (\(size) bytes)")
            }
            instruction.b = UInt16(s)
            if isStore(op) { writable[s] = true }
        case .library where instruction.a == LibraryInstruction.poke.rawValue:
            // POKE may write any area and DB: none of them can be shared with the published image.
            for index in 2..<writable.count { writable[index] = true }
        case .loadBit, .storeBit:
            let (s, size) = try slot(for: area, number: instruction.b)
            guard instruction.d >= 0, Int(instruction.d) < size, (0...7).contains(instruction.e) else {
                throw fail("bit \(instruction.d).\(instruction.e) is outside the area (\(size) bytes)")
            }
            instruction.b = UInt16(s)
            if op == .storeBit { writable[s] = true }
        case .loadBitX, .storeBitX:
            let (s, _) = try slot(for: area, number: instruction.b)
            instruction.b = UInt16(s)
            if op == .storeBitX { writable[s] = true }
        case .loadS8a, .loadU8a, .loadS16a, .loadU16a, .loadS32a, .loadU32a, .load64a, .store8a, .store16a,
            .store32a, .store64a, .loadBitA, .storeBitA:
            let (s, size) = try slot(for: area, number: instruction.b)
            guard block.arrays.indices.contains(Int(instruction.e)) else { throw fail("no array \(instruction.e)") }
            let array = block.arrays[Int(instruction.e)]
            let isBit = op == .loadBitA || op == .storeBitA
            let width = isBit ? 1 : accessSize(op)
            let last = Int(instruction.d) + (Int(array.count) - 1) * Int(array.stride)
            let fits = isBit ? last < size * 8 : last + width <= size
            guard array.count > 0, array.stride >= 0, instruction.d >= 0, fits else {
                throw fail("the array at \(instruction.d) does not fit its area (\(size) bytes)")
            }
            instruction.b = UInt16(s)
            if op == .storeBitA || op == .store8a || op == .store16a || op == .store32a || op == .store64a {
                writable[s] = true
            }
        case .fillLoop:
            let operands = block.instructions
            guard index + 1 < operands.count, operands[index + 1].opcode == .operand else {
                throw fail("a fill loop needs an operand")
            }
            let operand = operands[index + 1]
            let (s, _) = try slot(for: operand.areaKind, number: operand.b)
            writable[s] = true
        case .countLoop:
            let operands = block.instructions
            guard index + 1 < operands.count, operands[index + 1].opcode == .operand, operands[index + 1].a == 1,
                [16, 32, 64].contains(operands[index + 1].c & ~1)
            else { throw fail("a count loop needs a Bool array operand and a counter of 16, 32 or 64 bits") }
        case .operand where instruction.a == 1:
            // The Bool array of a fill or count loop, in bits.
            let (s, size) = try slot(for: area, number: instruction.b)
            guard block.arrays.indices.contains(Int(instruction.e)) else { throw fail("no array \(instruction.e)") }
            let array = block.arrays[Int(instruction.e)]
            guard array.count > 0, array.stride > 0, instruction.d >= 0,
                (Int(instruction.d) + Int(array.count) * Int(array.stride) + 7) / 8 <= size
            else { throw fail("the Bool array at bit \(instruction.d) does not fit its area (\(size) bytes)") }
            instruction.b = UInt16(s)
        case .fillBlock, .moveBlock, .operand, .addressA:
            let (s, size) = try slot(for: area, number: instruction.b)
            guard block.arrays.indices.contains(Int(instruction.e)) else { throw fail("no array \(instruction.e)") }
            let array = block.arrays[Int(instruction.e)]
            guard array.count > 0, array.stride > 0, instruction.d >= 0,
                Int(instruction.d) + Int(array.count) * Int(array.stride) <= size
            else { throw fail("the array at \(instruction.d) does not fit its area (\(size) bytes)") }
            if op == .fillBlock, ![1, 2, 4, 8].contains(array.stride) {
                throw fail("FILL_BLK needs elements of 1, 2, 4 or 8 bytes")
            }
            if op == .moveBlock {
                let operands = block.instructions
                guard index + 1 < operands.count, operands[index + 1].opcode == .operand,
                    block.arrays.indices.contains(Int(operands[index + 1].e)),
                    block.arrays[Int(operands[index + 1].e)].stride == array.stride
                else { throw fail("MOVE_BLK needs an operand with a source array of the same element size") }
            }
            instruction.b = UInt16(s)
            if op != .operand { writable[s] = true }
        case .address:
            let (s, _) = try slot(for: area, number: instruction.b)
            instruction.b = UInt16(s)
            writable[s] = true
        case .library:
            guard LibraryInstruction(rawValue: instruction.a) != nil else {
                throw fail("unknown library instruction \(instruction.a)")
            }
        case .const64:
            guard block.constants.indices.contains(Int(instruction.d)) else {
                throw fail("no constant \(instruction.d)")
            }
        case .jump, .jumpIf, .jumpIfNot, .jumpLtS32, .jumpLeS32, .incJumpLtS32, .incJumpLeS32, .addJumpLtS32,
            .stepJumpS32:
            guard (0..<block.instructions.count).contains(Int(instruction.d)),
                block.instructions[Int(instruction.d)].opcode != .operand
            else {
                throw fail("jump target \(instruction.d) is outside the block or inside an instruction")
            }
        case .extS, .extU:
            guard [8, 16, 32, 64].contains(instruction.d) else {
                throw fail("cannot extend from \(instruction.d) bits")
            }
        case .intToF32, .intToF64, .intToInt, .f32ToInt, .f64ToInt:
            guard
                UInt8(exactly: instruction.e).flatMap(ValueType.init(rawValue:)) != nil || op == .f32ToInt
                    || op == .f64ToInt,
                ValueType(rawValue: UInt8(truncatingIfNeeded: instruction.c)) != nil || op == .intToF32
                    || op == .intToF64
            else { throw fail("unknown value type") }
        case .callFC, .callFB:
            guard program.blocks.indices.contains(Int(instruction.a)) else { throw fail("no block #\(instruction.a)") }
            let callee = program.blocks[Int(instruction.a)]
            guard callee.kind == (op == .callFC ? .function : .functionBlock) else {
                throw fail("\(callee.displayName) cannot be called with \(op.mnemonic)")
            }
            if op == .callFC, instruction.c > 0 {
                guard Int(instruction.c) - 1 + callee.parameterSize <= block.tempSize else {
                    throw fail("the parameters of \(callee.displayName) do not fit the local data")
                }
            } else if op == .callFC, callee.parameterSize > 0 {
                throw fail("\(callee.displayName) needs its structured parameters in the caller's local data")
            }
            if op == .callFB {
                try linkInstance(&instruction, size: callee.instanceSize, block: block, slot: slot, fail: fail)
                if area == .globalDB { writable[Int(instruction.c)] = true }
            }
        case .builtin:
            guard let builtin = BuiltinInstruction(rawValue: instruction.a) else {
                throw fail("unknown built-in instruction \(instruction.a)")
            }
            guard let type = UInt8(exactly: instruction.e).flatMap(ValueType.init(rawValue:)) else {
                throw fail("unknown value type \(instruction.e)")
            }
            if builtin.hasInstance {
                try linkInstance(
                    &instruction, size: InstructionLibrary.instanceSize(builtin, type), block: block, slot: slot,
                    fail: fail)
                if area == .globalDB { writable[Int(instruction.c)] = true }
            } else if builtin != .s5Timer, builtin != .s5Counter, !(0...32).contains(instruction.d) {
                throw fail("\(builtin.name) takes at most 32 inputs")
            }
        default: break
        }
    }

    /// Checks the instance operand of a call or built-in and replaces a DB number in `c` by its slot.
    static func linkInstance(
        _ instruction: inout BytecodeInstruction, size: Int, block: CompiledBlock,
        slot: (AreaKind, UInt16) throws(LinkError) -> (slot: Int, size: Int), fail: (String) -> LinkError
    ) throws(LinkError) {
        let area = instruction.areaKind
        guard area == .globalDB || area == .instance else { throw fail("an instance must be in a DB or in self") }
        let (s, areaSize) = try slot(area, instruction.c)
        guard instruction.d >= 0, Int(instruction.d) + size <= areaSize else {
            throw fail("an instance of \(size) bytes at \(instruction.d) does not fit its area (\(areaSize) bytes)")
        }
        if area == .globalDB { instruction.c = UInt16(s) }
    }

    static func accessSize(_ op: Opcode) -> Int {
        switch op {
        case .loadS8, .loadU8, .store8, .loadS8x, .loadU8x, .store8x, .loadS8a, .loadU8a, .store8a: 1
        case .loadS16, .loadU16, .store16, .loadS16x, .loadU16x, .store16x, .loadS16a, .loadU16a, .store16a: 2
        case .loadS32, .loadU32, .store32, .loadS32x, .loadU32x, .store32x, .loadS32a, .loadU32a, .store32a: 4
        default: 8
        }
    }

    static func isStore(_ op: Opcode) -> Bool {
        switch op {
        case .store8, .store16, .store32, .store64, .store8x, .store16x, .store32x, .store64x: true
        default: false
        }
    }
}
