import Foundation
import Testing
import TestSupport
@testable import SearchIndex

/// The cases Tests/js/vectors.test.mjs runs too: both sides must give these exact words and stems.
@Suite struct VectorTests {
    struct Vectors: Decodable {
        struct Case: Decodable {
            var input: String
            var tokens: [String]
            var stems: [String]
            var note: String
        }
        var tokenize: [Case]
        var stem: [[String]]
    }

    static let vectors: Vectors = {
        let url = URL(fileURLWithPath: TestPaths.fixtures + "/search-vectors.json")
        return try! JSONDecoder().decode(Vectors.self, from: Data(contentsOf: url))
    }()

    @Test func tokenizerGivesTheSharedWords() {
        #expect(Self.vectors.tokenize.count > 30)
        for testCase in Self.vectors.tokenize {
            #expect(Tokenizer.tokens(testCase.input) == testCase.tokens, "\(testCase.note): \(testCase.input.debugDescription)")
        }
    }

    /// Words longer than the tokenizer's first buffer (64 bytes), ASCII and not, whole.
    @Test func longWordsAndCompoundsComeOutWhole() {
        let long = String(repeating: "knee", count: 40), accented = String(repeating: "gen\u{F3}", count: 30)
        #expect(Tokenizer.tokens("a \(long) b \(accented)") == ["a", long, "b", String(repeating: "geno", count: 30)])
        #expect(Tokenizer.hyphenCompounds("\(long)-\(long)") == [long + long])
    }

    @Test func stemsOfTokenizedWordsMatch() {
        for testCase in Self.vectors.tokenize {
            #expect(Tokenizer.tokens(testCase.input).map(Stemmer.stem) == testCase.stems, "\(testCase.note)")
        }
    }

    @Test func porter2MatchesTheReferenceStems() {
        #expect(Self.vectors.stem.count > 1000)
        var mismatches: [String] = []
        for pair in Self.vectors.stem where Stemmer.stem(pair[0]) != pair[1] {
            mismatches.append("\(pair[0]) -> \(Stemmer.stem(pair[0])), expected \(pair[1])")
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
    }

    @Test(arguments: [
        ("running", "run"), ("knees", "knee"), ("generously", "generous"), ("arthroscopic", "arthroscop"),
        ("inflammation", "inflamm"), ("swelling", "swell"), ("stairs", "stair"), ("ibuprofen", "ibuprofen"),
        ("caresses", "caress"), ("ponies", "poni"), ("sky", "sky"), ("dying", "die"), ("news", "news"),
        ("skis", "ski"), ("gently", "gentl"), ("runners", "runner"), ("ubermassig", "ubermassig"),
    ])
    func namedEdgeCases(word: String, stem: String) {
        #expect(Stemmer.stem(word) == stem)
        #expect(Self.vectors.stem.contains([word, stem]), "the vectors file holds \(word)")
    }

    /// `PATELLA_STEM_LIST=/path/to/list.tsv` (word TAB reference stem per line) checks a
    /// long list, e.g. one made with the Snowball reference over a dictionary.
    @Test func optionalLongStemList() throws {
        guard let path = ProcessInfo.processInfo.environment["PATELLA_STEM_LIST"] else { return }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var checked = 0, wrong: [String] = []
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            checked += 1
            if Stemmer.stem(String(parts[0])) != String(parts[1]) { wrong.append(String(line)) }
        }
        #expect(checked > 0)
        #expect(wrong.isEmpty, "\(wrong.count) of \(checked) differ: \(wrong.prefix(20))")
    }
}

@Suite struct WordWeightsTests {
    /// The table sums as a dictionary of Strings does, past several growths, with words
    /// that share prefixes, differ only in length, or are not ASCII.
    @Test func sumsAsADictionaryDoes() {
        var random = SplitMix(seed: 9)
        let letters = Array("abcdeéσ")
        var words: [String] = []
        for _ in 0..<3_000 {
            words.append(String((0..<Int.random(in: 1...7, using: &random)).map { _ in letters.randomElement(using: &random)! }))
        }
        var table = WordWeights()
        var expected: [String: Int32] = [:]
        for (position, word) in words.enumerated() {
            let weight = Int32(position % 10 + 1)
            var bytes = Array(word.utf8)
            bytes.withUnsafeMutableBufferPointer { table.add(UnsafeBufferPointer($0), weight: weight) }
            expected[word, default: 0] += weight
        }
        let entries = table.entries
        #expect(entries.count == expected.count && expected.count > 600)
        #expect(Dictionary(uniqueKeysWithValues: entries.map { ($0.word, $0.weight) }) == expected)
        // In the order first seen.
        var seen = Set<String>()
        #expect(entries.map(\.word) == words.filter { seen.insert($0).inserted })
    }
}

@Suite struct SnippetLineTests {
    @Test func linesAreTrimmedAndTheirWhiteSpaceCollapsed() {
        let text = "  a \t b\u{A0}c\u{2028}d\r\n\u{3000}e  \u{85}f\u{1F9B5}  g\n\n\u{E9}t\u{E9}\u{2009}\u{2009}x \u{200B}y"
        #expect(DocumentBuilder.collapsedLines(text) == ["a b c", "d", "e", "f\u{1F9B5} g", "\u{E9}t\u{E9} x \u{200B}y"])
        #expect(DocumentBuilder.collapsedLines(" \n\t\n").isEmpty)
    }

    /// Against the rule written out scalar by scalar, on seeded text of collapsed lines
    /// (given as they are) and of every kind of white space and line break.
    @Test func collapsingFollowsTheRuleOnSeededText() {
        func reference(_ text: String) -> [String] {
            var lines: [String] = [], line = "", pendingSpace = false
            for scalar in text.unicodeScalars {
                if [0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029].contains(scalar.value) {
                    if !line.isEmpty { lines.append(line) }
                    line = ""
                    pendingSpace = false
                } else if scalar.properties.isWhitespace {
                    pendingSpace = !line.isEmpty
                } else {
                    if pendingSpace { line += " " }
                    pendingSpace = false
                    line.unicodeScalars.append(scalar)
                }
            }
            if !line.isEmpty { lines.append(line) }
            return lines
        }
        let pieces = ["Knee", "pain", "a", "é", "\u{1F9B5}", " ", " ", "  ", "\t", "\n", "\n", "\r\n", "\u{A0}", "\u{2009}",
                      "\u{2028}", "\u{85}", "\u{3000}", "\u{200B}", "~", "-", "."]
        var generator = SplitMix(seed: 11)
        for _ in 0..<3_000 {
            let text = (0..<Int.random(in: 0...14, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            #expect(DocumentBuilder.collapsedLines(text) == reference(text), "\(Array(text.unicodeScalars))")
        }
    }

    @Test func snippetTextLeavesOutHeadingLines() {
        let body = "Knee pain\nRest  the knee.\nWhen to  get help\nCall 999.\nKnee pain"
        #expect(DocumentBuilder.snippetText(body, headings: ["Knee  pain", "When to get help"]) == "Rest the knee.\nCall 999.")
    }
}
