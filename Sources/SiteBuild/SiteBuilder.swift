import ContentGraph
import ContentLinting
import ContentLoading
import ContentModel
import Diagnostics
import Foundation
import FrontMatter
import Markdown
import Rendering
import SearchIndex
import SiteWriting

public struct BuildOptions: Sendable {
    public var contentDirectory: String
    public var themeDirectory: String
    public var outputDirectory: String
    public var includeDrafts: Bool
    /// The day review dates are judged against (SOURCE_DATE_EPOCH or today).
    public var today: CalendarDate

    public init(contentDirectory: String = "Content", themeDirectory: String = "Theme", outputDirectory: String = "Output",
                includeDrafts: Bool = false, today: CalendarDate = .today()) {
        self.contentDirectory = contentDirectory
        self.themeDirectory = themeDirectory
        self.outputDirectory = outputDirectory
        self.includeDrafts = includeDrafts
        self.today = today
    }
}

public struct StageTiming: Sendable {
    public var stage: String
    public var seconds: Double
}

public struct BuildResult: Sendable {
    public var diagnostics: [Diagnostic]
    public var graph: ContentGraph?
    public var pagesWritten = 0
    /// Pages checked again because they changed, when the build was told which did and
    /// redid only what they change; nil for a build that checked every page.
    public var pagesChanged: Int?
    /// Files whose bytes were written, and files left as they were (same input or same bytes).
    public var filesWritten = 0
    public var filesUnchanged = 0
    public var timings: [StageTiming] = []
    /// Files of `Content/media/` to copy into the site.
    public var media: [AssetFile] = []
    /// The search index, when checking the pinned searches already built it.
    public var searchIndex: InvertedIndex?
}

/// The orchestrator: runs the stages in order and is the only code that knows them all.
public enum SiteBuilder {
    /// Load, decode, parse and link every page: everything `check` does, writing nothing.
    /// With a cache (kept by `serve` between rebuilds), unchanged pages are not decoded,
    /// parsed or linted again.
    public static func check(_ options: BuildOptions, cache: PageCache = PageCache()) async -> BuildResult {
        var clock = StageClock()
        let (loaded, _) = load(options, cache: cache, clock: &clock)
        return await check(options, loaded: loaded, cache: cache, clock: &clock).result
    }

    /// The content folder, read again where it changed; and the files reported changed
    /// since the last load, when a watcher reports them.
    static func load(_ options: BuildOptions, cache: PageCache, clock: inout StageClock) -> (LoadedContent, Set<String>?) {
        // What changed is known from the next report on; what this load sees is now old.
        let changed = cache.changedSinceLoad.withLock { known in
            defer { known = cache.changesReported ? [] : nil }
            return known
        }
        let previous = cache.lastLoad.withLock { $0 }
        let loaded = ContentLoader.load(contentDirectory: options.contentDirectory, reusing: previous, changedSince: changed)
        cache.lastLoad.withLock { $0 = loaded }
        clock.lap("load")
        // A process continuing from a memory was told nothing: what changed is what it read again.
        if changed == nil, cache.remembers, let previous { return (loaded, loaded.changedFiles(since: previous)) }
        return (loaded, changed)
    }

