import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TestSupport

/// Sitemap, feed, robots.txt and schema.org JSON-LD, from the real CLI.
@Suite struct PublishingTests {
    func builtSandbox(theme: String = TestPaths.fixtureTheme) throws -> SiteSandbox {
        let sandbox = try SiteSandbox(theme: theme)
        try sandbox.directory.write("""
        ---
        title: Ache
        summary: A dull, steady pain.
        aliases: [dull pain]
        updated: 2026-03-04
        reviewed: { on: 2026-01-02, by: Clinic Reviewer }
        ---

        An ache can come from a [[sample-condition]].
        """, to: "Content/symptoms/ache.md")
        try #require(try sandbox.patella("build").status == 0)
        return sandbox
    }

    @Test func sitemapListsEveryPageWithLastmod() throws {
        let sandbox = try builtSandbox()
        let sitemap = try sandbox.directory.read("Output/sitemap.xml")
        #expect(sitemap.contains("<loc>https://fixture.example/knee/symptoms/ache/</loc><lastmod>2026-03-04</lastmod>"))
        #expect(sitemap.contains("<loc>https://fixture.example/knee/conditions/sample-condition/</loc>"))
        #expect(sitemap.components(separatedBy: "<url>").count - 1 == 7 + 9, "7 pages, home, 6 indexes, overview, search")
        _ = try XMLDocument(xmlString: sitemap)
    }

    @Test func feedHasUpdatedPagesAndParses() throws {
        let sandbox = try builtSandbox()
        let feed = try sandbox.directory.read("Output/feed.xml")
        let document = try XMLDocument(xmlString: feed)
        let entries = try document.nodes(forXPath: "//*[local-name()='entry']")
        #expect(entries.count == 1)
        #expect(feed.contains("<updated>2026-03-04T00:00:00Z</updated>"))
        #expect(feed.contains("<id>https://fixture.example/knee/symptoms/ache/</id>"))
        #expect(try sandbox.directory.read("Output/robots.txt").contains("Sitemap: https://fixture.example/knee/sitemap.xml"))
    }

    @Test func jsonLDUsesSchemaOrgHealthTypes() throws {
        let sandbox = try builtSandbox(theme: TestPaths.theme)
        func jsonLD(_ path: String) throws -> [String: Any] {
            let html = try sandbox.directory.read("Output/\(path)index.html")
            let start = try #require(html.range(of: "<script type=\"application/ld+json\">"))
            let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
            let json = String(html[start.upperBound..<end.lowerBound])
            return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        }
        let condition = try jsonLD("conditions/sample-condition/")
        #expect(condition["@type"] as? String == "MedicalWebPage")
        #expect((condition["audience"] as? [String: String])?["@type"] == "Patient")
        let about = try #require(condition["about"] as? [String: Any])
        #expect(about["@type"] as? String == "MedicalCondition")
        #expect(about["alternateName"] as? [String] == ["example knee", "runner's sample"])
        #expect((about["signOrSymptom"] as? [[String: String]])?.first?["@type"] == "MedicalSignOrSymptom")
        #expect((about["possibleTreatment"] as? [[String: String]])?.map { $0["name"] } == ["Surgery", "Icing"])
        #expect((about["riskFactor"] as? [[String: String]])?.first?["name"] == "Strain")
        #expect((about["typicalTest"] as? [[String: String]])?.first?["@type"] == "MedicalTest")

        let symptom = try jsonLD("symptoms/ache/")
        #expect(symptom["lastReviewed"] as? String == "2026-01-02")
        #expect((symptom["reviewedBy"] as? [String: String])?["name"] == "Clinic Reviewer")
        #expect((symptom["about"] as? [String: Any])?["@type"] as? String == "MedicalSignOrSymptom")
        #expect((try jsonLD("treatments/icing/")["about"] as? [String: Any])?["@type"] as? String == "MedicalTherapy")
        #expect((try jsonLD("diagnostics/scan/")["about"] as? [String: Any])?["@type"] as? String == "MedicalTest")
        #expect((try jsonLD("causes/strain/")["about"] as? [String: Any])?["@type"] as? String == "MedicalRiskFactor")
    }
}

/// The overview's tables grow with conditions × symptoms; a large site gets lists.
@Suite struct OverviewScalingTests {
    @Test func largeSitesGetListsInsteadOfTables() throws {
        let sandbox = try SiteSandbox(theme: TestPaths.theme)
        for n in 0..<50 {
            try sandbox.directory.write("---\ntitle: Symptom \(n)\nsummary: A symptom.\n---\n\nText.\n", to: "Content/symptoms/symptom-\(n).md")
        }
        for n in 0..<60 {
            try sandbox.directory.write("""
            ---
            title: Condition \(n)
            summary: A condition.
            symptoms: [symptom-\(n % 50), ache]
            treatments: [icing]
            ---

            Text.
            """, to: "Content/conditions/condition-\(n).md")
        }
        let result = try sandbox.patella("build", "-q")
        #expect(result.status == 0, "\(result.stderr)")
        let overview = try sandbox.directory.read("Output/overview/index.html")
        #expect(!overview.contains("<table class=\"matrix\">"))
        #expect(overview.components(separatedBy: "<dt>").count - 1 == 61)
        #expect(overview.contains("<a href=\"../symptoms/symptom-7/\">Symptom 7</a>"))
        let small = try SiteSandbox(theme: TestPaths.theme)
        try #require(try small.patella("build", "-q").status == 0)
        #expect(try small.directory.read("Output/overview/index.html").contains("<table class=\"matrix\">"))
    }
}
