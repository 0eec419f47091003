import S7Diagnostics
import S7Model
import SCLSyntax

/// A diagnostic has been recorded; the construct that raised it produces no code.
struct Reported: Error {}

/// What every block compiler of one device shares: the symbols, the types and the FC calling conventions.
final class CompilationContext {
    let device: Device
    let symbols: SymbolIndex
    let types: TypeContext

    init(device: Device, library: ProjectLibrary) {
        self.device = device
        self.symbols = SymbolIndex(device: device, library: library)
        self.types = TypeContext(symbols: symbols)
    }

    /// The parameters of an FC as the VM passes them: elementary inputs, in/outs, outputs and the return value each
    /// in one register of the callee's window, in declaration order; structures, arrays and strings (a structured
    /// return value too, last) copied into the start of the callee's local data (`parameterSize` bytes, standard
    /// layout).
    struct FunctionParameter {
        enum Location {
            case register(Int)
            case local(bitAddress: Int)
        }

        var name: String
        var section: InterfaceSection.Kind
        var type: DataType
        var location: Location

        var register: Int? {
            if case .register(let register) = location { return register }
            return nil
        }
    }

    struct FunctionInterface {
        var parameters: [FunctionParameter]
        var parameterSize: Int
    }

    func interface(of function: Block) throws(LayoutError) -> FunctionInterface {
        var parameters: [FunctionParameter] = []
        var structured: [StructMember] = []
        var registers = 0
        for kind in [InterfaceSection.Kind.input, .inOut, .output] {
            for member in function.interface.section(kind)?.members ?? [] {
                let type = types.normalized(try types.type(of: member, in: function))
                if registerType(of: type) != nil {
                    parameters.append(
                        FunctionParameter(name: member.name, section: kind, type: type, location: .register(registers)))
                    registers += 1
                } else {
                    structured.append(StructMember(member.name, type))
                    parameters.append(
                        FunctionParameter(name: member.name, section: kind, type: type, location: .local(bitAddress: 0))
                    )
                }
            }
        }
        let returnText = function.returnType ?? "Void"
        if returnText.lowercased() != "void" {
            let type: DataType
            do { type = try DataType(parsing: returnText) } catch {
                throw LayoutError(message: "invalid return type '\(returnText)'", path: function.name)
            }
            let returnType = types.resolvingLocalConstants(types.normalized(type), of: function)
            if registerType(of: returnType) != nil {
                parameters.append(
                    FunctionParameter(
                        name: function.name, section: .return, type: returnType, location: .register(registers)))
            } else {
                // A PLC data type, Struct or String: in the parameter area like a structured parameter.
                structured.append(StructMember(function.name, returnType))
                parameters.append(
                    FunctionParameter(
                        name: function.name, section: .return, type: returnType, location: .local(bitAddress: 0)))
            }
        }
        var size = 0
        if !structured.isEmpty {
            let layout = try types.layout(members: structured)
            size = layout.sizeInBytes
            for index in parameters.indices where parameters[index].register == nil {
                guard let entry = layout.entry(parameters[index].name) else { continue }
                parameters[index].location = .local(bitAddress: entry.byteOffset * 8 + entry.bitOffset)
            }
        }
        return FunctionInterface(parameters: parameters, parameterSize: size)
    }
}

/// Compiles the body of one OB, FB or FC from its SCL unit into a `CompiledBlock`.
///
/// Variables live where the VM expects them: temps in the local data, an FB's parameters and statics in its
/// instance data (standard layout), an FC's elementary parameters in the registers of its window. Every value of a
/// statement is computed in registers released at the end of the statement.
struct BlockCompiler {
    enum LocalSymbol {
        case memory(Place)
        /// An elementary temp or FC parameter in a register of the block's window (FC inputs included: each is the
        /// FC's own copy of the argument).
        case register(UInt16, DataType)
        case constant(Constant)
    }

