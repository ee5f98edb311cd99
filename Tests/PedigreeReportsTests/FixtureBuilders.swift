import Foundation
import PedigreeCompute
import PedigreeLineage
import PedigreeSupport

/// Builders for the compute types whose initialisers are internal to PedigreeCompute: the
/// fixtures decode them from the same JSON the compare command writes, which also keeps
/// the fixtures honest about the on-disk shape.
enum FixtureBuilders {
    static func decode<T: Decodable>(_ type: T.Type, _ object: [String: Any]) -> T {
        do {
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            return try PedigreeJSON.decoder().decode(T.self, from: data)
        } catch {
            fatalError("fixture \(T.self) does not decode: \(error)")
        }
    }

    /// A fixed tool stamp, so snapshots do not change when the version is bumped.
    static let tool = decode(ToolStamp.self, ["name": "pedigree", "version": "0.1.0"])

    static func group(_ name: String, _ mean: Double, interval: Interval? = nil, columns: Int = 1280) -> GroupFigures {
        var object: [String: Any] = [
            "name": name, "mean_cosine": number(mean), "parameter_weighted_cosine": number(mean - 0.0011), "flat_cosine": number(mean - 0.0023),
            "relative_l2": number((1 - mean) * 2.1), "tensors": 24, "columns": columns, "parameters": columns * 640,
        ]
        if let interval { object["interval"] = ["low": interval.low, "high": interval.high] }
        return decode(GroupFigures.self, object)
    }

    /// Non-finite figures travel as strings in Pedigree's JSON ("nan"), as the encoder writes them.
    static func number(_ value: Double) -> Any { value.isNaN ? "nan" : value }

    static func part(_ name: String, share: Double, cosine: Double) -> [String: Any] {
        ["name": name, "share": share, "cosine": cosine]
    }

    static func delta(ancestor: String, descendant: String, share: Double, cosine: Double,
                      components: [[String: Any]], blocks: [[String: Any]] = []) -> DeltaFigures {
        decode(DeltaFigures.self, ["ancestor": ancestor, "descendant": descendant, "share": share, "cosine": cosine,
                                   "components": components, "blocks": blocks])
    }

    static func baseline(_ a: String, _ b: String, _ mean: Double) -> Baseline {
        decode(Baseline.self, ["a": a, "b": b, "mean_cosine": mean, "parameter_weighted_cosine": mean - 0.0014, "components": [] as [Any]])
    }

    /// The SDXL UNet blocks in flow order, plus the text-encoder ends, which is what a
    /// per-block comparison of a real checkpoint reports.
    static let unetBlocks: [String] = ["unet.time_embed", "unet.label_emb"]
        + (0 ... 8).map { "unet.input_blocks.\($0)" } + ["unet.middle_block"]
        + (0 ... 8).map { "unet.output_blocks.\($0)" } + ["unet.out"]
    static let textEncoderBlocks = ["clip_l.layers.0", "clip_l.layers.11", "clip_g.layers.0", "clip_g.layers.31"]

    /// Per-block figures that vary smoothly around `centre`: `inputOffset` and
    /// `outputOffset` shift the input and output halves, as a block-weighted merge does.
    static func blocks(centre: Double, inputOffset: Double = 0, outputOffset: Double = 0, wobble: Double = 0.002,
                       sampled: Bool = false) -> [GroupFigures] {
        (unetBlocks + textEncoderBlocks).enumerated().map { index, name in
            var value = centre + wobble * sin(Double(index) * 1.7)
            if name.contains("input_blocks") { value += inputOffset }
            if name.contains("output_blocks") { value += outputOffset }
            value = min(value, 0.9999)
            let rounded = (value * 10000).rounded() / 10000
            let interval = sampled ? Interval(low: rounded - 0.0018, high: rounded + 0.0018) : nil
            return group(name, rounded, interval: interval)
        }
    }

    static func components(unet: Double, clipL: Double, clipG: Double, vae: Double) -> [GroupFigures] {
        [group("unet", unet), group("clip_l", clipL), group("clip_g", clipG), group("vae", vae)]
    }
}
