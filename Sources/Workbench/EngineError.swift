/// Why an engine call was refused; front ends map `kind` to HTTP status codes and TUI messages.
public struct EngineError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// Nothing open, or no such device, block, table.
        case notFound
        /// The request cannot be done in this state (no project open, file holds several units).
        case conflict
        /// The input is wrong (bad IP address, bad name).
        case invalidInput
        /// Reading or writing a file failed.
        case io
        /// Meaningful in TIA Portal, not here.
        case unsupported
        /// Outside what the caller may touch (a path escaping the project folder and the files root).
        case forbidden
        /// A peer (a real PLC) did not answer or refused the connection.
        case unreachable
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
