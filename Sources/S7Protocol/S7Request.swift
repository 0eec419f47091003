/// The function codes of S7comm jobs (first byte of the parameter section).
public enum S7Function: UInt8, Hashable, Sendable {
    case readVariable = 0x04
    case writeVariable = 0x05
    case requestDownload = 0x1A
    case downloadBlock = 0x1B
    case downloadEnded = 0x1C
    case startUpload = 0x1D
    case upload = 0x1E
    case endUpload = 0x1F
    /// PI services: hot start (`P_PROGRAM`), cold start (`P_PROGRAM` with argument `C `), compress, copy RAM to ROM.
    case plcControl = 0x28
    case plcStop = 0x29
    case setupCommunication = 0xF0
}

/// What setup communication asks or grants: parallel jobs each way and the PDU size.
public struct S7Negotiation: Hashable, Sendable {
    /// Jobs the client may have outstanding (AmQ calling).
    public var maxJobsCalling: Int
    /// Jobs the server may have outstanding (AmQ called).
    public var maxJobsCalled: Int
    public var pduSize: Int

    public init(maxJobsCalling: Int, maxJobsCalled: Int, pduSize: Int) {
        self.maxJobsCalling = maxJobsCalling
        self.maxJobsCalled = maxJobsCalled
        self.pduSize = pduSize
    }

    /// The parameter section: `F0 00 calling(2) called(2) pdu(2)`.
    public func encoded() -> [UInt8] {
        var bytes: [UInt8] = [S7Function.setupCommunication.rawValue, 0]
        bytes.appendBigEndian(UInt16(clamping: maxJobsCalling))
        bytes.appendBigEndian(UInt16(clamping: maxJobsCalled))
        bytes.appendBigEndian(UInt16(clamping: pduSize))
        return bytes
    }

    init(parameters: [UInt8]) throws(S7ItemError) {
        guard parameters.count >= 8 else { throw .truncated }
        maxJobsCalling = Int(parameters.bigEndianUInt16(at: 2))
        maxJobsCalled = Int(parameters.bigEndianUInt16(at: 4))
        pduSize = Int(parameters.bigEndianUInt16(at: 6))
    }
}

/// One item of a write job: where, and the bytes (one byte, 0 or 1, for a bit).
public struct S7WriteItem: Hashable, Sendable {
    public var address: S7VariableAddress
    public var data: [UInt8]

    public init(address: S7VariableAddress, data: [UInt8]) {
        self.address = address
        self.data = data
    }
}

/// The user-data function groups (the low nibble of the type/group byte).
public enum S7UserDataGroup: UInt8, Hashable, Sendable {
    case programmer = 0x01
    case cyclicData = 0x02
    case blockDirectory = 0x03
    case szl = 0x04
    case security = 0x05
    case clock = 0x07
}

/// A user-data request: first call (method 0x11) or the follow-up that asks for the next fragment (method 0x12).
public struct S7UserDataRequest: Hashable, Sendable {
    public var group: UInt8
    public var subfunction: UInt8
    /// 0 on a first call; on a follow-up, the sequence number of the answer being continued.
    public var sequence: UInt8
    public var isFollowUp: Bool
    /// The request's data, after the 4-byte data header.
    public var payload: [UInt8]

    public init(group: UInt8, subfunction: UInt8, sequence: UInt8 = 0, isFollowUp: Bool = false, payload: [UInt8]) {
        self.group = group
        self.subfunction = subfunction
        self.sequence = sequence
        self.isFollowUp = isFollowUp
        self.payload = payload
    }

    /// A request PDU for it.
    public func pdu(reference: UInt16) -> S7PDU {
        var parameters: [UInt8] = [
            0x00, 0x01, 0x12, isFollowUp ? 0x08 : 0x04, isFollowUp ? 0x12 : 0x11, 0x40 | (group & 0x0F), subfunction,
            sequence,
        ]
        if isFollowUp { parameters += [0, 0, 0, 0] }
        var data: [UInt8] = payload.isEmpty ? [0x0A, 0x00] : [0xFF, S7DataTransportSize.octetString.rawValue]
        data.appendBigEndian(UInt16(clamping: payload.count))
        return S7PDU(type: .userData, reference: reference, parameters: parameters, data: data + payload)
    }
}

