import S7Model

/// A value known at compile time: a literal, a constant or a folded expression.
///
/// An integer literal without a type prefix (`5`) is `untyped`: it takes the type of what it meets (an Int
/// operand, the target of an assignment) as long as its value fits, as TIA does; alone it is a DInt (LInt when it
/// does not fit). Untyped reals (`1.5`) become REAL, or LREAL next to an LREAL.
struct Constant {
    enum Payload {
        case integer(Int128)
        case real(Double)
        case bool(Bool)
        /// Characters of a String literal (Windows-1252 bytes).
        case string([UInt8])
    }

    var payload: Payload
    var type: DataType
    var untyped = false

    init(_ payload: Payload, type: DataType, untyped: Bool = false) {
        self.payload = payload
        self.type = type
        self.untyped = untyped
    }

    /// The constant for a parsed literal value.
    init?(_ value: PLCValue, untyped: Bool = false) {
        let type = value.dataType
        switch value {
        case .bool(let bool): self.init(.bool(bool), type: type)
        case .real(let real): self.init(.real(Double(real)), type: type, untyped: untyped)
        case .lReal(let real): self.init(.real(real), type: type, untyped: untyped)
        case .string(let text): self.init(.string(Constant.windows1252(text)), type: type)
        case .char(let code): self.init(.integer(Int128(code)), type: type)
        case .wChar(let code): self.init(.integer(Int128(code)), type: type)
        case .s5Time:
            // An S5TIME is a word in memory and in registers: time base and three BCD digits.
            guard let bytes = try? value.encoded(as: .s5Time), bytes.count == 2 else { return nil }
            self.init(.integer(Int128(bytes[0]) << 8 | Int128(bytes[1])), type: type)
        case .time(let milliseconds): self.init(.integer(Int128(milliseconds)), type: type)
        case .lTime(let nanoseconds): self.init(.integer(Int128(nanoseconds)), type: type)
        case .date(let days): self.init(.integer(Int128(days)), type: type)
        case .timeOfDay(let milliseconds): self.init(.integer(Int128(milliseconds)), type: type)
        case .lTimeOfDay(let nanoseconds): self.init(.integer(Int128(nanoseconds)), type: type)
        default:
            guard let integer = value.integerValue else { return nil }
            self.init(.integer(integer), type: type, untyped: untyped)
        }
    }

    var integer: Int128? {
        if case .integer(let value) = payload { return value }
        if case .bool(let value) = payload { return value ? 1 : 0 }
        return nil
    }

    var real: Double? {
        switch payload {
        case .real(let value): value
        case .integer(let value): Double(value)
        default: nil
        }
    }

    /// The 64-bit register pattern of the constant as `type`: integers wrapped to the width and sign-extended,
    /// REAL as Float bits, LREAL as Double bits.
    func bits(as type: ValueType) -> UInt64 {
        switch type {
        case .real: return UInt64(Float(real ?? 0).bitPattern)
        case .lReal: return (real ?? 0).bitPattern
        default:
            let value = integer ?? Int128(real ?? 0)
            let truncated = UInt64(truncatingIfNeeded: value)
            switch type.bitWidth {
            case 1: return value != 0 ? 1 : 0
            case 8: return UInt64(bitPattern: Int64(Int8(truncatingIfNeeded: truncated)))
            case 16: return UInt64(bitPattern: Int64(Int16(truncatingIfNeeded: truncated)))
            case 32: return UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: truncated)))
            default: return truncated
            }
        }
    }

    /// Characters outside Windows-1252 become `?`.
    static func windows1252(_ text: String) -> [UInt8] {
        text.unicodeScalars.map { Windows1252.encode($0) ?? UInt8(ascii: "?") }
    }
}
