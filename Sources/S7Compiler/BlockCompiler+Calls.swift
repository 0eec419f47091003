import Foundation
import S7Diagnostics
import S7Model
import SCLSyntax

extension BlockCompiler {
    /// Compiles a call; returns the function value of an FC or instruction with one, nil for a statement call.
    mutating func call(_ call: SCLCall, asStatement: Bool, expected: DataType? = nil) throws(Reported) -> Value? {
        switch call.callee.kind {
        case .name(let name) where name.kind != .local:
            if name.kind == .quoted, let symbol = context.symbols.symbol(name.text) {
                switch symbol {
                case .block(let callee) where callee.kind == .function:
                    return try functionCall(callee, call, range: call.range)
                case .block(let callee) where callee.kind == .functionBlock:
                    throw report(
                        .missingInstance,
                        "the FB \"\(callee.name)\" needs an instance: call its instance DB or a multi-instance",
                        at: call.callee.range)
                case .block(let db) where db.kind.isDataBlock:
                    let place = try dataBlockPlace(db, range: name.range)
                    try instanceCall(place, call)
                    return nil
                default:
                    throw report(.notCallable, "\"\(name.text)\" cannot be called", at: call.callee.range)
                }
            }
            if name.kind == .plain, !isInstance(locals[name.text.lowercased()]) {
                // `LEN(...)` is the instruction even where a local is called `len`; only a local instance is called.
                return try instruction(name.text.uppercased(), call, expected: expected)
            }
            let place = try memory(call.callee, forWriting: false)
            try instanceCall(place, call)
            return nil
        case .member(let base, let member):
            // `"IEC_Timer_DB".TON(...)`: the instruction named on an IEC_TIMER instance.
            let basePlace = try memory(base, forWriting: false)
            if case .systemFB(let system) = basePlace.type, system.name.hasPrefix("IEC_") {
                guard let function = SystemFBType(name: member.text + (system.timeType == .lTime ? "_LTIME" : "")),
                    function.family == system.family
                else {
                    throw report(.notCallable, "\(member.text) cannot be called on \(system.name)", at: member.range)
                }
                var place = basePlace
                place.type = .systemFB(function)
                try instanceCall(place, call)
                return nil
            }
            // `#delay.TON(...)` on a TON_TIME instance (LAD names the instruction on its instance): the instance.
            if case .systemFB(let system) = basePlace.type {
                let name = member.text.uppercased()
                if system.name == name || system.name.hasPrefix(name + "_") {
                    try instanceCall(basePlace, call)
                    return nil
                }
            }
            try instanceCall(try self.member(of: basePlace, member.text, range: member.range), call)
            return nil
        default:
            let place = try memory(call.callee, forWriting: false)
            try instanceCall(place, call)
            return nil
        }
    }

    /// Whether a local is an FB or system FB instance (something a plain-name call can mean).
    func isInstance(_ symbol: LocalSymbol?) -> Bool {
        guard case .memory(let place) = symbol else { return false }
        switch place.type {
        case .named, .systemFB: return true
        default: return false
        }
    }

    // MARK: Arguments

    /// The arguments of a call by formal parameter, positional ones in the order of `names`.
    mutating func arguments(
        _ call: SCLCall, names: [String], variadicPrefix: String? = nil
    ) throws(Reported)
        -> [String: SCLArgument]
    {
        var result: [String: SCLArgument] = [:]
        var position = 0
        for argument in call.arguments {
            if let name = argument.name?.text.uppercased() {
                guard
                    names.contains(name) || name == "EN" || name == "ENO"
                        || variadicPrefix.map({ name.hasPrefix($0) && Int(name.dropFirst($0.count)) != nil }) == true
                else {
                    throw report(.unknownParameter, "the instruction has no parameter '\(name)'", at: argument.range)
                }
                result[name] = argument
            } else {
                guard position < names.count else {
                    throw report(.unknownParameter, "too many arguments", at: argument.range)
                }
                result[names[position]] = argument
                position += 1
            }
        }
        return result
    }

