import Foundation
import S7Model
import S7TestSupport
import Testing
import Workbench
import WorkbenchAPI

@Suite struct ProjectRouteTests {
    @Test func createSaveArchiveRestoreAndCloseProjects() async throws {
        let root = NSTemporaryDirectory() + "s7wb-projects-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let engine = Engine(configuration: .init(filesRoot: root))

        let created = try await RouteCall.call(
            .post, "/api/projects/actions/create-sync", body: ["projectName": "Line7", "description": "test line"],
            on: engine)
        #expect(created.status == 200)
        #expect(created.body["project"]?["name"] == "Line7")
        let manifest = try String(contentsOfFile: root + "/Line7/s7project.json", encoding: .utf8)
        #expect(manifest.contains("\"name\" : \"Line7\""))

        // A second project with the same folder is refused.
        let again = try await RouteCall.call(
            .post, "/api/projects/actions/create-sync", body: ["projectName": "Line7"], on: engine)
        #expect(again.status == 409)

        // Archive (a job), then restore the archive into a new folder and find it open.
        let accepted = try await RouteCall.call(
            .post, "/api/projects/actions/archive", body: ["archivePath": "line7.zip"], on: engine)
        #expect(accepted.status == 202)
        let archived = try await RouteCall.finishedJob(accepted.body, on: engine)
        #expect(archived["status"] == "succeeded", "\(archived)")
        #expect(archived["result"]?["files"] == 1)
        let archivePath = try #require(archived["result"]?["archivePath"]?.stringValue)
        #expect(FileManager.default.fileExists(atPath: archivePath))

        let restored = try await RouteCall.call(
            .post, "/api/projects/actions/create-from-archive-sync",
            body: ["archivePath": .string(archivePath), "targetPath": .string(root + "/Restored")], on: engine)
        #expect(restored.status == 200, "\(restored.body)")
        #expect(restored.body["project"]?["name"] == "Line7")
        #expect(FileManager.default.fileExists(atPath: root + "/Restored/s7project.json"))

        let open = try await RouteCall.call(.get, "/api/projects", on: engine)
        #expect(open.body["count"] == 2)
        let history = try await RouteCall.call(.get, "/api/projects/history", on: engine)
        #expect(history.body["projects"]?.arrayValue?.first?["path"]?.stringValue?.hasSuffix("Restored") == true)

        let closed = try await RouteCall.call(.post, "/api/projects/actions/close-sync", on: engine)
        #expect(closed.status == 200)
        #expect(try await RouteCall.call(.get, "/api/projects", on: engine).body["count"] == 1)

        // Escaping the files root is refused.
        let outside = try await RouteCall.call(
            .post, "/api/projects/actions/create-sync", body: ["projectName": "x", "projectPath": "/etc"], on: engine)
        #expect(outside.status == 403)
        let dots = try await RouteCall.call(
            .post, "/api/projects/actions/create-from-archive-sync", body: ["archivePath": "../x.zip"], on: engine)
        #expect(dots.status == 400)

        // A symlink inside the files root that leads out of it is no way out.
        try FileManager.default.createSymbolicLink(atPath: root + "/out", withDestinationPath: "/tmp")
        let throughLink = try await RouteCall.call(
            .post, "/api/projects/actions/create-sync",
            body: ["projectName": "x", "projectPath": .string(root + "/out")], on: engine)
        #expect(throughLink.status == 403)

        let forget = try await RouteCall.call(
            .delete, "/api/projects/history", query: ["path": root + "/Nowhere"], on: engine)
        #expect(forget.status == 404)
    }

    @Test func openSaveAndReindexTheSampleProject() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try await engine.updateSettings(ProjectSettings())
        let table = try await engine.tagTable("HMI", device: "PLC_1")
        var tags = table.tags
        tags[0].comment = MultilingualText("changed through the engine")
        try await engine.updateTagTable("HMI", tags: tags, constants: table.constants, device: "PLC_1")

