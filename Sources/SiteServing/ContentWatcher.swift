import Foundation

/// Notices edits under the watched folders by comparing snapshots of names, sizes and
/// modification times, taken when inotify (`ChangeSignal`) reports something, or on every
/// tick where it is unavailable. One `lstat` per file: Foundation's attributesOfItem built
/// a dictionary per file, and at 10,000 files polling took more CPU than the rebuilds.
struct ContentWatcher: Sendable {
    let folders: [String]
    let interval: Duration

    struct Stamp: Equatable {
        var seconds: Int
        var nanoseconds: Int
        var size: Int
    }

    /// Every file below the folders, with its modification time and size.
    func snapshot() -> [String: Stamp] {
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

    /// Calls `onChange` after each settled change, until cancelled.
    func run(onChange: @Sendable () async -> Void) async throws {
        let signal = ChangeSignal(folders: folders)
        var last = snapshot()
        while !Task.isCancelled {
            try await Task.sleep(for: interval)
            // With inotify the tree is walked only after the kernel reported something.
            if let signal, !signal.changed() { continue }
            var current = snapshot()
            guard current != last else { continue }
            // Editors often save in several writes: wait until the tree stops changing.
            while true {
                try await Task.sleep(for: .milliseconds(60))
                let settled = snapshot()
                if settled == current { break }
                current = settled
            }
            last = current
            await onChange()
        }
    }
}

/// Linux's inotify on every folder below the watched ones, used as a cheap signal that
/// something changed; the snapshot then says what. Polling alone walked and stat'ed
/// every file five times a second, a third of a core at 10,000 pages while idle.
/// Nil when inotify is unavailable (e.g. its limits are used up): then every tick polls.
final class ChangeSignal: @unchecked Sendable {
    // Owned by the one watcher task that calls `changed()`.
    private let descriptor: Int32
    private let folders: [String]
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)
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

    /// Whether anything happened since the last call. A folder made or moved in is
    /// watched too (the tree is walked again only then, or if the kernel's queue overflowed).
    func changed() -> Bool {
        var any = false, newFolder = false
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            any = true
            // Each event: wd (Int32), mask, cookie, len (UInt32), then `len` bytes of name.
            var offset = 0
            while offset + 16 <= count {
                let mask = buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self) }
                let length = buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self) }
                if mask & UInt32(IN_Q_OVERFLOW) != 0
                    || (mask & UInt32(IN_ISDIR) != 0 && mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0) {
                    newFolder = true
                }
                offset += 16 + Int(length)
            }
        }
        if newFolder { _ = watchFolders() }
        return any
    }

    /// Adds a watch on every folder (watching one twice is harmless); false if one failed.
    private func watchFolders() -> Bool {
        var ok = true
        for folder in folders {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            ok = inotify_add_watch(descriptor, folder, Self.events) >= 0 && ok
            guard let walker = FileManager.default.enumerator(atPath: folder) else { continue }
            while let relative = walker.nextObject() as? String {
                guard (walker.fileAttributes?[.type] as? FileAttributeType) == .typeDirectory else { continue }
                ok = inotify_add_watch(descriptor, folder + "/" + relative, Self.events) >= 0 && ok
            }
        }
        return ok
    }
}
