import S7Model

/// The types an operand may be shown and written as, given as a suffix (`%MD4:REAL`); each fits one access width.
public enum S7OperandType: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case bool = "BOOL"
    case byte = "BYTE"
    case char = "CHAR"
    case sInt = "SINT"
    case usInt = "USINT"
    case word = "WORD"
    case int = "INT"
    case uInt = "UINT"
    case s5Time = "S5TIME"
    case dWord = "DWORD"
    case dInt = "DINT"
    case udInt = "UDINT"
    case real = "REAL"
    case time = "TIME"

    /// The width of the access the type needs: 1, 8, 16 or 32 bits.
    public var bitWidth: Int {
        switch self {
        case .bool: 1
        case .byte, .char, .sInt, .usInt: 8
        case .word, .int, .uInt, .s5Time: 16
        case .dWord, .dInt, .udInt, .real, .time: 32
        }
    }

    public var description: String { rawValue }

    var dataType: DataType {
        switch self {
        case .bool: .bool
        case .byte: .byte
        case .char: .char
        case .sInt: .sInt
        case .usInt: .usInt
        case .word: .word
        case .int: .int
        case .uInt: .uInt
        case .s5Time: .s5Time
        case .dWord: .dWord
        case .dInt: .dInt
        case .udInt: .udInt
        case .real: .real
        case .time: .time
        }
    }
}

/// An operand that cannot be read, or a value that cannot be written to it; the message names the operand.
public struct S7OperandError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The operand as given (or its canonical form once parsed).
    public var operand: String
    public var message: String

    public init(operand: String, message: String) {
        self.operand = operand
        self.message = message
    }

    public var description: String { "\(operand): \(message)" }
}

/// A value read from an operand, in the few shapes a JSON document or a terminal line needs.
public enum S7OperandValue: Hashable, Sendable, CustomStringConvertible {
    case bool(Bool)
    /// Every integer and bit string (bit strings unsigned).
    case integer(Int64)
    /// REAL, holding the shortest decimal that reads back to the same single-precision value (1.1, not 1.100000023).
    case real(Double)
    /// An S7 literal of a value with no number form: `T#1s`, `S5T#2s`, `'a'`, or `16#…` raw bytes that did not
    /// decode.
    case text(String)

    /// The S7 literal: `TRUE`, `5`, `1.5`, `T#1s`.
    public var description: String {
        switch self {
        case .bool(let value): value ? "TRUE" : "FALSE"
        case .integer(let value): String(value)
        case .real(let value): PLCValue.lReal(value).format()
        case .text(let text): text
        }
    }

    init(_ value: PLCValue) {
        switch value {
        case .bool(let bool):
            self = .bool(bool)
        case .real(let real):
            // Through the shortest text, so that 1.1 stays 1.1 and does not become 1.100000023841858.
            self = .real(Double("\(real)") ?? Double(real))
        case .lReal(let real):
            self = .real(real)
        default:
            if let integer = value.integerValue, let small = Int64(exactly: integer) {
                self = .integer(small)
            } else {
                self = .text(value.format())
            }
        }
    }
}

/// An absolute operand of a CPU as an S7 client reads and writes it: an S7Model `Address` with an optional type
/// suffix, mapped to the ANY pointer of a read/write item.
///
/// ```
/// %MW10          markers, 2 bytes at 10, shown as WORD (unsigned)
/// %MD4:REAL      markers, 4 bytes at 4, shown as REAL
/// %M2.3          markers, bit 2.3, shown as BOOL
/// %IW256:P       peripheral area (0x80), 2 bytes at 256
/// %DB1.DBX0.1    DB 1, bit 0.1
/// %T5, %C3       S5 timer 5 (shown as S5TIME), counter 3 (shown as WORD), addressed by number
/// ```
///
/// Without a suffix a bit is a BOOL, a byte a BYTE, a word a WORD and a double word a DWORD, all unsigned; a suffix
/// must have the width of the access (`%MW10:REAL` is an error).
public struct S7Operand: Hashable, Sendable, CustomStringConvertible {
    /// The read/write item: byte accesses use transport size BYTE with the byte count (as PUT/GET clients do),
    /// bits BIT, timers and counters their own transport size with count 1.
    public let address: S7VariableAddress
    /// How the bytes are shown and how a written value is read.
    public let type: S7OperandType
    /// The canonical form: `%MW10`, `%DB1.DBD4:REAL` (the suffix only when one was given).
    public let description: String

