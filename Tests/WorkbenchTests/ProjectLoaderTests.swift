import Foundation
import S7Model
import S7TestSupport
import SimaticML
import Testing

@Suite struct ProjectLoaderTests {
    /// Every S7 file of the corpus is either part of the opened project or reported with a reason.
    @Test(.enabled(if: Fixtures.corpusAvailable), arguments: Fixtures.corpusProjects)
    func everyCorpusFileIsOpenedOrReported(root: String) throws {
        let project = try ProjectLoader.load(at: root)
        var opened = Set<String>()
        for device in project.devices {
            device.blocks.forEach { opened.insert($0.file.path) }
            device.tagTables.forEach { opened.insert($0.file.path) }
            device.dataTypes.forEach { opened.insert($0.file.path) }
            device.watchTables.forEach { opened.insert($0.file.path) }
        }
        project.library.blocks.forEach { opened.insert($0.file.path) }
        project.library.dataTypes.forEach { opened.insert($0.file.path) }
        let reported = Set(project.problems.map(\.path))
        let files = Fixtures.files(below: root, endings: VCILayout.s7Extensions)
        #expect(!files.isEmpty)
        for file in files {
            #expect(opened.contains(file) || reported.contains(file), "\(file) was neither opened nor reported")
        }
        // Real TIA exports must not fail to parse: the only accepted reasons are formats not read yet and files
        // outside device folders.
        for problem in project.problems {
            let accepted =
                problem.reason.contains("not read yet") || problem.reason.contains("outside any device folder")
                || problem.reason.contains("is also defined in") || problem.reason.contains("best-effort")
                || problem.reason.contains("only comments")
            #expect(accepted, "\(problem)")
        }
    }

    @Test(.enabled(if: Fixtures.corpusAvailable))
    func opensTheIkeaProjectWithNestedDeviceFolderMerged() throws {
        let project = try ProjectLoader.load(at: Fixtures.corpus + "/ikea_vyatka_sorting")
        #expect(project.devices.map(\.name) == ["PLC_1"])
        let device = try #require(project.devices.first)
        #expect(device.block(named: "Main")?.number == 1)
        #expect(device.block(named: "Сортировка")?.language == .lad)
        #expect(device.tagTables.count == 2)
        #expect(device.dataTypes.map(\.name).sorted() == ["PlankOnChain", "ServIM"])
        #expect(device.blocks.filter { $0.file.format == .simaticML }.count == 46)
    }

    @Test(.enabled(if: Fixtures.corpusAvailable))
    func readsTheProjectLibraryAndGroups() throws {
        let project = try ProjectLoader.load(at: Fixtures.corpus + "/simaticml-decoder/tests/fixtures/SimaticML")
        #expect(project.library.blocks.map(\.name).sorted() == ["AnalogInput", "deviceState"])
        #expect(project.library.dataTypes.map(\.name).sorted() == ["AnalogInputSettings", "UDT_Device"])
        let device = try #require(project.devices.first)
        #expect(device.block(named: "Inputs_FB")?.group == ["100_Inputs"])
        #expect(device.dataType(named: "UDT_WORK_CNT")?.group == ["HMI_COUNTERS_UDTs"])
        #expect(device.tagTables.count == 4)
    }

    @Test func reportsABrokenFileWithItsLocationAndOpensTheRest() throws {
        let root = NSTemporaryDirectory() + "s7wb-broken-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let tags = root + "/PLC_1/PLC tags"
        try FileManager.default.createDirectory(atPath: tags, withIntermediateDirectories: true)
        try "<Document>\n<SW.Tags.PlcTagTable>\n  <AttributeList><Name>Bad</Name>\n</Document>"
            .write(toFile: tags + "/Bad.xml", atomically: true, encoding: .utf8)
        try """
        <Document><Engineering version="V17" /><SW.Tags.PlcTagTable ID="0"><AttributeList><Name>Good</Name>
        </AttributeList><ObjectList><SW.Tags.PlcTag ID="1" CompositionName="Tags"><AttributeList>
        <DataTypeName>Bool</DataTypeName><LogicalAddress>%I0.0</LogicalAddress><Name>Start</Name>
        </AttributeList></SW.Tags.PlcTag></ObjectList></SW.Tags.PlcTagTable></Document>
        """.write(toFile: tags + "/Good.xml", atomically: true, encoding: .utf8)
        try "{ not json".write(toFile: root + "/s7project.json", atomically: true, encoding: .utf8)
        let project = try ProjectLoader.load(at: root)
        #expect(project.devices.first?.tagTables.map(\.name) == ["Good"])
        #expect(project.devices.first?.tagTables.first?.tags.first?.address == "%I0.0")
        let bad = try #require(project.problems.first { $0.path == "PLC_1/PLC tags/Bad.xml" })
        #expect(bad.line == 4)
        #expect(bad.column == 1)
        #expect(bad.reason == "expected </AttributeList> but found </Document>")
        #expect(project.problems.contains { $0.path == "s7project.json" && $0.reason.hasPrefix("invalid manifest") })
    }

    @Test func refusesAMissingFolder() {
        #expect(throws: ProjectLoader.OpenError.self) { try ProjectLoader.load(at: "/nonexistent/s7wb") }
    }
}
