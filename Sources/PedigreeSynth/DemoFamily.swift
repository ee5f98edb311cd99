/// The built-in demo family: the same text as `Scripts/recipes/demo-family.yaml` (a test
/// checks they agree), so `pedigree demo` and other modules need no file on disk.
extension SynthRecipe {
    public static let demoFamilyYAML = #"""
        # The demo family: a planted SDXL → Illustrious → NoobAI lineage and four candidates.
        # Every model is an exact weighted sum of the components below (see
        # Sources/PedigreeSynth/README.md). Deltas have a power-law singular spectrum, as real
        # fine-tune deltas do (power_law = { exponent: 1.0, rank: 64, tail: 0.05 }). Scales are
        # tuned so the article's metric (mean column
        # cosine over non-VAE tensors) lands near the article's numbers; check with
        #   pedigree synth Scripts/recipes/demo-family.yaml --out /tmp/demo --width-divisor 16
        #   python3 Scripts/family_cosines.py /tmp/demo
        seed: 2025
        components:
          sdxl:          { kind: base, scale: 1.0 }
          # Illustrious XL 0.1's change from SDXL, and 0.1 → 2.0.
          ill01:         { kind: delta, scale: 0.30, spectrum: power_law }
          ill20:         { kind: delta, scale: 0.14, spectrum: power_law }
          # NoobAI's change from Illustrious 0.1: strongest around the UNet middle, weak in the text encoders.
          noob:          { kind: delta, scale: 0.17, spectrum: power_law, profile: { unet.middle_block: 1.5, unet.input_blocks.7: 1.3, unet.input_blocks.8: 1.3, unet.output_blocks.0: 1.3, unet.output_blocks.1: 1.3, clip_l: 0.5, clip_g: 0.5 } }
          # The merger's and the fine-tuner's own changes.
          merge-own:     { kind: delta, scale: 0.08, spectrum: power_law }
          finetune-own:  { kind: delta, scale: 0.10, spectrum: power_law }
          # An Illustrious fine-tune trained on data like NoobAI's: half of its low-rank change lies in
          # NoobAI's dominant subspace, in its own coordinates, and none of NoobAI's tail (issue 26).
          similar-own:   { kind: delta, scale: 0.14, spectrum: power_law, shares: { component: noob, overlap: 0.5 } }
          # An unrelated model's own weights.
          far-base:      { kind: base, scale: 1.0 }
        models:
          sdxl-base-1.0:                  { sdxl: 1 }
          illustrious-xl-v0.1:            { sdxl: 1, ill01: 1 }
          illustrious-xl-v2.0:            { sdxl: 1, ill01: 1, ill20: 1 }
          noobai-xl-eps-1.0:              { sdxl: 1, ill01: 1, noob: 1 }
          candidate-noob-merge:           { sdxl: 1, ill01: 1, noob: 0.6, merge-own: 1 }
          candidate-illustrious-finetune: { sdxl: 1, ill01: 1, finetune-own: 1 }
          candidate-far-off:              { far-base: 1 }
          candidate-similar-data:         { sdxl: 1, ill01: 1, similar-own: 1 }
        lineage:
          sdxl-base-1.0:                  { role: reference, parent: none }
          illustrious-xl-v0.1:            { role: reference, parent: sdxl-base-1.0 }
          illustrious-xl-v2.0:            { role: reference, parent: illustrious-xl-v0.1 }
          noobai-xl-eps-1.0:              { role: reference, parent: illustrious-xl-v0.1 }
          candidate-noob-merge:           { role: candidate, parent: noobai-xl-eps-1.0, claimed: illustrious-xl-v0.1, note: "a NoobAI merge (60% of NoobAI's delta) sold as an Illustrious fine-tune" }
          candidate-illustrious-finetune: { role: candidate, parent: illustrious-xl-v0.1, note: "a clean Illustrious 0.1 fine-tune; its own changes do not follow NoobAI's" }
          candidate-far-off:              { role: candidate, parent: none, note: "unrelated: its own base, far from every reference" }
          candidate-similar-data:         { role: candidate, parent: illustrious-xl-v0.1, note: "an Illustrious 0.1 fine-tune trained on data like NoobAI's: it shares NoobAI's dominant directions in its own coordinates, and copies none of its weights" }
        """#

    /// The demo family parsed. The text is a compile-time constant checked by the tests,
    /// so a parse failure here is a programming error, not bad input.
    public static let demoFamily: SynthRecipe = {
        do {
            return try RecipeLoader.parse(demoFamilyYAML, path: "<built-in demo-family.yaml>")
        } catch {
            preconditionFailure("the built-in demo recipe is invalid: \(error)")
        }
    }()
}
