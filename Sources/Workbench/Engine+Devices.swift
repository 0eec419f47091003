import Foundation
public import S7Model
import S7Runtime
import SimaticML

/// One finding of a hardware compile.
public struct HardwareMessage: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
        case info
    }

    public var severity: Severity
    public var message: String

    public init(_ severity: Severity, _ message: String) {
        self.severity = severity
        self.message = message
    }

    public var description: String { "\(severity.rawValue): \(message)" }
}

/// A device's hardware: its catalog entry and its PROFINET interface with the subnet it is in.
public struct HardwareDetails: Sendable, Hashable {
    public var name: String
    public var kind: DeviceKind
    public var folder: String
    public var orderNumber: String?
    public var firmware: String?
    /// Nil when the device has no order number or one the catalog does not know.
    public var catalogEntry: HardwareCatalogEntry?
    /// The slot the CPU or panel takes in its rack (1 for a CPU), nil for an HMI.
    public var slot: Int?
    public var interfaceName: String
    public var ipAddress: String?
    public var subnetMask: String?
    /// `24` for 255.255.255.0; nil when the mask is missing or not contiguous.
    public var prefixLength: Int?
    /// `192.168.0.0/24`; nil unless address and mask are both valid.
    public var subnet: String?
}

/// Where an AutomationML hardware file comes from.
public enum HardwareSource: Sendable, Hashable {
    /// A path, resolved with `Engine.resolvePath`.
    case file(String)
    /// The document itself.
    case text(String)
}

extension Engine {
    // MARK: Add, delete, rename

    /// Adds a device from the hardware catalog. A CPU becomes a PLC whose folder `<name>` gets
    /// `Program blocks/Main.scl` with an empty program-cycle OB1 on the next save; an HMI panel becomes an HMI device
    /// (kept in the manifest only). The name defaults to the first free `PLC_n` or `HMI_n`, the firmware to the newest
    /// the catalog offers. Modules (signal, communication, interface modules) are refused: they go into slots.
    @discardableResult
    public func addDevice(
        orderNumber: String, name: String? = nil, firmware: String? = nil, sessionID: String? = nil,
        actor: String? = nil
    ) throws(EngineError) -> Device {
        var session = try self.session(sessionID)
        guard let entry = HardwareCatalog.find(orderNumber: orderNumber) else {
            throw EngineError(
                .notFound, "no product with order number '\(orderNumber)' in the hardware catalog; search the catalog")
        }
        var taken = Self.takenDeviceNames(in: session)
        let device = try plannedDevice(
            entry, name: name, firmware: firmware, ipAddress: nil, subnetMask: nil, in: session, taken: &taken)
        snapshot(
            session, kind: "manifest", path: ProjectManifest.fileName, reason: "before adding device \(device.name)",
            actor: actor)
        Self.insert([device], into: &session)
        sessions[session.id] = session
        record(
            session, actor: actor, action: "device.add", target: device.name,
            detail: "\(entry.orderNumber) \(device.firmware ?? "")", outcome: "ok")
        hub.publish(.objectChanged(sessionID: session.id, kind: "device", device: device.name, name: device.name))
        return device
    }

    /// Deletes a device. On the next save its VCI folders (`Program blocks`, `PLC tags`, `PLC data types`,
    /// `Watch and force tables`) and its other object files are removed, so the folder no longer opens as a device;
    /// other files in its folder are left alone. Each file is snapshotted first; its virtual PLC is shut down.
    public func deleteDevice(_ name: String, sessionID: String? = nil, actor: String? = nil) throws(EngineError) {
        var session = try self.session(sessionID)
        let index = try Self.devicePosition(name, in: session)
        let device = session.project.devices[index]
        let root = session.project.root
        snapshot(
            session, kind: "manifest", path: ProjectManifest.fileName, reason: "before deleting device \(device.name)",
            actor: actor)
        let files = Set(
            device.blocks.map(\.file.path) + device.dataTypes.map(\.file.path) + device.tagTables.map(\.file.path)
                + device.watchTables.map(\.file.path))
        for path in files.sorted()
        where session.dirtyFiles.contains(path) || FileManager.default.fileExists(atPath: root + "/" + path) {
            snapshot(
                session, kind: "deviceFile", path: path, reason: "before deleting device \(device.name)", actor: actor)
        }
        session.project.devices.remove(at: index)
        let prefix = device.folder == "." || device.folder.isEmpty ? "" : device.folder + "/"
        var removed = files
        if device.kind == .plc {
            for folder in VCILayout.deviceFolders { removed.insert(prefix + folder) }
        }
        session.removedFiles.formUnion(removed)
        session.dirtyFiles = session.dirtyFiles.filter { path in
            !removed.contains { path == $0 || path.hasPrefix($0 + "/") }
        }
        session.dirtyFiles.insert(ProjectManifest.fileName)
        sessions[session.id] = session
        if let instance = instances.removeValue(forKey: session.id + "/" + device.name.lowercased()) {
            instance.plc.shutdown()
        }
        record(
            session, actor: actor, action: "device.delete", target: device.name,
            detail: "\(files.count) file(s) removed on save", outcome: "ok")
        hub.publish(.objectChanged(sessionID: session.id, kind: "device", device: device.name, name: device.name))
    }

