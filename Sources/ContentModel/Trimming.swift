extension StringProtocol {
    /// The text without leading and trailing white space and line breaks (Unicode's
    /// White_Space; Foundation's `.whitespacesAndNewlines` on Linux also holds U+200B).
    /// Returns the text as it is when there is nothing to trim, the usual case, where
    /// Foundation's `trimmingCharacters(in:)` bridges to NSString every time.
    ///
    /// Inlinable, so each caller gets it for its own string type, and ASCII is judged
    /// without the Unicode property tables (through both, 1.2% of a cold build).
    @inlinable public func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !isWhiteSpace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isWhiteSpace($0) })!
        if first == scalars.startIndex, scalars.index(after: last) == scalars.endIndex { return String(self) }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}

/// Unicode's White_Space: in ASCII, tab to carriage return and space.
@inlinable func isWhiteSpace(_ scalar: Unicode.Scalar) -> Bool {
    scalar.isASCII ? scalar.value == 0x20 || scalar.value &- 0x09 < 5 : scalar.properties.isWhitespace
}
