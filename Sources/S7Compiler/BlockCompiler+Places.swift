import Foundation
import S7Diagnostics
import S7Model
import SCLSyntax

extension BlockCompiler {
    // MARK: Targets

    /// The variable an operand names: a local or global variable, a DB, an absolute address, or a member, element
    /// or slice of one. With `forWriting`, constants and read-only parameters are refused.
    mutating func lvalue(_ expression: SCLExpression, forWriting: Bool = true) throws(Reported) -> Target {
        switch expression.kind {
        case .name(let name):
            return try named(name, forWriting: forWriting)
        case .address(let text):
            return .memory(try absolute(text, range: expression.range))
        case .parenthesized(let inner), .peripheral(let inner):
            return try lvalue(inner, forWriting: forWriting)
        case .member(let base, let member):
            let place = try memory(base, forWriting: forWriting)
            return .memory(try self.member(of: place, member.text, range: member.range))
        case .index(let base, let indices):
            let place = try memory(base, forWriting: forWriting)
            return .memory(try element(of: place, indices: indices, range: expression.range))
        case .slice(let base, let slice):
            let place = try memory(base, forWriting: forWriting)
            return .memory(try self.slice(of: place, slice, range: expression.range))
        case .error:
            throw Reported()
        default:
            throw report(.notWritable, "the left side of an assignment must be a variable", at: expression.range)
        }
    }

    /// A target that must be in memory (a structured variable, or an elementary one for slices).
    mutating func memory(_ expression: SCLExpression, forWriting: Bool) throws(Reported) -> Place {
        switch try lvalue(expression, forWriting: forWriting) {
        case .memory(let place): return place
        case .register(_, let type):
            throw report(
                .notSupported, "members and slices of the FC parameter (\(type)) are not supported yet",
                at: expression.range)
        case .eno: throw report(.invalidOperand, "ENO has no members", at: expression.range)
        }
    }

    mutating func named(_ name: SCLName, forWriting: Bool) throws(Reported) -> Target {
        if name.kind != .local, name.text.uppercased() == "ENO" { return .eno }
        if name.kind != .quoted, let local = locals[name.text.lowercased()] {
            switch local {
            case .memory(let place):
                if forWriting, case .readOnly(let why) = place.access {
                    throw report(.notWritable, "'\(name.text)' is \(why) and cannot be written", at: name.range)
                }
                return .memory(place)
            case .register(let register, let type):
                return .register(register, type)
            case .constant:
                throw report(.notWritable, "'\(name.text)' is a constant and cannot be written", at: name.range)
            }
        }
        if name.kind == .local {
            throw report(.unknownName, "'#\(name.text)' is not declared in \(block.name)", at: name.range)
        }
        guard let symbol = context.symbols.symbol(name.text) else {
            throw report(.unknownName, "\"\(name.text)\" is no PLC tag, constant or block", at: name.range)
        }
        switch symbol {
        case .tag(let tag, _):
            let type: DataType
            do { type = context.types.normalized(try DataType(parsing: tag.dataType)) } catch {
                throw report(.unknownType, "the tag \"\(tag.name)\" has an invalid type", at: name.range)
            }
            var place = try absolute(tag.address, range: name.range)
            place.type = type
            return .memory(place)
        case .constant:
            throw report(.notWritable, "\"\(name.text)\" is a constant and cannot be written", at: name.range)
        case .block(let target):
            guard target.kind.isDataBlock else {
                throw report(
                    .invalidOperand, "\"\(name.text)\" is \(target.displayNumber), not a variable", at: name.range)
            }
            return .memory(try dataBlockPlace(target, range: name.range))
        case .dataType:
            throw report(.invalidOperand, "\"\(name.text)\" is a data type, not a variable", at: name.range)
        }
    }

