import CYAML

/// A position in YAML text, counted from 1 (columns in characters, as libyaml counts).
struct Mark: Equatable, Sendable {
    var line: Int
    var column: Int
}

/// A YAML node as the decoders read it: libyaml's events composed into a tree, aliases
/// replaced by the nodes they name, every node with the mark of its start.
indirect enum Node: Sendable {
    case scalar(Scalar)
    case sequence([Node], Mark)
    case mapping([(key: Node, value: Node)], Mark)

    struct Scalar: Sendable {
        var string: String
        /// The tag written on it (`tag:yaml.org,2002:bool` for `!!bool`), if any.
        var tag: String?
        /// Written without quotes or a block indicator: only such scalars are nulls or booleans by their spelling.
        var isPlain: Bool
        var mark: Mark
    }

    var mark: Mark {
        switch self {
        case .scalar(let scalar): scalar.mark
        case .sequence(_, let mark), .mapping(_, let mark): mark
        }
    }

    /// The text of a scalar.
    var string: String? {
        if case .scalar(let scalar) = self { return scalar.string }
        return nil
    }

    /// A plain `~`, `null` or nothing at all: YAML 1.1's null.
    var isNull: Bool {
        guard case .scalar(let scalar) = self, scalar.isPlain else { return false }
        switch scalar.string {
        case "", "~", "null", "Null", "NULL": return true
        default: return false
        }
    }
}

/// What stops composing: libyaml's complaint, or a key written twice in one mapping.
enum YAMLError: Error {
    case syntax(problem: String, mark: Mark)
    /// The key and where it is written the second time.
    case duplicateKey(String, Mark)
}

/// Composes the one YAML document of a text from libyaml's events. Yams did this with a
/// tag object per node, weak references and a dictionary per mapping to find duplicate
/// keys: about 4% of a cold 10,000-page build, for front-matter of a dozen keys.
enum YAMLComposer {
    /// Collections nested deeper are refused: the composer recurses, and libyaml 0.2.5
    /// has no limit of its own.
    static let maximumDepth = 1_000

    /// The document's root, or nil for a text with no document.
    static func compose(_ yaml: String) throws(YAMLError) -> Node? {
        // libyaml's string reader points back at the parser: it must not move while used.
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else { throw .syntax(problem: "out of memory", mark: Mark(line: 1, column: 1)) }
        defer { yaml_parser_delete(parser) }
        var text = yaml, composed: Result<Node?, YAMLError> = .success(nil)
        text.withUTF8 { bytes in composed = Result { () throws(YAMLError) -> Node? in
            yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(parser, bytes.baseAddress, bytes.count)
            var reader = EventReader(parser: parser, text: bytes)
            _ = try reader.next()  // stream start
            var event = try reader.next()
            guard event.type != YAML_STREAM_END_EVENT else { return nil }
            let root = try reader.node(from: try reader.next())
            _ = try reader.next()  // document end
            event = try reader.next()
            guard event.type == YAML_STREAM_END_EVENT else {
                throw .syntax(problem: "found a second document, where one is expected", mark: event.mark)
            }
            return root
        } }
        return try composed.get()
    }
}

/// One event's parts, copied out of libyaml's event (which is freed at once).
private struct Event {
    var type: yaml_event_type_t
    var mark: Mark
    var value = ""
    var tag: String?
    var anchor: String?
    var isPlain = false
}

private struct EventReader {
    let parser: UnsafeMutablePointer<yaml_parser_t>
    let text: UnsafeBufferPointer<UInt8>
    var anchors: [String: Node] = [:]
    var depth = 0

    mutating func next() throws(YAMLError) -> Event {
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else { throw failure() }
        defer { yaml_event_delete(&event) }
        let start = event.start_mark
        var read = Event(type: event.type, mark: Mark(line: start.line + 1, column: start.column + 1))
        switch event.type {
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            read.value = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            read.tag = Self.string(scalar.tag)
            read.anchor = Self.string(scalar.anchor)
            read.isPlain = scalar.style == YAML_PLAIN_SCALAR_STYLE
        case YAML_SEQUENCE_START_EVENT:
            read.anchor = Self.string(event.data.sequence_start.anchor)
        case YAML_MAPPING_START_EVENT:
            read.anchor = Self.string(event.data.mapping_start.anchor)
        case YAML_ALIAS_EVENT:
            read.anchor = Self.string(event.data.alias.anchor)
        default:
            break
        }
        return read
    }

    static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    mutating func node(from event: Event) throws(YAMLError) -> Node {
        let node: Node
        switch event.type {
        case YAML_ALIAS_EVENT:
            guard let anchor = event.anchor, let named = anchors[anchor] else {
                throw .syntax(problem: "found undefined alias", mark: event.mark)
            }
            return named
        case YAML_SCALAR_EVENT:
            node = .scalar(.init(string: event.value, tag: event.tag, isPlain: event.isPlain, mark: event.mark))
        case YAML_SEQUENCE_START_EVENT:
            try enter(at: event.mark)
            var items: [Node] = []
            while true {
                let item = try next()
                guard item.type != YAML_SEQUENCE_END_EVENT else { break }
                items.append(try self.node(from: item))
            }
            depth -= 1
            node = .sequence(items, event.mark)
        case YAML_MAPPING_START_EVENT:
            try enter(at: event.mark)
            var pairs: [(key: Node, value: Node)] = []
            // Front-matter's dozen keys are compared in turn (hashing each cost more); a
            // long mapping's in a set, so that a hostile one is not quadratic.
            var longMappingKeys: Set<String>?
            while true {
                let keyEvent = try next()
                guard keyEvent.type != YAML_MAPPING_END_EVENT else { break }
                let key = try self.node(from: keyEvent)
                if case .scalar(let scalar) = key {
                    if pairs.count >= 16, longMappingKeys == nil { longMappingKeys = Set(pairs.compactMap { $0.key.string }) }
                    let written = longMappingKeys?.contains(scalar.string) ?? pairs.contains { $0.key.string == scalar.string }
                    if written { throw .duplicateKey(scalar.string, scalar.mark) }
                    longMappingKeys?.insert(scalar.string)
                }
                pairs.append((key, try self.node(from: try next())))
            }
            depth -= 1
            node = .mapping(pairs, event.mark)
        default:
            throw .syntax(problem: "unexpected YAML event", mark: event.mark)
        }
        if let anchor = event.anchor { anchors[anchor] = node }
        return node
    }

    mutating func enter(at mark: Mark) throws(YAMLError) {
        depth += 1
        guard depth <= YAMLComposer.maximumDepth else {
            throw .syntax(problem: "nested more than \(YAMLComposer.maximumDepth) levels deep", mark: mark)
        }
    }

    /// libyaml's error as a problem at a mark. A reader error (a byte YAML does not
    /// allow) has only a byte offset, turned into a line and column here.
    func failure() -> YAMLError {
        let parser = parser.pointee
        let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
        guard parser.error == YAML_READER_ERROR else {
            return .syntax(problem: problem, mark: Mark(line: parser.problem_mark.line + 1, column: parser.problem_mark.column + 1))
        }
        let offset = min(parser.problem_offset, text.count)
        var line = 1, lineStart = 0
        for index in 0..<offset where text[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        // Characters, not bytes: continuation bytes do not start one.
        let column = 1 + text[lineStart..<offset].filter { $0 & 0xC0 != 0x80 }.count
        return .syntax(problem: problem, mark: Mark(line: line, column: column))
    }
}
