import CCmarkGFM
import ContentModel
import Diagnostics
import Foundation

/// What the Markdown stage needs to know about the site to turn a body into HTML.
public struct LinkContext: Sendable {
    public var directory: PageDirectory
    /// Content-relative paths of every copied file (`media/knee.png`).
    public var assets: Set<String>

    public init(directory: PageDirectory, assets: Set<String>) {
        self.directory = directory
        self.assets = assets
    }
}

/// Parses one page body with cmark-gfm and rewrites it for the site: `[[id]]` and
/// relative `.md` links become page URLs, headings get stable ids and anchor links,
/// GitHub alerts become callout boxes, and unsafe URLs are dropped.
public enum BodyParser {
    public static func parse(
        _ body: String, startingAtLine bodyLine: Int, of source: PageSource, context: LinkContext
    ) -> ParsedBody {
        let document = CmarkDocument(markdown: body)
        var state = State(
            document: document, source: source, bodyLine: bodyLine, context: context,
            sourceLines: SourceLines(body)
        )
        // Each pass walks the tree afresh: a pass frees the nodes it replaces, and
        // cmark reuses their memory for new nodes, so an old pointer list would lie.
        for node in document.nodes() {
            let kind = Node.type(node)
            if kind == CMARK_NODE_LINK {
                state.rewriteLink(node)
            } else if kind == CMARK_NODE_IMAGE {
                state.rewriteImage(node)
            }
        }
        // Wiki links come after, so the links they create are not rewritten again.
        for node in document.nodes() where Node.type(node) == CMARK_NODE_TEXT {
            state.expandWikiLinks(in: node)
        }
        for node in document.nodes() where Node.type(node) == CMARK_NODE_BLOCK_QUOTE {
            state.convertCallout(node)
        }
        for node in document.nodes() where Node.type(node) == CMARK_NODE_HEADING {
            state.convertHeading(node)
        }
        let plainText = ProseText.collect(from: document)
        return ParsedBody(
            html: document.renderHTML(), headings: state.headings, links: state.links, linkTexts: state.linkTexts, images: state.images,
            callouts: state.callouts, plainText: plainText, diagnostics: state.diagnostics
        )
    }

    /// A page's URL prefix back to the site root: pages live at `<folder>/<id>/`.
    static let pageRootPrefix = "../../"
}

private struct State {
    /// Text inside these is never a wiki link.
    static let linkKinds: Set<UInt32> = [CMARK_NODE_LINK.rawValue, CMARK_NODE_IMAGE.rawValue]

    let document: CmarkDocument
    let source: PageSource
    let bodyLine: Int
    let context: LinkContext
    /// The body's lines as UTF-8 bytes, for finding where links were written.
    let sourceLines: SourceLines
    var headings: [Heading] = []
    var links: [LinkReference] = []
    var linkTexts: [LinkText] = []
    var images: [ImageReference] = []
    var callouts: [Callout] = []
    var diagnostics: [Diagnostic] = []
    private var usedAnchors: Set<String> = []
    /// Where the last match of each needle in each block ended, so the next link
    /// written the same way is found after it, in one pass over the block.
    private var resumeAt: [String: (line: Int, offset: Int)] = [:]

    init(document: CmarkDocument, source: PageSource, bodyLine: Int, context: LinkContext, sourceLines: SourceLines) {
        self.document = document
        self.source = source
        self.bodyLine = bodyLine
        self.context = context
        self.sourceLines = sourceLines
    }

    private var pageFolder: String { source.type.folder }

    // MARK: Links

