// VMBench: the bytecode VM against the same kernels in C (kernels.c, built with `cc -O2`), plus the overhead of an
// empty OB1 cycle. Run in release: `swift run -c release vm-bench [reps]`. Figures are the best of `reps` runs.
//
// The kernels are hand-assembled as the compiler would emit them for SCL: array elements through the checked `…a`
// instructions, FOR loops closed by the `incJump…`/`addJump…` loop steps.

import Foundation
import S7Compiler
import S7Runtime

// Usage: vm-bench [reps] | vm-bench --only KERNEL (one run of one VM kernel, for `valgrind --tool=callgrind`).
let arguments = Array(CommandLine.arguments.dropFirst())
let only = arguments.first == "--only" ? arguments.dropFirst().first : nil
let reps = only != nil ? 1 : arguments.first.flatMap(Int.init) ?? 20
let dint = UInt16(ValueType.dInt.rawValue)

/// OB1: fill DB1 (Array[0..999] of DInt) with 1000, 999, …, 1, bubble-sort it, DB1.DBD4000 := arr[0] + arr[999].
func bubbleSortKernel() -> CompiledBlock {
    var b = BytecodeBuilder(kind: .organizationBlock, name: "BubbleSort", number: 1)
    let arr = b.array(ArrayDescriptor(low: 0, count: 1000, stride: 4))
    let i = b.register()
    let j = b.register()
    let a = b.register()
    let c = b.register()
    let limit = b.register()
    let last = b.register()
    let k1 = b.register()
    let value = b.register()
    // FOR #i := 0 TO 999 DO #arr[#i] := 1000 - #i;
    b.emit(.const32, a: i, d: 0)
    b.emit(.const32, a: limit, d: 1000)
    let fill = b.label()
    b.bind(fill)
    b.emit(.subI32, a: value, b: limit, c: i)
    b.emit(.store32a, a: value, b: 1, c: i, d: 0, e: arr, area: .globalDB)
    b.jump(.incJumpLtS32, to: fill, a: i, c: limit, e: 1)
    // FOR #i := 0 TO 998 DO FOR #j := 0 TO 998 - #i DO IF #arr[#j] > #arr[#j + 1] THEN (swap)
    b.emit(.const32, a: i, d: 0)
    b.emit(.const32, a: last, d: 999)
    let outer = b.label()
    let inner = b.label()
    let next = b.label()
    let skip = b.label()
    b.bind(outer)
    b.emit(.const32, a: j, d: 0)
    b.emit(.subI32, a: limit, b: last, c: i)
    b.jump(.jumpLeS32, to: skip, b: limit, c: j)
    b.bind(inner)
    b.emit(.loadS32a, a: a, b: 1, c: j, d: 0, e: arr, area: .globalDB)
    b.emit(.addImmI32, a: k1, b: j, d: 1)
    b.emit(.loadS32a, a: c, b: 1, c: k1, d: 0, e: arr, area: .globalDB)
    b.jump(.jumpLeS32, to: next, b: a, c: c)
    b.emit(.store32a, a: c, b: 1, c: j, d: 0, e: arr, area: .globalDB)
    b.emit(.store32a, a: a, b: 1, c: k1, d: 0, e: arr, area: .globalDB)
    b.bind(next)
    b.jump(.incJumpLtS32, to: inner, a: j, c: limit, e: 1)
    b.bind(skip)
    b.jump(.incJumpLtS32, to: outer, a: i, c: last, e: 1)
    b.emit(.loadS32, a: a, b: 1, d: 0, area: .globalDB)
    b.emit(.loadS32, a: c, b: 1, d: 3996, area: .globalDB)
    b.emit(.addI32, a: a, b: a, c: c)
    b.emit(.store32, a: a, b: 1, d: 4000, area: .globalDB)
    return b.finish(event: .programCycle)
}

