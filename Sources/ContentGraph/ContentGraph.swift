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
    }

    public subscript(id: PageID) -> Page? { pages[id] }

    /// All pages, by type then title.
    public var allPages: [Page] {
        pages.values.sorted { ($0.type, $0.title.lowercased(), $0.id) < ($1.type, $1.title.lowercased(), $1.id) }
    }

    public func pages(of type: PageType) -> [Page] {
        pages.values.filter { $0.type == type }.sorted(by: ContentGraph.byTitle)
    }

    public func related(_ id: PageID, _ kind: RelationKind) -> [Page] {
        (relations[id]?[kind] ?? []).compactMap { pages[$0] }
    }

    public func inverse(_ id: PageID, _ kind: RelationKind) -> [Page] {
        (inverse[id]?[kind] ?? []).compactMap { pages[$0] }.sorted(by: ContentGraph.byTitle)
    }

    public func linkedFrom(_ id: PageID) -> [Page] {
        (linkedFrom[id] ?? []).compactMap { pages[$0] }.sorted(by: ContentGraph.byTitle)
    }

    public static func byTitle(_ a: Page, _ b: Page) -> Bool {
        (a.title.lowercased(), a.id) < (b.title.lowercased(), b.id)
    }
}
