import Foundation
import S7Model
import Workbench

extension Schema {
    static let watchEntry = object([
        "index": integer, "operand": string, "displayFormat": nullableString, "modifyValue": nullableString,
        "forceValue": nullableString, "comment": nullableString, "isCommentRow": boolean,
    ])
    /// A row with its live value: null value, quality and timestamp when the PLC holds no download (or for a
    /// comment row).
    static let watchEntryLive = object([
        "index": integer, "operand": string, "displayFormat": nullableString, "modifyValue": nullableString,
        "forceValue": nullableString, "comment": nullableString, "isCommentRow": boolean, "value": nullableString,
        "quality": nullableString, "timestamp": nullableString, "error": nullableString,
    ])
    static let watchTableDetails = object([
        "name": string, "type": string, "folder": string, "file": string, "entryCount": integer,
        "liveValues": boolean, "target": string, "downloadedAt": nullableString, "entries": array(watchEntryLive),
    ])
    static let watchTableModified = object([
        "name": string, "target": string, "count": integer, "written": array(watchEntry),
    ])
    static let watchEntriesAdded = object([
        "name": string, "type": string, "added": integer, "entryCount": integer, "entries": array(watchEntry),
    ])
    static let watchEntriesRemoved = object([
        "name": string, "type": string, "removed": integer, "entryCount": integer, "entries": array(watchEntry),
    ])
    static let watchTableExport = object([
        "name": string, "type": string, "filePath": nullableString, "sizeBytes": integer, "xml": nullableString,
    ])
    static let watchTableImport = object(["table": watchTable, "created": boolean, "replaced": boolean])
}

/// Request parsing, schemas and answers of the watch and force table routes; the routes of both kinds come from
/// the same builders.
enum WatchTableRouteSupport {
    static let folderQuery = QueryParameter(
        "folderPath",
        "The folder below \"Watch and force tables\", e.g. Commissioning/Filler (also accepted as 'folderPath' in the "
            + "body).")

    static let entrySchemaFields: JSONValue = [
        "operand": [
            "type": "string", "minLength": 1,
            "description": "A tag, DB member or address: \"Start\", \"LineData\".State, %MW10.",
        ],
        "displayFormat": [
            "type": "string",
            "description": .string(
                "TIA's display format: " + Engine.watchDisplayFormats.joined(separator: ", ")
                    + " (also DEC+/-, Floating-point, … as TIA's table shows them)."),
        ],
        "modifyValue": [
            "type": ["string", "number", "boolean", "null"], "description": "An S7 literal: 20, TRUE, T#5s, 'text'.",
        ],
        "comment": ["type": ["string", "null"]],
    ]

    static let entriesBody: JSONValue = {
        var properties: [(String, JSONValue)] = [
            (
                "entries",
                [
                    "type": "array", "minItems": 1,
                    "items": ["type": "object", "properties": entrySchemaFields, "required": ["operand"]],
                ]
            )
        ]
        if case .object(let fields) = entrySchemaFields { properties += fields }
        return [
            "type": "object", "properties": .object(properties),
            "anyOf": [["required": ["entries"]], ["required": ["operand"]]],
        ]
    }()

    static let removeBody: JSONValue = [
        "type": "object",
        "properties": [
            "operands": ["type": "array", "items": ["type": "string", "minLength": 1]],
            "indexes": [
                "type": "array", "items": ["type": "integer", "minimum": 0],
                "description": "0-based row positions, as GET …/watch-tables/{tableName} numbers the entries.",
            ],
        ],
        "anyOf": [["required": ["operands"]], ["required": ["indexes"]]],
    ]

    /// `watch-tables` or `force-tables`.
    static func segment(_ kind: WatchTable.Kind) -> String { kind == .watch ? "watch-tables" : "force-tables" }

    static func word(_ kind: WatchTable.Kind) -> String { kind == .watch ? "watch table" : "force table" }

    // MARK: Parsing

