import ContentGraph
import ContentModel
import Foundation

/// What machines read: schema.org JSON-LD for each page, the sitemap, the Atom
/// feed and robots.txt. All URLs are absolute, from `base_url`.
struct MachineReadable {
    let graph: ContentGraph

    private var base: String { graph.settings.baseURL }

    // MARK: JSON-LD

    /// A `MedicalWebPage` about the page's entity, typed with schema.org's health types.
    func jsonLD(for page: Page) -> String {
        let settings = graph.settings
        var webPage: [String: Any] = [
            "@context": "https://schema.org",
            "@type": "MedicalWebPage",
            "name": page.title,
            "url": base + page.path,
            "inLanguage": settings.language,
            "audience": ["@type": "Patient"],
            "isPartOf": ["@type": "WebSite", "name": settings.title, "url": base],
        ]
        webPage["description"] = page.metadata.summary?.value
        if let organization = settings.organization {
            webPage["publisher"] = ["@type": "Organization", "name": organization]
        }
        if let reviewed = page.metadata.reviewed {
            webPage["lastReviewed"] = reviewed.on.description
            webPage["reviewedBy"] = ["@type": "Person", "name": reviewed.by]
        }
        webPage["dateModified"] = page.metadata.updated?.description
        if let about = entity(page) { webPage["about"] = about }
        if !page.metadata.sources.isEmpty {
            webPage["citation"] = page.metadata.sources.map { source -> [String: Any] in
                var work: [String: Any] = ["@type": "CreativeWork", "name": source.title,
                                           "publisher": ["@type": "Organization", "name": source.publisher]]
                work["url"] = source.url
                return work
            }
        }
        return Self.scriptSafeJSON(webPage)
    }

    private func reference(_ page: Page, as type: String) -> [String: Any] {
        ["@type": type, "name": page.title, "url": base + page.path]
    }

    private func entity(_ page: Page) -> [String: Any]? {
        var entity: [String: Any]
        switch page.type {
        case .condition:
            entity = reference(page, as: "MedicalCondition")
            entity["signOrSymptom"] = graph.related(page.id, .symptoms).map { reference($0, as: "MedicalSignOrSymptom") }
            entity["possibleTreatment"] = graph.related(page.id, .treatments).map { reference($0, as: "MedicalTherapy") }
            entity["riskFactor"] = graph.related(page.id, .causes).map { reference($0, as: "MedicalRiskFactor") }
            entity["typicalTest"] = graph.related(page.id, .diagnostics).map { reference($0, as: "MedicalTest") }
        case .symptom:
            entity = reference(page, as: "MedicalSignOrSymptom")
        case .cause:
            entity = reference(page, as: "MedicalRiskFactor")
            entity["increasesRiskOf"] = graph.inverse(page.id, .causes).map { reference($0, as: "MedicalCondition") }
        case .treatment:
            entity = reference(page, as: "MedicalTherapy")
        case .diagnostic:
            entity = reference(page, as: "MedicalTest")
            entity["usedToDiagnose"] = graph.inverse(page.id, .diagnostics).map { reference($0, as: "MedicalCondition") }
        case .guide:
            return nil
        }
        if !page.metadata.aliases.isEmpty { entity["alternateName"] = page.metadata.aliases }
        entity["description"] = page.metadata.summary?.value
        return entity
    }

    /// JSON that can sit inside `<script>`: `<`, `>` and `&` become \u escapes, so a
    /// title containing `</script>` stays data.
    static func scriptSafeJSON(_ object: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
            .replacingOccurrences(of: "<", with: "\\u003c")
            .replacingOccurrences(of: ">", with: "\\u003e")
            .replacingOccurrences(of: "&", with: "\\u0026")
            .replacingOccurrences(of: "\u{2028}", with: "\\u2028")
            .replacingOccurrences(of: "\u{2029}", with: "\\u2029")
    }

    // MARK: Sitemap, feed, robots

    /// The day a page last changed, as far as its front-matter says.
    static func lastChange(_ page: Page) -> CalendarDate? {
        [page.metadata.updated, page.metadata.reviewed?.on].compactMap { $0 }.max()
    }

    func sitemap(listingPaths: [String]) -> String {
        var lines = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                     "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"]
        let newest = graph.pages.values.compactMap(Self.lastChange).max()
        for path in listingPaths {
            lines.append("  <url><loc>\(xml(base + path))</loc>\(newest.map { "<lastmod>\($0)</lastmod>" } ?? "")</url>")
        }
        for page in graph.allPages {
            let lastmod = Self.lastChange(page).map { "<lastmod>\($0)</lastmod>" } ?? ""
            lines.append("  <url><loc>\(xml(base + page.path))</loc>\(lastmod)</url>")
        }
        lines.append("</urlset>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Atom feed of the most recently changed pages, newest first.
    func feed(limit: Int = 30) -> String {
        let changed = graph.allPages.compactMap { page in Self.lastChange(page).map { (page, $0) } }
            .sorted { ($0.1, $1.0.id) > ($1.1, $0.0.id) }
            .prefix(limit)
        let settings = graph.settings
        let feedUpdated = changed.first.map { "\($0.1)T00:00:00Z" } ?? "1970-01-01T00:00:00Z"
        var lines = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"\(xml(settings.language))\">",
            "  <title>\(xml(settings.title))</title>",
            "  <id>\(xml(base))</id>",
            "  <link rel=\"alternate\" type=\"text/html\" href=\"\(xml(base))\"/>",
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"\(xml(base + "feed.xml"))\"/>",
            "  <updated>\(feedUpdated)</updated>",
            "  <author><name>\(xml(settings.organization ?? settings.title))</name></author>",
        ]
        for (page, date) in changed {
            lines += [
                "  <entry>",
                "    <title>\(xml(page.title))</title>",
                "    <id>\(xml(base + page.path))</id>",
                "    <link rel=\"alternate\" type=\"text/html\" href=\"\(xml(base + page.path))\"/>",
                "    <updated>\(date)T00:00:00Z</updated>",
                "    <category term=\"\(page.type.rawValue)\" label=\"\(xml(page.type.label))\"/>",
                "    <summary>\(xml(page.metadata.summary?.value ?? page.title))</summary>",
                "  </entry>",
            ]
        }
        lines.append("</feed>")
        return lines.joined(separator: "\n") + "\n"
    }

    func robots() -> String {
        "User-agent: *\nAllow: /\n\nSitemap: \(base)sitemap.xml\n"
    }

    private func xml(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
