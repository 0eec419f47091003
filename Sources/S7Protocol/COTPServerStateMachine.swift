/// The server side of an ISO-on-TCP connection (COTP class 0 over RFC 1006), without I/O.
///
/// The channel handler feeds it the payload of each TPKT frame and performs the returned action:
///
/// ```
/// awaitingConnectionRequest ──CR──► connected ──DT…DT(EOT)──► deliver(S7 PDU), stays connected
///            │                          │
///            └── DR / error ──► closed ◄┴── DR / error
/// ```
///
/// - CR: answers `.send(CC)` echoing the TSAPs, with the TPDU size the smaller of the requested one (128 if none)
///   and `maximumTPDUSize`.
/// - DT while connected: buffers segments until the one flagged EOT, then `.deliver` the whole TSDU.
/// - DR in any state: `.close(.disconnectRequested)`; class 0 has no DC, the TCP connection is simply closed.
/// - Malformed bytes, a TPDU out of sequence, an oversized DT: `.sendError(ER, reason)`; the handler writes the ER
///   and closes the TCP connection (class 0 cannot recover).
/// - An ER from the peer: `.close(.peerError)`.
/// - Anything after closing: `.close(.alreadyClosed)`.
public struct COTPServerStateMachine: Sendable {
    /// What a confirmed connection agreed on.
    public struct Connection: Hashable, Sendable {
        public var tpduSize: COTPTPDUSize
        /// The client's TSAP (C1), e.g. `01.00`.
        public var callingTSAP: TSAP?
        /// The TSAP the client addressed (C2), e.g. `01.01` for rack 0, slot 1.
        public var calledTSAP: TSAP?
        public var peerReference: UInt16
        public var localReference: UInt16

        /// Rack from the called TSAP, nil for a text TSAP or none.
        public var rack: Int? { calledTSAP?.rack }
        /// Slot from the called TSAP, nil for a text TSAP or none.
        public var slot: Int? { calledTSAP?.slot }
    }

    public enum State: Hashable, Sendable {
        case awaitingConnectionRequest
        case connected(Connection)
        case closed
    }

    public enum Action: Hashable, Sendable {
        /// Frame this TPDU in TPKT and write it.
        case send(COTPTPDU)
        /// A complete TSDU (one S7 PDU) for the layer above.
        case deliver([UInt8])
        /// A DT segment was buffered; nothing to do until the next frame.
        case wait
        /// Write this ER, then close the TCP connection.
        case sendError(COTPTPDU, reason: ProtocolViolation)
        /// Close the TCP connection without sending anything.
        case close(reason: CloseReason)
    }

    public enum ProtocolViolation: Hashable, Sendable, CustomStringConvertible {
        case malformed(COTPParseError)
        /// A TPDU type that is not acceptable in this state, e.g. a DT before the CR, a second CR.
        case unexpected(tpdu: String, state: String)
        /// A DT longer than the negotiated TPDU size.
        case tpduTooLarge(byteCount: Int, tpduSize: COTPTPDUSize)
        /// The segments of one TSDU add up to more than `maximumTSDUSize`.
        case tsduTooLarge(byteCount: Int, maximum: Int)

        public var description: String {
            switch self {
            case .malformed(let error): error.description
            case .unexpected(let tpdu, let state): "unexpected COTP \(tpdu) while \(state)"
            case .tpduTooLarge(let count, let size): "COTP DT of \(count) bytes exceeds the TPDU size \(size)"
            case .tsduTooLarge(let count, let maximum): "COTP TSDU of \(count) bytes exceeds \(maximum)"
            }
        }
    }

    public enum CloseReason: Hashable, Sendable {
        /// The peer sent DR with this reason code.
        case disconnectRequested(reason: UInt8)
        /// The peer sent ER with this cause.
        case peerError(cause: UInt8)
        case alreadyClosed
    }

    public private(set) var state: State = .awaitingConnectionRequest
    /// The largest TPDU size this server grants.
    public let maximumTPDUSize: COTPTPDUSize
    /// The largest reassembled TSDU accepted, a guard against a peer that never sends EOT.
    public let maximumTSDUSize: Int
    /// This side's reference, sent as the source reference of the CC.
    public let localReference: UInt16
    private var pendingTSDU: [UInt8] = []

