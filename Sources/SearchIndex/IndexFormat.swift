import ContentModel
/// The search index files, as Theme/assets/search.js reads them (format version 5).
///
/// All files are compact UTF-8 JSON with object keys sorted by UTF-16 code units and
/// every list in a fixed order, so the same site gives byte-identical files. Terms are
/// Porter2 stems of folded words (see `Tokenizer`, `Stemmer`), plus hyphenated words
/// joined ("X-ray" is indexed as "x", "ray" and "xray"); stop words are not indexed.
///
/// A document is an array `[id, path, type, title, summary, text]`: `path` is relative
/// to the site root (`conditions/mcl-injury/`), `type` the type label ("Condition"),
/// `text` the body's prose, one block per line, for snippets. A document's number is
/// its position in the site's order (type, then title), counted from 0.
///
/// The script always reads `search/index.json` first: the whole index on a small site,
/// a manifest on a large one (it has `shards` instead of `postings`), so no request is
/// spent finding out which.
///
/// **One file** while it fits in `SearchIndexLimits.singleFile` bytes with at least
/// `minSnippetBytes` of prose per page; to fit, each page's `text` may be cut to the
/// sentences covering most of its words (`SnippetText`):
///
///     { "format": "patella-search", "version": 3,
///       "docCount": 65, "avgLength": 392.369,          // average of the decoded lengths, BM25
///       "lengths": [52, 48, ...],                      // each document's length code, by number
///       "docs": [[id, path, type, title, summary, text], ...],
///       "postings": { "stem": [doc, tf, doc, tf, ...] },  // tf = weighted term frequency
///       "words": ["acetaminophen", ...],                 // every folded word indexed, sorted
///       "stopwords": ["a", "about", ...],
///       "urgent": { ... } }                               // absent when no guide has a warning
///
/// A weighted term frequency adds, per occurrence, the weight of the field the term
/// occurs in (`SearchField`: title 10, aliases 8, headings 4, summary 3, a condition's
/// symptoms' titles and aliases 2, body 1); a document's length is the sum of its
/// frequencies. Files hold a length as its one-byte code (`LengthNorm`: exact under 16,
/// else the top four bits), and ranking uses the decoded length, so a small edit rarely
/// changes what is stored. Postings of a term are ordered by document.
///
/// **Sharded**, when one file would be larger. `search/index.json` is then a manifest:
/// the header fields above (`format`, `version`, `docCount`, `avgLength`, `lengths`,
/// `stopwords`, `urgent` without its `targets`) and two tables, whose files are named by the first
/// letter of their entries (its code point in hex) and their place among that letter's:
///
///     "shards": [["abbrev", "abus"], ...],   // terms/L-K.json holds the stems first..last
///     "wordFiles": ["abbreviated", ...]      // words/L-K.json holds the words from this one
///                                            // up to the next file's first
///
/// - `terms/L-K.json` (`IndexFormat.fileName`), `{"postings": {"stem": [doc, tf, ...]}}`: a run of stems
///   under `SearchIndexLimits.shardBytes`, one first letter per shard. The length codes
///   are the manifest's, not repeated in each posting (format 4 did): an edit that moved a
///   page into another length bucket then rewrote every shard holding one of its stems,
///   ~115 at 10,000 pages, where now only the manifest changes. A stem whose postings alone
///   exceed the bound is split over consecutive shards whose first and last are that
///   stem: a reader merges the postings of every shard whose range holds a stem.
/// - `words/L-K.json`, `{"df": [...], "words": [...]}`: sorted words, one first letter per
///   file, under `wordBytes`, each with the number of documents its stem is in. Prefix
///   matching and typo correction read these, and then only the shards of the stems
///   they choose.
/// - `docs/N.json`: document N, fetched only when it is shown as a result.
/// - `urgent.json`, `{"targets": [...]}`: fetched only when a query is a warning sign.
///
/// `urgent` (see `UrgentSigns`):
///
///     { "threshold": 70, "weights": { "infect": 100, "deform": 97, "red": 97, "swollen": 21, ... },
///       "targets": [{ "doc": 64, "id": "when-to-see-a-provider", "path": "guides/when-to-see-a-provider/",
///                     "title": "When to see a provider", "signs": ["Your knee looks deformed ...", ...] }] }
enum IndexFormat {
    static let name = "patella-search"
    static let version = 5

