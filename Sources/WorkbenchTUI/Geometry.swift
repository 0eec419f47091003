/// A rectangle of cells on the screen.
public struct Rect: Hashable, Sendable {
    public var row: Int
    public var column: Int
    public var rows: Int
    public var columns: Int

    public init(row: Int, column: Int, rows: Int, columns: Int) {
        self.row = row
        self.column = column
        self.rows = max(0, rows)
        self.columns = max(0, columns)
    }

    public func contains(row: Int, column: Int) -> Bool {
        row >= self.row && row < self.row + rows && column >= self.column && column < self.column + columns
    }
}

extension ScreenBuffer {
    /// Writes `text` padded with spaces (or cut) to exactly `width` columns.
    mutating func writePadded(_ text: String, row: Int, column: Int, width: Int, role: ThemeRole) {
        guard width > 0 else { return }
        let written = write(text, row: row, column: column, role: role, maxWidth: width)
        if written < width { fill(row: row, column: column + written, rows: 1, columns: width - written, role: role) }
    }
}

extension String {
    /// The text cut or padded with spaces to `width` characters (for table columns).
    func fitted(_ width: Int, alignRight: Bool = false, ellipsis: String = "~") -> String {
        guard width > 0 else { return "" }
        if count > width { return width > 1 ? String(prefix(width - 1)) + ellipsis : String(prefix(width)) }
        let padding = String(repeating: " ", count: width - count)
        return alignRight ? padding + self : self + padding
    }
}

/// The characters frames and marks are drawn with: Unicode line drawing, or ASCII when the locale is not UTF-8 or
/// `--ascii` is given.
public struct Glyphs: Hashable, Sendable {
    public var vertical: String
    public var horizontal: String
    public var ellipsis: String
    public var expanded: String
    public var collapsed: String
    public var leaf: String
    public var error: String
    public var forced: String
    /// Marks a block that differs from what the PLC runs.
    public var differs: String
    public var sparkline: [String]

    public static let unicode = Glyphs(
        vertical: "│", horizontal: "─", ellipsis: "…", expanded: "▾", collapsed: "▸", leaf: " ", error: "✖",
        forced: "F", differs: "≠", sparkline: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"])
    public static let ascii = Glyphs(
        vertical: "|", horizontal: "-", ellipsis: "~", expanded: "-", collapsed: "+", leaf: " ", error: "!",
        forced: "F", differs: "*", sparkline: ["_", ".", "-", "=", "+", "*", "#", "@"])
}
