import Foundation
import S7Compiler
import S7Diagnostics
import S7Model
import Workbench

extension Schema {
    static let catalogEntry = object([
        "orderNumber": string, "name": string, "family": string, "kind": string, "isPLC": boolean,
        "firmwareVersions": array(string), "workMemoryProgramBytes": nullableInteger,
        "workMemoryDataBytes": nullableInteger, "loadMemory": nullableString, "description": string,
    ])
    static let catalogMatch = object([
        "orderNumber": string, "name": string, "family": string, "kind": string, "isPLC": boolean,
        "firmwareVersions": array(string), "workMemoryProgramBytes": nullableInteger,
        "workMemoryDataBytes": nullableInteger, "loadMemory": nullableString, "description": string,
        "score": number,
    ])
    static let hardwareMessage = object(["severity": string, "message": string])
    static let deviceChangeAnswer = object(["device": deviceSummary, "message": string])
    static let softwareCompile: JSONValue = {
        var schema = object([
            "errorCount": integer, "warningCount": integer, "compiledBlocks": array(string),
            "skippedBlocks": array(string),
            "diagnostics": array(
                object([
                    "file": string, "line": integer, "column": integer, "severity": string, "code": string,
                    "message": string,
                ])),
        ])
        if case .object(var members) = schema, let index = members.firstIndex(where: { $0.0 == "type" }) {
            members[index].1 = ["object", "null"]
            schema = .object(members)
        }
        return schema
    }()
    static let hardwareCompile = object([
        "deviceName": string, "state": string, "errorCount": integer, "warningCount": integer,
        "messages": array(hardwareMessage), "software": softwareCompile,
    ])
    static let networkInterface = object([
        "name": string, "ipAddress": nullableString, "subnetMask": nullableString, "prefixLength": nullableInteger,
        "subnet": nullableString,
    ])
    static let hardwareDetails = object([
        "name": string, "kind": string, "folder": string, "orderNumber": nullableString, "firmware": nullableString,
        "slot": nullableInteger, "catalogEntry": ["anyOf": [catalogEntry, ["type": "null"]]],
        "availableFirmware": array(string), "interfaces": array(networkInterface),
    ])
    static let compatibleModule = object([
        "orderNumber": string, "name": string, "family": string, "kind": string, "firstSlot": integer,
        "lastSlot": integer, "slots": array(integer),
    ])
    static let catalogCache = object(["loaded": boolean, "entryCount": integer, "message": string])
    /// An SVG drawing, answered as `image/svg+xml`.
    static let catalogImageSVG: JSONValue = ["type": "string", "contentMediaType": "image/svg+xml"]
}

extension RouteCatalog {
    /// The Devices routes that change the device list or its hardware, the hardware catalog, AutomationML export and
    /// import, and the parking lot (empty in s7wb).
    static var deviceManagementRoutes: [Route] {
        var routes = hardwareEditRoutes + hardwareCatalogRoutes
        if let list = engineeringReadRoutes.first(where: { $0.key == "GET:/api/projects/devices" }) {
            routes.append(
                list.job(
                    .get, "/api/projects/devices/async",
                    summary: "List all devices in the current project (asynchronous)."))
        }
        routes += [
            Route(
                .get, "/api/projects/devices/parking-lot", group: devicesGroup,
                summary: "Unplaced devices of the project: s7wb projects have none (every device is in the manifest), "
                    + "so the list is always empty.",
                query: [projectIDQuery],
                responseSchema: Schema.object([
                    "devices": Schema.array(["type": "object"]), "count": Schema.integer, "note": Schema.string,
                ]),
                errorStatuses: [404, 409]
            ) { request, engine in
                _ = try await session(request, engine)
                return RouteResponse(json: [
                    "devices": [], "count": 0,
                    "note": "s7wb has no parking lot: every device of the project is placed in its manifest",
                ])
            },
            Route(
                .post, "/api/projects/devices/parking-lot/actions/clear", group: devicesGroup,
                summary: "Clear the parking lot: nothing to clear in s7wb (it holds no unplaced devices).",
                query: [projectIDQuery],
                responseSchema: Schema.object(["cleared": Schema.integer, "message": Schema.string]),
                errorStatuses: [404, 409], mutates: true
            ) { request, engine in
                _ = try await session(request, engine)
                return RouteResponse(json: [
                    "cleared": 0, "message": "the parking lot is empty: s7wb projects hold no unplaced devices",
                ])
            },
        ]
        return routes
    }

