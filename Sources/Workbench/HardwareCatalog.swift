/// One product of the hardware catalog: a CPU, a signal or communication module, an interface module or an HMI
/// panel, with the figures of its Siemens data sheet that s7wb uses.
///
/// Example: `HardwareCatalog.find(orderNumber: "6es7516-3an02-0ab0")?.name` is `"CPU 1516-3 PN/DP"`.
public struct HardwareCatalogEntry: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case cpu
        case io
        /// Interface and communication modules (IM 155-6 PN, CM 1241).
        case interface
        case hmi
    }

    /// The article number as Siemens writes it: `6ES7 516-3AN02-0AB0`.
    public var orderNumber: String
    /// The name TIA Portal's catalog shows: `CPU 1516-3 PN/DP`.
    public var name: String
    /// `S7-1200`, `S7-1500`, `ET 200SP`, `HMI Basic Panels`, `HMI Comfort Panels`.
    public var family: String
    public var kind: Kind
    /// Firmware versions s7wb offers for the product, newest last (empty when versions are not tracked).
    public var firmwareVersions: [String]
    /// Work memory for code (CPUs only; an S7-1200 shares one work memory between code and data).
    public var workMemoryProgramBytes: Int?
    /// Work memory for data (S7-1500 and ET 200SP CPUs).
    public var workMemoryDataBytes: Int?
    public var loadMemory: String?
    public var description: String

    public init(
        orderNumber: String, name: String, family: String, kind: Kind, firmwareVersions: [String] = [],
        workMemoryProgramBytes: Int? = nil, workMemoryDataBytes: Int? = nil, loadMemory: String? = nil,
        description: String
    ) {
        self.orderNumber = orderNumber
        self.name = name
        self.family = family
        self.kind = kind
        self.firmwareVersions = firmwareVersions
        self.workMemoryProgramBytes = workMemoryProgramBytes
        self.workMemoryDataBytes = workMemoryDataBytes
        self.loadMemory = loadMemory
        self.description = description
    }

    /// True for CPUs: the products that become a PLC device with a program.
    public var isPLC: Bool { kind == .cpu }

    /// The newest firmware offered, nil when none is tracked.
    public var newestFirmware: String? { firmwareVersions.last }
}

/// The hardware catalog s7wb ships, compiled in: the S7-1200, S7-1500 and ET 200SP CPUs and modules and the HMI
/// panels that the projects it opens use. Order numbers and memory figures come from the Siemens data sheets; a
/// figure s7wb is not sure of is left nil.
public enum HardwareCatalog {
    public static let families = ["S7-1200", "S7-1500", "ET 200SP", "HMI Basic Panels", "HMI Comfort Panels"]

    private static let kilobyte = 1024
    private static let megabyte = 1024 * 1024
    private static let s71200Firmware = ["V4.4", "V4.5", "V4.6"]
    private static let s71500Firmware = ["V2.8", "V2.9", "V3.0", "V3.1"]
    private static let memoryCard = "SIMATIC Memory Card, max. 32 GB"

    public static let entries: [HardwareCatalogEntry] = cpus + modules + panels

