import Foundation
import S7Compiler
import S7Diagnostics
import S7Model
import SimaticML
import Testing

/// The shape of the code the compiler emits where the benchmarks depend on it; what the code computes is checked
/// by the golden programs.
@Suite struct CodeGenerationTests {
    static func compileMain(_ source: String) throws -> CompiledBlock {
        let read = SCLSourceReader.read(
            bytes: Array(source.utf8), file: SourceFileRef(path: "main.scl", format: .sclSource), group: [])
        var blocks = read.objects.compactMap { object -> Block? in
            if case .block(let block) = object { return block }
            return nil
        }
        BlockNumbering.assign(&blocks)
        let result = DeviceCompiler.compile(Device(name: "PLC_1", folder: "PLC_1", blocks: blocks))
        #expect(result.errorCount == 0, "\(result.diagnostics.map(\.message))")
        return try #require(result.program.blocks.first { $0.kind == .organizationBlock })
    }

    /// `#a := "Data".arr[#i]` loads straight into #a's register: no `move` after the load.
    @Test func aLoadIntoATemporaryWritesItsRegister() throws {
        let main = try Self.compileMain(
            """
            DATA_BLOCK "Data"
            { S7_Optimized_Access := 'TRUE' }
            NON_RETAIN
               VAR
                  arr : Array[0..9] of DInt;
                  flags : Array[0..9] of Bool;
                  x : Int;
                  y : Bool;
               END_VAR
            BEGIN
            END_DATA_BLOCK

            ORGANIZATION_BLOCK "Main"
               VAR_TEMP
                  i : DInt;
                  a : DInt;
                  b : Bool;
                  c : Int;
                  d : Bool;
               END_VAR
            BEGIN
                #a := "Data".arr[#i];
                #b := "Data".flags[#i];
                #c := "Data".x;
                #d := "Data".y;
                #i := "Data".arr[#i];
            END_ORGANIZATION_BLOCK
            """)
        let opcodes = main.instructions.map(\.opcode)
        #expect(!opcodes.contains(.move), "\(main.disassembly(program: CompiledProgram(blocks: [main])))")
        #expect(opcodes.filter { $0 == .loadS32a }.count == 2)
    }

    /// loops-count.scl checks the values; this checks that its loops are the ones done at once: every count but
    /// the USInt one (no 8-bit add) and the one with an ELSE, and every fill.
    @Test func countAndFillLoopsAreRecognized() throws {
        let program = try GoldenProgram(url: GoldenProgramTests.folder.appendingPathComponent("loops-count.scl"))
        let result = DeviceCompiler.compile(program.device)
        let main = try #require(result.program.blocks.first { $0.displayName.contains("Main") })
        #expect(main.instructions.filter { $0.opcode == .countLoop }.count == 12)
        #expect(main.instructions.filter { $0.opcode == .fillLoop }.count == 4)
    }
}
