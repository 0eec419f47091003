import Foundation
import S7Compiler
import S7Diagnostics
import S7Model
import S7Runtime
import SCLSyntax
import SimaticML
import Workbench

/// The SCL block editor: line numbers, syntax colours, a gutter with the last compile's diagnostics, undo/redo,
/// find and replace, go to line, auto-indent, matching IF/END_IF and brackets, completion with Tab, and monitoring
/// (F4: live values of the operands on each visible line, read from the virtual PLC).
///
/// Blocks that are not SCL sources (SimaticML LAD/FBD, DBs from XML) open read-only.
@MainActor
final class EditorDocument: Document {
    let item: TreeItem
    let device: String
    let blockName: String
    /// The block's file in the project, as diagnostics name it.
    let path: String
    let readOnly: Bool
    var buffer: TextBuffer {
        // Only edits change the comment state lines start in (an unchanged array compares by identity).
        didSet { if oldValue.lines != buffer.lines { lineStates = [] } }
    }
    /// The highlighter's state at the start of each line, computed once per text (not per frame).
    private var lineStates: [SCLHighlighter.State] = []
    var scroll = 0
    var horizontalScroll = 0
    /// Diagnostics of the last compile in this file, by zero-based line.
    var diagnostics: [Int: [Diagnostic]] = [:]
    var monitoring = false
    /// Live values by line while monitoring: `name=value` texts.
    var monitorValues: [Int: String] = [:]
    var lastFind = ""
    var completionWords: [String]
    private var instanceDB: String?
    /// For a data block: the member each declaration line declares (`"DB".a.b`), for its actual value.
    private var declaredMembers: [Int: String] = [:]
    private var highlighter = SCLHighlighter()

    init(block: Block, device: String, app: WorkbenchApp) {
        item = .block(device: device, name: block.name)
        self.device = device
        blockName = block.name
        path = block.file.path
        readOnly = block.sourceText == nil || block.file.format == .simaticML
        let text = block.sourceText ?? Self.readOnlyText(block)
        buffer = TextBuffer(text: text)
        var words = block.interface.allMembers.map { "#" + $0.name }
        if let project = app.project, let plc = project.devices.first(where: { $0.name == device }) {
            words += plc.tagTables.flatMap { $0.tags.map { "\"\($0.name)\"" } + $0.constants.map { "\"\($0.name)\"" } }
            words += plc.blocks.map { "\"\($0.name)\"" } + plc.dataTypes.map { "\"\($0.name)\"" }
            instanceDB = plc.blocks.first { $0.kind == .instanceDB && $0.instanceOf == block.name }?.name
        }
        completionWords = words + Self.instructionNames
        if block.kind == .globalDB, block.sourceText != nil {
            declaredMembers = Self.declaredMembers(in: buffer.lines, dataBlock: block.name)
        }
        if let result = app.compilations[device] { apply(result) }
    }

    static let instructionNames = [
        "ABS", "ACOS", "ASIN", "ATAN", "CEIL", "CONCAT", "COS", "CTD", "CTU", "CTUD", "DELETE", "EXP", "EXPT",
        "FILL_BLK",
        "FIND", "FLOOR", "FRAC", "F_TRIG", "INSERT", "LEFT", "LEN", "LIMIT", "LN", "MAX", "MID", "MIN", "MOVE_BLK",
        "MUX", "NORM_X", "RD_LOC_T", "RD_SYS_T", "REPLACE", "RIGHT", "ROL", "ROR", "ROUND", "RUNTIME", "R_TRIG",
        "SCALE_X", "SEL", "SHL", "SHR", "SIN", "SQR", "SQRT", "STRG_VAL", "SWAP", "S_CONV", "TAN", "TOF", "TON", "TONR",
        "TP", "TRUNC", "T_ADD", "T_COMBINE", "T_DIFF", "T_SUB", "VAL_STRG",
    ]

