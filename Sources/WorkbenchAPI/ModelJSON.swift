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

    public static func tag(_ tag: Tag, table: String) -> JSONValue {
        [
            "name": .string(tag.name), "dataType": .string(tag.dataType), "address": .string(tag.address),
            "tagTable": .string(table), "comment": .string(tag.comment.text()),
            "externalAccessible": .bool(tag.externalAccessible), "externalVisible": .bool(tag.externalVisible),
            "externalWritable": .bool(tag.externalWritable),
        ]
    }

    public static func constant(_ constant: UserConstant) -> JSONValue {
        [
            "name": .string(constant.name), "dataType": .string(constant.dataType), "value": .string(constant.value),
            "comment": .string(constant.comment.text()),
        ]
    }

    public static func member(_ member: Member) -> JSONValue {
        .object([
            "name": .string(member.name), "dataType": .string(member.dataType),
            "startValue": JSONValue(member.startValue), "comment": .string(member.comment.text()),
            "remanence": JSONValue(member.remanence),
            "members": .array(member.members.map(ModelJSON.member)),
            "sections": .array(member.sections.map(section)),
        ])
    }

    public static func section(_ section: InterfaceSection) -> JSONValue {
        ["name": .string(section.kind.rawValue), "members": .array(section.members.map(member))]
    }

    /// A block with its interface and code: SCL source text, or networks with their language and XML source.
    public static func blockContent(_ block: Block) -> JSONValue {
        guard case .object(var members) = self.block(block) else { return .null }
        members.append(("interface", .array(block.interface.sections.map(section))))
        members.append(("source", JSONValue(block.sourceText)))
        members.append(
            (
                "networks",
                .array(
                    block.networks.enumerated().map { index, network in
                        [
                            "index": .int(Int64(index + 1)), "programmingLanguage": .string(network.language.rawValue),
                            "title": .string(network.title.text()), "comment": .string(network.comment.text()),
                            "sourceXml": .string(network.sourceXML),
                        ]
                    })
            ))
        return .object(members)
    }

    public static func dataTypeDetails(_ type: PlcDataType) -> JSONValue {
        guard case .object(var members) = dataType(type) else { return .null }
        members.append(("members", .array(type.members.map(member))))
        members.append(("source", JSONValue(type.sourceText)))
        return .object(members)
    }

    /// Objects sorted into their folders: `{name, items, folders: [{name, items, folders}]}`.
    public static func tree<T>(
        _ objects: [T], name: String, group: (T) -> [String], item: (T) -> JSONValue, depth: Int = 0
    ) -> JSONValue {
        let here = objects.filter { group($0).count == depth }
        let deeper = objects.filter { group($0).count > depth }
        let names = deeper.reduce(into: [String]()) {
            if !$0.contains(group($1)[depth]) { $0.append(group($1)[depth]) }
        }
        return [
            "name": .string(name), "items": .array(here.map(item)),
            "folders": .array(
                names.sorted().map { folder in
                    tree(
                        deeper.filter { group($0)[depth] == folder }, name: folder, group: group, item: item,
                        depth: depth + 1)
                }),
        ]
    }

    public static func snapshot(_ snapshot: Snapshot) -> JSONValue {
        [
            "id": .int(snapshot.id ?? 0), "createdAt": .string(snapshot.at.formatted(.iso8601)),
            "actor": .string(snapshot.actor), "objectKind": .string(snapshot.objectKind),
            "objectPath": .string(snapshot.objectPath), "reason": .string(snapshot.reason),
            "sizeBytes": .int(Int64(snapshot.content.count)),
        ]
    }

    public static func job(_ job: JobRecord) -> JSONValue {
        .object([
            "jobId": .string(job.id), "kind": .string(job.kind), "status": .string(job.status.rawValue),
            "progress": .double(job.progress), "message": JSONValue(job.message),
            "createdAt": .string(job.createdAt.formatted(.iso8601)),
            "updatedAt": .string(job.updatedAt.formatted(.iso8601)),
            "result": job.result.flatMap { try? JSONValue.parse($0) } ?? .null, "error": JSONValue(job.error),
        ])
    }

    /// The answer of an asynchronous route: the job that was started and where to poll it.
    public static func jobAccepted(_ job: JobRecord) -> JSONValue {
        [
            "jobId": .string(job.id), "status": .string(job.status.rawValue), "kind": .string(job.kind),
            "statusUrl": .string("/api/jobs/\(job.id)"),
        ]
    }

    public static func auditEntry(_ entry: AuditEntry) -> JSONValue {
        .object([
            "id": .int(entry.id ?? 0), "at": .string(entry.at.formatted(.iso8601)), "actor": .string(entry.actor),
            "action": .string(entry.action), "target": .string(entry.target), "detail": JSONValue(entry.detail),
            "outcome": .string(entry.outcome),
        ])
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
            "isModified": .bool(!session.dirtyFiles.isEmpty || !session.removedFiles.isEmpty),
            "openedAt": .string(session.openedAt.formatted(.iso8601)),
            "historyPersistent": .bool(session.store.isPersistent),
        ]
    }
}
