import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import S7Model
import S7TestSupport
import Testing
import Workbench
import WorkbenchAPI

@Suite struct APIServerTests {
    func withServer(
        apiKey: String? = "secret", _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let engine = Engine()
        let project =
            Fixtures.corpusAvailable
            ? Fixtures.corpus + "/ikea_vyatka_sorting" : Fixtures.sampleProject("bottling-line")
        try await engine.openProject(at: project, history: .inMemory)
        let server = APIServer(engine: engine, configuration: .init(host: "127.0.0.1", port: 0, apiKey: apiKey))
        let app = Application(router: server.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live, body)
    }

    /// The response body as JSON; a body that is not JSON fails the test and reads as null.
    func json(_ response: TestResponse) -> JSONValue {
        do {
            return try JSONValue.parse(Array(response.body.readableBytesView))
        } catch {
            Issue.record("not JSON: \(error)")
            return .null
        }
    }

    @Test func servesTheFirstRoutesOverARealSocket() async throws {
        try await withServer { client in
            let key: HTTPFields = [HTTPField.Name("X-API-Key")!: "secret"]
            try await client.execute(uri: "/api/health/ping", method: .get) { response in
                #expect(response.status == .ok)
                #expect(json(response)["pong"] == true)
            }
            try await client.execute(uri: "/api/health", method: .get, headers: key) { response in
                #expect(response.status == .ok)
                #expect(json(response)["status"] == "healthy")
                #expect(json(response)["projectOpen"] == true)
            }
            try await client.execute(uri: "/api/instance/status", method: .get, headers: key) { response in
                #expect(json(response)["projectOpen"] == true)
                #expect(json(response)["openProjects"] == 1)
            }
            try await client.execute(uri: "/api/instance/version", method: .get, headers: key) { response in
                #expect(json(response)["product"] == "s7wb")
            }
            try await client.execute(uri: "/api/projects", method: .get, headers: key) { response in
                let body = json(response)
                #expect(body["count"] == 1)
                #expect(body["projects"]?.arrayValue?.first?["isCurrent"] == true)
            }
            try await client.execute(uri: "/api/projects/overview", method: .get, headers: key) { response in
                let body = json(response)
                #expect(response.status == .ok)
                #expect(body["devices"]?.arrayValue?.isEmpty == false)
                #expect((body["totals"]?["blocks"]?.intValue ?? 0) > 0)
            }
            try await client.execute(uri: "/api/openapi.json", method: .get) { response in
                let body = json(response)
                #expect(body["openapi"] == "3.1.0")
                #expect(body["paths"]?["/api/projects/overview"]?["get"]?["operationId"] == "getApiProjectsOverview")
            }
        }
    }

    @Test func refusesMissingOrWrongKeysWithAProblem() async throws {
        try await withServer { client in
            for headers: HTTPFields in [[:], [HTTPField.Name("X-API-Key")!: "wrong"]] {
                try await client.execute(uri: "/api/projects", method: .get, headers: headers) { response in
                    #expect(response.status == .unauthorized)
                    let body = json(response)
                    #expect(body["status"] == 401)
                    #expect(body["title"] == "Unauthorized")
                    #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                }
            }
        }
    }

    @Test func answersUnknownRoutesAndProjectsWithProblems() async throws {
        try await withServer(apiKey: nil) { client in
            try await client.execute(uri: "/api/health", method: .delete) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET")
                #expect(json(response)["status"] == 405)
            }
            try await client.execute(uri: "/api/nothing/here", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(json(response)["status"] == 404)
            }
            try await client.execute(uri: "/api/projects/overview?projectId=nope", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(json(response)["detail"] == "no open project with id nope")
            }
            try await client.execute(uri: "/api/command/info/GET:%2Fapi%2Fhealth", method: .get) { response in
                #expect(response.status == .ok)
                #expect(json(response)["group"] == "Health & Status")
            }
        }
    }

