import Foundation
import Testing
import TestSupport

/// `Content/search-tests.yml` through the real CLI: pinned searches that hold are
/// silent, one that falls out of its place fails `check` and `build` like any error.
/// (`Tests/Fixtures/invalid/search-test*` also run through `InvalidContentTests`.)
@Suite struct SearchTestsCheckTests {
    @Test func searchesInTheirPlaceCheckCleanAndBuild() throws {
        let sandbox = try SiteSandbox()
        try sandbox.directory.write("""
        # Searches of the fixture site.
        - query: dull pain
          expect: ache
        - query: runner's sample
          expect: sample-condition
          within: 1
        - query: cold packs
          expect: icing
        """, to: "Content/search-tests.yml")
        let check = try sandbox.patella("check", "--strict")
        #expect(check.status == 0, "\(check.stderr)")
        #expect(!check.stderr.contains("search-tests.yml"))
        let build = try sandbox.patella("build")
        #expect(build.status == 0, "\(build.stderr)")
        #expect(!sandbox.directory.exists("Output/search-tests.yml"), "the tests are not part of the site")
    }

    @Test func aSearchThatFellIsAnErrorWithTheLineCaretAndResults() throws {
        let sandbox = try InvalidContentTests.sandbox(for: "search-test-regression")
        let result = try sandbox.patella("check")
        #expect(result.status == 1)
        #expect(result.stderr.contains("""
        Content/search-tests.yml:4:10: error: search "knee" ranks 'help' 4th; expected in the top 3
            - query: knee
                     ^
        hint: results: 1. Strain, 2. Scan, 3. Sample condition
        Content/search-tests.yml:6:10: error: search "operation" does not find 'icing'; expected first
            - query: operation
                     ^
        hint: results: 1. Surgery
        """), "\(result.stderr)")
        #expect(result.stdout.contains("2 errors, 0 warnings"), "\(result.stdout)")
    }

    @Test func unknownKeysAndPagesAreExplained() throws {
        let sandbox = try InvalidContentTests.sandbox(for: "search-tests-invalid")
        let result = try sandbox.patella("check")
        #expect(result.status == 1)
        for hint in ["hint: did you mean 'ache'?", "hint: write the page's id, its file name without .md, such as 'icing'",
                     "hint: did you mean 'within'?"] {
            #expect(result.stderr.contains(hint), "\(result.stderr)")
        }
    }

    @Test func jsonCarriesTheRuleAndThePlace() throws {
        let sandbox = try InvalidContentTests.sandbox(for: "search-test-regression")
        let result = try sandbox.patella("check", "--format", "json")
        #expect(result.status == 1)
        let diagnostics = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(diagnostics.map { $0["code"] as? String } == ["search-rank", "search-rank"])
        let location = try #require(diagnostics.first?["location"] as? [String: Any])
        #expect(location["file"] as? String == "Content/search-tests.yml")
        #expect(location["line"] as? Int == 4)
        #expect(location["column"] as? Int == 10)
    }
}
