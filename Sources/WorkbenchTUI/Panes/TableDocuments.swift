import Foundation
import S7Compiler
import S7Diagnostics
import S7Model
import S7Runtime
import Workbench

/// A scrolling list of rows with a selection, shared by the table documents.
struct ListCursor {
    var selection = 0
    var scroll = 0

    mutating func handle(_ action: String?, count: Int, page: Int) -> Bool {
        switch action {
        case "nav.up": selection = max(0, selection - 1)
        case "nav.down": selection = min(max(0, count - 1), selection + 1)
        case "nav.pageUp": selection = max(0, selection - page)
        case "nav.pageDown": selection = min(max(0, count - 1), selection + page)
        case "nav.top": selection = 0
        case "nav.bottom": selection = max(0, count - 1)
        default: return false
        }
        return true
    }

    /// Keeps the selection visible in `rows` rows and returns the visible index range.
    mutating func visible(count: Int, rows: Int) -> Range<Int> {
        selection = min(selection, max(0, count - 1))
        if selection < scroll { scroll = selection }
        if selection >= scroll + rows { scroll = selection - rows + 1 }
        return scroll..<min(count, scroll + max(0, rows))
    }
}

/// Read-only text (a PLC data type's source).
@MainActor
final class TextViewDocument: Document {
    let item: TreeItem
    let title: String
    let lines: [String]
    var cursor = ListCursor()

    init(item: TreeItem, title: String, lines: [String]) {
        self.item = item
        self.title = title
        self.lines = lines
    }

    func handle(key: KeyPress, action: String?, app: WorkbenchApp) async -> Bool {
        cursor.handle(action, count: lines.count, page: app.layout().document.rows)
    }

    func draw(into screen: inout ScreenBuffer, area: Rect, context: DrawContext) {
        let visible = cursor.visible(count: lines.count, rows: area.rows)
        for (offset, index) in visible.enumerated() {
            let role: ThemeRole = index == cursor.selection && context.focused ? .cursorLine : .normal
            screen.writePadded(
                lines[index], row: area.row + offset, column: area.column, width: area.columns, role: role)
        }
    }
}

/// A PLC tag table as a grid: name, data type, address, accessible/writable from HMI/OPC UA, comment, and the
/// live value when the device's virtual PLC runs.
@MainActor
final class TagTableDocument: Document {
    let item: TreeItem
    let device: String
    let table: TagTable
    var cursor = ListCursor()
    var values: [String] = []

    init(table: TagTable, device: String) {
        item = .tagTable(device: device, name: table.name)
        self.device = device
        self.table = table
    }

    var title: String { table.name }

    var rowCount: Int { table.tags.count + table.constants.count }

    func handle(key: KeyPress, action: String?, app: WorkbenchApp) async -> Bool {
        if action == "nav.select", cursor.selection < table.tags.count {
            let tag = table.tags[cursor.selection]
            await app.addToWatch(operand: "\"\(tag.name)\"", device: device)
            return true
        }
        return cursor.handle(action, count: rowCount, page: app.layout().document.rows - 2)
    }

    func tick(app: WorkbenchApp) {
        guard let instance = app.plcInstances[device], instance.downloadedAt != nil else {
            values = []
            return
        }
        let snapshot = instance.snapshot()
        values = table.tags.map { tag in (try? instance.read("\"\(tag.name)\"", in: snapshot).format()) ?? "" }
    }

    func draw(into screen: inout ScreenBuffer, area: Rect, context: DrawContext) {
        let widths = [24, 12, 10, 6, 6, 14]
        let header = ["Name", "Data type", "Address", "Acc.", "Write", "Monitor value", "Comment"]
        drawRow(&screen, header, widths: widths, row: area.row, area: area, role: .title)
        let visible = cursor.visible(count: rowCount, rows: area.rows - 1)
        for (offset, index) in visible.enumerated() {
            let cells: [String]
            if index < table.tags.count {
                let tag = table.tags[index]
                cells = [
                    tag.name, tag.dataType, tag.address, tag.externalAccessible ? "yes" : "no",
                    tag.externalWritable ? "yes" : "no", index < values.count ? values[index] : "",
                    tag.comment.text(),
                ]
            } else {
                let constant = table.constants[index - table.tags.count]
                cells = [constant.name, constant.dataType, "constant", "", "", constant.value, ""]
            }
            let role: ThemeRole = index == cursor.selection ? (context.focused ? .treeSelected : .selection) : .normal
            drawRow(&screen, cells, widths: widths, row: area.row + 1 + offset, area: area, role: role)
        }
    }
}

