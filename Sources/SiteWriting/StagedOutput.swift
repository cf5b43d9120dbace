import CPlatform
import ContentModel
import Diagnostics
import Foundation

/// Writes a build into a staging folder beside the output folder and swaps it in
/// only when everything succeeded, so readers and editors never see a half-built
/// site: a failed or killed build leaves the previous output as it was.
public final class StagedOutput: Sendable {
    public let outputDirectory: String
    public let stagingDirectory: String
    /// Written into every output folder, so Patella only ever replaces a folder it made.
    public static let markerName = ".patella-output"
    /// Files a user may keep in an output folder Patella has not written yet.
    static let tolerated: Set<String> = [".gitkeep", markerName]

    private init(outputDirectory: String, stagingDirectory: String) {
        self.outputDirectory = outputDirectory
        self.stagingDirectory = stagingDirectory
    }

    /// Checks that the output folder is Patella's to replace, and creates the staging folder.
    public static func prepare(outputDirectory: String, protecting sources: [String]) -> Result<StagedOutput, Diagnostic> {
        let fm = FileManager.default
        let output = URL(fileURLWithPath: outputDirectory).standardizedFileURL
        let location = SourceLocation(file: outputDirectory)
        for source in sources {
            let protected = URL(fileURLWithPath: source).standardizedFileURL.resolvingSymlinksInPath().path
            let target = output.resolvingSymlinksInPath().path
            if target == protected || protected.hasPrefix(target + "/") || target.hasPrefix(protected + "/") || target == "/" {
                return .failure(.error("output-unsafe", at: location,
                                       "output folder '\(outputDirectory)' overlaps '\(source)'; Patella will not replace it",
                                       hint: "choose a separate folder such as Output/"))
            }
        }
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: output.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                return .failure(.error("output-unsafe", at: location, "'\(outputDirectory)' exists and is not a folder"))
            }
            let names = Set((try? fm.contentsOfDirectory(atPath: output.path)) ?? [])
            if !names.contains(markerName), !names.isSubset(of: tolerated) {
                return .failure(.error("output-unsafe", at: location,
                                       "'\(outputDirectory)' holds files Patella did not write; it will not replace them",
                                       hint: "choose an empty or new output folder"))
            }
        }
        let parent = output.deletingLastPathComponent().path
        let name = output.lastPathComponent
        removeAbandonedStaging(in: parent, for: name)
        let staging = parent + "/.\(name).staging-\(getpid())"
        try? fm.removeItem(atPath: staging)
        do {
            try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
            try fm.createDirectory(atPath: staging, withIntermediateDirectories: false)
            for kept in tolerated where fm.fileExists(atPath: output.path + "/" + kept) && kept != markerName {
                try? fm.copyItem(atPath: output.path + "/" + kept, toPath: staging + "/" + kept)
            }
            try Data("Built by Patella. This folder is replaced on every build.\n".utf8).write(to: URL(fileURLWithPath: staging + "/" + markerName))
        } catch {
            return .failure(.error("output-write", at: location, "cannot create the staging folder beside '\(outputDirectory)': \(error.localizedDescription)"))
        }
        return .success(StagedOutput(outputDirectory: output.path, stagingDirectory: staging))
    }

    /// A staging folder whose build process is gone was left by a killed build.
    static func removeAbandonedStaging(in parent: String, for name: String) {
        let prefix = ".\(name).staging-"
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? [] where entry.hasPrefix(prefix) {
            guard let pid = Int32(entry.dropFirst(prefix.count)) else { continue }
            if pid != getpid(), kill(pid, 0) != 0, errno == ESRCH {
                try? FileManager.default.removeItem(atPath: parent + "/" + entry)
            }
        }
    }

    /// Writes one file; safe to call from several tasks at once for different paths.
    public func write(_ file: OutputFile) -> Diagnostic? {
        let path = stagingDirectory + "/" + file.path
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try file.contents.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: path)) }
        } catch {
            return .error("output-write", at: SourceLocation(file: file.path), "cannot write \(file.path): \(error.localizedDescription)")
        }
        return nil
    }

    /// Copies an asset; the loader has already refused links that leave its folder.
    public func copy(_ asset: AssetFile) -> Diagnostic? {
        guard let data = FileManager.default.contents(atPath: asset.sourcePath) else {
            return .error("asset-unreadable", at: SourceLocation(file: asset.sourcePath), "cannot read the file to copy it")
        }
        return write(OutputFile(path: asset.outputPath, contents: Array(data)))
    }

    /// Swaps the staged site in. The exchange is one atomic rename, so at every
    /// instant the output path holds either the old site or the new one.
    public func commit() -> Diagnostic? {
        let fm = FileManager.default
        if fm.fileExists(atPath: outputDirectory) {
            if patella_exchange_paths(stagingDirectory, outputDirectory) != 0 {
                let reason = String(cString: strerror(errno))
                abandon()
                return .error("output-write", at: SourceLocation(file: outputDirectory), "cannot swap in the new site: \(reason)")
            }
        } else if rename(stagingDirectory, outputDirectory) != 0 {
            let reason = String(cString: strerror(errno))
            abandon()
            return .error("output-write", at: SourceLocation(file: outputDirectory), "cannot move the new site into place: \(reason)")
        }
        // After the exchange the staging path holds the previous site.
        try? fm.removeItem(atPath: stagingDirectory)
        return nil
    }

    public func abandon() {
        try? FileManager.default.removeItem(atPath: stagingDirectory)
    }
}
