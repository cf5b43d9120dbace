import Foundation

extension UnsafeBufferPointer<UInt8> {
    /// The index of the first `byte` at or after `start`, found by `memchr`: the scans for
    /// line breaks, NUL and CR over every page, a byte at a time, were ~2% of a cold
    /// 10,000-page build.
    public func firstIndex(of byte: UInt8, from start: Int) -> Int? {
        guard let base = baseAddress, start < count,
              let found = memchr(base + start, Int32(byte), count - start) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }
}
