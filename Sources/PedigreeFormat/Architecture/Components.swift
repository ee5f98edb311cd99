/// Where a tensor belongs in a Stable Diffusion checkpoint: its component (UNet, text
/// encoders, VAE) and its block, the unit per-block similarity is reported in.
public enum Component: String, Sendable, Codable, CaseIterable, Comparable {
    case unet, clipL = "clip_l", clipG = "clip_g", vae, other

    public var displayName: String {
        switch self {
        case .unet: "UNet"
        case .clipL: "CLIP-L"
        case .clipG: "OpenCLIP-G"
        case .vae: "VAE"
        case .other: "other"
        }
    }

    public static func < (a: Component, b: Component) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// The component of a tensor in the SGM single-file layout (SDXL, SD 1.x and 2.x).
    public static func of(_ name: String) -> Component {
        if name.hasPrefix("model.diffusion_model.") { return .unet }
        if name.hasPrefix("conditioner.embedders.0.") || name.hasPrefix("cond_stage_model.transformer.") { return .clipL }
        if name.hasPrefix("conditioner.embedders.1.") || name.hasPrefix("cond_stage_model.model.") { return .clipG }
        if name.hasPrefix("first_stage_model.") { return .vae }
        return .other
    }
}

/// Block names follow the groupings merge tools use for SDXL (ComfyUI's ModelMergeSDXL,
/// supermerger's IN/M/OUT): `unet.input_blocks.4`, `unet.middle_block`, `clip_l.layers.11`,
/// `clip_g.layers.31`, plus embeddings and heads. The seed article's author asked to look at
/// "UNET and blocks closer to MID"; these are those blocks.
public enum BlockNaming {
    public static func block(of name: String) -> String {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        switch Component.of(name) {
        case .unet:
            guard parts.count > 2 else { return "unet.other" }
            let part = parts[2]
            if part == "input_blocks" || part == "output_blocks", parts.count > 3 { return "unet.\(part).\(parts[3])" }
            if part == "middle_block" { return "unet.middle_block" }
            return "unet.\(part)"
        case .clipL:
            if let i = parts.firstIndex(of: "layers"), i + 1 < parts.count { return "clip_l.layers.\(parts[i + 1])" }
            if name.contains("embeddings") { return "clip_l.embeddings" }
            return "clip_l.head"
        case .clipG:
            if let i = parts.firstIndex(of: "resblocks"), i + 1 < parts.count { return "clip_g.layers.\(parts[i + 1])" }
            if name.contains("embedding") { return "clip_g.embeddings" }
            return "clip_g.head"
        case .vae:
            return parts.count > 1 ? "vae.\(parts[1])" : "vae"
        case .other:
            return "other"
        }
    }

    /// A stable sort key: component order, then the block's numeric index.
    public static func sortKey(_ block: String) -> (Int, String, Int) {
        let component = Component(rawValue: String(block.prefix { $0 != "." })).map { Component.allCases.firstIndex(of: $0) ?? 9 } ?? 9
        let parts = block.split(separator: ".")
        let number = parts.last.flatMap { Int($0) } ?? -1
        let stem = parts.count > 1 && Int(parts.last!) != nil ? parts.dropLast().joined(separator: ".") : block
        // Within the UNet, order input → middle → output as data flows.
        let flowRank: [String: String] = ["unet.time_embed": "0", "unet.label_emb": "1", "unet.input_blocks": "2",
                                          "unet.middle_block": "3", "unet.output_blocks": "4", "unet.out": "5"]
        return (component, flowRank[stem] ?? "9" + stem, number)
    }
}
