/// A LAD or FBD network as SimaticML writes it in a compile unit's `NetworkSource`: the `<FlgNet>` element
/// (namespace `…/NetworkSource/FlgNet/v4` from TIA V16, `…/v5` from V17) with its operands, instructions, block
/// calls and the wires between their pins.
///
/// Every operand, instruction and call has a `UId` unique in the network; a wire lists its source first and then
/// what it feeds. Example, the rung `"Start"` → `( )` `#Run`:
///
/// ```xml
/// <Parts>
///   <Access Scope="GlobalVariable" UId="21"><Symbol><Component Name="Start" /></Symbol></Access>
///   <Access Scope="LocalVariable" UId="22"><Symbol><Component Name="Run" /></Symbol></Access>
///   <Part Name="Contact" UId="23" />
///   <Part Name="Coil" UId="24" />
/// </Parts>
/// <Wires>
///   <Wire UId="25"><Powerrail /><NameCon UId="23" Name="in" /></Wire>
///   <Wire UId="26"><IdentCon UId="21" /><NameCon UId="23" Name="operand" /></Wire>
///   <Wire UId="27"><NameCon UId="23" Name="out" /><NameCon UId="24" Name="in" /></Wire>
///   <Wire UId="28"><IdentCon UId="22" /><NameCon UId="24" Name="operand" /></Wire>
/// </Wires>
/// ```
public struct FlgNet: Hashable, Sendable {
    /// The namespace of the `<FlgNet>` element, nil when it has none (the nested networks of GRAPH transitions).
    public var namespace: String?
    /// Jump labels the network declares (`<Labels><LabelDeclaration>`), in document order.
    public var labels: [Label]
    /// The operands: variables, constants, addresses and jump labels, in document order.
    public var accesses: [Access]
    /// Instructions (`<Part>`) and block calls (`<Call>`), in document order.
    public var instructions: [Instruction]
    public var wires: [Wire]

    public init(
        namespace: String? = nil, labels: [Label] = [], accesses: [Access] = [], instructions: [Instruction] = [],
        wires: [Wire] = []
    ) {
        self.namespace = namespace
        self.labels = labels
        self.accesses = accesses
        self.instructions = instructions
        self.wires = wires
    }

    /// The schema version the namespace names: 5 for `…/FlgNet/v5`, nil when there is no version.
    public var schemaVersion: Int? {
        guard let namespace, let slash = namespace.lastIndex(of: "/") else { return nil }
        let last = namespace[namespace.index(after: slash)...]
        guard last.first == "v" else { return nil }
        return Int(last.dropFirst())
    }

    /// The instructions (`<Part>`), in document order.
    public var parts: [Part] {
        instructions.compactMap { if case .part(let part) = $0 { part } else { nil } }
    }

    /// The block calls (`<Call>`), in document order.
    public var calls: [Call] {
        instructions.compactMap { if case .call(let call) = $0 { call } else { nil } }
    }

    public func access(_ uid: String) -> Access? {
        accesses.first { $0.uid == uid }
    }

    public func instruction(_ uid: String) -> Instruction? {
        instructions.first { $0.uid == uid }
    }

    /// The operands wired to one pin of an instruction, input or output, as TIA shows them: for the coil of the
    /// example above, `operands(of: "24", pin: "operand")` is `["#Run"]`.
    public func operands(of uid: String, pin: String) -> [String] {
        var result: [String] = []
        for wire in wires where wire.endpoints.contains(.nameCon(uid, pin: pin)) {
            for endpoint in wire.endpoints {
                if case .identCon(let accessUID) = endpoint, let found = self.access(accessUID) {
                    result.append(found.operand)
                }
            }
        }
        return result
    }
}

// MARK: - Operands

extension FlgNet {
    /// A jump label declared by the network (`<LabelDeclaration UId="…"><Label Name="M001" /></LabelDeclaration>`).
    public struct Label: Hashable, Sendable {
        public var uid: String?
        public var name: String

        public init(uid: String? = nil, name: String) {
            self.uid = uid
            self.name = name
        }
    }

