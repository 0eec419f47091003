import Testing
import WorkbenchTUI

@Suite("TextBuffer")
struct TextBufferTests {
    /// A buffer holding `text` with the cursor at `line`, `column`.
    private func make(_ text: String, line: Int = 0, column: Int = 0) -> TextBuffer {
        var buffer = TextBuffer(text: text)
        buffer.goTo(line: line, column: column)
        return buffer
    }

    private func position(_ line: Int, _ column: Int) -> TextPosition {
        TextPosition(line: line, column: column)
    }

    @Test func crlfInputIsNormalized() {
        let buffer = TextBuffer(text: "a := 1;\r\nb := 2;\r\n")
        #expect(buffer.lines == ["a := 1;", "b := 2;", ""])
        #expect(buffer.text == "a := 1;\nb := 2;\n")
        #expect(TextBuffer(text: "").lines == [""])
        #expect(buffer.isModified == false)
    }

    @Test func newlineAfterThenIndentsOneLevel() {
        var buffer = make("    IF #x THEN // start", line: 0, column: 23)
        buffer.insertNewline()
        #expect(buffer.lines == ["    IF #x THEN // start", "        "])
        #expect(buffer.cursor == position(1, 8))
        var plain = make("  #a := 1;", line: 0, column: 10)
        plain.insertNewline()
        #expect(plain.lines == ["  #a := 1;", "  "])
        #expect(plain.cursor == position(1, 2))
    }

    @Test func newlineIndentsAfterVarConstantRegionAndOpenParenthesis() {
        for line in ["VAR CONSTANT", "var_input", "REGION Init stuff", "#r := LIMIT(", "CASE #s OF"] {
            var buffer = make(line, line: 0, column: line.count)
            buffer.insertNewline()
            #expect(buffer.lines[1] == "    ", "after \(line)")
        }
        var string = make("#s := 'THEN'", line: 0, column: 12)
        string.insertNewline()
        #expect(string.lines[1] == "")
        var split = make("IF #a THEN #b := 1;", line: 0, column: 10)
        split.insertNewline()
        #expect(split.lines == ["IF #a THEN", "     #b := 1;"])
    }

    @Test func tabInsertsSpacesToNextIndentStop() {
        var buffer = make("ab")
        buffer.moveRight()
        buffer.insertTab()
        #expect(buffer.text == "a   b")
        #expect(buffer.cursor == position(0, 4))
        buffer.insertTab()
        #expect(buffer.text == "a       b")
    }

    @Test func backspaceInLeadingWhitespaceDeletesToPreviousIndentStop() {
        var buffer = make("      x", line: 0, column: 6)
        buffer.deleteBackward()
        #expect(buffer.text == "    x")
        #expect(buffer.cursor == position(0, 4))
        buffer.deleteBackward()
        #expect(buffer.text == "x")
        var inText = make("ab  c", line: 0, column: 4)
        inText.deleteBackward()
        #expect(inText.text == "ab c")
    }

    @Test func backspaceAtLineStartJoinsLines() {
        var buffer = make("abc\ndef", line: 1, column: 0)
        buffer.deleteBackward()
        #expect(buffer.lines == ["abcdef"])
        #expect(buffer.cursor == position(0, 3))
    }

    @Test func deleteForwardAtLineEndJoinsNextLine() {
        var buffer = make("abc\ndef", line: 0, column: 3)
        buffer.deleteForward()
        #expect(buffer.lines == ["abcdef"])
        buffer.deleteForward()
        #expect(buffer.lines == ["abcef"])
        #expect(buffer.cursor == position(0, 3))
    }

    @Test func typedCharactersUndoAsOneStep() {
        var buffer = make("x")
        for character in "abc" { buffer.insert(String(character)) }
        #expect(buffer.text == "abcx")
        let undone = buffer.undo()
        #expect(undone)
        #expect(buffer.text == "x")
        #expect(buffer.cursor == position(0, 0))
        #expect(!buffer.canUndo)
        let redone = buffer.redo()
        #expect(redone)
        #expect(buffer.text == "abcx")
        #expect(buffer.cursor == position(0, 3))
    }

    @Test func movementBreaksTheTypingUndoStep() {
        var buffer = make("")
        buffer.insert("a")
        buffer.insert("b")
        buffer.moveLeft()
        buffer.insert("c")
        #expect(buffer.text == "acb")
        buffer.undo()
        #expect(buffer.text == "ab")
        buffer.undo()
        #expect(buffer.text == "")
    }

    @Test func undoRestoresTextAndCursorAndSavedState() {
        var buffer = make("one\ntwo", line: 1, column: 3)
        buffer.insert("!")
        buffer.markSaved()
        #expect(!buffer.isModified)
        buffer.deleteLine()
        #expect(buffer.lines == ["one"])
        #expect(buffer.isModified)
        let undoneDelete = buffer.undo()
        #expect(undoneDelete)
        #expect(buffer.text == "one\ntwo!")
        #expect(buffer.cursor == position(1, 4))
        #expect(!buffer.isModified)
        let undoneInsert = buffer.undo()
        #expect(undoneInsert)
        #expect(buffer.text == "one\ntwo")
        #expect(buffer.isModified)
        let undoneNothing = buffer.undo()
        #expect(!undoneNothing)
    }

