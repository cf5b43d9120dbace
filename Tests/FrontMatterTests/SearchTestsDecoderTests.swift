import ContentModel
import Diagnostics
@testable import FrontMatter
import Testing

/// `search-tests.yml`: editors' pinned searches, with every value's line and column.
@Suite struct SearchTestsDecoderTests {
    static func decode(_ text: String) -> ([SearchTest], [String]) {
        let file = SourceFile(displayPath: "Content/search-tests.yml", relativePath: "search-tests.yml", text: text)
        let (tests, diagnostics) = SearchTestsDecoder.decode(file)
        return (tests, diagnostics.map { "\($0.location.line ?? 0):\($0.location.column ?? 0) \($0.code) \($0.message)" + ($0.hint.map { " | \($0)" } ?? "") })
    }

    @Test func decodesQueriesPagesAndPlaces() throws {
        let (tests, diagnostics) = Self.decode("""
        # Queries readers type.
        - query: runner's knee
          expect: patellofemoral-pain-syndrome
        - expect: medial-meniscus-tear   # keys in any order
          query: "menicus"
          within: 1
        """)
        #expect(diagnostics.isEmpty)
        #expect(tests.map(\.query.value) == ["runner's knee", "menicus"])
        #expect(tests.map(\.expect.value) == ["patellofemoral-pain-syndrome", "medial-meniscus-tear"])
        #expect(tests.map(\.within) == [SearchTest.defaultWithin, 1])
        // A failing search is reported at its query value.
        #expect(tests.map { [$0.query.location.line, $0.query.location.column] } == [[2, 10], [5, 10]])
        #expect(tests.map { [$0.expect.location.line, $0.expect.location.column] } == [[3, 11], [4, 11]])
        #expect(tests[0].query.location.file == "Content/search-tests.yml")
    }

    @Test func anEmptyFilePinsNothing() {
        for text in ["", "# nothing pinned yet\n", "\n\n"] {
            let (tests, diagnostics) = Self.decode(text)
            #expect(tests.isEmpty && diagnostics.isEmpty, "\(text)")
        }
    }

    @Test func theFileMustBeAList() {
        let (tests, diagnostics) = Self.decode("query: runner's knee\nexpect: patellofemoral-pain-syndrome\n")
        #expect(tests.isEmpty)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.hasPrefix("1:1 value-type search-tests.yml must be a list of searches, found a mapping of keys") == true)
    }

    @Test func reportsEveryProblemOfEveryEntry() {
        let (tests, diagnostics) = Self.decode("""
        - query: advil
          expectt: otc-anti-inflammatories
        - expect: ice
        - query: ""
          expect: ice
        - query: knee
          expect: conditions/mcl-injury.md
        - query: knee
          expect: ice
          within: 0
        - just text
        - query: brace
          expect: /treatments/Knee-Brace/
          within: three
        """)
        #expect(tests.isEmpty, "no entry is whole")
        #expect(diagnostics == [
            "2:3 key-unknown unknown key 'expectt' | did you mean 'expect'?",
            "1:3 key-missing a search needs 'expect': the id of the page it must find",
            "3:3 key-missing a search needs a 'query': the words readers type",
            "4:10 value-empty 'query' is empty",
            "7:11 id-invalid 'conditions/mcl-injury.md' is not a page id | write the page's id, its file name without .md, such as 'mcl-injury'",
            "10:11 value-type 'within' must be a whole number of places, 1 or more, found '0' | within: 3 means the page must be one of the first three results",
            "11:3 value-type each search must be a mapping of 'key: value' lines, found 'just text'",
            "13:11 id-invalid '/treatments/Knee-Brace/' is not a page id | write the page's id, its file name without .md, such as 'knee-brace'",
            "14:11 value-type 'within' must be a whole number of places, 1 or more, found 'three' | within: 3 means the page must be one of the first three results",
        ])
    }

    @Test func aDuplicatedKeyIsReportedWhereItIsWrittenAgain() {
        // Every entry has a `query:`; the second one of the third entry is the duplicate.
        let (tests, diagnostics) = Self.decode("""
        - query: a
          expect: ice
        - query: b
          expect: ice
        - query: c
          expect: ice
          query: d
        """)
        #expect(tests.isEmpty)
        #expect(diagnostics == ["7:3 key-duplicate key 'query' is written more than once | keep one of them"])
    }
}
