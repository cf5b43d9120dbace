import CCmarkGFM
import CCmarkParallel
import Foundation

/// Owns one cmark-gfm parser and the tree it produced, and frees both together.
/// Raw node pointers never outlive the document (cmark frees nodes on edits).
final class CmarkDocument {
    let parser: OpaquePointer
    let root: OpaquePointer

    /// cmark-gfm's parser was measured to give wrong output when several threads parse
    /// at once: each parse adds and then removes its extensions' characters in one
    /// global table. CCmarkParallel takes that bookkeeping over so the table never
    /// changes back; parses then run at once, but only if a first parse shows the
    /// library really calls the replacement (else they stay behind this lock).
    private static let parseLock = NSLock()
    /// Extension registration races too: a static is initialised once, on one thread.
    private static let registered: Void = { cmark_gfm_core_extensions_ensure_registered() }()
    static let extensionNames = ["table", "strikethrough", "autolink", "tagfilter", "tasklist"]

    static let parsesInParallel: Bool = {
        _ = registered
        let before = patella_cmark_special_character_calls()
        let (parser, root) = parseLock.withLock { parse("~~a~~ www.example.org") }
        cmark_node_free(root)
        cmark_parser_free(parser)
        return patella_cmark_special_character_calls() > before
    }()

    static var options: Int32 {
        // Safe mode (no CMARK_OPT_UNSAFE): raw HTML is never passed through.
        // Table alignment as style attributes: `align` is obsolete in HTML5.
        Int32(CMARK_OPT_FOOTNOTES | CMARK_OPT_SMART | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES)
    }

    init(markdown: String) {
        (parser, root) = Self.parsesInParallel ? Self.parse(markdown) : Self.parseLock.withLock { Self.parse(markdown) }
    }

    private static func parse(_ markdown: String) -> (OpaquePointer, OpaquePointer) {
        _ = registered
        let parser = cmark_parser_new(options)!
        for name in extensionNames {
            if let ext = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, ext)
            }
        }
        var text = markdown
        text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                cmark_parser_feed(parser, chars.baseAddress, chars.count)
            }
        }
        return (parser, cmark_parser_finish(parser)!)
    }

    /// Blocks taken out of the tree after their inline children were moved elsewhere.
    /// cmark's inline text can point into its block's own buffer instead of holding a
    /// copy, so such a block is freed with the document, not before: freeing a heading
    /// early left its moved text pointing at freed memory (found by the fuzzer).
    private var retired: [OpaquePointer] = []

    /// Takes `block` out of the tree; it is freed when the document is.
    func retire(_ block: OpaquePointer) {
        cmark_node_unlink(block)
        retired.append(block)
    }

    deinit {
        cmark_node_free(root)
        for block in retired { cmark_node_free(block) }
        cmark_parser_free(parser)
    }

    func renderHTML() -> String {
        let extensions = cmark_parser_get_syntax_extensions(parser)
        guard let html = cmark_render_html(root, Self.options, extensions) else { return "" }
        defer { free(html) }
        return String(cString: html)
    }

    /// All nodes in document order, collected before any edit is made.
    func nodes() -> [OpaquePointer] {
        var result: [OpaquePointer] = []
        let iterator = cmark_iter_new(root)
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            if event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) {
                result.append(node)
            }
        }
        return result
    }
}

/// Small typed views over cmark's C accessors.
enum Node {
    static func type(_ node: OpaquePointer) -> cmark_node_type { cmark_node_get_type(node) }

    static func typeName(_ node: OpaquePointer) -> String {
        cmark_node_get_type_string(node).map { String(cString: $0) } ?? ""
    }

    static func literal(_ node: OpaquePointer) -> String {
        cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
    }

    static func url(_ node: OpaquePointer) -> String {
        cmark_node_get_url(node).map { String(cString: $0) } ?? ""
    }

    static func children(_ node: OpaquePointer) -> [OpaquePointer] {
        var result: [OpaquePointer] = []
        var child = cmark_node_first_child(node)
        while let current = child {
            result.append(current)
            child = cmark_node_next(current)
        }
        return result
    }

    /// Text content of an inline subtree (for headings, link text, image alt).
    static func plainText(_ node: OpaquePointer) -> String {
        var out = ""
        let iterator = cmark_iter_new(node)
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let current = cmark_iter_get_node(iterator) else { continue }
            let kind = type(current)
            if kind == CMARK_NODE_TEXT || kind == CMARK_NODE_CODE {
                out += literal(current)
            } else if kind == CMARK_NODE_SOFTBREAK || kind == CMARK_NODE_LINEBREAK {
                out += " "
            }
        }
        return out
    }

    static func isInside(_ node: OpaquePointer, _ kinds: Set<UInt32>) -> Bool {
        var parent = cmark_node_parent(node)
        while let current = parent {
            if kinds.contains(type(current).rawValue) { return true }
            parent = cmark_node_parent(current)
        }
        return false
    }

    /// Nearest enclosing block with a known source line range.
    static func enclosingBlockLines(_ node: OpaquePointer) -> ClosedRange<Int>? {
        var current: OpaquePointer? = node
        while let block = current {
            let start = Int(cmark_node_get_start_line(block)), end = Int(cmark_node_get_end_line(block))
            if start > 0, (type(block).rawValue & UInt32(CMARK_NODE_TYPE_BLOCK)) == UInt32(CMARK_NODE_TYPE_BLOCK),
               type(block).rawValue & UInt32(CMARK_NODE_TYPE_INLINE) != UInt32(CMARK_NODE_TYPE_INLINE) {
                return start...max(start, end)
            }
            current = cmark_node_parent(block)
        }
        return nil
    }

    static func makeText(_ text: String) -> OpaquePointer {
        let node = cmark_node_new(CMARK_NODE_TEXT)!
        cmark_node_set_literal(node, text)
        return node
    }

    static func makeCustomBlock(enter: String, exit: String) -> OpaquePointer {
        let node = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK)!
        cmark_node_set_on_enter(node, enter)
        cmark_node_set_on_exit(node, exit)
        return node
    }

    static func makeCustomInline(_ html: String) -> OpaquePointer {
        let node = cmark_node_new(CMARK_NODE_CUSTOM_INLINE)!
        cmark_node_set_on_enter(node, html)
        cmark_node_set_on_exit(node, "")
        return node
    }

    /// Moves every child of `from` to the end of `to`.
    static func moveChildren(from: OpaquePointer, to: OpaquePointer) {
        for child in children(from) {
            cmark_node_append_child(to, child)
        }
    }
}
