import ArgumentParser

@main
struct S7wb: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "s7wb",
        abstract:
            "An open engineering workbench for Siemens S7-1200/1500 projects (TIA Version Control Interface folders).",
        version: "0.1.0",
        subcommands: [
            Tui.self, Serve.self, Info.self, Check.self, Compile.self, Run.self, Fmt.self, Explain.self,
            MCPCommand.self, Sim.self, Online.self, Show.self, Import.self, Export.self,
        ],
        defaultSubcommand: Tui.self)
}
