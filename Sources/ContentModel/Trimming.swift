extension StringProtocol {
    /// The text without leading and trailing white space and line breaks (Unicode's
    /// White_Space, the set Foundation's `.whitespacesAndNewlines` holds). Returns the
    /// text as it is when there is nothing to trim, the usual case, where Foundation's
    /// `trimmingCharacters(in:)` bridges to NSString every time.
    public func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        if first == scalars.startIndex, scalars.index(after: last) == scalars.endIndex { return String(self) }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}
