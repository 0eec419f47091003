import S7Compiler
import S7Model
import S7Runtime

/// Builds OB1 with `body`, loads it with `dataBlocks` (and `extra` blocks, which come first so OB1 can call them by
/// index) into a stepped PLC, starts it and runs `cycles` cycles of 10 ms.
func runMain(
    dataBlocks: [DataBlockImage] = [], extra: [CompiledBlock] = [], cycles: Int = 1, tempSize: Int = 0,
    _ body: (inout BytecodeBuilder) -> Void
) throws -> VirtualPLC {
    var builder = BytecodeBuilder(kind: .organizationBlock, name: "Main", number: 1)
    body(&builder)
    let main = builder.finish(tempSize: tempSize, event: .programCycle)
    let plc = VirtualPLC()
    try plc.load(CompiledProgram(blocks: extra + [main], dataBlocks: dataBlocks))
    plc.start()
    plc.runCycles(cycles, cycleTime: .milliseconds(10))
    return plc
}

/// A global DB of `size` zero bytes.
func db(_ number: Int, size: Int) -> DataBlockImage {
    DataBlockImage(number: number, name: "DB\(number)", bytes: [UInt8](repeating: 0, count: size))
}

extension VirtualPLC {
    func dbInt(_ number: Int, _ offset: Int) throws -> Int16 {
        try snapshot().memory.area(.dataBlock(number))!.int(at: offset)
    }

    func dbDInt(_ number: Int, _ offset: Int) throws -> Int32 {
        try snapshot().memory.area(.dataBlock(number))!.dint(at: offset)
    }

    func dbReal(_ number: Int, _ offset: Int) throws -> Float {
        try snapshot().memory.area(.dataBlock(number))!.real(at: offset)
    }

    func bit(_ kind: MemoryAreaKind, _ offset: Int, _ bit: Int) throws -> Bool {
        try snapshot().memory.area(kind)!.bit(at: offset, bit)
    }
}
