import ContentModel

/// Templates by name, so they can name each other as partials and parents.
public struct TemplateLibrary: Sendable {
    private let templates: [String: Template]
    /// Inclusions (partials and parents) deeper than this, or more than
    /// `maximumRecursions` inclusions of a template inside itself in one rendering, stop
    /// it: templates that include themselves would otherwise exhaust the stack or never
    /// end. (A theme cannot get here: loading it rejects templates that include each other.)
    static let maximumDepth = 64
    static let maximumRecursions = 10_000

    public init(_ templates: [String: Template] = [:]) { self.templates = templates }

    public subscript(name: String) -> Template? { templates[name] }

    /// The template `name` rendered with `context`, as UTF-8; nil if there is no such
    /// template or it includes templates beyond the limits above.
    public func render(_ name: String, _ context: TemplateValue) -> [UInt8]? {
        guard let template = templates[name] else { return nil }
        var renderer = Renderer(library: templates, stack: [context])
        renderer.output.reserveCapacity(16_384)
        renderer.render(template.tokens, overrides: [:])
        return renderer.exceeded ? nil : renderer.output
    }
}

/// One rendering: the context stack and the bytes written so far.
struct Renderer {
    let library: [String: Template]
    var stack: [TemplateValue]
    var output: [UInt8] = []
    /// Prefixed to every line of a standalone partial's, parent's or block's content (its tag's indentation).
    var indentation: [UInt8] = []
    var atLineStart = true
    /// The templates being included, innermost last.
    var including: [String] = []
    var recursions = 0
    var exceeded = false

    init(library: [String: Template], stack: [TemplateValue]) {
        self.library = library
        self.stack = stack
    }

    mutating func render(_ tokens: [Token], overrides: [String: [Token]]) {
        for token in tokens where !exceeded {
            switch token {
            case .text(let bytes):
                write(templateText: bytes)
            case .variable(let name, let escaped):
                // The line's indentation belongs to the template, so it is there even for an empty value.
                indent()
                guard let value = lookUp(name) else { continue }
                switch value {
                case .text(let text): write(text, escaped: escaped)
                case .number(let number): write(String(number), escaped: false)
                case .flag(let flag): write(flag ? "true" : "false", escaped: false)
                case .list, .object: break
                }
            case .section(let name, let content):
                guard let value = lookUp(name), value.isShown else { continue }
                switch value {
                case .list(let items):
                    for item in items { within(item) { $0.render(content, overrides: overrides) } }
                default:
                    within(value) { $0.render(content, overrides: overrides) }
                }
            case .invertedSection(let name, let content):
                if !(lookUp(name)?.isShown ?? false) { render(content, overrides: overrides) }
            case .partial(let name, let partialIndentation):
                guard let template = library[name] else { continue }
                include(name, template, indentation: partialIndentation, overrides: overrides)
            case .parent(let name, let blocks, let parentIndentation):
                guard let template = library[name] else { continue }
                // The outermost template's blocks win: it is the most specific.
                include(name, template, indentation: parentIndentation, overrides: overrides.merging(blocks) { outer, _ in outer })
            case .block(let name, let content, let blockIndentation):
                if let override = overrides[name] {
                    // A block of the same name inside the override shows its own content.
                    var inner = overrides
                    inner[name] = nil
                    render(override, overrides: inner, indentedBy: blockIndentation)
                } else {
                    render(content, overrides: overrides, indentedBy: blockIndentation)
                }
            }
        }
    }

    private mutating func within(_ value: TemplateValue, _ body: (inout Renderer) -> Void) {
        stack.append(value)
        body(&self)
        stack.removeLast()
    }

    private mutating func include(_ name: String, _ template: Template, indentation extra: [UInt8], overrides: [String: [Token]]) {
        // Only a template inside itself can multiply without end; others are bounded by the data.
        if including.contains(name) { recursions += 1 }
        guard including.count < TemplateLibrary.maximumDepth, recursions <= TemplateLibrary.maximumRecursions else {
            exceeded = true
            return
        }
        including.append(name)
        render(template.tokens, overrides: overrides, indentedBy: extra)
        including.removeLast()
    }

    /// `tokens` with `extra` after the indentation at the start of every line.
    private mutating func render(_ tokens: [Token], overrides: [String: [Token]], indentedBy extra: [UInt8]) {
        guard !extra.isEmpty else { return render(tokens, overrides: overrides) }
        let outer = indentation
        indentation += extra
        // A standalone tag's line was cut back to its start.
        atLineStart = true
        render(tokens, overrides: overrides)
        indentation = outer
    }

    /// The first part of a dotted name is looked for from the innermost value out;
    /// the rest only inside what it found.
    func lookUp(_ name: Name) -> TemplateValue? {
        var found: TemplateValue?
        if let first = name.parts.first {
            for value in stack.reversed() {
                if case .object(let object) = value, let child = object[first] {
                    found = child
                    break
                }
            }
        } else {
            found = stack.last
        }
        for part in name.parts.dropFirst() {
            guard case .object(let object)? = found else { return nil }
            found = object[part]
        }
        for function in name.functions {
            guard let value = found else { return nil }
            found = function.apply(to: value)
        }
        return found
    }

    // MARK: Writing

    /// At the start of a line of a standalone partial's template: its indentation.
    private mutating func indent() {
        if atLineStart, !indentation.isEmpty { output += indentation }
        atLineStart = false
    }

    private mutating func write(_ text: String, escaped: Bool) {
        var text = text
        text.withUTF8 { bytes in
            guard !bytes.isEmpty else { return }
            if escaped { Markup.appendEscaped(bytes, to: &output) } else { output.append(contentsOf: bytes) }
        }
    }

    private mutating func write(templateText bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        if indentation.isEmpty {
            output += bytes
            return
        }
        for byte in bytes {
            indent()
            output.append(byte)
            atLineStart = byte == 0x0A
        }
    }
}
