public import Foundation
public import S7Model
import SimaticML

/// A device as an AutomationML hardware file describes it: what s7wb exports and imports.
public struct AMLDevice: Sendable, Hashable {
    public var name: String
    public var kind: DeviceKind
    public var orderNumber: String
    public var firmware: String?
    public var ipAddress: String?
    public var subnetMask: String?

    public init(
        name: String, kind: DeviceKind, orderNumber: String, firmware: String? = nil, ipAddress: String? = nil,
        subnetMask: String? = nil
    ) {
        self.name = name
        self.kind = kind
        self.orderNumber = orderNumber
        self.firmware = firmware
        self.ipAddress = ipAddress
        self.subnetMask = subnetMask
    }
}

/// Why an AutomationML file could not be read, naming the element at fault.
public struct AutomationMLError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// Hardware configuration as AutomationML (a CAEX 3.0 document), laid out as TIA Portal's CAx export writes it.
///
/// A device is an `InternalElement` of the `InstanceHierarchy` with the role
/// `AutomationProjectConfigurationRoleClassLib/Device`; it holds a rack (`Rack_0`, `Rail_0` for ET 200SP) whose
/// device items carry the attributes `TypeIdentifier` (`OrderNumber:6ES7 516-3AN02-0AB0/V2.9`), `FirmwareVersion`
/// and `PositionNumber`. The CPU's `PROFINET interface_1` holds its node's address as the nested attribute
/// `Address` › `1` › `NetworkAddress` and `SubnetMask`:
///
/// ```xml
/// <InternalElement ID="…" Name="PLC_1">
///   <InternalElement ID="…" Name="Rack_0">
///     <InternalElement ID="…" Name="PLC_1">
///       <Attribute Name="TypeIdentifier" AttributeDataType="xs:string">
///         <Value>OrderNumber:6ES7 516-3AN02-0AB0/V2.9</Value>
///       </Attribute>
///       …
/// ```
///
/// Reading is tolerant: any top-level `InternalElement` holding an item whose `TypeIdentifier` starts with
/// `OrderNumber:` is a device; its head item (the CPU or panel) names it; the firmware comes from `FirmwareVersion`
/// or the `/V…` suffix; the first `NetworkAddress` and `SubnetMask` below the head give its network settings.
public enum AutomationML {
    public static let schemaVersion = "3.0"
    public static let roleClassLibrary = "AutomationProjectConfigurationRoleClassLib"
    static let interfaceClassLibrary = "AutomationProjectConfigurationInterfaceClassLib"
    static let interfaceName = "PROFINET interface_1"

    // MARK: Writing

    /// The document for `devices`, with `fileName` and the time in `SourceDocumentInformation`. Element ids are
    /// derived from the project and device names, so the same devices give the same document.
    public static func document(
        for devices: [AMLDevice], projectName: String, fileName: String, writtenAt: Date = Date()
    ) -> String {
        var xml = Writer()
        xml.line(#"<?xml version="1.0" encoding="utf-8"?>"#)
        xml.open(
            "CAEXFile",
            [
                ("SchemaVersion", schemaVersion), ("FileName", fileName),
                ("xsi:schemaLocation", "http://www.dke.de/CAEX CAEX_ClassModel_V.3.0.xsd"),
                ("xmlns", "http://www.dke.de/CAEX"), ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ])
        xml.leaf("SuperiorStandardVersion", text: "AutomationML 2.10")
        xml.leaf(
            "SourceDocumentInformation",
            [
                ("OriginName", "s7wb"), ("OriginID", "s7wb"), ("OriginVersion", Engine.version),
                ("LastWritingDateTime", writtenAt.formatted(.iso8601)), ("OriginProjectTitle", projectName),
                ("OriginVendor", "s7wb"),
            ])
        xml.open("InstanceHierarchy", [("Name", projectName)])
        for device in devices { write(device, project: projectName, into: &xml) }
        xml.close("InstanceHierarchy")
        xml.close("CAEXFile")
        return xml.text
    }

    private static func write(_ device: AMLDevice, project: String, into xml: inout Writer) {
        let entry = HardwareCatalog.find(orderNumber: device.orderNumber)
        let typeIdentifier = "OrderNumber:" + device.orderNumber + (device.firmware.map { "/" + $0 } ?? "")
        func id(_ part: String) -> String { identifier(project + "/" + device.name + "/" + part) }

        xml.open("InternalElement", [("ID", id("device")), ("Name", device.name)])
        let rack = entry?.family == "ET 200SP" ? "Rail_0" : "Rack_0"
        xml.open("InternalElement", [("ID", id(rack)), ("Name", rack)])
        attribute("PositionNumber", "0", type: "xs:int", into: &xml)
        xml.open("InternalElement", [("ID", id("head")), ("Name", device.name)])
        attribute("TypeIdentifier", typeIdentifier, into: &xml)
        if let firmware = device.firmware { attribute("FirmwareVersion", firmware, into: &xml) }
        attribute("PositionNumber", "1", type: "xs:int", into: &xml)
        xml.open("InternalElement", [("ID", id("interface")), ("Name", interfaceName)])
        attribute("Type", "Ethernet", into: &xml)
        if device.ipAddress != nil || device.subnetMask != nil {
            xml.open("Attribute", [("Name", "Address")])
            xml.open("Attribute", [("Name", "1")])
            if let address = device.ipAddress { attribute("NetworkAddress", address, into: &xml) }
            if let mask = device.subnetMask { attribute("SubnetMask", mask, into: &xml) }
            attribute("IPProtocol", "IPv4", into: &xml)
            xml.close("Attribute")
            xml.close("Attribute")
        }
        xml.leaf(
            "ExternalInterface",
            [
                ("ID", id("node")), ("Name", "Node_1"),
                ("RefBaseClassPath", interfaceClassLibrary + "/LogicalEndPoint"),
            ])
        role("DeviceItem", into: &xml)
        xml.close("InternalElement")
        role("DeviceItem", into: &xml)
        xml.close("InternalElement")
        role("DeviceItem", into: &xml)
        xml.close("InternalElement")
        role("Device", into: &xml)
        xml.close("InternalElement")
    }

    private static func attribute(_ name: String, _ value: String, type: String = "xs:string", into xml: inout Writer) {
        xml.open("Attribute", [("Name", name), ("AttributeDataType", type)])
        xml.leaf("Value", text: value)
        xml.close("Attribute")
    }

    private static func role(_ name: String, into xml: inout Writer) {
        xml.leaf("RoleRequirements", [("RefBaseRoleClassPath", roleClassLibrary + "/" + name)])
    }

    /// A GUID-shaped id computed from `text` (two FNV-1a hashes), stable across exports.
    static func identifier(_ text: String) -> String {
        let hex =
            String(StableHash.fnv1a(text.utf8), radix: 16).leftPadded(16)
            + String(StableHash.fnv1a(text.utf8, seed: 0x8422_2325_cbf2_9ce4), radix: 16).leftPadded(16)
        let characters = Array(hex)
        let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }
        return groups.joined(separator: "-")
    }

