import Testing
import Templates

// Cases follow mustache/spec sections.yml, inverted.yml, comments.yml and delimiters.yml,
// plus the standalone-line rules for every tag that can stand alone.

let sectionCases: [RenderCase] = [
    RenderCase("truthy", "\"{{#boolean}}This should be rendered.{{/boolean}}\"", ["boolean": true], expect: "\"This should be rendered.\""),
    RenderCase("falsey", "\"{{#boolean}}This should not be rendered.{{/boolean}}\"", ["boolean": false], expect: "\"\""),
    RenderCase("context misses", "[{{#missing}}Found key 'missing'!{{/missing}}]", expect: "[]"),
    RenderCase("empty list", "\"{{#list}}Yay lists!{{/list}}\"", ["list": []], expect: "\"\""),
    RenderCase("context", "\"{{#context}}Hi {{name}}.{{/context}}\"", ["context": ["name": "Joe"]], expect: "\"Hi Joe.\""),
    RenderCase("parent contexts", "\"{{#sec}}{{a}}, {{b}}, {{c.d}}{{/sec}}\"",
               ["a": "foo", "b": "wrong", "sec": ["b": "bar"], "c": ["d": "baz"]], expect: "\"foo, bar, baz\""),
    RenderCase("variable test", "\"{{#foo}}{{.}} is {{foo}}{{/foo}}\"", ["foo": "bar"], expect: "\"bar is bar\""),
    RenderCase("list contexts",
               "{{#tops}}{{#middles}}{{tname.lower}}{{mname}}.{{#bottoms}}{{tname.upper}}{{mname}}{{bname}}.{{/bottoms}}{{/middles}}{{/tops}}",
               ["tops": [["tname": ["upper": "A", "lower": "a"],
                          "middles": [["mname": "1", "bottoms": [["bname": "x"], ["bname": "y"]]]]]]],
               expect: "a1.A1x.A1y."),
    RenderCase("deeply nested contexts", """
        {{#a}}
        {{one}}
        {{#b}}
        {{one}}{{two}}{{one}}
        {{#c}}
        {{one}}{{two}}{{three}}{{two}}{{one}}
        {{#d}}
        {{one}}{{two}}{{three}}{{four}}{{three}}{{two}}{{one}}
        {{#five}}
        {{one}}{{two}}{{three}}{{four}}{{five}}{{four}}{{three}}{{two}}{{one}}
        {{one}}{{two}}{{three}}{{four}}{{.}}6{{.}}{{four}}{{three}}{{two}}{{one}}
        {{one}}{{two}}{{three}}{{four}}{{five}}{{four}}{{three}}{{two}}{{one}}
        {{/five}}
        {{one}}{{two}}{{three}}{{four}}{{three}}{{two}}{{one}}
        {{/d}}
        {{one}}{{two}}{{three}}{{two}}{{one}}
        {{/c}}
        {{one}}{{two}}{{one}}
        {{/b}}
        {{one}}
        {{/a}}

        """,
               ["a": ["one": 1], "b": ["two": 2], "c": ["three": 3, "d": ["four": 4, "five": 5]]],
               expect: "1\n121\n12321\n1234321\n123454321\n12345654321\n123454321\n1234321\n12321\n121\n1\n"),
    RenderCase("list", "\"{{#list}}{{item}}{{/list}}\"", ["list": [["item": 1], ["item": 2], ["item": 3]]], expect: "\"123\""),
    RenderCase("strings are not lists", "\"{{#section}}foo{{/section}}\"", ["section": "123"], expect: "\"foo\""),
    // An empty text is true in Mustache: only false, an empty list or a missing name hide a section.
    RenderCase("empty text is true", "{{#e}}shown{{/e}}|{{^e}}hidden{{/e}}", ["e": ""], expect: "shown|"),
    RenderCase("text pushes itself", "{{#t}}[{{.}}]{{/t}}", ["t": "x"], expect: "[x]"),
    RenderCase("number pushes itself", "{{#n}}[{{.}}]{{/n}}", ["n": 7], expect: "[7]"),
    // Spec: a truthy non-list is a one-element list, and each element is pushed on the stack.
    RenderCase("flag pushes itself", "{{#on}}({{.}}){{/on}}", ["on": true], expect: "(true)"),
    RenderCase("doubled", "{{#bool}}\n* first\n{{/bool}}\n* {{two}}\n{{#bool}}\n* third\n{{/bool}}\n",
               ["bool": true, "two": "second"], expect: "* first\n* second\n* third\n"),
    RenderCase("nested (truthy)", "| A {{#bool}}B {{#bool}}C{{/bool}} D{{/bool}} E |", ["bool": true], expect: "| A B C D E |"),
    RenderCase("nested (falsey)", "| A {{#bool}}B {{#bool}}C{{/bool}} D{{/bool}} E |", ["bool": false], expect: "| A  E |"),
    // Implicit iterators
    RenderCase("implicit iterator - string", "\"{{#list}}({{.}}){{/list}}\"", ["list": ["a", "b", "c", "d", "e"]], expect: "\"(a)(b)(c)(d)(e)\""),
    RenderCase("implicit iterator - integer", "\"{{#list}}({{.}}){{/list}}\"", ["list": [1, 2, 3, 4, 5]], expect: "\"(1)(2)(3)(4)(5)\""),
    RenderCase("implicit iterator - array", "\"{{#list}}({{#.}}{{.}}{{/.}}){{/list}}\"", ["list": [[1, 2, 3], ["a", "b", "c"]]],
               expect: "\"(123)(abc)\""),
    // Every element is pushed and rendered, false ones too.
    RenderCase("implicit iterator - flags", "{{#list}}{{.}},{{/list}}", ["list": [true, false]], expect: "true,false,"),
    RenderCase("implicit iterator escapes", "{{#list}}{{.}}{{{.}}}{{/list}}", ["list": ["<"]], expect: "&lt;<"),
    RenderCase("stack climbing from list items", "{{#tags}}{{.}}@{{site}} {{/tags}}", ["tags": ["a", "b"], "site": "s"], expect: "a@s b@s "),
    RenderCase("inner name shadows outer", "{{#o}}{{x}}{{/o}}{{x}}", ["x": "outer", "o": ["x": "inner"]], expect: "innerouter"),
    // Dotted names
    RenderCase("dotted names - truthy", "\"{{#a.b.c}}Here{{/a.b.c}}\" == \"Here\"", ["a": ["b": ["c": true]]], expect: "\"Here\" == \"Here\""),
    RenderCase("dotted names - falsey", "\"{{#a.b.c}}Here{{/a.b.c}}\" == \"\"", ["a": ["b": ["c": false]]], expect: "\"\" == \"\""),
    RenderCase("dotted names - broken chains", "\"{{#a.b.c}}Here{{/a.b.c}}\" == \"\"", ["a": [:]], expect: "\"\" == \"\""),
    RenderCase("dotted name to a list", "{{#page.tags}}<{{.}}>{{/page.tags}}", ["page": ["tags": ["x", "y"]]], expect: "<x><y>"),
    // Whitespace
    RenderCase("surrounding whitespace", " | {{#boolean}}\t|\t{{/boolean}} | \n", ["boolean": true], expect: " | \t|\t | \n"),
    RenderCase("internal whitespace", " | {{#boolean}} {{! Important Whitespace }}\n {{/boolean}} | \n", ["boolean": true],
               expect: " |  \n  | \n"),
    RenderCase("indented inline sections", " {{#boolean}}YES{{/boolean}}\n {{#boolean}}GOOD{{/boolean}}\n", ["boolean": true],
               expect: " YES\n GOOD\n"),
    RenderCase("standalone lines", "| This Is\n{{#boolean}}\n|\n{{/boolean}}\n| A Line\n", ["boolean": true],
               expect: "| This Is\n|\n| A Line\n"),
    RenderCase("indented standalone lines", "| This Is\n  {{#boolean}}\n|\n  {{/boolean}}\n| A Line\n", ["boolean": true],
               expect: "| This Is\n|\n| A Line\n"),
    RenderCase("standalone line endings", "|\r\n{{#boolean}}\r\n{{/boolean}}\r\n|", ["boolean": true], expect: "|\r\n|"),
    RenderCase("standalone without previous line", "  {{#boolean}}\n#{{/boolean}}\n/", ["boolean": true], expect: "#\n/"),
    RenderCase("standalone without newline", "#{{#boolean}}\n/\n  {{/boolean}}", ["boolean": true], expect: "#\n/\n"),
    RenderCase("padding", "|{{# boolean }}={{/ boolean }}|", ["boolean": true], expect: "|=|"),
]