    /// A block without an SCL source: its interface, then each network (LAD/FBD as a text ladder).
    static func readOnlyText(_ block: Block) -> String {
        var text =
            "// \(block.name) [\(block.displayNumber)] is a \(block.language.rawValue) block; it is shown read-only"
            + (block.networks.isEmpty ? ".\n" : " and runs in the virtual PLC (F4: live values beside its operands).\n")
            + interfaceText(block)
        for (index, network) in block.networks.enumerated() {
            text += "\n\n" + LadderRenderer.render(network: network, number: index + 1).joined(separator: "\n")
        }
        return text
    }

    static func interfaceText(_ block: Block) -> String {
        block.interface.sections.map { section in
            "// \(section.kind.rawValue)\n"
                + section.members.map { member in
                    "//   \(member.name) : \(member.dataType)" + (member.startValue.map { " := \($0)" } ?? "")
                }.joined(separator: "\n")
        }.joined(separator: "\n")
    }

    var title: String { blockName }
    var hasUnsavedChanges: Bool { buffer.isModified }

    /// Takes the diagnostics of a compile that belong to this block's file.
    func apply(_ result: CompilationResult) {
        diagnostics = [:]
        for diagnostic in result.diagnostics where diagnostic.range.path == path {
            guard let file = result.files[diagnostic.range.path] else { continue }
            let line = file.location(of: diagnostic.range.start).line - 1
            diagnostics[line, default: []].append(diagnostic)
        }
    }

    func goTo(line: Int, column: Int) {
        buffer.goTo(line: line, column: column)
    }

    // MARK: Keys

    func handle(key: KeyPress, action: String?, app: WorkbenchApp) async -> Bool {
        if let character = key.printable, !readOnly {
            buffer.insert(String(character))
            return true
        }
        let rows = app.layout().document.rows - 1
        switch key.key {
        case .left where key.modifiers.contains(.ctrl):
            buffer.moveWordLeft(extendSelection: key.modifiers.contains(.shift))
        case .right where key.modifiers.contains(.ctrl):
            buffer.moveWordRight(extendSelection: key.modifiers.contains(.shift))
        case .left: buffer.moveLeft(extendSelection: key.modifiers.contains(.shift))
        case .right: buffer.moveRight(extendSelection: key.modifiers.contains(.shift))
        case .up: buffer.moveUp(extendSelection: key.modifiers.contains(.shift))
        case .down: buffer.moveDown(extendSelection: key.modifiers.contains(.shift))
        case .home: buffer.moveToLineStart(extendSelection: key.modifiers.contains(.shift))
        case .end: buffer.moveToLineEnd(extendSelection: key.modifiers.contains(.shift))
        case .pageUp: buffer.pageUp(rows)
        case .pageDown: buffer.pageDown(rows)
        case .enter where !readOnly && key.modifiers.isEmpty: buffer.insertNewline()
        case .backspace where !readOnly: buffer.deleteBackward()
        case .delete where !readOnly && key.modifiers.isEmpty: buffer.deleteForward()
        case .tab where !readOnly && key.modifiers.isEmpty: complete(app: app)
        default:
            return await perform(action, app: app)
        }
        return true
    }

