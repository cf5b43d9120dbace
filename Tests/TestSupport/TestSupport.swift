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
        let running = try PatellaProcess.start(arguments, in: directory, environment: environment)
        running.process.waitUntilExit()
        let outcome = running.outcome(timedOut: false)
        return CommandResult(status: outcome.status, stdout: outcome.stdout, stderr: outcome.stderr)
    }
}

/// The real CLI as a subprocess that is polled, not waited on: output goes to files
/// (a chatty run can never block on a full pipe), and a run can have a deadline.
public enum PatellaProcess {
    public struct Outcome: CustomStringConvertible, Sendable {
        public var status: Int32
        public var signaled: Bool
        public var timedOut: Bool
        public var seconds: Double
        public var stdout: String
        public var stderr: String

        public func exitedWith(_ code: Int32) -> Bool { !signaled && !timedOut && status == code }

        public var description: String {
            let how = timedOut ? "timed out" : signaled ? "killed by signal \(status)" : "exit \(status)"
            return "\(how) after \(String(format: "%.2f", seconds)) s\nstderr:\n\(stderr.prefix(4000))"
        }
    }

    public final class Running: @unchecked Sendable {
        public let process: Process
        let scratch: TemporaryDirectory
        let started = Date()

        init(process: Process, scratch: TemporaryDirectory) {
            self.process = process
            self.scratch = scratch
        }

        /// Polls until the process is gone (Foundation reaps it), or the deadline passes.
        @discardableResult
        public func waitForExit(timeout: Double = .infinity) async -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning {
                if Date() >= deadline { return false }
                try? await Task.sleep(nanoseconds: 20_000_000)
            }
            return true
        }

        public func outcome(timedOut: Bool) -> Outcome {
            Outcome(
                status: process.terminationStatus,
                signaled: process.terminationReason == .uncaughtSignal,
                timedOut: timedOut,
                seconds: Date().timeIntervalSince(started),
                stdout: (try? String(contentsOfFile: scratch.path + "/stdout", encoding: .utf8)) ?? "",
                stderr: (try? String(contentsOfFile: scratch.path + "/stderr", encoding: .utf8))
                    ?? String(decoding: FileManager.default.contents(atPath: scratch.path + "/stderr") ?? Data(), as: UTF8.self)
            )
        }
    }

    public static func start(_ arguments: [String], in directory: String, environment: [String: String] = [:],
                      launcher: [String] = []) throws -> Running {
        let process = Process()
        if let tool = launcher.first {
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = Array(launcher.dropFirst()) + [TestPaths.patella] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: TestPaths.patella)
            process.arguments = arguments
        }
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env.merge(environment) { $1 }
        process.environment = env
        let scratch = try TemporaryDirectory()
        _ = FileManager.default.createFile(atPath: scratch.path + "/stdout", contents: nil)
        _ = FileManager.default.createFile(atPath: scratch.path + "/stderr", contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch.path + "/stdout"))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch.path + "/stderr"))
        defer { try? out.close(); try? err.close() }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return Running(process: process, scratch: scratch)
    }

    /// Runs to the end, or SIGKILLs the process at the deadline and says so.
    public static func run(_ arguments: [String], in directory: String, timeout: Double = 120,
                    environment: [String: String] = [:], launcher: [String] = []) async throws -> Outcome {
        let running = try start(arguments, in: directory, environment: environment, launcher: launcher)
        if await running.waitForExit(timeout: timeout) { return running.outcome(timedOut: false) }
        if running.process.isRunning { kill(running.process.processIdentifier, SIGKILL) }
        await running.waitForExit()
        return running.outcome(timedOut: true)
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

    /// The files of `Output/` that are missing from, extra to, or different in `other`, sorted.
    public func outputDiffers(from other: [String: Data]) -> [String] {
        let mine = outputSnapshot()
        return Set(mine.keys).symmetricDifference(other.keys)
            .union(mine.keys.filter { other[$0] != nil && mine[$0] != other[$0] }).sorted()
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

/// SplitMix64, seeded: the same "random" inputs on every run, so a failing case can be
/// run again.
public struct SplitMix: RandomNumberGenerator {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
