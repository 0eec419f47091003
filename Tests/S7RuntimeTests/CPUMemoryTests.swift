import S7Runtime
import Testing

@Suite("CPUMemory")
struct CPUMemoryTests {
    @Test func profilesSizeTheAreas() {
        let s1500 = CPUMemory(profile: .s7_1500)
        #expect(s1500.inputs.count == 32768)
        #expect(s1500.outputs.count == 32768)
        #expect(s1500.markers.count == 16384)
        #expect(s1500.timers.count == 4096)
        let s1200 = CPUMemory(profile: .s7_1200)
        #expect(s1200.inputs.count == 1024)
        #expect(s1200.outputs.count == 1024)
        #expect(s1200.markers.count == 8192)
        #expect(s1200.counters.count == 0)
    }

    @Test func dataBlocksAreCreatedAndDeleted() throws {
        var memory = CPUMemory(profile: .s7_1500)
        try memory.createDataBlock(number: 1, size: 16)
        try memory.createDataBlock(number: 2, size: 0, initialValues: [1, 2, 3])
        #expect(memory.dataBlocks.keys.sorted() == [1, 2])
        #expect(memory.area(.dataBlock(2))?.bytes == [1, 2, 3])
        #expect(throws: CPUMemoryError.dataBlockExists(1)) { try memory.createDataBlock(number: 1, size: 4) }
        #expect(throws: CPUMemoryError.dataBlockNumberOutOfRange(0, allowed: 1...60999)) {
            try memory.createDataBlock(number: 0, size: 4)
        }
        #expect(throws: CPUMemoryError.dataBlockSizeOutOfRange(65537, max: 65536)) {
            try memory.createDataBlock(number: 3, size: 65537)
        }
        try memory.deleteDataBlock(number: 1)
        #expect(memory.area(.dataBlock(1)) == nil)
        #expect(throws: CPUMemoryError.noSuchArea(.dataBlock(1))) { try memory.deleteDataBlock(number: 1) }
    }

    @Test func modifyAndReadGoThroughTheAreaKind() throws {
        var memory = CPUMemory(profile: .s7_1200)
        try memory.createDataBlock(number: 10, size: 8)
        try memory.modify(.dataBlock(10)) { area throws(MemoryAccessError) in try area.setInt(-2, at: 0) }
        try memory.modify(.marker) { area throws(MemoryAccessError) in try area.setBit(at: 0, 1, to: true) }
        #expect(try memory.read(.dataBlock(10)) { area throws(MemoryAccessError) in try area.word(at: 0) } == 0xFFFE)
        #expect(memory.markers.bytes[0] == 0b10)
        #expect(throws: CPUMemoryError.noSuchArea(.dataBlock(11))) {
            try memory.modify(.dataBlock(11)) { area throws(MemoryAccessError) in try area.setByte(0, at: 0) }
        }
        #expect(throws: CPUMemoryError.noSuchArea(.peripheralInput)) {
            try memory.read(.peripheralInput) { area throws(MemoryAccessError) in try area.byte(at: 0) }
        }
        let error = MemoryAccessError(area: .dataBlock(10), offset: 6, size: 4, areaSize: 8)
        #expect(throws: CPUMemoryError.access(error)) {
            try memory.modify(.dataBlock(10)) { area throws(MemoryAccessError) in try area.setDWord(0, at: 6) }
        }
    }

    @Test func snapshotIsIsolatedFromLaterWrites() throws {
        var memory = CPUMemory(profile: .s7_1500)
        try memory.createDataBlock(number: 1, size: 4)
        try memory.outputs.setWord(0xAAAA, at: 0)
        try memory.modify(.dataBlock(1)) { area throws(MemoryAccessError) in try area.setDWord(1, at: 0) }
        let image = memory.snapshot()

        try memory.outputs.setWord(0x5555, at: 0)
        try memory.modify(.dataBlock(1)) { area throws(MemoryAccessError) in try area.setDWord(2, at: 0) }
        try memory.createDataBlock(number: 2, size: 4)
        try memory.deleteDataBlock(number: 1)

        #expect(try image.outputs.word(at: 0) == 0xAAAA)
        #expect(try image.read(.dataBlock(1)) { area throws(MemoryAccessError) in try area.dword(at: 0) } == 1)
        #expect(image.area(.dataBlock(2)) == nil)
        #expect(try memory.outputs.word(at: 0) == 0x5555)
    }
}
