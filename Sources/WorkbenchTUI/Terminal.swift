/// A character-cell screen with keyboard and mouse input: the real one (`NcursesTerminal`) or a headless one
/// (`InMemoryTerminal`) for tests. Used from one thread (the TUI's main loop).
///
/// Panes draw into a `ScreenBuffer`; `present(_:over:)` sends the terminal only the runs that changed.
public protocol Terminal: AnyObject {
    /// The current size; updated when `readEvent` reports `.resize`.
    var size: TerminalSize { get }
    /// The styles roles are drawn with. Setting it takes effect for the following draws.
    var theme: Theme { get set }
    /// Takes over the screen (alternate screen, raw keys). Calling it twice has no further effect.
    func enter() throws
    /// Gives the screen back as it was. Safe to call when not entered.
    func leave()
    /// Draws `text` (at most one row, already clipped) from (`row`, `column`) with the style of `role`.
    func draw(_ text: String, row: Int, column: Int, role: ThemeRole)
    /// Makes the draws since the last flush visible.
    func flush()
    /// The next input event; `.tick` after `timeout` without input, waits indefinitely when `timeout` is nil.
    func readEvent(timeout: Duration?) -> InputEvent
}

extension Terminal {
    /// Draws what differs between `frame` and `previous` (everything when `previous` is nil or of another size),
    /// then flushes. Returns the number of runs drawn.
    @discardableResult
    public func present(_ frame: ScreenBuffer, over previous: ScreenBuffer?) -> Int {
        let runs = frame.changes(from: previous)
        for run in runs {
            draw(run.text, row: run.row, column: run.column, role: run.role)
        }
        flush()
        return runs.count
    }
}

/// Why the terminal could not be taken over.
public struct TerminalError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
