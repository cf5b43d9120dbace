import ContentModel
import Diagnostics

/// The site as a typed graph: pages are nodes; front-matter relations and body
/// links are edges; the inverse of every clinical relation is computed here so
/// nobody writes it by hand. Every list is sorted, so output is deterministic.
public struct ContentGraph: Sendable {
    public let settings: SiteSettings
    public let pages: [PageID: Page]

    /// Valid forward relations, in the order the editor wrote them.
    public let relations: [PageID: [RelationKind: [PageID]]]
    /// For a symptom, `inverse[id][.symptoms]` is every condition that lists it; and so on.
    /// For `.related`, the pages that list this one as related.
    public let inverse: [PageID: [RelationKind: [PageID]]]
    /// Pages this page's body links to.
    public let linksTo: [PageID: [PageID]]
    /// Every page that points here by any relation or body link.
    public let linkedFrom: [PageID: [PageID]]

    public init(
        settings: SiteSettings, pages: [PageID: Page], relations: [PageID: [RelationKind: [PageID]]],
        inverse: [PageID: [RelationKind: [PageID]]], linksTo: [PageID: [PageID]], linkedFrom: [PageID: [PageID]]
    ) {
        self.settings = settings
        self.pages = pages
        self.relations = relations
        self.inverse = inverse
        self.linksTo = linksTo
        self.linkedFrom = linkedFrom
        // Title order is computed once: sorting by `title.lowercased()` on every call
        // made a lower-cased copy per comparison, a few percent of a 10,000-page build.
        let byTitle = pages.values.map { (page: $0, key: $0.title.lowercased()) }
            .sorted { ($0.key, $0.page.id) < ($1.key, $1.page.id) }
        let pagesByType = Dictionary(grouping: byTitle.map(\.page), by: \.type)
        self.titleRank = Dictionary(uniqueKeysWithValues: byTitle.enumerated().map { ($1.page.id, $0) })
        self.pagesByType = pagesByType
        self.allPages = PageType.allCases.flatMap { pagesByType[$0] ?? [] }
    }

    public subscript(id: PageID) -> Page? { pages[id] }

    /// All pages, by type then title.
    public let allPages: [Page]
    private let pagesByType: [PageType: [Page]]
    /// Each page's place in title order (case folded, then id).
    private let titleRank: [PageID: Int]

    /// The pages of one type, by title.
    public func pages(of type: PageType) -> [Page] {
        pagesByType[type] ?? []
    }

    public func related(_ id: PageID, _ kind: RelationKind) -> [Page] {
        (relations[id]?[kind] ?? []).compactMap { pages[$0] }
    }

    public func inverse(_ id: PageID, _ kind: RelationKind) -> [Page] {
        byTitle((inverse[id]?[kind] ?? []).compactMap { pages[$0] })
    }

    public func linkedFrom(_ id: PageID) -> [Page] {
        byTitle((linkedFrom[id] ?? []).compactMap { pages[$0] })
    }

    /// Pages of this graph in title order (case folded, then id).
    public func byTitle(_ list: [Page]) -> [Page] {
        list.sorted { (titleRank[$0.id] ?? 0) < (titleRank[$1.id] ?? 0) }
    }
}
