import ContentGraph
import ContentModel

/// Writes the static search index for the browser script (Theme/assets/search.js).
public enum SearchIndexWriter {
    /// Every file of the index, with paths below the output folder (`search/...`).
    public static func files(for graph: ContentGraph) -> [OutputFile] {
        []
    }
}