/// A PI service of PLC control (function 0x28).
public struct S7PLCControl: Hashable, Sendable {
    /// `P_PROGRAM` starts the CPU; `_GARB` compresses; `_MODU` copies RAM to ROM.
    public var service: String
    /// The argument block: empty for a hot (warm) start, `C ` for a cold start.
    public var argument: [UInt8]

    public var isColdStart: Bool { service == "P_PROGRAM" && argument == [0x43, 0x20] }
}

/// A job or user-data request, parsed from its PDU.
public enum S7Request: Hashable, Sendable {
    case setupCommunication(S7Negotiation)
    /// Each item parsed, or why it cannot be (it is answered with the item's error code).
    case readVariables([Result<S7VariableAddress, S7ItemError>])
    case writeVariables([Result<S7WriteItem, S7ItemError>])
    case plcStop
    case plcControl(S7PLCControl)
    case userData(S7UserDataRequest)
    /// A job function this server does not serve (block upload and download need S7comm-plus on an S7-1500).
    case unsupported(function: UInt8)

    /// Parses the request a job or user-data PDU carries.
    public init(_ pdu: S7PDU) throws(S7ParseError) {
        let reference = pdu.reference
        func malformed(_ reason: String) -> S7ParseError { .malformed(reference: reference, reason) }
        let parameters = pdu.parameters
        switch pdu.type {
        case .userData:
            guard parameters.count >= 8, parameters[2] == 0x12, parameters[4] == 0x11 || parameters[4] == 0x12 else {
                throw malformed("user-data parameters are not a request head")
            }
            var payload: [UInt8] = []
            if pdu.data.count >= 4 {
                let length = Int(pdu.data.bigEndianUInt16(at: 2))
                guard 4 + length <= pdu.data.count else { throw malformed("user-data item runs past the PDU") }
                payload = Array(pdu.data[4..<(4 + length)])
            }
            self = .userData(
                S7UserDataRequest(
                    group: parameters[5] & 0x0F, subfunction: parameters[6], sequence: parameters[7],
                    isFollowUp: parameters[4] == 0x12, payload: payload))
        case .job:
            guard let code = parameters.first else { throw malformed("a job without parameters") }
            guard let function = S7Function(rawValue: code) else {
                self = .unsupported(function: code)
                return
            }
            switch function {
            case .setupCommunication:
                do { self = .setupCommunication(try S7Negotiation(parameters: parameters)) } catch {
                    throw malformed("setup communication needs 8 parameter bytes, got \(parameters.count)")
                }
            case .readVariable:
                let count = try Self.itemCount(parameters, reference: reference)
                self = .readVariables(
                    (0..<count).map { index in
                        Result { () throws(S7ItemError) in
                            try S7VariableAddress(parsing: parameters, at: 2 + index * S7VariableAddress.encodedSize)
                        }
                    })
            case .writeVariable:
                let count = try Self.itemCount(parameters, reference: reference)
                self = .writeVariables(try Self.writeItems(count: count, pdu: pdu))
            case .plcStop:
                self = .plcStop
            case .plcControl:
                self = .plcControl(try Self.plcControl(parameters, reference: reference))
            default:
                self = .unsupported(function: code)
            }
        case .ack, .ackData:
            throw malformed("a client sends jobs and user data, not acknowledgements")
        }
    }

    private static func itemCount(_ parameters: [UInt8], reference: UInt16) throws(S7ParseError) -> Int {
        guard parameters.count >= 2 else {
            throw .malformed(
                reference: reference, "read/write job of \(parameters.count) parameter bytes has no item count")
        }
        let count = Int(parameters[1])
        guard count >= 1, parameters.count == 2 + count * S7VariableAddress.encodedSize else {
            throw .malformed(
                reference: reference,
                "read/write job announces \(count) items in \(parameters.count) parameter bytes")
        }
        return count
    }

