import Diagnostics

/// A value together with where it was written, so later stages can point at it.
public struct Located<Value: Sendable>: Sendable {
    public var value: Value
    public var location: SourceLocation

    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}

/// The typed relations an editor writes in front-matter.
public enum RelationKind: String, CaseIterable, Sendable, Codable {
    case symptoms, causes, treatments, diagnostics, related

    /// The page type every target must have; `related` takes any page.
    public var targetType: PageType? {
        switch self {
        case .symptoms: .symptom
        case .causes: .cause
        case .treatments: .treatment
        case .diagnostics: .diagnostic
        case .related: nil
        }
    }

    /// Only conditions carry the four clinical relations; every page may have `related`.
    public func isAllowed(on type: PageType) -> Bool {
        self == .related || type == .condition
    }
}

/// The stepped-care ladder, in the order a clinician climbs it.
public enum CareStep: String, CaseIterable, Sendable, Codable, Comparable {
    case selfCare = "self-care"
    case clinician
    case procedure
    case surgery

    public var label: String {
        switch self {
        case .selfCare: "Self-care at home"
        case .clinician: "With a clinician"
        case .procedure: "Procedures"
        case .surgery: "Surgery"
        }
    }

    public static func < (a: CareStep, b: CareStep) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

public enum CauseKind: String, CaseIterable, Sendable, Codable, Comparable {
    case injury, overuse, structural, disease, training

    public var label: String {
        switch self {
        case .injury: "Injuries"
        case .overuse: "Overuse"
        case .structural: "Body structure and strength"
        case .disease: "Health conditions"
        case .training: "Training and equipment"
        }
    }

    public static func < (a: CauseKind, b: CauseKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// A day on the calendar, free of time zones (front-matter dates are days).
public struct CalendarDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int, month: Int, day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= CalendarDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Strict `YYYY-MM-DD`.
    public init?(iso text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public var description: String {
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// "15 January 2026": unambiguous for readers in any country.
    public var spelledOut: String {
        let months = ["January", "February", "March", "April", "May", "June", "July", "August",
                      "September", "October", "November", "December"]
        return "\(day) \(months[month - 1]) \(year)"
    }

    /// Same day `months` later, clamped to the month's end (Jan 31 + 1 month = Feb 28/29).
    public func adding(months: Int) -> CalendarDate {
        let total = year * 12 + (month - 1) + months
        let y = total / 12, m = total % 12 + 1
        return CalendarDate(year: y, month: m, day: min(day, CalendarDate.daysIn(month: m, year: y)))!
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CalendarDate(iso: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a YYYY-MM-DD date"))
        }
        self = date
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Clinical review as the clinic records it. Never filled in by Patella itself.
public struct Review: Sendable, Hashable, Codable {
    public var on: CalendarDate
    public var by: String
    public var next: CalendarDate?

    public init(on: CalendarDate, by: String, next: CalendarDate?) {
        self.on = on
        self.by = by
        self.next = next
    }
}

public struct SourceReference: Sendable, Hashable, Codable {
    public var title: String
    public var publisher: String
    public var url: String?

    public init(title: String, publisher: String, url: String?) {
        self.title = title
        self.publisher = publisher
        self.url = url
    }
}

/// Everything the front-matter of one page says, decoded and typed.
public struct PageMetadata: Sendable {
    public var title: Located<String>
    public var summary: Located<String>?
    public var aliases: [String]
    public var relations: [RelationKind: [Located<PageID>]]
    public var care: CareStep?
    public var kind: CauseKind?
    public var reviewed: Review?
    public var updated: CalendarDate?
    public var sources: [SourceReference]
    public var draft: Bool

    public init(
        title: Located<String>, summary: Located<String>?, aliases: [String] = [],
        relations: [RelationKind: [Located<PageID>]] = [:], care: CareStep? = nil, kind: CauseKind? = nil,
        reviewed: Review? = nil, updated: CalendarDate? = nil, sources: [SourceReference] = [], draft: Bool = false
    ) {
        self.title = title
        self.summary = summary
        self.aliases = aliases
        self.relations = relations
        self.care = care
        self.kind = kind
        self.reviewed = reviewed
        self.updated = updated
        self.sources = sources
        self.draft = draft
    }
}
