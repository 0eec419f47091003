import Foundation
import Testing
import Workbench
import WorkbenchAPI

/// The PLCSim Simulation group on the bottling line's virtual PLC: an instance created, powered off and on, run,
/// its tags listed, written and read (the program reacting), batches with bad items, stepped time through
/// `simulation/start`, profiles saved and imported, the instance deleted.
@Suite struct SimulationRouteTests {
    static let tags = "/api/simulation/tags"
    static let instance = "/api/simulation/instances/Line"

    /// GETs `path` until `accept` holds, at most two seconds (a write lands at the next cycle start).
    func poll(_ path: String, on engine: Engine, until accept: (JSONValue) -> Bool) async throws -> JSONValue {
        let deadline = ContinuousClock.now + .seconds(2)
        var answer = try await RouteCall.call(.get, path, on: engine).body
        while !accept(answer), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
            answer = try await RouteCall.call(.get, path, on: engine).body
        }
        return answer
    }

    @Test func anInstanceRunsTheBottlingLineWithItsTagsReadWrittenAndSteppedTime() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try await engine.download(device: "PLC_1")

        // The runtime is this process; its port base is a project setting.
        let runtime = try await RouteCall.call(.get, "/api/simulation/runtime/status", on: engine)
        #expect(runtime.body["running"] == true)
        #expect(runtime.body["instanceCount"] == 0)
        let started = try await RouteCall.call(.post, "/api/simulation/runtime/start", on: engine)
        #expect(started.body["alreadyRunning"] == true)
        let defaults = try await RouteCall.call(.get, "/api/simulation/runtime/config", on: engine)
        #expect(defaults.body["defaultTimeMode"] == "realTime")
        #expect(defaults.body["s7PortBase"] == 102)
        let badPort = try await RouteCall.call(
            .post, "/api/simulation/runtime/port", body: ["port": 70000], on: engine)
        #expect(badPort.status == 400)
        let port = try await RouteCall.call(.post, "/api/simulation/runtime/port", body: ["port": 10102], on: engine)
        #expect(port.body["s7PortBase"] == 10102, "\(port.body)")

        // One instance per device, its CPU from the order number, its address from the device.
        let created = try await RouteCall.call(
            .post, "/api/simulation/instances/create", body: ["name": "Line", "deviceName": "PLC_1"], on: engine)
        #expect(created.status == 201, "\(created.body)")
        #expect(created.body["cpuType"] == "CPU 1516-3 PN/DP")
        #expect(created.body["ipAddress"] == "192.168.0.10")
        #expect(created.body["s7Port"] == 10102)
        #expect(created.body["state"] == "stop")
        #expect(created.body["downloaded"] == true)
        let second = try await RouteCall.call(
            .post, "/api/simulation/instances/create", body: ["name": "Line 2", "deviceName": "PLC_1"], on: engine)
        #expect(second.status == 409)
        #expect(second.body["detail"]?.stringValue?.contains("one instance per device") == true, "\(second.body)")
        let unknown = try await RouteCall.call(
            .post, "/api/simulation/instances/create", body: ["name": "X", "deviceName": "PLC_9"], on: engine)
        #expect(unknown.status == 404)
        let badMode = try await RouteCall.call(
            .post, "/api/simulation/instances/create",
            body: ["name": "Y", "deviceName": "PLC_1", "timeMode": "warp"], on: engine)
        #expect(badMode.status == 400)
        let listed = try await RouteCall.call(.get, "/api/simulation/instances", on: engine)
        #expect(listed.body["count"] == 1)

        // Tags need a connection.
        let early = try await RouteCall.call(.get, Self.tags, on: engine)
        #expect(early.status == 409)
        let connected = try await RouteCall.call(.post, "/api/simulation/connect", body: ["name": "line"], on: engine)
        #expect(connected.status == 200, "\(connected.body)")
        #expect(connected.body["connected"] == true)
        let list = try await RouteCall.call(.get, Self.tags, on: engine)
        #expect(list.status == 200, "\(list.body)")
        let tags = list.body["tags"]?.arrayValue ?? []
        func tag(_ name: String) -> JSONValue? { tags.first { $0["name"]?.stringValue == name } }
        #expect(tag("StartButton")?["address"] == "%I0.0")
        #expect(tag("StartButton")?["dataType"] == "Bool")
        #expect(tag("\"LineData\".State")?["dataType"] == "Int")
        #expect(tag("\"LineData\".State")?["address"] == .null)
        #expect(tag("\"LineData\".Counters.BottlesIn")?["dataType"] == "DInt")
        #expect(tag("\"Filler_DB\".Busy")?["kind"] == "dbMember")
        #expect(tag("\"Recipe\".Recipes")?["dataType"]?.stringValue?.hasPrefix("Array[1..") == true)

        // Powered off, the PLC keeps its program; tags and RUN wait for power-on.
        let off = try await RouteCall.call(.post, "\(Self.instance)/power-off", on: engine)
        #expect(off.body["state"] == "off", "\(off.body)")
        #expect(off.body["poweredOn"] == false)
        let offRead = try await RouteCall.call(.get, "\(Self.tags)/StartButton", on: engine)
        #expect(offRead.status == 409)
        let offRun = try await RouteCall.call(.post, "\(Self.instance)/run", on: engine)
        #expect(offRun.status == 409)
        let on = try await RouteCall.call(.post, "\(Self.instance)/power-on", on: engine)
        #expect(on.body["state"] == "stop", "\(on.body)")
        #expect(on.body["downloaded"] == true)
        let run = try await RouteCall.call(.post, "\(Self.instance)/run", on: engine)
        #expect(run.status == 200, "\(run.body)")
        #expect(run.body["state"] == "run")
        let state = try await RouteCall.call(.get, "\(Self.instance)/state", on: engine)
        #expect(state.body["state"] == "run")
        #expect(state.body["timeMode"] == "realTime")

        // A batch: each item its own quality. The E-stop chain and the NC stop button go healthy (inputs stay as
        // written); an unknown tag and a bad literal are bad without failing the others.
        let batch = try await RouteCall.call(
            .post, "\(Self.tags)/batch-write",
            body: [
                "values": [
                    ["tag": "EStopOk", "value": true], ["tag": "StopButton", "value": "TRUE"],
                    ["tag": "NoSuchTag", "value": 1], ["tag": "HMI_RecipeSelect", "value": "abc"],
                ]
            ], on: engine)
        #expect(batch.status == 200, "\(batch.body)")
        let results = batch.body["results"]?.arrayValue ?? []
        #expect(results.map { $0["quality"] } == ["good", "good", "bad", "bad"], "\(results)")
        #expect(results.count == 4 && results[2]["problem"] == "notFound" && results[3]["problem"] == "invalidValue")
        #expect(batch.body["badCount"] == 2)

        // The operator resets the fault: the line sequence goes to STOPPED at the next cycle.
        let reset = try await RouteCall.call(.put, "\(Self.tags)/HMI_Reset", body: ["value": true], on: engine)
        #expect(reset.status == 200, "\(reset.body)")
        #expect(reset.body["value"] == "TRUE")
        let stopped = try await poll("\(Self.tags)/\"LineData\".State", on: engine) { $0["value"] == "0" }
        #expect(stopped["value"] == "0", "\(stopped)")
        #expect(stopped["dataType"] == "Int")

        // A recipe selected on the HMI is taken over by Main while the line is stopped.
        let select = try await RouteCall.call(.put, "\(Self.tags)/HMI_RecipeSelect", body: ["value": 2], on: engine)
        #expect(select.status == 200, "\(select.body)")
        let selected = try await poll("\(Self.tags)/\"Recipe\".Selected", on: engine) { $0["value"] == "2" }
        #expect(selected["value"] == "2", "\(selected)")
        let word = try await RouteCall.call(.get, "\(Self.tags)/%MW22", on: engine)
        #expect(word.body["value"] == "16#0002", "\(word.body)")
        let unknownTag = try await RouteCall.call(.get, "\(Self.tags)/NoSuchTag", on: engine)
        #expect(unknownTag.status == 404)
        let wholeArray = try await RouteCall.call(.get, "\(Self.tags)/\"Recipe\".Recipes", on: engine)
        #expect(wholeArray.status == 422)
        let badValue = try await RouteCall.call(
            .put, "\(Self.tags)/HMI_RecipeSelect", body: ["value": "fast"], on: engine)
        #expect(badValue.status == 400)
        let read = try await RouteCall.call(
            .post, "\(Self.tags)/batch-read",
            body: ["tags": ["HMI_RecipeSelect", "NoSuchTag", "%MW22", "\"LineData\".StateText"]], on: engine)
        let values = read.body["values"]?.arrayValue ?? []
        #expect(values.map { $0["quality"] } == ["good", "bad", "good", "good"], "\(values)")
        #expect(values.map { $0["value"] } == ["2", .null, "16#0002", "'STOPPED'"], "\(values)")

        // Stepped time: exactly N cycles of T ms on every running instance, in no wall time.
        let stepped = try await RouteCall.call(
            .put, "\(Self.instance)/config", body: ["timeMode": "stepped"], on: engine)
        #expect(stepped.status == 200, "\(stepped.body)")
        #expect(stepped.body["timeMode"] == "stepped")
        try await Task.sleep(for: .milliseconds(50))
        let before = try await RouteCall.call(.get, "\(Self.instance)/state", on: engine).body
        let cycles = try #require(before["cycleCount"]?.intValue)
        let time = try #require(before["virtualTimeMs"]?.doubleValue)
        let ten = try await RouteCall.call(
            .post, "/api/simulation/start", body: ["cycles": 10, "cycleTimeMs": 10], on: engine)
        #expect(ten.status == 200, "\(ten.body)")
        #expect(ten.body["started"] == ["Line"])
        #expect(ten.body["cyclesRun"] == 10)
        let after = try await RouteCall.call(.get, "\(Self.instance)/state", on: engine).body
        #expect(after["cycleCount"]?.intValue == cycles + 10)
        #expect(abs((after["virtualTimeMs"]?.doubleValue ?? 0) - time - 100) < 0.001, "\(before) → \(after)")
        let span = try await RouteCall.call(
            .post, "/api/simulation/start", body: ["durationMs": 50, "cycleTimeMs": 10], on: engine)
        #expect(span.body["cyclesRun"] == 5, "\(span.body)")

        // Until a condition: start the line; the horn sounds 2 s of virtual time before it runs.
        let start = try await RouteCall.call(.put, "\(Self.tags)/HMI_Start", body: ["value": "TRUE"], on: engine)
        #expect(start.status == 200)
        let running = try await RouteCall.call(
            .post, "/api/simulation/start",
            body: ["until": ["tag": "\"LineData\".State", "value": 20], "cycles": 1000, "cycleTimeMs": 10],
            on: engine)
        #expect(running.body["conditionMet"] == true, "\(running.body)")
        let ran = running.body["cyclesRun"]?.intValue ?? 0
        #expect((190...260).contains(ran), "\(ran) cycles")
        let text = try await RouteCall.call(.get, "\(Self.tags)/\"LineData\".StateText", on: engine)
        #expect(text.body["value"] == "'RUNNING'", "\(text.body)")
        let overall = try await RouteCall.call(.get, "/api/simulation/state", on: engine)
        #expect(overall.body["connectedInstance"] == "Line")
        #expect(overall.body["timeMode"] == "stepped")
        #expect(overall.body["isRunning"] == true)

        let stop = try await RouteCall.call(.post, "/api/simulation/stop", on: engine)
        #expect(stop.body["instances"]?.arrayValue?.first?["state"] == "stop", "\(stop.body)")

        // Profiles: saved in the project's .s7wb store, listed, read back.
        let saved = try await RouteCall.call(
            .post, "/api/simulation/profiles", body: ["fileName": "line.json", "description": "the bottling line"],
            on: engine)
        #expect(saved.status == 201, "\(saved.body)")
        #expect(saved.body["instanceCount"] == 1)
        let file = try JSONValue.parse(try String(contentsOfFile: root + "/.s7wb/profiles/line.json", encoding: .utf8))
        #expect(file["format"] == "s7wb-simulation-profile")
        #expect(file["instances"]?.arrayValue?.first?["deviceName"] == "PLC_1")
        #expect(file["instances"]?.arrayValue?.first?["timeMode"] == "stepped")
        let again = try await RouteCall.call(
            .post, "/api/simulation/profiles", body: ["fileName": "line.json"], on: engine)
        #expect(again.status == 409)
        let profiles = try await RouteCall.call(.get, "/api/simulation/profiles", on: engine)
        #expect(profiles.body["profiles"]?.arrayValue?.map { $0["fileName"] } == ["line.json"], "\(profiles.body)")
        let profile = try await RouteCall.call(.get, "/api/simulation/profiles/line.json", on: engine)
        #expect(profile.body["name"] == "line")
        #expect(profile.body["description"] == "the bottling line")
        #expect(profile.body["instances"]?.arrayValue?.first?["s7Port"] == 10102)
        let notJSON = try await RouteCall.call(.get, "/api/simulation/profiles/notes.txt", on: engine)
        #expect(notJSON.status == 400)
        let legacy = try await RouteCall.call(
            .post, "/api/simulation/import-legacy", body: ["plcsimProject": "Line.vplc"], on: engine)
        #expect(legacy.status == 422, "\(legacy.body)")
        let malformed = try await RouteCall.call(
            .post, "/api/simulation/import-legacy", body: ["instances": [["cpu": "1516"]]], on: engine)
        #expect(malformed.status == 422, "\(malformed.body)")

        // Deleted, the instance is gone with its PLC; the profile brings it back (without the download).
        let deleted = try await RouteCall.call(.delete, Self.instance, on: engine)
        #expect(deleted.body["deleted"] == true)
        let gone = try await RouteCall.call(.get, "\(Self.instance)/state", on: engine)
        #expect(gone.status == 404)
        let plcs = try await engine.plcInstances()
        #expect(plcs.isEmpty)
        let disconnected = try await RouteCall.call(.get, Self.tags, on: engine)
        #expect(disconnected.status == 409)
        let imported = try await RouteCall.call(
            .post, "/api/simulation/import-legacy", body: ["fileName": "line.json"], on: engine)
        #expect(imported.status == 200, "\(imported.body)")
        #expect(imported.body["count"] == 1)
        let back = imported.body["instances"]?.arrayValue?.first
        #expect(back?["name"] == "Line")
        #expect(back?["timeMode"] == "stepped")
        #expect(back?["downloaded"] == false)
        let nothing = try await RouteCall.call(.post, "/api/simulation/start", on: engine)
        #expect(nothing.status == 409)
        #expect(nothing.body["detail"]?.stringValue?.contains("download first") == true, "\(nothing.body)")

        await engine.shutdown()
    }
}
