import S7Model

/// The S7comm side of one server connection, without I/O: it takes each S7 PDU the COTP layer delivers and answers
/// it through a backend.
///
/// ```
/// awaiting setup ──setup communication──► negotiated (PDU size = min(asked, maximum))
///      │ any other job: error 0x8104                │ read/write var, PLC control, user data: answered
///      └────────────────────────────────────────────┘ malformed PDU: an ack with an error class, connection kept
/// ```
///
/// Answers larger than the negotiated PDU are refused (reads) or sent in fragments the client asks for with
/// follow-up requests (user data: SZL lists, block lists).
public struct S7ServerSession: Sendable {
    public struct Configuration: Sendable, Hashable {
        /// The largest PDU granted: 960 for an S7-1500, 240 for an S7-1200.
        public var maximumPDUSize: Int
        /// Jobs a client may pipeline (AmQ called granted).
        public var maximumParallelJobs: Int

        public init(maximumPDUSize: Int = 960, maximumParallelJobs: Int = 8) {
            self.maximumPDUSize = maximumPDUSize
            self.maximumParallelJobs = maximumParallelJobs
        }
    }

    public let configuration: Configuration
    public private(set) var negotiation: S7Negotiation?
    /// User-data answers still being sent in fragments, by the sequence number the client continues with.
    private var pendingFragments: [UInt8: (group: UInt8, subfunction: UInt8, remaining: [UInt8])] = [:]
    private var nextSequence: UInt8 = 1

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// The PDU size in force (before setup, the smallest any CPU accepts).
    public var pduSize: Int { negotiation?.pduSize ?? 240 }

    /// Answers one PDU (every job gets exactly one answer, in order).
    public mutating func handle(_ bytes: [UInt8], backend: some S7ServerBackend) -> [UInt8] {
        let pdu: S7PDU
        do throws(S7ParseError) {
            pdu = try S7PDU(parsing: bytes)
        } catch {
            let reference = error.reference ?? (bytes.count >= 6 ? bytes.bigEndianUInt16(at: 4) : 0)
            return Self.errorAck(reference: reference, S7HeaderError.serviceNotImplemented)
        }
        let request: S7Request
        do throws(S7ParseError) {
            request = try S7Request(pdu)
        } catch {
            if pdu.type == .userData {
                return Self.userDataAnswer(
                    pdu.reference, group: pdu.parameters.count > 5 ? pdu.parameters[5] & 0x0F : 0,
                    subfunction: pdu.parameters.count > 6 ? pdu.parameters[6] : 0, sequence: 0, last: true,
                    error: 0x8104, payload: nil)
            }
            return Self.errorAck(reference: pdu.reference, S7HeaderError.serviceNotImplemented)
        }
        return answer(request, reference: pdu.reference, backend: backend)
    }

    private mutating func answer(
        _ request: S7Request, reference: UInt16, backend: some S7ServerBackend
    ) -> [UInt8] {
        if case .setupCommunication(let asked) = request {
            let granted = S7Negotiation(
                maxJobsCalling: min(max(asked.maxJobsCalling, 1), configuration.maximumParallelJobs),
                maxJobsCalled: min(max(asked.maxJobsCalled, 1), configuration.maximumParallelJobs),
                pduSize: min(max(asked.pduSize, 240), configuration.maximumPDUSize))
            negotiation = granted
            return S7PDU(type: .ackData, reference: reference, parameters: granted.encoded()).encoded()
        }
        guard negotiation != nil else {
            return Self.errorAck(reference: reference, S7HeaderError.serviceNotImplemented)
        }
        switch request {
        case .setupCommunication:
            return []  // handled above
        case .readVariables(let items):
            return read(items, reference: reference, backend: backend)
        case .writeVariables(let items):
            return write(items, reference: reference, backend: backend)
        case .plcStop:
            guard backend.stop() else { return Self.errorAck(reference: reference, S7HeaderError.cannotPerform) }
            return S7PDU(type: .ackData, reference: reference, parameters: [S7Function.plcStop.rawValue]).encoded()
        case .plcControl(let control):
            guard control.service == "P_PROGRAM" else {
                return Self.errorAck(reference: reference, S7HeaderError.serviceNotImplemented)
            }
            guard backend.start(cold: control.isColdStart) else {
                return Self.errorAck(reference: reference, S7HeaderError.cannotPerform)
            }
            return S7PDU(type: .ackData, reference: reference, parameters: [S7Function.plcControl.rawValue]).encoded()
        case .userData(let userData):
            return self.userData(userData, reference: reference, backend: backend)
        case .unsupported:
            return Self.errorAck(reference: reference, S7HeaderError.serviceNotImplemented)
        }
    }

