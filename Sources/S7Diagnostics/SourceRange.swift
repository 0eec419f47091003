/// A half-open range of UTF-8 byte offsets in the file at `path`.
///
/// An empty range (`start == end`) marks a position, e.g. where a missing `;` belongs.
public struct SourceRange: Hashable, Sendable, Codable {
    public var path: String
    public var start: Int
    public var end: Int

    public init(path: String, start: Int, end: Int) {
        self.path = path
        self.start = start
        self.end = max(start, end)
    }

    public init(path: String, _ range: Range<Int>) {
        self.init(path: path, start: range.lowerBound, end: range.upperBound)
    }

    public var byteRange: Range<Int> { start..<end }
}

extension SourceFile {
    /// A range in this file.
    public func range(_ bytes: Range<Int>) -> SourceRange { SourceRange(path: path, bytes) }
}
