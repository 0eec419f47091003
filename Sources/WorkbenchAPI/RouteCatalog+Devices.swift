import Foundation
import S7Model
import Workbench

extension RouteCatalog {
    static let devicesGroup = "Devices"
    static let blocksGroup = "Blocks"
    static let tagsGroup = "Tags & Constants"
    static let typesGroup = "Data Types (UDT)"

    /// Read routes of the engineering groups: devices, blocks, tag tables and PLC data types of the open project.
    static var engineeringReadRoutes: [Route] {
        [
            Route(
                .get, "/api/projects/devices", group: devicesGroup, summary: "List all devices in the current project.",
                query: [projectIDQuery],
                responseSchema: Schema.list("devices", Schema.deviceSummary),
                errorStatuses: [404, 409]
            ) { request, engine in
                let devices = try await session(request, engine).project.devices
                return RouteResponse.list("devices", devices.map(ModelJSON.deviceSummary))
            },
            Route(
                .get, "/api/devices/{deviceName}/blocks", group: blocksGroup,
                summary: "List all blocks in the device program.", query: [projectIDQuery],
                responseSchema: Schema.list("blocks", Schema.block),
                errorStatuses: [404, 409]
            ) { request, engine in
                let blocks = try await device(request, engine).blocks
                return RouteResponse.list("blocks", blocks.map(ModelJSON.block))
            },
            Route(
                .get, "/api/devices/{deviceName}/blocks/tree", group: blocksGroup,
                summary: "The block tree: groups (folders) with their blocks and sub-groups.", query: [projectIDQuery],
                responseSchema: Schema.folder, errorStatuses: [404, 409]
            ) { request, engine in
                let blocks = try await device(request, engine).blocks
                return RouteResponse(
                    json: ModelJSON.tree(blocks, name: "Program blocks", group: \.group, item: ModelJSON.block))
            },
            Route(
                .get, "/api/devices/{deviceName}/blocks/{blockName}/content", group: blocksGroup,
                summary: "The full content of a block: interface sections with members, and its source or networks.",
                query: [projectIDQuery], responseSchema: Schema.blockContent, errorStatuses: [404, 409]
            ) { request, engine in
                let device = try await device(request, engine)
                guard let block = device.block(named: request.path("blockName")) else {
                    throw APIError.notFound("no block '\(request.path("blockName"))' in device \(device.name)")
                }
                return RouteResponse(json: ModelJSON.blockContent(block))
            },
            Route(
                .get, "/api/devices/{deviceName}/external-sources", group: blocksGroup,
                summary: "List the external source files (SCL, DB, UDT sources) of the device.",
                query: [projectIDQuery],
                responseSchema: Schema.list(
                    "sources", Schema.externalSource
                ),
                errorStatuses: [404, 409]
            ) { request, engine in
                let device = try await device(request, engine)
                var files: [String: [String]] = [:]
                for block in device.blocks where block.file.format != .simaticML {
                    files[block.file.path, default: []].append(block.name)
                }
                for type in device.dataTypes where type.file.format != .simaticML {
                    files[type.file.path, default: []].append(type.name)
                }
                let sources: [JSONValue] = files.keys.sorted().map { path in
                    [
                        "path": .string(path), "name": .string((path as NSString).lastPathComponent),
                        "objects": JSONValue(files[path]!),
                    ]
                }
                return RouteResponse.list("sources", sources)
            },
            Route(
                .get, "/api/devices/{deviceName}/tag-tables", group: tagsGroup, summary: "List tag tables.",
                query: [projectIDQuery],
                responseSchema: Schema.list("tagTables", Schema.tagTable),
                errorStatuses: [404, 409]
            ) { request, engine in
                let tables = try await device(request, engine).tagTables
                return RouteResponse.list("tagTables", tables.map(ModelJSON.tagTable))
            },
            Route(
                .get, "/api/devices/{deviceName}/tag-tables/tree", group: tagsGroup,
                summary: "The tag table tree including folders.", query: [projectIDQuery],
                responseSchema: Schema.folder, errorStatuses: [404, 409]
            ) { request, engine in
                let tables = try await device(request, engine).tagTables
                return RouteResponse(
                    json: ModelJSON.tree(tables, name: "PLC tags", group: \.group, item: ModelJSON.tagTable))
            },
            Route(
                .get, "/api/devices/{deviceName}/tags/all", group: tagsGroup,
                summary: "Get all tags across all tables.",
                query: [projectIDQuery],
                responseSchema: Schema.list("tags", Schema.tag),
                errorStatuses: [404, 409]
            ) { request, engine in
                let tables = try await device(request, engine).tagTables
                let tags = tables.flatMap { table in table.tags.map { ModelJSON.tag($0, table: table.name) } }
                return RouteResponse.list("tags", tags)
            },
            Route(
                .get, "/api/devices/{deviceName}/tag-tables/{tableName}/tags", group: tagsGroup,
                summary: "Get all tags from a specific tag table.", query: [projectIDQuery],
                responseSchema: Schema.list("tags", Schema.tag),
                errorStatuses: [404, 409]
            ) { request, engine in
                let table = try await tagTable(request, engine)
                return RouteResponse.list("tags", table.tags.map { ModelJSON.tag($0, table: table.name) })
            },
            constantsRoute(
                "/api/devices/{deviceName}/tag-tables/{tableName}/constants", "List constants in a tag table."),
            constantsRoute(
                "/api/devices/{deviceName}/tag-tables/{tableName}/constants/user",
                "Get user constants only from a tag table."),
            Route(
                .get, "/api/devices/{deviceName}/tag-tables/{tableName}/constants/system", group: tagsGroup,
                summary: "System constants of a tag table: s7wb projects hold none (TIA derives them from hardware).",
                query: [projectIDQuery],
                responseSchema: Schema.list("constants", Schema.constant),
                errorStatuses: [404, 409]
            ) { request, engine in
                _ = try await tagTable(request, engine)
                return RouteResponse.list("constants", [])
            },
            Route(
                .get, "/api/devices/{deviceName}/udts", group: typesGroup,
                summary: "List all PLC data types (UDTs) of the device.", query: [projectIDQuery],
                responseSchema: Schema.list("udts", Schema.dataType),
                errorStatuses: [404, 409]
            ) { request, engine in
                let types = try await device(request, engine).dataTypes
                return RouteResponse.list("udts", types.map(ModelJSON.dataType))
            },
            Route(
                .get, "/api/devices/{deviceName}/udts/tree", group: typesGroup,
                summary: "The PLC data type tree including folders.", query: [projectIDQuery],
                responseSchema: Schema.folder, errorStatuses: [404, 409]
            ) { request, engine in
                let types = try await device(request, engine).dataTypes
                return RouteResponse(
                    json: ModelJSON.tree(types, name: "PLC data types", group: \.group, item: ModelJSON.dataType))
            },
            Route(
                .get, "/api/devices/{deviceName}/udts/{udtName}", group: typesGroup,
                summary: "The full details of a PLC data type with all its members.", query: [projectIDQuery],
                responseSchema: Schema.dataTypeDetails, errorStatuses: [404, 409]
            ) { request, engine in
                let device = try await device(request, engine)
                guard let type = device.dataType(named: request.path("udtName")) else {
                    throw APIError.notFound("no PLC data type '\(request.path("udtName"))' in device \(device.name)")
                }
                return RouteResponse(json: ModelJSON.dataTypeDetails(type))
            },
        ]
    }

    static func constantsRoute(_ path: String, _ summary: String) -> Route {
        Route(
            .get, path, group: tagsGroup, summary: summary, query: [projectIDQuery],
            responseSchema: Schema.list("constants", Schema.constant),
            errorStatuses: [404, 409]
        ) { request, engine in
            let table = try await tagTable(request, engine)
            return RouteResponse.list("constants", table.constants.map(ModelJSON.constant))
        }
    }

    static func device(_ request: RouteRequest, _ engine: Engine) async throws(APIError) -> Device {
        let id = projectID(request)
        let name = request.path("deviceName")
        return try await WorkbenchAPI.engine { () async throws(EngineError) in
            try await engine.device(name, sessionID: id)
        }
    }

    static func tagTable(_ request: RouteRequest, _ engine: Engine) async throws(APIError) -> TagTable {
        let device = try await device(request, engine)
        guard let table = device.tagTable(named: request.path("tableName")) else {
            throw APIError.notFound("no tag table '\(request.path("tableName"))' in device \(device.name)")
        }
        return table
    }
}
