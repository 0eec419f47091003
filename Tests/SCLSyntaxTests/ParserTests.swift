import S7Diagnostics
import SCLSyntax
import Testing

/// The statements of `source` as a tree dump, or the diagnostics if there are any.
func statements(_ source: String) -> String {
    let result = SCLParser.parseStatements(SourceFile(path: "test.scl", text: source))
    guard result.diagnostics.isEmpty else { return "diagnostics: \(result.diagnostics.map(\.message))" }
    return SCLTreeDump.dump(result.statements)
}

/// The units of `source` as a tree dump, or the diagnostics if there are any.
func units(_ source: String) -> String {
    let result = SCLParser.parse(SourceFile(path: "test.scl", text: source))
    guard result.diagnostics.isEmpty else { return "diagnostics: \(result.diagnostics.map(\.message))" }
    return SCLTreeDump.dump(result.units)
}

@Suite struct ExpressionParserTests {
    @Test(arguments: [
        ("#x := 1 + 2 * 3;", "(:= #x (+ 1 (* 2 3)))"),
        ("#x := (1 + 2) * 3;", "(:= #x (* (paren (+ 1 2)) 3))"),
        ("#x := -2 ** 2;", "(:= #x (- (** 2 2)))"),
        ("#x := 2 ** 3 ** 2;", "(:= #x (** (** 2 3) 2))"),
        ("#x := 2 ** -1;", "(:= #x (** 2 (- 1)))"),
        ("#x := 7 MOD 3 - 1 / 2;", "(:= #x (- (MOD 7 3) (/ 1 2)))"),
        ("#b := NOT #a AND #c OR #d XOR #e;", "(:= #b (OR (AND (NOT #a) #c) (XOR #d #e)))"),
        ("#b := #a & #c = #d;", "(:= #b (& #a (= #c #d)))"),
        ("#b := #a < #c = #d <> #e;", "(:= #b (<> (= (< #a #c) #d) #e))"),
        ("#b := #a >= 1 AND #a <= 9;", "(:= #b (AND (>= #a 1) (<= #a 9)))"),
        ("#x := 5 - 3 - 1;", "(:= #x (- (- 5 3) 1))"),
        (#""DB".arr[#i, #j].x := %I0.0;"#, #"(:= "DB".arr[#i, #j].x %I0.0)"#),
        ("#w.%X3 := #d.%B0 = 16#FF;", "(:= #w.%X3 (= #d.%B0 16#FF))"),
        ("%DB1.DBX0.0 := %MW10 > 5;", "(:= %DB1.DBX0.0 (> %MW10 5))"),
        ("#t := T#1h2m + LTIME#5s;", "(:= #t (+ T#1h2m LTIME#5s))"),
        ("#s := 'it$'s';", "(:= #s 'it$'s')"),
        ("#r := REF(#v);", "(:= #r (call REF [#v]))"),
        ("#r ?= #variant;", "(?= #r #variant)"),
        ("#p^.x := 1;", "(:= #p^.x 1)"),
        ("#счётчик := #счётчик + 1;", "(:= #счётчик (+ #счётчик 1))"),
        ("#a := #b := 0;", "(:= #a (:= #b 0))"),
        ("#x += 1; #x -= 2; #x *= 3; #x /= 4;", "(+= #x 1)\n(-= #x 2)\n(*= #x 3)\n(/= #x 4)"),
        (#"#v := "Valve":P;"#, #"(:= #v "Valve":P)"#),
        ("#n := #p = NULL;", "(:= #n (= #p NULL))"),
        ("#x := ABS(#y) + MAX(IN1 := 1, IN2 := #z);", "(:= #x (+ (call ABS [#y]) (call MAX [IN1 := 1] [IN2 := #z])))"),
    ])
    func expression(_ source: String, _ expected: String) {
        #expect(statements(source) == expected)
    }
}

@Suite struct StatementParserTests {
    @Test func ifElsifElse() {
        let source = "IF #a THEN #x := 1; ELSIF #b THEN #x := 2; ELSE #x := 3; END_IF;"
        #expect(
            statements(source) == """
                (IF
                  (IF #a
                    (:= #x 1))
                  (ELSIF #b
                    (:= #x 2))
                  (ELSE
                    (:= #x 3)))
                """)
    }

    @Test func caseWithListsRangesAndElse() {
        let source = """
            CASE #state OF
                1, 3, 5..7:
                    #x := 1;
                #IDLE: #x := 2;
                -1: ;
            ELSE
                #x := 0;
            END_CASE;
            """
        #expect(
            statements(source) == """
                (CASE #state
                  (1, 3, 5..7:
                    (:= #x 1))
                  (#IDLE:
                    (:= #x 2))
                  ((- 1):
                    (;))
                  (ELSE
                    (:= #x 0)))
                """)
    }