    private func perform(_ action: String?, app: WorkbenchApp) async -> Bool {
        switch action {
        case "editor.save": await save(app: app)
        case "editor.undo": if !buffer.undo() { app.show("nothing to undo") }
        case "editor.redo": if !buffer.redo() { app.show("nothing to redo") }
        case "editor.find":
            app.ask("Find:", initial: lastFind) { app, needle in
                guard !needle.isEmpty else { return }
                self.lastFind = needle
                if !self.buffer.find(needle) { app.show("'\(needle)' not found", role: .diagnosticWarning) }
            }
        case "editor.replace" where !readOnly:
            app.ask("Replace:", initial: lastFind) { app, needle in
                guard !needle.isEmpty else { return }
                app.ask("Replace '\(needle)' with:") { app, replacement in
                    let count = self.buffer.replaceAll(needle, with: replacement)
                    app.show("\(count) replaced")
                }
            }
        case "editor.gotoLine":
            app.ask("Go to line:") { app, text in
                guard let line = Int(text.trimmingCharacters(in: .whitespaces)) else {
                    app.show("not a line number: \(text)", role: .diagnosticError)
                    return
                }
                self.buffer.goTo(line: line - 1, column: 0)
            }
        case "editor.matchPair":
            if let partner = buffer.matchingPair() {
                buffer.goTo(line: partner.line, column: partner.column)
            } else {
                app.show("no matching IF/END_IF, loop or bracket here")
            }
        case "editor.format" where !readOnly: format(app: app)
        case "editor.deleteLine" where !readOnly: buffer.deleteLine()
        case "watch.toggleMonitor":
            monitoring.toggle()
            monitorValues = [:]
            if monitoring { tick(app: app) }
            app.show(monitoring ? "Monitoring on: live values at the right of each line" : "Monitoring off")
        case "diagnostics.next", "diagnostics.previous":
            let lines = diagnostics.keys.sorted()
            let current = buffer.cursor.line
            let target =
                action == "diagnostics.next"
                ? lines.first { $0 > current } ?? lines.first
                : lines.last { $0 < current } ?? lines.last
            if let target {
                buffer.goTo(line: target, column: 0)
            } else {
                app.show("no diagnostics in this block")
            }
        default: return false
        }
        return true
    }

    private func complete(app: WorkbenchApp) {
        let before = String(buffer.lines[buffer.cursor.line].prefix(buffer.cursor.column))
        if OperandCompletion.memberDot(in: before) != nil, let plc = app.project?.device(named: device) {
            // After a dot: the members of what the path before it names.
            let (start, candidates) = OperandCompletion(device: plc, block: plc.block(named: blockName)).complete(
                before)
            let typed = String(before[start...])
            offer(candidates, typed: typed, from: before.distance(from: before.startIndex, to: start), app: app)
            return
        }
        let (word, start) = buffer.wordBeforeCursor()
        guard !word.isEmpty else {
            buffer.insertTab()
            return
        }
        offer(
            completionWords.filter { $0.lowercased().hasPrefix(word.lowercased()) }, typed: word, from: start, app: app)
    }

    /// Completes to the longest common prefix of the candidates and lists them when there are several.
    private func offer(_ candidates: [String], typed: String, from start: Int, app: WorkbenchApp) {
        guard !candidates.isEmpty else {
            app.show(typed.isEmpty ? "nothing to complete here" : "no completion for \(typed)")
            return
        }
        let common = OperandCompletion.commonPrefix(candidates)
        if common.count > typed.count || (common.count == typed.count && common != typed) {
            buffer.complete(from: start, with: common)
        }
        app.show(candidates.count == 1 ? "" : candidates.prefix(12).joined(separator: "  "))
    }

    private func format(app: WorkbenchApp) {
        let result = SCLParser.parse(SourceFile(path: blockName, text: buffer.text))
        guard result.diagnostics.allSatisfy({ $0.severity != .error }) else {
            app.show("the source has syntax errors; fix them before formatting", role: .diagnosticError)
            return
        }
        buffer.replaceAll(with: SCLFormatter.format(result))
        app.show("formatted")
    }

    func save(app: WorkbenchApp) async {
        guard !readOnly else {
            app.show("\(blockName) is read-only here (not an SCL source)", role: .diagnosticWarning)
            return
        }
        do {
            try await app.engine.updateBlockSource(blockName, device: device, source: buffer.text, actor: "tui")
            _ = try await app.engine.save(actor: "tui")
            buffer.markSaved()
        } catch {
            app.fail(error)
            return
        }
        app.projectChanged = true
        guard let result = await app.compileDevice(openList: false) else { return }
        let mine = diagnostics.values.flatMap { $0 }
        let errors = mine.filter { $0.severity == .error }.count
        if errors > 0, let first = diagnostics.keys.sorted().first, let diagnostic = diagnostics[first]?.first {
            app.show(
                "Saved; \(errors) error(s): line \(first + 1): \(diagnostic.message)", role: .diagnosticError)
        } else {
            app.show("Saved \(blockName); the device compiles with \(result.errorCount) errors")
        }
    }

