public import S7Diagnostics
public import S7Model
import SCLSyntax
import SimaticML

/// What compiling a device gives: the program of every block that compiled (ready for `VirtualPLC.load`), the
/// diagnostics of all blocks, and the source files they point into.
public struct CompilationResult: Sendable {
    public var program: CompiledProgram
    public var diagnostics: [Diagnostic]
    /// Source files by path, for rendering diagnostics.
    public var files: [String: SourceFile]
    /// Code blocks left out of the program (errors, or a language not compiled yet), by name.
    public var skippedBlocks: [String]

    public var errorCount: Int { diagnostics.filter { $0.severity == .error }.count }
    public var warningCount: Int { diagnostics.filter { $0.severity == .warning }.count }
}

/// Compiles the SCL blocks of one PLC into a `CompiledProgram`.
///
///     let result = DeviceCompiler.compile(device, library: project.library)
///     for diagnostic in result.diagnostics { print(DiagnosticRenderer.render(diagnostic, file: ...)) }
///     try plc.load(result.program)
///
/// A block with errors is left out and so is every block that calls it; the others load. DBs get their start
/// values (declarations, PLC data type defaults and a DATA_BLOCK's BEGIN assignments).
public enum DeviceCompiler {
    public static let version = "s7wb-scl 0.1"