    /// An operand (`<Access>`): a variable, a constant, an absolute address or a jump label.
    public struct Access: Hashable, Sendable {
        /// The `Scope` attribute.
        public enum Scope: Hashable, Sendable {
            case globalVariable
            case localVariable
            case literalConstant
            case typedConstant
            case globalConstant
            case localConstant
            case address
            case label
            /// Any other scope, with its SimaticML name (`Undef`, `AddressExpression`...).
            case other(String)

            public init(_ text: String) {
                switch text {
                case "GlobalVariable": self = .globalVariable
                case "LocalVariable": self = .localVariable
                case "LiteralConstant": self = .literalConstant
                case "TypedConstant": self = .typedConstant
                case "GlobalConstant": self = .globalConstant
                case "LocalConstant": self = .localConstant
                case "Address": self = .address
                case "Label": self = .label
                default: self = .other(text)
                }
            }

            /// The name SimaticML writes.
            public var rawValue: String {
                switch self {
                case .globalVariable: "GlobalVariable"
                case .localVariable: "LocalVariable"
                case .literalConstant: "LiteralConstant"
                case .typedConstant: "TypedConstant"
                case .globalConstant: "GlobalConstant"
                case .localConstant: "LocalConstant"
                case .address: "Address"
                case .label: "Label"
                case .other(let text): text
                }
            }
        }

        /// The `UId`; empty for the index operands inside a component (`a[#i]`), which have none.
        public var uid: String
        public var scope: Scope
        /// The variable's path, for variables.
        public var symbol: [Component]?
        public var constant: Constant?
        public var address: Address?
        /// The label name, for `Scope="Label"`.
        public var label: String?

        public init(
            uid: String, scope: Scope, symbol: [Component]? = nil, constant: Constant? = nil, address: Address? = nil,
            label: String? = nil
        ) {
            self.uid = uid
            self.scope = scope
            self.symbol = symbol
            self.constant = constant
            self.address = address
            self.label = label
        }

        /// The operand as TIA shows it: `"Motor_DB".speed[3]`, `#FIQ_TIMER.S`, `60`, `T#20s`, `%I0.3`, `M001`.
        public var operand: String {
            if let symbol {
                return Component.path(symbol, scope: scope)
            }
            if let constant {
                if let value = constant.value, !value.isEmpty { return value }
                if let name = constant.name {
                    switch scope {
                    case .localConstant: return "#" + Component.quotedIfNeeded(name)
                    default: return "\"" + name + "\""
                    }
                }
                return "<???>"
            }
            if let address { return address.text }
            if let label { return label }
            return "<\(scope.rawValue)>"
        }
    }

    /// One step of a variable's path (`<Component Name="speed" AccessModifier="Array">` with its indices).
    public struct Component: Hashable, Sendable {
        public var name: String
        /// Array indices, when `AccessModifier="Array"`: one operand per dimension.
        public var indices: [Access]
        /// `AccessModifier` other than `None`: `Array`, `Reference`...
        public var accessModifier: String?
        /// `SliceAccessModifier`, a bit/byte/word slice: `x1` is `.%X1`.
        public var sliceAccess: String?
        /// `SimpleAccessModifier`: `Periphery` is `:P`.
        public var simpleAccess: String?
        /// Whether the name must be quoted (`<BooleanAttribute Name="HasQuotes">true`).
        public var hasQuotes: Bool

        public init(
            name: String, indices: [Access] = [], accessModifier: String? = nil, sliceAccess: String? = nil,
            simpleAccess: String? = nil, hasQuotes: Bool = false
        ) {
            self.name = name
            self.indices = indices
            self.accessModifier = accessModifier
            self.sliceAccess = sliceAccess
            self.simpleAccess = simpleAccess
            self.hasQuotes = hasQuotes
        }

