import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TestSupport

/// Issue 9: hostile content runs nothing in a reader's browser. The fixture site in
/// `Tests/Fixtures/hostile/Content` puts script-injection vectors in every field an
/// editor writes (titles, summaries, aliases, sources, headings, body text, link texts,
/// link and image URLs, raw HTML, site.yml). It is built with the real theme, served on
/// loopback, and every page is opened in a real headless Chromium; every link that is
/// not a web address is clicked; and the search page is run with hostile queries.
/// Every vector sets `window.__pwned` if it ever runs.
@Suite(.serialized) struct XSSTests {
    static let hostileContent = TestPaths.fixtures + "/hostile/Content"
    static let scriptTitle = "</script><script>window.__pwned=2</script> Hostile condition"
    static let mustacheTitle = "{{site.title}} {{{meta.jsonLD}}} {{#page}}x{{/page}}"

    /// The theme's own scripts: the only `<script src>` a page may have.
    static var themeScripts: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: TestPaths.theme + "/assets")) ?? []).filter { $0.hasSuffix(".js") }.sorted()
    }

    /// Inspects the open page: returns `problems` (empty when the page is clean), the
    /// indexes of links to click, the parsed JSON-LD, the title and the h1.
    static let auditScript = """
        const allowedScripts = arguments[0];
        const problems = [];
        if (window.__pwned !== undefined) problems.push('window.__pwned is ' + String(window.__pwned));
        for (const a of document.querySelectorAll('a[href^="javascript:" i]')) problems.push('javascript: link ' + a.outerHTML.slice(0, 160));
        const urlAttributes = ['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'poster', 'background', 'srcset', 'ping', 'cite'];
        for (const element of document.querySelectorAll('*')) {
          for (const attribute of element.attributes) {
            const name = attribute.name.toLowerCase();
            if (name.startsWith('on')) problems.push('event handler ' + name + ' on <' + element.localName + '>');
            if (name === 'srcdoc') problems.push('srcdoc on <' + element.localName + '>');
            if (urlAttributes.includes(name)) {
              // Browsers ignore ASCII whitespace and control characters in a scheme.
              const squeezed = attribute.value.replace(/[\\u0000-\\u0020\\u007f]/g, '').toLowerCase();
              if (/^(javascript|vbscript|data|file):/.test(squeezed)) {
                problems.push(name + '="' + attribute.value.slice(0, 80) + '" on <' + element.localName + '>');
              }
            }
          }
        }
        for (const element of document.querySelectorAll('iframe, frame, frameset, object, embed, applet, base, style, meta[http-equiv], template, math, svg script')) {
          problems.push('unexpected element <' + element.localName + '>');
        }
        const jsonLD = [];
        for (const script of document.querySelectorAll('script')) {
          const src = script.getAttribute('src');
          if (src !== null) {
            const url = new URL(src, location.href);
            const name = url.pathname.split('/').pop();
            if (url.origin !== location.origin || !/\\/assets\\/[^\\/]+$/.test(url.pathname) || !allowedScripts.includes(name)) {
              problems.push('script that is not the theme\\'s: ' + src);
            }
          } else if (script.type === 'application/ld+json' && script.parentElement === document.head) {
            try { jsonLD.push(JSON.parse(script.textContent)); } catch (error) { problems.push('JSON-LD does not parse: ' + error); }
          } else {
            problems.push('inline script: ' + script.outerHTML.slice(0, 160));
          }
        }
        if (jsonLD.length !== 1) problems.push(jsonLD.length + ' JSON-LD blocks');
        const clickable = [];
        document.querySelectorAll('a[href], area[href]').forEach((link, index) => {
          let protocol;
          try { protocol = new URL(link.getAttribute('href'), location.href).protocol; } catch (error) { protocol = 'invalid:'; }
          if (protocol !== 'http:' && protocol !== 'https:') clickable.push(index);
        });
        const h1 = document.querySelector('h1');
        return { problems, clickable, jsonLD, title: document.title, h1: h1 ? h1.textContent : null };
        """

    struct Audit {
        var problems: [String]
        var clickable: [Int]
        var jsonLD: [[String: Any]]
        var title: String
        var h1: String?
    }

    /// Audits the page already open in `browser`, after its late events have fired.
    static func audit(_ browser: Browser) async throws -> Audit {
        _ = try await browser.wait(until: "document.readyState === 'complete'", timeout: 10)
        try await Task.sleep(nanoseconds: 150_000_000)
        let result = try await browser.execute(auditScript, [themeScripts]) as? [String: Any] ?? [:]
        return Audit(
            problems: result["problems"] as? [String] ?? ["the audit script returned nothing"],
            clickable: result["clickable"] as? [Int] ?? [],
            jsonLD: result["jsonLD"] as? [[String: Any]] ?? [],
            title: result["title"] as? String ?? "",
            h1: result["h1"] as? String
        )
    }

    /// Opens `url`, audits it, then clicks each link that is not a web address (a
    /// `javascript:`, `data:` or `mailto:` link, say) on a fresh load of the page and
    /// checks that nothing ran. Returns the audit and every problem, labelled.
    static func auditAndClick(_ url: String, label: String, in browser: Browser) async throws -> (Audit, [String]) {
        try await browser.open(url)
        let audit = try await audit(browser)
        var problems = audit.problems.map { "\(label): \($0)" }
        for index in audit.clickable {
            try await browser.open(url)
            _ = try await browser.wait(until: "document.readyState === 'complete'", timeout: 10)
            let href = try await browser.execute("""
                const link = document.querySelectorAll('a[href], area[href]')[arguments[0]];
                const href = link.getAttribute('href');
                link.click();
                return href;
                """, [index]) as? String ?? "?"
            try await Task.sleep(nanoseconds: 300_000_000)
            // After a navigation the script sees the new document; either way nothing may have run.
            let pwned = try? await browser.execute("return window.__pwned === undefined ? null : String(window.__pwned)") as? String
            if let pwned { problems.append("\(label): clicking \(href) ran script (window.__pwned = \(pwned))") }
        }
        return (audit, problems)
    }

    static func hostileSite() throws -> BuiltSite {
        try BuiltSite(content: hostileContent, theme: TestPaths.theme)
    }

    @Test func everyPageOfTheHostileSiteIsInert() async throws {
        let site = try Self.hostileSite()
        let pages = site.htmlPages()
        // One page of each type, six type indexes, home, overview, search and 404.
        #expect(pages.count == 6 + 6 + 4, "\(pages)")
        let server = try await StaticServer(directory: site.output)
        let browser = try await Browser()
        var problems: [String] = []
        var audits: [String: Audit] = [:]
        do {
            for page in pages {
                let (audit, found) = try await Self.auditAndClick(server.baseURL + page, label: page, in: browser)
                audits[page] = audit
                problems += found
            }
        } catch {
            problems.append("browser: \(error)")
        }
        await browser.quit()
        await server.stop()
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        // Script URLs were emptied, so the only links left to click are the guide's mailto: and tel:.
        #expect(audits.values.map(\.clickable.count).reduce(0, +) == 2)
        #expect(audits["guides/hostile-guide/index.html"]?.clickable.count == 2)

        // The hostile title is plain data everywhere it lands.
        let condition = try #require(audits["conditions/hostile-condition/index.html"])
        #expect(condition.h1 == Self.scriptTitle)
        #expect(condition.title.hasPrefix(Self.scriptTitle))
        let ld = try #require(condition.jsonLD.first)
        #expect(ld["name"] as? String == Self.scriptTitle)
        let about = ld["about"] as? [String: Any]
        #expect((about?["alternateName"] as? [String])?.contains("</script><script>window.__pwned=2</script>") == true)
        #expect((ld["citation"] as? [[String: Any]])?.first?["name"] as? String == "<script>window.__pwned=1</script> source")
        // Mustache in a title is text, not a tag rendered a second time.
        let symptom = try #require(audits["symptoms/hostile-symptom/index.html"])
        #expect(symptom.h1 == Self.mustacheTitle)
        #expect(symptom.jsonLD.first?["name"] as? String == Self.mustacheTitle)
        // U+2028 and `</script>` in a summary survive JSON-LD as data.
        let guide = try #require(audits["guides/hostile-guide/index.html"])
        #expect((guide.jsonLD.first?["description"] as? String)?.contains("\u{2028}") == true)
        #expect((guide.jsonLD.first?["description"] as? String)?.hasSuffix("</script>.") == true)
        // The hostile site name is text in every page's title.
        #expect(audits["index.html"]?.title.contains("Hostile <script>window.__pwned=20</script> Clinic") == true)
    }

    /// The search page renders hostile titles and summaries from the index, and
    /// echoes hostile queries, both from the address and as they are typed.
    @Test func searchWithHostileQueriesAndResultsIsInert() async throws {
        let site = try Self.hostileSite()
        let server = try await StaticServer(directory: site.output)
        let browser = try await Browser()
        let queries = [
            "hostile", "pwned", "script", "onerror", "svg onload",
            "<script>window.__pwned=1</script>", "</script><script>window.__pwned=2</script>",
            "<img src=x onerror=window.__pwned=3>", "\"><svg onload=window.__pwned=4>",
            "javascript:window.__pwned=5", "{{site.title}}", "<a href=\"javascript:window.__pwned=10\">x</a>",
        ]
        var problems: [String] = []
        var hostileResults: [String] = []
        do {
            for query in queries {
                let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? query
                try await browser.open(server.baseURL + "search/?q=" + encoded)
                if !(try await SearchPageTests.waitForAnswer(in: browser)) {
                    problems.append("\(query): the search page never answered")
                }
                if query == "hostile" {
                    hostileResults = try await browser.execute(
                        "return Array.from(document.querySelectorAll('#search-results a')).map(a => a.textContent)"
                    ) as? [String] ?? []
                }
                problems += try await Self.audit(browser).problems.map { "?q=\(query): \($0)" }

                // The same query typed into the box.
                try await browser.execute("""
                    document.getElementById('search-results').removeAttribute('data-search-done');
                    const input = document.getElementById('search-input');
                    input.value = arguments[0];
                    input.dispatchEvent(new Event('input', { bubbles: true }));
                    """, [query])
                if !(try await SearchPageTests.waitForAnswer(in: browser)) {
                    problems.append("typed \(query): the search box never answered")
                }
                problems += try await Self.audit(browser).problems.map { "typed \(query): \($0)" }
            }
        } catch {
            problems.append("browser: \(error)")
        }
        await browser.quit()
        await server.stop()
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        // The results really did carry the hostile titles, as text.
        #expect(hostileResults.contains(Self.scriptTitle), "\(hostileResults)")
        #expect(hostileResults.contains("<img src=x onerror=window.__pwned=3> Hostile cause"), "\(hostileResults)")
    }

    /// Feed, sitemap and search index carry the hostile text as data and still parse.
    @Test func machineReadableFilesParseWithHostileText() throws {
        let site = try Self.hostileSite()
        let feed = try String(contentsOfFile: site.output + "/feed.xml", encoding: .utf8)
        let document = try XMLDocument(xmlString: feed)
        let titles = try document.nodes(forXPath: "//*[local-name()='feed']/*[local-name()='title']").map { $0.stringValue ?? "" }
        #expect(titles == ["Hostile <script>window.__pwned=20</script> Clinic"])
        _ = try XMLDocument(xmlString: try String(contentsOfFile: site.output + "/sitemap.xml", encoding: .utf8))
        let indexFiles = try FileManager.default.contentsOfDirectory(atPath: site.output + "/search").filter { $0.hasSuffix(".json") }
        #expect(!indexFiles.isEmpty)
        for file in indexFiles {
            let data = try #require(FileManager.default.contents(atPath: site.output + "/search/" + file))
            #expect((try? JSONSerialization.jsonObject(with: data)) != nil, "search/\(file) does not parse")
        }
        let index = try String(contentsOfFile: site.output + "/search/index.json", encoding: .utf8)
        #expect(index.contains("Hostile condition"), "the hostile pages are in the search index")
    }

    /// The audit must be able to fail: a hand-written page with a `javascript:` link,
    /// an inline handler, an inline script and a foreign script is caught on every count,
    /// and clicking the link is seen to run it.
    @Test func auditCatchesAKnownBadPage() async throws {
        let folder = try TemporaryDirectory()
        try folder.write("""
        <!doctype html><html lang="en"><head><title>Bad</title>
        <script type="application/ld+json">{"name": "ok"}</script>
        <script>window.inline = 1</script><script src="https://cdn.example/x.js"></script></head>
        <body><p onclick="void 0">text</p><a href="javascript:window.__pwned=98">x</a>
        <a href="JaVaScRiPt:window.__pwned=97">y</a><iframe srcdoc="<p>x</p>"></iframe></body></html>
        """, to: "bad/index.html")
        let server = try await StaticServer(directory: folder.path)
        let browser = try await Browser()
        var result: (Audit, [String])?
        var failure: Error?
        do {
            result = try await Self.auditAndClick(server.baseURL + "bad/", label: "bad", in: browser)
        } catch {
            failure = error
        }
        await browser.quit()
        await server.stop()
        if let failure { throw failure }
        let (audit, problems) = try #require(result)
        let text = problems.joined(separator: "\n")
        #expect(audit.clickable.count == 2)
        #expect(text.contains("javascript: link"), "\(text)")
        #expect(text.contains("event handler onclick on <p>"), "\(text)")
        #expect(text.contains("inline script"), "\(text)")
        #expect(text.contains("script that is not the theme's: https://cdn.example/x.js"), "\(text)")
        #expect(text.contains("unexpected element <iframe>") && text.contains("srcdoc on <iframe>"), "\(text)")
        #expect(text.contains("clicking javascript:window.__pwned=98 ran script (window.__pwned = 98)"), "\(text)")
        #expect(text.contains("clicking JaVaScRiPt:window.__pwned=97 ran script (window.__pwned = 97)"), "\(text)")
    }

    /// Source and site URLs are printed as links, so a script URL there is an error,
    /// with the place it was written; the site is not built.
    @Test func scriptURLsInSourcesAndSiteAreRefused() async throws {
        let sandbox = try SiteSandbox(content: Self.hostileContent, theme: TestPaths.theme)
        try sandbox.directory.write("""
        ---
        title: Bad sources
        summary: Sources whose links would run script.
        sources:
          - { title: One, publisher: Clinic, url: "javascript:window.__pwned=1" }
          - { title: Two, publisher: Clinic, url: "JaVaScRiPt:window.__pwned=6" }
          - { title: Three, publisher: Clinic, url: "data:text/html,<script>window.__pwned=8</script>" }
        ---

        Read the [[hostile-condition]].
        """, to: "Content/guides/bad-sources.md")
        let site = sandbox.path + "/Content/site.yml"
        let settings = try String(contentsOfFile: site, encoding: .utf8)
        try settings.replacingOccurrences(of: "base_url: https://hostile.example/knee/", with: "base_url: javascript:window.__pwned=44//")
            .write(toFile: site, atomically: false, encoding: .utf8)
        let result = try sandbox.patella("build")
        #expect(result.status == 1)
        let errors = result.stderr.split(separator: "\n").filter { $0.contains(": error: ") }.map(String.init)
        #expect(errors.contains("Content/guides/bad-sources.md:5:43: error: a source's url must start with https:// or http://"), "\(errors)")
        #expect(errors.contains("Content/guides/bad-sources.md:6:43: error: a source's url must start with https:// or http://"), "\(errors)")
        #expect(errors.contains("Content/guides/bad-sources.md:7:45: error: a source's url must start with https:// or http://"), "\(errors)")
        #expect(errors.contains { $0.hasPrefix("Content/site.yml:4:11: error: 'base_url' must be an absolute URL") }, "\(errors)")
        #expect(!sandbox.directory.exists("Output"))
    }
}