    static func check(_ options: BuildOptions, loaded: LoadedContent, cache: PageCache,
                      clock: inout StageClock) async -> (result: BuildResult, checked: CheckedSite?) {
        var diagnostics = loaded.diagnostics

        var settings: SiteSettings?
        if let siteFile = loaded.siteFile {
            let decoded = SiteSettingsDecoder.decode(siteFile)
            settings = decoded.0
            diagnostics += decoded.1
        }

        var decodedPages: [(PageSource, SplitPage, PageMetadata)] = []
        // The findings of each page in `decodedPages`; findings of pages left out stay in `diagnostics`.
        var pageDiagnostics: [[Diagnostic]] = []
        var drafts: [PageID: PageType] = [:]
        // Pages whose front-matter failed still exist: links to them are not broken,
        // and reporting them so would bury the one real error under echoes.
        var undecoded: [PageDirectory.Entry] = loaded.unreadablePages
        cache.keep(only: Set(loaded.pages.map(\.file.displayPath)))
        // YAML decoding is per page and CPU-bound: on all cores, then gathered in order.
        let outcomes = loaded.pages.concurrentMap { cache.decoded($0) }
        for (source, outcome) in zip(loaded.pages, outcomes) {
            switch outcome {
            case .failure(let diagnostic):
                diagnostics.append(diagnostic)
                undecoded.append(.init(id: source.id, type: source.type, title: source.id.rawValue))
            case .success(let (split, metadata, found)):
                guard let metadata else {
                    diagnostics += found
                    undecoded.append(.init(id: source.id, type: source.type, title: source.id.rawValue))
                    continue
                }
                if metadata.draft, !options.includeDrafts {
                    diagnostics += found
                    drafts[source.id] = source.type
                } else {
                    decodedPages.append((source, split, metadata))
                    pageDiagnostics.append(found)
                }
            }
        }
        clock.lap("front-matter")

        let directory = PageDirectory(decodedPages.map { .init(id: $0.0.id, type: $0.0.type, title: $0.2.title.value) } + undecoded)
        let linkContext = LinkContext(directory: directory, assets: Set(loaded.assets.map(\.outputPath)))
        let directoryFingerprint = directory.fingerprint(assets: linkContext.assets)
        let pages = await parseBodies(decodedPages, context: linkContext, directory: directoryFingerprint, cache: cache)
        for index in pages.indices { pageDiagnostics[index] += pages[index].body.diagnostics }
        clock.lap("markdown")

        guard let settings else {
            return (BuildResult(diagnostics: (diagnostics + pageDiagnostics.joined()).sortedUnique(), graph: nil,
                                timings: clock.timings), nil)
        }
        // Reading-level scoring is per page and CPU-bound: spread over the cores, and begun
        // before the graph, whose building is sequential and does not change a page's findings.
        var lintDigest = Fingerprint()
        lintDigest.combine(directoryFingerprint)
        lintDigest.combine(loaded.siteFile?.text ?? "")
        lintDigest.combine(options.today.description)
        let lintInputs = lintDigest.hex, today = options.today
        async let linted = inChunks(pages) { page in
            lint(page, settings: settings, inputs: lintInputs, today: today, cache: cache)
        }
        let undecodedTypes = Dictionary(uniqueKeysWithValues: undecoded.map { ($0.id, $0.type) })
        let (graph, graphDiagnostics) = buildGraph(settings: settings, pages: pages, drafts: drafts,
                                                   undecoded: undecodedTypes, cache: cache)
        clock.lap("graph")
        let positions = Dictionary(pages.enumerated().map { ($1.file.relativePath, $0) }) { first, _ in first }
        let sources = Dictionary(loaded.pages.enumerated().map { ($1.file.relativePath, $0) }) { first, _ in first }
        // Only the pages the graph holds are reported on (of two pages with one id, one is).
        let inGraph = Set(graph.allPages.map(\.file.relativePath))
        for (page, found) in zip(pages, await linted) where inGraph.contains(page.file.relativePath) {
            pageDiagnostics[positions[page.file.relativePath]!] += found
        }
        clock.lap("lint")
        let (searchDiagnostics, searchIndex) = searchTests(loaded.searchTestsFile, graph: graph, cache: cache)
        clock.lap("search tests")
        var result = BuildResult(
            diagnostics: (diagnostics + pageDiagnostics.joined() + graphDiagnostics + searchDiagnostics).sortedUnique(),
            graph: graph, timings: clock.timings
        )
        result.media = loaded.assets
        result.searchIndex = searchIndex
        let checked = CheckedSite(
            loaded: loaded, today: options.today, includeDrafts: options.includeDrafts, sources: sources,
            positions: positions, pageDiagnostics: pageDiagnostics,
            otherDiagnostics: diagnostics, linkContext: linkContext, directoryFingerprint: directoryFingerprint,
            lintInputs: lintInputs, drafts: drafts, undecoded: undecodedTypes, graph: graph, graphDiagnostics: graphDiagnostics,
            searchDiagnostics: searchDiagnostics
        )
        return (result, checked)
    }

    /// Lint findings for one page, reused from the cache while their inputs are unchanged.
    static func lint(_ page: Page, settings: SiteSettings, inputs: String, today: CalendarDate,
                     cache: PageCache) -> [Diagnostic] {
        cache.lint(page, inputs: inputs) { ContentLinter.lint($0, settings: settings, today: today) }
    }

