/// A small JSON writer whose output is the same bytes on every run and platform:
/// object keys sorted by UTF-16 code units, numbers written by integer arithmetic,
/// no white space, "/" not escaped, and U+2028/U+2029 escaped (safe inside a script).
indirect enum JSON {
    case string(String)
    case int(Int)
    /// A decimal number, rounded to at most 3 fraction digits.
    case decimal(Double)
    case array([JSON])
    case object([String: JSON])
    /// Already serialized JSON, inserted as it is.
    case raw(String)

    var text: String {
        var out = ""
        write(into: &out)
        return out
    }

    func write(into out: inout String) {
        switch self {
        case .string(let value):
            JSON.writeString(value, into: &out)
        case .int(let value):
            out += String(value)
        case .decimal(let value):
            out += JSON.decimalText(value)
        case .array(let values):
            out += "["
            for (index, value) in values.enumerated() {
                if index > 0 { out += "," }
                value.write(into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, key) in members.keys.sorted(by: utf16Less).enumerated() {
                if index > 0 { out += "," }
                JSON.writeString(key, into: &out)
                out += ":"
                members[key]!.write(into: &out)
            }
            out += "}"
        case .raw(let text):
            out += text
        }
    }

    static func decimalText(_ value: Double) -> String {
        let thousandths = Int((value * 1000).rounded())
        let sign = thousandths < 0 ? "-" : ""
        let magnitude = abs(thousandths)
        var fraction = String(magnitude % 1000)
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return sign + String(magnitude / 1000) + (fraction.isEmpty ? "" : "." + fraction)
    }

    static func writeString(_ value: String, into out: inout String) {
        out += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    static func strings(_ values: [String]) -> JSON { .array(values.map(JSON.string)) }
}
