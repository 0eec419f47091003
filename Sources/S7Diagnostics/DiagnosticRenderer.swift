/// Renders diagnostics as text in the style of clang, with the source line and an underline.
///
///     FB_Test.scl:3:5: error[SCL1001]: unterminated string literal
///         s := 'abc;
///              ^~~~~
///     FB_Test.scl:1:1: note: block starts here
///
/// The excerpt is the first line of the range; the underline starts with `^` and covers the range up to the end of
/// that line with `~`. Tabs are expanded to `tabWidth` stops in both the excerpt and the underline, East Asian wide
/// characters take two cells, combining marks none, so the underline stays aligned in a terminal. A fix-it on the
/// excerpted line is shown as its replacement text (line breaks as spaces) on a line below the underline, aligned
/// with where it applies; fix-its elsewhere are only in the data.
public struct DiagnosticRenderer: Sendable {
    public var tabWidth: Int

    public init(tabWidth: Int = 4) {
        self.tabWidth = max(1, tabWidth)
    }

    /// All diagnostics, each followed by its labels and notes; files are looked up by path.
    public func render(_ diagnostics: [Diagnostic], files: [SourceFile]) -> String {
        var byPath: [String: SourceFile] = [:]
        for file in files { byPath[file.path] = file }
        return diagnostics.map { render($0) { byPath[$0] } }.joined()
    }

    /// One diagnostic whose ranges all lie in `file` (or in no file that is available).
    public func render(_ diagnostic: Diagnostic, file: SourceFile?) -> String {
        render(diagnostic) { path in file?.path == path ? file : nil }
    }

    private func render(_ diagnostic: Diagnostic, lookup: (String) -> SourceFile?) -> String {
        var out = ""
        let label = "\(diagnostic.severity.rawValue)[\(diagnostic.code.rawValue)]"
        let file = lookup(diagnostic.range.path)
        out += heading(diagnostic.range, file: file, label: label, message: diagnostic.message)
        if let file {
            out += excerpt(diagnostic.range, in: file, fixIt: diagnostic.fixIt)
        }
        for secondary in diagnostic.labels {
            let labelFile = lookup(secondary.range.path)
            out += heading(secondary.range, file: labelFile, label: "note", message: secondary.message)
            if let labelFile { out += excerpt(secondary.range, in: labelFile, fixIt: nil) }
        }
        for note in diagnostic.notes {
            if let range = note.range {
                let noteFile = lookup(range.path)
                out += heading(range, file: noteFile, label: "note", message: note.message)
                if let noteFile { out += excerpt(range, in: noteFile, fixIt: nil) }
            } else {
                out += "note: \(note.message)\n"
            }
        }
        return out
    }

    private func heading(_ range: SourceRange, file: SourceFile?, label: String, message: String) -> String {
        guard let file else { return "\(range.path): \(label): \(message)\n" }
        let location = file.location(of: range.start)
        return "\(range.path):\(location.line):\(location.column): \(label): \(message)\n"
    }

    private func excerpt(_ range: SourceRange, in file: SourceFile, fixIt: Diagnostic.FixIt?) -> String {
        let line = file.line(of: min(max(range.start, 0), file.bytes.count))
        let lineBytes = file.lineRange(line)
        let start = min(max(range.start, lineBytes.lowerBound), lineBytes.upperBound)
        let end = min(max(range.end, start), lineBytes.upperBound)
        let before = String(decoding: file.bytes[lineBytes.lowerBound..<start], as: UTF8.self)
        let inside = String(decoding: file.bytes[start..<end], as: UTF8.self)
        let after = String(decoding: file.bytes[end..<lineBytes.upperBound], as: UTF8.self)

        var shown = ""
        var cells = 0
        expand(before, into: &shown, cells: &cells)
        let caretColumn = cells
        expand(inside, into: &shown, cells: &cells)
        let underlineWidth = max(1, cells - caretColumn)
        expand(after, into: &shown, cells: &cells)

        var out = shown + "\n"
        out += String(repeating: " ", count: caretColumn) + "^" + String(repeating: "~", count: underlineWidth - 1)
        out += "\n"
        if let fixIt, fixIt.range.path == range.path,
            lineBytes.contains(fixIt.range.start)
                || fixIt.range.start == lineBytes.upperBound
        {
            let fixStart = min(max(fixIt.range.start, lineBytes.lowerBound), lineBytes.upperBound)
            var fixCells = 0
            var ignored = ""
            expand(
                String(decoding: file.bytes[lineBytes.lowerBound..<fixStart], as: UTF8.self), into: &ignored,
                cells: &fixCells)
            var replacement = fixIt.replacement.split(whereSeparator: \.isNewline).joined(separator: " ")
            // An insertion's separating space (` THEN`) is not shown, so the text starts under the caret.
            if fixIt.range.start == fixIt.range.end { replacement = String(replacement.drop(while: \.isWhitespace)) }
            out += String(repeating: " ", count: fixCells) + replacement + "\n"
        }
        return out
    }

    /// Appends `text` as terminal cells: tabs to spaces, control characters to U+FFFD.
    private func expand(_ text: String, into shown: inout String, cells: inout Int) {
        for scalar in text.unicodeScalars {
            if scalar == "\t" {
                let width = tabWidth - cells % tabWidth
                shown += String(repeating: " ", count: width)
                cells += width
            } else if scalar.value < 0x20 || scalar.value == 0x7F {
                shown.unicodeScalars.append("\u{FFFD}")
                cells += 1
            } else {
                shown.unicodeScalars.append(scalar)
                cells += Self.cellWidth(of: scalar)
            }
        }
    }

    /// Terminal cells a scalar occupies: 0 for combining and zero-width marks, 2 for East Asian wide, else 1.
    static func cellWidth(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x300 { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        switch value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
            0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }
}
