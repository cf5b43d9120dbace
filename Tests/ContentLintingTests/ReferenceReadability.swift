@testable import ContentLinting
import Testing
import TestSupport

/// The scalar-by-scalar counter Readability used before it became a value with
/// mutating steps, kept as the specification the faster one is tested against.
struct ReferenceReadability: Equatable {
    var sentences: Int
    var words: Int
    var syllables: Int
    var polysyllables: Int
    var longSentences: [String]

    init(prose: String) {
        var sentences = 0, words = 0, syllables = 0, polysyllables = 0
        var long: [String] = []
        var word: [Unicode.Scalar] = []
        word.reserveCapacity(32)
        var wordHasLetter = false
        var sentenceWords = 0
        // Its first words, space-separated, to name a long sentence; scalars in one reused
        // buffer, since a String per word was most of the remaining time.
        var sentenceStart: [Unicode.Scalar] = []
        var sentenceStartWords = 0
        var lettersOnly: [Unicode.Scalar] = []
        var previous: Unicode.Scalar = " "

        func endWord() {
            defer { word.removeAll(keepingCapacity: true); wordHasLetter = false }
            guard wordHasLetter else { return }
            var start = 0, end = word.count
            while start < end, isJoiner(word[start]) { start += 1 }
            while end > start, isJoiner(word[end - 1]) { end -= 1 }
            guard start < end else { return }
            let letters = word[start..<end]
            words += 1
            sentenceWords += 1
            if sentenceStartWords < 8 {
                if sentenceStartWords > 0 { sentenceStart.append(" ") }
                sentenceStart.append(contentsOf: letters)
                sentenceStartWords += 1
            }
            lettersOnly.removeAll(keepingCapacity: true)
            for scalar in letters where isLetter(scalar) { lettersOnly.append(scalar) }
            let count = Readability.syllables(inLetters: lettersOnly)
            syllables += count
            if count >= 3 { polysyllables += 1 }
        }
        func endSentence() {
            endWord()
            if sentenceWords > 0 { sentences += 1 }
            if sentenceWords > Readability.longSentenceWords {
                var text = String.UnicodeScalarView()
                text.append(contentsOf: sentenceStart)
                long.append(String(text) + " …")
            }
            sentenceWords = 0
            sentenceStartWords = 0
            sentenceStart.removeAll(keepingCapacity: true)
        }
        for scalar in prose.unicodeScalars {
            if scalar == "\n" {
                endSentence()
                previous = " "
                continue
            }
            if isLetter(scalar) {
                if scalar.isASCII {
                    word.append(("A"..."Z").contains(scalar) ? Unicode.Scalar(scalar.value + 32)! : scalar)
                } else {
                    word.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
                }
                wordHasLetter = true
            } else if ("0"..."9").contains(scalar) || isJoiner(scalar) {
                word.append(scalar)
            } else {
                endWord()
                if scalar == " ", previous == "." || previous == "!" || previous == "?" { endSentence() }
            }
            previous = scalar
        }
        endSentence()
        self.sentences = sentences
        self.words = words
        self.syllables = syllables
        self.polysyllables = polysyllables
        self.longSentences = long
    }

}

private func isJoiner(_ scalar: Unicode.Scalar) -> Bool { scalar == "'" || scalar == "\u{2019}" || scalar == "-" }

private func isLetter(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.isASCII { return ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) }
    return scalar.properties.isAlphabetic
}

@Suite struct ReadabilityEquivalenceTests {
    /// Seeded random prose from pieces that exercise every branch: capitals, digits,
    /// joiners at word edges and inside, curly apostrophes, accented and other-script
    /// letters (one whose lower-case mapping adds a mark), sentence ends with and
    /// without a following space, blank and long lines.
    @Test func countsAsTheReferenceDoes() {
        let pieces = ["Knee", "pain", "the", "CARTILAGE", "walked", "wanted", "runner's", "runner\u{2019}s", "-edge-", "'quoted'",
                      "x-ray", "2", "10th", "café", "Über", "naïve", "İstanbul", "колено", "膝", "table", "arthroscopic",
                      ".", "!", "?", ",", ";", " ", "  ", "\n", "\n\n", ". ", "! ", "? ", "e", "es", "ed", "lle", "--", "\u{2019}"]
        var generator = SplitMix(seed: 42)
        for round in 0..<400 {
            var text = ""
            for _ in 0..<Int.random(in: 0...120, using: &generator) {
                text += pieces.randomElement(using: &generator)!
                if Bool.random(using: &generator) { text += " " }
            }
            let fast = Readability(prose: text)
            let reference = ReferenceReadability(prose: text)
            #expect(fast.sentences == reference.sentences && fast.words == reference.words && fast.syllables == reference.syllables
                    && fast.polysyllables == reference.polysyllables && fast.longSentences == reference.longSentences,
                    "round \(round): \(text.debugDescription)")
            if fast.words != reference.words || fast.syllables != reference.syllables { break }
        }
    }
}
