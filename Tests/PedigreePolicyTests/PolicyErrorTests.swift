import Foundation
import PedigreeYAML
import Testing
@testable import PedigreePolicy

/// One crafted YAML per kind of error: code, message and line:column.
@Suite struct PolicyErrorTests {
    @Test func fixtureIsValid() throws {
        let fixture = try PolicyFixture()
        #expect(fixture.errors().isEmpty)
        #expect(try fixture.set().models.count == 2)
    }

    @Test func yamlSyntaxError() throws {
        let fixture = try PolicyFixture()
        try fixture.write("models/root.yaml", "id: root-model\nname: [unclosed\n")
        let errors = fixture.errors()
        let first = try #require(errors.first)
        #expect(first.code == "PO001")
        #expect(first.message.hasPrefix(fixture.path("models/root.yaml") + ":"))
        #expect(first.message.contains("YAML syntax error"))
    }

    @Test func duplicateKey() throws {
        let fixture = try PolicyFixture()
        try fixture.write("models/root.yaml", PolicyFixture.model("root-model") + "name: again\n")
        let first = try #require(fixture.errors().first)
        #expect(first.code == "PO002")
        #expect(first.message.contains("name"))
    }

    @Test func unknownFieldSuggestsTheClosestKnownOne() throws {
        let fixture = try PolicyFixture()
        try fixture.write("models/root.yaml", PolicyFixture.model("root-model") + "publsher: typo\n")
        let first = try #require(fixture.errors().first)
        #expect(first.code == "PO003")
        #expect(first.message == "\(fixture.path("models/root.yaml")):8:1: publsher: unknown field; did you mean 'publisher'?")
    }

    @Test func wrongType() throws {
        let fixture = try PolicyFixture()
        try fixture.write("models/root.yaml", PolicyFixture.model("root-model") + "aliases: just-one\n")
        let first = try #require(fixture.errors().first)
        #expect(first.code == "PO004")
        #expect(first.message == "\(fixture.path("models/root.yaml")):8:10: aliases: expected a list, found a string")
    }

    @Test func missingField() throws {
        let fixture = try PolicyFixture()
        let text = PolicyFixture.model("root-model").replacingOccurrences(of: "publisher: P\n", with: "")
        try fixture.write("models/root.yaml", text)
        let first = try #require(fixture.errors().first)
        #expect(first.code == "PO005")
        #expect(first.message == "\(fixture.path("models/root.yaml")):1:1: publisher: required field is missing")
    }

    @Test func invalidValueWithSuggestion() throws {
        let fixture = try PolicyFixture()
        try fixture.write("licences/base.yaml", PolicyFixture.licence.replacingOccurrences(
            of: "severity: required", with: "severity: requird"))
        let first = try #require(fixture.errors().first)
        #expect(first.code == "PO006")
        #expect(first.message.contains(":17:15: obligations[0].severity: 'requird' is not one of"))
        #expect(first.message.contains("did you mean 'required'?"))
    }

    @Test func autov2MustMatchSha256() throws {
        let fixture = try PolicyFixture()
        try fixture.write("models/root.yaml", PolicyFixture.model("root-model") + """
            files:
              - name: a.safetensors
                sha256: 31e35c80fc4829d14f90153f4c74cd59c90b779f6afe05a74cd6120b893f7e5b
                autov2: 31E35C80FD
                source: https://example.org/m
                evidence: secondary

            """)
        let first = try #require(fixture.errors().first)
        #expect(first.code == "PO006")
        #expect(first.message.contains(":11:13: files[0].autov2: autov2 31E35C80FD does not match"))
    }

    @Test func duplicateIdNamesBothLocations() throws {
        let fixture = try PolicyFixture()
        try fixture.write("models/zz-copy.yaml", PolicyFixture.model("root-model"))
        let first = try #require(fixture.errors().first)
        #expect(first.code == "PO007")
        #expect(first.message == "\(fixture.path("models/zz-copy.yaml")):1:1: id: duplicate model id 'root-model' (first defined at \(fixture.path("models/root.yaml")):1:1)")
    }

