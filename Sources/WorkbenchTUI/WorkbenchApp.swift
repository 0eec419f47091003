import Foundation
import S7Compiler
import S7Diagnostics
import S7Model
import S7Runtime
public import Workbench

/// The terminal workbench: the project tree on the left, open documents (SCL editor, tag and watch tables, PLC
/// state, diagnostics) on the right, a message line and a status bar. It reacts to input events and draws frames;
/// `TerminalRunner` connects it to a real terminal, tests drive it with `InMemoryTerminal`.
///
/// Every change goes through the engine; the app keeps only view state (selection, scroll, open documents).
@MainActor
public final class WorkbenchApp {
    public struct Options: Sendable {
        public var keymap: Keymap
        public var glyphs: Glyphs
        /// Shown in the status bar: where the REST API listens.
        public var restURL: String?

        public init(keymap: Keymap = .default, glyphs: Glyphs = .unicode, restURL: String? = nil) {
            self.keymap = keymap
            self.glyphs = glyphs
            self.restURL = restURL
        }
    }

    enum Focus { case tree, document }

    /// A one-line input shown above the message line (find, go to line, operand, value, confirmation).
    struct Prompt {
        var title: String
        var text: String
        var onSubmit: @MainActor (String) async -> Void
        /// Tab completion: where the completed part of the text starts, and the candidates for it.
        var complete: (@MainActor (String) -> (start: String.Index, candidates: [String]))?
    }

    enum Overlay {
        case help(scroll: Int)
        case palette(query: String, selection: Int)
        case prompt(Prompt)
    }

    public let engine: Engine
    public var options: Options
    public private(set) var size: TerminalSize
    var project: Project?
    var tree: ProjectTree?
    var treeSelection = 0
    var treeScroll = 0
    var documents: [any Document] = []
    var activeDocument = 0
    var focus = Focus.tree
    var overlay: Overlay?
    public private(set) var message = ""
    var messageRole = ThemeRole.hint
    /// The last compile of each device, for the tree's error marks and the diagnostics list.
    var compilations: [String: CompilationResult] = [:]
    /// The engine's virtual PLCs by device, refreshed on every tick.
    var plcInstances: [String: PLCInstance] = [:]
    /// The devices online with a real PLC, and where it is (refreshed every tick).
    var plcEndpoints: [String: PLCEndpoint] = [:]
    var quitRequested = false
    var projectChanged = false
    /// Work running in the background (download, cycles), by id, with what the status bar says about it.
    var jobs: [Int: (title: String, task: Task<Void, Never>)] = [:]
    private var nextJob = 0
    /// Counts project reloads, so work that depends only on the project and the downloads is not redone per tick.
    var projectVersion = 0
    var comparedAt: [String] = []
    private var eventTask: Task<Void, Never>?

    public init(engine: Engine, size: TerminalSize, options: Options = Options()) {
        self.engine = engine
        self.size = size
        self.options = options
    }

    /// Loads the open project and starts following the engine's events (changes made through REST or MCP).
    public func start() async {
        await reloadProject()
        let events = engine.events()
        eventTask = Task { [weak self] in
            for await event in events {
                switch event {
                case .objectChanged, .projectSaved, .projectOpened: self?.projectChanged = true
                default: break
                }
            }
        }
        if project == nil { show("No project is open: start s7wb with a project folder", role: .diagnosticError) }
    }

    public func stop() {
        eventTask?.cancel()
    }

    /// Takes the terminal's size (before the first frame).
    public func resize(to newSize: TerminalSize) {
        size = newSize
    }

    func reloadProject() async {
        guard let project = try? await engine.project() else { return }
        self.project = project
        projectVersion += 1
        if tree == nil { tree = ProjectTree(project: project) } else { tree?.update(project: project) }
    }

    // MARK: Messages

    /// Shows a message on the message line until the next one.
    func show(_ text: String, role: ThemeRole = .hint) {
        message = text.replacingOccurrences(of: "\n", with: " ")
        messageRole = role
    }

    func fail(_ error: any Error) {
        let text = (error as? EngineError)?.message ?? "\(error)"
        show(text, role: .diagnosticError)
    }

