import Foundation
import S7Runtime
import Workbench

/// Online & diagnostics of a device's virtual PLC: the mode with RUN/STOP indicators, cycle-time statistics with a
/// sparkline of recent cycles, virtual time, the loaded program, and the diagnostic buffer (newest first). Keys:
/// ctrl+l download, ctrl+e RUN, alt+e STOP, m memory reset (with confirmation), alt+t time mode (real, scaled,
/// stepped), alt+c run N cycles in stepped time.
@MainActor
final class PLCStateDocument: Document {
    let item: TreeItem
    let instance: PLCInstance
    var cursor = ListCursor()
    /// Last cycle times in microseconds, oldest first, one per tick.
    var history: [Double] = []
    /// The PLC keys of the active keymap, for the view's key line.
    var keyHint = "ctrl+l download  ctrl+e RUN  alt+e STOP  alt+t time mode  alt+c run cycles  m memory reset"

    init(instance: PLCInstance) {
        item = .online(device: instance.device)
        self.instance = instance
    }

    var title: String { "\(instance.device) online" }

    func handle(key: KeyPress, action: String?, app: WorkbenchApp) async -> Bool {
        if key.printable == "m" {
            app.ask("Memory reset \(instance.device)? Every value goes back to its start value. (y/n)") { app, answer in
                guard answer.lowercased().hasPrefix("y") else { return }
                await app.perform("plc.memoryReset")
            }
            return true
        }
        let count = instance.snapshot().diagnostics.count
        return cursor.handle(action, count: count, page: app.layout().document.rows - 10)
    }

    func tick(app: WorkbenchApp) {
        keyHint =
            [
                ("plc.download", "download"), ("plc.run", "RUN"), ("plc.stop", "STOP"), ("plc.timeMode", "time mode"),
                ("plc.runCycles", "run cycles"),
            ].map { "\(app.chord($0.0)) \($0.1)" }.joined(separator: "  ") + "  m memory reset"
        let snapshot = instance.snapshot()
        guard snapshot.mode == .run else { return }
        history.append(Self.microsecondsValue(snapshot.statistics.last))
        if history.count > 120 { history.removeFirst(history.count - 120) }
    }

    static func microsecondsValue(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1e6 + Double(attoseconds) / 1e12
    }

    static func microseconds(_ duration: Duration) -> String {
        let value = microsecondsValue(duration)
        return value >= 1000 ? String(format: "%.2f ms", value / 1000) : String(format: "%.0f µs", value)
    }

    func draw(into screen: inout ScreenBuffer, area: Rect, context: DrawContext) {
        let snapshot = instance.snapshot()
        var row = area.row
        let left = area.column + 1
        func line(_ text: String, role: ThemeRole = .normal) {
            guard row < area.row + area.rows else { return }
            screen.writePadded(text, row: row, column: left, width: area.columns - 1, role: role)
            row += 1
        }
        let mode = WorkbenchApp.describe(snapshot.mode)
        let run = snapshot.mode == .run
        let isError: Bool = {
            if case .stop(let cause) = snapshot.mode {
                return cause != .requested && cause != .initial && cause != .memoryReset
            }
            return false
        }()
        screen.fill(row: row, column: area.column, rows: 1, columns: area.columns, role: .normal)
        var x = left
        x += screen.write(" RUN ", row: row, column: x, role: run ? .runIndicator : .hint) + 1
        x += screen.write(" STOP ", row: row, column: x, role: run ? .hint : .stopIndicator) + 1
        x += screen.write(" ERROR ", row: row, column: x, role: isError ? .diagnosticError : .hint) + 1
        // As on an S7-1500, the MAINT LED lights while a force job is active.
        x += screen.write(" MAINT ", row: row, column: x, role: snapshot.forces.isEmpty ? .hint : .forcedValue) + 1
        screen.write("  \(instance.device): \(mode)", row: row, column: x, role: .title)
        row += 2
        let statistics = snapshot.statistics
        line(
            "Virtual time  \(Self.seconds(snapshot.virtualTime))   \(snapshot.clockMode.description)   "
                + "cycles since RUN \(snapshot.cycle)")
        line(
            "Cycle time    last \(Self.microseconds(statistics.last))  min \(Self.microseconds(statistics.minimum))  "
                + "avg \(Self.microseconds(statistics.average))  max \(Self.microseconds(statistics.maximum))")
        line(
            "Execution     avg \(Self.microseconds(statistics.averageExecution))  max "
                + "\(Self.microseconds(statistics.maximumExecution)) of VM time per cycle")
        line(
            "Recent cycles " + sparkline(width: max(0, area.columns - 16), glyphs: context.glyphs), role: .changedValue)
        if let downloaded = instance.downloadedAt {
            let formatter = DateFormatter()
            formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
            line(
                "Program       \(instance.loadedBlocks.count) blocks, downloaded \(formatter.string(from: downloaded))")
        } else {
            line("Program       none: ctrl+l downloads the device's program", role: .hint)
        }
        if !snapshot.forces.isEmpty { line("Forces        \(snapshot.forces.count) active", role: .forcedValue) }
        line("Keys          " + keyHint, role: .hint)
        row += 1
        line("Diagnostic buffer (newest first)", role: .title)
        let entries = snapshot.diagnostics
        let visible = cursor.visible(count: entries.count, rows: area.row + area.rows - row)
        for index in visible {
            let entry = entries[index]
            let place = entry.block.map { " [\($0)\(entry.line.map { " line \($0)" } ?? "")]" } ?? ""
            let text =
                "\(entry.sequence)".fitted(6, alignRight: true) + "  " + Self.seconds(entry.time).fitted(12)
                + String(format: "16#%04X  ", entry.eventID) + entry.text + place
            let error = entry.eventID & 0xF000 == 0x2000 || entry.eventID & 0xF000 == 0x3000
            let role: ThemeRole =
                index == cursor.selection && context.focused ? .treeSelected : error ? .diagnosticError : .normal
            line(text, role: role)
        }
        while row < area.row + area.rows { line("") }
    }

    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%.3f s", Double(seconds) + Double(attoseconds) / 1e18)
    }

    private func sparkline(width: Int, glyphs: Glyphs) -> String {
        let values = history.suffix(width)
        guard let high = values.max(), high > 0 else { return "" }
        let levels = glyphs.sparkline
        return values.map { value in
            levels[min(levels.count - 1, Int(value / high * Double(levels.count - 1)))]
        }.joined()
    }
}
