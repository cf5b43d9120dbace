import Foundation

/// Maps request paths to files of the built site, the way a static host would:
/// folders serve their index.html, a folder without its slash is redirected, and
/// nothing outside the output folder can ever be named.
struct SiteFiles: Sendable {
    enum Lookup: Equatable {
        case file(path: String, contentType: String)
        case redirect(String)
        case forbidden
        case notFound
    }

    let root: String

    init(root: String) {
        self.root = URL(fileURLWithPath: root).standardizedFileURL.path
    }

    func lookup(_ requestPath: String) -> Lookup {
        guard let decoded = requestPath.removingPercentEncoding else { return .forbidden }
        let parts = decoded.split(separator: "/", omittingEmptySubsequences: true)
        // `..` (however it was encoded), `.`, backslashes and NUL never name a site file.
        if parts.contains(where: { $0 == ".." || $0 == "." || $0.contains("\\") || $0.contains("\0") }) { return .forbidden }
        if parts.first?.hasPrefix(".") == true { return .notFound }
        var path = root + (parts.isEmpty ? "" : "/" + parts.joined(separator: "/"))
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .notFound }
        if isDirectory.boolValue {
            guard decoded.hasSuffix("/") else { return .redirect(requestPath + "/") }
            path += "/index.html"
            guard FileManager.default.fileExists(atPath: path) else { return .notFound }
        }
        // Belt and braces: the real file must still be inside the site.
        let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let realRoot = URL(fileURLWithPath: root).resolvingSymlinksInPath().path
        guard real.hasPrefix(realRoot + "/") else { return .forbidden }
        return .file(path: path, contentType: Self.contentType(for: path))
    }

    static let contentTypes: [String: String] = [
        "html": "text/html; charset=utf-8", "css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8",
        "json": "application/json", "xml": "application/xml; charset=utf-8", "txt": "text/plain; charset=utf-8",
        "svg": "image/svg+xml", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
        "webp": "image/webp", "avif": "image/avif", "ico": "image/x-icon", "pdf": "application/pdf",
        "woff2": "font/woff2", "woff": "font/woff", "mp4": "video/mp4", "webm": "video/webm",
    ]

    static func contentType(for path: String) -> String {
        if path.hasSuffix("feed.xml") { return "application/atom+xml; charset=utf-8" }
        let ext = (path as NSString).pathExtension.lowercased()
        return contentTypes[ext] ?? "application/octet-stream"
    }

    /// Adds the live-reload script to an HTML page, just before `</body>`.
    static func injectLiveReload(into html: String) -> String {
        guard let body = html.range(of: "</body>", options: [.backwards, .caseInsensitive]) else {
            return html + LiveReloadScript.tag
        }
        return html.replacingCharacters(in: body, with: LiveReloadScript.tag + "\n</body>")
    }
}
