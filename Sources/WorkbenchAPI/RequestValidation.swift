import Foundation

/// Checks a request against what its route documents, before the handler runs: the JSON body against the route's
/// request schema and the query parameters against theirs. So a request the OpenAPI document calls invalid is
/// refused with 400 at once, also by the asynchronous routes (which would otherwise accept it and fail the job).
///
/// The JSON Schema keywords the catalog uses are checked: `type` (one or several), `enum`, `required`,
/// `properties`, `additionalProperties`, `items`, `minLength`, `maxLength`, `minimum`, `maximum`, `minItems`,
/// `maxItems`, `pattern`, `anyOf`, `oneOf` (as anyOf), `allOf`. Others (`description`, `format`, `$ref`) are not checked.
enum RequestValidation {
    /// The first problem of `body` (nil when the route takes it as it is).
    static func problem(body: JSONValue?, for route: Route) -> String? {
        guard let schema = route.requestSchema else { return nil }
        guard let body else {
            // No body reads as an empty object: fine unless the schema needs fields.
            return problem(.object([]), against: schema, at: "body").map { "a JSON body is required: \($0)" }
        }
        return problem(body, against: schema, at: "body")
    }

    /// Whether the route needs a body at all (an empty object does not satisfy its schema).
    static func bodyIsRequired(_ schema: JSONValue) -> Bool {
        problem(.object([]), against: schema, at: "body") != nil
    }

    /// The first problem of the query parameters (nil when they fit what the route documents).
    static func problem(query: [String: String], for route: Route) -> String? {
        for parameter in route.query {
            guard let text = query[parameter.name] else {
                if parameter.required { return "the query parameter '\(parameter.name)' is required" }
                continue
            }
            let value: JSONValue
            switch parameter.schema["type"]?.stringValue {
            case "integer":
                guard let number = Int64(text) else {
                    return "the query parameter '\(parameter.name)' must be a whole number"
                }
                value = .int(number)
            case "number":
                guard let number = Double(text) else {
                    return "the query parameter '\(parameter.name)' must be a number"
                }
                value = .double(number)
            case "boolean":
                guard text == "true" || text == "false" else {
                    return "the query parameter '\(parameter.name)' must be true or false"
                }
                value = .bool(text == "true")
            default:
                value = .string(text)
            }
            if let problem = problem(value, against: parameter.schema, at: parameter.name) { return problem }
        }
        return nil
    }

    static func problem(_ value: JSONValue, against schema: JSONValue, at path: String) -> String? {
        guard case .object = schema else { return nil }
        if let types = schema["type"] {
            let allowed = types.arrayValue?.compactMap(\.stringValue) ?? [types.stringValue].compactMap { $0 }
            if !allowed.isEmpty, !allowed.contains(where: { matches(value, type: $0) }) {
                return "\(path) must be \(allowed.joined(separator: " or "))"
            }
        }
        if let all = schema["allOf"]?.arrayValue {
            for part in all { if let problem = problem(value, against: part, at: path) { return problem } }
        }
        for keyword in ["anyOf", "oneOf"] {
            if let alternatives = schema[keyword]?.arrayValue, !alternatives.isEmpty {
                let problems = alternatives.map { problem(value, against: $0, at: path) }
                if !problems.contains(where: { $0 == nil }) {
                    return problems.compactMap { $0 }.joined(separator: "; or ")
                }
            }
        }
        if let options = schema["enum"]?.arrayValue, !options.contains(value) {
            let names = options.map { $0.stringValue ?? "\($0)" }.joined(separator: ", ")
            return "\(path) must be one of \(names)"
        }
        switch value {
        case .object(let members):
            let names = Set(members.map(\.0))
            for required in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
            where !names.contains(required) {
                return "\(path).\(required) is required"
            }
            let properties = schema["properties"]
            for (name, member) in members {
                if let property = properties?[name] {
                    if let problem = problem(member, against: property, at: "\(path).\(name)") { return problem }
                } else if schema["additionalProperties"] == .bool(false) {
                    return "\(path).\(name) is not a known field"
                } else if let extra = schema["additionalProperties"], case .object = extra {
                    if let problem = problem(member, against: extra, at: "\(path).\(name)") { return problem }
                }
            }
        case .array(let items):
            if let minimum = schema["minItems"]?.intValue, items.count < minimum {
                return "\(path) needs at least \(minimum) item(s)"
            }
            if let maximum = schema["maxItems"]?.intValue, items.count > maximum {
                return "\(path) takes at most \(maximum) item(s)"
            }
            if let itemSchema = schema["items"] {
                for (index, item) in items.enumerated() {
                    if let problem = problem(item, against: itemSchema, at: "\(path)[\(index)]") { return problem }
                }
            }
        case .string(let text):
            if let minimum = schema["minLength"]?.intValue, text.count < minimum {
                return minimum == 1 ? "\(path) must not be empty" : "\(path) needs at least \(minimum) characters"
            }
            if let maximum = schema["maxLength"]?.intValue, text.count > maximum {
                return "\(path) takes at most \(maximum) characters"
            }
            if let pattern = schema["pattern"]?.stringValue,
                let expression = try? NSRegularExpression(pattern: pattern),
                expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil
            {
                return "\(path) does not match \(pattern)"
            }
        case .int, .double:
            let number: Double = if case .int(let i) = value { Double(i) } else { value.doubleValue ?? 0 }
            if let minimum = schema["minimum"]?.doubleValue, number < minimum {
                return "\(path) must be at least \(formatted(minimum))"
            }
            if let maximum = schema["maximum"]?.doubleValue, number > maximum {
                return "\(path) must be at most \(formatted(maximum))"
            }
        case .null, .bool:
            break
        }
        return nil
    }

    static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null),
            ("number", .int), ("number", .double), ("integer", .int):
            true
        case ("integer", .double(let number)): number.rounded() == number
        default: false
        }
    }

    static func formatted(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }
}