    public static func compile(_ device: Device, library: ProjectLibrary = ProjectLibrary()) -> CompilationResult {
        var device = device
        device.blocks += libraryBlocks(usedBy: device, library: library)
        var diagnostics: [Diagnostic] = []
        let recovered = interfaceOnlyBlocks(device, library: library)
        for (fb, source) in recovered {
            device.blocks.append(fb)
            diagnostics.append(
                Diagnostic(
                    .instructionNotSimulated,
                    "FB \"\(fb.name)\" is not in the project; its interface is taken from \(source), so its "
                        + "instances are laid out, but its calls are not simulated (their outputs keep their values)",
                    at: SourceRange(path: fb.file.path, start: 0, end: 0)))
        }
        let context = CompilationContext(device: device, library: library)
        var files: [String: SourceFile] = [:]
        var compiled: [(block: CompiledBlock, fixups: [(instruction: Int, callee: String)], header: SourceRange)] = []
        var skipped: [String] = []
        var parsed: [String: SCLParseResult] = [:]

        // A file with several units: each unit is parsed alone, its text moved down to the line it starts on so
        // line tables and diagnostics count lines as the file does; `files` gets the units put together.
        var unitLines: [String: [Int: [Substring]]] = [:]
        for block in device.blocks {
            guard let start = block.sourceStartLine, let text = block.sourceText else { continue }
            unitLines[block.file.path, default: [:]][start] = text.split(
                separator: "\n", omittingEmptySubsequences: false)
        }
        for (path, units) in unitLines {
            var lines: [Substring] = []
            for (start, text) in units.sorted(by: { $0.key < $1.key }) {
                while lines.count < start - 1 { lines.append("") }
                lines.removeLast(max(0, lines.count - (start - 1)))
                lines += text
            }
            files[path] = SourceFile(path: path, text: lines.joined(separator: "\n"))
        }

        func parse(_ block: Block) -> (SCLParseResult, SCLProgramUnit?)? {
            guard let text = block.sourceText else { return nil }
            let key = block.file.path + "\u{0}" + block.name
            let padding = String(repeating: "\n", count: max(0, (block.sourceStartLine ?? 1) - 1))
            let result = parsed[key] ?? SCLParser.parse(SourceFile(path: block.file.path, text: padding + text))
            parsed[key] = result
            if block.sourceStartLine == nil { files[block.file.path] = result.file }
            let unit = result.units.first { $0.name?.text.lowercased() == block.name.lowercased() }
            return (result, unit)
        }

        /// Moves a range in a unit parsed alone onto the put-together file, by line and column.
        func remap(_ range: SourceRange, from file: SourceFile) -> SourceRange {
            guard let merged = files[file.path], merged.bytes.count != file.bytes.count else { return range }
            func move(_ offset: Int) -> Int {
                let location = file.location(of: offset)
                let column = offset - file.lineRange(location.line).lowerBound
                return min(merged.lineRange(location.line).lowerBound + column, merged.bytes.count)
            }
            return SourceRange(path: range.path, start: move(range.start), end: move(range.end))
        }

        func remap(_ diagnostic: Diagnostic, from file: SourceFile) -> Diagnostic {
            var moved = diagnostic
            moved.range = remap(diagnostic.range, from: file)
            for index in moved.labels.indices {
                moved.labels[index].range = remap(moved.labels[index].range, from: file)
            }
            for index in moved.notes.indices {
                moved.notes[index].range = moved.notes[index].range.map { remap($0, from: file) }
            }
            return moved
        }

        let codeBlocks = device.blocks.filter { !$0.kind.isDataBlock }
        for block in codeBlocks {
            if block.sourceText == nil {
                // A SimaticML block: its networks (LAD, FBD, SCL) lowered to SCL statements.
                let lowered = LoweredBlock(block)
                diagnostics += lowered.problems
                let errors = lowered.result.diagnostics.filter { $0.severity == .error }
                guard !lowered.translation.problems.contains(where: \.isError), errors.isEmpty,
                    let unit = lowered.unit
                else {
                    diagnostics += errors.map(lowered.located)
                    skipped.append(block.name)
                    continue
                }
                var compiler = BlockCompiler(
                    context: context, block: lowered.block, unit: unit, file: lowered.result.file)
                let compiledBlock = compiler.compile(event: event(of: block))
                diagnostics += compiler.diagnostics.map(lowered.located)
                if var compiledBlock {
                    compiledBlock.lineNetworks =
                        Array(repeating: 0, count: LoweredBlock.headerLines) + lowered.translation.lineNetworks
                    compiled.append(
                        (compiledBlock, compiler.callFixups, SourceRange(path: block.file.path, start: 0, end: 0)))
                    files[lowered.result.file.path] = lowered.result.file
                } else {
                    skipped.append(block.name)
                }
                continue
            }
            guard block.language == .scl, let (result, unit) = parse(block), let unit else {
                diagnostics.append(
                    Diagnostic(
                        .blockNotCompiled,
                        "\(block.displayNumber) \"\(block.name)\" (\(block.language.rawValue) source) is not "
                            + "compiled: s7wb compiles SCL sources and SimaticML networks",
                        at: SourceRange(path: block.file.path, start: 0, end: 0)))
                skipped.append(block.name)
                continue
            }
            let errors = result.diagnostics.filter { $0.severity == .error }
            if !errors.isEmpty {
                diagnostics += errors.map { remap($0, from: result.file) }
                skipped.append(block.name)
                continue
            }
            var compiler = BlockCompiler(context: context, block: block, unit: unit, file: result.file)
            let compiledBlock = compiler.compile(event: event(of: block))
            diagnostics += compiler.diagnostics.map { remap($0, from: result.file) }
            if let compiledBlock {
                let header = remap(result.file.range(compiler.headerRange), from: result.file)
                compiled.append((compiledBlock, compiler.callFixups, header))
            } else {
                skipped.append(block.name)
            }
        }

        // Data blocks with their start values.
        var images: [DataBlockImage] = []
        for db in device.blocks where db.kind.isDataBlock {
            let unit = parse(db)
            var builder = DataBlockBuilder(context: context, db: db, unit: unit?.1, file: unit?.0.file)
            if let image = builder.build() { images.append(image) }
            diagnostics += builder.diagnostics.map { diagnostic in
                unit.map { remap(diagnostic, from: $0.0.file) } ?? diagnostic
            }
        }

        // Leave out blocks that call left-out blocks or use missing DBs, until nothing changes.
        let dbNumbers = Set(images.map(\.number))
        var changed = true
        while changed {
            changed = false
            let names = Set(compiled.map { $0.block.name.lowercased() })
            compiled.removeAll { entry in
                if let missing = entry.fixups.first(where: { !names.contains($0.callee.lowercased()) }) {
                    diagnostics.append(
                        Diagnostic(
                            .calleeHasErrors,
                            "\(entry.block.displayName) is left out because it calls \"\(missing.callee)\", which "
                                + "did not compile", at: entry.header))
                    skipped.append(entry.block.name)
                    changed = true
                    return true
                }
                if let db = usedDataBlocks(entry.block).first(where: { !dbNumbers.contains($0) }) {
                    diagnostics.append(
                        Diagnostic(
                            .calleeHasErrors,
                            "\(entry.block.displayName) is left out because it uses DB\(db), which has errors",
                            at: entry.header))
                    skipped.append(entry.block.name)
                    changed = true
                    return true
                }
                return false
            }
        }

        // Block indexes: OBs first, then FBs and FCs, each by number.
        compiled.sort { a, b in
            let order: [CompiledBlock.Kind: Int] = [.organizationBlock: 0, .functionBlock: 1, .function: 2]
            return (order[a.block.kind]!, a.block.number) < (order[b.block.kind]!, b.block.number)
        }
        var indexes: [String: Int] = [:]
        for (index, entry) in compiled.enumerated() { indexes[entry.block.name.lowercased()] = index }
        let blocks = compiled.map { entry in
            var block = entry.block
            for fixup in entry.fixups {
                block.instructions[fixup.instruction].a = UInt16(indexes[fixup.callee.lowercased()]!)
            }
            return block
        }
        return CompilationResult(
            program: CompiledProgram(
                blocks: blocks, dataBlocks: images,
                metadata: CompiledProgram.Metadata(name: device.name, compilerVersion: version)),
            diagnostics: diagnostics.sorted { ($0.range.path, $0.range.start) < ($1.range.path, $1.range.start) },
            files: files, skippedBlocks: skipped)
    }