    let context: CompilationContext
    let block: Block
    let body: [SCLStatement]
    /// The block's name in its unit header, for diagnostics about the whole block.
    let headerRange: Range<Int>
    let file: SourceFile
    var builder: BytecodeBuilder
    var diagnostics: [Diagnostic] = []
    var locals: [String: LocalSymbol] = [:]
    var tempSize = 0
    /// An FC's structured parameters at the start of its local data.
    var parameterSize = 0
    /// The largest structured-parameter area of the FCs this block calls; it follows the block's own temps.
    var outgoingSize = 0
    var instanceSize = 0
    var interfaceSlots: [InterfaceSlot] = []
    /// Calls to resolve to block indexes: instruction index and callee name.
    var callFixups: [(instruction: Int, callee: String)] = []
    var loops: [(exit: BytecodeBuilder.Label, next: BytecodeBuilder.Label)] = []
    var labels: [String: BytecodeBuilder.Label] = [:]
    var boundLabels: Set<String> = []
    var returnLabel: BytecodeBuilder.Label
    /// Strings in the local data whose maximum-length byte must be set on entry: byte offset and length.
    var localStrings: [(byte: Int, length: Int)] = []
    /// The scratch area of the local data (after the temps and the outgoing parameters): the bytes the current
    /// statement uses, and the most any statement used.
    var scratchTop = 0
    var scratchSize = 0
    /// Registers below this hold variables (FC parameters, temps); the ones above are a statement's scratch.
    var variableRegisters: UInt16 = 0

    var types: TypeContext { context.types }

    init(context: CompilationContext, block: Block, unit: SCLProgramUnit?, file: SourceFile) {
        self.context = context
        self.block = block
        self.body = unit?.body ?? []
        self.headerRange = unit.map { $0.name?.range ?? $0.range } ?? 0..<0
        self.file = file
        let kind: CompiledBlock.Kind =
            switch block.kind {
            case .functionBlock: .functionBlock
            case .function: .function
            default: .organizationBlock
            }
        builder = BytecodeBuilder(kind: kind, name: block.name, number: block.number ?? 0)
        returnLabel = builder.label()
    }

    // MARK: Diagnostics

    func range(_ bytes: Range<Int>) -> SourceRange { file.range(bytes) }

    mutating func report(
        _ code: DiagnosticCode, _ message: String, at bytes: Range<Int>, notes: [Diagnostic.Note] = []
    )
        -> Reported
    {
        diagnostics.append(Diagnostic(code, message, at: range(bytes), notes: notes))
        return Reported()
    }

    // MARK: Compiling

    /// Compiles the block; nil when it has errors (then `diagnostics` says why).
    mutating func compile(event: OBEventClass?) -> CompiledBlock? {
        do {
            try declare()
        } catch {
            return nil
        }
        variableRegisters = builder.nextRegister
        emitPrologue()
        let mark = builder.nextRegister
        statements(body, mark: mark)
        builder.bind(returnLabel)
        for (name, label) in labels where !boundLabels.contains(name) {
            _ = report(.unknownLabel, "the label '\(name)' is not defined in this block", at: headerRange)
            builder.bind(label)
        }
        guard !diagnostics.contains(where: { $0.severity == .error }) else { return nil }
        builder.emit(.ret)
        return builder.finish(
            tempSize: tempSize + outgoingSize + scratchSize, parameterSize: parameterSize, instanceSize: instanceSize,
            interface: interfaceSlots, event: event, scratchBase: tempSize + outgoingSize)
    }

    /// Sets the maximum length of the strings in the local data (TIA initialises temp strings on block entry).
    mutating func emitPrologue() {
        guard !localStrings.isEmpty else { return }
        builder.at(line: file.location(of: headerRange.lowerBound).line)
        let scratch = builder.register()
        for string in localStrings {
            builder.loadConstant(scratch, Int64(string.length))
            builder.store(scratch, to: Place(area: .local, bitAddress: string.byte * 8, type: .byte), as: .byte)
        }
        builder.release(to: scratch)
    }

    // MARK: Declarations

