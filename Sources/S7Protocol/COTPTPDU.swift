/// A COTP (ISO 8073 class 0) transport protocol data unit, as carried in one TPKT frame.
///
/// Every TPDU starts with a length indicator (LI, the header length excluding the LI byte) and a type code.
/// Examples of the bytes after the TPKT header:
///
/// - CR to rack 0, slot 1 (python-snap7): `11 E0 00 00 00 01 00 C1 02 01 00 C2 02 01 01 C0 01 0A`
/// - DT, last segment, carrying `32 01 …`: `02 F0 80 32 01 …`
/// - DR, normal: `06 80 00 01 00 02 80`
public enum COTPTPDU: Hashable, Sendable {
    /// CR, 0xE0.
    case connectionRequest(COTPConnectionTPDU)
    /// CC, 0xD0.
    case connectionConfirm(COTPConnectionTPDU)
    /// DT, 0xF0.
    case data(COTPDataTPDU)
    /// DR, 0x80.
    case disconnectRequest(COTPDisconnectTPDU)
    /// DC, 0xC0 (not used in class 0, parsed for completeness).
    case disconnectConfirm(destinationReference: UInt16, sourceReference: UInt16)
    /// ER, 0x70.
    case error(COTPErrorTPDU)

    public static let connectionRequestCode: UInt8 = 0xE0
    public static let connectionConfirmCode: UInt8 = 0xD0
    public static let dataCode: UInt8 = 0xF0
    public static let disconnectRequestCode: UInt8 = 0x80
    public static let disconnectConfirmCode: UInt8 = 0xC0
    public static let errorCode: UInt8 = 0x70

    /// The short name used in logs and errors: "CR", "CC", "DT", "DR", "DC", "ER".
    public var name: String {
        switch self {
        case .connectionRequest: "CR"
        case .connectionConfirm: "CC"
        case .data: "DT"
        case .disconnectRequest: "DR"
        case .disconnectConfirm: "DC"
        case .error: "ER"
        }
    }
}

/// The fixed part and parameters of a CR or CC.
public struct COTPConnectionTPDU: Hashable, Sendable {
    /// 0 in a CR; in a CC, the source reference of the CR being confirmed.
    public var destinationReference: UInt16
    public var sourceReference: UInt16
    /// Class in the high nibble (0 here), options in the low nibble.
    public var classOption: UInt8
    /// In the order received or to be sent.
    public var parameters: [COTPParameter]

    public init(
        destinationReference: UInt16, sourceReference: UInt16, classOption: UInt8 = 0,
        parameters: [COTPParameter] = []
    ) {
        self.destinationReference = destinationReference
        self.sourceReference = sourceReference
        self.classOption = classOption
        self.parameters = parameters
    }

    /// A TPDU with the S7 parameters in the order python-snap7 sends them: calling TSAP, called TSAP, TPDU size.
    public init(
        destinationReference: UInt16, sourceReference: UInt16, callingTSAP: TSAP?, calledTSAP: TSAP?,
        tpduSize: COTPTPDUSize?
    ) {
        self.init(destinationReference: destinationReference, sourceReference: sourceReference)
        self.callingTSAP = callingTSAP
        self.calledTSAP = calledTSAP
        self.tpduSize = tpduSize
    }

    public var protocolClass: UInt8 { classOption >> 4 }

    /// The TPDU size parameter; nil if absent or not a valid size code.
    public var tpduSize: COTPTPDUSize? {
        get {
            parameters.value(of: COTPParameter.tpduSizeCode).flatMap { $0.count == 1 ? COTPTPDUSize(code: $0[0]) : nil }
        }
        set { parameters.set(COTPParameter.tpduSizeCode, to: newValue.map { [$0.code] }) }
    }

    public var callingTSAP: TSAP? {
        get { parameters.value(of: COTPParameter.callingTSAPCode).map(TSAP.init(bytes:)) }
        set { parameters.set(COTPParameter.callingTSAPCode, to: newValue?.bytes) }
    }

