// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "hanpipe",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "hanpipe", targets: ["HanPipeCLI"]),
        .library(name: "HanPipe", targets: ["HanPipe"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
        // `swift package generate-documentation --target HanPipe` (the DocC catalog in Sources/HanPipe).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // C shim over the system ICU (libicu-dev). Its public header uses only <stdint.h> types, so
        // ICU's own headers never meet the ICU copy that Foundation carries (see CICU.h).
        .target(
            name: "CICU",
            linkerSettings: [.linkedLibrary("icui18n"), .linkedLibrary("icuuc"), .linkedLibrary("icudata")]
        ),
        // Generated data files (readings, NER model, gazetteers, conversion rules) embedded into the binary
        // with C23 #embed, so that `hanpipe` is one self-contained executable that can be copied anywhere
        // (and a changed data file is rebuilt: #embed inputs are in clang's dependency file).
        .target(name: "CHanPipeData"),
        .target(name: "HanPipe", dependencies: ["CICU", "CHanPipeData"]),
        // The command line (the `hanpipe` executable): a thin frontend over the library.
        .executableTarget(
            name: "HanPipeCLI",
            dependencies: ["HanPipe", "HanPipeConfig", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // hanpipe.toml discovery and parsing, kept out of the library so that HanPipe stays free of TOMLKit.
        .target(name: "HanPipeConfig", dependencies: [.product(name: "TOMLKit", package: "TOMLKit")]),
        .testTarget(name: "HanPipeTests", dependencies: ["HanPipe"]),
        .testTarget(name: "HanPipeConfigTests", dependencies: ["HanPipeConfig"]),
        .testTarget(name: "HanPipeCLITests", dependencies: ["HanPipe", "HanPipeCLI"]),
    ],
    swiftLanguageModes: [.v6]
)
