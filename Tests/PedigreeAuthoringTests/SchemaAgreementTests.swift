import Foundation
import PedigreePolicy
import PedigreeTestSupport
import Testing

/// The JSON Schemas in Policies/schema/ and Pedigree's own loader must agree: every shipped
/// file and every fixture below gets the same accept/reject verdict from the loader and from
/// an independent validator, `check-jsonschema` (PyPI). A field added to one and not the
/// other fails here.
@Suite struct SchemaAgreementTests {
    enum Kind: String, CaseIterable {
        case licence, model, classification, manifest
        var schema: String {
            switch self {
            case .licence: "licence.schema.json"
            case .model: "model.schema.json"
            case .classification: "classification.schema.json"
            case .manifest: "release-manifest.schema.json"
            }
        }
    }

    struct Fixture {
        let kind: Kind
        let name: String
        let text: String
        /// What the fixture is meant to show; the loader must agree (so the fixture is meaningful).
        let valid: Bool
    }

    static let policies = packageRoot().appendingPathComponent("Policies").path
    static let shippedSet: PolicySet = {
        guard case .success(let set) = PolicyLoader.load(folder: policies) else { fatalError("shipped policies must load") }
        return set
    }()

    static func shipped(_ path: String) -> String {
        (try? String(contentsOfFile: policies + "/" + path, encoding: .utf8)) ?? ""
    }

