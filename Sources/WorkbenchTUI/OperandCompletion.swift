import Foundation
import S7Model

/// Completion of operands: the names a `.` may be followed by (`"Motor_DB".`, `#timer.`, `#axis.limits[2].`) and
/// the global names an operand may start with (`"Tag"`, `"DB"`), from the device's blocks, data types and tags.
/// The editor and the watch table's "add operand" prompt share it.
struct OperandCompletion {
    let device: Device
    /// The block being edited, for `#locals`.
    let block: Block?

    /// Completions for the operand `text` ends with: replacements for the text from `start` on.
    func complete(_ text: String) -> (start: String.Index, candidates: [String]) {
        guard let dot = Self.memberDot(in: text) else {
            let start = Self.operandStart(in: text)
            let word = text[start...].lowercased()
            let names =
                device.tagTables.flatMap { $0.tags.map(\.name) + $0.constants.map(\.name) }
                + device.blocks.filter { $0.kind.isDataBlock }.map(\.name)
            let candidates = names.map { "\"\($0)\"" }.filter { $0.lowercased().hasPrefix(word) || word.isEmpty }
            return (start, candidates.sorted())
        }
        let prefix = text[text.index(after: dot)...].lowercased()
        let path = Self.components(String(text[Self.operandStart(in: text)..<dot]))
        let members = self.members(of: path).filter { $0.lowercased().hasPrefix(prefix) }
        return (text.index(after: dot), members)
    }

    /// The member names after `path` (`["\"DB\"", "a"]`, `["#x"]`), or none when the path does not resolve.
    func members(of path: [String]) -> [String] {
        guard let first = path.first else { return [] }
        var current: [Member]
        if first.hasPrefix("\"") {
            let name = String(first.dropFirst().dropLast(first.hasSuffix("\"") ? 1 : 0))
            if let db = device.block(named: name), db.kind.isDataBlock {
                current = dataBlockMembers(db)
            } else if let tag = device.tagTables.lazy.flatMap(\.tags).first(where: {
                $0.name.caseInsensitiveEquals(name)
            }) {
                current = members(ofType: tag.dataType) ?? []
            } else {
                return []
            }
        } else {
            let name = first.hasPrefix("#") ? String(first.dropFirst()) : first
            guard let member = block?.interface.allMembers.first(where: { $0.name.caseInsensitiveEquals(name) })
            else { return [] }
            current = children(of: member)
        }
        for component in path.dropFirst() {
            guard let member = current.first(where: { $0.name.caseInsensitiveEquals(component) }) else { return [] }
            current = children(of: member)
        }
        return current.map(\.name)
    }

    private func dataBlockMembers(_ db: Block) -> [Member] {
        if let type = db.instanceOf {
            if let fb = device.block(named: type) { return visibleMembers(of: fb) }
            if let members = members(ofType: "\"\(type)\"") { return members }
        }
        return db.interface.allMembers
    }

    /// What an instance shows from outside: inputs, outputs, in/outs and statics.
    private func visibleMembers(of fb: Block) -> [Member] {
        fb.interface.sections.filter { [.input, .output, .inOut, .static].contains($0.kind) }.flatMap(\.members)
    }

    private func children(of member: Member) -> [Member] {
        if !member.members.isEmpty { return member.members }
        if !member.sections.isEmpty {
            return member.sections.filter { [.input, .output, .inOut, .static].contains($0.kind) }.flatMap(\.members)
        }
        return members(ofType: member.dataType) ?? []
    }

    /// The members of a named type: a PLC data type, an FB (multi-instance), a system type; arrays by their
    /// element type.
    private func members(ofType dataType: String) -> [Member]? {
        var type = dataType.trimmingCharacters(in: .whitespaces)
        if type.lowercased().hasPrefix("array"), let of = type.range(of: " of ", options: .caseInsensitive) {
            type = String(type[of.upperBound...]).trimmingCharacters(in: .whitespaces)
        }
        let name = type.hasPrefix("\"") ? String(type.dropFirst().dropLast()) : type
        if let udt = device.dataType(named: name) { return udt.members }
        if let fb = device.block(named: name), fb.kind == .functionBlock { return visibleMembers(of: fb) }
        if let names = Self.systemTypes[name.uppercased()] { return names.map { Member(name: $0, dataType: "") } }
        return nil
    }

