import Foundation
import S7Model
import S7TestSupport
import SimaticML
import Testing
import Workbench
import WorkbenchTUI

/// Issue #7: the workbench goes online with a real PLC (alt+k) and its watch table monitors and modifies it over
/// S7comm. The "real PLC" is a second engine's virtual CPU running the traffic light behind its S7comm server.
@MainActor
@Suite("Workbench online with a real PLC", .serialized)
struct WorkbenchOnlinePLCTests {
    @Test func aWatchTableMonitorsAndModifiesARealPLC() async throws {
        let plant = Engine()
        _ = try await plant.openProject(at: Fixtures.sampleProject("traffic-light"), history: .inMemory)
        try await plant.download(device: "PLC_1")
        _ = try await plant.setPLCMode(run: true, device: "PLC_1")
        let port = try await plant.startS7Server(device: "PLC_1", host: "127.0.0.1", port: 0).port

        let (app, copy) = try await WorkbenchAppTests.workbench()
        defer { try? FileManager.default.removeItem(atPath: copy) }
        _ = await app.handle(WorkbenchAppTests.key("alt+k"))  // the project's only PLC
        #expect(WorkbenchAppTests.screen(app).contains("Real PLC for PLC_1"))
        for _ in 0..<30 { _ = await app.handle(WorkbenchAppTests.key("backspace")) }
        await WorkbenchAppTests.type("127.0.0.1:\(port)", into: app)
        _ = await app.handle(WorkbenchAppTests.key("enter"))
        // The connect runs as a job: the workbench answers meanwhile and says what it is doing.
        #expect(
            app.message.contains("Connecting to the PLC at 127.0.0.1:\(port)") || app.message.contains("online with"),
            "message: \(app.message)")
        await app.waitForJobs()
        #expect(app.message.contains("online with the PLC at 127.0.0.1:\(port) (RUN)"), "message: \(app.message)")

        // The "Lamps" table, read from the PLC: nothing was downloaded into this workbench's virtual PLC.
        for _ in 0..<8 { _ = await app.handle(WorkbenchAppTests.key("down")) }
        _ = await app.handle(WorkbenchAppTests.key("enter"))
        _ = await app.handle(WorkbenchAppTests.key("down"))
        _ = await app.handle(WorkbenchAppTests.key("enter"))
        var text = await WorkbenchAppTests.waitFor(app) { screen in
            screen.contains("PLC online at 127.0.0.1:\(port)")
                && screen.split(separator: "\n").contains { $0.contains("\"Phase\"") && $0.contains(" 0 ") }
        }
        #expect(text.contains("PLC online at 127.0.0.1:\(port)"), "\(text)")
        #expect(text.split(separator: "\n").contains { $0.contains("\"Phase\"") && $0.contains(" 0 ") }, "\(text)")

        // F6 on "KeySwitchOn" (%I0.0, modify value TRUE) writes it over S7comm; the PLC's program starts the
        // crossing and the table shows the phase it reads back.
        for _ in 0..<13 { _ = await app.handle(WorkbenchAppTests.key("down")) }
        _ = await app.handle(WorkbenchAppTests.key("F6"))
        #expect(app.message == "\"KeySwitchOn\" := TRUE", "message: \(app.message)")
        text = await WorkbenchAppTests.waitFor(app) { screen in
            screen.split(separator: "\n").contains { $0.contains("\"Phase\"") && $0.contains(" 10 ") }
        }
        #expect(text.split(separator: "\n").contains { $0.contains("\"Phase\"") && $0.contains(" 10 ") }, "\(text)")

        // The tag table monitors the real PLC too: "Phase" (a marker word the PLC's program counts) shows 10.
        _ = await app.handle(WorkbenchAppTests.key("shift+tab"))  // back to the tree
        text = await WorkbenchAppTests.open("Default tag", in: app, until: "Data type")
        func phaseRow(_ screen: String) -> Bool {
            screen.contains("Data type")
                && screen.split(separator: "\n").contains {
                    $0.contains("Phase") && $0.contains("%MW12") && $0.contains(" 10 ")
                }
        }
        text = await WorkbenchAppTests.waitFor(app, phaseRow)
        #expect(phaseRow(text), "\(text)")
        _ = await app.handle(WorkbenchAppTests.key("esc"))

        // Back to the virtual PLC with an empty answer.
        _ = await app.handle(WorkbenchAppTests.key("alt+k"))
        for _ in 0..<30 { _ = await app.handle(WorkbenchAppTests.key("backspace")) }
        _ = await app.handle(WorkbenchAppTests.key("enter"))
        #expect(app.message.contains("online with its virtual PLC"), "message: \(app.message)")
        _ = try? await plant.stopS7Server(device: "PLC_1")
        await plant.shutdown()
    }
}