    /// Separates `EN := condition` and `ENO => variable` from the other arguments of an FB or FC call.
    static func enableAndENO(
        _ arguments: [SCLArgument]
    ) -> (
        enable: SCLArgument?, eno: SCLExpression?, rest: [SCLArgument]
    ) {
        var enable: SCLArgument?
        var eno: SCLExpression?
        var rest: [SCLArgument] = []
        for argument in arguments {
            switch (argument.name?.text.lowercased(), argument.kind) {
            case ("en", .input): enable = argument
            case ("eno", .output): eno = argument.value
            default: rest.append(argument)
            }
        }
        return (enable, eno, rest)
    }

    /// EN: skip the call (and set ENO false) when the condition is FALSE. Returns the label to bind after it.
    mutating func enable(_ argument: SCLArgument?) throws(Reported) -> BytecodeBuilder.Label? {
        guard let argument else { return nil }
        let condition = try boolean(argument.value)
        let skip = builder.label()
        let run = builder.label()
        builder.jump(.jumpIf, to: run, a: condition)
        builder.emit(.setENO, a: condition)
        builder.jump(to: skip)
        builder.bind(run)
        return skip
    }

    /// Writes an argument into a parameter in memory (FB inputs and in/outs).
    mutating func assign(_ value: SCLExpression, to place: Place) throws(Reported) {
        if let valueType = registerType(of: place.type) {
            let register = try materialize(try expression(value, expected: place.type), as: place.type, at: value.range)
            builder.store(register, to: place, as: valueType)
            return
        }
        let source = try expression(value, expected: place.type)
        if place.type.isStringType {
            try assignString(source, to: place, at: value.range)
            return
        }
        guard case .place(let from) = source, TypeRules.same(from.type, place.type) else {
            throw report(
                .typeMismatch,
                "a value of type \(source.type.map { describe($0) } ?? "?") cannot be passed as "
                    + "\(describe(place.type))", at: value.range)
        }
        let bits = try stride(of: place.type, range: value.range)
        builder.copy(bytes: bits / 8, from: from, to: place, scratch: builder.register())
    }

    /// Copies a parameter in memory to the actual operand of `=>` (FB outputs) or of an in/out.
    mutating func copyOut(_ place: Place, to expression: SCLExpression) throws(Reported) {
        let target = try lvalue(expression)
        guard let targetType = target.type else { throw Reported() }
        if let valueType = registerType(of: place.type) {
            let register = builder.register()
            builder.load(register, from: place, as: valueType)
            let converted = try convert(
                register, from: place.type, to: targetType, explicit: false, at: expression.range)
            try storeValue(converted, type: targetType, to: target, at: expression.range)
            return
        }
        guard case .memory(let destination) = target else {
            throw report(.typeMismatch, "the output cannot be assigned here", at: expression.range)
        }
        if place.type.isStringType {
            try assignString(.place(place), to: destination, at: expression.range)
            return
        }
        guard TypeRules.same(place.type, destination.type) else {
            throw report(
                .typeMismatch, "\(describe(place.type)) cannot be assigned to \(describe(destination.type))",
                at: expression.range)
        }
        let bits = try stride(of: place.type, range: expression.range)
        builder.copy(bytes: bits / 8, from: place, to: destination, scratch: builder.register())
    }

    // MARK: FB and system FB instances

    mutating func instanceCall(_ place: Place, _ call: SCLCall) throws(Reported) {
        guard place.isStatic else {
            throw report(.notSupported, "calling an instance selected at run time is not supported yet", at: call.range)
        }
        guard place.area == .globalDB || place.area == .instance else {
            throw report(
                .missingInstance, "an FB instance must be in a DB or in the static data of an FB", at: call.callee.range
            )
        }
        switch place.type {
        case .systemFB(let system):
            try systemCall(place, system, call)
        case .named(let name), .systemDataType(let name):
            guard case .functionBlock(let fb) = context.types.named(name) else {
                throw report(.notCallable, "a variable of type \"\(name)\" cannot be called", at: call.callee.range)
            }
            try functionBlockCall(place, fb, call)
        default:
            throw report(.notCallable, "a variable of type \(place.type) cannot be called", at: call.callee.range)
        }
    }

