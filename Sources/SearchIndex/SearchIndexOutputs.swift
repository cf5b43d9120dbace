import ContentModel

/// The files of the kept index, as `SearchIndexWriter.files` and `Sharder` make them,
/// planned from cached sizes and hashes: only terms whose postings changed are measured
/// again, only letters holding one are cut into shards again, and no file is written
/// out until its `make` is called.
extension IndexStorage {
    /// Every file, or with `onlyChanged` those whose fingerprints differ from the files
    /// last given out and the paths of those that are gone; nil then if the index went
    /// from one file to shards or back.
    func outputs(onlyChanged: Bool = false) -> SearchChanges? {
        let last = onlyChanged ? emitted : nil
        emitted = nil
        if onlyChanged, last == nil { return nil }
        var now = Emitted()
        var files: [SearchOutput] = []
        /// Gives a file out unless `last` had it with this fingerprint; its maker is made only then.
        func offer(_ path: String, fingerprint: String, given: Bool, make: @autoclosure () -> @Sendable (String) -> OutputFile) {
            guard !given else { return }
            let made = make()
            files.append(SearchOutput(path: path, fingerprint: fingerprint) { made(path) })
        }
        /// A terms shard or words file, known to `last` by its path.
        func offer(named path: String, fingerprint: String, make: @autoclosure () -> @Sendable (String) -> OutputFile) {
            now.named[path] = fingerprint
            offer(path, fingerprint: fingerprint, given: last?.named[path] == fingerprint, make: make())
        }
        let count = docs.count
        if count * limits.minSnippetBytes <= limits.singleFile,
           let single = SearchIndexWriter.singleFile(invertedIndex(), limits: limits, selections: snippetSelections) {
            let bytes = Array(single.utf8)
            let fingerprint = Fingerprint.of(bytes).indexFile
            now.single = fingerprint
            emitted = now
            if let last, last.single == nil { return nil }
            if last?.single == fingerprint { return SearchChanges(files: []) }
            return SearchChanges(files: [SearchOutput(path: "search/index.json", fingerprint: fingerprint) {
                OutputFile(path: "search/index.json", contents: bytes)
            }])
        }
        refreshUnits()
        var shardTable: [JSON] = []
        for scalar in sortedKeys(termLetters) {
            planTerms(scalar)
            for (place, shard) in termLetters[scalar]!.plan.enumerated() {
                let content = { shard.units.map { (self.terms[Int($0.term)], self.postings[Int($0.term)][$0.range]) } }
                let path = "search/terms/" + IndexFormat.fileName(letter: scalar, place: place)
                offer(named: path, fingerprint: shard.fingerprint, make: { [content = content(), size = shard.units.reduce(0) { $0 + $1.bytes }] path in
                    var bytes = Array("{\"postings\":{".utf8)
                    bytes.reserveCapacity(size + 16)
                    for (position, unit) in content.enumerated() {
                        if position > 0 { bytes.append(UInt8(ascii: ",")) }
                        IndexFormat.writePostings(unit.0, unit.1, into: &bytes)
                    }
                    return OutputFile(path: path, contents: bytes + "}}".utf8)
                })
                shardTable.append(JSON.strings([terms[Int(shard.units.first!.term)], terms[Int(shard.units.last!.term)]]))
            }
        }
        var wordFiles: [String] = []
        for scalar in sortedKeys(wordLetters) {
            planWords(scalar)
            for (place, group) in wordLetters[scalar]!.plan.enumerated() {
                offer(named: "search/words/" + IndexFormat.fileName(letter: scalar, place: place), fingerprint: group.fingerprint,
                      make: { [list = group.words.map { self.words[Int($0)] }, frequencies = group.frequencies] path in
                          let members: [String: JSON] = ["words": JSON.strings(list), "df": .array(frequencies.map { .int($0) })]
                          return OutputFile(path: path, contents: JSON.object(members).bytes)
                      })
                wordFiles.append(words[Int(group.words[0])])
            }
        }
        let documents = self.documents ?? []
        let maxText = limits.maxTextBytes
        files.reserveCapacity(files.count + (onlyChanged ? 0 : count) + 2)
        while docPaths.count < count { docPaths.append("search/docs/\(docPaths.count).json") }
        now.docs.reserveCapacity(count)
        let lastDocs = last?.docs ?? []
        for (number, doc) in docs.enumerated() {
            now.docs.append(doc.fileFingerprint)
            let given = lastDocs.indices.contains(number) && lastDocs[number] == doc.fileFingerprint
            offer(docPaths[number], fingerprint: doc.fileFingerprint, given: given, make: { [document = documents[number]] path in
                OutputFile(path: path, contents: IndexFormat.document(document, maxText: maxText).bytes)
            })
        }
        if let urgent {
            // Serialized again only when the targets changed: on a large site they are long.
            if urgentFile?.targets != urgent.targets {
                let bytes = JSON.object(["targets": IndexFormat.urgentTargets(urgent)]).bytes
                urgentFile = (urgent.targets, bytes, Fingerprint.of(bytes).indexFile)
            }
            let bytes = urgentFile!.bytes
            now.urgent = urgentFile!.fingerprint
            if last?.urgent != urgentFile!.fingerprint {
                files.append(SearchOutput(path: "search/urgent.json", fingerprint: urgentFile!.fingerprint) {
                    OutputFile(path: "search/urgent.json", contents: bytes)
                })
            }
        }
        var manifest = IndexFormat.header(lengthCodes: codes.map(Int.init), averageLength: averageLength, urgent: urgent)
        manifest["shards"] = .array(shardTable)
        manifest["wordFiles"] = JSON.strings(wordFiles)
        let bytes = JSON.object(manifest).bytes
        let head = SearchOutput(path: "search/index.json", fingerprint: Fingerprint.of(bytes).indexFile) {
            OutputFile(path: "search/index.json", contents: bytes)
        }
        now.head = head.fingerprint
        emitted = now
        if let last {
            guard last.single == nil else { return nil }
            // A new word can split a shard (one more file for its letter), a word no page has
            // any more can merge two (one fewer); documents are numbered from 0.
            var vanished = Set(last.named.keys).subtracting(now.named.keys).sorted()
            vanished += (now.docs.count..<max(now.docs.count, last.docs.count)).map { "search/docs/\($0).json" }
            if last.urgent != nil, now.urgent == nil { vanished.append("search/urgent.json") }
            return SearchChanges(files: last.head == now.head ? files : [head] + files, vanished: vanished)
        }
        return SearchChanges(files: [head] + files)
    }

