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

/// A PLC tag table as an editable grid: name, data type, address, accessible/writable from HMI/OPC UA, live
/// value, comment; user constants below the tags. Enter edits the selected cell (toggles the yes/no cells, modifies
/// the live value), left/right move between cells, ctrl+n adds a row, ctrl+t copies it, Delete removes it, alt+s
/// sorts by the column, ctrl+f filters, ctrl+s checks every row and saves; rows the engine would refuse are marked.
@MainActor
final class TagTableDocument: Document {
    enum Column: Int, CaseIterable {
        case name, dataType, address, accessible, writable, value, comment

        var title: String {
            ["Name", "Data type", "Address", "Acc.", "Write", "Monitor value", "Comment"][rawValue]
        }
    }

    private(set) var item: TreeItem
    let device: String
    private(set) var name: String
    var tags: [Tag]
    var constants: [UserConstant]
    private var saved: (tags: [Tag], constants: [UserConstant])
    var cursor = ListCursor()
    var column = Column.name
    /// Live values by tag index.
    var values: [Int: String] = [:]
    /// The read of a real PLC under way, when the device is online with one.
    private var plcRead: Task<Void, Never>?
    var filter = ""
    var sort: (column: Column, ascending: Bool)?
    /// What the engine would refuse, by row (tags first, then constants).
    var problems: [Int: String] = [:]

    init(table: TagTable, device: String) {
        item = .tagTable(device: device, name: table.name)
        self.device = device
        name = table.name
        tags = table.tags
        constants = table.constants
        saved = (table.tags, table.constants)
    }

    var title: String { name }
    var hasUnsavedChanges: Bool { tags != saved.tags || constants != saved.constants }

    /// The rows shown, in order: indexes into tags followed by constants, filtered and sorted.
    func visibleRows() -> [Int] {
        let needle = filter.lowercased()
        var rows = Array(0..<(tags.count + constants.count))
        if !needle.isEmpty {
            rows = rows.filter { row in cells(row).contains { $0.lowercased().contains(needle) } }
        }
        if let sort {
            rows.sort { left, right in
                let (a, b) = (cells(left)[sort.column.rawValue], cells(right)[sort.column.rawValue])
                let ordered = a.localizedStandardCompare(b)
                if ordered == .orderedSame { return left < right }
                return (ordered == .orderedAscending) == sort.ascending
            }
        }
        return rows
    }

    func cells(_ row: Int) -> [String] {
        if row < tags.count {
            let tag = tags[row]
            return [
                tag.name, tag.dataType, tag.address, tag.externalAccessible ? "yes" : "no",
                tag.externalWritable ? "yes" : "no", values[row] ?? "", tag.comment.text(),
            ]
        }
        let constant = constants[row - tags.count]
        return [constant.name, constant.dataType, "constant", "", "", constant.value, constant.comment.text()]
    }

    private var selectedRow: Int? {
        let rows = visibleRows()
        return rows.indices.contains(cursor.selection) ? rows[cursor.selection] : nil
    }

    func handle(key: KeyPress, action: String?, app: WorkbenchApp) async -> Bool {
        let rows = visibleRows()
        if cursor.handle(action, count: rows.count, page: app.layout().document.rows - 3) { return true }
        switch action {
        case "nav.left": column = Column(rawValue: max(0, column.rawValue - 1))!
        case "nav.right": column = Column(rawValue: min(Column.allCases.count - 1, column.rawValue + 1))!
        case "nav.select":
            guard let row = selectedRow else { return false }
            edit(row: row, app: app)
        case "watch.addRow":
            insertRow(after: selectedRow, app: app)
        case "table.duplicateRow":
            guard let row = selectedRow else { return false }
            duplicate(row: row, app: app)
        case "tree.delete":
            guard let row = selectedRow else { return false }
            if row < tags.count { tags.remove(at: row) } else { constants.remove(at: row - tags.count) }
            values = [:]
            validate(app: app)
        case "table.sort":
            if let sort, sort.column == column {
                self.sort = sort.ascending ? (column, false) : nil
            } else {
                sort = (column, true)
            }
            app.show(
                sort.map { "sorted by \($0.column.title) \($0.ascending ? "ascending" : "descending")" }
                    ?? "table order")
        case "editor.find", "tree.filter":
            app.ask("Show rows containing:", initial: filter) { _, text in
                self.filter = text
                self.cursor = ListCursor()
            }
        case "table.addToWatch":
            guard let row = selectedRow, row < tags.count else { return false }
            await app.addToWatch(operand: "\"\(tags[row].name)\"", device: device)
        case "editor.save":
            await save(app: app)
        default: return false
        }
        return true
    }

