/// A network's `NetworkSource` content made ready for a document of one TIA version.
///
/// The content stays as it was read, byte for byte, with one exception: when its root element names the FlgNet or
/// StructuredText namespace of another schema version than the document's TIA version writes, that `xmlns` value is
/// replaced. Nothing else changes, so a network whose elements the target version does not know still reaches TIA's
/// import, which says what it rejects. GRAPH and STL sources (and the FlgNet inside a GRAPH transition) keep their
/// namespaces.
///
/// Example: for `V19`, `<FlgNet xmlns="…/NetworkSource/FlgNet/v4"><Parts>…` becomes
/// `<FlgNet xmlns="…/NetworkSource/FlgNet/v5"><Parts>…`.
enum NetworkSourceMarkup {
    /// The content for `engineeringVersion`, or nil when it is not well-formed XML element content (the writer
    /// then keeps it as text).
    static func markup(_ source: String, engineeringVersion: String) -> String? {
        guard !source.isEmpty else { return source }
        let wrapperStart = Array("<NetworkSource>".utf8)
        let sourceBytes = Array(source.utf8)
        guard let document = try? XMLParser.parse(wrapperStart + sourceBytes + Array("</NetworkSource>".utf8)) else {
            return nil
        }
        guard let root = document.root.elements.first, let namespace = root[attribute: "xmlns"],
            let (part, schemaVersion) = OpennessNamespace.parse(namespace),
            part.schemaVersion(for: engineeringVersion) != schemaVersion
        else { return source }
        // The start tag runs up to the content (or to the end of an empty element), offsets less the wrapper's.
        let tagStart = root.sourceRange.lowerBound - wrapperStart.count
        let startTag = tagStart..<(root.contentRange.lowerBound - wrapperStart.count)
        guard let value = namespaceValue(in: sourceBytes, startTag: startTag) else { return source }
        let replacement = Array(part.uri(for: engineeringVersion).utf8)
        return String(
            decoding: sourceBytes[..<value.lowerBound] + replacement + sourceBytes[value.upperBound...], as: UTF8.self)
    }

    /// The byte range of the `xmlns` attribute's value inside a start tag (between its quotes).
    private static func namespaceValue(in bytes: [UInt8], startTag: Range<Int>) -> Range<Int>? {
        let name = Array("xmlns".utf8)
        var index = startTag.lowerBound
        while index + name.count < startTag.upperBound {
            defer { index += 1 }
            guard
                bytes[index] == UInt8(ascii: " ") || bytes[index] == 0x09 || bytes[index] == 0x0A
                    || bytes[index] == 0x0D,
                Array(bytes[(index + 1)..<min(index + 1 + name.count, startTag.upperBound)]) == name
            else { continue }
            var position = index + 1 + name.count
            func skipSpace() {
                while position < startTag.upperBound, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) {
                    position += 1
                }
            }
            skipSpace()
            guard position < startTag.upperBound, bytes[position] == UInt8(ascii: "=") else { continue }
            position += 1
            skipSpace()
            guard position < startTag.upperBound, bytes[position] == 0x22 || bytes[position] == 0x27 else { continue }
            let quote = bytes[position]
            let valueStart = position + 1
            guard let valueEnd = bytes[valueStart..<startTag.upperBound].firstIndex(of: quote) else { return nil }
            return valueStart..<valueEnd
        }
        return nil
    }
}
