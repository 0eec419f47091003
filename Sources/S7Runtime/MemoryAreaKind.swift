/// The memory areas an S7 program addresses, named as in S7 absolute addresses.
///
/// `description` gives the area prefix used in addresses: `.marker` is `M` (as in `%MW10`), `.dataBlock(5)` is `DB5`
/// (as in `%DB5.DBW2`), `.peripheralInput` is `PI` (written `%IW256:P` on an S7-1500).
public enum MemoryAreaKind: Hashable, Sendable, CustomStringConvertible {
    /// Process image of the inputs (`%I`), copied from the input modules at the start of each cycle.
    case input
    /// Process image of the outputs (`%Q`), copied to the output modules at the end of each cycle.
    case output
    /// Bit memory (`%M`), retained across cycles.
    case marker
    /// S5 timers (`T`), two bytes each. S7-1500 only; the S7-1200 has IEC timers alone.
    case timer
    /// S5 counters (`C`/`Z`), two bytes each. S7-1500 only.
    case counter
    /// A global or instance data block by number.
    case dataBlock(Int)
    /// Direct read of the input modules, bypassing the process image (`%I…:P`).
    case peripheralInput
    /// Direct write to the output modules, bypassing the process image (`%Q…:P`).
    case peripheralOutput
    /// Temporary local data of the running block (`%L`).
    case local

    public var description: String {
        switch self {
        case .input: "I"
        case .output: "Q"
        case .marker: "M"
        case .timer: "T"
        case .counter: "C"
        case .dataBlock(let number): "DB\(number)"
        case .peripheralInput: "PI"
        case .peripheralOutput: "PQ"
        case .local: "L"
        }
    }
}
