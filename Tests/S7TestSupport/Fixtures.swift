public import Foundation

/// Where the tests find the shared real-world corpus and the repository's sample projects.
public enum Fixtures {
    /// The repository root: the nearest folder above this file holding `Package.swift`, or `S7WB_REPO`.
    public static let repositoryRoot: String = {
        if let root = ProcessInfo.processInfo.environment["S7WB_REPO"] { return root }
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url.path
            }
            url.deleteLastPathComponent()
        }
        return FileManager.default.currentDirectoryPath
    }()

    /// `../shared/corpus` beside the repository, or `S7WB_SHARED/corpus`.
    public static let corpus: String = {
        let shared = ProcessInfo.processInfo.environment["S7WB_SHARED"] ?? repositoryRoot + "/../shared"
        return URL(fileURLWithPath: shared + "/corpus").standardizedFileURL.path
    }()

    public static var corpusAvailable: Bool { FileManager.default.fileExists(atPath: corpus) }

    /// Every project root of the corpus: folders that hold a device folder directly or one level down.
    public static var corpusProjects: [String] {
        [corpus + "/ikea_vyatka_sorting"]
            + ["SimaticML", "SimaticML_synthetic", "SimaticSD", "SimaticSD_s7dcl", "SimaticSD_s7res"].map {
                corpus + "/simaticml-decoder/tests/fixtures/" + $0
            }
    }

    public static func sampleProject(_ name: String) -> String { repositoryRoot + "/sample-projects/" + name }

    /// All files below `root` with one of the endings, as paths relative to `root`.
    public static func files(below root: String, endings: Set<String>) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: root)
        var result: [String] = []
        while let path = enumerator?.nextObject() as? String {
            if endings.contains((path as NSString).pathExtension.lowercased()) { result.append(path) }
        }
        return result.sorted()
    }

    /// A fresh copy of a folder in a temporary directory, without s7wb's own `.s7wb` state; the caller removes it.
    public static func temporaryCopy(of folder: String) throws -> String {
        let target = NSTemporaryDirectory() + "s7wb-test-\(UUID().uuidString)"
        try FileManager.default.copyItem(atPath: folder, toPath: target)
        try? FileManager.default.removeItem(atPath: target + "/.s7wb")
        // Copies of the read-only corpus must be writable to test saving.
        let enumerator = FileManager.default.enumerator(atPath: target)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: target)
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: target + "/" + path, isDirectory: &isDirectory)
            try FileManager.default.setAttributes(
                [.posixPermissions: isDirectory.boolValue ? 0o755 : 0o644], ofItemAtPath: target + "/" + path)
        }
        return target
    }

    /// Byte contents and modification dates of every file below `root` (except s7wb's own `.s7wb` state).
    public static func fingerprint(_ root: String) -> [String: (Data, Date)] {
        var result: [String: (Data, Date)] = [:]
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let path = enumerator?.nextObject() as? String {
            if path.hasPrefix(".s7wb") { continue }
            let full = root + "/" + path
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory)
            if isDirectory.boolValue { continue }
            let date = (try? FileManager.default.attributesOfItem(atPath: full)[.modificationDate] as? Date) ?? nil
            result[path] = (FileManager.default.contents(atPath: full) ?? Data(), date ?? Date.distantPast)
        }
        return result
    }
}

extension Fixtures {
    /// One row of `../shared/reference/t-ia-connect-endpoints.tsv`.
    public struct ReferenceEndpoint: Hashable, Sendable {
        public var group: String
        public var method: String
        /// The path without a query template (`/api/docs/search?q={query}` → `/api/docs/search`).
        public var path: String
        public var summary: String
    }

    /// The T-IA Connect endpoints the REST API must cover, from the shared reference.
    public static var referenceEndpoints: [ReferenceEndpoint] {
        let shared = URL(fileURLWithPath: corpus).deletingLastPathComponent().path
        guard let text = try? String(contentsOfFile: shared + "/reference/t-ia-connect-endpoints.tsv", encoding: .utf8)
        else { return [] }
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 4 else { return nil }
            let path = fields[2].split(separator: "?").first.map(String.init) ?? fields[2]
            return ReferenceEndpoint(group: fields[0], method: fields[1], path: path, summary: fields[3])
        }
    }
}

/// A small deterministic generator (SplitMix64) so that fuzz runs repeat exactly; also usable with the standard
/// library's `random(in:using:)`.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0..<bound`.
    public mutating func next(below bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }
}
