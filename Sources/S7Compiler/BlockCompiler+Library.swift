import S7Diagnostics
import S7Model
import SCLSyntax

// The instructions that work on values in memory (strings, DTL) through `library`, and SWAP and RUNTIME.

extension BlockCompiler {
    /// Whether `expression` calls a library instruction that can write its String or DTL result straight into
    /// the assignment's target.
    static func writesInPlace(_ expression: SCLExpression) -> Bool {
        guard case .call(let call) = expression.kind, case .name(let name) = call.callee.kind, name.kind == .plain
        else { return false }
        return ["CONCAT", "LEFT", "RIGHT", "MID", "INSERT", "DELETE", "REPLACE", "T_ADD", "T_SUB", "T_COMBINE"]
            .contains(name.text.uppercased())
    }

    /// Compiles library instruction `name`; a String or DTL result goes to `destination` when given, else to a
    /// scratch value of the statement.
    mutating func libraryInstruction(
        _ name: String, _ call: SCLCall, expected: DataType?, into destination: Place? = nil
    ) throws(Reported) -> Value? {
        let range = call.range
        switch name {
        case "CONCAT", "LEFT", "RIGHT", "MID", "INSERT", "DELETE", "REPLACE":
            let (instruction, names): (LibraryInstruction, [String]) =
                switch name {
                case "CONCAT": (.concat, ["IN1", "IN2"])
                case "LEFT": (.left, ["IN", "L"])
                case "RIGHT": (.right, ["IN", "L"])
                case "MID": (.mid, ["IN", "L", "P"])
                case "INSERT": (.insert, ["IN1", "IN2", "P"])
                case "DELETE": (.delete, ["IN", "L", "P"])
                default: (.replace, ["IN1", "IN2", "L", "P"])
                }
            let args = try arguments(call, names: names)
            var operands: [UInt16] = []
            for parameter in names {
                guard let argument = args[parameter] else {
                    throw report(.missingParameter, "\(name) needs \(names.joined(separator: ", "))", at: range)
                }
                if parameter.hasPrefix("IN") {
                    operands.append(try stringReference(argument.value))
                } else {
                    operands.append(try integerOperand(argument.value, as: .int))
                }
            }
            let target = try resultPlace(destination, default: .string(.value(254)), at: range)
            let window = builder.registers(operands.count + 1)
            builder.address(window, of: target)
            for (k, operand) in operands.enumerated() { builder.emit(.move, a: window + 1 + UInt16(k), b: operand) }
            builder.emit(.library, a: instruction.rawValue, b: window)
            return .place(target)
        case "FIND":
            let args = try arguments(call, names: ["IN1", "IN2"])
            guard let first = args["IN1"], let second = args["IN2"] else {
                throw report(.missingParameter, "FIND needs IN1 and IN2", at: range)
            }
            let a = try stringReference(first.value)
            let b = try stringReference(second.value)
            let window = builder.registers(3)
            builder.emit(.move, a: window + 1, b: a)
            builder.emit(.move, a: window + 2, b: b)
            builder.emit(.library, a: LibraryInstruction.find.rawValue, b: window)
            return .register(window, .int)
        case "S_CONV":
            try stringConversion(call)
            return nil
        case "STRG_VAL":
            let args = try arguments(call, names: ["IN", "FORMAT", "P", "OUT"])
            guard let input = args["IN"], let format = args["FORMAT"], let position = args["P"],
                let output = args["OUT"]
            else { throw report(.missingParameter, "STRG_VAL needs IN, FORMAT, P and OUT", at: range) }
            let text = try stringReference(input.value)
            let formatValue = try integerOperand(format.value, as: .word)
            let positionTarget = try lvalue(position.value)
            let positionValue = try loadTarget(positionTarget, type: .uInt, at: position.value.range)
            let outTarget = try lvalue(output.value)
            guard let outType = outTarget.type, let valueType = registerType(of: outType),
                outType.isInteger || outType.isFloatingPoint
            else { throw report(.typeMismatch, "STRG_VAL writes a number to OUT", at: output.value.range) }
            let window = builder.registers(4)
            builder.emit(.move, a: window + 1, b: text)
            builder.emit(.move, a: window + 2, b: formatValue)
            builder.emit(.move, a: window + 3, b: positionValue)
            builder.emit(
                .library, a: LibraryInstruction.stringToValue.rawValue, b: window, e: Int32(valueType.rawValue))
            try storeValue(window, type: outType, to: outTarget, at: output.value.range)
            try storeValue(window + 3, type: .uInt, to: positionTarget, at: position.value.range)
            return nil
        case "VAL_STRG":
            let args = try arguments(call, names: ["IN", "SIZE", "PREC", "FORMAT", "P", "OUT"])
            guard let input = args["IN"], let size = args["SIZE"], let precision = args["PREC"],
                let format = args["FORMAT"], let position = args["P"], let output = args["OUT"]
            else { throw report(.missingParameter, "VAL_STRG needs IN, SIZE, PREC, FORMAT, P and OUT", at: range) }
            let value = try expression(input.value)
            guard let inType = value.type, inType.isInteger || inType.isFloatingPoint else {
                throw report(.typeMismatch, "VAL_STRG converts a number", at: input.value.range)
            }
            let number = try materialize(value, as: inType, at: input.value.range)
            let sizeValue = try integerOperand(size.value, as: .usInt)
            let precisionValue = try integerOperand(precision.value, as: .usInt)
            let formatValue = try integerOperand(format.value, as: .word)
            let positionTarget = try lvalue(position.value)
            let positionValue = try loadTarget(positionTarget, type: .uInt, at: position.value.range)
            guard case .memory(let out) = try lvalue(output.value), out.type.isStringType else {
                throw report(.typeMismatch, "VAL_STRG writes to a String", at: output.value.range)
            }
            _ = try stringLength(out.type, range: output.value.range)
            let window = builder.registers(6)
            builder.address(window, of: out)
            for (k, register) in [number, sizeValue, precisionValue, formatValue, positionValue].enumerated() {
                builder.emit(.move, a: window + 1 + UInt16(k), b: register)
            }
            builder.emit(
                .library, a: LibraryInstruction.valueToString.rawValue, b: window,
                e: Int32(registerType(of: inType)!.rawValue))
            try storeValue(window + 5, type: .uInt, to: positionTarget, at: position.value.range)
            return nil
        case "T_ADD", "T_SUB":
            let args = try arguments(call, names: ["IN1", "IN2"])
            guard let first = args["IN1"], let second = args["IN2"] else {
                throw report(.missingParameter, "\(name) needs IN1 and IN2", at: range)
            }
            let (a, kind, type) = try dateTimeOperand(first.value, expected: expected)
            let (b, durationKind, _) = try dateTimeOperand(second.value, expected: .time)
            guard durationKind == .time || durationKind == .lTime else {
                throw report(.typeMismatch, "\(name) adds or subtracts a TIME or LTIME", at: second.value.range)
            }
            let window = builder.registers(3)
            let target: Place? = kind == .dtl ? try resultPlace(destination, default: .dtl, at: range) : nil
            if let target { builder.address(window, of: target) }
            builder.emit(.move, a: window + 1, b: a)
            builder.emit(.move, a: window + 2, b: b)
            builder.emit(
                .library, a: (name == "T_ADD" ? LibraryInstruction.timeAdd : .timeSubtract).rawValue, b: window,
                d: kind.rawValue | durationKind.rawValue << 8)
            return target.map(Value.place) ?? .register(window, type)
        case "T_DIFF":
            let args = try arguments(call, names: ["IN1", "IN2"])
            guard let first = args["IN1"], let second = args["IN2"] else {
                throw report(.missingParameter, "T_DIFF needs IN1 and IN2", at: range)
            }
            let (a, kind, type) = try dateTimeOperand(first.value, expected: nil)
            let (b, otherKind, _) = try dateTimeOperand(second.value, expected: type)
            guard kind == otherKind else {
                throw report(.typeMismatch, "T_DIFF needs two values of the same type", at: range)
            }
            let result: DataType = expected == .lTime || kind == .ldt || kind == .lTimeOfDay ? .lTime : .time
            let window = builder.registers(3)
            builder.emit(.move, a: window + 1, b: a)
            builder.emit(.move, a: window + 2, b: b)
            builder.emit(
                .library, a: LibraryInstruction.timeDifference.rawValue, b: window,
                d: kind.rawValue | (result == .lTime ? DateTimeKind.lTime : .time).rawValue << 8)
            return .register(window, result)
        case "T_COMBINE":
            let args = try arguments(call, names: ["IN1", "IN2"])
            guard let first = args["IN1"], let second = args["IN2"] else {
                throw report(.missingParameter, "T_COMBINE needs IN1 and IN2", at: range)
            }
            let (date, dateKind, _) = try dateTimeOperand(first.value, expected: .date)
            let (time, timeKind, _) = try dateTimeOperand(second.value, expected: .timeOfDay)
            guard dateKind == .date, timeKind == .timeOfDay || timeKind == .lTimeOfDay else {
                throw report(.typeMismatch, "T_COMBINE joins a DATE and a TIME_OF_DAY", at: range)
            }
            let resultType = destination?.type ?? expected ?? .dateAndTime
            guard let resultKind = dateTimeKind(resultType), [.dateAndTime, .ldt, .dtl].contains(resultKind) else {
                throw report(.typeMismatch, "T_COMBINE gives a DT, LDT or DTL, not \(resultType)", at: range)
            }
            let window = builder.registers(3)
            let target: Place? = resultKind == .dtl ? try resultPlace(destination, default: .dtl, at: range) : nil
            if let target { builder.address(window, of: target) }
            builder.emit(.move, a: window + 1, b: date)
            builder.emit(.move, a: window + 2, b: time)
            builder.emit(
                .library, a: LibraryInstruction.timeCombine.rawValue, b: window,
                d: resultKind.rawValue | timeKind.rawValue << 8)
            return target.map(Value.place) ?? .register(window, resultType)
        case "RD_SYS_T", "RD_LOC_T":
            let args = try arguments(call, names: ["OUT"])
            guard let output = args["OUT"] else { throw report(.missingParameter, "\(name) needs OUT", at: range) }
            let target = try lvalue(output.value)
            guard let type = target.type, let kind = dateTimeKind(type), [.dateAndTime, .ldt, .dtl].contains(kind)
            else { throw report(.typeMismatch, "\(name) writes a DTL, DT or LDT", at: output.value.range) }
            let window = builder.registers(2)
            if kind == .dtl {
                guard case .memory(let place) = target else {
                    throw report(.typeMismatch, "\(name) writes a DTL variable", at: output.value.range)
                }
                builder.address(window + 1, of: place)
            }
            builder.emit(
                .library, a: (name == "RD_SYS_T" ? LibraryInstruction.readSystemTime : .readLocalTime).rawValue,
                b: window, d: kind.rawValue)
            if kind != .dtl { try storeValue(window + 1, type: type, to: target, at: output.value.range) }
            return .register(window, .int)
        case "RUNTIME":
            let args = try arguments(call, names: ["MEM"])
            guard let memory = args["MEM"] else { throw report(.missingParameter, "RUNTIME needs MEM", at: range) }
            let target = try lvalue(memory.value)
            guard target.type == .lReal else {
                throw report(.typeMismatch, "RUNTIME keeps its measurement in an LREAL", at: memory.value.range)
            }
            let previous = try loadTarget(target, type: .lReal, at: memory.value.range)
            let window = builder.registers(2)
            builder.emit(.move, a: window + 1, b: previous)
            builder.emit(.library, a: LibraryInstruction.runtime.rawValue, b: window)
            try storeValue(window + 1, type: .lReal, to: target, at: memory.value.range)
            return .register(window, .lReal)
        case "SWAP":
            let args = try arguments(call, names: ["IN"])
            guard let argument = args["IN"] else { throw report(.missingParameter, "SWAP needs IN", at: range) }
            let value = try expression(argument.value, expected: expected)
            var type = value.type ?? .word
            if case .constant(let constant) = value, constant.untyped { type = expected ?? .dWord }
            guard [.word, .dWord, .lWord].contains(type) else {
                throw report(.typeMismatch, "SWAP takes a WORD, DWORD or LWORD", at: argument.value.range)
            }
            let window = builder.register()
            builder.emit(.move, a: window, b: try materialize(value, as: type, at: argument.value.range))
            builder.emit(
                .builtin, a: BuiltinInstruction.swap.rawValue, b: window, e: Int32(registerType(of: type)!.rawValue))
            return .register(window, type)
        case "PEEK", "PEEK_BOOL", "PEEK_BYTE", "PEEK_WORD", "PEEK_DWORD", "POKE", "POKE_BOOL":
            return try peekPoke(name, call)
        case "S_PULSE", "S_PEXT", "S_ODT", "S_ODTS", "S_OFFDT":
            return try s5Timer(S5TimerKind(instruction: name)!, name, call)
        case "S_CU", "S_CD", "S_CUD":
            return try s5Counter(S5CounterKind(instruction: name)!, name, call)
        default:
            throw report(.notCallable, "\(name) is no instruction s7wb knows", at: call.callee.range)
        }
    }

