import Testing
import WorkbenchTUI

let repositoryRoot: String = {
    // …/Tests/WorkbenchTUITests/ThemeTests.swift → …
    var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
}()

@Suite("Theme")
struct ThemeTests {
    @Test func parsesRolesColoursAndAttributes() {
        let text = """
            # a comment
            name = test
            treeSelected = black on cyan bold   # trailing comment
            diagnosticError = bright-red, underline
            statusBar = color208 on color236
            selection = reverse
            """
        let (theme, errors) = Theme.parse(text, file: "test.theme")
        #expect(errors.isEmpty)
        #expect(theme.name == "test")
        #expect(theme[.treeSelected] == Style(.black, on: .cyan, .bold))
        #expect(theme[.diagnosticError] == Style(.indexed(9), on: .default, .underline))
        #expect(theme[.statusBar] == Style(.indexed(208), on: .indexed(236)))
        #expect(theme[.selection] == Style(.default, on: .default, .reverse))
        // Roles the file omits keep the defaults.
        #expect(theme[.keyword] == Theme.dark[.keyword])
        #expect(theme[.statusBar].description == "color208 on color236")
    }

    @Test func badLinesAreErrorsWithFileAndLineAndTheRestApplies() {
        let text = """
            treeSelected = black on cyan
            treeSelectd = red
            keyword = purple bold
            number
            comment = green on
            string = yellow
            """
        let (theme, errors) = Theme.parse(text, file: "themes/mine.theme")
        #expect(
            errors.map(\.description) == [
                "themes/mine.theme:2: unknown role 'treeSelectd'",
                "themes/mine.theme:3: invalid style word 'purple' for keyword",
                "themes/mine.theme:4: expected 'name = value'",
                "themes/mine.theme:5: invalid style word 'on' for comment",
            ])
        #expect(theme[.treeSelected] == Style(.black, on: .cyan))
        #expect(theme[.string] == Style(.yellow))
        #expect(theme[.keyword] == Theme.dark[.keyword])
    }

    @Test(arguments: ["dark", "light", "high-contrast", "monochrome"])
    func everyShippedThemeParsesAndDefinesEveryRole(name: String) throws {
        let (theme, errors) = Theme.select(named: name, directory: repositoryRoot + "/themes", environment: [:])
        #expect(errors.isEmpty, "\(errors)")
        #expect(theme.name == name)
        let text = try #require(themeFileText(name))
        let (_, fileErrors) = Theme.parse(text, file: name)
        #expect(fileErrors.isEmpty)
        for role in ThemeRole.allCases {
            #expect(text.contains("\n\(role.rawValue) "), "\(name) lacks \(role.rawValue)")
        }
    }

    @Test func monochromeUsesNoColour() {
        #expect(Theme.monochrome.isMonochrome)
        #expect(!Theme.dark.isMonochrome)
        let (file, _) = Theme.select(named: "monochrome", directory: repositoryRoot + "/themes", environment: [:])
        #expect(file.isMonochrome)
        #expect(Set(ThemeRole.allCases) == Set(Theme.monochrome.styles.keys))
        #expect(Set(ThemeRole.allCases) == Set(Theme.dark.styles.keys))
    }

    @Test func noColorSelectsMonochrome() {
        let (theme, _) = Theme.select(
            named: "dark", directory: repositoryRoot + "/themes", environment: ["NO_COLOR": "1"])
        #expect(theme == .monochrome)
        let (empty, _) = Theme.select(named: "dark", directory: nil, environment: ["NO_COLOR": ""])
        #expect(empty == .dark)
    }

    @Test func missingThemeFallsBackToDarkWithAnError() {
        let (theme, errors) = Theme.select(named: "nope", directory: "/nonexistent", environment: [:])
        #expect(theme == .dark)
        #expect(errors.map(\.description) == ["/nonexistent/nope.theme: cannot read the file"])
    }
}

func themeFileText(_ name: String) -> String? {
    readFile(repositoryRoot + "/themes/\(name).theme")
}
