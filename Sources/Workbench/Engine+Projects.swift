public import Foundation
import S7Model
import SimaticML
import ZIPFoundation

/// A project opened before: the recent-projects list of T-IA Connect's project history.
public struct RecentProject: Sendable, Hashable, Codable {
    public var name: String
    public var path: String
    public var openedAt: Date

    public init(name: String, path: String, openedAt: Date) {
        self.name = name
        self.path = path
        self.openedAt = openedAt
    }
}

/// Project lifecycle beyond open and close: create, reload, archive to a zip and restore from one, the recent list.
extension Engine {
    static let recentProjectsLimit = 20

    // MARK: Create and reload

    /// Creates an empty project (a folder with its manifest) at `path`, which must not exist or be an empty folder,
    /// and opens it.
    @discardableResult
    public func createProject(
        at path: String, name: String? = nil, description: String? = nil, actor: String? = nil
    ) throws(EngineError) -> Session {
        let folder = URL(fileURLWithPath: path).standardizedFileURL
        let projectName = name ?? folder.lastPathComponent
        guard !projectName.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw EngineError(.invalidInput, "the project needs a name")
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) {
            let content = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            guard isDirectory.boolValue, content.isEmpty else {
                throw EngineError(.conflict, "\(folder.path) exists and is not an empty folder")
            }
        }
        let manifest = ProjectManifest(name: projectName, description: description)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let data = try encoder.encode(manifest)
            _ = try AtomicFile.write(Array(data) + [0x0A], to: folder.path + "/" + ProjectManifest.fileName)
        } catch {
            throw EngineError(.io, "cannot create the project at \(folder.path): \(error)")
        }
        return try openProject(at: folder.path, actor: actor)
    }

    /// Reads the project again from its folder (after changes made outside the engine). Refused while changes are
    /// unsaved unless `discardChanges`.
    @discardableResult
    public func reload(
        sessionID: String? = nil, discardChanges: Bool = false, actor: String? = nil
    ) throws(EngineError) -> Session {
        var session = try self.session(sessionID)
        let unsaved = session.dirtyFiles.union(session.removedFiles)
        guard unsaved.isEmpty || discardChanges else {
            throw EngineError(
                .conflict,
                "\(unsaved.count) unsaved change(s) (\(unsaved.sorted().prefix(5).joined(separator: ", "))); save "
                    + "first or discard them")
        }
        do {
            session.project = try ProjectLoader.load(at: session.project.root)
        } catch {
            throw EngineError(.io, error.description)
        }
        session.dirtyFiles = []
        session.removedFiles = []
        sessions[session.id] = session
        record(session, actor: actor, action: "project.reload", target: session.project.root, outcome: "ok")
        hub.publish(.projectOpened(sessionID: session.id, name: session.project.name))
        return session
    }

    // MARK: Archives

    /// Writes the project folder (as saved; without s7wb's own `.s7wb` state) to a zip file at `path`; returns the
    /// number of files and the archive's size in bytes.
    public func archive(
        to path: String, sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) -> (files: Int, bytes: Int) {
        let session = try self.session(sessionID)
        let root = URL(fileURLWithPath: session.project.root)
        let target = URL(fileURLWithPath: path)
        let files = Self.projectFiles(below: root).filter { root.path + "/" + $0 != target.path }
        do {
            try? FileManager.default.removeItem(at: target)
            try FileManager.default.createDirectory(
                at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            let archive = try Archive(url: target, accessMode: .create)
            for file in files {
                try archive.addEntry(with: file, relativeTo: root, compressionMethod: .deflate)
            }
        } catch {
            throw EngineError(.io, "cannot write the archive \(target.path): \(error)")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: target.path)[.size] as? Int) ?? 0
        record(
            session, actor: actor, action: "project.archive", target: target.path, detail: "\(files.count) files",
            outcome: "ok")
        return (files.count, size)
    }

    /// Unpacks a project archive into `folder` (which must not exist or be empty) and opens it. Entries that would
    /// land outside the folder are refused before anything is written.
    @discardableResult
    public func restoreArchive(
        _ archivePath: String, into folder: String, actor: String? = nil
    ) throws(EngineError) -> Session {
        let target = URL(fileURLWithPath: folder).standardizedFileURL
        guard FileManager.default.fileExists(atPath: archivePath) else {
            throw EngineError(.notFound, "no archive at \(archivePath)")
        }
        if let content = try? FileManager.default.contentsOfDirectory(atPath: target.path), !content.isEmpty {
            throw EngineError(.conflict, "\(target.path) exists and is not empty")
        }
        let archive: Archive
        do { archive = try Archive(url: URL(fileURLWithPath: archivePath), accessMode: .read) } catch {
            throw EngineError(.invalidInput, "\(archivePath) is not a zip archive")
        }
        let entries = Array(archive)
        guard !entries.isEmpty else { throw EngineError(.invalidInput, "\(archivePath) is an empty archive") }
        for entry in entries {
            let parts = entry.path.split(whereSeparator: { $0 == "/" || $0 == "\\" })
            guard !entry.path.hasPrefix("/"), !parts.contains(".."), entry.type != .symlink else {
                throw EngineError(.invalidInput, "archive entry '\(entry.path)' would land outside the project folder")
            }
        }
        // An archive whose entries all sit in one folder holding the manifest is unpacked without that folder.
        let prefix = Self.commonTopFolder(entries.map(\.path))
        do {
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            for entry in entries {
                let relative = prefix.map { String(entry.path.dropFirst($0.count + 1)) } ?? entry.path
                guard !relative.isEmpty else { continue }
                let destination = target.appendingPathComponent(relative)
                if entry.type == .directory {
                    try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
                } else {
                    try FileManager.default.createDirectory(
                        at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
                    _ = try archive.extract(entry, to: destination)
                }
            }
        } catch {
            try? FileManager.default.removeItem(at: target)
            throw EngineError(.io, "cannot unpack \(archivePath): \(error)")
        }
        return try openProject(at: target.path, actor: actor)
    }

    /// Files of a project folder relative to it, sorted, without s7wb's `.s7wb` state folder.
    static func projectFiles(below root: URL) -> [String] {
        var files: [String] = []
        let enumerator = FileManager.default.enumerator(atPath: root.path)
        while let path = enumerator?.nextObject() as? String {
            if path == VCILayout.stateFolder || path.hasPrefix(VCILayout.stateFolder + "/") {
                enumerator?.skipDescendants()
                continue
            }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root.path + "/" + path, isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                files.append(path)
            }
        }
        return files.sorted()
    }

    /// The one top folder every path lies in, when it holds the manifest (`proj/s7project.json`).
    static func commonTopFolder(_ paths: [String]) -> String? {
        let tops = Set(paths.compactMap { $0.split(separator: "/").first.map(String.init) })
        guard tops.count == 1, let top = tops.first, paths.contains(top + "/" + ProjectManifest.fileName) else {
            return nil
        }
        return top
    }

    // MARK: Recent projects

    /// Projects opened before, newest first.
    public func recentProjectList() -> [RecentProject] {
        loadRecentProjects()
    }

    /// Removes a project from the recent list; false when it was not there.
    public func forgetRecentProject(path: String) -> Bool {
        var list = loadRecentProjects()
        let before = list.count
        list.removeAll { $0.path == path || $0.name == path }
        saveRecentProjects(list)
        return list.count != before
    }

    func remember(_ project: Project) {
        var list = loadRecentProjects()
        list.removeAll { $0.path == project.root }
        list.insert(RecentProject(name: project.name, path: project.root, openedAt: Date()), at: 0)
        saveRecentProjects(Array(list.prefix(Self.recentProjectsLimit)))
    }

    private var recentProjectsFile: String? {
        configuration.stateDirectory.map { $0 + "/recent-projects.json" }
    }

    private func loadRecentProjects() -> [RecentProject] {
        if let recentProjects { return recentProjects }
        var list: [RecentProject] = []
        if let file = recentProjectsFile, let data = FileManager.default.contents(atPath: file) {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            list = (try? decoder.decode([RecentProject].self, from: data)) ?? []
        }
        recentProjects = list
        return list
    }

    private func saveRecentProjects(_ list: [RecentProject]) {
        recentProjects = list
        guard let file = recentProjectsFile else { return }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        if let data = try? encoder.encode(list) {
            try? FileManager.default.createDirectory(
                atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            _ = try? AtomicFile.write(Array(data), to: file)
        }
    }

    // MARK: Networks

    /// The project's Ethernet subnets, derived from the devices' addresses: devices whose address and mask give the
    /// same network share a subnet (`PN/IE_1`, `PN/IE_2`, ... as TIA names them).
    public func subnets(sessionID: String? = nil) throws(EngineError) -> [Subnet] {
        let project = try self.project(sessionID: sessionID)
        var subnets: [Subnet] = []
        for device in project.devices {
            guard let address = device.ipAddress, let mask = device.subnetMask,
                let network = IPv4.network(address: address, mask: mask)
            else { continue }
            if let index = subnets.firstIndex(where: { $0.networkAddress == network && $0.subnetMask == mask }) {
                subnets[index].devices.append(.init(name: device.name, ipAddress: address))
            } else {
                subnets.append(
                    Subnet(
                        name: "PN/IE_\(subnets.count + 1)", networkAddress: network, subnetMask: mask,
                        devices: [.init(name: device.name, ipAddress: address)]))
            }
        }
        return subnets
    }
}

/// An Ethernet subnet of the project and the devices on it.
public struct Subnet: Sendable, Hashable {
    public struct Node: Sendable, Hashable {
        public var name: String
        public var ipAddress: String
    }

    public var name: String
    public var networkAddress: String
    public var subnetMask: String
    public var devices: [Node]
}
