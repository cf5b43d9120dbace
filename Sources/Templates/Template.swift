/// A Mustache template, parsed once into a tree of tokens
/// (https://mustache.github.io/mustache.5.html): variables, sections, inverted
/// sections, comments, partials, set delimiters and inheritance (parents and blocks),
/// with the spec's standalone-line rules, plus swift-mustache's functions
/// (`{{^empty(list)}}`, `TemplateFunction`). Lambdas and pragmas are not supported.
public struct Template: Sendable {
    let tokens: [Token]
    /// The partials and parents it names, in order, where they are named.
    public let references: [TemplateReference]

    public init(_ text: String) throws(TemplateSyntaxError) {
        var lexer = Lexer(bytes: Array(text.utf8))
        let raws = try lexer.lex()
        var builder = TreeBuilder(lexer: lexer)
        tokens = try builder.build(StandaloneLines.trimming(raws, in: lexer.bytes))
        references = builder.references
    }
}

// MARK: - Standalone lines

/// The spec's rules for a tag alone on its line (sections, comments, partials, delimiters,
/// inheritance): it takes the whole line with it, and a partial keeps the line's
/// indentation for every line it renders. A parent whose open tag starts a line and whose
/// close ends one, even the same line, does the same; such a block outside a parent
/// indents too but keeps the line end (the spec's ~inheritance tests and whitespace.md).
/// Inside a parent only blocks count, so its own text never keeps a block from standing alone.
struct StandaloneLines {
    private let bytes: [UInt8]
    /// The pieces as lexed.
    private let original: [Raw]
    /// The pieces as cut so far.
    private var raws: [Raw]
    /// For each open tag its close and for each close its open, as they nest.
    private var partner: [Int?]
    /// Whether each piece stands directly inside a parent tag.
    private var inParent: [Bool]

    /// `raws` without the lines of standalone tags, with the indentation of partials,
    /// parents and blocks.
    static func trimming(_ raws: [Raw], in bytes: [UInt8]) -> [Raw] {
        var lines = StandaloneLines(raws, in: bytes)
        lines.trimTags()
        lines.indentPairs()
        return lines.raws
    }

    private init(_ raws: [Raw], in bytes: [UInt8]) {
        self.bytes = bytes
        original = raws
        self.raws = raws
        partner = Array(repeating: nil, count: raws.count)
        inParent = Array(repeating: false, count: raws.count)
        // Tolerant of bad nesting: building the tree reports it.
        var open: [Int] = []
        for index in raws.indices {
            if let last = open.last, case .parentOpen = raws[last].kind { inParent[index] = true }
            switch raws[index].kind {
            case .sectionOpen, .invertedOpen, .parentOpen, .blockOpen:
                open.append(index)
            case .close:
                guard let opener = open.popLast() else { continue }
                partner[opener] = index
                partner[index] = opener
            default:
                continue
            }
        }
    }

    // MARK: Tags

    /// Each tag on its own: a standalone one takes its line, and a partial or parent keeps its indentation.
    private mutating func trimTags() {
        for index in original.indices where original[index].kind.canStandAlone {
            guard let before = leadingBlank(index), let after = trailingBlank(index) else { continue }
            cutText(before: index, from: before.lowerBound)
            cutText(after: index, through: after.upperBound)
            switch original[index].kind {
            case .partial, .parentOpen: raws[index].indentation = Array(bytes[before])
            default: continue
            }
        }
    }

    /// The blank start of the tag's line, if nothing else is before it there. The side of an
    /// argument block (a block directly inside a parent) that faces the parent's text counts
    /// as blank and loses nothing: that text is not rendered.
    private func leadingBlank(_ index: Int) -> Range<Int>? {
        let tagStart = original[index].range.lowerBound
        if index == 0 || ignoresLeft(index) { return tagStart..<tagStart }
        guard case .text = original[index - 1].kind else { return nil }
        let text = original[index - 1].range
        let lineStart = bytes[text].lastIndex(of: 0x0A).map { $0 + 1 }
        guard lineStart != nil || index - 1 == 0 else { return nil }
        let before = (lineStart ?? text.lowerBound)..<text.upperBound
        return isBlank(before) ? before : nil
    }

