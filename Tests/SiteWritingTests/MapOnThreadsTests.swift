@testable import ContentModel
import Foundation
import Testing

/// The threads the site's files are written on: results in order, every item once,
/// and the yielding threads' lower priority.
@Suite struct MapOnThreadsTests {
    @Test func resultsAreInTheListsOrderWhicheverChunkEndsFirst() async {
        let items = Array(0..<3_000)
        let mapped = await items.mapOnThreads { item -> Int in
            // Early chunks wait, so later ones end first.
            if item < 200, item % 10 == 0 { usleep(300) }
            return item * 3
        }
        #expect(mapped == items.map { $0 * 3 })
        #expect(await [Int]().mapOnThreads { $0 } == [])
        #expect(await [7].mapOnThreads { $0 + 1 } == [8])
    }

    @Test func everyChunkIsTakenOnce() {
        for count in 0..<50 {
            for ways in 1..<7 { #expect([Int].spread(count, ways: ways).sorted() == Array(0..<count)) }
        }
        #expect([Int].spread(8, ways: 2) == [0, 4, 1, 5, 2, 6, 3, 7])
    }

    @Test func threadsPerCoreSetsHowManyThreadsShareTheWork() async {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        for perCore in [1, 2] {
            let expected = perCore * cores
            let seen = Locked(Set<pthread_t>())
            let deadline = Date().addingTimeInterval(60)
            // Twice as many chunks as threads. Each item waits until the expected threads
            // have all taken one (or the deadline passed), so none finds the list done however
            // late a busy machine starts it, then takes 2 ms, so a thread too many would
            // find chunks left too. Two per core held at once are more than the cooperative
            // pool has: the work runs on threads of its own. (Comparing with the caller's
            // `pthread_self()` after the await cannot tell: an exited thread's id is reused.)
            let threads = await Array(0..<(32 * expected)).mapOnThreads(threadsPerCore: perCore) { _ -> pthread_t in
                seen.withLock { _ = $0.insert(pthread_self()) }
                while seen.withLock({ $0.count }) < expected, Date() < deadline { usleep(200) }
                usleep(2_000)
                return pthread_self()
            }
            #expect(Set(threads).count == expected)
        }
    }

    @Test func yieldingThreadsRunTenNiceStepsLower() async {
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        let caller = getpriority(which, 0)
        let seen = await Array(0..<1_000).mapOnThreads(yielding: true) { _ in getpriority(which, 0) }
        #expect(Set(seen) == [min(19, caller + 10)])
        let plain = await Array(0..<1_000).mapOnThreads { _ in getpriority(which, 0) }
        #expect(Set(plain) == [caller])
        #expect(getpriority(which, 0) == caller, "the caller's own thread keeps its priority")
    }
}