    /// PEEK/POKE: memory addressed at run time by area (16#81 inputs, 16#82 outputs, 16#83 markers, 16#84 a DB),
    /// DB number, byte offset and (for the `_BOOL` forms) bit offset. An address outside the area is a programming
    /// error, as on the CPU.
    mutating func peekPoke(_ name: String, _ call: SCLCall) throws(Reported) -> Value? {
        let isPoke = name.hasPrefix("POKE")
        let isBool = name.hasSuffix("_BOOL")
        var names = ["AREA", "DBNUMBER", "BYTEOFFSET"]
        if isBool { names.append("BITOFFSET") }
        if isPoke { names.append("VALUE") }
        let args = try arguments(call, names: names)
        let window = builder.registers(5)
        for (offset, parameter) in names.enumerated() where parameter != "VALUE" {
            guard let argument = args[parameter] else {
                throw report(.missingParameter, "\(name) needs \(parameter.lowercased())", at: call.range)
            }
            let value = try expression(argument.value, expected: .dInt)
            builder.emit(
                .move, a: window + UInt16(offset + 1),
                b: try materialize(value, as: value.type ?? .dInt, at: argument.value.range))
        }
        if !isBool { builder.loadConstant(window + 4, 0) }
        var width: Int32
        var type: DataType
        switch name {
        case "PEEK_BOOL", "POKE_BOOL": (width, type) = (1, .bool)
        case "PEEK_WORD": (width, type) = (16, .word)
        case "PEEK_DWORD": (width, type) = (32, .dWord)
        default: (width, type) = (8, .byte)
        }
        if isPoke {
            guard let argument = args["VALUE"] else {
                throw report(.missingParameter, "\(name) needs value", at: call.range)
            }
            let value = try expression(argument.value, expected: isBool ? .bool : nil)
            if !isBool, case .constant(let constant) = value, constant.untyped {
                throw report(
                    .typeMismatch,
                    "POKE writes as many bytes as its value's type has: give a BYTE#, WORD# or DWORD# value",
                    at: argument.value.range)
            }
            if !isBool {
                type = value.type ?? .byte
                switch type {
                case .byte, .sInt, .usInt, .char: width = 8
                case .word, .int, .uInt: width = 16
                case .dWord, .dInt, .udInt, .real: width = 32
                default:
                    throw report(.typeMismatch, "POKE writes a BYTE, WORD or DWORD", at: argument.value.range)
                }
            }
            builder.emit(.move, a: window, b: try materialize(value, as: type, at: argument.value.range))
        }
        builder.emit(.library, a: (isPoke ? LibraryInstruction.poke : .peek).rawValue, b: window, d: width)
        return isPoke ? nil : .register(window, type)
    }

