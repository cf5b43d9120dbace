import ContentGraph
import ContentModel
import Templates

/// The template context of one content page: the graph's view of it, in the
/// words a patient reads. Keys are documented in Theme/README.md.
struct PageModel {
    let page: Page
    let graph: ContentGraph
    let today: CalendarDate
    let root: String

    static func link(_ page: Page, root: String) -> TemplateObject {
        let title = TemplateValue.text(page.title), url = TemplateValue.text(root + page.path)
        let typeLabel = TemplateValue.text(page.type.label), type = TemplateValue.text(page.type.rawValue)
        // One literal each way: a card is made for every link on every page, and adding
        // the summary to a full four-field object copied it.
        guard let summary = page.metadata.summary else { return ["title": title, "url": url, "typeLabel": typeLabel, "type": type] }
        return ["title": title, "url": url, "typeLabel": typeLabel, "type": type, "summary": .text(summary.value)]
    }

    static func links(_ pages: [Page], root: String) -> TemplateValue {
        .list(pages.map { .object(link($0, root: root)) })
    }

    func context() -> TemplateValue {
        let metadata = page.metadata
        var shown: Set<PageID> = [page.id]
        var groups: [TemplateValue] = []

        func group(_ heading: String, _ pages: [Page], intro: String? = nil) {
            // A page is listed once per page view, in the first group that has it.
            let fresh = pages.filter { shown.insert($0.id).inserted }
            guard !fresh.isEmpty else { return }
            var entry: TemplateObject = [
                // Prefixed so a group never shares an id with a body heading of the same words.
                "heading": .text(heading), "anchor": .text("see-" + PageID.slug(from: heading)),
                "items": Self.links(fresh, root: root),
            ]
            entry["intro"] = intro.templateValue
            groups.append(.object(entry))
        }

        var careLadder: [TemplateValue] = []
        switch page.type {
        case .condition:
            group("Symptoms it can cause", graph.related(page.id, .symptoms))
            group("What can lead to it", graph.related(page.id, .causes))
            group("Tests that help find it", graph.related(page.id, .diagnostics))
            let treatments = graph.related(page.id, .treatments)
            treatments.forEach { shown.insert($0.id) }
            // The stepped-care ladder: what you can do yourself first, surgery last.
            for step in CareStep.allCases {
                let onStep = treatments.filter { $0.metadata.care == step }
                guard !onStep.isEmpty else { continue }
                careLadder.append([
                    "step": .text(step.rawValue), "label": .text(step.label), "number": .number(CareStep.allCases.firstIndex(of: step)! + 1),
                    "items": Self.links(onStep, root: root),
                ])
            }
        case .symptom:
            group("Conditions that can cause this", graph.inverse(page.id, .symptoms))
        case .cause:
            group("Conditions this can lead to", graph.inverse(page.id, .causes))
        case .treatment:
            group("Used to treat", graph.inverse(page.id, .treatments))
        case .diagnostic:
            group("Used to find", graph.inverse(page.id, .diagnostics))
        case .guide:
            break
        }
        let related = graph.related(page.id, .related) + graph.inverse(page.id, .related)
        group("Related pages", graph.byTitle(related))
        group("Pages that mention this", graph.linkedFrom(page.id))

        let headings = page.body.headings.filter { $0.level == 2 || $0.level == 3 }
        let sectionCount = headings.filter { $0.level == 2 }.count
        var context: TemplateObject = [
            "id": .text(page.id.rawValue),
            "title": .text(page.title),
            "type": .text(page.type.rawValue),
            "typeLabel": .text(page.type.label),
            "sectionURL": .text(root + page.type.folder + "/"),
            "sectionLabel": .text(page.type.pluralLabel),
            "aliases": .list(metadata.aliases.map(TemplateValue.text)),
            "hasAliases": .flag(!metadata.aliases.isEmpty),
            "aliasesText": .text(metadata.aliases.joined(separator: ", ")),
            "bodyHTML": .text(page.body.html),
            "toc": .list(headings.map { ["text": .text($0.text), "anchor": .text($0.anchor), "sub": .flag($0.level == 3)] }),
            "hasTOC": .flag(sectionCount >= 3),
            "groups": .list(groups),
            "careLadder": .list(careLadder),
            "sources": .list(metadata.sources.map { source -> TemplateValue in
                var entry: TemplateObject = ["title": .text(source.title), "publisher": .text(source.publisher)]
                entry["url"] = source.url.templateValue
                return .object(entry)
            }),
            "hasSources": .flag(!metadata.sources.isEmpty),
            "review": review(),
        ]
        // Mustache treats "" as true, so absent values are left out, not emptied.
        context["summary"] = metadata.summary.map { .text($0.value) }
        context["updated"] = metadata.updated.map { .text($0.description) }
        context["updatedText"] = metadata.updated.map { .text($0.spelledOut) }
        if let care = metadata.care {
            context["care"] = ["step": .text(care.rawValue), "label": .text(care.label), "number": .number(CareStep.allCases.firstIndex(of: care)! + 1)]
        }
        if let kind = metadata.kind {
            context["kind"] = ["name": .text(kind.rawValue), "label": .text(kind.label)]
        }
        return .object(context)
    }

