import Foundation
import S7Model
import SimaticML
import Workbench

extension Schema {
    static let importMode: JSONValue = [
        "type": "string", "enum": ["merge", "replace"],
        "description": .string(
            "merge (default): rows replace rows of the same name, new names are appended; replace: the table "
                + "holds exactly the imported rows."),
    ]
    static let tagFields: JSONValue = [
        "name": ["type": "string"], "dataType": ["type": "string", "description": "Bool, Int, \"typeMotor\", …"],
        "address": ["type": "string", "description": "Logical address such as %I0.0 or %MW10; empty for none."],
        "comment": ["type": "string"], "externalAccessible": ["type": "boolean"],
        "externalVisible": ["type": "boolean"], "externalWritable": ["type": "boolean"],
    ]
    static let constantFields: JSONValue = [
        "name": ["type": "string"], "dataType": ["type": "string"],
        "value": ["type": ["string", "number", "boolean"], "description": "An S7 literal of the data type."],
        "comment": ["type": "string"],
    ]
    static let tagImportResult = object([
        "tagTable": string, "mode": string, "tableCreated": boolean, "tagsAdded": integer, "tagsUpdated": integer,
        "tagsRemoved": integer, "constantsAdded": integer, "constantsUpdated": integer, "constantsRemoved": integer,
        "tagCount": integer, "constantCount": integer,
    ])
    static let tagExport = object([
        "tagTable": string, "format": string, "filePath": nullableString, "rows": integer, "bytes": integer,
        "encoding": string, "content": nullableString,
    ])
    static let deletedRow = object(["name": string, "tagTable": string, "deleted": boolean])
}

extension RouteCatalog {
    /// The body of the tag table folder routes: `folderPath` may come in the query instead.
    static let folderPathBody: JSONValue = ["type": "object", "properties": ["folderPath": Schema.string]]
    static let folderPathQuery = QueryParameter(
        "folderPath", "The folder below \"PLC tags\", e.g. Drives/Axes (also accepted as 'folderPath' in the body).")

    /// The editing routes of "Tags & Constants": single tags and constants, imports and exports in TIA's tag file
    /// layouts, tag tables and their folders. The list routes live in `engineeringReadRoutes`.
    static var tagRoutes: [Route] {
        tagRowRoutes + tagImportExportRoutes + tagTableRoutes
    }

    // MARK: Tags and constants

