import S7Model
import Workbench

/// The live values of a watch table as server-sent events (issue #7, "Live monitoring"): the table is read once per
/// interval, from one image of the device's virtual PLC, and only what changed is sent.
///
/// Example: `GET /api/devices/PLC_1/watch-tables/Line%20overview/values/stream?intervalMs=200` answers
/// ```
/// event: values
/// id: 1
/// data: {"name":"Line overview","type":"watch","liveValues":true,"downloadedAt":"…","complete":true,"entries":[…]}
///
/// event: values
/// id: 2
/// data: {"name":"Line overview",…,"complete":false,"entries":[{"index":0,"operand":"\"LineData\".State",…}]}
/// ```
enum WatchStreamSupport {
    static let intervals = 10...60_000
    static let defaultInterval = 500
    /// A quiet stream gets a `: keep-alive` comment this often.
    static let keepAlive: Duration = .seconds(15)

    static let intervalQuery = QueryParameter(
        "intervalMs", "Milliseconds between two reads of the table: 10 to 60000, default 500.",
        schema: ["type": "integer", "minimum": 10, "maximum": 60_000, "default": 500])
    static let maxEventsQuery = QueryParameter(
        "maxEvents",
        "Stop after this many 'values' events (the first one included); without it the stream runs until the "
            + "client leaves.",
        schema: ["type": "integer", "minimum": 1, "maximum": .int(Int64(Int32.max))])

    static let streamSchema: JSONValue = [
        "type": "string",
        "description": .string(
            "Server-sent events. 'values' (id counting up from 1): {name, type, liveValues, downloadedAt, complete, "
                + "entries}, each entry as GET …/watch-tables/{tableName} shows it; the first event holds every row "
                + "(complete: true, as does an event after the rows were edited), the others only the rows whose "
                + "value, quality or error changed. 'error': a problem {type, title, status, detail} when the table "
                + "can no longer be read (deleted, project closed); the stream then ends. A quiet stream gets a "
                + "': keep-alive' comment every 15 s."),
    ]

    static var valuesStreamRoute: Route {
        var route = Route(
            .get, "/api/devices/{deviceName}/watch-tables/{tableName}/values/stream",
            group: RouteCatalog.watchTablesGroup,
            summary: "Server-sent events of a watch table's live values: every row first, then every 'intervalMs' "
                + "the rows whose value, quality or error changed (nothing when none did), until 'maxEvents' or the "
                + "client leaves. Values come from the device's virtual PLC (null before a download).",
            query: [RouteCatalog.projectIDQuery, intervalQuery, maxEventsQuery], responseSchema: streamSchema,
            errorStatuses: [404, 409]
        ) { request, engine in
            try await start(request, engine)
        }
        route.responseMediaType = EventStream.mediaType
        return route
    }

    /// Checks the request and reads the table once, so that a missing project, device or table is answered as a
    /// problem before the stream starts; the stream then begins with that reading.
    static func start(_ request: RouteRequest, _ engine: Engine) async throws -> RouteResponse {
        let interval = try integer(request, "intervalMs", in: intervals, "from 10 to 60000") ?? defaultInterval
        let maxEvents = try integer(request, "maxEvents", in: 1...Int(Int32.max), "of 1 or more")
        let device = request.path("deviceName")
        let tableName = request.path("tableName")
        // The project the stream watches, even if another one becomes the current project while it runs.
        let sessionID = try await RouteCatalog.session(request, engine).id
        let read: @Sendable () async throws -> WatchTableReading = {
            try await WorkbenchAPI.engine { () async throws(EngineError) in
                try await engine.readWatchTable(tableName, kind: .watch, device: device, sessionID: sessionID)
            }
        }
        let first = try await read()
        return RouteResponse(
            eventStream: EventStream { events in
                try await stream(
                    first: first, read: read, interval: .milliseconds(interval), maxEvents: maxEvents, to: events)
            })
    }

    /// A whole-number query parameter in `range`; nil when absent, 400 otherwise.
    static func integer(
        _ request: RouteRequest, _ name: String, in range: ClosedRange<Int>, _ wanted: String
    ) throws(APIError) -> Int? {
        guard let text = request.query[name] else { return nil }
        guard let number = Int(text), range.contains(number) else {
            throw APIError.badRequest("'\(name)' must be a whole number \(wanted), not '\(text)'")
        }
        return number
    }

