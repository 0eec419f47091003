import CNcurses

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The real terminal, through ncursesw. Not thread-safe (ncurses is not): create and use it on one thread.
///
/// `enter()` sets the locale from the environment (wide characters need a UTF-8 locale), starts curses in raw mode
/// (ctrl+c and ctrl+z arrive as keys, so the app shuts down cleanly instead of being killed), without echo, with
/// keypad decoding, mouse clicks and wheel, a hidden cursor, and colour pairs for the theme's roles. A colour theme
/// on a terminal without colours is drawn with the monochrome theme's attributes instead. `leave()` restores the
/// terminal; it also runs on deinit.
public final class NcursesTerminal: Terminal {
    public private(set) var size = TerminalSize(rows: 0, columns: 0)
    public var theme: Theme {
        didSet { if window != nil { prepareStyles() } }
    }
    private var window: UnsafeMutablePointer<WINDOW>?
    private var roleAttributes: [ThemeRole: (attributes: attr_t, pair: Int16)] = [:]

    /// Report mouse clicks and the wheel (set before `enter`).
    public var mouse: Bool

    public init(theme: Theme, mouse: Bool = true) {
        self.theme = theme
        self.mouse = mouse
    }

    deinit {
        leave()
    }

    public func enter() throws {
        guard window == nil else { return }
        setlocale(LC_ALL, "")
        // The size comes from the terminal, not from LINES/COLUMNS in the environment (a test runner or a shell
        // may export stale ones, and ncurses would then ignore every resize).
        unsetenv("LINES")
        unsetenv("COLUMNS")
        guard let screen = initscr() else { throw TerminalError("cannot initialise the terminal (is TERM set?)") }
        window = screen
        raw()
        noecho()
        nonl()
        keypad(screen, true)
        curs_set(0)
        set_escdelay(25)
        if mouse {
            mousemask(s7wb_all_mouse_events(), nil)
            mouseinterval(0)
        }
        if has_colors() {
            start_color()
            use_default_colors()
        }
        updateSize()
        prepareStyles()
    }

    public func leave() {
        guard window != nil else { return }
        curs_set(1)
        endwin()
        window = nil
    }

    public func draw(_ text: String, row: Int, column: Int, role: ThemeRole) {
        guard let window else { return }
        let style = roleAttributes[role] ?? (s7wb_a_normal(), 0)
        wattr_set(window, style.attributes, style.pair, nil)
        var wide = text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
        wide.append(0)
        // Writing the bottom-right cell reports ERR (the cursor cannot advance); the cell is drawn anyway.
        _ = mvwaddwstr(window, Int32(row), Int32(column), wide)
    }

    public func flush() {
        guard let window else { return }
        wrefresh(window)
    }

    public func readEvent(timeout: Duration?) -> InputEvent {
        guard let window else { return .tick }
        wtimeout(window, timeout.map(Self.milliseconds) ?? -1)
        var character: wint_t = 0
        let result = wget_wch(window, &character)
        if result == ERR { return .tick }
        if result == KEY_CODE_YES { return keyCodeEvent(Int32(bitPattern: character)) }
        if character == 0x1B {
            // ESC followed at once by a key is alt+key; ESC alone (after the 25 ms escape delay) is escape.
            wtimeout(window, 0)
            var next: wint_t = 0
            let nextResult = wget_wch(window, &next)
            if nextResult == OK, next != 0x1B, case .key(var press) = Self.characterEvent(next) {
                press.modifiers.insert(.alt)
                return .key(press)
            }
            if nextResult == KEY_CODE_YES { ungetch(Int32(bitPattern: next)) }
            return .key(KeyPress(.escape))
        }
        return Self.characterEvent(character)
    }

    // MARK: - Input decoding

