import CCmarkGFM

/// The readable words of a body, block by block: what search and reading-level
/// checks look at. Code blocks and raw HTML are left out.
enum ProseText {
    private static let lineEndingBlocks: Set<UInt32> = [
        CMARK_NODE_PARAGRAPH.rawValue, CMARK_NODE_HEADING.rawValue, CMARK_NODE_ITEM.rawValue,
        CMARK_NODE_CUSTOM_BLOCK.rawValue, CMARK_NODE_BLOCK_QUOTE.rawValue,
    ]

    static func collect(from document: CmarkDocument) -> String {
        var out = ""
        let iterator = cmark_iter_new(document.root)
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard let node = cmark_iter_get_node(iterator) else { continue }
            let kind = Node.type(node)
            if event == CMARK_EVENT_ENTER {
                if kind == CMARK_NODE_TEXT || kind == CMARK_NODE_CODE {
                    out += Node.literal(node)
                } else if kind == CMARK_NODE_SOFTBREAK || kind == CMARK_NODE_LINEBREAK {
                    out += " "
                }
            } else if event == CMARK_EVENT_EXIT {
                if lineEndingBlocks.contains(kind.rawValue) || Node.typeName(node) == "table_cell" {
                    if !out.hasSuffix("\n") && !out.isEmpty { out += "\n" }
                }
            }
        }
        return out
    }
}
