import Foundation
import PedigreeTestSupport
import Testing

/// What a checkpoint says about itself, end to end: files written by sd-mecha (its own
/// `mecha_recipe`) and by Python in A1111's, ModelSpec's and kohya's conventions, audited
/// through the binary; the claims shown next to the measured lineage, the mismatches raised
/// as findings, hostile values kept harmless, and a re-upload known by its hash.
@Suite(.serialized)
struct DeclaredLineageCLITests {
    static let references = ["sdxl-base-1.0", "illustrious-xl-v0.1", "noobai-xl-eps-1.0"]

    /// A width ÷32 family: the references, the NoobAI merge and the clean Illustrious fine-tune.
    static let family = DemoFamilyFixture.make(references + ["candidate-noob-merge", "candidate-illustrious-finetune"])

    var dir: TemporaryDirectory { Self.family }

    /// Copies `source` to `output` with `metadata` as its `__metadata__` (and `extra` empty
    /// marker tensors), written by the `safetensors` package, not by Pedigree.
    func withMetadata(_ source: String, _ output: String, _ metadata: [String: String], markers: [String] = []) throws {
        // Through a file: a hostile value can be larger than a command line may be.
        let values = output + ".metadata.json"
        try JSONSerialization.data(withJSONObject: ["metadata": metadata, "markers": markers]).write(to: URL(fileURLWithPath: values))
        let result = try runPython(script: """
            import json, sys, torch
            from safetensors.torch import load_file, save_file
            tensors = load_file(sys.argv[1])
            values = json.load(open(sys.argv[3]))
            for name in values["markers"]: tensors[name] = torch.zeros(0)
            save_file(tensors, sys.argv[2], metadata=values["metadata"])
            """, arguments: [source, output, values])
        guard result.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: result.stderr]) }
    }

    func audit(_ candidate: String, _ extra: [String] = [], policies: String? = nil) throws -> (status: Int32, json: [String: Any], stdout: String, stderr: String) {
        let out = dir.file("reports-\(UUID().uuidString.prefix(8))")
        let result = runPedigree(["audit", candidate, "--report-dir", out] + (policies.map { ["--policies", $0] } ?? [])
            + Self.references.flatMap { ["--ref", "\($0)=\(dir.file("\($0).safetensors"))"] } + extra,
            environment: ["PEDIGREE_CACHE_DIR": dir.file("cache")])
        // The report is named after the release when there is one, else after the file.
        let written = (try? FileManager.default.contentsOfDirectory(atPath: out))?.first { $0.hasSuffix(".json") }
        guard let written, let data = FileManager.default.contents(atPath: "\(out)/\(written)") else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "audit wrote no JSON (exit \(result.status)): \(result.stderr)"])
        }
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return (result.status, json, result.stdout, result.stderr)
    }

    func declaredModels(_ json: [String: Any]) -> [[String: Any]] {
        ((json["declared"] as? [String: Any])?["models"] as? [[String: Any]]) ?? []
    }

    func codes(_ json: [String: Any]) -> [String] {
        ((json["findings"] as? [[String: Any]]) ?? []).compactMap { $0["code"] as? String }
    }

    func manifest(bases: [String]) throws -> String {
        let path = dir.file("release-\(bases.joined(separator: "-")).yaml")
        try DemoFamilyFixture.manifest(file: "mecha-mix.safetensors", bases: bases, licence: "noobai-xl-licence")
            .write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(.pythonOracle) func anSDMechaMergeShowsItsRecipeAndTheManifestThatOmitsNoobAIFails() throws {
        // sd-mecha writes `mecha_recipe` itself; the model lines name the files it merged.
        let spec = dir.file("mecha-spec.json")
        try #"[{"out": "mecha-mix", "method": "weighted_sum", "a": "illustrious-xl-v0.1", "b": "noobai-xl-eps-1.0", "alpha": 0.5}]"#
            .write(toFile: spec, atomically: true, encoding: .utf8)
        let made = try runPythonScript("Tests/Oracles/mecha_merges.py") { _ in [dir.path, dir.path, spec] }
        #expect(made.status == 0, "\(made.stderr.suffix(2000))")
        let mix = dir.file("mecha-mix.safetensors")

        let outcome = try audit(mix, ["--release", try manifest(bases: ["illustrious-xl-v0.1"])])
        let declared = try #require(outcome.json["declared"] as? [String: Any])
        let models = declaredModels(outcome.json)
        let noob = try #require(models.first { $0["policy_id"] as? String == "noobai-xl-eps-1.0" }, "\(models)")
        #expect(noob["status"] as? String == "confirmed")
        #expect(noob["matched_by"] as? String == "name")
        #expect((noob["declared"] as? [String: Any])?["source"] as? String == "mecha_recipe")
        #expect((noob["declared"] as? [String: Any])?["name"] as? String == "noobai-xl-eps-1.0.safetensors", "the folder is not kept")
        #expect(models.contains { $0["policy_id"] as? String == "illustrious-xl-v0.1" && $0["status"] as? String == "confirmed" })
        let steps = (declared["steps"] as? [[String: Any]]) ?? []
        #expect(steps.contains { $0["method"] as? String == "weighted_sum" }, "\(steps)")
        // The manifest leaves NoobAI out, though the file's own recipe names it.
        #expect(codes(outcome.json).contains("LN016"), "\(codes(outcome.json))")
        #expect(outcome.status == 1)
        #expect(outcome.stdout.contains("Declared by the file"))

        // Declaring it settles LN016.
        let declaredRelease = try audit(mix, ["--release", try manifest(bases: ["noobai-xl-eps-1.0"])])
        #expect(!codes(declaredRelease.json).contains("LN016"))
    }

    @Test(.pythonOracle) func anA1111RecipeNamingNoobAIOnAnIllustriousFineTuneIsContradicted() throws {
        let file = dir.file("a1111-claims-noob.safetensors")
        let illSHA = String(repeating: "1", count: 64), noobSHA = String(repeating: "2", count: 64)
        try withMetadata(dir.file("candidate-illustrious-finetune.safetensors"), file, [
            "sd_merge_recipe": #"{"type": "webui", "primary_model_hash": "\#(illSHA)", "secondary_model_hash": "\#(noobSHA)", "interp_method": "Weighted sum", "multiplier": 0.3}"#,
            "sd_merge_models": #"{"\#(illSHA)": {"name": "Illustrious-XL-v0.1", "legacy_hash": "aaaaaaaa", "sd_merge_recipe": null}, "\#(noobSHA)": {"name": "NoobAI-XL-v1.0", "legacy_hash": "bbbbbbbb", "sd_merge_recipe": null}}"#,
        ])
        let outcome = try audit(file)
        let models = declaredModels(outcome.json)
        #expect(models.contains { $0["policy_id"] as? String == "noobai-xl-eps-1.0" && $0["status"] as? String == "contradicted" }, "\(models)")
        #expect(models.contains { $0["policy_id"] as? String == "illustrious-xl-v0.1" && $0["status"] as? String == "confirmed" })
        // Hashes the policies do not know stay unresolved rather than guessed.
        #expect(models.contains { ($0["declared"] as? [String: Any])?["role"] as? String == "primary" && $0["status"] as? String == "unresolved" })
        #expect(codes(outcome.json).contains("LN015"))
        #expect(!(outcome.json["inherits_from"] as? [String] ?? []).contains("noobai-xl-eps-1.0"), "a claim never makes a lineage")
    }

    @Test(.pythonOracle) func aModelSpecThatNamesOnlyIllustriousOnANoobAIMergeIsUndeclaredAndMarkersShow() throws {
        let file = dir.file("modelspec-ill-only.safetensors")
        try withMetadata(dir.file("candidate-noob-merge.safetensors"), file, [
            "modelspec.sai_model_spec": "1.0.1", "modelspec.architecture": "stable-diffusion-xl-v1-base",
            "modelspec.title": "Totally Illustrious", "modelspec.merged_from": "illustriousXL_v01",
        ], markers: ["v_pred", "ztsnr"])
        let outcome = try audit(file)
        #expect((outcome.json["inherits_from"] as? [String] ?? []).contains("noobai-xl-eps-1.0"))
        #expect(codes(outcome.json).contains("LN017"), "\(codes(outcome.json))")
        let declared = try #require(outcome.json["declared"] as? [String: Any])
        #expect(declared["markers"] as? [String] == ["v_pred", "ztsnr"])
        #expect(declared["title"] as? String == "Totally Illustrious")
        #expect(outcome.stdout.contains("Marker tensors: v_pred, ztsnr"))
    }

    @Test(.pythonOracle) func hostileMetadataIsANoteAndReachesNoReportRaw() throws {
        let file = dir.file("hostile-metadata.safetensors")
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let longRecipe = (["version 0.1.0"] + (0 ..< 50_000).map { "model \"m\($0)\"" }).joined(separator: "\n")
        try withMetadata(dir.file("candidate-noob-merge.safetensors"), file, [
            "sd_merge_recipe": deep, "mecha_recipe": longRecipe,
            "modelspec.title": "\u{1B}[2J\u{1B}]0;pwned\u{07}<script>alert(1)</script>\u{202E}",
            "modelspec.merged_from": "<img src=x onerror=alert(1)>, [link](javascript:alert(1))",
        ])
        let outcome = try audit(file, ["--format", "text"])
        #expect([0, 1].contains(outcome.status), "\(outcome.stderr)")
        #expect(!outcome.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E })
        let notes = ((outcome.json["declared"] as? [String: Any])?["notes"] as? [String]) ?? []
        #expect(notes.contains { $0.hasPrefix("sd_merge_recipe: not valid JSON") && $0.contains("nesting deeper than 64") }, "\(notes)")
        #expect(notes.contains { $0.contains("50000 lines; the first 10000 are read") }, "\(notes)")
        let folder = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("reports-") }
        for report in folder {
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.file(report)) where name.hasPrefix("hostile-metadata") && name.hasSuffix(".html") {
                let html = try String(contentsOfFile: dir.file("\(report)/\(name)"), encoding: .utf8)
                #expect(!html.contains("<script>alert") && !html.contains("<img src=x"), "markup reached the HTML report")
            }
        }
    }

    @Test(.heavy) func aFileWhoseHashThePoliciesRecordIsThatModelWhateverWasCompared() throws {
        // A policy copy that records the synthetic NoobAI file's SHA-256, as the shipped
        // policies record the real files' hashes.
        let policies = dir.file("policies-with-hash")
        try? FileManager.default.removeItem(atPath: policies)
        try FileManager.default.copyItem(atPath: packageRoot().appendingPathComponent("Policies").path, toPath: policies)
        let noobFile = dir.file("noobai-xl-eps-1.0.safetensors")
        let sha = try #require(runProcess("/usr/bin/sha256sum", [noobFile]).stdout.split(separator: " ").first.map(String.init))
        let yamlPath = "\(policies)/models/noobai-xl-eps-1.0.yaml"
        let yaml = try String(contentsOfFile: yamlPath, encoding: .utf8)
        try yaml.replacingOccurrences(of: "  - name: NoobAI-XL-v1.0.safetensors\n", with: "  - name: NoobAI-XL-v1.0.safetensors\n    sha256: \(sha)\n")
            .write(toFile: yamlPath, atomically: true, encoding: .utf8)
        // Audited against SDXL and Illustrious only: the hash still says what it is.
        let copy = dir.file("reupload.safetensors")
        try? FileManager.default.removeItem(atPath: copy)
        try FileManager.default.copyItem(atPath: noobFile, toPath: copy)
        let out = dir.file("reports-reupload")
        let result = runPedigree(["audit", copy, "--report-dir", out, "--policies", policies,
                                  "--ref", "sdxl-base-1.0=\(dir.file("sdxl-base-1.0.safetensors"))",
                                  "--ref", "illustrious-xl-v0.1=\(dir.file("illustrious-xl-v0.1.safetensors"))"],
                                 environment: ["PEDIGREE_CACHE_DIR": dir.file("cache")])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/reupload.json"))) as? [String: Any])
        #expect((json["inherits_from"] as? [String] ?? []).contains("noobai-xl-eps-1.0"), "\(result.stderr)")
        #expect(codes(json).contains("LN018"))
        #expect(result.status == 1)

        // A policy that records only the file's AutoV2 (Civitai's short hash) knows it too.
        try yaml.replacingOccurrences(of: "  - name: NoobAI-XL-v1.0.safetensors\n", with: "  - name: NoobAI-XL-v1.0.safetensors\n    autov2: \(sha.prefix(10).uppercased())\n")
            .write(toFile: yamlPath, atomically: true, encoding: .utf8)
        let byAutoV2 = runPedigree(["audit", copy, "--report-dir", out, "--policies", policies, "--format", "json",
                                    "--ref", "sdxl-base-1.0=\(dir.file("sdxl-base-1.0.safetensors"))",
                                    "--ref", "illustrious-xl-v0.1=\(dir.file("illustrious-xl-v0.1.safetensors"))"],
                                   environment: ["PEDIGREE_CACHE_DIR": dir.file("cache")])
        let second = try #require(try JSONSerialization.jsonObject(with: Data(byAutoV2.stdout.utf8)) as? [String: Any], "\(byAutoV2.stderr)")
        #expect(codes(second).contains("LN018") && (second["inherits_from"] as? [String] ?? []).contains("noobai-xl-eps-1.0"))
    }
}