    // MARK: Events

    /// Handles one event; returns false when the workbench should quit.
    public func handle(_ event: InputEvent) async -> Bool {
        switch event {
        case .resize(let newSize): size = newSize
        case .tick:
            if projectChanged {
                projectChanged = false
                await reloadProject()
            }
            if let instances = try? await engine.plcInstances() {
                plcInstances = Dictionary(instances.map { ($0.device, $0) }, uniquingKeysWith: { first, _ in first })
            }
            plcEndpoints = (try? await engine.plcEndpoints()) ?? [:]
            markDifferences()
            for document in documents { document.tick(app: self) }
        case .mouse(let mouse): handleMouse(mouse)
        case .key(let key): await handleKey(key)
        }
        return !quitRequested
    }

    func handleKey(_ key: KeyPress) async {
        let action = options.keymap.action(for: key)
        if overlay != nil {
            await handleOverlay(key, action: action)
            return
        }
        switch focus {
        case .tree:
            if await handleTree(key, action: action) { return }
        case .document:
            if let document = currentDocument, await document.handle(key: key, action: action, app: self) { return }
        }
        if let action { await perform(action) }
    }

    var currentDocument: (any Document)? {
        documents.indices.contains(activeDocument) ? documents[activeDocument] : nil
    }

    /// Runs a keymap action that no pane handled (also from the command palette).
    func perform(_ action: String) async {
        switch action {
        case "app.quit":
            let unsaved = documents.filter(\.hasUnsavedChanges).map(\.title)
            if unsaved.isEmpty {
                quitRequested = true
            } else {
                ask("Unsaved changes in \(unsaved.joined(separator: ", ")). Quit anyway? (y/n)") { app, answer in
                    if answer.lowercased().hasPrefix("y") { app.quitRequested = true }
                }
            }
        case "app.commandPalette": overlay = .palette(query: "", selection: 0)
        case "app.help": overlay = .help(scroll: 0)
        case "app.nextPane", "app.previousPane":
            focus = focus == .tree && currentDocument != nil ? .document : .tree
        case "app.cancel": focus = .tree
        case "app.nextDocument":
            if !documents.isEmpty {
                activeDocument = (activeDocument + 1) % documents.count
                focus = .document
            }
        case "app.closeDocument": closeCurrentDocument()
        case "tree.rename" where focus == .tree: askRename()
        case "tree.delete" where focus == .tree: askDelete()
        case "tree.filter":
            focus = .tree
            ask("Filter the tree:", initial: tree?.filter ?? "") { app, text in
                app.tree?.filter = text
                app.treeSelection = 0
                app.treeScroll = 0
            }
        case "build.compile", "build.compileAll": await compileDevice(openList: true)
        case "plc.download":
            let device = currentDevice
            runJob("Downloading to \(device ?? "the PLC")") { app in await app.download(device: device) }
        case "plc.run": await setMode(run: true)
        case "plc.stop": await setMode(run: false)
        case "plc.memoryReset":
            do {
                try await engine.memoryReset(device: currentDevice, actor: "tui")
                show("Memory reset: the CPU is in STOP with start values")
            } catch { fail(error) }
        case "plc.goOnline": await open(.online(device: currentDevice ?? ""))
        case "plc.connect": askConnectPLC()
        case "plc.timeMode": askTimeMode()
        case "plc.runCycles": askRunCycles()
        case "tree.newBlock": askNewObject()
        default:
            show("\(action) does nothing here")
        }
    }

    /// Asks for a line of text in a prompt; `onSubmit` runs when Enter is pressed.
    func ask(
        _ title: String, initial: String = "",
        complete: (@MainActor (String) -> (start: String.Index, candidates: [String]))? = nil,
        _ onSubmit: @escaping @MainActor (WorkbenchApp, String) async -> Void
    ) {
        overlay = .prompt(
            Prompt(
                title: title, text: initial,
                onSubmit: { [weak self] text in
                    guard let self else { return }
                    await onSubmit(self, text)
                }, complete: complete))
    }