    /// Variants of shipped files, each changing one thing.
    static func fixtures() -> [Fixture] {
        let licence = shipped("licences/noobai-xl-licence.yaml")
        let model = shipped("models/noobai-xl-eps-1.0.yaml")
        let bands = shipped("classification.yaml")
        let manifest = shipped("examples/release.yaml")
        func edit(_ text: String, _ old: String, _ new: String) -> String {
            precondition(text.contains(old), "fixture base lacks: \(old)")
            return text.replacingOccurrences(of: old, with: new)
        }
        let file = "  - name: NoobAI-XL-v1.0.safetensors\n"
        return [
            // Licences.
            Fixture(kind: .licence, name: "licence-unknown-field", text: licence + "licnece: x\n", valid: false),
            Fixture(kind: .licence, name: "licence-missing-obligations", text: edit(licence, "obligations:\n", "obligationz:\n"), valid: false),
            Fixture(kind: .licence, name: "licence-bad-url", text: edit(licence, "url: https://huggingface.co/Laxhar/noobai-XL-1.0", "url: huggingface.co/Laxhar"), valid: false),
            Fixture(kind: .licence, name: "licence-url-with-space", text: edit(licence, "url: https://huggingface.co/Laxhar/noobai-XL-1.0", "url: https://huggingface.co/Laxhar noobai"), valid: false),
            Fixture(kind: .licence, name: "licence-bad-id", text: edit(licence, "id: noobai-xl-licence", "id: NoobAI Licence"), valid: false),
            Fixture(kind: .licence, name: "licence-no-triggers", text: edit(licence, "triggers: [distribute-derivative, distribute-merge]\n    met_by: {field: weights_published}", "triggers: []\n    met_by: {field: weights_published}"), valid: false),
            Fixture(kind: .licence, name: "licence-unknown-trigger", text: edit(licence, "triggers: [use, host]", "triggers: [use, hosting]"), valid: false),
            Fixture(kind: .licence, name: "licence-met-by-mismatch", text: edit(licence, "met_by: {field: weights_published}", "met_by: {field: weights_published, when: disclosed}"), valid: false),
            Fixture(kind: .licence, name: "licence-met-by-unknown-field", text: edit(licence, "met_by: {field: weights_published}", "met_by: {field: weights}"), valid: false),
            Fixture(kind: .licence, name: "licence-when-bare-boolean", text: edit(licence, "when: \"false\"", "when: false"), valid: true),
            Fixture(kind: .licence, name: "licence-spdx-null-no-note", text: edit(licence, "  spdx_note: Publisher-specific add-on terms; no SPDX or ScanCode entry exists.\n", ""), valid: false),
            Fixture(kind: .licence, name: "licence-spdx-missing", text: edit(licence, "  spdx: null\n", ""), valid: false),
            Fixture(kind: .licence, name: "licence-bad-scancode", text: edit(licence, "scancode: null", "scancode: noobai"), valid: false),
            Fixture(kind: .licence, name: "licence-bad-severity", text: edit(licence, "severity: required\n    quote: \"We", "severity: must\n    quote: \"We"), valid: false),
            Fixture(kind: .licence, name: "licence-uncertainty-no-sources", text: edit(licence, "sources: [https://civitai.com/articles/18619/what-the-license]", "sources: []"), valid: false),
            Fixture(kind: .licence, name: "licence-extends-null", text: edit(licence, "extends: faipl-1.0-sd", "extends: null"), valid: true),
            Fixture(kind: .licence, name: "licence-empty-name", text: edit(licence, "name: NoobAI-XL Model License (FAIPL-1.0-SD plus add-on terms)", "name: \"  \""), valid: false),
            Fixture(kind: .licence, name: "licence-empty-document", text: "# nothing here\n", valid: false),
            Fixture(kind: .licence, name: "licence-list-root", text: "- id: x\n", valid: false),
            Fixture(kind: .licence, name: "licence-duplicate-key", text: licence + "id: again\n", valid: false),
            // Models.
            Fixture(kind: .model, name: "model-missing-prediction", text: edit(model, "prediction:\n  type: eps", "predicton:\n  type: eps"), valid: false),
            Fixture(kind: .model, name: "model-bad-relation", text: edit(model, "relation: finetune", "relation: fine-tune"), valid: false),
            Fixture(kind: .model, name: "model-aliases-not-a-list", text: edit(model, "aliases: [NoobAI-XL-v1.0, NoobAI-XL-100_percent_EPS, noobaiXLNAIXL_epsilonPred10Version, NAI eps 1.0]", "aliases: NoobAI-XL-v1.0"), valid: false),
            Fixture(kind: .model, name: "model-numeric-version", text: edit(model, "version: \"1.0\"", "version: 1.0"), valid: true),
            Fixture(kind: .model, name: "model-null-optional", text: edit(model, "huggingface_repo: Laxhar/noobai-XL-1.0", "huggingface_repo: null"), valid: true),
            Fixture(kind: .model, name: "model-sha-upper", text: edit(model, file, file + "    sha256: \(String(repeating: "AB", count: 32))\n"), valid: false),
            Fixture(kind: .model, name: "model-sha-ok", text: edit(model, file, file + "    sha256: \(String(repeating: "ab", count: 32))\n    bytes: 6938041042\n"), valid: true),
            Fixture(kind: .model, name: "model-autov2-lower", text: edit(model, file, file + "    autov2: abcdef0123\n"), valid: false),
            Fixture(kind: .model, name: "model-bytes-zero", text: edit(model, file, file + "    bytes: 0\n"), valid: false),
            Fixture(kind: .model, name: "model-bytes-text", text: edit(model, file, file + "    bytes: \"12\"\n"), valid: false),
            Fixture(kind: .model, name: "model-fingerprint-absolute", text: model + "fingerprint: /etc/passwd\n", valid: false),
            Fixture(kind: .model, name: "model-fingerprint-dotdot", text: model + "fingerprint: fingerprints/../../x.safetensors\n", valid: false),
            Fixture(kind: .model, name: "model-fingerprint-ok", text: model + "fingerprint: fingerprints/noob..v1.safetensors\n", valid: true),
            Fixture(kind: .model, name: "model-bad-evidence", text: edit(model, "  evidence: primary\nparents:", "  evidence: primery\nparents:"), valid: false),
            // Classification.
            Fixture(kind: .classification, name: "bands-margin-too-wide", text: edit(bands, "borderline_margin: 0.005", "borderline_margin: 0.5"), valid: false),
            Fixture(kind: .classification, name: "bands-margin-negative", text: edit(bands, "borderline_margin: 0.005", "borderline_margin: -0.1"), valid: false),
            Fixture(kind: .classification, name: "bands-bound-out-of-range", text: edit(bands, "lower_bound: 0.98", "lower_bound: 1.5"), valid: false),
            Fixture(kind: .classification, name: "bands-bound-quoted", text: edit(bands, "lower_bound: 0.98", "lower_bound: \"0.98\""), valid: false),
            Fixture(kind: .classification, name: "bands-bad-metric", text: edit(bands, "metric: mean_cosine", "metric: cosine"), valid: false),
            Fixture(kind: .classification, name: "bands-unknown-section", text: bands + "colours: {too-close: red}\n", valid: false),
            Fixture(kind: .classification, name: "bands-integer-bound", text: edit(bands, "lower_bound: -1.0", "lower_bound: -1"), valid: true),
            Fixture(kind: .classification, name: "bands-one-band", text: "metric: mean_cosine\nborderline_margin: 0.005\nbands:\n  - {id: all, label: all, lower_bound: -1}\n", valid: false),
            // Release manifests.
            Fixture(kind: .manifest, name: "manifest-string-boolean", text: edit(manifest, "commercial_use: false", "commercial_use: \"no\""), valid: false),
            Fixture(kind: .manifest, name: "manifest-no-bases", text: edit(manifest, "bases: [noobai-xl-eps-1.0, illustrious-xl-v0.1]", "bases: []"), valid: false),
            Fixture(kind: .manifest, name: "manifest-unknown-disclosure", text: edit(manifest, "  loras: []", "  lora: []"), valid: false),
            Fixture(kind: .manifest, name: "manifest-missing-licence", text: edit(manifest, "licence: noobai-xl-licence\n", ""), valid: false),
            Fixture(kind: .manifest, name: "manifest-licence-by-id", text: edit(manifest, "licence: noobai-xl-licence", "licence: {id: noobai-xl-licence}"), valid: true),
            Fixture(kind: .manifest, name: "manifest-licence-hf-missing-license", text: edit(manifest, "licence: noobai-xl-licence", "licence: {huggingface: {license_name: fair-ai-public-license-1.0-sd}}"), valid: false),
            Fixture(kind: .manifest, name: "manifest-licence-empty-object", text: edit(manifest, "licence: noobai-xl-licence", "licence: {}"), valid: false),
            Fixture(kind: .manifest, name: "manifest-null-version", text: edit(manifest, "version: \"1.0\"", "version: null"), valid: false),
            Fixture(kind: .manifest, name: "manifest-optional-flags-null", text: edit(manifest, "changes_stated: true", "changes_stated: null"), valid: true),
            Fixture(kind: .manifest, name: "manifest-disclosure-null", text: edit(manifest, "  prompts: docs/prompts.md", "  prompts: null"), valid: true),
            Fixture(kind: .manifest, name: "manifest-loras-string", text: edit(manifest, "  loras: []", "  loras: one.safetensors"), valid: false),
        ]
    }

