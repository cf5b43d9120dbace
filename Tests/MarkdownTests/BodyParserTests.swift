import ContentModel
import Foundation
@testable import Markdown
import Testing
import TestSupport

@Suite struct BodyParserTests {
    static let directory = PageDirectory([
        .init(id: "ache", type: .symptom, title: "Ache"),
        .init(id: "icing", type: .treatment, title: "Icing & cold"),
    ])

    func parse(_ body: String, bodyLine: Int = 5, assets: Set<String> = []) -> ParsedBody {
        let file = SourceFile(displayPath: "Content/conditions/x.md", relativePath: "conditions/x.md", text: body)
        let source = PageSource(id: "x", type: .condition, file: file)
        return BodyParser.parse(body, startingAtLine: bodyLine, of: source, context: LinkContext(directory: Self.directory, assets: assets))
    }

    @Test func wikiLinksResolveWithTitlesAndExactPositions() {
        let body = parse("Intro line.\n\nAn [[ache]], then [[icing|cold packs]] and [[achy]].\n")
        #expect(body.html.contains(#"<a href="../../symptoms/ache/">Ache</a>"#))
        #expect(body.html.contains(#"<a href="../../treatments/icing/">cold packs</a>"#))
        #expect(body.links.map(\.resolved) == ["ache", "icing", nil])
        // Body line 3 is file line 5 + 3 - 1 = 7.
        #expect(body.links.map { "\($0.location.line!):\($0.location.column!)" } == ["7:4", "7:19", "7:44"])
    }

    @Test func theSameLinkTwiceGetsTwoColumns() {
        let body = parse("[[nope]] and [[nope]]\n")
        #expect(body.links.map(\.location.column) == [1, 14])
    }

    @Test func linkTitlesAreEscaped() {
        let body = parse("See [[icing]].\n")
        #expect(body.html.contains("Icing &amp; cold"))
    }

    @Test func relativeMarkdownLinksBecomePageURLs() {
        let body = parse("[a](../symptoms/ache.md) [b](../symptoms/ache.md#top) [c](ache.md) [d](../treatments/ache.md)\n")
        #expect(body.html.contains(#"<a href="../../symptoms/ache/">a</a>"#))
        #expect(body.html.contains(#"<a href="../../symptoms/ache/#top">b</a>"#))
        // `ache.md` from conditions/ means conditions/ache.md, which is not a page; nor is treatments/ache.md.
        #expect(body.links.map(\.resolved) == ["ache", "ache", nil, nil])
    }

    @Test("dangerous URLs are dropped", arguments: [
        "javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)", "java&#x09;script:alert(1)",
        "jav&#x0A;ascript:alert(1)", "vbscript:msgbox", "data:text/html;base64,PHNjcmlwdD4=", "file:///etc/passwd",
    ])
    func dangerousURLs(_ url: String) {
        let body = parse("[x](<\(url)>) ![pic](<\(url)>)\n")
        #expect(!body.html.lowercased().contains("script:"), "\(body.html)")
        #expect(!body.html.contains("data:text"))
        #expect(!body.html.contains("file:///"))
    }

    @Test func externalAndMediaLinks() {
        let body = parse("[w](https://example.org/a?b=1) [m](mailto:a@b.c) ![K](../media/k.png)\n", assets: ["media/k.png"])
        #expect(body.html.contains(#"href="https://example.org/a?b=1""#))
        #expect(body.html.contains(#"href="mailto:a@b.c""#))
        #expect(body.html.contains(#"src="../../media/k.png""#))
        #expect(body.links.isEmpty, "a resolved media link is not a graph edge")
    }

