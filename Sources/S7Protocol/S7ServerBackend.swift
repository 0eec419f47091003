public import S7Model

/// The CPU an S7comm server stands for. The server's connections call it from their event loop, so every method
/// must answer at once (read a published image, queue a write) and never wait for a cycle.
public protocol S7ServerBackend: Sendable {
    /// Reads every item from one consistent image: the bytes (one byte, 0 or 1, for a bit), or the item's error.
    func read(_ items: [S7VariableAddress]) -> [Result<[UInt8], S7ReturnCode>]
    /// Writes every item (applied at the next cycle start); `.success` or the item's error for each.
    func write(_ items: [S7WriteItem]) -> [S7ReturnCode]
    /// The operating mode now.
    var mode: S7CPUMode { get }
    /// The mode before the last change.
    var previousMode: S7CPUMode { get }
    /// PLC stop; false when the CPU refuses (the job is answered with an error).
    func stop() -> Bool
    /// Warm (hot) or cold start; false when the CPU cannot start (no program).
    func start(cold: Bool) -> Bool
    /// What SZL 0x0011 and 0x001C report.
    var identity: S7ModuleIdentity { get }
    /// The diagnostic buffer, newest first (SZL 0x00A0).
    var diagnostics: [S7DiagnosticRecord] { get }
    /// The blocks loaded (block directory).
    var blocks: [S7BlockEntry] { get }
    /// The CPU's clock.
    var clock: PLCDateTime { get }
    /// Sets the CPU's clock; false if refused.
    func setClock(_ time: PLCDateTime) -> Bool
}

/// The operating modes SZL 0x0424 reports (the low nibble of its `bzu-id` byte).
public enum S7CPUMode: UInt8, Hashable, Sendable, CustomStringConvertible {
    case unknown = 0x00
    case stopUpdate = 0x01
    case stopMemoryReset = 0x02
    case stopInitialization = 0x03
    case stop = 0x04
    case startupCold = 0x06
    case startupWarm = 0x07
    case run = 0x08
    case hold = 0x0A
    case defect = 0x0D

    public var description: String {
        switch self {
        case .unknown: "UNKNOWN"
        case .stopUpdate, .stopMemoryReset, .stopInitialization, .stop: "STOP"
        case .startupCold, .startupWarm: "STARTUP"
        case .run: "RUN"
        case .hold: "HOLD"
        case .defect: "DEFECT"
        }
    }
}

/// The identity of the CPU module as SZL 0x0011 (module identification) and 0x001C (component identification)
/// report it.
public struct S7ModuleIdentity: Hashable, Sendable {
    /// The order number (MLFB), e.g. `6ES7 516-3AN02-0AB0`.
    public var orderNumber: String
    /// Firmware version major, minor, patch (V2.9.0).
    public var firmware: S7FirmwareVersion
    /// The automation system's name (the station).
    public var systemName: String
    /// The module's name (the device name in the project, e.g. `PLC_1`).
    public var moduleName: String
    /// The module type, e.g. `CPU 1516-3 PN/DP`.
    public var moduleTypeName: String
    public var plantDesignation: String
    public var serialNumber: String
    public var copyright: String
    /// The PDU size the CPU grants at most and the connections it offers (SZL 0x0131).
    public var maximumPDUSize: Int
    public var maximumConnections: Int

    public init(
        orderNumber: String, firmware: S7FirmwareVersion, systemName: String, moduleName: String,
        moduleTypeName: String, plantDesignation: String = "", serialNumber: String, copyright: String,
        maximumPDUSize: Int, maximumConnections: Int
    ) {
        self.orderNumber = orderNumber
        self.firmware = firmware
        self.systemName = systemName
        self.moduleName = moduleName
        self.moduleTypeName = moduleTypeName
        self.plantDesignation = plantDesignation
        self.serialNumber = serialNumber
        self.copyright = copyright
        self.maximumPDUSize = maximumPDUSize
        self.maximumConnections = maximumConnections
    }

}

