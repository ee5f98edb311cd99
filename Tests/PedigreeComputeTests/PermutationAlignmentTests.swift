import PedigreeCompute
import PedigreeFormat
import Testing

/// Re-basin detection and undoing (issue 27) on in-memory SDXL-named tensors: a feed-forward
/// block, an attention's query/key and value/output pairs and a ResBlock's channels (a conv
/// whose input channels move with their whole kernels), permuted the way re-basin tools do.
struct PermutationAlignmentTests {
    struct MemorySource: TensorSource {
        let label: String
        let values: [String: [Float]]
        let shapes: [String: [Int]]
        var path: String { "memory:\(label)" }
        var dtypes: [String: DType] { shapes.mapValues { _ in .f32 } }
        func heldColumns(of name: String) -> [Int]? { nil }
        func bytesPerRow(of name: String) -> Int { 4 * columns(name) }
        func columns(_ name: String) -> Int { shapes[name].map { $0.count <= 1 ? 1 : $0.dropFirst().reduce(1, *) } ?? 0 }
        func readRows(_ name: String, rows: Range<Int>, columns picked: [Int]?, into destination: UnsafeMutableBufferPointer<Float>, scratch: ScratchSpace) throws {
            guard let values = values[name] else { throw SafetensorsError.notFound(path: path, name: name) }
            let width = columns(name)
            let wanted = picked ?? Array(0 ..< width)
            for (i, row) in rows.enumerated() { for (j, column) in wanted.enumerated() { destination[i * wanted.count + j] = values[row * width + column] } }
        }
    }

    static let ff = "model.diffusion_model.input_blocks.4.1.transformer_blocks.0"
    static let res = "model.diffusion_model.input_blocks.4.0"
    static let shapes: [String: [Int]] = [
        "\(ff).ff.net.0.proj.weight": [32, 12], "\(ff).ff.net.0.proj.bias": [32], "\(ff).ff.net.2.weight": [12, 16],
        "\(ff).attn1.to_q.weight": [12, 12], "\(ff).attn1.to_k.weight": [12, 12], "\(ff).attn1.to_v.weight": [12, 12], "\(ff).attn1.to_out.0.weight": [12, 12],
        "\(res).in_layers.2.weight": [8, 4, 3, 3], "\(res).in_layers.2.bias": [8], "\(res).emb_layers.1.weight": [8, 10], "\(res).emb_layers.1.bias": [8],
        "\(res).out_layers.0.weight": [8], "\(res).out_layers.0.bias": [8], "\(res).out_layers.3.weight": [8, 8, 3, 3],
    ]

    /// A deterministic generator (splitmix64), values in [-1, 1).
    struct Noise {
        var state: UInt64
        mutating func next() -> Float {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Float(z >> 40) / Float(1 << 23) - 1
        }
        mutating func permutation(_ n: Int) -> [Int] {
            var p = Array(0 ..< n)
            for i in stride(from: n - 1, to: 0, by: -1) { p.swapAt(i, Int((next() + 1) / 2 * Float(i + 1)) % (i + 1)) }
            return p
        }
    }

    static func random(seed: UInt64, scale: Float = 1) -> [String: [Float]] {
        var noise = Noise(state: seed)
        return shapes.mapValues { shape in (0 ..< shape.reduce(1, *)).map { _ in scale * noise.next() } }
    }

    static let base = random(seed: 1)
    /// A fine-tune: the base plus a change a tenth its size.
    static let tuned = base.merging(random(seed: 2, scale: 0.1)) { a, b in zip(a, b).map(+) }

    /// `values` with units reordered: new unit j is old unit p[j], along `axis` of `name`
    /// over the window at `offset` (`per` columns a unit on axis 1).
    static func permute(_ values: inout [String: [Float]], _ name: String, axis: Int, p: [Int], offset: Int = 0, per: Int = 1) {
        let shape = shapes[name]!
        let width = shape.count <= 1 ? 1 : shape.dropFirst().reduce(1, *)
        let old = values[name]!
        var new = old
        for r in 0 ..< shape[0] {
            for c in 0 ..< width {
                var (sr, sc) = (r, c)
                if axis == 0, r >= offset, r < offset + p.count { sr = offset + p[r - offset] }
                if axis == 1, c / per >= offset, c / per < offset + p.count { sc = (offset + p[c / per - offset]) * per + c % per }
                new[r * width + c] = old[sr * width + sc]
            }
        }
        values[name] = new
    }

