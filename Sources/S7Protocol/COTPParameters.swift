/// A variable-part parameter of a COTP TPDU: code, length byte, value.
public struct COTPParameter: Hashable, Sendable {
    /// TPDU size (CR, CC).
    public static let tpduSizeCode: UInt8 = 0xC0
    /// Calling TSAP, the connecting side's (CR, CC).
    public static let callingTSAPCode: UInt8 = 0xC1
    /// Called TSAP, the listening side's (CR, CC).
    public static let calledTSAPCode: UInt8 = 0xC2
    /// In an ER TPDU: the header of the rejected TPDU, up to the byte that caused the rejection.
    public static let invalidTPDUCode: UInt8 = 0xC1

    public var code: UInt8
    public var value: [UInt8]

    public init(code: UInt8, value: [UInt8]) {
        self.code = code
        self.value = value
    }
}

/// The negotiated maximum TPDU size, coded as a power of two: code 0x0A is 1024 bytes.
/// Class 0 allows 128 (0x07) to 2048 (0x0B); codes up to 8192 (0x0D) are accepted because peers send them.
public struct COTPTPDUSize: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let code: UInt8

    /// The size for a code in 0x07...0x0D.
    public init?(code: UInt8) {
        guard (0x07...0x0D).contains(code) else { return nil }
        self.code = code
    }

    /// The size of `byteCount` bytes, which must be a power of two in 128...8192.
    public init?(byteCount: Int) {
        guard byteCount > 0, byteCount & (byteCount - 1) == 0 else { return nil }
        self.init(code: UInt8(byteCount.trailingZeroBitCount))
    }

    /// The default when a CR carries no TPDU size parameter (ISO 8073).
    public static let bytes128 = COTPTPDUSize(code: 0x07)!
    /// What S7 clients request and S7-1200/1500 CPUs grant.
    public static let bytes1024 = COTPTPDUSize(code: 0x0A)!

    public var byteCount: Int { 1 << Int(code) }
    public var description: String { "\(byteCount)" }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.code < rhs.code }
}

/// A transport service access point. S7 uses two bytes: the connection type, then `rack * 32 + slot`.
///
/// Example: a PG connection to rack 0, slot 1 is `01 01`; an OP connection to rack 1, slot 2 is `02 22`.
/// Other peers use text TSAPs (`SIMATIC-ROOT-HMI`), which have no rack or slot.
public struct TSAP: Hashable, Sendable, CustomStringConvertible {
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// An S7 TSAP; `rack` must be in 0...7 and `slot` in 0...31.
    public init(connectionType: S7ConnectionType, rack: Int, slot: Int) {
        precondition((0...7).contains(rack) && (0...31).contains(slot), "rack 0...7, slot 0...31")
        bytes = [connectionType.rawValue, UInt8(rack * 32 + slot)]
    }

    /// The connection type of a two-byte TSAP.
    public var connectionType: S7ConnectionType? {
        bytes.count == 2 ? S7ConnectionType(rawValue: bytes[0]) : nil
    }

    /// Rack (0...7) of a two-byte TSAP.
    public var rack: Int? { bytes.count == 2 ? Int(bytes[1] >> 5) : nil }
    /// Slot (0...31) of a two-byte TSAP.
    public var slot: Int? { bytes.count == 2 ? Int(bytes[1] & 0x1F) : nil }

    /// `01.01` for two bytes, the bytes in hex otherwise.
    public var description: String {
        bytes.map { byte in String(byte, radix: 16, uppercase: true).leftPadded(to: 2) }.joined(separator: ".")
    }
}

/// The first byte of an S7 TSAP.
public struct S7ConnectionType: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// Programming device (the default of snap7 and most tools).
    public static let pg = S7ConnectionType(rawValue: 0x01)
    /// Operator panel.
    public static let op = S7ConnectionType(rawValue: 0x02)
    /// S7 basic communication (0x03 to 0x10 are used).
    public static let s7Basic = S7ConnectionType(rawValue: 0x03)
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

extension [COTPParameter] {
    /// The value of the first parameter with `code`.
    func value(of code: UInt8) -> [UInt8]? {
        first { $0.code == code }?.value
    }

    /// Sets the value of the first parameter with `code`, appending one if there is none.
    mutating func set(_ code: UInt8, to value: [UInt8]?) {
        let index = firstIndex { $0.code == code }
        switch (index, value) {
        case (let index?, let value?): self[index].value = value
        case (let index?, nil): remove(at: index)
        case (nil, let value?): append(COTPParameter(code: code, value: value))
        case (nil, nil): break
        }
    }
}