    mutating func declare() throws(Reported) {
        // Local constants first: array bounds and string lengths may use them.
        for member in block.interface.section(.constant)?.members ?? [] {
            let type = try memberType(member)
            guard let text = member.startValue, let value = try? PLCValue.parse(text, as: type),
                let constant = Constant(value)
            else {
                throw report(
                    .constantRequired, "the constant '\(member.name)' needs a value of type \(type)", at: headerRange)
            }
            locals[member.name.lowercased()] = .constant(constant)
        }
        switch block.kind {
        case .functionBlock:
            let sections = TypeContext.instanceSections(of: block)
            var members: [StructMember] = []
            for member in sections.flatMap(\.members) {
                members.append(StructMember(member.name, try memberType(member)))
            }
            let layout = try layout(members)
            instanceSize = layout.sizeInBytes
            for section in sections {
                for member in section.members {
                    guard let entry = layout.entry(member.name) else { continue }
                    let place = Place(
                        area: .instance, bitAddress: entry.byteOffset * 8 + entry.bitOffset,
                        type: types.normalized(entry.dataType))
                    locals[member.name.lowercased()] = .memory(place)
                    interfaceSlots.append(
                        InterfaceSlot(
                            name: member.name, section: slotSection(section.kind), dataType: place.type,
                            location: .instance(byte: entry.byteOffset, bit: entry.bitOffset)))
                }
            }
        case .function:
            let interface: CompilationContext.FunctionInterface
            do { interface = try context.interface(of: block) } catch {
                throw report(.unknownType, "\(error.message) in the interface of \(block.name)", at: headerRange)
            }
            parameterSize = interface.parameterSize
            _ = builder.registers(interface.parameters.filter { $0.register != nil }.count)
            for parameter in interface.parameters {
                // An elementary input is the FC's own copy in a register (TIA compiles writes to it); a structured
                // input is the caller's value passed by reference and stays read-only.
                let writable = parameter.section != .input
                switch parameter.location {
                case .register(let register):
                    locals[parameter.name.lowercased()] = .register(UInt16(register), parameter.type)
                    interfaceSlots.append(
                        InterfaceSlot(
                            name: parameter.name, section: slotSection(parameter.section), dataType: parameter.type,
                            location: .register(register)))
                case .local(let bitAddress):
                    var place = Place(area: .local, bitAddress: bitAddress, type: parameter.type)
                    if !writable { place.access = .readOnly("a structured input of the FC (passed by reference)") }
                    locals[parameter.name.lowercased()] = .memory(place)
                    interfaceSlots.append(
                        InterfaceSlot(
                            name: parameter.name, section: slotSection(parameter.section), dataType: parameter.type,
                            location: .local(byte: bitAddress / 8, bit: bitAddress % 8)))
                }
            }
        default:
            break
        }
        // Temps (and an OB's start information, which the VM does not supply: it reads as zero).
        var tempMembers: [S7Model.Member] = block.interface.section(.temp)?.members ?? []
        if block.kind == .organizationBlock { tempMembers += block.interface.section(.input)?.members ?? [] }
        // Elementary temps live in registers of the block's window (zeroed on entry as the local data is), unless
        // the source takes slices of them (`#w.%X3`), which need memory.
        let source = file.text.lowercased()
        tempMembers.removeAll { member in
            guard let type = try? types.normalized(types.type(of: member, in: block)), registerType(of: type) != nil,
                !source.contains(member.name.lowercased() + ".%")
            else { return false }
            let register = builder.register()
            locals[member.name.lowercased()] = .register(register, type)
            interfaceSlots.append(
                InterfaceSlot(name: member.name, section: .temp, dataType: type, location: .register(Int(register))))
            return true
        }
        if !tempMembers.isEmpty {
            var members: [StructMember] = []
            for member in tempMembers { members.append(StructMember(member.name, try memberType(member))) }
            let layout = try layout(members)
            let base = parameterSize
            tempSize = base + layout.sizeInBytes
            for entry in layout.entries {
                if case .string(let length) = entry.dataType, let count = length.intValue ?? constantValue(length) {
                    localStrings.append((base + entry.byteOffset, count))
                }
            }
            for member in tempMembers {
                guard let entry = layout.entry(member.name) else { continue }
                let place = Place(
                    area: .local, bitAddress: (base + entry.byteOffset) * 8 + entry.bitOffset,
                    type: types.normalized(entry.dataType))
                locals[member.name.lowercased()] = .memory(place)
                interfaceSlots.append(
                    InterfaceSlot(
                        name: member.name, section: .temp, dataType: place.type,
                        location: .local(byte: base + entry.byteOffset, bit: entry.bitOffset)))
            }
        } else {
            tempSize = parameterSize
        }
    }

