import ContentModel
import Diagnostics

/// Builds the graph from parsed pages and checks every edge: targets exist, have
/// the type the relation demands, and are not the page itself. Linear in pages + edges,
/// plus one sort of ids and one of titles.
///
/// It runs on every rebuild of `patella serve`, so it works on node numbers: each id is
/// hashed once per edge, a `Page` is copied only into the graph's own collections, and
/// edge lists are grouped with counting sorts and ordered by a precomputed id rank
/// instead of through `Set`s of strings.
public enum GraphBuilder {
    /// - Parameters:
    ///   - drafts: pages left out of this build, so a link to one can say why it is broken.
    ///   - undecoded: pages whose front-matter had errors (already reported): they exist,
    ///     so relations naming them are checked for type but never called missing.
    ///
    /// Where a hint could name one of several pages equally well (two titles with the
    /// same slug, two ids at the same edit distance), it names the first in `pages`.
    public static func build(
        settings: SiteSettings, pages: [Page], drafts: [PageID: PageType] = [:], undecoded: [PageID: PageType] = [:]
    ) -> (ContentGraph, [Diagnostic]) {
        let count = pages.count
        let kinds = RelationKind.allCases, kindCount = kinds.count

        // Nodes: every page id once (the last page with an id is the one the graph keeps),
        // then the ids that only edges name (pages whose front-matter failed).
        var nodes = [PageID: Int](minimumCapacity: count)
        var ids: [PageID] = []
        ids.reserveCapacity(count)
        var pageOfNode: [Int] = []
        pageOfNode.reserveCapacity(count)
        var nodeOfPage = [Int](repeating: 0, count: count)
        var duplicates = false
        for index in 0..<count {
            let id = pages[index].id
            if let existing = nodes.updateValue(ids.count, forKey: id) {
                nodes[id] = existing
                pageOfNode[existing] = index
                nodeOfPage[index] = existing
                duplicates = true
            } else {
                nodeOfPage[index] = ids.count
                ids.append(id)
                pageOfNode.append(index)
            }
        }
        let pageNodes = ids.count
        let types = pageOfNode.map { pages[$0].type }

        func node(_ id: PageID) -> Int {
            if let node = nodes[id] { return node }
            nodes[id] = ids.count
            ids.append(id)
            return ids.count - 1
        }

        var hints = Hints(ids: ids[..<pageNodes], titles: pageOfNode.lazy.map { pages[$0].title })
        func missing(_ id: PageID, at location: SourceLocation, what: String) -> Diagnostic {
            if let type = drafts[id] {
                return .error("link-draft", at: location, "\(what) '\(id)' is a draft \(type.rawValue) and is left out of this build",
                              hint: "publish it (remove 'draft: true') or remove the link; 'patella build --drafts' previews drafts")
            }
            let hint = (hints.page(titled: id) ?? hints.closest(to: id)).map { "did you mean '\($0)'?" }
            return .error("id-unknown", at: location, "\(what) '\(id)' does not exist", hint: hint)
        }

        func broken(_ link: LinkReference) -> Diagnostic {
            switch link.target {
            case .id(let id):
                return missing(id, at: link.location, what: "link to page")
            case .file(let path) where path.hasSuffix(".md"):
                let id = PageID(String(path.split(separator: "/").last?.dropLast(3) ?? ""))
                if let target = nodes[id], target < pageNodes {
                    let type = types[target]
                    return .error("link-broken", at: link.location,
                                  "broken link '\(link.written)': '\(id)' is a \(type.rawValue), in \(type.folder)/",
                                  hint: "write [[\(id)]] or ../\(type.folder)/\(id).md")
                }
                if drafts[id] != nil { return missing(id, at: link.location, what: "link to page") }
                return .error("link-broken", at: link.location, "broken link '\(link.written)': no page at \(path)",
                              hint: hints.closest(to: id).map { "did you mean [[\($0)]]?" })
            case .file(let path):
                return .error("link-broken", at: link.location, "broken link '\(link.written)': no file at \(path)",
                              hint: "images and downloads go in media/ and are linked as ../media/NAME")
            }
        }

        var diagnostics: [Diagnostic] = []
        var relations = [PageID: [RelationKind: [PageID]]](minimumCapacity: count)
        // Edges as parallel lists of node numbers; `inverseKeys` are target * kindCount + kind.
        var inverseKeys: [Int32] = [], inverseSources: [Int32] = []
        var inboundTargets: [Int32] = [], inboundSources: [Int32] = []
        var linkSources: [Int32] = [], linkTargets: [Int32] = []

        for index in 0..<count {
            let source = nodeOfPage[index]
            let written = pages[index].metadata.relations
            if !written.isEmpty {
                var forward: [RelationKind: [PageID]] = [:]
                for kind in kinds {
                    guard let targets = written[kind] else { continue }
                    var valid: [PageID] = []
                    valid.reserveCapacity(targets.count)
                    // By index, so only the id is read: a copy of a `Located` would touch its location too.
                    for position in targets.indices {
                        let id = targets[position].value
                        let known = nodes[id]
                        if known == source {
                            diagnostics.append(.error("link-self", at: targets[position].location, "page lists itself in '\(kind.rawValue)'",
                                                      hint: "remove '\(id)' from '\(kind.rawValue)'"))
                            continue
                        }
                        let pageType = known.flatMap { $0 < pageNodes ? types[$0] : nil }
                        guard let targetType = pageType ?? undecoded[id] else {
                            diagnostics.append(missing(id, at: targets[position].location, what: "page"))
                            continue
                        }
                        if let expected = kind.targetType, targetType != expected {
                            let home = kinds.first { $0.targetType == targetType }
                            diagnostics.append(.error(
                                "relation-type", at: targets[position].location,
                                "'\(id)' is a \(targetType.rawValue), but '\(kind.rawValue)' lists \(expected.rawValue) pages",
                                hint: home.map { "move it to '\($0.rawValue)'" } ?? "move it to 'related'"
                            ))
                            continue
                        }
                        valid.append(id)
                        let targetNode = known ?? node(id)
                        inverseKeys.append(Int32(targetNode * kindCount + kind.ordinal))
                        inverseSources.append(Int32(source))
                        inboundTargets.append(Int32(targetNode))
                        inboundSources.append(Int32(source))
                    }
                    forward[kind] = valid
                }
                if duplicates, let earlier = relations[ids[source]] {
                    relations[ids[source]] = earlier.merging(forward) { $1 }
                } else {
                    relations[ids[source]] = forward
                }
            }

            let links = pages[index].body.links
            for position in links.indices {
                guard let resolved = links[position].resolved else {
                    diagnostics.append(broken(links[position]))
                    continue
                }
                let target = node(resolved)
                if target == source {
                    diagnostics.append(.error("link-self", at: links[position].location, "page links to itself", hint: "remove the link"))
                    continue
                }
                linkSources.append(Int32(source))
                linkTargets.append(Int32(target))
                inboundTargets.append(Int32(target))
                inboundSources.append(Int32(source))
            }
        }

        // Every list of ids is sorted by id: rank all ids once, then sort integers.
        let nodeCount = ids.count
        let byID = (0..<nodeCount).sorted { ids[$0] < ids[$1] }
        var rank = [Int32](repeating: 0, count: nodeCount)
        for (position, node) in byID.enumerated() { rank[node] = Int32(position) }
        let idsByRank = byID.map { ids[$0] }

        let inbound = Buckets(keys: inboundTargets, values: inboundSources, count: nodeCount, rank: rank)
        var linkedFrom = [PageID: [PageID]](minimumCapacity: nodeCount)
        inbound.forEach(idsByRank) { node, list in linkedFrom[ids[node]] = list }

        let outbound = Buckets(keys: linkSources, values: linkTargets, count: nodeCount, rank: rank)
        var linksTo = [PageID: [PageID]](minimumCapacity: pageNodes)
        outbound.forEach(idsByRank) { node, list in linksTo[ids[node]] = list }

        let inverseBuckets = Buckets(keys: inverseKeys, values: inverseSources, count: nodeCount * kindCount, rank: rank)
        var inverse = [PageID: [RelationKind: [PageID]]](minimumCapacity: nodeCount)
        var current = -1, lists: [RelationKind: [PageID]] = [:]
        inverseBuckets.forEach(idsByRank) { key, list in
            if key / kindCount != current {
                if current >= 0 { inverse[ids[current]] = lists }
                current = key / kindCount
                lists = [:]
            }
            lists[kinds[key % kindCount]] = list
        }
        if current >= 0 { inverse[ids[current]] = lists }

        for index in 0..<count {
            let id = pages[index].id, type = pages[index].type
            if inbound.isEmpty(nodeOfPage[index]) {
                diagnostics.append(.warning(
                    "page-orphan", at: pages[index].file.location(line: 1, column: 1),
                    "no other page links to '\(id)'",
                    hint: type == .condition ? "it is still listed on the conditions index" : "link it from a condition or a related page"
                ))
            }
            if type == .condition {
                let written = pages[index].metadata.relations
                // Without a second page of the same id, no key written means no relations.
                for kind in [RelationKind.symptoms, .treatments]
                where written[kind] == nil && (!duplicates || (relations[id]?[kind] ?? []).isEmpty) {
                    diagnostics.append(.warning(
                        "condition-incomplete", at: pages[index].metadata.title.location,
                        "condition '\(id)' lists no \(kind.rawValue)",
                        hint: "add '\(kind.rawValue): [...]' so readers can move from the condition to its \(kind.rawValue)"
                    ))
                }
            }
        }

        let titleKeys = pageOfNode.map { pages[$0].title.lowercased() }
        let titleOrder = (0..<pageNodes).sorted {
            titleKeys[$0] == titleKeys[$1] ? rank[$0] < rank[$1] : titleKeys[$0] < titleKeys[$1]
        }
        let graph = ContentGraph(
            settings: settings, source: pages, nodes: nodes, nodeCount: nodeCount,
            pageOfNode: pageOfNode, titleOrder: titleOrder,
            relations: relations, inverse: inverse, linksTo: linksTo, linkedFrom: linkedFrom,
            context: duplicates ? nil : .init(drafts: drafts, undecoded: undecoded)
        )
        return (graph, diagnostics)
    }
}

