import ContentModel
import Diagnostics

/// Decodes a page's front-matter into `PageMetadata`, collecting every problem
/// (not just the first) with the position of the offending key or value.
public enum PageDecoder {
    static let commonKeys = ["title", "summary", "aliases", "related", "reviewed", "updated", "sources", "draft", "type"]
    static let typeKeys: [PageType: [String]] = [
        .condition: ["symptoms", "causes", "treatments", "diagnostics"],
        .treatment: ["care"],
        .cause: ["kind"],
    ]
    /// Where a key that is not allowed here does belong, for a precise message.
    static let keyOwners: [String: String] = [
        "symptoms": "condition pages", "causes": "condition pages", "treatments": "condition pages",
        "diagnostics": "condition pages", "care": "treatment pages", "kind": "cause pages",
    ]

    public static func allowedKeys(for type: PageType) -> [String] {
        commonKeys + (typeKeys[type] ?? [])
    }

    public static func decode(_ split: SplitPage, of source: PageSource) -> (PageMetadata?, [Diagnostic]) {
        var reader = YAMLReader(file: source.file, firstLine: split.frontMatterLine)
        let fenceLocation = source.file.location(line: 1, column: 1)
        if split.frontMatter.unicodeScalars.allSatisfy(\.properties.isWhitespace) {
            return (nil, [.error("key-missing", at: fenceLocation, "front-matter is empty: 'title' and 'summary' are required")])
        }
        guard let root = reader.compose(split.frontMatter),
              let pairs = reader.pairs(root, what: "front-matter") else { return (nil, reader.diagnostics) }

        let allowed = allowedKeys(for: source.type)
        var title: Located<String>?
        var summary: Located<String>?
        var metadata = PageMetadata(title: Located("", at: fenceLocation), summary: nil)
        var sawCare = false

        for (key, keyNode, value) in pairs {
            guard allowed.contains(key) else {
                reader.unknownKey(key, keyNode, allowed: allowed, elsewhere: keyOwners)
                continue
            }
            switch key {
            case "title": title = reader.text(value, key: key)
            case "summary": summary = reader.text(value, key: key)
            case "aliases": metadata.aliases = reader.list(value, key: key).map(\.value)
            case "draft": metadata.draft = reader.bool(value, key: key) ?? false
            case "updated": metadata.updated = reader.date(value, key: key)
            case "type":
                if let declared = reader.text(value, key: key), declared.value != source.type.rawValue {
                    reader.error("type-mismatch", value,
                                 "type '\(declared.value)' disagrees with the folder '\(source.type.folder)/', which makes it a \(source.type.rawValue)",
                                 hint: "remove the 'type' key, or move the file to the folder of its type")
                }
            case "care":
                sawCare = true
                metadata.care = choice(value, key: key, reader: &reader)
            case "kind":
                metadata.kind = choice(value, key: key, reader: &reader)
            case "reviewed": metadata.reviewed = review(value, reader: &reader)
            case "sources": metadata.sources = sources(value, reader: &reader)
            default:
                if let relation = RelationKind(rawValue: key) {
                    metadata.relations[relation] = relationIDs(value, key: key, reader: &reader)
                }
            }
        }

        if title == nil, !pairs.contains(where: { $0.key == "title" }) {
            reader.diagnostics.append(.error("key-missing", at: fenceLocation, "missing required key 'title'"))
        }
        if summary == nil, !pairs.contains(where: { $0.key == "summary" }) {
            reader.diagnostics.append(.error(
                "key-missing", at: fenceLocation, "missing required key 'summary'",
                hint: "one or two plain sentences, at most 200 characters, shown in lists and search results"
            ))
        }
        if source.type == .treatment, !sawCare {
            reader.diagnostics.append(.error(
                "key-missing", at: fenceLocation, "treatment pages need a 'care' step",
                hint: "care: one of " + CareStep.allCases.map(\.rawValue).joined(separator: ", ")
            ))
        }
        if let summary, summary.value.count > 200 {
            reader.diagnostics.append(.warning(
                "summary-long", at: summary.location,
                "summary is \(summary.value.count) characters; keep it to 200 or fewer",
                hint: "search results and link previews cut longer summaries"
            ))
        }
        guard let title else { return (nil, reader.diagnostics) }
        metadata.title = title
        metadata.summary = summary
        return (metadata, reader.diagnostics)
    }

