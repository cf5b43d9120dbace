import ContentGraph
import ContentModel

/// The template context of one content page: the graph's view of it, in the
/// words a patient reads. Keys are documented in Theme/README.md.
struct PageModel {
    let page: Page
    let graph: ContentGraph
    let today: CalendarDate
    let root: String

    static func link(_ page: Page, root: String) -> [String: Any] {
        var item: [String: Any] = [
            "title": page.title,
            "url": root + page.path,
            "typeLabel": page.type.label,
            "type": page.type.rawValue,
        ]
        item["summary"] = page.metadata.summary?.value
        return item
    }

    func context() -> [String: Any] {
        let metadata = page.metadata
        var shown: Set<PageID> = [page.id]
        var groups: [[String: Any]] = []

        func group(_ heading: String, _ pages: [Page], intro: String? = nil) {
            // A page is listed once per page view, in the first group that has it.
            let fresh = pages.filter { shown.insert($0.id).inserted }
            guard !fresh.isEmpty else { return }
            var entry: [String: Any] = [
                // Prefixed so a group never shares an id with a body heading of the same words.
                "heading": heading, "anchor": "see-" + PageID.slug(from: heading),
                "items": fresh.map { Self.link($0, root: root) },
            ]
            entry["intro"] = intro
            groups.append(entry)
        }

        var careLadder: [[String: Any]] = []
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
                    "step": step.rawValue, "label": step.label, "number": CareStep.allCases.firstIndex(of: step)! + 1,
                    "items": onStep.map { Self.link($0, root: root) },
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
        var context: [String: Any] = [
            "id": page.id.rawValue,
            "title": page.title,
            "type": page.type.rawValue,
            "typeLabel": page.type.label,
            "sectionURL": root + page.type.folder + "/",
            "sectionLabel": page.type.pluralLabel,
            "aliases": metadata.aliases,
            "hasAliases": !metadata.aliases.isEmpty,
            "aliasesText": metadata.aliases.joined(separator: ", "),
            "bodyHTML": page.body.html,
            "toc": headings.map { ["text": $0.text, "anchor": $0.anchor, "sub": $0.level == 3] },
            "hasTOC": sectionCount >= 3,
            "groups": groups,
            "careLadder": careLadder,
            "sources": metadata.sources.map { source -> [String: Any] in
                var entry: [String: Any] = ["title": source.title, "publisher": source.publisher]
                entry["url"] = source.url
                return entry
            },
            "hasSources": !metadata.sources.isEmpty,
            "review": review(),
        ]
        // Mustache treats "" as true, so absent values are left out, not emptied.
        context["summary"] = metadata.summary?.value
        context["updated"] = metadata.updated?.description
        context["updatedText"] = metadata.updated?.spelledOut
        if let care = metadata.care {
            context["care"] = ["step": care.rawValue, "label": care.label, "number": CareStep.allCases.firstIndex(of: care)! + 1]
        }
        if let kind = metadata.kind {
            context["kind"] = ["name": kind.rawValue, "label": kind.label]
        }
        return context
    }

    /// "Last reviewed … / Next review due …", or that the page awaits review.
    func review() -> [String: Any] {
        guard let reviewed = page.metadata.reviewed, let next = Self.nextReview(of: page, settings: graph.settings) else {
            return ["awaiting": true]
        }
        return [
            "on": reviewed.on.description, "onText": reviewed.on.spelledOut, "by": reviewed.by,
            "next": next.description, "nextText": next.spelledOut, "overdue": next < today,
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

    func context(root: String) -> [String: Any] {
        let conditions = graph.pages(of: .condition)
        func columns(_ kind: RelationKind, _ type: PageType) -> [Page] {
            let used = Set(conditions.flatMap { graph.relations[$0.id]?[kind] ?? [] })
            return graph.pages(of: type).filter { used.contains($0.id) }
        }
        let symptoms = columns(.symptoms, .symptom), treatments = columns(.treatments, .treatment)
        if conditions.count * max(symptoms.count, treatments.count) > Self.maximumCells {
            return ["byCondition": conditions.map { condition -> [String: Any] in
                var row = PageModel.link(condition, root: root)
                for (key, kind) in [("symptoms", RelationKind.symptoms), ("treatments", .treatments)] {
                    let pages = graph.related(condition.id, kind)
                    row["has" + key.prefix(1).uppercased() + key.dropFirst()] = !pages.isEmpty
                    row[key] = pages.enumerated().map { index, page -> [String: Any] in
                        var item = PageModel.link(page, root: root)
                        item["last"] = index == pages.count - 1
                        return item
                    }
                }
                return row
            }]
        }
        func matrix(_ kind: RelationKind, _ columns: [Page]) -> [String: Any] {
            [
                "columns": columns.map { PageModel.link($0, root: root) },
                "rows": conditions.map { condition -> [String: Any] in
                    let linked = Set(graph.relations[condition.id]?[kind] ?? [])
                    var row = PageModel.link(condition, root: root)
                    row["cells"] = columns.map { ["linked": linked.contains($0.id), "column": $0.title] }
                    return row
                },
            ]
        }
        return ["symptomMatrix": matrix(.symptoms, symptoms), "treatmentMatrix": matrix(.treatments, treatments)]
    }
}
