import ContentModel

/// The fingerprint of a template's input: the theme, the template's name and every
/// value of the context. A page's bytes are a function of exactly these, so an equal
/// fingerprint means an equal page and the render can be skipped.
enum ContextDigest {
    static func fingerprint(theme: Theme, template: String, context: [String: Any]) -> String {
        var digest = Fingerprint()
        digest.combine(theme.fingerprint)
        digest.combine(template)
        combine(context, into: &digest)
        return digest.hex
    }

    /// Each value is tagged with its kind, so `"1"` and `1`, or `[]` and `[:]`, differ.
    static func combine(_ value: Any, into digest: inout Fingerprint) {
        switch value {
        case let text as String:
            digest.combine(1)
            digest.combine(text)
        case let number as Int:
            digest.combine(2)
            digest.combine(number)
        case let flag as Bool:
            digest.combine(3)
            digest.combine(flag)
        case let list as [Any]:
            digest.combine(4)
            digest.combine(list.count)
            for item in list { combine(item, into: &digest) }
        case let object as [String: Any]:
            digest.combine(5)
            digest.combine(object.count)
            for key in object.keys.sorted() {
                digest.combine(key)
                combine(object[key]!, into: &digest)
            }
        default:
            // No other kind is put in a context today; a new one still fingerprints
            // correctly, only more slowly.
            digest.combine(6)
            digest.combine(String(reflecting: value))
        }
    }
}
