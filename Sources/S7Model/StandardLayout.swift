/// Why a layout could not be computed.
public struct LayoutError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong, e.g. `unknown type "UDT_Valve"`.
    public var message: String
    /// The member the problem is in, e.g. `motors.speed`.
    public var path: String

    public init(message: String, path: String) {
        self.message = message
        self.path = path
    }

    public var description: String { "\(path): \(message)" }
}

/// One member placed in memory: where it starts and how much it takes.
public struct LayoutEntry: Hashable, Sendable {
    /// Member names joined by `.`, e.g. `x.z`.
    public var path: String
    public var dataType: DataType
    public var byteOffset: Int
    /// The bit within the byte: 0...7 for a Bool, 0 for everything else.
    public var bitOffset: Int
    /// The size: 1 for a Bool, 8 × bytes otherwise (a struct, array or UDT with its padding).
    public var sizeInBits: Int
    /// For an array, the distance between consecutive elements: 1 for Bool, 8 for Byte, Char, SInt, USInt,
    /// otherwise the element's size rounded up to an even number of bytes, in bits. Nil for other types.
    public var elementStrideInBits: Int?

    public init(
        path: String, dataType: DataType, byteOffset: Int, bitOffset: Int, sizeInBits: Int,
        elementStrideInBits: Int? = nil
    ) {
        self.path = path
        self.dataType = dataType
        self.byteOffset = byteOffset
        self.bitOffset = bitOffset
        self.sizeInBits = sizeInBits
        self.elementStrideInBits = elementStrideInBits
    }

    /// The size in whole bytes (a Bool counts as 1).
    public var sizeInBytes: Int { (sizeInBits + 7) / 8 }

    /// The offset as TIA shows it in the Offset column of a standard DB: `24.0`, `0.1`.
    public var offsetDescription: String { "\(byteOffset).\(bitOffset)" }
}

/// The memory layout of a block or UDT with standard (not optimized) access, with the offsets TIA Portal shows in
/// the Offset column.
///
/// Rules:
/// - A Bool takes the next bit; consecutive Bools share a byte, bits 0 to 7, and then continue in the next byte.
/// - Byte, Char, SInt and USInt start on the next byte.
/// - Every other elementary type (2 bytes or more: Word, Int, Real, Time, Date, S5Time, WChar, String, WString,
///   DT, DTL, LReal, ...) starts on the next even byte.
/// - A Struct, UDT instance, array or IEC system block starts on the next even byte and takes an even number of
///   bytes (its end is padded).
/// - Sizes: String[n] n + 2, WString[n] 2n + 4, DTL 12, DT 8, LDT/LTOD/LTime/LWord/LInt/ULInt/LReal 8, Date 2,
///   Time_Of_Day 4, S5Time 2, Char 1, WChar 2; parameter types Pointer 6, Any 10, Block_FB/FC/DB, Timer, Counter
///   and DB_ANY 2.
/// - Arrays store their elements in order (multi-dimensional: last index fastest) without gaps: Bools bit by bit
///   (`Array[0..9] of Bool` is 10 bits, padded to 2 bytes), byte types byte by byte, any other element at a
///   stride of its size rounded up to even.
/// - IEC system blocks as instances (sizes from the S7-1200/S7-1500 manuals, rounded up to even): TON, TOF, TP,
///   TONR, their `_TIME` forms and IEC_TIMER 16 bytes; the `_LTIME` forms and IEC_LTIMER 32; counters of SInt
///   and USInt 4 (3 + 1 pad), of Int and UInt 6, of DInt and UDInt 12, of LInt and ULInt 24; R_TRIG and F_TRIG
///   2 (3 bits + pad). Their members are not listed.
/// - The whole block takes an even number of bytes, like a struct.
///
/// Worked example: `a Bool, b Bool, c Int, d Byte, e Bool, f Real` gives a 0.0, b 0.1, c 2.0 (after the Bools
/// the next even byte), d 4.0, e 5.0 (a Bool after a Byte takes a new byte), f 6.0, and a total of 10 bytes.
public struct StandardLayout: Hashable, Sendable {
    /// Every member and nested struct or UDT member, in declaration order; arrays are single entries.
    public var entries: [LayoutEntry]
    /// The total size in bytes (even).
    public var sizeInBytes: Int

    /// Lays out `members`.
    ///
    /// - Parameters:
    ///   - resolve: the members of a UDT by name (without quotes), for `.named` and `.systemDataType`; nil when
    ///     the type is unknown, which fails with `unknown type "X"`.
    ///   - constant: the value of a symbolic array bound or string length, as written (`#N`, `"MaxItems"`);
    ///     nil fails.
    public init(
        members: [StructMember], resolve: (String) -> [StructMember]? = { _ in nil },
        constant: (String) -> Int? = { _ in nil }
    ) throws(LayoutError) {
        var builder = LayoutBuilder()
        let bits = try builder.placeMembers(members, prefix: "", at: 0, expanding: [], resolve, constant)
        entries = builder.entries
        sizeInBytes = LayoutBuilder.roundEven((bits + 7) / 8)
    }

    /// The entry of a path such as `x.z`, compared case-insensitively.
    public func entry(_ path: String) -> LayoutEntry? {
        let key = path.lowercased()
        return entries.first { $0.path.lowercased() == key }
    }

