import ArgumentParser
import ContentModel
import Diagnostics
import Foundation
import SiteBuild

struct Patella: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patella",
        abstract: "Build a patient-education website from Markdown pages linked into a typed content graph.",
        version: "0.1.0",
        subcommands: [Build.self, Check.self, GraphCommand.self, New.self]
    )
}

/// Exit codes: 0 clean, 1 content or build errors, 2 wrong usage.
enum Exit {
    static let failure = ExitCode(1)
    static let usage = ExitCode(2)
}

@main
enum Main {
    static func main() async {
        do {
            var command = try Patella.parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            // ArgumentParser's own usage errors exit 64; Patella promises 2.
            if Patella.exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((Patella.fullMessage(for: error) + "\n").utf8))
                Patella.exit(withError: Exit.usage)
            }
            Patella.exit(withError: error)
        }
    }
}

struct OutputOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Print only errors.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Print every stage's timing and every warning in full.")
    var verbose = false

    var useColor: Bool {
        ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
            && isatty(STDERR_FILENO) == 1
            && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }

    /// Prints diagnostics to standard error, like a compiler does.
    func report(_ diagnostics: [Diagnostic]) {
        let shown = quiet ? diagnostics.filter { $0.severity == .error } : diagnostics
        guard !shown.isEmpty else { return }
        let printer = DiagnosticPrinter(useColor: useColor) { path in
            FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
        }
        FileHandle.standardError.write(Data(printer.format(shown).utf8))
    }

    func say(_ line: String) {
        guard !quiet else { return }
        print(line)
    }
}

struct ContentOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The content folder.", valueName: "dir"))
    var content = "Content"
}

func elapsed(since start: ContinuousClock.Instant) -> String {
    let duration = ContinuousClock.now - start
    let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    return seconds < 1 ? "\(Int((seconds * 1000).rounded())) ms" : String(format: "%.2f s", seconds)
}
