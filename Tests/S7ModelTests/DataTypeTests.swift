import S7Model
import Testing

@Test func placeholder() { #expect(DataType.int.description == "Int") }
