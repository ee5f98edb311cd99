import Foundation
import PedigreeTestSupport
import Testing
@testable import PedigreeSynth

/// The seed article's un-merge, planted by the synth (`merge: unmerge`): a model minus the
/// rank-k truncated SVD of (reference − base), per 2-D tensor.
@Suite("Un-merge", .serialized) struct UnmergeTests {
    static let recipe = """
        seed: 12
        components:
          b:    { kind: base }
          ill:  { kind: delta, scale: 0.3, spectrum: power_law }
          noob: { kind: delta, scale: 0.17, spectrum: { exponent: 1.0, rank: 512, tail: 0.05 } }
          own:  { kind: delta, scale: 0.08, spectrum: power_law }
        models:
          ill:     { b: 1, ill: 1 }
          noob:    { b: 1, ill: 1, noob: 1 }
          ft:      { b: 1, ill: 1, noob: 1, own: 1 }
          un-64:   { merge: unmerge, model: ft, base: ill, reference: noob, rank: 64 }
          un-256:  { merge: unmerge, model: ft, base: ill, reference: noob, rank: 256 }
        lineage:
          ill:    { role: reference, parent: none }
          noob:   { role: reference, parent: ill }
          un-64:  { role: candidate, parent: ft }
          un-256: { role: candidate, parent: ft }
        """

    /// Tensors the oracle checks: a linear layer, a convolution (reshaped out × in·kh·kw, as
    /// kohya does), a text-encoder matrix, and a bias (untouched: a LoRA has no biases).
    static let tensors = [
        "model.diffusion_model.middle_block.1.proj_in.weight",
        "model.diffusion_model.input_blocks.1.0.in_layers.2.weight",
        "conditioner.embedders.1.model.transformer.resblocks.5.mlp.c_fc.weight",
        "model.diffusion_model.input_blocks.4.1.proj_out.bias",
    ]

    @Test("the planted un-merge equals the model minus torch.linalg.svd's rank-k truncation of the change",
          .pythonOracle)
    func matchesTorchSVD() throws {
        let recipe = try RecipeLoader.parse(Self.recipe, path: "unmerge.yaml")
        let folder = Fixtures.temporaryFolder()
        defer { Fixtures.remove(folder) }
        // F32 storage: the files hold the synth's exact values, so the oracle sees the same Δ.
        _ = try SynthFamilyWriter.write(recipe: recipe, outDir: folder, widthDivisor: 16, dtype: .f32)
        let result = try runPython(script: """
            import sys, numpy as np, torch
            from safetensors.numpy import load_file
            d, divisor = sys.argv[1], int(sys.argv[2])
            ill, noob, ft = (load_file(f"{d}/{m}.safetensors") for m in ("ill", "noob", "ft"))
            for candidate, rank in (("un-64", 64), ("un-256", 256)):
                got = load_file(f"{d}/{candidate}.safetensors")
                for name in sys.argv[3:]:
                    delta = noob[name].astype(np.float32) - ill[name].astype(np.float32)
                    if delta.ndim < 2:
                        expected, k = ft[name].astype(np.float64), 0
                    else:
                        m = torch.from_numpy(delta.astype(np.float64).reshape(delta.shape[0], -1))
                        k = max(1, round(rank / divisor))
                        k = min(k, *m.shape)
                        u, s, vh = torch.linalg.svd(m, full_matrices=False)
                        low = (u[:, :k] * s[:k]) @ vh[:k]
                        expected = ft[name].astype(np.float64) - low.numpy().reshape(delta.shape)
                    error = np.abs(got[name].astype(np.float64) - expected).max()
                    scale = np.abs(delta).max()
                    print(candidate, name, k, error / scale)
            """, arguments: [folder, "16"] + Self.tensors)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 2 * Self.tensors.count)
        for line in lines {
            let f = line.split(separator: " ")
            let k = Int(f[2]) ?? -1, relative = Double(f[3]) ?? .infinity
            // Float32 storage and the Float32 factors: agreement to ~1e-5 of the change's scale.
            #expect(relative < 1e-4, "\(line)")
            if f[1].hasSuffix(".bias") { #expect(k == 0) } else { #expect(k == (f[0] == "un-64" ? 4 : 16)) }
        }
    }

    @Test("truth: an un-merged fine-tune carries all of the change; the whole-change projection falls", .heavy)
    func truth() throws {
        let recipe = try RecipeLoader.parse(Self.recipe, path: "unmerge.yaml")
        let folder = Fixtures.temporaryFolder()
        defer { Fixtures.remove(folder) }
        let family = try SynthFamilyWriter.write(recipe: recipe, outDir: folder, widthDivisor: 32, dtype: .f16)
        var previous = 1.0
        for name in ["un-64", "un-256"] {
            let share = try #require(family.model(named: name)?.shares?.first { $0.reference == "noob" })
            #expect(share.method == "unmerge")
            #expect(share.whole.nominal == 1)
            // Removing more of the top of the spectrum lowers the whole-change share further.
            #expect(share.whole.effective < previous - 0.1, "\(name): \(share.whole.effective)")
            previous = share.whole.effective
        }
    }

    @Test("same bytes whatever the chunking", .heavy)
    func deterministic() throws {
        let recipe = try RecipeLoader.parse(Self.recipe, path: "unmerge.yaml")
        let a = Fixtures.temporaryFolder("a"), b = Fixtures.temporaryFolder("b")
        defer { Fixtures.remove(a); Fixtures.remove(b) }
        let first = try SynthFamilyWriter.write(recipe: recipe, outDir: a, widthDivisor: 32, dtype: .f16, chunkElements: 4096, workers: 1)
        let second = try SynthFamilyWriter.write(recipe: recipe, outDir: b, widthDivisor: 32, dtype: .f16, chunkElements: 1 << 20, workers: 2)
        #expect(try Fixtures.bytes(first, "un-64") == Fixtures.bytes(second, "un-64"))
    }

    private func failure(_ models: String) -> SynthError? {
        let text = """
            components:
              b: { kind: base }
              d: { kind: delta }
            models:
              base: { b: 1 }
              ref:  { b: 1, d: 1 }
            \(models)
            """
        do {
            _ = try RecipeLoader.parse(text, path: "r.yaml")
            return nil
        } catch {
            return error
        }
    }

    @Test("recipe errors: missing rank, bad rank, reference = base, unknown model, unknown key")
    func errors() throws {
        #expect(failure("  u: { merge: unmerge, model: ref, base: base, reference: ref }")?.code == "SY004")
        #expect(failure("  u: { merge: unmerge, model: ref, base: base, reference: ref, rank: 0 }")?.code == "SY007")
        #expect(failure("  u: { merge: unmerge, model: ref, base: base, reference: ref, rank: 12.5 }")?.code == "SY007")
        #expect(failure("  u: { merge: unmerge, model: ref, base: base, reference: ref, rank: 5000 }")?.code == "SY007")
        #expect(failure("  u: { merge: unmerge, model: ref, base: ref, reference: ref, rank: 64 }")?.code == "SY013")
        #expect(failure("  u: { merge: unmerge, model: rf, base: base, reference: ref, rank: 64 }")?.code == "SY008")
        #expect(failure("  u: { merge: unmerge, model: ref, base: base, reference: ref, rank: 64, alpha: 1 }")?.code == "SY003")
        #expect(failure("  u: { merge: unmerge, model: ref, base: base, reference: ref, rank: 64 }") == nil)
    }
}
