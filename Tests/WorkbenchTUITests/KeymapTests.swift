import Foundation
import Testing
import WorkbenchTUI

func readFile(_ path: String) -> String? {
    FileManager.default.contents(atPath: path).flatMap { String(data: $0, encoding: .utf8) }
}

@Suite("Keymap")
struct KeymapTests {
    @Test func chordNotationRoundTrips() {
        #expect(KeyPress("ctrl+s") == KeyPress(.character("s"), modifiers: .ctrl))
        #expect(KeyPress("Ctrl+S") == KeyPress(.character("s"), modifiers: .ctrl))
        #expect(KeyPress("F5") == KeyPress(.function(5)))
        #expect(KeyPress("shift+F5") == KeyPress(.function(5), modifiers: .shift))
        #expect(KeyPress("shift+a") == KeyPress(.character("A")))
        #expect(KeyPress("shift+tab") == KeyPress(.tab, modifiers: .shift))
        #expect(KeyPress("space") == KeyPress(.character(" ")))
        #expect(KeyPress("+") == KeyPress(.character("+")))
        #expect(KeyPress("ctrl++") == KeyPress(.character("+"), modifiers: .ctrl))
        #expect(KeyPress("hyper+x") == nil)
        #expect(KeyPress("F25") == nil)
        #expect(KeyPress("") == nil)
        for notation in ["ctrl+alt+x", "shift+F9", "space", "pagedown", "esc", "G", "hash", "+"] {
            #expect(KeyPress(notation)?.description == notation)
        }
    }

    @Test func defaultsMapActionsBothWays() {
        let keymap = Keymap.default
        #expect(keymap.action(for: KeyPress("ctrl+s")!) == "editor.save")
        #expect(keymap.action(for: KeyPress("F9")!) == "watch.force")
        #expect(keymap.chords(for: "app.quit") == [KeyPress("ctrl+q")!])
        #expect(keymap.action(for: KeyPress("ctrl+u")!) == nil)
        let help = keymap.help()
        #expect(help.count == Keymap.knownActions.count)
        #expect(help.first?.action == "app.quit")
        #expect(help.first?.summary == "Quit s7wb")
    }

    @Test func defaultsHaveNoConflicts() {
        let all = Keymap.default.help().flatMap(\.chords)
        #expect(all.count == Set(all).count)
    }

    @Test func fileOverridesAndTakesChordsFromOtherActions() {
        let text = """
            name = mine
            app.quit = q, ctrl+c
            editor.find = ctrl+s
            app.help =
            """
        let (keymap, errors) = Keymap.parse(text, file: "mine.keymap")
        #expect(errors.isEmpty)
        #expect(keymap.name == "mine")
        #expect(keymap.action(for: KeyPress("q")!) == "app.quit")
        #expect(keymap.action(for: KeyPress("ctrl+q")!) == nil)
        #expect(keymap.action(for: KeyPress("ctrl+s")!) == "editor.find")
        #expect(keymap.chords(for: "editor.save").isEmpty)
        #expect(keymap.chords(for: "app.help").isEmpty)
        #expect(keymap.chords(for: "watch.force") == [KeyPress("F9")!])
    }

    @Test func badLinesAreErrorsWithFileAndLineAndTheRestApplies() {
        let text = """
            app.quit = ctrl+x
            app.qiut = ctrl+q
            editor.save = ctrl+s, super+s
            = F1
            watch.force = F10
            """
        let (keymap, errors) = Keymap.parse(text, file: "keymaps/bad.keymap")
        #expect(
            errors.map(\.description) == [
                "keymaps/bad.keymap:2: unknown action 'app.qiut'",
                "keymaps/bad.keymap:3: invalid key chord 'super+s'",
                "keymaps/bad.keymap:4: missing name before '='",
            ])
        #expect(keymap.chords(for: "app.quit") == [KeyPress("ctrl+x")!])
        #expect(keymap.chords(for: "editor.save") == [KeyPress("ctrl+s")!])
        #expect(keymap.chords(for: "watch.force") == [KeyPress("F10")!])
    }

    @Test(arguments: ["default", "vim", "emacs"])
    func everyShippedKeymapParsesWithoutConflicts(name: String) {
        let (keymap, errors) = Keymap.load(named: name, directory: repositoryRoot + "/keymaps")
        #expect(errors.isEmpty, "\(errors)")
        #expect(keymap.name == name)
        let all = keymap.help().flatMap(\.chords)
        #expect(all.count == Set(all).count)
        #expect(!keymap.chords(for: "app.quit").isEmpty)
    }

    @Test func defaultKeymapFileMatchesTheBuiltInDefaults() {
        let (keymap, _) = Keymap.load(named: "default", directory: repositoryRoot + "/keymaps")
        #expect(keymap == Keymap.default)
    }

    @Test func vimKeymapBindsHJKL() {
        let (keymap, _) = Keymap.load(named: "vim", directory: repositoryRoot + "/keymaps")
        #expect(keymap.action(for: KeyPress("j")!) == "nav.down")
        #expect(keymap.action(for: KeyPress("G")!) == "nav.bottom")
        #expect(keymap.action(for: KeyPress("ctrl+f")!) == "nav.pageDown")
    }
}
