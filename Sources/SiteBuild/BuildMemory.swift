import ContentGraph
import ContentLoading
import ContentModel
import Diagnostics
import Foundation
import FrontMatter
import Markdown
import Rendering
import SearchIndex
import SiteWriting

/// What a `patella build` process leaves for the next one, so that after a one-page
/// edit the next process redoes what `serve` would: the last check (every page decoded,
/// parsed and linted, with its findings), the render keys of the published site and the
/// search index. Kept in the cache folder (`.patella-cache/<output>/memory`), written
/// beside and renamed into place, so it is whole or absent.
///
/// It describes the site published when it was saved: it names the stamp of that
/// copy's record, and the check of a later build is taken from it only while the
/// published record is still that one (another build, or a removed cache, changes it).
/// Its load and search index are caches of inputs and stay useful either way. Another
/// Patella binary, other folders or options, or any damage: not used, and the build
/// checks everything (as without it).
struct BuildMemory {
    var checked: CheckedSite
    var renderer: SiteRenderer
    var searchIndex: SearchIndexState
    /// The stamp of the published copy's record this memory describes.
    var publishedRecord: [Int64]

    /// 2: the published record last, so all else can be written before the swap.
    static let format = 2
    private static let tag = "patella-build-memory"

    static func path(for options: BuildOptions) -> String {
        StagedOutput.cacheDirectory(forOutput: options.outputDirectory) + "/memory"
    }

    /// What the memory must have been made with to be used: the binary, the folders as
    /// named (diagnostics show paths under the name given) and the options.
    private static func header(_ options: BuildOptions) -> BinaryWriter {
        var writer = BinaryWriter()
        writer.write(tag)
        writer.write(format)
        writer.write(StagedOutput.producer)
        writer.write(options.contentDirectory)
        writer.write(options.themeDirectory)
        writer.write(options.includeDrafts)
        return writer
    }

    /// The three parts of a memory, encoded and fingerprinted: made while the build
    /// still writes its pages, since only the published record is known after the swap.
    struct Parts: @unchecked Sendable {
        fileprivate let parts: [(bytes: [UInt8], fingerprint: Fingerprint)]

        /// Nil when the check's pages and findings do not line up (nothing is kept then).
        init?(checked: CheckedSite, renderer: SiteRenderer, searchIndex: SearchIndexState) {
            // The pages in the order of their findings (the order they were checked in).
            var places = [Page?](repeating: nil, count: checked.pageDiagnostics.count)
            for page in checked.graph.allPages {
                if let position = checked.positions[page.file.relativePath], places.indices.contains(position) { places[position] = page }
            }
            let pages = places.compactMap { $0 }
            guard pages.count == places.count, pages.count == checked.graph.allPages.count else { return nil }
            // Each written (and fingerprinted) on its own core and read back on its own core.
            let parts = Locked([(bytes: [UInt8], fingerprint: Fingerprint)](repeating: ([], Fingerprint()), count: 3))
            DispatchQueue.concurrentPerform(iterations: 3) { part in
                var writer: BinaryWriter
                switch part {
                case 0:
                    writer = BinaryWriter(reservingCapacity: 1 << 20)
                    BuildMemory.encodeSite(checked: checked, renderer: renderer, to: &writer)
                case 1:
                    writer = BinaryWriter(reservingCapacity: pages.count * 1_500)
                    writer.write(pages.count)
                    for page in pages { page.encodeSummary(to: &writer) }
                default:
                    writer = BinaryWriter(reservingCapacity: 1 << 20)
                    searchIndex.encode(to: &writer)
                }
                let bytes = writer.bytes, fingerprint = Fingerprint.of(bytes)
                parts.withLock { $0[part] = (bytes, fingerprint) }
            }
            self.parts = parts.withLock { $0 }
        }