    /// A row object; `path` names it in messages (empty for the body itself).
    static func entry(_ value: JSONValue, at path: String) throws(APIError) -> WatchEntry {
        func key(_ name: String) -> String { path.isEmpty ? name : path + "." + name }
        guard case .object = value else { throw APIError.badRequest("'\(path)' must be an object") }
        guard
            let operand = try BlockRouteSupport.optionalText(
                value["operand"] ?? value["address"] ?? value["name"], at: key("operand")),
            !operand.trimmingCharacters(in: .whitespaces).isEmpty
        else { throw APIError.badRequest("'\(key("operand"))' is required") }
        return WatchEntry(
            operand: operand,
            displayFormat: try BlockRouteSupport.optionalText(value["displayFormat"], at: key("displayFormat")),
            modifyValue: try BlockRouteSupport.literal(value["modifyValue"], at: key("modifyValue")),
            comment: try BlockRouteSupport.optionalText(value["comment"], at: key("comment")))
    }

    /// The rows of an add: `entries`, or the body as one row.
    static func entries(_ request: RouteRequest) throws(APIError) -> [WatchEntry] {
        _ = try request.fields()
        if let items = try request.array("entries") {
            guard !items.isEmpty else { throw APIError.badRequest("'entries' is empty") }
            var entries: [WatchEntry] = []
            for (index, item) in items.enumerated() { entries.append(try entry(item, at: "entries[\(index)]")) }
            return entries
        }
        guard request.field("operand") != nil, let body = request.body else {
            throw APIError.badRequest("'entries' (a list of rows) or one row's 'operand' is required")
        }
        return [try entry(body, at: "")]
    }

