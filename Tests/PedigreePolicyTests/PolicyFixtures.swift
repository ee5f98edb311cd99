import Foundation
@testable import PedigreePolicy

/// A small valid policy folder in a fresh temp dir, whose files tests overwrite to break.
struct PolicyFixture {
    let folder: URL

    static let licence = """
        id: base-licence
        name: Base Licence
        url: https://example.org/l
        source: https://example.org/l
        identifiers:
          huggingface: {license: other, license_name: base-licence}
          spdx: null
          spdx_note: none exists
          source: https://example.org/l
        commercial_use: {status: allowed, summary: ok, source: https://example.org/l}
        derivatives: {rule: any, summary: any licence, source: https://example.org/l}
        obligations:
          - id: share-recipe
            summary: share the recipe
            triggers: [distribute-merge]
            met_by: {field: disclosures.recipe}
            severity: required
            source: https://example.org/l
            evidence: primary

        """

    static func model(_ id: String, parent: String? = nil, licence: String = "base-licence") -> String {
        var text = """
            id: \(id)
            name: Model \(id)
            publisher: P
            version: "1"
            source: https://example.org/m
            licence: {id: \(licence), source: https://example.org/m, evidence: primary}
            prediction: {type: eps, source: https://example.org/m, evidence: derived}

            """
        if let parent {
            text += "parents:\n  - {id: \(parent), relation: finetune, source: https://example.org/m, evidence: primary}\n"
        }
        return text
    }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("pedigree-policy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("licences"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("models"), withIntermediateDirectories: true)
        try write("licences/base.yaml", Self.licence)
        try write("models/root.yaml", Self.model("root-model"))
        try write("models/child.yaml", Self.model("child-model", parent: "root-model"))
    }

    func write(_ relative: String, _ text: String) throws {
        try text.write(to: folder.appendingPathComponent(relative), atomically: true, encoding: .utf8)
    }

    func path(_ relative: String) -> String { folder.appendingPathComponent(relative).path }

    /// Loads the folder and returns the errors (empty when it is valid).
    func errors() -> [PolicyError] {
        switch PolicyLoader.load(folder: folder.path) {
        case .success: return []
        case .failure(let problems): return problems.errors
        }
    }

    func set() throws -> PolicySet {
        try PolicyLoader.load(folder: folder.path).get()
    }
}

/// The shipped `Policies/` folder of this repository.
func shippedPoliciesFolder(filePath: String = #filePath) -> String {
    URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Policies").path
}
