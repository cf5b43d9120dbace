import Foundation

extension Array where Element: Sendable {
    /// `transform` over the elements in a few ordered chunks on all cores, for
    /// synchronous stages; results in order, so output never depends on scheduling.
    public func concurrentMap<Output: Sendable>(_ transform: @escaping @Sendable (Element) -> Output) -> [Output] {
        // Sixteen chunks per core: the last to finish leaves the others idle only briefly.
        let chunkSize = Swift.max(64, count / (16 * ProcessInfo.processInfo.activeProcessorCount) + 1)
        let chunks = (count + chunkSize - 1) / chunkSize
        guard chunks > 1 else { return map(transform) }
        let results = Locked([[Output]](repeating: [], count: chunks))
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let range = (chunk * chunkSize)..<Swift.min(count, (chunk + 1) * chunkSize)
            let outputs = self[range].map(transform)
            results.withLock { $0[chunk] = outputs }
        }
        return results.withLock { $0 }.flatMap { $0 }
    }
}
