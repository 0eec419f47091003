public import S7Model

/// Draws LAD networks as text, laid out the way TIA Portal shows them.
///
/// The left power rail is `|`; contacts are `--| |--`, `--|/|--`, `--|P|--`, `--|N|--`, comparisons `--|==|--`
/// with their first operand above and their type and second operand below; coils are `--( )--`, `--(S)--`,
/// `--(R)--`, `--(SF)--`...; other instructions and block calls are boxes with their pins, the operands wired to
/// them on either side, and their instance or bit operand above. Operands stand above the element:
///
/// ```
/// |  "Start"    "Stop"     #Run
/// |----| |-------|/|----+--( )---
/// |  #Run               |
/// |--| |----------------+
/// ```
///
/// Elements in series go left to right. Parallel branches (an OR: several wires meeting at an `O` junction; a rail
/// or an output feeding several elements) are stacked rows joined with `+`. A box with two power-flow inputs (`RS`,
/// `SR`) gets its input branches stacked on its left, each ending at its pin. Every instruction and call of the
/// network is drawn once, with its operands, whatever the shape; the output is deterministic.
public enum LadderRenderer {
    /// The network's lines, without a trailing power rail. Jump labels the network declares come first (`M001:`).
    public static func render(_ net: FlgNet) -> [String] {
        let graph = WireGraph(net)
        var builder = RungBuilder(graph: graph)
        let items = builder.rungs()
        var lines = net.labels.map { "\($0.name):" }
        guard !items.isEmpty else {
            lines.append("|")
            return lines
        }
        let block = Drawer(graph: graph).draw(items, openLeft: true, openRight: false, continues: false)
        for row in block.rows {
            var line = "|" + String(row)
            while line.last == " " { line.removeLast() }
            lines.append(line)
        }
        return lines
    }

    /// A drawn network (the lines `render` gives) cut into parts at most `width` columns wide, as TIA continues a
    /// long rung below: each part after the first starts a new band; a wire that runs on ends in `>>` and the next
    /// band starts it with `>>`. Cuts fall where every line has a wire or a space, so no operand, box or contact
    /// is split unless nothing else fits. Lines not drawn (`Network 3: …`, comments, notes) stay as they are.
    public static func wrap(_ lines: [String], width: Int) -> [String] {
        let drawn = lines.indices.filter { lines[$0].hasPrefix("|") }
        guard let first = drawn.first, width >= 16 else { return lines }
        let rows = drawn.map { Array(lines[$0]) }
        let total = rows.map(\.count).max() ?? 0
        guard total > width else { return lines }
        let grid = rows.map { $0 + Array(repeating: " ", count: total - $0.count) }
        func isCut(_ column: Int) -> Bool { grid.allSatisfy { $0[column] == " " || $0[column] == "-" } }
        var result = Array(lines[..<first])
        var start = 0
        while start < total {
            let room = width - 2 - (start > 0 ? 2 : 0)
            var end = min(total, start + room)
            if end < total {
                let floor = start + room / 2
                if let cut = stride(from: end, through: floor, by: -1).first(where: isCut) { end = cut }
            }
            if start > 0 { result.append("") }
            for row in grid {
                var line = start > 0 ? (row[start] == "-" || row[start - 1] == "-" ? ">>" : "  ") : ""
                line += String(row[start..<end])
                if end < total, row[end] == "-", row[end - 1] == "-" { line += ">>" }
                while line.last == " " { line.removeLast() }
                result.append(line)
            }
            start = end
        }
        result += lines[(drawn.last! + 1)...]
        return result
    }

    /// A heading (`Network 3: Motor start`, its comment as `// ` lines), then the ladder of a LAD/FBD network, or
    /// one line saying what the network is when it is SCL, STL, GRAPH or cannot be read.
    public static func render(network: Network, number: Int? = nil) -> [String] {
        var heading = number.map { "Network \($0)" } ?? "Network"
        let title = network.title.text()
        if !title.isEmpty { heading += ": " + title }
        var lines = [heading]
        let comment = network.comment.text()
        if !comment.isEmpty {
            for line in comment.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
                lines.append("// " + String(line))
            }
        }
        return lines + body(of: network)
    }

    private static func body(of network: Network) -> [String] {
        let source = network.sourceXML.drop(while: \.isWhitespace)
        if source.isEmpty { return ["(empty network)"] }
        if source.hasPrefix("<FlgNet") {
            do {
                let net = try FlgNet(parsingNetworkSource: network.sourceXML)
                let note: [String] =
                    switch network.language {
                    case .fbd, .f_fbd: ["(FBD network drawn as ladder)"]
                    default: []
                    }
                return note + render(net)
            } catch {
                return ["(\(network.language.rawValue) network that cannot be drawn: \(error.description))"]
            }
        }
        if source.hasPrefix("<StructuredText") || network.language == .scl {
            // An SCL network is shown as its source text.
            guard let text = try? StructuredText.text(ofNetworkSource: network.sourceXML) else {
                return ["(SCL network whose tokens cannot be read)"]
            }
            return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
        if source.hasPrefix("<StatementList") || network.language == .stl {
            return ["(STL network: statement list, not drawn)"]
        }
        if source.hasPrefix("<Graph") || network.language == .graph {
            return ["(GRAPH sequence, not drawn)"]
        }
        return ["(\(network.language.rawValue) network, not drawn)"]
    }
}

