import ContentGraph
import ContentModel
import Diagnostics
import Foundation
import SiteBuild
import Testing
import TestSupport

/// What a graph says through the API its callers use, as one comparable value.
protocol GraphReading {
    var allPages: [Page] { get }
    /// `pages` as a dictionary, read through each of its ways in.
    var pagesByID: [PageID: Page] { get }
    func page(_ id: PageID) -> Page?
    var relations: [PageID: [RelationKind: [PageID]]] { get }
    var inverse: [PageID: [RelationKind: [PageID]]] { get }
    var linksTo: [PageID: [PageID]] { get }
    var linkedFrom: [PageID: [PageID]] { get }
    func pages(of type: PageType) -> [Page]
    func related(_ id: PageID, _ kind: RelationKind) -> [Page]
    func inverse(_ id: PageID, _ kind: RelationKind) -> [Page]
    func linkedFrom(_ id: PageID) -> [Page]
    func byTitle(_ list: [Page]) -> [Page]
    subscript(id: PageID) -> Page? { get }
}

extension ContentGraph: GraphReading {
    var pagesByID: [PageID: Page] {
        let pairs = Dictionary(uniqueKeysWithValues: pages.map { ($0.key, $0.value) })
        let zipped = Dictionary(uniqueKeysWithValues: zip(pages.keys, pages.values))
        #expect(pairs.count == pages.count && zipped.count == pages.count && pages.isEmpty == pairs.isEmpty)
        #expect(pairs.mapValues(GraphSnapshot.value) == zipped.mapValues(GraphSnapshot.value))
        return pairs
    }
    func page(_ id: PageID) -> Page? { pages[id] }
}

extension ReferenceGraph: GraphReading {
    var pagesByID: [PageID: Page] { pages }
    func page(_ id: PageID) -> Page? { pages[id] }
}

struct GraphSnapshot: Equatable, CustomStringConvertible {
    var allPages: [String]
    var pages: [PageID: String]
    var byType: [[PageID]]
    var relations: [PageID: [RelationKind: [PageID]]]
    var inverse: [PageID: [RelationKind: [PageID]]]
    var linksTo: [PageID: [PageID]]
    var linkedFrom: [PageID: [PageID]]
    var queries: [String: [PageID]]

    /// A page's value, enough to tell an old value from a new one.
    static func value(_ page: Page) -> String {
        "\(page.id)|\(page.type)|\(page.title)|\(page.metadata.title.location)|\(page.file.displayPath)|\(page.body.html)"
    }

    init(_ graph: some GraphReading, extra: [Page] = []) {
        allPages = graph.allPages.map(Self.value)
        let byID = graph.pagesByID
        pages = byID.mapValues(Self.value)
        byType = PageType.allCases.map { graph.pages(of: $0).map(\.id) }
        relations = graph.relations
        inverse = graph.inverse
        linksTo = graph.linksTo
        linkedFrom = graph.linkedFrom
        var queries: [String: [PageID]] = [:]
        // Every id any edge names, and some that name nothing.
        var ids = Set(byID.keys).union(graph.linkedFrom.keys).union(graph.inverse.keys)
        ids.formUnion(["no-such-page", ""])
        for id in ids {
            for kind in RelationKind.allCases {
                queries["related \(id) \(kind)"] = graph.related(id, kind).map(\.id)
                queries["inverse \(id) \(kind)"] = graph.inverse(id, kind).map(\.id)
            }
            queries["linkedFrom \(id)"] = graph.linkedFrom(id).map(\.id)
            queries["subscript \(id)"] = graph[id].map { [$0.id] } ?? []
            queries["pages[id] \(id)"] = graph.page(id).map { [$0.id, PageID(Self.value($0))] } ?? []
            // What the page template lists as related.
            let related = graph.related(id, .related) + graph.inverse(id, .related)
            queries["byTitle related \(id)"] = graph.byTitle(related).map(\.id)
        }
        // Pages the graph does not hold sort first, in the order given; all of them reversed.
        queries["byTitle all"] = graph.byTitle(graph.allPages.reversed() + extra).map(\.id)
        queries["byTitle extra"] = graph.byTitle(extra + graph.allPages.prefix(3) + extra.reversed()).map(\.id)
        self.queries = queries
    }

    var description: String { "\(allPages.count) pages" }

