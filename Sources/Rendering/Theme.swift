import ContentModel
import Diagnostics
import Foundation
import Templates

/// A theme folder: Mustache templates compiled once, plus static assets.
///
///     Theme/templates/layout.mustache        base layout (blocks: main)
///     Theme/templates/<type>.mustache        one per page type
///     Theme/templates/home|section|overview|404.mustache
///     Theme/templates/partials/*.mustache    shared pieces, used as {{> partials/name}}
///     Theme/assets/                          copied to Output/assets/
public struct Theme: Sendable {
    let library: TemplateLibrary
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
        var templates: [String: Template] = [:]
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
        var shownPaths: [String: String] = [:]
        for (name, shown, text) in texts where reused == nil {
            do {
                templates[name] = try Template(text)
                shownPaths[name] = shown
            } catch {
                diagnostics.append(.error("template-syntax", at: SourceLocation(file: shown, line: error.line, column: error.column),
                                          "template syntax error: \(error.message)"))
            }
        }
        for name in requiredTemplates where reused == nil && templates[name] == nil && !diagnostics.contains(where: { $0.location.file.hasSuffix("/\(name).mustache") }) {
            diagnostics.append(.error("template-missing", at: SourceLocation(file: display + "/templates/\(name).mustache"),
                                      "the theme has no '\(name)' template"))
        }
        diagnostics += referenceProblems(templates, shownPaths: shownPaths, existing: Set(texts.map(\.name)))
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
        return (Theme(library: reused ?? TemplateLibrary(templates), assets: assets, fingerprint: fingerprint), diagnostics)
    }

    /// Renders `template` with a context; empty only if the template is missing or
    /// includes itself, both of which load() rules out.
    func render(_ template: String, _ context: TemplateValue) -> [UInt8] {
        library.render(template, context) ?? []
    }

    /// A partial or parent the theme does not have would render as nothing, and one
    /// that includes itself would never end: both are errors, at the tag.
    /// `existing`: every template file, including those that did not parse (already reported).
    static func referenceProblems(_ templates: [String: Template], shownPaths: [String: String], existing: Set<String>) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for (name, template) in templates.sorted(by: { $0.key < $1.key }) {
            for reference in template.references where !existing.contains(reference.name) {
                diagnostics.append(.error(
                    "template-partial-unknown",
                    at: SourceLocation(file: shownPaths[name] ?? name, line: reference.line, column: reference.column),
                    "template '\(name)' uses '\(reference.name)', which the theme does not have",
                    hint: Suggestion.closest(to: reference.name, in: existing).map { "did you mean '\($0)'?" }
                ))
            }
        }
        // Depth-first through the references; a name met again on the current path closes a cycle.
        var finished: Set<String> = []
        func visit(_ name: String, path: [String]) {
            guard !finished.contains(name), let template = templates[name] else { return }
            for reference in template.references {
                if let start = path.firstIndex(of: reference.name) {
                    let cycle = (path[start...] + [reference.name]).joined(separator: " -> ")
                    diagnostics.append(.error(
                        "template-cycle",
                        at: SourceLocation(file: shownPaths[name] ?? name, line: reference.line, column: reference.column),
                        "templates include each other without end: \(cycle)",
                        hint: "a template cannot use itself, directly or through other templates"
                    ))
                } else {
                    visit(reference.name, path: path + [reference.name])
                }
            }
            finished.insert(name)
        }
        for name in templates.keys.sorted() { visit(name, path: [name]) }
        return diagnostics
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