    private static func writeItems(count: Int, pdu: S7PDU) throws(S7ParseError) -> [Result<S7WriteItem, S7ItemError>] {
        var items: [Result<S7WriteItem, S7ItemError>] = []
        var offset = 0
        let data = pdu.data
        for index in 0..<count {
            guard offset + 4 <= data.count else {
                throw .malformed(reference: pdu.reference, "write job: data of item \(index + 1) is missing")
            }
            let size = S7DataTransportSize(rawValue: data[offset + 1])
            let length = Int(data.bigEndianUInt16(at: offset + 2))
            let byteCount = size?.lengthInBits == true ? (length + 7) / 8 : length
            guard offset + 4 + byteCount <= data.count else {
                throw .malformed(reference: pdu.reference, "write job: data of item \(index + 1) runs past the PDU")
            }
            let bytes = Array(data[(offset + 4)..<(offset + 4 + byteCount)])
            offset += 4 + byteCount
            if byteCount % 2 == 1, index < count - 1 { offset += 1 }
            let address = Result { () throws(S7ItemError) in
                try S7VariableAddress(parsing: pdu.parameters, at: 2 + index * S7VariableAddress.encodedSize)
            }
            items.append(address.map { S7WriteItem(address: $0, data: bytes) })
        }
        return items
    }

    private static func plcControl(_ parameters: [UInt8], reference: UInt16) throws(S7ParseError) -> S7PLCControl {
        // 28 | 7 bytes (…FD) | argument length (2) | argument | service length (1) | service name
        guard parameters.count >= 11 else {
            throw .malformed(reference: reference, "PLC control needs at least 11 parameter bytes")
        }
        let argumentLength = Int(parameters.bigEndianUInt16(at: 8))
        let nameAt = 10 + argumentLength
        guard nameAt < parameters.count else {
            throw .malformed(reference: reference, "PLC control argument runs past the parameters")
        }
        let nameLength = Int(parameters[nameAt])
        guard nameAt + 1 + nameLength <= parameters.count else {
            throw .malformed(reference: reference, "PLC control service name runs past the parameters")
        }
        let name = String(decoding: parameters[(nameAt + 1)..<(nameAt + 1 + nameLength)], as: UTF8.self)
        return S7PLCControl(service: name, argument: Array(parameters[10..<nameAt]))
    }
}

extension S7Request {
    /// The parameter section of a read job.
    public static func readParameters(_ items: [S7VariableAddress]) -> [UInt8] {
        [S7Function.readVariable.rawValue, UInt8(items.count)] + items.flatMap { $0.encoded() }
    }

    /// The parameter and data sections of a write job.
    public static func writeSections(_ items: [S7WriteItem]) -> (parameters: [UInt8], data: [UInt8]) {
        let parameters =
            [S7Function.writeVariable.rawValue, UInt8(items.count)] + items.flatMap { $0.address.encoded() }
        var data: [UInt8] = []
        for (index, item) in items.enumerated() {
            let size: S7DataTransportSize =
                switch item.address.transportSize {
                case .bit: .bit
                case .byte, .word, .dword: .byteWordDWord
                case .int, .dint: .integer
                case .real: .real
                default: .octetString
                }
            data += [0x00, size.rawValue]
            data.appendBigEndian(UInt16(clamping: size.lengthInBits ? item.data.count * 8 : item.data.count))
            data += item.data
            if item.data.count % 2 == 1, index < items.count - 1 { data.append(0) }
        }
        return (parameters, data)
    }

    /// The parameters of PLC stop (`P_PROGRAM`).
    public static let plcStopParameters: [UInt8] = [0x29, 0, 0, 0, 0, 0, 9] + Array("P_PROGRAM".utf8)

    /// The parameters of a hot (warm) start, or with `cold` of a cold start.
    public static func plcStartParameters(cold: Bool) -> [UInt8] {
        let argument: [UInt8] = cold ? [0x43, 0x20] : []
        return [0x28, 0, 0, 0, 0, 0, 0, 0xFD, 0, UInt8(argument.count)] + argument + [9] + Array("P_PROGRAM".utf8)
    }
}
