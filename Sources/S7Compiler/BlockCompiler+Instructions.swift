import Foundation
import S7Diagnostics
import S7Model
import SCLSyntax

extension BlockCompiler {
    /// The built-in instructions called by plain name: conversions, math, selection, shifts, scaling, block moves.
    ///
    /// A generic instruction may name its data type as TIA allows (`ABS_INT`, `TRUNC_DINT`, `SHL_WORD`): the
    /// operands are of that type and so is the result (see `typedInstruction`).
    mutating func instruction(_ name: String, _ call: SCLCall, expected: DataType?) throws(Reported) -> Value? {
        let range = call.range
        if let conversion = conversionTypes(name) {
            let args = try arguments(call, names: ["IN"])
            guard let argument = args["IN"] else {
                throw report(.missingParameter, "\(name) needs a value", at: range)
            }
            return try convertExplicitly(argument.value, from: conversion.from, to: conversion.to, range: range)
        }
        var name = name
        var typed: DataType?
        if let explicit = typedInstruction(name) {
            (name, typed) = (explicit.base, explicit.type)
            if ["TRUNC", "ROUND", "CEIL", "FLOOR"].contains(name) {
                return try rounding(name, call, to: explicit.type)
            }
        }
        switch name {
        case "TRUNC", "ROUND", "CEIL", "FLOOR":
            return try rounding(name, call, to: expected.map { $0.isInteger ? $0 : .dInt } ?? .dInt)
        case "ABS", "SQRT", "LN", "EXP", "SIN", "COS", "TAN", "ASIN", "ACOS", "ATAN", "SQR":
            let args = try arguments(call, names: ["IN"])
            guard let argument = args["IN"] else { throw report(.missingParameter, "\(name) needs a value", at: range) }
            var value = try expression(argument.value, expected: typed ?? expected)
            guard var type = value.type, type.isFloatingPoint || type.isInteger else {
                throw report(.invalidOperand, "\(name) needs a number", at: argument.value.range)
            }
            if case .constant(let constant) = value, constant.untyped, let expected, expected.isFloatingPoint {
                value = .constant(Constant(.real(constant.real ?? 0), type: expected, untyped: true))
                type = expected
            }
            if let typed { type = typed }
            if name != "ABS" && name != "SQR" && type.isInteger { type = expected == .lReal ? .lReal : .real }
            let register = try materialize(value, as: type, at: argument.value.range)
            let valueType = registerType(of: type)!
            let window = builder.register()
            if name == "SQR" {
                builder.emit(Operators.multiply(valueType), a: window, b: register, c: register)
                return .register(window, type)
            }
            let builtin = BuiltinInstruction.allCases.first { $0.name == name }!
            builder.emit(.move, a: window, b: register)
            builder.emit(.builtin, a: builtin.rawValue, b: window, e: Int32(valueType.rawValue))
            return .register(window, type)
        case "FRAC":
            let args = try arguments(call, names: ["IN"])
            guard let argument = args["IN"] else { throw report(.missingParameter, "FRAC needs a value", at: range) }
            let value = try expression(argument.value, expected: expected)
            guard let type = value.type, type.isFloatingPoint else {
                throw report(.invalidOperand, "FRAC needs a REAL or LREAL value", at: argument.value.range)
            }
            let valueType = registerType(of: type)!
            let register = try materialize(value, as: type, at: argument.value.range)
            let whole = emitConversion(register, from: valueType, to: .lInt, rounding: .truncate)
            let back = emitConversion(whole, from: .lInt, to: valueType, rounding: .truncate)
            let result = builder.register()
            builder.emit(Operators.subtract(valueType), a: result, b: register, c: back)
            return .register(result, type)
        case "EXPT":
            let args = try arguments(call, names: ["IN1", "IN2"])
            guard let base = args["IN1"], let exponent = args["IN2"] else {
                throw report(.missingParameter, "EXPT needs IN1 and IN2", at: range)
            }
            return try binary(.power, base.value, exponent.value, expected: expected, range: range)
        case "MIN", "MAX":
            let args = try arguments(call, names: (1...32).map { "IN\($0)" })
            let values = (1...32).compactMap { args["IN\($0)"] }
            guard values.count >= 2 else {
                throw report(.missingParameter, "\(name) needs two values or more", at: range)
            }
            return try select(
                name == "MIN" ? .min : .max, leading: [], values.map(\.value), expected: expected, type: typed,
                range: range)
        case "LIMIT":
            let args = try arguments(call, names: ["MN", "IN", "MX"])
            guard let low = args["MN"], let value = args["IN"], let high = args["MX"] else {
                throw report(.missingParameter, "LIMIT needs MN, IN and MX", at: range)
            }
            return try select(
                .limit, leading: [], [low.value, value.value, high.value], expected: expected, type: typed,
                range: range)
        case "SEL":
            let args = try arguments(call, names: ["G", "IN0", "IN1"])
            guard let g = args["G"], let in0 = args["IN0"], let in1 = args["IN1"] else {
                throw report(.missingParameter, "SEL needs G, IN0 and IN1", at: range)
            }
            let condition = try boolean(g.value)
            return try select(.sel, leading: [condition], [in0.value, in1.value], expected: expected, range: range)
        case "MUX":
            let args = try arguments(call, names: ["K"] + (0...31).map { "IN\($0)" } + ["INELSE"])
            guard let k = args["K"] else { throw report(.missingParameter, "MUX needs K", at: range) }
            let values = (0...31).compactMap { args["IN\($0)"] }
            let selector = try materialize(
                try expression(k.value, expected: .dInt), as: .dInt, explicit: true, at: k.value.range)
            let result = try select(.mux, leading: [selector], values.map(\.value), expected: expected, range: range)
            guard let otherwise = args["INELSE"], case .register(let window, let type) = result else { return result }
            // K outside 0…n−1 selects INELSE (and ENO stays TRUE).
            let test = builder.register()
            let bound = builder.register()
            let inside = builder.label()
            let outside = builder.label()
            builder.loadConstant(bound, 0)
            builder.emit(.ltS32, a: test, b: selector, c: bound)
            builder.jump(.jumpIf, to: outside, a: test)
            builder.loadConstant(bound, Int64(values.count))
            builder.emit(.ltS32, a: test, b: selector, c: bound)
            builder.jump(.jumpIf, to: inside, a: test)
            builder.bind(outside)
            let value = try materialize(try expression(otherwise.value, expected: type), as: type, at: otherwise.range)
            builder.emit(.move, a: window, b: value)
            builder.loadConstant(test, 1)
            builder.emit(.setENO, a: test)
            builder.bind(inside)
            return result
        case "SHL", "SHR", "ROL", "ROR":
            let args = try arguments(call, names: ["IN", "N"])
            guard let value = args["IN"], let count = args["N"] else {
                throw report(.missingParameter, "\(name) needs IN and N", at: range)
            }
            let input = try expression(value.value, expected: typed ?? expected)
            guard var type = input.type, type.isBitString || type.isInteger else {
                throw report(.invalidOperand, "\(name) needs a bit string or integer", at: value.value.range)
            }
            if case .constant(let constant) = input, constant.untyped, let expected, expected.isBitString {
                type = expected
            }
            if let typed { type = typed }
            let window = builder.registers(2)
            builder.emit(.move, a: window, b: try materialize(input, as: type, at: value.value.range))
            let n = try materialize(
                try expression(count.value, expected: .udInt), as: .udInt, explicit: true, at: count.range)
            builder.emit(.move, a: window + 1, b: n)
            let builtin = BuiltinInstruction.allCases.first { $0.name == name }!
            builder.emit(.builtin, a: builtin.rawValue, b: window, e: Int32(registerType(of: type)!.rawValue))
            return .register(window, type)
        case "NORM_X", "SCALE_X":
            let args = try arguments(call, names: ["MIN", "VALUE", "MAX"])
            guard let low = args["MIN"], let value = args["VALUE"], let high = args["MAX"] else {
                throw report(.missingParameter, "\(name) needs MIN, VALUE and MAX", at: range)
            }
            return try scale(name == "NORM_X", low.value, value.value, high.value, expected: expected, range: range)
        case "SCALE", "UNSCALE":
            return try legacyScale(unscale: name == "UNSCALE", call)
        case "MOVE_BLK", "FILL_BLK", "UMOVE_BLK":
            try blockMove(name, call, range: range)
            return nil
        case "LEN":
            let args = try arguments(call, names: ["IN"])
            guard let argument = args["IN"] else { throw report(.missingParameter, "LEN needs a string", at: range) }
            let value = try expression(argument.value)
            guard case .place(var place) = value, place.type.isStringType else {
                throw report(.typeMismatch, "LEN needs a String variable", at: argument.value.range)
            }
            place.bitAddress += 8
            let register = builder.register()
            builder.load(register, from: place, as: .byte)
            return .register(register, .int)
        default:
            return try libraryInstruction(name, call, expected: expected)
        }
    }

