import Foundation
import S7Model
import S7TestSupport
import SimaticML
import Testing

/// Every SimaticML document of the corpus (blocks, PLC data types, tag tables, watch tables) read, written and read
/// again: the model comes back equal, and the written document is the original one as an XML tree.
@Suite struct SimaticMLRoundTripTests {
    /// Paths below the corpus of every `.xml` file holding an object the writer writes, sorted.
    static let corpusFiles: [String] = {
        guard Fixtures.corpusAvailable else { return [] }
        let kinds = ["<SW.Blocks.", "<SW.Types.PlcStruct", "<SW.Tags.PlcTagTable", "<SW.WatchAndForceTables."]
        return Fixtures.files(below: Fixtures.corpus, endings: ["xml"]).filter { relative in
            guard let data = FileManager.default.contents(atPath: Fixtures.corpus + "/" + relative) else {
                return false
            }
            let text = String(decoding: data, as: UTF8.self)
            return kinds.contains { text.contains($0) }
        }
    }()

    /// Documents whose written tree differs from the original for a reason that is not the writer's, with the reason.
    static let knownDifferences: [String: String] = [
        "simaticml-decoder/tests/fixtures/SimaticML_synthetic/NonV21/MissingVersion_FB.xml":
            "a synthetic document without <Engineering>: a written document always names its version"
    ]

    static func read(_ bytes: [UInt8], path: String) throws -> SimaticMLObject {
        try SimaticMLReader.read(bytes: bytes, file: SourceFileRef(path: path, format: .simaticML))
    }

    static func write(_ object: SimaticMLObject, engineeringVersion: String? = nil) -> [UInt8] {
        switch object {
        case .block(let block): SimaticMLWriter.block(block, engineeringVersion: engineeringVersion)
        case .dataType(let type): SimaticMLWriter.dataType(type, engineeringVersion: engineeringVersion)
        case .tagTable(let table): SimaticMLWriter.tagTable(table)
        case .watchTable(let table): SimaticMLWriter.watchTable(table)
        }
    }

    /// The object with `SimaticMLWriter.defaultEngineeringVersion` when it names no version.
    static func withVersion(_ object: SimaticMLObject) -> SimaticMLObject {
        let version = SimaticMLWriter.defaultEngineeringVersion
        switch object {
        case .block(var block):
            block.engineeringVersion = block.engineeringVersion ?? version
            return .block(block)
        case .dataType(var type):
            type.engineeringVersion = type.engineeringVersion ?? version
            return .dataType(type)
        case .tagTable(var table):
            table.engineeringVersion = table.engineeringVersion ?? version
            return .tagTable(table)
        case .watchTable(var table):
            table.engineeringVersion = table.engineeringVersion ?? version
            return .watchTable(table)
        }
    }