/// Issue #5: a LAD block of the corpus opens read-only with its networks drawn as a text ladder.
@MainActor
@Suite("Workbench LAD view")
struct WorkbenchLADViewTests {
    @Test(.enabled(if: Fixtures.corpusAvailable)) func aLADBlockShowsItsNetworks() async throws {
        let engine = Engine()
        try await engine.openProject(at: Fixtures.corpus + "/ikea_vyatka_sorting", history: .inMemory)
        let app = WorkbenchApp(
            engine: engine, size: TerminalSize(rows: 40, columns: 120),
            options: .init(restURL: "http://127.0.0.1:9000/api"))
        await app.start()
        let text = await WorkbenchAppTests.open("Main", in: app, until: "Network 1")  // only OB1 "Main" matches
        #expect(text.contains("is a LAD block; it is shown read-only and runs in the virtual PLC"), "\(text)")
        // Network 1 calls "GetDiskretInputs" with its instance "DGI" as a box.
        #expect(text.contains("Network 1: ProcessInput"), "\(text)")
        #expect(text.contains("| \"GetDiskretInputs\" |"), "\(text)")
        await engine.shutdown()
    }
}

/// Issue #5: a LAD block runs in the virtual PLC and F4 monitors it: live values beside the operands of the text
/// ladder.
@MainActor
@Suite("Workbench LAD monitoring")
struct WorkbenchLADMonitorTests {
    @Test func aLADBlockIsMonitoredWhileItRuns() async throws {
        let root = NSTemporaryDirectory() + "s7wb-lad-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let blocks = root + "/PLC_1/Program blocks"
        try FileManager.default.createDirectory(atPath: blocks, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/PLC_1/PLC tags", withIntermediateDirectories: true)
        let ladder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../ProgramTests/Programs/Ladder/LadBits.xml").standardizedFileURL.path
        try FileManager.default.copyItem(atPath: ladder, toPath: blocks + "/LadBits.xml")
        let main = """
            ORGANIZATION_BLOCK "Main"
            BEGIN
                "A" := NOT "A";
                "C" := TRUE;
                "LadBits"();
            END_ORGANIZATION_BLOCK
            """
        try main.write(toFile: blocks + "/Main.scl", atomically: true, encoding: .utf8)
        let bools = [
            "A", "B", "C", "Q1", "Q2", "Q3", "S1", "EdgeMem", "FF", "FFQ", "Big", "MoveEno", "NMem", "NotA",
            "Skipped", "Reached",
        ]
        var tags = bools.enumerated().map { index, name in
            S7Model.Tag(name: name, dataType: "Bool", address: "%M\(index / 8).\(index % 8)")
        }
        for (index, name) in ["Count", "MoveOut", "Sum", "FallCount"].enumerated() {
            tags.append(S7Model.Tag(name: name, dataType: "Int", address: "%MW\(10 + 2 * index)"))
        }
        let table = TagTable(
            name: "Tags", file: SourceFileRef(path: "PLC_1/PLC tags/Tags.xml", format: .simaticML), tags: tags)
        try Data(SimaticMLWriter.tagTable(table)).write(to: URL(fileURLWithPath: root + "/PLC_1/PLC tags/Tags.xml"))

        let engine = Engine()
        try await engine.openProject(at: root, history: .inMemory)
        let app = WorkbenchApp(engine: engine, size: TerminalSize(rows: 50, columns: 140))
        await app.start()
        _ = await app.handle(WorkbenchAppTests.key("ctrl+l"))  // download
        await app.waitForJobs()
        _ = await app.handle(WorkbenchAppTests.key("ctrl+e"))  // RUN
        var text = await WorkbenchAppTests.open("LadBits", in: app, until: "Network 1")
        #expect(text.contains("Network 1: Series and normally closed"), "\(text)")
        _ = await app.handle(WorkbenchAppTests.key("F4"))
        // The LAD block runs: "A" toggles every cycle, so the P contact counts and the SR flip-flop is set (B never
        // resets it); the values stand beside the operands of each rung.
        func counted(_ screen: String) -> Bool {
            guard let range = screen.range(of: "\"Count\"=") else { return false }
            return Int(screen[range.upperBound...].prefix { $0.isNumber }).map { $0 > 0 } ?? false
        }
        text = await WorkbenchAppTests.waitFor(app) { screen in
            counted(screen) && screen.contains("\"FF\"=TRUE")
        }
        #expect(counted(text), "\(text)")
        #expect(text.split(separator: "\n").contains { $0.contains("\"A\"    \"S1\"") && $0.contains("\"S1\"=TRUE") })
        #expect(text.contains("\"FF\"=TRUE") && text.contains("\"C\"=TRUE"), "\(text)")
        #expect(text.contains("MONITOR"), "\(text)")
        await engine.shutdown()
    }
}

extension WorkbenchAppTests {
    /// Filters the project tree for `filter` and opens the first match (expanding folders on the way) until the
    /// screen shows `marker`; the screen then.
    static func open(_ filter: String, in app: WorkbenchApp, until marker: String) async -> String {
        _ = await app.handle(key("/"))
        await type(filter, into: app)
        _ = await app.handle(key("enter"))
        var text = screen(app)
        for _ in 0..<6 where !text.contains(marker) {
            _ = await app.handle(key("down"))
            _ = await app.handle(key("enter"))
            text = screen(app)
        }
        return text
    }
}