    private func edit(row: Int, app: WorkbenchApp) {
        let isTag = row < tags.count
        switch column {
        case .accessible where isTag:
            tags[row].externalAccessible.toggle()
            if !tags[row].externalAccessible { tags[row].externalWritable = false }
        case .writable where isTag:
            tags[row].externalWritable.toggle()
            if tags[row].externalWritable { tags[row].externalAccessible = true }
        case .value where isTag:
            let operand = "\"\(tags[row].name)\""
            app.ask("Modify \(operand) to:") { app, text in
                do {
                    try await app.engine.modify(operand, to: text, device: self.device, actor: "tui")
                    app.show("\(operand) := \(text)")
                } catch { app.fail(error) }
            }
            return
        case .accessible, .writable: return
        default:
            let current = cells(row)[column == .value ? Column.value.rawValue : column.rawValue]
            let columnName = isTag ? column.title : column == .value ? "Value" : column.title
            app.ask("\(columnName) of \(cells(row)[0]):", initial: current == "constant" ? "" : current) { app, text in
                self.set(text.trimmingCharacters(in: .whitespaces), row: row, column: self.column)
                self.validate(app: app)
            }
            return
        }
        validate(app: app)
    }

    private func set(_ text: String, row: Int, column: Column) {
        if row < tags.count {
            switch column {
            case .name: tags[row].name = text
            case .dataType: tags[row].dataType = text
            case .address: tags[row].address = text
            case .comment: tags[row].comment = tags[row].comment.setting(text)
            default: break
            }
        } else {
            let index = row - tags.count
            switch column {
            case .name: constants[index].name = text
            case .dataType: constants[index].dataType = text
            case .value: constants[index].value = text
            case .comment: constants[index].comment = constants[index].comment.setting(text)
            default: break
            }
        }
    }

    private func uniqueName(_ base: String) -> String {
        let taken = Set((tags.map(\.name) + constants.map(\.name)).map { $0.lowercased() })
        var number = 1
        while taken.contains("\(base)_\(number)".lowercased()) { number += 1 }
        return "\(base)_\(number)"
    }

    private func insertRow(after row: Int?, app: WorkbenchApp) {
        let inConstants = row.map { $0 >= tags.count } ?? false
        let newRow: Int
        if inConstants {
            let index = (row ?? tags.count) - tags.count + 1
            constants.insert(UserConstant(name: uniqueName("Constant"), dataType: "Int", value: "0"), at: index)
            newRow = tags.count + index
        } else {
            let index = row.map { $0 + 1 } ?? tags.count
            tags.insert(Tag(name: uniqueName("Tag"), dataType: "Bool", address: ""), at: index)
            newRow = index
        }
        values = [:]
        select(newRow)
        column = .name
        validate(app: app)
        app.show("new row: Enter edits the cell, left/right move between cells, ctrl+s saves")
    }

    private func duplicate(row: Int, app: WorkbenchApp) {
        if row < tags.count {
            var copy = tags[row]
            copy.name = uniqueName(copy.name)
            tags.insert(copy, at: row + 1)
        } else {
            var copy = constants[row - tags.count]
            copy.name = uniqueName(copy.name)
            constants.insert(copy, at: row - tags.count + 1)
        }
        values = [:]
        select(row + 1)
        validate(app: app)
    }

    private func select(_ row: Int) {
        filter = ""
        if let index = visibleRows().firstIndex(of: row) { cursor.selection = index }
    }

