/// A problem on one line of a theme or keymap file: `themes/dark.theme:12: unknown role 'treeSelectd'`.
/// A file with such lines still applies all its other lines.
public struct ConfigFileError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    /// One-based; 0 when the file as a whole could not be read.
    public var line: Int
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}

/// The common syntax of theme and keymap files: `key = value` lines; `#` starts a comment anywhere on a line (so a
/// keymap writes the `#` key as `hash`); blank lines are ignored.
///
/// ```
/// # comment
/// treeSelected = black on cyan bold
/// ```
struct ConfigLine: Hashable {
    var number: Int
    var key: String
    var value: String

    /// The entries of `text`, and an error for each line that is not `key = value`.
    static func parse(_ text: String, file: String) -> (lines: [ConfigLine], errors: [ConfigFileError]) {
        var lines: [ConfigLine] = []
        var errors: [ConfigFileError] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = raw.prefix { $0 != "#" }.trimmingWhitespace()
            guard !content.isEmpty else { continue }
            guard let equals = content.firstIndex(of: "=") else {
                errors.append(ConfigFileError(file: file, line: index + 1, message: "expected 'name = value'"))
                continue
            }
            let key = content[..<equals].trimmingWhitespace()
            guard !key.isEmpty else {
                errors.append(ConfigFileError(file: file, line: index + 1, message: "missing name before '='"))
                continue
            }
            lines.append(
                ConfigLine(
                    number: index + 1, key: key, value: content[content.index(after: equals)...].trimmingWhitespace()))
        }
        return (lines, errors)
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
