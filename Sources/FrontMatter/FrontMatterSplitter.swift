import ContentModel
import Diagnostics

/// Splits `---` front-matter from the Markdown body.
public enum FrontMatterSplitter {
    public static func split(_ file: SourceFile) -> Result<SplitPage, Diagnostic> {
        let text = file.text
        // Lines are found as bytes: the loader made every line break a LF, which is a
        // Character of its own, and walking Characters was a fifth of this stage.
        let utf8 = text.utf8
        guard isFence(text[..<(utf8.firstIndex(of: UInt8(ascii: "\n")) ?? text.endIndex)]) else {
            return .failure(.error(
                "front-matter-missing", at: file.location(line: 1, column: 1),
                "expected front-matter: the first line must be '---'",
                hint: "start the page with\n    ---\n    title: ...\n    summary: ...\n    ---"
            ))
        }
        var lineNumber = 1
        var index = utf8.index(after: utf8.firstIndex(of: UInt8(ascii: "\n")) ?? utf8.index(before: utf8.endIndex))
        let yamlStart = index
        while index < text.endIndex {
            let lineEnd = utf8[index...].firstIndex(of: UInt8(ascii: "\n")) ?? text.endIndex
            lineNumber += 1
            let line = text[index..<lineEnd]
            if isFence(line) || line.withoutTrailingSpaces.elementsEqual("...".utf8) {
                let bodyStart = lineEnd < text.endIndex ? utf8.index(after: lineEnd) : text.endIndex
                return .success(SplitPage(
                    frontMatter: String(text[yamlStart..<index]), frontMatterLine: 2,
                    body: String(text[bodyStart...]), bodyLine: lineNumber + 1
                ))
            }
            index = lineEnd < text.endIndex ? utf8.index(after: lineEnd) : text.endIndex
        }
        return .failure(.error(
            "front-matter-unclosed", at: file.location(line: 1, column: 1),
            "front-matter that starts here is never closed",
            hint: "add a line '---' after the last front-matter key"
        ))
    }

    private static func isFence(_ line: Substring) -> Bool { line.withoutTrailingSpaces.elementsEqual("---".utf8) }
}

extension Substring {
    /// The line's bytes without its trailing spaces and tabs.
    var withoutTrailingSpaces: Substring.UTF8View.SubSequence {
        var bytes = utf8[...]
        while let last = bytes.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { bytes = bytes.dropLast() }
        return bytes
    }
}