    /// The blank rest of the tag's line with its line ending, if nothing else is after it there.
    private func trailingBlank(_ index: Int) -> Range<Int>? {
        let tagEnd = original[index].range.upperBound
        if index == original.count - 1 || ignoresRight(index) { return tagEnd..<tagEnd }
        guard case .text = original[index + 1].kind else { return nil }
        let text = original[index + 1].range
        let newline = bytes[text].firstIndex(of: 0x0A)
        guard newline != nil || index + 1 == original.count - 1 else { return nil }
        guard isBlank(text.lowerBound..<(newline ?? text.upperBound)) else { return nil }
        return text.lowerBound..<(newline.map { $0 + 1 } ?? text.upperBound)
    }

    private func isBlank(_ range: Range<Int>) -> Bool { bytes[range].allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D } }

    private func ignoresLeft(_ index: Int) -> Bool { isArgumentOpen(index) }

    private func ignoresRight(_ index: Int) -> Bool {
        guard case .close = original[index].kind, let open = partner[index] else { return false }
        return isArgumentOpen(open)
    }

    private func isArgumentOpen(_ index: Int) -> Bool {
        if case .blockOpen = original[index].kind { inParent[index] } else { false }
    }

    /// A text between two standalone tags loses its first line's end to one and its
    /// last line's start to the other; the two never overlap.
    private mutating func cutText(before index: Int, from offset: Int) {
        guard index > 0, case .text = raws[index - 1].kind else { return }
        let text = raws[index - 1].range
        raws[index - 1].range = text.lowerBound..<max(text.lowerBound, min(text.upperBound, offset))
    }

    private mutating func cutText(after index: Int, through offset: Int) {
        guard index < raws.count - 1, case .text = raws[index + 1].kind else { return }
        let text = raws[index + 1].range
        raws[index + 1].range = min(text.upperBound, max(text.lowerBound, offset))..<text.upperBound
    }

    // MARK: Pairs

    /// Parents and blocks as a whole, open tag to close.
    private mutating func indentPairs() {
        for open in original.indices {
            guard let close = partner[open], close > open else { continue }
            switch original[open].kind {
            case .parentOpen: indentParent(open: open, close: close)
            case .blockOpen where isArgumentOpen(open): dedentArgument(open: open)
            case .blockOpen: indentParameter(open: open, close: close)
            default: continue
            }
        }
    }

    /// A parent whose open tag starts a line and whose close ends one (even the same
    /// line) takes the blanks around it and the line end after it, as one standalone tag.
    private mutating func indentParent(open: Int, close: Int) {
        guard let before = leadingBlank(open), let after = trailingBlank(close) else { return }
        cutText(before: open, from: before.lowerBound)
        cutText(after: close, through: after.upperBound)
        raws[open].indentation = Array(bytes[before])
    }

    /// An argument block whose open tag ends its line drops the indentation its content
    /// has there: it is laid out again where the parent renders it.
    private mutating func dedentArgument(open: Int) {
        guard let after = trailingBlank(open) else { return }
        raws[open].intrinsicIndentation = blankStart(ofLineAt: after.upperBound)
    }

    /// A block outside a parent, alone on its lines as a pair, indents what it renders
    /// (its default or an argument): by its content's own indentation when its open tag
    /// ends a line, else by its line's blank start, which it takes.
    private mutating func indentParameter(open: Int, close: Int) {
        guard let before = leadingBlank(open), trailingBlank(close) != nil else { return }
        if let after = trailingBlank(open) {
            raws[open].intrinsicIndentation = blankStart(ofLineAt: after.upperBound)
            raws[open].indentation = raws[open].intrinsicIndentation
        } else {
            cutText(before: open, from: before.lowerBound)
            raws[open].indentation = Array(bytes[before])
        }
    }

    private func blankStart(ofLineAt offset: Int) -> [UInt8] {
        Array(bytes[offset...].prefix { $0 == 0x20 || $0 == 0x09 })
    }
}

