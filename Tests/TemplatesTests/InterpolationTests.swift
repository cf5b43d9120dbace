import Testing
import Templates

// Cases follow mustache/spec interpolation.yml, with the spec's data as typed values.

let forbidden: TemplateValue = "& \" < > '"

let interpolationCases: [RenderCase] = [
    RenderCase("no interpolation", "Hello from {Mustache}!\n", expect: "Hello from {Mustache}!\n"),
    RenderCase("basic", "Hello, {{subject}}!\n", ["subject": "world"], expect: "Hello, world!\n"),
    RenderCase("HTML escaping", "escaped: {{forbidden}}\n", ["forbidden": forbidden], expect: "escaped: &amp; &quot; &lt; &gt; &#39;\n"),
    RenderCase("triple mustache", "raw: {{{forbidden}}}\n", ["forbidden": forbidden], expect: "raw: & \" < > '\n"),
    RenderCase("ampersand", "raw: {{&forbidden}}\n", ["forbidden": forbidden], expect: "raw: & \" < > '\n"),
    RenderCase("escaping keeps non-ASCII", "{{x}}", ["x": "<é ✓>"], expect: "&lt;é ✓&gt;"),
    RenderCase("integer", "\"{{mph}} miles an hour!\"", ["mph": 85], expect: "\"85 miles an hour!\""),
    RenderCase("triple mustache integer", "\"{{{mph}}} miles an hour!\"", ["mph": 85], expect: "\"85 miles an hour!\""),
    RenderCase("ampersand integer", "\"{{&mph}} miles an hour!\"", ["mph": 85], expect: "\"85 miles an hour!\""),
    RenderCase("negative integer", "{{n}}", ["n": -3], expect: "-3"),
    RenderCase("flags", "{{yes}}/{{no}}/{{{yes}}}/{{&no}}", ["yes": true, "no": false], expect: "true/false/true/false"),
    RenderCase("empty text", "[{{e}}]", ["e": ""], expect: "[]"),
    // Context misses
    RenderCase("context miss", "I ({{cannot}}) be seen!", expect: "I () be seen!"),
    RenderCase("triple mustache context miss", "I ({{{cannot}}}) be seen!", expect: "I () be seen!"),
    RenderCase("ampersand context miss", "I ({{&cannot}}) be seen!", expect: "I () be seen!"),
    // Dotted names
    RenderCase("dotted names - basic", "\"{{person.name}}\" == \"{{#person}}{{name}}{{/person}}\"",
               ["person": ["name": "Joe"]], expect: "\"Joe\" == \"Joe\""),
    RenderCase("dotted names - triple mustache", "\"{{{person.name}}}\" == \"{{#person}}{{{name}}}{{/person}}\"",
               ["person": ["name": "Joe"]], expect: "\"Joe\" == \"Joe\""),
    RenderCase("dotted names - ampersand", "\"{{&person.name}}\" == \"{{#person}}{{&name}}{{/person}}\"",
               ["person": ["name": "Joe"]], expect: "\"Joe\" == \"Joe\""),
    RenderCase("dotted names - arbitrary depth", "\"{{a.b.c.d.e.name}}\" == \"Phil\"",
               ["a": ["b": ["c": ["d": ["e": ["name": "Phil"]]]]]], expect: "\"Phil\" == \"Phil\""),
    RenderCase("dotted names - broken chains", "\"{{a.b.c}}\" == \"\"", ["a": [:]], expect: "\"\" == \"\""),
    RenderCase("dotted names - broken chain resolution", "\"{{a.b.c.name}}\" == \"\"",
               ["a": ["b": [:]], "c": ["name": "Jim"]], expect: "\"\" == \"\""),
    RenderCase("dotted names - initial resolution", "\"{{#a}}{{b.c.d.e.name}}{{/a}}\" == \"Phil\"",
               ["a": ["b": ["c": ["d": ["e": ["name": "Phil"]]]]], "b": ["c": ["d": ["e": ["name": "Wrong"]]]]],
               expect: "\"Phil\" == \"Phil\""),
    // Only the first part climbs the stack; `b` is found in `a`, so `c` is never looked for in the root's `b`.
    RenderCase("dotted names - context precedence", "{{#a}}{{b.c}}{{/a}}", ["a": ["b": [:]], "b": ["c": "ERROR"]], expect: ""),
    RenderCase("dotted name through a text", "[{{a.b}}]", ["a": "text", "b": "wrong"], expect: "[]"),
    RenderCase("dotted name through a list", "[{{a.b}}]", ["a": [["b": "wrong"]]], expect: "[]"),
    // Values are never rendered again as templates.
    RenderCase("no mustache injection", "{{a}}|{{{a}}}", ["a": "{{b}}", "b": "no"], expect: "{{b}}|{{b}}"),
    // Implicit iterator on the root value
    RenderCase("implicit iterator, escaped", "{{.}}", "<b>", expect: "&lt;b&gt;"),
    RenderCase("implicit iterator, triple mustache", "{{{.}}}", "<b>", expect: "<b>"),
    RenderCase("implicit iterator, ampersand", "{{&.}}", "<b>", expect: "<b>"),
    RenderCase("implicit iterator, number", "{{.}}", 42, expect: "42"),
    // Whitespace sensitivity
    RenderCase("surrounding whitespace", "| {{string}} |", ["string": "---"], expect: "| --- |"),
    RenderCase("triple mustache surrounding whitespace", "| {{{string}}} |", ["string": "---"], expect: "| --- |"),
    RenderCase("ampersand surrounding whitespace", "| {{&string}} |", ["string": "---"], expect: "| --- |"),
    RenderCase("standalone", "  {{string}}\n", ["string": "---"], expect: "  ---\n"),
    RenderCase("triple mustache standalone", "  {{{string}}}\n", ["string": "---"], expect: "  ---\n"),
    RenderCase("ampersand standalone", "  {{&string}}\n", ["string": "---"], expect: "  ---\n"),
    RenderCase("standalone with CRLF", "  {{string}}\r\n", ["string": "---"], expect: "  ---\r\n"),
    RenderCase("standalone empty value keeps its line", "a\n  {{e}}\nb", ["e": ""], expect: "a\n  \nb"),
    // Whitespace insensitivity
    RenderCase("padding", "|{{ string }}|", ["string": "---"], expect: "|---|"),
    RenderCase("triple mustache padding", "|{{{ string }}}|", ["string": "---"], expect: "|---|"),
    RenderCase("ampersand padding", "|{{& string }}|", ["string": "---"], expect: "|---|"),
    RenderCase("padding with tabs and newlines", "|{{\t string\n}}|", ["string": "---"], expect: "|---|"),
    RenderCase("dotted name with padding", "|{{ a.b }}|", ["a": ["b": "---"]], expect: "|---|"),
]

@Test(arguments: interpolationCases)
func interpolation(_ test: RenderCase) throws {
    try test.check()
}