// MARK: - Connections

/// Where a pin's wire comes from.
private enum Source: Hashable {
    case rail
    case access(String)
    case output(String, pin: String)
    case open
}

/// Where an output pin's wire goes.
private enum Sink: Hashable {
    case access(String)
    case input(String, pin: String)
    case open
}

/// The network's wires as connections of instruction pins. Wires name their source first.
private struct WireGraph {
    /// Instruction and call UIds in document order.
    private(set) var order: [String] = []
    private(set) var instructions: [String: FlgNet.Instruction] = [:]
    private var accesses: [String: FlgNet.Access] = [:]
    private var inputs: [String: [(pin: String, source: Source)]] = [:]
    private var outputs: [String: [(pin: String, sink: Sink)]] = [:]

    init(_ net: FlgNet) {
        for access in net.accesses where accesses[access.uid] == nil {
            accesses[access.uid] = access
        }
        for instruction in net.instructions where instructions[instruction.uid] == nil {
            order.append(instruction.uid)
            instructions[instruction.uid] = instruction
        }
        for wire in net.wires {
            guard let first = wire.endpoints.first else { continue }
            let source: Source
            switch first {
            case .powerrail: source = .rail
            case .identCon(let uid): source = .access(uid)
            case .nameCon(let uid, let pin): source = .output(uid, pin: pin)
            case .openCon: source = .open
            }
            for endpoint in wire.endpoints.dropFirst() {
                let sink: Sink?
                switch endpoint {
                case .nameCon(let uid, let pin):
                    inputs[uid, default: []].append((pin, source))
                    sink = .input(uid, pin: pin)
                case .identCon(let uid):
                    sink = .access(uid)
                case .openCon:
                    sink = .open
                case .powerrail:
                    sink = nil
                }
                if case .output(let from, let pin) = source, let sink {
                    outputs[from, default: []].append((pin, sink))
                }
            }
        }
    }

    func part(_ uid: String) -> FlgNet.Part? {
        if case .part(let part)? = instructions[uid] { return part }
        return nil
    }

    func call(_ uid: String) -> FlgNet.Call? {
        if case .call(let call)? = instructions[uid] { return call }
        return nil
    }

    /// Input pins with a wire, in wire order, each once.
    func wiredInputPins(_ uid: String) -> [String] {
        var pins: [String] = []
        for input in inputs[uid] ?? [] where !pins.contains(input.pin) { pins.append(input.pin) }
        return pins
    }

    func wiredOutputPins(_ uid: String) -> [String] {
        var pins: [String] = []
        for output in outputs[uid] ?? [] where !pins.contains(output.pin) { pins.append(output.pin) }
        return pins
    }

    func sources(_ uid: String, _ pin: String) -> [Source] {
        var result: [Source] = []
        for input in inputs[uid] ?? [] where input.pin == pin { result.append(input.source) }
        return result
    }

    func sinks(_ uid: String, _ pin: String) -> [Sink] {
        var result: [Sink] = []
        for output in outputs[uid] ?? [] where output.pin == pin { result.append(output.sink) }
        return result
    }

    /// Power flow: from the rail or from another instruction's output.
    func isFlow(_ source: Source) -> Bool {
        switch source {
        case .rail: return true
        case .output(let uid, _): return instructions[uid] != nil
        case .access, .open: return false
        }
    }

    func flowSources(_ uid: String, _ pin: String) -> [Source] {
        sources(uid, pin).filter { isFlow($0) }
    }

    /// The input pins fed by power flow, in wire order.
    func flowPins(_ uid: String) -> [String] {
        wiredInputPins(uid).filter { !flowSources(uid, $0).isEmpty }
    }

    func hasFlowOutput(_ uid: String) -> Bool {
        for output in outputs[uid] ?? [] {
            if case .input(let target, _) = output.sink, instructions[target] != nil { return true }
        }
        return false
    }

