import Foundation
import S7Model
import S7TestSupport
import Testing
import Workbench
import WorkbenchAPI

/// The editing routes of "Data Types (UDT)" on a copy of the bottling line: types created, updated, exported,
/// deleted and imported again, their folders, the asynchronous forms, and SimaticML types refused for edits.
@Suite struct TypeRouteTests {
    static let device = "/api/devices/PLC_1"

    static func text(_ path: String) throws -> String {
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        return String(decoding: bytes, as: UTF8.self)
    }

    static let axis: JSONValue = [
        "name": "typeAxis", "folder": "Motion",
        "members": [
            ["name": "Position", "dataType": "Real", "comment": "mm"],
            ["name": "Homed", "dataType": "Bool"],
        ],
    ]

    @Test func aTypeIsCreatedUpdatedExportedDeletedAndImportedAgain() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let created = try await RouteCall.call(.post, "\(Self.device)/udts", body: Self.axis, on: engine)
        #expect(created.status == 201, "\(created.body)")
        #expect(created.body["file"] == "PLC_1/PLC data types/Motion/typeAxis.udt")
        #expect(created.body["folder"] == "Motion" && created.body["memberCount"] == 2)
        #expect(created.body["members"]?.arrayValue?.first?["comment"] == "mm")
        #expect(try await RouteCall.call(.post, "\(Self.device)/udts", body: Self.axis, on: engine).status == 409)
        let selfReference = try await RouteCall.call(
            .post, "\(Self.device)/udts",
            body: ["name": "typeLoop", "members": [["name": "Next", "dataType": "\"typeLoop\""]]], on: engine)
        #expect(selfReference.status == 400)

