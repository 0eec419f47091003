import Foundation
import S7Diagnostics
import S7TestSupport
import SCLSyntax
import Testing

/// The real TIA exports in `../shared/corpus` lex without diagnostics and each holds the unit its file is named after.
@Suite struct CorpusTests {
    static let sourceEndings: Set<String> = ["scl", "udt", "db"]

    /// Units of the corpus that are not FUNCTION_BLOCKs, with their return types for FUNCTIONs.
    static let expectedKinds: [String: (SCLUnit.Kind, String?)] = [
        "BoardDefinePosition": (.function, "Int"), "GetGeneralSpeed": (.function, "Real"),
        "GotNewLay": (.function, "Void"), "PlankChain": (.function, "\"PlankOnChain\""), "Rev_G": (.function, "Int"),
        "SolveLinearDelay": (.function, "Time"), "SolveMovBoardPos": (.function, "Int"),
        "SolveSpeed": (.function, "Real"), "ValidGasketLayer": (.function, "Bool"),
        "WhatToDoWithNewSxema": (.function, "Void"), "getMaxBit": (.function, "Int"),
        "CYC_INT3": (.organizationBlock, nil),
    ]

    /// Files that hold comments only: the GRAPH placeholder written by the simaticml-decoder.
    static let commentOnly: Set<String> = ["StateMachine.scl"]

    @Test func everyCorpusSourceLexesCleanAndNamesItsUnit() throws {
        guard Fixtures.corpusAvailable else {
            print("CorpusTests skipped: no corpus at \(Fixtures.corpus)")
            return
        }
        let paths = Fixtures.files(below: Fixtures.corpus, endings: Self.sourceEndings)
        #expect(paths.count >= 57)
        var renderer = DiagnosticRenderer()
        renderer.tabWidth = 4
        var units = 0
        for relative in paths {
            let data = try #require(FileManager.default.contents(atPath: Fixtures.corpus + "/" + relative))
            let file = SourceFile(path: relative, bytes: Array(data))
            let (tokens, scan) = SCLUnitScanner.scan(file)
            let all = tokens.diagnostics + scan.allDiagnostics
            #expect(all.isEmpty, "\(renderer.render(all, files: [file]))")
            var rebuilt: [UInt8] = []
            for token in tokens.tokens { rebuilt += file.bytes[token.fullRange] }
            #expect(rebuilt == file.bytes, "\(relative) does not round-trip")

            let fileName = (relative as NSString).lastPathComponent
            let baseName = (fileName as NSString).deletingPathExtension
            if Self.commentOnly.contains(fileName) {
                #expect(tokens.tokens.count == 1 && scan.units.isEmpty)
                continue
            }
            try #require(scan.units.count >= 1, "\(relative): no unit")
            let unit = scan.units[0]
            units += scan.units.count
            #expect(unit.name == baseName)
            let (kind, returnType) = Self.expectedKinds[baseName] ?? (.functionBlock, nil)
            #expect(unit.kind == kind, "\(relative)")
            #expect(unit.returnType == returnType, "\(relative)")
            #expect(unit.isTerminated && unit.hasBody)
            #expect(unit.attribute(.version) == "0.1")
            #expect(unit.pragma("S7_Optimized_Access") == "FALSE")
            #expect(unit.range.upperBound <= file.bytes.count)
        }
        #expect(units == 56)
    }

    @Test func corpusDetails() throws {
        guard Fixtures.corpusAvailable else { return }
        let folder = Fixtures.corpus + "/ikea_vyatka_sorting/PLC_1/PLC_1/Program blocks/"
        func unit(_ name: String) throws -> SCLUnit {
            let data = try #require(FileManager.default.contents(atPath: folder + name + ".scl"))
            return try #require(SCLUnitScanner.scan(SourceFile(path: name, bytes: Array(data))).scan.units.first)
        }
        let ob = try unit("CYC_INT3")
        #expect(ob.attribute(.title) == "\"Cyclic Interrupt\"")
        #expect(ob.sections.map(\.kind) == [.temp])
        #expect(ob.sections[0].members.first?.name == "OB33_EV_CLASS")
        #expect(ob.sections[0].members.first?.typeText == "Byte")
        #expect(ob.sections[0].members.first?.comment == "Bits 0-3 = 1 (Coming event), Bits 4-7 = 1 (Event class 1)")

        let fb = try unit("FB_IM")
        let statics = try #require(fb.sections.first { $0.kind == .static })
        #expect(statics.members.count == 26)
        #expect(statics.members.first.map { "\($0.name) : \($0.typeText)" } == "M_211_Load_Transp : \"FB_IM2x1\"")

        let carousel = try unit("FB_Gasket_Carousel")
        let memento = try #require(carousel.sections.flatMap(\.members).first { $0.name == "Memento" })
        #expect(memento.typeText == "Struct" && memento.nestedMemberCount == 6 && memento.comment == "memento pattern")

        let overlay = try #require(carousel.sections.flatMap(\.members).first { $0.name == "SX" })
        #expect(overlay.overlays == "schema" && overlay.typeText == "Array[0..31] of Bool")
        #expect(overlay.attributes.map(\.key) == ["ExternalAccessible", "ExternalVisible", "ExternalWritable"])

        let sensLine = try unit("FB_SensLine")
        let bytes = try #require(sensLine.sections.flatMap(\.members).first { $0.name == "SensDataByte" })
        #expect(
            bytes.overlays == "SensData" && bytes.typeText == "Array[0..1] of Byte"
                && bytes.comment == "массив байтов")
    }
}
