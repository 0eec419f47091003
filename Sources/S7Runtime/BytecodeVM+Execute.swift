import S7Compiler

// The interpreter loop. Registers are raw UInt64 slots; each typed operation truncates its operands to its width and
// writes its result sign-extended (see `Opcode`). Memory is big-endian and reached through the slot table.

@inline(__always) private func s8(_ v: UInt64) -> Int8 { Int8(truncatingIfNeeded: v) }
@inline(__always) private func s16(_ v: UInt64) -> Int16 { Int16(truncatingIfNeeded: v) }
@inline(__always) private func s32(_ v: UInt64) -> Int32 { Int32(truncatingIfNeeded: v) }
@inline(__always) private func s64(_ v: UInt64) -> Int64 { Int64(bitPattern: v) }
@inline(__always) private func u8(_ v: UInt64) -> UInt8 { UInt8(truncatingIfNeeded: v) }
@inline(__always) private func u16(_ v: UInt64) -> UInt16 { UInt16(truncatingIfNeeded: v) }
@inline(__always) private func u32(_ v: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: v) }
@inline(__always) private func f32(_ v: UInt64) -> Float { Float(bitPattern: UInt32(truncatingIfNeeded: v)) }
@inline(__always) private func f64(_ v: UInt64) -> Double { Double(bitPattern: v) }
@inline(__always) private func w<I: FixedWidthInteger & SignedInteger>(_ v: I) -> UInt64 {
    UInt64(bitPattern: Int64(truncatingIfNeeded: v))
}
@inline(__always) private func wu<I: FixedWidthInteger & UnsignedInteger>(_ v: I) -> UInt64 {
    // Unsigned results are stored sign-extended from their width too, so every width has one representation.
    UInt64(bitPattern: Int64(truncatingIfNeeded: v.signExtendedPattern))
}
@inline(__always) private func wf(_ v: Float) -> UInt64 { UInt64(v.bitPattern) }
@inline(__always) private func wd(_ v: Double) -> UInt64 { v.bitPattern }
@inline(__always) private func wb(_ v: Bool) -> UInt64 { v ? 1 : 0 }

extension FixedWidthInteger where Self: UnsignedInteger {
    @inline(__always) fileprivate var signExtendedPattern: Int64 {
        switch Self.bitWidth {
        case 8: Int64(Int8(truncatingIfNeeded: self))
        case 16: Int64(Int16(truncatingIfNeeded: self))
        case 32: Int64(Int32(truncatingIfNeeded: self))
        default: Int64(truncatingIfNeeded: self)
        }
    }
}

@inline(__always) private func load<T: FixedWidthInteger>(_ p: UnsafeMutableRawPointer, _ type: T.Type) -> T {
    T(bigEndian: p.loadUnaligned(as: T.self))
}
@inline(__always) private func store<T: FixedWidthInteger>(_ p: UnsafeMutableRawPointer, _ value: T) {
    p.storeBytes(of: value.bigEndian, as: T.self)
}

/// An instruction read field by field where it is used, so the dispatch does not load all five operands first.
struct InstructionRef {
    let pointer: UnsafeMutablePointer<BytecodeInstruction>

    @inline(__always) var opcode: Opcode { pointer.pointee.opcode }
    @inline(__always) var area: UInt8 { pointer.pointee.area }
    @inline(__always) var a: UInt16 { pointer.pointee.a }
    @inline(__always) var b: UInt16 { pointer.pointee.b }
    @inline(__always) var c: UInt16 { pointer.pointee.c }
    @inline(__always) var d: Int32 { pointer.pointee.d }
    @inline(__always) var e: Int32 { pointer.pointee.e }
}

