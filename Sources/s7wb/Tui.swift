import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Synchronization
import Workbench
import WorkbenchAPI
import WorkbenchTUI

/// `s7wb [tui] [PROJECT]`: the terminal workbench, with the engine and the REST API in the same process.
struct Tui: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the terminal workbench on a project (the REST API runs alongside).")

    @Argument(help: "The project folder to open (default: the current folder).")
    var project: String = "."

    @Option(help: "Address the REST API listens on.")
    var host = "127.0.0.1"

    @Option(help: "TCP port of the REST API (0 picks a free one; -1 runs no API).")
    var port = 9000

    @Option(name: .customLong("api-key"), help: "Require this key in the X-API-Key header (default: $S7WB_API_KEY).")
    var apiKey: String?

    @Option(help: "Theme: dark, light, high-contrast, monochrome, or a file name in a themes folder.")
    var theme: String?

    @Option(help: "Keymap: default, vim, emacs, or a file name in a keymaps folder.")
    var keymap: String?

    @Flag(help: "Draw with ASCII characters only (also when the locale is not UTF-8).")
    var ascii = false

    @Flag(name: .customLong("no-mouse"), help: "Do not take mouse clicks and the wheel.")
    var noMouse = false

    @Option(help: "Refresh interval of live values in milliseconds (default 250).")
    var refresh: Int?

    @OptionGroup var engineOptions: EngineOptions

    func run() async throws {
        let settings = UserConfig.load()
        let engine = Engine(configuration: engineOptions.configuration(actor: "tui"))
        do {
            try await engine.openProject(at: project, actor: "tui")
        } catch {
            FileHandle.standardError.write(Data("s7wb: \(error.message)\n".utf8))
            throw ExitCode(2)
        }
        // Logs must not land on the screen: the TUI keeps only critical ones.
        var logger = Logger(label: "s7wb")
        logger.logLevel = .critical
        let key = apiKey ?? ProcessInfo.processInfo.environment["S7WB_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        let restURL = SharedValue<String>()
        var serverTask: Task<Void, any Error>?
        if port >= 0 {
            let server = APIServer(
                engine: engine, configuration: APIServer.Configuration(host: host, port: port, apiKey: key))
            let app = server.application(logger: logger) { [host] port in restURL.value = "http://\(host):\(port)/api" }
            serverTask = Task { try await app.runService(gracefulShutdownSignals: []) }
        }
        let environment = ProcessInfo.processInfo.environment
        let (selectedTheme, themeErrors) = Theme.select(
            named: theme ?? settings["theme"],
            directory: UserConfig.folder(containing: "themes", file: (theme ?? settings["theme"] ?? "dark") + ".theme"),
            environment: environment)
        let keymapName = keymap ?? settings["keymap"]
        let (selectedKeymap, keymapErrors) = Keymap.load(
            named: keymapName,
            directory: UserConfig.folder(containing: "keymaps", file: (keymapName ?? "default") + ".keymap"))
        for error in themeErrors + keymapErrors { FileHandle.standardError.write(Data("s7wb: \(error)\n".utf8)) }
        let locale = (environment["LC_ALL"] ?? environment["LC_CTYPE"] ?? environment["LANG"] ?? "").uppercased()
        let utf8 = locale.contains("UTF-8") || locale.contains("UTF8")
        let asciiOnly = ascii || settings["ascii"] == "true" || !utf8
        let mouse = !(noMouse || settings["mouse"] == "false")
        let interval = refresh ?? settings["refresh"].flatMap { Int($0) } ?? 250

        let stop = StopFlag()
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { stop.set() }
            source.resume()
            sources.append(source)
        }
        // Give the server a moment to report its port for the status bar.
        for _ in 0..<40 where port >= 0 && restURL.value == nil { try? await Task.sleep(for: .milliseconds(25)) }
        let options = WorkbenchApp.Options(
            keymap: selectedKeymap, glyphs: asciiOnly ? .ascii : .unicode, restURL: restURL.value)
        do {
            try await Self.runWorkbench(
                engine: engine, theme: selectedTheme, mouse: mouse, options: options, refresh: interval, stop: stop)
        } catch {
            FileHandle.standardError.write(Data("s7wb: \(error)\n".utf8))
        }
        for source in sources { source.cancel() }
        serverTask?.cancel()
        await engine.shutdown()
    }

    @MainActor
    static func runWorkbench(
        engine: Engine, theme: Theme, mouse: Bool, options: WorkbenchApp.Options, refresh: Int, stop: StopFlag
    ) async throws {
        let terminal = NcursesTerminal(theme: theme, mouse: mouse)
        let app = WorkbenchApp(engine: engine, size: TerminalSize(rows: 24, columns: 80), options: options)
        try await TerminalRunner.run(app: app, terminal: terminal, refresh: .milliseconds(max(20, refresh)), stop: stop)
    }
}

/// A value one task sets and others read.
final class SharedValue<Value: Sendable>: Sendable {
    private let storage = Mutex<Value?>(nil)

    var value: Value? {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}
