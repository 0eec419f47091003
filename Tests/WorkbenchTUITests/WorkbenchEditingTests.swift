import Foundation
import S7Model
import S7TestSupport
import SimaticML
import Testing
import Workbench
import WorkbenchTUI

/// The tree's create/rename/delete, tag table editing, saving watch tables, completion, stepped cycles and the
/// online/offline marks, driven by keys as an engineer would.
@MainActor
@Suite("Workbench editing", .serialized)
struct WorkbenchEditingTests {
    typealias T = WorkbenchAppTests

    /// Focuses the tree and moves the selection to the visible row labelled `label`, by keys.
    static func select(_ label: String, in app: WorkbenchApp) async {
        _ = await app.handle(T.key("esc"))
        _ = await app.handle(T.key("home"))
        for _ in 0..<60 where app.selectedTreeLabel != label {
            _ = await app.handle(T.key("down"))
        }
        #expect(app.selectedTreeLabel == label)
    }

    /// Expands a folder of the device and opens the item in it.
    static func open(_ item: String, in folder: String, app: WorkbenchApp) async {
        await select(folder, in: app)
        _ = await app.handle(T.key("enter"))
        await select(item, in: app)
        _ = await app.handle(T.key("enter"))
    }

    @Test func newBlockFromTheTreeIsSavedOpenedAndDeleted() async throws {
        let (app, copy) = try await T.workbench()
        defer { try? FileManager.default.removeItem(atPath: copy) }
        await Self.select("Program blocks", in: app)
        _ = await app.handle(T.key("insert"))
        #expect(T.screen(app).contains("Add new (OB, FB, FC, DB, UDT, TagTable, WatchTable, ForceTable): FB"))
        _ = await app.handle(T.key("enter"))
        await T.type("Conveyor", into: app)
        _ = await app.handle(T.key("enter"))
        #expect(app.message.contains("Created function block Conveyor"), "message: \(app.message)")
        let path = copy + "/PLC_1/Program blocks/Conveyor.scl"
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(T.screen(app).contains("FUNCTION_BLOCK \"Conveyor\""), "the new block opens in the editor")
        #expect(app.selectedTreeLabel == "Conveyor")
        // Rename it (F3) from the tree, then delete it with confirmation.
        _ = await app.handle(T.key("esc"))
        _ = await app.handle(T.key("F3"))
        for _ in 0..<8 { _ = await app.handle(T.key("backspace")) }
        await T.type("Belt", into: app)
        _ = await app.handle(T.key("enter"))
        #expect(app.message.hasPrefix("Renamed Conveyor to Belt"), "message: \(app.message)")
        #expect(FileManager.default.fileExists(atPath: copy + "/PLC_1/Program blocks/Belt.scl"))
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(app.selectedTreeLabel == "Belt")
        _ = await app.handle(T.key("delete"))
        await T.type("y", into: app)
        _ = await app.handle(T.key("enter"))
        #expect(app.message == "Deleted Belt", "message: \(app.message)")
        #expect(!FileManager.default.fileExists(atPath: copy + "/PLC_1/Program blocks/Belt.scl"))
        #expect(!app.draw().lines().dropLast(2).contains { $0.contains("Belt") }, "gone from the tree and the tabs")
    }

    @Test func tagTableCellsAreEditedValidatedAndSaved() async throws {
        let (app, copy) = try await T.workbench()
        defer { try? FileManager.default.removeItem(atPath: copy) }
        await Self.open("Default tag table", in: "PLC tags", app: app)
        #expect(T.screen(app).contains("13 tags"))
        // ctrl+n adds "Tag_1" (Bool) after the selection; give it a word address: the row is marked.
        for _ in 0..<12 { _ = await app.handle(T.key("down")) }
        _ = await app.handle(T.key("ctrl+n"))
        _ = await app.handle(T.key("right"))
        _ = await app.handle(T.key("right"))
        _ = await app.handle(T.key("enter"))
        await T.type("%MW20", into: app)
        _ = await app.handle(T.key("enter"))
        var screen = T.screen(app)
        #expect(screen.contains("address: a Bool needs a bit address"), "\(screen)")
        _ = await app.handle(T.key("ctrl+s"))
        #expect(app.message.contains("row 14, address"), "message: \(app.message)")
        // Fix it and save: the file holds the new tag.
        _ = await app.handle(T.key("enter"))
        for _ in 0..<5 { _ = await app.handle(T.key("backspace")) }
        await T.type("%M20.1", into: app)
        _ = await app.handle(T.key("enter"))
        _ = await app.handle(T.key("ctrl+s"))
        #expect(app.message.hasPrefix("Saved tag table Default tag table: 14 tags"), "message: \(app.message)")
        let reread = try ProjectLoader.load(at: copy).device(named: "PLC_1")?.tagTable(named: "Default tag table")
        #expect(reread?.tags.last?.name == "Tag_1")
        #expect(reread?.tags.last?.address == "%M20.1")
        // Sorting by the address column and filtering change only the view.
        _ = await app.handle(T.key("alt+s"))
        screen = T.screen(app)
        #expect(screen.contains("Address^"))
        _ = await app.handle(T.key("ctrl+f"))
        await T.type("Ped", into: app)
        _ = await app.handle(T.key("enter"))
        screen = T.screen(app)
        #expect(screen.contains("showing rows with 'Ped'"))
        #expect(!screen.contains("KeySwitchOn"))
    }

