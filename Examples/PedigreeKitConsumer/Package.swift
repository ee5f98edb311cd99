// swift-tools-version:6.0
// A package outside Pedigree that depends on PedigreeKit, the way another project would:
// proof that Pedigree's manifest can be depended on (no unsafe flags, declared
// dependencies that match the imports). Scripts/check-consumer.sh builds it.
import PackageDescription

let package = Package(
    name: "PedigreeKitConsumer",
    platforms: [.macOS(.v15)],
    dependencies: [
        // By path here; another project would name Pedigree's repository and a version.
        .package(name: "pedigree", path: "../.."),
    ],
    targets: [
        .executableTarget(name: "PedigreeKitConsumer", dependencies: [
            .product(name: "PedigreeKit", package: "pedigree"),
        ]),
    ]
)