    // MARK: Live values

    func tick(app: WorkbenchApp) {
        guard monitoring, let instance = app.plcInstances[device] else { return }
        let snapshot = instance.snapshot()
        monitorValues = [:]
        let first = scroll
        let last = min(buffer.lines.count, scroll + app.layout().document.rows)
        for line in first..<last {
            var texts: [String] = []
            if let member = declaredMembers[line], let value = try? instance.read(member, in: snapshot) {
                // A data block's declaration: its start value is in the text, the actual value beside it.
                texts.append("actual \(value.format())")
            }
            for operand in SCLHighlighter.operands(in: buffer.lines[line]) {
                let name: String
                if operand.hasPrefix("#") {
                    guard let instanceDB else { continue }
                    name = "\"\(instanceDB)\"." + operand.dropFirst()
                } else {
                    name = operand
                }
                guard let value = try? instance.read(name, in: snapshot) else { continue }
                texts.append("\(operand)=\(value.format())")
            }
            if !texts.isEmpty { monitorValues[line] = texts.joined(separator: " ") }
        }
    }

    /// The members a data block's source declares, by line: `Speed : Int := 5;` inside `STRUCT`s and `VAR` before
    /// `BEGIN`, as the path the PLC knows them by.
    static func declaredMembers(in lines: [String], dataBlock name: String) -> [Int: String] {
        var result: [Int: String] = [:]
        var path: [String] = []
        var inDeclarations = false
        for (index, line) in lines.enumerated() {
            let code = line.components(separatedBy: "//")[0].trimmingCharacters(in: .whitespaces)
            let upper = code.uppercased()
            if upper.hasPrefix("BEGIN") { break }
            if upper.hasPrefix("VAR") || upper.hasPrefix("STRUCT") {
                inDeclarations = true
                continue
            }
            if upper.hasPrefix("END_STRUCT") {
                if !path.isEmpty { path.removeLast() }
                continue
            }
            guard inDeclarations, let colon = code.firstIndex(of: ":") else { continue }
            var member = code[..<colon].trimmingCharacters(in: .whitespaces)
            if let brace = member.firstIndex(of: "{") { member = member[..<brace].trimmingCharacters(in: .whitespaces) }
            guard !member.isEmpty, !member.contains(" ") else { continue }
            let type = code[code.index(after: colon)...].trimmingCharacters(in: .whitespaces).uppercased()
            if type.hasPrefix("STRUCT") {
                path.append(member)
                continue
            }
            result[index] = (["\"\(name)\""] + path + [member]).joined(separator: ".")
        }
        return result
    }

    // MARK: Drawing

