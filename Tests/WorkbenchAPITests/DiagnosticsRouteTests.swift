import Foundation
import S7Model
import S7TestSupport
import Testing
import Workbench
import WorkbenchAPI

/// The Diagnostics, TIA Portal Management and browse routes, which answer what they mean in this engine.
@Suite struct DiagnosticsRouteTests {
    static let targets = [
        "S7Model", "S7Diagnostics", "SCLSyntax", "SimaticML", "S7Compiler", "S7Runtime", "S7Protocol", "Workbench",
        "WorkbenchAPI", "WorkbenchMCP", "WorkbenchTUI",
    ]

    // MARK: Diagnostics

    @Test func namespacesAreTheTargetsWithTheirTypeCounts() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (status, body) = try await RouteCall.call(.get, "/api/diagnostic/namespaces", on: engine)
        #expect(status == 200)
        let namespaces = try #require(body["namespaces"]?.arrayValue)
        #expect(namespaces.compactMap { $0["name"]?.stringValue } == Self.targets)
        for namespace in namespaces {
            #expect((namespace["typeCount"]?.intValue ?? 0) > 0, "\(namespace)")
            #expect(namespace["purpose"]?.stringValue?.isEmpty == false)
        }
        let sum = namespaces.compactMap { $0["typeCount"]?.intValue }.reduce(0, +)
        #expect(body["typeCount"]?.intValue == sum)

        let all = try await RouteCall.call(.get, "/api/diagnostic/types", query: ["filter": ""], on: engine).body
        #expect(all["count"]?.intValue == sum)

