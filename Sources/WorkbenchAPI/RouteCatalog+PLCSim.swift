import Foundation
import S7Model
import Workbench

/// T-IA Connect's PLCSim Simulation group drives PLCSIM Advanced. Here the runtime is the engine's simulation service,
/// always running in this process, and an instance is a name for the virtual PLC of one device of an open project
/// (DESIGN.md decision 3): created, powered on and off, started, stopped, reset and configured (IP address, S7 port,
/// real, scaled or stepped time); tags of the connected instance are read and written by name or address.
/// Stepped time is driven through `POST /api/simulation/start` (`cycles`, `durationMs` or `until`, `cycleTimeMs`).
extension RouteCatalog {
    static let simulationGroup = "PLCSim Simulation"

    static var simulationRoutes: [Route] {
        simulationRuntimeRoutes + simulationInstanceRoutes + simulationSessionRoutes + simulationTagRoutes
            + simulationProfileRoutes
    }

    // MARK: Schemas

    private static let nullableNumber: JSONValue = ["type": ["number", "null"]]
    private static let timeModeSchema: JSONValue = ["type": "string", "enum": ["realTime", "scaled", "stepped"]]
    private static let portSchema: JSONValue = ["type": "integer", "minimum": 1, "maximum": 65535]
    private static let timeScaleSchema: JSONValue = ["type": "number", "minimum": 0.1, "maximum": 100]
    private static let tagValueSchema: JSONValue = ["type": ["string", "number", "boolean"]]

    static let simulationInstanceSchema = Schema.object([
        "name": Schema.string, "deviceName": Schema.string, "projectId": Schema.string,
        "projectName": Schema.string, "cpuType": Schema.string, "ipAddress": Schema.string, "s7Port": Schema.integer,
        "poweredOn": Schema.boolean, "state": ["type": "string", "enum": ["off", "stop", "startup", "run"]],
        "stopCause": Schema.nullableString, "cycleCount": Schema.integer, "virtualTimeMs": Schema.number,
        "timeMode": Schema.string, "timeScale": nullableNumber, "downloaded": Schema.boolean,
        "downloadedAt": Schema.nullableString, "connected": Schema.boolean,
    ])
    static let simulationConfigSchema = Schema.object([
        "name": Schema.string, "deviceName": Schema.string, "projectId": Schema.string, "cpuType": Schema.string,
        "orderNumber": Schema.nullableString, "firmware": Schema.nullableString, "ipAddress": Schema.string,
        "subnetMask": Schema.string, "gateway": Schema.nullableString, "s7Port": Schema.integer,
        "timeMode": Schema.string, "timeScale": nullableNumber, "poweredOn": Schema.boolean,
    ])
    static let simulationNetworkSchema = Schema.object([
        "name": Schema.string, "ipAddress": Schema.string, "subnetMask": Schema.string,
        "gateway": Schema.nullableString, "s7Port": Schema.integer,
    ])
    static let simulationRuntimeConfigSchema = Schema.object([
        "defaultTimeMode": Schema.string, "defaultTimeScale": Schema.number, "s7PortBase": Schema.integer,
        "persistent": Schema.boolean,
    ])
    static let simulationDefinitionSchema: JSONValue = [
        "type": "object", "required": ["name", "deviceName"],
        "properties": [
            "name": ["type": "string", "minLength": 1, "maxLength": 64],
            "deviceName": ["type": "string", "minLength": 1], "ipAddress": Schema.string,
            "subnetMask": Schema.string, "gateway": Schema.string, "s7Port": portSchema, "timeMode": timeModeSchema,
            "timeScale": timeScaleSchema,
        ],
    ]
    static let simulationDefinitionResponseSchema = Schema.object([
        "name": Schema.string, "deviceName": Schema.string, "ipAddress": Schema.nullableString,
        "subnetMask": Schema.nullableString, "gateway": Schema.nullableString, "s7Port": Schema.nullableInteger,
        "timeMode": Schema.nullableString, "timeScale": nullableNumber,
    ])
    static let simulationTagSchema = Schema.object([
        "name": Schema.string, "dataType": Schema.string, "address": Schema.nullableString, "source": Schema.string,
        "kind": Schema.string,
    ])
    static let simulationValueSchema = Schema.object([
        "name": Schema.string, "value": Schema.nullableString, "dataType": Schema.nullableString,
        "quality": ["type": "string", "enum": ["good", "bad"]], "problem": Schema.nullableString,
        "error": Schema.nullableString,
    ])
    static let simulationProfileSummarySchema = Schema.object([
        "fileName": Schema.string, "name": Schema.string, "description": Schema.nullableString,
        "createdAt": Schema.nullableString, "instanceCount": Schema.integer, "sizeBytes": Schema.integer,
        "problem": Schema.nullableString,
    ])
    static let simulationProfileSchema = Schema.object([
        "fileName": Schema.string, "name": Schema.string, "description": Schema.nullableString,
        "createdAt": Schema.nullableString, "instanceCount": Schema.integer, "sizeBytes": Schema.integer,
        "format": Schema.string, "version": Schema.integer,
        "instances": Schema.array(simulationDefinitionResponseSchema),
    ])

    // MARK: Runtime

