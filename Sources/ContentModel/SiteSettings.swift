import Diagnostics

/// `site.yml`, decoded.
public struct SiteSettings: Sendable {
    public var title: String
    /// Absolute URL, always ending in `/`.
    public var baseURL: String
    public var language: String
    public var description: String?
    public var organization: String?
    /// Markdown source of the disclaimer shown on every page.
    public var disclaimer: String
    public var reviewIntervalMonths: Int
    public var readingGradeMax: Double

    public init(
        title: String, baseURL: String, language: String = "en", description: String? = nil,
        organization: String? = nil, disclaimer: String, reviewIntervalMonths: Int = 36, readingGradeMax: Double = 8
    ) {
        self.title = title
        self.baseURL = baseURL.hasSuffix("/") ? baseURL : baseURL + "/"
        self.language = language
        self.description = description
        self.organization = organization
        self.disclaimer = disclaimer
        self.reviewIntervalMonths = reviewIntervalMonths
        self.readingGradeMax = readingGradeMax
    }
}

/// What every later stage may know about every page before bodies are parsed:
/// enough to resolve a link to a URL and a title.
public struct PageDirectory: Sendable {
    public struct Entry: Sendable, Hashable {
        public var id: PageID
        public var type: PageType
        public var title: String

        public init(id: PageID, type: PageType, title: String) {
            self.id = id
            self.type = type
            self.title = title
        }

        /// Site-root-relative URL path of the page: `conditions/x/`.
        public var path: String { PageDirectory.path(of: id, type: type) }
    }

    public private(set) var entries: [PageID: Entry]

    public init(_ entries: [Entry]) {
        var map: [PageID: Entry] = [:]
        for entry in entries where map[entry.id] == nil { map[entry.id] = entry }
        self.entries = map
    }

    public subscript(id: PageID) -> Entry? { entries[id] }

    public static func path(of id: PageID, type: PageType) -> String { "\(type.folder)/\(id.rawValue)/" }
}
