extension Opcode {
    /// The assembler name: `add.i16`, `load.s16.x`, `jump.lt.s32`, `call.fc` (the case name split at each run of
    /// capitals).
    public var mnemonic: String {
        var result = ""
        var previousWasUpper = false
        for character in String(describing: self) {
            if character.isUppercase {
                if !previousWasUpper { result += "." }
                result += character.lowercased()
                previousWasUpper = true
            } else {
                result.append(character)
                previousWasUpper = false
            }
        }
        // The indexed and array forms end in a lower-case letter after the width: load.s16x → load.s16.x.
        if let last = result.last, last == "x" || last == "a", result.dropLast().last?.isNumber == true {
            result = String(result.dropLast()) + "." + String(last)
        }
        return result
    }
}

extension String {
    fileprivate func padded(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}

extension BytecodeInstruction {
    /// The memory operand as `M[10]`, `DB5[4 + r2*4]`, `I[0].3`, `self[2]`.
    fileprivate var memoryOperand: String {
        let areaName = memoryOperandBase
        switch opcode {
        case .loadBit, .storeBit: return "\(areaName)[\(d)].\(e)"
        case .loadBitX, .storeBitX: return "\(areaName)[bit \(d) + r\(c)*\(e)]"
        case .loadS8x, .loadU8x, .loadS16x, .loadU16x, .loadS32x, .loadU32x, .load64x, .store8x, .store16x,
            .store32x, .store64x:
            return "\(areaName)[\(d) + r\(c)*\(e)]"
        case .loadS8a, .loadU8a, .loadS16a, .loadU16a, .loadS32a, .loadU32a, .load64a, .store8a, .store16a,
            .store32a, .store64a:
            return "\(areaName)[\(d) + array\(e)(r\(c))]"
        case .loadBitA, .storeBitA: return "\(areaName)[bit \(d) + array\(e)(r\(c))]"
        case .fillBlock, .moveBlock, .operand: return "\(areaName)[\(d) + array\(e)]"
        default: return "\(areaName)[\(d)]"
        }
    }

    /// The area of a memory operand: `M`, `DB5`, `self`, `L`.
    fileprivate var memoryOperandBase: String {
        switch areaKind {
        case .none: "?"
        case .local: "L"
        case .instance: "self"
        case .input: "I"
        case .output: "Q"
        case .marker: "M"
        case .globalDB: "DB\(b)"
        }
    }

    /// The instance operand of a call or built-in, as `DB3[0]` or `self[16]`.
    fileprivate var instanceOperand: String {
        switch areaKind {
        case .globalDB: "DB\(c)[\(d)]"
        case .instance: "self[\(d)]"
        default: "-"
        }
    }

