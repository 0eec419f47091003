// api-bench: the REST API's figures from issue #6. Requests per second over a real socket (HTTP/1.1 keep-alive,
// four clients at once) for `GET /api/devices/{d}/tags/all` on a device with 10,000 tags, and for
// `GET /api/projects/overview` on a generated project of 5,000 blocks.
import Foundation
import Hummingbird
import Logging
import S7Model
import SimaticML
import Workbench
import WorkbenchAPI

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A project folder with one PLC: `tags` tags in one table and `blocks` SCL functions.
func generateProject(tags: Int, blocks: Int) throws -> String {
    let root = NSTemporaryDirectory() + "s7wb-api-bench-\(UUID().uuidString)"
    let device = root + "/PLC_1"
    try FileManager.default.createDirectory(atPath: device + "/PLC tags", withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: device + "/Program blocks", withIntermediateDirectories: true)
    var table = TagTable(name: "Plant", file: SourceFileRef(path: "PLC_1/PLC tags/Plant.xml", format: .simaticML))
    for index in 0..<tags {
        let address = "%M\(index / 8).\(index % 8)"
        table.tags.append(S7Model.Tag(name: "Tag_\(index)", dataType: "Bool", address: address))
    }
    try Data(SimaticMLWriter.tagTable(table)).write(to: URL(fileURLWithPath: device + "/PLC tags/Plant.xml"))
    for index in 0..<blocks {
        let source = """
            FUNCTION "Calc_\(index)" : Int
            { S7_Optimized_Access := 'TRUE' }
            VERSION : 0.1
               VAR_INPUT
                  a : Int;
               END_VAR
            BEGIN
            \t#Calc_\(index) := #a + \(index % 100);
            END_FUNCTION

            """
        try Data(source.utf8).write(to: URL(fileURLWithPath: device + "/Program blocks/Calc_\(index).scl"))
    }
    return root
}

/// Runs `total` GETs of `path` from `clients` concurrent sessions and returns requests per second.
func requestsPerSecond(_ url: URL, key: String, total: Int, clients: Int = 4) async throws -> Double {
    var request = URLRequest(url: url)
    request.setValue(key, forHTTPHeaderField: "X-API-Key")
    let session = URLSession(configuration: .ephemeral)
    // Warm up: the first answers build caches and open connections.
    for _ in 0..<clients { _ = try await session.data(for: request) }
    let clock = ContinuousClock()
    let start = clock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for client in 0..<clients {
            let share = total / clients + (client < total % clients ? 1 : 0)
            group.addTask {
                var request = URLRequest(url: url)
                request.setValue(key, forHTTPHeaderField: "X-API-Key")
                for _ in 0..<share {
                    let (_, response) = try await session.data(for: request)
                    guard (response as? HTTPURLResponse)?.statusCode == 200 else {
                        throw URLError(.badServerResponse)
                    }
                }
            }
        }
        try await group.waitForAll()
    }
    let elapsed = clock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return Double(total) / seconds
}

func measure(tags: Int, blocks: Int, path: String, total: Int) async throws -> (Double, Int) {
    let root = try generateProject(tags: tags, blocks: blocks)
    defer { try? FileManager.default.removeItem(atPath: root) }
    let engine = Engine()
    try await engine.openProject(at: root, history: .inMemory)
    let server = APIServer(engine: engine, configuration: .init(host: "127.0.0.1", port: 0, apiKey: "bench"))
    var logger = Logger(label: "api-bench")
    logger.logLevel = .error
    let port = AsyncStream<Int>.makeStream()
    let app = server.application(logger: logger) { bound in port.continuation.yield(bound) }
    let serving = Task { try await app.runService() }
    var iterator = port.stream.makeAsyncIterator()
    guard let bound = await iterator.next() else { throw URLError(.cannotConnectToHost) }
    let url = URL(string: "http://127.0.0.1:\(bound)\(path)")!
    var request = URLRequest(url: url)
    request.setValue("bench", forHTTPHeaderField: "X-API-Key")
    let (body, _) = try await URLSession.shared.data(for: request)
    let rate = try await requestsPerSecond(url, key: "bench", total: total)
    serving.cancel()
    await engine.shutdown()
    return (rate, body.count)
}

let (tagsRate, tagsBytes) = try await measure(
    tags: 10_000, blocks: 1, path: "/api/devices/PLC_1/tags/all", total: 200)
print(
    String(
        format: "GET /api/devices/PLC_1/tags/all, 10,000 tags (%d KB): %.0f requests/s", tagsBytes / 1024, tagsRate))
let (overviewRate, overviewBytes) = try await measure(
    tags: 10, blocks: 5_000, path: "/api/projects/overview", total: 100)
print(
    String(
        format: "GET /api/projects/overview, 5,000 blocks (%d KB): %.0f requests/s", overviewBytes / 1024,
        overviewRate))
