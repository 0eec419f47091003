import Foundation
import S7Model
import S7Runtime
import Workbench

/// T-IA Connect's Diagnostics group introspects TIA Portal's Openness API. s7wb has no Openness: these routes
/// describe this engine instead — its modules and public model types (`ModelRegistry`), its services, what download
/// and upload mean here, and the services a device has in this engine (DESIGN.md decision 6).
extension RouteCatalog {
    private static let diagnosticsRouteGroup = "Diagnostics"

    static var diagnosticRoutes: [Route] {
        [
            Route(
                .get, "/api/diagnostic/namespaces", group: diagnosticsRouteGroup,
                summary: "The modules of this engine (s7wb has no Openness namespaces) with their purpose and the "
                    + "count of model types each declares, and the size of the S7 instruction library.",
                responseSchema: Schema.object([
                    "namespaces": Schema.array(
                        Schema.object([
                            "name": Schema.string, "purpose": Schema.string, "dependsOn": Schema.array(Schema.string),
                            "typeCount": Schema.integer,
                        ])),
                    "count": Schema.integer, "typeCount": Schema.integer,
                    "instructionLibrary": Schema.object([
                        "count": Schema.integer, "instructions": Schema.array(Schema.string), "note": Schema.string,
                    ]),
                ])
            ) { _, _ in
                let namespaces: [JSONValue] = ModelRegistry.namespaces.map { namespace in
                    [
                        "name": .string(namespace.name), "purpose": .string(namespace.purpose),
                        "dependsOn": JSONValue(namespace.dependsOn),
                        "typeCount": .int(Int64(ModelRegistry.typesDeclared(in: namespace.name).count)),
                    ]
                }
                let instructions = ModelRegistry.instructions
                return RouteResponse(json: [
                    "namespaces": .array(namespaces), "count": .int(Int64(namespaces.count)),
                    "typeCount": .int(Int64(ModelRegistry.types.count)),
                    "instructionLibrary": [
                        "count": .int(Int64(instructions.count)), "instructions": JSONValue(instructions),
                        "note": .string(
                            "instructions the compiler accepts and the virtual PLC executes, besides the "
                                + "conversions <TYPE>_TO_<TYPE> and TO_<TYPE> between elementary types"),
                    ],
                ])
            },
            Route(
                .get, "/api/diagnostic/types", group: diagnosticsRouteGroup,
                summary: "Search the public types of this engine's model (name, module, kind, summary) whose "
                    + "qualified name contains the filter; an empty filter lists them all.",
                query: [
                    QueryParameter(
                        "filter", "Part of a type name, case-insensitive: `Kind`, `S7Model.`, `Block`.", required: true)
                ],
                responseSchema: Schema.object([
                    "filter": Schema.string, "types": Schema.array(modelTypeSummary), "count": Schema.integer,
                ])
            ) { request, _ in
                guard let filter = request.query["filter"] else {
                    throw APIError.badRequest("the query parameter filter is required")
                }
                let types = ModelRegistry.typesMatching(filter).map(modelTypeSummaryJSON)
                return RouteResponse(json: [
                    "filter": .string(filter), "types": .array(types), "count": .int(Int64(types.count)),
                ])
            },
            Route(
                .get, "/api/diagnostic/search", group: diagnosticsRouteGroup,
                summary: "One type of this engine's model by name (`BlockKind`, `Address.Area`, "
                    + "`S7Model.Device`) with its members or cases.",
                query: [QueryParameter("typeName", "The type's name, case-insensitive.", required: true)],
                responseSchema: modelTypeDetails, errorStatuses: [404]
            ) { request, _ in
                guard let name = request.query["typeName"] else {
                    throw APIError.badRequest("the query parameter typeName is required")
                }
                let type = try modelType(named: name)
                return RouteResponse(json: modelTypeDetailsJSON(type))
            },
            Route(
                .get, "/api/diagnostic/enum-values/{typeName}", group: diagnosticsRouteGroup,
                summary: "The cases of an enum of this engine's model; for `CaseIterable` enums they are read from "
                    + "the type itself (`allCases`), with their raw values.",
                responseSchema: Schema.object([
                    "typeName": Schema.string, "namespace": Schema.string, "isCaseIterable": Schema.boolean,
                    "values": Schema.array(enumCase), "count": Schema.integer,
                ]),
                errorStatuses: [404, 422]
            ) { request, _ in
                let type = try modelType(named: request.path("typeName"))
                guard type.kind == .enum else {
                    throw APIError(
                        status: 422, detail: "\(type.qualifiedName) is a \(type.kind.rawValue), not an enum")
                }
                let values = type.cases.map(enumCaseJSON)
                return RouteResponse(json: [
                    "typeName": .string(type.qualifiedName), "namespace": .string(type.namespace),
                    "isCaseIterable": .bool(type.isCaseIterable), "values": .array(values),
                    "count": .int(Int64(values.count)),
                ])
            },
            Route(
                .get, "/api/diagnostic/providers", group: diagnosticsRouteGroup,
                summary: "The services of this engine (there are no Openness providers): project store, compiler, "
                    + "virtual PLC, S7comm, REST API, MCP, and whether each is available.",
                responseSchema: Schema.list(
                    "providers",
                    Schema.object([
                        "name": Schema.string, "module": Schema.string, "available": Schema.boolean,
                        "description": Schema.string, "detail": Schema.string,
                    ]))
            ) { _, engine in
                RouteResponse.list("providers", await providers(engine))
            },
            Route(
                .get, "/api/diagnostic/online-download-types", group: diagnosticsRouteGroup,
                summary: "What download, upload and online functions mean here: software goes to the device's virtual "
                    + "PLC; hardware configurations and real PLCs are refused (they need TIA Portal or S7comm-plus).",
                responseSchema: Schema.object([
                    "target": Schema.string,
                    "categories": Schema.array(
                        Schema.object(["category": Schema.string, "types": Schema.array(capability)])),
                    "realPLCs": Schema.object(["supported": Schema.boolean, "note": Schema.string]),
                ])
            ) { _, _ in
                RouteResponse(json: onlineDownloadTypes)
            },
            Route(
                .get, "/api/diagnostic/plc-services/{deviceName}", group: diagnosticsRouteGroup,
                summary: "The software services this engine offers for a PLC (compile, download to its virtual PLC, "
                    + "online comparison, watch and force tables, time modes); an HMI answers its own.",
                query: [projectIDQuery], responseSchema: deviceServices, errorStatuses: [404, 409]
            ) { request, engine in
                let target = try await RouteCatalog.device(request, engine)
                let services = target.kind == .hmi ? hmiServices : plcSoftwareServices
                return RouteResponse(json: try await deviceServicesJSON(target, services, request, engine))
            },
            Route(
                .get, "/api/diagnostic/cpu-services/{deviceName}", group: diagnosticsRouteGroup,
                summary: "The CPU services of a PLC's virtual CPU here (operating modes, memory reset, diagnostic "
                    + "buffer, cycle statistics, S7comm access) and its mode now; an HMI answers its own.",
                query: [projectIDQuery], responseSchema: deviceServices, errorStatuses: [404, 409]
            ) { request, engine in
                let target = try await RouteCatalog.device(request, engine)
                let services = target.kind == .hmi ? hmiServices : cpuServices
                return RouteResponse(json: try await deviceServicesJSON(target, services, request, engine))
            },
        ]
    }