    // MARK: Devices and their hardware

    static let deviceAddSchema: JSONValue = [
        "type": "object", "required": ["orderNumber"],
        "properties": [
            "orderNumber": ["type": "string", "description": "Article number, e.g. 6ES7 516-3AN02-0AB0."],
            "name": ["type": "string", "description": "Device name; PLC_n or HMI_n when omitted."],
            "firmwareVersion": [
                "type": "string", "description": "e.g. V3.1; the newest the catalog offers when omitted.",
            ],
        ],
    ]

    static let deviceRenameSchema: JSONValue = [
        "type": "object", "required": ["currentName", "newName"],
        "properties": [
            "currentName": ["type": "string", "description": "The device's name (also accepted as oldName or name)."],
            "newName": ["type": "string"],
        ],
    ]

    static let deviceNetworkSchema: JSONValue = [
        "type": "object", "required": ["ipAddress", "subnetMask"],
        "properties": [
            "ipAddress": ["type": "string", "description": "IPv4 address of the PROFINET interface."],
            "subnetMask": ["type": "string", "description": "e.g. 255.255.255.0"],
        ],
    ]

    static let hardwareExportSchema: JSONValue = [
        "type": "object",
        "properties": [
            "path": [
                "type": "string",
                "description": .string(
                    "The .aml file (or a folder) to write, relative to the project folder; the XML is answered "
                        + "instead when omitted."),
            ],
            "filePath": ["type": "string", "description": "Same as path."],
        ],
    ]

    static let hardwareImportSchema: JSONValue = [
        "type": "object",
        "properties": [
            "path": [
                "type": "string", "minLength": 1,
                "description": "An AutomationML (.aml) file, relative to the project folder.",
            ],
            "filePath": ["type": "string", "minLength": 1, "description": "Same as path."],
            "xml": ["type": "string", "minLength": 1, "description": "The AutomationML document itself."],
            "name": ["type": "string", "description": "New name for the device of a file that holds one."],
        ],
        "anyOf": [["required": ["path"]], ["required": ["filePath"]], ["required": ["xml"]]],
    ]

