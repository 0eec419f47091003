import Foundation
import S7Model
import S7TestSupport
import SimaticML
import Testing
import Workbench

/// Tag tables to and from TIA's tag export layouts: CSV, XLSX and JSON round trips of the bottling line's tables,
/// rows refused with their spreadsheet row numbers, and workbooks written by other programs.
@Suite("Tag exchange")
struct TagExchangeTests {
    static func tables() throws -> [TagTable] {
        let project = try ProjectLoader.load(at: Fixtures.sampleProject("bottling-line"))
        let device = try #require(project.device(named: "PLC_1"))
        return device.tagTables.sorted { $0.name < $1.name }
    }

    static func table(_ name: String) throws -> TagTable {
        try #require(try tables().first { $0.name == name })
    }

    @Test func bottlingLineTablesSurviveEveryFormat() throws {
        let tables = try Self.tables()
        #expect(tables.map(\.name) == ["HMI", "Machine IO"])
        for table in tables {
            let csv = try TagExchange.readCSV(Array(TagExchange.csv(table).utf8))
            #expect(csv.tags == table.tags, "CSV \(table.name)")
            #expect(csv.constants.isEmpty, "CSV holds no constants")

            let xlsx = try TagExchange.readXLSX(try TagExchange.xlsx(table))
            #expect(xlsx.tags == table.tags, "XLSX \(table.name)")
            #expect(xlsx.constants == table.constants, "XLSX \(table.name)")

            let json = try TagExchange.readJSON(try TagExchange.json(table))
            #expect(json.tags == table.tags, "JSON \(table.name)")
            #expect(json.constants == table.constants, "JSON \(table.name)")
        }
    }