    // MARK: Model types

    private static let modelTypeSummary = Schema.object([
        "name": Schema.string, "namespace": Schema.string, "qualifiedName": Schema.string, "kind": Schema.string,
        "summary": Schema.string, "memberCount": Schema.integer, "isCaseIterable": Schema.boolean,
    ])

    private static let enumCase = Schema.object(["name": Schema.string, "value": Schema.nullableString])

    private static let modelTypeDetails = Schema.object([
        "name": Schema.string, "namespace": Schema.string, "qualifiedName": Schema.string, "kind": Schema.string,
        "summary": Schema.string, "memberCount": Schema.integer, "isCaseIterable": Schema.boolean,
        "members": Schema.array(Schema.string), "cases": Schema.array(enumCase),
    ])

    private static func modelType(named name: String) throws(APIError) -> ModelType {
        guard let type = ModelRegistry.type(named: name) else {
            throw APIError.notFound(
                "no type '\(name)' in s7wb's model; GET /api/diagnostic/types?filter= lists them (s7wb has no "
                    + "Openness types)")
        }
        return type
    }

    private static func modelTypeSummaryJSON(_ type: ModelType) -> JSONValue {
        [
            "name": .string(type.name), "namespace": .string(type.namespace),
            "qualifiedName": .string(type.qualifiedName), "kind": .string(type.kind.rawValue),
            "summary": .string(type.summary), "memberCount": .int(Int64(type.members.count)),
            "isCaseIterable": .bool(type.isCaseIterable),
        ]
    }

