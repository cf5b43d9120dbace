import ContentModel
/// Size limits of the index files.
public struct SearchIndexLimits: Sendable {
    /// Above this many bytes, the single `search/index.json` gives way to a manifest and shards.
    public var singleFile: Int
    /// Upper bound of every terms shard.
    public var shardBytes: Int
    /// Documents per document chunk, at most.
    public var docsPerChunk: Int
    /// Upper bound of every document chunk.
    public var chunkBytes: Int
    /// Snippet text kept per document, in UTF-8 bytes.
    public var maxTextBytes: Int
    /// A single file may cut each page's snippet prose down to this, no further.
    public var minSnippetBytes: Int

    public init(singleFile: Int = 150_000, shardBytes: Int = 50_000, docsPerChunk: Int = 200,
                chunkBytes: Int = 50_000, maxTextBytes: Int = 12_000, minSnippetBytes: Int = 600) {
        self.singleFile = singleFile
        self.shardBytes = shardBytes
        self.docsPerChunk = docsPerChunk
        self.chunkBytes = chunkBytes
        self.maxTextBytes = min(maxTextBytes, chunkBytes / 2)
        self.minSnippetBytes = minSnippetBytes
    }

    public static let standard = SearchIndexLimits()
}

/// Splits an index too big for one file into a manifest, terms shards and document
/// chunks (format in `IndexFormat`), so a query loads only what it needs.
enum Sharder {
    /// One stem (or one page of a stem's postings) as it will sit in a shard.
    struct Entry {
        var term: String
        var member: String
        var words: [String]
        /// Bytes it adds to a shard: its member, its words, their commas and quotes.
        var bytes: Int
    }

    /// Every file, paths relative to `search/`, the manifest first.
    static func files(_ index: InvertedIndex, limits: SearchIndexLimits) -> [(path: String, text: String)] {
        let shards = plan(index, limits: limits)
        var files: [(path: String, text: String)] = []
        var shardTable: [JSON] = []
        for (number, shard) in shards.enumerated() {
            let path = "terms/\(number).json"
            let words = shard.flatMap(\.words)
            var text = "{\"postings\":{" + shard.map(\.member).joined(separator: ",") + "},\"words\":"
            text += JSON.strings(words).text + "}"
            files.append((path, text))
            let first = shard.first!.term, last = shard.last!.term
            var row: [String: JSON] = [
                "file": .string(path), "prefix": .string(commonPrefix(first, last)),
                "first": .string(first), "last": .string(last),
            ]
            if let low = words.min(by: utf16Less), let high = words.max(by: utf16Less) {
                row["wordFirst"] = .string(low)
                row["wordLast"] = .string(high)
            }
            shardTable.append(.object(row))
        }

        var chunkTable: [JSON] = []
        var chunk: [String] = []
        var chunkStart = 0
        var chunkBytes = 0
        let chunkOverhead = 32
        func flush() {
            guard !chunk.isEmpty else { return }
            let path = "docs/\(chunkTable.count).json"
            files.append((path, "{\"docs\":[" + chunk.joined(separator: ",") + "],\"first\":\(chunkStart)}"))
            chunkTable.append(.object(["file": .string(path), "first": .int(chunkStart), "count": .int(chunk.count)]))
            chunkStart += chunk.count
            chunk = []
            chunkBytes = 0
        }
        for document in index.documents {
            let text = IndexFormat.document(document, maxText: limits.maxTextBytes).text
            if chunk.count >= limits.docsPerChunk || chunkOverhead + chunkBytes + text.utf8.count + 1 > limits.chunkBytes { flush() }
            chunk.append(text)
            chunkBytes += text.utf8.count + 1
        }
        flush()

        var manifest = IndexFormat.header(index)
        manifest["shards"] = .array(shardTable)
        manifest["docChunks"] = .array(chunkTable)
        manifest["termCount"] = .int(index.postings.count)
        manifest["wordCount"] = .int(index.words.count)
        return [("manifest.json", JSON.object(manifest).text)] + files
    }

    /// Stems in sorted order, cut into shards: one letter at a time, split by longer and
    /// longer prefixes while a group is over the bound, then neighbours packed together.
    static func plan(_ index: InvertedIndex, limits: SearchIndexLimits) -> [[Entry]] {
        let budget = limits.shardBytes - 32
        var wordsByTerm: [String: [String]] = [:]
        let stemmer = Stemmer()
        for word in index.words { wordsByTerm[stemmer.stem(word), default: []].append(word) }

        var entries: [Entry] = []
        for term in index.sortedTerms {
            let words = wordsByTerm[term] ?? []
            let postings = index.postings[term]!
            let member = IndexFormat.postingsMember(term, postings, lengths: index.lengths)
            let entry = Entry(term: term, member: member, words: words, bytes: member.utf8.count + 1 + wordBytes(words))
            if entry.bytes <= budget {
                entries.append(entry)
            } else {
                entries += pages(of: term, postings: postings, words: words, lengths: index.lengths, budget: budget)
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
    static func pages(of term: String, postings: [Posting], words: [String], lengths: [Int], budget: Int) -> [Entry] {
        var result: [Entry] = []
        var start = 0
        var bytes = 0
        var pageWords = words
        let head = IndexFormat.postingsMember(term, [], lengths: lengths).utf8.count + 1
        for (position, posting) in postings.enumerated() {
            let cost = String(posting.doc).utf8.count + String(posting.frequency).utf8.count
                + String(lengths[posting.doc]).utf8.count + 3
            if position > start, head + wordBytes(pageWords) + bytes + cost > budget {
                let member = IndexFormat.postingsMember(term, postings[start..<position], lengths: lengths)
                result.append(Entry(term: term, member: member, words: pageWords, bytes: member.utf8.count + 1 + wordBytes(pageWords)))
                pageWords = []
                start = position
                bytes = 0
            }
            bytes += cost
        }
        let member = IndexFormat.postingsMember(term, postings[start...], lengths: lengths)
        result.append(Entry(term: term, member: member, words: pageWords, bytes: member.utf8.count + 1 + wordBytes(pageWords)))
        return result
    }

    static func wordBytes(_ words: [String]) -> Int {
        words.reduce(0) { $0 + JSON.string($1).text.utf8.count + 1 }
    }

    static func prefix(_ term: String, _ length: Int) -> String {
        String(String.UnicodeScalarView(term.unicodeScalars.prefix(length)))
    }

    static func commonPrefix(_ a: String, _ b: String) -> String {
        var view = String.UnicodeScalarView()
        for (x, y) in zip(a.unicodeScalars, b.unicodeScalars) {
            guard x == y else { break }
            view.append(x)
        }
        return String(view)
    }
}
