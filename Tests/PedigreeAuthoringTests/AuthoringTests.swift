import Foundation
import PedigreeAuthoring
import PedigreePolicy
import PedigreeTestSupport
import Testing

@Suite struct InventoryTests {
    @Test func strayYAMLFilesAreNamedWithWhereTheyBelong() throws {
        let copy = try ShippedCopy()
        let model = try String(contentsOfFile: copy.folder + "/models/kohaku-xl-beta5.yaml", encoding: .utf8)
        let licence = try String(contentsOfFile: copy.folder + "/licences/faipl-1.0-sd.yaml", encoding: .utf8)
        try copy.write("my-model.yaml", model.replacingOccurrences(of: "id: kohaku-xl-beta5", with: "id: my-model"))
        try copy.write("licences/extra.yml", licence)
        try copy.write("drafts/other.yaml", model)
        try copy.write("models/old/archived.yaml", model)
        try copy.write("tests/cases.yaml", "cases: []\n")       // expected: policy test cases
        try copy.write("examples/release2.yaml", "name: x\n")   // expected: example manifests
        try copy.write("fingerprints/notes.yaml", "x: 1\n")     // not policy files
        let warnings = PolicyInventory.unloadedFiles(in: copy.folder)
        let byFile = Dictionary(warnings.map { (($0.location.file as NSString).lastPathComponent, $0.message) }, uniquingKeysWith: { a, _ in a })
        #expect(warnings.count == 4, "\(warnings.map(\.message))")
        #expect(byFile["my-model.yaml"]?.contains("move it to models/my-model.yaml") == true)
        #expect(byFile["extra.yml"]?.contains("'.yml'") == true)
        #expect(byFile["extra.yml"]?.contains("licences/extra.yaml") == true)
        #expect(byFile["other.yaml"]?.contains("folder 'drafts/'") == true)
        #expect(byFile["archived.yaml"]?.contains("models/old/") == true)
        #expect(warnings.allSatisfy { $0.code == "PO015" })
        // A .yml file is not read: the set still has six licences.
        #expect(try copy.load().licences.count == 6)
    }

    @Test func placeholdersInValuesAreFoundNotInComments() {
        let files = PolicyFiles(origin: .folder("P"), contents: [
            "models/a.yaml": Data("# TODO in a comment is fine\nname: TODO the name\nsource: https://todo.invalid/x\nnote: \"a # TODO inside quotes\"\nok: done # TODO later\n".utf8),
        ])
        let found = PolicyInventory.placeholders(in: files)
        #expect(found.map(\.location.line) == [2, 3, 4])
        #expect(found.allSatisfy { $0.code == "PO016" })
    }
}

@Suite struct ScaffoldTests {
    @Test func modelAndLicenceScaffoldsLoadAndCarryPlaceholders() throws {
        let copy = try ShippedCopy()
        let set = try copy.load()
        let model = try PolicyScaffold.model(id: "my-merge-xl", parents: ["noobai-xl-eps-1.0", "illustrious-xl-v0.1"], licence: nil, in: set)
        let licence = try PolicyScaffold.licence(id: "my-terms", extends: "faipl-1.0-sd", in: set)
        try copy.write("models/my-merge-xl.yaml", model)
        try copy.write("licences/my-terms.yaml", licence)
        let loaded = try copy.load()
        let added = try #require(loaded.model("my-merge-xl"))
        #expect(added.licence.id == "noobai-xl-licence", "the first parent's licence")
        #expect(added.parents.map(\.id) == ["noobai-xl-eps-1.0", "illustrious-xl-v0.1"])
        #expect(loaded.licence("my-terms")?.extends == "faipl-1.0-sd")
        let placeholders = PolicyInventory.placeholders(in: PolicyFiles.read(folder: copy.folder))
        #expect(placeholders.contains { $0.location.file.hasSuffix("models/my-merge-xl.yaml") })
        #expect(placeholders.contains { $0.location.file.hasSuffix("licences/my-terms.yaml") })
        // The scaffolds also satisfy the JSON Schemas.
        let rejectedModels = try SchemaAgreementTests.validatorRejects(schema: "model.schema.json", files: [copy.folder + "/models/my-merge-xl.yaml"])
        let rejectedLicences = try SchemaAgreementTests.validatorRejects(schema: "licence.schema.json", files: [copy.folder + "/licences/my-terms.yaml"])
        #expect(rejectedModels.isEmpty && rejectedLicences.isEmpty)
    }