    @Test func loops() {
        #expect(
            statements("FOR #i := #MAX - 1 TO 0 BY -1 DO IF #SX[#i] THEN EXIT; END_IF; END_FOR;") == """
                (FOR #i := (- #MAX 1) TO 0 BY (- 1)
                  (IF
                    (IF #SX[#i]
                      (EXIT))))
                """)
        #expect(
            statements("WHILE NOT (#g = 0) DO CONTINUE; END_WHILE;") == "(WHILE (NOT (paren (= #g 0)))\n  (CONTINUE))")
        #expect(
            statements("REPEAT #n := #n - 1; UNTIL #n = 0 END_REPEAT;") == "(REPEAT\n  (:= #n (- #n 1)) UNTIL (= #n 0))"
        )
    }

    @Test func jumpsRegionsAndEmptyStatements() {
        #expect(statements("GOTO Done; ; Done: RETURN;") == "(GOTO Done)\n(;)\n(label Done)\n(RETURN)")
        #expect(
            statements("REGION Timers  and delays\n#x := 1;\nEND_REGION") == "(REGION Timers and delays\n  (:= #x 1))")
    }

    @Test func calls() {
        #expect(
            statements("#inst(IN := #a, PT := T#2s, Q => #q, ET => #et, ENO => #ok);")
                == "(call #inst [IN := #a] [PT := T#2s] [Q => #q] [ET => #et] [ENO => #ok])")
        #expect(statements(#""IDB_Motor"();"#) == #"(call "IDB_Motor")"#)
        #expect(statements("#motors[#i](start := TRUE);") == "(call #motors[#i] [start := TRUE])")
        #expect(statements(#""FC_Log"(#a, 'text', 16#10);"#) == #"(call "FC_Log" [#a] ['text'] [16#10])"#)
        #expect(
            statements("MOVE_BLK(IN := #a[0], COUNT := 4, OUT => #b[0]);")
                == "(call MOVE_BLK [IN := #a[0]] [COUNT := 4] [OUT => #b[0]])")
    }
}

