public import Workbench

/// An error answered as an RFC 9457 problem: `{"type", "title", "status", "detail"}`.
public struct APIError: Error, Sendable, CustomStringConvertible {
    public var status: Int
    public var title: String
    public var detail: String

    public init(status: Int, title: String? = nil, detail: String) {
        self.status = status
        self.title = title ?? APIError.reason(for: status)
        self.detail = detail
    }

    public static func badRequest(_ detail: String) -> APIError { APIError(status: 400, detail: detail) }
    public static func notFound(_ detail: String) -> APIError { APIError(status: 404, detail: detail) }

    public init(_ error: EngineError) {
        switch error.kind {
        case .notFound: self.init(status: 404, detail: error.message)
        case .conflict: self.init(status: 409, detail: error.message)
        case .invalidInput: self.init(status: 400, detail: error.message)
        case .io: self.init(status: 500, detail: error.message)
        case .unsupported: self.init(status: 422, detail: error.message)
        case .forbidden: self.init(status: 403, detail: error.message)
        case .unreachable: self.init(status: 502, detail: error.message)
        }
    }

    public var description: String { "\(status) \(title): \(detail)" }

    public var problem: JSONValue {
        [
            "type": .string("https://s7wb.dev/problems/\(status)"), "title": .string(title),
            "status": .int(Int64(status)),
            "detail": .string(detail),
        ]
    }

    public static func reason(for status: Int) -> String {
        switch status {
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 409: "Conflict"
        case 413: "Payload Too Large"
        case 415: "Unsupported Media Type"
        case 422: "Unprocessable Content"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        default: "Error"
        }
    }

    /// JSON Schema of the problem body, shared by every error response in the OpenAPI document.
    public static let schema: JSONValue = [
        "type": "object", "required": ["title", "status", "detail"],
        "properties": [
            "type": ["type": "string"], "title": ["type": "string"], "status": ["type": "integer"],
            "detail": ["type": "string"],
        ],
    ]
}

/// Runs an engine call and turns its error into a problem.
func engine<T>(_ body: () async throws(EngineError) -> T) async throws(APIError) -> T {
    do {
        return try await body()
    } catch {
        throw APIError(error)
    }
}
