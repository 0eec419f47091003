import NIOCore
import NIOPosix
import S7Model
import S7Protocol
import Testing

@Suite("S7 client against the S7 server")
struct S7ClientServerTests {
    /// Runs `body` with a client connected to a fresh server on a free port of 127.0.0.1.
    static func withServer(
        cpu: FakeCPU = FakeCPU(), configuration: S7ServerSession.Configuration = .init(), requestedPDUSize: Int = 1024,
        _ body: (S7Client, FakeCPU, S7Server) async throws -> Void
    ) async throws {
        let server = S7Server(backend: cpu, configuration: configuration)
        let port = try await server.start(host: "127.0.0.1", port: 0)
        let client: S7Client
        do {
            let options = S7ClientOptions(
                host: "127.0.0.1", port: port, requestedPDUSize: requestedPDUSize, timeout: .seconds(5))
            client = try await S7Client.connect(options)
        } catch {
            await server.stop()
            throw error
        }
        do {
            try await body(client, cpu, server)
        } catch {
            await client.close()
            await server.stop()
            throw error
        }
        await client.close()
        await server.stop()
    }

    @Test func connectNegotiatesThePDUSize() async throws {
        try await Self.withServer { client, _, server in
            #expect(client.pduSize == 960)
            #expect(client.isConnected)
            #expect(server.connectionsAccepted == 1)
        }
        try await Self.withServer(configuration: .init(maximumPDUSize: 240)) { client, _, _ in
            #expect(client.pduSize == 240)
        }
    }

    @Test func operandsRoundTrip() async throws {
        try await Self.withServer { client, cpu, _ in
            let writes: [(operand: String, literal: String, value: S7OperandValue)] = [
                ("%MW10", "16#1234", .integer(0x1234)),
                ("%M2.3", "TRUE", .bool(true)),
                ("%DB1.DBD4:REAL", "1.5", .real(1.5)),
                ("%DB1.DBW8:INT", "-2", .integer(-2)),
                ("%MB3", "200", .integer(200)),
                ("%QW4", "7", .integer(7)),
                ("%MD20:TIME", "T#2s", .text("T#2s")),
            ]
            var operands: [S7Operand] = []
            var items: [S7WriteItem] = []
            for write in writes {
                let operand = try S7Operand(parsing: write.operand)
                operands.append(operand)
                items.append(S7WriteItem(address: operand.address, data: try operand.encode(write.literal)))
            }
            let codes = try await client.write(items)
            #expect(codes == Array(repeating: .success, count: writes.count))
            #expect(cpu.peek(.markers, at: 2, count: 1) == [0x08])
            #expect(cpu.peek(.markers, at: 10, count: 2) == [0x12, 0x34])
            #expect(cpu.peek(.dataBlock, db: 1, at: 4, count: 4) == [0x3F, 0xC0, 0x00, 0x00])

            let results = try await client.read(operands.map(\.address))
            #expect(results.count == writes.count)
            for (index, result) in results.enumerated() {
                let value = try result.get()
                #expect(operands[index].decode(value) == writes[index].value, "\(writes[index].operand)")
            }
        }
    }

    @Test func anItemLargerThanThePDUIsSplitAndReassembled() async throws {
        try await Self.withServer { client, cpu, server in
            let pattern = (0..<3000).map { UInt8(truncatingIfNeeded: $0 * 13 + 1) }
            let item = S7VariableAddress(
                area: .dataBlock, dbNumber: 2, transportSize: .byte, count: 3000, byteOffset: 50)
            let before = server.jobsAnswered
            #expect(try await client.write([S7WriteItem(address: item, data: pattern)]) == [.success])
            #expect(cpu.peek(.dataBlock, db: 2, at: 50, count: 3000) == pattern)
            #expect(cpu.peek(.dataBlock, db: 2, at: 49, count: 1) == [UInt8(truncatingIfNeeded: 49 * 7)])
            let read = try await client.read([item])
            #expect(read.count == 1)
            #expect(try read[0].get() == pattern)
            // 3000 bytes need at least four jobs each way at a PDU of 960.
            #expect(server.jobsAnswered - before >= 8)
        }
    }

