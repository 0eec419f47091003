/// FNV-1a, 64 bits: a hash that is the same in every process (Swift's `hashValue` is seeded per process), for ids,
/// serial numbers and checksums that must not change between runs.
///
///     StableHash.fnv1a("PLC_1".utf8)   // the same value today and tomorrow
enum StableHash {
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325

    static func fnv1a(_ bytes: some Sequence<UInt8>, seed: UInt64 = offsetBasis) -> UInt64 {
        var hash = seed
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return hash
    }

    /// The 64-bit hash folded to 16 bits (an S7 block checksum).
    static func checksum16(_ bytes: some Sequence<UInt8>) -> UInt16 {
        let hash = fnv1a(bytes)
        return UInt16(truncatingIfNeeded: hash ^ hash >> 16 ^ hash >> 32 ^ hash >> 48)
    }
}
