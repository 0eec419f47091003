import Foundation
import MCP
import S7TestSupport
import Testing
import Workbench
import WorkbenchAPI
import WorkbenchMCP

/// The server-sent event stream of a watch table's live values, driven through its handler with a writer that
/// collects what it writes: every row first, then only the rows that changed, ids counting up, `maxEvents` ending
/// it, an `error` event when the table goes away, and 400/404 problems before the stream starts.
@Suite struct WatchStreamTests {
    static let device = "/api/devices/PLC_1"
    static let stream = "\(device)/watch-tables/Stream/values/stream"

    /// One block of the wire text: an event, or a comment.
    struct Event {
        var name: String?
        var id: String?
        var data: JSONValue?
        var comment: String?

        /// `event: values\nid: 1\ndata: {...}\n\n: keep-alive\n\n` → two blocks.
        static func parse(_ text: String) -> [Event] {
            text.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { (block: String) -> Event in
                var event = Event()
                for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                    if line.hasPrefix(": ") {
                        event.comment = String(line.dropFirst(2))
                    } else if line.hasPrefix("event: ") {
                        event.name = String(line.dropFirst(7))
                    } else if line.hasPrefix("id: ") {
                        event.id = String(line.dropFirst(4))
                    } else if line.hasPrefix("data: ") {
                        #expect(event.data == nil, "one data line per event: \(block)")
                        event.data = try? JSONValue.parse(String(line.dropFirst(6)))
                    } else {
                        Issue.record("unexpected line '\(line)' in \(block)")
                    }
                }
                return event
            }
        }