    /// Runs work in the background as a job the status bar shows until it ends; the workbench keeps reacting.
    func runJob(_ title: String, _ work: @escaping @MainActor (WorkbenchApp) async -> Void) {
        nextJob += 1
        let id = nextJob
        let task = Task { [weak self] in
            guard let self else { return }
            await work(self)
            self.jobs.removeValue(forKey: id)
        }
        jobs[id] = (title, task)
    }

    /// Waits until every background job has ended (tests, and quitting cleanly).
    public func waitForJobs() async {
        while let job = jobs.values.first {
            await job.task.value
        }
    }

    func handleOverlay(_ key: KeyPress, action: String?) async {
        guard let overlay else { return }
        switch overlay {
        case .help(let scroll):
            switch action {
            case "nav.down": self.overlay = .help(scroll: scroll + 1)
            case "nav.up": self.overlay = .help(scroll: max(0, scroll - 1))
            case "nav.pageDown": self.overlay = .help(scroll: scroll + max(1, size.rows - 6))
            case "nav.pageUp": self.overlay = .help(scroll: max(0, scroll - max(1, size.rows - 6)))
            default: self.overlay = nil
            }
        case .palette(var query, var selection):
            let matches = paletteEntries(query)
            if key.key == .enter {
                self.overlay = nil
                if matches.indices.contains(selection) { await perform(matches[selection].action) }
                return
            }
            switch key.key {
            case .escape:
                self.overlay = nil
                return
            case .up: selection = max(0, selection - 1)
            case .down: selection = min(max(0, matches.count - 1), selection + 1)
            case .backspace:
                query = String(query.dropLast())
                selection = 0
            default:
                if let character = key.printable {
                    query.append(character)
                    selection = 0
                }
            }
            self.overlay = .palette(query: query, selection: selection)
        case .prompt(var prompt):
            switch key.key {
            case .escape: self.overlay = nil
            case .enter:
                self.overlay = nil
                await prompt.onSubmit(prompt.text)
            case .backspace:
                prompt.text = String(prompt.text.dropLast())
                self.overlay = .prompt(prompt)
            case .tab:
                guard let complete = prompt.complete else { return }
                let (start, candidates) = complete(prompt.text)
                let typed = String(prompt.text[start...])
                let common = OperandCompletion.commonPrefix(candidates)
                if common.count >= typed.count, !candidates.isEmpty {
                    prompt.text = String(prompt.text[..<start]) + common
                }
                show(
                    candidates.isEmpty
                        ? "no completion for \(typed)"
                        : candidates.count == 1 ? "" : candidates.prefix(12).joined(separator: "  "))
                self.overlay = .prompt(prompt)
            default:
                if let character = key.printable {
                    prompt.text.append(character)
                    self.overlay = .prompt(prompt)
                }
            }
        }
    }

    func paletteEntries(_ query: String) -> [Keymap.HelpEntry] {
        let needle = query.lowercased()
        return options.keymap.help().filter {
            needle.isEmpty || $0.summary.lowercased().contains(needle) || $0.action.lowercased().contains(needle)
        }
    }

    func handleMouse(_ mouse: MouseEvent) {
        let treeArea = layout().tree
        switch mouse.kind {
        case .press(.left):
            if treeArea.contains(row: mouse.row, column: mouse.column) {
                focus = .tree
                let rows = tree?.rows() ?? []
                let index = treeScroll + mouse.row - treeArea.row
                if rows.indices.contains(index) { treeSelection = index }
            } else if mouse.row == 0 {
                if let index = tabIndex(atColumn: mouse.column) {
                    activeDocument = index
                    focus = .document
                }
            } else if currentDocument != nil {
                focus = .document
            }
        case .wheelUp:
            if focus == .tree { treeSelection = max(0, treeSelection - 3) }
        case .wheelDown:
            if focus == .tree { treeSelection = min(max(0, (tree?.rows().count ?? 1) - 1), treeSelection + 3) }
        default: break
        }
    }

    // MARK: Tree

