/// A position in the text: zero-based line and column counted in Characters (grapheme clusters).
public struct TextPosition: Hashable, Sendable, Comparable {
    /// The zero-based line number.
    public var line: Int
    /// The zero-based column, counted in Characters.
    public var column: Int

    /// Creates the position at `line` and `column`.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// Orders positions by line first, then by column.
    public static func < (lhs: TextPosition, rhs: TextPosition) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}

/// The text of one editor (the SCL block editor): lines, a cursor, an optional selection, and an undo history.
///
/// Pure logic, no drawing. Every operation is total: positions are clamped, and edits that cannot apply (such as
/// backspace at the start of the text) do nothing.
///
/// ```swift
/// var buffer = TextBuffer(text: "IF x THEN")
/// buffer.moveToLineEnd()
/// buffer.insertNewline()
/// buffer.text   // "IF x THEN\n    "
/// ```
public struct TextBuffer: Sendable {
    /// The lines of the text, without line breaks. Never empty: an empty text is one empty line.
    public private(set) var lines: [String]
    /// Where the cursor is; always a valid position (column at most the length of its line).
    public private(set) var cursor: TextPosition
    /// The anchor of a selection (nil = none); selection is between anchor and cursor.
    public private(set) var selectionAnchor: TextPosition?
    /// The text inserted per indentation level, by auto-indent and tab.
    public var indentUnit: String = "    "

    /// One state in the undo history.
    private struct Snapshot: Sendable {
        var lines: [String]
        var cursor: TextPosition
        var generation: Int
    }

    /// How many undo steps are kept.
    private static let undoLimit = 1000
    private var undoStack: [Snapshot] = []
    private var redoStack: [Snapshot] = []
    /// Identifies the current text state; every edit gives a new one, undo and redo bring old ones back.
    private var generation = 0
    private var nextGeneration = 1
    private var savedGeneration = 0
    /// The column up/down movement aims for, kept across consecutive vertical moves.
    private var preferredColumn: Int?
    /// True right after a typed character, so the next typed character joins the same undo step.
    private var typingRun = false

    /// Creates a buffer holding `text`, split on "\n" ("\r\n" and a lone "\r" count as "\n"), cursor at the start.
    /// A trailing line break gives a last empty line.
    public init(text: String) {
        lines = Self.splitLines(text)
        cursor = TextPosition(line: 0, column: 0)
    }

    /// The whole text: the lines joined with "\n".
    public var text: String { lines.joined(separator: "\n") }

    /// True when the text differs from the state at creation or at the last `markSaved()` (undo back to that state
    /// makes it false again).
    public var isModified: Bool { generation != savedGeneration }

    /// Records the current text as saved, so `isModified` becomes false.
    public mutating func markSaved() {
        savedGeneration = generation
        typingRun = false
    }

    /// The selected range from its earlier to its later end, or nil when nothing (or an empty range) is selected.
    public var selection: Range<TextPosition>? {
        guard let anchor = selectionAnchor, anchor != cursor else { return nil }
        return min(anchor, cursor)..<max(anchor, cursor)
    }

    /// The selected text (lines joined with "\n"), or nil when nothing is selected.
    public var selectedText: String? {
        guard let range = selection else { return nil }
        let start = range.lowerBound
        let end = range.upperBound
        let first = Array(lines[start.line])
        if start.line == end.line {
            return String(first[start.column..<end.column])
        }
        var parts = [String(first[start.column...])]
        parts += lines[(start.line + 1)..<end.line]
        parts.append(String(Array(lines[end.line])[..<end.column]))
        return parts.joined(separator: "\n")
    }

    // MARK: - Movement

    /// Moves one character left, wrapping to the end of the previous line. Without `extendSelection`, a selection
    /// collapses to its start instead.
    public mutating func moveLeft(extendSelection: Bool = false) {
        if !extendSelection, let range = selection {
            setCursor(range.lowerBound, extend: false)
        } else if cursor.column > 0 {
            setCursor(TextPosition(line: cursor.line, column: cursor.column - 1), extend: extendSelection)
        } else if cursor.line > 0 {
            setCursor(TextPosition(line: cursor.line - 1, column: lineLength(cursor.line - 1)), extend: extendSelection)
        } else {
            setCursor(cursor, extend: extendSelection)
        }
    }

