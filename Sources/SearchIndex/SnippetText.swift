/// Chooses the prose a document keeps for result snippets when the whole index must
/// fit in one small file: the sentences that cover the most of the page's words not
/// already in its summary (the summary is the snippet of last resort), per byte,
/// until the budget is spent, kept in page order.
enum SnippetText {
    static func select(_ text: String, summary: String, budget: Int, analyzer: inout Analyzer) -> String {
        guard text.utf8.count > budget else { return text }
        struct Sentence { var line: Int; var text: String; var bytes: Int; var terms: Set<String> }
        var sentences: [Sentence] = []
        for (line, lineText) in text.split(separator: "\n").enumerated() {
            for sentence in split(String(lineText)) {
                sentences.append(Sentence(line: line, text: sentence, bytes: sentence.utf8.count + 1,
                                          terms: Set(analyzer.words(sentence).map(\.stem))))
            }
        }
        var covered = Set(analyzer.words(summary).map(\.stem))
        var chosen = Set<Int>()
        var used = 0
        while true {
            var best: (index: Int, gain: Int, bytes: Int)?
            for (index, sentence) in sentences.enumerated() where !chosen.contains(index) && used + sentence.bytes <= budget {
                let gain = sentence.terms.subtracting(covered).count
                guard gain > 0 else { continue }
                // Highest gain per byte; the earlier sentence on a tie.
                if let current = best, gain * current.bytes <= current.gain * sentence.bytes { continue }
                best = (index, gain, sentence.bytes)
            }
            guard let pick = best else { break }
            chosen.insert(pick.index)
            used += pick.bytes
            covered.formUnion(sentences[pick.index].terms)
        }
        var lines: [String] = []
        var lastLine = -1
        for index in chosen.sorted() {
            let sentence = sentences[index]
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
