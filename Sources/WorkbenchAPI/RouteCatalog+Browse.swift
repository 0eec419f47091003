import Foundation
import S7Model
import SimaticML
import Workbench

/// T-IA Connect opens file, project and folder dialogs on the TIA Portal host. s7wb runs headless, so these routes
/// list what such a dialog would show, inside the folders the API may reach (the files root and the open projects'
/// folders); the caller picks from the list (DESIGN.md decision 6).
extension RouteCatalog {
    static var browseRoutes: [Route] {
        [
            browseRoute(
                .file, "/api/system/browse-file",
                "No dialog opens on a headless server: lists the folders and files (matching filter) of a folder "
                    + "under the files root or an open project, as a file dialog would show them."),
            browseRoute(
                .project, "/api/system/browse-project",
                "No dialog opens on a headless server: lists the sub-folders of a folder with isProject marking those "
                    + "that open as a project (an s7project.json or a TIA VCI device folder)."),
            browseRoute(
                .folder, "/api/system/browse-folder",
                "No dialog opens on a headless server: lists the sub-folders of a folder under the files root or an "
                    + "open project, as a folder dialog would show them."),
        ]
    }

    private enum BrowseKind {
        case file, project, folder
    }

    private static func browseEntrySchema(_ kind: BrowseKind) -> JSONValue {
        kind == .project
            ? Schema.object([
                "name": Schema.string, "path": Schema.string, "isDirectory": Schema.boolean,
                "sizeBytes": Schema.nullableInteger, "modifiedAt": Schema.nullableString, "isProject": Schema.boolean,
            ])
            : Schema.object([
                "name": Schema.string, "path": Schema.string, "isDirectory": Schema.boolean,
                "sizeBytes": Schema.nullableInteger, "modifiedAt": Schema.nullableString,
            ])
    }

    private static func browseSchema(_ kind: BrowseKind) -> JSONValue {
        kind == .project
            ? Schema.object([
                "path": Schema.string, "parent": Schema.nullableString, "roots": Schema.array(Schema.string),
                "isProject": Schema.boolean, "entries": Schema.array(browseEntrySchema(kind)), "count": Schema.integer,
            ])
            : Schema.object([
                "path": Schema.string, "parent": Schema.nullableString, "roots": Schema.array(Schema.string),
                "entries": Schema.array(browseEntrySchema(kind)), "count": Schema.integer,
            ])
    }