/// Edges grouped by key with a counting sort; each group's values are kept as sorted,
/// distinct id ranks.
struct Buckets {
    private var start: [Int32]
    private var ranks: [Int32]
    private var end: [Int32]

    init(keys: [Int32], values: [Int32], count: Int, rank: [Int32]) {
        var start = [Int32](repeating: 0, count: count + 1)
        for key in keys { start[Int(key) + 1] += 1 }
        for key in 0..<count { start[key + 1] += start[key] }
        var next = start
        var ranks = [Int32](repeating: 0, count: keys.count)
        for (key, value) in zip(keys, values) {
            ranks[Int(next[Int(key)])] = rank[Int(value)]
            next[Int(key)] += 1
        }
        // Sort each group and drop repeats in place; `end` marks where each group stops.
        var end = [Int32](repeating: 0, count: count)
        ranks.withUnsafeMutableBufferPointer { buffer in
            for key in 0..<count {
                let lower = Int(start[key]), upper = Int(start[key + 1])
                guard upper > lower else { end[key] = Int32(lower); continue }
                if upper - lower > 1 { buffer[lower..<upper].sort() }
                var last = lower
                for position in (lower + 1)..<upper where buffer[position] != buffer[last] {
                    last += 1
                    buffer[last] = buffer[position]
                }
                end[key] = Int32(last + 1)
            }
        }
        self.start = start
        self.ranks = ranks
        self.end = end
    }

