import ContentModel
import Diagnostics

/// Reads typed values out of a composed YAML tree and reports, at the node's own
/// line and column, every value that is not what the content model expects.
struct YAMLReader {
    let file: SourceFile
    /// The file line of the YAML text's first line.
    let firstLine: Int
    var diagnostics: [Diagnostic] = []

    init(file: SourceFile, firstLine: Int) {
        self.file = file
        self.firstLine = firstLine
    }

    /// Parses the YAML text; a syntax error becomes a diagnostic at its mark.
    mutating func compose(_ yaml: String) -> Node? {
        do {
            return try YAMLComposer.compose(yaml)
        } catch {
            diagnostics.append(Self.diagnostic(for: error, file: file, firstLine: firstLine))
            return nil
        }
    }

    static func diagnostic(for error: YAMLError, file: SourceFile, firstLine: Int) -> Diagnostic {
        func location(_ mark: Mark) -> SourceLocation { file.location(line: firstLine + mark.line - 1, column: mark.column) }
        switch error {
        case .syntax(let problem, let mark):
            let line = file.text.split(separator: "\n", omittingEmptySubsequences: false)
                .dropFirst(firstLine + mark.line - 2).first ?? ""
            let hint: String? = line.contains("\t") || problem.contains("tab")
                ? "indent YAML with spaces, never tabs"
                : problem.contains("mapping values") ? "put text that contains ': ' in quotes" : nil
            return .error("yaml-syntax", at: location(mark), "invalid YAML: \(problem)", hint: hint)
        case .duplicateKey(let key, let mark):
            return .error("key-duplicate", at: location(mark), "key '\(key)' is written more than once", hint: "keep one of them")
        }
    }

    func location(of node: Node) -> SourceLocation {
        file.location(line: firstLine + node.mark.line - 1, column: node.mark.column)
    }

    mutating func error(_ code: String, _ node: Node, _ message: String, hint: String? = nil) {
        diagnostics.append(.error(code, at: location(of: node), message, hint: hint))
    }

    mutating func warning(_ code: String, _ node: Node, _ message: String, hint: String? = nil) {
        diagnostics.append(.warning(code, at: location(of: node), message, hint: hint))
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): scalar.string.isEmpty ? "nothing" : "'\(scalar.string)'"
        case .mapping: "a mapping of keys"
        case .sequence: "a list"
        }
    }

    /// A non-empty single line of text.
    mutating func text(_ node: Node, key: String) -> Located<String>? {
        guard case .scalar(let scalar) = node, !node.isNull else {
            error("value-type", node, "'\(key)' must be text, found \(Self.describe(node))")
            return nil
        }
        let value = scalar.string.trimmingWhitespace()
        guard !value.isEmpty else {
            error("value-empty", node, "'\(key)' is empty")
            return nil
        }
        return Located(value, at: location(of: node))
    }

    mutating func bool(_ node: Node, key: String) -> Bool? {
        guard case .scalar(let scalar) = node, let value = Self.boolean(scalar) else {
            error("value-type", node, "'\(key)' must be true or false, found \(Self.describe(node))")
            return nil
        }
        return value
    }

    /// A YAML 1.1 boolean: a plain scalar spelled as YAML 1.1's bool type has it, or a
    /// value tagged `!!bool` spelled so in any case.
    static func boolean(_ scalar: Node.Scalar) -> Bool? {
        if scalar.tag == "tag:yaml.org,2002:bool" {
            switch scalar.string.lowercased() {
            case "true", "yes", "on": return true
            case "false", "no", "off": return false
            default: return nil
            }
        }
        guard scalar.isPlain else { return nil }
        switch scalar.string {
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON": return true
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF": return false
        default: return nil
        }
    }

    mutating func date(_ node: Node, key: String) -> CalendarDate? {
        guard case .scalar(let scalar) = node, let date = CalendarDate(iso: scalar.string) else {
            error("date-invalid", node, "'\(key)' must be a date written YYYY-MM-DD, found \(Self.describe(node))",
                  hint: "for example \(key): 2026-03-01")
            return nil
        }
        return date
    }

    /// The items of a list; a single scalar is taken as a list of one, as editors expect.
    mutating func items(_ node: Node, key: String) -> [Node] {
        switch node {
        case .sequence(let items, _): return items
        case .scalar where node.isNull: return []
        case .scalar: return [node]
        default:
            error("value-type", node, "'\(key)' must be a list, found \(Self.describe(node))",
                  hint: "write \(key): [first, second]")
            return []
        }
    }

    mutating func list(_ node: Node, key: String) -> [Located<String>] {
        items(node, key: key).compactMap { text($0, key: key) }
    }

    /// The pairs of a mapping; duplicate keys are caught while composing.
    mutating func pairs(_ node: Node, what: String) -> [(key: String, keyNode: Node, value: Node)]? {
        guard case .mapping(let mapping, _) = node else {
            error("value-type", node, "\(what) must be a mapping of 'key: value' lines, found \(Self.describe(node))")
            return nil
        }
        return mapping.map { pair in (pair.key.string ?? "", pair.key, pair.value) }
    }

    /// Reports a key that is not in `allowed`, with the closest known key as a hint.
    mutating func unknownKey(_ key: String, _ node: Node, allowed: [String], elsewhere: [String: String]) {
        if let owner = elsewhere[key] {
            error("key-not-allowed", node, "'\(key)' is only allowed on \(owner)")
        } else {
            error("key-unknown", node, "unknown key '\(key)'",
                  hint: Suggestion.closest(to: key, in: allowed).map { "did you mean '\($0)'?" }
                      ?? "known keys: " + allowed.joined(separator: ", "))
        }
    }
}