    static func contents(_ relative: String) throws -> [UInt8] {
        Array(try #require(FileManager.default.contents(atPath: Fixtures.corpus + "/" + relative)))
    }

    @Test(.enabled(if: Fixtures.corpusAvailable))
    func findsEveryKindOfObjectInTheCorpus() {
        #expect(Self.corpusFiles.count >= 90)
        for folder in ["Program blocks", "PLC data types", "PLC tags"] {
            #expect(Self.corpusFiles.contains { $0.contains("/\(folder)/") }, "\(folder)")
        }
    }

    /// read(write(read(file))) == read(file), and writing that again gives the same bytes. A document that names
    /// no engineering version comes back with the one it was written for.
    @Test(arguments: corpusFiles)
    func readsBackToAnEqualModel(relative: String) throws {
        let original = try Self.read(Self.contents(relative), path: relative)
        let written = Self.write(original)
        let again = try Self.read(written, path: relative)
        #expect(again == Self.withVersion(original), "\(relative)")
        #expect(Self.write(again) == written, "\(relative)")
    }

    /// write(read(file)) in the file's own engineering version is the file as a tree: the same elements in the same
    /// order, the same attributes (in any order), the same text less surrounding white space. Left out of the
    /// comparison is only `DocumentInfo`, the informative block of export metadata (creation time, installed
    /// products) that TIA writes and ignores on import.
    @Test(arguments: corpusFiles)
    func writesTheDocumentItWasReadFrom(relative: String) throws {
        let bytes = try Self.contents(relative)
        let written = Self.write(try Self.read(bytes, path: relative))
        let expected = try XMLParser.parse(bytes).root
        let actual = try XMLParser.parse(written).root
        let difference = XMLTreeDifference.first(expected: expected, actual: actual, ignoring: ["DocumentInfo"])
        if let reason = Self.knownDifferences[relative] {
            #expect(difference != nil, "\(relative) is listed as differing (\(reason)) but no longer does")
        } else if let difference {
            Issue.record("\(relative): \(difference)")
        }
    }

    /// TIA's own exports (they start with a byte order mark; the synthetic ones do not) come out byte for byte,
    /// less `DocumentInfo`: the layout of each TIA version is kept too (V16 writes interfaces from the left margin).
    @Test(arguments: corpusFiles)
    func writesATIAExportByteForByte(relative: String) throws {
        let bytes = try Self.contents(relative)
        guard bytes.starts(with: [0xEF, 0xBB, 0xBF]) else { return }
        var expected: [Substring] = []
        var inDocumentInfo = false
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("<DocumentInfo>") { inDocumentInfo = true }
            if !inDocumentInfo { expected.append(line) }
            if trimmed.hasPrefix("</DocumentInfo>") { inDocumentInfo = false }
        }
        let written = Self.write(try Self.read(bytes, path: relative))
        let lines = String(decoding: written, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        if let index = zip(lines, expected).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
            Issue.record("\(relative): line \(index + 1) is `\(lines[index])`, TIA wrote `\(expected[index])`")
        } else {
            #expect(lines.count == expected.count, "\(relative)")
        }
    }

