import Diagnostics

/// Where a body link points, as the editor wrote it.
public enum LinkTarget: Sendable, Hashable {
    /// `[[id]]` or `[[id|text]]`.
    case id(PageID)
    /// `[text](../symptoms/swelling.md)`, resolved against the page's own folder to
    /// a content-relative path (`symptoms/swelling.md`).
    case file(String)
}

public struct LinkReference: Sendable, Hashable {
    public var target: LinkTarget
    /// What the editor wrote, for messages: `[[swellng]]`, `../symptoms/x.md`.
    public var written: String
    public var location: SourceLocation
    /// The page it resolved to, if any.
    public var resolved: PageID?

    public init(target: LinkTarget, written: String, location: SourceLocation, resolved: PageID?) {
        self.target = target
        self.written = written
        self.location = location
        self.resolved = resolved
    }
}

public struct Heading: Sendable, Hashable {
    public var level: Int
    public var text: String
    /// The `id` attribute: stable across builds, unique in the page.
    public var anchor: String
    public var location: SourceLocation
    /// Nothing follows it before the next heading of the same or a higher level.
    public var isEmptySection: Bool

    public init(level: Int, text: String, anchor: String, location: SourceLocation, isEmptySection: Bool = false) {
        self.level = level
        self.text = text
        self.anchor = anchor
        self.location = location
        self.isEmptySection = isEmptySection
    }
}

/// The words a reader clicks, for link-text checks ("click here" tells nobody anything).
public struct LinkText: Sendable, Hashable {
    public var text: String
    public var location: SourceLocation

    public init(text: String, location: SourceLocation) {
        self.text = text
        self.location = location
    }
}

public enum CalloutKind: String, CaseIterable, Sendable {
    case note = "NOTE", tip = "TIP", important = "IMPORTANT", warning = "WARNING", caution = "CAUTION"

    public var label: String {
        switch self {
        case .note: "Note"
        case .tip: "Tip"
        case .important: "Important"
        case .warning: "When to get help"
        case .caution: "Caution"
        }
    }
}

public struct Callout: Sendable, Hashable {
    public var kind: CalloutKind
    /// Plain text of the callout's body.
    public var text: String

    public init(kind: CalloutKind, text: String) {
        self.kind = kind
        self.text = text
    }
}

public struct ImageReference: Sendable, Hashable {
    public var source: String
    public var alt: String
    public var location: SourceLocation

    public init(source: String, alt: String, location: SourceLocation) {
        self.source = source
        self.alt = alt
        self.location = location
    }
}

/// A page's Markdown body after parsing: HTML with internal links already
/// rewritten, plus what later stages need to know about it.
public struct ParsedBody: Sendable {
    public let html: String
    /// Of `html`, made once: a page's output is fingerprinted by it, not by the HTML.
    public let htmlDigest: Fingerprint
    public var headings: [Heading]
    public var links: [LinkReference]
    public var linkTexts: [LinkText]
    public var images: [ImageReference]
    public var callouts: [Callout]
    /// Prose only (paragraphs, list items, headings, table cells): no code.
    public var plainText: String
    public var diagnostics: [Diagnostic]
    /// False for a page restored from a `BuildMemory`, which keeps of a body only what
    /// other pages need (its links, callouts and the HTML's digest): such a page is
    /// parsed again before it is rendered or indexed.
    public let isWhole: Bool

    public init(
        html: String, headings: [Heading], links: [LinkReference], linkTexts: [LinkText], images: [ImageReference],
        callouts: [Callout], plainText: String, diagnostics: [Diagnostic]
    ) {
        self.html = html
        var digest = Fingerprint()
        digest.combine(html)
        htmlDigest = digest
        self.headings = headings
        self.links = links
        self.linkTexts = linkTexts
        self.images = images
        self.callouts = callouts
        self.plainText = plainText
        self.diagnostics = diagnostics
        isWhole = true
    }

    public init(summaryOf htmlDigest: Fingerprint, links: [LinkReference], callouts: [Callout]) {
        (html, self.htmlDigest, headings, self.links, linkTexts, images) = ("", htmlDigest, [], links, [], [])
        (self.callouts, plainText, diagnostics, isWhole) = (callouts, "", [], false)
    }
}

/// One page, fully parsed: what the graph is built from.
///
/// A value, kept in one shared box: a copy is one reference count, not one per string
/// and array inside (copies of pages were a fifth of a serve rebuild's CPU at 10,000
/// pages). Setting a field makes a new box, so copies never see each other's changes.
public struct Page: Sendable {
    @usableFromInline
    struct Fields: Sendable {
        @usableFromInline var id: PageID
        @usableFromInline var type: PageType
        @usableFromInline var file: SourceFile
        @usableFromInline var metadata: PageMetadata
        @usableFromInline var body: ParsedBody
    }

    @usableFromInline
    final class Storage: Sendable {
        @usableFromInline let fields: Fields
        /// `<folder>/<id>/`, made once: a page's path is asked for wherever it is linked.
        @usableFromInline let path: String

        @usableFromInline init(_ fields: Fields) {
            self.fields = fields
            path = PageDirectory.path(of: fields.id, type: fields.type)
        }
    }

    @usableFromInline var storage: Storage

    public init(id: PageID, type: PageType, file: SourceFile, metadata: PageMetadata, body: ParsedBody) {
        storage = Storage(Fields(id: id, type: type, file: file, metadata: metadata, body: body))
    }

    /// A new box with one field changed; the old box is left as it was for other copies.
    @inlinable mutating func change(_ edit: (inout Fields) -> Void) {
        var fields = storage.fields
        edit(&fields)
        storage = Storage(fields)
    }

    @inlinable public var id: PageID {
        get { storage.fields.id }
        set { change { $0.id = newValue } }
    }

    @inlinable public var type: PageType {
        get { storage.fields.type }
        set { change { $0.type = newValue } }
    }

    @inlinable public var file: SourceFile {
        get { storage.fields.file }
        set { change { $0.file = newValue } }
    }

    @inlinable public var metadata: PageMetadata {
        get { storage.fields.metadata }
        set { change { $0.metadata = newValue } }
    }

    @inlinable public var body: ParsedBody {
        get { storage.fields.body }
        set { change { $0.body = newValue } }
    }

    @inlinable public var title: String { storage.fields.metadata.title.value }
    public var path: String { storage.path }
}