    mutating func expandWikiLinks(in node: OpaquePointer) {
        // Most text runs hold no `[[`: that is seen in cmark's own bytes, before a String
        // is made or the node's parents are walked (2.3% of a cold build, now a third).
        guard let literal = cmark_node_get_literal(node), strstr(literal, "[[") != nil,
              !Node.isInside(node, Self.linkKinds) else { return }
        let text = String(cString: literal)
        let matches = WikiLink.find(in: text)
        guard !matches.isEmpty else { return }
        var cursor = text.startIndex
        for match in matches {
            if cursor < match.range.lowerBound {
                cmark_node_insert_before(node, Node.makeText(String(text[cursor..<match.range.lowerBound])))
            }
            let id = PageID(match.id)
            let entry = context.directory[id]
            let location = locate(needle: "[[" + match.rawID, near: node)
            if let text = match.text { linkTexts.append(LinkText(text: text, location: location)) }
            links.append(LinkReference(
                target: .id(id), written: String(text[match.range]), location: location, resolved: entry?.id
            ))
            let link = cmark_node_new(CMARK_NODE_LINK)!
            cmark_node_set_url(link, entry.map { BodyParser.pageRootPrefix + $0.path } ?? "")
            cmark_node_append_child(link, Node.makeText(match.text ?? entry?.title ?? match.id))
            cmark_node_insert_before(node, link)
            cursor = match.range.upperBound
        }
        if cursor < text.endIndex {
            cmark_node_insert_before(node, Node.makeText(String(text[cursor...])))
        }
        cmark_node_free(node)
    }

    mutating func rewriteLink(_ node: OpaquePointer) {
        let url = Node.url(node)
        linkTexts.append(LinkText(text: Node.plainText(node), location: locate(url: url, near: node)))
        switch URLClassifier.classify(url, relativeTo: pageFolder) {
        case .dangerous:
            cmark_node_set_url(node, "")
        case .external, .fragment:
            break
        case .content(let path, let fragment):
            let location = linkTexts.last!.location
            let resolved = resolve(contentPath: path)
            // Links to copied files matter only when broken; links to pages are graph edges.
            if resolved.url == nil || resolved.page != nil {
                links.append(LinkReference(target: .file(path), written: url, location: location, resolved: resolved.page))
            }
            if let target = resolved.url {
                cmark_node_set_url(node, BodyParser.pageRootPrefix + target + (fragment.map { "#" + $0 } ?? ""))
            }
        }
    }

    mutating func rewriteImage(_ node: OpaquePointer) {
        let url = Node.url(node)
        let alt = Node.plainText(node).trimmingWhitespace()
        let location = locate(url: url, near: node)
        images.append(ImageReference(source: url, alt: alt, location: location))
        if alt.isEmpty {
            diagnostics.append(.error(
                "image-alt-missing", at: location, "image '\(url)' has no alt text",
                hint: "describe the picture for readers who cannot see it: ![Knee seen from the inner side](\(url))"
            ))
        }
        switch URLClassifier.classify(url, relativeTo: pageFolder) {
        case .dangerous:
            cmark_node_set_url(node, "")
        case .external, .fragment:
            break
        case .content(let path, _):
            let resolved = resolve(contentPath: path)
            // Links to copied files matter only when broken; links to pages are graph edges.
            if resolved.url == nil || resolved.page != nil {
                links.append(LinkReference(target: .file(path), written: url, location: location, resolved: resolved.page))
            }
            if let target = resolved.url { cmark_node_set_url(node, BodyParser.pageRootPrefix + target) }
        }
    }

    /// A content path is a page (`symptoms/x.md`) or a copied file (`media/x.png`).
    /// On bytes: `URLClassifier` has already dropped empty and dot segments.
    private func resolve(contentPath path: String) -> (url: String?, page: PageID?) {
        let utf8 = path.utf8
        if utf8.count >= 3, utf8.suffix(3).elementsEqual(".md".utf8) {
            let slash = UInt8(ascii: "/")
            guard let folderEnd = utf8.firstIndex(of: slash), folderEnd > utf8.startIndex,
                  !utf8[utf8.index(after: folderEnd)...].contains(slash),
                  let type = PageType(folder: String(decoding: utf8[..<folderEnd], as: UTF8.self)) else { return (nil, nil) }
            let id = PageID(String(decoding: utf8[utf8.index(after: folderEnd)..<utf8.index(utf8.endIndex, offsetBy: -3)], as: UTF8.self))
            guard let entry = context.directory[id], entry.type == type else { return (nil, nil) }
            return (entry.path, id)
        }
        return context.assets.contains(path) ? (path, nil) : (nil, nil)
    }

