import Foundation

/// `~/.config/s7wb/config` (or `$XDG_CONFIG_HOME/s7wb/config`): `key = value` lines for `theme`, `keymap`, `mouse`
/// (true/false), `ascii` (true/false) and `refresh` (milliseconds); flags override it.
public enum UserConfig {
    public static var directory: String {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.config")
        return base + "/s7wb"
    }

    /// The settings of the config file; empty when there is none.
    public static func load() -> [String: String] {
        guard case .success(let text) = readTextFile(directory + "/config") else { return [:] }
        let (lines, _) = ConfigLine.parse(text, file: directory + "/config")
        return Dictionary(lines.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    /// The first folder named `name` that holds `file`: in the config directory, beside the executable's
    /// installation (`<prefix>/share/s7wb/`, or the source tree for a `swift build` binary), or in the current
    /// folder; nil when none does.
    public static func folder(containing name: String, file: String) -> String? {
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        let binDirectory = executable.deletingLastPathComponent()
        let candidates = [
            directory + "/" + name,
            binDirectory.appendingPathComponent("../share/s7wb/" + name).standardizedFileURL.path,
            binDirectory.appendingPathComponent("../../" + name).standardizedFileURL.path,
            binDirectory.appendingPathComponent("../../../" + name).standardizedFileURL.path,
            FileManager.default.currentDirectoryPath + "/" + name,
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/" + file) }
    }
}
