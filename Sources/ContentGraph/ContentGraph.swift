import ContentModel
import Diagnostics

/// The site as a typed graph: pages are nodes; front-matter relations and body
/// links are edges; the inverse of every clinical relation is computed here so
/// nobody writes it by hand. Every list is sorted, so output is deterministic.
public struct ContentGraph: Sendable {
    public internal(set) var settings: SiteSettings
    /// Every page by id. Reads like the `[PageID: Page]` it once was, without holding a
    /// second copy of every page (a copy of 10,000 pages alone took tens of milliseconds).
    public var pages: PageTable { PageTable(list: allPages, nodes: nodes, places: places) }

    /// Valid forward relations, in the order the editor wrote them.
    public let relations: [PageID: [RelationKind: [PageID]]]
    /// For a symptom, `inverse[id][.symptoms]` is every condition that lists it; and so on.
    /// For `.related`, the pages that list this one as related.
    public let inverse: [PageID: [RelationKind: [PageID]]]
    /// Pages this page's body links to.
    public let linksTo: [PageID: [PageID]]
    /// Every page that points here by any relation or body link.
    public let linkedFrom: [PageID: [PageID]]

    /// All pages, by type then title.
    public private(set) var allPages: [Page]
    /// `allPages` cut by type (indexed by `PageType.ordinal`), so `pages(of:)` is free.
    private var pagesByType: [[Page]]
    /// Where each type starts in `allPages`.
    private let typeStart: [Int]
    /// Every id the graph knows (its pages first, then ids only edges name) -> its number.
    private let nodes: [PageID: Int]
    /// By node: its place in title order (case folded, then id) and in `allPages`;
    /// rank 0 and slot -1 for an id that is not a page of the graph.
    private let places: [Place]
    /// What the graph was built from besides the pages, for `replacing(_:)`; nil when the
    /// graph came from the public initializer or from pages with one id twice.
    let context: BuildContext?

    struct Place: Sendable {
        var titleRank: Int32
        var slot: Int32
    }

    struct BuildContext: Sendable {
        var drafts: [PageID: PageType]
        var undecoded: [PageID: PageType]
    }

    public init(
        settings: SiteSettings, pages: [PageID: Page], relations: [PageID: [RelationKind: [PageID]]],
        inverse: [PageID: [RelationKind: [PageID]]], linksTo: [PageID: [PageID]], linkedFrom: [PageID: [PageID]]
    ) {
        let list = Array(pages.values)
        let keys = list.map { $0.title.lowercased() }
        let byTitle = list.indices.sorted { (keys[$0], list[$0].id) < (keys[$1], list[$1].id) }
        var nodes = [PageID: Int](minimumCapacity: list.count)
        for (node, page) in list.enumerated() { nodes[page.id] = node }
        self.init(settings: settings, source: list, nodes: nodes, nodeCount: list.count,
                  pageOfNode: Array(list.indices), titleOrder: byTitle, relations: relations,
                  inverse: inverse, linksTo: linksTo, linkedFrom: linkedFrom, context: nil)
    }

    /// - Parameters:
    ///   - nodes: every id -> its node number, pages `0..<pageOfNode.count` first.
    ///   - pageOfNode: for each page node, the index of its page in `source`.
    ///   - titleOrder: the page nodes in title order.
    init(
        settings: SiteSettings, source: [Page], nodes: [PageID: Int], nodeCount: Int,
        pageOfNode: [Int], titleOrder: [Int],
        relations: [PageID: [RelationKind: [PageID]]], inverse: [PageID: [RelationKind: [PageID]]],
        linksTo: [PageID: [PageID]], linkedFrom: [PageID: [PageID]], context: BuildContext?
    ) {
        self.settings = settings
        self.relations = relations
        self.inverse = inverse
        self.linksTo = linksTo
        self.linkedFrom = linkedFrom
        self.context = context
        self.nodes = nodes

        // Title order is computed once (and split by type, keeping it), so `byTitle`
        // compares two integers instead of two lower-cased titles.
        let typeCount = PageType.allCases.count
        var counts = [Int](repeating: 0, count: typeCount + 1)
        for node in titleOrder { counts[source[pageOfNode[node]].type.ordinal + 1] += 1 }
        for type in 0..<typeCount { counts[type + 1] += counts[type] }
        var next = counts
        var slotOrder = [Int](repeating: 0, count: titleOrder.count)
        var places = [Place](repeating: Place(titleRank: 0, slot: -1), count: nodeCount)
        for (rank, node) in titleOrder.enumerated() {
            let page = pageOfNode[node], type = source[page].type.ordinal
            let slot = next[type]
            next[type] += 1
            slotOrder[slot] = page
            places[node] = Place(titleRank: Int32(rank), slot: Int32(slot))
        }
        self.places = places
        self.typeStart = counts
        let allPages = slotOrder.map { source[$0] }
        self.allPages = allPages
        self.pagesByType = (0..<typeCount).map { Array(allPages[counts[$0]..<counts[$0 + 1]]) }
    }

