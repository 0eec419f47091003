import Foundation
import SimaticML
import ZIPFoundation

/// Why a workbook could not be read or written: `not an XLSX workbook: the data is not a zip archive`.
public struct XLSXError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// A spreadsheet workbook as sheets of rows of cells: the part of Office Open XML (`.xlsx`) that tag lists need.
///
/// Reading takes any workbook Excel, LibreOffice, openpyxl or TIA Portal writes: sheets are found by name through
/// `xl/workbook.xml` and its relationships, cells may hold shared strings, inline strings (also rich text runs),
/// numbers, booleans and formula results, and rows and cells may leave gaps (`<c r="C5">` is column 2 of row 5).
/// Styles, formulas and formats are not kept. Writing produces the smallest package Excel and openpyxl open without
/// complaint: content types, relationships, a workbook, one worksheet per sheet with inline strings, and a minimal
/// style sheet.
///
/// Example: `XLSXWorkbook(sheets: [.init(name: "PLC Tags", values: [[.text("Name")], [.text("Start")]])]).data()`
/// gives a workbook whose sheet "PLC Tags" has `Name` in A1 and `Start` in A2.
public struct XLSXWorkbook: Sendable, Hashable {
    public enum Cell: Sendable, Hashable {
        case text(String)
        /// A number as the file writes it (`10`, `2.5`, `1E-3`), so a round trip loses nothing.
        case number(String)
        case bool(Bool)

        /// The cell as text: numbers as written, booleans as `TRUE` or `FALSE` (as Excel shows them).
        public var text: String {
            switch self {
            case .text(let text): text
            case .number(let number): number
            case .bool(let flag): flag ? "TRUE" : "FALSE"
            }
        }
    }

    public struct Row: Sendable, Hashable {
        /// 1-based, as a spreadsheet numbers its rows.
        public var number: Int
        /// Cells by 0-based column index (A is 0); columns without a cell are absent.
        public var cells: [Int: Cell]

        public init(number: Int, cells: [Int: Cell] = [:]) {
            self.number = number
            self.cells = cells
        }

        /// A row whose cells are `values` from column A on (nil leaves a column empty).
        public init(number: Int, values: [Cell?]) {
            var cells: [Int: Cell] = [:]
            for (column, value) in values.enumerated() { cells[column] = value }
            self.init(number: number, cells: cells)
        }

        public subscript(column: Int) -> Cell? { cells[column] }

        /// The index of the last column holding a cell, -1 for an empty row.
        public var lastColumn: Int { cells.keys.max() ?? -1 }
    }

    public struct Sheet: Sendable, Hashable {
        public var name: String
        /// In ascending row number; rows without cells may be absent.
        public var rows: [Row]

        public init(name: String, rows: [Row] = []) {
            self.name = name
            self.rows = rows
        }

        /// A sheet whose rows are `values`, numbered from 1.
        public init(name: String, values: [[Cell?]]) {
            self.init(
                name: name, rows: values.enumerated().map { Row(number: $0.offset + 1, values: $0.element) })
        }
    }

    public var sheets: [Sheet]

    public init(sheets: [Sheet]) {
        self.sheets = sheets
    }

    /// The sheet with this name, compared without regard to case as Excel does.
    public func sheet(named name: String) -> Sheet? {
        sheets.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }

    /// Largest part (unpacked) and largest workbook (all parts unpacked) read, against zip bombs.
    static let maximumPartSize = 64 << 20
    static let maximumTotalSize = 256 << 20
}

// MARK: Writing

extension XLSXWorkbook {
    static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let packageRelationshipNamespace = "http://schemas.openxmlformats.org/package/2006/relationships"
    static let xmlDeclaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

