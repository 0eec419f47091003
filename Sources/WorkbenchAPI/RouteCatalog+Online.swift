import Foundation
import S7Compiler
import S7Runtime
import Workbench

extension Schema {
    static let plcEndpoint = object([
        "address": string, "port": integer, "rack": integer, "slot": integer, "timeoutMs": integer,
    ])
    static let onlineStatus = object([
        "device": string, "online": boolean, "since": nullableString, "target": string, "cpuMode": nullableString,
        "ipAddress": nullableString, "plc": ["oneOf": [plcEndpoint, ["type": "null"]]],
        "connection": nullableString, "message": string,
    ])
    static let cycleStatistics = object([
        "count": integer, "lastMs": number, "minimumMs": number, "maximumMs": number, "averageMs": number,
        "lastExecutionMs": number, "minimumExecutionMs": number, "maximumExecutionMs": number,
        "averageExecutionMs": number,
    ])
    static let cpuStatus = object([
        "device": string, "target": string, "mode": string, "stopCause": nullableString, "cycle": nullableInteger,
        "virtualTimeMs": ["type": ["number", "null"]], "timeMode": nullableString, "downloadedAt": nullableString,
        "diagnosticBufferCount": integer, "lastDiagnostic": nullableString, "forcedCount": nullableInteger,
        "loadedBlocks": ["type": ["array", "null"], "items": string],
        "cycleStatistics": ["oneOf": [cycleStatistics, ["type": "null"]]],
        "plc": ["oneOf": [plcEndpoint, ["type": "null"]]],
    ])
    static let downloadSummary = object([
        "device": string, "target": string, "keepActualValues": boolean, "blocksLoaded": integer,
        "loadedBlocks": array(string), "dataBlocksLoaded": integer, "dataBlocksKept": array(string),
        "dataBlocksReinitialized": array(string), "errorCount": integer, "warningCount": integer,
        "blocksLeftOut": array(string), "restarted": boolean, "cpuMode": string, "compile": softwareCompile,
    ])
    static let comparedBlock = object([
        "name": string, "type": nullableString, "number": nullableInteger, "status": string,
    ])
    static let onlineComparison = object([
        "device": string, "downloadedAt": nullableString, "identical": boolean, "blocks": array(comparedBlock),
        "summary": object(["same": integer, "different": integer, "onlyOffline": integer, "onlyOnline": integer]),
    ])
    static let uploadReport = object([
        "device": string, "downloadedAt": nullableString, "blocks": array(comparedBlock), "count": integer,
        "actualValuesAsStartValues": boolean, "updatedDataBlocks": array(string),
        "startValues": array(
            object([
                "dataBlock": string, "member": string, "oldStartValue": nullableString, "newStartValue": string,
            ])),
        "skippedMembers": array(object(["dataBlock": string, "member": string, "dataType": string, "reason": string])),
        "message": string,
    ])
}

extension RouteCatalog {
    static let onlineGroup = "Download / Upload"

