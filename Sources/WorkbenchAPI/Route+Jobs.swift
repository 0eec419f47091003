import Foundation
import Workbench

extension Route {
    /// This operation as a job (T-IA Connect's asynchronous form): at `path` (and `method`, by default this one's) it
    /// takes the same input, answers 202 with the job at once, and the job's result is what this route answers.
    /// An event stream has no job form: it answers only while its client listens (asking for one is a mistake in
    /// the catalog, caught as soon as the catalog is built).
    func job(_ method: HTTPVerb? = nil, _ path: String, summary: String) -> Route {
        precondition(!isEventStream, "\(key) answers an event stream; it has no job form")
        let synchronous = self
        var route = Route(
            method ?? self.method, path, group: group, summary: summary, isPublic: isPublic, query: query,
            pathSchemas: pathSchemas, requestSchema: requestSchema, responseSchema: Schema.jobAccepted,
            successStatus: 202, errorStatuses: errorStatuses, mutates: mutates
        ) { request, engine in
            let record = await engine.startJob(
                kind: synchronous.key, sessionID: RouteCatalog.projectID(request),
                message: "\(synchronous.method.rawValue) \(synchronous.path)"
            ) {
                let response = try await synchronous.handler(request, engine)
                switch response.body {
                case .json(let value): return String(decoding: value.serialized(), as: UTF8.self)
                case .text(let text, _): return String(decoding: JSONValue.string(text).serialized(), as: UTF8.self)
                case .eventStream: throw APIError(status: 422, detail: "an event stream cannot run as a job")
                }
            }
            return RouteResponse(status: 202, json: ModelJSON.jobAccepted(record))
        }
        route.synchronous = (handler, responseSchema)
        return route
    }
}

extension RouteRequest {
    /// The body's fields; 400 when the body is missing or not a JSON object.
    func fields() throws(APIError) -> [(String, JSONValue)] {
        guard case .object(let fields) = body ?? .null else {
            throw APIError.badRequest("the body must be a JSON object")
        }
        return fields
    }

    /// A body field, nil when absent or null.
    func field(_ key: String) -> JSONValue? {
        guard let value = body?[key], value != .null else { return nil }
        return value
    }

    /// A text field of the body; 400 when present with another type.
    func string(_ key: String) throws(APIError) -> String? {
        guard let value = field(key) else { return nil }
        guard let text = value.stringValue else { throw APIError.badRequest("'\(key)' must be a string") }
        return text
    }

    /// A text field the operation needs; 400 when missing, empty or not text.
    func requiredString(_ key: String) throws(APIError) -> String {
        guard let text = try string(key), !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw APIError.badRequest("'\(key)' is required")
        }
        return text
    }

    func bool(_ key: String) throws(APIError) -> Bool? {
        guard let value = field(key) else { return nil }
        guard let flag = value.boolValue else { throw APIError.badRequest("'\(key)' must be true or false") }
        return flag
    }

    func int(_ key: String) throws(APIError) -> Int? {
        guard let value = field(key) else { return nil }
        guard let number = value.intValue else { throw APIError.badRequest("'\(key)' must be a whole number") }
        return number
    }

    func array(_ key: String) throws(APIError) -> [JSONValue]? {
        guard let value = field(key) else { return nil }
        guard let items = value.arrayValue else { throw APIError.badRequest("'\(key)' must be an array") }
        return items
    }
}
