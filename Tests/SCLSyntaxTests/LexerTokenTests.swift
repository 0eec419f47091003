import S7Diagnostics
import SCLSyntax
import Testing

@Suite struct LexerTokenTests {
    @Test func keywordsAreCaseInsensitive() {
        for keyword in Keyword.allCases {
            #expect(isSingleToken(keyword.rawValue, .keyword(keyword)))
            #expect(isSingleToken(keyword.rawValue.lowercased(), .keyword(keyword)))
        }
        #expect(isSingleToken("End_Function_Block", .keyword(.endFunctionBlock)))
        #expect(isSingleToken("Int", .identifier))
        #expect(isSingleToken("END_IFX", .identifier))
    }

    @Test func identifiersAndNames() {
        #expect(isSingleToken("Motor_1", .identifier))
        #expect(isSingleToken("_tmp", .identifier))
        #expect(isSingleToken("счётчик1", .identifier))
        #expect(isSingleToken("#count", .localIdentifier))
        #expect(isSingleToken("#Счёт", .localIdentifier))
        #expect(isSingleToken("#\"my local\"", .quotedLocalIdentifier))
        #expect(isSingleToken("\"Motor DB\"", .quotedIdentifier))
        #expect(isSingleToken("\"Датчик\"", .quotedIdentifier))
        let stream = lex("#\"a b\" \"DB\" #x")
        #expect(stream.tokens.dropLast().map { stream.name(of: $0) } == ["a b", "DB", "x"])
    }

    @Test func absoluteAddressesAndSlices() {
        for address in ["%I0.0", "%Q4.7", "%MW10", "%MD20", "%IB3", "%DB1.DBX0.1", "%DB10.DBW4", "%PIW256", "%M0.0"] {
            #expect(isSingleToken(address, .absoluteAddress), "\(address)")
        }
        let slices = tokens("#w.%X0 := \"DB\".b.%B1; #d.%W0 + #l.%D0")
        #expect(slices.filter { $0.kind == .sliceAccess }.map(\.text) == ["%X0", "%B1", "%W0", "%D0"])
        #expect(lex("#w.%X0").diagnostics.isEmpty)
    }