    /// A generic instruction with its data type named: `ABS_INT` → ("ABS", Int). TIA accepts TRUNC, ROUND, CEIL
    /// and FLOOR with their result type (an integer or floating-point type), ABS with a signed number type, SHL,
    /// SHR, ROL and ROR with a bit string (or integer) type, and MIN, MAX and LIMIT with a number type.
    func typedInstruction(_ name: String) -> (base: String, type: DataType)? {
        guard let underscore = name.lastIndex(of: "_") else { return nil }
        let base = String(name[..<underscore])
        guard let type = try? DataType(parsing: String(name[name.index(after: underscore)...])) else { return nil }
        let fits: Bool =
            switch base {
            case "TRUNC", "ROUND", "CEIL", "FLOOR", "MIN", "MAX", "LIMIT": type.isInteger || type.isFloatingPoint
            case "ABS": (type.isInteger || type.isFloatingPoint) && type.isSigned
            case "SHL", "SHR", "ROL", "ROR": type.isBitString || type.isInteger
            default: false
            }
        return fits ? (base, type) : nil
    }

    /// TRUNC, ROUND (half to even), CEIL and FLOOR of a REAL or LREAL to `target`: an integer type (ENO is FALSE
    /// when the value does not fit) or, for the typed forms `ROUND_REAL` …, a floating-point type holding the
    /// whole number.
    mutating func rounding(_ name: String, _ call: SCLCall, to target: DataType) throws(Reported) -> Value {
        let args = try arguments(call, names: ["IN"])
        guard let argument = args["IN"] else {
            throw report(.missingParameter, "\(name) needs a value", at: call.range)
        }
        let value = try expression(argument.value)
        guard let type = value.type, type.isFloatingPoint || type.isInteger else {
            throw report(.invalidOperand, "\(name) needs a REAL or LREAL value", at: argument.value.range)
        }
        if type.isInteger {
            return .register(try materialize(value, as: target, explicit: true, at: argument.range), target)
        }
        let register = try materialize(value, as: type, at: argument.range)
        let mode: RoundingMode =
            switch name {
            case "TRUNC": .truncate
            case "CEIL": .ceiling
            case "FLOOR": .floor
            default: .nearestEven
            }
        let source = registerType(of: type)!
        let result = registerType(of: target)!
        guard result.isFloatingPoint else {
            return .register(emitConversion(register, from: source, to: result, rounding: mode), target)
        }
        let whole = emitConversion(register, from: source, to: .lInt, rounding: mode)
        return .register(emitConversion(whole, from: .lInt, to: result, rounding: .nearestEven), target)
    }

