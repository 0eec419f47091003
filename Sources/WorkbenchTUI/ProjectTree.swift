public import S7Model

/// What a row of the project tree stands for.
public enum TreeItem: Hashable, Sendable {
    case project
    case device(String)
    case folder(device: String, path: [String])
    case block(device: String, name: String)
    case tagTable(device: String, name: String)
    case dataType(device: String, name: String)
    case watchTable(device: String, name: String)
    case online(device: String)
}

/// The project tree as TIA's project navigator shows it: devices, then per PLC "Program blocks" (with the groups),
/// "PLC tags", "PLC data types", "Watch and force tables" and "Online & diagnostics".
public struct ProjectTree: Sendable {
    public struct Node: Sendable {
        public var item: TreeItem
        public var label: String
        /// A short note after the label: `[OB1] SCL`, `12 tags`.
        public var detail: String
        public var children: [Node]
        public var isFolder: Bool { !children.isEmpty || isContainer }
        var isContainer: Bool
    }

    /// A visible row: its node and depth.
    public struct Row: Sendable {
        public var item: TreeItem
        public var label: String
        public var detail: String
        public var depth: Int
        public var isFolder: Bool
        public var isExpanded: Bool
    }

    public private(set) var root: Node
    /// Folders shown open.
    public var expanded: Set<TreeItem>
    /// Only rows whose label contains this (case-insensitive) and their ancestors are shown; empty shows all.
    public var filter = ""
    /// Blocks marked with an error sign (their last compile failed).
    public var blocksWithErrors: Set<String> = []
    /// Blocks that differ from what the virtual PLC runs, or that it does not have (TIA's online comparison).
    public var blocksDiffering: Set<String> = []

    public init(project: Project) {
        root = Self.build(project)
        expanded = [.project]
        for device in project.devices {
            expanded.insert(.device(device.name))
            expanded.insert(.folder(device: device.name, path: ["Program blocks"]))
        }
    }

    /// Rebuilds the nodes from a changed project, keeping what is expanded.
    public mutating func update(project: Project) {
        root = Self.build(project)
    }

    /// The rows to draw, depth first, honouring `expanded` and `filter`.
    public func rows() -> [Row] {
        var rows: [Row] = []
        let needle = filter.lowercased()
        func visit(_ node: Node, depth: Int) {
            let matches = needle.isEmpty || node.label.lowercased().contains(needle)
            if !needle.isEmpty && !matches && !subtreeMatches(node, needle) { return }
            let open = !needle.isEmpty || expanded.contains(node.item)
            rows.append(
                Row(
                    item: node.item, label: node.label, detail: node.detail, depth: depth, isFolder: node.isFolder,
                    isExpanded: open && node.isFolder))
            guard open else { return }
            for child in node.children { visit(child, depth: depth + 1) }
        }
        visit(root, depth: 0)
        return rows
    }

    private func subtreeMatches(_ node: Node, _ needle: String) -> Bool {
        node.children.contains { $0.label.lowercased().contains(needle) || subtreeMatches($0, needle) }
    }

    /// The parent of `item`, for collapsing to it.
    public func parent(of item: TreeItem) -> TreeItem? {
        func search(_ node: Node) -> TreeItem? {
            for child in node.children {
                if child.item == item { return node.item }
                if let found = search(child) { return found }
            }
            return nil
        }
        return search(root)
    }

    static func build(_ project: Project) -> Node {
        let devices = project.devices.map { device -> Node in
            let name = device.name
            guard device.kind == .plc else {
                return Node(
                    item: .device(name), label: name, detail: device.kind.rawValue, children: [], isContainer: false)
            }
            let blocks = groupedBlocks(device, path: ["Program blocks"])
            let tags = device.tagTables.map {
                Node(
                    item: .tagTable(device: name, name: $0.name), label: $0.name,
                    detail: "\($0.tags.count) tags" + ($0.constants.isEmpty ? "" : ", \($0.constants.count) constants"),
                    children: [], isContainer: false)
            }
            let types = device.dataTypes.map {
                Node(
                    item: .dataType(device: name, name: $0.name), label: $0.name, detail: "UDT", children: [],
                    isContainer: false)
            }
            let watches = device.watchTables.map {
                Node(
                    item: .watchTable(device: name, name: $0.name), label: $0.name,
                    detail: "\($0.operandEntries.count) rows", children: [], isContainer: false)
            }
            func folder(_ label: String, _ children: [Node]) -> Node {
                Node(
                    item: .folder(device: name, path: [label]), label: label, detail: "", children: children,
                    isContainer: true)
            }
            return Node(
                item: .device(name), label: name, detail: device.orderNumber ?? "PLC",
                children: [
                    blocks,
                    folder("PLC tags", tags),
                    folder("PLC data types", types),
                    folder("Watch and force tables", watches),
                    Node(
                        item: .online(device: name), label: "Online & diagnostics", detail: "", children: [],
                        isContainer: false),
                ], isContainer: true)
        }
        return Node(item: .project, label: project.name, detail: "", children: devices, isContainer: true)
    }

    /// "Program blocks" with a folder per block group, blocks sorted by kind and number as TIA lists them.
    static func groupedBlocks(_ device: Device, path: [String]) -> Node {
        func node(for path: [String], depth: Int, blocks: [Block]) -> Node {
            let here = blocks.filter { $0.group.count == depth }
            let deeper = blocks.filter { $0.group.count > depth }
            var groupNames: [String] = []
            for block in deeper where !groupNames.contains(block.group[depth]) { groupNames.append(block.group[depth]) }
            let groups = groupNames.sorted().map { group in
                node(for: path + [group], depth: depth + 1, blocks: deeper.filter { $0.group[depth] == group })
            }
            let leaves = here.sorted { ($0.kind.numberPrefix, $0.number ?? 0) < ($1.kind.numberPrefix, $1.number ?? 0) }
                .map { block in
                    Node(
                        item: .block(device: device.name, name: block.name), label: block.name,
                        detail: "[\(block.displayNumber)] \(block.language.rawValue)", children: [], isContainer: false)
                }
            return Node(
                item: .folder(device: device.name, path: path), label: path.last ?? "", detail: "",
                children: groups + leaves, isContainer: true)
        }
        return node(for: path, depth: 0, blocks: device.blocks)
    }
}
