import ContentModel
import Diagnostics

/// The graph stage as it was before it was made fast (commit d5ce7cc): the straightforward
/// dictionaries-and-sets version, kept as the specification the fast one is tested against.
///
/// One change: where the old code took the first page of a dictionary (a "did you mean"
/// that two pages fit equally well), which varies from run to run, this takes the first
/// page in `pages` that the graph keeps, as `GraphBuilder` documents.
enum ReferenceGraphBuilder {
    static func build(
        settings: SiteSettings, pages: [Page], drafts: [PageID: PageType] = [:], undecoded: [PageID: PageType] = [:]
    ) -> (ReferenceGraph, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var byID: [PageID: Page] = [:]
        var firstSeen: [PageID] = []
        for page in pages {
            if byID[page.id] == nil { firstSeen.append(page.id) }
            byID[page.id] = page
        }
        let allIDs = firstSeen.map(\.rawValue)

        var relations: [PageID: [RelationKind: [PageID]]] = [:]
        var inverse: [PageID: [RelationKind: Set<PageID>]] = [:]
        var linksTo: [PageID: Set<PageID>] = [:]
        var linkedFrom: [PageID: Set<PageID>] = [:]

        func missing(_ id: PageID, at location: SourceLocation, what: String) -> Diagnostic {
            if let type = drafts[id] {
                return .error("link-draft", at: location, "\(what) '\(id)' is a draft \(type.rawValue) and is left out of this build",
                              hint: "publish it (remove 'draft: true') or remove the link; 'patella build --drafts' previews drafts")
            }
            let byTitle = firstSeen.lazy.compactMap { byID[$0] }
                .first { PageID.slug(from: $0.title) == PageID.slug(from: id.rawValue) }?.id.rawValue
            let hint = (byTitle ?? Suggestion.closest(to: id.rawValue, in: allIDs)).map { "did you mean '\($0)'?" }
            return .error("id-unknown", at: location, "\(what) '\(id)' does not exist", hint: hint)
        }

        for page in pages {
            for kind in RelationKind.allCases {
                guard let targets = page.metadata.relations[kind] else { continue }
                var valid: [PageID] = []
                for target in targets {
                    if target.value == page.id {
                        diagnostics.append(.error("link-self", at: target.location, "page lists itself in '\(kind.rawValue)'",
                                                  hint: "remove '\(target.value)' from '\(kind.rawValue)'"))
                        continue
                    }
                    guard let targetType = byID[target.value]?.type ?? undecoded[target.value] else {
                        diagnostics.append(missing(target.value, at: target.location, what: "page"))
                        continue
                    }
                    if let expected = kind.targetType, targetType != expected {
                        let home = RelationKind.allCases.first { $0.targetType == targetType }
                        diagnostics.append(.error(
                            "relation-type", at: target.location,
                            "'\(target.value)' is a \(targetType.rawValue), but '\(kind.rawValue)' lists \(expected.rawValue) pages",
                            hint: home.map { "move it to '\($0.rawValue)'" } ?? "move it to 'related'"
                        ))
                        continue
                    }
                    valid.append(target.value)
                    inverse[target.value, default: [:]][kind, default: []].insert(page.id)
                    linkedFrom[target.value, default: []].insert(page.id)
                }
                relations[page.id, default: [:]][kind] = valid
            }

            for link in page.body.links {
                if let resolved = link.resolved {
                    addBodyLink(from: page, to: resolved, link: link)
                } else {
                    diagnostics.append(broken(link))
                }
            }
        }

        func broken(_ link: LinkReference) -> Diagnostic {
            switch link.target {
            case .id(let id):
                return missing(id, at: link.location, what: "link to page")
            case .file(let path) where path.hasSuffix(".md"):
                let id = PageID(String(path.split(separator: "/").last?.dropLast(3) ?? ""))
                if let page = byID[id] {
                    return .error("link-broken", at: link.location,
                                  "broken link '\(link.written)': '\(id)' is a \(page.type.rawValue), in \(page.type.folder)/",
                                  hint: "write [[\(id)]] or ../\(page.type.folder)/\(id).md")
                }
                if drafts[id] != nil { return missing(id, at: link.location, what: "link to page") }
                return .error("link-broken", at: link.location, "broken link '\(link.written)': no page at \(path)",
                              hint: Suggestion.closest(to: id.rawValue, in: allIDs).map { "did you mean [[\($0)]]?" })
            case .file(let path):
                return .error("link-broken", at: link.location, "broken link '\(link.written)': no file at \(path)",
                              hint: "images and downloads go in media/ and are linked as ../media/NAME")
            }
        }

        func addBodyLink(from page: Page, to target: PageID, link: LinkReference) {
            if target == page.id {
                diagnostics.append(.error("link-self", at: link.location, "page links to itself", hint: "remove the link"))
                return
            }
            linksTo[page.id, default: []].insert(target)
            linkedFrom[target, default: []].insert(page.id)
        }

        for page in pages {
            if linkedFrom[page.id, default: []].isEmpty {
                diagnostics.append(.warning(
                    "page-orphan", at: page.file.location(line: 1, column: 1),
                    "no other page links to '\(page.id)'",
                    hint: page.type == .condition ? "it is still listed on the conditions index" : "link it from a condition or a related page"
                ))
            }
            if page.type == .condition {
                for kind in [RelationKind.symptoms, .treatments] where (relations[page.id]?[kind] ?? []).isEmpty && page.metadata.relations[kind] == nil {
                    diagnostics.append(.warning(
                        "condition-incomplete", at: page.metadata.title.location,
                        "condition '\(page.id)' lists no \(kind.rawValue)",
                        hint: "add '\(kind.rawValue): [...]' so readers can move from the condition to its \(kind.rawValue)"
                    ))
                }
            }
        }

        let graph = ReferenceGraph(
            settings: settings, pages: byID, relations: relations,
            inverse: inverse.mapValues { $0.mapValues { $0.sorted() } },
            linksTo: linksTo.mapValues { $0.sorted() }, linkedFrom: linkedFrom.mapValues { $0.sorted() }
        )
        return (graph, diagnostics)
    }
}

