import S7Protocol
import Testing

@Suite("COTP TPDUs")
struct COTPTPDUTests {
    /// What python-snap7 3.x sends to connect to rack 0, slot 1: TSAPs first, then the TPDU size.
    static let snap7ConnectionRequest: [UInt8] = [
        0x11, 0xE0, 0x00, 0x00, 0x00, 0x01, 0x00,
        0xC1, 0x02, 0x01, 0x00, 0xC2, 0x02, 0x01, 0x01, 0xC0, 0x01, 0x0A,
    ]

    @Test func snap7ConnectionRequestDecodesToRackAndSlot() throws {
        let frame: [UInt8] = [0x03, 0x00, 0x00, 0x16] + Self.snap7ConnectionRequest
        var buffer = frame
        guard case .frame(let tpkt) = try TPKTFrameDecoder().decode(&buffer) else {
            Issue.record("no frame")
            return
        }
        guard case .connectionRequest(let request) = try COTPTPDU(parsing: tpkt.payload) else {
            Issue.record("not a CR")
            return
        }
        #expect(request.destinationReference == 0)
        #expect(request.sourceReference == 1)
        #expect(request.protocolClass == 0)
        #expect(request.tpduSize == .bytes1024)
        #expect(request.tpduSize?.byteCount == 1024)
        #expect(request.callingTSAP == TSAP(bytes: [0x01, 0x00]))
        #expect(request.calledTSAP?.connectionType == .pg)
        #expect(request.calledTSAP?.rack == 0)
        #expect(request.calledTSAP?.slot == 1)
        #expect(request.calledTSAP?.description == "01.01")
        // Re-encoding keeps the parameter order.
        #expect(COTPTPDU.connectionRequest(request).encoded() == Self.snap7ConnectionRequest)
    }

    @Test func connectionRequestInSizeFirstOrderParsesTheSame() throws {
        let bytes: [UInt8] = [
            0x11, 0xE0, 0x00, 0x00, 0x00, 0x01, 0x00,
            0xC0, 0x01, 0x0A, 0xC1, 0x02, 0x01, 0x00, 0xC2, 0x02, 0x01, 0x01,
        ]
        guard case .connectionRequest(let request) = try COTPTPDU(parsing: bytes) else {
            Issue.record("not a CR")
            return
        }
        #expect(request.tpduSize == .bytes1024)
        #expect(request.calledTSAP == TSAP(connectionType: .pg, rack: 0, slot: 1))
    }

    @Test func tsapEncodesRackTimes32PlusSlot() {
        let tsap = TSAP(connectionType: .op, rack: 1, slot: 2)
        #expect(tsap.bytes == [0x02, 0x22])
        #expect(tsap.rack == 1 && tsap.slot == 2)
        let text = TSAP(bytes: Array("SIMATIC-ROOT-HMI".utf8))
        #expect(text.rack == nil && text.slot == nil && text.connectionType == nil)
    }

    @Test func dataTPDURoundTripsWithEOTAndNumber() throws {
        let bytes: [UInt8] = [0x02, 0xF0, 0x80, 0x32, 0x01, 0x00]
        #expect(try COTPTPDU(parsing: bytes) == .data(COTPDataTPDU(payload: [0x32, 0x01, 0x00])))
        let middle = COTPTPDU.data(COTPDataTPDU(isEndOfTSDU: false, number: 5, payload: [9]))
        #expect(middle.encoded() == [0x02, 0xF0, 0x05, 0x09])
        #expect(try COTPTPDU(parsing: middle.encoded()) == middle)
    }

    @Test func snap7DisconnectRequestKeepsItsTrailingByte() throws {
        let bytes: [UInt8] = [0x06, 0x80, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]
        let expected = COTPTPDU.disconnectRequest(
            COTPDisconnectTPDU(destinationReference: 1, sourceReference: 1, reason: 0, userData: [0]))
        #expect(try COTPTPDU(parsing: bytes) == expected)
        #expect(expected.encoded() == bytes)
    }

    @Test func confirmAndErrorRoundTrip() throws {
        let confirm = COTPTPDU.connectionConfirm(
            COTPConnectionTPDU(
                destinationReference: 1, sourceReference: 0x44, callingTSAP: TSAP(bytes: [1, 0]),
                calledTSAP: TSAP(bytes: [1, 1]), tpduSize: .bytes1024))
        #expect(
            confirm.encoded() == [
                0x11, 0xD0, 0x00, 0x01, 0x00, 0x44, 0x00, 0xC1, 0x02, 0x01, 0x00, 0xC2, 0x02, 0x01, 0x01, 0xC0, 0x01,
                0x0A,
            ])
        #expect(try COTPTPDU(parsing: confirm.encoded()) == confirm)
        let error = COTPTPDU.error(
            COTPErrorTPDU(destinationReference: 1, cause: .invalidTPDUType, invalidTPDU: [2, 0x10]))
        #expect(error.encoded() == [0x08, 0x70, 0x00, 0x01, 0x02, 0xC1, 0x02, 0x02, 0x10])
        #expect(try COTPTPDU(parsing: error.encoded()) == error)
        let dc = COTPTPDU.disconnectConfirm(destinationReference: 1, sourceReference: 2)
        #expect(try COTPTPDU(parsing: dc.encoded()) == dc)
    }

    @Test(arguments: [
        ([UInt8]([0x02]), COTPParseError.truncated(byteCount: 1)),
        ([0x11, 0xE0, 0x00], .lengthIndicatorBeyondData(lengthIndicator: 17, byteCount: 3)),
        ([0x02, 0x10, 0x80], .unsupportedType(code: 0x10)),
        ([0x03, 0xF0, 0x80, 0x00], .invalidHeaderLength(tpdu: "DT", lengthIndicator: 3)),
        ([0x04, 0xE0, 0x00, 0x00, 0x00], .invalidHeaderLength(tpdu: "CR", lengthIndicator: 4)),
        ([0x08, 0xE0, 0x00, 0x00, 0x00, 0x01, 0x00, 0xC1, 0x02], .truncatedParameter(code: 0xC1, offset: 7)),
        ([0x09, 0xE0, 0x00, 0x00, 0x00, 0x01, 0x00, 0xC0, 0x01, 0x0F], .invalidParameterValue(code: 0xC0)),
        ([0x06, 0xE0, 0x00, 0x00, 0x00, 0x01, 0x00, 0xFF], .unexpectedUserData(tpdu: "CR", byteCount: 1)),
    ])
    func malformedTPDUsAreErrorValues(bytes: [UInt8], expected: COTPParseError) {
        #expect(throws: expected) { try COTPTPDU(parsing: bytes) }
    }

    @Test func segmentsFitTheTPDUSize() {
        let payload = [UInt8](repeating: 7, count: 2000)
        let segments = COTPDataTPDU.segments(of: payload, tpduSize: .bytes1024)
        #expect(segments.map(\.payload.count) == [1021, 979])
        #expect(segments.map(\.isEndOfTSDU) == [false, true])
        #expect(segments.allSatisfy { COTPTPDU.data($0).encoded().count <= 1024 })
        #expect(COTPDataTPDU.segments(of: [], tpduSize: .bytes128) == [COTPDataTPDU(payload: [])])
    }

    @Test func tpduSizeCodesArePowersOfTwo() {
        #expect(COTPTPDUSize(byteCount: 512)?.code == 0x09)
        #expect(COTPTPDUSize(byteCount: 1000) == nil)
        #expect(COTPTPDUSize(code: 0x06) == nil)
        #expect(COTPTPDUSize(code: 0x0D)?.byteCount == 8192)
    }
}
