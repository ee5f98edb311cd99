import Foundation
import PedigreeFormat
import PedigreeSupport

/// The spectral sample a descendant reference's fingerprint may carry (`SpectralSample`),
/// as stored: metadata naming the ancestor it was measured against, and per tensor three
/// stored tensors, `pedigree.spectral/<name>/ancestor` and `/descendant` ([rows kept,
/// cols], the checkpoints' values exactly) and `/low` ([probed ranks, rows kept, cols], F16;
/// absent when the tensor was not decomposed).
///
/// Hostile input like the rest of the file: every stored shape must be exactly the one the
/// fingerprint's declared shapes and the recorded row sampling give, before anything is
/// sized from it, and the row lists are recomputed from the seed, never read.
public struct SpectralSampleLayout: Sendable {
    public enum Key {
        public static let version = "pedigree.spectral"
        public static let ancestorID = "pedigree.spectral.ancestor_id"
        public static let ancestorSHA256 = "pedigree.spectral.ancestor_sha256"
        public static let divisor = "pedigree.spectral.width_divisor"
        public static let seed = "pedigree.spectral.seed"
        public static let rowRate = "pedigree.spectral.row_rate"
        public static let ranks = "pedigree.spectral.ranks"
    }

    static let prefix = "pedigree.spectral/"
    public static func entryName(_ tensor: String, _ part: String) -> String { prefix + tensor + "/" + part }

    public let ancestorID: String
    public let ancestorSHA256: String
    public let divisor: Int
    public let seed: UInt64
    let entries: [String: (ancestor: TensorInfo, descendant: TensorInfo, low: TensorInfo?, rows: Int, cols: Int)]

    public var tensorNames: [String] { entries.keys.sorted() }

    /// nil when the file carries no spectral sample.
    init?(header: SafetensorsHeader, path: String, shapes: [String: [Int]]) throws(FingerprintError) {
        let meta = header.metadata
        guard let version = meta[Key.version] else { return nil }
        guard version == SpectralSample.version else {
            throw .badMetadata(path: path, key: Key.version, reason: "is '\(String(version.prefix(16)))'; this Pedigree reads version \(SpectralSample.version)")
        }
        func required(_ key: String) throws(FingerprintError) -> String {
            guard let value = meta[key] else { throw .missingMetadata(path: path, key: key) }
            return value
        }
        let id = try required(Key.ancestorID)
        guard !id.isEmpty, id.utf8.count <= 200 else { throw .badMetadata(path: path, key: Key.ancestorID, reason: "must be a model id") }
        let sha = try required(Key.ancestorSHA256)
        guard HexDigest.isSHA256(sha) else {
            throw .badMetadata(path: path, key: Key.ancestorSHA256, reason: "must be 64 lowercase hexadecimal digits")
        }
        guard let divisor = Int(try required(Key.divisor)), (1 ... 1024).contains(divisor) else {
            throw .badMetadata(path: path, key: Key.divisor, reason: "must be an integer from 1 to 1024")
        }
        guard let seed = UInt64(try required(Key.seed)) else { throw .badMetadata(path: path, key: Key.seed, reason: "must be an unsigned integer") }
        // The sampling and the probed ranks are this version's; a file recording others was
        // made by another version and would be read wrong.
        guard try required(Key.rowRate) == String(SpectralSample.rowRate) else {
            throw .badMetadata(path: path, key: Key.rowRate, reason: "must be \(SpectralSample.rowRate) (this version's row sampling)")
        }
        guard try required(Key.ranks) == SpectralPass.ranks.map(String.init).joined(separator: ",") else {
            throw .badMetadata(path: path, key: Key.ranks, reason: "must be \(SpectralPass.ranks.map(String.init).joined(separator: ","))")
        }
        var byTensor: [String: [String: TensorInfo]] = [:]
        for tensor in header.tensors where tensor.name.hasPrefix(Self.prefix) {
            let rest = tensor.name.dropFirst(Self.prefix.count)
            guard let slash = rest.lastIndex(of: "/") else {
                throw .tensorMismatch(path: path, name: tensor.name, reason: "is not <tensor>/<part> under \(Self.prefix)")
            }
            byTensor[String(rest[..<slash]), default: [:]][String(rest[rest.index(after: slash)...])] = tensor
        }
        guard !byTensor.isEmpty else { throw .badMetadata(path: path, key: Key.version, reason: "is set but the file stores no spectral sample") }
        var entries: [String: (ancestor: TensorInfo, descendant: TensorInfo, low: TensorInfo?, rows: Int, cols: Int)] = [:]
        for (name, parts) in byTensor {
            let place = Self.entryName(name, "")
            guard let shape = shapes[name], shape.count >= 2 else {
                throw .tensorMismatch(path: path, name: place, reason: "samples a tensor the fingerprint does not declare as a matrix")
            }
            guard Set(parts.keys).isSubset(of: ["ancestor", "descendant", "low"]), let a = parts["ancestor"], let d = parts["descendant"] else {
                throw .tensorMismatch(path: path, name: place, reason: "must hold exactly 'ancestor', 'descendant' and optionally 'low'")
            }
            let rows = shape[0], cols = shape.dropFirst().reduce(1, *)
            let kept = SpectralSample.sampledRowCount(rows: rows)
            for part in [a, d] {
                guard part.shape == [kept, cols], part.dtype.convertsToFloat32 else {
                    throw .tensorMismatch(path: path, name: part.name, reason: "must be [\(kept), \(cols)] of a real type (the sampled rows of \(shape))")
                }
            }
            if let low = parts["low"] {
                guard low.shape == [SpectralPass.ranks.count, kept, cols], low.dtype.convertsToFloat32 else {
                    throw .tensorMismatch(path: path, name: low.name, reason: "must be [\(SpectralPass.ranks.count), \(kept), \(cols)] of a real type")
                }
            }
            entries[name] = (a, d, parts["low"], rows, cols)
        }
        ancestorID = id
        ancestorSHA256 = sha
        self.divisor = divisor
        self.seed = seed
        self.entries = entries
    }

    /// The type a tensor's A and D rows are stored in; nil when the sample does not hold it.
    func storedType(of name: String) -> DType? { entries[name]?.ancestor.dtype }

    /// One tensor's sampled rows, read from `file`; nil when the sample does not hold it.
    func rows(of name: String, file: SafetensorsFile) throws -> SpectralSample.Rows? {
        guard let entry = entries[name] else { return nil }
        let indices = SpectralSample.sampledRows(name: name, rows: entry.rows, seed: seed)
        let ranks = entry.low == nil ? SpectralPass.ranks.map { _ in 0 }
            : SpectralPass.ranks.map { SpectralPass.scaledRank($0, divisor: divisor, rows: entry.rows, cols: entry.cols) }
        return SpectralSample.Rows(name: name, rows: entry.rows, cols: entry.cols, indices: indices, ranks: ranks,
                                   ancestor: try file.readFloat32(entry.ancestor), descendant: try file.readFloat32(entry.descendant),
                                   low: try entry.low.map { try file.readFloat32($0) } ?? [])
    }
}
