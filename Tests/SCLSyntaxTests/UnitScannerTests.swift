import S7Diagnostics
import SCLSyntax
import Testing

@Suite struct UnitScannerTests {
    func scan(_ source: String) -> (tokens: TokenStream, scan: SCLUnitScan) {
        SCLUnitScanner.scan(SourceFile(path: "test.scl", text: source))
    }

    /// Diagnostics as `code line:col message`.
    func described(_ source: String) -> [String] {
        let (stream, scan) = scan(source)
        return (stream.diagnostics + scan.allDiagnostics).map {
            "\($0.code) \(stream.file.location(of: $0.range.start)) \($0.message)"
        }
    }

    static let multiUnit = """
        TYPE "UDT_Motor"
        VERSION : 0.1
           STRUCT
              speed : Real := 1.5;   // rpm
              state : Struct
                 a : Bool;
                 b : Array[1..2] of Int;
              END_STRUCT;
           END_STRUCT;
        END_TYPE

        DATA_BLOCK "Global"
        { S7_Optimized_Access := 'TRUE' }
        AUTHOR : 'Ann'
        FAMILY : Motors
        NAME : GlobDB
        VERSION : 1.2
        NON_RETAIN
           VAR RETAIN
              count : DInt;
              motor : "UDT_Motor";
           END_VAR
        BEGIN
           count := 5;
        END_DATA_BLOCK

        DATA_BLOCK "Motor_DB"
        { S7_Optimized_Access := 'TRUE' }
        VERSION : 0.1
        NON_RETAIN
        "FB_Motor"
        BEGIN
        END_DATA_BLOCK

        FUNCTION_BLOCK "FB_Motor"
        TITLE = Motor control
        { S7_Optimized_Access := 'TRUE' }
        KNOW_HOW_PROTECT
        VERSION : 0.1
           VAR_INPUT
              start {ExternalWritable := 'False'} : Bool;
              a, b : Int := 3;
           END_VAR
           VAR_OUTPUT running : Bool; END_VAR
           VAR_IN_OUT io : Int; END_VAR
           VAR CONSTANT max : Int := 10; END_VAR
           VAR_TEMP t : Time; END_VAR
        BEGIN
           IF #start THEN #running := TRUE; END_IF;
           REGION r
              FOR #t := 1 TO 3 DO ; END_FOR;
           END_REGION
        END_FUNCTION_BLOCK

        FUNCTION "Scale" : Array[0..1] of Real
        BEGIN
        END_FUNCTION
        """

    @Test func findsEveryUnitWithItsHeader() throws {
        let (stream, result) = scan(Self.multiUnit)
        #expect(stream.diagnostics.isEmpty && result.allDiagnostics.isEmpty)
        #expect(result.units.map(\.kind) == [.type, .dataBlock, .dataBlock, .functionBlock, .function])
        #expect(result.units.map(\.name) == ["UDT_Motor", "Global", "Motor_DB", "FB_Motor", "Scale"])

        let udt = result.units[0]
        #expect(udt.sections.map(\.kind) == [.structure])
        #expect(udt.sections[0].members.map(\.name) == ["speed", "state"])
        #expect(udt.sections[0].members[0].initialValue == "1.5" && udt.sections[0].members[0].comment == "rpm")
        #expect(udt.sections[0].members[1].nestedMemberCount == 2)
        #expect(!udt.hasBody && udt.isTerminated)

        let global = result.units[1]
        #expect(global.dataBlockType == nil)
        #expect(global.attribute(.author) == "Ann" && global.attribute(.family) == "Motors")
        #expect(global.attribute(.name) == "GlobDB" && global.attribute(.version) == "1.2")
        #expect(global.flags == [.nonRetain])
        #expect(global.sections.first?.options == [.retain])
        #expect(global.sections.first?.members.map(\.typeText) == ["DInt", "\"UDT_Motor\""])
        #expect(global.pragma("s7_optimized_access") == "TRUE")

        #expect(result.units[2].dataBlockType == "FB_Motor" && result.units[2].sections.isEmpty)

        let fb = result.units[3]
        #expect(fb.attribute(.title) == "Motor control" && fb.flags == [.knowHowProtect])
        #expect(fb.sections.map(\.kind) == [.input, .output, .inOut, .constant, .temp])
        #expect(fb.sections[0].members.map(\.name) == ["start", "a", "b"])
        #expect(fb.sections[0].members[0].attributes.first?.value == "False")
        #expect(fb.sections[0].members[2].initialValue == "3")
        #expect(stream.file.text(in: fb.range).hasSuffix("END_FUNCTION_BLOCK"))

        #expect(result.units[4].returnType == "Array[0..1] of Real")
    }

