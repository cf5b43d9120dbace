import ContentModel
import Diagnostics

/// Decodes `search-tests.yml`: a list of pinned searches,
///
///     - query: runner's knee
///       expect: patellofemoral-pain-syndrome
///     - query: menicus
///       expect: medial-meniscus-tear
///       within: 1
///
/// Whether `expect` names a page of this build is for the search stage to say, which
/// knows the pages; this only checks the shape, with every value's line and column.
public enum SearchTestsDecoder {
    static let keys = ["query", "expect", "within"]

    public static func decode(_ file: SourceFile) -> ([SearchTest], [Diagnostic]) {
        var reader = YAMLReader(file: file, firstLine: 1)
        // An empty file (or one of comments only) pins nothing, which is fine.
        guard let root = reader.compose(file.text) else { return ([], reader.diagnostics) }
        guard case .sequence(let entries, _) = root else {
            reader.error("value-type", root, "search-tests.yml must be a list of searches, found \(YAMLReader.describe(root))",
                         hint: "start each search with '- query:' and give the page it must find on an 'expect:' line below it")
            return ([], reader.diagnostics)
        }
        let tests = entries.compactMap { test($0, reader: &reader) }
        return (tests, reader.diagnostics)
    }

    static func test(_ entry: Node, reader: inout YAMLReader) -> SearchTest? {
        guard let pairs = reader.pairs(entry, what: "each search") else { return nil }
        var query: Located<String>?
        var expect: Located<PageID>?
        var within: Int? = SearchTest.defaultWithin
        for (key, keyNode, value) in pairs {
            switch key {
            case "query": query = reader.text(value, key: key)
            case "expect": expect = pageID(value, reader: &reader)
            case "within":
                if case .scalar(let scalar) = value, let places = Int(scalar.string), places >= 1 {
                    within = places
                } else {
                    within = nil
                    reader.error("value-type", value, "'within' must be a whole number of places, 1 or more, found \(YAMLReader.describe(value))",
                                 hint: "within: 3 means the page must be one of the first three results")
                }
            default: reader.unknownKey(key, keyNode, allowed: keys, elsewhere: [:])
            }
        }
        if !pairs.contains(where: { $0.key == "query" }) {
            reader.error("key-missing", entry, "a search needs a 'query': the words readers type")
        }
        if !pairs.contains(where: { $0.key == "expect" }) {
            reader.error("key-missing", entry, "a search needs 'expect': the id of the page it must find")
        }
        guard let query, let expect, let within else { return nil }
        return SearchTest(query: query, expect: expect, within: within)
    }

    /// A page id as relations write it. Editors who copy a page's path or address
    /// (`conditions/mcl-injury.md`, `/conditions/mcl-injury/`) are shown the id in it.
    static func pageID(_ node: Node, reader: inout YAMLReader) -> Located<PageID>? {
        guard let text = reader.text(node, key: "expect") else { return nil }
        guard PageID.isValid(text.value) else {
            let last = text.value.split(separator: "/").last.map(String.init) ?? text.value
            let id = PageID.slug(from: last.hasSuffix(".md") ? String(last.dropLast(3)) : last)
            reader.error("id-invalid", node, "'\(text.value)' is not a page id",
                         hint: "write the page's id, its file name without .md, such as '\(id)'")
            return nil
        }
        return Located(PageID(text.value), at: text.location)
    }
}
