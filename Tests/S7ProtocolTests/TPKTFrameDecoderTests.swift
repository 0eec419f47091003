import S7Protocol
import Testing

@Suite("TPKT framing")
struct TPKTFrameDecoderTests {
    /// CR to rack 0, slot 1 in the parameter order of the brief's reference (TPDU size first).
    static let connectionRequest: [UInt8] = [
        0x03, 0x00, 0x00, 0x16, 0x11, 0xE0, 0x00, 0x00, 0x00, 0x01, 0x00,
        0xC0, 0x01, 0x0A, 0xC1, 0x02, 0x01, 0x00, 0xC2, 0x02, 0x01, 0x01,
    ]

    @Test func byteByByteFeedingYieldsNothingUntilTheLastByte() throws {
        let decoder = TPKTFrameDecoder()
        var buffer: [UInt8] = []
        for (index, byte) in Self.connectionRequest.enumerated() {
            buffer.append(byte)
            let result = try decoder.decode(&buffer)
            if index < Self.connectionRequest.count - 1 {
                #expect(result == .needMoreData)
                #expect(buffer.count == index + 1, "a partial frame is never consumed")
            } else {
                #expect(result == .frame(TPKTFrame(payload: Array(Self.connectionRequest[4...]))))
                #expect(buffer.isEmpty)
            }
        }
    }

    @Test func manyFramesInOneBufferAreConsumedOneAtATime() throws {
        let decoder = TPKTFrameDecoder()
        let data = TPKTFrame(payload: [0x02, 0xF0, 0x80, 0x32, 0x01]).encoded()
        let disconnect = TPKTFrame(payload: [0x06, 0x80, 0x00, 0x01, 0x00, 0x02, 0x80]).encoded()
        var buffer = Self.connectionRequest + data + disconnect + [0x03, 0x00]
        var frames: [TPKTFrame] = []
        while case .frame(let frame) = try decoder.decode(&buffer) {
            frames.append(frame)
        }
        #expect(frames.map(\.payload.count) == [18, 5, 7])
        #expect(frames[1].payload == [0x02, 0xF0, 0x80, 0x32, 0x01])
        #expect(buffer == [0x03, 0x00], "the start of the next frame stays in the buffer")
    }

    @Test func encoderWritesVersionReservedAndTotalLength() {
        #expect(
            TPKTFrame(payload: [0x02, 0xF0, 0x80, 0xAA, 0xBB, 0xCC]).encoded()
                == [0x03, 0x00, 0x00, 0x0A, 0x02, 0xF0, 0x80, 0xAA, 0xBB, 0xCC])
    }

    @Test func wrongVersionIsRejected() {
        var buffer: [UInt8] = [0x04, 0x00, 0x00, 0x07, 0x02, 0xF0, 0x80]
        #expect(throws: TPKTError.unsupportedVersion(4)) { try TPKTFrameDecoder().decode(&buffer) }
    }

    @Test func lengthBelowSevenIsRejectedAsSoonAsTheHeaderIsComplete() {
        var buffer: [UInt8] = [0x03, 0x00, 0x00, 0x06]
        #expect(throws: TPKTError.invalidLength(6)) { try TPKTFrameDecoder().decode(&buffer) }
        var http = Array("GET / HTTP/1.1\r\n".utf8)
        #expect(throws: TPKTError.unsupportedVersion(0x47)) { try TPKTFrameDecoder().decode(&http) }
    }

    @Test func errorsDescribeTheProblem() {
        #expect(TPKTError.invalidLength(3).description == "TPKT length 3 is below the minimum of 7")
    }
}