    @Test func theTreeComparisonSaysWhereDocumentsDiffer() throws {
        let original = try XMLParser.parse(
            "<D><Info><x/></Info><A n='1' m='2'> text <B/><B k='v'/></A></D>"
        ).root
        func difference(_ text: String) throws -> String? {
            XMLTreeDifference.first(expected: original, actual: try XMLParser.parse(text).root, ignoring: ["Info"])
        }
        #expect(try difference("<D><A m='2' n='1'>text<B/><B k='v'/></A></D>") == nil)
        #expect(
            try difference("<D><A m='2' n='1'>text<B/><B k='w'/></A></D>")
                == "/D/A[1]/B[2]: attribute k is 'w', expected 'v'")
        #expect(try difference("<D><A m='2' n='1'>text<B/></A></D>") == "/D/A[1]/B[2]: missing")
        #expect(
            try difference("<D><A m='2' n='1'>text 2<B/><B k='v'/></A></D>")
                == "/D/A[1]: text 'text 2', expected 'text'")
        #expect(try difference("<D><A m='2' n='1'>text<B/><B k='v'/><C/></A></D>") == "/D/A[1]: extra <C>")
    }

    // MARK: Engineering versions

    static let ladderBlock = "ikea_vyatka_sorting/PLC_1/PLC_1/Program blocks/Counter_1.xml"
    static let sclNetworkBlock =
        "simaticml-decoder/tests/fixtures/SimaticML/PLC_1/Program blocks/200_Alarms/AlarmsContainer.xml"

    static func block(_ relative: String) throws -> Block {
        guard case .block(let block) = try read(contents(relative), path: relative) else {
            throw SimaticMLError(message: "\(relative) holds no block")
        }
        return block
    }

    /// The namespace of the root element of every network source and of the interface, in document order.
    static func namespaces(_ bytes: [UInt8]) throws -> [String] {
        var result: [String] = []
        func visit(_ element: XMLElement) {
            if element.localName == "Sections", let namespace = element[attribute: "xmlns"] { result.append(namespace) }
            if element.localName == "NetworkSource", let root = element.elements.first {
                result.append(root[attribute: "xmlns"] ?? "")
                return
            }
            for child in element.elements { visit(child) }
        }
        visit(try XMLParser.parse(bytes).root)
        return result
    }

    @Test(.enabled(if: Fixtures.corpusAvailable))
    func writesTheNamespacesOfTheChosenVersion() throws {
        let prefix = "http://www.siemens.com/automation/Openness/SW/"
        let block = try Self.block(Self.ladderBlock)
        #expect(block.engineeringVersion == "V16")
        let own = try Self.namespaces(SimaticMLWriter.block(block))
        #expect(Set(own) == [prefix + "Interface/v4", prefix + "NetworkSource/FlgNet/v4"])

        let v17 = SimaticMLWriter.block(block, engineeringVersion: "V17")
        #expect(String(decoding: v17, as: UTF8.self).contains(#"<Engineering version="V17" />"#))
        #expect(
            try Self.namespaces(v17) == [prefix + "Interface/v5"]
                + block.networks.map { _ in prefix + "NetworkSource/FlgNet/v4" })

        let v19 = SimaticMLWriter.block(block, engineeringVersion: "V19")
        #expect(String(decoding: v19, as: UTF8.self).contains(#"<Engineering version="V19" />"#))
        #expect(
            try Self.namespaces(v19) == [prefix + "Interface/v5"]
                + block.networks.map { _ in prefix + "NetworkSource/FlgNet/v5" })

        // Only the namespace changed: the network sources read back equal to the originals with it replaced.
        guard case .block(let read19) = try Self.read(v19, path: Self.ladderBlock) else { return }
        #expect(read19.engineeringVersion == "V19")
        #expect(read19.networks.count == block.networks.count)
        for (written, original) in zip(read19.networks, block.networks) {
            #expect(
                written.sourceXML
                    == original.sourceXML.replacingOccurrences(of: "FlgNet/v4\"", with: "FlgNet/v5\""))
        }
    }

    @Test(.enabled(if: Fixtures.corpusAvailable))
    func writesAnSCLNetworkForAnOlderVersion() throws {
        let prefix = "http://www.siemens.com/automation/Openness/SW/NetworkSource/"
        let block = try Self.block(Self.sclNetworkBlock)
        #expect(block.engineeringVersion == "V21")
        let namespaces = try Self.namespaces(SimaticMLWriter.block(block))
        #expect(namespaces.contains(prefix + "StructuredText/v4"))
        let v17 = try Self.namespaces(SimaticMLWriter.block(block, engineeringVersion: "V17"))
        #expect(v17.contains(prefix + "StructuredText/v3"))
        #expect(!v17.contains(prefix + "StructuredText/v4"))
        #expect(v17.contains(prefix + "FlgNet/v4"))
    }

    @Test func knowsTheNamespacesOfEveryVersion() {
        let table: [(String, Int, Int, Int)] = [
            ("V15", 3, 2, 1), ("V15 SP1", 3, 3, 2), ("V15.1", 3, 3, 2), ("V16", 4, 4, 3), ("V17", 5, 4, 3),
            ("V18", 5, 4, 3), ("V19", 5, 5, 4), ("V20", 5, 5, 4), ("V21", 5, 5, 4), ("V14", 3, 2, 1),
            ("V22", 5, 5, 4),
        ]
        for (version, interface, flgNet, structuredText) in table {
            #expect(OpennessNamespace.interface.schemaVersion(for: version) == interface, "\(version)")
            #expect(OpennessNamespace.flgNet.schemaVersion(for: version) == flgNet, "\(version)")
            #expect(OpennessNamespace.structuredText.schemaVersion(for: version) == structuredText, "\(version)")
        }
        #expect(
            OpennessNamespace.parse("http://www.siemens.com/automation/Openness/SW/NetworkSource/FlgNet/v4")
                .map { "\($0.part) \($0.schemaVersion)" } == "flgNet 4")
        #expect(OpennessNamespace.parse("http://www.siemens.com/automation/Openness/SW/NetworkSource/Graph/v6") == nil)
    }

    // MARK: What TIA's exports do not show

    /// A hand-written document with what the corpus lacks: header attributes out of alphabetical order and one
    /// holding markup, object IDs of its own, sub-element start values and comments, a member's accessibility,
    /// an integer attribute, a network language the model has no case for.
    static let handWritten = """
        <?xml version="1.0" encoding="utf-8"?>
        <Document>
          <Engineering version="V18" />
          <SW.Blocks.GlobalDB ID="10">
            <AttributeList>
              <Name>Recipes</Name>
              <Interface><Sections xmlns="http://www.siemens.com/automation/Openness/SW/Interface/v5">
          <Section Name="Static">
            <Member Name="speeds" Datatype="Array[0..10] of Int" Accessibility="Public" Informative="true">
              <AttributeList>
                <IntegerAttribute Name="Limit">7</IntegerAttribute>
                <BooleanAttribute Name="ExternalWritable">false</BooleanAttribute>
              </AttributeList>
              <Subelement Path="10"><StartValue>3</StartValue></Subelement>
              <Subelement Path="2">
                <StartValue Informative="true">1</StartValue>
                <Comment><MultiLanguageText Lang="de-DE">zwei</MultiLanguageText></Comment>
              </Subelement>
              <Subelement Path="4">
                <Comment><MultiLanguageText Lang="en-US">four</MultiLanguageText></Comment>
              </Subelement>
            </Member>
          </Section>
        </Sections></Interface>
              <UDABlockProperties><Property Name="a">b</Property></UDABlockProperties>
              <Number>7</Number>
              <ProgrammingLanguage>DB</ProgrammingLanguage>
            </AttributeList>
            <ObjectList>
              <MultilingualText ID="A0" CompositionName="Comment">
                <ObjectList>
                  <MultilingualTextItem ID="A1" CompositionName="Items">
                    <AttributeList>
                      <Culture>de-DE</Culture>
                      <Text>Rezepte</Text>
                    </AttributeList>
                  </MultilingualTextItem>
                </ObjectList>
              </MultilingualText>
            </ObjectList>
          </SW.Blocks.GlobalDB>
        </Document>
        """

    @Test func keepsWhatTheModelDoesNotSayInAHandWrittenDocument() throws {
        let bytes = Array(Self.handWritten.utf8)
        let object = try Self.read(bytes, path: "Recipes.xml")
        guard case .block(let block) = object else {
            Issue.record("not a block")
            return
        }
        #expect(block.markup?.objectIDs == ["10", "A0", "A1"])
        #expect(
            block.markup?.attributeOrder == [
                "Name", "Interface", "UDABlockProperties", "Number", "ProgrammingLanguage",
            ])
        #expect(block.markup?.markupAttributes?["UDABlockProperties"] == #"<Property Name="a">b</Property>"#)
        let member = try #require(block.interface.section(.static)?.members.first)
        #expect(member.subelementStartValues == ["10": "3", "2": "1"])
        #expect(member.markup?.subelements.map(\.path) == ["10", "2", "4"])
        #expect(member.markup?.attributes.map(\.kind) == ["IntegerAttribute", "BooleanAttribute"])

        let written = Self.write(object)
        let difference = XMLTreeDifference.first(
            expected: try XMLParser.parse(bytes).root, actual: try XMLParser.parse(written).root, ignoring: [])
        #expect(difference == nil)
        #expect(try Self.read(written, path: "Recipes.xml") == object)

        // A member added since keeps the document valid: IDs are counted anew when the objects no longer match.
        var edited = block
        edited.comment = MultilingualText()
        let counted = String(decoding: SimaticMLWriter.block(edited), as: UTF8.self)
        #expect(counted.contains(#"<SW.Blocks.GlobalDB ID="0">"#))
    }

    @Test func keepsANetworkLanguageTheModelHasNoCaseFor() throws {
        let network = Network(
            language: .unknown, title: MultilingualText("t"), comment: MultilingualText(), sourceXML: "",
            languageText: "LAD_IEC")
        let block = Block(name: "B", kind: .function, number: 1, language: .lad, file: Self.file, networks: [network])
        guard case .block(let again) = try Self.read(SimaticMLWriter.block(block), path: Self.file.path) else {
            Issue.record("not a block")
            return
        }
        #expect(again.networks == [network])
    }

    // MARK: Bad input

    static let file = SourceFileRef(path: "PLC_1/Program blocks/Written.xml", format: .simaticML)

    @Test func aNetworkSourceThatIsNoXMLIsWrittenAsText() throws {
        let sources = [
            "not XML & <certainly> not",
            "<FlgNet xmlns=\"x\"><Parts></FlgNet>",
            "<FlgNet>&unknown;</FlgNet>",
            "</FlgNet>",
            "\u{1}<<>>",
        ]
        for source in sources {
            let block = Block(
                name: "Broken", kind: .function, number: 3, language: .lad, file: Self.file,
                networks: [
                    Network(language: .lad, title: MultilingualText(), comment: MultilingualText(), sourceXML: source)
                ],
                engineeringVersion: "V18")
            let written = SimaticMLWriter.block(block)
            let document = try XMLParser.parse(written)
            let networkSource = try #require(
                document.root.first(
                    path: "SW.Blocks.FC", "ObjectList", "SW.Blocks.CompileUnit", "AttributeList", "NetworkSource"))
            #expect(networkSource.elements.isEmpty, "\(source)")
            #expect(networkSource.text == source, "\(source)")
            // The block reads back; its network source is now the escaped text.
            guard case .block(let again) = try SimaticMLReader.read(bytes: written, file: Self.file) else {
                Issue.record("not a block")
                continue
            }
            #expect(again.networks.count == 1)
            #expect(again.name == "Broken")
        }
    }

    @Test func wellFormedContentIsWrittenAsItIs() throws {
        let sources = ["", "<A/><B x='1'>t</B>", "  <FlgNet xmlns=\"urn:other\">\n<Parts />\n</FlgNet>\n  "]
        for source in sources {
            let block = Block(
                name: "Kept", kind: .functionBlock, language: .fbd, file: Self.file,
                networks: [
                    Network(language: .fbd, title: MultilingualText(), comment: MultilingualText(), sourceXML: source)
                ],
                engineeringVersion: "V21")
            guard
                case .block(let again) = try SimaticMLReader.read(bytes: SimaticMLWriter.block(block), file: Self.file)
            else {
                Issue.record("not a block")
                continue
            }
            #expect(again.networks.first?.sourceXML == source)
        }
    }
}

