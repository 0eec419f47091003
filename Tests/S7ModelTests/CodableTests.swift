import Foundation
import S7Model
import Testing

/// A value and the types that hold values, encoded as JSON.
private struct Sample: Codable, Equatable {
    var type: DataType
    var value: PLCValue
    var address: Address
}

@Test func typesValuesAndAddressesEncodeAsTheirText() throws {
    let sample = Sample(
        type: .array([.range(0, 7)], of: .named("UDT_Motor")), value: .int(-5),
        address: try Address(parsing: "db1.dbx0.1"))
    let json = String(decoding: try JSONEncoder().encode(sample), as: UTF8.self)
    #expect(json.contains(#""value":"INT#-5""#))
    #expect(json.contains(#""address":"%DB1.DBX0.1""#))
    #expect(json.contains(#"Array[0..7] of \"UDT_Motor\""#))
    #expect(try JSONDecoder().decode(Sample.self, from: Data(json.utf8)) == sample)
}

/// Objects encoded before the SimaticML markup fields existed still decode, with the fields empty.
@Test func dataEncodedWithoutTheMarkupFieldsDecodes() throws {
    let file = SourceFileRef(path: "PLC_1/PLC data types/T.xml", format: .simaticML)
    let type = PlcDataType(
        name: "T", file: file, members: [Member(name: "a", dataType: "Bool", attributes: ["SetPoint": "true"])],
        engineeringVersion: "V16", attributes: ["Namespace": ""],
        markup: DocumentMarkup(objectIDs: ["0", "5"]))
    var object = try #require(
        try JSONSerialization.jsonObject(with: JSONEncoder().encode(type)) as? [String: Any])
    #expect(object["attributes"] != nil && object["markup"] != nil)
    object["attributes"] = nil
    object["markup"] = nil
    let old = try JSONDecoder().decode(PlcDataType.self, from: JSONSerialization.data(withJSONObject: object))
    #expect(old.attributes.isEmpty)
    #expect(old.markup == nil)
    #expect(old.members == type.members)
    #expect(try JSONDecoder().decode(PlcDataType.self, from: JSONEncoder().encode(type)) == type)

    let block = Block(name: "B", kind: .functionBlock, language: .lad, file: file)
    let json = String(decoding: try JSONEncoder().encode(block), as: UTF8.self)
    #expect(!json.contains("markup"))
    #expect(try JSONDecoder().decode(Block.self, from: Data(json.utf8)) == block)
}