    @Test func thirtyItemsAreSplitIntoJobs() async throws {
        try await Self.withServer { client, cpu, server in
            cpu.poke(.markers, at: 0, (0..<30).map { UInt8($0 * 3) })
            let items = (0..<30).map {
                S7VariableAddress(area: .markers, transportSize: .byte, count: 1, byteOffset: $0)
            }
            let before = server.jobsAnswered
            let results = try await client.read(items)
            #expect(results.count == 30)
            for (index, result) in results.enumerated() {
                #expect(try result.get() == [UInt8(index * 3)])
            }
            let perJob = S7Client.maximumItemsPerJob
            #expect(server.jobsAnswered - before == (30 + perJob - 1) / perJob)
        }
    }

    @Test func aMissingDataBlockFailsItsItemAndTheConnectionStays() async throws {
        try await Self.withServer { client, cpu, _ in
            cpu.poke(.markers, at: 3, [0x5A])
            let items = [
                S7VariableAddress(area: .dataBlock, dbNumber: 1, transportSize: .byte, count: 2, byteOffset: 10),
                S7VariableAddress(area: .dataBlock, dbNumber: 9, transportSize: .byte, count: 2, byteOffset: 0),
                S7VariableAddress(area: .markers, transportSize: .byte, count: 1, byteOffset: 3),
            ]
            let results = try await client.read(items)
            #expect(results[0] == .success([0x0A, 0x0B]))
            #expect(results[1] == .failure(.objectDoesNotExist))
            #expect(results[2] == .success([0x5A]))
            let codes = try await client.write([S7WriteItem(address: items[1], data: [0, 0])])
            #expect(codes == [.objectDoesNotExist])
            #expect(client.isConnected)
            #expect(try await client.read([items[2]]) == [.success([0x5A])])
        }
    }

    @Test func modeStopAndStart() async throws {
        try await Self.withServer { client, cpu, _ in
            #expect(try await client.mode() == .run)
            try await client.stop()
            #expect(try await client.mode() == .stop)
            try await client.start()
            #expect(try await client.mode() == .run)
            try await client.start(cold: true)
            #expect(cpu.stops == 1)
            #expect(cpu.starts == [false, true])

            cpu.refuseStarts()
            do throws(S7ClientError) {
                try await client.start()
                Issue.record("a start the CPU refuses succeeded")
            } catch {
                guard case .refused = error else {
                    Issue.record("expected a refusal, got \(error)")
                    return
                }
            }
            #expect(client.isConnected)
        }
    }

    @Test func clockIsReadAndSet() async throws {
        try await Self.withServer { client, cpu, _ in
            #expect(try await client.clock() == cpu.clock)
            let time = PLCDateTime(year: 2025, month: 1, day: 2, hour: 3, minute: 4, second: 5, nanosecond: 6_000_000)
            let answer = try await client.userData(
                S7UserDataRequest(
                    group: S7UserDataGroup.clock.rawValue, subfunction: 0x02,
                    payload: [0x00, 0x20] + (try PLCValue.dateAndTime(time).encoded(as: .dateAndTime))),
                what: "set clock")
            #expect(answer.isEmpty)
            #expect(cpu.clock == time)
            #expect(try await client.clock() == time)
        }
    }

    @Test func theDiagnosticBufferWholeOrItsNewestEntries() async throws {
        try await Self.withServer { client, _, _ in
            let all = try await client.diagnosticBuffer()
            #expect(all.map(\.eventID) == [0x4302, 0x4301, 0x4300])
            #expect(all.first?.time.minute == 3)
            // SZL 0x01A0 with index 2: the two newest.
            let newest = try await client.diagnosticBuffer(limit: 2)
            #expect(newest.map(\.eventID) == [0x4302, 0x4301])
        }
    }