    /// `INT_TO_REAL` → (Int, Real); `TO_INT` → (nil, Int).
    func conversionTypes(_ name: String) -> (from: DataType?, to: DataType)? {
        func type(_ text: String) -> DataType? {
            switch text {
            case "TOD": return .timeOfDay
            case "DT": return .dateAndTime
            case "LTOD": return .lTimeOfDay
            case "STRING", "WSTRING": return nil
            default:
                guard let parsed = try? DataType(parsing: text), parsed.isElementary else { return nil }
                return parsed
            }
        }
        if name.hasPrefix("TO_") { return type(String(name.dropFirst(3))).map { (nil, $0) } }
        let parts = name.components(separatedBy: "_TO_")
        guard parts.count == 2, let from = type(parts[0]), let to = type(parts[1]) else { return nil }
        return (from, to)
    }

    /// An explicit conversion: REAL to integer rounds half to even, integer narrowing keeps the low bits and clears
    /// ENO when the value does not fit, TIME ↔ DINT reinterpret the milliseconds.
    mutating func convertExplicitly(
        _ argument: SCLExpression, from declared: DataType?, to target: DataType, range: Range<Int>
    ) throws(Reported) -> Value {
        let value = try expression(argument, expected: declared)
        guard let actual = value.type else { throw Reported() }
        let source = declared ?? actual
        if case .constant(let constant) = value {
            let converted = try convertConstant(constant, to: source, explicit: false, at: argument.range)
            if let folded = try? convertConstant(converted, to: target, explicit: true, at: argument.range),
                target.integerRange.map({ range in folded.integer.map(range.contains) ?? false }) ?? true
            {
                return .constant(folded)
            }
        }
        let register = try materialize(value, as: source, at: argument.range)
        guard let from = registerType(of: source), let to = registerType(of: target) else {
            throw report(.notSupported, "the conversion \(source) to \(target) is not supported yet", at: range)
        }
        return .register(emitConversion(register, from: from, to: to, rounding: .nearestEven), target)
    }

