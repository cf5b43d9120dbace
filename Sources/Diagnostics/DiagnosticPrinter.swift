/// Prints diagnostics like a compiler:
///
///     Content/conditions/x.md:5:11: error: unknown key 'symptom'
///         symptom: [swelling]
///         ^
///     hint: did you mean 'symptoms'?
public struct DiagnosticPrinter: Sendable {
    public var useColor: Bool
    /// Returns the text of a file named in a diagnostic, for the source line and caret.
    public var readSource: @Sendable (String) -> String?

    public init(useColor: Bool, readSource: @escaping @Sendable (String) -> String?) {
        self.useColor = useColor
        self.readSource = readSource
    }

    public func format(_ diagnostics: [Diagnostic]) -> String {
        var cache: [String: [Substring]] = [:]
        var out = ""
        for diagnostic in diagnostics {
            out += format(diagnostic, lines: &cache)
        }
        return out
    }

    private func format(_ d: Diagnostic, lines cache: inout [String: [Substring]]) -> String {
        let label = d.severity == .error ? paint("error:", "1;31") : paint("warning:", "1;35")
        var out = paint("\(d.location.description):", "1") + " \(label) " + paint(d.message, "1") + "\n"
        if let line = d.location.line {
            if cache[d.location.file] == nil {
                cache[d.location.file] = readSource(d.location.file).map(Self.splitLines) ?? []
            }
            let lines = cache[d.location.file] ?? []
            if line >= 1, line <= lines.count {
                // Control characters would drive the terminal; show them as U+FFFD.
                let text = String(String.UnicodeScalarView(lines[line - 1].unicodeScalars.map {
                    ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F ? "\u{FFFD}" : $0
                }))
                out += "    " + text + "\n"
                if let column = d.location.column, column >= 1 {
                    // Keep tabs so the caret lines up under the same character.
                    let pad = text.unicodeScalars.prefix(column - 1).map { $0 == "\t" ? "\t" : " " }.joined()
                    out += "    " + pad + paint("^", "1;32") + "\n"
                }
            }
        }
        if let hint = d.hint {
            out += paint("hint:", "1;36") + " " + hint + "\n"
        }
        return out
    }

    static func splitLines(_ text: String) -> [Substring] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasSuffix("\r") ? line.dropLast() : line
        }
    }

    private func paint(_ text: String, _ code: String) -> String {
        useColor ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// "2 errors, 1 warning" style tally.
    public static func tally(_ diagnostics: [Diagnostic]) -> String {
        func count(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        return "\(count(diagnostics.errorCount, "error")), \(count(diagnostics.warningCount, "warning"))"
    }
}
