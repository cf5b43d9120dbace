import ContentModel
import Foundation

/// The state between `patella build` processes, in a binary file of its own:
///
///     "PTLSRCH\0", layout version (u32), IndexFormat.version (u32), the limits (5 × i64),
///     terms (u32 count, then each: u32 byte count, UTF-8), sorted as the files list them,
///     words (u32 count, then each: string, u32 stem), sorted,
///     documents (u32 count, then each: id, content hash and file hash (2 × u64 each),
///       length (i64), flags (u8: guide, has warnings), terms (u32 count, ids, frequencies),
///       words (u32 count, ids), warning stems (u32 count, ids), signs (u32 count, strings)),
///     and a hash of everything before it (2 × u64).
///
/// Little-endian. Ids are positions in the sorted tables, so lists load in order and
/// nothing is sorted on load. A file that is short, fails its hash, has another version
/// or holds an id out of range loads as nil, and the next build starts from scratch.
extension SearchIndexState {
    static let magic: [UInt8] = Array("PTLSRCH\0".utf8)
    static let layoutVersion: UInt32 = 1

    /// Writes the state (atomically); false if it could not be written.
    @discardableResult
    public func save(to path: String) -> Bool {
        let bytes = storage.withLock { $0.serialized() }
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
            return true
        } catch {
            return false
        }
    }

    /// The state saved at `path`, or nil when there is none or it is not a whole, valid
    /// file of this version.
    public static func load(from path: String) -> SearchIndexState? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return load(bytes: [UInt8](data))
    }

    static func load(bytes: [UInt8]) -> SearchIndexState? {
        guard let storage = IndexStorage.deserialized(bytes) else { return nil }
        return SearchIndexState(storage: storage)
    }
}

struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ value: UInt8) { bytes.append(value) }
    mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u32(_ value: Int) { u32(UInt32(truncatingIfNeeded: value)) }
    mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func i64(_ value: Int) { u64(UInt64(bitPattern: Int64(value))) }
    mutating func string(_ value: String) {
        u32(value.utf8.count)
        bytes.append(contentsOf: value.utf8)
    }
    mutating func ids(_ values: [Int32]) {
        bytes.reserveCapacity(bytes.count + values.count * 4)
        for value in values { u32(UInt32(bitPattern: value)) }
    }
}

struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    mutating func take(_ count: Int) -> Int? {
        guard count >= 0, count <= bytes.count - offset else { return nil }
        defer { offset += count }
        return offset
    }

    mutating func u8() -> UInt8? { take(1).map { bytes[$0] } }
    mutating func u32() -> UInt32? { take(4).map { UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: $0, as: UInt32.self)) } }
    mutating func u64() -> UInt64? { take(8).map { UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: $0, as: UInt64.self)) } }
    mutating func i64() -> Int? { u64().map { Int(Int64(bitPattern: $0)) } }
    mutating func count() -> Int? {
        // Every counted item takes at least a byte: a count past the end is corrupt.
        guard let value = u32(), Int(value) <= bytes.count - offset else { return nil }
        return Int(value)
    }
    mutating func string() -> String? {
        guard let length = count(), let start = take(length) else { return nil }
        return String(validating: UnsafeRawBufferPointer(rebasing: bytes[start..<start + length]).bindMemory(to: UInt8.self), as: UTF8.self)
    }
    /// `count` ids, each below `limit`, strictly increasing when `increasing`.
    mutating func ids(_ count: Int, below limit: Int, increasing: Bool) -> [Int32]? {
        guard let start = take(count * 4) else { return nil }
        var out = [Int32]()
        out.reserveCapacity(count)
        var previous = -1
        for position in 0..<count {
            let value = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: start + position * 4, as: UInt32.self)))
            guard value < limit, !increasing || value > previous else { return nil }
            previous = value
            out.append(Int32(value))
        }
        return out
    }
    mutating func hash() -> Fingerprint? {
        guard let a = u64(), let b = u64() else { return nil }
        return Fingerprint(lanes: (a, b))
    }
}

