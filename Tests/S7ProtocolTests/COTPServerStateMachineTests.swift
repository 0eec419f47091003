import S7Protocol
import Testing

@Suite("COTP server state machine")
struct COTPServerStateMachineTests {
    static let request = COTPTPDUTests.snap7ConnectionRequest

    @Test func connectionRequestIsConfirmedAndConnects() {
        var machine = COTPServerStateMachine(localReference: 0x0044)
        #expect(machine.state == .awaitingConnectionRequest)
        let action = machine.receive(Self.request)
        let confirm = COTPConnectionTPDU(
            destinationReference: 0x0001, sourceReference: 0x0044, callingTSAP: TSAP(bytes: [0x01, 0x00]),
            calledTSAP: TSAP(bytes: [0x01, 0x01]), tpduSize: .bytes1024)
        #expect(action == .send(.connectionConfirm(confirm)))
        guard case .connected(let connection) = machine.state else {
            Issue.record("not connected")
            return
        }
        #expect(connection.tpduSize == .bytes1024)
        #expect(connection.rack == 0)
        #expect(connection.slot == 1)
        #expect(connection.peerReference == 1)
    }

    @Test func tpduSizeIsTheSmallerOfRequestedAndMaximum() {
        var small = COTPServerStateMachine(maximumTPDUSize: COTPTPDUSize(byteCount: 512)!)
        _ = small.receive(Self.request)
        #expect(small.dataTPDUs(for: [UInt8](repeating: 0, count: 600))?.count == 2)
        var unspecified = COTPServerStateMachine()
        let request = COTPTPDU.connectionRequest(COTPConnectionTPDU(destinationReference: 0, sourceReference: 9))
        guard case .send(.connectionConfirm(let confirm)) = unspecified.receive(request.encoded()) else {
            Issue.record("no CC")
            return
        }
        #expect(confirm.tpduSize == .bytes128)
    }

    @Test func dataIsReassembledUntilEOT() {
        var machine = COTPServerStateMachine()
        _ = machine.receive(Self.request)
        #expect(machine.receive([0x02, 0xF0, 0x00, 0x32, 0x01]) == .wait)
        #expect(machine.receive([0x02, 0xF0, 0x01, 0x00, 0x00]) == .wait)
        #expect(machine.receive([0x02, 0xF0, 0x82, 0xAB]) == .deliver([0x32, 0x01, 0x00, 0x00, 0xAB]))
        #expect(machine.receive([0x02, 0xF0, 0x80, 0x01]) == .deliver([0x01]))
    }

    @Test func disconnectRequestCloses() {
        var machine = COTPServerStateMachine()
        _ = machine.receive(Self.request)
        let action = machine.receive([0x06, 0x80, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00])
        #expect(action == .close(reason: .disconnectRequested(reason: 0)))
        #expect(machine.state == .closed)
        #expect(machine.receive([0x02, 0xF0, 0x80, 0x01]) == .close(reason: .alreadyClosed))
    }

    @Test func dataBeforeConnectionRequestIsAnError() {
        var machine = COTPServerStateMachine()
        let action = machine.receive([0x02, 0xF0, 0x80, 0x32])
        let error = COTPTPDU.error(
            COTPErrorTPDU(destinationReference: 0, cause: .invalidTPDUType, invalidTPDU: [0x02, 0xF0, 0x80]))
        #expect(action == .sendError(error, reason: .unexpected(tpdu: "DT", state: "awaiting the connection request")))
        #expect(machine.state == .closed)
    }

    @Test func secondConnectionRequestIsAnError() {
        var machine = COTPServerStateMachine()
        _ = machine.receive(Self.request)
        guard case .sendError(_, let reason) = machine.receive(Self.request) else {
            Issue.record("no error")
            return
        }
        #expect(reason == .unexpected(tpdu: "CR", state: "connected"))
        #expect(reason.description == "unexpected COTP CR while connected")
    }

    @Test func malformedBytesAreAnErrorWithTheRejectCause() {
        var machine = COTPServerStateMachine()
        _ = machine.receive(Self.request)
        guard case .sendError(.error(let error), let reason) = machine.receive([0x02, 0x10, 0x80]) else {
            Issue.record("no error")
            return
        }
        #expect(reason == .malformed(.unsupportedType(code: 0x10)))
        #expect(error.cause == COTPErrorTPDU.Cause.invalidTPDUType.rawValue)
        #expect(error.destinationReference == 1)
        #expect(error.invalidTPDU == [0x02, 0x10, 0x80])
    }

    @Test func oversizedDataIsAnError() {
        var machine = COTPServerStateMachine(maximumTPDUSize: .bytes128)
        _ = machine.receive(Self.request)
        let big = COTPTPDU.data(COTPDataTPDU(payload: [UInt8](repeating: 1, count: 126))).encoded()
        guard case .sendError(_, let reason) = machine.receive(big) else {
            Issue.record("no error")
            return
        }
        #expect(reason == .tpduTooLarge(byteCount: 129, tpduSize: .bytes128))
    }

    @Test func endlessSegmentsHitTheTSDULimit() {
        var machine = COTPServerStateMachine(maximumTSDUSize: 10)
        _ = machine.receive(Self.request)
        #expect(machine.receive([0x02, 0xF0, 0x00] + [UInt8](repeating: 0, count: 8)) == .wait)
        guard case .sendError(_, let reason) = machine.receive([0x02, 0xF0, 0x00, 1, 2, 3]) else {
            Issue.record("no error")
            return
        }
        #expect(reason == .tsduTooLarge(byteCount: 11, maximum: 10))
    }

    @Test func peerErrorCloses() {
        var machine = COTPServerStateMachine()
        _ = machine.receive(Self.request)
        let error = COTPTPDU.error(COTPErrorTPDU(destinationReference: 0x44, cause: .invalidParameterValue))
        #expect(machine.receive(error.encoded()) == .close(reason: .peerError(cause: 3)))
    }
}
