/// A style for every `ThemeRole`. Built-in themes are defined here; files in `themes/` override them.
///
/// A theme file holds `role = style` lines (see `Style`), plus two optional settings: `name = light` and
/// `base = monochrome` (start from the built-in monochrome instead of dark, so roles the file omits stay colourless).
///
/// ```
/// # themes/light.theme
/// name = light
/// treeSelected = white on blue bold
/// diagnosticError = red bold
/// ```
public struct Theme: Hashable, Sendable {
    public var name: String
    public var styles: [ThemeRole: Style]

    public init(name: String, styles: [ThemeRole: Style]) {
        self.name = name
        self.styles = styles
    }

    /// The style of `role`; a role the theme does not define falls back to `.normal`.
    public subscript(role: ThemeRole) -> Style {
        get { styles[role] ?? styles[.normal] ?? .plain }
        set { styles[role] = newValue }
    }

    /// True when no role uses a colour (safe on terminals without colour).
    public var isMonochrome: Bool {
        styles.values.allSatisfy { $0.foreground == .default && $0.background == .default }
    }

    /// The built-in themes by name.
    public static let builtIn: [String: Theme] = ["dark": .dark, "monochrome": .monochrome]

    /// The default theme for a dark terminal background, using the 16 basic colours only.
    public static let dark = Theme(
        name: "dark",
        styles: [
            .normal: Style(), .border: Style(.indexed(8)), .borderFocused: Style(.cyan, [.bold]),
            .title: Style(.white, [.bold]), .statusBar: Style(.black, on: .cyan),
            .statusBarKey: Style(.black, on: .cyan, [.bold]),
            .hint: Style(.indexed(8)), .menu: Style(.white, on: .blue),
            .menuSelected: Style(.black, on: .cyan, [.bold]),
            .dialog: Style(.white, on: .blue), .treeItem: Style(), .treeFolder: Style(.blue, [.bold]),
            .treeSelected: Style(.black, on: .cyan, [.bold]), .runIndicator: Style(.black, on: .green, [.bold]),
            .stopIndicator: Style(.white, on: .red, [.bold]), .onlineIndicator: Style(.black, on: .yellow),
            .diagnosticError: Style(.indexed(9), [.bold]), .diagnosticWarning: Style(.yellow, [.bold]),
            .diagnosticNote: Style(.cyan), .forcedValue: Style(.black, on: .magenta),
            .changedValue: Style(.yellow, [.bold]),
            .trueValue: Style(.green), .falseValue: Style(.indexed(8)), .keyword: Style(.magenta, [.bold]),
            .identifier: Style(), .comment: Style(.green, [.dim]), .string: Style(.yellow), .number: Style(.cyan),
            .operator: Style(), .lineNumber: Style(.indexed(8)), .cursorLine: Style([.bold]),
            .selection: Style([.reverse]), .searchMatch: Style(.black, on: .yellow),
        ])

    /// Attributes only: for terminals without colour and for `NO_COLOR`.
    public static let monochrome = Theme(
        name: "monochrome",
        styles: [
            .normal: Style(), .border: Style([.dim]), .borderFocused: Style([.bold]), .title: Style([.bold]),
            .statusBar: Style([.reverse]), .statusBarKey: Style([.reverse, .bold]), .hint: Style([.dim]),
            .menu: Style([.reverse]), .menuSelected: Style([.bold]), .dialog: Style(), .treeItem: Style(),
            .treeFolder: Style([.bold]), .treeSelected: Style([.reverse]), .runIndicator: Style([.reverse, .bold]),
            .stopIndicator: Style([.bold, .underline]), .onlineIndicator: Style([.reverse]),
            .diagnosticError: Style([.bold, .underline]), .diagnosticWarning: Style([.bold]),
            .diagnosticNote: Style([.dim]), .forcedValue: Style([.reverse, .underline]),
            .changedValue: Style([.bold]), .trueValue: Style([.bold]), .falseValue: Style([.dim]),
            .keyword: Style([.bold]), .identifier: Style(), .comment: Style([.dim]), .string: Style([.underline]),
            .number: Style(), .operator: Style(), .lineNumber: Style([.dim]), .cursorLine: Style([.bold]),
            .selection: Style([.reverse]), .searchMatch: Style([.reverse, .underline]),
        ])
}

extension Style {
    init(_ attributes: TextAttributes) {
        self.init(.default, on: .default, attributes)
    }

    init(_ foreground: TerminalColor, _ attributes: TextAttributes) {
        self.init(foreground, on: .default, attributes)
    }
}

extension Theme {
    /// Applies a theme file's text over `base` (or over the file's `base =` theme, else `.dark`).
    /// Every good line applies; each bad line gives one error naming `file:line`.
    public static func parse(
        _ text: String, file: String, base: Theme? = nil
    ) -> (theme: Theme, errors: [ConfigFileError]) {
        let (lines, syntaxErrors) = ConfigLine.parse(text, file: file)
        var errors = syntaxErrors
        var theme = base ?? .dark
        if let baseLine = lines.first(where: { $0.key == "base" }) {
            if let named = builtIn[baseLine.value] {
                theme = named
            } else {
                errors.append(
                    ConfigFileError(
                        file: file, line: baseLine.number, message: "unknown base theme '\(baseLine.value)'"))
            }
        }
        for line in lines {
            switch line.key {
            case "base":
                continue
            case "name":
                theme.name = line.value
            default:
                guard let role = ThemeRole(rawValue: line.key) else {
                    errors.append(ConfigFileError(file: file, line: line.number, message: "unknown role '\(line.key)'"))
                    continue
                }
                switch Style.parse(line.value) {
                case .success(let style): theme.styles[role] = style
                case .failure(let error):
                    errors.append(
                        ConfigFileError(
                            file: file, line: line.number,
                            message: "invalid style word '\(error.word)' for \(role.rawValue)"))
                }
            }
        }
        errors.sort { $0.line < $1.line }
        return (theme, errors)
    }

    /// The theme to use: monochrome when `NO_COLOR` is set and not empty (no-color.org), else the theme `name`
    /// from `directory` (`<directory>/<name>.theme`) or built in, else dark.
    public static func select(
        named name: String?, directory: String?, environment: [String: String]
    ) -> (theme: Theme, errors: [ConfigFileError]) {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty {
            return (.monochrome, [])
        }
        let name = name ?? "dark"
        if let directory {
            let path = directory + "/" + name + ".theme"
            switch readTextFile(path) {
            case .success(let text): return parse(text, file: path, base: builtIn[name])
            case .failure(let error) where builtIn[name] == nil: return (.dark, [error])
            case .failure: break
            }
        }
        guard let theme = builtIn[name] else {
            return (.dark, [ConfigFileError(file: name, line: 0, message: "no such theme")])
        }
        return (theme, [])
    }
}
