import ContentModel
import Foundation

/// One file of the search index: its path below the output folder, a fingerprint of
/// its bytes (equal fingerprints give equal bytes, in any process), and how to make it.
/// `make` is called only for files the writer does not already hold.
public struct SearchOutput: Sendable {
    public var path: String
    public var fingerprint: String
    public var make: @Sendable () -> OutputFile

    public init(path: String, fingerprint: String, make: @escaping @Sendable () -> OutputFile) {
        self.path = path
        self.fingerprint = fingerprint
        self.make = make
    }
}

/// The files of the index that differ from those given out last, and the paths of
/// those that are gone.
public struct SearchChanges: Sendable {
    public var files: [SearchOutput]
    public var vanished: [String] = []
}

/// The search index kept between builds, so that after a one-page edit only that page
/// is analysed again, only its postings change, and only the files they are in are
/// fingerprinted and written.
///
/// Documents are matched by position (their number in the files). When the documents
/// are the same pages in the same order, the changed ones are analysed, their old
/// postings taken out and their new ones put in, and only the shards of the terms that
/// changed, the words files whose words or frequencies changed, the changed documents'
/// files, the manifest and `urgent.json` are looked at again. When pages were added,
/// removed or moved (the numbering shifts), postings and plans are rebuilt from the
/// kept analyses, and only new or changed pages are analysed.
///
/// The files are byte-identical to `SearchIndexWriter.files(for: IndexBuilder.build(documents))`.
public final class SearchIndexState: Sendable {
    let storage: Locked<IndexStorage>

    public init() { storage = Locked(IndexStorage()) }

    init(storage: IndexStorage) { self.storage = Locked(storage) }

    /// Every file of the index of `documents` (in the site's order), paths below the
    /// output folder (`search/...`), in the order `SearchIndexWriter.files` gives them.
    public func outputs(for documents: [SearchDocument], limits: SearchIndexLimits = .standard) -> [SearchOutput] {
        storage.withLock { storage in
            storage.update(documents, limits: limits)
            return storage.outputs()!.files
        }
    }

    /// The files that differ from the last `outputs` or `changedOutputs` after the
    /// documents at these places (in the site's order) were replaced, and those gone;
    /// nil when that is not all that happened (no documents kept, other limits) or the
    /// index went from one file to shards or back: then the caller asks for every file
    /// with `outputs(for:)`.
    public func changedOutputs(replacing changes: [(place: Int, document: SearchDocument)],
                               limits: SearchIndexLimits = .standard) -> SearchChanges? {
        storage.withLock { storage in
            guard storage.emitted != nil, var next = storage.documents, IndexStorage.sameLimits(limits, storage.limits),
                  changes.allSatisfy({ next.indices.contains($0.place) && next[$0.place].id == $0.document.id })
            else { return nil }
            // Taken out, so replacing a few documents does not copy them all.
            storage.documents = nil
            storage.cachedIndex?.documents = []
            for change in changes { next[change.place] = change.document }
            let changed = Set(changes.map(\.place)).sorted()
            storage.updateIncrementally(next, changed: changed)
            return storage.outputs(onlyChanged: true)
        }
    }

    /// Brings the state up to `documents` and returns their inverted index (for the
    /// pinned searches); a following `outputs(for:)` of the same documents does no more
    /// analysis.
    public func index(for documents: [SearchDocument]) -> InvertedIndex {
        storage.withLock { storage in
            storage.update(documents, limits: storage.limits)
            return storage.invertedIndex()
        }
    }

    /// The inverted index of the documents last given.
    public var index: InvertedIndex { storage.withLock { $0.invertedIndex() } }
}

extension Fingerprint {
    /// As the fingerprint of an index file: with the format version.
    var indexFile: String {
        var digest = Fingerprint()
        digest.combine(IndexFormat.version)
        digest.combine(self)
        return digest.hex
    }
}

