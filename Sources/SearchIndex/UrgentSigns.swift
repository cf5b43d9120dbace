/// Which query words are warning signs, and where the "When to get help" box points.
///
/// Every term of a warning callout (`> [!WARNING]`, a "When to get help" box) gets a
/// weight from 0 to 100, from three facts the site itself gives:
///
/// - how much the term belongs to warnings: of the pages containing it, the share whose
///   warning callouts contain it ("misshapen" is only ever in warnings; "shot" mostly not);
/// - how rare it is: multiplied by 1 - (pages containing it / all pages), so words on
///   nearly every page ("knee", "pain", "see") weigh about nothing;
/// - doubled when the warning callout of a guide (the box the link goes to: its list
///   of warning signs) contains it.
///
/// A query is urgent when the weights of its distinct terms add up to `threshold`:
/// "infection", "deformed", "fever" and "red hot swollen" are; "knee pain", "stairs",
/// "cortisone shot", "knee brace" and "arthroscopic surgery" are not.
public struct UrgentSigns: Sendable, Equatable {
    /// A guide that carries a warning callout: the box links to it.
    public struct Target: Sendable, Equatable {
        public var doc: Int
        public var id: String
        public var path: String
        public var title: String
        /// The callout's lines (one list item or paragraph each), to quote the matching one.
        public var signs: [String]
    }

    public var targets: [Target]
    /// Stem -> weight (1...100). Terms under `minimumWeight` are left out.
    public var weights: [String: Int]

    public static let threshold = 70
    public static let minimumWeight = 10

    static func build(documents: [SearchDocument], documentTerms: [Set<String>], analyzer: inout Analyzer) -> UrgentSigns? {
        let targets = documents.enumerated().filter { $0.element.isGuide && !$0.element.warnings.isEmpty }.map { index, document in
            Target(doc: index, id: document.id, path: document.path, title: document.title,
                   signs: document.warnings.flatMap { lines(of: $0, in: document.text) })
        }
        guard !targets.isEmpty else { return nil }

        var warningPages: [String: Int] = [:]
        for document in documents where !document.warnings.isEmpty {
            let terms = Set(document.warnings.flatMap { analyzer.words($0).map(\.stem) })
            for term in terms { warningPages[term, default: 0] += 1 }
        }
        var pages: [String: Int] = [:]
        for terms in documentTerms {
            for term in terms where warningPages[term] != nil { pages[term, default: 0] += 1 }
        }
        var guideTerms = Set<String>()
        for target in targets {
            for warning in documents[target.doc].warnings { guideTerms.formUnion(analyzer.words(warning).map(\.stem)) }
        }
        let total = Double(documents.count)
        var weights: [String: Int] = [:]
        for (term, inWarnings) in warningPages {
            let containing = Double(max(pages[term] ?? inWarnings, inWarnings))
            let share = Double(inWarnings) / containing
            let rarity = 1 - containing / total
            let weight = Int((100 * share * rarity * (guideTerms.contains(term) ? 2 : 1)).rounded())
            if weight >= minimumWeight { weights[term] = min(100, weight) }
        }
        return UrgentSigns(targets: targets, weights: weights)
    }

    /// The callout's own lines, found in the page's snippet text (where every list item
    /// and paragraph is a line); the callout text itself runs them together.
    static func lines(of callout: String, in text: String) -> [String] {
        let target = callout.filter { !$0.isWhitespace }
        let lines = text.split(separator: "\n").map(String.init)
        for start in lines.indices {
            var joined = ""
            for end in start..<lines.count {
                joined += lines[end].filter { !$0.isWhitespace }
                if joined == target { return Array(lines[start...end]) }
                if !target.hasPrefix(joined) { break }
            }
        }
        return [callout]
    }
}