    static func milliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        return Int32(clamping: max(0, seconds * 1000 + attoseconds / 1_000_000_000_000_000))
    }

    /// A character from `wget_wch`: control codes become ctrl+letter, enter, tab, backspace.
    static func characterEvent(_ code: wint_t) -> InputEvent {
        switch code {
        case 0x0D, 0x0A: return .key(KeyPress(.enter))
        case 0x09: return .key(KeyPress(.tab))
        case 0x08, 0x7F: return .key(KeyPress(.backspace))
        case 0x00: return .key(KeyPress(.character(" "), modifiers: .ctrl))
        case 0x01...0x1A:
            let letter = Character(Unicode.Scalar(UInt8(0x60 + code)))
            return .key(KeyPress(.character(letter), modifiers: .ctrl))
        case 0x1B: return .key(KeyPress(.escape))
        case 0x1C...0x1F:
            let symbol = Character(Unicode.Scalar(UInt8(0x40 + code)))
            return .key(KeyPress(.character(symbol), modifiers: .ctrl))
        default:
            guard let scalar = Unicode.Scalar(code) else { return .tick }
            return .key(KeyPress(.character(Character(scalar))))
        }
    }

    private func keyCodeEvent(_ code: Int32) -> InputEvent {
        let f0 = s7wb_key_f(0)
        switch code {
        case KEY_RESIZE:
            updateSize()
            if let window { wclear(window) }
            return .resize(size)
        case KEY_MOUSE:
            return mouseEvent() ?? .tick
        case f0 + 1...f0 + 12: return .key(KeyPress(.function(Int(code - f0))))
        case f0 + 13...f0 + 24: return .key(KeyPress(.function(Int(code - f0 - 12)), modifiers: .shift))
        case f0 + 25...f0 + 36: return .key(KeyPress(.function(Int(code - f0 - 24)), modifiers: .ctrl))
        case KEY_UP: return .key(KeyPress(.up))
        case KEY_DOWN: return .key(KeyPress(.down))
        case KEY_LEFT: return .key(KeyPress(.left))
        case KEY_RIGHT: return .key(KeyPress(.right))
        case KEY_SR: return .key(KeyPress(.up, modifiers: .shift))
        case KEY_SF: return .key(KeyPress(.down, modifiers: .shift))
        case KEY_SLEFT: return .key(KeyPress(.left, modifiers: .shift))
        case KEY_SRIGHT: return .key(KeyPress(.right, modifiers: .shift))
        case KEY_HOME: return .key(KeyPress(.home))
        case KEY_END: return .key(KeyPress(.end))
        case KEY_SHOME: return .key(KeyPress(.home, modifiers: .shift))
        case KEY_SEND: return .key(KeyPress(.end, modifiers: .shift))
        case KEY_PPAGE: return .key(KeyPress(.pageUp))
        case KEY_NPAGE: return .key(KeyPress(.pageDown))
        case KEY_IC: return .key(KeyPress(.insert))
        case KEY_DC: return .key(KeyPress(.delete))
        case KEY_BACKSPACE: return .key(KeyPress(.backspace))
        case KEY_ENTER: return .key(KeyPress(.enter))
        case KEY_BTAB: return .key(KeyPress(.tab, modifiers: .shift))
        default: return .tick
        }
    }

    private func mouseEvent() -> InputEvent? {
        var event = MEVENT()
        guard getmouse(&event) == OK else { return nil }
        let state = event.bstate
        var modifiers: KeyModifiers = []
        if state & s7wb_button_shift() != 0 { modifiers.insert(.shift) }
        if state & s7wb_button_ctrl() != 0 { modifiers.insert(.ctrl) }
        if state & s7wb_button_alt() != 0 { modifiers.insert(.alt) }
        let kind: MouseEvent.Kind
        if state & s7wb_button4_pressed() != 0 {
            kind = .wheelUp
        } else if state & s7wb_button5_pressed() != 0 {
            kind = .wheelDown
        } else if state & (s7wb_button1_pressed() | s7wb_button1_clicked()) != 0 {
            kind = .press(.left)
        } else if state & s7wb_button1_released() != 0 {
            kind = .release(.left)
        } else if state & s7wb_button2_pressed() != 0 {
            kind = .press(.middle)
        } else if state & (s7wb_button3_pressed() | s7wb_button3_clicked()) != 0 {
            kind = .press(.right)
        } else {
            return nil
        }
        return .mouse(MouseEvent(kind: kind, row: Int(event.y), column: Int(event.x), modifiers: modifiers))
    }

    // MARK: - Output

    private func updateSize() {
        guard let window else { return }
        var rows: Int32 = 0
        var columns: Int32 = 0
        s7wb_getmaxyx(window, &rows, &columns)
        size = TerminalSize(rows: Int(rows), columns: Int(columns))
    }

    /// One colour pair per distinct (foreground, background) of the theme; pair 0 is the terminal default.
    private func prepareStyles() {
        let colors = has_colors() ? Int(s7wb_colors()) : 0
        let maximumPairs = Int(s7wb_color_pairs())
        let styles = colors > 0 ? theme : .monochrome
        var pairs: [PairKey: Int16] = [PairKey(foreground: -1, background: -1): 0]
        roleAttributes = [:]
        for role in ThemeRole.allCases {
            let style = styles[role]
            var attributes = Self.attributes(style.attributes)
            var pair: Int16 = 0
            if colors > 0 {
                let foreground = Self.colorNumber(style.foreground, colors: colors)
                if case .indexed(let index) = style.foreground, (8..<16).contains(index), colors < 16 {
                    attributes |= s7wb_a_bold()  // bright colours as bold on 8-colour terminals
                }
                let key = PairKey(
                    foreground: foreground, background: Self.colorNumber(style.background, colors: colors))
                if let existing = pairs[key] {
                    pair = existing
                } else if pairs.count < maximumPairs {
                    pair = Int16(pairs.count)
                    init_pair(pair, key.foreground, key.background)
                    pairs[key] = pair
                }
            }
            roleAttributes[role] = (attributes, pair)
        }
    }

    private struct PairKey: Hashable {
        var foreground: Int16
        var background: Int16
    }

    /// The curses colour number, or -1 (default). Bright colours fall back to the basic ones on 8-colour terminals,
    /// palette colours beyond the terminal's range to the default.
    static func colorNumber(_ color: TerminalColor, colors: Int) -> Int16 {
        guard case .indexed(let index) = color else { return -1 }
        if Int(index) < colors { return Int16(index) }
        if (8..<16).contains(index) { return Int16(index - 8) }
        return -1
    }

    static func attributes(_ attributes: TextAttributes) -> attr_t {
        var result = s7wb_a_normal()
        if attributes.contains(.bold) { result |= s7wb_a_bold() }
        if attributes.contains(.underline) { result |= s7wb_a_underline() }
        if attributes.contains(.reverse) { result |= s7wb_a_reverse() }
        if attributes.contains(.dim) { result |= s7wb_a_dim() }
        return result
    }
}
