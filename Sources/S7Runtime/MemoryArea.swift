/// A fixed-size byte store with the typed, big-endian access of an S7 CPU.
///
/// Multi-byte values are stored most significant byte first, as on the CPU: after `setWord(0x1234, at: 10)`,
/// byte 10 is `0x12` and byte 11 is `0x34`, and `byte(at: 10)` reads `0x12` (so `%MB10` is the high byte of `%MW10`).
/// REAL and LREAL are IEEE 754 bit patterns in the same order: `setReal(1.5, at: 0)` stores `3F C0 00 00`.
///
/// Every public accessor is bounds-checked and throws a `MemoryAccessError` instead of trapping. The area is a value
/// type with copy-on-write storage, so a copy is an independent snapshot that costs nothing until either side writes.
public struct MemoryArea: Hashable, Sendable {
    public let kind: MemoryAreaKind
    @usableFromInline var storage: MemoryStorage

    /// An area of `size` bytes, all zero.
    public init(kind: MemoryAreaKind, size: Int) {
        precondition(size >= 0, "a memory area cannot have a negative size")
        self.kind = kind
        self.storage = MemoryStorage(count: size)
    }

    /// An area holding a copy of `bytes`.
    public init(kind: MemoryAreaKind, bytes: [UInt8]) {
        self.kind = kind
        self.storage = MemoryStorage(count: bytes.count)
        bytes.withUnsafeBytes { buffer in
            if let source = buffer.baseAddress { storage.pointer.copyMemory(from: source, byteCount: buffer.count) }
        }
    }

    /// Size of the area in bytes.
    public var count: Int { storage.count }

    /// All bytes of the area, in address order.
    public var bytes: [UInt8] { Array(UnsafeRawBufferPointer(start: storage.pointer, count: storage.count)) }

    public static func == (lhs: MemoryArea, rhs: MemoryArea) -> Bool {
        guard lhs.kind == rhs.kind, lhs.count == rhs.count else { return false }
        return lhs.storage === rhs.storage
            || UnsafeRawBufferPointer(start: lhs.storage.pointer, count: lhs.count).elementsEqual(
                UnsafeRawBufferPointer(start: rhs.storage.pointer, count: rhs.count))
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(bytes: UnsafeRawBufferPointer(start: storage.pointer, count: storage.count))
    }

    /// Gives the area storage of its own (copying it if a snapshot shares it) and returns its first byte. The
    /// pointer stays valid, and writes through it reach only this area, until the area is copied and either copy
    /// is changed, or the area is replaced: the VM takes it at the start of a cycle and drops it at the end.
    @usableFromInline
    mutating func uniqueBaseAddress() -> UnsafeMutableRawPointer {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage.pointer
    }

    /// The first byte, for reading only; valid while the area's storage is not replaced.
    var baseAddress: UnsafeMutableRawPointer { storage.pointer }

    // MARK: - Bounds

    @inlinable
    func check(offset: Int, size: Int) throws(MemoryAccessError) {
        guard offset >= 0, size >= 0, offset <= storage.count - size else {
            throw MemoryAccessError(area: kind, offset: offset, size: size, areaSize: storage.count)
        }
    }

    // MARK: - Bits

    /// The bit `bit` (0...7, 0 the least significant) of the byte at `offset`: `bit(at: 2, 3)` reads `%M2.3`.
    @inlinable
    public func bit(at offset: Int, _ bit: Int) throws(MemoryAccessError) -> Bool {
        try checkBit(offset: offset, bit: bit)
        return storage.pointer.load(fromByteOffset: offset, as: UInt8.self) & (1 << UInt8(bit)) != 0
    }

    /// Sets or clears one bit, leaving the other seven bits of the byte unchanged.
    @inlinable
    public mutating func setBit(at offset: Int, _ bit: Int, to value: Bool) throws(MemoryAccessError) {
        try checkBit(offset: offset, bit: bit)
        let mask: UInt8 = 1 << UInt8(bit)
        let pointer = uniqueBaseAddress()
        let old = pointer.load(fromByteOffset: offset, as: UInt8.self)
        pointer.storeBytes(of: value ? old | mask : old & ~mask, toByteOffset: offset, as: UInt8.self)
    }

    @inlinable
    func checkBit(offset: Int, bit: Int) throws(MemoryAccessError) {
        guard (0...7).contains(bit), offset >= 0, offset < storage.count else {
            throw MemoryAccessError(area: kind, offset: offset, size: 1, areaSize: storage.count, bit: bit)
        }
    }

    // MARK: - Integers

