import S7Runtime
import Testing

@Suite("MemoryArea")
struct MemoryAreaTests {
    @Test func wordIsStoredBigEndian() throws {
        var area = MemoryArea(kind: .marker, size: 64)
        try area.setWord(0x1234, at: 10)
        #expect(try area.bytes(at: 10, count: 2) == [0x12, 0x34])
        #expect(try area.byte(at: 10) == 0x12)
        #expect(try area.word(at: 10) == 0x1234)
    }

    @Test func dwordAndLWordAreBigEndian() throws {
        var area = MemoryArea(kind: .marker, size: 16)
        try area.setDWord(0x0102_0304, at: 0)
        try area.setLWord(0x1122_3344_5566_7788, at: 4)
        #expect(area.bytes[0..<12] == [1, 2, 3, 4, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88])
        #expect(try area.lword(at: 4) == 0x1122_3344_5566_7788)
        // Unaligned access works as on the CPU.
        #expect(try area.word(at: 3) == 0x0411)
    }

    @Test func signedValuesUseTwosComplement() throws {
        var area = MemoryArea(kind: .dataBlock(1), size: 16)
        try area.setInt(-2, at: 0)
        try area.setDInt(-1, at: 2)
        try area.setSInt(-128, at: 6)
        try area.setLInt(Int64.min, at: 8)
        #expect(try area.word(at: 0) == 0xFFFE)
        #expect(try area.int(at: 0) == -2)
        #expect(try area.dword(at: 2) == 0xFFFF_FFFF)
        #expect(try area.dint(at: 2) == -1)
        #expect(try area.byte(at: 6) == 0x80)
        #expect(try area.sint(at: 6) == -128)
        #expect(try area.lint(at: 8) == Int64.min)
        #expect(try area.bytes(at: 8, count: 2) == [0x80, 0x00])
    }

    @Test func realIsIEEESingleBigEndian() throws {
        var area = MemoryArea(kind: .marker, size: 8)
        try area.setReal(1.5, at: 0)
        #expect(try area.dword(at: 0) == 0x3FC0_0000)
        #expect(try area.bytes(at: 0, count: 4) == [0x3F, 0xC0, 0x00, 0x00])
        try area.setReal(-0.1, at: 4)
        #expect(try area.dword(at: 4) == 0xBDCC_CCCD)
        #expect(try area.real(at: 4) == -0.1)
    }

    @Test func lrealIsIEEEDoubleBigEndian() throws {
        var area = MemoryArea(kind: .marker, size: 8)
        try area.setLReal(1.5, at: 0)
        #expect(try area.lword(at: 0) == 0x3FF8_0000_0000_0000)
        #expect(try area.lreal(at: 0) == 1.5)
    }

    @Test func bitsAddressOneBitOfOneByte() throws {
        var area = MemoryArea(kind: .input, size: 4)
        try area.setBit(at: 2, 3, to: true)
        try area.setBit(at: 2, 7, to: true)
        #expect(try area.byte(at: 2) == 0b1000_1000)
        #expect(try area.bit(at: 2, 3))
        #expect(try !area.bit(at: 2, 2))
        try area.setBit(at: 2, 3, to: false)
        #expect(try area.byte(at: 2) == 0b1000_0000)
        #expect(try area.bytes(at: 0, count: 4) == [0, 0, 0x80, 0])
    }

    @Test func outOfRangeAccessThrowsWithAreaOffsetAndSize() {
        var area = MemoryArea(kind: .marker, size: 16384)
        #expect(throws: MemoryAccessError(area: .marker, offset: 16382, size: 4, areaSize: 16384)) {
            try area.dword(at: 16382)
        }
        #expect(throws: MemoryAccessError(area: .marker, offset: -1, size: 1, areaSize: 16384)) {
            try area.setByte(1, at: -1)
        }
        #expect(throws: MemoryAccessError(area: .marker, offset: 16384, size: 1, areaSize: 16384, bit: 0)) {
            try area.bit(at: 16384, 0)
        }
        #expect(throws: MemoryAccessError(area: .marker, offset: 0, size: 1, areaSize: 16384, bit: 8)) {
            try area.setBit(at: 0, 8, to: true)
        }
        #expect(throws: MemoryAccessError(area: .marker, offset: 16380, size: 5, areaSize: 16384)) {
            try area.setBytes([1, 2, 3, 4, 5], at: 16380)
        }
        // A rejected write changes nothing.
        #expect(area.bytes.allSatisfy { $0 == 0 })
        // The last byte is in range.
        #expect(throws: Never.self) { try area.setDWord(7, at: 16380) }
    }

    @Test func errorDescriptionNamesAreaOffsetAndSize() {
        let error = MemoryAccessError(area: .dataBlock(5), offset: 10, size: 4, areaSize: 12)
        #expect(error.description == "access to 4 bytes at DB5 10 is outside the area (12 bytes)")
        let bit = MemoryAccessError(area: .input, offset: 0, size: 1, areaSize: 4, bit: 9)
        #expect(bit.description == "bit number 9 at I 0 is outside 0...7")
    }

    @Test func byteRangesCopyInAndOut() throws {
        var area = MemoryArea(kind: .output, size: 8)
        try area.setBytes([0xDE, 0xAD, 0xBE, 0xEF], at: 2)
        #expect(try area.dword(at: 2) == 0xDEAD_BEEF)
        #expect(try area.bytes(at: 0, count: 8) == [0, 0, 0xDE, 0xAD, 0xBE, 0xEF, 0, 0])
        #expect(try area.bytes(at: 8, count: 0) == [])
        area.fill()
        #expect(area.bytes == [UInt8](repeating: 0, count: 8))
    }

    @Test func areaKindsPrintAsAddressPrefixes() {
        let kinds: [MemoryAreaKind] = [
            .input, .output, .marker, .timer, .counter, .dataBlock(7), .peripheralInput, .peripheralOutput, .local,
        ]
        #expect(kinds.map(\.description) == ["I", "Q", "M", "T", "C", "DB7", "PI", "PQ", "L"])
    }
}