    /// T-IA's Download / Upload group with the device's virtual PLC: online and offline, CPU state, start and stop,
    /// download (keeping actual values on request), upload (actual values as start values on request) and the
    /// online/offline comparison. Reading the CPU, start, stop, upload and compare need the device online (409
    /// otherwise, as TIA asks to go online first); a download goes online by itself.
    static var onlineRoutes: [Route] {
        let download = Route(
            .post, "/api/devices/{deviceName}/actions/download-sync", group: onlineGroup,
            summary: "Compile the PLC and load it into its virtual PLC (going online): STOP for the load, back to RUN "
                + "if it ran. With keepActualValues, DBs whose layout did not change keep their actual values "
                + "(download without reinitialization); the others start from their start values.",
            query: [projectIDQuery],
            requestSchema: [
                "type": "object",
                "properties": [
                    "keepActualValues": [
                        "type": "boolean",
                        "description": "Keep the actual values of DBs whose layout did not change (default false).",
                    ]
                ],
            ],
            responseSchema: Schema.downloadSummary, errorStatuses: [404, 409, 422], mutates: true
        ) { request, engine in
            if request.body != nil, request.body != .null { _ = try request.fields() }
            let keep = try request.bool("keepActualValues") ?? false
            let call = BlockRouteSupport.DeviceCall(request)
            let summary = try await WorkbenchAPI.engine { () async throws(EngineError) in
                try await engine.downloadProgram(
                    device: call.device, keepActualValues: keep, sessionID: call.sessionID, actor: call.actor)
            }
            return RouteResponse(json: downloadJSON(summary))
        }
        let upload = Route(
            .post, "/api/devices/{deviceName}/actions/upload-sync", group: onlineGroup,
            summary: "Read back what the virtual PLC holds: its blocks compared with the project (whose sources s7wb "
                + "keeps). With actualValuesAsStartValues, the actual values of SCL-source global DBs ('dataBlocks', "
                + "else every one the PLC holds unchanged) become their start values in the DB source: members of "
                + "elementary types, also inside Structs; other members are listed as skipped.",
            query: [projectIDQuery],
            requestSchema: [
                "type": "object",
                "properties": [
                    "actualValuesAsStartValues": Schema.boolean,
                    "dataBlocks": ["type": "array", "items": ["type": "string", "minLength": 1]],
                ],
            ],
            responseSchema: Schema.uploadReport, errorStatuses: [404, 409, 422], mutates: true
        ) { request, engine in
            if request.body != nil, request.body != .null { _ = try request.fields() }
            let asStartValues = try request.bool("actualValuesAsStartValues") ?? false
            var names: [String]?
            if let items = try request.array("dataBlocks") {
                var list: [String] = []
                for (index, item) in items.enumerated() {
                    guard let name = item.stringValue, !name.trimmingCharacters(in: .whitespaces).isEmpty else {
                        throw APIError.badRequest("'dataBlocks[\(index)]' must be the name of a data block")
                    }
                    list.append(name)
                }
                names = list
            }
            let dataBlocks = names
            let call = BlockRouteSupport.DeviceCall(request)
            let report = try await WorkbenchAPI.engine { () async throws(EngineError) in
                try await engine.upload(
                    device: call.device, actualValuesAsStartValues: asStartValues, dataBlocks: dataBlocks,
                    sessionID: call.sessionID, actor: call.actor)
            }
            return RouteResponse(json: uploadJSON(report))
        }
        return [
            Route(
                .post, "/api/devices/{deviceName}/online", group: onlineGroup,
                summary: "Go online with the PLC: by default its virtual PLC (created in STOP the first time); with "
                    + "target 'plc' the real PLC over S7comm (PUT/GET) at 'address' (default: the project's IP "
                    + "address), 'port' 102, 'rack' 0, 'slot' 1: it must answer (502 otherwise). Online with a real "
                    + "PLC, watch tables, modify, CPU state and start/stop act on it; download, upload and compare "
                    + "are refused (they need S7comm-plus).",
                query: [projectIDQuery],
                requestSchema: [
                    "type": "object",
                    "properties": [
                        "target": ["type": "string", "enum": ["virtual", "plc"]],
                        "address": ["type": "string", "format": "ipv4"],
                        "port": ["type": "integer", "minimum": 1, "maximum": 65535],
                        "rack": ["type": "integer", "minimum": 0, "maximum": 7],
                        "slot": ["type": "integer", "minimum": 0, "maximum": 31],
                        "timeoutMs": ["type": "integer", "minimum": 10, "maximum": 60000],
                    ],
                ],
                responseSchema: Schema.onlineStatus, errorStatuses: [400, 404, 409, 422, 502], mutates: true
            ) { request, engine in
                if request.body != nil, request.body != .null { _ = try request.fields() }
                let (target, endpoint) = try onlineRequest(request)
                let call = BlockRouteSupport.DeviceCall(request)
                let status = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.goOnline(
                        device: call.device, target: target, endpoint: endpoint, sessionID: call.sessionID,
                        actor: call.actor)
                }
                return RouteResponse(json: onlineJSON(status))
            },
            Route(
                .delete, "/api/devices/{deviceName}/online", group: onlineGroup,
                summary: "Go offline (a real PLC's connection is closed); the CPU keeps running as it was.",
                query: [projectIDQuery],
                responseSchema: Schema.onlineStatus, errorStatuses: [404, 409, 422], mutates: true
            ) { request, engine in
                let call = BlockRouteSupport.DeviceCall(request)
                let status = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.goOffline(device: call.device, sessionID: call.sessionID, actor: call.actor)
                }
                return RouteResponse(json: onlineJSON(status))
            },
            Route(
                .get, "/api/devices/{deviceName}/online/status", group: onlineGroup,
                summary: "Whether the PLC is online, since when, with what (target: virtual or plc, with the real "
                    + "PLC's address and the state of the S7comm connection) and its CPU mode.",
                query: [projectIDQuery], responseSchema: Schema.onlineStatus, errorStatuses: [404, 409, 422]
            ) { request, engine in
                let call = BlockRouteSupport.DeviceCall(request)
                let status = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.onlineStatus(device: call.device, sessionID: call.sessionID)
                }
                return RouteResponse(json: onlineJSON(status))
            },
            Route(
                .get, "/api/devices/{deviceName}/cpu/status", group: onlineGroup,
                summary: "The CPU's state (RUN, STOP with its cause, STARTUP), cycle statistics, virtual time and time "
                    + "mode, download time, diagnostic buffer; the PLC must be online. A real PLC reports its mode and "
                    + "diagnostic buffer (the virtual CPU's fields are null).",
                query: [projectIDQuery], responseSchema: Schema.cpuStatus, errorStatuses: [404, 409, 422, 502]
            ) { request, engine in
                let call = BlockRouteSupport.DeviceCall(request)
                let status = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.cpuStatus(device: call.device, sessionID: call.sessionID)
                }
                return RouteResponse(json: cpuJSON(status))
            },
            download,
            download.job(
                .post, "/api/devices/{deviceName}/actions/download",
                summary: "Download the program to the virtual PLC (asynchronous); the job's result is download-sync's "
                    + "answer."),
            upload.job(
                .post, "/api/devices/{deviceName}/actions/upload",
                summary: "Upload (read back) from the virtual PLC (asynchronous); the job's result is upload-sync's "
                    + "answer."),
            upload,
            modeRoute(run: true),
            modeRoute(run: false),
            Route(
                .post, "/api/devices/{deviceName}/actions/compare", group: onlineGroup,
                summary: "Compare every block of the project with the virtual PLC: same, different (changed since the "
                    + "download), onlyOffline (not loaded) or onlyOnline; the PLC must be online.",
                query: [projectIDQuery], responseSchema: Schema.onlineComparison, errorStatuses: [404, 409, 422]
            ) { request, engine in
                let call = BlockRouteSupport.DeviceCall(request)
                let report = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.compareOnline(device: call.device, sessionID: call.sessionID)
                }
                return RouteResponse(json: comparisonJSON(report))
            },
        ]
    }

    /// `cpu/actions/start` or `cpu/actions/stop`: answers the CPU's state afterwards.
    static func modeRoute(run: Bool) -> Route {
        Route(
            .post, "/api/devices/{deviceName}/cpu/actions/\(run ? "start" : "stop")", group: onlineGroup,
            summary: run
                ? "Start the CPU: STOP → STARTUP (OB100) → RUN; it needs a download, and the PLC online."
                : "Stop the CPU (RUN → STOP, outputs off); the PLC must be online.",
            query: [projectIDQuery], responseSchema: Schema.cpuStatus, errorStatuses: [404, 409, 422, 502],
            mutates: true
        ) { request, engine in
            let call = BlockRouteSupport.DeviceCall(request)
            let status = try await WorkbenchAPI.engine { () async throws(EngineError) in
                try await engine.setCPUMode(run: run, device: call.device, sessionID: call.sessionID, actor: call.actor)
            }
            return RouteResponse(json: cpuJSON(status))
        }
    }

    // MARK: Answers

    /// The target and endpoint of a go-online request.
    static func onlineRequest(_ request: RouteRequest) throws(APIError) -> (OnlineTarget, PLCEndpoint?) {
        let text = try request.string("target") ?? "virtual"
        guard let target = OnlineTarget(rawValue: text.lowercased()) else {
            throw APIError.badRequest("'target' must be 'virtual' or 'plc', not '\(text)'")
        }
        let address = try request.string("address")
        let port = try request.int("port")
        let rack = try request.int("rack")
        let slot = try request.int("slot")
        let timeout = try request.int("timeoutMs")
        guard target == .plc else {
            if address != nil || port != nil || rack != nil || slot != nil || timeout != nil {
                throw APIError.badRequest("'address', 'port', 'rack', 'slot' and 'timeoutMs' need target 'plc'")
            }
            return (.virtual, nil)
        }
        if let address, address.trimmingCharacters(in: .whitespaces).isEmpty {
            throw APIError.badRequest("'address' must not be empty")
        }
        guard (1...65535).contains(port ?? 102), (0...7).contains(rack ?? 0), (0...31).contains(slot ?? 1),
            (10...60000).contains(timeout ?? 2000)
        else {
            throw APIError.badRequest("port must be 1…65535, rack 0…7, slot 0…31 and timeoutMs 10…60000")
        }
        return (
            .plc,
            PLCEndpoint(
                host: address?.trimmingCharacters(in: .whitespaces) ?? "", port: port ?? 102, rack: rack ?? 0,
                slot: slot ?? 1, timeout: .milliseconds(timeout ?? 2000))
        )
    }

    static func endpointJSON(_ endpoint: PLCEndpoint?) -> JSONValue {
        guard let endpoint else { return .null }
        return [
            "address": .string(endpoint.host), "port": .int(Int64(endpoint.port)), "rack": .int(Int64(endpoint.rack)),
            "slot": .int(Int64(endpoint.slot)),
            "timeoutMs": .int(Int64((endpoint.timeout / .milliseconds(1)).rounded())),
        ]
    }

    static func durationMilliseconds(_ duration: Duration) -> JSONValue {
        let (seconds, attoseconds) = duration.components
        return .double(Double(seconds) * 1000 + Double(attoseconds) / 1e15)
    }

    static func onlineTimestamp(_ date: Date?) -> JSONValue {
        JSONValue(date?.formatted(.iso8601))
    }

    static func onlineJSON(_ status: OnlineStatus) -> JSONValue {
        var message = "\(status.device) is offline"
        if status.isOnline, let endpoint = status.endpoint {
            message = "online with the real PLC at \(endpoint)"
            if let link = status.link { message += ": \(link)" }
        } else if status.isOnline {
            message = "online with the virtual PLC of \(status.device)"
            if let address = status.ipAddress {
                message += " (standing in for \(address); go online with target 'plc' to reach the real PLC)"
            }
        }
        return [
            "device": .string(status.device), "online": .bool(status.isOnline), "since": onlineTimestamp(status.since),
            "target": .string(status.target.rawValue), "cpuMode": JSONValue(status.mode?.text),
            "ipAddress": JSONValue(status.ipAddress), "plc": endpointJSON(status.endpoint),
            "connection": JSONValue(status.link?.description), "message": .string(message),
        ]
    }

    static func cpuJSON(_ status: CPUStatus) -> JSONValue {
        var statistics: JSONValue = .null
        if let cycles = status.statistics {
            statistics = [
                "count": .int(Int64(cycles.count)), "lastMs": durationMilliseconds(cycles.last),
                "minimumMs": durationMilliseconds(cycles.minimum), "maximumMs": durationMilliseconds(cycles.maximum),
                "averageMs": durationMilliseconds(cycles.average),
                "lastExecutionMs": durationMilliseconds(cycles.lastExecution),
                "minimumExecutionMs": durationMilliseconds(cycles.minimumExecution),
                "maximumExecutionMs": durationMilliseconds(cycles.maximumExecution),
                "averageExecutionMs": durationMilliseconds(cycles.averageExecution),
            ]
        }
        return [
            "device": .string(status.device), "target": .string(status.target.rawValue),
            "mode": .string(status.mode.text), "stopCause": JSONValue(status.mode.stopCause?.rawValue),
            "cycle": JSONValue(status.cycle),
            "virtualTimeMs": status.virtualTime.map(durationMilliseconds) ?? .null,
            "timeMode": JSONValue(status.timeMode?.description),
            "downloadedAt": onlineTimestamp(status.downloadedAt),
            "diagnosticBufferCount": .int(Int64(status.diagnosticCount)),
            "lastDiagnostic": JSONValue(status.lastDiagnostic),
            "forcedCount": JSONValue(status.forcedCount),
            "loadedBlocks": status.loadedBlocks.map { JSONValue($0) } ?? .null, "cycleStatistics": statistics,
            "plc": endpointJSON(status.endpoint),
        ]
    }

    static func downloadJSON(_ summary: DownloadSummary) -> JSONValue {
        let result = summary.report.result
        return [
            "device": .string(summary.report.device), "target": .string(OnlineTarget.virtual.rawValue),
            "keepActualValues": .bool(summary.keepActualValues),
            "blocksLoaded": .int(Int64(summary.report.loadedBlocks)),
            "loadedBlocks": JSONValue(result.program.blocks.map(\.name)),
            "dataBlocksLoaded": .int(Int64(summary.report.dataBlocks)),
            "dataBlocksKept": JSONValue(summary.keptDataBlocks),
            "dataBlocksReinitialized": JSONValue(summary.reinitializedDataBlocks),
            "errorCount": .int(Int64(result.errorCount)), "warningCount": .int(Int64(result.warningCount)),
            "blocksLeftOut": JSONValue(result.skippedBlocks), "restarted": .bool(summary.restarted),
            "cpuMode": .string(OnlineCPUMode.virtual(summary.mode).text), "compile": softwareJSON(result),
        ]
    }

    static func comparedBlockJSON(_ entry: BlockComparisonEntry) -> JSONValue {
        [
            "name": .string(entry.name), "type": JSONValue(entry.type), "number": JSONValue(entry.number),
            "status": .string(entry.status.rawValue),
        ]
    }

    static func comparisonJSON(_ report: OnlineComparisonReport) -> JSONValue {
        [
            "device": .string(report.device), "downloadedAt": onlineTimestamp(report.downloadedAt),
            "identical": .bool(report.isIdentical), "blocks": .array(report.blocks.map(comparedBlockJSON)),
            "summary": [
                "same": .int(Int64(report.count(.same))), "different": .int(Int64(report.count(.different))),
                "onlyOffline": .int(Int64(report.count(.onlyOffline))),
                "onlyOnline": .int(Int64(report.count(.onlyOnline))),
            ],
        ]
    }

    static func uploadJSON(_ report: UploadReport) -> JSONValue {
        let message: String
        if report.downloadedAt == nil {
            message = "the PLC holds no program"
        } else if report.actualValuesAsStartValues {
            message =
                "\(report.startValues.count) start values taken from actual values"
                + (report.updatedDataBlocks.isEmpty ? "" : " in " + report.updatedDataBlocks.joined(separator: ", "))
                + "; saved with the project"
        } else {
            message = "the project holds the source of every block the PLC runs (s7wb does not decompile)"
        }
        return [
            "device": .string(report.device), "downloadedAt": onlineTimestamp(report.downloadedAt),
            "blocks": .array(report.blocks.map(comparedBlockJSON)), "count": .int(Int64(report.blocks.count)),
            "actualValuesAsStartValues": .bool(report.actualValuesAsStartValues),
            "updatedDataBlocks": JSONValue(report.updatedDataBlocks),
            "startValues": .array(
                report.startValues.map { change in
                    [
                        "dataBlock": .string(change.dataBlock), "member": .string(change.member),
                        "oldStartValue": JSONValue(change.oldStartValue),
                        "newStartValue": .string(change.newStartValue),
                    ]
                }),
            "skippedMembers": .array(
                report.skippedMembers.map { skipped in
                    [
                        "dataBlock": .string(skipped.dataBlock), "member": .string(skipped.member),
                        "dataType": .string(skipped.dataType), "reason": .string(skipped.reason),
                    ]
                }),
            "message": .string(message),
        ]
    }
}
