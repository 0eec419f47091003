/// A stable diagnostic code such as `SCL1001`, explained in `DiagnosticRegistry`.
///
/// Ranges: `SCL1xxx` lexical and syntax (`SCL10xx` lexer, `SCL11xx` program-unit structure), `SCL2xxx`
/// declarations, `SCL3xxx` the compiler's semantic checks. A code never changes meaning once released; retired codes are not reused.
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
    // SCL12xx: statements, expressions and declarations (parser).
    public static let expectedSemicolon = DiagnosticCode("SCL1201")
    public static let expectedThen = DiagnosticCode("SCL1202")
    public static let missingEndOfStatement = DiagnosticCode("SCL1203")
    public static let expectedDo = DiagnosticCode("SCL1204")
    public static let expectedOf = DiagnosticCode("SCL1205")
    public static let expectedTo = DiagnosticCode("SCL1206")
    public static let expectedUntil = DiagnosticCode("SCL1207")
    public static let expectedExpression = DiagnosticCode("SCL1208")
    public static let expectedClosingDelimiter = DiagnosticCode("SCL1209")
    public static let expectedStatement = DiagnosticCode("SCL1210")
    public static let expectedAssignment = DiagnosticCode("SCL1211")
    public static let expectedColon = DiagnosticCode("SCL1212")
    public static let expectedType = DiagnosticCode("SCL1213")
    public static let expectedName = DiagnosticCode("SCL1214")
    public static let expectedBegin = DiagnosticCode("SCL1215")
    public static let unmatchedClosingDelimiter = DiagnosticCode("SCL1216")
    public static let expectedDeclaration = DiagnosticCode("SCL1217")
    // SCL2xxx: declarations.
    public static let duplicateDeclaration = DiagnosticCode("SCL2001")
    // SCL3xxx: semantic checks of the compiler.
    public static let unknownName = DiagnosticCode("SCL3001")
    public static let unknownMember = DiagnosticCode("SCL3002")
    public static let typeMismatch = DiagnosticCode("SCL3003")
    public static let unknownParameter = DiagnosticCode("SCL3004")
    public static let missingInstance = DiagnosticCode("SCL3005")
    public static let notWritable = DiagnosticCode("SCL3006")
    public static let notCallable = DiagnosticCode("SCL3007")
    public static let indexOutOfRange = DiagnosticCode("SCL3008")
    public static let notSupported = DiagnosticCode("SCL3009")
    public static let invalidOperand = DiagnosticCode("SCL3010")
    public static let constantRequired = DiagnosticCode("SCL3011")
    public static let constantDivisionByZero = DiagnosticCode("SCL3012")
    public static let unknownType = DiagnosticCode("SCL3013")
    public static let misplacedStatement = DiagnosticCode("SCL3014")
    public static let unknownLabel = DiagnosticCode("SCL3015")
    public static let calleeHasErrors = DiagnosticCode("SCL3016")
    public static let blockNotCompiled = DiagnosticCode("SCL3017")
    public static let missingParameter = DiagnosticCode("SCL3018")
    public static let networkNotSimulated = DiagnosticCode("SCL3019")
    public static let invalidNetwork = DiagnosticCode("SCL3020")
    public static let instructionNotSimulated = DiagnosticCode("SCL3021")
}
