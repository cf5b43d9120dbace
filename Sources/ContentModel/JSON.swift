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
            for (index, member) in members.sorted(by: { utf16Less($0.key, $1.key) }).enumerated() {
                if index > 0 { out += "," }
                JSON.writeString(member.key, into: &out, scriptSafe: scriptSafe)
                out += ":"
                member.value.write(into: &out, scriptSafe: scriptSafe)
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

    /// Finds the bytes to escape over the contiguous UTF-8 first (most values have none
    /// and are appended whole), then copies the runs between them whole: appending
    /// scalar by scalar, then stepping a byte index through the view, was most of the
    /// time spent writing a large site's search index.
    public static func writeString(_ value: String, into out: inout String, scriptSafe: Bool = false) {
        out += "\""
        let utf8 = value.utf8
        let escapes = utf8.withContiguousStorageIfAvailable { escapeOffsets($0, scriptSafe: scriptSafe) }
            ?? Array(utf8).withUnsafeBufferPointer { escapeOffsets($0, scriptSafe: scriptSafe) }
        guard !escapes.isEmpty else {
            out += value
            out += "\""
            return
        }
        var runStart = utf8.startIndex
        for offset in escapes {
            let index = utf8.index(utf8.startIndex, offsetBy: offset)
            out += Substring(utf8[runStart..<index])
            let byte = utf8[index]
            switch byte {
            case UInt8(ascii: "\""): out += "\\\""
            case UInt8(ascii: "\\"): out += "\\\\"
            case UInt8(ascii: "\n"): out += "\\n"
            case UInt8(ascii: "\r"): out += "\\r"
            case UInt8(ascii: "\t"): out += "\\t"
            case UInt8(ascii: "<"): out += "\\u003c"
            case UInt8(ascii: ">"): out += "\\u003e"
            case UInt8(ascii: "&"): out += "\\u0026"
            case 0xE2:
                // U+2028 and U+2029 (E2 80 A8/A9) end a line in JavaScript source.
                out += utf8[utf8.index(index, offsetBy: 2)] == 0xA8 ? "\\u2028" : "\\u2029"
                runStart = utf8.index(index, offsetBy: 3)
                continue
            default:
                let hex = String(byte, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
            runStart = utf8.index(after: index)
        }
        out += Substring(utf8[runStart...])
        out += "\""
    }

    /// Offsets of the bytes that start an escape: controls, `"`, `\\`, U+2028/U+2029, and
    /// with `scriptSafe` `<`, `>` and `&`.
    private static func escapeOffsets(_ bytes: UnsafeBufferPointer<UInt8>, scriptSafe: Bool) -> [Int] {
        var offsets: [Int] = []
        for offset in bytes.indices {
            switch bytes[offset] {
            case 0..<0x20, UInt8(ascii: "\""), UInt8(ascii: "\\"):
                offsets.append(offset)
            case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"):
                if scriptSafe { offsets.append(offset) }
            case 0xE2:
                if offset + 2 < bytes.count, bytes[offset + 1] == 0x80, bytes[offset + 2] == 0xA8 || bytes[offset + 2] == 0xA9 {
                    offsets.append(offset)
                }
            default:
                break
            }
        }
        return offsets
    }

    public static func strings(_ values: [String]) -> JSON { .array(values.map(JSON.string)) }
}

/// Orders strings by UTF-16 code units, as JavaScript's default sort and `<` do, so
/// the browser can binary-search every sorted list the index holds.
///
/// Compared as UTF-8 (Swift's own storage; stepping through a UTF-16 view of it cost
/// more than the sorts themselves): byte order is scalar order, and UTF-16 order differs
/// from it only between a scalar above U+FFFF (a surrogate pair, D800-DFFF) and one in
/// U+E000-U+FFFF, which differ in their UTF-8 lead bytes (F0-F4 against EE-EF).
public func utf16Less(_ a: String, _ b: String) -> Bool {
    var a = a, b = b
    return a.withUTF8 { left in
        b.withUTF8 { right in
            let common = min(left.count, right.count)
            var index = 0
            while index < common, left[index] == right[index] { index += 1 }
            guard index < common else { return left.count < right.count }
            let x = left[index], y = right[index]
            if x >= 0xF0, y == 0xEE || y == 0xEF { return true }
            if y >= 0xF0, x == 0xEE || x == 0xEF { return false }
            return x < y
        }
    }
}
