/// The versioned XML namespaces of a SimaticML document's parts. Each TIA Portal version writes (and imports) the
/// schema versions it ships, so a document for another TIA version must name that version's namespaces:
///
/// | TIA        | Interface | FlgNet | StructuredText |
/// |------------|-----------|--------|----------------|
/// | V15        | v3        | v2     | v1             |
/// | V15.1      | v3        | v3     | v2             |
/// | V16        | v4        | v4     | v3             |
/// | V17, V18   | v5        | v4     | v3             |
/// | V19 … V21  | v5        | v5     | v4             |
///
/// V16 and V21 are what the corpus's exports name; V18, V20 and V21 match the schema files TIA installs
/// (`PublicAPI/V18/Schemas/SW.PlcBlocks.LADFBD_v4.xsd`, `SW.PlcBlocks.SCL_v3.xsd`, …). A version before V15 is
/// written as V15, one after V21 as V21.
///
///     OpennessNamespace.flgNet.uri(for: "V17")
///     // "http://www.siemens.com/automation/Openness/SW/NetworkSource/FlgNet/v4"
public enum OpennessNamespace: String, Sendable, CaseIterable {
    case interface = "Interface"
    case flgNet = "NetworkSource/FlgNet"
    case structuredText = "NetworkSource/StructuredText"

    /// What every namespace URI of a SimaticML part starts with.
    public static let prefix = "http://www.siemens.com/automation/Openness/SW/"

    /// The schema version TIA `engineeringVersion` writes for this part: 5 for the interface of `V17`.
    public func schemaVersion(for engineeringVersion: String) -> Int {
        let release = Self.release(engineeringVersion)
        switch self {
        case .interface:
            return release >= 170 ? 5 : release >= 160 ? 4 : 3
        case .flgNet:
            return release >= 190 ? 5 : release >= 160 ? 4 : release >= 151 ? 3 : 2
        case .structuredText:
            return release >= 190 ? 4 : release >= 160 ? 3 : release >= 151 ? 2 : 1
        }
    }

    /// The namespace URI TIA `engineeringVersion` writes for this part.
    public func uri(for engineeringVersion: String) -> String {
        Self.prefix + rawValue + "/v\(schemaVersion(for: engineeringVersion))"
    }

    /// The part and schema version a namespace URI names (`…/SW/NetworkSource/FlgNet/v4` → `.flgNet`, 4); nil for
    /// any other URI (GRAPH and STL network sources among them).
    public static func parse(_ uri: String) -> (part: OpennessNamespace, schemaVersion: Int)? {
        guard uri.hasPrefix(prefix) else { return nil }
        let rest = uri.dropFirst(prefix.count)
        guard let slash = rest.lastIndex(of: "/"), rest[rest.index(after: slash)...].first == "v",
            let number = Int(rest[rest.index(slash, offsetBy: 2)...]),
            let part = OpennessNamespace(rawValue: String(rest[..<slash]))
        else { return nil }
        return (part, number)
    }

    /// `V16` → 160, `V15.1`, `V15_1` and `V15 SP1` → 151, `V17 Update 4` → 170; clamped to 150…210.
    static func release(_ engineeringVersion: String) -> Int {
        let text = engineeringVersion.uppercased()
        let digits = text.drop { !$0.isNumber }
        let major = Int(digits.prefix { $0.isNumber }) ?? 17
        let rest = digits.drop { $0.isNumber }
        var minor = 0
        if rest.first == "." || rest.first == "_", let digit = rest.dropFirst().first?.wholeNumberValue {
            minor = digit
        } else if rest.drop(while: { $0 == " " }).hasPrefix("SP") {
            minor = rest.drop { !$0.isNumber }.first?.wholeNumberValue ?? 0
        }
        return min(max(major * 10 + min(minor, 9), 150), 210)
    }
}
