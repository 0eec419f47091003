import Foundation
import S7Compiler
import S7Model
import S7TestSupport
import SimaticML
import Testing

/// SCL networks of TIA's own exports go to SCL text and back to the same tokens: `StructuredText.text` reads the
/// corpus's `<StructuredText>`, `StructuredTextEncoder` writes that text again with the block's interface and the
/// PLC's symbols, and the two trees are equal apart from the `UId` numbering.
@Suite(.enabled(if: Fixtures.corpusAvailable)) struct StructuredTextRoundTripTests {
    @Test func corpusSCLNetworksComeBackAsTheSameTokens() throws {
        var compared = 0
        for path in Fixtures.corpusProjects {
            let loaded = try ProjectLoader.load(at: path)
            for device in loaded.devices {
                let symbols = SymbolIndex(device: device, library: loaded.library)
                for block in device.blocks + loaded.library.blocks {
                    for network in block.networks where network.sourceXML.contains("<StructuredText") {
                        let original = try XMLParser.parse(network.sourceXML).root
                        let text = try StructuredText.text(ofNetworkSource: network.sourceXML)
                        let version = original[attribute: "xmlns"]?.hasSuffix("/v4") == true ? "V19" : "V17"
                        let written = StructuredTextEncoder.networkSource(
                            body: text, block: block, symbols: symbols, engineeringVersion: version)
                        let back = try XMLParser.parse(written).root
                        #expect(
                            Self.canonical(back) == Self.canonical(original),
                            "\(block.name): the tokens differ\n--- TIA\n\(Self.canonical(original))\n--- s7wb\n\(Self.canonical(back))"
                        )
                        #expect(try StructuredText.text(ofNetworkSource: written) == text)
                        compared += 1
                    }
                }
            }
        }
        // AnalogInput (an SCL FB of the library) and the SCL network of AlarmsContainer.
        #expect(compared >= 2)
    }

    /// Statements that do not parse still become tokens that read back as the same text, without a crash: the
    /// encoder works on tokens, so a missing `)` or `]`, a dangling `.`, an unterminated comment or string, an
    /// empty body or a body of only a comment are kept as written (an unterminated comment comes back closed).
    @Test(arguments: [
        "#a := (1 + ;", "#b[ := 3;", "\"x\". ", "foo(x := 1, ;", "(* unterminated", "#a := 'open", "#a := 1; //",
        "#a := \"DB\".arr[#a,", ")))", "%MW", "REGION", "REGION   \n", "#t(", "#t(IN := ", "", "  // only a comment",
        "#a := -5;\r\n#a := 16#FF;", "\"FC\"(x := #a, y => #b[1]);", "#b[1](", "\t#a := #a + 1;",
    ])
    func malformedStatementsReadBackAsWritten(_ body: String) throws {
        let block = Block(
            name: "B", kind: .function, language: .scl, file: SourceFileRef(path: "B.scl", format: .sclSource),
            interface: Interface(sections: [
                InterfaceSection(
                    kind: .temp,
                    members: [
                        S7Model.Member(name: "a", dataType: "Int"),
                        S7Model.Member(name: "b", dataType: "Array[0..1] of Int"),
                        S7Model.Member(name: "t", dataType: "TON"),
                    ])
            ]))
        let device = Device(name: "PLC_1", folder: "PLC_1", blocks: [block])
        let written = StructuredTextEncoder.networkSource(
            body: body, block: block, symbols: SymbolIndex(device: device), engineeringVersion: "V19")
        let back = try StructuredText.text(ofNetworkSource: written)
        var expected = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\t", with: "    ")
        if body.hasPrefix("(*") && !body.hasSuffix("*)") { expected += "*)" }
        #expect(back == expected, "\(written)")
    }

    /// The elements with their attributes, one per line and indented, without `UId` and layout white space.
    static func canonical(_ element: XMLElement, depth: Int = 0) -> String {
        let attributes = element.attributes.filter { $0.name != "UId" }.map { " \($0.name)=\"\($0.value)\"" }
        let text = element.elements.isEmpty ? element.text : ""
        var lines = [String(repeating: "  ", count: depth) + "<" + element.localName + attributes.joined() + ">" + text]
        for child in element.elements { lines.append(canonical(child, depth: depth + 1)) }
        return lines.joined(separator: "\n")
    }
}