    /// The first differences, for a readable failure.
    func differences(from other: GraphSnapshot) -> [String] {
        var out: [String] = []
        if allPages != other.allPages { out.append("allPages: \(allPages) vs \(other.allPages)") }
        if pages != other.pages { out.append("pages differ") }
        if byType != other.byType { out.append("byType: \(byType) vs \(other.byType)") }
        if relations != other.relations { out.append("relations: \(relations) vs \(other.relations)") }
        if inverse != other.inverse { out.append("inverse: \(inverse) vs \(other.inverse)") }
        if linksTo != other.linksTo { out.append("linksTo: \(linksTo) vs \(other.linksTo)") }
        if linkedFrom != other.linkedFrom { out.append("linkedFrom: \(linkedFrom) vs \(other.linkedFrom)") }
        for (key, value) in queries where other.queries[key] != value {
            out.append("\(key): \(value) vs \(other.queries[key] ?? [])")
        }
        return Array(out.prefix(5))
    }
}

/// A site to edit: pages plus what the graph stage gets beside them.
struct SiteInput {
    var settings: SiteSettings
    var pages: [Page]
    var drafts: [PageID: PageType] = [:]
    var undecoded: [PageID: PageType] = [:]

    func build() -> (ContentGraph, [Diagnostic]) {
        GraphBuilder.build(settings: settings, pages: pages, drafts: drafts, undecoded: undecoded)
    }

    func reference() -> (ReferenceGraph, [Diagnostic]) {
        ReferenceGraphBuilder.build(settings: settings, pages: pages, drafts: drafts, undecoded: undecoded)
    }

    /// Real pages, as the build parsed them.
    static func load(_ directory: String) async throws -> SiteInput {
        let result = await SiteBuilder.check(BuildOptions(contentDirectory: directory))
        let graph = try #require(result.graph)
        return SiteInput(settings: graph.settings, pages: graph.allPages.sorted { $0.file.displayPath < $1.file.displayPath })
    }
}

/// Random edits of the kinds editors make, and of the kinds that break things.
struct Editor {
    var random: SplitMix

