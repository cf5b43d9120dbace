import ContentModel
import Diagnostics
@testable import FrontMatter
import Testing

@Suite struct FrontMatterTests {
    func source(_ text: String, type: PageType = .condition) -> PageSource {
        PageSource(id: "x", type: type, file: SourceFile(displayPath: "Content/\(type.folder)/x.md", relativePath: "\(type.folder)/x.md", text: text))
    }

    func decode(_ text: String, type: PageType = .condition) -> (PageMetadata?, [String]) {
        let page = source(text, type: type)
        guard case .success(let split) = FrontMatterSplitter.split(page.file) else { return (nil, ["split failed"]) }
        let (metadata, diagnostics) = PageDecoder.decode(split, of: page)
        return (metadata, diagnostics.map { "\($0.location.line ?? 0):\($0.location.column ?? 0) \($0.code)" })
    }

    @Test func splitFindsBodyLine() throws {
        let page = source("---\ntitle: A\n---\n\nBody\n")
        let split = try FrontMatterSplitter.split(page.file).get()
        #expect(split.frontMatter == "title: A\n")
        #expect(split.bodyLine == 4)
        #expect(split.body == "\nBody\n")
    }

    @Test func fencesMayEndInSpacesAndTheYAMLEndMarkerCloses() throws {
        let page = source("--- \t\ntitle: Caf\u{E9} \u{2014} \u{1F9B5}\n----\nnext: x\n...\t\n\u{E9}t\u{E9}\n")
        let split = try FrontMatterSplitter.split(page.file).get()
        #expect(split.frontMatter == "title: Caf\u{E9} \u{2014} \u{1F9B5}\n----\nnext: x\n", "'----' is not a fence")
        #expect(split.bodyLine == 6)
        #expect(split.body == "\u{E9}t\u{E9}\n")
        let bare = try FrontMatterSplitter.split(source("---\ntitle: A\n---").file).get()
        #expect(bare.body.isEmpty && bare.bodyLine == 4)
    }

    @Test func noFrontMatterAndUnclosed() {
        if case .failure(let d) = FrontMatterSplitter.split(source("# Hi\n").file) { #expect(d.code == "front-matter-missing") } else { Issue.record("expected failure") }
        if case .failure(let d) = FrontMatterSplitter.split(source("---\ntitle: A\n").file) { #expect(d.code == "front-matter-unclosed") } else { Issue.record("expected failure") }
        if case .failure(let d) = FrontMatterSplitter.split(source("").file) { #expect(d.code == "front-matter-missing") } else { Issue.record("expected failure") }
    }

    @Test func decodesEveryKey() throws {
        let (metadata, diagnostics) = decode("""
        ---
        title: Runner's knee
        summary: Pain around the kneecap.
        aliases: [PFPS, "runner's knee"]
        symptoms: [ache, swelling]
        treatments: rest
        reviewed: { on: 2025-01-31, by: Dr Example, next: 2028-01-31 }
        updated: 2025-02-01
        sources:
          - { title: T, publisher: P, url: "https://p.example/t" }
        draft: false
        ---
        """)
        #expect(diagnostics.isEmpty)
        let page = try #require(metadata)
        #expect(page.title.value == "Runner's knee")
        #expect(page.aliases == ["PFPS", "runner's knee"])
        #expect(page.relations[.symptoms]?.map(\.value) == ["ache", "swelling"])
        #expect(page.relations[.symptoms]?.map(\.location.column) == [12, 18])
        #expect(page.relations[.treatments]?.map(\.value) == ["rest"])
        #expect(page.reviewed == Review(on: CalendarDate(iso: "2025-01-31")!, by: "Dr Example", next: CalendarDate(iso: "2028-01-31")!))
        #expect(page.sources == [SourceReference(title: "T", publisher: "P", url: "https://p.example/t")])
    }

    @Test func collectsEveryProblemInOneRun() {
        let (_, diagnostics) = decode("""
        ---
        title: X
        summary: Y
        symptom: [a]
        care: self-care
        updated: 2025-02-30
        reviewed: { on: 2025-01-01, next: 2024-01-01 }
        related: [Not An Id, ok, ok]
        draft: maybe
        ---
        """)
        #expect(diagnostics == [
            "4:1 key-unknown", "5:1 key-not-allowed", "6:10 date-invalid", "7:11 key-missing", "7:35 date-order",
            "8:11 id-invalid", "8:26 relation-duplicate", "9:8 value-type",
        ])
    }

    /// Booleans are read from the text (no resolver rule runs): YAML 1.1's spellings as
    /// YAML 1.1's bool type lists them, plain, or any value tagged `!!bool`.
    @Test func draftTakesTheYAMLBooleanSpellings() {
        let expected: [(String, Bool?)] = [
            ("true", true), ("True", true), ("TRUE", true), ("yes", true), ("Yes", true), ("ON", true), ("!!bool tRUE", true),
            ("false", false), ("No", false), ("off", false), ("OFF", false),
            ("tRUE", nil), ("'true'", nil), ("\"yes\"", nil), ("1", nil), ("~", nil), ("[true]", nil),
        ]
        for (text, value) in expected {
            let (metadata, diagnostics) = decode("---\ntitle: X\nsummary: Y\ndraft: \(text)\n---\n")
            if let value {
                #expect(diagnostics.isEmpty, "draft: \(text)")
                #expect(metadata?.draft == value, "draft: \(text)")
            } else {
                #expect(diagnostics == ["4:8 value-type"], "draft: \(text)")
            }
        }
    }

    @Test func datesAreStrictAndCalendarAware() {
        #expect(CalendarDate(iso: "2024-02-29") != nil)
        #expect(CalendarDate(iso: "2023-02-29") == nil)
        #expect(CalendarDate(iso: "2024-2-01") == nil)
        #expect(CalendarDate(iso: "2024-01-31")!.adding(months: 1).description == "2024-02-29")
        #expect(CalendarDate(iso: "2024-01-31")!.adding(months: 36).description == "2027-01-31")
    }

    @Test func siteSettingsRequireTheirKeys() {
        let file = SourceFile(displayPath: "Content/site.yml", relativePath: "site.yml", text: "title: T\nbase_url: ftp://x\nreview_interval_months: soon\n")
        let (settings, diagnostics) = SiteSettingsDecoder.decode(file)
        #expect(settings == nil)
        #expect(diagnostics.map(\.code).sorted() == ["key-missing", "url-invalid", "value-type"])
    }

    @Test func suggestionsFindCloseKeys() {
        #expect(Suggestion.closest(to: "symptom", in: PageDecoder.allowedKeys(for: .condition)) == "symptoms")
        #expect(Suggestion.closest(to: "sumary", in: PageDecoder.allowedKeys(for: .condition)) == "summary")
        #expect(Suggestion.closest(to: "zzzzzz", in: PageDecoder.allowedKeys(for: .condition)) == nil)
    }
}

