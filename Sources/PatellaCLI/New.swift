import ArgumentParser
import ContentModel
import Foundation

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a page from a commented template: patella new condition \"Runner's knee\"."
    )

    @Argument(help: ArgumentHelp("The page type: \(PageType.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "type"))
    var type: String

    @Argument(help: "The page title; the id (file name) is made from it.")
    var title: String

    @OptionGroup var content: ContentOption

    @OptionGroup var outputOptions: OutputOptions

    func validate() throws {
        guard PageType(rawValue: type) != nil else {
            throw ValidationError("unknown page type '\(type)'; use one of \(PageType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard !PageID.slug(from: title).isEmpty else {
            throw ValidationError("the title must contain letters or digits to make an id from")
        }
    }

    func run() throws {
        let pageType = PageType(rawValue: type)!
        let id = PageID.slug(from: title)
        let folder = content.content + "/" + pageType.folder
        let path = folder + "/" + id + ".md"
        if FileManager.default.fileExists(atPath: path) {
            FileHandle.standardError.write(Data("error: \(path) already exists; Patella never overwrites a page\n".utf8))
            throw Exit.failure
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(PageTemplate.text(for: pageType, title: title).utf8).write(to: URL(fileURLWithPath: path))
        print(path)
    }
}

/// The starting text of a new page: every key the type takes, explained in comments.
enum PageTemplate {
    static func text(for type: PageType, title: String) -> String {
        let quotedTitle = "\"" + title.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        var lines = [
            "---",
            "title: \(quotedTitle)",
            "# One or two plain sentences (at most 200 characters) for lists, search results and previews.",
            "summary: \"TODO: say in plain words what this page is about.\"",
            "# Other names and lay words readers type into search, e.g. [runner's knee, PFPS].",
            "aliases: []",
        ]
        switch type {
        case .condition:
            lines += [
                "# Ids (file names without .md) of the pages below; the build adds the links back.",
                "symptoms: []",
                "causes: []",
                "treatments: []",
                "diagnostics: []",
            ]
        case .treatment:
            lines += ["# Step on the stepped-care ladder: self-care, clinician, procedure or surgery.", "care: self-care"]
        case .cause:
            lines += ["# One of: injury, overuse, structural, disease, training.", "kind: overuse"]
        case .symptom, .diagnostic, .guide:
            break
        }
        lines += [
            "# Ids of any other pages worth reading next.",
            "related: []",
            "# Leave 'reviewed' out until a clinician has reviewed the page:",
            "# reviewed: { on: 2026-01-31, by: Name as the clinic writes it, next: 2029-01-31 }",
            "# sources:",
            "#   - { title: Article title, publisher: Publisher, url: https://... }",
            "# draft: true keeps the page out of the site until you remove it.",
            "draft: true",
            "---",
            "",
            "## What it is",
            "",
            "Write in short sentences and everyday words. Link another page by writing its id in double square brackets.",
            "",
        ]
        return lines.joined(separator: "\n")
    }
}