    /// The bytes an IEC system block instance takes in a standard block (see the type's rules).
    public static func size(of block: SystemFBType) -> Int {
        switch block.family {
        case .edge: return 2
        case .timer: return block.timeType == .lTime ? 32 : 16
        case .counter:
            switch block.countType {
            case .sInt, .usInt: return 4
            case .dInt, .udInt: return 12
            case .lInt, .ulInt: return 24
            default: return 6
            }
        }
    }
}

/// Places members bit by bit; offsets are absolute bit positions. `resolve` and `constant` are the closures of
/// `StandardLayout.init`, passed along because they do not escape.
private struct LayoutBuilder {
    typealias Resolve = (String) -> [StructMember]?
    typealias Constant = (String) -> Int?

    var entries: [LayoutEntry] = []

    static func roundEven(_ bytes: Int) -> Int { bytes + bytes % 2 }

    /// The alignment of a type in bits (1, 8 or 16).
    static func alignment(of type: DataType) -> Int {
        switch type {
        case .bool: 1
        case .byte, .char, .sInt, .usInt: 8
        default: 16
        }
    }

    static func align(_ bits: Int, to alignment: Int) -> Int { (bits + alignment - 1) / alignment * alignment }

    static func value(of bound: DataType.Bound, path: String, _ constant: Constant) throws(LayoutError) -> Int {
        switch bound {
        case .value(let value): return value
        case .constant(let name):
            guard let value = constant(name) else { throw LayoutError(message: "unknown constant \(name)", path: path) }
            return value
        }
    }

    mutating func placeMembers(
        _ members: [StructMember], prefix: String, at start: Int, expanding: [String], _ resolve: Resolve,
        _ constant: Constant
    ) throws(LayoutError) -> Int {
        var cursor = start
        for member in members {
            cursor = try place(
                member.dataType, path: prefix + member.name, at: cursor, expanding: expanding, resolve, constant)
        }
        return cursor
    }

    /// Places one member at or after `cursor`; returns the bit after it.
    mutating func place(
        _ type: DataType, path: String, at cursor: Int, expanding: [String], _ resolve: Resolve,
        _ constant: Constant
    ) throws(LayoutError) -> Int {
        let start = LayoutBuilder.align(cursor, to: LayoutBuilder.alignment(of: type))
        let index = entries.count
        entries.append(
            LayoutEntry(path: path, dataType: type, byteOffset: start / 8, bitOffset: start % 8, sizeInBits: 0))
        var stride: Int?
        let bits: Int
        switch type {
        case .struct(let members):
            let end = try placeMembers(members, prefix: path + ".", at: start, expanding: expanding, resolve, constant)
            bits = LayoutBuilder.roundEven((end - start + 7) / 8) * 8
        case .named(let name), .systemDataType(let name):
            if expanding.contains(where: { $0.lowercased() == name.lowercased() }) {
                throw LayoutError(message: "type \(type) contains itself", path: path)
            }
            guard let members = resolve(name) else { throw LayoutError(message: "unknown type \(type)", path: path) }
            let end = try placeMembers(
                members, prefix: path + ".", at: start, expanding: expanding + [name], resolve, constant)
            bits = LayoutBuilder.roundEven((end - start + 7) / 8) * 8
        case .array(let dimensions, let element):
            var count = 1
            for dimension in dimensions {
                guard case .range(let low, let high) = dimension else {
                    throw LayoutError(message: "Array[*] has no layout in a standard block", path: path)
                }
                let lo = try LayoutBuilder.value(of: low, path: path, constant)
                let hi = try LayoutBuilder.value(of: high, path: path, constant)
                count *= max(0, hi - lo + 1)
            }
            let elementBits = try size(of: element, path: path + "[]", expanding: expanding, resolve, constant)
            let elementStride =
                switch LayoutBuilder.alignment(of: element) {
                case 1: 1
                case 8: 8
                default: LayoutBuilder.roundEven((elementBits + 7) / 8) * 8
                }
            stride = elementStride
            bits = LayoutBuilder.roundEven((count * elementStride + 7) / 8) * 8
        default:
            bits = try LayoutBuilder.elementarySize(of: type, path: path, constant)
        }
        entries[index].sizeInBits = bits
        entries[index].elementStrideInBits = stride
        return start + bits
    }

    /// The size of an array element, measured without keeping its entries.
    mutating func size(
        of type: DataType, path: String, expanding: [String], _ resolve: Resolve, _ constant: Constant
    ) throws(LayoutError) -> Int {
        let saved = entries
        defer { entries = saved }
        return try place(type, path: path, at: 0, expanding: expanding, resolve, constant)
    }

    /// Bits of a type that has no members.
    static func elementarySize(of type: DataType, path: String, _ constant: Constant) throws(LayoutError) -> Int {
        switch type {
        case .string(let length): return (try value(of: length, path: path, constant) + 2) * 8
        case .wString(let length): return (2 * (try value(of: length, path: path, constant)) + 4) * 8
        case .systemFB(let block): return StandardLayout.size(of: block) * 8
        case .pointer: return 48
        case .any: return 80
        case .blockFB, .blockFC, .blockDB, .timer, .counter, .dbAny: return 16
        default:
            guard let bits = type.bitWidth else {
                throw LayoutError(message: "\(type) has no layout in a standard block", path: path)
            }
            return bits
        }
    }
}
