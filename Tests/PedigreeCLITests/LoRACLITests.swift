import Foundation
import PedigreeTestSupport
import Testing

/// LoRAs audited through the binary, made by `Tests/Oracles/make_lora.py` (kohya's
/// extraction recipe: the truncated SVD of a reference pair's change, in kohya's and in
/// PEFT's naming) rather than by Pedigree: one extracted from NoobAI's change is NoobAI's
/// whatever base it claims, one trained along other directions is not.
@Suite(.serialized)
struct LoRACLITests {
    static let references = ["sdxl-base-1.0", "illustrious-xl-v0.1", "noobai-xl-eps-1.0"]

    static let family = DemoFamilyFixture.make(references)

    var dir: TemporaryDirectory { Self.family }
    func model(_ id: String) -> String { dir.file("\(id).safetensors") }

    func makeLoRA(_ arguments: [String]) throws {
        let result = try runPythonScript("Tests/Oracles/make_lora.py") { _ in arguments }
        guard result.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: result.stderr]) }
    }

    func audit(_ lora: String, _ extra: [String] = []) throws -> (status: Int32, json: [String: Any], stderr: String) {
        let out = dir.file("reports-\(UUID().uuidString.prefix(8))")
        let result = runPedigree(["audit", lora, "--report-dir", out] + Self.references.flatMap { ["--ref", "\($0)=\(model($0))"] } + extra,
                                 environment: ["PEDIGREE_CACHE_DIR": dir.file("cache")])
        let stem = ((lora as NSString).lastPathComponent as NSString).deletingPathExtension
        guard let data = FileManager.default.contents(atPath: "\(out)/\(stem).json") else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "no report (exit \(result.status)): \(result.stderr)"])
        }
        return (result.status, try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]), result.stderr)
    }

    func noobShare(_ json: [String: Any]) -> Double? {
        ((json["attribution"] as? [String: Any])?["references"] as? [[String: Any]])?
            .first { $0["id"] as? String == "noobai-xl-eps-1.0" }?["share"] as? Double
    }

    @Test(.pythonOracle) func aLoRAExtractedFromNoobAIsChangeIsNoobAIsWhateverItClaims() throws {
        // kohya naming, claiming Illustrious as its training base (the article's "un-NAI-ify" LoRA, reversed).
        let kohya = dir.file("noob-extract.safetensors")
        try makeLoRA(["extract", model("illustrious-xl-v0.1"), model("noobai-xl-eps-1.0"), kohya, "8", "illustriousXL_v01.safetensors"])
        let outcome = try audit(kohya)
        #expect((outcome.json["inherits_from"] as? [String] ?? []).contains("noobai-xl-eps-1.0"), "share \(noobShare(outcome.json) ?? -1) \(outcome.stderr)")
        // Applied to the base it declares, which the policies know by that file name.
        let compare = runPedigree(["compare", kohya, "--format", "json"] + Self.references.flatMap { ["--ref", "\($0)=\(model($0))"] },
                                  environment: ["PEDIGREE_CACHE_DIR": dir.file("cache")])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(compare.stdout.utf8)) as? [String: Any], "\(compare.stderr)")
        let summary = try #require(json["lora"] as? [String: Any])
        #expect(summary["applied_to"] as? String == "illustrious-xl-v0.1")
        #expect(summary["basis"] as? String == "requested")
        #expect(summary["convention"] as? String == "kohya")
        #expect((summary["unmapped"] as? Int) == 0)
        #expect((json["candidate"] as? [String: Any])?["kind"] as? String == "lora")

        // The same extraction in PEFT's naming, claiming nothing: applied to the root.
        let peft = dir.file("noob-extract-peft.safetensors")
        try makeLoRA(["extract", model("illustrious-xl-v0.1"), model("noobai-xl-eps-1.0"), peft, "8", "--peft"])
        let peftOutcome = try audit(peft)
        #expect((peftOutcome.json["inherits_from"] as? [String] ?? []).contains("noobai-xl-eps-1.0"), "share \(noobShare(peftOutcome.json) ?? -1)")
        if let a = noobShare(outcome.json), let b = noobShare(peftOutcome.json) { #expect(abs(a - b) < 0.05, "\(a) vs \(b)") }
    }

    @Test(.pythonOracle) func anUnNAIifyLoRAIsNoobAIsToo() throws {
        // The article's LoRA: NoobAI's change extracted the other way (Illustrious − NoobAI),
        // so that merging it removes NoobAI's change. It claims nothing: applied to the root.
        let lora = dir.file("un-nai-ify.safetensors")
        try makeLoRA(["extract", model("noobai-xl-eps-1.0"), model("illustrious-xl-v0.1"), lora, "8"])
        let outcome = try audit(lora)
        #expect((outcome.json["inherits_from"] as? [String] ?? []).contains("noobai-xl-eps-1.0"), "share \(noobShare(outcome.json) ?? 0)")
        #expect((noobShare(outcome.json) ?? 0) < -0.5)
        #expect(((outcome.json["findings"] as? [[String: Any]]) ?? []).contains { $0["code"] as? String == "LN019" })
    }

    @Test(.pythonOracle) func aLoRAAlongOtherDirectionsIsNotNoobAIs() throws {
        let lora = dir.file("other-lora.safetensors")
        try makeLoRA(["random", model("illustrious-xl-v0.1"), lora, "8", "illustriousXL_v01.safetensors"])
        let outcome = try audit(lora)
        #expect(!(outcome.json["inherits_from"] as? [String] ?? []).contains("noobai-xl-eps-1.0"), "share \(noobShare(outcome.json) ?? -1)")
        #expect((outcome.json["inherits_from"] as? [String] ?? []).contains("illustrious-xl-v0.1"))
        #expect(abs(noobShare(outcome.json) ?? 1) < 0.1)
    }

    @Test(.pythonOracle) func lycorisProductsAreRefusedByName() throws {
        let loha = dir.file("loha.safetensors")
        try makeLoRA(["loha", model("illustrious-xl-v0.1"), loha])
        let result = runPedigree(["audit", loha] + Self.references.flatMap { ["--ref", "\($0)=\(model($0))"] })
        #expect(result.status == 2 && result.stderr.contains("LY008") && result.stderr.contains("LoHa"), "\(result.stderr)")
        // A LoRA given as a reference, or applied to a base that is not compared, is a clear error.
        let kohya = dir.file("as-reference.safetensors")
        try makeLoRA(["extract", model("illustrious-xl-v0.1"), model("noobai-xl-eps-1.0"), kohya, "2"])
        let asReference = runPedigree(["compare", model("illustrious-xl-v0.1"), "--ref", "noobai-xl-eps-1.0=\(kohya)"])
        #expect(asReference.status == 2 && asReference.stderr.contains("CP006"), "\(asReference.stderr)")
        let wrongBase = runPedigree(["compare", kohya, "--lora-base", "pony-diffusion-v6-xl", "--ref", "noobai-xl-eps-1.0=\(model("noobai-xl-eps-1.0"))"])
        #expect(wrongBase.status == 2 && wrongBase.stderr.contains("CP006"), "\(wrongBase.stderr)")
    }
}
