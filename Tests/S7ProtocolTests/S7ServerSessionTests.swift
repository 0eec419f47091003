import S7Model
import S7Protocol
import Synchronization
import Testing

/// A CPU for the server tests: memory areas by area and DB number, a mode and a clock the jobs change, and a
/// record of the stops and starts asked for.
final class FakeCPU: S7ServerBackend {
    struct AreaKey: Hashable, Sendable {
        var area: S7Area
        var db: Int
    }

    struct Memory: Sendable {
        var areas: [AreaKey: [UInt8]]
        var mode: S7CPUMode = .run
        var previousMode: S7CPUMode = .stop
        var stops = 0
        var starts: [Bool] = []
        var canStart = true
        var clock = PLCDateTime(
            year: 2024, month: 3, day: 15, hour: 12, minute: 34, second: 56, nanosecond: 789_000_000)
    }

    let memory: Mutex<Memory>
    let identity = S7ModuleIdentity(
        orderNumber: "6ES7 516-3AN02-0AB0", firmware: S7FirmwareVersion(2, 9, 4), systemName: "S7-1500 station_1",
        moduleName: "PLC_1", moduleTypeName: "CPU 1516-3 PN/DP", serialNumber: "S V-L12345678",
        copyright: "Original Siemens Equipment", maximumPDUSize: 960, maximumConnections: 32)
    let blocks: [S7BlockEntry] = [
        S7BlockEntry(type: .ob, number: 1, language: .scl, name: "Main", size: 400),
        S7BlockEntry(type: .fb, number: 1, language: .scl, name: "Motor", size: 300),
        S7BlockEntry(type: .fc, number: 2, language: .lad, name: "Scale", size: 90),
        S7BlockEntry(type: .fc, number: 1, language: .fbd, name: "Alarm", size: 80),
        S7BlockEntry(type: .db, number: 3, language: .db, name: "Motor_DB", size: 20),
        S7BlockEntry(type: .db, number: 1, language: .db, name: "Data", size: 64),
        S7BlockEntry(
            type: .db, number: 2, language: .db, name: "Recipes", size: 120, checksum: 0xBEEF, author: "s7wb",
            family: "line", version: 0x12),
    ]
    /// Three entries, newest first (event ids 0x4302, 0x4301, 0x4300).
    let diagnostics: [S7DiagnosticRecord] = (0..<3).map { age in
        S7DiagnosticRecord(
            eventID: 0x4302 - UInt16(age), time: PLCDateTime(year: 2024, month: 3, day: 15, hour: 12, minute: 3 - age))
    }

    /// Markers 256 bytes, inputs, outputs and periphery 512, 16 timers and counters, DB1 of 64 bytes, DB2 of 4096.
    init() {
        var areas: [AreaKey: [UInt8]] = [:]
        areas[AreaKey(area: .markers, db: 0)] = [UInt8](repeating: 0, count: 256)
        for area in [S7Area.inputs, .outputs, .peripheral] {
            areas[AreaKey(area: area, db: 0)] = [UInt8](repeating: 0, count: 512)
        }
        areas[AreaKey(area: .timers, db: 0)] = [UInt8](repeating: 0, count: 32)
        areas[AreaKey(area: .counters, db: 0)] = [UInt8](repeating: 0, count: 32)
        areas[AreaKey(area: .dataBlock, db: 1)] = (0..<64).map { UInt8($0) }
        areas[AreaKey(area: .dataBlock, db: 2)] = (0..<4096).map { UInt8(truncatingIfNeeded: $0 * 7) }
        memory = Mutex(Memory(areas: areas))
    }

    var mode: S7CPUMode { memory.withLock { $0.mode } }
    var previousMode: S7CPUMode { memory.withLock { $0.previousMode } }
    var clock: PLCDateTime { memory.withLock { $0.clock } }
    /// PLC stops asked for.
    var stops: Int { memory.withLock { $0.stops } }
    /// Starts asked for, true for a cold one.
    var starts: [Bool] { memory.withLock { $0.starts } }