    mutating func dataBlockPlace(_ db: Block, range: Range<Int>) throws(Reported) -> Place {
        guard let number = db.number else {
            throw report(.invalidOperand, "the DB \"\(db.name)\" has no number", at: range)
        }
        let type: DataType
        switch db.kind {
        case .instanceDB, .typedDB:
            guard let of = db.instanceOf else {
                throw report(.unknownType, "the DB \"\(db.name)\" names no FB or data type", at: range)
            }
            if context.types.named(of) != nil {
                type = context.types.normalized(.named(of))
            } else if let members = BlockCompiler.ownInterface(ofInstanceOfUnknown: db) {
                // An instance of a system or library FB s7wb does not know: the DB's own interface (SimaticML
                // carries it whole) gives its members; DataBlockBuilder warns that the instruction is not run.
                do { type = .struct(try context.types.structMembers(members)) } catch {
                    throw report(.unknownType, "\(db.name).\(error.path): \(error.message)", at: range)
                }
            } else {
                throw report(.unknownType, "the DB \"\(db.name)\" is an instance of unknown \"\(of)\"", at: range)
            }
        default:
            do { type = .struct(try context.types.structMembers(db.interface.allMembers)) } catch {
                throw report(.unknownType, "\(db.name).\(error.path): \(error.message)", at: range)
            }
        }
        return Place(area: .globalDB, db: number, bitAddress: 0, type: type)
    }

    /// The members of an instance DB whose FB or system type the device does not know, from the DB's own
    /// interface (Input, Output, InOut and Static, as SimaticML writes them); nil when the DB is no instance DB
    /// or its interface is empty (an SCL source names only the type).
    static func ownInterface(ofInstanceOfUnknown db: Block) -> [S7Model.Member]? {
        guard db.kind == .instanceDB else { return nil }
        let members = db.interface.sections.filter { $0.kind != .temp && $0.kind != .constant }.flatMap(\.members)
        return members.isEmpty ? nil : members
    }

    /// `%MW10`, `%I0.0`, `%DB1.DBX2.3` with the type its size implies.
    mutating func absolute(_ text: String, range: Range<Int>) throws(Reported) -> Place {
        let address: Address
        do { address = try Address(parsing: text) } catch {
            throw report(.invalidOperand, "invalid address \(text): \(error.message)", at: range)
        }
        let area: AreaKind
        switch address.area {
        case .input: area = .input
        case .output: area = .output
        case .memory: area = .marker
        case .dataBlock: area = .globalDB
        case .timer, .counter:
            throw report(.notSupported, "S5 timers and counters (\(text)) are not supported", at: range)
        }
        let type: DataType =
            switch address.size {
            case .bit: .bool
            case .byte: .byte
            case .word: .word
            case .dWord: .dWord
            }
        return Place(
            area: area, db: address.dbNumber ?? 0, bitAddress: address.byteOffset * 8 + (address.bit ?? 0),
            type: type)
    }

    // MARK: Navigation

    mutating func member(of place: Place, _ name: String, range: Range<Int>) throws(Reported) -> Place {
        var result = place
        switch place.type {
        case .systemFB(let system):
            guard
                let member = SystemMember.members(of: system).first(where: { $0.name.lowercased() == name.lowercased() }
                )
            else {
                throw report(.unknownMember, "\(system.name) has no member '\(name)'", at: range)
            }
            result.bitAddress += member.byte * 8 + member.bit
            result.type = member.type
            return result
        case .dtl:
            let members: [(String, DataType, Int)] = [
                ("YEAR", .uInt, 0), ("MONTH", .usInt, 2), ("DAY", .usInt, 3), ("WEEKDAY", .usInt, 4),
                ("HOUR", .usInt, 5), ("MINUTE", .usInt, 6), ("SECOND", .usInt, 7), ("NANOSECOND", .udInt, 8),
            ]
            guard let member = members.first(where: { $0.0 == name.uppercased() }) else {
                throw report(.unknownMember, "DTL has no member '\(name)'", at: range)
            }
            result.bitAddress += member.2 * 8
            result.type = member.1
            return result
        case .struct, .named, .systemDataType:
            let layout: StandardLayout
            do { layout = try context.types.layout(of: place.type) } catch {
                // Name the type that cannot be laid out: the error is about one of its members, not `name`.
                throw report(
                    .unknownType, "\(describe(place.type)) cannot be laid out: \(error.path): \(error.message)",
                    at: range)
            }
            let key = name.lowercased()
            guard let entry = layout.entries.first(where: { $0.path.lowercased() == key }) else {
                throw report(.unknownMember, "\(describe(place.type)) has no member '\(name)'", at: range)
            }
            result.bitAddress += entry.byteOffset * 8 + entry.bitOffset
            result.type = context.types.normalized(entry.dataType)
            return result
        default:
            throw report(.invalidOperand, "a value of type \(place.type) has no members", at: range)
        }
    }

    func describe(_ type: DataType) -> String {
        switch type {
        case .struct: "the structure"
        default: "\(type)"
        }
    }

