// tui-bench: the terminal workbench's figures from issue #8. A watch table of 1,000 operands on the running
// traffic-light sample: the time to read them all (one monitoring tick), to draw a 120×40 frame and to diff it
// against the previous one, and the CPU share of monitoring at the default 250 ms refresh.
import Foundation
import Workbench
import WorkbenchTUI

@MainActor
func measure() async throws {
    let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../sample-projects/traffic-light").standardizedFileURL.path
    let copy = NSTemporaryDirectory() + "s7wb-tui-bench-\(UUID().uuidString)"
    try FileManager.default.copyItem(atPath: source, toPath: copy)
    defer { try? FileManager.default.removeItem(atPath: copy) }
    let engine = Engine()
    try await engine.openProject(at: copy, history: .inMemory)
    try await engine.download(device: "PLC_1")
    _ = try await engine.setPLCMode(run: true, device: "PLC_1")
    try await engine.modify("\"KeySwitchOn\"", to: "TRUE", device: "PLC_1")
    let app = WorkbenchApp(engine: engine, size: TerminalSize(rows: 40, columns: 120))
    await app.start()
    let operands = ["\"Phase\"", "\"CarGreen\"", "\"TrafficLight_DB\".PhaseElapsed", "%MW10", "%M0.3"]
    for index in 0..<1000 { await app.addToWatch(operand: operands[index % operands.count], device: "PLC_1") }
    _ = await app.handle(.key(KeyPress("home")!))
    let clock = ContinuousClock()
    let terminal = InMemoryTerminal(size: app.size)
    var previous = app.draw()
    terminal.present(previous, over: nil)
    let rounds = 200
    var tick = Duration.zero
    var frame = Duration.zero
    for round in 0..<rounds {
        let start = clock.now
        _ = await app.handle(.tick)
        let ticked = clock.now
        let next = app.draw()
        terminal.present(next, over: previous)
        previous = next
        if round % 2 == 0 { _ = await app.handle(.key(KeyPress("down")!)) }
        tick += ticked - start
        frame += clock.now - ticked
        terminal.resetLog()
    }
    func ms(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) / 1e15
    }
    let tickMs = ms(tick) / Double(rounds)
    let frameMs = ms(frame) / Double(rounds)
    print("watch table of 1,000 operands, 120x40 terminal, PLC in RUN")
    print(String(format: "  monitoring tick (read 1,000 values): %.3f ms", tickMs))
    print(String(format: "  frame render + diff:                 %.3f ms   (goal <= 2 ms)", frameMs))
    print(
        String(
            format: "  CPU share at 250 ms refresh:         %.2f %% of one core   (goal <= 3 %%)",
            (tickMs + frameMs) / 250 * 100))
    await engine.shutdown()
}

try await measure()