    /// Checks the rows as the engine will on save, against the device's other tag tables.
    func validate(app: WorkbenchApp) {
        var others: [String: String] = [:]
        for table in app.project?.device(named: device)?.tagTables ?? [] where !table.name.caseInsensitiveEquals(name) {
            for tag in table.tags { others[tag.name.lowercased()] = table.name }
        }
        problems = [:]
        let types = Set((app.project?.device(named: device)?.dataTypes ?? []).map { $0.name.lowercased() })
        for problem in Engine.check(tags: tags, constants: constants, against: others, dataTypes: types) {
            let isConstant = problem.column.hasPrefix("constant")
            let row = (isConstant ? tags.count : 0) + problem.row - 1
            problems[row] = (problems[row].map { $0 + "; " } ?? "") + "\(problem.column): \(problem.message)"
        }
    }

    func save(app: WorkbenchApp) async {
        do {
            try await app.engine.updateTagTable(name, tags: tags, constants: constants, device: device, actor: "tui")
            try await app.engine.save(actor: "tui")
            saved = (tags, constants)
            problems = [:]
            app.projectChanged = true
            app.show("Saved tag table \(name): \(tags.count) tags, \(constants.count) constants")
        } catch {
            validate(app: app)
            app.fail(error)
        }
    }

    func tick(app: WorkbenchApp) {
        if app.plcEndpoints[device] != nil {
            monitorPLC(app: app)
            return
        }
        guard let instance = app.plcInstances[device], instance.downloadedAt != nil else {
            values = [:]
            return
        }
        let snapshot = instance.snapshot()
        values = [:]
        for (index, tag) in tags.enumerated() {
            if let value = try? instance.read("\"\(tag.name)\"", in: snapshot).format() { values[index] = value }
        }
    }

    /// Reads the tags from the real PLC the device is online with, in the background (as a watch table does); a
    /// tag the PLC does not answer shows why instead of a value.
    private func monitorPLC(app: WorkbenchApp) {
        guard plcRead == nil, !tags.isEmpty else { return }
        let names = tags.map(\.name)
        let engine = app.engine
        let device = self.device
        plcRead = Task { [weak self] in
            let values = try? await engine.readOperandsFromPLC(names.map { "\"\($0)\"" }, device: device)
            guard let self else { return }
            self.plcRead = nil
            guard let values else { return }
            var shown: [Int: String] = [:]
            for (index, (name, reading)) in zip(names, values).enumerated()
            where self.tags.indices.contains(index) && self.tags[index].name == name {
                shown[index] = reading.value?.format() ?? reading.quality.rawValue
            }
            self.values = shown
        }
    }

    static let widths = [24, 12, 10, 6, 6, 14]

