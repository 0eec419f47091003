/// Assembles one `CompiledBlock`: allocates registers, records the source position of each instruction and resolves
/// forward and backward jumps to labels.
///
/// ```swift
/// var builder = BytecodeBuilder(kind: .organizationBlock, name: "Main", number: 1)
/// let i = builder.register(), limit = builder.register()
/// builder.at(line: 2)
/// builder.emit(.const32, a: i, d: 0)
/// builder.emit(.const32, a: limit, d: 10)
/// let top = builder.label()
/// builder.bind(top)
/// builder.at(line: 3)
/// builder.emit(.addImmI32, a: i, b: i, d: 1)
/// builder.jump(.jumpLtS32, to: top, b: i, c: limit)
/// builder.emit(.ret)
/// let block = builder.finish(event: .programCycle)
/// ```
public struct BytecodeBuilder: Sendable {
    /// A jump target, bound to an instruction index with `bind`.
    public struct Label: Hashable, Sendable {
        fileprivate let id: Int
    }

    public var kind: CompiledBlock.Kind
    public var name: String
    public var number: Int
    public private(set) var instructions: [BytecodeInstruction] = []
    public private(set) var constants: [UInt64] = []
    public private(set) var arrays: [ArrayDescriptor] = []
    public private(set) var lineTable: [LineTableEntry] = []
    /// The most registers in use at once so far; `finish` uses it as the window size unless told more.
    public private(set) var registerCount = 0
    /// The next register `register()` hands out. Registers from here up are free; `release(to:)` lowers it again
    /// when the values above a mark are dead (at the end of a statement).
    public private(set) var nextRegister: UInt16 = 0
    private var labelTargets: [Int?] = []
    private var fixups: [(instruction: Int, label: Label)] = []
    /// Instructions whose byte offset `d` is relative to the scratch area, which `finish` places at `scratchBase`.
    var scratchRelocations: [Int] = []

    public init(kind: CompiledBlock.Kind, name: String, number: Int) {
        self.kind = kind
        self.name = name
        self.number = number
    }

    /// The next free register.
    public mutating func register() -> UInt16 {
        registers(1)
    }

    /// `count` consecutive registers, returning the first (for call windows and parameters).
    public mutating func registers(_ count: Int) -> UInt16 {
        let first = nextRegister
        nextRegister += UInt16(count)
        registerCount = max(registerCount, Int(nextRegister))
        return first
    }

    /// Frees every register from `mark` up (a value of `nextRegister` taken earlier).
    public mutating func release(to mark: UInt16) {
        nextRegister = min(nextRegister, mark)
    }

    /// Instructions emitted from now on belong to source `line` and `column`.
    public mutating func at(line: Int, column: Int = 1) {
        if let last = lineTable.last, last.instruction == instructions.count {
            lineTable[lineTable.count - 1] = LineTableEntry(instruction: instructions.count, line: line, column: column)
        } else if lineTable.last.map({ $0.line != line || $0.column != column }) ?? true {
            lineTable.append(LineTableEntry(instruction: instructions.count, line: line, column: column))
        }
    }

    /// Appends an instruction and returns its index.
    @discardableResult
    public mutating func emit(_ instruction: BytecodeInstruction) -> Int {
        instructions.append(instruction)
        return instructions.count - 1
    }

    @discardableResult
    public mutating func emit(
        _ opcode: Opcode, a: UInt16 = 0, b: UInt16 = 0, c: UInt16 = 0, d: Int32 = 0, e: Int32 = 0,
        area: AreaKind = .none
    ) -> Int {
        emit(BytecodeInstruction(opcode, a: a, b: b, c: c, d: d, e: e, area: area))
    }

    /// Loads any 64-bit pattern: `const32` when it fits a sign-extended Int32, else through the constant pool.
    public mutating func loadConstant(_ register: UInt16, bits: UInt64) {
        let signed = Int64(bitPattern: bits)
        if let small = Int32(exactly: signed) {
            emit(.const32, a: register, d: small)
        } else {
            emit(.const64, a: register, d: Int32(constant(bits)))
        }
    }

    public mutating func loadConstant(_ register: UInt16, _ value: Int64) {
        loadConstant(register, bits: UInt64(bitPattern: value))
    }

    public mutating func loadConstant(_ register: UInt16, real value: Float) {
        loadConstant(register, bits: UInt64(value.bitPattern))
    }

    public mutating func loadConstant(_ register: UInt16, lReal value: Double) {
        loadConstant(register, bits: value.bitPattern)
    }

    /// The pool index of `bits`, added once.
    public mutating func constant(_ bits: UInt64) -> Int {
        if let index = constants.firstIndex(of: bits) { return index }
        constants.append(bits)
        return constants.count - 1
    }