    func slotSection(_ kind: InterfaceSection.Kind) -> InterfaceSlot.Section {
        switch kind {
        case .input: .input
        case .output: .output
        case .inOut: .inOut
        case .temp: .temp
        case .return: .return
        default: .static
        }
    }

    func constantValue(_ bound: DataType.Bound) -> Int? {
        guard case .constant(let text) = bound else { return bound.intValue }
        return localConstant(text) ?? types.globalConstant(text)
    }

    /// A local constant named in a bound: `#N` or `N`.
    func localConstant(_ text: String) -> Int? { localConstants(text) }

    /// The lookup of local constants the type context takes for bounds and lengths (`#N`, `N`).
    var localConstants: (String) -> Int? {
        { [locals] text in
            let name = text.hasPrefix("#") ? String(text.dropFirst()) : text
            guard case .constant(let constant) = locals[SymbolIndex.unquoted(name).lowercased()],
                let value = constant.integer
            else { return nil }
            return Int(exactly: value)
        }
    }

    mutating func memberType(_ member: S7Model.Member) throws(Reported) -> DataType {
        let type: DataType
        do { type = types.normalized(try types.type(of: member, in: block)) } catch {
            throw report(.unknownType, "\(member.name): \(error.message)", at: headerRange)
        }
        try checkKnown(type, member: member.name)
        return type
    }

    /// Fails for user types the device does not define.
    mutating func checkKnown(_ type: DataType, member: String) throws(Reported) {
        switch type {
        case .named(let name), .systemDataType(let name):
            if types.named(name) == nil {
                throw report(
                    .unknownType,
                    "\(member): unknown data type \"\(name)\" (the project has no PLC data type, FB or system type "
                        + "of that name)", at: headerRange)
            }
        case .array(_, let element): try checkKnown(element, member: member)
        case .struct(let members):
            for inner in members { try checkKnown(inner.dataType, member: member + "." + inner.name) }
        default: break
        }
    }

    mutating func layout(_ members: [StructMember]) throws(Reported) -> StandardLayout {
        do {
            return try types.layout(members: members, localConstant: localConstants)
        } catch {
            throw report(.unknownType, "\(error.path): \(error.message)", at: headerRange)
        }
    }

    // MARK: Statements

    /// Compiles `list`, releasing the registers above `mark` after each statement.
    mutating func statements(_ list: [SCLStatement], mark: UInt16) {
        for statement in list {
            let line = file.location(of: statement.range.lowerBound)
            builder.at(line: line.line, column: line.column)
            do {
                try self.statement(statement)
            } catch {
                // Reported; go on with the next statement to find more errors.
            }
            builder.release(to: mark)
        }
    }