    /// The loader's verdict on one file of a kind.
    static func loaderAccepts(_ kind: Kind, path: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path) else { return false }
        switch kind {
        case .licence: return PolicyFileKind.licence.check(data, file: path) == nil
        case .model: return PolicyFileKind.model.check(data, file: path) == nil
        case .classification: return PolicyFileKind.classification.check(data, file: path) == nil
        case .manifest: return (try? ManifestLoader.parse(String(decoding: data, as: UTF8.self), file: path, policies: shippedSet)) != nil
        }
    }

    /// check-jsonschema's verdict on each file: the set it rejects (schema or parse errors).
    static func validatorRejects(schema: String, files: [String]) throws -> Set<String> {
        let script = "import sys, runpy; sys.argv = ['check-jsonschema'] + sys.argv[1:]; runpy.run_module('check_jsonschema', run_name='__main__')"
        let result = try runPython(script: script, arguments: ["-o", "json", "--schemafile", policies + "/schema/" + schema] + files)
        guard let json = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else {
            Issue.record("check-jsonschema gave no JSON (status \(result.status)): \(result.stderr)")
            return []
        }
        let entries = (json["errors"] as? [[String: Any]] ?? []) + (json["parse_errors"] as? [[String: Any]] ?? [])
        return Set(entries.compactMap { $0["filename"] as? String })
    }

    @Test(.pythonOracle) func loaderAndSchemaAgreeOnShippedFilesAndFixtures() throws {
        let dir = try TemporaryDirectory()
        var files: [Kind: [(path: String, expected: Bool)]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.policies + "/licences").sorted() {
            files[.licence, default: []].append((Self.policies + "/licences/" + name, true))
        }
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.policies + "/models").sorted() {
            files[.model, default: []].append((Self.policies + "/models/" + name, true))
        }
        files[.classification, default: []].append((Self.policies + "/classification.yaml", true))
        files[.manifest, default: []].append((Self.policies + "/examples/release.yaml", true))
        for fixture in Self.fixtures() {
            let path = try dir.write(Array(fixture.text.utf8), to: fixture.name + ".yaml")
            files[fixture.kind, default: []].append((path, fixture.valid))
        }
        #expect(files.values.map(\.count).reduce(0, +) > 70)
        for kind in Kind.allCases {
            let entries = files[kind] ?? []
            let rejected = try Self.validatorRejects(schema: kind.schema, files: entries.map(\.path))
            for entry in entries {
                let loader = Self.loaderAccepts(kind, path: entry.path)
                let schema = !rejected.contains(entry.path)
                let name = (entry.path as NSString).lastPathComponent
                #expect(loader == schema, "\(kind) \(name): loader \(loader ? "accepts" : "rejects"), schema \(schema ? "accepts" : "rejects")")
                #expect(loader == entry.expected, "\(kind) \(name): the fixture is meant to be \(entry.expected ? "valid" : "invalid")")
            }
        }
    }

    @Test func everyShippedYAMLNamesAnExistingSchema() {
        var checked = 0
        for file in EmbeddedPolicyFiles.all where file.path.hasSuffix(".yaml") {
            let first = file.text.split(separator: "\n").first.map(String.init) ?? ""
            let prefix = "# yaml-language-server: $schema="
            #expect(first.hasPrefix(prefix), "\(file.path)")
            let schemaPath = String(first.dropFirst(prefix.count))
            let resolved = URL(fileURLWithPath: Self.policies + "/" + file.path).deletingLastPathComponent()
                .appendingPathComponent(schemaPath).standardizedFileURL.path
            #expect(FileManager.default.fileExists(atPath: resolved), "\(file.path) names \(schemaPath), which does not exist")
            checked += 1
        }
        #expect(checked >= 20)
    }
}