        /// The path as TIA writes it for a scope: global variables start with a quoted name (`"DB".a.b[3]`),
        /// local ones with `#` (`#local.x`); names that are not plain identifiers are quoted (`#"TrigE76.4"`).
        public static func path(_ components: [Component], scope: Access.Scope) -> String {
            var text = ""
            for (index, component) in components.enumerated() {
                if index > 0 { text += "." }
                if index == 0 && (scope == .globalVariable || scope == .globalConstant) {
                    text += "\"" + component.name + "\""
                } else {
                    text += component.hasQuotes ? "\"" + component.name + "\"" : quotedIfNeeded(component.name)
                }
                if !component.indices.isEmpty {
                    text += "[" + component.indices.map(\.operand).joined(separator: ",") + "]"
                }
                if component.accessModifier == "Reference" { text += "^" }
                if let slice = component.sliceAccess, let first = slice.first {
                    text += ".%" + first.uppercased() + String(slice.dropFirst())
                }
                if let simple = component.simpleAccess {
                    text += ":" + (simple == "Periphery" ? "P" : simple)
                }
            }
            switch scope {
            case .localVariable, .localConstant: return "#" + text
            default: return text
            }
        }

        /// `name`, or `"name"` when it is not an identifier (letters, digits and `_`, not starting with a digit).
        public static func quotedIfNeeded(_ name: String) -> String {
            var plain = !name.isEmpty
            for (index, scalar) in name.unicodeScalars.enumerated() {
                let isLetter = (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || scalar == "_"
                let isDigit = scalar >= "0" && scalar <= "9"
                if !(isLetter || (isDigit && index > 0)) {
                    plain = false
                    break
                }
            }
            return plain ? name : "\"" + name + "\""
        }
    }

    /// A constant operand: a literal (`60`, `T#20s`, with its `ConstantType` when TIA wrote it) or a named
    /// constant (`<Constant Name="MAX" />`).
    public struct Constant: Hashable, Sendable {
        public var name: String?
        public var type: String?
        public var value: String?

        public init(name: String? = nil, type: String? = nil, value: String? = nil) {
            self.name = name
            self.type = type
            self.value = value
        }
    }

    /// An absolute address (`<Address Area="Input" Type="Bool" BitOffset="3" />`); `bitOffset` counts bits.
    public struct Address: Hashable, Sendable {
        public var area: String
        public var type: String?
        public var blockNumber: Int?
        public var bitOffset: Int?

        public init(area: String, type: String? = nil, blockNumber: Int? = nil, bitOffset: Int? = nil) {
            self.area = area
            self.type = type
            self.blockNumber = blockNumber
            self.bitOffset = bitOffset
        }

        /// `%I0.3`, `%MW10`, `%DB5.DBX2.1`, `%T3`.
        public var text: String {
            let offset = max(bitOffset ?? 0, 0)
            let byte = offset / 8
            let bit = offset % 8
            let size: String =
                switch type ?? "" {
                case "Bool": "X"
                case "Byte", "Char", "SInt", "USInt": "B"
                case "Word", "Int", "UInt", "S5Time", "Date", "WChar": "W"
                case "": "X"
                default: "D"
                }
            func located(_ prefix: String) -> String {
                size == "X" ? "%\(prefix)\(byte).\(bit)" : "%\(prefix)\(size)\(byte)"
            }
            switch area {
            case "Input": return located("I")
            case "Output": return located("Q")
            case "Memory": return located("M")
            case "Local": return located("L")
            case "PeripheryInput": return located("I") + ":P"
            case "PeripheryOutput": return located("Q") + ":P"
            case "Timer": return "%T\(blockNumber ?? byte)"
            case "Counter": return "%C\(blockNumber ?? byte)"
            case "DB", "DI":
                let number = blockNumber.map { String($0) } ?? ""
                let access = size == "X" ? "\(area)X\(byte).\(bit)" : "\(area)\(size)\(byte)"
                return "%\(area)\(number).\(access)"
            default: return "%\(area)?\(byte).\(bit)"
            }
        }
    }
}

// MARK: - Instructions

extension FlgNet {
    /// An instruction or a block call of the network.
    public enum Instruction: Hashable, Sendable {
        case part(Part)
        case call(Call)

        public var uid: String {
            switch self {
            case .part(let part): part.uid
            case .call(let call): call.uid
            }
        }
    }

