import ContentGraph
import ContentModel

/// Writes the static search index for the browser script (Theme/assets/search.js).
/// The stages, one file each: `Tokenizer` and `Stemmer` (shared with the script),
/// `DocumentBuilder` (pages to weighted fields), `IndexBuilder` (postings, lengths,
/// words), `UrgentSigns` (warning-sign terms), `SnippetText` (prose kept for snippets),
/// `Sharder` (manifest, shards, words, documents), `JSON` (deterministic output). `IndexFormat`
/// documents the files.
public enum SearchIndexWriter {
    /// Every file of the index, with paths below the output folder (`search/...`).
    public static func files(for graph: ContentGraph) -> [OutputFile] {
        files(for: IndexBuilder.build(DocumentBuilder.documents(for: graph)))
    }

    /// One `search/index.json` when the index fits in `limits.singleFile` bytes with at
    /// least `limits.minSnippetBytes` of snippet prose per page; otherwise a manifest in
    /// `search/index.json`, terms shards, words files and a file per document (with all
    /// the prose).
    public static func files(for index: InvertedIndex, limits: SearchIndexLimits = .standard) -> [OutputFile] {
        if let single = singleFile(index, limits: limits) {
            return [OutputFile(path: "search/index.json", text: single)]
        }
        return Sharder.files(index, limits: limits).map { OutputFile(path: "search/" + $0.path, text: $0.text) }
    }

    /// - Parameter selections: snippet texts chosen before (kept by `serve`): only the
    ///   documents that changed are chosen for again.
    static func singleFile(_ index: InvertedIndex, limits: SearchIndexLimits, selections: SnippetSelections? = nil) -> String? {
        // Each page needs its snippet prose in the one file: past this many pages it
        // cannot fit, and writing it out only to find so cost a tenth of a large build.
        guard index.documents.count * limits.minSnippetBytes <= limits.singleFile else { return nil }
        let full = IndexFormat.singleFile(index, texts: index.documents.map(\.text), limits: limits)
        if full.utf8.count <= limits.singleFile { return full }
        guard !index.documents.isEmpty else { return nil }
        let bare = IndexFormat.singleFile(index, texts: index.documents.map { _ in "" }, limits: limits).utf8.count
        var budget = (limits.singleFile - bare) / index.documents.count
        var analyzer = Analyzer()
        var analysed: [SnippetSelections.Key: SnippetText.Sentences] = [:]
        defer { selections?.analysed = analysed }
        // JSON escapes make the file a little larger than the prose: try a few budgets.
        while budget >= limits.minSnippetBytes {
            let texts = index.documents.map { document in
                guard document.text.utf8.count > budget else { return document.text }
                let key = SnippetSelections.Key(summary: document.summary, text: document.text)
                let sentences = analysed[key] ?? selections?.analysed[key]
                    ?? SnippetText.sentences(of: document.text, summary: document.summary, analyzer: &analyzer)
                analysed[key] = sentences
                return SnippetText.select(from: sentences, budget: budget)
            }
            let file = IndexFormat.singleFile(index, texts: texts, limits: limits)
            if file.utf8.count <= limits.singleFile { return file }
            budget = budget * 9 / 10
        }
        return nil
    }
}

/// The documents' sentences as last cut and stemmed for a one-file index: choosing a
/// document's snippet prose splits and stems every sentence, which for the real site
/// was most of a `serve` rebuild; only documents whose text changed are cut again.
final class SnippetSelections {
    struct Key: Hashable {
        var summary: String
        var text: String
    }

    var analysed: [Key: SnippetText.Sentences] = [:]
}
