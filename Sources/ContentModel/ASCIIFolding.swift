extension Unicode.Scalar {
    /// The scalar with A-Z lower-cased and every other one as it is: what folding does to
    /// ASCII. One rule for the search tokenizer, page slugs and the readability counter.
    @inlinable public var asciiLowercased: Unicode.Scalar {
        value &- 0x41 < 26 ? Unicode.Scalar(UInt8(truncatingIfNeeded: value | 0x20)) : self
    }
}

extension [UInt8] {
    /// The integer's decimal digits (after a "-" if negative), appended as ASCII without
    /// making a String: one writer for search postings and the output records, where a
    /// String per number was a third to a half of the time. Integers of up to 64 bits.
    public mutating func appendDecimal(_ number: some BinaryInteger) {
        if number < 0 { append(UInt8(ascii: "-")) }
        let magnitude = UInt64(number.magnitude)
        // Most significant digit first, so nothing is reversed afterwards.
        var divisor: UInt64 = 1
        while magnitude / divisor >= 10 { divisor *= 10 }
        repeat {
            append(UInt8(ascii: "0") + UInt8(magnitude / divisor % 10))
            divisor /= 10
        } while divisor > 0
    }
}
