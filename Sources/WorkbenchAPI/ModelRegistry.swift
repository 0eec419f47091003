import Foundation
import S7Compiler
import S7Diagnostics
import S7Model
import S7Runtime
import SCLSyntax
import SimaticML
import Workbench

/// A public type of s7wb's own model, as the Diagnostics routes describe it: where T-IA Connect introspects
/// TIA Portal's Openness assemblies, s7wb shows the modules and types of this engine.
struct ModelType: Sendable {
    enum Kind: String, Sendable {
        case `struct`, `enum`, actor, `class`, `protocol`
    }

    /// One case of an enum: `organizationBlock` with raw value `OB`; cases of enums without raw values have none.
    struct Case: Sendable {
        var name: String
        var value: String?
    }

    /// The type's name inside its module; nested types with their parent: `Address.Area`.
    var name: String
    /// The Swift module (SwiftPM target) that declares the type.
    var namespace: String
    var kind: Kind
    var summary: String
    /// Stored properties of structs and classes, cases of enums.
    var members: [String]
    /// True when `cases` were read from the type's `allCases` at run time, so they cannot drift from the code.
    var isCaseIterable: Bool
    var cases: [Case]

    /// `S7Model.Address.Area`.
    var qualifiedName: String { namespace + "." + name }
}

/// A module of s7wb (DESIGN.md's target table).
struct ModelNamespace: Sendable {
    var name: String
    var purpose: String
    /// The s7wb modules it depends on (Package.swift).
    var dependsOn: [String]
}

/// The registry of s7wb's modules and public model types behind `GET /api/diagnostic/…`.
///
/// Types of the modules WorkbenchAPI can import are named by their metatype (`String(reflecting:)`), enums that are
/// `CaseIterable` list `allCases`, and plain structs list the stored properties of a sample value (`Mirror`), so
/// those entries follow the code. The others (S7Protocol, WorkbenchMCP, WorkbenchTUI, actors and classes) are
/// written by hand.
enum ModelRegistry {
    static let namespaces: [ModelNamespace] = [
        ModelNamespace(
            name: "S7Model",
            purpose:
                "Value types: project, devices, blocks, interfaces, data types, tags and tag tables, watch and force "
                + "tables, addresses, PLC values with S7 literal parse and format.",
            dependsOn: []),
        ModelNamespace(
            name: "S7Diagnostics",
            purpose: "Source files and ranges, diagnostics with stable codes and severities, the code registry and the "
                + "clang-style renderer.",
            dependsOn: []),
        ModelNamespace(
            name: "SCLSyntax", purpose: "SCL lexer, tokens, parser with error recovery, syntax tree and formatter.",
            dependsOn: ["S7Diagnostics"]),
        ModelNamespace(
            name: "SimaticML",
            purpose:
                "SimaticML XML read and write (blocks, networks, data types, tag tables, watch tables) and the TIA "
                + "Version Control Interface folder layout.",
            dependsOn: ["S7Model", "SCLSyntax", "S7Diagnostics"]),
        ModelNamespace(
            name: "S7Compiler",
            purpose: "Symbol index of a device, type checker with S7 conversion rules, lowering of SCL and LAD/FBD "
                + "networks to bytecode.",
            dependsOn: ["S7Model", "SCLSyntax", "S7Diagnostics"]),
        ModelNamespace(
            name: "S7Runtime",
            purpose: "The virtual PLC: bytecode VM, memory areas, process image, scan cycle, OBs, timers and counters, "
                + "instruction library, virtual clock, CPU modes, diagnostic buffer.",
            dependsOn: ["S7Model", "S7Compiler"]),
        ModelNamespace(
            name: "S7Protocol",
            purpose: "S7comm codec (TPKT and COTP frames, connection setup) as pure state machines.",
            dependsOn: ["S7Model"]),
        ModelNamespace(
            name: "Workbench",
            purpose: "The Engine actor: open projects, jobs, virtual PLC registry, history, audit log and snapshots, "
                + "event stream.",
            dependsOn: [
                "S7Model", "S7Diagnostics", "SCLSyntax", "SimaticML", "S7Compiler", "S7Runtime", "S7Protocol",
            ]),
        ModelNamespace(
            name: "WorkbenchAPI",
            purpose: "The route catalog served as REST API (T-IA Connect compatible), its OpenAPI document and its "
                + "/api/docs text.",
            dependsOn: ["Workbench", "S7Model", "SimaticML"]),
        ModelNamespace(
            name: "WorkbenchMCP", purpose: "The MCP server whose tools come from the same route catalog.",
            dependsOn: ["Workbench", "WorkbenchAPI"]),
        ModelNamespace(
            name: "WorkbenchTUI",
            purpose: "The terminal workbench: terminal protocol (ncurses and in-memory), screen buffer, panes, keymap, "
                + "theme, event loop.",
            dependsOn: ["Workbench"]),
    ]

