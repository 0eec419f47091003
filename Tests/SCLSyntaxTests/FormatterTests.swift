import Foundation
import S7Diagnostics
import SCLSyntax
import Testing

func format(_ source: String) -> String {
    SCLFormatter.format(SourceFile(path: "test.scl", text: source))
}

/// The formatter is idempotent and keeps the tree, on every corpus file and on the samples here.
@Suite struct FormatterTests {
    func checkRoundTrip(_ file: SourceFile) {
        let original = SCLParser.parse(file)
        let formatted = SCLFormatter.format(original)
        let reparsed = SCLParser.parse(SourceFile(path: file.path, text: formatted))
        #expect(reparsed.diagnostics.count == original.diagnostics.count, "\(file.path)")
        let before = SCLTreeDump.dump(original.units)
        let after = SCLTreeDump.dump(reparsed.units)
        #expect(before == after, "\(file.path): tree changed")
        let again = SCLFormatter.format(reparsed)
        #expect(again == formatted, "\(file.path): not idempotent")
        // Every comment survives; only trailing spaces of line comments are dropped.
        let comments = { (result: SCLParseResult) -> [String] in
            result.tokens.tokens.flatMap {
                result.tokens.leadingTrivia(of: $0) + result.tokens.trailingTrivia(of: $0)
            }.filter(\.isComment).map { piece -> String in
                var text = Substring(result.file.text(in: piece.range))
                while text.last == " " || text.last == "\t" { text = text.dropLast() }
                return String(text)
            }
        }
        #expect(comments(original) == comments(reparsed), "\(file.path): comments changed")
    }

    @Test func corpusIsIdempotentAndKeepsTheTree() {
        let files = ParserCorpusTests.corpusFiles()
        guard !files.isEmpty else { return }
        for file in files { checkRoundTrip(file) }
    }

    @Test func formatsInTIALayout() {
        let source = """
            function_block "FB_Mixer"
            { S7_Optimized_Access := 'TRUE' }
            version : 0.1
            var_input
            speed : int := 40;   // rpm
            bits : array[0..7] OF bool;
            s : STRUCT a : dint; END_STRUCT;
            end_var
            begin
            if #speed>100 then #speed:=100; elsif #speed<0 then #speed:=-1;else #x:=#a+#b*(#c-1); end_if;
            case #s of 1,2: #x:=1; 3..5:#x:=2; else #x:=3; end_case;
            // note


            #t(IN:=#go, PT:=T#1s);
            #t2(IN := #go,
            PT := T#2s);
            FOR #i:=0 TO 7 BY 1 DO #bits[#i]:=NOT #bits[#i]; END_FOR;
            REGION Helpers   part 1
            #x := "DB".arr[#i,1].%X0 AND
            #y;
            END_REGION
            end_function_block
            """
        let expected = """
            FUNCTION_BLOCK "FB_Mixer"
            { S7_Optimized_Access := 'TRUE' }
            VERSION : 0.1
               VAR_INPUT
                  speed : Int := 40;   // rpm
                  bits : Array[0..7] of Bool;
                  s : Struct
                     a : DInt;
                  END_STRUCT;
               END_VAR
            BEGIN
            \tIF #speed > 100 THEN
            \t    #speed := 100;
            \tELSIF #speed < 0 THEN
            \t    #speed := -1;
            \tELSE
            \t    #x := #a + #b * (#c - 1);
            \tEND_IF;
            \tCASE #s OF
            \t    1, 2:
            \t        #x := 1;
            \t    3..5:
            \t        #x := 2;
            \t    ELSE
            \t        #x := 3;
            \tEND_CASE;
            \t// note

            \t#t(IN := #go, PT := T#1s);
            \t#t2(IN := #go,
            \t    PT := T#2s);
            \tFOR #i := 0 TO 7 BY 1 DO
            \t    #bits[#i] := NOT #bits[#i];
            \tEND_FOR;
            \tREGION Helpers   part 1
            \t    #x := "DB".arr[#i, 1].%X0 AND
            \t        #y;
            \tEND_REGION
            END_FUNCTION_BLOCK

            """
        #expect(format(source) == expected)
        checkRoundTrip(SourceFile(path: "mixer.scl", text: source))
    }

    @Test func keepsCommentsEverywhere() {
        let source = """
            // file header
            FUNCTION "F" : Void (* after name *)
            BEGIN
            \t#a := 1; // trailing
            \t#b := #c + // inside
            \t  #d;
            \tIF #a THEN
            \t    #x := 1;
            \t    // last in body
            \tEND_IF;
            \t#f(a := 1, // first
            \t   // own line
            \t   b := 2);
            END_FUNCTION
            // end of file
            """
        let formatted = format(source)
        for comment in [
            "// file header", "(* after name *)", "// trailing", "// inside", "// last in body",
            "// first", "// own line", "// end of file",
        ] {
            #expect(formatted.contains(comment), "\(comment) lost:\n\(formatted)")
        }
        #expect(formatted.contains("\t    // last in body\n\tEND_IF;"))
        checkRoundTrip(SourceFile(path: "comments.scl", text: source))
    }

    @Test func commentOnlyFileStaysAsIs() {
        let source = "// Block: StateMachine (FB)\n// 1 warning\n\n// Network 1\n"
        #expect(format(source) == source)
    }

    @Test func neverGluesTokensIntoOthers() {
        let source = "FUNCTION \"F\" : Void\nBEGIN\n#a := #b - -1; #c := ( * ); #d := #e / / 2;\nEND_FUNCTION\n"
        let formatted = format(source)
        #expect(!formatted.contains("(*") && !formatted.contains("//"))
        #expect(formatted.contains("#b - -1"))
    }
}
