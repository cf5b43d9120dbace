import ContentGraph
import ContentModel
import Diagnostics
import Foundation
import Templates

/// Turns the graph into HTML pages through the theme. Each call renders one
/// output file, so the build can render in parallel and write as it goes.
public struct SiteRenderer: Sendable {
    public let theme: Theme
    let graph: ContentGraph
    /// The day review dates are judged against.
    let today: CalendarDate

    let keys: RenderKeys
    /// What every page's context holds about the site, made once (it was 1% of a cold build).
    private let site: Shared

    /// - Parameters:
    ///   - previous: the renderer of the last build, when `graph` is its graph with only
    ///     `changed` swapped in (same pages, same edges): its keys are updated, not remade.
    public init(theme: Theme, graph: ContentGraph, disclaimerHTML: String, today: CalendarDate,
                updating previous: SiteRenderer? = nil, changed: [Page] = []) {
        self.theme = theme
        self.graph = graph
        self.today = today
        let helpPage = Self.helpPage(of: graph)
        site = Shared(settings: graph.settings, disclaimerHTML: disclaimerHTML, helpPage: helpPage)
        if let previous {
            keys = RenderKeys(updating: previous.keys, theme: theme, graph: graph, disclaimerHTML: disclaimerHTML,
                              helpPath: helpPage?.path, changed: changed)
        } else {
            keys = RenderKeys(theme: theme, graph: graph, disclaimerHTML: disclaimerHTML, helpPath: helpPage?.path)
        }
    }

    /// The renderer of a past build whose keys `encodeKeys` kept, for a process that
    /// continues from it (`BuildMemory`); `graph` must be that build's graph.
    public init(theme: Theme, graph: ContentGraph, disclaimerHTML: String, today: CalendarDate,
                keysFrom reader: inout BinaryReader) throws {
        self.theme = theme
        self.graph = graph
        self.today = today
        site = Shared(settings: graph.settings, disclaimerHTML: disclaimerHTML, helpPage: Self.helpPage(of: graph))
        keys = try reader.read()
    }

    /// The parts of a context that are the same on every page.
    private struct Shared: Sendable {
        let value: TemplateValue
        /// The language as an Open Graph locale: `en_GB`.
        let locale: String

        init(settings: SiteSettings, disclaimerHTML: String, helpPage: Page?) {
            var site: TemplateObject = [
                "title": .text(settings.title),
                "language": .text(settings.language),
                "disclaimerHTML": .text(disclaimerHTML),
                "baseURL": .text(settings.baseURL),
            ]
            // Mustache treats "" as true, so absent values are left out, not emptied.
            site["description"] = settings.description.templateValue
            site["organization"] = settings.organization.templateValue
            site["helpURL"] = helpPage.map { .text($0.path) }
            value = .object(site)
            locale = settings.language.replacingOccurrences(of: "-", with: "_")
        }
    }

    public func encodeKeys(to writer: inout BinaryWriter) { writer.write(keys) }

    /// The "when to get help" page: the guide with a warning callout that most pages point to.
    private static func helpPage(of graph: ContentGraph) -> Page? {
        graph.pages(of: .guide)
            .filter { $0.body.callouts.contains { $0.kind == .warning } }
            .max { (graph.linkedFrom[$0.id]?.count ?? 0, $1.id) < (graph.linkedFrom[$1.id]?.count ?? 0, $0.id) }
    }

    /// The content pages to render again after `changed` were swapped into `previous`'s
    /// graph, or nil when every page must be (what all pages share changed: the theme,
    /// the settings, the help page). The other pages would render to what they are.
    public func pagesToRender(after changed: [Page], previous: SiteRenderer) -> [Page]? {
        guard keys.site == previous.keys.site, today == previous.today else { return nil }
        return previous.pagesShowing(changed, in: graph).compactMap { graph[$0] }
    }

    /// The content pages whose output may change when `changed` (same ids, same edges)
    /// replace this renderer's pages: each of them, and the pages listing one whose card
    /// changed. `graph` has the edges of this renderer's graph.
    public func pagesShowing(_ changed: [Page], in graph: ContentGraph) -> Set<PageID> {
        keys.pagesShowing(changed, graph: graph)
    }

    /// The path part of base_url (`/` or `/knee/`).
    var sitePath: String {
        guard let schemeEnd = graph.settings.baseURL.range(of: "://"),
              let slash = graph.settings.baseURL[schemeEnd.upperBound...].firstIndex(of: "/") else { return "/" }
        return String(graph.settings.baseURL[slash...])
    }