    /// From now on the CPU refuses to start (as without a program).
    func refuseStarts() {
        memory.withLock { $0.canStart = false }
    }

    /// Sets bytes of an area (DB number 0 outside data blocks).
    func poke(_ area: S7Area, db: Int = 0, at offset: Int, _ bytes: [UInt8]) {
        memory.withLock { state in
            let key = AreaKey(area: area, db: db)
            state.areas[key]?.replaceSubrange(offset..<(offset + bytes.count), with: bytes)
        }
    }

    func peek(_ area: S7Area, db: Int = 0, at offset: Int, count: Int) -> [UInt8] {
        memory.withLock { state in Array(state.areas[AreaKey(area: area, db: db)]?[offset..<(offset + count)] ?? []) }
    }

    func read(_ items: [S7VariableAddress]) -> [Result<[UInt8], S7ReturnCode>] {
        memory.withLock { state in items.map { Self.read($0, from: state.areas) } }
    }

    func write(_ items: [S7WriteItem]) -> [S7ReturnCode] {
        memory.withLock { state -> [S7ReturnCode] in
            var codes: [S7ReturnCode] = []
            for item in items { codes.append(Self.write(item, into: &state.areas)) }
            return codes
        }
    }

    func stop() -> Bool {
        memory.withLock { state -> Bool in
            state.stops += 1
            state.previousMode = state.mode
            state.mode = .stop
            return true
        }
    }

    func start(cold: Bool) -> Bool {
        memory.withLock { state -> Bool in
            guard state.canStart else { return false }
            state.starts.append(cold)
            state.previousMode = state.mode
            state.mode = .run
            return true
        }
    }

    func setClock(_ time: PLCDateTime) -> Bool {
        memory.withLock { $0.clock = time }
        return true
    }

    static func key(_ item: S7VariableAddress) -> AreaKey {
        AreaKey(area: item.area, db: item.area == .dataBlock ? item.dbNumber : 0)
    }

    /// The bytes an item covers: timers and counters are two bytes each, by number.
    static func range(_ item: S7VariableAddress) -> Range<Int> {
        let start = item.transportSize.addressesByNumber ? item.byteOffset * 2 : item.byteOffset
        return start..<(start + item.byteCount)
    }

    static func read(_ item: S7VariableAddress, from areas: [AreaKey: [UInt8]]) -> Result<[UInt8], S7ReturnCode> {
        guard let bytes = areas[key(item)] else { return .failure(.objectDoesNotExist) }
        let span = range(item)
        guard span.upperBound <= bytes.count else { return .failure(.addressOutOfRange) }
        if item.transportSize == .bit { return .success([(bytes[span.lowerBound] >> UInt8(item.bit)) & 1]) }
        return .success(Array(bytes[span]))
    }

    static func write(_ item: S7WriteItem, into areas: inout [AreaKey: [UInt8]]) -> S7ReturnCode {
        let areaKey = key(item.address)
        guard var bytes = areas[areaKey] else { return .objectDoesNotExist }
        let span = range(item.address)
        guard span.upperBound <= bytes.count else { return .addressOutOfRange }
        if item.address.transportSize == .bit {
            let mask = UInt8(1) << UInt8(item.address.bit)
            let old = bytes[span.lowerBound]
            bytes[span.lowerBound] = item.data.first == 1 ? old | mask : old & ~mask
        } else {
            bytes.replaceSubrange(span, with: item.data)
        }
        areas[areaKey] = bytes
        return .success
    }
}

@Suite("S7 server session")
struct S7ServerSessionTests {
    static let mb3 = S7VariableAddress(area: .markers, transportSize: .byte, count: 1, byteOffset: 3)
    static let mw4 = S7VariableAddress(area: .markers, transportSize: .byte, count: 2, byteOffset: 4)

