public import S7Model

/// The object a SimaticML document holds: TIA Portal exports one block, type or table per file.
public enum SimaticMLObject: Sendable, Hashable {
    case block(Block)
    case dataType(PlcDataType)
    case tagTable(TagTable)
    case watchTable(WatchTable)
}

/// Why a SimaticML document could not be read: an XML error with its location, or content that is not what a
/// TIA Portal export holds.
public struct SimaticMLError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var line: Int?
    public var column: Int?

    public init(message: String, line: Int? = nil, column: Int? = nil) {
        self.message = message
        self.line = line
        self.column = column
    }

    public var description: String {
        guard let line else { return message }
        return "\(line):\(column ?? 1): \(message)"
    }
}

/// The Engineering versions whose SimaticML s7wb reads as its own.
public enum EngineeringVersion {
    public static let supported = (15...21).map { "V\($0)" }

    /// True for `V15` … `V21`, also with an update suffix (`V17.0`).
    public static func isSupported(_ version: String) -> Bool {
        let digits = version.dropFirst().prefix { $0.isNumber }
        guard version.first == "V", let major = Int(digits) else { return false }
        return (15...21).contains(major)
    }
}
