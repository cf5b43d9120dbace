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

extension Array where Element: Sendable {
    /// `transform` over the elements on threads of its own (`threadsPerCore`), results in
    /// order: for work that waits on the disk as much as it computes. Creating a file makes
    /// the file system read its inode table and bitmaps the first time they are used, and a
    /// task of the cooperative pool waiting on that read leaves its core idle (a sixth to a
    /// half of the time of writing a cold 10,000-page site); with more threads than cores,
    /// another one computes meanwhile. (Four per core spent more time in the kernel than
    /// they saved.) Chunks are started far apart in the list, so threads creating folders
    /// seldom queue for the same parent folder.
    ///
    /// With `yielding`, the threads run at a lower priority (nice 10 more): for work that
    /// can wait while other work the build also waits for has a core to use. Files going
    /// into one folder take turns on its lock whatever the number of threads, and threads
    /// queued on it spin: such work wants one thread per core.
    public func mapOnThreads<Output: Sendable>(
        yielding: Bool = false, threadsPerCore: Int = 2, _ transform: @escaping @Sendable (Element) -> Output
    ) async -> [Output] {
        let threads = threadsPerCore * Swift.max(1, ProcessInfo.processInfo.activeProcessorCount)
        let chunkSize = Swift.max(16, count / (16 * threads) + 1)
        let chunks = (count + chunkSize - 1) / chunkSize
        guard chunks > 1 else { return map(transform) }
        let order = Self.spread(chunks, ways: threads)
        let results = Locked([[Output]](repeating: [], count: chunks))
        let next = Locked(0), running = Locked(Swift.min(threads, chunks))
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            for _ in 0..<Swift.min(threads, chunks) {
                Thread.detachNewThread {
                    if yielding { Self.lowerThisThreadsPriority(by: 10) }
                    while true {
                        let taken = next.withLock { taken in
                            defer { taken += 1 }
                            return taken
                        }
                        guard taken < chunks else { break }
                        let chunk = order[taken]
                        let outputs = self[(chunk * chunkSize)..<Swift.min(count, (chunk + 1) * chunkSize)].map(transform)
                        results.withLock { $0[chunk] = outputs }
                    }
                    if running.withLock({ running in
                        running -= 1
                        return running
                    }) == 0 { done.resume() }
                }
            }
        }
        return results.withLock { $0 }.flatMap { $0 }
    }

    /// Raises the calling thread's nice value (on Linux a thread's own; `who` 0 is the
    /// calling thread), to at most 19.
    static func lowerThisThreadsPriority(by steps: Int32) {
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        errno = 0
        let current = getpriority(which, 0)
        guard errno == 0 else { return }
        _ = setpriority(which, 0, Swift.min(19, current + steps))
    }

    /// 0..<count taken `ways` apart: for 8 in 2 ways, 0 4 1 5 2 6 3 7.
    static func spread(_ count: Int, ways: Int) -> [Int] {
        let stride = (count + ways - 1) / ways
        return (0..<stride).flatMap { offset in (0..<ways).map { $0 * stride + offset }.filter { $0 < count } }
    }
}
