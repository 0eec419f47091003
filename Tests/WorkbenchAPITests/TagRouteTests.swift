import Foundation
import S7Model
import S7TestSupport
import Testing
import Workbench
import WorkbenchAPI

/// The editing routes of "Tags & Constants" on a copy of the bottling line: tags and constants one by one, imports
/// that take all rows or none, exports, tag tables and their folders, and the asynchronous forms.
@Suite struct TagRouteTests {
    static let device = "/api/devices/PLC_1"

    func tags(_ table: String, on engine: Engine) async throws -> [JSONValue] {
        let answer = try await RouteCall.call(.get, "\(Self.device)/tag-tables/\(table)/tags", on: engine)
        #expect(answer.status == 200, "\(answer.body)")
        return answer.body["tags"]?.arrayValue ?? []
    }

    @Test func tagsAndConstantsAreAddedChangedAndDeleted() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }

        // Without a table the tag goes to the default tag table, which is created.
        let added = try await RouteCall.call(
            .post, "\(Self.device)/tags",
            body: ["name": "Spare1", "dataType": "bool", "address": "M30.0", "comment": "spare input"], on: engine)
        #expect(added.status == 201, "\(added.body)")
        #expect(added.body["tagTable"] == "Default tag table")
        #expect(added.body["dataType"] == "Bool")
        #expect(added.body["address"] == "%M30.0")
        let tables = try await RouteCall.call(.get, "\(Self.device)/tag-tables", on: engine)
        #expect(tables.body["tagTables"]?.arrayValue?.contains { $0["name"] == "Default tag table" } == true)

        // Renaming and moving it keeps what the body leaves out.
        let path = "\(Self.device)/tag-tables/Default tag table/tags/Spare1"
        let updated = try await RouteCall.call(.put, path, body: ["name": "Spare_1", "address": "%M30.1"], on: engine)
        #expect(updated.status == 200, "\(updated.body)")
        #expect(updated.body["name"] == "Spare_1")
        #expect(updated.body["address"] == "%M30.1")
        #expect(updated.body["comment"] == "spare input")

        // A word address for a Bool, and a name another table uses, are refused and change nothing.
        let misfit = try await RouteCall.call(
            .put, "\(Self.device)/tag-tables/Default tag table/tags/Spare_1", body: ["address": "%MW31"], on: engine)
        #expect(misfit.status == 400)
        #expect(misfit.body["detail"]?.stringValue?.contains("tag Spare_1, address") == true, "\(misfit.body)")
        let taken = try await RouteCall.call(
            .post, "\(Self.device)/tags", body: ["name": "StartButton", "dataType": "Bool", "tagTable": "HMI"],
            on: engine)
        #expect(taken.status == 400)
        #expect(taken.body["detail"]?.stringValue?.contains("Machine IO") == true, "\(taken.body)")
        #expect(try await tags("HMI", on: engine).count == 7)
        let missing = try await RouteCall.call(
            .post, "\(Self.device)/tags", body: ["name": "X", "dataType": "Bool", "tagTable": "Nowhere"], on: engine)
        #expect(missing.status == 404)

        // Constants.
        let constant = try await RouteCall.call(
            .post, "\(Self.device)/tag-tables/HMI/constants",
            body: ["name": "MAX_SPEED", "dataType": "Int", "value": 150, "comment": "mm/s"], on: engine)
        #expect(constant.status == 201, "\(constant.body)")
        #expect(constant.body["value"] == "150")
        let changed = try await RouteCall.call(
            .put, "\(Self.device)/tag-tables/HMI/constants/max_speed", body: ["value": "200"], on: engine)
        #expect(changed.body["name"] == "MAX_SPEED")
        #expect(changed.body["value"] == "200")
        #expect(changed.body["comment"] == "mm/s")
        let bad = try await RouteCall.call(
            .put, "\(Self.device)/tag-tables/HMI/constants/MAX_SPEED", body: ["value": "fast"], on: engine)
        #expect(bad.status == 400)

        // Saved, the files hold the changes.
        try await engine.save()
        let defaultFile = try String(
            contentsOfFile: root + "/PLC_1/PLC tags/Default tag table.xml", encoding: .utf8)
        #expect(defaultFile.contains("<Name>Spare_1</Name>") && defaultFile.contains("%M30.1"))
        let hmiFile = try String(contentsOfFile: root + "/PLC_1/PLC tags/HMI.xml", encoding: .utf8)
        #expect(hmiFile.contains("<Name>MAX_SPEED</Name>") && hmiFile.contains("<Value>200</Value>"))

        let deleted = try await RouteCall.call(
            .delete, "\(Self.device)/tag-tables/Default tag table/tags/spare_1", on: engine)
        #expect(deleted.body == ["name": "Spare_1", "tagTable": "Default tag table", "deleted": true])
        #expect(try await tags("Default tag table", on: engine).isEmpty)
        let gone = try await RouteCall.call(
            .delete, "\(Self.device)/tag-tables/HMI/constants/MAX_SPEED", on: engine)
        #expect(gone.status == 200)
        let constants = try await RouteCall.call(.get, "\(Self.device)/tag-tables/HMI/constants", on: engine)
        #expect(constants.body["count"] == 2)
        let again = try await RouteCall.call(
            .delete, "\(Self.device)/tag-tables/HMI/constants/MAX_SPEED", on: engine)
        #expect(again.status == 404)
    }

    @Test func aCSVImportWithOneBadRowChangesNothingAndNamesTheRow() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let header = "Name,Path,Data Type,Logical Address,Comment,Hmi Visible,Hmi Accessible,Hmi Writeable\r\n"
        let before = try await tags("HMI", on: engine)

        // Row 3's address does not exist: refused when the file is read.
        let syntax =
            header + "HMI_Extra1,HMI,Bool,%M40.0,one,True,True,True\r\n"
            + "HMI_Extra2,HMI,Bool,%M40.9,two,True,True,True\r\n"
        let refused = try await RouteCall.call(
            .post, "\(Self.device)/tag-tables/HMI/actions/import-csv-sync", body: ["content": .string(syntax)],
            on: engine)
        #expect(refused.status == 400)
        let detail = refused.body["detail"]?.stringValue ?? ""
        #expect(detail.contains("PLC Tags row 3, Logical Address"), "\(detail)")

        // Row 2's address is fine on its own but too small for an Int: refused by the engine's check.
        let fit =
            header + "HMI_Extra1,HMI,Int,%M40.0,one,True,True,True\r\n"
            + "HMI_Extra2,HMI,Bool,%M40.1,two,True,True,True\r\n"
        let misfit = try await RouteCall.call(
            .post, "\(Self.device)/tag-tables/HMI/actions/import-csv-sync", body: ["content": .string(fit)],
            on: engine)
        #expect(misfit.status == 400)
        #expect(misfit.body["detail"]?.stringValue?.contains("PLC Tags row 2, address") == true, "\(misfit.body)")
        #expect(try await tags("HMI", on: engine) == before)

        // The good file, written into the project, imports both rows; a second import updates them.
        let good =
            header + "HMI_Extra1,HMI,Bool,%M40.0,one,True,True,True\r\n"
            + "HMI_Extra2,HMI,Bool,%M40.1,two,True,False,True\r\n"
        try FileManager.default.createDirectory(atPath: root + "/imports", withIntermediateDirectories: true)
        try good.write(toFile: root + "/imports/extra.csv", atomically: true, encoding: .utf8)
        let imported = try await RouteCall.call(
            .post, "\(Self.device)/tag-tables/HMI/actions/import-csv-sync", body: ["filePath": "imports/extra.csv"],
            on: engine)
        #expect(imported.status == 200, "\(imported.body)")
        #expect(imported.body["tagsAdded"] == 2)
        #expect(imported.body["tagCount"] == 9)
        let extra = try await tags("HMI", on: engine).last
        #expect(extra?["name"] == "HMI_Extra2")
        #expect(extra?["externalAccessible"] == false)
        let twice = try await RouteCall.call(
            .post, "\(Self.device)/tag-tables/HMI/actions/import-csv-sync", body: ["filePath": "imports/extra.csv"],
            on: engine)
        #expect(twice.body["tagsAdded"] == 0)
        #expect(twice.body["tagsUpdated"] == 2)

        // Replace mode leaves exactly the file's tags; a CSV file holds no constants, so the table keeps its own.
        let replaced = try await RouteCall.call(
            .post, "\(Self.device)/tag-tables/HMI/actions/import-csv-sync",
            body: ["filePath": "imports/extra.csv", "mode": "replace"], on: engine)
        #expect(replaced.body["tagsRemoved"] == 7)
        #expect(replaced.body["constantsRemoved"] == 0)
        #expect(replaced.body["constantCount"] == 2)
        #expect(try await tags("HMI", on: engine).count == 2)

        let noFile = try await RouteCall.call(
            .post, "\(Self.device)/tag-tables/HMI/actions/import-csv-sync", body: ["filePath": "imports/none.csv"],
            on: engine)
        #expect(noFile.status == 404)
        let neither = try await RouteCall.call(
            .post, "\(Self.device)/tag-tables/HMI/actions/import-csv-sync", body: ["mode": "merge"], on: engine)
        #expect(neither.status == 400)
    }

    @Test func anExportedWorkbookImportsIntoANewTable() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let original = try await engine.tagTable("Machine IO", device: "PLC_1")

        let written = try await RouteCall.call(
            .post, "\(Self.device)/tag-tables/Machine IO/actions/export-excel-sync",
            body: ["filePath": "exports/machine-io.xlsx"], on: engine)
        #expect(written.status == 200, "\(written.body)")
        #expect(written.body["rows"] == 21)
        #expect(written.body["content"] == .null)
        let filePath = try #require(written.body["filePath"]?.stringValue)
        #expect(filePath.hasSuffix("/exports/machine-io.xlsx"))
        let file = try #require(FileManager.default.contents(atPath: filePath))
        #expect(written.body["bytes"] == .int(Int64(file.count)))
        let workbook = try XLSXWorkbook(reading: Array(file))
        #expect(workbook.sheets.map(\.name) == ["PLC Tags", "User Constants"])

        let inline = try await RouteCall.call(
            .post, "\(Self.device)/tag-tables/Machine IO/actions/export-excel-sync", body: [:], on: engine)
        #expect(inline.body["encoding"] == "base64")
        let content = try #require(inline.body["content"]?.stringValue)
        #expect(Data(base64Encoded: content) == file)

        // The names are taken while Machine IO exists; without it the workbook imports as a new table.
        let clash = try await RouteCall.call(
            .post, "\(Self.device)/tag-tables/IO copy/actions/import-xlsx-sync", body: ["content": .string(content)],
            on: engine)
        #expect(clash.status == 400)
        #expect(clash.body["detail"]?.stringValue?.contains("PLC Tags row 2, name") == true, "\(clash.body)")
        let deleted = try await RouteCall.call(
            .delete, "\(Self.device)/tag-tables/Machine IO/actions/delete-sync", on: engine)
        #expect(deleted.body == ["name": "Machine IO", "deleted": true])
        let imported = try await RouteCall.call(
            .post, "\(Self.device)/tag-tables/IO copy/actions/import-xlsx-sync",
            body: ["filePath": .string(filePath)], on: engine)
        #expect(imported.status == 200, "\(imported.body)")
        #expect(imported.body["tableCreated"] == true)
        #expect(imported.body["tagsAdded"] == 21)
        let copy = try await engine.tagTable("IO copy", device: "PLC_1")
        #expect(copy.tags == original.tags)

        let notAWorkbook = try await RouteCall.call(
            .post, "\(Self.device)/tag-tables/IO copy/actions/import-xlsx-sync",
            body: ["content": .string(Data("Name,Data Type".utf8).base64EncodedString())], on: engine)
        #expect(notAWorkbook.status == 400)
        #expect(notAWorkbook.body["detail"]?.stringValue?.contains("not an XLSX workbook") == true)
    }

    @Test func exportsStayInsideTheProjectAndKeepTheirExtension() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let route = "\(Self.device)/tag-tables/HMI/actions/export-csv-sync"
        let outside = NSTemporaryDirectory() + "s7wb-outside-\(UUID().uuidString).csv"
        let refused = try await RouteCall.call(.post, route, body: ["filePath": .string(outside)], on: engine)
        #expect(refused.status == 403)
        #expect(!FileManager.default.fileExists(atPath: outside))
        #expect(try await RouteCall.call(.post, route, body: ["filePath": "../hmi.csv"], on: engine).status == 400)
        #expect(try await RouteCall.call(.post, route, body: ["filePath": "s7project.json"], on: engine).status == 400)
        #expect(try await RouteCall.call(.post, route, body: ["filePath": ".s7wb/x.csv"], on: engine).status == 403)

        let written = try await RouteCall.call(.post, route, body: ["filePath": "hmi.csv"], on: engine)
        #expect(written.status == 200, "\(written.body)")
        let text = try String(contentsOfFile: root + "/hmi.csv", encoding: .utf8)
        #expect(text.hasPrefix("Name,Path,Data Type,Logical Address,Comment,"))
        #expect(text.contains("\r\nHMI_Start,HMI,Bool,%M20.0,"))
        #expect(written.body["rows"] == 7)

        let xml = try await RouteCall.call(.get, "\(Self.device)/tag-tables/HMI/export-xml", on: engine)
        #expect(xml.body["name"] == "HMI")
        let document = try #require(xml.body["xml"]?.stringValue)
        #expect(document.hasPrefix("<?xml"))
        #expect(document.contains("<Name>RECIPE_COUNT</Name>"))
    }

    @Test func tablesAndFoldersAreCreatedRenamedAndDeleted() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folders = "\(Self.device)/tag-tables/folders"
        let created = try await RouteCall.call(.post, folders, body: ["folderPath": "Drives/Axes"], on: engine)
        #expect(created.status == 201, "\(created.body)")
        #expect(created.body["path"] == "PLC_1/PLC tags/Drives/Axes")
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(
            atPath: root + "/PLC_1/PLC tags/Drives/Axes", isDirectory: &isDirectory)
        #expect(exists && isDirectory.boolValue)
        #expect(try await RouteCall.call(.post, folders, body: ["folderPath": "Drives/Axes"], on: engine).status == 409)
        #expect(try await RouteCall.call(.post, folders, body: ["folderPath": "Drives/../x"], on: engine).status == 400)

        let table = try await RouteCall.call(
            .post, "\(Self.device)/tag-tables/actions/create-sync",
            body: ["name": "AxisTags", "folder": "Drives/Axes"],
            on: engine)
        #expect(table.status == 201, "\(table.body)")
        #expect(table.body["folder"] == "Drives/Axes")
        #expect(table.body["file"] == "PLC_1/PLC tags/Drives/Axes/AxisTags.xml")
        let duplicate = try await RouteCall.call(
            .post, "\(Self.device)/tag-tables/actions/create-sync", body: ["name": "axistags"], on: engine)
        #expect(duplicate.status == 409)

        // A folder holding a table is not deleted.
        let full = try await RouteCall.call(.delete, folders, query: ["folderPath": "Drives"], on: engine)
        #expect(full.status == 409)
        #expect(full.body["detail"]?.stringValue?.contains("AxisTags") == true, "\(full.body)")

        let renamed = try await RouteCall.call(
            .put, "\(Self.device)/tag-tables/AxisTags/actions/update-sync", body: ["name": "Axis tags"], on: engine)
        #expect(renamed.status == 200, "\(renamed.body)")
        #expect(renamed.body["file"] == "PLC_1/PLC tags/Drives/Axes/Axis tags.xml")
        let tree = try await RouteCall.call(.get, "\(Self.device)/tag-tables/tree", on: engine)
        let drives = tree.body["folders"]?.arrayValue?.first { $0["name"] == "Drives" }
        let axes = drives?["folders"]?.arrayValue?.first
        #expect(axes?["items"]?.arrayValue?.first?["name"] == "Axis tags")
        try await engine.save()
        #expect(FileManager.default.fileExists(atPath: root + "/PLC_1/PLC tags/Drives/Axes/Axis tags.xml"))

        let gone = try await RouteCall.call(
            .delete, "\(Self.device)/tag-tables/Axis tags/actions/delete-sync", on: engine)
        #expect(gone.status == 200)
        try await engine.save()
        let axesGone = try await RouteCall.call(.delete, folders, body: ["folderPath": "Drives/Axes"], on: engine)
        #expect(axesGone.status == 200, "\(axesGone.body)")
        #expect(axesGone.body == ["folderPath": "Drives/Axes", "deleted": true])
        #expect(!FileManager.default.fileExists(atPath: root + "/PLC_1/PLC tags/Drives/Axes"))
        #expect(try await RouteCall.call(.delete, folders, query: ["folderPath": "Drives"], on: engine).status == 200)
        #expect(try await RouteCall.call(.delete, folders, query: ["folderPath": "Drives"], on: engine).status == 404)
        #expect(try await RouteCall.call(.delete, folders, on: engine).status == 400)
    }

    @Test func asynchronousFormsFinishWithTheSameResult() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }

        let list = try await RouteCall.call(.get, "\(Self.device)/tag-tables", on: engine)
        let listJob = try await RouteCall.call(.get, "\(Self.device)/tag-tables/async", on: engine)
        #expect(listJob.status == 202)
        let listed = try await RouteCall.finishedJob(listJob.body, on: engine)
        #expect(listed["status"] == "succeeded")
        #expect(listed["result"] == list.body)

        let tags = try await RouteCall.call(.get, "\(Self.device)/tag-tables/HMI/tags", on: engine)
        let tagsJob = try await RouteCall.call(.get, "\(Self.device)/tag-tables/HMI/tags/async", on: engine)
        #expect(try await RouteCall.finishedJob(tagsJob.body, on: engine)["result"] == tags.body)

        let csv = try await RouteCall.call(
            .post, "\(Self.device)/tag-tables/HMI/actions/export-csv-sync", body: [:], on: engine)
        let csvJob = try await RouteCall.call(
            .post, "\(Self.device)/tag-tables/HMI/actions/export-csv", body: [:], on: engine)
        #expect(csvJob.status == 202)
        #expect(try await RouteCall.finishedJob(csvJob.body, on: engine)["result"] == csv.body)

        let importJob = try await RouteCall.call(
            .post, "\(Self.device)/tags/actions/import",
            body: [
                "tagTable": "Async", "tags": [["name": "AsyncTag", "dataType": "Int", "address": "%MW50"]],
                "constants": [["name": "ASYNC_COUNT", "dataType": "Int", "value": "4"]],
            ], on: engine)
        let imported = try await RouteCall.finishedJob(importJob.body, on: engine)
        #expect(imported["result"]?["tableCreated"] == true, "\(imported)")
        #expect(imported["result"]?["tagsAdded"] == 1)
        #expect(imported["result"]?["constantsAdded"] == 1)

        let createJob = try await RouteCall.call(
            .post, "\(Self.device)/tag-tables/actions/create", body: ["name": "Async 2"], on: engine)
        #expect(try await RouteCall.finishedJob(createJob.body, on: engine)["result"]?["name"] == "Async 2")
        let renameJob = try await RouteCall.call(
            .put, "\(Self.device)/tag-tables/Async 2/actions/update", body: ["name": "Async 3"], on: engine)
        #expect(try await RouteCall.finishedJob(renameJob.body, on: engine)["result"]?["name"] == "Async 3")
        let deleteJob = try await RouteCall.call(
            .delete, "\(Self.device)/tag-tables/Async 3/actions/delete", on: engine)
        let deletedResult = try await RouteCall.finishedJob(deleteJob.body, on: engine)["result"]
        #expect(deletedResult == ["name": "Async 3", "deleted": true])
        #expect(try await engine.device("PLC_1").tagTable(named: "Async 3") == nil)

        // A job whose work is refused fails with the same reason.
        let badJob = try await RouteCall.call(
            .post, "\(Self.device)/tags/actions/import",
            body: ["tags": [["name": "Bad", "dataType": "Bool", "address": "%MW2"]]], on: engine)
        let failed = try await RouteCall.finishedJob(badJob.body, on: engine)
        #expect(failed["status"] == "failed")
        #expect(failed["error"]?.stringValue?.contains("tags item 1, address") == true, "\(failed)")
    }
}