    // MARK: Blocks

    mutating func convertCallout(_ quote: OpaquePointer) {
        guard let paragraph = cmark_node_first_child(quote), Node.type(paragraph) == CMARK_NODE_PARAGRAPH,
              let marker = cmark_node_first_child(paragraph), Node.type(marker) == CMARK_NODE_TEXT else { return }
        let text = Node.literal(marker)
        guard text.hasPrefix("[!"), let close = text.firstIndex(of: "]") else { return }
        let name = text[text.index(text.startIndex, offsetBy: 2)..<close].uppercased()
        guard let kind = CalloutKind(rawValue: name) else {
            let location = locate(needle: "[!", near: quote)
            diagnostics.append(.warning(
                "callout-unknown", at: location, "unknown callout type '\(name)'",
                hint: "use one of " + CalloutKind.allCases.map { "[!\($0.rawValue)]" }.joined(separator: ", ")
            ))
            return
        }
        let rest = text[text.index(after: close)...].trimmingWhitespace()
        if rest.isEmpty {
            // Drop the marker and the line break after it.
            if let next = cmark_node_next(marker), Node.type(next) == CMARK_NODE_SOFTBREAK || Node.type(next) == CMARK_NODE_LINEBREAK {
                cmark_node_free(next)
            }
            cmark_node_free(marker)
        } else {
            cmark_node_set_literal(marker, rest)
        }
        if cmark_node_first_child(paragraph) == nil { cmark_node_free(paragraph) }

        let box = Node.makeCustomBlock(
            enter: "<div class=\"callout callout-\(kind.rawValue.lowercased())\" role=\"note\">"
                + "<p class=\"callout-title\">\(kind.label)</p>",
            exit: "</div>"
        )
        cmark_node_insert_before(quote, box)
        Node.moveChildren(from: quote, to: box)
        cmark_node_free(quote)
        callouts.append(Callout(kind: kind, text: Node.plainText(box).trimmingWhitespace()))
    }

    mutating func convertHeading(_ heading: OpaquePointer) {
        let level = Int(cmark_node_get_heading_level(heading))
        let text = Node.plainText(heading).trimmingWhitespace()
        var anchor = PageID.slug(from: text)
        if anchor.isEmpty { anchor = "section" }
        if usedAnchors.contains(anchor) {
            var n = 2
            while usedAnchors.contains("\(anchor)-\(n)") { n += 1 }
            anchor = "\(anchor)-\(n)"
        }
        usedAnchors.insert(anchor)
        let next = cmark_node_next(heading)
        let isEmpty = next == nil || (Node.type(next!) == CMARK_NODE_HEADING && Int(cmark_node_get_heading_level(next!)) <= level)
        let line = bodyLine + Int(cmark_node_get_start_line(heading)) - 1
        headings.append(Heading(level: level, text: text, anchor: anchor,
                                location: source.file.location(line: line, column: 1), isEmptySection: isEmpty))
        let block = Node.makeCustomBlock(
            enter: "<h\(level) id=\"\(anchor)\">",
            exit: "<a class=\"heading-anchor\" href=\"#\(anchor)\" aria-label=\"Link to this section\">#</a></h\(level)>"
        )
        cmark_node_insert_before(heading, block)
        Node.moveChildren(from: heading, to: block)
        document.retire(heading)
    }

    // MARK: Positions

    /// Finds where `needle` was written inside the block that holds `node`; cmark
    /// gives reliable line ranges for blocks only, so the column comes from the text.
    /// Where a link's URL was written: right after its `](`, else anywhere in the block.
    mutating func locate(url: String, near node: OpaquePointer) -> SourceLocation {
        locate([("](" + url, 2), (url, 0)], near: node)
    }

    mutating func locate(needle: String, near node: OpaquePointer) -> SourceLocation {
        locate([(needle, 0)], near: node)
    }

