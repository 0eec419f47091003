import Foundation
import S7Model
import Workbench

/// Request parsing, schemas and answers shared by the block and data type routes.
enum BlockRouteSupport {
    static let nameSchema: JSONValue = ["type": "string", "minLength": 1]
    static let sectionNames: [String] = ["Input", "Output", "InOut", "Static", "Temp", "Constant"]
    static let memberSchema: JSONValue = [
        "type": "object",
        "properties": [
            "name": nameSchema,
            "dataType": [
                "type": "string", "minLength": 1,
                "description": "Bool, Int, Array[0..7] of Bool, \"typeMotor\", TON_TIME, Struct a : Bool; END_STRUCT",
            ],
            "startValue": [
                "type": ["string", "number", "boolean", "null"],
                "description": "An S7 literal of the data type (500.0, T#20s, 'text'); none for the type's default.",
            ],
            "comment": ["type": ["string", "null"]],
        ],
        "required": ["name", "dataType"],
    ]
    static let sectionSchema: JSONValue = [
        "type": "object",
        "properties": [
            "section": ["type": "string", "enum": .array(sectionNames.map(JSONValue.string))],
            "members": ["type": "array", "items": memberSchema],
        ],
        "required": ["section", "members"],
    ]
    static let blockFields: [(String, JSONValue)] = [
        ("name", nameSchema),
        ("type", ["type": "string", "enum": ["OB", "FB", "FC", "DB"]]),
        ("number", ["type": "integer", "minimum": 1, "maximum": 65535]),
        (
            "programmingLanguage",
            [
                "type": "string",
                "description": "SCL (DB for data blocks); LAD/FBD blocks need SimaticML writing, not available yet.",
            ]
        ),
        ("folder", ["type": "string", "description": "Block group below \"Program blocks\", e.g. Machines/Fillers."]),
        ("title", Schema.string), ("comment", Schema.string), ("optimizedAccess", Schema.boolean),
        ("returnType", ["type": "string", "description": "A function's return type (Void when left out)."]),
        ("instanceOf", ["type": "string", "description": "For a DB: the FB, PLC data type or IEC block it is of."]),
        ("interface", ["type": "array", "items": sectionSchema]),
        ("members", ["type": "array", "items": memberSchema, "description": "A global DB's members."]),
        ("code", ["type": "string", "description": "SCL statements of the body."]),
        ("source", ["type": "string", "description": "A whole SCL source holding the block, instead of the parts."]),
    ]
    static let createBlockSchema: JSONValue = [
        "type": "object", "properties": .object(blockFields), "required": ["name", "type"],
    ]
    static let updateContentSchema: JSONValue = ["type": "object", "properties": .object(blockFields)]
    static let folderBody: JSONValue = [
        "type": "object",
        "properties": ["folderPath": ["type": "string", "minLength": 1, "description": "Sub-folders joined by /."]],
        "required": ["folderPath"],
    ]
    static let folderAnswer = Schema.object(["folderPath": Schema.string, "path": Schema.string])
    static let folderDeleted = Schema.object(["folderPath": Schema.string, "deleted": Schema.boolean])
    static let exportAnswer = Schema.object([
        "name": Schema.string, "filePath": Schema.string, "format": Schema.string, "sizeBytes": Schema.integer,
    ])
    static let generatedItem = Schema.object([
        "name": Schema.string, "type": Schema.string, "file": Schema.string, "replaced": Schema.boolean,
    ])
    static let externalSource = Schema.object([
        "name": Schema.string, "path": Schema.string, "folder": Schema.string, "sizeBytes": Schema.integer,
    ])
    static let importBody: JSONValue = [
        "type": "object",
        "properties": [
            "filePath": ["type": "string", "minLength": 1],
            "folder": ["type": "string"],
            "overwrite": Schema.boolean,
        ],
        "required": ["filePath"],
    ]

    // MARK: Parsing

