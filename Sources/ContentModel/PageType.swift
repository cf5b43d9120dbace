import Foundation

/// The six kinds of page; the folder a file sits in decides its type.
public enum PageType: String, CaseIterable, Sendable, Codable, Comparable {
    case condition, symptom, cause, treatment, diagnostic, guide

    public var folder: String { rawValue + "s" }

    public init?(folder: String) {
        guard let type = PageType.allCases.first(where: { $0.folder == folder }) else { return nil }
        self = type
    }

    public var label: String {
        switch self {
        case .condition: "Condition"
        case .symptom: "Symptom"
        case .cause: "Cause or risk factor"
        case .treatment: "Treatment"
        case .diagnostic: "Test or exam"
        case .guide: "Guide"
        }
    }

    public var pluralLabel: String {
        switch self {
        case .condition: "Conditions"
        case .symptom: "Symptoms"
        case .cause: "Causes and risk factors"
        case .treatment: "Treatments"
        case .diagnostic: "Tests and exams"
        case .guide: "Guides"
        }
    }

    /// Order in navigation: what a worried reader looks for first.
    public static func < (a: PageType, b: PageType) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// A page's id: its file name without `.md`, unique across the site.
public struct PageID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public init(from decoder: Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }
    public static func < (a: PageID, b: PageID) -> Bool { a.rawValue < b.rawValue }

    /// Lower-case ASCII letters and digits in groups joined by single hyphens.
    public static func isValid(_ text: String) -> Bool {
        // One pass over the bytes: String's `contains` and Character ends were most of
        // the cost of checking a relation.
        var previous = UInt8(ascii: "-")  // so a leading hyphen is refused as a doubled one
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): break
            case UInt8(ascii: "-"): if previous == UInt8(ascii: "-") { return false }
            default: return false
            }
            previous = byte
        }
        return previous != UInt8(ascii: "-")  // empty, or a trailing hyphen
    }

    /// The id an editor would pick for a title: "Runner's Knee (PFPS)" -> "runners-knee-pfps".
    public static func slug(from title: String) -> String {
        // Folding ASCII only lower-cases it, done below; Foundation's folding was most of
        // a slug's cost, and headings and link cards ask for thousands.
        let folded = title.utf8.allSatisfy { $0 < 0x80 } ? title : title.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
        var out: [UInt8] = []
        var pendingHyphen = false
        for scalar in folded.unicodeScalars {
            let value = scalar.asciiLowercased.value
            if (0x61...0x7A).contains(value) || (0x30...0x39).contains(value) {
                if pendingHyphen, !out.isEmpty { out.append(UInt8(ascii: "-")) }
                pendingHyphen = false
                out.append(UInt8(value))
            } else if scalar != "'", scalar != "\u{2019}" {
                pendingHyphen = true
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
