import ContentGraph
import ContentLoading
import ContentModel
import Diagnostics
import Markdown
import Rendering
import SearchIndex

/// What a check found, with where each finding came from and what the pages were
/// checked against: enough for a later build, told which pages changed, to check only those.
struct CheckedSite: Sendable {
    var loaded: LoadedContent
    var today: CalendarDate
    var includeDrafts: Bool
    /// Each page file's place in `loaded.pages`, by content-relative path.
    var sources: [String: Int]
    /// Each checked page's place in `pageDiagnostics`, by content-relative path.
    var positions: [String: Int]
    /// Each checked page's own findings: front-matter, body, lint.
    var pageDiagnostics: [[Diagnostic]]
    /// The rest but the graph's and the pinned searches': loader, site.yml, pages left out (drafts, undecoded).
    var otherDiagnostics: [Diagnostic]
    var linkContext: LinkContext
    var directoryFingerprint: String
    var lintInputs: String
    var drafts: [PageID: PageType]
    var undecoded: [PageID: PageType]
    var graph: ContentGraph
    var graphDiagnostics: [Diagnostic]
    var searchDiagnostics: [Diagnostic]
}

/// The last build `serve` published, and what it was made from.
struct LastBuild: Sendable {
    var checked: CheckedSite
    var renderer: SiteRenderer
}

extension SiteBuilder {
    /// The check of `last` with the pages in `changed` (content-relative paths) read
    /// again, in time proportional to them: nil unless that is all that happened and
    /// each still has its id, type and title, is no draft, and its links and relations
    /// point where they did (the graph's edges are unchanged). Else the caller checks
    /// everything: a title or a link target changed shows on other pages' bodies.
    static func recheck(_ changed: Set<String>, loaded: LoadedContent, last: CheckedSite, renderer: SiteRenderer,
                        options: BuildOptions, cache: PageCache, clock: inout StageClock)
        -> (result: BuildResult, checked: CheckedSite, changed: [Page], searchFiles: SearchChanges?)? {
        let before = last.loaded
        guard options.today == last.today, options.includeDrafts == last.includeDrafts,
              loaded.pages.count == before.pages.count, loaded.siteFile?.text == before.siteFile?.text,
              loaded.searchTestsFile?.text == before.searchTestsFile?.text, loaded.assets == before.assets,
              loaded.unreadablePages.map(\.id) == before.unreadablePages.map(\.id), loaded.diagnostics == before.diagnostics
        else { return nil }
        var checked = last
        checked.loaded = loaded
        var pages: [Page] = []
        // Paths that are no page of the last check (site.yml, media, an editor's temporary
        // file) changed nothing the comparisons above have not seen.
        for path in changed.sorted() where last.sources[path] != nil {
            guard let source = last.sources[path].map({ loaded.pages[$0] }), source.file.relativePath == path,
                  let position = last.positions[path], let old = last.graph[source.id], old.type == source.type,
                  case .success(let (split, decoded, found)) = cache.decoded(source), let metadata = decoded,
                  !metadata.draft || options.includeDrafts, metadata.title.value == old.title
            else { return nil }
            let body = cache.body(of: source, split: split, directory: last.directoryFingerprint, context: last.linkContext)
            pages.append(Page(id: source.id, type: source.type, file: source.file, metadata: metadata, body: body))
            checked.pageDiagnostics[position] = found + body.diagnostics
        }
        // Pages a memory kept as summaries that this build renders or indexes again (those
        // listing a changed page whose card changed, conditions listing a changed symptom)
        // are made whole from their files first.
        var whole: [Page] = []
        let changedIDs = Set(pages.map(\.id))
        let shown = renderer.pagesShowing(pages, in: last.graph)
            .union(DocumentBuilder.pagesShowing(pages, in: last.graph).map(\.id))
        for id in shown where !changedIDs.contains(id) {
            guard let summary = last.graph[id], !summary.body.isWhole else { continue }
            guard let page = reparse(summary, loaded: loaded, last: last, cache: cache) else { return nil }
            whole.append(page)
        }
        clock.lap("front-matter+markdown")
        guard let (graph, graphDiagnostics) = GraphBuilder.update(
            previous: last.graph, diagnostics: last.graphDiagnostics, changed: pages + whole, settings: last.graph.settings,
            drafts: last.drafts, undecoded: last.undecoded
        ) else { return nil }
        cache.lastGraph.withLock { $0?.graph = graph }
        checked.graph = graph
        clock.lap("graph")
        for page in pages {
            guard let linted = graph[page.id], let position = last.positions[page.file.relativePath] else { return nil }
            checked.pageDiagnostics[position] += lint(linted, settings: graph.settings, inputs: last.lintInputs,
                                                      today: options.today, cache: cache)
        }
        clock.lap("lint")
        // The kept search index, brought up to date here as a full check does when it
        // runs the pinned searches; the files that changed are written later.
        let changedPages = pages.compactMap { graph[$0.id] }
        let searchFiles = changedSearchFiles(changedPages, graph: graph, cache: cache)
        if loaded.searchTestsFile != nil {
            checked.searchDiagnostics = searchTests(loaded.searchTestsFile, graph: graph, cache: cache,
                                                    updated: searchFiles != nil).0
        }
        clock.lap("search")
        var result = BuildResult(
            diagnostics: (checked.otherDiagnostics + checked.pageDiagnostics.joined() + graphDiagnostics
                + checked.searchDiagnostics).sortedUnique(),
            graph: graph, timings: clock.timings
        )
        result.media = loaded.assets
        result.pagesChanged = changedPages.count
        return (result, checked, changedPages, searchFiles)
    }

    /// A page kept as a summary, parsed again from its unchanged file as the check that
    /// kept it parsed it: nil if the file or the result is not what was kept.
    static func reparse(_ summary: Page, loaded: LoadedContent, last: CheckedSite, cache: PageCache) -> Page? {
        guard let place = last.sources[summary.file.relativePath], loaded.pages.indices.contains(place),
              let source = ContentLoader.reread(loaded.pages[place], in: loaded), source.file.digest == summary.file.digest,
              case .success(let (split, decoded, _)) = cache.decoded(source), let metadata = decoded else { return nil }
        let body = cache.body(of: source, split: split, directory: last.directoryFingerprint, context: last.linkContext)
        guard body.htmlDigest == summary.body.htmlDigest else { return nil }
        return Page(id: summary.id, type: summary.type, file: source.file, metadata: metadata, body: body)
    }

    /// The search files that differ after `changed` were swapped into the last build's
    /// graph, and those gone; nil when every file must be looked at.
    static func changedSearchFiles(_ changed: [Page], graph: ContentGraph, cache: PageCache) -> SearchChanges? {
        let pages = DocumentBuilder.pagesShowing(changed, in: graph)
        // A page kept as a summary has no text to index (see `reparse`).
        guard pages.allSatisfy(\.body.isWhole) else { return nil }
        return cache.searchIndex.changedOutputs(replacing: DocumentBuilder.documents(of: pages, in: graph, cache: cache.search))
    }
}
