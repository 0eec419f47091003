import Foundation
import S7Model
import S7TestSupport
import SimaticML
import Testing
import Workbench
import WorkbenchAPI

/// The editing routes of "Blocks" on a copy of the bottling line: blocks created from an interface and code that
/// compile, interface members edited in place, rename, export, delete, external sources generated into blocks,
/// snapshots, and SimaticML blocks refused for edits.
@Suite struct BlockRouteTests {
    static let device = "/api/devices/PLC_1"

    static func source(_ block: String, on engine: Engine) async throws -> String {
        let content = try await RouteCall.call(.get, "\(device)/blocks/\(block)/content", on: engine)
        #expect(content.status == 200, "\(content.body)")
        return try #require(content.body["source"]?.stringValue)
    }

    static func text(_ path: String) throws -> String {
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        return String(decoding: bytes, as: UTF8.self)
    }

    static let mixer: JSONValue = [
        "name": "Mixer", "type": "FB", "programmingLanguage": "SCL", "folder": "Machines",
        "interface": [
            [
                "section": "Input",
                "members": [
                    ["name": "Start", "dataType": "Bool", "comment": "start request"],
                    ["name": "Speed", "dataType": "Real", "startValue": 1.5],
                ],
            ],
            ["section": "Output", "members": [["name": "Running", "dataType": "Bool"]]],
            ["section": "Static", "members": [["name": "ticks", "dataType": "DInt"]]],
        ],
        "code": "IF #Start THEN\n    #ticks := #ticks + 1;\nEND_IF;\n#Running := #Start;",
    ]

    @Test func aBlockCreatedFromInterfaceAndCodeCompilesAndIsSaved() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let created = try await RouteCall.call(.post, "\(Self.device)/blocks", body: Self.mixer, on: engine)
        #expect(created.status == 201, "\(created.body)")
        #expect(created.body["type"] == "FB" && created.body["folder"] == "Machines")
        #expect(created.body["file"] == "PLC_1/Program blocks/Machines/Mixer.scl")
        #expect(created.body["number"]?.intValue != nil)
        let inputs = created.body["interface"]?.arrayValue?.first { $0["name"] == "Input" }
        #expect(inputs?["members"]?.arrayValue?.map { $0["name"] } == ["Start", "Speed"])
        #expect(inputs?["members"]?.arrayValue?.last?["startValue"] == "1.5")

        // It compiles: a download loads it into the virtual PLC.
        let report = try await engine.download(device: "PLC_1")
        #expect(report.loadedBlocks > 0)
        #expect(try await engine.plcInstance(device: "PLC_1").loadedBlocks.contains("Mixer"))
        await engine.shutdown()

        try await engine.save()
        let text = try Self.text(root + "/PLC_1/Program blocks/Machines/Mixer.scl")
        #expect(text.hasPrefix("FUNCTION_BLOCK \"Mixer\"\n{ S7_Optimized_Access := 'TRUE' }\nVERSION : 0.1\n"))
        #expect(text.contains("   VAR_INPUT \n      Start : Bool;   // start request\n      Speed : Real := 1.5;\n"))
        #expect(text.contains("BEGIN\n\tIF #Start THEN\n\t    #ticks := #ticks + 1;\n\tEND_IF;\n"))
        #expect(text.hasSuffix("END_FUNCTION_BLOCK\n\n"))

        // Taken names, bad types and syntax errors are refused, and nothing changes.
        let again = try await RouteCall.call(.post, "\(Self.device)/blocks", body: Self.mixer, on: engine)
        #expect(again.status == 409)
        let badType = try await RouteCall.call(
            .post, "\(Self.device)/blocks",
            body: [
                "name": "Bad", "type": "FC",
                "interface": [["section": "Input", "members": [["name": "x", "dataType": "\"noSuchType\""]]]],
            ],
            on: engine)
        #expect(badType.status == 400, "\(badType.body)")
        let badCode = try await RouteCall.call(
            .post, "\(Self.device)/blocks", body: ["name": "Bad", "type": "FC", "code": "IF THEN"], on: engine)
        #expect(badCode.status == 400, "\(badCode.body)")
        let lad = try await RouteCall.call(
            .post, "\(Self.device)/blocks", body: ["name": "Bad", "type": "FC", "programmingLanguage": "LAD"],
            on: engine)
        #expect(lad.status == 422)
        let staticInFC = try await RouteCall.call(
            .post, "\(Self.device)/blocks",
            body: [
                "name": "Bad", "type": "FC",
                "interface": [["section": "Static", "members": [["name": "x", "dataType": "Int"]]]],
            ],
            on: engine)
        #expect(staticInFC.status == 400)
        let list = try await RouteCall.call(.get, "\(Self.device)/blocks", on: engine).body
        #expect(list["blocks"]?.arrayValue?.contains { $0["name"] == "Bad" } == false)