    mutating func pick<T>(_ list: [T]) -> T { list[Int.random(in: 0..<list.count, using: &random)] }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &random) < p }
    mutating func location(_ page: Page) -> Diagnostics.SourceLocation {
        page.file.location(line: Int.random(in: 1...80, using: &random), column: Int.random(in: 1...40, using: &random))
    }

    /// An id to point at: a page, the page itself, a near miss, a draft, an undecoded page or nonsense.
    mutating func target(for page: Page, in site: SiteInput) -> PageID {
        let ids = site.pages.map(\.id)
        switch Int.random(in: 0..<10, using: &random) {
        case 0: return page.id
        case 1:
            var text = pick(ids).rawValue
            if !text.isEmpty { text.remove(at: text.index(text.startIndex, offsetBy: Int.random(in: 0..<text.count, using: &random))) }
            return PageID(text)
        case 2: return PageID(pick(ids).rawValue + pick(["s", "-x", ""]))
        case 3: return site.drafts.keys.sorted().first.map { chance(0.7) ? $0 : pick(ids) } ?? pick(ids)
        case 4: return site.undecoded.keys.sorted().first.map { chance(0.7) ? $0 : pick(ids) } ?? pick(ids)
        case 5: return PageID(pick(["swelling", "knee", "x", "when-to-see-a-doctor", "Runner's Knee"]))
        default: return pick(ids)
        }
    }

    mutating func link(for page: Page, in site: SiteInput) -> LinkReference {
        let id = target(for: page, in: site)
        let known = site.pages.contains { $0.id == id } || site.undecoded[id] != nil
        let folder = pick(PageType.allCases).folder
        switch Int.random(in: 0..<4, using: &random) {
        case 0: return LinkReference(target: .file("\(folder)/\(id).md"), written: "../\(folder)/\(id).md", location: location(page),
                                     resolved: known && chance(0.5) ? id : nil)
        case 1: return LinkReference(target: .file("media/\(id).png"), written: "../media/\(id).png", location: location(page), resolved: nil)
        default: return LinkReference(target: .id(id), written: "[[\(id)]]", location: location(page), resolved: known ? id : nil)
        }
    }

    func withBody(_ page: Page, html: String? = nil, links: [LinkReference]? = nil) -> Page {
        var page = page
        let body = page.body
        page.body = ParsedBody(html: html ?? body.html, headings: body.headings, links: links ?? body.links, linkTexts: body.linkTexts,
                               images: body.images, callouts: body.callouts, plainText: body.plainText, diagnostics: body.diagnostics)
        return page
    }

    /// One random edit of one page: anything at all.
    mutating func anyEdit(_ page: Page, in site: SiteInput) -> Page {
        var page = page
        switch Int.random(in: 0..<12, using: &random) {
        case 0, 1:
            let kind = pick(RelationKind.allCases)
            let added = Located(target(for: page, in: site), at: location(page))
            let position = Int.random(in: 0...(page.metadata.relations[kind]?.count ?? 0), using: &random)
            page.metadata.relations[kind, default: []].insert(added, at: position)
        case 2:
            let kind = pick(RelationKind.allCases)
            if chance(0.5) { page.metadata.relations[kind] = nil } else { page.metadata.relations[kind] = [] }
        case 3:
            if let kind = page.metadata.relations.keys.sorted(by: { $0.rawValue < $1.rawValue }).first,
               var list = page.metadata.relations[kind], !list.isEmpty {
                list.remove(at: Int.random(in: 0..<list.count, using: &random))
                page.metadata.relations[kind] = list
            }
        case 4, 5:
            var links = page.body.links
            links.insert(link(for: page, in: site), at: Int.random(in: 0...links.count, using: &random))
            page = withBody(page, links: links)
        case 6:
            var links = page.body.links
            if !links.isEmpty { links.remove(at: Int.random(in: 0..<links.count, using: &random)) }
            page = withBody(page, links: links)
        case 7:
            let other = pick(site.pages).title
            page.metadata.title.value = pick([other, other.uppercased(), other.lowercased(), page.title + " again", "Ärger ünd Knie", "a"])
        case 8: page.type = pick(PageType.allCases)
        case 9: page.metadata.title.location = location(page)
        case 10: page = withBody(page, links: page.body.links.shuffled(using: &random))
        default: page = shifted(page, lines: Int.random(in: -3...3, using: &random))
        }
        return page
    }

    /// The page with every link and relation target moved down `lines` lines.
    func shifted(_ page: Page, lines: Int) -> Page {
        var page = page
        func move(_ location: Diagnostics.SourceLocation) -> Diagnostics.SourceLocation {
            var location = location
            location.line = location.line.map { max(1, $0 + lines) }
            return location
        }
        page.metadata.relations = page.metadata.relations.mapValues { $0.map { Located($0.value, at: move($0.location)) } }
        return withBody(page, links: page.body.links.map {
            var link = $0
            link.location = move(link.location)
            return link
        })
    }

    /// A broken copy of a real site: edited pages, drafts, undecoded pages, maybe a repeated id.
    mutating func mess(_ site: SiteInput, edits: Int, duplicates: Bool) -> SiteInput {
        var site = site
        for _ in 0..<Int.random(in: 0...2, using: &random) where site.pages.count > 2 {
            let gone = site.pages.remove(at: Int.random(in: 0..<site.pages.count, using: &random))
            if chance(0.5) { site.drafts[gone.id] = gone.type } else { site.undecoded[gone.id] = gone.type }
        }
        for _ in 0..<edits {
            let index = Int.random(in: 0..<site.pages.count, using: &random)
            site.pages[index] = anyEdit(site.pages[index], in: site)
        }
        if duplicates, chance(0.5) {
            var copy = anyEdit(pick(site.pages), in: site)
            copy.file.displayPath += ".copy"
            site.pages.insert(copy, at: Int.random(in: 0...site.pages.count, using: &random))
        }
        if chance(0.3) { site.pages.shuffle(using: &random) }
        return site
    }
}

@Suite struct GraphEquivalenceTests {
    static let sites = [TestPaths.content, TestPaths.fixtureSite + "/Content"]

    func expectSame(_ graph: some GraphReading, _ diagnostics: [Diagnostic], as expected: some GraphReading, _ expectedDiagnostics: [Diagnostic],
                    extra: [Page] = [], _ comment: String) {
        let got = GraphSnapshot(graph, extra: extra), want = GraphSnapshot(expected, extra: extra)
        #expect(got == want, "\(comment): \(got.differences(from: want))")
        #expect(diagnostics == expectedDiagnostics, "\(comment): \(diagnostics.map(\.message)) vs \(expectedDiagnostics.map(\.message))")
    }

