import ContentModel
import Foundation

/// Splits text into search words, exactly as `tokenize` in Theme/assets/search.js does
/// (Tests/Fixtures/search-vectors.json holds the cases both must agree on):
///
/// 1. NFKD-normalize (so "é" becomes "e" + a combining accent, "ﬁ" becomes "fi", "²" becomes "2");
/// 2. lower-case with the full Unicode mapping;
/// 3. drop every combining mark (general category M), which removes the accents;
/// 4. fold what lower-casing leaves apart: "ß" becomes "ss", final "ς" becomes "σ";
/// 5. split on every scalar that is not a letter (L*) or a number (N*), except that an
///    apostrophe (' ‘ ’ ʼ) between two word scalars is dropped: "runner's" -> "runners".
///
/// Works on Unicode scalars, never on grapheme clusters or UTF-16 units, because the
/// browser script works on code points too.
public enum Tokenizer {
    /// Every word of `text`, folded, in order (duplicates kept).
    public static func tokens(_ text: String) -> [String] {
        words(in: text).tokens
    }

    /// Words written with hyphens ("X-ray", "cross-training", "anti-inflammatory"), joined
    /// ("xray", "crosstraining", "antiinflammatory"): the index adds these beside the
    /// separate words, because readers type them both ways. Not part of `tokens`, so
    /// the browser's tokenizer stays the plain one the vectors describe.
    public static func hyphenCompounds(_ text: String) -> [String] {
        words(in: text).compounds
    }

    /// `tokens` and `hyphenCompounds` from one folding of the text and one pass over it,
    /// each word made straight from UTF-8 bytes: the indexer asks for both, and folding
    /// twice and building a scalar array per word was a fifth of a rebuild in `serve`.
    public static func words(in text: String) -> (tokens: [String], compounds: [String]) {
        var tokens: [String] = [], compounds: [String] = []
        forEachWord(in: text) { bytes, isCompound in
            if isCompound { compounds.append(String(decoding: bytes, as: UTF8.self)) } else {
                tokens.append(String(decoding: bytes, as: UTF8.self))
            }
        }
        return (tokens, compounds)
    }

    /// Each word of `words(in:)` as its UTF-8 bytes, in the order found, and whether it is
    /// a hyphen compound: no String is made, so a caller counting words makes one per
    /// distinct word (a String and a hash per token were a tenth of a cold build).
    public static func forEachWord(in text: String, _ body: (UnsafeBufferPointer<UInt8>, _ isCompound: Bool) -> Void) {
        // Text that is all ASCII (most pages) needs no folding beyond A-Z: its bytes are
        // read as scalars in place, without a scalar array (a seventh of the tokenizer).
        let ascii: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            return scan(LowercasedASCII(bytes: bytes), body)
        } ?? nil
        if ascii == nil { scan(foldedScalars(text), body) }
    }

    /// The folded scalars of ASCII text, read from its bytes.
    private struct LowercasedASCII: RandomAccessCollection {
        let bytes: UnsafeBufferPointer<UInt8>
        var startIndex: Int { 0 }
        var endIndex: Int { bytes.count }
        subscript(position: Int) -> Unicode.Scalar { Unicode.Scalar(bytes[position]).asciiLowercased }
    }

    /// `forEachWord` over folded scalars; inlined into both callers, so each reads its
    /// collection directly.
    @inline(__always)
    private static func scan<Scalars: RandomAccessCollection<Unicode.Scalar>>(
        _ scalars: Scalars, _ body: (UnsafeBufferPointer<UInt8>, _ isCompound: Bool) -> Void
    ) where Scalars.Index == Int {
        // Two small state machines over the same scalars: they differ on ʼ, which is
        // an apostrophe to the tokenizer but a letter (Lm) to the compounds.
        var word = GrowableBuffer<UInt8>(), joined = GrowableBuffer<UInt8>()
        defer {
            word.deallocate()
            joined.deallocate()
        }
        var parts = 0
        var inCompound = false
        func endWord() {
            guard !word.isEmpty else { return }
            body(word.elements, false)
            word.removeAll()
        }
        func endCompound() {
            if parts >= 2 { body(joined.elements, true) }
            joined.removeAll()
            parts = 0
            inCompound = false
        }
        let count = scalars.count
        var isWord = count > 0 && isWordScalar(scalars[0])
        for index in 0..<count {
            let scalar = scalars[index]
            let wordFollows = index + 1 < count && isWordScalar(scalars[index + 1])
            defer { isWord = wordFollows }
            if isApostrophe(scalar) {
                // Inside a word (word scalars on both sides) it is dropped; anywhere else it separates.
                if word.isEmpty || !wordFollows { endWord() }
            } else if isWord {
                word.append(utf8: scalar)
            } else {
                endWord()
            }
            if isWord {
                if !inCompound { parts += 1 }
                joined.append(utf8: scalar)
                inCompound = true
            } else if isApostrophe(scalar), inCompound, wordFollows {
                continue
            } else if isHyphen(scalar), inCompound, wordFollows {
                inCompound = false
            } else {
                endCompound()
            }
        }
        endWord()
        endCompound()
    }

    /// Steps 1–4: the folded form of `text`, still with its separators.
    public static func fold(_ text: String) -> String {
        String(String.UnicodeScalarView(foldedScalars(text)))
    }

    /// Steps 1–4 as scalars. ASCII is folded by hand; each run of other scalars goes
    /// through Foundation. Folding run by run gives the same result as folding the whole
    /// text, because every ASCII scalar is a starter that no decomposition, reordering
    /// or lower-casing crosses.
    static func foldedScalars(_ text: String) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.utf8.count)
        var pending = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                if !pending.isEmpty {
                    foldNonASCII(String(pending), into: &out)
                    pending = String.UnicodeScalarView()
                }
                out.append(scalar.asciiLowercased)
            } else {
                pending.append(scalar)
            }
        }
        if !pending.isEmpty { foldNonASCII(String(pending), into: &out) }
        return out
    }

    private static func foldNonASCII(_ text: String, into out: inout [Unicode.Scalar]) {
        let lowered = text.decomposedStringWithCompatibilityMapping.lowercased()
        for scalar in lowered.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark:
                continue
            default:
                break
            }
            switch scalar.value {
            case 0x00DF: out.append("s"); out.append("s") // ß (ẞ lower-cases to it)
            case 0x03C2: out.append("\u{03C3}")          // final sigma ς -> σ
            default: out.append(scalar)
            }
        }
    }

    /// - (U+002D), ‐ (U+2010), ‑ (U+2011).
    static func isHyphen(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value == 0x2D || scalar.value == 0x2010 || scalar.value == 0x2011
    }

    /// ' (U+0027), ‘ (U+2018), ’ (U+2019), ʼ (U+02BC; a letter to Unicode, an apostrophe to readers).
    /// The full-width ＇ becomes ' under NFKD.
    static func isApostrophe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0027, 0x2018, 0x2019, 0x02BC: true
        default: false
        }
    }

    /// Letters (Lu Ll Lt Lm Lo) and numbers (Nd Nl No).
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let v = scalar.value
            return (v >= 0x61 && v <= 0x7A) || (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A)
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }
}

extension GrowableBuffer<UInt8> {
    /// Appends the scalar's UTF-8 bytes: words are built as bytes and made into a String once.
    @inline(__always) mutating func append(utf8 scalar: Unicode.Scalar) {
        if scalar.isASCII {
            append(UInt8(scalar.value))
        } else {
            reserve(4)
            for byte in UTF8.encode(scalar)! { append(byte) }
        }
    }
}
