import ContentModel
import Foundation

/// What a copy of the site holds: for each key (a page, or a group such as the search
/// index), the fingerprint of its inputs and the files it became, each with the inode,
/// size and modification time it was left with. A file edited or replaced since no
/// longer matches its stamp, so it is made again rather than trusted.
///
/// Kept in the cache folder, one record per copy, named by the inode of the copy's
/// folder: the two copies trade places on every build, and a rename keeps the inode.
struct SiteState: Sendable {
    struct Stamp: Sendable {
        var path: String
        var inode: UInt64
        var size: Int64
        var modified: Int64

        init(path: String, inode: UInt64, size: Int64, modified: Int64) {
            (self.path, self.inode, self.size, self.modified) = (path, inode, size, modified)
        }

        init?(path: String, under root: String) {
            var status = stat()
            guard lstat(root + "/" + path, &status) == 0 else { return nil }
            self.init(path: path, status: status)
        }

        init(path: String, status: stat) {
            self.path = path
            inode = UInt64(status.st_ino)
            size = Int64(status.st_size)
            modified = Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec)
        }

        func matches(under root: String) -> Bool {
            guard let now = Stamp(path: path, under: root) else { return false }
            return now.inode == inode && now.size == size && now.modified == modified
        }
    }

    struct Group: Sendable {
        let fingerprint: String
        let files: [Stamp]
        /// The group as its record fields, made once: most groups are saved unchanged
        /// build after build, and encoding every one each time was most of a save.
        let fields: [UInt8]

        init(fingerprint: String, files: [Stamp]) {
            self.fingerprint = fingerprint
            self.files = files
            var writer = FieldWriter()
            writer.field(fingerprint)
            writer.field(files.count)
            for file in files {
                writer.field(file.path)
                writer.field(file.inode)
                writer.field(file.size)
                writer.field(file.modified)
            }
            fields = writer.bytes
        }
    }

    /// Bumped whenever what a fingerprint covers changes, so older records are ignored.
    static let format = 2
    var format = Self.format
    /// Read whole from disk (or kept from the save that wrote it): only then is the
    /// list of files it names all the copy holds, as far as Patella knows.
    var isRecorded = false
    /// Which save of this process made the record (0: read from disk), and the keys in
    /// which it differs from the record of that number: the other copy, published when
    /// this one was made. Kept in memory only, for `serve`: the next build brings that
    /// other copy up to date by these keys alone, with no pass over every group.
    var generation = 0
    var changes: (base: Int, keys: Set<String>)?
    /// The Patella binary that wrote the record: another build of Patella may render
    /// the same input differently, so it trusts nothing a different one wrote.
    var producer = Self.currentProducer
    var groups: [String: Group] = [:]
    /// Files written outside any group (assets, the marker).
    var others: [String] = []
    /// Each folder of the copy (relative path, "" for the top) and its modification time
    /// when the record was saved: a folder changed since holds something nobody recorded.
    var folders: [String: Int64] = [:]

    /// Every file the record names.
    var paths: [String] { groups.values.flatMap { $0.files.map(\.path) } + others }

    static let currentProducer: String = {
        var status = stat()
        guard stat("/proc/self/exe", &status) == 0 else { return "unknown" }
        return "\(status.st_ino)-\(status.st_size)-\(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec)"
    }()

    static func recordPath(for folder: String, in cache: String) -> String? {
        var status = stat()
        guard stat(folder, &status) == 0 else { return nil }
        return cache + "/state-\(status.st_ino)"
    }

    /// The record of `folder`. Missing, unreadable or of another format: an empty
    /// record, which trusts nothing. `removing` it from disk as it is read is for the
    /// copy about to be changed: a build killed from then on leaves no record of it.
    static func read(for folder: String, in cache: String, removing: Bool) -> SiteState {
        guard let path = recordPath(for: folder, in: cache) else { return SiteState() }
        defer { if removing { unlink(path) } }
        // `serve` reads the records it saved itself: while the file is the one saved, the
        // saved value is used, not decoded again (tens of ms at 10,000 pages).
        let stamp = recordStamp(path)
        if let stamp, let saved = saved.withLock({ $0[path] }), saved.stamp == stamp { return saved.state }
        guard let data = FileManager.default.contents(atPath: path),
              var state = decoded([UInt8](data)),
              state.format == format, state.producer == currentProducer else { return SiteState() }
        state.isRecorded = true
        return state
    }

    /// Written beside, then renamed into place: a record is whole or absent.
    func save(for folder: String, in cache: String) {
        guard let path = Self.recordPath(for: folder, in: cache) else { return }
        let temporary = path + ".partial"
        guard StagedOutput.create(temporary, with: encoded()), rename(temporary, path) == 0,
              let stamp = Self.recordStamp(path) else { return }
        var kept = self
        kept.isRecorded = true
        kept.generation = Self.generations.withLock { count in
            count += 1
            return count
        }
        Self.saved.withLock { $0[path] = (stamp, kept) }
    }

    private static let generations = Locked(0)

    /// Keys (but those `skipping`) with a file that is no longer as recorded under `root`.
    /// On all cores: at 10,000 pages, 20,000 stats.
    func keysNotAsRecorded(under root: String, skipping: Set<String>) -> Set<String> {
        let candidates = groups.filter { !skipping.contains($0.key) }.map { ($0.key, $0.value.files) }
        let changed = Locked(Set<String>())
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var found: [String] = []
            for index in stride(from: worker, to: candidates.count, by: workers)
            where !candidates[index].1.allSatisfy({ $0.matches(under: root) }) {
                found.append(candidates[index].0)
            }
            changed.withLock { $0.formUnion(found) }
        }
        return changed.withLock { $0 }
    }

    /// Folders whose modification time is not the recorded one: something was added or
    /// removed there since (by hand: a file dropped in).
    func foldersChanged(under root: String) -> Set<String> {
        Set(folders.filter { StagedOutput.modificationTime(of: $0.key, under: root) != $0.value }.keys)
    }

    /// The keys whose groups differ between two records (or that only one has).
    static func differences(_ a: [String: Group], _ b: [String: Group]) -> Set<String> {
        var keys = Set<String>()
        for (key, group) in a where b[key]?.fingerprint != group.fingerprint { keys.insert(key) }
        for key in b.keys where a[key] == nil { keys.insert(key) }
        return keys
    }

    /// The records this process saved, with the stamp each file had then.
    private static let saved = Locked<[String: (stamp: [Int64], state: SiteState)]>([:])

    static func recordStamp(_ path: String) -> [Int64]? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return [Int64(status.st_ino), Int64(status.st_size), Int64(status.st_mtim.tv_sec), Int64(status.st_mtim.tv_nsec),
                Int64(status.st_ctim.tv_sec), Int64(status.st_ctim.tv_nsec)]
    }

    // A record is a run of fields, each ended by a NUL byte, which no path holds: a
    // header (a tag, the format, the producer, the number of groups), then per group its
    // key, fingerprint and number of files, and per file its path, inode, size and
    // modification time; then the number of other files and their paths; then the
    // number of folders and per folder its path and modification time. Foundation's JSON coders took a few hundred ms a build at
    // 10,000 pages to write one record and read two.
    private static let tag = "patella-site-state"

    func encoded() -> [UInt8] {
        var writer = FieldWriter()
        writer.bytes.reserveCapacity(groups.count * 160 + folders.count * 48)
        writer.field(Self.tag)
        writer.field(format)
        writer.field(producer)
        writer.field(groups.count)
        for (key, group) in groups {
            writer.field(key)
            writer.bytes += group.fields
        }
        writer.field(others.count)
        for path in others { writer.field(path) }
        writer.field(folders.count)
        for (folder, modified) in folders {
            writer.field(folder)
            writer.field(modified)
        }
        return writer.bytes
    }

    /// Fields, each ended by a NUL byte.
    struct FieldWriter {
        var bytes: [UInt8] = []

        mutating func field(_ text: String) {
            bytes.append(contentsOf: text.utf8)
            bytes.append(0)
        }

        /// Digits straight into the bytes: a String per number was half the time of a save.
        mutating func field(_ number: some BinaryInteger) {
            bytes.appendDecimal(number)
            bytes.append(0)
        }
    }

    /// The record in `bytes`, or nil if it is not a whole record.
    static func decoded(_ bytes: [UInt8]) -> SiteState? {
        var fields = bytes.split(separator: 0, omittingEmptySubsequences: false).makeIterator()
        guard bytes.last == 0 else { return nil }
        func text() -> String? { fields.next().map { String(decoding: $0, as: UTF8.self) } }
        func number<Value: FixedWidthInteger>(_: Value.Type) -> Value? { text().flatMap { Value($0) } }
        guard text() == tag, let format = number(Int.self), let producer = text(),
              let groupCount = number(Int.self), groupCount >= 0 else { return nil }
        var state = SiteState()
        state.format = format
        state.producer = producer
        for _ in 0..<groupCount {
            guard let key = text(), let fingerprint = text(), let fileCount = number(Int.self), fileCount >= 0 else { return nil }
            var files: [Stamp] = []
            for _ in 0..<fileCount {
                guard let path = text(), let inode = number(UInt64.self), let size = number(Int64.self),
                      let modified = number(Int64.self) else { return nil }
                files.append(Stamp(path: path, inode: inode, size: size, modified: modified))
            }
            state.groups[key] = Group(fingerprint: fingerprint, files: files)
        }
        guard let otherCount = number(Int.self), otherCount >= 0 else { return nil }
        for _ in 0..<otherCount {
            guard let path = text() else { return nil }
            state.others.append(path)
        }
        guard let folderCount = number(Int.self), folderCount >= 0 else { return nil }
        for _ in 0..<folderCount {
            guard let folder = text(), let modified = number(Int64.self) else { return nil }
            state.folders[folder] = modified
        }
        // Only the empty field after the last NUL may remain.
        guard let rest = fields.next(), rest.isEmpty, fields.next() == nil else { return nil }
        return state
    }

    /// Removes the records of copies that are gone.
    static func prune(in cache: String, keeping folders: [String]) {
        let kept = Set(folders.compactMap { recordPath(for: $0, in: cache) }.map { ($0 as NSString).lastPathComponent })
        for name in (try? FileManager.default.contentsOfDirectory(atPath: cache)) ?? []
        where name.hasPrefix("state-") && !kept.contains(name) {
            unlink(cache + "/" + name)
        }
    }
}
