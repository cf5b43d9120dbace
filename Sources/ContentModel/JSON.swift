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

    /// The UTF-8 bytes: what files are written from. The writer appends bytes, not
    /// Strings: appending to a String (its capacity and ASCII checks) cost as much as
    /// the escaping itself.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        write(into: &out)
        return out
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The text, safe inside an HTML `<script>` element: `<`, `>` and `&` are escaped
    /// too, so a value containing `</script>` stays data.
    public var scriptSafeText: String {
        var out: [UInt8] = []
        write(into: &out, scriptSafe: true)
        return String(decoding: out, as: UTF8.self)
    }

    public func write(into out: inout [UInt8], scriptSafe: Bool = false) {
        switch self {
        case .string(let value):
            JSON.writeString(value, into: &out, scriptSafe: scriptSafe)
        case .int(let value):
            out.appendDecimal(value)
        case .decimal(let value):
            out += JSON.decimalText(value).utf8
        case .array(let values):
            out.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                value.write(into: &out, scriptSafe: scriptSafe)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, member) in members.sorted(by: { utf16Less($0.key, $1.key) }).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSON.writeString(member.key, into: &out, scriptSafe: scriptSafe)
                out.append(UInt8(ascii: ":"))
                member.value.write(into: &out, scriptSafe: scriptSafe)
            }
            out.append(UInt8(ascii: "}"))
        case .raw(let text):
            out += text.utf8
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

    /// The string quoted and escaped: controls, `"`, `\\`, U+2028/U+2029 (which end a line
    /// in JavaScript source), and with `scriptSafe` `<`, `>` and `&`. The runs between
    /// escapes are copied whole: appending scalar by scalar was most of the time spent
    /// writing a large site's search index.
    public static func writeString(_ value: String, into out: inout [UInt8], scriptSafe: Bool = false) {
        // The bytes that may start an escape, as bit sets by the byte's top two bits: a
        // test per byte of the plain runs (most of the text) instead of a switch.
        let low: UInt64 = 0xFFFF_FFFF | 1 << 0x22 | (scriptSafe ? 1 << 0x26 | 1 << 0x3C | 1 << 0x3E : 0)
        let middle: UInt64 = 1 << (0x5C - 0x40), top: UInt64 = 1 << (0xE2 - 0xC0)
        out.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes in
            var runStart = 0, offset = 0
            while true {
                while offset < bytes.count {
                    let byte = bytes[offset]
                    let set = byte < 0x40 ? low : byte < 0x80 ? middle : byte < 0xC0 ? 0 : top
                    if set >> (byte & 63) & 1 != 0 { break }
                    offset += 1
                }
                guard offset < bytes.count else { break }
                let byte = bytes[offset]
                let escape: String
                var length = 1
                switch byte {
                case UInt8(ascii: "\""): escape = "\\\""
                case UInt8(ascii: "\\"): escape = "\\\\"
                case UInt8(ascii: "\n"): escape = "\\n"
                case UInt8(ascii: "\r"): escape = "\\r"
                case UInt8(ascii: "\t"): escape = "\\t"
                case 0..<0x20:
                    let hex = String(byte, radix: 16)
                    escape = "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                case UInt8(ascii: "<"): escape = "\\u003c"
                case UInt8(ascii: ">"): escape = "\\u003e"
                case UInt8(ascii: "&"): escape = "\\u0026"
                case 0xE2 where offset + 2 < bytes.count && bytes[offset + 1] == 0x80 && bytes[offset + 2] & 0xFE == 0xA8:
                    escape = bytes[offset + 2] == 0xA8 ? "\\u2028" : "\\u2029"
                    length = 3
                default:
                    // Another character starting with E2 (a dash, a quotation mark).
                    offset += 1
                    continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<offset]))
                out += escape.utf8
                offset += length
                runStart = offset
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        out.append(UInt8(ascii: "\""))
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