    /// `InvertedIndex.averageLength`, from the kept codes.
    var averageLength: Double {
        codes.isEmpty ? 0 : Double(codes.reduce(0) { $0 + LengthNorm.decode(Int($1)) }) / Double(codes.count)
    }

    @inline(__always) static func digits(_ value: Int) -> Int {
        var value = value, count = 1
        if value < 0 { value = -value; count += 1 }
        while value >= 10 { value /= 10; count += 1 }
        return count
    }

    // MARK: - Terms shards

    /// Measures and hashes every term whose postings changed.
    func refreshUnits() {
        guard !dirtyTerms.isEmpty else { return }
        let dirty = Array(dirtyTerms)
        dirtyTerms = []
        let budget = limits.shardBytes - 32
        let terms = self.terms, postings = self.postings
        let made: [[Unit]] = dirty.concurrentMap { term in
            Self.units(term, name: terms[Int(term)], postings: postings[Int(term)], budget: budget)
        }
        for (term, list) in zip(dirty, made) {
            units[Int(term)] = list
            termLetters[terms[Int(term)].unicodeScalars.first!]!.dirty = true
        }
    }

    /// `Sharder.plan`'s entries of one term: the whole list, or pages of it that each fit.
    static func units(_ term: Int32, name: String, postings: [Posting], budget: Int) -> [Unit] {
        guard !postings.isEmpty else { return [] }
        let nameBytes = jsonStringBytes(name)
        var nameHash = Fingerprint()
        nameHash.combine(name)
        let head = nameBytes + 4
        var costs = 0
        for posting in postings {
            costs += digits(posting.doc) + digits(posting.frequency) + 2
        }
        func unit(_ range: Range<Int>, bytes: Int) -> Unit {
            var hash = nameHash
            hash.combine(range.count)
            for posting in postings[range] {
                hash.combine(posting.doc)
                hash.combine(posting.frequency)
            }
            return Unit(term: term, range: range, bytes: bytes, hash: hash)
        }
        if nameBytes + 3 + costs <= budget { return [unit(0..<postings.count, bytes: nameBytes + 3 + costs)] }
        var result: [Unit] = []
        var start = 0, bytes = 0
        for (position, posting) in postings.enumerated() {
            let cost = digits(posting.doc) + digits(posting.frequency) + 2
            if position > start, head + bytes + cost > budget {
                result.append(unit(start..<position, bytes: nameBytes + 3 + bytes))
                start = position
                bytes = 0
            }
            bytes += cost
        }
        result.append(unit(start..<postings.count, bytes: nameBytes + 3 + bytes))
        return result
    }

