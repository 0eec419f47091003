public import S7Model

/// One VM instruction: an opcode and five operand fields in 16 bytes, so a block's code is a flat array the
/// interpreter walks with a pointer.
///
/// The meaning of the fields depends on the opcode (see `Opcode`); the common shapes are
///
/// | shape | a | b | c | d | e |
/// |---|---|---|---|---|---|
/// | three registers | dst | lhs | rhs | – | – |
/// | register and immediate | dst | src | – | imm | – |
/// | memory access | value register | area slot | index register | byte offset | stride |
/// | bit access | value register | area slot | index register | byte (or bit address) | bit (or stride) |
/// | array element | value register | area slot | index register | byte (or bit) offset | array descriptor |
/// | jump | condition register | – | – | target | – |
/// | call | block index | window | area slot | instance offset | ENO register + 1 |
/// | built-in | builtin id | window | area slot | instance offset (or count) | value type |
///
/// `area` names the memory area of a memory access or instance (an `AreaKind` raw value); `b` then holds the DB
/// number for `.globalDB` in a `CompiledProgram` (the runtime's linker replaces it by a dense slot).
public struct BytecodeInstruction: Hashable, Sendable {
    public var opcode: Opcode
    public var area: UInt8
    public var a: UInt16
    public var b: UInt16
    public var c: UInt16
    public var d: Int32
    public var e: Int32

    public init(
        _ opcode: Opcode, a: UInt16 = 0, b: UInt16 = 0, c: UInt16 = 0, d: Int32 = 0, e: Int32 = 0,
        area: AreaKind = .none
    ) {
        self.opcode = opcode
        self.area = area.rawValue
        self.a = a
        self.b = b
        self.c = c
        self.d = d
        self.e = e
    }

    /// The memory area of a memory access, call or built-in instruction.
    public var areaKind: AreaKind { AreaKind(rawValue: area) ?? .none }
}

/// The memory area an instruction operand addresses.
public enum AreaKind: UInt8, Hashable, Sendable, CaseIterable {
    /// No memory operand.
    case none = 0
    /// The temporary local data (`%L`) of the running block, zeroed on entry.
    case local = 1
    /// The instance data of the running FB (its instance DB, or its part of the caller's instance).
    case instance = 2
    case input = 3
    case output = 4
    case marker = 5
    /// A global (or instance) DB; the instruction's `b` holds its number.
    case globalDB = 6
}

/// The value types built-in instructions and conversions are specialised for.
public enum ValueType: UInt8, Hashable, Sendable, CaseIterable {
    case bool, byte, word, dWord, lWord, sInt, int, dInt, lInt, usInt, uInt, udInt, ulInt, real, lReal, time, lTime

    /// Width in bits (Bool 1).
    public var bitWidth: Int {
        switch self {
        case .bool: 1
        case .byte, .sInt, .usInt: 8
        case .word, .int, .uInt: 16
        case .dWord, .dInt, .udInt, .real, .time: 32
        case .lWord, .lInt, .ulInt, .lReal, .lTime: 64
        }
    }

    /// Signed integers and durations.
    public var isSignedInteger: Bool {
        switch self {
        case .sInt, .int, .dInt, .lInt, .time, .lTime: true
        default: false
        }
    }

    public var isFloatingPoint: Bool { self == .real || self == .lReal }

    public var name: String {
        switch self {
        case .bool: "bool"
        case .byte: "byte"
        case .word: "word"
        case .dWord: "dword"
        case .lWord: "lword"
        case .sInt: "sint"
        case .int: "int"
        case .dInt: "dint"
        case .lInt: "lint"
        case .usInt: "usint"
        case .uInt: "uint"
        case .udInt: "udint"
        case .ulInt: "ulint"
        case .real: "real"
        case .lReal: "lreal"
        case .time: "time"
        case .lTime: "ltime"
        }
    }
}

/// How a conversion from REAL or LREAL to an integer rounds: S7's `ROUND` and `CONVERT` round to the nearest
/// integer, halfway cases to even; `TRUNC` cuts toward zero, `FLOOR` and `CEIL` as named.
public enum RoundingMode: Int32, Hashable, Sendable {
    case nearestEven = 0, truncate, floor, ceiling
}

