/// A small JSON writer whose output is the same bytes on every run and platform:
/// object keys sorted by UTF-16 code units, numbers written by integer arithmetic,
/// no white space, "/" not escaped, and U+2028/U+2029 escaped. Used for the search
/// index and the JSON-LD blocks (Foundation's JSONSerialization was a tenth of a
/// build's time and does not promise stable output).
public indirect enum JSON: Sendable {
    case string(String)
    case int(Int)
    /// A decimal number, rounded to at most 3 fraction digits.
    case decimal(Double)
    case array([JSON])
    case object([String: JSON])
    /// Already serialized JSON, inserted as it is.
    case raw(String)

    public var text: String {
        var out = ""
        write(into: &out)
        return out
    }

    /// The text, safe inside an HTML `<script>` element: `<`, `>` and `&` are escaped
    /// too, so a value containing `</script>` stays data.
    public var scriptSafeText: String {
        var out = ""
        write(into: &out, scriptSafe: true)
        return out
    }

    public func write(into out: inout String, scriptSafe: Bool = false) {
        switch self {
        case .string(let value):
            JSON.writeString(value, into: &out, scriptSafe: scriptSafe)
        case .int(let value):
            out += String(value)
        case .decimal(let value):
            out += JSON.decimalText(value)
        case .array(let values):
            out += "["
            for (index, value) in values.enumerated() {
                if index > 0 { out += "," }
                value.write(into: &out, scriptSafe: scriptSafe)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, key) in members.keys.sorted(by: utf16Less).enumerated() {
                if index > 0 { out += "," }
                JSON.writeString(key, into: &out, scriptSafe: scriptSafe)
                out += ":"
                members[key]!.write(into: &out, scriptSafe: scriptSafe)
            }
            out += "}"
        case .raw(let text):
            out += text
        }
    }

    public static func decimalText(_ value: Double) -> String {
        let thousandths = Int((value * 1000).rounded())
        let sign = thousandths < 0 ? "-" : ""
        let magnitude = abs(thousandths)
        var fraction = String(magnitude % 1000)
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return sign + String(magnitude / 1000) + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// Copies runs that need no escape whole: appending scalar by scalar was most of
    /// the time spent writing a large site's search index.
    public static func writeString(_ value: String, into out: inout String, scriptSafe: Bool = false) {
        out += "\""
        let utf8 = value.utf8
        var runStart = utf8.startIndex
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            var escape: String?
            switch byte {
            case UInt8(ascii: "\""): escape = "\\\""
            case UInt8(ascii: "\\"): escape = "\\\\"
            case UInt8(ascii: "\n"): escape = "\\n"
            case UInt8(ascii: "\r"): escape = "\\r"
            case UInt8(ascii: "\t"): escape = "\\t"
            case UInt8(ascii: "<") where scriptSafe: escape = "\\u003c"
            case UInt8(ascii: ">") where scriptSafe: escape = "\\u003e"
            case UInt8(ascii: "&") where scriptSafe: escape = "\\u0026"
            case 0..<0x20:
                let hex = String(byte, radix: 16)
                escape = "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            case 0xE2:
                // U+2028 and U+2029 (E2 80 A8/A9) end a line in JavaScript source.
                let next = utf8.index(after: index)
                if next != utf8.endIndex, utf8[next] == 0x80, utf8.index(after: next) != utf8.endIndex {
                    let last = utf8[utf8.index(after: next)]
                    if last == 0xA8 || last == 0xA9 {
                        out += Substring(utf8[runStart..<index])
                        out += last == 0xA8 ? "\\u2028" : "\\u2029"
                        index = utf8.index(index, offsetBy: 3)
                        runStart = index
                        continue
                    }
                }
            default:
                break
            }
            if let escape {
                out += Substring(utf8[runStart..<index])
                out += escape
                runStart = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        out += Substring(utf8[runStart..<utf8.endIndex])
        out += "\""
    }

    public static func strings(_ values: [String]) -> JSON { .array(values.map(JSON.string)) }
}

/// Orders strings by UTF-16 code units, as JavaScript's default sort and `<` do, so
/// the browser can binary-search every sorted list the index holds.
public func utf16Less(_ a: String, _ b: String) -> Bool {
    var left = a.utf16.makeIterator(), right = b.utf16.makeIterator()
    while true {
        switch (left.next(), right.next()) {
        case (nil, nil): return false
        case (nil, _): return true
        case (_, nil): return false
        case let (x?, y?): if x != y { return x < y }
        }
    }
}
