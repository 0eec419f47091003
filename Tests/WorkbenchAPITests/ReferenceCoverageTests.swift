import Foundation
import S7Model
import S7TestSupport
import Testing
import Workbench
import WorkbenchAPI

@Suite struct ReferenceCoverageTests {
    /// Routes s7wb serves beyond T-IA Connect's list.
    static let extensions: Set<String> = [
        "GET:/api/openapi.json", "GET:/api/devices/{deviceName}/watch-tables/{tableName}/values/stream",
        "POST:/api/devices/{deviceName}/watch-tables/{tableName}/actions/modify",
    ]

    @Test(.enabled(if: !Fixtures.referenceEndpoints.isEmpty))
    func everyRouteIsAT_IAConnectRouteOfTheSameGroup() {
        let reference = Fixtures.referenceEndpoints
        for route in RouteCatalog.standard.routes where !Self.extensions.contains(route.key) {
            let match = reference.first { $0.method == route.method.rawValue && $0.path == route.path }
            #expect(match != nil, "\(route.key) is not a T-IA Connect route")
            if let match { #expect(match.group == route.group, "\(route.key) belongs to \(match.group)") }
        }
    }

    @Test(.enabled(if: !Fixtures.referenceEndpoints.isEmpty))
    func theReferenceListsTheDocumentedRoutes() {
        #expect(Fixtures.referenceEndpoints.count == 313)
    }
}

/// Issue #6: every route of the engineering groups is served, and on the sample project answers something other
/// than "not found", "method not allowed" or "not implemented" (a route may well refuse an empty body with 400).
@Suite struct EngineeringGroupCoverageTests {
    static let groups: Set<String> = [
        "Health & Status", "TIA Portal Management", "Project Operations", "Devices", "Blocks", "Tags & Constants",
        "Data Types (UDT)", "History & Snapshots", "Async Jobs", "System API", "Discovery", "Diagnostics",
    ]

    static var routes: [Fixtures.ReferenceEndpoint] {
        Fixtures.referenceEndpoints.filter { groups.contains($0.group) }
    }

    @Test(.enabled(if: !Fixtures.referenceEndpoints.isEmpty))
    func everyRouteOfTheGroupsIsInTheCatalog() {
        #expect(Self.routes.count == 171)
        let served = Set(RouteCatalog.standard.routes.map(\.key))
        let missing = Self.routes.filter { !served.contains("\($0.method):\($0.path)") }
        #expect(missing.isEmpty, "not served: \(missing.map { "\($0.method) \($0.path)" })")
    }

    @Test(.enabled(if: !Fixtures.referenceEndpoints.isEmpty))
    func everyRouteAnswersOnTheSampleProject() async throws {
        for endpoint in Self.routes {
            guard let method = HTTPVerb(rawValue: endpoint.method) else { continue }
            let (engine, root) = try await RouteCall.engineWithCopy()
            defer { try? FileManager.default.removeItem(atPath: root) }
            let values = try await Self.prepare(engine, root: root)
            var path = endpoint.path
            for (name, value) in values { path = path.replacingOccurrences(of: "{\(name)}", with: value) }
            #expect(!path.contains("{"), "no value for a parameter of \(endpoint.path)")
            let body: JSONValue? = method == .get || method == .delete ? nil : [:]
            let (status, answer) = try await RouteCall.call(method, path, body: body, on: engine)
            #expect(
                ![404, 405, 501].contains(status) && status < 500,
                "\(endpoint.method) \(path) answered \(status): \(answer)")
        }
    }

    /// Objects for every path parameter: a constant, a snapshot, a job, a data type folder, an external source.
    static func prepare(_ engine: Engine, root: String) async throws -> [String: String] {
        let table = try await engine.tagTable("Machine IO", device: "PLC_1")
        try await engine.updateTagTable(
            "Machine IO", tags: table.tags, constants: [UserConstant(name: "MaxBottles", dataType: "Int", value: "24")],
            device: "PLC_1")
        let snapshot = try await engine.takeSnapshot(kind: "block", path: "PLC_1/Program blocks/Main.scl", reason: "t")
        let job = await engine.startJob(kind: "test") { "{}" }
        try FileManager.default.createDirectory(
            atPath: root + "/PLC_1/PLC data types/Motors", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            atPath: root + "/PLC_1/External source files", withIntermediateDirectories: true)
        try Data("FUNCTION \"Gen\" : Void\nBEGIN\nEND_FUNCTION\n".utf8).write(
            to: URL(fileURLWithPath: root + "/PLC_1/External source files/Gen.scl"))
        return [
            "deviceName": "PLC_1", "blockName": "Conveyor", "memberName": "Enable", "tableName": "Machine IO",
            "tagName": "StartButton", "constantName": "MaxBottles", "udtName": "typeMotor", "folderPath": "Motors",
            "snapshotId": String(snapshot.id ?? 0), "jobId": job.id, "sourceName": "Gen.scl",
            "orderNumber": "6ES7 516-3AN02-0AB0", "route": "getApiHealth", "sectionName": "Blocks",
            "typeName": "DeviceKind",
        ]
    }
}
