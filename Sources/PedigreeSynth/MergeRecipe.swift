import PedigreeFormat

extension SynthRecipe {
    /// The merge methods mergers use, computed element-wise from other models of the recipe
    /// (chunk by chunk, in Float32, on the models' exact values before storage rounding).
    public enum MergeMethod: String, Sendable, Codable, CaseIterable {
        /// Spherical interpolation of two models over each flattened tensor (supermerger, sd-mecha).
        case slerp
        /// TIES: keep each delta's top `density` by magnitude, elect a sign, disjoint mean.
        case ties
        /// DARE: drop delta elements with probability `drop`, rescale by 1/(1−drop);
        /// with `sign_election: true` it is DARE-TIES (elected sign, disjoint mean).
        case dare
        /// Model stock: base + t · mean(deltas), t = k·cosθ / (1 + (k−1)·cosθ) per tensor.
        case modelStock = "model_stock"
        /// Supermerger's per-block weighted sum of two models (BASE, IN00–IN08, M00, OUT00–OUT08).
        case blockWeights = "block_weights"
        /// Each component (unet, clip_l, clip_g, vae, other) taken whole from a named model.
        case transplant
        /// The seed article's evasion: `model` minus the rank-k truncated SVD of
        /// (`reference` − `base`) per 2-D tensor (kohya's LoRA extraction merged at strength −1).
        case unmerge
    }

    /// One input model of a merge and its weight.
    public struct MergeInput: Sendable, Equatable, Codable {
        public var model: String
        public var weight: Double
        public init(model: String, weight: Double) {
            self.model = model
            self.weight = weight
        }
    }

    /// How a merge model is computed. Which fields a method reads is in the README's table;
    /// the loader refuses the keys a method does not read.
    public struct Merge: Sendable, Equatable, Codable {
        public var method: MergeMethod
        /// ties, dare, model_stock: the common ancestor the deltas are taken from.
        public var base: String?
        /// slerp, block_weights: result = (1 − α)·a + α·b (slerp along the arc).
        public var a: String?
        public var b: String?
        /// ties, dare, model_stock: the fine-tunes and their weights.
        public var inputs: [MergeInput]
        /// slerp: the interpolation point; ties/dare: the scale of the merged delta;
        /// block_weights: the weight of the blocks not listed in `blocks`.
        public var alpha: Double
        /// ties: the fraction of each delta kept (by magnitude, per tensor).
        public var density: Double
        /// dare: the drop probability.
        public var drop: Double
        /// dare: elect a sign and take the disjoint mean (DARE-TIES).
        public var signElection: Bool
        /// dare: the seed of the drop mask (default: a hash of the model's name).
        public var seed: UInt64
        /// block_weights: supermerger block label (BASE, IN00…, M00, OUT00…) → α.
        public var blocks: [String: Double]
        /// transplant: component (unet, clip_l, clip_g, vae, other) → model; `from` for the rest.
        public var sources: [String: String]
        public var from: String?
        /// unmerge: the model the LoRA is subtracted from, the reference whose change was
        /// extracted, and the rank at full width (scaled by the width divisor).
        public var model: String?
        public var reference: String?
        public var rank: Int?
        /// unmerge: the strength the extracted LoRA is merged at (−1: the seed article's
        /// un-merge; a positive strength merges a LoRA of the reference's change in).
        public var strength: Double = -1

        public init(method: MergeMethod, base: String? = nil, a: String? = nil, b: String? = nil,
                    inputs: [MergeInput] = [], alpha: Double = 1, density: Double = 1, drop: Double = 0,
                    signElection: Bool = false, seed: UInt64 = 0, blocks: [String: Double] = [:],
                    sources: [String: String] = [:], from: String? = nil) {
            self.method = method
            self.base = base
            self.a = a
            self.b = b
            self.inputs = inputs
            self.alpha = alpha
            self.density = density
            self.drop = drop
            self.signElection = signElection
            self.seed = seed
            self.blocks = blocks
            self.sources = sources
            self.from = from
        }

        /// unmerge: the rank removed at width divisor N, max(1, round(rank / N)) (the rank
        /// keeps its share of the width), never more than the tensor's smaller side.
        public func removedRank(widthDivisor: Int, rows: Int, cols: Int) -> Int {
            let n = Double(max(widthDivisor, 1))
            return max(0, min(rows, cols, max(1, Int((Double(rank ?? 0) / n).rounded()))))
        }

        /// Every model this merge reads.
        public var dependencies: [String] {
            var names = [base, a, b, from, model, reference].compactMap { $0 } + inputs.map(\.model)
            names += PedigreeFormat.Component.allCases.compactMap { sources[$0.rawValue] }
            var seen = Set<String>()
            return names.filter { seen.insert($0).inserted }
        }

        /// The model a transplant takes `component` from.
        public func source(of component: PedigreeFormat.Component) -> String? { sources[component.rawValue] ?? from }
    }

    /// Supermerger's SDXL block labels, in its order: BASE (text encoders and everything
    /// outside the numbered blocks), IN00–IN08, M00, OUT00–OUT08.
    public static let blockLabels: [String] = ["BASE"] + (0 ... 8).map { "IN0\($0)" } + ["M00"]
        + (0 ... 8).map { "OUT0\($0)" }

    /// The supermerger label of a tensor's block, as supermerger maps SDXL keys:
    /// input_blocks.k → INk, middle_block → M00, output_blocks.k → OUTk, the final `out`
    /// layers → OUT08 (after the last output block), everything else (time and label
    /// embeddings, text encoders, VAE) → BASE.
    public static func blockLabel(of tensor: String) -> String {
        let block = BlockNaming.block(of: tensor)
        if block.hasPrefix("unet.input_blocks."), let k = Int(block.dropFirst("unet.input_blocks.".count)) {
            return "IN0\(k)"
        }
        if block.hasPrefix("unet.output_blocks."), let k = Int(block.dropFirst("unet.output_blocks.".count)) {
            return "OUT0\(k)"
        }
        if block == "unet.middle_block" { return "M00" }
        if block == "unet.out" { return "OUT08" }
        return "BASE"
    }
}