    @Test func danglingParentAndLicence() throws {
        let fixture = try PolicyFixture()
        try fixture.write("models/child.yaml", PolicyFixture.model("child-model", parent: "root-modle", licence: "base-license"))
        let errors = fixture.errors()
        #expect(errors.map(\.code) == ["PO008", "PO008"])
        let child = fixture.path("models/child.yaml")
        #expect(errors.contains(.danglingReference(kind: "licence", id: "base-license", field: "licence.id",
                                                   at: PedigreeYAML.SourceLocation(file: child, line: 6, column: 15), suggestion: "base-licence")))
        #expect(errors.contains { $0.message == "\(child):9:10: parents[0].id: no model with id 'root-modle' in the policy set; did you mean 'root-model'?" })
    }

    @Test func lineageCycle() throws {
        let fixture = try PolicyFixture()
        try fixture.write("models/root.yaml", PolicyFixture.model("root-model", parent: "child-model"))
        let errors = fixture.errors()
        let first = try #require(errors.first)
        #expect(errors.count == 1)
        #expect(first.code == "PO009")
        #expect(first.message.contains("lineage cycle"))
        #expect(first.message.contains("child-model → root-model") || first.message.contains("root-model → child-model"))
        #expect(first.message.contains(":9:10: parents"))
    }

    @Test func extendsCycle() throws {
        let fixture = try PolicyFixture()
        let a = PolicyFixture.licence.replacingOccurrences(of: "id: base-licence", with: "id: a-licence")
            + "extends: b-licence\n"
        let b = PolicyFixture.licence.replacingOccurrences(of: "id: base-licence", with: "id: b-licence")
            + "extends: a-licence\n"
        try fixture.write("licences/a.yaml", a)
        try fixture.write("licences/b.yaml", b)
        let errors = fixture.errors()
        let first = try #require(errors.first)
        #expect(errors.count == 1)
        #expect(first.code == "PO010")
        #expect(first.message == "\(fixture.path("licences/b.yaml")):20:10: extends: licence extends cycle a-licence → b-licence → a-licence")
    }

    @Test func bandsOutOfOrder() throws {
        let fixture = try PolicyFixture()
        try fixture.write("classification.yaml", """
            metric: mean_cosine
            borderline_margin: 0.005
            bands:
              - {id: too-close, label: close, lower_bound: 0.95}
              - {id: fair, label: fair, lower_bound: 0.98}
              - {id: large-difference, label: large, lower_bound: 0.90}
              - {id: distant, label: far, lower_bound: -1.0}

            """)
        let first = try #require(fixture.errors().first)
        #expect(first.code == "PO011")
        #expect(first.message == "\(fixture.path("classification.yaml")):5:42: bands[1].lower_bound: lower bound 0.98 must be below the previous band's 0.95 (bands go from closest to most distant)")
    }

    /// Bands named otherwise than the classifier's four would be silently unused (the old
    /// fallback read 0.98/0.95/0.90 whatever the policy said): each is refused where it stands.
    @Test func bandIdsMustBeTheFourPedigreeReads() throws {
        let fixture = try PolicyFixture()
        try fixture.write("classification.yaml", """
            metric: mean_cosine
            borderline_margin: 0.005
            bands:
              - {id: close, label: close, lower_bound: 0.95}
              - {id: far, label: far, lower_bound: -1.0}

            """)
        let unknown = try #require(fixture.errors().first)
        #expect(unknown.code == "PO006")
        #expect(unknown.message.hasPrefix("\(fixture.path("classification.yaml")):4:10: bands[0].id: band id 'close' is not one Pedigree reads (too-close, fair, large-difference, distant)"), "\(unknown.message)")

        try fixture.write("classification.yaml", """
            metric: mean_cosine
            borderline_margin: 0.005
            bands:
              - {id: too-close, label: close, lower_bound: 0.98}
              - {id: fair, label: fair, lower_bound: 0.95}
              - {id: distant, label: far, lower_bound: -1.0}

            """)
        let missing = try #require(fixture.errors().first)
        #expect(missing.message.contains("missing: large-difference"), "\(missing.message)")

        try fixture.write("classification.yaml", """
            metric: mean_cosine
            borderline_margin: 0.005
            bands:
              - {id: too-close, label: close, lower_bound: 0.98}
              - {id: too-clse, label: close, lower_bound: 0.97}

            """)
        let typo = try #require(fixture.errors().first)
        #expect(typo.message.contains("did you mean 'too-close'?"), "\(typo.message)")
    }

    @Test func missingFolderAndUnreadableFile() throws {
        let missing = PolicyLoader.load(folder: "/nonexistent/pedigree-policies")
        #expect(throws: PolicyProblems.self) { try missing.get() }
        let fixture = try PolicyFixture()
        try FileManager.default.createDirectory(atPath: fixture.path("models/folder.yaml"), withIntermediateDirectories: true)
        #expect(fixture.errors().first?.code == "PO012")
    }

    @Test func errorsFromSeveralFilesAreAllReported() throws {
        let fixture = try PolicyFixture()
        try fixture.write("models/root.yaml", PolicyFixture.model("root-model") + "publsher: x\n")
        try fixture.write("licences/base.yaml", PolicyFixture.licence + "extra: 1\n")
        #expect(fixture.errors().map(\.code) == ["PO003", "PO003", "PO008", "PO008"], "both models now point at a licence that failed to load")
    }
}