    @Test(arguments: sites)
    func unchangedSiteBuildsAsTheReferenceDoes(_ directory: String) async throws {
        let site = try await SiteInput.load(directory)
        let (graph, diagnostics) = site.build()
        let (reference, expected) = site.reference()
        expectSame(graph, diagnostics, as: reference, expected, "unchanged")
        // The public initializer gives the same graph as the builder.
        let rebuilt = ContentGraph(settings: graph.settings, pages: graph.pagesByID, relations: graph.relations, inverse: graph.inverse,
                                   linksTo: graph.linksTo, linkedFrom: graph.linkedFrom)
        expectSame(rebuilt, [], as: reference, [], "public init")
    }

    /// Random broken sites, built by the fast builder and by the reference one.
    @Test(arguments: sites)
    func brokenSitesBuildAsTheReferenceDoes(_ directory: String) async throws {
        let site = try await SiteInput.load(directory)
        for seed in UInt64(1)...150 {
            var editor = Editor(random: SplitMix(seed: seed))
            let messed = editor.mess(site, edits: Int.random(in: 1...25, using: &editor.random), duplicates: true)
            let (graph, diagnostics) = messed.build()
            let (reference, expected) = messed.reference()
            var foreign = messed.pages[0]
            foreign.id = PageID(foreign.id.rawValue + "-elsewhere")
            expectSame(graph, diagnostics, as: reference, expected, extra: [foreign, messed.pages[0]], "seed \(seed)")
        }
    }
}

@Suite struct GraphUpdateTests {
    func expectSame(_ update: (ContentGraph, [Diagnostic]), asFullBuildOf site: SiteInput, _ comment: String) {
        let (graph, diagnostics) = site.build()
        let got = GraphSnapshot(update.0), want = GraphSnapshot(graph)
        #expect(got == want, "\(comment): \(got.differences(from: want))")
        #expect(update.1 == diagnostics, "\(comment): \(update.1.map(\.message)) vs \(diagnostics.map(\.message))")
        #expect(update.0.settings.title == graph.settings.title)
    }

    func update(_: SiteInput, _ built: (ContentGraph, [Diagnostic]), to after: SiteInput, changed: [Page]) -> (ContentGraph, [Diagnostic])? {
        GraphBuilder.update(previous: built.0, diagnostics: built.1, changed: changed, settings: after.settings,
                            drafts: after.drafts, undecoded: after.undecoded)
    }

    /// Any random edit of one or a few pages: whenever the fast path answers, it answers
    /// what a full build does.
    @Test(arguments: GraphEquivalenceTests.sites)
    func randomEditsGiveWhatAFullBuildGives(_ directory: String) async throws {
        let site = try await SiteInput.load(directory)
        var answered = 0, total = 0
        for seed in UInt64(1)...60 {
            var editor = Editor(random: SplitMix(seed: seed))
            let before = editor.mess(site, edits: Int.random(in: 0...8, using: &editor.random), duplicates: false)
            let built = before.build()
            for round in 0..<8 {
                var after = before
                var changed: [Int] = []
                for _ in 0..<Int.random(in: 1...3, using: &editor.random) {
                    let index = Int.random(in: 0..<after.pages.count, using: &editor.random)
                    var page = after.pages[index]
                    for _ in 0..<Int.random(in: 1...2, using: &editor.random) {
                        page = editor.chance(0.5) ? editor.anyEdit(page, in: after) : editor.withBody(page, html: "<p>\(seed) \(round)</p>")
                    }
                    after.pages[index] = page
                    changed.append(index)
                }
                total += 1
                if let fast = update(before, built, to: after, changed: changed.map { after.pages[$0] }) {
                    answered += 1
                    expectSame(fast, asFullBuildOf: after, "seed \(seed) round \(round)")
                }
            }
        }
        // The edits above are half harmless; a fast path that always gave up would pass the checks above.
        #expect(answered > total / 5, "\(answered) of \(total)")
    }

