import ContentGraph
import ContentModel
import Foundation
import SiteBuild
import Testing
import TestSupport
@testable import SearchIndex

/// `SearchIndexState` kept across edits must give exactly the files a build from
/// scratch gives: same paths, same bytes, and fingerprints that change with the bytes.
@Suite struct SearchIndexStateTests {
    /// Small limits, so a few dozen documents already make many shards and words files.
    static let small = SearchIndexLimits(singleFile: 4_000, shardBytes: 1_500, wordBytes: 600, maxTextBytes: 300, minSnippetBytes: 100)

    static func realDocuments(_ content: String = TestPaths.content) async throws -> [SearchDocument] {
        let result = await SiteBuilder.check(BuildOptions(contentDirectory: content))
        return DocumentBuilder.documents(for: try #require(result.graph))
    }

    /// The reference: the index built from scratch by `IndexBuilder` and `Sharder`.
    static func expected(_ documents: [SearchDocument], limits: SearchIndexLimits) -> [OutputFile] {
        SearchIndexWriter.files(for: IndexBuilder.build(documents), limits: limits)
    }

    static func made(_ outputs: [SearchOutput]) -> [OutputFile] { outputs.map { $0.make() } }

    /// The state's files equal the reference's; and a fresh state agrees on every fingerprint.
    static func check(_ state: SearchIndexState, _ documents: [SearchDocument], limits: SearchIndexLimits,
                      step: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let outputs = state.outputs(for: documents, limits: limits)
        let expected = expected(documents, limits: limits)
        #expect(outputs.map(\.path) == expected.map(\.path), "\(step): paths", sourceLocation: sourceLocation)
        let files = made(outputs)
        for (file, reference) in zip(files, expected) where file.contents != reference.contents {
            Issue.record("\(step): \(file.path) differs", sourceLocation: sourceLocation)
            break
        }
        for (output, file) in zip(outputs, files) where output.path != file.path {
            Issue.record("\(step): made \(file.path) for \(output.path)", sourceLocation: sourceLocation)
        }
        let fresh = SearchIndexState().outputs(for: documents, limits: limits)
        #expect(fresh.map(\.fingerprint) == outputs.map(\.fingerprint), "\(step): fingerprints", sourceLocation: sourceLocation)
        let index = state.index
        let reference = IndexBuilder.build(documents)
        #expect(index.postings == reference.postings && index.lengths == reference.lengths && index.words == reference.words
                && index.urgent == reference.urgent && index.documents.count == documents.count, "\(step): index",
                sourceLocation: sourceLocation)
    }

    enum Edit: CaseIterable { case body, summary, title, add, remove, text, warning }

    /// Applies a random edit to a copy of `documents`.
    static func edit(_ documents: inout [SearchDocument], _ edit: Edit, random: inout SyntheticSite.Random, vocabulary: [String]) {
        let index = random.below(documents.count)
        let words = SyntheticSite.words(1 + random.below(6), from: vocabulary, random: &random)
        switch edit {
        case .body:
            if let body = documents[index].fields.firstIndex(where: { $0.field == .body }) {
                documents[index].fields[body].text += " " + words
            } else {
                documents[index].fields.append((.body, words))
            }
        case .summary:
            documents[index].summary = words
            documents[index].fields.removeAll { $0.field == .summary }
            documents[index].fields.append((.summary, words))
        case .title:
            documents[index].title = "Knee " + words
            documents[index].fields[0] = (.title, "Knee " + words)
        case .add:
            var copy = documents[index]
            copy.id += "-copy\(random.below(1_000_000))"
            copy.fields.append((.body, words))
            documents.insert(copy, at: random.below(documents.count + 1))
        case .remove:
            if documents.count > 2 { documents.remove(at: index) }
        case .text:
            documents[index].text = words + "\n" + documents[index].text
        case .warning:
            documents[index].warnings = documents[index].warnings.isEmpty ? [words] : []
        }
    }

