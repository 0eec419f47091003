/// A small, strict, non-validating XML 1.0 parser for the documents TIA Portal writes.
///
/// It keeps byte ranges of every element so that parts of a document (a network's `NetworkSource`) can be kept
/// exactly as they were written. It never traps on bad input: malformed documents throw `XMLParseError` with the
/// line and column. DTDs are skipped, not interpreted; entities are the five predefined ones and character
/// references.
public struct XMLParser {
    private let bytes: [UInt8]
    private var position = 0

    public static func parse(_ bytes: [UInt8]) throws(XMLParseError) -> XMLDocument {
        var parser = XMLParser(bytes: bytes)
        let root = try parser.parseDocument()
        return XMLDocument(root: root, bytes: bytes)
    }

    public static func parse(_ text: String) throws(XMLParseError) -> XMLDocument {
        try parse(Array(text.utf8))
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    // MARK: Document structure

    private mutating func parseDocument() throws(XMLParseError) -> XMLElement {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        try skipMisc()
        guard position < bytes.count else { throw error("the document has no root element") }
        guard bytes[position] == UInt8(ascii: "<") else { throw error("expected '<' to start the root element") }
        let root = try parseElement(depth: 0)
        try skipMisc()
        if position < bytes.count { throw error("unexpected content after the root element") }
        return root
    }

    /// Skips white space, comments, processing instructions and a DOCTYPE outside the root element.
    private mutating func skipMisc() throws(XMLParseError) {
        while true {
            skipWhitespace()
            if hasPrefix("<?") {
                try skip(past: "?>", what: "processing instruction")
            } else if hasPrefix("<!--") {
                try skip(past: "-->", what: "comment")
            } else if hasPrefix("<!DOCTYPE") {
                try skip(past: ">", what: "DOCTYPE")
            } else {
                return
            }
        }
    }

    private mutating func parseElement(depth: Int) throws(XMLParseError) -> XMLElement {
        guard depth < 512 else { throw error("elements nested more than 512 deep") }
        let start = position
        position += 1  // '<'
        let name = try parseName(what: "element name")
        var attributes: [(name: String, value: String)] = []
        while true {
            let hadSpace = skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of file inside the tag <\(name)>") }
            let byte = bytes[position]
            if byte == UInt8(ascii: "/") {
                guard peek(1) == UInt8(ascii: ">") else { throw error("expected '>' after '/' in <\(name)>") }
                position += 2
                return XMLElement(
                    name: name, attributes: attributes, sourceRange: start..<position,
                    contentRange: position..<position)
            }
            if byte == UInt8(ascii: ">") {
                position += 1
                break
            }
            guard hadSpace else { throw error("expected white space before an attribute in <\(name)>") }
            let attributeName = try parseName(what: "attribute name")
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "=") else {
                throw error("expected '=' after attribute '\(attributeName)'")
            }
            position += 1
            skipWhitespace()
            let value = try parseQuoted()
            if attributes.contains(where: { $0.name == attributeName }) {
                throw error("attribute '\(attributeName)' appears twice in <\(name)>")
            }
            attributes.append((attributeName, value))
        }
        let contentStart = position
        var children: [XMLNode] = []
        var text: [UInt8] = []
        func flushText() {
            if !text.isEmpty {
                children.append(.text(String(decoding: text, as: UTF8.self)))
                text.removeAll(keepingCapacity: true)
            }
        }
        while true {
            guard position < bytes.count else { throw error("unexpected end of file: <\(name)> is not closed") }
            let byte = bytes[position]
            if byte == UInt8(ascii: "<") {
                if peek(1) == UInt8(ascii: "/") {
                    let contentEnd = position
                    position += 2
                    let closing = try parseName(what: "closing tag name")
                    guard closing == name else {
                        position = contentEnd
                        throw error("expected </\(name)> but found </\(closing)>")
                    }
                    skipWhitespace()
                    guard position < bytes.count, bytes[position] == UInt8(ascii: ">") else {
                        throw error("expected '>' to end </\(name)>")
                    }
                    position += 1
                    flushText()
                    return XMLElement(
                        name: name, attributes: attributes, children: children, sourceRange: start..<position,
                        contentRange: contentStart..<contentEnd)
                } else if hasPrefix("<!--") {
                    try skip(past: "-->", what: "comment")
                } else if hasPrefix("<![CDATA[") {
                    position += 9
                    let cdataStart = position
                    try skip(past: "]]>", what: "CDATA section")
                    text.append(contentsOf: bytes[cdataStart..<(position - 3)])
                } else if hasPrefix("<?") {
                    try skip(past: "?>", what: "processing instruction")
                } else {
                    flushText()
                    children.append(.element(try parseElement(depth: depth + 1)))
                }
            } else if byte == UInt8(ascii: "&") {
                try parseReference(into: &text)
            } else {
                text.append(byte)
                position += 1
            }
        }
    }

