import Foundation
import S7TestSupport
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
        _ = await app.handle(WorkbenchAppTests.key("/"))
        await WorkbenchAppTests.type("Main", into: app)  // only OB1 "Main" matches
        _ = await app.handle(WorkbenchAppTests.key("enter"))
        var text = WorkbenchAppTests.screen(app)
        for _ in 0..<6 where !text.contains("Network 1") {
            _ = await app.handle(WorkbenchAppTests.key("down"))
            _ = await app.handle(WorkbenchAppTests.key("enter"))
            text = WorkbenchAppTests.screen(app)
        }
        #expect(text.contains("is a LAD block; it is shown read-only"), "\(text)")
        // Network 1 calls "GetDiskretInputs" with its instance "DGI" as a box.
        #expect(text.contains("Network 1: ProcessInput"), "\(text)")
        #expect(text.contains("| \"GetDiskretInputs\" |"), "\(text)")
        await engine.shutdown()
    }
}