    /// An instruction (`<Part Name="Contact" UId="26">`): a contact, coil, box (`Move`, `Add`, `Gt`, `TON`...) or
    /// the OR junction `O` of parallel branches.
    public struct Part: Hashable, Sendable {
        public var uid: String
        /// The instruction as SimaticML names it: `Contact`, `Coil`, `SCoil`, `PContact`, `Move`, `TON`, `O`...
        public var name: String
        /// The version of a versioned instruction (`TON` `1.0`).
        public var version: String?
        /// `DisabledENO="true"`: the box's ENO is not evaluated.
        public var disabledENO: Bool
        /// The pins drawn negated (`<Negated Name="operand" />` is a normally closed contact `--|/|--`).
        public var negatedPins: [String]
        /// Template values: `Card` (the number of inputs or outputs), `SrcType`, `DestType`, `time_type`...
        public var templateValues: [TemplateValue]
        /// Template parameters TIA typed automatically (`<AutomaticTyped Name="SrcType" />`).
        public var automaticTyped: [String]
        /// The instance of an instruction with memory (`TON`, `CTU`): a multi-instance `#x` or an instance DB.
        public var instance: Instance?

        public init(
            uid: String, name: String, version: String? = nil, disabledENO: Bool = false, negatedPins: [String] = [],
            templateValues: [TemplateValue] = [], automaticTyped: [String] = [], instance: Instance? = nil
        ) {
            self.uid = uid
            self.name = name
            self.version = version
            self.disabledENO = disabledENO
            self.negatedPins = negatedPins
            self.templateValues = templateValues
            self.automaticTyped = automaticTyped
            self.instance = instance
        }

        public func isNegated(_ pin: String) -> Bool { negatedPins.contains(pin) }

        public func templateValue(_ name: String) -> String? {
            templateValues.first { $0.name == name }?.value
        }
    }

    /// `<TemplateValue Name="SrcType" Type="Type">USInt</TemplateValue>`.
    public struct TemplateValue: Hashable, Sendable {
        public var name: String
        /// `Type` or `Cardinality`.
        public var type: String?
        public var value: String

        public init(name: String, type: String? = nil, value: String) {
            self.name = name
            self.type = type
            self.value = value
        }
    }

    /// The instance of a call or an instruction: `<Instance Scope="GlobalVariable">` is an instance DB,
    /// `Scope="LocalVariable"` a multi-instance.
    public struct Instance: Hashable, Sendable {
        public var uid: String?
        public var scope: Access.Scope
        public var components: [Component]

        public init(uid: String? = nil, scope: Access.Scope, components: [Component]) {
            self.uid = uid
            self.scope = scope
            self.components = components
        }

        /// `"Motor_DB"` or `#Timers.Delay`.
        public var operand: String { Component.path(components, scope: scope) }
    }

    /// A call of a user block (`<Call UId="23"><CallInfo Name="Motor" BlockType="FB">`).
    public struct Call: Hashable, Sendable {
        public var uid: String
        /// The called block's name.
        public var name: String
        /// `FB`, `FC`, `SFB` or `SFC`.
        public var blockType: String
        /// The instance DB or multi-instance, for FBs.
        public var instance: Instance?
        /// The block's parameters as the call declares them, in order.
        public var parameters: [Parameter]

        public init(
            uid: String, name: String, blockType: String, instance: Instance? = nil, parameters: [Parameter] = []
        ) {
            self.uid = uid
            self.name = name
            self.blockType = blockType
            self.instance = instance
            self.parameters = parameters
        }
    }

    /// `<Parameter Name="FIQ_TIMER" Section="InOut" Type="&quot;UDT_WORK_CNT&quot;" />`.
    public struct Parameter: Hashable, Sendable {
        public var name: String
        /// `Input`, `Output`, `InOut` or `Return`.
        public var section: String
        public var type: String

        public init(name: String, section: String, type: String) {
            self.name = name
            self.section = section
            self.type = type
        }
    }

