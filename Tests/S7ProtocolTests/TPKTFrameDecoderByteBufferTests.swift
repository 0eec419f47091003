#if canImport(NIOCore)
    import NIOCore
    import S7Protocol
    import Testing

    @Suite("TPKT framing on ByteBuffer")
    struct TPKTFrameDecoderByteBufferTests {
        @Test func byteBufferDecodingConsumesExactlyOneFrame() throws {
            let decoder = TPKTFrameDecoder()
            var buffer = ByteBuffer()
            let frame = TPKTFrame(payload: [0x02, 0xF0, 0x80, 0x32])
            for byte in frame.encoded() + frame.encoded().prefix(5) {
                buffer.writeInteger(byte)
                if buffer.readableBytes < 8 {
                    #expect(try decoder.decode(&buffer) == .needMoreData)
                }
            }
            #expect(try decoder.decode(&buffer) == .frame(frame))
            #expect(buffer.readableBytes == 5)
            #expect(try decoder.decode(&buffer) == .needMoreData)
            #expect(buffer.readableBytes == 5)
        }
    }
#endif