/// Everything the state keeps. Terms and words are numbered once and never forgotten
/// (a term no page has any more has no postings and is left out of every file).
final class IndexStorage {
    /// One run of a term's postings as it sits in a shard: the whole list, or a page of
    /// a list too long for one shard.
    struct Unit {
        var term: Int32
        var range: Range<Int>
        /// Bytes of its member plus a comma, as `Sharder.Entry.bytes`.
        var bytes: Int
        var hash: Fingerprint
    }

    struct Shard {
        var units: [Unit]
        var fingerprint: String
    }

    /// The terms (or words) sharing a first scalar, sorted by UTF-16, and their files.
    struct Letter<Plan> {
        var members: [Int32] = []
        var plan: [Plan] = []
        var dirty = true
    }

    struct WordGroup {
        var words: [Int32]
        var frequencies: [Int]
        var fingerprint: String
    }

    /// A document's analysis and what its files need.
    struct Doc {
        var id: String
        /// Of the fields `docs/N.json` is made from.
        var fileHash = Fingerprint()
        var fileFingerprint = ""
        /// Term ids, increasing, and each one's weighted frequency.
        var terms: [Int32] = []
        var frequencies: [Int32] = []
        /// Word ids, increasing.
        var words: [Int32] = []
        var length = 0
        /// Stems of the warning callouts (distinct), for `UrgentSigns`.
        var warningStems: [Int32] = []
        var isGuide = false
        var hasWarnings = false
        /// For a guide with warnings: the lines its box quotes.
        var signs: [String] = []
    }

    // Terms.
    var termIDs: [String: Int32] = [:]
    var terms: [String] = []
    var postings: [[Posting]] = []
    var units: [[Unit]] = []
    var termLetters: [Unicode.Scalar: Letter<Shard>] = [:]
    var dirtyTerms = Set<Int32>()

    // Words.
    var wordIDs: [String: Int32] = [:]
    var words: [String] = []
    var wordStem: [Int32] = []
    /// Documents containing the word.
    var wordDocs: [Int32] = []
    /// Bytes of the word as a JSON string.
    var wordCost: [Int] = []
    var stemWords: [[Int32]] = []
    var wordLetters: [Unicode.Scalar: Letter<WordGroup>] = [:]

    // Documents.
    var docs: [Doc] = []
    /// The documents last given; nil after `load` until the next update.
    var documents: [SearchDocument]?
    var lengths: [Int] = []
    var codes: [UInt8] = []
    /// Warning stem -> pages whose warnings contain it.
    var warningPages: [Int32: Int] = [:]
    var urgent: UrgentSigns?

    var limits = SearchIndexLimits.standard
    var cachedIndex: InvertedIndex?
    /// `urgent.json` as last made, and the targets it was made from.
    var urgentFile: (targets: [UrgentSigns.Target], bytes: [UInt8], fingerprint: String)?
    var docPaths: [String] = []
    /// The fingerprints of the files last given out, by kind and number.
    struct Emitted {
        var single: String?
        var head = ""
        /// Terms shards and words files, by path.
        var named: [String: String] = [:]
        /// Documents, by number.
        var docs: [String] = []
        var urgent: String?
    }
    var emitted: Emitted?
    let snippetSelections = SnippetSelections()

    init() {}

    // MARK: - Updating

    func update(_ next: [SearchDocument], limits: SearchIndexLimits) {
        if !Self.sameLimits(limits, self.limits) {
            self.limits = limits
            for term in terms.indices { dirtyTerms.insert(Int32(term)) }
            for key in termLetters.keys { termLetters[key]!.dirty = true }
            for key in wordLetters.keys { wordLetters[key]!.dirty = true }
            for index in docs.indices { setFileHash(index, next.indices.contains(index) ? next[index] : nil) }
        }
        if docs.count == next.count, zip(docs, next).allSatisfy({ $0.id == $1.id }) {
            let changed = next.indices.filter { !unchanged($0, next[$0]) }
            if changed.count <= max(16, next.count / 8) {
                updateIncrementally(next, changed: changed)
                return
            }
        }
        rebuild(next)
    }