    /// The operands wired to an input pin, as TIA shows them.
    func operandTexts(_ uid: String, _ pin: String) -> [String] {
        var texts: [String] = []
        for source in sources(uid, pin) {
            if case .access(let access) = source { texts.append(accesses[access]?.operand ?? "<?\(access)>") }
        }
        return texts
    }

    /// The operands an output pin writes.
    func outputTexts(_ uid: String, _ pin: String) -> [String] {
        var texts: [String] = []
        for sink in sinks(uid, pin) {
            if case .access(let access) = sink { texts.append(accesses[access]?.operand ?? "<?\(access)>") }
        }
        return texts
    }

    /// Whether the instruction has an enable input: every call, and boxes wired at `en`.
    func hasEN(_ uid: String) -> Bool {
        call(uid) != nil || wiredInputPins(uid).contains("en")
    }

    /// The output that continues the rung: ENO of a box with EN, else `out`/`q`/`Q`, else the first output that
    /// feeds another instruction.
    func mainOutput(_ uid: String) -> String? {
        if hasEN(uid) { return "eno" }
        let pins = wiredOutputPins(uid)
        for candidate in ["out", "q", "Q", "OUT"] where pins.contains(candidate) { return candidate }
        for pin in pins {
            for sink in sinks(uid, pin) {
                if case .input(let target, _) = sink, instructions[target] != nil { return pin }
            }
        }
        return pins.first
    }

    /// An `O` junction of parallel branches (in FBD an `O` with operand inputs is an OR box instead).
    func isOrJunction(_ uid: String) -> Bool {
        guard let found = self.part(uid), found.name == "O" else { return false }
        for pin in wiredInputPins(uid) {
            for source in sources(uid, pin) {
                if case .access = source { return false }
            }
        }
        return !flowPins(uid).isEmpty
    }

    /// The pins of an instruction whose operand stands above its box: the bit of `SR`/`RS`, the in/out of `INC`,
    /// the timer of `S_ODT`...
    static let headerPins: Set<String> = ["operand", "timer", "counter"]

    /// The input pins a box shows on its left, in order: EN, the call's declared inputs and in/outs, then the
    /// other wired pins. An instruction's `headerPins` stand above the box instead.
    func boxInputPins(_ uid: String) -> [String] {
        var pins: [String] = []
        if hasEN(uid) { pins.append("en") }
        for parameter in call(uid)?.parameters ?? [] {
            let isInput = parameter.section == "Input" || parameter.section == "InOut"
            if isInput && !pins.contains(parameter.name) { pins.append(parameter.name) }
        }
        let isPart = part(uid) != nil
        for pin in wiredInputPins(uid) where !pins.contains(pin) && !(isPart && Self.headerPins.contains(pin)) {
            pins.append(pin)
        }
        for pin in flowPins(uid) where !pins.contains(pin) { pins.append(pin) }
        return pins
    }

    /// The output pins a box shows on its right, the main output first.
    func boxOutputPins(_ uid: String) -> [String] {
        var pins: [String] = []
        if hasEN(uid) { pins.append("eno") }
        for parameter in call(uid)?.parameters ?? [] {
            let isOutput = parameter.section == "Output" || parameter.section == "Return"
            if isOutput && !pins.contains(parameter.name) { pins.append(parameter.name) }
        }
        for pin in wiredOutputPins(uid) where !pins.contains(pin) { pins.append(pin) }
        if let main = mainOutput(uid), let index = pins.firstIndex(of: main), index > 0 {
            pins.remove(at: index)
            pins.insert(main, at: 0)
        }
        return pins
    }
}

// MARK: - Series and parallel structure

/// A piece of a rung, read from the rail to the right.
private enum Item: Hashable {
    /// An instruction drawn inline: its power-flow input on the left, its main output on the right.
    case element(String)
    /// Parallel branches joined on both sides (an OR).
    case or([[Item]])
    /// Parallel branches that end on their own (a rail or an output feeding several rungs); always last.
    case fork([[Item]])
    /// A box fed by power flow at several pins, each pin with the branch that feeds it.
    case box(String, [PinBranch])
    /// The rung continues from an output pin other than the main one.
    case pinLabel(String)
    /// A wire loop back to an instruction already on the way (malformed networks).
    case cycle(String)
}

private struct PinBranch: Hashable {
    var pin: String
    var items: [Item]
}

/// Builds the rungs backwards from the instructions that feed nothing, factoring shared beginnings so that every
/// instruction is drawn once where the network allows it.
private struct RungBuilder {
    let graph: WireGraph
    private var memo: [String: [Item]] = [:]
    private var inProgress: Set<String> = []
    private var visited: Set<String> = []

    init(graph: WireGraph) {
        self.graph = graph
    }