    static func texts(_ items: [JSONValue]?, key: String) throws(APIError) -> [String] {
        var result: [String] = []
        for (index, item) in (items ?? []).enumerated() {
            guard let text = item.stringValue, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw APIError.badRequest("'\(key)[\(index)]' must be a non-empty string")
            }
            result.append(text)
        }
        return result
    }

    static func indexes(_ items: [JSONValue]?, key: String) throws(APIError) -> [Int] {
        var result: [Int] = []
        for (index, item) in (items ?? []).enumerated() {
            guard let number = item.intValue, number >= 0 else {
                throw APIError.badRequest("'\(key)[\(index)]' must be a row position (0 or more)")
            }
            result.append(number)
        }
        return result
    }

    // MARK: Route builders

    static func listRoute(_ kind: WatchTable.Kind) -> Route {
        let key = kind == .watch ? "watchTables" : "forceTables"
        return Route(
            .get, "/api/devices/{deviceName}/\(segment(kind))", group: RouteCatalog.watchTablesGroup,
            summary: "List the \(word(kind))s of the device.", query: [RouteCatalog.projectIDQuery],
            responseSchema: Schema.list(key, Schema.watchTable), errorStatuses: [404, 409]
        ) { request, engine in
            let tables = try await RouteCatalog.device(request, engine).watchTables.filter { $0.kind == kind }
            return RouteResponse.list(key, tables.map(ModelJSON.watchTable))
        }
    }

    static func createRoute(_ kind: WatchTable.Kind) -> Route {
        Route(
            .post, "/api/devices/{deviceName}/\(segment(kind))", group: RouteCatalog.watchTablesGroup,
            summary: "Create an empty \(word(kind)), in 'folder' (below \"Watch and force tables\") when given; its "
                + "file is written on the next save.",
            query: [RouteCatalog.projectIDQuery],
            requestSchema: [
                "type": "object",
                "properties": [
                    "name": BlockRouteSupport.nameSchema,
                    "folder": ["type": "string", "description": "Folder path, e.g. Commissioning/Filler."],
                ],
                "required": ["name"],
            ],
            responseSchema: Schema.watchTable, successStatus: 201, errorStatuses: [404, 409], mutates: true
        ) { request, engine in
            _ = try request.fields()
            let name = try request.requiredString("name")
            let group = try BlockRouteSupport.group(request.string("folder") ?? request.string("folderPath"))
            let call = BlockRouteSupport.DeviceCall(request)
            let table = try await WorkbenchAPI.engine { () async throws(EngineError) in
                try await engine.create(
                    kind == .watch ? .watchTable : .forceTable, named: name, device: call.device, group: group,
                    sessionID: call.sessionID, actor: call.actor)
                return try await engine.watchOrForceTable(
                    name, kind: kind, device: call.device, sessionID: call.sessionID)
            }
            return RouteResponse(status: 201, json: ModelJSON.watchTable(table))
        }
    }

    static func detailsRoute(_ kind: WatchTable.Kind) -> Route {
        Route(
            .get, "/api/devices/{deviceName}/\(segment(kind))/{tableName}", group: RouteCatalog.watchTablesGroup,
            summary: "The \(word(kind)) with its entries and, when the device's virtual PLC holds a download, each "
                + "entry's live value with its quality (good, bad: not found, bad: not reachable) and timestamp, from "
                + "one image; a device online with a real PLC reads the values there over S7comm (target 'plc').",
            query: [RouteCatalog.projectIDQuery], responseSchema: Schema.watchTableDetails,
            errorStatuses: [404, 409]
        ) { request, engine in
            let call = BlockRouteSupport.DeviceCall(request)
            let tableName = request.path("tableName")
            let reading = try await WorkbenchAPI.engine { () async throws(EngineError) in
                try await engine.readWatchTable(tableName, kind: kind, device: call.device, sessionID: call.sessionID)
            }
            return RouteResponse(json: detailsJSON(reading))
        }
    }

    /// TIA's "Modify now": the rows' modify values written to the PLC the device is online with.
    static var modifyRoute: Route {
        Route(
            .post, "/api/devices/{deviceName}/watch-tables/{tableName}/actions/modify",
            group: RouteCatalog.watchTablesGroup,
            summary: "Modify now: write the modify value of the rows given by index ('rows'; by default every row "
                + "that has one) once, to the real PLC the device is online with over S7comm, else to its virtual "
                + "PLC at the next cycle start. Every value is checked first; nothing is written when one is refused.",
            query: [RouteCatalog.projectIDQuery],
            requestSchema: [
                "type": "object",
                "properties": ["rows": ["type": "array", "items": ["type": "integer", "minimum": 0]]],
            ],
            responseSchema: Schema.watchTableModified, errorStatuses: [400, 404, 409, 422, 502], mutates: true
        ) { request, engine in
            if request.body != nil, request.body != .null { _ = try request.fields() }
            var rows: [Int]?
            if let items = try request.array("rows") {
                rows = try items.enumerated().map { (index, item) throws(APIError) -> Int in
                    guard let row = item.intValue, row >= 0 else {
                        throw APIError.badRequest("'rows[\(index)]' must be a row index (0 or more)")
                    }
                    return row
                }
            }
            let chosen = rows
            let call = BlockRouteSupport.DeviceCall(request)
            let tableName = request.path("tableName")
            let (written, endpoints) = try await WorkbenchAPI.engine { () async throws(EngineError) in
                let written = try await engine.modifyWatchTable(
                    tableName, rows: chosen, device: call.device, sessionID: call.sessionID, actor: call.actor)
                return (written, try await engine.plcEndpoints(sessionID: call.sessionID))
            }
            let real = endpoints.keys.contains { $0.caseInsensitiveCompare(call.device) == .orderedSame }
            return RouteResponse(json: [
                "name": .string(tableName), "target": .string((real ? OnlineTarget.plc : .virtual).rawValue),
                "count": .int(Int64(written.count)),
                "written": .array(written.map { JSONValue.object(entryFields($0.entry, index: $0.index)) }),
            ])
        }
    }

    static func deleteRoute(_ kind: WatchTable.Kind) -> Route {
        BlockRouteSupport.deleteObjectRoute(
            "/api/devices/{deviceName}/\(segment(kind))/{tableName}", group: RouteCatalog.watchTablesGroup,
            summary: "Delete a \(word(kind)); its file is removed on the next save (a snapshot keeps it).",
            parameter: "tableName"
        ) { (engine, tableName, call) async throws(EngineError) -> String in
            let table = try await engine.watchOrForceTable(
                tableName, kind: kind, device: call.device, sessionID: call.sessionID)
            try await engine.delete(
                .watchTable(table.name), device: call.device, sessionID: call.sessionID, actor: call.actor)
            return table.name
        }
    }

    static func exportRoute(_ kind: WatchTable.Kind) -> Route {
        Route(
            .post, "/api/devices/{deviceName}/\(segment(kind))/{tableName}/actions/export",
            group: RouteCatalog.watchTablesGroup,
            summary: "Export the \(word(kind)) as SimaticML: to 'filePath' (an .xml file or a folder, inside the "
                + "project folder or the files root), or in the answer when no path is given.",
            query: [RouteCatalog.projectIDQuery],
            requestSchema: [
                "type": "object",
                "properties": [
                    "filePath": [
                        "type": "string",
                        "description": "An .xml file, or a folder (the file is named after the table).",
                    ]
                ],
            ],
            responseSchema: Schema.watchTableExport, errorStatuses: [403, 404, 409, 500], mutates: true
        ) { request, engine in
            if request.body != nil, request.body != .null { _ = try request.fields() }
            let filePath = try BlockRouteSupport.text(request, "filePath", "path")
            let call = BlockRouteSupport.DeviceCall(request)
            let tableName = request.path("tableName")
            let export = try await WorkbenchAPI.engine { () async throws(EngineError) in
                try await engine.exportWatchTable(
                    tableName, kind: kind, to: filePath, device: call.device, sessionID: call.sessionID,
                    actor: call.actor)
            }
            var xml: String?
            if export.filePath == nil {
                var text = String(decoding: export.bytes, as: UTF8.self)
                if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
                xml = text
            }
            return RouteResponse(json: [
                "name": .string(export.table.name), "type": .string(export.table.kind.rawValue),
                "filePath": JSONValue(export.filePath), "sizeBytes": .int(Int64(export.bytes.count)),
                "xml": JSONValue(xml),
            ])
        }
    }

    // MARK: Answers

    static func entryFields(_ entry: WatchEntry, index: Int) -> [(String, JSONValue)] {
        [
            ("index", .int(Int64(index))), ("operand", .string(entry.operand)),
            ("displayFormat", JSONValue(entry.displayFormat)), ("modifyValue", JSONValue(entry.modifyValue)),
            ("forceValue", JSONValue(entry.forceValue)), ("comment", JSONValue(entry.comment)),
            ("isCommentRow", .bool(entry.isCommentRow)),
        ]
    }

    static func detailsJSON(_ reading: WatchTableReading) -> JSONValue {
        let table = reading.table
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        let entries = table.entries.enumerated().map { (index, entry) -> JSONValue in
            let live = reading.values.flatMap { index < $0.count ? $0[index] : nil }
            return .object(
                entryFields(entry, index: index) + [
                    ("value", JSONValue(live?.value?.format())), ("quality", JSONValue(live?.quality.rawValue)),
                    ("timestamp", JSONValue(live.map { $0.timestamp.formatted(fractional) })),
                    ("error", JSONValue(live?.error)),
                ])
        }
        return [
            "name": .string(table.name), "type": .string(table.kind.rawValue),
            "folder": .string(table.group.joined(separator: "/")), "file": .string(table.file.path),
            "entryCount": .int(Int64(table.operandEntries.count)), "liveValues": .bool(reading.values != nil),
            "target": .string(reading.target.rawValue),
            "downloadedAt": JSONValue(reading.downloadedAt?.formatted(.iso8601)), "entries": .array(entries),
        ]
    }

    /// The answer of a row change: `key` (`added`, `removed`) says how many rows.
    static func entriesChangeJSON(_ table: WatchTable, key: String, count: Int) -> JSONValue {
        .object([
            ("name", .string(table.name)), ("type", .string(table.kind.rawValue)), (key, .int(Int64(count))),
            ("entryCount", .int(Int64(table.operandEntries.count))),
            (
                "entries",
                .array(table.entries.enumerated().map { JSONValue.object(entryFields($0.element, index: $0.offset)) })
            ),
        ])
    }
}

