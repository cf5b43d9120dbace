import ContentModel
/// Size limits of the index files.
public struct SearchIndexLimits: Sendable {
    /// Above this many bytes, the single `search/index.json` gives way to a manifest and shards.
    public var singleFile: Int
    /// Upper bound of every terms shard.
    public var shardBytes: Int
    /// Upper bound of every words file.
    public var wordBytes: Int
    /// Snippet text kept per document, in UTF-8 bytes.
    public var maxTextBytes: Int
    /// A single file may cut each page's snippet prose down to this, no further.
    public var minSnippetBytes: Int

    public init(singleFile: Int = 150_000, shardBytes: Int = 50_000, wordBytes: Int = 16_000,
                maxTextBytes: Int = 12_000, minSnippetBytes: Int = 600) {
        self.singleFile = singleFile
        self.shardBytes = shardBytes
        self.wordBytes = wordBytes
        self.maxTextBytes = maxTextBytes
        self.minSnippetBytes = minSnippetBytes
    }

    public static let standard = SearchIndexLimits()
}

/// Splits an index too big for one file into a manifest (`index.json`), terms shards,
/// words files, one file per document and the urgent targets (format in `IndexFormat`),
/// so a query loads only what it needs.
enum Sharder {
    /// One stem (or one page of a stem's postings) as it will sit in a shard.
    struct Entry {
        var term: String
        var member: String
        /// Bytes it adds to a shard: its member and a comma.
        var bytes: Int { member.utf8.count + 1 }
    }

    /// Every file, paths relative to `search/`, the manifest first.
    static func files(_ index: InvertedIndex, limits: SearchIndexLimits) -> [(path: String, text: String)] {
        var files: [(path: String, text: String)] = []
        var shardTable: [JSON] = []
        var places = LetterPlaces()
        for shard in plan(index, limits: limits) {
            let name = places.next(for: shard.first!.term)
            files.append(("terms/" + name, "{\"postings\":{" + shard.map(\.member).joined(separator: ",") + "}}"))
            shardTable.append(JSON.strings([shard.first!.term, shard.last!.term]))
        }
        let wordFiles = wordGroups(index, limits: limits)
        places = LetterPlaces()
        for group in wordFiles {
            let members: [String: JSON] = ["words": JSON.strings(group.map(\.word)), "df": .array(group.map { .int($0.df) })]
            files.append(("words/" + places.next(for: group[0].word), JSON.object(members).text))
        }
        for (number, document) in index.documents.enumerated() {
            files.append(("docs/\(number).json", IndexFormat.document(document, maxText: limits.maxTextBytes).text))
        }
        if let urgent = index.urgent {
            files.append(("urgent.json", JSON.object(["targets": IndexFormat.urgentTargets(urgent)]).text))
        }

        var manifest = IndexFormat.header(index)
        manifest["shards"] = .array(shardTable)
        manifest["wordFiles"] = JSON.strings(wordFiles.map { $0.first!.word })
        return [("index.json", JSON.object(manifest).text)] + files
    }

    /// The sorted words with the document frequency of their stems, cut into runs that
    /// share a first letter and stay under `limits.wordBytes`.
    static func wordGroups(_ index: InvertedIndex, limits: SearchIndexLimits) -> [[(word: String, df: Int)]] {
        let budget = limits.wordBytes - 32
        let stemmer = Stemmer()
        var groups: [[(word: String, df: Int)]] = []
        var current: [(word: String, df: Int)] = []
        var bytes = 0
        for word in index.words {
            let df = index.postings[stemmer.stem(word)]?.count ?? 0
            let cost = JSON.string(word).text.utf8.count + String(df).utf8.count + 2
            if let last = current.last, last.word.unicodeScalars.first != word.unicodeScalars.first || bytes + cost > budget {
                groups.append(current)
                current = []
                bytes = 0
            }
            current.append((word, df))
            bytes += cost
        }
        if !current.isEmpty { groups.append(current) }
        return groups
    }

