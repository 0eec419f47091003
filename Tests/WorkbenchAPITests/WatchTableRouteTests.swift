import Foundation
import S7Model
import S7TestSupport
import Testing
import Workbench
import WorkbenchAPI

/// The Watch & Force Tables routes on a copy of the bottling line: tables created, rows added with TIA's display
/// formats, live values from the virtual PLC, rows removed and cleared, SimaticML export and import, folders.
@Suite struct WatchTableRouteTests {
    static let device = "/api/devices/PLC_1"

    static func names(_ list: JSONValue, _ key: String) -> [String] {
        (list[key]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
    }

    @Test func watchAndForceTablesAreListedApart() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let watch = try await RouteCall.call(.get, "\(Self.device)/watch-tables", on: engine)
        #expect(watch.status == 200 && Self.names(watch.body, "watchTables") == ["Line overview"], "\(watch.body)")
        let force = try await RouteCall.call(.get, "\(Self.device)/force-tables", on: engine)
        #expect(Self.names(force.body, "forceTables") == ["Commissioning"], "\(force.body)")
        let wrongKind = try await RouteCall.call(.get, "\(Self.device)/watch-tables/Commissioning", on: engine)
        #expect(wrongKind.status == 404 && wrongKind.body["detail"]?.stringValue?.contains("force table") == true)

        let commissioning = try await RouteCall.call(.get, "\(Self.device)/force-tables/Commissioning", on: engine)
        #expect(commissioning.status == 200, "\(commissioning.body)")
        #expect(commissioning.body["type"] == "force" && commissioning.body["liveValues"] == false)
        let rows = commissioning.body["entries"]?.arrayValue ?? []
        #expect(rows.first?["isCommentRow"] == true)
        #expect(rows.contains { $0["operand"] == "\"FillValve\":P" && $0["value"] == .null })

        let forceTables = "\(Self.device)/force-tables"
        let created = try await RouteCall.call(.post, forceTables, body: ["name": "Drives"], on: engine)
        #expect(created.status == 201 && created.body["type"] == "force", "\(created.body)")
        let twice = try await RouteCall.call(.post, forceTables, body: ["name": "Drives"], on: engine)
        #expect(twice.status == 409)
        let deleted = try await RouteCall.call(.delete, "\(Self.device)/force-tables/Drives", on: engine)
        #expect(deleted.status == 200 && deleted.body["deleted"] == true)
        #expect(try await RouteCall.call(.get, "\(Self.device)/force-tables/Drives", on: engine).status == 404)
        let wrongDelete = try await RouteCall.call(.delete, "\(Self.device)/watch-tables/Commissioning", on: engine)
        #expect(wrongDelete.status == 404, "a force table is not deleted as a watch table")
    }

    @Test func aWatchTableShowsLiveValuesAndIsEditedExportedAndImported() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let table = "\(Self.device)/watch-tables/Live"
        let created = try await RouteCall.call(
            .post, "\(Self.device)/watch-tables", body: ["name": "Live", "folder": "Line"], on: engine)
        #expect(created.status == 201, "\(created.body)")
        #expect(created.body["folder"] == "Line")
        #expect(created.body["file"] == "PLC_1/Watch and force tables/Line/Live.xml")

        let added = try await RouteCall.call(
            .post, "\(table)/entries",
            body: [
                "entries": [
                    ["operand": "\"LineData\".State", "displayFormat": "DEC+/-", "comment": "line state"],
                    [
                        "operand": "\"Recipe\".Recipes[2].FillVolume_ml", "displayFormat": "Floating-point",
                        "modifyValue": 500.0,
                    ],
                    ["operand": "\"NoSuchTag\""],
                ]
            ],
            on: engine)
        #expect(added.status == 200, "\(added.body)")
        #expect(added.body["added"] == 3 && added.body["entryCount"] == 3)
        let rows = added.body["entries"]?.arrayValue ?? []
        try #require(rows.count == 3)
        #expect(rows.map { $0["displayFormat"] } == ["DEC_signed", "Float", .null])
        #expect(rows[1]["modifyValue"] == "500.0" && rows[0]["comment"] == "line state")
        let single = try await RouteCall.call(
            .post, "\(table)/entries", body: ["operand": "%MW10", "displayFormat": "hex"], on: engine)
        #expect(single.status == 200 && single.body["entryCount"] == 4, "\(single.body)")
        #expect(single.body["entries"]?.arrayValue?.last?["displayFormat"] == "Hex")
        let badRows: [JSONValue] = [
            ["entries": [["operand": "  "]]], ["operand": "%MW12", "displayFormat": "Decimalish"], ["entries": []],
            ["comment": "no operand"],
        ]
        for bad in badRows {
            let refused = try await RouteCall.call(.post, "\(table)/entries", body: bad, on: engine)
            #expect(refused.status == 400, "\(bad): \(refused.body)")
        }
        #expect(try await engine.watchTable("Live", device: "PLC_1").entries.count == 4, "refused rows add nothing")

