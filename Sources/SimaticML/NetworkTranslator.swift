public import S7Model

/// A block's networks as SCL statements: what the compiler turns into bytecode for a LAD, FBD or SimaticML-SCL block.
public struct NetworkTranslation: Sendable, Hashable {
    /// A temporary variable the translation needs (a power-flow value read by two instructions, an output pin that
    /// feeds a contact), to be added to the block's `Temp` section.
    public struct Temp: Sendable, Hashable {
        public var name: String
        public var dataType: String
    }

    /// Something in a network that cannot be simulated or cannot be read.
    public struct Problem: Sendable, Hashable {
        /// The network, counted from 1 as TIA does.
        public var network: Int
        /// An error leaves the block out; a warning leaves the network (or instruction) out and says so.
        public var isError: Bool
        public var message: String
    }

    /// The SCL statements of all networks, each network after a `// Network n` comment line.
    public var body: String
    public var temps: [Temp]
    public var problems: [Problem]
    /// For each line of `body` (0-based), the network it belongs to (from 1), or 0.
    public var lineNetworks: [Int]

    /// The network of a 1-based line of `body`, nil for lines outside any network.
    public func network(atLine line: Int) -> Int? {
        guard line >= 1, line <= lineNetworks.count, lineNetworks[line - 1] > 0 else { return nil }
        return lineNetworks[line - 1]
    }
}

/// Lowers the networks of a SimaticML block to SCL statements with the semantics of the S7-1500:
///
/// - LAD: contacts in series AND the power flow, parallel branches (`O`) OR it, a coil assigns it, S/R coils set or
///   reset on it, P/N contacts and coils and P_TRIG/N_TRIG keep their edge memory bit, boxes run when EN has power
///   and pass it on as ENO, comparators are contacts, timers and counters are called on their instance every scan
///   with the power flow as IN/CU, FB and FC calls get their parameters, jumps go to labels;
/// - FBD: the same parts as boxes (`A`, `O`, `X`, negated pins);
/// - SCL networks: their text.
///
/// STL and GRAPH networks are not simulated: each gives a warning naming it and is left out.
///
///     let translation = NetworkTranslator.translate(block)
///     // translation.body: "// Network 1: Start\n#Run := \"Start\" AND NOT \"Stop\";\n…"
public enum NetworkTranslator {
    public static func translate(_ block: Block) -> NetworkTranslation {
        var body: [String] = []
        var lineNetworks: [Int] = []
        var temps: [NetworkTranslation.Temp] = []
        var problems: [NetworkTranslation.Problem] = []
        let taken = Set(block.interface.allMembers.map { $0.name.lowercased() })

        for (index, network) in block.networks.enumerated() {
            let number = index + 1
            let title = network.title.preferred.map { ": " + $0 } ?? ""
            var lines: [String] = []
            let source = network.sourceXML.drop { $0.isWhitespace }
            func problem(_ message: String, error: Bool) {
                problems.append(.init(network: number, isError: error, message: message))
            }
            if source.isEmpty {
                // An empty network: nothing to run.
            } else if source.hasPrefix("<FlgNet") {
                do {
                    let net = try FlgNet(parsingNetworkSource: network.sourceXML)
                    var lowering = LadderLowering(net: net, network: number, taken: taken, tempCount: temps.count)
                    lowering.lower()
                    lines = lowering.lines
                    temps += lowering.temps
                    problems += lowering.problems
                } catch {
                    problem("the network cannot be read: \(error.description)", error: true)
                }
            } else if source.hasPrefix("<StructuredText") {
                do {
                    lines = try StructuredText.text(ofNetworkSource: network.sourceXML)
                        .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                } catch {
                    problem("the SCL network cannot be read: \(error.description)", error: true)
                }
            } else {
                let kind =
                    source.hasPrefix("<StatementList")
                    ? "an STL network"
                    : source.hasPrefix("<Graph")
                        ? "a GRAPH sequence"
                        : "a \(network.language.rawValue) network"
                problem("\(kind) is not simulated: the network is left out, the rest of the block runs", error: false)
            }
            body.append("// Network \(number)\(title.replacingLineBreaks)")
            lineNetworks.append(number)
            body += lines
            lineNetworks += Array(repeating: number, count: lines.count)
        }
        return NetworkTranslation(
            body: body.joined(separator: "\n"), temps: temps, problems: problems, lineNetworks: lineNetworks)
    }
}

extension MultilingualText {
    /// The English text if there is one, else the first non-empty one.
    fileprivate var preferred: String? {
        let nonEmpty = items.filter { !$0.text.isEmpty }
        return (nonEmpty.first { $0.culture.hasPrefix("en") } ?? nonEmpty.first)?.text
    }
}

