import S7Compiler
import S7Model
import Testing

@Suite("Bytecode disassembly")
struct BytecodeDisassemblyTests {
    static let source = [
        "FUNCTION_BLOCK \"Fill\"",
        "#i := 0;",
        "WHILE #i < 10 DO",
        "    \"Data\".arr[#i] := #i * 2;",
        "    #i := #i + 1;",
        "END_WHILE;",
    ]

    static func fillBlock() -> CompiledBlock {
        var b = BytecodeBuilder(kind: .functionBlock, name: "Fill", number: 3)
        let i = b.register()
        let limit = b.register()
        let value = b.register()
        let two = b.register()
        b.at(line: 2)
        b.emit(.const32, a: i, d: 0)
        b.at(line: 3, column: 7)
        b.emit(.const32, a: limit, d: 10)
        let test = b.label()
        let body = b.label()
        b.jump(to: test)
        b.bind(body)
        b.at(line: 4, column: 5)
        b.emit(.const32, a: two, d: 2)
        b.emit(.mulI16, a: value, b: i, c: two)
        b.emit(.checkIndex, a: two, b: i, d: 0, e: 9)
        b.emit(.store16x, a: value, b: 7, c: two, d: 4, e: 2, area: .globalDB)
        b.at(line: 5, column: 5)
        b.emit(.addImmI16, a: i, b: i, d: 1)
        b.emit(.store16, a: i, d: 0, area: .instance)
        b.bind(test)
        b.at(line: 3, column: 7)
        b.jump(.jumpLtS32, to: body, b: i, c: limit)
        return b.finish(
            instanceSize: 2,
            interface: [
                InterfaceSlot(name: "i", section: .static, dataType: .int, location: .instance(byte: 0, bit: 0))
            ])
    }

    @Test func listingShowsSourceLinesAndResolvedJumps() {
        let listing = Self.fillBlock().disassembly(source: Self.source)
        let expected = """
            FB3 "Fill"  registers 4, local 0 B, instance 2 B
              ; static i : Int @ self[0].0
                 2 | #i := 0;
            0000  const32     r0, 0
                 3 | WHILE #i < 10 DO
            0001  const32     r1, 10
            0002  jump        -> 0009
                 4 |     "Data".arr[#i] := #i * 2;
            0003  const32     r3, 2
            0004  mul.i16     r2, r0, r3
            0005  check.index r3, r0, 0..9
            0006  store16.x   DB7[4 + r3*2], r2
                 5 |     #i := #i + 1;
            0007  add.imm.i16 r0, r0, 1
            0008  store16     self[0], r0
                 3 | WHILE #i < 10 DO
            0009  jump.lt.s32 r0, r1, -> 0003
            0010  ret

            """
        #expect(listing == expected)
    }

    @Test func listingNamesCalleesBuiltinsAndArrays() {
        let fill = Self.fillBlock()
        var b = BytecodeBuilder(kind: .organizationBlock, name: "Main", number: 1)
        let arr = b.array(ArrayDescriptor(low: 1, count: 10, stride: 1))
        let w = b.registers(4)
        b.emit(.callFB, a: 0, b: w, c: 7, d: 0, e: Int32(w) + 1, area: .globalDB)
        b.emit(
            .builtin, a: BuiltinInstruction.ton.rawValue, b: w, c: 0, d: 16, e: Int32(ValueType.time.rawValue),
            area: .instance)
        b.emit(.builtin, a: BuiltinInstruction.max.rawValue, b: w, d: 3, e: Int32(ValueType.real.rawValue))
        b.emit(.loadBitA, a: w, b: 2, c: w + 1, d: 16, e: arr, area: .globalDB)
        b.jump(.incJumpLeS32, to: b.label(bound: 0), a: w, c: w + 2, e: 1)
        let main = b.finish(event: .programCycle)
        let program = CompiledProgram(blocks: [fill, main])
        let expected = """
            OB1 "Main"  registers 4, local 0 B, instance 0 B
              ; array0: low 1, count 10, stride 1
            0000  call.fb     FB3 "Fill", DB7[0], window r0, eno -> r0
            0001  builtin     TON.time, window r0, self[16]
            0002  builtin     MAX.real, window r0, n=3
            0003  load.bit.a  r0, DB2[bit 16 + array0(r1)]
            0004  inc.jump.le.s32 r0 += 1, r2, -> 0000
            0005  ret

            """
        #expect(main.disassembly(program: program) == expected)
    }

    @Test func lineTableMapsEveryInstruction() {
        let block = Self.fillBlock()
        #expect(block.sourcePosition(ofInstruction: 0)?.line == 2)
        #expect(block.sourcePosition(ofInstruction: 5)?.line == 4)
        #expect(block.sourcePosition(ofInstruction: 5)?.column == 5)
        #expect(block.sourcePosition(ofInstruction: 10)?.line == 3)
    }

    @Test func builderUsesThePoolForWideConstants() {
        var b = BytecodeBuilder(kind: .function, name: "K", number: 1)
        let r = b.register()
        b.loadConstant(r, 1 << 40)
        b.loadConstant(r, -5)
        b.loadConstant(r, 1 << 40)
        let block = b.finish()
        #expect(block.constants == [1 << 40])
        #expect(block.instructions.map(\.opcode) == [.const64, .const32, .const64, .ret])
        #expect(block.instructions[0].disassembled(in: block) == "const64     r0, k0 (0x10000000000)")
    }

    @Test func everyOpcodeHasADistinctMnemonic() {
        let names = Opcode.allCases.map(\.mnemonic)
        #expect(Set(names).count == names.count)
        #expect(Opcode.loadS16x.mnemonic == "load.s16.x")
        #expect(Opcode.callFC.mnemonic == "call.fc")
    }
}
