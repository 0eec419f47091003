/// The project manifest `s7project.json`: what a VCI folder does not hold (project name, device hardware).
///
/// Example:
/// ```json
/// { "name": "bottling-line", "devices": [ { "name": "PLC_1", "kind": "plc", "folder": "PLC_1",
///   "orderNumber": "6ES7 516-3AN02-0AB0", "firmware": "V2.9", "ipAddress": "192.168.0.10",
///   "subnetMask": "255.255.255.0" } ] }
/// ```
public struct ProjectManifest: Hashable, Sendable, Codable {
    public static let fileName = "s7project.json"

    public var name: String
    public var description: String?
    public var devices: [DeviceManifest]

    public init(name: String, description: String? = nil, devices: [DeviceManifest] = []) {
        self.name = name
        self.description = description
        self.devices = devices
    }
}

public struct DeviceManifest: Hashable, Sendable, Codable {
    public var name: String
    public var kind: DeviceKind
    /// Folder of the device relative to the project root; defaults to `name`.
    public var folder: String?
    public var orderNumber: String?
    public var firmware: String?
    public var ipAddress: String?
    public var subnetMask: String?

    public init(
        name: String, kind: DeviceKind = .plc, folder: String? = nil, orderNumber: String? = nil,
        firmware: String? = nil, ipAddress: String? = nil, subnetMask: String? = nil
    ) {
        self.name = name
        self.kind = kind
        self.folder = folder
        self.orderNumber = orderNumber
        self.firmware = firmware
        self.ipAddress = ipAddress
        self.subnetMask = subnetMask
    }
}

public enum DeviceKind: String, Hashable, Sendable, Codable {
    case plc
    case hmi
}
