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
        subcommands: [Build.self, Check.self, Serve.self, GraphCommand.self, New.self]
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

    /// Each stage's time, then the files written and left as they were.
    func sayTimings(of result: BuildResult) {
        for timing in result.timings {
            say(String(format: "  %-14@ %8.1f ms", timing.stage, timing.seconds * 1000))
        }
        if let changed = result.pagesChanged {
            say("  pages          \(changed) changed page\(changed == 1 ? "" : "s") checked, the rest kept from the last build")
        }
        if !result.diagnostics.hasErrors {
            say("  files          \(result.filesWritten) written, \(result.filesUnchanged) unchanged")
        }
    }

    /// Starts a progress line that appears only if the work takes over a second:
    /// on a terminal it counts the seconds in place; elsewhere it is written once.
    func progress(_ label: String) -> ProgressLine {
        ProgressLine(label: label, enabled: !quiet, terminal: isatty(STDERR_FILENO) == 1)
    }

    /// A status line on standard output, written at once (a long-running `serve`
    /// must not leave its lines in a buffer when output is a pipe or a file).
    func say(_ line: String) {
        guard !quiet else { return }
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

/// The theme and output folders, as `build` and `serve` take them.
struct SiteFolders: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The theme folder (templates/ and assets/).", valueName: "dir"))
    var theme = "Theme"

    @Option(name: .long, help: ArgumentHelp("Where the site is written.", valueName: "dir"))
    var output = "Output"

    @Flag(name: .long, help: "Include pages marked 'draft: true'.")
    var drafts = false
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

/// "Building the site from Content/… 3 s", for builds long enough to wonder about.
final class ProgressLine: Sendable {
    private let task: Task<Void, Never>?
    private let terminal: Bool

    init(label: String, enabled: Bool, terminal: Bool) {
        self.terminal = terminal
        guard enabled else {
            task = nil
            return
        }
        task = Task.detached {
            var seconds = 1
            while true {
                do { try await Task.sleep(for: .seconds(1)) } catch { return }
                if terminal {
                    FileHandle.standardError.write(Data("\r\u{1B}[K\(label)… \(seconds) s".utf8))
                } else if seconds == 1 {
                    FileHandle.standardError.write(Data("\(label)…\n".utf8))
                }
                seconds += 1
            }
        }
    }

    /// Stops the line and clears it from a terminal.
    func finish() async {
        guard let task else { return }
        task.cancel()
        await task.value
        if terminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