    /// The first of `keys` the body holds as text, nil when none (400 when one has another type).
    static func text(_ request: RouteRequest, _ keys: String...) throws(APIError) -> String? {
        for key in keys {
            if let value = try request.string(key), !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                return value
            }
        }
        return nil
    }

    static func requiredText(_ request: RouteRequest, _ keys: String...) throws(APIError) -> String {
        try firstRequiredText(request, keys)
    }

    /// A folder path (`Machines/Fillers`) as a group; empty text is the top folder.
    static func group(_ text: String?) throws(APIError) -> [String] {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return [] }
        do { return try Engine.folderGroup(text) } catch { throw APIError(error) }
    }

    /// `folderPath` from the body or the query; 400 when neither has one.
    static func folderPath(_ request: RouteRequest) throws(APIError) -> [String] {
        if request.body != nil, request.body != .null { _ = try request.fields() }
        let given = try Self.text(request, "folderPath", "path") ?? request.query["folderPath"]
        guard let given, !given.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw APIError.badRequest("'folderPath' is required (in the body or the query)")
        }
        return try group(given)
    }

    static func blockKind(_ text: String) -> BlockSpec.Kind? {
        switch text.trimmingCharacters(in: .whitespaces).uppercased() {
        case "OB", "ORGANIZATION_BLOCK", "ORGANIZATIONBLOCK": .organizationBlock
        case "FB", "FUNCTION_BLOCK", "FUNCTIONBLOCK": .functionBlock
        case "FC", "FUNCTION": .function
        case "DB", "GLOBALDB", "INSTANCEDB", "DATA_BLOCK", "DATABLOCK": .dataBlock
        default: nil
        }
    }

    static func section(_ text: String) throws(APIError) -> InterfaceSection.Kind {
        guard let kind = SCLSourceGenerator.sectionKind(named: text) else {
            throw APIError.badRequest(
                "'\(text)' is no interface section (\(sectionNames.joined(separator: ", ")))")
        }
        return kind
    }

    /// A start value as an S7 literal: text as given, numbers and booleans written as SCL writes them.
    static func literal(_ value: JSONValue?, at path: String) throws(APIError) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case .int(let number)?: return String(number)
        case .double(let number)? where number.isFinite: return String(number)
        case .bool(let flag)?: return flag ? "TRUE" : "FALSE"
        default: throw APIError.badRequest("'\(path)' must be a string, a number or a boolean")
        }
    }

    static func optionalText(_ value: JSONValue?, at path: String) throws(APIError) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw APIError.badRequest("'\(path)' must be a string")
        }
    }

    /// A member object; `path` names it in messages (empty for the body itself).
    static func member(_ value: JSONValue, at path: String) throws(APIError) -> MemberSpec {
        func key(_ name: String) -> String { path.isEmpty ? name : path + "." + name }
        guard case .object = value else { throw APIError.badRequest("'\(path)' must be an object") }
        guard let name = try optionalText(value["name"], at: key("name")),
            !name.trimmingCharacters(in: .whitespaces).isEmpty
        else { throw APIError.badRequest("'\(key("name"))' is required") }
        guard let dataType = try optionalText(value["dataType"] ?? value["type"], at: key("dataType")),
            !dataType.trimmingCharacters(in: .whitespaces).isEmpty
        else { throw APIError.badRequest("'\(key("dataType"))' is required") }
        return MemberSpec(
            name: name, dataType: dataType,
            startValue: try literal(value["startValue"] ?? value["defaultValue"], at: key("startValue")),
            comment: try optionalText(value["comment"], at: key("comment")))
    }

    static func members(_ values: [JSONValue], at path: String) throws(APIError) -> [MemberSpec] {
        var result: [MemberSpec] = []
        for (index, value) in values.enumerated() { result.append(try member(value, at: "\(path)[\(index)]")) }
        return result
    }

    /// Whether the body describes a block by its parts (for a content update without `source`).
    static func hasSpecFields(_ request: RouteRequest) -> Bool {
        ["interface", "members", "code", "type", "title", "comment", "returnType", "instanceOf", "optimizedAccess"]
            .contains { request.field($0) != nil }
    }

    /// A block spec from the parts of a body; a language other than SCL is refused with 422.
    static func blockSpec(_ request: RouteRequest, name: String, kind: BlockSpec.Kind) throws(APIError) -> BlockSpec {
        if let language = try request.string("programmingLanguage"),
            !["SCL", "DB", ""].contains(language.trimmingCharacters(in: .whitespaces).uppercased())
        {
            throw APIError(
                status: 422,
                detail: "s7wb creates SCL blocks; \(language) blocks need SimaticML block writing, not available yet")
        }
        var sections: [InterfaceSectionSpec] = []
        for (index, value) in (try request.array("interface") ?? []).enumerated() {
            let path = "interface[\(index)]"
            guard case .object = value else { throw APIError.badRequest("'\(path)' must be an object") }
            guard let name = try optionalText(value["section"] ?? value["name"], at: path + ".section") else {
                throw APIError.badRequest("'\(path).section' is required")
            }
            guard let list = value["members"]?.arrayValue ?? (value["members"] == nil ? [] : nil) else {
                throw APIError.badRequest("'\(path).members' must be an array")
            }
            sections.append(InterfaceSectionSpec(try section(name), members: try members(list, at: path + ".members")))
        }
        if let list = try request.array("members") {
            sections.append(InterfaceSectionSpec(.static, members: try members(list, at: "members")))
        }
        return BlockSpec(
            kind: kind, name: name, number: try request.int("number"), title: try request.string("title"),
            comment: try request.string("comment"), optimizedAccess: try request.bool("optimizedAccess") ?? true,
            returnType: try request.string("returnType"), sections: sections,
            instanceOf: try text(request, "instanceOf", "instanceOfName"), code: try request.string("code"))
    }

    /// A folder path given in the route's path (`{folderPath}`); 400 when it is empty.
    static func folderInPath(_ request: RouteRequest) throws(APIError) -> [String] {
        let folder = try group(request.path("folderPath"))
        guard !folder.isEmpty else { throw APIError.badRequest("the folder path is empty") }
        return folder
    }

    // MARK: Route builders

    /// What an engine call of a device route needs besides its own inputs.
    struct DeviceCall: Sendable {
        var device: String
        var sessionID: String?
        var actor: String

        init(_ request: RouteRequest) {
            device = request.path("deviceName")
            sessionID = RouteCatalog.projectID(request)
            actor = request.actor
        }
    }

    /// A route creating a folder (`folderPath` in the body, or the query when the route documents it) with `create`,
    /// which answers the folder's project-relative path.
    static func createFolderRoute(
        _ path: String, group: String, summary: String, query: [QueryParameter] = [RouteCatalog.projectIDQuery],
        requestSchema: JSONValue = folderBody,
        _ create: @escaping @Sendable (Engine, [String], DeviceCall) async throws(EngineError) -> String
    ) -> Route {
        Route(
            .post, path, group: group, summary: summary, query: query, requestSchema: requestSchema,
            responseSchema: folderAnswer, successStatus: 201, errorStatuses: [404, 409, 500], mutates: true
        ) { request, engine in
            let folder = try folderPath(request)
            let call = DeviceCall(request)
            let relative = try await WorkbenchAPI.engine { () async throws(EngineError) in
                try await create(engine, folder, call)
            }
            return RouteResponse(
                status: 201, json: ["folderPath": .string(folder.joined(separator: "/")), "path": .string(relative)])
        }
    }

    /// A route deleting an empty folder with `delete`: the folder is `{folderPath}` when the path has it, else
    /// `folderPath` from the body or the query.
    static func deleteFolderRoute(
        _ path: String, group: String, summary: String, query: [QueryParameter], requestSchema: JSONValue? = nil,
        _ delete: @escaping @Sendable (Engine, [String], DeviceCall) async throws(EngineError) -> Void
    ) -> Route {
        let inPath = path.contains("{folderPath}")
        return Route(
            .delete, path, group: group, summary: summary, query: query, requestSchema: requestSchema,
            responseSchema: folderDeleted, errorStatuses: [404, 409, 500], mutates: true
        ) { request, engine in
            let folder = try inPath ? folderInPath(request) : folderPath(request)
            let call = DeviceCall(request)
            try await WorkbenchAPI.engine { () async throws(EngineError) in try await delete(engine, folder, call) }
            return RouteResponse(json: ["folderPath": .string(folder.joined(separator: "/")), "deleted": true])
        }
    }

    /// A route deleting the object named by the path parameter `parameter`; `delete` deletes it and answers its
    /// name as the project spells it.
    static func deleteObjectRoute(
        _ path: String, group: String, summary: String, parameter: String,
        _ delete: @escaping @Sendable (Engine, String, DeviceCall) async throws(EngineError) -> String
    ) -> Route {
        Route(
            .delete, path, group: group, summary: summary, query: [RouteCatalog.projectIDQuery],
            responseSchema: Schema.object(["name": Schema.string, "deleted": Schema.boolean]),
            errorStatuses: [404, 409], mutates: true
        ) { request, engine in
            let given = request.path(parameter)
            let call = DeviceCall(request)
            let name = try await WorkbenchAPI.engine { () async throws(EngineError) in
                try await delete(engine, given, call)
            }
            return RouteResponse(json: ["name": .string(name), "deleted": true])
        }
    }

    /// A route importing blocks or types from a file (`importBody`) with `importing`, which gets the file path, the
    /// group from 'folder' and 'overwrite'.
    static func importRoute(
        _ path: String, group: String, summary: String,
        _ importing:
            @escaping @Sendable (Engine, _ filePath: String, _ group: [String], _ overwrite: Bool, DeviceCall)
            async throws(EngineError) -> [GeneratedProgramObject]
    ) -> Route {
        Route(
            .post, path, group: group, summary: summary, query: [RouteCatalog.projectIDQuery],
            requestSchema: importBody, responseSchema: Schema.list("imported", generatedItem),
            errorStatuses: [403, 404, 409, 500], mutates: true
        ) { request, engine in
            _ = try request.fields()
            let filePath = try requiredText(request, "filePath", "path")
            let folder = try Self.group(request.string("folder"))
            let overwrite = try request.bool("overwrite") ?? false
            let call = DeviceCall(request)
            let imported = try await WorkbenchAPI.engine { () async throws(EngineError) in
                try await importing(engine, filePath, folder, overwrite, call)
            }
            return RouteResponse.list("imported", imported.map(generatedJSON))
        }
    }

    /// A route exporting a block or type to 'filePath' with `export`. The object is the path parameter `parameter`,
    /// or with `nameKeys` the first of these body fields (the first one documented and required); `objectWord`
    /// ("block") names it in the schema.
    static func exportRoute(
        _ path: String, group: String, summary: String, parameter: String, nameKeys: [String] = [],
        objectWord: String,
        _ export:
            @escaping @Sendable (Engine, _ name: String, _ filePath: String, DeviceCall)
            async throws(EngineError) -> ExportedObjectFile
    ) -> Route {
        var properties: [(String, JSONValue)] = [
            (
                "filePath",
                [
                    "type": "string", "minLength": 1,
                    "description": .string("A file, or a folder (the file is named after the \(objectWord))."),
                ]
            )
        ]
        var required: [JSONValue] = ["filePath"]
        if let key = nameKeys.first {
            properties.insert((key, nameSchema), at: 0)
            required.insert(.string(key), at: 0)
        }
        return Route(
            .post, path, group: group, summary: summary, query: [RouteCatalog.projectIDQuery],
            requestSchema: ["type": "object", "properties": .object(properties), "required": .array(required)],
            responseSchema: exportAnswer, errorStatuses: [403, 404, 409, 422, 500], mutates: true
        ) { request, engine in
            _ = try request.fields()
            let name = try nameKeys.isEmpty ? request.path(parameter) : firstRequiredText(request, nameKeys)
            let filePath = try requiredText(request, "filePath", "path")
            let call = DeviceCall(request)
            let file = try await WorkbenchAPI.engine { () async throws(EngineError) in
                try await export(engine, name, filePath, call)
            }
            return RouteResponse(json: exportJSON(name, file))
        }
    }

    /// `requiredText` for keys given as an array.
    static func firstRequiredText(_ request: RouteRequest, _ keys: [String]) throws(APIError) -> String {
        for key in keys {
            if let value = try request.string(key), !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                return value
            }
        }
        throw APIError.badRequest("'\(keys[0])' is required")
    }

    /// Creates an external source with `create`, which gets the body's 'folder' and 'overwrite': the answer of the
    /// routes creating one.
    static func createdExternalSource(
        _ request: RouteRequest,
        _ create: (_ folder: [String], _ overwrite: Bool, DeviceCall) async throws(EngineError) -> ExternalSourceFile
    ) async throws(APIError) -> RouteResponse {
        let folder = try group(request.string("folder"))
        let overwrite = try request.bool("overwrite") ?? false
        let call = DeviceCall(request)
        let source = try await WorkbenchAPI.engine { () async throws(EngineError) in
            try await create(folder, overwrite, call)
        }
        return RouteResponse(status: 201, json: externalSourceJSON(source))
    }

    // MARK: Answers

    static func generatedJSON(_ object: GeneratedProgramObject) -> JSONValue {
        [
            "name": .string(object.name), "type": .string(object.kind), "file": .string(object.path),
            "replaced": .bool(object.replaced),
        ]
    }

    static func externalSourceJSON(_ source: ExternalSourceFile) -> JSONValue {
        [
            "name": .string(source.name), "path": .string(source.path),
            "folder": .string(source.folder.joined(separator: "/")), "sizeBytes": .int(Int64(source.sizeBytes)),
        ]
    }

    static func exportJSON(_ name: String, _ file: ExportedObjectFile) -> JSONValue {
        [
            "name": .string(name), "filePath": .string(file.path), "format": .string(file.format),
            "sizeBytes": .int(Int64(file.sizeBytes)),
        ]
    }
}

