import ContentGraph
import ContentModel

/// What machines read: schema.org JSON-LD for each page, the sitemap, the Atom
/// feed and robots.txt. All URLs are absolute, from `base_url`.
struct MachineReadable {
    let graph: ContentGraph

    private var base: String { graph.settings.baseURL }

    // MARK: JSON-LD

    /// A `MedicalWebPage` about the page's entity, typed with schema.org's health types.
    func jsonLD(for page: Page) -> String {
        let settings = graph.settings
        var webPage: [String: JSON] = [
            "@context": .string("https://schema.org"),
            "@type": .string("MedicalWebPage"),
            "name": .string(page.title),
            "url": .string(base + page.path),
            "inLanguage": .string(settings.language),
            "audience": .object(["@type": .string("Patient")]),
            "isPartOf": .object(["@type": .string("WebSite"), "name": .string(settings.title), "url": .string(base)]),
        ]
        webPage["description"] = page.metadata.summary.map { .string($0.value) }
        if let organization = settings.organization {
            webPage["publisher"] = .object(["@type": .string("Organization"), "name": .string(organization)])
        }
        if let reviewed = page.metadata.reviewed {
            webPage["lastReviewed"] = .string(reviewed.on.description)
            webPage["reviewedBy"] = .object(["@type": .string("Person"), "name": .string(reviewed.by)])
        }
        webPage["dateModified"] = page.metadata.updated.map { .string($0.description) }
        webPage["about"] = entity(page)
        if !page.metadata.sources.isEmpty {
            webPage["citation"] = .array(page.metadata.sources.map { source in
                var work: [String: JSON] = [
                    "@type": .string("CreativeWork"), "name": .string(source.title),
                    "publisher": .object(["@type": .string("Organization"), "name": .string(source.publisher)]),
                ]
                work["url"] = source.url.map(JSON.string)
                return .object(work)
            })
        }
        return JSON.object(webPage).scriptSafeText
    }

    /// JSON-LD of a listing page: the site itself, or a collection of pages.
    static func listingJSONLD(name: String, url: String, language: String, isHome: Bool) -> String {
        JSON.object([
            "@context": .string("https://schema.org"), "@type": .string(isHome ? "WebSite" : "CollectionPage"),
            "name": .string(name), "url": .string(url), "inLanguage": .string(language),
        ]).scriptSafeText
    }

    private func reference(_ page: Page, as type: String) -> JSON {
        .object(["@type": .string(type), "name": .string(page.title), "url": .string(base + page.path)])
    }

    private func references(_ pages: [Page], as type: String) -> JSON {
        .array(pages.map { reference($0, as: type) })
    }

    private func entity(_ page: Page) -> JSON? {
        let typeName: String
        var properties: [String: JSON] = [:]
        switch page.type {
        case .condition:
            typeName = "MedicalCondition"
            properties["signOrSymptom"] = references(graph.related(page.id, .symptoms), as: "MedicalSignOrSymptom")
            properties["possibleTreatment"] = references(graph.related(page.id, .treatments), as: "MedicalTherapy")
            properties["riskFactor"] = references(graph.related(page.id, .causes), as: "MedicalRiskFactor")
            properties["typicalTest"] = references(graph.related(page.id, .diagnostics), as: "MedicalTest")
        case .symptom:
            typeName = "MedicalSignOrSymptom"
        case .cause:
            typeName = "MedicalRiskFactor"
            properties["increasesRiskOf"] = references(graph.inverse(page.id, .causes), as: "MedicalCondition")
        case .treatment:
            typeName = "MedicalTherapy"
        case .diagnostic:
            typeName = "MedicalTest"
            properties["usedToDiagnose"] = references(graph.inverse(page.id, .diagnostics), as: "MedicalCondition")
        case .guide:
            return nil
        }
        properties["@type"] = .string(typeName)
        properties["name"] = .string(page.title)
        properties["url"] = .string(base + page.path)
        if !page.metadata.aliases.isEmpty { properties["alternateName"] = .strings(page.metadata.aliases) }
        properties["description"] = page.metadata.summary.map { .string($0.value) }
        return .object(properties)
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

    private func xml(_ text: String) -> String { text.escapedForMarkup() }
}
