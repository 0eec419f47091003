import S7Model
import Testing

/// Parses an address the test expects to be valid.
private func address(_ text: String) -> Address? {
    try? Address(parsing: text)
}

/// The error an address the test expects to be invalid gives.
private func failure(_ text: String) -> AddressError? {
    do {
        _ = try Address(parsing: text)
        return nil
    } catch {
        return error
    }
}

@Test func canonicalAddressesReadBack() {
    let texts = [
        "%I0.0", "%I32767.7", "%IB3", "%IW4", "%ID8", "%Q1.7", "%QB0", "%QW2", "%QD4", "%M0.0", "%MB1", "%MW10",
        "%MD16380", "%I0.0:P", "%IW64:P", "%QB0:P", "%QD256:P", "%DB1.DBX0.0", "%DB1.DBX0.1", "%DB1.DBB2",
        "%DB1.DBW2", "%DB1.DBD4", "%DB65535.DBD65532", "%T5", "%T2047", "%C3", "%C0",
    ]
    for text in texts {
        #expect(address(text)?.description == text, "\(text)")
    }
}

@Test func acceptedSpellings() {
    let spellings: [(String, String)] = [
        ("I0.0", "%I0.0"), ("i0.0", "%I0.0"), ("%ix0.0", "%I0.0"), ("E1.2", "%I1.2"), ("EB3", "%IB3"),
        ("A4.0", "%Q4.0"), ("AW6", "%QW6"), ("AD8", "%QD8"), ("mw 10", "%MW10"), ("%MX1.2", "%M1.2"),
        ("db1.dbx0.1", "%DB1.DBX0.1"), ("DB 10 . DBW 4", "%DB10.DBW4"), ("Z7", "%C7"), ("t5", "%T5"),
        ("PIW256", "%IW256:P"), ("PEW256", "%IW256:P"), ("PAB1", "%QB1:P"), ("%iw64:p", "%IW64:P"),
        (" %Q0.1 : P ", "%Q0.1:P"),
    ]
    for (text, canonical) in spellings {
        #expect(address(text)?.description == canonical, "\(text)")
    }
}

@Test func addressParts() throws {
    let bit = try Address(parsing: "%DB7.DBX12.3")
    #expect(bit.area == .dataBlock && bit.dbNumber == 7 && bit.byteOffset == 12 && bit.bit == 3 && bit.size == .bit)
    let word = try Address(parsing: "%IW64:P")
    #expect(word.area == .input && word.isPeripheral && word.size == .word && word.sizeInBits == 16 && word.bit == nil)
    let timer = try Address(parsing: "%T5")
    #expect(timer.area == .timer && timer.number == 5 && timer.size == .word)
    #expect(try Address(area: .memory, byteOffset: 10, size: .word).description == "%MW10")
    #expect(try Address(area: .output, byteOffset: 1, bit: 2).description == "%Q1.2")
    #expect(try Address(area: .dataBlock, byteOffset: 4, size: .dWord, dbNumber: 3).description == "%DB3.DBD4")
}

@Test func rejectedAddresses() {
    let cases: [(text: String, message: String, offset: Int)] = [
        ("%I0.8", "bit 8 is outside 0..7", 2),
        ("%DB0.DBX0.0", "DB number 0 is outside 1..65535", 3),
        ("%DB65536.DBB0", "DB number 65536 is outside 1..65535", 3),
        ("%MW10:P", "only inputs and outputs have peripheral (:P) access", 3),
        ("%M0.0:P", "only inputs and outputs have peripheral (:P) access", 2),
        ("%I0", "expected '.' and a bit number", 3),
        ("%IW1.0", "unexpected '.'", 4),
        ("%X0.0", "unknown area 'X'", 1),
        ("%", "expected an area (I, Q, M, DB, T, C)", 1),
        ("%IB32768", "byte 32768 is beyond the last byte 32767 of the area", 3),
        ("%ID32765", "byte 32768 is beyond the last byte 32767 of the area", 3),
        ("%MB16384", "byte 16384 is beyond the last byte 16383 of the area", 3),
        ("%DB1.DBW65535", "byte 65536 is beyond the last byte 65535 of the area", 3),
        ("%T2048", "timer 2048 is outside 0..2047", 2),
        ("%DB1.DBL0", "expected DBX, DBB, DBW or DBD", 5),
        ("%DB1", "expected '.' after the DB number", 4),
        ("%I0.0:Q", "expected 'P' after ':'", 6),
        ("PIW2:P", "peripheral access given twice", 4),
        ("%MW", "expected a byte offset", 3),
    ]
    for test in cases {
        let error = failure(test.text)
        #expect(error?.message == test.message, "\(test.text)")
        #expect(error?.offset == test.offset, "\(test.text)")
    }
    #expect(throws: AddressError.self) { try Address(area: .input, byteOffset: 0, bit: 8) }
    #expect(throws: AddressError.self) { try Address(area: .memory, byteOffset: 0, size: .word, dbNumber: 1) }
}