    private static let cpus: [HardwareCatalogEntry] = [
        // S7-1200 G1, DC/DC/DC: one work memory for code and data.
        s71200("6ES7 211-1AE40-0XB0", "1211C", 50, load: "1 MB integrated", io: "6 DI, 4 DQ, 2 AI"),
        s71200("6ES7 212-1AE40-0XB0", "1212C", 75, load: "2 MB integrated", io: "8 DI, 6 DQ, 2 AI"),
        s71200("6ES7 214-1AG40-0XB0", "1214C", 100, load: "4 MB integrated", io: "14 DI, 10 DQ, 2 AI"),
        s71200(
            "6ES7 215-1AG40-0XB0", "1215C", 125, load: "4 MB integrated", io: "14 DI, 10 DQ, 2 AI, 2 AQ",
            ports: "PROFINET interface with 2 ports"),
        s71200(
            "6ES7 217-1AG40-0XB0", "1217C", 150, load: "4 MB integrated", io: "14 DI, 10 DQ, 2 AI, 2 AQ",
            ports: "PROFINET interface with 2 ports"),
        // S7-1500 standard CPUs.
        s71500(
            "6ES7 511-1AK02-0AB0", "CPU 1511-1 PN", program: 150 * kilobyte, data: 1 * megabyte,
            "CPU for small and medium applications; PROFINET IO interface X1 (2 ports)"),
        s71500(
            "6ES7 513-1AL02-0AB0", "CPU 1513-1 PN", program: 300 * kilobyte, data: 3 * megabyte / 2,
            "CPU for medium applications; PROFINET IO interface X1 (2 ports)"),
        s71500(
            "6ES7 515-2AM02-0AB0", "CPU 1515-2 PN", program: 500 * kilobyte, data: 3 * megabyte,
            "CPU for medium and large applications; PROFINET interfaces X1 (2 ports) and X2"),
        s71500(
            "6ES7 516-3AN02-0AB0", "CPU 1516-3 PN/DP", program: 1 * megabyte, data: 5 * megabyte,
            "CPU for demanding applications; PROFINET interfaces X1 (2 ports) and X2, PROFIBUS DP interface X3"),
        s71500(
            "6ES7 517-3AP00-0AB0", "CPU 1517-3 PN/DP", program: 2 * megabyte, data: 8 * megabyte,
            "CPU for demanding applications; PROFINET interfaces X1 (2 ports) and X2, PROFIBUS DP interface X3"),
        s71500(
            "6ES7 518-4AP00-0AB0", "CPU 1518-4 PN/DP", program: 4 * megabyte, data: 20 * megabyte,
            "CPU for high-end applications; PROFINET interfaces X1 (2 ports), X2 and X3, PROFIBUS DP interface X4"),
        // S7-1500 compact CPUs.
        s71500(
            "6ES7 511-1CK01-0AB0", "CPU 1511C-1 PN", program: 175 * kilobyte, data: 1 * megabyte,
            "Compact CPU with 16 DI, 16 DQ, 5 AI and 2 AQ onboard; PROFINET IO interface X1 (2 ports)"),
        s71500(
            "6ES7 512-1CK01-0AB0", "CPU 1512C-1 PN", program: 250 * kilobyte, data: 1 * megabyte,
            "Compact CPU with 32 DI, 32 DQ, 5 AI and 2 AQ onboard; PROFINET IO interface X1 (2 ports)"),
        // ET 200SP CPUs.
        HardwareCatalogEntry(
            orderNumber: "6ES7 510-1DJ01-0AB0", name: "CPU 1510SP-1 PN", family: "ET 200SP", kind: .cpu,
            firmwareVersions: s71500Firmware, workMemoryProgramBytes: 100 * kilobyte,
            workMemoryDataBytes: 750 * kilobyte, loadMemory: memoryCard,
            description: "ET 200SP CPU for small and medium applications; PROFINET IO interface X1 on a BusAdapter"),
        HardwareCatalogEntry(
            orderNumber: "6ES7 512-1DK01-0AB0", name: "CPU 1512SP-1 PN", family: "ET 200SP", kind: .cpu,
            firmwareVersions: s71500Firmware, workMemoryProgramBytes: 200 * kilobyte,
            workMemoryDataBytes: 1 * megabyte, loadMemory: memoryCard,
            description: "ET 200SP CPU for medium applications; PROFINET IO interface X1 on a BusAdapter"),
    ]

