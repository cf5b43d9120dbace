import Foundation
import Testing
import TestSupport

/// The real site's /search/ page, served on loopback, in a real headless Chromium:
/// the queries readers type, checked for the page that must rank in the top 3.
@Suite(.serialized) struct SearchPageTests {
    static let expectations: [(query: String, expected: String)] = [
        ("runner's knee", "conditions/patellofemoral-pain-syndrome/"),
        ("pain going down stairs", "symptoms/trouble-with-stairs/"),
        ("menicus", "conditions/medial-meniscus-tear/"),
        ("cortisone shot", "treatments/cortisone-injection/"),
        ("advil", "treatments/otc-anti-inflammatories/"),
        ("tylenol", "treatments/acetaminophen/"),
        ("water on the knee", "symptoms/knee-swelling/"),
        ("knee gives way", "symptoms/knee-instability/"),
        ("arthritus", "conditions/knee-osteoarthritis/"),
        ("torn cartilage", "conditions/medial-meniscus-tear/"),
        ("MCL sprain", "conditions/mcl-injury/"),
        ("flat feet", "causes/flat-feet-overpronation/"),
        ("knee replacement", "treatments/total-knee-replacement/"),
        ("gel injection", "treatments/viscosupplementation/"),
        ("which running shoes", "guides/choosing-running-shoes/"),
    ]

    /// Waits until the page has answered its query: search.js marks the results element
    /// once they are rendered. (The status line is no signal: it says "Loading search…"
    /// first, and on a slow machine the results were read before they existed.)
    static func waitForAnswer(in browser: Browser) async throws -> Bool {
        try await browser.wait(until: "document.getElementById('search-results').hasAttribute('data-search-done')", timeout: 20)
    }

    /// Opens /search/?q= and returns the result links, in rank order.
    static func results(for query: String, in browser: Browser, at base: String) async throws -> [String] {
        let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? query
        try await browser.open(base + "search/?q=" + encoded)
        guard try await waitForAnswer(in: browser) else { throw TestFailure("/search/?q=\(query) never showed its results") }
        let hrefs = try await browser.execute("""
            return Array.from(document.querySelectorAll('#search-results a')).map(a => new URL(a.href).pathname);
            """) as? [String] ?? []
        return hrefs.map { String($0.drop { $0 == "/" }) }
    }

    @Test func realQueriesRankTheExpectedPageInTheTopThree() async throws {
        let site = try BuiltSite()
        let server = try await StaticServer(directory: site.output)
        let browser = try await Browser()
        var misses: [String] = []
        for (query, expected) in Self.expectations {
            let top = try await Self.results(for: query, in: browser, at: server.baseURL).prefix(3)
            if !top.contains(expected) { misses.append("\(query) -> \(Array(top)), expected \(expected)") }
        }
        let correction = try await browser.execute("return document.getElementById('search-status').textContent") as? String
        let nonsense = try await Self.results(for: "xqzt", in: browser, at: server.baseURL)
        let nonsenseStatus = try await browser.execute("return document.getElementById('search-status').textContent") as? String
        await browser.quit()
        await server.stop()
        #expect(misses.isEmpty, "\(misses.joined(separator: "\n"))")
        #expect(correction?.isEmpty == false)
        #expect(nonsense.isEmpty, "an unknown word must not list unrelated pages")
        #expect(nonsenseStatus?.lowercased().contains("no results") == true, "\(nonsenseStatus ?? "")")
    }

    @Test func typoIsCorrectedOutLoudAndWarningSignsShowTheUrgentBox() async throws {
        let site = try BuiltSite()
        let server = try await StaticServer(directory: site.output)
        let browser = try await Browser()
        _ = try await Self.results(for: "menicus tear", in: browser, at: server.baseURL)
        let status = try await browser.execute("return document.getElementById('search-status').innerHTML") as? String ?? ""
        _ = try await Self.results(for: "red hot swollen knee", in: browser, at: server.baseURL)
        let urgent = try await browser.execute("""
            const box = document.getElementById('search-urgent');
            const results = document.getElementById('search-results');
            return { text: box.textContent, link: box.querySelector('a') && new URL(box.querySelector('a').href).pathname,
                     before: !!(box.compareDocumentPosition(results) & Node.DOCUMENT_POSITION_FOLLOWING) };
            """) as? [String: Any] ?? [:]
        _ = try await Self.results(for: "cortisone shot", in: browser, at: server.baseURL)
        let calm = try await browser.execute("return document.getElementById('search-urgent').textContent") as? String
        await browser.quit()
        await server.stop()
        #expect(status.contains("Showing results for") && status.contains("meniscus"), "\(status)")
        #expect((urgent["text"] as? String)?.contains("When to get help") == true, "\(urgent)")
        #expect((urgent["link"] as? String)?.hasSuffix("guides/when-to-see-a-provider/") == true)
        #expect(urgent["before"] as? Bool == true, "the urgent box stands above the results")
        #expect(calm?.isEmpty == true, "no urgent box for an ordinary query")
    }

    @Test func hostileQueriesStayText() async throws {
        let site = try BuiltSite()
        let server = try await StaticServer(directory: site.output)
        let browser = try await Browser()
        for query in ["<img src=x onerror=window.__pwned=1>", "\"><script>window.__pwned=1</script>", "javascript:window.__pwned=1"] {
            _ = try await Self.results(for: query, in: browser, at: server.baseURL)
            try await Task.sleep(nanoseconds: 300_000_000)
            #expect(try await browser.execute("return window.__pwned === undefined") as? Bool == true, "\(query) ran")
            #expect(try await browser.execute("return document.querySelectorAll('#search-results img, #search-status img, script:not([src]):not([type])').length") as? Int == 0)
        }
        await browser.quit()
        await server.stop()
    }
}
