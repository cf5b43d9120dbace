import ContentModel
import Foundation
import SiteBuild
import Testing
import TestSupport
@testable import SearchIndex

/// Prints timings of the kept index at 10,000 pages (Benchmarks/.work/site-10000, made
/// by the benchmarks); asserts nothing about time. Runs only with PATELLA_SEARCH_TIMINGS=1:
///
///     PATELLA_SEARCH_TIMINGS=1 swift test -c release -Xswiftc -enable-testing --filter SearchIndexTiming
@Suite struct SearchIndexTimingTests {
    static var enabled: Bool { ProcessInfo.processInfo.environment["PATELLA_SEARCH_TIMINGS"] == "1" }

    static func time<T>(_ label: String, _ work: () -> T) -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        let result = work()
        print(label + ": " + String(format: "%.1f ms", Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6))
        return result
    }

    @Test(.enabled(if: enabled)) func tenThousandPages() async throws {
        let content = TestPaths.packageRoot + "/Benchmarks/.work/site-10000/patella"
        let result = await SiteBuilder.check(BuildOptions(contentDirectory: content))
        var documents = DocumentBuilder.documents(for: try #require(result.graph))
        print("documents: \(documents.count)")
        let old = Self.time("before: IndexBuilder.build") { IndexBuilder.build(documents) }
        let oldFiles = Self.time("before: SearchIndexWriter.files (Sharder)") { SearchIndexWriter.files(for: old) }
        _ = Self.time("before: SearchIndexWriter.fingerprint") { SearchIndexWriter.fingerprint(of: documents) }
        print("files: \(oldFiles.count), bytes: \(oldFiles.reduce(0) { $0 + $1.contents.count })")

        let state = SearchIndexState()
        let outputs = Self.time("after: cold outputs") { state.outputs(for: documents) }
        let made = Self.time("after: make every file") { outputs.concurrentMap { $0.make() } }
        #expect(made.map(\.contents) == oldFiles.map(\.contents))
        _ = Self.time("after: index") { state.index }

        var fingerprints = Dictionary(uniqueKeysWithValues: outputs.map { ($0.path, $0.fingerprint) })
        var random = SyntheticSite.Random(state: 3)
        for round in 0..<5 {
            let page = random.below(documents.count)
            let body = try #require(documents[page].fields.firstIndex { $0.field == .body })
            documents[page].fields[body].text += " knee stairs"
            let start = DispatchTime.now().uptimeNanoseconds
            let next = state.outputs(for: documents)
            let changed = next.filter { fingerprints[$0.path] != $0.fingerprint }
            let files = changed.map { $0.make() }
            let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            let shards = changed.filter { $0.path.hasPrefix("search/terms/") }.count
            print(String(format: "one body edit %d: %.1f ms, %d files changed (%d shards, %d bytes)", round, ms, changed.count,
                         shards, files.reduce(0) { $0 + $1.contents.count }))
            _ = Self.time("  index after the edit") { state.index }
            fingerprints = Dictionary(uniqueKeysWithValues: next.map { ($0.path, $0.fingerprint) })
        }
        let path = NSTemporaryDirectory() + "/patella-search-timing.state"
        _ = Self.time("save") { state.save(to: path) }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        print("state file: \(size) bytes")
        let loaded = try #require(Self.time("load") { SearchIndexState.load(from: path) })
        let afterLoad = Self.time("outputs after load (one more edit)") { () -> [SearchOutput] in
            documents[7].fields[documents[7].fields.count - 1].text += " swelling"
            return loaded.outputs(for: documents)
        }
        _ = Self.time("index after load") { loaded.index }
        let changed = afterLoad.filter { fingerprints[$0.path] != $0.fingerprint }
        print("files changed after load: \(changed.count)")
        try? FileManager.default.removeItem(atPath: path)
    }
}
