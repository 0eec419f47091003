import Foundation
import S7Diagnostics
import S7Model
import SCLSyntax

/// Builds the initial image of a DB: zeros in the standard layout, the maximum length of every String, the start
/// values of the declarations (and of the PLC data types and FBs inside), then a DATA_BLOCK's BEGIN assignments.
struct DataBlockBuilder {
    let context: CompilationContext
    let db: Block
    let unit: SCLProgramUnit?
    let file: SourceFile
    var diagnostics: [Diagnostic] = []
    var bytes: [UInt8] = []

    init(context: CompilationContext, db: Block, unit: SCLProgramUnit?, file: SourceFile?) {
        self.context = context
        self.db = db
        self.unit = unit
        self.file = file ?? SourceFile(path: db.file.path, text: "")
    }

    var types: TypeContext { context.types }

    var headerRange: SourceRange {
        file.range(unit.map { $0.name?.range ?? $0.range } ?? 0..<0)
    }

    mutating func fail(_ code: DiagnosticCode, _ message: String, at range: SourceRange? = nil) {
        diagnostics.append(Diagnostic(code, "DB \"\(db.name)\": \(message)", at: range ?? headerRange))
    }

    mutating func build() -> DataBlockImage? {
        guard let number = db.number else {
            fail(.invalidOperand, "the DB has no number")
            return nil
        }
        var compiler = BlockCompiler(context: context, block: db, unit: unit, file: file)
        let place: Place
        do {
            place = try compiler.dataBlockPlace(db, range: compiler.headerRange)
        } catch {
            diagnostics += compiler.diagnostics
            return nil
        }
        if db.kind == .instanceDB, let of = db.instanceOf, types.named(of) == nil {
            diagnostics.append(
                Diagnostic(
                    .instructionNotSimulated,
                    "DB \"\(db.name)\": \"\(of)\" is no block or system type s7wb knows; the DB is built from its "
                        + "own interface, but calls of \"\(of)\" are not simulated",
                    at: headerRange))
        }
        do throws(LayoutError) {
            let size: Int
            switch place.type {
            case .systemFB(let system): size = StandardLayout.size(of: system)
            default: size = try types.layout(of: place.type).sizeInBytes
            }
            bytes = [UInt8](repeating: 0, count: size)
            switch place.type {
            case .struct:
                try initialize(
                    members: BlockCompiler.ownInterface(ofInstanceOfUnknown: db) ?? db.interface.allMembers, at: 0)
            default:
                // An instance DB's own interface may give other start values than its FB declares.
                try initialize(
                    place.type, at: 0, start: nil, nested: [],
                    overrides: db.kind == .instanceDB ? db.interface.allMembers : [])
            }
        } catch {
            fail(.unknownType, "\(error.path.isEmpty ? "" : error.path + ": ")\(error.message)")
            return nil
        }
        // BEGIN … END_DATA_BLOCK: `member := value;`, members named without # or quotes.
        if let unit {
            // The top-level members as locals of the DB (the layout was computed above, for the size).
            for entry in (try? types.layout(of: place.type))?.entries ?? [] where !entry.path.contains(".") {
                compiler.locals[entry.path.lowercased()] = .memory(
                    Place(
                        area: .globalDB, db: number, bitAddress: entry.byteOffset * 8 + entry.bitOffset,
                        type: types.normalized(entry.dataType)))
            }
            for statement in unit.body ?? [] {
                // A wrong start value is reported and skipped; the others still apply.
                try? assignStartValue(statement, compiler: &compiler)
            }
            diagnostics += compiler.diagnostics
        }
        var image = DataBlockImage(
            number: number, name: db.name, bytes: bytes, access: db.isOptimized ? .optimized : .standard,
            instanceOf: db.kind == .instanceDB ? db.instanceOf : nil)
        image.retainMask = retainMask(of: place.type)
        return image
    }

    // MARK: Retentive data