/// Draws cells at fixed widths; the last cell takes the rest of the row.
func drawRow(_ screen: inout ScreenBuffer, _ cells: [String], widths: [Int], row: Int, area: Rect, role: ThemeRole) {
    screen.fill(row: row, column: area.column, rows: 1, columns: area.columns, role: role)
    var column = area.column
    for (index, cell) in cells.enumerated() {
        let width = index < widths.count ? widths[index] : area.column + area.columns - column
        guard width > 0, column < area.column + area.columns else { break }
        screen.write(
            cell.fitted(width - 1), row: row, column: column, role: role, maxWidth: area.column + area.columns - column)
        column += width
    }
}

/// A watch and force table: operand, display format, live monitor value (changed values highlighted), modify
/// value and force mark. Enter edits the modify value, F6 modifies the selected row now, F9 forces it (inputs and
/// outputs), shift+F9 removes the force, ctrl+n adds a row, F4 switches monitoring off and on.
@MainActor
final class WatchTableDocument: Document {
    struct Row {
        var operand: String
        var format: String
        var modifyValue: String
        var comment: String
        var value = ""
        var changedAt = 0
        var forced = false
        var problem: String?
    }

    let item: TreeItem
    let device: String
    let name: String
    var rows: [Row]
    var cursor = ListCursor()
    var monitoring = true
    var tickCount = 0

    init(table: WatchTable, device: String) {
        item = .watchTable(device: device, name: table.name)
        self.device = device
        name = table.name
        rows = table.operandEntries.map { entry in
            Row(
                operand: entry.operand, format: entry.displayFormat ?? "DEC", modifyValue: entry.modifyValue ?? "",
                comment: entry.comment ?? "")
        }
    }

    /// A table made up in the session (from the tag table's Enter), not saved.
    init(name: String, device: String) {
        item = .watchTable(device: device, name: name)
        self.device = device
        self.name = name
        rows = []
    }

    var title: String { name }

    func handle(key: KeyPress, action: String?, app: WorkbenchApp) async -> Bool {
        if cursor.handle(action, count: rows.count, page: app.layout().document.rows - 2) { return true }
        let selected = rows.indices.contains(cursor.selection) ? cursor.selection : nil
        switch action {
        case "watch.addRow":
            app.ask("Add operand (\"Tag\", \"DB\".member, %MW10):") { app, text in
                let operand = text.trimmingCharacters(in: .whitespaces)
                guard !operand.isEmpty else { return }
                self.add(operand)
                self.tick(app: app)
            }
        case "nav.select":
            guard let selected else { return false }
            app.ask("Modify value for \(rows[selected].operand):", initial: rows[selected].modifyValue) { _, text in
                self.rows[selected].modifyValue = text.trimmingCharacters(in: .whitespaces)
            }
        case "watch.modify":
            guard let selected else { return false }
            await modify(row: selected, app: app)
        case "watch.force":
            guard let selected else { return false }
            let row = rows[selected]
            guard !row.modifyValue.isEmpty else {
                app.ask("Force \(row.operand) to:") { app, text in
                    self.rows[selected].modifyValue = text.trimmingCharacters(in: .whitespaces)
                    await self.force(row: selected, app: app)
                }
                return true
            }
            await force(row: selected, app: app)
        case "watch.unforce":
            guard let selected else { return false }
            do {
                let removed = try await app.engine.unforce(rows[selected].operand, device: device, actor: "tui")
                app.show(
                    removed
                        ? "\(rows[selected].operand) is no longer forced" : "\(rows[selected].operand) was not forced")
            } catch { app.fail(error) }
        case "tree.delete":
            guard let selected else { return false }
            rows.remove(at: selected)
        case "watch.toggleMonitor":
            monitoring.toggle()
            app.show(monitoring ? "Monitoring \(name)" : "Monitoring off")
        default: return false
        }
        return true
    }

    func add(_ operand: String) {
        rows.append(Row(operand: operand, format: "DEC", modifyValue: "", comment: ""))
        cursor.selection = rows.count - 1
    }

    private func modify(row index: Int, app: WorkbenchApp) async {
        let row = rows[index]
        guard !row.modifyValue.isEmpty else {
            app.ask("Modify \(row.operand) to:") { app, text in
                self.rows[index].modifyValue = text.trimmingCharacters(in: .whitespaces)
                await self.modify(row: index, app: app)
            }
            return
        }
        do {
            try await app.engine.modify(row.operand, to: row.modifyValue, device: device, actor: "tui")
            app.show("\(row.operand) := \(row.modifyValue)")
        } catch { app.fail(error) }
    }

    private func force(row index: Int, app: WorkbenchApp) async {
        let row = rows[index]
        do {
            try await app.engine.force(row.operand, to: row.modifyValue, device: device, actor: "tui")
            app.show("\(row.operand) forced to \(row.modifyValue)")
        } catch { app.fail(error) }
    }

