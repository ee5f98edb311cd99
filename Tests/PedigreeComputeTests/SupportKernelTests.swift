import CPedigreeKernels
import PedigreeTestSupport
import Testing

/// The changed-support Gram kernel against a plain double-precision sum: every file count,
/// lengths that are not multiples of the vector width or the block, and non-finite values.
struct SupportKernelTests {
    func naive(_ x: [[Float]], base: Int) -> [Double] {
        let n = x.count
        var acc = [Double](repeating: 0, count: n * (n + 1) / 2)
        for i in x[0].indices where x[0][i] == x[base][i] && x[base][i].isFinite {
            let d = x.map { value -> Double in
                let v = value[i] - x[base][i]
                return v.isFinite ? Double(v) : 0
            }
            var p = 0
            for f in 0 ..< n { for g in f ..< n { acc[p] += d[f] * d[g]; p += 1 } }
        }
        return acc
    }

    @Test(arguments: [2, 3, 5, 8], [1, 7, 1023, 4099])
    func matchesAPlainSum(files: Int, count: Int) {
        var generator = SeededGenerator(seed: UInt64(files * 10_000 + count))
        let base = files - 1
        var x = (0 ..< files).map { _ in (0 ..< count).map { _ in Float.random(in: -2 ... 2, using: &generator) } }
        for i in 0 ..< count where Double.random(in: 0 ..< 1, using: &generator) < 0.4 { x[0][i] = x[base][i] }
        // Hostile values: a NaN base (never equal), an infinite other file (difference 0).
        if count > 5 {
            x[0][3] = .nan; x[base][3] = .nan
            if files > 2 { x[1][5] = .infinity; x[0][5] = x[base][5] }
        }
        var acc = [Double](repeating: 0, count: files * (files + 1) / 2)
        let pointers = x.map { values -> UnsafeMutablePointer<Float> in
            let p = UnsafeMutablePointer<Float>.allocate(capacity: count)
            p.initialize(from: values, count: count)
            return p
        }
        defer { pointers.forEach { $0.deallocate() } }
        let views: [UnsafePointer<Float>?] = pointers.map { UnsafePointer($0) }
        let equal = views.withUnsafeBufferPointer { buffer in
            acc.withUnsafeMutableBufferPointer { out in
                // SAFETY: every buffer holds `count` floats; `out` holds pairs(files) doubles.
                pk_equal_difference_gram(buffer.baseAddress, Int32(files), count, Int32(base), out.baseAddress)
            }
        }
        #expect(equal == pk_count_equal(pointers[0], pointers[base], count))
        #expect(equal == x[0].indices.filter { x[0][$0] == x[base][$0] && x[base][$0].isFinite }.count)
        let expected = naive(x, base: base)
        for p in expected.indices {
            #expect(abs(acc[p] - expected[p]) <= 1e-5 * max(1, abs(expected[p])), "pair \(p): \(acc[p]) vs \(expected[p])")
        }
    }
}