let invertedCases: [RenderCase] = [
    RenderCase("falsey", "\"{{^boolean}}This should be rendered.{{/boolean}}\"", ["boolean": false], expect: "\"This should be rendered.\""),
    RenderCase("missing", "\"{{^boolean}}This should be rendered.{{/boolean}}\"", expect: "\"This should be rendered.\""),
    RenderCase("truthy", "\"{{^boolean}}This should not be rendered.{{/boolean}}\"", ["boolean": true], expect: "\"\""),
    RenderCase("text", "\"{{^string}}This should not be rendered.{{/string}}\"", ["string": "rendered"], expect: "\"\""),
    RenderCase("context", "\"{{^context}}Hi {{name}}.{{/context}}\"", ["context": ["name": "Joe"]], expect: "\"\""),
    RenderCase("list", "\"{{^list}}{{n}}{{/list}}\"", ["list": [["n": 1], ["n": 2], ["n": 3]]], expect: "\"\""),
    RenderCase("empty list", "\"{{^list}}Yay lists!{{/list}}\"", ["list": []], expect: "\"Yay lists!\""),
    RenderCase("doubled", "{{^t}}\n* first\n{{/t}}\n* {{two}}\n{{^t}}\n* third\n{{/t}}\n", ["t": false, "two": "second"],
               expect: "* first\n* second\n* third\n"),
    RenderCase("nested (falsey)", "| A {{^t}}B {{^t}}C{{/t}} D{{/t}} E |", ["t": false], expect: "| A B C D E |"),
    RenderCase("nested (truthy)", "| A {{^t}}B {{^t}}C{{/t}} D{{/t}} E |", ["t": true], expect: "| A  E |"),
    RenderCase("dotted names - truthy", "\"{{^a.b.c}}Not Here{{/a.b.c}}\" == \"\"", ["a": ["b": ["c": true]]], expect: "\"\" == \"\""),
    RenderCase("dotted names - falsey", "\"{{^a.b.c}}Not Here{{/a.b.c}}\" == \"Not Here\"", ["a": ["b": ["c": false]]],
               expect: "\"Not Here\" == \"Not Here\""),
    RenderCase("dotted names - broken chains", "\"{{^a.b.c}}Not Here{{/a.b.c}}\" == \"Not Here\"", ["a": [:]],
               expect: "\"Not Here\" == \"Not Here\""),
    RenderCase("surrounding whitespace", " | {{^boolean}}\t|\t{{/boolean}} | \n", ["boolean": false], expect: " | \t|\t | \n"),
    RenderCase("internal whitespace", " | {{^boolean}} {{! Important Whitespace }}\n {{/boolean}} | \n", ["boolean": false],
               expect: " |  \n  | \n"),
    RenderCase("indented inline sections", " {{^boolean}}NO{{/boolean}}\n {{^boolean}}WAY{{/boolean}}\n", ["boolean": false],
               expect: " NO\n WAY\n"),
    RenderCase("standalone lines", "| This Is\n{{^boolean}}\n|\n{{/boolean}}\n| A Line\n", ["boolean": false],
               expect: "| This Is\n|\n| A Line\n"),
    RenderCase("standalone indented lines", "| This Is\n  {{^boolean}}\n|\n  {{/boolean}}\n| A Line\n", ["boolean": false],
               expect: "| This Is\n|\n| A Line\n"),
    RenderCase("standalone line endings", "|\r\n{{^boolean}}\r\n{{/boolean}}\r\n|", ["boolean": false], expect: "|\r\n|"),
    RenderCase("standalone without previous line", "  {{^boolean}}\n^{{/boolean}}\n/", ["boolean": false], expect: "^\n/"),
    RenderCase("standalone without newline", "^{{^boolean}}\n/\n  {{/boolean}}", ["boolean": false], expect: "^\n/\n"),
    RenderCase("padding", "|{{^ boolean }}={{/ boolean }}|", ["boolean": false], expect: "|=|"),
]