        let library = try #require(body["instructionLibrary"])
        let instructions = try #require(library["instructions"]?.arrayValue).compactMap(\.stringValue)
        #expect(instructions.contains("TON") && instructions.contains("SCALE_X") && instructions.contains("CONCAT"))
        #expect(!instructions.contains("compare"))
        #expect(library["count"]?.intValue == instructions.count)
    }

    @Test func typesFilterByQualifiedName() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let body = try await RouteCall.call(.get, "/api/diagnostic/types", query: ["filter": "blockk"], on: engine).body
        let types = try #require(body["types"]?.arrayValue)
        #expect(types.count == 1)
        #expect(types.first?["qualifiedName"] == "S7Model.BlockKind")
        #expect(types.first?["kind"] == "enum")
        #expect(types.first?["isCaseIterable"] == true)

        let missing = try await RouteCall.call(.get, "/api/diagnostic/types", on: engine)
        #expect(missing.status == 400)
    }

    @Test func enumValuesOfACaseIterableEnumAreItsAllCases() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (status, body) = try await RouteCall.call(.get, "/api/diagnostic/enum-values/BlockKind", on: engine)
        #expect(status == 200)
        #expect(body["typeName"] == "S7Model.BlockKind")
        #expect(body["isCaseIterable"] == true)
        let values = try #require(body["values"]?.arrayValue)
        #expect(values.compactMap { $0["value"]?.stringValue } == BlockKind.allCases.map(\.rawValue))
        #expect(values.compactMap { $0["name"]?.stringValue } == BlockKind.allCases.map { String(describing: $0) })

        let nested = try await RouteCall.call(.get, "/api/diagnostic/enum-values/Address.Area", on: engine).body
        #expect(
            nested["values"]?.arrayValue?.compactMap { $0["value"]?.stringValue }
                == Address.Area.allCases.map(\.rawValue))

        let structure = try await RouteCall.call(.get, "/api/diagnostic/enum-values/Device", on: engine)
        #expect(structure.status == 422)
        let unknown = try await RouteCall.call(.get, "/api/diagnostic/enum-values/NoSuchEnum", on: engine)
        #expect(unknown.status == 404)
    }

    @Test func searchFindsOneTypeWithItsMembers() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (status, body) = try await RouteCall.call(
            .get, "/api/diagnostic/search", query: ["typeName": "device"], on: engine)
        #expect(status == 200)
        #expect(body["qualifiedName"] == "S7Model.Device")
        let members = try #require(body["members"]?.arrayValue).compactMap(\.stringValue)
        #expect(members.contains("blocks") && members.contains("ipAddress") && members.contains("tagTables"))

        let unknown = try await RouteCall.call(
            .get, "/api/diagnostic/search", query: ["typeName": "TiaPortal"], on: engine)
        #expect(unknown.status == 404)
        #expect(unknown.body["detail"]?.stringValue?.contains("TiaPortal") == true)
    }

    @Test func providersSayWhatIsAvailable() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let body = try await RouteCall.call(.get, "/api/diagnostic/providers", on: engine).body
        let providers = try #require(body["providers"]?.arrayValue)
        func available(_ name: String) -> Bool? {
            providers.first { $0["name"]?.stringValue == name }?["available"]?.boolValue
        }
        #expect(available("compiler") == true)
        #expect(available("virtualPLC") == true)
        #expect(available("restAPI") == true)
        #expect(available("openness") == false)
        #expect(available("onlineConnection") == false)
    }

    @Test func onlineDownloadTypesRefuseHardwareAndRealPLCs() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let body = try await RouteCall.call(.get, "/api/diagnostic/online-download-types", on: engine).body
        let download = try #require(
            body["categories"]?.arrayValue?.first { $0["category"] == "download" }?["types"]?.arrayValue)
        func supported(_ name: String) -> Bool? {
            download.first { $0["name"]?.stringValue == name }?["supported"]?.boolValue
        }
        #expect(supported("hardware") == false)
        #expect(supported("softwareChangesOnly") == true)
        #expect(supported("softwareAll") == true)
        #expect(body["realPLCs"]?["supported"] == false)
    }

    @Test func cpuServicesOfPLC1FollowItsVirtualPLC() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let before = try await RouteCall.call(.get, "/api/diagnostic/cpu-services/PLC_1", on: engine)
        #expect(before.status == 200)
        #expect(before.body["device"] == "PLC_1")
        #expect(before.body["kind"] == "plc")
        #expect(before.body["mode"] == .null)
        let names = try #require(before.body["services"]?.arrayValue).compactMap { $0["name"]?.stringValue }
        #expect(names == ["operatingModes", "memoryReset", "diagnosticBuffer", "cycleStatistics", "s7commAccess"])

        try await engine.download(device: "PLC_1")
        let after = try await RouteCall.call(.get, "/api/diagnostic/cpu-services/PLC_1", on: engine).body
        #expect(after["mode"] == "STOP")
        #expect(after["downloadedAt"]?.stringValue != nil)
        await engine.shutdown()

        let software = try await RouteCall.call(.get, "/api/diagnostic/plc-services/plc_1", on: engine).body
        let services = try #require(software["services"]?.arrayValue).compactMap { $0["name"]?.stringValue }
        #expect(services.contains("compile") && services.contains("downloadToVirtualPLC"))

        let unknown = try await RouteCall.call(.get, "/api/diagnostic/cpu-services/PLC_9", on: engine)
        #expect(unknown.status == 404)
    }

    // MARK: TIA Portal Management

    @Test func theOneInstanceIsThisProcess() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let pid = Int(ProcessInfo.processInfo.processIdentifier)
        let body = try await RouteCall.call(.get, "/api/instances", on: engine).body
        #expect(body["count"] == 1)
        let instance = try #require(body["instances"]?.arrayValue?.first)
        #expect(instance["pid"]?.intValue == pid)
        #expect(instance["name"] == "s7wb")
        #expect(instance["version"]?.stringValue == Engine.version)
        let projects = try #require(instance["openProjects"]?.arrayValue)
        #expect(projects.count == 1)
        #expect(projects.first?["name"] == "bottling-line")
        #expect(projects.first?["path"]?.stringValue?.hasSuffix((root as NSString).lastPathComponent) == true)

        let diagnostics = try await RouteCall.call(.get, "/api/instance/diagnostics", on: engine).body
        #expect(diagnostics["pid"]?.intValue == pid)
        #expect(diagnostics["openness"]?["required"] == false)
        #expect(diagnostics["openProjects"]?.arrayValue?.count == 1)
        #if os(Linux)
            #expect((diagnostics["memory"]?["residentBytes"]?.intValue ?? 0) > 0)
            #expect((diagnostics["threads"]?.intValue ?? 0) > 0)
        #endif
    }

    @Test func attachAcceptsOnlyThisProcess() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let pid = Int64(ProcessInfo.processInfo.processIdentifier)
        let own = try await RouteCall.call(
            .post, "/api/instance/actions/attach", body: ["pid": .int(pid)], on: engine)
        #expect(own.status == 200)
        #expect(own.body["attached"] == true)
        #expect(own.body["instance"]?["pid"]?.intValue == Int(pid))

        let other = try await RouteCall.call(
            .post, "/api/instance/actions/attach", body: ["pid": .int(pid + 1)], on: engine)
        #expect(other.status == 404)
        #expect(other.body["detail"]?.stringValue?.contains("pid \(pid + 1)") == true)

        let bad = try await RouteCall.call(.post, "/api/instance/actions/attach", body: ["pid": "one"], on: engine)
        #expect(bad.status == 400)
    }

    @Test func shutdownClosesEveryProjectAndKeepsTheEngine() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (status, body) = try await RouteCall.call(.post, "/api/instance/actions/shutdown", on: engine)
        #expect(status == 200)
        #expect(body["count"] == 1)
        #expect(body["processExited"] == false)
        #expect(body["closedProjects"]?.arrayValue?.first?["name"] == "bottling-line")
        let projects = try await RouteCall.call(.get, "/api/projects", on: engine).body
        #expect(projects["count"] == 0)
        #expect(projects["projects"]?.arrayValue?.isEmpty == true)
        let health = try await RouteCall.call(.get, "/api/health", on: engine).body
        #expect(health["projectOpen"] == false)
    }

    @Test func launchOpensTheGivenProjectAndWhitelistIsNotNeeded() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        _ = try await RouteCall.call(.post, "/api/instance/actions/shutdown", on: engine)
        let launched = try await RouteCall.call(
            .post, "/api/instance/actions/launch", body: ["projectPath": .string(root)], on: engine)
        #expect(launched.status == 200)
        #expect(launched.body["alreadyRunning"] == true)
        #expect(launched.body["projectName"] == "bottling-line")
        #expect(try await RouteCall.call(.get, "/api/projects", on: engine).body["count"] == 1)

        let outside = try await RouteCall.call(
            .post, "/api/instance/actions/launch", body: ["projectPath": "/etc"], on: engine)
        #expect(outside.status == 403)

        let whitelist = try await RouteCall.call(.post, "/api/tia/firewall/whitelist", on: engine).body
        #expect(whitelist["whitelisted"] == true)
        #expect(whitelist["required"] == false)
    }

    // MARK: Browse

    @Test func browseListsTheProjectFolderAndRefusesOutside() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (status, body) = try await RouteCall.call(.get, "/api/system/browse-file", on: engine)
        #expect(status == 200)
        let names = try #require(body["entries"]?.arrayValue).compactMap { $0["name"]?.stringValue }
        #expect(names == ["PLC_1", "README.md", "s7project.json"])
        #expect(body["parent"] == .null)

        let json = try await RouteCall.call(
            .get, "/api/system/browse-file", query: ["filter": "*.JSON;*.zip"], on: engine
        ).body
        let filtered = try #require(json["entries"]?.arrayValue)
        #expect(filtered.compactMap { $0["name"]?.stringValue } == ["PLC_1", "s7project.json"])
        let manifest = try #require(filtered.last)
        #expect(manifest["isDirectory"] == false)
        #expect((manifest["sizeBytes"]?.intValue ?? 0) > 0)
        #expect(manifest["path"]?.stringValue?.hasSuffix("/s7project.json") == true)

        let blocks = try await RouteCall.call(
            .get, "/api/system/browse-file", query: ["path": "PLC_1/Program blocks", "filter": "*.scl"], on: engine
        ).body
        let blockNames = try #require(blocks["entries"]?.arrayValue).compactMap { $0["name"]?.stringValue }
        #expect(blockNames.contains("Main.scl") && blockNames.contains("Machines"))
        #expect(!blockNames.contains("LineData.db"))
        #expect(blocks["parent"]?.stringValue?.hasSuffix("/PLC_1") == true)

        let folders = try await RouteCall.call(.get, "/api/system/browse-folder", on: engine).body
        #expect(folders["entries"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["PLC_1"])

        let projects = try await RouteCall.call(.get, "/api/system/browse-project", on: engine).body
        #expect(projects["isProject"] == true)
        #expect(projects["entries"]?.arrayValue?.first?["isProject"] == true)

        let up = try await RouteCall.call(.get, "/api/system/browse-file", query: ["path": "../"], on: engine)
        #expect(up.status == 400)
        let etc = try await RouteCall.call(.get, "/api/system/browse-file", query: ["path": "/etc"], on: engine)
        #expect(etc.status == 403)
        let missing = try await RouteCall.call(
            .get, "/api/system/browse-folder", query: ["path": root + "/nothing-here"], on: engine)
        #expect(missing.status == 404)
        let badPattern = try await RouteCall.call(
            .get, "/api/system/browse-file", query: ["filter": "PLC_1/*.scl"], on: engine)
        #expect(badPattern.status == 400)
    }

    @Test func filtersMatchLikeAFileDialog() async throws {
        let (engine, root) = try await RouteCall.engineWithCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        func files(_ filter: String) async throws -> [String] {
            let body = try await RouteCall.call(
                .get, "/api/system/browse-file", query: ["path": "PLC_1/Program blocks", "filter": filter], on: engine
            ).body
            return (body["entries"]?.arrayValue ?? []).filter { $0["isDirectory"] == false }
                .compactMap { $0["name"]?.stringValue }
        }
        #expect(
            try await files("*.*") == ["Cyclic interrupt.scl", "LineData.db", "Main.scl", "Recipe.db", "Startup.scl"])
        #expect(try await files("*.DB") == ["LineData.db", "Recipe.db"])
        #expect(try await files("Line?ata.*; M*.scl") == ["LineData.db", "Main.scl"])
        #expect(try await files("*.zip").isEmpty)
        let empty = try await RouteCall.call(
            .get, "/api/system/browse-file", query: ["filter": " ; "], on: engine)
        #expect(empty.status == 400)
    }
}
