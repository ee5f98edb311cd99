import Foundation
@testable import PedigreeFormat
import PedigreeSupport
import PedigreeTestSupport
import Testing

/// Shard indexes and LoRAs are files strangers write: each way of breaking them is an
/// error with its code, never a crash, a hang or an allocation sized by the file.
@Suite struct LayoutHostileTests {
    func write(_ bytes: [UInt8], _ path: String) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }

    /// A one-tensor safetensors file.
    func tensorFile(_ path: String, _ name: String, _ shape: [Int], values: [Float]) throws {
        var data: [UInt8] = []
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data += $0 } }
        try write(SafetensorsBytes.make(header: SafetensorsBytes.header(SafetensorsBytes.entry(name, "F32", shape, 0, data.count)), data: data), path)
    }

    func code(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch let error as any PedigreeError { return error.code } catch { return "other: \(error)" }
    }

    @Test func hostileIndexesAreLY001() throws {
        let dir = try TemporaryDirectory()
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        for (name, text) in [("deep", "{\"weight_map\": \(deep)}"), ("not-object", "[1]"), ("no-map", "{}"), ("empty-map", "{\"weight_map\": {}}"),
                             ("number-value", "{\"weight_map\": {\"a\": 1}}"), ("twice", "{\"weight_map\": {\"a\": \"x.safetensors\", \"a\": \"y.safetensors\"}}"),
                             ("truncated", "{\"weight_map\": {\"a\": ")] {
            let path = dir.file("\(name).safetensors.index.json")
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            #expect(code { _ = try ShardSet.open(path) } == "LY001", "\(name)")
        }
    }

    @Test func shardNamesCannotLeaveTheFolder() throws {
        let dir = try TemporaryDirectory()
        for shard in ["../outside.safetensors", "/etc/passwd", "sub/x.safetensors", "..", ""] {
            let path = dir.file("model.safetensors.index.json")
            try String(decoding: JSONSerialization.data(withJSONObject: ["weight_map": ["a": shard]]), as: UTF8.self).write(toFile: path, atomically: true, encoding: .utf8)
            #expect(code { _ = try ShardSet.open(path) } == "LY007", "\(shard)")
        }
    }

    @Test func shardPatternsAreExact() {
        #expect(ShardSet.shardPattern("model-00002-of-00005.safetensors")! == ("model", 5))
        #expect(ShardSet.shardPattern("my-model-v2-00001-of-00003.safetensors")! == ("my-model-v2", 3))
        for name in ["model-00006-of-00005.safetensors", "model-0001-of-00005.safetensors", "model-00000-of-00005.safetensors",
                     "model-of-00005.safetensors", "model.safetensors", "model-00001-of-99999999999.safetensors"] {
            #expect(ShardSet.shardPattern(name) == nil, "\(name)")
        }
    }

    @Test func loraFactorsThatDoNotMakeAChangeAreLY009() throws {
        let dir = try TemporaryDirectory()
        let name = "lora_unet_input_blocks_4_1_proj_in"
        func lora(_ file: String, module: String = name, down: [Int], up: [Int], alpha: Float?) throws -> String {
            let path = dir.file(file)
            var entries: [String] = []
            var data: [UInt8] = []
            func add(_ tensor: String, _ shape: [Int], _ value: Float) {
                let count = shape.reduce(1, *)
                let start = data.count
                for _ in 0 ..< count { withUnsafeBytes(of: value.bitPattern.littleEndian) { data += $0 } }
                entries.append(SafetensorsBytes.entry(tensor, "F32", shape, start, data.count))
            }
            add("\(module).lora_down.weight", down, 0.5)
            add("\(module).lora_up.weight", up, 0.5)
            if let alpha { add("\(module).alpha", [], alpha) }
            try write(SafetensorsBytes.make(header: "{" + entries.joined(separator: ",") + "}", data: data), path)
            return path
        }
        let fine = try LoRAFile(file: SafetensorsFile(path: try lora("fine.safetensors", down: [2, 8], up: [8, 2], alpha: 1)))
        #expect(fine.modules["model.diffusion_model.input_blocks.4.1.proj_in.weight"]?.first?.scale == 0.5)
        #expect(code { _ = try LoRAFile(file: SafetensorsFile(path: try lora("rank.safetensors", down: [2, 8], up: [8, 3], alpha: 1))) } == "LY009")
        #expect(code { _ = try LoRAFile(file: SafetensorsFile(path: try lora("nan.safetensors", down: [2, 8], up: [8, 2], alpha: .nan))) } == "LY009")
        #expect(code { _ = try LoRAFile(file: SafetensorsFile(path: try lora("zero.safetensors", down: [0, 8], up: [8, 0], alpha: 1))) } == "LY009")
        // A module the layout has no tensor for is reported, not guessed; a file of only such is an error.
        let elsewhere = try lora("elsewhere.safetensors", module: "lora_unet_not_a_module", down: [2, 8], up: [8, 2], alpha: 1)
        #expect(code { _ = try LoRAFile(file: SafetensorsFile(path: elsewhere)) } == "LY009")
        // LyCORIS products are refused by name.
        let loha = dir.file("loha.safetensors")
        try tensorFile(loha, "lora_unet_input_blocks_4_1_proj_in.hada_w1_a", [1, 2], values: [0, 0])
        #expect(code { _ = try LoRAFile(file: SafetensorsFile(path: loha)) } == "LY008")
    }
}