let commentCases: [RenderCase] = [
    RenderCase("inline", "12345{{! Comment Block! }}67890", expect: "1234567890"),
    RenderCase("multiline", "12345{{!\n  This is a\n  multi-line comment...\n}}67890\n", expect: "1234567890\n"),
    RenderCase("standalone", "Begin.\n{{! Comment Block! }}\nEnd.\n", expect: "Begin.\nEnd.\n"),
    RenderCase("indented standalone", "Begin.\n  {{! Indented Comment Block! }}\nEnd.\n", expect: "Begin.\nEnd.\n"),
    RenderCase("standalone line endings", "|\r\n{{! Standalone Comment }}\r\n|", expect: "|\r\n|"),
    RenderCase("standalone without previous line", "  {{! I'm Still Standalone }}\n!", expect: "!"),
    RenderCase("standalone without newline", "!\n  {{! I'm Still Standalone }}", expect: "!\n"),
    RenderCase("multiline standalone", "Begin.\n{{!\nSomething's going on here...\n}}\nEnd.\n", expect: "Begin.\nEnd.\n"),
    RenderCase("indented multiline standalone", "Begin.\n  {{!\n    Something's going on here...\n  }}\nEnd.\n", expect: "Begin.\nEnd.\n"),
    RenderCase("indented inline", "  12 {{! 34 }}\n", expect: "  12 \n"),
    RenderCase("surrounding whitespace", "12345 {{! Comment Block! }} 67890", expect: "12345  67890"),
    // A comment ends at the first closing delimiter; opening ones inside it mean nothing.
    RenderCase("tags inside a comment are ignored", "a{{! {{#x {{/y {{>z }}b", expect: "ab"),
    RenderCase("comment with new delimiters", "{{=<% %>=}}a<%! }} %>b", expect: "ab"),
]