    @Test func scaffoldRefusesBadInput() throws {
        let set = try ShippedCopy().load()
        #expect(throws: AuthoringError.invalidId("My Model")) { try PolicyScaffold.model(id: "My Model", parents: ["sdxl-base-1.0"], licence: nil, in: set) }
        #expect(throws: AuthoringError.alreadyExists(kind: "model", id: "sdxl-base-1.0")) { try PolicyScaffold.model(id: "sdxl-base-1.0", parents: [], licence: "faipl-1.0-sd", in: set) }
        #expect(throws: AuthoringError.unknownModel("noobai-xl-eps-10", suggestion: "noobai-xl-eps-1.0")) { try PolicyScaffold.model(id: "x", parents: ["noobai-xl-eps-10"], licence: nil, in: set) }
        #expect(throws: AuthoringError.licenceNeeded(id: "root")) { try PolicyScaffold.model(id: "root", parents: [], licence: nil, in: set) }
        #expect(throws: AuthoringError.self) { try PolicyScaffold.licence(id: "x", extends: "fapl", in: set) }
    }
}

@Suite struct PolicyTestRunnerTests {
    static let policies = packageRoot().appendingPathComponent("Policies").path

    func runAll(_ folder: String) throws -> [PolicyTestRunner.Result] {
        guard case .success(let set) = PolicyLoader.load(folder: folder) else { throw CocoaError(.fileReadCorruptFile) }
        return try PolicyTestRunner.caseFiles(in: folder + "/tests").flatMap { try PolicyTestCase.read(file: $0) }.map { PolicyTestRunner.run($0, policies: set) }
    }