    func isEmpty(_ key: Int) -> Bool { start[key] == end[key] }

    /// Each non-empty group in key order, as ids.
    func forEach(_ idsByRank: [PageID], _ body: (Int, [PageID]) -> Void) {
        for key in 0..<end.count where start[key] != end[key] {
            body(key, ranks[Int(start[key])..<Int(end[key])].map { idsByRank[Int($0)] })
        }
    }
}

/// The "did you mean" of a missing id, computed only when some id is missing.
struct Hints {
    private let ids: ArraySlice<PageID>
    private let titles: LazyMapSequence<[Int], String>
    private var slugs: [String: String]?
    private var candidates: [String]?

    init(ids: ArraySlice<PageID>, titles: LazyMapSequence<[Int], String>) {
        self.ids = ids
        self.titles = titles
    }

    /// The page whose title an editor would turn into this id.
    mutating func page(titled id: PageID) -> String? {
        if slugs == nil {
            var slugs: [String: String] = [:]
            for (id, title) in zip(ids, titles) {
                let slug = PageID.slug(from: title)
                if slugs[slug] == nil { slugs[slug] = id.rawValue }
            }
            self.slugs = slugs
        }
        return slugs?[PageID.slug(from: id.rawValue)]
    }

    mutating func closest(to id: PageID) -> String? {
        if candidates == nil { candidates = ids.map(\.rawValue) }
        return Suggestion.closest(to: id.rawValue, in: candidates ?? [])
    }
}
