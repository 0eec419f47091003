import S7Protocol
import Testing

@Suite("S7 PDU codec")
struct S7CodecTests {
    /// `%DB1.DBW2` as a PUT/GET client asks for it: 2 bytes at DB1.DBB2.
    static let dbw2 = S7VariableAddress(area: .dataBlock, dbNumber: 1, transportSize: .byte, count: 2, byteOffset: 2)
    static let m20_3 = S7VariableAddress(area: .markers, transportSize: .bit, count: 1, byteOffset: 20, bit: 3)
    static let mb3 = S7VariableAddress(area: .markers, transportSize: .byte, count: 1, byteOffset: 3)
    static let m2_3 = S7VariableAddress(area: .markers, transportSize: .bit, count: 1, byteOffset: 2, bit: 3)
    static let programName = Array("P_PROGRAM".utf8)

    @Test func readJobWithTwoItemsEncodesAndParsesByteForByte() throws {
        let expected: [UInt8] = [
            0x32, 0x01, 0x00, 0x00, 0x00, 0x07, 0x00, 0x1A, 0x00, 0x00,  // job, reference 7, 26 parameter bytes
            0x04, 0x02,  // read variable, 2 items
            0x12, 0x0A, 0x10, 0x02, 0x00, 0x02, 0x00, 0x01, 0x84, 0x00, 0x00, 0x10,  // BYTE × 2, DB 1, DB, 2.0
            0x12, 0x0A, 0x10, 0x01, 0x00, 0x01, 0x00, 0x00, 0x83, 0x00, 0x00, 0xA3,  // BIT × 1, M, 20.3
        ]
        let pdu = S7PDU(type: .job, reference: 7, parameters: S7Request.readParameters([Self.dbw2, Self.m20_3]))
        #expect(pdu.encoded() == expected)
        let parsed = try S7PDU(parsing: expected)
        #expect(parsed == pdu)
        #expect(try S7Request(parsed) == .readVariables([.success(Self.dbw2), .success(Self.m20_3)]))
    }

