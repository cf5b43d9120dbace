import ContentModel
import Foundation
@testable import SiteWriting
import Testing

/// A copy's record names its folders with their times: a later build trusts the folders
/// whose times are unchanged and lists only the others, so a folder the record lacks costs
/// that build a full sweep of it. A spare made for a cold build records its folders from
/// the paths it wrote, not by listing them; both ways must name every folder.
@Suite struct FolderRecordTests {
    static let files = ["top.txt", "a/index.html", "a/b/index.html", "c/d/e/f.json", "c/g.json"]

    /// Every folder under `root`, relative, "" for `root` itself.
    static func folders(under root: String) throws -> Set<String> {
        var found: Set<String> = [""]
        let enumerator = try #require(FileManager.default.enumerator(atPath: root))
        while let path = enumerator.nextObject() as? String {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isFolder), isFolder.boolValue { found.insert(path) }
        }
        return found
    }

    @Test func everyBuildRecordsEveryFolderOfTheCopyItPublished() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("patella-folders-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let output = root + "/Output"
        // The first two builds write into spares made empty for them; the third updates
        // the first build's copy, which its record describes.
        for build in 1...3 {
            let staged = try StagedOutput.prepare(outputDirectory: output, protecting: []).get()
            for path in Self.files { #expect(staged.write(OutputFile(path: path, text: "build \(build)\n")) == nil) }
            #expect(staged.commit() == nil)
            let record = SiteState.read(for: output, in: StagedOutput.cacheDirectory(forOutput: output), removing: false)
            #expect(record.isRecorded, "build \(build)")
            let expected = try Self.folders(under: output)
            #expect(expected == ["", "a", "a/b", "c", "c/d", "c/d/e"])
            #expect(Set(record.folders.keys) == expected, "build \(build)")
            #expect(record.foldersChanged(under: output).isEmpty, "build \(build): recorded times are the folders' own")
        }
    }
}
