import S7Diagnostics
import S7Model
import SCLSyntax

/// The result of an expression: a constant (folded), a register, or a place in memory for values that do not fit a
/// register (strings, structures, arrays).
enum Value {
    case constant(Constant)
    case register(UInt16, DataType)
    case place(Place)

    var type: DataType? {
        switch self {
        case .constant(let constant): constant.type
        case .register(_, let type): type
        case .place(let place): place.type
        }
    }
}

/// Where an assignment writes.
enum Target {
    case memory(Place)
    case register(UInt16, DataType)
    case eno

    var type: DataType? {
        switch self {
        case .memory(let place): place.type
        case .register(_, let type): type
        case .eno: .bool
        }
    }
}

extension BlockCompiler {
    // MARK: Values

    /// Compiles `expression`; `expected` is the type the context wants (the target of an assignment, the other
    /// operand), used by untyped literals and by instructions whose result type follows their destination.
    mutating func expression(_ expression: SCLExpression, expected: DataType? = nil) throws(Reported) -> Value {
        switch expression.kind {
        case .literal(let literal):
            return .constant(try self.literal(literal, expected: expected, range: expression.range))
        case .parenthesized(let inner):
            return try self.expression(inner, expected: expected)
        case .unary(let op, let operand):
            return try unary(op, operand, expected: expected, range: expression.range)
        case .binary(let op, let lhs, let rhs):
            return try binary(op, lhs, rhs, expected: expected, range: expression.range)
        case .call(let call):
            guard let value = try self.call(call, asStatement: false, expected: expected) else {
                throw report(.typeMismatch, "the called block returns no value (Void)", at: expression.range)
            }
            return value
        case .name(let name):
            if name.kind != .local, name.text.uppercased() == "ENO" {
                let register = builder.register()
                builder.emit(.getENO, a: register)
                return .register(register, .bool)
            }
            if let constant = try constantSymbol(name) { return .constant(constant) }
            if let operand = s5Operand(expression) { return s5Status(operand) }
            return try read(try lvalue(expression, forWriting: false), at: expression.range)
        case .address:
            if let operand = s5Operand(expression) { return s5Status(operand) }
            return try read(try lvalue(expression, forWriting: false), at: expression.range)
        case .assignment:
            throw report(
                .notSupported, "an assignment inside an expression is not supported (only `a := b := value;`)",
                at: expression.range)
        case .dereference:
            throw report(.notSupported, "references (^) are not supported yet", at: expression.range)
        case .error:
            throw Reported()
        default:
            return try read(try lvalue(expression, forWriting: false), at: expression.range)
        }
    }

    /// The constant a name stands for, if it is one.
    mutating func constantSymbol(_ name: SCLName) throws(Reported) -> Constant? {
        if name.kind != .quoted, case .constant(let constant)? = locals[name.text.lowercased()] { return constant }
        if name.kind != .local, case .constant(let constant, _)? = context.symbols.symbol(name.text) {
            let type: DataType
            do { type = try DataType(parsing: constant.dataType) } catch {
                throw report(.unknownType, "the constant \"\(name.text)\" has an invalid type", at: name.range)
            }
            guard let value = try? PLCValue.parse(constant.value, as: type), let result = Constant(value) else {
                throw report(
                    .constantRequired, "the value of the constant \"\(name.text)\" is not a \(type)", at: name.range)
            }
            return result
        }
        return nil
    }

    /// Reads a target as a value: elementary places are loaded into a register.
    mutating func read(_ target: Target, at range: Range<Int>) throws(Reported) -> Value {
        switch target {
        case .register(let register, let type): return .register(register, type)
        case .eno:
            let register = builder.register()
            builder.emit(.getENO, a: register)
            return .register(register, .bool)
        case .memory(let place):
            guard let valueType = registerType(of: place.type) else { return .place(place) }
            let register = builder.register()
            builder.load(register, from: place, as: valueType)
            return .register(register, place.type)
        }
    }

