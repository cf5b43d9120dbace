import ContentModel
import Diagnostics
import Foundation
import Mustache

/// A theme folder: Mustache templates compiled once, plus static assets.
///
///     Theme/templates/layout.mustache        base layout (blocks: main)
///     Theme/templates/<type>.mustache        one per page type
///     Theme/templates/home|section|overview|404.mustache
///     Theme/templates/partials/*.mustache    shared pieces, used as {{> partials/name}}
///     Theme/assets/                          copied to Output/assets/
public struct Theme: Sendable {
    let library: MustacheLibrary
    public let assets: [AssetFile]
    /// Of every template's name and text: a changed template changes every page's fingerprint.
    let fingerprint: String

    public static let requiredTemplates = ["layout", "home", "section", "overview", "search", "404"]
        + PageType.allCases.map(\.rawValue)

    /// - Parameter previous: a theme loaded earlier (by `serve`); while every template's
    ///   name and text is the same, its compiled templates are used, not compiled again.
    public static func load(directory: String, reusing previous: Theme? = nil) -> (Theme?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let display = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        let templatesDirectory = directory + "/templates"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: templatesDirectory, isDirectory: &isDirectory), isDirectory.boolValue else {
            return (nil, [.error("theme-missing", at: SourceLocation(file: display + "/templates"),
                                 "theme folder '\(display)' has no templates/ folder",
                                 hint: "pass --theme DIR, or restore the default Theme/ from git")])
        }
        MustacheContentTypes.register(FastHTML(), named: FastHTML.name)
        var library = MustacheLibrary()
        var texts: [(name: String, shown: String, text: String)] = []
        for relative in files(under: templatesDirectory) where relative.hasSuffix(".mustache") {
            let path = templatesDirectory + "/" + relative
            let shown = display + "/templates/" + relative
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                diagnostics.append(.error("template-unreadable", at: SourceLocation(file: shown), "cannot read the template as UTF-8 text"))
                continue
            }
            texts.append((String(relative.dropLast(".mustache".count)), shown, text))
        }
        var digest = Fingerprint()
        for (name, _, text) in texts.sorted(by: { $0.name < $1.name }) {
            digest.combine(name)
            digest.combine(text)
        }
        let fingerprint = digest.hex
        // The same templates: compiled and checked already.
        let reused = previous.flatMap { $0.fingerprint == fingerprint && diagnostics.isEmpty ? $0.library : nil }
        var sources: [String: (display: String, text: String)] = [:]
        for (name, shown, text) in texts where reused == nil {
            do {
                library.register(try MustacheTemplate(string: FastHTML.pragma + text), named: name)
                sources[name] = (shown, text)
            } catch let error as MustacheTemplate.ParserError {
                diagnostics.append(.error(
                    "template-syntax", at: SourceLocation(file: shown, line: error.context.lineNumber - FastHTML.pragmaLines,
                                                          column: error.context.columnNumber + 1),
                    "template syntax error: \(describe(error.error))"
                ))
            } catch {
                diagnostics.append(.error("template-syntax", at: SourceLocation(file: shown), "template syntax error: \(error)"))
            }
        }
        for name in requiredTemplates where reused == nil && sources[name] == nil && !diagnostics.contains(where: { $0.location.file.hasSuffix("/\(name).mustache") }) {
            diagnostics.append(.error("template-missing", at: SourceLocation(file: display + "/templates/\(name).mustache"),
                                      "the theme has no '\(name)' template"))
        }
        // swift-mustache renders an unknown partial as nothing: catch the typo here.
        for (name, source) in sources.sorted(by: { $0.key < $1.key }) {
            for reference in partialReferences(in: source.text) where sources[reference.name] == nil {
                diagnostics.append(.error(
                    "template-partial-unknown", at: SourceLocation(file: source.display, line: reference.line, column: reference.column),
                    "template '\(name)' uses '\(reference.name)', which the theme does not have",
                    hint: Suggestion.closest(to: reference.name, in: sources.keys).map { "did you mean '\($0)'?" }
                ))
            }
        }
        let assetsDirectory = directory + "/assets"
        let themeRoot = URL(fileURLWithPath: directory).standardizedFileURL.resolvingSymlinksInPath().path
        var assets: [AssetFile] = []
        for relative in files(under: assetsDirectory) {
            let path = assetsDirectory + "/" + relative
            // As in Content/: a link that leads out of the theme is never published.
            let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            guard real.hasPrefix(themeRoot + "/") else {
                diagnostics.append(.error(
                    "link-outside", at: SourceLocation(file: display + "/assets/" + relative),
                    "symbolic link points outside the theme folder and is not followed",
                    hint: "copy the file into the theme folder instead"
                ))
                continue
            }
            assets.append(AssetFile(sourcePath: real, outputPath: "assets/" + relative))
        }
        if diagnostics.hasErrors { return (nil, diagnostics) }
        return (Theme(library: reused ?? library, assets: assets, fingerprint: fingerprint), diagnostics)
    }

    /// Renders `template` with a context; nil only if the template is missing, which load() rules out.
    func render(_ template: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: template) ?? ""
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case MustacheTemplate.Error.sectionCloseNameIncorrect: "a section is closed with a different name than it was opened"
        case MustacheTemplate.Error.unfinishedName: "a tag is not closed with '}}'"
        case MustacheTemplate.Error.expectedSectionEnd: "a section is opened but never closed"
        default: "\(error)"
        }
    }

    /// `{{> name}}` and `{{< name}}` tags, with their positions.
    static func partialReferences(in text: String) -> [(name: String, line: Int, column: Int)] {
        var result: [(String, Int, Int)] = []
        for (lineIndex, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var search = line.startIndex..<line.endIndex
            while let open = line.range(of: "{{", range: search) {
                var cursor = open.upperBound
                while cursor < line.endIndex, line[cursor] == " " { cursor = line.index(after: cursor) }
                guard cursor < line.endIndex, line[cursor] == ">" || line[cursor] == "<",
                      let close = line.range(of: "}}", range: cursor..<line.endIndex) else {
                    search = open.upperBound..<line.endIndex
                    continue
                }
                let name = line[line.index(after: cursor)..<close.lowerBound].trimmingWhitespace()
                let column = line.unicodeScalars[..<open.lowerBound].count + 1
                result.append((name, lineIndex + 1, column))
                search = close.upperBound..<line.endIndex
            }
        }
        return result
    }

    /// Regular files below a folder, as sorted relative paths; hidden files skipped.
    static func files(under directory: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        var result: [String] = []
        while let relative = enumerator.nextObject() as? String {
            if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: directory + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue {
                result.append(relative)
            }
        }
        return result.sorted()
    }
}

/// HTML escaping for `{{name}}`: the same five characters swift-mustache escapes, by
/// `escapedForMarkup()`, whose own escaper was 7% of a 10,000-page build. Every template
/// starts with the pragma that selects it, added here, not in the theme.
struct FastHTML: MustacheContentType {
    static let name = "PATELLA_HTML"
    /// On a line of its own, which Mustache drops whole, so the theme's first line stays standalone.
    static let pragma = "{{% CONTENT_TYPE: \(name) }}\n"
    static let pragmaLines = 1

    func escapeText(_ text: String) -> String { text.escapedForMarkup() }
}
