import Foundation
import Testing
import TestSupport

/// `patella serve` as a real subprocess on a free loopback port, over real HTTP.
@Suite struct ServeTests {
    @Test func servesTheSiteLikeAStaticHost() async throws {
        let sandbox = try SiteSandbox(theme: TestPaths.theme)
        let server = try await ServeProcess(in: sandbox.path)
        let home = try await server.get("")
        #expect(home.status == 200)
        #expect(home.headers["content-type"] == "text/html; charset=utf-8")
        let page = try await server.get("symptoms/ache/")
        #expect(String(decoding: page.body, as: UTF8.self).contains("<h1"))
        #expect(String(decoding: page.body, as: UTF8.self).contains("/__patella/live.js"), "reload script injected while serving")
        #expect(try await server.get("symptoms/ache").status == 301)
        #expect(try await server.get("assets/style.css").headers["content-type"] == "text/css; charset=utf-8")
        #expect(try await server.get("search/index.json").headers["content-type"] == "application/json")
        let missing = try await server.get("no/such/page/")
        #expect(missing.status == 404)
        #expect(String(decoding: missing.body, as: UTF8.self).contains("Page not found"), "the theme's 404 page")
        for escape in ["../../../../etc/passwd", "%2e%2e/%2e%2e/etc/passwd", "assets/..%2f..%2f..%2fetc/passwd", "..%5c..%5cetc%5cpasswd"] {
            let response = try await server.get(escape)
            #expect(response.status == 403 || response.status == 404, "\(escape) -> \(response.status)")
            #expect(!String(decoding: response.body, as: UTF8.self).contains("root:"))
        }
        let built = try String(contentsOfFile: sandbox.path + "/Output/symptoms/ache/index.html", encoding: .utf8)
        #expect(!built.contains("__patella"), "the script is injected when serving, never written to Output/")
        #expect(await server.interrupt() == 0)
    }

    @Test func verboseServePrintsEveryStagesTiming() async throws {
        let sandbox = try SiteSandbox(theme: TestPaths.theme)
        let server = try await ServeProcess(in: sandbox.path, arguments: ["--verbose"])
        let log = server.log()
        let lines = log.split(separator: "\n")
        for stage in ["load", "front-matter", "markdown", "graph", "lint", "render+write", "swap", "files"] {
            #expect(lines.contains { $0.hasPrefix("  \(stage) ") }, "no '\(stage)' line in:\n\(log)")
        }
        #expect(await server.interrupt() == 0)
    }

    @Test func editsRebuildAndReloadAndBrokenEditsKeepTheLastGoodSite() async throws {
        let sandbox = try SiteSandbox(theme: TestPaths.theme)
        let server = try await ServeProcess(in: sandbox.path)
        let events = try EventStreamReader(url: server.baseURL + "__patella/events")
        #expect(await events.wait(for: ": connected"))

        try sandbox.directory.write("""
        ---
        title: Ache
        summary: A dull ache that lingers after running.
        ---

        An ache can come from a [[sample-condition]].
        """, to: "Content/symptoms/ache.md")
        #expect(await events.wait(for: "event: reload"), "\(events.text)\n\(server.log())")
        let rebuilt = String(decoding: try await server.get("symptoms/ache/").body, as: UTF8.self)
        #expect(rebuilt.contains("lingers after running"))

        try sandbox.directory.write("---\ntitle: Ache\nsumary: typo\n---\n", to: "Content/symptoms/ache.md")
        #expect(await events.wait(for: "event: build-error"), "\(events.text)\n\(server.log())")
        #expect(events.text.contains("data: Content/symptoms/ache.md:3:1: error: unknown key 'sumary'"))
        let stillGood = String(decoding: try await server.get("symptoms/ache/").body, as: UTF8.self)
        #expect(stillGood.contains("lingers after running"), "the last good page stays served")

        // Fixed, with a new title that the pages listing it show: the rebuild reuses what
        // it parsed before and must still give the site a build from nothing gives.
        try sandbox.directory.write("---\ntitle: Dull ache\nsummary: An ache that stays.\n---\n\nSee [[sample-condition]].\n",
                                    to: "Content/symptoms/ache.md")
        #expect(await events.wait(for: "event: reload", occurrence: 2), "\(events.text)\n\(server.log())")
        let fresh = try SiteSandbox(content: sandbox.path + "/Content", theme: sandbox.path + "/Theme")
        try #require(try await PatellaProcess.run(["build", "-q"], in: fresh.path).exitedWith(0))
        let differing = sandbox.outputDiffers(from: fresh.outputSnapshot())
        #expect(differing.isEmpty, "serve's rebuild differs from a fresh build in \(differing.prefix(10))")

        // Ctrl-C stops cleanly even with a page's event stream open.
        #expect(await server.interrupt() == 0, "\(server.log())")
        #expect(server.log().contains("Stopped."))
    }
}

