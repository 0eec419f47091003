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
        let importTypes = BlockRouteSupport.importRoute(
            "/api/devices/{deviceName}/udts/actions/import", group: typesGroup,
            summary: "Import PLC data types from a SimaticML .xml (copied as it is) or a .udt source (one file per "
                + "type); an existing name needs 'overwrite'."
        ) { (engine, filePath, group, overwrite, call) async throws(EngineError) -> [GeneratedProgramObject] in
            try await engine.importDataTypes(
                from: filePath, device: call.device, group: group, overwrite: overwrite, sessionID: call.sessionID,
                actor: call.actor)
        }
        return [
            create,
            create.job(
                .post, "/api/devices/{deviceName}/udts/async", summary: "Create a PLC data type (asynchronous)."),
            BlockRouteSupport.createFolderRoute(
                "/api/devices/{deviceName}/udts/folders", group: typesGroup,
                summary: "Create a folder below \"PLC data types\"."
            ) { (engine, folder, call) async throws(EngineError) -> String in
                try await engine.createFolder(
                    folder, in: .dataTypes, device: call.device, sessionID: call.sessionID, actor: call.actor)
            },
            BlockRouteSupport.deleteFolderRoute(
                "/api/devices/{deviceName}/udts/folders/{folderPath}", group: typesGroup,
                summary: "Delete an empty folder of the PLC data types (a folder holding types or files is refused).",
                query: [projectIDQuery]
            ) { (engine, folder, call) async throws(EngineError) in
                try await engine.deleteFolder(
                    folder, in: .dataTypes, device: call.device, sessionID: call.sessionID, actor: call.actor)
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
            BlockRouteSupport.deleteObjectRoute(
                "/api/devices/{deviceName}/udts/{udtName}", group: typesGroup,
                summary: "Delete a PLC data type; its file is removed on the next save (uses elsewhere are not "
                    + "rewritten, so the next compile lists them).",
                parameter: "udtName"
            ) { (engine, udtName, call) async throws(EngineError) -> String in
                let type = try await engine.dataType(udtName, device: call.device, sessionID: call.sessionID)
                try await engine.delete(
                    .dataType(type.name), device: call.device, sessionID: call.sessionID, actor: call.actor)
                return type.name
            },
        ]
    }

    /// An export route for a PLC data type named in the path (`{udtName}`) or in the body (`udtName`).
    private static func dataTypeExportRoute(_ path: String, summary: String, nameInBody: Bool) -> Route {
        BlockRouteSupport.exportRoute(
            path, group: typesGroup, summary: summary, parameter: "udtName",
            nameKeys: nameInBody ? ["udtName", "name", "typeName"] : [], objectWord: "type"
        ) { (engine, name, filePath, call) async throws(EngineError) -> ExportedObjectFile in
            try await engine.exportDataType(
                name, device: call.device, to: filePath, sessionID: call.sessionID, actor: call.actor)
        }
    }
}