@Suite struct UnitParserTests {
    @Test func functionBlockWithSectionsAttributesAndOverlays() {
        let source = """
            FUNCTION_BLOCK "FB_Test"
            TITLE = Main   control
            { S7_Optimized_Access := 'TRUE' }
            AUTHOR : 'Me'
            VERSION : 0.1
            KNOW_HOW_PROTECT
               VAR_INPUT
                  start, stop : Bool;
                  speed { ExternalWritable := 'False' } : Int := 40;
               END_VAR
               VAR RETAIN
                  timer {InstructionName := 'TON_TIME'; LibVersion := '1.0'} : TON_TIME;
                  raw : DWord;
                  bits AT raw : Array[0..31] of Bool;
                  values : Array[1..#N, 0..1] of Real := [3(0.0), 1.0, 2.0];
                  text : String[20] := 'abc';
                  any : Array[*] of Int;
                  data : "UDT_Data";
                  ref : REF_TO Int;
                  nested : Struct   // comment
                     a : Int := -1;
                     inner : Struct
                        b : Bool;
                     END_STRUCT;
                  END_STRUCT;
               END_VAR
               VAR CONSTANT
                  N : Int := 4;
               END_VAR
            BEGIN
               #timer(IN := #start, PT := T#1s);
            END_FUNCTION_BLOCK
            """
        #expect(
            units(source) == """
                (FUNCTION_BLOCK "FB_Test"
                  (TITLE Main control)
                  {S7_Optimized_Access=TRUE}
                  (AUTHOR Me)
                  (VERSION 0.1)
                  (KNOW_HOW_PROTECT)
                  (VAR_INPUT
                    (start,stop : Bool)
                    (speed {ExternalWritable=False} : Int := 40))
                  (VAR RETAIN
                    (timer {InstructionName=TON_TIME LibVersion=1.0} : TON_TIME)
                    (raw : DWord)
                    (bits AT raw : Array[0..31] of Bool)
                    (values : Array[1..#N, 0..1] of Real := [3(0.0), 1.0, 2.0])
                    (text : String[20] := 'abc')
                    (any : Array[*] of Int)
                    (data : "UDT_Data")
                    (ref : REF_TO Int)
                    (nested : Struct
                      (a : Int := (- 1))
                      (inner : Struct
                        (b : Bool) END_STRUCT) END_STRUCT))
                  (VAR CONSTANT CONSTANT
                    (N : Int := 4))
                  (BEGIN
                    (call #timer [IN := #start] [PT := T#1s])))
                """)
    }

    @Test func functionsDataBlocksAndTypes() {
        #expect(
            units(#"FUNCTION "F" : Void BEGIN RETURN; END_FUNCTION"#) == """
                (FUNCTION "F"
                  (returns Void)
                  (BEGIN
                    (RETURN)))
                """)
        #expect(
            units(#"FUNCTION "S" : String[10] VERSION : 0.1 BEGIN #S := 'x'; END_FUNCTION"#) == """
                (FUNCTION "S"
                  (returns String[10])
                  (VERSION 0.1)
                  (BEGIN
                    (:= #S 'x')))
                """)
        #expect(
            units(#"DATA_BLOCK "IDB" { S7_Optimized_Access := 'TRUE' } NON_RETAIN "FB_Motor" BEGIN END_DATA_BLOCK"#)
                == """
                (DATA_BLOCK "IDB"
                  {S7_Optimized_Access=TRUE}
                  (NON_RETAIN)
                  (of "FB_Motor")
                  (BEGIN)
                """ + ")")
        #expect(
            units(
                "DATA_BLOCK \"DB\" VAR x : Int; arr : Array[0..1] of Int; END_VAR "
                    + "BEGIN x := 5; arr[1] := 3; END_DATA_BLOCK"
            ) == """
                (DATA_BLOCK "DB"
                  (VAR
                    (x : Int)
                    (arr : Array[0..1] of Int))
                  (BEGIN
                    (:= x 5)
                    (:= arr[1] 3)))
                """)
        #expect(
            units("TYPE \"UDT\" VERSION : 0.1 STRUCT a : Int; s : (x := 1, y := 2); END_STRUCT; END_TYPE").hasPrefix(
                "diagnostics"))
        #expect(
            units("TYPE \"UDT\" VERSION : 0.1 STRUCT a : Int := 1; b : Bool; END_STRUCT; END_TYPE") == """
                (TYPE "UDT"
                  (VERSION 0.1)
                  (STRUCT
                    (a : Int := 1)
                    (b : Bool)))
                """)
        #expect(
            units(#"ORGANIZATION_BLOCK "Main" VAR_TEMP t : Int; END_VAR BEGIN ; END_ORGANIZATION_BLOCK"#) == """
                (ORGANIZATION_BLOCK "Main"
                  (VAR_TEMP
                    (t : Int))
                  (BEGIN
                    (;)))
                """)
    }

    @Test func structInitialiser() {
        #expect(
            units("DATA_BLOCK \"DB\" VAR p : \"UDT_Point\" := (x := 1, y := [2(0)]); END_VAR BEGIN END_DATA_BLOCK")
                .contains(
                    #"(p : "UDT_Point" := (x := 1, y := [2(0)]))"#))
    }
}
