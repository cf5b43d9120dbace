import Foundation
import Testing
import TestSupport

/// The editors' report sorts by a column when its heading is pressed.
@Suite struct EditorReportSortingTests {
    @Test func columnsSortBothWays() async throws {
        let folder = try TemporaryDirectory()
        let result = try CLI.run(["check", "--content", TestPaths.content, "--report", folder.path + "/report.html"], in: folder.path)
        try #require(result.status == 0, "\(result.stderr)")
        let server = try await StaticServer(directory: folder.path)
        let browser = try await Browser()
        try await browser.open(server.baseURL + "report.html")
        let words = "return Array.from(document.querySelectorAll('#report tbody tr')).map(r => +r.cells[4].dataset.sort);"
        try await browser.execute("document.querySelector('#report th button[data-column=\"4\"]').click();")
        let ascending = try await browser.execute(words) as? [Int] ?? []
        try await browser.execute("document.querySelector('#report th button[data-column=\"4\"]').click();")
        let descending = try await browser.execute(words) as? [Int] ?? []
        let sortState = try await browser.execute("return document.querySelectorAll('#report th')[4].getAttribute('aria-sort')") as? String
        await browser.quit()
        await server.stop()
        #expect(ascending.count == 65)
        #expect(ascending == ascending.sorted())
        #expect(descending == ascending.sorted(by: >))
        #expect(sortState == "descending")
    }
}
