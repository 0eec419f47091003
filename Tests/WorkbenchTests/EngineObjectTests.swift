import Foundation
import S7Compiler
import S7Diagnostics
import S7Model
import S7Runtime
import S7TestSupport
import SimaticML
import Testing
import Workbench

/// Creating, renaming and deleting objects, editing tag and watch tables, and saving them as files TIA imports.
@Suite("Engine objects")
struct EngineObjectTests {
    static func engine() async throws -> (Engine, String) {
        let copy = try Fixtures.temporaryCopy(of: Fixtures.sampleProject("traffic-light"))
        let engine = Engine()
        try await engine.openProject(at: copy, history: .inMemory)
        return (engine, copy)
    }

    @Test func createdObjectsAreFilesThatLoadAgainAndCompile() async throws {
        let (engine, copy) = try await Self.engine()
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let fbPath = try await engine.create(.functionBlock, named: "Conveyor", device: "PLC_1", group: ["Machines"])
        #expect(fbPath == "PLC_1/Program blocks/Machines/Conveyor.scl")
        try await engine.create(.dataBlock, named: "Recipes", device: "PLC_1")
        try await engine.create(.dataType, named: "UDT_Axis", device: "PLC_1")
        try await engine.create(.tagTable, named: "Drives", device: "PLC_1")
        try await engine.create(.forceTable, named: "Commissioning", device: "PLC_1")
        let written = try await engine.save()
        #expect(written.count == 5, "\(written)")
        for path in written { #expect(FileManager.default.fileExists(atPath: copy + "/" + path), "\(path)") }

        let reopened = try ProjectLoader.load(at: copy)
        #expect(reopened.problems.isEmpty, "\(reopened.problems)")
        let device = try #require(reopened.device(named: "PLC_1"))
        let fb = try #require(device.block(named: "Conveyor"))
        #expect(fb.kind == .functionBlock && fb.group == ["Machines"] && fb.number != nil)
        #expect(device.block(named: "Recipes")?.kind == .globalDB)
        #expect(device.dataType(named: "UDT_Axis") != nil)
        #expect(device.tagTable(named: "Drives")?.tags.isEmpty == true)
        #expect(device.watchTable(named: "Commissioning")?.kind == .force)
        let (_, result) = try await engine.compile(device: "PLC_1")
        #expect(result.errorCount == 0, "\(result.diagnostics.map(\.message))")
        #expect(result.program.blocks.contains { $0.name == "Conveyor" })
    }

    @Test func namesAreCheckedAndUnique() async throws {
        let (engine, copy) = try await Self.engine()
        defer { try? FileManager.default.removeItem(atPath: copy) }
        await #expect(throws: EngineError.self) { try await engine.create(.function, named: "Main", device: "PLC_1") }
        await #expect(throws: EngineError.self) { try await engine.create(.function, named: "a\"b", device: "PLC_1") }
        await #expect(throws: EngineError.self) { try await engine.create(.function, named: " ", device: "PLC_1") }
        await #expect(throws: EngineError.self) { try await engine.create(.tagTable, named: "x", device: "PLC_9") }
    }

    @Test func renameMovesTheFileAndRewritesTheHeader() async throws {
        let (engine, copy) = try await Self.engine()
        defer { try? FileManager.default.removeItem(atPath: copy) }
        try await engine.rename(.block("TrafficLight"), to: "Crossing", device: "PLC_1")
        try await engine.rename(.tagTable("Default tag table"), to: "IO", device: "PLC_1")
        try await engine.save()
        let blocks = copy + "/PLC_1/Program blocks/"
        #expect(!FileManager.default.fileExists(atPath: blocks + "TrafficLight.scl"))
        let text = try String(contentsOfFile: blocks + "Crossing.scl", encoding: .utf8)
        #expect(text.contains("FUNCTION_BLOCK \"Crossing\""))
        #expect(FileManager.default.fileExists(atPath: copy + "/PLC_1/PLC tags/IO.xml"))
        #expect(!FileManager.default.fileExists(atPath: copy + "/PLC_1/PLC tags/Default tag table.xml"))
        let reopened = try ProjectLoader.load(at: copy)
        #expect(reopened.device(named: "PLC_1")?.tagTable(named: "IO")?.tags.count == 13)
        // Uses of the old name are not rewritten: the compiler lists them.
        let (_, result) = try await engine.compile(device: "PLC_1")
        #expect(result.errorCount > 0)
    }

    @Test func deleteRemovesTheFileOnSaveAndKeepsASnapshot() async throws {
        let copy = try Fixtures.temporaryCopy(of: Fixtures.sampleProject("traffic-light"))
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let engine = Engine()
        try await engine.openProject(at: copy)
        let path = "PLC_1/Watch and force tables/Lamps.xml"
        try await engine.delete(.watchTable("Lamps"), device: "PLC_1")
        #expect(FileManager.default.fileExists(atPath: copy + "/" + path), "nothing is removed before the save")
        try await engine.save()
        #expect(!FileManager.default.fileExists(atPath: copy + "/" + path))
        let snapshots = try await engine.snapshots(objectPath: path)
        #expect(snapshots.first?.content.isEmpty == false)
    }

    @Test func tagTableEditsAreValidatedRowByRow() async throws {
        let (engine, copy) = try await Self.engine()
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let table = try await engine.tagTable("Default tag table", device: "PLC_1")
        var tags = table.tags
        tags.append(S7Model.Tag(name: "Horn", dataType: "Bool", address: "%MW4"))
        tags.append(S7Model.Tag(name: "Speed", dataType: "Inte", address: "%MW6"))
        tags.append(S7Model.Tag(name: tags[0].name, dataType: "Bool", address: "%M9.0"))
        do {
            try await engine.updateTagTable(
                "Default tag table", tags: tags, constants: [], device: "PLC_1")
            Issue.record("bad rows were accepted")
        } catch {
            #expect(error.message.contains("row 14, address: a Bool needs a bit address"), "\(error.message)")
            #expect(error.message.contains("row 15, data type"), "\(error.message)")
            #expect(error.message.contains("row 16, name"), "\(error.message)")
        }
        #expect(try await engine.tagTable("Default tag table", device: "PLC_1").tags.count == 13, "nothing changed")

        tags = table.tags + [S7Model.Tag(name: "Horn & <Bell>", dataType: "Bool", address: "%Q1.0")]
        try await engine.updateTagTable(
            "Default tag table", tags: tags, constants: [UserConstant(name: "MaxCars", dataType: "Int", value: "12")],
            device: "PLC_1")
        try await engine.save()
        let reread = try ProjectLoader.load(at: copy).device(named: "PLC_1")?.tagTable(named: "Default tag table")
        #expect(reread?.tags.last?.name == "Horn & <Bell>")
        #expect(reread?.tags.last?.address == "%Q1.0")
        #expect(reread?.constants.first?.value == "12")
    }

    @Test func watchTableEditsSaveAsSimaticML() async throws {
        let (engine, copy) = try await Self.engine()
        defer { try? FileManager.default.removeItem(atPath: copy) }
        var entries = try await engine.watchTable("Lamps", device: "PLC_1").entries
        entries.append(WatchEntry(operand: "\"TrafficLight_DB\".Phase", displayFormat: "DEC", modifyValue: "3"))
        try await engine.updateWatchTable("Lamps", entries: entries, device: "PLC_1")
        try await engine.save()
        let reread = try ProjectLoader.load(at: copy).device(named: "PLC_1")?.watchTable(named: "Lamps")
        #expect(reread?.entries.count == entries.count)
        #expect(reread?.entries.last?.operand == "\"TrafficLight_DB\".Phase")
        #expect(reread?.entries.last?.modifyValue == "3")
    }

    @Test func steppedTimeRunsExactlyTheCyclesAskedFor() async throws {
        let (engine, copy) = try await Self.engine()
        defer { try? FileManager.default.removeItem(atPath: copy) }
        try await engine.download(device: "PLC_1")
        await #expect(throws: EngineError.self) { try await engine.stepCycles(5, cycleTime: .milliseconds(10)) }
        try await engine.setTimeMode(.stepped, device: "PLC_1")
        _ = try await engine.setPLCMode(run: true, device: "PLC_1")
        let before = try await engine.plcInstance(device: "PLC_1").snapshot()
        let after = try await engine.stepCycles(100, cycleTime: .milliseconds(10), device: "PLC_1")
        #expect(after.clockMode == .stepped)
        #expect(after.cycle - before.cycle == 100)
        #expect(after.virtualTime - before.virtualTime == .seconds(1))
        // In stepped time the PLC's own thread runs no cycles.
        try await Task.sleep(for: .milliseconds(50))
        #expect(try await engine.plcInstance(device: "PLC_1").snapshot().cycle == after.cycle)
        try await engine.setTimeMode(.scaled(10), device: "PLC_1")
        try await Task.sleep(for: .milliseconds(100))
        let scaled = try await engine.plcInstance(device: "PLC_1").snapshot()
        #expect(scaled.cycle > after.cycle, "scaled time runs cycles again")
        #expect(scaled.virtualTime - after.virtualTime >= .milliseconds(500), "ten times as fast as the wall clock")
        await engine.shutdown()
    }

    @Test func blocksChangedAfterTheDownloadDiffer() async throws {
        let (engine, copy) = try await Self.engine()
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let instance = try await engine.plcInstance(device: "PLC_1")
        let main = try await engine.block("Main", device: "PLC_1")
        #expect(instance.comparison(of: main) == nil, "nothing downloaded yet")
        try await engine.download(device: "PLC_1")
        #expect(instance.comparison(of: main) == .same)
        #expect(instance.comparison(of: try await engine.block("TrafficLight_DB", device: "PLC_1")) == .same)
        let source = try #require(main.sourceText)
        try await engine.updateBlockSource(
            "Main", device: "PLC_1", source: source.replacingOccurrences(of: "BEGIN", with: "BEGIN\n    ;"))
        #expect(instance.comparison(of: try await engine.block("Main", device: "PLC_1")) == .different)
        try await engine.create(.function, named: "Helper", device: "PLC_1")
        #expect(instance.comparison(of: try await engine.block("Helper", device: "PLC_1")) == .offlineOnly)
        await engine.shutdown()
    }
}