extension BytecodeVM {
    /// Runs block `blockIndex` with its register window at `regs` and local data at `local`. Returns 1 or 0 for
    /// the block's ENO, or -1 when a fault stopped the CPU (the caller unwinds at once).
    func execute<T: TraceSwitch>(
        _ trace: T.Type, _ blockIndex: Int, regs r: UnsafeMutablePointer<UInt64>, local: UnsafeMutableRawPointer,
        instance: UnsafeMutableRawPointer, instanceSize: Int, depth: Int
    ) -> Int {
        let block = blocks[blockIndex]
        let regsTop = r + block.registerCount
        let localTop = local + block.tempSize
        guard depth < BytecodeVM.maxDepth, regsTop <= registerFile + registerCapacity,
            localTop <= localStack + localCapacity
        else {
            _ = raise(
                T.self, .stackOverflow, block: blockIndex, instruction: 0, regsTop: r, localTop: local, depth: depth)
            return -1
        }
        (r + block.parameterCount).update(repeating: 0, count: block.registerCount - block.parameterCount)
        (local + block.parameterSize).initializeMemory(
            as: UInt8.self, repeating: 0, count: block.tempSize - block.parameterSize)
        let slotBase = self.slotBase
        let slotSize = self.slotSize
        slotBase[0] = local
        slotSize[0] = block.tempSize
        slotBase[1] = instance
        slotSize[1] = instanceSize
        let code = block.code
        let constants = block.constants
        let arrays = block.arrays
        // ENO lives in memory, not in a loop-carried register: it changes rarely and the dispatch stays lean.
        let eno = enoStack + depth
        eno.pointee = 1
        var ip = code
        /// The index of the next instruction.
        var pc: Int { ip - code }

        /// The byte address of an indexed access of `size` bytes, or nil (after raising the fault) if it leaves the
        /// area; `abort` is set when the fault stopped the CPU.
        @inline(__always) func indexed(
            _ ins: InstructionRef, _ size: Int, _ at: Int, _ abort: inout Bool
        )
            -> UnsafeMutableRawPointer?
        {
            let slot = Int(ins.b)
            let offset = Int(ins.d) + Int(s32(r[Int(ins.c)])) * Int(ins.e)
            if offset >= 0 && offset + size <= slotSize[slot] { return slotBase[slot] + offset }
            let fault = RuntimeFault.areaLength(area: slotName(slot), offset: offset, size: size)
            abort = !raise(
                T.self, fault, block: blockIndex, instruction: at, regsTop: regsTop, localTop: localTop, depth: depth)
            return nil
        }

        /// The element an array instruction addresses, or nil for an index outside the array.
        @inline(__always) func element(_ ins: InstructionRef) -> UnsafeMutableRawPointer? {
            let array = arrays[Int(ins.e)]
            let k = UInt32(bitPattern: s32(r[Int(ins.c)]) &- array.low)
            guard k < UInt32(bitPattern: array.count) else { return nil }
            return slotBase[Int(ins.b)] + (Int(ins.d) + Int(k) * Int(array.stride))
        }

        /// Raises the index fault of `ins`; true to continue after it.
        func indexFault(_ ins: InstructionRef, _ at: Int) -> Bool {
            arrayIndexFault(
                T.self, ins.pointer.pointee, index: r[Int(ins.c)], block: blockIndex, instruction: at, regsTop: regsTop,
                localTop: localTop, depth: depth)
        }

        while true {
            let ins = InstructionRef(pointer: ip)
            if T.isEnabled { emitTrace(block: blockIndex, index: pc, regs: r) }
            ip += 1
            switch ins.opcode {
            case .nop: break
            case .const32: r[Int(ins.a)] = UInt64(bitPattern: Int64(ins.d))
            case .const64: r[Int(ins.a)] = constants[Int(ins.d)]
            case .move: r[Int(ins.a)] = r[Int(ins.b)]

            case .addI8: r[Int(ins.a)] = w(s8(r[Int(ins.b)]) &+ s8(r[Int(ins.c)]))
            case .addI16: r[Int(ins.a)] = w(s16(r[Int(ins.b)]) &+ s16(r[Int(ins.c)]))
            case .addI32: r[Int(ins.a)] = w(s32(r[Int(ins.b)]) &+ s32(r[Int(ins.c)]))
            case .addI64: r[Int(ins.a)] = r[Int(ins.b)] &+ r[Int(ins.c)]
            case .subI8: r[Int(ins.a)] = w(s8(r[Int(ins.b)]) &- s8(r[Int(ins.c)]))
            case .subI16: r[Int(ins.a)] = w(s16(r[Int(ins.b)]) &- s16(r[Int(ins.c)]))
            case .subI32: r[Int(ins.a)] = w(s32(r[Int(ins.b)]) &- s32(r[Int(ins.c)]))
            case .subI64: r[Int(ins.a)] = r[Int(ins.b)] &- r[Int(ins.c)]
            case .mulI8: r[Int(ins.a)] = w(s8(r[Int(ins.b)]) &* s8(r[Int(ins.c)]))
            case .mulI16: r[Int(ins.a)] = w(s16(r[Int(ins.b)]) &* s16(r[Int(ins.c)]))
            case .mulI32: r[Int(ins.a)] = w(s32(r[Int(ins.b)]) &* s32(r[Int(ins.c)]))
            case .mulI64: r[Int(ins.a)] = r[Int(ins.b)] &* r[Int(ins.c)]
            case .addImmI16: r[Int(ins.a)] = w(s16(r[Int(ins.b)]) &+ Int16(truncatingIfNeeded: ins.d))
            case .addImmI32: r[Int(ins.a)] = w(s32(r[Int(ins.b)]) &+ ins.d)
            case .addImmI64: r[Int(ins.a)] = w(s64(r[Int(ins.b)]) &+ Int64(ins.d))

            case .divS8, .divS16, .divS32, .divS64, .divU8, .divU16, .divU32, .divU64, .modS8, .modS16, .modS32,
                .modS64, .modU8, .modU16, .modU32, .modU64:
                let rhs = r[Int(ins.c)]
                let width = BytecodeVM.divisionWidth(ins.opcode)
                if rhs & BytecodeVM.mask(width) == 0 {
                    r[Int(ins.a)] = 0
                    if ins.e == DivisionByZeroPolicy.programmingError.rawValue {
                        if !raise(
                            T.self, .divisionByZero, block: blockIndex, instruction: pc - 1, regsTop: regsTop,
                            localTop: localTop, depth: depth)
                        {
                            return -1
                        }
                    } else {
                        eno.pointee = 0
                    }
                } else {
                    r[Int(ins.a)] = BytecodeVM.divide(ins.opcode, r[Int(ins.b)], rhs)
                }
            case .negI8: r[Int(ins.a)] = w(0 &- s8(r[Int(ins.b)]))
            case .negI16: r[Int(ins.a)] = w(0 &- s16(r[Int(ins.b)]))
            case .negI32: r[Int(ins.a)] = w(0 &- s32(r[Int(ins.b)]))
            case .negI64: r[Int(ins.a)] = 0 &- r[Int(ins.b)]

            case .addF32:
                let v = f32(r[Int(ins.b)]) + f32(r[Int(ins.c)])
                r[Int(ins.a)] = wf(v)
                if !v.isFinite { eno.pointee = 0 }
            case .subF32:
                let v = f32(r[Int(ins.b)]) - f32(r[Int(ins.c)])
                r[Int(ins.a)] = wf(v)
                if !v.isFinite { eno.pointee = 0 }
            case .mulF32:
                let v = f32(r[Int(ins.b)]) * f32(r[Int(ins.c)])
                r[Int(ins.a)] = wf(v)
                if !v.isFinite { eno.pointee = 0 }
            case .divF32:
                let v = f32(r[Int(ins.b)]) / f32(r[Int(ins.c)])
                r[Int(ins.a)] = wf(v)
                if !v.isFinite { eno.pointee = 0 }
            case .negF32: r[Int(ins.a)] = wf(-f32(r[Int(ins.b)]))
            case .addF64:
                let v = f64(r[Int(ins.b)]) + f64(r[Int(ins.c)])
                r[Int(ins.a)] = wd(v)
                if !v.isFinite { eno.pointee = 0 }
            case .subF64:
                let v = f64(r[Int(ins.b)]) - f64(r[Int(ins.c)])
                r[Int(ins.a)] = wd(v)
                if !v.isFinite { eno.pointee = 0 }
            case .mulF64:
                let v = f64(r[Int(ins.b)]) * f64(r[Int(ins.c)])
                r[Int(ins.a)] = wd(v)
                if !v.isFinite { eno.pointee = 0 }
            case .divF64:
                let v = f64(r[Int(ins.b)]) / f64(r[Int(ins.c)])
                r[Int(ins.a)] = wd(v)
                if !v.isFinite { eno.pointee = 0 }
            case .negF64: r[Int(ins.a)] = wd(-f64(r[Int(ins.b)]))

            case .eqI8: r[Int(ins.a)] = wb(u8(r[Int(ins.b)]) == u8(r[Int(ins.c)]))
            case .eqI16: r[Int(ins.a)] = wb(u16(r[Int(ins.b)]) == u16(r[Int(ins.c)]))
            case .eqI32: r[Int(ins.a)] = wb(u32(r[Int(ins.b)]) == u32(r[Int(ins.c)]))
            case .eqI64: r[Int(ins.a)] = wb(r[Int(ins.b)] == r[Int(ins.c)])
            case .neI8: r[Int(ins.a)] = wb(u8(r[Int(ins.b)]) != u8(r[Int(ins.c)]))
            case .neI16: r[Int(ins.a)] = wb(u16(r[Int(ins.b)]) != u16(r[Int(ins.c)]))
            case .neI32: r[Int(ins.a)] = wb(u32(r[Int(ins.b)]) != u32(r[Int(ins.c)]))
            case .neI64: r[Int(ins.a)] = wb(r[Int(ins.b)] != r[Int(ins.c)])
            case .ltS8: r[Int(ins.a)] = wb(s8(r[Int(ins.b)]) < s8(r[Int(ins.c)]))
            case .ltS16: r[Int(ins.a)] = wb(s16(r[Int(ins.b)]) < s16(r[Int(ins.c)]))
            case .ltS32: r[Int(ins.a)] = wb(s32(r[Int(ins.b)]) < s32(r[Int(ins.c)]))
            case .ltS64: r[Int(ins.a)] = wb(s64(r[Int(ins.b)]) < s64(r[Int(ins.c)]))
            case .leS8: r[Int(ins.a)] = wb(s8(r[Int(ins.b)]) <= s8(r[Int(ins.c)]))
            case .leS16: r[Int(ins.a)] = wb(s16(r[Int(ins.b)]) <= s16(r[Int(ins.c)]))
            case .leS32: r[Int(ins.a)] = wb(s32(r[Int(ins.b)]) <= s32(r[Int(ins.c)]))
            case .leS64: r[Int(ins.a)] = wb(s64(r[Int(ins.b)]) <= s64(r[Int(ins.c)]))
            case .ltU8: r[Int(ins.a)] = wb(u8(r[Int(ins.b)]) < u8(r[Int(ins.c)]))
            case .ltU16: r[Int(ins.a)] = wb(u16(r[Int(ins.b)]) < u16(r[Int(ins.c)]))
            case .ltU32: r[Int(ins.a)] = wb(u32(r[Int(ins.b)]) < u32(r[Int(ins.c)]))
            case .ltU64: r[Int(ins.a)] = wb(r[Int(ins.b)] < r[Int(ins.c)])
            case .leU8: r[Int(ins.a)] = wb(u8(r[Int(ins.b)]) <= u8(r[Int(ins.c)]))
            case .leU16: r[Int(ins.a)] = wb(u16(r[Int(ins.b)]) <= u16(r[Int(ins.c)]))
            case .leU32: r[Int(ins.a)] = wb(u32(r[Int(ins.b)]) <= u32(r[Int(ins.c)]))
            case .leU64: r[Int(ins.a)] = wb(r[Int(ins.b)] <= r[Int(ins.c)])
            case .eqF32: r[Int(ins.a)] = wb(f32(r[Int(ins.b)]) == f32(r[Int(ins.c)]))
            case .neF32: r[Int(ins.a)] = wb(f32(r[Int(ins.b)]) != f32(r[Int(ins.c)]))
            case .ltF32: r[Int(ins.a)] = wb(f32(r[Int(ins.b)]) < f32(r[Int(ins.c)]))
            case .leF32: r[Int(ins.a)] = wb(f32(r[Int(ins.b)]) <= f32(r[Int(ins.c)]))
            case .eqF64: r[Int(ins.a)] = wb(f64(r[Int(ins.b)]) == f64(r[Int(ins.c)]))
            case .neF64: r[Int(ins.a)] = wb(f64(r[Int(ins.b)]) != f64(r[Int(ins.c)]))
            case .ltF64: r[Int(ins.a)] = wb(f64(r[Int(ins.b)]) < f64(r[Int(ins.c)]))
            case .leF64: r[Int(ins.a)] = wb(f64(r[Int(ins.b)]) <= f64(r[Int(ins.c)]))

            case .and: r[Int(ins.a)] = r[Int(ins.b)] & r[Int(ins.c)]
            case .or: r[Int(ins.a)] = r[Int(ins.b)] | r[Int(ins.c)]
            case .xor: r[Int(ins.a)] = r[Int(ins.b)] ^ r[Int(ins.c)]
            case .not: r[Int(ins.a)] = ~r[Int(ins.b)]
            case .notBool: r[Int(ins.a)] = r[Int(ins.b)] == 0 ? 1 : 0

            case .extS:
                let v = r[Int(ins.b)]
                r[Int(ins.a)] =
                    switch ins.d {
                    case 8: w(s8(v))
                    case 16: w(s16(v))
                    case 32: w(s32(v))
                    default: v
                    }
            case .extU:
                let v = r[Int(ins.b)]
                r[Int(ins.a)] = ins.d >= 64 ? v : v & ((1 << UInt64(ins.d)) - 1)
            case .intToF32:
                let (signed, unsigned) = BytecodeVM.integerParts(r[Int(ins.b)], ins.e)
                r[Int(ins.a)] = wf(signed.map(Float.init) ?? Float(unsigned))
            case .intToF64:
                let (signed, unsigned) = BytecodeVM.integerParts(r[Int(ins.b)], ins.e)
                r[Int(ins.a)] = wd(signed.map(Double.init) ?? Double(unsigned))
            case .f32ToF64: r[Int(ins.a)] = wd(Double(f32(r[Int(ins.b)])))
            case .f64ToF32:
                let v = Float(f64(r[Int(ins.b)]))
                r[Int(ins.a)] = wf(v)
                if v.isInfinite && f64(r[Int(ins.b)]).isFinite { eno.pointee = 0 }
            case .f32ToInt:
                let x = Double(f32(r[Int(ins.b)]))
                let t = BytecodeVM.roundedToNearestEven(x)
                if ins.c == BytecodeVM.dIntCode && ins.e == 0 && t >= -2_147_483_648 && t <= 2_147_483_647 {
                    // The common REAL_TO_DINT/ROUND, without the general path's table lookups.
                    r[Int(ins.a)] = w(Int32(t))
                } else if let v = BytecodeVM.floatToInteger(Double(f32(r[Int(ins.b)])), ins.c, ins.e) {
                    r[Int(ins.a)] = v
                } else {
                    r[Int(ins.a)] = 0
                    eno.pointee = 0
                }
            case .f64ToInt:
                if let v = BytecodeVM.floatToInteger(f64(r[Int(ins.b)]), ins.c, ins.e) {
                    r[Int(ins.a)] = v
                } else {
                    r[Int(ins.a)] = 0
                    eno.pointee = 0
                }
            case .intToInt:
                let (v, ok) = BytecodeVM.convertInteger(r[Int(ins.b)], from: ins.e, to: ins.c)
                r[Int(ins.a)] = v
                if !ok { eno.pointee = 0 }

            case .loadS8: r[Int(ins.a)] = w(load(slotBase[Int(ins.b)] + Int(ins.d), Int8.self))
            case .loadU8: r[Int(ins.a)] = UInt64(load(slotBase[Int(ins.b)] + Int(ins.d), UInt8.self))
            case .loadS16: r[Int(ins.a)] = w(load(slotBase[Int(ins.b)] + Int(ins.d), Int16.self))
            case .loadU16: r[Int(ins.a)] = UInt64(load(slotBase[Int(ins.b)] + Int(ins.d), UInt16.self))
            case .loadS32: r[Int(ins.a)] = w(load(slotBase[Int(ins.b)] + Int(ins.d), Int32.self))
            case .loadU32: r[Int(ins.a)] = UInt64(load(slotBase[Int(ins.b)] + Int(ins.d), UInt32.self))
            case .load64: r[Int(ins.a)] = load(slotBase[Int(ins.b)] + Int(ins.d), UInt64.self)
            case .store8: store(slotBase[Int(ins.b)] + Int(ins.d), u8(r[Int(ins.a)]))
            case .store16: store(slotBase[Int(ins.b)] + Int(ins.d), u16(r[Int(ins.a)]))
            case .store32: store(slotBase[Int(ins.b)] + Int(ins.d), u32(r[Int(ins.a)]))
            case .store64: store(slotBase[Int(ins.b)] + Int(ins.d), r[Int(ins.a)])

            case .loadS8x, .loadU8x, .loadS16x, .loadU16x, .loadS32x, .loadU32x, .load64x:
                var abort = false
                let size = BytecodeVM.indexedSize(ins.opcode)
                if let p = indexed(ins, size, pc - 1, &abort) {
                    r[Int(ins.a)] =
                        switch ins.opcode {
                        case .loadS8x: w(load(p, Int8.self))
                        case .loadU8x: UInt64(load(p, UInt8.self))
                        case .loadS16x: w(load(p, Int16.self))
                        case .loadU16x: UInt64(load(p, UInt16.self))
                        case .loadS32x: w(load(p, Int32.self))
                        case .loadU32x: UInt64(load(p, UInt32.self))
                        default: load(p, UInt64.self)
                        }
                } else {
                    if abort { return -1 }
                    r[Int(ins.a)] = 0
                }
            case .store8x, .store16x, .store32x, .store64x:
                var abort = false
                let size = BytecodeVM.indexedSize(ins.opcode)
                if let p = indexed(ins, size, pc - 1, &abort) {
                    let v = r[Int(ins.a)]
                    switch ins.opcode {
                    case .store8x: store(p, u8(v))
                    case .store16x: store(p, u16(v))
                    case .store32x: store(p, u32(v))
                    default: store(p, v)
                    }
                } else if abort {
                    return -1
                }

            case .loadS8a:
                if let p = element(ins) {
                    r[Int(ins.a)] = w(load(p, Int8.self))
                } else if indexFault(ins, pc - 1) {
                    r[Int(ins.a)] = 0
                } else {
                    return -1
                }
            case .loadU8a:
                if let p = element(ins) {
                    r[Int(ins.a)] = UInt64(load(p, UInt8.self))
                } else if indexFault(ins, pc - 1) {
                    r[Int(ins.a)] = 0
                } else {
                    return -1
                }
            case .loadS16a:
                if let p = element(ins) {
                    r[Int(ins.a)] = w(load(p, Int16.self))
                } else if indexFault(ins, pc - 1) {
                    r[Int(ins.a)] = 0
                } else {
                    return -1
                }
            case .loadU16a:
                if let p = element(ins) {
                    r[Int(ins.a)] = UInt64(load(p, UInt16.self))
                } else if indexFault(ins, pc - 1) {
                    r[Int(ins.a)] = 0
                } else {
                    return -1
                }
            case .loadS32a:
                if let p = element(ins) {
                    r[Int(ins.a)] = w(load(p, Int32.self))
                } else if indexFault(ins, pc - 1) {
                    r[Int(ins.a)] = 0
                } else {
                    return -1
                }
            case .loadU32a:
                if let p = element(ins) {
                    r[Int(ins.a)] = UInt64(load(p, UInt32.self))
                } else if indexFault(ins, pc - 1) {
                    r[Int(ins.a)] = 0
                } else {
                    return -1
                }
            case .load64a:
                if let p = element(ins) {
                    r[Int(ins.a)] = load(p, UInt64.self)
                } else if indexFault(ins, pc - 1) {
                    r[Int(ins.a)] = 0
                } else {
                    return -1
                }
            case .store8a:
                if let p = element(ins) { store(p, u8(r[Int(ins.a)])) } else if !indexFault(ins, pc - 1) { return -1 }
            case .store16a:
                if let p = element(ins) { store(p, u16(r[Int(ins.a)])) } else if !indexFault(ins, pc - 1) { return -1 }
            case .store32a:
                if let p = element(ins) { store(p, u32(r[Int(ins.a)])) } else if !indexFault(ins, pc - 1) { return -1 }
            case .store64a:
                if let p = element(ins) { store(p, r[Int(ins.a)]) } else if !indexFault(ins, pc - 1) { return -1 }
            case .loadBitA, .storeBitA:
                let array = arrays[Int(ins.e)]
                let k = UInt32(bitPattern: s32(r[Int(ins.c)]) &- array.low)
                if k < UInt32(bitPattern: array.count) {
                    let bit = Int(ins.d) + Int(k) * Int(array.stride)
                    let p = slotBase[Int(ins.b)] + (bit >> 3)
                    let mask = UInt8(1) << UInt8(bit & 7)
                    let old = p.load(as: UInt8.self)
                    if ins.opcode == .loadBitA {
                        r[Int(ins.a)] = old & mask != 0 ? 1 : 0
                    } else {
                        p.storeBytes(of: r[Int(ins.a)] & 1 != 0 ? old | mask : old & ~mask, as: UInt8.self)
                    }
                } else if indexFault(ins, pc - 1) {
                    if ins.opcode == .loadBitA { r[Int(ins.a)] = 0 }
                } else {
                    return -1
                }

            case .fillBlock:
                if !fillBlock(ins.pointer.pointee, r, arrays) { eno.pointee = 0 }
            case .fillLoop:
                fillLoop(ins.pointer.pointee, ip.pointee, r, arrays)
                ip += 1
            case .countLoop:
                countLoop(ins.pointer.pointee, ip.pointee, r, arrays)
                ip += 1
            case .moveBlock:
                if !moveBlock(ins.pointer.pointee, ip.pointee, r, arrays) { eno.pointee = 0 }
                ip += 1
            case .operand: break

            case .loadBit:
                let byte = load(slotBase[Int(ins.b)] + Int(ins.d), UInt8.self)
                r[Int(ins.a)] = UInt64(byte >> UInt8(ins.e)) & 1
            case .storeBit:
                let p = slotBase[Int(ins.b)] + Int(ins.d)
                let mask = UInt8(1) << UInt8(ins.e)
                let old = p.load(as: UInt8.self)
                p.storeBytes(of: r[Int(ins.a)] & 1 != 0 ? old | mask : old & ~mask, as: UInt8.self)
            case .loadBitX, .storeBitX:
                let slot = Int(ins.b)
                let bit = Int(ins.d) + Int(s32(r[Int(ins.c)])) * Int(ins.e)
                if bit >= 0 && bit >> 3 < slotSize[slot] {
                    let p = slotBase[slot] + (bit >> 3)
                    let mask = UInt8(1) << UInt8(bit & 7)
                    let old = p.load(as: UInt8.self)
                    if ins.opcode == .loadBitX {
                        r[Int(ins.a)] = old & mask != 0 ? 1 : 0
                    } else {
                        p.storeBytes(of: r[Int(ins.a)] & 1 != 0 ? old | mask : old & ~mask, as: UInt8.self)
                    }
                } else {
                    let fault = RuntimeFault.areaLength(area: slotName(slot), offset: bit >> 3, size: 1)
                    if !raise(
                        T.self, fault, block: blockIndex, instruction: pc - 1, regsTop: regsTop, localTop: localTop,
                        depth: depth)
                    {
                        return -1
                    }
                    if ins.opcode == .loadBitX { r[Int(ins.a)] = 0 }
                }
            case .checkIndex:
                let value = s32(r[Int(ins.b)])
                if value >= ins.d && value <= ins.e {
                    r[Int(ins.a)] = w(value &- ins.d)
                } else {
                    r[Int(ins.a)] = 0
                    let fault = RuntimeFault.arrayIndex(value: Int64(value), low: ins.d, high: ins.e)
                    if !raise(
                        T.self, fault, block: blockIndex, instruction: pc - 1, regsTop: regsTop, localTop: localTop,
                        depth: depth)
                    {
                        return -1
                    }
                }

            case .jump, .jumpIf, .jumpIfNot, .jumpLtS32, .jumpLeS32:
                let taken =
                    switch ins.opcode {
                    case .jump: true
                    case .jumpIf: r[Int(ins.a)] != 0
                    case .jumpIfNot: r[Int(ins.a)] == 0
                    case .jumpLtS32: s32(r[Int(ins.b)]) < s32(r[Int(ins.c)])
                    default: s32(r[Int(ins.b)]) <= s32(r[Int(ins.c)])
                    }
                if taken {
                    let target = Int(ins.d)
                    if target < pc
                        && !backwardJumpAllowed(
                            T.self, block: blockIndex, instruction: pc - 1, regsTop: regsTop,
                            localTop: localTop, depth: depth)
                    {
                        return -1
                    }
                    ip = code + target
                }
            case .incJumpLtS32:
                let v = s32(r[Int(ins.a)]) &+ ins.e
                r[Int(ins.a)] = w(v)
                if v < s32(r[Int(ins.c)]) {
                    if !backwardJumpAllowed(
                        T.self, block: blockIndex, instruction: pc - 1, regsTop: regsTop, localTop: localTop,
                        depth: depth)
                    {
                        return -1
                    }
                    ip = code + Int(ins.d)
                }
            case .incJumpLeS32:
                let v = s32(r[Int(ins.a)]) &+ ins.e
                r[Int(ins.a)] = w(v)
                if v <= s32(r[Int(ins.c)]) {
                    if !backwardJumpAllowed(
                        T.self, block: blockIndex, instruction: pc - 1, regsTop: regsTop, localTop: localTop,
                        depth: depth)
                    {
                        return -1
                    }
                    ip = code + Int(ins.d)
                }
            case .addJumpLtS32:
                let v = s32(r[Int(ins.a)]) &+ s32(r[Int(ins.b)])
                r[Int(ins.a)] = w(v)
                if v < s32(r[Int(ins.c)]) {
                    if !backwardJumpAllowed(
                        T.self, block: blockIndex, instruction: pc - 1, regsTop: regsTop, localTop: localTop,
                        depth: depth)
                    {
                        return -1
                    }
                    ip = code + Int(ins.d)
                }
            case .stepJumpS32:
                let step = s32(r[Int(ins.b)])
                let v = s32(r[Int(ins.a)]) &+ step
                r[Int(ins.a)] = w(v)
                if step > 0 ? v <= s32(r[Int(ins.c)]) : v >= s32(r[Int(ins.c)]) {
                    if !backwardJumpAllowed(
                        T.self, block: blockIndex, instruction: pc - 1, regsTop: regsTop, localTop: localTop,
                        depth: depth)
                    {
                        return -1
                    }
                    ip = code + Int(ins.d)
                }
            case .ret:
                return Int(eno.pointee)
            case .setENO: eno.pointee = r[Int(ins.a)] != 0 ? 1 : 0
            case .getENO: r[Int(ins.a)] = UInt64(eno.pointee)

            case .callFC, .callFB:
                let calleeInstance: UnsafeMutableRawPointer
                let calleeSize: Int
                if ins.opcode == .callFB {
                    calleeInstance =
                        ins.area == AreaKind.instance.rawValue
                        ? instance + Int(ins.d) : slotBase[Int(ins.c)] + Int(ins.d)
                    calleeSize = blocks[Int(ins.a)].instanceSize
                } else {
                    calleeInstance = instance
                    calleeSize = 0
                }
                let frame = ins.opcode == .callFC && ins.c > 0 ? local + (Int(ins.c) - 1) : localTop
                let result = execute(
                    T.self, Int(ins.a), regs: r + Int(ins.b), local: frame, instance: calleeInstance,
                    instanceSize: calleeSize, depth: depth + 1)
                if result < 0 { return -1 }
                slotBase[0] = local
                slotSize[0] = block.tempSize
                slotBase[1] = instance
                slotSize[1] = instanceSize
                if ins.e > 0 { r[Int(ins.e) - 1] = UInt64(result) }
            case .address:
                let offset = Int(ins.d) + (ins.e == 0 ? 0 : Int(s32(r[Int(ins.c)])) * Int(ins.e))
                r[Int(ins.a)] = BytecodeVM.reference(slot: Int(ins.b), offset: offset)
            case .addressA:
                let array = arrays[Int(ins.e)]
                let k = UInt32(bitPattern: s32(r[Int(ins.c)]) &- array.low)
                if k < UInt32(bitPattern: array.count) {
                    r[Int(ins.a)] = BytecodeVM.reference(
                        slot: Int(ins.b), offset: Int(ins.d) + Int(k) * Int(array.stride))
                } else if indexFault(ins, pc - 1) {
                    r[Int(ins.a)] = BytecodeVM.reference(slot: Int(ins.b), offset: Int(ins.d))
                } else {
                    return -1
                }
            case .library:
                switch runLibrary(ins.pointer.pointee, r + Int(ins.b)) {
                case .done: break
                case .enoFalse: eno.pointee = 0
                case .fault(let fault):
                    if !raise(
                        T.self, fault, block: blockIndex, instruction: pc - 1, regsTop: regsTop, localTop: localTop,
                        depth: depth)
                    {
                        return -1
                    }
                }
            case .builtin:
                let data: UnsafeMutableRawPointer
                if ins.area == AreaKind.instance.rawValue {
                    data = instance + Int(ins.d)
                } else if ins.area == AreaKind.globalDB.rawValue {
                    data = slotBase[Int(ins.c)] + Int(ins.d)
                } else if ins.a >= BuiltinInstruction.s5Timer.rawValue {
                    data = s5State(ins.a, number: r[Int(ins.b)])
                } else {
                    data = instance
                }
                if !InstructionLibrary.run(
                    ins.pointer.pointee, window: r + Int(ins.b), instance: data, now: nowMilliseconds,
                    nanoseconds: nowNanoseconds)
                {
                    eno.pointee = 0
                }
            }
        }
    }

