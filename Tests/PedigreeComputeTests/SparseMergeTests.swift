import PedigreeCompute
import PedigreeFormat
import PedigreeTestSupport
import Testing

/// Sparsifying merges through the whole engine: TIES keeps the largest changes at full
/// strength and leaves the rest equal to the base (support estimator), DARE drops at random
/// and rescales (dense estimator), block merges show up in their blocks.
struct SparseMergeTests {
    let base = SyntheticFiles.component(seed: 21)
    let towardsA = SyntheticFiles.component(seed: 22)
    let towardsD = SyntheticFiles.component(seed: 23)

    /// Element-wise merge of D's change into A: `keep(t, i, change)` says which elements keep
    /// their change, scaled by `factor`.
    func merged(alpha: Float, factor: Float = 1, keep: (Int, Int, Float, Float) -> Bool) -> [[Float]] {
        let a = zip(base, towardsA).map { zip($0, $1).map { $0 + 0.3 * $1 } }
        let thresholds = a.indices.map(thresholdOf)
        return a.indices.map { t in
            a[t].indices.map { i in
                let change = 0.3 * towardsD[t][i]
                return keep(t, i, change, thresholds[t]) ? a[t][i] + alpha * factor * change : a[t][i]
            }
        }
    }

    /// The 80th percentile of |D − A| in tensor t: TIES at density 0.2.
    func thresholdOf(_ t: Int) -> Float {
        let sorted = towardsD[t].map { abs(0.3 * $0) }.sorted()
        return sorted[Int(Double(sorted.count) * 0.8)]
    }

    func attribution(of values: [[Float]]) throws -> AttributionFigures {
        let dir = try TemporaryDirectory()
        try SyntheticFiles.write([(1, base), (0.3, towardsA)], to: dir.file("a.safetensors"))
        try SyntheticFiles.write([(1, base), (0.3, towardsA), (0.3, towardsD)], to: dir.file("d.safetensors"))
        try SyntheticFiles.write([(1, base)], to: dir.file("root.safetensors"))
        try SyntheticFiles.write([(1, values)], to: dir.file("c.safetensors"))
        let result = try Comparison.run(
            ComparisonRequest(candidate: dir.file("c.safetensors"),
                              references: [.init(id: "root", path: dir.file("root.safetensors")),
                                           .init(id: "a", path: dir.file("a.safetensors")), .init(id: "d", path: dir.file("d.safetensors"))],
                              edges: [("root", "a"), ("root", "d"), ("a", "d")], identifyFiles: false),
            hashCache: nil, baselineCache: nil)
        return try #require(result.attribution)
    }

    @Test func tiesKeepsTheTopOfTheChangeAndIsMeasuredOnItsSupport() throws {
        let figures = try attribution(of: merged(alpha: 0.5) { _, _, change, threshold in abs(change) >= threshold })
        let d = try #require(figures.reference("d"))
        #expect(figures.support?.base == "a")
        #expect(abs((figures.support?.unchangedFraction ?? 0) - 0.8) < 0.02)
        #expect(d.estimator == .support)
        #expect(abs(d.share! - 0.5) < 0.02, "support share \(d.share!)")
        // The whole-model projection understates it: the top 20% of a roughly normal change
        // holds well under all of its energy.
        #expect(d.denseShare! < 0.45, "dense \(d.denseShare!)")
    }

    @Test func dareDropsAtRandomAndRescalesSoTheDenseShareIsRight() throws {
        var generator = SeededGenerator(seed: 99)
        let keep = base.map { $0.map { _ in Double.random(in: 0 ..< 1, using: &generator) < 0.1 } }
        let figures = try attribution(of: merged(alpha: 0.6, factor: 10) { t, i, _, _ in keep[t][i] })
        let d = try #require(figures.reference("d"))
        #expect(figures.support?.base == "a")
        #expect(d.estimator == .dense)
        #expect(abs(d.share! - 0.6) < 0.1, "dense share \(d.share!)")
    }

    @Test func aBlockMergeClearsInItsBlockButNotEverywhere() throws {
        // D's change only in the middle block (tensor 1) at full strength.
        let figures = try attribution(of: merged(alpha: 1) { t, _, _, _ in t == 1 })
        let d = try #require(figures.reference("d"))
        let middle = try #require(d.blocks.first { $0.name == "unet.middle_block" })
        #expect(abs(middle.share! - 1) < 1e-3)
        let output = try #require(d.blocks.first { $0.name == "unet.output_blocks.3" })
        #expect(abs(output.share!) < 1e-3)
        // The other tensors equal A whole: copied, not sparsified, so the whole model is
        // read densely and its share is the copied block's part of D's change.
        #expect(figures.support == nil)
        #expect(d.estimator == .dense)
        #expect(abs(d.share! - energyFraction(of: [1])) < 0.03, "whole \(d.share!) vs \(energyFraction(of: [1]))")
    }

    @Test func aBlockCopiedFromTheDescendantIsNotMistakenForASparseMerge() throws {
        // The candidate equals D exactly in the middle block and is A plus its own change
        // elsewhere (supermerger's block merge of D into a fine-tune of A). Its equality with
        // D must not make D the support base: that would drop the very block D is in.
        let own = SyntheticFiles.component(seed: 25)
        let d = zip(zip(base, towardsA), towardsD).map { pair, x in zip(zip(pair.0, pair.1), x).map { $0.0 + 0.3 * $0.1 + 0.3 * $1 } }
        let elsewhere = zip(zip(base, towardsA), own).map { pair, o in zip(zip(pair.0, pair.1), o).map { $0.0 + 0.3 * $0.1 + 0.1 * $1 } }
        let values = base.indices.map { $0 == 1 ? d[$0] : elsewhere[$0] }
        let figures = try attribution(of: values)
        #expect(figures.support == nil)
        let reference = try #require(figures.reference("d"))
        #expect(abs(try #require(reference.blocks.first { $0.name == "unet.middle_block" }?.share) - 1) < 1e-3)
        let unet = try #require(reference.components.first { $0.name == "unet" }?.share)
        #expect(abs(unet - energyFraction(of: [1], among: [0, 1, 2, 3])) < 0.05, "unet \(unet)")
        #expect(abs(reference.share! - energyFraction(of: [1])) < 0.05, "whole \(reference.share!)")
    }

    /// The part of D's change (‖0.3·towardsD‖²) in `tensors`, out of `among` (default all).
    func energyFraction(of tensors: [Int], among: [Int]? = nil) -> Double {
        func energy(_ t: Int) -> Double { towardsD[t].reduce(0) { $0 + Double($1) * Double($1) } }
        return tensors.map(energy).reduce(0, +) / (among ?? Array(towardsD.indices)).map(energy).reduce(0, +)
    }

    @Test func aPlainFineTuneHasNoSupportBase() throws {
        let own = SyntheticFiles.component(seed: 24)
        let values = zip(zip(base, towardsA), own).map { pair, o in zip(zip(pair.0, pair.1), o).map { $0.0 + 0.3 * $0.1 + 0.1 * $1 } }
        let figures = try attribution(of: values)
        #expect(figures.support == nil)
        #expect(abs(figures.reference("d")!.share!) < 0.1)
    }
}
