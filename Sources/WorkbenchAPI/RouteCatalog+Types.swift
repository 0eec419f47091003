import Foundation
import S7Model
import Workbench

extension RouteCatalog {
    /// The editing routes of "Data Types (UDT)": create, update, delete, export and import PLC data types, and their
    /// folders. Types from `.udt` sources are edited as text; SimaticML types are read-only (422). The list routes
    /// live in `engineeringReadRoutes`.
    static var typeRoutes: [Route] {
        let create = Route(
            .post, "/api/devices/{deviceName}/udts", group: typesGroup,
            summary: "Create a PLC data type with its members, as a .udt source in \"PLC data types\".",
            query: [projectIDQuery],
            requestSchema: [
                "type": "object",
                "properties": [
                    "name": BlockRouteSupport.nameSchema,
                    "folder": ["type": "string", "description": "Folder below \"PLC data types\", e.g. Motors."],
                    "members": ["type": "array", "items": BlockRouteSupport.memberSchema],
                    "title": Schema.string, "comment": Schema.string,
                ],
                "required": ["name", "members"],
            ],
            responseSchema: Schema.dataTypeDetails, successStatus: 201, errorStatuses: [404, 409], mutates: true
        ) { request, engine in
            _ = try request.fields()
            let name = try request.requiredString("name")
            guard let list = try request.array("members") else { throw APIError.badRequest("'members' is required") }
            let spec = DataTypeSpec(
                name: name, title: try request.string("title"), comment: try request.string("comment"),
                members: try BlockRouteSupport.members(list, at: "members"))
            let group = try BlockRouteSupport.group(request.string("folder"))
            let id = projectID(request)
            let deviceName = request.path("deviceName")
            let type = try await WorkbenchAPI.engine { () async throws(EngineError) in
                try await engine.createDataType(
                    spec, device: deviceName, group: group, sessionID: id, actor: request.actor)
            }
            return RouteResponse(status: 201, json: ModelJSON.dataTypeDetails(type))
        }
        let update = Route(
            .put, "/api/devices/{deviceName}/udts/{udtName}", group: typesGroup,
            summary: "Replace the members of a PLC data type from a .udt source (its header stays); SimaticML types "
                + "are read-only (422).",
            query: [projectIDQuery],
            requestSchema: [
                "type": "object",
                "properties": ["members": ["type": "array", "items": BlockRouteSupport.memberSchema]],
                "required": ["members"],
            ],
            responseSchema: Schema.dataTypeDetails, errorStatuses: [404, 409, 422], mutates: true
        ) { request, engine in
            _ = try request.fields()
            guard let list = try request.array("members") else { throw APIError.badRequest("'members' is required") }
            let members = try BlockRouteSupport.members(list, at: "members")
            let id = projectID(request)
            let deviceName = request.path("deviceName")
            let udtName = request.path("udtName")
            let type = try await WorkbenchAPI.engine { () async throws(EngineError) in
                try await engine.updateDataType(
                    udtName, members: members, device: deviceName, sessionID: id, actor: request.actor)
            }
            return RouteResponse(json: ModelJSON.dataTypeDetails(type))
        }
        let importTypes = Route(
            .post, "/api/devices/{deviceName}/udts/actions/import", group: typesGroup,
            summary: "Import PLC data types from a SimaticML .xml (copied as it is) or a .udt source (one file per "
                + "type); an existing name needs 'overwrite'.",
            query: [projectIDQuery], requestSchema: BlockRouteSupport.importBody,
            responseSchema: Schema.list("imported", BlockRouteSupport.generatedItem),
            errorStatuses: [403, 404, 409, 500], mutates: true
        ) { request, engine in
            _ = try request.fields()
            let filePath = try BlockRouteSupport.requiredText(request, "filePath", "path")
            let group = try BlockRouteSupport.group(request.string("folder"))
            let overwrite = try request.bool("overwrite") ?? false
            let id = projectID(request)
            let deviceName = request.path("deviceName")
            let imported = try await WorkbenchAPI.engine { () async throws(EngineError) in
                try await engine.importDataTypes(
                    from: filePath, device: deviceName, group: group, overwrite: overwrite, sessionID: id,
                    actor: request.actor)
            }
            return RouteResponse.list("imported", imported.map(BlockRouteSupport.generatedJSON))
        }
        return [
            create,
            create.job(
                .post, "/api/devices/{deviceName}/udts/async", summary: "Create a PLC data type (asynchronous)."),
            Route(
                .post, "/api/devices/{deviceName}/udts/folders", group: typesGroup,
                summary: "Create a folder below \"PLC data types\".",
                query: [projectIDQuery], requestSchema: BlockRouteSupport.folderBody,
                responseSchema: BlockRouteSupport.folderAnswer, successStatus: 201,
                errorStatuses: [404, 409, 500], mutates: true
            ) { request, engine in
                let folder = try BlockRouteSupport.folderPath(request)
                let id = projectID(request)
                let deviceName = request.path("deviceName")
                let path = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.createDataTypeFolder(
                        folder, device: deviceName, sessionID: id, actor: request.actor)
                }
                return RouteResponse(
                    status: 201,
                    json: ["folderPath": .string(folder.joined(separator: "/")), "path": .string(path)])
            },
            Route(
                .delete, "/api/devices/{deviceName}/udts/folders/{folderPath}", group: typesGroup,
                summary: "Delete an empty folder of the PLC data types (a folder holding types or files is refused).",
                query: [projectIDQuery],
                responseSchema: BlockRouteSupport.folderDeleted, errorStatuses: [404, 409, 500], mutates: true
            ) { request, engine in
                let folder = try BlockRouteSupport.group(request.path("folderPath"))
                guard !folder.isEmpty else { throw APIError.badRequest("the folder path is empty") }
                let id = projectID(request)
                let deviceName = request.path("deviceName")
                try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.deleteDataTypeFolder(
                        folder, device: deviceName, sessionID: id, actor: request.actor)
                }
                return RouteResponse(json: ["folderPath": .string(folder.joined(separator: "/")), "deleted": true])
            },
            dataTypeExportRoute(
                "/api/devices/{deviceName}/udts/actions/export",
                summary: "Export a PLC data type ('udtName') to a file: a SimaticML type as its XML, a source type as "
                    + "its .udt text (SimaticML export of source types is not available yet: a .xml target "
                    + "answers 422).",
                nameInBody: true),
            dataTypeExportRoute(
                "/api/devices/{deviceName}/udts/{udtName}/actions/export",
                summary: "Export this PLC data type to a file: a SimaticML type as its XML, a source type as its .udt "
                    + "text (a .xml target for a source type answers 422).",
                nameInBody: false),
            importTypes,
            importTypes.job(
                .post, "/api/devices/{deviceName}/udts/actions/import/async",
                summary: "Import PLC data types (asynchronous)."),
            update,
            update.job(
                .put, "/api/devices/{deviceName}/udts/{udtName}/async",
                summary: "Update a PLC data type (asynchronous)."),
            Route(
                .delete, "/api/devices/{deviceName}/udts/{udtName}", group: typesGroup,
                summary: "Delete a PLC data type; its file is removed on the next save (uses elsewhere are not "
                    + "rewritten, so the next compile lists them).",
                query: [projectIDQuery],
                responseSchema: Schema.object(["name": Schema.string, "deleted": Schema.boolean]),
                errorStatuses: [404, 409], mutates: true
            ) { request, engine in
                let id = projectID(request)
                let deviceName = request.path("deviceName")
                let udtName = request.path("udtName")
                let name = try await WorkbenchAPI.engine { () async throws(EngineError) -> String in
                    let type = try await engine.dataType(udtName, device: deviceName, sessionID: id)
                    try await engine.delete(
                        .dataType(type.name), device: deviceName, sessionID: id, actor: request.actor)
                    return type.name
                }
                return RouteResponse(json: ["name": .string(name), "deleted": true])
            },
        ]
    }

    /// An export route for a PLC data type named in the path (`{udtName}`) or in the body (`udtName`).
    private static func dataTypeExportRoute(_ path: String, summary: String, nameInBody: Bool) -> Route {
        var properties: [(String, JSONValue)] = [
            (
                "filePath",
                [
                    "type": "string", "minLength": 1,
                    "description": "A file, or a folder (the file is named after the type).",
                ]
            )
        ]
        var required: [JSONValue] = ["filePath"]
        if nameInBody {
            properties.insert(("udtName", BlockRouteSupport.nameSchema), at: 0)
            required.insert("udtName", at: 0)
        }
        return Route(
            .post, path, group: typesGroup, summary: summary, query: [projectIDQuery],
            requestSchema: ["type": "object", "properties": .object(properties), "required": .array(required)],
            responseSchema: BlockRouteSupport.exportAnswer, errorStatuses: [403, 404, 409, 422, 500], mutates: true
        ) { request, engine in
            _ = try request.fields()
            let name =
                nameInBody
                ? try BlockRouteSupport.requiredText(request, "udtName", "name", "typeName") : request.path("udtName")
            let filePath = try BlockRouteSupport.requiredText(request, "filePath", "path")
            let id = projectID(request)
            let deviceName = request.path("deviceName")
            let file = try await WorkbenchAPI.engine { () async throws(EngineError) in
                try await engine.exportDataType(
                    name, device: deviceName, to: filePath, sessionID: id, actor: request.actor)
            }
            return RouteResponse(json: BlockRouteSupport.exportJSON(name, file))
        }
    }
}
