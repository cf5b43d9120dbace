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
    /// Search documents' snippet texts, when kept between builds.
    let search: SearchCache?
    /// The search index of the last build, updated per changed page.
    let searchIndex: SearchIndexState

    /// - Parameter keepingSearch: also keep every page's snippet text,
    ///   so a rebuild re-analyses only the pages that changed (costs memory; `serve` wants it).
    public init(keepingSearch: Bool = false) {
        search = keepingSearch ? SearchCache() : nil
        searchIndex = SearchIndexState()
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
