/// Short Markdown outside any page, such as the site disclaimer: rendered with the
/// same extensions and safety as page bodies, with no link rewriting.
public enum MarkdownSnippet {
    public static func html(_ markdown: String) -> String {
        CmarkDocument(markdown: markdown).renderHTML()
    }
}