    /// An S5 timer: `S_ODT(T_NO := "Delay", S := …, TV := S5T#5s, R := …, BI => …, BCD => …, Q => …)`; the value
    /// is the remaining time as S5TIME.
    mutating func s5Timer(_ kind: S5TimerKind, _ name: String, _ call: SCLCall) throws(Reported) -> Value {
        let args = try arguments(call, names: ["T_NO", "S", "TV", "R", "BI", "BCD", "Q"])
        guard let timer = args["T_NO"] else { throw report(.missingParameter, "\(name) needs T_NO", at: call.range) }
        let number = try timerNumber(timer.value)
        let window = builder.registers(6)
        builder.loadConstant(window, Int64(number))
        try boolInputs(args, [(1, "S"), (3, "R")], window: window)
        if let argument = args["TV"] {
            let value = try expression(argument.value, expected: .s5Time)
            guard value.type == nil || value.type == .s5Time || value.type == .word else {
                throw report(.typeMismatch, "TV of \(name) is an S5TIME", at: argument.value.range)
            }
            builder.emit(.move, a: window + 2, b: try materialize(value, as: .s5Time, at: argument.value.range))
        } else {
            throw report(.missingParameter, "\(name) needs TV", at: call.range)
        }
        builder.emit(.builtin, a: BuiltinInstruction.s5Timer.rawValue, b: window, d: kind.rawValue)
        if let output = args["BI"] {
            try storeValue(window + 4, type: .word, to: try lvalue(output.value), at: output.value.range)
        }
        if let output = args["BCD"] {
            try storeValue(window, type: .word, to: try lvalue(output.value), at: output.value.range)
        }
        if let output = args["Q"] {
            try storeValue(window + 5, type: .bool, to: try lvalue(output.value), at: output.value.range)
        }
        return .register(window, .s5Time)
    }