/// A firmware version, V2.9.4 as `S7FirmwareVersion(2, 9, 4)`.
public struct S7FirmwareVersion: Hashable, Sendable {
    public var major: UInt8
    public var minor: UInt8
    public var patch: UInt8

    public init(_ major: UInt8, _ minor: UInt8, _ patch: UInt8) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }
}

/// One entry of the diagnostic buffer as SZL 0x00A0 lists it (20 bytes).
public struct S7DiagnosticRecord: Hashable, Sendable {
    public var eventID: UInt16
    public var priorityClass: UInt8
    public var obNumber: UInt8
    public var info1: UInt16
    public var info2: UInt32
    public var time: PLCDateTime

    public init(
        eventID: UInt16, priorityClass: UInt8 = 1, obNumber: UInt8 = 1, info1: UInt16 = 0, info2: UInt32 = 0,
        time: PLCDateTime
    ) {
        self.eventID = eventID
        self.priorityClass = priorityClass
        self.obNumber = obNumber
        self.info1 = info1
        self.info2 = info2
        self.time = time
    }
}

/// The block types of the block directory (S7 block type codes).
public enum S7BlockType: UInt8, Hashable, Sendable, CaseIterable {
    case ob = 0x38
    case db = 0x41
    case sdb = 0x42
    case fc = 0x43
    case sfc = 0x44
    case fb = 0x45
    case sfb = 0x46

    /// The sub-block type code block info reports.
    var subBlockType: UInt8 {
        switch self {
        case .ob: 0x08
        case .db: 0x0A
        case .sdb: 0x0B
        case .fc: 0x0C
        case .sfc: 0x0D
        case .fb: 0x0E
        case .sfb: 0x0F
        }
    }
}

/// The languages block info reports.
public enum S7BlockLanguage: UInt8, Hashable, Sendable {
    case stl = 0x01
    case lad = 0x02
    case fbd = 0x03
    case scl = 0x04
    case db = 0x05
    case graph = 0x06
}

/// One block of the block directory.
public struct S7BlockEntry: Hashable, Sendable {
    public var type: S7BlockType
    public var number: Int
    public var language: S7BlockLanguage
    /// The block's name in the project (block info's header field holds its first 8 characters).
    public var name: String
    /// Bytes of code or data.
    public var size: Int
    public var checksum: UInt16
    public var author: String
    public var family: String
    /// Version as major.minor in one byte (0x01 = 0.1).
    public var version: UInt8
    /// When the block was loaded: milliseconds since midnight and days since 1984-01-01.
    public var loadedMilliseconds: UInt32
    public var loadedDays: UInt16

    public init(
        type: S7BlockType, number: Int, language: S7BlockLanguage, name: String, size: Int, checksum: UInt16 = 0,
        author: String = "", family: String = "", version: UInt8 = 0x01, loadedMilliseconds: UInt32 = 0,
        loadedDays: UInt16 = 0
    ) {
        self.type = type
        self.number = number
        self.language = language
        self.name = name
        self.size = size
        self.checksum = checksum
        self.author = author
        self.family = family
        self.version = version
        self.loadedMilliseconds = loadedMilliseconds
        self.loadedDays = loadedDays
    }
}

/// DATE_AND_TIME's 8 BCD bytes, as S7comm's clock services and diagnostic buffer carry them (S7Model's binary coding
/// of DT; years 1990...2089).
enum S7Clock {
    static func bcd(_ time: PLCDateTime) -> [UInt8] {
        (try? PLCValue.dateAndTime(time).encoded(as: .dateAndTime)) ?? [UInt8](repeating: 0, count: 8)
    }

    static func time(bcd bytes: ArraySlice<UInt8>) -> PLCDateTime? {
        guard case .dateAndTime(let time)? = try? PLCValue.decode(bytes, as: .dateAndTime) else { return nil }
        return time
    }
}
