import Foundation
import Testing
import TestSupport

/// Issue 9: what the fuzzer (Fuzz/, `make fuzz`) feeds Patella, built by the real CLI.
/// An input that crashes or hangs the fuzz target goes, once fixed, into
/// Tests/Fixtures/fuzz-regressions/, and runs here beside the fuzzer's seed corpus:
/// each must build, or be refused with errors that name its pages, and never crash or
/// hang. Every fuzz run (`make fuzz`, the end of `make test`) also runs them first
/// under AddressSanitizer, which sees what this test cannot (a read of freed memory).
@Suite struct FuzzRegressionTests {
    /// Where part n of an input (parts are separated by NUL bytes) is written: the
    /// same pages, in the same order, as `fuzzPages` in Fuzz/Sources/PatellaFuzz/PatellaFuzz.swift.
    static let pagePaths = [
        "conditions/fuzz-condition.md", "symptoms/fuzz-symptom.md", "treatments/fuzz-treatment.md",
        "causes/fuzz-cause.md", "diagnostics/fuzz-test.md", "guides/fuzz-guide.md",
    ]

    static let inputs: [String] = ["Tests/Fixtures/fuzz-regressions", "Fuzz/corpus"].flatMap { folder in
        ((try? FileManager.default.contentsOfDirectory(atPath: TestPaths.packageRoot + "/" + folder)) ?? [])
            .filter { !$0.hasPrefix(".") }.sorted().map { folder + "/" + $0 }
    }

    @Test func thereAreInputs() {
        #expect(Self.inputs.contains { $0.hasPrefix("Fuzz/corpus/") }, "the seed corpus is missing")
    }

    @Test("a fuzz input builds, or is refused by name, without a crash", arguments: inputs)
    func fuzzInputBuildsOrIsRefused(_ input: String) async throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: TestPaths.packageRoot + "/" + input))
        // The fuzz target adds its pages to the fixture site, with the real theme.
        let sandbox = try SiteSandbox(theme: TestPaths.theme)
        let parts = [UInt8](bytes).split(separator: 0, maxSplits: Self.pagePaths.count - 1, omittingEmptySubsequences: false)
        var written: [String] = []
        for (part, path) in zip(parts, Self.pagePaths) {
            try Data(part).write(to: URL(fileURLWithPath: sandbox.path + "/Content/" + path))
            written.append("Content/" + path)
        }

        let result = try await PatellaProcess.run(["build", "-q"], in: sandbox.path, timeout: 60)
        #expect(!result.timedOut, "still running after 60 s")
        #expect(result.exitedWith(0) || result.exitedWith(1), "\(result)")
        guard result.exitedWith(1) else { return }
        let errors = result.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(!errors.isEmpty, "a refused build must say why:\n\(result.stderr.prefix(3000))")
        #expect(errors.allSatisfy { line in written.contains { line.hasPrefix($0 + ":") } },
                "every error must name a page of the input (\(written)):\n\(result.stderr.prefix(3000))")
    }
}
