import Foundation
@testable import PedigreeSynth

/// A small family with every merge method, spectral deltas and storage overrides.
enum MergeFixtures {
    static let recipe = """
        seed: 11
        components:
          sdxl:  { kind: base }
          ill:   { kind: delta, scale: 0.3, spectrum: power_law }
          noob:  { kind: delta, scale: 0.2, spectrum: { exponent: 1.2, rank: 32, tail: 0.05 } }
          own-a: { kind: delta, scale: 0.1, spectrum: power_law }
          own-b: { kind: delta, scale: 0.1 }
          top:   { kind: delta, scale: 0.05, spectrum: power_law }
        models:
          base:   { sdxl: 1 }
          ill01:  { sdxl: 1, ill: 1 }
          noobai: { sdxl: 1, ill: 1, noob: 1 }
          ft-a:   { sdxl: 1, ill: 1, noob: 1, own-a: 1 }
          ft-b:   { sdxl: 1, ill: 1, own-b: 1 }
          slerp:  { merge: slerp, a: ft-b, b: ft-a, alpha: 0.3 }
          ties:   { merge: ties, base: ill01, models: { ft-a: 1, ft-b: 0.5 }, density: 0.4, alpha: 0.9 }
          dare:   { merge: dare, base: ill01, models: { ft-a: 1 }, drop: 0.6, alpha: 1, seed: 9 }
          dties:  { merge: dare, base: ill01, models: { ft-a: 1, ft-b: 1 }, drop: 0.5, sign_election: true }
          stock:  { merge: model_stock, base: ill01, models: { ft-a: 1, ft-b: 1, noobai: 1 } }
          blocks: { merge: block_weights, a: ft-b, b: noobai, alpha: 0.25, blocks: { M00: 1, OUT03: 0.5 } }
          te:     { merge: transplant, from: ft-b, clip_l: noobai, clip_g: noobai }
          ontop:  { merge: slerp, a: slerp, b: noobai, alpha: 0.5, plus: { top: 1 } }
          fp8:    { weights: { sdxl: 1, ill: 1, noob: 0.5 }, dtype: fp8 }
          lin:    { sdxl: 1, ill: 1, noob: 0.4, own-b: 0.6 }
        lineage:
          base:   { role: reference, parent: none }
          ill01:  { role: reference, parent: base }
          noobai: { role: reference, parent: ill01 }
          lin:    { role: candidate, parent: noobai }
          te:     { role: candidate, parent: noobai }
          blocks: { role: candidate, parent: noobai }
          stock:  { role: candidate, parent: ft-a }
          dare:   { role: candidate, parent: ft-a }
        """

    static func write(divisor: Int = 64, dtype: String = "f32", chunkElements: Int = SynthFamilyWriter.defaultChunkElements,
                      workers: Int = 2, folder: String = Fixtures.temporaryFolder()) throws -> SynthFamily {
        let parsed = try RecipeLoader.parse(recipe, path: "merges.yaml")
        return try SynthFamilyWriter.write(recipe: parsed, outDir: folder, widthDivisor: divisor,
                                           dtype: SynthFamilyWriter.storageTypes[dtype]!, chunkElements: chunkElements, workers: workers)
    }
}
