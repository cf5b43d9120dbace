import Testing
import Templates

// Cases follow mustache/spec partials.yml and ~inheritance.yml.

let partialCases: [RenderCase] = [
    RenderCase("basic behavior", "\"{{>text}}\"", partials: ["text": "from partial"], expect: "\"from partial\""),
    RenderCase("failed lookup", "\"{{>text}}\"", expect: "\"\""),
    RenderCase("context", "\"{{>partial}}\"", ["text": "content"], partials: ["partial": "*{{text}}*"], expect: "\"*content*\""),
    RenderCase("recursion", "{{>node}}", ["content": "X", "nodes": [["content": "Y", "nodes": []]]],
               partials: ["node": "{{content}}<{{#nodes}}{{>node}}{{/nodes}}>"], expect: "X<Y<>>"),
    RenderCase("nested", "{{>a}}", ["x": "1"], partials: ["a": "A{{x}}{{>b}}", "b": "B{{x}}"], expect: "A1B1"),
    RenderCase("section context", "{{#people}}{{>person}}{{/people}}", ["people": [["name": "Ann"], ["name": "Bo"]]],
               partials: ["person": "{{name}};"], expect: "Ann;Bo;"),
    RenderCase("path-like names", "{{>partials/nav.html}}", partials: ["partials/nav.html": "nav"], expect: "nav"),
    // Whitespace sensitivity
    RenderCase("surrounding whitespace", "| {{>partial}} |", partials: ["partial": "\t|\t"], expect: "| \t|\t |"),
    RenderCase("inline indentation", "  {{data}}  {{> partial}}\n", ["data": "|"], partials: ["partial": ">\n>"], expect: "  |  >\n>\n"),
    RenderCase("standalone line endings", "|\r\n{{>partial}}\r\n|", partials: ["partial": ">"], expect: "|\r\n>|"),
    RenderCase("standalone without previous line", "  {{>partial}}\n>", partials: ["partial": ">\n>"], expect: "  >\n  >>"),
    RenderCase("standalone without newline", ">\n  {{>partial}}", partials: ["partial": ">\n>"], expect: ">\n  >\n  >"),
    // Every line of the partial's own text is indented, but not the lines inside an interpolated value.
    RenderCase("standalone indentation", "\\\n {{>partial}}\n/\n", ["content": "<\n->"],
               partials: ["partial": "|\n{{{content}}}a b{{{content}}}c\n|\n"],
               expect: "\\\n |\n <\n->a b<\n->c\n |\n/\n"),
    RenderCase("standalone indentation, escaped value", "  {{>partial}}\n", ["content": "<\n>"],
               partials: ["partial": "{{content}}\n"], expect: "  &lt;\n&gt;\n"),
    RenderCase("standalone indentation with CRLF", "x\r\n  {{>p}}\r\ny", partials: ["p": "a\r\nb\r\n"], expect: "x\r\n  a\r\n  b\r\ny"),
    // The spec indents the partial's lines before rendering, so a line that renders empty keeps it.
    RenderCase("indentation of a line that renders empty", "  {{>p}}\n", ["x": ""], partials: ["p": "[\n{{x}}\n]\n"],
               expect: "  [\n  \n  ]\n"),
    RenderCase("nested standalone indentation", "  {{>a}}\n", partials: ["a": "A\n {{>b}}\n", "b": "B1\nB2\n"],
               expect: "  A\n   B1\n   B2\n"),
    RenderCase("standalone partial inside a standalone section", "  {{#s}}\n  {{>p}}\n  {{/s}}\n", ["s": true],
               partials: ["p": "1\n2\n"], expect: "  1\n  2\n"),
    RenderCase("inline partial is not indented", "  {{>p}} z\n", partials: ["p": "1\n2"], expect: "  1\n2 z\n"),
    RenderCase("standalone missing partial removes its line", "a\n  {{>missing}}\nb", expect: "a\nb"),
    RenderCase("padding whitespace", "|{{> partial }}|", ["boolean": true], partials: ["partial": "[]"], expect: "|[]|"),
]

