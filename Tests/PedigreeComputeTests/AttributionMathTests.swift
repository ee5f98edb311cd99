import Foundation
import PedigreeCompute
import Testing

/// The joint fit recovers planted combinations exactly when there is no own change, on
/// explicit vectors whose Gram matrix is formed directly.
struct AttributionMathTests {
    /// Random vectors standing for flattened checkpoints.
    static func vector(_ seed: UInt64, count: Int = 4000) -> [Double] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1
        return (0 ..< count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(Int64(bitPattern: state >> 11) % 2_000_001) / 1_000_000 - 1
        }
    }

    static func combine(_ parts: [(Double, [Double])]) -> [Double] {
        var out = [Double](repeating: 0, count: parts[0].1.count)
        for (weight, v) in parts { for i in out.indices { out[i] += weight * v[i] } }
        return out
    }

    static func gram(_ files: [[Double]]) -> (Int, Int) -> Double {
        let n = files.count
        var g = Array(repeating: Array(repeating: 0.0, count: n), count: n)
        for a in 0 ..< n { for b in 0 ..< n { g[a][b] = zip(files[a], files[b]).reduce(0) { $0 + $1.0 * $1.1 } } }
        return { g[$0][$1] }
    }

    let sdxl = Self.vector(1), illDelta = Self.vector(2), ill20Delta = Self.vector(3), noobDelta = Self.vector(4), ponyDelta = Self.vector(5)
    var ill: [Double] { Self.combine([(1, sdxl), (0.3, illDelta)]) }
    var ill20: [Double] { Self.combine([(1, ill), (0.2, ill20Delta)]) }
    var noob: [Double] { Self.combine([(1, ill), (0.2, noobDelta)]) }
    let labels = ["candidate", "sdxl", "ill01", "ill20", "noob"]
    let edges: [(ancestor: String, descendant: String)] = [("sdxl", "ill01"), ("sdxl", "ill20"), ("sdxl", "noob"), ("ill01", "ill20"), ("ill01", "noob")]

    @Test func forestTakesTheNearestComparedAncestor() {
        let forest = CompareForest(labels: labels, edges: edges)
        #expect(forest.parent == [nil, nil, 1, 2, 2])
        #expect(forest.roots == [1])
        #expect(forest.subtree(of: 2) == [2, 3, 4])
        // Without Illustrious 0.1 among the references, NoobAI's nearest is SDXL.
        let thinner = CompareForest(labels: ["c", "sdxl", "noob"], edges: [("sdxl", "noob"), ("ill01", "noob")])
        #expect(thinner.parent == [nil, nil, 1])
    }

    @Test func addDifferenceOntoAnotherBaseIsAttributedToBoth() throws {
        // NoobAI's change added at 0.7 onto Illustrious 2.0.
        let candidate = Self.combine([(1, ill20), (0.7, Self.combine([(1, noob), (-1, ill)]))])
        let solution = try #require(AffineAttribution.solve(
            forest: CompareForest(labels: labels, edges: edges), gram: Self.gram([candidate, sdxl, ill, ill20, noob])))
        #expect(abs(solution.shares[4]! - 0.7) < 1e-6, "noob \(solution.shares[4]!)")
        #expect(abs(solution.shares[3]! - 1) < 1e-6, "ill20 \(solution.shares[3]!)")
        #expect(abs(solution.shares[2]! - 1) < 1e-6, "ill01 \(solution.shares[2]!)")
        #expect(solution.unexplained < 1e-9)
    }

    @Test func weightedSumMergeReadsItsRatio() throws {
        let candidate = Self.combine([(0.75, ill), (0.25, noob)])
        let solution = try #require(AffineAttribution.solve(
            forest: CompareForest(labels: labels, edges: edges), gram: Self.gram([candidate, sdxl, ill, ill20, noob])))
        #expect(abs(solution.shares[4]! - 0.25) < 1e-6)
        #expect(abs(solution.shares[3]!) < 1e-6)
    }

    @Test func twoLinesWithoutACommonRootGiveLineWeights() throws {
        let pony = Self.combine([(1, sdxl), (0.4, ponyDelta)])
        let candidate = Self.combine([(0.3, pony), (0.7, noob)])
        let forest = CompareForest(labels: ["c", "pony", "ill01", "noob"], edges: [("ill01", "noob")])
        #expect(forest.roots == [1, 2])
        let solution = try #require(AffineAttribution.solve(forest: forest, gram: Self.gram([candidate, pony, ill, noob])))
        #expect(abs(solution.shares[1]! - 0.3) < 1e-6, "pony line \(solution.shares[1]!)")
        #expect(abs(solution.shares[2]! - 0.7) < 1e-6, "illustrious line \(solution.shares[2]!)")
        #expect(abs(solution.shares[3]! - 0.7) < 1e-6, "noob \(solution.shares[3]!)")
    }

    @Test func aReferenceIdenticalToItsAncestorHasNoShare() throws {
        // In this group NoobAI did not change anything: its share cannot be identified.
        let candidate = Self.combine([(1, ill), (0.1, Self.vector(9))])
        let solution = try #require(AffineAttribution.solve(
            forest: CompareForest(labels: ["c", "ill01", "noob"], edges: [("ill01", "noob")]), gram: Self.gram([candidate, ill, ill])))
        #expect(solution.shares[2] == nil)
        #expect(solution.shares[1] == 1)
    }

    @Test func ownChangeIsUnexplained() throws {
        let own = Self.vector(11)
        let candidate = Self.combine([(1, ill), (0.3, own)])
        let solution = try #require(AffineAttribution.solve(
            forest: CompareForest(labels: labels, edges: edges), gram: Self.gram([candidate, sdxl, ill, ill20, noob])))
        // The candidate's change from SDXL is 0.3·illDelta + 0.3·own: half of it explained.
        #expect(abs(solution.unexplained - 0.5) < 0.05, "\(solution.unexplained)")
        #expect(abs(solution.shares[4]!) < 0.05)
    }

    @Test func intervalPairEncodesAsAnArrayAndRejectsInvertedBounds() throws {
        let data = try JSONEncoder().encode(IntervalPair(low: 0.1, high: 0.2))
        #expect(String(data: data, encoding: .utf8) == "[0.1,0.2]")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(IntervalPair.self, from: Data("[0.3,0.2]".utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(IntervalPair.self, from: Data("[0.1,0.2,0.3]".utf8)) }
    }
}
