import Foundation

/// Paths and helpers shared by the test targets: real files, the real binary.
public enum TestPaths {
    /// The package root, found from this source file's location.
    public static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    public static var fixtures: String { packageRoot + "/Tests/Fixtures" }
    public static var content: String { packageRoot + "/Content" }
    public static var theme: String { packageRoot + "/Theme" }
}
