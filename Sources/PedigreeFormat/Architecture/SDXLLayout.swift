/// The tensor names and shapes of a Stable Diffusion XL checkpoint in the original
/// single-file (SGM) layout: 2,514 tensors, 3.47 billion parameters.
public enum SDXLLayout {
    public struct Tensor: Sendable, Hashable {
        public let name: String
        public let shape: [Int]
    }

    /// Every tensor, in the order of the shared key list.
    public static let tensors: [Tensor] = table.split(separator: "\n").compactMap { line in
        let trimmed = line.drop { $0 == " " }
        guard let space = trimmed.lastIndex(of: " ") else { return nil }
        let dims = trimmed[trimmed.index(after: space)...].split(separator: ",").compactMap { Int($0) }
        return Tensor(name: String(trimmed[..<space]), shape: dims)
    }

    public static let shapeByName: [String: [Int]] = Dictionary(uniqueKeysWithValues: tensors.map { ($0.name, $0.shape) })

    /// Keys some SDXL files carry and others drop; neither their presence nor absence is
    /// a sign of another architecture.
    public static func isOptionalExtra(_ name: String) -> Bool {
        name == "conditioner.embedders.0.transformer.text_model.embeddings.position_ids"
            || name == "v_pred" || name == "ztsnr" || name.hasPrefix("edm_vpred.")
            || ["alphas_cumprod", "alphas_cumprod_prev", "betas", "log_one_minus_alphas_cumprod",
                "posterior_log_variance_clipped", "posterior_mean_coef1", "posterior_mean_coef2",
                "posterior_variance", "sqrt_alphas_cumprod", "sqrt_one_minus_alphas_cumprod",
                "sqrt_recip_alphas_cumprod", "sqrt_recipm1_alphas_cumprod"].contains(name)
            || name.hasPrefix("model_ema.")
    }

    /// A shape scaled down for small fixtures: every width (a dimension that is a multiple
    /// of 64: channels, embedding sizes, vocabulary) is divided by `divisor`, rounding up;
    /// kernel sizes, latent channels and the 77-token context stay as they are.
    public static func scaledShape(_ shape: [Int], widthDivisor divisor: Int) -> [Int] {
        guard divisor > 1 else { return shape }
        return shape.map { $0 >= 64 && $0 % 64 == 0 ? ($0 + divisor - 1) / divisor : $0 }
    }
}