    mutating func literal(_ literal: SCLLiteral, expected: DataType?, range: Range<Int>) throws(Reported) -> Constant {
        switch literal.kind {
        case .boolean(let value): return Constant(.bool(value), type: .bool)
        case .null: throw report(.notSupported, "NULL references are not supported yet", at: range)
        case .string:
            let value: PLCValue
            do { value = try PLCValue.parse(literal.text) } catch {
                throw report(.invalidOperand, "invalid string literal: \(error.message)", at: range)
            }
            if case .string(let text) = value {
                let bytes = Constant.windows1252(text)
                if bytes.count == 1, expected == .char { return Constant(.integer(Int128(bytes[0])), type: .char) }
                return Constant(.string(bytes), type: .string(.value(bytes.count)))
            }
            guard let constant = Constant(value) else {
                throw report(.notSupported, "the literal \(literal.text) is not supported yet", at: range)
            }
            return constant
        case .integer, .real:
            let untyped = true
            let value: PLCValue
            do {
                if case .integer = literal.kind {
                    value = try PLCValue.parse(literal.text, as: .lInt)
                } else {
                    value = try PLCValue.parse(literal.text, as: .lReal)
                }
            } catch {
                if case .integer = literal.kind, let big = try? PLCValue.parse(literal.text, as: .ulInt) {
                    return Constant(big, untyped: untyped)!
                }
                throw report(.invalidOperand, "invalid number: \(error.message)", at: range)
            }
            var constant = Constant(value, untyped: untyped)!
            if case .integer(let integer) = constant.payload {
                constant.type = TypeRules.defaultType(of: integer)
            } else {
                constant.type = expected == .lReal ? .lReal : .real
            }
            return constant
        case .typed:
            let value: PLCValue
            do { value = try PLCValue.parse(literal.text) } catch {
                throw report(.invalidOperand, "invalid literal: \(error.message)", at: range)
            }
            guard let constant = Constant(value) else {
                throw report(.notSupported, "the literal \(literal.text) is not supported yet", at: range)
            }
            return constant
        }
    }

    // MARK: Conversions

    /// The register holding `value` as `type`, converting implicitly (or explicitly: any elementary conversion).
    mutating func materialize(
        _ value: Value, as type: DataType, explicit: Bool = false, at range: Range<Int>
    ) throws(Reported) -> UInt16 {
        guard let target = registerType(of: type) else {
            throw report(.typeMismatch, "a value of type \(type) cannot be used here", at: range)
        }
        switch value {
        case .constant(let constant):
            let converted = try convertConstant(constant, to: type, explicit: explicit, at: range)
            let register = builder.register()
            builder.loadConstant(register, bits: converted.bits(as: target))
            return register
        case .register(let register, let source):
            return try convert(register, from: source, to: type, explicit: explicit, at: range)
        case .place(let place):
            throw report(.typeMismatch, "a value of type \(place.type) cannot be converted to \(type)", at: range)
        }
    }

    mutating func convertConstant(
        _ constant: Constant, to type: DataType, explicit: Bool, at range: Range<Int>
    ) throws(Reported) -> Constant {
        if TypeRules.same(constant.type, type) { return constant }
        if constant.untyped, case .integer(let value) = constant.payload {
            if let allowed = type.integerRange {
                guard allowed.contains(value) || explicit else {
                    throw report(
                        .typeMismatch,
                        "the value \(value) is outside the range of \(type) (\(allowed.lowerBound) to "
                            + "\(allowed.upperBound))", at: range)
                }
                return Constant(.integer(value), type: type)
            }
            if type.isFloatingPoint { return Constant(.real(Double(value)), type: type) }
        }
        if constant.untyped, case .real(let value) = constant.payload, type.isFloatingPoint {
            return Constant(.real(value), type: type)
        }
        guard explicit || TypeRules.isImplicit(from: constant.type, to: type) else {
            throw report(
                .typeMismatch,
                "a \(constant.type) value cannot be assigned to \(type) without a conversion", at: range)
        }
        if type.isFloatingPoint, let real = constant.real { return Constant(.real(real), type: type) }
        if let integer = constant.integer { return Constant(.integer(integer), type: type) }
        if case .string = constant.payload, case .string = type { return Constant(constant.payload, type: type) }
        if let real = constant.real, explicit, type.integerRange != nil {
            return Constant(.integer(Int128(real.rounded(.toNearestOrEven))), type: type)
        }
        throw report(.typeMismatch, "a \(constant.type) value cannot be converted to \(type)", at: range)
    }

