import Foundation
import PedigreeFormat
import PedigreeTestSupport
import Testing

/// `pedigree audit` end to end through the built binary, on a generated family.
@Suite(.serialized)
struct AuditCLITests {
    static let references = ["sdxl-base-1.0", "illustrious-xl-v0.1", "illustrious-xl-v2.0", "noobai-xl-eps-1.0"]
    static let candidates = ["candidate-noob-merge", "candidate-illustrious-finetune", "candidate-far-off"]

    /// A width ÷32 demo family (the shared fixture), copied once for this suite.
    static let family = DemoFamilyFixture.make(references + candidates)

    func refArgs(fingerprints: String? = nil) -> [String] {
        Self.references.flatMap { id in ["--ref", "\(id)=\(fingerprints.map { "\($0)/\(id).safetensors" } ?? Self.family.file("\(id).safetensors"))"] }
    }

    func audit(_ candidate: String, _ extra: [String]) -> (status: Int32, stdout: String, stderr: String) {
        runPedigree(["audit", Self.family.file("\(candidate).safetensors")] + refArgs() + extra,
                    environment: ["PEDIGREE_CACHE_DIR": Self.family.file("cache")])
    }

    /// Writes a manifest beside the family, with the files its local disclosures name.
    func writeManifest(_ text: String) throws -> String {
        for disclosed in ["recipe.md", "prompts.md", "workflow.json"] where !FileManager.default.fileExists(atPath: Self.family.file(disclosed)) {
            try "disclosed\n".write(toFile: Self.family.file(disclosed), atomically: true, encoding: .utf8)
        }
        let path = Self.family.file("manifest-\(UUID().uuidString).yaml")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let honestNoobManifest = """
    name: Honest Noob Merge
    version: "1.0"
    file: candidate-noob-merge.safetensors
    bases: [noobai-xl-eps-1.0]
    licence: noobai-xl-licence
    commercial_use: false
    weights_published: true
    licence_copy_included: true
    use_restrictions_passed_on: true
    changes_stated: true
    notices_retained: true
    disclosures:
      recipe: recipe.md
      prompts: prompts.md
      workflows: workflow.json
    """

    @Test(.heavy) func noobMergeWithoutManifestFailsAndNamesNoobAI() throws {
        let reports = Self.family.file("reports-json")
        let result = audit("candidate-noob-merge", ["--format", "json", "--report-dir", reports])
        #expect(result.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let inherits = try #require(json["inherits_from"] as? [String])
        #expect(inherits.contains("noobai-xl-eps-1.0"))
        #expect(inherits.contains("illustrious-xl-v0.1"))
        let obligations = try #require(json["obligations"] as? [[String: Any]])
        let recipe = obligations.first { $0["id"] as? String == "share-recipe" && $0["licence"] as? String == "noobai-xl-licence" }
        #expect(recipe?["status"] as? String == "unverifiable")
        // The report files landed, atomically: four files, no temporary leftovers.
        let files = try FileManager.default.contentsOfDirectory(atPath: reports).sorted()
        #expect(files.count == 4)
        #expect(files.allSatisfy { !$0.hasPrefix(".") })
        #expect(files.contains { $0.hasSuffix(".html") })
    }

    @Test func honestReleaseOfTheSameMergePasses() throws {
        let manifest = try writeManifest(Self.honestNoobManifest)
        let result = audit("candidate-noob-merge", ["--release", manifest, "--no-reports"])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("PASS"))
    }

    @Test func noobMergeSoldAsIllustriousFailsWithFindings() throws {
        let manifest = try writeManifest(Self.honestNoobManifest
            .replacingOccurrences(of: "bases: [noobai-xl-eps-1.0]", with: "bases: [illustrious-xl-v0.1]")
            .replacingOccurrences(of: "commercial_use: false", with: "commercial_use: true")
            .replacingOccurrences(of: "  recipe: recipe.md\n", with: ""))
        let result = audit("candidate-noob-merge", ["--release", manifest, "--no-reports", "--format", "json"])
        #expect(result.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let codes = (json["findings"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
        #expect(codes.contains("LN001"), "undeclared base")
        #expect(codes.contains("LN003"), "commercial use forbidden")
        let unmet = (json["obligations"] as? [[String: Any]] ?? []).filter { $0["status"] as? String == "unmet" }.compactMap { $0["id"] as? String }
        #expect(unmet.contains("share-recipe"))
        #expect(unmet.contains("no-commercial-use"))
    }

    @Test(.heavy) func farOffModelIsLineageUnknownNotClean() throws {
        let result = audit("candidate-far-off", ["--no-reports", "--format", "json"])
        #expect(result.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect((json["lineage"] as? [String: Any])?["status"] as? String == "unknown")
        #expect((json["inherits_from"] as? [String])?.isEmpty == true)
    }