    static let types: [ModelType] =
        modelTypes + diagnosticsTypes + syntaxTypes + simaticMLTypes + compilerTypes + runtimeTypes + protocolTypes
        + workbenchTypes + apiTypes + frontEndTypes

    static func typesDeclared(in namespace: String) -> [ModelType] {
        types.filter { $0.namespace == namespace }
    }

    /// The type named `text`, case-insensitively: `BlockKind`, `Address.Area`, `S7Model.BlockKind`, or a nested
    /// type's own name (`Area`) when only one type has it.
    static func type(named text: String) -> ModelType? {
        let wanted = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let exact = types.first(where: { $0.name.lowercased() == wanted || $0.qualifiedName.lowercased() == wanted })
        {
            return exact
        }
        let nested = types.filter { $0.name.split(separator: ".").last?.lowercased() == wanted }
        return nested.count == 1 ? nested[0] : nil
    }

    /// Types whose qualified name contains `filter` (case-insensitive); every type for an empty filter.
    static func typesMatching(_ filter: String) -> [ModelType] {
        let wanted = filter.trimmingCharacters(in: .whitespaces).lowercased()
        guard !wanted.isEmpty else { return types }
        return types.filter { $0.qualifiedName.lowercased().contains(wanted) }
    }

    /// The S7 instructions a program can call: the VM's built-in and library instructions (read from their enums)
    /// and those the compiler lowers itself (`BlockCompiler.instruction`), besides the `<TYPE>_TO_<TYPE>` and
    /// `TO_<TYPE>` conversions.
    static let instructions: [String] = {
        var names = Set(BuiltinInstruction.allCases.map(\.name))
        // `compare` is the VM's string comparison behind `<`, `=` …, not an instruction a program names.
        names.formUnion(LibraryInstruction.allCases.map(\.name).filter { $0 == $0.uppercased() })
        names.formUnion([
            "TRUNC", "ROUND", "CEIL", "FLOOR", "SQR", "FRAC", "EXPT", "NORM_X", "SCALE_X", "MOVE_BLK", "FILL_BLK",
            "UMOVE_BLK", "LEN",
        ])
        return names.sorted()
    }()

    // MARK: Building entries

    /// A `CaseIterable` enum: name from the type, cases from `allCases`.
    private static func caseIterable<E: CaseIterable & RawRepresentable>(_ type: E.Type, _ summary: String) -> ModelType
    {
        let cases = E.allCases.map { ModelType.Case(name: String(describing: $0), value: "\($0.rawValue)") }
        return described(E.self, .enum, summary, members: cases.map(\.name), cases: cases, isCaseIterable: true)
    }

    /// A struct whose members are the stored properties of `sample`.
    private static func reflected<T>(_ sample: T, _ summary: String) -> ModelType {
        described(T.self, .struct, summary, members: Mirror(reflecting: sample).children.compactMap { $0.label })
    }

    /// An enum that is not `CaseIterable`, with its cases as declared.
    private static func enumeration(_ type: Any.Type, _ summary: String, cases: [String]) -> ModelType {
        described(
            type, .enum, summary, members: cases, cases: cases.map { ModelType.Case(name: $0, value: nil) },
            isCaseIterable: false)
    }

    /// A type named by its metatype: `String(reflecting: Address.Area.self)` is `S7Model.Address.Area`.
    private static func described(
        _ type: Any.Type, _ kind: ModelType.Kind, _ summary: String, members: [String] = [],
        cases: [ModelType.Case] = [], isCaseIterable: Bool = false
    ) -> ModelType {
        let parts = String(reflecting: type).split(separator: ".", maxSplits: 1).map(String.init)
        return ModelType(
            name: parts.count == 2 ? parts[1] : parts[0], namespace: parts.count == 2 ? parts[0] : "s7wb", kind: kind,
            summary: summary, members: members, isCaseIterable: isCaseIterable, cases: cases)
    }

