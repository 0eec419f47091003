import Foundation
import S7Model
import Workbench

extension RouteCatalog {
    static let projectGroup = "Project Operations"

    static let projectIDQuery = QueryParameter(
        "projectId", "Id of an open project (from GET /api/projects); the current project when omitted.")

    static let projectPathSchema: JSONValue = [
        "type": "object", "required": ["projectPath"],
        "properties": [
            "projectPath": [
                "type": "string", "minLength": 1,
                "description": "The project folder, relative to the files root or absolute inside it.",
            ]
        ],
    ]

    static let createProjectSchema: JSONValue = [
        "type": "object", "required": ["projectName"],
        "properties": [
            "projectName": ["type": "string", "minLength": 1],
            "projectPath": [
                "type": "string",
                "description": "The folder in which the project folder is made (the files root when omitted).",
            ],
            "description": ["type": "string"],
        ],
    ]

    static let archiveSchema: JSONValue = [
        "type": "object",
        "properties": [
            "archivePath": [
                "type": "string",
                "description": "Where to write the zip (`.zip` or `.zap`); `<files root>/<project>.zip` when omitted.",
            ]
        ],
    ]

    static let restoreSchema: JSONValue = [
        "type": "object", "required": ["archivePath"],
        "properties": [
            "archivePath": ["type": "string", "minLength": 1],
            "targetPath": [
                "type": "string",
                "description":
                    "The (new or empty) folder to unpack into; beside the archive, named after it, if omitted.",
            ],
        ],
    ]

    static let closeSchema: JSONValue = [
        "type": "object",
        "properties": [
            "saveChanges": [
                "type": "boolean", "description": "Save unsaved changes first (default false: they are discarded).",
            ]
        ],
    ]

    static let sessionAnswer = Schema.object(["project": Schema.session, "message": Schema.string])
    static let saveAnswer = Schema.object(["projectId": Schema.string, "writtenFiles": Schema.array(Schema.string)])
    static let closeAnswer = Schema.object([
        "projectId": Schema.string, "name": Schema.string, "saved": Schema.array(Schema.string),
        "discarded": Schema.array(Schema.string),
    ])
    static let archiveAnswer = Schema.object([
        "archivePath": Schema.string, "files": Schema.integer, "sizeBytes": Schema.integer,
    ])
    static let recentSchema = Schema.object(["name": Schema.string, "path": Schema.string, "openedAt": Schema.string])