    /// Converts a register value; implicit conversions must be allowed by `TypeRules`.
    mutating func convert(
        _ register: UInt16, from source: DataType, to target: DataType, explicit: Bool, at range: Range<Int>
    ) throws(Reported) -> UInt16 {
        if TypeRules.same(source, target) { return register }
        guard explicit || TypeRules.isImplicit(from: source, to: target) else {
            throw report(
                .typeMismatch,
                "a \(source) value cannot be assigned to \(target) without a conversion (e.g. "
                    + "\(conversionName(source))_TO_\(conversionName(target)))", at: range)
        }
        guard let from = registerType(of: source), let to = registerType(of: target) else {
            throw report(.typeMismatch, "\(source) cannot be converted to \(target)", at: range)
        }
        return emitConversion(register, from: from, to: to, rounding: .nearestEven)
    }

    func conversionName(_ type: DataType) -> String {
        switch type {
        case .timeOfDay: "TOD"
        case .dateAndTime: "DT"
        case .lTimeOfDay: "LTOD"
        default: type.description.uppercased()
        }
    }

    /// Emits the conversion of a register between VM types: integers and bit strings by width (narrowing keeps
    /// the low bits and clears ENO when the value does not fit), floating point both ways.
    mutating func emitConversion(
        _ register: UInt16, from: ValueType, to: ValueType, rounding: RoundingMode
    )
        -> UInt16
    {
        if from == to { return register }
        let result = builder.register()
        switch (from.isFloatingPoint, to.isFloatingPoint) {
        case (false, false):
            if to == .bool {
                let one = builder.register()
                builder.loadConstant(one, 1)
                builder.emit(.and, a: result, b: register, c: one)
            } else if to.bitWidth >= from.bitWidth {
                // Widening: extend from the source's width in its own form.
                let ext: Opcode = from.isUnsigned ? .extU : .extS
                builder.emit(ext, a: result, b: register, d: Int32(max(from.bitWidth, 8)))
                if to.bitWidth == from.bitWidth && to.bitWidth < 64 {
                    // Same width, other signedness: the register form of the target.
                    builder.emit(to.isUnsigned ? .extU : .extS, a: result, b: result, d: Int32(to.bitWidth))
                }
            } else {
                // Narrowing keeps the low bits and clears ENO when the value does not fit.
                builder.emit(.intToInt, a: result, b: register, c: UInt16(to.rawValue), e: Int32(from.rawValue))
            }
        case (false, true):
            builder.emit(to == .real ? .intToF32 : .intToF64, a: result, b: register, e: Int32(from.rawValue))
        case (true, false):
            builder.emit(
                from == .real ? .f32ToInt : .f64ToInt, a: result, b: register, c: UInt16(to.rawValue),
                e: rounding.rawValue)
        case (true, true):
            builder.emit(from == .real ? .f32ToF64 : .f64ToF32, a: result, b: register)
        }
        return result
    }

    /// A Bool condition in a register.
    mutating func boolean(_ expression: SCLExpression) throws(Reported) -> UInt16 {
        let value = try self.expression(expression, expected: .bool)
        guard value.type == .bool else {
            throw report(
                .typeMismatch, "a condition must be Bool, not \(value.type.map { "\($0)" } ?? "this")",
                at: expression.range)
        }
        return try materialize(value, as: .bool, at: expression.range)
    }

    // MARK: Operators

