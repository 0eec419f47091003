import Foundation
import S7Model
import S7Runtime
import Workbench

extension WorkbenchApp {
    struct Layout {
        var tabs: Rect
        var tree: Rect
        var separatorColumn: Int
        var document: Rect
        var message: Rect
        var status: Rect
    }

    /// Row 0 the tabs, then the tree (a quarter of the width, 24 to 40 columns) beside the document, the message
    /// line and the status bar at the bottom.
    func layout() -> Layout {
        let rows = size.rows
        let columns = size.columns
        let treeWidth = min(40, max(24, columns / 4))
        let body = max(0, rows - 3)
        return Layout(
            tabs: Rect(row: 0, column: 0, rows: 1, columns: columns),
            tree: Rect(row: 1, column: 0, rows: body, columns: treeWidth),
            separatorColumn: treeWidth,
            document: Rect(row: 1, column: treeWidth + 1, rows: body, columns: max(0, columns - treeWidth - 1)),
            message: Rect(row: max(0, rows - 2), column: 0, rows: 1, columns: columns),
            status: Rect(row: max(0, rows - 1), column: 0, rows: 1, columns: columns))
    }

    /// The whole screen as it should look now.
    public func draw() -> ScreenBuffer {
        var screen = ScreenBuffer(size: size)
        guard size.rows >= 4, size.columns >= 20 else {
            screen.write("s7wb: terminal too small", row: 0, column: 0, role: .diagnosticError)
            return screen
        }
        let layout = layout()
        drawTabs(&screen, layout.tabs)
        drawTree(&screen, layout.tree)
        let glyphs = options.glyphs
        for row in layout.tree.row..<(layout.tree.row + layout.tree.rows) {
            screen.write(glyphs.vertical, row: row, column: layout.separatorColumn, role: .border)
        }
        if let document = currentDocument {
            document.draw(
                into: &screen, area: layout.document,
                context: DrawContext(glyphs: glyphs, focused: focus == .document && overlay == nil))
        } else {
            drawWelcome(&screen, layout.document)
        }
        drawMessage(&screen, layout.message)
        drawStatus(&screen, layout.status)
        drawOverlay(&screen)
        return screen
    }

    private func drawTabs(_ screen: inout ScreenBuffer, _ area: Rect) {
        screen.fill(row: area.row, column: 0, rows: 1, columns: area.columns, role: .statusBar)
        var column = screen.write(" \(project?.name ?? "s7wb") ", row: area.row, column: 0, role: .title)
        for (index, document) in documents.enumerated() {
            let title = " \(document.title)\(document.hasUnsavedChanges ? "*" : "") "
            let role: ThemeRole = index == activeDocument ? .menuSelected : .menu
            column += screen.write(title, row: area.row, column: column + 1, role: role) + 1
        }
    }

    /// The document tab under a column of the tab row.
    func tabIndex(atColumn target: Int) -> Int? {
        var column = " \(project?.name ?? "s7wb") ".count
        for (index, document) in documents.enumerated() {
            let width = " \(document.title)\(document.hasUnsavedChanges ? "*" : "") ".count
            if target > column && target <= column + width { return index }
            column += width + 1
        }
        return nil
    }

    private func drawTree(_ screen: inout ScreenBuffer, _ area: Rect) {
        let rows = tree?.rows() ?? []
        let focused = focus == .tree && overlay == nil
        if !rows.isEmpty { treeSelection = min(treeSelection, rows.count - 1) }
        if treeSelection < treeScroll { treeScroll = treeSelection }
        if treeSelection >= treeScroll + area.rows { treeScroll = treeSelection - area.rows + 1 }
        let glyphs = options.glyphs
        let errors = tree?.blocksWithErrors ?? []
        let differing = tree?.blocksDiffering ?? []
        for line in 0..<area.rows {
            let index = treeScroll + line
            let row = area.row + line
            guard rows.indices.contains(index) else {
                screen.fill(row: row, column: area.column, rows: 1, columns: area.columns, role: .normal)
                continue
            }
            let entry = rows[index]
            let selected = index == treeSelection
            let marker = entry.isFolder ? (entry.isExpanded ? glyphs.expanded : glyphs.collapsed) : glyphs.leaf
            var hasError = false
            var differs = false
            if case .block(_, let name) = entry.item {
                hasError = errors.contains(name)
                differs = differing.contains(name)
            }
            let indent = String(repeating: " ", count: entry.depth)
            let mark = hasError ? glyphs.error : differs ? glyphs.differs : " "
            let text = indent + marker + mark + entry.label
            let role: ThemeRole =
                selected
                ? (focused ? .treeSelected : .selection)
                : hasError ? .diagnosticError : differs ? .diagnosticWarning : entry.isFolder ? .treeFolder : .treeItem
            screen.writePadded(text, row: row, column: area.column, width: area.columns, role: role)
            let detail = entry.detail
            let textWidth = text.count
            if !detail.isEmpty, textWidth + detail.count + 2 <= area.columns {
                screen.write(
                    detail, row: row, column: area.column + area.columns - detail.count - 1,
                    role: selected ? role : .hint)
            }
        }
        if let filter = tree?.filter, !filter.isEmpty, area.rows > 0 {
            screen.writePadded(
                "filter: \(filter)  (/ to change)", row: area.row + area.rows - 1, column: area.column,
                width: area.columns,
                role: .hint)
        }
    }