    /// Members of system data types and IEC instances (TON_TIME, CTU_INT, DTL…).
    static let systemTypes: [String: [String]] = {
        var table: [String: [String]] = [:]
        let timer = ["IN", "PT", "Q", "ET"]
        for name in ["TON", "TOF", "TP", "IEC_TIMER", "TON_TIME", "TOF_TIME", "TP_TIME"] { table[name] = timer }
        for name in ["TON_LTIME", "TOF_LTIME", "TP_LTIME", "IEC_LTIMER"] { table[name] = timer }
        for name in ["TONR", "TONR_TIME", "TONR_LTIME"] { table[name] = ["IN", "R", "PT", "Q", "ET"] }
        let up = ["CU", "R", "PV", "Q", "CV"]
        let down = ["CD", "LD", "PV", "Q", "CV"]
        let both = ["CU", "CD", "R", "LD", "PV", "QU", "QD", "CV"]
        for suffix in ["", "_INT", "_DINT", "_SINT", "_UINT", "_UDINT", "_USINT", "_LINT", "_ULINT"] {
            table["CTU" + suffix] = up
            table["CTD" + suffix] = down
            table["CTUD" + suffix] = both
        }
        table["IEC_COUNTER"] = both
        for name in ["R_TRIG", "F_TRIG"] { table[name] = ["CLK", "Q"] }
        table["DTL"] = ["YEAR", "MONTH", "DAY", "WEEKDAY", "HOUR", "MINUTE", "SECOND", "NANOSECOND"]
        return table
    }()

    /// The dot that starts the member being typed, if the operand ends in `<path>.<partial name>`.
    static func memberDot(in text: String) -> String.Index? {
        var index = text.endIndex
        while index > text.startIndex {
            let previous = text.index(before: index)
            let character = text[previous]
            if character == "." { return previous }
            guard character.isLetter || character.isNumber || character == "_" else { return nil }
            index = previous
        }
        return nil
    }

    /// Where the operand at the end of `text` starts: after the last character that cannot be part of it (an
    /// operator, a space, an opening bracket that is not an index).
    static func operandStart(in text: String) -> String.Index {
        var index = text.endIndex
        var inQuotes = false
        var brackets = 0
        while index > text.startIndex {
            let previous = text.index(before: index)
            let character = text[previous]
            if character == "\"" {
                inQuotes.toggle()
            } else if !inQuotes {
                if character == "]" {
                    brackets += 1
                } else if character == "[" {
                    if brackets == 0 { return index }
                    brackets -= 1
                } else if brackets == 0,
                    !(character.isLetter || character.isNumber || character == "_" || character == "#"
                        || character == ".")
                {
                    return index
                }
            }
            index = previous
        }
        // An odd number of quotes: the operand starts at the opening quote being typed.
        return inQuotes ? (text.lastIndex(of: "\"") ?? text.startIndex) : text.startIndex
    }

    /// `"DB".a[3].b` → `["\"DB\"", "a", "b"]` (indexes dropped: completion only needs the element type).
    static func components(_ path: String) -> [String] {
        var components: [String] = []
        var current = ""
        var inQuotes = false
        var brackets = 0
        for character in path {
            if character == "\"" {
                inQuotes.toggle()
                current.append(character)
            } else if inQuotes {
                current.append(character)
            } else if character == "[" {
                brackets += 1
            } else if character == "]" {
                brackets -= 1
            } else if brackets > 0 {
                continue
            } else if character == "." {
                components.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { components.append(current) }
        return components
    }
}

extension OperandCompletion {
    /// The longest prefix all candidates share (case-insensitive), as a shell completes.
    static func commonPrefix(_ candidates: [String]) -> String {
        guard var common = candidates.first else { return "" }
        for candidate in candidates.dropFirst() {
            while !candidate.lowercased().hasPrefix(common.lowercased()) { common.removeLast() }
        }
        return common
    }
}
