// swift-tools-version:6.0
// libFuzzer harnesses for every parser of hostile input. A separate package so that the
// root package's `swift build` and `swift test` never need the fuzzer runtime; build and
// run them with Scripts/fuzz.sh, which passes `-sanitize=fuzzer,address -parse-as-library`.
import PackageDescription

let targets = [
    "FuzzSafetensorsHeader", "FuzzStrictJSON", "FuzzFingerprintMetadata", "FuzzPolicyYAML", "FuzzManifestYAML",
    "FuzzRecipeYAML", "FuzzCompareResult", "FuzzCheckpointFile",
]

let package = Package(
    name: "pedigree-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "pedigree", path: "..")],
    targets: targets.map { name in
        .executableTarget(name: name, dependencies: [.product(name: "PedigreeKit", package: "pedigree")], path: "Sources/\(name)")
    }
)