    @Test func timersCountersAndPeripheryAreAddressedAsS7Does() throws {
        let timer = S7VariableAddress(area: .timers, transportSize: .timer, count: 1, byteOffset: 5)
        let counter = S7VariableAddress(area: .counters, transportSize: .counter, count: 1, byteOffset: 3)
        let periphery = S7VariableAddress(area: .peripheral, transportSize: .byte, count: 2, byteOffset: 256)
        // Timers and counters carry their number, everything else the bit address (byte × 8 + bit).
        #expect(timer.encoded() == [0x12, 0x0A, 0x10, 0x1D, 0x00, 0x01, 0x00, 0x00, 0x1D, 0x00, 0x00, 0x05])
        #expect(counter.encoded() == [0x12, 0x0A, 0x10, 0x1C, 0x00, 0x01, 0x00, 0x00, 0x1C, 0x00, 0x00, 0x03])
        #expect(periphery.encoded() == [0x12, 0x0A, 0x10, 0x02, 0x00, 0x02, 0x00, 0x00, 0x80, 0x00, 0x08, 0x00])
        #expect(timer.byteCount == 2)
        for address in [timer, counter, periphery] {
            #expect(try S7VariableAddress(parsing: [0xEE] + address.encoded(), at: 1) == address)
        }
        #expect(throws: S7ItemError.unknownArea(0x99)) {
            try S7VariableAddress(parsing: [0x12, 0x0A, 0x10, 0x02, 0x00, 0x01, 0x00, 0x00, 0x99, 0, 0, 0], at: 0)
        }
        #expect(throws: S7ItemError.truncated) { try S7VariableAddress(parsing: [0x12, 0x0A, 0x10], at: 0) }
    }

    @Test func writeJobPadsOddItemsExceptTheLast() throws {
        let items = [
            S7WriteItem(address: Self.mb3, data: [0xAB]),
            S7WriteItem(address: Self.dbw2, data: [0x12, 0x34]),
            S7WriteItem(address: Self.m2_3, data: [0x01]),
        ]
        let expected: [UInt8] = [
            0x32, 0x01, 0x00, 0x00, 0x00, 0x08, 0x00, 0x26, 0x00, 0x11,  // job, reference 8, 38 + 17 bytes
            0x05, 0x03,  // write variable, 3 items
            0x12, 0x0A, 0x10, 0x02, 0x00, 0x01, 0x00, 0x00, 0x83, 0x00, 0x00, 0x18,  // MB3
            0x12, 0x0A, 0x10, 0x02, 0x00, 0x02, 0x00, 0x01, 0x84, 0x00, 0x00, 0x10,  // DB1.DBW2
            0x12, 0x0A, 0x10, 0x01, 0x00, 0x01, 0x00, 0x00, 0x83, 0x00, 0x00, 0x13,  // M2.3
            0x00, 0x04, 0x00, 0x08, 0xAB, 0x00,  // BYTE/WORD/DWORD, 8 bits, the value, a fill byte
            0x00, 0x04, 0x00, 0x10, 0x12, 0x34,  // 16 bits
            0x00, 0x03, 0x00, 0x01, 0x01,  // BIT, length 1, the last item without a fill byte
        ]
        let sections = S7Request.writeSections(items)
        let pdu = S7PDU(type: .job, reference: 8, parameters: sections.parameters, data: sections.data)
        #expect(pdu.encoded() == expected)
        let parsed = try S7PDU(parsing: expected)
        #expect(try S7Request(parsed) == .writeVariables(items.map { .success($0) }))
    }

    @Test func acknowledgementsHaveATwelveByteHeader() throws {
        let answer = S7PDU(
            type: .ackData, reference: 0x1234, parameters: [0x04, 0x01], data: [0xFF, 0x04, 0x00, 0x08, 0x2A])
        let bytes: [UInt8] = [
            0x32, 0x03, 0x00, 0x00, 0x12, 0x34, 0x00, 0x02, 0x00, 0x05, 0x00, 0x00, 0x04, 0x01, 0xFF, 0x04, 0x00, 0x08,
            0x2A,
        ]
        #expect(answer.encoded() == bytes)
        #expect(try S7PDU(parsing: bytes) == answer)
        let refusal = S7PDU(type: .ack, reference: 5, parameters: [], error: 0x8104)
        #expect(refusal.encoded() == [0x32, 0x02, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x81, 0x04])
        #expect(try S7PDU(parsing: refusal.encoded()).error == 0x8104)
    }

    @Test func headersThatDoNotAddUpAreRefused() {
        #expect(throws: S7ParseError.lengthMismatch(reference: 9, declared: 14, actual: 11)) {
            try S7PDU(parsing: [0x32, 0x01, 0x00, 0x00, 0x00, 0x09, 0x00, 0x04, 0x00, 0x00, 0x04])
        }
        #expect(throws: S7ParseError.notS7(protocolID: 0x72)) {
            try S7PDU(parsing: [0x72, 0x01, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00])
        }
        #expect(throws: S7ParseError.unknownMessageType(0x05)) {
            try S7PDU(parsing: [0x32, 0x05, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00])
        }
        #expect(throws: S7ParseError.tooShort(byteCount: 3, needed: 10)) { try S7PDU(parsing: [0x32, 0x01, 0x00]) }
    }

    @Test func setupCommunicationParameters() throws {
        let asked = S7Negotiation(maxJobsCalling: 1, maxJobsCalled: 1, pduSize: 480)
        #expect(asked.encoded() == [0xF0, 0x00, 0x00, 0x01, 0x00, 0x01, 0x01, 0xE0])
        let pdu = S7PDU(type: .job, reference: 1, parameters: asked.encoded())
        #expect(try S7Request(pdu) == .setupCommunication(asked))
    }

    @Test func userDataRequestsForSZLAndTheirFollowUps() throws {
        let first = S7UserDataRequest(group: 4, subfunction: 1, payload: [0x04, 0x24, 0x00, 0x00])
        let firstBytes: [UInt8] = [
            0x32, 0x07, 0x00, 0x00, 0x00, 0x03, 0x00, 0x08, 0x00, 0x08,  // user data, reference 3, 8 + 8 bytes
            0x00, 0x01, 0x12, 0x04, 0x11, 0x44, 0x01, 0x00,  // request head, method 0x11, type 4 group 4, SZL read
            0xFF, 0x09, 0x00, 0x04, 0x04, 0x24, 0x00, 0x00,  // octet string of 4 bytes: id 0x0424, index 0
        ]
        #expect(first.pdu(reference: 3).encoded() == firstBytes)
        #expect(try S7Request(S7PDU(parsing: firstBytes)) == .userData(first))

        let next = S7UserDataRequest(group: 4, subfunction: 1, sequence: 2, isFollowUp: true, payload: [])
        let nextBytes: [UInt8] = [
            0x32, 0x07, 0x00, 0x00, 0x00, 0x04, 0x00, 0x0C, 0x00, 0x04,
            0x00, 0x01, 0x12, 0x08, 0x12, 0x44, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00,  // method 0x12, sequence 2
            0x0A, 0x00, 0x00, 0x00,
        ]
        #expect(next.pdu(reference: 4).encoded() == nextBytes)
        #expect(try S7Request(S7PDU(parsing: nextBytes)) == .userData(next))
    }

    @Test func plcStopAndStartParameters() throws {
        #expect(S7Request.plcStopParameters == [0x29, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09] + Self.programName)
        let hot: [UInt8] = [0x28, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFD, 0x00, 0x00, 0x09] + Self.programName
        let cold: [UInt8] =
            [0x28, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFD, 0x00, 0x02, 0x43, 0x20, 0x09] + Self.programName
        #expect(S7Request.plcStartParameters(cold: false) == hot)
        #expect(S7Request.plcStartParameters(cold: true) == cold)
        #expect(try S7Request(S7PDU(type: .job, reference: 1, parameters: S7Request.plcStopParameters)) == .plcStop)
        for (parameters, isCold) in [(hot, false), (cold, true)] {
            guard case .plcControl(let control) = try S7Request(S7PDU(type: .job, reference: 1, parameters: parameters))
            else {
                Issue.record("not PLC control")
                continue
            }
            #expect(control.service == "P_PROGRAM")
            #expect(control.isColdStart == isCold)
        }
    }
}

