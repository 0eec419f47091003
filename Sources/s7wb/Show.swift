import ArgumentParser
import Foundation
import S7Model
import SimaticML
import Workbench

/// `s7wb show PROJECT BLOCK [--device NAME]`: a block as an engineer reads it in a terminal: LAD and FBD networks as
/// a text ladder (rails, contacts, coils, boxes with their operands), SCL networks and SCL source blocks as text;
/// with `--scl`, the networks as the SCL statements s7wb compiles them to.
struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a block: LAD/FBD networks as a text ladder, SCL as source.")

    @Argument(help: "The project folder (TIA VCI layout, optionally with s7project.json).")
    var project: String

    @Argument(help: "The block's name (as in the project tree, e.g. Main or \"Motor_FB\").")
    var block: String

    @Option(help: "The PLC of the project (needed when it has several).")
    var device: String?

    @Flag(help: "Show LAD/FBD networks as the SCL statements s7wb simulates them with.")
    var scl = false

    @Option(help: "Wrap ladders wider than this many columns (default: the terminal's width; 0: never).")
    var width: Int?

    func run() async throws {
        let engine = Engine()
        let found: Block
        do throws(EngineError) {
            _ = try await engine.openProject(at: project, actor: "cli", history: .inMemory)
            let plc = try await engine.plcDevice(device)
            let name = block.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
            guard let match = plc.block(named: name) else {
                throw EngineError(.notFound, "no block '\(name)' in \(plc.name)")
            }
            found = match
        } catch {
            await engine.shutdown()
            FileHandle.standardError.write(Data("s7wb show: \(error.message)\n".utf8))
            throw ExitCode(2)
        }
        await engine.shutdown()
        if scl && !found.networks.isEmpty {
            let translation = NetworkTranslator.translate(found)
            print("\(found.displayNumber) \"\(found.name)\" (\(found.language.rawValue) as SCL)")
            for problem in translation.problems {
                print("// \(problem.isError ? "error" : "warning"): network \(problem.network): \(problem.message)")
            }
            if !translation.temps.isEmpty {
                print("VAR_TEMP")
                for temp in translation.temps { print("    \(temp.name) : \(temp.dataType);") }
                print("END_VAR")
            }
            print(translation.body)
            return
        }
        for line in Self.lines(found, width: width ?? Self.terminalWidth()) { print(line) }
    }

    /// The block's header, then each network (or the source of a block without networks).
    /// The terminal's width when standard output is one, else 0 (no wrapping).
    static func terminalWidth() -> Int {
        guard isatty(STDOUT_FILENO) != 0 else { return 0 }
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0 else { return 0 }
        return Int(size.ws_col)
    }

    static func lines(_ block: Block, width: Int = 0) -> [String] {
        var lines = ["\(block.displayNumber) \"\(block.name)\" (\(block.language.rawValue))"]
        if let title = block.title.items.first?.text, !title.isEmpty { lines.append(title) }
        if block.networks.isEmpty {
            if let source = block.sourceText {
                lines.append("")
                lines += source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            } else {
                lines.append("(no networks)")
            }
            return lines
        }
        for (index, network) in block.networks.enumerated() {
            lines.append("")
            let drawn = LadderRenderer.render(network: network, number: index + 1)
            lines += width > 0 ? LadderRenderer.wrap(drawn, width: width) : drawn
        }
        return lines
    }
}
