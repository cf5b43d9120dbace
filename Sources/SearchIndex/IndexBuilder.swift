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

    public var averageLength: Double {
        lengths.isEmpty ? 0 : Double(lengths.reduce(0, +)) / Double(lengths.count)
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
                (Tokenizer.tokens(text) + Tokenizer.hyphenCompounds(text))
                    .filter { !Stopwords.all.contains($0) }.map { (field.weight, $0) }
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
