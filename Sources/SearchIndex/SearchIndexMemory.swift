import ContentModel
import Foundation

/// The state in `BinaryCoding`'s form, so that the next `patella build` process brings
/// the index up to its documents (`changedOutputs(replacing:)` included) without
/// analysing every page again. The same state always gives the same bytes.
///
/// Written: the documents and their analyses, the postings, terms and words with their
/// letters, the measured units, where the files are cut, and the fingerprints of the
/// files last given out (so that the next `changedOutputs` gives only the files that
/// differ). Made again on reading, as the updates make them: the id dictionaries, word
/// and warning counts, lengths, the urgent signs. The caches (inverted index, snippet
/// choices, document paths) start empty and fill as they do after any update.
extension SearchIndexState {
    /// Under the state's lock, so no update runs while it is written.
    public func encode(to writer: inout BinaryWriter) {
        storage.withLock { $0.encode(to: &writer) }
    }

    /// Throws `BinaryReader.Damaged` on short input, and on ids out of range of what they
    /// index (later updates would trap on them).
    public static func decoded(from reader: inout BinaryReader) throws -> SearchIndexState {
        SearchIndexState(storage: try IndexStorage.decoded(from: &reader))
    }
}

extension SearchField: RawTextCodable {}

extension SearchDocument {
    /// The document without its snippet text and fields: what a kept sharded index needs.
    var withoutText: SearchDocument {
        SearchDocument(id: id, path: path, typeLabel: typeLabel, title: title, summary: summary, text: "", fields: [],
                       warnings: warnings, isGuide: isGuide)
    }
}

extension SearchDocument: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) {
        for value in [id, path, typeLabel, title, summary, text] { writer.write(value) }
        writer.write(fields.count)
        for (field, value) in fields {
            writer.write(field)
            writer.write(value)
        }
        writer.write(warnings)
        writer.write(isGuide)
    }

    public init(from reader: inout BinaryReader) throws {
        let id: String = try reader.read(), path: String = try reader.read(), typeLabel: String = try reader.read()
        let title: String = try reader.read(), summary: String = try reader.read(), text: String = try reader.read()
        let count = try reader.readCount()
        var fields: [(field: SearchField, text: String)] = []
        fields.reserveCapacity(count)
        for _ in 0..<count { fields.append((try reader.read(), try reader.read())) }
        self.init(id: id, path: path, typeLabel: typeLabel, title: title, summary: summary, text: text,
                  fields: fields, warnings: try reader.read(), isGuide: try reader.read())
    }
}

extension IndexStorage {
    /// In two parts, read on two cores: the documents are most of the bytes and need
    /// nothing else.
    func encode(to writer: inout BinaryWriter) {
        var part = BinaryWriter()
        // A sharded index reads a document's text and fields only to analyse it and to
        // write its own file, which happen only when it changed and so is given anew; the
        // names, title and warnings serve the urgent signs and the pinned searches. Left
        // out, they were 60 of the 73 MB at 10,000 pages. A kept document then never
        // equals a new one, so an update from all documents analyses each again (as from
        // nothing). The single-file index shows every document's snippet: kept whole.
        let sharded = docs.count * limits.minSnippetBytes > limits.singleFile
        part.write((documents ?? []).map { sharded ? $0.withoutText : $0 })
        writer.write(bytes: part.bytes)
        part = BinaryWriter(reservingCapacity: postings.count * 64 + docs.count * 1_024)
        encodeAnalyses(to: &part)
        writer.write(bytes: part.bytes)
    }