    /// A wire: its source first (the power rail, an operand or an output pin), then what it feeds.
    public struct Wire: Hashable, Sendable {
        public enum Endpoint: Hashable, Sendable {
            /// `<Powerrail />`: the left power rail of a LAD network.
            case powerrail
            /// `<IdentCon UId="21" />`: an operand.
            case identCon(String)
            /// `<NameCon UId="26" Name="in" />`: a pin of an instruction or call.
            case nameCon(String, pin: String)
            /// `<OpenCon UId="37" />`: a pin left unconnected on purpose (its own UId).
            case openCon(String)
        }

        public var uid: String
        public var endpoints: [Endpoint]

        public init(uid: String, endpoints: [Endpoint]) {
            self.uid = uid
            self.endpoints = endpoints
        }

        public var source: Endpoint? { endpoints.first }
        public var sinks: [Endpoint] { Array(endpoints.dropFirst()) }
    }
}

// MARK: - Parsing

extension FlgNet {
    /// Parses the `sourceXML` of a `Network` (the content of its `NetworkSource`, `<FlgNet …>…</FlgNet>`).
    ///
    /// An empty source is an empty network. An SCL (`<StructuredText>`), STL (`<StatementList>`) or GRAPH
    /// (`<Graph>`) network throws an error saying so; malformed XML and elements that miss what the schema
    /// requires throw an error with the line and column in `xml`.
    public init(parsingNetworkSource xml: String) throws(SimaticMLError) {
        if xml.allSatisfy(\.isWhitespace) {
            self = FlgNet()
            return
        }
        let document = try XMLParser.parseNetworkSource(xml)
        let root = document.root
        switch root.localName {
        case "FlgNet":
            self = try FlgNetParser(document: document).network(root)
        case "StructuredText":
            throw SimaticMLError(message: "an SCL network (<StructuredText>) is not a LAD/FBD network")
        case "StatementList":
            throw SimaticMLError(message: "an STL network (<StatementList>) is not a LAD/FBD network")
        case "Graph":
            throw SimaticMLError(message: "a GRAPH sequence (<Graph>) is not a LAD/FBD network")
        default:
            throw SimaticMLError(message: "not a LAD/FBD network: the network source holds <\(root.name)>")
        }
    }
}

private struct FlgNetParser {
    let document: XMLDocument

    func network(_ root: XMLElement) throws(SimaticMLError) -> FlgNet {
        var net = FlgNet(namespace: root[attribute: "xmlns"])
        var declared: [String: XMLElement] = [:]
        var isAccess: Set<String> = []
        var wireElements: [(wire: FlgNet.Wire, element: XMLElement)] = []
        for child in root.elements {
            switch child.localName {
            case "Labels":
                for declaration in child.elements where declaration.localName == "LabelDeclaration" {
                    let labelName = declaration.first("Label")?[attribute: "Name"] ?? declaration[attribute: "Name"]
                    guard let name = labelName, !name.isEmpty else {
                        throw located("a <LabelDeclaration> needs a <Label Name=\"…\">", declaration)
                    }
                    net.labels.append(FlgNet.Label(uid: declaration[attribute: "UId"], name: name))
                }
            case "Parts":
                for element in child.elements {
                    let uid: String
                    switch element.localName {
                    case "Access":
                        let access = try self.access(element, needsUID: true)
                        uid = access.uid
                        net.accesses.append(access)
                        isAccess.insert(uid)
                    case "Part":
                        let part = try self.part(element)
                        uid = part.uid
                        net.instructions.append(.part(part))
                    case "Call":
                        let call = try self.call(element)
                        uid = call.uid
                        net.instructions.append(.call(call))
                    default:
                        throw located("unexpected <\(element.name)> in <Parts>", element)
                    }
                    if declared[uid] != nil {
                        throw located("UId \(uid) is used twice in <Parts>", element)
                    }
                    declared[uid] = element
                }
            case "Wires":
                for element in child.elements {
                    guard element.localName == "Wire" else {
                        throw located("unexpected <\(element.name)> in <Wires>", element)
                    }
                    let wire = try self.wire(element)
                    net.wires.append(wire)
                    wireElements.append((wire, element))
                }
            default:
                break
            }
        }
        // Every connection must name something <Parts> declares: an operand for IdentCon, an instruction for NameCon.
        for (wire, element) in wireElements {
            for endpoint in wire.endpoints {
                switch endpoint {
                case .identCon(let uid) where !isAccess.contains(uid):
                    throw located("wire \(wire.uid): <IdentCon UId=\"\(uid)\"> names no <Access>", element)
                case .nameCon(let uid, _) where declared[uid] == nil || isAccess.contains(uid):
                    throw located("wire \(wire.uid): <NameCon UId=\"\(uid)\"> names no <Part> or <Call>", element)
                default:
                    break
                }
            }
        }
        return net
    }

