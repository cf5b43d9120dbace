/// A growable run of plain values in memory its owner frees (`deallocate`), for the
/// word being read in the tokenizer and the readability counter: an Array checked its
/// uniqueness on every append, and emptying it after every word went through the
/// generic `replaceSubrange` (together ~2% of a cold 10,000-page build). Copies share
/// the memory, so it is kept in one local variable and freed by its owner once.
public struct GrowableBuffer<Element: BitwiseCopyable> {
    @usableFromInline var start: UnsafeMutablePointer<Element>
    @usableFromInline var capacity: Int
    @usableFromInline var used = 0

    @inlinable public var count: Int { used }

    public init(capacity: Int = 64) {
        self.capacity = Swift.max(capacity, 8)
        start = .allocate(capacity: self.capacity)
    }

    @inlinable public var isEmpty: Bool { used == 0 }
    @inlinable public var elements: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: start, count: used) }

    @inlinable public subscript(position: Int) -> Element { start[position] }

    @inlinable public mutating func removeAll() { used = 0 }

    /// Room for `more` elements after the last.
    @inlinable public mutating func reserve(_ more: Int) {
        if capacity - used < more { grow(toHold: used + more) }
    }

    /// Kept out of line, so that `append` is small enough to be inlined into the loops
    /// that call it once per letter (as a call it was 1.2-1.4% of a cold build's samples).
    @usableFromInline @inline(never) mutating func grow(toHold needed: Int) {
        capacity = Swift.max(capacity * 2, needed)
        let larger = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
        larger.initialize(from: start, count: used)
        start.deallocate()
        start = larger
    }

    @inlinable @inline(__always) public mutating func append(_ element: Element) {
        if used == capacity { grow(toHold: used + 1) }
        start[used] = element
        used += 1
    }

    @inlinable public mutating func append(contentsOf elements: UnsafeBufferPointer<Element>) {
        reserve(elements.count)
        guard let source = elements.baseAddress else { return }
        (start + used).initialize(from: source, count: elements.count)
        used += elements.count
    }

    public func deallocate() { start.deallocate() }
}
