import Foundation

/// Paths shared by the test targets: real files, the real binary.
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
    public static var fixtureSite: String { fixtures + "/site" }
    public static var fixtureTheme: String { fixtures + "/theme" }
    public static var content: String { packageRoot + "/Content" }
    public static var theme: String { packageRoot + "/Theme" }

    /// The `patella` executable SwiftPM built next to the test bundle.
    public static let patella: String = {
        if let override = ProcessInfo.processInfo.environment["PATELLA_BIN"] { return override }
        let bundle = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        // The test runner may sit inside PatellaPackageTests.xctest/ or beside it.
        for folder in [bundle, bundle.deletingLastPathComponent()] {
            let candidate = folder.appendingPathComponent("patella").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return packageRoot + "/.build/debug/patella"
    }()
}

/// The result of running the real CLI.
public struct CommandResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

public enum CLI {
    /// Runs `patella` with `arguments` in `directory`, colour off, and waits for it.
    @discardableResult
    public static func run(_ arguments: [String], in directory: String, environment: [String: String] = [:]) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestPaths.patella)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env.merge(environment) { $1 }
        process.environment = env
        // Output goes to files, not pipes, so a chatty run can never block on a full pipe.
        let scratch = try TemporaryDirectory()
        let outPath = scratch.path + "/stdout", errPath = scratch.path + "/stderr"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        defer { try? out.close(); try? err.close() }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return CommandResult(
            status: process.terminationStatus,
            stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        )
    }
}

/// A fresh folder under the system temporary folder, removed when released.
public final class TemporaryDirectory: @unchecked Sendable {
    public let path: String

    public init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("patella-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Copies a folder (e.g. a fixture) to `name` inside this one and returns its path.
    @discardableResult
    public func copy(_ source: String, to name: String) throws -> String {
        let target = path + "/" + name
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: source, toPath: target)
        return target
    }

    /// Writes text at a relative path, creating folders; returns the full path.
    @discardableResult
    public func write(_ text: String, to relative: String) throws -> String {
        let target = path + "/" + relative
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: target, atomically: false, encoding: .utf8)
        return target
    }

    public func read(_ relative: String) throws -> String {
        try String(contentsOfFile: path + "/" + relative, encoding: .utf8)
    }

    public func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: path + "/" + relative)
    }
}

/// A site to build in a test: the fixture site (or the real one) copied into a
/// temporary folder, with the fixture theme, run from that folder.
public final class SiteSandbox: @unchecked Sendable {
    public let directory: TemporaryDirectory

    public init(content: String = TestPaths.fixtureSite + "/Content", theme: String = TestPaths.fixtureTheme) throws {
        directory = try TemporaryDirectory()
        try directory.copy(content, to: "Content")
        try directory.copy(theme, to: "Theme")
    }

    public var path: String { directory.path }

    @discardableResult
    public func patella(_ arguments: String..., environment: [String: String] = [:]) throws -> CommandResult {
        try CLI.run(arguments, in: directory.path, environment: environment)
    }

    /// Every file below `Output/` with its bytes, for before/after comparisons.
    public func outputSnapshot(_ folder: String = "Output") -> [String: Data] {
        let root = path + "/" + folder
        var result: [String: Data] = [:]
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [:] }
        while let relative = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue {
                result[relative] = FileManager.default.contents(atPath: root + "/" + relative)
            }
        }
        return result
    }
}