    private static var simulationRuntimeRoutes: [Route] {
        [
            Route(
                .get, "/api/simulation/runtime/status", group: simulationGroup,
                summary: "The simulation runtime: the engine's own virtual PLC service, always running in this "
                    + "process, with its version and how many instances exist, are powered on and run.",
                responseSchema: Schema.object([
                    "running": Schema.boolean, "product": Schema.string, "version": Schema.string,
                    "inProcess": Schema.boolean, "instanceCount": Schema.integer, "poweredOnCount": Schema.integer,
                    "runningCount": Schema.integer,
                ])
            ) { _, engine in
                let all = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.simulationInstances()
                }
                return RouteResponse(json: [
                    "running": true, "product": "s7wb virtual PLC runtime", "version": .string(Engine.version),
                    "inProcess": true, "instanceCount": .int(Int64(all.count)),
                    "poweredOnCount": .int(Int64(all.filter(\.poweredOn).count)),
                    "runningCount": .int(Int64(all.filter { $0.state == .run }.count)),
                ])
            },
            Route(
                .post, "/api/simulation/runtime/start", group: simulationGroup,
                summary: "Start the simulation runtime: it runs inside the engine and is always started, so this "
                    + "says so and changes nothing.",
                responseSchema: Schema.object([
                    "running": Schema.boolean, "alreadyRunning": Schema.boolean, "version": Schema.string,
                    "message": Schema.string,
                ])
            ) { _, _ in
                RouteResponse(json: [
                    "running": true, "alreadyRunning": true, "version": .string(Engine.version),
                    "message": "the simulation runtime runs inside the s7wb engine process and is always started",
                ])
            },
            Route(
                .get, "/api/simulation/runtime/config", group: simulationGroup,
                summary: "The runtime configuration of the project: the time mode and scale new instances get and "
                    + "the S7 port base (kept in the project's .s7wb store).",
                query: [projectIDQuery], responseSchema: simulationRuntimeConfigSchema, errorStatuses: [404, 409]
            ) { request, engine in
                try await runtimeConfigResponse(request, engine)
            },
            Route(
                .put, "/api/simulation/runtime/config", group: simulationGroup,
                summary: "Change the runtime configuration: defaultTimeMode (realTime, scaled, stepped), "
                    + "defaultTimeScale (0.1…100), s7PortBase (1…65535); omitted fields keep their values.",
                query: [projectIDQuery],
                requestSchema: [
                    "type": "object", "additionalProperties": false,
                    "properties": [
                        "defaultTimeMode": timeModeSchema, "defaultTimeScale": timeScaleSchema,
                        "s7PortBase": portSchema,
                    ],
                ],
                responseSchema: simulationRuntimeConfigSchema, errorStatuses: [404, 409], mutates: true
            ) { request, engine in
                let fields = try request.fields()
                let id = projectID(request)
                var configuration = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.simulationRuntimeConfiguration(sessionID: id)
                }
                let body = JSONValue.object(fields)
                for (key, _) in fields {
                    switch key {
                    case "defaultTimeMode":
                        if let mode = try SimulationBody.timeMode(body, key) { configuration.defaultTimeMode = mode }
                    case "defaultTimeScale":
                        if let scale = try SimulationBody.number(body, key) { configuration.defaultTimeScale = scale }
                    case "s7PortBase":
                        if let port = try SimulationBody.integer(body, key) { configuration.s7PortBase = port }
                    default: throw APIError.badRequest("unknown runtime setting '\(key)'")
                    }
                }
                let updated = configuration
                try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.updateSimulationRuntimeConfiguration(updated, sessionID: id, actor: request.actor)
                }
                return try await runtimeConfigResponse(request, engine)
            },
            Route(
                .post, "/api/simulation/runtime/port", group: simulationGroup,
                summary: "Set the S7 port base (1…65535): new instances take the first port from it that no other "
                    + "instance uses; existing instances keep theirs (PUT …/instances/{name}/config changes one).",
                query: [projectIDQuery],
                requestSchema: ["type": "object", "required": ["port"], "properties": ["port": portSchema]],
                responseSchema: simulationRuntimeConfigSchema, errorStatuses: [404, 409], mutates: true
            ) { request, engine in
                _ = try request.fields()
                guard let port = try SimulationBody.integer(request.body ?? .null, "port") else {
                    throw APIError.badRequest("'port' is required")
                }
                let id = projectID(request)
                try await WorkbenchAPI.engine { () async throws(EngineError) in
                    var configuration = try await engine.simulationRuntimeConfiguration(sessionID: id)
                    configuration.s7PortBase = port
                    try await engine.updateSimulationRuntimeConfiguration(
                        configuration, sessionID: id, actor: request.actor)
                }
                return try await runtimeConfigResponse(request, engine)
            },
        ]
    }

    private static func runtimeConfigResponse(_ request: RouteRequest, _ engine: Engine) async throws -> RouteResponse {
        let id = projectID(request)
        let configuration = try await WorkbenchAPI.engine { () async throws(EngineError) in
            try await engine.simulationRuntimeConfiguration(sessionID: id)
        }
        let persistent = try await session(request, engine).store.isPersistent
        return RouteResponse(json: [
            "defaultTimeMode": .string(configuration.defaultTimeMode.rawValue),
            "defaultTimeScale": .double(configuration.defaultTimeScale),
            "s7PortBase": .int(Int64(configuration.s7PortBase)), "persistent": .bool(persistent),
        ])
    }

    // MARK: Instances

    private static var simulationInstanceRoutes: [Route] {
        [
            Route(
                .post, "/api/simulation/instances/create", group: simulationGroup,
                summary: "Create an instance: a name for the virtual PLC of a device (its CPU type from the order "
                    + "number), with an IP address (default: the device's), S7 port (default: the first free from the "
                    + "port base) and time mode realTime, scaled (timeScale 0.1…100) or stepped. One per device.",
                query: [projectIDQuery], requestSchema: simulationDefinitionSchema,
                responseSchema: simulationInstanceSchema, successStatus: 201, errorStatuses: [404, 409],
                mutates: true
            ) { request, engine in
                let definition = try SimulationBody.definition(request.body)
                let id = projectID(request)
                let status = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.createSimulationInstance(definition, sessionID: id, actor: request.actor)
                }
                return RouteResponse(status: 201, json: SimulationJSON.instance(status))
            },
            Route(
                .delete, "/api/simulation/instances/{name}", group: simulationGroup,
                summary: "Delete an instance: its virtual PLC is shut down (the device's next PLC starts empty).",
                responseSchema: Schema.object(["deleted": Schema.boolean, "name": Schema.string]),
                errorStatuses: [404], mutates: true
            ) { request, engine in
                let name = request.path("name")
                try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.deleteSimulationInstance(name, actor: request.actor)
                }
                return RouteResponse(json: ["deleted": true, "name": .string(name)])
            },
            instanceAction(
                "power-on",
                "Power on an instance: its PLC runs again in STOP with the program and memory it had (a new one "
                    + "is created when it never had one)", conflict: false
            ) { (name, actor, engine) async throws(EngineError) in
                try await engine.powerSimulationInstance(name, on: true, actor: actor)
            },
            instanceAction(
                "power-off",
                "Power off an instance: the CPU stops and its thread ends; the state answers off until power-on",
                conflict: false
            ) { (name, actor, engine) async throws(EngineError) in
                try await engine.powerSimulationInstance(name, on: false, actor: actor)
            },
            instanceAction(
                "run",
                "Set the CPU to RUN (STARTUP, OB100, RUN); 409 when powered off or nothing was downloaded "
                    + "(POST /api/devices/{deviceName}/actions/download-sync first)"
            ) { (name, actor, engine) async throws(EngineError) in
                try await engine.setSimulationMode(name, run: true, actor: actor)
            },
            instanceAction("stop", "Set the CPU to STOP; 409 when powered off") {
                (name, actor, engine) async throws(EngineError) in
                try await engine.setSimulationMode(name, run: false, actor: actor)
            },
            instanceAction(
                "memory-reset",
                "Memory reset (MRES): STOP, I, Q and M cleared, every DB back to its start values; the program stays"
            ) { (name, actor, engine) async throws(EngineError) in
                try await engine.resetSimulationMemory(name, actor: actor)
            },
            Route(
                .get, "/api/simulation/instances/{name}/state", group: simulationGroup,
                summary: "The state of an instance: off, stop, startup or run, the cycle count, virtual time and "
                    + "time mode.",
                responseSchema: simulationInstanceSchema, errorStatuses: [404]
            ) { request, engine in
                RouteResponse(json: SimulationJSON.instance(try await instance(request, engine)))
            },
            Route(
                .get, "/api/simulation/instances/{name}/config", group: simulationGroup,
                summary: "The configuration of an instance: device, CPU type, order number, IP address, S7 port, "
                    + "time mode and scale.",
                responseSchema: simulationConfigSchema, errorStatuses: [404]
            ) { request, engine in
                RouteResponse(json: SimulationJSON.configuration(try await instance(request, engine)))
            },
            Route(
                .put, "/api/simulation/instances/{name}/config", group: simulationGroup,
                summary: "Change an instance's time mode (realTime, scaled with timeScale, stepped: at once when "
                    + "powered on), IP address or S7 port; omitted fields keep their values.",
                requestSchema: [
                    "type": "object", "additionalProperties": false,
                    "properties": [
                        "timeMode": timeModeSchema, "timeScale": timeScaleSchema, "ipAddress": Schema.string,
                        "s7Port": portSchema,
                    ],
                ],
                responseSchema: simulationConfigSchema, errorStatuses: [404, 409], mutates: true
            ) { request, engine in
                let fields = try request.fields()
                let body = JSONValue.object(fields)
                try SimulationBody.onlyKnown(body, ["timeMode", "timeScale", "ipAddress", "s7Port"])
                let timeMode = try SimulationBody.timeMode(body, "timeMode")
                let timeScale = try SimulationBody.number(body, "timeScale")
                let ipAddress = try SimulationBody.text(body, "ipAddress")
                let port = try SimulationBody.integer(body, "s7Port")
                let name = request.path("name")
                let status = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.updateSimulationInstance(
                        name, timeMode: timeMode, timeScale: timeScale, ipAddress: ipAddress, s7Port: port,
                        actor: request.actor)
                }
                return RouteResponse(json: SimulationJSON.configuration(status))
            },
            Route(
                .get, "/api/simulation/instances/{name}/network", group: simulationGroup,
                summary: "The network configuration of an instance: IP address, subnet mask, gateway and S7 port.",
                responseSchema: simulationNetworkSchema, errorStatuses: [404]
            ) { request, engine in
                RouteResponse(json: SimulationJSON.network(try await instance(request, engine)))
            },
            Route(
                .put, "/api/simulation/instances/{name}/network", group: simulationGroup,
                summary: "Change an instance's IP address, subnet mask or gateway (an empty gateway removes it), "
                    + "checked as TIA checks a PROFINET interface; the device's own address is not changed.",
                requestSchema: [
                    "type": "object", "additionalProperties": false,
                    "properties": ["ipAddress": Schema.string, "subnetMask": Schema.string, "gateway": Schema.string],
                ],
                responseSchema: simulationNetworkSchema, errorStatuses: [404, 409], mutates: true
            ) { request, engine in
                let fields = try request.fields()
                let body = JSONValue.object(fields)
                try SimulationBody.onlyKnown(body, ["ipAddress", "subnetMask", "gateway"])
                let ipAddress = try SimulationBody.text(body, "ipAddress")
                let subnetMask = try SimulationBody.text(body, "subnetMask")
                let gateway = try SimulationBody.text(body, "gateway")
                let name = request.path("name")
                let status = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.updateSimulationInstance(
                        name, ipAddress: ipAddress, subnetMask: subnetMask, gateway: gateway, actor: request.actor)
                }
                return RouteResponse(json: SimulationJSON.network(status))
            },
        ]
    }

    /// `POST /api/simulation/instances/{name}/<action>`, answering the instance's state.
    private static func instanceAction(
        _ action: String, _ summary: String, conflict: Bool = true,
        _ body: @escaping @Sendable (String, String, Engine) async throws(EngineError) -> SimulationInstanceStatus
    ) -> Route {
        Route(
            .post, "/api/simulation/instances/{name}/\(action)", group: simulationGroup, summary: summary + ".",
            responseSchema: simulationInstanceSchema, errorStatuses: conflict ? [404, 409] : [404], mutates: true
        ) { request, engine in
            let name = request.path("name")
            let status = try await WorkbenchAPI.engine { () async throws(EngineError) in
                try await body(name, request.actor, engine)
            }
            return RouteResponse(json: SimulationJSON.instance(status))
        }
    }

    private static func instance(
        _ request: RouteRequest, _ engine: Engine
    ) async throws(APIError)
        -> SimulationInstanceStatus
    {
        let name = request.path("name")
        return try await WorkbenchAPI.engine { () async throws(EngineError) in
            try await engine.simulationInstance(name)
        }
    }

    // MARK: Status, connection, start and stop

    private static var simulationSessionRoutes: [Route] {
        [
            Route(
                .get, "/api/simulation/status", group: simulationGroup,
                summary: "The overall simulation status: the runtime, the connected instance and every instance "
                    + "of the open projects with its state.",
                responseSchema: Schema.object([
                    "runtime": Schema.object(["running": Schema.boolean, "version": Schema.string]),
                    "instanceCount": Schema.integer, "poweredOnCount": Schema.integer, "runningCount": Schema.integer,
                    "connectedInstance": Schema.nullableString, "instances": Schema.array(simulationInstanceSchema),
                ])
            ) { _, engine in
                let all = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.simulationInstances()
                }
                return RouteResponse(json: [
                    "runtime": ["running": true, "version": .string(Engine.version)],
                    "instanceCount": .int(Int64(all.count)),
                    "poweredOnCount": .int(Int64(all.filter(\.poweredOn).count)),
                    "runningCount": .int(Int64(all.filter { $0.state == .run }.count)),
                    "connectedInstance": JSONValue(all.first(where: \.isConnected)?.configuration.name),
                    "instances": .array(all.map(SimulationJSON.instance)),
                ])
            },
            Route(
                .get, "/api/simulation/state", group: simulationGroup,
                summary: "The simulation state: whether an instance is connected and its state, cycle count, "
                    + "virtual time and time mode, and whether any instance runs.",
                responseSchema: Schema.object([
                    "connected": Schema.boolean, "connectedInstance": Schema.nullableString,
                    "isRunning": Schema.boolean, "state": Schema.nullableString,
                    "cycleCount": Schema.nullableInteger, "virtualTimeMs": nullableNumber,
                    "timeMode": Schema.nullableString, "instanceCount": Schema.integer,
                    "runningCount": Schema.integer,
                ])
            ) { _, engine in
                let all = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.simulationInstances()
                }
                let connected = all.first(where: \.isConnected)
                let running = all.filter { $0.state == .run }.count
                let virtualTime: JSONValue =
                    connected.map { JSONValue.double(SimulationJSON.milliseconds($0.virtualTime)) } ?? .null
                return RouteResponse(json: [
                    "connected": .bool(connected != nil),
                    "connectedInstance": JSONValue(connected?.configuration.name), "isRunning": .bool(running > 0),
                    "state": JSONValue(connected?.state.rawValue), "cycleCount": JSONValue(connected?.cycleCount),
                    "virtualTimeMs": virtualTime, "timeMode": JSONValue(connected?.configuration.timeMode.rawValue),
                    "instanceCount": .int(Int64(all.count)), "runningCount": .int(Int64(running)),
                ])
            },
            Route(
                .get, "/api/simulation/instances", group: simulationGroup,
                summary: "List the instances (of the project given by projectId, else of every open project) with "
                    + "their state.",
                query: [projectIDQuery], responseSchema: Schema.list("instances", simulationInstanceSchema),
                errorStatuses: [404]
            ) { request, engine in
                let id = projectID(request)
                let all = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.simulationInstances(sessionID: id)
                }
                return RouteResponse.list("instances", all.map(SimulationJSON.instance))
            },
            Route(
                .post, "/api/simulation/connect", group: simulationGroup,
                summary: "Connect to an instance ({\"name\"}): the /api/simulation/tags routes then read and write "
                    + "its tags; it must be powered on.",
                requestSchema: [
                    "type": "object", "required": ["name"], "properties": ["name": ["type": "string", "minLength": 1]],
                ],
                responseSchema: simulationInstanceSchema, errorStatuses: [404, 409], mutates: true
            ) { request, engine in
                let name = try request.requiredString("name")
                let status = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.connectSimulation(name, actor: request.actor)
                }
                return RouteResponse(json: SimulationJSON.instance(status))
            },
            Route(
                .post, "/api/simulation/disconnect", group: simulationGroup,
                summary: "Disconnect from the connected instance (it keeps running).",
                responseSchema: Schema.object(["disconnected": Schema.boolean, "name": Schema.nullableString]),
                mutates: true
            ) { request, engine in
                let name = await engine.disconnectSimulation(actor: request.actor)
                return RouteResponse(json: ["disconnected": .bool(name != nil), "name": JSONValue(name)])
            },
            Route(
                .post, "/api/simulation/start", group: simulationGroup,
                summary: "Start the simulation: power on and RUN every instance of the project that has a download "
                    + "(or the one named). Stepped time: with cycles N (or durationMs) and cycleTimeMs T (default "
                    + "10) every instance in RUN then runs exactly N cycles of T ms of virtual time; with until "
                    + "{tag, value} one cycle at a time until the connected instance's tag holds the value (at most "
                    + "cycles, default 10000). All instances must be in stepped time; the answer has the cycles run "
                    + "and the virtual time.",
                query: [projectIDQuery],
                requestSchema: [
                    "type": "object",
                    "properties": [
                        "name": Schema.string, "cycles": ["type": "integer", "minimum": 1, "maximum": 1_000_000],
                        "cycleTimeMs": ["type": "number", "minimum": 0.001, "maximum": 3_600_000],
                        "durationMs": ["type": "number", "minimum": 0.001, "maximum": 3_600_000_000],
                        "until": [
                            "type": "object", "required": ["tag", "value"],
                            "properties": ["tag": ["type": "string", "minLength": 1], "value": tagValueSchema],
                        ],
                    ],
                ],
                responseSchema: Schema.object([
                    "started": Schema.array(Schema.string),
                    "skipped": Schema.array(Schema.object(["name": Schema.string, "reason": Schema.string])),
                    "cyclesRun": Schema.integer, "virtualTimeMs": nullableNumber,
                    "conditionMet": ["type": ["boolean", "null"]],
                    "instances": Schema.array(simulationInstanceSchema),
                ]),
                errorStatuses: [404, 409], mutates: true
            ) { request, engine in
                let body = request.body ?? .object([])
                guard case .object = body else { throw APIError.badRequest("the body must be a JSON object") }
                let name = try SimulationBody.text(body, "name")
                let stepping = try SimulationBody.stepping(body)
                let id = projectID(request)
                let report = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.startSimulation(
                        instance: name, stepping: stepping, sessionID: id, actor: request.actor)
                }
                let virtualTime: JSONValue =
                    report.virtualTime.map { JSONValue.double(SimulationJSON.milliseconds($0)) } ?? .null
                let conditionMet: JSONValue = report.conditionMet.map { JSONValue.bool($0) } ?? .null
                return RouteResponse(json: [
                    "started": JSONValue(report.started),
                    "skipped": .array(
                        report.skipped.map { ["name": .string($0.name), "reason": .string($0.reason)] }),
                    "cyclesRun": .int(Int64(report.cyclesRun)), "virtualTimeMs": virtualTime,
                    "conditionMet": conditionMet, "instances": .array(report.instances.map(SimulationJSON.instance)),
                ])
            },
            Route(
                .post, "/api/simulation/stop", group: simulationGroup,
                summary: "Stop the simulation: every powered-on instance of the project (or the one named) goes to "
                    + "STOP.",
                query: [projectIDQuery],
                requestSchema: ["type": "object", "properties": ["name": Schema.string]],
                responseSchema: Schema.list("instances", simulationInstanceSchema),
                errorStatuses: [404, 409], mutates: true
            ) { request, engine in
                let body = request.body ?? .object([])
                guard case .object = body else { throw APIError.badRequest("the body must be a JSON object") }
                let name = try SimulationBody.text(body, "name")
                let id = projectID(request)
                let stopped = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.stopSimulation(instance: name, sessionID: id, actor: request.actor)
                }
                return RouteResponse.list("instances", stopped.map(SimulationJSON.instance))
            },
        ]
    }

    // MARK: Tags

    private static var simulationTagRoutes: [Route] {
        [
            Route(
                .get, "/api/simulation/tags", group: simulationGroup,
                summary: "The tags of the connected instance: every PLC tag and every member of its global and "
                    + "instance DBs (structures flattened as \"DB\".a.b, arrays whole) with data type and address "
                    + "(none in optimized DBs).",
                responseSchema: Schema.list("tags", simulationTagSchema), errorStatuses: [404, 409]
            ) { _, engine in
                let list = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.simulationTags()
                }
                return RouteResponse.list("tags", list.tags.map(SimulationJSON.tag))
            },
            Route(
                .post, "/api/simulation/tags/refresh", group: simulationGroup,
                summary: "Read the tag list of the connected instance again (it follows a download by itself).",
                responseSchema: Schema.object([
                    "instance": Schema.string, "count": Schema.integer, "refreshedAt": Schema.string,
                ]),
                errorStatuses: [404, 409]
            ) { _, engine in
                let list = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.simulationTags(refresh: true)
                }
                return RouteResponse(json: [
                    "instance": .string(list.instance), "count": .int(Int64(list.tags.count)),
                    "refreshedAt": .string(Date().formatted(.iso8601)),
                ])
            },
            Route(
                .get, "/api/simulation/tags/{tagName}", group: simulationGroup,
                summary: "Read a tag of the connected instance by name (StartButton, \"LineData\".State) or address "
                    + "(%MW10, %DB1.DBX0.1), as an S7 literal, from the image of the last cycle.",
                responseSchema: Schema.object([
                    "name": Schema.string, "value": Schema.string, "dataType": Schema.string,
                    "quality": Schema.string, "instance": Schema.string, "cycle": Schema.integer,
                    "timestamp": Schema.string,
                ]),
                errorStatuses: [404, 409, 422]
            ) { request, engine in
                let name = request.path("tagName")
                let read = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.readSimulationTags([name])
                }
                let item = read.values[0]
                switch item.problem {
                case .notFound?: throw APIError.notFound(item.reason ?? "no tag '\(name)'")
                case .unreadable?, .invalidValue?:
                    throw APIError(status: 422, detail: item.reason ?? "\(name) has no single value")
                case nil: break
                }
                return RouteResponse(json: [
                    "name": .string(name), "value": .string(item.value?.format() ?? ""),
                    "dataType": .string(item.dataType ?? ""), "quality": "good", "instance": .string(read.instance),
                    "cycle": .int(Int64(read.cycle)), "timestamp": .string(read.at.formatted(.iso8601)),
                ])
            },
            Route(
                .put, "/api/simulation/tags/{tagName}", group: simulationGroup,
                summary: "Write a tag of the connected instance ({\"value\"}: an S7 literal such as TRUE, 42, 1.5, "
                    + "T#2s, or a JSON number or boolean); applied at the start of the next cycle.",
                requestSchema: ["type": "object", "required": ["value"], "properties": ["value": tagValueSchema]],
                responseSchema: Schema.object([
                    "name": Schema.string, "value": Schema.string, "dataType": Schema.string,
                    "quality": Schema.string, "instance": Schema.string,
                ]),
                errorStatuses: [404, 409], mutates: true
            ) { request, engine in
                _ = try request.fields()
                let literal = try SimulationBody.literal(request.field("value"), "value")
                let name = request.path("tagName")
                let written = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.writeSimulationTags([(name: name, literal: literal)], actor: request.actor)
                }
                let item = written.results[0]
                switch item.problem {
                case .notFound?: throw APIError.notFound(item.reason ?? "no tag '\(name)'")
                case .unreadable?, .invalidValue?: throw APIError.badRequest(item.reason ?? "invalid value")
                case nil: break
                }
                return RouteResponse(json: [
                    "name": .string(name), "value": .string(item.value?.format() ?? literal),
                    "dataType": .string(item.dataType ?? ""), "quality": "good",
                    "instance": .string(written.instance),
                ])
            },
            Route(
                .post, "/api/simulation/tags/batch-read", group: simulationGroup,
                summary: "Read several tags ({\"tags\": [names or addresses]}) from one image of the connected "
                    + "instance; each has its own quality (good, or bad with the reason).",
                requestSchema: [
                    "type": "object", "required": ["tags"],
                    "properties": [
                        "tags": ["type": "array", "items": Schema.string, "minItems": 1, "maxItems": 10_000]
                    ],
                ],
                responseSchema: Schema.object([
                    "instance": Schema.string, "cycle": Schema.integer, "timestamp": Schema.string,
                    "values": Schema.array(simulationValueSchema), "count": Schema.integer,
                    "goodCount": Schema.integer, "badCount": Schema.integer,
                ]),
                errorStatuses: [404, 409]
            ) { request, engine in
                _ = try request.fields()
                guard let items = try request.array("tags"), !items.isEmpty, items.count <= 10_000 else {
                    throw APIError.badRequest("'tags' must list 1 to 10000 tag names")
                }
                var names: [String] = []
                for item in items {
                    guard let name = item.stringValue else { throw APIError.badRequest("'tags' holds names (strings)") }
                    names.append(name)
                }
                let tagNames = names
                let read = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.readSimulationTags(tagNames)
                }
                let good = read.values.filter(\.isGood).count
                return RouteResponse(json: [
                    "instance": .string(read.instance), "cycle": .int(Int64(read.cycle)),
                    "timestamp": .string(read.at.formatted(.iso8601)),
                    "values": .array(read.values.map(SimulationJSON.value)),
                    "count": .int(Int64(read.values.count)), "goodCount": .int(Int64(good)),
                    "badCount": .int(Int64(read.values.count - good)),
                ])
            },
            Route(
                .post, "/api/simulation/tags/batch-write", group: simulationGroup,
                summary: "Write several tags ({\"values\": [{\"tag\", \"value\"}]}) of the connected instance at the "
                    + "next cycle start; each has its own quality and a bad one does not stop the others.",
                requestSchema: [
                    "type": "object", "required": ["values"],
                    "properties": [
                        "values": [
                            "type": "array", "minItems": 1, "maxItems": 10_000,
                            "items": [
                                "type": "object", "required": ["tag", "value"],
                                "properties": ["tag": Schema.string, "value": tagValueSchema],
                            ],
                        ]
                    ],
                ],
                responseSchema: Schema.object([
                    "instance": Schema.string, "results": Schema.array(simulationValueSchema),
                    "count": Schema.integer, "goodCount": Schema.integer, "badCount": Schema.integer,
                ]),
                errorStatuses: [404, 409], mutates: true
            ) { request, engine in
                _ = try request.fields()
                guard let items = try request.array("values"), !items.isEmpty, items.count <= 10_000 else {
                    throw APIError.badRequest("'values' must list 1 to 10000 {\"tag\", \"value\"} objects")
                }
                var writes: [(name: String, literal: String)] = []
                for (index, item) in items.enumerated() {
                    guard let tag = item["tag"]?.stringValue else {
                        throw APIError.badRequest("values[\(index)] needs a 'tag' name")
                    }
                    let literal = try SimulationBody.literal(item["value"], "values[\(index)].value")
                    writes.append((name: tag, literal: literal))
                }
                let list = writes
                let written = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.writeSimulationTags(list, actor: request.actor)
                }
                let good = written.results.filter(\.isGood).count
                return RouteResponse(json: [
                    "instance": .string(written.instance),
                    "results": .array(written.results.map(SimulationJSON.value)),
                    "count": .int(Int64(written.results.count)), "goodCount": .int(Int64(good)),
                    "badCount": .int(Int64(written.results.count - good)),
                ])
            },
        ]
    }

    // MARK: Profiles

    private static var simulationProfileRoutes: [Route] {
        [
            Route(
                .get, "/api/simulation/profiles", group: simulationGroup,
                summary: "List the saved profiles (sets of instance definitions) in the project's .s7wb/profiles "
                    + "folder; a file that is no profile says why.",
                query: [projectIDQuery], responseSchema: Schema.list("profiles", simulationProfileSummarySchema),
                errorStatuses: [404, 409]
            ) { request, engine in
                let id = projectID(request)
                let files = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.simulationProfiles(sessionID: id)
                }
                return RouteResponse.list("profiles", files.map(SimulationJSON.profileSummary))
            },
            Route(
                .post, "/api/simulation/profiles", group: simulationGroup,
                summary: "Save a profile as .s7wb/profiles/{fileName} (a plain name ending .json, or derived from "
                    + "name): the instances given, else the project's instances; overwrite replaces a profile.",
                query: [projectIDQuery],
                requestSchema: [
                    "type": "object",
                    "properties": [
                        "fileName": ["type": "string", "minLength": 1, "maxLength": 128], "name": Schema.string,
                        "description": Schema.string, "overwrite": Schema.boolean,
                        "instances": ["type": "array", "minItems": 1, "items": simulationDefinitionSchema],
                    ],
                ],
                responseSchema: simulationProfileSchema, successStatus: 201, errorStatuses: [403, 404, 409],
                mutates: true
            ) { request, engine in
                _ = try request.fields()
                let name = try request.string("name")
                let description = try request.string("description")
                let overwrite = try request.bool("overwrite") ?? false
                let fileName: String
                if let given = try request.string("fileName") {
                    fileName = given
                } else if let name, !name.trimmingCharacters(in: .whitespaces).isEmpty {
                    fileName = SimulationBody.fileName(for: name)
                } else {
                    throw APIError.badRequest("give the profile's 'fileName' (e.g. line.json) or its 'name'")
                }
                var definitions: [SimulationInstanceDefinition]?
                if let items = try request.array("instances") {
                    var list: [SimulationInstanceDefinition] = []
                    for item in items {
                        let definition = try SimulationBody.definition(item)
                        list.append(definition)
                    }
                    definitions = list
                }
                let given = definitions
                let id = projectID(request)
                let file = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.saveSimulationProfile(
                        fileName: fileName, name: name, description: description, instances: given,
                        overwrite: overwrite, sessionID: id, actor: request.actor)
                }
                return RouteResponse(status: 201, json: SimulationJSON.profile(file))
            },
            Route(
                .get, "/api/simulation/profiles/{fileName}", group: simulationGroup,
                summary: "A saved profile with its instance definitions; 422 when the file is no s7wb profile.",
                query: [projectIDQuery], responseSchema: simulationProfileSchema,
                errorStatuses: [403, 404, 409, 422]
            ) { request, engine in
                let fileName = request.path("fileName")
                let id = projectID(request)
                let file = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.simulationProfile(fileName: fileName, sessionID: id)
                }
                return RouteResponse(json: SimulationJSON.profile(file))
            },
            Route(
                .post, "/api/simulation/import-legacy", group: simulationGroup,
                summary: "Create the instances of a profile (all or none): the body is an s7wb profile "
                    + "({\"instances\": [...]} or {\"profile\": {...}}), {\"fileName\"} of a saved one or {\"path\"} "
                    + "of a profile file. PLCSIM Advanced's legacy instance lists are not read here: 422.",
                query: [projectIDQuery],
                requestSchema: [
                    "type": "object",
                    "properties": [
                        "fileName": Schema.string, "path": Schema.string, "profile": ["type": "object"],
                        "instances": ["type": "array"],
                    ],
                ],
                responseSchema: Schema.object([
                    "source": Schema.string, "profile": Schema.string,
                    "instances": Schema.array(simulationInstanceSchema), "count": Schema.integer,
                ]),
                errorStatuses: [403, 404, 409, 422], mutates: true
            ) { request, engine in
                let body = request.body ?? .object([])
                guard case .object = body else { throw APIError.badRequest("the body must be a JSON object") }
                let id = projectID(request)
                let source: String
                let profile: SimulationProfile
                if let fileName = try SimulationBody.text(body, "fileName") {
                    source = ".s7wb/profiles/\(fileName)"
                    let file = try await WorkbenchAPI.engine { () async throws(EngineError) in
                        try await engine.simulationProfile(fileName: fileName, sessionID: id)
                    }
                    guard let saved = file.profile else {
                        throw APIError(status: 422, detail: file.problem ?? "\(fileName) is no s7wb profile")
                    }
                    profile = saved
                } else if let path = try SimulationBody.text(body, "path") {
                    source = path
                    profile = try await WorkbenchAPI.engine { () async throws(EngineError) in
                        try await engine.simulationProfile(atPath: path, sessionID: id)
                    }
                } else if let inner = body["profile"], inner != .null {
                    source = "body.profile"
                    profile = try await WorkbenchAPI.engine { () async throws(EngineError) in
                        try Engine.decodeSimulationProfile(inner.serialized(), source: "the body's profile")
                    }
                } else if body["instances"] != nil {
                    source = "body"
                    profile = try await WorkbenchAPI.engine { () async throws(EngineError) in
                        try Engine.decodeSimulationProfile(body.serialized(), source: "the body")
                    }
                } else {
                    throw APIError(
                        status: 422,
                        detail: "the body is no s7wb simulation profile: PLCSIM Advanced's legacy instance lists are "
                            + "not read here; send {\"instances\": [{\"name\", \"deviceName\", …}]}, "
                            + "{\"fileName\"} of a profile saved with POST /api/simulation/profiles, or {\"path\"}")
                }
                let imported = profile
                let created = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.importSimulationProfile(imported, sessionID: id, actor: request.actor)
                }
                return RouteResponse(json: [
                    "source": .string(source), "profile": .string(profile.name),
                    "instances": .array(created.map(SimulationJSON.instance)), "count": .int(Int64(created.count)),
                ])
            },
        ]
    }
}