extension RouteCatalog {
    static let watchTablesGroup = "Watch & Force Tables"

    /// T-IA's Watch & Force Tables group: watch and force tables listed, created, read with live values from the
    /// device's virtual PLC, deleted and exported; watch table rows added, removed and cleared; SimaticML import;
    /// folders under "Watch and force tables".
    static var watchTableRoutes: [Route] {
        let kinds: [WatchTable.Kind] = [.watch, .force]
        var routes: [Route] = []
        for kind in kinds {
            routes += [
                WatchTableRouteSupport.listRoute(kind), WatchTableRouteSupport.createRoute(kind),
                WatchTableRouteSupport.detailsRoute(kind), WatchTableRouteSupport.deleteRoute(kind),
                WatchTableRouteSupport.exportRoute(kind),
            ]
        }
        return routes + watchEntryRoutes + [WatchTableRouteSupport.modifyRoute] + [
            Route(
                .post, "/api/devices/{deviceName}/watch-force-tables/actions/import", group: watchTablesGroup,
                summary: "Import a watch or force table from a SimaticML document: 'filePath' (inside the project "
                    + "folder or the files root) or 'xml' text. A new table goes to 'folder'; an existing one of "
                    + "that name gets the imported rows only with 'overwrite'. Nothing changes when it is refused.",
                query: [projectIDQuery],
                requestSchema: [
                    "type": "object",
                    "properties": [
                        "filePath": ["type": "string", "minLength": 1],
                        "xml": ["type": "string", "minLength": 1, "description": "The SimaticML document itself."],
                        "folder": ["type": "string", "description": "Folder below \"Watch and force tables\"."],
                        "overwrite": Schema.boolean,
                    ],
                    "anyOf": [["required": ["filePath"]], ["required": ["xml"]]],
                ],
                responseSchema: Schema.watchTableImport, errorStatuses: [403, 404, 409, 500], mutates: true
            ) { request, engine in
                _ = try request.fields()
                let filePath = try BlockRouteSupport.text(request, "filePath", "path")
                let xml = try BlockRouteSupport.text(request, "xml", "content")
                let group = try BlockRouteSupport.group(request.string("folder") ?? request.string("folderPath"))
                let overwrite = try request.bool("overwrite") ?? false
                let call = BlockRouteSupport.DeviceCall(request)
                let result: WatchTableImport
                switch (filePath, xml) {
                case (let filePath?, nil):
                    result = try await WorkbenchAPI.engine { () async throws(EngineError) in
                        try await engine.importWatchTable(
                            filePath: filePath, group: group, overwrite: overwrite, device: call.device,
                            sessionID: call.sessionID, actor: call.actor)
                    }
                case (nil, let xml?):
                    result = try await WorkbenchAPI.engine { () async throws(EngineError) in
                        try await engine.importWatchTable(
                            xml: Array(xml.utf8), group: group, overwrite: overwrite, device: call.device,
                            sessionID: call.sessionID, actor: call.actor)
                    }
                case (.some, .some):
                    throw APIError.badRequest("give 'filePath' or 'xml', not both")
                case (nil, nil):
                    throw APIError.badRequest("'filePath' (a SimaticML file) or 'xml' (the document) is required")
                }
                return RouteResponse(json: [
                    "table": ModelJSON.watchTable(result.table), "created": .bool(result.created),
                    "replaced": .bool(result.replaced),
                ])
            },
            BlockRouteSupport.createFolderRoute(
                "/api/devices/{deviceName}/watch-force-tables/folders", group: watchTablesGroup,
                summary: "Create a folder below \"Watch and force tables\" ('folderPath' in the body or the query, "
                    + "e.g. Commissioning/Filler); the directory is created at once.",
                query: [projectIDQuery, WatchTableRouteSupport.folderQuery], requestSchema: folderPathBody
            ) { (engine, folder, call) async throws(EngineError) -> String in
                try await engine.createFolder(
                    folder, in: .watchTables, device: call.device, sessionID: call.sessionID, actor: call.actor)
            },
            BlockRouteSupport.deleteFolderRoute(
                "/api/devices/{deviceName}/watch-force-tables/folders", group: watchTablesGroup,
                summary: "Delete an empty folder below \"Watch and force tables\" ('folderPath' in the body or the "
                    + "query); a folder holding tables or files is refused.",
                query: [projectIDQuery, WatchTableRouteSupport.folderQuery], requestSchema: folderPathBody
            ) { (engine, folder, call) async throws(EngineError) in
                try await engine.deleteFolder(
                    folder, in: .watchTables, device: call.device, sessionID: call.sessionID, actor: call.actor)
            },
        ]
    }