    /// The workbook as `.xlsx` bytes. Sheet names must be 1 to 31 characters without `[ ] : * ? / \` and unique
    /// regardless of case (Excel's rules).
    public func data() throws(XLSXError) -> [UInt8] {
        guard !sheets.isEmpty else { throw XLSXError("a workbook needs at least one sheet") }
        var seen: Set<String> = []
        for sheet in sheets {
            guard !sheet.name.isEmpty, sheet.name.count <= 31 else {
                throw XLSXError("sheet name '\(sheet.name)': a sheet name has 1 to 31 characters")
            }
            if let bad = sheet.name.first(where: { "[]:*?/\\".contains($0) }) {
                throw XLSXError("sheet name '\(sheet.name)' must not contain '\(bad)'")
            }
            guard seen.insert(sheet.name.lowercased()).inserted else {
                throw XLSXError("the sheet name '\(sheet.name)' is used twice")
            }
        }
        let count = sheets.count
        var contentTypes =
            Self.xmlDeclaration
            + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
            + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
            + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
            + "<Override PartName=\"/xl/workbook.xml\" "
            + "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
        for index in 1...count {
            contentTypes +=
                "<Override PartName=\"/xl/worksheets/sheet\(index).xml\" "
                + "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }
        contentTypes +=
            "<Override PartName=\"/xl/styles.xml\" "
            + "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/></Types>"
        let packageRelationships =
            Self.xmlDeclaration + "<Relationships xmlns=\"\(Self.packageRelationshipNamespace)\">"
            + "<Relationship Id=\"rId1\" Type=\"\(Self.relationshipNamespace)/officeDocument\" "
            + "Target=\"xl/workbook.xml\"/></Relationships>"
        var workbook =
            Self.xmlDeclaration + "<workbook xmlns=\"\(Self.mainNamespace)\" xmlns:r=\"\(Self.relationshipNamespace)\">"
            + "<bookViews><workbookView/></bookViews><sheets>"
        var workbookRelationships =
            Self.xmlDeclaration + "<Relationships xmlns=\"\(Self.packageRelationshipNamespace)\">"
        for (offset, sheet) in sheets.enumerated() {
            let index = offset + 1
            let name = Self.escaped(sheet.name, inAttribute: true)
            workbook += "<sheet name=\"\(name)\" sheetId=\"\(index)\" r:id=\"rId\(index)\"/>"
            workbookRelationships +=
                "<Relationship Id=\"rId\(index)\" Type=\"\(Self.relationshipNamespace)/worksheet\" "
                + "Target=\"worksheets/sheet\(index).xml\"/>"
        }
        workbook += "</sheets></workbook>"
        workbookRelationships +=
            "<Relationship Id=\"rId\(count + 1)\" Type=\"\(Self.relationshipNamespace)/styles\" "
            + "Target=\"styles.xml\"/></Relationships>"
        var parts: [(path: String, bytes: [UInt8])] = [
            ("[Content_Types].xml", Array(contentTypes.utf8)),
            ("_rels/.rels", Array(packageRelationships.utf8)),
            ("xl/workbook.xml", Array(workbook.utf8)),
            ("xl/_rels/workbook.xml.rels", Array(workbookRelationships.utf8)),
            ("xl/styles.xml", Array(Self.styles.utf8)),
        ]
        for (offset, sheet) in sheets.enumerated() {
            parts.append(("xl/worksheets/sheet\(offset + 1).xml", Array(Self.worksheet(sheet).utf8)))
        }
        return try Self.zip(parts)
    }

    /// The smallest style sheet Excel accepts: one font, the two fills Excel requires, one border, one format.
    static let styles =
        xmlDeclaration + "<styleSheet xmlns=\"\(mainNamespace)\">"
        + "<fonts count=\"1\"><font><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font></fonts>"
        + "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill>"
        + "<fill><patternFill patternType=\"gray125\"/></fill></fills>"
        + "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
        + "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
        + "<cellXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/></cellXfs>"
        + "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>"
        + "</styleSheet>"

    static func worksheet(_ sheet: Sheet) -> String {
        let rows = sheet.rows.filter { $0.number >= 1 }.sorted { $0.number < $1.number }
        var xml = xmlDeclaration + "<worksheet xmlns=\"\(mainNamespace)\">"
        let lastColumn = rows.map(\.lastColumn).max() ?? -1
        if let last = rows.last, lastColumn >= 0 {
            xml += "<dimension ref=\"A1:\(columnName(lastColumn))\(last.number)\"/>"
        }
        xml += "<sheetData>"
        var previous = 0
        for row in rows where row.number > previous {
            previous = row.number
            xml += "<row r=\"\(row.number)\">"
            for column in row.cells.keys.sorted() where column >= 0 {
                let reference = columnName(column) + String(row.number)
                switch row.cells[column]! {
                case .text(let text):
                    xml += "<c r=\"\(reference)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">"
                    xml += escaped(text, inAttribute: false) + "</t></is></c>"
                case .number(let number):
                    let trimmed = number.trimmingCharacters(in: .whitespaces)
                    if Double(trimmed) != nil, !trimmed.isEmpty {
                        xml += "<c r=\"\(reference)\"><v>\(trimmed)</v></c>"
                    } else {
                        xml += "<c r=\"\(reference)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">"
                        xml += escaped(number, inAttribute: false) + "</t></is></c>"
                    }
                case .bool(let flag):
                    xml += "<c r=\"\(reference)\" t=\"b\"><v>\(flag ? 1 : 0)</v></c>"
                }
            }
            xml += "</row>"
        }
        xml += "</sheetData></worksheet>"
        return xml
    }

    /// Packs parts into a zip archive (deflated, with a fixed time stamp so equal content gives equal bytes). Also
    /// the way to build a workbook part by part, e.g. one with a shared string table.
    public static func zip(_ parts: [(path: String, bytes: [UInt8])]) throws(XLSXError) -> [UInt8] {
        let stamp = Date(timeIntervalSince1970: 946_684_800)  // 2000-01-01, a valid DOS date
        do {
            let archive = try Archive(data: Data(), accessMode: .create)
            for part in parts {
                let data = Data(part.bytes)
                try archive.addEntry(
                    with: part.path, type: .file, uncompressedSize: Int64(data.count), modificationDate: stamp,
                    compressionMethod: .deflate
                ) { (position: Int64, size: Int) throws -> Data in
                    let start = Int(position)
                    return data.subdata(in: start..<min(start + size, data.count))
                }
            }
            guard let data = archive.data else { throw XLSXError("cannot write the workbook: the archive is empty") }
            return Array(data)
        } catch let error as XLSXError {
            throw error
        } catch {
            throw XLSXError("cannot write the workbook: \(error)")
        }
    }

    /// `0` → `A`, `25` → `Z`, `26` → `AA`.
    public static func columnName(_ index: Int) -> String {
        var number = max(index, 0) + 1
        var letters: [Character] = []
        while number > 0 {
            let remainder = (number - 1) % 26
            letters.insert(Character(Unicode.Scalar(UInt8(65 + remainder))), at: 0)
            number = (number - 1) / 26
        }
        return String(letters)
    }

    /// Text escaped for XML; characters XML 1.0 cannot hold are written in Office's `_xHHHH_` form, and a literal
    /// `_xHHHH_` in the text is protected as `_x005F_xHHHH_`.
    static func escaped(_ text: String, inAttribute: Bool) -> String {
        let scalars = Array(text.unicodeScalars)
        var output = ""
        output.reserveCapacity(scalars.count)
        for (index, scalar) in scalars.enumerated() {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"" where inAttribute: output += "&quot;"
            case "\r": output += "&#13;"
            case "\n" where inAttribute: output += "&#10;"
            case "\t" where inAttribute: output += "&#9;"
            case "\n", "\t": output.unicodeScalars.append(scalar)
            case "_" where isOfficeEscape(scalars, at: index): output += "_x005F_"
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    output += "_x" + String(format: "%04X", scalar.value) + "_"
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output
    }

    /// Whether `_xHHHH_` starts at `index`.
    static func isOfficeEscape(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        guard index + 6 < scalars.count, scalars[index] == "_", scalars[index + 1] == "x", scalars[index + 6] == "_"
        else { return false }
        return scalars[(index + 2)...(index + 5)].allSatisfy { $0.properties.isASCIIHexDigit }
    }

    /// Decodes Office's `_xHHHH_` escapes.
    static func unescapedOffice(_ text: String) -> String {
        guard text.contains("_x") else { return text }
        let scalars = Array(text.unicodeScalars)
        var output = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if isOfficeEscape(scalars, at: index),
                let value = UInt32(String(String.UnicodeScalarView(scalars[(index + 2)...(index + 5)])), radix: 16),
                let scalar = Unicode.Scalar(value)
            {
                output.append(scalar)
                index += 7
            } else {
                output.append(scalars[index])
                index += 1
            }
        }
        return String(output)
    }
}

// MARK: Reading

extension XLSXWorkbook {
    /// Reads a workbook from `.xlsx` bytes.
    public init(reading bytes: [UInt8]) throws(XLSXError) {
        let parts = try Self.unzip(bytes)
        let rootRelationships = try Self.relationships(of: "", in: parts)
        let workbookPath =
            rootRelationships.values.first { $0.type.hasSuffix("/officeDocument") }?.target ?? "xl/workbook.xml"
        guard let workbookBytes = parts[workbookPath] else {
            throw XLSXError("not an XLSX workbook: the archive has no \(workbookPath)")
        }
        let workbook = try Self.parse(workbookBytes, part: workbookPath)
        let relationships = try Self.relationships(of: workbookPath, in: parts)
        var sharedStrings: [String] = []
        let sharedPath =
            relationships.values.first { $0.type.hasSuffix("/sharedStrings") }?.target
            ?? (parts["xl/sharedStrings.xml"] != nil ? "xl/sharedStrings.xml" : nil)
        if let sharedPath, let sharedBytes = parts[sharedPath] {
            let table = try Self.parse(sharedBytes, part: sharedPath)
            sharedStrings = table.elements(named: "si").map(Self.stringItemText)
        }
        var sheets: [Sheet] = []
        for element in workbook.first("sheets")?.elements(named: "sheet") ?? [] {
            let name = element[attribute: "name"] ?? "Sheet\(sheets.count + 1)"
            guard let id = element.attributes.first(where: { $0.name.hasSuffix(":id") })?.value,
                let relationship = relationships[id]
            else {
                throw XLSXError("sheet '\(name)' has no relationship to its part in \(workbookPath)")
            }
            guard relationship.type.hasSuffix("/worksheet") else {
                sheets.append(Sheet(name: name))  // A chart sheet or dialog sheet holds no cells.
                continue
            }
            guard let sheetBytes = parts[relationship.target] else {
                throw XLSXError("sheet '\(name)': the part \(relationship.target) is missing")
            }
            let worksheet = try Self.parse(sheetBytes, part: relationship.target)
            let rows = try Self.rows(of: worksheet, sheet: name, sharedStrings: sharedStrings)
            sheets.append(Sheet(name: name, rows: rows))
        }
        self.init(sheets: sheets)
    }

