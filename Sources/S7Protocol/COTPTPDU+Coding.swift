/// Why bytes are not a valid class 0 TPDU. Each maps to the reject cause an ER reports.
public enum COTPParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Fewer than the two bytes of LI and type code.
    case truncated(byteCount: Int)
    /// The LI announces a header longer than the bytes present.
    case lengthIndicatorBeyondData(lengthIndicator: Int, byteCount: Int)
    /// A type code class 0 does not use (ED, AK, EA, RJ) or that does not exist.
    case unsupportedType(code: UInt8)
    /// The LI is too small for the fixed part of the TPDU type (or, for a DT, not 2).
    case invalidHeaderLength(tpdu: String, lengthIndicator: Int)
    /// A parameter's length runs past the header.
    case truncatedParameter(code: UInt8, offset: Int)
    /// A known parameter with a value of the wrong length or out of range (a TPDU size code outside 0x07...0x0D).
    case invalidParameterValue(code: UInt8)
    /// Data after the header of a TPDU that carries none in class 0 (CR, CC, DC, ER).
    case unexpectedUserData(tpdu: String, byteCount: Int)

    /// The cause to report in an ER.
    public var rejectCause: COTPErrorTPDU.Cause {
        switch self {
        case .unsupportedType: .invalidTPDUType
        case .invalidParameterValue: .invalidParameterValue
        case .truncatedParameter: .invalidParameterCode
        case .truncated, .lengthIndicatorBeyondData, .invalidHeaderLength, .unexpectedUserData: .notSpecified
        }
    }

    public var description: String {
        switch self {
        case .truncated(let count): "COTP TPDU of \(count) bytes is too short"
        case .lengthIndicatorBeyondData(let li, let count):
            "COTP length indicator \(li) exceeds the \(count - 1) bytes after it"
        case .unsupportedType(let code): "COTP TPDU type 0x\(hex(code)) is not supported in class 0"
        case .invalidHeaderLength(let tpdu, let li): "COTP \(tpdu) with invalid length indicator \(li)"
        case .truncatedParameter(let code, let offset):
            "COTP parameter 0x\(hex(code)) at offset \(offset) runs past the header"
        case .invalidParameterValue(let code): "COTP parameter 0x\(hex(code)) has an invalid value"
        case .unexpectedUserData(let tpdu, let count): "COTP \(tpdu) carries \(count) unexpected bytes of user data"
        }
    }
}

func hex(_ byte: UInt8) -> String {
    String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
}

extension COTPTPDU {
    /// Parses one TPDU: the whole payload of one TPKT frame.
    public init(parsing bytes: [UInt8]) throws(COTPParseError) {
        guard bytes.count >= 2 else { throw .truncated(byteCount: bytes.count) }
        let lengthIndicator = Int(bytes[0])
        let headerEnd = lengthIndicator + 1
        guard headerEnd <= bytes.count else {
            throw .lengthIndicatorBeyondData(lengthIndicator: lengthIndicator, byteCount: bytes.count)
        }
        let code = bytes[1]
        let reader = HeaderReader(bytes: bytes, headerEnd: headerEnd)

        func requireHeader(_ tpdu: String, minimum: Int) throws(COTPParseError) {
            guard lengthIndicator >= minimum else {
                throw .invalidHeaderLength(tpdu: tpdu, lengthIndicator: lengthIndicator)
            }
        }
        func requireNoUserData(_ tpdu: String) throws(COTPParseError) {
            guard headerEnd == bytes.count else {
                throw .unexpectedUserData(tpdu: tpdu, byteCount: bytes.count - headerEnd)
            }
        }

        switch code & 0xF0 {
        case Self.connectionRequestCode, Self.connectionConfirmCode:
            let isRequest = code & 0xF0 == Self.connectionRequestCode
            let name = isRequest ? "CR" : "CC"
            try requireHeader(name, minimum: 6)
            let tpdu = COTPConnectionTPDU(
                destinationReference: reader.word(at: 2), sourceReference: reader.word(at: 4),
                classOption: bytes[6], parameters: try reader.parameters(from: 7))
            if let size = tpdu.parameters.value(of: COTPParameter.tpduSizeCode),
                size.count != 1 || COTPTPDUSize(code: size[0]) == nil
            {
                throw .invalidParameterValue(code: COTPParameter.tpduSizeCode)
            }
            try requireNoUserData(name)
            self = isRequest ? .connectionRequest(tpdu) : .connectionConfirm(tpdu)
        case Self.dataCode:
            guard lengthIndicator == 2 else { throw .invalidHeaderLength(tpdu: "DT", lengthIndicator: lengthIndicator) }
            self = .data(
                COTPDataTPDU(
                    isEndOfTSDU: bytes[2] & 0x80 != 0, number: bytes[2] & 0x7F, payload: Array(bytes[headerEnd...])))
        case Self.disconnectRequestCode:
            try requireHeader("DR", minimum: 6)
            self = .disconnectRequest(
                COTPDisconnectTPDU(
                    destinationReference: reader.word(at: 2), sourceReference: reader.word(at: 4), reason: bytes[6],
                    parameters: try reader.parameters(from: 7), userData: Array(bytes[headerEnd...])))
        case Self.disconnectConfirmCode:
            try requireHeader("DC", minimum: 5)
            try requireNoUserData("DC")
            self = .disconnectConfirm(destinationReference: reader.word(at: 2), sourceReference: reader.word(at: 4))
        case Self.errorCode:
            try requireHeader("ER", minimum: 4)
            let parameters = try reader.parameters(from: 5)
            try requireNoUserData("ER")
            self = .error(
                COTPErrorTPDU(destinationReference: reader.word(at: 2), rawCause: bytes[4], parameters: parameters))
        default:
            throw .unsupportedType(code: code)
        }
    }