        // Unsaved changes block a re-read, save writes exactly the changed file.
        let blocked = try await RouteCall.call(.post, "/api/projects/actions/index", on: engine)
        #expect(blocked.status == 409)
        let saved = try await RouteCall.call(.post, "/api/projects/actions/save-sync", on: engine)
        #expect(saved.body["writtenFiles"] == ["PLC_1/PLC tags/HMI.xml"])
        let reindexed = try await RouteCall.call(.post, "/api/projects/actions/index", on: engine)
        #expect(reindexed.status == 200)
        #expect(reindexed.body["totals"]?["devices"] == 1)

        let infrastructure = try await RouteCall.call(.get, "/api/projects/infrastructure", on: engine)
        let subnet = infrastructure.body["subnets"]?.arrayValue?.first
        #expect(subnet?["networkAddress"] == "192.168.0.0")
        #expect(subnet?["devices"]?.arrayValue?.first?["name"] == "PLC_1")

        // Open is a job; the job's result names the project.
        let accepted = try await RouteCall.call(
            .post, "/api/projects/actions/open", body: ["projectPath": .string(root)], on: engine)
        let job = try await RouteCall.finishedJob(accepted.body, on: engine)
        #expect(job["status"] == "succeeded")
        #expect(job["result"]?["project"]?["name"] == "bottling-line")
    }

    @Test func snapshotsAreTakenRestoredAndCleaned() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let original = try String(contentsOfFile: root + "/PLC_1/PLC tags/HMI.xml", encoding: .utf8)

        let taken = try await RouteCall.call(
            .post, "/api/history/tags/PLC_1/HMI/actions/snapshot", body: ["reason": "before the test"], on: engine)
        #expect(taken.status == 200)
        #expect(taken.body["reason"] == "before the test")
        let snapshotID = try #require(taken.body["id"]?.intValue)

        // Change and save the table, then restore the snapshot: the file and the model are as before.
        let table = try await engine.tagTable("HMI", device: "PLC_1")
        try await engine.updateTagTable("HMI", tags: Array(table.tags.dropFirst()), constants: [], device: "PLC_1")
        try await engine.save()
        #expect(try String(contentsOfFile: root + "/PLC_1/PLC tags/HMI.xml", encoding: .utf8) != original)
        let restored = try await RouteCall.call(
            .post, "/api/history/snapshots/\(snapshotID)/actions/restore-sync", on: engine)
        #expect(restored.status == 200, "\(restored.body)")
        #expect(try String(contentsOfFile: root + "/PLC_1/PLC tags/HMI.xml", encoding: .utf8) == original)
        #expect(try await engine.tagTable("HMI", device: "PLC_1").tags.count == table.tags.count)

        let block = try await RouteCall.call(.post, "/api/history/blocks/PLC_1/Main/actions/snapshot", on: engine)
        #expect(block.body["objectKind"] == "block")

        let before = try await RouteCall.call(.get, "/api/history/stats", on: engine).body["snapshotCount"]?.intValue
        let cleaned = try await RouteCall.call(
            .post, "/api/history/actions/cleanup", body: ["keepPerObject": 1], on: engine)
        #expect(cleaned.status == 200)
        #expect(cleaned.body["remaining"]?.intValue == (before ?? 0) - (cleaned.body["deleted"]?.intValue ?? 0))
        #expect(cleaned.body["remaining"] == 2)

        let list = try await RouteCall.call(.get, "/api/history/blocks/PLC_1/Main", on: engine)
        let id = try #require(list.body["snapshots"]?.arrayValue?.first?["id"]?.intValue)
        #expect(try await RouteCall.call(.delete, "/api/history/snapshots/\(id)", on: engine).status == 200)
        #expect(try await RouteCall.call(.delete, "/api/history/snapshots/\(id)", on: engine).status == 404)
    }

    @Test func executeSyncRunsRoutesAndWaitsForJobs() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let direct = try await RouteCall.call(
            .post, "/api/jobs/execute-sync", body: ["method": "GET", "path": "/api/devices/PLC_1/tag-tables"],
            on: engine)
        #expect(direct.body["status"] == "succeeded")
        #expect(direct.body["result"]?["count"] == 2)

        // An asynchronous route runs its synchronous form.
        let save = try await RouteCall.call(
            .post, "/api/jobs/execute-sync", body: ["method": "POST", "path": "/api/projects/actions/save"],
            on: engine)
        #expect(save.body["status"] == "succeeded")
        #expect(save.body["result"]?["writtenFiles"] == [])

        let accepted = try await RouteCall.call(.post, "/api/projects/actions/save", on: engine)
        let waited = try await RouteCall.call(
            .post, "/api/jobs/execute-sync", body: ["jobId": accepted.body["jobId"]!], on: engine)
        #expect(waited.body["status"] == "succeeded")

        let failed = try await RouteCall.call(
            .post, "/api/jobs/execute-sync", body: ["method": "GET", "path": "/api/devices/NoSuch/blocks"], on: engine)
        #expect(failed.body["status"] == "failed")
        #expect(failed.body["result"]?["status"] == 404)
        let unknown = try await RouteCall.call(
            .post, "/api/jobs/execute-sync", body: ["method": "GET", "path": "/api/nothing"], on: engine)
        #expect(unknown.status == 404)
        #expect(try await RouteCall.call(.get, "/api/jobs/nope", on: engine).status == 404)

        // A cleanup that names an age forgets the jobs finished before it.
        try await Task.sleep(for: .milliseconds(20))
        let cleaned = try await RouteCall.call(
            .post, "/api/history/actions/cleanup", body: ["olderThanDays": 0], on: engine)
        #expect(cleaned.body["jobsDeleted"]?.intValue ?? 0 >= 1)
        #expect(
            try await RouteCall.call(.get, "/api/jobs/\(accepted.body["jobId"]!.stringValue!)", on: engine).status
                == 404)
    }
}