/// OB1: 100 000 times #acc := #acc + REAL_TO_DINT(#x * #y); #x := #x + 0.001; with #y = 1.5.
func realMathKernel() -> CompiledBlock {
    var b = BytecodeBuilder(kind: .organizationBlock, name: "RealMath", number: 1)
    let i = b.register()
    let n = b.register()
    let x = b.register()
    let y = b.register()
    let dx = b.register()
    let acc = b.register()
    let t = b.register()
    b.emit(.const32, a: i, d: 0)
    b.emit(.const32, a: n, d: 100_000)
    b.loadConstant(x, real: 0)
    b.loadConstant(y, real: 1.5)
    b.loadConstant(dx, real: 0.001)
    b.emit(.const32, a: acc, d: 0)
    let loop = b.label()
    b.bind(loop)
    b.emit(.mulF32, a: t, b: x, c: y)
    b.emit(.f32ToInt, a: t, b: t, c: dint, e: RoundingMode.nearestEven.rawValue)
    b.emit(.addI32, a: acc, b: acc, c: t)
    b.emit(.addF32, a: x, b: x, c: dx)
    b.jump(.incJumpLtS32, to: loop, a: i, c: n, e: 1)
    b.emit(.store32, a: acc, b: 1, d: 4000, area: .globalDB)
    return b.finish(event: .programCycle)
}

/// OB1: sieve of Eratosthenes on an Array[0..99999] of Bool (true = composite); DB1.DBD4000 := number of primes.
/// `packed`: the array is in standard DB3, one bit per Bool; otherwise in optimized DB2, one byte per Bool as an
/// S7-1500 stores it.
func sieveKernel(packed: Bool) -> CompiledBlock {
    var b = BytecodeBuilder(kind: .organizationBlock, name: "Sieve", number: 1)
    let flags = b.array(ArrayDescriptor(low: 0, count: 100_000, stride: 1))
    let (db, load, store): (UInt16, Opcode, Opcode) = packed ? (3, .loadBitA, .storeBitA) : (2, .loadU8a, .store8a)
    let i = b.register()
    let j = b.register()
    let n = b.register()
    let square = b.register()
    let flag = b.register()
    let count = b.register()
    let zero = b.register()
    let one = b.register()
    b.emit(.const32, a: n, d: 100_000)
    b.emit(.const32, a: zero, d: 0)
    b.emit(.const32, a: one, d: 1)
    // FOR #i := 0 TO 99999 DO #flags[#i] := FALSE;
    b.emit(.const32, a: i, d: 0)
    let clear = b.label()
    b.bind(clear)
    b.emit(store, a: zero, b: db, c: i, d: 0, e: flags, area: .globalDB)
    b.jump(.incJumpLtS32, to: clear, a: i, c: n, e: 1)
    // #i := 2; WHILE #i * #i < 100000 DO IF NOT #flags[#i] THEN FOR #j := #i * #i TO 99999 BY #i ...
    b.emit(.const32, a: i, d: 2)
    let outer = b.label()
    let nextI = b.label()
    let done = b.label()
    b.bind(outer)
    b.emit(.mulI32, a: square, b: i, c: i)
    b.jump(.jumpLeS32, to: done, b: n, c: square)
    b.emit(load, a: flag, b: db, c: i, d: 0, e: flags, area: .globalDB)
    b.jump(.jumpIf, to: nextI, a: flag)
    b.emit(.move, a: j, b: square)
    let mark = b.label()
    b.bind(mark)
    b.emit(store, a: one, b: db, c: j, d: 0, e: flags, area: .globalDB)
    b.jump(.addJumpLtS32, to: mark, a: j, b: i, c: n)
    b.bind(nextI)
    b.emit(.addImmI32, a: i, b: i, d: 1)
    b.jump(to: outer)
    b.bind(done)
    // FOR #i := 2 TO 99999 DO IF NOT #flags[#i] THEN #count := #count + 1;
    b.emit(.const32, a: i, d: 2)
    b.emit(.const32, a: count, d: 0)
    let countLoop = b.label()
    let composite = b.label()
    b.bind(countLoop)
    b.emit(load, a: flag, b: db, c: i, d: 0, e: flags, area: .globalDB)
    b.jump(.jumpIf, to: composite, a: flag)
    b.emit(.addImmI32, a: count, b: count, d: 1)
    b.bind(composite)
    b.jump(.incJumpLtS32, to: countLoop, a: i, c: n, e: 1)
    b.emit(.store32, a: count, b: 1, d: 4000, area: .globalDB)
    return b.finish(event: .programCycle)
}