    @Test func theCatalogDocumentsEveryRoute() {
        let document = OpenAPIDocument.make(from: .standard)
        for route in RouteCatalog.standard.routes {
            let operation = document["paths"]?[route.path]?[route.method.rawValue.lowercased()]
            #expect(operation?["responses"]?[String(route.successStatus)] != nil, "\(route.key) is not documented")
            if !route.isPublic { #expect(operation?["responses"]?["401"] != nil) }
        }
        #expect(Set(RouteCatalog.standard.routes.map(\.key)).count == RouteCatalog.standard.routes.count)
    }

    @Test func jsonRoundTrips() throws {
        let value: JSONValue = [
            "a": [1, 2.5, "x\n\"y\"", nil, true], "b": ["c": "Ж"], "e": -9_223_372_036_854_775_807,
        ]
        #expect(try JSONValue.parse(value.serialized()) == value)
        #expect(try JSONValue.parse(value.prettyPrinted()) == value)
        #expect(try JSONValue.parse("\"\\ud83d\\ude00\"") == "😀")
        for bad in ["{", "[1,]", "01", "\"\\x\"", "{\"a\" 1}", "nul", "1 2"] {
            #expect(throws: JSONParseError.self) { try JSONValue.parse(bad) }
        }
    }
}

@Suite struct EngineeringReadRouteTests {
    func call(_ path: String, _ query: [String: String] = [:], on engine: Engine) async throws -> (Int, JSONValue) {
        let (route, parameters) = try #require(RouteCatalog.standard.match(method: .get, path: path))
        do {
            let response = try await route.handler(RouteRequest(pathParameters: parameters, query: query), engine)
            guard case .json(let body) = response.body else { return (response.status, .null) }
            return (response.status, body)
        } catch let error as APIError {
            return (error.status, error.problem)
        }
    }

    @Test func devicesBlocksTagsAndTypesOfTheBottlingLine() async throws {
        let engine = Engine()
        try await engine.openProject(at: Fixtures.sampleProject("bottling-line"), history: .inMemory)
        let devices = try await call("/api/projects/devices", on: engine).1
        #expect(devices["count"] == 1)
        #expect(devices["devices"]?.arrayValue?.first?["orderNumber"] == "6ES7 516-3AN02-0AB0")
        let blocks = try await call("/api/devices/PLC_1/blocks", on: engine).1
        #expect(
            blocks["blocks"]?.arrayValue?.contains { $0["name"] == "PlantModel" && $0["folder"] == "Simulation" }
                == true)
        let tree = try await call("/api/devices/PLC_1/blocks/tree", on: engine).1
        #expect(tree["folders"]?.arrayValue?.map { $0["name"] } == ["Machines", "Simulation"])
        let content = try await call("/api/devices/PLC_1/blocks/Conveyor/content", on: engine).1
        #expect(content["source"]?.stringValue?.contains("FUNCTION_BLOCK \"Conveyor\"") == true)
        #expect(content["interface"]?.arrayValue?.first?["name"] == "Input")
        let tags = try await call("/api/devices/PLC_1/tags/all", on: engine).1
        #expect(tags["count"] == 28)
        let constants = try await call("/api/devices/PLC_1/tag-tables/HMI/constants/user", on: engine).1
        #expect(constants["constants"]?.arrayValue?.map { $0["name"] }.contains("MAX_BOTTLES") == true)
        let udt = try await call("/api/devices/PLC_1/udts/typeRecipe", on: engine).1
        #expect((udt["members"]?.arrayValue?.count ?? 0) > 0)
        let sources = try await call("/api/devices/PLC_1/external-sources", on: engine).1
        #expect(sources["sources"]?.arrayValue?.contains { $0["name"] == "Conveyor.scl" } == true)
        let (status, problem) = try await call("/api/devices/PLC_9/blocks", on: engine)
        #expect(status == 404)
        #expect(problem["detail"]?.stringValue?.hasPrefix("no device 'PLC_9'") == true)
        #expect(try await call("/api/devices/PLC_1/udts/nope", on: engine).0 == 404)
        #expect(try await call("/api/devices/PLC_1/tag-tables/nope/tags", on: engine).0 == 404)
    }
}

@Suite struct HistoryRouteTests {
    @Test func snapshotsAuditAndJobsOfAnEditedProject() async throws {
        let copy = try Fixtures.temporaryCopy(of: Fixtures.sampleProject("bottling-line"))
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let engine = Engine()
        try await engine.openProject(at: copy)
        let original = try #require(try await engine.block("Conveyor", device: "PLC_1").sourceText)
        try await engine.updateBlockSource("Conveyor", device: "PLC_1", source: original + "\n", actor: "tester")
        let routes = EngineeringReadRouteTests()
        let list = try await routes.call("/api/history/blocks/PLC_1/Conveyor", on: engine).1
        #expect(list["count"] == 1)
        let id = try #require(list["snapshots"]?.arrayValue?.first?["id"]?.intValue)
        let content = try await routes.call("/api/history/snapshots/\(id)/content", on: engine).1
        #expect(content["encoding"] == "utf-8")
        #expect(content["content"]?.stringValue?.contains("FUNCTION_BLOCK \"Conveyor\"") == true)
        let stats = try await routes.call("/api/history/stats", on: engine).1
        #expect(stats["snapshotCount"] == 1)
        #expect(stats["persistent"] == true)
        let audit = try await routes.call("/api/audit", ["limit": "5"], on: engine).1
        #expect(audit["entries"]?.arrayValue?.first?["action"] == "block.updateSource")
        #expect(audit["entries"]?.arrayValue?.first?["actor"] == "tester")
        #expect(try await routes.call("/api/audit", ["limit": "0"], on: engine).0 == 400)
        #expect(try await routes.call("/api/history/snapshots/999", on: engine).0 == 404)
        #expect(try await routes.call("/api/history/snapshots/abc", on: engine).0 == 400)
        #expect(try await routes.call("/api/jobs/nope", on: engine).0 == 404)
    }
}

