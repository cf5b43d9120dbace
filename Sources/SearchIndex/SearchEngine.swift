import ContentModel
import Foundation

/// The browser's ranking (`plan` and `search` in Theme/assets/search.js), ported so
/// `patella check` can run editors' pinned searches (`search-tests.yml`) with no
/// browser and no node. It reads the index before it is written, which holds exactly
/// what the written files hold; the one value the files round, the average length,
/// is rounded the same way here. Tests/SearchIndexTests/SearchParityTests.swift runs
/// search.js in node over the written files and requires the same pages in the same
/// order.
///
/// A query word becomes a group of alternative terms: its own stem; else a typo
/// correction from the index's words within `maxEdits`; else, when nothing is a typo
/// away, the words it begins (so a submitted "arthrosc" still finds arthroscopy).
/// While typing, the last word is also a prefix. A page scores, per group, the best
/// BM25 of the group's alternatives (times the alternative's weight), summed over the
/// groups; ties go to the page earlier in the site's order.
public struct SearchEngine: Sendable {
    static let k1 = 1.2
    static let b = 0.75
    static let prefixWeight = 0.7
    static let correctionWeight = 0.9
    static let maxExpansions = 30
    static let minPrefix = 2

    public let index: InvertedIndex
    /// `avgLength` as the browser reads it: the file holds it to three decimals.
    let averageLength: Double
    private let stemmer = Stemmer()

    public init(_ index: InvertedIndex) {
        self.index = index
        // `JSON.decimalText` always writes digits with an optional fraction.
        averageLength = Double(JSON.decimalText(index.averageLength))!
    }

    /// `typing`: the query is still being typed, so its last word also matches as a
    /// prefix; a search submitted or opened from `?q=` (and a pinned search) is not.
    public func search(_ query: String, typing: Bool = false) -> SearchOutcome {
        let groups = plan(query, typing: typing)
        var scores: [Int: Double] = [:]
        for group in groups {
            var best: [Int: Double] = [:]
            for alternative in group.alternatives {
                guard let list = index.postings[alternative.term] else { continue }
                for posting in list {
                    let value = alternative.weight * bm25(posting, documentFrequency: list.count)
                    if let current = best[posting.doc], current >= value { continue }
                    best[posting.doc] = value
                }
            }
            // Per page the groups add up in query order, as in the script, so the
            // floating-point sums are the same.
            for (doc, value) in best { scores[doc, default: 0] += value }
        }
        let hits = scores.map { SearchOutcome.Hit(doc: $0.key, score: $0.value) }
            .sorted { $0.score != $1.score ? $0.score > $1.score : $0.doc < $1.doc }
        return SearchOutcome(
            hits: hits,
            corrections: groups.compactMap { group in group.correction.map { .init(from: group.word, to: $0) } },
            unknown: groups.filter { $0.kind == .unknown }.map(\.word)
        )
    }

    // MARK: - Planning: query words to groups of alternative terms

    struct Group {
        enum Kind { case exact, prefix, corrected, unknown }
        var word: String
        /// The word being typed: it also matches as a prefix, and is kept even if a stop word.
        var last: Bool
        var stop: Bool
        var stem: String
        var kind = Kind.unknown
        var correction: String?
        var alternatives: [(term: String, weight: Double)] = []
    }

    func plan(_ query: String, typing: Bool) -> [Group] {
        let words = Tokenizer.tokens(query)
        let inProgress = typing && Self.endsInWord(query)
        var groups: [Group] = []
        for (position, word) in words.enumerated() {
            let last = inProgress && position == words.count - 1
            let stop = Stopwords.all.contains(word)
            if stop && !last { continue }
            groups.append(Group(word: word, last: last, stop: stop, stem: stemmer.stem(word)))
        }
        for position in groups.indices { resolve(&groups[position]) }
        return groups.filter { !($0.stop && $0.kind == .unknown) }
    }

    func resolve(_ group: inout Group) {
        let exact = !group.stop && index.postings[group.stem] != nil
        if exact { group.alternatives.append((group.stem, 1)) }
        if group.last {
            let stems = prefixAlternatives(group)
            group.alternatives += stems.map { ($0, Self.prefixWeight) }
            if exact {
                group.kind = .exact
            } else if !stems.isEmpty {
                group.kind = .prefix
            } else if let found = correction(group) {
                apply(found, to: &group)
            }
            return
        }
        if exact {
            group.kind = .exact
        } else if let found = correction(group) {
            apply(found, to: &group)
        } else {
            let stems = prefixAlternatives(group)
            group.alternatives += stems.map { ($0, Self.prefixWeight) }
            if !stems.isEmpty { group.kind = .prefix }
        }
    }

    func apply(_ correction: (word: String, stem: String), to group: inout Group) {
        group.kind = .corrected
        group.correction = correction.word
        group.alternatives.append((correction.stem, Self.correctionWeight))
    }

