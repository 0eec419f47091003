import S7TestSupport
import Testing
import Workbench
import WorkbenchAPI

/// Calls catalog routes directly (no socket): the status and JSON body a client would get.
enum RouteCall {
    /// `method path` through the standard catalog; errors come back as their problem body.
    static func call(
        _ method: HTTPVerb, _ path: String, query: [String: String] = [:], body: JSONValue? = nil,
        on engine: Engine
    ) async throws -> (status: Int, body: JSONValue) {
        guard let (route, parameters) = RouteCatalog.standard.match(method: method, path: path) else {
            Issue.record("no route \(method.rawValue) \(path)")
            return (404, .null)
        }
        do {
            let response = try await route.handler(
                RouteRequest(pathParameters: parameters, query: query, body: body, actor: "test"), engine)
            let status = (200..<300).contains(response.status) ? route.successStatus : response.status
            switch response.body {
            case .json(let value): return (status, value)
            case .text(let text, _): return (status, .string(text))
            case .eventStream: return (status, .string("event stream"))
            }
        } catch let error as APIError {
            return (error.status, error.problem)
        }
    }

    /// An engine with a writable copy of a sample project open (history in memory).
    static func engineWithCopy(of sample: String = "bottling-line") async throws -> (Engine, String) {
        let root = try Fixtures.temporaryCopy(of: Fixtures.sampleProject(sample))
        let engine = Engine(configuration: .init(filesRoot: root))
        try await engine.openProject(at: root, history: .inMemory)
        return (engine, root)
    }

    /// Waits for the job an asynchronous route answered with and returns its final JSON.
    static func finishedJob(_ accepted: JSONValue, on engine: Engine) async throws -> JSONValue {
        let id = try #require(accepted["jobId"]?.stringValue, "no jobId in \(accepted)")
        _ = try await engine.waitForJob(id: id, timeout: .seconds(60))
        return try await call(.get, "/api/jobs/\(id)", on: engine).body
    }
}
