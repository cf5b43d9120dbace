import ContentModel
import Foundation

/// One posting: a document and the weighted frequency of a term in it.
public struct Posting: Sendable, Hashable {
    public var doc: Int
    /// Sum over the term's occurrences of the weight of the field it occurs in.
    public var frequency: Int
}

/// The inverted index, before it is written: everything BM25 ranking, prefix
/// matching, typo correction, snippets and the urgent box need.
public struct InvertedIndex: Sendable {
    public var documents: [SearchDocument]
    /// Stem -> postings, ordered by document.
    public var postings: [String: [Posting]]
    /// Weighted length of every document (sum of its postings' frequencies), for BM25.
    public var lengths: [Int]
    /// Every distinct folded word indexed (not stemmed), for prefix matching and typo
    /// correction; the browser stems a candidate with the same stemmer to find its postings.
    public var words: [String]
    public var urgent: UrgentSigns?

    /// The average of the lengths ranking uses (`LengthNorm.rounded`), for BM25.
    public var averageLength: Double {
        lengths.isEmpty ? 0 : Double(lengths.reduce(0) { $0 + LengthNorm.rounded($1) }) / Double(lengths.count)
    }

    /// Stems in the order every file lists them (UTF-16 code units, as JavaScript sorts).
    public var sortedTerms: [String] { postings.keys.sorted(by: utf16Less) }
}

/// Documents to an inverted index. Linear in the number of words; documents are
/// analysed on all cores, then merged in document order, so the result never depends
/// on scheduling.
public enum IndexBuilder {
    /// What one document contributes: weighted frequency per stem, and its folded words.
    struct Analysis: Sendable {
        var frequencies: [String: Int] = [:]
        var words: Set<String> = []
    }

    public static func build(_ documents: [SearchDocument]) -> InvertedIndex {
        let analyses = analyze(documents)
        var postings: [String: [Posting]] = [:]
        var lengths: [Int] = []
        var words = Set<String>()
        lengths.reserveCapacity(documents.count)
        for (index, analysis) in analyses.enumerated() {
            for (stem, frequency) in analysis.frequencies {
                postings[stem, default: []].append(Posting(doc: index, frequency: frequency))
            }
            lengths.append(analysis.frequencies.values.reduce(0, +))
            words.formUnion(analysis.words)
        }
        var analyzer = Analyzer()
        let urgent = UrgentSigns.build(documents: documents, documentTerms: analyses.map { Set($0.frequencies.keys) }, analyzer: &analyzer)
        return InvertedIndex(
            documents: documents, postings: postings, lengths: lengths,
            words: words.sorted(by: utf16Less), urgent: urgent
        )
    }

    /// Three passes, the first two on all cores: every document's words (folded, stop
    /// words dropped, hyphenated words also joined: "X-ray" gives "x", "ray" and "xray");
    /// the stem of every distinct word, once; then the frequencies.
    static func analyze(_ documents: [SearchDocument]) -> [Analysis] {
        let tokens: [[(weight: Int, word: String)]] = documents.concurrentMap { document in
            document.fields.flatMap { field, text in
                let words = Tokenizer.words(in: text)
                return (words.tokens + words.compounds).filter { !Stopwords.all.contains($0) }.map { (field.weight, $0) }
            }
        }
        var distinct = Set<String>()
        for list in tokens { for token in list { distinct.insert(token.word) } }
        let words = Array(distinct)
        let stemmer = Stemmer()
        let stems = Dictionary(uniqueKeysWithValues: zip(words, words.concurrentMap { stemmer.stem($0) }))
        return tokens.map { list in
            var analysis = Analysis()
            for (weight, word) in list {
                analysis.frequencies[stems[word]!, default: 0] += weight
                analysis.words.insert(word)
            }
            return analysis
        }
    }
}

/// What `serve` keeps of each page's search document between rebuilds: its snippet
/// text (making them all was a tenth of a rebuild at 10,000 pages). Kept only where
/// asked for: it costs memory. The index itself is kept by `SearchIndexState`.
public final class SearchCache: Sendable {
    private struct Snippet {
        var plainText: String
        var headings: [String]
        var text: String
    }

    private let snippets = Locked<[PageID: Snippet]>([:])

    public init() {}

    /// The snippet text made of a page with exactly this prose and these headings, if any.
    func snippet(of page: Page) -> String? {
        guard let entry = snippets.withLock({ $0[page.id] }), entry.plainText == page.body.plainText,
              entry.headings.elementsEqual(page.body.headings.map(\.text)) else { return nil }
        return entry.text
    }

    /// Keeps these pages' snippet texts, and forgets pages that are gone (unless only
    /// `replacing` some pages' texts).
    func keepSnippets(_ made: [(Page, String)], replacing: Bool = false) {
        var next: [PageID: Snippet] = [:]
        for (page, text) in made {
            next[page.id] = Snippet(plainText: page.body.plainText, headings: page.body.headings.map(\.text), text: text)
        }
        snippets.withLock { kept in
            if replacing { kept.merge(next) { $1 } } else { kept = next }
        }
    }
}