    /// The TPDU on the wire, ready to be framed in TPKT.
    public func encoded() -> [UInt8] {
        var header: [UInt8]
        var data: [UInt8] = []
        switch self {
        case .connectionRequest(let tpdu), .connectionConfirm(let tpdu):
            let code =
                if case .connectionRequest = self { Self.connectionRequestCode } else { Self.connectionConfirmCode }
            header =
                [code] + bigEndian(tpdu.destinationReference) + bigEndian(tpdu.sourceReference) + [tpdu.classOption]
            header += encode(tpdu.parameters)
        case .data(let tpdu):
            header = [Self.dataCode, (tpdu.isEndOfTSDU ? 0x80 : 0) | tpdu.number]
            data = tpdu.payload
        case .disconnectRequest(let tpdu):
            header = [Self.disconnectRequestCode] + bigEndian(tpdu.destinationReference)
            header += bigEndian(tpdu.sourceReference) + [tpdu.reason] + encode(tpdu.parameters)
            data = tpdu.userData
        case .disconnectConfirm(let destination, let source):
            header = [Self.disconnectConfirmCode] + bigEndian(destination) + bigEndian(source)
        case .error(let tpdu):
            header = [Self.errorCode] + bigEndian(tpdu.destinationReference) + [tpdu.cause] + encode(tpdu.parameters)
        }
        precondition(header.count < 255, "COTP header of \(header.count) bytes does not fit the length indicator")
        return [UInt8(header.count)] + header + data
    }
}

private func bigEndian(_ value: UInt16) -> [UInt8] {
    [UInt8(value >> 8), UInt8(value & 0xFF)]
}

private func encode(_ parameters: [COTPParameter]) -> [UInt8] {
    parameters.flatMap { parameter in
        precondition(parameter.value.count <= 255, "COTP parameter value longer than 255 bytes")
        return [parameter.code, UInt8(parameter.value.count)] + parameter.value
    }
}

/// Reads the fixed part and parameters of a header whose length the LI has already validated.
private struct HeaderReader {
    let bytes: [UInt8]
    let headerEnd: Int

    func word(at offset: Int) -> UInt16 {
        UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    func parameters(from start: Int) throws(COTPParseError) -> [COTPParameter] {
        var parameters: [COTPParameter] = []
        var offset = start
        while offset < headerEnd {
            let code = bytes[offset]
            guard offset + 2 <= headerEnd, offset + 2 + Int(bytes[offset + 1]) <= headerEnd else {
                throw .truncatedParameter(code: code, offset: offset)
            }
            let end = offset + 2 + Int(bytes[offset + 1])
            parameters.append(COTPParameter(code: code, value: Array(bytes[offset + 2..<end])))
            offset = end
        }
        return parameters
    }
}