    mutating func unary(
        _ op: SCLUnaryOperator, _ operand: SCLExpression, expected: DataType?, range: Range<Int>
    ) throws(Reported) -> Value {
        let value = try expression(operand, expected: expected)
        guard let type = value.type, let valueType = registerType(of: type) else {
            throw report(.invalidOperand, "\(op.rawValue) needs an elementary operand", at: range)
        }
        switch op {
        case .plus:
            guard type.isInteger || type.isFloatingPoint || type == .time || type == .lTime else {
                throw report(.invalidOperand, "unary + is not defined for \(type)", at: range)
            }
            return value
        case .negate:
            guard type.isInteger || type.isFloatingPoint || type == .time || type == .lTime else {
                throw report(.invalidOperand, "unary - is not defined for \(type)", at: range)
            }
            if case .constant(var constant) = value {
                switch constant.payload {
                case .integer(let integer):
                    constant.payload = .integer(-integer)
                    if constant.untyped { constant.type = TypeRules.defaultType(of: -integer) }
                case .real(let real): constant.payload = .real(-real)
                default: break
                }
                return .constant(constant)
            }
            let source = try materialize(value, as: type, at: range)
            let result = builder.register()
            builder.emit(Operators.negate(valueType), a: result, b: source)
            return .register(result, type)
        case .not:
            if case .constant(let constant) = value, type == .bool, let integer = constant.integer {
                return .constant(Constant(.bool(integer == 0), type: .bool))
            }
            guard type == .bool || type.isBitString || type.isInteger else {
                throw report(.invalidOperand, "NOT is not defined for \(type)", at: range)
            }
            let source = try materialize(value, as: type, at: range)
            let result = builder.register()
            builder.emit(type == .bool ? .notBool : .not, a: result, b: source)
            return .register(result, type)
        }
    }