    func draw(into screen: inout ScreenBuffer, area: Rect, context: DrawContext) {
        guard area.rows > 1 else { return }
        let textRows = area.rows - 1
        let cursor = buffer.cursor
        if cursor.line < scroll { scroll = cursor.line }
        if cursor.line >= scroll + textRows { scroll = cursor.line - textRows + 1 }
        let gutter = max(4, String(buffer.lines.count).count + 1) + 2
        let textWidth = max(1, area.columns - gutter)
        if cursor.column < horizontalScroll { horizontalScroll = cursor.column }
        if cursor.column >= horizontalScroll + textWidth - 1 { horizontalScroll = cursor.column - textWidth + 2 }
        let selection = selectionRange()
        let pair = context.focused ? buffer.matchingPair() : nil
        if lineStates.count != buffer.lines.count { lineStates = highlighter.states(of: buffer.lines) }
        var state = lineStates[min(scroll, lineStates.count - 1)]
        for offset in 0..<textRows {
            let line = scroll + offset
            let row = area.row + offset
            guard line < buffer.lines.count else {
                screen.fill(row: row, column: area.column, rows: 1, columns: area.columns, role: .normal)
                continue
            }
            let number = String(line + 1)
            let mark = diagnostics[line].map { list in
                list.contains { $0.severity == .error } ? context.glyphs.error : "w"
            }
            let markRole: ThemeRole =
                diagnostics[line]?.contains { $0.severity == .error } == true ? .diagnosticError : .diagnosticWarning
            screen.writePadded(
                String(repeating: " ", count: gutter - 2 - number.count) + number, row: row, column: area.column,
                width: gutter - 2, role: .lineNumber)
            screen.writePadded(mark ?? " ", row: row, column: area.column + gutter - 2, width: 2, role: markRole)
            let characters = Array(buffer.lines[line])
            let roles = highlighter.roles(for: characters, state: &state)
            let isCursorLine = line == cursor.line && context.focused
            let base: ThemeRole = isCursorLine ? .cursorLine : .normal
            screen.fill(row: row, column: area.column + gutter, rows: 1, columns: textWidth, role: base)
            var x = 0
            var column = horizontalScroll
            while column < characters.count && x < textWidth {
                var role = roles[column] == .normal ? base : roles[column]
                if let selection, selection.contains(TextPosition(line: line, column: column)) { role = .selection }
                if let pair, pair.line == line, pair.column == column { role = .searchMatch }
                x += screen.write(String(characters[column]), row: row, column: area.column + gutter + x, role: role)
                column += 1
            }
            if isCursorLine {
                let cursorX = cursor.column - horizontalScroll
                if cursorX >= 0 && cursorX < textWidth {
                    let under = cursor.column < characters.count ? String(characters[cursor.column]) : " "
                    screen.write(under, row: row, column: area.column + gutter + cursorX, role: .selection)
                }
            }
            if monitoring, let values = monitorValues[line] {
                let start = max(characters.count - horizontalScroll + 2, textWidth / 2)
                if start < textWidth {
                    screen.write(
                        values, row: row, column: area.column + gutter + start, role: .changedValue,
                        maxWidth: textWidth - start)
                }
            }
        }
        drawStatusLine(&screen, row: area.row + area.rows - 1, area: area)
    }

    private func drawStatusLine(_ screen: inout ScreenBuffer, row: Int, area: Rect) {
        let cursor = buffer.cursor
        var text = " \(blockName)  Ln \(cursor.line + 1), Col \(cursor.column + 1)"
        if readOnly { text += "  read-only" }
        if monitoring { text += "  MONITOR" }
        if buffer.isModified { text += "  modified" }
        if let here = diagnostics[cursor.line]?.first {
            text += "  \(here.severity == .error ? "error" : "warning")[\(here.code.rawValue)]: \(here.message)"
        }
        screen.writePadded(
            text, row: row, column: area.column, width: area.columns,
            role: diagnostics[cursor.line] != nil ? .diagnosticError : .statusBar)
    }

    private func selectionRange() -> ClosedRange<TextPosition>? {
        guard let anchor = buffer.selectionAnchor, anchor != buffer.cursor else { return nil }
        let low = min(anchor, buffer.cursor)
        let high = max(anchor, buffer.cursor)
        return low...TextPosition(line: high.line, column: high.column - 1)
    }
}

/// Colours SCL line by line: keywords, comments (`//`, `(* *)` and `/* */` across lines), strings, numbers,
/// `#locals` and `"globals"`.
struct SCLHighlighter {
    /// Whether a line starts inside a block comment, and which closer ends it.
    struct State {
        var closer: String?
    }

    /// The state at the start of every line.
    func states(of lines: [String]) -> [State] {
        var state = State()
        var states: [State] = []
        states.reserveCapacity(lines.count)
        for line in lines {
            states.append(state)
            _ = roles(for: Array(line), state: &state)
        }
        return states
    }

