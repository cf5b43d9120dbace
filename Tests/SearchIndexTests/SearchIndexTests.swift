import Testing
@testable import SearchIndex

@Suite struct SearchIndexTests {}