    /// With `roundTrip`, each step starts from the state written and read back, as in a
    /// new `patella build` process.
    static func randomEdits(_ start: [SearchDocument], limits: SearchIndexLimits, steps: Int, seed: UInt64,
                            roundTrip: Bool = false) throws {
        var random = SyntheticSite.Random(seed: seed)
        let vocabulary = SyntheticSite.vocabulary(300, random: &random)
        var documents = start
        var state = SearchIndexState()
        check(state, documents, limits: limits, step: "initial")
        for step in 0..<steps {
            // Mostly the edits serve sees most (one page's text), sometimes several at once.
            let count = random.below(4) == 0 ? 1 + random.below(3) : 1
            var names: [String] = []
            for _ in 0..<count {
                let kinds: [Edit] = [.body, .body, .body, .summary, .title, .add, .remove, .text, .warning]
                let kind = kinds[random.below(kinds.count)]
                names.append("\(kind)")
                edit(&documents, kind, random: &random, vocabulary: vocabulary)
            }
            if roundTrip {
                // Sometimes brought up to the documents without making files: written with
                // terms still to measure and letters still to plan.
                if random.below(3) == 0 { _ = state.index(for: documents) }
                state = try Self.roundTrip(state)
            }
            check(state, documents, limits: limits, step: "step \(step) (\(names.joined(separator: ", ")))")
        }
    }

    static func encoded(_ state: SearchIndexState) -> [UInt8] {
        var writer = BinaryWriter()
        state.encode(to: &writer)
        return writer.bytes
    }

    static func decoded(_ bytes: some Collection<UInt8>) throws -> SearchIndexState {
        try Array(bytes).withUnsafeBytes { raw in
            var reader = BinaryReader(raw)
            let state = try SearchIndexState.decoded(from: &reader)
            guard reader.isAtEnd else { throw BinaryReader.Damaged() }
            return state
        }
    }

    /// The state written and read back; the copy writes the same bytes again.
    static func roundTrip(_ state: SearchIndexState, sourceLocation: SourceLocation = #_sourceLocation) throws -> SearchIndexState {
        let bytes = encoded(state)
        let copy = try decoded(bytes)
        #expect(encoded(copy) == bytes, "read back, the state writes other bytes", sourceLocation: sourceLocation)
        return copy
    }

    @Test func realSiteEditsMatchAFreshBuild() async throws {
        try Self.randomEdits(try await Self.realDocuments(), limits: Self.small, steps: 40, seed: 7)
    }

    @Test func realSiteSingleFileEditsMatchAFreshBuild() async throws {
        try Self.randomEdits(try await Self.realDocuments(), limits: .standard, steps: 15, seed: 11)
    }

    @Test func fixtureSiteEditsMatchAFreshBuild() async throws {
        try Self.randomEdits(try await Self.realDocuments(TestPaths.fixtureSite + "/Content"), limits: Self.small, steps: 30, seed: 3)
    }

    @Test func syntheticSiteEditsMatchAFreshBuild() async throws {
        let directory = try TemporaryDirectory()
        let content = try SyntheticSite.write(pages: 200, to: directory)
        let documents = try await Self.realDocuments(content)
        let limits = SearchIndexLimits(singleFile: 20_000, shardBytes: 6_000, wordBytes: 2_000, maxTextBytes: 2_000, minSnippetBytes: 100)
        try Self.randomEdits(documents, limits: limits, steps: 15, seed: 5)
    }

