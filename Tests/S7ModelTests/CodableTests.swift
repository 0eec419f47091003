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