/// What an integer division or modulo by zero does (the `e` field of `div*`/`mod*`): `.eno` gives 0 and clears ENO
/// (the behaviour of TIA's DIV and MOD boxes), `.programmingError` raises a programming error (OB121, else STOP).
public enum DivisionByZeroPolicy: Int32, Hashable, Sendable {
    case eno = 0, programmingError
}

/// The operations of the register VM.
///
/// Registers are 64-bit slots of the running block's window. An operation of width w reads the low w bits of its
/// operands and writes its result sign-extended (signed and bit-string types alike) to the whole slot; Bool is 0 or
/// 1, REAL the Float bit pattern in the low 32 bits, LREAL the Double bit pattern, TIME milliseconds as a DINT.
/// Integer arithmetic wraps at its width as on the CPU (`add.i16` of 32767 and 1 is -32768).
///
/// Memory: `load*`/`store*` address `area` with `b` (a DB number or, after linking, a slot) at byte offset `d`;
/// the `…x` forms add `r[c] × e` bytes (bits for `loadBitX`/`storeBitX`, whose `d` is a bit address). Multi-byte
/// values are big-endian. Static offsets are checked when the program is loaded; indexed ones at run time, where
/// an access outside the area is a programming error.
public enum Opcode: UInt8, Hashable, Sendable, CaseIterable {
    /// Does nothing.
    case nop
    /// r[a] = sign-extended `d`.
    case const32
    /// r[a] = constants[d] (a 64-bit pattern).
    case const64
    /// r[a] = r[b].
    case move

    // Integer arithmetic: r[a] = r[b] op r[c], wrapping at the width.
    case addI8, addI16, addI32, addI64
    case subI8, subI16, subI32, subI64
    case mulI8, mulI16, mulI32, mulI64
    /// r[a] = r[b] + d (wrapping), for loop counters and index arithmetic.
    case addImmI16, addImmI32, addImmI64
    // Division and modulo: signed (S) or unsigned (U); `e` is a `DivisionByZeroPolicy`.
    case divS8, divS16, divS32, divS64, divU8, divU16, divU32, divU64
    case modS8, modS16, modS32, modS64, modU8, modU16, modU32, modU64
    /// r[a] = -r[b], wrapping (−(−32768) is −32768 for Int).
    case negI8, negI16, negI32, negI64

    // Floating point: r[a] = r[b] op r[c]; a result that is not finite clears ENO, as TIA's boxes do.
    case addF32, subF32, mulF32, divF32, negF32
    case addF64, subF64, mulF64, divF64, negF64

    // Comparisons: r[a] = r[b] op r[c] ? 1 : 0. `gt`/`ge` are `lt`/`le` with swapped operands.
    case eqI8, eqI16, eqI32, eqI64, neI8, neI16, neI32, neI64
    case ltS8, ltS16, ltS32, ltS64, leS8, leS16, leS32, leS64
    case ltU8, ltU16, ltU32, ltU64, leU8, leU16, leU32, leU64
    case eqF32, neF32, ltF32, leF32, eqF64, neF64, ltF64, leF64

    // Bit logic on whole registers: AND, OR, XOR of bit strings and of Bools; `not` complements all bits,
    // `notBool` flips a Bool.
    case and, or, xor, not, notBool

    // Conversions. `extS`/`extU`: r[a] = r[b]'s low `d` bits sign- or zero-extended.
    case extS, extU
    /// r[a] = REAL(r[b]) for r[b] an integer of type `ValueType(e)`.
    case intToF32
    /// r[a] = LREAL(r[b]) for r[b] an integer of type `ValueType(e)`.
    case intToF64
    case f32ToF64
    /// LREAL to REAL; out of REAL's range clears ENO.
    case f64ToF32
    /// REAL to the integer type `ValueType(c)`, rounding by `RoundingMode(e)`; NaN or out of range gives 0 and
    /// clears ENO.
    case f32ToInt
    case f64ToInt
    /// Integer of type `ValueType(e)` to integer of type `ValueType(c)`; out of range keeps the low bits and clears
    /// ENO (as `DINT_TO_INT` does).
    case intToInt

