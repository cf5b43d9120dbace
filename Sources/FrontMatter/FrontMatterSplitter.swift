import ContentModel
import Diagnostics

/// Splits `---` front-matter from the Markdown body.
public enum FrontMatterSplitter {
    public static func split(_ file: SourceFile) -> Result<SplitPage, Diagnostic> {
        let text = file.text
        guard isFence(firstLine(of: text)) else {
            return .failure(.error(
                "front-matter-missing", at: file.location(line: 1, column: 1),
                "expected front-matter: the first line must be '---'",
                hint: "start the page with\n    ---\n    title: ...\n    summary: ...\n    ---"
            ))
        }
        var lineNumber = 1
        var index = text.index(after: text.firstIndex(of: "\n") ?? text.index(before: text.endIndex))
        let yamlStart = index
        while index < text.endIndex {
            let lineEnd = text[index...].firstIndex(of: "\n") ?? text.endIndex
            lineNumber += 1
            let line = text[index..<lineEnd]
            if isFence(line) || line.trimmingTrailingSpaces == "..." {
                let bodyStart = lineEnd < text.endIndex ? text.index(after: lineEnd) : text.endIndex
                return .success(SplitPage(
                    frontMatter: String(text[yamlStart..<index]), frontMatterLine: 2,
                    body: String(text[bodyStart...]), bodyLine: lineNumber + 1
                ))
            }
            index = lineEnd < text.endIndex ? text.index(after: lineEnd) : text.endIndex
        }
        return .failure(.error(
            "front-matter-unclosed", at: file.location(line: 1, column: 1),
            "front-matter that starts here is never closed",
            hint: "add a line '---' after the last front-matter key"
        ))
    }

    private static func firstLine(of text: String) -> Substring {
        text[..<(text.firstIndex(of: "\n") ?? text.endIndex)]
    }

    private static func isFence(_ line: Substring) -> Bool { line.trimmingTrailingSpaces == "---" }
}

extension Substring {
    var trimmingTrailingSpaces: Substring {
        var end = endIndex
        while end > startIndex, self[index(before: end)] == " " || self[index(before: end)] == "\t" {
            end = index(before: end)
        }
        return self[startIndex..<end]
    }
}