    static func sameLimits(_ a: SearchIndexLimits, _ b: SearchIndexLimits) -> Bool {
        a.singleFile == b.singleFile && a.shardBytes == b.shardBytes && a.wordBytes == b.wordBytes
            && a.maxTextBytes == b.maxTextBytes && a.minSnippetBytes == b.minSnippetBytes
    }

    /// True when document `index` is `document` as last analysed.
    func unchanged(_ index: Int, _ document: SearchDocument) -> Bool {
        documents.map { Self.equal($0[index], document) } ?? false
    }

    static func equal(_ a: SearchDocument, _ b: SearchDocument) -> Bool {
        a.id == b.id && a.path == b.path && a.typeLabel == b.typeLabel && a.title == b.title && a.summary == b.summary
            && a.text == b.text && a.isGuide == b.isGuide && a.warnings == b.warnings
            && a.fields.elementsEqual(b.fields) { $0.field == $1.field && $0.text == $1.text }
    }

    func setFileHash(_ index: Int, _ document: SearchDocument?) {
        guard let document else { return }
        var hash = Fingerprint()
        for text in [document.id, document.path, document.typeLabel, document.title, document.summary, document.text] {
            hash.combine(text)
        }
        hash.combine(limits.maxTextBytes)
        if hash != docs[index].fileHash || docs[index].fileFingerprint.isEmpty {
            docs[index].fileHash = hash
            docs[index].fileFingerprint = hash.indexFile
        }
    }

    /// Same pages in the same order: only `changed` are analysed and re-posted.
    func updateIncrementally(_ next: [SearchDocument], changed: [Int]) {
        let analysed = analyze(changed.map { next[$0] })
        for (position, index) in changed.enumerated() {
            var doc = analysed[position]
            replacePostings(of: index, with: doc)
            doc.fileHash = docs[index].fileHash
            doc.fileFingerprint = docs[index].fileFingerprint
            docs[index] = doc
            setFileHash(index, next[index])
        }
        documents = next
        if cachedIndex != nil { cachedIndex!.documents = next }
        refreshUrgent()
    }

    /// Takes document `index`'s old postings, words and warnings out and puts `new`'s in.
    func replacePostings(of index: Int, with new: Doc) {
        let old = docs[index]
        var dfChanged: [Int32] = []
        var i = 0, j = 0
        while i < old.terms.count || j < new.terms.count {
            let term: Int32
            var oldFrequency: Int32 = 0, newFrequency: Int32 = 0
            if j == new.terms.count || (i < old.terms.count && old.terms[i] < new.terms[j]) {
                term = old.terms[i]; oldFrequency = old.frequencies[i]; i += 1
            } else if i == old.terms.count || new.terms[j] < old.terms[i] {
                term = new.terms[j]; newFrequency = new.frequencies[j]; j += 1
            } else {
                term = old.terms[i]; oldFrequency = old.frequencies[i]; newFrequency = new.frequencies[j]; i += 1; j += 1
            }
            if oldFrequency == newFrequency { continue }
            let list = Int(term)
            let at = Self.position(of: index, in: postings[list])
            if oldFrequency == 0 {
                postings[list].insert(Posting(doc: index, frequency: Int(newFrequency)), at: at)
                dfChanged.append(term)
            } else if newFrequency == 0 {
                postings[list].remove(at: at)
                dfChanged.append(term)
            } else {
                postings[list][at].frequency = Int(newFrequency)
            }
            dirtyTerms.insert(term)
            if cachedIndex != nil { cachedIndex!.postings[terms[list]] = postings[list].isEmpty ? nil : postings[list] }
        }
        for term in dfChanged {
            for word in stemWords[Int(term)] where wordDocs[Int(word)] > 0 { markWordLetter(word) }
        }
        lengths[index] = new.length
        codes[index] = UInt8(LengthNorm.encode(new.length))
        if cachedIndex != nil { cachedIndex!.lengths[index] = new.length }

        i = 0; j = 0
        while i < old.words.count || j < new.words.count {
            if j == new.words.count || (i < old.words.count && old.words[i] < new.words[j]) {
                let word = old.words[i]; i += 1
                wordDocs[Int(word)] -= 1
                if wordDocs[Int(word)] == 0 { markWordLetter(word); removeIndexWord(word) }
            } else if i == old.words.count || new.words[j] < old.words[i] {
                let word = new.words[j]; j += 1
                wordDocs[Int(word)] += 1
                if wordDocs[Int(word)] == 1 { markWordLetter(word); insertIndexWord(word) }
            } else {
                i += 1; j += 1
            }
        }
        for stem in old.warningStems { warningPages[stem, default: 0] -= 1 }
        for stem in new.warningStems { warningPages[stem, default: 0] += 1 }
    }

