import Foundation

extension Array where Element: Sendable {
    /// `transform` over the elements in a few ordered chunks on all cores, for
    /// synchronous stages; results in order, so output never depends on scheduling.
    public func concurrentMap<Output: Sendable>(_ transform: @escaping @Sendable (Element) -> Output) -> [Output] {
        let chunkSize = Swift.max(64, count / (4 * ProcessInfo.processInfo.activeProcessorCount) + 1)
        let chunks = (count + chunkSize - 1) / chunkSize
        guard chunks > 1 else { return map(transform) }
        let results = ChunkResults<Output>(count: chunks)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let range = (chunk * chunkSize)..<Swift.min(count, (chunk + 1) * chunkSize)
            results.set(chunk, self[range].map(transform))
        }
        return results.all.flatMap { $0 }
    }
}

/// Chunk results written from several threads, each slot by one thread, under a lock.
private final class ChunkResults<Output>: @unchecked Sendable {
    private var slots: [[Output]]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: [], count: count) }
    func set(_ index: Int, _ value: [Output]) { lock.lock(); slots[index] = value; lock.unlock() }
    var all: [[Output]] { lock.lock(); defer { lock.unlock() }; return slots }
}
