// s7-bench: the S7comm and live-value figures of issue #7, measured on the bottling-line sample running in a virtual
// CPU (real time, 10 ms cycles):
// - S7 read round trip (p50, p99) and reads/s, our client against our server on loopback, one connection and four,
//   with the reading task pinned to its client's event loop (`withTaskExecutorPreference(client.taskExecutor)`,
//   as a polling loop should run) and, for comparison, from the global pool (two thread hops more per read);
// - REST batch read of 100 tags through POST /api/simulation/tags/batch-read (tag values/s), four URLSession clients
//   and four plain keep-alive connections (a load generator's view: URLSession on Linux costs more than the server).
// Goals: p50 ≤ 50 µs, ≥ 20,000 reads/s on one connection, ≥ 300,000 tag values/s through REST.
import Foundation
import Hummingbird
import Logging
import S7Protocol
import S7Runtime
import Workbench
import WorkbenchAPI

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Prints at once (stdout to a pipe is buffered, and a failing run would lose the figures before it).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func microseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
}

func seconds(_ duration: Duration) -> Double { microseconds(duration) / 1e6 }

/// A keep-alive HTTP/1.1 connection on a blocking socket, as a load generator drives a server (URLSession on Linux
/// spends more time per request than the server does).
final class PlainHTTPConnection {
    let socket: Int32
    var buffer: [UInt8] = []

    init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        var one: Int32 = 1
        setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        guard connected == 0 else { throw URLError(.cannotConnectToHost) }
    }

    deinit { close(socket) }

    /// Sends `request` (a whole HTTP/1.1 request) and reads one answer; its status.
    func exchange(_ request: [UInt8]) throws -> Int {
        guard request.withUnsafeBytes({ send(socket, $0.baseAddress, $0.count, 0) }) == request.count else {
            throw URLError(.networkConnectionLost)
        }
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            if let end = buffer.firstRange(of: Array("\r\n\r\n".utf8)) {
                let head = String(decoding: buffer[..<end.lowerBound], as: UTF8.self).lowercased()
                guard let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
                    let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
                else { throw URLError(.badServerResponse) }
                if buffer.count >= end.upperBound + length {
                    let status = Int(head.split(separator: " ")[1]) ?? 0
                    buffer.removeFirst(end.upperBound + length)
                    return status
                }
            }
            let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { throw URLError(.networkConnectionLost) }
            buffer += chunk[..<count]
        }
    }
}

/// `count` reads of %MW22 (one item, 2 bytes) on `client`, each timed.
func timedReads(_ client: S7Client, count: Int) async throws -> [Duration] {
    let item = S7VariableAddress(area: .markers, transportSize: .byte, count: 2, byteOffset: 22)
    let clock = ContinuousClock()
    var times: [Duration] = []
    times.reserveCapacity(count)
    for _ in 0..<count {
        let start = clock.now
        let result = try await client.read([item])
        times.append(clock.now - start)
        guard case .success = result[0] else { throw S7ClientError.protocolViolation("read failed") }
    }
    return times
}

let project = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "sample-projects/bottling-line"
let engine = Engine()
try await engine.openProject(at: project, history: .inMemory)
try await engine.download(device: "PLC_1")
_ = try await engine.setPLCMode(run: true, device: "PLC_1")
let server = try await engine.startS7Server(device: "PLC_1", host: "127.0.0.1", port: 0)
let options = S7ClientOptions(host: "127.0.0.1", port: server.port)

/// `count` reads on each client at once (each in its own task, pinned to its client's event loop or not); the
/// sorted round trips and the reads per second of them all.
func readFigures(_ clients: [S7Client], count: Int, pinned: Bool) async throws -> (times: [Duration], perSecond: Double)
{
    let clock = ContinuousClock()
    let start = clock.now
    let times = try await withThrowingTaskGroup(of: [Duration].self) { group in
        for client in clients {
            group.addTask {
                guard pinned else { return try await timedReads(client, count: count) }
                return try await withTaskExecutorPreference(client.taskExecutor) {
                    try await timedReads(client, count: count)
                }
            }
        }
        var merged: [Duration] = []
        for try await part in group { merged += part }
        return merged.sorted()
    }
    return (times, Double(times.count) / seconds(clock.now - start))
}

func report(_ what: String, _ figures: (times: [Duration], perSecond: Double)) {
    let times = figures.times
    say(
        String(
            format: "S7 read %%MW22, %@: p50 %.1f µs, p99 %.1f µs, %.0f reads/s", what,
            microseconds(times[times.count / 2]), microseconds(times[times.count * 99 / 100]), figures.perSecond))
}

