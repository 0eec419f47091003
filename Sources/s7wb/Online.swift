import ArgumentParser
import Foundation
import S7Model
import S7Protocol
import Workbench

/// `s7wb online HOST[:PORT] [--rack 0] [--slot 1] [--state] [--read OPERAND...] [--write OPERAND=VALUE...]
/// [--format text|json] [--timeout-ms 2000]`: one S7comm (PUT/GET) session with a CPU. Writes go first (one
/// batch), then reads (one batch; the client splits it to the PDU), then the operating mode.
///
/// With `--project PATH --table NAME [--device NAME]` it reads a watch table of the project instead: symbols resolve
/// through the project's layout (standard-access DBs, tags), through the engine as the REST API goes online.
///
/// Exit status: 0 when everything succeeded, 1 when the CPU cannot be reached or the connection fails, 2 when some
/// operand was refused (the others are still printed).
struct Online: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Talk S7comm (PUT/GET) to a CPU: write and read absolute operands, show the operating mode.",
        discussion: """
            Operands: %MW10, %MB3, %MD4, %M2.3, %I0.0, %QW64, %IW256:P, %DB1.DBW2, %DB1.DBX0.1, %DB1.DBD4, %T5, %C3, \
            optionally with a type: %MD4:REAL, %MW10:INT, %DB1.DBD4:DINT, %MD8:TIME (BOOL, BYTE, CHAR, SINT, USINT, \
            WORD, INT, UINT, S5TIME, DWORD, DINT, UDINT, REAL, TIME). Values are S7 literals: TRUE, 5, 16#FF, 1.5, T#1s.
            Without --read, --write or --state the operating mode is shown.
            With --project and --table, the rows of the project's watch table are read from the CPU (symbols such as \
            "HMI_Exchange".Count resolve through the project; members of optimized DBs are not reachable by PUT/GET).
            """)

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "The CPU: HOST or HOST:PORT (port 102 by default; [IPv6]:PORT).")
    var target: String

    @Option(help: "The rack of the CPU (0...7).")
    var rack = 0

    @Option(help: "The slot of the CPU (0...31; 1 for an S7-1200/1500).")
    var slot = 1

    @Flag(help: "Print the operating mode (SZL 0x0424): RUN, STOP, ...")
    var state = false

    @Option(name: .customLong("read"), parsing: .upToNextOption, help: "Operands to read: %MW10 %DB1.DBD4:REAL.")
    var reads: [String] = []

    @Option(
        name: .customLong("write"), parsing: .upToNextOption,
        help: "Values to write before reading: %MW10=5 %M2.3=TRUE %MD4:REAL=1.5.")
    var writes: [String] = []

    @Option(help: "text (one line per operand, S7 literals) or json (state, values, written, errors).")
    var format: OutputFormat = .text

    @Option(name: .customLong("timeout-ms"), help: "How long the connection and each job may take, in milliseconds.")
    var timeoutMilliseconds = 2000

    @Option(help: "A project (VCI folder) whose watch table --table is read from the CPU.")
    var project: String?

    @Option(help: "The PLC of the project (needed when it has several).")
    var device: String?

    @Option(help: "The watch table of the project to read (with --project).")
    var table: String?

    func run() async throws {
        if project != nil || table != nil {
            try await readTable()
            return
        }
        guard let endpoint = Online.endpoint(target) else {
            throw ValidationError("HOST must be a host name or address, optionally with :PORT (1...65535): '\(target)'")
        }
        guard (0...7).contains(rack) else { throw ValidationError("--rack must be 0...7") }
        guard (0...31).contains(slot) else { throw ValidationError("--slot must be 0...31") }
        guard timeoutMilliseconds > 0 else { throw ValidationError("--timeout-ms must be positive") }
        var plan = try Online.plan(reads: reads, writes: writes, state: state)
        if plan.reads.isEmpty && plan.writes.isEmpty { plan.state = true }

        let options = S7ClientOptions(
            host: endpoint.host, port: endpoint.port, rack: rack, slot: slot,
            timeout: .milliseconds(timeoutMilliseconds))
        let client: S7Client
        do throws(S7ClientError) {
            client = try await S7Client.connect(options)
        } catch {
            let message: String
            if case .connectionFailed = error {
                message = error.description
            } else {
                message = "cannot connect: \(endpoint.host):\(endpoint.port): \(error)"
            }
            Online.fail(message)
            throw ExitCode(1)
        }
        let report: OnlineReport
        do throws(S7ClientError) {
            report = try await Online.perform(plan, on: client)
        } catch {
            await client.close()
            Online.fail("\(endpoint.host):\(endpoint.port): \(error)")
            throw ExitCode(1)
        }
        await client.close()
        switch format {
        case .text:
            for line in report.textLines { print(line) }
            for (operand, message) in report.errors { Online.fail("\(operand): \(message)") }
        case .json:
            print(report.json)
        }
        if !report.errors.isEmpty { throw ExitCode(2) }
    }

    /// `--project P --table T`: the engine goes online with the CPU and reads the table's rows. Exit 1 when the CPU
    /// cannot be reached, 2 when a row is bad.
    func readTable() async throws {
        guard let project, let table else { throw ValidationError("--project and --table go together") }
        guard reads.isEmpty, writes.isEmpty else { throw ValidationError("--read and --write do not go with --table") }
        guard let address = Online.endpoint(target), IPv4.parse(address.host) != nil else {
            throw ValidationError("with --table, HOST must be an IPv4 address, optionally with :PORT: '\(target)'")
        }
        guard (0...7).contains(rack), (0...31).contains(slot), (10...60_000).contains(timeoutMilliseconds) else {
            throw ValidationError("--rack must be 0...7, --slot 0...31 and --timeout-ms 10...60000")
        }
        let endpoint = PLCEndpoint(
            host: address.host, port: address.port, rack: rack, slot: slot, timeout: .milliseconds(timeoutMilliseconds))
        let engine = Engine()
        let reading: WatchTableReading
        var mode: String?
        do {
            _ = try await engine.openProject(at: project, actor: "cli", history: .inMemory)
            let name = try await engine.plcDevice(device).name
            let status = try await engine.goOnline(device: name, target: .plc, endpoint: endpoint, actor: "cli")
            mode = state ? status.mode?.text : nil
            reading = try await engine.readWatchTable(table, kind: .watch, device: name)
        } catch {
            await engine.shutdown()
            Online.fail(error.message)
            throw ExitCode(error.kind == .unreachable ? 1 : 2)
        }
        await engine.shutdown()
        var report = OnlineReport(state: mode)
        var values: [(String, String)] = []
        for (entry, value) in zip(reading.table.entries, reading.values ?? []) {
            guard let value else { continue }
            if let current = value.value {
                values.append((entry.operand, current.format()))
            } else {
                report.addError(entry.operand, "\(value.quality.rawValue): \(value.error ?? "")")
            }
        }
        switch format {
        case .text:
            if let mode { print("state: \(mode)") }
            for (operand, value) in values { print("\(operand) = \(value)") }
            for (operand, message) in report.errors { Online.fail("\(operand): \(message)") }
        case .json:
            var fields: [String] = []
            if let mode { fields.append("\"state\": \(Run.quoted(mode))") }
            let members = values.map { "\(Run.quoted($0.0)): \(Run.quoted($0.1))" }
            fields.append("\"values\": {" + members.joined(separator: ", ") + "}")
            let errors = report.errors.map { "\(Run.quoted($0.operand)): \(Run.quoted($0.message))" }
            if !errors.isEmpty { fields.append("\"errors\": {" + errors.joined(separator: ", ") + "}") }
            print("{" + fields.joined(separator: ", ") + "}")
        }
        if !report.errors.isEmpty { throw ExitCode(2) }
    }

    static func fail(_ message: String) {
        FileHandle.standardError.write(Data("s7wb online: \(message)\n".utf8))
    }

    // MARK: Arguments

    /// `host`, `host:port`, `[v6]`, `[v6]:port`; a bare IPv6 address (more than one colon) has no port.
    static func endpoint(_ text: String, defaultPort: Int = 102) -> (host: String, port: Int)? {
        var host = text
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { return nil }
                portText = rest.dropFirst()
            }
        } else if text.count(where: { $0 == ":" }) == 1, let colon = text.firstIndex(of: ":") {
            host = String(text[..<colon])
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, !host.contains(where: \.isWhitespace) else { return nil }
        guard let portText else { return (host, defaultPort) }
        guard let port = Int(portText), (1...65535).contains(port) else { return nil }
        return (host, port)
    }

    /// The operands and encoded values, checked before anything is sent; a bad one is a `ValidationError`.
    static func plan(reads: [String], writes: [String], state: Bool) throws(ValidationError) -> OnlinePlan {
        var plan = OnlinePlan(state: state)
        for text in writes {
            guard let assignment = Run.assignmentSplit(text) else {
                throw ValidationError("--write needs OPERAND=VALUE, got '\(text)'")
            }
            do throws(S7OperandError) {
                let operand = try S7Operand(parsing: assignment.operand)
                let bytes = try operand.encode(assignment.literal)
                plan.writes.append(OnlinePlan.Write(operand: operand, literal: assignment.literal, bytes: bytes))
            } catch {
                throw ValidationError("--write \(error)")
            }
        }
        for text in reads {
            do throws(S7OperandError) {
                let operand = try S7Operand(parsing: text)
                if !plan.reads.contains(operand) { plan.reads.append(operand) }
            } catch {
                throw ValidationError("--read \(error)")
            }
        }
        return plan
    }

    // MARK: The session

    /// Writes (one `write` call), reads (one `read` call) and the mode, on a connected client. An item the CPU
    /// refuses is reported in `errors`; a connection that fails throws. A CPU that refuses SZL 0x0424 reports the
    /// state `unknown`.
    static func perform(_ plan: OnlinePlan, on client: S7Client) async throws(S7ClientError) -> OnlineReport {
        var report = OnlineReport()
        if !plan.writes.isEmpty {
            let codes = try await client.write(
                plan.writes.map { S7WriteItem(address: $0.operand.address, data: $0.bytes) })
            for (write, code) in zip(plan.writes, codes) {
                if code == .success {
                    report.written.append((write.operand.description, write.literal))
                } else {
                    report.addError(write.operand.description, code.description)
                }
            }
        }
        if !plan.reads.isEmpty {
            let results = try await client.read(plan.reads.map(\.address))
            for (operand, result) in zip(plan.reads, results) {
                switch result {
                case .success(let bytes): report.values.append((operand.description, operand.decode(bytes)))
                case .failure(let code): report.addError(operand.description, code.description)
                }
            }
        }
        if plan.state {
            do throws(S7ClientError) {
                report.state = try await client.mode().description
            } catch {
                guard case .refused = error else { throw error }
                report.state = S7CPUMode.unknown.description  // the CPU does not tell (no SZL 0x0424)
            }
        }
        return report
    }
}

