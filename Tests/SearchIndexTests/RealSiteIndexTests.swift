import ContentGraph
import ContentModel
import Foundation
import SiteBuild
import Testing
import TestSupport
@testable import SearchIndex

/// The index of the real site, built through the real pipeline.
@Suite struct RealSiteIndexTests {
    static func graph() async throws -> ContentGraph {
        let result = await SiteBuilder.check(BuildOptions(contentDirectory: TestPaths.content))
        return try #require(result.graph)
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func oneSmallDeterministicFile() async throws {
        let graph = try await Self.graph()
        let first = SearchIndexWriter.files(for: graph)
        let second = SearchIndexWriter.files(for: try await Self.graph())
        #expect(first.map(\.path) == ["search/index.json"])
        #expect(first.map(\.contents) == second.map(\.contents), "byte-identical across builds")
        let size = try #require(first.first).contents.count
        #expect(size <= SearchIndexLimits.standard.singleFile, "index.json is \(size) bytes")
        #expect(size > 20_000)
    }

    @Test func holdsEveryPageAndTheTermsReadersUse() async throws {
        let graph = try await Self.graph()
        let text = String(decoding: try #require(SearchIndexWriter.files(for: graph).first).contents, as: UTF8.self)
        let index = try Self.json(text)
        #expect(index["format"] as? String == "patella-search")
        #expect(index["version"] as? Int == 5)
        let docs = try #require(index["docs"] as? [[String]])
        #expect(docs.count == graph.pages.count)
        #expect(index["docCount"] as? Int == graph.pages.count)
        for row in docs {
            let page = try #require(graph[PageID(row[0])])
            #expect(row[1] == page.path)
            #expect(row[2] == page.type.label)
            #expect(row[3] == page.title)
        }
        let lengths = try #require(index["lengths"] as? [Int])
        #expect(lengths.count == docs.count && lengths.allSatisfy { $0 > 0 })

        let postings = try #require(index["postings"] as? [String: [Int]])
        func docsWith(_ term: String) -> [String] {
            let flat = postings[term] ?? []
            return stride(from: 0, to: flat.count, by: 2).map { docs[flat[$0]][0] }
        }
        // Aliases, titles and body words, stemmed.
        #expect(docsWith("advil").contains("otc-anti-inflammatories"))
        #expect(docsWith("tylenol").contains("acetaminophen"))
        #expect(docsWith("runner").contains("patellofemoral-pain-syndrome"))
        #expect(docsWith("meniscus").contains("medial-meniscus-tear"))
        #expect(docsWith("water").contains("knee-swelling"))
        #expect(docsWith("cortison").contains("cortisone-injection"))
        #expect(docsWith("stair").contains("trouble-with-stairs"))
        #expect(docsWith("arthroscop").contains("arthroscopic-surgery"))
        // Hyphenated words are also indexed joined.
        #expect(docsWith("xray").contains("x-ray"))
        #expect(docsWith("x").contains("x-ray") && docsWith("ray").contains("x-ray"))
        // Graph-aware: a condition carries the words of the symptoms it lists.
        #expect(docsWith("buckl").contains("mcl-injury"))
        // Stop words are not indexed.
        #expect(postings["the"] == nil && postings["of"] == nil)
        let words = try #require(index["words"] as? [String])
        #expect(words.contains("runners") && words.contains("meniscus") && words.contains("arthritis"))
        #expect(words == words.sorted(by: utf16Less))
        // Keys sorted: the serializer's order, checked on the text itself.
        #expect(text.hasPrefix("{\"avgLength\":"))
    }

    @Test func titleAndAliasesOutweighBody() async throws {
        let graph = try await Self.graph()
        let index = IndexBuilder.build(DocumentBuilder.documents(for: graph))
        let position = try #require(index.documents.firstIndex { $0.id == "acetaminophen" })
        let tylenol = try #require(index.postings["tylenol"]?.first { $0.doc == position })
        #expect(tylenol.frequency >= SearchField.aliases.weight)
        let bruising = try #require(index.documents.firstIndex { $0.id == "bruising" })
        let inBody = try #require(index.postings["tylenol"]?.first { $0.doc == bruising })
        #expect(inBody.frequency < tylenol.frequency)
    }

    /// Mirrors the script's rule (sum of the query's term weights against the threshold).
    static func isUrgent(_ query: String, _ urgent: UrgentSigns) -> Bool {
        let stems = Set(Tokenizer.tokens(query).filter { !Stopwords.all.contains($0) }.map(Stemmer.stem))
        return stems.reduce(0) { $0 + (urgent.weights[$1] ?? 0) } >= UrgentSigns.threshold
    }

    @Test func warningSignsPointToTheGuide() async throws {
        let graph = try await Self.graph()
        let urgent = try #require(IndexBuilder.build(DocumentBuilder.documents(for: graph)).urgent)
        #expect(urgent.targets.map(\.id) == ["when-to-see-a-provider"])
        #expect(urgent.targets[0].signs.contains { $0.contains("deformed") })
        for query in ["infection", "deformed", "red hot swollen", "fever", "misshapen knee"] {
            #expect(Self.isUrgent(query, urgent), "\(query) is a warning sign")
        }
        for query in ["knee pain", "stairs", "cortisone shot", "knee brace", "arthroscopic surgery", "runner's knee", "advil"] {
            #expect(!Self.isUrgent(query, urgent), "\(query) is not a warning sign")
        }
    }

    /// Two runs of the real binary: the same bytes, though Swift seeds hashing anew per process.
    @Test func identicalAcrossProcesses() throws {
        let scratch = try TemporaryDirectory()
        var outputs: [Data] = []
        for run in 0..<2 {
            let result = try CLI.run(
                ["build", "--content", TestPaths.content, "--theme", TestPaths.fixtureTheme, "--output", scratch.path + "/out\(run)", "-q"],
                in: scratch.path
            )
            #expect(result.status == 0, "\(result.stderr)")
            outputs.append(try Data(contentsOf: URL(fileURLWithPath: scratch.path + "/out\(run)/search/index.json")))
        }
        #expect(outputs[0] == outputs[1])
        #expect(!outputs[0].isEmpty)
    }
}
