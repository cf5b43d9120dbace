import ContentGraph
import ContentModel
import Diagnostics
import SiteBuild
import Testing
import TestSupport

@Suite struct ContentGraphTests {
    func fixtureGraph() async throws -> ContentGraph {
        let result = await SiteBuilder.check(BuildOptions(contentDirectory: TestPaths.fixtureSite + "/Content"))
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        return try #require(result.graph)
    }

    @Test func everyClinicalRelationHasItsInverse() async throws {
        let graph = try await fixtureGraph()
        #expect(graph.inverse("ache", .symptoms).map(\.id) == ["sample-condition"])
        #expect(graph.inverse("strain", .causes).map(\.id) == ["sample-condition"])
        #expect(graph.inverse("icing", .treatments).map(\.id) == ["sample-condition"])
        #expect(graph.inverse("surgery", .treatments).map(\.id) == ["sample-condition"])
        #expect(graph.inverse("scan", .diagnostics).map(\.id) == ["sample-condition"])
        #expect(graph.inverse("surgery", .related).map(\.id) == ["icing"])
        #expect(graph.inverse("help", .related).map(\.id) == ["sample-condition"])
    }

    @Test func forwardRelationsKeepTheEditorsOrder() async throws {
        let graph = try await fixtureGraph()
        #expect(graph.related("sample-condition", .treatments).map(\.id) == ["surgery", "icing"])
    }

    @Test func linkedFromCombinesRelationsAndBodyLinks() async throws {
        let graph = try await fixtureGraph()
        // ache: listed by the condition (relation) and linked in its body.
        #expect(graph.linkedFrom("ache").map(\.id) == ["sample-condition"])
        // The condition is linked from the bodies of ache and strain.
        #expect(graph.linkedFrom("sample-condition").map(\.id).sorted() == ["ache", "strain"])
        #expect(graph.linksTo["sample-condition"]?.contains("help") == true)
    }
}

/// The real site: every entity the seed articles name exists with its type, and the
/// key edges hold, so nothing silently disappears from Content/.
@Suite struct RealContentTests {
    static let expected: [PageType: [PageID]] = [
        .condition: ["patellofemoral-pain-syndrome", "medial-meniscus-tear", "mcl-injury", "pes-anserine-bursitis",
                     "medial-plica-syndrome", "knee-osteoarthritis", "rheumatoid-arthritis", "knee-bursitis",
                     "knee-tendinitis", "hip-muscle-weakness", "kneecap-misalignment"],
        .symptom: ["inner-knee-pain", "throbbing-pain", "dull-ache", "knee-swelling", "pain-under-kneecap",
                   "trouble-with-stairs", "trouble-rising-from-chair", "pain-bending-straightening", "clicking-popping",
                   "stiffness", "redness-warmth", "bruising", "tenderness", "knee-instability"],
        .cause: ["trauma", "overuse", "training-errors", "running-form", "flat-feet-overpronation", "high-arches",
                 "muscle-weakness", "muscle-tightness", "hill-running", "excess-body-weight", "wrong-footwear"],
        .treatment: ["rest", "rice", "ice", "heat", "otc-anti-inflammatories", "acetaminophen", "footwear-and-inserts",
                     "stretching", "strengthening-exercises", "physical-therapy", "prescription-anti-inflammatories",
                     "cortisone-injection", "viscosupplementation", "arthroscopic-surgery", "partial-knee-replacement",
                     "total-knee-replacement"],
        .diagnostic: ["physical-exam", "x-ray", "mri", "ct-scan", "ultrasound"],
        .guide: ["preventing-inner-knee-pain", "choosing-running-shoes", "returning-to-running", "when-to-see-a-provider"],
    ]

    func realGraph() async throws -> (ContentGraph, [Diagnostic]) {
        let result = await SiteBuilder.check(BuildOptions(contentDirectory: TestPaths.content))
        return (try #require(result.graph), result.diagnostics)
    }

    @Test func checksCleanWithoutWarnings() async throws {
        let (_, diagnostics) = try await realGraph()
        #expect(diagnostics.isEmpty, "\(diagnostics.map { "\($0.location.description): \($0.message)" })")
    }

    @Test func everyExpectedEntityExistsWithItsType() async throws {
        let (graph, _) = try await realGraph()
        for (type, ids) in Self.expected {
            for id in ids {
                #expect(graph[id]?.type == type, "\(id) should be a \(type)")
            }
        }
    }

    @Test func treatmentsSitOnTheRightCareStep() async throws {
        let (graph, _) = try await realGraph()
        let steps: [PageID: CareStep] = [
            "rice": .selfCare, "otc-anti-inflammatories": .selfCare, "acetaminophen": .selfCare,
            "physical-therapy": .clinician, "prescription-anti-inflammatories": .clinician,
            "cortisone-injection": .procedure, "viscosupplementation": .procedure,
            "arthroscopic-surgery": .surgery, "total-knee-replacement": .surgery, "partial-knee-replacement": .surgery,
        ]
        for (id, step) in steps { #expect(graph[id]?.metadata.care == step, "\(id)") }
    }

    @Test func keyEdgesHoldBothWays() async throws {
        let (graph, _) = try await realGraph()
        let meniscus = graph.relations["medial-meniscus-tear"] ?? [:]
        #expect(meniscus[.symptoms]?.contains("knee-swelling") == true)
        #expect(meniscus[.diagnostics]?.contains("mri") == true)
        #expect(meniscus[.treatments]?.contains("arthroscopic-surgery") == true)
        #expect(graph.inverse("knee-swelling", .symptoms).contains { $0.id == "medial-meniscus-tear" })
        #expect(graph.inverse("mri", .diagnostics).contains { $0.id == "medial-meniscus-tear" })
        #expect(graph.inverse("arthroscopic-surgery", .treatments).contains { $0.id == "medial-meniscus-tear" })
        #expect(graph.relations["knee-osteoarthritis"]?[.treatments]?.contains("viscosupplementation") == true)
        #expect(graph.relations["pes-anserine-bursitis"]?[.causes]?.contains("hill-running") == true)
    }

    @Test func aliasesCarryTheWordsPatientsType() async throws {
        let (graph, _) = try await realGraph()
        func aliases(_ id: PageID) -> String { graph[id]?.metadata.aliases.joined(separator: "|").lowercased() ?? "" }
        #expect(aliases("patellofemoral-pain-syndrome").contains("runner's knee"))
        #expect(aliases("otc-anti-inflammatories").contains("advil"))
        #expect(aliases("acetaminophen").contains("tylenol"))
        #expect(aliases("knee-swelling").contains("water on the knee"))
    }

    @Test func everyConditionLinksToWhenToGetHelp() async throws {
        let (graph, _) = try await realGraph()
        for condition in graph.pages(of: .condition) {
            #expect(graph.linksTo[condition.id]?.contains("when-to-see-a-provider") == true, "\(condition.id)")
        }
        let help = try #require(graph["when-to-see-a-provider"])
        #expect(help.body.callouts.contains { $0.kind == .warning })
    }

    @Test func noPageInventsAReviewer() async throws {
        let (graph, _) = try await realGraph()
        #expect(graph.pages.values.allSatisfy { $0.metadata.reviewed == nil })
        let publishers = Set(graph.pages.values.flatMap { $0.metadata.sources.map(\.publisher) })
        #expect(publishers.isSubset(of: ["Verywell Health"]))
    }
}