    /// "Last reviewed … / Next review due …", or that the page awaits review.
    func review() -> TemplateValue {
        guard let reviewed = page.metadata.reviewed, let next = Self.nextReview(of: page, settings: graph.settings) else {
            return ["awaiting": true]
        }
        return [
            "on": .text(reviewed.on.description), "onText": .text(reviewed.on.spelledOut), "by": .text(reviewed.by),
            "next": .text(next.description), "nextText": .text(next.spelledOut), "overdue": .flag(next < today),
        ]
    }
}

extension PageModel {
    /// When a reviewed page is next due for review.
    static func nextReview(of page: Page, settings: SiteSettings) -> CalendarDate? {
        page.metadata.reviewed.map { $0.next ?? $0.on.adding(months: settings.reviewIntervalMonths) }
    }
}

/// The overview page: which symptoms and treatments belong to which condition.
/// A condition-by-symptom table reads best while it is small; its size is the
/// product of two counts, so a large site gets one list per condition instead,
/// which grows with the number of links only.
struct OverviewModel {
    let graph: ContentGraph
    /// Cells above which the tables give way to lists.
    static let maximumCells = 2_500

    func context(root: String) -> TemplateObject {
        let conditions = graph.pages(of: .condition)
        func columns(_ kind: RelationKind, _ type: PageType) -> [Page] {
            let used = Set(conditions.flatMap { graph.relations[$0.id]?[kind] ?? [] })
            return graph.pages(of: type).filter { used.contains($0.id) }
        }
        let symptoms = columns(.symptoms, .symptom), treatments = columns(.treatments, .treatment)
        if conditions.count * max(symptoms.count, treatments.count) > Self.maximumCells {
            return ["byCondition": .list(conditions.map { condition -> TemplateValue in
                var row = PageModel.link(condition, root: root)
                for (key, kind) in [("symptoms", RelationKind.symptoms), ("treatments", .treatments)] {
                    let pages = graph.related(condition.id, kind)
                    row["has" + key.prefix(1).uppercased() + key.dropFirst()] = .flag(!pages.isEmpty)
                    row[key] = .list(pages.enumerated().map { index, page -> TemplateValue in
                        var item = PageModel.link(page, root: root)
                        item["last"] = .flag(index == pages.count - 1)
                        return .object(item)
                    })
                }
                return .object(row)
            })]
        }
        func matrix(_ kind: RelationKind, _ columns: [Page]) -> TemplateValue {
            [
                "columns": PageModel.links(columns, root: root),
                "rows": .list(conditions.map { condition -> TemplateValue in
                    let linked = Set(graph.relations[condition.id]?[kind] ?? [])
                    var row = PageModel.link(condition, root: root)
                    row["cells"] = .list(columns.map { ["linked": .flag(linked.contains($0.id)), "column": .text($0.title)] })
                    return .object(row)
                }),
            ]
        }
        return ["symptomMatrix": matrix(.symptoms, symptoms), "treatmentMatrix": matrix(.treatments, treatments)]
    }
}