        var entries: [JSONValue] { data?["entries"]?.arrayValue ?? [] }
    }

    /// Collects the text a stream writes and whether its producer returned.
    actor Collector {
        private(set) var text = ""
        private(set) var finished = false

        func append(_ chunk: String) { text += chunk }
        func finish() { finished = true }
        var events: [Event] { Event.parse(text).filter { $0.name != nil } }
    }

    /// The handler's answer: the problem's status, or the stream.
    static func open(
        _ query: [String: String], path: String = WatchStreamTests.stream, on engine: Engine
    ) async throws -> (status: Int, problem: JSONValue?, stream: EventStream?) {
        let (route, parameters) = try #require(
            RouteCatalog.standard.match(method: .get, path: path),
            "the stream route is not in RouteCatalog.standard")
        do {
            let response = try await route.handler(
                RouteRequest(pathParameters: parameters, query: query, actor: "test"), engine)
            guard case .eventStream(let stream) = response.body else {
                Issue.record("not an event stream: \(response.body)")
                return (response.status, nil, nil)
            }
            return (response.status, nil, stream)
        } catch let error as APIError {
            return (error.status, error.problem, nil)
        }
    }

    /// Runs the stream in a task writing into `collector`.
    static func run(_ stream: EventStream, into collector: Collector) -> Task<Void, any Error> {
        Task {
            try await stream.produce(EventStreamWriter { await collector.append($0) })
            await collector.finish()
        }
    }

    /// Waits (at most five seconds) until `condition` holds.
    static func eventually(_ condition: () async -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try await Task.sleep(for: .milliseconds(5))
        }
        return await condition()
    }

    /// The events once there are `count` of them (fewer when they do not come within five seconds).
    static func events(_ collector: Collector, count: Int) async throws -> [Event] {
        _ = try await eventually { await collector.events.count >= count }
        return await collector.events
    }

    /// An engine on a copy of the bottling line with the table "Stream" (two memory words the program leaves alone,
    /// a recipe value and an unknown tag), downloaded and in RUN.
    static func runningLine() async throws -> (Engine, String) {
        let (engine, root) = try await RouteCall.engineWithCopy()
        let created = try await RouteCall.call(.post, "\(device)/watch-tables", body: ["name": "Stream"], on: engine)
        #expect(created.status == 201, "\(created.body)")
        let added = try await RouteCall.call(
            .post, "\(device)/watch-tables/Stream/entries",
            body: [
                "entries": [
                    ["operand": "%MW10"], ["operand": "%MW12"], ["operand": "\"Recipe\".Recipes[2].FillVolume_ml"],
                    ["operand": "\"NoSuchTag\""],
                ]
            ], on: engine)
        #expect(added.status == 200 && added.body["entryCount"] == 4, "\(added.body)")
        try await engine.download(device: "PLC_1")
        _ = try await engine.setPLCMode(run: true, device: "PLC_1")
        return (engine, root)
    }

    @Test func theFirstEventHoldsEveryRowThenOnlyChangedRowsFollowUntilMaxEvents() async throws {
        let (engine, root) = try await Self.runningLine()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let opened = try await Self.open(["intervalMs": "10", "maxEvents": "3"], on: engine)
        #expect(opened.status == 200, "\(String(describing: opened.problem))")
        let stream = try #require(opened.stream)
        let collector = Collector()
        let task = Self.run(stream, into: collector)

        let first = try #require(try await Self.events(collector, count: 1).first)
        #expect(first.name == "values" && first.id == "1")
        #expect(first.data?["name"] == "Stream" && first.data?["complete"] == true, "\(String(describing: first.data))")
        #expect(first.data?["liveValues"] == true && first.data?["downloadedAt"]?.stringValue != nil)
        let rows = first.entries
        try #require(rows.count == 4, "\(rows)")
        #expect(rows.map { $0["index"] } == [0, 1, 2, 3])
        #expect(
            rows.map { $0["operand"] } == ["%MW10", "%MW12", "\"Recipe\".Recipes[2].FillVolume_ml", "\"NoSuchTag\""])
        #expect(rows[0]["value"] == "16#0000" && rows[0]["quality"] == "good", "\(rows)")
        #expect(rows[2]["value"] == "330.0" && rows[3]["quality"] == "bad: not found", "\(rows)")
        #expect(rows.allSatisfy { $0["timestamp"]?.stringValue != nil })

        // Unchanged rows send nothing: ten ticks later there is still one event.
        try await Task.sleep(for: .milliseconds(100))
        let quiet = await collector.text
        #expect(Event.parse(quiet).count == 1, "\(quiet)")

        // A value modified through the engine comes in the next event, alone.
        try await engine.modify("%MW10", to: "16#002A", device: "PLC_1")
        let second = try #require(try await Self.events(collector, count: 2).dropFirst().first, "no second event")
        #expect(second.name == "values" && second.id == "2")
        #expect(second.data?["complete"] == false && second.data?["name"] == "Stream")
        #expect(second.entries.map { $0["index"] } == [0], "\(second.entries)")
        #expect(second.entries.first?["operand"] == "%MW10" && second.entries.first?["value"] == "16#002A")

        try await engine.modify("%MW12", to: "16#0007", device: "PLC_1")
        let third = try #require(try await Self.events(collector, count: 3).dropFirst(2).first, "no third event")
        #expect(third.id == "3" && third.entries.map { $0["index"] } == [1], "\(third.entries)")
        #expect(third.entries.first?["value"] == "16#0007")

        // maxEvents = 3: the producer returns after the third 'values' event.
        let ended = try await Self.eventually { await collector.finished }
        #expect(ended, "the stream did not end after maxEvents")
        if !ended { task.cancel() }
        try await engine.modify("%MW10", to: "16#0001", device: "PLC_1")
        try await Task.sleep(for: .milliseconds(50))
        #expect(await collector.events.count == 3)
        await engine.shutdown()
    }

    @Test func rowEditsResendTheWholeTableAndADeletedTableEndsTheStreamWithAnError() async throws {
        let (engine, root) = try await Self.runningLine()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let stream = try #require(try await Self.open(["intervalMs": "10"], on: engine).stream)
        let collector = Collector()
        let task = Self.run(stream, into: collector)
        #expect(try await Self.events(collector, count: 1).count == 1)

        let added = try await RouteCall.call(
            .post, "\(Self.device)/watch-tables/Stream/entries", body: ["operand": "%MW14"], on: engine)
        #expect(added.status == 200, "\(added.body)")
        let second = try #require(try await Self.events(collector, count: 2).dropFirst().first, "no second event")
        #expect(second.data?["complete"] == true && second.entries.count == 5, "\(second.entries)")

        #expect(try await RouteCall.call(.delete, "\(Self.device)/watch-tables/Stream", on: engine).status == 200)
        let ended = try await Self.eventually { await collector.finished }
        #expect(ended, "the stream did not end when its table was deleted")
        if !ended { task.cancel() }
        let text = await collector.text
        let last = try #require(Event.parse(text).last)
        #expect(last.name == "error" && last.id == "3", "\(text)")
        #expect(last.data?["status"] == 404 && last.data?["detail"]?.stringValue?.contains("Stream") == true)
        await engine.shutdown()
    }

    @Test func aClientLeavingStopsTheStream() async throws {
        let (engine, root) = try await Self.runningLine()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let stream = try #require(try await Self.open(["intervalMs": "10"], on: engine).stream)
        let collector = Collector()
        let task = Self.run(stream, into: collector)
        #expect(try await Self.events(collector, count: 1).count == 1)
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(await collector.finished == false)
        await engine.shutdown()
    }

    @Test func badQueriesAndMissingObjectsAreProblemsBeforeTheStream() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let bad: [[String: String]] = [
            ["intervalMs": "9"], ["intervalMs": "60001"], ["intervalMs": "fast"], ["intervalMs": ""],
            ["maxEvents": "0"], ["maxEvents": "-1"], ["maxEvents": "many"],
        ]
        let lineOverview = "\(Self.device)/watch-tables/Line overview/values/stream"
        for query in bad {
            let opened = try await Self.open(query, path: lineOverview, on: engine)
            #expect(opened.status == 400 && opened.stream == nil, "\(query): \(String(describing: opened.problem))")
        }
        let missing: [String] = [
            "\(Self.device)/watch-tables/Nope/values/stream",
            "\(Self.device)/watch-tables/Commissioning/values/stream",  // a force table
            "/api/devices/PLC_9/watch-tables/Line overview/values/stream",
        ]
        for path in missing {
            let opened = try await Self.open([:], path: path, on: engine)
            #expect(opened.status == 404 && opened.stream == nil, "\(path): \(String(describing: opened.problem))")
        }
        let otherProject = try await Self.open(["projectId": "nope"], path: lineOverview, on: engine)
        #expect([404, 409].contains(otherProject.status), "\(String(describing: otherProject.problem))")

        // Before a download the stream still starts: rows without values.
        let offline = try await Self.open(["maxEvents": "1"], path: lineOverview, on: engine)
        let stream = try #require(offline.stream)
        let collector = Collector()
        try await stream.produce(EventStreamWriter { await collector.append($0) })
        let events = await collector.events
        #expect(events.count == 1 && events.first?.data?["liveValues"] == false, "\(events.map(\.data))")
        #expect(events.first?.entries.isEmpty == false && events.first?.entries.first?["value"] == .null)
    }

    @Test func eventsAreWrittenAsServerSentEventsAndDocumentedAsSuch() async throws {
        let collector = Collector()
        let writer = EventStreamWriter { await collector.append($0) }
        try await writer.send(event: "values", data: ["text": "two\nlines", "n": 1], id: "7")
        try await writer.comment("keep-alive")
        try await writer.send(event: "bad\nname", data: [], id: nil)
        #expect(
            await collector.text
                == "event: values\nid: 7\ndata: {\"text\":\"two\\nlines\",\"n\":1}\n\n: keep-alive\n\n"
                + "event: badname\ndata: []\n\n")

        let template = "/api/devices/{deviceName}/watch-tables/{tableName}/values/stream"
        let route = try #require(RouteCatalog.standard.routes.first { $0.path == template })
        #expect(route.isEventStream && route.group == "Watch & Force Tables" && !route.mutates)
        let document = OpenAPIDocument.make(from: .standard)
        let ok = document["paths"]?[template]?["get"]?["responses"]?["200"]?["content"]
        #expect(ok?["text/event-stream"]?["schema"]?["type"] == "string", "\(String(describing: ok))")
        #expect(ok?["application/json"] == nil)
        let names = MCPTools(engine: Engine()).tools.map(\.name)
        #expect(!names.contains(MCPTools.toolName(route)), "a stream is no MCP tool")
        #expect(names.contains("get_api_devices_devicename_watch_tables_tablename"))

        // execute-sync refuses it instead of waiting for the stream's end.
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = "\(Self.device)/watch-tables/Line overview/values/stream"
        let sync = try await RouteCall.call(
            .post, "/api/jobs/execute-sync", body: ["method": "GET", "path": .string(path)], on: engine)
        #expect(sync.status == 422, "\(sync.body)")
    }
}