    /// The index of `descriptor` in the block's arrays (for the `e` field of the `…a` instructions), added once.
    public mutating func array(_ descriptor: ArrayDescriptor) -> Int32 {
        if let index = arrays.firstIndex(of: descriptor) { return Int32(index) }
        arrays.append(descriptor)
        return Int32(arrays.count - 1)
    }

    /// A new, unbound label.
    public mutating func label() -> Label {
        labelTargets.append(nil)
        return Label(id: labelTargets.count - 1)
    }

    /// A new label bound to instruction `index` (for jumps back to code already emitted).
    public mutating func label(bound index: Int) -> Label {
        labelTargets.append(index)
        return Label(id: labelTargets.count - 1)
    }

    /// Binds `label` to the next instruction. A `jump` just emitted to this label would go to the next instruction
    /// anyway (the end of an IF's last branch): it is dropped.
    public mutating func bind(_ label: Label) {
        precondition(labelTargets[label.id] == nil, "label bound twice")
        let last = instructions.count - 1
        if last >= 0, instructions[last].opcode == .jump, let fixup = fixups.last, fixup.instruction == last,
            fixup.label == label, !scratchRelocations.contains(last)
        {
            instructions.removeLast()
            fixups.removeLast()
            // Labels bound after the jump now point at the instruction that takes its place.
            for id in labelTargets.indices where labelTargets[id] == last + 1 { labelTargets[id] = last }
            if let entry = lineTable.last, entry.instruction == last + 1 {
                lineTable[lineTable.count - 1].instruction = last
                if lineTable.count >= 2, lineTable[lineTable.count - 2].instruction == last {
                    lineTable.remove(at: lineTable.count - 2)
                }
            }
        }
        labelTargets[label.id] = instructions.count
    }

    /// Emits a jump (`jump`, `jumpIf`, `jumpIfNot`, `jumpLtS32`, `jumpLeS32`, and the loop steps `incJump…`,
    /// `addJump…`) whose target `d` is `label`.
    @discardableResult
    public mutating func jump(
        _ opcode: Opcode = .jump, to label: Label, a: UInt16 = 0, b: UInt16 = 0, c: UInt16 = 0, e: Int32 = 0
    ) -> Int {
        let index = emit(opcode, a: a, b: b, c: c, e: e)
        fixups.append((index, label))
        return index
    }

    /// Makes the last instruction write `destination` instead of `scratch`, when it only computes r[a] from other
    /// registers, constants or memory (a constant, a move, arithmetic, a comparison, bit logic, a conversion, a
    /// load; a load whose index leaves its array writes 0 to r[a], as the move would have copied) and no label is
    /// bound after it; false otherwise. The caller must know `scratch` is not read again.
    public mutating func retargetLast(from scratch: UInt16, to destination: UInt16) -> Bool {
        guard let last = instructions.last, last.a == scratch, !labelTargets.contains(instructions.count) else {
            return false
        }
        let op = last.opcode
        guard
            op == .const32 || op == .const64 || op == .move
                || (Opcode.addI8.rawValue...Opcode.intToInt.rawValue).contains(op.rawValue)
                || (Opcode.loadS8.rawValue...Opcode.load64x.rawValue).contains(op.rawValue)
                || (Opcode.loadS8a.rawValue...Opcode.load64a.rawValue).contains(op.rawValue)
                || op == .loadBit || op == .loadBitX || op == .loadBitA
        else { return false }
        instructions[instructions.count - 1].a = destination
        return true
    }

    /// Replaces the last instruction by a jump to `label` (for fusing a comparison with the branch on its result).
    public mutating func replaceLast(
        withJump opcode: Opcode, to label: Label, a: UInt16 = 0, b: UInt16 = 0, c: UInt16 = 0
    ) {
        instructions[instructions.count - 1] = BytecodeInstruction(opcode, a: a, b: b, c: c)
        fixups.append((instructions.count - 1, label))
    }

    /// The finished block. Every label used must be bound; a missing final `ret` is added.
    public func finish(
        registerCount minimumRegisters: Int = 0, tempSize: Int = 0, parameterSize: Int = 0, instanceSize: Int = 0,
        interface: [InterfaceSlot] = [], event: OBEventClass? = nil, scratchBase: Int = 0
    ) -> CompiledBlock {
        var code = instructions
        for index in scratchRelocations { code[index].d += Int32(scratchBase) }
        for fixup in fixups {
            guard let target = labelTargets[fixup.label.id] else { preconditionFailure("jump to an unbound label") }
            code[fixup.instruction].d = Int32(target)
        }
        if code.last?.opcode != .ret { code.append(BytecodeInstruction(.ret)) }
        var block = CompiledBlock(
            kind: kind, name: name, number: number, instructions: code, constants: constants, arrays: arrays,
            lineTable: lineTable,
            registerCount: max(registerCount, minimumRegisters), tempSize: tempSize, instanceSize: instanceSize,
            interface: interface, event: event)
        block.parameterSize = parameterSize
        return block
    }
}
