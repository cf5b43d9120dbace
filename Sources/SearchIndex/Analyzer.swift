/// Text to index terms: `Tokenizer` words, minus stop words, each with its Porter2 stem.
/// The stop-word list travels inside the index so the browser drops the same words.
struct Analyzer {
    struct Word: Hashable {
        /// The folded surface form ("runners"): what typo correction and prefix matching compare.
        var word: String
        /// Its stem ("runner"): what postings are keyed by.
        var stem: String
    }

    private let stemmer = Stemmer()
    private var stems: [String: String] = [:]

    /// Every word of `text` that is not a stop word, in order.
    mutating func words(_ text: String) -> [Word] {
        Tokenizer.tokens(text).compactMap { token in
            guard !Stopwords.all.contains(token) else { return nil }
            return Word(word: token, stem: stem(token))
        }
    }

    mutating func stem(_ word: String) -> String {
        if let known = stems[word] { return known }
        let stemmed = stemmer.stem(word)
        stems[word] = stemmed
        return stemmed
    }
}

/// Words too common to help find a page. Kept short on purpose: direction and
/// negation words ("down", "up", "out", "not", "after") stay searchable, because
/// "pain going down stairs" and "knee gives out" depend on them. Folded forms
/// ("dont", "youre"), since apostrophes inside words are dropped.
enum Stopwords {
    static let sorted: [String] = [
        "a", "about", "also", "am", "an", "and", "any", "are", "as", "at", "be", "been", "being", "but",
        "by", "can", "could", "did", "do", "does", "for", "from", "had", "has", "have", "he", "her",
        "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "may",
        "me", "might", "my", "of", "on", "or", "our", "ours", "she", "should", "so", "some", "such",
        "than", "that", "thats", "the", "their", "theirs", "them", "then", "there", "these", "they",
        "this", "those", "to", "us", "very", "was", "we", "were", "what", "whats", "when", "where", "which",
        "while", "who", "whom", "why", "will", "with", "would", "you", "your", "youre", "yours",
    ]
    static let all = Set(sorted)
}