let client = try await S7Client.connect(options)
say("S7 PDU \(client.pduSize) bytes")
_ = try await readFigures([client], count: 2_000, pinned: true)  // warm up
report("one connection", try await readFigures([client], count: 20_000, pinned: true))
report("one connection, reader on the global pool", try await readFigures([client], count: 20_000, pinned: false))
// S7's setup grants parallel jobs (8 on an S7-1500): an HMI keeps several in flight on one connection.
report(
    "one connection, \(client.negotiation.maxJobsCalling) jobs in flight",
    try await readFigures(
        Array(repeating: client, count: client.negotiation.maxJobsCalling), count: 20_000 / 8, pinned: true))
await client.close()

var clients: [S7Client] = []
for _ in 0..<4 { clients.append(try await S7Client.connect(options)) }
report("four connections (in all)", try await readFigures(clients, count: 10_000, pinned: true))
for connection in clients { await connection.close() }
let clock = ContinuousClock()

// REST: batch reads of 100 tags from the connected simulation instance.
_ = try await engine.createSimulationInstance(SimulationInstanceDefinition(name: "Bench", deviceName: "PLC_1"))
_ = try await engine.connectSimulation("Bench")
// Tags with an absolute address read without a symbol lookup's failure modes: 100 of them (repeating if fewer).
let tags = (try await engine.simulationTags()).tags.filter { $0.address != nil }.map(\.name)
let names = (0..<100).map { tags[$0 % tags.count] }
let api = APIServer(engine: engine, configuration: .init(host: "127.0.0.1", port: 0, apiKey: "bench"))
var logger = Logger(label: "s7-bench")
logger.logLevel = .error
let bound = AsyncStream<Int>.makeStream()
let app = api.application(logger: logger) { port in bound.continuation.yield(port) }
let serving = Task { try await app.runService() }
func first(_ stream: AsyncStream<Int>) async -> Int? {
    for await value in stream { return value }
    return nil
}
guard let restPort = await first(bound.stream) else { throw URLError(.cannotConnectToHost) }
var request = URLRequest(url: URL(string: "http://127.0.0.1:\(restPort)/api/simulation/tags/batch-read")!)
request.httpMethod = "POST"
request.setValue("bench", forHTTPHeaderField: "X-API-Key")
request.setValue("application/json", forHTTPHeaderField: "Content-Type")
request.httpBody = try JSONSerialization.data(withJSONObject: ["tags": names])
let session = URLSession(configuration: .ephemeral)
let (sample, _) = try await session.data(for: request)
guard let decoded = try JSONSerialization.jsonObject(with: sample) as? [String: Any],
    decoded["goodCount"] as? Int == 100
else {
    say("batch read failed: \(String(decoding: sample.prefix(600), as: UTF8.self))")
    throw URLError(.badServerResponse)
}
let batches = 400
let restStart = clock.now
try await withThrowingTaskGroup(of: Void.self) { group in
    for _ in 0..<4 {
        group.addTask {
            for _ in 0..<(batches / 4) {
                let (_, response) = try await session.data(for: request)
                guard (response as? HTTPURLResponse)?.statusCode == 200 else { throw URLError(.badServerResponse) }
            }
        }
    }
    try await group.waitForAll()
}
let restElapsed = clock.now - restStart
say(
    String(
        format: "REST batch read of 100 tags, four URLSession clients: %.0f requests/s = %.0f tag values/s",
        Double(batches) / seconds(restElapsed), Double(batches * 100) / seconds(restElapsed)))

// The same requests from four plain keep-alive connections (one thread each).
let body = Array(request.httpBody ?? Data())
let plainRequest =
    Array(
        ("POST /api/simulation/tags/batch-read HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: bench\r\n"
            + "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n").utf8) + body
let plainBatches = 4_000
let plainStart = clock.now
try await withThrowingTaskGroup(of: Void.self) { group in
    for _ in 0..<4 {
        group.addTask {
            try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
                Thread.detachNewThread {
                    do {
                        let connection = try PlainHTTPConnection(port: restPort)
                        for _ in 0..<(plainBatches / 4) {
                            guard try connection.exchange(plainRequest) == 200 else {
                                throw URLError(.badServerResponse)
                            }
                        }
                        done.resume()
                    } catch {
                        done.resume(throwing: error)
                    }
                }
            }
        }
    }
    try await group.waitForAll()
}
let plainElapsed = clock.now - plainStart
say(
    String(
        format: "REST batch read of 100 tags, four keep-alive connections: %.0f requests/s = %.0f tag values/s",
        Double(plainBatches) / seconds(plainElapsed), Double(plainBatches * 100) / seconds(plainElapsed)))
let snapshot = try await engine.plcInstance(device: "PLC_1").snapshot()
say(
    String(
        format: "PLC during the run: %d cycles, max cycle %.0f µs, diagnostics %d", snapshot.statistics.count,
        microseconds(snapshot.statistics.maximum), snapshot.diagnostics.count))
serving.cancel()
await engine.shutdown()