    /// One bit per bit of the DB, set where the value survives a warm restart; empty when nothing does.
    ///
    /// A member is retentive if its declaration says `Retain`; `NonRetain` says it is not; without a word (or with
    /// `SetInIDB`) an instance DB's own declaration of the member decides, then the DB's default
    /// (`Block.isRetainByDefault`). A multi-instance or a PLC data type member is retentive as a whole when
    /// declared so; a multi-instance declared without a word follows its FB's declarations.
    func retainMask(of type: DataType) -> [UInt8] {
        var mask = [UInt8](repeating: 0, count: bytes.count)
        let byDefault = db.isRetainByDefault
        let instanceMembers = db.interface.allMembers
        let members: [S7Model.Member]
        var owner: Block?
        switch type {
        case .named(let name), .systemDataType(let name):
            switch types.named(name) {
            case .functionBlock(let fb):
                members = TypeContext.instanceSections(of: fb).flatMap(\.members)
                owner = fb
            default:
                if byDefault { return [UInt8](repeating: 0xFF, count: bytes.count) }
                return []
            }
        case .systemFB:
            return byDefault ? [UInt8](repeating: 0xFF, count: bytes.count) : []
        default: members = db.interface.allMembers
        }
        markRetain(members, of: owner, at: 0, inherited: byDefault, overrides: instanceMembers, into: &mask)
        return mask.contains { $0 != 0 } ? mask : []
    }

    private func markRetain(
        _ members: [S7Model.Member], of owner: Block?, at base: Int, inherited: Bool, overrides: [S7Model.Member],
        into mask: inout [UInt8]
    ) {
        guard let structMembers = try? types.structMembers(members, in: owner),
            let layout = try? types.layout(members: structMembers)
        else { return }
        for member in members {
            guard let entry = layout.entry(member.name) else { continue }
            let start = base + entry.byteOffset * 8 + entry.bitOffset
            let own = overrides.first { $0.name.caseInsensitiveCompare(member.name) == .orderedSame }?.remanence
            let retain: Bool? =
                switch own ?? member.remanence {
                case "Retain": true
                case "NonRetain": false
                default: nil
                }
            if retain == nil, case .named(let name)? = try? types.type(of: member),
                case .functionBlock(let fb) = types.named(name)
            {
                markRetain(
                    TypeContext.instanceSections(of: fb).flatMap(\.members), of: fb, at: start, inherited: false,
                    overrides: [], into: &mask)
                continue
            }
            guard retain ?? inherited else { continue }
            for bit in start..<min(start + entry.sizeInBits, mask.count * 8) {
                mask[bit / 8] |= 1 << UInt8(bit % 8)
            }
        }
    }

    mutating func assignStartValue(_ statement: SCLStatement, compiler: inout BlockCompiler) throws(Reported) {
        guard case .assignment(let target, .assign, let value) = statement.kind else {
            if case .empty = statement.kind { return }
            throw compiler.report(
                .notSupported, "only start values (member := value;) are allowed after BEGIN of a DB",
                at: statement.range)
        }
        guard case .memory(let place) = try compiler.lvalue(target), place.isStatic else {
            throw compiler.report(
                .constantRequired, "a start value needs a member at a fixed address", at: target.range)
        }
        let result = try compiler.expression(value, expected: place.type)
        guard case .constant(let constant) = result else {
            throw compiler.report(.constantRequired, "a start value must be a constant", at: value.range)
        }
        if place.type.isStringType {
            guard case .string(let text) = constant.payload else {
                throw compiler.report(.typeMismatch, "a String needs a string value", at: value.range)
            }
            writeString(text, at: place.bitAddress, type: place.type)
            return
        }
        guard let valueType = registerType(of: place.type) else {
            throw compiler.report(.typeMismatch, "\(place.type) has no start value of this form", at: value.range)
        }
        let converted = try compiler.convertConstant(constant, to: place.type, explicit: false, at: value.range)
        write(converted.bits(as: valueType), type: valueType, at: place.bitAddress)
    }

    // MARK: Writing values

    mutating func write(_ bits: UInt64, type: ValueType, at bitAddress: Int) {
        let byte = bitAddress / 8
        if type == .bool {
            let mask = UInt8(1) << UInt8(bitAddress % 8)
            if bits & 1 != 0 { bytes[byte] |= mask } else { bytes[byte] &= ~mask }
            return
        }
        let width = type.bitWidth / 8
        guard byte + width <= bytes.count else { return }
        for index in 0..<width {
            bytes[byte + index] = UInt8(truncatingIfNeeded: bits >> UInt64(8 * (width - 1 - index)))
        }
    }

    mutating func writeString(_ text: [UInt8], at bitAddress: Int, type: DataType) {
        guard case .string(let bound) = type, let maximum = bound.intValue ?? types.globalConstant(bound.description)
        else { return }
        let byte = bitAddress / 8
        guard byte + 2 + maximum <= bytes.count else { return }
        let characters = text.prefix(maximum)
        bytes[byte] = UInt8(clamping: maximum)
        bytes[byte + 1] = UInt8(characters.count)
        for (offset, character) in characters.enumerated() { bytes[byte + 2 + offset] = character }
    }

