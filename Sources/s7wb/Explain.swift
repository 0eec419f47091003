import ArgumentParser
import S7Diagnostics

/// `s7wb explain CODE`: what a diagnostic code means, with an example; without a code, the list of codes.
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain a diagnostic code (SCL1202 …), or list every code.")

    @Argument(help: "A code such as SCL1202; omit it to list every code with its title.")
    var code: String?

    func run() throws {
        guard let code else {
            for entry in DiagnosticRegistry.all {
                print("\(entry.code.rawValue)  \(entry.severity)  \(entry.title)")
            }
            return
        }
        guard let entry = DiagnosticRegistry.entry(for: DiagnosticCode(code.uppercased())) else {
            throw ValidationError("unknown diagnostic code '\(code)'; `s7wb explain` lists them all")
        }
        print("\(entry.code.rawValue): \(entry.title) (\(entry.severity))\n")
        print(entry.explanation)
    }
}
