import Foundation

/// Reading-level scores of plain English prose: Flesch–Kincaid grade and SMOG.
public struct Readability: Sendable, Equatable {
    public var sentences: Int
    public var words: Int
    public var syllables: Int
    /// Words of three or more syllables.
    public var polysyllables: Int
    /// Sentences longer than the long-sentence limit, as their first words.
    public var longSentences: [String]

    public static let longSentenceWords = 25

    /// Each line is a block (paragraph, list item, table cell); a block without end
    /// punctuation still counts as one sentence, as in a list of short items. A
    /// sentence ends at a space after `.`, `!` or `?`. One pass over the scalars with
    /// one reused word buffer: splitting into sentence and word strings first was most
    /// of the lint stage's time.
    public init(prose: String) {
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
            let count = Self.syllables(inLetters: lettersOnly)
            syllables += count
            if count >= 3 { polysyllables += 1 }
        }
        func endSentence() {
            endWord()
            if sentenceWords > 0 { sentences += 1 }
            if sentenceWords > Self.longSentenceWords {
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

    public var fleschKincaidGrade: Double {
        guard sentences > 0, words > 0 else { return 0 }
        return 0.39 * Double(words) / Double(sentences) + 11.8 * Double(syllables) / Double(words) - 15.59
    }

    public var smogGrade: Double {
        guard sentences > 0 else { return 0 }
        return 1.043 * (Double(polysyllables) * 30 / Double(sentences)).squareRoot() + 3.1291
    }


    /// Vowel groups, less a silent final e; every word has at least one syllable.
    /// The usual heuristic: good enough for grade levels, not for poetry.
    static func syllables(in word: String) -> Int {
        syllables(inLetters: word.lowercased().unicodeScalars.filter(isLetter))
    }

    /// `syllables(in:)` of a word given as its lower-case letters.
    static func syllables(inLetters letters: [Unicode.Scalar]) -> Int {
        guard !letters.isEmpty else { return 0 }
        var count = 0
        var inVowelGroup = false
        for letter in letters {
            let isVowel = isVowelLetter(letter)
            if isVowel && !inVowelGroup { count += 1 }
            inVowelGroup = isVowel
        }
        let n = letters.count
        if n > 2, letters[n - 1] == "e", !isVowelLetter(letters[n - 2]),
           !(letters[n - 2] == "l" && !isVowelLetter(letters[n - 3])) {
            count -= 1
        }
        if n > 3, letters[n - 1] == "s" || letters[n - 1] == "d", letters[n - 2] == "e",
           !["t", "d", "s", "x", "z", "c", "g"].contains(letters[n - 3]) {
            count -= 1
        }
        return max(1, count)
    }

    private static func isVowelLetter(_ letter: Unicode.Scalar) -> Bool {
        letter == "a" || letter == "e" || letter == "i" || letter == "o" || letter == "u" || letter == "y"
    }
}

private func isJoiner(_ scalar: Unicode.Scalar) -> Bool { scalar == "'" || scalar == "\u{2019}" || scalar == "-" }

/// ASCII first: the Unicode property lookup is the slow path, taken only for other scripts.
private func isLetter(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.isASCII { return ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) }
    return scalar.properties.isAlphabetic
}