    @Test func calloutsAllKindsAndUnknown() {
        let body = parse("> [!WARNING]\n> Call 999.\n\n> [!tip] Inline text.\n\n> [!FOO]\n> Plain quote.\n\n> Just a quote.\n")
        #expect(body.html.contains(#"<div class="callout callout-warning" role="note"><p class="callout-title">When to get help</p>"#))
        #expect(body.html.contains("<p>Call 999.</p>"))
        #expect(body.html.contains(#"<div class="callout callout-tip" role="note"><p class="callout-title">Tip</p>"#))
        #expect(body.html.contains("<p>Inline text.</p>"))
        #expect(body.html.contains("<blockquote>\n<p>Just a quote.</p>"))
        #expect(body.callouts == [Callout(kind: .warning, text: "Call 999."), Callout(kind: .tip, text: "Inline text.")])
        #expect(body.diagnostics.map(\.code) == ["callout-unknown"])
    }

    @Test func urlsAreClassifiedWithAndWithoutColonsOrEscapes() {
        #expect(URLClassifier.classify("../symptoms/ache.md", relativeTo: "conditions") == .content(path: "symptoms/ache.md", fragment: nil))
        #expect(URLClassifier.classify("ache%20pain.md?x=1#top", relativeTo: "conditions") == .content(path: "conditions/ache pain.md", fragment: "top"))
        #expect(URLClassifier.classify("a/b:c.md", relativeTo: "conditions") == .content(path: "conditions/a/b:c.md", fragment: nil))
        #expect(URLClassifier.classify("java\tscript:alert(1)", relativeTo: "conditions") == .dangerous)
        #expect(URLClassifier.classify("HTTPS://example.org", relativeTo: "conditions") == .external)
        #expect(URLClassifier.classify("#top", relativeTo: "conditions") == .fragment)
        #expect(URLClassifier.classify("", relativeTo: "conditions") == .fragment)
        #expect(URLClassifier.classify("//cdn.example/x.js", relativeTo: "conditions") == .external)
        #expect(URLClassifier.classify("./a//b/../caf%C3%A9.md#", relativeTo: "conditions") == .content(path: "conditions/a/café.md", fragment: ""))
        #expect(URLClassifier.classify("/symptoms/ache.md", relativeTo: "conditions") == .content(path: "symptoms/ache.md", fragment: nil))
        #expect(URLClassifier.classify("../../x.md", relativeTo: "conditions") == .content(path: "../../../x.md", fragment: nil))
        #expect(URLClassifier.classify("ünï/çödé.md?q#frag/x", relativeTo: "guides/a") == .content(path: "guides/a/ünï/çödé.md", fragment: "frag/x"))
    }