    // MARK: Read and write

    private func read(
        _ items: [Result<S7VariableAddress, S7ItemError>], reference: UInt16, backend: some S7ServerBackend
    ) -> [UInt8] {
        let addresses = items.compactMap { try? $0.get() }
        var results = backend.read(addresses)[...]
        var data: [UInt8] = []
        for (index, item) in items.enumerated() {
            let value: Result<[UInt8], S7ReturnCode>
            let size: S7DataTransportSize
            switch item {
            case .failure(let error):
                value = .failure(error.returnCode)
                size = .null
            case .success(let address):
                value = results.popFirst() ?? .failure(.hardwareError)
                size = S7DataTransportSize(answering: address.transportSize)
            }
            switch value {
            case .success(let bytes):
                data += [S7ReturnCode.success.rawValue, size.rawValue]
                data.appendBigEndian(UInt16(clamping: size.lengthInBits ? bytes.count * 8 : bytes.count))
                data += bytes
                if bytes.count % 2 == 1, index < items.count - 1 { data.append(0) }
            case .failure(let code):
                data += [code.rawValue, S7DataTransportSize.null.rawValue, 0, 0]
            }
        }
        guard 14 + data.count <= pduSize else {
            return Self.errorAck(reference: reference, S7HeaderError.wrongFrames)
        }
        return S7PDU(
            type: .ackData, reference: reference, parameters: [S7Function.readVariable.rawValue, UInt8(items.count)],
            data: data
        ).encoded()
    }

    private func write(
        _ items: [Result<S7WriteItem, S7ItemError>], reference: UInt16, backend: some S7ServerBackend
    ) -> [UInt8] {
        var valid: [S7WriteItem] = []
        var codes: [S7ReturnCode?] = []
        for item in items {
            switch item {
            case .success(let write):
                if write.data.count == write.address.byteCount {
                    valid.append(write)
                    codes.append(nil)
                } else {
                    codes.append(.dataTypeInconsistent)
                }
            case .failure(let error):
                codes.append(error.returnCode)
            }
        }
        var written = backend.write(valid)[...]
        let data = codes.map { ($0 ?? written.popFirst() ?? .hardwareError).rawValue }
        return S7PDU(
            type: .ackData, reference: reference, parameters: [S7Function.writeVariable.rawValue, UInt8(items.count)],
            data: data
        ).encoded()
    }

    // MARK: User data

