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
    /// The spectral sample of this reference's change from its ancestor, when the
    /// fingerprint was made with one (`pedigree fingerprint --spectral-ancestor`).
    public let spectral: SpectralSampleLayout?

    public var path: String { file.path }

    /// Returns nil when `file` is not a fingerprint; throws when it claims to be one but
    /// is not usable (wrong version or sampling, missing or out-of-range metadata, declared
    /// shapes that do not match the stored tensors). See `FingerprintLayout`.
    public init?(file: SafetensorsFile, label: String) throws {
        guard let layout = try FingerprintLayout(header: file.header, path: file.path) else { return nil }
        self.label = label
        self.file = file
        self.sampling = layout.sampling
        self.sourceSHA256 = layout.sourceSHA256
        self.referenceID = layout.referenceID
        self.architecture = layout.architecture
        self.shapes = layout.shapes
        self.dtypes = layout.dtypes
        self.columnsByName = layout.columnsByName
        self.spectral = try SpectralSampleLayout(header: file.header, path: file.path, shapes: layout.shapes)
    }

    /// One tensor's spectral sample rows; nil when the fingerprint holds none for it.
    func spectralRows(of name: String) throws -> SpectralSample.Rows? {
        try spectral?.rows(of: name, file: file)
    }

    public func heldColumns(of name: String) -> [Int]? { columnsByName[name] }

    public func bytesPerRow(of name: String) -> Int {
        guard let stored = file.header.tensor(named: name), let k = stored.shape.last else { return 0 }
        return k * stored.dtype.bitSize / 8
    }

    public func readRows(_ name: String, rows: Range<Int>, columns: [Int]?, into destination: UnsafeMutableBufferPointer<Float>, scratch: ScratchSpace) throws {
        guard let stored = file.header.tensor(named: name), let held = columnsByName[name] else {
            throw SafetensorsError.notFound(path: path, name: name)
        }
        guard columns == nil || columns == held else {
            throw FingerprintError.tensorMismatch(path: path, name: name, reason: "asked for columns this fingerprint does not hold")
        }
        let k = held.count
        destination.requireRows(rows.count, width: k)
        let elements = (rows.lowerBound * k) ..< (rows.upperBound * k)
        try scratch.withStaging(bytes: SafetensorsFile.stagingBytes(for: elements.count, dtype: stored.dtype)) { staging in
            try file.readFloat32(stored, elements: elements, into: destination, staging: staging)
        }
    }
}