extension IndexStorage {
    func serialized() -> [UInt8] {
        // Ids in the order the files list terms and words.
        var termOrder: [Int32] = [], wordOrder: [Int32] = []
        for scalar in sortedKeys(termLetters) { termOrder += termLetters[scalar]!.members }
        for scalar in sortedKeys(wordLetters) { wordOrder += wordLetters[scalar]!.members }
        var newTerm = [Int32](repeating: -1, count: terms.count), newWord = [Int32](repeating: -1, count: words.count)
        for (position, term) in termOrder.enumerated() { newTerm[Int(term)] = Int32(position) }
        for (position, word) in wordOrder.enumerated() { newWord[Int(word)] = Int32(position) }

        var out = ByteWriter()
        out.bytes.append(contentsOf: SearchIndexState.magic)
        out.u32(SearchIndexState.layoutVersion)
        out.u32(IndexFormat.version)
        for limit in [limits.singleFile, limits.shardBytes, limits.wordBytes, limits.maxTextBytes, limits.minSnippetBytes] {
            out.i64(limit)
        }
        out.u32(termOrder.count)
        for term in termOrder { out.string(terms[Int(term)]) }
        out.u32(wordOrder.count)
        for word in wordOrder {
            out.string(words[Int(word)])
            out.u32(UInt32(bitPattern: newTerm[Int(wordStem[Int(word)])]))
        }
        out.u32(docs.count)
        for (index, doc) in docs.enumerated() {
            out.string(doc.id)
            let content = doc.contentHash ?? Self.contentHash(documents![index])
            for hash in [content, doc.fileHash] {
                out.u64(hash.lanes.0)
                out.u64(hash.lanes.1)
            }
            out.i64(doc.length)
            out.u8((doc.isGuide ? 1 : 0) | (doc.hasWarnings ? 2 : 0))
            let pairs = zip(doc.terms, doc.frequencies).map { (newTerm[Int($0)], $1) }.sorted { $0.0 < $1.0 }
            out.u32(pairs.count)
            out.ids(pairs.map(\.0))
            out.ids(pairs.map(\.1))
            out.u32(doc.words.count)
            out.ids(doc.words.map { newWord[Int($0)] }.sorted())
            out.u32(doc.warningStems.count)
            out.ids(doc.warningStems.map { newTerm[Int($0)] }.sorted())
            out.u32(doc.signs.count)
            for sign in doc.signs { out.string(sign) }
        }
        let check = out.bytes.withUnsafeBytes { bytes in
            var hash = Fingerprint()
            hash.combine(bytes: bytes)
            return hash
        }
        out.u64(check.lanes.0)
        out.u64(check.lanes.1)
        return out.bytes
    }

    static func deserialized(_ bytes: [UInt8]) -> IndexStorage? {
        bytes.withUnsafeBytes { buffer -> IndexStorage? in
            guard buffer.count >= SearchIndexState.magic.count + 8 + 16 else { return nil }
            var hash = Fingerprint()
            hash.combine(bytes: UnsafeRawBufferPointer(rebasing: buffer[0..<buffer.count - 16]))
            var trailer = ByteReader(bytes: buffer, offset: buffer.count - 16)
            guard trailer.hash() == hash else { return nil }
            var reader = ByteReader(bytes: UnsafeRawBufferPointer(rebasing: buffer[0..<buffer.count - 16]))
            guard let start = reader.take(SearchIndexState.magic.count),
                  buffer[start..<start + SearchIndexState.magic.count].elementsEqual(SearchIndexState.magic),
                  reader.u32() == SearchIndexState.layoutVersion, reader.u32() == UInt32(IndexFormat.version)
            else { return nil }
            return read(&reader)
        }
    }