    /// A type of a module WorkbenchAPI does not import, written by hand.
    private static func named(
        _ namespace: String, _ name: String, _ kind: ModelType.Kind, _ summary: String, members: [String] = []
    ) -> ModelType {
        ModelType(
            name: name, namespace: namespace, kind: kind, summary: summary, members: members,
            isCaseIterable: false, cases: kind == .enum ? members.map { ModelType.Case(name: $0, value: nil) } : [])
    }

    // MARK: The modules

    private static let sampleFile = SourceFileRef(path: "", format: .sclSource)

    private static var modelTypes: [ModelType] {
        [
            reflected(
                Project(name: "", root: ""), "A project: its folder, devices, project library and load problems."),
            reflected(
                Device(name: "", folder: ""), "A device: a PLC with program, tags, data types and tables, or an HMI."),
            enumeration(DeviceKind.self, "What a device is.", cases: ["plc", "hmi"]),
            reflected(
                Block(name: "", kind: .function, language: .scl, file: sampleFile),
                "A program block (OB, FB, FC, DB) with its interface and its SCL source or networks."),
            caseIterable(BlockKind.self, "The kinds of program blocks."),
            caseIterable(BlockLanguage.self, "The programming languages of blocks and networks."),
            reflected(sampleFile, "The file an object was read from and its format."),
            enumeration(
                SourceFileRef.Format.self, "The formats of project files.",
                cases: ["sclSource", "dbSource", "udtSource", "simaticML", "simaticSD"]),
            reflected(
                Network(language: .lad, title: MultilingualText(), comment: MultilingualText(), sourceXML: ""),
                "A LAD/FBD/STL network of a block, with its SimaticML source."),
            reflected(Interface(), "A block interface: its sections."),
            reflected(
                InterfaceSection(kind: .input), "One interface section (Input, Output, Static …) and its members."),
            caseIterable(InterfaceSection.Kind.self, "The interface sections."),
            reflected(
                S7Model.Member(name: "", dataType: ""),
                "A declared variable: type, start value, retain, attributes, nested members."),
            enumeration(
                DataType.self, "An S7 data type: elementary, String[n], Array, Struct, PLC data type, system type.",
                cases: [
                    "bool", "byte", "word", "dWord", "lWord", "sInt", "usInt", "int", "uInt", "dInt", "udInt", "lInt",
                    "ulInt", "real", "lReal", "s5Time", "time", "lTime", "date", "timeOfDay", "lTimeOfDay",
                    "dateAndTime", "ldt", "dtl", "char", "wChar", "string(Bound)", "wString(Bound)",
                    "array([Dimension], of: DataType)", "struct([StructMember])", "named(String)",
                    "systemDataType(String)", "systemFB(SystemFBType)", "variant", "pointer", "any", "void",
                    "blockFB", "blockFC", "blockDB", "timer", "counter", "dbAny", "remote",
                ]),
            described(
                StructMember.self, .struct, "A member of an anonymous Struct type.", members: ["name", "dataType"]),
            described(
                SystemFBType.self, .struct, "An IEC system function block type (TON, CTU, R_TRIG …).",
                members: ["name"]),
            reflected(TagTable(name: "", file: sampleFile), "A PLC tag table with its tags and user constants."),
            reflected(S7Model.Tag(name: "", dataType: "", address: ""), "A PLC tag: name, data type, address."),
            reflected(UserConstant(name: "", dataType: "", value: ""), "A user constant of a tag table."),
            reflected(PlcDataType(name: "", file: sampleFile), "A PLC data type (UDT) and its members."),
            reflected(WatchTable(name: "", kind: .watch, file: sampleFile), "A watch or force table."),
            enumeration(WatchTable.Kind.self, "Watch table or force table.", cases: ["watch", "force"]),
            reflected(WatchEntry(operand: ""), "A row of a watch or force table."),
            described(
                Address.self, .struct, "An absolute address: %I0.0, %MW10, %DB1.DBX2.3.",
                members: ["area", "dbNumber", "byteOffset", "bit", "size", "isPeripheral"]),
            caseIterable(Address.Area.self, "The memory areas of an absolute address."),
            caseIterable(Address.Size.self, "The access widths of an absolute address, in bits."),
            enumeration(
                PLCValue.self, "A typed PLC value with S7 literal parse and format.",
                cases: [
                    "bool", "byte", "word", "dWord", "lWord", "sInt", "usInt", "int", "uInt", "dInt", "udInt", "lInt",
                    "ulInt", "real", "lReal", "s5Time", "time", "lTime", "date", "timeOfDay", "lTimeOfDay",
                    "dateAndTime", "ldt", "dtl", "char", "wChar", "string", "wString",
                ]),
            described(
                PLCDateTime.self, .struct, "A date and time as DT, LDT and DTL hold it.",
                members: ["year", "month", "day", "hour", "minute", "second", "nanosecond"]),
            reflected(MultilingualText(), "A text in several cultures (titles, comments)."),
            reflected(
                ProjectManifest(name: ""), "s7project.json: what VCI does not hold (devices, order numbers, IPs)."),
            reflected(DeviceManifest(name: ""), "A device entry of s7project.json."),
            reflected(LoadProblem(path: "", reason: ""), "A file that could not be read, with where and why."),
            reflected(ProjectLibrary(), "The project library's block and data type types."),
            described(
                StandardLayout.self, .struct, "The byte layout of a non-optimized DB or structure.",
                members: ["entries", "sizeInBytes"]),
        ]
    }