    mutating func functionBlockCall(_ place: Place, _ fb: Block, _ call: SCLCall) throws(Reported) {
        var parameters: [String: (kind: InterfaceSection.Kind, name: String)] = [:]
        for section in [InterfaceSection.Kind.input, .output, .inOut] {
            for member in fb.interface.section(section)?.members ?? [] {
                parameters[member.name.lowercased()] = (section, member.name)
            }
        }
        let (enableArgument, enoTarget, arguments) = BlockCompiler.enableAndENO(call.arguments)
        var outputs: [(Place, SCLExpression)] = []
        var inputs: [(Place, SCLExpression)] = []
        for argument in arguments {
            guard let name = argument.name else {
                throw report(
                    .unknownParameter, "an FB call names its parameters (IN := value, OUT => variable)",
                    at: argument.range)
            }
            let key = name.text.lowercased()
            guard let parameter = parameters[key] else {
                throw report(.unknownParameter, "\"\(fb.name)\" has no parameter '\(name.text)'", at: name.range)
            }
            let parameterPlace = try member(of: place, parameter.name, range: name.range)
            switch (parameter.kind, argument.kind) {
            case (.output, .output):
                outputs.append((parameterPlace, argument.value))
            case (.input, .input):
                inputs.append((parameterPlace, argument.value))
            case (.inOut, .input):
                inputs.append((parameterPlace, argument.value))
                outputs.append((parameterPlace, argument.value))
            case (.output, _):
                throw report(
                    .unknownParameter, "'\(name.text)' is an output: pass it with => instead of :=", at: argument.range)
            default:
                throw report(
                    .unknownParameter, "'\(name.text)' is an input: pass it with := instead of =>", at: argument.range)
            }
        }
        let skip = try enable(enableArgument)
        for (parameterPlace, value) in inputs { try assign(value, to: parameterPlace) }
        let eno = enoTarget != nil ? builder.register() : nil
        let index = builder.emit(
            .callFB, b: builder.nextRegister, c: UInt16(clamping: place.db), d: Int32(place.byte),
            e: eno.map { Int32($0) + 1 } ?? 0, area: place.area)
        callFixups.append((index, fb.name))
        for (parameterPlace, target) in outputs { try copyOut(parameterPlace, to: target) }
        if let eno, let enoTarget {
            try storeValue(eno, type: .bool, to: try lvalue(enoTarget), at: enoTarget.range)
        }
        if let skip { builder.bind(skip) }
    }

    /// Window layout of an IEC instruction: inputs, then outputs with their window positions.
    func systemSignature(_ system: SystemFBType) -> (builtin: BuiltinInstruction, inputs: [String], outputs: [String]) {
        let name = system.name
        switch system.family {
        case .timer:
            if name.hasPrefix("TONR") { return (.tonr, ["IN", "R", "PT"], ["Q", "ET"]) }
            if name.hasPrefix("TOF") { return (.tof, ["IN", "PT"], ["Q", "ET"]) }
            if name.hasPrefix("TP") { return (.tp, ["IN", "PT"], ["Q", "ET"]) }
            return (.ton, ["IN", "PT"], ["Q", "ET"])
        case .counter:
            if name.hasPrefix("CTUD") || name.hasPrefix("IEC_") {
                return (.ctud, ["CU", "CD", "R", "LD", "PV"], ["QU", "QD", "CV"])
            }
            if name.hasPrefix("CTD") { return (.ctd, ["CD", "LD", "PV"], ["Q", "CV"]) }
            return (.ctu, ["CU", "R", "PV"], ["Q", "CV"])
        case .edge:
            return (name == "F_TRIG" ? .fTrig : .rTrig, ["CLK"], ["Q"])
        }
    }

