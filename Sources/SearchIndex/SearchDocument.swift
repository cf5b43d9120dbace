import ContentGraph
import ContentModel

/// The parts of a page that search looks at, each with the weight its words get.
public enum SearchField: String, CaseIterable, Sendable {
    case title, aliases, headings, summary, body
    /// For a condition: the titles and aliases of the symptoms it lists, so "knee gives
    /// way" or "pain going down stairs" also lift the conditions behind those symptoms.
    case symptoms

    /// Added to a term's frequency for each occurrence of the term in the field.
    public var weight: Int {
        switch self {
        case .title: 10
        case .aliases: 8
        case .headings: 4
        case .summary: 3
        case .symptoms: 2
        case .body: 1
        }
    }
}

/// One page as the index sees it: what is shown in a result, and the weighted text.
public struct SearchDocument: Sendable {
    public var id: String
    /// Site-root-relative URL path: `conditions/mcl-injury/`.
    public var path: String
    /// "Condition", "Symptom", ...
    public var typeLabel: String
    public var title: String
    public var summary: String
    /// Prose for result snippets: the body's plain text, one block per line.
    public var text: String
    public var fields: [(field: SearchField, text: String)]
    /// Text of the page's "When to get help" (`> [!WARNING]`) callouts.
    public var warnings: [String]
    /// Guides carry the "When to get help" box that urgent queries point to.
    public var isGuide: Bool

    public init(id: String, path: String, typeLabel: String, title: String, summary: String, text: String,
                fields: [(field: SearchField, text: String)], warnings: [String] = [], isGuide: Bool = false) {
        self.id = id
        self.path = path
        self.typeLabel = typeLabel
        self.title = title
        self.summary = summary
        self.text = text
        self.fields = fields
        self.warnings = warnings
        self.isGuide = isGuide
    }
}

/// Pages to search documents, in the site's own order (type, then title).
public enum DocumentBuilder {
    /// - Parameter cache: snippet texts kept from an earlier build (by `serve`), reused
    ///   for pages whose prose and headings are unchanged.
    public static func documents(for graph: ContentGraph, cache: SearchCache? = nil) -> [SearchDocument] {
        let pages = graph.allPages
        let documents = pages.concurrentMap { page in
            document(for: page, in: graph, snippet: cache?.snippet(of: page) ?? snippetText(of: page))
        }
        cache?.keepSnippets(pages.indices.map { (pages[$0], documents[$0].text) })
        return documents
    }

    /// The documents of these pages of `graph`, with their places in the site's order.
    public static func documents(of pages: [Page], in graph: ContentGraph,
                                 cache: SearchCache? = nil) -> [(place: Int, document: SearchDocument)] {
        let made = pages.map { page in
            document(for: page, in: graph, snippet: cache?.snippet(of: page) ?? snippetText(of: page))
        }
        cache?.keepSnippets(zip(pages, made.map(\.text)).map { ($0, $1) }, replacing: true)
        return zip(pages, made).compactMap { page, document in graph.position(of: page.id).map { ($0, document) } }
    }

    /// The pages whose documents show something of these changed pages: themselves, and
    /// for a symptom, the conditions that list it (their documents hold its title and aliases).
    public static func pagesShowing(_ changed: [Page], in graph: ContentGraph) -> [Page] {
        var ids = Set(changed.map(\.id))
        for page in changed where page.type == .symptom {
            ids.formUnion(graph.inverse[page.id]?[.symptoms] ?? [])
        }
        return ids.compactMap { graph[$0] }
    }

    static func snippetText(of page: Page) -> String {
        snippetText(page.body.plainText, headings: Set(page.body.headings.map(\.text)))
    }

    static func document(for page: Page, in graph: ContentGraph, snippet: String) -> SearchDocument {
        var fields: [(field: SearchField, text: String)] = [(.title, page.title)]
        fields += page.metadata.aliases.map { (.aliases, $0) }
        fields += page.body.headings.map { (.headings, $0.text) }
        if let summary = page.metadata.summary?.value { fields.append((.summary, summary)) }
        fields.append((.body, page.body.plainText))
        if page.type == .condition {
            for symptom in graph.related(page.id, .symptoms) {
                fields.append((.symptoms, symptom.title))
                fields += symptom.metadata.aliases.map { (.symptoms, $0) }
            }
        }
        return SearchDocument(
            id: page.id.rawValue, path: page.path, typeLabel: page.type.label, title: page.title,
            summary: page.metadata.summary?.value ?? "",
            text: snippet, fields: fields,
            warnings: page.body.callouts.filter { $0.kind == .warning }.map(\.text), isGuide: page.type == .guide
        )
    }

