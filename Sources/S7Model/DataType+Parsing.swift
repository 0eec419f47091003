/// Why a type text could not be read, and where.
public struct DataTypeParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong, e.g. `expected 'of' after the array dimensions`.
    public var message: String
    /// Offset of the problem in Unicode scalars from the start of the text.
    public var offset: Int
    /// The text that was parsed.
    public var text: String

    public init(message: String, offset: Int, text: String) {
        self.message = message
        self.offset = offset
        self.text = text
    }

    public var description: String { "invalid data type '\(text)' at offset \(offset): \(message)" }
}

extension DataType: CustomStringConvertible {
    /// Reads a type as TIA writes it in declarations and SimaticML; keywords in any case, white space anywhere
    /// between tokens.
    ///
    ///     try DataType(parsing: "Array[1..#N, 0..3] of \"UDT_Motor\"")
    ///     try DataType(parsing: "STRUCT a : Bool; b : Int; END_STRUCT")
    ///     try DataType(parsing: "TOD")   // .timeOfDay
    ///
    /// Accepted aliases: `TOD`, `LTOD`, `DT`, `Date_And_LTime` (for LDT), the `Time_Of_Day` spellings in any case.
    public init(parsing text: String) throws(DataTypeParseError) {
        var parser = TypeParser(text: text)
        let type = try parser.parseType()
        parser.skipSpace()
        if !parser.atEnd { throw parser.error("unexpected text after the type") }
        self = type
    }

    /// The canonical text, as TIA writes it in a SimaticML `Datatype` attribute: `Bool`, `String[20]`,
    /// `Array[0..7] of Bool`, `"UDT_Motor"`, `Time_Of_Day`, `Date_And_Time`, `TON_TIME`. `String[254]` is written
    /// `String`. A struct with members is written `Struct a : Bool; b : Int; END_STRUCT` (SimaticML writes only
    /// `Struct`; see `simaticMLName`).
    public var description: String {
        switch self {
        case .string(let length):
            return length == .value(DataType.defaultStringLength) ? "String" : "String[\(length)]"
        case .wString(let length):
            return length == .value(DataType.defaultStringLength) ? "WString" : "WString[\(length)]"
        case .array(let dimensions, let element):
            return "Array[" + dimensions.map(\.description).joined(separator: ", ") + "] of \(element)"
        case .struct(let members):
            if members.isEmpty { return "Struct" }
            let body = members.map { "\(TypeParser.formatName($0.name)) : \($0.dataType);" }.joined(separator: " ")
            return "Struct \(body) END_STRUCT"
        case .named(let name): return "\"\(name)\""
        case .systemDataType(let name): return name
        case .systemFB(let block): return block.name
        default: return TypeParser.keywordNames[self]!
        }
    }

    /// The text of a SimaticML `Datatype` attribute: `description`, except that a struct is just `Struct` (its
    /// members are `Member` elements) and an array of structs is `Array[..] of Struct`.
    public var simaticMLName: String {
        switch self {
        case .struct: "Struct"
        case .array(let dimensions, let element):
            "Array[" + dimensions.map(\.description).joined(separator: ", ") + "] of \(element.simaticMLName)"
        default: description
        }
    }
}

/// A recursive-descent reader over the Unicode scalars of a type text.
struct TypeParser {
    let text: String
    let scalars: [Unicode.Scalar]
    var position = 0

    init(text: String) {
        self.text = text
        self.scalars = Array(text.unicodeScalars)
    }

    /// Canonical spelling of every keyword type.
    static let keywordNames: [DataType: String] = [
        .bool: "Bool", .byte: "Byte", .word: "Word", .dWord: "DWord", .lWord: "LWord", .sInt: "SInt",
        .usInt: "USInt", .int: "Int", .uInt: "UInt", .dInt: "DInt", .udInt: "UDInt", .lInt: "LInt",
        .ulInt: "ULInt", .real: "Real", .lReal: "LReal", .s5Time: "S5Time", .time: "Time", .lTime: "LTime",
        .date: "Date", .timeOfDay: "Time_Of_Day", .lTimeOfDay: "LTime_Of_Day", .dateAndTime: "Date_And_Time",
        .ldt: "LDT", .dtl: "DTL", .char: "Char", .wChar: "WChar", .variant: "Variant", .pointer: "Pointer",
        .any: "Any", .void: "Void", .blockFB: "Block_FB", .blockFC: "Block_FC", .blockDB: "Block_DB",
        .timer: "Timer", .counter: "Counter", .dbAny: "DB_ANY", .remote: "Remote",
    ]

    /// Keyword types by upper-case spelling, aliases included.
    static let keywords: [String: DataType] = {
        var table: [String: DataType] = [:]
        for (type, name) in keywordNames { table[name.uppercased()] = type }
        table["TOD"] = .timeOfDay
        table["LTOD"] = .lTimeOfDay
        table["DT"] = .dateAndTime
        table["DATE_AND_LTIME"] = .ldt
        return table
    }()

    var atEnd: Bool { position >= scalars.count }

    var current: Unicode.Scalar? { atEnd ? nil : scalars[position] }

    func error(_ message: String, at offset: Int? = nil) -> DataTypeParseError {
        DataTypeParseError(message: message, offset: offset ?? position, text: text)
    }

    mutating func skipSpace() {
        while let scalar = current, scalar.properties.isWhitespace { position += 1 }
    }

