import Diagnostics

/// A content file as loaded from disk, before anything is parsed.
public struct SourceFile: Sendable {
    /// Path shown to the user in diagnostics (as given on the command line + relative path).
    public var displayPath: String
    /// Path inside the content folder with `/` separators: `conditions/x.md`.
    public var relativePath: String
    public let text: String
    /// Of `text`, made once: what later stages fingerprint the file by.
    public let digest: Fingerprint
    /// The file's identity and change times when it was read, if it was read from disk:
    /// the next load of a `serve` or a cached build reuses the text while it is equal.
    public var stamp: FileStamp?

    public init(displayPath: String, relativePath: String, text: String, stamp: FileStamp? = nil) {
        self.displayPath = displayPath
        self.relativePath = relativePath
        self.text = text
        var digest = Fingerprint()
        digest.combine(text)
        self.digest = digest
        self.stamp = stamp
    }

    public func location(line: Int? = nil, column: Int? = nil) -> SourceLocation {
        SourceLocation(file: displayPath, line: line, column: column)
    }
}

/// What `stat` says of a file, enough to tell that it has not changed since: a write
/// changes its size or its change time, a replacement its inode.
public struct FileStamp: Sendable, Hashable {
    public var device: UInt64
    public var inode: UInt64
    public var size: Int64
    /// Nanoseconds since 1970.
    public var modified: Int64
    public var changed: Int64

    public init(device: UInt64, inode: UInt64, size: Int64, modified: Int64, changed: Int64) {
        (self.device, self.inode, self.size, self.modified, self.changed) = (device, inode, size, modified, changed)
    }
}

/// A page file found by the loader: its id and type come from its path.
public struct PageSource: Sendable {
    public var id: PageID
    public var type: PageType
    public var file: SourceFile

    public init(id: PageID, type: PageType, file: SourceFile) {
        self.id = id
        self.type = type
        self.file = file
    }
}

/// A non-page file to copy into the site as it is (`media/...`).
public struct AssetFile: Sendable, Hashable {
    /// Absolute path on disk.
    public var sourcePath: String
    /// Path inside the output folder: `media/knee.png`.
    public var outputPath: String

    public init(sourcePath: String, outputPath: String) {
        self.sourcePath = sourcePath
        self.outputPath = outputPath
    }
}

/// Front-matter split from the Markdown body, with the line the body starts on
/// so Markdown positions can be mapped back to the file.
public struct SplitPage: Sendable {
    public var frontMatter: String
    /// 1-based line of the front-matter's first line in the file.
    public var frontMatterLine: Int
    public var body: String
    /// 1-based line in the file where `body`'s first line is.
    public var bodyLine: Int

    public init(frontMatter: String, frontMatterLine: Int, body: String, bodyLine: Int) {
        self.frontMatter = frontMatter
        self.frontMatterLine = frontMatterLine
        self.body = body
        self.bodyLine = bodyLine
    }
}

/// One file of the built site, as bytes to write at a path below the output folder.
public struct OutputFile: Sendable {
    public var path: String
    public var contents: [UInt8]

    public init(path: String, contents: [UInt8]) {
        self.path = path
        self.contents = contents
    }

    public init(path: String, text: String) {
        self.init(path: path, contents: Array(text.utf8))
    }
}
