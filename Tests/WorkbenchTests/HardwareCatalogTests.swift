import Foundation
import S7TestSupport
import Testing
import Workbench

/// The compiled-in hardware catalog: exact lookup, fuzzy search, slot rules and the well-formedness of its data.
@Suite("Hardware catalog")
struct HardwareCatalogTests {
    @Test func findIgnoresSpacesDashesAndCase() throws {
        let entry = try #require(HardwareCatalog.find(orderNumber: "6es7516-3an02-0ab0"))
        #expect(entry.name == "CPU 1516-3 PN/DP")
        #expect(entry.family == "S7-1500" && entry.kind == .cpu && entry.isPLC)
        #expect(entry.workMemoryProgramBytes == 1024 * 1024 && entry.workMemoryDataBytes == 5 * 1024 * 1024)
        #expect(HardwareCatalog.find(orderNumber: " 6ES7 516 3AN02 0AB0 ")?.orderNumber == "6ES7 516-3AN02-0AB0")
        #expect(HardwareCatalog.find(orderNumber: "6ES75163AN020AB0") != nil)
        #expect(HardwareCatalog.find(orderNumber: "6ES7 516-3AN02-0AB1") == nil)
        #expect(HardwareCatalog.find(orderNumber: "") == nil)
        #expect(HardwareCatalog.find(orderNumber: "--") == nil)
    }

    @Test func searchRanksTheNamedCPUFirst() throws {
        let results = HardwareCatalog.search("1516", limit: 5)
        let first = try #require(results.first)
        #expect(first.entry.orderNumber == "6ES7 516-3AN02-0AB0")
        #expect(results.dropFirst().allSatisfy { $0.score < first.score })

        let panel = try #require(HardwareCatalog.search("ktp700", limit: 3).first)
        #expect(panel.entry.orderNumber == "6AV2 123-2GB03-0AX0")

        let byOrder = try #require(HardwareCatalog.search("6ES7 215", limit: 3).first)
        #expect(byOrder.entry.name == "CPU 1215C DC/DC/DC")
        #expect(HardwareCatalog.search("516-3an", limit: 1).first?.entry.name == "CPU 1516-3 PN/DP")
    }

    @Test func searchToleratesCaseAndOneTypingError() throws {
        let exact = try #require(HardwareCatalog.search("1214c dc/dc/dc", limit: 5).first)
        #expect(exact.entry.orderNumber == "6ES7 214-1AG40-0XB0")
        let typo = try #require(HardwareCatalog.search("cpu 1214d", limit: 5).first)
        #expect(typo.entry.orderNumber == "6ES7 214-1AG40-0XB0")
        let comfort = try #require(HardwareCatalog.search("tp900 comfrot", limit: 5).first)
        #expect(comfort.entry.orderNumber == "6AV2 124-0JC01-0AX0")
        #expect(HardwareCatalog.search("zzzz qqqq", limit: 5).isEmpty)
        #expect(HardwareCatalog.search("   ", limit: 5).isEmpty)
        #expect(HardwareCatalog.search("cpu", limit: 3).count == 3)
    }

    @Test func everyOrderNumberIsWellFormedAndUnique() {
        // `6ES7 516-3AN02-0AB0`: 9 a digit, A a letter, the rest as written.
        let shape = Array("9AA9 999-9AA99-9AA9")
        var seen: Set<String> = []
        for entry in HardwareCatalog.entries {
            let characters = Array(entry.orderNumber)
            let fits =
                characters.count == shape.count
                && zip(characters, shape).allSatisfy { character, expected in
                    switch expected {
                    case "9": character.isASCII && character.isNumber
                    case "A": character.isASCII && (character.isUppercase || character.isNumber)
                    default: character == expected
                    }
                }
            #expect(fits, "\(entry.orderNumber) (\(entry.name)) is not shaped like a Siemens order number")
            #expect(entry.orderNumber.hasPrefix("6ES7") || entry.orderNumber.hasPrefix("6AV2"), "\(entry.orderNumber)")
            #expect(seen.insert(HardwareCatalog.orderKey(entry.orderNumber)).inserted, "\(entry.orderNumber) twice")
            #expect(HardwareCatalog.families.contains(entry.family), "\(entry.name): family \(entry.family)")
            if entry.isPLC {
                #expect(!entry.firmwareVersions.isEmpty && entry.workMemoryProgramBytes != nil, "\(entry.name)")
            } else {
                #expect(entry.workMemoryProgramBytes == nil && entry.workMemoryDataBytes == nil, "\(entry.name)")
            }
        }
        #expect(Set(HardwareCatalog.entries.map(\.name)).count == HardwareCatalog.entries.count - 1)
    }

    @Test func theSampleProjectsHardwareIsInTheCatalog() throws {
        for sample in ["bottling-line", "tank-control", "traffic-light"] {
            let data = try #require(
                FileManager.default.contents(atPath: Fixtures.sampleProject(sample) + "/s7project.json"))
            let manifest = try JSONDecoder().decode(ManifestOrderNumbers.self, from: data)
            for device in manifest.devices {
                let entry = try #require(
                    HardwareCatalog.find(orderNumber: device.orderNumber), "\(sample): \(device.orderNumber)")
                #expect(entry.isPLC)
                #expect(entry.firmwareVersions.contains(device.firmware), "\(sample): \(device.firmware)")
            }
        }
    }

    @Test func slotsFollowTIANumbering() throws {
        let s71500 = try #require(HardwareCatalog.find(orderNumber: "6ES7 516-3AN02-0AB0"))
        let modules = HardwareCatalog.compatibleModules(for: s71500)
        #expect(!modules.isEmpty && modules.allSatisfy { $0.module.family == "S7-1500" && $0.slots == 2...31 })

        let s71214 = try #require(HardwareCatalog.find(orderNumber: "6ES7 214-1AG40-0XB0"))
        let fits = HardwareCatalog.compatibleModules(for: s71214)
        #expect(fits.first { $0.module.name.hasPrefix("SM 1221") }?.slots == 2...9)
        #expect(fits.first { $0.module.name.hasPrefix("CM 1241") }?.slots == 101...103)

        let s71211 = try #require(HardwareCatalog.find(orderNumber: "6ES7 211-1AE40-0XB0"))
        #expect(HardwareCatalog.compatibleModules(for: s71211).allSatisfy { $0.module.name.hasPrefix("CM") })
        let panel = try #require(HardwareCatalog.find(orderNumber: "6AV2 123-2GB03-0AX0"))
        #expect(HardwareCatalog.compatibleModules(for: panel).isEmpty)
    }
}

/// The part of `s7project.json` the catalog test reads.
private struct ManifestOrderNumbers: Decodable {
    struct Entry: Decodable {
        var orderNumber: String
        var firmware: String
    }

    var devices: [Entry]
}
