import S7Compiler
import S7Model
import S7Runtime
import Testing

/// The `library` instructions at the VM level: references into memory are checked where they are used, so a
/// damaged String header or an offset outside the area is a programming error, never a read past the area.
@Suite("Library instructions")
struct LibraryInstructionTests {
    /// DB1: String[4] 'ab' at 0, String[4] 'cd' at 6, a 6-byte result String[4] at 12 (18 bytes).
    static func strings() -> DataBlockImage {
        var bytes = [UInt8](repeating: 0, count: 18)
        bytes[0...3] = [4, 2, 0x61, 0x62]
        bytes[6...9] = [4, 2, 0x63, 0x64]
        bytes[12] = 4
        return DataBlockImage(number: 1, name: "S", bytes: bytes)
    }

    @Test func concatWritesTheResultAndCutsItToTheTarget() throws {
        let plc = try runMain(dataBlocks: [Self.strings()]) { b in
            let window = b.registers(3)
            b.emit(.address, a: window, b: 1, d: 12, area: .globalDB)
            b.emit(.address, a: window + 1, b: 1, d: 0, area: .globalDB)
            b.emit(.address, a: window + 2, b: 1, d: 6, area: .globalDB)
            b.emit(.library, a: LibraryInstruction.concat.rawValue, b: window)
            // CONCAT(result, 'cd') is 'abcd' + 'cd' cut to 4 characters.
            b.emit(.move, a: window + 1, b: window)
            b.emit(.library, a: LibraryInstruction.concat.rawValue, b: window)
        }
        let bytes = plc.snapshot().memory.dataBlocks[1].map { Array($0.bytes) } ?? []
        #expect(bytes[12...17] == [4, 4, 0x61, 0x62, 0x63, 0x64])
        #expect(plc.snapshot().mode == .run)
    }

    @Test func aStringHeaderPointingPastTheAreaIsAProgrammingError() throws {
        var image = Self.strings()
        image.bytes[0...1] = [200, 200]  // IN1 claims 200 characters in an 18-byte DB
        let plc = try runMain(dataBlocks: [image]) { b in
            let window = b.registers(3)
            b.emit(.address, a: window, b: 1, d: 12, area: .globalDB)
            b.emit(.address, a: window + 1, b: 1, d: 0, area: .globalDB)
            b.emit(.address, a: window + 2, b: 1, d: 6, area: .globalDB)
            b.emit(.library, a: LibraryInstruction.concat.rawValue, b: window)
        }
        let snapshot = plc.snapshot()
        #expect(snapshot.mode == .stop(.programmingError))
        #expect(snapshot.diagnostics.contains { $0.eventID == DiagnosticEventID.areaLengthError })
    }

    @Test func aReferenceOutsideItsAreaIsAProgrammingError() throws {
        let plc = try runMain(dataBlocks: [Self.strings()]) { b in
            let window = b.registers(3)
            let offset = b.register()
            b.emit(.const32, a: offset, d: 100)
            b.emit(.address, a: window, b: 1, c: offset, d: 12, e: 1, area: .globalDB)
            b.emit(.address, a: window + 1, b: 1, d: 0, area: .globalDB)
            b.emit(.address, a: window + 2, b: 1, d: 6, area: .globalDB)
            b.emit(.library, a: LibraryInstruction.concat.rawValue, b: window)
        }
        let snapshot = plc.snapshot()
        #expect(snapshot.mode == .stop(.programmingError))
        #expect(snapshot.diagnostics.contains { $0.eventID == DiagnosticEventID.areaLengthError })
    }

    @Test func dateAndTimeKeepTheirRanges() throws {
        let plc = try runMain(dataBlocks: [db(1, size: 16)]) { b in
            let window = b.registers(3)
            // T_ADD(TOD#23:00:00, T#2h) wraps to TOD#01:00:00.
            b.emit(.const32, a: window + 1, d: 23 * 3_600_000)
            b.emit(.const32, a: window + 2, d: 2 * 3_600_000)
            b.emit(
                .library, a: LibraryInstruction.timeAdd.rawValue, b: window,
                d: DateTimeKind.timeOfDay.rawValue | DateTimeKind.time.rawValue << 8)
            b.emit(.store32, a: window, b: 1, d: 0, area: .globalDB)
            // T_DIFF of two TODs 24 h apart cannot happen; T_SUB(T#-24d, T#1d) leaves TIME's range: ENO FALSE.
            b.emit(.const32, a: window + 1, d: Int32.min + 1)
            b.emit(.const32, a: window + 2, d: 86_400_000)
            b.emit(
                .library, a: LibraryInstruction.timeSubtract.rawValue, b: window,
                d: DateTimeKind.time.rawValue | DateTimeKind.time.rawValue << 8)
            b.emit(.getENO, a: window)
            b.emit(.store8, a: window, b: 1, d: 4, area: .globalDB)
        }
        #expect(try plc.dbDInt(1, 0) == 3_600_000)
        let bytes = plc.snapshot().memory.dataBlocks[1].map { Array($0.bytes) } ?? []
        #expect(bytes[4] == 0)
    }
}
