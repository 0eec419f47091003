import Foundation
public import S7Model

/// The file formats tag tables are exchanged in.
public enum TagFileFormat: String, Sendable, Hashable, CaseIterable {
    /// The "PLC Tags" sheet as comma separated text (tags only).
    case csv
    /// TIA Portal's tag export workbook: sheets "PLC Tags" and "User Constants".
    case xlsx
    /// `{"tags": [...], "constants": [...]}` with the REST API's field names.
    case json

    public var fileExtension: String { rawValue }

    public var title: String {
        switch self {
        case .csv: "CSV"
        case .xlsx: "Excel"
        case .json: "JSON"
        }
    }
}

/// Tags and user constants read from a file, with where each was read so that later checks can name the row.
public struct TagSheet: Sendable, Hashable {
    public var tags: [Tag]
    public var constants: [UserConstant]
    /// Where each tag was read (`PLC Tags row 5`, `tags item 3`), parallel to `tags`.
    public var tagOrigins: [String]
    /// Where each constant was read (`User Constants row 2`), parallel to `constants`.
    public var constantOrigins: [String]

    /// Origins left out (or of the wrong length) are numbered: `tag 1`, `constant 2`.
    public init(
        tags: [Tag] = [], constants: [UserConstant] = [], tagOrigins: [String]? = nil,
        constantOrigins: [String]? = nil
    ) {
        self.tags = tags
        self.constants = constants
        self.tagOrigins =
            tagOrigins.flatMap { $0.count == tags.count ? $0 : nil } ?? tags.indices.map { "tag \($0 + 1)" }
        self.constantOrigins =
            constantOrigins.flatMap { $0.count == constants.count ? $0 : nil }
            ?? constants.indices.map { "constant \($0 + 1)" }
    }
}

/// A row of a tag file that cannot be read: `PLC Tags row 5, Logical Address: invalid address '%Q0.9' …`.
public struct TagExchangeProblem: Sendable, Hashable, CustomStringConvertible {
    /// The sheet (`PLC Tags`, `User Constants`) or JSON list (`tags`, `constants`).
    public var sheet: String
    /// 1-based: the row number a spreadsheet shows (the header is row 1), or the item number in a JSON list.
    public var row: Int
    /// The column as the file names it (`Logical Address`, `address`).
    public var column: String
    public var message: String
    /// The row as a reader says it: `PLC Tags row 5`, `tags item 3`.
    public var origin: String

    public init(sheet: String, row: Int, column: String, message: String, origin: String? = nil) {
        self.sheet = sheet
        self.row = row
        self.column = column
        self.message = message
        self.origin = origin ?? "\(sheet) row \(row)"
    }

    public var description: String { "\(origin), \(column): \(message)" }
}

/// Why a tag file was refused as a whole; `problems` lists every bad row (nothing of the file is taken then).
public struct TagExchangeError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var problems: [TagExchangeProblem]

    public init(_ message: String, problems: [TagExchangeProblem] = []) {
        self.message = message
        self.problems = problems
    }

    public var description: String {
        problems.isEmpty ? message : message + ": " + problems.map(\.description).joined(separator: "; ")
    }
}

/// Tag tables to and from the files engineers exchange them in, in the column layout of TIA Portal's tag export.
///
/// The workbook has a sheet "PLC Tags" with the columns `Name, Path, Data Type, Logical Address, Comment,
/// Hmi Visible, Hmi Accessible, Hmi Writeable, Typeobject ID, Version ID` (booleans written `True`/`False`, `Path` the
/// table's folders and name joined with `\`, e.g. `Default tag table`) and a sheet "User Constants" with `Name, Path,
/// Data Type, Value, Comment`. The CSV form is the "PLC Tags" sheet, comma separated (RFC 4180 quoting, CRLF, UTF-8
/// without BOM); reading also takes `;` or tab separated files (the header decides), a BOM, and UTF-16 or Windows-1252
/// text. Columns are found by their header, in any order; unknown columns (and `Path`, `Typeobject ID`,
/// `Version ID`) are ignored, booleans are read without regard to case and default to True when empty.
///
/// Reading checks each row on its own (name, data type and address syntax, booleans, constant values) and throws one
/// error listing every bad row; what depends on the PLC (names used in other tables, PLC data types, whether an
/// address fits the type) is checked by the engine when the rows are imported.
///
/// Example: the CSV line `Start,Default tag table,Bool,%I0.0,Start button,True,True,True,,` is the tag `Start`.
public enum TagExchange {
    public static let tagSheetName = "PLC Tags"
    public static let constantSheetName = "User Constants"
    public static let tagColumns = [
        "Name", "Path", "Data Type", "Logical Address", "Comment", "Hmi Visible", "Hmi Accessible", "Hmi Writeable",
        "Typeobject ID", "Version ID",
    ]
    public static let constantColumns = ["Name", "Path", "Data Type", "Value", "Comment"]

