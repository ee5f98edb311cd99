import Foundation
@testable import PedigreeCompute
import PedigreeFormat
import PedigreeTestSupport
import Testing

/// The multi-file and LoRA sources read the same rows whichever way the engine slices them:
/// every row range, across shard and q/k/v boundaries, with and without sampled columns,
/// equals the tensor assembled whole.
@Suite struct MultiFileSourceTests {
    static let d = 6  // OpenCLIP width (in_proj has 3d rows)
    static let inProj = "conditioner.embedders.1.model.transformer.resblocks.0.attn.in_proj_weight"
    static let projection = "conditioner.embedders.1.model.text_projection"
    static let unet = "model.diffusion_model.input_blocks.4.1.proj_in.weight"

    func values(_ count: Int, seed: Int) -> [Float] { (0 ..< count).map { Float(($0 * 7 + seed * 13) % 29) - 14 } }

    func write(_ path: String, _ tensors: [(String, [Int], [Float])]) throws {
        let writer = try SafetensorsWriter(path: path, entries: tensors.map { SafetensorsWriter.Entry(name: $0.0, dtype: .f32, shape: $0.1) })
        for tensor in tensors { try tensor.2.withUnsafeBytes { try writer.write(name: tensor.0, bytes: $0) } }
        try writer.finish()
    }

    /// Every (rows, columns) read of `name` against `expected` (row-major, `width` columns).
    func expectEveryRead(_ source: any TensorSource, _ name: String, expected: [Float], width: Int) throws {
        let rows = expected.count / width
        let scratch = ScratchSpace()
        for start in 0 ..< rows {
            for end in start + 1 ... rows {
                for columns in [nil, [0], Array(stride(from: width - 1, through: 0, by: -2))] as [[Int]?] {
                    let picked = columns ?? Array(0 ..< width)
                    var out = [Float](repeating: .nan, count: (end - start) * picked.count)
                    try out.withUnsafeMutableBufferPointer { try source.readRows(name, rows: start ..< end, columns: columns, into: $0, scratch: scratch) }
                    let want = (start ..< end).flatMap { r in picked.map { expected[r * width + $0] } }
                    #expect(out == want, "\(name) rows \(start)..<\(end) columns \(String(describing: columns))")
                }
            }
        }
    }

    @Test func aDiffusersFolderReadsAsTheTensorsItWasMadeFrom() throws {
        let dir = try TemporaryDirectory()
        let d = Self.d
        let q = values(d * d, seed: 1), k = values(d * d, seed: 2), v = values(d * d, seed: 3)
        let projection = values(d * 4, seed: 4)  // CLIP's Linear: [out 4, in d]
        let unet = values(5 * 3, seed: 5)
        try FileManager.default.createDirectory(atPath: dir.file("m/unet"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir.file("m/text_encoder_2"), withIntermediateDirectories: true)
        try write(dir.file("m/unet/diffusion_pytorch_model.safetensors"), [("down_blocks.1.attentions.0.proj_in.weight", [5, 3], unet)])
        try write(dir.file("m/text_encoder_2/model.safetensors"), [
            ("text_model.encoder.layers.0.self_attn.q_proj.weight", [d, d], q), ("text_model.encoder.layers.0.self_attn.k_proj.weight", [d, d], k),
            ("text_model.encoder.layers.0.self_attn.v_proj.weight", [d, d], v), ("text_projection.weight", [4, d], projection),
        ])
        let source = MappedCheckpointSource(label: "c", checkpoint: try MappedCheckpoint.open(dir.file("m")))
        #expect(source.shapes[Self.inProj] == [3 * d, d] && source.shapes[Self.projection] == [d, 4] && source.shapes[Self.unet] == [5, 3])
        try expectEveryRead(source, Self.inProj, expected: q + k + v, width: d)
        // OpenCLIP's projection is CLIP's transposed: [in d, out 4].
        let transposed = (0 ..< d).flatMap { i in (0 ..< 4).map { o in projection[o * d + i] } }
        try expectEveryRead(source, Self.projection, expected: transposed, width: 4)
        try expectEveryRead(source, Self.unet, expected: unet, width: 3)
    }

    @Test func aLoRAAddsItsChangeToEveryRowSlice() throws {
        let dir = try TemporaryDirectory()
        let d = Self.d, rank = 2
        let base = values(3 * d * d, seed: 6)
        try write(dir.file("base.safetensors"), [(Self.inProj, [3 * d, d], base)])
        // A change to k only (rows d..<2d of in_proj), and its expected effect.
        let up = values(d * rank, seed: 7), down = values(rank * d, seed: 8)
        let alpha: Float = 1  // scale alpha / rank = 0.5
        try write(dir.file("lora.safetensors"), [
            ("lora_te2_text_model_encoder_layers_0_self_attn_k_proj.lora_up.weight", [d, rank], up),
            ("lora_te2_text_model_encoder_layers_0_self_attn_k_proj.lora_down.weight", [rank, d], down),
            ("lora_te2_text_model_encoder_layers_0_self_attn_k_proj.alpha", [], [alpha]),
        ])
        var expected = base
        for r in 0 ..< d { for c in 0 ..< d {
            expected[(d + r) * d + c] += 0.5 * (0 ..< rank).reduce(Float(0)) { $0 + up[r * rank + $1] * down[$1 * d + c] }
        } }
        let baseSource = CheckpointSource(label: "base", file: try SafetensorsFile(path: dir.file("base.safetensors")))
        let lora = try LoRAFile(file: try SafetensorsFile(path: dir.file("lora.safetensors")))
        let applied = try LoRAAppliedSource(label: "c", base: baseSource, lora: lora)
        try expectEveryRead(applied, Self.inProj, expected: expected, width: d)
    }
}
