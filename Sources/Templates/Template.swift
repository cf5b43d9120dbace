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