/// A partial or parent a template names, and where.
public struct TemplateReference: Sendable, Equatable {
    public let name: String
    public let line: Int
    public let column: Int
}

/// What is wrong with a template, and where (1-based line and column).
public struct TemplateSyntaxError: Error, Sendable, Equatable {
    public let line: Int
    public let column: Int
    public let message: String
}

/// A dotted name, split once, perhaps inside functions: `empty(page.aliases)`.
/// No parts is `.`, the current value.
struct Name: Sendable {
    let parts: [String]
    /// Applied innermost first to the value found.
    let functions: [TemplateFunction]

    struct Problem: Error { let message: String }

    static func parse(_ text: String) throws(Problem) -> Name {
        var rest = Substring(text), functions: [TemplateFunction] = []
        while let open = rest.firstIndex(of: "(") {
            let function = String(rest[..<open])
            guard let known = TemplateFunction(rawValue: function) else {
                let names = TemplateFunction.allCases.map(\.rawValue).joined(separator: ", ")
                throw Problem(message: "unknown function '\(function)'; the functions are \(names)")
            }
            guard rest.last == ")" else { throw Problem(message: "'\(text)' has a '(' without its ')'") }
            functions.insert(known, at: 0)
            rest = rest[rest.index(after: open)..<rest.index(before: rest.endIndex)]
        }
        guard !rest.contains(")") else { throw Problem(message: "'\(text)' has a ')' without its '('") }
        guard !rest.isEmpty else { throw Problem(message: "expected a name in '\(text)'") }
        guard rest == "." || !rest.split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty) else {
            throw Problem(message: "'\(rest)' is not a name: dots must separate names")
        }
        return Name(parts: rest == "." ? [] : rest.split(separator: ".").map(String.init), functions: functions)
    }
}

/// Not `indirect`: the arrays already hold children apart, and an indirect case's box is
/// referenced through a pointer carrying the case in its spare bits, which LeakSanitizer
/// cannot follow (the fuzz run reported a loaded theme's templates as leaked).
enum Token: Sendable {
    case text([UInt8])
    case variable(Name, escaped: Bool)
    case section(Name, [Token])
    case invertedSection(Name, [Token])
    case partial(String, indentation: [UInt8])
    /// `{{<name}}`: the named template, with these blocks in place of its own.
    case parent(String, overrides: [String: [Token]], indentation: [UInt8])
    /// `{{$name}}`: its content, unless a parent gives the block other content.
    case block(String, [Token], indentation: [UInt8])
}

// MARK: - Lexing

/// One piece of the template before nesting: text, or one tag.
struct Raw {
    enum Kind {
        case text
        case variable(escaped: Bool)
        case sectionOpen, invertedOpen, close, comment, partial, setDelimiters, parentOpen, blockOpen

        var canStandAlone: Bool {
            switch self {
            case .text, .variable: false
            default: true
            }
        }
    }

    var kind: Kind
    /// The text's bytes; for a tag, the whole tag.
    var range: Range<Int>
    var name = ""
    /// The name as looked up, for variables and sections.
    var parsed: Name?
    /// For a standalone partial, parent or block: what every line it renders starts with.
    var indentation: [UInt8] = []
    /// For a block whose open tag ends its line, the next line's blank start, which every
    /// line of its content loses.
    var intrinsicIndentation: [UInt8] = []
}