    @Test(.heavy) func fingerprintsGiveTheSameVerdictAsFullReferences() throws {
        let prints = Self.family.file("prints")
        for id in Self.references {
            let made = runPedigree(["fingerprint", Self.family.file("\(id).safetensors"), "--id", id, "-o", "\(prints)/\(id).safetensors"],
                                   environment: ["PEDIGREE_CACHE_DIR": Self.family.file("cache")])
            #expect(made.status == 0, "\(made.stderr)")
        }
        for candidate in Self.candidates {
            let exact = audit(candidate, ["--no-reports", "--format", "json"])
            let sampled = runPedigree(["audit", Self.family.file("\(candidate).safetensors"), "--no-reports", "--format", "json"] + refArgs(fingerprints: prints),
                                      environment: ["PEDIGREE_CACHE_DIR": Self.family.file("cache")])
            #expect(exact.status == sampled.status)
            let a = try JSONSerialization.jsonObject(with: Data(exact.stdout.utf8)) as? [String: Any]
            let b = try JSONSerialization.jsonObject(with: Data(sampled.stdout.utf8)) as? [String: Any]
            #expect(a?["inherits_from"] as? [String] == b?["inherits_from"] as? [String], "\(candidate)")
            #expect(b?["mode"] as? String == "sampled")
        }
    }

    /// No --ref: the policies' default reference set, read from its fingerprints in the policy
    /// folder, gives the verdict that the same references given by hand give; a default
    /// without a fingerprint stops before any weights are read and names the file to make.
    @Test(.heavy) func withoutRefTheDefaultSetIsComparedThroughItsFingerprints() throws {
        let policies = Self.family.file("default-set-policies")
        try? FileManager.default.removeItem(atPath: policies)
        try FileManager.default.copyItem(atPath: packageRoot().appendingPathComponent("Policies").path, toPath: policies)
        let environment = ["PEDIGREE_CACHE_DIR": Self.family.file("cache")]
        let candidate = Self.family.file("candidate-noob-merge.safetensors")

        let missing = runPedigree(["audit", candidate, "--policies", policies, "--no-reports"], environment: environment)
        #expect(missing.status == 2)
        #expect(missing.stdout.isEmpty)
        #expect(missing.stderr.contains("default reference 'sdxl-base-1.0'") && missing.stderr.contains("[RF004]"), "\(missing.stderr)")
        #expect(missing.stderr.contains("pedigree fingerprint CHECKPOINT --id sdxl-base-1.0"), "\(missing.stderr)")

        let defaults = ["sdxl-base-1.0", "illustrious-xl-v0.1", "noobai-xl-eps-1.0"]
        for id in defaults {
            let made = runPedigree(["fingerprint", Self.family.file("\(id).safetensors"), "--id", id, "-o", "\(policies)/fingerprints/\(id).safetensors"],
                                   environment: environment)
            #expect(made.status == 0, "\(made.stderr)")
        }
        let byDefault = runPedigree(["audit", candidate, "--policies", policies, "--no-reports", "--format", "json"], environment: environment)
        let byHand = runPedigree(["audit", candidate, "--policies", policies, "--no-reports", "--format", "json"]
                                 + defaults.flatMap { ["--ref", $0] }, environment: environment)
        #expect(byDefault.status == 1, "NoobAI's obligations are unmet without a manifest: \(byDefault.stderr)")
        #expect(byDefault.status == byHand.status)
        let a = try #require(try JSONSerialization.jsonObject(with: Data(byDefault.stdout.utf8)) as? [String: Any])
        let b = try #require(try JSONSerialization.jsonObject(with: Data(byHand.stdout.utf8)) as? [String: Any])
        let inherited = a["inherits_from"] as? [String] ?? []
        #expect(Set(defaults).isSubset(of: inherited), "the merge inherits NoobAI and its ancestors: \(inherited)")
        #expect(a["inherits_from"] as? [String] == b["inherits_from"] as? [String])
        #expect((a["references"] as? [[String: Any]])?.compactMap { $0["id"] as? String }.sorted() == defaults.sorted())
    }