    /// Finds the first candidate written inside the block that holds `node`; cmark
    /// gives reliable line ranges for blocks only, so the column comes from the text.
    /// `offset` moves the column from the needle's start to the part that matters.
    private mutating func locate(_ candidates: [(needle: String, offset: Int)], near node: OpaquePointer) -> SourceLocation {
        guard let lines = Node.enclosingBlockLines(node) else { return source.file.location(line: bodyLine) }
        for (needle, offset) in candidates where !needle.isEmpty {
            let key = "\(lines.lowerBound):\(needle)"
            let bytes = Array(needle.utf8)
            var (lineIndex, start) = resumeAt[key] ?? (lines.lowerBound, 0)
            while lineIndex <= lines.upperBound, lineIndex - 1 < sourceLines.count {
                let line = sourceLines[lineIndex - 1]
                if let found = ByteSearch.find(bytes, in: line, from: start) {
                    resumeAt[key] = (lineIndex, found + bytes.count)
                    let column = ByteSearch.scalarCount(line, upTo: found) + 1 + offset
                    return source.file.location(line: bodyLine + lineIndex - 1, column: column)
                }
                lineIndex += 1
                start = 0
            }
        }
        return source.file.location(line: bodyLine + lines.lowerBound - 1, column: 1)
    }
}

/// A text's lines as slices of its UTF-8 bytes: one copy of the bytes and one pass to
/// find the line breaks (splitting the String's UTF-8 view into arrays, line by line,
/// was 5% of a check at 10,000 pages).
struct SourceLines {
    private let bytes: [UInt8]
    /// Where each line starts, and one past the last line's end.
    private let starts: [Int]

    init(_ text: String) {
        bytes = Array(text.utf8)
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") { starts.append(offset + 1) }
        starts.append(bytes.count + 1)
        self.starts = starts
    }

    var count: Int { starts.count - 1 }

    /// Line `index` (from 0), without its line break.
    subscript(index: Int) -> ArraySlice<UInt8> { bytes[starts[index]..<(starts[index + 1] - 1)] }
}

/// `[[id]]` and `[[id|text]]` inside a text run.
enum WikiLink {
    struct Match {
        var range: Range<String.Index>
        var rawID: String
        var id: String
        var text: String?
    }

    /// One pass over the bytes: a link's inside may not hold `[`, `]` or a line
    /// break, so a scan that meets one restarts there instead of searching ahead
    /// again, which kept long runs of brackets linear.
    static func find(in text: String) -> [Match] {
        var matches: [Match] = []
        let bytes = Array(text.utf8)
        let utf8 = text.utf8
        let open = UInt8(ascii: "["), close = UInt8(ascii: "]"), newline = UInt8(ascii: "\n")
        var index = 0
        while index + 1 < bytes.count {
            guard bytes[index] == open, bytes[index + 1] == open else {
                index += 1
                continue
            }
            // The innermost `[[`: skip to the last `[` of a run.
            var start = index
            while start + 2 < bytes.count, bytes[start + 2] == open { start += 1 }
            var end = start + 2
            while end < bytes.count, bytes[end] != open, bytes[end] != close, bytes[end] != newline { end += 1 }
            guard end + 1 < bytes.count, bytes[end] == close, bytes[end + 1] == close, end > start + 2 else {
                index = max(end, start + 1)
                continue
            }
            // `[` and `]` are ASCII, so these byte offsets are character boundaries.
            let lower = utf8.index(utf8.startIndex, offsetBy: start)
            let innerStart = utf8.index(lower, offsetBy: 2)
            let innerEnd = utf8.index(utf8.startIndex, offsetBy: end)
            let upper = utf8.index(innerEnd, offsetBy: 2)
            let parts = text[innerStart..<innerEnd].split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
            let rawID = String(parts[0])
            let label = parts.count > 1 ? parts[1].trimmingWhitespace() : nil
            matches.append(Match(
                range: lower..<upper, rawID: rawID,
                id: rawID.trimmingWhitespace(), text: label?.isEmpty == true ? nil : label
            ))
            index = end + 2
        }
        return matches
    }
}
