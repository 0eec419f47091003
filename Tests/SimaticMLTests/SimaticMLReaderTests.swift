import Foundation
import S7Model
import S7TestSupport
import SimaticML
import Testing

@Suite struct SimaticMLReaderTests {
    func read(_ relative: String) throws -> SimaticMLObject {
        let path = Fixtures.corpus + "/" + relative
        let bytes = try #require(FileManager.default.contents(atPath: path))
        return try SimaticMLReader.read(bytes: Array(bytes), file: SourceFileRef(path: relative, format: .simaticML))
    }

    @Test(.enabled(if: Fixtures.corpusAvailable))
    func readsAnInstanceDBWithAMultiInstanceTimer() throws {
        guard case .block(let block) = try read("ikea_vyatka_sorting/PLC_1/PLC_1/Program blocks/Counter_1_DB.xml")
        else { Issue.record("not a block"); return }
        #expect(block.kind == .instanceDB)
        #expect(block.number == 16)
        #expect(block.instanceOf == "Counter_1")
        #expect(block.engineeringVersion == "V16")
        let timer = try #require(block.interface.section(.static)?.members.first)
        #expect(timer.name == "SW_GATE_timer")
        #expect(timer.dataType == "TON")
        #expect(timer.version == "1.0")
        #expect(timer.remanence == "Retain")
        #expect(timer.attributes["ExternalAccessible"] == "true")
        #expect(timer.sections.map(\.kind) == [.input, .output, .inOut, .static])
        #expect(timer.sections.first?.members.map(\.name) == ["IN", "PT"])
    }

    @Test(.enabled(if: Fixtures.corpusAvailable))
    func readsALadderFBWithItsNetworksVerbatim() throws {
        let relative = "ikea_vyatka_sorting/PLC_1/PLC_1/Program blocks/Сортировка.xml"
        guard case .block(let block) = try read(relative) else { Issue.record("not a block"); return }
        #expect(block.kind == .functionBlock)
        #expect(block.name == "Сортировка")
        #expect(block.number == 9)
        #expect(block.language == .lad)
        #expect(block.comment.text() == "Логика работы ПФМ")
        #expect(block.networks.count == 64)
        let network = try #require(block.networks.first)
        #expect(
            network.sourceXML.hasPrefix(
                "<FlgNet xmlns=\"http://www.siemens.com/automation/Openness/SW/NetworkSource/FlgNet/v4\">"))
        #expect(network.sourceXML.hasSuffix("</FlgNet>"))
        let text = String(
            decoding: FileManager.default.contents(atPath: Fixtures.corpus + "/" + relative)!, as: UTF8.self)
        #expect(text.contains(network.sourceXML))
    }

    @Test(.enabled(if: Fixtures.corpusAvailable))
    func readsATagTableWithCyrillicNamesAndComments() throws {
        guard
            case .tagTable(let table) = try read(
                "ikea_vyatka_sorting/PLC_1/PLC_1/PLC tags/Стандартная таблица переменных.xml")
        else { Issue.record("not a tag table"); return }
        #expect(table.name == "Стандартная таблица переменных")
        let first = try #require(table.tags.first)
        #expect(first.name == "K1-112 2L1")
        #expect(first.dataType == "Bool")
        #expect(first.address == "%I0.0")
        #expect(first.comment.text(preferring: "ru-RU") == "Реле безопастности К10 ОСНОВНАЯ напряжение управления")
        #expect(table.tags.count > 500)
    }

    @Test(.enabled(if: Fixtures.corpusAvailable))
    func readsAV21OrganizationBlockAndDataType() throws {
        let base = "simaticml-decoder/tests/fixtures/SimaticML/"
        guard case .block(let main) = try read(base + "PLC_1/Program blocks/Main.xml") else {
            Issue.record("not a block")
            return
        }
        #expect(main.kind == .organizationBlock)
        #expect(main.number == 1)
        #expect(main.attributes["SecondaryType"] == "ProgramCycle")
        #expect(main.interface.section(.input)?.members.map(\.name).contains("Initial_Call") == true)
        guard case .dataType(let type) = try read(base + "PLC_1/PLC data types/UDT_Settings.xml") else {
            Issue.record("not a data type")
            return
        }
        #expect(type.name == "UDT_Settings")
        #expect(!type.members.isEmpty)
    }

    @Test func readsWatchAndForceTables() throws {
        let xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <Document><Engineering version="V17" />
            <SW.WatchAndForceTables.PlcForceTable ID="0"><AttributeList><Name>Commissioning</Name></AttributeList>
            <ObjectList><SW.WatchAndForceTables.PlcForceTableEntry ID="1" CompositionName="Entries"><AttributeList>
            <DisplayFormat>Bool</DisplayFormat><ForceIntention>true</ForceIntention><ForceValue>TRUE</ForceValue>
            <Name>"Conveyor_Run"</Name></AttributeList></SW.WatchAndForceTables.PlcForceTableEntry>
            <SW.WatchAndForceTables.PlcTableCommentEntry ID="2" CompositionName="Entries"><ObjectList>
            <MultilingualText ID="3" CompositionName="Comment"><ObjectList><MultilingualTextItem ID="4"
            CompositionName="Items"><AttributeList><Culture>en-US</Culture><Text>Drives</Text></AttributeList>
            </MultilingualTextItem></ObjectList></MultilingualText></ObjectList></SW.WatchAndForceTables.PlcTableCommentEntry>
            </ObjectList>
            </SW.WatchAndForceTables.PlcForceTable></Document>
            """
        guard
            case .watchTable(let table) = try SimaticMLReader.read(
                bytes: Array(xml.utf8), file: SourceFileRef(path: "t.xml", format: .simaticML))
        else { Issue.record("not a table"); return }
        #expect(table.kind == .force)
        #expect(table.name == "Commissioning")
        #expect(
            table.entries == [
                WatchEntry(
                    operand: "\"Conveyor_Run\"", displayFormat: "Bool", forceValue: "TRUE", forceIntention: true),
                .commentRow("Drives"),
            ])
    }

    @Test func rejectsDocumentsThatAreNotTIAExports() {
        let cases: [(String, String)] = [
            ("<html/>", "not a SimaticML document: the root element is <html>"),
            (
                "<Document><Engineering version=\"V17\"/></Document>",
                "the document holds no TIA Portal object (no <SW.…> element)"
            ),
            ("<Document><SW.Blocks.FB><AttributeList/></SW.Blocks.FB></Document>", "1:11: the block has no <Name>"),
            ("<Document><SW.Foo/></Document>", "unsupported SimaticML object <SW.Foo>"),
        ]
        for (xml, message) in cases {
            do {
                _ = try SimaticMLReader.read(
                    bytes: Array(xml.utf8), file: SourceFileRef(path: "x.xml", format: .simaticML))
                Issue.record("accepted \(xml)")
            } catch {
                #expect(error.description == message)
            }
        }
    }
}

@Suite struct WatchTableKindTests {
    @Test func aWatchTableIsNotAForceTable() throws {
        let xml = """
            <Document><SW.WatchAndForceTables.PlcWatchTable ID="0"><AttributeList><Name>W</Name></AttributeList>
            <ObjectList /></SW.WatchAndForceTables.PlcWatchTable></Document>
            """
        guard
            case .watchTable(let table) = try SimaticMLReader.read(
                bytes: Array(xml.utf8), file: SourceFileRef(path: "w.xml", format: .simaticML))
        else { Issue.record("not a table"); return }
        #expect(table.kind == .watch)
    }
}
