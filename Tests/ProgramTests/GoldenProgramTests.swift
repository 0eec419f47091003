import Foundation
import S7Compiler
import S7Diagnostics
import S7Model
import S7Runtime
import SCLSyntax
import SimaticML
import Testing

/// Golden SCL programs (DESIGN.md "How it is checked"): each `Programs/*.scl` is compiled, loaded into a virtual
/// PLC and run for `// cycles:` cycles of `// cycle-time:` stepped time; every `// expect: OPERAND = LITERAL` must
/// hold afterwards. `// expect-diagnostic: CODE line N` marks a program that must not compile, `// expect-fault:`
/// a diagnostic-buffer entry that must exist, `// restart-after: N` a warm restart after N of the cycles. `// tag:` and `// constant:` declare PLC tags and constants.
@Suite struct GoldenProgramTests {
    static let folder: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        .appendingPathComponent("Programs")

    static let programs: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".scl") }.sorted()
    }()

    @Test func theSuiteIsThere() {
        #expect(Self.programs.count >= 20)
    }

    @Test(arguments: programs)
    func program(_ name: String) throws {
        try check(try GoldenProgram(url: Self.folder.appendingPathComponent(name)), name: name)
    }

    /// The same program after every SCL-source block and data type went through SimaticML: written with
    /// `SimaticMLExport` (statements as StructuredText tokens) and read back, it compiles and runs to the same
    /// values. The statements read back as the text they were written from.
    @Test(arguments: programs)
    func programThroughSimaticML(_ name: String) throws {
        var program = try GoldenProgram(url: Self.folder.appendingPathComponent(name))
        guard program.expectedDiagnostics.isEmpty else { return }
        let original = program.device
        var blocks: [Block] = []
        for block in original.blocks {
            guard block.file.format != .simaticML else {
                blocks.append(block)
                continue
            }
            let bytes = try SimaticMLExport.block(block, device: original, engineeringVersion: "V19")
            let file = SourceFileRef(path: block.name + ".xml", format: .simaticML)
            guard case .block(var read) = try SimaticMLReader.read(bytes: bytes, file: file) else {
                Issue.record("\(name): \(block.name) did not read back as a block")
                continue
            }
            read.number = block.number
            if !block.kind.isDataBlock, let text = block.sourceText,
                let body = StructuredTextEncoder.body(ofSource: text)
            {
                let network = try #require(read.networks.first, "\(name): \(block.name) has no network")
                let back = try StructuredText.text(ofNetworkSource: network.sourceXML)
                #expect(
                    back == GoldenProgram.withLocalHashes(body, block: block),
                    "\(name): \(block.name) reads back as\n\(back)")
            }
            blocks.append(read)
        }
        program.device.blocks = blocks
        program.device.dataTypes = try original.dataTypes.map { type in
            let bytes = SimaticMLExport.dataType(type, engineeringVersion: "V19")
            let file = SourceFileRef(path: type.name + ".xml", format: .simaticML)
            guard case .dataType(let read) = try SimaticMLReader.read(bytes: bytes, file: file) else {
                Issue.record("\(name): \(type.name) did not read back as a data type")
                return type
            }
            return read
        }
        // A runtime error in a SimaticML block names its network, not a line of the source.
        program.expectedFaults = program.expectedFaults.map {
            $0.replacingOccurrences(of: #" at line \d+"#, with: " in network 1", options: .regularExpression)
        }
        try check(program, name: name + " (through SimaticML)")
    }

    func check(_ program: GoldenProgram, name: String) throws {
        #expect(program.malformed.isEmpty, "\(name): unreadable directives on lines \(program.malformed)")
        #expect(
            !program.expectations.isEmpty || !program.expectedDiagnostics.isEmpty,
            "\(name) checks nothing: add // expect: lines")
        let result = DeviceCompiler.compile(program.device)
        let rendered = DiagnosticRenderer().render(result.diagnostics, files: Array(result.files.values))
        if !program.expectedDiagnostics.isEmpty {
            for expected in program.expectedDiagnostics {
                let found = result.diagnostics.contains { diagnostic in
                    guard diagnostic.code.rawValue == expected.code, let file = result.files[diagnostic.range.path]
                    else { return false }
                    return file.location(of: diagnostic.range.start).line == expected.line
                }
                #expect(
                    found,
                    Comment(rawValue: "\(name): expected \(expected.code) on line \(expected.line), got:\n\(rendered)"))
            }
            return
        }
        #expect(result.errorCount == 0, Comment(rawValue: "\(name) does not compile:\n\(rendered)"))
        for warning in program.expectedWarnings {
            #expect(
                result.diagnostics.contains { $0.severity == .warning && $0.message.contains(warning) },
                Comment(rawValue: "\(name): no warning contains '\(warning)':\n\(rendered)"))
        }
        guard result.errorCount == 0 else { return }
        let plc = VirtualPLC()
        try plc.load(result.program)
        plc.start()
        if let restart = program.restartAfter {
            // A warm restart between the cycles: STOP, then RUN again (OB100 runs, retentive data stays).
            plc.runCycles(restart, cycleTime: program.cycleTime)
            plc.stop()
            plc.start()
            plc.runCycles(program.cycles - restart, cycleTime: program.cycleTime)
        } else {
            plc.runCycles(program.cycles, cycleTime: program.cycleTime)
        }
        let snapshot = plc.snapshot()
        let locator = OperandLocator(device: program.device)
        for expectation in program.expectations {
            let location = try locator.locate(expectation.operand)
            let actual = try snapshot.memory.value(at: location)
            let expected = try PLCValue.parse(expectation.literal, as: location.dataType)
            let buffer = snapshot.diagnostics.map(\.text).joined(separator: "; ")
            let message =
                "\(name) line \(expectation.line): \(expectation.operand) is \(actual.format()), expected "
                + "\(expected.format()) [buffer: \(buffer)]"
            #expect(GoldenProgram.matches(actual, expected), Comment(rawValue: message))
        }
        for fault in program.expectedFaults {
            #expect(
                snapshot.diagnostics.contains { $0.text.lowercased().contains(fault.lowercased()) },
                "\(name): no diagnostic-buffer entry contains '\(fault)': \(snapshot.diagnostics.map(\.text))")
        }
        if program.expectedFaults.isEmpty {
            let errors = snapshot.diagnostics.filter { $0.eventID & 0xF000 == 0x2000 || $0.eventID & 0xF000 == 0x3000 }
            #expect(errors.isEmpty, "\(name): unexpected faults \(errors.map(\.text))")
        }
    }
}

