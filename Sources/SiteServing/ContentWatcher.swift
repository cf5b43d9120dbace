import Foundation

/// Notices edits under the watched folders by comparing snapshots of names, sizes and
/// modification times, taken when inotify (`ChangeSignal`) reports something, or on every
/// tick where it is unavailable. One `lstat` per file: Foundation's attributesOfItem built
/// a dictionary per file, and at 10,000 files polling took more CPU than the rebuilds.
///
/// Watches are placed and the first snapshot taken when the watcher is made: `serve`
/// makes it before its first build, so an edit saved while that build runs (or just
/// after "Serving") is reported, not lost.
struct ContentWatcher: Sendable {
    let folders: [String]
    let interval: Duration
    private let signal: ChangeSignal?
    private let baseline: [String: Stamp]

    init(folders: [String], interval: Duration) {
        self.folders = folders
        self.interval = interval
        signal = ChangeSignal(folders: folders)
        baseline = Self.snapshot(of: folders)
    }

    struct Stamp: Equatable, Sendable {
        var seconds: Int
        var nanoseconds: Int
        var size: Int
    }

    /// Every file below the folders, with its modification time and size.
    func snapshot() -> [String: Stamp] { Self.snapshot(of: folders) }

    static func snapshot(of folders: [String]) -> [String: Stamp] {
        var result: [String: Stamp] = [:]
        for folder in folders {
            guard let walker = FileManager.default.enumerator(atPath: folder) else { continue }
            while let relative = walker.nextObject() as? String {
                let path = folder + "/" + relative
                var info = stat()
                guard lstat(path, &info) == 0 else { continue }
                result[path] = Stamp(seconds: info.st_mtim.tv_sec, nanoseconds: info.st_mtim.tv_nsec, size: Int(info.st_size))
            }
        }
        return result
    }

    /// The stamps of these paths (nil where a path is gone).
    func stamps(of paths: Set<String>) -> [String: Stamp?] {
        var result: [String: Stamp?] = [:]
        for path in paths {
            var info = stat()
            result[path] = lstat(path, &info) == 0
                ? Stamp(seconds: info.st_mtim.tv_sec, nanoseconds: info.st_mtim.tv_nsec, size: Int(info.st_size)) : nil
        }
        return result
    }

    /// Calls `onChange` after each settled change, until cancelled, with the paths that
    /// changed (below the folders, as the folders were named), or nil when that is not known.
    func run(onChange: @Sendable (Set<String>?) async -> Void) async throws {
        guard let signal else { return try await poll(onChange: onChange) }
        var last = baseline
        while !Task.isCancelled {
            try await Task.sleep(for: .milliseconds(25))
            guard var report = signal.changes() else { continue }
            // Editors often save in several writes: wait until the kernel reports nothing for a moment.
            while true {
                try await Task.sleep(for: .milliseconds(60))
                guard let more = signal.changes() else { break }
                report.formUnion(more)
            }
            // Only the paths the kernel named are looked at, unless it lost count or a folder appeared.
            var current = last
            if report.everything {
                current = snapshot()
            } else {
                for (path, stamp) in stamps(of: report.paths) { current[path] = stamp }
            }
            guard current != last else { continue }
            last = current
            await onChange(report.everything ? nil : report.paths)
        }
    }

    /// Without inotify: a snapshot every `interval`.
    private func poll(onChange: @Sendable (Set<String>?) async -> Void) async throws {
        var last = baseline
        while !Task.isCancelled {
            try await Task.sleep(for: interval)
            var current = snapshot()
            guard current != last else { continue }
            while true {
                try await Task.sleep(for: .milliseconds(60))
                let settled = snapshot()
                if settled == current { break }
                current = settled
            }
            last = current
            await onChange(nil)
        }
    }
}

/// Linux's inotify on every folder below the watched ones: which paths changed, so that
/// only they are stat'ed. Polling walked and stat'ed every file five times a second (a
/// third of a core at 10,000 pages while idle), and a snapshot per change took longer
/// than the rebuild it started. Nil when inotify is unavailable (e.g. its limits are
/// used up): then every tick polls.
final class ChangeSignal: @unchecked Sendable {
    // Owned by the one watcher task that calls `changed()`.
    private let descriptor: Int32
    private let folders: [String]
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    /// The folder each watch descriptor stands for.
    private var watched: [Int32: String] = [:]

    struct Report {
        var paths: Set<String> = []
        /// The kernel's queue overflowed or a folder changed: look at everything.
        var everything = false

        mutating func formUnion(_ other: Report) {
            paths.formUnion(other.paths)
            everything = everything || other.everything
        }
    }
    private static let events = UInt32(IN_CREATE | IN_DELETE | IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE
        | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF)

    init?(folders: [String]) {
        let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { return nil }
        self.descriptor = descriptor
        self.folders = folders
        guard watchFolders() else {
            close(descriptor)
            return nil
        }
    }

    deinit { close(descriptor) }

    /// What happened since the last call, or nil if nothing did. A folder made or moved
    /// in is watched too (the tree is walked again only then, or if the queue overflowed).
    func changes() -> Report? {
        var report = Report(), any = false
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            any = true
            // Each event: wd (Int32), mask, cookie, len (UInt32), then `len` bytes of name, NUL-padded.
            var offset = 0
            while offset + 16 <= count {
                let (watch, mask, length) = buffer.withUnsafeBytes {
                    ($0.loadUnaligned(fromByteOffset: offset, as: Int32.self), $0.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self),
                     Int($0.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self)))
                }
                // A folder made, moved or removed changes the paths of all it holds.
                if mask & UInt32(IN_Q_OVERFLOW) != 0 || mask & UInt32(IN_ISDIR) != 0 {
                    report.everything = true
                } else if let folder = watched[watch] {
                    let name = buffer[(offset + 16)..<min(count, offset + 16 + length)].prefix { $0 != 0 }
                    report.paths.insert(name.isEmpty ? folder : folder + "/" + String(decoding: name, as: UTF8.self))
                }
                offset += 16 + length
            }
        }
        if report.everything { _ = watchFolders() }
        return any ? report : nil
    }

    /// Adds a watch on every folder (watching one twice is harmless); false if one failed.
    private func watchFolders() -> Bool {
        var ok = true
        for folder in folders {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            ok = watch(folder) && ok
            guard let walker = FileManager.default.enumerator(atPath: folder) else { continue }
            while let relative = walker.nextObject() as? String {
                guard (walker.fileAttributes?[.type] as? FileAttributeType) == .typeDirectory else { continue }
                ok = watch(folder + "/" + relative) && ok
            }
        }
        return ok
    }

    private func watch(_ folder: String) -> Bool {
        let watch = inotify_add_watch(descriptor, folder, Self.events)
        guard watch >= 0 else { return false }
        watched[watch] = folder
        return true
    }
}
