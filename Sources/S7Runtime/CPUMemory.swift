/// What can go wrong managing or addressing the memory of a CPU.
public enum CPUMemoryError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The CPU has no such area: a DB that does not exist, or an area `CPUMemory` does not hold (peripheral I/O and
    /// local data belong to the I/O system and the running block).
    case noSuchArea(MemoryAreaKind)
    case dataBlockExists(Int)
    case dataBlockNumberOutOfRange(Int, allowed: ClosedRange<Int>)
    case dataBlockSizeOutOfRange(Int, max: Int)
    case access(MemoryAccessError)

    public var description: String {
        switch self {
        case .noSuchArea(let kind): "no memory area \(kind)"
        case .dataBlockExists(let number): "DB\(number) already exists"
        case .dataBlockNumberOutOfRange(let number, let allowed):
            "DB number \(number) is outside \(allowed.lowerBound)...\(allowed.upperBound)"
        case .dataBlockSizeOutOfRange(let size, let max): "DB size \(size) is outside 0...\(max) bytes"
        case .access(let error): error.description
        }
    }
}

/// The retained memory of one CPU: process images I and Q, bit memory M, S5 timers and counters, and the DBs.
///
/// A value type: the VM owns one and mutates it during the cycle; `snapshot()` gives the immutable image published
/// at the end of the cycle (DESIGN.md decision 3), which costs no copy until the next cycle writes.
///
/// ```swift
/// var memory = CPUMemory(profile: .s7_1500)
/// try memory.createDataBlock(number: 1, size: 16)
/// try memory.modify(.dataBlock(1)) { try $0.setInt(-2, at: 0) }   // DB1.DBW0 := -2
/// let image = memory.snapshot()
/// try image.read(.dataBlock(1)) { try $0.word(at: 0) }             // 0xFFFE
/// ```
public struct CPUMemory: Sendable {
    public let profile: CPUMemoryProfile
    public var inputs: MemoryArea
    public var outputs: MemoryArea
    public var markers: MemoryArea
    /// S5 timer words, two bytes per timer (empty on an S7-1200).
    public var timers: MemoryArea
    /// S5 counter words, two bytes per counter (empty on an S7-1200).
    public var counters: MemoryArea
    public private(set) var dataBlocks: [Int: MemoryArea] = [:]

    public init(profile: CPUMemoryProfile) {
        self.profile = profile
        inputs = MemoryArea(kind: .input, size: profile.inputSize)
        outputs = MemoryArea(kind: .output, size: profile.outputSize)
        markers = MemoryArea(kind: .marker, size: profile.markerSize)
        timers = MemoryArea(kind: .timer, size: profile.timerCount * 2)
        counters = MemoryArea(kind: .counter, size: profile.counterCount * 2)
    }

    /// Creates DB `number` of `size` zero bytes, or `initialValues` if given (whose count is then the size).
    public mutating func createDataBlock(
        number: Int, size: Int, initialValues: [UInt8]? = nil
    ) throws(CPUMemoryError) {
        guard profile.dataBlockNumbers.contains(number) else {
            throw .dataBlockNumberOutOfRange(number, allowed: profile.dataBlockNumbers)
        }
        let size = initialValues?.count ?? size
        guard (0...profile.maxDataBlockSize).contains(size) else {
            throw .dataBlockSizeOutOfRange(size, max: profile.maxDataBlockSize)
        }
        guard dataBlocks[number] == nil else { throw .dataBlockExists(number) }
        dataBlocks[number] =
            initialValues.map { MemoryArea(kind: .dataBlock(number), bytes: $0) }
            ?? MemoryArea(kind: .dataBlock(number), size: size)
    }

    /// Deletes DB `number`; it is an error if it does not exist.
    public mutating func deleteDataBlock(number: Int) throws(CPUMemoryError) {
        guard dataBlocks.removeValue(forKey: number) != nil else { throw .noSuchArea(.dataBlock(number)) }
    }