extension String {
    fileprivate var replacingLineBreaks: String {
        String(map { $0.isNewline ? " " : $0 })
    }
}

/// One LAD/FBD network lowered to SCL statements (see `NetworkTranslator`).
///
/// Values flow along wires from an output pin (or the power rail, or an operand) to input pins. Instructions with an
/// effect (coils, boxes, calls, edge detection) are lowered in document order, each after the instructions its
/// inputs come from; instructions without one (contacts, comparators, `O`, `NOT`) become expressions where they
/// are read. A value read twice, or read after an effect, is kept in a temp first.
struct LadderLowering {
    struct Pin: Hashable {
        var uid: String
        var pin: String
    }

    let net: FlgNet
    let network: Int
    let taken: Set<String>
    var tempCount: Int
    var lines: [String] = []
    var temps: [NetworkTranslation.Temp] = []
    var problems: [NetworkTranslation.Problem] = []

    /// For an input pin, what feeds it.
    var sources: [Pin: FlgNet.Wire.Endpoint] = [:]
    /// For an output pin, what it feeds.
    var sinks: [Pin: [FlgNet.Wire.Endpoint]] = [:]
    var values: [Pin: String] = [:]
    var lowered: Set<String> = []
    var lowering: Set<String> = []

    init(net: FlgNet, network: Int, taken: Set<String>, tempCount: Int) {
        self.net = net
        self.network = network
        self.taken = taken
        self.tempCount = tempCount
        for wire in net.wires {
            guard let source = wire.source else { continue }
            for sink in wire.sinks {
                if case .nameCon(let uid, let pin) = sink { sources[Pin(uid: uid, pin: pin)] = source }
            }
            if case .nameCon(let uid, let pin) = source { sinks[Pin(uid: uid, pin: pin), default: []] += wire.sinks }
        }
    }

    mutating func lower() {
        for label in net.labels { lines.append("\(label.name): ;") }
        for instruction in net.instructions where hasEffect(instruction) {
            lowerInstruction(instruction.uid)
        }
    }

    // MARK: Values

    /// The SCL expression an input pin reads, nil when nothing is wired to it.
    mutating func input(_ uid: String, _ pin: String, negated: Bool = false) -> String? {
        guard let source = sources[Pin(uid: uid, pin: pin)] else { return nil }
        let value: String?
        switch source {
        case .powerrail: value = "TRUE"
        case .identCon(let access): value = operand(access)
        case .nameCon(let from, let fromPin): value = output(from, fromPin)
        case .openCon: value = nil
        }
        guard let value else { return nil }
        return negated ? not(value) : value
    }

    /// A Bool input, negated when the part draws it so; TRUE when unconnected (an FBD box's open EN).
    mutating func bool(_ part: FlgNet.Part, _ pin: String, default fallback: String = "TRUE") -> String {
        input(part.uid, pin, negated: part.isNegated(pin)) ?? fallback
    }

    /// The operand text of an `<Access>`.
    mutating func operand(_ uid: String) -> String {
        guard let access = net.access(uid) else {
            report("an operand (UId \(uid)) is missing", error: true)
            return "FALSE"
        }
        switch access.scope {
        case .other(let scope):
            report("the operand \(access.operand) has scope \(scope), which cannot be simulated", error: true)
        default: break
        }
        if let constant = access.constant, let value = constant.value, !value.isEmpty,
            access.scope == .literalConstant || access.scope == .typedConstant
        {
            return literal(value, type: constant.type)
        }
        return access.operand
    }

    /// A literal as SCL reads it: TIA's typed constants keep their prefix; a `Real` written as `1` gets `.0`.
    func literal(_ value: String, type: String?) -> String {
        guard let type else { return value }
        switch type.lowercased() {
        case "real", "lreal":
            if Int(value) != nil { return value + ".0" }
            return value
        default: return value
        }
    }

    /// The operand wired to a pin (`operand`, `bit`, a box's output), nil when none is.
    func operandText(_ uid: String, _ pin: String) -> String? {
        if case .identCon(let access)? = sources[Pin(uid: uid, pin: pin)] { return net.access(access)?.operand }
        for endpoint in sinks[Pin(uid: uid, pin: pin)] ?? [] {
            if case .identCon(let access) = endpoint { return net.access(access)?.operand }
        }
        return nil
    }

    /// The value of an output pin, lowering its instruction first if needed.
    mutating func output(_ uid: String, _ pin: String) -> String {
        let key = Pin(uid: uid, pin: pin)
        if let value = values[key] { return value }
        lowerInstruction(uid)
        if let value = values[key] { return value }
        return "FALSE"
    }

