import Foundation
public import S7Model
public import Workbench

/// The JSON shapes of project objects, shared by the REST API, the MCP tools and `s7wb info --json`.
public enum ModelJSON {
    public static func block(_ block: Block) -> JSONValue {
        .object([
            "name": .string(block.name),
            "type": .string(block.kind.rawValue),
            "number": JSONValue(block.number),
            "programmingLanguage": .string(block.language.rawValue),
            "folder": .string(block.group.joined(separator: "/")),
            "file": .string(block.file.path),
            "instanceOf": JSONValue(block.instanceOf),
            "isOptimized": .bool(block.isOptimized),
            "networkCount": .int(Int64(block.networks.count)),
            "title": .string(block.title.text()),
            "comment": .string(block.comment.text()),
        ])
    }

    public static func tagTable(_ table: TagTable) -> JSONValue {
        [
            "name": .string(table.name), "folder": .string(table.group.joined(separator: "/")),
            "file": .string(table.file.path), "tagCount": .int(Int64(table.tags.count)),
            "constantCount": .int(Int64(table.constants.count)),
        ]
    }

    public static func dataType(_ type: PlcDataType) -> JSONValue {
        [
            "name": .string(type.name), "folder": .string(type.group.joined(separator: "/")),
            "file": .string(type.file.path), "memberCount": .int(Int64(type.members.count)),
        ]
    }

    public static func watchTable(_ table: WatchTable) -> JSONValue {
        [
            "name": .string(table.name), "type": .string(table.kind.rawValue),
            "folder": .string(table.group.joined(separator: "/")), "file": .string(table.file.path),
            "entryCount": .int(Int64(table.operandEntries.count)),
        ]
    }

    public static func deviceSummary(_ device: Device) -> JSONValue {
        .object([
            "name": .string(device.name), "kind": .string(device.kind.rawValue), "folder": .string(device.folder),
            "orderNumber": JSONValue(device.orderNumber), "firmware": JSONValue(device.firmware),
            "ipAddress": JSONValue(device.ipAddress), "subnetMask": JSONValue(device.subnetMask),
            "blockCount": .int(Int64(device.blocks.count)), "tagTableCount": .int(Int64(device.tagTables.count)),
            "tagCount": .int(Int64(device.tagCount)), "dataTypeCount": .int(Int64(device.dataTypes.count)),
            "watchTableCount": .int(Int64(device.watchTables.count)),
        ])
    }

    public static func device(_ device: Device) -> JSONValue {
        guard case .object(var members) = deviceSummary(device) else { return .null }
        members.append(("blocks", .array(device.blocks.map(block))))
        members.append(("tagTables", .array(device.tagTables.map(tagTable))))
        members.append(("dataTypes", .array(device.dataTypes.map(dataType))))
        members.append(("watchTables", .array(device.watchTables.map(watchTable))))
        return .object(members)
    }

    public static func problem(_ problem: LoadProblem) -> JSONValue {
        .object([
            "path": .string(problem.path), "line": JSONValue(problem.line), "column": JSONValue(problem.column),
            "reason": .string(problem.reason),
        ])
    }

    /// The whole project tree: what `GET /api/projects/overview` and `s7wb info --json` answer.
    public static func overview(_ project: Project, sessionID: String? = nil) -> JSONValue {
        .object([
            "id": JSONValue(sessionID),
            "name": .string(project.name),
            "path": .string(project.root),
            "description": JSONValue(project.description),
            "hasManifest": .bool(project.hasManifest),
            "devices": .array(project.devices.map(device)),
            "library": [
                "blocks": .array(project.library.blocks.map(block)),
                "dataTypes": .array(project.library.dataTypes.map(dataType)),
            ],
            "totals": [
                "devices": .int(Int64(project.devices.count)),
                "blocks": .int(Int64(project.devices.reduce(0) { $0 + $1.blocks.count })),
                "tags": .int(Int64(project.devices.reduce(0) { $0 + $1.tagCount })),
                "dataTypes": .int(Int64(project.devices.reduce(0) { $0 + $1.dataTypes.count })),
                "watchTables": .int(Int64(project.devices.reduce(0) { $0 + $1.watchTables.count })),
            ],
            "problems": .array(project.problems.map(problem)),
        ])
    }

    public static func session(_ session: Engine.Session, isCurrent: Bool) -> JSONValue {
        [
            "id": .string(session.id), "name": .string(session.project.name), "path": .string(session.project.root),
            "isCurrent": .bool(isCurrent), "deviceCount": .int(Int64(session.project.devices.count)),
            "isModified": .bool(!session.dirtyFiles.isEmpty),
            "openedAt": .string(session.openedAt.formatted(.iso8601)),
            "historyPersistent": .bool(session.store.isPersistent),
        ]
    }
}