    /// Stems of the indexed words that `group.word` begins, most common first.
    func prefixAlternatives(_ group: Group) -> [String] {
        guard group.word.unicodeScalars.count >= Self.minPrefix else { return [] }
        var stems: [String] = []
        var seen = Set<String>()
        for word in words(startingWith: group.word) where word != group.word && !Stopwords.all.contains(word) {
            let stem = stemmer.stem(word)
            if stem != group.stem, index.postings[stem] != nil, seen.insert(stem).inserted { stems.append(stem) }
        }
        let ordered = stems.sorted {
            let (left, right) = (documentFrequency($0), documentFrequency($1))
            return left != right ? left > right : utf16Less($0, $1)
        }
        return Array(ordered.prefix(Self.maxExpansions))
    }

    /// The closest indexed word with the same first letter, within `maxEdits`: fewest
    /// edits, then on most pages, then nearest in length, then first in order.
    func correction(_ group: Group) -> (word: String, stem: String)? {
        let allowed = Self.maxEdits(group.word)
        guard allowed > 0, !group.stop, let first = group.word.unicodeScalars.first else { return nil }
        var close: [(word: String, distance: Int, stem: String)] = []
        for candidate in words(startingWith: String(first)) where !Stopwords.all.contains(candidate) {
            let distance = Self.editDistance(group.word, candidate, max: allowed)
            guard distance <= allowed else { continue }
            let stem = stemmer.stem(candidate)
            if index.postings[stem] != nil { close.append((candidate, distance, stem)) }
        }
        // The script measures the length difference in UTF-16 units (`String.length`).
        let length = group.word.utf16.count
        let best = close.min { a, b in
            if a.distance != b.distance { return a.distance < b.distance }
            let (left, right) = (documentFrequency(a.stem), documentFrequency(b.stem))
            if left != right { return left > right }
            let (gapA, gapB) = (abs(a.word.utf16.count - length), abs(b.word.utf16.count - length))
            if gapA != gapB { return gapA < gapB }
            return utf16Less(a.word, b.word)
        }
        return best.map { ($0.word, $0.stem) }
    }

    /// The indexed words that start with `prefix`, found by binary search: the list is
    /// sorted by UTF-16 code units, as the script compares strings.
    func words(startingWith prefix: String) -> ArraySlice<String> {
        let words = index.words
        var low = 0, high = words.count
        while low < high {
            let middle = (low + high) / 2
            if utf16Less(words[middle], prefix) { low = middle + 1 } else { high = middle }
        }
        var end = low
        while end < words.count, words[end].utf16.starts(with: prefix.utf16) { end += 1 }
        return words[low..<end]
    }

    func documentFrequency(_ term: String) -> Int { index.postings[term]?.count ?? 0 }

    // MARK: - Scoring

    func bm25(_ posting: Posting, documentFrequency: Int) -> Double {
        let length = Double(LengthNorm.rounded(index.lengths[posting.doc]))
        let norm = 1 - Self.b + Self.b * (length / (averageLength == 0 ? 1 : averageLength))
        let frequency = Double(posting.frequency)
        return Self.idf(documents: index.documents.count, containing: documentFrequency)
            * (frequency * (Self.k1 + 1)) / (frequency + Self.k1 * norm)
    }

    static func idf(documents: Int, containing: Int) -> Double {
        log(1 + (Double(documents) - Double(containing) + 0.5) / (Double(containing) + 0.5))
    }

    // MARK: - Words

    /// True when the query ends inside a word: its last scalar is a letter, number or mark.
    static func endsInWord(_ query: String) -> Bool {
        guard let last = query.unicodeScalars.last else { return false }
        switch last.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber, .nonspacingMark, .spacingMark, .enclosingMark:
            return true
        default:
            return false
        }
    }

    /// Typos allowed in a word: none under 4 letters, 1 for 4 to 7, 2 from 8.
    static func maxEdits(_ word: String) -> Int {
        let length = word.unicodeScalars.count
        if length < 4 { return 0 }
        return length < 8 ? 1 : 2
    }

    /// Optimal string alignment distance over Unicode scalars (swapping two neighbours
    /// costs 1, as readers' typos often do), or `max + 1` as soon as it must exceed `max`.
    static func editDistance(_ a: String, _ b: String, max: Int) -> Int {
        let s = Array(a.unicodeScalars), t = Array(b.unicodeScalars)
        if abs(s.count - t.count) > max { return max + 1 }
        var previous2: [Int] = []
        var previous = Array(0...t.count)
        for i in stride(from: 1, through: s.count, by: 1) {
            var row = [i]
            var best = i
            for j in stride(from: 1, through: t.count, by: 1) {
                let cost = s[i - 1] == t[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, s[i - 1] == t[j - 2], s[i - 2] == t[j - 1] {
                    value = min(value, previous2[j - 2] + 1)
                }
                row.append(value)
                best = min(best, value)
            }
            if best > max { return max + 1 }
            previous2 = previous
            previous = row
        }
        return previous[t.count]
    }
}

/// What a search found.
public struct SearchOutcome: Sendable, Equatable {
    public struct Hit: Sendable, Equatable {
        /// The document's number: its position in `InvertedIndex.documents`.
        public var doc: Int
        public var score: Double
    }

    public struct Correction: Sendable, Equatable {
        public var from: String
        public var to: String
    }

    /// Every page found, best first (the search page shows the first 20).
    public var hits: [Hit]
    /// Words read as another indexed word ("menicus" as "meniscus").
    public var corrections: [Correction]
    /// Words that matched nothing at all.
    public var unknown: [String]
}