    /// Keeps a value in a temp when two inputs read it, so it is computed once.
    mutating func share(_ value: String, of key: Pin) -> String {
        let readers = (sinks[key] ?? []).filter { if case .nameCon = $0 { true } else { false } }.count
        guard readers > 1, !isSimple(value) else { return value }
        return keep(value, type: "Bool")
    }

    /// Stores a value in a new temp and gives the temp.
    mutating func keep(_ value: String, type: String) -> String {
        let name = newTemp(type)
        lines.append("\(name) := \(value);")
        return name
    }

    mutating func newTemp(_ type: String) -> String {
        var name: String
        repeat {
            tempCount += 1
            name = "_lad\(tempCount)"
        } while taken.contains(name.lowercased())
        temps.append(.init(name: name, dataType: type))
        return "#" + name
    }

    /// An operand or literal: reading it twice costs nothing and gives the same value.
    func isSimple(_ value: String) -> Bool {
        !value.contains(" ") && !value.hasPrefix("(")
    }

    func and(_ a: String, _ b: String) -> String {
        if a == "TRUE" { return b }
        if b == "TRUE" { return a }
        if a == "FALSE" || b == "FALSE" { return "FALSE" }
        return a + " AND " + b
    }

    func not(_ value: String) -> String {
        if value == "TRUE" { return "FALSE" }
        if value == "FALSE" { return "TRUE" }
        return isSimple(value) ? "NOT " + value : "NOT (" + value + ")"
    }

    func grouped(_ value: String) -> String {
        isSimple(value) ? value : "(" + value + ")"
    }

    mutating func report(_ message: String, error: Bool) {
        problems.append(.init(network: network, isError: error, message: message))
    }

    // MARK: Instructions

    /// Whether an instruction must run even when nothing reads its outputs.
    func hasEffect(_ instruction: FlgNet.Instruction) -> Bool {
        switch instruction {
        case .call: return true
        case .part(let part):
            // A gate or comparator whose output goes straight to a variable (FBD) assigns it.
            guard Self.pure.contains(part.name) else { return true }
            return sinks.contains { key, endpoints in
                key.uid == part.uid && endpoints.contains { if case .identCon = $0 { true } else { false } }
            }
        }
    }

    /// Parts that only compute a power-flow value from their inputs.
    static let pure: Set<String> = [
        "Contact", "O", "A", "X", "Not", "Eq", "Ne", "Gt", "Ge", "Lt", "Le", "InRange",
        "OutRange", "OK", "NotOK",
    ]

    static let comparisons: [String: String] = ["Eq": "=", "Ne": "<>", "Gt": ">", "Ge": ">=", "Lt": "<", "Le": "<="]

    mutating func lowerInstruction(_ uid: String) {
        guard !lowered.contains(uid) else { return }
        guard !lowering.contains(uid) else {
            report("the network feeds an instruction's output back into its input (UId \(uid))", error: true)
            return
        }
        guard let instruction = net.instruction(uid) else { return }
        lowering.insert(uid)
        switch instruction {
        case .part(let part): lowerPart(part)
        case .call(let call): lowerCall(call)
        }
        lowering.remove(uid)
        lowered.insert(uid)
    }

    mutating func set(_ part: FlgNet.Part, _ pin: String, _ value: String) {
        let key = Pin(uid: part.uid, pin: pin)
        values[key] = part.isNegated(pin) ? not(value) : value
    }

    /// Sets an output of a part without an effect, kept in a temp when two instructions read it.
    mutating func setShared(_ part: FlgNet.Part, _ pin: String, _ value: String) {
        set(part, pin, value)
        let key = Pin(uid: part.uid, pin: pin)
        values[key] = share(values[key]!, of: key)
    }

    /// The power flow an instruction with an effect passes on unchanged (a coil's `out`, a box's ENO), taken BEFORE
    /// the effect: kept in a temp when something reads it, since the effect may write what the value reads (a
    /// coil resetting the contact's own operand). Returns the value the effect itself should use.
    mutating func passThrough(_ part: FlgNet.Part, _ pin: String, _ value: String) -> String {
        let key = Pin(uid: part.uid, pin: pin)
        let readers = (sinks[key] ?? []).filter { if case .nameCon = $0 { true } else { false } }.count
        var passed = value
        if readers > 0, value != "TRUE", value != "FALSE", !value.hasPrefix("#_lad") {
            passed = keep(value, type: "Bool")
        }
        values[key] = part.isNegated(pin) ? not(passed) : passed
        return passed
    }

    /// Assigns an output kept by `passThrough` to the operands it is wired to (an FBD box's ENO to a variable).
    mutating func assignPassed(_ part: FlgNet.Part, _ pin: String) {
        let key = Pin(uid: part.uid, pin: pin)
        guard let value = values[key] else { return }
        for endpoint in sinks[key] ?? [] {
            if case .identCon(let access) = endpoint, let target = net.access(access)?.operand {
                lines.append("\(target) := \(value);")
            }
        }
    }

