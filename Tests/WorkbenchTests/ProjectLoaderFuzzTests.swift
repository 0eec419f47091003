import Foundation
import S7Model
import S7TestSupport
import SimaticML
import Testing

@Suite struct ProjectLoaderFuzzTests {
    /// Mutated copies of real exports in every VCI folder: the loader never traps, and every file is either part
    /// of the project or reported with a reason.
    @Test(.enabled(if: Fixtures.corpusAvailable))
    func mutatedFilesAreOpenedOrReported() throws {
        let sources = [
            "ikea_vyatka_sorting/PLC_1/PLC_1/Program blocks/Counter_1_DB.xml",
            "ikea_vyatka_sorting/PLC_1/PLC_1/PLC data types/ServIM.xml",
            "simaticml-decoder/tests/fixtures/SimaticML/PLC_1/PLC tags/Inputs.xml",
            "ikea_vyatka_sorting/PLC_1/PLC_1/Program blocks/Adder.scl",
        ].compactMap { FileManager.default.contents(atPath: Fixtures.corpus + "/" + $0).map(Array.init) }
        let folders = ["Program blocks", "PLC data types", "PLC tags", "Watch and force tables"]
        var random = SeededRandom(seed: 42)
        for round in 0..<12 {
            let root = NSTemporaryDirectory() + "s7wb-fuzz-\(round)-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: root) }
            var written: [String] = []
            for index in 0..<16 {
                var bytes = sources[Int(random.next() % UInt64(sources.count))]
                for _ in 0..<Int(random.next() % 6) {
                    let position = Int(random.next() % UInt64(bytes.count))
                    switch random.next() % 3 {
                    case 0: bytes.remove(at: position)
                    case 1: bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: position)
                    default: bytes[position] = UInt8(truncatingIfNeeded: random.next())
                    }
                }
                let folder = folders[Int(random.next() % UInt64(folders.count))]
                let ending = ["xml", "scl", "db", "udt", "s7dcl"][Int(random.next() % 5)]
                let path = "PLC_1/\(folder)/g\(index % 3)/f\(index).\(ending)"
                try FileManager.default.createDirectory(
                    atPath: root + "/" + (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true
                )
                _ = FileManager.default.createFile(atPath: root + "/" + path, contents: Data(bytes))
                written.append(path)
            }
            let project = try ProjectLoader.load(at: root)
            let device = try #require(project.devices.first)
            let opened = Set(
                device.blocks.map(\.file.path) + device.tagTables.map(\.file.path) + device.dataTypes.map(\.file.path)
                    + device.watchTables.map(\.file.path))
            let reported = Set(project.problems.map(\.path))
            for path in written {
                #expect(opened.contains(path) || reported.contains(path), "\(path) vanished")
            }
        }
    }
}
