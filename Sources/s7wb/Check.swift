import ArgumentParser
import Foundation
import S7Diagnostics
import SCLSyntax
import Workbench

/// `s7wb check FILE|DIR...`: parses every SCL source found and prints its diagnostics.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check SCL sources (.scl, .db, .udt): print diagnostics, exit 1 if any error.")

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "Files or folders (searched recursively for .scl, .db, .udt).")
    var paths: [String]

    @Option(help: "text (clang-style with the source line) or json.")
    var format: OutputFormat = .text

    func run() throws {
        let files = try SCLSources.collect(paths)
        var units = 0
        var errors = 0
        var warnings = 0
        var records: [DiagnosticRecord] = []
        let renderer = DiagnosticRenderer()
        for path in files {
            let source = try SCLSources.read(path)
            let result = SCLParser.parse(source)
            units += result.units.count
            errors += result.diagnostics.filter { $0.severity == .error }.count
            warnings += result.diagnostics.filter { $0.severity == .warning }.count
            switch format {
            case .text:
                if !result.diagnostics.isEmpty { print(renderer.render(result.diagnostics, files: [source])) }
            case .json:
                records += result.diagnostics.map { DiagnosticRecord($0, in: source) }
            }
        }
        let summary = "\(files.count) files, \(units) units, \(errors) errors"
        switch format {
        case .text:
            print(warnings > 0 ? summary + ", \(warnings) warnings" : summary)
        case .json:
            struct Report: Encodable {
                var files: Int
                var units: Int
                var errors: Int
                var warnings: Int
                var diagnostics: [DiagnosticRecord]
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let report = Report(
                files: files.count, units: units, errors: errors, warnings: warnings, diagnostics: records)
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        }
        if errors > 0 { throw ExitCode(1) }
    }
}

/// `s7wb fmt FILE...`: prints SCL in the canonical style, or rewrites the files with `--write`.
struct Fmt: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Format SCL sources in one canonical style, keeping every comment.")

    @Argument(help: "Files or folders (searched recursively for .scl, .db, .udt).")
    var paths: [String]

    @Flag(help: "Rewrite the files in place (atomically; unchanged files are not touched).")
    var write = false

    func run() throws {
        var failed = false
        for path in try SCLSources.collect(paths) {
            let source = try SCLSources.read(path)
            let result = SCLParser.parse(source)
            if result.hasErrors {
                FileHandle.standardError.write(
                    Data(DiagnosticRenderer().render(result.diagnostics, files: [source]).utf8))
                FileHandle.standardError.write(Data("s7wb: \(path) not formatted: it has errors\n".utf8))
                failed = true
                continue
            }
            var formatted = Array(SCLFormatter.format(result).utf8)
            let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
            if source.hasByteOrderMark && !formatted.starts(with: bom) { formatted = bom + formatted }
            if write {
                do {
                    try AtomicFile.write(formatted, to: path)
                } catch {
                    FileHandle.standardError.write(Data("s7wb: \(error.description)\n".utf8))
                    failed = true
                }
            } else {
                FileHandle.standardOutput.write(
                    Data(formatted.starts(with: bom) ? formatted.dropFirst(3) : formatted[...]))
            }
        }
        if failed { throw ExitCode(1) }
    }
}

/// Finding and reading SCL sources for `check` and `fmt`.
enum SCLSources {
    static let endings: Set<String> = ["scl", "db", "udt"]

    /// The files named, and the SCL sources below the folders named, sorted; a missing path is an error.
    static func collect(_ paths: [String]) throws -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ValidationError("\(path): no such file or folder")
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let enumerator = FileManager.default.enumerator(atPath: path)
            var found: [String] = []
            while let relative = enumerator?.nextObject() as? String {
                if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
                if endings.contains((relative as NSString).pathExtension.lowercased()) {
                    found.append((path as NSString).appendingPathComponent(relative))
                }
            }
            files += found.sorted()
        }
        return files
    }

    static func read(_ path: String) throws -> SourceFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("\(path): cannot read the file")
        }
        return SourceFile(path: path, bytes: Array(data))
    }
}