    /// A value an instruction with an effect computes (an SR flip-flop's Q after it ran): kept in a temp when it is
    /// read, so later effects do not change it, and assigned to the operands it is wired to (an FBD box's Q).
    mutating func pass(_ part: FlgNet.Part, _ pin: String, _ value: String) {
        _ = passThrough(part, pin, value)
        assignPassed(part, pin)
    }

    mutating func lowerPart(_ part: FlgNet.Part) {
        let name = part.name
        switch name {
        case "Contact":
            guard let operand = operandInput(part, "operand") else { return }
            setShared(part, "out", and(bool(part, "in"), part.isNegated("operand") ? not(operand) : operand))
        case "O", "A", "X":
            let inputs = inputPins(part).compactMap { input(part.uid, $0, negated: part.isNegated($0)) }
            let joined: String
            switch name {
            case "O":
                joined =
                    inputs.contains("TRUE")
                    ? "TRUE" : inputs.isEmpty ? "FALSE" : "(" + inputs.joined(separator: " OR ") + ")"
            case "X": joined = inputs.isEmpty ? "FALSE" : "(" + inputs.map(grouped).joined(separator: " XOR ") + ")"
            default: joined = inputs.isEmpty ? "TRUE" : inputs.map(grouped).reduce("TRUE", and)
            }
            setShared(part, "out", inputs.count == 1 ? inputs[0] : joined)
            outputToOperands(part, "out")
        case "Not":
            setShared(part, "out", not(bool(part, "in")))
        case _ where Self.comparisons[name] != nil:
            let a = input(part.uid, "in1") ?? "0"
            let b = input(part.uid, "in2") ?? "0"
            let compared = "(" + a + " " + Self.comparisons[name]! + " " + b + ")"
            setShared(part, "out", and(bool(part, "pre"), compared))
            outputToOperands(part, "out")
        case "InRange", "OutRange":
            let low = input(part.uid, "MIN") ?? input(part.uid, "min") ?? "0"
            let value = input(part.uid, "VAL") ?? input(part.uid, "val") ?? "0"
            let high = input(part.uid, "MAX") ?? input(part.uid, "max") ?? "0"
            let inside = "(\(low) <= \(value) AND \(value) <= \(high))"
            setShared(part, "out", and(bool(part, "pre"), name == "InRange" ? inside : not(inside)))
        case "Coil", "SCoil", "RCoil":
            guard let operand = operandText(part.uid, "operand") else {
                report("the \(name) has no operand", error: true)
                return
            }
            let rlo = passThrough(part, "out", bool(part, "in"))
            switch name {
            case "Coil":
                lines.append("\(operand) := \(part.isNegated("operand") ? not(rlo) : rlo);")
            case "SCoil": lines.append(conditional(rlo, "\(operand) := TRUE;"))
            default: lines.append(conditional(rlo, "\(operand) := FALSE;"))
            }
        case "PCoil", "NCoil":
            guard let operand = operandText(part.uid, "operand"), let bit = operandText(part.uid, "bit") else {
                report("the \(name) needs an operand and an edge memory bit", error: true)
                return
            }
            let rlo = keepIfNeeded(passThrough(part, "out", bool(part, "in")))
            let edge = name == "PCoil" ? "\(rlo) AND NOT \(bit)" : "NOT \(rlo) AND \(bit)"
            lines.append("\(operand) := \(edge);")
            lines.append("\(bit) := \(rlo);")
        case "PContact", "NContact":
            guard let operand = operandInput(part, "operand"), let bit = operandText(part.uid, "bit") else {
                report("the \(name) needs an operand and an edge memory bit", error: true)
                return
            }
            let pre = bool(part, "pre", default: input(part.uid, "in") ?? "TRUE")
            let signal = part.isNegated("operand") ? not(operand) : operand
            let edge = keep(
                name == "PContact" ? "\(grouped(signal)) AND NOT \(bit)" : "NOT \(grouped(signal)) AND \(bit)",
                type: "Bool")
            _ = passThrough(part, "out", and(pre, edge))
            lines.append("\(bit) := \(signal);")
        case "PBox", "NBox":
            let clock = keepIfNeeded(bool(part, "in"))
            guard let bit = operandText(part.uid, "bit") else {
                report("the \(name == "PBox" ? "P_TRIG" : "N_TRIG") needs an edge memory bit", error: true)
                return
            }
            let edge = keep(name == "PBox" ? "\(clock) AND NOT \(bit)" : "NOT \(clock) AND \(bit)", type: "Bool")
            _ = passThrough(part, "out", edge)
            lines.append("\(bit) := \(clock);")
        case "Sr", "Rs":
            guard let operand = operandText(part.uid, "operand") else {
                report("the \(name.uppercased()) flip-flop has no operand", error: true)
                return
            }
            let set = name == "Sr" ? bool(part, "s", default: "FALSE") : bool(part, "s1", default: "FALSE")
            let reset = name == "Sr" ? bool(part, "r1", default: "FALSE") : bool(part, "r", default: "FALSE")
            // The second condition is taken before the first one's effect, which may write what it reads.
            if name == "Sr" {
                let reset = keepUnlessLiteral(reset)
                lines.append(conditional(set, "\(operand) := TRUE;"))
                lines.append(conditional(reset, "\(operand) := FALSE;"))
            } else {
                let set = keepUnlessLiteral(set)
                lines.append(conditional(reset, "\(operand) := FALSE;"))
                lines.append(conditional(set, "\(operand) := TRUE;"))
            }
            pass(part, "q", operand)
        case "Jump", "JumpN":
            let rlo = bool(part, "in")
            guard let label = operandText(part.uid, "operand") else {
                report("the jump names no label", error: true)
                return
            }
            lines.append(conditional(name == "Jump" ? rlo : not(rlo), "GOTO \(label);"))
        case "Return", "Ret":
            lines.append(conditional(bool(part, "in"), "RETURN;"))
        case "Move":
            let enable = passThrough(part, "eno", bool(part, "en"))
            guard let value = input(part.uid, "in") else {
                report("the MOVE box has no IN", error: true)
                return
            }
            var body: [String] = []
            for pin in outputPins(part) where pin.hasPrefix("out") {
                if let target = operandText(part.uid, pin) { body.append("\(target) := \(value);") }
            }
            lines += conditional(enable, body)
            assignPassed(part, "eno")
        case "Inc", "Dec":
            let enable = passThrough(part, "eno", bool(part, "en"))
            guard let operand = operandText(part.uid, "operand") else {
                report("the \(name.uppercased()) box has no operand", error: true)
                return
            }
            lines.append(conditional(enable, "\(operand) := \(operand) \(name == "Inc" ? "+" : "-") 1;"))
            assignPassed(part, "eno")
        case "Add", "Sub", "Mul", "Div", "Mod", "Expt", "And", "Or", "Xor":
            let symbols = [
                "Add": "+", "Sub": "-", "Mul": "*", "Div": "/", "Mod": "MOD", "Expt": "**",
                "And": "AND", "Or": "OR", "Xor": "XOR",
            ]
            let enable = bool(part, "en")
            let operands = inputPins(part).filter { $0.hasPrefix("in") }.compactMap { input(part.uid, $0) }
            let expression = operands.map(grouped).joined(separator: " \(symbols[name]!) ")
            // ENO is FALSE when an integer result leaves its type's range (the result still wraps into OUT).
            var valid: String?
            if ["Add", "Sub", "Mul"].contains(name), let type = part.templateValue("SrcType"),
                let range = Self.integerRanges[type.lowercased()], !(name == "Mul" && operands.count > 2)
            {
                let wide = (name == "Mul" ? "LINT#1 * " : "LINT#0 + ") + expression
                valid = "(\(wide)) >= \(range.low) AND (\(wide)) <= \(range.high)"
            }
            lowerBox(part, enable: enable, result: expression, valid: valid)
        case "Neg":
            let value = input(part.uid, "in") ?? "0"
            let valid = part.templateValue("SrcType").flatMap { Self.integerRanges[$0.lowercased()] }.map {
                "(LINT#0 - \(grouped(value))) >= \($0.low) AND (LINT#0 - \(grouped(value))) <= \($0.high)"
            }
            lowerBox(part, enable: bool(part, "en"), result: "-" + grouped(value), valid: valid)
        case "Inv", "Invert":
            lowerBox(part, enable: bool(part, "en"), result: "NOT " + grouped(input(part.uid, "in") ?? "0"))
        case "Convert", "Round", "Trunc", "Ceil", "Floor":
            let enable = bool(part, "en")
            let value = input(part.uid, "in") ?? "0"
            let source = part.templateValue("SrcType")
            let target = part.templateValue("DestType")
            let function: String
            switch name {
            case "Convert":
                if let source, let target {
                    function = "\(source.uppercased())_TO_\(target.uppercased())"
                } else {
                    function = "CONVERT"
                }
            default:
                function = name.uppercased() + (target.map { "_" + $0.uppercased() } ?? "")
            }
            // ENO is FALSE when the value does not fit the integer type it is converted to.
            var valid: String?
            if let target, let range = Self.integerRanges[target.lowercased()], let source {
                let sourceType = source.lowercased()
                let checked: String? =
                    Self.integerRanges[sourceType] != nil
                    ? "(LINT#0 + \(grouped(value)))"
                    : ["real", "lreal"].contains(sourceType) ? grouped(value) : nil
                valid = checked.map { "\($0) >= \(range.low) AND \($0) <= \(range.high)" }
            }
            lowerBox(part, enable: enable, result: "\(function)(\(value))", valid: valid)
        case "TON", "TOF", "TP", "TONR", "CTU", "CTD", "CTUD", "R_TRIG", "F_TRIG":
            lowerInstance(part)
        case "Sd", "Se", "Sp", "Ss", "Sf":
            lowerS5Timer(part)
        case "SdCoil", "SeCoil", "SpCoil", "SsCoil", "SfCoil":
            let kinds = [
                "SdCoil": "S_ODT", "SeCoil": "S_PEXT", "SpCoil": "S_PULSE", "SsCoil": "S_ODTS", "SfCoil": "S_OFFDT",
            ]
            let start = bool(part, "in")
            guard let timer = operandText(part.uid, "operand") else {
                report("the timer coil names no timer", error: true)
                return
            }
            let value = input(part.uid, "value") ?? "S5T#0ms"
            lines.append("\(kinds[name]!)(T_NO := \(timer), S := \(start), TV := \(value), R := FALSE);")
        case "CNT_CTRL", "CTRL_HSC", "CTRL_PWM", "TSEND_C", "TRCV_C", "TCON", "TDISCON", "TSEND", "TRCV", "MB_CLIENT",
            "MB_SERVER":
            report(
                "\(name) (UId \(part.uid)) needs hardware or a connection s7wb does not simulate: the box is left "
                    + "out, its outputs keep their values", error: false)
            _ = passThrough(part, "eno", "FALSE")
        default:
            lowerGenericBox(part)
        }
    }

