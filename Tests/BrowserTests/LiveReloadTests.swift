import Foundation
import Testing
import TestSupport

/// An open tab reloads after an edit, and shows a broken edit's errors over the page.
@Suite struct LiveReloadTests {
    @Test func openTabReloadsAndShowsBuildErrors() async throws {
        let sandbox = try SiteSandbox(theme: TestPaths.theme)
        let server = try await ServeProcess(in: sandbox.path)
        let browser = try await Browser()
        try await browser.open(server.baseURL + "symptoms/ache/")
        #expect(try await browser.wait(until: "window.EventSource && document.readyState === 'complete'"))
        try await Task.sleep(nanoseconds: 500_000_000)
        try await browser.execute("window.__beforeReload = true;")
        try sandbox.directory.write("""
        ---
        title: Ache, edited
        summary: A dull, steady pain.
        ---

        An ache can come from a [[sample-condition]].
        """, to: "Content/symptoms/ache.md")
        let reloaded = try await browser.wait(until: "!window.__beforeReload && document.querySelector('h1').textContent.includes('Ache, edited')", timeout: 20)
        try sandbox.directory.write("---\ntitle: Ache\n---\n", to: "Content/symptoms/ache.md")
        let overlay = try await browser.wait(until: "document.getElementById('patella-error-overlay')", timeout: 20)
        let overlayText = try await browser.execute("return document.getElementById('patella-error-overlay').textContent") as? String ?? ""
        await browser.quit()
        _ = await server.interrupt()
        #expect(reloaded)
        #expect(overlay)
        #expect(overlayText.contains("missing required key 'summary'"), "\(overlayText)")
    }
}
