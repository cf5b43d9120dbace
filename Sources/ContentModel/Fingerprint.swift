import Diagnostics

/// A stable 128-bit digest of a build's inputs: the same values give the same
/// fingerprint in every process (Swift's `Hasher` is seeded per process). Two FNV-1a
/// lanes with different offsets, fed eight bytes at a step (a byte at a time cost
/// ~100 ms a build at 10,000 pages); collisions are not a security concern here, only
/// the chance of skipping a file that changed, which at 128 bits is nil.
public struct Fingerprint: Sendable, Hashable {
    private var a: UInt64 = 0xcbf2_9ce4_8422_2325
    private var b: UInt64 = 0x6c62_272e_07bb_0142

    public init() {}

    /// Length first, so a short tail padded with zeros never equals a longer one.
    public mutating func combine(bytes: UnsafeRawBufferPointer) {
        mix(UInt64(bytes.count))
        var offset = 0
        while offset + 8 <= bytes.count {
            mix(bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        if offset < bytes.count {
            var tail: UInt64 = 0
            for byte in bytes[offset...].reversed() { tail = tail << 8 | UInt64(byte) }
            mix(tail)
        }
    }

    /// The two lanes, for files that store a fingerprint as numbers.
    public var lanes: (UInt64, UInt64) { (a, b) }

    public init(lanes: (UInt64, UInt64)) {
        (a, b) = lanes
    }

    public static func of(_ bytes: UnsafeRawBufferPointer) -> Fingerprint {
        var digest = Fingerprint()
        digest.combine(bytes: bytes)
        return digest
    }

    public static func of(_ bytes: [UInt8]) -> Fingerprint {
        var digest = Fingerprint()
        bytes.withUnsafeBytes { digest.combine(bytes: $0) }
        return digest
    }

    public mutating func combine(_ word: UInt64) { mix(word) }

    private mutating func mix(_ word: UInt64) {
        a = (a ^ word) &* 0x0000_0100_0000_01B3
        b = (b ^ word) &* 0x0000_0100_0000_01B3
        b ^= b >> 29
    }

    /// Another digest, as one value of this one.
    public mutating func combine(_ other: Fingerprint) {
        mix(other.a)
        mix(other.b)
    }

    /// Length-prefixed (as all bytes are), so ("ab", "c") and ("a", "bc") differ.
    public mutating func combine(_ text: String) {
        var text = text
        text.withUTF8 { combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    public mutating func combine(_ number: Int) {
        mix(UInt64(bitPattern: Int64(number)))
    }

    public mutating func combine(_ flag: Bool) { combine(flag ? 1 : 0) }

    public var hex: String {
        func digits(_ value: UInt64) -> String {
            let text = String(value, radix: 16)
            return String(repeating: "0", count: 16 - text.count) + text
        }
        return digits(a) + digits(b)
    }
}

/// Where a build's files go. A file is named by a key and the fingerprint of
/// everything its bytes are made from; a sink that still holds the files of an equal
/// fingerprint keeps them and never calls `files`, so unchanged pages are not even
/// rendered.
public protocol OutputSink: Sendable {
    /// Writes (or keeps) the files made by `files`; one key may stand for several files.
    func write(key: String, fingerprint: String, files: () -> [OutputFile]) -> [Diagnostic]
}