struct Lexer {
    let bytes: [UInt8]
    private var open: [UInt8] = Array("{{".utf8)
    private var close: [UInt8] = Array("}}".utf8)

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// Line and column (in characters) of a byte offset.
    func position(of offset: Int) -> (line: Int, column: Int) {
        var line = 1, lineStart = 0
        for index in 0..<min(offset, bytes.count) where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        let column = String(decoding: bytes[lineStart..<min(offset, bytes.count)], as: UTF8.self).count + 1
        return (line, column)
    }

    func error(at offset: Int, _ message: String) -> TemplateSyntaxError {
        let (line, column) = position(of: offset)
        return TemplateSyntaxError(line: line, column: column, message: message)
    }

    private func find(_ needle: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, needle.count <= bytes.count else { return nil }
        var index = start
        while index <= bytes.count - needle.count {
            if bytes[index] == first, bytes[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    private func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    private func skipBlanks(from index: Int) -> Int {
        var index = index
        while index < bytes.count, isBlank(bytes[index]) { index += 1 }
        return index
    }

    private var closeText: String { String(decoding: close, as: UTF8.self) }

    mutating func lex() throws(TemplateSyntaxError) -> [Raw] {
        var raws: [Raw] = []
        var index = 0
        while index < bytes.count {
            guard let tagStart = find(open, from: index) else {
                raws.append(Raw(kind: .text, range: index..<bytes.count))
                break
            }
            if tagStart > index { raws.append(Raw(kind: .text, range: index..<tagStart)) }
            var cursor = skipBlanks(from: tagStart + open.count)
            let sigil = cursor < bytes.count ? bytes[cursor] : 0
            let kind: Raw.Kind
            switch sigil {
            case UInt8(ascii: "!"):
                guard let end = find(close, from: cursor) else { throw error(at: tagStart, "a comment is not closed with '\(closeText)'") }
                raws.append(Raw(kind: .comment, range: tagStart..<end + close.count))
                index = end + close.count
                continue
            case UInt8(ascii: "="):
                index = try setDelimiters(tagStart: tagStart, from: cursor + 1)
                raws.append(Raw(kind: .setDelimiters, range: tagStart..<index))
                continue
            case UInt8(ascii: "%"):
                throw error(at: tagStart, "pragmas ('{{%...}}') are not supported")
            case UInt8(ascii: "{"): kind = .variable(escaped: false)
            case UInt8(ascii: "&"): kind = .variable(escaped: false)
            case UInt8(ascii: "#"): kind = .sectionOpen
            case UInt8(ascii: "^"): kind = .invertedOpen
            case UInt8(ascii: "/"): kind = .close
            case UInt8(ascii: ">"): kind = .partial
            case UInt8(ascii: "<"): kind = .parentOpen
            case UInt8(ascii: "$"): kind = .blockOpen
            default: kind = .variable(escaped: true)
            }
            if case .variable(escaped: true) = kind {} else { cursor += 1 }
            cursor = skipBlanks(from: cursor)
            let nameStart = cursor
            while cursor < bytes.count, Self.isNameByte(bytes[cursor]) { cursor += 1 }
            let name = String(decoding: bytes[nameStart..<cursor], as: UTF8.self)
            let nameEnd = cursor
            cursor = skipBlanks(from: cursor)
            if sigil == UInt8(ascii: "{") {
                guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: "}") else {
                    throw error(at: tagStart, "a '{{{' tag is not closed with '}}}'")
                }
                cursor += 1
            }
            guard cursor + close.count <= bytes.count, bytes[cursor..<cursor + close.count].elementsEqual(close) else {
                // Closed further on along the name's line: something stray in the tag, else a tag left open.
                var strayStart = nameEnd
                while strayStart < bytes.count, bytes[strayStart] == 0x20 || bytes[strayStart] == 0x09 { strayStart += 1 }
                let lineEnd = bytes[nameEnd...].firstIndex(of: 0x0A) ?? bytes.count
                if let end = find(close, from: strayStart), end < lineEnd, strayStart < end {
                    let stray = String(decoding: bytes[strayStart..<end], as: UTF8.self)
                    throw error(at: strayStart, "unexpected '\(stray)' in the tag; a tag holds one name")
                }
                throw error(at: tagStart, name.isEmpty ? "expected a name in the tag" : "a tag is not closed with '\(closeText)'")
            }
            var parsed: Name?
            switch kind {
            case .partial, .parentOpen, .blockOpen:
                guard !name.isEmpty else { throw error(at: nameStart, "expected a name in the tag") }
            default:
                do { parsed = try Name.parse(name) } catch { throw self.error(at: nameStart, error.message) }
            }
            index = cursor + close.count
            raws.append(Raw(kind: kind, range: tagStart..<index, name: name, parsed: parsed))
        }
        return raws
    }

    /// Letters, digits (any non-ASCII too), `_`, `-`, `.`, `/`, `:`, and the parentheses of a function.
    static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: ":"),
             UInt8(ascii: "("), UInt8(ascii: ")"), 0x80...0xFF:
            true
        default: false
        }
    }

    /// `{{=<% %>=}}`: two new delimiters, without blanks or `=`; returns the offset after the tag.
    private mutating func setDelimiters(tagStart: Int, from start: Int) throws(TemplateSyntaxError) -> Int {
        let ending = [UInt8(ascii: "=")] + close
        guard let end = find(ending, from: start) else {
            throw error(at: tagStart, "a delimiter change is not closed with '=\(closeText)'")
        }
        let parts = bytes[start..<end].split(whereSeparator: isBlank)
        guard parts.count == 2, parts.allSatisfy({ !$0.contains(UInt8(ascii: "=")) }) else {
            throw error(at: tagStart, "expected two delimiters, as in '{{=<% %>=}}'")
        }
        open = Array(parts[0])
        close = Array(parts[1])
        return end + ending.count
    }
}