    /// `serve`'s way: told which documents changed, the state gives only the files that
    /// differ; laid over the files given before, they must be the files of a fresh build.
    @Test func changedOutputsAreExactlyTheFilesThatDiffer() async throws {
        var random = SyntheticSite.Random(seed: 13)
        let vocabulary = SyntheticSite.vocabulary(300, random: &random)
        var documents = try await Self.realDocuments()
        let limits = Self.small
        let state = SearchIndexState()
        var site: [String: [UInt8]] = [:]
        for file in Self.made(state.outputs(for: documents, limits: limits)) { site[file.path] = file.contents }
        var incremental = 0, otherFiles = 0
        for step in 0..<40 {
            let before = documents
            let kinds: [Edit] = [.body, .body, .body, .summary, .title, .text, .warning]
            let kind = kinds[random.below(kinds.count)]
            Self.edit(&documents, kind, random: &random, vocabulary: vocabulary)
            let changed = documents.indices.filter { !IndexStorage.equal(before[$0], documents[$0]) }
            if let changes = state.changedOutputs(replacing: changed.map { ($0, documents[$0]) }, limits: limits) {
                incremental += 1
                let before = Set(site.keys)
                for file in Self.made(changes.files) { site[file.path] = file.contents }
                for path in changes.vanished { site[path] = nil }
                if Set(site.keys) != before { otherFiles += 1 }
            } else {
                site = [:]
                for file in Self.made(state.outputs(for: documents, limits: limits)) { site[file.path] = file.contents }
            }
            let expected = Self.expected(documents, limits: limits)
            let differing = expected.filter { site[$0.path] != $0.contents }.map(\.path)
            #expect(site.count == expected.count && differing.isEmpty, "step \(step) (\(kind)): \(differing.prefix(5))")
        }
        // Most single-document edits keep the same files: the changed-files path is the one tested.
        #expect(incremental >= 20, "only \(incremental) of 40 edits were given as changed files")
        // Some edits split or merge files: those too are given as changes (files new or gone).
        #expect(otherFiles > 0, "no edit given as changes added or removed a file")
    }

    @Test func changingLimitsReplansEverything() async throws {
        let documents = try await Self.realDocuments()
        let state = SearchIndexState()
        Self.check(state, documents, limits: Self.small, step: "small")
        Self.check(state, documents, limits: .standard, step: "standard")
        Self.check(state, documents, limits: Self.small, step: "small again")
    }

    @Test func aBodyEditChangesFewFiles() async throws {
        let directory = try TemporaryDirectory()
        let content = try SyntheticSite.write(pages: 400, to: directory)
        var documents = try await Self.realDocuments(content)
        let limits = SearchIndexLimits(singleFile: 20_000, shardBytes: 6_000, wordBytes: 2_000, maxTextBytes: 2_000, minSnippetBytes: 100)
        let state = SearchIndexState()
        let before = Dictionary(uniqueKeysWithValues: state.outputs(for: documents, limits: limits).map { ($0.path, $0.fingerprint) })
        let body = try #require(documents[200].fields.firstIndex { $0.field == .body })
        let words = documents[200].fields[body].text.split(separator: " ")
        documents[200].fields[body].text = words.dropLast().joined(separator: " ") + " " + words[0]
        let after = state.outputs(for: documents, limits: limits)
        let changed = after.filter { before[$0.path] != $0.fingerprint }.map(\.path)
        let shards = changed.filter { $0.hasPrefix("search/terms/") }.count
        let total = after.filter { $0.path.hasPrefix("search/terms/") }.count
        #expect(shards <= 6, "\(shards) of \(total) shards changed: \(changed)")
    }

    /// A page whose length moves to another bucket changes the manifest (its length
    /// codes) and the shards of the terms whose frequency changed, not every shard holding
    /// one of its terms (format 4 kept a code in each posting: ~115 shards at 10,000 pages).
    @Test func aLengthChangeRewritesOnlyTheManifestAndChangedTerms() async throws {
        let directory = try TemporaryDirectory()
        var documents = try await Self.realDocuments(try SyntheticSite.write(pages: 400, to: directory))
        let limits = SearchIndexLimits(singleFile: 20_000, shardBytes: 6_000, wordBytes: 2_000, maxTextBytes: 2_000, minSnippetBytes: 100)
        let state = SearchIndexState()
        let before = Dictionary(uniqueKeysWithValues: state.outputs(for: documents, limits: limits).map { ($0.path, $0.fingerprint) })
        let edited = 200
        let body = try #require(documents[edited].fields.firstIndex { $0.field == .body })
        // One word the page already has, many more times: one term's frequency, and the
        // page's length far past its bucket.
        let lengthBefore = IndexBuilder.build(documents).lengths[edited]
        documents[edited].fields[body].text += String(repeating: " swelling", count: lengthBefore)
        let lengthAfter = IndexBuilder.build(documents).lengths[edited]
        #expect(LengthNorm.encode(lengthAfter) != LengthNorm.encode(lengthBefore))
        let changes = try #require(state.changedOutputs(replacing: [(edited, documents[edited])], limits: limits))
        let shards = changes.files.map(\.path).filter { $0.hasPrefix("search/terms/") }
        #expect(changes.files.contains { $0.path == "search/index.json" }, "the manifest holds the new length code")
        #expect(shards.count <= 2, "\(shards.count) shards written: \(shards)")
        #expect(shards.allSatisfy { before[$0] != nil }, "no shard was added")
    }

