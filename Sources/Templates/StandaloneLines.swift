/// The spec's rules for a tag alone on its line (sections, comments, partials, delimiters,
/// inheritance): it takes the whole line with it, and a partial keeps the line's
/// indentation for every line it renders. A parent whose open tag starts a line and whose
/// close ends one, even the same line, does the same; such a block outside a parent
/// indents too but keeps the line end (the spec's ~inheritance tests and whitespace.md).
/// Inside a parent only blocks count, so its own text never keeps a block from standing alone.
struct StandaloneLines {
    private let bytes: [UInt8]
    /// The pieces as lexed.
    private let original: [Raw]
    /// The pieces as cut so far.
    private var raws: [Raw]
    /// For each open tag its close and for each close its open, as they nest.
    private var partner: [Int?]
    /// Whether each piece stands directly inside a parent tag.
    private var inParent: [Bool]

    /// `raws` without the lines of standalone tags, with the indentation of partials,
    /// parents and blocks.
    static func trimming(_ raws: [Raw], in bytes: [UInt8]) -> [Raw] {
        var lines = StandaloneLines(raws, in: bytes)
        lines.trimTags()
        lines.indentPairs()
        return lines.raws
    }

    private init(_ raws: [Raw], in bytes: [UInt8]) {
        self.bytes = bytes
        original = raws
        self.raws = raws
        partner = Array(repeating: nil, count: raws.count)
        inParent = Array(repeating: false, count: raws.count)
        // Tolerant of bad nesting: building the tree reports it.
        var open: [Int] = []
        for index in raws.indices {
            if let last = open.last, case .parentOpen = raws[last].kind { inParent[index] = true }
            switch raws[index].kind {
            case .sectionOpen, .invertedOpen, .parentOpen, .blockOpen:
                open.append(index)
            case .close:
                guard let opener = open.popLast() else { continue }
                partner[opener] = index
                partner[index] = opener
            default:
                continue
            }
        }
    }

    // MARK: Tags

    /// Each tag on its own: a standalone one takes its line, and a partial or parent keeps its indentation.
    private mutating func trimTags() {
        for index in original.indices where original[index].kind.canStandAlone {
            guard let before = leadingBlank(index), let after = trailingBlank(index) else { continue }
            cutText(before: index, from: before.lowerBound)
            cutText(after: index, through: after.upperBound)
            switch original[index].kind {
            case .partial, .parentOpen: raws[index].indentation = Array(bytes[before])
            default: continue
            }
        }
    }

    /// The blank start of the tag's line, if nothing else is before it there. The side of an
    /// argument block (a block directly inside a parent) that faces the parent's text counts
    /// as blank and loses nothing: that text is not rendered.
    private func leadingBlank(_ index: Int) -> Range<Int>? {
        let tagStart = original[index].range.lowerBound
        if index == 0 || ignoresLeft(index) { return tagStart..<tagStart }
        guard case .text = original[index - 1].kind else { return nil }
        let text = original[index - 1].range
        let lineStart = bytes[text].lastIndex(of: 0x0A).map { $0 + 1 }
        guard lineStart != nil || index - 1 == 0 else { return nil }
        let before = (lineStart ?? text.lowerBound)..<text.upperBound
        return isBlank(before) ? before : nil
    }

    /// The blank rest of the tag's line with its line ending, if nothing else is after it there.
    private func trailingBlank(_ index: Int) -> Range<Int>? {
        let tagEnd = original[index].range.upperBound
        if index == original.count - 1 || ignoresRight(index) { return tagEnd..<tagEnd }
        guard case .text = original[index + 1].kind else { return nil }
        let text = original[index + 1].range
        let newline = bytes[text].firstIndex(of: 0x0A)
        guard newline != nil || index + 1 == original.count - 1 else { return nil }
        guard isBlank(text.lowerBound..<(newline ?? text.upperBound)) else { return nil }
        return text.lowerBound..<(newline.map { $0 + 1 } ?? text.upperBound)
    }

    private func isBlank(_ range: Range<Int>) -> Bool { bytes[range].allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D } }

    private func ignoresLeft(_ index: Int) -> Bool { isArgumentOpen(index) }

    private func ignoresRight(_ index: Int) -> Bool {
        guard case .close = original[index].kind, let open = partner[index] else { return false }
        return isArgumentOpen(open)
    }

    private func isArgumentOpen(_ index: Int) -> Bool {
        if case .blockOpen = original[index].kind { inParent[index] } else { false }
    }

    /// A text between two standalone tags loses its first line's end to one and its
    /// last line's start to the other; the two never overlap.
    private mutating func cutText(before index: Int, from offset: Int) {
        guard index > 0, case .text = raws[index - 1].kind else { return }
        let text = raws[index - 1].range
        raws[index - 1].range = text.lowerBound..<max(text.lowerBound, min(text.upperBound, offset))
    }

    private mutating func cutText(after index: Int, through offset: Int) {
        guard index < raws.count - 1, case .text = raws[index + 1].kind else { return }
        let text = raws[index + 1].range
        raws[index + 1].range = min(text.upperBound, max(text.lowerBound, offset))..<text.upperBound
    }

    // MARK: Pairs

    /// Parents and blocks as a whole, open tag to close.
    private mutating func indentPairs() {
        for open in original.indices {
            guard let close = partner[open], close > open else { continue }
            switch original[open].kind {
            case .parentOpen: indentParent(open: open, close: close)
            case .blockOpen where isArgumentOpen(open): dedentArgument(open: open)
            case .blockOpen: indentParameter(open: open, close: close)
            default: continue
            }
        }
    }

    /// A parent whose open tag starts a line and whose close ends one (even the same
    /// line) takes the blanks around it and the line end after it, as one standalone tag.
    private mutating func indentParent(open: Int, close: Int) {
        guard let before = leadingBlank(open), let after = trailingBlank(close) else { return }
        cutText(before: open, from: before.lowerBound)
        cutText(after: close, through: after.upperBound)
        raws[open].indentation = Array(bytes[before])
    }

    /// An argument block whose open tag ends its line drops the indentation its content
    /// has there: it is laid out again where the parent renders it.
    private mutating func dedentArgument(open: Int) {
        guard let after = trailingBlank(open) else { return }
        raws[open].intrinsicIndentation = blankStart(ofLineAt: after.upperBound)
    }

    /// A block outside a parent, alone on its lines as a pair, indents what it renders
    /// (its default or an argument): by its content's own indentation when its open tag
    /// ends a line, else by its line's blank start, which it takes.
    private mutating func indentParameter(open: Int, close: Int) {
        guard let before = leadingBlank(open), trailingBlank(close) != nil else { return }
        if let after = trailingBlank(open) {
            raws[open].intrinsicIndentation = blankStart(ofLineAt: after.upperBound)
            raws[open].indentation = raws[open].intrinsicIndentation
        } else {
            cutText(before: open, from: before.lowerBound)
            raws[open].indentation = Array(bytes[before])
        }
    }

    private func blankStart(ofLineAt offset: Int) -> [UInt8] {
        Array(bytes[offset...].prefix { $0 == 0x20 || $0 == 0x09 })
    }
}