    static var projectRoutes: [Route] {
        let open = Route(
            .post, "/api/projects/actions/open", group: projectGroup,
            summary: "Open a project folder (TIA Version Control Interface layout) as the current project.",
            requestSchema: projectPathSchema, responseSchema: sessionAnswer, errorStatuses: [403, 404, 409],
            mutates: true
        ) { request, engine in
            let path = try request.requiredString("projectPath")
            let session = try await WorkbenchAPI.engine { () async throws(EngineError) in
                let resolved = try await engine.resolvePath(path)
                return try await engine.openProject(at: resolved, actor: request.actor)
            }
            return RouteResponse(json: [
                "project": ModelJSON.session(session, isCurrent: true),
                "message": .string("opened \(session.project.name) with \(session.project.devices.count) device(s)"),
            ])
        }
        let create = Route(
            .post, "/api/projects/actions/create-sync", group: projectGroup,
            summary: "Create a new empty project (a folder with its s7project.json manifest) and open it.",
            requestSchema: createProjectSchema, responseSchema: sessionAnswer, errorStatuses: [403, 409],
            mutates: true
        ) { request, engine in
            let name = try request.requiredString("projectName")
            let parent = try request.string("projectPath")
            let description = try request.string("description")
            guard !name.contains("/"), !name.contains("\\"), name != ".", name != ".." else {
                throw APIError.badRequest("projectName '\(name)' may not contain / or \\")
            }
            let session = try await WorkbenchAPI.engine { () async throws(EngineError) in
                guard let base = parent ?? engine.configuration.filesRoot else {
                    throw EngineError(.invalidInput, "projectPath is required: no files root is configured")
                }
                let folder = try await engine.resolvePath(base + "/" + name)
                return try await engine.createProject(
                    at: folder, name: name, description: description, actor: request.actor)
            }
            return RouteResponse(json: [
                "project": ModelJSON.session(session, isCurrent: true),
                "message": .string("created \(session.project.name) at \(session.project.root)"),
            ])
        }
        let close = Route(
            .post, "/api/projects/actions/close-sync", group: projectGroup,
            summary: "Close the current project (or `projectId`); unsaved changes are discarded unless saveChanges.",
            query: [projectIDQuery], requestSchema: closeSchema, responseSchema: closeAnswer,
            errorStatuses: [404, 409, 500], mutates: true
        ) { request, engine in
            let id = projectID(request)
            let saveFirst = try request.bool("saveChanges") ?? false
            let answer = try await WorkbenchAPI.engine { () async throws(EngineError) -> JSONValue in
                let session = try await engine.session(id)
                let saved = saveFirst ? try await engine.save(sessionID: session.id, actor: request.actor) : []
                let discarded = saveFirst ? [] : session.dirtyFiles.union(session.removedFiles).sorted()
                try await engine.closeProject(sessionID: session.id, actor: request.actor)
                return [
                    "projectId": .string(session.id), "name": .string(session.project.name), "saved": JSONValue(saved),
                    "discarded": JSONValue(discarded),
                ]
            }
            return RouteResponse(json: answer)
        }
        let save = Route(
            .post, "/api/projects/actions/save-sync", group: projectGroup,
            summary: "Save the current project: write every changed file atomically (unchanged files are not touched).",
            query: [projectIDQuery], responseSchema: saveAnswer, errorStatuses: [404, 409, 500], mutates: true
        ) { request, engine in
            let id = projectID(request)
            let (sessionID, written) = try await WorkbenchAPI.engine {
                () async throws(EngineError) -> (String, [String]) in
                let session = try await engine.session(id)
                return (session.id, try await engine.save(sessionID: session.id, actor: request.actor))
            }
            return RouteResponse(json: ["projectId": .string(sessionID), "writtenFiles": JSONValue(written)])
        }
        let archive = Route(
            .post, "/api/projects/actions/archive", group: projectGroup,
            summary: "Archive the project folder as saved (without s7wb's .s7wb state) to a zip file (.zip or .zap).",
            query: [projectIDQuery], requestSchema: archiveSchema, responseSchema: archiveAnswer,
            errorStatuses: [403, 404, 409, 500], mutates: true
        ) { request, engine in
            let id = projectID(request)
            let given = try request.string("archivePath")
            let answer = try await WorkbenchAPI.engine { () async throws(EngineError) -> JSONValue in
                let session = try await engine.session(id)
                let path =
                    given ?? (engine.configuration.filesRoot ?? session.project.root) + "/"
                    + session.project.name + ".zip"
                let resolved = try await engine.resolvePath(path, sessionID: session.id)
                guard resolved.hasSuffix(".zip") || resolved.hasSuffix(".zap") else {
                    throw EngineError(.invalidInput, "archivePath must end in .zip or .zap")
                }
                let result = try await engine.archive(to: resolved, sessionID: session.id, actor: request.actor)
                return [
                    "archivePath": .string(resolved), "files": .int(Int64(result.files)),
                    "sizeBytes": .int(Int64(result.bytes)),
                ]
            }
            return RouteResponse(json: answer)
        }
        let restore = Route(
            .post, "/api/projects/actions/create-from-archive-sync", group: projectGroup,
            summary: "Unpack a project archive (.zip or .zap) into a new folder and open it.",
            requestSchema: restoreSchema, responseSchema: sessionAnswer, errorStatuses: [403, 404, 409, 500],
            mutates: true
        ) { request, engine in
            let archivePath = try request.requiredString("archivePath")
            let targetPath = try request.string("targetPath")
            let session = try await WorkbenchAPI.engine { () async throws(EngineError) in
                let source = try await engine.resolvePath(archivePath)
                let target = try await engine.resolvePath(
                    targetPath ?? (source as NSString).deletingPathExtension)
                return try await engine.restoreArchive(source, into: target, actor: request.actor)
            }
            return RouteResponse(json: [
                "project": ModelJSON.session(session, isCurrent: true),
                "message": .string("restored \(session.project.name) into \(session.project.root)"),
            ])
        }
        return [
            Route(
                .get, "/api/projects", group: projectGroup, summary: "List the projects open in this engine.",
                responseSchema: Schema.list("projects", Schema.session)
            ) { _, engine in
                let sessions = await engine.openSessions()
                let items = sessions.enumerated().map { index, session in
                    ModelJSON.session(session, isCurrent: index == sessions.count - 1)
                }
                return RouteResponse.list("projects", items)
            },
            Route(
                .get, "/api/projects/overview", group: projectGroup,
                summary: "A full overview of the project: devices, blocks, tag tables, data types, watch tables and "
                    + "the files that could not be read.",
                query: [projectIDQuery], responseSchema: Schema.overview, errorStatuses: [404, 409]
            ) { request, engine in
                let session = try await RouteCatalog.session(request, engine)
                return RouteResponse(json: ModelJSON.overview(session.project, sessionID: session.id))
            },
            open.job(
                .post, "/api/projects/actions/open",
                summary: "Open a project folder (TIA Version Control Interface layout) as the current project "
                    + "(asynchronous: poll the job; POST /api/jobs/execute-sync runs it synchronously)."),
            create,
            create.job(.post, "/api/projects/actions/create", summary: "Create a new empty project (asynchronous)."),
            close,
            close.job(.post, "/api/projects/actions/close", summary: "Close the current project (asynchronous)."),
            save, save.job(.post, "/api/projects/actions/save", summary: "Save the current project (asynchronous)."),
            archive.job(
                .post, "/api/projects/actions/archive",
                summary: "Archive the project folder as saved (without s7wb's .s7wb state) to a zip file (.zip or "
                    + ".zap) (asynchronous: poll the job)."),
            restore,
            restore.job(
                .post, "/api/projects/actions/create-from-archive",
                summary: "Unpack a project archive into a new folder and open it (asynchronous)."),
            Route(
                .get, "/api/projects/history", group: projectGroup,
                summary: "Projects opened recently, newest first.",
                responseSchema: Schema.list("projects", recentSchema)
            ) { _, engine in
                let list = await engine.recentProjectList()
                return RouteResponse.list(
                    "projects",
                    list.map {
                        [
                            "name": .string($0.name), "path": .string($0.path),
                            "openedAt": .string($0.openedAt.formatted(.iso8601)),
                        ]
                    })
            },
            Route(
                .delete, "/api/projects/history", group: projectGroup,
                summary: "Remove a project (by path or name) from the recent list.",
                query: [
                    QueryParameter(
                        "path", "The project's path (or name) as GET /api/projects/history lists it.", required: true)
                ],
                responseSchema: Schema.object(["removed": Schema.boolean, "path": Schema.string]),
                errorStatuses: [404], mutates: true
            ) { request, engine in
                guard let path = request.query["path"], !path.isEmpty else {
                    throw APIError.badRequest("the query parameter 'path' is required")
                }
                guard await engine.forgetRecentProject(path: path) else {
                    throw APIError.notFound("'\(path)' is not in the recent project list")
                }
                return RouteResponse(json: ["removed": true, "path": .string(path)])
            },
            Route(
                .get, "/api/projects/infrastructure", group: projectGroup,
                summary: "The project's networks: Ethernet subnets derived from the devices' addresses, PROFINET IO "
                    + "systems and connections (s7wb models none of the last two).",
                query: [projectIDQuery],
                responseSchema: Schema.object([
                    "subnets": Schema.array(
                        Schema.object([
                            "name": Schema.string, "networkAddress": Schema.string, "subnetMask": Schema.string,
                            "devices": Schema.array(
                                Schema.object(["name": Schema.string, "ipAddress": Schema.string])),
                        ])),
                    "ioSystems": Schema.array(Schema.object([:], required: [])),
                    "connections": Schema.array(Schema.object([:], required: [])),
                    "devicesWithoutAddress": Schema.array(Schema.string),
                ]),
                errorStatuses: [404, 409]
            ) { request, engine in
                let id = projectID(request)
                let (subnets, project) = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    (try await engine.subnets(sessionID: id), try await engine.project(sessionID: id))
                }
                let addressed = Set(subnets.flatMap { $0.devices.map(\.name) })
                return RouteResponse(json: [
                    "subnets": .array(
                        subnets.map { subnet in
                            [
                                "name": .string(subnet.name), "networkAddress": .string(subnet.networkAddress),
                                "subnetMask": .string(subnet.subnetMask),
                                "devices": .array(
                                    subnet.devices.map {
                                        ["name": .string($0.name), "ipAddress": .string($0.ipAddress)]
                                    }
                                ),
                            ]
                        }),
                    "ioSystems": [], "connections": [],
                    "devicesWithoutAddress": JSONValue(project.devices.map(\.name).filter { !addressed.contains($0) }),
                ])
            },
            Route(
                .post, "/api/projects/actions/simulation-support", group: projectGroup,
                summary: "Simulation support: always on here; every PLC of the project can be downloaded to a virtual "
                    + "CPU (no PLCSIM Advanced needed).",
                query: [projectIDQuery],
                responseSchema: Schema.object(["enabled": Schema.boolean, "note": Schema.string]),
                errorStatuses: [404, 409]
            ) { request, engine in
                _ = try await session(request, engine)
                return RouteResponse(json: [
                    "enabled": true,
                    "note":
                        "s7wb simulates every PLC of the project itself; the setting TIA Portal needs does not apply",
                ])
            },
            Route(
                .post, "/api/projects/actions/index", group: projectGroup,
                summary: "Re-read the project from its folder (after changes made outside s7wb) and answer what it "
                    + "holds; refused with 409 while changes are unsaved unless discardChanges.",
                query: [projectIDQuery],
                requestSchema: [
                    "type": "object", "properties": ["discardChanges": ["type": "boolean"]],
                ],
                responseSchema: Schema.overview, errorStatuses: [404, 409, 500], mutates: true
            ) { request, engine in
                let id = projectID(request)
                let discard = request.body == nil ? false : (try request.bool("discardChanges") ?? false)
                let session = try await WorkbenchAPI.engine { () async throws(EngineError) in
                    try await engine.reload(sessionID: id, discardChanges: discard, actor: request.actor)
                }
                return RouteResponse(json: ModelJSON.overview(session.project, sessionID: session.id))
            },
        ]
    }

    /// The `projectId` query parameter; nil (the current project) when absent or empty.
    static func projectID(_ request: RouteRequest) -> String? {
        request.query["projectId"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static func session(_ request: RouteRequest, _ engine: Engine) async throws(APIError) -> Engine.Session {
        let id = projectID(request)
        return try await WorkbenchAPI.engine { () async throws(EngineError) in try await engine.session(id) }
    }
}