    static let permuted: [String: [Float]] = {
        var noise = Noise(state: 99)
        var v = tuned
        let units = noise.permutation(16)
        for offset in [0, 16] {
            permute(&v, "\(ff).ff.net.0.proj.weight", axis: 0, p: units, offset: offset)
            permute(&v, "\(ff).ff.net.0.proj.bias", axis: 0, p: units, offset: offset)
        }
        permute(&v, "\(ff).ff.net.2.weight", axis: 1, p: units)
        let qk = noise.permutation(12), vo = noise.permutation(12)
        permute(&v, "\(ff).attn1.to_q.weight", axis: 0, p: qk)
        permute(&v, "\(ff).attn1.to_k.weight", axis: 0, p: qk)
        permute(&v, "\(ff).attn1.to_v.weight", axis: 0, p: vo)
        permute(&v, "\(ff).attn1.to_out.0.weight", axis: 1, p: vo)
        let channels = noise.permutation(8)
        for name in ["in_layers.2.weight", "in_layers.2.bias", "emb_layers.1.weight", "emb_layers.1.bias", "out_layers.0.weight", "out_layers.0.bias"] {
            permute(&v, "\(res).\(name)", axis: 0, p: channels)
        }
        permute(&v, "\(res).out_layers.3.weight", axis: 1, p: channels, per: 9)
        return v
    }()

    func read(_ source: any TensorSource, _ name: String, columns: [Int]? = nil) throws -> [Float] {
        let shape = try #require(source.shapes[name])
        let width = columns?.count ?? (shape.count <= 1 ? 1 : shape.dropFirst().reduce(1, *))
        var out = [Float](repeating: .nan, count: shape[0] * width)
        try out.withUnsafeMutableBufferPointer { try source.readRows(name, rows: 0 ..< shape[0], columns: columns, into: $0, scratch: ScratchSpace()) }
        return out
    }

    @Test("a permuted fine-tune is found, every group named, and read back exactly as it was")
    func permutedUnitsAreFoundAndUndone() throws {
        let reference = MemorySource(label: "base", values: Self.base, shapes: Self.shapes)
        let candidate = MemorySource(label: "candidate", values: Self.permuted, shapes: Self.shapes)
        let (aligned, report) = try #require(try PermutationAlignment.align(candidate: candidate, references: [reference]))
        #expect(report.reference == "base")
        #expect(report.axes.map(\.kind) == ["unet-attention-qk", "unet-attention-vo", "unet-feed-forward", "unet-resblock"])
        #expect(report.permutedGroups == 4)
        #expect(report.cosineBefore < 0.5 && report.cosineAfter > 0.9)
        for name in Self.shapes.keys.sorted() {
            #expect(try read(aligned, name) == Self.tuned[name], "\(name)")
        }
        // A subset of columns, as fingerprint comparisons read them: the conv's kernels move whole.
        let conv = "\(Self.res).out_layers.3.weight"
        let picked = [0, 5, 17, 40, 71]
        let expected = try read(MemorySource(label: "tuned", values: Self.tuned, shapes: Self.shapes), conv, columns: picked)
        #expect(try read(aligned, conv, columns: picked) == expected)
    }

    @Test("an untransformed fine-tune is compared as it is")
    func anOrderedCandidateIsLeftAlone() throws {
        let reference = MemorySource(label: "base", values: Self.base, shapes: Self.shapes)
        #expect(try PermutationAlignment.align(candidate: MemorySource(label: "c", values: Self.tuned, shapes: Self.shapes), references: [reference]) == nil)
    }

    @Test("a model unrelated to the reference is not taken for a re-basin of it")
    func anUnrelatedModelIsNoPermutation() throws {
        let reference = MemorySource(label: "base", values: Self.base, shapes: Self.shapes)
        let unrelated = MemorySource(label: "c", values: Self.random(seed: 7), shapes: Self.shapes)
        #expect(try PermutationAlignment.align(candidate: unrelated, references: [reference]) == nil)
        // Nor is a model of zeros (a pruned or hostile file): no division by a zero norm.
        let zeros = MemorySource(label: "z", values: Self.shapes.mapValues { [Float](repeating: 0, count: $0.reduce(1, *)) }, shapes: Self.shapes)
        #expect(try PermutationAlignment.align(candidate: zeros, references: [reference]) == nil)
    }

    @Test("the rules cover SDXL's blocks at full shape")
    func theRulesExpandOverSDXL() {
        let counts = Dictionary(grouping: PermutationAlignment.groupKinds(shapes: SDXLLayout.shapeByName), by: { $0 }).mapValues(\.count)
        #expect(counts["unet-feed-forward"] == 70)
        #expect(counts["unet-attention-qk"] == 140)
        #expect(counts["unet-resblock"] == 17)
        #expect(counts["clip-l-mlp"] == 12)
        #expect(counts["clip-g-attention-vo"] == 32)
        #expect(counts["unet-time-embedding"] == 1 && counts["unet-label-embedding"] == 1)
    }
}
