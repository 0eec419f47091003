/// Why an absolute address could not be read or is out of range, and where.
public struct AddressError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong, e.g. `bit 8 is outside 0..7`.
    public var message: String
    /// Offset of the problem in Unicode scalars from the start of the text (0 for a failed validation).
    public var offset: Int
    /// The text that was parsed, or the formatted address that failed validation.
    public var text: String

    public init(message: String, offset: Int, text: String) {
        self.message = message
        self.offset = offset
        self.text = text
    }

    public var description: String { "invalid address '\(text)' at offset \(offset): \(message)" }
}

/// An absolute S7-1500 address: a bit, byte, word or double word of the inputs, outputs, bit memory or a data
/// block, or an S5 timer or counter.
///
///     try Address(parsing: "%I0.0")          // input bit 0.0
///     try Address(parsing: "iw64:p")         // %IW64:P, the peripheral input word 64
///     try Address(parsing: "DB1.DBX0.1")     // %DB1.DBX0.1
///     try Address(parsing: "EB3")            // German mnemonic: %IB3
///     (try Address(parsing: "mw 10")).description   // "%MW10"
///
/// Parsing accepts the address with or without `%`, in any case, with blanks between the parts, English (I, Q, C)
/// and German (E, A, Z) mnemonics, the `X` size letter on bits (`%IX0.0`, `%MX1.2`), and the STEP 7 peripheral
/// forms `PIW256`/`PEW256` for `%IW256:P`.
public struct Address: Hashable, Sendable, CustomStringConvertible {
    public enum Area: String, Hashable, Sendable, CaseIterable {
        case input = "I"
        case output = "Q"
        case memory = "M"
        case dataBlock = "DB"
        case timer = "T"
        case counter = "C"
    }

    /// The width of the access; `rawValue` is the number of bits.
    public enum Size: Int, Hashable, Sendable, CaseIterable {
        case bit = 1
        case byte = 8
        case word = 16
        case dWord = 32

        /// The size letter of the mnemonic: X, B, W, D.
        public var letter: String {
            switch self {
            case .bit: "X"
            case .byte: "B"
            case .word: "W"
            case .dWord: "D"
            }
        }
    }

    /// The largest byte offset of the process image and the peripheral I/O (32 KB each for I and Q).
    public static let maxIOByte = 32_767
    /// The largest byte offset of bit memory (16 KB on S7-1500 CPUs).
    public static let maxMemoryByte = 16_383
    /// The largest byte offset in a data block (a standard DB holds at most 64 KB).
    public static let maxDataBlockByte = 65_535
    /// The largest data block number.
    public static let maxDBNumber = 65_535
    /// The largest S5 timer and counter number (S7-1500 has 2 048 of each).
    public static let maxTimerOrCounter = 2_047

    public let area: Area
    /// The DB number for `.dataBlock`, nil otherwise.
    public let dbNumber: Int?
    /// The byte offset; for a timer or counter its number.
    public let byteOffset: Int
    /// The bit number 0...7 of a `.bit` access, nil otherwise.
    public let bit: Int?
    /// The width of the access; a timer or counter is a `.word`.
    public let size: Size
    /// `:P`, the direct (peripheral) access to I/O; only inputs and outputs have it.
    public let isPeripheral: Bool

    /// A validated address.
    ///
    ///     try Address(area: .memory, byteOffset: 10, size: .word)   // %MW10
    ///     try Address(area: .input, byteOffset: 0, bit: 8)          // throws: bit 8 is outside 0..7
    public init(
        area: Area, byteOffset: Int, bit: Int? = nil, size: Size? = nil, dbNumber: Int? = nil,
        isPeripheral: Bool = false
    ) throws(AddressError) {
        self.init(
            unchecked: area, byteOffset: byteOffset, bit: bit, size: size, dbNumber: dbNumber,
            isPeripheral: isPeripheral)
        if let problem = validationProblem {
            throw AddressError(message: problem, offset: 0, text: description)
        }
    }

