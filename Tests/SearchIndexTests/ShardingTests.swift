import ContentGraph
import ContentModel
import Foundation
import SiteBuild
import Testing
import TestSupport
@testable import SearchIndex

/// A large synthetic site, written as a content folder and read through the real pipeline.
enum SyntheticSite {
    /// The same "random" site on every run.
    typealias Random = SplitMix

    static let syllables = ["ka", "lo", "mi", "ne", "su", "ra", "ti", "vo", "de", "pu", "zen", "bar", "col", "fim", "gro", "hul",
                            "jas", "kev", "lun", "mor", "nip", "ost", "pra", "qui", "rel", "sto", "tav", "ulm", "ves", "wyn"]

    /// A vocabulary of made-up words; low numbers are drawn far more often (Zipf-like).
    static func vocabulary(_ count: Int, random: inout Random) -> [String] {
        var seen = Set<String>()
        var list: [String] = []
        while list.count < count {
            let word = (0..<(2 + random.below(3))).map { _ in syllables[random.below(syllables.count)] }.joined()
            if seen.insert(word).inserted { list.append(word) }
        }
        return list
    }

    static func words(_ n: Int, from vocabulary: [String], random: inout Random) -> String {
        (0..<n).map { _ in
            let r = Double(random.below(1_000_000) + 1) / 1_000_000
            return vocabulary[min(vocabulary.count - 1, Int(pow(Double(vocabulary.count), r)) - 1)]
        }.joined(separator: " ")
    }

    /// Writes `count` pages below `directory`: a tenth symptoms, a tenth conditions (each
    /// listing three symptoms and a treatment), one guide with a warning callout, the rest
    /// treatments. Every page says "knee", so one stem has a posting in every document.
    static func write(pages count: Int, seed: UInt64 = 42, to directory: TemporaryDirectory) throws -> String {
        var random = Random(seed: seed)
        let vocabulary = vocabulary(4_000, random: &random)
        let symptoms = max(1, count / 10)
        try directory.write("title: Synthetic\nbase_url: https://example.org/\ndisclaimer: Test only.\n", to: "Content/site.yml")
        for n in 0..<count {
            let (folder, id): (String, String) = n < symptoms ? ("symptoms", "s-\(n)")
                : n < symptoms * 2 ? ("conditions", "c-\(n)") : n == count - 1 ? ("guides", "g-\(n)") : ("treatments", "t-\(n)")
            var text = "---\ntitle: Knee \(words(3, from: vocabulary, random: &random))\n"
            text += "summary: \(words(12, from: vocabulary, random: &random))\n"
            text += "aliases: [\(words(2, from: vocabulary, random: &random)), \(words(2, from: vocabulary, random: &random))]\n"
            if folder == "conditions" {
                let listed = Set((0..<3).map { _ in "s-\(random.below(symptoms))" }).sorted()
                text += "symptoms: [\(listed.joined(separator: ", "))]\ntreatments: [t-\(symptoms * 2)]\n"
            }
            if folder == "treatments" { text += "care: self-care\n" }
            text += "---\n\n"
            for _ in 0..<2 {
                text += "## \(words(2, from: vocabulary, random: &random))\n\n\(words(30, from: vocabulary, random: &random)). Knee care matters.\n\n"
            }
            if folder == "guides" || n % 97 == 0 {
                text += "> [!WARNING]\n> See a provider if the knee looks deformed or feels hot.\n"
            }
            try directory.write(text, to: "Content/\(folder)/\(id).md")
        }
        return directory.path + "/Content"
    }

    static func graph(pages count: Int, seed: UInt64 = 42) async throws -> ContentGraph {
        let directory = try TemporaryDirectory()
        let content = try write(pages: count, seed: seed, to: directory)
        let result = await SiteBuilder.check(BuildOptions(contentDirectory: content))
        #expect(!result.diagnostics.contains { $0.severity == .error }, "\(result.diagnostics.filter { $0.severity == .error }.prefix(3))")
        return try #require(result.graph)
    }
}

@Suite struct ShardingTests {
    /// The names the format gives a kind's files, in order, written out here as the
    /// format's documentation states them: the first letter's code point in hex and the
    /// file's place among that letter's.
    static func fileNames(_ firsts: [String]) -> [String] {
        var places: [Unicode.Scalar: Int] = [:]
        return firsts.map { first in
            let letter = first.unicodeScalars.first!
            defer { places[letter, default: 0] += 1 }
            return String(letter.value, radix: 16) + "-\(places[letter, default: 0]).json"
        }
    }