    /// The `Path` TIA writes for a table's rows: its folders and name joined with `\`.
    public static func path(of table: TagTable) -> String {
        (table.group + [table.name]).joined(separator: "\\")
    }

    // MARK: Dispatch

    public static func write(_ table: TagTable, as format: TagFileFormat) throws(TagExchangeError) -> [UInt8] {
        switch format {
        case .csv: Array(csv(table).utf8)
        case .xlsx: try xlsx(table)
        case .json: try json(table)
        }
    }

    public static func read(_ bytes: [UInt8], as format: TagFileFormat) throws(TagExchangeError) -> TagSheet {
        switch format {
        case .csv: try readCSV(bytes)
        case .xlsx: try readXLSX(bytes)
        case .json: try readJSON(bytes)
        }
    }

    /// How many data rows `write` puts in a file of this format: tags, plus constants where the format has them.
    public static func rowCount(_ table: TagTable, as format: TagFileFormat) -> Int {
        format == .csv ? table.tags.count : table.tags.count + table.constants.count
    }

    // MARK: Writing

    /// The table's tags as CSV text; user constants have no place in TIA's CSV layout and are left out.
    public static func csv(_ table: TagTable) -> String {
        var lines = [tagColumns.map(csvField).joined(separator: ",")]
        for row in tagRows(table) {
            lines.append(row.map { csvField($0 ?? "") }.joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// The table as TIA's tag export workbook.
    public static func xlsx(_ table: TagTable) throws(TagExchangeError) -> [UInt8] {
        func cells(_ values: [String?]) -> [XLSXWorkbook.Cell?] {
            values.map { value in value.flatMap { $0.isEmpty ? nil : XLSXWorkbook.Cell.text($0) } }
        }
        let tags = [cells(tagColumns)] + tagRows(table).map(cells)
        let tablePath = path(of: table)
        let constants =
            [cells(constantColumns)]
            + table.constants.map { cells([$0.name, tablePath, $0.dataType, $0.value, $0.comment.text()]) }
        let workbook = XLSXWorkbook(sheets: [
            XLSXWorkbook.Sheet(name: tagSheetName, values: tags),
            XLSXWorkbook.Sheet(name: constantSheetName, values: constants),
        ])
        do {
            return try workbook.data()
        } catch {
            throw TagExchangeError(error.message)
        }
    }

    /// The table as `{"tags": [...], "constants": [...]}`, pretty printed with sorted keys.
    public static func json(_ table: TagTable) throws(TagExchangeError) -> [UInt8] {
        let document = JSONDocument(
            tags: table.tags.map {
                JSONTag(
                    name: $0.name, dataType: $0.dataType, address: $0.address, comment: $0.comment.text(),
                    externalAccessible: $0.externalAccessible, externalVisible: $0.externalVisible,
                    externalWritable: $0.externalWritable)
            },
            constants: table.constants.map {
                JSONConstant(name: $0.name, dataType: $0.dataType, value: $0.value, comment: $0.comment.text())
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(document)) + [0x0A]
        } catch {
            throw TagExchangeError("cannot write the tag table as JSON: \(error)")
        }
    }

    /// The "PLC Tags" rows of a table in `tagColumns` order; nil for the IDs TIA fills in.
    static func tagRows(_ table: TagTable) -> [[String?]] {
        let tablePath = path(of: table)
        return table.tags.map { tag in
            [
                tag.name, tablePath, tag.dataType, tag.address, tag.comment.text(), flag(tag.externalVisible),
                flag(tag.externalAccessible), flag(tag.externalWritable), nil, nil,
            ]
        }
    }

    static func flag(_ value: Bool) -> String { value ? "True" : "False" }

    /// A CSV field, quoted when it holds a separator, a quote or a line break (RFC 4180).
    static func csvField(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == ";" || $0 == "\"" || $0.isNewline }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: Reading CSV and XLSX

    /// Reads a CSV file in the "PLC Tags" layout.
    public static func readCSV(_ bytes: [UInt8]) throws(TagExchangeError) -> TagSheet {
        let text = decodeText(bytes)
        let parsed = csvRecords(text)
        var problems: [TagExchangeProblem] = []
        if let problem = parsed.problem { problems.append(problem) }
        guard let header = parsed.records.first(where: { !$0.isBlank }) else {
            if !problems.isEmpty { throw TagExchangeError("the CSV file cannot be read", problems: problems) }
            throw TagExchangeError(
                "the CSV file is empty: row 1 must be the header (\(tagColumns.joined(separator: ", ")))")
        }
        var read = TagSheet()
        readTags(parsed.records.filter { $0.number >= header.number }, sheet: tagSheetName, into: &read, &problems)
        guard problems.isEmpty else { throw refusal(problems) }
        return read
    }

    /// Reads TIA's tag workbook: "PLC Tags" and "User Constants" (either may be missing, not both).
    public static func readXLSX(_ bytes: [UInt8]) throws(TagExchangeError) -> TagSheet {
        let workbook: XLSXWorkbook
        do {
            workbook = try XLSXWorkbook(reading: bytes)
        } catch {
            throw TagExchangeError(error.message)
        }
        let tagSheet = workbook.sheet(named: tagSheetName)
        let constantSheet = workbook.sheet(named: constantSheetName)
        guard tagSheet != nil || constantSheet != nil else {
            let names = workbook.sheets.map { "'\($0.name)'" }.joined(separator: ", ")
            throw TagExchangeError(
                "the workbook has no sheet '\(tagSheetName)' or '\(constantSheetName)' (it has \(names))")
        }
        var read = TagSheet()
        var problems: [TagExchangeProblem] = []
        if let tagSheet { readTags(records(tagSheet), sheet: tagSheet.name, into: &read, &problems) }
        if let constantSheet {
            readConstants(records(constantSheet), sheet: constantSheet.name, into: &read, &problems)
        }
        guard problems.isEmpty else { throw refusal(problems) }
        return read
    }

    static func refusal(_ problems: [TagExchangeProblem]) -> TagExchangeError {
        let rows = Set(problems.map { "\($0.sheet)#\($0.row)" }).count
        return TagExchangeError(
            rows == 1 ? "1 row cannot be imported" : "\(rows) rows cannot be imported", problems: problems)
    }

    /// One row of a sheet or CSV file: its number and its fields by 0-based column.
    struct Record {
        var number: Int
        var fields: [Int: String]

        var isBlank: Bool { fields.values.allSatisfy { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty } }
    }

    static func records(_ sheet: XLSXWorkbook.Sheet) -> [Record] {
        sheet.rows.map { row in
            Record(
                number: row.number,
                fields: row.cells.mapValues { cell in
                    if case .bool(let value) = cell { return flag(value) }
                    return cell.text
                })
        }
    }

    /// The columns a tag file may have, by the header's words without case, spaces or punctuation.
    enum Column: Hashable {
        case name, dataType, address, comment, visible, accessible, writable, value
    }

    static let headers: [String: Column] = [
        "name": .name, "datatype": .dataType, "type": .dataType, "logicaladdress": .address, "address": .address,
        "comment": .comment, "hmivisible": .visible, "visibleinhmiengineering": .visible,
        "hmiaccessible": .accessible, "accessiblefromhmiopcua": .accessible,
        "accessiblefromhmiopcuawebapi": .accessible,
        "hmiwriteable": .writable, "hmiwritable": .writable, "writablefromhmiopcua": .writable,
        "writablefromhmiopcuawebapi": .writable, "value": .value,
    ]

    static func headerKey(_ title: String) -> String {
        let scalars = title.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }
        return String(String.UnicodeScalarView(scalars))
    }

    /// Maps the columns of the header row; a problem when a needed column is missing.
    static func mapColumns(
        of header: Record, sheet: String, needing needed: [(Column, String)], _ problems: inout [TagExchangeProblem]
    ) -> [Column: (index: Int, title: String)]? {
        var columns: [Column: (index: Int, title: String)] = [:]
        for (index, title) in header.fields.sorted(by: { $0.key < $1.key }) {
            if let column = headers[headerKey(title)], columns[column] == nil {
                columns[column] = (index, title.trimmingCharacters(in: .whitespaces))
            }
        }
        let missing = needed.filter { columns[$0.0] == nil }.map { $0.1 }
        guard missing.isEmpty else {
            problems.append(
                TagExchangeProblem(
                    sheet: sheet, row: header.number, column: "header",
                    message: "no column " + missing.map { "'\($0)'" }.joined(separator: " or ")
                        + " (row \(header.number) must be the header)"))
            return nil
        }
        return columns
    }

    /// A data row of a sheet being read: its fields by header column, and what is wrong with them.
    struct SheetRow {
        var record: Record
        var columns: [Column: (index: Int, title: String)]
        var sheet: String
        var problems: [TagExchangeProblem] = []

        func field(_ column: Column) -> String? { columns[column].flatMap { record.fields[$0.index] } }

        /// A field without surrounding spaces; empty when missing.
        func trimmed(_ column: Column) -> String { (field(column) ?? "").trimmingCharacters(in: .whitespaces) }

        /// Notes a problem of the field in `column` (named `fallback` when the sheet has no such column).
        mutating func refuse(_ column: Column, _ fallback: String, _ message: String) {
            problems.append(
                TagExchangeProblem(
                    sheet: sheet, row: record.number, column: columns[column]?.title ?? fallback, message: message))
        }

        /// The row's name and data type as TIA writes it (nil when it is no type), each refused when wrong.
        mutating func nameAndType() -> (name: String, dataType: String?) {
            let name = trimmed(.name)
            if let problem = TagExchange.nameProblem(name) { refuse(.name, "Name", problem) }
            switch TagExchange.canonicalType(trimmed(.dataType)) {
            case .success(let canonical): return (name, canonical)
            case .failure(let problem):
                refuse(.dataType, "Data Type", problem.message)
                return (name, nil)
            }
        }
    }

    /// The values `read` makes of the data rows below the header of `records`, with where each was read (none when
    /// the header lacks a `needed` column); a row with problems adds them to `problems` instead.
    static func readRows<Value>(
        _ records: [Record], sheet: String, needing needed: [(Column, String)], _ problems: inout [TagExchangeProblem],
        _ read: (inout SheetRow) -> Value
    ) -> [(value: Value, origin: String)] {
        guard let header = records.first(where: { !$0.isBlank }),
            let columns = mapColumns(of: header, sheet: sheet, needing: needed, &problems)
        else { return [] }
        var values: [(value: Value, origin: String)] = []
        for record in records where record.number > header.number && !record.isBlank {
            var row = SheetRow(record: record, columns: columns, sheet: sheet)
            let value = read(&row)
            if row.problems.isEmpty {
                values.append((value, "\(sheet) row \(record.number)"))
            } else {
                problems += row.problems
            }
        }
        return values
    }

    static func readTags(
        _ records: [Record], sheet: String, into read: inout TagSheet, _ problems: inout [TagExchangeProblem]
    ) {
        let rows = readRows(records, sheet: sheet, needing: [(.name, "Name"), (.dataType, "Data Type")], &problems) {
            (row: inout SheetRow) -> Tag in
            let (name, dataType) = row.nameAndType()
            var address = row.trimmed(.address)
            switch canonicalAddress(address) {
            case .success(let canonical): address = canonical
            case .failure(let problem): row.refuse(.address, "Logical Address", problem.message)
            }
            var flags: [Column: Bool] = [:]
            let flagColumns: [(Column, String)] = [
                (.visible, "Hmi Visible"), (.accessible, "Hmi Accessible"), (.writable, "Hmi Writeable"),
            ]
            for (column, fallback) in flagColumns {
                switch flagValue(row.field(column)) {
                case .success(let value): flags[column] = value
                case .failure(let problem): row.refuse(column, fallback, problem.message)
                }
            }
            return Tag(
                name: name, dataType: dataType ?? "", address: address,
                comment: MultilingualText(row.field(.comment) ?? ""), externalAccessible: flags[.accessible] ?? true,
                externalVisible: flags[.visible] ?? true, externalWritable: flags[.writable] ?? true)
        }
        for (tag, origin) in rows {
            read.tags.append(tag)
            read.tagOrigins.append(origin)
        }
    }

    static func readConstants(
        _ records: [Record], sheet: String, into read: inout TagSheet, _ problems: inout [TagExchangeProblem]
    ) {
        let needed: [(Column, String)] = [(.name, "Name"), (.dataType, "Data Type"), (.value, "Value")]
        let rows = readRows(records, sheet: sheet, needing: needed, &problems) {
            (row: inout SheetRow) -> UserConstant in
            let (name, dataType) = row.nameAndType()
            let value = row.trimmed(.value)
            if let dataType, let problem = valueProblem(value, type: dataType) { row.refuse(.value, "Value", problem) }
            return UserConstant(
                name: name, dataType: dataType ?? "", value: value,
                comment: MultilingualText(row.field(.comment) ?? ""))
        }
        for (constant, origin) in rows {
            read.constants.append(constant)
            read.constantOrigins.append(origin)
        }
    }

    // MARK: Checks of one field

    struct FieldProblem: Error {
        var message: String
    }

    static func nameProblem(_ name: String) -> String? {
        Engine.nameProblem(name, isFile: false)
    }

    /// The type as TIA writes it (`Bool`, `"typeMotor"`, `String[20]`), or why it is not a type.
    static func canonicalType(_ text: String) -> Result<String, FieldProblem> {
        guard !text.isEmpty else { return .failure(FieldProblem(message: "a data type is required")) }
        do {
            return .success(try DataType(parsing: text).description)
        } catch {
            return .failure(FieldProblem(message: error.description))
        }
    }

    /// The address in its canonical form (`%I0.0`, `%MW10`; a missing `%` is added), "" for none, or why it is
    /// not an address.
    static func canonicalAddress(_ text: String) -> Result<String, FieldProblem> {
        guard !text.isEmpty else { return .success("") }
        do {
            return .success(try Address(parsing: text).description)
        } catch {
            if !text.hasPrefix("%"), let address = try? Address(parsing: "%" + text) {
                return .success(address.description)
            }
            return .failure(FieldProblem(message: error.description))
        }
    }

    /// `True`/`False` in any case (also `1`/`0`); empty means True, as TIA assumes.
    static func flagValue(_ text: String?) -> Result<Bool, FieldProblem> {
        let word = (text ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        switch word {
        case "", "true", "1": return .success(true)
        case "false", "0": return .success(false)
        default: return .failure(FieldProblem(message: "expected True or False, not '\(text ?? "")'"))
        }
    }

    static func valueProblem(_ value: String, type: String) -> String? {
        guard !value.isEmpty else { return "a constant needs a value" }
        do {
            _ = try PLCValue.parse(value, as: try DataType(parsing: type))
            return nil
        } catch {
            return "\(error)"
        }
    }

    // MARK: Text and CSV records

    /// The text of a file: UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252 (what Excel saves).
    static func decodeText(_ bytes: [UInt8]) -> String {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return String(decoding: bytes.dropFirst(3), as: UTF8.self) }
        if bytes.starts(with: [0xFF, 0xFE]),
            let text = String(data: Data(bytes.dropFirst(2)), encoding: .utf16LittleEndian)
        {
            return text
        }
        if bytes.starts(with: [0xFE, 0xFF]),
            let text = String(data: Data(bytes.dropFirst(2)), encoding: .utf16BigEndian)
        {
            return text
        }
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return String(data: Data(bytes), encoding: .windowsCP1252) ?? String(decoding: bytes, as: UTF8.self)
    }

    /// The separator of a CSV text: whichever of `,`, `;` and tab its first line (outside quotes) holds most.
    static func separator(of scalars: [Unicode.Scalar]) -> Unicode.Scalar {
        var counts: [Unicode.Scalar: Int] = [",": 0, ";": 0, "\t": 0]
        var inQuotes = false
        for scalar in scalars {
            if scalar == "\"" { inQuotes.toggle() }
            if inQuotes { continue }
            if scalar == "\n" || scalar == "\r" { break }
            if counts[scalar] != nil { counts[scalar]! += 1 }
        }
        let comma = counts[","]!
        let semicolon = counts[";"]!
        let tab = counts["\t"]!
        if semicolon > comma, semicolon >= tab { return ";" }
        if tab > comma, tab > semicolon { return "\t" }
        return ","
    }

    /// The records of a CSV text (RFC 4180: quoted fields may hold separators, `""` and line breaks; CRLF, LF or CR
    /// end a record), numbered from 1; a problem when a quoted field is not closed.
    static func csvRecords(_ text: String) -> (records: [Record], problem: TagExchangeProblem?) {
        let scalars = Array(text.unicodeScalars)
        let delimiter = Self.separator(of: scalars)
        var records: [Record] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var inQuotes = false
        var wasQuoted = false
        var number = 1
        var index = 0
        func endField() {
            fields.append(String(field))
            field = String.UnicodeScalarView()
            wasQuoted = false
        }
        func endRecord() {
            endField()
            var dictionary: [Int: String] = [:]
            for (column, value) in fields.enumerated() { dictionary[column] = value }
            records.append(Record(number: number, fields: dictionary))
            fields = []
            number += 1
        }
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            if inQuotes {
                if scalar == "\"" {
                    if index < scalars.count, scalars[index] == "\"" {
                        field.append("\"")
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.append(scalar)
                }
                continue
            }
            if scalar == "\"" && field.isEmpty && !wasQuoted {
                inQuotes = true
                wasQuoted = true
            } else if scalar == delimiter {
                endField()
            } else if scalar == "\r" || scalar == "\n" {
                if scalar == "\r", index < scalars.count, scalars[index] == "\n" { index += 1 }
                endRecord()
            } else {
                field.append(scalar)
            }
        }
        if inQuotes {
            let problem = TagExchangeProblem(
                sheet: tagSheetName, row: number, column: "field \(fields.count + 1)",
                message: "a quoted field is not closed before the end of the file")
            return (records, problem)
        }
        if !fields.isEmpty || !field.isEmpty || wasQuoted { endRecord() }
        return (records, nil)
    }

    // MARK: JSON

    struct JSONTag: Codable {
        var name: String
        var dataType: String
        var address: String
        var comment: String
        var externalAccessible: Bool
        var externalVisible: Bool
        var externalWritable: Bool
    }

    struct JSONConstant: Codable {
        var name: String
        var dataType: String
        var value: String
        var comment: String
    }

    struct JSONDocument: Codable {
        var tags: [JSONTag]
        var constants: [JSONConstant]
    }

    /// Any JSON value, so that each item of a list can be checked on its own.
    indirect enum JSONItem: Decodable {
        case null
        case bool(Bool)
        case number(Double)
        case string(String)
        case array([JSONItem])
        case object([String: JSONItem])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let value = try? container.decode(Bool.self) {
                self = .bool(value)
            } else if let value = try? container.decode(Double.self) {
                self = .number(value)
            } else if let value = try? container.decode(String.self) {
                self = .string(value)
            } else if let value = try? container.decode([JSONItem].self) {
                self = .array(value)
            } else {
                self = .object(try container.decode([String: JSONItem].self))
            }
        }

        var kind: String {
            switch self {
            case .null: "null"
            case .bool: "a boolean"
            case .number: "a number"
            case .string: "a string"
            case .array: "an array"
            case .object: "an object"
            }
        }
    }

    /// Reads `{"tags": [{"name", "dataType", "address", "comment", "externalAccessible", "externalVisible",
    /// "externalWritable"}], "constants": [{"name", "dataType", "value", "comment"}]}`; other members are ignored.
    public static func readJSON(_ bytes: [UInt8]) throws(TagExchangeError) -> TagSheet {
        let document: JSONItem
        do {
            document = try JSONDecoder().decode(JSONItem.self, from: Data(bytes))
        } catch {
            throw TagExchangeError("the tag list is not valid JSON")
        }
        guard case .object(let members) = document else {
            throw TagExchangeError("the tag list must be a JSON object with 'tags' and 'constants'")
        }
        var read = TagSheet()
        var problems: [TagExchangeProblem] = []
        let tags = try list(members["tags"], named: "tags")
        let constants = try list(members["constants"], named: "constants")
        for (offset, item) in tags.enumerated() {
            var rowProblems: [TagExchangeProblem] = []
            let origin = "tags item \(offset + 1)"
            func refuse(_ column: String, _ message: String) {
                rowProblems.append(
                    TagExchangeProblem(
                        sheet: "tags", row: offset + 1, column: column, message: message, origin: origin))
            }
            guard case .object(let fields) = item else {
                problems.append(
                    TagExchangeProblem(
                        sheet: "tags", row: offset + 1, column: "item", message: "must be an object, not \(item.kind)",
                        origin: origin))
                continue
            }
            var count = rowProblems.count
            let name = text(fields, "name", refuse) ?? ""
            if rowProblems.count == count, let problem = nameProblem(name) { refuse("name", problem) }
            count = rowProblems.count
            var dataType = text(fields, "dataType", refuse) ?? ""
            if rowProblems.count == count {
                switch canonicalType(dataType.trimmingCharacters(in: .whitespaces)) {
                case .success(let canonical): dataType = canonical
                case .failure(let problem): refuse("dataType", problem.message)
                }
            }
            count = rowProblems.count
            var address = text(fields, "address", refuse) ?? text(fields, "logicalAddress", refuse) ?? ""
            if rowProblems.count == count {
                switch canonicalAddress(address.trimmingCharacters(in: .whitespaces)) {
                case .success(let canonical): address = canonical
                case .failure(let problem): refuse("address", problem.message)
                }
            }
            let comment = text(fields, "comment", refuse) ?? ""
            let accessible = flag(fields, "externalAccessible", refuse)
            let visible = flag(fields, "externalVisible", refuse)
            let writable = flag(fields, "externalWritable", refuse)
            guard rowProblems.isEmpty else {
                problems += rowProblems
                continue
            }
            read.tags.append(
                Tag(
                    name: name, dataType: dataType, address: address, comment: MultilingualText(comment),
                    externalAccessible: accessible, externalVisible: visible, externalWritable: writable))
            read.tagOrigins.append(origin)
        }
        for (offset, item) in constants.enumerated() {
            var rowProblems: [TagExchangeProblem] = []
            let origin = "constants item \(offset + 1)"
            func refuse(_ column: String, _ message: String) {
                rowProblems.append(
                    TagExchangeProblem(
                        sheet: "constants", row: offset + 1, column: column, message: message, origin: origin))
            }
            guard case .object(let fields) = item else {
                problems.append(
                    TagExchangeProblem(
                        sheet: "constants", row: offset + 1, column: "item",
                        message: "must be an object, not \(item.kind)", origin: origin))
                continue
            }
            var count = rowProblems.count
            let name = text(fields, "name", refuse) ?? ""
            if rowProblems.count == count, let problem = nameProblem(name) { refuse("name", problem) }
            count = rowProblems.count
            var dataType = (text(fields, "dataType", refuse) ?? "").trimmingCharacters(in: .whitespaces)
            let typeIsText = rowProblems.count == count
            var value = ""
            switch fields["value"] ?? .null {
            case .string(let string): value = string.trimmingCharacters(in: .whitespaces)
            case .number(let number):
                value = number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : "\(number)"
            case .bool(let flag): value = flag ? "TRUE" : "FALSE"
            case .null: refuse("value", "a constant needs a value")
            default: refuse("value", "must be a string or a number")
            }
            if typeIsText {
                switch canonicalType(dataType) {
                case .success(let canonical):
                    dataType = canonical
                    if !value.isEmpty, let problem = valueProblem(value, type: canonical) { refuse("value", problem) }
                case .failure(let problem):
                    refuse("dataType", problem.message)
                }
            }
            let comment = text(fields, "comment", refuse) ?? ""
            guard rowProblems.isEmpty else {
                problems += rowProblems
                continue
            }
            read.constants.append(
                UserConstant(name: name, dataType: dataType, value: value, comment: MultilingualText(comment)))
            read.constantOrigins.append(origin)
        }
        guard problems.isEmpty else {
            let items = Set(problems.map { $0.origin }).count
            throw TagExchangeError(
                items == 1 ? "1 item cannot be imported" : "\(items) items cannot be imported", problems: problems)
        }
        return read
    }

    static func list(_ item: JSONItem?, named name: String) throws(TagExchangeError) -> [JSONItem] {
        switch item ?? .null {
        case .null: return []
        case .array(let items): return items
        default: throw TagExchangeError("'\(name)' must be an array, not \(item!.kind)")
        }
    }

    static func text(_ fields: [String: JSONItem], _ key: String, _ refuse: (String, String) -> Void) -> String? {
        switch fields[key] ?? .null {
        case .null: return nil
        case .string(let value): return value
        case let other:
            refuse(key, "must be a string, not \(other.kind)")
            return nil
        }
    }

    static func flag(_ fields: [String: JSONItem], _ key: String, _ refuse: (String, String) -> Void) -> Bool {
        switch fields[key] ?? .null {
        case .null: return true
        case .bool(let value): return value
        case .string(let value):
            if case .success(let flag) = flagValue(value) { return flag }
            refuse(key, "expected true or false, not '\(value)'")
            return true
        case let other:
            refuse(key, "must be true or false, not \(other.kind)")
            return true
        }
    }
}