    /// Lays out XML one element per line, two spaces per level, escaping text and attribute values.
    private struct Writer {
        var text = ""
        var depth = 0

        mutating func line(_ content: String) {
            if !text.isEmpty { text += "\n" }
            text += String(repeating: "  ", count: depth) + content
        }

        mutating func open(_ name: String, _ attributes: [(String, String)] = []) {
            line("<" + name + Self.render(attributes) + ">")
            depth += 1
        }

        mutating func close(_ name: String) {
            depth -= 1
            line("</" + name + ">")
        }

        mutating func leaf(_ name: String, _ attributes: [(String, String)] = [], text content: String? = nil) {
            if let content {
                let escaped = Self.escape(content, quotes: false)
                line("<" + name + Self.render(attributes) + ">" + escaped + "</" + name + ">")
            } else {
                line("<" + name + Self.render(attributes) + " />")
            }
        }

        static func render(_ attributes: [(String, String)]) -> String {
            attributes.map { " \($0.0)=\"\(escape($0.1, quotes: true))\"" }.joined()
        }

        static func escape(_ value: String, quotes: Bool) -> String {
            var result = ""
            for scalar in value.unicodeScalars {
                switch scalar {
                case "&": result += "&amp;"
                case "<": result += "&lt;"
                case ">": result += "&gt;"
                case "\"" where quotes: result += "&quot;"
                case "\n" where quotes, "\t" where quotes, "\r":
                    result += "&#x" + String(scalar.value, radix: 16, uppercase: true) + ";"
                default:
                    if scalar.value < 0x20, scalar != "\n", scalar != "\t" {
                        // Not representable in XML 1.0: dropped.
                        continue
                    }
                    result.unicodeScalars.append(scalar)
                }
            }
            return result
        }
    }

    // MARK: Reading

    public static func devices(in text: String) throws(AutomationMLError) -> [AMLDevice] {
        try devices(in: Array(text.utf8))
    }

    /// The devices of an AutomationML document, in document order.
    public static func devices(in bytes: [UInt8]) throws(AutomationMLError) -> [AMLDevice] {
        let root: SimaticML.XMLElement
        do {
            root = try SimaticML.XMLParser.parse(bytes).root
        } catch {
            throw AutomationMLError("the file is not well-formed XML: \(error)")
        }
        guard root.localName == "CAEXFile" else {
            throw AutomationMLError(
                "the root element is <\(root.name)>, not <CAEXFile>: this is not an AutomationML (CAEX) file")
        }
        let hierarchies = root.elements(named: "InstanceHierarchy")
        guard !hierarchies.isEmpty else {
            throw AutomationMLError("<CAEXFile> holds no <InstanceHierarchy>, so no device")
        }
        var result: [AMLDevice] = []
        for hierarchy in hierarchies {
            for element in hierarchy.elements(named: "InternalElement") {
                if let found = try device(in: element) { result.append(found) }
            }
        }
        guard !result.isEmpty else {
            let names = hierarchies.map { "<InstanceHierarchy Name=\"\($0[attribute: "Name"] ?? "")\">" }
            throw AutomationMLError(
                "no <InternalElement> of \(names.joined(separator: ", ")) has a device item with a TypeIdentifier "
                    + "'OrderNumber:…'")
        }
        return result
    }