    /// A session after setup communication with the PDU size asked for.
    static func session(
        _ cpu: FakeCPU, pduSize: Int = 960, configuration: S7ServerSession.Configuration = .init()
    ) -> S7ServerSession {
        var session = S7ServerSession(configuration: configuration)
        let asked = S7Negotiation(maxJobsCalling: 1, maxJobsCalled: 1, pduSize: pduSize)
        _ = session.handle(S7PDU(type: .job, reference: 1, parameters: asked.encoded()).encoded(), backend: cpu)
        return session
    }

    /// Sends a user-data request; the answer's parameters, and its payload (nil for an answer without data).
    static func userData(
        _ session: inout S7ServerSession, _ cpu: FakeCPU, _ request: S7UserDataRequest, reference: UInt16 = 0x30
    ) throws -> (parameters: [UInt8], payload: [UInt8]?, data: [UInt8]) {
        let answer = try S7PDU(parsing: session.handle(request.pdu(reference: reference).encoded(), backend: cpu))
        #expect(answer.type == .userData)
        #expect(answer.reference == reference)
        let data = answer.data
        guard data.count >= 4, data[0] == 0xFF else { return (answer.parameters, nil, data) }
        #expect(data[1] == 0x09)
        let length = Int(data[2]) << 8 | Int(data[3])
        #expect(data.count == 4 + length)
        return (answer.parameters, Array(data[4...]), data)
    }

    static func szl(_ id: UInt16, index: UInt16 = 0) -> S7UserDataRequest {
        S7UserDataRequest(
            group: 4, subfunction: 1,
            payload: [UInt8(id >> 8), UInt8(id & 0xFF), UInt8(index >> 8), UInt8(index & 0xFF)])
    }

    /// ASCII up to the first NUL or the end.
    /// ASCII up to the first NUL, without the spaces that pad order numbers.
    static func text(_ bytes: ArraySlice<UInt8>) -> String {
        var text = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }

    // MARK: Setup

    @Test func setupGrantsTheSmallerPDUSize() {
        let cpu = FakeCPU()
        var session = S7ServerSession()
        let ask1024: [UInt8] = [
            0x32, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x08, 0x00, 0x00, 0xF0, 0x00, 0x00, 0x01, 0x00, 0x01, 0x04, 0x00,
        ]
        let granted960: [UInt8] = [
            0x32, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00,
            0xF0, 0x00, 0x00, 0x01, 0x00, 0x01, 0x03, 0xC0,
        ]
        let answer960 = session.handle(ask1024, backend: cpu)
        #expect(answer960 == granted960)
        #expect(session.pduSize == 960)

        var small = S7ServerSession()
        let ask240: [UInt8] = [
            0x32, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x08, 0x00, 0x00, 0xF0, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0xF0,
        ]
        let granted240: [UInt8] = [
            0x32, 0x03, 0x00, 0x00, 0x00, 0x02, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00,
            0xF0, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0xF0,
        ]
        let answer240 = small.handle(ask240, backend: cpu)
        #expect(answer240 == granted240)
        #expect(small.pduSize == 240)

        var s71200 = S7ServerSession(configuration: .init(maximumPDUSize: 240))
        _ = s71200.handle(ask1024, backend: cpu)
        #expect(s71200.pduSize == 240)
        #expect(s71200.negotiation?.pduSize == 240)
    }

    @Test func aJobBeforeSetupIsRefused() throws {
        let cpu = FakeCPU()
        var session = S7ServerSession()
        let read = S7PDU(type: .job, reference: 0x0042, parameters: S7Request.readParameters([Self.mb3]))
        let answer = try S7PDU(parsing: session.handle(read.encoded(), backend: cpu))
        #expect(answer.type == .ack)
        #expect(answer.reference == 0x0042)
        #expect(answer.error != 0)
        #expect(answer.data.isEmpty)
        #expect(session.negotiation == nil)
    }

    // MARK: Read and write

