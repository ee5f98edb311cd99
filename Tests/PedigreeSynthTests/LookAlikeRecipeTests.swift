import Testing
@testable import PedigreeSynth

/// The synth's look-alike (`shares:`) and LoRA-merge (`unmerge` with `strength:`) keys
/// (issue 26): read when right, refused in one line with a code and place when wrong.
@Suite("Look-alike and LoRA-merge recipe keys") struct LookAlikeRecipeTests {
    static let head = "components:\n  b: { kind: base }\n  d: { kind: delta, spectrum: power_law }\n"

    private func failure(_ text: String) -> SynthError? { Fixtures.failure(text) }

    @Test func aLookAlikeIsRead() throws {
        let recipe = try RecipeLoader.parse(Self.head + "  l: { kind: delta, spectrum: power_law, shares: { component: d, overlap: 0.5 } }\nmodels: { m: { b: 1, l: 1 } }\n", path: "r.yaml")
        #expect(recipe.component(named: "l")?.shares == SynthRecipe.SubspaceShare(component: "d", overlap: 0.5))
    }

    @Test(arguments: [
        ("  l: { kind: delta, spectrum: power_law, shares: { component: e, overlap: 0.5 } }\n", "'e' must be another declared delta"),
        ("  l: { kind: delta, spectrum: power_law, shares: { component: l, overlap: 0.5 } }\n", "cannot share its own subspace"),
        ("  l: { kind: delta, spectrum: power_law, shares: { component: d, overlap: 1.5 } }\n", "an overlap is a fraction in [0, 1]"),
        ("  l: { kind: delta, shares: { component: d, overlap: 0.5 } }\n", "on a delta with a spectrum"),
        ("  l: { kind: delta, spectrum: power_law, shares: { component: d, overlap: 0.5, rank: 2 } }\n", "unknown key 'rank'"),
    ])
    func aWrongLookAlikeIsRefused(line: String, rule: String) throws {
        let error = try #require(failure(Self.head + line + "models: { m: { b: 1, l: 1 } }\n"))
        #expect(error.message.hasPrefix("r.yaml:") && error.message.contains(rule) && !error.message.contains("\n"), "\(error.message)")
    }

    @Test func aLoRAStrengthIsReadAndRangeChecked() throws {
        let models = "models:\n  x: { b: 1 }\n  y: { b: 1, d: 1 }\n  z: { merge: unmerge, model: x, base: x, reference: y, rank: 64, strength: STRENGTH }\n"
        let recipe = try RecipeLoader.parse(Self.head + models.replacingOccurrences(of: "STRENGTH", with: "0.2"), path: "r.yaml")
        #expect(recipe.model(named: "z")?.merge?.strength == 0.2)
        for bad in ["0", "5", "\"a\""] {
            let error = try #require(failure(Self.head + models.replacingOccurrences(of: "STRENGTH", with: bad)), "strength \(bad)")
            #expect(error.message.hasPrefix("r.yaml:7:"), "\(error.message)")
        }
    }

    @Test func aLookAlikeIsDeterministicAndLeavesOtherComponentsUnchanged() throws {
        // Adding a look-alike component changes no other model's weights.
        let plain = try RecipeLoader.parse(Self.head + "models: { m: { b: 1, d: 1 } }\n", path: "r.yaml")
        let with = try RecipeLoader.parse(Self.head + "  l: { kind: delta, spectrum: power_law, shares: { component: d, overlap: 0.5 } }\nmodels: { m: { b: 1, d: 1 }, n: { b: 1, l: 1 } }\n", path: "r.yaml")
        let shape = [64, 32]
        func values(_ recipe: SynthRecipe, _ model: String) -> [Float] {
            let weights = recipe.model(named: model)!.weights
            let synthesis = TensorSynthesis(recipe: recipe, weights: weights, tensor: "model.diffusion_model.input_blocks.1.0.in_layers.2.weight", shape: shape, widthDivisor: 1)
            var out = [Float](repeating: 0, count: 64 * 32)
            out.withUnsafeMutableBufferPointer { synthesis.accumulate($0.baseAddress!, rows: 0 ..< 64) }
            return out
        }
        #expect(values(plain, "m") == values(with, "m"))
        #expect(values(with, "n") == values(with, "n"))
        #expect(values(with, "n") != values(plain, "m"))
    }
}
