/// What a pane needs while it draws: the glyphs and whether it has the focus.
struct DrawContext {
    var glyphs: Glyphs
    var focused: Bool
}

/// An open document in the main area: a block in the editor, a tag table, a watch table, the PLC state.
@MainActor
protocol Document: AnyObject {
    /// What identifies it in the tree (opening the same item again shows this document).
    var item: TreeItem { get }
    /// The tab title; a trailing `*` marks unsaved changes.
    var title: String { get }
    func draw(into screen: inout ScreenBuffer, area: Rect, context: DrawContext)
    /// Handles a key: `action` is what the keymap binds it to (nil if nothing). Returns false if not handled.
    func handle(key: KeyPress, action: String?, app: WorkbenchApp) async -> Bool
    /// Called on every refresh tick (live values).
    func tick(app: WorkbenchApp)
    /// Whether closing it would lose edits.
    var hasUnsavedChanges: Bool { get }
}

extension Document {
    func tick(app: WorkbenchApp) {}
    var hasUnsavedChanges: Bool { false }
}

extension KeyPress {
    /// The character of a plain (unmodified or shifted) printable key.
    var printable: Character? {
        guard case .character(let character) = key, modifiers.subtracting(.shift).isEmpty else { return nil }
        return character
    }
}