    /// The project library's code blocks the device uses (as a multi-instance type, a call, an instance DB's FB),
    /// directly or through other library blocks, that it does not have itself: TIA instantiates a library type
    /// into the program where it is used.
    /// FBs a project uses as the type of a multi-instance but does not hold, with an interface a SimaticML instance
    /// lists: TIA writes the multi-instance's `Sections` into its instance DB (`IM_PFM` holds `M_317_Carousel :
    /// "drive_CB_2x1"` with drive_CB_2x1's inputs, outputs and statics). Each becomes an FB without code, named
    /// with where its interface came from (`DB "IM_PFM", member M_317_Carousel`).
    static func interfaceOnlyBlocks(_ device: Device, library: ProjectLibrary) -> [(Block, String)] {
        var known = Set(device.blocks.map { $0.name.lowercased() })
        known.formUnion(device.dataTypes.map { $0.name.lowercased() })
        known.formUnion(library.dataTypes.map { $0.name.lowercased() })
        var found: [(Block, String)] = []
        func visit(_ members: [S7Model.Member], in block: Block, path: String) {
            for member in members {
                let where_ = path.isEmpty ? member.name : path + "." + member.name
                if !member.sections.isEmpty, case .named(let name)? = try? DataType(parsing: member.dataType),
                    !known.contains(name.lowercased()), SystemTypes.members[name.uppercased()] == nil
                {
                    known.insert(name.lowercased())
                    let fb = Block(
                        name: name, kind: .functionBlock, language: .unknown, file: block.file,
                        interface: Interface(sections: member.sections))
                    found.append(
                        (
                            fb,
                            "\(block.kind.isDataBlock ? "DB" : block.kind.rawValue) \"\(block.name)\", member \(where_)"
                        ))
                }
                visit(member.members, in: block, path: where_)
                visit(member.sections.flatMap(\.members), in: block, path: where_)
            }
        }
        for block in device.blocks where block.file.format == .simaticML {
            visit(block.interface.allMembers, in: block, path: "")
        }
        return found
    }

    static func libraryBlocks(usedBy device: Device, library: ProjectLibrary) -> [Block] {
        let own = Set(device.blocks.map { $0.name.lowercased() })
        let candidates = library.blocks.filter { !$0.kind.isDataBlock && !own.contains($0.name.lowercased()) }
        guard !candidates.isEmpty else { return [] }
        var used: [Block] = []
        var usedNames: Set<String> = []
        var pending = device.blocks
        while let block = pending.popLast() {
            for candidate in candidates where !usedNames.contains(candidate.name.lowercased()) {
                guard references(block, candidate.name) else { continue }
                usedNames.insert(candidate.name.lowercased())
                used.append(candidate)
                pending.append(candidate)
            }
        }
        return used
    }

    /// Whether a block names `name`: as a member type, the FB of an instance DB, a call in a network or its source.
    static func references(_ block: Block, _ name: String) -> Bool {
        let lowered = name.lowercased()
        if block.instanceOf?.lowercased() == lowered { return true }
        func named(_ members: [S7Model.Member]) -> Bool {
            members.contains { member in
                let type = member.dataType.lowercased()
                return type == lowered || type == "\"" + lowered + "\"" || type.hasSuffix("of \"" + lowered + "\"")
                    || named(member.members)
            }
        }
        if block.interface.sections.contains(where: { named($0.members) }) { return true }
        if block.networks.contains(where: { $0.sourceXML.contains("<CallInfo Name=\"" + name + "\"") }) { return true }
        return block.sourceText?.lowercased().contains("\"" + lowered + "\"") == true
    }

    /// The DB numbers a block addresses directly.
    static func usedDataBlocks(_ block: CompiledBlock) -> Set<Int> {
        var numbers: Set<Int> = []
        for instruction in block.instructions where instruction.areaKind == .globalDB {
            switch instruction.opcode {
            case .callFB, .builtin: numbers.insert(Int(instruction.c))
            default: numbers.insert(Int(instruction.b))
            }
        }
        return numbers
    }

    /// What starts an OB, from its number (TIA's numbering of OB types on an S7-1500). A cyclic interrupt runs
    /// every `CyclicTime` (µs, SimaticML) or 100 ms, TIA's default.
    static func event(of block: Block) -> OBEventClass? {
        guard block.kind == .organizationBlock, let number = block.number else { return nil }
        switch number {
        case 1, 123...: return .programCycle
        case 100...102: return .startup
        case 30...38:
            let period = block.attributes["CyclicTime"].flatMap(Int.init).map { Duration.microseconds($0) }
            let phase = block.attributes["PhaseShift"].flatMap(Int.init).map { Duration.microseconds($0) }
            return .cyclicInterrupt(period: period ?? .milliseconds(100), phase: phase ?? .zero)
        case 80: return .timeError
        case 121: return .programmingError
        default: return nil
        }
    }
}
