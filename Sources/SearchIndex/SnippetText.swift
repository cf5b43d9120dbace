/// Chooses the prose a document keeps for result snippets when the whole index must
/// fit in one small file: the sentences that cover the most of the page's words not
/// already in its summary (the summary is the snippet of last resort), per byte,
/// until the budget is spent, kept in page order.
enum SnippetText {
    struct Sentence {
        var line: Int
        var text: String
        var bytes: Int
        /// Its distinct stems, numbered within the document.
        var terms: [Int]
    }

    /// A text cut into sentences, each with its stems, and the stems of its summary:
    /// the costly half of a choice, the same whatever the budget.
    struct Sentences {
        var list: [Sentence]
        var summaryTerms: [Int]
        /// How many distinct stems the document and its summary have.
        var termCount: Int
    }

    static func select(_ text: String, summary: String, budget: Int, analyzer: inout Analyzer) -> String {
        guard text.utf8.count > budget else { return text }
        return select(from: sentences(of: text, summary: summary, analyzer: &analyzer), budget: budget)
    }

    static func sentences(of text: String, summary: String, analyzer: inout Analyzer) -> Sentences {
        var numbers: [String: Int] = [:]
        func terms(_ text: String) -> [Int] {
            var seen = Set<Int>()
            return analyzer.words(text).compactMap { word in
                let number = numbers[word.stem] ?? numbers.count
                numbers[word.stem] = number
                return seen.insert(number).inserted ? number : nil
            }
        }
        var sentences: [Sentence] = []
        for (line, lineText) in text.split(separator: "\n").enumerated() {
            for sentence in split(String(lineText)) {
                sentences.append(Sentence(line: line, text: sentence, bytes: sentence.utf8.count + 1, terms: terms(sentence)))
            }
        }
        let summaryTerms = terms(summary)
        return Sentences(list: sentences, summaryTerms: summaryTerms, termCount: numbers.count)
    }

    static func select(from analysed: Sentences, budget: Int) -> String {
        let sentences = analysed.list
        var covered = [Bool](repeating: false, count: analysed.termCount)
        for term in analysed.summaryTerms { covered[term] = true }
        var chosen = [Bool](repeating: false, count: sentences.count)
        var used = 0
        while true {
            var best: (index: Int, gain: Int, bytes: Int)?
            for (index, sentence) in sentences.enumerated() where !chosen[index] && used + sentence.bytes <= budget {
                var gain = 0
                for term in sentence.terms where !covered[term] { gain += 1 }
                guard gain > 0 else { continue }
                // Highest gain per byte; the earlier sentence on a tie.
                if let current = best, gain * current.bytes <= current.gain * sentence.bytes { continue }
                best = (index, gain, sentence.bytes)
            }
            guard let pick = best else { break }
            chosen[pick.index] = true
            used += pick.bytes
            for term in sentences[pick.index].terms { covered[term] = true }
        }
        var lines: [String] = []
        var lastLine = -1
        for (index, sentence) in sentences.enumerated() where chosen[index] {
            if sentence.line == lastLine, !lines.isEmpty {
                lines[lines.count - 1] += " " + sentence.text
            } else {
                lines.append(sentence.text)
            }
            lastLine = sentence.line
        }
        return lines.joined(separator: "\n")
    }

    /// Sentences of one line: cut after ".", "!" or "?" followed by a space.
    static func split(_ line: String) -> [String] {
        var sentences: [String] = []
        var current = ""
        var previous: Character?
        for character in line {
            if character == " ", let end = previous, end == "." || end == "!" || end == "?" {
                sentences.append(current)
                current = ""
            } else {
                current.append(character)
            }
            previous = character
        }
        if !current.isEmpty { sentences.append(current) }
        return sentences.filter { !$0.isEmpty }
    }
}