    public var calledTSAP: TSAP? {
        get { parameters.value(of: COTPParameter.calledTSAPCode).map(TSAP.init(bytes:)) }
        set { parameters.set(COTPParameter.calledTSAPCode, to: newValue?.bytes) }
    }
}

/// A class 0 DT: a segment of a TSDU (an S7 PDU), the last one flagged with EOT.
public struct COTPDataTPDU: Hashable, Sendable {
    /// Set on the last segment of a TSDU.
    public var isEndOfTSDU: Bool
    /// 0...127; class 0 peers send 0 and receivers ignore it.
    public var number: UInt8
    public var payload: [UInt8]

    public init(isEndOfTSDU: Bool = true, number: UInt8 = 0, payload: [UInt8]) {
        precondition(number < 0x80, "TPDU number is 7 bits")
        self.isEndOfTSDU = isEndOfTSDU
        self.number = number
        self.payload = payload
    }

    /// Header bytes of a class 0 DT (LI, code, EOT/number).
    public static let headerSize = 3

    /// `payload` cut into DTs that each fit `tpduSize`, the last flagged EOT. An empty payload gives one empty DT.
    ///
    /// Example: 2000 bytes at TPDU size 1024 give DTs of 1021 and 979 bytes.
    public static func segments(of payload: [UInt8], tpduSize: COTPTPDUSize) -> [COTPDataTPDU] {
        let chunk = tpduSize.byteCount - headerSize
        guard !payload.isEmpty else { return [COTPDataTPDU(payload: [])] }
        return stride(from: 0, to: payload.count, by: chunk).map { start in
            let end = min(start + chunk, payload.count)
            return COTPDataTPDU(isEndOfTSDU: end == payload.count, payload: Array(payload[start..<end]))
        }
    }
}

/// A DR. python-snap7 appends one byte after the header, which is kept as `userData`.
public struct COTPDisconnectTPDU: Hashable, Sendable {
    public var destinationReference: UInt16
    public var sourceReference: UInt16
    /// 0x80 normal disconnect initiated by the session entity, 0x00 reason not specified, 0x01 congestion, ...
    public var reason: UInt8
    public var parameters: [COTPParameter]
    public var userData: [UInt8]

    public static let normalReason: UInt8 = 0x80

    public init(
        destinationReference: UInt16, sourceReference: UInt16, reason: UInt8 = Self.normalReason,
        parameters: [COTPParameter] = [], userData: [UInt8] = []
    ) {
        self.destinationReference = destinationReference
        self.sourceReference = sourceReference
        self.reason = reason
        self.parameters = parameters
        self.userData = userData
    }
}

/// An ER: the receiver rejects a TPDU it cannot accept.
public struct COTPErrorTPDU: Hashable, Sendable {
    public enum Cause: UInt8, Hashable, Sendable {
        case notSpecified = 0
        case invalidParameterCode = 1
        case invalidTPDUType = 2
        case invalidParameterValue = 3
    }

    public var destinationReference: UInt16
    public var cause: UInt8
    public var parameters: [COTPParameter]

    public init(destinationReference: UInt16, cause: Cause, invalidTPDU: [UInt8]? = nil) {
        self.init(destinationReference: destinationReference, rawCause: cause.rawValue, parameters: [])
        if let invalidTPDU {
            // The parameter value is at most 255 bytes; the LI (255 at most) bounds the whole header anyway.
            parameters = [COTPParameter(code: COTPParameter.invalidTPDUCode, value: Array(invalidTPDU.prefix(200)))]
        }
    }

    public init(destinationReference: UInt16, rawCause: UInt8, parameters: [COTPParameter]) {
        self.destinationReference = destinationReference
        self.cause = rawCause
        self.parameters = parameters
    }

    /// The header bits of the rejected TPDU, if the sender included them.
    public var invalidTPDU: [UInt8]? { parameters.value(of: COTPParameter.invalidTPDUCode) }
}