    /// MIN, MAX, LIMIT, SEL, MUX: the values in a window after `leading` registers, all of their common type (or
    /// of `type` when the instruction names it: `MIN_INT`).
    mutating func select(
        _ builtin: BuiltinInstruction, leading: [UInt16], _ values: [SCLExpression], expected: DataType?,
        type forced: DataType? = nil, range: Range<Int>
    ) throws(Reported) -> Value {
        var compiled: [Value] = []
        var common: DataType? = forced
        for value in values {
            let result = try expression(value, expected: common ?? expected)
            compiled.append(result)
            guard let type = result.type else { throw Reported() }
            if forced != nil { continue }
            if case .constant(let constant) = result, constant.untyped { continue }
            common = common.map { TypeRules.comparison($0, type) ?? $0 } ?? type
        }
        let type: DataType =
            common ?? expected.flatMap { $0.isInteger || $0.isFloatingPoint ? $0 : nil }
            ?? compiled.first?.type ?? .dInt
        guard let valueType = registerType(of: type) else {
            throw report(.invalidOperand, "\(builtin.name) needs elementary values", at: range)
        }
        let window = builder.registers(leading.count + compiled.count)
        for (offset, register) in leading.enumerated() { builder.emit(.move, a: window + UInt16(offset), b: register) }
        for (offset, value) in compiled.enumerated() {
            let register = try materialize(value, as: type, at: values[offset].range)
            builder.emit(.move, a: window + UInt16(leading.count + offset), b: register)
        }
        // MIN, MAX and MUX take a variable number of inputs (`d`); LIMIT and SEL a fixed one.
        let count = [.min, .max, .mux].contains(builtin) ? compiled.count : 0
        builder.emit(.builtin, a: builtin.rawValue, b: window, d: Int32(count), e: Int32(valueType.rawValue))
        return .register(window, type)
    }

