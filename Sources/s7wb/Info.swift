import ArgumentParser
import Foundation
import S7Model
import Workbench
import WorkbenchAPI

/// `s7wb info PROJECT [--json]`: the project tree and the files that could not be read.
struct Info: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the project tree: devices, block groups, blocks, tag tables, data types, watch tables.")

    @Argument(help: "The project folder (TIA VCI layout, optionally with s7project.json).")
    var project: String

    @Flag(help: "Print JSON (the shape of GET /api/projects/overview).")
    var json = false

    func run() async throws {
        let engine = Engine()
        let session: Engine.Session
        do {
            session = try await engine.openProject(at: project, actor: "cli", history: .inMemory)
        } catch {
            FileHandle.standardError.write(Data("s7wb: \(error.message)\n".utf8))
            throw ExitCode(2)
        }
        if json {
            print(ModelJSON.overview(session.project).prettyPrinted())
        } else {
            print(ProjectTreeText.render(session.project), terminator: "")
        }
        await engine.shutdown()
    }
}

/// The text form of `s7wb info`.
enum ProjectTreeText {
    static func render(_ project: Project) -> String {
        var out = "Project \(project.name)\n  path: \(project.root)\n"
        out +=
            "  manifest: \(project.hasManifest ? ProjectManifest.fileName : "none (devices inferred from folders)")\n"
        if let description = project.description { out += "  \(description)\n" }
        for device in project.devices {
            var hardware: [String] = [device.kind.rawValue]
            if let order = device.orderNumber { hardware.append(order) }
            if let firmware = device.firmware { hardware.append("FW \(firmware)") }
            if let ip = device.ipAddress { hardware.append(ip + (device.subnetMask.map { "/\($0)" } ?? "")) }
            out += "\nDevice \(device.name) (\(hardware.joined(separator: ", ")))  folder: \(device.folder)\n"
            out += "  Program blocks (\(device.blocks.count))\n"
            out += blockTree(device.blocks, indent: "    ")
            out += "  PLC tags (\(count(device.tagTables.count, "table")), \(count(device.tagCount, "tag")))\n"
            for table in device.tagTables {
                let name = (table.group + [table.name]).joined(separator: "/")
                out +=
                    "    \(pad(name, 36)) \(count(table.tags.count, "tag")), \(count(table.constants.count, "constant"))\n"
            }
            out += "  PLC data types (\(device.dataTypes.count))\n"
            for type in device.dataTypes {
                out +=
                    "    \(pad((type.group + [type.name]).joined(separator: "/"), 36)) \(count(type.members.count, "member"))\n"
            }
            out += "  Watch and force tables (\(device.watchTables.count))\n"
            for table in device.watchTables {
                let name = (table.group + [table.name]).joined(separator: "/")
                out += "    \(pad(name, 36)) \(table.kind.rawValue), \(count(table.operandEntries.count, "operand"))\n"
            }
        }
        if !project.library.isEmpty {
            out += "\nLibrary types\n"
            out += blockTree(project.library.blocks, indent: "  ")
            for type in project.library.dataTypes { out += "  \(type.name) (data type)\n" }
        }
        if !project.problems.isEmpty {
            out += "\nFiles not read (\(project.problems.count))\n"
            for problem in project.problems { out += "  \(problem)\n" }
        }
        return out
    }

    /// Blocks sorted into their groups: group folders first as `name/`, then the blocks of this level.
    static func blockTree(_ blocks: [Block], indent: String, depth: Int = 0) -> String {
        var out = ""
        let here = blocks.filter { $0.group.count == depth }
        let deeper = blocks.filter { $0.group.count > depth }
        let groups = deeper.reduce(into: [String]()) { if !$0.contains($1.group[depth]) { $0.append($1.group[depth]) } }
        for group in groups.sorted() {
            out += "\(indent)\(group)/\n"
            out += blockTree(deeper.filter { $0.group[depth] == group }, indent: indent + "  ", depth: depth + 1)
        }
        for block in here.sorted(by: order) {
            let language =
                block.language == .db ? (block.instanceOf.map { "instance of \($0)" } ?? "DB") : block.language.rawValue
            out += "\(indent)\(pad(block.displayNumber, 6)) \(pad(block.name, 32)) \(language)\n"
        }
        return out
    }

    static func order(_ a: Block, _ b: Block) -> Bool {
        let rank: [BlockKind: Int] = [
            .organizationBlock: 0, .functionBlock: 1, .function: 2, .globalDB: 3, .instanceDB: 3, .typedDB: 3,
        ]
        if rank[a.kind]! != rank[b.kind]! { return rank[a.kind]! < rank[b.kind]! }
        if a.number != b.number { return (a.number ?? Int.max) < (b.number ?? Int.max) }
        return a.name < b.name
    }

    /// `1 tag`, `2 tags`.
    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
