/// A position in a source file, as editors count it: 1-based line and column.
/// Columns count Unicode scalars, which is what YAML and most editors report.
public struct SourceLocation: Hashable, Sendable, Comparable, Codable {
    /// Path as the user should see it (relative to the working directory when possible).
    public var file: String
    public var line: Int?
    public var column: Int?

    public init(file: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        if a.file != b.file { return a.file < b.file }
        if (a.line ?? 0) != (b.line ?? 0) { return (a.line ?? 0) < (b.line ?? 0) }
        return (a.column ?? 0) < (b.column ?? 0)
    }

    /// `file:line:col`, leaving out what is unknown.
    public var description: String {
        var text = file
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        return text
    }
}

public enum Severity: String, Sendable, Codable, Comparable {
    case warning
    case error

    public static func < (a: Severity, b: Severity) -> Bool { a == .warning && b == .error }
}

/// One build message. Stages return these as values; only the CLI decides what they
/// mean for the exit code.
public struct Diagnostic: Hashable, Sendable, Codable {
    public var severity: Severity
    /// Stable machine-readable name of the rule, e.g. `unknown-key`.
    public var code: String
    public var location: SourceLocation
    public var message: String
    public var hint: String?

    public init(_ severity: Severity, _ code: String, at location: SourceLocation, _ message: String, hint: String? = nil) {
        self.severity = severity
        self.code = code
        self.location = location
        self.message = message
        self.hint = hint
    }

    public static func error(_ code: String, at location: SourceLocation, _ message: String, hint: String? = nil) -> Diagnostic {
        Diagnostic(.error, code, at: location, message, hint: hint)
    }

    public static func warning(_ code: String, at location: SourceLocation, _ message: String, hint: String? = nil) -> Diagnostic {
        Diagnostic(.warning, code, at: location, message, hint: hint)
    }
}

extension Diagnostic: Comparable {
    /// Compiler order: by file, line, column, then errors before warnings, then text.
    public static func < (a: Diagnostic, b: Diagnostic) -> Bool {
        if a.location != b.location { return a.location < b.location }
        if a.severity != b.severity { return a.severity > b.severity }
        return (a.code, a.message) < (b.code, b.message)
    }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains { $0.severity == .error } }
    public var errorCount: Int { filter { $0.severity == .error }.count }
    public var warningCount: Int { filter { $0.severity == .warning }.count }

    /// Sorted, with exact repeats removed (two stages may notice the same fault).
    public func sortedUnique() -> [Diagnostic] {
        var seen = Set<Diagnostic>()
        return sorted().filter { seen.insert($0).inserted }
    }
}

/// A single diagnostic can travel as the failure of a `Result`.
extension Diagnostic: Error {}
