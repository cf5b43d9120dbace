import ContentModel
import Diagnostics
import Foundation
import SiteBuild
import Testing
import TestSupport
@testable import SearchIndex

/// The Swift port of the browser's ranking, on the real site's index; and the pinned
/// searches of `Content/search-tests.yml` it runs for `patella check`.
@Suite struct SearchEngineTests {
    /// Built once for the suite: the real pipeline takes most of a second in a debug build.
    static let built = Task {
        SearchEngine(IndexBuilder.build(DocumentBuilder.documents(for: try await RealSiteIndexTests.graph())))
    }

    static func engine() async throws -> SearchEngine { try await built.value }

    static func ids(_ outcome: SearchOutcome, in engine: SearchEngine) -> [String] {
        outcome.hits.map { engine.index.documents[$0.doc].id }
    }

    static let here = SourceLocation(file: "Content/search-tests.yml", line: 4, column: 10)

    static func test(_ query: String, _ expect: String, within: Int = SearchTest.defaultWithin) -> SearchTest {
        SearchTest(query: Located(query, at: here), expect: Located(PageID(expect), at: SourceLocation(file: here.file, line: 5, column: 11)),
                   within: within)
    }

    @Test func theRealSitePassesItsPinnedSearches() async throws {
        let result = await SiteBuilder.check(BuildOptions(contentDirectory: TestPaths.content))
        let pinned = result.diagnostics.filter { $0.location.file.hasSuffix("/search-tests.yml") }
        #expect(pinned.isEmpty, "\(pinned.map { "\($0.location.description): \($0.message) (\($0.hint ?? ""))" })")
        let text = try String(contentsOfFile: TestPaths.content + "/search-tests.yml", encoding: .utf8)
        #expect(text.components(separatedBy: "- query:").count - 1 >= 25)
    }

    @Test func aliasesBrandNamesAndSymptomsRankTheirPageFirst() async throws {
        let engine = try await Self.engine()
        for (query, id) in [("runner's knee", "patellofemoral-pain-syndrome"), ("advil", "otc-anti-inflammatories"),
                            ("Tylenol", "acetaminophen"), ("water on the knee", "knee-swelling"),
                            ("pain going down stairs", "trouble-with-stairs"), ("x-ray", "x-ray"), ("xray", "x-ray")] {
            #expect(Self.ids(engine.search(query), in: engine).first == id, "\(query)")
        }
    }

    @Test func typosAreCorrectedWithinEditsScaledByLength() async throws {
        let engine = try await Self.engine()
        let menicus = engine.search("menicus")
        #expect(menicus.corrections == [.init(from: "menicus", to: "meniscus")])
        #expect(Self.ids(menicus, in: engine).first == "medial-meniscus-tear")
        // Two neighbours swapped is one edit.
        #expect(engine.search("mensicus").corrections == [.init(from: "mensicus", to: "meniscus")])
        #expect(engine.search("tylnol").corrections == [.init(from: "tylnol", to: "tylenol")])
        #expect(engine.search("tlynl").hits.isEmpty, "two edits in a 5-letter word are too many")
        #expect(engine.search("mcx").corrections.isEmpty, "no typos under 4 letters")
        #expect([3, 4, 7, 8].map { SearchEngine.maxEdits(String(repeating: "é", count: $0)) } == [0, 1, 1, 2])
        #expect(SearchEngine.editDistance("meniscus", "menicsus", max: 2) == 1)
        #expect(SearchEngine.editDistance("kitten", "sitting", max: 3) == 3)
        #expect(SearchEngine.editDistance("kitten", "sitting", max: 1) == 2, "gives up past max")
    }

