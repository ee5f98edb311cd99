import PedigreeCompute
import PedigreeSupport
import PropertyBased
import Testing

/// The column-sampling plan, by property (in bounds, sorted, distinct, as many as counted,
/// for any shape) and by golden values: fingerprints made by different Pedigree versions
/// must hold the same columns, so any change to the selection must bump
/// `ColumnSampling.version` (which refuses old fingerprints) and update these values.
@Suite("Properties: column sampling")
struct SamplingPropertyTests {
    /// Shapes a file could hold: dimensions up to 4096, but at most `maxElements` elements
    /// (trailing dimensions are cut to fit). The plan allocates one index per kept column, and
    /// in Pedigree every shape it is given comes from a header whose sizes were checked
    /// against the file; unbounded shapes here once grew this test to 7 GB.
    static let maxElements = 1 << 22
    static let shape = Gen.int(in: 0 ... 4096).array(of: 1 ... 4).map(Self.fitting)

    static func fitting(_ dims: [Int]) -> [Int] {
        var kept: [Int] = [], elements = 1
        for dim in dims {
            let next = elements * max(dim, 1)
            if next > maxElements { kept.append(max(0, min(dim, maxElements / elements))); break }
            kept.append(dim)
            elements = next
        }
        return kept
    }

    @Test func generatedShapesStayWithinTheBound() async {
        #expect(Self.fitting([4096, 4096, 4096]) == [4096, 1024])
        #expect(Self.fitting([0, 4096, 4096, 4096]) == [0, 4096, 1024])
        await propertyCheck(count: 500, input: Self.shape) { shape in
            #expect(shape.reduce(1) { $0 * max($1, 1) } <= Self.maxElements, "\(shape)")
        }
    }

    @Test func everyPlannedColumnIsInBoundsSortedAndDistinct() async {
        await propertyCheck(count: 400, input: Self.shape.array(of: 1 ... 6), Gen.int(in: 1 ... 1000), Gen.uint64(in: 0 ... UInt64.max)) { shapes, ratePermille, seed in
            let tensors = shapes.enumerated().map { ColumnSampling.TensorShape(name: "t\($0.offset)", shape: $0.element) }
            let rate = Double(ratePermille) / 1000
            let counts = ColumnSampling.counts(for: tensors, rate: rate)
            let plan = ColumnSampling.plan(for: tensors, rate: rate, seed: seed)
            for tensor in tensors {
                let columns = plan[tensor.name] ?? []
                #expect(columns.count == counts[tensor.name], "\(tensor.shape)")
                #expect(columns.allSatisfy { $0 >= 0 && $0 < tensor.columns }, "\(tensor.shape): out of bounds")
                #expect(zip(columns, columns.dropFirst()).allSatisfy { $0 < $1 }, "\(tensor.shape): not sorted and distinct")
                if tensor.rows > 0 && tensor.columns > 0 {
                    #expect(columns.count >= min(tensor.columns, ColumnSampling.minimumColumns))
                }
            }
        }
    }

    @Test func samplingIsDeterministicAndSeedDependent() async {
        await propertyCheck(count: 200, input: Gen.int(in: 100 ... 100_000), Gen.uint64(in: 0 ... UInt64.max)) { columns, seed in
            let a = ColumnSampling.columns(name: "x", columns: columns, count: 40, seed: seed)
            #expect(a == ColumnSampling.columns(name: "x", columns: columns, count: 40, seed: seed))
            #expect(a != ColumnSampling.columns(name: "x", columns: columns, count: 40, seed: seed &+ 1))
        }
    }

    /// FNV-1a of the plan's column indices, tensor by tensor in name order.
    static func digest(_ plan: [String: [Int]]) -> UInt64 {
        FNV1a.hash(plan.keys.sorted().map { "\($0):" + (plan[$0] ?? []).map(String.init).joined(separator: ",") }.joined(separator: ";"))
    }

    /// SDXL-like shapes: a conv, an attention projection, a norm, an embedding, the VAE.
    static let golden: [ColumnSampling.TensorShape] = [
        .init(name: "model.diffusion_model.input_blocks.0.0.weight", shape: [320, 4, 3, 3]),
        .init(name: "model.diffusion_model.middle_block.1.transformer_blocks.0.attn1.to_q.weight", shape: [1280, 1280]),
        .init(name: "model.diffusion_model.out.0.weight", shape: [320]),
        .init(name: "conditioner.embedders.1.model.token_embedding.weight", shape: [49408, 1280]),
        .init(name: "first_stage_model.decoder.up.3.block.0.conv1.weight", shape: [128, 128, 3, 3]),
    ]

    @Test func goldenValuesForColumnsV2() {
        #expect(ColumnSampling.version == "columns-v2", "a new version needs new golden values below")
        let counts = ColumnSampling.counts(for: Self.golden, rate: ColumnSampling.defaultRate)
        #expect(Self.golden.map { counts[$0.name] ?? -1 } == [36, 11, 1, 8, 30])
        let plan = ColumnSampling.plan(for: Self.golden, rate: ColumnSampling.defaultRate, seed: ColumnSampling.defaultSeed)
        #expect(plan["model.diffusion_model.middle_block.1.transformer_blocks.0.attn1.to_q.weight"]?.prefix(6).map { $0 } == [161, 170, 303, 618, 627, 701])
        #expect(Self.digest(plan) == 2_230_229_303_881_749_106)
        #expect(Self.digest(ColumnSampling.plan(for: Self.golden, rate: 0.05, seed: 42)) == 14_275_340_889_802_803_609)
    }
}
