import Foundation
import PedigreeFormat
import PedigreeSupport

/// What a fingerprint's metadata declares, checked against the tensors its header stores
/// before anything is sized from it.
///
/// The metadata is hostile input like every other byte of the file: the rate, seed and
/// declared shapes are range-checked with overflow-checked arithmetic, and each declared
/// tensor's stored shape must be exactly `[rows, count]` for the column count the sampling
/// gives it *before* any column list is built. A column list is therefore never longer
/// than a stored tensor the file really holds, so a `pedigree.shapes` entry claiming
/// [2^31, 2^31] costs an error, not a 10^17-byte allocation.
struct FingerprintLayout {
    let sampling: SamplingSettings
    let sourceSHA256: String
    let referenceID: String?
    let architecture: String
    let shapes: [String: [Int]]
    let dtypes: [String: DType]
    let columnsByName: [String: [Int]]

    /// Returns nil when the header carries no fingerprint marker.
    init?(header: SafetensorsHeader, path: String) throws(FingerprintError) {
        let meta = header.metadata
        guard let format = meta[Fingerprint.Key.format] else { return nil }
        guard format == Fingerprint.formatVersion else { throw .unsupportedFormat(path: path, found: format) }
        func required(_ key: String) throws(FingerprintError) -> String {
            guard let value = meta[key] else { throw .missingMetadata(path: path, key: key) }
            return value
        }
        let version = try required(Fingerprint.Key.sampling)
        guard version == ColumnSampling.version else { throw .unsupportedSampling(path: path, found: version) }
        guard let rate = Double(try required(Fingerprint.Key.rate)), rate.isFinite, rate > 0, rate <= 1 else {
            throw .badMetadata(path: path, key: Fingerprint.Key.rate, reason: "must be a number in (0, 1]")
        }
        guard let seed = UInt64(try required(Fingerprint.Key.seed)) else {
            throw .badMetadata(path: path, key: Fingerprint.Key.seed, reason: "must be an unsigned integer")
        }
        let sha = try required(Fingerprint.Key.sourceSHA256)
        guard HexDigest.isSHA256(sha) else {
            throw .badMetadata(path: path, key: Fingerprint.Key.sourceSHA256, reason: "must be 64 lowercase hexadecimal digits")
        }
        let declared = try Self.declaredShapes(try required(Fingerprint.Key.shapes), path: path)

        // Sizes first (cheap arithmetic on Doubles), then the check against what is stored,
        // and only then the column lists.
        let counts = ColumnSampling.counts(for: declared, rate: rate)
        var dtypes: [String: DType] = [:]
        var shapes: [String: [Int]] = [:]
        for tensor in declared {
            guard let stored = header.tensor(named: tensor.name) else {
                throw .tensorMismatch(path: path, name: tensor.name, reason: "listed in \(Fingerprint.Key.shapes) but not stored")
            }
            let count = counts[tensor.name] ?? 0
            guard stored.shape == [tensor.rows, count] else {
                throw .tensorMismatch(
                    path: path, name: tensor.name,
                    reason: "stores \(stored.shape) but sampling \(tensor.shape) at rate \(rate) gives [\(tensor.rows), \(count)]")
            }
            guard stored.dtype.convertsToFloat32 else {
                throw .tensorMismatch(path: path, name: tensor.name, reason: "stored as \(stored.dtype.rawValue), which has no real value")
            }
            dtypes[tensor.name] = stored.dtype
            shapes[tensor.name] = tensor.shape
        }
        var columnsByName: [String: [Int]] = [:]
        for tensor in declared {
            columnsByName[tensor.name] = ColumnSampling.columns(
                name: tensor.name, columns: tensor.columns, count: counts[tensor.name] ?? 0, seed: seed)
        }
        self.sampling = SamplingSettings(version: version, rate: rate, seed: seed)
        self.sourceSHA256 = sha
        self.referenceID = meta[Fingerprint.Key.id]
        self.architecture = meta[Fingerprint.Key.architecture] ?? "unknown"
        self.shapes = shapes
        self.dtypes = dtypes
        self.columnsByName = columnsByName
    }

    /// `pedigree.shapes`: a JSON object of tensor names to shapes of non-negative integers
    /// whose product, zeros left out, is at most `TensorInfo.maxExtent`. Shapes have at most 8 dimensions (SDXL's have 4).
    static let maxRank = 8

    private static func declaredShapes(_ json: String, path: String) throws(FingerprintError) -> [ColumnSampling.TensorShape] {
        let bad = FingerprintError.badMetadata(path: path, key: Fingerprint.Key.shapes, reason: "must map tensor names to shapes")
        guard let map = try? JSONDecoder().decode([String: [Int]].self, from: Data(json.utf8)) else { throw bad }
        var declared: [ColumnSampling.TensorShape] = []
        declared.reserveCapacity(map.count)
        for (name, shape) in map.sorted(by: { $0.key < $1.key }) {
            guard shape.count <= maxRank, let checked = ColumnSampling.TensorShape(name: name, checkedShape: shape) else {
                throw .badMetadata(
                    path: path, key: Fingerprint.Key.shapes,
                    reason: "gives tensor '\(name)' the shape \(shape): dimensions must be non-negative, at most \(maxRank), and multiply (zeros left out) to at most 2^36")
            }
            declared.append(checked)
        }
        return declared
    }
}