@Suite struct CompileAndCrossReferenceRouteTests {
    @Test func crossReferencesNameWhatABlockUsesAndWhoUsesIt() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let main = try await RouteCall.call(.get, "/api/devices/PLC_1/blocks/Main/cross-references", on: engine)
        #expect(main.status == 200)
        let uses = main.body["uses"]?.arrayValue ?? []
        let start = uses.first { $0["name"] == "StartButton" }
        #expect(start?["kind"] == "tag")
        #expect(start?["locations"] == ["line 31"])
        #expect(uses.contains { $0["name"] == "LineData" && $0["kind"] == "DB" })
        #expect(uses.contains { $0["name"] == "Main" } == false)

        let conveyor = try await RouteCall.call(
            .get, "/api/devices/PLC_1/blocks/Conveyor/cross-references", on: engine)
        #expect(
            conveyor.body["uses"]?.arrayValue?.contains { $0["name"] == "typeMotor" && $0["kind"] == "UDT" } == true)
        #expect(conveyor.body["usedBy"]?.arrayValue?.contains { $0["name"] == "Conveyor_DB" } == true)
        let missing = try await RouteCall.call(.get, "/api/devices/PLC_1/blocks/Nope/cross-references", on: engine)
        #expect(missing.status == 404)
    }

    @Test func compilingAPLCReportsItsProgramToo() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let clean = try await RouteCall.call(.post, "/api/devices/PLC_1/actions/compile-sync", on: engine)
        #expect(clean.body["state"] == "success", "\(clean.body)")
        #expect(clean.body["software"]?["errorCount"] == 0)
        #expect(clean.body["software"]?["compiledBlocks"]?.arrayValue?.isEmpty == false)

        let source = try await engine.block("Startup", device: "PLC_1").sourceText!
        try await engine.updateBlockSource(
            "Startup", device: "PLC_1",
            source: source.replacingOccurrences(of: "BEGIN", with: "BEGIN\n    \"NoSuchTag\" := TRUE;"))
        let broken = try await RouteCall.call(.post, "/api/devices/PLC_1/actions/compile-sync", on: engine)
        #expect(broken.body["state"] == "error")
        let diagnostic = broken.body["software"]?["diagnostics"]?.arrayValue?.first
        #expect(diagnostic?["file"]?.stringValue?.hasSuffix("Startup.scl") == true)
        #expect(diagnostic?["message"]?.stringValue?.contains("NoSuchTag") == true, "\(String(describing: diagnostic))")
    }
}