    static var tagRowRoutes: [Route] {
        [
            Route(
                .post, "/api/devices/{deviceName}/tags", group: tagsGroup,
                summary: "Add a single tag, to 'tagTable' or else to the \"Default tag table\" (created if missing).",
                query: [projectIDQuery],
                requestSchema: [
                    "type": "object",
                    "properties": .object(objectMembers(Schema.tagFields) + [("tagTable", Schema.string)]),
                    "required": ["name", "dataType"],
                ],
                responseSchema: Schema.tag, successStatus: 201, errorStatuses: [404, 409], mutates: true
            ) { request, engine in
                _ = try request.fields()
                let name = try request.requiredString("name")
                let dataType = try request.requiredString("dataType")
                let patch = try tagPatch(request)
                let tag = Tag(
                    name: name, dataType: dataType, address: patch.address ?? "",
                    comment: MultilingualText(patch.comment ?? ""),
                    externalAccessible: patch.externalAccessible ?? true,
                    externalVisible: patch.externalVisible ?? true, externalWritable: patch.externalWritable ?? true)
                let tableName = try nonEmpty(
                    request.string("tagTable") ?? request.string("tableName") ?? request.string("tagTableName"))
                let id = projectID(request)
                let deviceName = request.path("deviceName")
                let table = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.addTag(
                        tag, table: tableName, device: deviceName, sessionID: id, actor: request.actor)
                }
                return RouteResponse(status: 201, json: ModelJSON.tag(table.tags.last ?? tag, table: table.name))
            },
            Route(
                .put, "/api/devices/{deviceName}/tag-tables/{tableName}/tags/{tagName}", group: tagsGroup,
                summary: "Update a tag: the fields given change (a new 'name' renames it), the others stay.",
                query: [projectIDQuery],
                requestSchema: ["type": "object", "properties": Schema.tagFields],
                responseSchema: Schema.tag, errorStatuses: [404, 409], mutates: true
            ) { request, engine in
                _ = try request.fields()
                let patch = try tagPatch(request)
                let id = projectID(request)
                let deviceName = request.path("deviceName")
                let tableName = request.path("tableName")
                let tagName = request.path("tagName")
                let (table, tag) = try await WorkbenchAPI.engine { () async throws(EngineError) -> (String, Tag) in
                    let table = try await engine.tagTable(tableName, device: deviceName, sessionID: id)
                    let tag = try await engine.updateTag(
                        tagName, in: table.name, with: patch, device: deviceName, sessionID: id, actor: request.actor)
                    return (table.name, tag)
                }
                return RouteResponse(json: ModelJSON.tag(tag, table: table))
            },
            deleteRowRoute(
                "/api/devices/{deviceName}/tag-tables/{tableName}/tags/{tagName}", summary: "Delete a tag.",
                constant: false),
            Route(
                .post, "/api/devices/{deviceName}/tag-tables/{tableName}/constants", group: tagsGroup,
                summary: "Create a user constant in a tag table.", query: [projectIDQuery],
                requestSchema: [
                    "type": "object", "properties": Schema.constantFields, "required": ["name", "dataType", "value"],
                ],
                responseSchema: Schema.constant, successStatus: 201, errorStatuses: [404, 409], mutates: true
            ) { request, engine in
                _ = try request.fields()
                let name = try request.requiredString("name")
                let dataType = try request.requiredString("dataType")
                guard let value = try valueText(request, "value"), !value.isEmpty else {
                    throw APIError.badRequest("'value' is required")
                }
                let constant = UserConstant(
                    name: name, dataType: dataType, value: value,
                    comment: MultilingualText(try request.string("comment") ?? ""))
                let id = projectID(request)
                let deviceName = request.path("deviceName")
                let tableName = request.path("tableName")
                let table = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.addConstant(
                        constant, table: tableName, device: deviceName, sessionID: id, actor: request.actor)
                }
                return RouteResponse(status: 201, json: ModelJSON.constant(table.constants.last ?? constant))
            },
            Route(
                .put, "/api/devices/{deviceName}/tag-tables/{tableName}/constants/{constantName}", group: tagsGroup,
                summary: "Update a user constant: the fields given change (a new 'name' renames it), the others stay.",
                query: [projectIDQuery],
                requestSchema: ["type": "object", "properties": Schema.constantFields],
                responseSchema: Schema.constant, errorStatuses: [404, 409], mutates: true
            ) { request, engine in
                _ = try request.fields()
                let patch = ConstantPatch(
                    name: try request.string("name") ?? request.string("newName"),
                    dataType: try request.string("dataType"), value: try valueText(request, "value"),
                    comment: try request.string("comment"))
                let id = projectID(request)
                let deviceName = request.path("deviceName")
                let tableName = request.path("tableName")
                let constantName = request.path("constantName")
                let constant = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.updateConstant(
                        constantName, in: tableName, with: patch, device: deviceName, sessionID: id,
                        actor: request.actor)
                }
                return RouteResponse(json: ModelJSON.constant(constant))
            },
            deleteRowRoute(
                "/api/devices/{deviceName}/tag-tables/{tableName}/constants/{constantName}",
                summary: "Delete a user constant from a tag table.", constant: true),
        ]
    }

    /// A route deleting a tag (or, with `constant`, a user constant) named by the path's last parameter from the
    /// tag table `{tableName}`.
    static func deleteRowRoute(_ path: String, summary: String, constant: Bool) -> Route {
        let parameter = constant ? "constantName" : "tagName"
        return Route(
            .delete, path, group: tagsGroup, summary: summary, query: [projectIDQuery],
            responseSchema: Schema.deletedRow, errorStatuses: [404, 409], mutates: true
        ) { request, engine in
            let call = BlockRouteSupport.DeviceCall(request)
            let tableName = request.path("tableName")
            let rowName = request.path(parameter)
            let (table, name) = try await WorkbenchAPI.engine { () async throws(EngineError) -> (String, String) in
                let table = try await engine.tagTable(tableName, device: call.device, sessionID: call.sessionID)
                let names = constant ? table.constants.map(\.name) : table.tags.map(\.name)
                let name = names.first { $0.caseInsensitiveEquals(rowName) } ?? rowName
                if constant {
                    try await engine.deleteConstant(
                        name, in: table.name, device: call.device, sessionID: call.sessionID, actor: call.actor)
                } else {
                    try await engine.deleteTag(
                        name, in: table.name, device: call.device, sessionID: call.sessionID, actor: call.actor)
                }
                return (table.name, name)
            }
            return RouteResponse(json: ["name": .string(name), "tagTable": .string(table), "deleted": true])
        }
    }

    // MARK: Import and export

    static var tagImportExportRoutes: [Route] {
        let importJSON = Route(
            .post, "/api/devices/{deviceName}/tags/actions/import-sync", group: tagsGroup,
            summary: "Import tags and user constants from JSON into 'tagTable' (default: \"Default tag table\"; "
                + "created if missing). All rows or, when one is refused, none; the error names each bad item.",
            query: [projectIDQuery],
            requestSchema: [
                "type": "object",
                "properties": [
                    "tagTable": Schema.string, "mode": Schema.importMode,
                    "tags": [
                        "type": "array",
                        "items": ["type": "object", "properties": Schema.tagFields, "required": ["name", "dataType"]],
                    ],
                    "constants": [
                        "type": "array",
                        "items": [
                            "type": "object", "properties": Schema.constantFields,
                            "required": ["name", "dataType", "value"],
                        ],
                    ],
                ],
                "anyOf": [["required": ["tags"]], ["required": ["constants"]]],
            ],
            responseSchema: Schema.tagImportResult, errorStatuses: [404, 409], mutates: true
        ) { request, engine in
            _ = try request.fields()
            guard request.field("tags") != nil || request.field("constants") != nil else {
                throw APIError.badRequest("'tags' or 'constants' is required")
            }
            let mode = try importMode(request)
            let tableName = try nonEmpty(
                request.string("tagTable") ?? request.string("tableName") ?? request.string("tagTableName"))
            let bytes = (request.body ?? .null).serialized()
            let id = projectID(request)
            let deviceName = request.path("deviceName")
            let result = try await WorkbenchAPI.engine { () async throws(EngineError) in
                try await engine.importTags(
                    fileContent: bytes, format: .json, table: tableName, mode: mode, device: deviceName, sessionID: id,
                    actor: request.actor)
            }
            return RouteResponse(json: importResultJSON(result))
        }
        let importCSV = importFileRoute(
            .csv, "/api/devices/{deviceName}/tag-tables/{tableName}/actions/import-csv-sync",
            summary: "Import tags from a CSV file in TIA's \"PLC Tags\" layout ('filePath', or its text as 'content'; "
                + "',' or ';' separated) into the table (created if missing). All rows or none; the error names each "
                + "bad row and column.")
        let importXLSX = importFileRoute(
            .xlsx, "/api/devices/{deviceName}/tag-tables/{tableName}/actions/import-xlsx-sync",
            summary: "Import tags and user constants from an Excel workbook in TIA's layout (sheets \"PLC Tags\" and "
                + "\"User Constants\"; 'filePath', or the file in base64 as 'content') into the table (created if "
                + "missing). All rows or none; the error names each bad row and column.")
        let exportExcel = exportFileRoute(
            .xlsx, "/api/devices/{deviceName}/tag-tables/{tableName}/actions/export-excel-sync",
            summary: "Export a tag table to an Excel workbook in TIA's layout: written to 'filePath' (.xlsx) when "
                + "given, else answered in base64 as 'content'.")
        let exportCSV = exportFileRoute(
            .csv, "/api/devices/{deviceName}/tag-tables/{tableName}/actions/export-csv-sync",
            summary: "Export the tags of a table as CSV in TIA's \"PLC Tags\" layout: written to 'filePath' (.csv) "
                + "when given, else answered as 'content'.")
        return [
            importJSON,
            importJSON.job(
                .post, "/api/devices/{deviceName}/tags/actions/import",
                summary: "Import tags from JSON (asynchronous)."),
            importCSV,
            importCSV.job(
                .post, "/api/devices/{deviceName}/tag-tables/{tableName}/actions/import-csv",
                summary: "Import tags from a CSV file (asynchronous)."),
            importXLSX,
            importXLSX.job(
                .post, "/api/devices/{deviceName}/tag-tables/{tableName}/actions/import-xlsx",
                summary: "Import tags from an Excel file (asynchronous)."),
            exportExcel,
            exportExcel.job(
                .post, "/api/devices/{deviceName}/tag-tables/{tableName}/actions/export-excel",
                summary: "Export tags from a table to an Excel file (asynchronous)."),
            exportCSV,
            exportCSV.job(
                .post, "/api/devices/{deviceName}/tag-tables/{tableName}/actions/export-csv",
                summary: "Export tags from a table to a CSV file (asynchronous)."),
            Route(
                .get, "/api/devices/{deviceName}/tag-tables/{tableName}/export-xml", group: tagsGroup,
                summary: "The tag table as the SimaticML document TIA Portal imports (as it is in memory, saved or "
                    + "not).",
                query: [projectIDQuery],
                responseSchema: Schema.object(["name": Schema.string, "xml": Schema.string]),
                errorStatuses: [404, 409]
            ) { request, engine in
                let table = try await tagTable(request, engine)
                var xml = String(decoding: SimaticMLWriter.tagTable(table), as: UTF8.self)
                if xml.hasPrefix("\u{FEFF}") { xml.removeFirst() }
                return RouteResponse(json: ["name": .string(table.name), "xml": .string(xml)])
            },
        ]
    }

    static func importFileRoute(_ format: TagFileFormat, _ path: String, summary: String) -> Route {
        let contentDescription =
            format == .xlsx ? "The workbook file in base64." : "The CSV text (UTF-8), header row first."
        return Route(
            .post, path, group: tagsGroup, summary: summary, query: [projectIDQuery],
            requestSchema: [
                "type": "object",
                "properties": [
                    "filePath": [
                        "type": "string",
                        "description": .string(
                            "A .\(format.fileExtension) file, relative to the project folder or absolute inside it."),
                    ],
                    "content": ["type": "string", "description": .string(contentDescription)],
                    "mode": Schema.importMode,
                ],
                "anyOf": [["required": ["filePath"]], ["required": ["content"]]],
            ],
            responseSchema: Schema.tagImportResult, errorStatuses: [403, 404, 409, 500], mutates: true
        ) { request, engine in
            _ = try request.fields()
            let mode = try importMode(request)
            let filePath = try nonEmpty(request.string("filePath") ?? request.string("path"))
            let content = try request.string("content")
            let id = projectID(request)
            let deviceName = request.path("deviceName")
            let tableName = request.path("tableName")
            let result: TagImportResult
            switch (filePath, content) {
            case (let filePath?, nil):
                result = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.importTags(
                        filePath: filePath, format: format, table: tableName, mode: mode, device: deviceName,
                        sessionID: id, actor: request.actor)
                }
            case (nil, let content?):
                let bytes: [UInt8]
                if format == .xlsx {
                    guard let data = Data(base64Encoded: content, options: .ignoreUnknownCharacters), !data.isEmpty
                    else {
                        throw APIError.badRequest("'content' must be the workbook file in base64")
                    }
                    bytes = Array(data)
                } else {
                    bytes = Array(content.utf8)
                }
                result = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.importTags(
                        fileContent: bytes, format: format, table: tableName, mode: mode, device: deviceName,
                        sessionID: id, actor: request.actor)
                }
            case (.some, .some):
                throw APIError.badRequest("give 'filePath' or 'content', not both")
            case (nil, nil):
                throw APIError.badRequest(
                    "'filePath' (a .\(format.fileExtension) file) or 'content' (the file itself) is required")
            }
            return RouteResponse(json: importResultJSON(result))
        }
    }

    static func exportFileRoute(_ format: TagFileFormat, _ path: String, summary: String) -> Route {
        Route(
            .post, path, group: tagsGroup, summary: summary, query: [projectIDQuery],
            requestSchema: [
                "type": "object",
                "properties": [
                    "filePath": [
                        "type": "string",
                        "description": .string(
                            "Where to write the .\(format.fileExtension) file, relative to the project folder; "
                                + "leave out to get the content in the answer."),
                    ]
                ],
            ],
            responseSchema: Schema.tagExport, errorStatuses: [403, 404, 409, 500], mutates: true
        ) { request, engine in
            if request.body != nil { _ = try request.fields() }
            let filePath = try nonEmpty(request.string("filePath") ?? request.string("path"))
            let id = projectID(request)
            let deviceName = request.path("deviceName")
            let tableName = request.path("tableName")
            let export = try await WorkbenchAPI.engine { () async throws(EngineError) in
                try await engine.exportTagTable(
                    tableName, as: format, to: filePath, device: deviceName, sessionID: id, actor: request.actor)
            }
            let content: JSONValue
            if export.filePath != nil {
                content = .null
            } else if format == .xlsx {
                content = .string(Data(export.bytes).base64EncodedString())
            } else {
                content = .string(String(decoding: export.bytes, as: UTF8.self))
            }
            return RouteResponse(json: [
                "tagTable": .string(export.table), "format": .string(format.rawValue),
                "filePath": JSONValue(export.filePath), "rows": .int(Int64(export.rows)),
                "bytes": .int(Int64(export.bytes.count)), "encoding": .string(format == .xlsx ? "base64" : "utf-8"),
                "content": content,
            ])
        }
    }

    // MARK: Tables and folders

    static var tagTableRoutes: [Route] {
        var routes: [Route] = []
        let reads = engineeringReadRoutes
        if let list = reads.first(where: { $0.key == "GET:/api/devices/{deviceName}/tag-tables" }) {
            routes.append(
                list.job(
                    .get, "/api/devices/{deviceName}/tag-tables/async", summary: "List tag tables (asynchronous)."))
        }
        if let tags = reads.first(where: { $0.key == "GET:/api/devices/{deviceName}/tag-tables/{tableName}/tags" }) {
            routes.append(
                tags.job(
                    .get, "/api/devices/{deviceName}/tag-tables/{tableName}/tags/async",
                    summary: "Get all tags from a specific tag table (asynchronous)."))
        }
        let create = Route(
            .post, "/api/devices/{deviceName}/tag-tables/actions/create-sync", group: tagsGroup,
            summary: "Create an empty tag table, in 'folder' (e.g. Drives/Axes) when given; its file is written on "
                + "the next save.",
            query: [projectIDQuery],
            requestSchema: [
                "type": "object",
                "properties": [
                    "name": Schema.string,
                    "folder": ["type": "string", "description": "Folder path below \"PLC tags\", e.g. Drives/Axes."],
                ],
                "required": ["name"],
            ],
            responseSchema: Schema.tagTable, successStatus: 201, errorStatuses: [404, 409], mutates: true
        ) { request, engine in
            _ = try request.fields()
            let name = try request.requiredString("name")
            let group = try BlockRouteSupport.group(request.string("folder") ?? request.string("folderPath"))
            let id = projectID(request)
            let deviceName = request.path("deviceName")
            let table = try await WorkbenchAPI.engine { () async throws(EngineError) in
                try await engine.create(
                    .tagTable, named: name, device: deviceName, group: group, sessionID: id, actor: request.actor)
                return try await engine.tagTable(name, device: deviceName, sessionID: id)
            }
            return RouteResponse(status: 201, json: ModelJSON.tagTable(table))
        }
        let delete = BlockRouteSupport.deleteObjectRoute(
            "/api/devices/{deviceName}/tag-tables/{tableName}/actions/delete-sync", group: tagsGroup,
            summary: "Delete a tag table with its tags and constants; its file is removed on the next save.",
            parameter: "tableName"
        ) { (engine, tableName, call) async throws(EngineError) -> String in
            let table = try await engine.tagTable(tableName, device: call.device, sessionID: call.sessionID)
            try await engine.delete(
                .tagTable(table.name), device: call.device, sessionID: call.sessionID, actor: call.actor)
            return table.name
        }
        let rename = Route(
            .put, "/api/devices/{deviceName}/tag-tables/{tableName}/actions/update-sync", group: tagsGroup,
            summary: "Rename a tag table (body {\"name\": newName}); its file is renamed on the next save.",
            query: [projectIDQuery],
            requestSchema: ["type": "object", "properties": ["name": Schema.string], "required": ["name"]],
            responseSchema: Schema.tagTable, errorStatuses: [404, 409], mutates: true
        ) { request, engine in
            _ = try request.fields()
            guard let newName = try nonEmpty(request.string("name") ?? request.string("newName")) else {
                throw APIError.badRequest("'name' (the new name) is required")
            }
            let id = projectID(request)
            let deviceName = request.path("deviceName")
            let tableName = request.path("tableName")
            let table = try await WorkbenchAPI.engine { () async throws(EngineError) in
                let table = try await engine.tagTable(tableName, device: deviceName, sessionID: id)
                try await engine.rename(
                    .tagTable(table.name), to: newName, device: deviceName, sessionID: id, actor: request.actor)
                return try await engine.tagTable(newName, device: deviceName, sessionID: id)
            }
            return RouteResponse(json: ModelJSON.tagTable(table))
        }
        routes += [
            create,
            create.job(
                .post, "/api/devices/{deviceName}/tag-tables/actions/create",
                summary: "Create a tag table (asynchronous)."),
            delete,
            delete.job(
                .delete, "/api/devices/{deviceName}/tag-tables/{tableName}/actions/delete",
                summary: "Delete a tag table (asynchronous)."),
            rename,
            rename.job(
                .put, "/api/devices/{deviceName}/tag-tables/{tableName}/actions/update",
                summary: "Rename a tag table (asynchronous)."),
            BlockRouteSupport.createFolderRoute(
                "/api/devices/{deviceName}/tag-tables/folders", group: tagsGroup,
                summary: "Create a tag table folder below \"PLC tags\" ('folderPath' in the body or the query, e.g. "
                    + "Drives/Axes); the directory is created at once.",
                query: [projectIDQuery, folderPathQuery], requestSchema: folderPathBody
            ) { (engine, folder, call) async throws(EngineError) -> String in
                try await engine.createFolder(
                    folder, in: .tagTables, device: call.device, sessionID: call.sessionID, actor: call.actor)
            },
            BlockRouteSupport.deleteFolderRoute(
                "/api/devices/{deviceName}/tag-tables/folders", group: tagsGroup,
                summary: "Delete an empty tag table folder ('folderPath' in the body or the query) and its directory; "
                    + "a folder holding tag tables, folders or files is refused with what it holds.",
                query: [projectIDQuery, folderPathQuery], requestSchema: folderPathBody
            ) { (engine, folder, call) async throws(EngineError) in
                try await engine.deleteFolder(
                    folder, in: .tagTables, device: call.device, sessionID: call.sessionID, actor: call.actor)
            },
        ]
        return routes
    }

    // MARK: Helpers

    /// The members of a JSON object literal, to extend it.
    static func objectMembers(_ value: JSONValue) -> [(String, JSONValue)] {
        if case .object(let members) = value { return members }
        return []
    }

    static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        return text
    }

    /// The tag fields of a body; 400 when one has the wrong type.
    static func tagPatch(_ request: RouteRequest) throws -> TagPatch {
        TagPatch(
            name: try request.string("name") ?? request.string("newName"),
            dataType: try request.string("dataType"),
            address: try request.string("address") ?? request.string("logicalAddress"),
            comment: try request.string("comment"),
            externalAccessible: try request.bool("externalAccessible"),
            externalVisible: try request.bool("externalVisible"),
            externalWritable: try request.bool("externalWritable"))
    }

    /// A constant's value: a string, or a number or boolean written as its S7 literal.
    static func valueText(_ request: RouteRequest, _ key: String) throws -> String? {
        guard let value = request.field(key) else { return nil }
        switch value {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .double(let number) where number.isFinite:
            return number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .bool(let flag): return flag ? "TRUE" : "FALSE"
        default: throw APIError.badRequest("'\(key)' must be a string, a number or a boolean")
        }
    }

    static func importMode(_ request: RouteRequest) throws -> TagImportMode {
        guard let text = try request.string("mode"), !text.isEmpty else { return .merge }
        guard let mode = TagImportMode(rawValue: text.lowercased()) else {
            throw APIError.badRequest("'mode' must be merge or replace, not '\(text)'")
        }
        return mode
    }

    static func importResultJSON(_ result: TagImportResult) -> JSONValue {
        [
            "tagTable": .string(result.table), "mode": .string(result.mode.rawValue),
            "tableCreated": .bool(result.tableCreated), "tagsAdded": .int(Int64(result.tagsAdded)),
            "tagsUpdated": .int(Int64(result.tagsUpdated)), "tagsRemoved": .int(Int64(result.tagsRemoved)),
            "constantsAdded": .int(Int64(result.constantsAdded)),
            "constantsUpdated": .int(Int64(result.constantsUpdated)),
            "constantsRemoved": .int(Int64(result.constantsRemoved)), "tagCount": .int(Int64(result.tagCount)),
            "constantCount": .int(Int64(result.constantCount)),
        ]
    }
}