    /// An S5 counter: `S_CUD(C_NO := "Parts", CU := …, CD := …, S := …, PV := C#10, R := …, CV => …, Q => …)`
    /// (S_CU without CD, S_CD without CU); the value is the count as a BCD WORD.
    mutating func s5Counter(_ kind: S5CounterKind, _ name: String, _ call: SCLCall) throws(Reported) -> Value {
        let inputs = kind == .up ? ["CU"] : kind == .down ? ["CD"] : ["CU", "CD"]
        let args = try arguments(call, names: ["C_NO"] + inputs + ["S", "PV", "R", "CV", "Q"])
        guard let counter = args["C_NO"] else {
            throw report(.missingParameter, "\(name) needs C_NO", at: call.range)
        }
        guard let number = s5Operand(counter.value).flatMap({ $0.area == .counter ? $0.number : nil }) else {
            throw report(
                .typeMismatch, "C_NO is an S5 counter: %Cn or a tag of type Counter", at: counter.value.range)
        }
        let window = builder.registers(8)
        builder.loadConstant(window, Int64(number))
        try boolInputs(args, [(1, "CU"), (2, "CD"), (3, "S"), (5, "R")], window: window)
        if let argument = args["PV"] {
            let value = try expression(argument.value, expected: .word)
            guard value.type == nil || value.type == .word else {
                throw report(.typeMismatch, "PV of \(name) is a WORD (C#…)", at: argument.value.range)
            }
            builder.emit(.move, a: window + 4, b: try materialize(value, as: .word, at: argument.value.range))
        } else if args["S"] != nil {
            throw report(.missingParameter, "\(name) needs PV to set the counter with S", at: call.range)
        } else {
            builder.loadConstant(window + 4, 0)
        }
        builder.emit(.builtin, a: BuiltinInstruction.s5Counter.rawValue, b: window, d: kind.rawValue)
        if let output = args["CV"] {
            try storeValue(window + 6, type: .word, to: try lvalue(output.value), at: output.value.range)
        }
        if let output = args["Q"] {
            try storeValue(window + 7, type: .bool, to: try lvalue(output.value), at: output.value.range)
        }
        return .register(window, .word)
    }