    @Test func readAnswerPadsOddItemsExceptTheLast() {
        let cpu = FakeCPU()
        cpu.poke(.markers, at: 3, [0x5A])
        cpu.poke(.markers, at: 4, [0x12, 0x34])
        var session = Self.session(cpu)
        let job: [UInt8] = [
            0x32, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x1A, 0x00, 0x00, 0x04, 0x02,
            0x12, 0x0A, 0x10, 0x02, 0x00, 0x01, 0x00, 0x00, 0x83, 0x00, 0x00, 0x18,  // MB3
            0x12, 0x0A, 0x10, 0x02, 0x00, 0x02, 0x00, 0x00, 0x83, 0x00, 0x00, 0x20,  // MW4
        ]
        let answer: [UInt8] = [
            0x32, 0x03, 0x00, 0x00, 0x00, 0x02, 0x00, 0x02, 0x00, 0x0C, 0x00, 0x00,  // ack data, 2 + 12 bytes
            0x04, 0x02,
            0xFF, 0x04, 0x00, 0x08, 0x5A, 0x00,  // success, BYTE/WORD/DWORD, 8 bits, the byte, a fill byte
            0xFF, 0x04, 0x00, 0x10, 0x12, 0x34,  // 16 bits, no fill byte after the last item
        ]
        let bytes = session.handle(job, backend: cpu)
        #expect(bytes == answer)
    }