    static let dIntCode = UInt16(ValueType.dInt.rawValue)

    /// FILL_BLK (see `Opcode.fillBlock`); false when the range leaves the array.
    @inline(never)
    func fillBlock(
        _ ins: BytecodeInstruction, _ r: UnsafeMutablePointer<UInt64>, _ arrays: UnsafeMutablePointer<ArrayDescriptor>
    ) -> Bool {
        let array = arrays[Int(ins.e)]
        let a = Int(ins.a)
        let count = Int(s32(r[a + 1]))
        let start = Int(s32(r[a + 2])) - Int(array.low)
        guard count >= 0 && start >= 0 && start + count <= Int(array.count) else { return false }
        let stride = Int(array.stride)
        BytecodeVM.fill(slotBase[Int(ins.b)] + (Int(ins.d) + start * stride), count, stride, r[a])
        return true
    }

    /// Where an S5 timer or counter built-in keeps its state: the slot of timer or counter `number` (numbers the
    /// CPU does not have share one spare slot).
    @inline(never)
    func s5State(_ builtin: UInt16, number: UInt64) -> UnsafeMutableRawPointer {
        let number = Int(truncatingIfNeeded: number)
        if builtin == BuiltinInstruction.s5Timer.rawValue {
            return s5Timers + (number >= 0 && number < s5TimerCount ? number : s5TimerCount) * S5TimerState.size
        }
        if builtin == BuiltinInstruction.s5Counter.rawValue {
            return s5Counters + (number >= 0 && number < s5CounterCount ? number : s5CounterCount)
                * S5CounterState.size
        }
        return s5Timers
    }