    public init(
        maximumTPDUSize: COTPTPDUSize = .bytes1024, maximumTSDUSize: Int = 65536, localReference: UInt16 = 0x0001
    ) {
        self.maximumTPDUSize = maximumTPDUSize
        self.maximumTSDUSize = maximumTSDUSize
        self.localReference = localReference
    }

    /// Handles the payload of one TPKT frame.
    public mutating func receive(_ frame: [UInt8]) -> Action {
        if case .closed = state { return .close(reason: .alreadyClosed) }
        do throws(COTPParseError) {
            return receive(try COTPTPDU(parsing: frame), byteCount: frame.count)
        } catch {
            return fail(.malformed(error), cause: error.rejectCause, rejected: frame)
        }
    }

    /// Handles one parsed TPDU that arrived in a frame of `byteCount` bytes.
    public mutating func receive(_ tpdu: COTPTPDU, byteCount: Int) -> Action {
        switch (state, tpdu) {
        case (.closed, _):
            return .close(reason: .alreadyClosed)

        case (_, .disconnectRequest(let request)):
            state = .closed
            pendingTSDU = []
            return .close(reason: .disconnectRequested(reason: request.reason))

        case (_, .error(let error)):
            state = .closed
            pendingTSDU = []
            return .close(reason: .peerError(cause: error.cause))

        case (.awaitingConnectionRequest, .connectionRequest(let request)):
            let size = min(request.tpduSize ?? .bytes128, maximumTPDUSize)
            let connection = Connection(
                tpduSize: size, callingTSAP: request.callingTSAP, calledTSAP: request.calledTSAP,
                peerReference: request.sourceReference, localReference: localReference)
            state = .connected(connection)
            let confirm = COTPConnectionTPDU(
                destinationReference: request.sourceReference, sourceReference: localReference,
                callingTSAP: request.callingTSAP, calledTSAP: request.calledTSAP, tpduSize: size)
            return .send(.connectionConfirm(confirm))

        case (.connected(let connection), .data(let data)):
            guard byteCount <= connection.tpduSize.byteCount else {
                return fail(
                    .tpduTooLarge(byteCount: byteCount, tpduSize: connection.tpduSize), cause: .notSpecified,
                    rejected: nil)
            }
            guard pendingTSDU.count + data.payload.count <= maximumTSDUSize else {
                return fail(
                    .tsduTooLarge(byteCount: pendingTSDU.count + data.payload.count, maximum: maximumTSDUSize),
                    cause: .notSpecified, rejected: nil)
            }
            pendingTSDU += data.payload
            guard data.isEndOfTSDU else { return .wait }
            defer { pendingTSDU = [] }
            return .deliver(pendingTSDU)

        case (.awaitingConnectionRequest, _), (.connected, _):
            return fail(
                .unexpected(tpdu: tpdu.name, state: state.name), cause: .invalidTPDUType, rejected: tpdu.encoded())
        }
    }

    /// `payload` as DTs sized for the connection (one TPDU per TPKT frame); nil unless connected.
    public func dataTPDUs(for payload: [UInt8]) -> [COTPTPDU]? {
        guard case .connected(let connection) = state else { return nil }
        return COTPDataTPDU.segments(of: payload, tpduSize: connection.tpduSize).map(COTPTPDU.data)
    }

    private mutating func fail(
        _ violation: ProtocolViolation, cause: COTPErrorTPDU.Cause, rejected: [UInt8]?
    ) -> Action {
        let peer: UInt16 = if case .connected(let connection) = state { connection.peerReference } else { 0 }
        state = .closed
        pendingTSDU = []
        let header = rejected.map { bytes in Array(bytes.prefix(Int(bytes.first ?? 0) + 1)) }
        return .sendError(
            .error(COTPErrorTPDU(destinationReference: peer, cause: cause, invalidTPDU: header)),
            reason: violation)
    }
}

extension COTPServerStateMachine.State {
    var name: String {
        switch self {
        case .awaitingConnectionRequest: "awaiting the connection request"
        case .connected: "connected"
        case .closed: "closed"
        }
    }
}