    func access(_ element: XMLElement, needsUID: Bool) throws(SimaticMLError) -> FlgNet.Access {
        guard let scope = element[attribute: "Scope"] else {
            throw located("an <Access> needs a Scope attribute", element)
        }
        let uid = element[attribute: "UId"] ?? ""
        if needsUID && uid.isEmpty { throw located("an <Access> needs a UId attribute", element) }
        var access = FlgNet.Access(uid: uid, scope: FlgNet.Access.Scope(scope))
        for child in element.elements {
            switch child.localName {
            case "Symbol":
                var components: [FlgNet.Component] = []
                for component in child.elements where component.localName == "Component" {
                    components.append(try self.component(component))
                }
                guard !components.isEmpty else { throw located("a <Symbol> needs a <Component>", child) }
                access.symbol = components
            case "Constant":
                access.constant = FlgNet.Constant(
                    name: child[attribute: "Name"], type: child.first("ConstantType")?.text,
                    value: child.first("ConstantValue")?.text)
            case "Address":
                guard let area = child[attribute: "Area"] else {
                    throw located("an <Address> needs an Area attribute", child)
                }
                let blockNumber = child[attribute: "BlockNumber"].flatMap { Int($0) }
                let bitOffset = child[attribute: "BitOffset"].flatMap { Int($0) }
                access.address = FlgNet.Address(
                    area: area, type: child[attribute: "Type"], blockNumber: blockNumber, bitOffset: bitOffset)
            case "Label":
                guard let name = child[attribute: "Name"] else {
                    throw located("a <Label> needs a Name attribute", child)
                }
                access.label = name
            default:
                break
            }
        }
        return access
    }

    func component(_ element: XMLElement) throws(SimaticMLError) -> FlgNet.Component {
        guard let name = element[attribute: "Name"] else {
            throw located("a <Component> needs a Name attribute", element)
        }
        var component = FlgNet.Component(
            name: name, sliceAccess: element[attribute: "SliceAccessModifier"],
            simpleAccess: element[attribute: "SimpleAccessModifier"])
        if let modifier = element[attribute: "AccessModifier"], modifier != "None" {
            component.accessModifier = modifier
        }
        for child in element.elements {
            switch child.localName {
            case "Access":
                component.indices.append(try access(child, needsUID: false))
            case "BooleanAttribute" where child[attribute: "Name"] == "HasQuotes":
                component.hasQuotes = child.text.lowercased() == "true"
            default:
                break
            }
        }
        return component
    }

    func instance(_ element: XMLElement) throws(SimaticMLError) -> FlgNet.Instance {
        var components: [FlgNet.Component] = []
        for child in element.elements where child.localName == "Component" {
            components.append(try component(child))
        }
        guard !components.isEmpty else { throw located("an <Instance> needs a <Component>", element) }
        return FlgNet.Instance(
            uid: element[attribute: "UId"], scope: FlgNet.Access.Scope(element[attribute: "Scope"] ?? ""),
            components: components)
    }