    private static func modelTypeDetailsJSON(_ type: ModelType) -> JSONValue {
        guard case .object(var fields) = modelTypeSummaryJSON(type) else { return .null }
        fields.append(("members", JSONValue(type.members)))
        fields.append(("cases", .array(type.cases.map(enumCaseJSON))))
        return .object(fields)
    }

    private static func enumCaseJSON(_ value: ModelType.Case) -> JSONValue {
        ["name": .string(value.name), "value": JSONValue(value.value)]
    }

    // MARK: Providers

    private static func providers(_ engine: Engine) async -> [JSONValue] {
        let sessions = await engine.openSessions()
        var plcCount = 0
        for session in sessions {
            plcCount += ((try? await engine.plcInstances(sessionID: session.id)) ?? []).count
        }
        let root = engine.configuration.filesRoot
        return [
            providerJSON(
                "projectStore", "Workbench", true,
                "Projects are folders in TIA's Version Control Interface layout, read and written by s7wb itself "
                    + "(atomically); audit log, snapshots and jobs live in SQLite under .s7wb/.",
                "\(sessions.count) project(s) open; files root: \(root ?? "none (project folders only)")"),
            providerJSON(
                "compiler", "S7Compiler", true,
                "Compiles SCL blocks to bytecode for the virtual PLC, with diagnostics like TIA's compile output.",
                "\(ModelRegistry.instructions.count) library instructions"),
            providerJSON(
                "virtualPLC", "S7Runtime", true,
                "A virtual S7-1500 CPU per PLC device, on its own thread: scan cycle, OBs, timers and counters, "
                    + "real, scaled or stepped time, RUN/STOP, diagnostic buffer.",
                "\(plcCount) virtual PLC(s) exist"),
            providerJSON(
                "s7commServer", "S7Protocol", false,
                "S7comm access to the virtual PLCs for HMI panels and clients such as python-snap7.",
                "not available yet: S7Protocol holds the TPKT and COTP codec, no server listens"),
            providerJSON(
                "onlineConnection", "S7Protocol", false,
                "Online access to real S7-1200/1500 CPUs (download, monitor, force).",
                "not available: these CPUs need S7comm-plus, which s7wb does not speak"),
            providerJSON(
                "restAPI", "WorkbenchAPI", true,
                "This REST API (T-IA Connect compatible), with /api/openapi.json and /api/docs.",
                "\(RouteCatalog.standard.routes.count) routes"),
            providerJSON(
                "mcp", "WorkbenchMCP", true,
                "An MCP server whose tools are the routes of this API.",
                "runs as `s7wb mcp PROJECT` (stdio), a process of its own"),
            providerJSON(
                "openness", "none", false,
                "TIA Portal Openness.",
                "not used: s7wb reads and writes TIA's files itself and needs no TIA Portal"),
        ]
    }

    private static func providerJSON(
        _ name: String, _ module: String, _ available: Bool, _ description: String, _ detail: String
    ) -> JSONValue {
        [
            "name": .string(name), "module": .string(module), "available": .bool(available),
            "description": .string(description), "detail": .string(detail),
        ]
    }

    // MARK: Download and upload

    private static let capability = Schema.object([
        "name": Schema.string, "supported": Schema.boolean, "note": Schema.string,
    ])

    private static func capabilityJSON(_ name: String, _ supported: Bool, _ note: String) -> JSONValue {
        ["name": .string(name), "supported": .bool(supported), "note": .string(note)]
    }

