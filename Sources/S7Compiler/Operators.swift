/// The opcode of an operation for a VM value type.
enum Operators {
    private static func byWidth(
        _ type: ValueType, _ i8: Opcode, _ i16: Opcode, _ i32: Opcode, _ i64: Opcode
    )
        -> Opcode
    {
        switch type.bitWidth {
        case 1, 8: i8
        case 16: i16
        case 32: i32
        default: i64
        }
    }

    static func add(_ type: ValueType) -> Opcode {
        type == .real ? .addF32 : type == .lReal ? .addF64 : byWidth(type, .addI8, .addI16, .addI32, .addI64)
    }

    static func subtract(_ type: ValueType) -> Opcode {
        type == .real ? .subF32 : type == .lReal ? .subF64 : byWidth(type, .subI8, .subI16, .subI32, .subI64)
    }

    static func multiply(_ type: ValueType) -> Opcode {
        type == .real ? .mulF32 : type == .lReal ? .mulF64 : byWidth(type, .mulI8, .mulI16, .mulI32, .mulI64)
    }

    static func divide(_ type: ValueType) -> Opcode {
        if type == .real { return .divF32 }
        if type == .lReal { return .divF64 }
        return type.isSignedInteger
            ? byWidth(type, .divS8, .divS16, .divS32, .divS64) : byWidth(type, .divU8, .divU16, .divU32, .divU64)
    }

    static func modulo(_ type: ValueType) -> Opcode {
        type.isSignedInteger
            ? byWidth(type, .modS8, .modS16, .modS32, .modS64) : byWidth(type, .modU8, .modU16, .modU32, .modU64)
    }

    static func negate(_ type: ValueType) -> Opcode {
        type == .real ? .negF32 : type == .lReal ? .negF64 : byWidth(type, .negI8, .negI16, .negI32, .negI64)
    }

    static func equal(_ type: ValueType) -> Opcode {
        type == .real ? .eqF32 : type == .lReal ? .eqF64 : byWidth(type, .eqI8, .eqI16, .eqI32, .eqI64)
    }

    static func notEqual(_ type: ValueType) -> Opcode {
        type == .real ? .neF32 : type == .lReal ? .neF64 : byWidth(type, .neI8, .neI16, .neI32, .neI64)
    }

    /// `addImm…` for integers of 16, 32 and 64 bits (the immediate wraps at the width like `add…`).
    static func addImmediate(_ type: ValueType) -> Opcode? {
        switch type.bitWidth {
        case 16: .addImmI16
        case 32: .addImmI32
        case 64: .addImmI64
        default: nil
        }
    }

    static func less(_ type: ValueType) -> Opcode {
        if type == .real { return .ltF32 }
        if type == .lReal { return .ltF64 }
        return type.isSignedInteger
            ? byWidth(type, .ltS8, .ltS16, .ltS32, .ltS64) : byWidth(type, .ltU8, .ltU16, .ltU32, .ltU64)
    }

    static func lessEqual(_ type: ValueType) -> Opcode {
        if type == .real { return .leF32 }
        if type == .lReal { return .leF64 }
        return type.isSignedInteger
            ? byWidth(type, .leS8, .leS16, .leS32, .leS64) : byWidth(type, .leU8, .leU16, .leU32, .leU64)
    }
}