    mutating func statement(_ statement: SCLStatement) throws(Reported) {
        let mark = builder.nextRegister
        let scratchMark = scratchTop
        defer { scratchTop = scratchMark }
        switch statement.kind {
        case .assignment(let target, let op, let value):
            try assignment(target: target, op: op, value: value, range: statement.range, asStatement: true)
        case .call(let call):
            _ = try self.call(call, asStatement: true)
        case .if(let branches, let elseBody):
            let end = builder.label()
            for branch in branches {
                let next = builder.label()
                let condition = try boolean(branch.condition)
                self.branch(.jumpIfNot, to: next, on: condition)
                builder.release(to: mark)
                statements(branch.body, mark: mark)
                builder.jump(to: end)
                builder.bind(next)
            }
            if let elseBody { statements(elseBody, mark: mark) }
            builder.bind(end)
        case .case(let selector, let clauses, let elseBody):
            try caseStatement(selector: selector, clauses: clauses, elseBody: elseBody, mark: mark)
        case .for(let variable, let start, let end, let step, let body):
            try forLoop(variable: variable, start: start, end: end, step: step, body: body)
        case .while(let condition, let body):
            let top = builder.label()
            let exit = builder.label()
            builder.bind(top)
            let value = try boolean(condition)
            branch(.jumpIfNot, to: exit, on: value)
            builder.release(to: mark)
            loops.append((exit, top))
            statements(body, mark: mark)
            loops.removeLast()
            builder.jump(to: top)
            builder.bind(exit)
        case .repeat(let body, let until):
            let top = builder.label()
            let next = builder.label()
            let exit = builder.label()
            builder.bind(top)
            loops.append((exit, next))
            statements(body, mark: mark)
            loops.removeLast()
            builder.bind(next)
            let value = try boolean(until)
            branch(.jumpIfNot, to: top, on: value)
            builder.bind(exit)
        case .exit:
            guard let loop = loops.last else {
                throw report(
                    .misplacedStatement, "EXIT is only allowed inside FOR, WHILE or REPEAT", at: statement.range)
            }
            builder.jump(to: loop.exit)
        case .continue:
            guard let loop = loops.last else {
                throw report(
                    .misplacedStatement, "CONTINUE is only allowed inside FOR, WHILE or REPEAT", at: statement.range)
            }
            builder.jump(to: loop.next)
        case .return:
            builder.jump(to: returnLabel)
        case .goto(let name):
            builder.jump(to: label(name.text))
        case .label(let name):
            let key = name.text.lowercased()
            guard !boundLabels.contains(key) else {
                throw report(.misplacedStatement, "the label '\(name.text)' is defined twice", at: name.range)
            }
            builder.bind(label(name.text))
            boundLabels.insert(key)
        case .region(_, let body):
            statements(body, mark: mark)
        case .empty:
            break
        }
    }

    mutating func label(_ name: String) -> BytecodeBuilder.Label {
        let key = name.lowercased()
        if let label = labels[key] { return label }
        let label = builder.label()
        labels[key] = label
        return label
    }

    mutating func caseStatement(
        selector: SCLExpression, clauses: [SCLCaseClause], elseBody: [SCLStatement]?, mark: UInt16
    ) throws(Reported) {
        let value = try expression(selector)
        guard let selectorType = value.type.flatMap(registerType), !selectorType.isFloatingPoint,
            selectorType != .bool
        else {
            throw report(.invalidOperand, "a CASE selector must be an integer or bit string", at: selector.range)
        }
        let type = value.type!
        let register = try materialize(value, as: type, at: selector.range)
        let test = builder.register()
        let bound = builder.register()
        let other = builder.register()
        let end = builder.label()
        var bodies: [BytecodeBuilder.Label] = []
        for clause in clauses {
            let body = builder.label()
            bodies.append(body)
            for label in clause.values {
                switch label {
                case .single(let expression):
                    let constant = try caseLabel(expression, type: type)
                    builder.loadConstant(bound, bits: constant)
                    builder.emit(Operators.equal(selectorType), a: test, b: register, c: bound)
                    builder.jump(.jumpIf, to: body, a: test)
                case .range(let low, let high):
                    let lowBits = try caseLabel(low, type: type)
                    let highBits = try caseLabel(high, type: type)
                    let next = builder.label()
                    builder.loadConstant(bound, bits: lowBits)
                    builder.emit(Operators.lessEqual(selectorType), a: test, b: bound, c: register)
                    builder.jump(.jumpIfNot, to: next, a: test)
                    builder.loadConstant(other, bits: highBits)
                    builder.emit(Operators.lessEqual(selectorType), a: test, b: register, c: other)
                    builder.jump(.jumpIf, to: body, a: test)
                    builder.bind(next)
                }
            }
        }
        let elseLabel = builder.label()
        builder.jump(to: elseLabel)
        builder.release(to: mark)
        for (clause, body) in zip(clauses, bodies) {
            builder.bind(body)
            statements(clause.body, mark: mark)
            builder.jump(to: end)
        }
        builder.bind(elseLabel)
        if let elseBody { statements(elseBody, mark: mark) }
        builder.bind(end)
    }

    mutating func caseLabel(_ expression: SCLExpression, type: DataType) throws(Reported) -> UInt64 {
        let value = try self.expression(expression, expected: type)
        guard case .constant(let constant) = value, constant.integer != nil else {
            throw report(.constantRequired, "a CASE label must be a constant", at: expression.range)
        }
        let converted = try convertConstant(constant, to: type, explicit: false, at: expression.range)
        return converted.bits(as: registerType(of: type)!)
    }

