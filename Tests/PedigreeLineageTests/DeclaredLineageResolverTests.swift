import PedigreeFormat
@testable import PedigreeLineage
import Testing

/// Declared models matched against the shipped policies: by the hashes they record, then
/// by the names real files use, and read against what the weights showed.
@Suite struct DeclaredLineageResolverTests {
    let resolver = DeclaredLineageResolver(policies: ShippedPolicies.set)
    /// Illustrious XL 0.1's published file, as the shipped policies record it.
    static let illustriousSHA = "3e15ba00387db678ab4a099f75771c4f5ac67fda9e7100a01d263eaf30145aa9"

    func resolved(_ model: DeclaredModel) -> (String, DeclarationMatch)? { resolver.resolve(model) }

    @Test func aRecordedHashFindsItsModel() {
        let full = resolved(DeclaredModel(source: .webuiRecipe, role: "primary", sha256: Self.illustriousSHA))
        #expect(full?.0 == "illustrious-xl-v0.1" && full?.1 == .sha256)
        let short = resolved(DeclaredModel(source: .webuiModels, role: "merged model", shortHash: "3e15ba0038"))
        #expect(short?.0 == "illustrious-xl-v0.1" && short?.1 == .autov2)
        // An 8-digit legacy hash is not a prefix of the SHA-256: it matches nothing by itself.
        #expect(resolved(DeclaredModel(source: .webuiModels, role: "merged model", shortHash: "3e15ba00")) == nil)
    }

    @Test func namesAsFilesCarryThemResolve() {
        for (name, id) in [("noobaiXLNAIXL_epsilonPred10Version.safetensors", "noobai-xl-eps-1.0"),
                           ("C:\\models\\NoobAI-XL-v1.0.safetensors", "noobai-xl-eps-1.0"),
                           ("illustrious_xl_v0.1", "illustrious-xl-v0.1"),
                           ("Laxhar/noobai-XL-1.0", "noobai-xl-eps-1.0")] {
            #expect(resolved(DeclaredModel(source: .modelspecMergedFrom, role: "merged from", name: name))?.0 == id, "\(name)")
        }
        #expect(resolved(DeclaredModel(source: .mechaRecipe, role: "model", name: "my_secret_mix_v3.safetensors")) == nil)
        #expect(resolved(DeclaredModel(source: .mechaRecipe, role: "model", name: "...")) == nil, "punctuation alone names nothing")
    }

    @Test func eachDeclarationIsReadAgainstTheWeights() {
        let declared = DeclaredLineage(hasModelspec: true, models: [
            DeclaredModel(source: .modelspecMergedFrom, role: "merged from", name: "NoobAI-XL-v1.0"),
            DeclaredModel(source: .modelspecMergedFrom, role: "merged from", name: "illustriousXL_v01"),
            DeclaredModel(source: .modelspecMergedFrom, role: "merged from", name: "ponyDiffusionV6XL"),
            DeclaredModel(source: .modelspecMergedFrom, role: "merged from", name: "somebody's mix"),
        ])
        // The weights show Illustrious only; NoobAI and Illustrious were compared.
        let report = resolver.report(declared, inherited: ["illustrious-xl-v0.1", "sdxl-base-1.0"],
                                     compared: ["illustrious-xl-v0.1", "noobai-xl-eps-1.0"])
        #expect(report.models.map(\.status) == [.contradicted, .confirmed, .notCompared, .unresolved])
        #expect(report.models[2].policyId == "pony-diffusion-v6-xl")
    }
}