    @Test func csvIsThePLCTagsSheetAsTIAWritesIt() throws {
        let table = try Self.table("Machine IO")
        let lines = TagExchange.csv(table).components(separatedBy: "\r\n")
        #expect(
            lines[0]
                == "Name,Path,Data Type,Logical Address,Comment,Hmi Visible,Hmi Accessible,Hmi Writeable,"
                + "Typeobject ID,Version ID")
        #expect(lines[1] == "StartButton,Machine IO,Bool,%I0.0,Start push button (NO),True,True,True,,")
        let raw = try #require(lines.first { $0.hasPrefix("FillLevelRaw,") })
        #expect(raw.hasPrefix("FillLevelRaw,Machine IO,Int,%IW64,") && raw.hasSuffix(",True,True,True,,"))
        #expect(lines.count == table.tags.count + 2)  // header, rows, and the empty text after the last CRLF
        #expect(lines.last == "")
    }

    @Test func workbookHasTheTwoSheetsWithTheirColumns() throws {
        let table = try Self.table("HMI")
        let workbook = try XLSXWorkbook(reading: try TagExchange.xlsx(table))
        #expect(workbook.sheets.map(\.name) == ["PLC Tags", "User Constants"])
        let tags = try #require(workbook.sheet(named: "plc tags"))
        #expect(tags.rows.count == 8)
        #expect((0..<10).map { tags.rows[0][$0]?.text ?? "" } == TagExchange.tagColumns)
        #expect(tags.rows[1][0] == .text("HMI_Start"))
        #expect(tags.rows[1][1] == .text("HMI"))
        #expect(tags.rows[1][3] == .text("%M20.0"))
        #expect(tags.rows[1][5] == .text("True"))
        #expect(tags.rows[1][8] == nil)
        let constants = try #require(workbook.sheet(named: "User Constants"))
        #expect((0..<5).map { constants.rows[0][$0]?.text ?? "" } == TagExchange.constantColumns)
        #expect(constants.rows[1][0] == .text("RECIPE_COUNT"))
        #expect(constants.rows[1][3] == .text("3"))
    }

    @Test func badRowsAreRefusedWithTheirRowNumbersAndNothingIsRead() throws {
        let csv = """
            Name,Path,Data Type,Logical Address,Comment,Hmi Visible,Hmi Accessible,Hmi Writeable
            Good,Default tag table,Bool,%I0.0,fine,True,True,True
            BadAddress,Default tag table,Bool,%Q0.9,bit 9,True,True,True
            BadFlag,Default tag table,Int,%MW10,,maybe,True,True
            ,Default tag table,Int,%MW12,no name,True,True,True

            BadType,Default tag table,String[999],%MW14,,True,True,True
            """
        do {
            let read = try TagExchange.readCSV(Array(csv.utf8))
            Issue.record("a file with bad rows was read: \(read.tags.map(\.name))")
        } catch {
            #expect(error.problems.map(\.row) == [3, 4, 5, 7])
            #expect(error.problems.map(\.column) == ["Logical Address", "Hmi Visible", "Name", "Data Type"])
            #expect(error.problems.allSatisfy { $0.sheet == "PLC Tags" })
            #expect(error.description.hasPrefix("4 rows cannot be imported: PLC Tags row 3, Logical Address: "))
            #expect(error.description.contains("PLC Tags row 4, Hmi Visible: expected True or False, not 'maybe'"))
        }
    }

    @Test func semicolonSeparatedFilesWithBOMAndQuotesAreRead() throws {
        let text = """
            \u{FEFF}Name;Data Type;Logical Address;Comment;Hmi Accessible;hmi writeable
            "Level";Int;MW30;"fill level; in ml
            second line";true;FALSE
            Quote;Bool;%M32.1;"say ""hi""\";TRUE;true\r
            Empty;Real;;;;
            """
        let read = try TagExchange.readCSV(Array(text.utf8))
        #expect(read.tags.map(\.name) == ["Level", "Quote", "Empty"])
        #expect(read.tags[0].address == "%MW30")  // A missing % is added.
        #expect(read.tags[0].comment.text() == "fill level; in ml\nsecond line")
        #expect(read.tags[0].externalWritable == false)
        #expect(read.tags[0].externalVisible == true)  // No column: True, as TIA assumes.
        #expect(read.tags[1].comment.text() == "say \"hi\"")
        #expect(read.tags[2].address == "")
        #expect(read.tagOrigins == ["PLC Tags row 2", "PLC Tags row 3", "PLC Tags row 4"])
    }

    @Test func csvFieldsAreQuotedWhenNeeded() throws {
        let table = TagTable(
            name: "Odd", group: ["Line", "Area"],
            file: SourceFileRef(path: "PLC_1/PLC tags/Line/Area/Odd.xml", format: .simaticML),
            tags: [
                S7Model.Tag(
                    name: "Comma", dataType: "Bool", address: "%M0.0",
                    comment: MultilingualText("a, \"quoted\"; text\nover two lines"), externalWritable: false)
            ])
        let text = TagExchange.csv(table)
        #expect(
            text.contains(
                "Comma,Line\\Area\\Odd,Bool,%M0.0,\"a, \"\"quoted\"\"; text\nover two lines\",True,True,False,,"))
        #expect(try TagExchange.readCSV(Array(text.utf8)).tags == table.tags)
    }

    @Test func aWorkbookWithSharedStringsAndGapsReads() throws {
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let relations = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let package = "http://schemas.openxmlformats.org/package/2006/relationships"
        let strings = [
            "Name", "Data Type", "Logical Address", "Comment", "Hmi Visible", "Motor_On", "Bool", "%Q4.0",
            "Speed", "Int", "%QW80", "Value", "SPEED_MAX",
        ]
        var shared = "<sst xmlns=\"\(main)\" count=\"\(strings.count + 1)\" uniqueCount=\"\(strings.count + 1)\">"
        for text in strings { shared += "<si><t>\(text)</t></si>" }
        shared += "<si><r><rPr><b/></rPr><t xml:space=\"preserve\">Motor </t></r><r><t>contactor</t></r>"
        shared += "<rPh sb=\"0\" eb=\"1\"><t>x</t></rPh></si></sst>"  // index 13
        // Columns in another order than TIA's, a gap (no Path), a boolean cell and an inline string.
        let tagSheet = """
            <worksheet xmlns="\(main)"><sheetData>
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c><c r="D1" t="s"><v>2</v></c>\
            <c r="E1" t="s"><v>3</v></c><c r="F1" t="s"><v>4</v></c></row>
            <row r="2"><c r="A2" t="s"><v>5</v></c><c r="C2" t="s"><v>6</v></c><c r="D2" t="s"><v>7</v></c>\
            <c r="E2" t="s"><v>13</v></c><c r="F2" t="b"><v>0</v></c></row>
            <row r="4"><c r="A4" t="inlineStr"><is><t>Speed</t></is></c><c r="C4" t="s"><v>9</v></c>\
            <c r="D4" t="s"><v>10</v></c></row>
            </sheetData></worksheet>
            """
        let constantSheet = """
            <worksheet xmlns="\(main)"><sheetData>
            <row><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="s"><v>11</v></c></row>
            <row><c t="s"><v>12</v></c><c t="s"><v>9</v></c><c><v>1500</v></c></row>
            </sheetData></worksheet>
            """
        let parts: [(path: String, bytes: [UInt8])] = [
            (
                "[Content_Types].xml",
                Array(
                    ("<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                        + "<Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>").utf8)
            ),
            (
                "_rels/.rels",
                Array(
                    ("<Relationships xmlns=\"\(package)\"><Relationship Id=\"r1\" "
                        + "Type=\"\(relations)/officeDocument\" Target=\"/xl/workbook.xml\"/></Relationships>").utf8)
            ),
            (
                "xl/workbook.xml",
                Array(
                    ("<workbook xmlns=\"\(main)\" xmlns:r=\"\(relations)\"><sheets>"
                        + "<sheet name=\"Notes\" sheetId=\"1\" r:id=\"rId1\"/>"
                        + "<sheet name=\"PLC Tags\" sheetId=\"2\" r:id=\"rId2\"/>"
                        + "<sheet name=\"User Constants\" sheetId=\"3\" r:id=\"rId3\"/></sheets></workbook>").utf8)
            ),
            (
                "xl/_rels/workbook.xml.rels",
                Array(
                    ("<Relationships xmlns=\"\(package)\">"
                        + "<Relationship Id=\"rId1\" Type=\"\(relations)/worksheet\" Target=\"worksheets/a.xml\"/>"
                        + "<Relationship Id=\"rId2\" Type=\"\(relations)/worksheet\" Target=\"worksheets/b.xml\"/>"
                        + "<Relationship Id=\"rId3\" Type=\"\(relations)/worksheet\" Target=\"./worksheets/c.xml\"/>"
                        + "<Relationship Id=\"rId4\" Type=\"\(relations)/sharedStrings\" Target=\"strings.xml\"/>"
                        + "</Relationships>").utf8)
            ),
            ("xl/strings.xml", Array(shared.utf8)),
            ("xl/worksheets/a.xml", Array("<worksheet xmlns=\"\(main)\"><sheetData/></worksheet>".utf8)),
            ("xl/worksheets/b.xml", Array(tagSheet.utf8)),
            ("xl/worksheets/c.xml", Array(constantSheet.utf8)),
        ]
        let read = try TagExchange.readXLSX(try XLSXWorkbook.zip(parts))
        #expect(read.tags.count == 2)
        #expect(
            read.tags[0]
                == S7Model.Tag(
                    name: "Motor_On", dataType: "Bool", address: "%Q4.0", comment: MultilingualText("Motor contactor"),
                    externalVisible: false))
        #expect(read.tags[1] == S7Model.Tag(name: "Speed", dataType: "Int", address: "%QW80"))
        #expect(read.tagOrigins == ["PLC Tags row 2", "PLC Tags row 4"])
        #expect(read.constants == [UserConstant(name: "SPEED_MAX", dataType: "Int", value: "1500")])
    }

    @Test func workbooksWithoutTagSheetsOrNotZipsAreRefusedClearly() throws {
        do {
            _ = try TagExchange.readXLSX(Array("Name,Data Type\n".utf8))
            Issue.record("a CSV text was read as a workbook")
        } catch {
            #expect(error.message.hasPrefix("not an XLSX workbook"))
        }
        let other = try XLSXWorkbook(sheets: [.init(name: "Sheet1", values: [[.text("Name")]])]).data()
        do {
            _ = try TagExchange.readXLSX(other)
            Issue.record("a workbook without a PLC Tags sheet was read")
        } catch {
            #expect(error.message.contains("no sheet 'PLC Tags'"))
            #expect(error.message.contains("'Sheet1'"))
        }
    }

    @Test func workbookCellsRoundTrip() throws {
        let sheet = XLSXWorkbook.Sheet(
            name: "Data & more",
            rows: [
                XLSXWorkbook.Row(number: 1, values: [.text("<a & b>"), .number("2.5"), .bool(true)]),
                XLSXWorkbook.Row(number: 3, cells: [27: .text(" padded _x0041_ \u{1} ")]),
            ])
        let read = try XLSXWorkbook(reading: try XLSXWorkbook(sheets: [sheet]).data())
        #expect(read.sheets == [sheet])
    }

    @Test func cellReferencesGiveColumns() {
        #expect(XLSXWorkbook.columnIndex("A1") == 0)
        #expect(XLSXWorkbook.columnIndex("C5") == 2)
        #expect(XLSXWorkbook.columnIndex("AA10") == 26)
        #expect(XLSXWorkbook.columnIndex("$B$2") == 1)
        #expect(XLSXWorkbook.columnIndex("XFD1048576") == 16_383)
        #expect(XLSXWorkbook.columnIndex("1A") == nil)
        #expect(XLSXWorkbook.columnName(26) == "AA")
        #expect(XLSXWorkbook.columnName(16_383) == "XFD")
    }

    @Test func jsonItemsAreCheckedOneByOne() throws {
        let text = """
            {"tags": [{"name": "A", "dataType": "Bool", "address": "I0.1", "externalWritable": false},
                      {"name": "B", "dataType": 5},
                      "C"],
             "constants": [{"name": "N", "dataType": "Int", "value": 12},
                           {"name": "M", "dataType": "Int", "value": "x"}]}
            """
        do {
            _ = try TagExchange.readJSON(Array(text.utf8))
            Issue.record("bad items were read")
        } catch {
            #expect(error.problems.map(\.origin) == ["tags item 2", "tags item 3", "constants item 2"])
            #expect(error.problems.map(\.column) == ["dataType", "item", "value"])
        }
        let good = try TagExchange.readJSON(
            Array(
                (#"{"tags": [{"name": "A", "dataType": "bool", "address": "I0.1"}], "#
                    + #""constants": [{"name": "N", "dataType": "Int", "value": 12}]}"#).utf8))
        #expect(good.tags == [S7Model.Tag(name: "A", dataType: "Bool", address: "%I0.1")])
        #expect(good.constants == [UserConstant(name: "N", dataType: "Int", value: "12")])
    }
}
