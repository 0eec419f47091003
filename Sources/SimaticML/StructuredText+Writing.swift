extension StructuredText {
    /// One element of a `<StructuredText>` network source, as SCL text is written into SimaticML: tokens, blanks,
    /// line breaks and comments, and the structured operands (`Access`) and calls around them.
    ///
    /// Build nodes with the static functions (`token`, `blank`, `access` …) and write them with
    /// `networkSource(_:engineeringVersion:)`; `text(ofNetworkSource:)` reads the result back as SCL text.
    public struct Node: Hashable, Sendable {
        public struct Attribute: Hashable, Sendable {
            public var name: String
            public var value: String

            public init(_ name: String, _ value: String) {
                self.name = name
                self.value = value
            }
        }

        public var name: String
        public var attributes: [Attribute]
        public var children: [Node]
        /// The element's text content (`<ConstantValue>5</ConstantValue>`); nil when it has children or none.
        public var content: String?

        public init(_ name: String, attributes: [Attribute] = [], children: [Node] = [], content: String? = nil) {
            self.name = name
            self.attributes = attributes
            self.children = children
            self.content = content
        }

        /// A keyword, operator or punctuation as written: `<Token Text=":=" />`.
        public static func token(_ text: String) -> Node { Node("Token", attributes: [Attribute("Text", text)]) }

        /// `count` spaces: `<Blank />`, `<Blank Num="4" />`.
        public static func blank(_ count: Int) -> Node {
            Node("Blank", attributes: count == 1 ? [] : [Attribute("Num", String(count))])
        }

        /// `count` line breaks: `<NewLine />`, `<NewLine Num="2" />`.
        public static func newLine(_ count: Int) -> Node {
            Node("NewLine", attributes: count == 1 ? [] : [Attribute("Num", String(count))])
        }

        /// Free text, such as a region's name: `<Text>Alarm</Text>`.
        public static func text(_ text: String) -> Node { Node("Text", content: text) }

        /// `// text` up to the end of its line: `<LineComment><Text> text</Text></LineComment>`.
        public static func lineComment(_ text: String) -> Node {
            Node("LineComment", children: [.text(text)])
        }

        /// `(* text *)`, or `/* text */` when `slashes`; the lines of a comment over several lines are `Text`
        /// elements with `NewLine` between them.
        public static func comment(_ text: String, slashes: Bool) -> Node {
            var children: [Node] = []
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            for (index, line) in lines.enumerated() {
                if index > 0 { children.append(.newLine(1)) }
                if !line.isEmpty { children.append(.text(String(line))) }
            }
            return Node("Comment", attributes: slashes ? [Attribute("Inserted", "true")] : [], children: children)
        }

        /// `<Access Scope="…">` around an operand, a constant or a call.
        public static func access(_ scope: String, _ children: [Node]) -> Node {
            Node("Access", attributes: [Attribute("Scope", scope)], children: children)
        }

        /// A literal (`LiteralConstant`: `5`, `TRUE`, `'text'`) or a typed constant (`TypedConstant`: `T#2s`).
        public static func constant(_ text: String, typed: Bool) -> Node {
            access(
                typed ? "TypedConstant" : "LiteralConstant",
                [Node("Constant", children: [Node("ConstantValue", content: text)])])
        }

        /// A named constant: `LocalConstant` (`#MAX`) or `GlobalConstant` (`"MAX"`).
        public static func namedConstant(_ name: String, global: Bool) -> Node {
            access(
                global ? "GlobalConstant" : "LocalConstant", [Node("Constant", attributes: [Attribute("Name", name)])])
        }

        /// One name of an operand's path; `quoted` when the source wrote it in quotes. `inner` holds what follows
        /// the name inside the component: an array index (`[`, the index expressions, `]`).
        public static func component(_ name: String, quoted: Bool, inner: [Node] = []) -> Node {
            let quotes =
                quoted ? [Node("BooleanAttribute", attributes: [Attribute("Name", "HasQuotes")], content: "true")] : []
            return Node("Component", attributes: [Attribute("Name", name)], children: quotes + inner)
        }
    }

    /// The `NetworkSource` content for `nodes`: `<StructuredText xmlns="…/StructuredText/vN">` with the schema
    /// version of TIA `engineeringVersion`, every element numbered with a `UId` from 21 on as TIA numbers them.
    public static func networkSource(_ nodes: [Node], engineeringVersion: String) -> String {
        var xml = XMLWriter()
        var uid = 21
        xml.start(
            "StructuredText", attributes: [("xmlns", OpennessNamespace.structuredText.uri(for: engineeringVersion))])
        for node in nodes { write(node, to: &xml, uid: &uid) }
        xml.end()
        return xml.text
    }

    private static func write(_ node: Node, to xml: inout XMLWriter, uid: inout Int) {
        let attributes = node.attributes.map { (name: $0.name, value: $0.value) } + [("UId", String(uid))]
        uid += 1
        if node.children.isEmpty {
            xml.leaf(node.name, node.content ?? "", attributes: attributes)
            return
        }
        xml.start(node.name, attributes: attributes)
        for child in node.children { write(child, to: &xml, uid: &uid) }
        xml.end()
    }
}
