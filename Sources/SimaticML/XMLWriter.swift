/// Builds XML text laid out the way TIA Portal writes SimaticML: one element per line, two spaces of indentation
/// per level, `<Name />` for an element without content, `\n` between lines and none after the last.
///
/// Text is escaped as TIA's writer does: `&`, `<` and `>` always, `"` only inside attribute values, a carriage
/// return and the other control characters as character references (`&#xD;`) so that a reader gets them back.
/// Tab and line feed stay literal in text; in attribute values they are written as references too.
///
/// Example:
///
///     var xml = XMLWriter()
///     xml.start("Document")
///     xml.leaf("Engineering", attributes: [("version", "V17")])
///     xml.leaf("Name", "A & B")
///     xml.end()
///
/// gives
///
///     <Document>
///       <Engineering version="V17" />
///       <Name>A &amp; B</Name>
///     </Document>
struct XMLWriter {
    typealias Attributes = [(name: String, value: String)]

    private(set) var text = ""
    /// Names of the elements started and not yet ended, innermost last.
    private var open: [String] = []
    /// True while the start tag of the innermost open element still lacks its `>`: it becomes `<Name />` if the
    /// element ends without content.
    private var startTagPending = false
    /// True right after `verbatim(_:)`: the end tag follows the verbatim text on the same line.
    private var afterVerbatim = false
    /// False writes everything on the current line, as TIA writes the inside of an interface member up to V20.
    var breaksLines = true

    /// The XML declaration TIA writes on the first line.
    mutating func declaration() {
        newLine()
        text += #"<?xml version="1.0" encoding="utf-8"?>"#
    }

    /// Starts an element whose children follow; `end()` closes it.
    mutating func start(_ name: String, attributes: Attributes = []) {
        newLine()
        writeStartTag(name, attributes)
        open.append(name)
        startTagPending = true
    }

    /// Ends the innermost started element, as `<Name ... />` when nothing was written inside it.
    mutating func end() {
        guard let name = open.popLast() else { return }
        if startTagPending {
            text += " />"
            startTagPending = false
        } else {
            if !afterVerbatim { newLine() }
            text += "</\(name)>"
        }
        afterVerbatim = false
    }

    /// Markup written exactly as given, right after the start tag of the innermost open element; its end tag follows
    /// on the same line. Empty markup leaves the element empty (`<Name />`). The caller vouches that `markup` is
    /// well-formed element content.
    mutating func verbatim(_ markup: String) {
        guard !markup.isEmpty else { return }
        if startTagPending {
            text += ">"
            startTagPending = false
        }
        text += markup
        afterVerbatim = true
    }

    /// Text escaped as element content, right after the start tag of the innermost open element; its end tag
    /// follows on the same line.
    mutating func characters(_ content: String) {
        verbatim(Self.escaped(content, inAttribute: false))
    }

    /// An element holding only text, on one line: `<Name>text</Name>`, or `<Name />` for empty text.
    mutating func leaf(_ name: String, _ content: String = "", attributes: Attributes = []) {
        newLine()
        writeStartTag(name, attributes)
        if content.isEmpty {
            text += " />"
        } else {
            text += ">"
            text += Self.escaped(content, inAttribute: false)
            text += "</\(name)>"
        }
    }

    /// The text encoded as UTF-8 after a byte order mark (EF BB BF), as TIA saves its files.
    var utf8WithByteOrderMark: [UInt8] {
        [0xEF, 0xBB, 0xBF] + Array(text.utf8)
    }

    // MARK: Pieces

    /// Completes a pending start tag and begins a new line indented for the current depth.
    private mutating func newLine() {
        if startTagPending {
            text += ">"
            startTagPending = false
        }
        afterVerbatim = false
        guard breaksLines else { return }
        if !text.isEmpty { text += "\n" }
        text += String(repeating: "  ", count: open.count)
    }

    private mutating func writeStartTag(_ name: String, _ attributes: Attributes) {
        text += "<"
        text += name
        for attribute in attributes {
            text += " \(attribute.name)=\""
            text += Self.escaped(attribute.value, inAttribute: true)
            text += "\""
        }
    }

    /// `value` with markup characters replaced by entities and control characters by character references.
    static func escaped(_ value: String, inAttribute: Bool) -> String {
        guard value.unicodeScalars.contains(where: { needsEscape($0, inAttribute: inAttribute) }) else {
            return value
        }
        var result = ""
        result.reserveCapacity(value.utf8.count + 16)
        for scalar in value.unicodeScalars {
            guard needsEscape(scalar, inAttribute: inAttribute) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result += "&#x\(String(scalar.value, radix: 16, uppercase: true));"
            }
        }
        return result
    }

    private static func needsEscape(_ scalar: Unicode.Scalar, inAttribute: Bool) -> Bool {
        switch scalar {
        case "&", "<", ">": return true
        case "\"", "\t", "\n": return inAttribute
        default: return scalar.value < 0x20 || scalar.value == 0x7F
        }
    }
}