    static func position(of doc: Int, in list: [Posting]) -> Int {
        var low = 0, high = list.count
        while low < high {
            let middle = (low + high) / 2
            if list[middle].doc < doc { low = middle + 1 } else { high = middle }
        }
        return low
    }

    func markWordLetter(_ word: Int32) {
        wordLetters[words[Int(word)].unicodeScalars.first!]!.dirty = true
    }

    func insertIndexWord(_ word: Int32) {
        guard cachedIndex != nil else { return }
        let text = words[Int(word)]
        let at = Self.insertionPoint(text, in: cachedIndex!.words)
        cachedIndex!.words.insert(text, at: at)
    }

    func removeIndexWord(_ word: Int32) {
        guard cachedIndex != nil else { return }
        let text = words[Int(word)]
        let at = Self.insertionPoint(text, in: cachedIndex!.words)
        if at < cachedIndex!.words.count, cachedIndex!.words[at] == text { cachedIndex!.words.remove(at: at) }
    }

    static func insertionPoint(_ text: String, in sorted: [String]) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if utf16Less(sorted[middle], text) { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Pages added, removed or moved: postings from every document's analysis, kept
    /// ones reused by id and content.
    func rebuild(_ next: [SearchDocument]) {
        var kept: [String: Doc] = [:]
        for doc in docs { kept[doc.id] = doc }
        let oldDocuments = documents.map { Dictionary($0.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }) }
        var reuse: [Doc?] = next.map { document in
            guard let doc = kept[document.id], let old = oldDocuments?[document.id], Self.equal(old, document) else { return nil }
            return doc
        }
        let missing = reuse.indices.filter { reuse[$0] == nil }
        // An eighth of the pages make most of the vocabulary; analysed after them, the rest
        // find nearly all their words known, looked up on all cores (see `analyze`).
        let unread = missing.map { next[$0] }, head = min(unread.count, max(64, unread.count / 8))
        let analysed = analyze(Array(unread[..<head])) + analyze(Array(unread[head...]))
        for (index, doc) in zip(missing, analysed) { reuse[index] = doc }
        docs = reuse.map { $0! }
        documents = next
        for index in docs.indices where docs[index].fileFingerprint.isEmpty { setFileHash(index, next[index]) }
        repost()
    }

    /// Postings, word counts and warnings from `docs`; every file planned again.
    func repost() {
        postings = Array(repeating: [], count: terms.count)
        wordDocs = Array(repeating: 0, count: words.count)
        warningPages = [:]
        lengths = docs.map(\.length)
        codes = lengths.map { UInt8(LengthNorm.encode($0)) }
        for (index, doc) in docs.enumerated() {
            for (term, frequency) in zip(doc.terms, doc.frequencies) {
                postings[Int(term)].append(Posting(doc: index, frequency: Int(frequency)))
            }
            for word in doc.words { wordDocs[Int(word)] += 1 }
            for stem in doc.warningStems { warningPages[stem, default: 0] += 1 }
        }
        dirtyTerms = Set(terms.indices.lazy.map { Int32($0) })
        for key in termLetters.keys { termLetters[key]!.dirty = true }
        for key in wordLetters.keys { wordLetters[key]!.dirty = true }
        cachedIndex = nil
        refreshUrgent()
    }

    // MARK: - Analysis

