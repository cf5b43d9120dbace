import Foundation
import Testing
import TestSupport

/// One fixture per validation rule: the valid fixture site with the files of
/// `Tests/Fixtures/invalid/<case>/` laid over it, checked by the real CLI.
/// `expected.txt` holds the exact first line of every diagnostic the case must give.
@Suite struct InvalidContentTests {
    static let cases: [String] = {
        let root = TestPaths.fixtures + "/invalid"
        return ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted()
    }()

    static func sandbox(for name: String) throws -> SiteSandbox {
        let sandbox = try SiteSandbox()
        let overlay = TestPaths.fixtures + "/invalid/\(name)/Content"
        let walker = FileManager.default.enumerator(atPath: overlay)
        while let relative = walker?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: overlay + "/" + relative, isDirectory: &isDirectory)
            if !isDirectory.boolValue {
                try sandbox.directory.write(String(contentsOfFile: overlay + "/" + relative, encoding: .utf8), to: "Content/" + relative)
            }
        }
        return sandbox
    }

    static func expected(_ name: String) throws -> [String] {
        try String(contentsOfFile: TestPaths.fixtures + "/invalid/\(name)/expected.txt", encoding: .utf8)
            .split(separator: "\n").map(String.init)
    }

    @Test func everyRuleHasAFixture() {
        #expect(Self.cases.count >= 20)
    }

    @Test("check reports exactly the expected diagnostics", arguments: cases)
    func checkReports(_ name: String) throws {
        let sandbox = try Self.sandbox(for: name)
        let expected = try Self.expected(name)
        #expect(!expected.isEmpty, "fixture \(name) must expect at least one diagnostic")
        let result = try sandbox.patella("check")
        let reported = result.stderr.split(separator: "\n").map(String.init)
            .filter { $0.hasPrefix("Content/") && ($0.contains(": error: ") || $0.contains(": warning: ")) }
        #expect(reported == expected, "stderr was:\n\(result.stderr)")
        let hasErrors = expected.contains { $0.contains(": error: ") }
        #expect(result.status == (hasErrors ? 1 : 0))
        if !hasErrors {
            #expect(try sandbox.patella("check", "--strict").status == 1)
        }
    }

    @Test("build writes nothing when check fails", arguments: cases)
    func buildLeavesOutputUntouched(_ name: String) throws {
        let sandbox = try Self.sandbox(for: name)
        guard try Self.expected(name).contains(where: { $0.contains(": error: ") }) else { return }
        // A previous good site, which must survive the failed build byte for byte.
        try sandbox.directory.write("previous site\n", to: "Output/index.html")
        try sandbox.directory.write("Built by Patella.\n", to: "Output/.patella-output")
        let before = sandbox.outputSnapshot()
        let result = try sandbox.patella("build")
        #expect(result.status == 1)
        #expect(result.stderr.contains("nothing was written"))
        #expect(sandbox.outputSnapshot() == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: sandbox.path).filter { $0.contains("staging") }
        #expect(leftovers.isEmpty)
    }

    @Test func jsonFormatCarriesFileLineColumn() throws {
        let sandbox = try Self.sandbox(for: "unknown-key")
        let result = try sandbox.patella("check", "--format", "json")
        #expect(result.status == 1)
        let diagnostics = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]
        let first = try #require(diagnostics?.first)
        #expect(first["code"] as? String == "key-unknown")
        #expect(first["severity"] as? String == "error")
        #expect(first["hint"] as? String == "did you mean 'aliases'?")
        let location = try #require(first["location"] as? [String: Any])
        #expect(location["file"] as? String == "Content/symptoms/ache.md")
        #expect(location["line"] as? Int == 4)
        #expect(location["column"] as? Int == 1)
    }

    @Test func textFormatShowsSourceLineCaretAndHint() throws {
        let sandbox = try Self.sandbox(for: "bad-care-value")
        let result = try sandbox.patella("check")
        #expect(result.stderr.contains("""
        Content/treatments/icing.md:4:7: error: 'care' must be one of self-care, clinician, procedure, surgery; found 'selfcare'
            care: selfcare
                  ^
        hint: did you mean 'self-care'?
        """))
    }
}