    func draw(into screen: inout ScreenBuffer, area: Rect, context: DrawContext) {
        let widths = Self.widths
        let header = Column.allCases.map { column in
            column.title + (sort?.column == column ? (sort!.ascending ? "^" : "v") : "")
        }
        drawRow(&screen, header, widths: widths, row: area.row, area: area, role: .title)
        let rows = visibleRows()
        let visible = cursor.visible(count: rows.count, rows: area.rows - 2)
        for (offset, index) in visible.enumerated() {
            let row = rows[index]
            let selected = index == cursor.selection
            let role: ThemeRole =
                selected
                ? (context.focused ? .treeSelected : .selection) : problems[row] != nil ? .diagnosticError : .normal
            let screenRow = area.row + 1 + offset
            let cells = cells(row)
            drawRow(&screen, cells, widths: widths, row: screenRow, area: area, role: role)
            if selected && context.focused {
                let left = area.column + widths.prefix(column.rawValue).reduce(0, +)
                let width =
                    column.rawValue < widths.count ? widths[column.rawValue] - 1 : area.column + area.columns - left
                if left < area.column + area.columns {
                    screen.write(
                        cells[column.rawValue].fitted(max(1, width)).padding(
                            toLength: max(1, width), withPad: " ", startingAt: 0),
                        row: screenRow, column: left, role: .menuSelected, maxWidth: area.column + area.columns - left)
                }
            }
        }
        guard area.rows > 2 else { return }
        let footer: String
        let footerRole: ThemeRole
        if let row = rows.indices.contains(cursor.selection) ? rows[cursor.selection] : nil,
            let problem = problems[row]
        {
            footer = problem
            footerRole = .diagnosticError
        } else {
            footer =
                "\(tags.count) tags, \(constants.count) constants"
                + (filter.isEmpty ? "" : ", showing rows with '\(filter)'")
                + (problems.isEmpty ? "" : ", \(problems.count) rows to fix")
                + (hasUnsavedChanges ? "; ctrl+s saves" : "")
            footerRole = problems.isEmpty ? .hint : .diagnosticError
        }
        screen.writePadded(
            footer, row: area.row + area.rows - 1, column: area.column, width: area.columns, role: footerRole)
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
/// outputs), shift+F9 removes the force, ctrl+n adds a row (Tab completes the operand), Delete removes it, F4
/// switches monitoring off and on, ctrl+s saves the table (a session table asks for a name and joins the project).
@MainActor
final class WatchTableDocument: Document {
    struct Row {
        /// The table entry as read (triggers, intentions, comment rows) with the edits below applied on save.
        var entry: WatchEntry
        var operand: String
        var format: String
        var modifyValue: String
        var comment: String
        var value = ""
        var changedAt = 0
        var forced = false
        var problem: String?

        init(entry: WatchEntry, kind: WatchTable.Kind) {
            self.entry = entry
            operand = entry.operand
            format = entry.displayFormat ?? "DEC"
            modifyValue = (kind == .force ? entry.forceValue : entry.modifyValue) ?? ""
            comment = entry.comment ?? ""
        }

        /// The entry with this row's operand, format, value and comment.
        func edited(kind: WatchTable.Kind) -> WatchEntry {
            var entry = self.entry
            guard !entry.isCommentRow else { return entry }
            entry.operand = operand
            if format != (entry.displayFormat ?? "DEC") { entry.displayFormat = format }
            let original = (kind == .force ? entry.forceValue : entry.modifyValue) ?? ""
            if modifyValue != original {
                if kind == .force { entry.forceValue = modifyValue } else { entry.modifyValue = modifyValue }
            }
            if comment != (entry.comment ?? "") { entry.comment = comment.isEmpty ? nil : comment }
            return entry
        }
    }

    private(set) var item: TreeItem
    let device: String
    private(set) var name: String
    let kind: WatchTable.Kind
    /// Whether the table is in the project (false for the session table made from "add to watch").
    private(set) var isInProject: Bool
    var rows: [Row]
    private var savedEntries: [WatchEntry]
    var cursor = ListCursor()
    var monitoring = true
    var tickCount = 0
    /// The read from a real PLC under way (one at a time).
    private var plcRead: Task<Void, Never>?

    init(table: WatchTable, device: String) {
        item = .watchTable(device: device, name: table.name)
        self.device = device
        name = table.name
        kind = table.kind
        isInProject = true
        rows = table.entries.map { Row(entry: $0, kind: table.kind) }
        savedEntries = table.entries
    }

    /// A table made up in the session (from the tag table's "add to watch"), saved into the project on ctrl+s.
    init(name: String, device: String) {
        item = .watchTable(device: device, name: name)
        self.device = device
        self.name = name
        kind = .watch
        isInProject = false
        rows = []
        savedEntries = []
    }

    var title: String { name }
    var entries: [WatchEntry] { rows.map { $0.edited(kind: kind) } }
    var hasUnsavedChanges: Bool { isInProject ? entries != savedEntries : false }

    func handle(key: KeyPress, action: String?, app: WorkbenchApp) async -> Bool {
        if cursor.handle(action, count: rows.count, page: app.layout().document.rows - 2) { return true }
        let selected =
            rows.indices.contains(cursor.selection) && !rows[cursor.selection].entry.isCommentRow
            ? cursor.selection : nil
        switch action {
        case "watch.addRow":
            app.ask(
                "Add operand (\"Tag\", \"DB\".member, %MW10; Tab completes):",
                complete: app.operandCompleter(device: device)
            ) { app, text in
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
            guard rows.indices.contains(cursor.selection) else { return false }
            rows.remove(at: cursor.selection)
        case "watch.toggleMonitor":
            monitoring.toggle()
            app.show(monitoring ? "Monitoring \(name)" : "Monitoring off")
        case "editor.save":
            await save(app: app)
        default: return false
        }
        return true
    }

    func add(_ operand: String) {
        rows.append(Row(entry: WatchEntry(operand: operand, displayFormat: "DEC"), kind: kind))
        cursor.selection = rows.count - 1
    }

    /// Writes the rows into the project's table; a session table first becomes a project table under a name.
    func save(app: WorkbenchApp) async {
        guard isInProject else {
            app.ask("Save the session table into the project as:", initial: "Watch table_1") { app, text in
                let newName = text.trimmingCharacters(in: .whitespaces)
                do {
                    try await app.engine.create(.watchTable, named: newName, device: self.device, actor: "tui")
                } catch {
                    app.fail(error)
                    return
                }
                self.name = newName
                self.item = .watchTable(device: self.device, name: newName)
                self.isInProject = true
                await self.save(app: app)
            }
            return
        }
        do {
            let entries = self.entries
            try await app.engine.updateWatchTable(name, entries: entries, device: device, actor: "tui")
            try await app.engine.save(actor: "tui")
            savedEntries = entries
            app.projectChanged = true
            app.show("Saved \(kind == .force ? "force" : "watch") table \(name): \(rows.count) rows")
        } catch { app.fail(error) }
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
        guard monitoring else { return }
        if app.plcEndpoints[device] != nil {
            monitorPLC(app: app)
            return
        }
        guard let instance = app.plcInstances[device], instance.downloadedAt != nil else { return }
        let snapshot = instance.snapshot()
        for index in rows.indices where !rows[index].entry.isCommentRow {
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

    /// Reads the rows from the real PLC the device is online with, in the background; the values land when the
    /// answer comes (a PLC that does not answer shows its rows as not reachable, the workbench goes on).
    private func monitorPLC(app: WorkbenchApp) {
        guard plcRead == nil else { return }
        let indexes = rows.indices.filter { !rows[$0].entry.isCommentRow }
        let operands = indexes.map { rows[$0].operand }
        guard !operands.isEmpty else { return }
        let engine = app.engine
        let device = self.device
        plcRead = Task { [weak self] in
            let result: Result<[WatchValue]?, EngineError>
            do throws(EngineError) {
                result = .success(try await engine.readOperandsFromPLC(operands, device: device))
            } catch {
                result = .failure(error)
            }
            guard let self else { return }
            self.plcRead = nil
            switch result {
            case .success(let values?):
                for (index, (operand, value)) in zip(indexes, zip(operands, values))
                where rows.indices.contains(index) && rows[index].operand == operand {
                    self.show(value, row: index)
                }
            case .success(nil):
                break
            case .failure(let error):
                for index in indexes where rows.indices.contains(index) {
                    rows[index].problem = error.message
                    rows[index].value = ""
                }
            }
        }
    }

    private func show(_ reading: WatchValue, row index: Int) {
        rows[index].forced = false
        guard let value = reading.value?.format() else {
            rows[index].problem = reading.quality.rawValue + (reading.error.map { ": \($0)" } ?? "")
            rows[index].value = ""
            return
        }
        if value != rows[index].value {
            if !rows[index].value.isEmpty { rows[index].changedAt = tickCount }
            rows[index].value = value
        }
        rows[index].problem = nil
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
            if row.entry.isCommentRow {
                drawRow(
                    &screen, ["", "// " + row.comment], widths: widths, row: area.row + 1 + offset, area: area,
                    role: selected ? role : .comment)
                continue
            }
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
