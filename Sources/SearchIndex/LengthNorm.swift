/// A document's weighted length as the index files hold it: one byte, lossy (like
/// Lucene's norms). Lengths under 16 are exact; above, a length keeps its highest four
/// bits, so a bucket spans an eighth to a sixteenth of its lengths (640 to 703 is one).
/// A small edit of a page then rarely changes its stored length, and so rarely changes
/// the postings of every term of the page: with exact lengths a one-word edit of a body
/// rewrote about a third of the terms shards. Ranking reads `decode(encode(length))`,
/// the bucket's lowest length, and the average of those.
///
/// Theme/assets/search.js has the same `decodeLength`.
public enum LengthNorm {
    public static func encode(_ length: Int) -> Int {
        guard length >= 16 else { return max(0, length) }
        let exponent = Int.bitWidth - 1 - length.leadingZeroBitCount  // 4 and up
        return min(255, 16 + (exponent - 4) * 8 + ((length >> (exponent - 3)) & 7))
    }

    public static func decode(_ code: Int) -> Int {
        guard code >= 16 else { return code }
        let exponent = (code - 16) / 8 + 4
        return (8 + (code - 16) % 8) << (exponent - 3)
    }

    /// The length ranking uses for a document of this length.
    public static func rounded(_ length: Int) -> Int { decode(encode(length)) }
}
