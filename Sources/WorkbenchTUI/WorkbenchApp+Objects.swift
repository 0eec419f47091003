import Foundation
import S7Model
import S7Runtime
import Workbench

/// Creating, renaming and deleting project objects from the tree; time mode and stepped cycles of the virtual PLC;
/// the online/offline marks.
extension WorkbenchApp {
    // MARK: Tree objects

    /// The row the tree has selected.
    var selectedTreeItem: TreeItem? {
        guard let rows = tree?.rows(), rows.indices.contains(treeSelection) else { return nil }
        return rows[treeSelection].item
    }

    /// The label of the selected tree row (tests and the status bar).
    public var selectedTreeLabel: String? {
        guard let rows = tree?.rows(), rows.indices.contains(treeSelection) else { return nil }
        return rows[treeSelection].label
    }

    /// Asks what to add (with a default from the selected folder) and its name, creates it, saves and opens it.
    func askNewObject() {
        guard let device = currentDevice else {
            show("no PLC to add to", role: .diagnosticError)
            return
        }
        let (template, group) = newObjectDefaults(device: device)
        let kinds = ObjectTemplate.allCases.map(\.rawValue).joined(separator: ", ")
        ask("Add new (\(kinds)):", initial: template.rawValue) { app, answer in
            guard
                let chosen = ObjectTemplate.allCases.first(where: {
                    $0.rawValue.caseInsensitiveEquals(answer.trimmingCharacters(in: .whitespaces))
                })
            else {
                app.show("'\(answer)' is none of \(kinds)", role: .diagnosticError)
                return
            }
            app.ask("Name of the new \(chosen.title):") { app, name in
                await app.createObject(chosen, name: name, device: device, group: group)
            }
        }
    }

    func createObject(_ template: ObjectTemplate, name: String, device: String, group: [String]) async {
        do {
            let path = try await engine.create(template, named: name, device: device, group: group, actor: "tui")
            try await engine.save(actor: "tui")
            await reloadProject()
            let item: TreeItem
            switch template {
            case .organizationBlock, .functionBlock, .function, .dataBlock: item = .block(device: device, name: name)
            case .dataType: item = .dataType(device: device, name: name)
            case .tagTable: item = .tagTable(device: device, name: name)
            case .watchTable, .forceTable: item = .watchTable(device: device, name: name)
            }
            reveal(item)
            await open(item)
            show("Created \(template.title) \(name) in \(path)")
        } catch { fail(error) }
    }

    /// What the selected folder suggests: a tag table under "PLC tags", a block in the selected block group…
    private func newObjectDefaults(device: String) -> (ObjectTemplate, [String]) {
        switch selectedTreeItem {
        case .folder(_, let path) where path.first == "PLC tags": return (.tagTable, [])
        case .folder(_, let path) where path.first == "PLC data types": return (.dataType, [])
        case .folder(_, let path) where path.first == "Watch and force tables": return (.watchTable, [])
        case .folder(_, let path) where path.first == "Program blocks": return (.functionBlock, Array(path.dropFirst()))
        case .tagTable: return (.tagTable, [])
        case .dataType: return (.dataType, [])
        case .watchTable: return (.watchTable, [])
        case .block(let device, let name):
            return (.functionBlock, project?.device(named: device)?.block(named: name)?.group ?? [])
        default: return (.functionBlock, [])
        }
    }

    /// The project object a tree row stands for, if it can be renamed or deleted.
    static func objectReference(_ item: TreeItem) -> (device: String, object: ObjectReference)? {
        switch item {
        case .block(let device, let name): (device, .block(name))
        case .dataType(let device, let name): (device, .dataType(name))
        case .tagTable(let device, let name): (device, .tagTable(name))
        case .watchTable(let device, let name): (device, .watchTable(name))
        default: nil
        }
    }

