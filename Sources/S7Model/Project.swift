/// An opened project: a VCI folder with its devices, plus whatever could not be read.
public struct Project: Hashable, Sendable, Codable {
    public var name: String
    /// Absolute path of the project folder.
    public var root: String
    public var description: String?
    /// True when the project folder has an `s7project.json`.
    public var hasManifest: Bool
    public var devices: [Device]
    /// Project library types (VCI `Types/Blocks`, `Types/UDTs`): block and data type masters.
    public var library: ProjectLibrary
    /// Files that could not be read; the rest of the project opened anyway.
    public var problems: [LoadProblem]

    public init(
        name: String, root: String, description: String? = nil, hasManifest: Bool = false, devices: [Device] = [],
        library: ProjectLibrary = ProjectLibrary(), problems: [LoadProblem] = []
    ) {
        self.name = name
        self.root = root
        self.description = description
        self.hasManifest = hasManifest
        self.devices = devices
        self.library = library
        self.problems = problems
    }

    public func device(named name: String) -> Device? {
        devices.first { $0.name.caseInsensitiveEquals(name) }
    }

    /// The manifest that describes this project as it is now.
    public var manifest: ProjectManifest {
        ProjectManifest(
            name: name, description: description,
            devices: devices.map {
                DeviceManifest(
                    name: $0.name, kind: $0.kind, folder: $0.folder, orderNumber: $0.orderNumber,
                    firmware: $0.firmware, ipAddress: $0.ipAddress, subnetMask: $0.subnetMask)
            })
    }
}

/// A file of the project that could not be read, with the reason and, when known, the line and column.
public struct LoadProblem: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Path relative to the project root.
    public var path: String
    public var line: Int?
    public var column: Int?
    public var reason: String

    public init(path: String, line: Int? = nil, column: Int? = nil, reason: String) {
        self.path = path
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// `PLC_1/PLC tags/Bad.xml:12:5: unexpected end of file`
    public var description: String {
        var location = path
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        return "\(location): \(reason)"
    }
}

/// Types of the project library as VCI exports them under `Types/`.
public struct ProjectLibrary: Hashable, Sendable, Codable {
    public var blocks: [Block]
    public var dataTypes: [PlcDataType]

    public init(blocks: [Block] = [], dataTypes: [PlcDataType] = []) {
        self.blocks = blocks
        self.dataTypes = dataTypes
    }

    public var isEmpty: Bool { blocks.isEmpty && dataTypes.isEmpty }
}