    @Test func missingEndIsReportedAtTheUnitStart() throws {
        let source = "FUNCTION_BLOCK \"A\"\nBEGIN\n  #x := 1;\nFUNCTION \"B\" : Void\nBEGIN\nEND_FUNCTION\n"
        let (stream, result) = scan(source)
        #expect(result.units.map(\.name) == ["A", "B"])
        #expect(!result.units[0].isTerminated && result.units[1].isTerminated)
        let diagnostic = try #require(result.allDiagnostics.first)
        #expect(result.allDiagnostics.count == 1)
        #expect(diagnostic.code == .missingEndOfUnit)
        #expect(diagnostic.message == "FUNCTION_BLOCK is missing END_FUNCTION_BLOCK")
        #expect(stream.file.location(of: diagnostic.range.start) == SourceLocation(line: 1, column: 1))
        #expect(diagnostic.notes.first?.message == "expected END_FUNCTION_BLOCK before 'FUNCTION'")
        #expect(stream.file.text(in: result.units[0].range).hasSuffix("#x := 1;"))
        let rendered = DiagnosticRenderer().render(diagnostic, file: stream.file)
        #expect(
            rendered == """
                test.scl:1:1: error[SCL1101]: FUNCTION_BLOCK is missing END_FUNCTION_BLOCK
                FUNCTION_BLOCK "A"
                ^~~~~~~~~~~~~~~~~~
                test.scl:4:1: note: expected END_FUNCTION_BLOCK before 'FUNCTION'
                FUNCTION "B" : Void
                ^~~~~~~~

                """)
    }

    @Test func structuralErrors() {
        #expect(
            described("FUNCTION_BLOCK \"A\" BEGIN END_FUNCTION") == [
                "SCL1102 1:26 END_FUNCTION does not close FUNCTION_BLOCK; expected END_FUNCTION_BLOCK"
            ])
        #expect(
            described("x := 1;\nFUNCTION \"F\" : Int BEGIN END_FUNCTION") == [
                "SCL1104 1:1 expected FUNCTION_BLOCK, FUNCTION, ORGANIZATION_BLOCK, DATA_BLOCK or TYPE, found 'x'"
            ])
        #expect(
            described("FUNCTION \"F\"\nBEGIN END_FUNCTION") == [
                "SCL1106 1:13 expected ':' and a return type after the FUNCTION name"
            ])
        #expect(
            described("FUNCTION_BLOCK\nBEGIN END_FUNCTION_BLOCK") == [
                "SCL1103 2:1 expected a name after FUNCTION_BLOCK"
            ])
        #expect(
            described("FUNCTION_BLOCK \"A\"\n  VAR_INPUT x : Int;\n  VAR y : Int; END_VAR\nBEGIN END_FUNCTION_BLOCK")
                == [
                    "SCL1105 2:3 VAR_INPUT section is missing END_VAR"
                ])
        #expect(
            described("FUNCTION_BLOCK \"A\" VAR_INPUT Speed : Int; END_VAR VAR speed : Int; END_VAR END_FUNCTION_BLOCK")
                == [
                    "SCL2001 1:55 'speed' is declared twice in FUNCTION_BLOCK 'A'"
                ])
        #expect(described("FUNCTION_BLOCK \"A\" BEGIN") == ["SCL1101 1:1 FUNCTION_BLOCK is missing END_FUNCTION_BLOCK"])
    }

    @Test func emptyAndCommentOnlyFiles() {
        #expect(scan("").scan.units.isEmpty && described("").isEmpty)
        #expect(scan("// only a comment\n(* and another *)").scan.units.isEmpty)
    }
}
