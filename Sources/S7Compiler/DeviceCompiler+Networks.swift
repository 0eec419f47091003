import S7Diagnostics
import S7Model
import SCLSyntax
import SimaticML

/// A code block from SimaticML (LAD, FBD, SCL networks, or STL/GRAPH networks it cannot run) lowered to an SCL
/// unit: its networks as SCL statements (`NetworkTranslator`), its interface with the temps the lowering needs.
struct LoweredBlock {
    var block: Block
    var translation: NetworkTranslation
    var result: SCLParseResult
    var unit: SCLProgramUnit?
    /// Lines of the generated file before the first line of `translation.body`.
    static let headerLines = 2

    init(_ original: Block) {
        translation = NetworkTranslator.translate(original)
        block = original
        if !translation.temps.isEmpty {
            var sections = block.interface.sections
            let temps = translation.temps.map { S7Model.Member(name: $0.name, dataType: $0.dataType) }
            if let index = sections.firstIndex(where: { $0.kind == .temp }) {
                sections[index].members += temps
            } else {
                sections.append(InterfaceSection(kind: .temp, members: temps))
            }
            block.interface.sections = sections
        }
        let keyword: String =
            switch original.kind {
            case .functionBlock: "FUNCTION_BLOCK"
            case .function: "FUNCTION"
            default: "ORGANIZATION_BLOCK"
            }
        let header = "\(keyword) \"\(original.name)\"" + (original.kind == .function ? " : Void" : "")
        let text = header + "\nBEGIN\n" + translation.body + "\nEND_\(keyword)\n"
        let path = original.file.path + " (as SCL)"
        result = SCLParser.parse(SourceFile(path: path, text: text))
        unit = result.units.first
    }

    /// The network problems of the lowering as diagnostics on the block's file.
    var problems: [Diagnostic] {
        translation.problems.map { problem in
            Diagnostic(
                problem.isError ? .invalidNetwork : .networkNotSimulated,
                "\(block.displayNumber) \"\(block.name)\" network \(problem.network): \(problem.message)",
                at: SourceRange(path: block.file.path, start: 0, end: 0))
        }
    }

    /// A diagnostic about the generated SCL, moved onto the block's file and naming the network and the SCL line.
    func located(_ diagnostic: Diagnostic) -> Diagnostic {
        var moved = diagnostic
        let file = result.file
        var place = "\(block.displayNumber) \"\(block.name)\""
        if diagnostic.range.path == file.path, diagnostic.range.start > 0 {
            let line = file.location(of: diagnostic.range.start).line
            if let network = translation.network(atLine: line - Self.headerLines) {
                let range = file.lineRange(line)
                let text = String(decoding: file.bytes[range], as: UTF8.self).trimmedBlanks
                place += " network \(network)"
                moved.notes.append(Diagnostic.Note("the network as SCL: \(text)"))
            }
        }
        moved.message = place + ": " + diagnostic.message
        moved.range = SourceRange(path: block.file.path, start: 0, end: 0)
        moved.labels = []
        for index in moved.notes.indices { moved.notes[index].range = nil }
        return moved
    }
}

extension String {
    /// Without leading and trailing blanks and line breaks.
    fileprivate var trimmedBlanks: String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
