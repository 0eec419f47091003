import Testing
import WorkbenchTUI

@Suite("ScreenBuffer")
struct ScreenBufferTests {
    @Test func diffYieldsOnlyChangedCells() {
        var before = ScreenBuffer(size: TerminalSize(rows: 3, columns: 12))
        before.write("DB1 Motor", row: 0, column: 0)
        before.write("STOP", row: 2, column: 8, role: .stopIndicator)
        var after = before
        after.write("DB2", row: 0, column: 0)
        after.write("RUN ", row: 2, column: 8, role: .runIndicator)
        #expect(
            after.changes(from: before) == [
                ScreenRun(row: 0, column: 2, text: "2", role: .normal, width: 1),
                ScreenRun(row: 2, column: 8, text: "RUN ", role: .runIndicator, width: 4),
            ])
        #expect(after.changes(from: after).isEmpty)
    }

    @Test func runsSplitWhereTheRoleChanges() {
        let before = ScreenBuffer(size: TerminalSize(rows: 1, columns: 8))
        var after = before
        after.write("ab", row: 0, column: 1, role: .keyword)
        after.write("cd", row: 0, column: 3, role: .number)
        #expect(after.changes(from: before).map(\.text) == ["ab", "cd"])
        #expect(after.changes(from: before).map(\.column) == [1, 3])
    }

    @Test func noPreviousOrOtherSizeRedrawsEverything() {
        var frame = ScreenBuffer(size: TerminalSize(rows: 2, columns: 3))
        frame.write("abc", row: 0, column: 0)
        #expect(frame.changes(from: nil).map(\.text) == ["abc", "   "])
        let smaller = ScreenBuffer(size: TerminalSize(rows: 1, columns: 3))
        #expect(frame.changes(from: smaller).count == 2)
    }

    @Test func wideCharactersTakeTwoColumns() {
        var screen = ScreenBuffer(size: TerminalSize(rows: 1, columns: 8))
        let width = screen.write("漢字ab", row: 0, column: 0)
        #expect(width == 6)
        #expect(screen[0, 0].character == "漢")
        #expect(screen[0, 1].isContinuation)
        #expect(screen[0, 4].character == "a")
        #expect(screen.lines() == ["漢字ab  "])
        #expect(Character("🙂").terminalWidth == 2)
        #expect(Character("e\u{301}").terminalWidth == 1)
    }

    @Test func wideCharacterThatDoesNotFitLeavesASpace() {
        var screen = ScreenBuffer(size: TerminalSize(rows: 1, columns: 3))
        #expect(screen.write("ab漢", row: 0, column: 0) == 3)
        #expect(screen.lines() == ["ab "])
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var screen = ScreenBuffer(size: TerminalSize(rows: 1, columns: 4))
        screen.write("漢字", row: 0, column: 0)
        screen.write("x", row: 0, column: 1)
        #expect(screen.lines() == [" x字"])
        screen.write("y", row: 0, column: 2)
        #expect(screen.lines() == [" xy "])
    }

    @Test func wideCharacterDiffDrawsItWhole() {
        let before = ScreenBuffer(size: TerminalSize(rows: 1, columns: 6))
        var after = before
        after.write("a漢b", row: 0, column: 1)
        #expect(after.changes(from: before) == [ScreenRun(row: 0, column: 1, text: "a漢b", role: .normal, width: 4)])
        var replaced = after
        replaced.write("字", row: 0, column: 2)
        #expect(replaced.changes(from: after) == [ScreenRun(row: 0, column: 2, text: "字", role: .normal, width: 2)])
    }

    @Test func writeClipsAtTheEdgeAndMaxWidth() {
        var screen = ScreenBuffer(size: TerminalSize(rows: 2, columns: 5))
        #expect(screen.write("abcdefgh", row: 0, column: 2) == 3)
        #expect(screen.write("abcdefgh", row: 1, column: 0, maxWidth: 2) == 2)
        #expect(screen.write("x", row: 5, column: 0) == 0)
        #expect(screen.lines() == ["  abc", "ab   "])
    }
}
