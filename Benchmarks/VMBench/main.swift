// VMBench: SCL kernels (kernels/*.scl) compiled by s7wb's compiler and run in the VM, against the same kernels in C
// (kernels.c, built with `cc -O2`), plus the overhead of an empty OB1 cycle. Run in release:
// `swift run -c release vm-bench [reps]`. Figures are the best of `reps` runs.

import Foundation
import S7Compiler
import S7Diagnostics
import S7Model
import S7Runtime
import SimaticML

// Usage: vm-bench [reps] | vm-bench --only KERNEL [reps] (one VM kernel alone, for `perf` or `valgrind`) |
// vm-bench --disasm KERNEL (the compiled code).
let arguments = Array(CommandLine.arguments.dropFirst())
let only = arguments.first == "--only" ? arguments.dropFirst().first : nil
let reps = (only != nil ? arguments.dropFirst(2).first : arguments.first).flatMap(Int.init) ?? (only != nil ? 1 : 20)
let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

struct BenchError: Error, CustomStringConvertible {
    var description: String
}

/// A compiled kernel: the program of `kernels/NAME.scl` and where its `"Data".check` lives.
struct Kernel {
    var name: String
    var program: CompiledProgram
    var check: OperandLocation

    init(_ name: String) throws {
        self.name = name
        let url = here.appendingPathComponent("kernels/\(name).scl")
        let bytes = Array(try Data(contentsOf: url))
        let read = SCLSourceReader.read(
            bytes: bytes, file: SourceFileRef(path: url.lastPathComponent, format: .sclSource), group: [])
        var blocks = read.objects.compactMap { object -> Block? in
            if case .block(let block) = object { return block }
            return nil
        }
        BlockNumbering.assign(&blocks)
        let device = Device(name: "PLC_1", folder: "PLC_1", blocks: blocks)
        let result = DeviceCompiler.compile(device)
        guard result.errorCount == 0 else {
            throw BenchError(description: "\(name).scl does not compile: \(result.diagnostics.map(\.message))")
        }
        program = result.program
        check = try OperandLocator(device: device).locate("\"Data\".check")
    }

    /// A stepped PLC with the kernel loaded and started.
    func makePLC() throws -> VirtualPLC {
        let plc = VirtualPLC(configuration: .init(maximumCycleTime: .seconds(60)))
        try plc.load(program)
        plc.start()
        return plc
    }
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

/// Best wall time of one cycle of the kernel over `reps` cycles, and its check value afterwards.
func time(_ kernel: Kernel) throws -> (nanoseconds: Double, check: String) {
    let plc = try kernel.makePLC()
    var best = Double.infinity
    let clock = ContinuousClock()
    for _ in 0..<reps {
        let elapsed = clock.measure { plc.runCycles(1, cycleTime: .milliseconds(10)) }
        best = min(best, seconds(elapsed) * 1e9)
    }
    let snapshot = plc.snapshot()
    guard snapshot.mode == .run else {
        throw BenchError(description: "\(kernel.name) stopped the CPU: \(snapshot.diagnostics.map(\.text))")
    }
    return (best, try snapshot.memory.value(at: kernel.check).format())
}

/// C figures: kernel name → (nanoseconds, checksum).
func timeC() throws -> [String: (Double, Int64)] {
    let source = here.appendingPathComponent("kernels.c")
    let binary = FileManager.default.temporaryDirectory.appendingPathComponent("vmbench-kernels-\(getpid())")
    defer { try? FileManager.default.removeItem(at: binary) }
    let compile = Process()
    compile.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    compile.arguments = ["cc", "-O2", source.path, "-o", binary.path, "-lm"]
    try compile.run()
    compile.waitUntilExit()
    guard compile.terminationStatus == 0 else { throw BenchError(description: "cc failed on kernels.c") }
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

let kernels = try ["bubble_sort", "real_math", "sieve"].map(Kernel.init)
if arguments.first == "--disasm", let name = arguments.dropFirst().first,
    let kernel = kernels.first(where: { $0.name == name })
{
    for block in kernel.program.blocks { print(block.disassembly(program: kernel.program)) }
    exit(0)
}
if let only {
    guard let kernel = kernels.first(where: { $0.name == only }) else {
        throw BenchError(description: "no kernel \(only)")
    }
    print("\(only): \(try time(kernel).check)")
    exit(0)
}
let c = try timeC()
print("kernel (SCL)  VM (ms)     C -O2 (ms)  VM/C   checksum VM / C")
for kernel in kernels {
    let vm = try time(kernel)
    let native = c[kernel.name] ?? (.nan, 0)
    let ratio = vm.nanoseconds / native.0
    let name = kernel.name.padding(toLength: 12, withPad: " ", startingAt: 0)
    print(
        "\(name)  \(String(format: "%9.3f", vm.nanoseconds / 1e6))   \(String(format: "%9.3f", native.0 / 1e6))"
            + "   \(String(format: "%5.2f", ratio))  \(vm.check) / \(native.1)")
}

// Empty OB1: the whole cycle (queued-write check, input image, bind, OB1, statistics, snapshot publication).
let emptyPLC = try Kernel("empty").makePLC()
let cycles = 200_000
emptyPLC.runCycles(1000, cycleTime: .milliseconds(1))
let elapsed = ContinuousClock().measure { emptyPLC.runCycles(cycles, cycleTime: .milliseconds(1)) }
print("empty OB1 cycle: \(String(format: "%.3f", seconds(elapsed) * 1e6 / Double(cycles))) µs")