    private static let modules: [HardwareCatalogEntry] = [
        module(
            "6ES7 221-1BH32-0XB0", "SM 1221 DI16 x 24VDC", "S7-1200", "Digital input module: 16 inputs 24 V DC"),
        module(
            "6ES7 222-1BH32-0XB0", "SM 1222 DQ16 x 24VDC", "S7-1200",
            "Digital output module: 16 transistor outputs 24 V DC, 0.5 A"),
        module(
            "6ES7 231-4HD32-0XB0", "SM 1231 AI4 x 13 bit", "S7-1200",
            "Analog input module: 4 inputs, voltage or current, 13 bit"),
        module(
            "6ES7 232-4HB32-0XB0", "SM 1232 AQ2 x 14 bit", "S7-1200",
            "Analog output module: 2 outputs, voltage (14 bit) or current (13 bit)"),
        module(
            "6ES7 241-1CH32-0XB0", "CM 1241 RS422/485", "S7-1200",
            "Communication module: point-to-point link over RS422/RS485 (Freeport, Modbus RTU, USS)", kind: .interface),
        module(
            "6ES7 521-1BL00-0AB0", "DI 32x24VDC HF", "S7-1500",
            "Digital input module: 32 inputs 24 V DC, high feature (channel diagnostics, hardware interrupts)"),
        module(
            "6ES7 522-1BL01-0AB0", "DQ 32x24VDC/0.5A HF", "S7-1500",
            "Digital output module: 32 transistor outputs 24 V DC, 0.5 A, high feature"),
        module(
            "6ES7 531-7KF00-0AB0", "AI 8xU/I/RTD/TC ST", "S7-1500",
            "Analog input module: 8 inputs for voltage, current, resistance thermometers and thermocouples"),
        module(
            "6ES7 532-5HD00-0AB0", "AQ 4xU/I ST", "S7-1500", "Analog output module: 4 outputs, voltage or current"),
        module(
            "6ES7 131-6BF01-0BA0", "DI 8x24VDC ST", "ET 200SP", "Digital input module: 8 inputs 24 V DC, standard"),
        module(
            "6ES7 132-6BF01-0BA0", "DQ 8x24VDC/0.5A ST", "ET 200SP",
            "Digital output module: 8 transistor outputs 24 V DC, 0.5 A, standard"),
        module(
            "6ES7 134-6HD01-0BA1", "AI 4xU/I 2-wire ST", "ET 200SP",
            "Analog input module: 4 inputs, voltage or current (2-wire transducers)"),
        module(
            "6ES7 135-6HD00-0BA1", "AQ 4xU/I ST", "ET 200SP", "Analog output module: 4 outputs, voltage or current"),
        module(
            "6ES7 155-6AU01-0BN0", "IM 155-6 PN ST", "ET 200SP",
            "Interface module: connects an ET 200SP station to PROFINET IO as an IO device", kind: .interface),
    ]

    private static let panels: [HardwareCatalogEntry] = [
        panel("6AV2 123-2DB03-0AX0", "KTP400 Basic", "HMI Basic Panels", "4.3\" touch screen with keys, PROFINET"),
        panel("6AV2 123-2GB03-0AX0", "KTP700 Basic", "HMI Basic Panels", "7\" touch screen with keys, PROFINET"),
        panel("6AV2 123-2JB03-0AX0", "KTP900 Basic", "HMI Basic Panels", "9\" touch screen with keys, PROFINET"),
        panel("6AV2 123-2MB03-0AX0", "KTP1200 Basic", "HMI Basic Panels", "12\" touch screen with keys, PROFINET"),
        panel("6AV2 124-0GC01-0AX0", "TP700 Comfort", "HMI Comfort Panels", "7\" touch screen, PROFINET"),
        panel("6AV2 124-0JC01-0AX0", "TP900 Comfort", "HMI Comfort Panels", "9\" touch screen, PROFINET"),
        panel("6AV2 124-0MC01-0AX0", "TP1200 Comfort", "HMI Comfort Panels", "12\" touch screen, PROFINET"),
    ]

    private static func s71200(
        _ orderNumber: String, _ model: String, _ workKilobytes: Int, load: String, io: String,
        ports: String = "PROFINET interface with 1 port"
    ) -> HardwareCatalogEntry {
        HardwareCatalogEntry(
            orderNumber: orderNumber, name: "CPU \(model) DC/DC/DC", family: "S7-1200", kind: .cpu,
            firmwareVersions: s71200Firmware, workMemoryProgramBytes: workKilobytes * kilobyte, loadMemory: load,
            description: "Compact CPU, 24 V DC supply, transistor outputs; \(io) onboard; \(ports); "
                + "\(workKilobytes) KB work memory for code and data")
    }