    static func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar.properties.isAlphabetic
    }

    static func isIdentifierPart(_ scalar: Unicode.Scalar) -> Bool {
        isIdentifierStart(scalar) || ("0"..."9").contains(scalar)
    }

    /// A member name as written in a struct: bare if it is an identifier, quoted otherwise.
    static func formatName(_ name: String) -> String {
        let scalars = Array(name.unicodeScalars)
        if let first = scalars.first, isIdentifierStart(first), scalars.allSatisfy(isIdentifierPart) { return name }
        return "\"\(name)\""
    }

    mutating func identifier() -> String? {
        guard let first = current, TypeParser.isIdentifierStart(first) else { return nil }
        let start = position
        while let scalar = current, TypeParser.isIdentifierPart(scalar) { position += 1 }
        return String(String.UnicodeScalarView(scalars[start..<position]))
    }

    /// A `"..."` name; the position is on the opening quote.
    mutating func quoted() throws(DataTypeParseError) -> String {
        let start = position
        position += 1
        let contentStart = position
        while let scalar = current, scalar != "\"" { position += 1 }
        if atEnd { throw error("missing closing quote", at: start) }
        let name = String(String.UnicodeScalarView(scalars[contentStart..<position]))
        position += 1
        if name.isEmpty { throw error("empty quoted name", at: start) }
        return name
    }

    mutating func expect(_ symbol: String, _ what: String) throws(DataTypeParseError) {
        skipSpace()
        for scalar in symbol.unicodeScalars {
            guard current == scalar else { throw error("expected \(what)") }
            position += 1
        }
    }

    mutating func parseType() throws(DataTypeParseError) -> DataType {
        skipSpace()
        guard let first = current else { throw error("expected a data type") }
        if first == "\"" { return .named(try quoted()) }
        let start = position
        guard let word = identifier() else { throw error("expected a data type") }
        switch word.uppercased() {
        case "ARRAY": return try parseArray()
        case "STRING": return .string(try parseLength(max: DataType.maxStringLength))
        case "WSTRING": return .wString(try parseLength(max: DataType.maxWStringLength))
        case "STRUCT": return try parseStruct()
        case let upper:
            if let type = TypeParser.keywords[upper] { return type }
            if let block = SystemFBType(name: upper) { return .systemFB(block) }
            if upper == "END_STRUCT" || upper == "OF" { throw error("expected a data type", at: start) }
            return .systemDataType(word)
        }
    }

    /// An optional `[n]` after String or WString.
    mutating func parseLength(max: Int) throws(DataTypeParseError) -> DataType.Bound {
        let save = position
        skipSpace()
        guard current == "[" else {
            position = save
            return .value(DataType.defaultStringLength)
        }
        position += 1
        let start = position
        let length = try parseBound()
        if case .value(let value) = length, !(1...max).contains(value) {
            throw error("string length \(value) is outside 1..\(max)", at: start)
        }
        try expect("]", "']' after the string length")
        return length
    }

    mutating func parseBound() throws(DataTypeParseError) -> DataType.Bound {
        skipSpace()
        let start = position
        guard let first = current else { throw error("expected a bound") }
        if first == "-" || first == "+" || ("0"..."9").contains(first) {
            position += 1
            while let scalar = current, ("0"..."9").contains(scalar) { position += 1 }
            let digits = String(String.UnicodeScalarView(scalars[start..<position]))
            guard let value = Int(digits) else { throw error("invalid number '\(digits)'", at: start) }
            return .value(value)
        }
        if first == "\"" {
            _ = try quoted()
        } else {
            if first == "#" { position += 1 }
            guard identifier() != nil else { throw error("expected a number or a constant", at: start) }
        }
        return .constant(String(String.UnicodeScalarView(scalars[start..<position])))
    }

    mutating func parseArray() throws(DataTypeParseError) -> DataType {
        try expect("[", "'[' after Array")
        var dimensions: [DataType.Dimension] = []
        while true {
            skipSpace()
            if current == "*" {
                position += 1
                dimensions.append(.variable)
            } else {
                let start = position
                let low = try parseBound()
                try expect("..", "'..' between the bounds")
                let high = try parseBound()
                if let lo = low.intValue, let hi = high.intValue, lo > hi {
                    throw error("lower bound \(lo) is greater than upper bound \(hi)", at: start)
                }
                dimensions.append(.range(low, high))
            }
            skipSpace()
            if current == "," {
                position += 1
                continue
            }
            try expect("]", "',' or ']' in the array dimensions")
            break
        }
        skipSpace()
        let start = position
        guard identifier()?.uppercased() == "OF" else { throw error("expected 'of' after the dimensions", at: start) }
        return .array(dimensions, of: try parseType())
    }

    /// `Struct` alone, or `Struct name : type; ... END_STRUCT`.
    mutating func parseStruct() throws(DataTypeParseError) -> DataType {
        var members: [StructMember] = []
        skipSpace()
        if atEnd || current == ";" { return .struct([]) }
        while true {
            skipSpace()
            let start = position
            let name: String
            if current == "\"" {
                name = try quoted()
            } else if let word = identifier() {
                if word.uppercased() == "END_STRUCT" { break }
                name = word
            } else {
                throw error(atEnd ? "missing END_STRUCT" : "expected a member name or END_STRUCT")
            }
            if members.contains(where: { $0.name.lowercased() == name.lowercased() }) {
                throw error("duplicate member '\(name)'", at: start)
            }
            try expect(":", "':' after the member name")
            let type = try parseType()
            try expect(";", "';' after the member type")
            members.append(StructMember(name, type))
        }
        return .struct(members)
    }
}

extension DataType: Codable {
    /// Decodes the canonical text (any text `init(parsing:)` reads).
    public init(from decoder: any Decoder) throws {
        self = try DataType(parsing: try decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes `description`, a single string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
