import Foundation
import Synchronization

/// What the engine tells its front ends (TUI, SSE, MCP notifications) after something changed.
public enum EngineEvent: Sendable, Hashable {
    case projectOpened(sessionID: String, name: String)
    case projectClosed(sessionID: String)
    case projectSaved(sessionID: String, writtenFiles: [String])
    /// A project object changed: `kind` is `block`, `tagTable`, `dataType`, `watchTable` or `device`.
    case objectChanged(sessionID: String, kind: String, device: String, name: String)
    case jobUpdated(JobRecord)
    /// A virtual PLC was downloaded to, started, stopped or reset: `change` says which.
    case plcChanged(sessionID: String, device: String, change: String)
    case message(String)
}

/// Fans events out to every subscriber; each subscriber gets its own stream and may go away at any time.
final class EventHub: Sendable {
    private let state = Mutex<[UUID: AsyncStream<EngineEvent>.Continuation]>([:])

    func subscribe() -> AsyncStream<EngineEvent> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: EngineEvent.self, bufferingPolicy: .bufferingNewest(1024))
        let id = UUID()
        state.withLock { $0[id] = continuation }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.removeValue(forKey: id) }
        }
        return stream
    }

    func publish(_ event: EngineEvent) {
        let continuations = state.withLock { Array($0.values) }
        for continuation in continuations { continuation.yield(event) }
    }

    func finish() {
        let continuations = state.withLock { state in
            defer { state.removeAll() }
            return Array(state.values)
        }
        for continuation in continuations { continuation.finish() }
    }
}