    // Memory access (see the type's comment).
    case loadS8, loadU8, loadS16, loadU16, loadS32, loadU32, load64
    case loadS8x, loadU8x, loadS16x, loadU16x, loadS32x, loadU32x, load64x
    case store8, store16, store32, store64
    case store8x, store16x, store32x, store64x
    /// r[a] = bit `e` of byte `d`.
    case loadBit
    case storeBit
    /// r[a] = the bit at bit address d + r[c] × e.
    case loadBitX
    case storeBitX
    // Array element access: `e` indexes the block's `arrays`; the element is at byte offset d + (r[c] − low) ×
    // stride (bit address for `loadBitA`/`storeBitA`). An index outside the array is a programming error ("array
    // index out of range"; a load gives 0, a store is skipped); the whole array is checked against its area when
    // the program is loaded, so no other check runs.
    case loadS8a, loadU8a, loadS16a, loadU16a, loadS32a, loadU32a, load64a
    case store8a, store16a, store32a, store64a
    case loadBitA, storeBitA

    /// FILL_BLK: writes r[a] (IN) into r[a + 1] (COUNT) elements of the array at `area`/`b`/`d`/`e` (as for the
    /// `…a` instructions, elements of 1, 2, 4 or 8 bytes), starting with index r[a + 2]. A range outside the array
    /// writes nothing and clears ENO.
    case fillBlock
    /// A FOR loop whose body only stores one value into the element the counter indexes, done at once (a compiler
    /// idiom, as C compilers turn such loops into memset): for the DInt counter r[a] from its value to r[c] by r[d]
    /// (a step that is not positive leaves it to the loop), element r[a] of the array of the `operand` that must
    /// follow gets r[b], a value of type `operand.c` (`operand.a` = 1: a Bool array addressed in bits). When every index is inside the array the elements are
    /// written and r[a] is left where the loop leaves it, so the loop that follows ends at once; otherwise nothing
    /// happens and that loop runs (and faults at the first index outside the array).
    case fillLoop
    /// A FOR loop whose body only adds a constant to a counter for each Bool element the loop counter indexes that
    /// is TRUE (or FALSE), done at once (a compiler idiom, as C compilers turn such loops into a population count):
    /// for the DInt counter r[a] from its value to r[c] by r[d] (a step that is not positive leaves it to the loop),
    /// the integer r[b] of `operand.c` & ~1 bits grows by `e` (wrapping as `addImm…` does) for each element of the
    /// Bool array of the `operand` that must follow (`operand.a` = 1, addressed in bits) that is TRUE when
    /// `operand.c` is odd, FALSE when it is even. As with `fillLoop`, a loop leaving the array is left to the loop.
    case countLoop
    /// MOVE_BLK: copies r[a] (COUNT) elements from the array of the `operand` instruction that must follow, starting
    /// with index r[a + 1], to the array at `area`/`b`/`d`/`e`, starting with index r[a + 2]. Both arrays have the
    /// same stride; overlapping ranges copy as if through a buffer. A range outside either array copies nothing
    /// and clears ENO.
    case moveBlock
    /// The second memory operand of the instruction before it (`area`/`b`/`d`/`e`); does nothing by itself.
    case operand

    /// Array index check: if lo ≤ r[b] ≤ hi (lo = d, hi = e, both DINT) then r[a] = r[b] − lo, else programming
    /// error "array index out of range" and r[a] = 0.
    case checkIndex

    // Control flow; `d` is an absolute instruction index.
    case jump
    /// Jump if r[a] is not zero.
    case jumpIf
    /// Jump if r[a] is zero.
    case jumpIfNot
    /// Jump if r[b] < r[c] as DINTs (fused compare and branch for loops).
    case jumpLtS32
    /// Jump if r[b] <= r[c] as DINTs.
    case jumpLeS32
    /// Loop step: r[a] = r[a] + e (DINT, wrapping), then jump if r[a] < r[c].
    case incJumpLtS32
    /// Loop step: r[a] = r[a] + e, then jump if r[a] <= r[c].
    case incJumpLeS32
    /// Loop step: r[a] = r[a] + r[b], then jump if r[a] < r[c].
    case addJumpLtS32
    /// FOR step by a variable: r[a] = r[a] + r[b], then jump if r[a] <= r[c] when r[b] > 0, if r[a] >= r[c]
    /// otherwise.
    case stepJumpS32
    /// Leaves the block.
    case ret

    /// ENO = r[a] != 0.
    case setENO
    /// r[a] = ENO.
    case getENO