/// A stepped PLC running `main` as OB1 with DB1 (4004 bytes), DB2 (100 000 bytes, optimized) and DB3 (12 500
/// bytes).
func makePLC(_ main: CompiledBlock) throws -> VirtualPLC {
    let plc = VirtualPLC(configuration: .init(maximumCycleTime: .seconds(60)))
    let dataBlocks = [
        DataBlockImage(number: 1, name: "Data", bytes: [UInt8](repeating: 0, count: 4004)),
        DataBlockImage(number: 2, name: "Flags", bytes: [UInt8](repeating: 0, count: 100_000), access: .optimized),
        DataBlockImage(number: 3, name: "PackedFlags", bytes: [UInt8](repeating: 0, count: 12_500)),
    ]
    try plc.load(CompiledProgram(blocks: [main], dataBlocks: dataBlocks))
    plc.start()
    return plc
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

/// Best wall time of one cycle of `main` over `reps` cycles, and DB1.DBD4000 afterwards.
func timeKernel(_ main: CompiledBlock) throws -> (nanoseconds: Double, check: Int32) {
    let plc = try makePLC(main)
    var best = Double.infinity
    let clock = ContinuousClock()
    for _ in 0..<reps {
        let elapsed = clock.measure { plc.runCycles(1, cycleTime: .milliseconds(10)) }
        best = min(best, seconds(elapsed) * 1e9)
    }
    let snapshot = plc.snapshot()
    guard snapshot.mode == .run else { fatalError("the kernel stopped the CPU: \(snapshot.diagnostics)") }
    let check = try snapshot.memory.area(.dataBlock(1))!.dint(at: 4000)
    return (best, check)
}

/// C figures: kernel name → (nanoseconds, checksum).
func timeC() throws -> [String: (Double, Int64)] {
    let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("kernels.c")
    let binary = FileManager.default.temporaryDirectory.appendingPathComponent("vmbench-kernels-\(getpid())")
    defer { try? FileManager.default.removeItem(at: binary) }
    let compile = Process()
    compile.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    compile.arguments = ["cc", "-O2", source.path, "-o", binary.path, "-lm"]
    try compile.run()
    compile.waitUntilExit()
    guard compile.terminationStatus == 0 else { throw CocoaError(.executableLoad) }
    let run = Process()
    let pipe = Pipe()
    run.executableURL = binary
    run.arguments = [String(reps)]
    run.standardOutput = pipe
    try run.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    run.waitUntilExit()
    var result: [String: (Double, Int64)] = [:]
    for line in output.split(separator: "\n") {
        let parts = line.split(separator: " ")
        if parts.count == 3, let ns = Double(parts[1]), let check = Int64(parts[2]) {
            result[String(parts[0])] = (ns, check)
        }
    }
    return result
}

let kernels: [(name: String, c: String, block: CompiledBlock)] = [
    ("bubble_sort", "bubble_sort", bubbleSortKernel()), ("real_math", "real_math", realMathKernel()),
    ("sieve", "sieve", sieveKernel(packed: false)), ("sieve_bits", "sieve", sieveKernel(packed: true)),
]
if let only, let kernel = kernels.first(where: { $0.name == only }) {
    let result = try timeKernel(kernel.block)
    print("\(only): \(result.check)")
    exit(0)
}
let c = try timeC()
print("kernel        VM (ms)     C -O2 (ms)  VM/C   checksum VM / C")
print("(sieve_bits: the same sieve on a Bool array packed in bits, against the byte-array C sieve)")
for kernel in kernels {
    let vm = try timeKernel(kernel.block)
    let native = c[kernel.c] ?? (.nan, 0)
    let ratio = vm.nanoseconds / native.0
    let name = kernel.name.padding(toLength: 12, withPad: " ", startingAt: 0)
    print(
        "\(name)  \(String(format: "%9.3f", vm.nanoseconds / 1e6))   \(String(format: "%9.3f", native.0 / 1e6))"
            + "   \(String(format: "%5.2f", ratio))  \(vm.check) / \(native.1)")
}

// Empty OB1: the whole cycle (queued-write check, input image, bind, OB1, statistics, snapshot publication).
var empty = BytecodeBuilder(kind: .organizationBlock, name: "Main", number: 1)
empty.emit(.ret)
let emptyPLC = try makePLC(empty.finish(event: .programCycle))
let cycles = 200_000
emptyPLC.runCycles(1000, cycleTime: .milliseconds(1))
let elapsed = ContinuousClock().measure { emptyPLC.runCycles(cycles, cycleTime: .milliseconds(1)) }
print("empty OB1 cycle: \(String(format: "%.3f", seconds(elapsed) * 1e6 / Double(cycles))) µs")
