import Foundation
import Testing
import TestSupport

/// The spare copy of the site that each build brings up to date: files whose bytes did
/// not change are not rewritten, files of removed pages disappear.
@Suite struct OutputUpdateTests {
    static func modified(_ sandbox: SiteSandbox, _ relative: String) throws -> Date {
        let attributes = try FileManager.default.attributesOfItem(atPath: sandbox.path + "/Output/" + relative)
        return try #require(attributes[.modificationDate] as? Date)
    }

    @Test func unchangedFilesAreNotRewritten() async throws {
        let sandbox = try SiteSandbox()
        // Two builds: the first site becomes the spare that the third build updates.
        for _ in 0..<2 { try #require(try await PatellaProcess.run(["build", "-q"], in: sandbox.path).exitedWith(0)) }
        let home = try Self.modified(sandbox, "index.html"), scan = try Self.modified(sandbox, "diagnostics/scan/index.html")
        try await Task.sleep(nanoseconds: 20_000_000) // past the file system's timestamp granularity

        let page = sandbox.path + "/Content/symptoms/ache.md"
        let text = try String(contentsOfFile: page, encoding: .utf8)
        try (text + "\nAn added sentence about the ache.\n").write(toFile: page, atomically: false, encoding: .utf8)
        try #require(try await PatellaProcess.run(["build", "-q"], in: sandbox.path).exitedWith(0))
        try #require(try await PatellaProcess.run(["build", "-q"], in: sandbox.path).exitedWith(0))

        #expect(try sandbox.directory.read("Output/symptoms/ache/index.html").contains("An added sentence about the ache."))
        #expect(try Self.modified(sandbox, "symptoms/ache/index.html") > home, "the edited page was not rewritten")
        #expect(try Self.modified(sandbox, "diagnostics/scan/index.html") == scan, "an unchanged page was rewritten")
    }

    @Test func filesOfRemovedPagesDisappear() async throws {
        let sandbox = try SiteSandbox()
        let page = "---\ntitle: Extra advice\nsummary: A page that will be removed.\n---\n\nSome advice.\n"
        try sandbox.directory.write(page, to: "Content/guides/extra.md")
        for _ in 0..<2 { try #require(try await PatellaProcess.run(["build", "-q"], in: sandbox.path).exitedWith(0)) }
        #expect(sandbox.directory.exists("Output/guides/extra/index.html"))
        try FileManager.default.removeItem(atPath: sandbox.path + "/Content/guides/extra.md")
        // Two builds, so both the spare and the published copy have been updated.
        for _ in 0..<2 {
            let result = try await PatellaProcess.run(["build", "-q"], in: sandbox.path)
            try #require(result.exitedWith(0), "\(result)")
            #expect(!sandbox.directory.exists("Output/guides/extra/index.html"))
            #expect(!sandbox.directory.exists("Output/guides/extra"), "the empty folder stayed")
            #expect(sandbox.directory.exists("Output/guides/help/index.html"))
        }
    }

    /// Files dropped into the published site by hand are not Patella's: once that copy
    /// is the spare again, the build removes them, wherever they are, even though the
    /// record of that copy does not name them.
    @Test func filesAddedByHandToThePublishedSiteAreRemoved() async throws {
        let sandbox = try SiteSandbox()
        for _ in 0..<2 { try #require(try await PatellaProcess.run(["build", "-q"], in: sandbox.path).exitedWith(0)) }
        let strays = ["Output/stray.txt", "Output/symptoms/ache/notes.txt", "Output/extra/deeper/file.txt"]
        for stray in strays { try sandbox.directory.write("not Patella's\n", to: stray) }
        // The first build updates the other copy and publishes it; the second updates this one.
        for _ in 0..<2 {
            let result = try await PatellaProcess.run(["build", "-q"], in: sandbox.path)
            try #require(result.exitedWith(0), "\(result)")
        }
        for stray in strays { #expect(!sandbox.directory.exists(stray), "\(stray) stayed") }
        #expect(!sandbox.directory.exists("Output/extra"), "the folder made by hand stayed")
        #expect(sandbox.directory.exists("Output/symptoms/ache/index.html"))
    }
}
