import Foundation
import S7TestSupport
import Testing
import Workbench
import WorkbenchTUI

/// The workbench driven headless: key events in, frames out, on a copy of the traffic-light sample.
@MainActor
@Suite("Workbench app", .serialized)
struct WorkbenchAppTests {
    /// A workbench on a fresh copy of the traffic-light sample at 120×32 (80×24 with `small`).
    static func workbench(small: Bool = false) async throws -> (WorkbenchApp, String) {
        let copy = try Fixtures.temporaryCopy(of: Fixtures.sampleProject("traffic-light"))
        let engine = Engine()
        try await engine.openProject(at: copy, history: .inMemory)
        let size = small ? TerminalSize(rows: 24, columns: 80) : TerminalSize(rows: 32, columns: 120)
        let app = WorkbenchApp(engine: engine, size: size, options: .init(restURL: "http://127.0.0.1:9000/api"))
        await app.start()
        return (app, copy)
    }

    static func key(_ notation: String) -> InputEvent { .key(KeyPress(notation)!) }

    static func type(_ text: String, into app: WorkbenchApp) async {
        for character in text { _ = await app.handle(.key(KeyPress(.character(character)))) }
    }

    static func screen(_ app: WorkbenchApp) -> String {
        app.draw().lines().joined(separator: "\n")
    }

