/// One piece of the template before nesting: text, or one tag.
struct Raw {
    enum Kind {
        case text
        case variable(escaped: Bool)
        case sectionOpen, invertedOpen, close, comment, partial, setDelimiters, parentOpen, blockOpen

        var canStandAlone: Bool {
            switch self {
            case .text, .variable: false
            default: true
            }
        }
    }

    var kind: Kind
    /// The text's bytes; for a tag, the whole tag.
    var range: Range<Int>
    var name = ""
    /// The name as looked up, for variables and sections.
    var parsed: Name?
    /// For a standalone partial, parent or block: what every line it renders starts with.
    var indentation: [UInt8] = []
    /// For a block whose open tag ends its line, the next line's blank start, which every
    /// line of its content loses.
    var intrinsicIndentation: [UInt8] = []
}

struct Lexer {
    let bytes: [UInt8]
    private var open: [UInt8] = Array("{{".utf8)
    private var close: [UInt8] = Array("}}".utf8)

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// Line and column (in characters) of a byte offset.
    func position(of offset: Int) -> (line: Int, column: Int) {
        var line = 1, lineStart = 0
        for index in 0..<min(offset, bytes.count) where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        let column = String(decoding: bytes[lineStart..<min(offset, bytes.count)], as: UTF8.self).count + 1
        return (line, column)
    }

    func error(at offset: Int, _ message: String) -> TemplateSyntaxError {
        let (line, column) = position(of: offset)
        return TemplateSyntaxError(line: line, column: column, message: message)
    }

    private func find(_ needle: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, needle.count <= bytes.count else { return nil }
        var index = start
        while index <= bytes.count - needle.count {
            if bytes[index] == first, bytes[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    private func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    private func skipBlanks(from index: Int) -> Int {
        var index = index
        while index < bytes.count, isBlank(bytes[index]) { index += 1 }
        return index
    }

    private var closeText: String { String(decoding: close, as: UTF8.self) }

    mutating func lex() throws(TemplateSyntaxError) -> [Raw] {
        var raws: [Raw] = []
        var index = 0
        while index < bytes.count {
            guard let tagStart = find(open, from: index) else {
                raws.append(Raw(kind: .text, range: index..<bytes.count))
                break
            }
            if tagStart > index { raws.append(Raw(kind: .text, range: index..<tagStart)) }
            var cursor = skipBlanks(from: tagStart + open.count)
            let sigil = cursor < bytes.count ? bytes[cursor] : 0
            let kind: Raw.Kind
            switch sigil {
            case UInt8(ascii: "!"):
                guard let end = find(close, from: cursor) else { throw error(at: tagStart, "a comment is not closed with '\(closeText)'") }
                raws.append(Raw(kind: .comment, range: tagStart..<end + close.count))
                index = end + close.count
                continue
            case UInt8(ascii: "="):
                index = try setDelimiters(tagStart: tagStart, from: cursor + 1)
                raws.append(Raw(kind: .setDelimiters, range: tagStart..<index))
                continue
            case UInt8(ascii: "%"):
                throw error(at: tagStart, "pragmas ('{{%...}}') are not supported")
            case UInt8(ascii: "{"): kind = .variable(escaped: false)
            case UInt8(ascii: "&"): kind = .variable(escaped: false)
            case UInt8(ascii: "#"): kind = .sectionOpen
            case UInt8(ascii: "^"): kind = .invertedOpen
            case UInt8(ascii: "/"): kind = .close
            case UInt8(ascii: ">"): kind = .partial
            case UInt8(ascii: "<"): kind = .parentOpen
            case UInt8(ascii: "$"): kind = .blockOpen
            default: kind = .variable(escaped: true)
            }
            if case .variable(escaped: true) = kind {} else { cursor += 1 }
            cursor = skipBlanks(from: cursor)
            let nameStart = cursor
            while cursor < bytes.count, Self.isNameByte(bytes[cursor]) { cursor += 1 }
            let name = String(decoding: bytes[nameStart..<cursor], as: UTF8.self)
            let nameEnd = cursor
            cursor = skipBlanks(from: cursor)
            if sigil == UInt8(ascii: "{") {
                guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: "}") else {
                    throw error(at: tagStart, "a '{{{' tag is not closed with '}}}'")
                }
                cursor += 1
            }
            guard cursor + close.count <= bytes.count, bytes[cursor..<cursor + close.count].elementsEqual(close) else {
                // Closed further on along the name's line: something stray in the tag, else a tag left open.
                var strayStart = nameEnd
                while strayStart < bytes.count, bytes[strayStart] == 0x20 || bytes[strayStart] == 0x09 { strayStart += 1 }
                let lineEnd = bytes[nameEnd...].firstIndex(of: 0x0A) ?? bytes.count
                if let end = find(close, from: strayStart), end < lineEnd, strayStart < end {
                    let stray = String(decoding: bytes[strayStart..<end], as: UTF8.self)
                    throw error(at: strayStart, "unexpected '\(stray)' in the tag; a tag holds one name")
                }
                throw error(at: tagStart, name.isEmpty ? "expected a name in the tag" : "a tag is not closed with '\(closeText)'")
            }
            var parsed: Name?
            switch kind {
            case .partial, .parentOpen, .blockOpen:
                guard !name.isEmpty else { throw error(at: nameStart, "expected a name in the tag") }
            default:
                do { parsed = try Name.parse(name) } catch { throw self.error(at: nameStart, error.message) }
            }
            index = cursor + close.count
            raws.append(Raw(kind: kind, range: tagStart..<index, name: name, parsed: parsed))
        }
        return raws
    }

    /// Letters, digits (any non-ASCII too), `_`, `-`, `.`, `/`, `:`, and the parentheses of a function.
    static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: ":"),
             UInt8(ascii: "("), UInt8(ascii: ")"), 0x80...0xFF:
            true
        default: false
        }
    }

    /// `{{=<% %>=}}`: two new delimiters, without blanks or `=`; returns the offset after the tag.
    private mutating func setDelimiters(tagStart: Int, from start: Int) throws(TemplateSyntaxError) -> Int {
        let ending = [UInt8(ascii: "=")] + close
        guard let end = find(ending, from: start) else {
            throw error(at: tagStart, "a delimiter change is not closed with '=\(closeText)'")
        }
        let parts = bytes[start..<end].split(whereSeparator: isBlank)
        guard parts.count == 2, parts.allSatisfy({ !$0.contains(UInt8(ascii: "=")) }) else {
            throw error(at: tagStart, "expected two delimiters, as in '{{=<% %>=}}'")
        }
        open = Array(parts[0])
        close = Array(parts[1])
        return end + ending.count
    }
}