    /// Stems in sorted order, cut into shards: one letter at a time, split by longer and
    /// longer prefixes while a group is over the bound, then neighbours packed together.
    static func plan(_ index: InvertedIndex, limits: SearchIndexLimits) -> [[Entry]] {
        let budget = limits.shardBytes - 32
        var entries: [Entry] = []
        for term in index.sortedTerms {
            let postings = index.postings[term]!
            let entry = Entry(term: term, member: IndexFormat.postingsMember(term, postings))
            if entry.bytes <= budget {
                entries.append(entry)
            } else {
                entries += pages(of: term, postings: postings, budget: budget)
            }
        }

        var shards: [[Entry]] = []
        for letter in groups(entries[...], prefixLength: 1) {
            var packed: [Entry] = []
            var packedBytes = 0
            for unit in split(letter, prefixLength: 2, budget: budget) {
                let bytes = unit.reduce(0) { $0 + $1.bytes }
                if !packed.isEmpty, packedBytes + bytes > budget {
                    shards.append(packed)
                    packed = []
                    packedBytes = 0
                }
                packed += unit
                packedBytes += bytes
            }
            if !packed.isEmpty { shards.append(packed) }
        }
        return shards
    }

    /// A group over the budget is cut by its stems' next character, and so on.
    static func split(_ entries: ArraySlice<Entry>, prefixLength: Int, budget: Int) -> [[Entry]] {
        if entries.reduce(0, { $0 + $1.bytes }) <= budget || entries.count == 1 { return [Array(entries)] }
        let parts = groups(entries, prefixLength: prefixLength)
        if parts.count == 1 && parts[0].allSatisfy({ $0.term == entries.first!.term }) {
            // Pages of one stem: each already fits on its own.
            return entries.map { [$0] }
        }
        return parts.flatMap { split($0, prefixLength: prefixLength + 1, budget: budget) }
    }

    /// Runs of consecutive entries whose stems share their first `prefixLength` characters.
    static func groups(_ entries: ArraySlice<Entry>, prefixLength: Int) -> [ArraySlice<Entry>] {
        var result: [ArraySlice<Entry>] = []
        var start = entries.startIndex
        var key: String?
        for index in entries.indices {
            let current = prefix(entries[index].term, prefixLength)
            if let key, key != current {
                result.append(entries[start..<index])
                start = index
            }
            key = current
        }
        if start < entries.endIndex { result.append(entries[start..<entries.endIndex]) }
        return result
    }

    /// A stem whose postings alone are over the budget, cut into pages that each fit.
    static func pages(of term: String, postings: [Posting], budget: Int) -> [Entry] {
        var result: [Entry] = []
        var start = 0
        var bytes = 0
        let head = IndexFormat.postingsMember(term, []).utf8.count + 1
        for (position, posting) in postings.enumerated() {
            let cost = String(posting.doc).utf8.count + String(posting.frequency).utf8.count + 2
            if position > start, head + bytes + cost > budget {
                result.append(Entry(term: term, member: IndexFormat.postingsMember(term, postings[start..<position])))
                start = position
                bytes = 0
            }
            bytes += cost
        }
        result.append(Entry(term: term, member: IndexFormat.postingsMember(term, postings[start...])))
        return result
    }

    static func prefix(_ term: String, _ length: Int) -> String {
        String(String.UnicodeScalarView(term.unicodeScalars.prefix(length)))
    }
}

/// Gives the files of one kind, in order, their names (`IndexFormat.fileName`).
struct LetterPlaces {
    private var counts: [Unicode.Scalar: Int] = [:]

    /// The name of the next file whose entries start with `first`'s letter.
    mutating func next(for first: String) -> String {
        let letter = first.unicodeScalars.first!
        defer { counts[letter, default: 0] += 1 }
        return IndexFormat.fileName(letter: letter, place: counts[letter, default: 0])
    }
}