    /// Every file of the archive by its path.
    static func unzip(_ bytes: [UInt8]) throws(XLSXError) -> [String: [UInt8]] {
        guard bytes.starts(with: [0x50, 0x4B]) else {
            throw XLSXError("not an XLSX workbook: the data is not a zip archive")
        }
        let archive: Archive
        do {
            archive = try Archive(data: Data(bytes), accessMode: .read)
        } catch {
            throw XLSXError("not an XLSX workbook: the zip archive cannot be read (\(error))")
        }
        var parts: [String: [UInt8]] = [:]
        var total = 0
        for entry in archive where entry.type == .file {
            guard entry.uncompressedSize <= UInt64(maximumPartSize) else {
                throw XLSXError("the workbook part \(entry.path) is larger than \(maximumPartSize >> 20) MB")
            }
            var data = Data()
            do {
                _ = try archive.extract(entry) { (chunk: Data) throws -> Void in
                    data.append(chunk)
                    if data.count > maximumPartSize {
                        throw XLSXError("the workbook part \(entry.path) is larger than \(maximumPartSize >> 20) MB")
                    }
                }
            } catch let error as XLSXError {
                throw error
            } catch {
                throw XLSXError("the workbook part \(entry.path) is damaged (\(error))")
            }
            total += data.count
            guard total <= maximumTotalSize else {
                throw XLSXError("the workbook is larger than \(maximumTotalSize >> 20) MB unpacked")
            }
            var path = entry.path.replacingOccurrences(of: "\\", with: "/")
            if path.hasPrefix("/") { path.removeFirst() }
            parts[path] = Array(data)
        }
        guard parts["[Content_Types].xml"] != nil || parts["xl/workbook.xml"] != nil else {
            throw XLSXError("not an XLSX workbook: the zip archive holds no workbook")
        }
        return parts
    }

