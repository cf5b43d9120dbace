/// Substring search over UTF-8 bytes. Foundation's `range(of:)` bridges to NSString
/// on Linux and the generic `firstRange(of:)` pays for generic metadata on every
/// call; on a page with a hundred thousand links both dominated the build.
enum ByteSearch {
    /// The offset (from the haystack's start) of the first match at or after `start`.
    static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>, from start: Int = 0) -> Int? {
        guard let first = needle.first, needle.count <= haystack.count else { return nil }
        let base = haystack.startIndex
        let last = haystack.count - needle.count
        var index = start
        while index <= last {
            if haystack[base + index] == first {
                var matched = 1
                while matched < needle.count, haystack[base + index + matched] == needle[matched] { matched += 1 }
                if matched == needle.count { return index }
            }
            index += 1
        }
        return nil
    }

    /// Unicode scalars before byte `offset`: the editor's column, minus one.
    static func scalarCount(_ bytes: ArraySlice<UInt8>, upTo offset: Int) -> Int {
        var count = 0
        for index in bytes.startIndex..<(bytes.startIndex + offset) where bytes[index] & 0xC0 != 0x80 { count += 1 }
        return count
    }
}
