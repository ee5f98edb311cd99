import Foundation
import PedigreeSupport

/// A checkpoint whose tensors are spread over several files and, for a diffusers folder,
/// stored under other names: each original-layout (SGM) tensor with the stored tensors it
/// is read from. Everything downstream sees SGM names only.
public struct MappedCheckpoint: Sendable {
    public enum Kind: String, Sendable {
        /// One SGM-layout checkpoint split into shards.
        case sharded
        /// A Hugging Face diffusers folder (`unet/`, `text_encoder/`, `text_encoder_2/`).
        case diffusers
    }

    /// One original-layout tensor.
    public struct Tensor: Sendable {
        public enum Storage: Sendable {
            case stored(file: Int, tensor: TensorInfo)
            case stacked([(file: Int, tensor: TensorInfo)])
            case transposed(file: Int, tensor: TensorInfo)
        }

        public let name: String
        public let shape: [Int]
        public let dtype: DType
        public let storage: Storage
    }

    public let kind: Kind
    /// The path given (the folder, the index or a shard).
    public let path: String
    /// Every file read, in a fixed order, with its name relative to `path`'s folder (or `path`
    /// itself for a folder): the identity is computed over these.
    public let files: [SafetensorsFile]
    public let relativeNames: [String]
    public let tensors: [String: Tensor]
    /// Metadata for the declared lineage: the first weights file's, with the index's.
    public let metadata: [String: String]

    /// A sharded SGM-layout checkpoint (`path`: its index or any shard).
    public static func sharded(_ path: String) throws -> MappedCheckpoint {
        let set = try ShardSet.open(path)
        var tensors: [String: Tensor] = [:]
        for (name, entry) in set.tensors {
            tensors[name] = Tensor(name: name, shape: entry.tensor.shape, dtype: entry.tensor.dtype, storage: .stored(file: entry.file, tensor: entry.tensor))
        }
        let metadata = set.indexMetadata.merging(set.files.first?.header.metadata ?? [:]) { _, file in file }
        return MappedCheckpoint(kind: .sharded, path: path, files: set.files,
                                relativeNames: set.files.map { ($0.path as NSString).lastPathComponent },
                                tensors: tensors, metadata: metadata)
    }

    /// A diffusers folder: `unet/` is required, the text encoders are read when present
    /// (their absence shows in the coverage), `vae/` is not read (the metric leaves the VAE out).
    public static func diffusers(_ folder: String) throws -> MappedCheckpoint {
        var files: [SafetensorsFile] = []
        var relative: [String] = []
        var sets: [DiffusersNames.Component: (set: ShardSet, offset: Int)] = [:]
        for component in DiffusersNames.Component.allCases {
            let directory = (folder as NSString).appendingPathComponent(component.rawValue)
            guard let weights = try weightsPath(in: directory, base: component.weightsName, folder: folder) else {
                if component == .unet { throw LayoutError.unknownFolder(path: folder, reason: "a diffusers folder needs unet/\(component.weightsName).safetensors (or its sharded index); none is there") }
                continue
            }
            let set = try ShardSet.open(weights)
            sets[component] = (set, files.count)
            files += set.files
            relative += set.files.map { component.rawValue + "/" + ($0.path as NSString).lastPathComponent }
        }
        var tensors: [String: Tensor] = [:]
        for entry in SDXLLayout.tensors {
            guard let (component, storage) = DiffusersNames.location(of: entry.name), let (set, offset) = sets[component] else { continue }
            func stored(_ name: String) -> (file: Int, tensor: TensorInfo)? { set.tensors[name].map { (offset + $0.file, $0.tensor) } }
            switch storage {
            case .stored(let name):
                guard let part = stored(name) else { continue }
                tensors[entry.name] = Tensor(name: entry.name, shape: part.tensor.shape, dtype: part.tensor.dtype, storage: .stored(file: part.file, tensor: part.tensor))
            case .stacked(let names):
                let parts = names.compactMap(stored)
                guard parts.count == names.count else { continue }
                let first = parts[0].tensor
                for part in parts.dropFirst() where part.tensor.dtype != first.dtype || Array(part.tensor.shape.dropFirst()) != Array(first.shape.dropFirst()) || part.tensor.shape.isEmpty {
                    throw LayoutError.shapeMismatch(path: folder, tensor: part.tensor.name, reason: "\(part.tensor.typeDescription) cannot be stacked with \(first.name)'s \(first.typeDescription) into \(entry.name)")
                }
                let rows = parts.reduce(0) { $0 + ($1.tensor.shape.first ?? 0) }
                tensors[entry.name] = Tensor(name: entry.name, shape: [rows] + first.shape.dropFirst(), dtype: first.dtype, storage: .stacked(parts))
            case .transposed(let name):
                guard let part = stored(name) else { continue }
                guard part.tensor.shape.count == 2 else {
                    throw LayoutError.shapeMismatch(path: folder, tensor: name, reason: "\(part.tensor.typeDescription) is not a matrix, so it cannot be \(entry.name) transposed")
                }
                tensors[entry.name] = Tensor(name: entry.name, shape: part.tensor.shape.reversed(), dtype: part.tensor.dtype, storage: .transposed(file: part.file, tensor: part.tensor))
            }
        }
        let unet = sets[.unet]!.set
        let metadata = unet.indexMetadata.merging(unet.files.first?.header.metadata ?? [:]) { _, file in file }
        return MappedCheckpoint(kind: .diffusers, path: folder, files: files, relativeNames: relative, tensors: tensors, metadata: metadata)
    }

    /// The component's weights: `BASE.safetensors`, else `BASE.safetensors.index.json`; nil
    /// when the folder has neither. Pickle weights alone (`.bin`) are refused by name.
    static func weightsPath(in directory: String, base: String, folder: String) throws -> String? {
        let files = FileManager.default
        let single = (directory as NSString).appendingPathComponent(base + ".safetensors")
        if files.fileExists(atPath: single) { return single }
        let index = (directory as NSString).appendingPathComponent(base + ".safetensors.index.json")
        if files.fileExists(atPath: index) { return index }
        for pickle in [base + ".bin", base + ".bin.index.json"] where files.fileExists(atPath: (directory as NSString).appendingPathComponent(pickle)) {
            throw LayoutError.unknownFolder(path: folder, reason: "\((directory as NSString).lastPathComponent)/ holds only pickle weights (\(pickle)); Pedigree reads safetensors only, since a pickle runs code when loaded")
        }
        return nil
    }

    /// Whether `path` is a checkpoint in several files: a folder, an index, or a shard.
    public static func isMultiFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue { return true }
        let name = (path as NSString).lastPathComponent
        return name.hasSuffix(".safetensors.index.json") || ShardSet.shardPattern(name) != nil
    }

    /// Opens a folder (diffusers) or an index / shard (sharded).
    public static func open(_ path: String) throws -> MappedCheckpoint {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            let files = FileManager.default
            let hasUnet = files.fileExists(atPath: (path as NSString).appendingPathComponent("unet"))
            guard hasUnet || files.fileExists(atPath: (path as NSString).appendingPathComponent("model_index.json")) else {
                throw LayoutError.unknownFolder(path: path, reason: "a folder is read as a diffusers model (model_index.json, unet/, text_encoder/, text_encoder_2/); this one has neither model_index.json nor unet/")
            }
            return try diffusers(path)
        }
        return try sharded(path)
    }

    /// Every file's current state matches what was opened (see `FileReader.checkUnchanged`).
    public func checkUnchanged() throws {
        for file in files { try file.reader.checkUnchanged() }
    }
}
