import Foundation
import S7Model
import S7TestSupport
import SimaticML
import Testing
import Workbench

/// Sources written as TIA's "Generate source from blocks" lays them out, read back to what was asked for; member
/// edits that leave every other byte of a source alone.
@Suite struct SCLSourceGeneratorTests {
    static func read(_ text: String, path: String = "x.scl") throws -> SimaticMLObject {
        let ext = (path as NSString).pathExtension
        let format: SourceFileRef.Format = ext == "db" ? .dbSource : ext == "udt" ? .udtSource : .sclSource
        let result = SCLSourceReader.read(
            bytes: Array(text.utf8), file: SourceFileRef(path: path, format: format), group: [])
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(result.objects.count == 1)
        return try #require(result.objects.first)
    }

    static func block(_ text: String, path: String = "x.scl") throws -> Block {
        guard case .block(let block) = try read(text, path: path) else {
            Issue.record("not a block: \(text)")
            throw CancellationError()
        }
        return block
    }

    static func members(_ block: Block, _ kind: InterfaceSection.Kind) -> [String] {
        block.interface.section(kind)?.members.map { member in
            var text = "\(member.name) : \(member.dataType)"
            if let value = member.startValue { text += " := \(value)" }
            if !member.comment.isEmpty { text += " // \(member.comment.text())" }
            return text
        } ?? []
    }

    // MARK: Whole sources

    @Test func aFunctionBlockIsWrittenAsTIAGeneratesItAndReadsBack() throws {
        let spec = BlockSpec(
            kind: .functionBlock, name: "Conveyor", title: "Belt drive", comment: "Runs the belt.",
            sections: [
                InterfaceSectionSpec(
                    .input,
                    members: [
                        MemberSpec(name: "Start", dataType: "Bool", comment: "start request"),
                        MemberSpec(name: "Speed", dataType: "Real", startValue: "1.5"),
                    ]),
                InterfaceSectionSpec(.temp, members: [MemberSpec(name: "t", dataType: "Int")]),
                InterfaceSectionSpec(
                    .static,
                    members: [
                        MemberSpec(name: "delay", dataType: "TON_TIME"),
                        MemberSpec(name: "Counts", dataType: "Array[0..3] of Int"),
                    ]),
                InterfaceSectionSpec(.output, members: [MemberSpec(name: "Running", dataType: "Bool")]),
            ],
            code: "#Running := #Start;\nIF #Running THEN\n    #t := 1;\nEND_IF;")
        let text = SCLSourceGenerator.source(for: spec)
        let expected = """
            FUNCTION_BLOCK "Conveyor"
            TITLE = "Belt drive"
            { S7_Optimized_Access := 'TRUE' }
            VERSION : 0.1
            //Runs the belt.
               VAR_INPUT\u{20}
                  Start : Bool;   // start request
                  Speed : Real := 1.5;
               END_VAR

               VAR_OUTPUT\u{20}
                  Running : Bool;
               END_VAR

               VAR\u{20}
                  delay : TON_TIME;
                  Counts : Array[0..3] of Int;
               END_VAR

               VAR_TEMP\u{20}
                  t : Int;
               END_VAR


            BEGIN
            \t#Running := #Start;
            \tIF #Running THEN
            \t    #t := 1;
            \tEND_IF;
            END_FUNCTION_BLOCK


            """
        #expect(text == expected)
        let block = try Self.block(text)
        #expect(block.name == "Conveyor" && block.kind == .functionBlock && block.language == .scl)
        #expect(block.title.text() == "Belt drive")
        #expect(block.attributes["S7_Optimized_Access"] == "TRUE" && block.isOptimized)
        #expect(Self.members(block, .input) == ["Start : Bool // start request", "Speed : Real := 1.5"])
        #expect(Self.members(block, .output) == ["Running : Bool"])
        #expect(Self.members(block, .static) == ["delay : TON_TIME", "Counts : Array[0..3] of Int"])
        #expect(Self.members(block, .temp) == ["t : Int"])
    }