    /// NORM_X: (VALUE − MIN) / (MAX − MIN) as REAL; SCALE_X: VALUE × (MAX − MIN) + MIN in the type of MIN and MAX
    /// (an integer result is rounded to the nearest value).
    mutating func scale(
        _ normalize: Bool, _ low: SCLExpression, _ value: SCLExpression, _ high: SCLExpression, expected: DataType?,
        range: Range<Int>
    ) throws(Reported) -> Value {
        let real: DataType = expected == .lReal ? .lReal : .real
        let realType = registerType(of: real)!
        let lowValue = try expression(low, expected: normalize ? nil : expected)
        let highValue = try expression(high, expected: lowValue.type)
        let valueValue = try expression(value, expected: normalize ? lowValue.type : real)
        for (compiled, expression) in [(lowValue, low), (highValue, high), (valueValue, value)] {
            guard let type = compiled.type, type.isInteger || type.isFloatingPoint else {
                throw report(.invalidOperand, "\(normalize ? "NORM_X" : "SCALE_X") needs numbers", at: expression.range)
            }
        }
        let a = try materialize(lowValue, as: real, at: low.range)
        let b = try materialize(highValue, as: real, at: high.range)
        let x = try materialize(valueValue, as: real, at: value.range)
        let span = builder.register()
        let result = builder.register()
        builder.emit(Operators.subtract(realType), a: span, b: b, c: a)
        if normalize {
            builder.emit(Operators.subtract(realType), a: result, b: x, c: a)
            builder.emit(Operators.divide(realType), a: result, b: result, c: span)
            return .register(result, real)
        }
        builder.emit(Operators.multiply(realType), a: result, b: x, c: span)
        builder.emit(Operators.add(realType), a: result, b: result, c: a)
        var outType = expected ?? real
        if !(outType.isInteger || outType.isFloatingPoint) { outType = real }
        if outType.isFloatingPoint { return .register(result, real) }
        return .register(
            emitConversion(result, from: realType, to: registerType(of: outType)!, rounding: .nearestEven), outType)
    }