    @Test func aMissingDataBlockFailsOnlyItsItem() throws {
        let cpu = FakeCPU()
        cpu.poke(.markers, at: 3, [0x5A])
        var session = Self.session(cpu)
        let items = [
            S7VariableAddress(area: .dataBlock, dbNumber: 1, transportSize: .byte, count: 2, byteOffset: 10),
            S7VariableAddress(area: .dataBlock, dbNumber: 9, transportSize: .byte, count: 2, byteOffset: 0),
            Self.mb3,
        ]
        let job = S7PDU(type: .job, reference: 3, parameters: S7Request.readParameters(items))
        let answer = try S7PDU(parsing: session.handle(job.encoded(), backend: cpu))
        #expect(answer.type == .ackData)
        #expect(answer.error == 0)
        #expect(answer.parameters == [0x04, 0x03])
        #expect(
            answer.data == [
                0xFF, 0x04, 0x00, 0x10, 0x0A, 0x0B,  // DB1.DBW10
                0x0A, 0x00, 0x00, 0x00,  // object does not exist, no data
                0xFF, 0x04, 0x00, 0x08, 0x5A,  // MB3
            ])
        // The session goes on.
        let again = try S7PDU(parsing: session.handle(job.encoded(), backend: cpu))
        #expect(again.data.count == answer.data.count)
    }

    @Test func writeJobReachesTheBackend() throws {
        let cpu = FakeCPU()
        var session = Self.session(cpu)
        let items = [
            S7WriteItem(address: Self.mb3, data: [0xAB]),
            S7WriteItem(
                address: S7VariableAddress(area: .markers, transportSize: .bit, count: 1, byteOffset: 2, bit: 3),
                data: [1]),
            S7WriteItem(
                address: S7VariableAddress(
                    area: .dataBlock, dbNumber: 7, transportSize: .byte, count: 1, byteOffset: 0),
                data: [1]),
            S7WriteItem(address: Self.mw4, data: [0x01]),  // one byte for a word
        ]
        let sections = S7Request.writeSections(items)
        let job = S7PDU(type: .job, reference: 4, parameters: sections.parameters, data: sections.data)
        let answer = try S7PDU(parsing: session.handle(job.encoded(), backend: cpu))
        #expect(answer.parameters == [0x05, 0x04])
        #expect(answer.data == [0xFF, 0xFF, 0x0A, 0x07])
        #expect(cpu.peek(.markers, at: 2, count: 3) == [0x08, 0xAB, 0x00])
        #expect(cpu.peek(.markers, at: 4, count: 2) == [0x00, 0x00])
    }

    @Test func aReadJobWithoutItemCountIsAnsweredWithAnErrorAndTheSessionGoesOn() throws {
        let cpu = FakeCPU()
        var session = Self.session(cpu)
        // What python-snap7's get_cpu_state sends: a read job with one parameter byte.
        let malformed: [UInt8] = [0x32, 0x01, 0x00, 0x00, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x04]
        let bytes = session.handle(malformed, backend: cpu)
        #expect(Array(bytes.prefix(10)) == [0x32, 0x02, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00])
        let answer = try S7PDU(parsing: bytes)
        #expect(answer.type == .ack)
        #expect(answer.reference == 5)
        #expect(answer.error != 0)
        let read = S7PDU(type: .job, reference: 6, parameters: S7Request.readParameters([Self.mb3]))
        let next = try S7PDU(parsing: session.handle(read.encoded(), backend: cpu))
        #expect(next.type == .ackData)
        #expect(next.reference == 6)
        #expect(next.data == [0xFF, 0x04, 0x00, 0x08, 0x00])
    }

    @Test func anUnsupportedFunctionIsRefused() throws {
        let cpu = FakeCPU()
        var session = Self.session(cpu)
        let upload = S7PDU(type: .job, reference: 9, parameters: [0x1D, 0, 0, 0, 0, 0, 0, 0])
        let answer = try S7PDU(parsing: session.handle(upload.encoded(), backend: cpu))
        #expect(answer.type == .ack)
        #expect(answer.reference == 9)
        #expect(answer.error != 0)
    }

    // MARK: SZL

    @Test func szl0011HoldsTheOrderNumberAndFirmware() throws {
        let cpu = FakeCPU()
        var session = Self.session(cpu)
        let answer = try Self.userData(&session, cpu, Self.szl(0x0011))
        let payload = try #require(answer.payload)
        #expect(answer.parameters.count == 12)
        #expect(answer.parameters[5] == 0x84)  // response, SZL group
        #expect(answer.parameters[9] == 0x00)  // last data unit
        #expect(answer.parameters[10] == 0 && answer.parameters[11] == 0)
        // id, index, record length 28, 3 records
        #expect(Array(payload[0..<8]) == [0x00, 0x11, 0x00, 0x00, 0x00, 0x1C, 0x00, 0x03])
        #expect(payload.count == 8 + 3 * 28)
        #expect(Array(payload[8..<10]) == [0x00, 0x01])
        #expect(Self.text(payload[10..<30]) == "6ES7 516-3AN02-0AB0")
        // The firmware record (index 7): "V" and the version at bytes 24-27 of the record.
        #expect(Array(payload[64..<66]) == [0x00, 0x07])
        #expect(Array(payload[88..<92]) == [0x56, 2, 9, 4])

        let oneAnswer = try Self.userData(&session, cpu, Self.szl(0x0111, index: 0x0001))
        let one = try #require(oneAnswer.payload)
        #expect(Array(one[0..<8]) == [0x01, 0x11, 0x00, 0x01, 0x00, 0x1C, 0x00, 0x01])
        #expect(Self.text(one[10..<30]) == "6ES7 516-3AN02-0AB0")
    }

    @Test func szl001CHoldsTheNames() throws {
        let cpu = FakeCPU()
        var session = Self.session(cpu)
        let answer = try Self.userData(&session, cpu, Self.szl(0x001C))
        let payload = try #require(answer.payload)
        #expect(Array(payload[0..<8]) == [0x00, 0x1C, 0x00, 0x00, 0x00, 0x22, 0x00, 0x08])
        #expect(payload.count == 8 + 8 * 34)
        func record(_ number: Int) -> ArraySlice<UInt8> { payload[(8 + number * 34)..<(8 + (number + 1) * 34)] }
        #expect(Array(record(0).prefix(2)) == [0x00, 0x01])
        #expect(Self.text(record(0).dropFirst(2)) == "S7-1500 station_1")
        #expect(Array(record(1).prefix(2)) == [0x00, 0x02])
        #expect(Self.text(record(1).dropFirst(2)) == "PLC_1")
        #expect(Array(record(4).prefix(2)) == [0x00, 0x05])
        #expect(Self.text(record(4).dropFirst(2)) == "S V-L12345678")
        #expect(Array(record(5).prefix(2)) == [0x00, 0x07])
        #expect(Self.text(record(5).dropFirst(2)) == "CPU 1516-3 PN/DP")
    }

    @Test func szl0424ReportsTheMode() throws {
        let cpu = FakeCPU()
        var session = Self.session(cpu)
        let runAnswer = try Self.userData(&session, cpu, Self.szl(0x0424))
        let run = try #require(runAnswer.payload)
        #expect(Array(run[0..<8]) == [0x04, 0x24, 0x00, 0x00, 0x00, 0x14, 0x00, 0x01])
        #expect(run.count == 8 + 20)
        #expect(run[11] & 0x0F == 0x08)  // RUN
        #expect(run[11] >> 4 == 0x04)  // before: STOP
        _ = cpu.stop()
        let stopAnswer = try Self.userData(&session, cpu, Self.szl(0x0424))
        let stop = try #require(stopAnswer.payload)
        #expect(stop[11] & 0x0F == 0x04)
        #expect(stop[11] >> 4 == 0x08)
    }

    @Test func anUnknownSZLIsRefused() throws {
        let cpu = FakeCPU()
        var session = Self.session(cpu)
        let answer = try Self.userData(&session, cpu, Self.szl(0x0999))
        #expect(answer.payload == nil)
        let error = UInt16(answer.parameters[10]) << 8 | UInt16(answer.parameters[11])
        #expect(error != 0)
    }

    @Test func anSZLLargerThanThePDUComesInFragments() throws {
        let cpu = FakeCPU()
        var whole = Self.session(cpu)
        let wholeAnswer = try Self.userData(&whole, cpu, Self.szl(0x001C))
        let full = try #require(wholeAnswer.payload)
        #expect(full.count > 240)

        var session = Self.session(cpu, pduSize: 240)
        let firstBytes = session.handle(Self.szl(0x001C).pdu(reference: 0x50).encoded(), backend: cpu)
        #expect(firstBytes.count <= 240)
        let first = try S7PDU(parsing: firstBytes)
        #expect(first.parameters[9] == 0x01)  // more data units follow
        let sequence = first.parameters[7]
        #expect(sequence != 0)
        var collected = Array(first.data[4...])
        var last = false
        var rounds = 0
        var next = sequence
        while !last && rounds < 10 {
            rounds += 1
            let followUp = S7UserDataRequest(group: 4, subfunction: 1, sequence: next, isFollowUp: true, payload: [])
            let bytes = session.handle(followUp.pdu(reference: UInt16(0x50 + rounds)).encoded(), backend: cpu)
            #expect(bytes.count <= 240)
            let answer = try S7PDU(parsing: bytes)
            #expect(answer.reference == UInt16(0x50 + rounds))
            #expect(answer.parameters[10] == 0 && answer.parameters[11] == 0)
            #expect(answer.data[0] == 0xFF)
            collected += answer.data[4...]
            last = answer.parameters[9] == 0x00
            next = answer.parameters[7]
        }
        #expect(last)
        #expect(collected == full)

        // A follow-up nobody asked for is refused.
        let stray = S7UserDataRequest(group: 4, subfunction: 1, sequence: 0x77, isFollowUp: true, payload: [])
        let refused = try Self.userData(&session, cpu, stray)
        #expect(refused.payload == nil)
        #expect(UInt16(refused.parameters[10]) << 8 | UInt16(refused.parameters[11]) != 0)
    }

    // MARK: Block directory

    @Test func blockListCountsEachType() throws {
        let cpu = FakeCPU()
        var session = Self.session(cpu)
        let countsAnswer = try Self.userData(&session, cpu, S7UserDataRequest(group: 3, subfunction: 1, payload: []))
        let counts = try #require(countsAnswer.payload)
        #expect(
            counts == [
                0x30, 0x38, 0x00, 0x01,  // OB
                0x30, 0x45, 0x00, 0x01,  // FB
                0x30, 0x43, 0x00, 0x02,  // FC
                0x30, 0x41, 0x00, 0x03,  // DB
                0x30, 0x42, 0x00, 0x00,  // SDB
                0x30, 0x44, 0x00, 0x00,  // SFC
                0x30, 0x46, 0x00, 0x00,  // SFB
            ])
        let dbsAnswer = try Self.userData(
            &session, cpu, S7UserDataRequest(group: 3, subfunction: 2, payload: [0x30, 0x41]))
        let dbs = try #require(dbsAnswer.payload)
        #expect(dbs == [0x00, 0x01, 0x22, 0x05, 0x00, 0x02, 0x22, 0x05, 0x00, 0x03, 0x22, 0x05])
    }

    @Test func blockInfoIsTheSeventyEightByteRecord() throws {
        let cpu = FakeCPU()
        var session = Self.session(cpu)
        // Block type 'A' (DB), number "00002" in ASCII, file system 'A'.
        let request = S7UserDataRequest(
            group: 3, subfunction: 3, payload: [0x30, 0x41, 0x30, 0x30, 0x30, 0x30, 0x32, 0x41])
        let infoAnswer = try Self.userData(&session, cpu, request)
        let info = try #require(infoAnswer.payload)
        #expect(info.count == 78)
        #expect(info[1] == 0x41)
        #expect(info[10] == 0x05)  // language DB
        #expect(info[11] == 0x0A)  // sub-block type DB
        #expect(Array(info[12..<14]) == [0x00, 0x02])  // the number
        #expect(Array(info[40..<42]) == [0x00, 0x78])  // MC7 size 120
        #expect(Self.text(info[42..<50]) == "s7wb")
        #expect(Self.text(info[50..<58]) == "line")
        #expect(Self.text(info[58..<66]) == "Recipes")
        #expect(info[66] == 0x12)
        #expect(Array(info[68..<70]) == [0xBE, 0xEF])

        let missing = S7UserDataRequest(
            group: 3, subfunction: 3, payload: [0x30, 0x41, 0x30, 0x30, 0x30, 0x39, 0x39, 0x41])
        let answer = try Self.userData(&session, cpu, missing)
        #expect(answer.payload == nil)
        #expect(answer.data.first == S7ReturnCode.objectDoesNotExist.rawValue)
    }

    // MARK: Clock and PLC control

    @Test func clockIsReadAndSetInBCD() throws {
        let cpu = FakeCPU()
        var session = Self.session(cpu)
        let readAnswer = try Self.userData(&session, cpu, S7UserDataRequest(group: 7, subfunction: 1, payload: []))
        let read = try #require(readAnswer.payload)
        #expect(read == [0x00, 0x20, 0x24, 0x03, 0x15, 0x12, 0x34, 0x56, 0x78, 0x96])

        let set = S7UserDataRequest(
            group: 7, subfunction: 2, payload: [0x00, 0x20, 0x25, 0x01, 0x02, 0x03, 0x04, 0x05, 0x00, 0x65])
        let answer = try Self.userData(&session, cpu, set)
        #expect(answer.parameters[10] == 0 && answer.parameters[11] == 0)
        #expect(
            cpu.clock
                == PLCDateTime(year: 2025, month: 1, day: 2, hour: 3, minute: 4, second: 5, nanosecond: 6_000_000))
    }

    @Test func stopAndStartsReachTheBackend() throws {
        let cpu = FakeCPU()
        var session = Self.session(cpu)
        let program: [UInt8] = Array("P_PROGRAM".utf8)
        let stop: [UInt8] =
            [0x32, 0x01, 0x00, 0x00, 0x00, 0x0A, 0x00, 0x10, 0x00, 0x00, 0x29, 0, 0, 0, 0, 0, 0x09] + program
        let stopped = try S7PDU(parsing: session.handle(stop, backend: cpu))
        #expect(stopped.type == .ackData)
        #expect(stopped.reference == 0x0A)
        #expect(stopped.error == 0)
        #expect(stopped.parameters.first == 0x29)
        #expect(cpu.mode == .stop)

        let hotHeader: [UInt8] = [0x32, 0x01, 0x00, 0x00, 0x00, 0x0B, 0x00, 0x14, 0x00, 0x00]
        let hot: [UInt8] = hotHeader + [0x28, 0, 0, 0, 0, 0, 0, 0xFD, 0x00, 0x00, 0x09] + program
        let started = try S7PDU(parsing: session.handle(hot, backend: cpu))
        #expect(started.error == 0)
        #expect(started.parameters.first == 0x28)
        #expect(cpu.mode == .run)

        let cold: [UInt8] =
            [0x32, 0x01, 0x00, 0x00, 0x00, 0x0C, 0x00, 0x16, 0x00, 0x00, 0x28, 0, 0, 0, 0, 0, 0, 0xFD, 0x00, 0x02]
            + [0x43, 0x20, 0x09] + program
        let coldAnswer = session.handle(cold, backend: cpu)
        #expect(try S7PDU(parsing: coldAnswer).error == 0)
        #expect(cpu.stops == 1)
        #expect(cpu.starts == [false, true])

        cpu.refuseStarts()
        let refused = try S7PDU(parsing: session.handle(hot, backend: cpu))
        #expect(refused.type == .ack)
        #expect(refused.error != 0)
    }

    // MARK: Framing

    @Test func manyPDUsInOneBufferAreAnsweredInOrder() throws {
        let cpu = FakeCPU()
        cpu.poke(.markers, at: 3, [0x5A])
        func frame(_ tpdu: COTPTPDU) -> [UInt8] { TPKTFrame(payload: tpdu.encoded()).encoded() }
        func data(_ bytes: [UInt8], last: Bool = true) -> [UInt8] {
            frame(.data(COTPDataTPDU(isEndOfTSDU: last, payload: bytes)))
        }
        let setup = S7PDU(
            type: .job, reference: 1,
            parameters: S7Negotiation(maxJobsCalling: 1, maxJobsCalled: 1, pduSize: 480).encoded()
        ).encoded()
        let read = S7PDU(type: .job, reference: 2, parameters: S7Request.readParameters([Self.mb3])).encoded()
        let szl = Self.szl(0x0424).pdu(reference: 3).encoded()
        var stream = TPKTFrame(payload: COTPTPDUTests.snap7ConnectionRequest).encoded()
        stream += data(setup)
        stream += data(Array(read.prefix(7)), last: false) + data(Array(read.dropFirst(7)))
        stream += data(szl)
        let partial = Array(data(read).prefix(5))
        stream += partial

        let decoder = TPKTFrameDecoder()
        var cotp = COTPServerStateMachine()
        var session = S7ServerSession()
        var confirms = 0
        var answers: [S7PDU] = []
        while case .frame(let tpkt) = try decoder.decode(&stream) {
            switch cotp.receive(tpkt.payload) {
            case .send(.connectionConfirm): confirms += 1
            case .deliver(let pdu): answers.append(try S7PDU(parsing: session.handle(pdu, backend: cpu)))
            case .wait: continue
            default: Issue.record("unexpected COTP action")
            }
        }
        #expect(stream == partial)  // the incomplete frame is left for the next read
        #expect(confirms == 1)
        #expect(answers.map(\.reference) == [1, 2, 3])
        #expect(answers.map(\.type) == [.ackData, .ackData, .userData])
        #expect(answers[1].data == [0xFF, 0x04, 0x00, 0x08, 0x5A])
        #expect(session.pduSize == 480)
    }
}
