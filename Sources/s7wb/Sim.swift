import ArgumentParser
import Foundation
import Hummingbird
import Logging
import S7Compiler
import S7Runtime
import Workbench
import WorkbenchAPI

/// `s7wb sim PROJECT [--device NAME] [--s7-port 102] [--port 9000] [--time real|scaled:X]`: a headless virtual CPU
/// that HMIs, SCADA and scripts reach over S7comm (and the REST API), as a PLCSIM Advanced instance.
struct Sim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Compile and download a PLC into a virtual CPU, put it in RUN and serve S7comm (and the REST API with --port) until interrupted."
    )

    @Argument(help: "The project folder.")
    var project: String

    @Option(help: "The PLC to simulate (needed when the project has more than one).")
    var device: String?

    @Option(name: .customLong("s7-port"), help: "TCP port of the S7comm server (102 needs privileges; 0 picks one).")
    var s7Port = 102

    @Option(help: "Address the servers listen on.")
    var host = "0.0.0.0"

    @Option(help: "Also serve the REST API on this port.")
    var port: Int?

    @Option(name: .customLong("api-key"), help: "Require this key in the REST API's X-API-Key header.")
    var apiKey: String?

    @Option(help: "Virtual time: real, or scaled:X for X times the wall clock (0.1 to 100).")
    var time = "real"

    @Option(
        name: .customLong("cycle-time"),
        help: "The CPU's minimum cycle time (TIA's cycle setting, 1ms to 6000ms): OB1 starts at most this often.")
    var cycleTime = "10ms"

    @OptionGroup var engineOptions: EngineOptions

    func run() async throws {
        let mode = try Self.timeMode(time)
        guard let minimumCycleTime = Run.duration(cycleTime) else {
            throw ValidationError("--cycle-time must be a duration such as 1ms or 10ms")
        }
        let engine = Engine(configuration: engineOptions.configuration(actor: "sim"))
        let plc: String
        let s7: S7ServerStatus
        do throws(EngineError) {
            try await engine.openProject(at: project, actor: "sim")
            let report = try await engine.download(device: device, actor: "sim")
            plc = report.device
            if report.result.errorCount > 0 {
                FileHandle.standardError.write(
                    Data(
                        "s7wb sim: \(report.result.errorCount) compile errors; blocks with errors were left out (s7wb compile shows them)\n"
                            .utf8))
            }
            if mode != .realTime { try await engine.setTimeMode(mode, device: plc, actor: "sim") }
            try await engine.setMinimumCycleTime(minimumCycleTime, device: plc, actor: "sim")
            let state = try await engine.setPLCMode(run: true, device: plc, actor: "sim")
            guard state == .run else {
                throw EngineError(.conflict, "\(plc) did not reach RUN: \(state)")
            }
            s7 = try await engine.startS7Server(device: plc, host: host, port: s7Port, actor: "sim")
        } catch {
            FileHandle.standardError.write(Data("s7wb sim: \(error.message)\n".utf8))
            await engine.shutdown()
            throw ExitCode(2)
        }
        let shown = host == "0.0.0.0" ? "127.0.0.1" : host
        let ready = "s7wb sim: \(plc) RUN, S7comm on \(shown):\(s7.port)"
        if let port {
            var logger = Logger(label: "s7wb")
            logger.logLevel = .warning
            let key = apiKey ?? ProcessInfo.processInfo.environment["S7WB_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
            let server = APIServer(
                engine: engine, configuration: APIServer.Configuration(host: host, port: port, apiKey: key))
            let app = server.application(logger: logger) { bound in
                Self.say("\(ready), REST on http://\(shown):\(bound)")
            }
            try await app.runService()
        } else {
            Self.say(ready)
            await Self.waitForTermination()
        }
        _ = try? await engine.stopS7Server(device: plc, actor: "sim")
        await engine.shutdown()
    }

    static func timeMode(_ text: String) throws -> VirtualClock.Mode {
        if text == "real" { return .realTime }
        if text.hasPrefix("scaled:"), let factor = Double(text.dropFirst(7)), (0.1...100).contains(factor) {
            return .scaled(factor)
        }
        throw ValidationError("--time must be real or scaled:X with X from 0.1 to 100, not '\(text)'")
    }

    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// Returns on SIGINT or SIGTERM.
    static func waitForTermination() async {
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { continuation.yield(signalNumber) }
            source.resume()
            sources.append(source)
        }
        for await _ in stream { break }
        for source in sources { source.cancel() }
    }
}