    /// Renames a device in the manifest; its folder keeps its name (the manifest maps the one to the other).
    public func renameDevice(
        _ name: String, to newName: String, sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) {
        var session = try self.session(sessionID)
        let index = try Self.devicePosition(name, in: session)
        let oldName = session.project.devices[index].name
        if let problem = Self.nameProblem(newName, isFile: true) {
            throw EngineError(.invalidInput, "device name '\(newName)': \(problem)")
        }
        guard newName != oldName else { return }
        if session.project.devices.indices.contains(where: {
            $0 != index && session.project.devices[$0].name.caseInsensitiveEquals(newName)
        }) {
            throw EngineError(.conflict, "a device named \(newName) exists in project \(session.project.name)")
        }
        snapshot(
            session, kind: "manifest", path: ProjectManifest.fileName, reason: "before renaming device \(oldName)",
            actor: actor)
        session.project.devices[index].name = newName
        session.dirtyFiles.insert(ProjectManifest.fileName)
        sessions[session.id] = session
        let oldKey = session.id + "/" + oldName.lowercased()
        if let instance = instances.removeValue(forKey: oldKey) {
            instances[session.id + "/" + newName.lowercased()] = instance
        }
        record(session, actor: actor, action: "device.rename", target: oldName, detail: newName, outcome: "ok")
        hub.publish(.objectChanged(sessionID: session.id, kind: "device", device: newName, name: newName))
    }

    // MARK: Hardware

    /// Checks a device's hardware configuration as TIA's "Compile › Hardware" does for what s7wb knows: the order
    /// number against the catalog, the firmware against what it offers, the IP address and subnet mask, and that no
    /// other device of the project uses the same IP address. Ends with an info line summing up.
    public func compileHardware(
        device name: String, sessionID: String? = nil
    ) throws(EngineError) -> [HardwareMessage] {
        let project = try self.project(sessionID: sessionID)
        let device = try self.device(name, sessionID: sessionID)
        var messages: [HardwareMessage] = []
        let entry = device.orderNumber.flatMap { HardwareCatalog.find(orderNumber: $0) }
        if let orderNumber = device.orderNumber, !orderNumber.isEmpty {
            if let entry {
                switch (entry.kind, device.kind) {
                case (.cpu, .plc), (.hmi, .hmi):
                    break
                case (.io, _), (.interface, _):
                    messages.append(
                        HardwareMessage(
                            .error, "\(orderNumber) (\(entry.name)) is a module, not a CPU or an HMI panel"))
                default:
                    messages.append(
                        HardwareMessage(
                            .error,
                            "\(device.name) is configured as \(device.kind.rawValue.uppercased()) but "
                                + "\(orderNumber) is "
                                + "\(entry.kind == .hmi ? "an HMI panel" : "a CPU") (\(entry.name))"))
                }
            } else {
                messages.append(HardwareMessage(.error, "order number \(orderNumber) is not in the hardware catalog"))
            }
        } else {
            messages.append(
                HardwareMessage(.warning, "\(device.name) has no order number: its hardware cannot be checked"))
        }
        if let entry, !entry.firmwareVersions.isEmpty {
            if let firmware = device.firmware, !firmware.isEmpty {
                if !entry.firmwareVersions.contains(firmware) {
                    messages.append(
                        HardwareMessage(
                            .error,
                            "firmware \(firmware) is not offered for \(entry.name) (offered: "
                                + entry.firmwareVersions.joined(separator: ", ") + ")"))
                }
            } else {
                messages.append(
                    HardwareMessage(
                        .warning, "no firmware version is set; the newest, \(entry.newestFirmware ?? "?"), is assumed"))
            }
        }
        switch (device.ipAddress, device.subnetMask) {
        case (nil, nil):
            messages.append(
                HardwareMessage(.warning, "\(AutomationML.interfaceName) has no IP address and no subnet mask"))
        case (nil, .some):
            messages.append(
                HardwareMessage(.error, "\(AutomationML.interfaceName) has a subnet mask but no IP address"))
        case (.some(let address), nil):
            messages.append(
                HardwareMessage(
                    .error, "\(AutomationML.interfaceName) has the IP address \(address) but no subnet mask"))
        case (.some(let address), .some(let mask)):
            do {
                try IPv4.validate(address: address, mask: mask)
            } catch {
                messages.append(HardwareMessage(.error, "\(AutomationML.interfaceName): \(error.message)"))
            }
            let others = project.devices.filter {
                !$0.name.caseInsensitiveEquals(device.name) && $0.ipAddress == address
            }
            if !others.isEmpty {
                messages.append(
                    HardwareMessage(
                        .error,
                        "IP address \(address) is used twice in the project: also by "
                            + others.map(\.name).joined(separator: ", ")))
            }
        }
        let errors = messages.count { $0.severity == .error }
        let warnings = messages.count { $0.severity == .warning }
        var what = entry.map { "\($0.name), \($0.orderNumber)" } ?? (device.orderNumber ?? "no order number")
        if let firmware = device.firmware { what += ", " + firmware }
        messages.append(
            HardwareMessage(
                .info,
                "hardware configuration of \(device.name) (\(what)) compiled: \(errors) error(s), "
                    + "\(warnings) warning(s)"))
        return messages
    }

