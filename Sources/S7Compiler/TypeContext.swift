import S7Model

/// Data types of one device as the compiler sees them: type texts parsed into `DataType`, the members of structures,
/// PLC data types and FB instances, and their standard layout (the compiler lays out optimized blocks the same way,
/// so every block has one layout and `%DB1.DBW2` of a standard DB means what TIA shows).
///
///     let types = TypeContext(symbols: index)
///     let layout = try types.layout(of: .named("typeMotor"))   // members at their offsets
final class TypeContext {
    let symbols: SymbolIndex
    private var layouts: [DataType: StandardLayout] = [:]
    private var sizes: [DataType: Int] = [:]
    private var blockConstants: [String: [String: Int]] = [:]

    init(symbols: SymbolIndex) {
        self.symbols = symbols
    }

    // MARK: Type texts

    /// The type a member declares: its type text parsed, with the members of a `Struct` (also as array element)
    /// filled in from the member's nested members.
    func type(of member: Member) throws(LayoutError) -> DataType {
        let parsed: DataType
        do {
            parsed = try DataType(parsing: member.dataType)
        } catch {
            throw LayoutError(message: "invalid data type '\(member.dataType)'", path: member.name)
        }
        // A type this device does not know (GRAPH's G7_RTDataPlus_V6, a technology object's data) whose SimaticML
        // declaration lists its members: a structure of those members.
        switch parsed {
        case .named(let name), .systemDataType(let name):
            guard named(name) == nil, !member.sections.isEmpty else { break }
            let inner = member.sections.flatMap(\.members)
            return .struct(
                try inner.map { (inner) throws(LayoutError) in StructMember(inner.name, try type(of: inner)) })
        default: break
        }
        guard !member.members.isEmpty else { return parsed }
        let nested = try member.members.map { (inner) throws(LayoutError) in
            StructMember(inner.name, try type(of: inner))
        }
        switch parsed {
        case .struct: return .struct(nested)
        case .array(let dimensions, .struct): return .array(dimensions, of: .struct(nested))
        default: return parsed
        }
    }

    /// The type a member of `block`'s interface declares, with the block's local constants in its bounds and
    /// lengths replaced by their values (see `resolvingLocalConstants`).
    func type(of member: Member, in block: Block?) throws(LayoutError) -> DataType {
        let declared = try type(of: member)
        guard let block else { return declared }
        return resolvingLocalConstants(declared, of: block)
    }

    /// Members of a list of interface members, typed; `block` is the block whose interface holds them, for its
    /// local constants.
    func structMembers(_ members: [Member], in block: Block? = nil) throws(LayoutError) -> [StructMember] {
        try members.map { (member) throws(LayoutError) in StructMember(member.name, try type(of: member, in: block)) }
    }

    // MARK: Local constants

    /// The integer local constants (`VAR CONSTANT`) of a block, by lower-cased name.
    func localConstants(of block: Block) -> [String: Int] {
        let key = block.name.lowercased()
        if let cached = blockConstants[key] { return cached }
        var constants: [String: Int] = [:]
        for member in block.interface.section(.constant)?.members ?? [] {
            guard let text = member.startValue, let type = try? DataType(parsing: member.dataType),
                let value = try? PLCValue.parse(text, as: type), let integer = value.integerValue,
                let number = Int(exactly: integer)
            else { continue }
            constants[member.name.lowercased()] = number
        }
        blockConstants[key] = constants
        return constants
    }

    /// `type` with every array bound and string length that names a local constant of `block` (`#N` or `N`; a
    /// quoted `"N"` is a global constant) replaced by its value. With `QueueSize : Int := 15` in
    /// "QueueController", `Array[0..#QueueSize] of "PlankOnChain"` becomes `Array[0..15] of "PlankOnChain"`, so
    /// the FB, its instance DBs and every block that reads `"QueueController_DB".Data[i]` lay it out alike.
    func resolvingLocalConstants(_ type: DataType, of block: Block) -> DataType {
        let constants = localConstants(of: block)
        guard !constants.isEmpty else { return type }
        func bound(_ bound: DataType.Bound) -> DataType.Bound {
            guard case .constant(let text) = bound else { return bound }
            guard !text.hasPrefix("\"") else { return bound }
            let name = text.hasPrefix("#") ? String(text.dropFirst()) : text
            return constants[name.lowercased()].map(DataType.Bound.value) ?? bound
        }
        func resolve(_ type: DataType) -> DataType {
            switch type {
            case .string(let length): return .string(bound(length))
            case .wString(let length): return .wString(bound(length))
            case .array(let dimensions, let element):
                let resolved = dimensions.map { dimension -> DataType.Dimension in
                    guard case .range(let low, let high) = dimension else { return dimension }
                    return .range(bound(low), bound(high))
                }
                return .array(resolved, of: resolve(element))
            case .struct(let members):
                return .struct(members.map { StructMember($0.name, resolve($0.dataType)) })
            default: return type
            }
        }
        return resolve(type)
    }