    /// Reads `%MW10`, `%DB1.DBX0.1`, `%IW256:P:INT`, `%T5`, … (every form `Address(parsing:)` accepts, in any
    /// case), with an optional `:TYPE` suffix.
    public init(parsing text: String) throws(S7OperandError) {
        let given = Self.trimmed(Substring(text))
        var addressText = given
        var explicitType: S7OperandType?
        if let colon = given.lastIndex(of: ":") {
            let suffix = Self.trimmed(given[given.index(after: colon)...]).uppercased()
            if let type = S7OperandType(rawValue: suffix) {
                explicitType = type
                addressText = given[..<colon]
            } else if suffix != "P" {
                let known = S7OperandType.allCases.map(\.rawValue).joined(separator: ", ")
                throw S7OperandError(
                    operand: String(given), message: "unknown type '\(suffix)' (one of \(known), or P for peripheral)")
            }
        }
        let parsed: Address
        do throws(AddressError) {
            parsed = try Address(parsing: String(addressText))
        } catch {
            throw S7OperandError(operand: String(given), message: error.message)
        }
        let type = explicitType ?? Self.defaultType(of: parsed)
        guard type.bitWidth == parsed.sizeInBits else {
            throw S7OperandError(
                operand: String(given),
                message: "\(type) is \(type.bitWidth) bits wide but \(parsed) is \(Self.widthName(parsed))")
        }
        self.type = type
        address = Self.variableAddress(of: parsed)
        description = parsed.description + (explicitType.map { ":\($0)" } ?? "")
    }

    /// The value the bytes of a read hold (one byte, 0 or 1, for a bit); bytes that do not decode come back as
    /// `.text("16#…")`.
    public func decode(_ bytes: [UInt8]) -> S7OperandValue {
        let expected = max(1, type.bitWidth / 8)
        guard bytes.count == expected, let value = try? PLCValue.decode(bytes, as: type.dataType) else {
            return .text("16#" + bytes.map(Self.hexByte).joined())
        }
        return S7OperandValue(value)
    }

    /// The bytes to write for an S7 literal: `TRUE`/`FALSE`/`1`/`0` for a BOOL, `5`, `-2` or `16#FF` for integers
    /// and bit strings, `1.5` for a REAL, `T#1s` for a TIME, `S5T#2s` for an S5TIME, `'a'` for a CHAR.
    public func encode(_ text: String) throws(S7OperandError) -> [UInt8] {
        let value: PLCValue
        do throws(LiteralError) {
            value = try PLCValue.parse(text, as: type.dataType)
        } catch {
            throw S7OperandError(operand: description, message: "'\(text)' is not a \(type) value: \(error.message)")
        }
        do throws(PLCValueCodingError) {
            return try value.encoded(as: type.dataType)
        } catch {
            throw S7OperandError(operand: description, message: error.message)
        }
    }

    // MARK: Mapping

    static func defaultType(of address: Address) -> S7OperandType {
        switch address.area {
        case .timer: return .s5Time
        case .counter: return .word
        default:
            switch address.size {
            case .bit: return .bool
            case .byte: return .byte
            case .word: return .word
            case .dWord: return .dWord
            }
        }
    }

    static func variableAddress(of address: Address) -> S7VariableAddress {
        switch address.area {
        case .timer:
            return S7VariableAddress(area: .timers, transportSize: .timer, count: 1, byteOffset: address.byteOffset)
        case .counter:
            return S7VariableAddress(
                area: .counters, transportSize: .counter, count: 1, byteOffset: address.byteOffset)
        case .input, .output, .memory, .dataBlock:
            let area: S7Area =
                switch address.area {
                case .input: address.isPeripheral ? .peripheral : .inputs
                case .output: address.isPeripheral ? .peripheral : .outputs
                case .memory: .markers
                default: .dataBlock
                }
            let db = address.dbNumber ?? 0
            if address.size == .bit {
                return S7VariableAddress(
                    area: area, dbNumber: db, transportSize: .bit, count: 1, byteOffset: address.byteOffset,
                    bit: address.bit ?? 0)
            }
            return S7VariableAddress(
                area: area, dbNumber: db, transportSize: .byte, count: address.sizeInBits / 8,
                byteOffset: address.byteOffset)
        }
    }

    static func widthName(_ address: Address) -> String {
        switch address.size {
        case .bit: "a bit"
        case .byte: "a byte (8 bits)"
        case .word: address.area == .timer || address.area == .counter ? "a 16-bit word" : "a word (16 bits)"
        case .dWord: "a double word (32 bits)"
        }
    }

    static func trimmed(_ text: Substring) -> Substring {
        var start = text.startIndex
        var end = text.endIndex
        while start < end, text[start].isWhitespace { start = text.index(after: start) }
        while end > start, text[text.index(before: end)].isWhitespace { end = text.index(before: end) }
        return text[start..<end]
    }

    static func hexByte(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return byte < 0x10 ? "0" + digits : digits
    }
}
