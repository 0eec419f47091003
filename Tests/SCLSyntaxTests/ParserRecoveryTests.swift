import S7Diagnostics
import SCLSyntax
import Testing

/// The diagnostics of a whole unit around `body` as `code line:column`, the unit starting on line 1 and `body` on
/// line 3.
func bodyDiagnostics(_ body: String) -> [String] {
    let source = "FUNCTION_BLOCK \"FB\"\nBEGIN\n" + body + "\nEND_FUNCTION_BLOCK\n"
    let result = SCLParser.parse(SourceFile(path: "test.scl", text: source))
    return result.diagnostics.map { "\($0.code) \(result.file.location(of: $0.range.start))" }
}

/// One typo gives exactly one diagnostic, with the right code and position.
@Suite struct ParserRecoveryTests {
    @Test(arguments: [
        // An invalid character is the lexer's one error; the parser does not add "expected ';'" after it.
        ("#total := #price € 3.0;\n#x := 1;", "SCL1004 3:18"),
        // Missing THEN: reported after the condition; the body still parses.
        ("IF #a > 1\n    #x := 1;\nEND_IF;", "SCL1202 3:10"),
        // Missing ';' after an assignment: reported at the end of the assignment.
        ("#x := 1\n#y := 2;", "SCL1201 3:8"),
        ("#x := #a + #b\nIF #c THEN #y := 2; END_IF;", "SCL1201 3:14"),
        // Missing END_IF: reported where the unit ends.
        ("IF #a THEN\n    #x := 1;\n#y := 2;", "SCL1203 6:1"),
        // Missing END_IF inside a loop: reported at END_FOR.
        ("FOR #i := 1 TO 5 DO\n    IF #a THEN #x := 1;\nEND_FOR;", "SCL1203 5:1"),
        // A stray ')'.
        ("#x := (#a + 1));", "SCL1216 3:15"),
        (") ;\n#x := 1;", "SCL1216 3:1"),
        // '=' instead of ':='.
        ("#x = 1;\n#y := 2;", "SCL1211 3:4"),
        // Missing operand.
        ("#x := #a + ;", "SCL1208 3:12"),
        ("#x := #a + * 3;\n#y := 1;", "SCL1208 3:12"),
        // Missing ')'.
        ("#x := (#a + 1;\n#y := 2;", "SCL1209 3:14"),
        // Missing DO, OF, TO, UNTIL.
        ("WHILE #a\n    #x := 1;\nEND_WHILE;", "SCL1204 3:9"),
        ("FOR #i := 1 10 DO\nEND_FOR;", "SCL1206 3:12"),
        ("CASE #s\n1: #x := 1;\nEND_CASE;", "SCL1205 3:8"),
        ("REPEAT\n#x := 1;\nEND_REPEAT;", "SCL1207 5:1"),
        // A stray END_IF.
        ("#x := 1;\nEND_IF;\n#y := 2;", "SCL1210 4:1"),
        // A missing ':' after a CASE value.
        ("CASE #s OF\n1 #x := 1;\n2: #x := 2;\nEND_CASE;", "SCL1212 4:2"),
        // A missing member name.
        ("#x := #a.;", "SCL1214 3:10"),
        // Missing ';' after EXIT.
        ("WHILE TRUE DO\n    EXIT\nEND_WHILE;", "SCL1201 4:9"),
        // A lexical error is not reported again by the parser.
        ("#s := 'abc;\n#y := 2;", "SCL1001 3:7"),
        ("#x := 12abc;", "SCL1006 3:7"),
    ])
    func oneTypoOneDiagnostic(_ body: String, _ expected: String) {
        #expect(bodyDiagnostics(body) == [expected])
    }