@Suite("S7 operands")
struct S7OperandTests {
    @Test func operandsMapToItems() throws {
        let cases: [(text: String, address: S7VariableAddress, type: S7OperandType)] = [
            ("%MW10", S7VariableAddress(area: .markers, transportSize: .byte, count: 2, byteOffset: 10), .word),
            ("%MB3", S7VariableAddress(area: .markers, transportSize: .byte, count: 1, byteOffset: 3), .byte),
            ("%MD4", S7VariableAddress(area: .markers, transportSize: .byte, count: 4, byteOffset: 4), .dWord),
            ("%M2.3", S7VariableAddress(area: .markers, transportSize: .bit, count: 1, byteOffset: 2, bit: 3), .bool),
            ("%I0.0", S7VariableAddress(area: .inputs, transportSize: .bit, count: 1, byteOffset: 0), .bool),
            ("%QW64", S7VariableAddress(area: .outputs, transportSize: .byte, count: 2, byteOffset: 64), .word),
            ("%IW256:P", S7VariableAddress(area: .peripheral, transportSize: .byte, count: 2, byteOffset: 256), .word),
            (
                "%IW256:P:INT", S7VariableAddress(area: .peripheral, transportSize: .byte, count: 2, byteOffset: 256),
                .int
            ),
            (
                "%DB1.DBW2",
                S7VariableAddress(area: .dataBlock, dbNumber: 1, transportSize: .byte, count: 2, byteOffset: 2), .word
            ),
            (
                "%DB1.DBX0.1",
                S7VariableAddress(area: .dataBlock, dbNumber: 1, transportSize: .bit, count: 1, byteOffset: 0, bit: 1),
                .bool
            ),
            (
                "%DB1.DBD4:REAL",
                S7VariableAddress(area: .dataBlock, dbNumber: 1, transportSize: .byte, count: 4, byteOffset: 4), .real
            ),
            ("%T5", S7VariableAddress(area: .timers, transportSize: .timer, count: 1, byteOffset: 5), .s5Time),
            ("%C3", S7VariableAddress(area: .counters, transportSize: .counter, count: 1, byteOffset: 3), .word),
        ]
        for (text, address, type) in cases {
            let operand = try S7Operand(parsing: text)
            #expect(operand.address == address, "\(text)")
            #expect(operand.type == type, "\(text)")
            #expect(operand.description == text)
        }
    }

    @Test func canonicalFormsAndSuffixesInAnyCase() throws {
        #expect(try S7Operand(parsing: " mw10 ").description == "%MW10")
        #expect(try S7Operand(parsing: "%md4:real").description == "%MD4:REAL")
        #expect(try S7Operand(parsing: "DB1.DBD4 : dint").type == .dInt)
        #expect(try S7Operand(parsing: "%MD8:TIME").type == .time)
        #expect(try S7Operand(parsing: "%T5:WORD").type == .word)
    }

