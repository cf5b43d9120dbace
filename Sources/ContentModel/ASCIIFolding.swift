extension Unicode.Scalar {
    /// The scalar with A-Z lower-cased and every other one as it is: what folding does to
    /// ASCII. One rule for the search tokenizer, page slugs and the readability counter.
    @inlinable public var asciiLowercased: Unicode.Scalar {
        value &- 0x41 < 26 ? Unicode.Scalar(UInt8(truncatingIfNeeded: value | 0x20)) : self
    }
}