    /// Checks, then renders and writes the site; writes nothing at all if any error was found.
    /// Told which pages changed since a build it published (`serve`), it checks, renders
    /// and writes only what those pages change, where it can tell.
    public static func build(_ options: BuildOptions, cache: PageCache = PageCache()) async -> BuildResult {
        var clock = StageClock()
        let (recalled, continuing) = cache.remembers ? recall(options, cache: cache, clock: &clock) : (false, nil)
        var (loaded, changed) = load(options, cache: cache, clock: &clock)
        let last = cache.lastBuild.withLock { last in
            defer { last = nil }
            return last
        }
        var result: BuildResult, checked: CheckedSite?, changes: [Page]?, searchFiles: SearchChanges?
        if let last, let changed,
           let rechecked = recheck(changed, loaded: loaded, last: last.checked, renderer: last.renderer, options: options,
                                   cache: cache, clock: &clock) {
            (result, checked, changes, searchFiles) = (rechecked.result, rechecked.checked, rechecked.changed, rechecked.searchFiles)
        } else {
            if recalled { loaded = reload(options, cache: cache, clock: &clock) }
            (result, checked) = await check(options, loaded: loaded, cache: cache, clock: &clock)
        }
        let (theme, themeDiagnostics) = Theme.load(directory: options.themeDirectory, reusing: last?.renderer.theme)
        result.diagnostics = (result.diagnostics + themeDiagnostics).sortedUnique()
        clock.lap("theme")
        result.timings = clock.timings
        guard !result.diagnostics.hasErrors, var graph = result.graph, let theme else { return result }

        let staged: StagedOutput
        switch StagedOutput.prepare(outputDirectory: options.outputDirectory,
                                    protecting: [options.contentDirectory, options.themeDirectory]) {
        case .failure(let diagnostic):
            result.diagnostics.append(diagnostic)
            return result
        case .success(let output):
            staged = output
        }

        let previous = changes == nil ? nil : last?.renderer
        var renderer = SiteRenderer(theme: theme, graph: graph, disclaimerHTML: MarkdownSnippet.html(graph.settings.disclaimer),
                                    today: options.today, updating: previous, changed: changes ?? [])
        let assets = theme.assets + result.media
        var errors: [Diagnostic] = []
        var committed = false
        var stagedMemory: BuildMemory.StagedMemory?
        // A build continuing from another process's memory: only while the published
        // site is still the one that memory describes, now that this build holds the lock.
        if let changes, let previous, let searchFiles, continuing == nil || continuing == staged.publishedRecord,
           let pages = renderer.pagesToRender(after: changes, previous: previous), pages.allSatisfy(\.body.isWhole) {
            // Only the pages that show a changed page, and the search files that changed;
            // the rest of the spare is the published site's. Beside them, the memory is
            // encoded and written (a third of a `patella build` process's rebuild when it
            // came after the swap); nothing here changes what it is made of.
            let remembered = cache.remembers ? checked : nil, memoryRenderer = renderer
            async let memory = { () -> BuildMemory.StagedMemory? in
                guard let remembered else { return nil }
                return BuildMemory.Parts(checked: remembered, renderer: memoryRenderer, searchIndex: cache.searchIndex)?.stage(options)
            }()
            errors = await renderAndWrite(pages: pages, renderer: renderer, to: staged)
                + writeSiteFiles(renderer: renderer, searchFiles: searchFiles.files, assets: assets, to: staged)
            clock.lap("render+write")
            if errors.isEmpty {
                let outcome = staged.commitChanges(continuing: continuing != nil, removing: Set(searchFiles.vanished))
                committed = outcome.committed
                errors += [outcome.error].compactMap { $0 }
            }
            stagedMemory = await memory
            if !committed || !errors.isEmpty {
                // The whole site is written below (and its memory with it), or nothing is.
                stagedMemory?.discard()
                stagedMemory = nil
            }
        }
        if !committed, errors.isEmpty, recalled, changes != nil {
            // The whole site is rendered, but a memory's check kept most pages as summaries:
            // every page is checked again.
            loaded = reload(options, cache: cache, clock: &clock)
            (result, checked) = await check(options, loaded: loaded, cache: cache, clock: &clock)
            result.diagnostics = (result.diagnostics + themeDiagnostics).sortedUnique()
            guard !result.diagnostics.hasErrors, let whole = result.graph else { return result }
            graph = whole
            renderer = SiteRenderer(theme: theme, graph: graph, disclaimerHTML: MarkdownSnippet.html(graph.settings.disclaimer),
                                    today: options.today)
        }
        if !committed, errors.isEmpty {
            // Content pages on threads of their own, at a lower priority; beside them, one
            // task for the rest of the site, whose search index and listings are mostly
            // sequential work, so it has a core whenever it has work and the pages fill the
            // rest. That task also encodes and writes the memory, which it has time for
            // before the pages are done.
            let search = result.searchIndex, site = graph, siteRenderer = renderer, remembered = cache.remembers ? checked : nil
            async let pageErrors = renderAndWrite(pages: site.allPages, renderer: siteRenderer, to: staged)
            async let siteWork = { () async -> ([Diagnostic], BuildMemory.StagedMemory?) in
                let errors = await writeSiteFiles(
                    renderer: siteRenderer,
                    searchFiles: cache.searchIndex.outputs(for: search?.documents ?? DocumentBuilder.documents(for: site, cache: cache.search)),
                    assets: assets, to: staged
                )
                guard errors.isEmpty, let remembered else { return (errors, nil) }
                return (errors, BuildMemory.Parts(checked: remembered, renderer: siteRenderer, searchIndex: cache.searchIndex)?.stage(options))
            }()
            let (siteErrors, memory) = await siteWork
            errors = await pageErrors + siteErrors
            stagedMemory = memory
            clock.lap("render+write")
            if errors.isEmpty, let error = staged.commit() { errors.append(error) }
        }
        if !errors.isEmpty {
            stagedMemory?.discard()
            // The spare copy stays as it is; its record is gone, so the next build trusts none of it.
            result.diagnostics = (result.diagnostics + errors).sortedUnique()
            return result
        }
        clock.lap("swap")
        result.pagesWritten = graph.allPages.count
        if cache.changesReported, let checked {
            cache.lastBuild.withLock { $0 = LastBuild(checked: checked, renderer: renderer) }
        }
        if cache.remembers {
            if let checked, let record = StagedOutput.publishedRecord(ofOutput: options.outputDirectory) {
                if let stagedMemory {
                    stagedMemory.publish(publishedRecord: record)
                } else if let parts = BuildMemory.Parts(checked: checked, renderer: renderer, searchIndex: cache.searchIndex) {
                    parts.save(options, publishedRecord: record)
                } else {
                    BuildMemory.remove(options)
                }
            } else {
                stagedMemory?.discard()
                BuildMemory.remove(options)
            }
            clock.lap("remember")
        }
        result.filesWritten = staged.writtenFiles
        result.filesUnchanged = staged.unchangedFiles
        result.timings = clock.timings
        return result
    }