    public subscript(id: PageID) -> Page? {
        position(of: id).map { allPages[$0] }
    }

    /// Where the page sits in `allPages`.
    public func position(of id: PageID) -> Int? {
        guard let node = nodes[id], places[node].slot >= 0 else { return nil }
        return Int(places[node].slot)
    }

    /// The pages of one type, by title.
    public func pages(of type: PageType) -> [Page] {
        pagesByType[type.ordinal]
    }

    public func related(_ id: PageID, _ kind: RelationKind) -> [Page] {
        (relations[id]?[kind] ?? []).compactMap { self[$0] }
    }

    public func inverse(_ id: PageID, _ kind: RelationKind) -> [Page] {
        byTitle((inverse[id]?[kind] ?? []).compactMap { self[$0] })
    }

    public func linkedFrom(_ id: PageID) -> [Page] {
        byTitle((linkedFrom[id] ?? []).compactMap { self[$0] })
    }

    /// Pages of this graph in title order (case folded, then id). Pages the graph does
    /// not hold sort as if first in title order, in the order given.
    public func byTitle(_ list: [Page]) -> [Page] {
        guard list.count > 1 else { return list }
        // One look-up per page, then the same stable sort over the same comparisons.
        let ranks = list.map { nodes[$0.id].map { places[$0].titleRank } ?? 0 }
        return list.indices.sorted { ranks[$0] < ranks[$1] }.map { list[$0] }
    }

    /// The page's type, for any page of the graph.
    func type(of id: PageID) -> PageType? {
        guard let node = nodes[id], places[node].slot >= 0 else { return nil }
        return allPages[Int(places[node].slot)].type
    }

    /// Puts new values of pages in place; the caller has checked that nothing the
    /// graph is made of changed for them.
    mutating func swapIn(_ page: Page) {
        guard let node = nodes[page.id], places[node].slot >= 0 else { return }
        let slot = Int(places[node].slot), type = page.type.ordinal
        allPages[slot] = page
        pagesByType[type][slot - typeStart[type]] = page
    }
}

extension PageType {
    /// Position in `allCases`, without searching it.
    var ordinal: Int {
        switch self {
        case .condition: 0
        case .symptom: 1
        case .cause: 2
        case .treatment: 3
        case .diagnostic: 4
        case .guide: 5
        }
    }
}

extension RelationKind {
    /// Position in `allCases`, without searching it.
    var ordinal: Int {
        switch self {
        case .symptoms: 0
        case .causes: 1
        case .treatments: 2
        case .diagnostics: 3
        case .related: 4
        }
    }
}

/// The pages of a graph by id, read as a `[PageID: Page]` is: by id, `keys`, `values`,
/// `count`, or as `(key:, value:)` pairs; in the graph's order (type, then title).
public struct PageTable: Collection, Sendable {
    public typealias Element = (key: PageID, value: Page)
    let list: [Page]
    let nodes: [PageID: Int]
    let places: [ContentGraph.Place]

    public var startIndex: Int { list.startIndex }
    public var endIndex: Int { list.endIndex }
    public func index(after position: Int) -> Int { position + 1 }
    public subscript(position: Int) -> Element { (list[position].id, list[position]) }
    public var count: Int { list.count }
    public var isEmpty: Bool { list.isEmpty }

    public subscript(id: PageID) -> Page? {
        guard let node = nodes[id], places[node].slot >= 0 else { return nil }
        return list[Int(places[node].slot)]
    }

    public var keys: [PageID] { list.map(\.id) }
    public var values: [Page] { list }
}
