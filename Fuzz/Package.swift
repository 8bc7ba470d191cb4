// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for hanpipe, kept out of the main package so that `swift build` and `swift test`
// never need the fuzzer runtime. Build and run them with `Scripts/fuzz TARGET SECONDS`, which passes
// `-sanitize=fuzzer,address`; each target's `main` hands over to libFuzzer's driver.
let package = Package(
    name: "hanpipe-fuzz",
    dependencies: [.package(name: "hanpipe", path: "..")],
    targets: [
        // The laws every output must obey (Laws.swift links to the property tests' Tests/HanPipeTests/Laws/Laws.swift)
        // and the libFuzzer driver, shared by the fuzz targets.
        .target(name: "FuzzLaws", dependencies: ["CFuzzDriver", .product(name: "HanPipe", package: "hanpipe")]),
        // libFuzzer's LLVMFuzzerRunDriver, declared for Swift.
        .target(name: "CFuzzDriver"),
        // bytes → decode → full pipeline → JSON.
        .executableTarget(name: "FuzzPipeline", dependencies: ["FuzzLaws", .product(name: "HanPipe", package: "hanpipe")]),
        // one JSON Lines record through `annotate --jsonl` (Job.processLine).
        .executableTarget(name: "FuzzJSONL", dependencies: ["FuzzLaws", .product(name: "HanPipe", package: "hanpipe")]),
        // the gloss remover alone.
        .executableTarget(name: "FuzzDegloss", dependencies: ["FuzzLaws", .product(name: "HanPipe", package: "hanpipe")]),
    ],
    swiftLanguageModes: [.v6]
)