    /// `FOR #i := a TO b [BY k] DO arr[#i] := constant; END_FOR` (k a positive constant or a variable) stores the
    /// constant into every element at once
    /// (`fillLoop`) before the loop, which then has nothing left to do; anything else leaves the loop alone. Nothing
    /// is reported here: the loop body, compiled as usual, reports what is wrong with it.
    mutating func fillIdiom(
        variable: SCLExpression, body: [SCLStatement], counter: UInt16, end: UInt16, stepRegister: UInt16
    ) {
        guard body.count == 1, case .assignment(let target, .assign, let value) = body[0].kind,
            case .index(let base, let indices) = target.kind, indices.count == 1,
            case .name(let index) = indices[0].kind, case .name(let loop) = variable.kind, Self.sameName(index, loop),
            Self.isStaticPath(base), Self.isConstantSyntax(value)
        else { return }
        let reported = diagnostics.count
        let mark = builder.nextRegister
        defer { dropTrial(reported: reported, mark: mark) }
        let emitted = builder.instructions.count
        guard let place = try? memory(target, forWriting: true), builder.instructions.count == emitted,
            let valueType = registerType(of: place.type),
            case .constant? = try? expression(value, expected: place.type),
            let register = try? materialize(
                try expression(value, expected: place.type), as: place.type, at: value.range)
        else { return }
        _ = builder.emitFillLoop(
            counter: counter, end: end, stepRegister: stepRegister, value: register, place: place, type: valueType)
    }

    /// `FOR #i := a TO b [BY k] DO IF [NOT] flags[#i] THEN #n := #n + c; END_IF; END_FOR` (flags a Bool array,
    /// #n an integer variable held in a register, c a constant; also `#n += c`, `c + #n`, `#n - c`) counts the
    /// elements at once (`countLoop`) before the loop, which then has nothing left to do. As with `fillIdiom`,
    /// anything else leaves the loop alone and nothing is reported here.
    mutating func countIdiom(
        variable: SCLExpression, body: [SCLStatement], counter: UInt16, end: UInt16, stepRegister: UInt16
    ) {
        guard body.count == 1, case .if(let branches, let elseBody) = body[0].kind, branches.count == 1,
            elseBody?.isEmpty ?? true, branches[0].body.count == 1,
            case .assignment(let target, let op, let value) = branches[0].body[0].kind,
            case .name(let total) = target.kind, case .name(let loop) = variable.kind,
            !Self.sameName(total, loop), let addend = Self.countAddend(op, value, total: total)
        else { return }
        var condition = branches[0].condition
        var countsTrue = true
        while true {
            if case .parenthesized(let inner) = condition.kind {
                condition = inner
            } else if case .unary(.not, let inner) = condition.kind {
                condition = inner
                countsTrue.toggle()
            } else {
                break
            }
        }
        guard case .index(let base, let indices) = condition.kind, indices.count == 1,
            case .name(let index) = indices[0].kind, Self.sameName(index, loop), Self.isStaticPath(base)
        else { return }
        let reported = diagnostics.count
        let mark = builder.nextRegister
        defer { dropTrial(reported: reported, mark: mark) }
        let emitted = builder.instructions.count
        guard case .register(let register, let type)? = try? lvalue(target), register != counter,
            let valueType = registerType(of: type), type.isInteger, Operators.addImmediate(valueType) != nil,
            case .constant(let constant)? = try? expression(addend.expression, expected: type),
            let integer = constant.integer, let immediate = Int32(exactly: addend.negated ? -integer : integer),
            let place = try? memory(condition, forWriting: false), place.type == .bool,
            builder.instructions.count == emitted
        else { return }
        _ = builder.emitCountLoop(
            counter: counter, end: end, stepRegister: stepRegister, total: register, addend: immediate,
            width: valueType.bitWidth, countsTrue: countsTrue, place: place)
    }

    /// After an idiom's trial compilation: drops what it reported since `reported` and releases its registers
    /// from `mark` on (the loop body, compiled as usual, reports what is wrong).
    mutating func dropTrial(reported: Int, mark: UInt16) {
        diagnostics.removeSubrange(reported...)
        builder.release(to: mark)
    }