    @Test func sessionWatchTableCompletesOperandsAndJoinsTheProject() async throws {
        let (app, copy) = try await T.workbench()
        defer { try? FileManager.default.removeItem(atPath: copy) }
        await Self.open("Lamps", in: "Watch and force tables", app: app)
        _ = await app.handle(T.key("ctrl+n"))
        await T.type("\"TrafficLight_DB\".pedRequestS", into: app)
        _ = await app.handle(T.key("tab"))
        #expect(T.screen(app).contains("\"TrafficLight_DB\".pedRequestStored"), "\(app.message)")
        _ = await app.handle(T.key("enter"))
        #expect(app.draw().lines()[0].contains("Lamps*"))
        _ = await app.handle(T.key("ctrl+s"))
        #expect(app.message.hasPrefix("Saved watch table Lamps"), "message: \(app.message)")
        let table = try ProjectLoader.load(at: copy).device(named: "PLC_1")?.watchTable(named: "Lamps")
        #expect(table?.entries.last?.operand == "\"TrafficLight_DB\".pedRequestStored")
        #expect(table?.entries.count == 17, "the comment rows stay")
    }

    @Test func editorCompletesMembersAfterADot() async throws {
        let (app, copy) = try await T.workbench()
        defer { try? FileManager.default.removeItem(atPath: copy) }
        await Self.select("Main", in: app)
        _ = await app.handle(T.key("enter"))
        _ = await app.handle(T.key("ctrl+g"))
        await T.type("8", into: app)
        _ = await app.handle(T.key("enter"))
        await T.type("\"TrafficLight_DB\".Gr", into: app)
        _ = await app.handle(T.key("tab"))
        #expect(T.screen(app).contains("\"TrafficLight_DB\".GreenTime"), "message: \(app.message)")
    }

    @Test func runCyclesInSteppedTimeAndMarkChangedBlocks() async throws {
        let (app, copy) = try await T.workbench()
        defer { try? FileManager.default.removeItem(atPath: copy) }
        _ = await app.handle(T.key("ctrl+l"))
        await app.waitForJobs()
        _ = await app.handle(T.key("alt+t"))
        await T.type("stepped", into: app)
        _ = await app.handle(T.key("enter"))
        #expect(app.message.hasPrefix("PLC_1 runs in stepped"), "message: \(app.message)")
        _ = await app.handle(T.key("ctrl+e"))
        _ = await app.handle(T.key("alt+c"))
        await T.type("250 x 4ms", into: app)
        _ = await app.handle(T.key("enter"))
        await app.waitForJobs()
        #expect(app.message.contains("ran 250 cycles of 4.00 ms; virtual time"), "message: \(app.message)")
        _ = await app.handle(T.key("ctrl+k"))
        let text = await T.waitFor(app) { $0.contains("stepped") }
        #expect(text.contains("stepped"))
        #expect(text.contains("cycles since RUN 250"), "\(text)")
        // Change Main after the download: the tree marks it as differing from the PLC.
        await Self.select("Main", in: app)
        _ = await app.handle(T.key("enter"))
        _ = await app.handle(T.key("ctrl+g"))
        await T.type("8", into: app)
        _ = await app.handle(T.key("enter"))
        await T.type(";", into: app)
        _ = await app.handle(T.key("ctrl+s"))
        _ = await app.handle(.tick)
        #expect(app.draw().lines().contains { $0.contains("≠Main") })
    }

    @Test func dataBlocksShowActualValuesBesideStartValues() async throws {
        let copy = try Fixtures.temporaryCopy(of: Fixtures.sampleProject("bottling-line"))
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let engine = Engine()
        try await engine.openProject(at: copy, history: .inMemory)
        let app = WorkbenchApp(engine: engine, size: TerminalSize(rows: 40, columns: 140))
        await app.start()
        _ = await app.handle(T.key("ctrl+l"))
        await app.waitForJobs()
        _ = await app.handle(T.key("ctrl+e"))
        await Self.select("LineData", in: app)
        _ = await app.handle(T.key("enter"))
        _ = await app.handle(T.key("F4"))
        let text = await T.waitFor(app) { $0.contains("actual '") }
        let lines = text.split(separator: "\n")
        #expect(
            lines.contains { $0.contains("StateText : String[24] := 'STOPPED'") && $0.contains("actual '") }, "\(text)")
        #expect(lines.contains { $0.contains("BottlesIn : DInt") && $0.contains("actual ") }, "\(text)")
        await engine.shutdown()
    }
}