/// `ContentGraph` as it was before it was made fast.
struct ReferenceGraph {
    let settings: SiteSettings
    let pages: [PageID: Page]
    let relations: [PageID: [RelationKind: [PageID]]]
    let inverse: [PageID: [RelationKind: [PageID]]]
    let linksTo: [PageID: [PageID]]
    let linkedFrom: [PageID: [PageID]]

    init(
        settings: SiteSettings, pages: [PageID: Page], relations: [PageID: [RelationKind: [PageID]]],
        inverse: [PageID: [RelationKind: [PageID]]], linksTo: [PageID: [PageID]], linkedFrom: [PageID: [PageID]]
    ) {
        self.settings = settings
        self.pages = pages
        self.relations = relations
        self.inverse = inverse
        self.linksTo = linksTo
        self.linkedFrom = linkedFrom
        let byTitle = pages.values.map { (page: $0, key: $0.title.lowercased()) }
            .sorted { ($0.key, $0.page.id) < ($1.key, $1.page.id) }
        let pagesByType = Dictionary(grouping: byTitle.map(\.page), by: \.type)
        self.titleRank = Dictionary(uniqueKeysWithValues: byTitle.enumerated().map { ($1.page.id, $0) })
        self.pagesByType = pagesByType
        self.allPages = PageType.allCases.flatMap { pagesByType[$0] ?? [] }
    }

    subscript(id: PageID) -> Page? { pages[id] }

    let allPages: [Page]
    private let pagesByType: [PageType: [Page]]
    private let titleRank: [PageID: Int]

    func pages(of type: PageType) -> [Page] {
        pagesByType[type] ?? []
    }

    func related(_ id: PageID, _ kind: RelationKind) -> [Page] {
        (relations[id]?[kind] ?? []).compactMap { pages[$0] }
    }

    func inverse(_ id: PageID, _ kind: RelationKind) -> [Page] {
        byTitle((inverse[id]?[kind] ?? []).compactMap { pages[$0] })
    }

    func linkedFrom(_ id: PageID) -> [Page] {
        byTitle((linkedFrom[id] ?? []).compactMap { pages[$0] })
    }

    func byTitle(_ list: [Page]) -> [Page] {
        list.sorted { (titleRank[$0.id] ?? 0) < (titleRank[$1.id] ?? 0) }
    }
}
