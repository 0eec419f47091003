import Testing
import WorkbenchTUI

@Suite("InMemoryTerminal")
struct InMemoryTerminalTests {
    static func frame(status: String, role: ThemeRole) -> ScreenBuffer {
        var frame = ScreenBuffer(size: TerminalSize(rows: 4, columns: 24))
        frame.write("┌ PLC_1 ───────────────┐", row: 0, column: 0, role: .border)
        frame.write("│ ▸ Program blocks     │", row: 1, column: 0, role: .treeSelected)
        frame.write("└──────────────────────┘", row: 2, column: 0, role: .border)
        frame.fill(row: 3, column: 0, rows: 1, columns: 24, role: .statusBar)
        frame.write(status, row: 3, column: 1, role: role)
        return frame
    }

    @Test func snapshotOfATinyFrame() {
        let terminal = InMemoryTerminal(size: TerminalSize(rows: 4, columns: 24))
        terminal.enter()
        let first = Self.frame(status: "STOP", role: .stopIndicator)
        terminal.present(first, over: nil)
        #expect(
            terminal.text() == [
                "┌ PLC_1 ───────────────┐",
                "│ ▸ Program blocks     │",
                "└──────────────────────┘",
                " STOP",
            ])
        #expect(terminal.screen[3, 1].role == .stopIndicator)

        terminal.resetLog()
        let second = Self.frame(status: "RUN ", role: .runIndicator)
        terminal.present(second, over: first)
        #expect(terminal.drawLog == [ScreenRun(row: 3, column: 1, text: "RUN ", role: .runIndicator, width: 4)])
        #expect(terminal.text()[3] == " RUN")
        #expect(terminal.screen == second)
        #expect(terminal.flushCount == 2)
    }

    @Test func scriptedInputThenTicks() {
        let quit = KeyPress("ctrl+q")!
        let terminal = InMemoryTerminal(size: TerminalSize(rows: 2, columns: 2), input: [.key(quit)])
        terminal.enqueue(.resize(TerminalSize(rows: 5, columns: 9)))
        #expect(terminal.readEvent(timeout: .milliseconds(100)) == .key(quit))
        #expect(terminal.readEvent(timeout: .milliseconds(100)) == .resize(TerminalSize(rows: 5, columns: 9)))
        #expect(terminal.size == TerminalSize(rows: 5, columns: 9))
        #expect(terminal.readEvent(timeout: .milliseconds(100)) == .tick)
    }

    @Test func drawsAreInvisibleUntilFlush() {
        let terminal = InMemoryTerminal(size: TerminalSize(rows: 1, columns: 5))
        terminal.draw("hi", row: 0, column: 0, role: .normal)
        #expect(terminal.text() == [""])
        terminal.flush()
        #expect(terminal.text() == ["hi"])
    }
}