    /// Sends `first` whole, then reads the table every `interval` (one engine call, nothing held between two) and
    /// sends what changed. Ends after `maxEvents` 'values' events, after an 'error' event when the table cannot be
    /// read any more, or by cancellation when the client leaves (the wait for the next tick throws).
    static func stream(
        first: WatchTableReading, read: @Sendable () async throws -> WatchTableReading, interval: Duration,
        maxEvents: Int?, to events: EventStreamWriter
    ) async throws {
        let limit = maxEvents ?? Int.max
        var tracker = WatchValueTracker()
        var lastID = 1
        try await events.send(event: "values", data: tracker.event(for: first), id: String(lastID))
        var valuesSent = 1
        var lastWrite = ContinuousClock.now
        var next = ContinuousClock.now
        while valuesSent < limit {
            next = next.advanced(by: interval)
            // A read slower than the interval skips the ticks it missed instead of catching up in a burst.
            if next < ContinuousClock.now { next = ContinuousClock.now.advanced(by: interval) }
            try await Task.sleep(until: next, clock: .continuous)
            let reading: WatchTableReading
            do {
                reading = try await read()
            } catch let error as APIError {
                lastID += 1
                try await events.send(event: "error", data: error.problem, id: String(lastID))
                return
            }
            if let data = tracker.changes(in: reading) {
                lastID += 1
                try await events.send(event: "values", data: data, id: String(lastID))
                valuesSent += 1
                lastWrite = ContinuousClock.now
            } else if ContinuousClock.now - lastWrite >= keepAlive {
                try await events.comment("keep-alive")
                lastWrite = ContinuousClock.now
            }
        }
    }
}

/// What a watch table stream last sent for each row, to tell which rows changed: a row changed when anything but
/// its timestamp differs (value, quality, error, or the row's own fields). When rows were added, removed or
/// reordered the next event holds every row again (`complete`), since row indexes no longer match.
///
/// Example: rows `[A = 1, B = 2]`, then `[A = 1, B = 3]`: `changes` answers an event with only B (index 1); then
/// `[A = 1, B = 3]` again: nil.
struct WatchValueTracker {
    private var operands: [JSONValue]?
    private var rows: [JSONValue] = []

    /// The event holding every row of `reading`; what follows is compared with it.
    mutating func event(for reading: WatchTableReading) -> JSONValue {
        let (table, entries) = Self.split(reading)
        operands = entries.map { $0["operand"] ?? .null }
        rows = entries.map(Self.withoutTimestamp)
        return Self.data(table, entries: entries, complete: true)
    }

    /// The event of the rows that changed since the last event, nil when none did.
    mutating func changes(in reading: WatchTableReading) -> JSONValue? {
        let (table, entries) = Self.split(reading)
        guard entries.map({ $0["operand"] ?? .null }) == operands else { return event(for: reading) }
        var changed: [JSONValue] = []
        for (index, entry) in entries.enumerated() {
            let row = Self.withoutTimestamp(entry)
            if row != rows[index] {
                changed.append(entry)
                rows[index] = row
            }
        }
        // Not `changed.isEmpty ? nil : …`: JSONValue is nil-literal expressible, so that nil would be JSON null.
        if changed.isEmpty { return Optional.none }
        return Self.data(table, entries: changed, complete: false)
    }

    /// The table's answer as `GET …/watch-tables/{tableName}` gives it, and its rows.
    private static func split(_ reading: WatchTableReading) -> (table: JSONValue, entries: [JSONValue]) {
        let table = WatchTableRouteSupport.detailsJSON(reading)
        return (table, table["entries"]?.arrayValue ?? [])
    }

    private static func withoutTimestamp(_ entry: JSONValue) -> JSONValue {
        guard case .object(let members) = entry else { return entry }
        return .object(members.filter { $0.0 != "timestamp" })
    }

    private static func data(_ table: JSONValue, entries: [JSONValue], complete: Bool) -> JSONValue {
        .object([
            ("name", table["name"] ?? .null), ("type", table["type"] ?? .null),
            ("liveValues", table["liveValues"] ?? .null), ("downloadedAt", table["downloadedAt"] ?? .null),
            ("complete", .bool(complete)), ("entries", .array(entries)),
        ])
    }
}

extension RouteCatalog {
    /// Routes answering server-sent events (s7wb's own, not T-IA Connect's): the live values of a watch table.
    static var streamRoutes: [Route] {
        [WatchStreamSupport.valuesStreamRoute]
    }
}
