/// An access outside a memory area, or to a bit number outside 0...7.
///
/// Example: reading a DWORD at offset 16382 of a 16 KiB marker area gives
/// `MemoryAccessError(area: .marker, offset: 16382, size: 4, areaSize: 16384, bit: nil)`, described as
/// "access to 4 bytes at M 16382 is outside the area (16384 bytes)".
public struct MemoryAccessError: Error, Hashable, Sendable, CustomStringConvertible {
    public var area: MemoryAreaKind
    /// Byte offset of the first byte accessed.
    public var offset: Int
    /// Number of bytes accessed (1 for a bit).
    public var size: Int
    /// Size of the area in bytes.
    public var areaSize: Int
    /// The bit number for a bit access; an error with a bit outside 0...7 has an in-range offset.
    public var bit: Int?

    public init(area: MemoryAreaKind, offset: Int, size: Int, areaSize: Int, bit: Int? = nil) {
        self.area = area
        self.offset = offset
        self.size = size
        self.areaSize = areaSize
        self.bit = bit
    }

    public var description: String {
        if let bit, !(0...7).contains(bit) {
            return "bit number \(bit) at \(area) \(offset) is outside 0...7"
        }
        let what = bit.map { "bit \(area) \(offset).\($0)" } ?? "\(size) bytes at \(area) \(offset)"
        return "access to \(what) is outside the area (\(areaSize) bytes)"
    }
}
