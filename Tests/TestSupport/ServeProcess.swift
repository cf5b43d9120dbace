import Foundation

/// `patella serve` running as a real subprocess on a free loopback port.
public final class ServeProcess: @unchecked Sendable {
    public let process = Process()
    public let port: Int
    public let logPath: String
    public var baseURL: String { "http://127.0.0.1:\(port)/" }

    public init(in directory: String, arguments: [String] = [], environment extra: [String: String] = [:]) async throws {
        port = try FreePort.find()
        logPath = directory + "/serve.log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let logFile = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.executableURL = URL(fileURLWithPath: TestPaths.patella)
        process.arguments = ["serve", "--port", String(port)] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment.merge(extra) { $1 }
        process.environment = environment
        process.standardOutput = logFile
        process.standardError = logFile
        process.standardInput = FileHandle.nullDevice
        try process.run()
        for _ in 0..<600 {
            if self.log().contains("Serving http://") { return }
            guard process.isRunning else { break }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        throw TestFailure("patella serve did not start:\n\(self.log())")
    }

    public func log() -> String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    public func get(_ path: String) async throws -> LoopbackHTTP.Response {
        let url = baseURL + path
        return try await Task.detached { try LoopbackHTTP.request("GET", url, timeout: 10) }.value
    }

    /// Sends Ctrl-C and waits for the exit; returns the exit status, or nil if it hung.
    public func interrupt(timeout: Double = 10) async -> Int32? {
        process.interrupt()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { try? await Task.sleep(nanoseconds: 50_000_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            return nil
        }
        return process.terminationStatus
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
}

/// Reads a server-sent event stream as it arrives.
public final class EventStreamReader: @unchecked Sendable {
    private let fd: Int32
    private var received = Data()

    public init(url: String) throws {
        guard let components = URLComponents(string: url), let port = components.port else { throw TestFailure("bad URL \(url)") }
        fd = try LoopbackHTTP.connectLoopback(port: port, receiveTimeout: 0.2)
        let request = "GET \(components.path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
    }

    deinit { close(fd) }

    public var text: String { String(decoding: received, as: UTF8.self) }

    /// Waits until `needle` has arrived `occurrence` times in all. The socket is read
    /// before every check, the last one too: under CI's load (every suite at once on two
    /// cores) this task can wait its turn past the deadline, and a check made then without
    /// reading first can miss an event that has arrived (CI failed so: the test took 165 s
    /// and serve's log showed the rebuild done). A passing test never waits the timeout out.
    public func wait(for needle: String, occurrence: Int = 1, timeout: Double = 60) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 8192)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n > 0 {
                received.append(contentsOf: buffer[0..<n])
                continue  // read all that has come before judging
            }
            if text.components(separatedBy: needle).count - 1 >= occurrence { return true }
            if Date() >= deadline { return false }
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
    }
}
