import Foundation
import S7Model
import Testing
import Workbench

/// AutomationML (CAEX 3.0) hardware files: what s7wb writes reads back the same, and broken files say what is wrong.
@Suite("AutomationML")
struct AutomationMLTests {
    static let plc = AMLDevice(
        name: "PLC_1", kind: .plc, orderNumber: "6ES7 516-3AN02-0AB0", firmware: "V2.9", ipAddress: "192.168.0.10",
        subnetMask: "255.255.255.0")
    static let panel = AMLDevice(
        name: "HMI <Line & 1>", kind: .hmi, orderNumber: "6AV2 123-2GB03-0AX0", ipAddress: "192.168.0.20",
        subnetMask: "255.255.255.0")

    @Test func exportThenImportGivesTheSameDevices() throws {
        let date = Date(timeIntervalSince1970: 1_700_000_000)
        let xml = AutomationML.document(
            for: [Self.plc, Self.panel], projectName: "bottling-line", fileName: "line.aml", writtenAt: date)
        #expect(xml.hasPrefix(#"<?xml version="1.0" encoding="utf-8"?>"#))
        #expect(xml.contains(#"<CAEXFile SchemaVersion="3.0" FileName="line.aml""#))
        #expect(xml.contains("<SourceDocumentInformation "))
        #expect(xml.contains("<Value>OrderNumber:6ES7 516-3AN02-0AB0/V2.9</Value>"))
        #expect(xml.contains(#"RefBaseRoleClassPath="AutomationProjectConfigurationRoleClassLib/Device""#))
        #expect(xml.contains("HMI &lt;Line &amp; 1&gt;"))
        let devices = try AutomationML.devices(in: xml)
        #expect(devices == [Self.plc, Self.panel])
        // The same devices give the same document (ids are derived, not random).
        #expect(
            xml
                == AutomationML.document(
                    for: [Self.plc, Self.panel], projectName: "bottling-line", fileName: "line.aml", writtenAt: date))
    }

    @Test func aDeviceWithoutNetworkSettingsOrFirmwareRoundTrips() throws {
        let bare = AMLDevice(name: "PLC_9", kind: .plc, orderNumber: "6ES7 214-1AG40-0XB0")
        let xml = AutomationML.document(for: [bare], projectName: "p", fileName: "p.aml")
        #expect(try AutomationML.devices(in: xml) == [bare])
    }

    @Test func firmwareIsReadFromTheTypeIdentifierWhenNoAttributeGivesIt() throws {
        let xml = """
            <CAEXFile SchemaVersion="3.0" xmlns="http://www.dke.de/CAEX">
              <InstanceHierarchy Name="Plant">
                <InternalElement ID="1" Name="S7-1200 station_1">
                  <InternalElement ID="2" Name="Rack_0">
                    <InternalElement ID="3" Name="Filler">
                      <Attribute Name="TypeIdentifier"><Value>OrderNumber:6ES7 215-1AG40-0XB0/V4.5</Value></Attribute>
                    </InternalElement>
                    <InternalElement ID="4" Name="DI 16">
                      <Attribute Name="TypeIdentifier"><Value>OrderNumber:6ES7 221-1BH32-0XB0</Value></Attribute>
                    </InternalElement>
                  </InternalElement>
                </InternalElement>
                <InternalElement ID="9" Name="PN/IE_1" />
              </InstanceHierarchy>
            </CAEXFile>
            """
        let devices = try AutomationML.devices(in: xml)
        let filler = AMLDevice(name: "Filler", kind: .plc, orderNumber: "6ES7 215-1AG40-0XB0", firmware: "V4.5")
        #expect(devices == [filler])
    }

    @Test func malformedFilesGiveAnErrorNamingTheElement() {
        func message(_ text: String) -> String {
            do {
                _ = try AutomationML.devices(in: text)
                return "no error"
            } catch {
                return error.message
            }
        }
        #expect(message("<CAEXFile><InstanceHierarchy>").contains("not well-formed XML"))
        #expect(message("not xml at all").contains("not well-formed XML"))
        #expect(message("<Document/>").contains("<CAEXFile>"))
        #expect(message(#"<CAEXFile SchemaVersion="3.0"/>"#).contains("<InstanceHierarchy>"))
        let subnetOnly = #"<CAEXFile><InstanceHierarchy Name="Plant"><InternalElement Name="x"/></InstanceHierarchy>"#
        #expect(message(subnetOnly + "</CAEXFile>").contains("OrderNumber"))
        let unnamed = """
            <CAEXFile><InstanceHierarchy Name="Plant"><InternalElement Name="Station">
            <InternalElement><Attribute Name="TypeIdentifier"><Value>OrderNumber:6ES7 511-1AK02-0AB0</Value></Attribute>
            </InternalElement></InternalElement></InstanceHierarchy></CAEXFile>
            """
        #expect(message(unnamed).contains("has no Name"))
        let device = """
            <CAEXFile><InstanceHierarchy Name="Plant"><InternalElement Name="Station">
            <RoleRequirements RefBaseRoleClassPath="AutomationProjectConfigurationRoleClassLib/Device"/>
            </InternalElement></InstanceHierarchy></CAEXFile>
            """
        #expect(message(device).contains(#"<InternalElement Name="Station"> is a Device"#))
    }
}