    /// The name of the `place`-th terms shard or words file of a letter, e.g. `61-0.json`
    /// for the first of "a". Named within the letter, not numbered through the index, so
    /// a shard that splits renames only the files of its own letter (numbered through,
    /// every file after it was written again: 561 at 10,000 pages).
    static func fileName(letter: Unicode.Scalar, place: Int) -> String {
        String(letter.value, radix: 16) + "-" + String(place) + ".json"
    }

    static func document(_ document: SearchDocument, maxText: Int) -> JSON {
        .array([
            .string(document.id), .string(document.path), .string(document.typeLabel),
            .string(document.title), .string(document.summary), .string(truncated(document.text, to: maxText)),
        ])
    }

    /// At most `limit` UTF-8 bytes of `text`, cut at the end of a line or word.
    static func truncated(_ text: String, to limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        var out = ""
        var bytes = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let separator = out.isEmpty ? "" : "\n"
            if bytes + separator.utf8.count + line.utf8.count <= limit {
                out += separator + line
                bytes += separator.utf8.count + line.utf8.count
                continue
            }
            var partial = ""
            for word in line.split(separator: " ") {
                let glue = partial.isEmpty ? separator : " "
                guard bytes + glue.utf8.count + word.utf8.count <= limit else { break }
                partial += glue + word
                bytes += glue.utf8.count + word.utf8.count
            }
            out += partial
            break
        }
        return out
    }

    /// `urgent` without its targets: what decides whether a query is a warning sign.
    static func urgentWeights(_ urgent: UrgentSigns) -> [String: JSON] {
        ["threshold": .int(UrgentSigns.threshold), "weights": .object(urgent.weights.mapValues(JSON.int))]
    }

    /// The guides the "When to get help" box links to.
    static func urgentTargets(_ urgent: UrgentSigns) -> JSON {
        .array(urgent.targets.map { target in
            .object([
                "doc": .int(target.doc), "id": .string(target.id), "path": .string(target.path),
                "title": .string(target.title), "signs": JSON.strings(target.signs),
            ])
        })
    }

    /// Fields the single file and the manifest share (the single file adds the urgent targets).
    static func header(_ index: InvertedIndex) -> [String: JSON] {
        header(lengthCodes: index.lengths.map(LengthNorm.encode), averageLength: index.averageLength, urgent: index.urgent)
    }

    /// The fields both forms share; `lengthCodes` by document number.
    static func header(lengthCodes: [Int], averageLength: Double, urgent: UrgentSigns?) -> [String: JSON] {
        var header: [String: JSON] = [
            "format": .string(name),
            "version": .int(version),
            "docCount": .int(lengthCodes.count),
            "avgLength": .decimal(averageLength),
            "lengths": .array(lengthCodes.map(JSON.int)),
            "stopwords": JSON.strings(Stopwords.sorted),
        ]
        if let urgent { header["urgent"] = .object(urgentWeights(urgent)) }
        return header
    }

    /// `search/index.json`.
    static func singleFile(_ index: InvertedIndex, texts: [String], limits: SearchIndexLimits) -> String {
        var members = header(index)
        if let signs = index.urgent {
            var urgent = urgentWeights(signs)
            urgent["targets"] = urgentTargets(signs)
            members["urgent"] = .object(urgent)
        }
        members["docs"] = .array(zip(index.documents, texts).map { document, text in
            var trimmed = document
            trimmed.text = text
            return IndexFormat.document(trimmed, maxText: limits.maxTextBytes)
        })
        members["words"] = JSON.strings(index.words)
        var postings = "{"
        for (position, term) in index.sortedTerms.enumerated() {
            if position > 0 { postings += "," }
            postings += postingsMember(term, index.postings[term]!)
        }
        members["postings"] = .raw(postings + "}")
        return JSON.object(members).text
    }

    /// `"stem":[doc,tf,...]`.
    static func postingsMember(_ term: String, _ postings: some Collection<Posting>) -> String {
        var out: [UInt8] = []
        writePostings(term, postings, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `"stem":[doc,tf,...]`, appended as bytes: a String made and appended per number
    /// was a third of writing a large site's shards.
    static func writePostings(_ term: String, _ postings: some Collection<Posting>, into out: inout [UInt8]) {
        JSON.writeString(term, into: &out)
        out.append(UInt8(ascii: ":"))
        out.append(UInt8(ascii: "["))
        var first = true
        for posting in postings {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out.appendDecimal(posting.doc)
            out.append(UInt8(ascii: ","))
            out.appendDecimal(posting.frequency)
        }
        out.append(UInt8(ascii: "]"))
    }
}