    private init(unchecked area: Area, byteOffset: Int, bit: Int?, size: Size?, dbNumber: Int?, isPeripheral: Bool) {
        self.area = area
        self.byteOffset = byteOffset
        self.bit = bit
        self.size = size ?? (bit != nil ? .bit : area == .timer || area == .counter ? .word : .byte)
        self.dbNumber = dbNumber
        self.isPeripheral = isPeripheral
    }

    /// Reads an address (see the type's documentation for the accepted forms) and validates it.
    public init(parsing text: String) throws(AddressError) {
        var reader = AddressReader(text: text)
        let parsed = try reader.read()
        self.init(
            unchecked: parsed.area, byteOffset: parsed.byteOffset, bit: parsed.bit, size: parsed.size,
            dbNumber: parsed.dbNumber, isPeripheral: parsed.isPeripheral)
        if let problem = validationProblem {
            throw AddressError(message: problem, offset: parsed.offsetOfNumbers, text: text)
        }
    }

    /// The width in bits.
    public var sizeInBits: Int { size.rawValue }

    /// The timer or counter number for `%T` and `%C`, nil otherwise.
    public var number: Int? { area == .timer || area == .counter ? byteOffset : nil }

    /// The canonical form: `%I0.0`, `%IB3`, `%IW64:P`, `%MW10`, `%DB1.DBX0.1`, `%DB1.DBD4`, `%T5`, `%C3`.
    public var description: String {
        switch area {
        case .timer, .counter:
            return "%\(area.rawValue)\(byteOffset)"
        case .dataBlock:
            let location = size == .bit ? "\(byteOffset).\(bit ?? 0)" : "\(byteOffset)"
            return "%DB\(dbNumber ?? 0).DB\(size.letter)\(location)"
        case .input, .output, .memory:
            let location = size == .bit ? "\(byteOffset).\(bit ?? 0)" : "\(size.letter)\(byteOffset)"
            return "%\(area.rawValue)\(location)" + (isPeripheral ? ":P" : "")
        }
    }

    /// What makes the fields inconsistent or out of range, nil when the address is valid.
    private var validationProblem: String? {
        if byteOffset < 0 { return "offset \(byteOffset) is negative" }
        if size == .bit {
            guard let bit else { return "a bit address needs a bit number" }
            if !(0...7).contains(bit) { return "bit \(bit) is outside 0..7" }
        } else if bit != nil {
            return "only a bit address has a bit number"
        }
        if isPeripheral && area != .input && area != .output {
            return "only inputs and outputs have peripheral (:P) access"
        }
        if area == .dataBlock {
            guard let dbNumber else { return "a data block address needs a DB number" }
            if !(1...Address.maxDBNumber).contains(dbNumber) {
                return "DB number \(dbNumber) is outside 1..\(Address.maxDBNumber)"
            }
        } else if dbNumber != nil {
            return "only a data block address has a DB number"
        }
        let last = byteOffset + max(1, size.rawValue / 8) - 1
        let limit: Int
        switch area {
        case .input, .output: limit = Address.maxIOByte
        case .memory: limit = Address.maxMemoryByte
        case .dataBlock: limit = Address.maxDataBlockByte
        case .timer, .counter:
            if size != .word { return "a timer or counter has no size letter" }
            let kind = area == .timer ? "timer" : "counter"
            return byteOffset <= Address.maxTimerOrCounter
                ? nil : "\(kind) \(byteOffset) is outside 0..\(Address.maxTimerOrCounter)"
        }
        return last <= limit ? nil : "byte \(last) is beyond the last byte \(limit) of the area"
    }
}

/// Reads the parts of an address; `Address` validates them.
struct AddressReader {
    let text: String
    let scalars: [Unicode.Scalar]
    var position = 0

    init(text: String) {
        self.text = text
        self.scalars = Array(text.unicodeScalars)
    }

    struct Parts {
        var area: Address.Area
        var size: Address.Size?
        var byteOffset = 0
        var bit: Int?
        var dbNumber: Int?
        var isPeripheral = false
        var offsetOfNumbers = 0
    }