    private static var diagnosticsTypes: [ModelType] {
        [
            described(
                Diagnostic.self, .struct, "A diagnostic: stable code, severity, message, ranges, notes, fix-it.",
                members: ["code", "severity", "message", "range", "labels", "notes", "fixIt"]),
            described(DiagnosticCode.self, .struct, "A stable diagnostic code such as SCL1003.", members: ["rawValue"]),
            described(DiagnosticRegistry.self, .enum, "Every diagnostic code with its title and explanation."),
            caseIterable(Severity.self, "How serious a diagnostic is."),
            described(
                SourceFile.self, .struct, "A source file with its line starts.",
                members: ["path", "bytes", "lineStarts"]),
            described(SourceRange.self, .struct, "A byte range in a source file.", members: ["path", "start", "end"]),
            described(SourceLocation.self, .struct, "A line and column in a source file."),
            described(
                DiagnosticRenderer.self, .struct, "Renders diagnostics clang-style with the source line and a caret."),
            described(
                DiagnosticRecord.self, .struct, "A diagnostic as JSON records it (file, line, column, code).",
                members: ["file", "line", "column", "endLine", "endColumn", "severity", "code", "message"]),
        ]
    }

    private static var syntaxTypes: [ModelType] {
        [
            described(SCLLexer.self, .enum, "Turns SCL text into tokens with trivia."),
            described(Token.self, .struct, "A token: kind and byte range with its trivia.", members: ["kind"]),
            enumeration(
                TokenKind.self, "The kinds of SCL tokens.",
                cases: [
                    "identifier", "keyword(Keyword)", "quotedIdentifier", "localIdentifier", "quotedLocalIdentifier",
                    "absoluteAddress",
                ]),
            described(TokenStream.self, .struct, "The tokens of a source file."),
            caseIterable(Keyword.self, "The reserved and contextual keywords of S7 SCL."),
            caseIterable(TypedLiteralPrefix.self, "The type prefixes of typed literals (INT#5, T#1s)."),
            described(SCLParser.self, .enum, "The SCL parser: returns the tree and its diagnostics, never throws."),
            described(
                SCLParseResult.self, .struct, "The parsed units of a source with their diagnostics.",
                members: ["tokens", "units", "diagnostics"]),
            described(
                SCLProgramUnit.self, .struct,
                "A parsed FUNCTION_BLOCK, FUNCTION, ORGANIZATION_BLOCK, DATA_BLOCK or TYPE.",
                members: ["kind", "name", "returnType", "header", "sections", "body", "isTerminated", "range"]),
            described(SCLStatement.self, .struct, "A statement of the syntax tree."),
            described(SCLExpression.self, .struct, "An expression of the syntax tree."),
            described(
                SCLUnit.self, .struct, "A program unit found by the unit scanner: header, interface, range.",
                members: [
                    "kind", "name", "nameRange", "range", "attributes", "pragmas", "flags", "returnType",
                    "dataBlockType", "sections", "hasBody", "isTerminated", "diagnostics",
                ]),
            caseIterable(SCLUnit.Kind.self, "The kinds of SCL program units."),
            described(SCLUnitScanner.self, .enum, "Finds the program units of a source and their interfaces."),
            described(SCLFormatter.self, .enum, "Formats SCL in one canonical style, keeping every comment."),
            described(SCLTreeDump.self, .enum, "Prints the syntax tree for tests and `s7wb check --tree`."),
        ]
    }