/// Reading the PLCSim routes' bodies: each field checked for its type, 400 with the field's name otherwise.
private enum SimulationBody {
    static func text(_ object: JSONValue, _ key: String) throws(APIError) -> String? {
        guard let value = object[key], value != .null else { return nil }
        guard let text = value.stringValue else { throw APIError.badRequest("'\(key)' must be a string") }
        return text
    }

    static func integer(_ object: JSONValue, _ key: String) throws(APIError) -> Int? {
        guard let value = object[key], value != .null else { return nil }
        guard let number = value.intValue else { throw APIError.badRequest("'\(key)' must be a whole number") }
        return number
    }

    static func number(_ object: JSONValue, _ key: String) throws(APIError) -> Double? {
        guard let value = object[key], value != .null else { return nil }
        guard let number = value.doubleValue, number.isFinite else {
            throw APIError.badRequest("'\(key)' must be a number")
        }
        return number
    }

    static func timeMode(_ object: JSONValue, _ key: String) throws(APIError) -> SimulationTimeMode? {
        guard let text = try text(object, key) else { return nil }
        let plain = text.lowercased().filter { $0 != "-" && $0 != "_" && $0 != " " }
        switch plain {
        case "realtime", "real": return .realTime
        case "scaled": return .scaled
        case "stepped": return .stepped
        default: throw APIError.badRequest("'\(key)' is realTime, scaled or stepped, not '\(text)'")
        }
    }

