/// The sizes of a CPU family's memory areas.
///
/// Figures from the Siemens technical specifications of the CPU families:
///
/// | area | S7-1500 | S7-1200 |
/// |---|---|---|
/// | process image I / Q | 32 KiB each (the whole I/O address space) | 1 KiB each |
/// | bit memory M | 16 KiB (every S7-1500 CPU) | 8 KiB (1214C, 1215C, 1217C; the 1211C and 1212C have 4 KiB) |
/// | S5 timers / counters | 2048 each | none (IEC timers and counters only) |
/// | DB numbers | 1...60999 (60000 and above are created by the program) | 1...59999 |
/// | local data per priority class | 64 KiB | 16 KiB |
///
/// `maxDataBlockSize` is 64 KiB, the limit of a DB with standard (non-optimized) access on both families, which is
/// also what S7comm's absolute addressing reaches in practice. Optimized DBs may be larger on a real CPU (bounded by
/// its work memory); raise the figure in a custom profile when the compiler lays out such DBs.
public struct CPUMemoryProfile: Hashable, Sendable {
    public var name: String
    public var inputSize: Int
    public var outputSize: Int
    public var markerSize: Int
    public var timerCount: Int
    public var counterCount: Int
    public var dataBlockNumbers: ClosedRange<Int>
    public var maxDataBlockSize: Int
    public var localDataSize: Int

    public init(
        name: String, inputSize: Int, outputSize: Int, markerSize: Int, timerCount: Int, counterCount: Int,
        dataBlockNumbers: ClosedRange<Int>, maxDataBlockSize: Int, localDataSize: Int
    ) {
        self.name = name
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.markerSize = markerSize
        self.timerCount = timerCount
        self.counterCount = counterCount
        self.dataBlockNumbers = dataBlockNumbers
        self.maxDataBlockSize = maxDataBlockSize
        self.localDataSize = localDataSize
    }

    /// Any S7-1500 CPU (1511 to 1518): the memory area sizes do not vary across the family.
    public static let s7_1500 = CPUMemoryProfile(
        name: "S7-1500", inputSize: 32 * 1024, outputSize: 32 * 1024, markerSize: 16 * 1024, timerCount: 2048,
        counterCount: 2048, dataBlockNumbers: 1...60999, maxDataBlockSize: 64 * 1024, localDataSize: 64 * 1024)

    /// An S7-1200 CPU 1214C or larger.
    public static let s7_1200 = CPUMemoryProfile(
        name: "S7-1200", inputSize: 1024, outputSize: 1024, markerSize: 8 * 1024, timerCount: 0, counterCount: 0,
        dataBlockNumbers: 1...59999, maxDataBlockSize: 64 * 1024, localDataSize: 16 * 1024)
}