    func askRename() {
        guard let item = selectedTreeItem, let (device, object) = Self.objectReference(item) else {
            show("select a block, data type or table to rename")
            return
        }
        ask("Rename \(object.name) to:", initial: object.name) { app, name in
            let newName = name.trimmingCharacters(in: .whitespaces)
            do {
                try await app.engine.rename(object, to: newName, device: device, actor: "tui")
                try await app.engine.save(actor: "tui")
                app.documents.removeAll { $0.item == item }
                app.activeDocument = max(0, min(app.activeDocument, app.documents.count - 1))
                await app.reloadProject()
                switch object {
                case .block: app.reveal(.block(device: device, name: newName))
                case .dataType: app.reveal(.dataType(device: device, name: newName))
                case .tagTable: app.reveal(.tagTable(device: device, name: newName))
                case .watchTable: app.reveal(.watchTable(device: device, name: newName))
                }
                app.show(
                    "Renamed \(object.name) to \(newName)"
                        + (object.kind == "block" ? "; uses of the old name are left for the compiler to list" : ""))
            } catch { app.fail(error) }
        }
    }

    func askDelete() {
        guard let item = selectedTreeItem, let (device, object) = Self.objectReference(item) else {
            show("select a block, data type or table to delete")
            return
        }
        ask("Delete \(object.name)? A snapshot keeps its content. (y/n)") { app, answer in
            guard answer.lowercased().hasPrefix("y") else { return }
            do {
                try await app.engine.delete(object, device: device, actor: "tui")
                try await app.engine.save(actor: "tui")
                app.documents.removeAll { $0.item == item }
                app.activeDocument = max(0, min(app.activeDocument, app.documents.count - 1))
                await app.reloadProject()
                app.show("Deleted \(object.name)")
            } catch { app.fail(error) }
        }
    }

    /// Expands the folders above `item` and selects it.
    func reveal(_ item: TreeItem) {
        guard var tree else { return }
        var parent = tree.parent(of: item)
        while let folder = parent {
            tree.expanded.insert(folder)
            parent = tree.parent(of: folder)
        }
        tree.filter = ""
        self.tree = tree
        if let index = tree.rows().firstIndex(where: { $0.item == item }) { treeSelection = index }
    }

    // MARK: Time