    func handleTree(_ key: KeyPress, action: String?) async -> Bool {
        guard var tree else { return false }
        let rows = tree.rows()
        guard !rows.isEmpty else { return false }
        treeSelection = min(treeSelection, rows.count - 1)
        let row = rows[treeSelection]
        switch action {
        case "nav.up": treeSelection = max(0, treeSelection - 1)
        case "nav.down": treeSelection = min(rows.count - 1, treeSelection + 1)
        case "nav.pageUp": treeSelection = max(0, treeSelection - treeHeight)
        case "nav.pageDown": treeSelection = min(rows.count - 1, treeSelection + treeHeight)
        case "nav.top": treeSelection = 0
        case "nav.bottom": treeSelection = rows.count - 1
        case "tree.expand", "nav.right":
            if row.isFolder { tree.expanded.insert(row.item) }
        case "tree.collapse", "nav.left":
            if row.isExpanded {
                tree.expanded.remove(row.item)
            } else if let parent = tree.parent(of: row.item), let index = rows.firstIndex(where: { $0.item == parent })
            {
                treeSelection = index
            }
        case "nav.select":
            if row.isFolder {
                if row.isExpanded { tree.expanded.remove(row.item) } else { tree.expanded.insert(row.item) }
            } else {
                self.tree = tree
                await open(row.item)
                return true
            }
        default:
            if key.printable == "/" {
                await perform("tree.filter")
                return true
            }
            return false
        }
        self.tree = tree
        return true
    }

    var treeHeight: Int { max(1, layout().tree.rows) }

    /// The device of the selected tree row or the active document, else the only PLC.
    var currentDevice: String? {
        if focus == .document, let item = currentDocument?.item, let device = Self.device(of: item) { return device }
        if let rows = tree?.rows(), rows.indices.contains(treeSelection),
            let device = Self.device(of: rows[treeSelection].item)
        {
            return device
        }
        return project?.devices.first { $0.kind == .plc }?.name
    }

    static func device(of item: TreeItem) -> String? {
        switch item {
        case .project: nil
        case .device(let device), .online(let device): device
        case .folder(let device, _), .block(let device, _), .tagTable(let device, _), .dataType(let device, _),
            .watchTable(let device, _):
            device
        }
    }

    // MARK: Documents

    /// Opens the document of a tree item (or shows it if it is open).
    func open(_ item: TreeItem) async {
        if let index = documents.firstIndex(where: { $0.item == item }) {
            activeDocument = index
            focus = .document
            return
        }
        let document: (any Document)?
        switch item {
        case .block(let device, let name):
            do {
                let block = try await engine.block(name, device: device)
                document = EditorDocument(block: block, device: device, app: self)
            } catch {
                fail(error)
                return
            }
        case .dataType(let device, let name):
            do {
                let type = try await engine.dataType(name, device: device)
                document = TextViewDocument(
                    item: item, title: name,
                    lines: type.sourceText?.components(separatedBy: "\n") ?? Self.describe(type))
            } catch {
                fail(error)
                return
            }
        case .tagTable(let device, let name):
            do {
                document = TagTableDocument(table: try await engine.tagTable(name, device: device), device: device)
            } catch {
                fail(error)
                return
            }
        case .watchTable(let device, let name):
            do {
                document = WatchTableDocument(table: try await engine.watchTable(name, device: device), device: device)
            } catch {
                fail(error)
                return
            }
        case .online(let device):
            do {
                let instance = try await engine.plcInstance(device: device.isEmpty ? nil : device)
                document = PLCStateDocument(instance: instance)
            } catch {
                fail(error)
                return
            }
        default: document = nil
        }
        guard let document else { return }
        documents.append(document)
        activeDocument = documents.count - 1
        focus = .document
    }

    func closeCurrentDocument() {
        guard let document = currentDocument else { return }
        if document.hasUnsavedChanges {
            ask("\(document.title) has unsaved changes. Close anyway? (y/n)") { app, answer in
                guard answer.lowercased().hasPrefix("y") else { return }
                app.removeDocument(document)
            }
            return
        }
        removeDocument(document)
    }

    func removeDocument(_ document: any Document) {
        documents.removeAll { $0 === document }
        activeDocument = max(0, min(activeDocument, documents.count - 1))
        if documents.isEmpty { focus = .tree }
    }

