/// Where each tensor of SDXL's original (SGM) layout lives in a Hugging Face diffusers
/// folder, and how it is stored there. The correspondence is the one diffusers'
/// `convert_diffusers_to_original_sdxl.py` and sd-mecha's SDXL configs use (the UNet's
/// blocks renumbered, OpenCLIP's names turned into CLIP's); the tests check it against
/// sd-mecha's own key functions.
public enum DiffusersNames {
    /// The folder a tensor is read from.
    public enum Component: String, Sendable, CaseIterable {
        case unet, textEncoder = "text_encoder", textEncoder2 = "text_encoder_2"

        /// The weights file's base name inside the component folder.
        public var weightsName: String { self == .unet ? "diffusion_pytorch_model" : "model" }
    }

    /// How the original tensor is made from the stored ones.
    public enum Storage: Sendable, Equatable {
        /// One stored tensor, as is.
        case stored(String)
        /// Stored tensors stacked along the first dimension (OpenCLIP's `in_proj` from CLIP's q, k, v).
        case stacked([String])
        /// One stored 2-D tensor, transposed (OpenCLIP's `text_projection` is `x @ W`, CLIP's a Linear).
        case transposed(String)
    }

    /// The component and storage of original-layout tensor `name`; nil for tensors a
    /// diffusers folder does not hold (the VAE, which the metric leaves out, and
    /// OpenCLIP's `logit_scale`, which CLIP's text model does not have).
    public static func location(of name: String) -> (Component, Storage)? {
        if let rest = name.dropPrefix("model.diffusion_model.") {
            return unetName(rest).map { (.unet, .stored($0)) }
        }
        if let rest = name.dropPrefix("conditioner.embedders.0.transformer.") {
            return (.textEncoder, .stored(rest))
        }
        if let rest = name.dropPrefix("conditioner.embedders.1.model.") {
            return openCLIP(rest).map { (.textEncoder2, $0) }
        }
        return nil
    }

    // MARK: - UNet

    /// The UNet's block prefixes, original → diffusers. SDXL has three down blocks (two
    /// resnets each; attention in the last two; a downsampler after the first two), a
    /// middle block, and three up blocks (three resnets each; attention in the first two;
    /// an upsampler after the first two).
    static let blockPrefixes: [(original: String, diffusers: String)] = {
        var table: [(String, String)] = []
        for i in 0 ..< 3 {
            for j in 0 ..< 2 {
                table.append(("input_blocks.\(3 * i + j + 1).0.", "down_blocks.\(i).resnets.\(j)."))
                if i > 0 { table.append(("input_blocks.\(3 * i + j + 1).1.", "down_blocks.\(i).attentions.\(j).")) }
            }
            if i < 2 { table.append(("input_blocks.\(3 * (i + 1)).0.op.", "down_blocks.\(i).downsamplers.0.conv.")) }
            for j in 0 ..< 3 {
                table.append(("output_blocks.\(3 * i + j).0.", "up_blocks.\(i).resnets.\(j)."))
                if i < 2 { table.append(("output_blocks.\(3 * i + j).1.", "up_blocks.\(i).attentions.\(j).")) }
            }
            if i < 2 { table.append(("output_blocks.\(3 * i + 2).2.", "up_blocks.\(i).upsamplers.0.")) }
        }
        table += [("middle_block.0.", "mid_block.resnets.0."), ("middle_block.1.", "mid_block.attentions.0."),
                  ("middle_block.2.", "mid_block.resnets.1.")]
        return table
    }()

    /// Names inside a resnet, original → diffusers.
    static let resnetParts: [(String, String)] = [
        ("in_layers.0.", "norm1."), ("in_layers.2.", "conv1."), ("out_layers.0.", "norm2."),
        ("out_layers.3.", "conv2."), ("emb_layers.1.", "time_emb_proj."), ("skip_connection.", "conv_shortcut."),
    ]

    /// Tensors outside the blocks.
    static let unetSingles: [String: String] = [
        "time_embed.0.weight": "time_embedding.linear_1.weight", "time_embed.0.bias": "time_embedding.linear_1.bias",
        "time_embed.2.weight": "time_embedding.linear_2.weight", "time_embed.2.bias": "time_embedding.linear_2.bias",
        "input_blocks.0.0.weight": "conv_in.weight", "input_blocks.0.0.bias": "conv_in.bias",
        "out.0.weight": "conv_norm_out.weight", "out.0.bias": "conv_norm_out.bias",
        "out.2.weight": "conv_out.weight", "out.2.bias": "conv_out.bias",
        "label_emb.0.0.weight": "add_embedding.linear_1.weight", "label_emb.0.0.bias": "add_embedding.linear_1.bias",
        "label_emb.0.2.weight": "add_embedding.linear_2.weight", "label_emb.0.2.bias": "add_embedding.linear_2.bias",
    ]

    static func unetName(_ name: String) -> String? {
        if let single = unetSingles[name] { return single }
        guard let (original, diffusers) = blockPrefixes.first(where: { name.hasPrefix($0.original) }) else { return nil }
        var rest = String(name.dropFirst(original.count))
        if diffusers.contains(".resnets."), let (from, to) = resnetParts.first(where: { rest.hasPrefix($0.0) }) {
            rest = to + rest.dropFirst(from.count)
        }
        return diffusers + rest
    }

    // MARK: - OpenCLIP ViT-bigG as CLIPTextModelWithProjection

    static func openCLIP(_ name: String) -> Storage? {
        switch name {
        case "token_embedding.weight": return .stored("text_model.embeddings.token_embedding.weight")
        case "positional_embedding": return .stored("text_model.embeddings.position_embedding.weight")
        case "ln_final.weight": return .stored("text_model.final_layer_norm.weight")
        case "ln_final.bias": return .stored("text_model.final_layer_norm.bias")
        case "text_projection": return .transposed("text_projection.weight")
        default: break
        }
        guard let rest = name.dropPrefix("transformer.resblocks."), let dot = rest.firstIndex(of: ".") else { return nil }
        let layer = "text_model.encoder.layers.\(rest[..<dot])."
        let part = String(rest[rest.index(after: dot)...])
        let parts: [String: String] = [
            "ln_1.weight": "layer_norm1.weight", "ln_1.bias": "layer_norm1.bias",
            "ln_2.weight": "layer_norm2.weight", "ln_2.bias": "layer_norm2.bias",
            "attn.out_proj.weight": "self_attn.out_proj.weight", "attn.out_proj.bias": "self_attn.out_proj.bias",
            "mlp.c_fc.weight": "mlp.fc1.weight", "mlp.c_fc.bias": "mlp.fc1.bias",
            "mlp.c_proj.weight": "mlp.fc2.weight", "mlp.c_proj.bias": "mlp.fc2.bias",
        ]
        if let mapped = parts[part] { return .stored(layer + mapped) }
        if part == "attn.in_proj_weight" || part == "attn.in_proj_bias" {
            let kind = part.hasSuffix("weight") ? "weight" : "bias"
            return .stacked(["q", "k", "v"].map { layer + "self_attn.\($0)_proj.\(kind)" })
        }
        return nil
    }
}

extension String {
    func dropPrefix(_ prefix: String) -> String? { hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil }
}