    static func object(_ file: OutputFile) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(file.contents)) as? [String: Any], "\(file.path)")
    }

    /// Reads every stem's postings, every word and every document back through the
    /// manifest, the way the script does.
    static func checkRoundTrip(_ files: [OutputFile], index: InvertedIndex, limits: SearchIndexLimits) throws {
        let byPath = Dictionary(uniqueKeysWithValues: files.map { ($0.path, $0) })
        let manifest = try object(try #require(byPath["search/index.json"]))
        let shards = try #require(manifest["shards"] as? [[String]])
        let wordFiles = try #require(manifest["wordFiles"] as? [String])
        #expect(manifest["docCount"] as? Int == index.documents.count)
        #expect(manifest["lengths"] as? [Int] == index.lengths.map(LengthNorm.encode), "the length codes are the manifest's")
        #expect(manifest["postings"] == nil && manifest["docs"] == nil, "the manifest holds no postings or documents")
        #expect((manifest["urgent"] as? [String: Any])?["targets"] == nil, "the urgent targets have a file of their own")

        var loaded: [(first: String, last: String, postings: [String: [Int]])] = []
        for (range, name) in zip(shards, Self.fileNames(shards.map { $0[0] })) {
            let file = try #require(byPath["search/terms/" + name])
            #expect(file.contents.count <= limits.shardBytes, "\(file.path) is \(file.contents.count) bytes")
            let postings = try #require(try object(file)["postings"] as? [String: [Int]])
            let (first, last) = (range[0], range[1])
            #expect(postings.keys.allSatisfy { first <= $0 && $0 <= last })
            // One letter per shard.
            #expect(Set(postings.keys.map { $0.unicodeScalars.first! }).count == 1)
            loaded.append((first, last, postings))
        }
        for (term, expected) in index.postings {
            let holding = loaded.filter { $0.first <= term && term <= $0.last }
            let merged = holding.flatMap { $0.postings[term] ?? [] }
            let wanted = expected.flatMap { [$0.doc, $0.frequency] }
            #expect(merged == wanted, "postings of \(term)")
            if merged != wanted { break }
        }

        var words: [String] = []
        for (first, name) in zip(wordFiles, Self.fileNames(wordFiles)) {
            let file = try #require(byPath["search/words/" + name])
            #expect(file.contents.count <= limits.wordBytes, "\(file.path) is \(file.contents.count) bytes")
            let json = try object(file)
            let list = try #require(json["words"] as? [String])
            let frequencies = try #require(json["df"] as? [Int])
            #expect(list.first == first && frequencies.count == list.count)
            // One letter per file: typo candidates need only the files of the word's first letter.
            #expect(list.allSatisfy { $0.unicodeScalars.first == first.unicodeScalars.first })
            for (word, df) in zip(list, frequencies) {
                #expect(df == index.postings[Stemmer.stem(word)]?.count, "document frequency of \(word)")
            }
            words += list
        }
        #expect(words == index.words)

        for (number, document) in index.documents.enumerated() {
            let file = try #require(byPath["search/docs/\(number).json"])
            let row = try #require(try JSONSerialization.jsonObject(with: Data(file.contents)) as? [String])
            #expect(row[0] == document.id && row[1] == document.path)
        }
        let urgent = try #require(byPath["search/urgent.json"])
        let targets = try #require(try object(urgent)["targets"] as? [[String: Any]])
        #expect(targets.map { $0["id"] as? String } == index.urgent?.targets.map(\.id))
        #expect(files.count == 1 + shards.count + wordFiles.count + index.documents.count + 1, "no other files")
    }

    @Test func largeSiteIsShardedWithEveryFileUnderItsBound() async throws {
        let graph = try await SyntheticSite.graph(pages: 3_000)
        let index = IndexBuilder.build(DocumentBuilder.documents(for: graph))
        let files = SearchIndexWriter.files(for: index)
        let manifest = try #require(files.first { $0.path == "search/index.json" })
        #expect(try Self.object(manifest)["shards"] != nil, "index.json is a manifest")
        #expect(manifest.contents.count < 20_000, "manifest is \(manifest.contents.count) bytes")
        let shards = files.filter { $0.path.hasPrefix("search/terms/") }
        let words = files.filter { $0.path.hasPrefix("search/words/") }
        let docs = files.filter { $0.path.hasPrefix("search/docs/") }
        #expect(shards.count > 10)
        #expect(docs.count == 3_000)
        let largest = shards.map(\.contents.count).max() ?? 0
        #expect(largest <= SearchIndexLimits.standard.shardBytes)
        let total = files.reduce(0) { $0 + $1.contents.count }
        print("synthetic 3000 pages: manifest \(manifest.contents.count) B, \(shards.count) shards (largest \(largest) B), "
              + "\(words.count) words files (largest \(words.map(\.contents.count).max() ?? 0) B), "
              + "documents up to \(docs.map(\.contents.count).max() ?? 0) B, total \(total) B")
        try Self.checkRoundTrip(files, index: index, limits: .standard)
        // "knee" is on every page: its postings alone fill most of a shard.
        #expect(index.postings["knee"]?.count == 3_000)
        // Graph-aware field: conditions carry their symptoms' titles.
        #expect(index.urgent?.targets.map(\.id) == ["g-2999"])
        let condition = try #require(index.documents.firstIndex { $0.id == "c-300" })
        let symptomTitle = try #require(graph.related("c-300", .symptoms).first?.title)
        for stem in Tokenizer.tokens(symptomTitle).map(Stemmer.stem) {
            #expect(index.postings[stem]?.contains { $0.doc == condition } == true, "c-300 carries its symptom's title")
        }
    }

    @Test func stemTooBigForOneShardIsSplitOverSeveral() async throws {
        let limits = SearchIndexLimits(singleFile: 20_000, shardBytes: 3_000, wordBytes: 2_000)
        let graph = try await SyntheticSite.graph(pages: 800, seed: 7)
        let index = IndexBuilder.build(DocumentBuilder.documents(for: graph))
        let files = SearchIndexWriter.files(for: index, limits: limits)
        let manifest = try Self.object(try #require(files.first { $0.path == "search/index.json" }))
        let shards = try #require(manifest["shards"] as? [[String]])
        let kneePages = shards.filter { $0 == ["knee", "knee"] }
        #expect(kneePages.count >= 2, "the 800 postings of 'knee' (~5.5 KB) need several 3 KB shards")
        try Self.checkRoundTrip(files, index: index, limits: limits)
    }

    @Test func shardedOutputIsDeterministic() async throws {
        let first = SearchIndexWriter.files(for: try await SyntheticSite.graph(pages: 1_500, seed: 3))
        let second = SearchIndexWriter.files(for: try await SyntheticSite.graph(pages: 1_500, seed: 3))
        #expect(first.map(\.path) == second.map(\.path))
        #expect(first.map(\.contents) == second.map(\.contents))
    }

    @Test func smallSiteStaysOneFileWithAllItsProse() async throws {
        let graph = try await SyntheticSite.graph(pages: 20)
        let files = SearchIndexWriter.files(for: graph)
        #expect(files.map(\.path) == ["search/index.json"])
        let index = try Self.object(files[0])
        let docs = try #require(index["docs"] as? [[String]])
        #expect(docs.allSatisfy { $0[5].hasSuffix("Knee care matters.") || $0[5].hasSuffix("feels hot.") }, "nothing cut when everything fits")
    }
}

@Suite struct PartsTests {
    @Test func jsonIsCompactSortedAndEscaped() {
        let value = JSON.object(["b": .int(1), "a": .array([.string("x\"y\\z\n\u{1}\u{2028}/é"), .decimal(2.5), .decimal(1.0 / 3)]), "B": .int(2)])
        #expect(value.text == "{\"B\":2,\"a\":[\"x\\\"y\\\\z\\n\\u0001\\u2028/é\",2.5,0.333],\"b\":1}")
        #expect(JSON.decimalText(612) == "612")
        #expect(JSON.decimalText(-0.0004) == "0")
    }

    /// The byte writer against the rule written out scalar by scalar, on seeded strings
    /// of the characters that are escaped and their near neighbours (other E2 characters,
    /// bytes next to the escaped ones, scalars of every UTF-8 length).
    @Test func stringsAreEscapedAsTheRuleSays() {
        func expected(_ text: String, scriptSafe: Bool) -> String {
            var out = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case "\u{2028}": out += "\\u2028"
                case "\u{2029}": out += "\\u2029"
                case "<" where scriptSafe: out += "\\u003c"
                case ">" where scriptSafe: out += "\\u003e"
                case "&" where scriptSafe: out += "\\u0026"
                default:
                    if scalar.value < 0x20 {
                        let hex = String(scalar.value, radix: 16)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
            return out + "\""
        }
        let alphabet = Array("\"\\\n\r\t\u{0}\u{1}\u{1F} !#%&'/;<=>?[]aZé\u{2013}\u{2019}\u{2027}\u{2028}\u{2029}\u{202A}\u{20AC}\u{1F600}".unicodeScalars)
        var generator = SplitMix(seed: 28)
        for _ in 0..<2_000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...12, using: &generator) {
                text.unicodeScalars.append(alphabet.randomElement(using: &generator)!)
            }
            for scriptSafe in [false, true] {
                var bytes: [UInt8] = []
                JSON.writeString(text, into: &bytes, scriptSafe: scriptSafe)
                #expect(String(decoding: bytes, as: UTF8.self) == expected(text, scriptSafe: scriptSafe), "\(Array(text.unicodeScalars))")
            }
        }
    }

    @Test func decimalDigitsAreThoseOfStringDescribing() {
        var generator = SplitMix(seed: 8)
        let values = [0, 1, 9, 10, -1, -10, Int.max, Int.min] + (0..<2_000).map { _ in
            Int.random(in: Int.min...Int.max, using: &generator) >> Int.random(in: 0...63, using: &generator)
        }
        for value in values {
            var bytes: [UInt8] = [UInt8(ascii: "x")]
            bytes.appendDecimal(value)
            #expect(String(decoding: bytes, as: UTF8.self) == "x" + String(value))
        }
        for value in [UInt64.max, 0] {
            var bytes: [UInt8] = []
            bytes.appendDecimal(value)
            #expect(String(decoding: bytes, as: UTF8.self) == String(value))
        }
    }

    @Test func utf16OrderIsJavaScriptOrder() {
        // U+FF21 sorts after U+1F600 by scalar value but before it in UTF-16 (surrogates D83D...).
        #expect(utf16Less("\u{1F600}", "\u{FF21}"))
        #expect(!utf16Less("\u{FF21}", "\u{1F600}"))
        #expect(utf16Less("ab", "abc") && !utf16Less("abc", "ab") && !utf16Less("a", "a"))
        // Against the UTF-16 code units themselves, over seeded strings of ASCII, accents,
        // CJK, the private-use and specials areas (U+E000-U+FFFF) and emoji.
        var generator = SplitMix(seed: 16)
        let pool: [Unicode.Scalar] = ["a", "b", "z", "A", "-", "\u{E9}", "\u{FF}", "\u{7FF}", "\u{800}", "\u{4E2D}",
                                      "\u{D7FF}", "\u{E000}", "\u{FB01}", "\u{FF21}", "\u{FFFD}", "\u{10000}", "\u{1F600}", "\u{10FFFF}"]
        let strings = (0..<400).map { _ in
            String(String.UnicodeScalarView((0..<Int.random(in: 0...4, using: &generator)).map { _ in pool.randomElement(using: &generator)! }))
        }
        for (a, b) in zip(strings, strings.shuffled(using: &generator)) {
            #expect(utf16Less(a, b) == Array(a.utf16).lexicographicallyPrecedes(Array(b.utf16)), "\(a) < \(b)")
        }
    }

    @Test func snippetTextKeepsTheSentencesThatCoverMostWords() {
        var analyzer = Analyzer()
        let text = "Ice helps.\nIce helps a lot. Rest, elevation and compression help swelling go down.\nMore ice."
        // The summary already says "ice helps": the sentences adding new words win, in page order.
        let kept = SnippetText.select(text, summary: "Ice helps.", budget: 70, analyzer: &analyzer)
        #expect(kept == "Rest, elevation and compression help swelling go down.\nMore ice.")
        #expect(SnippetText.select(text, summary: "Ice helps.", budget: 60, analyzer: &analyzer)
            == "Rest, elevation and compression help swelling go down.")
        #expect(SnippetText.select("Short.", summary: "", budget: 100, analyzer: &analyzer) == "Short.")
    }

    @Test func truncationCutsAtWords() {
        #expect(IndexFormat.truncated("one two three\nfour", to: 9) == "one two")
        #expect(IndexFormat.truncated("one two\nthree four", to: 14) == "one two\nthree")
    }

    @Test func calloutLinesAreFoundInTheText() {
        let lines = UrgentSigns.lines(of: "See a provider if:Your knee looks deformed.It is hot.", in: "Intro.\nSee a provider if:\nYour knee looks deformed.\nIt is hot.\nAfter.")
        #expect(lines == ["See a provider if:", "Your knee looks deformed.", "It is hot."])
    }

    @Test func hyphenatedWordsAreAlsoJoined() {
        #expect(Tokenizer.hyphenCompounds("X-ray, cross\u{2011}training and anti-inflammatory pills; well - spaced; runner's-knee") ==
            ["xray", "crosstraining", "antiinflammatory", "runnersknee"])
        #expect(Tokenizer.hyphenCompounds("no compounds here -x y-") == [])
    }

    @Test func stopWordsAreFoldedAndSorted() {
        #expect(Stopwords.sorted == Stopwords.sorted.sorted())
        #expect(Stopwords.sorted.allSatisfy { Tokenizer.tokens($0) == [$0] })
        #expect(!Stopwords.all.contains("down") && !Stopwords.all.contains("not") && !Stopwords.all.contains("after"))
    }
}
