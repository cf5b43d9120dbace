import Glibc

/// The distinct words of one page with the weights of their occurrences summed, keyed
/// by their UTF-8 bytes: one FNV-1a hash and one byte comparison per token, and a String
/// made once per distinct word. A `[String: Int32]` hashed every token with SipHash and
/// took a String for it, a twentieth of a cold 10,000-page build.
struct WordWeights {
    /// Open addressing, linear probing: an entry's number, or -1; a power of two long.
    private var slots = [Int32](repeating: -1, count: 512)
    private var hashes: [UInt64] = []
    /// Every entry's bytes one after another; entry `i` ends at `ends[i]`.
    private var storage: [UInt8] = []
    private var ends: [Int] = []
    private var weights: [Int32] = []

    mutating func add(_ word: UnsafeBufferPointer<UInt8>, weight: Int32) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in word { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash ^ hash >> 29) & mask
        while slots[slot] >= 0 {
            let entry = Int(slots[slot])
            if hashes[entry] == hash, holds(entry, word) {
                weights[entry] += weight
                return
            }
            slot = (slot + 1) & mask
        }
        slots[slot] = Int32(weights.count)
        hashes.append(hash)
        storage.append(contentsOf: word)
        ends.append(storage.count)
        weights.append(weight)
        if weights.count * 2 > slots.count { grow() }
    }

    /// Each distinct word and its summed weight, in the order first seen.
    var entries: [(word: String, weight: Int32)] {
        storage.withUnsafeBufferPointer { bytes in
            weights.indices.map { entry in
                let start = entry == 0 ? 0 : ends[entry - 1]
                return (String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<ends[entry]]), as: UTF8.self), weights[entry])
            }
        }
    }

    private func holds(_ entry: Int, _ word: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = entry == 0 ? 0 : ends[entry - 1]
        guard ends[entry] - start == word.count else { return false }
        guard let base = word.baseAddress else { return true }
        return storage.withUnsafeBufferPointer { memcmp($0.baseAddress! + start, base, word.count) == 0 }
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (entry, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash ^ hash >> 29) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(entry)
        }
    }
}