    /// Calls FC `a` (an index into the program's blocks) with its register window at r[b]: the caller puts the
    /// parameters in r[b]… in the callee's slot order and finds in/out, output and return values there afterwards;
    /// registers from r[b] up are clobbered. If e > 0, r[e − 1] receives the callee's ENO. If c > 0 the callee's
    /// local data starts at byte c − 1 of the caller's, where the caller has put the structured parameters.
    case callFC
    /// Calls FB `a` on the instance at `area`/`c`, byte offset `d` (`.globalDB`: c is the DB number; `.instance`:
    /// a multi-instance in the caller's instance data). Parameters travel through the instance data; the window
    /// and ENO as for `callFC`.
    case callFB
    /// Runs built-in instruction `BuiltinInstruction(a)` for `ValueType(e)` with its register window at r[b]; an
    /// instruction with instance data finds it at `area`/`c`/`d` as for `callFB`, one without uses `d` as its
    /// argument count where that varies (MIN, MAX, MUX).
    case builtin
    /// r[a] = a reference to byte `d` + r[c] × `e` of `area`/`b` (`e` = 0: byte `d`), for the operands of `library`
    /// instructions that live in memory. A reference names a memory slot and a byte offset; it is checked where it
    /// is used.
    case address
    /// r[a] = a reference to the element r[c] of array `e` (as for the `…a` instructions) at byte `d` of
    /// `area`/`b`; an index outside the array is a programming error and gives the reference of element `low`.
    case addressA
    /// Runs library instruction `LibraryInstruction(a)` with its window at r[b], `d` and `e` as the instruction
    /// says: string and date/time instructions whose operands are references (see `address`) or register values.
    case library
}

/// The instructions of `Opcode.library`: strings, date and time, run time. A String operand is a reference to its
/// header (maximum length, current length, characters); a result String is written to the reference's
/// string, cut to its maximum length (ENO false when cut); a DTL operand is a reference to its 12 bytes.
public enum LibraryInstruction: UInt16, Hashable, Sendable, CaseIterable {
    /// CONCAT: window dst, IN1, IN2.
    case concat = 1
    /// LEFT: dst, IN, L.
    case left
    /// RIGHT: dst, IN, L.
    case right
    /// MID: dst, IN, L, P.
    case mid
    /// FIND: result (INT), IN1, IN2.
    case find
    /// INSERT: dst, IN1, IN2, P.
    case insert
    /// DELETE: dst, IN, L, P.
    case delete
    /// REPLACE: dst, IN1, IN2, L, P.
    case replace
    /// Compares two strings by character code: result −1, 0 or 1 (a proper prefix is smaller).
    case compareStrings
    /// S_CONV from a string: result of `ValueType(e)`, IN.
    case stringToNumber
    /// S_CONV to a string: dst, IN of `ValueType(e)`.
    case numberToString
    /// STRG_VAL: result of `ValueType(e)`, IN, FORMAT, P (in/out).
    case stringToValue
    /// VAL_STRG: dst, IN of `ValueType(e)`, SIZE, PREC, FORMAT, P (in/out).
    case valueToString
    /// T_ADD: result, IN1 of `DateTimeKind(d & 0xFF)`, IN2 of kind `d >> 8` (TIME or LTIME); the result has IN1's
    /// kind.
    case timeAdd = 32
    /// T_SUB: as T_ADD.
    case timeSubtract
    /// T_DIFF: result of kind `d >> 8` (TIME or LTIME), IN1 and IN2 of kind `d & 0xFF`.
    case timeDifference
    /// T_COMBINE: result of kind `d & 0xFF`, IN1 (DATE), IN2 of kind `d >> 8` (TOD or LTOD).
    case timeCombine
    /// RD_SYS_T: RET_VAL, OUT of kind `d`.
    case readSystemTime
    /// RD_LOC_T: RET_VAL, OUT of kind `d`.
    case readLocalTime
    /// RUNTIME: result (LREAL seconds since the previous call), MEM (LREAL, in/out).
    case runtime
    /// PEEK, PEEK_BOOL: result, area (16#81 I, 16#82 Q, 16#83 M, 16#84 DB), DB number, byte offset, bit offset;
    /// `d` is the width in bits (1, 8, 16, 32).
    case peek = 64
    /// POKE, POKE_BOOL: value, area, DB number, byte offset, bit offset; `d` the width in bits.
    case poke

