import Foundation
import S7Model
import S7TestSupport
import Testing
import Workbench
import WorkbenchAPI

/// The Download / Upload routes on a copy of the bottling line, with the device's virtual PLC: online and offline,
/// CPU start, stop and state, download with and without keeping actual values, the online/offline comparison and
/// upload with actual values as start values.
@Suite struct OnlineRouteTests {
    static let device = "/api/devices/PLC_1"

    /// The CPU status once the PLC has run at least one cycle (within two seconds).
    static func runningStatus(on engine: Engine) async throws -> JSONValue {
        let deadline = ContinuousClock.now + .seconds(2)
        var status = try await RouteCall.call(.get, "\(device)/cpu/status", on: engine).body
        while (status["cycleStatistics"]?["count"]?.intValue ?? 0) == 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
            status = try await RouteCall.call(.get, "\(device)/cpu/status", on: engine).body
        }
        return status
    }

    static func statuses(_ comparison: JSONValue) -> [String: String] {
        var result: [String: String] = [:]
        for block in comparison["blocks"]?.arrayValue ?? [] {
            if let name = block["name"]?.stringValue { result[name] = block["status"]?.stringValue }
        }
        return result
    }

    @Test func aDownloadedPLCIsStartedComparedAndStoppedOnlyOnline() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }

        let offline = try await RouteCall.call(.get, "\(Self.device)/online/status", on: engine)
        #expect(offline.status == 200, "\(offline.body)")
        #expect(offline.body["online"] == false && offline.body["target"] == "virtual")
        #expect(offline.body["cpuMode"] == .null && offline.body["since"] == .null)
        // As in TIA, the CPU is reached only online.
        let needOnline: [(HTTPVerb, String)] = [
            (.get, "cpu/status"), (.post, "cpu/actions/start"), (.post, "cpu/actions/stop"),
            (.post, "actions/compare"), (.post, "actions/upload-sync"),
        ]
        for (method, path) in needOnline {
            let refused = try await RouteCall.call(method, "\(Self.device)/\(path)", on: engine)
            #expect(refused.status == 409, "\(path): \(refused.body)")
            #expect(refused.body["detail"]?.stringValue?.contains("go online first") == true)
        }
        #expect(try await RouteCall.call(.post, "/api/devices/Nope/online", on: engine).status == 404)

        let online = try await RouteCall.call(.post, "\(Self.device)/online", on: engine)
        #expect(online.status == 200, "\(online.body)")
        #expect(online.body["online"] == true && online.body["cpuMode"] == "STOP")
        #expect(online.body["since"]?.stringValue != nil && online.body["ipAddress"] == "192.168.0.10")
        let empty = try await RouteCall.call(.post, "\(Self.device)/cpu/actions/start", on: engine)
        #expect(empty.status == 409, "a CPU without a program does not start: \(empty.body)")
        let nothing = try await RouteCall.call(.post, "\(Self.device)/actions/compare", on: engine)
        #expect(nothing.body["identical"] == false && nothing.body["downloadedAt"] == .null)
        #expect(Self.statuses(nothing.body)["Main"] == "onlyOffline")

        let download = try await RouteCall.call(.post, "\(Self.device)/actions/download-sync", body: [:], on: engine)
        #expect(download.status == 200, "\(download.body)")
        #expect(download.body["errorCount"] == 0 && download.body["target"] == "virtual")
        #expect(download.body["loadedBlocks"]?.arrayValue?.contains("Main") == true)
        #expect(download.body["dataBlocksReinitialized"]?.arrayValue?.contains("Recipe") == true)
        #expect(download.body["dataBlocksKept"]?.arrayValue == [])
        #expect(download.body["cpuMode"] == "STOP" && download.body["restarted"] == false)

        let started = try await RouteCall.call(.post, "\(Self.device)/cpu/actions/start", on: engine)
        #expect(started.status == 200, "\(started.body)")
        #expect(started.body["mode"] == "RUN" && started.body["stopCause"] == .null)
        let status = try await Self.runningStatus(on: engine)
        #expect(status["mode"] == "RUN" && status["timeMode"] == "real time")
        #expect((status["cycleStatistics"]?["count"]?.intValue ?? 0) > 0, "\(status)")
        #expect((status["virtualTimeMs"]?.doubleValue ?? 0) > 0)
        #expect(status["downloadedAt"]?.stringValue != nil)
        #expect((status["diagnosticBufferCount"]?.intValue ?? 0) >= 2, "program loaded, STOP to STARTUP, …")
        #expect(status["loadedBlocks"]?.arrayValue?.contains("Capper") == true)

        let same = try await RouteCall.call(.post, "\(Self.device)/actions/compare", on: engine)
        #expect(same.status == 200, "\(same.body)")
        #expect(same.body["identical"] == true, "\(same.body)")
        let blockCount = try await engine.device("PLC_1").blocks.count
        #expect(same.body["summary"]?["same"]?.intValue == blockCount)

        let capper = try await engine.block("Capper", device: "PLC_1")
        try await engine.updateBlockSource(
            "Capper", device: "PLC_1", source: try #require(capper.sourceText) + "\n// changed offline\n")
        let different = try await RouteCall.call(.post, "\(Self.device)/actions/compare", on: engine)
        #expect(different.body["identical"] == false)
        #expect(Self.statuses(different.body)["Capper"] == "different")
        #expect(Self.statuses(different.body)["Main"] == "same")
        #expect(different.body["summary"]?["different"] == 1)

        let upload = try await RouteCall.call(.post, "\(Self.device)/actions/upload-sync", on: engine)
        #expect(upload.status == 200, "\(upload.body)")
        #expect(upload.body["count"]?.intValue == blockCount && upload.body["startValues"]?.arrayValue == [])
        let uploadJob = try await RouteCall.call(.post, "\(Self.device)/actions/upload", body: [:], on: engine)
        #expect(uploadJob.status == 202, "\(uploadJob.body)")
        let uploaded = try await RouteCall.finishedJob(uploadJob.body, on: engine)
        #expect(uploaded["result"]?["count"]?.intValue == blockCount, "\(uploaded)")

        let stopped = try await RouteCall.call(.post, "\(Self.device)/cpu/actions/stop", on: engine)
        #expect(stopped.status == 200 && stopped.body["mode"] == "STOP" && stopped.body["stopCause"] == "requested")

        let off = try await RouteCall.call(.delete, "\(Self.device)/online", on: engine)
        #expect(off.status == 200 && off.body["online"] == false)
        #expect(try await RouteCall.call(.get, "\(Self.device)/cpu/status", on: engine).status == 409)
        await engine.shutdown()
    }

    @Test func aDownloadKeepsTheActualValuesOfDataBlocksWhoseLayoutDidNotChange() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let operand = "\"Recipe\".Recipes[2].FillVolume_ml"

        let first = try await RouteCall.call(
            .post, "\(Self.device)/actions/download-sync", body: ["keepActualValues": true], on: engine)
        #expect(first.status == 200, "\(first.body)")
        #expect(first.body["dataBlocksKept"]?.arrayValue == [], "nothing to keep before the first download")
        let online = try await RouteCall.call(.get, "\(Self.device)/online/status", on: engine)
        #expect(online.body["online"] == true, "a download goes online by itself")
        #expect(try await RouteCall.call(.post, "\(Self.device)/cpu/actions/start", on: engine).status == 200)
        let instance = try await engine.plcInstance(device: "PLC_1")

        try await engine.modify(operand, to: "444.0", device: "PLC_1")
        #expect(try await BlockRouteTests.value(operand, in: instance, becomes: "444.0"))
        let kept = try await RouteCall.call(
            .post, "\(Self.device)/actions/download-sync", body: ["keepActualValues": true], on: engine)
        #expect(kept.status == 200, "\(kept.body)")
        #expect(kept.body["dataBlocksKept"]?.arrayValue?.contains("Recipe") == true, "\(kept.body)")
        #expect(kept.body["restarted"] == true && kept.body["cpuMode"] == "RUN", "\(kept.body)")
        #expect(try await BlockRouteTests.value(operand, in: instance, becomes: "444.0"))

        let reinitialized = try await RouteCall.call(
            .post, "\(Self.device)/actions/download-sync", body: ["keepActualValues": false], on: engine)
        #expect(reinitialized.status == 200, "\(reinitialized.body)")
        #expect(reinitialized.body["dataBlocksKept"]?.arrayValue == [])
        #expect(try await BlockRouteTests.value(operand, in: instance, becomes: "330.0"))

        // A new member changes Recipe's layout: its values start over; LineData keeps its own.
        try await engine.modify(operand, to: "444.0", device: "PLC_1")
        #expect(try await BlockRouteTests.value(operand, in: instance, becomes: "444.0"))
        let recipe = try #require(try await engine.block("Recipe", device: "PLC_1").sourceText)
        #expect(recipe.contains("Selected : Int := 1;"))
        let grown = recipe.replacingOccurrences(
            of: "Selected : Int := 1;", with: "Selected : Int := 1;\n      Spare : Int;")
        try await engine.updateBlockSource("Recipe", device: "PLC_1", source: grown)
        let accepted = try await RouteCall.call(
            .post, "\(Self.device)/actions/download", body: ["keepActualValues": true], on: engine)
        #expect(accepted.status == 202, "\(accepted.body)")
        let job = try await RouteCall.finishedJob(accepted.body, on: engine)
        #expect(job["status"] == "succeeded", "\(job)")
        let result = job["result"] ?? .null
        #expect(result["dataBlocksReinitialized"]?.arrayValue?.contains("Recipe") == true, "\(result)")
        #expect(result["dataBlocksKept"]?.arrayValue?.contains("LineData") == true, "\(result)")
        #expect(result["dataBlocksKept"]?.arrayValue?.contains("Recipe") == false)
        #expect(try await BlockRouteTests.value(operand, in: instance, becomes: "330.0"))

        let bad = try await RouteCall.call(
            .post, "\(Self.device)/actions/download-sync", body: ["keepActualValues": "yes"], on: engine)
        #expect(bad.status == 400)
        await engine.shutdown()
    }

    @Test func anUploadTakesActualValuesAsStartValuesIntoTheDBSource() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let download = try await RouteCall.call(.post, "\(Self.device)/actions/download-sync", on: engine)
        #expect(download.status == 200, "\(download.body)")
        // The CPU stays in STOP: the program does not overwrite what is modified.
        let instance = try await engine.plcInstance(device: "PLC_1")
        try await engine.modify("\"LineData\".State", to: "90", device: "PLC_1")
        try await engine.modify("\"LineData\".Counters.BottlesIn", to: "7", device: "PLC_1")
        #expect(try await BlockRouteTests.value("\"LineData\".State", in: instance, becomes: "90"))
        #expect(try await BlockRouteTests.value("\"LineData\".Counters.BottlesIn", in: instance, becomes: "7"))

        let path = "\(Self.device)/actions/upload-sync"
        let uploaded = try await RouteCall.call(
            .post, path, body: ["actualValuesAsStartValues": true, "dataBlocks": ["LineData"]], on: engine)
        #expect(uploaded.status == 200, "\(uploaded.body)")
        #expect(uploaded.body["updatedDataBlocks"] == ["LineData"])
        let changes = uploaded.body["startValues"]?.arrayValue ?? []
        #expect(changes.count == 2, "\(changes)")
        let state = changes.first { $0["member"] == "State" }
        #expect(state?["oldStartValue"] == "0" && state?["newStartValue"] == "90")
        #expect(changes.contains { $0["member"] == "Counters.BottlesIn" && $0["newStartValue"] == "7" })
        let skipped = uploaded.body["skippedMembers"]?.arrayValue ?? []
        #expect(skipped.contains { $0["member"] == "Conveyor" }, "a PLC data type member is left out: \(skipped)")

        let source = try #require(try await engine.block("LineData", device: "PLC_1").sourceText)
        #expect(source.contains("State : Int := 90;"), "\(source)")
        #expect(source.contains("Counters.BottlesIn := 7;"), "\(source)")
        try await engine.save()
        let file = try BlockRouteTests.text(root + "/PLC_1/Program blocks/LineData.db")
        #expect(file.contains("State : Int := 90;") && file.contains("Counters.BottlesIn := 7;"))

        // Offline now differs from online; after a download the new start values are what the DB starts with.
        _ = try await RouteCall.call(.post, "\(Self.device)/online", on: engine)
        let compared = try await RouteCall.call(.post, "\(Self.device)/actions/compare", on: engine)
        #expect(Self.statuses(compared.body)["LineData"] == "different")
        let again = try await RouteCall.call(.post, "\(Self.device)/actions/download-sync", on: engine)
        #expect(again.status == 200 && again.body["errorCount"] == 0, "\(again.body)")
        #expect(try await BlockRouteTests.value("\"LineData\".State", in: instance, becomes: "90"))
        #expect(try await BlockRouteTests.value("\"LineData\".Counters.BottlesIn", in: instance, becomes: "7"))

        for (names, status) in [(["Filler_DB"], 422), (["Main"], 422), (["Nope"], 404)] as [([String], Int)] {
            let refused = try await RouteCall.call(
                .post, path, body: ["actualValuesAsStartValues": true, "dataBlocks": JSONValue(names)], on: engine)
            #expect(refused.status == status, "\(names): \(refused.body)")
        }
        let notAList = try await RouteCall.call(
            .post, path, body: ["actualValuesAsStartValues": true, "dataBlocks": [1]], on: engine)
        #expect(notAList.status == 400)
        await engine.shutdown()
    }
}
