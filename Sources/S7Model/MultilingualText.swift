/// A text TIA Portal keeps in several cultures, in the order the source lists them.
///
/// Example: a block comment exported as `ru-RU: "Логика работы ПФМ"` keeps that one item; `text(preferring:)`
/// falls back to the first non-empty item when the preferred culture is missing.
public struct MultilingualText: Hashable, Sendable, Codable {
    public struct Item: Hashable, Sendable, Codable {
        public var culture: String
        public var text: String

        public init(culture: String, text: String) {
            self.culture = culture
            self.text = text
        }
    }

    public var items: [Item]

    public init(_ items: [Item] = []) {
        self.items = items
    }

    public init(_ text: String, culture: String = "en-US") {
        self.items = text.isEmpty ? [] : [Item(culture: culture, text: text)]
    }

    public var isEmpty: Bool { items.allSatisfy { $0.text.isEmpty } }

    /// The text in `culture`, else the first non-empty text, else "".
    public func text(preferring culture: String = "en-US") -> String {
        if let hit = items.first(where: { $0.culture == culture && !$0.text.isEmpty }) {
            return hit.text
        }
        return items.first(where: { !$0.text.isEmpty })?.text ?? ""
    }

    /// A copy where the text `text(preferring: culture)` shows is `text`: that culture's item, else the item shown
    /// in its place, else a new item in `culture`. The other cultures stay.
    public func setting(_ text: String, preferring culture: String = "en-US") -> MultilingualText {
        var copy = self
        if let index = items.firstIndex(where: { $0.culture == culture && !$0.text.isEmpty })
            ?? items.firstIndex(where: { !$0.text.isEmpty })
            ?? items.firstIndex(where: { $0.culture == culture })
        {
            copy.items[index].text = text
        } else if !text.isEmpty {
            copy.items.append(Item(culture: culture, text: text))
        }
        return copy
    }
}
