import Foundation
import S7Model
import S7TestSupport
import SimaticML
import Testing

@Suite struct SimaticMLWriterTests {
    /// Every tag table and watch/force table TIA exported into the sample projects and the corpus, as absolute
    /// paths, sorted.
    static let tableFiles: [String] = {
        let folders: Set<String> = [VCILayout.plcTags, VCILayout.watchAndForceTables]
        var roots = [Fixtures.repositoryRoot + "/sample-projects"]
        if Fixtures.corpusAvailable { roots.append(Fixtures.corpus) }
        return roots.flatMap { root in
            Fixtures.files(below: root, endings: ["xml"])
                .filter { relative in relative.split(separator: "/").contains { folders.contains(String($0)) } }
                .map { root + "/" + $0 }
        }
    }()

    static let file = SourceFileRef(path: "PLC_1/PLC tags/Written.xml", format: .simaticML)

    static func read(_ bytes: [UInt8], file: SourceFileRef = SimaticMLWriterTests.file) throws -> SimaticMLObject {
        try SimaticMLReader.read(bytes: bytes, file: file)
    }

    static func write(_ object: SimaticMLObject) -> [UInt8]? {
        switch object {
        case .tagTable(let table): SimaticMLWriter.tagTable(table)
        case .watchTable(let table): SimaticMLWriter.watchTable(table)
        default: nil
        }
    }

    @Test func findsTheTablesOfEverySampleProject() {
        let samples = Self.tableFiles.filter { $0.hasPrefix(Fixtures.repositoryRoot + "/sample-projects/") }
        #expect(samples.count >= 8, "\(samples)")
        #expect(samples.contains { $0.hasSuffix("/Watch and force tables/Commissioning.xml") })
    }

    @Test(arguments: tableFiles)
    func readsBackToAnEqualModel(path: String) throws {
        let file = SourceFileRef(path: path, format: .simaticML)
        let bytes = try #require(FileManager.default.contents(atPath: path))
        let original = try Self.read(Array(bytes), file: file)
        let written = try #require(Self.write(original), "\(path) holds no table")
        let again = try Self.read(written, file: file)
        #expect(again == original)
        // Writing what was read back changes nothing: the output depends on the model alone.
        #expect(Self.write(again) == written)
    }

    /// TIA's `WithDefaults` exports hold every attribute the writer writes, so the output matches them line for
    /// line once the parts the model does not keep are left out: `DocumentInfo` and the read-only `Address` of
    /// watch entries.
    @Test(arguments: tableFiles)
    func writesATIAExportWithDefaultsAsTIAWroteIt(path: String) throws {
        let bytes = try #require(FileManager.default.contents(atPath: path))
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.contains("<ExportSetting>WithDefaults") else { return }
        var expected: [Substring] = []
        var inDocumentInfo = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            if trimmed == "<DocumentInfo>" { inDocumentInfo = true }
            if !inDocumentInfo && !trimmed.hasPrefix(#"<Address ReadOnly="true">"#) { expected.append(line) }
            if trimmed == "</DocumentInfo>" { inDocumentInfo = false }
        }
        let object = try Self.read(Array(bytes), file: SourceFileRef(path: path, format: .simaticML))
        let written = try #require(Self.write(object))
        let lines = String(decoding: written, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == expected.count)
        if let mismatch = zip(lines, expected).enumerated().first(where: { $0.element.0 != $0.element.1 }) {
            Issue.record("line \(mismatch.offset + 1) is `\(mismatch.element.0)`, TIA wrote `\(mismatch.element.1)`")
        }
    }

