// swift-tools-version:6.0
import PackageDescription

// One library target per pipeline stage; only SiteBuild calls them in order, so the
// target graph itself keeps data flowing one way:
// load -> front-matter -> markdown -> graph -> render -> search -> write.
let package = Package(
    name: "Patella",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "patella", targets: ["PatellaCLI"]),
        // The in-memory stages, for the libFuzzer target in Fuzz/ (a package of its own,
        // so its sanitizer flags never touch this package's builds).
        .library(name: "PatellaStages", targets: [
            "ContentModel", "Diagnostics", "ContentLoading", "FrontMatter", "Markdown", "ContentGraph",
            "ContentLinting", "Rendering", "SearchIndex",
        ]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        // libyaml, whose events the front-matter decoder composes itself (see YAMLComposer).
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .target(name: "CPlatform"),
        // Makes cmark-gfm's parser safe to run on several threads (see its source).
        .target(name: "CCmarkParallel", linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "Diagnostics"),
        .target(name: "ContentModel", dependencies: ["Diagnostics"]),
        .target(name: "ContentLoading", dependencies: ["ContentModel", "Diagnostics"]),
        .target(name: "FrontMatter", dependencies: ["CYAML", "ContentModel", "Diagnostics"]),
        .target(name: "Markdown", dependencies: ["CCmarkGFM", "CCmarkParallel", "ContentModel", "Diagnostics"]),
        .target(name: "ContentGraph", dependencies: ["ContentModel", "Diagnostics"]),
        // Mustache, rendered over typed values (see Sources/Templates/TemplateValue.swift).
        .target(name: "Templates", dependencies: ["ContentModel"]),
        .target(name: "Rendering", dependencies: ["ContentModel", "ContentGraph", "Diagnostics", "Templates"]),
        .target(name: "ContentLinting", dependencies: ["ContentModel", "ContentGraph", "Diagnostics"]),
        .target(name: "BuildReport", dependencies: ["ContentModel", "ContentGraph", "ContentLinting", "Diagnostics"]),
        .target(name: "SearchIndex", dependencies: ["ContentModel", "ContentGraph", "Diagnostics"]),
        .target(name: "SiteWriting", dependencies: ["CPlatform", "ContentModel", "Diagnostics"]),
        .target(name: "SiteBuild", dependencies: [
            "ContentModel", "ContentLoading", "FrontMatter", "Markdown", "ContentGraph", "ContentLinting",
            "Rendering", "SearchIndex", "SiteWriting", "Diagnostics",
        ]),
        .target(name: "SiteServing", dependencies: [
            "SiteBuild", "Diagnostics", "ContentModel",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Linked with mimalloc (Debian's libmimalloc-dev), whose malloc and free then take
        // glibc's place in the whole process: a build allocates millions of small Strings
        // and arrays on both cores, and glibc's allocator was a tenth of its CPU time.
        .executableTarget(name: "PatellaCLI", dependencies: [
            "SiteServing",
            "SiteBuild", "BuildReport", "Diagnostics", "ContentModel", "ContentGraph",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], linkerSettings: [.linkedLibrary("mimalloc")]),
        .target(name: "TestSupport", dependencies: ["Diagnostics"], path: "Tests/TestSupport"),
        .testTarget(name: "FrontMatterTests", dependencies: ["FrontMatter", "ContentModel", "Diagnostics", "TestSupport"]),
        .testTarget(name: "MarkdownTests", dependencies: ["Markdown", "ContentModel", "TestSupport"]),
        .testTarget(name: "ContentGraphTests", dependencies: ["SiteBuild", "ContentGraph", "ContentModel", "Diagnostics", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport"]),
        .testTarget(name: "BrowserTests", dependencies: ["TestSupport"]),
        .testTarget(name: "ContentLintingTests", dependencies: ["ContentLinting", "TestSupport"]),
        .testTarget(name: "TemplatesTests", dependencies: ["Templates"]),
        .testTarget(name: "SiteWritingTests", dependencies: ["SiteWriting", "ContentModel"]),
        .testTarget(name: "SearchIndexTests", dependencies: [
            "SearchIndex", "SiteBuild", "FrontMatter", "ContentGraph", "ContentModel", "Diagnostics", "TestSupport",
        ]),
    ]
)
