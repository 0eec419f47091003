/// Every registered diagnostic code with a one-line title, a default severity and an explanation with an example.
///
/// `s7wb explain SCL1001` and the documentation are generated from this table, and a test checks that every code a
/// component emits is registered here.
public enum DiagnosticRegistry {
    public struct Entry: Hashable, Sendable {
        public let code: DiagnosticCode
        public let severity: Severity
        public let title: String
        public let explanation: String
    }

    /// The entries sorted by code.
    public static let all: [Entry] = entries.sorted { $0.code < $1.code }

    private static let byCode: [DiagnosticCode: Entry] = Dictionary(
        uniqueKeysWithValues: entries.map { ($0.code, $0) })

    public static func entry(for code: DiagnosticCode) -> Entry? { byCode[code] }

    private static func entry(
        _ code: DiagnosticCode, _ severity: Severity, _ title: String, _ explanation: String
    ) -> Entry {
        Entry(code: code, severity: severity, title: title, explanation: explanation)
    }

    private static let entries: [Entry] = [
        entry(
            .unterminatedString, .error, "unterminated string literal",
            """
            A character string starts with ' and must end with ' on the same line. A quote inside the string is \
            written $'. Example: `s := 'it$'s';` instead of `s := 'it's';`.
            """),
        entry(
            .unterminatedQuotedName, .error, "unterminated quoted name",
            """
            A name in double quotes ("Motor_1", #"my local") must be closed on the same line; double quotes never \
            delimit strings in SCL. Example: `"Motor_1".Start := TRUE;`.
            """),
        entry(
            .unterminatedComment, .error, "unterminated block comment",
            """
            A block comment opened with (* must be closed with *), one opened with /* with */. Block comments do \
            not nest: the first closing delimiter ends the comment. Example: `(* disabled: x := 1; *)`.
            """),
        entry(
            .invalidCharacter, .error, "invalid character",
            """
            The character cannot start any SCL token outside a comment or string, e.g. `x := 5 € 3;` or a \
            non-breaking space pasted from a document. Unicode letters are allowed in names: `счётчик := 1;`.
            """),
        entry(
            .invalidUTF8, .error, "invalid UTF-8",
            """
            The bytes are not valid UTF-8. TIA Portal exports SCL sources as UTF-8 (usually with a byte order \
            mark); a file saved in a legacy code page such as Windows-1251 must be converted first.
            """),
        entry(
            .malformedNumber, .error, "malformed numeric literal",
            """
            An integer literal is decimal digits or base#digits with base 2, 8 or 16, digits valid for the base, \
            underscores only between digits. A real literal needs digits on both sides of the point. Examples: \
            `16#FF`, `2#1010_0101`, `1.5E-3`; wrong: `16#`, `2#102`, `12abc`.
            """),
        entry(
            .malformedTypedLiteral, .error, "malformed typed literal",
            """
            The value after a type prefix does not fit the type. Examples: `T#1h2m3s`, `TOD#12:30:00`, \
            `D#2024-01-31`, `DT#2024-01-31-12:30:00`, `INT#-5`, `WORD#16#FF`, `REAL#1.5`, `CHAR#'a'`, `BOOL#1`; \
            wrong: `T#5x`, `D#2024`, `INT#`.
            """),
        entry(
            .invalidEscape, .error, "invalid escape sequence",
            """
            In a string, $ starts an escape: $$, $', $L, $N, $P, $R, $T or two hex digits ($0A). Any other \
            character after $ is an error. Example: `'100$$'` for the text 100$.
            """),
        entry(
            .malformedAddress, .error, "malformed absolute address",
            """
            An absolute address is % followed by an area and an offset: %I0.0, %QW4, %MD20, %DB1.DBX0.1, or after \
            a dot a slice such as #w.%X3 or #d.%B0. A bare % or %X0 outside a slice is an error.
            """),
        entry(
            .sourceTooLarge, .error, "source file too large",
            """
            Token offsets are 32-bit; a source of 4 GiB or more is lexed only up to that size.
            """),
        entry(
            .missingEndOfUnit, .error, "missing end of program unit",
            """
            Every program unit ends with its own keyword: FUNCTION_BLOCK with END_FUNCTION_BLOCK, FUNCTION with \
            END_FUNCTION, ORGANIZATION_BLOCK with END_ORGANIZATION_BLOCK, DATA_BLOCK with END_DATA_BLOCK, TYPE \
            with END_TYPE. Example: `FUNCTION "F" : Void BEGIN END_FUNCTION`.
            """),
        entry(
            .mismatchedEndOfUnit, .error, "mismatched end of program unit",
            """
            The unit is closed with the end keyword of another kind, e.g. `FUNCTION_BLOCK "FB" ... END_FUNCTION`. \
            Use the end keyword that matches the opening keyword.
            """),
        entry(
            .expectedUnitName, .error, "expected program unit name",
            """
            The unit keyword must be followed by the block name, quoted or plain: `FUNCTION_BLOCK "Motor"` or \
            `FUNCTION_BLOCK Motor`.
            """),
        entry(
            .expectedUnit, .error, "expected a program unit",
            """
            Outside program units a source file holds only comments and the keywords FUNCTION_BLOCK, FUNCTION, \
            ORGANIZATION_BLOCK, DATA_BLOCK or TYPE. Statements must be inside a unit's BEGIN section.
            """),
        entry(
            .unclosedSection, .error, "unclosed declaration section",
            """
            A declaration section (VAR_INPUT, VAR_OUTPUT, VAR_IN_OUT, VAR_TEMP, VAR) ends with END_VAR, a STRUCT \
            with END_STRUCT. Example: `VAR_INPUT start : Bool; END_VAR`.
            """),
        entry(
            .expectedReturnType, .error, "expected return type",
            """
            A FUNCTION declares its return type after a colon; a function without a result returns Void. \
            Example: `FUNCTION "Scale" : Real` or `FUNCTION "Log" : Void`.
            """),
        entry(
            .expectedSemicolon, .error, "expected ';'",
            """
            Every statement and every declaration ends with a semicolon. A missing one is reported after the \
            statement it should close. Example: `#count := #count + 1;` and `speed : Int;`.
            """),
        entry(
            .expectedThen, .error, "expected THEN",
            """
            The condition of IF and ELSIF is followed by THEN. Example: `IF #start AND NOT #stop THEN #on := TRUE; \
            END_IF;`.
            """),
        entry(
            .missingEndOfStatement, .error, "missing end of control statement",
            """
            A control statement ends with its own keyword: IF with END_IF, CASE with END_CASE, FOR with END_FOR, \
            WHILE with END_WHILE, REPEAT with UNTIL … END_REPEAT, REGION with END_REGION. The error is reported \
            where another closing keyword or the end of the block was found instead.
            """),
        entry(
            .expectedDo, .error, "expected DO",
            """
            The header of FOR and WHILE ends with DO. Examples: `FOR #i := 1 TO 10 DO … END_FOR;`, \
            `WHILE #n > 0 DO … END_WHILE;`.
            """),
        entry(
            .expectedOf, .error, "expected OF",
            """
            CASE needs OF after its selector (`CASE #state OF 1: … END_CASE;`) and an array type needs OF before \
            its element type (`Array[0..9] of Int`).
            """),
        entry(
            .expectedTo, .error, "expected TO",
            """
            A FOR loop gives its start value, then TO and the end value, optionally BY and a step. Example: \
            `FOR #i := 10 TO 0 BY -1 DO … END_FOR;`.
            """),
        entry(
            .expectedUntil, .error, "expected UNTIL",
            """
            The body of a REPEAT loop ends with UNTIL, its condition and END_REPEAT. Example: \
            `REPEAT #n := #n - 1; UNTIL #n = 0 END_REPEAT;`.
            """),
        entry(
            .expectedExpression, .error, "expected an expression",
            """
            An operand or a parenthesised expression is missing, e.g. after an operator (`#a := #b + ;`) or where a \
            value is required (`IF THEN`). Operands are `#local`, `"Global".member`, `%I0.0`, literals and calls.
            """),
        entry(
            .expectedClosingDelimiter, .error, "expected closing delimiter",
            """
            A `(`, `[` or `{` is not closed. Parentheses, brackets and braces must balance within a statement or \
            declaration. Example: `#a := (#b + 1) * 2;`, `#arr[#i, #j]`.
            """),
        entry(
            .expectedStatement, .error, "expected a statement",
            """
            A statement starts with an operand (assignment or call), a control keyword (IF, CASE, FOR, WHILE, \
            REPEAT, EXIT, CONTINUE, RETURN, GOTO, REGION) or a jump label. Operators, literals and closing keywords \
            that belong to no open statement cannot start one.
            """),
        entry(
            .expectedAssignment, .error, "expected ':=' or a call",
            """
            An operand at the start of a statement must be assigned (`:=`, `+=`, `-=`, `*=`, `/=`, `?=`) or called \
            with a parameter list. A frequent slip is `=` (comparison) instead of `:=`: write `#on := TRUE;`.
            """),
        entry(
            .expectedColon, .error, "expected ':'",
            """
            A declaration separates the name from its type with a colon (`speed : Int;`), a CASE value list is \
            followed by a colon (`1, 3..5: …`) and a header attribute by one (`VERSION : 0.1`).
            """),
        entry(
            .expectedType, .error, "expected a data type",
            """
            A data type is an elementary type (`Bool`, `Int`, `String[20]`), `Array[lo..hi] of T`, `Struct … \
            END_STRUCT`, a PLC data type or FB in quotes (`"UDT_Motor"`), a system type such as `TON_TIME`, or \
            `REF_TO T`.
            """),
        entry(
            .expectedName, .error, "expected a name",
            """
            A name is required here: after GOTO a label, after `.` a member, in a declaration the variable. Names \
            are plain (`speed`), quoted (`"Motor 1"`) or local (`#speed`).
            """),
        entry(
            .expectedBegin, .error, "expected BEGIN",
            """
            The statements of FUNCTION_BLOCK, FUNCTION and ORGANIZATION_BLOCK (and the start values of a \
            DATA_BLOCK) follow the declarations after BEGIN. Outside declaration sections nothing else may come \
            before BEGIN.
            """),
        entry(
            .unmatchedClosingDelimiter, .error, "unmatched closing delimiter",
            """
            A `)`, `]` or `}` has no matching opening delimiter, e.g. `#a := (#b + 1));`. Remove it or add the \
            missing opening one.
            """),
        entry(
            .expectedDeclaration, .error, "expected a declaration",
            """
            Inside VAR_INPUT … END_VAR and STRUCT … END_STRUCT each entry is `name : Type;`, optionally with \
            attributes `{ … }`, an overlay `AT other` and an initial value `:= …`. Statements belong after BEGIN.
            """),
        entry(
            .duplicateDeclaration, .error, "duplicate declaration",
            """
            A name is declared twice in the interface of one block (names are case-insensitive across all its \
            sections). Example: `VAR_INPUT speed : Int; END_VAR VAR speed : Int; END_VAR` declares `speed` twice.
            """),
        entry(
            .unknownName, .error, "unknown name",
            """
            A name used in the code is neither a local variable, parameter or constant of the block (`#name`) nor a \
            PLC tag, global constant or block (`"name"`). Check the spelling and the `#` or quotes. Example: \
            `#speed := 0;` in a block that declares no `speed`.
            """),
        entry(
            .unknownMember, .error, "unknown member",
            """
            The structure, PLC data type, DB or instance has no member of that name. Example: `"Motor".Sped` where \
            the PLC data type of `"Motor"` declares `Speed`.
            """),
        entry(
            .typeMismatch, .error, "type mismatch",
            """
            The value's data type cannot be used here and no implicit conversion exists. S7-1500 converts \
            implicitly only where no information is lost (Int to DInt, Int to Real, Real to LReal, Byte to Word). \
            Use an explicit conversion: `#i := REAL_TO_INT(#r);` instead of `#i := #r;`.
            """),
        entry(
            .unknownParameter, .error, "unknown parameter",
            """
            A call names a parameter the called block or instruction does not have, or passes an output with \
            `:=` instead of `=>`. Example: `#timer(IN := #start, PV := T#2s);` for a TON, whose time is `PT`.
            """),
        entry(
            .missingInstance, .error, "missing instance",
            """
            A function block needs instance data: call it through an instance DB (`"Motor_DB"(...)`) or a \
            multi-instance declared in the static section of the calling FB (`#motor(...)`); an FC or OB has no \
            static data for a multi-instance.
            """),
        entry(
            .notWritable, .error, "not writable",
            """
            The target of an assignment is an input parameter, a constant, a literal or the result of an \
            expression. Example: `#MAX_SPEED := 10;` where `MAX_SPEED` is declared in `VAR CONSTANT`.
            """),
        entry(
            .notCallable, .error, "not callable",
            """
            Only FCs, FB instances, IEC timers, counters and edge detectors, and the built-in instructions can \
            be called. Example: `"Recipe"();` where `"Recipe"` is a global DB.
            """),
        entry(
            .indexOutOfRange, .error, "array index out of range",
            """
            A constant array index lies outside the declared bounds. Example: `#values[10] := 0;` for \
            `values : Array[0..9] of Int;`.
            """),
        entry(
            .notSupported, .error, "not supported yet",
            """
            The construct is valid SCL that this version of s7wb cannot compile yet (the message names it). The \
            block does not load; the other blocks do. Example: pointers (`REF_TO`, `^`), VARIANT parameters, \
            GOTO into a loop.
            """),
        entry(
            .invalidOperand, .error, "invalid operand",
            """
            The operator or instruction is not defined for the operand's data type. Example: `#b AND #r` with \
            `r : Real`, `NOT #i` on a Real, `MOD` of two Reals.
            """),
        entry(
            .constantRequired, .error, "constant required",
            """
            An array bound, string length, CASE label or repetition factor must be a constant known at \
            compile time: a literal, a local constant (`#N`) or a global constant (`"N"`).
            """),
        entry(
            .constantDivisionByZero, .error, "division by zero",
            """
            A constant expression divides by zero. Example: `#x := #y / 0;`.
            """),
        entry(
            .unknownType, .error, "unknown data type",
            """
            A declaration names a data type that is neither an S7 type nor a PLC data type, FB or system type of \
            the device. Example: `motor : "typeMotr";` where the data type is `"typeMotor"`.
            """),
        entry(
            .misplacedStatement, .error, "statement not allowed here",
            """
            EXIT and CONTINUE are only allowed inside FOR, WHILE and REPEAT loops; RETURN and ENO only inside a \
            code block. Example: `EXIT;` in the body of an IF outside any loop.
            """),
        entry(
            .unknownLabel, .error, "unknown jump label",
            """
            GOTO names a label that the block does not define. Example: `GOTO done;` without `done:` in \
            the same block.
            """),
        entry(
            .calleeHasErrors, .error, "called block has errors",
            """
            The block calls a block that did not compile, so it cannot be loaded either. Fix the errors in the \
            called block first; the diagnostic names it.
            """),
        entry(
            .blockNotCompiled, .warning, "block not compiled",
            """
            The block is written in a language or form s7wb cannot compile, so it is left out of the program; \
            blocks that call it are left out too.
            """),
        entry(
            .missingParameter, .error, "missing parameter",
            """
            A call of an FC must supply every input, in/out and output parameter (an FB call may leave inputs \
            out: they keep their last value). Example: `"Scale"(x := 1)` for an FC with the inputs `x` and `k`.
            """),
        entry(
            .networkNotSimulated, .warning, "network not simulated",
            """
            A network (or one instruction in it) cannot be simulated: an STL network, a GRAPH sequence, or an \
            instruction that needs hardware such as CNT_CTRL. The network or instruction is left out and the rest \
            of the block runs; the message names the network (counted from 1, as TIA numbers them).
            """),
        entry(
            .invalidNetwork, .error, "invalid LAD/FBD network",
            """
            A LAD or FBD network cannot be read or lowered: a part without its operand, a wire to nothing, a \
            feedback loop. The message names the network (counted from 1) and the instruction; the block is left \
            out.
            """),
        entry(
            .instructionNotSimulated, .warning, "instruction not simulated",
            """
            An instance DB belongs to a system or library block that s7wb does not know (e.g. `CNT_CHANTYPE1` \
            of a counter module). The DB is built from the interface its SimaticML file carries, so its members \
            read and write by name, but calls of the instruction itself are not simulated.
            """),
    ]
}