    // MARK: Named types

    /// What a quoted or unquoted type name stands for.
    enum NamedType {
        case dataType(PlcDataType)
        case functionBlock(Block)
        case system(SystemFBType)
    }

    func named(_ name: String) -> NamedType? {
        if let udt = symbols.dataType(name) { return .dataType(udt) }
        if case .block(let block) = symbols.symbol(SymbolIndex.unquoted(name)), block.kind == .functionBlock {
            return .functionBlock(block)
        }
        if let system = SystemFBType(name: name) { return .system(system) }
        return nil
    }

    /// The sections of an FB that its instance data holds, in TIA's order: Input, Output, InOut, Static.
    static func instanceSections(of block: Block) -> [InterfaceSection] {
        let order: [InterfaceSection.Kind] = [.input, .output, .inOut, .static]
        return order.compactMap { kind in block.interface.section(kind) }
    }

    /// The members a type has: a Struct's, a PLC data type's, an FB instance's (Input, Output, InOut, Static). Nil
    /// for elementary types, arrays and system blocks (see `SystemMember`).
    func members(of type: DataType) throws(LayoutError) -> [StructMember]? {
        switch type {
        case .struct(let members): return members
        case .named(let name), .systemDataType(let name):
            switch named(name) {
            case .dataType(let udt): return try structMembers(udt.members)
            case .functionBlock(let fb):
                return try structMembers(TypeContext.instanceSections(of: fb).flatMap(\.members), in: fb)
            case .system, nil: return nil
            }
        default: return nil
        }
    }

    /// A named type normalised: an unquoted name of a system block becomes `.systemFB`.
    func normalized(_ type: DataType) -> DataType {
        switch type {
        case .named(let name), .systemDataType(let name):
            if case .system(let system) = named(name) { return .systemFB(system) }
            return type
        case .array(let dimensions, let element): return .array(dimensions, of: normalized(element))
        default: return type
        }
    }

    // MARK: Constants

    /// The integer value of a global constant named in an array bound or string length (`"N"`, `N`).
    func globalConstant(_ text: String) -> Int? {
        guard case .constant(let constant, _) = symbols.symbol(SymbolIndex.unquoted(text)) else { return nil }
        let type = (try? DataType(parsing: constant.dataType)) ?? .dInt
        guard let value = try? PLCValue.parse(constant.value, as: type), let integer = value.integerValue else {
            return nil
        }
        return Int(exactly: integer)
    }

    // MARK: Layout

    /// The standard layout of a structured type's members, from offset 0.
    func layout(
        of type: DataType, localConstant: (String) -> Int? = { _ in nil }
    ) throws(LayoutError)
        -> StandardLayout
    {
        if let cached = layouts[type] { return cached }
        guard let members = try members(of: type) else {
            throw LayoutError(message: "\(type) has no members", path: "")
        }
        let layout = try layout(members: members, localConstant: localConstant)
        layouts[type] = layout
        return layout
    }

    /// The standard layout of `members`, resolving PLC data types and FB instances by name.
    func layout(
        members: [StructMember], localConstant: (String) -> Int? = { _ in nil }
    ) throws(LayoutError)
        -> StandardLayout
    {
        try StandardLayout(
            members: members,
            resolve: { [self] name in
                if case .system = named(name) { return nil }
                return try? self.members(of: .named(name))
            },
            constant: { [self] text in localConstant(text) ?? globalConstant(text) })
    }

