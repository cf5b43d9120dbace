import ArgumentParser
import BuildReport
import ContentModel
import Diagnostics
import Foundation
import SiteBuild

struct Build: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the content and build the site into the output folder.",
        discussion: """
        Nothing is written when any error is found, and the previous site stays in place: \
        the new site is built beside the output folder and swapped in at the end.
        """
    )

    @OptionGroup var content: ContentOption

    @OptionGroup var folders: SiteFolders

    @Flag(name: .long, help: "Print how long each stage took.")
    var timings = false

    @OptionGroup var outputOptions: OutputOptions

    func run() async throws {
        let start = ContinuousClock.now
        let options = BuildOptions(contentDirectory: content.content, themeDirectory: folders.theme, outputDirectory: folders.output, includeDrafts: folders.drafts)
        let progress = outputOptions.progress("Building the site from \(content.content)/")
        let cache = PageCache(remembering: true)
        let result = await SiteBuilder.build(options, cache: cache)
        await progress.finish()
        outputOptions.report(result.diagnostics)
        if timings || outputOptions.verbose { outputOptions.sayTimings(of: result) }
        if result.diagnostics.hasErrors {
            FileHandle.standardError.write(Data("build failed: \(DiagnosticPrinter.tally(result.diagnostics)); nothing was written to \(folders.output)/\n".utf8))
            throw Exit.failure
        }
        let warnings = result.diagnostics.warningCount
        outputOptions.say("Built \(result.pagesWritten) pages into \(folders.output)/ in \(elapsed(since: start))"
            + (warnings > 0 ? " (\(warnings) warning\(warnings == 1 ? "" : "s"))" : ""))
        // Done: the process ends without freeing the build's values one by one (at 10,000
        // pages that took a tenth of a one-page rebuild).
        withExtendedLifetime((cache, result)) { Foundation.exit(0) }
    }
}

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check every page, relation and link without writing anything.",
        discussion: "Exit status: 0 clean, 1 errors (or warnings with --strict), 2 wrong usage."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var content: ContentOption

    @Flag(name: .long, help: "Treat warnings as errors.")
    var strict = false

    @Flag(name: .long, help: "Include pages marked 'draft: true'.")
    var drafts = false

    @Option(name: .long, help: "Output format: text (compiler style, on standard error) or json (on standard output).")
    var format: Format = .text

    @Option(name: .long, help: ArgumentHelp(
        "Also write an HTML report for editors: per page reading grade, review status, words, links and warnings.",
        valueName: "file"))
    var report: String?

    @OptionGroup var outputOptions: OutputOptions

    func run() async throws {
        let start = ContinuousClock.now
        let options = BuildOptions(contentDirectory: content.content, includeDrafts: drafts)
        let progress = outputOptions.progress("Checking \(content.content)/")
        let result = await SiteBuilder.check(options)
        await progress.finish()
        let failed = result.diagnostics.hasErrors || (strict && !result.diagnostics.isEmpty)
        if let report, let graph = result.graph {
            let html = EditorReport.html(graph: graph, diagnostics: result.diagnostics, today: options.today)
            do {
                try Data(html.utf8).write(to: URL(fileURLWithPath: report))
                outputOptions.say("Report written to \(report)")
            } catch {
                FileHandle.standardError.write(Data("error: cannot write the report to \(report): \(error.localizedDescription)\n".utf8))
                throw Exit.failure
            }
        }
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(result.diagnostics), as: UTF8.self))
        case .text:
            outputOptions.report(result.diagnostics)
            let pages = result.graph?.pages.count ?? 0
            outputOptions.say("Checked \(pages) pages in \(elapsed(since: start)): \(DiagnosticPrinter.tally(result.diagnostics))")
        }
        if failed { throw Exit.failure }
    }
}
