import ArgumentParser
import Diagnostics
import Foundation
import SiteBuild
import SiteServing

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build the site, serve it on this machine, and rebuild and reload the browser on every edit.",
        discussion: """
        Watches the content and theme folders. After an edit the site is rebuilt and open pages reload; \
        if the edit breaks the build, open pages show the errors over the last good version, which stays served.
        """
    )

    @Option(name: .long, help: "Port to listen on.")
    var port = 8000

    @Option(name: .long, help: "Address to listen on; keep the default to serve this machine only.")
    var host = "127.0.0.1"

    @OptionGroup var content: ContentOption

    @OptionGroup var folders: SiteFolders

    @OptionGroup var outputOptions: OutputOptions

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
    }

    func run() async throws {
        let options = BuildOptions(contentDirectory: content.content, themeDirectory: folders.theme, outputDirectory: folders.output, includeDrafts: folders.drafts)
        let say = outputOptions
        let server = DevServer(options: options, host: host, port: port, onBuild: { result, duration in
            say.report(result.diagnostics)
            if say.verbose { say.sayTimings(of: result) }
            let milliseconds = Int(Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15)
            if result.diagnostics.hasErrors {
                FileHandle.standardError.write(Data("build failed: \(DiagnosticPrinter.tally(result.diagnostics)); still serving the last good site\n".utf8))
            } else {
                let changed = result.pagesChanged.map { "\($0) changed page\($0 == 1 ? "" : "s") checked, " } ?? ""
                say.say("Built \(result.pagesWritten) pages in \(milliseconds) ms (\(changed)\(result.filesWritten) files written)")
            }
        }, onListening: { address in
            say.say("Serving \(address) (Ctrl-C to stop)")
        })
        try await server.run()
        say.say("Stopped.")
    }
}
