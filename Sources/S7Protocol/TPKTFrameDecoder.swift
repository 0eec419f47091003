public import NIOCore

/// Cuts a byte stream into TPKT frames, following NIO's `ByteToMessageDecoder` contract: a call either consumes
/// exactly one complete frame or consumes nothing and answers `.needMoreData`.
///
/// ```swift
/// var bytes: [UInt8] = [0x03, 0x00, 0x00, 0x07, 0x02, 0xF0]   // one byte short
/// try decoder.decode(&bytes)                                   // .needMoreData, bytes unchanged
/// bytes.append(0x80)
/// try decoder.decode(&bytes)                                   // .frame(payload 02 F0 80), bytes now empty
/// ```
///
/// The reserved header byte is not checked (RFC 1006 says it is 0; peers that set it are tolerated).
public struct TPKTFrameDecoder: Sendable {
    public enum DecodingResult: Hashable, Sendable {
        case needMoreData
        case frame(TPKTFrame)
    }

    public init() {}

    /// Decodes one frame from the front of `buffer`, removing it.
    public func decode(_ buffer: inout [UInt8]) throws(TPKTError) -> DecodingResult {
        guard buffer.count >= TPKTFrame.headerSize else { return .needMoreData }
        let length = try Self.frameLength(version: buffer[0], buffer[2], buffer[3])
        guard buffer.count >= length else { return .needMoreData }
        let frame = TPKTFrame(payload: Array(buffer[TPKTFrame.headerSize..<length]))
        buffer.removeFirst(length)
        return .frame(frame)
    }

    /// Decodes one frame from the readable bytes of `buffer`, moving its reader index past the frame.
    public func decode(_ buffer: inout ByteBuffer) throws(TPKTError) -> DecodingResult {
        guard let header = buffer.getBytes(at: buffer.readerIndex, length: TPKTFrame.headerSize) else {
            return .needMoreData
        }
        let length = try Self.frameLength(version: header[0], header[2], header[3])
        guard buffer.readableBytes >= length else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: TPKTFrame.headerSize)
        let payload = buffer.readBytes(length: length - TPKTFrame.headerSize) ?? []
        return .frame(TPKTFrame(payload: payload))
    }

    /// The total frame length announced by a header, validated.
    static func frameLength(version: UInt8, _ high: UInt8, _ low: UInt8) throws(TPKTError) -> Int {
        guard version == TPKTFrame.version else { throw .unsupportedVersion(version) }
        let length = Int(high) << 8 | Int(low)
        guard length >= TPKTFrame.minimumLength else { throw .invalidLength(length) }
        return length
    }
}

extension TPKTFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = TPKTFrame

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        switch try decode(&buffer) {
        case .needMoreData:
            return .needMoreData
        case .frame(let frame):
            context.fireChannelRead(Self.wrapInboundOut(frame))
            return .continue
        }
    }

    public mutating func decodeLast(
        context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool
    ) throws -> DecodingState {
        try decode(context: context, buffer: &buffer)
    }
}

/// Writes TPKT frames to the channel (NIO's `MessageToByteEncoder`).
public struct TPKTFrameEncoder: MessageToByteEncoder, Sendable {
    public typealias OutboundIn = TPKTFrame

    public init() {}

    public func encode(data: TPKTFrame, out: inout ByteBuffer) throws {
        out.writeBytes(data.encoded())
    }
}
