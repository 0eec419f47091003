/// Names of the folders TIA Portal's Version Control Interface writes for a PLC.
public enum VCILayout {
    public static let programBlocks = "Program blocks"
    public static let plcTags = "PLC tags"
    public static let plcDataTypes = "PLC data types"
    public static let watchAndForceTables = "Watch and force tables"
    /// Project library folder with `Blocks` and `UDTs` below it.
    public static let libraryTypes = "Types"

    /// A folder holding any of these is a device folder.
    public static let deviceFolders: Set<String> = [programBlocks, plcTags, plcDataTypes, watchAndForceTables]

    /// File endings s7wb reads or at least recognises as S7 content (the others are not project files).
    public static let s7Extensions: Set<String> = ["scl", "db", "udt", "xml", "s7dcl", "s7res", "awl", "stl"]

    /// T-IA Connect's external sources: source files kept in the device, from which blocks are generated on request.
    public static let externalSources = "External source files"

    /// The folder under the project root where s7wb keeps its own state (SQLite store, logs).
    public static let stateFolder = ".s7wb"
}
