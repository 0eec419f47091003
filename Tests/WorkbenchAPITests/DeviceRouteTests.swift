import Foundation
import S7Model
import S7TestSupport
import Testing
import Workbench
import WorkbenchAPI

/// The Devices group: adding, checking, configuring, renaming, exporting, importing and deleting devices, the hardware
/// catalog, and the asynchronous forms of each.
@Suite struct DeviceRouteTests {
    static func names(_ engine: Engine) async throws -> [String] {
        let list = try await RouteCall.call(.get, "/api/projects/devices", on: engine).body
        return list["devices"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
    }

    @Test func aCPUGoesThroughItsWholeLifeAndIsSaved() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy(of: "bottling-line")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let add = "/api/projects/devices/actions/add-sync"

        let added = try await RouteCall.call(
            .post, add, body: ["orderNumber": "6es7 214-1ag40-0xb0", "name": "Line2"], on: engine)
        #expect(added.status == 200, "\(added.body)")
        #expect(added.body["device"]?["name"] == "Line2")
        #expect(added.body["device"]?["kind"] == "plc")
        #expect(added.body["device"]?["orderNumber"] == "6ES7 214-1AG40-0XB0")
        #expect(added.body["device"]?["firmware"] == "V4.6")
        #expect(added.body["device"]?["blockCount"] == 1)
        let module = try await RouteCall.call(.post, add, body: ["orderNumber": "6ES7 221-1BH32-0XB0"], on: engine)
        #expect(module.status == 400)
        #expect(module.body["detail"]?.stringValue?.contains("is a module") == true)
        let unknown = try await RouteCall.call(.post, add, body: ["orderNumber": "6ES7 999-9ZZ99-9ZZ9"], on: engine)
        #expect(unknown.status == 404)
        let twice = try await RouteCall.call(
            .post, add, body: ["orderNumber": "6ES7 214-1AG40-0XB0", "name": "line2"], on: engine)
        #expect(twice.status == 409)
        let oldFirmware = try await RouteCall.call(
            .post, add, body: ["orderNumber": "6ES7 214-1AG40-0XB0", "firmwareVersion": "V9.9"], on: engine)
        #expect(oldFirmware.status == 400)

        // No network settings yet: a warning; PLC_1's address: an error; a free one: success.
        var compiled = try await RouteCall.call(.post, "/api/devices/Line2/actions/compile-sync", on: engine).body
        #expect(compiled["state"] == "warning" && compiled["errorCount"] == 0, "\(compiled)")
        let configure = "/api/devices/Line2/actions/configure-network-sync"
        let network = try await RouteCall.call(
            .post, configure, body: ["ipAddress": "192.168.0.10", "subnetMask": "255.255.255.0"], on: engine)
        #expect(network.body["device"]?["ipAddress"] == "192.168.0.10")
        compiled = try await RouteCall.call(.post, "/api/devices/Line2/actions/compile-sync", on: engine).body
        #expect(compiled["state"] == "error")
        let messages = compiled["messages"]?.arrayValue?.compactMap { $0["message"]?.stringValue } ?? []
        #expect(messages.contains { $0.contains("192.168.0.10 is used twice") && $0.contains("PLC_1") })
        let broadcast = try await RouteCall.call(
            .post, configure, body: ["ipAddress": "192.168.0.255", "subnetMask": "255.255.255.0"], on: engine)
        #expect(broadcast.status == 400)
        _ = try await RouteCall.call(
            .post, configure, body: ["ipAddress": "192.168.0.11", "subnetMask": "255.255.255.0"], on: engine)
        compiled = try await RouteCall.call(.post, "/api/devices/Line2/actions/compile-sync", on: engine).body
        #expect(compiled["state"] == "success", "\(compiled)")

        let details = try await RouteCall.call(.get, "/api/devices/Line2/hardware-details", on: engine).body
        #expect(details["catalogEntry"]?["name"] == "CPU 1214C DC/DC/DC")
        #expect(details["slot"] == 1)
        #expect(details["interfaces"]?.arrayValue?.first?["subnet"] == "192.168.0.0/24")
        let slots = try await RouteCall.call(
            .get, "/api/devices/compatible-slots", query: ["deviceName": "Line2"], on: engine
        ).body
        let signalModule = slots["modules"]?.arrayValue?.first { $0["orderNumber"] == "6ES7 221-1BH32-0XB0" }
        #expect(signalModule?["firstSlot"] == 2 && signalModule?["lastSlot"] == 9)

        let renamed = try await RouteCall.call(
            .post, "/api/devices/actions/rename", body: ["currentName": "Line2", "newName": "Packer"], on: engine)
        #expect(renamed.body["oldName"] == "Line2" && renamed.body["newName"] == "Packer", "\(renamed.body)")
        #expect(try await Self.names(engine) == ["PLC_1", "Packer"])

        let shown = try await RouteCall.call(
            .post, "/api/devices/Packer/actions/export-hardware", body: [:], on: engine)
        #expect(shown.body["path"] == JSONValue.null)
        #expect(shown.body["xml"]?.stringValue?.contains("OrderNumber:6ES7 214-1AG40-0XB0/V4.6") == true)
        let exported = try await RouteCall.call(
            .post, "/api/devices/Packer/actions/export-hardware", body: ["path": "exports/Packer.aml"], on: engine)
        let file = try #require(exported.body["path"]?.stringValue, "\(exported.body)")
        #expect(file.hasSuffix("/exports/Packer.aml"))
        let written = try #require(FileManager.default.contents(atPath: file))
        #expect(exported.body["bytes"] == JSONValue.int(Int64(written.count)))

        let imported = try await RouteCall.call(
            .post, "/api/projects/devices/actions/import-hardware-sync",
            body: ["path": "exports/Packer.aml", "name": "Packer2"], on: engine)
        #expect(imported.status == 200, "\(imported.body)")
        let copy = imported.body["devices"]?.arrayValue?.first
        #expect(copy?["name"] == "Packer2" && copy?["ipAddress"] == "192.168.0.11" && copy?["firmware"] == "V4.6")
        #expect(copy?["orderNumber"] == "6ES7 214-1AG40-0XB0" && copy?["blockCount"] == 1)
        let again = try await RouteCall.call(
            .post, "/api/projects/devices/actions/import-hardware-sync", body: ["path": "exports/Packer.aml"],
            on: engine)
        #expect(again.status == 409)
        let broken = try await RouteCall.call(
            .post, "/api/projects/devices/actions/import-hardware-sync", body: ["xml": "<Document/>"], on: engine)
        #expect(broken.status == 400)
        #expect(try await Self.names(engine) == ["PLC_1", "Packer", "Packer2"])

        let deleted = try await RouteCall.call(.delete, "/api/devices/Packer2", on: engine)
        #expect(deleted.body["deleted"] == "Packer2")
        #expect(try await Self.names(engine) == ["PLC_1", "Packer"])

        let saved = try await engine.save()
        #expect(saved.contains("s7project.json") && saved.contains("Line2/Program blocks/Main.scl"), "\(saved)")
        let main = try #require(FileManager.default.contents(atPath: root + "/Line2/Program blocks/Main.scl"))
        #expect(String(decoding: main, as: UTF8.self).hasPrefix("ORGANIZATION_BLOCK \"Main\"\n"))
        #expect(!FileManager.default.fileExists(atPath: root + "/Packer2"))
        let manifest = try #require(FileManager.default.contents(atPath: root + "/s7project.json"))
        let manifestJSON = try JSONValue.parse(String(decoding: manifest, as: UTF8.self))
        let entries = try #require(manifestJSON["devices"]?.arrayValue)
        let packer = try #require(entries.first { $0["name"] == "Packer" })
        #expect(packer["folder"] == "Line2" && packer["ipAddress"] == "192.168.0.11")

        try await engine.closeProject()
        try await engine.openProject(at: root, history: .inMemory)
        let reopened = try await engine.device("Packer")
        #expect(reopened.orderNumber == "6ES7 214-1AG40-0XB0" && reopened.firmware == "V4.6")
        let ob1 = try #require(reopened.block(named: "Main"))
        #expect(ob1.kind == .organizationBlock && ob1.number == 1)
    }