let delimiterCases: [RenderCase] = [
    RenderCase("pair behavior", "{{=<% %>=}}(<%text%>)", ["text": "Hey!"], expect: "(Hey!)"),
    RenderCase("special characters", "({{=[ ]=}}[text])", ["text": "It worked!"], expect: "(It worked!)"),
    RenderCase("sections",
               "[\n{{#section}}\n  {{data}}\n  |data|\n{{/section}}\n\n{{= | | =}}\n|#section|\n  {{data}}\n  |data|\n|/section|\n]\n",
               ["section": true, "data": "I got interpolated."],
               expect: "[\n  I got interpolated.\n  |data|\n\n  {{data}}\n  I got interpolated.\n]\n"),
    RenderCase("inverted sections",
               "[\n{{^section}}\n  {{data}}\n  |data|\n{{/section}}\n\n{{= | | =}}\n|^section|\n  {{data}}\n  |data|\n|/section|\n]\n",
               ["section": false, "data": "I got interpolated."],
               expect: "[\n  I got interpolated.\n  |data|\n\n  {{data}}\n  I got interpolated.\n]\n"),
    RenderCase("partial inheritance", "[ {{>include}} ]\n{{= | | =}}\n[ |>include| ]\n", ["value": "yes"],
               partials: ["include": ".{{value}}."], expect: "[ .yes. ]\n[ .yes. ]\n"),
    RenderCase("post-partial behavior", "[ {{>include}} ]\n[ .{{value}}.  .|value|. ]\n", ["value": "yes"],
               partials: ["include": ".{{value}}. {{= | | =}} .|value|."], expect: "[ .yes.  .yes. ]\n[ .yes.  .|value|. ]\n"),
    RenderCase("surrounding whitespace", "| {{=@ @=}} |", expect: "|  |"),
    RenderCase("outlying whitespace (inline)", " | {{=@ @=}}\n", expect: " | \n"),
    RenderCase("standalone tag", "Begin.\n{{=@ @=}}\nEnd.\n", expect: "Begin.\nEnd.\n"),
    RenderCase("indented standalone tag", "Begin.\n  {{=@ @=}}\nEnd.\n", expect: "Begin.\nEnd.\n"),
    RenderCase("standalone line endings", "|\r\n{{= @ @ =}}\r\n|", expect: "|\r\n|"),
    RenderCase("standalone without previous line", "  {{=@ @=}}\n=", expect: "="),
    RenderCase("standalone without newline", "=\n  {{=@ @=}}", expect: "=\n"),
    RenderCase("pair with padding", "|{{= @   @ =}}|", expect: "||"),
    RenderCase("and back again", "{{=<% %>=}}<%a%>{{a}}<%={{ }}=%>{{a}}<%a%>", ["a": "x"], expect: "x{{a}}x<%a%>"),
    RenderCase("every tag kind with new delimiters", "{{=<% %>=}}<%#s%><%{raw}%><%&raw%><%/s%><%^no%>-<%/no%><%>p%>",
               ["s": true, "no": false, "raw": "<"], partials: ["p": "{{raw}}"], expect: "<<-&lt;"),
]

