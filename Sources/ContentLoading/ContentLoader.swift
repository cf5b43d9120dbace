import ContentModel
import Diagnostics
import Foundation

/// Everything found in a content folder, read into memory, nothing parsed yet.
public struct LoadedContent: Sendable {
    public var siteFile: SourceFile?
    public var searchTestsFile: SourceFile?
    public var pages: [PageSource]
    /// Pages found but unreadable (binary, not UTF-8): already reported, and still
    /// known, so links to them are not reported again as missing.
    public var unreadablePages: [PageDirectory.Entry]
    public var assets: [AssetFile]
    public var diagnostics: [Diagnostic]
    /// When the walk began (nanoseconds since 1970): a file stamped later than this, less
    /// the coarsest clock a file system keeps, may change again without its stamp changing.
    public var loadedAt: Int64 = 0
    /// The folder's real path, and whether any file was reached through a symbolic link
    /// (a change to a link's target is reported under the target's path).
    var root = ""
    var hasLinks = false

    /// Files read this time, by path in the content folder.
    var filesByPath: [String: SourceFile] {
        var files: [String: SourceFile] = [:]
        for file in pages.map(\.file) + [siteFile, searchTestsFile].compactMap({ $0 }) { files[file.relativePath] = file }
        return files
    }
}

/// Walks `Content/` by the folder rules of the content model: the folder gives a
/// page's type, the file name its id. Never follows a link out of the folder.
public enum ContentLoader {
    public static let siteFileName = "site.yml"
    public static let searchTestsFileName = "search-tests.yml"
    public static let mediaFolder = "media"

    /// Two seconds: FAT keeps modification times to two seconds, ext4 to a clock tick.
    static let stampResolution: Int64 = 2_000_000_000

    /// - Parameters:
    ///   - contentDirectory: the folder as the user named it; diagnostics show paths under that name.
    ///   - previous: an earlier load of the same folder; a file whose stamp is the same
    ///     and was already old then is not read again (the text is shared, so later
    ///     stages comparing it find it equal at once).
    ///   - changed: the files (relative paths) changed since `previous`, when a watcher
    ///     knows; the others are not even stat'ed. Nil: every file is.
    public static func load(contentDirectory: String, reusing previous: LoadedContent? = nil,
                            changedSince changed: Set<String>? = nil) -> LoadedContent {
        if let previous, let changed, let updated = updating(previous, changed: changed) { return updated }
        var result = LoadedContent(siteFile: nil, searchTestsFile: nil, pages: [], unreadablePages: [], assets: [], diagnostics: [])
        result.loadedAt = now()
        let known = previous.map(\.filesByPath) ?? [:]
        let settledBefore = (previous?.loadedAt ?? 0) - stampResolution
        // The file `previous` read, while its stamp is this one and was already old then.
        let unchanged: @Sendable (String, FileStamp?) -> SourceFile? = { relative, stamp in
            guard let stamp, let file = known[relative], file.stamp == stamp,
                  stamp.modified < settledBefore, stamp.changed < settledBefore else { return nil }
            return file
        }
        let read: @Sendable (Walker.Entry, String, inout [Diagnostic]) -> SourceFile? = { entry, display, diagnostics in
            if let file = unchanged(entry.relativePath, entry.stamp), file.displayPath == display { return file }
            return readText(entry, display: display, into: &diagnostics)
        }
        let fm = FileManager.default
        let displayRoot = contentDirectory.hasSuffix("/") ? String(contentDirectory.dropLast()) : contentDirectory
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: contentDirectory, isDirectory: &isDirectory), isDirectory.boolValue else {
            result.diagnostics.append(.error(
                "content-missing", at: SourceLocation(file: displayRoot),
                "content folder '\(displayRoot)' does not exist",
                hint: "run Patella from the site's folder, or pass --content DIR"
            ))
            return result
        }
        let root = URL(fileURLWithPath: contentDirectory).standardizedFileURL.resolvingSymlinksInPath().path
        result.root = root
        var walker = Walker(root: root, displayRoot: displayRoot)
        if let changed {
            walker.knownStamp = { relative in
                changed.contains(relative) ? nil : unchanged(relative, known[relative]?.stamp)?.stamp
            }
        }
        var firstSeen: [PageID: String] = [:]
        var found: [(id: PageID, type: PageType, entry: Walker.Entry, display: String)] = []