    /// The size in bits of an element of an array of `type` (also what a copy of a whole value moves).
    mutating func stride(of type: DataType, range: Range<Int>) throws(Reported) -> Int {
        do { return try context.types.elementStrideInBits(of: type, localConstant: localConstants) } catch {
            throw report(.unknownType, error.message, at: range)
        }
    }

    mutating func element(of place: Place, indices: [SCLExpression], range: Range<Int>) throws(Reported) -> Place {
        var result = place
        let bounds: [(low: Int, high: Int)]
        let elementType: DataType
        if case .string = place.type {
            // s[i]: the i-th character (1-based) of the String's maximum length.
            guard indices.count == 1 else {
                throw report(.invalidOperand, "a String takes one index", at: range)
            }
            bounds = [(1, try stringLength(place.type, range: range))]
            elementType = .char
            result.bitAddress += 16
        } else {
            guard case .array(let dimensions, let element) = place.type else {
                throw report(.invalidOperand, "a value of type \(place.type) cannot be indexed", at: range)
            }
            guard indices.count == dimensions.count else {
                throw report(
                    .invalidOperand,
                    "the array has \(dimensions.count) dimension(s) but \(indices.count) index(es) are given",
                    at: range)
            }
            do {
                bounds = try context.types.bounds(of: dimensions, localConstant: localConstants)
            } catch {
                throw report(.constantRequired, error.message, at: range)
            }
            elementType = context.types.normalized(element)
        }
        let elementBits = try stride(of: elementType, range: range)
        result.type = elementType
        var dimensionStride = elementBits
        var strides: [Int] = []
        for bound in bounds.reversed() {
            strides.insert(dimensionStride, at: 0)
            dimensionStride *= max(0, bound.high - bound.low + 1)
        }
        for (k, index) in indices.enumerated() {
            let value = try expression(index, expected: .dInt)
            let (low, high) = bounds[k]
            if case .constant(let constant) = value, let integer = constant.integer {
                guard integer >= Int128(low), integer <= Int128(high) else {
                    throw report(.indexOutOfRange, "the index \(integer) is outside \(low)..\(high)", at: index.range)
                }
                result.bitAddress += (Int(integer) - low) * strides[k]
                continue
            }
            guard let indexType = value.type, indexType.isInteger else {
                throw report(.typeMismatch, "an array index must be an integer", at: index.range)
            }
            let register = try materialize(value, as: .dInt, explicit: true, at: index.range)
            if indices.count == 1 && result.isStatic {
                result.index = Place.Index(register: register, low: low, count: high - low + 1, strideBits: strides[k])
                continue
            }
            try makeDynamic(&result)
            let zeroBased = builder.register()
            builder.emit(.checkIndex, a: zeroBased, b: register, d: Int32(low), e: Int32(high))
            try addDynamic(&result, zeroBased, strideBits: strides[k])
        }
        return result
    }

    /// Turns a single run-time index into a checked dynamic offset.
    mutating func makeDynamic(_ place: inout Place) throws(Reported) {
        guard let index = place.index else { return }
        place.index = nil
        let zeroBased = builder.register()
        builder.emit(
            .checkIndex, a: zeroBased, b: index.register, d: Int32(index.low), e: Int32(index.low + index.count - 1))
        try addDynamic(&place, zeroBased, strideBits: index.strideBits)
    }

    /// Adds `register × strideBits` bits to the place's dynamic offset.
    mutating func addDynamic(_ place: inout Place, _ register: UInt16, strideBits: Int) throws(Reported) {
        let inBits = place.dynamicInBits || strideBits % 8 != 0
        if inBits && !place.dynamicInBits, let dynamic = place.dynamic {
            let eight = builder.register()
            builder.loadConstant(eight, 8)
            builder.emit(.mulI32, a: dynamic, b: dynamic, c: eight)
        }
        let factor = inBits ? strideBits : strideBits / 8
        let scaled = builder.register()
        let constant = builder.register()
        builder.loadConstant(constant, Int64(factor))
        builder.emit(.mulI32, a: scaled, b: register, c: constant)
        if let dynamic = place.dynamic {
            builder.emit(.addI32, a: scaled, b: scaled, c: dynamic)
        }
        place.dynamic = scaled
        place.dynamicInBits = inBits
    }