extension RouteCatalog {
    /// The editing routes of "Blocks": create, update, rename, delete blocks; interface members and networks of
    /// SCL-source blocks; folders; import, export, snapshots, start values; external sources. The list routes
    /// live in `engineeringReadRoutes`.
    static var blockRoutes: [Route] {
        blockObjectRoutes + blockEditRoutes + blockFileRoutes + externalSourceRoutes
    }

    // MARK: Blocks

    static var blockObjectRoutes: [Route] {
        let list = Route(
            .get, "/api/devices/{deviceName}/blocks", group: blocksGroup,
            summary: "List all blocks in the device program.", query: [projectIDQuery],
            responseSchema: Schema.list("blocks", Schema.block), errorStatuses: [404, 409]
        ) { request, engine in
            let blocks = try await device(request, engine).blocks
            return RouteResponse.list("blocks", blocks.map(ModelJSON.block))
        }
        let rename = Route(
            .post, "/api/devices/{deviceName}/blocks/actions/rename", group: blocksGroup,
            summary: "Rename a block from an SCL source: its file and header follow; uses elsewhere are not rewritten.",
            query: [projectIDQuery],
            requestSchema: [
                "type": "object",
                "properties": ["currentName": BlockRouteSupport.nameSchema, "newName": BlockRouteSupport.nameSchema],
                "required": ["currentName", "newName"],
            ],
            responseSchema: Schema.object(["oldName": Schema.string, "newName": Schema.string, "file": Schema.string]),
            errorStatuses: [404, 409, 422], mutates: true
        ) { request, engine in
            _ = try request.fields()
            let current = try BlockRouteSupport.requiredText(request, "currentName", "oldName", "blockName", "name")
            let newName = try request.requiredString("newName")
            let id = projectID(request)
            let deviceName = request.path("deviceName")
            let (oldName, block) = try await WorkbenchAPI.engine { () async throws(EngineError) -> (String, Block) in
                let old = try await engine.block(current, device: deviceName, sessionID: id)
                try await engine.rename(
                    .block(old.name), to: newName, device: deviceName, sessionID: id, actor: request.actor)
                let renamed = try await engine.block(newName, device: deviceName, sessionID: id)
                return (old.name, renamed)
            }
            return RouteResponse(json: [
                "oldName": .string(oldName), "newName": .string(block.name), "file": .string(block.file.path),
            ])
        }
        return [
            list.job(.get, "/api/devices/{deviceName}/blocks/async", summary: "List all blocks (asynchronous)."),
            Route(
                .post, "/api/devices/{deviceName}/blocks", group: blocksGroup,
                summary: "Create an OB, FB, FC or DB as an SCL source: from an interface and SCL code, or from a "
                    + "whole 'source'.",
                query: [projectIDQuery], requestSchema: BlockRouteSupport.createBlockSchema,
                responseSchema: Schema.blockContent, successStatus: 201, errorStatuses: [404, 409, 422],
                mutates: true
            ) { request, engine in
                _ = try request.fields()
                let name = try request.requiredString("name")
                let typeText = try request.requiredString("type")
                guard let kind = BlockRouteSupport.blockKind(typeText) else {
                    throw APIError.badRequest("'type' must be OB, FB, FC or DB, not '\(typeText)'")
                }
                let group = try BlockRouteSupport.group(request.string("folder"))
                let id = projectID(request)
                let deviceName = request.path("deviceName")
                let block: Block
                if let source = try BlockRouteSupport.text(request, "source") {
                    let number = try request.int("number")
                    block = try await WorkbenchAPI.engine { () async throws(EngineError) in
                        try await engine.createBlock(
                            source: source, number: number, expecting: (name: name, kind: kind), device: deviceName,
                            group: group,
                            sessionID: id, actor: request.actor)
                    }
                } else {
                    let spec = try BlockRouteSupport.blockSpec(request, name: name, kind: kind)
                    block = try await WorkbenchAPI.engine { () async throws(EngineError) in
                        try await engine.createBlock(
                            spec, device: deviceName, group: group, sessionID: id, actor: request.actor)
                    }
                }
                return RouteResponse(status: 201, json: ModelJSON.blockContent(block))
            },
            rename,
            rename.job(
                .post, "/api/devices/{deviceName}/blocks/actions/rename-async",
                summary: "Rename a block (asynchronous)."),
            BlockRouteSupport.createFolderRoute(
                "/api/devices/{deviceName}/blocks/folders", group: blocksGroup,
                summary: "Create a block group: a folder below \"Program blocks\" (it shows in the tree once it holds "
                    + "a block)."
            ) { (engine, folder, call) async throws(EngineError) -> String in
                try await engine.createFolder(
                    folder, in: .programBlocks, device: call.device, sessionID: call.sessionID, actor: call.actor)
            },
            BlockRouteSupport.deleteFolderRoute(
                "/api/devices/{deviceName}/blocks/folders", group: blocksGroup,
                summary: "Delete an empty block group (a folder holding blocks or files is refused).",
                query: [
                    projectIDQuery,
                    QueryParameter("folderPath", "The folder below \"Program blocks\", e.g. Machines/Fillers."),
                ]
            ) { (engine, folder, call) async throws(EngineError) in
                try await engine.deleteFolder(
                    folder, in: .programBlocks, device: call.device, sessionID: call.sessionID, actor: call.actor)
            },
            BlockRouteSupport.deleteObjectRoute(
                "/api/devices/{deviceName}/blocks/{blockName}", group: blocksGroup,
                summary: "Delete a block; its file is removed on the next save (a snapshot keeps it).",
                parameter: "blockName"
            ) { (engine, blockName, call) async throws(EngineError) -> String in
                let block = try await engine.block(blockName, device: call.device, sessionID: call.sessionID)
                try await engine.delete(
                    .block(block.name), device: call.device, sessionID: call.sessionID, actor: call.actor)
                return block.name
            },
        ]
    }