    /// Documents to their analyses, as `IndexBuilder.analyze` does (the same words,
    /// stems and frequencies), numbering new words and terms.
    func analyze(_ batch: [SearchDocument]) -> [Doc] {
        guard !batch.isEmpty else { return [] }
        // Each document's distinct words, the weights of their occurrences summed, so the
        // look-ups are made once per distinct word of a page rather than per token (a third
        // of them on the benchmark's pages). Each one's id is looked up here, on all cores: a
        // word the index knows is no stop word (those never get an id), so only new words
        // are checked against the stop words.
        let known = wordIDs
        let weighed: [[(word: String, weight: Int32, id: Int32?)]] = batch.concurrentMap { document in
            var weights = WordWeights()
            for (field, text) in document.fields {
                let weight = Int32(field.weight)
                Tokenizer.forEachWord(in: text) { word, _ in weights.add(word, weight: weight) }
            }
            return weights.entries.compactMap { entry in
                if let id = known[entry.word] { return (entry.word, entry.weight, id) }
                return Stopwords.all.contains(entry.word) ? nil : (entry.word, entry.weight, nil)
            }
        }
        // Words new to the index numbered in the order first seen: one look-up per new
        // entry here, none later (looking every entry up again by its String was 2% of a
        // cold build).
        var newWords: [String] = [], newIDs: [String: Int32] = [:]
        let firstNew = Int32(words.count)
        let entryWords: [[Int32]] = weighed.map { list in
            list.map { entry in
                if let id = entry.id ?? newIDs[entry.word] { return id }
                let id = firstNew + Int32(newWords.count)
                newIDs[entry.word] = id
                newWords.append(entry.word)
                return id
            }
        }
        let stemmer = Stemmer()
        let newStems = newWords.concurrentMap { stemmer.stem($0) }
        var newTerms: [Int32] = []
        for (word, stem) in zip(newWords, newStems) {
            let term = termID(stem, new: &newTerms)
            let id = Int32(words.count)
            wordIDs[word] = id
            words.append(word)
            wordStem.append(term)
            wordDocs.append(0)
            wordCost.append(jsonStringBytes(word))
            stemWords[Int(term)].append(id)
        }
        insertSorted(newWords.indices.map { Int32(words.count - newWords.count + $0) }, into: &wordLetters, names: words)

        var analyzer = Analyzer()
        var warningStems: [[Int32]] = []
        for document in batch {
            var stems = Set<Int32>()
            for warning in document.warnings {
                for word in analyzer.words(warning) { stems.insert(termID(word.stem, new: &newTerms)) }
            }
            warningStems.append(stems.sorted())
        }
        insertSorted(newTerms, into: &termLetters, names: terms)

        let wordStem = self.wordStem
        let counted: [(terms: [Int32], frequencies: [Int32], words: [Int32])] = zip(weighed, entryWords).map { ($0, $1) }.concurrentMap { list, ids in
            var words = ids
            var byTerm = zip(words, list).map { (term: wordStem[Int($0)], weight: $1.weight) }
            words.sort()
            byTerm.sort { $0.term < $1.term }
            var terms: [Int32] = [], frequencies: [Int32] = []
            for pair in byTerm {
                if terms.last == pair.term { frequencies[frequencies.count - 1] += pair.weight } else {
                    terms.append(pair.term)
                    frequencies.append(pair.weight)
                }
            }
            return (terms, frequencies, words)
        }
        return batch.indices.map { index in
            let document = batch[index]
            var doc = Doc(id: document.id)
            doc.terms = counted[index].terms
            doc.frequencies = counted[index].frequencies
            doc.words = counted[index].words
            doc.length = doc.frequencies.reduce(0) { $0 + Int($1) }
            doc.warningStems = warningStems[index]
            doc.isGuide = document.isGuide
            doc.hasWarnings = !document.warnings.isEmpty
            if document.isGuide { doc.signs = document.warnings.flatMap { UrgentSigns.lines(of: $0, in: document.text) } }
            return doc
        }
    }

    func termID(_ stem: String, new: inout [Int32]) -> Int32 {
        if let id = termIDs[stem] { return id }
        let id = Int32(terms.count)
        termIDs[stem] = id
        terms.append(stem)
        postings.append([])
        units.append([])
        stemWords.append([])
        new.append(id)
        dirtyTerms.insert(id)
        return id
    }

