import S7Model
import S7TestSupport
import SimaticML
import Testing

@Suite struct XMLParserTests {
    @Test func parsesElementsAttributesTextAndEntities() throws {
        let document = try XMLParser.parse(
            "\u{FEFF}<?xml version=\"1.0\"?>\n<!-- c --><a x=\"1 &amp; 2\" y='q'><b>t&lt;&#65;&#x42;</b><![CDATA[<raw>]]><c/></a>"
        )
        #expect(document.root.name == "a")
        #expect(document.root[attribute: "x"] == "1 & 2")
        #expect(document.root[attribute: "y"] == "q")
        #expect(document.root.first("b")?.text == "t<AB")
        #expect(document.root.text == "<raw>")
        #expect(document.root.first("c") != nil)
    }

    @Test func keepsTheSourceRangeOfElementContent() throws {
        let text = "<r><n><FlgNet xmlns=\"u\">\n  <Parts/>\n</FlgNet></n></r>"
        let document = try XMLParser.parse(text)
        let n = try #require(document.root.first("n"))
        #expect(document.text(of: n.contentRange) == "<FlgNet xmlns=\"u\">\n  <Parts/>\n</FlgNet>")
        #expect(n.first("FlgNet")?.localName == "FlgNet")
    }

    @Test(arguments: [
        ("<a><b></a>", 1, 7, "expected </b> but found </a>"),
        ("<a>\n  <b x=1/></a>", 2, 8, "expected a quoted attribute value"),
        ("<a>&bogus;</a>", 1, 4, "unknown entity '&bogus;'"),
        ("<a>\n<b>", 2, 4, "unexpected end of file: <b> is not closed"),
        ("", 1, 1, "the document has no root element"),
        ("<a/><b/>", 1, 5, "unexpected content after the root element"),
        ("<a x='1' x='2'/>", 1, 15, "attribute 'x' appears twice in <a>"),
    ])
    func reportsErrorsWithTheirLocation(source: String, line: Int, column: Int, message: String) {
        #expect(throws: XMLParseError.self) { try XMLParser.parse(source) }
        do {
            _ = try XMLParser.parse(source)
        } catch {
            #expect(error.message == message)
            #expect(error.line == line)
            #expect(error.column == column)
        }
    }

    @Test func survivesRandomMutationsOfARealDocument() throws {
        let seed =
            "<Document><Engineering version=\"V17\" /><SW.Tags.PlcTagTable ID=\"0\"><AttributeList><Name>T</Name>"
            + "</AttributeList></SW.Tags.PlcTagTable></Document>"
        var generator = SeededRandom(seed: 7)
        let base = Array(seed.utf8)
        for _ in 0..<3000 {
            var bytes = base
            for _ in 0..<Int(generator.next() % 4 + 1) {
                let position = Int(generator.next() % UInt64(bytes.count))
                switch generator.next() % 3 {
                case 0: bytes.remove(at: position)
                case 1: bytes.insert(UInt8(truncatingIfNeeded: generator.next()), at: position)
                default: bytes[position] = UInt8(truncatingIfNeeded: generator.next())
                }
                if bytes.isEmpty { bytes = [0x3C] }
            }
            _ = try? XMLParser.parse(bytes)
            _ = try? SimaticMLReader.read(bytes: bytes, file: .init(path: "x.xml", format: .simaticML))
        }
    }
}
