/// The message types of S7comm (the header's ROSCTR byte).
public enum S7MessageType: UInt8, Hashable, Sendable {
    /// A request from the client: setup communication, read/write variables, PLC control.
    case job = 0x01
    /// An acknowledgement without data (errors, some controls).
    case ack = 0x02
    /// An acknowledgement with parameters and data (the answer to a job).
    case ackData = 0x03
    /// A user-data request or answer: SZL, block directory, clock.
    case userData = 0x07
}

/// One S7comm PDU: the header, the parameter section and the data section, as carried in one COTP TSDU.
///
/// ```
/// 32 | ROSCTR | 00 00 | reference (2) | parameter length (2) | data length (2) | [error class, code] | parameters | data
/// ```
/// The two error bytes exist only in `ack` and `ackData` PDUs (a 12-byte header); `job` and `userData` have 10.
public struct S7PDU: Hashable, Sendable {
    public static let protocolID: UInt8 = 0x32

    public var type: S7MessageType
    /// The PDU reference the client chose; the answer echoes it.
    public var reference: UInt16
    public var parameters: [UInt8]
    public var data: [UInt8]
    /// Error class (high byte) and code (low byte) of an acknowledgement; 0 is success.
    public var error: UInt16

    public init(type: S7MessageType, reference: UInt16, parameters: [UInt8], data: [UInt8] = [], error: UInt16 = 0) {
        self.type = type
        self.reference = reference
        self.parameters = parameters
        self.data = data
        self.error = error
    }

    /// The header size of a PDU of `type`.
    public static func headerSize(of type: S7MessageType) -> Int {
        type == .ack || type == .ackData ? 12 : 10
    }

    /// Parses one PDU; the declared section lengths must add up to exactly `bytes.count`.
    public init(parsing bytes: [UInt8]) throws(S7ParseError) {
        guard bytes.count >= 10 else { throw .tooShort(byteCount: bytes.count, needed: 10) }
        guard bytes[0] == Self.protocolID else { throw .notS7(protocolID: bytes[0]) }
        guard let type = S7MessageType(rawValue: bytes[1]) else { throw .unknownMessageType(bytes[1]) }
        let header = Self.headerSize(of: type)
        guard bytes.count >= header else { throw .tooShort(byteCount: bytes.count, needed: header) }
        let reference = UInt16(bytes[4]) << 8 | UInt16(bytes[5])
        let parameterLength = Int(bytes[6]) << 8 | Int(bytes[7])
        let dataLength = Int(bytes[8]) << 8 | Int(bytes[9])
        guard header + parameterLength + dataLength == bytes.count else {
            throw .lengthMismatch(
                reference: reference, declared: header + parameterLength + dataLength, actual: bytes.count)
        }
        self.type = type
        self.reference = reference
        error = header == 12 ? UInt16(bytes[10]) << 8 | UInt16(bytes[11]) : 0
        parameters = Array(bytes[header..<(header + parameterLength)])
        data = Array(bytes[(header + parameterLength)...])
    }

    /// The PDU on the wire. Sections longer than 65535 bytes cannot be framed and are a programming error.
    public func encoded() -> [UInt8] {
        precondition(parameters.count <= 0xFFFF && data.count <= 0xFFFF, "S7 PDU section too large")
        var bytes: [UInt8] = [Self.protocolID, type.rawValue, 0, 0]
        bytes.reserveCapacity(12 + parameters.count + data.count)
        bytes.appendBigEndian(reference)
        bytes.appendBigEndian(UInt16(parameters.count))
        bytes.appendBigEndian(UInt16(data.count))
        if Self.headerSize(of: type) == 12 { bytes.appendBigEndian(error) }
        bytes += parameters
        bytes += data
        return bytes
    }
}

/// Bytes that are not the S7 PDU they claim to be.
public enum S7ParseError: Error, Hashable, Sendable, CustomStringConvertible {
    case tooShort(byteCount: Int, needed: Int)
    case notS7(protocolID: UInt8)
    case unknownMessageType(UInt8)
    /// The header's lengths do not match the PDU; the reference is known, so the job can be refused by it.
    case lengthMismatch(reference: UInt16, declared: Int, actual: Int)
    /// A parameter or data section that does not hold what its function needs.
    case malformed(reference: UInt16, String)

    public var description: String {
        switch self {
        case .tooShort(let count, let needed): "S7 PDU of \(count) bytes is shorter than \(needed)"
        case .notS7(let id): "protocol id 0x\(hex(id)) is not S7comm (0x32)"
        case .unknownMessageType(let type): "unknown S7 message type 0x\(hex(type))"
        case .lengthMismatch(_, let declared, let actual):
            "S7 header declares \(declared) bytes but the PDU has \(actual)"
        case .malformed(_, let reason): reason
        }
    }

    /// The PDU reference, when the header could be read.
    public var reference: UInt16? {
        switch self {
        case .lengthMismatch(let reference, _, _), .malformed(let reference, _): reference
        default: nil
        }
    }
}

/// Error class and code pairs of an S7 acknowledgement header (class in the high byte).
public enum S7HeaderError {
    public static let none: UInt16 = 0x0000
    /// The service is not implemented on the module, or a frame error was reported.
    public static let serviceNotImplemented: UInt16 = 0x8104
    /// The function cannot be performed in the object's current state.
    public static let cannotPerform: UInt16 = 0x8404
    /// Wrong frames (more items than the PDU can hold, an answer that would not fit).
    public static let wrongFrames: UInt16 = 0x8500
}

/// The return code of one item of a read or write, and of a user-data answer.
public enum S7ReturnCode: UInt8, Error, Hashable, Sendable, CustomStringConvertible {
    case reserved = 0x00
    case hardwareError = 0x01
    case accessDenied = 0x03
    case addressOutOfRange = 0x05
    case dataTypeNotSupported = 0x06
    case dataTypeInconsistent = 0x07
    case objectDoesNotExist = 0x0A
    case success = 0xFF

    public var description: String {
        switch self {
        case .reserved: "reserved"
        case .hardwareError: "hardware error"
        case .accessDenied: "access to the object not allowed"
        case .addressOutOfRange: "address out of range"
        case .dataTypeNotSupported: "data type not supported"
        case .dataTypeInconsistent: "data type inconsistent"
        case .objectDoesNotExist: "object does not exist"
        case .success: "success"
        }
    }
}

extension [UInt8] {
    mutating func appendBigEndian(_ value: UInt16) {
        append(UInt8(value >> 8))
        append(UInt8(value & 0xFF))
    }

    mutating func appendBigEndian(_ value: UInt32) {
        append(UInt8(value >> 24))
        append(UInt8((value >> 16) & 0xFF))
        append(UInt8((value >> 8) & 0xFF))
        append(UInt8(value & 0xFF))
    }

    func bigEndianUInt16(at offset: Int) -> UInt16 {
        UInt16(self[offset]) << 8 | UInt16(self[offset + 1])
    }

    func bigEndianUInt32(at offset: Int) -> UInt32 {
        UInt32(bigEndianUInt16(at: offset)) << 16 | UInt32(bigEndianUInt16(at: offset + 2))
    }
}
