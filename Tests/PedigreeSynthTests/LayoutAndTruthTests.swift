import Foundation
import PedigreeFormat
import Testing
@testable import PedigreeSynth

@Suite("Layout and planted truth") struct LayoutAndTruthTests {
    @Test("names and shapes are SDXL's, scaled; the dtype is honoured; files read back", arguments: [DType.bf16, .f32])
    func layout(dtype: DType) throws {
        let recipe = try Fixtures.recipe("components: { b: { kind: base } }\nmodels: { only: { b: 1 } }\n")
        let folder = Fixtures.temporaryFolder()
        defer { Fixtures.remove(folder) }
        let family = try SynthFamilyWriter.write(recipe: recipe, outDir: folder, widthDivisor: 64, dtype: dtype)
        let file = try SafetensorsFile(path: try #require(family.path(of: "only")))
        #expect(file.header.tensors.map(\.name) == SDXLLayout.tensors.map(\.name))
        #expect(file.header.tensors.map(\.shape) == SDXLLayout.tensors.map { SDXLLayout.scaledShape($0.shape, widthDivisor: 64) })
        #expect(file.header.tensors.allSatisfy { $0.dtype == dtype })
        let sample = try #require(file.header.tensor(named: "model.diffusion_model.out.2.weight"))
        let values = try file.readFloat32(sample)
        #expect(values.allSatisfy { $0.isFinite })
        #expect(values.contains { $0 != 0 })
        #expect(family.model(named: "only")?.bytes == Int(file.fileSize))
    }

    @Test("a model that is base + 0.6·delta equals 0.4·(base) + 0.6·(base + delta), tensor by tensor")
    func plantedLinearCombination() throws {
        let folder = Fixtures.temporaryFolder()
        defer { Fixtures.remove(folder) }
        let family = try SynthFamilyWriter.write(recipe: try Fixtures.recipe(), outDir: folder, widthDivisor: 32, dtype: .f32)
        let base = try SafetensorsFile(path: try #require(family.path(of: "base")))
        let full = try SafetensorsFile(path: try #require(family.path(of: "full")))
        let merge = try SafetensorsFile(path: try #require(family.path(of: "merge")))
        var worst: Float = 0
        for tensor in merge.header.tensors {
            let m = try merge.readFloat32(tensor)
            let b = try base.readFloat32(tensor)
            let f = try full.readFloat32(tensor)
            for i in m.indices {
                let expected = 0.4 * b[i] + 0.6 * f[i]
                worst = max(worst, abs(m[i] - expected) / max(abs(expected), 1e-3))
            }
        }
        // Float32 rounding of three sums; a wrong weight would be off by percent.
        #expect(worst < 1e-4)
        #expect(family.model(named: "merge")?.weights == ["sdxl": 1, "noob": 0.6])
    }

    @Test("columns vary in magnitude within a tensor by far more than 2×")
    func columnMagnitudes() throws {
        let folder = Fixtures.temporaryFolder()
        defer { Fixtures.remove(folder) }
        let recipe = try Fixtures.recipe("components: { b: { kind: base } }\nmodels: { only: { b: 1 } }\n")
        let family = try SynthFamilyWriter.write(recipe: recipe, outDir: folder, widthDivisor: 16, dtype: .f16)
        let file = try SafetensorsFile(path: try #require(family.path(of: "only")))
        let tensor = try #require(file.header.tensor(named: "model.diffusion_model.middle_block.1.proj_in.weight"))
        let values = try file.readFloat32(tensor)
        let (rows, cols) = (tensor.rows, tensor.columns)
        let norms = (0 ..< cols).map { j in (0 ..< rows).reduce(Float(0)) { $0 + values[$1 * cols + j] * values[$1 * cols + j] }.squareRoot() }
        let low = try #require(norms.min()), high = try #require(norms.max())
        #expect(high / low > 2, "column norms range \(low)…\(high)")
    }

    @Test("a delta's profile makes it stronger in the UNet middle block than in CLIP-L")
    func profile() throws {
        let noob = try #require(try Fixtures.recipe().component(named: "noob"))
        let field = SynthField(recipeSeed: 7, component: noob)
        #expect(field.profileFactor(block: "unet.middle_block") == 1.5)
        #expect(field.profileFactor(block: "clip_l.layers.3") == 0.5)
        #expect(field.profileFactor(block: "unet.input_blocks.4") == 1)
    }

    @Test("family.json records the truth and loads back")
    func familyJSON() throws {
        let folder = Fixtures.temporaryFolder()
        defer { Fixtures.remove(folder) }
        let written = try SynthFamilyWriter.write(recipe: .demoFamily, outDir: folder, widthDivisor: 64, dtype: .f16)
        let loaded = try SynthFamily.load(directory: folder)
        #expect(loaded == written)
        #expect(loaded.references == ["sdxl-base-1.0", "illustrious-xl-v0.1", "illustrious-xl-v2.0", "noobai-xl-eps-1.0"])
        let merge = try #require(loaded.model(named: "candidate-noob-merge"))
        #expect(merge.parent == "noobai-xl-eps-1.0")
        #expect(merge.claimed == "illustrious-xl-v0.1")
        #expect(merge.weights["noob"] == 0.6)
        #expect(loaded.model(named: "candidate-far-off")?.parent == nil)
    }

    @Test("the built-in demo family is the shipped Scripts/recipes/demo-family.yaml")
    func demoFamilyMatchesScript() throws {
        let path = Fixtures.repositoryRoot.appendingPathComponent("Scripts/recipes/demo-family.yaml").path
        #expect(try RecipeLoader.load(path: path) == SynthRecipe.demoFamily)
        #expect(SynthRecipe.demoFamily.models.map(\.name) == [
            "sdxl-base-1.0", "illustrious-xl-v0.1", "illustrious-xl-v2.0", "noobai-xl-eps-1.0",
            "candidate-noob-merge", "candidate-illustrious-finetune", "candidate-far-off", "candidate-similar-data",
        ])
    }
}