    private func drawWelcome(_ screen: inout ScreenBuffer, _ area: Rect) {
        let keys = options.keymap
        func chord(_ action: String) -> String { keys.chords(for: action).first?.description ?? "-" }
        let lines = [
            "s7wb: an open workbench for S7-1200/1500 projects", "",
            "Enter     open the selected block, table or Online & diagnostics",
            "\(chord("plc.download").padding(toLength: 10, withPad: " ", startingAt: 0))download the program to the virtual PLC",
            "\(chord("plc.run").padding(toLength: 10, withPad: " ", startingAt: 0))start it (RUN)",
            "\(chord("build.compileAll").padding(toLength: 10, withPad: " ", startingAt: 0))compile the device",
            "\(chord("app.commandPalette").padding(toLength: 10, withPad: " ", startingAt: 0))every action",
            "\(chord("app.help").padding(toLength: 10, withPad: " ", startingAt: 0))key bindings",
            "\(chord("app.quit").padding(toLength: 10, withPad: " ", startingAt: 0))quit",
        ]
        for (index, line) in lines.enumerated() where index < area.rows - 1 {
            screen.write(line, row: area.row + 1 + index, column: area.column + 2, role: index == 0 ? .title : .normal)
        }
    }

    private func drawMessage(_ screen: inout ScreenBuffer, _ area: Rect) {
        if case .prompt(let prompt) = overlay {
            let text = "\(prompt.title) \(prompt.text)"
            screen.writePadded(text, row: area.row, column: 0, width: area.columns, role: .dialog)
            let cursor = min(area.columns - 1, text.count)
            screen.write(" ", row: area.row, column: cursor, role: .selection)
            return
        }
        screen.writePadded(message, row: area.row, column: 0, width: area.columns, role: messageRole)
    }

    private func drawStatus(_ screen: inout ScreenBuffer, _ area: Rect) {
        screen.fill(row: area.row, column: 0, rows: 1, columns: area.columns, role: .statusBar)
        var parts: [String] = []
        if let device = currentDevice { parts.append(device) }
        parts.append(plcStatus)
        if let rest = options.restURL { parts.append("REST \(rest)") }
        if let job = jobs.min(by: { $0.key < $1.key })?.value {
            parts.append(job.title + (jobs.count > 1 ? " (+\(jobs.count - 1) jobs)" : "") + options.glyphs.ellipsis)
        }
        let keys = options.keymap
        func chord(_ action: String) -> String { keys.chords(for: action).first?.description ?? "" }
        let left = " " + parts.joined(separator: " \(options.glyphs.vertical) ")
        screen.write(left, row: area.row, column: 0, role: .statusBar)
        let hints = "\(chord("app.commandPalette")) actions  \(chord("app.help")) keys  \(chord("app.quit")) quit "
        if left.count + hints.count < area.columns {
            screen.write(hints, row: area.row, column: area.columns - hints.count, role: .statusBarKey)
        }
    }

    /// `RUN 3.2 ms` for the device's virtual PLC, `no PLC instance` before the first download.
    var plcStatus: String {
        if let endpoint = plcEndpoints[currentDevice ?? ""] { return "PLC online at \(endpoint.host):\(endpoint.port)" }
        guard let instance = plcInstances[currentDevice ?? ""] else { return "PLC offline" }
        let snapshot = instance.snapshot()
        let mode = Self.describe(snapshot.mode)
        guard snapshot.mode == .run else { return "PLC \(mode)" }
        return "PLC \(mode) cycle \(snapshot.cycle)"
    }

    private func drawOverlay(_ screen: inout ScreenBuffer) {
        guard let overlay else { return }
        switch overlay {
        case .prompt: break
        case .help(let scroll):
            let entries = options.keymap.help()
            let lines =
                ["Key bindings (\(options.keymap.name) keymap); any other key closes"]
                + entries.map { entry in
                    let chords = entry.chords.map(\.description).joined(separator: ", ")
                    return chords.fitted(18) + " " + entry.summary + "  (" + entry.action + ")"
                }
            drawBox(&screen, lines: lines, scroll: scroll, selection: nil)
        case .palette(let query, let selection):
            let entries = paletteEntries(query)
            let lines =
                ["> \(query)"]
                + entries.map { entry in
                    entry.summary.fitted(44) + " " + (entry.chords.first?.description ?? "")
                }
            let scroll = max(0, selection - (size.rows - 8))
            drawBox(&screen, lines: lines, scroll: scroll, selection: selection)
        }
    }

    /// A centred box: the first line is its title, the rest scroll; `selection` highlights one of the rest.
    private func drawBox(_ screen: inout ScreenBuffer, lines: [String], scroll: Int, selection: Int?) {
        let width = min(size.columns - 4, max(40, (lines.map(\.count).max() ?? 40) + 2))
        let height = min(size.rows - 4, lines.count + 2)
        let top = max(1, (size.rows - height) / 2)
        let left = max(0, (size.columns - width) / 2)
        screen.fill(row: top, column: left, rows: height, columns: width, role: .dialog)
        screen.writePadded(" " + lines[0], row: top, column: left, width: width, role: .title)
        let body = Array(lines.dropFirst())
        for line in 0..<max(0, height - 2) {
            let index = scroll + line
            guard body.indices.contains(index) else { break }
            let role: ThemeRole = index == selection ? .menuSelected : .dialog
            screen.writePadded(" " + body[index], row: top + 1 + line, column: left, width: width, role: role)
        }
    }
}