        // Without a download there is nothing to read.
        let offline = try await RouteCall.call(.get, table, on: engine)
        #expect(offline.status == 200 && offline.body["liveValues"] == false, "\(offline.body)")
        #expect(offline.body["entries"]?.arrayValue?.first?["value"] == .null)

        try await engine.download(device: "PLC_1")
        let live = try await RouteCall.call(.get, table, on: engine)
        #expect(live.body["liveValues"] == true && live.body["downloadedAt"]?.stringValue != nil, "\(live.body)")
        let values = live.body["entries"]?.arrayValue ?? []
        try #require(values.count == 4)
        #expect(values[0]["value"] == "0" && values[0]["quality"] == "good", "\(values)")
        #expect(values[0]["timestamp"]?.stringValue != nil && values[0]["error"] == .null)
        #expect(values[1]["value"] == "330.0" && values[1]["quality"] == "good")
        #expect(values[2]["value"] == .null && values[2]["quality"] == "bad: not found")
        #expect(values[2]["error"]?.stringValue != nil)
        #expect(values[3]["value"]?.stringValue != nil && values[3]["quality"] == "good", "an address: \(values)")
        try await engine.modify("\"LineData\".State", to: "20", device: "PLC_1")
        let instance = try await engine.plcInstance(device: "PLC_1")
        #expect(try await BlockRouteTests.value("\"LineData\".State", in: instance, becomes: "20"))
        let modified = try await RouteCall.call(.get, table, on: engine)
        #expect(modified.body["entries"]?.arrayValue?.first?["value"] == "20")

        let removed = try await RouteCall.call(
            .post, "\(table)/entries/actions/remove", body: ["operands": ["\"nosuchtag\""], "indexes": [3]],
            on: engine)
        #expect(removed.status == 200 && removed.body["removed"] == 2, "\(removed.body)")
        let left = removed.body["entries"]?.arrayValue?.compactMap { $0["operand"]?.stringValue }
        #expect(left == ["\"LineData\".State", "\"Recipe\".Recipes[2].FillVolume_ml"])
        let outside = try await RouteCall.call(
            .post, "\(table)/entries/actions/remove", body: ["indexes": [5]], on: engine)
        #expect(outside.status == 400)
        let unknown = try await RouteCall.call(
            .post, "\(table)/entries/actions/remove", body: ["operands": ["%MW99"]], on: engine)
        #expect(unknown.status == 404)
        #expect(try await RouteCall.call(.post, "\(table)/entries/actions/remove", body: [:], on: engine).status == 400)

        // Export to a file and as text.
        let exported = try await RouteCall.call(
            .post, "\(table)/actions/export", body: ["filePath": "exports/Live.xml"], on: engine)
        #expect(exported.status == 200, "\(exported.body)")
        let exportPath = try #require(exported.body["filePath"]?.stringValue)
        let xml = try BlockRouteTests.text(exportPath)
        #expect(xml.contains("SW.WatchAndForceTables.PlcWatchTable") && xml.contains("<Name>Live</Name>"))
        #expect(xml.contains("<Name>\"LineData\".State</Name>") && xml.contains("<DisplayFormat>DEC_signed"))
        let asText = try await RouteCall.call(.post, "\(table)/actions/export", on: engine)
        #expect(asText.body["filePath"] == .null && asText.body["xml"]?.stringValue?.contains("PlcWatchTable") == true)
        let wrongExtension = try await RouteCall.call(
            .post, "\(table)/actions/export", body: ["filePath": "exports/Live.txt"], on: engine)
        #expect(wrongExtension.status == 400)
        let outsideRoot = try await RouteCall.call(
            .post, "\(table)/actions/export", body: ["filePath": "/etc/Live.xml"], on: engine)
        #expect(outsideRoot.status == 403)

        let cleared = try await RouteCall.call(.post, "\(table)/entries/actions/clear", on: engine)
        #expect(cleared.status == 200 && cleared.body["removed"] == 2 && cleared.body["entryCount"] == 0)

