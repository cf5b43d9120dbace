import ContentModel
import Diagnostics
import Foundation

/// Lists the regular files under a root, in a stable order. Symbolic links are
/// followed only when they stay inside the root, and each real folder is visited
/// once, so a link loop cannot recurse.
struct Walker {
    struct Entry {
        var absolutePath: String
        /// `/`-separated path below the root.
        var relativePath: String
    }

    let root: String
    let displayRoot: String

    func walk(_ diagnostics: inout [Diagnostic]) -> [Entry] {
        var entries: [Entry] = []
        var visited: Set<String> = [root]
        // Explicit stack, not recursion: folder depth is the user's to choose.
        var pending: [(absolute: String, relative: String)] = [(root, "")]
        let fm = FileManager.default
        while let folder = pending.popLast() {
            guard let names = try? fm.contentsOfDirectory(atPath: folder.absolute) else {
                diagnostics.append(.error(
                    "folder-unreadable", at: SourceLocation(file: display(folder.relative)), "cannot read the folder"
                ))
                continue
            }
            var subfolders: [(String, String)] = []
            for name in names.sorted() where !name.hasPrefix(".") {
                let absolute = folder.absolute + "/" + name
                let relative = folder.relative.isEmpty ? name : folder.relative + "/" + name
                var real = absolute
                if (try? fm.destinationOfSymbolicLink(atPath: absolute)) != nil {
                    real = URL(fileURLWithPath: absolute).resolvingSymlinksInPath().path
                    guard real == root || real.hasPrefix(root + "/") else {
                        diagnostics.append(.error(
                            "link-outside", at: SourceLocation(file: display(relative)),
                            "symbolic link points outside the content folder and is not followed",
                            hint: "copy the file into the content folder instead"
                        ))
                        continue
                    }
                }
                var isDirectory: ObjCBool = false
                guard fm.fileExists(atPath: real, isDirectory: &isDirectory) else {
                    diagnostics.append(.error(
                        "link-broken", at: SourceLocation(file: display(relative)),
                        "symbolic link points to nothing (or loops)"
                    ))
                    continue
                }
                if isDirectory.boolValue {
                    guard visited.insert(real).inserted else {
                        diagnostics.append(.warning(
                            "link-loop", at: SourceLocation(file: display(relative)),
                            "folder was already visited through another link; skipped"
                        ))
                        continue
                    }
                    subfolders.append((absolute, relative))
                } else {
                    entries.append(Entry(absolutePath: real, relativePath: relative))
                }
            }
            pending.append(contentsOf: subfolders.reversed())
        }
        return entries
    }

    private func display(_ relative: String) -> String {
        relative.isEmpty ? displayRoot : displayRoot + "/" + relative
    }
}
