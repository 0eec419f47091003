/// Settings of an open project, kept in its `.s7wb` store so they survive restarts.
public struct ProjectSettings: Sendable, Hashable {
    enum Key {
        static let snapshotBeforeChange = "history.snapshotBeforeChange"
        static let snapshotsPerObject = "history.snapshotsPerObject"
    }

    public static let snapshotsPerObjectRange = 1...10_000

    /// Take a snapshot of a file before every change made through the engine (T-IA Connect's history switch).
    public var snapshotBeforeChange: Bool
    /// How many snapshots per block or table a cleanup keeps.
    public var snapshotsPerObject: Int

    public init(snapshotBeforeChange: Bool = true, snapshotsPerObject: Int = 100) {
        self.snapshotBeforeChange = snapshotBeforeChange
        self.snapshotsPerObject = snapshotsPerObject
    }
}