    static var hardwareEditRoutes: [Route] {
        let add = Route(
            .post, "/api/projects/devices/actions/add-sync", group: devicesGroup,
            summary: "Add a new device to the project by order number: a CPU becomes a PLC with an empty Main (OB1), "
                + "an HMI panel an HMI device.",
            query: [projectIDQuery], requestSchema: deviceAddSchema, responseSchema: Schema.deviceChangeAnswer,
            errorStatuses: [404, 409], mutates: true
        ) { request, engine in
            _ = try request.fields()
            let orderNumber = try request.requiredString("orderNumber")
            let name = try request.string("name").flatMap { $0.isEmpty ? nil : $0 }
            let firmware = try request.string("firmwareVersion") ?? request.string("firmware")
            let id = projectID(request)
            let device = try await WorkbenchAPI.engine { () async throws(EngineError) in
                try await engine.addDevice(
                    orderNumber: orderNumber, name: name, firmware: firmware, sessionID: id, actor: request.actor)
            }
            return RouteResponse(
                json: [
                    "device": ModelJSON.deviceSummary(device),
                    "message": .string(
                        "added \(device.name) (\(device.orderNumber ?? ""), \(device.firmware ?? "no firmware"))"),
                ])
        }
        let delete = Route(
            .delete, "/api/devices/{deviceName}", group: devicesGroup,
            summary: "Delete a device from the project (its VCI folders are removed on the next save).",
            query: [projectIDQuery],
            responseSchema: Schema.object(["deleted": Schema.string, "message": Schema.string]),
            errorStatuses: [404, 409], mutates: true
        ) { request, engine in
            let id = projectID(request)
            let name = request.path("deviceName")
            let device = try await WorkbenchAPI.engine { () async throws(EngineError) -> Device in
                let device = try await engine.device(name, sessionID: id)
                try await engine.deleteDevice(device.name, sessionID: id, actor: request.actor)
                return device
            }
            return RouteResponse(json: [
                "deleted": .string(device.name),
                "message": .string("deleted \(device.name); its files are removed when the project is saved"),
            ])
        }
        let rename = Route(
            .post, "/api/devices/actions/rename", group: devicesGroup,
            summary: "Rename an existing device (its folder keeps its name).", query: [projectIDQuery],
            requestSchema: deviceRenameSchema,
            responseSchema: Schema.object([
                "oldName": Schema.string, "newName": Schema.string, "device": Schema.deviceSummary,
            ]),
            errorStatuses: [404, 409], mutates: true
        ) { request, engine in
            _ = try request.fields()
            guard
                let current = try request.string("currentName") ?? request.string("oldName")
                    ?? request.string("name"),
                !current.isEmpty
            else {
                throw APIError.badRequest("'currentName' is required")
            }
            let newName = try request.requiredString("newName")
            let id = projectID(request)
            let (oldName, device) = try await WorkbenchAPI.engine {
                () async throws(EngineError) -> (String, Device) in
                let oldName = try await engine.device(current, sessionID: id).name
                try await engine.renameDevice(oldName, to: newName, sessionID: id, actor: request.actor)
                return (oldName, try await engine.device(newName, sessionID: id))
            }
            return RouteResponse(json: [
                "oldName": .string(oldName), "newName": .string(device.name),
                "device": ModelJSON.deviceSummary(device),
            ])
        }
        let compile = Route(
            .post, "/api/devices/{deviceName}/actions/compile-sync", group: devicesGroup,
            summary: "Compile a device (synchronous): the hardware configuration (order number, firmware, IP address "
                + "and subnet mask, IP addresses used twice) and, for a PLC, its program with the compiler's "
                + "diagnostics (file, line, column, code).",
            query: [projectIDQuery], responseSchema: Schema.hardwareCompile, errorStatuses: [404, 409]
        ) { request, engine in
            let id = projectID(request)
            let name = request.path("deviceName")
            let (device, messages, software) = try await WorkbenchAPI.engine {
                () async throws(EngineError) -> (String, [HardwareMessage], CompilationResult?) in
                let device = try await engine.device(name, sessionID: id)
                let messages = try await engine.compileHardware(device: device.name, sessionID: id)
                let software =
                    device.kind == .plc ? try await engine.compile(device: device.name, sessionID: id).result : nil
                return (device.name, messages, software)
            }
            let errors = messages.count { $0.severity == .error } + (software?.errorCount ?? 0)
            let warnings = messages.count { $0.severity == .warning } + (software?.warningCount ?? 0)
            let items = messages.map { message -> JSONValue in
                ["severity": .string(message.severity.rawValue), "message": .string(message.message)]
            }
            return RouteResponse(json: [
                "deviceName": .string(device),
                "state": .string(errors > 0 ? "error" : warnings > 0 ? "warning" : "success"),
                "errorCount": .int(Int64(errors)), "warningCount": .int(Int64(warnings)),
                "messages": .array(items), "software": software.map(softwareJSON) ?? .null,
            ])
        }
        let network = Route(
            .post, "/api/devices/{deviceName}/actions/configure-network-sync", group: devicesGroup,
            summary: "Configure the IP address and subnet mask of a device's PROFINET interface.",
            query: [projectIDQuery], requestSchema: deviceNetworkSchema, responseSchema: Schema.deviceChangeAnswer,
            errorStatuses: [404, 409], mutates: true
        ) { request, engine in
            _ = try request.fields()
            let address = try request.requiredString("ipAddress")
            let mask = try request.requiredString("subnetMask")
            let id = projectID(request)
            let name = request.path("deviceName")
            let device = try await WorkbenchAPI.engine { () async throws(EngineError) -> Device in
                let device = try await engine.device(name, sessionID: id)
                try await engine.setDeviceNetwork(
                    device.name, ipAddress: address, subnetMask: mask, sessionID: id, actor: request.actor)
                return try await engine.device(device.name, sessionID: id)
            }
            return RouteResponse(json: [
                "device": ModelJSON.deviceSummary(device),
                "message": .string("\(device.name): \(address) / \(mask)"),
            ])
        }
        let export = Route(
            .post, "/api/devices/{deviceName}/actions/export-hardware", group: devicesGroup,
            summary: "Export device hardware configuration as AML (CAEX 3.0) to a file, or answer the XML when no path "
                + "is given.",
            query: [projectIDQuery], requestSchema: hardwareExportSchema,
            responseSchema: Schema.object([
                "deviceName": Schema.string, "path": Schema.nullableString, "bytes": Schema.integer,
                "xml": Schema.nullableString,
            ]),
            errorStatuses: [403, 404, 409, 500]
        ) { request, engine in
            if request.body != nil { _ = try request.fields() }
            let path = try (request.string("path") ?? request.string("filePath")).flatMap { $0.isEmpty ? nil : $0 }
            let id = projectID(request)
            let name = request.path("deviceName")
            let (device, result) = try await WorkbenchAPI.engine {
                () async throws(EngineError) -> (String, (path: String?, xml: String)) in
                let device = try await engine.device(name, sessionID: id).name
                let result = try await engine.exportHardware(
                    device: device, to: path, sessionID: id, actor: request.actor)
                return (device, result)
            }
            let xml: JSONValue = result.path == nil ? .string(result.xml) : .null
            return RouteResponse(json: [
                "deviceName": .string(device), "path": JSONValue(result.path),
                "bytes": .int(Int64(result.xml.utf8.count)), "xml": xml,
            ])
        }
        let importHardware = Route(
            .post, "/api/projects/devices/actions/import-hardware-sync", group: devicesGroup,
            summary: "Import the devices of an AutomationML (AML) file or text: all of them or, on any error, none.",
            query: [projectIDQuery], requestSchema: hardwareImportSchema,
            responseSchema: Schema.object([
                "devices": Schema.array(Schema.deviceSummary), "count": Schema.integer, "message": Schema.string,
            ]),
            errorStatuses: [403, 404, 409], mutates: true
        ) { request, engine in
            _ = try request.fields()
            let path = try request.string("path") ?? request.string("filePath")
            let xml = try request.string("xml")
            let name = try request.string("name").flatMap { $0.isEmpty ? nil : $0 }
            let source: HardwareSource
            if let path, !path.isEmpty {
                source = .file(path)
            } else if let xml, !xml.isEmpty {
                source = .text(xml)
            } else {
                throw APIError.badRequest("'path' (an .aml file) or 'xml' (the document) is required")
            }
            let id = projectID(request)
            let devices = try await WorkbenchAPI.engine { () async throws(EngineError) in
                try await engine.importHardware(from: source, name: name, sessionID: id, actor: request.actor)
            }
            return RouteResponse(json: [
                "devices": .array(devices.map(ModelJSON.deviceSummary)), "count": .int(Int64(devices.count)),
                "message": .string("imported " + devices.map(\.name).joined(separator: ", ")),
            ])
        }
        return [
            add,
            add.job(
                .post, "/api/projects/devices/actions/add",
                summary: "Add a new device to the project by order number (asynchronous)."),
            delete,
            delete.job(
                .post, "/api/devices/{deviceName}/actions/delete-async",
                summary: "Delete a device from the project (asynchronous)."),
            rename,
            rename.job(
                .post, "/api/devices/actions/rename-async", summary: "Rename an existing device (asynchronous)."),
            compile,
            compile.job(
                .post, "/api/devices/{deviceName}/actions/compile",
                summary: "Compile device hardware configuration (asynchronous)."),
            network,
            network.job(
                .post, "/api/devices/{deviceName}/actions/configure-network",
                summary: "Configure the IP address and subnet mask of a device (asynchronous)."),
            export,
            export.job(
                .post, "/api/devices/{deviceName}/actions/export-hardware-async",
                summary: "Export device hardware configuration as AML (asynchronous)."),
            importHardware,
            importHardware.job(
                .post, "/api/projects/devices/actions/import-hardware",
                summary: "Import a hardware configuration from an AML file (asynchronous)."),
            Route(
                .get, "/api/devices/compatible-slots", group: devicesGroup,
                summary: "Modules of the hardware catalog that fit a device, with the slots TIA numbers for them.",
                query: [
                    QueryParameter("deviceName", "The device (a CPU) to fit modules into.", required: true),
                    projectIDQuery,
                ],
                responseSchema: Schema.object([
                    "deviceName": Schema.string, "orderNumber": Schema.nullableString,
                    "family": Schema.nullableString, "cpuSlot": Schema.nullableInteger,
                    "modules": Schema.array(Schema.compatibleModule), "count": Schema.integer,
                ]),
                errorStatuses: [404, 409]
            ) { request, engine in
                guard let name = request.query["deviceName"], !name.isEmpty else {
                    throw APIError.badRequest("the query parameter 'deviceName' is required")
                }
                let id = projectID(request)
                let device = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.device(name, sessionID: id)
                }
                let entry = device.orderNumber.flatMap { HardwareCatalog.find(orderNumber: $0) }
                let modules = entry.map { HardwareCatalog.compatibleModules(for: $0) } ?? []
                let items = modules.map { item -> JSONValue in
                    [
                        "orderNumber": .string(item.module.orderNumber), "name": .string(item.module.name),
                        "family": .string(item.module.family), "kind": .string(item.module.kind.rawValue),
                        "firstSlot": .int(Int64(item.slots.lowerBound)),
                        "lastSlot": .int(Int64(item.slots.upperBound)),
                        "slots": .array(item.slots.map { JSONValue.int(Int64($0)) }),
                    ]
                }
                let cpuSlot: Int? = entry?.kind == .cpu ? 1 : nil
                return RouteResponse(json: [
                    "deviceName": .string(device.name), "orderNumber": JSONValue(device.orderNumber),
                    "family": JSONValue(entry?.family), "cpuSlot": JSONValue(cpuSlot),
                    "modules": .array(items), "count": .int(Int64(items.count)),
                ])
            },
            Route(
                .get, "/api/devices/{deviceName}/hardware-details", group: devicesGroup,
                summary: "Hardware details of a device: catalog entry, firmware, slot and PROFINET interface with its "
                    + "subnet.",
                query: [projectIDQuery], responseSchema: Schema.hardwareDetails, errorStatuses: [404, 409]
            ) { request, engine in
                let id = projectID(request)
                let name = request.path("deviceName")
                let details = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.hardwareDetails(device: name, sessionID: id)
                }
                return RouteResponse(json: hardwareDetailsJSON(details))
            },
        ]
    }

    static func hardwareDetailsJSON(_ details: HardwareDetails) -> JSONValue {
        let interface: JSONValue = [
            "name": .string(details.interfaceName), "ipAddress": JSONValue(details.ipAddress),
            "subnetMask": JSONValue(details.subnetMask), "prefixLength": JSONValue(details.prefixLength),
            "subnet": JSONValue(details.subnet),
        ]
        return [
            "name": .string(details.name), "kind": .string(details.kind.rawValue), "folder": .string(details.folder),
            "orderNumber": JSONValue(details.orderNumber), "firmware": JSONValue(details.firmware),
            "slot": JSONValue(details.slot), "catalogEntry": details.catalogEntry.map(catalogEntryJSON) ?? .null,
            "availableFirmware": JSONValue(details.catalogEntry?.firmwareVersions ?? []),
            "interfaces": [interface],
        ]
    }

    // MARK: Hardware catalog

    static let catalogFindSchema: JSONValue = [
        "type": "object", "required": ["orderNumber"],
        "properties": [
            "orderNumber": [
                "type": "string", "description": "Article number; spaces, dashes and case do not matter.",
            ]
        ],
    ]

    static let catalogSearchSchema: JSONValue = [
        "type": "object", "required": ["query"],
        "properties": [
            "query": ["type": "string", "description": "Keywords or part of an order number: \"1516\", \"KTP700\"."],
            "limit": ["type": "integer", "minimum": 1, "maximum": 100, "description": "At most this many (20)."],
        ],
    ]

    static var hardwareCatalogRoutes: [Route] {
        let find = Route(
            .post, "/api/catalog/actions/find-sync", group: devicesGroup,
            summary: "Find a device in the hardware catalog by exact order number.", requestSchema: catalogFindSchema,
            responseSchema: Schema.catalogEntry, errorStatuses: [404]
        ) { request, _ in
            _ = try request.fields()
            let orderNumber = try request.requiredString("orderNumber")
            guard let entry = HardwareCatalog.find(orderNumber: orderNumber) else {
                throw APIError.notFound("no product with order number '\(orderNumber)' in the hardware catalog")
            }
            return RouteResponse(json: catalogEntryJSON(entry))
        }
        let search = Route(
            .post, "/api/catalog/actions/search-sync", group: devicesGroup,
            summary: "Fuzzy search the hardware catalog by keyword or partial order number, best match first.",
            requestSchema: catalogSearchSchema, responseSchema: Schema.list("results", Schema.catalogMatch)
        ) { request, _ in
            _ = try request.fields()
            guard let query = try request.string("query") else { throw APIError.badRequest("'query' is required") }
            let limit = try request.int("limit") ?? 20
            guard (1...100).contains(limit) else { throw APIError.badRequest("'limit' must be from 1 to 100") }
            let results = HardwareCatalog.search(query, limit: limit).map { match -> JSONValue in
                guard case .object(var members) = catalogEntryJSON(match.entry) else { return .null }
                members.append(("score", .double((match.score * 1000).rounded() / 1000)))
                return .object(members)
            }
            return RouteResponse.list("results", results)
        }
        let cacheMessage = "the hardware catalog is compiled into s7wb and always in memory"
        return [
            find,
            find.job(
                .post, "/api/catalog/actions/find",
                summary: "Find a device in the hardware catalog by exact order number (asynchronous)."),
            search,
            search.job(
                .post, "/api/catalog/actions/search",
                summary: "Fuzzy search the hardware catalog by keyword or partial order number (asynchronous)."),
            Route(
                .get, "/api/catalog/cache/status", group: devicesGroup,
                summary: "Status of the hardware catalog: compiled in, always loaded.",
                responseSchema: Schema.object([
                    "loaded": Schema.boolean, "entryCount": Schema.integer, "source": Schema.string,
                    "families": Schema.array(Schema.string),
                ])
            ) { _, _ in
                RouteResponse(json: [
                    "loaded": true, "entryCount": .int(Int64(HardwareCatalog.entries.count)),
                    "source": "built-in", "families": JSONValue(HardwareCatalog.families),
                ])
            },
            Route(
                .post, "/api/catalog/cache/load", group: devicesGroup,
                summary: "Load the hardware catalog into memory: nothing to do, it is compiled in.",
                responseSchema: Schema.catalogCache
            ) { _, _ in
                RouteResponse(json: [
                    "loaded": true, "entryCount": .int(Int64(HardwareCatalog.entries.count)),
                    "message": .string(cacheMessage + "; nothing was loaded"),
                ])
            },
            Route(
                .post, "/api/catalog/cache/build", group: devicesGroup,
                summary: "Build the hardware catalog cache: nothing to do, the catalog is compiled in.",
                responseSchema: Schema.catalogCache
            ) { _, _ in
                RouteResponse(json: [
                    "loaded": true, "entryCount": .int(Int64(HardwareCatalog.entries.count)),
                    "message": .string(cacheMessage + "; nothing was built"),
                ])
            },
            Route(
                .get, "/api/catalog/images/{orderNumber}", group: devicesGroup,
                summary: "A drawing of a catalog product (SVG: its outline with name and order number); s7wb ships "
                    + "no photos.",
                responseSchema: Schema.catalogImageSVG, errorStatuses: [404]
            ) { request, _ in
                let orderNumber = request.path("orderNumber")
                guard let entry = HardwareCatalog.find(orderNumber: orderNumber) else {
                    throw APIError.notFound("no product with order number '\(orderNumber)' in the hardware catalog")
                }
                return RouteResponse(text: catalogImage(entry), contentType: "image/svg+xml")
            },
        ]
    }

    static func catalogEntryJSON(_ entry: HardwareCatalogEntry) -> JSONValue {
        [
            "orderNumber": .string(entry.orderNumber), "name": .string(entry.name), "family": .string(entry.family),
            "kind": .string(entry.kind.rawValue), "isPLC": .bool(entry.isPLC),
            "firmwareVersions": JSONValue(entry.firmwareVersions),
            "workMemoryProgramBytes": JSONValue(entry.workMemoryProgramBytes),
            "workMemoryDataBytes": JSONValue(entry.workMemoryDataBytes), "loadMemory": JSONValue(entry.loadMemory),
            "description": .string(entry.description),
        ]
    }

    /// A module outline with the family on its top bar, the product name and the order number; a panel gets a
    /// screen, a module a status LED.
    static func catalogImage(_ entry: HardwareCatalogEntry) -> String {
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        let isPanel = entry.kind == .hmi
        let feature =
            isPanel
            ? "<rect x='16' y='34' width='208' height='72' fill='#1e2a32'/>"
            : "<rect x='196' y='36' width='28' height='8' rx='2' fill='#3fb950'/>"
        let nameY = isPanel ? "124" : "76"
        let lines: [String] = [
            "<svg xmlns='http://www.w3.org/2000/svg' width='240' height='150' viewBox='0 0 240 150'>",
            "<rect x='2' y='2' width='236' height='146' rx='8' fill='#f2f4f5' stroke='#3c464b' stroke-width='2'/>",
            "<rect x='2' y='2' width='236' height='24' rx='8' fill='#00646e'/>",
            "<text x='12' y='19' font-family='sans-serif' font-size='12' fill='#ffffff'>" + escape(entry.family)
                + "</text>",
            feature,
            "<text x='12' y='" + nameY + "' font-family='sans-serif' font-size='15' font-weight='bold' "
                + "fill='#1e2a32'>" + escape(entry.name) + "</text>",
            "<text x='12' y='140' font-family='monospace' font-size='12' fill='#3c464b'>"
                + escape(entry.orderNumber) + "</text>",
            "</svg>",
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}

extension RouteCatalog {
    /// The compiler's answer for a PLC's program: counts, what compiled, what was left out, every diagnostic.
    static func softwareJSON(_ result: CompilationResult) -> JSONValue {
        let diagnostics = result.diagnostics.map { diagnostic -> JSONValue in
            let record = DiagnosticRecord(
                diagnostic,
                in: result.files[diagnostic.range.path] ?? SourceFile(path: diagnostic.range.path, text: ""))
            return [
                "file": .string(record.file), "line": .int(Int64(record.line)), "column": .int(Int64(record.column)),
                "severity": .string(record.severity.rawValue), "code": .string(record.code),
                "message": .string(record.message),
            ]
        }
        return [
            "errorCount": .int(Int64(result.errorCount)), "warningCount": .int(Int64(result.warningCount)),
            "compiledBlocks": JSONValue(result.program.blocks.map(\.displayName)),
            "skippedBlocks": JSONValue(result.skippedBlocks), "diagnostics": .array(diagnostics),
        ]
    }
}