    /// Edits that leave the graph's edges and diagnostics alone are always taken on the
    /// fast path: new text, moved valid links, links reordered or repeated.
    @Test(arguments: GraphEquivalenceTests.sites)
    func bodyEditsTakeTheFastPath(_ directory: String) async throws {
        let site = try await SiteInput.load(directory)
        for seed in UInt64(1)...40 {
            var editor = Editor(random: SplitMix(seed: seed))
            let before = editor.mess(site, edits: Int.random(in: 0...6, using: &editor.random), duplicates: false)
            let built = before.build()
            var after = before
            let index = Int.random(in: 0..<after.pages.count, using: &editor.random)
            var page = editor.withBody(after.pages[index], html: "<p>edited \(seed)</p>")
            let id = page.id
            // Valid links: moved, reordered, one repeated. Links with diagnostics stay where they were.
            var valid = page.body.links.filter { $0.resolved != nil && $0.resolved != id }
            let problems = page.body.links.filter { $0.resolved == nil || $0.resolved == id }
            valid = editor.shifted(editor.withBody(page, links: valid), lines: 2).body.links.shuffled(using: &editor.random)
            if let first = valid.first { valid.append(first) }
            page = editor.withBody(page, links: problems + valid)
            // Valid relation targets may move too.
            for (kind, targets) in page.metadata.relations {
                let kept = built.0.relations[id]?[kind] ?? []
                page.metadata.relations[kind] = targets.map {
                    kept.contains($0.value) ? Located($0.value, at: page.file.location(line: 99, column: 9)) : $0
                }
            }
            after.pages[index] = page
            let fast = try #require(update(before, built, to: after, changed: [page]), "seed \(seed): \(id)")
            expectSame(fast, asFullBuildOf: after, "seed \(seed)")
            #expect(fast.0[id]?.body.html == "<p>edited \(seed)</p>")
        }
    }

    @Test func editsThatChangeTheGraphTakeTheFullPath() async throws {
        let site = try await SiteInput.load(TestPaths.fixtureSite + "/Content")
        let built = site.build()
        let condition = try #require(site.pages.firstIndex { $0.id == "sample-condition" })
        let page = site.pages[condition]
        let editor = Editor(random: SplitMix(seed: 1))
        func fastPath(_ edited: Page, drafts: [PageID: PageType] = [:]) -> Bool {
            var after = site
            after.pages[condition] = edited
            after.drafts = drafts
            return update(site, built, to: after, changed: [edited]) != nil
        }
        #expect(fastPath(page))
        var retitled = page
        retitled.metadata.title.value += " (new)"
        #expect(!fastPath(retitled))
        var retyped = page
        retyped.type = .guide
        #expect(!fastPath(retyped))
        // Dropping one of two links to a page changes nothing; dropping both does.
        let first = try #require(page.body.links.first { $0.resolved != nil })
        let repeated = try #require(page.body.links.lastIndex { $0.resolved == first.resolved })
        var links = page.body.links
        links.remove(at: repeated)
        #expect(fastPath(editor.withBody(page, links: links)))
        #expect(!fastPath(editor.withBody(page, links: page.body.links.filter { $0.resolved != first.resolved })))
        let broken = editor.withBody(page, links: page.body.links + [
            LinkReference(target: .id("nowhere"), written: "[[nowhere]]", location: page.file.location(line: 3, column: 1), resolved: nil),
        ])
        #expect(!fastPath(broken))
        var related = page
        related.metadata.relations[.related, default: []].append(Located("ache", at: page.file.location(line: 2, column: 2)))
        #expect(!fastPath(related))
        #expect(!fastPath(page, drafts: ["elsewhere": .guide]))
        var unknown = page
        unknown.id = "elsewhere"
        #expect(!fastPath(unknown))
    }

    /// A broken link that moves changes where its diagnostic points: full path, and then
    /// the same diagnostics as a full build.
    @Test func aMovedBrokenLinkTakesTheFullPath() async throws {
        var site = try await SiteInput.load(TestPaths.fixtureSite + "/Content")
        let index = try #require(site.pages.firstIndex { $0.id == "ache" })
        let editor = Editor(random: SplitMix(seed: 2))
        let page = site.pages[index]
        func withBroken(line: Int) -> Page {
            editor.withBody(page, links: page.body.links + [
                LinkReference(target: .id("swelling"), written: "[[swelling]]", location: page.file.location(line: line, column: 4), resolved: nil),
            ])
        }
        site.pages[index] = withBroken(line: 7)
        let built = site.build()
        var after = site
        after.pages[index] = withBroken(line: 8)
        #expect(update(site, built, to: after, changed: [after.pages[index]]) == nil)
        after.pages[index] = editor.withBody(withBroken(line: 7), html: "<p>new</p>")
        let fast = try #require(update(site, built, to: after, changed: [after.pages[index]]))
        expectSame(fast, asFullBuildOf: after, "same broken link, new text")
    }
}