    /// The constant that `total op value` adds to `total` (`#n := #n + c`, `#n := c + #n`, `#n := #n - c`,
    /// `#n += c`, `#n -= c`), and whether it is subtracted.
    static func countAddend(
        _ op: SCLAssignmentOperator, _ value: SCLExpression, total: SCLName
    ) -> (
        expression: SCLExpression, negated: Bool
    )? {
        switch op {
        case .add: return isConstantSyntax(value) ? (value, false) : nil
        case .subtract: return isConstantSyntax(value) ? (value, true) : nil
        case .assign:
            guard case .binary(let binary, let left, let right) = value.kind else { return nil }
            let isTotal = { (expression: SCLExpression) -> Bool in
                if case .name(let name) = expression.kind { return sameName(name, total) }
                return false
            }
            if binary == .add, isTotal(left), isConstantSyntax(right) { return (right, false) }
            if binary == .add, isTotal(right), isConstantSyntax(left) { return (left, false) }
            if binary == .subtract, isTotal(left), isConstantSyntax(right) { return (right, true) }
            return nil
        default: return nil
        }
    }

    /// Two names for the same variable: same kind, same text but for case.
    static func sameName(_ a: SCLName, _ b: SCLName) -> Bool {
        a.kind == b.kind && a.text.lowercased() == b.text.lowercased()
    }

    /// A variable named by names and members only (`"DB".a.b`, `#s.arr`): addressing it emits no code.
    static func isStaticPath(_ expression: SCLExpression) -> Bool {
        switch expression.kind {
        case .name: return true
        case .member(let base, _): return isStaticPath(base)
        default: return false
        }
    }

    /// A literal, possibly negated: its value needs no code before the loop.
    static func isConstantSyntax(_ expression: SCLExpression) -> Bool {
        switch expression.kind {
        case .literal: return true
        case .parenthesized(let inner): return isConstantSyntax(inner)
        case .unary(let op, let operand): return op == .negate && isConstantSyntax(operand)
        default: return false
        }
    }

