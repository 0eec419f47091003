/// One RFC 1006 TPKT frame: a 4-byte header (version 3, reserved 0, big-endian length of the whole frame) and the
/// COTP TPDU it carries.
///
/// Example: a COTP DT with the 3-byte payload `AA BB CC` is framed as `03 00 00 0A 02 F0 80 AA BB CC`.
public struct TPKTFrame: Hashable, Sendable {
    public static let version: UInt8 = 3
    public static let headerSize = 4
    /// RFC 1006: the shortest valid frame is the header plus a 3-byte TPDU.
    public static let minimumLength = 7
    public static let maximumPayloadSize = Int(UInt16.max) - headerSize

    /// The COTP TPDU, without the TPKT header.
    public var payload: [UInt8]

    public init(payload: [UInt8]) {
        self.payload = payload
    }

    /// The frame on the wire. The payload must not exceed `maximumPayloadSize`; COTP TPDUs (at most 8 KiB) never do.
    public func encoded() -> [UInt8] {
        precondition(payload.count <= Self.maximumPayloadSize, "TPKT payload of \(payload.count) bytes is too large")
        let length = UInt16(payload.count + Self.headerSize)
        return [Self.version, 0, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
    }
}

/// A byte stream that is not a sequence of TPKT frames; the connection cannot be resynchronised and must be closed.
public enum TPKTError: Error, Hashable, Sendable, CustomStringConvertible {
    case unsupportedVersion(UInt8)
    /// The length field is below the 7-byte minimum.
    case invalidLength(Int)

    public var description: String {
        switch self {
        case .unsupportedVersion(let version): "TPKT version \(version) is not 3"
        case .invalidLength(let length): "TPKT length \(length) is below the minimum of \(TPKTFrame.minimumLength)"
        }
    }
}
