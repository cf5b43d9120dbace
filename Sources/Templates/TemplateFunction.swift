import Foundation

/// The functions a name may be wrapped in, as swift-mustache offers them:
/// `{{#first(groups)}}`, `{{^empty(page.aliases)}}`, `{{count(items)}}`.
public enum TemplateFunction: String, Sendable, CaseIterable {
    case empty, first, last, count, reversed
    case capitalized, lowercased, uppercased
    case equalzero, plusone, minusone, even, odd

    /// The function's value for `value`, or nil (as for a missing name) where it
    /// does not apply, such as `first` of a text.
    func apply(to value: TemplateValue) -> TemplateValue? {
        switch (self, value) {
        case (.empty, .text(let text)): .flag(text.isEmpty)
        case (.empty, .list(let items)): .flag(items.isEmpty)
        case (.empty, .object(let object)): .flag(object.isEmpty)
        case (.first, .list(let items)): items.first
        case (.last, .list(let items)): items.last
        case (.count, .list(let items)): .number(items.count)
        case (.count, .object(let object)): .number(object.count)
        case (.reversed, .list(let items)): .list(items.reversed())
        case (.reversed, .text(let text)): .text(String(text.reversed()))
        case (.capitalized, .text(let text)): .text(text.capitalized)
        case (.lowercased, .text(let text)): .text(text.lowercased())
        case (.uppercased, .text(let text)): .text(text.uppercased())
        case (.equalzero, .number(let number)): .flag(number == 0)
        case (.plusone, .number(let number)): .number(number + 1)
        case (.minusone, .number(let number)): .number(number - 1)
        case (.even, .number(let number)): .flag(number % 2 == 0)
        case (.odd, .number(let number)): .flag(number % 2 != 0)
        default: nil
        }
    }
}