        /// Saves them as the memory of the build that just published `publishedRecord`;
        /// a failure to save only costs the next build its head start (an older memory
        /// left in place no longer names the published record, so only its caches of
        /// inputs are used).
        func save(_ options: BuildOptions, publishedRecord: [Int64]) {
            stage(options)?.publish(publishedRecord: publishedRecord)
        }

        /// Writes them beside the memory, all but the published record, which only the
        /// swap makes: the tens of megabytes are written while the pages still are.
        func stage(_ options: BuildOptions) -> StagedMemory? {
            // As `BinaryWriter.write(bytes:)` lays out each part, without copying it into one array.
            var file: [[UInt8]] = []
            var head = BuildMemory.header(options)
            for part in parts {
                head.write(part.bytes.count)
                var tail = BinaryWriter()
                tail.write(part.fingerprint)
                file += [head.bytes, part.bytes]
                head = tail
            }
            file.append(head.bytes)
            let staged = StagedMemory(path: BuildMemory.path(for: options))
            guard StagedOutput.create(staged.temporary, withParts: file) else {
                staged.discard()
                return nil
            }
            return staged
        }
    }

    /// A memory written but for its last field, the published record, under a
    /// temporary name: whole or absent under its own name.
    struct StagedMemory: Sendable {
        let path: String
        var temporary: String { path + ".partial" }

        /// Ends it with the record of the site just published and moves it into place.
        func publish(publishedRecord: [Int64]) {
            var record = BinaryWriter()
            record.write(publishedRecord.map(Int.init))
            if let file = FileHandle(forWritingAtPath: temporary),
               (try? file.seekToEnd()) != nil, (try? file.write(contentsOf: record.bytes)) != nil, (try? file.close()) != nil,
               rename(temporary, path) == 0 { return }
            discard()
        }

        func discard() { unlink(temporary) }
    }

    /// Forgets the memory: it no longer describes the published site.
    static func remove(_ options: BuildOptions) { unlink(path(for: options)) }

    fileprivate static func encodeSite(checked: CheckedSite, renderer: SiteRenderer, to writer: inout BinaryWriter) {
        writer.write(checked.loaded)
        writer.write(checked.today)
        writer.write(checked.pageDiagnostics.count)
        for diagnostics in checked.pageDiagnostics { writer.write(diagnostics) }
        writer.write(checked.otherDiagnostics)
        writer.write(checked.linkContext.directory.entries.values.sorted { $0.id < $1.id })
        writer.write(checked.directoryFingerprint)
        writer.write(checked.lintInputs)
        for types in [checked.drafts, checked.undecoded] {
            writer.write(types.count)
            for (id, type) in types.sorted(by: { $0.key < $1.key }) {
                writer.write(id)
                writer.write(type)
            }
        }
        writer.write(checked.searchDiagnostics)
        renderer.encodeKeys(to: &writer)
    }