@Suite struct DocsRouteTests {
    @Test func sectionsSectionTextAndSearchComeFromTheCatalog() async throws {
        let engine = Engine()
        let routes = EngineeringReadRouteTests()
        let sections = try await routes.call("/api/docs/sections", on: engine).1
        #expect(sections["sections"]?.arrayValue?.first?["name"] == "Health & Status")
        let (route, parameters) = try #require(
            RouteCatalog.standard.match(method: .get, path: "/api/docs/sections/tags%20&%20constants"))
        let response = try await route.handler(RouteRequest(pathParameters: parameters), engine)
        guard case .text(let text, _) = response.body else {
            Issue.record("not text")
            return
        }
        #expect(text.contains("## Tags & Constants"))
        #expect(text.contains("GET /api/devices/{deviceName}/tags/all"))
        #expect(!text.contains("/api/health"))
        let search = try await routes.call("/api/docs/search", ["q": "snapshot BLOCK"], on: engine).1
        #expect(
            search["matches"]?.arrayValue?.map { $0["key"] }.contains(
                "GET:/api/history/blocks/{deviceName}/{blockName}") == true)
        #expect(try await routes.call("/api/docs/search", on: engine).0 == 400)
        #expect(try await routes.call("/api/docs/sections/nope", on: engine).0 == 404)
    }
}

@Suite struct SettingsRouteTests {
    func post(_ body: JSONValue, on engine: Engine) async throws -> (Int, JSONValue) {
        let route = try #require(RouteCatalog.standard.route(key: "POST:/api/settings"))
        do {
            let response = try await route.handler(RouteRequest(body: body, actor: "tester"), engine)
            guard case .json(let json) = response.body else { return (response.status, .null) }
            return (response.status, json)
        } catch let error as APIError {
            return (error.status, error.problem)
        }
    }

    @Test func settingsPersistAndSwitchSnapshotsOff() async throws {
        let copy = try Fixtures.temporaryCopy(of: Fixtures.sampleProject("traffic-light"))
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let engine = Engine()
        try await engine.openProject(at: copy)
        let routes = EngineeringReadRouteTests()
        #expect(try await routes.call("/api/settings", on: engine).1["snapshotBeforeChange"] == true)
        let (status, saved) = try await post(["snapshotBeforeChange": false, "snapshotsPerObject": 20], on: engine)
        #expect(status == 200)
        #expect(saved["snapshotsPerObject"] == 20)
        #expect(try await post(["snapshotsPerObject": 0], on: engine).0 == 400)
        #expect(try await post(["colour": "red"], on: engine).0 == 400)
        #expect(try await post([1, 2], on: engine).0 == 400)
        let source = try #require(try await engine.block("TrafficLight", device: "PLC_1").sourceText)
        try await engine.updateBlockSource("TrafficLight", device: "PLC_1", source: source + "\n")
        #expect(try await engine.snapshots().isEmpty)
        let reopened = Engine()
        try await reopened.openProject(at: copy)
        #expect(try await reopened.settings().snapshotsPerObject == 20)
        #expect(try await reopened.audit().contains { $0.action == "settings.update" && $0.actor == "tester" })
    }
}

@Suite struct HealthRouteTests {
    @Test func diagnosticsAndVersionsDescribeThisEngine() async throws {
        let engine = Engine()
        try await engine.openProject(at: Fixtures.sampleProject("traffic-light"), history: .inMemory)
        let routes = EngineeringReadRouteTests()
        let diagnostics = try await routes.call("/api/health/diagnostics", on: engine).1
        #expect(diagnostics["engine"]?["name"] == "s7wb")
        #expect((diagnostics["machine"]?["processorCount"]?.intValue ?? 0) >= 1)
        #expect(diagnostics["projects"]?.arrayValue?.first?["name"] == "traffic-light")
        #expect(diagnostics["projects"]?.arrayValue?.first?["historyPersistent"] == false)
        let versions = try await routes.call("/api/health/versions", on: engine).1
        #expect(
            versions["versions"]?.arrayValue?.map { $0["version"] } == [
                "V15", "V16", "V17", "V18", "V19", "V20", "V21",
            ])
    }
}
