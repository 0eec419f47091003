import S7Model

/// Where a variable lives in memory: an area, a static bit address and, for array elements whose index is known
/// only at run time, an index register.
///
/// `"Recipe".Recipes[#i].Volume` is the Recipe DB at the static address of `Recipes[low]` plus the offset of
/// `Volume` in the element, indexed by the register holding `#i` with the array's bounds and stride, so one
/// `load32a` reads it.
struct Place {
    /// A single array index applied at run time: the register holds the index as written (not yet zero-based).
    struct Index {
        var register: UInt16
        var low: Int
        var count: Int
        var strideBits: Int
    }

    enum Access: Equatable {
        case readWrite
        /// An FC input or a constant: the name for the diagnostic.
        case readOnly(String)
    }

    var area: AreaKind
    /// The DB number for `.globalDB`.
    var db: Int = 0
    /// Bit address of the value (byte × 8 + bit) when all run-time indexes are at their low bound.
    var bitAddress: Int
    var type: DataType
    var index: Index?
    /// A register holding an extra offset in bytes (bits when `dynamicInBits`), checked at run time.
    var dynamic: UInt16?
    var dynamicInBits = false
    var access: Access = .readWrite
    /// In the statement's scratch area of the local data (temporary strings and DTLs); its address is relative to
    /// that area until the block is finished.
    var scratch = false

    var byte: Int { bitAddress / 8 }
    var bit: Int { bitAddress % 8 }
    var isStatic: Bool { index == nil && dynamic == nil }

    /// The DB number (or 0) as the instruction's `b` field.
    var areaNumber: UInt16 { UInt16(clamping: db) }
}

/// The VM type a register value of an elementary data type has; nil for types that live only in memory (strings,
/// structures, arrays, DTL).
func registerType(of type: DataType) -> ValueType? {
    switch type {
    case .bool: .bool
    case .byte: .byte
    case .word: .word
    case .dWord: .dWord
    case .lWord: .lWord
    case .sInt: .sInt
    case .usInt: .usInt
    case .int: .int
    case .uInt: .uInt
    case .dInt: .dInt
    case .udInt: .udInt
    case .lInt: .lInt
    case .ulInt: .ulInt
    case .real: .real
    case .lReal: .lReal
    case .time: .time
    case .lTime: .lTime
    case .s5Time: .word
    case .date: .uInt
    case .timeOfDay: .udInt
    case .lTimeOfDay: .ulInt
    case .dateAndTime: .lWord
    case .ldt: .ulInt
    case .char: .byte
    case .wChar: .word
    default: nil
    }
}

extension ValueType {
    /// Unsigned integers, bit strings, Bool and the types stored as them.
    var isUnsigned: Bool { !isSignedInteger && !isFloatingPoint }

    var loadOpcode: Opcode {
        switch (bitWidth, isUnsigned) {
        case (8, true): .loadU8
        case (8, false): .loadS8
        case (16, true): .loadU16
        case (16, false): .loadS16
        case (32, true): .loadU32
        case (32, false): .loadS32
        default: .load64
        }
    }

    var storeOpcode: Opcode {
        switch bitWidth {
        case 8: .store8
        case 16: .store16
        case 32: .store32
        default: .store64
        }
    }

    /// The `…x` form of a load or store.
    static func indexed(_ op: Opcode) -> Opcode {
        switch op {
        case .loadS8: .loadS8x
        case .loadU8: .loadU8x
        case .loadS16: .loadS16x
        case .loadU16: .loadU16x
        case .loadS32: .loadS32x
        case .loadU32: .loadU32x
        case .load64: .load64x
        case .store8: .store8x
        case .store16: .store16x
        case .store32: .store32x
        default: .store64x
        }
    }

    /// The `…a` form of a load or store.
    static func arrayElement(_ op: Opcode) -> Opcode {
        switch op {
        case .loadS8: .loadS8a
        case .loadU8: .loadU8a
        case .loadS16: .loadS16a
        case .loadU16: .loadU16a
        case .loadS32: .loadS32a
        case .loadU32: .loadU32a
        case .load64: .load64a
        case .store8: .store8a
        case .store16: .store16a
        case .store32: .store32a
        default: .store64a
        }
    }
}

extension BytecodeBuilder {
    /// Loads the elementary value at `place` into `register`.
    mutating func load(_ register: UInt16, from place: Place, as type: ValueType) {
        emitAccess(register, place, type, isStore: false)
    }

    /// Stores `register` into the elementary value at `place`.
    mutating func store(_ register: UInt16, to place: Place, as type: ValueType) {
        emitAccess(register, place, type, isStore: true)
    }

    /// Puts a reference to the byte at `place` into `register` (for the operands of `library` instructions).
    mutating func address(_ register: UInt16, of place: Place) {
        if place.scratch { scratchRelocations.append(instructions.count) }
        if let index = place.index {
            let array = array(
                ArrayDescriptor(low: Int32(index.low), count: Int32(index.count), stride: Int32(index.strideBits / 8)))
            emit(
                .addressA, a: register, b: place.areaNumber, c: index.register, d: Int32(place.byte), e: array,
                area: place.area)
        } else if let dynamic = place.dynamic {
            emit(.address, a: register, b: place.areaNumber, c: dynamic, d: Int32(place.byte), e: 1, area: place.area)
        } else {
            emit(.address, a: register, b: place.areaNumber, d: Int32(place.byte), area: place.area)
        }
    }