    /// The size of a value of `type` in bits (Bool 1, everything else whole bytes, padded like a struct member).
    func sizeInBits(of type: DataType, localConstant: (String) -> Int? = { _ in nil }) throws(LayoutError) -> Int {
        if let size = sizes[type] { return size }
        let single = try layout(members: [StructMember("x", normalized(type))], localConstant: localConstant)
        let size = single.entries[0].sizeInBits
        sizes[type] = size
        return size
    }

    /// The distance in bits between elements of an array of `type`: Bools are packed, Byte, Char, SInt and USInt
    /// follow each other, everything else starts on an even byte (StandardLayout's array rule).
    func elementStrideInBits(
        of type: DataType, localConstant: (String) -> Int? = { _ in nil }
    ) throws(LayoutError)
        -> Int
    {
        switch type {
        case .bool: return 1
        case .byte, .char, .sInt, .usInt: return 8
        default:
            let bytes = (try sizeInBits(of: type, localConstant: localConstant) + 7) / 8
            return (bytes + bytes % 2) * 8
        }
    }

    /// The array's dimensions as numbers.
    func bounds(
        of dimensions: [DataType.Dimension], localConstant: (String) -> Int? = { _ in nil }
    ) throws(LayoutError)
        -> [(low: Int, high: Int)]
    {
        try dimensions.map { (dimension) throws(LayoutError) in
            guard case .range(let low, let high) = dimension else {
                throw LayoutError(message: "Array[*] is not supported yet", path: "")
            }
            func value(_ bound: DataType.Bound) throws(LayoutError) -> Int {
                switch bound {
                case .value(let value): return value
                case .constant(let text):
                    guard let value = localConstant(text) ?? globalConstant(text) else {
                        throw LayoutError(message: "unknown constant \(text)", path: "")
                    }
                    return value
                }
            }
            return (try value(low), try value(high))
        }
    }
}

/// The members of an IEC timer, counter or edge instance at the offsets the VM's instruction library uses.
struct SystemMember {
    var name: String
    var type: DataType
    var byte: Int
    var bit: Int

    static func members(of system: SystemFBType) -> [SystemMember] {
        switch system.family {
        case .timer:
            let time = system.timeType ?? .time
            let isTONR = system.name.hasPrefix("TONR")
            let layout = IECTimerLayout.of(isTONR ? .tonr : .ton, long: time == .lTime)
            var members = [
                SystemMember(name: "PT", type: time, byte: layout.presetTime, bit: 0),
                SystemMember(name: "ET", type: time, byte: layout.elapsedTime, bit: 0),
                SystemMember(name: "IN", type: .bool, byte: layout.flags, bit: 0),
                SystemMember(name: "Q", type: .bool, byte: layout.flags, bit: 1),
            ]
            if let reset = layout.reset { members.append(SystemMember(name: "R", type: .bool, byte: reset, bit: 0)) }
            return members
        case .counter:
            let count = system.countType ?? .int
            let width = (count.bitWidth ?? 16) / 8
            let flags = IECCounterLayout.flags
            var members = [
                SystemMember(name: "CU", type: .bool, byte: flags, bit: 0),
                SystemMember(name: "CD", type: .bool, byte: flags, bit: 1),
                SystemMember(name: "R", type: .bool, byte: flags, bit: 2),
                SystemMember(name: "LD", type: .bool, byte: flags, bit: 3),
                SystemMember(name: "QU", type: .bool, byte: flags, bit: 4),
                SystemMember(name: "QD", type: .bool, byte: flags, bit: 5),
                SystemMember(
                    name: "PV", type: count, byte: IECCounterLayout.presetValue(countBytes: width), bit: 0),
                SystemMember(name: "CV", type: count, byte: IECCounterLayout.countValue(countBytes: width), bit: 0),
            ]
            if system.name.hasPrefix("CTUD") || system.name.hasPrefix("IEC_") {
                return members
            }
            let q = system.name.hasPrefix("CTD") ? 5 : 4
            members.append(SystemMember(name: "Q", type: .bool, byte: flags, bit: q))
            return members
        case .edge:
            return [
                SystemMember(name: "CLK", type: .bool, byte: 0, bit: 0),
                SystemMember(name: "Q", type: .bool, byte: 0, bit: 1),
                SystemMember(name: "Stat_Bit", type: .bool, byte: 0, bit: 2),
            ]
        }
    }
}