        // A whole source works too, and must declare what the body says.
        let source =
            "FUNCTION \"Twice\" : Int\nVERSION : 0.1\n   VAR_INPUT \n      x : Int;\n   END_VAR\n\nBEGIN\n"
            + "\t#Twice := 2 * #x;\nEND_FUNCTION\n"
        let wrongName = try await RouteCall.call(
            .post, "\(Self.device)/blocks", body: ["name": "Thrice", "type": "FC", "source": .string(source)],
            on: engine)
        #expect(wrongName.status == 400)
        let fromSource = try await RouteCall.call(
            .post, "\(Self.device)/blocks", body: ["name": "Twice", "type": "FC", "source": .string(source)],
            on: engine)
        #expect(fromSource.status == 201, "\(fromSource.body)")
        #expect(fromSource.body["source"]?.stringValue == source)
    }

    @Test func interfaceMembersAreAddedChangedAndDeletedInPlace() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let before = try await Self.source("Filler", on: engine)
        let members = "\(Self.device)/blocks/Filler/interface/members"

        let added = try await RouteCall.call(
            .post, members, body: ["section": "Input", "name": "Jog", "dataType": "Bool", "comment": "manual jog"],
            on: engine)
        #expect(added.status == 201, "\(added.body)")
        #expect(added.body["section"] == "Input" && added.body["member"]?["name"] == "Jog")
        let withJog = try await Self.source("Filler", on: engine)
        #expect(
            withJog
                == before.replacingOccurrences(
                    of: "      Reset : Bool;   // Acknowledge faults\n   END_VAR",
                    with: "      Reset : Bool;   // Acknowledge faults\n      Jog : Bool;   // manual jog\n   END_VAR"))

        let updated = try await RouteCall.call(
            .put, "\(members)/Jog", body: ["dataType": "Int", "startValue": 3, "comment": "jog speed"], on: engine)
        #expect(updated.status == 200, "\(updated.body)")
        #expect(updated.body["member"]?["dataType"] == "Int" && updated.body["member"]?["startValue"] == "3")
        #expect(
            try await Self.source("Filler", on: engine).contains("      Jog : Int := 3;   // jog speed\n   END_VAR"))
        let renamed = try await RouteCall.call(.put, "\(members)/Jog", body: ["name": "JogSpeed"], on: engine)
        #expect(renamed.body["member"]?["name"] == "JogSpeed", "\(renamed.body)")

        let duplicate = try await RouteCall.call(
            .post, members, body: ["section": "Static", "name": "state", "dataType": "Int"], on: engine)
        #expect(duplicate.status == 409)
        let badValue = try await RouteCall.call(
            .post, members, body: ["section": "Temp", "name": "x", "dataType": "Int", "startValue": "40000"],
            on: engine)
        #expect(badValue.status == 400)
        let missing = try await RouteCall.call(.delete, "\(members)/NoSuchMember", on: engine)
        #expect(missing.status == 404)

        let deleted = try await RouteCall.call(.delete, "\(members)/JogSpeed", on: engine)
        #expect(deleted.status == 200, "\(deleted.body)")
        #expect(try await Self.source("Filler", on: engine) == before)

        // A new section lands where TIA puts it, and the edits are written on save.
        _ = try await RouteCall.call(
            .post, members, body: ["section": "InOut", "name": "Shared", "dataType": "Int"], on: engine)
        try await engine.save()
        let saved = try Self.text(root + "/PLC_1/Program blocks/Machines/Filler.scl")
        #expect(saved.contains("   END_VAR\n\n   VAR_IN_OUT \n      Shared : Int;\n   END_VAR\n\n   VAR \n"))
        let content = try await RouteCall.call(.get, "\(Self.device)/blocks/Filler/content", on: engine).body
        let sections = content["interface"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        #expect(sections == ["Input", "Output", "InOut", "Static", "Temp", "Constant"])
    }

    @Test func blocksAreRenamedExportedUpdatedAndDeleted() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        _ = try await RouteCall.call(.post, "\(Self.device)/blocks", body: Self.mixer, on: engine)

        let accepted = try await RouteCall.call(
            .post, "\(Self.device)/blocks/actions/rename-async", body: ["currentName": "Mixer", "newName": "Blender"],
            on: engine)
        #expect(accepted.status == 202)
        let job = try await RouteCall.finishedJob(accepted.body, on: engine)
        #expect(job["status"] == "succeeded", "\(job)")
        #expect(job["result"]?["newName"] == "Blender" && job["result"]?["oldName"] == "Mixer")
        let renamed = try await RouteCall.call(
            .post, "\(Self.device)/blocks/actions/rename", body: ["oldName": "Blender", "newName": "Kneader"],
            on: engine)
        #expect(renamed.body["file"] == "PLC_1/Program blocks/Machines/Kneader.scl", "\(renamed.body)")

        let exported = try await RouteCall.call(
            .post, "\(Self.device)/blocks/Kneader/actions/export-source", body: ["filePath": "exports/"], on: engine)
        #expect(exported.status == 200, "\(exported.body)")
        #expect(exported.body["format"] == "SCL")
        let source = try await Self.source("Kneader", on: engine)
        #expect(try Self.text(root + "/exports/Kneader.scl") == source)
        #expect(source.hasPrefix("FUNCTION_BLOCK \"Kneader\""))
        let syncExport = try await RouteCall.call(
            .post, "\(Self.device)/blocks/actions/export-sync",
            body: ["blockName": "Filler", "filePath": "exports/filler-copy.scl"], on: engine)
        #expect(syncExport.status == 200, "\(syncExport.body)")
        let fillerSource = try await Self.source("Filler", on: engine)
        #expect(try Self.text(root + "/exports/filler-copy.scl") == fillerSource)
        let asXML = try await RouteCall.call(
            .post, "\(Self.device)/blocks/actions/export-sync",
            body: ["blockName": "Filler", "filePath": "exports/f.xml"],
            on: engine)
        // An SCL-source block as SimaticML: its statements as StructuredText tokens, read back to the same code.
        #expect(asXML.status == 200, "\(asXML.body)")
        let written = try Self.text(root + "/exports/f.xml")
        #expect(written.contains("<SW.Blocks.FB ID=") && written.contains("<StructuredText xmlns="))
        let read = try SimaticMLReader.read(
            bytes: Array(written.utf8), file: SourceFileRef(path: "f.xml", format: .simaticML))
        guard case .block(let block) = read else {
            Issue.record("exports/f.xml is not a block")
            return
        }
        #expect(block.name == "Filler" && block.language == .scl && block.networks.count == 1)
        let statements = try StructuredText.text(ofNetworkSource: block.networks[0].sourceXML)
        #expect(statements.contains("REGION") && statements.contains("END_REGION"), "\(statements)")
        let xml = try await RouteCall.call(.get, "\(Self.device)/blocks/Filler/export-xml", on: engine)
        #expect(xml.status == 200, "\(xml.body)")
        #expect(xml.body["fileName"] == "Filler.xml")
        #expect(xml.body["xml"]?.stringValue?.contains("<StructuredText xmlns=") == true)
        let outside = try await RouteCall.call(
            .post, "\(Self.device)/blocks/Filler/actions/export-source", body: ["filePath": "/etc/filler.scl"],
            on: engine)
        #expect(outside.status == 403)
        let asyncExport = try await RouteCall.call(
            .post, "\(Self.device)/blocks/actions/export", body: ["blockName": "Capper", "filePath": "exports/"],
            on: engine)
        let exportJob = try await RouteCall.finishedJob(asyncExport.body, on: engine)
        #expect(exportJob["result"]?["format"] == "SCL", "\(exportJob)")
        #expect(FileManager.default.fileExists(atPath: root + "/exports/Capper.scl"))

        // The content is replaced as a whole, from a source or from parts.
        let newSource = source.replacingOccurrences(
            of: "#Running := #Start;", with: "#Running := #Start AND #Speed > 0.0;")
        let updated = try await RouteCall.call(
            .put, "\(Self.device)/blocks/Kneader/content", body: ["source": .string(newSource)], on: engine)
        #expect(updated.status == 200, "\(updated.body)")
        #expect(try await Self.source("Kneader", on: engine) == newSource)
        let parts = try await RouteCall.call(
            .put, "\(Self.device)/blocks/Kneader/content",
            body: [
                "interface": [["section": "Input", "members": [["name": "Go", "dataType": "Bool"]]]],
                "code": "#Go := #Go;",
            ], on: engine)
        #expect(parts.status == 200, "\(parts.body)")
        #expect(parts.body["interface"]?.arrayValue?.first?["members"]?.arrayValue?.first?["name"] == "Go")
        let otherName = try await RouteCall.call(
            .put, "\(Self.device)/blocks/Kneader/content",
            body: ["source": .string(newSource.replacingOccurrences(of: "\"Kneader\"", with: "\"Other\""))], on: engine)
        #expect(otherName.status == 400)

        let networks = try await RouteCall.call(
            .post, "\(Self.device)/blocks/Kneader/networks",
            body: ["networks": [["title": "Reset", "code": "#Go := FALSE;"]]], on: engine)
        #expect(networks.status == 200, "\(networks.body)")
        #expect(
            networks.body["source"]?.stringValue?.contains(
                "\tREGION Reset\n\t    #Go := FALSE;\n\tEND_REGION\nEND_FUNCTION_BLOCK") == true)

        try await engine.save()
        let blocks = root + "/PLC_1/Program blocks/Machines/"
        #expect(FileManager.default.fileExists(atPath: blocks + "Kneader.scl"))
        #expect(!FileManager.default.fileExists(atPath: blocks + "Mixer.scl"))
        let deleted = try await RouteCall.call(.delete, "\(Self.device)/blocks/Kneader", on: engine)
        #expect(deleted.status == 200 && deleted.body["deleted"] == true)
        try await engine.save()
        #expect(!FileManager.default.fileExists(atPath: blocks + "Kneader.scl"))
        #expect(try await RouteCall.call(.delete, "\(Self.device)/blocks/Kneader", on: engine).status == 404)
    }

    @Test func blockFoldersAreCreatedAndOnlyEmptyOnesDeleted() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let created = try await RouteCall.call(
            .post, "\(Self.device)/blocks/folders", body: ["folderPath": "Cells/Cell1"], on: engine)
        #expect(created.status == 201, "\(created.body)")
        #expect(FileManager.default.fileExists(atPath: root + "/PLC_1/Program blocks/Cells/Cell1"))
        #expect(
            try await RouteCall.call(
                .post, "\(Self.device)/blocks/folders", body: ["folderPath": "Cells/Cell1"], on: engine
            ).status == 409)
        let busy = try await RouteCall.call(
            .delete, "\(Self.device)/blocks/folders", query: ["folderPath": "Machines"], on: engine)
        #expect(busy.status == 409)
        let gone = try await RouteCall.call(
            .delete, "\(Self.device)/blocks/folders", query: ["folderPath": "Cells/Cell1"], on: engine)
        #expect(gone.status == 200, "\(gone.body)")
        #expect(!FileManager.default.fileExists(atPath: root + "/PLC_1/Program blocks/Cells/Cell1"))
        #expect(
            try await RouteCall.call(
                .delete, "\(Self.device)/blocks/folders", body: ["folderPath": "Cells"], on: engine
            ).status == 200)
        #expect(try await RouteCall.call(.delete, "\(Self.device)/blocks/folders", on: engine).status == 400)
    }

    @Test func anExternalSourceIsGeneratedIntoBlocksAndTypes() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let text = """
            TYPE "typeValve"
            VERSION : 0.1
               STRUCT
                  Open : Bool;
                  Faults : Int;
               END_STRUCT;

            END_TYPE

            FUNCTION_BLOCK "Valve"
            { S7_Optimized_Access := 'TRUE' }
            VERSION : 0.1
               VAR_INPUT\u{20}
                  Cmd : Bool;
               END_VAR
               VAR\u{20}
                  data : "typeValve";
               END_VAR

            BEGIN
            \t#data.Open := #Cmd;
            END_FUNCTION_BLOCK

            """
        let created = try await RouteCall.call(
            .post, "\(Self.device)/external-sources/from-text", body: ["name": "Valves", "content": .string(text)],
            on: engine)
        #expect(created.status == 201, "\(created.body)")
        #expect(created.body["path"] == "PLC_1/External source files/Valves.scl")
        #expect(try Self.text(root + "/PLC_1/External source files/Valves.scl") == text)
        let sources = try await engine.externalSources(device: "PLC_1")
        #expect(sources.map(\.name) == ["Valves.scl"])
        #expect(try await engine.device("PLC_1").block(named: "Valve") == nil, "a source is not a block")

        let generated = try await RouteCall.call(
            .post, "\(Self.device)/external-sources/Valves/generate", body: [:], on: engine)
        #expect(generated.status == 200, "\(generated.body)")
        #expect(generated.body["generated"]?.arrayValue?.map { $0["name"] } == ["typeValve", "Valve"])
        #expect(generated.body["generated"]?.arrayValue?.map { $0["type"] } == ["UDT", "FB"])
        let report = try await engine.download(device: "PLC_1")
        #expect(report.loadedBlocks > 0)
        #expect(try await engine.plcInstance(device: "PLC_1").loadedBlocks.contains("Valve"))
        await engine.shutdown()
        let again = try await RouteCall.call(
            .post, "\(Self.device)/external-sources/Valves.scl/generate", body: [:], on: engine)
        #expect(again.status == 409)
        let replaced = try await RouteCall.call(
            .post, "\(Self.device)/external-sources/Valves.scl/generate", body: ["overwrite": true], on: engine)
        #expect(
            replaced.body["generated"]?.arrayValue?.allSatisfy { $0["replaced"] == true } == true, "\(replaced.body)")

        try await engine.save()
        let fb = try Self.text(root + "/PLC_1/Program blocks/Valve.scl")
        #expect(fb.hasPrefix("FUNCTION_BLOCK \"Valve\"") && fb.hasSuffix("END_FUNCTION_BLOCK\n\n"))
        #expect(try Self.text(root + "/PLC_1/PLC data types/typeValve.udt").hasPrefix("TYPE \"typeValve\""))

        // Reopened, the source stays a file and the generated objects are blocks and types.
        let reopened = Engine()
        try await reopened.openProject(at: root, history: .inMemory)
        let device = try await reopened.device("PLC_1")
        #expect(device.blocks.filter { $0.name == "Valve" }.count == 1)
        #expect(device.dataType(named: "typeValve") != nil)

        let imported = try await RouteCall.call(
            .post, "\(Self.device)/external-sources/import-and-generate",
            body: [
                "content":
                    "FUNCTION \"Half\" : Real\nVAR_INPUT x : Real; END_VAR\nBEGIN\n#Half := #x / 2.0;\nEND_FUNCTION\n"
            ],
            on: engine)
        #expect(imported.status == 200, "\(imported.body)")
        #expect(imported.body["source"]?["name"] == "Half.scl" && imported.body["count"] == 1)
        let broken = try await RouteCall.call(
            .post, "\(Self.device)/external-sources/import-and-generate",
            body: ["content": "FUNCTION \"Broken\" : Int\nBEGIN\nIF THEN\nEND_FUNCTION\n"], on: engine)
        #expect(broken.status == 400)
        #expect(!FileManager.default.fileExists(atPath: root + "/PLC_1/External source files/Broken.scl"))

        let deleted = try await RouteCall.call(.delete, "\(Self.device)/external-sources/Valves.scl", on: engine)
        #expect(deleted.status == 200)
        #expect(!FileManager.default.fileExists(atPath: root + "/PLC_1/External source files/Valves.scl"))
        #expect(try await engine.externalSources(device: "PLC_1").map(\.name) == ["Half.scl"])
        let fromFile = try await RouteCall.call(
            .post, "\(Self.device)/external-sources/from-file",
            body: ["filePath": "PLC_1/Program blocks/Machines/Capper.scl", "name": "CapperCopy"], on: engine)
        #expect(fromFile.status == 201, "\(fromFile.body)")
        #expect(
            FileManager.default.contents(atPath: root + "/PLC_1/External source files/CapperCopy.scl")
                == FileManager.default.contents(atPath: root + "/PLC_1/Program blocks/Machines/Capper.scl"))
    }

    @Test func aSnapshotTakenBeforeEditsRestoresTheBlock() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let original = try await Self.source("Conveyor", on: engine)
        let taken = try await RouteCall.call(
            .post, "\(Self.device)/blocks/Conveyor/actions/create-snapshot", body: ["description": "before jog"],
            on: engine)
        #expect(taken.status == 201, "\(taken.body)")
        #expect(taken.body["objectPath"] == "PLC_1/Program blocks/Machines/Conveyor.scl")
        _ = try await RouteCall.call(
            .post, "\(Self.device)/blocks/Conveyor/interface/members",
            body: ["section": "Input", "name": "Jog", "dataType": "Bool"], on: engine)
        _ = try await RouteCall.call(.delete, "\(Self.device)/blocks/Conveyor/interface/members/Enable", on: engine)
        #expect(try await Self.source("Conveyor", on: engine) != original)

        let loaded = try await RouteCall.call(
            .post, "\(Self.device)/blocks/Conveyor/actions/load-snapshot", body: [:], on: engine)
        #expect(loaded.status == 200, "\(loaded.body)")
        #expect(loaded.body["snapshot"]?["id"] == taken.body["id"])
        #expect(try await Self.source("Conveyor", on: engine) == original)
        let content = try await RouteCall.call(.get, "\(Self.device)/blocks/Conveyor/content", on: engine).body
        let inputs = content["interface"]?.arrayValue?.first { $0["name"] == "Input" }?["members"]?.arrayValue
        #expect(inputs?.first?["name"] == "Enable" && inputs?.contains { $0["name"] == "Jog" } == false)

        let wrongBlock = try await RouteCall.call(
            .post, "\(Self.device)/blocks/Filler/actions/load-snapshot", body: ["snapshotId": taken.body["id"] ?? 0],
            on: engine)
        #expect(wrongBlock.status == 400)
        let none = try await RouteCall.call(
            .post, "\(Self.device)/blocks/Capper/actions/load-snapshot", body: [:], on: engine)
        #expect(none.status == 409)
    }

    @Test func startValuesAreLoadedIntoTheVirtualPLC() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let created = try await RouteCall.call(
            .post, "\(Self.device)/blocks",
            body: [
                "name": "Tuning", "type": "DB", "members": [["name": "Gain", "dataType": "Real", "startValue": "2.5"]],
            ],
            on: engine)
        #expect(created.status == 201, "\(created.body)")
        let path = "\(Self.device)/blocks/Tuning/actions/load-start-values"
        #expect(try await RouteCall.call(.post, path, on: engine).status == 409)
        #expect(
            try await RouteCall.call(.post, "\(Self.device)/blocks/Filler/actions/load-start-values", on: engine).status
                == 400)

        try await engine.download(device: "PLC_1")
        let instance = try await engine.plcInstance(device: "PLC_1")
        try await engine.modify("\"Tuning\".Gain", to: "9.0", device: "PLC_1")
        #expect(try await Self.value("\"Tuning\".Gain", in: instance, becomes: "9.0"))
        let loaded = try await RouteCall.call(.post, path, on: engine)
        #expect(loaded.status == 200, "\(loaded.body)")
        #expect(loaded.body["bytes"]?.intValue ?? 0 >= 4)
        #expect(try await Self.value("\"Tuning\".Gain", in: instance, becomes: "2.5"))
        await engine.shutdown()
    }

    /// Whether the operand reads `literal` within two seconds (writes reach the PLC's image between cycles).
    static func value(_ operand: String, in instance: PLCInstance, becomes literal: String) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(2)
        while ContinuousClock.now < deadline {
            if try instance.read(operand).format() == literal { return true }
            try await Task.sleep(for: .milliseconds(5))
        }
        return false
    }

    @Test func simaticMLBlocksAreImportedExportedAndNotEdited() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <Document>
              <Engineering version="V17" />
              <SW.Blocks.FC ID="0">
                <AttributeList>
                  <Interface><Sections xmlns="http://www.siemens.com/automation/Openness/SW/Interface/v5">
                    <Section Name="Input"><Member Name="In1" Datatype="Bool" /></Section>
                    <Section Name="Return"><Member Name="Ret_Val" Datatype="Void" /></Section>
                  </Sections></Interface>
                  <MemoryLayout>Optimized</MemoryLayout>
                  <Name>Legacy</Name>
                  <Number>77</Number>
                  <ProgrammingLanguage>LAD</ProgrammingLanguage>
                </AttributeList>
              </SW.Blocks.FC>
            </Document>

            """
        try FileManager.default.createDirectory(atPath: root + "/import", withIntermediateDirectories: true)
        try Data(xml.utf8).write(to: URL(fileURLWithPath: root + "/import/Legacy.xml"))
        let imported = try await RouteCall.call(
            .post, "\(Self.device)/blocks/actions/import-sync", body: ["filePath": "import/Legacy.xml"], on: engine)
        #expect(imported.status == 200, "\(imported.body)")
        #expect(imported.body["imported"]?.arrayValue?.first?["file"] == "PLC_1/Program blocks/Legacy.xml")
        #expect(try Self.text(root + "/PLC_1/Program blocks/Legacy.xml") == xml)
        let block = try await engine.block("Legacy", device: "PLC_1")
        #expect(block.number == 77 && block.language == .lad)
        let twice = try await RouteCall.call(
            .post, "\(Self.device)/blocks/actions/import-sync", body: ["filePath": "import/Legacy.xml"], on: engine)
        #expect(twice.status == 409)
        let asyncImport = try await RouteCall.call(
            .post, "\(Self.device)/blocks/actions/import", body: ["filePath": "import/Legacy.xml", "overwrite": true],
            on: engine)
        let importJob = try await RouteCall.finishedJob(asyncImport.body, on: engine)
        #expect(importJob["result"]?["imported"]?.arrayValue?.first?["replaced"] == true, "\(importJob)")

        let exported = try await RouteCall.call(.get, "\(Self.device)/blocks/Legacy/export-xml", on: engine)
        #expect(exported.status == 200)
        #expect(exported.body["xml"]?.stringValue == xml)
        let copy = try await RouteCall.call(
            .post, "\(Self.device)/blocks/actions/export-sync", body: ["blockName": "Legacy", "filePath": "exports/"],
            on: engine)
        #expect(copy.body["format"] == "SimaticML")
        #expect(try Self.text(root + "/exports/Legacy.xml") == xml)

        let refusals: [(HTTPVerb, String, JSONValue)] = [
            (.put, "blocks/Legacy/content", ["source": "FUNCTION \"Legacy\" : Void\nBEGIN\nEND_FUNCTION\n"]),
            (.post, "blocks/Legacy/interface/members", ["section": "Input", "name": "In2", "dataType": "Bool"]),
            (.put, "blocks/Legacy/interface/members/In1", ["dataType": "Int"]),
            (.delete, "blocks/Legacy/interface/members/In1", [:]),
            (.post, "blocks/Legacy/networks", ["networks": [["code": "#In1 := TRUE;"]]]),
            (.post, "blocks/actions/rename", ["currentName": "Legacy", "newName": "Modern"]),
            (.post, "blocks/Legacy/actions/export-source", ["filePath": "exports/Legacy.scl"]),
            (.post, "blocks/Legacy/actions/export-prodiag", [:]),
        ]
        for (method, path, body) in refusals {
            let answer = try await RouteCall.call(method, "\(Self.device)/\(path)", body: body, on: engine)
            #expect(answer.status == 422, "\(method.rawValue) \(path): \(answer.body)")
        }

        // A snapshot of a SimaticML block restores its file.
        let taken = try await RouteCall.call(
            .post, "\(Self.device)/blocks/Legacy/actions/create-snapshot", body: [:], on: engine)
        #expect(taken.status == 201)
        try Data(xml.replacingOccurrences(of: "In1", with: "Changed").utf8).write(
            to: URL(fileURLWithPath: root + "/import/Changed.xml"))
        _ = try await RouteCall.call(
            .post, "\(Self.device)/blocks/actions/import-sync",
            body: ["filePath": "import/Changed.xml", "overwrite": true], on: engine)
        #expect(try Self.text(root + "/PLC_1/Program blocks/Legacy.xml").contains("Changed"))
        let loaded = try await RouteCall.call(
            .post, "\(Self.device)/blocks/Legacy/actions/load-snapshot", body: ["snapshotId": taken.body["id"] ?? 0],
            on: engine)
        #expect(loaded.status == 200, "\(loaded.body)")
        #expect(try Self.text(root + "/PLC_1/Program blocks/Legacy.xml") == xml)
        #expect(try await engine.block("Legacy", device: "PLC_1").interface.allMembers.contains { $0.name == "In1" })
    }

    @Test func theBlockListHasAnAsynchronousForm() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let list = try await RouteCall.call(.get, "\(Self.device)/blocks", on: engine).body
        let accepted = try await RouteCall.call(.get, "\(Self.device)/blocks/async", on: engine)
        #expect(accepted.status == 202)
        let job = try await RouteCall.finishedJob(accepted.body, on: engine)
        #expect(job["status"] == "succeeded")
        #expect(job["result"] == list)
    }
}
