import Foundation
public import S7Model

/// Opens a folder in the TIA Version Control Interface layout as a `Project`.
///
/// Devices are the folders that hold `Program blocks`, `PLC tags`, `PLC data types` or `Watch and force tables`,
/// at the root or below it; sub-folders of those are groups. `s7project.json`, when present, names the project and
/// adds what VCI does not hold (order number, firmware, IP address). A file that cannot be read becomes a
/// `LoadProblem` with its path and reason; the rest of the project still opens.
///
/// Example: `try ProjectLoader.load(at: "sample-projects/bottling-line")` gives one device `PLC_1` with its
/// blocks in groups `Machines` and `Simulation`.
public enum ProjectLoader {
    public struct OpenError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    public static func load(at path: String) throws(OpenError) -> Project {
        let root = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory) else {
            throw OpenError(path: path, reason: "no such folder")
        }
        guard isDirectory.boolValue else { throw OpenError(path: path, reason: "not a folder") }
        var loader = Loader(root: root)
        return loader.run()
    }
}

private struct Loader {
    let root: URL
    var problems: [LoadProblem] = []
    /// Files read or reported, so that the final sweep reports what nothing claimed.
    var claimed: Set<String> = []
    let fileManager = FileManager.default

    init(root: URL) {
        self.root = root
    }

    mutating func run() -> Project {
        let manifest = readManifest()
        var devices: [Device] = []
        var deviceFolders = findDeviceFolders(root, relative: "")
        for entry in manifest?.devices ?? [] {
            let folder = normalized(entry.folder ?? entry.name)
            if !deviceFolders.contains(folder) { deviceFolders.append(folder) }
        }
        // A device folder nested in a same-named device folder (a VCI workspace exported one level deeper, as in
        // `PLC_1/PLC_1/Program blocks`) is the same PLC: its content merges into the outer device.
        var merged: [String: [String]] = [:]
        var topFolders: [String] = []
        for folder in deviceFolders.sorted() {
            let parent = (folder as NSString).deletingLastPathComponent
            if !parent.isEmpty, (folder as NSString).lastPathComponent == (parent as NSString).lastPathComponent,
                deviceFolders.contains(parent)
            {
                merged[parent, default: []].append(folder)
            } else {
                topFolders.append(folder)
            }
        }
        for folder in topFolders {
            let entry = manifest?.devices.first { normalized($0.folder ?? $0.name) == folder }
            let name = entry?.name ?? (folder.isEmpty ? root.lastPathComponent : (folder as NSString).lastPathComponent)
            var device = Device(
                name: name, kind: entry?.kind ?? .plc, folder: folder.isEmpty ? "." : folder,
                orderNumber: entry?.orderNumber, firmware: entry?.firmware, ipAddress: entry?.ipAddress,
                subnetMask: entry?.subnetMask)
            for contentFolder in [folder] + (merged[folder] ?? []) {
                readDevice(into: &device, folder: contentFolder)
            }
            reportDuplicates(in: device)
            BlockNumbering.assign(&device.blocks)
            devices.append(device)
        }
        disambiguateDeviceNames(&devices)
        let library = readLibrary()
        sweepUnclaimed(root, relative: "")
        return Project(
            name: manifest?.name ?? root.lastPathComponent, root: root.path, description: manifest?.description,
            hasManifest: manifest != nil, devices: devices, library: library,
            problems: problems.sorted { $0.path < $1.path })
    }

    // MARK: Manifest and device discovery

    mutating func readManifest() -> ProjectManifest? {
        let url = root.appendingPathComponent(ProjectManifest.fileName)
        guard let data = fileManager.contents(atPath: url.path) else { return nil }
        claimed.insert(ProjectManifest.fileName)
        do {
            return try JSONDecoder().decode(ProjectManifest.self, from: data)
        } catch {
            problems.append(LoadProblem(path: ProjectManifest.fileName, reason: "invalid manifest: \(describe(error))"))
            return nil
        }
    }