    /// What `Engine+Instances.swift` offers: download to, read back from and work online with a device's virtual PLC.
    private static var onlineDownloadTypes: JSONValue {
        let download = [
            capabilityJSON(
                "hardware", false,
                "s7wb holds no hardware configuration to load; a device's order number, firmware and IP address live "
                    + "in s7project.json"),
            capabilityJSON(
                "softwareChangesOnly", true,
                "compiles and loads the program; the whole compiled program is loaded every time, which leaves "
                    + "unchanged blocks as they were (the CPU passes through STOP)"),
            capabilityJSON(
                "softwareAll", true,
                "compiles and loads every block that compiles; blocks with errors are left out, and the CPU goes back "
                    + "to RUN if it was running"),
        ]
        let upload = [
            capabilityJSON(
                "blocksFromVirtualPLC", true,
                "reads back which blocks the virtual PLC runs and how each compares with the project; their code is "
                    + "this project's, from which they were downloaded"),
            capabilityJSON("hardwareFromDevice", false, "there is no hardware configuration in the virtual PLC"),
        ]
        let online = [
            capabilityJSON(
                "goOnline", true, "the virtual PLC is always reachable; it is created in STOP when first used"),
            capabilityJSON("compare", true, "blocks compare as same, different or offline only"),
            capabilityJSON("monitor", true, "values come from the image published at the end of a cycle"),
            capabilityJSON("modify", true, "a value is written once, at the start of the next cycle"),
            capabilityJSON("force", true, "inputs and outputs hold a forced value until unforced"),
            capabilityJSON("operatingMode", true, "RUN (through STARTUP) and STOP"),
            capabilityJSON("memoryReset", true, "MRES: STOP, clear I, Q and M, reload DB start values"),
            capabilityJSON("timeMode", true, "real time, scaled (0.1 to 100 times) or stepped cycles"),
        ]
        let categories: [JSONValue] = [("download", download), ("upload", upload), ("online", online)].map {
            ["category": .string($0.0), "types": .array($0.1)]
        }
        let realPLCs =
            "download to and upload from real S7-1200/1500 CPUs are refused: they need S7comm-plus, which "
            + "s7wb does not speak; use TIA Portal with the project files s7wb writes"
        return [
            "target": "the device's virtual PLC in this engine", "categories": .array(categories),
            "realPLCs": ["supported": false, "note": .string(realPLCs)],
        ]
    }

    // MARK: Device services

    private struct DeviceService {
        var name: String
        var available: Bool
        var description: String
        /// Keys of the routes (`POST:/api/…`) that reach the service; only those this catalog serves are shown.
        var routes: [String]
    }

    private static let deviceServices = Schema.object([
        "device": Schema.string, "kind": Schema.string, "mode": Schema.nullableString,
        "downloadedAt": Schema.nullableString,
        "services": Schema.array(
            Schema.object([
                "name": Schema.string, "available": Schema.boolean, "description": Schema.string,
                "routes": Schema.array(Schema.string),
            ])),
        "count": Schema.integer,
    ])

    private static let plcSoftwareServices = [
        DeviceService(
            name: "compile", available: true,
            description: "Compile the PLC's SCL blocks to bytecode, with diagnostics like TIA's compile output.",
            routes: [
                "POST:/api/devices/{deviceName}/actions/compile-sync", "POST:/api/devices/{deviceName}/actions/compile",
            ]),
        DeviceService(
            name: "downloadToVirtualPLC", available: true,
            description: "Load what compiles into the PLC's virtual PLC: STOP for the load, back to RUN if it ran; "
                + "blocks with errors are left out.",
            routes: [
                "POST:/api/devices/{deviceName}/actions/download-sync",
                "POST:/api/devices/{deviceName}/actions/download",
            ]),
        DeviceService(
            name: "onlineComparison", available: true,
            description: "Compare each block with what the virtual PLC runs: same, different or offline only.",
            routes: ["POST:/api/devices/{deviceName}/actions/compare"]),
        DeviceService(
            name: "watchAndForceTables", available: true,
            description: "Watch tables read the virtual PLC's image; modify writes once at the next cycle; force "
                + "holds inputs and outputs until unforced.",
            routes: [
                "GET:/api/devices/{deviceName}/watch-tables", "POST:/api/devices/{deviceName}/watch-tables",
                "POST:/api/devices/{deviceName}/watch-tables/{tableName}/entries",
            ]),
        DeviceService(
            name: "timeModes", available: true,
            description: "The virtual PLC's clock: real time, scaled (0.1 to 100 times) or stepped (exactly N cycles "
                + "of T ms in no wall time).",
            routes: []),
        DeviceService(
            name: "downloadToRealPLC", available: false,
            description: "Real S7-1200/1500 CPUs need S7comm-plus, which s7wb does not speak.", routes: []),
    ]