    /// The hardware of a device with its network settings.
    public func hardwareDetails(device name: String, sessionID: String? = nil) throws(EngineError) -> HardwareDetails {
        let device = try self.device(name, sessionID: sessionID)
        let entry = device.orderNumber.flatMap { HardwareCatalog.find(orderNumber: $0) }
        var prefixLength: Int?
        var subnet: String?
        if let mask = device.subnetMask.flatMap(IPv4.parse) {
            let maskValue = mask.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            if maskValue != 0, (~maskValue) & (~maskValue &+ 1) == 0 {
                prefixLength = maskValue.nonzeroBitCount
                if let address = device.ipAddress.flatMap(IPv4.parse) {
                    let network = zip(address, mask).map { String($0 & $1) }.joined(separator: ".")
                    subnet = "\(network)/\(maskValue.nonzeroBitCount)"
                }
            }
        }
        return HardwareDetails(
            name: device.name, kind: device.kind, folder: device.folder, orderNumber: device.orderNumber,
            firmware: device.firmware, catalogEntry: entry, slot: device.kind == .plc ? 1 : nil,
            interfaceName: AutomationML.interfaceName, ipAddress: device.ipAddress, subnetMask: device.subnetMask,
            prefixLength: prefixLength, subnet: subnet)
    }

    /// Writes a device's hardware as AutomationML to `path` (an `.aml` file; a folder gets `<device>.aml`, so no
    /// project file can be overwritten) and returns the file it wrote and the document; with no path, only the
    /// document.
    public func exportHardware(
        device name: String, to path: String? = nil, sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) -> (path: String?, xml: String) {
        let session = try self.session(sessionID)
        let device = try self.device(name, sessionID: session.id)
        guard let orderNumber = device.orderNumber, !orderNumber.isEmpty else {
            throw EngineError(.conflict, "device \(device.name) has no order number, so no hardware to export")
        }
        let definition = AMLDevice(
            name: device.name, kind: device.kind,
            orderNumber: HardwareCatalog.find(orderNumber: orderNumber)?.orderNumber ?? orderNumber,
            firmware: device.firmware, ipAddress: device.ipAddress, subnetMask: device.subnetMask)
        let safeName = device.name.map { "/\\:*?\"<>|".contains($0) ? "_" : String($0) }.joined()
        guard let path else {
            let xml = AutomationML.document(
                for: [definition], projectName: session.project.name, fileName: safeName + ".aml")
            return (nil, xml)
        }
        var target = try resolvePath(path, sessionID: session.id)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory), isDirectory.boolValue {
            target += "/" + safeName + ".aml"
        }
        guard target.lowercased().hasSuffix(".aml") else {
            throw EngineError(.invalidInput, "'\(path)': an AutomationML export is written to an .aml file or a folder")
        }
        let xml = AutomationML.document(
            for: [definition], projectName: session.project.name, fileName: (target as NSString).lastPathComponent)
        do {
            try AtomicFile.write(Array(xml.utf8), to: target)
        } catch {
            record(session, actor: actor, action: "device.exportHardware", target: device.name, outcome: "failed")
            throw EngineError(.io, "cannot write \(path): \(error.reason)")
        }
        record(
            session, actor: actor, action: "device.exportHardware", target: device.name, detail: target, outcome: "ok")
        return (target, xml)
    }

    /// Adds the devices an AutomationML file describes, all or none: each must name a CPU or HMI panel of the
    /// catalog, a free name, a firmware the catalog offers and valid network settings. `name` renames the device of
    /// a file that holds exactly one.
    @discardableResult
    public func importHardware(
        from source: HardwareSource, name: String? = nil, sessionID: String? = nil, actor: String? = nil
    ) throws(EngineError) -> [Device] {
        var session = try self.session(sessionID)
        let bytes: [UInt8]
        let origin: String
        switch source {
        case .file(let path):
            let resolved = try resolvePath(path, sessionID: session.id)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory), !isDirectory.boolValue,
                let data = FileManager.default.contents(atPath: resolved)
            else {
                throw EngineError(.notFound, "no readable AutomationML file at \(path)")
            }
            bytes = Array(data)
            origin = resolved
        case .text(let text):
            bytes = Array(text.utf8)
            origin = "AutomationML text"
        }
        var definitions: [AMLDevice]
        do {
            definitions = try AutomationML.devices(in: bytes)
        } catch {
            throw EngineError(.invalidInput, "\(origin): \(error)")
        }
        if let name {
            guard definitions.count == 1 else {
                throw EngineError(
                    .invalidInput,
                    "\(origin) holds \(definitions.count) devices; a new name can only be given to a file with one")
            }
            definitions[0].name = name
        }
        var taken = Self.takenDeviceNames(in: session)
        var devices: [Device] = []
        for definition in definitions {
            guard let entry = HardwareCatalog.find(orderNumber: definition.orderNumber) else {
                throw EngineError(
                    .invalidInput,
                    "device \(definition.name): order number \(definition.orderNumber) is not in the hardware catalog")
            }
            devices.append(
                try plannedDevice(
                    entry, name: definition.name, firmware: definition.firmware, ipAddress: definition.ipAddress,
                    subnetMask: definition.subnetMask, in: session, taken: &taken))
        }
        snapshot(
            session, kind: "manifest", path: ProjectManifest.fileName, reason: "before importing hardware",
            actor: actor)
        Self.insert(devices, into: &session)
        sessions[session.id] = session
        for device in devices {
            record(
                session, actor: actor, action: "device.importHardware", target: device.name,
                detail: "\(device.orderNumber ?? "") from \(origin)", outcome: "ok")
            hub.publish(.objectChanged(sessionID: session.id, kind: "device", device: device.name, name: device.name))
        }
        return devices
    }

    // MARK: Helpers

    private static func devicePosition(_ name: String, in session: Session) throws(EngineError) -> Int {
        guard let index = session.project.devices.firstIndex(where: { $0.name.caseInsensitiveEquals(name) }) else {
            let known = session.project.devices.map(\.name).joined(separator: ", ")
            throw EngineError(.notFound, "no device '\(name)' in project \(session.project.name) (devices: \(known))")
        }
        return index
    }

    /// Lower-cased names and folders of the session's devices: a new device may use neither.
    private static func takenDeviceNames(in session: Session) -> Set<String> {
        Set(session.project.devices.flatMap { [$0.name.lowercased(), $0.folder.lowercased()] })
    }

    /// Appends devices to the project and marks the manifest and their new files for the next save.
    private static func insert(_ devices: [Device], into session: inout Session) {
        for device in devices {
            session.project.devices.append(device)
            for block in device.blocks {
                session.dirtyFiles.insert(block.file.path)
                session.removedFiles.remove(block.file.path)
            }
        }
        session.project.hasManifest = true
        session.dirtyFiles.insert(ProjectManifest.fileName)
    }

    /// A new device from a catalog entry, checked against the project and the names already planned in `taken`
    /// (which it extends); nothing in the session changes.
    private func plannedDevice(
        _ entry: HardwareCatalogEntry, name requested: String?, firmware requestedFirmware: String?,
        ipAddress: String?, subnetMask: String?, in session: Session, taken: inout Set<String>
    ) throws(EngineError) -> Device {
        let kind: DeviceKind
        switch entry.kind {
        case .cpu: kind = .plc
        case .hmi: kind = .hmi
        case .io:
            throw EngineError(
                .invalidInput,
                "\(entry.orderNumber) (\(entry.name)) is a module, not a device: it goes into a slot of a "
                    + "\(entry.family) CPU or interface module; add a CPU or an HMI panel")
        case .interface:
            throw EngineError(
                .invalidInput,
                "\(entry.orderNumber) (\(entry.name)) is an interface or communication module, not a device: "
                    + "s7wb adds CPUs and HMI panels")
        }
        let root = session.project.root
        /// A folder on disk blocks the name unless a deleted device's folders are removed from it on the next save.
        func folderInUse(_ folder: String) -> Bool {
            FileManager.default.fileExists(atPath: root + "/" + folder)
                && !session.removedFiles.contains { $0.hasPrefix(folder + "/") }
        }
        let name: String
        if let requested, !requested.isEmpty {
            if let problem = Self.nameProblem(requested, isFile: true) {
                throw EngineError(.invalidInput, "device name '\(requested)': \(problem)")
            }
            let reserved = VCILayout.deviceFolders.union([VCILayout.libraryTypes]).map { $0.lowercased() }
            if requested.hasPrefix(".") || reserved.contains(requested.lowercased()) {
                throw EngineError(.invalidInput, "device name '\(requested)' is reserved for a project folder")
            }
            if taken.contains(requested.lowercased()) {
                throw EngineError(.conflict, "a device named \(requested) exists in project \(session.project.name)")
            }
            if kind == .plc, folderInUse(requested) {
                throw EngineError(
                    .conflict, "the project already has a folder named \(requested); choose another device name")
            }
            name = requested
        } else {
            let stem = kind == .plc ? "PLC_" : "HMI_"
            var number = 1
            while taken.contains((stem + String(number)).lowercased()) || folderInUse(stem + String(number)) {
                number += 1
            }
            name = stem + String(number)
        }
        var firmware = entry.newestFirmware
        if let given = requestedFirmware?.trimmingCharacters(in: .whitespaces), !given.isEmpty {
            let digits = given.hasPrefix("v") || given.hasPrefix("V") ? String(given.dropFirst()) : given
            let normalized = "V" + digits
            if entry.firmwareVersions.isEmpty {
                firmware = given
            } else if entry.firmwareVersions.contains(normalized) {
                firmware = normalized
            } else {
                throw EngineError(
                    .invalidInput,
                    "firmware \(given) is not offered for \(entry.name) (offered: "
                        + entry.firmwareVersions.joined(separator: ", ") + ")")
            }
        }
        if ipAddress != nil || subnetMask != nil {
            guard let ipAddress, let subnetMask else {
                throw EngineError(
                    .invalidInput, "device \(name): an IP address needs a subnet mask and the other way round")
            }
            do {
                try IPv4.validate(address: ipAddress, mask: subnetMask)
            } catch {
                throw EngineError(.invalidInput, "device \(name): \(error.message)")
            }
        }
        taken.insert(name.lowercased())
        var device = Device(
            name: name, kind: kind, folder: name, orderNumber: entry.orderNumber, firmware: firmware,
            ipAddress: ipAddress, subnetMask: subnetMask)
        if kind == .plc { device.blocks = try Self.mainBlock(in: name) }
        return device
    }

    /// `Main` (OB1, program cycle) as TIA's new-project wizard writes it, as an SCL source in the device folder.
    private static func mainBlock(in folder: String) throws(EngineError) -> [Block] {
        let template = ObjectTemplate.organizationBlock.source(named: "Main") ?? ""
        let header = "ORGANIZATION_BLOCK \"Main\"\n"
        let source = template.replacingOccurrences(
            of: header, with: header + "TITLE = \"Main Program Sweep (Cycle)\"\n")
        let file = SourceFileRef(path: folder + "/" + VCILayout.programBlocks + "/Main.scl", format: .sclSource)
        let read = SCLSourceReader.read(bytes: Array(source.utf8), file: file, group: [])
        var blocks: [Block] = read.objects.compactMap { object in
            guard case .block(var block) = object else { return nil }
            block.sourceText = source
            return block
        }
        guard blocks.count == 1 else {
            throw EngineError(.io, "cannot create Main (OB1): \(read.problems.map(\.message).joined(separator: "; "))")
        }
        BlockNumbering.assign(&blocks)
        return blocks
    }
}
