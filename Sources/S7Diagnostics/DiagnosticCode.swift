/// A stable diagnostic code such as `SCL1001`, explained in `DiagnosticRegistry`.
///
/// Ranges: `SCL1xxx` lexical and syntax (`SCL10xx` lexer, `SCL11xx` program-unit structure), `SCL2xxx`
/// declarations, `S7C3xxx` compiler. A code never changes meaning once released; retired codes are not reused.
public struct DiagnosticCode: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func < (lhs: DiagnosticCode, rhs: DiagnosticCode) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension DiagnosticCode {
    // SCL10xx: lexical.
    public static let unterminatedString = DiagnosticCode("SCL1001")
    public static let unterminatedQuotedName = DiagnosticCode("SCL1002")
    public static let unterminatedComment = DiagnosticCode("SCL1003")
    public static let invalidCharacter = DiagnosticCode("SCL1004")
    public static let invalidUTF8 = DiagnosticCode("SCL1005")
    public static let malformedNumber = DiagnosticCode("SCL1006")
    public static let malformedTypedLiteral = DiagnosticCode("SCL1007")
    public static let invalidEscape = DiagnosticCode("SCL1008")
    public static let malformedAddress = DiagnosticCode("SCL1009")
    public static let sourceTooLarge = DiagnosticCode("SCL1010")
    // SCL11xx: program-unit structure.
    public static let missingEndOfUnit = DiagnosticCode("SCL1101")
    public static let mismatchedEndOfUnit = DiagnosticCode("SCL1102")
    public static let expectedUnitName = DiagnosticCode("SCL1103")
    public static let expectedUnit = DiagnosticCode("SCL1104")
    public static let unclosedSection = DiagnosticCode("SCL1105")
    public static let expectedReturnType = DiagnosticCode("SCL1106")
    // SCL2xxx: declarations.
    public static let duplicateDeclaration = DiagnosticCode("SCL2001")
}
