/// One finding about source text: a stable code, a message and the range it is about.
///
/// A diagnostic says one thing. Related places are `labels` ("previous declaration is here"), explanations that
/// point nowhere or elsewhere are `notes`, and a mechanical repair is a `fixIt`.
public struct Diagnostic: Hashable, Sendable {
    /// A secondary range with a short message, rendered as a note pointing at that range.
    public struct Label: Hashable, Sendable {
        public var range: SourceRange
        public var message: String

        public init(range: SourceRange, message: String) {
            self.range = range
            self.message = message
        }
    }

    /// An explanation rendered as a `note:` line, with a source excerpt when it has a range.
    public struct Note: Hashable, Sendable {
        public var message: String
        public var range: SourceRange?

        public init(_ message: String, range: SourceRange? = nil) {
            self.message = message
            self.range = range
        }
    }

    /// Replace `range` with `replacement`; an empty range inserts.
    public struct FixIt: Hashable, Sendable {
        public var range: SourceRange
        public var replacement: String

        public init(range: SourceRange, replacement: String) {
            self.range = range
            self.replacement = replacement
        }
    }

    public var code: DiagnosticCode
    public var severity: Severity
    public var message: String
    public var range: SourceRange
    public var labels: [Label]
    public var notes: [Note]
    public var fixIt: FixIt?

    /// A diagnostic whose severity defaults to the one registered for `code` (`error` if unregistered).
    public init(
        _ code: DiagnosticCode, _ message: String, at range: SourceRange, severity: Severity? = nil,
        labels: [Label] = [], notes: [Note] = [], fixIt: FixIt? = nil
    ) {
        self.code = code
        self.severity = severity ?? DiagnosticRegistry.entry(for: code)?.severity ?? .error
        self.message = message
        self.range = range
        self.labels = labels
        self.notes = notes
        self.fixIt = fixIt
    }
}
