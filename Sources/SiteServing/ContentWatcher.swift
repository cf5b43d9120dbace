import Foundation

/// Notices edits under the watched folders by polling names, sizes and modification
/// times: portable, needs no inotify limits, and costs little for a site's few
/// thousand files at a few checks a second.
struct ContentWatcher: Sendable {
    let folders: [String]
    let interval: Duration

    /// A fingerprint of every file below the folders.
    func snapshot() -> [String: String] {
        var result: [String: String] = [:]
        for folder in folders {
            guard let walker = FileManager.default.enumerator(atPath: folder) else { continue }
            while let relative = walker.nextObject() as? String {
                let path = folder + "/" + relative
                guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { continue }
                let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
                let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
                result[path] = "\(modified):\(size)"
            }
        }
        return result
    }

    /// Calls `onChange` after each settled change, until cancelled.
    func run(onChange: @Sendable () async -> Void) async throws {
        var last = snapshot()
        while !Task.isCancelled {
            try await Task.sleep(for: interval)
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