    /// The iterations of a fill or count loop (counter r[a] from its value to r[c] by r[d] over the array of its
    /// `operand`): how many, the first index from the array's low bound, the counter after the last, the step and
    /// the array; nil when the step is not positive, the loop does not run, an index leaves the array or the
    /// counter would leave DInt (the loop then runs as written).
    static func loopRange(
        _ ins: BytecodeInstruction, _ operand: BytecodeInstruction, _ r: UnsafeMutablePointer<UInt64>,
        _ arrays: UnsafeMutablePointer<ArrayDescriptor>
    ) -> (count: Int64, first: Int64, final: Int64, step: Int64, array: ArrayDescriptor)? {
        let start = Int64(s32(r[Int(ins.a)]))
        let end = Int64(s32(r[Int(ins.c)]))
        let step = Int64(s32(r[Int(ins.d)]))
        let array = arrays[Int(operand.e)]
        guard step > 0, start <= end else { return nil }
        let count = (end - start) / step + 1
        let final = start + count * step
        let first = start - Int64(array.low)
        guard final <= Int64(Int32.max), first >= 0, first + (count - 1) * step < Int64(array.count) else { return nil }
        return (count, first, final, step, array)
    }

    /// A FOR loop storing one value into the elements it indexes (see `Opcode.fillLoop`) with its `operand`.
    @inline(never)
    func fillLoop(
        _ ins: BytecodeInstruction, _ operand: BytecodeInstruction, _ r: UnsafeMutablePointer<UInt64>,
        _ arrays: UnsafeMutablePointer<ArrayDescriptor>
    ) {
        guard let (count, first, final, step, array) = BytecodeVM.loopRange(ins, operand, r, arrays) else { return }
        let base = slotBase[Int(operand.b)]
        let value = r[Int(ins.b)]
        if operand.a == 1 {
            BytecodeVM.fillBits(
                base, from: Int(operand.d) + Int(first) * Int(array.stride), count: Int(count),
                advance: Int(step) * Int(array.stride), on: value & 1 != 0)
        } else {
            let width = (UInt8(exactly: operand.c).flatMap(ValueType.init(rawValue:))?.bitWidth ?? 8) / 8
            let stride = Int(array.stride)
            if step == 1 && stride == width {
                BytecodeVM.fill(base + (Int(operand.d) + Int(first) * stride), Int(count), width, value)
            } else {
                var byte = Int(operand.d) + Int(first) * stride
                for _ in 0..<count {
                    BytecodeVM.fill(base + byte, 1, width, value)
                    byte += Int(step) * stride
                }
            }
        }
        r[Int(ins.a)] = UInt64(bitPattern: final)
    }