        // Deleted, then imported back from the export.
        #expect(try await RouteCall.call(.delete, table, on: engine).status == 200)
        #expect(try await RouteCall.call(.get, table, on: engine).status == 404)
        let importPath = "\(Self.device)/watch-force-tables/actions/import"
        let imported = try await RouteCall.call(.post, importPath, body: ["filePath": "exports/Live.xml"], on: engine)
        #expect(imported.status == 200, "\(imported.body)")
        #expect(imported.body["created"] == true && imported.body["table"]?["entryCount"] == 2)
        #expect(imported.body["table"]?["file"] == "PLC_1/Watch and force tables/Live.xml")
        let again = try await RouteCall.call(.post, importPath, body: ["filePath": "exports/Live.xml"], on: engine)
        #expect(again.status == 409)
        let replaced = try await RouteCall.call(
            .post, importPath, body: ["xml": .string(xml), "overwrite": true], on: engine)
        #expect(replaced.status == 200 && replaced.body["replaced"] == true, "\(replaced.body)")

        // A force table from its own export, renamed; documents that are no table are refused.
        let force = try await RouteCall.call(
            .post, "\(Self.device)/force-tables/Commissioning/actions/export", on: engine)
        let forceXML = try #require(force.body["xml"]?.stringValue)
        let copy = forceXML.replacingOccurrences(of: "<Name>Commissioning</Name>", with: "<Name>Bench</Name>")
        let forceImport = try await RouteCall.call(.post, importPath, body: ["xml": .string(copy)], on: engine)
        #expect(forceImport.status == 200 && forceImport.body["table"]?["type"] == "force", "\(forceImport.body)")
        let bench = try await engine.watchTable("Bench", device: "PLC_1")
        let original = try await engine.watchTable("Commissioning", device: "PLC_1")
        #expect(bench.entries == original.entries)
        let badImports: [JSONValue] = [["xml": "<nope/>"], ["xml": "not xml"], [:], ["filePath": "missing.xml"]]
        for bad in badImports {
            let refused = try await RouteCall.call(.post, importPath, body: bad, on: engine)
            #expect([400, 404].contains(refused.status), "\(bad): \(refused.body)")
        }

        let written = try await engine.save()
        #expect(written.contains("PLC_1/Watch and force tables/Live.xml"))
        #expect(written.contains("PLC_1/Watch and force tables/Bench.xml"))
        let saved = try BlockRouteTests.text(root + "/PLC_1/Watch and force tables/Live.xml")
        #expect(saved.contains("<Name>\"Recipe\".Recipes[2].FillVolume_ml</Name>"))
        #expect(!FileManager.default.fileExists(atPath: root + "/PLC_1/Watch and force tables/Line/Live.xml"))
        await engine.shutdown()
    }

    @Test func foldersAreCreatedAndDeletedUnderWatchAndForceTables() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folders = "\(Self.device)/watch-force-tables/folders"
        let created = try await RouteCall.call(.post, folders, body: ["folderPath": "Filler/Valves"], on: engine)
        #expect(created.status == 201, "\(created.body)")
        #expect(created.body["path"] == "PLC_1/Watch and force tables/Filler/Valves")
        var isDirectory: ObjCBool = false
        #expect(
            FileManager.default.fileExists(
                atPath: root + "/PLC_1/Watch and force tables/Filler/Valves", isDirectory: &isDirectory)
                && isDirectory.boolValue)
        let twice = try await RouteCall.call(.post, folders, body: ["folderPath": "Filler/Valves"], on: engine)
        #expect(twice.status == 409)
        #expect(try await RouteCall.call(.post, folders, body: ["folderPath": ".."], on: engine).status == 400)

        // A folder holding a table is not deleted.
        let table = try await RouteCall.call(
            .post, "\(Self.device)/watch-tables", body: ["name": "Valves", "folder": "Filler/Valves"], on: engine)
        #expect(table.status == 201)
        let busy = try await RouteCall.call(.delete, folders, query: ["folderPath": "Filler/Valves"], on: engine)
        #expect(busy.status == 409, "\(busy.body)")
        #expect(try await RouteCall.call(.delete, "\(Self.device)/watch-tables/Valves", on: engine).status == 200)

        let deleted = try await RouteCall.call(.delete, folders, query: ["folderPath": "Filler/Valves"], on: engine)
        #expect(deleted.status == 200 && deleted.body["deleted"] == true, "\(deleted.body)")
        #expect(!FileManager.default.fileExists(atPath: root + "/PLC_1/Watch and force tables/Filler/Valves"))
        let gone = try await RouteCall.call(.delete, folders, query: ["folderPath": "Filler/Valves"], on: engine)
        #expect(gone.status == 404)
    }
}
