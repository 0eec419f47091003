import Foundation
import S7Diagnostics
public import S7Model
import SCLSyntax

/// One object a block uses, or one block that uses it, with where.
public struct CrossReference: Sendable, Hashable {
    /// `FB`, `FC`, `OB`, `DB`, `UDT`, `tag`, `constant`.
    public var kind: String
    public var name: String
    /// Where the use is: `interface: Motor`, `line 12`, `network 3`.
    public var locations: [String]
}

/// Cross-references of a block within its device: which blocks, data blocks, PLC data types, tags and constants its
/// interface, SCL source or networks name, and which blocks name it.
extension Engine {
    public func crossReferences(
        of blockName: String, device deviceName: String, sessionID: String? = nil
    ) throws(EngineError) -> (block: Block, uses: [CrossReference], usedBy: [CrossReference]) {
        let device = try self.device(deviceName, sessionID: sessionID)
        guard let block = device.block(named: blockName) else {
            throw EngineError(.notFound, "no block '\(blockName)' in device \(device.name)")
        }
        let uses = Self.references(from: block, in: device)
        var usedBy: [CrossReference] = []
        for other in device.blocks where other.name != block.name {
            let locations = Self.references(from: other, in: device)
                .filter { $0.name.caseInsensitiveEquals(block.name) }.flatMap(\.locations)
            if !locations.isEmpty {
                usedBy.append(CrossReference(kind: other.kind.numberPrefix, name: other.name, locations: locations))
            }
        }
        return (block, uses, usedBy)
    }

    /// What `block` names, resolved against the device's objects (names that are not objects are left out).
    static func references(from block: Block, in device: Device) -> [CrossReference] {
        var found: [(name: String, location: String)] = []
        func interfaceMembers(_ members: [S7Model.Member], prefix: String) {
            for member in members {
                for name in quotedNames(in: member.dataType) {
                    found.append((name, "interface: \(prefix)\(member.name)"))
                }
                interfaceMembers(member.members, prefix: prefix + member.name + ".")
            }
        }
        for section in block.interface.sections { interfaceMembers(section.members, prefix: "") }
        if let instance = block.instanceOf { found.append((instance, "instance of")) }
        if let text = block.sourceText {
            let stream = SCLLexer.tokenize(SourceFile(path: block.file.path, text: text))
            for token in stream.tokens where token.kind == .quotedIdentifier {
                found.append((stream.name(of: token), "line \(stream.location(of: token).line)"))
            }
        }
        for (index, network) in block.networks.enumerated() {
            for name in symbolNames(inNetwork: network.sourceXML) { found.append((name, "network \(index + 1)")) }
        }
        var order: [String] = []
        var byName: [String: CrossReference] = [:]
        for (name, location) in found where !name.caseInsensitiveEquals(block.name) {
            guard let kind = kind(of: name, in: device) else { continue }
            let key = name.lowercased()
            if byName[key] == nil {
                order.append(key)
                byName[key] = CrossReference(kind: kind, name: name, locations: [])
            }
            if !byName[key]!.locations.contains(location) { byName[key]!.locations.append(location) }
        }
        return order.map { byName[$0]! }
    }

    static func kind(of name: String, in device: Device) -> String? {
        if let block = device.block(named: name) { return block.kind.numberPrefix }
        if device.dataType(named: name) != nil { return "UDT" }
        for table in device.tagTables {
            if table.tags.contains(where: { $0.name.caseInsensitiveEquals(name) }) { return "tag" }
            if table.constants.contains(where: { $0.name.caseInsensitiveEquals(name) }) { return "constant" }
        }
        return nil
    }

    /// `"typeMotor"` and `Array[0..3] of "typeMotor"` → `typeMotor`.
    static func quotedNames(in text: String) -> [String] {
        text.split(separator: "\"", omittingEmptySubsequences: false).enumerated()
            .compactMap { $0.offset % 2 == 1 && !$0.element.isEmpty ? String($0.element) : nil }
    }

    /// Global names in a LAD/FBD network's SimaticML: the first component of global accesses and called blocks.
    static func symbolNames(inNetwork xml: String) -> [String] {
        var names: [String] = []
        let patterns = [
            #"Scope="GlobalVariable"[^>]*>\s*<Symbol[^>]*>\s*<Component Name="([^"]+)""#,
            #"<CallInfo Name="([^"]+)""#,
        ]
        for pattern in patterns {
            guard let expression = try? NSRegularExpression(pattern: pattern) else { continue }
            let range = NSRange(xml.startIndex..., in: xml)
            for match in expression.matches(in: xml, range: range) {
                if let name = Range(match.range(at: 1), in: xml) { names.append(String(xml[name])) }
            }
        }
        return names
    }
}
