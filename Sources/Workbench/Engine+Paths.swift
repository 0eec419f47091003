import Foundation
import S7Model

/// Paths a caller names (exports, imports, archives, projects to open): relative ones resolve against the project
/// folder; every one must end up inside the project folder or the configured files root, after symlinks.
extension Engine {
    /// The absolute path for `path`, or an error: `..` components are refused as bad input, a path outside the
    /// allowed folders (directly or through a symlink) as forbidden.
    public func resolvePath(_ path: String, sessionID: String? = nil) throws(EngineError) -> String {
        let trimmed = path.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw EngineError(.invalidInput, "the path is empty") }
        guard !trimmed.contains("\0") else { throw EngineError(.invalidInput, "the path holds a NUL character") }
        let components = trimmed.split(whereSeparator: { $0 == "/" || $0 == "\\" })
        guard !components.contains("..") else {
            throw EngineError(.invalidInput, "'\(path)': paths may not contain '..'")
        }
        let session = try? self.session(sessionID)
        let roots = allowedRoots(session)
        guard let base = trimmed.hasPrefix("/") ? "" : (session?.project.root ?? configuration.filesRoot) else {
            throw EngineError(.conflict, "no project is open and no files root is set to resolve '\(path)' against")
        }
        let absolute = URL(fileURLWithPath: trimmed.hasPrefix("/") ? trimmed : base + "/" + trimmed)
            .standardizedFileURL.path
        let real = Engine.resolvingExistingPrefix(absolute)
        guard roots.contains(where: { real == $0 || real.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }) else {
            throw EngineError(
                .forbidden,
                "'\(path)' is outside the project folder\(configuration.filesRoot == nil ? "" : " and the files root")")
        }
        return real
    }

    /// The folders a caller may name: every open project's root and the files root, symlinks resolved.
    func allowedRoots(_ session: Session?) -> [String] {
        var roots = openSessions().map { Engine.resolvingExistingPrefix($0.project.root) }
        if let root = configuration.filesRoot { roots.append(Engine.resolvingExistingPrefix(root)) }
        return roots
    }

    /// `path` with symlinks resolved in the longest prefix that exists (the rest may be created later).
    static func resolvingExistingPrefix(_ path: String) -> String {
        var existing = URL(fileURLWithPath: path).standardizedFileURL
        var rest: [String] = []
        while !FileManager.default.fileExists(atPath: existing.path), existing.path != "/" {
            rest.insert(existing.lastPathComponent, at: 0)
            existing.deleteLastPathComponent()
        }
        var resolved = existing.resolvingSymlinksInPath()
        for part in rest { resolved.appendPathComponent(part) }
        return resolved.path
    }

    /// The bytes of a file a caller names (resolved with `resolvePath`), refused when missing, a folder or larger
    /// than `limit` bytes.
    func readCallerFile(_ filePath: String, sessionID: String?, limit: Int) throws(EngineError) -> [UInt8] {
        let path = try resolvePath(filePath, sessionID: sessionID)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw EngineError(.notFound, "no file '\(filePath)'")
        }
        guard !isDirectory.boolValue else { throw EngineError(.invalidInput, "'\(filePath)' is a folder, not a file") }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size <= limit else { throw EngineError(.invalidInput, "'\(filePath)' is larger than \(limit >> 20) MB") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EngineError(.io, "cannot read '\(filePath)'")
        }
        return Array(data)
    }
}