    func encodeAnalyses(to writer: inout BinaryWriter) {
        for number in [limits.singleFile, limits.shardBytes, limits.wordBytes, limits.maxTextBytes, limits.minSnippetBytes] {
            writer.write(number)
        }
        writer.write(terms)
        writer.write(words)
        writer.write(wordStem)
        writer.write(docs.count)
        for doc in docs {
            writer.write(doc.id)
            writer.write(doc.fileHash)
            writer.write(doc.fileFingerprint)
            writer.write(increasing: doc.terms)
            writer.write(doc.frequencies)
            writer.write(increasing: doc.words)
            writer.write(doc.length)
            writer.write(increasing: doc.warningStems)
            writer.write(doc.isGuide)
            writer.write(doc.hasWarnings)
            writer.write(doc.signs)
        }
        // The analyses turned around, yet written: made again from them at 10,000 pages,
        // they took a third of reading (each posting a write to one of 12,000 lists, at random).
        for list in postings {
            writer.write(increasing: list.map { Int32($0.doc) })
            writer.write(list.map { Int32($0.frequency) })
        }
        writer.write(increasing: dirtyTerms.sorted())
        // A unit's term is the list it is in.
        for list in units {
            writer.write(list.count)
            for unit in list {
                writer.write(unit.range.lowerBound)
                writer.write(unit.range.count)
                writer.write(unit.bytes)
                writer.write(unit.hash)
            }
        }
        // A clean letter's plan is its members' units (words with documents) in order, cut
        // into files: only the cuts and fingerprints are written. A dirty one's is made again.
        writeLetters(termLetters, to: &writer) { ($0.units.count, $0.fingerprint) }
        writeLetters(wordLetters, to: &writer) { ($0.words.count, $0.fingerprint) }
        writer.write(emitted != nil)
        if let emitted {
            writer.write(emitted.single)
            writer.write(emitted.head)
            let paths = emitted.named.keys.sorted()
            writer.write(paths)
            writer.write(paths.map { emitted.named[$0]! })
            writer.write(emitted.docs)
            writer.write(emitted.urgent)
        }
        // One made from other targets would be made again anyway.
        if let urgentFile, urgentFile.targets == urgent?.targets {
            writer.write(true)
            writer.write(bytes: urgentFile.bytes)
            writer.write(urgentFile.fingerprint)
        } else {
            writer.write(false)
        }
    }

    func writeLetters<Plan>(_ letters: [Unicode.Scalar: Letter<Plan>], to writer: inout BinaryWriter,
                            cut: (Plan) -> (count: Int, fingerprint: String)) {
        writer.write(letters.count)
        for scalar in letters.keys.sorted(by: { $0.value < $1.value }) {
            let letter = letters[scalar]!
            writer.write(Int(scalar.value))
            writer.write(letter.members)
            writer.write(letter.dirty)
            guard !letter.dirty else { continue }
            writer.write(letter.plan.count)
            for plan in letter.plan {
                let (count, fingerprint) = cut(plan)
                writer.write(count)
                writer.write(fingerprint)
            }
        }
    }

    static func decoded(from reader: inout BinaryReader) throws -> IndexStorage {
        // Raw pointers are not Sendable; the bytes outlive `concurrentPerform`, which
        // returns when both parts are read.
        nonisolated(unsafe) let parts = [try reader.readSlice(), try reader.readSlice()]
        let documents = Locked<[SearchDocument]?>(nil), analysed = Locked<(IndexStorage, UrgentFile?)?>(nil)
        DispatchQueue.concurrentPerform(iterations: 2) { part in
            var reader = BinaryReader(parts[part])
            if part == 0 {
                let read = try? reader.read() as [SearchDocument]
                if reader.isAtEnd { documents.withLock { $0 = read } }
            } else {
                let storage = IndexStorage()
                let read = try? (storage, storage.readAnalyses(from: &reader))
                if reader.isAtEnd { analysed.withLock { $0 = read } }
            }
        }
        guard let documents = documents.withLock({ $0 }), let (storage, urgentFile) = analysed.withLock({ $0 }),
              documents.count == storage.docs.count else { throw BinaryReader.Damaged() }
        storage.documents = documents
        storage.refreshUrgent()
        if let urgentFile {
            guard let urgent = storage.urgent else { throw BinaryReader.Damaged() }
            storage.urgentFile = (urgent.targets, urgentFile.bytes, urgentFile.fingerprint)
        }
        return storage
    }

    /// `urgent.json` as kept: its targets are the urgent signs', made once the documents are read.
    typealias UrgentFile = (bytes: [UInt8], fingerprint: String)