        for entry in walker.walk(&result.diagnostics) {
            if entry.absolutePath != root + "/" + entry.relativePath { result.hasLinks = true }
            let parts = entry.relativePath.split(separator: "/").map(String.init)
            let display = displayRoot + "/" + entry.relativePath
            if parts.count == 1 {
                switch parts[0] {
                case siteFileName:
                    result.siteFile = read(entry, display, &result.diagnostics)
                case searchTestsFileName:
                    result.searchTestsFile = read(entry, display, &result.diagnostics)
                default:
                    if !parts[0].hasPrefix(".") {
                        result.diagnostics.append(.warning(
                            "file-ignored", at: SourceLocation(file: display),
                            "'\(parts[0])' is not part of the site and is ignored",
                            hint: "pages go in one of the folders " + PageType.allCases.map { "\($0.folder)/" }.joined(separator: ", ")
                        ))
                    }
                }
                continue
            }
            if parts[0] == mediaFolder {
                if entry.relativePath.lowercased().hasSuffix(".svg"), let problem = scriptInSVG(at: entry.absolutePath) {
                    result.diagnostics.append(.error(
                        "svg-script", at: SourceLocation(file: display),
                        "the SVG image contains \(problem), which would run in a reader's browser",
                        hint: "export the image again without scripts or event handlers, or use PNG"
                    ))
                    continue
                }
                result.assets.append(AssetFile(sourcePath: entry.absolutePath, outputPath: entry.relativePath))
                continue
            }
            guard let type = PageType(folder: parts[0]) else {
                result.diagnostics.append(.warning(
                    "folder-unknown", at: SourceLocation(file: display),
                    "'\(parts[0])/' is not a content folder; its files are ignored",
                    hint: Suggestion.closest(to: parts[0], in: PageType.allCases.map(\.folder) + [mediaFolder])
                        .map { "did you mean '\($0)/'?" }
                ))
                continue
            }
            guard entry.relativePath.hasSuffix(".md") else {
                result.diagnostics.append(.warning(
                    "file-ignored", at: SourceLocation(file: display),
                    "'\(entry.relativePath)' is not a Markdown page (.md) and is ignored",
                    hint: "images and downloads go in \(mediaFolder)/"
                ))
                continue
            }
            if parts.count > 2 {
                result.diagnostics.append(.error(
                    "folder-nested", at: SourceLocation(file: display),
                    "pages may not be nested in sub-folders of '\(parts[0])/'",
                    hint: "move it to \(parts[0])/\(parts.last!)"
                ))
                continue
            }
            let name = String(parts[1].dropLast(3))
            guard PageID.isValid(name) else {
                let suggestion = PageID.slug(from: name)
                result.diagnostics.append(.error(
                    "id-invalid", at: SourceLocation(file: display),
                    "file name '\(name)' is not a valid page id: use lower-case letters, digits and single hyphens",
                    hint: suggestion.isEmpty ? nil : "rename it to '\(parts[0])/\(suggestion).md'"
                ))
                continue
            }
            let id = PageID(name)
            if let first = firstSeen[id] {
                result.diagnostics.append(.error(
                    "id-duplicate", at: SourceLocation(file: display),
                    "page id '\(name)' is already used by \(first)",
                    hint: "ids are unique across the whole site: rename one of the two files"
                ))
                continue
            }
            firstSeen[id] = display
            found.append((id, type, entry, display))
        }
        // Reading thousands of small files is mostly waiting on the disk: read on all cores.
        let texts = found.map { ($0.entry, $0.display) }.concurrentMap { entry, display in
            var diagnostics: [Diagnostic] = []
            return (read(entry, display, &diagnostics), diagnostics)
        }
        for (page, (file, diagnostics)) in zip(found, texts) {
            result.diagnostics += diagnostics
            if let file {
                result.pages.append(PageSource(id: page.id, type: page.type, file: file))
            } else {
                result.unreadablePages.append(PageDirectory.Entry(id: page.id, type: page.type, title: page.id.rawValue))
            }
        }
        if result.siteFile == nil {
            result.diagnostics.append(.error(
                "site-missing", at: SourceLocation(file: displayRoot + "/" + siteFileName),
                "the content folder has no \(siteFileName)",
                hint: "create it with at least title, base_url and disclaimer"
            ))
        }
        result.pages.sort { $0.file.relativePath < $1.file.relativePath }
        result.assets.sort { $0.outputPath < $1.outputPath }
        return result
    }

    static func now() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }

    /// `previous` with the files in `changed` read again, when that is all that happened:
    /// each is a file `previous` read (a page, site.yml or search-tests.yml), still a
    /// plain file and still good text. Nil otherwise: then the folder is walked, and
    /// whatever else changed (a file added, removed, unreadable) is found and reported.
    static func updating(_ previous: LoadedContent, changed: Set<String>) -> LoadedContent? {
        guard !previous.root.isEmpty, !previous.hasLinks else { return nil }
        var next = previous
        next.loadedAt = now()
        // Pages are sorted by path: a search per changed file, not a table of 10,000 each time.
        func pageIndex(_ relative: String) -> Int? {
            var low = 0, high = previous.pages.count
            while low < high {
                let middle = (low + high) / 2
                if previous.pages[middle].file.relativePath < relative { low = middle + 1 } else { high = middle }
            }
            return low < previous.pages.count && previous.pages[low].file.relativePath == relative ? low : nil
        }
        for relative in changed {
            let path = previous.root + "/" + relative
            var status = stat()
            let present = lstat(path, &status) == 0
            // A file made and gone again between two loads (an editor's temporary copy,
            // renamed over the page it saves) changes nothing.
            if !present, pageIndex(relative) == nil, previous.siteFile?.relativePath != relative,
               previous.searchTestsFile?.relativePath != relative, !previous.assets.contains(where: { $0.outputPath == relative }) {
                continue
            }
            guard present, status.st_mode & S_IFMT == S_IFREG else { return nil }
            let entry = Walker.Entry(absolutePath: path, relativePath: relative, stamp: FileStamp(status))
            // Read again under the name it was shown with; any finding means a walk reports it.
            func reread(_ old: SourceFile) -> SourceFile? {
                var diagnostics: [Diagnostic] = []
                let file = readText(entry, display: old.displayPath, into: &diagnostics)
                return diagnostics.isEmpty ? file : nil
            }
            if let index = pageIndex(relative), let file = reread(previous.pages[index].file) {
                next.pages[index].file = file
            } else if let old = previous.siteFile, old.relativePath == relative, let file = reread(old) {
                next.siteFile = file
            } else if let old = previous.searchTestsFile, old.relativePath == relative, let file = reread(old) {
                next.searchTestsFile = file
            } else {
                return nil
            }
        }
        return next
    }

    /// Reads a text file as UTF-8 (see `text(from:display:into:)`).
    /// The page file of a load that kept only its stamp and digest (`BuildMemory`), read
    /// again: nil unless it still holds the text the digest was made of.
    public static func reread(_ source: PageSource, in loaded: LoadedContent) -> PageSource? {
        guard let data = FileManager.default.contents(atPath: loaded.root + "/" + source.file.relativePath) else { return nil }
        var diagnostics: [Diagnostic] = []
        guard let text = text(from: [UInt8](data), display: source.file.displayPath, into: &diagnostics) else { return nil }
        let file = SourceFile(displayPath: source.file.displayPath, relativePath: source.file.relativePath, text: text,
                              stamp: source.file.stamp)
        return file.digest == source.file.digest ? PageSource(id: source.id, type: source.type, file: file) : nil
    }

    static func readText(_ entry: Walker.Entry, display: String, into diagnostics: inout [Diagnostic]) -> SourceFile? {
        guard let data = FileManager.default.contents(atPath: entry.absolutePath) else {
            diagnostics.append(.error("file-unreadable", at: SourceLocation(file: display), "cannot read the file"))
            return nil
        }
        return text(from: [UInt8](data), display: display, into: &diagnostics)
            .map { SourceFile(displayPath: display, relativePath: entry.relativePath, text: $0, stamp: entry.stamp) }
    }

    /// A file's bytes as text: UTF-8, with a byte-order mark and CRLF or CR line endings
    /// (all valid input) dropped, so later positions count lines the way editors do.
    /// A NUL byte or invalid UTF-8 is an error at its line and column.
    public static func text(from data: [UInt8], display: String, into diagnostics: inout [Diagnostic]) -> String? {
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if let nul = find(0, in: bytes) {
            let line = bytes[..<nul].filter { $0 == 0x0A }.count + 1
            diagnostics.append(.error(
                "file-binary", at: SourceLocation(file: display, line: line),
                "the file contains a NUL byte: it looks like a binary file, not text"
            ))
            return nil
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let (line, column) = firstInvalidUTF8(in: Array(bytes))
            diagnostics.append(.error(
                "file-encoding", at: SourceLocation(file: display, line: line, column: column),
                "the file is not valid UTF-8 text",
                hint: "save it as UTF-8 in your editor"
            ))
            return nil
        }
        guard find(0x0D, in: bytes) != nil else { return text }
        return text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    static func find(_ byte: UInt8, in bytes: ArraySlice<UInt8>) -> Int? {
        bytes.withUnsafeBufferPointer { $0.firstIndex(of: byte, from: 0) }.map { bytes.startIndex + $0 }
    }

    /// An SVG opened on its own runs its scripts with the site's origin, so media
    /// SVGs may carry no script element, event handler, script URL or foreign HTML.
    static func scriptInSVG(at path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let text = String(decoding: data, as: UTF8.self).lowercased()
        if text.contains("<script") { return "a <script> element" }
        if text.contains("javascript:") { return "a javascript: URL" }
        if text.contains("<foreignobject") { return "a <foreignObject> (embedded HTML)" }
        // An event handler attribute: white space, "on", letters, optional spaces, "=".
        let bytes = Array(text.utf8)
        func isLetter(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A }
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x2F }
        var index = 1
        while index + 2 < bytes.count {
            if isSpace(bytes[index - 1]), bytes[index] == 0x6F, bytes[index + 1] == 0x6E, isLetter(bytes[index + 2]) {
                var cursor = index + 2
                while cursor < bytes.count, isLetter(bytes[cursor]) { cursor += 1 }
                let name = String(decoding: bytes[index..<cursor], as: UTF8.self)
                while cursor < bytes.count, bytes[cursor] == 0x20 { cursor += 1 }
                if cursor < bytes.count, bytes[cursor] == 0x3D { return "an event handler attribute (\(name))" }
            }
            index += 1
        }
        return nil
    }

    static func firstInvalidUTF8(in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1, lineStart = 0, index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let length = byte < 0x80 ? 1 : byte >> 5 == 0b110 ? 2 : byte >> 4 == 0b1110 ? 3 : byte >> 3 == 0b11110 ? 4 : 0
            let valid = length > 0 && index + length <= bytes.count
                && bytes[(index + 1)..<(index + length)].allSatisfy { $0 >> 6 == 0b10 }
                && String(validating: bytes[index..<(index + length)], as: UTF8.self) != nil
            if !valid {
                let column = String(decoding: bytes[lineStart..<index], as: UTF8.self).unicodeScalars.count + 1
                return (line, column)
            }
            if byte == 0x0A { line += 1; lineStart = index + 1 }
            index += length
        }
        return (line, 1)
    }
}