    static func onlyKnown(_ object: JSONValue, _ keys: Set<String>) throws(APIError) {
        guard case .object(let fields) = object else { return }
        for (key, _) in fields where !keys.contains(key) {
            throw APIError.badRequest("unknown field '\(key)' (known: \(keys.sorted().joined(separator: ", ")))")
        }
    }

    /// An S7 literal from a JSON value: text as written, booleans as TRUE/FALSE, numbers in decimal.
    static func literal(_ value: JSONValue?, _ key: String) throws(APIError) -> String {
        switch value {
        case .string(let text)?:
            guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw APIError.badRequest("'\(key)' is empty")
            }
            return text
        case .bool(let flag)?: return flag ? "TRUE" : "FALSE"
        case .int(let number)?: return String(number)
        case .double(let number)?:
            guard number.isFinite else { throw APIError.badRequest("'\(key)' must be a finite number") }
            if number.rounded() == number, abs(number) < 1e15 { return String(Int64(number)) }
            return String(number)
        default:
            throw APIError.badRequest(
                "'\(key)' must be an S7 literal (TRUE, 42, 1.5, T#2s, 'text'), a number or true/false")
        }
    }

    static func definition(_ value: JSONValue?) throws(APIError) -> SimulationInstanceDefinition {
        guard let value, case .object = value else {
            throw APIError.badRequest("an instance definition is a JSON object {\"name\", \"deviceName\", …}")
        }
        guard let name = try text(value, "name"), !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw APIError.badRequest("'name' is required")
        }
        guard let device = try text(value, "deviceName"), !device.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw APIError.badRequest("'deviceName' is required")
        }
        let ipAddress = try text(value, "ipAddress")
        let subnetMask = try text(value, "subnetMask")
        let gateway = try text(value, "gateway")
        let port = try integer(value, "s7Port")
        let mode = try timeMode(value, "timeMode")
        let scale = try number(value, "timeScale")
        return SimulationInstanceDefinition(
            name: name, deviceName: device, ipAddress: ipAddress, subnetMask: subnetMask, gateway: gateway,
            s7Port: port, timeMode: mode, timeScale: scale)
    }

    /// `{"cycles", "cycleTimeMs", "durationMs", "until": {"tag", "value"}}`; nil when the body asks for no stepping.
    static func stepping(_ body: JSONValue) throws(APIError) -> SimulationStepping? {
        let cycles = try integer(body, "cycles")
        let cycleTime = try number(body, "cycleTimeMs")
        let duration = try number(body, "durationMs")
        var untilTag: String?
        var untilLiteral: String?
        if let until = body["until"], until != .null {
            guard case .object = until else {
                throw APIError.badRequest("'until' is an object {\"tag\", \"value\"}")
            }
            guard let tag = try text(until, "tag"), !tag.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw APIError.badRequest("'until.tag' is required")
            }
            untilTag = tag
            untilLiteral = try literal(until["value"], "until.value")
        }
        guard cycles != nil || duration != nil || untilTag != nil else {
            if cycleTime != nil { throw APIError.badRequest("'cycleTimeMs' needs 'cycles', 'durationMs' or 'until'") }
            return nil
        }
        if let cycles, !(1...1_000_000).contains(cycles) {
            throw APIError.badRequest("'cycles' must be from 1 to 1000000")
        }
        let step = try self.duration(cycleTime ?? 10, "cycleTimeMs")
        var span: Duration?
        if let duration { span = try self.duration(duration, "durationMs") }
        return SimulationStepping(
            cycles: cycles, cycleTime: step, duration: span, untilOperand: untilTag, untilLiteral: untilLiteral)
    }

    static func duration(_ milliseconds: Double, _ key: String) throws(APIError) -> Duration {
        guard milliseconds.isFinite, milliseconds > 0, milliseconds <= 3_600_000_000 else {
            throw APIError.badRequest("'\(key)' must be more than 0 and at most 3600000000 (milliseconds)")
        }
        let nanoseconds = (milliseconds * 1_000_000).rounded()
        guard nanoseconds >= 1 else { throw APIError.badRequest("'\(key)' is shorter than a nanosecond") }
        return .nanoseconds(Int64(nanoseconds))
    }

    /// `Line A` → `Line_A.json`.
    static func fileName(for name: String) -> String {
        let plain = name.trimmingCharacters(in: .whitespaces).map { character -> Character in
            character.isASCII && (character.isLetter || character.isNumber || character == "-" || character == "_")
                ? character : "_"
        }
        return String(plain.prefix(120)) + ".json"
    }
}