    static func describe(_ type: PlcDataType) -> [String] {
        ["TYPE \"\(type.name)\"", "STRUCT"] + type.members.map { "    \($0.name) : \($0.dataType);" } + [
            "END_STRUCT;", "END_TYPE",
        ]
    }

    // MARK: Build and PLC

    /// Compiles the current device; marks blocks with errors in the tree and (with `openList`) shows the list.
    @discardableResult
    func compileDevice(openList: Bool) async -> CompilationResult? {
        do {
            let (device, result) = try await engine.compile(device: currentDevice)
            record(result, device: device.name)
            show(
                "\(device.name): compiled \(result.program.blocks.count) blocks, \(result.errorCount) errors, "
                    + "\(result.warningCount) warnings",
                role: result.errorCount > 0 ? .diagnosticError : .hint)
            if openList && !result.diagnostics.isEmpty { showDiagnostics(device: device.name) }
            return result
        } catch {
            fail(error)
            return nil
        }
    }

    func record(_ result: CompilationResult, device: String) {
        compilations[device] = result
        var broken: Set<String> = Set(result.skippedBlocks)
        for diagnostic in result.diagnostics where diagnostic.severity == .error {
            if let block = project?.devices.first(where: { $0.name == device })?.blocks.first(where: {
                $0.file.path == diagnostic.range.path
            }) {
                broken.insert(block.name)
            }
        }
        tree?.blocksWithErrors = broken
        for case let editor as EditorDocument in documents where editor.device == device { editor.apply(result) }
    }

    func showDiagnostics(device: String) {
        guard let result = compilations[device] else { return }
        let document = DiagnosticsDocument(device: device, result: result)
        if let index = documents.firstIndex(where: { $0.item == document.item }) {
            documents[index] = document
            activeDocument = index
        } else {
            documents.append(document)
            activeDocument = documents.count - 1
        }
        focus = .document
    }

    /// Opens a block's editor at a source line (from the diagnostics list).
    func openBlock(path: String, device: String, line: Int, column: Int) async {
        guard
            let block = project?.devices.first(where: { $0.name == device })?.blocks.first(where: {
                $0.file.path == path
            })
        else {
            show("no block is read from \(path)", role: .diagnosticError)
            return
        }
        await open(.block(device: device, name: block.name))
        (currentDocument as? EditorDocument)?.goTo(line: line - 1, column: column - 1)
    }

    func download(device: String?) async {
        do {
            let report = try await engine.download(device: device, actor: "tui")
            plcInstances[report.device] = try await engine.plcInstance(device: report.device)
            record(report.result, device: report.device)
            show(
                "Downloaded \(report.loadedBlocks) blocks and \(report.dataBlocks) DBs to \(report.device)"
                    + (report.result.errorCount > 0 ? " (\(report.result.errorCount) errors left out blocks)" : "")
                    + (report.restarted ? "; back in RUN" : "; CPU in STOP (ctrl+e starts it)"),
                role: report.result.errorCount > 0 ? .diagnosticWarning : .hint)
        } catch { fail(error) }
    }

    func setMode(run: Bool) async {
        do {
            let mode = try await engine.setPLCMode(run: run, device: currentDevice, actor: "tui")
            show("\(currentDevice ?? "PLC"): \(Self.describe(mode))")
        } catch { fail(error) }
    }

    /// Adds an operand to the session's watch table of a device (opening it), as TIA's "Add to watch table".
    public func addToWatch(operand: String, device: String) async {
        let item = TreeItem.watchTable(device: device, name: "Session watch")
        let table: WatchTableDocument
        if let open = documents.first(where: { $0.item == item }) as? WatchTableDocument {
            table = open
        } else {
            table = WatchTableDocument(name: "Session watch", device: device)
            documents.append(table)
        }
        table.add(operand)
        table.tick(app: self)
        activeDocument = documents.firstIndex { $0 === table } ?? activeDocument
        focus = .document
        show("\(operand) added to the session watch table")
    }

    static func describe(_ mode: CPUModeStateMachine.State) -> String {
        switch mode {
        case .run: "RUN"
        case .startup: "STARTUP"
        case .stop(let cause): cause == .requested || cause == .initial ? "STOP" : "STOP (\(cause.rawValue))"
        }
    }
}
