import ContentGraph
import ContentModel
import Diagnostics
import FrontMatter
import SearchIndex

extension SiteBuilder {
    /// Editors' pinned searches (`Content/search-tests.yml`, optional), run against the
    /// search index this graph publishes. The index is built in memory only when there
    /// are searches to run, so a site without the file pays nothing.
    static func searchTests(_ file: SourceFile?, graph: ContentGraph) -> [Diagnostic] {
        guard let file else { return [] }
        let (tests, diagnostics) = SearchTestsDecoder.decode(file)
        guard !tests.isEmpty else { return diagnostics }
        let index = IndexBuilder.build(DocumentBuilder.documents(for: graph))
        return diagnostics + SearchExpectations.check(tests, against: index)
    }
}
