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
    /// punctuation still counts as one sentence, as in a list of short items.
    public init(prose: String) {
        var sentences = 0, words = 0, syllables = 0, polysyllables = 0
        var long: [String] = []
        for block in prose.split(separator: "\n") {
            for sentence in Self.sentences(in: String(block)) {
                let sentenceWords = Self.words(in: sentence)
                guard !sentenceWords.isEmpty else { continue }
                sentences += 1
                words += sentenceWords.count
                if sentenceWords.count > Self.longSentenceWords {
                    long.append(sentenceWords.prefix(8).joined(separator: " ") + " …")
                }
                for word in sentenceWords {
                    let count = Self.syllables(in: word)
                    syllables += count
                    if count >= 3 { polysyllables += 1 }
                }
            }
        }
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

    /// Splits after `.`, `!` or `?` followed by a space. Works on scalars: grapheme
    /// segmentation (iterating Characters) was most of the lint stage's time.
    static func sentences(in block: String) -> [String] {
        var result: [String] = []
        var current = String.UnicodeScalarView()
        var previous: Unicode.Scalar = " "
        for scalar in block.unicodeScalars {
            current.append(scalar)
            if scalar == " ", previous == "." || previous == "!" || previous == "?" {
                result.append(String(current))
                current = String.UnicodeScalarView()
            }
            previous = scalar
        }
        if current.contains(where: { $0 != " " && $0 != "\t" }) { result.append(String(current)) }
        return result
    }

    /// Lower-cased words; apostrophes and hyphens inside a word keep it whole.
    static func words(in sentence: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        var hasLetter = false
        func flush() {
            while let last = current.last, isJoiner(last) { current.removeLast() }
            while let first = current.first, isJoiner(first) { current.removeFirst() }
            if hasLetter, !current.isEmpty { words.append(String(current)) }
            current = String.UnicodeScalarView()
            hasLetter = false
        }
        for scalar in sentence.lowercased().unicodeScalars {
            if isLetter(scalar) {
                current.append(scalar)
                hasLetter = true
            } else if ("0"..."9").contains(scalar) || isJoiner(scalar) {
                current.append(scalar)
            } else {
                flush()
            }
        }
        flush()
        return words
    }

    private static func isJoiner(_ scalar: Unicode.Scalar) -> Bool { scalar == "'" || scalar == "\u{2019}" || scalar == "-" }

    /// ASCII first: the Unicode property lookup is the slow path, taken only for other scripts.
    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) }
        return scalar.properties.isAlphabetic
    }

    /// Vowel groups, less a silent final e; every word has at least one syllable.
    /// The usual heuristic: good enough for grade levels, not for poetry.
    static func syllables(in word: String) -> Int {
        let letters = word.unicodeScalars.filter { isLetter($0) }.map { Character($0) }
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

    private static func isVowelLetter(_ letter: Character) -> Bool {
        letter == "a" || letter == "e" || letter == "i" || letter == "o" || letter == "u" || letter == "y"
    }
}
