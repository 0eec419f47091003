import S7Model
import Workbench

extension RouteCatalog {
    static let crossReference = Schema.object([
        "kind": Schema.string, "name": Schema.string, "locations": Schema.array(Schema.string),
    ])

    /// `GET …/blocks/{b}/cross-references` (T-IA Connect lists it under Libraries).
    static var crossReferenceRoutes: [Route] {
        [
            Route(
                .get, "/api/devices/{deviceName}/blocks/{blockName}/cross-references", group: "Libraries",
                summary: "Cross-references of a block: the blocks, data blocks, PLC data types, tags and constants its "
                    + "interface, SCL source or LAD/FBD networks name (uses), and the blocks that name it (usedBy), "
                    + "each with where.",
                query: [projectIDQuery],
                responseSchema: Schema.object([
                    "block": Schema.string, "type": Schema.string, "uses": Schema.array(crossReference),
                    "usedBy": Schema.array(crossReference),
                ]),
                errorStatuses: [404, 409]
            ) { request, engine in
                let id = projectID(request)
                let (block, uses, usedBy) = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.crossReferences(
                        of: request.path("blockName"), device: request.path("deviceName"), sessionID: id)
                }
                func json(_ reference: CrossReference) -> JSONValue {
                    [
                        "kind": .string(reference.kind), "name": .string(reference.name),
                        "locations": JSONValue(reference.locations),
                    ]
                }
                return RouteResponse(json: [
                    "block": .string(block.name), "type": .string(block.kind.numberPrefix),
                    "uses": .array(uses.map(json)), "usedBy": .array(usedBy.map(json)),
                ])
            }
        ]
    }
}