    private static func read(_ reader: inout ByteReader) -> IndexStorage? {
        var limitValues: [Int] = []
        for _ in 0..<5 {
            guard let value = reader.i64(), value > 0 else { return nil }
            limitValues.append(value)
        }
        let storage = IndexStorage()
        storage.limits = SearchIndexLimits(singleFile: limitValues[0], shardBytes: limitValues[1], wordBytes: limitValues[2],
                                           maxTextBytes: limitValues[3], minSnippetBytes: limitValues[4])
        guard let termCount = reader.count() else { return nil }
        storage.terms.reserveCapacity(termCount)
        for _ in 0..<termCount {
            guard let term = reader.string(), !term.isEmpty, storage.termIDs.updateValue(Int32(storage.terms.count), forKey: term) == nil
            else { return nil }
            storage.terms.append(term)
        }
        storage.units = Array(repeating: [], count: termCount)
        storage.stemWords = Array(repeating: [], count: termCount)
        guard let wordCount = reader.count() else { return nil }
        for _ in 0..<wordCount {
            guard let word = reader.string(), !word.isEmpty, let stem = reader.u32(), Int(stem) < termCount,
                  storage.wordIDs.updateValue(Int32(storage.words.count), forKey: word) == nil
            else { return nil }
            storage.stemWords[Int(stem)].append(Int32(storage.words.count))
            storage.words.append(word)
            storage.wordStem.append(Int32(stem))
            storage.wordCost.append(jsonStringBytes(word))
        }
        guard let termLetters: [Unicode.Scalar: Letter<Shard>] = letters(storage.terms),
              let wordLetters: [Unicode.Scalar: Letter<WordGroup>] = letters(storage.words) else { return nil }
        storage.termLetters = termLetters
        storage.wordLetters = wordLetters

        guard let docCount = reader.count() else { return nil }
        storage.docs.reserveCapacity(docCount)
        var ids = Set<String>()
        for _ in 0..<docCount {
            guard let id = reader.string(), ids.insert(id).inserted, let content = reader.hash(), let file = reader.hash(),
                  let length = reader.i64(), let flags = reader.u8(), flags < 4,
                  let termsCount = reader.count(), let terms = reader.ids(termsCount, below: termCount, increasing: true),
                  let frequencies = reader.ids(termsCount, below: Int(Int32.max), increasing: false),
                  let wordsCount = reader.count(), let words = reader.ids(wordsCount, below: wordCount, increasing: true),
                  let warningCount = reader.count(), let warnings = reader.ids(warningCount, below: termCount, increasing: true),
                  let signCount = reader.count()
            else { return nil }
            var doc = Doc(id: id)
            doc.contentHash = content
            doc.fileHash = file
            doc.fileFingerprint = file.indexFile
            doc.length = length
            doc.isGuide = flags & 1 != 0
            doc.hasWarnings = flags & 2 != 0
            doc.terms = terms
            doc.frequencies = frequencies
            doc.words = words
            doc.warningStems = warnings
            for _ in 0..<signCount {
                guard let sign = reader.string() else { return nil }
                doc.signs.append(sign)
            }
            guard doc.frequencies.reduce(0, { $0 + Int($1) }) == length else { return nil }
            storage.docs.append(doc)
        }
        guard reader.offset == reader.bytes.count else { return nil }
        storage.repost()
        return storage
    }

    /// Sorted names to letters; nil if the names are not sorted.
    private static func letters<Plan>(_ names: [String]) -> [Unicode.Scalar: Letter<Plan>]? {
        var letters: [Unicode.Scalar: Letter<Plan>] = [:]
        var current: Unicode.Scalar?
        var members: [Int32] = []
        for (position, name) in names.enumerated() {
            if position > 0, !utf16Less(names[position - 1], name) { return nil }
            let scalar = name.unicodeScalars.first!
            if scalar != current {
                if let current { letters[current] = Letter(members: members) }
                current = scalar
                members = []
            }
            members.append(Int32(position))
        }
        if let current { letters[current] = Letter(members: members) }
        return letters
    }
}

/// Bytes of `text` written by `JSON.writeString` (not script-safe), without writing it.
func jsonStringBytes(_ text: String) -> Int {
    var count = 2
    let utf8 = text.utf8
    var index = utf8.startIndex
    while index != utf8.endIndex {
        let byte = utf8[index]
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): count += 2
        case 0..<0x20: count += 6
        case 0xE2:
            let next = utf8.index(after: index)
            if next != utf8.endIndex, utf8[next] == 0x80, utf8.index(after: next) != utf8.endIndex {
                let last = utf8[utf8.index(after: next)]
                if last == 0xA8 || last == 0xA9 {
                    count += 6
                    index = utf8.index(index, offsetBy: 3)
                    continue
                }
            }
            count += 1
        default: count += 1
        }
        index = utf8.index(after: index)
    }
    return count
}
