import ContentModel
import Diagnostics

/// Runs editors' pinned searches (`Content/search-tests.yml`) against the index the
/// site publishes, ranked as the search page ranks a submitted query. A page that
/// falls out of its place is an error at the test's `query`, like any broken link.
public enum SearchExpectations {
    public static func check(_ tests: [SearchTest], against index: InvertedIndex) -> [Diagnostic] {
        let engine = SearchEngine(index)
        var positions: [String: Int] = [:]
        for (position, document) in index.documents.enumerated() { positions[document.id] = position }
        return tests.compactMap { test in
            let id = test.expect.value.rawValue
            guard let target = positions[id] else {
                return .error("id-unknown", at: test.expect.location, "page '\(id)' does not exist",
                              hint: Suggestion.closest(to: id, in: index.documents.map(\.id)).map { "did you mean '\($0)'?" }
                                  ?? "a draft page is searched only with --drafts")
            }
            let outcome = engine.search(test.query.value)
            let rank = outcome.hits.firstIndex { $0.doc == target }
            if let rank, rank < test.within { return nil }
            let found = rank.map { "ranks '\(id)' \(ordinal($0 + 1))" } ?? "does not find '\(id)'"
            let wanted = test.within == 1 ? "expected first" : "expected in the top \(test.within)"
            return .error("search-rank", at: test.query.location, "search \"\(test.query.value)\" \(found); \(wanted)",
                          hint: hint(outcome, shown: test.within, index: index))
        }
    }

    /// What the reader sees instead: the first results, and how the query was read.
    static func hint(_ outcome: SearchOutcome, shown: Int, index: InvertedIndex) -> String {
        var parts: [String] = []
        if outcome.hits.isEmpty {
            parts.append("no results: add the words readers use to the page's 'aliases'")
        } else {
            let titles = outcome.hits.prefix(shown).enumerated().map { "\($0.offset + 1). \(index.documents[$0.element.doc].title)" }
            parts.append("results: " + titles.joined(separator: ", "))
        }
        parts += outcome.corrections.map { "\"\($0.from)\" was read as \"\($0.to)\"" }
        parts += outcome.unknown.map { "\"\($0)\" matched nothing" }
        return parts.joined(separator: "; ")
    }

    /// 1st, 2nd, 3rd, 4th ... 11th, 12th, 13th ... 21st.
    static func ordinal(_ number: Int) -> String {
        let suffix = switch (number % 10, number % 100) {
        case (_, 11...13): "th"
        case (1, _): "st"
        case (2, _): "nd"
        case (3, _): "rd"
        default: "th"
        }
        return "\(number)\(suffix)"
    }
}