    /// The S7-300 scaling instructions an S7-1500 still runs, for analog values of 0..27648 (unipolar) or
    /// -27648..27648 (`BIPOLAR := TRUE`):
    ///
    /// - `SCALE(IN := Int, HI_LIM, LO_LIM, BIPOLAR, OUT => Real)`: OUT = (IN − K1) / (K2 − K1) × (HI_LIM − LO_LIM)
    ///   + LO_LIM, with K1 = 0 or −27648 and K2 = 27648;
    /// - `UNSCALE(IN := Real, HI_LIM, LO_LIM, BIPOLAR, OUT => Int)`: OUT = (IN − LO_LIM) / (HI_LIM − LO_LIM) ×
    ///   (K2 − K1) + K1, rounded to the nearest whole number.
    ///
    /// An IN outside K1..K2 (SCALE) or outside the limits (UNSCALE) is taken as the nearest bound, so OUT is the
    /// limit, and RET_VAL, the function value (WORD), is 16#0008 with ENO FALSE; otherwise RET_VAL is 0. Example:
    /// `UNSCALE(IN := 25.0, HI_LIM := 50.0, LO_LIM := -50.0, BIPOLAR := TRUE, OUT => #out)` gives 13824.
    mutating func legacyScale(unscale: Bool, _ call: SCLCall) throws(Reported) -> Value {
        let name = unscale ? "UNSCALE" : "SCALE"
        let args = try arguments(call, names: ["IN", "HI_LIM", "LO_LIM", "BIPOLAR", "OUT"])
        guard let input = args["IN"], let high = args["HI_LIM"], let low = args["LO_LIM"],
            let bipolar = args["BIPOLAR"], let output = args["OUT"]
        else {
            throw report(.missingParameter, "\(name) needs IN, HI_LIM, LO_LIM, BIPOLAR and OUT", at: call.range)
        }
        let x = builder.register()
        if unscale {
            let value = try expression(input.value, expected: .real)
            builder.emit(.move, a: x, b: try materialize(value, as: .real, at: input.value.range))
        } else {
            let value = try expression(input.value, expected: .int)
            let integer = try materialize(value, as: .int, at: input.value.range)
            builder.emit(.move, a: x, b: emitConversion(integer, from: .int, to: .real, rounding: .nearestEven))
        }
        let hi = try materialize(try expression(high.value, expected: .real), as: .real, at: high.value.range)
        let lo = try materialize(try expression(low.value, expected: .real), as: .real, at: low.value.range)
        let isBipolar = try boolean(bipolar.value)
        let k1 = builder.register()
        let k2 = builder.register()
        let unipolar = builder.label()
        builder.loadConstant(k1, real: 0)
        builder.jump(.jumpIfNot, to: unipolar, a: isBipolar)
        builder.loadConstant(k1, real: -27648)
        builder.bind(unipolar)
        builder.loadConstant(k2, real: 27648)
        // The range IN must lie in: K1..K2, or the limits in either order.
        let bottom = builder.register()
        let top = builder.register()
        let test = builder.register()
        if unscale {
            let ordered = builder.label()
            builder.emit(.move, a: bottom, b: lo)
            builder.emit(.move, a: top, b: hi)
            builder.emit(Operators.lessEqual(.real), a: test, b: lo, c: hi)
            builder.jump(.jumpIf, to: ordered, a: test)
            builder.emit(.move, a: bottom, b: hi)
            builder.emit(.move, a: top, b: lo)
            builder.bind(ordered)
        } else {
            builder.emit(.move, a: bottom, b: k1)
            builder.emit(.move, a: top, b: k2)
        }
        let status = builder.register()
        builder.loadConstant(status, 0)
        for (bound, below) in [(bottom, true), (top, false)] {
            let inside = builder.label()
            if below {
                builder.emit(Operators.less(.real), a: test, b: x, c: bound)
            } else {
                builder.emit(Operators.less(.real), a: test, b: bound, c: x)
            }
            builder.jump(.jumpIfNot, to: inside, a: test)
            builder.emit(.move, a: x, b: bound)
            builder.loadConstant(status, 8)
            builder.bind(inside)
        }
        // (x − from) / (fromEnd − from) × (toEnd − to) + to
        let (from, fromEnd, to, toEnd) = unscale ? (lo, hi, k1, k2) : (k1, k2, lo, hi)
        let result = builder.register()
        let span = builder.register()
        builder.emit(Operators.subtract(.real), a: result, b: x, c: from)
        builder.emit(Operators.subtract(.real), a: span, b: fromEnd, c: from)
        builder.emit(Operators.divide(.real), a: result, b: result, c: span)
        builder.emit(Operators.subtract(.real), a: span, b: toEnd, c: to)
        builder.emit(Operators.multiply(.real), a: result, b: result, c: span)
        builder.emit(Operators.add(.real), a: result, b: result, c: to)
        let outType: DataType = unscale ? .int : .real
        let out = unscale ? emitConversion(result, from: .real, to: .int, rounding: .nearestEven) : result
        let target = try lvalue(output.value)
        let converted = try convert(
            out, from: outType, to: target.type ?? outType, explicit: false, at: output.value.range)
        try storeValue(converted, type: target.type ?? outType, to: target, at: output.value.range)
        let fine = builder.label()
        let zero = builder.register()
        builder.loadConstant(zero, 0)
        builder.emit(.eqI32, a: test, b: status, c: zero)
        builder.jump(.jumpIf, to: fine, a: test)
        builder.emit(.setENO, a: zero)
        builder.bind(fine)
        return .register(status, .word)
    }

