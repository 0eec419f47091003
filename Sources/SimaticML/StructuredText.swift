/// The SCL text of an SCL network (`<StructuredText>`, namespace `…/StructuredText/v3` or `v4`): TIA writes the
/// source as a stream of tokens, blanks, line breaks, comments and structured operands, which this reads back into
/// the text an engineer sees in the editor.
///
/// ```xml
/// <StructuredText>
///   <Access Scope="LocalVariable"><Symbol><Component Name="a" /></Symbol></Access>
///   <Blank /><Token Text=":=" /><Blank />
///   <Access Scope="LiteralConstant"><Constant><ConstantValue>5</ConstantValue></Constant></Access>
///   <Token Text=";" />
/// </StructuredText>
/// ```
/// is `#a := 5;`.
public enum StructuredText {
    /// The SCL text of a network source (the content of a `NetworkSource` holding `<StructuredText>`).
    public static func text(ofNetworkSource xml: String) throws(SimaticMLError) -> String {
        let document = try XMLParser.parseNetworkSource(xml)
        guard document.root.localName == "StructuredText" else {
            throw SimaticMLError(message: "not an SCL network: the network source holds <\(document.root.name)>")
        }
        var writer = Writer()
        writer.children(of: document.root)
        return writer.text
    }

    private struct Writer {
        var text = ""

        mutating func children(of element: XMLElement) {
            for child in element.children {
                if case .element(let element) = child { node(element) }
            }
        }

        mutating func node(_ element: XMLElement) {
            let count = element[attribute: "Num"].flatMap { Int($0) } ?? 1
            switch element.localName {
            case "Token":
                text += element[attribute: "Text"] ?? ""
            case "Blank":
                text += String(repeating: " ", count: max(count, 0))
            case "NewLine":
                text += String(repeating: "\n", count: max(count, 0))
            case "Text":
                text += element.text
            case "LineComment":
                // A line comment runs to the end of its line; TIA writes the line break as its own NewLine.
                text += "//" + commentText(element)
            case "Comment":
                let inner = commentText(element)
                text += element[attribute: "Inserted"] == "true" ? "/*" + inner + "*/" : "(*" + inner + "*)"
            case "Access":
                access(element)
            case "Parameter":
                text += element[attribute: "Name"] ?? ""
                children(of: element)
            case "NamelessParameter":
                children(of: element)
            case "Instruction":
                text += element[attribute: "Name"] ?? ""
                children(of: element)
            case "CallInfo":
                if let name = element[attribute: "Name"] {
                    text += element[attribute: "BlockType"] == "FB" ? "" : "\"" + name + "\""
                }
                children(of: element)
            case "Instance":
                let global = element[attribute: "Scope"] == "GlobalVariable"
                if element[attribute: "Scope"] == "LocalVariable" { text += "#" }
                components(of: element, global: global)
            default:
                children(of: element)
            }
        }

        func commentText(_ element: XMLElement) -> String {
            var result = ""
            for child in element.children {
                switch child {
                // The line breaks and indentation between a comment's elements are layout, not comment text.
                case .text(let string): if !string.allSatisfy(\.isWhitespace) { result += string }
                case .element(let inner):
                    switch inner.localName {
                    case "Text": result += inner.text
                    case "NewLine":
                        result += String(repeating: "\n", count: inner[attribute: "Num"].flatMap { Int($0) } ?? 1)
                    case "Blank":
                        result += String(repeating: " ", count: inner[attribute: "Num"].flatMap { Int($0) } ?? 1)
                    default: result += inner.text
                    }
                }
            }
            return result
        }

        mutating func access(_ element: XMLElement) {
            let scope = element[attribute: "Scope"] ?? ""
            switch scope {
            case "LiteralConstant", "TypedConstant":
                if let constant = element.first("Constant") {
                    text += constant.first("ConstantValue")?.text ?? ""
                }
            case "GlobalConstant":
                text += "\"" + (element.first("Constant")?[attribute: "Name"] ?? "") + "\""
            case "LocalConstant":
                text += "#" + FlgNet.Component.quotedIfNeeded(element.first("Constant")?[attribute: "Name"] ?? "")
            case "LocalVariable":
                text += "#"
                symbolOrChildren(element, global: false)
            case "GlobalVariable":
                symbolOrChildren(element, global: true)
            case "Address":
                if let address = element.first("Address") {
                    text +=
                        FlgNet.Address(
                            area: address[attribute: "Area"] ?? "", type: address[attribute: "Type"],
                            blockNumber: address[attribute: "BlockNumber"].flatMap { Int($0) },
                            bitOffset: address[attribute: "BitOffset"].flatMap { Int($0) }
                        ).text
                } else {
                    children(of: element)
                }
            default:
                // Calls (`Scope="Call"`), labels and anything newer: their children carry the text.
                children(of: element)
            }
        }

        mutating func symbolOrChildren(_ element: XMLElement, global: Bool) {
            if let symbol = element.first("Symbol") {
                components(of: symbol, global: global)
            } else {
                children(of: element)
            }
        }

        /// A symbol's components with the tokens TIA writes between them (`.`, `[`, `,`, `]`).
        mutating func components(of symbol: XMLElement, global: Bool) {
            var first = true
            for child in symbol.elements {
                switch child.localName {
                case "Component":
                    let name = child[attribute: "Name"] ?? ""
                    let quoted =
                        (first && global)
                        || child.elements.contains {
                            $0.localName == "BooleanAttribute" && $0[attribute: "Name"] == "HasQuotes"
                                && $0.text.lowercased() == "true"
                        }
                    text += quoted ? "\"" + name + "\"" : FlgNet.Component.quotedIfNeeded(name)
                    first = false
                    // Array indices and slices are written as tokens and accesses inside the component.
                    for inner in child.elements where inner.localName != "BooleanAttribute" { node(inner) }
                default:
                    node(child)
                }
            }
        }
    }
}