    public var name: String {
        switch self {
        case .concat: "CONCAT"
        case .left: "LEFT"
        case .right: "RIGHT"
        case .mid: "MID"
        case .find: "FIND"
        case .insert: "INSERT"
        case .delete: "DELETE"
        case .replace: "REPLACE"
        case .compareStrings: "compare"
        case .stringToNumber, .numberToString: "S_CONV"
        case .stringToValue: "STRG_VAL"
        case .valueToString: "VAL_STRG"
        case .timeAdd: "T_ADD"
        case .timeSubtract: "T_SUB"
        case .timeDifference: "T_DIFF"
        case .timeCombine: "T_COMBINE"
        case .readSystemTime: "RD_SYS_T"
        case .readLocalTime: "RD_LOC_T"
        case .runtime: "RUNTIME"
        case .peek: "PEEK"
        case .poke: "POKE"
        }
    }
}

/// How the date and time instructions read and write an operand: durations and times of day in registers (TIME
/// ms, LTIME ns, TOD ms, LTOD ns since midnight), dates in registers (DATE days since 1990-01-01, DT eight BCD bytes,
/// LDT ns since 1970-01-01) and DTL as a reference to its 12 bytes in memory.
public enum DateTimeKind: Int32, Hashable, Sendable, CaseIterable {
    case time = 1, lTime, date, timeOfDay, lTimeOfDay, dateAndTime, ldt, dtl
}

/// The built-in instructions the VM implements, by stable id. Each lists its register window: inputs first, then
/// outputs, numbered from the window start r[b].
public enum BuiltinInstruction: UInt16, Hashable, Sendable, CaseIterable {
    /// TON: in IN, PT → out Q (window+2), ET (window+3). Instance: 16 bytes with `ValueType.time`, 32 with
    /// `.lTime`, see `IECTimerLayout`.
    case ton = 1
    case tof
    case tp
    /// TONR: in IN, R, PT → out Q (window+3), ET (window+4).
    case tonr
    /// R_TRIG: in CLK → out Q (window+1). Instance: 2 bytes (CLK 0.0, Q 0.1, memory 0.2).
    case rTrig
    case fTrig
    /// CTU: in CU, R, PV → out Q (window+3), CV (window+4). Instance: see `IECCounterLayout`.
    case ctu
    /// CTD: in CD, LD, PV → out Q (window+3), CV (window+4).
    case ctd
    /// CTUD: in CU, CD, R, LD, PV → out QU (window+5), QD (window+6), CV (window+7).
    case ctud
    /// LIMIT: in MN, IN, MX → out window+0. MN > MX clears ENO and gives IN.
    case limit = 32
    /// MIN/MAX of `d` inputs → out window+0.
    case min
    case max
    /// SEL: in G, IN0, IN1 → out window+0.
    case sel
    /// MUX: in K and `d` inputs → out window+0; K out of range clears ENO and gives 0.
    case mux
    /// One-argument math on REAL/LREAL (ABS also on integers) → out window+0; an invalid argument clears ENO.
    case abs = 64
    case sqrt, ln, exp, sin, cos, tan, asin, acos, atan
    /// SHL/SHR/ROL/ROR: in IN, N → out window+0, at the width of the value type.
    case shl = 96
    case shr, rol, ror
    /// SWAP: in IN → out window+0 with its bytes in reverse order (WORD, DWORD, LWORD).
    case swap
    /// An S5 timer (`d`: the `S5TimerKind`): in timer number, S, TV (S5TIME word), R → out the remaining time as
    /// S5TIME (window+0), BI (window+4), Q (window+5). Its state lives in the VM, one slot per timer of the CPU.
    case s5Timer = 128
    /// An S5 counter (`d`: the `S5CounterKind`): in counter number, CU, CD, S, PV (BCD word), R → out the count as
    /// BCD (window+0), CV (window+6), Q (window+7). Its state lives in the VM, one slot per counter of the CPU.
    case s5Counter = 129

