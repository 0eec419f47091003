import ArgumentParser
import Foundation
import MCP
import Workbench
import WorkbenchMCP

/// `s7wb mcp PROJECT`: an MCP server on standard input and output for AI agents and MCP clients.
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp", abstract: "Serve the project to MCP clients over stdio (tools mirror the REST API).")

    @Argument(help: "The project folder to open.")
    var project: String

    @OptionGroup var engineOptions: EngineOptions

    func run() async throws {
        let engine = Engine(configuration: engineOptions.configuration(actor: "mcp"))
        do {
            try await engine.openProject(at: project, actor: "mcp")
        } catch {
            FileHandle.standardError.write(Data("s7wb: \(error.message)\n".utf8))
            throw ExitCode(2)
        }
        let server = await MCPTools(engine: engine).makeServer()
        try await server.start(transport: StdioTransport())
        await server.waitUntilCompleted()
        await engine.shutdown()
    }
}
