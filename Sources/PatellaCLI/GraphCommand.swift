import ArgumentParser
import ContentGraph
import ContentModel
import Diagnostics
import Foundation
import SiteBuild

struct GraphCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Print the content graph: pages and their typed relations and links.",
        discussion: "json for tools; dot for Graphviz (patella graph --format dot | dot -Tsvg > graph.svg)."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case json, dot }

    @OptionGroup var content: ContentOption

    @Option(name: .long, help: "json or dot.")
    var format: Format = .json

    @Flag(name: .long, help: "Include pages marked 'draft: true'.")
    var drafts = false

    @OptionGroup var outputOptions: OutputOptions

    func run() async throws {
        let result = await SiteBuilder.check(BuildOptions(contentDirectory: content.content, includeDrafts: drafts))
        outputOptions.report(result.diagnostics.filter { $0.severity == .error })
        guard let graph = result.graph, !result.diagnostics.hasErrors else { throw Exit.failure }
        let edges = GraphExport.edges(of: graph)
        switch format {
        case .json: print(try GraphExport.json(graph, edges: edges))
        case .dot: print(GraphExport.dot(graph, edges: edges))
        }
    }
}

enum GraphExport {
    struct Node: Encodable { let id: String, type: String, title: String, url: String }
    struct Edge: Encodable { let from: String, to: String, relation: String }

    /// Front-matter relations by name, then body links as `links-to`, in a stable order.
    static func edges(of graph: ContentGraph) -> [Edge] {
        var edges: [Edge] = []
        for page in graph.allPages {
            for kind in RelationKind.allCases {
                for target in graph.relations[page.id]?[kind] ?? [] {
                    edges.append(Edge(from: page.id.rawValue, to: target.rawValue, relation: kind.rawValue))
                }
            }
            for target in graph.linksTo[page.id] ?? [] {
                edges.append(Edge(from: page.id.rawValue, to: target.rawValue, relation: "links-to"))
            }
        }
        return edges
    }

    static func json(_ graph: ContentGraph, edges: [Edge]) throws -> String {
        struct Document: Encodable { let nodes: [Node]; let edges: [Edge] }
        let nodes = graph.allPages.map { Node(id: $0.id.rawValue, type: $0.type.rawValue, title: $0.title, url: "/" + $0.path) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(Document(nodes: nodes, edges: edges)), as: UTF8.self)
    }

    static func dot(_ graph: ContentGraph, edges: [Edge]) -> String {
        func quoted(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        var lines = ["digraph patella {", "  rankdir=LR;", "  node [shape=box, style=rounded];"]
        for type in PageType.allCases {
            lines.append("  subgraph \(quoted("cluster_" + type.rawValue)) {")
            lines.append("    label=\(quoted(type.pluralLabel));")
            for page in graph.pages(of: type) {
                lines.append("    \(quoted(page.id.rawValue)) [label=\(quoted(page.title))];")
            }
            lines.append("  }")
        }
        for edge in edges {
            let style = edge.relation == "links-to" ? ", style=dashed" : ""
            lines.append("  \(quoted(edge.from)) -> \(quoted(edge.to)) [label=\(quoted(edge.relation))\(style)];")
        }
        lines.append("}")
        return lines.joined(separator: "\n")
    }
}
