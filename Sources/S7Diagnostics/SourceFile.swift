/// A 1-based line and column in a source file.
///
/// Columns count Unicode scalars from the start of the line, so `Счётчик := 1;` puts `:=` at column 9 although
/// it starts at byte offset 15. A tab counts as one column, as in most compilers; the renderer expands tabs for
/// display only.
public struct SourceLocation: Hashable, Sendable, Codable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// The text of one source file with a line-start table, addressed by UTF-8 byte offsets.
///
/// The bytes are kept exactly as read, including a UTF-8 byte order mark and invalid UTF-8. A BOM at the start of the
/// file is not a column: line 1 starts after it. Line breaks are `\n`, `\r\n` and a lone `\r`.
///
///     let file = SourceFile(path: "a.scl", text: "IF x THEN\n\ty := 1;")
///     file.location(of: 11)   // 2:2 (the `y` after the tab)
public struct SourceFile: Hashable, Sendable {
    public let path: String
    public let bytes: [UInt8]
    /// Byte offset where each line starts; `lineStarts[0]` is 0, or 3 after a BOM.
    public let lineStarts: [Int]

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
        self.lineStarts = Self.computeLineStarts(bytes)
    }

    public init(path: String, text: String) {
        self.init(path: path, bytes: Array(text.utf8))
    }

    /// The text decoded as UTF-8, with invalid sequences replaced by U+FFFD.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Whether the file starts with a UTF-8 byte order mark (EF BB BF).
    public var hasByteOrderMark: Bool { lineStarts[0] == 3 }

    public var lineCount: Int { lineStarts.count }

    /// The 1-based line holding `offset`; offsets past the end belong to the last line.
    public func line(of offset: Int) -> Int {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return low + 1
    }

    /// The line and column of a byte offset, clamped to the file (an offset inside the BOM is 1:1).
    public func location(of offset: Int) -> SourceLocation {
        let clamped = min(max(offset, 0), bytes.count)
        let line = line(of: clamped)
        let start = lineStarts[line - 1]
        var column = 1
        var index = start
        while index < clamped {
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return SourceLocation(line: line, column: column)
    }

    /// The byte range of a 1-based line without its line break; an empty range for lines out of bounds.
    public func lineRange(_ line: Int) -> Range<Int> {
        guard line >= 1, line <= lineStarts.count else { return bytes.count..<bytes.count }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] : bytes.count
        while end > start, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        return start..<end
    }

    /// The text of a 1-based line without its line break.
    public func lineText(_ line: Int) -> String {
        String(decoding: bytes[lineRange(line)], as: UTF8.self)
    }

    /// The text of a byte range, clamped to the file.
    public func text(in range: Range<Int>) -> String {
        let lower = min(max(range.lowerBound, 0), bytes.count)
        let upper = min(max(range.upperBound, lower), bytes.count)
        return String(decoding: bytes[lower..<upper], as: UTF8.self)
    }

    private static func computeLineStarts(_ bytes: [UInt8]) -> [Int] {
        var starts: [Int] = []
        starts.reserveCapacity(bytes.count / 32 + 1)
        let hasBOM = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        starts.append(hasBOM ? 3 : 0)
        bytes.withUnsafeBufferPointer { buffer in
            var index = 0
            let count = buffer.count
            while index < count {
                let byte = buffer[index]
                index += 1
                if byte == 0x0A {
                    starts.append(index)
                } else if byte == 0x0D {
                    if index < count, buffer[index] == 0x0A { index += 1 }
                    starts.append(index)
                }
            }
        }
        return starts
    }
}