    private func readAnalyses(from reader: inout BinaryReader) throws -> UrgentFile? {
        limits = SearchIndexLimits(singleFile: try reader.read(), shardBytes: try reader.read(), wordBytes: try reader.read(),
                                   maxTextBytes: try reader.read(), minSnippetBytes: try reader.read())
        terms = try reader.read()
        words = try reader.read()
        wordStem = try reader.read()
        guard wordStem.count == words.count, wordStem.allSatisfy({ 0 <= $0 && $0 < terms.count }) else { throw BinaryReader.Damaged() }
        termIDs = try Self.numbering(terms)
        wordIDs = try Self.numbering(words)

        let count = try reader.readCount()
        docs.reserveCapacity(count)
        for _ in 0..<count {
            var doc = Doc(id: try reader.read())
            doc.fileHash = try reader.read()
            doc.fileFingerprint = try reader.read()
            doc.terms = try reader.readIncreasing(below: terms.count)
            doc.frequencies = try reader.read()
            doc.words = try reader.readIncreasing(below: words.count)
            doc.length = try reader.read()
            doc.warningStems = try reader.readIncreasing(below: terms.count)
            doc.isGuide = try reader.read()
            doc.hasWarnings = try reader.read()
            doc.signs = try reader.read()
            guard doc.frequencies.count == doc.terms.count else { throw BinaryReader.Damaged() }
            docs.append(doc)
        }
        postings.reserveCapacity(terms.count)
        for _ in terms.indices {
            let numbers = try reader.readIncreasing(below: docs.count), frequencies: [Int32] = try reader.read()
            guard frequencies.count == numbers.count else { throw BinaryReader.Damaged() }
            postings.append(zip(numbers, frequencies).map { Posting(doc: Int($0), frequency: Int($1)) })
        }
        countFromDocs()

        dirtyTerms = Set(try reader.readIncreasing(below: terms.count))
        units.reserveCapacity(terms.count)
        for term in terms.indices {
            let count = try reader.readCount()
            var list: [Unit] = []
            list.reserveCapacity(count)
            for _ in 0..<count {
                // Int32 keeps the sum from overflowing; a dirty term's units are measured
                // again before any is used, so only a clean term's must fit its postings.
                let start = Int(try reader.read() as Int32), length = Int(try reader.read() as Int32)
                guard start >= 0, length >= 0, dirtyTerms.contains(Int32(term)) || start + length <= postings[term].count
                else { throw BinaryReader.Damaged() }
                list.append(Unit(term: Int32(term), range: start..<start + length, bytes: try reader.read(), hash: try reader.read()))
            }
            units.append(list)
        }
        termLetters = try readLetters(from: &reader, names: terms) { members, cuts in
            try Self.cut(members.flatMap { self.units[Int($0)] }, at: cuts).map { Shard(units: Array($0), fingerprint: $1) }
        }
        wordLetters = try readLetters(from: &reader, names: words) { members, cuts in
            try Self.cut(members.filter { self.wordDocs[Int($0)] > 0 }, at: cuts).map { run, fingerprint in
                WordGroup(words: Array(run), frequencies: run.map { self.postings[Int(self.wordStem[Int($0)])].count },
                          fingerprint: fingerprint)
            }
        }
        if try reader.read() as Bool {
            let single: String? = try reader.read(), head: String = try reader.read()
            let paths: [String] = try reader.read(), fingerprints: [String] = try reader.read()
            guard paths.count == fingerprints.count, Set(paths).count == paths.count else { throw BinaryReader.Damaged() }
            emitted = Emitted(single: single, head: head, named: Dictionary(uniqueKeysWithValues: zip(paths, fingerprints)),
                              docs: try reader.read(), urgent: try reader.read())
        }
        return try reader.read() as Bool ? (try reader.readBytes(), try reader.read()) : nil
    }

    /// Names to their numbers; a name twice is damage.
    static func numbering(_ names: [String]) throws -> [String: Int32] {
        var ids: [String: Int32] = [:]
        ids.reserveCapacity(names.count)
        for (id, name) in names.enumerated() where ids.updateValue(Int32(id), forKey: name) != nil {
            throw BinaryReader.Damaged()
        }
        return ids
    }

