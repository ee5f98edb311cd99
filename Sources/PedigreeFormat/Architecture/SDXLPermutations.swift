/// The hidden-unit permutations that leave an SDXL checkpoint's function unchanged (what
/// sd-mecha's `randperm` and re-basin tools reorder), as data.
///
/// Each line: a kind, the prefix its tensors start with, the anchor's suffix, then the
/// members, each `suffix:axis` or `suffix:axis:part/parts,…`. The stem is the anchor's name
/// without its suffix; a member is the stem plus its suffix, permuted along `axis` (0: rows,
/// 1: columns; a conv's input channels move with their whole kernels) over the whole axis,
/// or over the listed equal parts of it, all by the same permutation. Members on axis 0 with
/// two or more dimensions are what units are matched by; their columns are never permuted
/// by another line, so a reference's rows can be compared with the candidate's directly.
public enum SDXLPermutations {
    public struct Member: Sendable {
        public let suffix: String
        public let axis: Int
        /// The parts of the axis the permutation applies to, and how many parts there are;
        /// nil: the whole axis.
        public let parts: (indices: [Int], count: Int)?
    }

    public struct Rule: Sendable {
        public let kind: String
        public let prefix: String
        public let anchor: String
        public let members: [Member]
    }

    static let table = """
        unet-attention-qk    model.diffusion_model.                             .to_q.weight           .to_q.weight:0 .to_k.weight:0
        unet-attention-vo    model.diffusion_model.                             .to_v.weight           .to_v.weight:0 .to_out.0.weight:1
        unet-feed-forward    model.diffusion_model.                             .ff.net.0.proj.weight  .ff.net.0.proj.weight:0:0/2,1/2 .ff.net.0.proj.bias:0:0/2,1/2 .ff.net.2.weight:1
        unet-resblock        model.diffusion_model.                             .in_layers.2.weight    .in_layers.2.weight:0 .in_layers.2.bias:0 .emb_layers.1.weight:0 .emb_layers.1.bias:0 .out_layers.0.weight:0 .out_layers.0.bias:0 .out_layers.3.weight:1
        unet-time-embedding  model.diffusion_model.time_embed                   .0.weight              .0.weight:0 .0.bias:0 .2.weight:1
        unet-label-embedding model.diffusion_model.label_emb                    .0.0.weight            .0.0.weight:0 .0.0.bias:0 .0.2.weight:1
        clip-l-attention-qk  conditioner.embedders.0.transformer.text_model.    .self_attn.q_proj.weight  .self_attn.q_proj.weight:0 .self_attn.q_proj.bias:0 .self_attn.k_proj.weight:0 .self_attn.k_proj.bias:0
        clip-l-attention-vo  conditioner.embedders.0.transformer.text_model.    .self_attn.v_proj.weight  .self_attn.v_proj.weight:0 .self_attn.v_proj.bias:0 .self_attn.out_proj.weight:1
        clip-l-mlp           conditioner.embedders.0.transformer.text_model.    .mlp.fc1.weight        .mlp.fc1.weight:0 .mlp.fc1.bias:0 .mlp.fc2.weight:1
        clip-g-attention-qk  conditioner.embedders.1.model.transformer.         .attn.in_proj_weight   .attn.in_proj_weight:0:0/3,1/3 .attn.in_proj_bias:0:0/3,1/3
        clip-g-attention-vo  conditioner.embedders.1.model.transformer.         .attn.in_proj_weight   .attn.in_proj_weight:0:2/3 .attn.in_proj_bias:0:2/3 .attn.out_proj.weight:1
        clip-g-mlp           conditioner.embedders.1.model.transformer.         .mlp.c_fc.weight       .mlp.c_fc.weight:0 .mlp.c_fc.bias:0 .mlp.c_proj.weight:1
        """

    public static let rules: [Rule] = table.split(separator: "\n").compactMap { line in
        let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard fields.count >= 4 else { return nil }
        let members = fields.dropFirst(3).compactMap(parseMember)
        guard members.count == fields.count - 3 else { preconditionFailure("SDXLPermutations: malformed line \(line)") }
        return Rule(kind: fields[0], prefix: fields[1], anchor: fields[2], members: members)
    }

    private static func parseMember(_ text: String) -> Member? {
        let parts = text.split(separator: ":").map(String.init)
        guard parts.count == 2 || parts.count == 3, let axis = Int(parts[1]), axis == 0 || axis == 1 else { return nil }
        guard parts.count == 3 else { return Member(suffix: parts[0], axis: axis, parts: nil) }
        var indices: [Int] = []
        var count = 0
        for piece in parts[2].split(separator: ",") {
            let fraction = piece.split(separator: "/").compactMap { Int($0) }
            guard fraction.count == 2, fraction[1] > 0, (0 ..< fraction[1]).contains(fraction[0]), count == 0 || count == fraction[1] else { return nil }
            indices.append(fraction[0])
            count = fraction[1]
        }
        return Member(suffix: parts[0], axis: axis, parts: (indices, count))
    }
}
