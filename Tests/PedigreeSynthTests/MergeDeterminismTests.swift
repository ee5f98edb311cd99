import CPedigreeKernels
import Foundation
import Testing
@testable import PedigreeSynth

@Suite("Spectra and merges: determinism") struct MergeDeterminismTests {
    @Test("spectral deltas and every merge give the same bytes whatever the chunk size and worker count", .heavy)
    func sameBytes() throws {
        let first = Fixtures.temporaryFolder(), second = Fixtures.temporaryFolder()
        defer { Fixtures.remove(first); Fixtures.remove(second) }
        let a = try MergeFixtures.write(divisor: 64, dtype: "f16", folder: first)
        let b = try MergeFixtures.write(divisor: 64, dtype: "f16", chunkElements: 1_001, workers: 3, folder: second)
        for model in a.models.map(\.name) {
            #expect(try Fixtures.bytes(a, model) == Fixtures.bytes(b, model), "model \(model) differs")
        }
        // The planted shares (nominal and effective) are sums over tensors formed across workers, so
        // they may differ in the last bits with the worker count; everything else is exact.
        let sharesA = a.models.map { $0.shares ?? [] }, sharesB = b.models.map { $0.shares ?? [] }
        #expect(sharesA.count == sharesB.count)
        for (x, y) in zip(sharesA.joined(), sharesB.joined()) {
            #expect(x.reference == y.reference && x.ancestor == y.ancestor && x.method == y.method)
            let pairs = [(x.whole, y.whole)] + x.components.keys.sorted().map { (x.components[$0]!, y.components[$0] ?? PlantedShare(nominal: .nan, effective: .nan)) }
            for (p, q) in pairs {
                #expect(abs(p.nominal - q.nominal) <= 1e-9 * max(1, abs(p.nominal)), "\(x.reference): \(p.nominal) vs \(q.nominal)")
                #expect(abs(p.effective - q.effective) <= 1e-9 * max(1, abs(p.effective)), "\(x.reference): \(p.effective) vs \(q.effective)")
            }
        }
        #expect(zip(sharesA.joined(), sharesB.joined()).allSatisfy { ($0.blocks?.keys.sorted() ?? []) == ($1.blocks?.keys.sorted() ?? []) })
    }

    @Test("the AVX2 and scalar low-rank paths are bit-identical, and rows do not depend on the split")
    func lowRankPaths() {
        for (rows, cols, rank, first) in [(9, 37, 5, 0), (4, 16, 64, 3), (33, 100, 17, 1_000), (1, 7, 3, 5), (6, 48, 100, 77)] {
            let coefficients = (0 ..< cols).map { Float($0 % 5) * 0.3 + 0.2 }
            var packed = [Float](repeating: 0, count: cols * rank)
            ps_lowrank_pack(&packed, cols, rank, 17, 23, coefficients)
            let s = (0 ..< rank).map { 1 / Float($0 + 1) }
            var vector = [Float](repeating: 0.5, count: rows * cols)
            var scalar = vector
            ps_accumulate_lowrank(&vector, rows, cols, UInt32(first), 5, 6, s, packed, rank)
            ps_accumulate_lowrank_scalar(&scalar, rows, cols, UInt32(first), 5, 6, s, packed, rank)
            #expect(vector.map(\.bitPattern) == scalar.map(\.bitPattern), "rows \(rows) cols \(cols) rank \(rank)")
            // The same rows computed one at a time.
            var split = [Float](repeating: 0.5, count: rows * cols)
            for r in 0 ..< rows {
                split.withUnsafeMutableBufferPointer { buffer in
                    ps_accumulate_lowrank(buffer.baseAddress! + r * cols, 1, cols, UInt32(first + r), 5, 6, s, packed, rank)
                }
            }
            #expect(split.map(\.bitPattern) == vector.map(\.bitPattern))
        }
    }

    @Test("FP8 E4M3 conversion: nearest-even, subnormals, saturation, NaN")
    func fp8Table() {
        let cases: [(Float, UInt8)] = [
            (0, 0x00), (-0.0, 0x80), (1, 0x38), (-2, 0xC0), (448, 0x7E), (-448, 0xFE), (500, 0x7E), (.infinity, 0x7E),
            (0x1p-9, 0x01), (0x1p-10, 0x00), (3 * 0x1p-10, 0x02), (7 * 0x1p-10, 0x04), (0x1p-6, 0x08),
            (1.0625, 0x38), (1.1875, 0x3A), (1.1, 0x39), (240, 0x77), (0.3, 0x2A),
        ]
        for (value, expected) in cases {
            var out: UInt8 = 0
            ps_f32_to_f8e4m3([value], &out, 1)
            #expect(out == expected, "\(value) → \(String(out, radix: 16)), expected \(String(expected, radix: 16))")
        }
        var nan: UInt8 = 0
        ps_f32_to_f8e4m3([.nan], &nan, 1)
        #expect(nan & 0x7F == 0x7F)
    }
}