    /// `real`, `stepped`, `x2`, `scaled 0.5`, or a bare factor.
    static func parseTimeMode(_ text: String) -> VirtualClock.Mode? {
        let words = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "×" }).map(String.init)
        guard let first = words.first else { return nil }
        switch first {
        case "real", "realtime", "real-time": return .realTime
        case "stepped", "step": return .stepped
        default:
            var number = words.count > 1 && first == "scaled" ? words[1] : first
            if number.hasPrefix("x") { number.removeFirst() }
            guard let factor = Double(number), (0.1...100).contains(factor) else { return nil }
            return .scaled(factor)
        }
    }

    func askTimeMode() {
        guard let device = currentDevice else { return }
        let current = plcInstances[device]?.snapshot().clockMode.description ?? "real time"
        ask("Time mode of \(device) (now \(current)): real, stepped or a scale x0.1 to x100:") { app, text in
            guard let mode = Self.parseTimeMode(text) else {
                app.show("'\(text)' is not real, stepped or a scale from x0.1 to x100", role: .diagnosticError)
                return
            }
            do {
                try await app.engine.setTimeMode(mode, device: device, actor: "tui")
                app.show(
                    "\(device) runs in \(mode.description)"
                        + (mode == .stepped ? "; \(app.chord("plc.runCycles")) runs cycles" : ""))
            } catch { app.fail(error) }
        }
    }

    /// `100` or `100 x 10ms`: how many cycles, and the virtual time each takes (10 ms unless given).
    static func parseCycles(_ text: String) -> (count: Int, cycleTime: Duration)? {
        let parts = text.lowercased().replacingOccurrences(of: "×", with: "x").split(separator: "x").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard let first = parts.first, let count = Int(first), count > 0 else { return nil }
        guard parts.count > 1 else { return (count, .milliseconds(10)) }
        var time = parts[1]
        var scale = 1.0
        if time.hasSuffix("ms") {
            time.removeLast(2)
        } else if time.hasSuffix("s") {
            time.removeLast()
            scale = 1000
        }
        guard let value = Double(time.trimmingCharacters(in: .whitespaces)), value > 0 else { return nil }
        return (count, .microseconds(Int64((value * scale * 1000).rounded())))
    }

    func askRunCycles() {
        guard let device = currentDevice else { return }
        ask("Run how many cycles on \(device) (e.g. 100 or 100 x 10ms)?") { app, text in
            guard let (count, cycleTime) = Self.parseCycles(text) else {
                app.show("'\(text)' is not a number of cycles (e.g. 100 or 100 x 10ms)", role: .diagnosticError)
                return
            }
            app.runJob("Running \(count) cycles") { app in
                do {
                    if app.plcInstances[device]?.snapshot().clockMode != .stepped {
                        try await app.engine.setTimeMode(.stepped, device: device, actor: "tui")
                    }
                    let snapshot = try await app.engine.stepCycles(
                        count, cycleTime: cycleTime, device: device, actor: "tui")
                    app.show(
                        "\(device): ran \(count) cycles of \(PLCStateDocument.microseconds(cycleTime)); virtual time "
                            + "\(PLCStateDocument.seconds(snapshot.virtualTime)), \(Self.describe(snapshot.mode))")
                } catch { app.fail(error) }
            }
        }
    }

    func chord(_ action: String) -> String {
        options.keymap.chords(for: action).first?.description ?? action
    }

    // MARK: Online/offline

    /// Asks for the address of a real PLC and goes online with it over S7comm (watch tables then monitor and
    /// modify it); an empty answer goes back to the virtual PLC.
    func askConnectPLC() {
        guard let device = currentDevice else {
            show("Select a PLC in the tree first")
            return
        }
        // One connect at a time: a late answer of an earlier one would switch the device back to that PLC.
        if let connecting = jobs.values.first(where: { $0.title.hasPrefix("Connecting to") }) {
            show("\(connecting.title) is under way; wait for it to end", role: .diagnosticError)
            return
        }
        let current =
            plcEndpoints[device].map { "\($0.host):\($0.port)" } ?? project?.device(named: device)?.ipAddress ?? ""
        ask("Real PLC for \(device), IPv4[:port] (empty: the virtual PLC):", initial: current) { app, text in
            let address = text.trimmingCharacters(in: .whitespaces)
            do {
                guard !address.isEmpty else {
                    try await app.engine.goOnline(device: device, actor: "tui")
                    app.show("\(device) is online with its virtual PLC")
                    return
                }
                let parts = address.split(separator: ":", omittingEmptySubsequences: false)
                guard parts.count <= 2, let port = parts.count == 2 ? Int(parts[1]) : 102 else {
                    app.show("'\(address)' is not IPv4[:port]", role: .diagnosticError)
                    return
                }
                // Connecting may take up to the timeout: a job, so the workbench keeps reacting meanwhile.
                let host = String(parts[0])
                app.show("Connecting to the PLC at \(host):\(port)…")
                app.runJob("Connecting to \(host):\(port)") { app in
                    do {
                        let status = try await app.engine.goOnline(
                            device: device, target: .plc, endpoint: PLCEndpoint(host: host, port: port),
                            actor: "tui")
                        app.plcEndpoints[device] = status.endpoint
                        app.show(
                            "\(device) is online with the PLC at \(host):\(port) "
                                + "(\(status.mode?.text ?? "mode unknown"))")
                    } catch { app.fail(error) }
                }
            } catch { app.fail(error) }
        }
    }

    /// Marks blocks that differ from what the device's virtual PLC runs (after a first download).
    func markDifferences() {
        guard let project, tree != nil else { return }
        // Compared again only when the project or a download changed.
        let key =
            [String(projectVersion)]
            + plcInstances.values.map { "\($0.device)@\($0.downloadedAt?.timeIntervalSince1970 ?? 0)" }.sorted()
        guard key != comparedAt else { return }
        comparedAt = key
        var differing: Set<String> = []
        for device in project.devices {
            guard let instance = plcInstances[device.name] else { continue }
            for block in device.blocks where instance.comparison(of: block).map({ $0 != .same }) == true {
                differing.insert(block.name)
            }
        }
        if tree?.blocksDiffering != differing { tree?.blocksDiffering = differing }
    }

    /// Completion of operands for prompts (watch table rows): tags, DBs and their members.
    func operandCompleter(device: String) -> (@MainActor (String) -> (start: String.Index, candidates: [String]))? {
        guard let plc = project?.device(named: device) else { return nil }
        let completion = OperandCompletion(device: plc, block: nil)
        return { text in completion.complete(text) }
    }
}