/// What `s7wb online` does on one connection.
struct OnlinePlan: Sendable {
    struct Write: Sendable {
        var operand: S7Operand
        /// The value as given, for the text output.
        var literal: String
        var bytes: [UInt8]
    }

    var writes: [Write] = []
    /// Each operand once, in the order given.
    var reads: [S7Operand] = []
    var state: Bool
}

/// What came back from the CPU, in the order asked.
struct OnlineReport: Sendable {
    var state: String?
    var values: [(operand: String, value: S7OperandValue)] = []
    var written: [(operand: String, literal: String)] = []
    /// One message per operand (the first, when an operand fails in both the write and the read).
    var errors: [(operand: String, message: String)] = []

    mutating func addError(_ operand: String, _ message: String) {
        guard !errors.contains(where: { $0.operand == operand }) else { return }
        errors.append((operand, message))
    }

    /// `state: RUN`, `%MW10 := 5` for each write, `%MW10 = 5` for each read (S7 literals).
    var textLines: [String] {
        var lines: [String] = []
        if let state { lines.append("state: \(state)") }
        for (operand, literal) in written { lines.append("\(operand) := \(literal)") }
        for (operand, value) in values { lines.append("\(operand) = \(value)") }
        return lines
    }

    /// `{"state": "RUN", "values": {"%MW10": 5}, "written": ["%MW10"], "errors": {"%DB9.DBW0": "…"}}`, each key
    /// only when it has something.
    var json: String {
        var fields: [String] = []
        if let state { fields.append("\"state\": \(Run.quoted(state))") }
        if !values.isEmpty {
            let members = values.map { "\(Run.quoted($0.operand)): \($0.value.json)" }
            fields.append("\"values\": {" + members.joined(separator: ", ") + "}")
        }
        if !written.isEmpty {
            fields.append(
                "\"written\": [" + written.map { Run.quoted($0.operand) }.joined(separator: ", ") + "]")
        }
        if !errors.isEmpty {
            let members = errors.map {
                "\(Run.quoted($0.operand)): \(Run.quoted($0.message))"
            }
            fields.append("\"errors\": {" + members.joined(separator: ", ") + "}")
        }
        return "{" + fields.joined(separator: ", ") + "}"
    }
}

extension S7OperandValue {
    /// A JSON value: `true`, `5`, `1.5`, `"T#1s"` (a REAL that is not finite as its literal in a string).
    var json: String {
        switch self {
        case .bool(let value): value ? "true" : "false"
        case .integer(let value): String(value)
        case .real(let value): value.isFinite ? "\(value)" : Run.quoted(description)
        case .text(let text): Run.quoted(text)
        }
    }
}