    /// Writes a start value given as text (`5`, `T#1s`, `'abc'`) for an elementary type.
    mutating func write(text: String, type: DataType, at bitAddress: Int, path: String) throws(LayoutError) {
        if type == .dWord, let pointer = DataBlockBuilder.areaPointer(text) {
            write(UInt64(pointer), type: .dWord, at: bitAddress)
            return
        }
        guard let value = try? PLCValue.parse(text, as: type) else {
            throw LayoutError(message: "the start value \(text) is not a \(type)", path: path)
        }
        if case .string(let string) = value {
            writeString(Constant.windows1252(string), at: bitAddress, type: type)
        } else if let constant = Constant(value), let valueType = registerType(of: type) {
            write(constant.bits(as: valueType), type: valueType, at: bitAddress)
        }
    }

    // MARK: Walking the type

    /// Initializes `members` of `owner`'s interface (for its local constants; nil for a DB's or UDT's own).
    mutating func initialize(members: [S7Model.Member], of owner: Block? = nil, at base: Int) throws(LayoutError) {
        let structMembers = try types.structMembers(members, in: owner)
        let layout = try types.layout(members: structMembers)
        for member in members {
            guard let entry = layout.entry(member.name) else { continue }
            let type = types.normalized(try types.type(of: member, in: owner))
            try initialize(
                type, at: base + entry.byteOffset * 8 + entry.bitOffset, start: member.startValue,
                nested: member.members, overrides: member.sections.flatMap(\.members), path: member.name)
            for (key, value) in member.subelementStartValues {
                // SimaticML `Subelement Path="3"`: an element of a one-dimensional array.
                guard case .array(let dimensions, let element) = type, dimensions.count == 1,
                    let index = Int(key.trimmingCharacters(in: ["[", "]", " "])),
                    let bounds = try? types.bounds(of: dimensions).first
                else { continue }
                let stride = try types.elementStrideInBits(of: types.normalized(element))
                try write(
                    text: value, type: types.normalized(element),
                    at: base + entry.byteOffset * 8 + (index - bounds.low) * stride, path: member.name + key)
            }
        }
    }

    /// `members` with the start values `own` gives them (matched by name, case-insensitively), nested ones too.
    static func overriding(_ members: [S7Model.Member], with own: [S7Model.Member]) -> [S7Model.Member] {
        guard !own.isEmpty else { return members }
        return members.map { member in
            guard let mine = own.first(where: { $0.name.caseInsensitiveCompare(member.name) == .orderedSame }) else {
                return member
            }
            var merged = member
            if let start = mine.startValue { merged.startValue = start }
            merged.subelementStartValues.merge(mine.subelementStartValues) { $1 }
            let nested = mine.members.isEmpty ? mine.sections.flatMap(\.members) : mine.members
            if !merged.members.isEmpty {
                merged.members = overriding(merged.members, with: nested)
            } else if !nested.isEmpty {
                merged.sections = [InterfaceSection(kind: .none, members: nested)]
            }
            return merged
        }
    }

    /// Whether a value of the type needs more than zeros even without a start value.
    func needsInitialization(_ type: DataType) -> Bool {
        switch type {
        case .string, .named, .systemDataType, .struct, .dtl, .dateAndTime: true
        case .array(_, let element): needsInitialization(types.normalized(element))
        default: false
        }
    }

