import Foundation
import PedigreeCompute
import PedigreeLineage
import PedigreePolicy
import PedigreeTestSupport
import Testing

/// Issue 27 end to end: candidates of the copied-structure family (small NoobAI merges made
/// the ways mergers make them, and honest Illustrious look-alikes), re-basined by a Python
/// script no Pedigree code is part of (Tests/Oracles/permute.py: heads, the dimensions inside
/// each head, feed-forward units, ResBlock channels within their GroupNorm groups, the
/// embedding MLPs and both text encoders; it checks in float64 that every block's outputs
/// are unchanged), keep every figure, verdict and share they had, and get LN020.
@Suite(.serialized, .heavy, .pythonOracle) struct PermutedFamilyTests {
    static let recipe = "Scripts/recipes/copied-structure.yaml"
    static let references = ["sdxl-base-1.0", "illustrious-xl-v0.1", "illustrious-xl-v2.0", "noobai-xl-eps-1.0"]
    static let candidates = ["noob-ws-03", "noob-dare-90", "noob-ties-20", "noob-lora-10", "ill-look-50", "ill-look-80", "ill-finetune"]
    static let family = FamilyCache.family(recipe: recipe, only: references + candidates)
    static let policies = ShippedPolicies.set

    func audit(_ path: String, fingerprints: String? = nil) throws -> (CompareResult, LineageDecision) {
        let references = Self.references.map { ComparisonRequest.Reference(id: $0, path: "\(fingerprints ?? Self.family)/\($0).safetensors") }
        let edges: [(ancestor: String, descendant: String)] = [
            ("sdxl-base-1.0", "illustrious-xl-v0.1"), ("illustrious-xl-v0.1", "illustrious-xl-v2.0"), ("illustrious-xl-v0.1", "noobai-xl-eps-1.0"),
        ]
        let request = ComparisonRequest(candidate: path, references: references, edges: edges,
                                        blockGroups: Self.policies.classification.attribution.comparisonGroups, identifyFiles: false)
        let result = try Comparison.run(request)
        return (result, LineageClassifier(settings: Self.policies.classification, policies: Self.policies).classify(result))
    }

    /// The candidate re-basined by the oracle, with its float64 function check passed.
    func permuted(_ candidate: String, seed: Int, into dir: TemporaryDirectory) throws -> String {
        let out = dir.file("\(candidate)-permuted.safetensors")
        let run = try runPythonScript("Tests/Oracles/permute.py") { _ in ["\(Self.family)/\(candidate).safetensors", out, "--seed", "\(seed)", "--check"] }
        try #require(run.status == 0, "permute.py: \(run.stderr) \(run.stdout)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let check = try #require(report["check"] as? [String: Double])
        #expect(check.count == 8 && check.values.allSatisfy { $0 < 1e-9 }, "\(check)")
        return out
    }

    @Test(arguments: zip(candidates, Array(1 ... 7)))
    func aRebasinedCandidateKeepsItsVerdictAndShare(candidate: String, seed: Int) throws {
        let dir = try TemporaryDirectory()
        let (plain, plainDecision) = try audit("\(Self.family)/\(candidate).safetensors")
        #expect(plain.transform == nil)
        let (moved, movedDecision) = try audit(try permuted(candidate, seed: seed, into: dir))
        let transform = try #require(moved.transform, "\(candidate): no transform found")
        // 501 groups: every one the oracle reorders (a few tiny ones may come out in order).
        #expect(transform.permutedGroups >= 490, "\(transform.axes)")
        #expect(transform.cosineBefore < 0.3 && transform.cosineAfter > 0.9)
        #expect(movedDecision.inherited.map(\.id) == plainDecision.inherited.map(\.id), "\(candidate): \(movedDecision.lineage.summary)")
        #expect(movedDecision.lineage.status == plainDecision.lineage.status)
        #expect(movedDecision.inconclusive.map(\.id) == plainDecision.inconclusive.map(\.id))
        let before = try #require(plain.attribution?.reference("noobai-xl-eps-1.0")?.share)
        let after = try #require(moved.attribution?.reference("noobai-xl-eps-1.0")?.share)
        #expect(abs(after - before) <= 0.05)
        // The permutation is undone exactly: the same floats in the same order, the same figures.
        #expect(moved.references.map(\.meanCosine) == plain.references.map(\.meanCosine))
        #expect(after == before)
        let finding = ReleaseFindings.transform(moved.transform, policies: Self.policies)
        #expect(finding.map(\.code) == [.permutedWeights])
        #expect(ReleaseFindings.transform(plain.transform, policies: Self.policies).isEmpty)
    }

    @Test("against fingerprints, units are matched on the fingerprints' columns: the same verdict, the share within its interval")
    func aRebasinedCandidateAgainstFingerprints() throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.file("fp"), withIntermediateDirectories: true)
        for id in Self.references {
            let made = runPedigree(["fingerprint", "\(Self.family)/\(id).safetensors", "--id", id, "-o", dir.file("fp/\(id).safetensors")],
                                   environment: ["PEDIGREE_CACHE_DIR": dir.file("cache")])
            try #require(made.status == 0, "\(made.stderr)")
        }
        let (plain, plainDecision) = try audit("\(Self.family)/noob-ws-03.safetensors", fingerprints: dir.file("fp"))
        let (moved, movedDecision) = try audit(try permuted("noob-ws-03", seed: 11, into: dir), fingerprints: dir.file("fp"))
        #expect(plain.mode == .sampled && plain.transform == nil)
        let transform = try #require(moved.transform)
        #expect(transform.permutedGroups >= 490 && transform.cosineAfter > 0.9)
        #expect(movedDecision.inherited.map(\.id) == plainDecision.inherited.map(\.id))
        let before = try #require(plain.attribution?.reference("noobai-xl-eps-1.0")?.share)
        let after = try #require(moved.attribution?.reference("noobai-xl-eps-1.0")?.share)
        #expect(abs(after - before) <= 0.05, "\(before) → \(after)")
    }

    @Test("no untransformed file of the test families is taken for a re-basin")
    func noUntransformedFileGetsTheFinding() throws {
        for recipe in ["Scripts/recipes/demo-family.yaml", "Scripts/recipes/merge-zoo.yaml", "Scripts/recipes/unmerge-concentrated.yaml", Self.recipe] {
            let dir = recipe == Self.recipe ? Self.family : FamilyCache.family(recipe: recipe)
            let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".safetensors") }.sorted()
            let references = try ["sdxl-base-1.0", "illustrious-xl-v0.1"].filter { files.contains("\($0).safetensors") }
                .map { try SourceOpener.open(label: $0, path: "\(dir)/\($0).safetensors").source }
            try #require(!references.isEmpty, "\(recipe)")
            for file in files {
                let candidate = try SourceOpener.open(label: "candidate", path: "\(dir)/\(file)").source
                #expect(try PermutationAlignment.align(candidate: candidate, references: references) == nil, "\(recipe): \(file)")
            }
        }
    }
}
