/// A terminal colour: the terminal's default, or an index in the 256-colour palette
/// (0...7 the basic colours, 8...15 their bright variants, 16...255 the xterm cube and grey ramp).
public enum TerminalColor: Hashable, Sendable, CustomStringConvertible {
    case `default`
    case indexed(UInt8)

    public static let black = TerminalColor.indexed(0)
    public static let red = TerminalColor.indexed(1)
    public static let green = TerminalColor.indexed(2)
    public static let yellow = TerminalColor.indexed(3)
    public static let blue = TerminalColor.indexed(4)
    public static let magenta = TerminalColor.indexed(5)
    public static let cyan = TerminalColor.indexed(6)
    public static let white = TerminalColor.indexed(7)

    static let basicNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// `default`/`none`, a basic name (`red`), `bright-` plus a basic name (8...15), or `color0`...`color255`.
    public init?(name: String) {
        let lower = name.lowercased()
        if lower == "default" || lower == "none" {
            self = .default
        } else if let index = Self.basicNames.firstIndex(of: lower) {
            self = .indexed(UInt8(index))
        } else if lower.hasPrefix("bright-"), let index = Self.basicNames.firstIndex(of: String(lower.dropFirst(7))) {
            self = .indexed(UInt8(index + 8))
        } else if lower.hasPrefix("color"), let index = UInt8(lower.dropFirst(5)) {
            self = .indexed(index)
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .default: "default"
        case .indexed(let index) where index < 8: Self.basicNames[Int(index)]
        case .indexed(let index) where index < 16: "bright-" + Self.basicNames[Int(index) - 8]
        case .indexed(let index): "color\(index)"
        }
    }
}

public struct TextAttributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    public static let bold = TextAttributes(rawValue: 1)
    public static let underline = TextAttributes(rawValue: 2)
    public static let reverse = TextAttributes(rawValue: 4)
    public static let dim = TextAttributes(rawValue: 8)

    static let names: [(String, TextAttributes)] = [
        ("bold", .bold), ("underline", .underline), ("reverse", .reverse), ("dim", .dim),
    ]
}

/// How one semantic role is drawn.
///
/// Written in theme files as `[foreground] [on background] [attribute...]`, e.g. `black on cyan bold`,
/// `bright-red underline`, `reverse`; commas between words are allowed.
public struct Style: Hashable, Sendable, CustomStringConvertible {
    public var foreground: TerminalColor
    public var background: TerminalColor
    public var attributes: TextAttributes

    public init(
        _ foreground: TerminalColor = .default, on background: TerminalColor = .default,
        _ attributes: TextAttributes = []
    ) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    public static let plain = Style()

    /// The same style without colours, for terminals that have none.
    public var withoutColors: Style { Style(.default, on: .default, attributes) }

    /// Parses the theme-file notation; nil with the offending word if it is not valid.
    static func parse(_ text: String) -> Result<Style, StyleParseError> {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }).map(String.init)
        var style = Style()
        var expectBackground = false
        var sawForeground = false
        for word in words {
            if word.lowercased() == "on" {
                guard !expectBackground else { return .failure(StyleParseError(word: word)) }
                expectBackground = true
            } else if let attribute = TextAttributes.names.first(where: { $0.0 == word.lowercased() })?.1 {
                guard !expectBackground else { return .failure(StyleParseError(word: word)) }
                style.attributes.insert(attribute)
            } else if let color = TerminalColor(name: word) {
                if expectBackground {
                    style.background = color
                    expectBackground = false
                } else if !sawForeground {
                    style.foreground = color
                    sawForeground = true
                } else {
                    return .failure(StyleParseError(word: word))
                }
            } else {
                return .failure(StyleParseError(word: word))
            }
        }
        if expectBackground { return .failure(StyleParseError(word: "on")) }
        return .success(style)
    }

    /// The theme-file notation, e.g. `black on cyan bold`.
    public var description: String {
        var words = [foreground.description]
        if background != .default { words += ["on", background.description] }
        words += TextAttributes.names.filter { attributes.contains($0.1) }.map(\.0)
        return words.joined(separator: " ")
    }
}

struct StyleParseError: Error {
    var word: String
}