    /// New words of one letter split its shards and words files: the files of other
    /// letters keep their names and, since no other letter's postings changed, are not
    /// written again. Numbered through the index, every file after a split was renamed:
    /// 561 written after one edit at 10,000 pages.
    @Test func aSplitRenamesOnlyItsLettersFiles() async throws {
        let directory = try TemporaryDirectory()
        var documents = try await Self.realDocuments(try SyntheticSite.write(pages: 400, to: directory))
        let limits = SearchIndexLimits(singleFile: 20_000, shardBytes: 6_000, wordBytes: 2_000, maxTextBytes: 2_000, minSnippetBytes: 100)
        let state = SearchIndexState()
        let before = Set(state.outputs(for: documents, limits: limits).map(\.path))
        let edited = 100
        let body = try #require(documents[edited].fields.firstIndex { $0.field == .body })
        // Made-up words starting with "m", enough to overflow its files.
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        let added: [String] = (0..<300).map { number in "mq\(letters[number / 26])\(letters[number % 26])zz" }
        documents[edited].fields[body].text += " " + added.joined(separator: " ")
        let changes = try #require(state.changedOutputs(replacing: [(edited, documents[edited])], limits: limits))
        let m = "/" + String(UInt32(("m" as Unicode.Scalar).value), radix: 16) + "-"
        let named = changes.files.filter { $0.path.hasPrefix("search/terms/") || $0.path.hasPrefix("search/words/") }
        #expect(named.contains { !before.contains($0.path) }, "no file was added")
        #expect(named.allSatisfy { $0.path.contains(m) }, "another letter's file was written: \(named.map(\.path))")
        #expect(Set(before.filter { !$0.contains(m) }).isSubset(of: state.outputs(for: documents, limits: limits).map(\.path)),
                "another letter's file was renamed or removed")
        #expect(changes.vanished.allSatisfy { $0.contains(m) })
    }

    // MARK: - Written and read back

    /// Read back, a state gives the files it gave, byte for byte.
    @Test func decodedStateGivesTheSameFiles() async throws {
        let documents = try await Self.realDocuments()
        for limits in [Self.small, .standard] {
            let state = SearchIndexState()
            let before = state.outputs(for: documents, limits: limits)
            let after = try Self.roundTrip(state).outputs(for: documents, limits: limits)
            #expect(after.map(\.path) == before.map(\.path))
            #expect(after.map(\.fingerprint) == before.map(\.fingerprint))
            #expect(Self.made(after).map(\.contents) == Self.made(before).map(\.contents))
        }
    }

    @Test func decodedStateEditsMatchAFreshBuild() async throws {
        let real = try await Self.realDocuments()
        try Self.randomEdits(real, limits: Self.small, steps: 30, seed: 19, roundTrip: true)
        try Self.randomEdits(real, limits: .standard, steps: 10, seed: 23, roundTrip: true)
        let directory = try TemporaryDirectory()
        let synthetic = try await Self.realDocuments(try SyntheticSite.write(pages: 200, to: directory))
        let limits = SearchIndexLimits(singleFile: 20_000, shardBytes: 6_000, wordBytes: 2_000, maxTextBytes: 2_000, minSnippetBytes: 100)
        try Self.randomEdits(synthetic, limits: limits, steps: 10, seed: 29, roundTrip: true)
    }

    /// The next process's way: read back, the state still knows the files it gave, so
    /// it gives only those that differ (the ones the state that was never written
    /// gives); laid over the files given before, they must be the files of a fresh build.
    @Test func decodedStateGivesOnlyTheChangedFiles() async throws {
        var random = SyntheticSite.Random(seed: 13)
        let vocabulary = SyntheticSite.vocabulary(300, random: &random)
        var documents = try await Self.realDocuments()
        let limits = Self.small
        let kept = SearchIndexState()
        var state = SearchIndexState()
        _ = kept.outputs(for: documents, limits: limits)
        var site: [String: [UInt8]] = [:]
        for file in Self.made(state.outputs(for: documents, limits: limits)) { site[file.path] = file.contents }
        var incremental: [Edit] = []
        for step in 0..<40 {
            state = try Self.roundTrip(state)
            let before = documents
            let kinds: [Edit] = [.body, .body, .body, .summary, .title, .add, .remove, .text, .warning]
            let kind = kinds[random.below(kinds.count)]
            Self.edit(&documents, kind, random: &random, vocabulary: vocabulary)
            // Pages added or removed renumber the rest: only all files can follow that.
            var given: SearchChanges?
            if before.map(\.id) == documents.map(\.id) {
                let changes = documents.indices.filter { !IndexStorage.equal(before[$0], documents[$0]) }.map { ($0, documents[$0]) }
                given = state.changedOutputs(replacing: changes, limits: limits)
                let files = given?.files, reference = kept.changedOutputs(replacing: changes, limits: limits)
                #expect(files?.map(\.path) == reference?.files.map(\.path)
                        && files?.map(\.fingerprint) == reference?.files.map(\.fingerprint) && given?.vanished == reference?.vanished,
                        "step \(step) (\(kind)): \(files?.count ?? -1) files, not \(reference?.files.count ?? -1)")
            }
            if let given {
                incremental.append(kind)
                for file in Self.made(given.files) { site[file.path] = file.contents }
                for path in given.vanished { site[path] = nil }
            } else {
                site = [:]
                for file in Self.made(state.outputs(for: documents, limits: limits)) { site[file.path] = file.contents }
                _ = kept.outputs(for: documents, limits: limits)
            }
            let expected = Self.expected(documents, limits: limits)
            let differing = expected.filter { site[$0.path] != $0.contents }.map(\.path)
            #expect(site.count == expected.count && differing.isEmpty, "step \(step) (\(kind)): \(differing.prefix(5))")
        }
        #expect(incremental.count >= 20 && incremental.contains(.body), "only \(incremental) of 40 edits were given as changed files")
    }

    /// The same state gives the same bytes; any shorter prefix of them throws.
    @Test func encodingIsDeterministicAndTruncationsThrow() async throws {
        let documents = try await Self.realDocuments()
        var random = SyntheticSite.Random(seed: 31)
        for limits in [Self.small, .standard] {
            let state = SearchIndexState()
            _ = state.outputs(for: documents, limits: limits)
            let bytes = Self.encoded(state)
            #expect(Self.encoded(state) == bytes)
            let cuts = [0, 1, bytes.count - 1] + (0..<40).map { _ in random.below(bytes.count) }
            for cut in cuts {
                #expect(throws: BinaryReader.Damaged.self, "cut at \(cut) of \(bytes.count)") { try Self.decoded(bytes.prefix(cut)) }
            }
            // Those stop at a part's length: cut inside a part, its length written to
            // match, so that the part's own reading runs short.
            let parts = try bytes.withUnsafeBytes { raw in
                var reader = BinaryReader(raw)
                return [Array(try reader.readSlice()), Array(try reader.readSlice())]
            }
            for (number, part) in parts.enumerated() {
                for cut in [0, part.count - 1] + (0..<20).map({ _ in random.below(part.count) }) {
                    var writer = BinaryWriter()
                    for (other, whole) in parts.enumerated() { writer.write(bytes: other == number ? Array(whole.prefix(cut)) : whole) }
                    #expect(throws: BinaryReader.Damaged.self, "part \(number) cut at \(cut) of \(part.count)") {
                        try Self.decoded(writer.bytes)
                    }
                }
            }
        }
    }
}