    // MARK: Content, interface, networks

    static var blockEditRoutes: [Route] {
        [
            Route(
                .put, "/api/devices/{deviceName}/blocks/{blockName}/content", group: blocksGroup,
                summary: "Replace an SCL-source block's content: a whole 'source', or its interface and code as for "
                    + "creating. SimaticML blocks are read-only (422).",
                query: [projectIDQuery], requestSchema: BlockRouteSupport.updateContentSchema,
                responseSchema: Schema.blockContent, errorStatuses: [404, 409, 422], mutates: true
            ) { request, engine in
                _ = try request.fields()
                let id = projectID(request)
                let deviceName = request.path("deviceName")
                let blockName = request.path("blockName")
                let block: Block
                if let source = try BlockRouteSupport.text(request, "source") {
                    let number = try request.int("number")
                    block = try await WorkbenchAPI.engine { () async throws(EngineError) in
                        try await engine.updateBlockContent(
                            blockName, device: deviceName, source: source, number: number, sessionID: id,
                            actor: request.actor)
                    }
                } else {
                    guard BlockRouteSupport.hasSpecFields(request) else {
                        throw APIError.badRequest("give the block's 'source', or its 'interface' and 'code'")
                    }
                    let found = try await device(request, engine).block(named: blockName)
                    guard let current = found else {
                        throw APIError.notFound("no block '\(blockName)' in device \(deviceName)")
                    }
                    var kind = BlockSpec.Kind(current.kind)
                    if let typeText = try request.string("type") {
                        guard let given = BlockRouteSupport.blockKind(typeText) else {
                            throw APIError.badRequest("'type' must be OB, FB, FC or DB, not '\(typeText)'")
                        }
                        kind = given
                    }
                    let spec = try BlockRouteSupport.blockSpec(request, name: current.name, kind: kind)
                    block = try await WorkbenchAPI.engine { () async throws(EngineError) in
                        try await engine.updateBlockContent(
                            blockName, device: deviceName, spec: spec, sessionID: id, actor: request.actor)
                    }
                }
                return RouteResponse(json: ModelJSON.blockContent(block))
            },
            Route(
                .post, "/api/devices/{deviceName}/blocks/{blockName}/networks", group: blocksGroup,
                summary: "Append SCL code to an SCL-source block, one REGION per titled network. LAD/FBD networks "
                    + "need SimaticML writing, not available yet (422).",
                query: [projectIDQuery],
                requestSchema: [
                    "type": "object",
                    "properties": [
                        "networks": [
                            "type": "array", "minItems": 1,
                            "items": [
                                "type": "object",
                                "properties": [
                                    "title": Schema.string, "comment": Schema.string,
                                    "code": ["type": "string", "minLength": 1],
                                ],
                                "required": ["code"],
                            ],
                        ]
                    ],
                    "required": ["networks"],
                ],
                responseSchema: Schema.blockContent, errorStatuses: [404, 409, 422], mutates: true
            ) { request, engine in
                _ = try request.fields()
                var networks: [SCLNetworkSpec] = []
                if let list = try request.array("networks") {
                    for (index, value) in list.enumerated() {
                        let path = "networks[\(index)]"
                        guard case .object = value else { throw APIError.badRequest("'\(path)' must be an object") }
                        guard
                            let code = try BlockRouteSupport.optionalText(
                                value["code"] ?? value["source"], at: path + ".code"),
                            !code.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
                        else { throw APIError.badRequest("'\(path).code' is required") }
                        networks.append(
                            SCLNetworkSpec(
                                title: try BlockRouteSupport.optionalText(value["title"], at: path + ".title"),
                                comment: try BlockRouteSupport.optionalText(value["comment"], at: path + ".comment"),
                                code: code))
                    }
                } else if let code = try BlockRouteSupport.text(request, "code") {
                    networks = [SCLNetworkSpec(title: try request.string("title"), code: code)]
                }
                guard !networks.isEmpty else { throw APIError.badRequest("'networks' is required") }
                let id = projectID(request)
                let deviceName = request.path("deviceName")
                let blockName = request.path("blockName")
                let added = networks
                let block = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.addNetworks(
                        added, block: blockName, device: deviceName, sessionID: id, actor: request.actor)
                }
                return RouteResponse(json: ModelJSON.blockContent(block))
            },
            Route(
                .post, "/api/devices/{deviceName}/blocks/{blockName}/interface/members", group: blocksGroup,
                summary: "Declare a member in a section (Input, Output, InOut, Static, Temp, Constant) of an "
                    + "SCL-source block; the rest of its source stays as it is.",
                query: [projectIDQuery],
                requestSchema: [
                    "type": "object",
                    "properties": .object([Self.memberSectionField] + Self.blockMemberFields),
                    "required": ["section", "name", "dataType"],
                ],
                responseSchema: Self.memberAnswer, successStatus: 201, errorStatuses: [404, 409, 422, 500],
                mutates: true
            ) { request, engine in
                _ = try request.fields()
                let section = try BlockRouteSupport.section(request.requiredString("section"))
                guard let body = request.body else { throw APIError.badRequest("the body must be a JSON object") }
                let member = try BlockRouteSupport.member(body, at: "")
                let id = projectID(request)
                let deviceName = request.path("deviceName")
                let blockName = request.path("blockName")
                let block = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.addInterfaceMember(
                        member, section: section, block: blockName, device: deviceName, sessionID: id,
                        actor: request.actor)
                }
                return RouteResponse(status: 201, json: try Self.memberJSON(member.name, in: block))
            },
            Route(
                .put, "/api/devices/{deviceName}/blocks/{blockName}/interface/members/{memberName}",
                group: blocksGroup,
                summary: "Change a member's name, data type, start value or comment in place (an empty start value "
                    + "or comment removes it); another 'section' moves it.",
                query: [projectIDQuery],
                requestSchema: [
                    "type": "object",
                    "properties": .object([Self.memberSectionField] + Self.blockMemberFields),
                ],
                responseSchema: Self.memberAnswer, errorStatuses: [404, 409, 422, 500], mutates: true
            ) { request, engine in
                _ = try request.fields()
                var wantedSection: InterfaceSection.Kind?
                if let text = try request.string("section") { wantedSection = try BlockRouteSupport.section(text) }
                let section = wantedSection
                let newName = try BlockRouteSupport.text(request, "newName", "name")
                let dataType = try BlockRouteSupport.text(request, "dataType")
                let change = MemberChange(
                    name: newName, dataType: dataType,
                    startValue: try BlockRouteSupport.literal(request.field("startValue"), at: "startValue"),
                    comment: try BlockRouteSupport.optionalText(request.field("comment"), at: "comment"))
                let id = projectID(request)
                let deviceName = request.path("deviceName")
                let blockName = request.path("blockName")
                let memberName = request.path("memberName")
                let block = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.updateInterfaceMember(
                        memberName, block: blockName, device: deviceName, change: change, section: section,
                        sessionID: id, actor: request.actor)
                }
                return RouteResponse(json: try Self.memberJSON(newName ?? memberName, in: block))
            },
            Route(
                .delete, "/api/devices/{deviceName}/blocks/{blockName}/interface/members/{memberName}",
                group: blocksGroup,
                summary: "Delete a member's declaration (its line and comment) from an SCL-source block.",
                query: [projectIDQuery],
                responseSchema: Schema.object([
                    "blockName": Schema.string, "member": Schema.string, "deleted": Schema.boolean,
                ]),
                errorStatuses: [404, 409, 422], mutates: true
            ) { request, engine in
                let id = projectID(request)
                let deviceName = request.path("deviceName")
                let blockName = request.path("blockName")
                let memberName = request.path("memberName")
                let block = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.deleteInterfaceMember(
                        memberName, block: blockName, device: deviceName, sessionID: id, actor: request.actor)
                }
                return RouteResponse(json: [
                    "blockName": .string(block.name), "member": .string(memberName), "deleted": true,
                ])
            },
        ]
    }

    static let memberSectionField: (String, JSONValue) = (
        "section", ["type": "string", "enum": .array(BlockRouteSupport.sectionNames.map(JSONValue.string))]
    )

    static let blockMemberFields: [(String, JSONValue)] = [
        ("name", BlockRouteSupport.nameSchema),
        ("dataType", ["type": "string", "minLength": 1]),
        ("startValue", ["type": ["string", "number", "boolean", "null"]]),
        ("comment", ["type": ["string", "null"]]),
    ]

    static let memberAnswer = Schema.object([
        "blockName": Schema.string, "section": Schema.string, "member": Schema.member,
    ])

    /// A member of a block with its section, as the member routes answer it.
    static func memberJSON(_ name: String, in block: Block) throws(APIError) -> JSONValue {
        for section in block.interface.sections {
            if let member = section.members.first(where: { $0.name.caseInsensitiveEquals(name) }) {
                return [
                    "blockName": .string(block.name), "section": .string(section.kind.rawValue),
                    "member": ModelJSON.member(member),
                ]
            }
        }
        throw APIError(status: 500, detail: "\(block.name) does not declare \(name) after the change")
    }

    // MARK: Files, snapshots, start values

    static var blockFileRoutes: [Route] {
        let export = BlockRouteSupport.exportRoute(
            "/api/devices/{deviceName}/blocks/actions/export-sync", group: blocksGroup,
            summary: "Export a block to a file: a SimaticML block as its XML, an SCL-source block as its source "
                + "(SimaticML export of source blocks is not available yet: a .xml target answers 422).",
            parameter: "blockName", nameKeys: ["blockName", "name"], objectWord: "block"
        ) { (engine, blockName, filePath, call) async throws(EngineError) -> ExportedObjectFile in
            try await engine.exportBlock(
                blockName, device: call.device, to: filePath, sessionID: call.sessionID, actor: call.actor)
        }
        let importBlock = BlockRouteSupport.importRoute(
            "/api/devices/{deviceName}/blocks/actions/import-sync", group: blocksGroup,
            summary: "Import blocks from a SimaticML .xml (copied as it is) or an SCL source (.scl, .db: one file per "
                + "block); an existing name needs 'overwrite'."
        ) { (engine, filePath, group, overwrite, call) async throws(EngineError) -> [GeneratedProgramObject] in
            try await engine.importBlocks(
                from: filePath, device: call.device, group: group, overwrite: overwrite, sessionID: call.sessionID,
                actor: call.actor)
        }
        return [
            export,
            export.job(
                .post, "/api/devices/{deviceName}/blocks/actions/export", summary: "Export a block (asynchronous)."),
            importBlock,
            importBlock.job(
                .post, "/api/devices/{deviceName}/blocks/actions/import", summary: "Import blocks (asynchronous)."),
            Route(
                .get, "/api/devices/{deviceName}/blocks/{blockName}/export-xml", group: blocksGroup,
                summary: "The SimaticML XML of a block: a SimaticML block as its file holds it, an SCL-source block "
                    + "written as SimaticML (its statements as StructuredText tokens); 422 when a source DB's start "
                    + "value has no SimaticML form.",
                query: [projectIDQuery],
                responseSchema: Schema.object([
                    "blockName": Schema.string, "fileName": Schema.string, "xml": Schema.string,
                ]),
                errorStatuses: [404, 409, 422]
            ) { request, engine in
                let id = projectID(request)
                let deviceName = request.path("deviceName")
                let blockName = request.path("blockName")
                let (name, fileName, xml) = try await WorkbenchAPI.engine {
                    () async throws(EngineError) -> (String, String, String) in
                    let block = try await engine.block(blockName, device: deviceName, sessionID: id)
                    let document = try await engine.blockXML(blockName, device: deviceName, sessionID: id)
                    return (block.name, document.fileName, document.xml)
                }
                return RouteResponse(json: [
                    "blockName": .string(name), "fileName": .string(fileName), "xml": .string(xml),
                ])
            },
            BlockRouteSupport.exportRoute(
                "/api/devices/{deviceName}/blocks/{blockName}/actions/export-source", group: blocksGroup,
                summary: "Write an SCL-source block's source to a file (TIA's \"Generate source from blocks\").",
                parameter: "blockName", objectWord: "block"
            ) { (engine, blockName, filePath, call) async throws(EngineError) -> ExportedObjectFile in
                try await engine.exportBlockSource(
                    blockName, device: call.device, to: filePath, sessionID: call.sessionID, actor: call.actor)
            },
            Route(
                .post, "/api/devices/{deviceName}/blocks/{blockName}/actions/create-snapshot", group: blocksGroup,
                summary: "Keep the block's current content (as edited, saved or not) as a snapshot to restore later.",
                query: [projectIDQuery],
                requestSchema: ["type": "object", "properties": ["description": Schema.string]],
                responseSchema: Schema.snapshot, successStatus: 201, errorStatuses: [404, 409, 500], mutates: true
            ) { request, engine in
                if request.body != nil, request.body != .null { _ = try request.fields() }
                let note = try request.string("description") ?? request.string("reason")
                let id = projectID(request)
                let deviceName = request.path("deviceName")
                let blockName = request.path("blockName")
                let snapshot = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.createBlockSnapshot(
                        blockName, device: deviceName, description: note, sessionID: id, actor: request.actor)
                }
                return RouteResponse(status: 201, json: ModelJSON.snapshot(snapshot))
            },
            Route(
                .post, "/api/devices/{deviceName}/blocks/{blockName}/actions/load-snapshot", group: blocksGroup,
                summary: "Restore the block from a snapshot: 'snapshotId', else the newest one create-snapshot took.",
                query: [projectIDQuery],
                requestSchema: ["type": "object", "properties": ["snapshotId": snapshotIDSchema]],
                responseSchema: Schema.object(["blockName": Schema.string, "snapshot": Schema.snapshot]),
                errorStatuses: [404, 409, 500], mutates: true
            ) { request, engine in
                if request.body != nil, request.body != .null { _ = try request.fields() }
                var snapshotID: Int64?
                if let value = request.field("snapshotId") {
                    guard let number = value.intValue, number >= 0 else {
                        throw APIError.badRequest("'snapshotId' must be a snapshot id (a whole number)")
                    }
                    snapshotID = Int64(number)
                }
                let wanted = snapshotID
                let id = projectID(request)
                let deviceName = request.path("deviceName")
                let blockName = request.path("blockName")
                let (block, snapshot) = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.loadBlockSnapshot(
                        blockName, device: deviceName, snapshotID: wanted, sessionID: id, actor: request.actor)
                }
                return RouteResponse(json: [
                    "blockName": .string(block.name), "snapshot": ModelJSON.snapshot(snapshot),
                ])
            },
            Route(
                .post, "/api/devices/{deviceName}/blocks/{blockName}/actions/load-start-values", group: blocksGroup,
                summary: "Set a data block's actual values in the device's virtual PLC to its start values (needs a "
                    + "download of the block as it is now).",
                query: [projectIDQuery],
                responseSchema: Schema.object([
                    "blockName": Schema.string, "device": Schema.string, "bytes": Schema.integer,
                ]),
                errorStatuses: [404, 409], mutates: true
            ) { request, engine in
                let id = projectID(request)
                let deviceName = request.path("deviceName")
                let blockName = request.path("blockName")
                let bytes = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.loadStartValues(
                        blockName, device: deviceName, sessionID: id, actor: request.actor)
                }
                return RouteResponse(json: [
                    "blockName": .string(blockName), "device": .string(deviceName), "bytes": .int(Int64(bytes)),
                ])
            },
            Route(
                .post, "/api/devices/{deviceName}/blocks/{blockName}/actions/export-prodiag", group: blocksGroup,
                summary: "ProDiag supervisions are not modelled by s7wb: answers 422 for an existing block.",
                query: [projectIDQuery],
                requestSchema: ["type": "object", "properties": ["filePath": Schema.string]],
                responseSchema: Schema.object(["blockName": Schema.string, "filePath": Schema.string]),
                errorStatuses: [404, 409, 422]
            ) { request, engine in
                if request.body != nil, request.body != .null { _ = try request.fields() }
                _ = try request.string("filePath")
                let target = try await device(request, engine)
                guard let block = target.block(named: request.path("blockName")) else {
                    throw APIError.notFound("no block '\(request.path("blockName"))' in device \(target.name)")
                }
                throw APIError(
                    status: 422,
                    detail: "ProDiag supervisions are not modelled by s7wb, so \(block.name) has no ProDiag data to "
                        + "export")
            },
        ]
    }

    // MARK: External sources

    static var externalSourceRoutes: [Route] {
        [
            BlockRouteSupport.createFolderRoute(
                "/api/devices/{deviceName}/external-sources/folders", group: blocksGroup,
                summary: "Create a folder below the device's \"External source files\"."
            ) { (engine, folder, call) async throws(EngineError) -> String in
                try await engine.createFolder(
                    folder, in: .externalSources, device: call.device, sessionID: call.sessionID, actor: call.actor)
            },
            BlockRouteSupport.deleteFolderRoute(
                "/api/devices/{deviceName}/external-sources/folders", group: blocksGroup,
                summary: "Delete an empty folder of the external sources.",
                query: [
                    projectIDQuery,
                    QueryParameter("folderPath", "The folder below \"External source files\", e.g. Motors."),
                ]
            ) { (engine, folder, call) async throws(EngineError) in
                try await engine.deleteFolder(
                    folder, in: .externalSources, device: call.device, sessionID: call.sessionID, actor: call.actor)
            },
            Route(
                .post, "/api/devices/{deviceName}/external-sources/from-text", group: blocksGroup,
                summary: "Create an external source (a file in \"External source files\") from SCL text; generate "
                    + "blocks from it with …/generate.",
                query: [projectIDQuery],
                requestSchema: [
                    "type": "object",
                    "properties": [
                        "name": ["type": "string", "minLength": 1, "description": "File name; .scl is added if none."],
                        "content": ["type": "string", "minLength": 1],
                        "folder": Schema.string, "overwrite": Schema.boolean,
                    ],
                    "required": ["name", "content"],
                ],
                responseSchema: BlockRouteSupport.externalSource, successStatus: 201,
                errorStatuses: [404, 409, 500], mutates: true
            ) { request, engine in
                _ = try request.fields()
                let name = try BlockRouteSupport.requiredText(request, "name", "sourceName", "fileName")
                let content = try BlockRouteSupport.requiredText(request, "content", "text", "source", "code")
                return try await BlockRouteSupport.createdExternalSource(request) {
                    (folder, overwrite, call) async throws(EngineError) -> ExternalSourceFile in
                    try await engine.createExternalSource(
                        named: name, text: content, device: call.device, folder: folder, overwrite: overwrite,
                        sessionID: call.sessionID, actor: call.actor)
                }
            },
            Route(
                .post, "/api/devices/{deviceName}/external-sources/from-file", group: blocksGroup,
                summary: "Create an external source as a copy of a file (inside the project folder or the files "
                    + "root).",
                query: [projectIDQuery],
                requestSchema: [
                    "type": "object",
                    "properties": [
                        "filePath": ["type": "string", "minLength": 1],
                        "name": ["type": "string", "description": "File name; the copied file's name by default."],
                        "folder": Schema.string, "overwrite": Schema.boolean,
                    ],
                    "required": ["filePath"],
                ],
                responseSchema: BlockRouteSupport.externalSource, successStatus: 201,
                errorStatuses: [403, 404, 409, 500], mutates: true
            ) { request, engine in
                _ = try request.fields()
                let filePath = try BlockRouteSupport.requiredText(request, "filePath", "path")
                let name = try BlockRouteSupport.text(request, "name", "sourceName")
                return try await BlockRouteSupport.createdExternalSource(request) {
                    (folder, overwrite, call) async throws(EngineError) -> ExternalSourceFile in
                    try await engine.createExternalSource(
                        copying: filePath, named: name, device: call.device, folder: folder, overwrite: overwrite,
                        sessionID: call.sessionID, actor: call.actor)
                }
            },
            Route(
                .post, "/api/devices/{deviceName}/external-sources/import-and-generate", group: blocksGroup,
                summary: "Save SCL text as an external source and generate its blocks and types; nothing is written "
                    + "when the text has errors or names existing objects (without 'overwrite').",
                query: [projectIDQuery],
                requestSchema: [
                    "type": "object",
                    "properties": [
                        "content": ["type": "string", "minLength": 1],
                        "name": ["type": "string", "description": "Source file name; the first object's by default."],
                        "overwrite": Schema.boolean,
                    ],
                    "required": ["content"],
                ],
                responseSchema: Schema.object([
                    "source": BlockRouteSupport.externalSource,
                    "generated": Schema.array(BlockRouteSupport.generatedItem), "count": Schema.integer,
                ]),
                errorStatuses: [404, 409, 500], mutates: true
            ) { request, engine in
                _ = try request.fields()
                let content = try BlockRouteSupport.requiredText(request, "content", "text", "source", "code")
                let name = try BlockRouteSupport.text(request, "name", "sourceName")
                let overwrite = try request.bool("overwrite") ?? false
                let id = projectID(request)
                let deviceName = request.path("deviceName")
                let (source, generated) = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.importAndGenerate(
                        text: content, named: name, device: deviceName, overwrite: overwrite, sessionID: id,
                        actor: request.actor)
                }
                return RouteResponse(json: [
                    "source": BlockRouteSupport.externalSourceJSON(source),
                    "generated": .array(generated.map(BlockRouteSupport.generatedJSON)),
                    "count": .int(Int64(generated.count)),
                ])
            },
            Route(
                .delete, "/api/devices/{deviceName}/external-sources/{sourceName}", group: blocksGroup,
                summary: "Delete an external source file (a snapshot keeps its content).", query: [projectIDQuery],
                responseSchema: Schema.object(["name": Schema.string, "deleted": Schema.boolean]),
                errorStatuses: [404, 409, 500], mutates: true
            ) { request, engine in
                let id = projectID(request)
                let deviceName = request.path("deviceName")
                let sourceName = request.path("sourceName")
                try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.deleteExternalSource(
                        sourceName, device: deviceName, sessionID: id, actor: request.actor)
                }
                return RouteResponse(json: ["name": .string(sourceName), "deleted": true])
            },
            Route(
                .post, "/api/devices/{deviceName}/external-sources/{sourceName}/generate", group: blocksGroup,
                summary: "Generate the blocks and types of an external source (one source file per object); a source "
                    + "with errors generates nothing, existing names need 'overwrite'.",
                query: [projectIDQuery],
                requestSchema: ["type": "object", "properties": ["overwrite": Schema.boolean]],
                responseSchema: Schema.list("generated", BlockRouteSupport.generatedItem),
                errorStatuses: [404, 409, 500], mutates: true
            ) { request, engine in
                if request.body != nil, request.body != .null { _ = try request.fields() }
                let overwrite = try request.bool("overwrite") ?? false
                let id = projectID(request)
                let deviceName = request.path("deviceName")
                let sourceName = request.path("sourceName")
                let generated = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.generateBlocks(
                        fromExternalSource: sourceName, device: deviceName, overwrite: overwrite, sessionID: id,
                        actor: request.actor)
                }
                return RouteResponse.list("generated", generated.map(BlockRouteSupport.generatedJSON))
            },
        ]
    }
}
