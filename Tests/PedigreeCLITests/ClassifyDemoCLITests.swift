import Foundation
import PedigreeTestSupport
import Testing

@Suite struct ClassifyCLITests {
    @Test func publishedHeadlineNumbersAreEnough() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write(Array("""
        {"candidate": {"path": "wai14.safetensors"},
         "references": [{"id": "illustrious-xl-v0.1", "mean_cosine": 0.9801612496376038},
                        {"id": "illustrious-xl-v2.0", "mean_cosine": 0.9601317644119263},
                        {"id": "noobai-xl-eps-1.0", "mean_cosine": 0.9934800863265991}],
         "baselines": [{"a": "illustrious-xl-v0.1", "b": "noobai-xl-eps-1.0", "mean_cosine": 0.9564101696014404}]}
        """.utf8), to: "wai14.json")
        let result = runPedigree(["classify", path, "--format", "json"])
        #expect(result.status == 1, "no manifest: the obligations are unverifiable")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect((json["inherits_from"] as? [String])?.first == "noobai-xl-eps-1.0")
        #expect((json["lineage"] as? [String: Any])?["likely_base"] as? String == "noobai-xl-eps-1.0")
        #expect(json["mode"] as? String == "published", "headline figures were read, not measured")
        let text = runPedigree(["classify", path])
        #expect(text.stdout.contains("published") && !text.stdout.contains(", exact)"), "\(text.stdout)")
    }

    @Test func impossibleCoverageIsRefused() throws {
        let dir = try TemporaryDirectory()
        for (coverage, field) in [
            (#"{"basis": "sdxl-layout", "tensors_compared": 3, "tensors_expected": 3, "parameter_fraction": 7.5, "components": []}"#, "coverage.parameter_fraction"),
            (#"{"basis": "sdxl-layout", "tensors_compared": -5, "tensors_expected": 3, "parameter_fraction": 1, "components": []}"#, "coverage: tensor counts"),
            (#"{"basis": "sdxl-layout", "tensors_compared": 3, "tensors_expected": 3, "parameter_fraction": 1, "components": [{"component": "unet", "tensors_compared": 9, "tensors_expected": 3, "parameter_fraction": 1}]}"#, "coverage.components[0]"),
        ] {
            let path = try dir.write(Array("""
            {"candidate": {"path": "x"}, "references": [{"id": "illustrious-xl-v0.1", "mean_cosine": 0.98}], "coverage": \(coverage)}
            """.utf8), to: "c-\(UUID().uuidString).json")
            let result = runPedigree(["classify", path])
            #expect(result.status == 2, "\(coverage)")
            #expect(result.stderr.contains(field) && result.stderr.contains("[CP005]"), "\(result.stderr)")
        }
    }

    @Test func malformedCompareResultNamesTheField() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write(Array(#"{"candidate": {"path": "x"}, "references": [{"id": "a", "mean_cosine": "high"}]}"#.utf8), to: "bad.json")
        let result = runPedigree(["classify", path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("references[0].mean_cosine"))
        #expect(result.stderr.contains("[CP005]"))
    }
}

@Suite struct DemoCLITests {
    /// The demo's family at its own width: minutes in debug, a second in release.
    @Test(.heavy) func demoAuditsFourCandidatesAndWritesTheirReports() throws {
        let dir = try TemporaryDirectory()
        let reports = dir.file("reports")
        let result = runPedigree(["demo", "--report-dir", reports], environment: ["PEDIGREE_CACHE_DIR": dir.file("cache")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("FAIL  candidate-noob-merge"))
        #expect(result.stdout.contains("PASS  candidate-illustrious-finetune"))
        #expect(result.stdout.contains("FAIL  candidate-far-off"))
        // Trained on data like NoobAI's: shares its dominant directions, copies none of its weights (issue 26).
        #expect(result.stdout.contains("PASS  candidate-similar-data"))
        #expect(result.stdout.contains("consistent with training on similar data; not inherited"))
        #expect(result.stdout.contains("a copy of weights"))
        #expect(result.stdout.contains("A merge carrying 60% ["), "the planted 60% merge is found")
        #expect(result.stdout.contains("of noobai-xl-eps-1.0's change from illustrious-xl-v0.1"))
        let files = try FileManager.default.contentsOfDirectory(atPath: reports)
        for candidate in ["candidate-noob-merge", "candidate-illustrious-finetune", "candidate-far-off", "candidate-similar-data"] {
            for suffix in [".md", ".json", ".html", ".model-card.yaml", ".release.yaml"] {
                #expect(files.contains(candidate + suffix), "\(candidate)\(suffix)")
            }
            // The demo's reports are published forms: no path of the auditor's disk in any of them.
            for suffix in [".md", ".json", ".html", ".model-card.yaml"] {
                let text = try String(contentsOfFile: reports + "/" + candidate + suffix, encoding: .utf8)
                #expect(!text.contains(dir.path), "\(candidate)\(suffix) carries the auditor's local path")
            }
        }
        // A second run reuses the cached family.
        let again = runPedigree(["demo", "--report-dir", reports], environment: ["PEDIGREE_CACHE_DIR": dir.file("cache")])
        #expect(again.status == 0)
        #expect(again.stdout.contains("(cached)"))
    }

    @Test func everySubcommandHasHelpWithExamples() {
        for command in [["demo"], ["audit"], ["compare"], ["classify"], ["inspect"], ["fingerprint"], ["synth"], ["policy", "lint"], ["policy", "list"], ["policy", "show"]] {
            let help = runPedigree(command + ["--help"])
            #expect(help.status == 0, "\(command)")
            #expect(help.stdout.contains("EXAMPLES"), "\(command) --help has examples")
        }
    }
}