    /// What follows from `docs` and `words`, as `repost` and `analyze` make it.
    func countFromDocs() {
        var wordDocs = [Int32](repeating: 0, count: words.count)
        var warningPages: [Int32: Int] = [:]
        for doc in docs {
            for word in doc.words { wordDocs[Int(word)] += 1 }
            for stem in doc.warningStems { warningPages[stem, default: 0] += 1 }
        }
        var stemWords = [[Int32]](repeating: [], count: terms.count)
        for (word, stem) in wordStem.enumerated() { stemWords[Int(stem)].append(Int32(word)) }
        self.wordDocs = wordDocs
        self.warningPages = warningPages
        self.stemWords = stemWords
        lengths = docs.map(\.length)
        codes = lengths.map { UInt8(LengthNorm.encode($0)) }
        wordCost = words.map(jsonStringBytes)
    }

    /// Letters as `writeLetters` wrote them. Every id must be in exactly one letter, the
    /// one of its first scalar: updates look its letter up by that and unwrap it.
    func readLetters<Plan>(from reader: inout BinaryReader, names: [String],
                           plan: ([Int32], [(count: Int, fingerprint: String)]) throws -> [Plan]) throws
        -> [Unicode.Scalar: Letter<Plan>] {
        var letters: [Unicode.Scalar: Letter<Plan>] = [:]
        var placed = [Bool](repeating: false, count: names.count)
        for _ in 0..<(try reader.readCount()) {
            guard let scalar = UInt32(exactly: try reader.read() as Int).flatMap({ Unicode.Scalar($0) }), letters[scalar] == nil
            else { throw BinaryReader.Damaged() }
            var letter = Letter<Plan>()
            letter.members = try reader.read()
            for member in letter.members {
                guard 0 <= member, Int(member) < names.count, !placed[Int(member)],
                      names[Int(member)].unicodeScalars.first == scalar else { throw BinaryReader.Damaged() }
                placed[Int(member)] = true
            }
            letter.dirty = try reader.read()
            if !letter.dirty {
                var cuts: [(count: Int, fingerprint: String)] = []
                for _ in 0..<(try reader.readCount()) { cuts.append((try reader.read(), try reader.read())) }
                letter.plan = try plan(letter.members, cuts)
            }
            letters[scalar] = letter
        }
        guard !placed.contains(false) else { throw BinaryReader.Damaged() }
        return letters
    }

    /// `entries` in runs of these lengths, which must take them all, none empty.
    static func cut<Entry>(_ entries: [Entry], at cuts: [(count: Int, fingerprint: String)]) throws
        -> [(ArraySlice<Entry>, String)] {
        var runs: [(ArraySlice<Entry>, String)] = [], start = 0
        for (count, fingerprint) in cuts {
            guard count > 0, count <= entries.count - start else { throw BinaryReader.Damaged() }
            runs.append((entries[start..<start + count], fingerprint))
            start += count
        }
        guard start == entries.count else { throw BinaryReader.Damaged() }
        return runs
    }
}

extension BinaryWriter {
    /// Increasing ids as the steps between them: mostly one byte each.
    fileprivate mutating func write(increasing ids: [Int32]) {
        var previous: Int32 = -1
        write(ids.map { id in
            defer { previous = id }
            return id - previous
        })
    }
}

extension BinaryReader {
    /// Ids written by `write(increasing:)`, each below `bound`. Read as one list of
    /// steps: the reader's own loop over a list is faster than a call per number from here.
    fileprivate mutating func readIncreasing(below bound: Int) throws -> [Int32] {
        var ids: [Int32] = try read()
        var previous = -1
        try ids.withUnsafeMutableBufferPointer { ids in
            for index in ids.indices {
                let step = Int(ids[index])
                guard step > 0, step < bound - previous else { throw BinaryReader.Damaged() }
                previous += step
                ids[index] = Int32(previous)
            }
        }
        return ids
    }
}