    public var name: String {
        switch self {
        case .ton: "TON"
        case .tof: "TOF"
        case .tp: "TP"
        case .tonr: "TONR"
        case .rTrig: "R_TRIG"
        case .fTrig: "F_TRIG"
        case .ctu: "CTU"
        case .ctd: "CTD"
        case .ctud: "CTUD"
        case .limit: "LIMIT"
        case .min: "MIN"
        case .max: "MAX"
        case .sel: "SEL"
        case .mux: "MUX"
        case .abs: "ABS"
        case .sqrt: "SQRT"
        case .ln: "LN"
        case .exp: "EXP"
        case .sin: "SIN"
        case .cos: "COS"
        case .tan: "TAN"
        case .asin: "ASIN"
        case .acos: "ACOS"
        case .atan: "ATAN"
        case .shl: "SHL"
        case .shr: "SHR"
        case .rol: "ROL"
        case .ror: "ROR"
        case .swap: "SWAP"
        case .s5Timer: "S5TIMER"
        case .s5Counter: "S5COUNTER"
        }
    }

    /// Whether the instruction keeps state in instance data.
    public var hasInstance: Bool { rawValue < 32 }
}

/// The five S5 timers of S7 (`BuiltinInstruction.s5Timer`'s `d`).
public enum S5TimerKind: Int32, Hashable, Sendable, CaseIterable {
    /// S_PULSE: Q while S stays on, for at most TV.
    case pulse
    /// S_PEXT: Q for TV after S rose, whatever S does meanwhile.
    case extendedPulse
    /// S_ODT: Q once S has been on for TV, until S goes off.
    case onDelay
    /// S_ODTS: Q once TV has passed since S rose, until R.
    case retentiveOnDelay
    /// S_OFFDT: Q while S is on and for TV after it went off.
    case offDelay

    /// `d` of a `.s5Timer` that only reads the timer's Q (window+5) without running it.
    public static let statusOnly: Int32 = -1
    /// `d` of a `.s5Timer` that resets the timer (LAD's R coil on it): not running, time and Q cleared; the S it
    /// saw last is kept, so the next call sees no edge that did not happen.
    public static let resetOnly: Int32 = -2

    public init?(instruction name: String) {
        switch name {
        case "S_PULSE": self = .pulse
        case "S_PEXT": self = .extendedPulse
        case "S_ODT": self = .onDelay
        case "S_ODTS": self = .retentiveOnDelay
        case "S_OFFDT": self = .offDelay
        default: return nil
        }
    }
}

/// The three S5 counters of S7 (`BuiltinInstruction.s5Counter`'s `d`).
public enum S5CounterKind: Int32, Hashable, Sendable, CaseIterable {
    /// S_CU: counts up on a rising CU.
    case up
    /// S_CD: counts down on a rising CD.
    case down
    /// S_CUD: both.
    case upDown

    /// `d` of a `.s5Counter` that only reads the counter's Q (window+7: the count is not 0) without running it.
    public static let statusOnly: Int32 = -1

    public init?(instruction name: String) {
        switch name {
        case "S_CU": self = .up
        case "S_CD": self = .down
        case "S_CUD": self = .upDown
        default: return nil
        }
    }
}

/// Where an IEC timer instance (TON, TOF, TP, TONR; 16 bytes in a standard DB with TIME, 32 with LTIME) keeps its
/// members. The visible members sit where `StandardLayout` places the members `SystemTypes` lists (TON: PT 0, ET 4,
/// IN 8.0, Q 8.1; TONR: R 0.0, PT 2, ET 6, IN 10.0, Q 10.1; the LTIME forms: PT 0, ET 8, IN 16.0, Q 16.1 and
/// R 0.0, PT 2, ET 10, IN 18.0, Q 18.1); the hidden state uses the padding: the running flag (bit 2 of the IN/Q
/// byte) and the start time ST right after that byte: for TIME the VM's millisecond clock when timing began (a
/// wrapping UDInt), for LTIME its nanosecond clock (an LInt).
public struct IECTimerLayout: Hashable, Sendable {
    public var presetTime: Int
    public var elapsedTime: Int
    /// The byte of IN (bit 0), Q (bit 1) and the running flag (bit 2).
    public var flags: Int
    public var startTime: Int
    /// The byte of R (bit 0), for TONR.
    public var reset: Int?

    /// The instance size of a TIME timer.
    public static let size = 16
    /// The instance size of an LTIME timer.
    public static let longSize = 32