    /// The operand of a contact-like pin as an expression (an operand, a literal, or a wired value).
    mutating func operandInput(_ part: FlgNet.Part, _ pin: String) -> String? {
        guard let value = input(part.uid, pin) else {
            report("the \(part.name) (UId \(part.uid)) has no operand", error: true)
            return nil
        }
        return value
    }

    /// A value kept in a temp unless it is a literal or already a temp: taken now, before an effect.
    mutating func keepUnlessLiteral(_ value: String) -> String {
        value == "TRUE" || value == "FALSE" || value.hasPrefix("#_lad") ? value : keep(value, type: "Bool")
    }

    mutating func keepIfNeeded(_ value: String) -> String {
        isSimple(value) ? value : keep(value, type: "Bool")
    }

    func conditional(_ condition: String, _ statement: String) -> String {
        if condition == "TRUE" { return statement }
        if condition == "FALSE" { return "// never: " + statement }
        return "IF \(condition) THEN \(statement) END_IF;"
    }

    func conditional(_ condition: String, _ statements: [String]) -> [String] {
        guard !statements.isEmpty else { return [] }
        if condition == "TRUE" { return statements }
        return ["IF \(condition) THEN"] + statements.map { "    " + $0 } + ["END_IF;"]
    }

    /// Assigns an output pin's value to the operands it is wired to (FBD: a gate's output straight to a variable).
    mutating func outputToOperands(_ part: FlgNet.Part, _ pin: String) {
        let key = Pin(uid: part.uid, pin: pin)
        for endpoint in sinks[key] ?? [] {
            if case .identCon(let access) = endpoint, let target = net.access(access)?.operand, let value = values[key]
            {
                lines.append("\(target) := \(value);")
            }
        }
    }