    @Test(arguments: [
        // Missing ';' after a declaration.
        ("FUNCTION_BLOCK \"FB\"\nVAR\n  a : Int\n  b : Bool;\nEND_VAR\nBEGIN\nEND_FUNCTION_BLOCK", "SCL1201 3:10"),
        // Missing ':' in a declaration.
        ("FUNCTION_BLOCK \"FB\"\nVAR\n  a Int;\n  b : Bool;\nEND_VAR\nBEGIN\nEND_FUNCTION_BLOCK", "SCL1212 3:4"),
        // Missing END_VAR.
        ("FUNCTION_BLOCK \"FB\"\nVAR\n  a : Int;\nBEGIN\nEND_FUNCTION_BLOCK", "SCL1105 4:1"),
        // Missing END_STRUCT.
        ("TYPE \"T\"\nSTRUCT\n  a : Struct\n    b : Int;\nEND_STRUCT;\nEND_TYPE", "SCL1105 6:1"),
        // Missing OF in an array type.
        ("FUNCTION_BLOCK \"FB\"\nVAR\n  a : Array[0..3] Int;\nEND_VAR\nBEGIN\nEND_FUNCTION_BLOCK", "SCL1205 3:18"),
        // Missing unit end.
        ("FUNCTION \"F\" : Void\nBEGIN\n#x := 1;\n", "SCL1101 1:1"),
        // Mismatched unit end.
        ("FUNCTION \"F\" : Void\nBEGIN\n#x := 1;\nEND_FUNCTION_BLOCK", "SCL1102 4:1"),
        // Missing return type.
        ("FUNCTION \"F\"\nBEGIN\nEND_FUNCTION", "SCL1106 1:13"),
        // A statement before BEGIN.
        ("FUNCTION_BLOCK \"FB\"\n#x := 1;\nBEGIN\nEND_FUNCTION_BLOCK", "SCL1215 2:1"),
        // Garbage between units.
        ("x := 1;\nFUNCTION \"F\" : Void\nBEGIN\nEND_FUNCTION", "SCL1104 1:1"),
    ])
    func oneDeclarationTypoOneDiagnostic(_ source: String, _ expected: String) {
        let result = SCLParser.parse(SourceFile(path: "test.scl", text: source))
        #expect(result.diagnostics.map { "\($0.code) \(result.file.location(of: $0.range.start))" } == [expected])
    }

    @Test func errorsInSeparateStatementsAreAllReported() {
        #expect(bodyDiagnostics("#x := 1\n#y := ;\n#z = 3;") == ["SCL1201 3:8", "SCL1208 4:7", "SCL1211 5:4"])
    }

    @Test func everyParserCodeIsRegistered() {
        let codes: [DiagnosticCode] = [
            .expectedSemicolon, .expectedThen, .missingEndOfStatement, .expectedDo, .expectedOf, .expectedTo,
            .expectedUntil, .expectedExpression, .expectedClosingDelimiter, .expectedStatement, .expectedAssignment,
            .expectedColon, .expectedType, .expectedName, .expectedBegin, .unmatchedClosingDelimiter,
            .expectedDeclaration,
        ]
        for code in codes { #expect(DiagnosticRegistry.entry(for: code) != nil, "\(code)") }
    }

    @Test func renderedDiagnosticsAreGolden() {
        let source = """
            FUNCTION_BLOCK "FB_Mixer"
            VAR
               speed : Int;
            END_VAR
            BEGIN
            \tIF #speed > 100
            \t    #speed := 100;
            \tEND_IF;
            \t#speed := #speed + 1
            \tREGION Output
            \t    #speed = 0;
            \tEND_REGION
            \tWHILE #speed > 0 DO
            \t    #speed -= 1;
            END_FUNCTION_BLOCK
            """
        let file = SourceFile(path: "FB_Mixer.scl", text: source)
        let result = SCLParser.parse(file)
        let rendered = DiagnosticRenderer().render(result.diagnostics, files: [file])
        let expected = """
            FB_Mixer.scl:6:17: error[SCL1202]: expected THEN after the IF condition, found '#speed'
                IF #speed > 100
                               ^
                               THEN
            FB_Mixer.scl:9:22: error[SCL1201]: expected ';' after assignment
                #speed := #speed + 1
                                    ^
                                    ;
            FB_Mixer.scl:11:13: error[SCL1211]: expected ':=' to assign to '#speed', found '='; '=' compares
                    #speed = 0;
                           ^
                           :=
            FB_Mixer.scl:15:1: error[SCL1203]: expected END_WHILE to close WHILE, found 'END_FUNCTION_BLOCK'
            END_FUNCTION_BLOCK
            ^~~~~~~~~~~~~~~~~~
            FB_Mixer.scl:13:2: note: WHILE starts here
                WHILE #speed > 0 DO
                ^~~~~

            """
        #expect(rendered == expected)
    }
}