    private static func s71500(
        _ orderNumber: String, _ name: String, program: Int, data: Int, _ description: String
    ) -> HardwareCatalogEntry {
        HardwareCatalogEntry(
            orderNumber: orderNumber, name: name, family: "S7-1500", kind: .cpu, firmwareVersions: s71500Firmware,
            workMemoryProgramBytes: program, workMemoryDataBytes: data, loadMemory: memoryCard,
            description: description)
    }

    private static func module(
        _ orderNumber: String, _ name: String, _ family: String, _ description: String,
        kind: HardwareCatalogEntry.Kind = .io
    ) -> HardwareCatalogEntry {
        HardwareCatalogEntry(orderNumber: orderNumber, name: name, family: family, kind: kind, description: description)
    }

    private static func panel(
        _ orderNumber: String, _ name: String, _ family: String, _ description: String
    ) -> HardwareCatalogEntry {
        HardwareCatalogEntry(orderNumber: orderNumber, name: name, family: family, kind: .hmi, description: description)
    }

    // MARK: Lookup

    /// The letters and digits of an order number, upper-cased: `6es7 516-3an02-0ab0` → `6ES75163AN020AB0`.
    public static func orderKey(_ text: String) -> String {
        String(text.uppercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber) })
    }

    private static let byOrderKey: [String: HardwareCatalogEntry] = Dictionary(
        entries.map { (HardwareCatalog.orderKey($0.orderNumber), $0) }, uniquingKeysWith: { first, _ in first })

    /// The entry with exactly this order number; spaces, dashes and case do not matter.
    public static func find(orderNumber: String) -> HardwareCatalogEntry? {
        let key = orderKey(orderNumber)
        return key.isEmpty ? nil : byOrderKey[key]
    }

    // MARK: Slots

    /// How many signal modules an S7-1200 CPU takes on its right (the 1211C none, the 1212C two, the others eight).
    private static let s71200SignalModules: [String: Int] = [
        orderKey("6ES7 211-1AE40-0XB0"): 0, orderKey("6ES7 212-1AE40-0XB0"): 2,
    ]

    /// The catalog's modules that fit a CPU, with the slots TIA Portal numbers for them: the CPU sits in slot 1; on
    /// an S7-1500 rack modules take slots 2…31 (slot 0 is the system power supply); on an S7-1200 signal modules take
    /// slots 2…9 (fewer on the 1211C and 1212C) and communication modules slots 101…103 on the left; on an ET 200SP
    /// CPU I/O modules take slots 2…65. Nothing fits a device that is not a CPU.
    public static func compatibleModules(
        for cpu: HardwareCatalogEntry
    ) -> [(module: HardwareCatalogEntry, slots: ClosedRange<Int>)] {
        guard cpu.kind == .cpu else { return [] }
        var result: [(module: HardwareCatalogEntry, slots: ClosedRange<Int>)] = []
        for module in entries where module.family == cpu.family && module.kind != .cpu && module.kind != .hmi {
            switch (cpu.family, module.kind) {
            case ("S7-1500", .io):
                result.append((module, 2...31))
            case ("S7-1200", .io):
                let count = s71200SignalModules[orderKey(cpu.orderNumber)] ?? 8
                if count > 0 { result.append((module, 2...(1 + count))) }
            case ("S7-1200", .interface):
                result.append((module, 101...103))
            case ("ET 200SP", .io):
                result.append((module, 2...65))
            default:
                break
            }
        }
        return result
    }

    // MARK: Search

    /// Entries matching `text`, best first, with a score from 0 to 1.
    ///
    /// Each word of the query is scored against the entry and the scores averaged: a word of the name (`1516`,
    /// `pn/dp`, `1214c`) or the whole order number counts 1, the start of a name word or a fragment of the order
    /// number (`516-3an`) 0.8, a family word (`1500`) 0.7, a part of the name 0.6, a name or family word one typing
    /// error away (`comfrot`, words of 4 letters or more) 0.5, the start of a word of the description 0.3. A query
    /// that reads as the start of an order number (`6ES7 516`) scores at least 0.9.
    public static func search(_ text: String, limit: Int = 20) -> [(entry: HardwareCatalogEntry, score: Double)] {
        let queryWords = words(of: text)
        guard !queryWords.isEmpty, limit > 0 else { return [] }
        let wholeKey = orderKey(text)
        var scored: [(index: Int, entry: HardwareCatalogEntry, score: Double)] = []
        for (index, entry) in entries.enumerated() {
            let candidate = SearchIndex(entry)
            var total = queryWords.reduce(0.0) { $0 + candidate.score($1) } / Double(queryWords.count)
            if wholeKey.count >= 4, candidate.orderKey.contains(wholeKey) {
                total = max(total, wholeKey == candidate.orderKey ? 1 : 0.9)
            }
            if total >= 0.15 { scored.append((index, entry, total)) }
        }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.index < $1.index }
        return scored.prefix(limit).map { ($0.entry, $0.score) }
    }

    /// Lower-cased words split at white space.
    static func words(of text: String) -> [String] {
        text.lowercased().split(whereSeparator: { $0.isWhitespace }).map(String.init)
    }

    /// A word and, when it has separators, its pieces: `1516-3` → `1516-3`, `1516`, `3`.
    static func pieces(of word: String) -> [String] {
        let parts = word.split(whereSeparator: { "/-,;:()._\"".contains($0) }).map(String.init)
        return parts.count > 1 ? [word] + parts : [word]
    }

    /// True when `a` becomes `b` by at most one insertion, deletion, substitution or swap of neighbours.
    static func withinOneEdit(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        let x = Array(a)
        let y = Array(b)
        if abs(x.count - y.count) > 1 { return false }
        if x.count == y.count {
            let differences = x.indices.filter { x[$0] != y[$0] }
            if differences.count == 1 { return true }
            if differences.count == 2, differences[1] == differences[0] + 1 {
                let i = differences[0]
                return x[i] == y[i + 1] && x[i + 1] == y[i]
            }
            return false
        }
        let (short, long) = x.count < y.count ? (x, y) : (y, x)
        var i = 0
        while i < short.count, short[i] == long[i] { i += 1 }
        return short[i...] == long[(i + 1)...]
    }

    /// What a search compares a query word with, for one entry.
    private struct SearchIndex {
        let nameWords: Set<String>
        let familyWords: Set<String>
        let descriptionWords: [String]
        let name: String
        let orderKey: String

        init(_ entry: HardwareCatalogEntry) {
            nameWords = Set(HardwareCatalog.words(of: entry.name).flatMap { HardwareCatalog.pieces(of: $0) })
            familyWords = Set(HardwareCatalog.words(of: entry.family).flatMap { HardwareCatalog.pieces(of: $0) })
            descriptionWords = HardwareCatalog.words(of: entry.description).flatMap { HardwareCatalog.pieces(of: $0) }
            name = entry.name.lowercased()
            orderKey = HardwareCatalog.orderKey(entry.orderNumber)
        }

        func score(_ word: String) -> Double {
            var best = wordScore(word)
            let parts = HardwareCatalog.pieces(of: word).dropFirst()
            if best < 0.5, !parts.isEmpty {
                best = max(best, 0.9 * parts.reduce(0.0) { $0 + wordScore($1) } / Double(parts.count))
            }
            return best
        }

        private func wordScore(_ word: String) -> Double {
            let key = HardwareCatalog.orderKey(word)
            if !key.isEmpty, key == orderKey { return 1 }
            if nameWords.contains(word) { return 1 }
            var best = 0.0
            if word.count >= 2, nameWords.contains(where: { $0.hasPrefix(word) }) { best = 0.8 }
            if key.count >= 3, orderKey.contains(key) { best = max(best, 0.8) }
            if familyWords.contains(word) { best = max(best, 0.7) }
            if word.count >= 3, name.contains(word) { best = max(best, 0.6) }
            if best < 0.5, word.count >= 4,
                nameWords.union(familyWords).contains(where: {
                    $0.count >= 4 && HardwareCatalog.withinOneEdit(word, $0)
                })
            {
                best = 0.5
            }
            if best < 0.3, word.count >= 3, descriptionWords.contains(where: { $0.hasPrefix(word) }) { best = 0.3 }
            return best
        }
    }
}