    /// Every page of the site that is not a content page: home, indexes, overview, 404,
    /// and the files machines read.
    public func writeListings(to sink: some OutputSink) -> [Diagnostic] {
        let machine = MachineReadable(graph: graph)
        let listingPaths = [""] + PageType.allCases.map { "\($0.folder)/" } + ["overview/", "search/"]
        var errors: [Diagnostic] = []
        // Each rendered through the theme, unless the sink has the page of this exact input.
        func emit(_ template: String, to path: String, _ context: () -> TemplateValue) -> [Diagnostic] {
            sink.write(key: path, fingerprint: keys.listing(template, at: path)) {
                [OutputFile(path: path, contents: theme.render(template, context()))]
            }
        }
        let files: [(path: String, make: () -> String)] = [
            ("sitemap.xml", { machine.sitemap(listingPaths: listingPaths) }),
            ("feed.xml", { machine.feed() }),
            ("robots.txt", { machine.robots() }),
        ]
        for file in files {
            errors += sink.write(key: file.path, fingerprint: keys.listing(file.path, at: file.path)) {
                [OutputFile(path: file.path, text: file.make())]
            }
        }
        errors += emit("home", to: "index.html") { context(at: "", title: nil, extra: homeContext()) }
        errors += emit("overview", to: "overview/index.html") {
            context(at: "overview/", title: "How it all connects", extra: OverviewModel(graph: graph).context(root: "../"))
        }
        errors += emit("search", to: "search/index.html") { context(at: "search/", title: "Search", extra: [:]) }
        // A server shows 404.html at any address, so its links start from the site's absolute path.
        errors += emit("404", to: "404.html") { context(at: "", title: "Page not found", extra: [:], root: sitePath) }
        for type in PageType.allCases {
            errors += emit("section", to: "\(type.folder)/index.html") {
                context(at: "\(type.folder)/", title: type.pluralLabel, extra: sectionContext(type))
            }
        }
        return errors
    }

    /// One content page; not rendered at all if the sink holds it already.
    public func writePage(_ page: Page, to sink: some OutputSink) -> [Diagnostic] {
        let path = page.path + "index.html", template = page.type.rawValue
        let overdue = PageModel.nextReview(of: page, settings: graph.settings).map { $0 < today }
        return sink.write(key: path, fingerprint: keys.page(page, template: template, graph: graph, reviewOverdue: overdue)) {
            let model = PageModel(page: page, graph: graph, today: today, root: "../../")
            let context = context(
                at: page.path, title: page.title, summary: page.metadata.summary?.value,
                extra: ["page": model.context()], current: page.type, jsonLD: MachineReadable(graph: graph).jsonLD(for: page)
            )
            return [OutputFile(path: path, contents: theme.render(template, context))]
        }
    }

    // MARK: Contexts

    /// The context every template gets: the site, the navigation, the page's meta tags.
    private func context(
        at path: String, title: String?, summary: String? = nil,
        extra: TemplateObject, current: PageType? = nil, jsonLD: String? = nil, root fixedRoot: String? = nil
    ) -> TemplateValue {
        let root = fixedRoot ?? String(repeating: "../", count: path.split(separator: "/").count)
        let settings = graph.settings
        var context = extra
        context["root"] = .text(root)
        context["site"] = site.value
        let currentType = current ?? PageType.allCases.first { path == "\($0.folder)/" }
        context["nav"] = .list(PageType.allCases.map { type in
            ["label": .text(type.pluralLabel), "url": .text(root + type.folder + "/"), "current": .flag(type == currentType)]
        })
        var meta: TemplateObject = [
            "title": .text(title.map { "\($0) | \(settings.title)" } ?? settings.title),
            "pageTitle": .text(title ?? settings.title),
            "canonical": .text(settings.baseURL + path),
            "ogType": .text(current == nil ? "website" : "article"),
            "locale": .text(site.locale),
            "jsonLD": .text(jsonLD ?? MachineReadable.listingJSONLD(
                name: title ?? settings.title, url: settings.baseURL + path, language: settings.language, isHome: path.isEmpty
            )),
        ]
        meta["description"] = (summary ?? settings.description).templateValue
        context["meta"] = .object(meta)
        return .object(context)
    }

    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    private func homeContext() -> TemplateObject {
        [
            "sections": .list(PageType.allCases.map { type -> TemplateValue in
                let pages = graph.pages(of: type)
                return ["heading": .text(type.pluralLabel), "url": .text(type.folder + "/"), "count": .number(pages.count),
                        "countText": .text(Self.count(pages.count, "page")), "items": PageModel.links(pages, root: "")]
            }),
            "symptoms": PageModel.links(graph.pages(of: .symptom), root: ""),
            "guides": PageModel.links(graph.pages(of: .guide), root: ""),
        ]
    }

    private func sectionContext(_ type: PageType) -> TemplateObject {
        let pages = graph.pages(of: type)
        let root = "../"
        var groups: [(String, [Page])] = []
        switch type {
        case .condition, .symptom:
            // A–Z, as the NHS health A–Z does.
            var byLetter: [String: [Page]] = [:]
            for page in pages {
                let letter = page.title.first.map { String($0).uppercased() } ?? "#"
                byLetter[letter.first!.isLetter ? letter : "#", default: []].append(page)
            }
            groups = byLetter.keys.sorted().map { ($0, byLetter[$0]!) }
        case .cause:
            groups = CauseKind.allCases.map { kind in (kind.label, pages.filter { $0.metadata.kind == kind }) }
            groups.append(("Other causes", pages.filter { $0.metadata.kind == nil }))
        case .treatment:
            groups = CareStep.allCases.map { step in (step.label, pages.filter { $0.metadata.care == step }) }
        case .diagnostic, .guide:
            groups = [("", pages)]
        }
        return [
            "section": [
                "heading": .text(type.pluralLabel), "type": .text(type.rawValue), "count": .number(pages.count),
                "countText": .text(Self.count(pages.count, "page")), "isAZ": .flag(type == .condition || type == .symptom),
            ],
            "groups": .list(groups.filter { !$0.1.isEmpty }.map { heading, pages -> TemplateValue in
                var group: TemplateObject = ["items": PageModel.links(pages, root: root)]
                if !heading.isEmpty {
                    group["heading"] = .text(heading)
                    group["anchor"] = .text(PageID.slug(from: heading))
                }
                return .object(group)
            }),
        ]
    }
}
