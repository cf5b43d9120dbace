import ContentGraph
import ContentModel
import Diagnostics
import FrontMatter
import SearchIndex

extension SiteBuilder {
    /// Editors' pinned searches (`Content/search-tests.yml`, optional), run against the
    /// search index this graph publishes. The index is built in memory only when there
    /// are searches to run, so a site without the file pays nothing.
    /// The index is returned too, so a build writes the one its searches were run on.
    /// - Parameter updated: the kept index is already up to date with `graph`.
    static func searchTests(_ file: SourceFile?, graph: ContentGraph, cache: PageCache,
                            updated: Bool = false) -> ([Diagnostic], InvertedIndex?) {
        guard let file else { return ([], nil) }
        let (tests, diagnostics) = SearchTestsDecoder.decode(file)
        guard !tests.isEmpty else { return (diagnostics, nil) }
        let index = updated ? cache.searchIndex.index
            : cache.searchIndex.index(for: DocumentBuilder.documents(for: graph, cache: cache.search))
        return (diagnostics + SearchExpectations.check(tests, against: index), index)
    }
}
