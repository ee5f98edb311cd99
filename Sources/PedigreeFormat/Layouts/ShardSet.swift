import Foundation
import PedigreeSupport

/// One checkpoint stored as several safetensors files: Hugging Face's sharded layout
/// (`model-00001-of-00003.safetensors` … with `model.safetensors.index.json`, whose
/// `weight_map` names each tensor's shard), or a single file. Every shard is opened and
/// validated like any checkpoint, and the index is held to what the shards contain: a
/// shard that is missing, a tensor in the wrong shard or in two, is an error naming it.
public struct ShardSet: Sendable {
    /// The file the set was opened from (the index, or the first shard).
    public let path: String
    /// The shards, in name order.
    public let files: [SafetensorsFile]
    /// Each tensor's shard (index into `files`) and entry.
    public let tensors: [String: (file: Int, tensor: TensorInfo)]
    /// The index's own `metadata`, if any (Hugging Face writes `total_size`).
    public let indexMetadata: [String: String]

    /// Largest index file read (the index of a 100-shard checkpoint is well under 1 MB).
    static let maxIndexBytes = 64 << 20

    /// A `*.safetensors` shard name's stem and count: "model-00002-of-00005.safetensors" → ("model", 5).
    public static func shardPattern(_ fileName: String) -> (stem: String, count: Int)? {
        guard fileName.hasSuffix(".safetensors") else { return nil }
        let base = fileName.dropLast(".safetensors".count)
        let parts = base.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[parts.count - 2] == "of",
              let count = Int(parts[parts.count - 1]), let number = Int(parts[parts.count - 3]),
              count >= 1, count <= 100_000, number >= 1, number <= count,
              parts[parts.count - 1].count == parts[parts.count - 3].count else { return nil }
        return (parts.dropLast(3).joined(separator: "-"), count)
    }

    /// Every shard name of the set a shard's name belongs to, in order ("model-00001-of-00005.safetensors", …),
    /// padded as the given name is; nil when it is not a shard name.
    public static func shardNames(of fileName: String) -> [String]? {
        guard let (stem, count) = shardPattern(fileName) else { return nil }
        let width = fileName.dropLast(".safetensors".count).split(separator: "-").last!.count
        return (1 ... count).map { "\(stem)-\(pad($0, width))-of-\(pad(count, width)).safetensors" }
    }

    /// Opens the set `path` belongs to: an index file, or one shard (its index beside it is
    /// used when present, else the `-of-N` names).
    public static func open(_ path: String) throws -> ShardSet {
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        if name.hasSuffix(".index.json") { return try open(index: path) }
        guard let (stem, _) = shardPattern(name), let names = shardNames(of: name) else { return try single(path) }
        let index = (folder as NSString).appendingPathComponent("\(stem).safetensors.index.json")
        if FileManager.default.fileExists(atPath: index) { return try open(index: index) }
        return try assemble(path: path, folder: folder, shardNames: names, weightMap: nil, indexMetadata: [:])
    }

    /// A plain single file, as a set of one.
    public static func single(_ path: String) throws -> ShardSet {
        let file = try SafetensorsFile(path: path)
        var tensors: [String: (file: Int, tensor: TensorInfo)] = [:]
        for tensor in file.header.tensors { tensors[tensor.name] = (0, tensor) }
        return ShardSet(path: path, files: [file], tensors: tensors, indexMetadata: [:])
    }

    /// Opens the shards an index names and checks them against it.
    public static func open(index path: String) throws -> ShardSet {
        let reader = try FileReader(path: path)
        guard reader.size <= maxIndexBytes else { throw LayoutError.badIndex(path: path, reason: "\(reader.size) bytes, more than the \(maxIndexBytes) an index may have") }
        let bytes = try reader.readBytes(at: 0, count: Int(reader.size))
        let root: JSONValue
        do throws(JSONSyntaxError) { root = try StrictJSONParser.parse(bytes) } catch {
            throw LayoutError.badIndex(path: path, reason: "not JSON at byte \(error.offset) (\(error.reason))")
        }
        guard case .object(let members) = root else { throw LayoutError.badIndex(path: path, reason: "the top level is not an object") }
        guard let mapValue = members.first(where: { $0.key == "weight_map" })?.value, case .object(let entries) = mapValue else {
            throw LayoutError.badIndex(path: path, reason: "no `weight_map` object")
        }
        var weightMap: [String: String] = [:]
        for entry in entries {
            guard case .string(let shard) = entry.value else { throw LayoutError.badIndex(path: path, reason: "`weight_map` value of \(TerminalEscaping.excerpt(entry.key)) is not a string") }
            guard weightMap.updateValue(shard, forKey: entry.key) == nil else {
                throw LayoutError.badIndex(path: path, reason: "`weight_map` names \(TerminalEscaping.excerpt(entry.key)) twice")
            }
        }
        var metadata: [String: String] = [:]
        if case .object(let fields)? = members.first(where: { $0.key == "metadata" })?.value {
            for field in fields { metadata[field.key] = field.value.scalarText }
        }
        let shardNames = Set(weightMap.values).sorted()
        guard !shardNames.isEmpty else { throw LayoutError.badIndex(path: path, reason: "`weight_map` is empty") }
        return try assemble(path: path, folder: (path as NSString).deletingLastPathComponent, shardNames: shardNames,
                            weightMap: weightMap, indexMetadata: metadata)
    }

    private static func assemble(path: String, folder: String, shardNames: [String], weightMap: [String: String]?,
                                 indexMetadata: [String: String]) throws -> ShardSet {
        var files: [SafetensorsFile] = []
        var tensors: [String: (file: Int, tensor: TensorInfo)] = [:]
        for shard in shardNames {
            // A shard is a file beside the index: no folders, no way out of this one.
            guard !shard.isEmpty, !shard.contains("/"), !shard.contains("\\"), shard != ".", shard != ".." else {
                throw LayoutError.unsafeName(path: path, name: shard)
            }
            let shardPath = (folder as NSString).appendingPathComponent(shard)
            guard FileManager.default.fileExists(atPath: shardPath) else { throw LayoutError.missingShard(path: path, shard: shard) }
            let file = try SafetensorsFile(path: shardPath)
            for tensor in file.header.tensors {
                if let weightMap, weightMap[tensor.name] != shard {
                    let reason = weightMap[tensor.name].map { "the index puts it in \(TerminalEscaping.excerpt($0))" } ?? "the index does not list it"
                    throw LayoutError.shardMismatch(path: path, shard: shard, tensor: tensor.name, reason: reason)
                }
                if let earlier = tensors[tensor.name] {
                    throw LayoutError.duplicateTensor(path: path, tensor: tensor.name, shards: [(files[earlier.file].path as NSString).lastPathComponent, shard])
                }
                tensors[tensor.name] = (files.count, tensor)
            }
            files.append(file)
        }
        if let weightMap, let absent = weightMap.keys.sorted().first(where: { tensors[$0] == nil }) {
            throw LayoutError.shardMismatch(path: path, shard: weightMap[absent]!, tensor: absent, reason: "the index puts it in this shard, which does not hold it")
        }
        return ShardSet(path: path, files: files, tensors: tensors, indexMetadata: indexMetadata)
    }

    private static func pad(_ number: Int, _ width: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Every tensor name, sorted.
    public var names: [String] { tensors.keys.sorted() }
}