    func roles(for characters: [Character], state: inout State) -> [ThemeRole] {
        var roles = [ThemeRole](repeating: .normal, count: characters.count)
        var index = 0
        func starts(_ text: String, at position: Int) -> Bool {
            let pattern = Array(text)
            guard position + pattern.count <= characters.count else { return false }
            return Array(characters[position..<position + pattern.count]) == pattern
        }
        while index < characters.count {
            if let closer = state.closer {
                while index < characters.count && !starts(closer, at: index) {
                    roles[index] = .comment
                    index += 1
                }
                if index < characters.count {
                    for offset in 0..<closer.count { roles[index + offset] = .comment }
                    index += closer.count
                    state.closer = nil
                }
                continue
            }
            let character = characters[index]
            if starts("//", at: index) {
                for position in index..<characters.count { roles[position] = .comment }
                break
            }
            if starts("(*", at: index) || starts("/*", at: index) {
                state.closer = starts("(*", at: index) ? "*)" : "*/"
                roles[index] = .comment
                roles[index + 1] = .comment
                index += 2
                continue
            }
            if character == "'" || character == "\"" {
                let start = index
                index += 1
                while index < characters.count && characters[index] != character { index += 1 }
                index = min(characters.count, index + 1)
                let role: ThemeRole = character == "'" ? .string : .identifier
                for position in start..<index { roles[position] = role }
                continue
            }
            if character.isLetter || character == "_" || character == "#" {
                let start = index
                index += 1
                while index < characters.count
                    && (characters[index].isLetter || characters[index].isNumber || characters[index] == "_")
                {
                    index += 1
                }
                // Typed literals: T#5s, 16#FF, LT#1d.
                if index < characters.count, characters[index] == "#", character != "#" {
                    index += 1
                    while index < characters.count
                        && (characters[index].isLetter || characters[index].isNumber
                            || "_:.-".contains(characters[index]))
                    {
                        index += 1
                    }
                    for position in start..<index { roles[position] = .number }
                    continue
                }
                let word = String(characters[start..<index])
                let role: ThemeRole =
                    character == "#" ? .identifier : Keyword(rawValue: word.uppercased()) != nil ? .keyword : .normal
                for position in start..<index { roles[position] = role }
                continue
            }
            if character.isNumber {
                let start = index
                while index < characters.count
                    && (characters[index].isNumber || characters[index] == "." || characters[index] == "_"
                        || characters[index] == "#" || characters[index].isHexDigit)
                {
                    index += 1
                }
                for position in start..<index { roles[position] = .number }
                continue
            }
            if ":=<>+-*/&".contains(character) { roles[index] = .operator }
            index += 1
        }
        return roles
    }

    /// The operands a line reads or writes, for monitoring: `#local`, `#inst.member`, `"Tag"`, `"DB".member.x`
    /// (array indexes with constant numbers kept); outside comments and strings.
    static func operands(in line: String) -> [String] {
        let characters = Array(line)
        var result: [String] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == "/" && index + 1 < characters.count && characters[index + 1] == "/" { break }
            if character == "'" {
                index += 1
                while index < characters.count && characters[index] != "'" { index += 1 }
                index += 1
                continue
            }
            guard character == "#" || character == "\"" else {
                index += 1
                continue
            }
            let start = index
            if character == "\"" {
                index += 1
                while index < characters.count && characters[index] != "\"" { index += 1 }
                index += 1
            } else {
                index += 1
                while index < characters.count
                    && (characters[index].isLetter || characters[index].isNumber || characters[index] == "_")
                {
                    index += 1
                }
            }
            // Members and constant indexes: .name, ."quoted", [3]
            while index < characters.count {
                if characters[index] == ".", index + 1 < characters.count,
                    characters[index + 1].isLetter || characters[index + 1] == "_"
                {
                    index += 1
                    while index < characters.count
                        && (characters[index].isLetter || characters[index].isNumber || characters[index] == "_")
                    {
                        index += 1
                    }
                } else if characters[index] == "[" {
                    var end = index + 1
                    while end < characters.count && (characters[end].isNumber || characters[end] == ",") { end += 1 }
                    guard end < characters.count, characters[end] == "]", end > index + 1 else { break }
                    index = end + 1
                } else {
                    break
                }
            }
            let operand = String(characters[start..<min(index, characters.count)])
            if operand.count > 1, !result.contains(operand) { result.append(operand) }
        }
        return result
    }
}
