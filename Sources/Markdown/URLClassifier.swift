/// Sorts a link or image URL into what the build must do with it.
enum URLClassifier {
    enum Kind: Equatable {
        /// A script-running or local-file scheme: never emitted.
        case dangerous
        /// Another site, `mailto:` and the like: kept as written.
        case external
        /// `#section` in the same page.
        case fragment
        /// A file of this site, as a normalized content-relative path.
        case content(path: String, fragment: String?)
    }

    private static let dangerousSchemes: Set<String> = ["javascript", "vbscript", "data", "file"]

    static func classify(_ url: String, relativeTo folder: String) -> Kind {
        // Browsers ignore ASCII whitespace and control characters inside a scheme,
        // so `java\tscript:` must be caught as `javascript:`. No colon, no scheme: most
        // links of a site are relative, and are spared the copy.
        if url.utf8.contains(UInt8(ascii: ":")) {
            let squeezed = String(String.UnicodeScalarView(url.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F }))
            if let scheme = scheme(of: squeezed) {
                return dangerousSchemes.contains(scheme.lowercased()) ? .dangerous : .external
            }
        }
        // The rest on bytes: split by Characters, classifying was half the time spent on a link.
        // URLs are split at ASCII `#`, `?` and `/` whatever follows them, as browsers do.
        let bytes = Array(url.utf8)
        if bytes.starts(with: [slash, slash]) { return .external }
        if bytes.first == hash || bytes.isEmpty { return .fragment }

        var pathEnd = bytes.firstIndex(of: hash) ?? bytes.count
        let fragment = pathEnd < bytes.count ? String(decoding: bytes[(pathEnd + 1)...], as: UTF8.self) : nil
        if let query = bytes[..<pathEnd].firstIndex(of: UInt8(ascii: "?")) { pathEnd = query }
        var decoded = bytes[..<pathEnd]
        // Foundation's decoding was most of the time spent on a link; a path without `%` is its own decoding.
        if decoded.contains(UInt8(ascii: "%")) {
            let text = String(decoding: decoded, as: UTF8.self)
            decoded = ArraySlice((text.removingPercentEncoding ?? text).utf8)
        }
        var components = decoded.first == slash ? [] : Array(folder.utf8).split(separator: slash)
        for part in decoded.split(separator: slash) {
            if part.count == 1, part.first == dot { continue }
            if part.count == 2, part.allSatisfy({ $0 == dot }) {
                // Climbing above the content root cannot name a site file.
                if components.isEmpty { return .content(path: "../" + String(decoding: decoded, as: UTF8.self), fragment: fragment) }
                components.removeLast()
            } else {
                components.append(part)
            }
        }
        return .content(path: String(decoding: Array(components.joined(separator: [slash])), as: UTF8.self), fragment: fragment)
    }

    private static let slash = UInt8(ascii: "/"), hash = UInt8(ascii: "#"), dot = UInt8(ascii: ".")

    /// The scheme of an absolute URL (`https`, `mailto`), or nil for a relative one.
    static func scheme(of url: String) -> String? {
        guard let colon = url.firstIndex(of: ":") else { return nil }
        let candidate = url[..<colon]
        guard let first = candidate.first, first.isASCII, first.isLetter,
              candidate.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
        else { return nil }
        return String(candidate)
    }
}
