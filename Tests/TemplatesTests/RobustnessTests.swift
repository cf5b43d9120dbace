import Foundation
import Testing
import Templates

/// SplitMix64: a fixed seed gives the same strings on every run and platform.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Tag characters, two names, blanks, line ends, a multibyte character, and whole
/// delimiters so that well-formed tags come up often enough to render.
let fuzzPieces = ["{", "}", "#", "/", "^", ">", "<", "$", "!", "=", "&", ".", "(", ")", "%", "a", "b", " ", "\n", "\r\n", "é", "{{", "}}"]

@Test func randomTemplatesNeverTrap() throws {
    var generator = SeededGenerator(state: 0x5EED)
    let context: TemplateValue = ["a": ["b": "<x>"], "b": ["y", true]]
    var parsed = 0
    for _ in 0..<4_000 {
        let length = Int.random(in: 0...16, using: &generator)
        let text = (0..<length).map { _ in fuzzPieces.randomElement(using: &generator)! }.joined()
        let template: Template
        do {
            template = try Template(text)
        } catch {
            // An error must point inside the text.
            let lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            #expect(error.line >= 1 && error.line <= lines.count, "\(text.debugDescription): line \(error.line)")
            if error.line >= 1 && error.line <= lines.count {
                let characters = String(decoding: lines[error.line - 1], as: UTF8.self).count
                #expect(error.column >= 1 && error.column <= characters + 1, "\(text.debugDescription): column \(error.column)")
            }
            #expect(!error.message.isEmpty)
            continue
        }
        parsed += 1
        // Under the name "a", so `{{>a}}` and `{{<a}}` include the template itself.
        let library = TemplateLibrary(["a": template])
        let output = try #require(library.render("a", context))
        if !text.contains("{{") {
            #expect(output == Array(text.utf8), "\(text.debugDescription) has no tags")
        }
        #expect(library.render("a", context) == output, "rendering \(text.debugDescription) twice differs")
    }
    // The generator must reach the renderer, not only the error paths.
    #expect(parsed > 1_000)
}

// The failures below kill the process (stack overflow) or never end, so each runs in a
// child process; a watchdog turns a hang into a failed exit.

/// Ends the process with a failure if it is still running after `seconds`.
func exitIfStillRunning(after seconds: Double) {
    Thread.detachNewThread {
        Thread.sleep(forTimeInterval: seconds)
        exit(124)
    }
}

@Test func blockNestedInItsOwnOverrideDoesNotCrash() async {
    await #expect(processExitsWith: .success) {
        exitIfStillRunning(after: 2)
        // The override of `b` contains a block `b`, which the override replaces again.
        let child = try Template("{{<p}}{{$b}}[{{$b}}{{/b}}]{{/b}}{{/p}}")
        let parent = try Template("{{$b}}default{{/b}}")
        _ = TemplateLibrary(["child": child, "p": parent]).render("child", [:])
    }
}

@Test func selfIncludingPartialOverAListStops() async {
    await #expect(processExitsWith: .success) {
        exitIfStillRunning(after: 1)
        // Leaves lack `children`, so each finds its parent's list up the stack: an endless
        // tree with two branches a level, which a depth limit alone cuts only after 2^depth includes.
        let tree = try Template("{{#children}}{{>tree}}{{/children}}")
        _ = TemplateLibrary(["tree": tree]).render("tree", ["children": [["name": "a"], ["name": "b"]]])
    }
}

@Test func partialIncludingItselfTwiceStops() async {
    await #expect(processExitsWith: .success) {
        exitIfStillRunning(after: 1)
        let twice = try Template("{{>twice}}{{>twice}}")
        _ = TemplateLibrary(["twice": twice]).render("twice", [:])
    }
}