    mutating func rungs() -> [Item] {
        var branches: [[Item]] = []
        for uid in graph.order where !graph.hasFlowOutput(uid) {
            branches.append(chain(uid))
        }
        // Instructions no end point reaches (wire loops) still get drawn.
        for uid in graph.order {
            if visited.contains(uid) { continue }
            branches.append(chain(uid))
        }
        return Self.factor(branches, or: false)
    }

    /// The items from the rail up to and including the instruction.
    private mutating func chain(_ uid: String) -> [Item] {
        if let known = memo[uid] { return known }
        if inProgress.contains(uid) { return [.cycle(uid)] }
        inProgress.insert(uid)
        visited.insert(uid)
        let result: [Item]
        let flowPins = graph.flowPins(uid)
        if graph.isOrJunction(uid) {
            var branches: [[Item]] = []
            for pin in flowPins {
                for source in graph.flowSources(uid, pin) { branches.append(path(source)) }
            }
            result = Self.factor(branches, or: true)
        } else {
            var pinBranches: [PinBranch] = []
            for pin in flowPins {
                var alternatives: [[Item]] = []
                for source in graph.flowSources(uid, pin) { alternatives.append(path(source)) }
                pinBranches.append(PinBranch(pin: pin, items: Self.factor(alternatives, or: true)))
            }
            if pinBranches.count <= 1 {
                result = (pinBranches.first?.items ?? []) + [.element(uid)]
            } else {
                let common = Self.commonPrefix(pinBranches.map(\.items))
                var rests: [PinBranch] = []
                for branch in pinBranches {
                    rests.append(PinBranch(pin: branch.pin, items: Array(branch.items.dropFirst(common.count))))
                }
                result = common + [.box(uid, rests)]
            }
        }
        inProgress.remove(uid)
        memo[uid] = result
        return result
    }

    /// The items up to a pin's source.
    private mutating func path(_ source: Source) -> [Item] {
        guard case .output(let uid, let pin) = source else { return [] }
        var items = chain(uid)
        if !graph.isOrJunction(uid), let main = graph.mainOutput(uid), main != pin {
            items.append(.pinLabel(pin))
        }
        return items
    }

    static func commonPrefix(_ lists: [[Item]]) -> [Item] {
        guard var prefix = lists.first else { return [] }
        for list in lists.dropFirst() {
            var count = 0
            while count < prefix.count, count < list.count, prefix[count] == list[count] { count += 1 }
            prefix.removeLast(prefix.count - count)
        }
        return prefix
    }

    /// Branches sharing what they start with, factored: `(A∧B) ∨ (A∧C) ∨ D` becomes `(A ∧ (B ∨ C)) ∨ D`. Branches
    /// joined again on the right (`or`) keep an empty branch, a wire past the others; branches that end on their
    /// own (a fork) drop it, nothing hangs there.
    static func factor(_ branches: [[Item]], or: Bool) -> [Item] {
        var unique: [[Item]] = []
        for branch in branches where (or || !branch.isEmpty) && !unique.contains(branch) { unique.append(branch) }
        if unique.count <= 1 { return unique.first ?? [] }
        let common = commonPrefix(unique)
        if !common.isEmpty {
            return common + factor(unique.map { Array($0.dropFirst(common.count)) }, or: or)
        }
        var groups: [(key: Item?, members: [[Item]])] = []
        for branch in unique {
            if let index = groups.firstIndex(where: { $0.key == branch.first }) {
                groups[index].members.append(branch)
            } else {
                groups.append((branch.first, [branch]))
            }
        }
        var result: [[Item]] = []
        for group in groups {
            if group.members.count > 1, let key = group.key {
                result.append([key] + factor(group.members.map { Array($0.dropFirst()) }, or: or))
            } else {
                result += group.members
            }
        }
        return [or ? .or(result) : .fork(result)]
    }
}

// MARK: - Drawing

/// A rectangle of text with the row where the rung's wire enters and leaves it.
///
/// A block whose left end is a junction or the rail may take wires in on several rows (`entries`), and one that
/// ends at an OR junction may give them out on several rows (`exits`): nested branches then share the junction
/// column instead of each drawing its own.
private struct Block {
    var rows: [[Character]]
    var wireRow: Int
    var width: Int
    var entries: [Int]
    var exits: [Int]