    private static var simaticMLTypes: [ModelType] {
        [
            described(ProjectLoader.self, .enum, "Opens a folder in the VCI layout as a project."),
            described(SimaticMLReader.self, .enum, "Reads SimaticML documents: blocks, UDTs, tag and watch tables."),
            described(
                SimaticMLWriter.self, .enum,
                "Writes blocks, PLC data types, tag tables and watch/force tables as SimaticML."),
            described(SCLSourceReader.self, .enum, "Reads .scl, .db and .udt external sources into blocks and types."),
            described(SCLSourceResult.self, .struct, "The objects and problems read from an external source."),
            described(VCILayout.self, .enum, "The folder names of TIA Portal's Version Control Interface."),
            described(EngineeringVersion.self, .enum, "The SimaticML Engineering versions read (V15 to V21)."),
            described(BlockNumbering.self, .enum, "Gives blocks without a number the next free one, as TIA does."),
            described(SimaticMLObject.self, .enum, "An object read from a SimaticML document."),
        ]
    }

    private static var compilerTypes: [ModelType] {
        [
            described(DeviceCompiler.self, .enum, "Compiles a PLC's blocks into a program for the virtual PLC."),
            described(
                CompilationResult.self, .struct, "The program, diagnostics and skipped blocks of a compilation.",
                members: ["program", "diagnostics", "files", "skippedBlocks"]),
            described(SymbolIndex.self, .struct, "The tags, constants, blocks and data types of a device by name."),
            described(
                CompiledProgram.self, .struct, "Compiled code blocks and data block images.",
                members: ["blocks", "dataBlocks", "metadata"]),
            described(
                CompiledBlock.self, .struct, "The bytecode of one block with constants and a line table.",
                members: [
                    "kind", "name", "number", "instructions", "constants", "arrays", "lineTable", "registerCount",
                    "tempSize", "parameterSize", "instanceSize", "interface", "event",
                ]),
            described(
                BytecodeInstruction.self, .struct, "One VM instruction.",
                members: ["opcode", "area", "a", "b", "c", "d", "e"]),
            caseIterable(Opcode.self, "The VM's instructions."),
            caseIterable(AreaKind.self, "The memory areas an instruction operand addresses."),
            caseIterable(ValueType.self, "The value types instructions are specialised for."),
            caseIterable(BuiltinInstruction.self, "The built-in instructions: timers, counters, edges, math, shifts."),
            caseIterable(LibraryInstruction.self, "The library instructions: strings, date and time, RUNTIME."),
            caseIterable(DateTimeKind.self, "How date and time instructions read and write an operand."),
            enumeration(
                OBEventClass.self, "The events that start organization blocks.",
                cases: [
                    "programCycle", "startup", "cyclicInterrupt(period:phase:)", "timeError", "programmingError",
                ]),
            described(
                OperandLocator.self, .class, "Resolves operands (\"Tag\", \"DB\".a[3], %MW10) to memory locations."),
            described(
                OperandLocation.self, .struct, "Where an operand lives: area, DB, byte, bit, type.",
                members: ["area", "dbNumber", "byteOffset", "bit", "dataType", "size"]),
            described(SystemTypes.self, .enum, "The interfaces of the IEC system function blocks."),
        ]
    }