    /// Moves one character right, wrapping to the start of the next line. Without `extendSelection`, a selection
    /// collapses to its end instead.
    public mutating func moveRight(extendSelection: Bool = false) {
        if !extendSelection, let range = selection {
            setCursor(range.upperBound, extend: false)
        } else if cursor.column < lineLength(cursor.line) {
            setCursor(TextPosition(line: cursor.line, column: cursor.column + 1), extend: extendSelection)
        } else if cursor.line < lines.count - 1 {
            setCursor(TextPosition(line: cursor.line + 1, column: 0), extend: extendSelection)
        } else {
            setCursor(cursor, extend: extendSelection)
        }
    }

    /// Moves one line up, aiming for the column where the run of vertical moves started; on the first line, moves
    /// to its start.
    public mutating func moveUp(extendSelection: Bool = false) {
        moveVertically(by: -1, extend: extendSelection)
    }

    /// Moves one line down, aiming for the column where the run of vertical moves started; on the last line, moves
    /// to its end.
    public mutating func moveDown(extendSelection: Bool = false) {
        moveVertically(by: 1, extend: extendSelection)
    }

    /// Smart home: moves to the first non-blank character of the line, or to column 0 when already there.
    public mutating func moveToLineStart(extendSelection: Bool = false) {
        let chars = Array(lines[cursor.line])
        let firstNonBlank = chars.firstIndex { !$0.isWhitespace } ?? chars.count
        let column = cursor.column == firstNonBlank ? 0 : firstNonBlank
        setCursor(TextPosition(line: cursor.line, column: column), extend: extendSelection)
    }

    /// Moves to the end of the line.
    public mutating func moveToLineEnd(extendSelection: Bool = false) {
        setCursor(TextPosition(line: cursor.line, column: lineLength(cursor.line)), extend: extendSelection)
    }

    /// Moves to the start of the word before the cursor (skipping blanks), or to the end of the previous line when
    /// at column 0.
    public mutating func moveWordLeft(extendSelection: Bool = false) {
        guard cursor.column > 0 else {
            moveLeft(extendSelection: extendSelection)
            return
        }
        let chars = Array(lines[cursor.line])
        var column = cursor.column
        while column > 0, chars[column - 1].isWhitespace { column -= 1 }
        if column > 0 {
            let kind = Self.characterClass(chars[column - 1])
            while column > 0, Self.characterClass(chars[column - 1]) == kind { column -= 1 }
        }
        setCursor(TextPosition(line: cursor.line, column: column), extend: extendSelection)
    }

    /// Moves to the end of the word after the cursor (skipping blanks), or to the start of the next line when at
    /// the end of the line.
    public mutating func moveWordRight(extendSelection: Bool = false) {
        let chars = Array(lines[cursor.line])
        guard cursor.column < chars.count else {
            moveRight(extendSelection: extendSelection)
            return
        }
        var column = cursor.column
        while column < chars.count, chars[column].isWhitespace { column += 1 }
        if column < chars.count {
            let kind = Self.characterClass(chars[column])
            while column < chars.count, Self.characterClass(chars[column]) == kind { column += 1 }
        }
        setCursor(TextPosition(line: cursor.line, column: column), extend: extendSelection)
    }

    /// Moves `rows` lines up (at least one), keeping the preferred column; clears the selection.
    public mutating func pageUp(_ rows: Int) {
        moveVertically(by: -max(1, rows), extend: false, stopAtEdge: true)
    }

    /// Moves `rows` lines down (at least one), keeping the preferred column; clears the selection.
    public mutating func pageDown(_ rows: Int) {
        moveVertically(by: max(1, rows), extend: false, stopAtEdge: true)
    }

    /// Moves to the start of the text; clears the selection.
    public mutating func moveToStart() {
        setCursor(TextPosition(line: 0, column: 0), extend: false)
    }