    /// Cuts one letter's terms into shards, as `Sharder.plan` does for each letter.
    func planTerms(_ scalar: Unicode.Scalar) {
        guard termLetters[scalar]!.dirty else { return }
        let budget = limits.shardBytes - 32
        var entries: [Unit] = []
        for term in termLetters[scalar]!.members { entries += units[Int(term)] }
        var shards: [Shard] = []
        var packed: [Unit] = []
        var packedBytes = 0
        func flush() {
            var hash = Fingerprint()
            for unit in packed { hash.combine(unit.hash) }
            shards.append(Shard(units: packed, fingerprint: hash.indexFile))
            packed = []
            packedBytes = 0
        }
        for part in split(entries[...], prefixLength: 2, budget: budget) {
            let bytes = part.reduce(0) { $0 + $1.bytes }
            if !packed.isEmpty, packedBytes + bytes > budget { flush() }
            packed += part
            packedBytes += bytes
        }
        if !packed.isEmpty { flush() }
        termLetters[scalar]!.plan = shards
        termLetters[scalar]!.dirty = false
    }

    func split(_ entries: ArraySlice<Unit>, prefixLength: Int, budget: Int) -> [ArraySlice<Unit>] {
        if entries.reduce(0, { $0 + $1.bytes }) <= budget || entries.count == 1 { return [entries] }
        let parts = groups(entries, prefixLength: prefixLength)
        if parts.count == 1 && parts[0].allSatisfy({ $0.term == entries.first!.term }) {
            return entries.indices.map { entries[$0...$0] }
        }
        return parts.flatMap { split($0, prefixLength: prefixLength + 1, budget: budget) }
    }

    func groups(_ entries: ArraySlice<Unit>, prefixLength: Int) -> [ArraySlice<Unit>] {
        var result: [ArraySlice<Unit>] = []
        var start = entries.startIndex
        var previous: String.UnicodeScalarView.SubSequence?
        for index in entries.indices {
            let scalars = terms[Int(entries[index].term)].unicodeScalars
            let current = scalars.prefix(prefixLength)
            if let previous, !previous.elementsEqual(current) {
                result.append(entries[start..<index])
                start = index
            }
            previous = current
        }
        if start < entries.endIndex { result.append(entries[start..<entries.endIndex]) }
        return result
    }

    // MARK: - Words files

    /// One letter's words in runs under `wordBytes`, as `Sharder.wordGroups`.
    func planWords(_ scalar: Unicode.Scalar) {
        guard wordLetters[scalar]!.dirty else { return }
        let budget = limits.wordBytes - 32
        var groups: [WordGroup] = []
        var current: [Int32] = [], frequencies: [Int] = []
        var bytes = 0
        func flush() {
            var hash = Fingerprint()
            for (word, frequency) in zip(current, frequencies) {
                hash.combine(words[Int(word)])
                hash.combine(frequency)
            }
            groups.append(WordGroup(words: current, frequencies: frequencies, fingerprint: hash.indexFile))
            current = []
            frequencies = []
            bytes = 0
        }
        for word in wordLetters[scalar]!.members where wordDocs[Int(word)] > 0 {
            let df = postings[Int(wordStem[Int(word)])].count
            let cost = wordCost[Int(word)] + Self.digits(df) + 2
            if !current.isEmpty, bytes + cost > budget { flush() }
            current.append(word)
            frequencies.append(df)
            bytes += cost
        }
        if !current.isEmpty { flush() }
        wordLetters[scalar]!.plan = groups
        wordLetters[scalar]!.dirty = false
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
