import S7Protocol
import S7TestSupport
import Testing
import Workbench

/// The engine's S7comm server on a downloaded bottling line, read with s7wb's own client.
@Suite struct S7ServerTests {
    @Test func theVirtualPLCAnswersAsAnS71500WithPutGet() async throws {
        let engine = Engine()
        _ = try await engine.openProject(at: Fixtures.sampleProject("bottling-line"), history: .inMemory)
        try await engine.download(device: "PLC_1")
        let status = try await engine.startS7Server(device: "PLC_1", host: "127.0.0.1", port: 0)
        let client = try await S7Client.connect(S7ClientOptions(host: "127.0.0.1", port: status.port))

        // Identity: the serial number is derived from the device name by a hash that is the same in every process.
        let components = try await client.readSZL(id: 0x001C)
        let serial = components[(4 + 4 * 34 + 2)..<(4 + 5 * 34)].prefix { $0 != 0 }
        #expect(String(decoding: serial, as: UTF8.self) == "S7WB-209B8FD6")
        #expect(try await client.mode() == .stop)

        // DB1 (LineData) is optimized: absolute access is refused as on the CPU; a missing DB does not exist.
        let results = try await client.read([
            S7VariableAddress(area: .dataBlock, dbNumber: 1, count: 2, byteOffset: 0),
            S7VariableAddress(area: .dataBlock, dbNumber: 99, count: 2, byteOffset: 0),
            S7VariableAddress(area: .markers, count: 2, byteOffset: 22),
        ])
        #expect(results[0] == .failure(.addressOutOfRange))
        #expect(results[1] == .failure(.objectDoesNotExist))
        #expect((try? results[2].get())?.count == 2)

        // The block directory is the download's: OB1, OB30, OB100 and DB1…DB6.
        let blocks = try await client.userData(
            S7UserDataRequest(
                group: S7UserDataGroup.blockDirectory.rawValue, subfunction: 0x02, payload: [0x30, 0x41]),
            what: "list DBs")
        #expect(
            stride(from: 0, to: blocks.count, by: 4).map { Int(blocks[$0]) << 8 | Int(blocks[$0 + 1]) } == [
                1, 2, 3, 4, 5, 6,
            ])

        await client.close()
        #expect(try await engine.stopS7Server(device: "PLC_1"))
        #expect(try await engine.s7Server(device: "PLC_1") == nil)
        await engine.shutdown()
    }
}