    /// Moves to the end of the text; clears the selection.
    public mutating func moveToEnd() {
        let last = lines.count - 1
        setCursor(TextPosition(line: last, column: lineLength(last)), extend: false)
    }

    /// Moves to `line` and `column` (both zero-based), clamped to the text; clears the selection.
    public mutating func goTo(line: Int, column: Int = 0) {
        setCursor(TextPosition(line: line, column: column), extend: false)
    }

    /// Selects the whole text: anchor at the start, cursor at the end.
    public mutating func selectAll() {
        moveToEnd()
        selectionAnchor = TextPosition(line: 0, column: 0)
    }

    // MARK: - Editing

    /// Inserts `text` (which may contain line breaks) at the cursor, replacing the selection if any; the cursor
    /// ends after it. Consecutive single typed characters form one undo step.
    public mutating func insert(_ text: String) {
        let typing = selection == nil && text.count == 1 && !Self.isLineBreak(text)
        let base = linesWithoutSelection()
        let result = Self.replacing(in: base.lines, from: base.cursor, to: base.cursor, with: text)
        commit(result.lines, cursor: result.end, typing: typing)
    }

    /// Breaks the line at the cursor (replacing the selection if any). The new line gets the leading whitespace of
    /// the current one, plus one `indentUnit` after an SCL block opener (THEN, DO, ELSE, OF, BEGIN, REPEAT, VAR...,
    /// STRUCT, a REGION line, or an open parenthesis).
    public mutating func insertNewline() {
        let base = linesWithoutSelection()
        let position = base.cursor
        let chars = Array(base.lines[position.line])
        let before = Array(chars[..<position.column])
        let after = String(chars[position.column...])
        let leading = before.prefix { $0 == " " || $0 == "\t" }
        var indent = String(leading)
        var left = String(before)
        if leading.count == before.count {
            left = ""
        } else if Self.opensBlock(left) {
            indent += indentUnit
        }
        var newLines = base.lines
        newLines.replaceSubrange(position.line...position.line, with: [left, indent + after])
        commit(newLines, cursor: TextPosition(line: position.line + 1, column: indent.count))
    }

    /// Inserts spaces up to the next multiple of `indentUnit.count` (replacing the selection if any); when the
    /// indent unit is not made of spaces (a tab), inserts it as it is.
    public mutating func insertTab() {
        let base = linesWithoutSelection()
        let insertion: String
        if indentUnit.allSatisfy({ $0 == " " }) {
            let width = indentUnit.isEmpty ? 4 : indentUnit.count
            insertion = String(repeating: " ", count: width - base.cursor.column % width)
        } else {
            insertion = indentUnit
        }
        let result = Self.replacing(in: base.lines, from: base.cursor, to: base.cursor, with: insertion)
        commit(result.lines, cursor: result.end)
    }

    /// Backspace: deletes the selection, or the character before the cursor (joining with the previous line at
    /// column 0). Within leading spaces it deletes back to the previous indent stop.
    public mutating func deleteBackward() {
        if let range = selection {
            deleteRange(range.lowerBound, range.upperBound)
            return
        }
        if cursor.column == 0 {
            guard cursor.line > 0 else {
                commit(lines, cursor: cursor)
                return
            }
            deleteRange(TextPosition(line: cursor.line - 1, column: lineLength(cursor.line - 1)), cursor)
            return
        }
        let before = Array(lines[cursor.line])[..<cursor.column]
        var start = cursor.column - 1
        let width = indentUnit.count
        if width > 1, indentUnit.allSatisfy({ $0 == " " }), before.allSatisfy({ $0 == " " }) {
            start = ((cursor.column - 1) / width) * width
        }
        deleteRange(TextPosition(line: cursor.line, column: start), cursor)
    }

    /// Delete key: deletes the selection, or the character after the cursor (joining with the next line at the end
    /// of a line).
    public mutating func deleteForward() {
        if let range = selection {
            deleteRange(range.lowerBound, range.upperBound)
        } else if cursor.column < lineLength(cursor.line) {
            deleteRange(cursor, TextPosition(line: cursor.line, column: cursor.column + 1))
        } else if cursor.line < lines.count - 1 {
            deleteRange(cursor, TextPosition(line: cursor.line + 1, column: 0))
        } else {
            commit(lines, cursor: cursor)
        }
    }

