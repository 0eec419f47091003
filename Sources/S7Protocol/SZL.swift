/// The system status lists (SZL) a CPU answers, built from what its backend reports. Each list is the partial-list
/// header (`LENTHDR` record length, `N_DR` record count) followed by the records, as an S7-1500 sends them.
public enum SZL {
    /// The SZL ids this server answers (also the content of SZL 0x0000).
    public static let supportedIDs: [UInt16] = [
        0x0000, 0x0011, 0x0111, 0x001C, 0x011C, 0x0131, 0x0232, 0x0424, 0x00A0, 0x01A0,
    ]

    /// The partial list `id`/`index` (without the leading id and index words), or nil if the CPU has no such list.
    public static func list(
        id: UInt16, index: UInt16, backend: some S7ServerBackend
    ) -> [UInt8]? {
        switch id {
        case 0x0000:
            return partialList(recordLength: 2, records: supportedIDs.map { word($0) })
        case 0x0011, 0x0111:
            let records = moduleIdentification(backend.identity)
            if id == 0x0011 { return partialList(recordLength: 28, records: records.map(\.bytes)) }
            guard let record = records.first(where: { $0.index == index }) else { return nil }
            return partialList(recordLength: 28, records: [record.bytes])
        case 0x001C, 0x011C:
            let records = componentIdentification(backend.identity)
            if id == 0x001C { return partialList(recordLength: 34, records: records.map(\.bytes)) }
            guard let record = records.first(where: { $0.index == index }) else { return nil }
            return partialList(recordLength: 34, records: [record.bytes])
        case 0x0131:
            // Communication capability parameters (index 1): PDU size, connections, MPI and backplane rates.
            let identity = backend.identity
            var record = word(0x0001) + word(UInt16(clamping: identity.maximumPDUSize))
            record += word(UInt16(clamping: identity.maximumConnections))
            record += dword(12_000_000) + dword(187_500)
            return partialList(recordLength: 40, records: [padded(record, to: 40)])
        case 0x0232:
            // Protection (index 4): key switch position as the mode implies, no password protection.
            let running = backend.mode == .run
            var record = word(0x0004) + word(1) + word(1) + word(running ? 1 : 3)
            record += word(running ? 1 : 3) + word(0)
            return partialList(recordLength: 40, records: [padded(record, to: 40)])
        case 0x0424:
            return partialList(recordLength: 20, records: [modeRecord(backend.mode, previous: backend.previousMode)])
        case 0x00A0, 0x01A0:
            // 0x00A0: the whole buffer; 0x01A0: the `index` newest entries.
            let entries = backend.diagnostics
            let count = id == 0x00A0 || index == 0 ? entries.count : min(Int(index), entries.count)
            return partialList(recordLength: 20, records: entries.prefix(count).map(diagnosticRecord))
        default:
            return nil
        }
    }

    /// SZL 0x0424's record: event, `bzu-id` (previous mode high nibble, current mode low nibble), timestamp.
    static func modeRecord(_ mode: S7CPUMode, previous: S7CPUMode) -> [UInt8] {
        let event: UInt16 = mode == .run ? 0x4303 : 0x4304
        var record = word(event) + [0xFF, previous.rawValue << 4 | mode.rawValue]
        record += [0, 0, 0, 0]  // reserved
        record += [0, 0, 0, 0]  // start-up information
        record += [0, 0, 0, 0, 0, 0, 0, 0]  // time stamp
        return record
    }

    static func diagnosticRecord(_ entry: S7DiagnosticRecord) -> [UInt8] {
        var record = word(entry.eventID) + [entry.priorityClass, entry.obNumber]
        record += word(0) + word(entry.info1) + dword(entry.info2)
        return record + S7Clock.bcd(entry.time)
    }

    struct Record {
        var index: UInt16
        var bytes: [UInt8]
    }

    /// SZL 0x0011: the module (order number, hardware) and firmware records; 0x0007 carries `V` and the version.
    static func moduleIdentification(_ identity: S7ModuleIdentity) -> [Record] {
        let order = text(identity.orderNumber, length: 20, pad: 0x20)
        let firmware = identity.firmware
        return [
            Record(index: 0x0001, bytes: word(0x0001) + order + word(0x00C0) + word(0x0001) + word(0x0000)),
            Record(index: 0x0006, bytes: word(0x0006) + order + word(0x00C0) + word(0x0001) + word(0x0000)),
            Record(
                index: 0x0007,
                bytes: word(0x0007) + text("", length: 20, pad: 0x20) + word(0x00C0) + [
                    0x56, firmware.major, firmware.minor, firmware.patch,
                ]),
        ]
    }

    /// SZL 0x001C: names, copyright, serial number and module type, each record 34 bytes.
    static func componentIdentification(_ identity: S7ModuleIdentity) -> [Record] {
        [
            Record(index: 0x0001, bytes: word(0x0001) + text(identity.systemName, length: 24) + text("", length: 8)),
            Record(index: 0x0002, bytes: word(0x0002) + text(identity.moduleName, length: 24) + text("", length: 8)),
            Record(index: 0x0003, bytes: word(0x0003) + text(identity.plantDesignation, length: 32)),
            Record(index: 0x0004, bytes: word(0x0004) + text(identity.copyright, length: 26) + text("", length: 6)),
            Record(index: 0x0005, bytes: word(0x0005) + text(identity.serialNumber, length: 24) + text("", length: 8)),
            Record(index: 0x0007, bytes: word(0x0007) + text(identity.moduleTypeName, length: 32)),
            Record(index: 0x0008, bytes: word(0x0008) + text("", length: 32)),
            Record(index: 0x000B, bytes: word(0x000B) + text("", length: 32)),
        ]
    }

    static func partialList(recordLength: Int, records: [[UInt8]]) -> [UInt8] {
        word(UInt16(recordLength)) + word(UInt16(clamping: records.count)) + records.flatMap { $0 }
    }

    static func word(_ value: UInt16) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.appendBigEndian(value)
        return bytes
    }

    static func dword(_ value: UInt32) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.appendBigEndian(value)
        return bytes
    }

    /// ASCII text cut or padded to `length` bytes with NUL (names) or `pad` (order numbers pad with spaces).
    static func text(_ value: String, length: Int, pad: UInt8 = 0) -> [UInt8] {
        let bytes = Array(value.utf8.map { $0 < 0x80 ? $0 : UInt8(ascii: "?") }.prefix(length))
        return bytes + [UInt8](repeating: pad, count: length - bytes.count)
    }

    static func padded(_ bytes: [UInt8], to length: Int) -> [UInt8] {
        bytes + [UInt8](repeating: 0, count: max(0, length - bytes.count))
    }
}