    @Test func errorsNameTheOperand() {
        let width = #expect(throws: S7OperandError.self) { try S7Operand(parsing: "%MW10:REAL") }
        #expect(width?.operand == "%MW10:REAL")
        #expect(width?.message.contains("REAL") == true)
        #expect(width?.message.contains("%MW10") == true)
        let unknown = #expect(throws: S7OperandError.self) { try S7Operand(parsing: "%MW10:FLOAT") }
        #expect(unknown?.description.contains("FLOAT") == true)
        let area = #expect(throws: S7OperandError.self) { try S7Operand(parsing: "%X1") }
        #expect(area?.operand == "%X1")
        let bit = #expect(throws: S7OperandError.self) { try S7Operand(parsing: "%M2.3:INT") }
        #expect(bit?.message.contains("bit") == true)
        #expect(throws: S7OperandError.self) { try S7Operand(parsing: "%M2.8") }
        #expect(throws: S7OperandError.self) { try S7Operand(parsing: "%T5:REAL") }
    }

    @Test func bytesDecodeToTheDisplayType() throws {
        func value(_ text: String, _ bytes: [UInt8]) throws -> S7OperandValue {
            try S7Operand(parsing: text).decode(bytes)
        }
        #expect(try value("%MW10", [0x00, 0x05]) == .integer(5))
        #expect(try value("%MW10", [0xFF, 0xFE]) == .integer(65534))
        #expect(try value("%MW10:INT", [0xFF, 0xFE]) == .integer(-2))
        #expect(try value("%MB3", [0xFF]) == .integer(255))
        #expect(try value("%MB3:SINT", [0xFF]) == .integer(-1))
        #expect(try value("%MD4", [0xFF, 0xFF, 0xFF, 0xFF]) == .integer(4_294_967_295))
        #expect(try value("%MD4:DINT", [0xFF, 0xFF, 0xFF, 0xFF]) == .integer(-1))
        #expect(try value("%MD4:REAL", [0x3F, 0xC0, 0x00, 0x00]) == .real(1.5))
        #expect(try value("%MD4:REAL", [0x3F, 0x8C, 0xCC, 0xCD]) == .real(1.1))
        #expect(try value("%MD4:TIME", [0x00, 0x00, 0x03, 0xE8]) == .text("T#1s"))
        #expect(try value("%M2.3", [0x01]) == .bool(true))
        #expect(try value("%M2.3", [0x00]) == .bool(false))
        #expect(try value("%MB3:CHAR", [0x41]) == .text("'A'"))
        #expect(try value("%MW10", [0x01]) == .text("16#01"))
    }

    @Test func valuesPrintAsS7Literals() {
        #expect(S7OperandValue.bool(true).description == "TRUE")
        #expect(S7OperandValue.integer(-5).description == "-5")
        #expect(S7OperandValue.real(1.5).description == "1.5")
        #expect(S7OperandValue.text("T#1s").description == "T#1s")
    }

    @Test func literalsEncodeToTheBytesOfTheType() throws {
        func bytes(_ text: String, _ literal: String) throws -> [UInt8] {
            try S7Operand(parsing: text).encode(literal)
        }
        #expect(try bytes("%M2.3", "TRUE") == [1])
        #expect(try bytes("%M2.3", "false") == [0])
        #expect(try bytes("%M2.3", "1") == [1])
        #expect(try bytes("%M2.3", "0") == [0])
        #expect(try bytes("%MW10", "16#FF") == [0x00, 0xFF])
        #expect(try bytes("%MW10", "300") == [0x01, 0x2C])
        #expect(try bytes("%MW10:INT", "-2") == [0xFF, 0xFE])
        #expect(try bytes("%MB3", "200") == [200])
        #expect(try bytes("%MD4:REAL", "1.5") == [0x3F, 0xC0, 0x00, 0x00])
        #expect(try bytes("%MD4:DINT", "-1") == [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(try bytes("%MD4:TIME", "T#1s") == [0x00, 0x00, 0x03, 0xE8])
        #expect(try bytes("%T5", "S5T#2s") == [0x02, 0x00])
        let tooLarge = #expect(throws: S7OperandError.self) { try bytes("%MB3", "256") }
        #expect(tooLarge?.operand == "%MB3")
        let notANumber = #expect(throws: S7OperandError.self) { try bytes("%MW10", "abc") }
        #expect(notANumber?.description.contains("%MW10") == true)
        #expect(throws: S7OperandError.self) { try bytes("%M2.3", "2") }
    }
}
