import Foundation
import PedigreeFormat
import Testing
@testable import PedigreeSynth

@Suite("Spectra and merges: recipes and planted truth") struct MergeRecipeTests {
    private func failure(_ text: String) -> SynthError? { Fixtures.failure(text) }

    private let head = """
        components:
          b: { kind: base }
          d: { kind: delta, spectrum: power_law }
        models:
          x: { b: 1 }
          y: { b: 1, d: 1 }

        """

    @Test("the merge models parse, in dependency order")
    func parses() throws {
        let recipe = try RecipeLoader.parse(MergeFixtures.recipe, path: "m.yaml")
        let names = recipe.models.map(\.name)
        #expect(names.firstIndex(of: "ontop")! > names.firstIndex(of: "slerp")!)
        let ties = try #require(recipe.model(named: "ties")?.merge)
        #expect(ties.method == .ties && ties.signElection && ties.density == 0.4 && ties.alpha == 0.9)
        #expect(ties.inputs == [.init(model: "ft-a", weight: 1), .init(model: "ft-b", weight: 0.5)])
        #expect(recipe.model(named: "fp8")?.dtype == .f8e4m3)
        #expect(recipe.model(named: "ontop")?.weights.map(\.component) == ["top"])
        #expect(recipe.component(named: "noob")?.spectrum == .init(exponent: 1.2, rank: 32, tail: 0.05))
        #expect(recipe.component(named: "own-b")?.spectrum == nil)
        // A merge listed before its inputs is moved after them.
        let early = try RecipeLoader.parse(head.replacingOccurrences(of: "  x: { b: 1 }", with: "  z: { merge: slerp, a: x, b: y }\n  x: { b: 1 }"), path: "r.yaml")
        #expect(early.models.map(\.name) == ["x", "y", "z"])
    }

    @Test("the rank cap scales with the width divisor but keeps at least 8 directions")
    func effectiveRank() {
        let s = SynthRecipe.Spectrum.standard
        #expect(s.effectiveRank(rows: 1280, cols: 11520, widthDivisor: 1) == 64)
        #expect(s.effectiveRank(rows: 640, cols: 5760, widthDivisor: 2) == 32)
        #expect(s.effectiveRank(rows: 80, cols: 720, widthDivisor: 16) == 8)
        #expect(s.effectiveRank(rows: 5, cols: 720, widthDivisor: 16) == 5)
        #expect(SynthRecipe.Spectrum(exponent: 1, rank: 4, tail: 0).effectiveRank(rows: 80, cols: 80, widthDivisor: 16) == 4)
    }

    @Test("supermerger block labels")
    func blockLabels() {
        #expect(SynthRecipe.blockLabel(of: "model.diffusion_model.input_blocks.7.1.proj_in.weight") == "IN07")
        #expect(SynthRecipe.blockLabel(of: "model.diffusion_model.middle_block.1.proj_in.weight") == "M00")
        #expect(SynthRecipe.blockLabel(of: "model.diffusion_model.output_blocks.0.0.skip_connection.weight") == "OUT00")
        #expect(SynthRecipe.blockLabel(of: "model.diffusion_model.out.2.weight") == "OUT08")
        #expect(SynthRecipe.blockLabel(of: "model.diffusion_model.time_embed.0.weight") == "BASE")
        #expect(SynthRecipe.blockLabel(of: "conditioner.embedders.0.transformer.text_model.encoder.layers.3.mlp.fc1.weight") == "BASE")
        #expect(SynthRecipe.blockLabels.count == 20)
    }

    @Test("recipe errors for spectra, merges and storage types", arguments: [
        ("  m: { merge: slerp, a: m, b: x }\n", "SY012"),
        ("  m: { merge: slerp, a: n, b: x }\n  n: { merge: slerp, a: m, b: x }\n", "SY012"),
        ("  m: { merge: ties, base: x, models: { x: 1 } }\n", "SY013"),
        ("  m: { merge: model_stock, base: x, models: { y: 1 } }\n", "SY013"),
        ("  m: { merge: model_stock, base: x, models: { y: 2, x2: 1 } }\n", "SY008"),
        ("  m: { merge: slerpp, a: x, b: y }\n", "SY007"),
        ("  m: { merge: slerp, a: x, b: y, density: 0.5 }\n", "SY003"),
        ("  m: { merge: slerp, a: x }\n", "SY004"),
        ("  m: { merge: slerp, a: x, b: yy }\n", "SY008"),
        ("  m: { merge: slerp, a: x, b: y, alpha: 1.5 }\n", "SY007"),
        ("  m: { merge: ties, base: x, models: { y: 1 }, density: 0 }\n", "SY007"),
        ("  m: { merge: dare, base: x, models: { y: 1 }, drop: 1 }\n", "SY007"),
        ("  m: { merge: dare, base: x, models: { y: 1 }, sign_election: yes please }\n", "SY002"),
        ("  m: { merge: block_weights, a: x, b: y, blocks: { IN9: 1 } }\n", "SY007"),
        ("  m: { merge: transplant, clip_l: y }\n", "SY004"),
        ("  m: { merge: slerp, a: x, b: y, plus: { q: 1 } }\n", "SY005"),
        ("  m: { weights: { b: 1 }, dtype: fp4 }\n", "SY007"),
        ("  m: { weights: { d: 1 } }\n", "SY010"),
        ("  m: { dtype: f16 }\n", "SY004"),
    ])
    func errors(model: String, code: String) throws {
        let error = try #require(failure(head + model))
        #expect(error.code == code, "\(error.message)")
        #expect(!error.message.contains("\n"))
        #expect(error.message.hasPrefix("r.yaml:"))
    }

