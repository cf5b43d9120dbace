import ContentModel
import Diagnostics

/// The O(changed) path of `patella serve`: an edit that leaves every edge and every
/// diagnostic of the graph as it was only swaps the edited pages' values in.
extension ContentGraph {
    /// This graph with the given pages' new values in place of their old ones, or nil when
    /// that might differ from what `GraphBuilder.build` makes of the changed site; the
    /// caller then builds in full.
    ///
    /// The caller promises that the changed site is this graph's pages, in the same order
    /// and with the same drafts and undecoded pages, with exactly the given pages replaced
    /// (by id). It returns nil when this graph was not made by `GraphBuilder.build`, was
    /// built from pages with an id twice, when a page's id is not a page of this graph, or
    /// when for some page anything `GraphBuilder.build` reads differs:
    /// - its type, its title, the location of its title or its file's display path;
    /// - which relation keys its front-matter has, or the ids each lists in order; or the
    ///   location of a listed id that is not valid (itself, missing, or of the wrong type),
    ///   as each gives a diagnostic that points at it;
    /// - the set of pages its body links resolve to (itself left out); or, in order, its
    ///   body links that give a diagnostic (unresolved: their target, text and location;
    ///   to the page itself: their location).
    /// Anything else may change: body text and HTML, headings, callouts, the order and
    /// locations of valid links and relation targets, summary, dates and all other keys.
    /// The graph's diagnostics are then exactly the previous build's.
    public func replacing(_ changed: [Page]) -> ContentGraph? {
        guard let context else { return nil }
        var graph = self
        for page in changed {
            guard let old = self[page.id], keepsEdges(of: old, in: page, context: context) else { return nil }
            graph.swapIn(page)
        }
        return graph
    }

    private func keepsEdges(of old: Page, in new: Page, context: BuildContext) -> Bool {
        guard old.type == new.type, old.metadata.title == new.metadata.title,
              old.file.displayPath == new.file.displayPath else { return false }

        let id = old.id, before = old.metadata.relations, after = new.metadata.relations
        guard before.count == after.count else { return false }
        for (kind, oldTargets) in before {
            guard let newTargets = after[kind], newTargets.count == oldTargets.count else { return false }
            for (was, now) in zip(oldTargets, newTargets) {
                guard was.value == now.value else { return false }
                if was.location != now.location, !isValid(was.value, in: kind, of: id, context: context) { return false }
            }
        }

        // Links that give a diagnostic, in order; the rest only as the set of their targets.
        var targets = Set<PageID>()
        var problems = old.body.links.lazy.filter { $0.resolved == nil || $0.resolved == id }.makeIterator()
        for link in new.body.links {
            if let resolved = link.resolved, resolved != id {
                targets.insert(resolved)
                continue
            }
            guard let was = problems.next(), was.resolved == link.resolved, was.location == link.location else { return false }
            if link.resolved == nil, was.target != link.target || was.written != link.written { return false }
        }
        guard problems.next() == nil else { return false }
        let linked = linksTo[id] ?? []
        return targets.count == linked.count && linked.allSatisfy { targets.contains($0) }
    }

    /// Whether `GraphBuilder.build` keeps `target` in `kind` of page `id` (and so reports nothing at its location).
    private func isValid(_ target: PageID, in kind: RelationKind, of id: PageID, context: BuildContext) -> Bool {
        guard target != id, let type = type(of: target) ?? context.undecoded[target] else { return false }
        return kind.targetType.map { $0 == type } ?? true
    }
}

extension GraphBuilder {
    /// What `build` would return for the previous build's pages with `changed` swapped in
    /// (with these settings, drafts and undecoded pages), computed in time proportional to
    /// the changed pages: nil when it cannot tell without building in full. See
    /// `ContentGraph.replacing(_:)` for exactly when; it is also nil when `drafts` or
    /// `undecoded` differ from the previous build's.
    public static func update(
        previous: ContentGraph, diagnostics: [Diagnostic], changed: [Page], settings: SiteSettings,
        drafts: [PageID: PageType] = [:], undecoded: [PageID: PageType] = [:]
    ) -> (ContentGraph, [Diagnostic])? {
        guard let context = previous.context, context.drafts == drafts, context.undecoded == undecoded,
              var graph = previous.replacing(changed) else { return nil }
        graph.settings = settings
        return (graph, diagnostics)
    }
}
