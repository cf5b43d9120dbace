import Foundation
import Testing
import TestSupport

/// A build on top of the cache (the spare copy of the site and the record of what
/// each of its files was made from) skips pages whose input did not change. Whatever
/// the edit, it must give byte for byte the site a build from nothing gives.
@Suite struct IncrementalBuildTests {
    struct Edit: CustomStringConvertible, Sendable {
        var description: String
        /// Keeps every title, link and relation (and the theme and site.yml): `serve`, told
        /// which file changed, then checks only that page and renders only what shows it.
        var keepsTheGraph = false
        var apply: @Sendable (String) throws -> Void
    }

    static func replace(_ old: String, with new: String, in relative: String) -> @Sendable (String) throws -> Void {
        { root in
            let path = root + "/" + relative
            let text = try String(contentsOfFile: path, encoding: .utf8)
            guard text.contains(old) else { throw TestFailure("\(relative) has no '\(old)'") }
            try text.replacingOccurrences(of: old, with: new).write(toFile: path, atomically: false, encoding: .utf8)
        }
    }

    static let edits: [Edit] = [
        Edit(description: "a sentence added to one page's body", keepsTheGraph: true,
             apply: append("\nA sentence added by the incremental test.\n", to: "Content/conditions/knee-bursitis.md")),
        Edit(description: "a symptom's title, which the conditions listing it show",
             apply: replace("title: Knee swelling\n", with: "title: Swollen knee\n", in: "Content/symptoms/knee-swelling.md")),
        Edit(description: "a relation removed, which changes the other page's inverse list",
             apply: replace("symptoms: [knee-swelling, tenderness, inner-knee-pain, redness-warmth]",
                            with: "symptoms: [knee-swelling, tenderness, inner-knee-pain]", in: "Content/conditions/knee-bursitis.md")),
        Edit(description: "a symptom's summary, which the conditions listing it and the listings show", keepsTheGraph: true,
             apply: replace("summary: Puffiness in or around the knee", with: "summary: Swelling in or around the knee",
                            in: "Content/symptoms/knee-swelling.md")),
        Edit(description: "a treatment's care step, which moves it on its conditions' care ladders", keepsTheGraph: true,
             apply: replace("care: procedure\n", with: "care: clinician\n", in: "Content/treatments/cortisone-injection.md")),
        Edit(description: "a body link added, which lists the page under the target's 'Pages that mention this'",
             apply: append("\nSome people are offered a [[cortisone-injection]].\n", to: "Content/symptoms/knee-swelling.md")),
        Edit(description: "an updated date, which the sitemap and the feed show", keepsTheGraph: true,
             apply: replace("updated: 2026-11-22\n", with: "updated: 2026-11-20\n", in: "Content/symptoms/knee-swelling.md")),
        Edit(description: "a paragraph added to a symptom's body, with words new to the search index", keepsTheGraph: true,
             apply: append("\nQuillwort zephyrine marbleflax: words no other page has.\n", to: "Content/symptoms/knee-swelling.md")),
        Edit(description: "a body edit saved as many editors save: a new file renamed over the page", keepsTheGraph: true,
             apply: { root in
                 let path = root + "/Content/treatments/cortisone-injection.md", temporary = root + "/Content/treatments/.save.tmp"
                 let text = try String(contentsOfFile: path, encoding: .utf8) + "\nA sentence saved through a renamed file.\n"
                 try text.write(toFile: temporary, atomically: false, encoding: .utf8)
                 guard rename(temporary, path) == 0 else { throw TestFailure("cannot rename \(temporary)") }
             }),
        Edit(description: "a new page", apply: { root in
            try "---\ntitle: Extra advice\nsummary: A page added, then removed.\n---\n\nSee [[knee-bursitis]].\n"
                .write(toFile: root + "/Content/guides/extra-advice.md", atomically: false, encoding: .utf8)
        }),
        Edit(description: "that page removed", apply: { root in
            try FileManager.default.removeItem(atPath: root + "/Content/guides/extra-advice.md")
        }),
        Edit(description: "a template", apply: append("<p>Footer line added by the incremental test.</p>\n",
                                                      to: "Theme/templates/partials/site-footer.mustache")),
        Edit(description: "site.yml's title", apply: { root in
            let path = root + "/Content/site.yml"
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                line.hasPrefix("title:") ? "title: Inner Knee Pain, edited" : String(line)
            }
            try lines.joined(separator: "\n").write(toFile: path, atomically: false, encoding: .utf8)
        }),
        Edit(description: "a theme asset", apply: append("\n/* edited */\n", to: "Theme/assets/style.css")),
    ]

    static func append(_ text: String, to relative: String) -> @Sendable (String) throws -> Void {
        { root in
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: root + "/" + relative))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(text.utf8))
            try handle.close()
        }
    }

    /// Both builds judge review dates on the same day, whatever the clock does meanwhile.
    static let environment = ["SOURCE_DATE_EPOCH": "1767225600"]

    @Test func everyEditGivesTheSiteAFreshBuildGives() async throws {
        let sandbox = try SiteSandbox(content: TestPaths.content, theme: TestPaths.theme)
        // Two builds, so both copies of the site have their record.
        for _ in 0..<2 {
            let result = try await PatellaProcess.run(["build", "-q"], in: sandbox.path, environment: Self.environment)
            try #require(result.exitedWith(0), "\(result)")
        }
        for edit in Self.edits {
            try edit.apply(sandbox.path)
            let incremental = try await PatellaProcess.run(["build", "-v"], in: sandbox.path, environment: Self.environment)
            try #require(incremental.exitedWith(0), "\(edit): \(incremental)")

            let fresh = try SiteSandbox(content: sandbox.path + "/Content", theme: sandbox.path + "/Theme")
            let full = try await PatellaProcess.run(["build", "-q"], in: fresh.path, environment: Self.environment)
            try #require(full.exitedWith(0), "\(edit): \(full)")
            let expected = fresh.outputSnapshot()
            func differences() -> [String] { sandbox.outputDiffers(from: expected) }
            #expect(differences().isEmpty, "after \(edit), the incremental build differs from a fresh one in \(differences().prefix(10))")
            // The next build updates the other copy, which is one edit behind: it copies
            // what the last build made from the published site.
            let again = try await PatellaProcess.run(["build", "-q"], in: sandbox.path, environment: Self.environment)
            try #require(again.exitedWith(0), "\(edit), built again: \(again)")
            #expect(differences().isEmpty, "after \(edit), the second build differs from a fresh one in \(differences().prefix(10))")

            // The process continued from the memory the last one left, as `serve` would.
            let continued = incremental.stdout.contains("1 changed page checked")
            #expect(continued == edit.keepsTheGraph,
                    "\(edit): checked \(continued ? "only the changed page" : "every page"):\n\(incremental.stdout)")
            if edit.description.hasPrefix("a sentence added") {
                // One page changed: it, and the search index, are all that is written.
                let written = try #require(Self.filesWritten(in: incremental.stdout), "no file count in: \(incremental.stdout)")
                #expect(written >= 1 && written <= 6, "\(written) files written for a one-page edit:\n\(incremental.stdout)")
            }
        }
    }

    /// The "files  N written, M unchanged" line of `build -v`.
    static func filesWritten(in output: String) -> Int? {
        guard let line = output.split(separator: "\n").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("files") }),
              let number = line.split(separator: " ").first(where: { Int($0) != nil }) else { return nil }
        return Int(number)
    }

    /// A record that does not match its files (here: a file of the spare edited by hand)
    /// is not trusted: the next build puts the right bytes back.
    @Test func aFileChangedBehindPatellasBackIsRebuilt() async throws {
        let sandbox = try SiteSandbox()
        for _ in 0..<2 { try #require(try await PatellaProcess.run(["build", "-q"], in: sandbox.path).exitedWith(0)) }
        let good = sandbox.outputSnapshot()
        let spare = sandbox.path + "/.patella-cache/Output/site/symptoms/ache/index.html"
        try #require(FileManager.default.fileExists(atPath: spare))
        try "tampered\n".write(toFile: spare, atomically: false, encoding: .utf8)
        try #require(try await PatellaProcess.run(["build", "-q"], in: sandbox.path).exitedWith(0))
        #expect(sandbox.outputSnapshot() == good)
    }

    /// Records cut short or overwritten (a full disk, a crash, a hand edit) are not
    /// trusted: the build after them still gives the site a build from nothing gives.
    @Test func aDamagedRecordFallsBackToAFullBuild() async throws {
        let sandbox = try SiteSandbox(content: TestPaths.content, theme: TestPaths.theme)
        for _ in 0..<2 { try #require(try await PatellaProcess.run(["build", "-q"], in: sandbox.path).exitedWith(0)) }
        let cache = sandbox.path + "/.patella-cache/Output"
        let records = try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasPrefix("state-") }.sorted()
        try #require(records.count == 2, "one record per copy of the site: \(records)")
        let cut = URL(fileURLWithPath: cache + "/" + records[0])
        let bytes = try Data(contentsOf: cut)
        try bytes.prefix(bytes.count / 2).write(to: cut)
        try Data("patella-site-state\u{0}1\u{0}garbage".utf8).write(to: URL(fileURLWithPath: cache + "/" + records[1]))
        try Self.edits[1].apply(sandbox.path)
        try #require(try await PatellaProcess.run(["build", "-q"], in: sandbox.path).exitedWith(0))
        let fresh = try SiteSandbox(content: sandbox.path + "/Content", theme: sandbox.path + "/Theme")
        try #require(try await PatellaProcess.run(["build", "-q"], in: fresh.path).exitedWith(0))
        let differing = sandbox.outputDiffers(from: fresh.outputSnapshot())
        #expect(differing.isEmpty, "after damaged records the build differs from a fresh one in \(differing.prefix(10))")
    }

    /// The memory a build leaves for the next process is used only while it describes
    /// the published site and is whole: cut short, overwritten, or left from an older
    /// build, the next build checks every page and still gives what a fresh build gives.
    @Test func aDamagedOrOutdatedMemoryIsNotTrusted() async throws {
        let sandbox = try SiteSandbox(content: TestPaths.content, theme: TestPaths.theme)
        for _ in 0..<2 {
            try #require(try await PatellaProcess.run(["build", "-q"], in: sandbox.path, environment: Self.environment).exitedWith(0))
        }
        let memory = URL(fileURLWithPath: sandbox.path + "/.patella-cache/Output/memory")
        let kept = try Data(contentsOf: memory)
        let damages: [(String, @Sendable () throws -> Void)] = [
            ("cut short", { try kept.prefix(kept.count / 2).write(to: memory) }),
            ("one byte changed", {
                var bytes = kept
                bytes[bytes.count * 2 / 3] ^= 0x5a
                try bytes.write(to: memory)
            }),
            ("left from an older build", { try kept.write(to: memory) }),
        ]
        for (index, (damage, apply)) in damages.enumerated() {
            try Self.edits[[0, 3, 7][index]].apply(sandbox.path)
            if damage == "left from an older build" {
                // The build before this one published another site than the kept memory describes.
                try #require(try await PatellaProcess.run(["build", "-q"], in: sandbox.path, environment: Self.environment).exitedWith(0))
                try Self.append("\nOne more sentence.\n", to: "Content/conditions/knee-bursitis.md")(sandbox.path)
            }
            try apply()
            let build = try await PatellaProcess.run(["build", "-v"], in: sandbox.path, environment: Self.environment)
            try #require(build.exitedWith(0), "\(damage): \(build)")
            #expect(!build.stdout.contains("changed page checked"), "\(damage): the memory was used:\n\(build.stdout)")
            let fresh = try SiteSandbox(content: sandbox.path + "/Content", theme: sandbox.path + "/Theme")
            try #require(try await PatellaProcess.run(["build", "-q"], in: fresh.path, environment: Self.environment).exitedWith(0))
            let differing = sandbox.outputDiffers(from: fresh.outputSnapshot())
            #expect(differing.isEmpty, "memory \(damage): the build differs from a fresh one in \(differing.prefix(10))")
        }
    }

    /// On a site large enough for a sharded search index, an edit that brings thousands of
    /// new words splits index files and its undoing merges them again: a build continuing
    /// from the memory writes the new files and removes the gone ones, as a fresh build has them.
    @Test func searchFilesThatAppearOrVanishAreFollowed() async throws {
        let generated = try TemporaryDirectory()
        let generator = Process()
        generator.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        generator.arguments = ["python3", TestPaths.packageRoot + "/Benchmarks/generate.py", "--pages", "300",
                               "--out", generated.path + "/site"]
        generator.standardOutput = FileHandle.nullDevice
        try generator.run()
        generator.waitUntilExit()
        try #require(generator.terminationStatus == 0, "the benchmark's site generator failed")
        let sandbox = try SiteSandbox(content: generated.path + "/site/patella", theme: TestPaths.theme)
        for _ in 0..<2 {
            try #require(try await PatellaProcess.run(["build", "-q"], in: sandbox.path, environment: Self.environment).exitedWith(0))
        }
        let page = try #require(try FileManager.default.contentsOfDirectory(atPath: sandbox.path + "/Content/conditions").sorted().first)
        let relative = "Content/conditions/" + page
        let original = try String(contentsOfFile: sandbox.path + "/" + relative, encoding: .utf8)
        let newWords = (0..<3_000).map { "zyx\(String($0, radix: 26))qua" }.joined(separator: " ")
        func searchFiles() -> Set<String> { Set(sandbox.outputSnapshot().keys.filter { $0.hasPrefix("search/") }) }
        var files = searchFiles()
        for (step, text) in [original + "\n" + newWords + ".\n", original].enumerated() {
            try text.write(toFile: sandbox.path + "/" + relative, atomically: false, encoding: .utf8)
            let build = try await PatellaProcess.run(["build", "-v"], in: sandbox.path, environment: Self.environment)
            try #require(build.exitedWith(0), "\(build)")
            #expect(build.stdout.contains("1 changed page checked"), "step \(step): every page was checked:\n\(build.stdout)")
            let now = searchFiles()
            #expect(step == 0 ? !now.subtracting(files).isEmpty : !files.subtracting(now).isEmpty,
                    "step \(step): no search file \(step == 0 ? "appeared" : "vanished")")
            files = now
            let fresh = try SiteSandbox(content: sandbox.path + "/Content", theme: sandbox.path + "/Theme")
            try #require(try await PatellaProcess.run(["build", "-q"], in: fresh.path, environment: Self.environment).exitedWith(0))
            #expect(sandbox.outputDiffers(from: fresh.outputSnapshot()).isEmpty, "step \(step): the build differs from a fresh one")
            // Built again with nothing changed: the other copy, which had the files of
            // the step before, catches up (and so holds the files the next step removes).
            try #require(try await PatellaProcess.run(["build", "-q"], in: sandbox.path, environment: Self.environment).exitedWith(0))
            let differing = sandbox.outputDiffers(from: fresh.outputSnapshot())
            #expect(differing.isEmpty, "step \(step), built again: differs from a fresh build in \(differing.prefix(10))")
        }
    }
}
