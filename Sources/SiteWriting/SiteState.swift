import ContentModel
import Foundation

/// What a copy of the site holds: for each key (a page, or a group such as the search
/// index), the fingerprint of its inputs and the files it became, each with the inode,
/// size and modification time it was left with. A file edited or replaced since no
/// longer matches its stamp, so it is made again rather than trusted.
///
/// Kept in the cache folder, one record per copy, named by the inode of the copy's
/// folder: the two copies trade places on every build, and a rename keeps the inode.
struct SiteState: Codable, Sendable {
    struct Stamp: Codable, Sendable {
        var path: String
        var inode: UInt64
        var size: Int64
        var modified: Int64

        init?(path: String, under root: String) {
            var status = stat()
            guard lstat(root + "/" + path, &status) == 0 else { return nil }
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

    struct Group: Codable, Sendable {
        var fingerprint: String
        var files: [Stamp]
    }

    /// Bumped whenever what a fingerprint covers changes, so older records are ignored.
    static let format = 1
    var format = Self.format
    /// The Patella binary that wrote the record: another build of Patella may render
    /// the same input differently, so it trusts nothing a different one wrote.
    var producer = Self.currentProducer
    var groups: [String: Group] = [:]

    static let currentProducer: String = {
        var status = stat()
        guard stat("/proc/self/exe", &status) == 0 else { return "unknown" }
        return "\(status.st_ino)-\(status.st_size)-\(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec)"
    }()

    static func recordPath(for folder: String, in cache: String) -> String? {
        var status = stat()
        guard stat(folder, &status) == 0 else { return nil }
        return cache + "/state-\(status.st_ino).json"
    }

    /// The record of `folder`. Missing, unreadable or of another format: an empty
    /// record, which trusts nothing. `removing` it from disk as it is read is for the
    /// copy about to be changed: a build killed from then on leaves no record of it.
    static func read(for folder: String, in cache: String, removing: Bool) -> SiteState {
        guard let path = recordPath(for: folder, in: cache) else { return SiteState() }
        defer { if removing { unlink(path) } }
        guard let data = FileManager.default.contents(atPath: path),
              let state = try? JSONDecoder().decode(SiteState.self, from: data),
              state.format == format, state.producer == currentProducer else { return SiteState() }
        return state
    }

    /// Written beside, then renamed into place: a record is whole or absent.
    func save(for folder: String, in cache: String) {
        guard let path = Self.recordPath(for: folder, in: cache), let data = try? JSONEncoder().encode(self) else { return }
        let temporary = path + ".partial"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else { return }
        rename(temporary, path)
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
