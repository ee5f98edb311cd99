// swift-tools-version:6.0
// Pedigree: licence-lineage auditing for SDXL checkpoints.
//
// The targets follow the data's path: format → compute → policy → lineage → reports.
// Only the `pedigree` executable imports ArgumentParser; everything else is library code.
import PackageDescription

let package = Package(
    name: "pedigree",
    // Built and tested on Linux. macOS 15 is declared because the code is written to build
    // there (Darwin spellings beside the Glibc ones, no Linux-only call unguarded), but
    // nothing here tests it.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "pedigree", targets: ["pedigree"]),
        .library(name: "PedigreeKit", targets: [
            "PedigreeYAML", "PedigreeFormat", "PedigreeCompute", "PedigreePolicy", "PedigreeLineage", "PedigreeReports", "PedigreeSynth",
            "PedigreeAttest",
        ]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        // Property tests with shrinking (tests only).
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        // Result store (scan, hub workers): SQLite by default, PostgreSQL for a hub.
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // Vector kernels (F16C/AVX2 with scalar fallbacks): the only C code, audited in one place.
        // No unsafe flags, so that another package can depend on this one by version: SwiftPM
        // builds it at -O0 in debug and -O2 in release.
        .target(name: "CPedigreeKernels"),
        // Errors, atomic output, JSON conventions, terminal handling shared by every layer.
        .target(name: "PedigreeSupport"),
        // Hand-written YAML read with file:line:column places, typed reads, unknown-key rejection and
        // did-you-mean; shared by policies, release manifests and synth recipes so they report alike.
        .target(name: "PedigreeYAML", dependencies: ["Yams"]),
        // Layer 1: the safetensors container, dtypes, hashes, architecture detection.
        .target(name: "PedigreeFormat", dependencies: [
            "PedigreeSupport", "CPedigreeKernels", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Synthetic SDXL-shaped families with planted lineage (tests, benchmarks, demo).
        .target(name: "PedigreeSynth", dependencies: ["PedigreeFormat", "PedigreeSupport", "PedigreeYAML", "CPedigreeKernels"],
                exclude: ["README.md"]),
        // Layer 2: one-pass similarity of a candidate against many references.
        .target(name: "PedigreeCompute", dependencies: ["PedigreeFormat", "PedigreeSupport", "CPedigreeKernels"]),
        // Layer 3: YAML policies (licences, base models, obligations) and release manifests.
        .target(name: "PedigreePolicy", dependencies: [
            "PedigreeSupport", "PedigreeYAML", "Yams", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Layer 4: bands, likely lineage, inherited obligations.
        .target(name: "PedigreeLineage", dependencies: ["PedigreeCompute", "PedigreeFormat", "PedigreePolicy", "PedigreeSupport"]),
        // Layer 5: Markdown, JSON, HTML reports and model-card fragments; what travels with an
        // upload (card merge, ModelSpec stamp entries, CycloneDX ML-BOM, in-toto statement).
        // Also the text of the commands that only read: inspect, verify, policy list/show/diff/test.
        .target(name: "PedigreeReports", dependencies: [
            "PedigreeLineage", "PedigreeCompute", "PedigreePolicy", "PedigreeFormat", "PedigreeSupport", "PedigreeYAML",
            "PedigreeAuthoring", "PedigreeAttest",
            .product(name: "Crypto", package: "swift-crypto"),
        ], exclude: ["SCHEMA.md"]),
        // Signing and checking what Reports renders: Ed25519 keys, DSSE envelopes, in-toto
        // statement checks. Reports reads its verification results to print them; nothing
        // here reads Reports, so a verifier needs only this, PedigreeSupport and swift-crypto.
        .target(name: "PedigreeAttest", dependencies: ["PedigreeSupport", .product(name: "Crypto", package: "swift-crypto")]),
        // Tools for people who edit policies and manifests: scaffolds, policy tests, policy
        // diffs, manifest drafts from an audit, export of the embedded set.
        .target(name: "PedigreeAuthoring", dependencies: [
            "PedigreePolicy", "PedigreeLineage", "PedigreeCompute", "PedigreeYAML", "PedigreeSupport", "Yams",
        ]),
        // Many checkpoints: the result store (SQLite by default, PostgreSQL for a hub's workers) and the scan driver.
        .target(name: "PedigreeStore", dependencies: [
            "PedigreeLineage", "PedigreeCompute", "PedigreePolicy", "PedigreeReports", "PedigreeFormat", "PedigreeSupport",
            .product(name: "GRDB", package: "GRDB.swift"), .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // `pedigree demo`: the main job end to end on a synthetic family.
        .target(name: "PedigreeDemo", dependencies: [
            "PedigreeSynth", "PedigreeCompute", "PedigreePolicy", "PedigreeLineage", "PedigreeReports", "PedigreeFormat", "PedigreeSupport",
        ]),
        // The thin command-line front end.
        .executableTarget(name: "pedigree", dependencies: [
            "PedigreeFormat", "PedigreeCompute", "PedigreePolicy", "PedigreeLineage", "PedigreeReports", "PedigreeSynth",
            "PedigreeDemo", "PedigreeSupport", "PedigreeYAML", "PedigreeAuthoring", "PedigreeAttest", "PedigreeStore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Fixture builders shared by the test targets (never shipped).
        .target(name: "PedigreeTestSupport", dependencies: [
            "PedigreeSupport", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .testTarget(name: "PedigreeFormatTests", dependencies: [
            "PedigreeFormat", "PedigreeSupport", "CPedigreeKernels", "PedigreeTestSupport",
            .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "PedigreeSynthTests", dependencies: ["PedigreeSynth", "PedigreeFormat", "PedigreeTestSupport", "CPedigreeKernels"]),
        .testTarget(name: "PedigreeComputeTests", dependencies: [
            "PedigreeCompute", "PedigreeSynth", "PedigreeFormat", "PedigreeSupport", "PedigreeTestSupport", "CPedigreeKernels",
            .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "PedigreePolicyTests", dependencies: ["PedigreePolicy", "PedigreeYAML"]),
        // Every module a test target imports is declared: an undeclared (transitive) import is not
        // rebuilt in order when that module's layout changes, and the stale test code crashes.
        .testTarget(name: "PedigreeLineageTests", dependencies: [
            "PedigreeLineage", "PedigreePolicy", "PedigreeCompute", "PedigreeFormat", "PedigreeTestSupport", "PedigreeSynth", "PedigreeSupport",
        ]),
        .testTarget(name: "PedigreeReportsTests", dependencies: [
            "PedigreeReports", "PedigreeLineage", "PedigreeCompute", "PedigreePolicy", "PedigreeSupport", "PedigreeTestSupport",
            "PedigreeFormat", "PedigreeAttest",
            .product(name: "PropertyBased", package: "swift-property-based"),
        ], exclude: ["__Snapshots__", "AuditInputs"]),
        .testTarget(name: "PedigreeAuthoringTests", dependencies: ["PedigreeAuthoring", "PedigreePolicy", "PedigreeTestSupport"]),
        .testTarget(name: "PedigreeStoreTests", dependencies: [
            "PedigreeStore", "PedigreeLineage", "PedigreeSupport", "PedigreeTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "PedigreeCLITests", dependencies: ["PedigreeTestSupport", "PedigreeFormat"]),
        .testTarget(name: "PedigreeAttestTests", dependencies: [
            "PedigreeAttest", "PedigreeReports", "PedigreeTestSupport", .product(name: "Crypto", package: "swift-crypto"),
        ]),
    ]
)