    /// The Bool inputs of an S5 timer or counter into their registers of `window`; FALSE for one not given.
    mutating func boolInputs(
        _ args: [String: SCLArgument], _ inputs: [(offset: UInt16, name: String)], window: UInt16
    ) throws(Reported) {
        for (offset, parameter) in inputs {
            if let argument = args[parameter] {
                let value = try expression(argument.value, expected: .bool)
                builder.emit(.move, a: window + offset, b: try materialize(value, as: .bool, at: argument.value.range))
            } else {
                builder.loadConstant(window + offset, 0)
            }
        }
    }

    /// The number of an S5 timer operand: `%T3`, or a tag of type Timer at one.
    mutating func timerNumber(_ expression: SCLExpression) throws(Reported) -> Int {
        guard let operand = s5Operand(expression), operand.area == .timer else {
            throw report(.typeMismatch, "T_NO is an S5 timer: %Tn or a tag of type Timer", at: expression.range)
        }
        return operand.number
    }

    /// An S5 timer or counter named by an operand.
    struct S5Operand {
        var area: Address.Area
        var number: Int
    }

    /// The S5 timer or counter `expression` names (`%T3`, `%C5`, a PLC tag at one), else nil.
    func s5Operand(_ expression: SCLExpression) -> S5Operand? {
        var text: String?
        switch expression.kind {
        case .address(let address): text = address
        case .name(let name) where name.kind != .local && locals[name.text.lowercased()] == nil || name.kind == .quoted:
            if case .tag(let tag, _)? = context.symbols.symbol(name.text) { text = tag.address }
        default: break
        }
        guard let text, let address = try? Address(parsing: text), address.area == .timer || address.area == .counter
        else { return nil }
        return S5Operand(area: address.area, number: address.byteOffset)
    }