    @Test func shippedCasesPassIncludingTheArticlesTenRows() throws {
        let results = try runAll(Self.policies)
        #expect(results.filter { $0.file.hasSuffix("article.yaml") }.count == 10)
        for result in results { #expect(result.passed, "\(result.name): \(result.mismatches)") }
    }

    @Test func aBrokenObligationTurnsACaseRed() throws {
        let copy = try ShippedCopy()
        // NoobAI's recipe-sharing duty now met by a field no release in the cases fills in.
        try copy.edit("licences/noobai-xl-licence.yaml", "met_by: {field: disclosures.recipe}", "met_by: {field: disclosures.training_data}")
        let failed = try runAll(copy.folder).filter { !$0.passed }
        let honest = try #require(failed.first { $0.name == "a NoobAI descendant that meets NoobAI's terms passes" })
        #expect(honest.mismatches.contains { $0.hasPrefix("exit: expected 0, got 1") })
        #expect(honest.mismatches.contains { $0.contains("unexpected noobai-xl-licence/share-recipe") })
    }

    @Test func caseFileErrorsAreLocated() {
        #expect(throws: AuthoringError.self) { try PolicyTestCase.read(text: "cases:\n  - name: x\n    references: {a: 2.0}\n    expect: {}\n", file: "t.yaml") }
        do {
            _ = try PolicyTestCase.read(text: "cases:\n  - name: x\n    expect: {exit: 3}\n    references: {a: 0.9}\n", file: "t.yaml")
            Issue.record("exit 3 must be refused")
        } catch {
            #expect(error.message.hasPrefix("t.yaml:3:"), "\(error.message)")
            #expect(error.code == "AU006")
        }
    }
}

@Suite struct PolicyDiffTests {
    @Test func reportsObligationInheritanceAndBandChanges() throws {
        let before = try ShippedCopy()
        let after = try ShippedCopy()
        try after.edit("licences/noobai-xl-licence.yaml", "  - id: share-recipe\n", "  - id: share-merge-recipe\n")
        try after.edit("licences/faipl-1.0-sd.yaml", "severity: required", "severity: requested")
        try after.edit("classification.yaml", "lower_bound: 0.98", "lower_bound: 0.985")
        try after.edit("models/noobai-xl-eps-1.0.yaml", "  - id: illustrious-xl-v0.1\n", "  - id: illustrious-xl-v2.0\n")
        let diff = PolicyDiff.between(try before.load(), try after.load())
        let noob = try #require(diff.obligations.first { $0.model == "noobai-xl-eps-1.0" })
        #expect(noob.added.contains("noobai-xl-licence/share-merge-recipe"))
        #expect(noob.removed.contains("noobai-xl-licence/share-recipe"))
        #expect(noob.changed.contains { $0.hasPrefix("faipl-1.0-sd/") && $0.contains("severity: required → requested") })
        // Descendants of NoobAI eps 1.0 inherit the change too.
        #expect(diff.obligations.contains { $0.model == "noobai-xl-eps-1.1" && $0.removed.contains("noobai-xl-licence/share-recipe") })
        let inheritance = try #require(diff.inheritance.first { $0.model == "noobai-xl-eps-1.0" })
        #expect(inheritance.added.contains("illustrious-xl-v2.0"))
        #expect(diff.models.contains { $0.id == "noobai-xl-eps-1.0" && $0.details.contains("parent removed: illustrious-xl-v0.1") })
        #expect(diff.licences.contains { $0.id == "noobai-xl-licence" && $0.details.contains("obligation added: share-merge-recipe") })
        #expect(diff.classification == ["band too-close lower_bound: 0.98 → 0.985"])
        #expect(PolicyDiff.between(try before.load(), try before.load()).isEmpty)
    }
}

@Suite struct ManifestDraftTests {
    static func audit(name: String, path: String) -> Data {
        let object: [String: Any] = [
            "schema": "pedigree.audit/2", "candidate": ["path": path],
            "release": ["name": name, "version": "1", "declared_bases": ["illustrious-xl-v0.1"], "licence": "faipl-1.0-sd\nbases: [evil]", "commercial_use": false],
            "inheritance": [["id": "noobai-xl-eps-1.0", "via": ["noobai-xl-eps-1.0"]], ["id": "illustrious-xl-v0.1", "via": ["noobai-xl-eps-1.0", "illustrious-xl-v0.1"]]],
            "obligations": [["id": "share-recipe", "licence": "noobai-xl-licence", "severity": "required", "status": "unmet"]],
        ]
        return try! JSONSerialization.data(withJSONObject: object)
    }

    @Test(.pythonOracle) func hostileNamesCannotInjectYAML() throws {
        let set = try ShippedCopy().load()
        let name = "Evil \"Mix\"\nbases: [evil]\u{1B}[31m\u{2028}x"
        let draft = try ManifestDraft.draft(auditJSON: Self.audit(name: name, path: "a\nlicence: evil.safetensors"), path: "audit.json", policies: set)
        let script = """
        import sys, yaml, json
        doc = yaml.safe_load(sys.argv[1])
        print(json.dumps({"name": doc["name"], "bases": doc["bases"], "keys": sorted(doc), "licence": doc["licence"]}))
        """
        let python = try runPython(script: script, arguments: [draft.yaml])
        #expect(python.status == 0, "\(python.stderr)")
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(python.stdout.utf8)) as? [String: Any])
        #expect(parsed["name"] as? String == name, "the name round-trips exactly")
        #expect(parsed["bases"] as? [String] == ["noobai-xl-eps-1.0"], "detected bases only; nothing injected")
        #expect(parsed["licence"] is NSNull, "a licence no inherited licence allows is left to fill in")
        #expect(draft.todo.contains("licence") && draft.todo.contains("disclosures.recipe"))
        #expect(!draft.yaml.contains("\u{1B}"))
    }

    @Test func notAnAuditIsRefused() throws {
        let set = try ShippedCopy().load()
        #expect(throws: AuthoringError.self) { try ManifestDraft.draft(auditJSON: Data("[1]".utf8), path: "x.json", policies: set) }
        #expect(throws: AuthoringError.self) { try ManifestDraft.draft(auditJSON: Data(#"{"schema": "pedigree.compare/1", "candidate": {"path": "x"}, "inheritance": [], "obligations": []}"#.utf8), path: "x.json", policies: set) }
    }
}
