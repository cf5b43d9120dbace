import Testing
import Templates

/// The name the template under test is registered as; no test template refers to it.
let rootName = "(root)"

/// Renders `template` with `data`, with `partials` in the same library.
func render(_ template: String, _ data: TemplateValue = [:], partials: [String: String] = [:]) throws -> String {
    var templates: [String: Template] = [:]
    for (name, text) in partials { templates[name] = try Template(text) }
    templates[rootName] = try Template(template)
    let bytes = try #require(TemplateLibrary(templates).render(rootName, data))
    return String(decoding: bytes, as: UTF8.self)
}

/// The error `Template(text)` throws, or nil if it parses.
func syntaxError(_ text: String) -> TemplateSyntaxError? {
    do {
        _ = try Template(text)
        return nil
    } catch {
        return error
    }
}

/// One rendering case, in the shape of the Mustache spec's YAML tests.
struct RenderCase: Sendable, CustomTestStringConvertible {
    let name: String
    let template: String
    let data: TemplateValue
    let partials: [String: String]
    let expected: String

    init(_ name: String, _ template: String, _ data: TemplateValue = [:], partials: [String: String] = [:], expect expected: String) {
        self.name = name
        self.template = template
        self.data = data
        self.partials = partials
        self.expected = expected
    }

    var testDescription: String { name }

    /// Renders the case and compares with its expected output.
    func check(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let output = try render(template, data, partials: partials)
        #expect(output == expected, "\(template.debugDescription) gave \(output.debugDescription), expected \(expected.debugDescription)",
                sourceLocation: sourceLocation)
    }
}