/// One golden program file and its directives.
struct GoldenProgram {
    struct Expectation {
        var operand: String
        var literal: String
        var line: Int
    }

    var device: Device
    var cycles = 1
    var cycleTime: Duration = .milliseconds(10)
    /// `// restart-after: N`: a warm restart (STOP, RUN) after N of the cycles.
    var restartAfter: Int?
    var expectations: [Expectation] = []
    var expectedDiagnostics: [(code: String, line: Int)] = []
    var expectedFaults: [String] = []
    /// `// expect-warning: TEXT`: a compile warning whose message contains TEXT.
    var expectedWarnings: [String] = []
    /// `// simaticml: Ladder/X.xml`: SimaticML blocks (LAD, FBD) added to the program, relative to the program.
    var simaticML: [String] = []
    /// Lines of `expect` and `expect-diagnostic` directives that could not be read.
    var malformed: [Int] = []

    init(url: URL) throws {
        let data = try Data(contentsOf: url)
        let text = String(decoding: data, as: UTF8.self)
        var tags: [S7Model.Tag] = []
        var constants: [UserConstant] = []
        for (index, line) in text.components(separatedBy: "\n").enumerated() {
            guard line.hasPrefix("// ") else { continue }
            let body = line.dropFirst(3)
            guard let colon = body.firstIndex(of: ":") else { continue }
            let key = body[..<colon].trimmingCharacters(in: .whitespaces)
            let value = body[body.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "cycles": cycles = Int(value) ?? 1
            case "restart-after": restartAfter = Int(value)
            case "cycle-time":
                let milliseconds = Int(value.replacingOccurrences(of: "ms", with: "")) ?? 10
                cycleTime = .milliseconds(milliseconds)
            case "expect":
                guard let equals = value.range(of: " = ") else {
                    malformed.append(index + 1)
                    continue
                }
                expectations.append(
                    Expectation(
                        operand: String(value[..<equals.lowerBound]),
                        literal: String(value[equals.upperBound...]).trimmingCharacters(in: .whitespaces),
                        line: index + 1))
            case "expect-diagnostic":
                let parts = value.split(separator: " ")
                if parts.count >= 3, let line = Int(parts[2]) {
                    expectedDiagnostics.append((String(parts[0]), line))
                } else {
                    malformed.append(index + 1)
                }
            case "expect-fault": expectedFaults.append(value)
            case "expect-warning": expectedWarnings.append(value)
            case "simaticml": simaticML.append(value)
            case "tag", "constant":
                // "Name" Type Value-or-address
                guard let close = value.dropFirst().firstIndex(of: "\"") else { continue }
                let name = String(value[value.index(after: value.startIndex)..<close])
                let rest = value[value.index(after: close)...].split(separator: " ", maxSplits: 1).map(String.init)
                guard rest.count == 2 else { continue }
                if key == "tag" {
                    tags.append(S7Model.Tag(name: name, dataType: rest[0], address: rest[1]))
                } else {
                    constants.append(UserConstant(name: name, dataType: rest[0], value: rest[1]))
                }
            default: continue
            }
        }
        let file = SourceFileRef(path: url.lastPathComponent, format: .sclSource)
        let read = SCLSourceReader.read(bytes: Array(data), file: file, group: [])
        var blocks: [Block] = []
        var dataTypes: [PlcDataType] = []
        for object in read.objects {
            switch object {
            case .block(let block): blocks.append(block)
            case .dataType(let type): dataTypes.append(type)
            default: break
            }
        }
        for path in simaticML {
            let xml = url.deletingLastPathComponent().appendingPathComponent(path)
            let object = try SimaticMLReader.read(
                bytes: Array(try Data(contentsOf: xml)), file: SourceFileRef(path: path, format: .simaticML))
            if case .block(let block) = object { blocks.append(block) }
        }
        BlockNumbering.assign(&blocks)
        let table = TagTable(
            name: "Tags", file: SourceFileRef(path: "tags.xml", format: .simaticML), tags: tags, constants: constants)
        device = Device(name: "PLC_1", folder: "PLC_1", blocks: blocks, tagTables: [table], dataTypes: dataTypes)
    }

