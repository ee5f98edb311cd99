import PedigreeSupport

/// Checkpoints published as several files: sharded safetensors with an index, and
/// Hugging Face diffusers folders. Each error names the file and the rule it breaks.
public enum LayoutError: PedigreeError, Equatable {
    /// The index file is not the JSON a sharded checkpoint carries.
    case badIndex(path: String, reason: String)
    /// A shard the index (or the shard names' `-of-N` count) calls for is not there.
    case missingShard(path: String, shard: String)
    /// A shard holds a tensor the index puts elsewhere, or lacks one the index puts in it.
    case shardMismatch(path: String, shard: String, tensor: String, reason: String)
    /// The same tensor is in two shards.
    case duplicateTensor(path: String, tensor: String, shards: [String])
    /// A folder that is neither a diffusers model nor a set of shards.
    case unknownFolder(path: String, reason: String)
    /// A diffusers tensor whose shape is not the one its original-layout counterpart needs.
    case shapeMismatch(path: String, tensor: String, reason: String)
    /// A shard name or index entry that would lead outside the checkpoint's folder.
    case unsafeName(path: String, name: String)
    /// A LoRA in a format Pedigree does not read (LyCORIS LoHa, LoKr).
    case unsupportedLoRA(path: String, kind: String)
    /// A LoRA module whose factors do not make one change to the tensor it names.
    case loraModule(path: String, module: String, reason: String)

    public var code: String {
        switch self {
        case .badIndex: "LY001"
        case .missingShard: "LY002"
        case .shardMismatch: "LY003"
        case .duplicateTensor: "LY004"
        case .unknownFolder: "LY005"
        case .shapeMismatch: "LY006"
        case .unsafeName: "LY007"
        case .unsupportedLoRA: "LY008"
        case .loraModule: "LY009"
        }
    }

    public var message: String {
        let e = TerminalEscaping.excerpt
        return switch self {
        case .badIndex(let p, let reason): "\(p): not a sharded-checkpoint index: \(reason)"
        case .missingShard(let p, let shard): "\(p): shard \(e(shard, 80)) is missing"
        case .shardMismatch(let p, let shard, let tensor, let reason): "\(p): shard \(e(shard, 80)), tensor \(e(tensor, 120)): \(reason)"
        case .duplicateTensor(let p, let tensor, let shards): "\(p): tensor \(e(tensor, 120)) is in more than one shard (\(shards.map { e($0, 80) }.joined(separator: ", ")))"
        case .unknownFolder(let p, let reason): "\(p): \(reason)"
        case .shapeMismatch(let p, let tensor, let reason): "\(p): tensor \(e(tensor, 120)): \(reason)"
        case .unsafeName(let p, let name): "\(p): shard name \(e(name, 80)) is not a file name in the checkpoint's folder"
        case .unsupportedLoRA(let p, let kind): "\(p): a \(kind) file; Pedigree reads LoRAs in kohya's and diffusers/PEFT's low-rank form (up · down), not \(kind)'s products"
        case .loraModule(let p, let module, let reason): "\(p): LoRA module \(e(module, 120)) \(reason)"
        }
    }
}