    /// Reading an S5 timer or counter as a Bool (a LAD contact on it, `IF "Delay" THEN`): a timer's Q after its
    /// last call, whether a counter's count is not 0.
    mutating func s5Status(_ operand: S5Operand) -> Value {
        operand.area == .timer
            ? .register(s5Call(.s5Timer, operand.number, d: S5TimerKind.statusOnly) + 5, .bool)
            : .register(s5Call(.s5Counter, operand.number, d: S5CounterKind.statusOnly) + 7, .bool)
    }

    /// A call of the S5 timer or counter `number` with no inputs (a status read, a reset); its window.
    mutating func s5Call(_ builtin: BuiltinInstruction, _ number: Int, d: Int32) -> UInt16 {
        let window = builder.registers(builtin == .s5Timer ? 6 : 8)
        builder.loadConstant(window, Int64(number))
        builder.emit(.builtin, a: builtin.rawValue, b: window, d: d)
        return window
    }

    // MARK: Operands

    /// A value of the statement's scratch area: `type` bytes in the local data after the temps, alive until the
    /// statement ends. A String gets its maximum length set.
    mutating func scratch(_ type: DataType, at range: Range<Int>) throws(Reported) -> Place {
        let bytes = try stride(of: type, range: range) / 8
        let place = Place(area: .local, bitAddress: scratchTop * 8, type: type, scratch: true)
        scratchTop += (bytes + 1) & ~1
        scratchSize = max(scratchSize, scratchTop)
        if case .string = type {
            let register = builder.register()
            builder.loadConstant(register, Int64(bytes - 2))
            builder.store(
                register, to: Place(area: .local, bitAddress: place.bitAddress, type: .byte, scratch: true), as: .byte)
        }
        return place
    }

    /// Where an instruction writes its String or DTL result: the assignment's target, or a scratch value.
    mutating func resultPlace(
        _ destination: Place?, default type: DataType, at range: Range<Int>
    ) throws(Reported)
        -> Place
    {
        if let destination {
            if destination.type.isStringType { _ = try stringLength(destination.type, range: range) }
            return destination
        }
        return try scratch(type, at: range)
    }

    /// A register with a reference to the String `expression` names; literals and characters are first copied
    /// into a scratch String.
    mutating func stringReference(_ expression: SCLExpression) throws(Reported) -> UInt16 {
        let place = try stringPlace(try self.expression(expression), at: expression.range)
        let register = builder.register()
        builder.address(register, of: place)
        return register
    }

    /// The String in memory a value is: a String variable as it is, a literal or a Char in a scratch String.
    mutating func stringPlace(_ value: Value, at range: Range<Int>) throws(Reported) -> Place {
        if case .place(let place) = value, place.type.isStringType {
            _ = try stringLength(place.type, range: range)
            return place
        }
        switch value.type {
        case .string?, .char?:
            let length: Int
            if case .constant(let constant) = value, case .string(let bytes) = constant.payload {
                length = bytes.count
            } else {
                length = 1
            }
            let place = try scratch(.string(.value(length)), at: range)
            try assignString(value, to: place, at: range)
            return place
        default:
            throw report(
                .typeMismatch, "a String is needed here, not \(value.type.map { describe($0) } ?? "this value")",
                at: range)
        }
    }

    /// An integer argument converted to `type` in a register.
    mutating func integerOperand(_ expression: SCLExpression, as type: DataType) throws(Reported) -> UInt16 {
        try materialize(try self.expression(expression, expected: type), as: type, at: expression.range)
    }

    /// The date/time kind of a type, nil for the others.
    func dateTimeKind(_ type: DataType) -> DateTimeKind? {
        switch type {
        case .time: .time
        case .lTime: .lTime
        case .date: .date
        case .timeOfDay: .timeOfDay
        case .lTimeOfDay: .lTimeOfDay
        case .dateAndTime: .dateAndTime
        case .ldt: .ldt
        case .dtl: .dtl
        default: nil
        }
    }