    /// The input pins a part has wires to, in name order with numbers sorted numerically (`in2` before `in10`).
    func inputPins(_ part: FlgNet.Part) -> [String] {
        let pins = sources.keys.filter { $0.uid == part.uid }.map(\.pin)
        return pins.sorted { a, b in
            let na = Int(a.drop { !$0.isNumber }) ?? 0
            let nb = Int(b.drop { !$0.isNumber }) ?? 0
            let pa = String(a.prefix { !$0.isNumber })
            let pb = String(b.prefix { !$0.isNumber })
            return (pa, na) < (pb, nb)
        }
    }

    func outputPins(_ part: FlgNet.Part) -> [String] {
        sinks.keys.filter { $0.uid == part.uid }.map(\.pin).sorted()
    }

    /// A box computing one value into `out` when EN has power; ENO is EN, and FALSE as well when `valid` (a
    /// condition on the inputs, such as "the sum fits an Int") does not hold.
    mutating func lowerBox(_ part: FlgNet.Part, enable rlo: String, result: String, valid: String? = nil) {
        var body: [String] = []
        if let target = operandText(part.uid, "out") ?? operandText(part.uid, "OUT") {
            body.append("\(target) := \(result);")
        }
        guard let valid, !(sinks[Pin(uid: part.uid, pin: "eno")] ?? []).isEmpty else {
            lines += conditional(passThrough(part, "eno", rlo), body)
            assignPassed(part, "eno")
            return
        }
        // Both taken before OUT is written: the box may write what it reads.
        let enable = keepUnlessLiteral(rlo)
        _ = passThrough(part, "eno", keep("\(enable) AND \(valid)", type: "Bool"))
        lines += conditional(enable, body)
        assignPassed(part, "eno")
    }

