import ContentModel

/// A load kept by `BuildMemory`: the next process stats every file and reads again
/// only those whose stamps changed, as `serve` does with the load it keeps. Pages are
/// kept without their texts (see `SourceFile.encodeStamp`): a load that reused them
/// serves to find what changed, never to check pages that did not.
extension LoadedContent: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) {
        writer.write(siteFile)
        writer.write(searchTestsFile)
        writer.write(pages.count)
        for page in pages { page.encodeStamp(to: &writer) }
        writer.write(unreadablePages)
        writer.write(assets)
        writer.write(diagnostics)
        writer.write(loadedAt)
        writer.write(root)
        writer.write(hasLinks)
    }

    public init(from reader: inout BinaryReader) throws {
        let siteFile: SourceFile? = try reader.read(), searchTestsFile: SourceFile? = try reader.read()
        var pages: [PageSource] = []
        for _ in 0..<(try reader.readCount()) { pages.append(try PageSource(stampFrom: &reader)) }
        self.init(siteFile: siteFile, searchTestsFile: searchTestsFile, pages: pages,
                  unreadablePages: try reader.read(), assets: try reader.read(), diagnostics: try reader.read())
        loadedAt = try reader.read()
        root = try reader.read()
        hasLinks = try reader.read()
    }
}

extension LoadedContent {
    /// Content files (relative paths) whose text differs from `previous`'s, or that only one of the two has.
    public func changedFiles(since previous: LoadedContent) -> Set<String> {
        let now = filesByPath, before = previous.filesByPath
        var changed = Set<String>()
        for (path, file) in now where before[path]?.digest != file.digest { changed.insert(path) }
        for path in before.keys where now[path] == nil { changed.insert(path) }
        return changed
    }
}