    /// Takes up the memory the last process left: its load (to find what changed) and
    /// search index as caches, and its check as the last build while the site it
    /// describes is still published. Returns whether a memory was taken up, and the
    /// published record that site had when its check was.
    static func recall(_ options: BuildOptions, cache: PageCache, clock: inout StageClock) -> (Bool, [Int64]?) {
        guard FileManager.default.fileExists(atPath: BuildMemory.path(for: options)),
              let theme = Theme.load(directory: options.themeDirectory).0,
              let memory = BuildMemory.restore(options, theme: theme) else { return (false, nil) }
        cache.lastLoad.withLock { $0 = memory.checked.loaded }
        cache.searchIndex = memory.searchIndex
        clock.lap("recall")
        guard memory.publishedRecord == StagedOutput.publishedRecord(ofOutput: options.outputDirectory) else { return (true, nil) }
        cache.lastBuild.withLock { $0 = LastBuild(checked: memory.checked, renderer: memory.renderer) }
        return (true, memory.publishedRecord)
    }

    /// The content folder read whole: a memory's load kept no page's text.
    static func reload(_ options: BuildOptions, cache: PageCache, clock: inout StageClock) -> LoadedContent {
        let loaded = ContentLoader.load(contentDirectory: options.contentDirectory)
        cache.lastLoad.withLock { $0 = loaded }
        clock.lap("load again")
        return loaded
    }

