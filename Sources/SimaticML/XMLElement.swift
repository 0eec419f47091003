/// An element of a parsed XML document, with its attributes, children and where it stands in the source.
public struct XMLElement: Sendable, Hashable {
    public var name: String
    /// Attributes in document order (order matters when TIA files are compared as text).
    public var attributes: [(name: String, value: String)]
    public var children: [XMLNode]
    /// Byte range of the whole element (`<a ...>...</a>`) in the source.
    public var sourceRange: Range<Int>
    /// Byte range of the content between the start and end tags (empty for `<a/>`).
    public var contentRange: Range<Int>

    public init(
        name: String, attributes: [(name: String, value: String)] = [], children: [XMLNode] = [],
        sourceRange: Range<Int> = 0..<0, contentRange: Range<Int> = 0..<0
    ) {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.sourceRange = sourceRange
        self.contentRange = contentRange
    }

    /// The name without a namespace prefix: `Sections` for `x:Sections`.
    public var localName: String {
        if let colon = name.lastIndex(of: ":") { return String(name[name.index(after: colon)...]) }
        return name
    }

    public subscript(attribute name: String) -> String? {
        attributes.first { $0.name == name }?.value
    }

    public var elements: [XMLElement] {
        children.compactMap { if case .element(let e) = $0 { e } else { nil } }
    }

    public func elements(named name: String) -> [XMLElement] {
        elements.filter { $0.localName == name }
    }

    public func first(_ name: String) -> XMLElement? {
        for child in children {
            if case .element(let e) = child, e.localName == name { return e }
        }
        return nil
    }

    /// Follows a path of child names: `element.first(path: "AttributeList", "Name")`.
    public func first(path: String...) -> XMLElement? {
        var current: XMLElement? = self
        for step in path { current = current?.first(step) }
        return current
    }

    /// The concatenated text of the direct text children, entities decoded.
    public var text: String {
        var result = ""
        for child in children {
            if case .text(let t) = child { result += t }
        }
        return result
    }

    public static func == (lhs: XMLElement, rhs: XMLElement) -> Bool {
        lhs.name == rhs.name && lhs.attributes.elementsEqual(rhs.attributes, by: { $0 == $1 })
            && lhs.children == rhs.children
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        for attribute in attributes {
            hasher.combine(attribute.name)
            hasher.combine(attribute.value)
        }
        hasher.combine(children)
    }
}

public enum XMLNode: Sendable, Hashable {
    case element(XMLElement)
    case text(String)
}

/// A parsed document: its root element and the source bytes (without a BOM's effect on offsets: offsets count from
/// the first byte of the file, BOM included).
public struct XMLDocument: Sendable {
    public var root: XMLElement
    public var bytes: [UInt8]

    /// The source text of a byte range, e.g. an element's `contentRange`.
    public func text(of range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }
}

/// Why a document could not be parsed, with the 1-based line and column where it was noticed.
public struct XMLParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var line: Int
    public var column: Int
    public var offset: Int

    public var description: String { "\(line):\(column): \(message)" }
}
