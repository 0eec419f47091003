import Foundation
import S7Diagnostics
import S7Model
import S7Runtime
import SimaticML
import Testing

@testable import S7Compiler

/// An instance DB of a system or library FB that s7wb does not know (the corpus's "CNT_CTRL_1", an instance of
/// CNT_CHANTYPE1): SimaticML carries the DB's whole interface, so the DB is built from it with a warning that the
/// instruction is not simulated, and its members read and write by symbol.
@Suite struct UnknownInstanceTypeTests {
    static let source = """
        DATA_BLOCK "Out"
        { S7_Optimized_Access := 'TRUE' }
        VERSION : 0.1
        NON_RETAIN
           VAR
              compare : DInt;
              address : DWord;
              flag : Bool;
           END_VAR
        BEGIN
        END_DATA_BLOCK

        ORGANIZATION_BLOCK "Main"
        BEGIN
        \t"CNT_CTRL_1".LOAD_VAL := 1234;
        \t"CNT_CTRL_1".TFB := TRUE;
        \t"Out".compare := "CNT_CTRL_1".CMP_V1 + 1;
        \t"Out".address := "CNT_CTRL_1".CH_ADR;
        \t"Out".flag := "CNT_CTRL_1".TFB;
        END_ORGANIZATION_BLOCK
        """

    static func device(instanceMembers: [Member]) -> Device {
        let file = SourceFileRef(path: "main.scl", format: .sclSource)
        let read = SCLSourceReader.read(bytes: Array(source.utf8), file: file, group: [])
        var blocks: [Block] = read.objects.compactMap { object in
            if case .block(let block) = object { return block }
            return nil
        }
        blocks.append(
            Block(
                name: "CNT_CTRL_1", kind: .instanceDB, number: 40, language: .db,
                file: SourceFileRef(path: "CNT_CTRL_1.xml", format: .simaticML),
                interface: Interface(sections: [InterfaceSection(kind: .static, members: instanceMembers)]),
                instanceOf: "CNT_CHANTYPE1"))
        BlockNumbering.assign(&blocks)
        return Device(name: "PLC_1", folder: "PLC_1", blocks: blocks)
    }

    static let members = [
        Member(name: "AR1_BUFFER", dataType: "DWord"),
        Member(name: "CH_ADR", dataType: "DWord", startValue: "P#544.0"),
        Member(name: "LOAD_VAL", dataType: "DInt"),
        Member(name: "CMP_V1", dataType: "DInt", startValue: "77"),
        Member(name: "TFB", dataType: "Bool"),
    ]

    @Test func buildsTheDBFromItsOwnInterfaceWithAWarning() throws {
        let device = Self.device(instanceMembers: Self.members)
        let result = DeviceCompiler.compile(device)
        let rendered = DiagnosticRenderer().render(result.diagnostics, files: Array(result.files.values))
        #expect(result.errorCount == 0, Comment(rawValue: rendered))
        let warning = result.diagnostics.first { $0.code == .instructionNotSimulated }
        #expect(warning?.severity == .warning)
        #expect(warning?.message.contains("CNT_CHANTYPE1") == true)
        #expect(warning?.range.path == "CNT_CTRL_1.xml")

        let plc = VirtualPLC()
        try plc.load(result.program)
        plc.start()
        plc.runCycles(1, cycleTime: .milliseconds(10))
        let memory = plc.snapshot().memory
        let locator = OperandLocator(device: device)
        func value(_ operand: String) throws -> PLCValue { try memory.value(at: locator.locate(operand)) }
        #expect(try value("\"CNT_CTRL_1\".LOAD_VAL") == .dInt(1234))
        #expect(try value("\"Out\".compare") == .dInt(78))
        // P#544.0 as a DWord: the bit address 544 × 8 (no area).
        #expect(try value("\"Out\".address") == .dWord(544 * 8))
        #expect(try value("\"Out\".flag") == .bool(true))
        // Standard layout of the DB's own members: AR1_BUFFER 0, CH_ADR 4, LOAD_VAL 8, CMP_V1 12, TFB 16.0.
        #expect(try locator.locate("\"CNT_CTRL_1\".CMP_V1").byteOffset == 12)
    }

    @Test func aDBOfAnUnknownTypeWithoutInterfaceStaysAnError() {
        let result = DeviceCompiler.compile(Self.device(instanceMembers: []))
        let error = result.diagnostics.first { $0.severity == .error && $0.code == .unknownType }
        #expect(error?.message.contains("is an instance of unknown \"CNT_CHANTYPE1\"") == true)
    }

    @Test func readsAreaPointers() {
        #expect(DataBlockBuilder.areaPointer("P#544.0") == 0x1100)
        #expect(DataBlockBuilder.areaPointer("P#M10.1") == 0x8300_0051)
        #expect(DataBlockBuilder.areaPointer("P#DBX2.0") == 0x8400_0010)
        #expect(DataBlockBuilder.areaPointer("P#1.8") == nil)
        #expect(DataBlockBuilder.areaPointer("16#10") == nil)
    }
}