    mutating func systemCall(_ place: Place, _ system: SystemFBType, _ call: SCLCall) throws(Reported) {
        let signature = systemSignature(system)
        let valueType: ValueType =
            switch system.family {
            case .timer: system.timeType == .lTime ? .lTime : .time
            case .counter: registerType(of: system.countType ?? .int) ?? .int
            case .edge: .bool
            }
        var given: [String: SCLArgument] = [:]
        for argument in call.arguments {
            guard let name = argument.name?.text.uppercased() else {
                throw report(.unknownParameter, "\(system.name) needs named parameters", at: argument.range)
            }
            let isInput = signature.inputs.contains(name) || name == "EN"
            let isOutput = signature.outputs.contains(name) || name == "ENO"
            guard isInput && argument.kind == .input || isOutput && argument.kind == .output else {
                throw report(
                    .unknownParameter,
                    isInput || isOutput
                        ? "'\(name)' of \(system.name) is an \(isInput ? "input (:=)" : "output (=>)")"
                        : "\(system.name) has no parameter '\(name)'", at: argument.range)
            }
            given[name] = argument
        }
        let skip = try enable(given["EN"])
        let window = builder.registers(signature.inputs.count + signature.outputs.count)
        for (offset, input) in signature.inputs.enumerated() {
            let memberPlace = try member(of: place, input, range: call.callee.range)
            let slot = window + UInt16(offset)
            if let argument = given[input] {
                let value = try expression(argument.value, expected: memberPlace.type)
                let register = try materialize(value, as: memberPlace.type, at: argument.value.range)
                builder.emit(.move, a: slot, b: register)
            } else {
                // An input left out keeps the value of the last call.
                builder.load(slot, from: memberPlace, as: registerType(of: memberPlace.type)!)
            }
        }
        builder.emit(
            .builtin, a: signature.builtin.rawValue, b: window, c: UInt16(clamping: place.db), d: Int32(place.byte),
            e: Int32(valueType.rawValue), area: place.area)
        for (offset, output) in signature.outputs.enumerated() {
            guard let argument = given[output] else { continue }
            let memberPlace = try member(of: place, output, range: argument.range)
            let target = try lvalue(argument.value)
            let slot = window + UInt16(signature.inputs.count + offset)
            let converted = try convert(
                slot, from: memberPlace.type, to: target.type ?? memberPlace.type, explicit: false,
                at: argument.value.range)
            try storeValue(converted, type: memberPlace.type, to: target, at: argument.value.range)
        }
        if let eno = given["ENO"] {
            let register = builder.register()
            builder.emit(.getENO, a: register)
            try storeValue(register, type: .bool, to: try lvalue(eno.value), at: eno.value.range)
        }
        if let skip { builder.bind(skip) }
    }

    // MARK: FC

