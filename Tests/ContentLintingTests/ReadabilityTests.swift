@testable import ContentLinting
import Testing

@Suite struct ReadabilityTests {
    @Test("syllable counts of common words", arguments: [
        ("knee", 1), ("the", 1), ("cartilage", 3), ("ibuprofen", 4), ("swelling", 2), ("table", 2),
        ("rest", 1), ("injury", 3), ("walked", 1), ("wanted", 2), ("arthroscopic", 4), ("make", 1),
    ])
    func syllables(_ word: String, _ expected: Int) {
        #expect(Readability.syllables(in: word) == expected)
    }

    @Test func simpleProseScoresLow() {
        let text = "Rest your knee. Put ice on it for ten minutes. Raise your leg on a pillow.\nSee a doctor if it still hurts."
        let score = Readability(prose: text)
        #expect(score.sentences == 4)
        #expect(score.words == 23)
        #expect(score.fleschKincaidGrade < 3)
    }

    @Test func denseProseScoresHigh() {
        let text = "Viscosupplementation introduces exogenous hyaluronic preparations intra-articularly, theoretically restoring viscoelastic properties of degenerative synovial environments."
        #expect(Readability(prose: text).fleschKincaidGrade > 16)
        #expect(Readability(prose: text).smogGrade > 12)
    }

    @Test func longSentencesAreFoundByWordCount() {
        let long = Array(repeating: "word", count: 26).joined(separator: " ") + "."
        let short = Array(repeating: "word", count: 25).joined(separator: " ") + "."
        #expect(Readability(prose: long + " " + short).longSentences.count == 1)
    }

    @Test func listItemsWithoutFullStopsAreSentences() {
        #expect(Readability(prose: "one item\nsecond item\nthird item").sentences == 3)
    }
}