// MARK: - Nesting

struct TreeBuilder {
    static let maximumNesting = 100
    let lexer: Lexer
    private(set) var references: [TemplateReference] = []

    init(lexer: Lexer) { self.lexer = lexer }

    private struct Frame {
        var raw: Raw
        var tokens: [Token] = []
        var overrides: [String: [Token]] = [:]
        /// The intrinsic indentation of each block it is in, outermost first: each line
        /// of text loses them in turn.
        var dedents: [[UInt8]] = []
    }

    mutating func build(_ raws: [Raw]) throws(TemplateSyntaxError) -> [Token] {
        var frames = [Frame(raw: Raw(kind: .text, range: 0..<0))]
        for raw in raws {
            let insideParent: Bool
            if case .parentOpen = frames[frames.count - 1].raw.kind { insideParent = true } else { insideParent = false }
            switch raw.kind {
            case .text:
                // Only blocks count inside a parent tag; the text between them is layout.
                guard !insideParent else { continue }
                let text = self.text(raw.range, losing: frames[frames.count - 1].dedents)
                if !text.isEmpty { frames[frames.count - 1].tokens.append(.text(text)) }
                continue
            case .comment, .setDelimiters:
                continue
            case .sectionOpen, .invertedOpen, .blockOpen, .parentOpen:
                if case .parentOpen = raw.kind { reference(raw) }
                if insideParent, !isBlock(raw) { throw misplaced(raw) }
                // Rendering recurses once per level: far deeper than any theme, and the stack's end.
                guard frames.count <= Self.maximumNesting else {
                    throw lexer.error(at: raw.range.lowerBound, "sections are nested more than \(Self.maximumNesting) deep")
                }
                let outer = frames[frames.count - 1].dedents
                let own = Self.indentation(raw.intrinsicIndentation, losing: outer)
                frames.append(Frame(raw: raw, dedents: own.isEmpty ? outer : outer + [own]))
                continue
            case .variable, .partial:
                if insideParent { throw misplaced(raw) }
            case .close:
                break
            }
            let token: Token
            switch raw.kind {
            case .variable(let escaped):
                token = .variable(raw.parsed!, escaped: escaped)
            case .partial:
                reference(raw)
                token = .partial(raw.name, indentation: Self.indentation(raw.indentation, losing: frames[frames.count - 1].dedents))
            default:
                // A close tag.
                guard frames.count > 1 else { throw lexer.error(at: raw.range.lowerBound, "'\(tag(raw))' closes a section that was never opened") }
                let frame = frames.removeLast()
                let indentation = Self.indentation(frame.raw.indentation, losing: frames[frames.count - 1].dedents)
                guard frame.raw.name == raw.name else {
                    let (line, column) = lexer.position(of: frame.raw.range.lowerBound)
                    throw lexer.error(at: raw.range.lowerBound, "a section is closed with a different name than it was opened: "
                        + "'\(tag(raw))' closes '\(tag(frame.raw))' (line \(line), column \(column))")
                }
                switch frame.raw.kind {
                case .sectionOpen: frames[frames.count - 1].tokens.append(.section(frame.raw.parsed!, frame.tokens))
                case .invertedOpen: frames[frames.count - 1].tokens.append(.invertedSection(frame.raw.parsed!, frame.tokens))
                case .parentOpen:
                    frames[frames.count - 1].tokens.append(.parent(raw.name, overrides: frame.overrides, indentation: indentation))
                default:
                    if case .parentOpen = frames[frames.count - 1].raw.kind {
                        frames[frames.count - 1].overrides[raw.name] = frame.tokens
                    } else {
                        frames[frames.count - 1].tokens.append(.block(raw.name, frame.tokens, indentation: indentation))
                    }
                }
                continue
            }
            frames[frames.count - 1].tokens.append(token)
        }
        if let open = frames.dropFirst().last {
            throw lexer.error(at: open.raw.range.lowerBound, "a section is opened but never closed: '\(tag(open.raw))'")
        }
        return frames[0].tokens
    }

