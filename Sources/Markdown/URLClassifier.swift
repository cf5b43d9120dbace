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
        if url.hasPrefix("//") { return .external }
        if url.hasPrefix("#") { return .fragment }
        if url.isEmpty { return .fragment }

        var pathPart = Substring(url)
        var fragment: String?
        if let hash = pathPart.firstIndex(of: "#") {
            fragment = String(pathPart[pathPart.index(after: hash)...])
            pathPart = pathPart[..<hash]
        }
        if let query = pathPart.firstIndex(of: "?") { pathPart = pathPart[..<query] }
        // Foundation's decoding was most of the time spent on a link; a path without `%` is its own decoding.
        let decoded = pathPart.utf8.contains(UInt8(ascii: "%")) ? String(pathPart).removingPercentEncoding ?? String(pathPart) : String(pathPart)
        let base = decoded.hasPrefix("/") ? [] : folder.split(separator: "/").map(String.init)
        var components = base
        for part in decoded.split(separator: "/") {
            switch part {
            case ".": continue
            case "..":
                // Climbing above the content root cannot name a site file.
                if components.isEmpty { return .content(path: "../" + decoded, fragment: fragment) }
                components.removeLast()
            default: components.append(String(part))
            }
        }
        return .content(path: components.joined(separator: "/"), fragment: fragment)
    }

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