    func tick(app: WorkbenchApp) {
        tickCount += 1
        guard monitoring, let instance = app.plcInstances[device], instance.downloadedAt != nil else { return }
        let snapshot = instance.snapshot()
        for index in rows.indices {
            do throws(EngineError) {
                let location = try instance.locate(rows[index].operand)
                let value: String
                do { value = try snapshot.memory.value(at: location).format() } catch {
                    throw EngineError(.invalidInput, error.description)
                }
                if value != rows[index].value {
                    if !rows[index].value.isEmpty { rows[index].changedAt = tickCount }
                    rows[index].value = value
                }
                rows[index].forced = VirtualPLC.isForced(location, in: snapshot)
                rows[index].problem = nil
            } catch {
                rows[index].problem = error.message
                rows[index].value = ""
            }
        }
    }

    func draw(into screen: inout ScreenBuffer, area: Rect, context: DrawContext) {
        let widths = [4, 30, 8, 22, 16, 3]
        let header = ["i", "Name / address", "Format", "Monitor value", "Modify value", "F", "Comment"]
        drawRow(&screen, header, widths: widths, row: area.row, area: area, role: .title)
        if rows.isEmpty, area.rows > 2 {
            screen.write(
                "No rows: ctrl+n adds an operand", row: area.row + 2, column: area.column + 2, role: .hint)
        }
        let visible = cursor.visible(count: rows.count, rows: area.rows - 1)
        for (offset, index) in visible.enumerated() {
            let row = rows[index]
            let selected = index == cursor.selection
            let role: ThemeRole = selected ? (context.focused ? .treeSelected : .selection) : .normal
            let value = row.problem.map { "? \($0)" } ?? row.value
            let cells = [
                String(index + 1), row.operand, row.format, value, row.modifyValue,
                row.forced ? context.glyphs.forced : "",
                row.comment,
            ]
            let screenRow = area.row + 1 + offset
            drawRow(&screen, cells, widths: widths, row: screenRow, area: area, role: role)
            // The value column in its own colour: changed in the last two ticks, TRUE/FALSE, forced, problems.
            guard !selected else { continue }
            let valueRole: ThemeRole =
                row.problem != nil
                ? .diagnosticError
                : row.forced
                    ? .forcedValue
                    : tickCount - row.changedAt < 2 && row.changedAt > 0
                        ? .changedValue
                        : row.value == "TRUE" ? .trueValue : row.value == "FALSE" ? .falseValue : .normal
            screen.write(
                value.fitted(widths[3] - 1), row: screenRow, column: area.column + widths[0] + widths[1] + widths[2],
                role: valueRole)
        }
    }
}

/// The compile diagnostics of a device; Enter opens the block at the diagnostic.
@MainActor
final class DiagnosticsDocument: Document {
    let item: TreeItem
    let device: String
    let result: CompilationResult
    var cursor = ListCursor()

    init(device: String, result: CompilationResult) {
        item = .folder(device: device, path: ["Diagnostics"])
        self.device = device
        self.result = result
    }

    var title: String { "Diagnostics" }

    func location(_ diagnostic: Diagnostic) -> SourceLocation? {
        result.files[diagnostic.range.path]?.location(of: diagnostic.range.start)
    }

    func handle(key: KeyPress, action: String?, app: WorkbenchApp) async -> Bool {
        if action == "nav.select", result.diagnostics.indices.contains(cursor.selection) {
            let diagnostic = result.diagnostics[cursor.selection]
            let location = location(diagnostic)
            await app.openBlock(
                path: diagnostic.range.path, device: device, line: location?.line ?? 1, column: location?.column ?? 1)
            return true
        }
        return cursor.handle(action, count: result.diagnostics.count, page: app.layout().document.rows - 1)
    }

    func draw(into screen: inout ScreenBuffer, area: Rect, context: DrawContext) {
        screen.writePadded(
            "\(device): \(result.errorCount) errors, \(result.warningCount) warnings (Enter opens the block)",
            row: area.row, column: area.column, width: area.columns, role: .title)
        let visible = cursor.visible(count: result.diagnostics.count, rows: area.rows - 1)
        for (offset, index) in visible.enumerated() {
            let diagnostic = result.diagnostics[index]
            let location = location(diagnostic).map { ":\($0.line):\($0.column)" } ?? ""
            let file = diagnostic.range.path.split(separator: "/").last.map(String.init) ?? diagnostic.range.path
            let text =
                "\(file)\(location): \(diagnostic.severity.rawValue)[\(diagnostic.code.rawValue)]: \(diagnostic.message)"
            let role: ThemeRole =
                index == cursor.selection && context.focused
                ? .treeSelected : diagnostic.severity == .error ? .diagnosticError : .diagnosticWarning
            screen.writePadded(text, row: area.row + 1 + offset, column: area.column, width: area.columns, role: role)
        }
    }
}