    private static var runtimeTypes: [ModelType] {
        [
            described(
                VirtualPLC.self, .class, "A virtual CPU on its own thread: scan cycle, OBs, modes, clock.",
                members: ["configuration"]),
            described(
                VirtualPLC.Configuration.self, .struct, "Memory profile, clock, cycle times, diagnostic buffer size.",
                members: [
                    "profile", "clock", "minimumCycleTime", "maximumCycleTime", "diagnosticCapacity",
                    "systemTimeOrigin", "localTimeOffset", "retentiveMarkerBytes",
                ]),
            described(
                VirtualPLC.Snapshot.self, .struct, "The consistent image published at the end of a cycle.",
                members: ["memory", "mode", "cycle", "virtualTime", "statistics", "clockMode", "forces"]),
            described(
                VirtualPLC.CycleStatistics.self, .struct, "Cycle and execution times: last, minimum, maximum, average.",
                members: [
                    "count", "last", "minimum", "maximum", "average", "lastExecution", "averageExecution",
                    "minimumExecution", "maximumExecution",
                ]),
            described(
                CPUModeStateMachine.self, .struct, "The CPU's STOP, STARTUP and RUN modes as a pure state machine.",
                members: ["state"]),
            enumeration(
                CPUModeStateMachine.State.self, "The CPU's operating mode.",
                cases: ["stop(StopCause)", "startup", "run"]),
            enumeration(
                CPUModeStateMachine.StopCause.self, "Why the CPU is in STOP.",
                cases: ["initial", "requested", "programmingError", "timeError", "memoryReset"]),
            described(
                CPUMemory.self, .struct, "The memory areas of a CPU: I, Q, M, timers, counters, DBs.",
                members: ["profile", "inputs", "outputs", "markers", "timers", "counters"]),
            described(
                CPUMemoryProfile.self, .struct, "Area sizes of an S7-1200 or S7-1500 CPU.",
                members: [
                    "name", "inputSize", "outputSize", "markerSize", "timerCount", "counterCount", "dataBlockNumbers",
                    "maxDataBlockSize", "localDataSize",
                ]),
            described(DiagnosticBuffer.self, .struct, "The CPU's diagnostic buffer, a ring of events."),
            described(
                DiagnosticEntry.self, .struct,
                "A diagnostic buffer event, with the block and SCL line of runtime errors.",
                members: ["sequence", "time", "eventID", "text", "block", "line", "column"]),
            described(
                VirtualClock.self, .struct, "The virtual PLC's time: real, scaled or stepped.", members: ["mode"]),
            enumeration(
                VirtualClock.Mode.self, "How virtual time runs.", cases: ["realTime", "scaled(Double)", "stepped"]),
            enumeration(
                MemoryAreaKind.self, "The memory areas of the runtime.",
                cases: [
                    "input", "output", "marker", "timer", "counter", "dataBlock(Int)", "peripheralInput",
                    "peripheralOutput", "local",
                ]),
            described(PLCError.self, .enum, "Why the virtual PLC refused a request."),
        ]
    }

    private static var protocolTypes: [ModelType] {
        [
            named("S7Protocol", "TPKTFrame", .struct, "An RFC 1006 TPKT frame.", members: ["payload"]),
            named(
                "S7Protocol", "TPKTFrameDecoder", .struct, "Cuts TPKT frames from a byte stream, never a partial one."),
            named("S7Protocol", "TPKTFrameEncoder", .struct, "Writes TPKT frames."),
            named("S7Protocol", "COTPTPDU", .enum, "A COTP TPDU: connection request/confirm, data, disconnect, error."),
            named("S7Protocol", "COTPServerStateMachine", .struct, "COTP connection setup on the server side."),
            named("S7Protocol", "TSAP", .struct, "A transport service access point (rack and slot of an S7 CPU)."),
        ]
    }