    /// A date/time operand: its register (a reference for a DTL), kind and type.
    mutating func dateTimeOperand(
        _ expression: SCLExpression, expected: DataType?
    ) throws(Reported) -> (UInt16, DateTimeKind, DataType) {
        let value = try self.expression(expression, expected: expected)
        guard let type = value.type, let kind = dateTimeKind(type) else {
            throw report(
                .typeMismatch, "a date or time value is needed here, not \(value.type.map { describe($0) } ?? "this")",
                at: expression.range)
        }
        if kind == .dtl {
            guard case .place(let place) = value else {
                throw report(.typeMismatch, "a DTL variable is needed here", at: expression.range)
            }
            let register = builder.register()
            builder.address(register, of: place)
            return (register, kind, type)
        }
        return (try materialize(value, as: type, at: expression.range), kind, type)
    }

    /// S_CONV: a number to a String, a String to a number, or a String to a String.
    mutating func stringConversion(_ call: SCLCall) throws(Reported) {
        let args = try arguments(call, names: ["IN", "OUT"])
        guard let input = args["IN"], let output = args["OUT"] else {
            throw report(.missingParameter, "S_CONV needs IN and OUT", at: call.range)
        }
        let value = try expression(input.value)
        let target = try lvalue(output.value)
        guard let inType = value.type, let outType = target.type else { throw Reported() }
        if inType.isStringType || inType == .char {
            if outType.isStringType, case .memory(let place) = target {
                try assignString(value, to: place, at: input.value.range)
                return
            }
            guard let valueType = registerType(of: outType), outType.isInteger || outType.isFloatingPoint else {
                throw report(.typeMismatch, "S_CONV converts a String to a number or String", at: output.value.range)
            }
            let text = try stringPlace(value, at: input.value.range)
            let window = builder.registers(2)
            builder.address(window + 1, of: text)
            builder.emit(
                .library, a: LibraryInstruction.stringToNumber.rawValue, b: window, e: Int32(valueType.rawValue))
            try storeValue(window, type: outType, to: target, at: output.value.range)
            return
        }
        guard inType.isInteger || inType.isFloatingPoint, let valueType = registerType(of: inType) else {
            throw report(.typeMismatch, "S_CONV converts a number or a String", at: input.value.range)
        }
        guard outType.isStringType, case .memory(let place) = target else {
            throw report(.typeMismatch, "S_CONV writes a number to a String", at: output.value.range)
        }
        _ = try stringLength(place.type, range: output.value.range)
        let number = try materialize(value, as: inType, at: input.value.range)
        let window = builder.registers(2)
        builder.address(window, of: place)
        builder.emit(.move, a: window + 1, b: number)
        builder.emit(.library, a: LibraryInstruction.numberToString.rawValue, b: window, e: Int32(valueType.rawValue))
    }

    /// `<`, `<=`, `=`, `<>`, `>=`, `>` of two Strings (or Chars and literals): by character code, a proper prefix
    /// first.
    mutating func stringComparison(
        _ op: SCLBinaryOperator, _ left: Value, _ right: Value, range: Range<Int>
    )
        throws(Reported) -> Value
    {
        let a = try stringPlace(left, at: range)
        let b = try stringPlace(right, at: range)
        let window = builder.registers(3)
        builder.address(window + 1, of: a)
        builder.address(window + 2, of: b)
        builder.emit(.library, a: LibraryInstruction.compareStrings.rawValue, b: window)
        let zero = builder.register()
        let result = builder.register()
        builder.loadConstant(zero, 0)
        switch op {
        case .equal: builder.emit(.eqI32, a: result, b: window, c: zero)
        case .notEqual: builder.emit(.neI32, a: result, b: window, c: zero)
        case .less: builder.emit(.ltS32, a: result, b: window, c: zero)
        case .lessEqual: builder.emit(.leS32, a: result, b: window, c: zero)
        case .greater: builder.emit(.ltS32, a: result, b: zero, c: window)
        case .greaterEqual: builder.emit(.leS32, a: result, b: zero, c: window)
        default: throw report(.invalidOperand, "\(op.rawValue) cannot combine Strings", at: range)
        }
        return .register(result, .bool)
    }
}