    @Test func newEditClearsRedo() {
        var buffer = make("a")
        buffer.insert("b")
        buffer.undo()
        #expect(buffer.canRedo)
        buffer.insertNewline()
        #expect(!buffer.canRedo)
        let redone = buffer.redo()
        #expect(!redone)
        #expect(buffer.lines == ["", "a"])
    }

    @Test func undoKeepsAtMostOneThousandSteps() {
        var buffer = make("")
        for _ in 0..<1005 { buffer.insertNewline() }
        var steps = 0
        while buffer.undo() { steps += 1 }
        #expect(steps == 1000)
        #expect(buffer.lines.count == 6)
    }

    @Test func insertReplacesSelectionAndSplitsLines() {
        var buffer = make("hello world", line: 0, column: 6)
        buffer.moveToLineEnd(extendSelection: true)
        #expect(buffer.selectedText == "world")
        buffer.insert("big\r\nplanet")
        #expect(buffer.lines == ["hello big", "planet"])
        #expect(buffer.cursor == position(1, 6))
        #expect(buffer.selectionAnchor == nil)
        buffer.selectAll()
        #expect(buffer.selectedText == "hello big\nplanet")
        buffer.insert("x")
        #expect(buffer.text == "x")
    }

    @Test func upAndDownKeepThePreferredColumn() {
        var buffer = make("abcdef\nab\nabcdef", line: 0, column: 5)
        buffer.moveDown()
        #expect(buffer.cursor == position(1, 2))
        buffer.moveDown()
        #expect(buffer.cursor == position(2, 5))
        buffer.moveDown()
        #expect(buffer.cursor == position(2, 6))
        buffer.pageUp(10)
        #expect(buffer.cursor == position(0, 6))
    }

    @Test func smartHomeTogglesBetweenFirstNonBlankAndColumnZero() {
        var buffer = make("    x := 1;", line: 0, column: 9)
        buffer.moveToLineStart()
        #expect(buffer.cursor == position(0, 4))
        buffer.moveToLineStart()
        #expect(buffer.cursor == position(0, 0))
        buffer.moveToLineStart()
        #expect(buffer.cursor == position(0, 4))
    }

    @Test func wordMovementStopsAtWordEdgesAndWraps() {
        var buffer = make("#speed := 10;\nEND_IF", line: 0, column: 0)
        buffer.moveWordRight()
        #expect(buffer.cursor == position(0, 1))
        buffer.moveWordRight()
        #expect(buffer.cursor == position(0, 6))
        buffer.moveWordRight()
        #expect(buffer.cursor == position(0, 9))
        buffer.goTo(line: 0, column: 13)
        buffer.moveWordRight()
        #expect(buffer.cursor == position(1, 0))
        buffer.moveWordLeft()
        #expect(buffer.cursor == position(0, 13))
        buffer.moveWordLeft(extendSelection: true)
        #expect(buffer.selectedText == ";")
    }

    @Test func findWrapsAroundAndSelects() {
        var buffer = make("Motor\nx := motor;\nMOTOR", line: 1, column: 6)
        let foundNext = buffer.find("motor")
        #expect(foundNext)
        #expect(buffer.selectionAnchor == position(2, 0))
        #expect(buffer.cursor == position(2, 5))
        let foundWrapped = buffer.find("motor")
        #expect(foundWrapped)
        #expect(buffer.cursor == position(0, 5))
        #expect(buffer.selectedText == "Motor")
        let foundExact = buffer.find("motor", caseSensitive: true)
        #expect(foundExact)
        #expect(buffer.selection == position(1, 5)..<position(1, 10))
        let foundBackwards = buffer.find("motor", backwards: true)
        #expect(foundBackwards)
        #expect(buffer.selection == position(0, 0)..<position(0, 5))
        let foundPump = buffer.find("pump")
        #expect(!foundPump)
        let foundEmpty = buffer.find("")
        #expect(!foundEmpty)
    }

    @Test func replaceAllCountsMatchesAsOneUndoStep() {
        var buffer = make("a := A + b;\nc := a;")
        let replaced = buffer.replaceAll("a", with: "x")
        #expect(replaced == 3)
        #expect(buffer.text == "x := x + b;\nc := x;")
        let replacedNothing = buffer.replaceAll("nothing", with: "y")
        #expect(replacedNothing == 0)
        buffer.undo()
        #expect(buffer.text == "a := A + b;\nc := a;")
        #expect(!buffer.canUndo)
        buffer.replaceAll(with: "formatted")
        #expect(buffer.text == "formatted")
        buffer.undo()
        #expect(buffer.text == "a := A + b;\nc := a;")
    }

