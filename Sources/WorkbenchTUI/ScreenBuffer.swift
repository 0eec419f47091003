/// One cell of the screen: a grapheme and the role it is drawn with.
///
/// A wide character (2 columns) occupies its cell and the next, which holds a continuation cell (`isContinuation`,
/// empty text) with the same role.
public struct Cell: Hashable, Sendable {
    public var character: Character?
    public var role: ThemeRole

    public init(_ character: Character, role: ThemeRole = .normal) {
        self.character = character
        self.role = role
    }

    /// The right half of a wide character.
    public static func continuation(role: ThemeRole) -> Cell {
        var cell = Cell(" ", role: role)
        cell.character = nil
        return cell
    }

    public var isContinuation: Bool { character == nil }
    public static let blank = Cell(" ")
}

/// A run of changed cells on one row, ready to be drawn with one call.
public struct ScreenRun: Hashable, Sendable {
    public var row: Int
    public var column: Int
    public var text: String
    public var role: ThemeRole
    /// Columns the run covers (wide characters count 2).
    public var width: Int

    public init(row: Int, column: Int, text: String, role: ThemeRole, width: Int) {
        self.row = row
        self.column = column
        self.text = text
        self.role = role
        self.width = width
    }
}

/// A grid of cells that panes draw into. Presenting a frame diffs it with the previous one, so the terminal
/// redraws only what changed.
///
/// ```swift
/// var screen = ScreenBuffer(size: TerminalSize(rows: 2, columns: 10))
/// screen.write("RUN", row: 0, column: 0, role: .runIndicator)
/// screen.lines()   // ["RUN       ", "          "]
/// ```
public struct ScreenBuffer: Hashable, Sendable {
    public private(set) var size: TerminalSize
    private var cells: [Cell]

    public init(size: TerminalSize, fill: Cell = .blank) {
        self.size = TerminalSize(rows: max(0, size.rows), columns: max(0, size.columns))
        cells = Array(repeating: fill, count: self.size.rows * self.size.columns)
    }

    public subscript(row: Int, column: Int) -> Cell {
        cells[row * size.columns + column]
    }

    /// Sets every cell to `cell`.
    public mutating func clear(to cell: Cell = .blank) {
        for index in cells.indices { cells[index] = cell }
    }

    /// Fills the rectangle (clipped to the screen) with spaces of `role`.
    public mutating func fill(row: Int, column: Int, rows: Int, columns: Int, role: ThemeRole) {
        for r in max(0, row)..<min(size.rows, row + rows) {
            for c in max(0, column)..<max(max(0, column), min(size.columns, column + columns)) {
                set(Cell(" ", role: role), row: r, column: c)
            }
        }
    }

    /// Writes `text` from (`row`, `column`), clipped at the right edge and at `maxWidth` columns, and returns the
    /// columns written. A wide character that does not fit in the last column leaves a space there; writing over half
    /// of an existing wide character blanks its other half. Control characters are skipped.
    @discardableResult
    public mutating func write(
        _ text: String, row: Int, column: Int, role: ThemeRole = .normal, maxWidth: Int? = nil
    ) -> Int {
        guard (0..<size.rows).contains(row), column >= 0 else { return 0 }
        let limit = min(size.columns, column + (maxWidth ?? size.columns))
        var x = column
        for character in text {
            let width = character.terminalWidth
            if width == 0 { continue }
            guard x < limit else { break }
            if width == 2 && x + 1 >= limit {
                set(Cell(" ", role: role), row: row, column: x)
                x += 1
                break
            }
            set(Cell(character, role: role), row: row, column: x)
            if width == 2 {
                set(.continuation(role: role), row: row, column: x + 1)
            }
            x += width
        }
        return x - column
    }

    private mutating func set(_ cell: Cell, row: Int, column: Int) {
        let index = row * size.columns + column
        let old = cells[index]
        // Keep wide characters whole: overwriting either half blanks the other.
        if old.isContinuation, column > 0 {
            cells[index - 1] = Cell(" ", role: cells[index - 1].role)
        }
        if let character = old.character, character.terminalWidth == 2, column + 1 < size.columns {
            cells[index + 1] = Cell(" ", role: cells[index + 1].role)
        }
        cells[index] = cell
    }

    /// The runs to draw to turn `previous` into this buffer: consecutive changed cells of one role. If the sizes
    /// differ, every row is one or more runs.
    public func changes(from previous: ScreenBuffer?) -> [ScreenRun] {
        let previous = previous?.size == size ? previous : nil
        var runs: [ScreenRun] = []
        for row in 0..<size.rows {
            var current: ScreenRun?
            for column in 0..<size.columns {
                let cell = self[row, column]
                // The right half of a wide character is drawn with its left half.
                guard let character = cell.character else { continue }
                let width = character.terminalWidth
                let changed =
                    previous.map { previous in
                        previous[row, column] != cell
                            || (width == 2 && column + 1 < size.columns
                                && previous[row, column + 1] != self[row, column + 1])
                    } ?? true
                if !changed {
                    if let run = current { runs.append(run) }
                    current = nil
                } else if var run = current, run.role == cell.role {
                    run.text.append(character)
                    run.width += width
                    current = run
                } else {
                    if let run = current { runs.append(run) }
                    current = ScreenRun(
                        row: row, column: column, text: String(character), role: cell.role, width: width)
                }
            }
            if let run = current { runs.append(run) }
        }
        return runs
    }

    /// The screen as text, one string per row, wide characters once (no padding for their second column).
    public func lines() -> [String] {
        (0..<size.rows).map { row in
            String((0..<size.columns).compactMap { self[row, $0].character })
        }
    }
}
