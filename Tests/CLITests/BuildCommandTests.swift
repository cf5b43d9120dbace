import Foundation
import Testing
import TestSupport

@Suite struct BuildCommandTests {
    @Test func buildsEveryPageIndexAndAsset() throws {
        let sandbox = try SiteSandbox()
        let result = try sandbox.patella("build")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("Built 7 pages into Output/ in "))
        for page in ["conditions/sample-condition", "symptoms/ache", "causes/strain", "treatments/icing",
                     "treatments/surgery", "diagnostics/scan", "guides/help"] {
            #expect(sandbox.directory.exists("Output/\(page)/index.html"), "missing \(page)")
        }
        for index in ["index.html", "404.html", "overview/index.html", "conditions/index.html", "symptoms/index.html",
                      "causes/index.html", "treatments/index.html", "diagnostics/index.html", "guides/index.html"] {
            #expect(sandbox.directory.exists("Output/\(index)"), "missing \(index)")
        }
        #expect(sandbox.directory.exists("Output/assets/test.css"))
        #expect(sandbox.directory.exists("Output/media/knee.svg"))
    }

    /// The whole rendered page of the fixture that uses every feature, byte for byte.
    /// Regenerate after an intended change with PATELLA_UPDATE_GOLDEN=1 swift test.
    @Test func goldenConditionPage() throws {
        let sandbox = try SiteSandbox()
        try #require(try sandbox.patella("build").status == 0)
        let actual = try sandbox.directory.read("Output/conditions/sample-condition/index.html")
        let goldenPath = TestPaths.fixtures + "/golden/sample-condition.html"
        if ProcessInfo.processInfo.environment["PATELLA_UPDATE_GOLDEN"] == "1" {
            try actual.write(toFile: goldenPath, atomically: true, encoding: .utf8)
        }
        #expect(actual == (try String(contentsOfFile: goldenPath, encoding: .utf8)))
    }

    @Test func everyMarkdownExtensionIsOn() throws {
        let sandbox = try SiteSandbox()
        try #require(try sandbox.patella("build").status == 0)
        let html = try sandbox.directory.read("Output/conditions/sample-condition/index.html")
        #expect(html.contains("<table>") && html.contains("<th style=\"text-align: right\">How common</th>"), "table")
        #expect(html.contains("<del>limping</del>"), "strikethrough")
        #expect(html.contains("<a href=\"https://www.example.org\">https://www.example.org</a>"), "autolink")
        #expect(html.contains("<input type=\"checkbox\" checked=\"\" disabled=\"\" /> rest first"), "tasklist")
        #expect(html.contains("<section class=\"footnotes\" data-footnotes>"), "footnotes")
        #expect(html.contains("“often”") && html.contains("mild – but not always…"), "smart punctuation")
        #expect(!html.contains("<script>alert") && !html.contains("onclick"), "raw HTML is not passed through")
        #expect(html.contains("<div class=\"callout callout-warning\" role=\"note\"><p class=\"callout-title\">When to get help</p>"))
        #expect(html.contains("<h2 id=\"treatment-2\">"), "repeated headings get unique ids")
        #expect(html.contains("<a class=\"heading-anchor\" href=\"#what-it-is\""), "anchor links")
        #expect(html.contains("<nav class=\"toc\">"), "table of contents with 3+ sections")
        #expect(html.contains("<a href=\"../../diagnostics/scan/#what-it-shows\">the scan</a>"), "relative .md link rewritten")
        #expect(html.contains("<a href=\"../../symptoms/ache/\">Ache</a>"), "[[id]] link with the title")
        #expect(html.contains("<a href=\"../../diagnostics/scan/\">imaging</a>"), "[[id|text]] link")
        #expect(html.contains("[[not-a-link]] inside code"), "code is left alone")
        #expect(html.contains("<img src=\"../../media/knee.svg\" alt=\"A knee, seen from the inner side\" />"))
        let scan = try sandbox.directory.read("Output/diagnostics/scan/index.html")
        #expect(!scan.contains("<nav class=\"toc\">"), "no table of contents under 3 sections")
    }

    @Test func inverseEdgesAppearOnTargetPages() throws {
        let sandbox = try SiteSandbox()
        try #require(try sandbox.patella("build").status == 0)
        let ache = try sandbox.directory.read("Output/symptoms/ache/index.html")
        #expect(ache.contains("<h2>Conditions that can cause this</h2><ul><li data-type=\"condition\"><a href=\"../../conditions/sample-condition/\">Sample condition</a>"))
        let icing = try sandbox.directory.read("Output/treatments/icing/index.html")
        #expect(icing.contains("<h2>Used to treat</h2><ul><li data-type=\"condition\"><a href=\"../../conditions/sample-condition/\">"))
        #expect(icing.contains("<p class=\"care\" data-step=\"self-care\">Step 1: Self-care at home</p>"))
        let condition = try sandbox.directory.read("Output/conditions/sample-condition/index.html")
        // The care ladder lists self-care before surgery although the page lists surgery first.
        let selfCare = try #require(condition.range(of: "data-step=\"self-care\""))
        let surgery = try #require(condition.range(of: "data-step=\"surgery\""))
        #expect(selfCare.lowerBound < surgery.lowerBound)
    }

    @Test func missingContentFolderFailsWithItsName() throws {
        let sandbox = try SiteSandbox()
        let result = try sandbox.patella("build", "--content", "Nope")
        #expect(result.status == 1)
        #expect(result.stderr.contains("Nope: error: content folder 'Nope' does not exist"))
        #expect(!sandbox.directory.exists("Output"))
    }

    @Test func usageErrorsExitTwo() throws {
        let sandbox = try SiteSandbox()
        let result = try sandbox.patella("build", "--no-such-flag")
        #expect(result.status == 2)
        #expect(result.stderr.contains("--no-such-flag"))
        #expect(try sandbox.patella("check", "--format", "yaml").status == 2)
    }

    @Test func versionAndHelp() throws {
        let sandbox = try SiteSandbox()
        let version = try sandbox.patella("--version")
        #expect(version.status == 0)
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
        for command in ["build", "check", "graph", "new"] {
            let help = try sandbox.patella(command, "--help")
            #expect(help.status == 0)
            #expect(help.stdout.contains("USAGE: patella \(command)"))
        }
    }

    @Test func brokenTemplateLeavesOutputUntouched() throws {
        let sandbox = try SiteSandbox()
        try #require(try sandbox.patella("build").status == 0)
        let before = sandbox.outputSnapshot()
        try sandbox.directory.write("{{<layout}}{{$main}}{{#page}}{{title}}{{/main}}{{/layout}}\n", to: "Theme/templates/guide.mustache")
        try sandbox.directory.write("{{> partials/nope}}\n", to: "Theme/templates/404.mustache")
        try sandbox.directory.write("{{<layout}}\n{{$main}}\n  <p>{{#page}}{{title}}{{/main}}\n{{/layout}}\n", to: "Theme/templates/search.mustache")
        try sandbox.directory.write("<ul>\n{{#items}}\n  {{> partials/loop}}\n{{/items}}\n</ul>\n", to: "Theme/templates/partials/loop.mustache")
        let result = try sandbox.patella("build")
        #expect(result.status == 1)
        // Each at the close tag that does not match its section.
        let mismatch = "error: template syntax error: a section is closed with a different name than it was opened"
        #expect(result.stderr.contains("Theme/templates/guide.mustache:1:39: " + mismatch))
        #expect(result.stderr.contains("Theme/templates/search.mustache:3:24: " + mismatch))
        #expect(result.stderr.contains("Theme/templates/404.mustache:1:1: error: template '404' uses 'partials/nope', which the theme does not have"))
        // Rendering it would never end.
        #expect(result.stderr.contains(
            "Theme/templates/partials/loop.mustache:3:3: error: templates include each other without end: partials/loop -> partials/loop"))
        #expect(sandbox.outputSnapshot() == before)
    }

    @Test func refusesToReplaceAFolderItDidNotWrite() throws {
        let sandbox = try SiteSandbox()
        try sandbox.directory.write("my notes\n", to: "Notes/todo.txt")
        let result = try sandbox.patella("build", "--output", "Notes")
        #expect(result.status == 1)
        #expect(result.stderr.contains("holds files Patella did not write"))
        #expect(try sandbox.directory.read("Notes/todo.txt") == "my notes\n")
    }

    @Test func rebuildReplacesTheSiteAndKeepsGitkeep() throws {
        let sandbox = try SiteSandbox()
        try sandbox.directory.write("", to: "Output/.gitkeep")
        try #require(try sandbox.patella("build").status == 0)
        try FileManager.default.removeItem(atPath: sandbox.path + "/Content/treatments/surgery.md")
        try sandbox.directory.write("""
        ---
        title: Sample condition
        summary: Now without surgery.
        symptoms: [ache]
        treatments: [icing]
        ---

        Body.
        """, to: "Content/conditions/sample-condition.md")
        try sandbox.directory.write("""
        ---
        title: Icing
        summary: Cold packs.
        care: self-care
        ---

        Icing eases pain.
        """, to: "Content/treatments/icing.md")
        let result = try sandbox.patella("build")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!sandbox.directory.exists("Output/treatments/surgery/index.html"), "pages removed from Content leave the site")
        #expect(sandbox.directory.exists("Output/.gitkeep"))
    }

    @Test func draftsAreLeftOutUnlessAskedFor() throws {
        let sandbox = try SiteSandbox()
        try sandbox.directory.write("""
        ---
        title: Draft guide
        summary: Not ready.
        draft: true
        ---

        See [[help]].
        """, to: "Content/guides/draft-guide.md")
        try #require(try sandbox.patella("build").status == 0)
        #expect(!sandbox.directory.exists("Output/guides/draft-guide/index.html"))
        try #require(try sandbox.patella("build", "--drafts").status == 0)
        #expect(sandbox.directory.exists("Output/guides/draft-guide/index.html"))
    }
}
