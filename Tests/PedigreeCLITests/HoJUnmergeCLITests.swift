import Foundation
import PedigreeTestSupport
import Testing

/// The seed article's HoJ 3.0 → 4.0 (issue 12): its author extracted a rank-64 LoRA of
/// NoobAI's change from Illustrious 0.1 and merged it into HoJ 3.0 at strength −1; HoJ 4.0's
/// cosine to NoobAI fell from 0.9847 to 0.9788 and the article's bands read it as Illustrious.
/// Planted here on a width ÷32 family: HoJ 3.0 carries 80% of NoobAI's change.
@Suite(.serialized) struct HoJUnmergeCLITests {
    static let references = ["sdxl-base-1.0", "illustrious-xl-v0.1", "noobai-xl-eps-1.0"]
    static let recipe = """
        seed: 30
        components:
          sdxl:    { kind: base, scale: 1.0 }
          ill01:   { kind: delta, scale: 0.30, spectrum: power_law }
          noob:    { kind: delta, scale: 0.17, spectrum: { exponent: 1.0, rank: 512, tail: 0.05 } }
          hoj-own: { kind: delta, scale: 0.08, spectrum: power_law }
        models:
          sdxl-base-1.0:       { sdxl: 1 }
          illustrious-xl-v0.1: { sdxl: 1, ill01: 1 }
          noobai-xl-eps-1.0:   { sdxl: 1, ill01: 1, noob: 1 }
          hoj-ixl-3.0:         { sdxl: 1, ill01: 1, noob: 0.8, hoj-own: 1 }
          hoj-ixl-4.0:         { merge: unmerge, model: hoj-ixl-3.0, base: illustrious-xl-v0.1, reference: noobai-xl-eps-1.0, rank: 64 }
        lineage:
          sdxl-base-1.0:       { role: reference, parent: none }
          illustrious-xl-v0.1: { role: reference, parent: sdxl-base-1.0 }
          noobai-xl-eps-1.0:   { role: reference, parent: illustrious-xl-v0.1 }
          hoj-ixl-3.0:         { role: candidate, parent: noobai-xl-eps-1.0 }
          hoj-ixl-4.0:         { role: candidate, parent: hoj-ixl-3.0, claimed: illustrious-xl-v0.1 }
        """

    static let family: TemporaryDirectory = {
        do {
            let dir = try TemporaryDirectory()
            let recipe = try dir.write(Array(Self.recipe.utf8), to: "hoj.yaml")
            let made = runPedigree(["synth", recipe, "--out", dir.path, "--width-divisor", "32"])
            guard made.status == 0 else { fatalError("synth failed: \(made.stderr)") }
            return dir
        } catch { fatalError("\(error)") }
    }()

    func audit(_ candidate: String, format: String) -> (status: Int32, stdout: String, stderr: String) {
        runPedigree(["audit", Self.family.file("\(candidate).safetensors"), "--no-reports", "--format", format]
                    + Self.references.flatMap { ["--ref", "\($0)=\(Self.family.file("\($0).safetensors"))"] },
                    environment: ["PEDIGREE_CACHE_DIR": Self.family.file("cache")])
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test(.heavy) func hoj30To40() throws {
        // From weights: HoJ 4.0 is still NoobAI's, with the share HoJ 3.0 had.
        let three = try json(audit("hoj-ixl-3.0", format: "json").stdout)
        let four = try json(audit("hoj-ixl-4.0", format: "json").stdout)
        func noobCosine(_ report: [String: Any]) -> Double? {
            (report["references"] as? [[String: Any]])?.first { $0["id"] as? String == "noobai-xl-eps-1.0" }?["mean_cosine"] as? Double
        }
        func noobAttribution(_ report: [String: Any]) -> [String: Any]? {
            ((report["attribution"] as? [String: Any])?["references"] as? [[String: Any]])?.first { $0["id"] as? String == "noobai-xl-eps-1.0" }
        }
        func codes(_ report: [String: Any]) -> [String] { (report["findings"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String } }
        // As in the article, the un-merge lowered the cosine to NoobAI.
        #expect((noobCosine(four) ?? 1) < (noobCosine(three) ?? 0))
        #expect((four["inherits_from"] as? [String] ?? []).contains("noobai-xl-eps-1.0"))
        let attribution = try #require(noobAttribution(four))
        #expect(abs((attribution["share"] as? Double ?? 0) - 0.8) <= 0.1, "\(attribution["share"] ?? "none")")
        #expect(attribution["subtracted_rank"] as? Int != nil)
        let whole = (attribution["spectral"] as? [[String: Any]])?.first { $0["rank"] as? Int == 0 }?["share"] as? Double
        #expect((whole ?? 1) < 0.5, "the whole-change share the evasion lowered: \(whole ?? .nan)")
        #expect(codes(four).contains("LN014"))
        #expect(!codes(three).contains("LN014"), "HoJ 3.0 is a plain NoobAI derivative")

        // From the article's published numbers: the author's own reading (Illustrious).
        let published = try Self.family.write(Array("""
            {"candidate": {"path": "HoJ_IXL-V4.0.fp16.safetensors"},
             "references": [{"id": "illustrious-xl-v0.1", "mean_cosine": 0.9810003042221069},
                            {"id": "illustrious-xl-v2.0", "mean_cosine": 0.954723060131073},
                            {"id": "noobai-xl-eps-1.0", "mean_cosine": 0.9787838459014893}],
             "baselines": [{"a": "illustrious-xl-v0.1", "b": "noobai-xl-eps-1.0", "mean_cosine": 0.9564101696014404},
                           {"a": "illustrious-xl-v2.0", "b": "noobai-xl-eps-1.0", "mean_cosine": 0.9381213784217834}]}
            """.utf8), to: "hoj-4.0-published.json")
        let classified = runPedigree(["classify", published, "--format", "json"])
        let headline = try json(classified.stdout)
        #expect(!(headline["inherits_from"] as? [String] ?? []).contains("noobai-xl-eps-1.0"))
        #expect((headline["lineage"] as? [String: Any])?["likely_base"] as? String == "illustrious-xl-v0.1")

        // Why the two differ, in both reports: headline cosines cannot show a subtracted
        // change; the weights' spectral profile does.
        let summary = (headline["lineage"] as? [String: Any])?["summary"] as? String ?? ""
        #expect(summary.contains("cannot rule out a descendant whose change was partly subtracted (noobai-xl-eps-1.0"), "\(summary)")
        let text = audit("hoj-ixl-4.0", format: "text").stdout
        #expect(text.contains("LN014") && text.contains("appears partly subtracted (rank ≤"), "\(text.suffix(2000))")
    }
}
