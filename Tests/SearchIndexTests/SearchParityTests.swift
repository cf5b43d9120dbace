import ContentModel
import Foundation
import FrontMatter
import Testing
import TestSupport
@testable import SearchIndex

/// The Swift port of the ranking (`SearchEngine`, which `patella check` runs pinned
/// searches with) against the browser's own script: Theme/assets/search.js in node
/// (Tests/js/run-queries.mjs) over the files the build writes, for every pinned search,
/// every text of the shared vectors, and queries chosen to reach every branch of the
/// planning. Pages, order, corrections and unknown words must be the same; scores the
/// same to 1e-12 (V8's Math.log and glibc's log may differ in the last bit).
@Suite struct SearchParityTests {
    struct Query: Codable, Hashable {
        var query: String
        var typing: Bool
    }

    struct Result: Codable, Equatable {
        struct Correction: Codable, Equatable {
            var from: String
            var to: String
        }

        var ids: [String]
        var scores: [Double]
        var corrections: [Correction]
        var unknown: [String]

        /// Enough to see how two results differ, short enough for thousands of queries.
        var summary: String {
            let shown = ids.prefix(5).joined(separator: ", ") + (ids.count > 5 ? ", … (\(ids.count))" : "")
            return "[\(shown)] scores \(scores.prefix(3)) corrections \(corrections.map { "\($0.from)->\($0.to)" }) unknown \(unknown)"
        }
    }

    /// Typos, prefixes, stop words, nothing, and text the tokenizer must fold.
    static let tricky = [
        "", " ", "?!", "the", "the of and", "a knee", "knee the", "knee th", "knee a", "k", "kn", "kne", "knee ",
        "menis", "menisc", "cortisone sh", "tylen", "physio", "arthrosc", "therap", "xray", "x-ray", "x ray", "X\u{2011}RAY",
        "tylnol", "tlynl", "athroscopi", "mcx", "bursits", "burstis", "osteoarthritus", "patelo femoral", "knee pian",
        "ibuprofin", "aleeve", "cortizone", "tendinitus", "mensicus", "menicus tear", "kneecap", "knee cap",
        "runner’s knee", "runners' knee", "'runner'", "don't", "MÉNISCUS", "me\u{301}niscus", "ménisque", "naïve café",
        "Straße", "ΟΔΥΣΣΕΥΣ", "İstanbul", "ǅemal", "ﬁbula", "Å", "🦵 knee", "膝の痛み", "١٢٣", "knee\u{200B}pain",
        "knee\tpain\nstairs", "2", "10 minutes", "zzzzzzzzzzzzzzzzzzzzzzzzzz", "red hot swollen knee", "infection",
        "pain pain pain", "knee knee", "which running shoes for flat feet", "xqzt",
    ]

