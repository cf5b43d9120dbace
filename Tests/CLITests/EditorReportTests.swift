import Foundation
import Testing
import TestSupport

@Suite struct EditorReportTests {
    @Test func reportHasARowPerPageWithItsFigures() throws {
        let sandbox = try SiteSandbox()
        try sandbox.directory.write("""
        ---
        title: When to get help
        summary: Warning signs that need a clinician soon.
        reviewed: { on: 2020-01-15, by: Clinic Reviewer }
        ---

        Read [this](../symptoms/ache.md) before you go.
        """, to: "Content/guides/help.md")
        let result = try sandbox.patella("check", "--report", "report.html")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Report written to report.html"))
        let html = try sandbox.directory.read("report.html")
        #expect(html.components(separatedBy: "<tr>").count - 2 == 7, "one header row and a row per page")
        #expect(html.contains("<code>Content/guides/help.md</code>"))
        #expect(html.contains("Reviewed 2020-01-15 by Clinic Reviewer; due 2023-01-15 (overdue)"))
        #expect(html.contains("link text &#39;this&#39;") || html.contains("link text 'this' does not say where it goes"))
        #expect(!sandbox.directory.exists("Output"), "check writes nothing but the report")
    }
}
