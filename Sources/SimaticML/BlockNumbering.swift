public import S7Model

/// Numbers for blocks read from sources, as TIA Portal assigns them on import: organization blocks by their
/// default names (`Main` → OB1, `Startup` → OB100, `Cyclic interrupt` → OB30 …, others from OB123 up), FBs, FCs
/// and DBs the first free number of their kind from 1. Blocks that already have a number keep it.
public enum BlockNumbering {
    /// Default numbers of OBs TIA creates under their default English names.
    public static let organizationBlockDefaults: [String: Int] = [
        "main": 1, "program cycle": 1, "startup": 100, "time of day": 10, "time-of-day interrupt": 10,
        "time delay interrupt": 20, "cyclic interrupt": 30, "hardware interrupt": 40, "time error interrupt": 80,
        "diagnostic error interrupt": 82, "pull or plug of modules": 83, "rack or station failure": 86,
        "programming error": 121, "io access error": 122,
    ]

    public static func assign(_ blocks: inout [Block]) {
        var used: [String: Set<Int>] = [:]
        for block in blocks {
            if let number = block.number { used[block.kind.numberPrefix, default: []].insert(number) }
        }
        for index in blocks.indices where blocks[index].number == nil {
            let prefix = blocks[index].kind.numberPrefix
            var candidate = 1
            if blocks[index].kind == .organizationBlock {
                candidate = preferredOBNumber(blocks[index].name)
            }
            while used[prefix, default: []].contains(candidate) { candidate += 1 }
            blocks[index].number = candidate
            blocks[index].attributes["AutoNumber"] = "true"
            used[prefix, default: []].insert(candidate)
        }
    }

    /// `Cyclic interrupt_2` → 32, `Main` → 1, `MyOB` → 123.
    static func preferredOBNumber(_ name: String) -> Int {
        let lower = name.lowercased()
        if let number = organizationBlockDefaults[lower] { return number }
        if let underscore = lower.lastIndex(of: "_"), let suffix = Int(lower[lower.index(after: underscore)...]),
            let base = organizationBlockDefaults[String(lower[..<underscore])], base != 1, base != 100
        {
            return base + suffix
        }
        return 123
    }
}