/// Compares two XML trees as the round-trip test defines equal and says where they first differ.
enum XMLTreeDifference {
    /// The first difference as `/Document/SW.Blocks.FB/AttributeList/Interface/…/Member[3]: what differs`, or nil.
    static func first(expected: XMLElement, actual: XMLElement, ignoring: Set<String>) -> String? {
        compare(expected, actual, path: "/" + expected.name, ignoring: ignoring)
    }

    private static func compare(
        _ expected: XMLElement, _ actual: XMLElement, path: String, ignoring: Set<String>
    ) -> String? {
        if expected.name != actual.name { return "\(path): element <\(actual.name)>, expected <\(expected.name)>" }
        let expectedAttributes = Dictionary(
            expected.attributes.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        let actualAttributes = Dictionary(
            actual.attributes.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        for name in Set(expectedAttributes.keys).union(actualAttributes.keys).sorted()
        where expectedAttributes[name] != actualAttributes[name] {
            return "\(path): attribute \(name) is \(actualAttributes[name].map { "'\($0)'" } ?? "missing"), expected "
                + (expectedAttributes[name].map { "'\($0)'" } ?? "none")
        }
        let expectedText = trimmed(expected.text)
        let actualText = trimmed(actual.text)
        if expectedText != actualText { return "\(path): text '\(actualText)', expected '\(expectedText)'" }
        let expectedChildren = expected.elements.filter { !ignoring.contains($0.localName) }
        let actualChildren = actual.elements.filter { !ignoring.contains($0.localName) }
        var seen: [String: Int] = [:]
        for (index, child) in expectedChildren.enumerated() {
            seen[child.name, default: 0] += 1
            let childPath = path + "/" + child.name + "[\(seen[child.name]!)]"
            guard index < actualChildren.count else { return "\(childPath): missing" }
            if let difference = compare(child, actualChildren[index], path: childPath, ignoring: ignoring) {
                return difference
            }
        }
        if actualChildren.count > expectedChildren.count {
            return "\(path): extra <\(actualChildren[expectedChildren.count].name)>"
        }
        return nil
    }

    private static func trimmed(_ text: String) -> String {
        let isSpace: (Character) -> Bool = { $0.isWhitespace }
        return String(text.drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
