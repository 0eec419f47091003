import ArgumentParser
import Foundation
import S7Model
import S7Runtime
import Workbench

/// `s7wb run PROJECT [--device NAME] [--cycles N] [--cycle-time 10ms] [--set 'TAG=VALUE']... [--watch TAG,...]
/// [--stats] [--format text|json]`.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Compile a PLC, run it in a virtual CPU (N cycles of stepped time, or real time until Ctrl-C) and print watched values."
    )

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "The project folder.")
    var project: String

    @Option(help: "The PLC to run (needed when the project has more than one).")
    var device: String?

    @Option(help: "Cycles to run in stepped virtual time; without it the PLC runs in real time until Ctrl-C.")
    var cycles: Int?

    @Option(help: "Virtual time per cycle: 10ms, 1s, 500us (in real time: the minimum cycle time).")
    var cycleTime = "10ms"

    @Option(help: "Real time only: virtual time runs this many times as fast as the wall clock (0.1 to 100).")
    var speed = 1.0

    @Option(help: "Real time only: stop after this much wall time (10s, 500ms) instead of at Ctrl-C.")
    var duration: String?

    @Option(name: .customLong("set"), help: "Write a value before the first cycle: '\"Tag\"=TRUE', '%MW10=5'.")
    var sets: [String] = []

    @Option(help: "Operands to print after the last cycle, comma-separated: '\"Tag\",\"DB\".a.b[3],%MW10'.")
    var watch: String?

    @Flag(help: "Print cycle-time statistics (virtual cycle time and VM execution time in µs).")
    var stats = false

    @Option(help: "text (S7 literals) or json ({\"values\": {...}}).")
    var format: OutputFormat = .text

    func run() async throws {
        guard (cycles ?? 0) >= 0 else { throw ValidationError("--cycles must be 0 or more") }
        guard (0.1...100).contains(speed) else { throw ValidationError("--speed must be between 0.1 and 100") }
        var wallLimit: Duration?
        if let duration {
            guard let limit = Run.duration(duration), limit > .zero else {
                throw ValidationError("--duration must be a duration such as 10s or 500ms")
            }
            wallLimit = limit
        }
        guard let step = Run.duration(cycleTime), step > .zero else {
            throw ValidationError("--cycle-time must be a duration such as 10ms, 1s or 500us")
        }
        var assignments: [(operand: String, literal: String)] = []
        for set in sets {
            guard let equals = Run.assignmentSplit(set) else {
                throw ValidationError("--set needs OPERAND=VALUE, got '\(set)'")
            }
            assignments.append(equals)
        }
        let operands = watch.map(Run.splitOperands) ?? []
        let engine = Engine()
        let report: ProgramRun
        do {
            _ = try await engine.openProject(at: project, actor: "cli", history: .inMemory)
            if let cycles {
                report = try await engine.runProgram(
                    device: device, timing: .stepped(cycles: cycles, cycleTime: step), sets: assignments,
                    watch: operands)
            } else {
                let timing = RunTiming.realTime(speed: speed, minimumCycleTime: step, duration: wallLimit)
                let progress = format == .text && !operands.isEmpty ? Run.printProgress : nil
                report = try await Run.untilInterrupted { [device, assignments] in
                    try await engine.runProgram(
                        device: device, timing: timing, sets: assignments, watch: operands, progress: progress)
                }
            }
        } catch {
            await engine.shutdown()
            let message = (error as? EngineError)?.message ?? "\(error)"
            FileHandle.standardError.write(Data("s7wb: \(message)\n".utf8))
            throw ExitCode(2)
        }
        await engine.shutdown()
        let statistics = report.statistics
        func micros(_ duration: Duration) -> Double {
            Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) * 1e-12
        }
        switch format {
        case .text:
            for (operand, value) in report.values { print("\(operand) = \(value.format())") }
            if stats {
                print(
                    String(
                        format: "cycles %d, cycle time %.0f µs; VM execution min/avg/max %.1f/%.1f/%.1f µs",
                        statistics.count,
                        micros(statistics.average), micros(statistics.minimumExecution),
                        micros(statistics.averageExecution), micros(statistics.maximumExecution)))
            }
            for entry in report.diagnostics.reversed() where entry.eventID & 0xF000 != 0x4000 {
                let location = entry.block.map { " in \($0)" + (entry.line.map { " line \($0)" } ?? "") } ?? ""
                FileHandle.standardError.write(Data("diagnostic buffer: \(entry.text)\(location)\n".utf8))
            }
        case .json:
            var values: [(String, String)] = []
            for (operand, value) in report.values { values.append((operand, Run.json(value))) }
            var out = "{\"device\": \(Run.quoted(report.device)), \"cycles\": \(report.cycles), \"values\": {"
            out += values.map { "\(Run.quoted($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
            if stats {
                out += String(
                    format: ", \"stats\": {\"cycles\": %d, \"minUs\": %.1f, \"avgUs\": %.1f, \"maxUs\": %.1f}",
                    statistics.count, micros(statistics.minimumExecution), micros(statistics.averageExecution),
                    micros(statistics.maximumExecution))
            }
            print(out + "}")
        }
    }

    /// Runs `body` in a task that Ctrl-C (SIGINT) cancels, so a real-time run ends with its report.
    static func untilInterrupted(
        _ body: @escaping @Sendable () async throws -> ProgramRun
    ) async throws -> ProgramRun {
        let task = Task { try await body() }
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT)
        source.setEventHandler { task.cancel() }
        source.resume()
        defer {
            source.cancel()
            signal(SIGINT, SIG_DFL)
        }
        return try await task.value
    }

    /// A line of watched values once a second during a real-time run.
    @Sendable static func printProgress(_ run: ProgramRun) {
        let seconds = Double(run.virtualTime.components.seconds)
        let values = run.values.map { "\($0.operand) = \($0.value.format())" }.joined(separator: ", ")
        FileHandle.standardOutput.write(
            Data((String(format: "[%8.1f s, cycle %d] ", seconds, run.cycles) + values + "\n").utf8))
    }

    /// `OPERAND=VALUE`, split at the first `=` outside quotes.
    static func assignmentSplit(_ text: String) -> (operand: String, literal: String)? {
        var quoted = false
        for index in text.indices {
            if text[index] == "\"" || text[index] == "'" { quoted.toggle() }
            if text[index] == "=" && !quoted {
                let operand = text[..<index].trimmingCharacters(in: .whitespaces)
                let literal = text[text.index(after: index)...].trimmingCharacters(in: .whitespaces)
                return operand.isEmpty || literal.isEmpty ? nil : (operand, literal)
            }
        }
        return nil
    }

    /// Splits at commas outside quotes and brackets.
    static func splitOperands(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quoted = false
        var depth = 0
        for character in text {
            if character == "\"" { quoted.toggle() }
            if !quoted && character == "[" { depth += 1 }
            if !quoted && character == "]" { depth -= 1 }
            if character == "," && !quoted && depth == 0 {
                parts.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.trimmingCharacters(in: .whitespaces).isEmpty {
            parts.append(current.trimmingCharacters(in: .whitespaces))
        }
        return parts
    }

    /// `10ms`, `1s`, `500us`, `2m`, or a TIME literal.
    static func duration(_ text: String) -> Duration? {
        let lower = text.lowercased()
        for (suffix, scale) in [
            ("ms", 1_000_000.0), ("us", 1_000.0), ("µs", 1_000.0), ("ns", 1.0), ("s", 1e9), ("m", 60e9),
        ]
        where lower.hasSuffix(suffix) {
            guard let value = Double(lower.dropLast(suffix.count)) else { continue }
            return .nanoseconds(Int64(value * scale))
        }
        if case .time(let milliseconds)? = try? PLCValue.parse(text) { return .milliseconds(Int64(milliseconds)) }
        return nil
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Numbers and Bools as JSON values, everything else as its S7 literal in a string.
    static func json(_ value: PLCValue) -> String {
        switch value {
        case .bool(let bool): return bool ? "true" : "false"
        case .real(let real): return real.isFinite ? "\(real)" : quoted(value.format())
        case .lReal(let real): return real.isFinite ? "\(real)" : quoted(value.format())
        case .string(let text), .wString(let text): return quoted(text)
        default:
            if let integer = value.integerValue, value.dataType.isInteger || value.dataType.isBitString {
                return "\(integer)"
            }
            return quoted(value.format())
        }
    }
}
