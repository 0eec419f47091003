import ArgumentParser
import Foundation
import S7Compiler
import S7Diagnostics
import S7Model
import Workbench

/// `s7wb compile PROJECT [--device NAME] [--format text|json] [--disasm BLOCK]`.
struct Compile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compile the SCL blocks of a PLC: diagnostics like TIA's compile output, exit 1 on errors.")

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "The project folder.")
    var project: String

    @Option(help: "The PLC to compile (needed when the project has more than one).")
    var device: String?

    @Option(help: "text (clang-style with the source line) or json.")
    var format: OutputFormat = .text

    @Option(help: "Print the bytecode of this block (name) with its source lines.")
    var disasm: String?

    func run() async throws {
        let engine = Engine()
        defer { Task { await engine.shutdown() } }
        let compiled: (device: S7Model.Device, result: CompilationResult)
        do {
            _ = try await engine.openProject(at: project, actor: "cli", history: .inMemory)
            compiled = try await engine.compile(device: device)
        } catch {
            FileHandle.standardError.write(Data("s7wb: \(error.message)\n".utf8))
            throw ExitCode(2)
        }
        let result = compiled.result
        let program = result.program
        if let name = disasm {
            guard let block = program.blocks.first(where: { $0.name.lowercased() == name.lowercased() }) else {
                FileHandle.standardError.write(Data("s7wb: no compiled block \"\(name)\"\n".utf8))
                throw ExitCode(2)
            }
            let source = compiled.device.blocks.first { $0.name == block.name }.flatMap { original in
                result.files[original.file.path].map { file in (1...file.lineCount).map(file.lineText) }
            }
            print(block.disassembly(source: source, program: program), terminator: "")
            return
        }
        let summary =
            "\(compiled.device.name): \(program.blocks.count) code blocks, \(program.dataBlocks.count) DBs compiled; "
            + "\(result.errorCount) errors, \(result.warningCount) warnings"
            + (result.skippedBlocks.isEmpty ? "" : "; left out: \(result.skippedBlocks.joined(separator: ", "))")
        switch format {
        case .text:
            if !result.diagnostics.isEmpty {
                print(DiagnosticRenderer().render(result.diagnostics, files: Array(result.files.values)))
            }
            print(summary)
        case .json:
            struct Report: Encodable {
                var device: String
                var blocks: [String]
                var dataBlocks: [String]
                var skipped: [String]
                var errors: Int
                var warnings: Int
                var diagnostics: [DiagnosticRecord]
            }
            let records = result.diagnostics.map { diagnostic in
                DiagnosticRecord(
                    diagnostic,
                    in: result.files[diagnostic.range.path] ?? SourceFile(path: diagnostic.range.path, text: ""))
            }
            let report = Report(
                device: compiled.device.name, blocks: program.blocks.map(\.displayName),
                dataBlocks: program.dataBlocks.map { "DB\($0.number) \"\($0.name)\"" }, skipped: result.skippedBlocks,
                errors: result.errorCount, warnings: result.warningCount, diagnostics: records)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        }
        if result.errorCount > 0 { throw ExitCode(1) }
    }
}
