@testable import FrontMatter
import Testing

/// The composer over libyaml's events: what Yams' composer gave the decoders (marks,
/// aliases, tags, one document, errors at their place) and what it adds (a duplicate
/// key reported where it is written again, a depth limit, reader errors placed).
@Suite struct YAMLComposerTests {
    func failure(_ yaml: String) -> YAMLError? {
        do {
            _ = try YAMLComposer.compose(yaml)
            return nil
        } catch {
            return error
        }
    }

    @Test func nodesKeepTheirMarksStylesAndTags() throws {
        let root = try #require(try YAMLComposer.compose("a: 1\nlist:\n  - 'x'\n  - !!bool yes\nmap: { k: ~ }\n"))
        guard case .mapping(let pairs, let mark) = root else { Issue.record("not a mapping: \(root)"); return }
        #expect(mark == Mark(line: 1, column: 1))
        #expect(pairs.map { $0.key.string } == ["a", "list", "map"])
        #expect(pairs.map(\.value.mark) == [Mark(line: 1, column: 4), Mark(line: 3, column: 3), Mark(line: 5, column: 6)])
        guard case .sequence(let items, _) = pairs[1].value, case .scalar(let quoted) = items[0], case .scalar(let tagged) = items[1] else {
            Issue.record("not a list of scalars"); return
        }
        #expect(quoted.string == "x" && !quoted.isPlain && quoted.tag == nil)
        #expect(tagged.string == "yes" && tagged.tag == "tag:yaml.org,2002:bool" && YAMLReader.boolean(tagged) == true)
        guard case .mapping(let inner, _) = pairs[2].value else { Issue.record("not a mapping"); return }
        #expect(inner[0].value.isNull && inner[0].value.mark == Mark(line: 5, column: 11))
        #expect(!Node.scalar(.init(string: "null", tag: nil, isPlain: false, mark: mark)).isNull, "a quoted null is text")
        #expect(try YAMLComposer.compose("") == nil && YAMLComposer.compose("# only a comment\n") == nil)
    }

    @Test func aliasesStandForTheirAnchorsNodes() throws {
        let root = try #require(try YAMLComposer.compose("a: &name Knee\nb: *name\n"))
        guard case .mapping(let pairs, _) = root else { Issue.record("not a mapping"); return }
        #expect(pairs[1].value.string == "Knee")
        guard case .syntax(let problem, let mark)? = failure("a: *missing\n") else { Issue.record("no error"); return }
        #expect(problem == "found undefined alias" && mark == Mark(line: 1, column: 4))
    }

    @Test func aDuplicateKeyIsReportedWhereItIsWrittenAgain() {
        guard case .duplicateKey(let key, let mark)? = failure("title: A\nsummary: B\nreviewed:\n  on: 2025-01-01\n  on: 2025-02-01\n") else {
            Issue.record("no duplicate found"); return
        }
        #expect(key == "on" && mark == Mark(line: 5, column: 3))
        // A long mapping (keys kept in a set past the first sixteen) too.
        let long = (0..<40).map { "k\($0): v" }.joined(separator: "\n") + "\nk3: again\n"
        guard case .duplicateKey(let again, let place)? = failure(long) else { Issue.record("no duplicate in a long mapping"); return }
        #expect(again == "k3" && place == Mark(line: 41, column: 1))
        #expect(failure((0..<40).map { "k\($0): v" }.joined(separator: "\n")) == nil)
    }

    @Test func errorsCarryLibyamlsProblemAndPlace() {
        guard case .syntax(let problem, let mark)? = failure("title: A\nsummary: a: b\n") else { Issue.record("no error"); return }
        #expect(problem == "mapping values are not allowed in this context" && mark == Mark(line: 2, column: 11))
        guard case .syntax(let second, let start)? = failure("a: 1\n---\nb: 2\n") else { Issue.record("two documents passed"); return }
        #expect(second.contains("second document") && start == Mark(line: 2, column: 1))
        // A byte YAML does not allow: libyaml gives an offset, placed as a line and column (in characters).
        guard case .syntax(let control, let place)? = failure("title: A\nsummary: é\u{1}\n") else { Issue.record("control character passed"); return }
        #expect(control == "control characters are not allowed" && place == Mark(line: 2, column: 11))
    }

    @Test func nestingIsBounded() {
        let depth = YAMLComposer.maximumDepth
        #expect(failure(String(repeating: "[", count: depth) + String(repeating: "]", count: depth)) == nil)
        guard case .syntax(let problem, let mark)? = failure("x: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth)) else {
            Issue.record("nesting not bounded"); return
        }
        #expect(problem.contains("nested more than") && mark == Mark(line: 1, column: 3 + depth))
    }
}