/// The PLCSim routes' answers.
private enum SimulationJSON {
    static func milliseconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) * 1000 + Double(parts.attoseconds) / 1e15
    }

    static func scale(_ configuration: SimulationInstanceConfiguration) -> JSONValue {
        configuration.timeMode == .scaled ? .double(configuration.timeScale) : .null
    }

    static func instance(_ status: SimulationInstanceStatus) -> JSONValue {
        let configuration = status.configuration
        return [
            "name": .string(configuration.name), "deviceName": .string(configuration.deviceName),
            "projectId": .string(status.projectID), "projectName": .string(status.projectName),
            "cpuType": .string(configuration.cpuType), "ipAddress": .string(configuration.ipAddress),
            "s7Port": .int(Int64(configuration.s7Port)), "poweredOn": .bool(status.poweredOn),
            "state": .string(status.state.rawValue), "stopCause": JSONValue(status.stopCause),
            "cycleCount": .int(Int64(status.cycleCount)), "virtualTimeMs": .double(milliseconds(status.virtualTime)),
            "timeMode": .string(configuration.timeMode.rawValue), "timeScale": scale(configuration),
            "downloaded": .bool(status.downloadedAt != nil),
            "downloadedAt": JSONValue(status.downloadedAt?.formatted(.iso8601)),
            "connected": .bool(status.isConnected),
        ]
    }

    static func configuration(_ status: SimulationInstanceStatus) -> JSONValue {
        let configuration = status.configuration
        return [
            "name": .string(configuration.name), "deviceName": .string(configuration.deviceName),
            "projectId": .string(status.projectID), "cpuType": .string(configuration.cpuType),
            "orderNumber": JSONValue(configuration.orderNumber), "firmware": JSONValue(configuration.firmware),
            "ipAddress": .string(configuration.ipAddress), "subnetMask": .string(configuration.subnetMask),
            "gateway": JSONValue(configuration.gateway), "s7Port": .int(Int64(configuration.s7Port)),
            "timeMode": .string(configuration.timeMode.rawValue), "timeScale": scale(configuration),
            "poweredOn": .bool(status.poweredOn),
        ]
    }

    static func network(_ status: SimulationInstanceStatus) -> JSONValue {
        let configuration = status.configuration
        return [
            "name": .string(configuration.name), "ipAddress": .string(configuration.ipAddress),
            "subnetMask": .string(configuration.subnetMask), "gateway": JSONValue(configuration.gateway),
            "s7Port": .int(Int64(configuration.s7Port)),
        ]
    }

    static func tag(_ tag: SimulationTag) -> JSONValue {
        [
            "name": .string(tag.name), "dataType": .string(tag.dataType), "address": JSONValue(tag.address),
            "source": .string(tag.source), "kind": .string(tag.kind.rawValue),
        ]
    }

    static func value(_ value: SimulationTagValue) -> JSONValue {
        [
            "name": .string(value.name), "value": JSONValue(value.value?.format()),
            "dataType": JSONValue(value.dataType), "quality": .string(value.isGood ? "good" : "bad"),
            "problem": JSONValue(value.problem?.rawValue), "error": JSONValue(value.reason),
        ]
    }

    static func definition(_ definition: SimulationInstanceDefinition) -> JSONValue {
        let scale: JSONValue = definition.timeScale.map { JSONValue.double($0) } ?? .null
        return [
            "name": .string(definition.name), "deviceName": .string(definition.deviceName),
            "ipAddress": JSONValue(definition.ipAddress), "subnetMask": JSONValue(definition.subnetMask),
            "gateway": JSONValue(definition.gateway), "s7Port": JSONValue(definition.s7Port),
            "timeMode": JSONValue(definition.timeMode?.rawValue), "timeScale": scale,
        ]
    }

    static func profileSummary(_ file: SimulationProfileFile) -> JSONValue {
        [
            "fileName": .string(file.fileName), "name": .string(file.profile?.name ?? file.fileName),
            "description": JSONValue(file.profile?.description),
            "createdAt": JSONValue(file.profile?.createdAt?.formatted(.iso8601)),
            "instanceCount": .int(Int64(file.profile?.instances.count ?? 0)),
            "sizeBytes": .int(Int64(file.sizeBytes)), "problem": JSONValue(file.problem),
        ]
    }

    static func profile(_ file: SimulationProfileFile) -> JSONValue {
        let instances = file.profile?.instances ?? []
        return [
            "fileName": .string(file.fileName), "name": .string(file.profile?.name ?? file.fileName),
            "description": JSONValue(file.profile?.description),
            "createdAt": JSONValue(file.profile?.createdAt?.formatted(.iso8601)),
            "instanceCount": .int(Int64(instances.count)), "sizeBytes": .int(Int64(file.sizeBytes)),
            "format": .string(file.profile?.format ?? SimulationProfile.formatName),
            "version": .int(Int64(file.profile?.version ?? 1)), "instances": .array(instances.map(definition)),
        ]
    }
}