    /// Every query, each as submitted and as being typed.
    static func queries() throws -> [Query] {
        let file = try SourceFile(displayPath: "Content/search-tests.yml", relativePath: "search-tests.yml",
                                  text: String(contentsOfFile: TestPaths.content + "/search-tests.yml", encoding: .utf8))
        let (pinned, problems) = SearchTestsDecoder.decode(file)
        #expect(problems.isEmpty && pinned.count >= 25)
        let vectors = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: TestPaths.fixtures + "/search-vectors.json"))) as? [String: Any])
        let texts = (vectors["tokenize"] as? [[String: Any]] ?? []).compactMap { $0["input"] as? String }
        let words = (vectors["stem"] as? [[String]] ?? []).compactMap(\.first)
        #expect(texts.count > 20 && words.count > 1000)
        return (pinned.map(\.query.value) + tricky + texts + words).flatMap { [Query(query: $0, typing: false), Query(query: $0, typing: true)] }
    }

    /// Runs search.js in node over `site/search/`.
    static func node(_ queries: [Query], site: String) throws -> [Result] {
        let scratch = try TemporaryDirectory()
        try scratch.write(String(decoding: try JSONEncoder().encode(queries), as: UTF8.self), to: "queries.json")
        try scratch.write("", to: "results.json")
        try scratch.write("", to: "errors.txt")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["node", TestPaths.packageRoot + "/Tests/js/run-queries.mjs", site]
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: scratch.path + "/queries.json"))
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch.path + "/results.json"))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch.path + "/errors.txt"))
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestFailure("node (v20 or later, on PATH) failed with \(process.terminationStatus):\n\(try scratch.read("errors.txt"))")
        }
        return try JSONDecoder().decode([Result].self, from: Data(try scratch.read("results.json").utf8))
    }

    static func swift(_ queries: [Query], engine: SearchEngine) -> [Result] {
        queries.map { query in
            let outcome = engine.search(query.query, typing: query.typing)
            return Result(ids: outcome.hits.map { engine.index.documents[$0.doc].id }, scores: outcome.hits.map(\.score),
                          corrections: outcome.corrections.map { .init(from: $0.from, to: $0.to) }, unknown: outcome.unknown)
        }
    }

    /// A line per query whose results differ, for the failure message.
    static func differences(_ queries: [Query], swift: [Result], node: [Result]) -> [String] {
        #expect(swift.count == node.count)
        return zip(queries, zip(swift, node)).compactMap { query, pair in
            let (mine, theirs) = pair
            let scoresAgree = mine.scores.count == theirs.scores.count
                && zip(mine.scores, theirs.scores).allSatisfy { abs($0 - $1) <= 1e-12 * max(1, abs($1)) }
            guard mine.ids != theirs.ids || !scoresAgree || mine.corrections != theirs.corrections || mine.unknown != theirs.unknown else {
                return nil
            }
            return "\(query.typing ? "typing" : "submitted") \"\(query.query)\":\n  swift \(mine.summary)\n  node  \(theirs.summary)"
        }
    }

    static func index() async throws -> InvertedIndex {
        IndexBuilder.build(DocumentBuilder.documents(for: try await RealSiteIndexTests.graph()))
    }

    /// The real site as `patella build` writes it: one `search/index.json`.
    @Test func sameResultsAsTheBrowserOnTheRealSite() async throws {
        let scratch = try TemporaryDirectory()
        let build = try CLI.run(["build", "--content", TestPaths.content, "--theme", TestPaths.fixtureTheme,
                                 "--output", scratch.path + "/site", "-q"], in: scratch.path)
        try #require(build.status == 0, "\(build.stderr)")
        #expect(scratch.exists("site/search/index.json"))
        let queries = try Self.queries()
        let engine = SearchEngine(try await Self.index())
        let swift = Self.swift(queries, engine: engine)
        let differences = Self.differences(queries, swift: swift, node: try Self.node(queries, site: scratch.path + "/site"))
        #expect(differences.count == 0, "\(differences.count) of \(queries.count) queries differ:\n\(differences.prefix(10).joined(separator: "\n"))")
        #expect(swift.filter { !$0.ids.isEmpty }.count > queries.count / 2, "most queries find something")
        #expect(swift.contains { !$0.corrections.isEmpty } && swift.contains { !$0.unknown.isEmpty })
    }

    /// The same index cut into a manifest, terms shards, words files and a file per
    /// document, as a large site's is: the script merges shards and chooses completions
    /// and corrections from the words files, and must still rank as the whole index does.
    @Test func sameResultsAsTheBrowserOnAShardedIndex() async throws {
        let index = try await Self.index()
        let limits = SearchIndexLimits(singleFile: 20_000, shardBytes: 4_000, wordBytes: 1_000)
        let scratch = try TemporaryDirectory()
        for file in SearchIndexWriter.files(for: index, limits: limits) {
            try scratch.write(String(decoding: file.contents, as: UTF8.self), to: "site/" + file.path)
        }
        #expect(try scratch.read("site/search/index.json").contains("\"shards\":"), "index.json is a manifest")
        let queries = try Self.queries()
        let differences = Self.differences(queries, swift: Self.swift(queries, engine: SearchEngine(index)),
                                           node: try Self.node(queries, site: scratch.path + "/site"))
        #expect(differences.count == 0, "\(differences.count) of \(queries.count) queries differ:\n\(differences.prefix(10).joined(separator: "\n"))")
    }
}