    /// The value range of each integer type, for ENO of a box whose result may not fit.
    static let integerRanges: [String: (low: String, high: String)] = [
        "sint": ("-128", "127"), "int": ("-32768", "32767"), "dint": ("-2147483648", "2147483647"),
        "usint": ("0", "255"), "uint": ("0", "65535"), "udint": ("0", "4294967295"),
    ]

    /// Any other box is the instruction of that name called with its pins as parameters: `OUT`/`out` (or
    /// `RET_VAL`) is the result, other outputs are `=>` parameters.
    mutating func lowerGenericBox(_ part: FlgNet.Part) {
        let enable = passThrough(part, "eno", bool(part, "en"))
        var arguments: [String] = []
        for pin in inputPins(part) where pin.lowercased() != "en" {
            if let value = input(part.uid, pin) { arguments.append("\(pin.uppercased()) := \(value)") }
        }
        var result: String?
        let outputs = outputPins(part).filter { $0.lowercased() != "eno" }
        let resultPin = outputs.first { $0.lowercased() == "ret_val" } ?? outputs.first { $0.lowercased() == "out" }
        for pin in outputs {
            guard let target = operandText(part.uid, pin) else { continue }
            if pin == resultPin { result = target } else { arguments.append("\(pin.uppercased()) => \(target)") }
        }
        let function = Self.instructionNames[part.name] ?? part.name.uppercased()
        let call = "\(function)(\(arguments.joined(separator: ", ")))"
        lines.append(conditional(enable, result.map { "\($0) := \(call);" } ?? "\(call);"))
        assignPassed(part, "eno")
    }

    /// SimaticML part names whose SCL instruction is spelled differently.
    static let instructionNames: [String: String] = [
        "Abs": "ABS", "Sqr": "SQR", "Sqrt": "SQRT", "Ln": "LN", "Exp": "EXP", "Sin": "SIN", "Cos": "COS", "Tan": "TAN",
        "Asin": "ASIN", "Acos": "ACOS", "Atan": "ATAN", "Frac": "FRAC", "Min": "MIN", "Max": "MAX", "Limit": "LIMIT",
        "Sel": "SEL", "Mux": "MUX", "Demux": "DEMUX", "Shl": "SHL", "Shr": "SHR", "Rol": "ROL", "Ror": "ROR",
        "Swap": "SWAP", "NormX": "NORM_X", "ScaleX": "SCALE_X", "Norm_X": "NORM_X", "Scale_X": "SCALE_X",
        "MoveBlock": "MOVE_BLK", "FillBlock": "FILL_BLK", "UMoveBlock": "UMOVE_BLK",
    ]

    /// A timer, counter or edge instruction called on its instance every scan; the power flow is its first input.
    mutating func lowerInstance(_ part: FlgNet.Part) {
        guard let instance = part.instance else {
            report("the \(part.name) (UId \(part.uid)) has no instance", error: true)
            return
        }
        let target = instance.operand
        let inputs: [String]
        let outputs: [String]
        switch part.name {
        case "TON", "TOF", "TP": (inputs, outputs) = (["IN", "PT"], ["Q", "ET"])
        case "TONR": (inputs, outputs) = (["IN", "R", "PT"], ["Q", "ET"])
        case "CTU": (inputs, outputs) = (["CU", "R", "PV"], ["Q", "CV"])
        case "CTD": (inputs, outputs) = (["CD", "LD", "PV"], ["Q", "CV"])
        case "CTUD": (inputs, outputs) = (["CU", "CD", "R", "LD", "PV"], ["QU", "QD", "CV"])
        default: (inputs, outputs) = (["CLK"], ["Q"])
        }
        var arguments: [String] = []
        for pin in inputs {
            if let value = input(part.uid, pin, negated: part.isNegated(pin)) {
                arguments.append("\(pin) := \(value)")
            } else if pin == inputs[0] {
                arguments.append("\(pin) := FALSE")
            }
        }
        for pin in outputs {
            if let operand = operandText(part.uid, pin) { arguments.append("\(pin) => \(operand)") }
        }
        let enable = passThrough(part, "eno", input(part.uid, "en") ?? "TRUE")
        lines.append(conditional(enable, "\(target).\(part.name)(\(arguments.joined(separator: ", ")));"))
        for pin in outputs {
            let key = Pin(uid: part.uid, pin: pin)
            // Q (QU, QD) is power flow and kept now; ET and CV are read where they are wired.
            values[key] = ["Q", "QU", "QD"].contains(pin) ? keepIfRead(key, "\(target).\(pin)") : "\(target).\(pin)"
        }
        assignPassed(part, "eno")
    }