    // MARK: Lexical pieces

    private mutating func parseName(what: String) throws(XMLParseError) -> String {
        let start = position
        while position < bytes.count {
            let b = bytes[position]
            let isNameByte =
                (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x5F
                || b == 0x3A || b == 0x2D || b == 0x2E || b >= 0x80
            if !isNameByte { break }
            position += 1
        }
        guard position > start else { throw error("expected \(what)") }
        let first = bytes[start]
        if (first >= 0x30 && first <= 0x39) || first == 0x2D || first == 0x2E {
            position = start
            throw error("\(what) cannot start with '\(Character(Unicode.Scalar(first)))'")
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private mutating func parseQuoted() throws(XMLParseError) -> String {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") || bytes[position] == UInt8(ascii: "'")
        else { throw error("expected a quoted attribute value") }
        let quote = bytes[position]
        position += 1
        var value: [UInt8] = []
        while true {
            guard position < bytes.count else { throw error("unexpected end of file inside an attribute value") }
            let b = bytes[position]
            if b == quote {
                position += 1
                return String(decoding: value, as: UTF8.self)
            }
            if b == UInt8(ascii: "<") { throw error("'<' is not allowed in an attribute value") }
            if b == UInt8(ascii: "&") {
                try parseReference(into: &value)
            } else {
                value.append(b)
                position += 1
            }
        }
    }

    /// Decodes `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&#10;`, `&#x1F;` at the position.
    private mutating func parseReference(into output: inout [UInt8]) throws(XMLParseError) {
        let start = position
        position += 1
        while position < bytes.count, bytes[position] != UInt8(ascii: ";"), position - start < 12 {
            position += 1
        }
        guard position < bytes.count, bytes[position] == UInt8(ascii: ";") else {
            position = start
            throw error("unterminated entity reference")
        }
        let name = String(decoding: bytes[(start + 1)..<position], as: UTF8.self)
        position += 1
        switch name {
        case "amp": output.append(UInt8(ascii: "&"))
        case "lt": output.append(UInt8(ascii: "<"))
        case "gt": output.append(UInt8(ascii: ">"))
        case "quot": output.append(UInt8(ascii: "\""))
        case "apos": output.append(UInt8(ascii: "'"))
        default:
            var scalarValue: UInt32?
            if name.hasPrefix("#x") || name.hasPrefix("#X") {
                scalarValue = UInt32(name.dropFirst(2), radix: 16)
            } else if name.hasPrefix("#") {
                scalarValue = UInt32(name.dropFirst(1), radix: 10)
            }
            guard let scalarValue, let scalar = Unicode.Scalar(scalarValue) else {
                position = start
                throw error("unknown entity '&\(name);'")
            }
            output.append(contentsOf: Array(String(Character(scalar)).utf8))
        }
    }

    @discardableResult
    private mutating func skipWhitespace() -> Bool {
        let start = position
        while position < bytes.count {
            let b = bytes[position]
            guard b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D else { break }
            position += 1
        }
        return position > start
    }

    private func hasPrefix(_ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        let pointer = prefix.utf8Start
        for i in 0..<count where bytes[position + i] != pointer[i] { return false }
        return true
    }

    private mutating func skip(past terminator: StaticString, what: String) throws(XMLParseError) {
        let start = position
        while position < bytes.count {
            if hasPrefix(terminator) {
                position += terminator.utf8CodeUnitCount
                return
            }
            position += 1
        }
        position = start
        throw error("unterminated \(what)")
    }

    private func peek(_ ahead: Int) -> UInt8? {
        position + ahead < bytes.count ? bytes[position + ahead] : nil
    }

    private func error(_ message: String) -> XMLParseError {
        var line = 1
        var lineStart = 0
        let end = min(position, bytes.count)
        for i in 0..<end where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        let column = String(decoding: bytes[lineStart..<end], as: UTF8.self).unicodeScalars.count + 1
        return XMLParseError(message: message, line: line, column: column, offset: position)
    }
}
