/// A device of the project: a PLC with its program, tags, data types and tables, or an HMI.
public struct Device: Hashable, Sendable, Codable {
    public var name: String
    public var kind: DeviceKind
    /// The device folder relative to the project root (`PLC_1`, `.` when the root itself is the device).
    public var folder: String
    public var orderNumber: String?
    public var firmware: String?
    public var ipAddress: String?
    public var subnetMask: String?
    public var blocks: [Block]
    public var tagTables: [TagTable]
    public var dataTypes: [PlcDataType]
    public var watchTables: [WatchTable]

    public init(
        name: String, kind: DeviceKind = .plc, folder: String, orderNumber: String? = nil, firmware: String? = nil,
        ipAddress: String? = nil, subnetMask: String? = nil, blocks: [Block] = [], tagTables: [TagTable] = [],
        dataTypes: [PlcDataType] = [], watchTables: [WatchTable] = []
    ) {
        self.name = name
        self.kind = kind
        self.folder = folder
        self.orderNumber = orderNumber
        self.firmware = firmware
        self.ipAddress = ipAddress
        self.subnetMask = subnetMask
        self.blocks = blocks
        self.tagTables = tagTables
        self.dataTypes = dataTypes
        self.watchTables = watchTables
    }

    public func block(named name: String) -> Block? {
        blocks.first { $0.name.caseInsensitiveEquals(name) }
    }

    public func tagTable(named name: String) -> TagTable? {
        tagTables.first { $0.name.caseInsensitiveEquals(name) }
    }

    public func dataType(named name: String) -> PlcDataType? {
        dataTypes.first { $0.name.caseInsensitiveEquals(name) }
    }

    public func watchTable(named name: String) -> WatchTable? {
        watchTables.first { $0.name.caseInsensitiveEquals(name) }
    }

    public var tagCount: Int { tagTables.reduce(0) { $0 + $1.tags.count } }
}

extension String {
    /// S7 names are case-insensitive: `"Motor"` and `"MOTOR"` name the same tag.
    public func caseInsensitiveEquals(_ other: String) -> Bool {
        self.count == other.count && self.lowercased() == other.lowercased()
    }
}