    @Test func jobsBeyondWhatTheCPUGrantsWaitForAnAnswer() async throws {
        try await Self.withServer(configuration: .init(maximumParallelJobs: 2)) { client, cpu, _ in
            #expect(client.negotiation.maxJobsCalling == 2)
            let word = S7VariableAddress(area: .markers, dbNumber: 0, transportSize: .byte, count: 2, byteOffset: 10)
            _ = try await client.write([S7WriteItem(address: word, data: [0x12, 0x34])])
            // Sixteen readers at once: two jobs on the wire at a time, every one answered.
            let values = try await withThrowingTaskGroup(of: [UInt8].self) { group in
                for _ in 0..<16 {
                    group.addTask {
                        let results = try await client.read([word])
                        return try results[0].get()
                    }
                }
                var all: [[UInt8]] = []
                for try await value in group { all.append(value) }
                return all
            }
            #expect(values.count == 16 && values.allSatisfy { $0 == [0x12, 0x34] })
            _ = cpu
        }
    }

    @Test func anSZLLargerThanThePDUIsFollowedUp() async throws {
        try await Self.withServer(configuration: .init(maximumPDUSize: 240)) { client, _, _ in
            #expect(client.pduSize == 240)
            let list = try await client.readSZL(id: 0x001C)
            // LENTHDR 34, 8 records.
            #expect(Array(list.prefix(4)) == [0x00, 0x22, 0x00, 0x08])
            #expect(list.count == 4 + 8 * 34)
            let moduleName = list[(4 + 34 + 2)..<(4 + 2 * 34)].prefix { $0 != 0 }
            #expect(String(decoding: moduleName, as: UTF8.self) == "PLC_1")
            let identification = try await client.readSZL(id: 0x0011)
            #expect(String(decoding: identification[6..<25], as: UTF8.self) == "6ES7 516-3AN02-0AB0")
        }
    }

    @Test func aPeerThatNeverAnswersTimesOut() async throws {
        // A listener that accepts connections and never writes anything.
        let silent = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in channel.eventLoop.makeSucceededVoidFuture() }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(silent.localAddress?.port)
        let clock = ContinuousClock()
        let start = clock.now
        do throws(S7ClientError) {
            let client = try await S7Client.connect(
                S7ClientOptions(host: "127.0.0.1", port: port, timeout: .milliseconds(300)))
            await client.close()
            Issue.record("connected to a peer that never answers")
        } catch {
            switch error {
            case .timeout, .connectionFailed: break
            default: Issue.record("expected a timeout, got \(error)")
            }
        }
        let elapsed = clock.now - start
        #expect(elapsed >= .milliseconds(250))
        // Well above 300 ms: on two busy cores the whole suite shares the event loops (one run took 9 s).
        #expect(elapsed < .seconds(15))
        try await silent.close()
    }

    @Test func aClosedPortFailsFast() async throws {
        // Port 1 (tcpmux) is closed on loopback; a port another server just left may be taken by a test running
        // beside this one.
        let port = 1
        let clock = ContinuousClock()
        let start = clock.now
        do throws(S7ClientError) {
            let client = try await S7Client.connect(
                S7ClientOptions(host: "127.0.0.1", port: port, timeout: .seconds(60)))
            await client.close()
            Issue.record("connected to a closed port")
        } catch {
            guard case .connectionFailed(let reason) = error else {
                Issue.record("expected connectionFailed, got \(error)")
                return
            }
            #expect(reason.contains("127.0.0.1:\(port)"))
            // Refused by the peer, not given up after the timeout (how long the refusal takes to reach this task
            // depends on how busy the test run keeps the thread pool).
            #expect(reason.contains("refused"))
        }
        #expect(clock.now - start < .seconds(60))
    }
}