    @Test func asynchronousFormsFinishWithTheSynchronousAnswer() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy(of: "bottling-line")
        defer { try? FileManager.default.removeItem(atPath: root) }

        let accepted = try await RouteCall.call(
            .post, "/api/projects/devices/actions/add", body: ["orderNumber": "6AV2 123-2GB03-0AX0"], on: engine)
        #expect(accepted.status == 202)
        let addJob = try await RouteCall.finishedJob(accepted.body, on: engine)
        #expect(addJob["status"] == "succeeded", "\(addJob)")
        #expect(addJob["result"]?["device"]?["name"] == "HMI_1" && addJob["result"]?["device"]?["kind"] == "hmi")

        let compiled = try await RouteCall.call(.post, "/api/devices/PLC_1/actions/compile-sync", on: engine).body
        let compileJob = try await RouteCall.finishedJob(
            try await RouteCall.call(.post, "/api/devices/PLC_1/actions/compile", on: engine).body, on: engine)
        #expect(compileJob["result"] == compiled)
        #expect(compiled["state"] == "success", "\(compiled)")

        let list = try await RouteCall.call(.get, "/api/projects/devices", on: engine).body
        let listJob = try await RouteCall.finishedJob(
            try await RouteCall.call(.get, "/api/projects/devices/async", on: engine).body, on: engine)
        #expect(listJob["result"] == list && list["count"] == 2)