    static func choice<T: RawRepresentable & CaseIterable>(_ node: Node, key: String, reader: inout YAMLReader) -> T?
    where T.RawValue == String {
        guard let text = reader.text(node, key: key) else { return nil }
        if let value = T(rawValue: text.value) { return value }
        let options = T.allCases.map(\.rawValue)
        reader.error("value-invalid", node, "'\(key)' must be one of \(options.joined(separator: ", ")); found '\(text.value)'",
                     hint: Suggestion.closest(to: text.value, in: options).map { "did you mean '\($0)'?" })
        return nil
    }

    static func relationIDs(_ node: Node, key: String, reader: inout YAMLReader) -> [Located<PageID>] {
        var seen: Set<String> = []
        var result: [Located<PageID>] = []
        for item in reader.items(node, key: key) {
            guard let text = reader.text(item, key: key) else { continue }
            guard PageID.isValid(text.value) else {
                reader.error("id-invalid", item, "'\(text.value)' is not a page id",
                             hint: "ids are file names without .md, such as '\(PageID.slug(from: text.value))'")
                continue
            }
            guard seen.insert(text.value).inserted else {
                reader.warning("relation-duplicate", item, "'\(text.value)' is listed twice in '\(key)'", hint: "remove one of them")
                continue
            }
            result.append(Located(PageID(text.value), at: text.location))
        }
        return result
    }

    static func review(_ node: Node, reader: inout YAMLReader) -> Review? {
        guard let pairs = reader.pairs(node, what: "'reviewed'") else { return nil }
        var on: CalendarDate?, by: String?, next: CalendarDate?
        var nextNode: Node?
        for (key, keyNode, value) in pairs {
            switch key {
            case "on": on = reader.date(value, key: "reviewed.on")
            case "by": by = reader.text(value, key: "reviewed.by")?.value
            case "next":
                next = reader.date(value, key: "reviewed.next")
                nextNode = value
            default: reader.unknownKey(key, keyNode, allowed: ["on", "by", "next"], elsewhere: [:])
            }
        }
        if !pairs.contains(where: { $0.key == "on" }) {
            reader.error("key-missing", node, "'reviewed' needs 'on', the date of the review")
        }
        if !pairs.contains(where: { $0.key == "by" }) {
            reader.error("key-missing", node, "'reviewed' needs 'by', who reviewed the page")
        }
        if let on, let next, let nextNode, next <= on {
            reader.error("date-order", nextNode, "'reviewed.next' (\(next)) must be after 'reviewed.on' (\(on))")
        }
        guard let on, let by else { return nil }
        return Review(on: on, by: by, next: next)
    }

    static func sources(_ node: Node, reader: inout YAMLReader) -> [SourceReference] {
        guard case .sequence(let items, _) = node else {
            reader.error("value-type", node, "'sources' must be a list of { title, publisher, url }, found \(YAMLReader.describe(node))")
            return []
        }
        return items.compactMap { item in
            guard let pairs = reader.pairs(item, what: "each source") else { return nil }
            var title: String?, publisher: String?, url: String?
            for (key, keyNode, value) in pairs {
                switch key {
                case "title": title = reader.text(value, key: "sources.title")?.value
                case "publisher": publisher = reader.text(value, key: "sources.publisher")?.value
                case "url":
                    if let text = reader.text(value, key: "sources.url") {
                        if text.value.hasPrefix("https://") || text.value.hasPrefix("http://") {
                            url = text.value
                        } else {
                            reader.error("url-invalid", value, "a source's url must start with https:// or http://")
                        }
                    }
                default: reader.unknownKey(key, keyNode, allowed: ["title", "publisher", "url"], elsewhere: [:])
                }
            }
            for required in ["title", "publisher"] where !pairs.contains(where: { $0.key == required }) {
                reader.error("key-missing", item, "a source needs a '\(required)'")
            }
            guard let title, let publisher else { return nil }
            return SourceReference(title: title, publisher: publisher, url: url)
        }
    }
}