    /// MOVE_BLK(IN := a[i], COUNT := n, OUT => b[j]) and FILL_BLK(IN := v, COUNT := n, OUT => b[j]).
    mutating func blockMove(_ name: String, _ call: SCLCall, range: Range<Int>) throws(Reported) {
        let args = try arguments(call, names: ["IN", "COUNT", "OUT"])
        guard let input = args["IN"], let count = args["COUNT"], let output = args["OUT"] else {
            throw report(.missingParameter, "\(name) needs IN, COUNT and OUT", at: range)
        }
        let destination = try arrayStart(output.value)
        let window = builder.registers(3)
        let countRegister = try materialize(
            try expression(count.value, expected: .dInt), as: .dInt, explicit: true, at: count.value.range)
        builder.emit(.move, a: window + (name == "FILL_BLK" ? 1 : 0), b: countRegister)
        builder.emit(.move, a: window + 2, b: destination.index)
        let strideBytes = destination.strideBits / 8
        guard destination.strideBits % 8 == 0, strideBytes > 0 else {
            throw report(.notSupported, "\(name) on Bool arrays is not supported yet", at: output.value.range)
        }
        let destinationArray = builder.array(
            ArrayDescriptor(low: Int32(destination.low), count: Int32(destination.count), stride: Int32(strideBytes)))
        if name == "FILL_BLK" {
            guard registerType(of: destination.element) != nil, [1, 2, 4, 8].contains(strideBytes) else {
                throw report(.notSupported, "FILL_BLK of \(destination.element) is not supported yet", at: range)
            }
            let value = try materialize(
                try expression(input.value, expected: destination.element), as: destination.element,
                at: input.value.range)
            builder.emit(.move, a: window, b: value)
            builder.emit(
                .fillBlock, a: window, b: destination.place.areaNumber, d: Int32(destination.place.byte),
                e: destinationArray, area: destination.place.area)
            return
        }
        let source = try arrayStart(input.value)
        guard TypeRules.same(source.element, destination.element) else {
            throw report(
                .typeMismatch,
                "\(name) copies between arrays of the same element type (\(source.element) and "
                    + "\(destination.element))", at: range)
        }
        builder.emit(.move, a: window + 1, b: source.index)
        let sourceArray = builder.array(
            ArrayDescriptor(low: Int32(source.low), count: Int32(source.count), stride: Int32(strideBytes)))
        builder.emit(
            .moveBlock, a: window, b: destination.place.areaNumber, d: Int32(destination.place.byte),
            e: destinationArray, area: destination.place.area)
        builder.emit(
            .operand, b: source.place.areaNumber, d: Int32(source.place.byte), e: sourceArray, area: source.place.area)
    }

    /// For `a[i]` as the IN or OUT of a block move: the array's place (static), its bounds and the start index.
    mutating func arrayStart(
        _ expression: SCLExpression
    ) throws(Reported) -> (
        place: Place, low: Int, count: Int, strideBits: Int, element: DataType, index: UInt16
    ) {
        guard case .index(let base, let indices) = expression.kind, indices.count == 1 else {
            throw report(.invalidOperand, "name an array element here, e.g. #values[0]", at: expression.range)
        }
        let place = try memory(base, forWriting: false)
        guard place.isStatic, case .array(let dimensions, let element) = place.type, dimensions.count == 1 else {
            throw report(.invalidOperand, "a one-dimensional array at a fixed address is needed", at: base.range)
        }
        let bounds: [(low: Int, high: Int)]
        do { bounds = try context.types.bounds(of: dimensions) } catch {
            throw report(.constantRequired, error.message, at: base.range)
        }
        let elementType = context.types.normalized(element)
        let strideBits = try stride(of: elementType, range: base.range)
        let index = try materialize(
            try self.expression(indices[0], expected: .dInt), as: .dInt, explicit: true, at: indices[0].range)
        return (place, bounds[0].low, bounds[0].high - bounds[0].low + 1, strideBits, elementType, index)
    }
}