    @Test("spectrum errors: on a base, bad rank or tail, reserved component names")
    func spectrumErrors() throws {
        #expect(failure("components:\n  b: { kind: base, spectrum: power_law }\nmodels: { m: { b: 1 } }\n")?.code == "SY007")
        #expect(failure("components:\n  b: { kind: base }\n  d: { kind: delta, spectrum: { rank: 0.5 } }\nmodels: { m: { b: 1 } }\n")?.code == "SY007")
        #expect(failure("components:\n  b: { kind: base }\n  d: { kind: delta, spectrum: { tail: 1 } }\nmodels: { m: { b: 1 } }\n")?.code == "SY007")
        #expect(failure("components:\n  b: { kind: base }\n  d: { kind: delta, spectrum: { slope: 1 } }\nmodels: { m: { b: 1 } }\n")?.code == "SY003")
        #expect(failure("components:\n  b: { kind: base }\n  d: { kind: delta, spectrum: flat }\nmodels: { m: { b: 1 } }\n")?.code == "SY007")
        #expect(failure("components:\n  merge: { kind: base }\nmodels: { m: { merge: 1 } }\n")?.code == "SY007")
        let cycle = failure(head + "  m: { merge: slerp, a: n, b: x }\n  n: { merge: slerp, a: m, b: x }\n")
        #expect(cycle?.message.contains("m → n → m") == true, "\(cycle?.message ?? "")")
    }

    @Test("family.json plants each reference's share: exact for linear models, per component for a transplant, per block for block weights", .heavy)
    func plantedShares() throws {
        let folder = Fixtures.temporaryFolder()
        defer { Fixtures.remove(folder) }
        let family = try MergeFixtures.write(divisor: 64, dtype: "f16", folder: folder)
        let loaded = try SynthFamily.load(directory: folder)
        #expect(loaded == family)
        func share(_ model: String, _ reference: String) throws -> ShareTruth {
            try #require(family.model(named: model)?.shares?.first { $0.reference == reference })
        }
        let lin = try share("lin", "noobai")
        #expect(lin.method == "linear" && lin.ancestor == "ill01")
        #expect(abs(lin.whole.nominal - 0.4) < 1e-12)
        #expect(abs(lin.whole.effective - 0.4) < 0.03)
        #expect(lin.blocks == nil)
        #expect(abs(try share("lin", "ill01").whole.nominal - 1) < 1e-12)

        let te = try share("te", "noobai")
        #expect(te.components["unet"]?.nominal == 0)
        #expect(te.components["clip_l"]?.nominal == 1 && te.components["clip_g"]?.nominal == 1)
        #expect(abs((te.components["clip_l"]?.effective ?? 0) - 1) < 0.03)
        #expect(abs(te.components["unet"]?.effective ?? 1) < 0.03)

        let blocks = try share("blocks", "noobai")
        #expect(blocks.blocks?["M00"]?.nominal == 1)
        #expect(blocks.blocks?["OUT03"]?.nominal == 0.5)
        #expect(blocks.blocks?["IN04"]?.nominal == 0.25)
        #expect(abs((blocks.blocks?["M00"]?.effective ?? 0) - 1) < 0.05)
        #expect(blocks.components["clip_l"]?.nominal == 0.25)

        let stock = try #require(family.model(named: "stock"))
        let t = try #require(stock.modelStockMeanT)
        #expect(t > 0 && t < 1)
        #expect(stock.merge?.method == .modelStock)
        // DARE (drop 0.6, rescaled) keeps the share of its one input's change.
        let dare = try share("dare", "noobai")
        #expect(dare.method == "dare")
        #expect(abs(dare.whole.effective - 1) < 0.1)
    }
}