    /// Adding, removing and clearing the rows of a watch table.
    static var watchEntryRoutes: [Route] {
        [
            Route(
                .post, "/api/devices/{deviceName}/watch-tables/{tableName}/entries", group: watchTablesGroup,
                summary: "Add rows to a watch table: 'entries' [{operand, displayFormat, modifyValue, comment}], or "
                    + "one row's fields. Each needs an operand and, when given, one of TIA's display formats; all "
                    + "rows or none are added.",
                query: [projectIDQuery], requestSchema: WatchTableRouteSupport.entriesBody,
                responseSchema: Schema.watchEntriesAdded, errorStatuses: [404, 409], mutates: true
            ) { request, engine in
                let entries = try WatchTableRouteSupport.entries(request)
                let call = BlockRouteSupport.DeviceCall(request)
                let tableName = request.path("tableName")
                let table = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.addWatchEntries(
                        entries, to: tableName, kind: .watch, device: call.device, sessionID: call.sessionID,
                        actor: call.actor)
                }
                return RouteResponse(
                    json: WatchTableRouteSupport.entriesChangeJSON(table, key: "added", count: entries.count))
            },
            Route(
                .post, "/api/devices/{deviceName}/watch-tables/{tableName}/entries/actions/remove",
                group: watchTablesGroup,
                summary: "Remove rows of a watch table: those naming one of 'operands' and those at 'indexes' "
                    + "(0-based). An operand no row names, or an index out of the table, is refused (nothing changes).",
                query: [projectIDQuery], requestSchema: WatchTableRouteSupport.removeBody,
                responseSchema: Schema.watchEntriesRemoved, errorStatuses: [404, 409], mutates: true
            ) { request, engine in
                _ = try request.fields()
                let operands = try WatchTableRouteSupport.texts(request.array("operands"), key: "operands")
                let indexes = try WatchTableRouteSupport.indexes(request.array("indexes"), key: "indexes")
                guard !operands.isEmpty || !indexes.isEmpty else {
                    throw APIError.badRequest("name the rows to remove: 'operands' or 'indexes'")
                }
                let call = BlockRouteSupport.DeviceCall(request)
                let tableName = request.path("tableName")
                let (table, removed) = try await WorkbenchAPI.engine {
                    () async throws(EngineError) -> (table: WatchTable, removed: Int) in
                    try await engine.removeWatchEntries(
                        operands: operands, indexes: indexes, from: tableName, kind: .watch, device: call.device,
                        sessionID: call.sessionID, actor: call.actor)
                }
                return RouteResponse(
                    json: WatchTableRouteSupport.entriesChangeJSON(table, key: "removed", count: removed))
            },
            Route(
                .post, "/api/devices/{deviceName}/watch-tables/{tableName}/entries/actions/clear",
                group: watchTablesGroup, summary: "Remove every row of a watch table.", query: [projectIDQuery],
                responseSchema: Schema.watchEntriesRemoved, errorStatuses: [404, 409], mutates: true
            ) { request, engine in
                let call = BlockRouteSupport.DeviceCall(request)
                let tableName = request.path("tableName")
                let (table, removed) = try await WorkbenchAPI.engine {
                    () async throws(EngineError) -> (table: WatchTable, removed: Int) in
                    try await engine.clearWatchTable(
                        tableName, kind: .watch, device: call.device, sessionID: call.sessionID, actor: call.actor)
                }
                return RouteResponse(
                    json: WatchTableRouteSupport.entriesChangeJSON(table, key: "removed", count: removed))
            },
        ]
    }
}