    /// The memory kept for these options, or nil if there is none that may be used.
    /// `theme` is the theme the renderer will use (the keys say which theme the
    /// published pages were made with, so a changed theme is still seen).
    static func restore(_ options: BuildOptions, theme: Theme) -> BuildMemory? {
        guard let data = FileManager.default.contents(atPath: path(for: options)) else { return nil }
        let expected = header(options).bytes
        return data.withUnsafeBytes { raw -> BuildMemory? in
            guard raw.count > expected.count, raw.prefix(expected.count).elementsEqual(expected) else { return nil }
            var reader = BinaryReader(UnsafeRawBufferPointer(rebasing: raw[expected.count...]))
            do {
                // Read in place, each part checked against its fingerprint first: a damaged
                // byte inside a text would still decode, to a page that is not the one published.
                nonisolated(unsafe) var parts: [UnsafeRawBufferPointer] = []
                var fingerprints: [Fingerprint] = []
                for _ in 0..<3 {
                    parts.append(try reader.readSlice())
                    fingerprints.append(try reader.read())
                }
                let recorded: [Int] = try reader.read()
                guard reader.isAtEnd else { return nil }
                let expected = fingerprints, record = recorded.map(Int64.init)
                // The pages, the rest of the check and the graph made from them on one core;
                // the search index on the other.
                let site = Locked<(CheckedSite, SiteRenderer)?>(nil), search = Locked<SearchIndexState?>(nil)
                DispatchQueue.concurrentPerform(iterations: 2) { worker in
                    if worker == 0 {
                        guard Fingerprint.of(parts[1]) == expected[1], Fingerprint.of(parts[0]) == expected[0] else { return }
                        var reader = BinaryReader(parts[1])
                        guard let pages = try? (0..<reader.readCount()).map({ _ in try Page(summaryFrom: &reader) }),
                              reader.isAtEnd else { return }
                        var siteReader = BinaryReader(parts[0])
                        let decoded = try? decodeSite(from: &siteReader, pages: pages, options: options, theme: theme)
                        site.withLock { $0 = siteReader.isAtEnd ? decoded ?? nil : nil }
                    } else {
                        guard Fingerprint.of(parts[2]) == expected[2] else { return }
                        var reader = BinaryReader(parts[2])
                        let decoded = try? SearchIndexState.decoded(from: &reader)
                        search.withLock { $0 = reader.isAtEnd ? decoded : nil }
                    }
                }
                guard let (checked, renderer) = site.withLock({ $0 }), let searchIndex = search.withLock({ $0 }) else { return nil }
                return BuildMemory(checked: checked, renderer: renderer, searchIndex: searchIndex, publishedRecord: record)
            } catch {
                return nil
            }
        }
    }

    private static func decodeSite(from reader: inout BinaryReader, pages: [Page], options: BuildOptions,
                                   theme: Theme) throws -> (CheckedSite, SiteRenderer)? {
        let loaded: LoadedContent = try reader.read()
        let today: CalendarDate = try reader.read()
        let count = try reader.readCount()
        guard count == pages.count else { return nil }
        var pageDiagnostics: [[Diagnostic]] = []
        pageDiagnostics.reserveCapacity(count)
        for _ in 0..<count { pageDiagnostics.append(try reader.read()) }
        let otherDiagnostics: [Diagnostic] = try reader.read()
        let directory = PageDirectory(try reader.read())
        let directoryFingerprint: String = try reader.read(), lintInputs: String = try reader.read()
        var types: [[PageID: PageType]] = []
        for _ in 0..<2 {
            var map: [PageID: PageType] = [:]
            for _ in 0..<(try reader.readCount()) { map[try reader.read() as PageID] = try reader.read() as PageType }
            types.append(map)
        }
        let searchDiagnostics: [Diagnostic] = try reader.read()
        // The graph and its findings are made again from the pages (a tenth of what
        // storing them would cost to read), as the check that was kept made them.
        guard let siteFile = loaded.siteFile, let settings = SiteSettingsDecoder.decode(siteFile).0 else { return nil }
        let (graph, graphDiagnostics) = GraphBuilder.build(settings: settings, pages: pages, drafts: types[0], undecoded: types[1])
        let renderer = try SiteRenderer(theme: theme, graph: graph, disclaimerHTML: MarkdownSnippet.html(settings.disclaimer),
                                        today: today, keysFrom: &reader)
        let checked = CheckedSite(
            loaded: loaded, today: today, includeDrafts: options.includeDrafts,
            sources: Dictionary(loaded.pages.enumerated().map { ($1.file.relativePath, $0) }) { first, _ in first },
            positions: Dictionary(pages.enumerated().map { ($1.file.relativePath, $0) }) { first, _ in first },
            pageDiagnostics: pageDiagnostics, otherDiagnostics: otherDiagnostics,
            linkContext: LinkContext(directory: directory, assets: Set(loaded.assets.map(\.outputPath))),
            directoryFingerprint: directoryFingerprint, lintInputs: lintInputs, drafts: types[0], undecoded: types[1],
            graph: graph, graphDiagnostics: graphDiagnostics, searchDiagnostics: searchDiagnostics
        )
        return (checked, renderer)
    }
}