    /// A value read by other instructions later in the network, kept now.
    mutating func keepIfRead(_ key: Pin, _ value: String) -> String {
        let readers = (sinks[key] ?? []).filter { if case .nameCon = $0 { true } else { false } }.count
        return readers > 0 ? keep(value, type: "Bool") : value
    }

    /// An S5 timer box (S_ODT, S_OFFDT, …): S starts it, TV is the time, R resets; Q is the power flow out.
    mutating func lowerS5Timer(_ part: FlgNet.Part) {
        let kinds = ["Sd": "S_ODT", "Se": "S_PEXT", "Sp": "S_PULSE", "Ss": "S_ODTS", "Sf": "S_OFFDT"]
        guard let timer = operandText(part.uid, "timer") else {
            report("the \(kinds[part.name]!) box names no timer", error: true)
            return
        }
        var arguments = ["T_NO := \(timer)", "S := \(bool(part, "s", default: "FALSE"))"]
        arguments.append("TV := \(input(part.uid, "tv") ?? "S5T#0ms")")
        arguments.append("R := \(bool(part, "r", default: "FALSE"))")
        if let operand = operandText(part.uid, "rt") { arguments.append("BI => \(operand)") }
        let q = Pin(uid: part.uid, pin: "q")
        var qTarget = operandText(part.uid, "q")
        if qTarget == nil, (sinks[q] ?? []).contains(where: { if case .nameCon = $0 { true } else { false } }) {
            qTarget = newTemp("Bool")
        }
        if let qTarget { arguments.append("Q => \(qTarget)") }
        let call = "\(kinds[part.name]!)(\(arguments.joined(separator: ", ")))"
        if let bcd = operandText(part.uid, "rtbcd") {
            lines.append("\(bcd) := \(call);")
        } else {
            lines.append("\(call);")
        }
        values[q] = qTarget ?? "FALSE"
    }

    // MARK: Calls

    mutating func lowerCall(_ call: FlgNet.Call) {
        let enable = input(call.uid, "en") ?? "TRUE"
        let callee: String
        if let instance = call.instance {
            callee = instance.operand
        } else {
            callee = "\"" + call.name + "\""
        }
        var arguments: [String] = []
        var result: String?
        var keptOutputs: [(Pin, String)] = []
        for parameter in call.parameters {
            let key = Pin(uid: call.uid, pin: parameter.name)
            let formal = FlgNet.Component.quotedIfNeeded(parameter.name)
            switch parameter.section {
            case "Input":
                if let value = input(call.uid, parameter.name) { arguments.append("\(formal) := \(value)") }
            case "InOut":
                if let value = operandText(call.uid, parameter.name) ?? input(call.uid, parameter.name) {
                    arguments.append("\(formal) := \(value)")
                }
            default:
                var target = operandText(call.uid, parameter.name)
                let read = (sinks[key] ?? []).contains { if case .nameCon = $0 { true } else { false } }
                if target == nil, read { target = newTemp(parameter.type.isEmpty ? "Bool" : parameter.type) }
                guard let target else { continue }
                if read { keptOutputs.append((key, target)) }
                if parameter.section == "Return" {
                    result = target
                } else {
                    arguments.append("\(formal) => \(target)")
                }
            }
        }
        let enoKey = Pin(uid: call.uid, pin: "eno")
        let enoRead = !(sinks[enoKey] ?? []).isEmpty
        var eno: String?
        if enoRead {
            let name = newTemp("Bool")
            eno = name
            arguments.append("ENO => \(name)")
            if enable != "TRUE" { lines.append("\(name) := FALSE;") }
        }
        let text = "\(callee)(\(arguments.joined(separator: ", ")))"
        lines.append(conditional(enable, result.map { "\($0) := \(text);" } ?? "\(text);"))
        for (key, target) in keptOutputs { values[key] = target }
        if let eno {
            values[enoKey] = eno
            for endpoint in sinks[enoKey] ?? [] {
                if case .identCon(let access) = endpoint, let target = net.access(access)?.operand {
                    lines.append("\(target) := \(eno);")
                }
            }
        }
    }
}