    /// `fillLoop` and its `operand` for the array element `place` (indexed by the loop counter) and values of
    /// `type`, stepping by `stepRegister`; false when the place is no array element.
    mutating func emitFillLoop(
        counter: UInt16, end: UInt16, stepRegister: UInt16, value: UInt16, place: Place, type: ValueType
    ) -> Bool {
        guard let index = place.index, !place.scratch else { return false }
        let bits = type == .bool
        guard bits || index.strideBits % 8 == 0 else { return false }
        let array = array(
            ArrayDescriptor(
                low: Int32(index.low), count: Int32(index.count),
                stride: Int32(bits ? index.strideBits : index.strideBits / 8)))
        emit(.fillLoop, a: counter, b: value, c: end, d: Int32(stepRegister))
        emit(
            .operand, a: bits ? 1 : 0, b: place.areaNumber, c: UInt16(type.rawValue),
            d: Int32(bits ? place.bitAddress : place.byte), e: array, area: place.area)
        return true
    }

    /// `countLoop` and its `operand` for the Bool array element `place` (indexed by the loop counter): `total`, an
    /// integer of `width` bits, grows by `addend` for each element that is TRUE (`countsTrue`) or FALSE; false
    /// when the place is no array element.
    mutating func emitCountLoop(
        counter: UInt16, end: UInt16, stepRegister: UInt16, total: UInt16, addend: Int32, width: Int,
        countsTrue: Bool, place: Place
    ) -> Bool {
        guard let index = place.index, !place.scratch else { return false }
        let array = array(
            ArrayDescriptor(low: Int32(index.low), count: Int32(index.count), stride: Int32(index.strideBits)))
        emit(.countLoop, a: counter, b: total, c: end, d: Int32(stepRegister), e: addend)
        emit(
            .operand, a: 1, b: place.areaNumber, c: UInt16(width + (countsTrue ? 1 : 0)),
            d: Int32(place.bitAddress), e: array, area: place.area)
        return true
    }

    private mutating func emitAccess(_ register: UInt16, _ place: Place, _ type: ValueType, isStore: Bool) {
        if place.scratch { scratchRelocations.append(instructions.count) }
        if type == .bool {
            if let index = place.index {
                let array = array(
                    ArrayDescriptor(low: Int32(index.low), count: Int32(index.count), stride: Int32(index.strideBits)))
                emit(
                    isStore ? .storeBitA : .loadBitA, a: register, b: place.areaNumber, c: index.register,
                    d: Int32(place.bitAddress), e: array, area: place.area)
            } else if let dynamic = place.dynamic {
                emit(
                    isStore ? .storeBitX : .loadBitX, a: register, b: place.areaNumber, c: dynamic,
                    d: Int32(place.bitAddress), e: place.dynamicInBits ? 1 : 8, area: place.area)
            } else {
                emit(
                    isStore ? .storeBit : .loadBit, a: register, b: place.areaNumber, d: Int32(place.byte),
                    e: Int32(place.bit), area: place.area)
            }
            return
        }
        let op = isStore ? type.storeOpcode : type.loadOpcode
        if let index = place.index {
            let array = array(
                ArrayDescriptor(low: Int32(index.low), count: Int32(index.count), stride: Int32(index.strideBits / 8)))
            emit(
                ValueType.arrayElement(op), a: register, b: place.areaNumber, c: index.register,
                d: Int32(place.byte), e: array, area: place.area)
        } else if let dynamic = place.dynamic {
            emit(
                ValueType.indexed(op), a: register, b: place.areaNumber, c: dynamic, d: Int32(place.byte), e: 1,
                area: place.area)
        } else {
            emit(op, a: register, b: place.areaNumber, d: Int32(place.byte), area: place.area)
        }
    }

    /// Copies `bytes` bytes from `source` to `destination` in chunks of 8, 4, 2 and 1 bytes (both places start on a
    /// byte; structures and strings).
    mutating func copy(bytes: Int, from source: Place, to destination: Place, scratch: UInt16) {
        for (offset, type) in Self.chunks(of: bytes) {
            var from = source
            from.bitAddress += offset * 8
            var to = destination
            to.bitAddress += offset * 8
            load(scratch, from: from, as: type)
            store(scratch, to: to, as: type)
        }
    }

    /// `bytes` bytes as the fewest accesses of 8, 4, 2 and 1 bytes: each access's byte offset and type.
    static func chunks(of bytes: Int) -> [(offset: Int, type: ValueType)] {
        var result: [(offset: Int, type: ValueType)] = []
        var offset = 0
        while offset < bytes {
            let remaining = bytes - offset
            let type: ValueType = remaining >= 8 ? .lWord : remaining >= 4 ? .dWord : remaining >= 2 ? .word : .byte
            result.append((offset, type))
            offset += type.bitWidth / 8
        }
        return result
    }
}