    /// `body` with `#` before each local name written without it and tabs as four blanks, as SimaticML gives it
    /// back.
    static func withLocalHashes(_ body: String, block: Block) -> String {
        let locals = Set(block.interface.allMembers.map { $0.name.lowercased() })
        let stream = SCLLexer.tokenize(SourceFile(path: "", text: body))
        var result = ""
        var position = 0
        var previous: TokenKind?
        for (index, token) in stream.tokens.enumerated() {
            result += stream.file.text(in: position..<token.start)
            let text = stream.file.text(in: token.range)
            let next = index + 1 < stream.tokens.count ? stream.tokens[index + 1].kind : nil
            let isParameterName =
                (previous == .leftParen || previous == .comma) && (next == .assign || next == .outputAssign)
            // `LEN(…)` beside a local `len` is the instruction (the programs call instances with `#`).
            if token.kind == .identifier, previous != .dot, !isParameterName, next != .leftParen,
                locals.contains(text.lowercased())
            {
                result += "#"
            }
            result += text
            position = token.end
            previous = token.kind
        }
        result += stream.file.text(in: position..<stream.file.bytes.count)
        return result.replacingOccurrences(of: "\t", with: "    ")
    }

    /// Equal values; REAL and LREAL within a relative 1e-6.
    static func matches(_ actual: PLCValue, _ expected: PLCValue) -> Bool {
        switch (actual, expected) {
        case (.real(let a), .real(let b)): return abs(a - b) <= max(abs(b), 1) * 1e-6 || a == b
        case (.lReal(let a), .lReal(let b)): return abs(a - b) <= max(abs(b), 1) * 1e-9 || a == b
        default: return actual == expected
        }
    }
}