    @Test func theWordBeingTypedCompletesAndASubmittedOneStillCanAsALastResort() async throws {
        let engine = try await Self.engine()
        #expect(Self.ids(engine.search("menis", typing: true), in: engine).first == "medial-meniscus-tear")
        #expect(Self.ids(engine.search("cortisone sh", typing: true), in: engine).first == "cortisone-injection")
        // A stop word being typed may still become "therapy"; a finished one is dropped.
        #expect(Self.ids(engine.search("the", typing: true), in: engine).contains("physical-therapy"))
        #expect(engine.search("the ", typing: true).hits.isEmpty)
        #expect(engine.search("the").hits.isEmpty)
        // Neither indexed nor a typo away: completed, though submitted.
        let arthrosc = engine.search("arthrosc")
        #expect(Self.ids(arthrosc, in: engine).first == "arthroscopic-surgery")
        #expect(arthrosc.corrections.isEmpty && arthrosc.unknown.isEmpty)
    }

    @Test func nothingMatchesNonsenseStopWordsOrNothing() async throws {
        let engine = try await Self.engine()
        let nonsense = engine.search("xqzt")
        #expect(nonsense.hits.isEmpty && nonsense.corrections.isEmpty && nonsense.unknown == ["xqzt"])
        for query in ["the of and", "", "   ", "?!"] {
            #expect(engine.search(query) == SearchOutcome(hits: [], corrections: [], unknown: []), "\(query)")
        }
    }

    @Test func rankedByScoreThenBySiteOrder() async throws {
        let engine = try await Self.engine()
        let hits = engine.search("knee pain").hits
        #expect(hits.count > 20)
        for (a, b) in zip(hits, hits.dropFirst()) {
            #expect(a.score > b.score || (a.score == b.score && a.doc < b.doc))
        }
        #expect(engine.search("MÉNISCUS") == engine.search("meniscus"), "accents and case do not matter")
    }

    @Test func aPinnedSearchInItsPlacePasses() async throws {
        let index = try await Self.engine().index
        #expect(SearchExpectations.check([Self.test("runner's knee", "patellofemoral-pain-syndrome"),
                                          Self.test("advil", "otc-anti-inflammatories", within: 1)], against: index).isEmpty)
    }

    @Test func aPageBelowItsPlaceIsAnErrorAtTheQuery() async throws {
        let index = try await Self.engine().index
        let found = SearchExpectations.check([Self.test("menicus", "pes-anserine-bursitis")], against: index)
        let diagnostic = try #require(found.first)
        #expect(found.count == 1)
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.code == "search-rank")
        #expect(diagnostic.location == Self.here)
        #expect(diagnostic.message.hasPrefix("search \"menicus\" ranks 'pes-anserine-bursitis' "))
        #expect(diagnostic.message.hasSuffix("; expected in the top 3"))
        #expect(diagnostic.hint?.hasPrefix("results: 1. Medial meniscus tear, 2. ") == true, "\(diagnostic.hint ?? "")")
        #expect(diagnostic.hint?.hasSuffix("; \"menicus\" was read as \"meniscus\"") == true)

        let first = try #require(SearchExpectations.check([Self.test("knee replacement", "total-knee-replacement", within: 1)], against: index).first)
        #expect(first.message == "search \"knee replacement\" ranks 'total-knee-replacement' 2nd; expected first")
        #expect(first.hint == "results: 1. Partial knee replacement")

        let missing = try #require(SearchExpectations.check([Self.test("xqzt", "ice")], against: index).first)
        #expect(missing.message == "search \"xqzt\" does not find 'ice'; expected in the top 3")
        #expect(missing.hint == "no results: add the words readers use to the page's 'aliases'; \"xqzt\" matched nothing")
    }

    @Test func anExpectedPageThatDoesNotExistIsAnErrorAtTheID() async throws {
        let index = try await Self.engine().index
        let found = SearchExpectations.check([Self.test("knee", "mcl-injurie"), Self.test("knee", "zzzz")], against: index)
        #expect(found.map(\.code) == ["id-unknown", "id-unknown"])
        #expect(found.map(\.location.line) == [5, 5])
        #expect(found.map(\.message) == ["page 'mcl-injurie' does not exist", "page 'zzzz' does not exist"])
        #expect(found.map(\.hint) == ["did you mean 'mcl-injury'?", "a draft page is searched only with --drafts"])
    }

    @Test func ordinals() {
        #expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111].map(SearchExpectations.ordinal)
            == ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st", "111th"])
    }
}