    private static let cpuServices = [
        DeviceService(
            name: "operatingModes", available: true,
            description: "STOP, STARTUP (OB100) and RUN on request; a programming or time error stops the CPU as on "
                + "an S7-1500.",
            routes: [
                "GET:/api/devices/{deviceName}/cpu/status", "POST:/api/devices/{deviceName}/cpu/actions/start",
                "POST:/api/devices/{deviceName}/cpu/actions/stop",
            ]),
        DeviceService(
            name: "memoryReset", available: true,
            description: "MRES: STOP, clear inputs, outputs and markers, reload every DB's start values.",
            routes: ["POST:/api/simulation/instances/{name}/memory-reset"]),
        DeviceService(
            name: "diagnosticBuffer", available: true,
            description: "The virtual CPU's events: mode changes and runtime errors with the block and SCL line.",
            routes: []),
        DeviceService(
            name: "cycleStatistics", available: true,
            description: "Cycle count and the last, minimum, maximum and average cycle and execution times.",
            routes: []),
        DeviceService(
            name: "s7commAccess", available: false,
            description: "No S7comm server listens for the virtual PLC yet (S7Protocol holds the TPKT and COTP codec "
                + "only), so HMI panels and clients such as python-snap7 cannot connect.",
            routes: []),
    ]

    private static let hmiServices = [
        DeviceService(
            name: "networkSettings", available: true,
            description: "The HMI's IP address and subnet mask, kept in s7project.json.",
            routes: [
                "POST:/api/devices/{deviceName}/actions/configure-network-sync",
                "POST:/api/devices/{deviceName}/actions/configure-network",
            ]),
        DeviceService(
            name: "hardwareDetails", available: true,
            description: "Name, order number and firmware from s7project.json.",
            routes: ["GET:/api/devices/{deviceName}/hardware-details"]),
        DeviceService(
            name: "screensTagsAndScripts", available: false,
            description: "s7wb keeps an HMI as its s7project.json entry; its screens, HMI tags and scripts are not "
                + "read, and it has no CPU or program.",
            routes: []),
    ]

    private static func deviceServicesJSON(
        _ device: Device, _ services: [DeviceService], _ request: RouteRequest, _ engine: Engine
    ) async throws(APIError) -> JSONValue {
        var mode: String?
        var downloadedAt: String?
        if device.kind == .plc {
            let id = projectID(request)
            let instances = try await WorkbenchAPI.engine { () async throws(EngineError) -> [PLCInstance] in
                try await engine.plcInstances(sessionID: id)
            }
            if let instance = instances.first(where: { $0.device.caseInsensitiveEquals(device.name) }) {
                mode = modeName(instance.snapshot().mode)
                downloadedAt = instance.downloadedAt?.formatted(.iso8601)
            }
        }
        let served = Set(RouteCatalog.standard.routes.map(\.key))
        let items: [JSONValue] = services.map { service in
            [
                "name": .string(service.name), "available": .bool(service.available),
                "description": .string(service.description),
                "routes": JSONValue(service.routes.filter { served.contains($0) }),
            ]
        }
        return [
            "device": .string(device.name), "kind": .string(device.kind.rawValue), "mode": JSONValue(mode),
            "downloadedAt": JSONValue(downloadedAt), "services": .array(items), "count": .int(Int64(items.count)),
        ]
    }

    /// RUN, STARTUP or STOP, as TIA shows a CPU's mode.
    private static func modeName(_ state: CPUModeStateMachine.State) -> String {
        switch state {
        case .run: "RUN"
        case .startup: "STARTUP"
        case .stop: "STOP"
        }
    }
}