    /// Polls the PLC (it runs in real time on its own thread) until `condition` holds on the screen.
    static func waitFor(_ app: WorkbenchApp, _ condition: (String) -> Bool) async -> String {
        for _ in 0..<100 {
            _ = await app.handle(.tick)
            let text = screen(app)
            if condition(text) { return text }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return screen(app)
    }

    @Test func theTreeShowsDevicesBlocksAndTables() async throws {
        let (app, copy) = try await Self.workbench()
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let lines = app.draw().lines()
        #expect(lines[0].hasPrefix(" traffic-light"))
        #expect(lines.contains { $0.contains("▾ PLC_1") })
        #expect(lines.contains { $0.contains("Main") && $0.contains("[OB1] SCL") })
        #expect(lines.contains { $0.contains("TrafficLight_DB [DB1] DB") })
        #expect(lines.contains { $0.contains("▸ Watch and force tables") })
        #expect(lines[31].contains("PLC_1") && lines[31].contains("PLC offline"))
        #expect(lines[31].contains("REST http://127.0.0.1:9000/api"))
        // Filtering keeps the matches and their folders.
        _ = await app.handle(.key(KeyPress(.character("/"))))
        await Self.type("lamps", into: app)
        _ = await app.handle(Self.key("enter"))
        let filtered = app.draw().lines()
        #expect(filtered.contains { $0.contains("Lamps") && $0.contains("12 rows") })
        #expect(!filtered.contains { $0.contains("[OB1]") })
    }

    @Test func editingAndSavingABlockShowsTheCompileError() async throws {
        let (app, copy) = try await Self.workbench()
        defer { try? FileManager.default.removeItem(atPath: copy) }
        // Down to Main (project, PLC_1, Program blocks, DB, FB, OB) and open it.
        for _ in 0..<5 { _ = await app.handle(Self.key("down")) }
        _ = await app.handle(Self.key("enter"))
        #expect(Self.screen(app).contains("ORGANIZATION_BLOCK \"Main\""))
        _ = await app.handle(Self.key("ctrl+g"))
        await Self.type("8", into: app)
        _ = await app.handle(Self.key("enter"))
        await Self.type("\"NoSuchTag\" := 1;", into: app)
        _ = await app.handle(Self.key("enter"))
        #expect(app.draw().lines()[0].contains("Main*"))
        _ = await app.handle(Self.key("ctrl+s"))
        let lines = app.draw().lines()
        #expect(app.message.contains("error"), "message: \(app.message)")
        #expect(lines.contains { $0.contains("   8✖ \"NoSuchTag\" := 1;") }, "\(lines)")
        let saved = try String(contentsOfFile: copy + "/PLC_1/Program blocks/Main.scl", encoding: .utf8)
        #expect(saved.contains("\"NoSuchTag\" := 1;"))
        #expect(!lines[0].contains("Main*"))
        // The tree marks the block; undo and save again clears it.
        #expect(lines.contains { $0.contains("✖Main") })
        _ = await app.handle(Self.key("ctrl+z"))
        _ = await app.handle(Self.key("ctrl+z"))
        _ = await app.handle(Self.key("ctrl+s"))
        #expect(!app.draw().lines().contains { $0.contains("✖Main") }, "message: \(app.message)")
    }

    @Test func downloadRunWatchModifyAndForce() async throws {
        let (app, copy) = try await Self.workbench()
        defer { try? FileManager.default.removeItem(atPath: copy) }
        _ = await app.handle(Self.key("ctrl+l"))
        #expect(app.draw().lines().last?.contains("Downloading to PLC_1") == true, "the download shows as a job")
        await app.waitForJobs()
        #expect(app.message.hasPrefix("Downloaded"), "message: \(app.message)")
        _ = await app.handle(Self.key("ctrl+e"))
        #expect(app.message.contains("RUN"), "message: \(app.message)")
        // Open the watch table "Lamps": expand the folder, go to it.
        for _ in 0..<8 { _ = await app.handle(Self.key("down")) }
        _ = await app.handle(Self.key("enter"))
        _ = await app.handle(Self.key("down"))
        _ = await app.handle(Self.key("enter"))
        var text = await Self.waitFor(app) { $0.contains("\"KeySwitchOn\"") && $0.contains("PLC RUN") }
        #expect(text.contains("Monitor value"))
        // Row 14 (with the table's comment rows) is "KeySwitchOn" with modify value TRUE: F6 modifies it, the
        // crossing starts (Phase 10).
        #expect(text.contains("// Car signal"), "comment rows show")
        for _ in 0..<13 { _ = await app.handle(Self.key("down")) }
        _ = await app.handle(Self.key("F6"))
        #expect(app.message == "\"KeySwitchOn\" := TRUE", "message: \(app.message)")
        text = await Self.waitFor(app) { screen in
            screen.split(separator: "\n").contains { $0.contains("\"Phase\"") && $0.contains(" 10 ") }
        }
        #expect(text.split(separator: "\n").contains { $0.contains("\"Phase\"") && $0.contains(" 10 ") }, "\(text)")
        // Forcing a marker is refused as on an S7-1500; the Online view shows the CPU in RUN.
        for _ in 0..<4 { _ = await app.handle(Self.key("up")) }
        _ = await app.handle(Self.key("F9"))
        await Self.type("20", into: app)
        _ = await app.handle(Self.key("enter"))
        #expect(app.message.contains("forces only inputs and outputs"), "message: \(app.message)")
        _ = await app.handle(Self.key("ctrl+k"))
        text = await Self.waitFor(app) { $0.contains("PLC_1: RUN") && $0.contains("Diagnostic buffer") }
        #expect(text.contains("mode transition STARTUP to RUN"))
        #expect(text.contains(" MAINT "))
        _ = await app.handle(Self.key("alt+e"))
        #expect(app.message.contains("STOP"), "message: \(app.message)")
    }

    @Test func helpPaletteAndSmallTerminal() async throws {
        let (app, copy) = try await Self.workbench(small: true)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let lines = app.draw().lines()
        #expect(lines.count == 24 && lines.allSatisfy { $0.count <= 80 })
        _ = await app.handle(Self.key("F2"))
        #expect(Self.screen(app).contains("Key bindings (default keymap)"))
        #expect(Self.screen(app).contains("Open the command palette"))
        _ = await app.handle(Self.key("esc"))
        #expect(!Self.screen(app).contains("Key bindings"))
        // The palette filters actions and runs the chosen one.
        _ = await app.handle(Self.key("ctrl+p"))
        await Self.type("compile the dev", into: app)
        #expect(Self.screen(app).contains("Compile the device"))
        _ = await app.handle(Self.key("enter"))
        #expect(app.message.contains("PLC_1: compiled"), "message: \(app.message)")
        _ = await app.handle(.resize(TerminalSize(rows: 30, columns: 100)))
        #expect(app.draw().lines().count == 30)
        // Quit asks nothing without unsaved changes.
        let keepRunning = await app.handle(Self.key("ctrl+q"))
        #expect(!keepRunning)
    }

    @Test func presentRedrawsOnlyWhatChanged() async throws {
        let (app, copy) = try await Self.workbench()
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let terminal = InMemoryTerminal(size: app.size)
        let first = app.draw()
        terminal.present(first, over: nil)
        _ = await app.handle(Self.key("down"))
        let second = app.draw()
        let runs = terminal.present(second, over: first)
        // Only the two tree rows whose selection changed (and the status bar's device) are drawn again.
        #expect(runs > 0 && runs <= 6, "runs: \(runs)")
        #expect(terminal.text() == second.lines().map { String($0.reversed().drop { $0 == " " }.reversed()) })
    }
}