    /// Mnemonics (upper case, German ones included) and what they mean.
    static let mnemonics: [String: (area: Address.Area, size: Address.Size?, peripheral: Bool)] = {
        var table: [String: (area: Address.Area, size: Address.Size?, peripheral: Bool)] = [:]
        let areas: [(letters: [String], area: Address.Area)] = [
            (["I", "E"], .input), (["Q", "A"], .output), (["M"], .memory),
        ]
        for (letters, area) in areas {
            for letter in letters {
                table[letter] = (area, nil, false)
                for size in Address.Size.allCases {
                    table[letter + size.letter] = (area, size, false)
                    if area != .memory && size != .bit { table["P" + letter + size.letter] = (area, size, true) }
                }
            }
        }
        table["T"] = (.timer, .word, false)
        table["C"] = (.counter, .word, false)
        table["Z"] = (.counter, .word, false)
        table["DB"] = (.dataBlock, nil, false)
        return table
    }()

    func error(_ message: String, at offset: Int? = nil) -> AddressError {
        AddressError(message: message, offset: offset ?? position, text: text)
    }

    var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    mutating func skipSpace() {
        while let scalar = current, scalar.properties.isWhitespace { position += 1 }
    }

    mutating func letters() -> String {
        skipSpace()
        let start = position
        while let scalar = current, ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) { position += 1 }
        return String(String.UnicodeScalarView(scalars[start..<position])).uppercased()
    }

    mutating func number(_ what: String) throws(AddressError) -> Int {
        skipSpace()
        let start = position
        while let scalar = current, ("0"..."9").contains(scalar) { position += 1 }
        guard position > start else { throw error("expected \(what)") }
        guard position - start <= 9, let value = Int(String(String.UnicodeScalarView(scalars[start..<position])))
        else { throw error("\(what) is too large", at: start) }
        return value
    }

    mutating func read() throws(AddressError) -> Parts {
        skipSpace()
        if current == "%" { position += 1 }
        let mnemonicStart = position
        let mnemonic = letters()
        guard let meaning = AddressReader.mnemonics[mnemonic] else {
            throw error(
                mnemonic.isEmpty ? "expected an area (I, Q, M, DB, T, C)" : "unknown area '\(mnemonic)'",
                at: mnemonicStart)
        }
        var parts = Parts(area: meaning.area, size: meaning.size, isPeripheral: meaning.peripheral)
        parts.offsetOfNumbers = position
        switch meaning.area {
        case .dataBlock:
            parts.dbNumber = try number("a DB number")
            skipSpace()
            guard current == "." else { throw error("expected '.' after the DB number") }
            position += 1
            let innerStart = position
            let inner = letters()
            guard inner.count == 3, inner.hasPrefix("DB"),
                let size = Address.Size.allCases.first(where: { $0.letter == inner.suffix(1) })
            else { throw error("expected DBX, DBB, DBW or DBD", at: innerStart) }
            parts.size = size
            parts.byteOffset = try number("a byte offset")
            if size == .bit { parts.bit = try bitNumber() }
        case .timer, .counter:
            parts.byteOffset = try number(meaning.area == .timer ? "a timer number" : "a counter number")
        case .input, .output, .memory:
            parts.byteOffset = try number("a byte offset")
            if parts.size == nil || parts.size == .bit {
                parts.size = .bit
                parts.bit = try bitNumber()
            }
            skipSpace()
            if current == ":" {
                let colon = position
                position += 1
                guard letters() == "P" else { throw error("expected 'P' after ':'", at: colon + 1) }
                if parts.isPeripheral { throw error("peripheral access given twice", at: colon) }
                parts.isPeripheral = true
            }
        }
        skipSpace()
        if let scalar = current { throw error("unexpected '\(scalar)'") }
        return parts
    }

    mutating func bitNumber() throws(AddressError) -> Int {
        skipSpace()
        guard current == "." else { throw error("expected '.' and a bit number") }
        position += 1
        return try number("a bit number")
    }
}

extension Address: Codable {
    /// Decodes any text `init(parsing:)` reads.
    public init(from decoder: any Decoder) throws {
        self = try Address(parsing: try decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes the canonical text, e.g. `%DB1.DBX0.1`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