    mutating func forLoop(
        variable: SCLExpression, start: SCLExpression, end: SCLExpression, step: SCLExpression?,
        body: [SCLStatement]
    ) throws(Reported) {
        let target = try lvalue(variable)
        guard let type = target.type, let valueType = registerType(of: type), type.isInteger else {
            throw report(.invalidOperand, "a FOR variable must be an integer (Int, DInt ...)", at: variable.range)
        }
        let startValue = try materialize(try expression(start, expected: type), as: type, at: start.range)
        try storeValue(startValue, type: type, to: target, at: variable.range)
        // The end value and the step are evaluated once, into registers of their own (a variable's register would
        // follow changes the body makes).
        let endRegister = builder.register()
        builder.emit(
            .move, a: endRegister, b: try materialize(try expression(end, expected: type), as: type, at: end.range))
        var stepConstant: Int128? = 1
        let stepRegister = builder.register()
        if let step {
            let stepValue = try expression(step, expected: type)
            if case .constant(let constant) = stepValue, let integer = constant.integer {
                stepConstant = integer
                guard integer != 0 else {
                    throw report(.invalidOperand, "a FOR step of 0 never ends the loop", at: step.range)
                }
                builder.loadConstant(stepRegister, bits: constant.bits(as: valueType))
            } else {
                stepConstant = nil
                builder.emit(.move, a: stepRegister, b: try materialize(stepValue, as: type, at: step.range))
            }
        } else {
            builder.loadConstant(stepRegister, 1)
        }
        let mark = builder.nextRegister
        let top = builder.label()
        let next = builder.label()
        let exit = builder.label()
        if case .register(let counter, _) = target, type == .dInt {
            // A DInt counter in a register: test once, then step and test in one instruction at the bottom.
            let increment = stepConstant.flatMap { Int32(exactly: $0) }
            if increment.map({ $0 > 0 }) ?? true {
                fillIdiom(
                    variable: variable, body: body, counter: counter, end: endRegister, stepRegister: stepRegister)
                countIdiom(
                    variable: variable, body: body, counter: counter, end: endRegister, stepRegister: stepRegister)
            }
            if let increment, increment > 0 {
                builder.jump(.jumpLtS32, to: exit, b: endRegister, c: counter)
            } else if increment != nil {
                builder.jump(.jumpLtS32, to: exit, b: counter, c: endRegister)
            } else {
                let zero = builder.register()
                let down = builder.label()
                builder.loadConstant(zero, 0)
                builder.jump(.jumpLtS32, to: down, b: stepRegister, c: zero)
                builder.jump(.jumpLtS32, to: exit, b: endRegister, c: counter)
                builder.jump(to: top)
                builder.bind(down)
                builder.jump(.jumpLtS32, to: exit, b: counter, c: endRegister)
            }
            builder.bind(top)
            loops.append((exit, next))
            statements(body, mark: mark)
            loops.removeLast()
            builder.bind(next)
            if let increment, increment > 0 {
                builder.jump(.incJumpLeS32, to: top, a: counter, c: endRegister, e: increment)
            } else {
                builder.jump(.stepJumpS32, to: top, a: counter, b: stepRegister, c: endRegister)
            }
            builder.bind(exit)
            return
        }
        builder.bind(top)
        let current = try loadTarget(target, type: type, at: variable.range)
        let test = builder.register()
        if let stepConstant {
            // Counting up: leave when current > end; down: when current < end.
            if stepConstant > 0 {
                builder.emit(Operators.less(valueType), a: test, b: endRegister, c: current)
            } else {
                builder.emit(Operators.less(valueType), a: test, b: current, c: endRegister)
            }
            branch(.jumpIf, to: exit, on: test)
        } else {
            let zero = builder.register()
            let down = builder.label()
            let inside = builder.label()
            builder.loadConstant(zero, 0)
            builder.emit(Operators.less(valueType), a: test, b: stepRegister, c: zero)
            branch(.jumpIf, to: down, on: test)
            builder.emit(Operators.less(valueType), a: test, b: endRegister, c: current)
            branch(.jumpIf, to: exit, on: test)
            builder.jump(to: inside)
            builder.bind(down)
            builder.emit(Operators.less(valueType), a: test, b: current, c: endRegister)
            branch(.jumpIf, to: exit, on: test)
            builder.bind(inside)
        }
        builder.release(to: mark)
        loops.append((exit, next))
        statements(body, mark: mark)
        loops.removeLast()
        builder.bind(next)
        let again = try loadTarget(target, type: type, at: variable.range)
        builder.emit(Operators.add(valueType), a: again, b: again, c: stepRegister)
        try storeValue(again, type: type, to: target, at: variable.range)
        builder.release(to: mark)
        builder.jump(to: top)
        builder.bind(exit)
    }

    /// Jumps to `label` if `register` is TRUE (`.jumpIf`) or FALSE (`.jumpIfNot`). A scratch result of the
    /// instruction just before (a signed comparison up to 32 bits, or NOT) is fused into the jump.
    mutating func branch(_ opcode: Opcode, to label: BytecodeBuilder.Label, on register: UInt16) {
        let whenTrue = opcode == .jumpIf
        if register >= variableRegisters, let last = builder.instructions.last, last.a == register {
            switch last.opcode {
            case .ltS8, .ltS16, .ltS32:
                // b < c; its negation is c <= b.
                if whenTrue {
                    builder.replaceLast(withJump: .jumpLtS32, to: label, b: last.b, c: last.c)
                } else {
                    builder.replaceLast(withJump: .jumpLeS32, to: label, b: last.c, c: last.b)
                }
                return
            case .leS8, .leS16, .leS32:
                if whenTrue {
                    builder.replaceLast(withJump: .jumpLeS32, to: label, b: last.b, c: last.c)
                } else {
                    builder.replaceLast(withJump: .jumpLtS32, to: label, b: last.c, c: last.b)
                }
                return
            case .notBool:
                builder.replaceLast(withJump: whenTrue ? .jumpIfNot : .jumpIf, to: label, a: last.b)
                return
            default:
                break
            }
        }
        builder.jump(opcode, to: label, a: register)
    }
}