    /// `overrides`: members of a PLC data type or FB instance whose start values replace the type's own (a
    /// SimaticML member of a data type lists them in its `Sections`).
    mutating func initialize(
        _ type: DataType, at bitAddress: Int, start: String?, nested: [S7Model.Member],
        overrides: [S7Model.Member] = [], path: String = ""
    )
        throws(LayoutError)
    {
        switch type {
        case .string:
            writeString([], at: bitAddress, type: type)
            if let start { try write(text: start, type: type, at: bitAddress, path: path) }
        case .dtl, .dateAndTime:
            // Zero bytes are no valid date: without a start value these begin at the type's first day.
            let text = start ?? (type == .dtl ? "DTL#1970-01-01-00:00:00" : "DT#1990-01-01-00:00:00")
            guard let value = try? PLCValue.parse(text, as: type), let encoded = try? value.encoded(as: type) else {
                throw LayoutError(message: "the start value \(text) is not a \(type)", path: path)
            }
            let byte = bitAddress / 8
            guard byte + encoded.count <= bytes.count else { return }
            bytes.replaceSubrange(byte..<byte + encoded.count, with: encoded)
        case .struct:
            try initialize(members: nested, at: bitAddress)
        case .named(let name), .systemDataType(let name):
            switch types.named(name) {
            case .dataType(let udt):
                try initialize(members: Self.overriding(udt.members, with: overrides), at: bitAddress)
            case .functionBlock(let fb):
                try initialize(
                    members: Self.overriding(TypeContext.instanceSections(of: fb).flatMap(\.members), with: overrides),
                    of: fb, at: bitAddress)
            default: break
            }
        case .array(let dimensions, let element):
            let elementType = types.normalized(element)
            let values = start.map(DataBlockBuilder.arrayValues) ?? []
            guard !values.isEmpty || needsInitialization(elementType) else { return }
            let bounds = try types.bounds(of: dimensions)
            let count = bounds.reduce(1) { $0 * max(0, $1.high - $1.low + 1) }
            let stride = try types.elementStrideInBits(of: elementType)
            for index in 0..<count {
                // Start values of one element's members: `Subelement Path="<index>"` of an array of a data type.
                var elementOverrides: [S7Model.Member] = []
                if bounds.count == 1 {
                    let key = String(bounds[0].low + index)
                    elementOverrides = overrides.compactMap { member in
                        guard let start = member.subelementStartValues[key] else { return nil }
                        var copy = member
                        copy.startValue = start
                        copy.subelementStartValues = [:]
                        return copy
                    }
                }
                try initialize(
                    elementType, at: bitAddress + index * stride, start: index < values.count ? values[index] : nil,
                    nested: nested, overrides: elementOverrides, path: path + "[\(index)]")
            }
        default:
            if let start, registerType(of: type) != nil {
                try write(text: start, type: type, at: bitAddress, path: path)
            }
        }
    }

    /// A pointer start value of a DWord as the S7 area pointer it stands for: the bit address (byte × 8 + bit) in
    /// the low 24 bits, the area in the high byte (16#81 I, 16#82 Q, 16#83 M, 16#84 DB, 16#85 DI, 16#86 L,
    /// 16#87 V; none for `P#544.0`, an offset only). Example: `P#M10.1` → 16#8300_0051. Nil for other text.
    static func areaPointer(_ text: String) -> UInt32? {
        var rest = text.trimmingCharacters(in: .whitespaces).uppercased()
        guard rest.hasPrefix("P#") else { return nil }
        rest.removeFirst(2)
        let areas: [(String, UInt32)] = [
            ("DBX", 0x84), ("DIX", 0x85), ("DB", 0x84), ("DI", 0x85), ("I", 0x81), ("E", 0x81), ("Q", 0x82),
            ("A", 0x82), ("M", 0x83), ("L", 0x86), ("V", 0x87),
        ]
        var area: UInt32 = 0
        if let (prefix, code) = areas.first(where: { rest.hasPrefix($0.0) }) {
            area = code
            rest.removeFirst(prefix.count)
        }
        let parts = rest.trimmingCharacters(in: .whitespaces).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let byte = UInt32(parts[0]), let bit = UInt32(parts[1]), bit < 8, byte < 1 << 21
        else { return nil }
        return area << 24 | byte << 3 | bit
    }

    /// The element values of an array start value: `[1, 2, 3(0)]` → 1, 2, 0, 0, 0.
    static func arrayValues(_ text: String) -> [String] {
        var body = text.trimmingCharacters(in: .whitespaces)
        if body.hasPrefix("[") && body.hasSuffix("]") { body = String(body.dropFirst().dropLast()) }
        var parts: [String] = []
        var current = ""
        var depth = 0
        var quoted = false
        for character in body {
            if character == "'" { quoted.toggle() }
            if !quoted && (character == "(" || character == "[") { depth += 1 }
            if !quoted && (character == ")" || character == "]") { depth -= 1 }
            if character == "," && depth == 0 && !quoted {
                parts.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.trimmingCharacters(in: .whitespaces).isEmpty {
            parts.append(current.trimmingCharacters(in: .whitespaces))
        }
        var values: [String] = []
        for part in parts {
            if let open = part.firstIndex(of: "("), part.hasSuffix(")"), let count = Int(part[..<open]) {
                let inner = String(part[part.index(after: open)..<part.index(before: part.endIndex)])
                for _ in 0..<count { values += arrayValues(inner) }
            } else {
                values.append(part)
            }
        }
        return values
    }
}
