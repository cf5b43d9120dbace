import Testing
import Templates

// TemplateFunction: swift-mustache's transforms, written around a name.

let functionCases: [RenderCase] = [
    RenderCase("^empty of a non-empty list", "{{^empty(list)}}has items{{/empty(list)}}", ["list": [1]], expect: "has items"),
    RenderCase("^empty of an empty list", "[{{^empty(list)}}has items{{/empty(list)}}]", ["list": []], expect: "[]"),
    RenderCase("#empty of an empty list", "{{#empty(list)}}none{{/empty(list)}}", ["list": []], expect: "none"),
    RenderCase("empty of text and object", "{{#empty(t)}}t{{/empty(t)}}{{#empty(o)}}o{{/empty(o)}}{{^empty(u)}}u{{/empty(u)}}",
               ["t": "", "o": [:], "u": "x"], expect: "tou"),
    RenderCase("#first", "{{#first(list)}}<{{.}}>{{/first(list)}}", ["list": ["a", "b", "c"]], expect: "<a>"),
    RenderCase("#first pushes the item", "{{#first(posts)}}{{title}}{{/first(posts)}}", ["posts": [["title": "A"], ["title": "B"]]],
               expect: "A"),
    RenderCase("#first of an empty list", "[{{#first(list)}}x{{/first(list)}}]", ["list": []], expect: "[]"),
    RenderCase("last", "{{last(list)}}", ["list": ["a", "b", "c"]], expect: "c"),
    RenderCase("count of a list", "{{count(list)}}", ["list": ["a", "b", "c"]], expect: "3"),
    RenderCase("count of an empty list", "{{count(list)}}", ["list": []], expect: "0"),
    RenderCase("count of an object", "{{count(o)}}", ["o": ["a": 1, "b": 2]], expect: "2"),
    RenderCase("#first(reversed)", "{{#first(reversed(list))}}{{.}}{{/first(reversed(list))}}", ["list": ["a", "b", "c"]], expect: "c"),
    RenderCase("#reversed iterates backwards", "{{#reversed(list)}}{{.}}{{/reversed(list)}}", ["list": ["a", "b", "c"]], expect: "cba"),
    RenderCase("function of a dotted name", "{{count(page.tags)}}", ["page": ["tags": ["x", "y"]]], expect: "2"),
    RenderCase("function of a name found up the stack", "{{#o}}{{count(list)}}{{/o}}", ["o": ["x": 1], "list": [1, 2]], expect: "2"),
    RenderCase("text functions", "{{uppercased(s)}}|{{lowercased(s)}}|{{capitalized(s)}}|{{reversed(s)}}", ["s": "hello World"],
               expect: "HELLO WORLD|hello world|Hello World|dlroW olleh"),
    RenderCase("function results are escaped", "{{uppercased(s)}}|{{{uppercased(s)}}}|{{&uppercased(s)}}", ["s": "a&b"],
               expect: "A&amp;B|A&B|A&B"),
    RenderCase("number functions", "{{plusone(n)}} {{minusone(n)}} {{plusone(plusone(n))}}", ["n": 4], expect: "5 3 6"),
    RenderCase("number predicates of 0", "{{#even(n)}}even{{/even(n)}}{{#odd(n)}}odd{{/odd(n)}}{{#equalzero(n)}}zero{{/equalzero(n)}}",
               ["n": 0], expect: "evenzero"),
    RenderCase("number predicates of 3", "{{#even(n)}}even{{/even(n)}}{{#odd(n)}}odd{{/odd(n)}}{{^equalzero(n)}}nonzero{{/equalzero(n)}}",
               ["n": 3], expect: "oddnonzero"),
    RenderCase("predicates render as flags", "{{even(n)}} {{equalzero(n)}}", ["n": 2], expect: "true false"),
    // Where a function does not apply, the name counts as missing.
    RenderCase("not applicable acts as missing",
               "[{{#first(s)}}x{{/first(s)}}|{{^first(s)}}y{{/first(s)}}|{{count(s)}}|{{uppercased(n)}}|{{plusone(s)}}]",
               ["s": "text", "n": 1], expect: "[|y|||]"),
    RenderCase("function of a missing name", "[{{count(missing)}}|{{#first(missing)}}x{{/first(missing)}}]", expect: "[|]"),
    RenderCase("function of a broken chain", "[{{count(a.b)}}]", ["a": "text"], expect: "[]"),
    RenderCase("function of the implicit iterator", "{{#items}}{{uppercased(.)}}{{/items}}", ["items": ["a", "b"]], expect: "AB"),
    RenderCase("count of the implicit iterator", "{{#lists}}{{count(.)}}{{/lists}}", ["lists": [[1], [1, 2]]], expect: "12"),
    RenderCase("functions with padding", "{{# empty(list) }}none{{/ empty(list) }}", ["list": []], expect: "none"),
    RenderCase("standalone function sections", "<\n{{#first(l)}}\n{{.}}\n{{/first(l)}}\n>", ["l": ["a"]], expect: "<\na\n>"),
]

@Test(arguments: functionCases)
func functions(_ test: RenderCase) throws { try test.check() }

@Test func closingTagMustRepeatTheFunction() throws {
    #expect(syntaxError("{{#empty(x)}}a{{/empty(x)}}") == nil)
    #expect(syntaxError("{{^first(reversed(x))}}a{{/first(reversed(x))}}") == nil)
    let error = try #require(syntaxError("{{#empty(x)}}a{{/x}}"))
    #expect(error.line == 1 && error.column == 15)
    #expect(error.message.contains("{{/x}}") && error.message.contains("{{#empty(x)}}"))
}

@Test func everyFunctionIsKnownToTheParser() {
    for function in TemplateFunction.allCases {
        #expect(syntaxError("{{\(function.rawValue)(x)}}") == nil, "\(function)")
    }
}

// TemplateObject / TemplateValue

@Test func settingNilRemovesAField() throws {
    var object: TemplateObject = ["a": "x", "b": "y"]
    object["a"] = nil
    let absent: String? = nil
    object["c"] = absent.templateValue
    object["d"] = Optional("").templateValue
    #expect(object["a"] == nil)
    #expect(object["c"] == nil)
    // Removed and absent fields hide sections; an empty text still shows them.
    #expect(try render("{{#o}}{{#a}}a{{/a}}{{^c}}c{{/c}}{{#d}}d{{/d}}{{/o}}{{count(o)}}", ["o": .object(object)]) == "cd2")
}

@Test func settingAFieldAgainReplacesIt() throws {
    var object = TemplateObject()
    object["a"] = "1"
    object["a"] = 2
    #expect(try render("{{a}} {{count(o)}}", ["o": .object(object), "a": "outer"]) == "outer 1")
    #expect(try render("{{a}}", .object(object)) == "2")
}