    /// The layout of `timer` (a timer built-in) with TIME, or with LTIME when `long`.
    public static func of(_ timer: BuiltinInstruction, long: Bool = false) -> IECTimerLayout {
        let base = timer == .tonr ? 2 : 0
        let width = long ? 8 : 4
        return IECTimerLayout(
            presetTime: base, elapsedTime: base + width, flags: base + 2 * width, startTime: base + 2 * width + 2,
            reset: timer == .tonr ? 0 : nil)
    }
}

/// Where an IEC counter instance keeps its members, for a count type of w bytes (SInt 1, Int 2, DInt 4, LInt 8):
/// one flags byte (CU .0, CD .1, R .2, LD .3, QU .4, QD .5, and the edge memories of CU .6 and CD .7; Q of CTU is
/// QU, Q of CTD is QD), PV at offset max(w, 1), CV at 2w (Int: PV 2, CV 4), in the instance sizes `StandardLayout`
/// gives (4, 6, 12, 24 bytes). A compiler must use these offsets rather than lay out `SystemTypes`' members.
public enum IECCounterLayout {
    public static let flags = 0

    public static func presetValue(countBytes: Int) -> Int { countBytes }
    public static func countValue(countBytes: Int) -> Int { 2 * countBytes }
}

/// The shape of an array a block indexes with the `…a` instructions: `Array[low..low+count-1]` whose elements are
/// `stride` bytes apart (bits for Bool arrays packed in a standard block).
public struct ArrayDescriptor: Hashable, Sendable {
    public var low: Int32
    public var count: Int32
    public var stride: Int32

    public init(low: Int32, count: Int32, stride: Int32) {
        self.low = low
        self.count = count
        self.stride = stride
    }
}

/// The source position of a run of instructions.
public struct LineTableEntry: Hashable, Sendable {
    /// The first instruction of the run; the run lasts until the next entry's index.
    public var instruction: Int
    public var line: Int
    public var column: Int

    public init(instruction: Int, line: Int, column: Int) {
        self.instruction = instruction
        self.line = line
        self.column = column
    }
}

/// Where an interface member of a compiled block lives.
public struct InterfaceSlot: Hashable, Sendable {
    public enum Section: String, Hashable, Sendable {
        case input, output, inOut, `static`, temp, `return`
    }

    public enum Location: Hashable, Sendable {
        /// An FC parameter or return value: register `n` of the callee's window; for a temp, the register that
        /// holds it (zeroed on entry like every register above the parameters).
        case register(Int)
        /// FB parameters and statics: a byte and bit offset in the instance data.
        case instance(byte: Int, bit: Int)
        /// Temps held in the local data.
        case local(byte: Int, bit: Int)
    }

    public var name: String
    public var section: Section
    public var dataType: DataType
    public var location: Location

    public init(name: String, section: Section, dataType: DataType, location: Location) {
        self.name = name
        self.section = section
        self.dataType = dataType
        self.location = location
    }
}

/// What starts an organization block, with the OB numbers S7-1500 uses for it.
public enum OBEventClass: Hashable, Sendable {
    /// OB1 and OB123 and up.
    case programCycle
    /// OB100.
    case startup
    /// OB30…OB38: every `period` of virtual time, shifted by `phase`.
    case cyclicInterrupt(period: Duration, phase: Duration)
    /// OB80: cycle time exceeded.
    case timeError
    /// OB121: a programming error such as an array index out of range.
    case programmingError
}