    private static var workbenchTypes: [ModelType] {
        [
            described(
                Engine.self, .actor, "The one writer of project state; every front end calls it.",
                members: ["configuration", "startedAt"]),
            described(
                Engine.Configuration.self, .struct, "Default actor, snapshots before change, files root.",
                members: ["defaultActor", "snapshotBeforeChange", "filesRoot"]),
            described(
                Engine.Session.self, .struct, "An open project and what the engine keeps beside it.",
                members: ["id", "project", "store", "openedAt", "dirtyFiles", "removedFiles"]),
            enumeration(Engine.History.self, "Where a session keeps its history.", cases: ["persistent", "inMemory"]),
            described(ProjectStore.self, .class, "The project's SQLite store: audit log, snapshots, jobs, settings."),
            described(
                PLCInstance.self, .class, "The virtual PLC the engine keeps for a device of an open project.",
                members: ["device", "plc", "createdAt", "downloadedAt", "loadedBlocks"]),
            enumeration(
                OnlineComparison.self, "A project block against the PLC.", cases: ["same", "different", "offlineOnly"]),
            described(
                DownloadReport.self, .struct, "What a download did.",
                members: ["device", "result", "loadedBlocks", "dataBlocks", "restarted"]),
            described(
                ProgramRun.self, .struct, "What `s7wb run` reports: values, statistics, diagnostic buffer.",
                members: ["device", "cycles", "mode", "values", "statistics", "diagnostics", "virtualTime"]),
            enumeration(
                RunTiming.self, "How a program run drives time.",
                cases: ["stepped(cycles:cycleTime:)", "realTime(speed:minimumCycleTime:duration:)"]),
            described(EngineError.self, .struct, "An engine error: kind and message.", members: ["kind", "message"]),
            enumeration(
                EngineError.Kind.self, "What went wrong, mapped to HTTP statuses by the API.",
                cases: ["notFound", "conflict", "invalidInput", "io", "unsupported", "forbidden"]),
            enumeration(
                EngineEvent.self, "What the engine publishes to the TUI, SSE and MCP.",
                cases: [
                    "projectOpened", "projectClosed", "projectSaved", "objectChanged", "jobUpdated", "plcChanged",
                    "message",
                ]),
            described(
                JobRecord.self, .struct, "An asynchronous job and its result.",
                members: ["id", "kind", "status", "progress", "message", "createdAt", "updatedAt", "result", "error"]),
            enumeration(
                JobRecord.Status.self, "The states of a job.",
                cases: ["queued", "running", "succeeded", "failed", "cancelled"]),
            described(
                AuditEntry.self, .struct, "A line of the audit log.",
                members: ["id", "at", "actor", "action", "target", "detail", "outcome"]),
            described(
                Workbench.Snapshot.self, .struct, "A file as it was before a change.",
                members: ["id", "at", "actor", "objectKind", "objectPath", "reason", "content"]),
            reflected(ProjectSettings(), "A project's settings kept in its store."),
            caseIterable(ObjectTemplate.self, "What can be created from a template."),
            enumeration(
                ObjectReference.self, "A project object by kind and name.",
                cases: ["block(String)", "dataType(String)", "tagTable(String)", "watchTable(String)"]),
        ]
    }

    private static var apiTypes: [ModelType] {
        [
            described(RouteCatalog.self, .struct, "Every endpoint of the API, declared once.", members: ["routes"]),
            described(
                Route.self, .struct, "One endpoint: method, path, group, schemas, handler.",
                members: [
                    "method", "path", "group", "summary", "isPublic", "query", "pathSchemas", "requestSchema",
                    "responseSchema", "successStatus", "errorStatuses", "mutates", "handler",
                ]),
            described(
                RouteRequest.self, .struct, "What a handler gets.",
                members: ["pathParameters", "query", "body", "actor"]),
            described(RouteResponse.self, .struct, "What a handler answers.", members: ["status", "body"]),
            described(
                QueryParameter.self, .struct, "A documented query parameter.",
                members: ["name", "description", "schema", "required"]),
            caseIterable(HTTPVerb.self, "The HTTP methods of the catalog."),
            described(
                APIError.self, .struct, "An error answered as an RFC 9457 problem.",
                members: ["status", "title", "detail"]),
            enumeration(
                JSONValue.self, "A JSON value with ordered object keys.",
                cases: ["null", "bool", "int", "double", "string", "array", "object"]),
            described(APIServer.self, .struct, "The Hummingbird server of the catalog."),
            described(OpenAPIDocument.self, .enum, "Builds /api/openapi.json from the catalog."),
            described(ModelJSON.self, .enum, "The JSON shapes of project objects."),
        ]
    }

    private static var frontEndTypes: [ModelType] {
        [
            named(
                "WorkbenchMCP", "MCPTools", .struct, "MCP tools made from the route catalog.",
                members: ["catalog", "engine"]),
            named("WorkbenchTUI", "WorkbenchApp", .class, "The terminal workbench's state and event loop."),
            named("WorkbenchTUI", "Terminal", .protocol, "What the workbench draws on: ncurses or in memory."),
            named("WorkbenchTUI", "NcursesTerminal", .class, "The ncurses terminal."),
            named("WorkbenchTUI", "InMemoryTerminal", .class, "A terminal in memory for screen tests."),
            named("WorkbenchTUI", "ScreenBuffer", .struct, "The cells of a screen."),
            named("WorkbenchTUI", "Keymap", .struct, "Key bindings by meaningful action names."),
            named("WorkbenchTUI", "Theme", .struct, "Styles by theme role."),
            named(
                "WorkbenchTUI", "ThemeRole", .enum,
                "The meaningful names themes style (forcedValue, diagnosticError …)."),
            named("WorkbenchTUI", "ProjectTree", .struct, "The project tree pane's model."),
        ]
    }
}