    /// `.%X3`, `.%B1`, `.%W0`, `.%D0`: bits and bytes counted from the least significant end.
    mutating func slice(of place: Place, _ slice: String, range: Range<Int>) throws(Reported) -> Place {
        guard let width = place.type.bitWidth, place.type != .bool else {
            throw report(.invalidOperand, "a value of type \(place.type) has no slices", at: range)
        }
        let text = slice.uppercased().replacingOccurrences(of: "%", with: "")
        guard let letter = text.first, let number = Int(text.dropFirst()) else {
            throw report(.invalidOperand, "invalid slice .\(slice)", at: range)
        }
        let bytes = width / 8
        var result = place
        switch letter {
        case "X":
            guard number < width else {
                throw report(.indexOutOfRange, "bit \(number) is outside \(place.type)", at: range)
            }
            result.bitAddress += (bytes - 1 - number / 8) * 8 + number % 8
            result.type = .bool
        case "B", "W", "D":
            let size = letter == "B" ? 1 : letter == "W" ? 2 : 4
            guard (number + 1) * size <= bytes else {
                throw report(.indexOutOfRange, "the slice .\(slice) is outside \(place.type)", at: range)
            }
            result.bitAddress += (bytes - size * (number + 1)) * 8
            result.type = size == 1 ? .byte : size == 2 ? .word : .dWord
        default:
            throw report(.invalidOperand, "invalid slice .\(slice)", at: range)
        }
        return result
    }

    // MARK: Assignment

    /// An assignment; `asStatement`: the value's register is dead afterwards, so an elementary result may be
    /// computed straight into a register variable (`#n := #n + 1` is one `add.imm`, not an add and a move).
    mutating func assignment(
        target: SCLExpression, op: SCLAssignmentOperator, value: SCLExpression, range: Range<Int>,
        asStatement: Bool = false
    ) throws(Reported) {
        if case .assignment(let inner, let innerValue) = value.kind {
            // `a := b := expr;` assigns right to left: b := expr, then a := b (b's value, converted as any
            // assignment converts).
            try assignment(target: inner, op: .assign, value: innerValue, range: value.range)
            try assignment(target: target, op: op, value: inner, range: range)
            return
        }
        if op == .assign, block.file.format == .simaticML, let timer = s5Operand(target), timer.area == .timer,
            case .literal(let literal) = value.kind, literal.kind == .boolean(false)
        {
            // LAD's R coil on an S5 timer, as its network is lowered (`%T5 := FALSE;`): the timer is reset.
            _ = s5Call(.s5Timer, timer.number, d: S5TimerKind.resetOnly)
            return
        }
        let destination = try lvalue(target)
        guard let type = destination.type else { throw Reported() }
        if op != .assign {
            let binaryOperator: SCLBinaryOperator
            switch op {
            case .add: binaryOperator = .add
            case .subtract: binaryOperator = .subtract
            case .multiply: binaryOperator = .multiply
            case .divide: binaryOperator = .divide
            default: throw report(.notSupported, "?= (assignment attempt) is not supported yet", at: range)
            }
            let combined = try binary(binaryOperator, target, value, expected: type, range: range)
            let register = try materialize(combined, as: type, at: range)
            if asStatement, retarget(register, to: destination) { return }
            try storeValue(register, type: type, to: destination, at: target.range)
            return
        }
        if registerType(of: type) != nil {
            let result = try expression(value, expected: type)
            let register = try materialize(result, as: type, at: value.range)
            if asStatement, retarget(register, to: destination) { return }
            try storeValue(register, type: type, to: destination, at: target.range)
            return
        }
        guard case .memory(let place) = destination else {
            throw report(.notSupported, "assignment to this target is not supported", at: target.range)
        }
        if (type.isStringType || type == .dtl) && BlockCompiler.writesInPlace(value),
            case .call(let call) = value.kind, case .name(let name) = call.callee.kind
        {
            _ = try libraryInstruction(name.text.uppercased(), call, expected: type, into: place)
            return
        }
        let source = try expression(value, expected: type)
        if type.isStringType {
            try assignString(source, to: place, at: value.range)
            return
        }
        guard case .place(let from) = source, TypeRules.same(from.type, type) else {
            throw report(
                .typeMismatch,
                "a value of type \(source.type.map { describe($0) } ?? "?") cannot be assigned to \(describe(type))",
                at: value.range)
        }
        let bits = try stride(of: type, range: value.range)
        let scratch = builder.register()
        builder.copy(bytes: bits / 8, from: from, to: place, scratch: scratch)
    }

