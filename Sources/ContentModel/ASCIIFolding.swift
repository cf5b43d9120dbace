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
    /// Inlinable so each caller gets it for its own integer type (through the protocol's
    /// witnesses it was three quarters of writing the postings), and digits are found by dividing
    /// by the constant 10, which compiles to a multiplication.
    @inlinable public mutating func appendDecimal(_ number: some BinaryInteger) {
        if number < 0 { append(UInt8(ascii: "-")) }
        var magnitude = UInt64(number.magnitude)
        var digits = 1, bound: UInt64 = 10
        while digits < 20, magnitude >= bound {
            digits += 1
            bound &*= 10
        }
        append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits))
        var index = endIndex
        repeat {
            index -= 1
            let (quotient, digit) = magnitude.quotientAndRemainder(dividingBy: 10)
            self[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: digit)
            magnitude = quotient
        } while magnitude > 0
    }
}