        let updated = try await RouteCall.call(
            .put, "\(Self.device)/udts/typeAxis",
            body: [
                "members": [
                    ["name": "Position", "dataType": "LReal", "startValue": 0.5],
                    ["name": "Homed", "dataType": "Bool"],
                    ["name": "Motor", "dataType": "\"typeMotor\"", "comment": "drive"],
                ]
            ], on: engine)
        #expect(updated.status == 200, "\(updated.body)")
        #expect(updated.body["memberCount"] == 3)
        let source = try #require(updated.body["source"]?.stringValue)
        #expect(
            source == """
                TYPE "typeAxis"
                VERSION : 0.1
                   STRUCT
                      Position : LReal := 0.5;
                      Homed : Bool;
                      Motor : "typeMotor";   // drive
                   END_STRUCT;

                END_TYPE


                """)
        // A block can use it: an FB with a member of the new type compiles.
        let block = try await RouteCall.call(
            .post, "\(Self.device)/blocks",
            body: [
                "name": "AxisControl", "type": "FB",
                "interface": [["section": "Static", "members": [["name": "axis", "dataType": "\"typeAxis\""]]]],
                "code": "#axis.Homed := #axis.Position > 0.0;",
            ], on: engine)
        #expect(block.status == 201, "\(block.body)")
        try await engine.download(device: "PLC_1")
        #expect(try await engine.plcInstance(device: "PLC_1").loadedBlocks.contains("AxisControl"))
        await engine.shutdown()

        let exported = try await RouteCall.call(
            .post, "\(Self.device)/udts/typeAxis/actions/export", body: ["filePath": "exports/"], on: engine)
        #expect(exported.status == 200, "\(exported.body)")
        #expect(exported.body["format"] == "SCL")
        #expect(try Self.text(root + "/exports/typeAxis.udt") == source)
        let byName = try await RouteCall.call(
            .post, "\(Self.device)/udts/actions/export",
            body: ["udtName": "typeMotor", "filePath": "exports/motor.udt"], on: engine)
        #expect(byName.status == 200, "\(byName.body)")
        #expect(try Self.text(root + "/exports/motor.udt").hasPrefix("TYPE \"typeMotor\""))
        let asXML = try await RouteCall.call(
            .post, "\(Self.device)/udts/typeAxis/actions/export", body: ["filePath": "exports/axis.xml"], on: engine)
        // A source type as SimaticML: `SW.Types.PlcStruct` with its members in SimaticML spelling.
        #expect(asXML.status == 200 && asXML.body["format"] == "SimaticML", "\(asXML.body)")
        let xml = try Self.text(root + "/exports/axis.xml")
        #expect(xml.contains("<SW.Types.PlcStruct ID=") && xml.contains("<Name>typeAxis</Name>"), "\(xml)")

        try await engine.save()
        #expect(try Self.text(root + "/PLC_1/PLC data types/Motion/typeAxis.udt") == source)
        let deleted = try await RouteCall.call(.delete, "\(Self.device)/udts/typeAxis", on: engine)
        #expect(deleted.status == 200 && deleted.body["name"] == "typeAxis")
        try await engine.save()
        #expect(!FileManager.default.fileExists(atPath: root + "/PLC_1/PLC data types/Motion/typeAxis.udt"))
        #expect(try await RouteCall.call(.get, "\(Self.device)/udts/typeAxis", on: engine).status == 404)

        let imported = try await RouteCall.call(
            .post, "\(Self.device)/udts/actions/import",
            body: ["filePath": "exports/typeAxis.udt", "folder": "Motion"],
            on: engine)
        #expect(imported.status == 200, "\(imported.body)")
        #expect(imported.body["imported"]?.arrayValue?.first?["file"] == "PLC_1/PLC data types/Motion/typeAxis.udt")
        #expect(try await RouteCall.call(.get, "\(Self.device)/udts/typeAxis", on: engine).body["memberCount"] == 3)
        let twice = try await RouteCall.call(
            .post, "\(Self.device)/udts/actions/import", body: ["filePath": "exports/typeAxis.udt"], on: engine)
        #expect(twice.status == 409)
        let replaced = try await RouteCall.call(
            .post, "\(Self.device)/udts/actions/import", body: ["filePath": "exports/typeAxis.udt", "overwrite": true],
            on: engine)
        #expect(replaced.body["imported"]?.arrayValue?.first?["replaced"] == true, "\(replaced.body)")
        try await engine.save()
        #expect(try Self.text(root + "/PLC_1/PLC data types/Motion/typeAxis.udt") == source)
    }

    @Test func simaticMLTypesAreExportedAsTheyAreAndNotEdited() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let refused = try await RouteCall.call(
            .put, "\(Self.device)/udts/typeBottle", body: ["members": [["name": "Id", "dataType": "DInt"]]],
            on: engine)
        #expect(refused.status == 422, "\(refused.body)")
        let exported = try await RouteCall.call(
            .post, "\(Self.device)/udts/typeBottle/actions/export", body: ["filePath": "exports/"], on: engine)
        #expect(exported.status == 200, "\(exported.body)")
        #expect(exported.body["format"] == "SimaticML")
        let original = root + "/PLC_1/PLC data types/typeBottle.xml"
        #expect(
            FileManager.default.contents(atPath: root + "/exports/typeBottle.xml")
                == FileManager.default.contents(atPath: original))

        // Imported under another folder with overwrite, it replaces the type and moves nothing else.
        let imported = try await RouteCall.call(
            .post, "\(Self.device)/udts/actions/import",
            body: ["filePath": "exports/typeBottle.xml", "overwrite": true],
            on: engine)
        #expect(imported.status == 200, "\(imported.body)")
        #expect(imported.body["imported"]?.arrayValue?.first?["file"] == "PLC_1/PLC data types/typeBottle.xml")
        let notAType = try await RouteCall.call(
            .post, "\(Self.device)/udts/actions/import",
            body: ["filePath": "PLC_1/Watch and force tables/Commissioning.xml"], on: engine)
        #expect(notAType.status == 400)
        let missing = try await RouteCall.call(
            .post, "\(Self.device)/udts/actions/import", body: ["filePath": "exports/none.udt"], on: engine)
        #expect(missing.status == 404)
    }

    @Test func typeFoldersAreCreatedAndOnlyEmptyOnesDeleted() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let created = try await RouteCall.call(
            .post, "\(Self.device)/udts/folders", body: ["folderPath": "Drives"], on: engine)
        #expect(created.status == 201, "\(created.body)")
        #expect(created.body["path"] == "PLC_1/PLC data types/Drives")
        #expect(FileManager.default.fileExists(atPath: root + "/PLC_1/PLC data types/Drives"))
        _ = try await RouteCall.call(.post, "\(Self.device)/udts", body: Self.axis, on: engine)
        let busy = try await RouteCall.call(.delete, "\(Self.device)/udts/folders/Motion", on: engine)
        #expect(busy.status == 409)
        let gone = try await RouteCall.call(.delete, "\(Self.device)/udts/folders/Drives", on: engine)
        #expect(gone.status == 200, "\(gone.body)")
        #expect(!FileManager.default.fileExists(atPath: root + "/PLC_1/PLC data types/Drives"))
        #expect(try await RouteCall.call(.delete, "\(Self.device)/udts/folders/Drives", on: engine).status == 404)
        let tree = try await RouteCall.call(.get, "\(Self.device)/udts/tree", on: engine).body
        #expect(tree["folders"]?.arrayValue?.map { $0["name"] } == ["Motion"])
    }

    @Test func theAsynchronousFormsFinishWithTheSameAnswers() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let accepted = try await RouteCall.call(.post, "\(Self.device)/udts/async", body: Self.axis, on: engine)
        #expect(accepted.status == 202)
        let created = try await RouteCall.finishedJob(accepted.body, on: engine)
        #expect(created["status"] == "succeeded", "\(created)")
        let details = try await RouteCall.call(.get, "\(Self.device)/udts/typeAxis", on: engine).body
        #expect(created["result"] == details)

        let update = try await RouteCall.call(
            .put, "\(Self.device)/udts/typeAxis/async", body: ["members": [["name": "Speed", "dataType": "Real"]]],
            on: engine)
        let updated = try await RouteCall.finishedJob(update.body, on: engine)
        #expect(updated["result"]?["memberCount"] == 1, "\(updated)")
        let current = try await RouteCall.call(.get, "\(Self.device)/udts/typeAxis", on: engine).body
        #expect(updated["result"] == current)

        let failing = try await RouteCall.call(
            .put, "\(Self.device)/udts/typeBottle/async", body: ["members": []], on: engine)
        let failed = try await RouteCall.finishedJob(failing.body, on: engine)
        #expect(failed["status"] == "failed")

        _ = try await RouteCall.call(
            .post, "\(Self.device)/udts/typeAxis/actions/export", body: ["filePath": "exports/"], on: engine)
        _ = try await RouteCall.call(.delete, "\(Self.device)/udts/typeAxis", on: engine)
        let importing = try await RouteCall.call(
            .post, "\(Self.device)/udts/actions/import/async", body: ["filePath": "exports/typeAxis.udt"], on: engine)
        let imported = try await RouteCall.finishedJob(importing.body, on: engine)
        #expect(imported["result"]?["count"] == 1, "\(imported)")
        #expect(try await engine.dataType("typeAxis", device: "PLC_1").members.map(\.name) == ["Speed"])
    }
}