let inheritanceCases: [RenderCase] = [
    RenderCase("default", "{{$title}}Default title{{/title}}\n", expect: "Default title\n"),
    RenderCase("variable", "{{$foo}}default {{bar}} content{{/foo}}\n", ["bar": "baz"], expect: "default baz content\n"),
    RenderCase("triple mustache", "{{$foo}}default {{{bar}}} content{{/foo}}\n", ["bar": "<baz>"], expect: "default <baz> content\n"),
    RenderCase("sections", "{{$foo}}default {{#bar}}{{baz}}{{/bar}} content{{/foo}}\n", ["bar": ["baz": "qux"]],
               expect: "default qux content\n"),
    RenderCase("negative sections", "{{$foo}}default {{^bar}}{{baz}}{{/bar}} content{{/foo}}\n", ["baz": "three"],
               expect: "default three content\n"),
    RenderCase("mustache injection", "{{$foo}}default {{#bar}}{{baz}}{{/bar}} content{{/foo}}\n", ["bar": ["baz": "{{qux}}"]],
               expect: "default {{qux}} content\n"),
    RenderCase("inherit", "{{<include}}{{/include}}\n", partials: ["include": "{{$foo}}default content{{/foo}}"], expect: "default content"),
    RenderCase("overridden content", "{{<super}}{{$title}}sub template title{{/title}}{{/super}}",
               partials: ["super": "...{{$title}}Default title{{/title}}..."], expect: "...sub template title..."),
    RenderCase("data does not override block", "{{<include}}{{$var}}var in template{{/var}}{{/include}}", ["var": "var in data"],
               partials: ["include": "{{$var}}var in include{{/var}}"], expect: "var in template"),
    RenderCase("data does not override block default", "{{<include}}{{/include}}", ["var": "var in data"],
               partials: ["include": "{{$var}}var in include{{/var}}"], expect: "var in include"),
    RenderCase("overridden parent", "test {{<parent}}{{$stuff}}override{{/stuff}}{{/parent}}",
               partials: ["parent": "{{$stuff}}...{{/stuff}}"], expect: "test override"),
    RenderCase("two overridden parents",
               "test {{<parent}}{{$stuff}}override1{{/stuff}}{{/parent}} {{<parent}}{{$stuff}}override2{{/stuff}}{{/parent}}\n",
               partials: ["parent": "|{{$stuff}}...{{/stuff}}{{$default}} default{{/default}}|"],
               expect: "test |override1 default| |override2 default|\n"),
    RenderCase("override parent with newlines", "{{<parent}}{{$ballmer}}\npeaked\n\n:(\n{{/ballmer}}{{/parent}}",
               partials: ["parent": "{{$ballmer}}peaking{{/ballmer}}"], expect: "peaked\n\n:(\n"),
    RenderCase("inherit indentation", "{{<parent}}{{$nineties}}hammer time{{/nineties}}{{/parent}}",
               partials: ["parent": "stop:\n  {{$nineties}}collaborate and listen{{/nineties}}\n"], expect: "stop:\n  hammer time\n"),
    RenderCase("only one override", "{{<parent}}{{$stuff2}}override two{{/stuff2}}{{/parent}}",
               partials: ["parent": "{{$stuff}}new default one{{/stuff}}, {{$stuff2}}new default two{{/stuff2}}"],
               expect: "new default one, override two"),
    RenderCase("parent template", "{{>parent}}|{{<parent}}{{/parent}}", partials: ["parent": "{{$foo}}default content{{/foo}}"],
               expect: "default content|default content"),
    RenderCase("recursion", "{{<parent}}{{$foo}}override{{/foo}}{{/parent}}",
               partials: ["parent": "{{$foo}}default content{{/foo}} {{$bar}}{{<parent2}}{{/parent2}}{{/bar}}",
                          "parent2": "{{$foo}}parent2 default content{{/foo}} {{<parent}}{{$bar}}don't recurse{{/bar}}{{/parent}}"],
               expect: "override override override don't recurse"),
    RenderCase("multi-level inheritance", "{{<parent}}{{$a}}c{{/a}}{{/parent}}",
               partials: ["parent": "{{<older}}{{$a}}p{{/a}}{{/older}}", "older": "{{<grandParent}}{{$a}}o{{/a}}{{/grandParent}}",
                          "grandParent": "{{$a}}g{{/a}}"], expect: "c"),
    RenderCase("multi-level inheritance, no sub child", "{{<parent}}{{/parent}}",
               partials: ["parent": "{{<older}}{{$a}}p{{/a}}{{/older}}", "older": "{{<grandParent}}{{$a}}o{{/a}}{{/grandParent}}",
                          "grandParent": "{{$a}}g{{/a}}"], expect: "p"),
    RenderCase("text inside parent", "{{<parent}} asdfasd {{$foo}}hmm{{/foo}} asdfasdfasdf {{/parent}}",
               partials: ["parent": "{{$foo}}default content{{/foo}}"], expect: "hmm"),
    RenderCase("text inside parent, no blocks", "{{<parent}} asdfasd asdfasdfasdf {{/parent}}",
               partials: ["parent": "{{$foo}}default content{{/foo}}"], expect: "default content"),
    RenderCase("text between blocks is ignored", "{{<p}}junk{{$a}}A{{/a}} more\njunk\n{{$b}}B{{/b}}tail{{/p}}",
               partials: ["p": "{{$a}}-{{/a}}|{{$b}}-{{/b}}"], expect: "A|B"),
    RenderCase("comments inside a parent", "{{<p}}{{! why }}{{$a}}A{{/a}}{{/p}}", partials: ["p": "[{{$a}}-{{/a}}]"], expect: "[A]"),
    RenderCase("block scope", "{{<parent}}{{$block}}I say {{fruit}}.{{/block}}{{/parent}}",
               ["fruit": "apples", "nested": ["fruit": "bananas"]],
               partials: ["parent": "{{#nested}}{{$block}}You say {{fruit}}.{{/block}}{{/nested}}"], expect: "I say bananas."),
    // A plain partial is a parent without overrides, so the blocks inside it take the outer overrides.
    RenderCase("blocks inside partials used by a parent", "{{<layout}}{{$title}}Mine{{/title}}{{/layout}}",
               partials: ["layout": "<h1>{{>header}}</h1>", "header": "{{$title}}Default{{/title}}"], expect: "<h1>Mine</h1>"),
    RenderCase("blocks inside partials keep their default", "{{<layout}}{{/layout}}",
               partials: ["layout": "<h1>{{>header}}</h1>", "header": "{{$title}}Default{{/title}}"], expect: "<h1>Default</h1>"),
    RenderCase("standalone parent lines", "x\n  {{<p}}\n  {{$a}}A{{/a}}\n  {{/p}}\ny", partials: ["p": "1\n{{$a}}-{{/a}}\n2\n"],
               expect: "x\n  1\n  A\n  2\ny"),
    RenderCase("standalone block lines", "{{<p}}\n{{$a}}\nA\n{{/a}}\n{{/p}}\n", partials: ["p": "[\n{{$a}}\n-\n{{/a}}\n]\n"],
               expect: "[\nA\n]\n"),
    // The spec's standalone and indentation rules for parents and blocks (see specs/whitespace.md).
    RenderCase("standalone parent", "Hi,\n  {{<parent}}{{/parent}}\n", partials: ["parent": "one\ntwo\n"], expect: "Hi,\n  one\n  two\n"),
    RenderCase("standalone block", "{{<parent}}{{$block}}\none\ntwo{{/block}}\n{{/parent}}\n",
               partials: ["parent": "Hi,\n  {{$block}}{{/block}}\n"], expect: "Hi,\n  one\n  two\n"),
    RenderCase("block reindentation", "{{<parent}}{{$block}}\n    one\n    two\n{{/block}}{{/parent}}\n",
               partials: ["parent": "Hi,\n  {{$block}}\n  {{/block}}\n"], expect: "Hi,\n  one\n  two\n"),
    RenderCase("intrinsic indentation", "{{<parent}}{{$block}}\none\ntwo\n{{/block}}{{/parent}}\n",
               partials: ["parent": "Hi,\n{{$block}}\n  default\n{{/block}}\n"], expect: "Hi,\n  one\n  two\n"),
    RenderCase("nested block reindentation", "{{<parent}}{{$nested}}\nthree\n{{/nested}}{{/parent}}\n",
               partials: ["parent": "{{<grandparent}}{{$block}}\n  one\n  {{$nested}}\n    two\n  {{/nested}}\n"
                              + "{{/block}}{{/grandparent}}\n",
                          "grandparent": "{{$block}}default{{/block}}"], expect: "one\n  three\n"),
    // Whatever a standalone block renders is indented, its default too.
    RenderCase("standalone block default", "Hi,\n  {{$block}}one\ntwo{{/block}}\n", expect: "Hi,\n  one\n  two\n"),
    // An argument's intrinsic indentation leaves its tags' lines too: a standalone partial keeps only the rest.
    RenderCase("partial inside a reindented block", "{{<parent}}{{$block}}\n  x\n    {{>p}}\n{{/block}}{{/parent}}",
               partials: ["parent": "[\n{{$block}}\n{{/block}}\n]\n", "p": "1\n2\n"], expect: "[\nx\n  1\n  2\n]\n"),
]