        let network = try await RouteCall.finishedJob(
            try await RouteCall.call(
                .post, "/api/devices/HMI_1/actions/configure-network",
                body: ["ipAddress": "192.168.0.20", "subnetMask": "255.255.255.0"], on: engine
            ).body, on: engine)
        #expect(network["result"]?["device"]?["ipAddress"] == "192.168.0.20")

        let renamed = try await RouteCall.finishedJob(
            try await RouteCall.call(
                .post, "/api/devices/actions/rename-async", body: ["oldName": "HMI_1", "newName": "Panel"],
                on: engine
            ).body, on: engine)
        #expect(renamed["result"]?["newName"] == "Panel", "\(renamed)")

        let exported = try await RouteCall.finishedJob(
            try await RouteCall.call(
                .post, "/api/devices/Panel/actions/export-hardware-async", body: ["path": "panel.aml"], on: engine
            ).body, on: engine)
        #expect(exported["result"]?["path"]?.stringValue?.hasSuffix("/panel.aml") == true, "\(exported)")

        let deleted = try await RouteCall.finishedJob(
            try await RouteCall.call(.post, "/api/devices/Panel/actions/delete-async", on: engine).body, on: engine)
        #expect(deleted["result"]?["deleted"] == "Panel")

        let imported = try await RouteCall.finishedJob(
            try await RouteCall.call(
                .post, "/api/projects/devices/actions/import-hardware", body: ["path": "panel.aml"], on: engine
            ).body, on: engine)
        #expect(imported["result"]?["devices"]?.arrayValue?.first?["ipAddress"] == "192.168.0.20", "\(imported)")
        #expect(try await Self.names(engine) == ["PLC_1", "Panel"])

        let searched = try await RouteCall.finishedJob(
            try await RouteCall.call(.post, "/api/catalog/actions/search", body: ["query": "1516"], on: engine).body,
            on: engine)
        #expect(searched["result"]?["results"]?.arrayValue?.first?["orderNumber"] == "6ES7 516-3AN02-0AB0")
        let failed = try await RouteCall.finishedJob(
            try await RouteCall.call(.post, "/api/catalog/actions/find", body: ["orderNumber": "nope"], on: engine)
                .body, on: engine)
        #expect(failed["status"] == "failed")
    }

    @Test func theCatalogAnswersWithoutAProject() async throws {
        let engine = Engine()
        let found = try await RouteCall.call(
            .post, "/api/catalog/actions/find-sync", body: ["orderNumber": "6ES7511-1AK02-0AB0"], on: engine)
        #expect(found.body["name"] == "CPU 1511-1 PN" && found.body["workMemoryProgramBytes"] == 153_600)
        let missing = try await RouteCall.call(
            .post, "/api/catalog/actions/find-sync", body: ["orderNumber": "6ES7 000"], on: engine)
        #expect(missing.status == 404)
        let searched = try await RouteCall.call(
            .post, "/api/catalog/actions/search-sync", body: ["query": "tp700 comfort", "limit": 2], on: engine)
        #expect(searched.body["results"]?.arrayValue?.first?["orderNumber"] == "6AV2 124-0GC01-0AX0")
        #expect((searched.body["count"]?.intValue ?? 0) <= 2)
        let badLimit = try await RouteCall.call(
            .post, "/api/catalog/actions/search-sync", body: ["query": "cpu", "limit": 0], on: engine)
        #expect(badLimit.status == 400)

        let status = try await RouteCall.call(.get, "/api/catalog/cache/status", on: engine).body
        #expect(status["loaded"] == true)
        #expect(status["entryCount"] == JSONValue.int(Int64(HardwareCatalog.entries.count)))
        let built = try await RouteCall.call(.post, "/api/catalog/cache/build", on: engine).body
        #expect(built["message"]?.stringValue?.contains("nothing was built") == true)

        let image = try await RouteCall.call(.get, "/api/catalog/images/6ES7%20516-3AN02-0AB0", on: engine)
        #expect(image.status == 200)
        #expect(image.body.stringValue?.hasPrefix("<svg") == true)
        #expect(image.body.stringValue?.contains("CPU 1516-3 PN/DP") == true)
        #expect(try await RouteCall.call(.get, "/api/catalog/images/nope", on: engine).status == 404)

        #expect(try await RouteCall.call(.get, "/api/projects/devices/parking-lot", on: engine).status == 409)
        let (opened, root) = try await RouteCall.engineWithCopy(of: "bottling-line")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let parked = try await RouteCall.call(.get, "/api/projects/devices/parking-lot", on: opened).body
        #expect(parked["count"] == 0 && parked["devices"]?.arrayValue?.isEmpty == true)
    }
}