    @Test func badManifestExits2WithItsPlace() throws {
        let manifest = try writeManifest(Self.honestNoobManifest.replacingOccurrences(of: "commercial_use: false", with: "comercial_use: false"))
        let result = audit("candidate-noob-merge", ["--release", manifest, "--no-reports"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(result.stderr.contains("\(manifest):6:1"))
        #expect(result.stderr.contains("did you mean 'commercial_use'"))
    }

    @Test func aManifestForAnotherFileIsRejectedBeforeAnyWeightsAreRead() throws {
        let manifest = try writeManifest(Self.honestNoobManifest.replacingOccurrences(of: "file: candidate-noob-merge.safetensors", with: "file: sakura-v2.safetensors"))
        let result = audit("candidate-noob-merge", ["--release", manifest, "--no-reports"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("\(manifest):3:7: file:"), "\(result.stderr)")
        #expect(result.stderr.contains("'sakura-v2.safetensors'") && result.stderr.contains("'candidate-noob-merge.safetensors'"))
        #expect(result.stderr.contains("[MF011]"))
    }

    @Test func aManifestPinningAnotherDigestIsRejected() throws {
        let manifest = try writeManifest(Self.honestNoobManifest + "\nsha256: " + String(repeating: "ab", count: 32) + "\n")
        let result = audit("candidate-noob-merge", ["--release", manifest, "--no-reports"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("[MF012]"), "\(result.stderr)")
    }

    @Test(.heavy) func aPlaceholderRecipeIsNotADisclosure() throws {
        for placeholder in ["TODO", "TBD", "N/A", "recipe-not-written-yet.md", "htp:/broken"] {
            let manifest = try writeManifest(Self.honestNoobManifest.replacingOccurrences(of: "recipe: recipe.md", with: "recipe: \(placeholder)"))
            let result = audit("candidate-noob-merge", ["--release", manifest, "--no-reports", "--format", "json"])
            #expect(result.status == 1, "recipe: \(placeholder)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let recipe = (json["obligations"] as? [[String: Any]] ?? []).first { $0["id"] as? String == "share-recipe" }
            #expect(recipe?["status"] as? String == "unmet", "recipe: \(placeholder)")
        }
    }

    @Test func aNoobAIMergeAuditedAgainstIllustriousAloneDoesNotPass() throws {
        let manifest = try writeManifest(Self.honestNoobManifest
            .replacingOccurrences(of: "bases: [noobai-xl-eps-1.0]", with: "bases: [illustrious-xl-v0.1]")
            .replacingOccurrences(of: "licence: noobai-xl-licence", with: "licence: illustrious-xl-v0.1-terms"))
        for references in [["illustrious-xl-v0.1"], ["sdxl-base-1.0", "illustrious-xl-v0.1"]] {
            let refs = references.flatMap { ["--ref", "\($0)=\(Self.family.file("\($0).safetensors"))"] }
            let result = runPedigree(["audit", Self.family.file("candidate-noob-merge.safetensors"), "--release", manifest, "--no-reports", "--format", "json"] + refs,
                                     environment: ["PEDIGREE_CACHE_DIR": Self.family.file("cache")])
            #expect(result.status == 1, "\(references)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let findings = json["findings"] as? [[String: Any]] ?? []
            let noobNotCompared = findings.first { ($0["code"] as? String) == "LN010" && (($0["message"] as? String)?.contains("noobai-xl-eps-1.0") ?? false) }
            #expect(noobNotCompared != nil, "\(references): \(findings)")
        }
    }

    @Test func aThreeTensorFileIsNotAVerdictOnAModel() throws {
        // Three SDXL tensors at the family's width, nothing else.
        let names = ["model.diffusion_model.middle_block.1.proj_in.weight", "model.diffusion_model.out.2.bias",
                     "conditioner.embedders.0.transformer.text_model.final_layer_norm.weight"]
        let entries = names.map { SafetensorsWriter.Entry(name: $0, dtype: .f32, shape: SDXLLayout.scaledShape(SDXLLayout.shapeByName[$0]!, widthDivisor: 32)) }
        let path = Self.family.file("three-tensors.safetensors")
        let writer = try SafetensorsWriter(path: path, entries: entries)
        for entry in entries {
            let values = [Float](repeating: 0.01, count: entry.shape.reduce(1, *))
            try values.withUnsafeBytes { try writer.write(name: entry.name, bytes: $0) }
        }
        try writer.finish()
        let result = runPedigree(["audit", path, "--no-reports"] + refArgs(), environment: ["PEDIGREE_CACHE_DIR": Self.family.file("cache")])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("Compared 3 of "), "\(result.stdout)")
        #expect(result.stdout.contains("LN012"))
        let json = runPedigree(["audit", path, "--no-reports", "--format", "json"] + refArgs(), environment: ["PEDIGREE_CACHE_DIR": Self.family.file("cache")])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let coverage = try #require(report["coverage"] as? [String: Any])
        #expect(coverage["tensors_compared"] as? Int == 3)
        #expect(coverage["basis"] as? String == "sdxl-layout")
    }

    @Test func anUnwritableReportFolderIsFoundBeforeAnyWeightsAreRead() throws {
        // A folder that cannot exist: its parent is a file.
        let blocker = Self.family.file("not-a-folder")
        try "x".write(toFile: blocker, atomically: true, encoding: .utf8)
        let started = Date()
        let result = audit("candidate-noob-merge", ["--report-dir", blocker + "/reports"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("[IO003]"), "\(result.stderr)")
        #expect(!result.stderr.contains("comparing"))
        #expect(Date().timeIntervalSince(started) < 30)
    }

    @Test(.heavy) func publishedReportsNameFilesNotLocalPaths() throws {
        let reports = Self.family.file("reports-published")
        let manifest = try writeManifest(Self.honestNoobManifest)
        _ = audit("candidate-noob-merge", ["--report-dir", reports, "--release", manifest])
        for suffix in [".md", ".html", ".json", ".model-card.yaml"] {
            let files = try FileManager.default.contentsOfDirectory(atPath: reports).filter { $0.hasSuffix(suffix) }
            let text = try String(contentsOfFile: reports + "/" + #require(files.first), encoding: .utf8)
            #expect(!text.contains(Self.family.path), "\(suffix) carries the auditor's local path")
            if suffix != ".model-card.yaml" { #expect(text.contains("candidate-noob-merge.safetensors")) }
        }
        let bom = audit("candidate-noob-merge", ["--no-reports", "--format", "cyclonedx", "--release", manifest])
        #expect(bom.stdout.contains("\"bomFormat\""), "\(bom.stderr)")
        #expect(!bom.stdout.contains(Self.family.path), "the CycloneDX BOM carries the auditor's local path")
    }

    @Test(.heavy) func localPathsAreKeptOnlyWhenAsked() throws {
        let local = audit("candidate-noob-merge", ["--no-reports", "--format", "json", "--local-paths"])
        #expect(local.stdout.contains(Self.family.file("candidate-noob-merge.safetensors")))
        let published = audit("candidate-noob-merge", ["--no-reports", "--format", "json"])
        #expect(!published.stdout.contains(Self.family.path))
    }

    @Test func aReUploadedBaseIsReportedAsThatBase() throws {
        let result = audit("illustrious-xl-v0.1", ["--no-reports", "--format", "json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let findings = json["findings"] as? [[String: Any]] ?? []
        let identical = findings.first { $0["code"] as? String == "LN013" }
        #expect((identical?["message"] as? String)?.hasPrefix("The checkpoint is byte for byte illustrious-xl-v0.1") == true, "\(findings)")
        #expect(identical?["severity"] as? String == "warning")
    }

    @Test func theCLIDoesWhatItSays() throws {
        // -o replaces stdout.
        let out = Self.family.file("compare-\(UUID().uuidString).json")
        let written = runPedigree(["compare", Self.family.file("candidate-noob-merge.safetensors"), "-o", out] + refArgs(),
                                  environment: ["PEDIGREE_CACHE_DIR": Self.family.file("cache")])
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stdout.isEmpty)
        #expect(FileManager.default.fileExists(atPath: out))
        // A misspelt option is named as such, even with no --ref.
        let misspelt = runPedigree(["audit", "x.safetensors", "--refs", "a=b"])
        #expect(misspelt.status == 64)
        #expect(misspelt.stderr.contains("Unknown option '--refs'"), "\(misspelt.stderr)")
        // --format lists only what each command takes.
        let help = runPedigree(["compare", "--help"])
        #expect(help.stdout.contains("Output format: text or json."))
        #expect(!help.stdout.contains("values: text, md, json, html"))
        // policy lint takes --policies like every other command.
        let lint = runPedigree(["policy", "lint", "--policies", packageRoot().appendingPathComponent("Policies").path])
        #expect(lint.status == 0, "\(lint.stderr)")
        #expect(lint.stdout.hasPrefix("ok: "))
    }

    @Test func usageErrorsExit64() throws {
        // No --ref, and policies that name no default reference set.
        let policies = Self.family.file("no-default-set-policies")
        try? FileManager.default.removeItem(atPath: policies)
        try FileManager.default.copyItem(atPath: packageRoot().appendingPathComponent("Policies").path, toPath: policies)
        let classification = try String(contentsOfFile: "\(policies)/classification.yaml", encoding: .utf8)
        try classification.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("default_references:") }
            .joined(separator: "\n").write(toFile: "\(policies)/classification.yaml", atomically: true, encoding: .utf8)
        let noRef = runPedigree(["audit", Self.family.file("candidate-far-off.safetensors"), "--policies", policies])
        #expect(noRef.status == 64, "no --ref: \(noRef.stderr)")
        #expect(noRef.stderr.contains("give at least one reference"), "\(noRef.stderr)")
        #expect(runPedigree(["audit", "x.safetensors", "--ref", "=x"]).status == 64)
        #expect(runPedigree(["compare", "x.safetensors", "--ref", "a=b", "--format", "html"]).status == 64)
    }

    @Test func malformedCandidateExits2() throws {
        let bad = Self.family.file("bad.safetensors")
        try Data([1, 0, 0, 0, 0, 0, 0, 0, 0x7B]).write(to: URL(fileURLWithPath: bad))
        let result = runPedigree(["audit", bad] + refArgs() + ["--no-reports"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: \(bad): "))
    }
}