extension ServeTests {
    /// Every kind of edit the incremental build is tested with, made while `serve` runs:
    /// serve reuses more than a build does (the files it read, the graph, the search
    /// index, its own records), and after each edit its site must be the one a build
    /// from nothing gives.
    @Test func everyEditWhileServingGivesTheSiteAFreshBuildGives() async throws {
        let sandbox = try SiteSandbox(content: TestPaths.content, theme: TestPaths.theme)
        let server = try await ServeProcess(in: sandbox.path, environment: IncrementalBuildTests.environment)
        // Builds are counted in serve's own log ("Built ..." is printed once the site is
        // swapped in); the reload events are the other serve test's business.
        func builds() -> Int { server.log().components(separatedBy: "\nBuilt ").count - 1 + (server.log().hasPrefix("Built ") ? 1 : 0) }
        for (number, edit) in IncrementalBuildTests.edits.enumerated() {
            let before = builds()
            try edit.apply(sandbox.path)
            let deadline = Date().addingTimeInterval(60)
            while builds() == before, Date() < deadline { try await Task.sleep(nanoseconds: 50_000_000) }
            try #require(builds() > before, "\(edit): no rebuild\n\(server.log())")
            let fresh = try SiteSandbox(content: sandbox.path + "/Content", theme: sandbox.path + "/Theme")
            try #require(try await PatellaProcess.run(["build", "-q"], in: fresh.path, environment: IncrementalBuildTests.environment)
                .exitedWith(0))
            let differing = sandbox.outputDiffers(from: fresh.outputSnapshot())
            #expect(differing.isEmpty, "after \(edit), serve's site differs from a fresh build in \(differing.prefix(10))")
            let last = server.log().split(separator: "\n").last { $0.hasPrefix("Built ") } ?? ""
            if edit.keepsTheGraph {
                #expect(last.contains("1 changed page checked"), "\(edit) was not rebuilt from the changed page alone: \(last)")
            }
            if number == 0 {
                // The output folder was new: serve brought its spare copy up to date after the
                // first build, so the first edit writes that page and the index, not the whole site.
                let written = last.split(separator: "(").last?.split(separator: " ").dropLast(2).last.flatMap { Int($0) } ?? -1
                #expect((0..<20).contains(written), "first edit wrote \(written) files: \(last)")
            }
        }
        #expect(await server.interrupt() == 0, "\(server.log())")
    }
}

@Suite struct ProgressLineTests {
    @Test func fastBuildsPrintNoProgressSlowOnesDo() throws {
        let sandbox = try SiteSandbox()
        let fast = try sandbox.patella("build")
        #expect(fast.status == 0)
        #expect(!fast.stderr.contains("Building the site"))
        // A page with 100,000 links takes several seconds to check in a debug build.
        let paragraph = String(repeating: "Lorem ipsum dolor sit amet, [[ache]] consectetur. ", count: 20) + "\n\n"
        try sandbox.directory.write("---\ntitle: Long\nsummary: Long page.\n---\n" + String(repeating: paragraph, count: 5000),
                                    to: "Content/symptoms/long-page.md")
        let slow = try sandbox.patella("check")
        #expect(slow.stderr.hasPrefix("Checking Content/…\n"), "\(slow.stderr.prefix(200))")
    }
}
