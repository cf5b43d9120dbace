import ContentModel
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
        var counter = Counter()
        defer { counter.deallocate() }
        for scalar in prose.unicodeScalars { counter.read(scalar) }
        counter.endSentence()
        self.sentences = counter.sentences
        self.words = counter.words
        self.syllables = counter.syllables
        self.polysyllables = counter.polysyllables
        self.longSentences = counter.longSentences
    }

    /// The running counts, as a value with mutating steps: nested functions over captured
    /// variables cost a heap box and an exclusivity check per access, a third of the time.
    private struct Counter {
        var sentences = 0, words = 0, syllables = 0, polysyllables = 0
        var longSentences: [String] = []
        /// The word being read: lower-case letters, digits and joiners.
        var word = GrowableBuffer<Unicode.Scalar>(capacity: 32)
        var wordHasLetter = false
        var wordHasOther = false
        var sentenceWords = 0
        /// Its first words, space-separated, to name a long sentence; scalars in one reused
        /// buffer, since a String per word was most of the remaining time.
        var sentenceStart = GrowableBuffer<Unicode.Scalar>()
        var sentenceStartWords = 0
        var previous: Unicode.Scalar = " "

        func deallocate() {
            word.deallocate()
            sentenceStart.deallocate()
        }

        mutating func read(_ scalar: Unicode.Scalar) {
            if scalar == "\n" {
                endSentence()
                previous = " "
                return
            }
            if scalar.isASCII {
                let letter = scalar.asciiLowercased
                if letter.value &- 0x61 < 26 {
                    word.append(letter)
                    wordHasLetter = true
                } else if scalar.value &- 0x30 < 10 || scalar == "'" || scalar == "-" {
                    word.append(scalar)
                    wordHasOther = true
                } else {
                    endWord()
                    if scalar == " ", previous == "." || previous == "!" || previous == "?" { endSentence() }
                }
            } else if scalar.properties.isAlphabetic {
                for lower in scalar.properties.lowercaseMapping.unicodeScalars { word.append(lower) }
                wordHasLetter = true
                wordHasOther = true  // a lower-case mapping may hold a mark that is not a letter
            } else if scalar == "\u{2019}" {
                word.append(scalar)
                wordHasOther = true
            } else {
                endWord()
            }
            previous = scalar
        }

        mutating func endWord() {
            // Called at every space and mark: most calls find no word.
            guard !word.isEmpty else { return }
            defer {
                word.removeAll()
                wordHasLetter = false
                wordHasOther = false
            }
            guard wordHasLetter else { return }
            var start = 0, end = word.count
            while start < end, isJoiner(word[start]) { start += 1 }
            while end > start, isJoiner(word[end - 1]) { end -= 1 }
            guard start < end else { return }
            let letters = UnsafeBufferPointer(rebasing: word.elements[start..<end])
            words += 1
            sentenceWords += 1
            if sentenceStartWords < 8 {
                if sentenceStartWords > 0 { sentenceStart.append(" " as Unicode.Scalar) }
                sentenceStart.append(contentsOf: letters)
                sentenceStartWords += 1
            }
            // Most words are letters only, and are counted in place.
            let count = wordHasOther ? Readability.syllables(inLetters: letters.filter(isLetter)) : Readability.syllables(inLetters: letters)
            syllables += count
            if count >= 3 { polysyllables += 1 }
        }

        mutating func endSentence() {
            endWord()
            if sentenceWords > 0 { sentences += 1 }
            if sentenceWords > Readability.longSentenceWords {
                var text = String.UnicodeScalarView()
                text.append(contentsOf: sentenceStart.elements)
                longSentences.append(String(text) + " …")
            }
            sentenceWords = 0
            sentenceStartWords = 0
            sentenceStart.removeAll()
        }
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
    static func syllables(inLetters word: some RandomAccessCollection<Unicode.Scalar>) -> Int {
        guard !word.isEmpty else { return 0 }
        var count = 0
        var inVowelGroup = false
        for letter in word {
            let isVowel = isVowelLetter(letter)
            if isVowel && !inVowelGroup { count += 1 }
            inVowelGroup = isVowel
        }
        let n = word.count
        func letter(_ fromEnd: Int) -> Unicode.Scalar { word[word.index(word.endIndex, offsetBy: -fromEnd)] }
        if n > 2, letter(1) == "e", !isVowelLetter(letter(2)), !(letter(2) == "l" && !isVowelLetter(letter(3))) {
            count -= 1
        }
        if n > 3, letter(1) == "s" || letter(1) == "d", letter(2) == "e",
           !["t", "d", "s", "x", "z", "c", "g"].contains(letter(3)) {
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