    init(rows: [[Character]], wireRow: Int, entries: [Int]? = nil, exits: [Int]? = nil) {
        let content: [[Character]] = rows.isEmpty ? [[]] : rows
        let maxWidth = content.map(\.count).max() ?? 0
        let row = min(max(wireRow, 0), content.count - 1)
        let valid = 0..<content.count
        let entryRows = (entries ?? [row]).filter { valid.contains($0) }
        let exitRows = (exits ?? [row]).filter { valid.contains($0) }
        self.rows = content.map { $0 + Block.repeated(" ", maxWidth - $0.count) }
        self.wireRow = row
        self.width = maxWidth
        self.entries = entryRows.isEmpty ? [row] : entryRows
        self.exits = exitRows.isEmpty ? [row] : exitRows
    }

    static var wire: Block { Block(rows: [Array("--")], wireRow: 0) }

    static func repeated(_ character: Character, _ count: Int) -> [Character] {
        Array(repeating: character, count: max(count, 0))
    }

    /// The text centered in `width` columns.
    static func centered(_ text: String, _ width: Int) -> [Character] {
        let left = max((width - text.count) / 2, 0)
        return repeated(" ", left) + Array(text) + repeated(" ", width - left - text.count)
    }

    /// Wider, the exit rows extended with `fill`.
    func padded(to newWidth: Int, fill: Character) -> Block {
        guard newWidth > width else { return self }
        var rows = self.rows
        for index in rows.indices {
            rows[index] += Block.repeated(exits.contains(index) ? fill : " ", newWidth - width)
        }
        return Block(rows: rows, wireRow: wireRow, entries: entries, exits: exits)
    }

    /// Blocks side by side, their wire rows aligned.
    static func series(_ blocks: [Block]) -> Block {
        guard !blocks.isEmpty else { return .wire }
        let above = blocks.map(\.wireRow).max() ?? 0
        let below = blocks.map { $0.rows.count - 1 - $0.wireRow }.max() ?? 0
        var rows = Array(repeating: [Character](), count: above + below + 1)
        var entries: [Int] = []
        var exits: [Int] = []
        for (position, block) in blocks.enumerated() {
            let top = above - block.wireRow
            if position == 0 { entries = block.entries.map { $0 + top } }
            if position == blocks.count - 1 { exits = block.exits.map { $0 + top } }
            for index in rows.indices {
                let source = index - top
                if source >= 0 && source < block.rows.count {
                    rows[index] += block.rows[source]
                } else {
                    rows[index] += repeated(" ", block.width)
                }
            }
        }
        return Block(rows: rows, wireRow: above, entries: entries, exits: exits)
    }

    /// Blocks stacked as parallel branches, with a `+`/`|` junction column on the left and/or the right; without
    /// one, the branches' wires enter or leave on their own rows.
    static func parallel(_ blocks: [Block], left: Bool, right: Bool, fill: Character) -> Block {
        guard !blocks.isEmpty else { return .wire }
        let width = blocks.map(\.width).max() ?? 0
        var rows: [[Character]] = []
        var entries: [Int] = []
        var exits: [Int] = []
        var wireRow: Int?
        for block in blocks {
            let padded = block.padded(to: width, fill: fill)
            let offset = rows.count
            if wireRow == nil { wireRow = offset + padded.wireRow }
            entries += padded.entries.map { $0 + offset }
            exits += padded.exits.map { $0 + offset }
            rows += padded.rows
        }
        for index in rows.indices {
            if left { rows[index].insert(junction(at: index, joining: entries), at: 0) }
            if right { rows[index].append(junction(at: index, joining: exits)) }
        }
        let first = wireRow ?? 0
        return Block(rows: rows, wireRow: first, entries: left ? [first] : entries, exits: right ? [first] : exits)
    }

    /// `+` where a wire meets the junction column, `|` between, blank outside.
    static func junction(at row: Int, joining rows: [Int]) -> Character {
        guard let low = rows.min(), let high = rows.max() else { return " " }
        if rows.contains(row) { return "+" }
        return row > low && row < high ? "|" : " "
    }
}

/// What stands left of a box pin.
private enum BoxInput {
    /// The rung's wire (the box is drawn inline).
    case main
    /// The branch that feeds the pin (a box with several power-flow inputs).
    case branch(Block)
    /// Operands, or `...` when nothing is wired.
    case text(String)
    case blank

    var isFlow: Bool {
        switch self {
        case .main, .branch: true
        case .text, .blank: false
        }
    }
}

private struct Drawer {
    let graph: WireGraph

    /// Items in series. `openLeft`: the left end is the rail or a junction column, which takes the wires of
    /// leading branches row by row; `openRight`: the right end is an OR junction, which does the same on the right.
    func draw(_ items: [Item], openLeft: Bool, openRight: Bool, continues: Bool) -> Block {
        guard !items.isEmpty else { return .wire }
        var blocks: [Block] = []
        for (index, item) in items.enumerated() {
            let isLast = index == items.count - 1
            blocks.append(
                draw(
                    item, openLeft: openLeft && index == 0, openRight: openRight && isLast,
                    continues: continues || !isLast))
        }
        return Block.series(blocks)
    }