    /// Reads a big-endian integer of `T`'s width: `load(UInt16.self, at: 10)` reads `%MW10`.
    @inlinable
    public func load<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) throws(MemoryAccessError) -> T {
        try check(offset: offset, size: MemoryLayout<T>.size)
        return loadUnchecked(type, at: offset)
    }

    /// Writes a big-endian integer of the value's width.
    @inlinable
    public mutating func store<T: FixedWidthInteger>(_ value: T, at offset: Int) throws(MemoryAccessError) {
        try check(offset: offset, size: MemoryLayout<T>.size)
        storeUnchecked(value, at: offset)
    }

    /// Unchecked read for the VM's hot path, whose addresses are verified when the code is loaded.
    @inlinable
    func loadUnchecked<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
        T(bigEndian: storage.pointer.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    /// Unchecked write for the VM's hot path.
    @inlinable
    mutating func storeUnchecked<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        uniqueBaseAddress().storeBytes(of: value.bigEndian, toByteOffset: offset, as: T.self)
    }

    @inlinable public func byte(at offset: Int) throws(MemoryAccessError) -> UInt8 { try load(UInt8.self, at: offset) }
    @inlinable public func word(at offset: Int) throws(MemoryAccessError) -> UInt16 {
        try load(UInt16.self, at: offset)
    }
    @inlinable public func dword(at offset: Int) throws(MemoryAccessError) -> UInt32 {
        try load(UInt32.self, at: offset)
    }
    @inlinable public func lword(at offset: Int) throws(MemoryAccessError) -> UInt64 {
        try load(UInt64.self, at: offset)
    }
    /// SINT, 8-bit two's complement.
    @inlinable public func sint(at offset: Int) throws(MemoryAccessError) -> Int8 { try load(Int8.self, at: offset) }
    /// INT, 16-bit two's complement.
    @inlinable public func int(at offset: Int) throws(MemoryAccessError) -> Int16 { try load(Int16.self, at: offset) }
    /// DINT, 32-bit two's complement.
    @inlinable public func dint(at offset: Int) throws(MemoryAccessError) -> Int32 { try load(Int32.self, at: offset) }
    /// LINT, 64-bit two's complement.
    @inlinable public func lint(at offset: Int) throws(MemoryAccessError) -> Int64 { try load(Int64.self, at: offset) }

    @inlinable public mutating func setByte(_ v: UInt8, at offset: Int) throws(MemoryAccessError) {
        try store(v, at: offset)
    }
    @inlinable public mutating func setWord(_ v: UInt16, at offset: Int) throws(MemoryAccessError) {
        try store(v, at: offset)
    }
    @inlinable public mutating func setDWord(_ v: UInt32, at offset: Int) throws(MemoryAccessError) {
        try store(v, at: offset)
    }
    @inlinable public mutating func setLWord(_ v: UInt64, at offset: Int) throws(MemoryAccessError) {
        try store(v, at: offset)
    }
    @inlinable public mutating func setSInt(_ v: Int8, at offset: Int) throws(MemoryAccessError) {
        try store(v, at: offset)
    }
    @inlinable public mutating func setInt(_ v: Int16, at offset: Int) throws(MemoryAccessError) {
        try store(v, at: offset)
    }
    @inlinable public mutating func setDInt(_ v: Int32, at offset: Int) throws(MemoryAccessError) {
        try store(v, at: offset)
    }
    @inlinable public mutating func setLInt(_ v: Int64, at offset: Int) throws(MemoryAccessError) {
        try store(v, at: offset)
    }

    // MARK: - Floating point

    /// REAL: an IEEE 754 single stored as its big-endian bit pattern (1.5 is `3F C0 00 00`).
    @inlinable
    public func real(at offset: Int) throws(MemoryAccessError) -> Float {
        Float(bitPattern: try load(UInt32.self, at: offset))
    }

    @inlinable
    public mutating func setReal(_ value: Float, at offset: Int) throws(MemoryAccessError) {
        try store(value.bitPattern, at: offset)
    }

    /// LREAL: an IEEE 754 double stored as its big-endian bit pattern (1.5 is `3F F8 00 00 00 00 00 00`).
    @inlinable
    public func lreal(at offset: Int) throws(MemoryAccessError) -> Double {
        Double(bitPattern: try load(UInt64.self, at: offset))
    }

    @inlinable
    public mutating func setLReal(_ value: Double, at offset: Int) throws(MemoryAccessError) {
        try store(value.bitPattern, at: offset)
    }

    // MARK: - Byte ranges

    /// A copy of `count` bytes starting at `offset`.
    public func bytes(at offset: Int, count: Int) throws(MemoryAccessError) -> [UInt8] {
        try check(offset: offset, size: count)
        return Array(UnsafeRawBufferPointer(start: storage.pointer + offset, count: count))
    }

    /// Copies `bytes` into the area starting at `offset`; nothing is written unless all of it fits.
    public mutating func setBytes(_ bytes: some Collection<UInt8>, at offset: Int) throws(MemoryAccessError) {
        try check(offset: offset, size: bytes.count)
        let pointer = uniqueBaseAddress() + offset
        for (index, byte) in bytes.enumerated() { pointer.storeBytes(of: byte, toByteOffset: index, as: UInt8.self) }
    }

    /// Sets every byte to `value` (zero by default), as a memory reset does.
    public mutating func fill(_ value: UInt8 = 0) {
        uniqueBaseAddress().initializeMemory(as: UInt8.self, repeating: value, count: storage.count)
    }
}

/// The bytes of a `MemoryArea`, shared between copies until one of them writes (copy on write).
@usableFromInline
final class MemoryStorage: @unchecked Sendable {
    // Sendable because every write goes through `MemoryArea`'s mutating members, which first make the storage
    // unique, or through a pointer the VM took the same way and gives up before the area is shared again.
    @usableFromInline let pointer: UnsafeMutableRawPointer
    @usableFromInline let count: Int

    init(count: Int) {
        self.count = count
        pointer = .allocate(byteCount: max(count, 1), alignment: 16)
        pointer.initializeMemory(as: UInt8.self, repeating: 0, count: max(count, 1))
    }

    func copy() -> MemoryStorage {
        let copy = MemoryStorage(count: count)
        copy.pointer.copyMemory(from: pointer, byteCount: count)
        return copy
    }

    deinit { pointer.deallocate() }
}
