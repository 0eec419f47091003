import Foundation
import S7Compiler
import S7Diagnostics
import S7Model
import S7TestSupport
import SCLSyntax
import SimaticML
import Testing

@Suite struct SampleProjectTests {
    static let names = ["traffic-light", "bottling-line", "tank-control"]

    @Test(arguments: names)
    func opensWithoutProblemsAndEveryNameResolves(name: String) throws {
        let project = try ProjectLoader.load(at: Fixtures.sampleProject(name))
        #expect(project.problems.isEmpty, "\(project.problems)")
        #expect(project.hasManifest)
        #expect(project.name == name)
        let device = try #require(project.devices.first)
        #expect(device.orderNumber?.hasPrefix("6ES7 ") == true)
        #expect(device.block(named: "Main")?.displayNumber == "OB1")
        let index = SymbolIndex(device: device)
        #expect(index.conflicts.isEmpty, "\(index.conflicts)")
        for table in device.watchTables {
            for entry in table.operandEntries where entry.operand.hasPrefix("\"") {
                // `"Tag":P` forces the peripheral input behind a tag; the tag itself must resolve.
                let operand = entry.operand.hasSuffix(":P") ? String(entry.operand.dropLast(2)) : entry.operand
                #expect(throws: Never.self, "\(table.name): \(entry.operand)") { try index.resolve(operand) }
            }
        }
        for table in device.tagTables {
            for tag in table.tags {
                #expect(throws: Never.self, "\(tag.name) \(tag.address)") { try Address(parsing: tag.address) }
                #expect(throws: Never.self, "\(tag.name) \(tag.dataType)") { try DataType(parsing: tag.dataType) }
            }
        }
    }

    @Test func bottlingLineHasWhatItsReadmePromises() throws {
        let device = try #require(try ProjectLoader.load(at: Fixtures.sampleProject("bottling-line")).devices.first)
        #expect(device.block(named: "Conveyor")?.group == ["Machines"])
        #expect(device.block(named: "PlantModel")?.group == ["Simulation"])
        #expect(device.block(named: "Cyclic interrupt")?.displayNumber == "OB30")
        #expect(device.block(named: "Startup")?.displayNumber == "OB100")
        #expect(device.tagTables.count == 2)
        #expect(Set(device.watchTables.map(\.kind)) == [.watch, .force])
        #expect(device.dataTypes.count >= 3)
        #expect(device.blocks.filter { $0.kind == .globalDB }.count >= 2)
        let counters = device.block(named: "LineData")?.interface.allMembers.first { $0.name == "Counters" }
        #expect(counters?.dataType == "Struct")
        #expect(counters?.members.map(\.dataType).allSatisfy { $0 == "DInt" } == true)
        #expect(counters?.members.first?.name == "BottlesIn")
    }

    /// The sample sources are valid SCL: every unit parses without a diagnostic.
    @Test(arguments: names)
    func everySourceParsesWithoutErrors(name: String) throws {
        let root = Fixtures.sampleProject(name)
        for path in Fixtures.files(below: root, endings: ["scl", "db", "udt"]) {
            let bytes = try #require(FileManager.default.contents(atPath: root + "/" + path))
            let result = SCLParser.parse(SourceFile(path: path, bytes: Array(bytes)))
            #expect(result.diagnostics.isEmpty, "\(path): \(result.diagnostics.map(\.message))")
        }
    }
}