    private mutating func userData(
        _ request: S7UserDataRequest, reference: UInt16, backend: some S7ServerBackend
    ) -> [UInt8] {
        let group = request.group
        let subfunction = request.subfunction
        if request.isFollowUp {
            guard let pending = pendingFragments.removeValue(forKey: request.sequence),
                pending.group == group, pending.subfunction == subfunction
            else {
                return Self.userDataAnswer(
                    reference, group: group, subfunction: subfunction, sequence: request.sequence, last: true,
                    error: S7UserDataError.noFragmentPending, payload: nil)
            }
            return fragment(pending.remaining, reference: reference, group: group, subfunction: subfunction)
        }
        let payload: [UInt8]
        switch (S7UserDataGroup(rawValue: group), subfunction) {
        case (.szl, 0x01):
            guard request.payload.count >= 4 else {
                return Self.userDataAnswer(
                    reference, group: group, subfunction: subfunction, sequence: 0, last: true,
                    error: S7UserDataError.invalidSZL,
                    payload: nil)
            }
            let id = request.payload.bigEndianUInt16(at: 0)
            let index = request.payload.bigEndianUInt16(at: 2)
            guard let list = SZL.list(id: id, index: index, backend: backend) else {
                return Self.userDataAnswer(
                    reference, group: group, subfunction: subfunction, sequence: 0, last: true,
                    error: S7UserDataError.invalidSZL,
                    payload: nil)
            }
            payload = Array(request.payload[0..<4]) + list
        case (.blockDirectory, 0x01):
            payload = S7BlockDirectory.counts(backend.blocks)
        case (.blockDirectory, 0x02):
            guard request.payload.count >= 2, let type = S7BlockType(rawValue: request.payload[1]) else {
                return Self.userDataAnswer(
                    reference, group: group, subfunction: subfunction, sequence: 0, last: true,
                    error: S7UserDataError.invalidBlockType, payload: nil)
            }
            payload = S7BlockDirectory.list(of: type, in: backend.blocks)
        case (.blockDirectory, 0x03):
            guard let (type, number) = S7BlockDirectory.parseInfoRequest(request.payload),
                let block = backend.blocks.first(where: { $0.type == type && $0.number == number })
            else {
                return Self.userDataAnswer(
                    reference, group: group, subfunction: subfunction, sequence: 0, last: true,
                    error: S7UserDataError.blockNotFound, payload: nil)
            }
            payload = S7BlockDirectory.info(block)
        case (.clock, 0x01):
            let now = backend.clock
            payload = [0x00, now.year >= 2000 ? 0x20 : 0x19] + S7Clock.bcd(now)
        case (.clock, 0x02):
            let time = request.payload.count >= 10 ? S7Clock.time(bcd: request.payload[2..<10]) : nil
            guard let time, backend.setClock(time) else {
                return Self.userDataAnswer(
                    reference, group: group, subfunction: subfunction, sequence: 0, last: true, error: 0,
                    payload: nil, returnCode: .dataTypeInconsistent)
            }
            return Self.userDataAnswer(
                reference, group: group, subfunction: subfunction, sequence: 0, last: true, error: 0, payload: nil)
        default:
            return Self.userDataAnswer(
                reference, group: group, subfunction: subfunction, sequence: 0, last: true,
                error: S7HeaderError.serviceNotImplemented,
                payload: nil)
        }
        return fragment(payload, reference: reference, group: group, subfunction: subfunction)
    }

    /// Sends as much of `payload` as the PDU holds; the rest waits for a follow-up under a new sequence number.
    private mutating func fragment(
        _ payload: [UInt8], reference: UInt16, group: UInt8, subfunction: UInt8
    ) -> [UInt8] {
        let room = pduSize - 10 - 12 - 4
        guard payload.count > room else {
            return Self.userDataAnswer(
                reference, group: group, subfunction: subfunction, sequence: 0, last: true, error: 0,
                payload: payload)
        }
        let sequence = nextSequence
        nextSequence = nextSequence == 0xFF ? 1 : nextSequence + 1
        pendingFragments[sequence] = (group, subfunction, Array(payload[room...]))
        if pendingFragments.count > 16, let oldest = pendingFragments.keys.first(where: { $0 != sequence }) {
            pendingFragments.removeValue(forKey: oldest)
        }
        return Self.userDataAnswer(
            reference, group: group, subfunction: subfunction, sequence: sequence, last: false, error: 0,
            payload: Array(payload[..<room]))
    }