/// One block as the VM runs it.
public struct CompiledBlock: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case organizationBlock = "OB"
        case functionBlock = "FB"
        case function = "FC"
    }

    public var kind: Kind
    public var name: String
    public var number: Int
    public var instructions: [BytecodeInstruction]
    /// 64-bit patterns for `const64`.
    public var constants: [UInt64]
    /// The arrays the `…a` instructions index.
    public var arrays: [ArrayDescriptor]
    /// Sorted by instruction; every instruction maps to the entry with the greatest index not above it.
    public var lineTable: [LineTableEntry]
    /// Size of the register window; FC parameters are its first registers.
    public var registerCount: Int
    /// Bytes of local data (`%L`), zeroed on entry except the first `parameterSize`.
    public var tempSize: Int
    /// Bytes at the start of an FC's local data that the caller fills before the call: the structured parameters
    /// (structures, arrays, strings), passed by copying in and out.
    public var parameterSize: Int = 0
    /// Bytes of instance data an FB needs; 0 for OBs and FCs.
    public var instanceSize: Int
    public var interface: [InterfaceSlot]
    /// For OBs, what starts it; nil for FBs and FCs.
    public var event: OBEventClass?
    /// For a block compiled from LAD/FBD networks: the network (from 1) of each line of the SCL it was lowered to
    /// (line 1 first; 0 for lines outside a network), so a runtime error can name the network.
    public var lineNetworks: [Int] = []

    public init(
        kind: Kind, name: String, number: Int, instructions: [BytecodeInstruction] = [], constants: [UInt64] = [],
        arrays: [ArrayDescriptor] = [], lineTable: [LineTableEntry] = [], registerCount: Int = 0, tempSize: Int = 0,
        instanceSize: Int = 0,
        interface: [InterfaceSlot] = [], event: OBEventClass? = nil
    ) {
        self.kind = kind
        self.name = name
        self.number = number
        self.instructions = instructions
        self.constants = constants
        self.arrays = arrays
        self.lineTable = lineTable
        self.registerCount = registerCount
        self.tempSize = tempSize
        self.instanceSize = instanceSize
        self.interface = interface
        self.event = event
    }

    /// Where instruction `index` comes from, as a runtime error names it: `in network 3` for a block lowered from
    /// networks, `at line 12` for a source block; nil when the line table does not cover it.
    public func sourceDescription(ofInstruction index: Int) -> String? {
        guard let position = sourcePosition(ofInstruction: index) else { return nil }
        if !lineNetworks.isEmpty {
            let line = position.line
            guard line >= 1, line <= lineNetworks.count, lineNetworks[line - 1] > 0 else { return nil }
            return "in network \(lineNetworks[line - 1])"
        }
        return "at line \(position.line)"
    }

    /// The source position of instruction `index`, or nil when the line table does not cover it.
    public func sourcePosition(ofInstruction index: Int) -> (line: Int, column: Int)? {
        var low = 0
        var high = lineTable.count
        while low < high {
            let mid = (low + high) / 2
            if lineTable[mid].instruction <= index { low = mid + 1 } else { high = mid }
        }
        guard low > 0 else { return nil }
        return (lineTable[low - 1].line, lineTable[low - 1].column)
    }

    /// `OB1 "Main"`.
    public var displayName: String { "\(kind.rawValue)\(number) \"\(name)\"" }
}

/// The initial image of a data block.
public struct DataBlockImage: Hashable, Sendable {
    public enum Access: String, Hashable, Sendable {
        case standard, optimized
    }

    public var number: Int
    public var name: String
    public var bytes: [UInt8]
    public var access: Access
    /// The FB whose instance this DB is, by name; nil for a global DB.
    public var instanceOf: String?
    /// One bit per bit of `bytes`, set where the value is retentive (kept by a warm restart); empty when the DB
    /// holds no retentive data.
    public var retainMask: [UInt8] = []

    /// The DB after a warm restart: retentive bits from `current`, the others from the start values.
    public func restarted(from current: [UInt8]) -> [UInt8] {
        guard !retainMask.isEmpty, current.count == bytes.count else { return bytes }
        var result = bytes
        for index in result.indices where retainMask[index] != 0 {
            result[index] = (current[index] & retainMask[index]) | (bytes[index] & ~retainMask[index])
        }
        return result
    }

    public init(number: Int, name: String, bytes: [UInt8], access: Access = .standard, instanceOf: String? = nil) {
        self.number = number
        self.name = name
        self.bytes = bytes
        self.access = access
        self.instanceOf = instanceOf
    }
}

/// A whole program as downloaded into a virtual PLC: code blocks (calls refer to them by index), DB images and a
/// description of where it came from.
public struct CompiledProgram: Hashable, Sendable {
    public struct Metadata: Hashable, Sendable {
        public var name: String
        public var compilerVersion: String

        public init(name: String = "", compilerVersion: String = "") {
            self.name = name
            self.compilerVersion = compilerVersion
        }
    }

    public var blocks: [CompiledBlock]
    public var dataBlocks: [DataBlockImage]
    public var metadata: Metadata

    public init(blocks: [CompiledBlock], dataBlocks: [DataBlockImage] = [], metadata: Metadata = Metadata()) {
        self.blocks = blocks
        self.dataBlocks = dataBlocks
        self.metadata = metadata
    }
}