    /// One listing line without the index: `add.i16     r2, r0, r1`. Block names come from `program` if given.
    public func disassembled(in block: CompiledBlock, program: CompiledProgram? = nil) -> String {
        let operands: String
        switch opcode {
        case .nop, .ret: operands = ""
        case .const32: operands = "r\(a), \(d)"
        case .const64:
            let value = block.constants.indices.contains(Int(d)) ? block.constants[Int(d)] : 0
            operands = "r\(a), k\(d) (0x\(String(value, radix: 16, uppercase: true)))"
        case .move, .negI8, .negI16, .negI32, .negI64, .negF32, .negF64, .not, .notBool, .f32ToF64, .f64ToF32:
            operands = "r\(a), r\(b)"
        case .addImmI16, .addImmI32, .addImmI64: operands = "r\(a), r\(b), \(d)"
        case .divS8, .divS16, .divS32, .divS64, .divU8, .divU16, .divU32, .divU64, .modS8, .modS16, .modS32,
            .modS64, .modU8, .modU16, .modU32, .modU64:
            operands = "r\(a), r\(b), r\(c)" + (e == DivisionByZeroPolicy.programmingError.rawValue ? ", trap" : "")
        case .extS, .extU: operands = "r\(a), r\(b), \(d)"
        case .intToF32, .intToF64: operands = "r\(a), r\(b), \(Self.typeName(e))"
        case .f32ToInt, .f64ToInt:
            let mode = RoundingMode(rawValue: e).map { String(describing: $0) } ?? "?"
            operands = "r\(a), r\(b), \(Self.typeName(Int32(c))), \(mode)"
        case .intToInt: operands = "r\(a), r\(b), \(Self.typeName(e)) -> \(Self.typeName(Int32(c)))"
        case .loadS8, .loadU8, .loadS16, .loadU16, .loadS32, .loadU32, .load64, .loadS8x, .loadU8x, .loadS16x,
            .loadU16x, .loadS32x, .loadU32x, .load64x, .loadBit, .loadBitX:
            operands = "r\(a), \(memoryOperand)"
        case .loadS8a, .loadU8a, .loadS16a, .loadU16a, .loadS32a, .loadU32a, .load64a, .loadBitA:
            operands = "r\(a), \(memoryOperand)"
        case .store8, .store16, .store32, .store64, .store8x, .store16x, .store32x, .store64x, .storeBit,
            .storeBitX, .store8a, .store16a, .store32a, .store64a, .storeBitA:
            operands = "\(memoryOperand), r\(a)"
        case .fillBlock: operands = "window r\(a), \(memoryOperand)"
        case .fillLoop: operands = "for r\(a) to r\(c) by r\(d): element := r\(b)"
        case .countLoop: operands = "for r\(a) to r\(c) by r\(d): r\(b) += \(e) per element"
        case .moveBlock: operands = "window r\(a), to \(memoryOperand)"
        case .operand: operands = "from \(memoryOperand)"
        case .checkIndex: operands = "r\(a), r\(b), \(d)..\(e)"
        case .jump: operands = "-> \(Self.target(d))"
        case .jumpIf, .jumpIfNot: operands = "r\(a), -> \(Self.target(d))"
        case .jumpLtS32, .jumpLeS32: operands = "r\(b), r\(c), -> \(Self.target(d))"
        case .incJumpLtS32, .incJumpLeS32: operands = "r\(a) += \(e), r\(c), -> \(Self.target(d))"
        case .stepJumpS32: operands = "r\(a) += r\(b), r\(c), -> \(Self.target(d))"
        case .addJumpLtS32: operands = "r\(a) += r\(b), r\(c), -> \(Self.target(d))"
        case .setENO, .getENO: operands = "r\(a)"
        case .callFC, .callFB:
            let callee =
                program.flatMap { $0.blocks.indices.contains(Int(a)) ? $0.blocks[Int(a)].displayName : nil }
                ?? "#\(a)"
            let instance = opcode == .callFB ? ", " + instanceOperand : ""
            let eno = e > 0 ? ", eno -> r\(e - 1)" : ""
            operands = "\(callee)\(instance), window r\(b)\(eno)"
        case .address: operands = "r\(a), " + (e == 0 ? "\(memoryOperand)" : "\(memoryOperandBase)[\(d) + r\(c)*\(e)]")
        case .addressA: operands = "r\(a), \(memoryOperandBase)[\(d) + array\(e)(r\(c))]"
        case .library:
            let name = LibraryInstruction(rawValue: a)?.name ?? "#\(a)"
            operands = "\(name), window r\(b)" + (d != 0 ? ", d=\(d)" : "") + (e != 0 ? ", \(Self.typeName(e))" : "")
        case .builtin:
            let name = BuiltinInstruction(rawValue: a)?.name ?? "#\(a)"
            let instance =
                BuiltinInstruction(rawValue: a)?.hasInstance == true
                ? ", " + instanceOperand : (d > 0 ? ", n=\(d)" : "")
            operands = "\(name).\(Self.typeName(e)), window r\(b)\(instance)"
        default: operands = "r\(a), r\(b), r\(c)"
        }
        return operands.isEmpty ? opcode.mnemonic : opcode.mnemonic.padded(to: 12) + operands
    }

    private static func typeName(_ raw: Int32) -> String {
        UInt8(exactly: raw).flatMap(ValueType.init(rawValue:))?.name ?? "?"
    }

    private static func target(_ index: Int32) -> String {
        let digits = String(index)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

extension CompiledBlock {
    /// A listing of the block: a header, then each instruction with its index, preceded by its source line
    /// whenever the line changes. With `source` (the block's source text split into lines, line 1 first) the line
    /// is quoted; otherwise only its number is shown.
    ///
    /// ```
    /// OB1 "Main"  registers 2, local 0 B, instance 0 B
    ///      2 | #i := 0;
    /// 0000  const32     r0, 0
    /// ```
    public func disassembly(source: [String]? = nil, program: CompiledProgram? = nil) -> String {
        var lines = ["\(displayName)  registers \(registerCount), local \(tempSize) B, instance \(instanceSize) B"]
        for slot in interface {
            let location =
                switch slot.location {
                case .register(let n): "r\(n)"
                case .instance(let byte, let bit): "self[\(byte)].\(bit)"
                case .local(let byte, let bit): "L[\(byte)].\(bit)"
                }
            lines.append("  ; \(slot.section.rawValue) \(slot.name) : \(slot.dataType) @ \(location)")
        }
        for (index, array) in arrays.enumerated() {
            lines.append("  ; array\(index): low \(array.low), count \(array.count), stride \(array.stride)")
        }
        var lastLine: Int?
        for (index, instruction) in instructions.enumerated() {
            if let position = sourcePosition(ofInstruction: index), position.line != lastLine {
                lastLine = position.line
                let number = String(position.line)
                let gutter = String(repeating: " ", count: max(0, 6 - number.count)) + number
                if let source, source.indices.contains(position.line - 1) {
                    lines.append("\(gutter) | \(source[position.line - 1])")
                } else {
                    lines.append("\(gutter) |")
                }
            }
            let digits = String(index)
            let label = String(repeating: "0", count: max(0, 4 - digits.count)) + digits
            lines.append("\(label)  \(instruction.disassembled(in: self, program: program))")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