    /// A user-data answer: parameters `00 01 12 08 12 8G SS QQ 00 LDU EE EE`, data `FF 09 len payload`, or the
    /// empty data of an error or of a service that returns nothing (`0A 00 00 00`).
    static func userDataAnswer(
        _ reference: UInt16, group: UInt8, subfunction: UInt8, sequence: UInt8, last: Bool, error: UInt16,
        payload: [UInt8]?, returnCode: S7ReturnCode = .objectDoesNotExist
    ) -> [UInt8] {
        var parameters: [UInt8] = [0x00, 0x01, 0x12, 0x08, 0x12, 0x80 | group, subfunction, sequence, 0x00]
        parameters.append(last ? 0x00 : 0x01)
        parameters.appendBigEndian(error)
        var data: [UInt8]
        if let payload {
            data = [S7ReturnCode.success.rawValue, S7DataTransportSize.octetString.rawValue]
            data.appendBigEndian(UInt16(payload.count))
            data += payload
        } else {
            data = [returnCode.rawValue, 0x00, 0x00, 0x00]
        }
        return S7PDU(type: .userData, reference: reference, parameters: parameters, data: data).encoded()
    }

    /// An acknowledgement carrying only an error class and code.
    static func errorAck(reference: UInt16, _ error: UInt16) -> [UInt8] {
        S7PDU(type: .ack, reference: reference, parameters: [], error: error).encoded()
    }
}

/// Error codes of a user-data answer's parameters.
public enum S7UserDataError {
    /// No SZL with this id or index.
    public static let invalidSZL: UInt16 = 0xD401
    /// The block does not exist.
    public static let blockNotFound: UInt16 = 0xD209
    /// The block type is not one of OB, DB, SDB, FC, SFC, FB, SFB.
    public static let invalidBlockType: UInt16 = 0xD20E
    /// A follow-up for an answer that has no fragments left.
    public static let noFragmentPending: UInt16 = 0xD0A1
}

/// The block directory's answers (user-data group 3).
enum S7BlockDirectory {
    /// List all: seven entries `30 type count(2)`, one per block type.
    static func counts(_ blocks: [S7BlockEntry]) -> [UInt8] {
        let types: [S7BlockType] = [.ob, .fb, .fc, .db, .sdb, .sfc, .sfb]
        return types.flatMap { type in
            [0x30, type.rawValue] + SZL.word(UInt16(clamping: blocks.count { $0.type == type }))
        }
    }

    /// List of one type: `number(2) 0x22 language` per block, by number.
    static func list(of type: S7BlockType, in blocks: [S7BlockEntry]) -> [UInt8] {
        blocks.filter { $0.type == type }.sorted { $0.number < $1.number }.flatMap { block in
            SZL.word(UInt16(clamping: block.number)) + [0x22, block.language.rawValue]
        }
    }

    /// The request `30 type "NNNNN" A`: type and number.
    static func parseInfoRequest(_ payload: [UInt8]) -> (S7BlockType, Int)? {
        guard payload.count >= 7, let type = S7BlockType(rawValue: payload[1]) else { return nil }
        let digits = payload[2..<7]
        guard digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return (type, digits.reduce(0) { $0 * 10 + Int($1 - 0x30) })
    }

    /// Block info: the 78-byte record clients decode (type, flags, language, number, sizes, dates, names, checksum).
    static func info(_ block: S7BlockEntry) -> [UInt8] {
        var bytes: [UInt8] = [0x01, block.type.rawValue, 0x00, 0x4A, 0x00, 0x00, 0x00, 0x00, 0x00]
        bytes += [0x01, block.language.rawValue, block.type.subBlockType]
        bytes += SZL.word(UInt16(clamping: block.number))
        bytes += SZL.dword(UInt32(clamping: block.size + 36))  // load memory: code plus header
        bytes += SZL.dword(0)  // block security
        bytes += SZL.dword(block.loadedMilliseconds) + SZL.word(block.loadedDays)  // code time stamp
        bytes += SZL.dword(block.loadedMilliseconds) + SZL.word(block.loadedDays)  // interface time stamp
        bytes += SZL.word(0) + SZL.word(0) + SZL.word(0)  // SBB, additional, local data lengths
        bytes += SZL.word(UInt16(clamping: block.size))  // MC7 (code) size
        bytes += SZL.text(block.author, length: 8) + SZL.text(block.family, length: 8)
        bytes += SZL.text(block.name, length: 8)
        bytes += [block.version, 0x00] + SZL.word(block.checksum)
        bytes += [UInt8](repeating: 0, count: 8)
        return bytes
    }
}
