import CPlatform
import ContentModel
import Diagnostics
import Foundation

/// Writes a build into a spare copy of the site and swaps it in only when everything
/// succeeded, so readers and editors never see a half-built site: a failed or killed
/// build leaves the previous output as it was.
///
/// The spare copy is the site of the build before last, kept in Patella's cache folder
/// beside the output folder (`.patella-cache/<output name>/site`). Bringing it up to
/// date rewrites only the files whose bytes changed and deletes only the files that
/// are gone, so folders are neither made nor removed on every build; on these disks
/// (ext4 mounted with `discard`) removing 10,000 folders alone took 20 s and more.
public final class StagedOutput: OutputSink {
    public let outputDirectory: String
    /// The spare site being brought up to date.
    public let stagingDirectory: String
    private let cacheDirectory: String
    private let lock: FileLock
    /// What this build did so far, under one lock: builds write from several tasks,
    /// and one lock taken per page (not five) halved the time a rebuild spent waiting.
    private struct Progress {
        var written: Set<String> = []
        /// Files written outside any key (assets, the marker).
        var others: [String] = []
        /// Folders in which this build added or removed an entry: their modification time changed.
        var touched: Set<String> = []
        var unchanged = 0
        var changed = 0
        /// What the spare holds now, recorded as files are kept or written.
        var next = SiteState()
    }
    private let progress = Locked(Progress())
    /// What the spare held when this build began, by key, if that is known for sure.
    private let previous: SiteState
    /// What the published site holds: after an edit, the spare is one build behind it,
    /// and a file the last build already made is copied from there, not made again.
    private let published: SiteState
    /// The Patella binary running: what it keeps for later builds is only for itself.
    public static var producer: String { SiteState.currentProducer }
    /// Written into every output folder, so Patella only ever replaces a folder it made.
    public static let markerName = ".patella-output"
    static let markerText = "Built by Patella. This folder is replaced on every build.\n"
    /// Files a user may keep in an output folder Patella has not written yet.
    static let tolerated: Set<String> = [".gitkeep", markerName]

    /// The stamp the published copy's record had when this build took the output's lock:
    /// which build's site is published, for a build continuing from another process's.
    public let publishedRecord: [Int64]?

    /// The spare was made for this build (a first build, or a spare that was not Patella's).
    private let startsEmpty: Bool

    private init(outputDirectory: String, stagingDirectory: String, cacheDirectory: String, lock: FileLock,
                 previous: SiteState, published: SiteState, startsEmpty: Bool) {
        publishedRecord = Self.publishedRecord(ofOutput: outputDirectory)
        self.startsEmpty = startsEmpty
        self.outputDirectory = outputDirectory
        self.stagingDirectory = stagingDirectory
        self.cacheDirectory = cacheDirectory
        self.lock = lock
        self.previous = previous
        self.published = published
    }

    /// The folder of Patella's own state for an output folder: the spare site, the lock.
    public static func cacheDirectory(forOutput outputDirectory: String) -> String {
        let output = URL(fileURLWithPath: outputDirectory).standardizedFileURL
        return output.deletingLastPathComponent().path + "/.patella-cache/" + output.lastPathComponent
    }

    /// The stamp of the published copy's record (inode, size, change times): a save,
    /// a swap or a removal changes it.
    public static func publishedRecord(ofOutput outputDirectory: String) -> [Int64]? {
        let output = URL(fileURLWithPath: outputDirectory).standardizedFileURL.path
        return SiteState.recordPath(for: output, in: cacheDirectory(forOutput: output)).flatMap(SiteState.recordStamp)
    }

