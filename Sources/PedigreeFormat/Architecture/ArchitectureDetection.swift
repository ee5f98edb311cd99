/// What kind of checkpoint a file is, judged from its tensor names.
public enum Architecture: String, Sendable, Codable {
    case sdxl = "sdxl"
    case sd1 = "sd1"
    case sd2 = "sd2"
    case lora = "lora"
    case unknown = "unknown"

    public var displayName: String {
        switch self {
        case .sdxl: "Stable Diffusion XL (single-file SGM layout)"
        case .sd1: "Stable Diffusion 1.x"
        case .sd2: "Stable Diffusion 2.x"
        case .lora: "LoRA / LyCORIS adapter"
        case .unknown: "unknown"
        }
    }

    public static func detect(names: Set<String>) -> Architecture {
        if names.contains(where: { $0.contains(".lora_down.") || $0.contains(".lora_up.") || $0.contains(".lora_A.")
            || $0.contains(".lora_B.") || $0.hasPrefix("lora_unet_") || $0.hasPrefix("lora_te") }) {
            return .lora
        }
        let hasUNet = names.contains { $0.hasPrefix("model.diffusion_model.") }
        if hasUNet, names.contains(where: { $0.hasPrefix("conditioner.embedders.1.model.") })
            || names.contains("model.diffusion_model.label_emb.0.0.weight") {
            return .sdxl
        }
        if hasUNet, names.contains(where: { $0.hasPrefix("cond_stage_model.model.") }) { return .sd2 }
        if hasUNet, names.contains(where: { $0.hasPrefix("cond_stage_model.transformer.") }) { return .sd1 }
        return .unknown
    }
}
