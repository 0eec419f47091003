/// An action a key can trigger, with the one-line summary `help()` shows.
public struct KeymapAction: Hashable, Sendable {
    /// Dotted name, pane first: `tree.expand`, `editor.save`.
    public var name: String
    public var summary: String

    public init(_ name: String, _ summary: String) {
        self.name = name
        self.summary = summary
    }
}

/// Which chords trigger which actions. Defaults are in code; files in `keymaps/` override them line by line.
///
/// A keymap file holds `action = chord, chord...` lines in the `KeyPress` notation; an empty value unbinds the
/// action. A chord bound by a file line is taken away from any other action, so a file never creates a conflict.
///
/// ```
/// # keymaps/vim.keymap
/// tree.expand = l, right
/// app.quit = ctrl+q
/// app.commandPalette = :
/// ```
public struct Keymap: Hashable, Sendable {
    public var name: String
    /// Every known action, in help order.
    public let actions: [KeymapAction]
    public private(set) var bindings: [String: [KeyPress]]

    public init(name: String, actions: [KeymapAction], bindings: [String: [KeyPress]]) {
        self.name = name
        self.actions = actions
        self.bindings = [:]
        for action in actions {
            self.bindings[action.name] = bindings[action.name] ?? []
        }
    }

    /// The action bound to `key`, if any.
    public func action(for key: KeyPress) -> String? {
        actions.first { bindings[$0.name, default: []].contains(key) }?.name
    }

    /// The chords bound to `action`, first the one to show in hints.
    public func chords(for action: String) -> [KeyPress] {
        bindings[action, default: []]
    }

    /// Binds `action` to exactly `chords`, removing them from other actions.
    public mutating func bind(_ action: String, to chords: [KeyPress]) {
        for other in bindings.keys where other != action {
            bindings[other]?.removeAll { chords.contains($0) }
        }
        bindings[action] = chords
    }

    public struct HelpEntry: Hashable, Sendable {
        public var action: String
        public var summary: String
        public var chords: [KeyPress]
    }

    /// Every action with its summary and chords, in the order of `actions`.
    public func help() -> [HelpEntry] {
        actions.map { HelpEntry(action: $0.name, summary: $0.summary, chords: chords(for: $0.name)) }
    }

    /// Applies a keymap file's text over `base`; every good line applies, each bad line gives an error.
    public static func parse(
        _ text: String, file: String, base: Keymap = .default
    ) -> (keymap: Keymap, errors: [ConfigFileError]) {
        let (lines, syntaxErrors) = ConfigLine.parse(text, file: file)
        var errors = syntaxErrors
        var keymap = base
        let known = Set(base.actions.map(\.name))
        for line in lines {
            if line.key == "name" {
                keymap.name = line.value
                continue
            }
            guard known.contains(line.key) else {
                errors.append(ConfigFileError(file: file, line: line.number, message: "unknown action '\(line.key)'"))
                continue
            }
            var chords: [KeyPress] = []
            var bad: String?
            for word in line.value.split(separator: ",").map({ $0.trimmingWhitespace() }) where !word.isEmpty {
                guard let chord = KeyPress(word) else {
                    bad = word
                    break
                }
                chords.append(chord)
            }
            if let bad {
                errors.append(ConfigFileError(file: file, line: line.number, message: "invalid key chord '\(bad)'"))
                continue
            }
            keymap.bind(line.key, to: chords)
        }
        errors.sort { $0.line < $1.line }
        return (keymap, errors)
    }

    /// The keymap `name` from `directory` (`<directory>/<name>.keymap`) over the defaults, or the defaults.
    public static func load(named name: String?, directory: String?) -> (keymap: Keymap, errors: [ConfigFileError]) {
        guard let name, name != "default" || directory != nil else { return (.default, []) }
        guard let directory else {
            return (.default, [ConfigFileError(file: name, line: 0, message: "no such keymap")])
        }
        let path = directory + "/" + name + ".keymap"
        switch readTextFile(path) {
        case .success(let text): return parse(text, file: path)
        case .failure(let error): return (.default, [error])
        }
    }
}
