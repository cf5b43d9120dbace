import Diagnostics

// The binary form of a checked page and what it was checked from, for `BuildMemory`.
// A page is kept as its summary (what other pages and the graph need of it), and a
// file as its stamp and digest: the texts and HTML of 10,000 pages made a memory of
// 230 MB that took longer to write and read than checking the pages again.

extension SourceLocation: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) {
        writer.writeShared(file)
        writer.write(line)
        writer.write(column)
    }

    public init(from reader: inout BinaryReader) throws {
        self.init(file: try reader.readShared(), line: try reader.read(), column: try reader.read())
    }
}

extension Severity: RawTextCodable {}

extension Diagnostic: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) {
        writer.write(severity)
        writer.writeShared(code)
        writer.write(location)
        writer.write(message)
        writer.write(hint)
    }

    public init(from reader: inout BinaryReader) throws {
        self.init(try reader.read(), try reader.readShared(), at: try reader.read(), try reader.read(), hint: try reader.read())
    }
}

extension FileStamp: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) {
        writer.write(device)
        writer.write(inode)
        writer.write(size)
        writer.write(modified)
        writer.write(changed)
    }

    public init(from reader: inout BinaryReader) throws {
        self.init(device: try reader.read(), inode: try reader.read(), size: try reader.read(), modified: try reader.read(),
                  changed: try reader.read())
    }
}

extension SourceFile: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) {
        encodeStamp(to: &writer)
        writer.write(text)
    }

    public init(from reader: inout BinaryReader) throws {
        let kept = try SourceFile(stampFrom: &reader)
        self.init(displayPath: kept.displayPath, relativePath: kept.relativePath, text: try reader.read(), stamp: kept.stamp)
    }

    /// The file without its text: where it is, its stamp and the digest of its text.
    public func encodeStamp(to writer: inout BinaryWriter) {
        writer.write(displayPath)
        writer.write(relativePath)
        writer.write(digest)
        writer.write(stamp)
    }

    /// A file kept by `encodeStamp`: its text is empty, and only its digest says what it held.
    public init(stampFrom reader: inout BinaryReader) throws {
        displayPath = try reader.read()
        relativePath = try reader.read()
        text = ""
        digest = try reader.read()
        stamp = try reader.read()
    }
}

extension PageSource {
    /// Without the file's text (see `SourceFile.encodeStamp`).
    public func encodeStamp(to writer: inout BinaryWriter) {
        writer.write(id)
        writer.write(type)
        file.encodeStamp(to: &writer)
    }

    public init(stampFrom reader: inout BinaryReader) throws {
        self.init(id: try reader.read(), type: try reader.read(), file: try SourceFile(stampFrom: &reader))
    }
}

extension AssetFile: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) {
        writer.write(sourcePath)
        writer.write(outputPath)
    }

    public init(from reader: inout BinaryReader) throws {
        self.init(sourcePath: try reader.read(), outputPath: try reader.read())
    }
}

extension PageDirectory.Entry: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) {
        writer.write(id)
        writer.write(type)
        writer.write(title)
    }

    public init(from reader: inout BinaryReader) throws {
        self.init(id: try reader.read(), type: try reader.read(), title: try reader.read())
    }
}

extension Located: BinaryCodable where Value: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) {
        writer.write(value)
        writer.write(location)
    }

    public init(from reader: inout BinaryReader) throws {
        self.init(try reader.read(), at: try reader.read())
    }
}

extension String: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) { writer.write(self) }
    public init(from reader: inout BinaryReader) throws { self = try reader.read() as String }
}

extension RelationKind: RawTextCodable {}
extension CareStep: RawTextCodable {}
extension CauseKind: RawTextCodable {}

extension CalendarDate: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) {
        writer.write(year)
        writer.write(month)
        writer.write(day)
    }

    public init(from reader: inout BinaryReader) throws {
        guard let date = CalendarDate(year: try reader.read(), month: try reader.read(), day: try reader.read()) else {
            throw BinaryReader.Damaged()
        }
        self = date
    }
}

extension Review: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) {
        writer.write(on)
        writer.write(by)
        writer.write(next)
    }

    public init(from reader: inout BinaryReader) throws {
        self.init(on: try reader.read(), by: try reader.read(), next: try reader.read())
    }
}

extension SourceReference: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) {
        writer.write(title)
        writer.write(publisher)
        writer.write(url)
    }

    public init(from reader: inout BinaryReader) throws {
        self.init(title: try reader.read(), publisher: try reader.read(), url: try reader.read())
    }
}

extension PageMetadata: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) {
        writer.write(title)
        writer.write(summary)
        writer.write(aliases)
        // In the kinds' own order, so equal metadata encodes to equal bytes.
        let kinds = RelationKind.allCases.filter { relations[$0] != nil }
        writer.write(kinds.count)
        for kind in kinds {
            writer.write(kind)
            writer.write(relations[kind]!)
        }
        writer.write(care)
        writer.write(kind)
        writer.write(reviewed)
        writer.write(updated)
        writer.write(sources)
        writer.write(draft)
    }

    public init(from reader: inout BinaryReader) throws {
        title = try reader.read()
        summary = try reader.read()
        aliases = try reader.read()
        relations = [:]
        for _ in 0..<(try reader.readCount()) {
            let kind: RelationKind = try reader.read()
            relations[kind] = try reader.read()
        }
        care = try reader.read()
        kind = try reader.read()
        reviewed = try reader.read()
        updated = try reader.read()
        sources = try reader.read()
        draft = try reader.read()
    }
}

extension LinkTarget: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) {
        switch self {
        case .id(let id):
            writer.write(0)
            writer.write(id)
        case .file(let path):
            writer.write(1)
            writer.write(path)
        }
    }

    public init(from reader: inout BinaryReader) throws {
        switch try reader.read() as Int {
        case 0: self = .id(try reader.read())
        case 1: self = .file(try reader.read())
        default: throw BinaryReader.Damaged()
        }
    }
}

extension LinkReference: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) {
        writer.write(target)
        writer.write(written)
        writer.write(location)
        writer.write(resolved)
    }

    public init(from reader: inout BinaryReader) throws {
        self.init(target: try reader.read(), written: try reader.read(), location: try reader.read(), resolved: try reader.read())
    }
}

extension CalloutKind: RawTextCodable {}

extension Callout: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) {
        writer.write(kind)
        writer.write(text)
    }

    public init(from reader: inout BinaryReader) throws {
        self.init(kind: try reader.read(), text: try reader.read())
    }
}

extension Page {
    /// What other pages, the graph and the render keys need of a page: its file's stamp
    /// and digest, its front-matter, and of its body the links, callouts and the HTML's digest.
    public func encodeSummary(to writer: inout BinaryWriter) {
        writer.write(id)
        writer.write(type)
        file.encodeStamp(to: &writer)
        writer.write(metadata)
        writer.write(body.htmlDigest)
        writer.write(body.links)
        writer.write(body.callouts)
    }

    /// A page kept by `encodeSummary`: its body is not whole (see `ParsedBody.isWhole`).
    public init(summaryFrom reader: inout BinaryReader) throws {
        let id: PageID = try reader.read(), type: PageType = try reader.read()
        let file = try SourceFile(stampFrom: &reader)
        let metadata: PageMetadata = try reader.read()
        let body = ParsedBody(summaryOf: try reader.read(), links: try reader.read(), callouts: try reader.read())
        self.init(id: id, type: type, file: file, metadata: metadata, body: body)
    }
}
