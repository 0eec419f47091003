import S7Diagnostics
public import S7Model
import SCLSyntax
public import SimaticML

/// SCL statements written as a SimaticML SCL network (`<StructuredText>`), as TIA Portal exports an SCL block.
///
/// TIA does not store SCL text: it stores tokens, blanks, line breaks and comments, and for every operand what it
/// refers to: a local variable or constant, a global tag, DB member or constant, an absolute address, a literal, or
/// a call with the callee's parameters and their sections and types. So the text is read with the block's
/// interface and the PLC's symbols at hand:
///
/// ```
/// #count := "Limits".max + 1;
/// ```
/// becomes `<Access Scope="LocalVariable">` (`count`), `<Token Text=":=" />`, `<Access Scope="GlobalVariable">`
/// (`"Limits"`, `.`, `max`), `<Token Text="+" />`, `<Access Scope="LiteralConstant">` (`1`) and `<Token Text=";" />`,
/// with `<Blank />` between them. `StructuredText.text(ofNetworkSource:)` reads it back as the same text; a local
/// name written without `#` comes back with it, and a tab as four blanks.
///
/// Calls: an FC is `<CallInfo Name="FC" BlockType="FC">`, an FB's instance (a DB, a multi-instance, an element of
/// an array of instances) `<CallInfo Name="FB" BlockType="FB">` with the `<Instance>`; each named argument is a
/// `<Parameter>` with the `Section` and `Type` the callee declares. An instruction (`LIMIT`, `INT_TO_REAL`) is an
/// `<Instruction Name="…">`, and the instance of an IEC timer, counter or edge instruction is the operand followed
/// by an `<Instruction>` without a name, as TIA writes them. The type of a generic instruction is written as a
/// `TemplateValue` for `LIMIT` (`value_type`, the type of `IN`) and `SCALE_X` (`dest_type`, the type it is
/// assigned to), the two TIA's exports show; the other generic instructions are written without one.
public enum StructuredTextEncoder {
    /// The statements of an SCL code block's source: the text after `BEGIN` up to the unit's end keyword, without
    /// the rest of the `BEGIN` line and the line break before the end keyword. Nil when the source has no `BEGIN`.
    public static func body(ofSource text: String) -> String? {
        let stream = SCLLexer.tokenize(SourceFile(path: "", text: text))
        let tokens = stream.tokens
        guard let begin = tokens.firstIndex(where: { $0.kind == .keyword(.begin) }) else { return nil }
        let ends: Set<TokenKind> = [
            .keyword(.endFunctionBlock), .keyword(.endFunction), .keyword(.endOrganizationBlock),
        ]
        let end = tokens[(begin + 1)...].firstIndex { ends.contains($0.kind) } ?? tokens.count - 1
        var bytes = Array(stream.file.bytes[tokens[begin].trailingTriviaEnd..<tokens[end].start])
        // The line break after BEGIN, and the blanks and line break before the end keyword.
        if bytes.first == 0x0D { bytes.removeFirst() }
        if bytes.first == 0x0A { bytes.removeFirst() }
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
        if bytes.last == 0x0A { bytes.removeLast() }
        if bytes.last == 0x0D { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The nodes of `body`, SCL statements of `block`, with names resolved in `symbols` (the block's PLC).
    public static func nodes(body: String, block: Block, symbols: SymbolIndex) -> [StructuredText.Node] {
        var encoder = Encoder(
            stream: SCLLexer.tokenize(SourceFile(path: block.name, text: body)), block: block, symbols: symbols)
        return encoder.encodeAll()
    }

    /// The `NetworkSource` content of `body` for TIA `engineeringVersion` (see `nodes(body:block:symbols:)`).
    public static func networkSource(
        body: String, block: Block, symbols: SymbolIndex, engineeringVersion: String
    ) -> String {
        StructuredText.networkSource(
            nodes(body: body, block: block, symbols: symbols), engineeringVersion: engineeringVersion)
    }
}

private typealias Node = StructuredText.Node

/// Nodes standing for the source bytes `start ..< end`; the text between two pieces becomes blanks, line breaks
/// and comments in the innermost element holding both.
private struct Piece {
    var nodes: [Node]
    var start: Int
    var end: Int
}

private struct Encoder {
    let stream: TokenStream
    let block: Block
    let symbols: SymbolIndex
    /// The tokens without the final `endOfFile`.
    let tokens: [Token]
    let bytes: [UInt8]
    /// The type of the operand left of the last `:=` of the statement being read (for `SCALE_X`'s `dest_type`).
    var assignedType: DataType?
    var lastOperandType: DataType?

    init(stream: TokenStream, block: Block, symbols: SymbolIndex) {
        self.stream = stream
        self.block = block
        self.symbols = symbols
        self.tokens = Array(stream.tokens.dropLast())
        self.bytes = stream.file.bytes
    }

    mutating func encodeAll() -> [Node] {
        let pieces = sequence(0..<tokens.count)
        guard let first = pieces.first, let last = pieces.last else { return trivia(0..<bytes.count) }
        return trivia(0..<first.start) + assemble(pieces) + trivia(last.end..<bytes.count)
    }

    // MARK: Layout

    func assemble(_ pieces: [Piece]) -> [Node] {
        var nodes: [Node] = []
        for (index, piece) in pieces.enumerated() {
            if index > 0 { nodes += trivia(pieces[index - 1].end..<piece.start) }
            nodes += piece.nodes
        }
        return nodes
    }

    /// Blanks, line breaks and comments of the bytes in `range` (source text between tokens).
    func trivia(_ range: Range<Int>) -> [Node] {
        var nodes: [Node] = []
        var index = range.lowerBound
        let end = range.upperBound
        func starts(_ text: String) -> Bool {
            let pattern = Array(text.utf8)
            return index + pattern.count <= end && Array(bytes[index..<index + pattern.count]) == pattern
        }
        func find(_ text: String, from start: Int) -> Int? {
            let pattern = Array(text.utf8)
            var position = start
            while position + pattern.count <= end {
                if Array(bytes[position..<position + pattern.count]) == pattern { return position }
                position += 1
            }
            return nil
        }
        while index < end {
            let byte = bytes[index]
            if byte == 0x20 || byte == 0x09 {
                var count = 0
                while index < end, bytes[index] == 0x20 || bytes[index] == 0x09 {
                    count += bytes[index] == 0x09 ? 4 : 1
                    index += 1
                }
                nodes.append(.blank(count))
            } else if byte == 0x0A || byte == 0x0D {
                var count = 0
                while index < end, bytes[index] == 0x0A || bytes[index] == 0x0D {
                    if bytes[index] == 0x0D, index + 1 < end, bytes[index + 1] == 0x0A { index += 1 }
                    count += 1
                    index += 1
                }
                nodes.append(.newLine(count))
            } else if starts("//") {
                var stop = index + 2
                while stop < end, bytes[stop] != 0x0A, bytes[stop] != 0x0D { stop += 1 }
                nodes.append(.lineComment(text(index + 2..<stop)))
                index = stop
            } else if starts("(*") || starts("/*") {
                let slashes = bytes[index] == UInt8(ascii: "/")
                let close = find(slashes ? "*/" : "*)", from: index + 2)
                let stop = close ?? end
                let inner = String(text(index + 2..<stop).unicodeScalars.filter { $0 != "\r" })
                nodes.append(.comment(inner, slashes: slashes))
                index = close.map { $0 + 2 } ?? end
            } else if starts("\u{FEFF}") {
                index += 3
            } else {
                // Bytes no token took (the lexer reported them); kept as text.
                var stop = index + 1
                while stop < end, ![0x20, 0x09, 0x0A, 0x0D].contains(bytes[stop]) { stop += 1 }
                nodes.append(.text(text(index..<stop)))
                index = stop
            }
        }
        return nodes
    }

    func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

    func tokenText(_ index: Int) -> String { stream.text(of: tokens[index]) }

    func kind(_ index: Int) -> TokenKind? { index < tokens.count ? tokens[index].kind : nil }

    func tokenPiece(_ index: Int) -> Piece {
        Piece(nodes: [.token(tokenText(index))], start: tokens[index].start, end: tokens[index].end)
    }

    // MARK: Statements and expressions

    /// The pieces of the tokens in `range`.
    mutating func sequence(_ range: Range<Int>) -> [Piece] {
        var pieces: [Piece] = []
        var index = range.lowerBound
        while index < range.upperBound {
            let token = tokens[index]
            switch token.kind {
            case .keyword(.region):
                let (piece, next) = region(index, limit: range.upperBound)
                pieces.append(piece)
                index = next
                continue
            case .integerLiteral, .realLiteral, .stringLiteral, .keyword(.true), .keyword(.false):
                pieces.append(constant(index, typed: false))
                lastOperandType = nil
            case .typedLiteral:
                pieces.append(constant(index, typed: true))
                lastOperandType = nil
            case .localIdentifier, .quotedLocalIdentifier, .quotedIdentifier, .absoluteAddress:
                index = operand(index, limit: range.upperBound, into: &pieces)
                continue
            case .identifier:
                let name = stream.name(of: token)
                // `LEN(…)` is the instruction even beside a local `len`, unless that local is an instance.
                let isLocal =
                    kind(index + 1) == .leftParen
                    ? localMember(name).map { isInstance($0.dataType) } ?? false
                    : localMember(name) != nil || localConstant(name)
                if isLocal {
                    index = operand(index, limit: range.upperBound, into: &pieces)
                    continue
                }
                if kind(index + 1) == .leftParen, let close = matching(index + 1, limit: range.upperBound) {
                    pieces.append(instruction(name: index, open: index + 1, close: close))
                    index = close + 1
                    continue
                }
                pieces.append(tokenPiece(index))
            case .assign:
                assignedType = lastOperandType
                pieces.append(tokenPiece(index))
            case .semicolon:
                assignedType = nil
                pieces.append(tokenPiece(index))
            default:
                pieces.append(tokenPiece(index))
            }
            index += 1
        }
        return pieces
    }

    /// `REGION name`: the rest of the line is the region's name, written as text.
    func region(_ index: Int, limit: Int) -> (Piece, Int) {
        var lineEnd = tokens[index].end
        while lineEnd < bytes.count, bytes[lineEnd] != 0x0A, bytes[lineEnd] != 0x0D { lineEnd += 1 }
        var nameStart = tokens[index].end
        while nameStart < lineEnd, bytes[nameStart] == 0x20 || bytes[nameStart] == 0x09 { nameStart += 1 }
        var nameEnd = lineEnd
        while nameEnd > nameStart, bytes[nameEnd - 1] == 0x20 || bytes[nameEnd - 1] == 0x09 { nameEnd -= 1 }
        var next = index + 1
        while next < limit, tokens[next].start < lineEnd { next += 1 }
        var nodes: [Node] = [.token(tokenText(index))]
        if nameEnd > nameStart {
            nodes += trivia(tokens[index].end..<nameStart)
            nodes.append(.text(text(nameStart..<nameEnd)))
            return (Piece(nodes: nodes, start: tokens[index].start, end: nameEnd), next)
        }
        return (Piece(nodes: nodes, start: tokens[index].start, end: tokens[index].end), next)
    }

    func constant(_ index: Int, typed: Bool) -> Piece {
        Piece(
            nodes: [.constant(tokenText(index), typed: typed)], start: tokens[index].start, end: tokens[index].end)
    }

    /// The index of the `)` or `]` closing the bracket at `open`, before `limit`.
    func matching(_ open: Int, limit: Int) -> Int? {
        var depth = 0
        for index in open..<limit {
            switch tokens[index].kind {
            case .leftParen, .leftBracket: depth += 1
            case .rightParen, .rightBracket:
                depth -= 1
                if depth == 0 { return index }
            default: break
            }
        }
        return nil
    }

    /// One name of a path and where it is.
    struct PathComponent {
        var name: String
        var quoted: Bool
        var token: Int
        /// The `[` and `]` of an index, when the name has one.
        var brackets: (open: Int, close: Int)?
    }

    /// An operand (a path of names with indices, a constant or an address) and the call that may follow it.
    /// Returns the index of the first token after it.
    mutating func operand(_ start: Int, limit: Int, into pieces: inout [Piece]) -> Int {
        let first = tokens[start]
        if first.kind == .absoluteAddress {
            pieces.append(address(start))
            lastOperandType = nil
            return start + 1
        }
        var components = [
            PathComponent(
                name: stream.name(of: first),
                quoted: first.kind == .quotedIdentifier
                    || first.kind == .quotedLocalIdentifier, token: start)
        ]
        // Tokens between components: the `.` and slices (`%X3`), by token index.
        var separators: [Int] = []
        var index = start + 1
        loop: while index < limit {
            if kind(index) == .leftBracket, components[components.count - 1].brackets == nil,
                let close = matching(index, limit: limit)
            {
                components[components.count - 1].brackets = (index, close)
                index = close + 1
            } else if kind(index) == .dot, index + 1 < limit {
                let next = tokens[index + 1]
                switch next.kind {
                case .identifier, .keyword, .quotedIdentifier:
                    separators.append(index)
                    components.append(
                        PathComponent(
                            name: stream.name(of: next), quoted: next.kind == .quotedIdentifier, token: index + 1))
                case .sliceAccess:
                    separators += [index, index + 1]
                default:
                    break loop
                }
                index += 2
            } else {
                break
            }
        }
        let end = index
        let isLocal = first.kind != .quotedIdentifier
        let resolved = resolve(components, local: isLocal)
        lastOperandType = resolved
        // A named constant.
        if components.count == 1, components[0].brackets == nil {
            let name = components[0].name
            let isConstant: Bool
            if isLocal {
                isConstant = localConstant(name)
            } else if case .constant = symbols.symbol(name) {
                isConstant = true
            } else {
                isConstant = false
            }
            if isConstant {
                pieces.append(
                    Piece(nodes: [.namedConstant(name, global: !isLocal)], start: first.start, end: first.end))
                return end
            }
        }
        let pathPieces = self.pathPieces(components, separators: separators)
        let scope = isLocal ? "LocalVariable" : "GlobalVariable"
        guard kind(end) == .leftParen, let close = matching(end, limit: limit) else {
            pieces.append(
                Piece(
                    nodes: [.access(scope, [Node("Symbol", children: assemble(pathPieces))])], start: first.start,
                    end: tokens[end - 1].end))
            return end
        }
        // A call on the operand: an FC by name, or an instance.
        let instanceOf = callee(components, local: isLocal, type: resolved)
        switch instanceOf {
        case .function(let fc):
            let arguments = self.arguments(open: end, close: close, callee: fc)
            let info = Node(
                "CallInfo", attributes: [.init("Name", fc.name), .init("BlockType", "FC")],
                children: assemble(arguments))
            pieces.append(Piece(nodes: [.access("Call", [info])], start: first.start, end: tokens[close].end))
        case .functionBlock(let fb):
            let instance = Piece(
                nodes: [Node("Instance", attributes: [.init("Scope", scope)], children: assemble(pathPieces))],
                start: first.start, end: tokens[end - 1].end)
            let info = Node(
                "CallInfo", attributes: [.init("Name", fb.name), .init("BlockType", "FB")],
                children: assemble([instance] + arguments(open: end, close: close, callee: fb)))
            pieces.append(Piece(nodes: [.access("Call", [info])], start: first.start, end: tokens[close].end))
        case .instruction:
            pieces.append(
                Piece(
                    nodes: [.access(scope, [Node("Symbol", children: assemble(pathPieces))])], start: first.start,
                    end: tokens[end - 1].end))
            let call = Node("Instruction", children: assemble(arguments(open: end, close: close, callee: nil)))
            pieces.append(Piece(nodes: [.access("Call", [call])], start: tokens[end].start, end: tokens[close].end))
        }
        lastOperandType = nil
        return close + 1
    }

    /// The components of a path with the `.` between them.
    mutating func pathPieces(_ components: [PathComponent], separators: [Int]) -> [Piece] {
        var pieces: [Piece] = []
        for component in components {
            var inner: [Piece] = []
            var pieceEnd = tokens[component.token].end
            if let (open, close) = component.brackets {
                inner.append(tokenPiece(open))
                inner += sequence(open + 1..<close)
                inner.append(tokenPiece(close))
                pieceEnd = tokens[close].end
            }
            pieces.append(
                Piece(
                    nodes: [.component(component.name, quoted: component.quoted, inner: assemble(inner))],
                    start: tokens[component.token].start, end: pieceEnd))
        }
        pieces += separators.map(tokenPiece)
        return pieces.sorted { $0.start < $1.start }
    }

    /// `%MW10` as `<Access Scope="Address"><Address Area="Memory" Type="Word" BitOffset="80" /></Access>`.
    func address(_ index: Int) -> Piece {
        let written = tokenText(index)
        let range = tokens[index].start..<tokens[index].end
        guard let address = try? S7Model.Address(parsing: written) else {
            return Piece(nodes: [.token(written)], start: range.lowerBound, end: range.upperBound)
        }
        let area: String =
            switch address.area {
            case .input: address.isPeripheral ? "PeripheryInput" : "Input"
            case .output: address.isPeripheral ? "PeripheryOutput" : "Output"
            case .memory: "Memory"
            case .dataBlock: "DB"
            case .timer: "Timer"
            case .counter: "Counter"
            }
        var attributes: [Node.Attribute] = [.init("Area", area)]
        if address.area == .timer || address.area == .counter {
            attributes.append(.init("BlockNumber", String(address.byteOffset)))
        } else {
            let type: String =
                switch address.size {
                case .bit: "Bool"
                case .byte: "Byte"
                case .word: "Word"
                case .dWord: "DWord"
                }
            if let number = address.dbNumber { attributes.append(.init("BlockNumber", String(number))) }
            attributes.append(.init("Type", type))
            attributes.append(.init("BitOffset", String(address.byteOffset * 8 + (address.bit ?? 0))))
        }
        return Piece(
            nodes: [.access("Address", [Node("Address", attributes: attributes)])], start: range.lowerBound,
            end: range.upperBound)
    }

    // MARK: Calls

    enum Callee {
        case function(Block)
        case functionBlock(Block)
        /// An IEC timer, counter or edge instance, or something not known.
        case instruction
    }

    func callee(_ components: [PathComponent], local: Bool, type: DataType?) -> Callee {
        if !local, components.count == 1, case .block(let block) = symbols.symbol(components[0].name) {
            switch block.kind {
            case .function: return .function(block)
            case .functionBlock: return .functionBlock(block)
            default:
                if let of = block.instanceOf, case .block(let fb) = symbols.symbol(of), fb.kind == .functionBlock {
                    return .functionBlock(fb)
                }
                return .instruction
            }
        }
        if case .named(let name) = type, case .block(let fb) = symbols.symbol(name), fb.kind == .functionBlock {
            return .functionBlock(fb)
        }
        return .instruction
    }

    /// `name(…)`: an instruction, with its `TemplateValue` where one is known.
    mutating func instruction(name: Int, open: Int, close: Int) -> Piece {
        let instructionName = tokenText(name)
        let target = assignedType
        var templates: [Node] = []
        let arguments = self.arguments(open: open, close: close, callee: nil)
        switch instructionName.uppercased() {
        case "LIMIT":
            if let type = argumentType("IN", open: open, close: close) {
                templates.append(template("value_type", type))
            }
        case "SCALE_X":
            if let target { templates.append(template("dest_type", target)) }
        default:
            break
        }
        let call = Node(
            "Instruction", attributes: [.init("Name", instructionName)], children: templates + assemble(arguments))
        lastOperandType = nil
        return Piece(nodes: [.access("Call", [call])], start: tokens[name].start, end: tokens[close].end)
    }

    func template(_ name: String, _ type: DataType) -> Node {
        Node("TemplateValue", attributes: [.init("Name", name), .init("Type", "Type")], content: type.simaticMLName)
    }

    /// The type of the argument `name := operand` of the call in `open ... close`, when it is a plain operand.
    func argumentType(_ name: String, open: Int, close: Int) -> DataType? {
        var index = open + 1
        while index + 2 < close {
            if tokens[index].kind == .identifier, tokenText(index).caseInsensitiveEquals(name),
                tokens[index + 1].kind == .assign
            {
                var copy = self
                var scratch: [Piece] = []
                let value = index + 2
                switch tokens[value].kind {
                case .localIdentifier, .quotedLocalIdentifier, .quotedIdentifier, .identifier:
                    _ = copy.operand(value, limit: close, into: &scratch)
                    return copy.lastOperandType
                default: return nil
                }
            }
            index += 1
        }
        return nil
    }

    /// `(`, the arguments split at their commas, `)`; a named argument is a `Parameter`, with the section and type
    /// `callee` declares for it.
    mutating func arguments(open: Int, close: Int, callee: Block?) -> [Piece] {
        var pieces = [tokenPiece(open)]
        var start = open + 1
        var depth = 0
        var index = open + 1
        while index <= close {
            let kind = tokens[index].kind
            if kind == .leftParen || kind == .leftBracket { depth += 1 }
            if (kind == .rightParen || kind == .rightBracket) && index != close { depth -= 1 }
            if index == close || (depth == 0 && kind == .comma) {
                if start < index { pieces.append(argument(start..<index, callee: callee)) }
                pieces.append(tokenPiece(index))
                start = index + 1
            }
            index += 1
        }
        return pieces
    }

    mutating func argument(_ range: Range<Int>, callee: Block?) -> Piece {
        let first = range.lowerBound
        let isNamed =
            range.count >= 2
            && (tokens[first].kind == .identifier || tokens[first].kind.isKeyword)
            && (tokens[first + 1].kind == .assign || tokens[first + 1].kind == .outputAssign)
        let saved = (assignedType, lastOperandType)
        defer { (assignedType, lastOperandType) = saved }
        assignedType = nil
        guard isNamed else {
            let inner = sequence(range)
            return Piece(
                nodes: [Node("NamelessParameter", children: assemble(inner))], start: tokens[first].start,
                end: tokens[range.upperBound - 1].end)
        }
        let name = tokenText(first)
        var attributes: [Node.Attribute] = [.init("Name", name)]
        if let callee, let (section, type) = parameter(name, of: callee) {
            attributes.append(.init("Section", section))
            attributes.append(.init("Type", type))
        }
        let inner = [tokenPiece(first + 1)] + sequence(first + 2..<range.upperBound)
        let children = trivia(tokens[first].end..<tokens[first + 1].start) + assemble(inner)
        return Piece(
            nodes: [Node("Parameter", attributes: attributes, children: children)], start: tokens[first].start,
            end: tokens[range.upperBound - 1].end)
    }

    /// The section and SimaticML type of a block's parameter (`EN` and `ENO` included).
    func parameter(_ name: String, of block: Block) -> (String, String)? {
        if name.caseInsensitiveEquals("EN") { return ("Input", "Bool") }
        if name.caseInsensitiveEquals("ENO") { return ("Output", "Bool") }
        for section in block.interface.sections where [.input, .output, .inOut].contains(section.kind) {
            if let member = section.members.first(where: { $0.name.caseInsensitiveEquals(name) }) {
                return (section.kind.rawValue, Self.simaticMLType(member.dataType))
            }
        }
        return nil
    }

    static func simaticMLType(_ text: String) -> String {
        (try? DataType(parsing: text))?.simaticMLName ?? text
    }

    // MARK: Names

    func localMember(_ name: String) -> S7Model.Member? {
        block.interface.sections.lazy.filter { $0.kind != .constant }.flatMap(\.members)
            .first { $0.name.caseInsensitiveEquals(name) }
    }

    /// Whether a member of this type is called as an instance (an FB or an IEC timer, counter or edge type).
    func isInstance(_ typeText: String) -> Bool {
        switch try? DataType(parsing: typeText) {
        case .systemFB: return true
        case .named(let name):
            if case .block(let block) = symbols.symbol(name) { return block.kind == .functionBlock }
            return false
        default: return false
        }
    }

    func localConstant(_ name: String) -> Bool {
        block.interface.section(.constant)?.members.contains { $0.name.caseInsensitiveEquals(name) } ?? false
    }

    /// The type of a path (an element type where the path indexes an array), when the names resolve.
    func resolve(_ components: [PathComponent], local: Bool) -> DataType? {
        var type: DataType?
        var members: [S7Model.Member] = []
        for (position, component) in components.enumerated() {
            if position == 0 {
                if local {
                    guard let member = localMember(component.name) else { return nil }
                    type = try? DataType(parsing: member.dataType)
                    members = member.members
                } else {
                    guard let text = try? symbols.resolve("\"\(component.name)\"") else { return nil }
                    type = try? DataType(parsing: text)
                    if case .block(let db) = symbols.symbol(component.name), db.kind.isDataBlock {
                        members = symbols.structuredMembers(of: "\"\(db.instanceOf ?? db.name)\"")
                        if members.isEmpty { members = db.interface.allMembers }
                        type = nil
                    }
                }
            } else {
                if members.isEmpty, let type { members = self.members(of: type) }
                guard let member = members.first(where: { $0.name.caseInsensitiveEquals(component.name) }) else {
                    return nil
                }
                type = try? DataType(parsing: member.dataType)
                members = member.members
            }
            if component.brackets != nil {
                guard case .array(_, let element) = type else { return nil }
                type = element
            }
        }
        return type
    }

    func members(of type: DataType) -> [S7Model.Member] {
        switch type {
        case .named(let name): symbols.structuredMembers(of: "\"\(name)\"")
        case .systemFB(let fb): symbols.structuredMembers(of: fb.name)
        default: []
        }
    }
}
