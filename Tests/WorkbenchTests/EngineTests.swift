import Foundation
import S7Model
import S7TestSupport
import Testing
import Workbench

@Suite struct EngineTests {
    /// Open + save of the real corpus leaves every file byte-identical and untouched (DESIGN.md decision 1).
    @Test(.enabled(if: Fixtures.corpusAvailable))
    func saveOfAnUnchangedProjectWritesNothing() async throws {
        let copy = try Fixtures.temporaryCopy(of: Fixtures.corpus + "/ikea_vyatka_sorting")
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let before = Fixtures.fingerprint(copy)
        let engine = Engine()
        try await engine.openProject(at: copy)
        let written = try await engine.save()
        #expect(written.isEmpty)
        let after = Fixtures.fingerprint(copy)
        #expect(before.keys.sorted() == after.keys.sorted())
        for (path, (data, date)) in before {
            #expect(after[path]?.0 == data, "\(path) changed")
            #expect(after[path]?.1 == date, "\(path) was rewritten")
        }
    }

    @Test func networkChangesAreValidatedAuditedSnapshottedAndSavedToTheManifest() async throws {
        let root = try makeProject()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let engine = Engine()
        let events = engine.events()
        try await engine.openProject(at: root, actor: "tester")
        await #expect(throws: EngineError.self) {
            try await engine.setDeviceNetwork("PLC_1", ipAddress: "192.168.0.256", subnetMask: "255.255.255.0")
        }
        await #expect(throws: EngineError.self) {
            try await engine.setDeviceNetwork("PLC_1", ipAddress: "192.168.0.10", subnetMask: "255.0.255.0")
        }
        await #expect(throws: EngineError.self) {
            try await engine.setDeviceNetwork("PLC_1", ipAddress: "192.168.0.255", subnetMask: "255.255.255.0")
        }
        try await engine.setDeviceNetwork(
            "PLC_1", ipAddress: "192.168.0.10", subnetMask: "255.255.255.0", actor: "tester")
        let written = try await engine.save()
        #expect(written == ["s7project.json"])
        let manifest = try JSONDecoder().decode(
            ProjectManifest.self, from: try #require(FileManager.default.contents(atPath: root + "/s7project.json")))
        #expect(manifest.devices.first?.ipAddress == "192.168.0.10")
        #expect(manifest.devices.first?.subnetMask == "255.255.255.0")
        let audit = try await engine.audit()
        #expect(audit.map(\.action).prefix(3) == ["project.save", "device.setNetwork", "project.open"])
        #expect(audit[1].actor == "tester")
        #expect(audit[1].detail == "192.168.0.10/255.255.255.0")
        let snapshots = try await engine.snapshots()
        #expect(snapshots.first?.objectPath == "s7project.json")
        var seen: [EngineEvent] = []
        for await event in events {
            seen.append(event)
            if case .projectSaved = event { break }
        }
        #expect(seen.contains { if case .objectChanged(_, "device", "PLC_1", _) = $0 { true } else { false } })
        // A second open of the same folder returns the same session, and history survives a new engine.
        let again = Engine()
        try await again.openProject(at: root)
        #expect(try await again.audit().contains { $0.action == "device.setNetwork" })
    }

    /// A project whose `.s7wb` store cannot be created (here a file stands where the folder would go) still
    /// opens, with its history in memory.
    @Test func aProjectWithoutAWritableStoreKeepsItsHistoryInMemory() async throws {
        let root = try makeProject()
        defer { try? FileManager.default.removeItem(atPath: root) }
        _ = FileManager.default.createFile(atPath: root + "/.s7wb", contents: Data("not a folder".utf8))
        let engine = Engine()
        let session = try await engine.openProject(at: root)
        #expect(!session.store.isPersistent)
        #expect(try await engine.audit().first?.action == "project.open")
    }

    /// `s7wb info` and tests on shared data open projects without writing anything into the folder.
    @Test func anInMemoryHistoryWritesNothingIntoTheProject() async throws {
        let root = try makeProject()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let engine = Engine()
        let session = try await engine.openProject(at: root, history: .inMemory)
        #expect(!session.store.isPersistent)
        #expect(!FileManager.default.fileExists(atPath: root + "/.s7wb"))
    }

    @Test func jobsAndSettingsPersist() throws {
        let root = try makeProject()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = ProjectStore.open(projectRoot: root)
        #expect(store.isPersistent)
        var job = JobRecord(kind: "compile")
        try store.saveJob(job)
        job.status = .succeeded
        job.progress = 1
        job.result = "{\"ok\":true}"
        try store.saveJob(job)
        try store.setSetting("history.snapshotBeforeChange", "false")
        let reopened = ProjectStore.open(projectRoot: root)
        #expect(try reopened.job(id: job.id)?.status == .succeeded)
        #expect(try reopened.job(id: job.id)?.result == "{\"ok\":true}")
        #expect(try reopened.jobs().count == 1)
        #expect(try reopened.setting("history.snapshotBeforeChange") == "false")
    }

    @Test func atomicWritesSkipIdenticalContent() throws {
        let path = NSTemporaryDirectory() + "s7wb-atomic-\(UUID().uuidString)/a.txt"
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        #expect(try AtomicFile.write(Array("one".utf8), to: path))
        #expect(try !AtomicFile.write(Array("one".utf8), to: path))
        #expect(try AtomicFile.write(Array("two".utf8), to: path))
        #expect(String(decoding: FileManager.default.contents(atPath: path)!, as: UTF8.self) == "two")
        let leftovers = try FileManager.default.contentsOfDirectory(
            atPath: (path as NSString).deletingLastPathComponent)
        #expect(leftovers == ["a.txt"])
    }

    /// A minimal project: one device with one tag table and a manifest.
    func makeProject() throws -> String {
        let root = NSTemporaryDirectory() + "s7wb-engine-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root + "/PLC_1/PLC tags", withIntermediateDirectories: true)
        try """
        <?xml version="1.0" encoding="utf-8"?>
        <Document><Engineering version="V17" /><SW.Tags.PlcTagTable ID="0"><AttributeList><Name>IO</Name>
        </AttributeList><ObjectList /></SW.Tags.PlcTagTable></Document>
        """.write(toFile: root + "/PLC_1/PLC tags/IO.xml", atomically: true, encoding: .utf8)
        try """
        {"name": "demo", "devices": [{"name": "PLC_1", "kind": "plc", "orderNumber": "6ES7 511-1AK02-0AB0"}]}
        """.write(toFile: root + "/s7project.json", atomically: true, encoding: .utf8)
        return root
    }
}