    /// Trimming removes Unicode's White_Space at both ends, judged here scalar by scalar
    /// from the property, on seeded strings of white space of every kind (ASCII and not)
    /// and of neighbours that are not (other controls, zero-width space, BOM, marks).
    @Test func trimmingRemovesUnicodeWhiteSpace() {
        let white: [Unicode.Scalar] = [" ", "\t", "\n", "\u{0B}", "\u{0C}", "\r", "\u{85}", "\u{A0}", "\u{1680}", "\u{2000}",
                                       "\u{200A}", "\u{2028}", "\u{2029}", "\u{202F}", "\u{205F}", "\u{3000}"]
        let other: [Unicode.Scalar] = ["a", "\u{08}", "\u{0E}", "\u{1F}", "!", "\u{200B}", "\u{FEFF}", "é", "\u{301}", "\u{1F600}"]
        var generator = SplitMix(seed: 5)
        for _ in 0..<3_000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...6, using: &generator) {
                let pool = Bool.random(using: &generator) ? white : other
                text.unicodeScalars.append(pool.randomElement(using: &generator)!)
            }
            var scalars = Array(text.unicodeScalars)
            while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
            while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
            let expected = String(String.UnicodeScalarView(scalars))
            #expect(text.trimmingWhitespace() == expected, "\(Array(text.unicodeScalars))")
            #expect(text[...].trimmingWhitespace() == expected)
        }
    }

    @Test func slugsFoldCaseAccentsAndApostrophes() {
        #expect(PageID.slug(from: "Runner's Knee (PFPS)") == "runners-knee-pfps")
        #expect(PageID.slug(from: "Runner\u{2019}s Knee \u{2013} \u{DC}ber Caf\u{E9}") == "runners-knee-uber-cafe")
        #expect(PageID.slug(from: "  ACL/MCL: 2 Tears!  ") == "acl-mcl-2-tears")
        #expect(PageID.slug(from: "!!!").isEmpty)
    }

    @Test func idsAreLowerCaseWordsJoinedBySingleHyphens() {
        for valid in ["mcl-injury", "a", "x2-ray", "2024"] { #expect(PageID.isValid(valid), "\(valid)") }
        for invalid in ["", "-", "-a", "a-", "a--b", "Mcl", "caf\u{E9}", "a_b", "a b", "a/b"] {
            #expect(!PageID.isValid(invalid), "\(invalid.debugDescription)")
        }
    }

    @Test func headingsGetStableUniqueAnchors() {
        let body = parse("## Pain & swelling\n\n## Pain & swelling\n\n### Über *it*\n\n## !!!\n")
        #expect(body.headings.map(\.anchor) == ["pain-swelling", "pain-swelling-2", "uber-it", "section"])
        #expect(body.headings.map(\.text) == ["Pain & swelling", "Pain & swelling", "Über it", "!!!"])
    }

    @Test func plainTextIsProseOnly() {
        let body = parse("## Title\n\nSome *words* here.\n\n```\ncode()\n```\n\n- one\n- two\n")
        #expect(body.plainText == "Title\nSome words here.\none\ntwo\n")
    }

    /// cmark-gfm's parser is not thread-safe as shipped (measured: wrong HTML when
    /// several threads parse at once, from one global table of inline characters).
    /// Patella takes that table's bookkeeping over and then parses on all cores; this
    /// checks that it does, and that concurrent parses give exactly the serial result,
    /// with the extensions whose characters the table holds (strikethrough, autolinks).
    @Test func concurrentParsingMatchesSerial() async {
        #expect(CmarkDocument.parsesInParallel, "cmark-gfm does not call Patella's replacement: parsing stays serialized")
        let text = (1...40).map {
            "## Part \($0)\n\nSee [[ache]] and *emphasis*, ~~struck~~ and www.example.org/\($0) with a [link](https://x.org/\($0)).\n\n"
                + "| a | b |\n|---|---|\n| \($0) ~~x~~ | [[icing]] https://y.org |\n"
        }.joined(separator: "\n")
        let expected = parse(text).html
        #expect(expected.contains("<del>struck</del>") && expected.contains("<a href=\"http://www.example.org/1\">"))
        let results = await withTaskGroup(of: String.self) { group in
            for _ in 0..<400 { group.addTask { self.parse(text).html } }
            var all: [String] = []
            for await html in group { all.append(html) }
            return all
        }
        #expect(results.count == 400)
        #expect(results.filter { $0 != expected }.count == 0)
    }

    @Test func pathologicalNestingDoesNotCrash() {
        let deep = String(repeating: ">", count: 5000) + " x\n" + String(repeating: "[", count: 5000) + String(repeating: "*", count: 5000)
        let body = parse(deep)
        #expect(!body.html.isEmpty)
    }
}

@Suite struct WikiLinkScanTests {
    @Test("wiki links among brackets", arguments: [
        ("[[a]]", ["a"]), ("[[[a]]", ["a"]), ("[[a]]]", ["a"]), ("[[a|b]] and [[c]]", ["a", "c"]),
        ("[[]]", []), ("[[a\nb]]", []), ("[[a]b]]", []), ("[[a [[b]]", ["b"]), ("x [ [[y]] ]", ["y"]),
        ("[[a]] [[", ["a"]), ("]] [[a]]", ["a"]),
    ])
    func finds(_ text: String, _ ids: [String]) {
        #expect(WikiLink.find(in: text).map(\.id) == ids)
    }

    @Test func longBracketRunsStayFast() {
        let text = String(repeating: "[", count: 200_000) + "[[ache]]" + String(repeating: "]", count: 100_000)
        let start = ContinuousClock.now
        #expect(WikiLink.find(in: text).map(\.id) == ["ache"])
        #expect(ContinuousClock.now - start < .seconds(5), "linear, not quadratic")
    }
}