    /// Makes the instruction that just computed `register` (a statement's scratch) write the register variable
    /// `target` instead; false when it cannot (then a `move` follows as usual).
    mutating func retarget(_ register: UInt16, to target: Target) -> Bool {
        guard case .register(let destination, _) = target, register != destination, register >= variableRegisters
        else { return false }
        return builder.retargetLast(from: register, to: destination)
    }

    mutating func storeValue(
        _ register: UInt16, type: DataType, to target: Target, at range: Range<Int>
    )
        throws(Reported)
    {
        switch target {
        case .memory(let place):
            guard let valueType = registerType(of: place.type) else {
                throw report(.typeMismatch, "cannot store a \(type) in \(place.type)", at: range)
            }
            builder.store(register, to: place, as: valueType)
        case .register(let destination, _):
            if destination != register { builder.emit(.move, a: destination, b: register) }
        case .eno:
            builder.emit(.setENO, a: register)
        }
    }

    mutating func loadTarget(_ target: Target, type: DataType, at range: Range<Int>) throws(Reported) -> UInt16 {
        switch try read(target, at: range) {
        case .register(let register, _): return register
        default: throw report(.typeMismatch, "a \(type) cannot be loaded here", at: range)
        }
    }

    // MARK: Strings

    /// The maximum length of a String place.
    mutating func stringLength(_ type: DataType, range: Range<Int>) throws(Reported) -> Int {
        guard case .string(let bound) = type, let length = constantValue(bound) else {
            throw report(.notSupported, "\(type) values are not supported yet (only String)", at: range)
        }
        return length
    }

    /// Assigns a String value: the current length is cut to the target's maximum, the characters copied.
    mutating func assignString(_ source: Value, to place: Place, at range: Range<Int>) throws(Reported) {
        let maximum = try stringLength(place.type, range: range)
        var lengthPlace = place
        lengthPlace.bitAddress += 8
        var characters = place
        characters.bitAddress += 16
        let scratch = builder.register()
        switch source {
        case .constant(let constant):
            var bytes: [UInt8]
            switch constant.payload {
            case .string(let text): bytes = text
            case .integer(let code) where constant.type == .char: bytes = [UInt8(truncatingIfNeeded: code)]
            default: throw report(.typeMismatch, "a \(constant.type) cannot be assigned to a String", at: range)
            }
            bytes = Array(bytes.prefix(maximum))
            builder.loadConstant(scratch, Int64(bytes.count))
            builder.store(scratch, to: lengthPlace, as: .byte)
            var offset = 0
            while offset < bytes.count {
                let remaining = bytes.count - offset
                let size = remaining >= 8 ? 8 : remaining >= 4 ? 4 : remaining >= 2 ? 2 : 1
                var pattern: UInt64 = 0
                for byte in bytes[offset..<offset + size] { pattern = pattern << 8 | UInt64(byte) }
                builder.loadConstant(scratch, bits: pattern)
                var at = characters
                at.bitAddress += offset * 8
                builder.store(scratch, to: at, as: size == 8 ? .lWord : size == 4 ? .dWord : size == 2 ? .word : .byte)
                offset += size
            }
        case .register(let register, let type) where type == .char:
            builder.loadConstant(scratch, maximum > 0 ? 1 : 0)
            builder.store(scratch, to: lengthPlace, as: .byte)
            if maximum > 0 { builder.store(register, to: characters, as: .byte) }
        case .place(let from) where from.type.isStringType:
            let sourceMaximum = try stringLength(from.type, range: range)
            var fromLength = from
            fromLength.bitAddress += 8
            var fromCharacters = from
            fromCharacters.bitAddress += 16
            builder.load(scratch, from: fromLength, as: .byte)
            if sourceMaximum > maximum {
                let limit = builder.register()
                let test = builder.register()
                let fits = builder.label()
                builder.loadConstant(limit, Int64(maximum))
                builder.emit(.leU8, a: test, b: scratch, c: limit)
                builder.jump(.jumpIf, to: fits, a: test)
                builder.emit(.move, a: scratch, b: limit)
                builder.bind(fits)
            }
            builder.store(scratch, to: lengthPlace, as: .byte)
            builder.copy(bytes: min(maximum, sourceMaximum), from: fromCharacters, to: characters, scratch: scratch)
        default:
            throw report(
                .typeMismatch, "a \(source.type.map { "\($0)" } ?? "value") cannot be assigned to a String", at: range)
        }
    }
}