    /// The graph, updated from the last build's when only the values of some pages
    /// changed in ways its edges and findings do not see (a body edit), else built anew.
    static func buildGraph(settings: SiteSettings, pages: [Page], drafts: [PageID: PageType], undecoded: [PageID: PageType],
                           cache: PageCache) -> (ContentGraph, [Diagnostic]) {
        let ids = pages.map(\.id)
        if let last = cache.lastGraph.withLock({ $0 }), last.ids == ids {
            // Same text and same HTML: the same page, as far as the graph can tell.
            let changed = pages.filter { page in
                guard let old = last.graph[page.id] else { return true }
                return old.file.digest != page.file.digest || old.body.htmlDigest != page.body.htmlDigest
            }
            if let updated = GraphBuilder.update(previous: last.graph, diagnostics: last.diagnostics, changed: changed,
                                                 settings: settings, drafts: drafts, undecoded: undecoded) {
                cache.lastGraph.withLock { $0 = (ids, updated.0, updated.1) }
                return updated
            }
        }
        let built = GraphBuilder.build(settings: settings, pages: pages, drafts: drafts, undecoded: undecoded)
        cache.lastGraph.withLock { $0 = (ids, built.0, built.1) }
        return built
    }

    /// Markdown for every page, on all cores (cmark-gfm parses in parallel once
    /// CCmarkParallel holds its character table; see CmarkDocument).
    /// - Parameter directory: the fingerprint of the link context.
    static func parseBodies(_ pages: [(PageSource, SplitPage, PageMetadata)], context: LinkContext, directory: String,
                            cache: PageCache) async -> [Page] {
        await inChunks(pages) { source, split, metadata in
            let body = cache.body(of: source, split: split, directory: directory, context: context)
            return Page(id: source.id, type: source.type, file: source.file, metadata: metadata, body: body)
        }
    }

    static func renderAndWrite(pages: [Page], renderer: SiteRenderer, to output: StagedOutput) async -> [Diagnostic] {
        // Each thread renders and writes one page at a time, so little rendered HTML is
        // held in memory at once; at a lower priority than the search task beside them.
        await pages.mapOnThreads(yielding: true) { page in renderer.writePage(page, to: output) }.flatMap { $0 }
    }

    /// The listings, the search index's files (each made only when what it is made of
    /// changed) and the assets.
    static func writeSiteFiles(renderer: SiteRenderer, searchFiles: [SearchOutput], assets: [AssetFile],
                               to output: StagedOutput) async -> [Diagnostic] {
        var errors = renderer.writeListings(to: output)
        // One thread per core: nearly all of these files go into search/docs/.
        errors += await searchFiles.mapOnThreads(threadsPerCore: 1) { file in
            output.write(key: file.path, fingerprint: file.fingerprint) { [file.make()] }
        }.flatMap { $0 }
        return errors + assets.compactMap { output.copy($0) }
    }

    /// Maps `work` over `items` in ordered chunks, one task each: sixteen per core, so
    /// the last to finish leaves the other cores idle for a sixteenth of the work at most.
    static func inChunks<Item: Sendable, Output: Sendable>(
        _ items: [Item], _ work: @escaping @Sendable (Item) -> Output
    ) async -> [Output] {
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let chunkSize = max(16, (items.count + workers * 16 - 1) / (workers * 16))
        let chunks = stride(from: 0, to: items.count, by: chunkSize).map { Array(items[$0..<min($0 + chunkSize, items.count)]) }
        return await withTaskGroup(of: (Int, [Output]).self) { group in
            for (index, chunk) in chunks.enumerated() {
                group.addTask { (index, chunk.map(work)) }
            }
            var results = [[Output]](repeating: [], count: chunks.count)
            for await (index, outputs) in group { results[index] = outputs }
            return results.flatMap { $0 }
        }
    }
}

/// Wall-clock time per stage, for `--timings`.
struct StageClock {
    private var last = DispatchTime.now().uptimeNanoseconds
    private(set) var timings: [StageTiming] = []

    mutating func lap(_ stage: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        timings.append(StageTiming(stage: stage, seconds: Double(now - last) / 1e9))
        last = now
    }
}

extension CalendarDate {
    /// Today in UTC, or the day of SOURCE_DATE_EPOCH for reproducible builds.
    public static func today() -> CalendarDate {
        let seconds = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap(Double.init) ?? Date().timeIntervalSince1970
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: seconds))
        return CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }
}