    /// Removes the cursor's line (or every line the selection touches); the cursor stays on the same line number.
    public mutating func deleteLine() {
        var first = cursor.line
        var last = cursor.line
        if let range = selection {
            first = range.lowerBound.line
            last = range.upperBound.line
            if range.upperBound.column == 0, last > first { last -= 1 }
        }
        var newLines = lines
        newLines.removeSubrange(first...last)
        if newLines.isEmpty { newLines = [""] }
        commit(newLines, cursor: TextPosition(line: min(first, newLines.count - 1), column: cursor.column))
    }

    /// Replaces the whole text with `text` in one undo step (used by "format"); the cursor keeps its line and
    /// column where they still exist.
    public mutating func replaceAll(with text: String) {
        commit(Self.splitLines(text), cursor: cursor)
    }

    // MARK: - Undo

    /// True when there is an edit to undo.
    public var canUndo: Bool { !undoStack.isEmpty }

    /// True when there is an undone edit to redo.
    public var canRedo: Bool { !redoStack.isEmpty }

    /// Restores the text and cursor from before the last edit; returns false when there is nothing to undo.
    @discardableResult
    public mutating func undo() -> Bool {
        guard let previous = undoStack.popLast() else { return false }
        redoStack.append(Snapshot(lines: lines, cursor: cursor, generation: generation))
        restore(previous)
        return true
    }

    /// Reapplies the last undone edit; returns false when there is nothing to redo.
    @discardableResult
    public mutating func redo() -> Bool {
        guard let next = redoStack.popLast() else { return false }
        undoStack.append(Snapshot(lines: lines, cursor: cursor, generation: generation))
        restore(next)
        return true
    }

    // MARK: - Search

    /// The next match of `needle` after the cursor (wrapping around), case-insensitive unless caseSensitive; selects
    /// it (anchor at the start, cursor at the end) and returns true, or false if none.
    @discardableResult
    public mutating func find(_ needle: String, caseSensitive: Bool = false, backwards: Bool = false) -> Bool {
        let pattern = Self.folded(Array(needle), caseSensitive: caseSensitive)
        guard !pattern.isEmpty else { return false }
        let count = lines.count
        if backwards {
            let from = selection?.lowerBound ?? cursor
            for step in 0...count {
                let line = ((from.line - step) % count + count) % count
                let found = Self.ranges(of: pattern, in: lines[line], caseSensitive: caseSensitive)
                let match = step == 0 ? found.last { $0.lowerBound < from.column } : found.last
                if let match {
                    select(line: line, columns: match)
                    return true
                }
            }
        } else {
            let from = selection?.upperBound ?? cursor
            for step in 0...count {
                let line = (from.line + step) % count
                let found = Self.ranges(of: pattern, in: lines[line], caseSensitive: caseSensitive)
                let match = step == 0 ? found.first { $0.lowerBound >= from.column } : found.first
                if let match {
                    select(line: line, columns: match)
                    return true
                }
            }
        }
        return false
    }

    /// Replaces every match; returns the count; one undo step.
    @discardableResult
    public mutating func replaceAll(_ needle: String, with replacement: String, caseSensitive: Bool = false) -> Int {
        let pattern = Self.folded(Array(needle), caseSensitive: caseSensitive)
        guard !pattern.isEmpty else { return 0 }
        var total = 0
        var newLines: [String] = []
        newLines.reserveCapacity(lines.count)
        for line in lines {
            let found = Self.ranges(of: pattern, in: line, caseSensitive: caseSensitive)
            guard !found.isEmpty else {
                newLines.append(line)
                continue
            }
            let chars = Array(line)
            var result = ""
            var column = 0
            for range in found {
                result += String(chars[column..<range.lowerBound]) + replacement
                column = range.upperBound
            }
            result += String(chars[column...])
            newLines.append(result)
            total += found.count
        }
        guard total > 0 else { return 0 }
        commit(Self.splitLines(newLines.joined(separator: "\n")), cursor: cursor)
        return total
    }