    /// Sets (`on`) or clears `count` bits from bit `from` of `base` on, `advance` bits apart. Consecutive bits are
    /// written byte by byte; bits less than 64 apart are gathered into a 64-bit mask per word, so each word is
    /// read and written once. No byte outside the first and last bit's is touched.
    static func fillBits(_ base: UnsafeMutableRawPointer, from: Int, count: Int, advance: Int, on: Bool) {
        var bit = from
        var remaining = count
        func single() {
            let p = base + (bit >> 3)
            let mask = UInt8(1) << UInt8(bit & 7)
            let old = p.load(as: UInt8.self)
            p.storeBytes(of: on ? old | mask : old & ~mask, as: UInt8.self)
            bit += advance
            remaining -= 1
        }
        if advance == 1 {
            // Single bits up to a byte boundary, whole bytes, then the bits left.
            while remaining > 0, bit & 7 != 0 { single() }
            let bytes = remaining / 8
            (base + (bit >> 3)).initializeMemory(as: UInt8.self, repeating: on ? 0xFF : 0, count: bytes)
            bit += bytes * 8
            remaining -= bytes * 8
        } else if advance < 64 {
            // Whole words while the last bit lies beyond the word.
            let lastByte = (from + (count - 1) * advance) >> 3
            while remaining > 0, (bit >> 3) + 8 <= lastByte {
                let byte = bit >> 3
                var offset = bit & 7
                var mask: UInt64 = 0
                while offset < 64 {
                    mask |= 1 &<< UInt64(truncatingIfNeeded: offset)
                    offset &+= advance
                    remaining &-= 1
                }
                bit = byte * 8 + offset
                let p = base + byte
                let word = UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))
                p.storeBytes(of: (on ? word | mask : word & ~mask).littleEndian, as: UInt64.self)
            }
        }
        while remaining > 0 { single() }
    }

    /// A FOR loop counting the Bool elements it indexes (see `Opcode.countLoop`) with its `operand`.
    @inline(never)
    func countLoop(
        _ ins: BytecodeInstruction, _ operand: BytecodeInstruction, _ r: UnsafeMutablePointer<UInt64>,
        _ arrays: UnsafeMutablePointer<ArrayDescriptor>
    ) {
        guard let (count, first, final, step, array) = BytecodeVM.loopRange(ins, operand, r, arrays) else { return }
        let set = BytecodeVM.countBits(
            slotBase[Int(operand.b)], from: Int(operand.d) + Int(first) * Int(array.stride), count: Int(count),
            advance: Int(step) * Int(array.stride))
        let matches = Int64(operand.c & 1 == 1 ? set : Int(count) - set)
        let delta = matches &* Int64(ins.e)
        let total = r[Int(ins.b)]
        switch operand.c & ~1 {
        case 16: r[Int(ins.b)] = w(s16(total) &+ Int16(truncatingIfNeeded: delta))
        case 32: r[Int(ins.b)] = w(s32(total) &+ Int32(truncatingIfNeeded: delta))
        default: r[Int(ins.b)] = w(s64(total) &+ delta)
        }
        r[Int(ins.a)] = UInt64(bitPattern: final)
    }

    /// How many of `count` bits from bit `from` of `base` on, `advance` bits apart, are set. Consecutive bits are
    /// counted a word at a time; no byte outside the first and last bit's is read.
    static func countBits(_ base: UnsafeMutableRawPointer, from: Int, count: Int, advance: Int) -> Int {
        var bit = from
        var remaining = count
        var set = 0
        if advance == 1 {
            while remaining > 0, bit & 7 != 0 {
                set += Int((base + (bit >> 3)).load(as: UInt8.self) >> UInt8(bit & 7)) & 1
                bit += 1
                remaining -= 1
            }
            var p = base + (bit >> 3)
            while remaining >= 64 {
                set += p.loadUnaligned(as: UInt64.self).nonzeroBitCount
                p += 8
                remaining -= 64
            }
            while remaining >= 8 {
                set += p.load(as: UInt8.self).nonzeroBitCount
                p += 1
                remaining -= 8
            }
            bit = (p - base) * 8
        }
        while remaining > 0 {
            set += Int((base + (bit >> 3)).load(as: UInt8.self) >> UInt8(bit & 7)) & 1
            bit += advance
            remaining -= 1
        }
        return set
    }

    /// MOVE_BLK (see `Opcode.moveBlock`) with its `operand`; false when a range leaves its array.
    @inline(never)
    func moveBlock(
        _ ins: BytecodeInstruction, _ source: BytecodeInstruction, _ r: UnsafeMutablePointer<UInt64>,
        _ arrays: UnsafeMutablePointer<ArrayDescriptor>
    ) -> Bool {
        let target = arrays[Int(ins.e)]
        let origin = arrays[Int(source.e)]
        let a = Int(ins.a)
        let count = Int(s32(r[a]))
        let from = Int(s32(r[a + 1])) - Int(origin.low)
        let to = Int(s32(r[a + 2])) - Int(target.low)
        guard count >= 0 && from >= 0 && to >= 0 && from + count <= Int(origin.count) && to + count <= Int(target.count)
        else { return false }
        let stride = Int(target.stride)
        (slotBase[Int(ins.b)] + (Int(ins.d) + to * stride)).copyMemory(
            from: slotBase[Int(source.b)] + (Int(source.d) + from * stride), byteCount: count * stride)
        return true
    }

    /// Stores `count` copies of the low `width` bytes of `value`, big-endian, from `p` on.
    static func fill(_ p: UnsafeMutableRawPointer, _ count: Int, _ width: Int, _ value: UInt64) {
        switch width {
        case 1: p.initializeMemory(as: UInt8.self, repeating: UInt8(truncatingIfNeeded: value), count: count)
        case 2: for i in 0..<count { store(p + 2 * i, UInt16(truncatingIfNeeded: value)) }
        case 4: for i in 0..<count { store(p + 4 * i, UInt32(truncatingIfNeeded: value)) }
        default: for i in 0..<count { store(p + 8 * i, value) }
        }
    }

    /// `x` rounded to the nearest integer, halfway cases to even, with no library call: adding and subtracting
    /// 1.5 × 2⁵² rounds in the FPU's default mode; larger magnitudes are integers already.
    @inline(__always) static func roundedToNearestEven(_ x: Double) -> Double {
        Swift.abs(x) < 0x1p51 ? (x + 0x1.8p52) - 0x1.8p52 : x
    }

    static func divisionWidth(_ op: Opcode) -> Int {
        switch op {
        case .divS8, .divU8, .modS8, .modU8: 8
        case .divS16, .divU16, .modS16, .modU16: 16
        case .divS32, .divU32, .modS32, .modU32: 32
        default: 64
        }
    }

    @inline(__always) static func mask(_ width: Int) -> UInt64 { width >= 64 ? ~0 : (1 << UInt64(width)) - 1 }

    static func indexedSize(_ op: Opcode) -> Int {
        switch op {
        case .loadS8x, .loadU8x, .store8x: 1
        case .loadS16x, .loadU16x, .store16x: 2
        case .loadS32x, .loadU32x, .store32x: 4
        default: 8
        }
    }

    /// Integer division and modulo with a non-zero divisor; Int.min / −1 wraps as on the CPU.
    static func divide(_ op: Opcode, _ a: UInt64, _ b: UInt64) -> UInt64 {
        switch op {
        case .divS8: w(s8(a).dividedReportingOverflow(by: s8(b)).partialValue)
        case .divS16: w(s16(a).dividedReportingOverflow(by: s16(b)).partialValue)
        case .divS32: w(s32(a).dividedReportingOverflow(by: s32(b)).partialValue)
        case .divS64: w(s64(a).dividedReportingOverflow(by: s64(b)).partialValue)
        case .divU8: wu(u8(a) / u8(b))
        case .divU16: wu(u16(a) / u16(b))
        case .divU32: wu(u32(a) / u32(b))
        case .divU64: a / b
        case .modS8: w(s8(a).remainderReportingOverflow(dividingBy: s8(b)).partialValue)
        case .modS16: w(s16(a).remainderReportingOverflow(dividingBy: s16(b)).partialValue)
        case .modS32: w(s32(a).remainderReportingOverflow(dividingBy: s32(b)).partialValue)
        case .modS64: w(s64(a).remainderReportingOverflow(dividingBy: s64(b)).partialValue)
        case .modU8: wu(u8(a) % u8(b))
        case .modU16: wu(u16(a) % u16(b))
        case .modU32: wu(u32(a) % u32(b))
        default: a % b
        }
    }

    /// Register bits `raw` read as integer type `type`: the signed value for signed types, else nil and the
    /// unsigned value (both without the 128-bit arithmetic of `integerValue`).
    @inline(__always) static func integerParts(_ raw: UInt64, _ type: Int32) -> (Int64?, UInt64) {
        guard let type = UInt8(exactly: type).flatMap(ValueType.init(rawValue:)) else { return (nil, 0) }
        let width = type.bitWidth
        if type.isSignedInteger {
            let shift = UInt64(64 - width)
            return (Int64(bitPattern: raw << shift) >> shift, 0)
        }
        return (nil, raw & mask(width))
    }

    /// The value of register bits `raw` read as integer type `type` (a `ValueType` raw value), exactly.
    static func integerValue(_ raw: UInt64, _ type: Int32) -> Int128 {
        guard let type = UInt8(exactly: type).flatMap(ValueType.init(rawValue:)) else { return 0 }
        let width = type.bitWidth
        if type.isSignedInteger {
            return switch width {
            case 8: Int128(s8(raw))
            case 16: Int128(s16(raw))
            case 32: Int128(s32(raw))
            default: Int128(s64(raw))
            }
        }
        return Int128(raw & mask(width))
    }

    /// The range of integer type `type` as a half-open interval of Doubles (exact for every width).
    static func range(of type: ValueType) -> (low: Double, highExclusive: Double) {
        let width = Double(type.bitWidth)
        if type.isSignedInteger { return (-Double.pow2(width - 1), Double.pow2(width - 1)) }
        return (0, Double.pow2(width))
    }

    /// `value` rounded by `mode` and converted to integer type `type`, or nil for NaN or out of range.
    static func floatToInteger(_ value: Double, _ type: UInt16, _ mode: Int32) -> UInt64? {
        guard let type = ValueType(rawValue: UInt8(truncatingIfNeeded: type)) else { return nil }
        let rounded: Double =
            switch RoundingMode(rawValue: mode) ?? .nearestEven {
            case .nearestEven: roundedToNearestEven(value)
            case .truncate: value.rounded(.towardZero)
            case .floor: value.rounded(.down)
            case .ceiling: value.rounded(.up)
            }
        let (low, high) = range(of: type)
        guard rounded >= low, rounded < high else { return nil }
        if type.isSignedInteger { return w(Int64(rounded)) }
        return normalised(UInt64(rounded), type.bitWidth)
    }

    /// Unsigned bits of `width` stored as the register convention wants (sign-extended from the width).
    static func normalised(_ bits: UInt64, _ width: Int) -> UInt64 {
        switch width {
        case 8: w(Int8(truncatingIfNeeded: bits))
        case 16: w(Int16(truncatingIfNeeded: bits))
        case 32: w(Int32(truncatingIfNeeded: bits))
        default: bits
        }
    }

    /// Integer conversion between `ValueType`s; out of range keeps the low bits and reports false.
    static func convertInteger(_ raw: UInt64, from: Int32, to: UInt16) -> (UInt64, Bool) {
        let value = integerValue(raw, from)
        guard let target = ValueType(rawValue: UInt8(truncatingIfNeeded: to)) else { return (raw, false) }
        let bits = UInt64(truncatingIfNeeded: value)
        let inRange: Bool
        if target.isSignedInteger {
            let half = Int128(1) << (target.bitWidth - 1)
            inRange = value >= -half && value < half
        } else {
            inRange = value >= 0 && value < Int128(1) << target.bitWidth
        }
        return (normalised(bits, target.bitWidth), inRange)
    }
}

extension Double {
    fileprivate static func pow2(_ exponent: Double) -> Double {
        Double(sign: .plus, exponent: Int(exponent), significand: 1)
    }
}