    mutating func binary(
        _ op: SCLBinaryOperator, _ lhs: SCLExpression, _ rhs: SCLExpression, expected: DataType?, range: Range<Int>
    ) throws(Reported) -> Value {
        let isComparison = [.less, .greater, .lessEqual, .greaterEqual, .equal, .notEqual].contains(op)
        let isLogic = [.and, .ampersand, .or, .xor].contains(op)
        var left = try expression(lhs, expected: isComparison ? nil : expected)
        var right = try expression(rhs, expected: left.type)
        // An untyped literal on the left adapts to the right operand.
        if case .constant(let constant) = left, constant.untyped, let other = right.type {
            left = try adapt(constant, to: other, at: lhs.range)
        }
        if case .constant(let constant) = right, constant.untyped, let other = left.type {
            right = try adapt(constant, to: other, at: rhs.range)
        }
        guard let leftType = left.type, let rightType = right.type else { throw Reported() }
        if isComparison, leftType.isStringType || rightType.isStringType {
            return try stringComparison(op, left, right, range: range)
        }
        let operandType: DataType
        var resultType: DataType
        switch op {
        case _ where isComparison:
            guard let common = TypeRules.comparison(leftType, rightType), registerType(of: common) != nil else {
                throw report(.typeMismatch, "\(leftType) and \(rightType) cannot be compared", at: range)
            }
            operandType = common
            resultType = .bool
        case _ where isLogic:
            guard let common = TypeRules.logic(leftType, rightType) else {
                throw report(
                    .invalidOperand, "\(op.rawValue) is not defined for \(leftType) and \(rightType)", at: range)
            }
            operandType = common
            resultType = common
        case .modulo:
            guard let common = TypeRules.arithmetic(leftType, rightType), common.isInteger else {
                throw report(.invalidOperand, "MOD needs integer operands, not \(leftType) and \(rightType)", at: range)
            }
            operandType = common
            resultType = common
        case .power:
            guard leftType.isInteger || leftType.isFloatingPoint, rightType.isInteger || rightType.isFloatingPoint
            else {
                throw report(.invalidOperand, "** needs numeric operands", at: range)
            }
            operandType = leftType == .lReal || rightType == .lReal ? .lReal : .real
            resultType = operandType
        default:
            if let time = try timeArithmetic(op, leftType, rightType, range: range) {
                operandType = time.operand
                resultType = time.result
            } else {
                guard let common = TypeRules.arithmetic(leftType, rightType) else {
                    throw report(
                        .invalidOperand, "\(op.rawValue) is not defined for \(leftType) and \(rightType)", at: range)
                }
                operandType = common
                resultType = common
            }
        }
        if case .constant(let a) = left, case .constant(let b) = right,
            var folded = try fold(op, a, b, operandType: operandType, resultType: resultType, range: range)
        {
            // Two untyped literals give an untyped result that still adapts to its context.
            if a.untyped && b.untyped && resultType != .bool {
                folded.untyped = true
                if case .integer(let value) = folded.payload { folded.type = TypeRules.defaultType(of: value) }
            }
            return .constant(folded)
        }
        let valueType = registerType(of: operandType)!
        var leftAs = operandType
        var rightAs = operandType
        if operandType.isDuration {
            // A duration is multiplied or divided by an integer computed at the duration's width.
            let integerForm: DataType = operandType == .time ? .dInt : .lInt
            if !leftType.isDuration { leftAs = integerForm }
            if !rightType.isDuration { rightAs = integerForm }
        }
        let a = try materialize(left, as: leftAs, at: lhs.range)
        if op == .add || op == .subtract, operandType.isInteger, case .constant(let constant) = right,
            let value = constant.integer, let immediate = Int32(exactly: op == .add ? value : -value),
            let opcode = Operators.addImmediate(valueType)
        {
            // x + 1, x - 1: one instruction with the constant inside.
            let result = builder.register()
            builder.emit(opcode, a: result, b: a, d: immediate)
            return .register(result, resultType)
        }
        let b = try materialize(right, as: rightAs, at: rhs.range)
        let result = builder.register()
        switch op {
        case .add: builder.emit(Operators.add(valueType), a: result, b: a, c: b)
        case .subtract: builder.emit(Operators.subtract(valueType), a: result, b: a, c: b)
        case .multiply: builder.emit(Operators.multiply(valueType), a: result, b: a, c: b)
        case .divide:
            builder.emit(Operators.divide(valueType), a: result, b: a, c: b, e: DivisionByZeroPolicy.eno.rawValue)
        case .modulo:
            builder.emit(Operators.modulo(valueType), a: result, b: a, c: b, e: DivisionByZeroPolicy.eno.rawValue)
        case .power:
            // x ** y = EXP(y × LN(x)) through the built-ins.
            let window = builder.registers(1)
            builder.emit(.move, a: window, b: a)
            builder.emit(.builtin, a: BuiltinInstruction.ln.rawValue, b: window, e: Int32(valueType.rawValue))
            builder.emit(Operators.multiply(valueType), a: window, b: window, c: b)
            builder.emit(.builtin, a: BuiltinInstruction.exp.rawValue, b: window, e: Int32(valueType.rawValue))
            builder.emit(.move, a: result, b: window)
        case .less: builder.emit(Operators.less(valueType), a: result, b: a, c: b)
        case .greater: builder.emit(Operators.less(valueType), a: result, b: b, c: a)
        case .lessEqual: builder.emit(Operators.lessEqual(valueType), a: result, b: a, c: b)
        case .greaterEqual: builder.emit(Operators.lessEqual(valueType), a: result, b: b, c: a)
        case .equal: builder.emit(Operators.equal(valueType), a: result, b: a, c: b)
        case .notEqual: builder.emit(Operators.notEqual(valueType), a: result, b: a, c: b)
        case .and, .ampersand: builder.emit(.and, a: result, b: a, c: b)
        case .or: builder.emit(.or, a: result, b: a, c: b)
        case .xor: builder.emit(.xor, a: result, b: a, c: b)
        }
        return .register(result, resultType)
    }

    /// TIME ± TIME, TIME × integer, TIME / integer (and LTIME): the operands are computed as DInt (LInt).
    mutating func timeArithmetic(
        _ op: SCLBinaryOperator, _ a: DataType, _ b: DataType, range: Range<Int>
    ) throws(Reported) -> (operand: DataType, result: DataType)? {
        guard a.isDuration || b.isDuration else { return nil }
        let time: DataType = a == .lTime || b == .lTime ? .lTime : .time
        switch op {
        case .add, .subtract:
            guard a.isDuration && b.isDuration else {
                throw report(.typeMismatch, "\(a) \(op.rawValue) \(b): add a duration to a duration", at: range)
            }
            return (time, time)
        case .multiply, .divide:
            guard a.isDuration && b.isInteger || op == .multiply && a.isInteger && b.isDuration else {
                throw report(.invalidOperand, "\(a) \(op.rawValue) \(b) is not defined", at: range)
            }
            return (time, time)
        default:
            throw report(.invalidOperand, "\(op.rawValue) is not defined for durations", at: range)
        }
    }

