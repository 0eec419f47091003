/// Validation of the IPv4 settings of a PROFINET interface, as TIA Portal checks them.
public enum IPv4 {
    /// Parses `192.168.0.1` into its four octets; nil when malformed.
    public static func parse(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let value = UInt8(part) else {
                return nil
            }
            octets.append(value)
        }
        return octets
    }

    /// Throws unless `address` is a usable host address in the subnet given by a contiguous `mask`.
    public static func validate(address: String, mask: String) throws(EngineError) {
        guard let a = parse(address) else { throw EngineError(.invalidInput, "'\(address)' is not an IPv4 address") }
        guard let m = parse(mask) else { throw EngineError(.invalidInput, "'\(mask)' is not a subnet mask") }
        let addressValue = a.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let maskValue = m.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard maskValue != 0, (~maskValue) & (~maskValue &+ 1) == 0 else {
            throw EngineError(.invalidInput, "'\(mask)' is not a contiguous subnet mask")
        }
        guard a[0] != 0, a[0] != 127, a[0] < 224 else {
            throw EngineError(.invalidInput, "'\(address)' is not a usable unicast address")
        }
        let host = addressValue & ~maskValue
        guard host != 0, host != ~maskValue else {
            throw EngineError(.invalidInput, "'\(address)' is the network or broadcast address of subnet \(mask)")
        }
    }

    /// The network address of `address` in subnet `mask` (`192.168.0.10` / `255.255.255.0` → `192.168.0.0`); nil
    /// when either does not parse.
    public static func network(address: String, mask: String) -> String? {
        guard let a = parse(address), let m = parse(mask) else { return nil }
        return zip(a, m).map { String($0 & $1) }.joined(separator: ".")
    }
}
