/// A diagnostic flattened for JSON: where it is as 1-based lines and columns, what it is, and what it says.
///
///     {"file":"FB_Test.scl","line":3,"column":5,"endLine":3,"endColumn":10,
///      "severity":"error","code":"SCL1001","message":"unterminated string literal"}
///
/// Columns count Unicode scalars (see `SourceLocation`); `endColumn` is the column just after the range.
public struct DiagnosticRecord: Hashable, Sendable, Codable {
    public var file: String
    public var line: Int
    public var column: Int
    public var endLine: Int
    public var endColumn: Int
    public var severity: Severity
    public var code: String
    public var message: String

    public init(_ diagnostic: Diagnostic, in file: SourceFile) {
        let start = file.location(of: diagnostic.range.start)
        let end = file.location(of: diagnostic.range.end)
        self.file = diagnostic.range.path
        self.line = start.line
        self.column = start.column
        self.endLine = end.line
        self.endColumn = end.column
        self.severity = diagnostic.severity
        self.code = diagnostic.code.rawValue
        self.message = diagnostic.message
    }
}
