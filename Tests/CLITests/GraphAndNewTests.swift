import Foundation
import Testing
import TestSupport

@Suite struct GraphAndNewTests {
    @Test func graphJSONHasEveryRelationAndBodyLink() throws {
        let sandbox = try SiteSandbox()
        let result = try sandbox.patella("graph", "--format", "json")
        #expect(result.status == 0, "\(result.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let nodes = try #require(document["nodes"] as? [[String: String]])
        let edges = try #require(document["edges"] as? [[String: String]])
        #expect(nodes.count == 7)
        #expect(nodes.contains { $0["id"] == "icing" && $0["type"] == "treatment" && $0["url"] == "/treatments/icing/" })
        func has(_ from: String, _ to: String, _ relation: String) -> Bool {
            edges.contains { $0["from"] == from && $0["to"] == to && $0["relation"] == relation }
        }
        #expect(has("sample-condition", "ache", "symptoms"))
        #expect(has("sample-condition", "strain", "causes"))
        #expect(has("sample-condition", "icing", "treatments"))
        #expect(has("sample-condition", "scan", "diagnostics"))
        #expect(has("icing", "surgery", "related"))
        #expect(has("ache", "sample-condition", "links-to"))
    }

    @Test func graphDotIsClusteredByType() throws {
        let sandbox = try SiteSandbox()
        let result = try sandbox.patella("graph", "--format", "dot")
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("digraph patella {"))
        #expect(result.stdout.contains("subgraph \"cluster_symptom\""))
        #expect(result.stdout.contains("\"sample-condition\" -> \"ache\" [label=\"symptoms\"];"))
    }

    @Test func newWritesATemplateThatChecksClean() throws {
        let sandbox = try SiteSandbox()
        let result = try sandbox.patella("new", "treatment", "Knee Taping (Kinesio)")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "Content/treatments/knee-taping-kinesio.md\n")
        let text = try sandbox.directory.read("Content/treatments/knee-taping-kinesio.md")
        #expect(text.contains("title: \"Knee Taping (Kinesio)\""))
        #expect(text.contains("care: self-care"))
        let check = try sandbox.patella("check", "--drafts")
        #expect(check.status == 0, "\(check.stderr)")
        #expect(!check.stderr.contains("error:"))

        let again = try sandbox.patella("new", "treatment", "Knee taping kinesio")
        #expect(again.status == 1)
        #expect(again.stderr.contains("already exists"))
        #expect(try sandbox.directory.read("Content/treatments/knee-taping-kinesio.md") == text)
    }

    @Test func newRejectsUnknownTypes() throws {
        let sandbox = try SiteSandbox()
        let result = try sandbox.patella("new", "disease", "Gout")
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown page type 'disease'"))
    }
}
