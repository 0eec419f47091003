import ArgumentParser
import Foundation
import Hummingbird
import Logging
import S7Model
import Workbench
import WorkbenchAPI

/// `s7wb serve PROJECT`: the engine and the REST API in one process until SIGINT or SIGTERM.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open a project and serve the REST API (T-IA Connect compatible) until interrupted.")

    @Argument(help: "The project folder to open.")
    var project: String

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "TCP port (0 picks a free one and prints it).")
    var port = 9000

    @Option(name: .customLong("api-key"), help: "Require this key in the X-API-Key header (default: $S7WB_API_KEY).")
    var apiKey: String?

    @OptionGroup var engineOptions: EngineOptions

    func run() async throws {
        var logger = Logger(label: "s7wb")
        logger.logLevel = .warning
        let engine = Engine(configuration: engineOptions.configuration(actor: "cli"))
        do {
            try await engine.openProject(at: project, actor: "cli")
        } catch {
            FileHandle.standardError.write(Data("s7wb: \(error.message)\n".utf8))
            throw ExitCode(2)
        }
        let key = apiKey ?? ProcessInfo.processInfo.environment["S7WB_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        let server = APIServer(
            engine: engine, configuration: APIServer.Configuration(host: host, port: port, apiKey: key))
        let project = try await engine.project()
        let app = server.application(logger: logger) { [host] port in
            let auth = key == nil ? "no API key required" : "X-API-Key required"
            FileHandle.standardOutput.write(
                Data(
                    ("s7wb: serving project \(project.name) at http://\(host):\(port)/api (\(auth)); Ctrl-C stops\n")
                        .utf8))
        }
        try await app.runService()
        await engine.shutdown()
        print("s7wb: stopped")
    }
}