@Suite struct EngineQueryTests {
    @Test(.enabled(if: Fixtures.corpusAvailable))
    func findsObjectsByNameCaseInsensitively() async throws {
        let engine = Engine()
        try await engine.openProject(
            at: Fixtures.corpus + "/simaticml-decoder/tests/fixtures/SimaticML", history: .inMemory)
        #expect(try await engine.block("main", device: "plc_1").number == 1)
        #expect(try await engine.tagTable("inputs", device: "PLC_1").name == "Inputs")
        #expect(try await engine.dataType("udt_settings", device: "PLC_1").name == "UDT_Settings")
        #expect(try await engine.allTags(device: "PLC_1").count > 10)
        do {
            _ = try await engine.block("Nope", device: "PLC_1")
            Issue.record("found a block that does not exist")
        } catch {
            #expect(error.kind == .notFound)
            #expect(error.message == "no block 'Nope' in device PLC_1")
        }
        do {
            _ = try await engine.device("PLC_9")
            Issue.record("found a device that does not exist")
        } catch {
            #expect(error.message == "no device 'PLC_9' in project SimaticML (devices: PLC_1)")
        }
    }

    @Test func callsWithoutAProjectSayNoProjectIsOpen() async {
        do {
            _ = try await Engine().project()
            Issue.record("a project was open")
        } catch {
            #expect(error.kind == .conflict)
            #expect(error.message == "no project is open")
        }
    }
}

@Suite struct EngineEditTests {
    /// Editing one SCL block and saving rewrites that file only, keeps its BOM, and snapshots the old content.
    @Test(.enabled(if: Fixtures.corpusAvailable))
    func editingAnSCLBlockWritesOnlyItsFile() async throws {
        let copy = try Fixtures.temporaryCopy(of: Fixtures.corpus + "/ikea_vyatka_sorting")
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let path = "PLC_1/PLC_1/Program blocks/Adder.scl"
        let original = try #require(FileManager.default.contents(atPath: copy + "/" + path))
        let before = Fixtures.fingerprint(copy)
        let engine = Engine()
        try await engine.openProject(at: copy)
        let block = try await engine.block("Adder", device: "PLC_1")
        let source = try #require(block.sourceText)
        #expect(source.hasPrefix("FUNCTION_BLOCK \"Adder\""))
        let edited = source.replacingOccurrences(of: "#Count := #Count + 1;", with: "#Count := #Count + 2;")
        try await engine.updateBlockSource("Adder", device: "PLC_1", source: edited, actor: "tester")
        #expect(try await engine.save() == [path])
        let after = Fixtures.fingerprint(copy)
        for (file, (data, _)) in before where file != path {
            #expect(after[file]?.0 == data, "\(file) changed")
        }
        let written = try #require(after[path]?.0)
        #expect(Array(written.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(String(decoding: written.dropFirst(3), as: UTF8.self) == edited)
        let snapshot = try #require(try await engine.snapshots().first)
        #expect(snapshot.objectPath == path)
        #expect(Data(snapshot.content) == original)
        // SimaticML blocks are not edited as text.
        await #expect(throws: EngineError.self) {
            try await engine.updateBlockSource("Main", device: "PLC_1", source: "x")
        }
    }
}
