import Foundation
import Testing
import WorkbenchTUI

/// Whole screens of each pane compared with `Snapshots/<name>.txt` (no live values: nothing is downloaded).
/// `S7WB_RECORD_SNAPSHOTS=1 swift test --filter ScreenSnapshotTests` writes them anew after an intended change.
@MainActor
@Suite("Screen snapshots", .serialized)
struct ScreenSnapshotTests {
    typealias T = WorkbenchAppTests
    typealias E = WorkbenchEditingTests

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    static func check(_ app: WorkbenchApp, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let screen =
            app.draw().lines().map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
            .joined(separator: "\n") + "\n"
        let file = folder.appendingPathComponent(name + ".txt")
        if ProcessInfo.processInfo.environment["S7WB_RECORD_SNAPSHOTS"] == "1" {
            try screen.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let expected = try? String(contentsOf: file, encoding: .utf8)
        #expect(
            expected != nil, "no snapshot \(name).txt: record it with S7WB_RECORD_SNAPSHOTS=1",
            sourceLocation: sourceLocation)
        guard let expected, expected != screen else { return }
        let got = screen.split(separator: "\n", omittingEmptySubsequences: false)
        let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let first =
            zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, want.count)
        Issue.record(
            "screen \(name) differs at row \(first):\n got: \(first < got.count ? got[first] : "")\nwant: \(first < want.count ? want[first] : "")",
            sourceLocation: sourceLocation)
    }

    @Test func editor() async throws {
        let (app, copy) = try await T.workbench()
        defer { try? FileManager.default.removeItem(atPath: copy) }
        await E.select("TrafficLight", in: app)
        _ = await app.handle(T.key("enter"))
        try Self.check(app, "editor")
    }

    @Test func tagTable() async throws {
        let (app, copy) = try await T.workbench()
        defer { try? FileManager.default.removeItem(atPath: copy) }
        await E.open("Default tag table", in: "PLC tags", app: app)
        try Self.check(app, "tag-table")
    }

    @Test func watchTable() async throws {
        let (app, copy) = try await T.workbench()
        defer { try? FileManager.default.removeItem(atPath: copy) }
        await E.open("Lamps", in: "Watch and force tables", app: app)
        try Self.check(app, "watch-table")
    }

    @Test func diagnosticsList() async throws {
        let (app, copy) = try await T.workbench()
        defer { try? FileManager.default.removeItem(atPath: copy) }
        await E.select("Main", in: app)
        _ = await app.handle(T.key("enter"))
        _ = await app.handle(T.key("ctrl+g"))
        await T.type("8", into: app)
        _ = await app.handle(T.key("enter"))
        await T.type("\"NoSuchTag\" := 1;", into: app)
        _ = await app.handle(T.key("ctrl+s"))
        _ = await app.handle(T.key("alt+b"))
        try Self.check(app, "diagnostics")
    }

    @Test func helpAt80x24() async throws {
        let (app, copy) = try await T.workbench(small: true)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        _ = await app.handle(T.key("F2"))
        try Self.check(app, "help-80x24")
    }
}
