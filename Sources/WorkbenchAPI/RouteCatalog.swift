/// Every endpoint of the API, declared once (DESIGN.md decision 2).
public struct RouteCatalog: Sendable {
    public let routes: [Route]

    public init(routes: [Route]) {
        self.routes = routes
    }

    /// The catalog s7wb serves.
    public static let standard = RouteCatalog(
        routes: RouteCatalog.healthRoutes + RouteCatalog.projectRoutes + RouteCatalog.engineeringReadRoutes
            + RouteCatalog.historyRoutes + RouteCatalog.settingsRoutes
            + RouteCatalog.discoveryRoutes + RouteCatalog.diagnosticRoutes + RouteCatalog.instanceRoutes
            + RouteCatalog.browseRoutes + RouteCatalog.deviceManagementRoutes + RouteCatalog.tagRoutes
            + RouteCatalog.blockRoutes + RouteCatalog.typeRoutes + RouteCatalog.crossReferenceRoutes
            + RouteCatalog.simulationRoutes + RouteCatalog.onlineRoutes + RouteCatalog.watchTableRoutes
            + RouteCatalog.streamRoutes)

    /// Route groups in the order their first route appears.
    public var groups: [String] {
        routes.reduce(into: [String]()) { if !$0.contains($1.group) { $0.append($1.group) } }
    }

    public func route(key: String) -> Route? {
        routes.first { $0.key.lowercased() == key.lowercased() }
    }

    /// The methods some route serves at a concrete path (empty when the path is unknown).
    /// A path like `/api/devices/x/blocks/async` matches `…/blocks/async` and `…/blocks/{blockName}`; the template with
    /// more literal segments is the resource meant, so only its methods count.
    public func allowedMethods(path: String) -> [HTTPVerb] {
        let matches = HTTPVerb.allCases.compactMap { method in match(method: method, path: path).map { (method, $0.0) }
        }
        let best = matches.map { Self.literalCount($0.1.path) }.max() ?? 0
        return matches.filter { Self.literalCount($0.1.path) == best }.map(\.0)
    }

    static func literalCount(_ template: String) -> Int {
        template.split(separator: "/").filter { !$0.hasPrefix("{") }.count
    }

    /// Matches a concrete request path against the templates: `/api/jobs/42` → (`/api/jobs/{id}`, ["id": "42"]).
    /// The most specific template wins: `DELETE …/blocks/folders` is the folder route, not a block named `folders`.
    public func match(method: HTTPVerb, path: String) -> (Route, [String: String])? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        var best: (Route, [String: String], Int)?
        for route in routes where route.method == method {
            let template = route.path.split(separator: "/", omittingEmptySubsequences: true)
            guard template.count == parts.count else { continue }
            var parameters: [String: String] = [:]
            var matched = true
            for (t, p) in zip(template, parts) {
                if t.hasPrefix("{") && t.hasSuffix("}") {
                    parameters[String(t.dropFirst().dropLast())] = String(p).removingPercentEncodingLeniently
                } else if t != p {
                    matched = false
                    break
                }
            }
            let literals = Self.literalCount(route.path)
            if matched, literals > (best?.2 ?? -1) { best = (route, parameters, literals) }
        }
        return best.map { ($0.0, $0.1) }
    }
}

extension String {
    /// `%20` → space; malformed escapes are kept as written.
    var removingPercentEncodingLeniently: String {
        guard contains("%") else { return self }
        var bytes: [UInt8] = []
        var iterator = Array(utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "%"), iterator.count >= 2,
                let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
