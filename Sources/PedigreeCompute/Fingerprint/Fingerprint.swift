import Foundation
import PedigreeFormat
import PedigreeSupport

/// Sampling settings recorded in a fingerprint.
public struct SamplingSettings: Sendable, Equatable {
    public let version: String
    public let rate: Double
    public let seed: UInt64

    public func agrees(with other: SamplingSettings) -> Bool { self == other }
}

/// A reference fingerprint opened as a tensor source: for each tensor, a deterministic
/// sample of its columns (all rows of each), stored in an ordinary safetensors file and
/// recognised by its `pedigree.fingerprint` metadata, whatever the file's name.
public struct Fingerprint: TensorSource {
    public static let formatVersion = "1"

    public enum Key {
        public static let format = "pedigree.fingerprint"
        public static let sampling = "pedigree.sampling"
        public static let rate = "pedigree.rate"
        public static let seed = "pedigree.seed"
        public static let sourceSHA256 = "pedigree.source_sha256"
        public static let sourceName = "pedigree.source_name"
        public static let id = "pedigree.id"
        public static let architecture = "pedigree.architecture"
        public static let toolVersion = "pedigree.tool_version"
        public static let shapes = "pedigree.shapes"
    }

    public let label: String
    public let file: SafetensorsFile
    public let sampling: SamplingSettings
    public let sourceSHA256: String
    public let referenceID: String?
    public let architecture: String
    public let shapes: [String: [Int]]
    public let dtypes: [String: DType]
    private let columnsByName: [String: [Int]]

    public var path: String { file.path }

    /// Returns nil when `file` is not a fingerprint; throws when it claims to be one but
    /// is not usable (wrong version or sampling, missing metadata, tensors that do not match).
    public init?(file: SafetensorsFile, label: String) throws {
        let meta = file.header.metadata
        guard let format = meta[Key.format] else { return nil }
        let path = file.path
        guard format == Self.formatVersion else { throw FingerprintError.unsupportedFormat(path: path, found: format) }
        func required(_ key: String) throws -> String {
            guard let value = meta[key] else { throw FingerprintError.missingMetadata(path: path, key: key) }
            return value
        }
        let version = try required(Key.sampling)
        guard version == ColumnSampling.version else { throw FingerprintError.unsupportedSampling(path: path, found: version) }
        guard let rate = Double(try required(Key.rate)), rate > 0, rate <= 1 else {
            throw FingerprintError.badMetadata(path: path, key: Key.rate, reason: "must be a number in (0, 1]")
        }
        guard let seed = UInt64(try required(Key.seed)) else {
            throw FingerprintError.badMetadata(path: path, key: Key.seed, reason: "must be an unsigned integer")
        }
        let shapesJSON = try required(Key.shapes)
        guard let shapes = try? JSONDecoder().decode([String: [Int]].self, from: Data(shapesJSON.utf8)),
              shapes.values.allSatisfy({ $0.allSatisfy { $0 >= 0 } }) else {
            throw FingerprintError.badMetadata(path: path, key: Key.shapes, reason: "must map tensor names to shapes")
        }
        self.label = label
        self.file = file
        self.sampling = SamplingSettings(version: version, rate: rate, seed: seed)
        self.sourceSHA256 = try required(Key.sourceSHA256)
        self.referenceID = meta[Key.id]
        self.architecture = meta[Key.architecture] ?? "unknown"

        var columnsByName: [String: [Int]] = [:]
        var dtypes: [String: DType] = [:]
        let plan = ColumnSampling.plan(for: shapes.map { ColumnSampling.TensorShape(name: $0.key, shape: $0.value) }, rate: rate, seed: seed)
        for (name, shape) in shapes {
            guard let stored = file.header.tensor(named: name) else {
                throw FingerprintError.tensorMismatch(path: path, name: name, reason: "listed in \(Key.shapes) but not stored")
            }
            let rows = shape.count <= 1 ? (shape.first ?? 1) : shape[0]
            let held = plan[name] ?? []
            guard stored.shape == [rows, held.count] else {
                throw FingerprintError.tensorMismatch(
                    path: path, name: name,
                    reason: "stores \(stored.shape) but sampling \(shape) at rate \(rate) gives [\(rows), \(held.count)]")
            }
            columnsByName[name] = held
            dtypes[name] = stored.dtype
        }
        self.shapes = shapes
        self.dtypes = dtypes
        self.columnsByName = columnsByName
    }

    public func heldColumns(of name: String) -> [Int]? { columnsByName[name] }

    public func bytesPerRow(of name: String) -> Int {
        guard let stored = file.header.tensor(named: name), let k = stored.shape.last else { return 0 }
        return k * stored.dtype.bitSize / 8
    }

    public func readRows(_ name: String, rows: Range<Int>, columns: [Int]?, into destination: UnsafeMutablePointer<Float>, scratch: ScratchSpace) throws {
        guard let stored = file.header.tensor(named: name), let held = columnsByName[name] else {
            throw SafetensorsError.notFound(path: path, name: name)
        }
        guard columns == nil || columns == held else {
            throw FingerprintError.tensorMismatch(path: path, name: name, reason: "asked for columns this fingerprint does not hold")
        }
        let k = held.count
        let elements = (rows.lowerBound * k) ..< (rows.upperBound * k)
        let staging = scratch.stagingBuffer(bytes: SafetensorsFile.stagingBytes(for: elements.count, dtype: stored.dtype))
        try file.readFloat32(stored, elements: elements, into: destination, staging: staging)
    }
}
