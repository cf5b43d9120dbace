/// One entry of `Content/search-tests.yml`: a query readers type and the page that
/// must rank near the top for it. Editors pin these so a change to a page (or to
/// ranking) that loses a page readers rely on is reported like any other error.
public struct SearchTest: Sendable, Hashable {
    /// The words as a reader types them; the location is the `query` value's, where a
    /// failing search is reported.
    public var query: Located<String>
    /// The page that must be found.
    public var expect: Located<PageID>
    /// The page must rank at this place or better (1 is first).
    public var within: Int

    /// How far down a page may rank when a test does not say.
    public static let defaultWithin = 3

    public init(query: Located<String>, expect: Located<PageID>, within: Int = defaultWithin) {
        self.query = query
        self.expect = expect
        self.within = within
    }
}