    /// Adds new ids to their letters' sorted lists.
    func insertSorted<Plan>(_ ids: [Int32], into letters: inout [Unicode.Scalar: Letter<Plan>], names: [String]) {
        guard !ids.isEmpty else { return }
        var byLetter: [Unicode.Scalar: [Int32]] = [:]
        for id in ids { byLetter[names[Int(id)].unicodeScalars.first!, default: []].append(id) }
        for (scalar, added) in byLetter {
            let sortedAdded = added.sorted { utf16Less(names[Int($0)], names[Int($1)]) }
            var letter = letters[scalar] ?? Letter()
            if letter.members.isEmpty {
                letter.members = sortedAdded
            } else if sortedAdded.count * 8 < letter.members.count {
                for id in sortedAdded {
                    var low = 0, high = letter.members.count
                    while low < high {
                        let middle = (low + high) / 2
                        if utf16Less(names[Int(letter.members[middle])], names[Int(id)]) { low = middle + 1 } else { high = middle }
                    }
                    letter.members.insert(id, at: low)
                }
            } else {
                var merged: [Int32] = []
                merged.reserveCapacity(letter.members.count + sortedAdded.count)
                var i = 0, j = 0
                while i < letter.members.count || j < sortedAdded.count {
                    if j == sortedAdded.count || (i < letter.members.count && utf16Less(names[Int(letter.members[i])], names[Int(sortedAdded[j])])) {
                        merged.append(letter.members[i]); i += 1
                    } else {
                        merged.append(sortedAdded[j]); j += 1
                    }
                }
                letter.members = merged
            }
            letter.dirty = true
            letters[scalar] = letter
        }
    }

    // MARK: - Urgent signs

    /// `UrgentSigns.build`, from the kept warning stems and document frequencies.
    func refreshUrgent() {
        var targets: [UrgentSigns.Target] = []
        var guideTerms = Set<Int32>()
        for (index, doc) in docs.enumerated() where doc.isGuide && doc.hasWarnings {
            guard let document = documents?[index] else { continue }
            targets.append(UrgentSigns.Target(doc: index, id: document.id, path: document.path, title: document.title, signs: doc.signs))
            guideTerms.formUnion(doc.warningStems)
        }
        guard !targets.isEmpty else {
            urgent = nil
            if cachedIndex != nil { cachedIndex!.urgent = nil }
            return
        }
        let total = Double(docs.count)
        var weights: [String: Int] = [:]
        for (term, inWarnings) in warningPages where inWarnings > 0 {
            let containing = Double(max(postings[Int(term)].count, inWarnings))
            let share = Double(inWarnings) / containing
            let rarity = 1 - containing / total
            let weight = Int((100 * share * rarity * (guideTerms.contains(term) ? 2 : 1)).rounded())
            if weight >= UrgentSigns.minimumWeight { weights[terms[Int(term)]] = min(100, weight) }
        }
        urgent = UrgentSigns(targets: targets, weights: weights)
        if cachedIndex != nil { cachedIndex!.urgent = urgent }
    }

    // MARK: - The index

    func invertedIndex() -> InvertedIndex {
        if let cachedIndex { return cachedIndex }
        var map: [String: [Posting]] = [:]
        map.reserveCapacity(terms.count)
        for (term, list) in zip(terms, postings) where !list.isEmpty { map[term] = list }
        var sortedWords: [String] = []
        for scalar in sortedKeys(wordLetters) {
            for word in wordLetters[scalar]!.members where wordDocs[Int(word)] > 0 { sortedWords.append(words[Int(word)]) }
        }
        let index = InvertedIndex(documents: documents ?? [], postings: map, lengths: lengths, words: sortedWords, urgent: urgent)
        cachedIndex = index
        return index
    }

    func sortedKeys<Plan>(_ letters: [Unicode.Scalar: Letter<Plan>]) -> [Unicode.Scalar] {
        letters.keys.sorted { utf16Less(String($0), String($1)) }
    }
}