    /// The body's blocks, one per line, with runs of white space made single; headings
    /// are left out (they are indexed as their own field and make poor snippets). Built
    /// as bytes, the few headings compared by bytes: a String and a hash per line were a
    /// thirtieth of a cold build.
    static func snippetText(_ plainText: String, headings: Set<String> = []) -> String {
        let normalizedHeadings = headings.flatMap(collapsedLines).map { Array($0.utf8) }
        var out: [UInt8] = []
        forEachCollapsedLine(of: plainText) { line in
            guard !normalizedHeadings.contains(where: { $0.count == line.count && $0.elementsEqual(line) }) else { return }
            if !out.isEmpty { out.append(UInt8(ascii: "\n")) }
            out.append(contentsOf: line)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The text's non-empty lines, each trimmed and with its runs of white space made one
    /// space. The white space and line breaks are Unicode's (White_Space, and Swift's
    /// `Character.isNewline`).
    static func collapsedLines(_ text: String) -> [String] {
        var lines: [String] = []
        forEachCollapsedLine(of: text) { lines.append(String(decoding: $0, as: UTF8.self)) }
        return lines
    }

    /// `collapsedLines` as each line's UTF-8 bytes, from one pass over the text's bytes
    /// (splitting into Characters cost a fifth of a rebuild at 10,000 pages; stepping
    /// through scalars, a seventieth of a cold build).
    static func forEachCollapsedLine(of text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var text = text
        text.withUTF8 { bytes in
            var line: [UInt8] = []
            var start = 0
            while start < bytes.count {
                let end = bytes.firstIndex(of: 0x0A, from: start) ?? bytes.count
                let segment = UnsafeBufferPointer(rebasing: bytes[start..<end])
                // Most lines (cmark's plain text, a block a line) are collapsed already and
                // are given as they are; copying every line was 1% of a cold build.
                if isCollapsed(segment) {
                    if !segment.isEmpty { body(segment) }
                } else {
                    collapse(segment, into: &line, body)
                }
                start = end + 1
            }
        }
    }

    /// Printable ASCII, single spaces inside only.
    private static func isCollapsed(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard line.first != UInt8(ascii: " "), line.last != UInt8(ascii: " ") else { return false }
        var previous: UInt8 = 0
        for byte in line {
            guard byte &- 0x20 < 0x5F, byte != UInt8(ascii: " ") || previous != UInt8(ascii: " ") else { return false }
            previous = byte
        }
        return true
    }

    /// `forEachCollapsedLine` for text with no U+000A in it, by scalar.
    private static func collapse(_ bytes: UnsafeBufferPointer<UInt8>, into line: inout [UInt8],
                                 _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        line.removeAll(keepingCapacity: true)
        var pendingSpace = false
        var index = 0
        while index <= bytes.count {
            // A run of visible ASCII is copied whole.
            if index < bytes.count, bytes[index] &- 0x21 < 0x5F {
                var end = index + 1
                while end < bytes.count, bytes[end] &- 0x21 < 0x5F { end += 1 }
                if pendingSpace {
                    line.append(UInt8(ascii: " "))
                    pendingSpace = false
                }
                line.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<end]))
                index = end
                continue
            }
            // Else one scalar, decoded from its bytes (valid UTF-8: it is a String's).
            var length = 1
            var value: UInt32 = 0x0A  // past the end: a line break ends the last line
            if index < bytes.count {
                let lead = bytes[index]
                value = UInt32(lead)
                if lead >= 0x80 {
                    length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
                    value &= 0xFF >> (length + 1)
                    for offset in 1..<length { value = value << 6 | UInt32(bytes[index + offset] & 0x3F) }
                }
            }
            switch value {
            case 0x0A...0x0D, 0x85, 0x2028, 0x2029:
                if !line.isEmpty { line.withUnsafeBufferPointer(body) }
                line.removeAll(keepingCapacity: true)
                pendingSpace = false
            case 0x09, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x202F, 0x205F, 0x3000:
                pendingSpace = !line.isEmpty
            default:
                if pendingSpace {
                    line.append(UInt8(ascii: " "))
                    pendingSpace = false
                }
                if length == 1 { line.append(bytes[index]) } else {
                    line.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<index + length]))
                }
            }
            index += length
        }
    }
}
