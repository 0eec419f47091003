import S7TestSupport
import Testing
import WorkbenchAPI

@Suite struct ReferenceCoverageTests {
    /// Routes s7wb serves beyond T-IA Connect's list.
    static let extensions: Set<String> = ["GET:/api/openapi.json"]

    @Test(.enabled(if: !Fixtures.referenceEndpoints.isEmpty))
    func everyRouteIsAT_IAConnectRouteOfTheSameGroup() {
        let reference = Fixtures.referenceEndpoints
        for route in RouteCatalog.standard.routes where !Self.extensions.contains(route.key) {
            let match = reference.first { $0.method == route.method.rawValue && $0.path == route.path }
            #expect(match != nil, "\(route.key) is not a T-IA Connect route")
            if let match { #expect(match.group == route.group, "\(route.key) belongs to \(match.group)") }
        }
    }

    @Test(.enabled(if: !Fixtures.referenceEndpoints.isEmpty))
    func theReferenceListsTheDocumentedRoutes() {
        #expect(Fixtures.referenceEndpoints.count == 313)
    }
}
