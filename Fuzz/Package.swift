// swift-tools-version:6.0
import PackageDescription

// The libFuzzer target, in a package of its own so that `-sanitize=fuzzer,address`
// (passed by run.sh) instruments only this build, in .build-fuzz, and never the
// main package's. It depends on the main package by path, through its stage library.
let package = Package(
    name: "PatellaFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "Patella", path: "..")],
    targets: [
        .systemLibrary(name: "CLibFuzzer"),
        .executableTarget(
            name: "PatellaFuzz",
            dependencies: ["CLibFuzzer", .product(name: "PatellaStages", package: "Patella")],
            // No Swift `main`: the entry point is the C-named function in the source.
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ]
)
