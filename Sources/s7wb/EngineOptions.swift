import ArgumentParser
import Foundation
import Workbench

/// Options of every command that serves the engine to others (REST, MCP, the workbench).
struct EngineOptions: ParsableArguments {
    @Option(
        name: .customLong("files-root"),
        help: ArgumentHelp(
            "The folder whose files API callers may name (projects to open or create, archives, exports); "
                + "default: the current folder."))
    var filesRoot: String?

    /// The engine configuration for `actor`: files root resolved, recent projects kept in the user's state folder.
    func configuration(actor: String) -> Engine.Configuration {
        let root = URL(fileURLWithPath: filesRoot ?? FileManager.default.currentDirectoryPath).standardizedFileURL.path
        let environment = ProcessInfo.processInfo.environment
        let state =
            environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 + "/s7wb" }
            ?? environment["HOME"].map { $0 + "/.local/state/s7wb" }
        return Engine.Configuration(defaultActor: actor, filesRoot: root, stateDirectory: state)
    }
}