    /// A text's bytes, less the intrinsic indentation of the blocks it is in.
    private func text(_ range: Range<Int>, losing dedents: [[UInt8]]) -> [UInt8] {
        let atLineStart = range.lowerBound == 0 || lexer.bytes[range.lowerBound - 1] == 0x0A
        return Self.dedented(lexer.bytes[range], by: dedents, atLineStart: atLineStart)
    }

    /// A standalone tag's indentation starts its line, so it too loses the blocks' indentation.
    private static func indentation(_ indentation: [UInt8], losing dedents: [[UInt8]]) -> [UInt8] {
        dedented(indentation[...], by: dedents, atLineStart: true)
    }

    /// `text` without each of `dedents` in turn at the start of each of its lines.
    private static func dedented(_ text: ArraySlice<UInt8>, by dedents: [[UInt8]], atLineStart: Bool) -> [UInt8] {
        guard !dedents.isEmpty else { return Array(text) }
        var result: [UInt8] = []
        var index = text.startIndex, lineStart = atLineStart
        while index < text.endIndex {
            if lineStart {
                for prefix in dedents where text[index...].starts(with: prefix) { index += prefix.count }
                lineStart = false
            } else {
                result.append(text[index])
                lineStart = text[index] == 0x0A
                index += 1
            }
        }
        return result
    }

    private func isBlock(_ raw: Raw) -> Bool {
        if case .blockOpen = raw.kind { true } else { false }
    }

    private func misplaced(_ raw: Raw) -> TemplateSyntaxError {
        lexer.error(at: raw.range.lowerBound, "only blocks ('{{$name}}') may stand inside a parent ('{{<name}}'); found '\(tag(raw))'")
    }

    private func tag(_ raw: Raw) -> String { String(decoding: lexer.bytes[raw.range], as: UTF8.self) }

    private mutating func reference(_ raw: Raw) {
        let (line, column) = lexer.position(of: raw.range.lowerBound)
        references.append(TemplateReference(name: raw.name, line: line, column: column))
    }
}
