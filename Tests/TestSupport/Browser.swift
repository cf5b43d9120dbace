import Foundation

/// A real headless Chromium driven through chromedriver's W3C WebDriver HTTP API:
/// the few calls the tests need (open a page, run a script, wait for a condition),
/// without a Selenium dependency.
public final class Browser: @unchecked Sendable {
    private let driver: Process
    private let endpoint: String
    private var session = ""

    public static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver")
            && FileManager.default.isExecutableFile(atPath: chromiumBinary)
    }

    /// Debian's /usr/bin/chromium is a wrapper script; chromedriver wants the real binary.
    static let chromiumBinary = "/usr/lib/chromium/chromium"

    public init(width: Int = 1280, height: Int = 900) async throws {
        let port = try FreePort.find()
        endpoint = "http://127.0.0.1:\(port)"
        driver = Process()
        driver.executableURL = URL(fileURLWithPath: "/usr/bin/chromedriver")
        driver.arguments = ["--port=\(port)", "--allowed-ips=127.0.0.1"]
        driver.standardOutput = FileHandle.nullDevice
        driver.standardError = FileHandle.nullDevice
        try driver.run()
        try await waitUntilReady()
        let capabilities: [String: Any] = ["capabilities": ["alwaysMatch": [
            "goog:chromeOptions": [
                "binary": Self.chromiumBinary,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=\(width),\(height)", "--no-first-run", "--disable-extensions"],
            ],
        ]]]
        let created = try await request("POST", "/session", capabilities)
        guard let value = created as? [String: Any], let id = value["sessionId"] as? String else {
            throw BrowserError.protocolError("no session in \(String(describing: created))")
        }
        session = id
    }

    deinit {
        if driver.isRunning { driver.terminate() }
    }

    /// Ends the browser session and chromedriver.
    public func quit() async {
        if !session.isEmpty { _ = try? await request("DELETE", "/session/\(session)", nil) }
        await ChildProcess.stop(driver)
    }

    public func open(_ url: String) async throws {
        _ = try await request("POST", "/session/\(session)/url", ["url": url])
    }

    /// Runs `script` (a function body; `arguments` holds `args`) and returns its JSON result.
    @discardableResult
    public func execute(_ script: String, _ args: [Any] = []) async throws -> Any? {
        try await request("POST", "/session/\(session)/execute/sync", ["script": script, "args": args])
    }

    /// Runs an asynchronous script: it must call `arguments[arguments.length - 1](result)`.
    public func executeAsync(_ script: String, _ args: [Any] = [], timeout: Double = 30) async throws -> Any? {
        _ = try await request("POST", "/session/\(session)/timeouts", ["script": Int(timeout * 1000)])
        return try await request("POST", "/session/\(session)/execute/async", ["script": script, "args": args])
    }

    /// Polls a JavaScript expression until it is truthy; returns false on timeout.
    public func wait(until expression: String, timeout: Double = 10) async throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try await execute("return !!(\(expression));") as? Bool == true { return true }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        return false
    }

    /// Emulates `prefers-color-scheme` through Chromium's DevTools protocol.
    public func emulateColorScheme(_ scheme: String) async throws {
        _ = try await request("POST", "/session/\(session)/goog/cdp/execute", [
            "cmd": "Emulation.setEmulatedMedia",
            "params": ["features": [["name": "prefers-color-scheme", "value": scheme]]],
        ])
    }

    public func screenshot(to path: String) async throws {
        guard let base64 = try await request("GET", "/session/\(session)/screenshot", nil) as? String,
              let data = Data(base64Encoded: base64) else { throw BrowserError.protocolError("no screenshot") }
        try data.write(to: URL(fileURLWithPath: path))
    }

    private func waitUntilReady() async throws {
        for _ in 0..<200 {
            if let status = try? await request("GET", "/status", nil) as? [String: Any], status["ready"] as? Bool == true { return }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        throw BrowserError.protocolError("chromedriver did not start")
    }

    private func request(_ method: String, _ path: String, _ body: [String: Any]?) async throws -> Any? {
        let payload = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        let endpoint = self.endpoint
        // The blocking socket call runs off the cooperative pool, which is two threads here.
        let response = try await Task.detached {
            try LoopbackHTTP.request(method, endpoint + path, body: payload,
                                     headers: payload == nil ? [:] : ["Content-Type": "application/json; charset=utf-8"])
        }.value
        let json = try JSONSerialization.jsonObject(with: response.body, options: [.fragmentsAllowed]) as? [String: Any]
        let value = json?["value"]
        if let error = value as? [String: Any], let kind = error["error"] as? String {
            throw BrowserError.webDriver(kind, error["message"] as? String ?? "")
        }
        return value is NSNull ? nil : value
    }
}

public enum BrowserError: Error, CustomStringConvertible {
    case protocolError(String)
    case webDriver(String, String)

    public var description: String {
        switch self {
        case .protocolError(let text): "WebDriver: \(text)"
        case .webDriver(let kind, let message): "WebDriver \(kind): \(message)"
        }
    }
}

/// Stopping helper processes from async tests. Foundation's `waitUntilExit()` waits
/// on a run loop and was seen to hang forever here, so poll, then force.
public enum ChildProcess {
    public static func stop(_ process: Process) async {
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0..<100 where process.isRunning {
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

public enum FreePort {
    /// Asks the kernel for a free loopback port.
    public static func find() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw BrowserError.protocolError("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A plain static file server on loopback (Python's http.server), for pages that
/// need http:// rather than file://.
public final class StaticServer: @unchecked Sendable {
    private let process = Process()
    public let baseURL: String

    public init(directory: String) async throws {
        let port = try FreePort.find()
        baseURL = "http://127.0.0.1:\(port)/"
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", "http.server", "--bind", "127.0.0.1", "--directory", directory, String(port)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<200 {
            if (try? LoopbackHTTP.request("GET", baseURL, timeout: 2)) != nil { return }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        throw BrowserError.protocolError("static server did not start")
    }

    public func stop() async {
        await ChildProcess.stop(process)
    }

    deinit { if process.isRunning { process.terminate() } }
}
