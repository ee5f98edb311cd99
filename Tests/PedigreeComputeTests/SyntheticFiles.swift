import PedigreeFormat
import PedigreeTestSupport

/// Small checkpoints written with Pedigree's own writer, as combinations of seeded random
/// components, so tests know the true relationship between files.
enum SyntheticFiles {
    static let shapes: [(String, [Int])] = [
        ("model.diffusion_model.input_blocks.4.1.proj_in.weight", [64, 96]),
        ("model.diffusion_model.middle_block.1.proj_out.weight", [80, 64]),
        ("model.diffusion_model.output_blocks.3.0.in_layers.2.weight", [32, 16, 3, 3]),
        ("model.diffusion_model.out.0.bias", [32]),
        ("conditioner.embedders.0.transformer.text_model.encoder.layers.3.mlp.fc2.weight", [48, 128]),
    ]

    /// Deterministic standard-normal-ish components, one array per tensor.
    static func component(seed: UInt64) -> [[Float]] {
        var generator = SeededGenerator(seed: seed)
        return shapes.map { _, shape in
            (0 ..< shape.reduce(1, *)).map { _ in
                // Sum of four uniforms: cheap, symmetric, close enough to normal.
                Float((0 ..< 4).map { _ in Double.random(in: -1 ... 1, using: &generator) }.reduce(0, +) * 0.866)
            }
        }
    }

    /// Writes Σ weight·component as an F32 checkpoint.
    static func write(_ parts: [(weight: Float, component: [[Float]])], to path: String) throws {
        let entries = shapes.map { SafetensorsWriter.Entry(name: $0.0, dtype: .f32, shape: $0.1) }
        let writer = try SafetensorsWriter(path: path, entries: entries)
        for t in shapes.indices {
            var values = [Float](repeating: 0, count: parts[0].component[t].count)
            for part in parts { for i in values.indices { values[i] += part.weight * part.component[t][i] } }
            try values.withUnsafeBytes { try writer.write(name: shapes[t].0, bytes: $0) }
        }
        try writer.finish()
    }
}
