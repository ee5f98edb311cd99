import Foundation
@testable import PedigreePolicy
import Testing

/// classification.yaml's `default_references`: the references an audit compares without --ref.
@Suite struct DefaultReferenceTests {
    static func classification(_ references: String) -> String {
        """
        metric: mean_cosine
        borderline_margin: 0.005
        bands:
          - {id: too-close, label: too close, lower_bound: 0.98}
          - {id: fair, label: fair, lower_bound: 0.95}
          - {id: large-difference, label: large difference, lower_bound: 0.90}
          - {id: distant, label: distant, lower_bound: -1.0}
        default_references: \(references)

        """
    }

    @Test func idsAndAliasesResolveToModelsInOrder() throws {
        let fixture = try PolicyFixture()
        try fixture.write("models/child.yaml", PolicyFixture.model("child-model", parent: "root-model") + "aliases: [kid]\n")
        try fixture.write("classification.yaml", Self.classification("[kid, root-model]"))
        let set = try PolicyLoader.load(folder: fixture.folder.path).get()
        #expect(set.defaultReferences == ["child-model", "root-model"])
    }

    @Test func withoutTheKeyThereIsNoDefaultSet() throws {
        let fixture = try PolicyFixture()
        let set = try PolicyLoader.load(folder: fixture.folder.path).get()
        #expect(set.defaultReferences.isEmpty)
        #expect(try set.resolveDefaultReferences().isEmpty)
    }

    @Test func anUnknownIdIsALocatedErrorWithASuggestion() throws {
        let fixture = try PolicyFixture()
        try fixture.write("classification.yaml", Self.classification("[root-model, chld-model]"))
        let first = try #require(fixture.errors().first)
        #expect(first.code == "PO008")
        #expect(first.message.hasPrefix("\(fixture.path("classification.yaml")):8:34: default_references[1]"), "\(first.message)")
        #expect(first.message.contains("child-model"), "did-you-mean: \(first.message)")
    }

    @Test func repeatsAndEmptyListsAreRefused() throws {
        let fixture = try PolicyFixture()
        try fixture.write("classification.yaml", Self.classification("[root-model, root-model]"))
        #expect(fixture.errors().first?.code == "PO006")
        try fixture.write("classification.yaml", Self.classification("[]"))
        #expect(fixture.errors().first?.code == "PO006")
        try fixture.write("classification.yaml", Self.classification("root-model"))
        #expect(fixture.errors().first?.code == "PO004", "a scalar where a list belongs")
    }

    @Test func aDefaultWithoutFingerprintNamesTheFileToMake() throws {
        let fixture = try PolicyFixture()
        try fixture.write("classification.yaml", Self.classification("[root-model, child-model]"))
        try FileManager.default.createDirectory(atPath: fixture.path("fingerprints"), withIntermediateDirectories: true)
        try "x".write(toFile: fixture.path("fingerprints/root-model.safetensors"), atomically: true, encoding: .utf8)
        let set = try PolicyLoader.load(folder: fixture.folder.path).get()
        #expect(throws: ReferenceError.defaultWithoutFingerprint(id: "child-model", policyFolder: set.folder)) {
            try set.resolveDefaultReferences()
        }
        try "x".write(toFile: fixture.path("fingerprints/child-model.safetensors"), atomically: true, encoding: .utf8)
        let resolved = try set.resolveDefaultReferences()
        #expect(resolved.map(\.id) == ["root-model", "child-model"])
        #expect(resolved.map(\.path) == [fixture.path("fingerprints/root-model.safetensors"), fixture.path("fingerprints/child-model.safetensors")])
    }
}
