import ContentGraph
import ContentLoading
import ContentModel
import Diagnostics
import Foundation
import FrontMatter
import Markdown
import SearchIndex

/// What `serve` keeps between rebuilds: each page's decoded front-matter, parsed body
/// and lint findings, reused while the inputs they were made from are unchanged. A
/// page's front-matter depends only on its own text; its body also on every page's
/// id, type and title and on the media files (links show titles and are checked), so
/// bodies are reused only while that directory is the same; lint findings also on
/// site.yml and the day.
public final class PageCache: Sendable {
    /// Shared, never changed: reading one is one reference count, not a copy of all it
    /// holds (which cost as much as the lookups it served).
    final class Entry: Sendable {
        let text: String
        let type: PageType
        let decoded: Result<(SplitPage, PageMetadata?, [Diagnostic]), Diagnostic>
        let body: (directory: String, body: ParsedBody)?
        let lint: (inputs: String, diagnostics: [Diagnostic])?

        init(text: String, type: PageType, decoded: Result<(SplitPage, PageMetadata?, [Diagnostic]), Diagnostic>,
             body: (directory: String, body: ParsedBody)? = nil, lint: (inputs: String, diagnostics: [Diagnostic])? = nil) {
            (self.text, self.type, self.decoded, self.body, self.lint) = (text, type, decoded, body, lint)
        }

        func with(body: (directory: String, body: ParsedBody)) -> Entry {
            Entry(text: text, type: type, decoded: decoded, body: body, lint: lint)
        }

        func with(lint: (inputs: String, diagnostics: [Diagnostic])) -> Entry {
            Entry(text: text, type: type, decoded: decoded, body: body, lint: lint)
        }
    }

    private let entries = Locked<[String: Entry]>([:])
    /// The last load of the content folder: files whose stamps are unchanged are not read again.
    let lastLoad = Locked<LoadedContent?>(nil)
    /// Files of the content folder (relative paths) changed since the last load, when a
    /// watcher says so; nil when not known (then every file is stat'ed).
    let changedSinceLoad = Locked<Set<String>?>(nil)
    /// The last build's graph and its findings, with the ids of the pages it was built from, in order.
    let lastGraph = Locked<(ids: [PageID], graph: ContentGraph, diagnostics: [Diagnostic])?>(nil)
    /// What the last build published, kept only when changes are reported: the next
    /// build redoes only what the reported pages change. Taken out by each build and
    /// put back only by one that published, so a failed build leaves none.
    let lastBuild = Locked<LastBuild?>(nil)
    /// Whether the owner reports every change through `noteChanges` (`serve`'s watcher).
    let changesReported: Bool
    /// Whether builds continue from the `BuildMemory` the last process left, and leave one.
    let remembers: Bool
    /// Search documents' snippet texts, when kept between builds.
    let search: SearchCache?
    /// The search index of the last build, updated per changed page; replaced by the
    /// one a `BuildMemory` kept.
    private let kept: Locked<SearchIndexState>
    var searchIndex: SearchIndexState {
        get { kept.withLock { $0 } }
        set { kept.withLock { $0 = newValue } }
    }

    /// - Parameters:
    ///   - keepingSearch: also keep every page's snippet text, so a rebuild re-analyses
    ///     only the pages that changed (costs memory; `serve` wants it).
    ///   - changesReported: every change to the content folder will be reported through
    ///     `noteChanges` before the build that should see it.
    ///   - remembering: builds continue from the memory the last `patella build` process
    ///     left in the cache folder, and leave their own (for one build per process).
    public init(keepingSearch: Bool = false, changesReported: Bool = false, remembering: Bool = false) {
        self.changesReported = changesReported
        remembers = remembering
        search = keepingSearch ? SearchCache() : nil
        kept = Locked(SearchIndexState())
    }

    /// Tells the cache which content files changed since the last build (relative to the
    /// content folder), or nil if that is not known. Unchanged files are then not even
    /// stat'ed (at 10,000 files, the stats were a fifth of a `serve` rebuild).
    public func noteChanges(_ paths: Set<String>?) {
        changedSinceLoad.withLock { known in
            if let paths, let earlier = known { known = earlier.union(paths) } else { known = nil }
        }
    }

    /// The front-matter of `source`, decoded now or reused.
    func decoded(_ source: PageSource) -> Result<(SplitPage, PageMetadata?, [Diagnostic]), Diagnostic> {
        let key = source.file.displayPath
        if let entry = read(key), entry.text == source.file.text, entry.type == source.type { return entry.decoded }
        let outcome = FrontMatterSplitter.split(source.file).map { split -> (SplitPage, PageMetadata?, [Diagnostic]) in
            let (metadata, diagnostics) = PageDecoder.decode(split, of: source)
            return (split, metadata, diagnostics)
        }
        update(key) { $0 = Entry(text: source.file.text, type: source.type, decoded: outcome) }
        return outcome
    }

    /// The body of a decoded page, parsed now or reused while `directory` (a fingerprint
    /// of the link context) is the one it was parsed against.
    func body(of source: PageSource, split: SplitPage, directory: String, context: LinkContext) -> ParsedBody {
        let key = source.file.displayPath
        if let entry = read(key), entry.text == source.file.text, let cached = entry.body, cached.directory == directory {
            return cached.body
        }
        let body = BodyParser.parse(split.body, startingAtLine: split.bodyLine, of: source, context: context)
        update(key) { $0 = $0?.with(body: (directory, body)) }
        return body
    }

    /// Lint findings for `page`, made now or reused while `inputs` (body context,
    /// site settings, day) are the same.
    func lint(_ page: Page, inputs: String, _ lint: (Page) -> [Diagnostic]) -> [Diagnostic] {
        let key = page.file.displayPath
        if let entry = read(key), entry.text == page.file.text, let cached = entry.lint, cached.inputs == inputs {
            return cached.diagnostics
        }
        let diagnostics = lint(page)
        update(key) { $0 = $0?.with(lint: (inputs, diagnostics)) }
        return diagnostics
    }

    /// Forgets pages that are gone.
    func keep(only paths: Set<String>) {
        entries.withLock { $0 = $0.filter { paths.contains($0.key) } }
    }

    private func read(_ key: String) -> Entry? { entries.withLock { $0[key] } }

    private func update(_ key: String, _ change: (inout Entry?) -> Void) { entries.withLock { change(&$0[key]) } }
}

extension PageDirectory {
    /// Of everything a body's links are checked and titled against.
    func fingerprint(assets: Set<String>) -> String {
        var digest = Fingerprint()
        for entry in entries.values.sorted(by: { $0.id < $1.id }) {
            digest.combine(entry.id.rawValue)
            digest.combine(entry.type.rawValue)
            digest.combine(entry.title)
        }
        for asset in assets.sorted() { digest.combine(asset) }
        return digest.hex
    }
}