    @Test func keepsMarkupCharactersAndNonASCIIText() throws {
        let tricky = #"<&>"' Füllstand ≥ 3"#
        let table = TagTable(
            name: #"Tank <&> "IO" 'ß'"#, file: Self.file,
            tags: [
                S7Model.Tag(
                    name: "Füllstand ≥ 3", dataType: #""UDT <x>""#, address: "%MW10",
                    comment: MultilingualText([
                        .init(culture: "de-DE", text: tricky),
                        .init(culture: "en-US", text: "line 1\nline 2\r\n\tend \u{1}"),
                        .init(culture: "fr-FR", text: ""),
                    ]),
                    externalAccessible: false, externalWritable: false),
                S7Model.Tag(name: "Без адреса", dataType: "Bool", address: ""),
            ],
            constants: [
                UserConstant(
                    name: "Grenze'&'", dataType: "String", value: "'a<b>&c'", comment: MultilingualText(tricky))
            ],
            engineeringVersion: "V18")
        let written = SimaticMLWriter.tagTable(table)
        #expect(try Self.read(written) == .tagTable(table))
        let text = String(decoding: written, as: UTF8.self)
        // As TIA writes them: quotes literal in text, entities only for markup, the version of the table.
        #expect(text.contains(#"<Text>&lt;&amp;&gt;"' Füllstand ≥ 3</Text>"#))
        #expect(text.contains("<Text>line 1\nline 2&#xD;\n\tend &#x1;</Text>"))
        #expect(text.contains(#"<Name>Tank &lt;&amp;&gt; "IO" 'ß'</Name>"#))
        #expect(text.contains(#"<Engineering version="V18" />"#))

        for kind in [WatchTable.Kind.watch, .force] {
            let watch = WatchTable(
                name: "Prüfung <1> & \"2\"", kind: kind, file: Self.file,
                entries: [
                    .commentRow("Füllstand ≥ 3 & <mehr>"),
                    WatchEntry(
                        operand: #""Füllstand ≥ 3".a[1]"#, displayFormat: "DEC_signed", modifyValue: "'x&y'",
                        forceValue: "16#7F", modifyIntention: true, forceIntention: true, comment: tricky,
                        monitorTrigger: "Permanent", modifyTrigger: "Permanent"),
                    WatchEntry(operand: "%MW10"),
                    WatchEntry(operand: #""Start":P"#, displayFormat: "Bool", forceValue: "TRUE"),
                ],
                engineeringVersion: "V17")
            let bytes = SimaticMLWriter.watchTable(watch)
            #expect(try Self.read(bytes) == .watchTable(watch), "\(kind)")
            #expect(String(decoding: bytes, as: UTF8.self).contains(#"<Name>"Füllstand ≥ 3".a[1]</Name>"#))
        }
    }

    @Test func startsWithTheByteOrderMarkAndTheEngineeringVersion() {
        let bytes = SimaticMLWriter.tagTable(TagTable(name: "Empty", file: Self.file))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(
            String(decoding: bytes.dropFirst(3), as: UTF8.self) == """
                <?xml version="1.0" encoding="utf-8"?>
                <Document>
                  <Engineering version="V17" />
                  <SW.Tags.PlcTagTable ID="0">
                    <AttributeList>
                      <Name>Empty</Name>
                    </AttributeList>
                  </SW.Tags.PlcTagTable>
                </Document>
                """)

        let watch = SimaticMLWriter.watchTable(WatchTable(name: "W", kind: .watch, file: Self.file))
        #expect(Array(watch.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(String(decoding: watch, as: UTF8.self).contains(#"<Engineering version="V17" />"#))
        let later = SimaticMLWriter.watchTable(
            WatchTable(name: "W", kind: .force, file: Self.file), engineeringVersion: "V19")
        #expect(String(decoding: later, as: UTF8.self).contains(#"<Engineering version="V19" />"#))
    }

    @Test func countsIDsInUpperCaseHexadecimalLikeTIA() {
        let tags = (1...4).map {
            S7Model.Tag(name: "T\($0)", dataType: "Bool", address: "%M0.\($0)", comment: MultilingualText("c"))
        }
        let bytes = SimaticMLWriter.tagTable(TagTable(name: "T", file: Self.file, tags: tags))
        let text = String(decoding: bytes, as: UTF8.self)
        // Table 0, then tag, text, item: 1 2 3, 4 5 6, 7 8 9, A B C.
        #expect(text.contains(#"<SW.Tags.PlcTag ID="A" CompositionName="Tags">"#))
        #expect(text.contains(#"<MultilingualTextItem ID="C" CompositionName="Items">"#))
        #expect(!text.contains(#"ID="10""#))
    }
}
