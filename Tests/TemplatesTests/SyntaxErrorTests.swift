import Testing
import Templates

/// A template that must not parse, where the error must point, and words its message must contain.
struct ErrorCase: Sendable, CustomTestStringConvertible {
    let name: String
    let template: String
    let line: Int
    let column: Int
    let fragments: [String]

    init(_ name: String, _ template: String, at line: Int, _ column: Int, mentions fragments: [String] = []) {
        self.name = name
        self.template = template
        self.line = line
        self.column = column
        self.fragments = fragments
    }

    var testDescription: String { name }
}

let errorCases: [ErrorCase] = [
    // An unclosed tag is reported where it opens, as an unclosed comment or delimiter change is.
    ErrorCase("unclosed tag", "Hello {{name", at: 1, 7, mentions: ["not closed"]),
    ErrorCase("unclosed tag before more lines", "{{#a}}\n  {{name\n\nrest{{/a}}", at: 2, 3, mentions: ["not closed"]),
    ErrorCase("unclosed triple mustache", "x {{{name", at: 1, 3, mentions: ["not closed"]),
    ErrorCase("unclosed comment", "a\n  {{! never closed", at: 2, 3, mentions: ["comment", "not closed"]),
    ErrorCase("stray word inside a tag", "{{a b}}", at: 1, 5, mentions: ["unexpected 'b'"]),
    // Delimiter changes
    ErrorCase("unclosed delimiter change", "ab\n{{=<% %>", at: 2, 1, mentions: ["not closed"]),
    ErrorCase("one delimiter", "x\n{{=<%=}}", at: 2, 1, mentions: ["two delimiters"]),
    ErrorCase("three delimiters", "{{=< % >=}}", at: 1, 1, mentions: ["two delimiters"]),
    ErrorCase("delimiter containing '='", "ab {{=<= =>=}}", at: 1, 4),
    ErrorCase("pragma", "x {{%PRAGMA}}", at: 1, 3, mentions: ["pragma"]),
    // Sections
    ErrorCase("mismatched close", "ok\n  {{#a}}\nx\n {{/b}}", at: 4, 2, mentions: ["{{/b}}", "{{#a}}", "line 2, column 3"]),
    ErrorCase("mismatched close of an inverted section", "{{^a}}{{/b}}", at: 1, 7, mentions: ["{{/b}}", "{{^a}}", "line 1, column 1"]),
    ErrorCase("crossed sections", "{{#a}}{{#b}}{{/a}}{{/b}}", at: 1, 13, mentions: ["{{/a}}", "{{#b}}", "line 1, column 7"]),
    ErrorCase("section never closed", "a\n\tb {{#list}}\nc", at: 2, 4, mentions: ["{{#list}}", "never closed"]),
    ErrorCase("inverted section never closed", "{{#a}}{{/a}}\n{{^b}}x", at: 2, 1, mentions: ["{{^b}}"]),
    ErrorCase("block never closed", "x {{$b}}", at: 1, 3, mentions: ["{{$b}}"]),
    ErrorCase("parent never closed", "{{<p}}{{$b}}{{/b}}", at: 1, 1, mentions: ["{{<p}}"]),
    ErrorCase("close without open", "x\n{{/a}}", at: 2, 1, mentions: ["{{/a}}", "never opened"]),
    ErrorCase("close after its section closed", "{{#a}}{{/a}}{{/a}}", at: 1, 13, mentions: ["{{/a}}"]),
    // Names and functions
    ErrorCase("unknown function", "x\n  {{# nope(list)}}", at: 2, 7, mentions: ["nope"]),
    ErrorCase("function without its ')'", "{{count(list}}", at: 1, 3),
    ErrorCase("function without a name inside", "{{count()}}", at: 1, 3),
    ErrorCase("')' without '('", "{{list)}}", at: 1, 3),
    ErrorCase("empty tag", "ab{{}}", at: 1, 5),
    ErrorCase("section without a name", "{{#}}{{/}}", at: 1, 4),
    ErrorCase("partial without a name", "{{>}}", at: 1, 4),
    ErrorCase("two dots in a row", "{{a..b}}", at: 1, 3),
    ErrorCase("trailing dot", "{{#a.}}{{/a.}}", at: 1, 4),
    // Only blocks may stand inside a parent tag.
    ErrorCase("variable inside a parent", "{{<p}}\n  {{x}}\n{{/p}}", at: 2, 3, mentions: ["{{x}}"]),
    ErrorCase("partial inside a parent", "{{<p}}{{>q}}{{/p}}", at: 1, 7, mentions: ["{{>q}}"]),
    ErrorCase("section inside a parent", "{{<p}} {{#a}}{{/a}}{{/p}}", at: 1, 8, mentions: ["{{#a}}"]),
    // Columns count characters, not bytes.
    ErrorCase("multibyte characters", "é🇫🇷 {{/x}}", at: 1, 4),
    ErrorCase("combining characters", "e\u{301}x {{/x}}", at: 1, 4),
    ErrorCase("CRLF line ends", "a\r\nb\r\n{{/x}}", at: 3, 1),
    ErrorCase("after a delimiter change", "{{=<% %>=}}\nok <%/x%>", at: 2, 4, mentions: ["<%/x%>"]),
    ErrorCase("after a multiline comment", "{{!\n\n}}\n {{/x}}", at: 4, 2),
]

@Test(arguments: errorCases)
func syntaxErrors(_ test: ErrorCase) throws {
    let error = try #require(syntaxError(test.template), "\(test.template.debugDescription) should not parse")
    #expect(error.line == test.line && error.column == test.column,
            "at \(error.line):\(error.column), expected \(test.line):\(test.column): \(error.message)")
    #expect(!error.message.isEmpty)
    for fragment in test.fragments {
        #expect(error.message.contains(fragment), "\(error.message.debugDescription) lacks \(fragment.debugDescription)")
    }
}

@Test func referencesListPartialsAndParentsWhereNamed() throws {
    let template = try Template("""
        {{>header}}
        <main>{{<layout}}{{$b}}{{>inner}}{{/b}}{{/layout}}</main>
          {{> footer }}
        é{{>header}}{{#s}}{{$block}}{{/block}}{{/s}}
        """)
    let references = template.references.map { "\($0.name)@\($0.line):\($0.column)" }
    #expect(references == ["header@1:1", "layout@2:7", "inner@2:24", "footer@3:3", "header@4:2"])
    #expect(try Template("{{a}}{{#b}}{{$c}}{{/c}}{{/b}}").references.isEmpty)
}