    static func parse(_ bytes: [UInt8], part: String) throws(XLSXError) -> SimaticML.XMLElement {
        do {
            return try SimaticML.XMLParser.parse(bytes).root
        } catch {
            throw XLSXError("the workbook part \(part) is not well-formed XML: \(error.description)")
        }
    }

    /// The relationships of a part (`""` for the package), by id, with targets as paths inside the archive.
    static func relationships(
        of part: String, in parts: [String: [UInt8]]
    ) throws(XLSXError) -> [String: (type: String, target: String)] {
        let folder = (part as NSString).deletingLastPathComponent
        let file = (part as NSString).lastPathComponent
        let path = (folder.isEmpty ? "" : folder + "/") + "_rels/" + file + ".rels"
        guard let bytes = parts[path] else { return [:] }
        let root = try parse(bytes, part: path)
        var result: [String: (type: String, target: String)] = [:]
        for element in root.elements(named: "Relationship") {
            guard let id = element[attribute: "Id"], let target = element[attribute: "Target"],
                element[attribute: "TargetMode"] != "External"
            else { continue }
            result[id] = (element[attribute: "Type"] ?? "", resolve(target, from: folder))
        }
        return result
    }

    /// A relationship target as a path inside the archive: `worksheets/sheet1.xml` from `xl` is
    /// `xl/worksheets/sheet1.xml`; `/xl/styles.xml` is absolute; `..` steps up.
    static func resolve(_ target: String, from folder: String) -> String {
        let cleaned = target.replacingOccurrences(of: "\\", with: "/")
        var components: [Substring] =
            cleaned.hasPrefix("/") ? [] : folder.split(separator: "/", omittingEmptySubsequences: true)
        for component in cleaned.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..": if !components.isEmpty { components.removeLast() }
            default: components.append(component)
            }
        }
        return components.joined(separator: "/")
    }

    /// The text of a shared string item or inline string: its `t`, or the `t` of each rich text run (phonetic runs
    /// are left out).
    static func stringItemText(_ element: SimaticML.XMLElement) -> String {
        var text = ""
        for child in element.elements {
            switch child.localName {
            case "t": text += child.text
            case "r": text += child.first("t")?.text ?? ""
            default: break
            }
        }
        return unescapedOffice(text)
    }

    /// The rows of a worksheet, cells placed by their references (`C5`) or, without one, after the previous cell.
    static func rows(
        of worksheet: SimaticML.XMLElement, sheet: String, sharedStrings: [String]
    ) throws(XLSXError) -> [Row] {
        var rows: [Row] = []
        var previousRow = 0
        for rowElement in worksheet.first("sheetData")?.elements(named: "row") ?? [] {
            var number = previousRow + 1
            if let text = rowElement[attribute: "r"] {
                guard let value = Int(text), (1...1_048_576).contains(value) else {
                    throw XLSXError("sheet '\(sheet)': '\(text)' is not a row number")
                }
                number = value
            }
            previousRow = number
            var row = Row(number: number)
            var previousColumn = -1
            for cellElement in rowElement.elements(named: "c") {
                var column = previousColumn + 1
                if let reference = cellElement[attribute: "r"] {
                    guard let parsed = columnIndex(reference) else {
                        throw XLSXError("sheet '\(sheet)', row \(number): '\(reference)' is not a cell reference")
                    }
                    column = parsed
                }
                guard column < 16_384 else {
                    throw XLSXError("sheet '\(sheet)', row \(number): more than 16384 columns")
                }
                previousColumn = column
                let location = "sheet '\(sheet)', cell \(columnName(column))\(number)"
                if let value = try Self.cell(cellElement, sharedStrings: sharedStrings, at: location) {
                    row.cells[column] = value
                }
            }
            if let index = rows.firstIndex(where: { $0.number == number }) {
                rows[index].cells.merge(row.cells) { _, new in new }
            } else {
                rows.append(row)
            }
        }
        return rows.sorted { $0.number < $1.number }
    }

    static func cell(
        _ element: SimaticML.XMLElement, sharedStrings: [String], at location: String
    ) throws(XLSXError) -> Cell? {
        let value = element.first("v").map(\.text)
        switch element[attribute: "t"] ?? "n" {
        case "s":
            guard let value else { return nil }
            guard let index = Int(value.trimmingCharacters(in: .whitespaces)), sharedStrings.indices.contains(index)
            else {
                throw XLSXError("\(location): shared string \(value) does not exist")
            }
            return .text(sharedStrings[index])
        case "inlineStr":
            guard let inline = element.first("is") else { return value.map { Cell.text(unescapedOffice($0)) } }
            return .text(stringItemText(inline))
        case "str", "e", "d":
            return value.map { Cell.text(unescapedOffice($0)) }
        case "b":
            guard let value else { return nil }
            switch value.trimmingCharacters(in: .whitespaces).lowercased() {
            case "1", "true": return .bool(true)
            case "0", "false": return .bool(false)
            default: throw XLSXError("\(location): '\(value)' is not a boolean")
            }
        default:
            guard let value else { return nil }
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : .number(trimmed)
        }
    }

    /// The 0-based column of a cell reference: `A1` → 0, `C5` → 2, `AA10` → 26, `$B$2` → 1; nil when malformed.
    public static func columnIndex(_ reference: String) -> Int? {
        var index = 0
        var letters = 0
        var digits = 0
        for character in reference where character != "$" {
            guard let ascii = character.asciiValue else { return nil }
            switch ascii {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"):
                guard digits == 0, letters < 3 else { return nil }
                index = index * 26 + Int((ascii & 0xDF) - UInt8(ascii: "A")) + 1
                letters += 1
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard letters > 0 else { return nil }
                digits += 1
            default:
                return nil
            }
        }
        return letters > 0 ? index - 1 : nil
    }
}
