/// A headless terminal for tests: draws land in `screen`, input comes from a scripted queue.
///
/// ```swift
/// let terminal = InMemoryTerminal(size: TerminalSize(rows: 3, columns: 20), input: [.key(KeyPress("ctrl+q")!)])
/// terminal.present(frame, over: nil)
/// terminal.text()                        // the rows as strings, for snapshot comparison
/// terminal.readEvent(timeout: .zero)     // .key(ctrl+q), then .tick once the queue is empty
/// ```
public final class InMemoryTerminal: Terminal {
    public private(set) var size: TerminalSize
    public var theme: Theme
    /// What is visible after the last `flush()`.
    public private(set) var screen: ScreenBuffer
    /// Draws since the last flush, not yet visible.
    private var pending: ScreenBuffer
    private var input: [InputEvent]
    public private(set) var isEntered = false
    /// Every `draw` call, in order, for tests of the diffing.
    public private(set) var drawLog: [ScreenRun] = []
    public private(set) var flushCount = 0

    public init(size: TerminalSize, theme: Theme = .dark, input: [InputEvent] = []) {
        self.size = size
        self.theme = theme
        self.screen = ScreenBuffer(size: size)
        self.pending = screen
        self.input = input
    }

    /// Queues input; a `.resize` changes `size` and clears the screen when it is read, as a real terminal does.
    public func enqueue(_ events: InputEvent...) {
        input += events
    }

    public func enter() {
        isEntered = true
    }

    public func leave() {
        isEntered = false
    }

    public func draw(_ text: String, row: Int, column: Int, role: ThemeRole) {
        let width = pending.write(text, row: row, column: column, role: role)
        drawLog.append(ScreenRun(row: row, column: column, text: text, role: role, width: width))
    }

    public func flush() {
        screen = pending
        flushCount += 1
    }

    public func readEvent(timeout: Duration?) -> InputEvent {
        guard !input.isEmpty else { return .tick }
        let event = input.removeFirst()
        if case .resize(let newSize) = event {
            size = newSize
            screen = ScreenBuffer(size: newSize)
            pending = screen
        }
        return event
    }

    /// The visible screen, one string per row, trailing spaces removed.
    public func text() -> [String] {
        screen.lines().map { line in String(line.reversed().drop { $0 == " " }.reversed()) }
    }

    /// Forgets the draw log (between steps of a test).
    public func resetLog() {
        drawLog = []
    }
}
