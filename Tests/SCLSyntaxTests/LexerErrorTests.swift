import S7Diagnostics
import SCLSyntax
import Testing

@Suite struct LexerErrorTests {
    @Test func unterminatedStringEndsAtLineBreak() {
        #expect(onlyDiagnostic("x := 'abc;\ny := 1;") == "SCL1001 1:6 unterminated string literal: missing \"'\"")
        #expect(tokens("x := 'abc;\ny := 1;").map(\.text) == ["x", ":=", "'abc;", "y", ":=", "1", ";"])
    }

    @Test func unterminatedQuotedNames() {
        #expect(onlyDiagnostic("a := \"DB.x;\n") == "SCL1002 1:6 unterminated quoted name: missing '\"'")
        #expect(onlyDiagnostic("  #\"loc") == "SCL1002 1:3 unterminated quoted name: missing '\"'")
    }

    @Test func unterminatedComments() {
        #expect(onlyDiagnostic("a\n  (* open") == "SCL1003 2:3 unterminated '(*' comment: missing '*)'")
        #expect(onlyDiagnostic("/* open") == "SCL1003 1:1 unterminated '/*' comment: missing '*/'")
    }

    @Test func invalidCharacters() {
        #expect(onlyDiagnostic("a := b @ c;") == "SCL1004 1:8 invalid character '@'")
        #expect(onlyDiagnostic("x := 5 € 3;") == "SCL1004 1:8 invalid character '€' (U+20AC)")
        #expect(onlyDiagnostic("a := # ;") == "SCL1004 1:6 '#' must be followed by a local name")
        #expect(onlyDiagnostic("a ?b") == "SCL1004 1:3 invalid character '?'")
    }

    @Test func invalidUTF8() {
        let file = SourceFile(path: "test.scl", bytes: Array("a := ".utf8) + [0xFF, 0xFE] + Array(" b;".utf8))
        let stream = SCLLexer.tokenize(file)
        #expect(stream.diagnostics.map(\.code) == [.invalidUTF8])
        #expect(stream.diagnostics.first?.range.byteRange == 5..<7)
        #expect(stream.tokens.map(\.kind) == [.identifier, .assign, .unknown, .identifier, .semicolon, .endOfFile])
    }

    @Test func malformedNumbers() {
        #expect(onlyDiagnostic("x := 16#;") == "SCL1006 1:6 malformed integer literal: missing digits after '16#'")
        #expect(
            onlyDiagnostic("x := 2#102;")
                == "SCL1006 1:6 malformed integer literal: digit '2' is not valid in a base-2 literal")
        #expect(
            onlyDiagnostic("x := 10#5;")
                == "SCL1006 1:6 malformed integer literal: base 10 is not supported; use 2#, 8# or 16#")
        #expect(
            onlyDiagnostic("x := 12abc;")
                == "SCL1006 1:6 malformed numeric literal '12abc': invalid suffix 'abc' after a number")
        #expect(onlyDiagnostic("x := 1__0;") == "SCL1006 1:6 malformed numeric literal '1__0': doubled '_'")
        #expect(tokens("x := 2#102;").count == 4)
    }

    @Test func malformedTypedLiterals() {
        #expect(
            onlyDiagnostic("t := T#5x;")
                == "SCL1007 1:6 malformed T literal 'T#5x': expected a duration such as 1h2m3s500ms")
        #expect(
            onlyDiagnostic("d := D#2024;")
                == "SCL1007 1:6 malformed D literal 'D#2024': expected a date such as 2024-01-31")
        #expect(
            onlyDiagnostic("i := INT#;")
                == "SCL1007 1:6 malformed INT literal 'INT#': expected an integer such as 5, -5 or 16#FF")
        #expect(
            onlyDiagnostic("b := BOOL#2;")
                == "SCL1007 1:6 malformed BOOL literal 'BOOL#2': expected TRUE, FALSE, 0 or 1")
        #expect(
            onlyDiagnostic("w := WORD#16#FG;")
                == "SCL1007 1:6 malformed WORD literal 'WORD#16#FG': expected an integer such as 5, -5 or 16#FF")
    }

    @Test func invalidEscape() {
        #expect(
            onlyDiagnostic("s := 'a$qb';")
                == "SCL1008 1:8 invalid escape sequence '$q' in string; write '$$' for a dollar sign")
    }

    @Test func malformedAddresses() {
        #expect(
            onlyDiagnostic("x := %;")
                == "SCL1009 1:6 malformed absolute address '%': expected an area and an offset such as "
                + "%I0.0, %MW10 or %DB1.DBX0.1"
        )
        #expect(
            onlyDiagnostic("x := #w.%Y1;")
                == "SCL1009 1:9 malformed slice '%Y1': expected %X, %B, %W or %D and a number")
    }

    @Test func lexingContinuesAfterErrors() {
        let stream = lex("a := 'x\nb := 16#;\nc := @;\nd := 1;")
        #expect(stream.diagnostics.map(\.code) == [.unterminatedString, .malformedNumber, .invalidCharacter])
        #expect(stream.tokens.dropLast().map { stream.text(of: $0) }.suffix(4) == ["d", ":=", "1", ";"])
    }
}
