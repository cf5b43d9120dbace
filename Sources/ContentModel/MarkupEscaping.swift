extension String {
    /// The text made safe inside HTML or XML, in text and in quoted attributes: `&`, `<`,
    /// `>`, `"` and `'` become references. Returns the text itself when none is there, the
    /// usual case; Foundation's `replacingOccurrences` bridges to NSString on Linux.
    public func escapedForMarkup() -> String {
        let utf8 = self.utf8
        guard utf8.contains(where: { Markup.reference(for: $0) != nil }) else { return self }
        var escaped: [UInt8] = []
        escaped.reserveCapacity(utf8.count + 16)
        var text = self
        text.withUTF8 { Markup.appendEscaped($0, to: &escaped) }
        return String(decoding: escaped, as: UTF8.self)
    }
}

/// The one escaper of text for HTML and XML (pages, templates' `{{name}}`, feeds, reports).
public enum Markup {
    /// The reference that stands for a byte that could end text or a quoted attribute.
    static func reference(for byte: UInt8) -> StaticString? {
        switch byte {
        case UInt8(ascii: "<"): "&lt;"
        case UInt8(ascii: ">"): "&gt;"
        case UInt8(ascii: "&"): "&amp;"
        case UInt8(ascii: "\""): "&quot;"
        case UInt8(ascii: "'"): "&#39;"
        default: nil
        }
    }

    /// Appends UTF-8 `bytes` with those five characters replaced, copying the runs between them whole.
    public static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        var start = 0
        for index in 0..<bytes.count {
            guard let reference = reference(for: bytes[index]) else { continue }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
            output.append(contentsOf: UnsafeBufferPointer(start: reference.utf8Start, count: reference.utf8CodeUnitCount))
            start = index + 1
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count]))
    }
}