@Test(arguments: partialCases)
func partials(_ test: RenderCase) throws { try test.check() }

@Test(arguments: inheritanceCases)
func inheritance(_ test: RenderCase) throws { try test.check() }

// Rendering that would never end is refused (nil), not cut short into a page.
@Test func selfIncludingPartialIsRefused() throws {
    let library = TemplateLibrary(["root": try Template("{{>self}}"), "self": try Template("x{{>self}}")])
    #expect(library.render("root", [:]) == nil)
}

@Test func selfIncludingParentIsRefused() throws {
    let library = TemplateLibrary(["root": try Template("{{<self}}{{/self}}"), "self": try Template("y{{<self}}{{/self}}")])
    #expect(library.render("root", [:]) == nil)
}

@Test func recursionThroughStackClimbingIsRefused() throws {
    // `a` is found again up the stack at every level, so plain Mustache would recurse forever.
    let library = TemplateLibrary(["root": try Template("{{>r}}"), "r": try Template("{{#a}}<{{>r}}>{{/a}}")])
    #expect(library.render("root", ["a": true]) == nil)
}

@Test func recursionThatTheDataEndsIsRendered() throws {
    // A tree: each level has its own (finally empty) `kids`, so nothing is found up the stack.
    let leaf: TemplateValue = ["name": "c", "kids": []]
    let tree: TemplateValue = ["name": "a", "kids": [["name": "b", "kids": [leaf]]]]
    let output = try render("{{>node}}", tree, partials: ["node": "{{name}}{{#kids}}({{>node}}){{/kids}}"])
    #expect(output == "a(b(c))")
}

@Test func libraryLookup() throws {
    let library = TemplateLibrary(["a": try Template("A")])
    #expect(library["a"] != nil)
    #expect(library["b"] == nil)
    #expect(library.render("b", [:]) == nil)
    #expect(library.render("a", [:]) == Array("A".utf8))
}