    mutating func adapt(_ constant: Constant, to type: DataType, at range: Range<Int>) throws(Reported) -> Value {
        if case .integer(let value) = constant.payload {
            if let allowed = type.integerRange, type.isInteger || type.isBitString, allowed.contains(value) {
                return .constant(Constant(.integer(value), type: type, untyped: true))
            }
            if type.isFloatingPoint { return .constant(Constant(.real(Double(value)), type: type, untyped: true)) }
            if type.isDuration, let allowed = (type == .time ? DataType.dInt : .lInt).integerRange,
                allowed.contains(value)
            {
                return .constant(Constant(.integer(value), type: type == .time ? .dInt : .lInt, untyped: true))
            }
        }
        if case .real(let value) = constant.payload, type == .lReal {
            return .constant(Constant(.real(value), type: .lReal, untyped: true))
        }
        return .constant(constant)
    }

    /// Folds an operation on two constants; nil leaves it to run time (e.g. strings).
    mutating func fold(
        _ op: SCLBinaryOperator, _ a: Constant, _ b: Constant, operandType: DataType, resultType: DataType,
        range: Range<Int>
    ) throws(Reported) -> Constant? {
        guard let valueType = registerType(of: operandType) else { return nil }
        if valueType.isFloatingPoint {
            guard var x = a.real, var y = b.real else { return nil }
            if valueType == .real {
                x = Double(Float(x))
                y = Double(Float(y))
            }
            func real(_ value: Double) -> Constant {
                Constant(.real(valueType == .real ? Double(Float(value)) : value), type: resultType)
            }
            switch op {
            case .add: return real(x + y)
            case .subtract: return real(x - y)
            case .multiply: return real(x * y)
            case .divide: return real(x / y)
            case .power: return nil
            case .less: return Constant(.bool(x < y), type: .bool)
            case .greater: return Constant(.bool(x > y), type: .bool)
            case .lessEqual: return Constant(.bool(x <= y), type: .bool)
            case .greaterEqual: return Constant(.bool(x >= y), type: .bool)
            case .equal: return Constant(.bool(x == y), type: .bool)
            case .notEqual: return Constant(.bool(x != y), type: .bool)
            default: return nil
            }
        }
        guard let x = a.integer, let y = b.integer else { return nil }
        let width = valueType.bitWidth
        func wrap(_ value: Int128) -> Int128 {
            if width >= 64 && !valueType.isUnsigned { return Int128(Int64(truncatingIfNeeded: value)) }
            if width >= 64 { return Int128(UInt64(truncatingIfNeeded: value)) }
            let modulus = Int128(1) << width
            var wrapped = value % modulus
            if wrapped < 0 { wrapped += modulus }
            if !valueType.isUnsigned && wrapped >= modulus / 2 { wrapped -= modulus }
            return wrapped
        }
        func integer(_ value: Int128) -> Constant {
            resultType == .bool
                ? Constant(.bool(value & 1 != 0), type: .bool) : Constant(.integer(wrap(value)), type: resultType)
        }
        switch op {
        case .add: return integer(x + y)
        case .subtract: return integer(x - y)
        case .multiply: return integer(x * y)
        case .divide, .modulo:
            guard y != 0 else { throw report(.constantDivisionByZero, "division by zero", at: range) }
            return integer(op == .divide ? x / y : x % y)
        case .less: return Constant(.bool(x < y), type: .bool)
        case .greater: return Constant(.bool(x > y), type: .bool)
        case .lessEqual: return Constant(.bool(x <= y), type: .bool)
        case .greaterEqual: return Constant(.bool(x >= y), type: .bool)
        case .equal: return Constant(.bool(x == y), type: .bool)
        case .notEqual: return Constant(.bool(x != y), type: .bool)
        case .and, .ampersand: return integer(x & y)
        case .or: return integer(x | y)
        case .xor: return integer(x ^ y)
        case .power: return nil
        }
    }
}

extension DataType {
    var isDuration: Bool { self == .time || self == .lTime }
    var isStringType: Bool {
        switch self {
        case .string, .wString: true
        default: false
        }
    }
}