    private static func browseRoute(_ kind: BrowseKind, _ path: String, _ summary: String) -> Route {
        Route(
            .get, path, group: "System API", summary: summary,
            query: [
                QueryParameter(
                    "path",
                    "The folder to list, absolute or relative to the current project; the files root (else the "
                        + "current project's folder) when omitted."),
                QueryParameter(
                    "filter",
                    "Name patterns separated by ';' with * and ? (`*.zip`, `*.scl;*.xml`), case-insensitive; "
                        + (kind == .file ? "folders are always listed." : "applied to folder names.")),
            ],
            responseSchema: browseSchema(kind), errorStatuses: [403, 404, 409]
        ) { request, engine in
            let filter = try NamePatterns(request.query["filter"])
            let folder = try await browsedFolder(request.query["path"], engine)
            let roots = await browseRoots(engine)
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: folder)
            } catch {
                throw APIError(status: 403, detail: "'\(folder)' cannot be read: \(error.localizedDescription)")
            }
            var entries: [(isDirectory: Bool, name: String, json: JSONValue)] = []
            for name in names where !name.hasPrefix(".") {
                let full = folder.hasSuffix("/") ? folder + name : folder + "/" + name
                var isDirectory = ObjCBool(false)
                guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory) else { continue }
                let directory = isDirectory.boolValue
                switch kind {
                case .file: guard directory || filter.matches(name) else { continue }
                case .folder, .project: guard directory, filter.matches(name) else { continue }
                }
                let values = try? URL(fileURLWithPath: full).resourceValues(forKeys: [
                    .fileSizeKey, .contentModificationDateKey,
                ])
                var fields: [(String, JSONValue)] = [
                    ("name", .string(name)), ("path", .string(full)), ("isDirectory", .bool(directory)),
                    ("sizeBytes", directory ? .null : JSONValue(values?.fileSize)),
                    ("modifiedAt", JSONValue(values?.contentModificationDate?.formatted(.iso8601))),
                ]
                if kind == .project { fields.append(("isProject", .bool(isProjectFolder(full)))) }
                entries.append((isDirectory: directory, name: name, json: .object(fields)))
            }
            entries.sort { a, b in
                a.isDirectory != b.isDirectory ? a.isDirectory : a.name.lowercased() < b.name.lowercased()
            }
            let parent: String? =
                roots.contains(folder) ? nil : URL(fileURLWithPath: folder).deletingLastPathComponent().path
            var answer: [(String, JSONValue)] = [
                ("path", .string(folder)), ("parent", JSONValue(parent)), ("roots", JSONValue(roots)),
            ]
            if kind == .project { answer.append(("isProject", .bool(isProjectFolder(folder)))) }
            answer.append(("entries", .array(entries.map { $0.json })))
            answer.append(("count", .int(Int64(entries.count))))
            return RouteResponse(json: .object(answer))
        }
    }

    /// The folder to list: `given` through `Engine.resolvePath` (400 for `..`, 403 outside the allowed folders), else
    /// the files root, else the current project's folder; 404 when it does not exist.
    private static func browsedFolder(_ given: String?, _ engine: Engine) async throws(APIError) -> String {
        let path: String
        if let given, !given.trimmingCharacters(in: .whitespaces).isEmpty {
            path = given
        } else if let root = engine.configuration.filesRoot {
            path = root
        } else if let current = await engine.currentSession() {
            path = current.project.root
        } else {
            throw APIError(status: 409, detail: "no files root is configured and no project is open: nothing to browse")
        }
        let resolved = try await WorkbenchAPI.engine { () async throws(EngineError) -> String in
            try await engine.resolvePath(path)
        }
        var isDirectory = ObjCBool(false)
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory) else {
            throw APIError.notFound("'\(path)' does not exist")
        }
        guard isDirectory.boolValue else {
            throw APIError.badRequest("'\(path)' is a file; give the folder to list")
        }
        return resolved
    }

    /// The folders a caller may browse, symlinks resolved: the files root and every open project's folder.
    private static func browseRoots(_ engine: Engine) async -> [String] {
        var roots = await engine.openSessions().map(\.project.root)
        if let root = engine.configuration.filesRoot { roots.insert(root, at: 0) }
        var seen: Set<String> = []
        return roots.map { URL(fileURLWithPath: $0).standardizedFileURL.resolvingSymlinksInPath().path }
            .filter { seen.insert($0).inserted }
    }

    /// Whether `path` opens as a project: it holds s7project.json, or a TIA VCI device folder (`Program blocks`,
    /// `PLC tags` …) directly or in one of its sub-folders.
    private static func isProjectFolder(_ path: String) -> Bool {
        let files = FileManager.default
        if files.fileExists(atPath: path + "/" + ProjectManifest.fileName) { return true }
        guard let children = try? files.contentsOfDirectory(atPath: path) else { return false }
        if children.contains(where: { VCILayout.deviceFolders.contains($0) }) { return true }
        return children.contains { child in
            guard !child.hasPrefix("."), let grandchildren = try? files.contentsOfDirectory(atPath: path + "/" + child)
            else { return false }
            return grandchildren.contains { VCILayout.deviceFolders.contains($0) }
        }
    }
}

/// The `filter` of the browse routes: name patterns separated by `;` with `*` (any run of characters) and `?` (one
/// character), matched case-insensitively; `*.*` matches every name, as in a file dialog.
struct NamePatterns: Sendable {
    private var patterns: [[Character]]

    /// No patterns (nil or blank text) match every name; 400 for a pattern holding a path separator or brackets.
    init(_ text: String?) throws(APIError) {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            patterns = []
            return
        }
        guard text.count <= 1000 else { throw APIError.badRequest("the filter is longer than 1000 characters") }
        var patterns: [[Character]] = []
        for part in text.split(separator: ";") {
            let pattern = part.trimmingCharacters(in: .whitespaces)
            guard !pattern.isEmpty else { continue }
            if let bad = pattern.first(where: { "/\\[]\0".contains($0) }) {
                throw APIError.badRequest(
                    "filter pattern '\(pattern)' may not contain '\(bad)': use * and ? (e.g. *.zip;*.scl)")
            }
            patterns.append(Array(pattern == "*.*" ? "*" : pattern.lowercased()))
        }
        guard !patterns.isEmpty else { throw APIError.badRequest("the filter '\(text)' holds no pattern") }
        self.patterns = patterns
    }

    func matches(_ name: String) -> Bool {
        guard !patterns.isEmpty else { return true }
        let characters = Array(name.lowercased())
        return patterns.contains { NamePatterns.glob($0, characters) }
    }

    /// Wildcard matching with backtracking to the last `*`: `*.s?l` matches `main.scl`.
    static func glob(_ pattern: [Character], _ name: [Character]) -> Bool {
        var p = 0
        var n = 0
        var star: Int?
        var resume = 0
        while n < name.count {
            if p < pattern.count, pattern[p] == "*" {
                star = p
                resume = n
                p += 1
            } else if p < pattern.count, pattern[p] == "?" || pattern[p] == name[n] {
                p += 1
                n += 1
            } else if let star {
                p = star + 1
                resume += 1
                n = resume
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