    @Test func matchesReportColumnsInCharacters() {
        let buffer = make("\"Größe\" := größe;\nnone\ngröße")
        let found = buffer.matches(of: "GRÖSSE", lines: 0..<3)
        #expect(found.isEmpty)
        let matches = buffer.matches(of: "größe", lines: 0..<99)
        #expect(matches.map(\.line) == [0, 0, 2])
        #expect(matches.map(\.columns) == [1..<6, 11..<16, 0..<5])
        #expect(buffer.matches(of: "größe", caseSensitive: true, lines: 1..<3).map(\.line) == [2])
    }

    @Test func matchingPairFindsBracketPartner() {
        var buffer = make("x := (a[1] + (b));", line: 0, column: 5)
        #expect(buffer.matchingPair() == position(0, 16))
        buffer.goTo(line: 0, column: 10)
        #expect(buffer.matchingPair() == position(0, 7))
        var comment = make("x := (* ( *) (a);", line: 0, column: 13)
        #expect(comment.matchingPair() == position(0, 15))
        comment.goTo(line: 0, column: 8)
        #expect(comment.matchingPair() == nil)
    }

    @Test func matchingPairFindsEndIfAcrossNesting() {
        let text = """
            IF #a THEN
                if #b then
                    #c := 1;
                END_IF;
            ELSIF #d THEN
                FOR #i := 1 TO 3 DO END_FOR;
            END_IF;
            """
        var buffer = make(text, line: 0, column: 1)
        #expect(buffer.matchingPair() == position(6, 0))
        buffer.goTo(line: 6, column: 6)
        #expect(buffer.matchingPair() == position(0, 0))
        buffer.goTo(line: 1, column: 4)
        #expect(buffer.matchingPair() == position(3, 4))
        buffer.goTo(line: 5, column: 24)
        #expect(buffer.matchingPair() == position(5, 4))
        buffer.goTo(line: 4, column: 2)
        #expect(buffer.matchingPair() == nil)
    }

    @Test func matchingPairIgnoresKeywordsInComments() {
        let text = """
            REGION Start IF here
            // END_REGION
            #s := 'END_REGION'; (* END_REGION *)
            END_REGION
            """
        var buffer = make(text, line: 0, column: 0)
        #expect(buffer.matchingPair() == position(3, 0))
        buffer.goTo(line: 0, column: 14)
        #expect(buffer.matchingPair() == nil)
        buffer.goTo(line: 1, column: 5)
        #expect(buffer.matchingPair() == nil)
    }

    @Test func wordBeforeCursorIncludesHashAndQuote() {
        #expect(make("x := #spe", line: 0, column: 9).wordBeforeCursor() == ("#spe", 5))
        #expect(make("x := \"My Ta", line: 0, column: 11).wordBeforeCursor() == ("\"My Ta", 5))
        #expect(make("a.b_1", line: 0, column: 5).wordBeforeCursor() == ("b_1", 2))
        #expect(make("x := ", line: 0, column: 5).wordBeforeCursor() == ("", 5))
    }

    @Test func completeReplacesWordAsOneUndoStep() {
        var buffer = make("x := #spe;", line: 0, column: 9)
        let word = buffer.wordBeforeCursor()
        buffer.complete(from: word.start, with: "#speed")
        #expect(buffer.text == "x := #speed;")
        #expect(buffer.cursor == position(0, 11))
        buffer.undo()
        #expect(buffer.text == "x := #spe;")
    }

    @Test func deleteLineRemovesTheCursorLine() {
        var buffer = make("a\nbb\nc", line: 1, column: 2)
        buffer.deleteLine()
        #expect(buffer.lines == ["a", "c"])
        #expect(buffer.cursor == position(1, 1))
        buffer.deleteLine()
        buffer.deleteLine()
        #expect(buffer.lines == [""])
        #expect(buffer.cursor == position(0, 0))
    }

    @Test func operationsAtTheEdgesDoNotCrash() {
        var buffer = TextBuffer(text: "")
        let undone = buffer.undo()
        #expect(!undone)
        let redone = buffer.redo()
        #expect(!redone)
        buffer.deleteBackward()
        buffer.deleteForward()
        buffer.deleteLine()
        buffer.moveLeft()
        buffer.moveUp()
        buffer.moveWordLeft()
        buffer.moveRight()
        buffer.moveDown()
        buffer.moveWordRight()
        buffer.pageUp(-5)
        buffer.pageDown(0)
        buffer.complete(from: 99, with: "")
        #expect(buffer.text == "")
        #expect(!buffer.isModified)
        #expect(!buffer.canUndo)
        #expect(buffer.matchingPair() == nil)
        #expect(buffer.matches(of: "x", lines: -3..<40).isEmpty)
        buffer.goTo(line: -4, column: -9)
        #expect(buffer.cursor == position(0, 0))
        var text = TextBuffer(text: "ab\ncd")
        text.goTo(line: 99, column: 99)
        #expect(text.cursor == position(1, 2))
        text.moveDown()
        text.deleteForward()
        #expect(text.cursor == position(1, 2))
        #expect(text.text == "ab\ncd")
        #expect(text.selectedText == nil)
    }
}