    /// The device a top-level element describes; nil for elements that hold no ordered hardware (subnets), unless
    /// their role says they are a device.
    private static func device(in element: SimaticML.XMLElement) throws(AutomationMLError) -> AMLDevice? {
        let label = "<InternalElement Name=\"\(element[attribute: "Name"] ?? "")\">"
        var items: [(element: SimaticML.XMLElement, orderNumber: String, firmware: String?)] = []
        for item in internalElements(element) {
            guard let type = value(of: "TypeIdentifier", in: item), type.hasPrefix("OrderNumber:") else { continue }
            let rest = type.dropFirst("OrderNumber:".count)
            let parts = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            let orderNumber = parts[0].trimmingCharacters(in: .whitespaces)
            let itemLabel = "<InternalElement Name=\"\(item[attribute: "Name"] ?? "")\">"
            guard !orderNumber.isEmpty else {
                throw AutomationMLError("\(itemLabel): TypeIdentifier '\(type)' names no order number")
            }
            let firmware = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : nil
            items.append((item, orderNumber, firmware?.isEmpty == true ? nil : firmware))
        }
        guard !items.isEmpty else {
            if let role = roleClass(of: element), role == "Device" || role.hasSuffix("/Device") {
                throw AutomationMLError(
                    "\(label) is a Device but none of its device items has a TypeIdentifier 'OrderNumber:…'")
            }
            return nil
        }
        let head =
            items.first { item in
                guard let kind = HardwareCatalog.find(orderNumber: item.orderNumber)?.kind else { return false }
                return kind == .cpu || kind == .hmi
            } ?? items[0]
        guard let name = head.element[attribute: "Name"]?.trimmingCharacters(in: .whitespaces), !name.isEmpty else {
            throw AutomationMLError(
                "the device item with TypeIdentifier 'OrderNumber:\(head.orderNumber)' in \(label) has no Name")
        }
        let firmware = value(of: "FirmwareVersion", in: head.element).flatMap { $0.isEmpty ? nil : $0 } ?? head.firmware
        let address =
            firstValue(named: "NetworkAddress", below: head.element)
            ?? firstValue(named: "NetworkAddress", below: element)
        let mask =
            firstValue(named: "SubnetMask", below: head.element) ?? firstValue(named: "SubnetMask", below: element)
        let kind: DeviceKind
        switch HardwareCatalog.find(orderNumber: head.orderNumber)?.kind {
        case .hmi?: kind = .hmi
        case .some: kind = .plc
        case nil: kind = head.orderNumber.uppercased().hasPrefix("6AV") ? .hmi : .plc
        }
        return AMLDevice(
            name: name, kind: kind, orderNumber: head.orderNumber, firmware: firmware, ipAddress: address,
            subnetMask: mask)
    }

    /// `element` and every `InternalElement` below it, depth first.
    private static func internalElements(_ element: SimaticML.XMLElement) -> [SimaticML.XMLElement] {
        [element] + element.elements(named: "InternalElement").flatMap(internalElements)
    }

    /// The role an element plays: the class named by its `RoleRequirements` or its `RefBaseSystemUnitPath`.
    private static func roleClass(of element: SimaticML.XMLElement) -> String? {
        element.first("RoleRequirements")?[attribute: "RefBaseRoleClassPath"]
            ?? element[attribute: "RefBaseSystemUnitPath"]
    }

    /// The `Value` of the element's own attribute `name`, trimmed.
    private static func value(of name: String, in element: SimaticML.XMLElement) -> String? {
        element.elements(named: "Attribute").first { $0[attribute: "Name"] == name }.flatMap(attributeValue)
    }

    private static func attributeValue(_ attribute: SimaticML.XMLElement) -> String? {
        attribute.first("Value").map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// The first non-empty value of an attribute `name` at any depth of attributes and internal elements.
    private static func firstValue(named name: String, below element: SimaticML.XMLElement) -> String? {
        for child in element.elements {
            guard child.localName == "Attribute" || child.localName == "InternalElement" else { continue }
            if child.localName == "Attribute", child[attribute: "Name"] == name,
                let value = attributeValue(child), !value.isEmpty
            {
                return value
            }
            if let found = firstValue(named: name, below: child) { return found }
        }
        return nil
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