    mutating func functionCall(_ fc: Block, _ call: SCLCall, range: Range<Int>) throws(Reported) -> Value? {
        let interface: CompilationContext.FunctionInterface
        do { interface = try context.interface(of: fc) } catch {
            throw report(
                .calleeHasErrors, "the interface of \"\(fc.name)\" has errors: \(error.message)", at: call.callee.range)
        }
        let parameters = interface.parameters
        let formal = parameters.filter { $0.section != .return }
        let window = builder.registers(parameters.filter { $0.register != nil }.count)
        outgoingSize = max(outgoingSize, interface.parameterSize)
        /// Where the caller puts a structured parameter: its outgoing area after its own temps.
        func outgoing(_ parameter: CompilationContext.FunctionParameter) -> Place? {
            guard case .local(let bitAddress) = parameter.location else { return nil }
            return Place(area: .local, bitAddress: tempSize * 8 + bitAddress, type: parameter.type)
        }
        var supplied: Set<String> = []
        var outputs: [(CompilationContext.FunctionParameter, SCLExpression)] = []
        var structuredInputs: [(Place, SCLExpression)] = []
        let (enableArgument, enoTarget, arguments) = BlockCompiler.enableAndENO(call.arguments)
        for argument in arguments {
            let parameter: CompilationContext.FunctionParameter
            if let name = argument.name {
                let key = name.text.lowercased()
                guard let found = formal.first(where: { $0.name.lowercased() == key }) else {
                    throw report(.unknownParameter, "\"\(fc.name)\" has no parameter '\(name.text)'", at: name.range)
                }
                parameter = found
            } else {
                guard formal.count == 1 else {
                    throw report(
                        .unknownParameter, "name the parameters of \"\(fc.name)\" (x := value)", at: argument.range)
                }
                parameter = formal[0]
            }
            supplied.insert(parameter.name.lowercased())
            switch (parameter.section, argument.kind) {
            case (.input, .input), (.input, .positional), (.inOut, .input), (.inOut, .positional):
                if let place = outgoing(parameter) {
                    structuredInputs.append((place, argument.value))
                } else if parameter.section == .input {
                    let value = try expression(argument.value, expected: parameter.type)
                    let register = try materialize(value, as: parameter.type, at: argument.value.range)
                    builder.emit(.move, a: window + UInt16(parameter.register!), b: register)
                } else {
                    let target = try lvalue(argument.value)
                    guard let type = target.type else { throw Reported() }
                    let register = try loadTarget(target, type: type, at: argument.value.range)
                    let converted = try convert(
                        register, from: type, to: parameter.type, explicit: false, at: argument.range)
                    builder.emit(.move, a: window + UInt16(parameter.register!), b: converted)
                }
                if parameter.section == .inOut { outputs.append((parameter, argument.value)) }
            case (.output, .output), (.output, .positional):
                outputs.append((parameter, argument.value))
            case (.output, _):
                throw report(
                    .unknownParameter, "'\(parameter.name)' is an output: pass it with =>", at: argument.range)
            default:
                throw report(
                    .unknownParameter, "'\(parameter.name)' is an input: pass it with :=", at: argument.range)
            }
        }
        let missing = formal.filter { !supplied.contains($0.name.lowercased()) }.map(\.name)
        if !missing.isEmpty {
            throw report(
                .missingParameter,
                "the call of \"\(fc.name)\" must supply \(missing.map { "'\($0)'" }.joined(separator: ", "))",
                at: call.range)
        }
        let skip = try enable(enableArgument)
        // Structured parameters last, right before the call: evaluating another argument may call an FC that uses
        // the same outgoing area.
        for parameter in formal {
            guard let place = outgoing(parameter), case .string(let bound) = parameter.type,
                let length = constantValue(bound)
            else { continue }
            let scratch = builder.register()
            builder.loadConstant(scratch, Int64(length))
            builder.store(scratch, to: Place(area: .local, bitAddress: place.bitAddress, type: .byte), as: .byte)
        }
        for (place, value) in structuredInputs { try assign(value, to: place) }
        let structuredResult = parameters.first { $0.section == .return }.flatMap(outgoing)
        if let structuredResult { try clearResult(structuredResult, at: call.range) }
        let eno = enoTarget != nil ? builder.register() : nil
        let index = builder.emit(
            .callFC, b: window, c: interface.parameterSize > 0 ? UInt16(tempSize + 1) : 0,
            e: eno.map { Int32($0) + 1 } ?? 0)
        callFixups.append((index, fc.name))
        for (parameter, expression) in outputs {
            if let place = outgoing(parameter) {
                try copyOut(place, to: expression)
                continue
            }
            let target = try lvalue(expression)
            let register = window + UInt16(parameter.register!)
            let converted = try convert(
                register, from: parameter.type, to: target.type ?? parameter.type, explicit: false,
                at: expression.range)
            try storeValue(converted, type: parameter.type, to: target, at: expression.range)
        }
        if let eno, let enoTarget {
            try storeValue(eno, type: .bool, to: try lvalue(enoTarget), at: enoTarget.range)
        }
        if let skip { builder.bind(skip) }
        if let structuredResult {
            // Out of the outgoing area at once: the next FC call of the statement reuses it.
            let copy = try scratch(structuredResult.type, at: call.range)
            let bits = try stride(of: structuredResult.type, range: call.range)
            builder.copy(bytes: bits / 8, from: structuredResult, to: copy, scratch: builder.register())
            return .place(copy)
        }
        guard let result = parameters.first(where: { $0.section == .return }), let register = result.register else {
            return nil
        }
        return .register(window + UInt16(register), result.type)
    }

    /// Prepares a structured return value in the outgoing area before the call, as the callee's temps are: zeros,
    /// and the maximum length of every String in it.
    mutating func clearResult(_ place: Place, at range: Range<Int>) throws(Reported) {
        let bytes = try stride(of: place.type, range: range) / 8
        let zero = builder.register()
        builder.loadConstant(zero, 0)
        for (offset, type) in BytecodeBuilder.chunks(of: bytes) {
            var at = place
            at.bitAddress += offset * 8
            builder.store(zero, to: at, as: type)
        }
        var strings: [(bitAddress: Int, length: Int)] = []
        if case .string(let bound) = place.type, let length = constantValue(bound) {
            strings.append((place.bitAddress, length))
        } else if let layout = try? context.types.layout(of: place.type) {
            for entry in layout.entries {
                guard case .string(let bound) = entry.dataType, let length = constantValue(bound) else { continue }
                strings.append((place.bitAddress + entry.byteOffset * 8, length))
            }
        }
        for string in strings {
            builder.loadConstant(zero, Int64(string.length))
            builder.store(zero, to: Place(area: .local, bitAddress: string.bitAddress, type: .byte), as: .byte)
        }
    }
}