    func draw(_ item: Item, openLeft: Bool, openRight: Bool, continues: Bool) -> Block {
        switch item {
        case .element(let uid):
            return element(uid, continues: continues)
        case .or(let branches):
            var blocks: [Block] = []
            for branch in branches {
                blocks.append(draw(branch, openLeft: true, openRight: true, continues: true))
            }
            return Block.parallel(blocks, left: !openLeft, right: !openRight, fill: "-")
        case .fork(let branches):
            var blocks: [Block] = []
            for branch in branches {
                blocks.append(draw(branch, openLeft: true, openRight: false, continues: false))
            }
            return Block.parallel(blocks, left: !openLeft, right: false, fill: " ")
        case .box(let uid, let pins):
            var branches: [String: Block] = [:]
            for pin in pins {
                branches[pin.pin] = draw(pin.items, openLeft: true, openRight: false, continues: true)
            }
            return box(uid, branches: branches, junction: !openLeft, continues: continues)
        case .pinLabel(let pin):
            return Self.cell(top: [], core: "[" + pin + "]", bottom: [])
        case .cycle(let uid):
            return Self.cell(top: [], core: "<loop to \(uid)>", bottom: [])
        }
    }

    func element(_ uid: String, continues: Bool) -> Block {
        guard graph.instructions[uid] != nil else { return Self.cell(top: [], core: "<?\(uid)>", bottom: []) }
        if let part = graph.part(uid), let shape = cell(for: part) { return shape }
        return box(uid, branches: [:], junction: false, continues: continues)
    }

    // MARK: Contacts and coils

    /// `--| |--` with the operand above and further operands below.
    static func cell(top: [String], core: String, bottom: [String]) -> Block {
        let inner = ([core] + top + bottom).map(\.count).max() ?? 0
        let width = inner + 4
        var rows: [[Character]] = []
        for text in top { rows.append(Block.centered(text, width)) }
        let left = (width - core.count) / 2
        rows.append(Block.repeated("-", left) + Array(core) + Block.repeated("-", width - left - core.count))
        for text in bottom { rows.append(Block.centered(text, width)) }
        return Block(rows: rows, wireRow: top.count)
    }

    /// The contact, comparison or coil shape of an instruction; nil for instructions drawn as boxes.
    func cell(for part: FlgNet.Part) -> Block? {
        let uid = part.uid
        func operandText(_ pin: String) -> String? {
            let texts = graph.operandTexts(uid, pin)
            return texts.isEmpty ? nil : texts.joined(separator: ", ")
        }
        /// Operands of the other input pins, and what the outputs write.
        func others(excluding: Set<String>) -> [String] {
            var result: [String] = []
            for pin in graph.wiredInputPins(uid) where !excluding.contains(pin) && graph.flowSources(uid, pin).isEmpty {
                if let found = operandText(pin) { result.append(found) }
            }
            for pin in graph.wiredOutputPins(uid) {
                let texts = graph.outputTexts(uid, pin)
                if !texts.isEmpty { result.append("=> " + texts.joined(separator: ", ")) }
            }
            return result
        }
        let comparisons = ["Eq": "==", "Ne": "<>", "Gt": ">", "Lt": "<", "Ge": ">=", "Le": "<="]
        switch part.name {
        case "Contact", "PContact", "NContact":
            let core =
                part.name == "PContact"
                ? "|P|" : part.name == "NContact" ? "|N|" : part.isNegated("operand") ? "|/|" : "| |"
            let operand = operandText("operand") ?? "<???>"
            return Self.cell(top: [operand], core: core, bottom: others(excluding: ["operand"]))
        case "Not":
            return Self.cell(top: [], core: "|NOT|", bottom: others(excluding: []))
        case "Eq", "Ne", "Gt", "Lt", "Ge", "Le":
            var bottom: [String] = []
            if let type = part.templateValue("SrcType") { bottom.append(type) }
            bottom.append(operandText("in2") ?? "<???>")
            bottom += others(excluding: ["in1", "in2"])
            let symbol = comparisons[part.name] ?? part.name
            return Self.cell(top: [operandText("in1") ?? "<???>"], core: "|" + symbol + "|", bottom: bottom)
        default:
            let kind: String
            switch part.name {
            case "Jump": kind = "JMP"
            case "JumpN": kind = "JMPN"
            case "Return": kind = "RET"
            default:
                guard part.name.hasSuffix("Coil") else { return nil }
                let prefix = String(part.name.dropLast(4)).uppercased()
                kind = prefix.isEmpty ? (part.isNegated("operand") ? "/" : " ") : prefix
            }
            let top = operandText("operand") ?? operandText("label") ?? part.instance?.operand ?? "<???>"
            return Self.cell(top: [top], core: "(" + kind + ")", bottom: others(excluding: ["operand", "label"]))
        }
    }