    /// All matches in a line range, for highlighting: (line, columns range).
    public func matches(
        of needle: String, caseSensitive: Bool = false, lines range: Range<Int>
    ) -> [(line: Int, columns: Range<Int>)] {
        let pattern = Self.folded(Array(needle), caseSensitive: caseSensitive)
        let lower = min(max(range.lowerBound, 0), lines.count)
        let upper = min(max(range.upperBound, lower), lines.count)
        guard !pattern.isEmpty else { return [] }
        var result: [(line: Int, columns: Range<Int>)] = []
        for line in lower..<upper {
            for columns in Self.ranges(of: pattern, in: lines[line], caseSensitive: caseSensitive) {
                result.append((line: line, columns: columns))
            }
        }
        return result
    }

    // MARK: - Matching pairs

    /// The partner of the bracket ( ) [ ] at or just before the cursor, or for a block keyword at the cursor
    /// (IF/END_IF, FOR/END_FOR, WHILE/END_WHILE, REPEAT/END_REPEAT, CASE/END_CASE, REGION/END_REGION, nested
    /// correctly, case-insensitive, whole words only, ignoring text inside // comments, (* *) comments on one line,
    /// and '...' strings): its position (start of the partner token), or nil.
    public func matchingPair() -> TextPosition? {
        bracketPartner() ?? keywordPartner()
    }

    // MARK: - Completion

    /// The identifier-like word ending at the cursor (letters, digits, _ ; also a leading # or a leading " for
    /// tags), for completion; and its start column. Inside an open "..." tag name, the word starts at the quote.
    public func wordBeforeCursor() -> (text: String, start: Int) {
        let chars = Array(lines[cursor.line])
        let before = chars[..<cursor.column]
        if before.count(where: { $0 == "\"" }) % 2 == 1, let quote = before.lastIndex(of: "\"") {
            return (String(chars[quote..<cursor.column]), quote)
        }
        var start = cursor.column
        while start > 0, Self.isWordCharacter(chars[start - 1]) { start -= 1 }
        if start > 0, chars[start - 1] == "#" { start -= 1 }
        return (String(chars[start..<cursor.column]), start)
    }

    /// Replaces the text from `start` column to the cursor on the cursor line with `completion` (one undo step).
    public mutating func complete(from start: Int, with completion: String) {
        let column = min(max(start, 0), cursor.column)
        let result = Self.replacing(
            in: lines, from: TextPosition(line: cursor.line, column: column), to: cursor, with: completion)
        commit(result.lines, cursor: result.end)
    }
}

// MARK: - Internals

extension TextBuffer {
    /// The block keywords that pair up, opener to closer.
    private static let blockPairs: [String: String] = [
        "IF": "END_IF", "FOR": "END_FOR", "WHILE": "END_WHILE", "REPEAT": "END_REPEAT", "CASE": "END_CASE",
        "REGION": "END_REGION",
    ]
    /// The closers, closer to opener.
    private static let blockClosers: [String: String] = Dictionary(
        uniqueKeysWithValues: blockPairs.map { ($0.value, $0.key) })
    /// Words that, ending a line, open an indented block.
    private static let indentingWords: Set<String> = [
        "THEN", "DO", "ELSE", "OF", "BEGIN", "REPEAT", "VAR", "VAR_INPUT", "VAR_OUTPUT", "VAR_IN_OUT", "VAR_TEMP",
        "VAR_STAT", "STRUCT",
    ]

    /// A block keyword found in the code of a line.
    private struct KeywordToken {
        var column: Int
        var word: String
        var length: Int
    }

    /// The length of line `index`, in Characters.
    private func lineLength(_ index: Int) -> Int { lines[index].count }

    /// `position` moved to the nearest valid position in `lines`.
    private static func clamp(_ position: TextPosition, in lines: [String]) -> TextPosition {
        let line = min(max(position.line, 0), max(lines.count - 1, 0))
        let length = lines.isEmpty ? 0 : lines[line].count
        return TextPosition(line: line, column: min(max(position.column, 0), length))
    }