/// Standalone-line rules beyond the spec's per-tag cases.
let standaloneCases: [RenderCase] = [
    // Two tags share the line, so neither stands alone and the line's end stays.
    RenderCase("two tags on one line", "{{#a}}{{/a}}\nx", ["a": true], expect: "\nx"),
    RenderCase("two indented tags on one line", "  {{#a}}{{/a}}\nx", ["a": true], expect: "  \nx"),
    RenderCase("section and comment on one line", "{{#a}}{{! c }}\nx{{/a}}", ["a": true], expect: "\nx"),
    RenderCase("two comments on one line", "{{! a }}{{! b }}\nx", expect: "\nx"),
    RenderCase("tag and interpolation on one line", "{{#a}}{{v}}\n{{/a}}", ["a": true, "v": "V"], expect: "V\n"),
    RenderCase("text before the tag", "x {{#a}}\ny{{/a}}", ["a": true], expect: "x \ny"),
    RenderCase("text after the tag", "{{#a}} x\ny{{/a}}", ["a": true], expect: " x\ny"),
    RenderCase("trailing blanks after the tag", "{{#a}} \t\nx\n  {{/a}}  \ny", ["a": true], expect: "x\ny"),
    RenderCase("tab indentation", "\t{{#a}}\nx\n\t{{/a}}\n", ["a": true], expect: "x\n"),
    RenderCase("at template start and end", "{{#a}}\nx\n{{/a}}", ["a": true], expect: "x\n"),
    RenderCase("only a section", "{{#a}}{{/a}}", ["a": true], expect: ""),
    RenderCase("CRLF around a skipped section", "a\r\n{{#no}}\r\nb\r\n{{/no}}\r\nc\r\n", ["no": false], expect: "a\r\nc\r\n"),
    RenderCase("tag spanning lines", "a\n{{#\nb\n}}\nc\n{{/b}}\n", ["b": true], expect: "a\nc\n"),
    RenderCase("blank lines around stay", "a\n\n{{#b}}\n\nc\n{{/b}}\n\n", ["b": true], expect: "a\n\n\nc\n\n"),
    RenderCase("nested standalone sections", "<\n  {{#a}}\n    {{#b}}\n  x\n    {{/b}}\n  {{/a}}\n>", ["a": true, "b": true],
               expect: "<\n  x\n>"),
    RenderCase("standalone lines in a list", "{{#l}}\n- {{.}}\n{{/l}}\n", ["l": ["a", "b"]], expect: "- a\n- b\n"),
    RenderCase("standalone delimiter change, then standalone section", "{{=<% %>=}}\n<%#a%>\nx\n<%/a%>\n", ["a": true],
               expect: "x\n"),
]

@Test(arguments: sectionCases)
func sections(_ test: RenderCase) throws { try test.check() }

@Test(arguments: invertedCases)
func invertedSections(_ test: RenderCase) throws { try test.check() }

@Test(arguments: commentCases)
func comments(_ test: RenderCase) throws { try test.check() }

@Test(arguments: delimiterCases)
func delimiters(_ test: RenderCase) throws { try test.check() }

@Test(arguments: standaloneCases)
func standaloneLines(_ test: RenderCase) throws { try test.check() }
