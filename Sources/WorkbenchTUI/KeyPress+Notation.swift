/// The keymap notation of a chord: modifiers then a key, joined by `+`, case-insensitive for names.
///
/// Keys: a single character (`q`, `:`, `A`), `space`, `F1`...`F24`, `up` `down` `left` `right`, `home` `end`
/// `pageup` `pagedown` `insert` `delete` `backspace` `enter` `tab` `esc`. Modifiers: `ctrl`, `alt`, `shift`.
/// `shift+a` is the same chord as `A`; `shift+tab` is back-tab. Examples: `ctrl+s`, `F5`, `alt+x`, `shift+F5`.
extension KeyPress {
    public init?(_ notation: String) {
        let parts = notation.split(separator: "+", omittingEmptySubsequences: false).map(String.init)
        // A chord ending in "+" binds the plus key itself: "ctrl++".
        var tokens = parts
        if notation.hasSuffix("++") || notation == "+" {
            tokens = Array(parts.dropLast(2)) + ["+"]
        }
        guard let last = tokens.last, !last.isEmpty else { return nil }
        var modifiers: KeyModifiers = []
        for token in tokens.dropLast() {
            switch token.lowercased() {
            case "ctrl", "control": modifiers.insert(.ctrl)
            case "alt", "meta": modifiers.insert(.alt)
            case "shift": modifiers.insert(.shift)
            default: return nil
            }
        }
        guard var key = Self.key(named: last) else { return nil }
        if modifiers.contains(.shift), case .character(let character) = key, character.isLetter {
            key = .character(Character(character.uppercased()))
            modifiers.remove(.shift)
        }
        if modifiers.contains(.ctrl), case .character(let character) = key, character.isUppercase {
            key = .character(Character(character.lowercased()))
        }
        self.init(key, modifiers: modifiers)
    }

    static func key(named name: String) -> Key? {
        if name.count == 1, let character = name.first {
            return .character(character)
        }
        let lower = name.lowercased()
        if lower.hasPrefix("f"), let number = Int(lower.dropFirst()), (1...24).contains(number) {
            return .function(number)
        }
        switch lower {
        case "space": return .character(" ")
        case "hash": return .character("#")
        case "up": return .up
        case "down": return .down
        case "left": return .left
        case "right": return .right
        case "home": return .home
        case "end": return .end
        case "pageup", "pgup": return .pageUp
        case "pagedown", "pgdn": return .pageDown
        case "insert", "ins": return .insert
        case "delete", "del": return .delete
        case "backspace", "bs": return .backspace
        case "enter", "return": return .enter
        case "tab": return .tab
        case "esc", "escape": return .escape
        default: return nil
        }
    }

    /// The chord in keymap notation: `ctrl+alt+s`, `shift+F5`, `space`.
    public var description: String {
        var parts: [String] = []
        if modifiers.contains(.ctrl) { parts.append("ctrl") }
        if modifiers.contains(.alt) { parts.append("alt") }
        if modifiers.contains(.shift) { parts.append("shift") }
        switch key {
        case .character(" "): parts.append("space")
        case .character("#"): parts.append("hash")
        case .character(let character): parts.append(String(character))
        case .function(let number): parts.append("F\(number)")
        case .up: parts.append("up")
        case .down: parts.append("down")
        case .left: parts.append("left")
        case .right: parts.append("right")
        case .home: parts.append("home")
        case .end: parts.append("end")
        case .pageUp: parts.append("pageup")
        case .pageDown: parts.append("pagedown")
        case .insert: parts.append("insert")
        case .delete: parts.append("delete")
        case .backspace: parts.append("backspace")
        case .enter: parts.append("enter")
        case .tab: parts.append("tab")
        case .escape: parts.append("esc")
        }
        return parts.joined(separator: "+")
    }
}
