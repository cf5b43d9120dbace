import CLibFuzzer
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

/// One fuzz input is up to six content pages separated by NUL bytes (a byte no page
/// may contain, so nothing is lost), added to the fixture site of Tests/Fixtures/site
/// so that `[[id]]` and `.md` links have real pages to reach. Part n becomes the page
/// `fuzzPages[n]`; a sixth part keeps any further NULs and is refused as binary, as the
/// loader would. Tests/CLITests/FuzzRegressionTests.swift lays saved inputs out the same
/// way and builds them with the real CLI.
let fuzzPages: [(type: PageType, id: PageID)] = [
    (.condition, "fuzz-condition"), (.symptom, "fuzz-symptom"), (.treatment, "fuzz-treatment"),
    (.cause, "fuzz-cause"), (.diagnostic, "fuzz-test"), (.guide, "fuzz-guide"),
]

/// Pages through the stages of `SiteBuilder.check`, in memory and on one thread.
struct Stages {
    var diagnostics: [Diagnostic] = []
    var decoded: [(PageSource, SplitPage, PageMetadata)] = []
    var drafts: [PageID: PageType] = [:]
    var undecoded: [PageDirectory.Entry] = []

    /// Front-matter: split, then decode; a page that fails still exists for links.
    mutating func decode(_ sources: [PageSource]) {
        for source in sources {
            switch FrontMatterSplitter.split(source.file) {
            case .failure(let diagnostic):
                diagnostics.append(diagnostic)
                undecoded.append(.init(id: source.id, type: source.type, title: source.id.rawValue))
            case .success(let split):
                let (metadata, found) = PageDecoder.decode(split, of: source)
                diagnostics += found
                if let metadata {
                    if metadata.draft { drafts[source.id] = source.type } else { decoded.append((source, split, metadata)) }
                } else {
                    undecoded.append(.init(id: source.id, type: source.type, title: source.id.rawValue))
                }
            }
        }
    }

    var entries: [PageDirectory.Entry] {
        decoded.map { .init(id: $0.0.id, type: $0.0.type, title: $0.2.title.value) } + undecoded
    }

    /// Markdown, with links resolved against every page of the site.
    mutating func parseBodies(_ context: LinkContext) -> [Page] {
        let pages = decoded.map { source, split, metadata in
            Page(id: source.id, type: source.type, file: source.file, metadata: metadata,
                 body: BodyParser.parse(split.body, startingAtLine: split.bodyLine, of: source, context: context))
        }
        diagnostics += pages.flatMap(\.body.diagnostics)
        return pages
    }
}

/// The fixture site, theme and settings, read and parsed once: fuzz pages cannot
/// change how the fixture's own pages parse, since those link only to each other.
struct Fixture: Sendable {
    let settings: SiteSettings
    let theme: Theme
    let disclaimerHTML: String
    let assets: Set<String>
    let entries: [PageDirectory.Entry]
    let pages: [Page]
    /// A fixed day, so review-date checks give the same result on every run.
    let today = CalendarDate(year: 2026, month: 1, day: 1)!

    init() {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
        let loaded = ContentLoader.load(contentDirectory: root + "/Tests/Fixtures/site/Content")
        var stages = Stages()
        stages.decode(loaded.pages)
        guard let siteFile = loaded.siteFile, let settings = SiteSettingsDecoder.decode(siteFile).0,
              let theme = Theme.load(directory: root + "/Theme").0 else {
            fatalError("the fixture site or the theme under \(root) did not load")
        }
        self.settings = settings
        self.theme = theme
        disclaimerHTML = MarkdownSnippet.html(settings.disclaimer)
        assets = Set(loaded.assets.map(\.outputPath))
        entries = stages.entries + loaded.unreadablePages
        pages = stages.parseBodies(LinkContext(directory: PageDirectory(entries), assets: assets))
        guard !(loaded.diagnostics + stages.diagnostics).hasErrors else { fatalError("the fixture site has errors") }
    }
}

let fixture = Fixture()

/// Front-matter, page directory, Markdown and links, graph and lint, as `check` runs
/// them; then, only when there is no error (as in a real build), the fuzz pages' HTML
/// and search index. The fixture's pages and the listing pages (home, sections,
/// overview, feed) are not rendered: they show only titles, summaries and relations,
/// which the fuzz pages render too, and they took most of the time of each run.
func runPipeline(_ input: [UInt8]) {
    var stages = Stages()
    var sources: [PageSource] = []
    for (index, part) in input.split(separator: 0, maxSplits: fuzzPages.count - 1, omittingEmptySubsequences: false).enumerated() {
        let (type, id) = fuzzPages[index]
        let relative = "\(type.folder)/\(id.rawValue).md"
        // The loader's own byte rules: BOM, CRLF and CR, NUL bytes, invalid UTF-8.
        guard let text = ContentLoader.text(from: Array(part), display: "Content/" + relative, into: &stages.diagnostics) else {
            stages.undecoded.append(.init(id: id, type: type, title: id.rawValue))
            continue
        }
        sources.append(PageSource(id: id, type: type, file: SourceFile(displayPath: "Content/" + relative, relativePath: relative, text: text)))
    }
    stages.decode(sources)
    let directory = PageDirectory(fixture.entries + stages.entries)
    let pages = stages.parseBodies(LinkContext(directory: directory, assets: fixture.assets))

    let (graph, graphDiagnostics) = GraphBuilder.build(
        settings: fixture.settings, pages: fixture.pages + pages, drafts: stages.drafts,
        undecoded: Dictionary(uniqueKeysWithValues: stages.undecoded.map { ($0.id, $0.type) })
    )
    var diagnostics = stages.diagnostics + graphDiagnostics
    for page in pages { diagnostics += ContentLinter.lint(page, settings: graph.settings, today: fixture.today) }
    guard !diagnostics.hasErrors else { return }

    let renderer = SiteRenderer(theme: fixture.theme, graph: graph, disclaimerHTML: fixture.disclaimerHTML, today: fixture.today)
    for page in pages { _ = renderer.writePage(page, to: DiscardingSink()) }
    let ids = Set(pages.map(\.id.rawValue))
    _ = SearchIndexWriter.files(for: IndexBuilder.build(DocumentBuilder.documents(for: graph).filter { ids.contains($0.id) }))
}

/// Renders every file it is asked for and keeps none: rendering is what is fuzzed.
struct DiscardingSink: OutputSink {
    func write(key: String, fingerprint: String, files: () -> [OutputFile]) -> [Diagnostic] {
        _ = files()
        return []
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    runPipeline(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// The program's entry point. SwiftPM links an executable with `main` aliased to
/// `<module>_main`, which hides libFuzzer's own `main`: this hands control to
/// libFuzzer's driver instead, with the same command-line flags.
@_cdecl("PatellaFuzz_main")
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc, argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput)
}