    @Test func aFunctionHasItsReturnTypeAndStandardAccess() throws {
        let spec = BlockSpec(
            kind: .function, name: "Scale", optimizedAccess: false, returnType: "Real",
            sections: [InterfaceSectionSpec(.input, members: [MemberSpec(name: "Raw", dataType: "Int")])],
            code: "#Scale := INT_TO_REAL(#Raw) / 27648.0;")
        let text = SCLSourceGenerator.source(for: spec)
        #expect(text.hasPrefix("FUNCTION \"Scale\" : Real\n{ S7_Optimized_Access := 'FALSE' }\nVERSION : 0.1\n"))
        let block = try Self.block(text)
        #expect(block.kind == .function && block.returnType == "Real" && !block.isOptimized)
        #expect(Self.members(block, .input) == ["Raw : Int"])
        #expect(Self.members(block, .return) == ["Ret_Val : Real"])
        let void = SCLSourceGenerator.source(for: BlockSpec(kind: .function, name: "Reset"))
        #expect(
            void
                == "FUNCTION \"Reset\" : Void\n{ S7_Optimized_Access := 'TRUE' }\nVERSION : 0.1\n\nBEGIN\n\n"
                + "END_FUNCTION\n\n"
        )
        #expect(try Self.block(void).returnType == "Void")
    }

    @Test func anOrganizationBlockKeepsItsTemporaryData() throws {
        let spec = BlockSpec(
            kind: .organizationBlock, name: "Cyclic interrupt",
            sections: [InterfaceSectionSpec(.temp, members: [MemberSpec(name: "i", dataType: "Int")])],
            code: "#i := 0;")
        let block = try Self.block(SCLSourceGenerator.source(for: spec))
        #expect(block.kind == .organizationBlock && block.name == "Cyclic interrupt")
        #expect(Self.members(block, .temp) == ["i : Int"])
    }

    @Test func dataBlocksHoldMembersOrAreInstances() throws {
        let global = BlockSpec(
            kind: .dataBlock, name: "Settings",
            sections: [
                InterfaceSectionSpec(
                    .static,
                    members: [
                        MemberSpec(name: "Speed", dataType: "Real", startValue: "2.5", comment: "mm/s"),
                        MemberSpec(name: "Label", dataType: "String[20]", startValue: "'Line 1'"),
                        MemberSpec(name: "Limits", dataType: "Struct Min : Real; Max : Real; END_STRUCT"),
                    ])
            ])
        let text = SCLSourceGenerator.source(for: global)
        #expect(
            text == """
                DATA_BLOCK "Settings"
                { S7_Optimized_Access := 'TRUE' }
                VERSION : 0.1
                NON_RETAIN
                   STRUCT\u{20}
                      Speed : Real := 2.5;   // mm/s
                      Label : String[20] := 'Line 1';
                      Limits : Struct
                         Min : Real;
                         Max : Real;
                      END_STRUCT;
                   END_STRUCT;


                BEGIN

                END_DATA_BLOCK


                """)
        let block = try Self.block(text, path: "Settings.db")
        #expect(block.kind == .globalDB)
        #expect(block.attributes["NON_RETAIN"] == "TRUE")
        #expect(
            Self.members(block, .static) == [
                "Speed : Real := 2.5 // mm/s", "Label : String[20] := 'Line 1'", "Limits : Struct",
            ])
        #expect(block.interface.section(.static)?.members.last?.members.map(\.name) == ["Min", "Max"])

        let instance = SCLSourceGenerator.source(
            for: BlockSpec(kind: .dataBlock, name: "Conveyor_DB", instanceOf: "Conveyor"))
        // Byte for byte what TIA generated for the sample's Filler_DB.
        #expect(
            instance
                == "DATA_BLOCK \"Conveyor_DB\"\n{ S7_Optimized_Access := 'TRUE' }\nVERSION : 0.1\nNON_RETAIN\n"
                + "\"Conveyor\"\n\nBEGIN\n\nEND_DATA_BLOCK\n\n")
        let instanceBlock = try Self.block(instance, path: "Conveyor_DB.db")
        #expect(instanceBlock.kind == .instanceDB && instanceBlock.instanceOf == "Conveyor")
        let timer = SCLSourceGenerator.source(for: BlockSpec(kind: .dataBlock, name: "T1", instanceOf: "ton_time"))
        #expect(timer.contains("\nTON_TIME\n"))
    }

    @Test func aPLCDataTypeIsWrittenAsTIAGeneratesIt() throws {
        let spec = DataTypeSpec(
            name: "typeAxis",
            members: [
                MemberSpec(name: "Position", dataType: "Real", comment: "mm"),
                MemberSpec(name: "Homed", dataType: "Bool"),
            ])
        let text = SCLSourceGenerator.source(for: spec)
        #expect(
            text == """
                TYPE "typeAxis"
                VERSION : 0.1
                   STRUCT
                      Position : Real;   // mm
                      Homed : Bool;
                   END_STRUCT;

                END_TYPE


                """)
        guard case .dataType(let type) = try Self.read(text, path: "typeAxis.udt") else {
            Issue.record("not a type")
            return
        }
        #expect(type.name == "typeAxis")
        #expect(type.members.map(\.name) == ["Position", "Homed"])
        #expect(type.members.first?.comment.text() == "mm")
    }

    @Test func namesThatAreNoIdentifiersAreQuoted() {
        #expect(SCLSourceGenerator.formatName("Speed_1") == "Speed_1")
        #expect(SCLSourceGenerator.formatName("my speed") == "\"my speed\"")
        #expect(SCLSourceGenerator.formatName("1st") == "\"1st\"")
        #expect(SCLSourceGenerator.formatName("BEGIN") == "\"BEGIN\"")
        #expect(SCLSourceGenerator.formatName("Version") == "Version")
        #expect(SCLSourceGenerator.sectionKind(named: "VAR_IN_OUT") == .inOut)
        #expect(SCLSourceGenerator.sectionKind(named: "static") == .static)
        #expect(SCLSourceGenerator.sectionKind(named: "Var Constant") == .constant)
        #expect(SCLSourceGenerator.sectionKind(named: "nonsense") == nil)
    }

    // MARK: Editing

    /// Comments and a string hold END_VAR and member names; only real declarations may be touched.
    static let valve = """
        FUNCTION_BLOCK "Valve"
        { S7_Optimized_Access := 'TRUE' }
        VERSION : 0.1
           VAR_INPUT\u{20}
              Open : Bool;   // END_VAR in a comment
              Label : String[20] := 'END_VAR';   // a string holding END_VAR
              (* END_VAR in a block comment; Close : Int; *)
              Close : Bool;
           END_VAR

           VAR_TEMP\u{20}
              i : Int;
           END_VAR


        BEGIN
        \t#i := 0; // Close END_VAR
        END_FUNCTION_BLOCK


        """

    static func replacingOnce(_ text: String, _ old: String, _ new: String) -> String {
        guard let range = text.range(of: old) else {
            Issue.record("no \(old)")
            return text
        }
        return text.replacingCharacters(in: range, with: new)
    }

    @Test func aMemberGoesBeforeTheRealEndVar() throws {
        let edited = try SCLSourceGenerator.addingMember(
            MemberSpec(name: "Jog", dataType: "Bool", comment: "jog mode"), to: .input, in: Self.valve)
        let expected = Self.replacingOnce(
            Self.valve, "      Close : Bool;\n   END_VAR\n",
            "      Close : Bool;\n      Jog : Bool;   // jog mode\n   END_VAR\n")
        #expect(edited == expected)
        let editedBlock = try Self.block(edited)
        #expect(Self.members(editedBlock, .input).last == "Jog : Bool // jog mode")
    }

    @Test func aMissingSectionIsCreatedWhereTIAPutsIt() throws {
        let output = try SCLSourceGenerator.addingMember(
            MemberSpec(name: "Busy", dataType: "Bool"), to: .output, in: Self.valve)
        #expect(
            output
                == (Self.replacingOnce(
                    Self.valve, "      Close : Bool;\n   END_VAR\n",
                    "      Close : Bool;\n   END_VAR\n\n   VAR_OUTPUT \n      Busy : Bool;\n   END_VAR\n")))
        let statics = try SCLSourceGenerator.addingMember(
            MemberSpec(name: "count", dataType: "DInt", startValue: "0"), to: .static, in: output)
        let block = try Self.block(statics)
        #expect(block.interface.sections.map(\.kind) == [.input, .output, .static, .temp])
        #expect(Self.members(block, .static) == ["count : DInt := 0"])
        let constant = try SCLSourceGenerator.addingMember(
            MemberSpec(name: "N", dataType: "Int", startValue: "3"), to: .constant, in: Self.valve)
        #expect(
            constant.contains(
                "      i : Int;\n   END_VAR\n\n   VAR CONSTANT \n      N : Int := 3;\n   END_VAR\n\n\nBEGIN"))
        let constantBlock = try Self.block(constant)
        #expect(Self.members(constantBlock, .constant) == ["N : Int := 3"])
    }

    @Test func removingAMemberTakesItsLineAndNothingElse() throws {
        let open = try SCLSourceGenerator.removingMember(named: "Open", in: Self.valve)
        #expect(open == (Self.replacingOnce(Self.valve, "      Open : Bool;   // END_VAR in a comment\n", "")))
        let close = try SCLSourceGenerator.removingMember(named: "close", in: Self.valve)
        #expect(close == (Self.replacingOnce(Self.valve, "      Close : Bool;\n", "")))
        let closeBlock = try Self.block(close)
        #expect(Self.members(closeBlock, .input).map { String($0.prefix(4)) } == ["Open", "Labe"])
        // Adding and removing a member gives the source back byte for byte.
        let added = try SCLSourceGenerator.addingMember(
            MemberSpec(name: "Jog", dataType: "Bool"), to: .input, in: Self.valve)
        #expect(try SCLSourceGenerator.removingMember(named: "Jog", in: added) == Self.valve)
        #expect(throws: EngineError.self) { try SCLSourceGenerator.removingMember(named: "Nothing", in: Self.valve) }
    }

    @Test func updatingAMemberChangesOnlyWhatIsAsked() throws {
        let renamed = try SCLSourceGenerator.updatingMember(
            named: "Open", MemberChange(name: "OpenCmd", dataType: "Int"), in: Self.valve)
        #expect(
            renamed
                == (Self.replacingOnce(
                    Self.valve, "      Open : Bool;   // END_VAR", "      OpenCmd : Int;   // END_VAR")))
        let label = try SCLSourceGenerator.updatingMember(
            named: "Label", MemberChange(startValue: "'x'", comment: ""), in: Self.valve)
        #expect(
            label
                == (Self.replacingOnce(
                    Self.valve, "      Label : String[20] := 'END_VAR';   // a string holding END_VAR\n",
                    "      Label : String[20] := 'x';\n")))
        let noStart = try SCLSourceGenerator.updatingMember(
            named: "Label", MemberChange(startValue: ""), in: Self.valve)
        #expect(noStart.contains("      Label : String[20];   // a string holding END_VAR\n"))
        let commented = try SCLSourceGenerator.updatingMember(
            named: "Close", MemberChange(startValue: "TRUE", comment: "shut"), in: Self.valve)
        #expect(
            commented
                == (Self.replacingOnce(
                    Self.valve, "      Close : Bool;\n", "      Close : Bool := TRUE;   // shut\n")))
        let block = try Self.block(commented)
        #expect(Self.members(block, .input).last == "Close : Bool := TRUE // shut")
    }

    @Test func namesDeclaredTogetherAreEditedOneByOne() throws {
        let text = """
            FUNCTION "Sum" : Int
            VERSION : 0.1
               VAR_INPUT\u{20}
                  a, b, c : Int;   // three
               END_VAR

            BEGIN
            \t#Sum := #a + #b + #c;
            END_FUNCTION

            """
        #expect(try SCLSourceGenerator.removingMember(named: "b", in: text).contains("      a, c : Int;   // three\n"))
        #expect(try SCLSourceGenerator.removingMember(named: "c", in: text).contains("      a, b : Int;   // three\n"))
        let split = try SCLSourceGenerator.updatingMember(named: "a", MemberChange(dataType: "DInt"), in: text)
        #expect(split.contains("      b, c : Int;   // three\n      a : DInt;   // three\n   END_VAR"))
        let block = try Self.block(split)
        #expect(Self.members(block, .input) == ["b : Int // three", "c : Int // three", "a : DInt // three"])
    }

    @Test func typesAndDataBlocksTakeMembersInTheirStruct() throws {
        let type = SCLSourceGenerator.source(
            for: DataTypeSpec(name: "typeAxis", members: [MemberSpec(name: "A", dataType: "Bool")]))
        let added = try SCLSourceGenerator.addingMember(MemberSpec(name: "B", dataType: "Int"), to: .static, in: type)
        #expect(added == (Self.replacingOnce(type, "      A : Bool;\n", "      A : Bool;\n      B : Int;\n")))
        let replaced = try SCLSourceGenerator.replacingStructMembers(
            [MemberSpec(name: "X", dataType: "Real", comment: "new")], in: added)
        #expect(replaced == (Self.replacingOnce(type, "      A : Bool;\n", "      X : Real;   // new\n")))
        let instance = SCLSourceGenerator.source(for: BlockSpec(kind: .dataBlock, name: "I", instanceOf: "Conveyor"))
        #expect(throws: EngineError.self) {
            try SCLSourceGenerator.addingMember(MemberSpec(name: "B", dataType: "Int"), to: .static, in: instance)
        }
    }

    @Test func networksAreAppendedBeforeTheEndKeyword() throws {
        let edited = try SCLSourceGenerator.appendingNetworks(
            [
                SCLNetworkSpec(title: "Reset", comment: "clear the counter", code: "#i := 0;"),
                SCLNetworkSpec(code: "#i := #i + 1;"),
            ], in: Self.valve)
        #expect(
            edited
                == (Self.replacingOnce(
                    Self.valve, "\t#i := 0; // Close END_VAR\nEND_FUNCTION_BLOCK",
                    "\t#i := 0; // Close END_VAR\n\t// clear the counter\n\tREGION Reset\n\t    #i := 0;\n"
                        + "\tEND_REGION\n"
                        + "\t#i := #i + 1;\nEND_FUNCTION_BLOCK")))
    }

    @Test func theSampleFillerKeepsEveryOtherByte() throws {
        let path = Fixtures.sampleProject("bottling-line") + "/PLC_1/Program blocks/Machines/Filler.scl"
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let original = String(decoding: bytes, as: UTF8.self)
        let added = try SCLSourceGenerator.addingMember(
            MemberSpec(name: "Jog", dataType: "Bool", comment: "manual"), to: .input, unit: "Filler", in: original)
        #expect(added.utf8.count == original.utf8.count + "      Jog : Bool;   // manual\n".utf8.count)
        #expect(try SCLSourceGenerator.removingMember(named: "Jog", unit: "Filler", in: added) == original)
        let block = try Self.block(added)
        #expect(block.interface.section(.input)?.members.last?.name == "Jog")
        #expect(block.interface.section(.static)?.members.count == 6)
    }
}
