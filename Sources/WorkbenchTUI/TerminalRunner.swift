import Foundation
import Synchronization

/// Set from signal handlers (SIGINT, SIGTERM, SIGHUP) and read by the terminal loop.
public final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    public func set() { flag.store(true, ordering: .relaxed) }
    public var isSet: Bool { flag.load(ordering: .relaxed) }
}

/// Runs the workbench on a terminal: draw (only what changed), wait for input at most one refresh interval, handle
/// it, tick live views at the refresh interval even while keys arrive; until quit, ctrl+c or a stop signal. The
/// terminal is given back in every case.
@MainActor
public enum TerminalRunner {
    public static func run(
        app: WorkbenchApp, terminal: any Terminal, refresh: Duration = .milliseconds(250), stop: StopFlag
    ) async throws {
        try terminal.enter()
        defer { terminal.leave() }
        app.resize(to: terminal.size)
        await app.start()
        defer { app.stop() }
        var previous: ScreenBuffer?
        let clock = ContinuousClock()
        var lastTick = clock.now
        while !stop.isSet {
            let frame = app.draw()
            terminal.present(frame, over: previous)
            previous = frame
            let event = terminal.readEvent(timeout: refresh)
            if stop.isSet { break }
            if case .key(let key) = event, key.key == .character("c"), key.modifiers == .ctrl { break }
            if case .resize = event { previous = nil }
            guard await app.handle(event) else { break }
            if case .tick = event {
                lastTick = clock.now
            } else if clock.now - lastTick >= refresh {
                lastTick = clock.now
                guard await app.handle(.tick) else { break }
            }
        }
    }
}