    /// Changes the area of `kind` in place. A write that throws midway keeps the bytes written before the error;
    /// every single accessor of `MemoryArea` is all-or-nothing.
    public mutating func modify<R>(
        _ kind: MemoryAreaKind, _ body: (inout MemoryArea) throws(MemoryAccessError) -> R
    ) throws(CPUMemoryError) -> R {
        switch kind {
        case .peripheralInput, .peripheralOutput, .local: throw .noSuchArea(kind)
        case .dataBlock(let number) where dataBlocks[number] == nil: throw .noSuchArea(kind)
        default: break
        }
        do throws(MemoryAccessError) {
            switch kind {
            case .input: return try body(&inputs)
            case .output: return try body(&outputs)
            case .marker: return try body(&markers)
            case .timer: return try body(&timers)
            case .counter: return try body(&counters)
            case .dataBlock(let number): return try body(&dataBlocks[number]!)
            case .peripheralInput, .peripheralOutput, .local: preconditionFailure("rejected above")
            }
        } catch {
            throw .access(error)
        }
    }

    /// Gives the area of `kind` storage of its own and returns its first byte, for the VM's writes during a cycle;
    /// nil for an area this memory does not hold. See `MemoryArea.uniqueBaseAddress()` for how long it is valid.
    mutating func uniqueBaseAddress(of kind: MemoryAreaKind) -> UnsafeMutableRawPointer? {
        switch kind {
        case .input: inputs.uniqueBaseAddress()
        case .output: outputs.uniqueBaseAddress()
        case .marker: markers.uniqueBaseAddress()
        case .timer: timers.uniqueBaseAddress()
        case .counter: counters.uniqueBaseAddress()
        case .dataBlock(let number): dataBlocks[number]?.uniqueBaseAddress()
        case .peripheralInput, .peripheralOutput, .local: nil
        }
    }

    /// Replaces the contents of DB `number` (which must exist with the same size) or creates it.
    mutating func resetDataBlock(number: Int, to bytes: [UInt8]) {
        dataBlocks[number] = MemoryArea(kind: .dataBlock(number), bytes: bytes)
    }

    /// Deletes every DB.
    mutating func removeAllDataBlocks() {
        dataBlocks.removeAll()
    }

    /// An immutable copy of the whole memory, for readers outside the cycle.
    public func snapshot() -> CPUMemorySnapshot {
        CPUMemorySnapshot(
            profile: profile, inputs: inputs, outputs: outputs, markers: markers, timers: timers, counters: counters,
            dataBlocks: dataBlocks)
    }
}

/// The consistent image of a CPU's memory at one cycle end; later writes to the `CPUMemory` do not show here.
public struct CPUMemorySnapshot: Sendable {
    public let profile: CPUMemoryProfile
    public let inputs: MemoryArea
    public let outputs: MemoryArea
    public let markers: MemoryArea
    public let timers: MemoryArea
    public let counters: MemoryArea
    public let dataBlocks: [Int: MemoryArea]

}

/// The areas a CPU's memory and its snapshots both expose, with lookup by kind.
public protocol CPUMemoryAreas {
    var inputs: MemoryArea { get }
    var outputs: MemoryArea { get }
    var markers: MemoryArea { get }
    var timers: MemoryArea { get }
    var counters: MemoryArea { get }
    var dataBlocks: [Int: MemoryArea] { get }
}

extension CPUMemory: CPUMemoryAreas {}
extension CPUMemorySnapshot: CPUMemoryAreas {}

extension CPUMemoryAreas {
    /// The area of `kind`, or nil for a missing DB or an area the CPU memory does not hold (peripheral I/O and
    /// local data live elsewhere).
    public func area(_ kind: MemoryAreaKind) -> MemoryArea? {
        switch kind {
        case .input: inputs
        case .output: outputs
        case .marker: markers
        case .timer: timers
        case .counter: counters
        case .dataBlock(let number): dataBlocks[number]
        case .peripheralInput, .peripheralOutput, .local: nil
        }
    }

    /// Reads from the area of `kind`, turning a missing area or an access error into a `CPUMemoryError`.
    public func read<R>(
        _ kind: MemoryAreaKind, _ body: (MemoryArea) throws(MemoryAccessError) -> R
    ) throws(CPUMemoryError) -> R {
        guard let area = area(kind) else { throw .noSuchArea(kind) }
        do throws(MemoryAccessError) { return try body(area) } catch { throw .access(error) }
    }
}
