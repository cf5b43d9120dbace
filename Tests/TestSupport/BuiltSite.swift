import Foundation

/// The real site (or another content folder) built once by the real CLI into a
/// temporary folder, for tests that read or browse the output.
public final class BuiltSite: Sendable {
    public let directory: String
    public var output: String { directory + "/Output" }

    public init(content: String = TestPaths.content, theme: String = TestPaths.theme) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("patella-site-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: content, toPath: folder + "/Content")
        try FileManager.default.copyItem(atPath: theme, toPath: folder + "/Theme")
        let result = try CLI.run(["build"], in: folder)
        guard result.status == 0 else { throw TestFailure("build failed:\n\(result.stderr)") }
        directory = folder
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// Every HTML file of the output, as paths relative to Output/.
    public func htmlPages() -> [String] {
        let walker = FileManager.default.enumerator(atPath: output)
        var pages: [String] = []
        while let relative = walker?.nextObject() as? String {
            if relative.hasSuffix(".html") { pages.append(relative) }
        }
        return pages.sorted()
    }
}

public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