    /// Checks that the output folder is Patella's to replace, takes the output's lock
    /// (a second build of the same output waits for the first), and readies the spare.
    public static func prepare(outputDirectory: String, protecting sources: [String]) -> Result<StagedOutput, Diagnostic> {
        let fm = FileManager.default
        let output = URL(fileURLWithPath: outputDirectory).standardizedFileURL
        let location = SourceLocation(file: outputDirectory)
        for source in sources {
            let protected = URL(fileURLWithPath: source).standardizedFileURL.resolvingSymlinksInPath().path
            let target = output.resolvingSymlinksInPath().path
            if target == protected || protected.hasPrefix(target + "/") || target.hasPrefix(protected + "/") || target == "/" {
                return .failure(.error("output-unsafe", at: location,
                                       "output folder '\(outputDirectory)' overlaps '\(source)'; Patella will not replace it",
                                       hint: "choose a separate folder such as Output/"))
            }
        }
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: output.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                return .failure(.error("output-unsafe", at: location, "'\(outputDirectory)' exists and is not a folder"))
            }
            let names = Set((try? fm.contentsOfDirectory(atPath: output.path)) ?? [])
            if !names.contains(markerName), !names.isSubset(of: tolerated) {
                return .failure(.error("output-unsafe", at: location,
                                       "'\(outputDirectory)' holds files Patella did not write; it will not replace them",
                                       hint: "choose an empty or new output folder"))
            }
        }
        let cache = cacheDirectory(forOutput: output.path)
        let spare = cache + "/site"
        let lock: FileLock
        var startsEmpty = false
        do {
            try fm.createDirectory(atPath: cache, withIntermediateDirectories: true)
            lock = try FileLock(path: cache + "/lock")
            // Only a spare of Patella's own is updated in place; anything else there is cleared.
            if fm.fileExists(atPath: spare), !fm.fileExists(atPath: spare + "/" + markerName) {
                _ = patella_remove_tree(spare)
            }
            startsEmpty = mkdir(spare, 0o755) == 0
            if !startsEmpty { try fm.createDirectory(atPath: spare, withIntermediateDirectories: true) }
        } catch {
            return .failure(.error("output-write", at: location,
                                   "cannot prepare Patella's cache folder '\(cache)': \(error.localizedDescription)"))
        }
        // The spare's record is read and then removed before anything in it changes, so
        // a build killed from here on leaves no record, and the next one trusts nothing.
        let previous = SiteState.read(for: spare, in: cache, removing: true)
        let published = SiteState.read(for: output.path, in: cache, removing: false)
        let staged = StagedOutput(outputDirectory: output.path, stagingDirectory: spare, cacheDirectory: cache,
                                  lock: lock, previous: previous, published: published, startsEmpty: startsEmpty)
        for kept in tolerated where kept != markerName {
            if let data = fm.contents(atPath: output.path + "/" + kept) {
                _ = staged.write(OutputFile(path: kept, contents: Array(data)))
            }
        }
        return .success(staged)
    }

    /// Writes one file; safe to call from several tasks at once for different paths.
    /// A file whose bytes are already there is left alone, so unchanged files keep
    /// their modification time (deploy tools such as rsync then skip them). No fsync
    /// per file: a killed build never swaps, and the swap is what publishes a site.
    public func write(_ file: OutputFile) -> Diagnostic? {
        progress.withLock { $0.others.append(file.path) }
        return store(file)
    }

    private func store(_ file: OutputFile) -> Diagnostic? { storeStamped(file).error }

    /// `store`, and the stamp of the file stored: of the open file when it was written
    /// (a path look-up less per file).
    private func storeStamped(_ file: OutputFile) -> (error: Diagnostic?, stamp: SiteState.Stamp?) {
        let path = stagingDirectory + "/" + file.path
        // A spare that began empty has nothing to compare with (a cold build: 20,000 opens less).
        let comparison = startsEmpty ? .missing : Self.compare(file.contents, atPath: path)
        let folderIsNew = progress.withLock { progress in
            progress.written.insert(file.path)
            switch comparison {
            case .same:
                progress.unchanged += 1
            case .missing:
                // A new entry, perhaps in new folders: each folder on its path may have changed.
                var folder = Substring(file.path)
                var parentIsNew: Bool?
                while let slash = folder.lastIndex(of: "/") {
                    folder = folder[..<slash]
                    let inserted = progress.touched.insert(String(folder)).inserted
                    if parentIsNew == nil { parentIsNew = inserted }
                }
                progress.touched.insert("")
                // In a spare made for this build, a folder no file went into before is not there yet.
                return startsEmpty && parentIsNew == true
            case .different:
                break
            }
            return false
        }
        if comparison == .same { return (nil, SiteState.Stamp(path: file.path, under: stagingDirectory)) }
        var status = stat()
        let done = Self.withParents(of: file.path, under: stagingDirectory, folderIsNew: folderIsNew) {
            Self.create(path, withParts: [file.contents], status: &status)
        }
        guard done else {
            let reason = String(cString: strerror(errno))
            return (.error("output-write", at: SourceLocation(file: file.path), "cannot write \(file.path): \(reason)"), nil)
        }
        progress.withLock { $0.changed += 1 }
        return (nil, SiteState.Stamp(path: file.path, status: status))
    }

    public func write(key: String, fingerprint: String, files: () -> [OutputFile]) -> [Diagnostic] {
        if let kept = previous.groups[key], kept.fingerprint == fingerprint, kept.files.allSatisfy({ $0.matches(under: stagingDirectory) }) {
            progress.withLock { progress in
                for file in kept.files { progress.written.insert(file.path) }
                progress.unchanged += kept.files.count
                progress.next.groups[key] = kept
            }
            return []
        }
        let made: [OutputFile]
        if let current = published.groups[key], current.fingerprint == fingerprint,
           let copies = Self.copies(of: current.files, under: outputDirectory) {
            made = copies
        } else {
            made = files()
        }
        var stamps: [SiteState.Stamp] = []
        var errors: [Diagnostic] = []
        for file in made {
            let (error, stamp) = storeStamped(file)
            if let error { errors.append(error) } else if let stamp { stamps.append(stamp) }
        }
        if errors.isEmpty { progress.withLock { $0.next.groups[key] = .init(fingerprint: fingerprint, files: stamps) } }
        return errors
    }

    /// The stamped files of the published site, if every one is still as it was left.
    static func copies(of stamps: [SiteState.Stamp], under root: String) -> [OutputFile]? {
        var files: [OutputFile] = []
        for stamp in stamps {
            guard stamp.matches(under: root), let data = FileManager.default.contents(atPath: root + "/" + stamp.path) else { return nil }
            files.append(OutputFile(path: stamp.path, contents: Array(data)))
        }
        return files
    }

    /// Files that already held the right bytes, or the output of an equal input, and
    /// were not rewritten.
    public var unchangedFiles: Int { progress.withLock { $0.unchanged } }
    /// Files whose bytes were written.
    public var writtenFiles: Int { progress.withLock { $0.changed } }

    /// Copies an asset; the loader has already refused links that leave its folder.
    public func copy(_ asset: AssetFile) -> Diagnostic? {
        guard let data = FileManager.default.contents(atPath: asset.sourcePath) else {
            return .error("asset-unreadable", at: SourceLocation(file: asset.sourcePath), "cannot read the file to copy it")
        }
        return write(OutputFile(path: asset.outputPath, contents: Array(data)))
    }

    /// Deletes what this build did not write, then swaps the site in. The exchange is
    /// one atomic rename, so at every instant the output path holds either the old
    /// site or the new one; afterwards the old site is the spare for the next build.
    public func commit() -> Diagnostic? {
        if let error = write(OutputFile(path: Self.markerName, text: Self.markerText)) { return error }
        let folders = removeFilesNotWritten()
        if published.isRecorded {
            progress.withLock { $0.next.changes = (published.generation, SiteState.differences($0.next.groups, published.groups)) }
        }
        return swapIn(folders: folders)
    }

    /// Ends a build that wrote only what changed since the published site (`serve`, told
    /// which pages changed): every group it did not write is the published site's. The
    /// spare's copy of such a group is trusted without a stat per file when the spare's
    /// record has it from the same input (at 10,000 pages those stats were a tenth of a
    /// rebuild; while `serve` runs, the output folders are its own); a group the last
    /// build changed is copied from the published site. Nothing is swapped, and false is
    /// returned, when either copy has no whole record or a published file is not as
    /// recorded, or the published copy is not one this process saved (another build
    /// published it, perhaps from other options): the caller then writes every group
    /// and calls `commit()`.
    ///
    /// - Parameter continuing: the caller checked that the published copy is the one a
    ///   build of another process left (its record's stamp is the one that build saw), so
    ///   it is trusted though this process did not save it. A spare whose record was read
    ///   from disk is then stat'ed: its files may have been edited by hand in the output
    ///   folder before a swap made them the spare's.
    /// - Parameter removing: keys whose files are gone from the site this build made
    ///   (search index files a merge left out); the spare drops them too.
    public func commitChanges(continuing: Bool = false, removing: Set<String> = []) -> (committed: Bool, error: Diagnostic?) {
        guard previous.isRecorded, published.isRecorded, published.generation != 0 || continuing else { return (false, nil) }
        if let error = write(OutputFile(path: Self.markerName, text: Self.markerText)) { return (true, error) }
        var groups = previous.groups
        let done = progress.withLock { $0.next.groups }
        // Where the spare differs from the published copy: known from the save that made
        // the published copy when the spare is the copy it was compared with, else found.
        var stale: Set<String>
        if let changes = published.changes, previous.generation != 0, changes.base == previous.generation {
            stale = changes.keys
        } else {
            stale = SiteState.differences(published.groups, previous.groups)
        }
        var changedFolders = Set<String>()
        if previous.generation == 0 {
            stale.formUnion(previous.keysNotAsRecorded(under: stagingDirectory, skipping: stale.union(done.keys)))
            changedFolders = previous.foldersChanged(under: stagingDirectory)
        }
        var gone: [String] = []
        for key in removing where done[key] == nil {
            gone += groups.removeValue(forKey: key)?.files.map(\.path) ?? []
        }
        for key in stale.subtracting(removing) where done[key] == nil {
            guard let group = published.groups[key] else {
                // Gone from the published site: gone from this one.
                gone += groups.removeValue(forKey: key)?.files.map(\.path) ?? []
                continue
            }
            guard let copies = Self.copies(of: group.files, under: outputDirectory) else { return (false, nil) }
            var stamps: [SiteState.Stamp] = []
            for file in copies {
                if let error = store(file) { return (true, error) }
                guard let stamp = SiteState.Stamp(path: file.path, under: stagingDirectory) else { return (false, nil) }
                stamps.append(stamp)
            }
            gone += groups.updateValue(.init(fingerprint: group.fingerprint, files: stamps), forKey: key)?.files.map(\.path) ?? []
        }
        for (key, group) in done {
            gone += groups.updateValue(group, forKey: key)?.files.map(\.path) ?? []
        }
        var changes = Set<String>()
        for (key, group) in done where published.groups[key]?.fingerprint != group.fingerprint { changes.insert(key) }
        changes.formUnion(removing.filter { published.groups[$0] != nil })
        let recordedChanges = changes
        let (written, touched, others) = progress.withLock { progress in
            progress.unchanged = groups.values.reduce(progress.others.count) { $0 + $1.files.count } - progress.changed
            progress.next.groups = groups
            progress.next.changes = (published.generation, recordedChanges)
            return (progress.written, progress.touched, progress.others)
        }
        gone += previous.others
        // Every file the spare keeps: made once, and only if a file went or a folder changed.
        var keptFiles: Set<String>?
        func kept() -> Set<String> {
            if keptFiles == nil { keptFiles = Set(groups.values.flatMap { $0.files.map(\.path) } + others) }
            return keptFiles!
        }
        var changed = touched.union(changedFolders)
        // A path that went from one group may have passed to another: only unlink what nothing keeps.
        for path in Set(gone) where !written.contains(path) && !kept().contains(path) {
            unlink(stagingDirectory + "/" + path)
            changed.insert(Self.parent(of: path))
        }
        var folders = previous.folders
        if !changed.isEmpty { sweepByDepth(changed, keeping: kept(), folders: &folders) }
        return (true, swapIn(folders: folders))
    }

    /// Records what the spare holds, then swaps it in.
    private func swapIn(folders: [String: Int64]) -> Diagnostic? {
        progress.withLock {
            $0.next.others = $0.others
            $0.next.folders = folders
            $0.next.save(for: stagingDirectory, in: cacheDirectory)
        }
        if FileManager.default.fileExists(atPath: outputDirectory) {
            if patella_exchange_paths(stagingDirectory, outputDirectory) != 0 {
                return .error("output-write", at: SourceLocation(file: outputDirectory),
                              "cannot swap in the new site: \(String(cString: strerror(errno)))")
            }
        } else if rename(stagingDirectory, outputDirectory) != 0 {
            return .error("output-write", at: SourceLocation(file: outputDirectory),
                          "cannot move the new site into place: \(String(cString: strerror(errno)))")
        }
        SiteState.prune(in: cacheDirectory, keeping: [outputDirectory, stagingDirectory])
        return nil
    }

    /// Removes the files (and then empty folders) of an older site that this build did
    /// not write, and returns the copy's folders with their modification times. With a
    /// whole record of the spare, the files it names are the candidates and only
    /// folders changed since (by this build, or by hand: a file dropped in) are listed;
    /// listing all 10,000 folders of a large site took a tenth of a rebuild. Without
    /// a record, every folder is listed.
    func removeFilesNotWritten() -> [String: Int64] {
        var folders: [String: Int64] = [:]
        let (written, touched) = progress.withLock { ($0.written, $0.touched) }
        guard previous.isRecorded else {
            if startsEmpty {
                // A spare made for this build holds only what it wrote, in the folders its
                // files were written into: their times are all the record needs (listing
                // every folder was most of a cold build's swap, 0.1 s at 10,000 pages).
                for folder in touched { folders[folder] = Self.modificationTime(of: folder, under: stagingDirectory) }
                return folders
            }
            sweep("", everything: true, keeping: written, folders: &folders)
            return folders
        }
        folders = previous.folders
        var changed = touched
        for path in previous.paths where !written.contains(path) {
            unlink(stagingDirectory + "/" + path)
            changed.insert(Self.parent(of: path))
        }
        changed.formUnion(previous.foldersChanged(under: stagingDirectory))
        sweepByDepth(changed, keeping: written, folders: &folders)
        return folders
    }

    /// Sweeps these folders, deepest first, so a folder emptied here is gone before its
    /// parent is listed.
    private func sweepByDepth(_ changed: Set<String>, keeping kept: Set<String>, folders: inout [String: Int64]) {
        var byDepth: [[String]] = []
        for folder in changed {
            let depth = folder.isEmpty ? 0 : folder.split(separator: "/").count
            while byDepth.count <= depth { byDepth.append([]) }
            byDepth[depth].append(folder)
        }
        for depth in byDepth.indices.reversed() {
            for folder in Set(byDepth[depth]) {
                if sweep(folder, everything: false, keeping: kept, folders: &folders), depth > 0 {
                    byDepth[depth - 1].append(Self.parent(of: folder))
                }
            }
        }
    }

    /// Lists one folder: unlinks files this build did not write, sweeps subfolders no
    /// record knows (all of them, with `everything`), and removes the folder if that
    /// left it empty. Records the folder's modification time, or its absence. Returns
    /// true if the folder was removed.
    @discardableResult
    private func sweep(_ relativeFolder: String, everything: Bool, keeping kept: Set<String>,
                       folders: inout [String: Int64]) -> Bool {
        let folder = relativeFolder.isEmpty ? stagingDirectory : stagingDirectory + "/" + relativeFolder
        guard let stream = opendir(folder) else {
            folders[relativeFolder] = nil
            return false
        }
        var remaining = 0
        var subfolders: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name == "." || name == ".." { continue }
            let relative = relativeFolder.isEmpty ? name : relativeFolder + "/" + name
            if Int32(entry.pointee.d_type) == Int32(DT_DIR) {
                subfolders.append(relative)
            } else if !kept.contains(relative) {
                unlink(stagingDirectory + "/" + relative)
            } else {
                remaining += 1
            }
        }
        closedir(stream)
        for subfolder in subfolders {
            if everything || folders[subfolder] == nil {
                if !sweep(subfolder, everything: true, keeping: kept, folders: &folders) { remaining += 1 }
            } else {
                remaining += 1
            }
        }
        if remaining == 0, !relativeFolder.isEmpty, rmdir(folder) == 0 {
            folders[relativeFolder] = nil
            return true
        }
        folders[relativeFolder] = Self.modificationTime(of: relativeFolder, under: stagingDirectory)
        return false
    }

    static func parent(of path: String) -> String {
        path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
    }

    static func modificationTime(of relativeFolder: String, under root: String) -> Int64? {
        var status = stat()
        guard lstat(relativeFolder.isEmpty ? root : root + "/" + relativeFolder, &status) == 0 else { return nil }
        return Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec)
    }

    /// Runs `attempt`; if it failed because a folder of `relativePath` under `root` is
    /// missing, creates the folders and tries once more. Most writes need no new folder,
    /// so nothing is looked up first; the first file of a folder known to be new makes
    /// that folder first (a cold build: 10,000 failed opens and folder look-ups less).
    static func withParents(of relativePath: String, under root: String, folderIsNew: Bool = false,
                            _ attempt: () -> Bool) -> Bool {
        if folderIsNew {
            if mkdir(root + "/" + parent(of: relativePath), 0o755) == 0 || errno == EEXIST, attempt() { return true }
        } else if attempt() { return true }
        guard errno == ENOENT else { return false }
        var folder = root
        for part in relativePath.split(separator: "/").dropLast() {
            folder += "/" + part
            if mkdir(folder, 0o755) != 0, errno != EEXIST { return false }
        }
        return attempt()
    }

    /// Creates (or truncates) the file at `path` with these bytes; false on any failure.
    public static func create(_ path: String, with bytes: [UInt8]) -> Bool { create(path, withParts: [bytes]) }

    /// Creates (or truncates) the file at `path` with these parts one after the other,
    /// without first joining them into one array.
    public static func create(_ path: String, withParts parts: [[UInt8]]) -> Bool {
        var status = stat()
        return create(path, withParts: parts, status: &status)
    }

    /// `create`, leaving in `status` the file's status once written.
    static func create(_ path: String, withParts parts: [[UInt8]], status: inout stat) -> Bool {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        let written = parts.allSatisfy { part in
            part.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let count = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if count < 0, errno == EINTR { continue }
                    guard count > 0 else { return false }
                    offset += count
                }
                return true
            }
        }
        return written && fstat(descriptor, &status) == 0
    }

    enum Comparison { case same, different, missing }

    /// Whether `path` is a regular file holding exactly `bytes`, or is not there at all.
    static func compare(_ bytes: [UInt8], atPath path: String) -> Comparison {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { return errno == ENOENT ? .missing : .different }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG, Int(status.st_size) == bytes.count else { return .different }
        var old = [UInt8](repeating: 0, count: bytes.count)
        let complete = old.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let count = read(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { return false }
                offset += count
            }
            return true
        }
        return complete && old == bytes ? .same : .different
    }
}

/// An exclusive lock on a file, held until the owner is gone (the kernel drops it
/// when the process dies, so a killed build never leaves the output locked).
final class FileLock: Sendable {
    private let descriptor: Int32

    init(path: String) throws {
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                close(descriptor)
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
        }
    }

    deinit { close(descriptor) }
}
