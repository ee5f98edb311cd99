import CPedigreeKernels
import Foundation
import Testing
@testable import PedigreeSynth

@Suite("Determinism") struct DeterminismTests {
    @Test("same recipe twice gives identical bytes, whatever the chunk size and worker count")
    func sameBytes() throws {
        let recipe = try Fixtures.recipe()
        let first = Fixtures.temporaryFolder(), second = Fixtures.temporaryFolder()
        defer { Fixtures.remove(first); Fixtures.remove(second) }
        let a = try SynthFamilyWriter.write(recipe: recipe, outDir: first, widthDivisor: 32, dtype: .f16)
        let b = try SynthFamilyWriter.write(recipe: recipe, outDir: second, widthDivisor: 32, dtype: .f16,
                                            chunkElements: 777, workers: 3)
        for model in ["base", "full", "merge"] {
            let bytesA = try Fixtures.bytes(a, model), bytesB = try Fixtures.bytes(b, model)
            #expect(bytesA.count > 1_000_000)
            #expect(bytesA == bytesB, "model \(model) differs between runs")
        }
        let jsonA = try Data(contentsOf: URL(fileURLWithPath: first).appendingPathComponent("family.json"))
        let jsonB = try Data(contentsOf: URL(fileURLWithPath: second).appendingPathComponent("family.json"))
        #expect(jsonA == jsonB)
    }

    @Test("the listing order of a model's components does not change its bytes")
    func summationOrderIsCanonical() throws {
        let recipe = try Fixtures.recipe(Fixtures.lineageRecipe + "\n  swapped: { sdxl: 1, noob: 0.6 }\n")
        let folder = Fixtures.temporaryFolder()
        defer { Fixtures.remove(folder) }
        let family = try SynthFamilyWriter.write(recipe: recipe, outDir: folder, widthDivisor: 64, dtype: .f32)
        let merge = try Fixtures.bytes(family, "merge"), swapped = try Fixtures.bytes(family, "swapped")
        #expect(merge == swapped)
    }

    @Test("the AVX2 and scalar noise paths are bit-identical")
    func vectorMatchesScalar() {
        for (rows, cols, first) in [(5, 37, 0), (3, 8, 1_000), (2, 2880, 123_456), (7, 1, 9), (1, 23, 4_294_967_200)] {
            let coefficients = (0 ..< cols).map { Float($0 % 7) * 0.37 - 1.1 }
            var vector = [Float](repeating: 0.25, count: rows * cols)
            var scalar = vector
            ps_accumulate_noise(&vector, rows, cols, UInt32(truncatingIfNeeded: first), 0x1234_5678, 0x9abc_def0, coefficients)
            ps_accumulate_noise_scalar(&scalar, rows, cols, UInt32(truncatingIfNeeded: first), 0x1234_5678, 0x9abc_def0, coefficients)
            #expect(vector.map(\.bitPattern) == scalar.map(\.bitPattern), "rows \(rows) cols \(cols)")
        }
    }

    @Test("noise is uniform on (-√3, √3): mean ≈ 0, variance ≈ 1")
    func noiseMoments() {
        let n = 200_000
        var values = [Float](repeating: 0, count: n)
        ps_accumulate_noise(&values, 1, n, 0, 42, 43, [Float](repeating: 1, count: n))
        let mean = values.reduce(0.0) { $0 + Double($1) } / Double(n)
        let variance = values.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(n) - mean * mean
        #expect(abs(mean) < 0.01)
        #expect(abs(variance - 1) < 0.01)
        #expect(values.allSatisfy { abs($0) < 1.7321 })
    }

    @Test("the hand-written exp and log agree with libm to near double precision")
    func deterministicMath() {
        for x in [-3.0, -0.5, 0, 0.1, 1, 2.7, 9] {
            #expect(abs(DeterministicMath.exp(x) - Foundation.exp(x)) <= 2e-15 * Foundation.exp(x))
        }
        for x in [0.25, 0.9, 1, 1.5, 2, 4, 1000] {
            #expect(abs(DeterministicMath.log(x) - Foundation.log(x)) <= 1e-15 * max(1, abs(Foundation.log(x))))
        }
    }
}
