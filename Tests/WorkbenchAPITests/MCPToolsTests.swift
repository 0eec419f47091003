import MCP
import S7TestSupport
import Testing
import Workbench
import WorkbenchAPI
import WorkbenchMCP

@Suite struct MCPToolsTests {
    @Test func everyRouteIsATool() {
        let tools = MCPTools(engine: Engine()).tools
        let names = Set(tools.map(\.name))
        #expect(names.count == tools.count)
        #expect(names.contains("get_api_projects_overview"))
        #expect(names.contains("get_api_command_info_route"))
        #expect(!names.contains("get_api_openapi_json"))
    }

    @Test func callsRunTheRouteHandlersAndReportProblems() async throws {
        let engine = Engine()
        let project =
            Fixtures.corpusAvailable
            ? Fixtures.corpus + "/ikea_vyatka_sorting" : Fixtures.sampleProject("bottling-line")
        try await engine.openProject(at: project, history: .inMemory)
        let tools = MCPTools(engine: engine)
        let overview = await tools.call("get_api_projects_overview", arguments: nil)
        #expect(overview.isError == false)
        #expect(overview.structuredContent?.objectValue?["devices"]?.arrayValue?.isEmpty == false)
        let missing = await tools.call("get_api_projects_overview", arguments: ["projectId": "nope"])
        #expect(missing.isError == true)
        #expect(missing.structuredContent?.objectValue?["status"] == .int(404))
        let info = await tools.call("get_api_command_info_route", arguments: [:])
        #expect(info.isError == true)
        let unknown = await tools.call("no_such_tool", arguments: nil)
        #expect(unknown.isError == true)
    }
}