    func part(_ element: XMLElement) throws(SimaticMLError) -> FlgNet.Part {
        guard let name = element[attribute: "Name"], !name.isEmpty else {
            throw located("a <Part> needs a Name attribute", element)
        }
        guard let uid = element[attribute: "UId"], !uid.isEmpty else {
            throw located("the <Part Name=\"\(name)\"> needs a UId attribute", element)
        }
        var part = FlgNet.Part(
            uid: uid, name: name, version: element[attribute: "Version"],
            disabledENO: element[attribute: "DisabledENO"]?.lowercased() == "true")
        for child in element.elements {
            switch child.localName {
            case "Negated":
                if let pin = child[attribute: "Name"] { part.negatedPins.append(pin) }
            case "TemplateValue":
                guard let valueName = child[attribute: "Name"] else {
                    throw located("a <TemplateValue> needs a Name attribute", child)
                }
                part.templateValues.append(
                    FlgNet.TemplateValue(name: valueName, type: child[attribute: "Type"], value: child.text))
            case "AutomaticTyped":
                if let typed = child[attribute: "Name"] { part.automaticTyped.append(typed) }
            case "Instance":
                part.instance = try instance(child)
            default:
                break
            }
        }
        return part
    }

    func call(_ element: XMLElement) throws(SimaticMLError) -> FlgNet.Call {
        guard let uid = element[attribute: "UId"], !uid.isEmpty else {
            throw located("a <Call> needs a UId attribute", element)
        }
        guard let info = element.first("CallInfo") else {
            throw located("the <Call UId=\"\(uid)\"> has no <CallInfo>", element)
        }
        guard let name = info[attribute: "Name"], !name.isEmpty else {
            throw located("a <CallInfo> needs a Name attribute", info)
        }
        var call = FlgNet.Call(uid: uid, name: name, blockType: info[attribute: "BlockType"] ?? "")
        for child in info.elements {
            switch child.localName {
            case "Instance":
                call.instance = try instance(child)
            case "Parameter":
                guard let parameter = child[attribute: "Name"] else {
                    throw located("a <Parameter> of the call of \(name) needs a Name attribute", child)
                }
                let section = child[attribute: "Section"] ?? ""
                let type = child[attribute: "Type"] ?? ""
                call.parameters.append(FlgNet.Parameter(name: parameter, section: section, type: type))
            default:
                break
            }
        }
        return call
    }

    func wire(_ element: XMLElement) throws(SimaticMLError) -> FlgNet.Wire {
        guard let uid = element[attribute: "UId"] else { throw located("a <Wire> needs a UId attribute", element) }
        var endpoints: [FlgNet.Wire.Endpoint] = []
        for child in element.elements {
            switch child.localName {
            case "Powerrail":
                endpoints.append(.powerrail)
            case "IdentCon":
                guard let target = child[attribute: "UId"] else {
                    throw located("an <IdentCon> in wire \(uid) needs a UId attribute", child)
                }
                endpoints.append(.identCon(target))
            case "NameCon":
                guard let target = child[attribute: "UId"], let pin = child[attribute: "Name"] else {
                    throw located("a <NameCon> in wire \(uid) needs UId and Name attributes", child)
                }
                endpoints.append(.nameCon(target, pin: pin))
            case "OpenCon":
                endpoints.append(.openCon(child[attribute: "UId"] ?? ""))
            default:
                throw located("unexpected <\(child.name)> in wire \(uid)", child)
            }
        }
        return FlgNet.Wire(uid: uid, endpoints: endpoints)
    }

    /// An error at the element's start tag, with the line and column in the network source.
    func located(_ message: String, _ element: XMLElement) -> SimaticMLError {
        var line = 1
        var lineStart = 0
        let end = min(max(element.sourceRange.lowerBound, 0), document.bytes.count)
        for index in 0..<end where document.bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        let column = String(decoding: document.bytes[lineStart..<end], as: UTF8.self).unicodeScalars.count + 1
        return SimaticMLError(message: message, line: line, column: column)
    }
}

extension XMLParser {
    /// The document of a network source (the content of a compile unit's `NetworkSource`); malformed XML throws
    /// with the line and column in `xml`.
    static func parseNetworkSource(_ xml: String) throws(SimaticMLError) -> XMLDocument {
        do {
            return try XMLParser.parse(xml)
        } catch {
            throw SimaticMLError(
                message: "the network source is not well-formed XML: \(error.message)", line: error.line,
                column: error.column)
        }
    }
}