    func findDeviceFolders(_ url: URL, relative: String) -> [String] {
        let children = subfolders(of: url)
        var result: [String] = []
        if children.contains(where: { VCILayout.deviceFolders.contains($0) }) { result.append(relative) }
        for child in children where !VCILayout.deviceFolders.contains(child) {
            if relative.isEmpty && child == VCILayout.libraryTypes { continue }
            result += findDeviceFolders(url.appendingPathComponent(child), relative: join(relative, child))
        }
        return result
    }

    func subfolders(of url: URL) -> [String] {
        let names = (try? fileManager.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { name in
            guard !name.hasPrefix(".") else { return false }
            var isDirectory: ObjCBool = false
            return fileManager.fileExists(atPath: url.appendingPathComponent(name).path, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }.sorted()
    }

    func files(in url: URL) -> [String] {
        let names = (try? fileManager.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { name in
            guard !name.hasPrefix(".") else { return false }
            var isDirectory: ObjCBool = false
            return fileManager.fileExists(atPath: url.appendingPathComponent(name).path, isDirectory: &isDirectory)
                && !isDirectory.boolValue
        }.sorted()
    }

    // MARK: Device content

    /// Reads the four VCI folders of a device; an object in the wrong folder is reported and left out.
    mutating func readDevice(into device: inout Device, folder: String) {
        let folders: [(String, String)] = [
            (VCILayout.programBlocks, "block"), (VCILayout.plcTags, "tag table"),
            (VCILayout.plcDataTypes, "PLC data type"), (VCILayout.watchAndForceTables, "watch or force table"),
        ]
        for (subfolder, expected) in folders {
            walk(join(folder, subfolder), group: []) { loader, path, group, bytes in
                for object in loader.readObjects(path: path, group: group, bytes: bytes) {
                    switch (subfolder, object) {
                    case (VCILayout.programBlocks, .block(let block)): device.blocks.append(block)
                    // SCL sources in Program blocks may declare types too; TIA files them under PLC data types.
                    case (VCILayout.programBlocks, .dataType(let type)), (VCILayout.plcDataTypes, .dataType(let type)):
                        device.dataTypes.append(type)
                    case (VCILayout.plcTags, .tagTable(let table)): device.tagTables.append(table)
                    case (VCILayout.watchAndForceTables, .watchTable(let table)): device.watchTables.append(table)
                    default:
                        loader.problems.append(LoadProblem(path: path, reason: "not a \(expected); ignored here"))
                    }
                }
            }
        }
    }

    mutating func readLibrary() -> ProjectLibrary {
        var library = ProjectLibrary()
        let types = VCILayout.libraryTypes
        guard !subfolders(of: root.appendingPathComponent(types)).isEmpty else { return library }
        walk(types, group: []) { loader, path, group, bytes in
            for object in loader.readObjects(path: path, group: group, bytes: bytes) {
                switch object {
                case .block(let block): library.blocks.append(block)
                case .dataType(let type): library.dataTypes.append(type)
                default: loader.problems.append(LoadProblem(path: path, reason: "not a library type; ignored"))
                }
            }
        }
        return library
    }

    /// Calls `body` for every file below `relative`, depth first, with the group path of sub-folders.
    mutating func walk(
        _ relative: String, group: [String], _ body: (inout Loader, String, [String], [UInt8]) -> Void
    ) {
        let url = root.appendingPathComponent(relative)
        for name in files(in: url) {
            let path = join(relative, name)
            claimed.insert(path)
            guard let data = fileManager.contents(atPath: url.appendingPathComponent(name).path) else {
                problems.append(LoadProblem(path: path, reason: "cannot read the file"))
                continue
            }
            body(&self, path, group, Array(data))
        }
        for folder in subfolders(of: url) {
            walk(join(relative, folder), group: group + [folder], body)
        }
    }

    mutating func readObjects(path: String, group: [String], bytes: [UInt8]) -> [SimaticMLObject] {
        let ext = (path as NSString).pathExtension.lowercased()
        switch ext {
        case "xml":
            do {
                let object = try SimaticMLReader.read(
                    bytes: bytes, file: SourceFileRef(path: path, format: .simaticML), group: group)
                if let version = engineeringVersion(of: object), !EngineeringVersion.isSupported(version) {
                    problems.append(
                        LoadProblem(
                            path: path,
                            reason: "Engineering version \(version) is outside V15–V21; read on a best-effort basis"))
                }
                return [object]
            } catch {
                problems.append(LoadProblem(path: path, line: error.line, column: error.column, reason: error.message))
                return []
            }
        case "scl", "db", "udt":
            let format: SourceFileRef.Format = ext == "db" ? .dbSource : ext == "udt" ? .udtSource : .sclSource
            let result = SCLSourceReader.read(
                bytes: bytes, file: SourceFileRef(path: path, format: format), group: group)
            for problem in result.problems {
                problems.append(
                    LoadProblem(path: path, line: problem.line, column: problem.column, reason: problem.message))
            }
            return result.objects
        case "s7dcl", "s7res":
            problems.append(
                LoadProblem(path: path, reason: "SIMATIC SD text format (.\(ext)) is not read yet; file left as is"))
            return []
        case "awl", "stl":
            problems.append(LoadProblem(path: path, reason: "STL sources are not read yet; file left as is"))
            return []
        default:
            problems.append(LoadProblem(path: path, reason: "not an S7 source or SimaticML file; ignored"))
            return []
        }
    }

    func engineeringVersion(of object: SimaticMLObject) -> String? {
        switch object {
        case .block(let b): b.engineeringVersion
        case .dataType(let t): t.engineeringVersion
        case .tagTable(let t): t.engineeringVersion
        case .watchTable(let t): t.engineeringVersion
        }
    }

    // MARK: Consistency

    mutating func reportDuplicates(in device: Device) {
        var seen: [String: String] = [:]
        for block in device.blocks {
            let key = block.name.lowercased()
            if let first = seen[key] {
                problems.append(
                    LoadProblem(
                        path: block.file.path,
                        reason: "block \"\(block.name)\" is also defined in \(first); both are kept, the first wins"))
            } else {
                seen[key] = block.file.path
            }
        }
    }

    func disambiguateDeviceNames(_ devices: inout [Device]) {
        var counts: [String: Int] = [:]
        for device in devices { counts[device.name.lowercased(), default: 0] += 1 }
        for index in devices.indices where counts[devices[index].name.lowercased()]! > 1 {
            devices[index].name = devices[index].folder
        }
    }

    /// Reports S7 files that no device or library claimed (outside any VCI folder).
    mutating func sweepUnclaimed(_ url: URL, relative: String) {
        for name in files(in: url) {
            let path = join(relative, name)
            let ext = (name as NSString).pathExtension.lowercased()
            guard !claimed.contains(path), VCILayout.s7Extensions.contains(ext) else { continue }
            problems.append(
                LoadProblem(
                    path: path,
                    reason: "outside any device folder (Program blocks, PLC tags, PLC data types, "
                        + "Watch and force tables); not read"))
        }
        for folder in subfolders(of: url)
        where !(relative.isEmpty && folder == VCILayout.stateFolder) && folder != VCILayout.externalSources {
            sweepUnclaimed(url.appendingPathComponent(folder), relative: join(relative, folder))
        }
    }

    // MARK: Helpers

    func join(_ a: String, _ b: String) -> String { a.isEmpty ? b : a + "/" + b }

    func normalized(_ folder: String) -> String {
        folder.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
    }

    func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error { return context.debugDescription }
        if case DecodingError.keyNotFound(let key, _) = error { return "missing key '\(key.stringValue)'" }
        if case DecodingError.typeMismatch(_, let context) = error {
            return "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        }
        return "\(error)"
    }
}
