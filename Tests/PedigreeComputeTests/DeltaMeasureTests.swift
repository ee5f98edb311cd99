import PedigreeCompute
import PedigreeTestSupport
import Testing

/// Delta measures recover planted lineages: base → A (Illustrious-like) → D = A + δ
/// (NoobAI-like); a merge carrying 60% of δ must read about 0.6, and a fine-tune of A
/// with its own, unrelated change must read about 0.
struct DeltaMeasureTests {
    let base = SyntheticFiles.component(seed: 1)
    let towardsA = SyntheticFiles.component(seed: 2)
    let towardsD = SyntheticFiles.component(seed: 3)
    let ownChange = SyntheticFiles.component(seed: 4)

    func compare(candidate parts: [(Float, [[Float]])]) throws -> CompareResult {
        let dir = try TemporaryDirectory()
        try SyntheticFiles.write([(1, base), (0.3, towardsA)], to: dir.file("a.safetensors"))
        try SyntheticFiles.write([(1, base), (0.3, towardsA), (0.3, towardsD)], to: dir.file("d.safetensors"))
        try SyntheticFiles.write(parts.map { (weight: $0.0, component: $0.1) }, to: dir.file("c.safetensors"))
        return try Comparison.run(
            ComparisonRequest(candidate: dir.file("c.safetensors"),
                              references: [.init(id: "a", path: dir.file("a.safetensors")), .init(id: "d", path: dir.file("d.safetensors"))],
                              edges: [(ancestor: "a", descendant: "d")], identifyFiles: false),
            hashCache: nil)
    }

    @Test func sixtyPercentMergeReadsSixty() throws {
        let result = try compare(candidate: [(1, base), (0.3, towardsA), (0.18, towardsD), (0.05, ownChange)])
        let delta = try #require(result.references.first { $0.id == "d" }?.deltas.first)
        #expect(abs(delta.share - 0.6) < 0.03, "share \(delta.share)")
        #expect(delta.cosine > 0.9)
        for block in delta.blocks { #expect(abs(block.share - 0.6) < 0.1, "\(block.name): \(block.share)") }
    }

    @Test func unrelatedFineTuneOfTheAncestorCarriesNothing() throws {
        let result = try compare(candidate: [(1, base), (0.3, towardsA), (0.2, ownChange)])
        let delta = try #require(result.references.first { $0.id == "d" }?.deltas.first)
        #expect(abs(delta.share) < 0.08, "share \(delta.share)")
        #expect(abs(delta.cosine) < 0.15)
    }

    @Test func gramSummaryLetsLaterStagesDeriveDeltas() throws {
        let result = try compare(candidate: [(1, base), (0.3, towardsA), (0.3, towardsD)])
        let gram = try #require(result.gram)
        #expect(gram.files == ["candidate", "a", "d"])
        // C equals D here, so ⟨C, C⟩ = ⟨C, D⟩ = ⟨D, D⟩.
        let g = gram.overall
        #expect(abs(g[0][0] - g[2][2]) / g[2][2] < 1e-6)
        #expect(abs(g[0][2] - g[2][2]) / g[2][2] < 1e-6)
        #expect(abs(result.references[1].meanCosine - 1) < 1e-6)
    }
}