    /// `text` split into lines on "\n", "\r\n" and "\r"; at least one line.
    private static func splitLines(_ text: String) -> [String] {
        let parts = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        return parts.isEmpty ? [""] : parts.map(String.init)
    }

    /// True when `text` is a single line break.
    private static func isLineBreak(_ text: String) -> Bool {
        text == "\n" || text == "\r\n" || text == "\r"
    }

    /// Letters, digits and underscore: the characters of an identifier.
    private static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_"
    }

    /// 0 for blanks, 1 for identifier characters, 2 for anything else (word movement stops where the class changes).
    private static func characterClass(_ character: Character) -> Int {
        if character.isWhitespace { return 0 }
        return isWordCharacter(character) ? 1 : 2
    }

    /// `lines` with the text between `start` and `end` replaced by `text`, and the position just after the
    /// inserted text.
    private static func replacing(
        in lines: [String], from start: TextPosition, to end: TextPosition, with text: String
    ) -> (lines: [String], end: TextPosition) {
        let first = clamp(min(start, end), in: lines)
        let last = clamp(max(start, end), in: lines)
        let prefix = String(Array(lines[first.line])[..<first.column])
        let suffix = String(Array(lines[last.line])[last.column...])
        let pieces = splitLines(text)
        var newLines = Array(lines[..<first.line])
        let endPosition: TextPosition
        if pieces.count == 1 {
            let head = prefix + pieces[0]
            newLines.append(head + suffix)
            endPosition = TextPosition(line: first.line, column: head.count)
        } else {
            newLines.append(prefix + pieces[0])
            newLines += pieces[1..<(pieces.count - 1)]
            let tail = pieces[pieces.count - 1]
            newLines.append(tail + suffix)
            endPosition = TextPosition(line: first.line + pieces.count - 1, column: tail.count)
        }
        newLines += lines[(last.line + 1)...]
        return (newLines, endPosition)
    }

    /// The lines and cursor as they would be with the selection deleted.
    private func linesWithoutSelection() -> (lines: [String], cursor: TextPosition) {
        guard let range = selection else { return (lines, cursor) }
        let result = Self.replacing(in: lines, from: range.lowerBound, to: range.upperBound, with: "")
        return (result.lines, result.end)
    }

    /// Deletes the text between two positions as one edit.
    private mutating func deleteRange(_ start: TextPosition, _ end: TextPosition) {
        let result = Self.replacing(in: lines, from: start, to: end, with: "")
        commit(result.lines, cursor: result.end)
    }

    /// Makes `newLines` the text, recording one undo step (or extending the current typing step) when it changed.
    /// Clears the selection and the preferred column.
    private mutating func commit(_ newLines: [String], cursor newCursor: TextPosition, typing: Bool = false) {
        selectionAnchor = nil
        preferredColumn = nil
        let safeLines = newLines.isEmpty ? [""] : newLines
        guard safeLines != lines else {
            cursor = Self.clamp(newCursor, in: lines)
            typingRun = false
            return
        }
        if !(typing && typingRun) {
            undoStack.append(Snapshot(lines: lines, cursor: cursor, generation: generation))
            if undoStack.count > Self.undoLimit {
                undoStack.removeFirst(undoStack.count - Self.undoLimit)
            }
        }
        redoStack.removeAll()
        lines = safeLines
        cursor = Self.clamp(newCursor, in: safeLines)
        generation = nextGeneration
        nextGeneration += 1
        typingRun = typing
    }

    /// Brings back a state from the undo or redo stack.
    private mutating func restore(_ snapshot: Snapshot) {
        lines = snapshot.lines.isEmpty ? [""] : snapshot.lines
        cursor = Self.clamp(snapshot.cursor, in: lines)
        generation = snapshot.generation
        selectionAnchor = nil
        preferredColumn = nil
        typingRun = false
    }

    /// Puts the cursor at `position` (clamped); with `extend`, keeps or starts a selection, otherwise clears it.
    private mutating func setCursor(_ position: TextPosition, extend: Bool, keepPreferredColumn: Bool = false) {
        if extend {
            if selectionAnchor == nil { selectionAnchor = cursor }
        } else {
            selectionAnchor = nil
        }
        cursor = Self.clamp(position, in: lines)
        if !keepPreferredColumn { preferredColumn = nil }
        typingRun = false
    }

    /// Moves `delta` lines keeping the preferred column. Past the first or last line, either goes to the start or
    /// end of the text, or (`stopAtEdge`) stops at that line.
    private mutating func moveVertically(by delta: Int, extend: Bool, stopAtEdge: Bool = false) {
        let target = preferredColumn ?? cursor.column
        let line = cursor.line + delta
        if !stopAtEdge, line < 0 {
            setCursor(TextPosition(line: 0, column: 0), extend: extend)
        } else if !stopAtEdge, line >= lines.count {
            let last = lines.count - 1
            setCursor(TextPosition(line: last, column: lineLength(last)), extend: extend)
        } else {
            let clampedLine = min(max(line, 0), lines.count - 1)
            let column = min(target, lineLength(clampedLine))
            setCursor(TextPosition(line: clampedLine, column: column), extend: extend, keepPreferredColumn: true)
            preferredColumn = target
        }
    }

    /// Selects `columns` on `line`: anchor at the start, cursor at the end.
    private mutating func select(line: Int, columns: Range<Int>) {
        setCursor(TextPosition(line: line, column: columns.upperBound), extend: false)
        selectionAnchor = TextPosition(line: line, column: columns.lowerBound)
    }

    /// The characters compared by search: themselves, or lowercased when the search ignores case.
    private static func folded(_ characters: [Character], caseSensitive: Bool) -> [String] {
        characters.map { caseSensitive ? String($0) : $0.lowercased() }
    }

    /// The non-overlapping column ranges where `pattern` (already folded) occurs in `line`, left to right.
    private static func ranges(of pattern: [String], in line: String, caseSensitive: Bool) -> [Range<Int>] {
        let haystack = folded(Array(line), caseSensitive: caseSensitive)
        guard !pattern.isEmpty, pattern.count <= haystack.count else { return [] }
        var result: [Range<Int>] = []
        var column = 0
        while column + pattern.count <= haystack.count {
            if haystack[column..<(column + pattern.count)].elementsEqual(pattern) {
                result.append(column..<(column + pattern.count))
                column += pattern.count
            } else {
                column += 1
            }
        }
        return result
    }

    /// For each character of a line, whether it is code: false inside // comments, one-line (* *) comments,
    /// '...' strings (with $ escapes) and "..." quoted names.
    private static func codeMask(_ chars: [Character]) -> [Bool] {
        var mask = Array(repeating: true, count: chars.count)
        var index = 0
        while index < chars.count {
            let character = chars[index]
            let next: Character? = index + 1 < chars.count ? chars[index + 1] : nil
            var end: Int?
            if character == "/", next == "/" {
                end = chars.count
            } else if character == "(", next == "*" {
                var scan = index + 2
                while scan < chars.count, !(chars[scan] == "*" && scan + 1 < chars.count && chars[scan + 1] == ")") {
                    scan += 1
                }
                end = min(scan + 2, chars.count)
            } else if character == "'" || character == "\"" {
                var scan = index + 1
                while scan < chars.count, chars[scan] != character {
                    scan += character == "'" && chars[scan] == "$" ? 2 : 1
                }
                end = min(scan + 1, chars.count)
            }
            if let end {
                for masked in index..<end { mask[masked] = false }
                index = end
            } else {
                index += 1
            }
        }
        return mask
    }

    /// True when `text` (the part of a line before the cursor) ends an SCL line that opens an indented block.
    private static func opensBlock(_ text: String) -> Bool {
        let chars = Array(text)
        let mask = codeMask(chars)
        let code = zip(chars, mask).map { $0.1 ? $0.0 : " " }
        guard let first = code.first(where: { !$0.isWhitespace }),
            let last = code.last(where: { !$0.isWhitespace })
        else { return false }
        if last == "(" { return true }
        let words = String(code).uppercased().split { !isWordCharacter($0) }.map(String.init)
        if isWordCharacter(first), words.first == "REGION" { return true }
        guard isWordCharacter(last), let lastWord = words.last else { return false }
        if indentingWords.contains(lastWord) { return true }
        return lastWord == "CONSTANT" && words.dropLast().last == "VAR"
    }

    /// The block keywords in the code of a line, in order. The rest of a line after REGION is its name, not code.
    private static func keywordTokens(_ line: String) -> [KeywordToken] {
        let chars = Array(line)
        let mask = codeMask(chars)
        var tokens: [KeywordToken] = []
        var index = 0
        while index < chars.count {
            guard mask[index], isWordCharacter(chars[index]) else {
                index += 1
                continue
            }
            var end = index
            while end < chars.count, mask[end], isWordCharacter(chars[end]) { end += 1 }
            let previous: Character? = index > 0 ? chars[index - 1] : nil
            let word = String(chars[index..<end]).uppercased()
            if previous != "#", previous != ".", blockPairs[word] != nil || blockClosers[word] != nil {
                tokens.append(KeywordToken(column: index, word: word, length: end - index))
                if word == "REGION" { break }
            }
            index = end
        }
        return tokens
    }

    /// The partner of a code bracket at or just before the cursor.
    private func bracketPartner() -> TextPosition? {
        let chars = Array(lines[cursor.line])
        let mask = Self.codeMask(chars)
        let pairs: [Character: (open: Character, close: Character, forward: Bool)] = [
            "(": ("(", ")", true), ")": ("(", ")", false), "[": ("[", "]", true), "]": ("[", "]", false),
        ]
        for column in [cursor.column, cursor.column - 1] where column >= 0 && column < chars.count && mask[column] {
            guard let pair = pairs[chars[column]] else { continue }
            let start = TextPosition(line: cursor.line, column: column)
            return scanBrackets(from: start, pair.open, pair.close, forward: pair.forward)
        }
        return nil
    }

    /// Walks from the bracket at `start` over code brackets of the same kind until the depth returns to zero.
    private func scanBrackets(
        from start: TextPosition, _ open: Character, _ close: Character, forward: Bool
    ) -> TextPosition? {
        var depth = 0
        var line = start.line
        while line >= 0, line < lines.count {
            let chars = Array(lines[line])
            let mask = Self.codeMask(chars)
            let columns: [Int]
            if forward {
                columns = Array((line == start.line ? start.column : 0)..<chars.count)
            } else {
                columns = Array((0..<(line == start.line ? start.column + 1 : chars.count)).reversed())
            }
            for column in columns where mask[column] {
                if chars[column] == (forward ? open : close) {
                    depth += 1
                } else if chars[column] == (forward ? close : open) {
                    depth -= 1
                    if depth == 0 { return TextPosition(line: line, column: column) }
                }
            }
            line += forward ? 1 : -1
        }
        return nil
    }

    /// The partner of the block keyword at the cursor (the cursor inside it or just after it).
    private func keywordPartner() -> TextPosition? {
        let tokens = Self.keywordTokens(lines[cursor.line])
        let column = cursor.column
        guard let index = tokens.firstIndex(where: { $0.column <= column && column <= $0.column + $0.length }) else {
            return nil
        }
        let token = tokens[index]
        let forward = Self.blockPairs[token.word] != nil
        guard let partner = Self.blockPairs[token.word] ?? Self.blockClosers[token.word] else { return nil }
        var depth = 0
        var line = cursor.line
        while line >= 0, line < lines.count {
            var lineTokens = line == cursor.line ? tokens : Self.keywordTokens(lines[line])
            if line == cursor.line {
                lineTokens = forward ? Array(lineTokens[index...]) : Array(lineTokens[...index])
            }
            for candidate in forward ? lineTokens : lineTokens.reversed() {
                if candidate.word == token.word {
                    depth += 1
                } else if candidate.word == partner {
                    depth -= 1
                    if depth == 0 { return TextPosition(line: line, column: candidate.column) }
                }
            }
            line += forward ? 1 : -1
        }
        return nil
    }
}
