/// The semantic roles panes draw with; a theme gives each a `Style`. The raw value is the name in theme files.
public enum ThemeRole: String, CaseIterable, Hashable, Sendable {
    // Frame and chrome.
    case normal
    case border
    case borderFocused
    case title
    case statusBar
    case statusBarKey
    case hint
    case menu
    case menuSelected
    case dialog
    // Project tree.
    case treeItem
    case treeFolder
    case treeSelected
    // PLC state.
    case runIndicator
    case stopIndicator
    case onlineIndicator
    // Diagnostics.
    case diagnosticError
    case diagnosticWarning
    case diagnosticNote
    // Watch and force tables.
    case forcedValue
    case changedValue
    case trueValue
    case falseValue
    // Source editor.
    case keyword
    case identifier
    case comment
    case string
    case number
    case `operator`
    case lineNumber
    case cursorLine
    case selection
    case searchMatch
}
