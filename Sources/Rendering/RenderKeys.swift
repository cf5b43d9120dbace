import ContentGraph
import ContentModel

/// The fingerprint of each output page, made from what its template context is made
/// from, without building the context: a sink that holds the page of an equal
/// fingerprint skips it. Building and digesting every page's context only to find it
/// unchanged took a fifth of a rebuild at 10,000 pages.
///
/// A content page's context is made of the site (settings, disclaimer, the help page,
/// the theme), the page itself (its file, and its body's HTML, which shows the titles
/// of the pages it links to), whether its review is overdue, and the cards of the pages
/// it lists: its relations, their inverses and the pages linking to it. A card is all
/// that another page's output shows of a page. Listings are made of the site, every
/// card and every relation. `PageModel`, `SiteRenderer` and `MachineReadable` read
/// nothing else; the serve and incremental-build tests check that an edit of each kind
/// gives the pages a fresh build gives.
struct RenderKeys: Sendable {
    let site: Fingerprint
    private let cards: [PageID: Fingerprint]
    /// Each page's card and relations, in site order; `everything` is made of them.
    private let entries: [Fingerprint]
    /// Every card and every relation, in site order.
    private let everything: Fingerprint

    init(theme: Theme, graph: ContentGraph, disclaimerHTML: String, helpPath: String?) {
        site = Self.site(theme: theme, settings: graph.settings, disclaimerHTML: disclaimerHTML, helpPath: helpPath)
        var cards: [PageID: Fingerprint] = [:]
        cards.reserveCapacity(graph.pages.count)
        var entries: [Fingerprint] = []
        entries.reserveCapacity(graph.pages.count)
        for page in graph.allPages {
            let card = Self.card(of: page)
            cards[page.id] = card
            entries.append(Self.entry(of: page, card: card, graph: graph))
        }
        self.cards = cards
        self.entries = entries
        everything = Self.combined(site, entries)
    }

    /// The keys of `graph`, made from `previous` (the keys of the graph before `changed`
    /// were swapped in, with the same pages in the same places) in time proportional to
    /// the changed pages, but for one pass over a fingerprint per page.
    init(updating previous: RenderKeys, theme: Theme, graph: ContentGraph, disclaimerHTML: String, helpPath: String?,
         changed: [Page]) {
        site = Self.site(theme: theme, settings: graph.settings, disclaimerHTML: disclaimerHTML, helpPath: helpPath)
        var cards = previous.cards, entries = previous.entries
        for page in changed {
            guard let position = graph.position(of: page.id), entries.indices.contains(position) else { continue }
            let card = Self.card(of: page)
            cards[page.id] = card
            entries[position] = Self.entry(of: page, card: card, graph: graph)
        }
        self.cards = cards
        self.entries = entries
        everything = Self.combined(site, entries)
    }

    /// Keys kept by `BuildMemory` for a later process.
    init(site: Fingerprint, cards: [PageID: Fingerprint], entries: [Fingerprint], everything: Fingerprint) {
        (self.site, self.cards, self.entries, self.everything) = (site, cards, entries, everything)
    }

    private static func site(theme: Theme, settings: SiteSettings, disclaimerHTML: String, helpPath: String?) -> Fingerprint {
        var site = Fingerprint()
        site.combine(theme.fingerprint)
        for text in [settings.title, settings.baseURL, settings.language, settings.disclaimer, disclaimerHTML] { site.combine(text) }
        for optional in [settings.description, settings.organization, helpPath] {
            site.combine(optional != nil)
            site.combine(optional ?? "")
        }
        site.combine(settings.reviewIntervalMonths)
        site.combine(Int(Int64(bitPattern: settings.readingGradeMax.bitPattern)))
        return site
    }

    private static func entry(of page: Page, card: Fingerprint, graph: ContentGraph) -> Fingerprint {
        var entry = card
        for kind in RelationKind.allCases {
            Self.combine(graph.relations[page.id]?[kind], into: &entry)
        }
        return entry
    }

    private static func combined(_ site: Fingerprint, _ entries: [Fingerprint]) -> Fingerprint {
        var everything = site
        for entry in entries { everything.combine(entry) }
        return everything
    }

    /// The content pages whose keys may differ from these after `changed` are swapped
    /// into a graph with the same edges: each changed page, and where what other pages
    /// show of it (its card) changed, every page that lists it.
    func pagesShowing(_ changed: [Page], graph: ContentGraph) -> Set<PageID> {
        var affected = Set(changed.map(\.id))
        for page in changed where cards[page.id] != Self.card(of: page) {
            // Page X lists P when P is among X's relations, their inverses or the pages
            // linking to X: that is, when X is among P's inverses, relations or links.
            for kind in RelationKind.allCases {
                affected.formUnion(graph.relations[page.id]?[kind] ?? [])
                affected.formUnion(graph.inverse[page.id]?[kind] ?? [])
            }
            affected.formUnion(graph.linksTo[page.id] ?? [])
        }
        return affected
    }

    /// All that a listing, a neighbour's page or a machine-readable file shows of a page.
    static func card(of page: Page) -> Fingerprint {
        var card = Fingerprint()
        let metadata = page.metadata
        for text in [page.id.rawValue, page.type.rawValue, page.title, metadata.care?.rawValue ?? "", metadata.kind?.rawValue ?? "",
                     metadata.updated?.description ?? "", metadata.reviewed?.on.description ?? ""] {
            card.combine(text)
        }
        card.combine(metadata.summary != nil)
        card.combine(metadata.summary?.value ?? "")
        return card
    }

    private static func combine(_ ids: [PageID]?, into digest: inout Fingerprint) {
        digest.combine(ids?.count ?? -1)
        for id in ids ?? [] { digest.combine(id.rawValue) }
    }

    /// A content page, rendered through `template`.
    func page(_ page: Page, template: String, graph: ContentGraph, reviewOverdue: Bool?) -> String {
        var digest = site
        digest.combine(template)
        digest.combine(page.id.rawValue)
        digest.combine(page.type.rawValue)
        digest.combine(page.file.digest)
        digest.combine(page.body.htmlDigest)
        digest.combine(reviewOverdue == nil ? 0 : reviewOverdue! ? 1 : 2)
        func neighbours(_ ids: [PageID]?) {
            digest.combine(ids?.count ?? -1)
            for id in ids ?? [] {
                if let card = cards[id] { digest.combine(card) } else { digest.combine(id.rawValue) }
            }
        }
        let relations = graph.relations[page.id], inverse = graph.inverse[page.id]
        for kind in RelationKind.allCases {
            neighbours(relations?[kind])
            neighbours(inverse?[kind])
        }
        neighbours(graph.linkedFrom[page.id])
        return digest.hex
    }

    /// A listing or a machine-readable file, which may show any page.
    func listing(_ name: String, at path: String) -> String {
        var digest = everything
        digest.combine(name)
        digest.combine(path)
        return digest.hex
    }
}

extension RenderKeys: BinaryCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.write(site)
        writer.write(everything)
        writer.write(entries)
        writer.write(cards.count)
        for id in cards.keys.sorted() {
            writer.write(id)
            writer.write(cards[id]!)
        }
    }

    init(from reader: inout BinaryReader) throws {
        let site: Fingerprint = try reader.read(), everything: Fingerprint = try reader.read()
        let entries: [Fingerprint] = try reader.read()
        var cards: [PageID: Fingerprint] = [:]
        let count = try reader.readCount()
        cards.reserveCapacity(count)
        for _ in 0..<count { cards[try reader.read() as PageID] = try reader.read() as Fingerprint }
        self.init(site: site, cards: cards, entries: entries, everything: everything)
    }
}