    // MARK: Boxes

    static func boxTitle(_ name: String) -> String {
        switch name {
        case "Sr": "SR"
        case "Rs": "RS"
        case "PBox": "P_TRIG"
        case "NBox": "N_TRIG"
        case "Sp": "S_PULSE"
        case "Se": "S_PEXT"
        case "Sd": "S_ODT"
        case "Ss": "S_ODTS"
        case "Sf": "S_OFFDT"
        case "A": "&"
        case "O": ">=1"
        case "X": "X"
        default: name.uppercased()
        }
    }

    static func pinLabel(_ pin: String, isCall: Bool) -> String {
        switch pin {
        case "en": "EN"
        case "eno": "ENO"
        default: isCall ? pin : pin.uppercased()
        }
    }

    /// A box: its instance or operand above, its title, its input pins on the left (fed by the rung, by the given
    /// branches, or by operands) and its outputs on the right.
    ///
    /// ```
    ///     +--------+
    ///     |  MOVE  |
    /// ----|EN   ENO|----
    /// 0 --|IN  OUT1|- #x
    ///     +--------+
    /// ```
    func box(_ uid: String, branches: [String: Block], junction: Bool, continues: Bool) -> Block {
        let part = graph.part(uid)
        let call = graph.call(uid)
        let isCall = call != nil

        var header: [String] = []
        if let instance = part?.instance ?? call?.instance { header.append(instance.operand) }
        if part != nil {
            for pin in graph.wiredInputPins(uid) where WireGraph.headerPins.contains(pin) {
                header += graph.operandTexts(uid, pin)
            }
        }
        var title: [String] = []
        if let call {
            title.append("\"" + call.name + "\"")
        } else if let part {
            title.append(Self.boxTitle(part.name))
            for value in part.templateValues where value.type == "Type" { title.append(value.value) }
        }

        // Inputs, each on its own row; a branch pushes its pin down far enough for the rows above its wire.
        let flowPins = graph.flowPins(uid)
        let mainPin = branches.isEmpty ? flowPins.first : nil
        var inputs: [(label: String, input: BoxInput, negated: Bool)] = []
        for pin in graph.boxInputPins(uid) {
            let label = Self.pinLabel(pin, isCall: isCall)
            let negated = part?.isNegated(pin) ?? false
            if let block = branches[pin] {
                inputs.append((label, BoxInput.branch(block), negated))
            } else if pin == mainPin {
                inputs.append((label, BoxInput.main, negated))
            } else {
                let texts = graph.operandTexts(uid, pin)
                let text = texts.isEmpty ? "..." : texts.joined(separator: ", ")
                inputs.append((label, BoxInput.text(text), negated))
            }
        }
        if inputs.isEmpty { inputs.append(("", BoxInput.blank, false)) }

        let firstPinRow = header.count + 1 + title.count
        var nextPin = firstPinRow
        var nextFree = 0
        var pinRows: [Int] = []
        var wireRow: Int?
        for entry in inputs {
            let row: Int
            if case .branch(let block) = entry.input {
                row = max(nextPin, nextFree + block.wireRow)
                nextFree = row - block.wireRow + block.rows.count
            } else {
                row = max(nextPin, nextFree)
                nextFree = row + 1
            }
            pinRows.append(row)
            nextPin = row + 1
            if wireRow == nil && entry.input.isFlow { wireRow = row }
        }
        let mainRow = wireRow ?? pinRows.first ?? firstPinRow

        // Outputs: the main one on the wire row, the others on the remaining pin rows, then below.
        var outputs: [(label: String, texts: [String], negated: Bool, isMain: Bool)] = []
        let mainOutput = graph.mainOutput(uid)
        for pin in graph.boxOutputPins(uid) {
            let label = Self.pinLabel(pin, isCall: isCall)
            let negated = part?.isNegated(pin) ?? false
            let texts = graph.outputTexts(uid, pin)
            if pin == mainOutput && continues && !texts.isEmpty {
                // The wire goes on to the right: what the main output also writes gets a row of its own.
                outputs.append((label, [], negated, true))
                outputs.append((label, texts, negated, false))
            } else {
                outputs.append((label, texts, negated, pin == mainOutput))
            }
        }
        var freeRows = pinRows.filter { $0 != mainRow }
        var lastRow = pinRows.max() ?? firstPinRow
        var outputRows: [Int] = []
        var mainTaken = false
        for output in outputs {
            if output.isMain && !mainTaken {
                outputRows.append(mainRow)
                mainTaken = true
            } else if !freeRows.isEmpty {
                outputRows.append(freeRows.removeFirst())
            } else {
                lastRow += 1
                outputRows.append(lastRow)
            }
        }
        let bottomRow = max(pinRows.max() ?? firstPinRow, outputRows.max() ?? firstPinRow) + 1
        let height = max(bottomRow + 1, nextFree)

        var leftLabels: [Int: String] = [:]
        for (entry, row) in zip(inputs, pinRows) { leftLabels[row] = entry.label }
        var rightLabels: [Int: String] = [:]
        for (output, row) in zip(outputs, outputRows) where rightLabels[row] == nil { rightLabels[row] = output.label }

        var inner = 4
        for text in title { inner = max(inner, text.count + 2) }
        for text in header { inner = max(inner, text.count - 2) }
        for row in 0..<height {
            let used = (leftLabels[row]?.count ?? 0) + (rightLabels[row]?.count ?? 0)
            if used > 0 { inner = max(inner, used + 2) }
        }
        var leftWidth = 2
        for entry in inputs {
            switch entry.input {
            case .branch(let block): leftWidth = max(leftWidth, block.width + 1)
            case .text(let text): leftWidth = max(leftWidth, text.count + 3)
            case .main, .blank: break
            }
        }
        var rightWidth = continues ? 2 : 0
        for output in outputs where !output.texts.isEmpty {
            rightWidth = max(rightWidth, output.texts.joined(separator: ", ").count + 2)
        }
        let junctionWidth = junction && !branches.isEmpty ? 1 : 0
        let boxLeft = junctionWidth + leftWidth
        let boxRight = boxLeft + inner + 1
        let totalWidth = boxRight + 1 + rightWidth

        var grid = Array(repeating: Block.repeated(" ", totalWidth), count: height)
        func put(_ text: [Character], _ row: Int, _ column: Int) {
            guard row >= 0, row < grid.count else { return }
            for (offset, character) in text.enumerated() {
                let x = column + offset
                if x >= 0 && x < grid[row].count { grid[row][x] = character }
            }
        }

        // Left of the box.
        var branchEntries: [Int] = []
        for (entry, row) in zip(inputs, pinRows) {
            let end: Character = entry.negated ? "o" : "-"
            switch entry.input {
            case .branch(let block):
                let top = row - block.wireRow
                for (offset, line) in block.rows.enumerated() { put(line, top + offset, junctionWidth) }
                put(Block.repeated("-", leftWidth - block.width), row, junctionWidth + block.width)
                put([end], row, boxLeft - 1)
                branchEntries += block.entries.map { $0 + top }
            case .main:
                put(Block.repeated("-", leftWidth), row, junctionWidth)
                put([end], row, boxLeft - 1)
            case .text(let text):
                put(Array(text) + [" ", "-", end], row, boxLeft - text.count - 3)
            case .blank:
                break
            }
        }
        if junctionWidth == 1 {
            for row in 0..<height { put([Block.junction(at: row, joining: branchEntries)], row, 0) }
        }

        // The box.
        for (index, text) in header.enumerated() { put(Block.centered(text, inner + 2), index, boxLeft) }
        let border: [Character] = ["+"] + Block.repeated("-", inner) + ["+"]
        put(border, header.count, boxLeft)
        put(border, bottomRow, boxLeft)
        if header.count + 1 < bottomRow {
            for row in (header.count + 1)..<bottomRow {
                put(["|"], row, boxLeft)
                put(["|"], row, boxRight)
            }
        }
        for (index, text) in title.enumerated() {
            put(Block.centered(text, inner), header.count + 1 + index, boxLeft + 1)
        }
        for (row, label) in leftLabels { put(Array(label), row, boxLeft + 1) }
        for (row, label) in rightLabels { put(Array(label), row, boxRight - label.count) }

        // Right of the box.
        if continues { put(Block.repeated("-", rightWidth), mainRow, boxRight + 1) }
        for (output, row) in zip(outputs, outputRows) {
            let start: Character = output.negated ? "o" : "-"
            if !output.texts.isEmpty {
                put([start, " "] + Array(output.texts.joined(separator: ", ")), row, boxRight + 1)
            } else if output.isMain && continues {
                put([start], row, boxRight + 1)
            }
        }
        let entries = junctionWidth == 0 && !branchEntries.isEmpty ? branchEntries : [mainRow]
        return Block(rows: grid, wireRow: mainRow, entries: entries)
    }
}
