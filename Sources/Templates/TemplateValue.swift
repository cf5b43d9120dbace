/// What a template shows: text, a number, a yes/no, a list or an object of named
/// values. Typed, so rendering looks a name up by comparing strings, never by casting
/// `Any` (swift-mustache's dynamic casts were a quarter of a 10,000-page build).
public enum TemplateValue: Sendable {
    case text(String)
    case number(Int)
    case flag(Bool)
    case list([TemplateValue])
    case object(TemplateObject)

    /// A section shows its content for this value (Mustache: anything but false,
    /// an empty list or a missing name; an empty text counts as true).
    var isShown: Bool {
        switch self {
        case .flag(let flag): flag
        case .list(let items): !items.isEmpty
        case .text, .number, .object: true
        }
    }
}

/// Named values in the order they were set. Looked up by a scan, which for the
/// few dozen keys of a page beats hashing every name. Stored as the literal's own
/// (name, value) pairs, so an object written as a literal is that array, not a copy
/// (a page makes a few hundred of them).
public struct TemplateObject: Sendable {
    private var fields: [(String, TemplateValue)]

    public init() { fields = [] }

    init(fields: [(String, TemplateValue)]) { self.fields = fields }

    var isEmpty: Bool { fields.isEmpty }
    var count: Int { fields.count }

    /// The value named `name`; setting nil removes it, so an absent optional stays
    /// absent (Mustache treats an empty text as true).
    public subscript(name: String) -> TemplateValue? {
        get {
            for (fieldName, value) in fields where fieldName == name { return value }
            return nil
        }
        set {
            if let index = fields.firstIndex(where: { $0.0 == name }) {
                if let newValue { fields[index].1 = newValue } else { fields.remove(at: index) }
            } else if let newValue {
                fields.append((name, newValue))
            }
        }
    }
}

extension TemplateObject: ExpressibleByDictionaryLiteral {
    /// The names of a literal are distinct (as a Dictionary literal's must be), so they
    /// are taken as they are, not each searched for first.
    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        fields = elements
    }
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByStringInterpolation, ExpressibleByBooleanLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(booleanLiteral value: Bool) { self = .flag(value) }
    public init(integerLiteral value: Int) { self = .number(value) }
    public init(arrayLiteral elements: TemplateValue...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self = .object(TemplateObject(fields: elements))
    }
}

extension Optional where Wrapped == String {
    /// The text, or nothing: for a key that must be absent rather than empty.
    public var templateValue: TemplateValue? { map(TemplateValue.text) }
}