    @Test func integerAndRealLiterals() {
        for literal in ["0", "42", "1_000_000", "16#FF", "16#ff_FF", "8#17", "2#1010_0101"] {
            #expect(isSingleToken(literal, .integerLiteral), "\(literal)")
        }
        for literal in ["1.0", "0.5", "1.0E-3", "1.5e+10", "1e10", "3E2", "1_000.000_1"] {
            #expect(isSingleToken(literal, .realLiteral), "\(literal)")
        }
        #expect(
            tokens("[0..31]").map(\.kind) == [.leftBracket, .integerLiteral, .dotDot, .integerLiteral, .rightBracket])
        #expect(tokens("1..2").map(\.text) == ["1", "..", "2"])
    }

    @Test func typedLiteralsForEveryPrefix() {
        let samples: [TypedLiteralPrefix: [String]] = [
            .bool: ["BOOL#1", "bool#TRUE", "BOOL#false"],
            .byte: ["BYTE#16#FF", "BYTE#255"], .word: ["WORD#16#FFFF", "word#2#1010"], .dword: ["DWORD#16#FFFF_0000"],
            .lword: ["LWORD#16#1"], .sint: ["SINT#-5"], .int: ["INT#5", "INT#-32768", "INT#+3"],
            .dint: ["DINT#100000"], .lint: ["LINT#-1"], .usint: ["USINT#1"], .uint: ["UINT#8#17"],
            .udint: ["UDINT#1"], .ulint: ["ULINT#1"], .real: ["REAL#1.5", "REAL#-2.0E-3", "REAL#1"],
            .lreal: ["LREAL#1.0e10"], .char: ["CHAR#'a'", "CHAR#'$''", "CHAR#65"], .wchar: ["WCHAR#'ж'"],
            .string: ["STRING#'abc'"], .wstring: ["WSTRING#'x'"],
            .t: ["T#1h2m", "T#500ms", "t#1d_2h_3m_4s_5ms", "T#-5s", "T#1.5s"], .time: ["TIME#10s"],
            .lt: ["LT#1us", "LT#5ns"], .ltime: ["LTIME#1d"], .s5t: ["S5T#2s"], .s5time: ["S5TIME#10ms"],
            .d: ["D#2024-01-31"], .date: ["DATE#1990-01-01"], .tod: ["TOD#12:30:00", "TOD#12:30:00.123"],
            .timeOfDay: ["TIME_OF_DAY#1:2:3"], .ltod: ["LTOD#23:59:59.999999999"], .ltimeOfDay: ["LTIME_OF_DAY#0:0:0"],
            .dt: ["DT#2024-01-31-12:30:00"], .dateAndTime: ["DATE_AND_TIME#2024-01-31-12:30:00.5"],
            .ldt: ["LDT#2024-01-31-12:30:00.000000001"], .dateAndLTime: ["DATE_AND_LTIME#1970-01-01-0:0:0"],
            .dtl: ["DTL#2024-01-31-12:30:00.250"],
            .b: ["B#16#FF"], .w: ["W#16#1234"], .dw: ["DW#16#12345678"], .lw: ["LW#16#1"], .l: ["L#-100"],
            .c: ["C#999"], .p: ["P#M10.0", "P#DB1.DBX0.0"],
        ]
        #expect(Set(samples.keys) == Set(TypedLiteralPrefix.allCases))
        for (prefix, literals) in samples {
            for literal in literals {
                #expect(isSingleToken(literal, .typedLiteral(prefix)), "\(literal)")
            }
        }
        let stream = lex("WORD#16#FF")
        let parts = stream.typedLiteralParts(of: stream.tokens[0])!
        #expect(stream.file.text(in: parts.prefix) == "WORD" && stream.file.text(in: parts.value) == "16#FF")
        #expect(tokens("T#5s-T#2s").map(\.text) == ["T#5s", "-", "T#2s"])
        #expect(tokens("D#2024-01-31-D#2024-01-01").map(\.text) == ["D#2024-01-31", "-", "D#2024-01-01"])
    }

    @Test func stringsAndEscapes() {
        #expect(isSingleToken("'abc'", .stringLiteral))
        #expect(isSingleToken("''", .stringLiteral))
        #expect(isSingleToken("'Привет мир'", .stringLiteral))
        let stream = lex("'50$$ off$N$'q$'$R$L$T$P$41'")
        #expect(stream.diagnostics.isEmpty)
        #expect(stream.stringValue(of: stream.tokens[0]) == "50$ off\n'q'\r\n\t\u{0C}A")
        let typed = lex("STRING#'a$'b'")
        #expect(typed.stringValue(of: typed.tokens[0]) == "a'b")
    }

    @Test func operatorsAndPunctuation() {
        let source = ":= => += -= *= /= ?= ** <> <= >= = < > + - * / & ^ ( ) [ ] { } , ; : . .."
        let expected: [TokenKind] = [
            .assign, .outputAssign, .plusAssign, .minusAssign, .multiplyAssign, .divideAssign, .tryAssign, .power,
            .notEqual, .lessEqual, .greaterEqual, .equal, .less, .greater, .plus, .minus, .star, .slash, .ampersand,
            .caret, .leftParen, .rightParen, .leftBracket, .rightBracket, .leftBrace, .rightBrace, .comma,
            .semicolon, .colon, .dot, .dotDot,
        ]
        #expect(tokens(source).map(\.kind) == expected)
        #expect(lex(source).diagnostics.isEmpty)
        #expect(tokens("a:=-1").map(\.kind) == [.identifier, .assign, .minus, .integerLiteral])
    }

    @Test func pragmasAreTokens() {
        let kinds = tokens("{ S7_Optimized_Access := 'FALSE' }").map(\.kind)
        #expect(kinds == [.leftBrace, .identifier, .assign, .stringLiteral, .rightBrace])
    }

    @Test func commentsAreTriviaAndDoNotNest() {
        let stream = lex("a (* x (* y *) b // c\n/* d */ e")
        #expect(stream.tokens.dropLast().map { stream.text(of: $0) } == ["a", "b", "e"])
        let b = stream.tokens[1]
        #expect(stream.leadingTrivia(of: b).isEmpty)
        #expect(stream.trailingTrivia(of: b).map(\.kind) == [.whitespace, .lineComment])
        #expect(stream.trailingComment(of: b) == "c")
        let e = stream.tokens[2]
        #expect(stream.leadingTrivia(of: e).map(\.kind) == [.newlines, .slashBlockComment, .whitespace])
        #expect(stream.trailingTrivia(of: stream.tokens[0]).map(\.kind) == [.whitespace, .blockComment, .whitespace])
        #expect(lex("(**) x").tokens.count == 2)
    }

    @Test func tokensTileTheFileLosslessly() {
        let source = "\u{FEFF}FUNCTION \"F\" : Void // c\r\n\tBEGIN\n  #x := 16#FF; (* end *)\nEND_FUNCTION\n\n"
        let stream = lex(source)
        #expect(stream.diagnostics.isEmpty)
        var rebuilt: [UInt8] = []
        for token in stream.tokens { rebuilt += stream.file.bytes[token.fullRange] }
        #expect(rebuilt == Array(source.utf8))
        #expect(stream.leadingTrivia(of: stream.tokens[0]).map(\.kind) == [.byteOrderMark])
        #expect(stream.tokens.last?.kind == .endOfFile && stream.tokens.last?.end == stream.file.bytes.count)
        #expect(stream.location(of: stream.tokens[0]) == SourceLocation(line: 1, column: 1))
    }
}
