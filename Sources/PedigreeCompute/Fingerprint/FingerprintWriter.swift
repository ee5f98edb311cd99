import CPedigreeKernels
import Foundation
import PedigreeFormat
import PedigreeSupport

/// Writes a reference fingerprint: for every compared tensor, the sampled columns with all
/// their rows, byte for byte as the checkpoint stores them (F16, BF16 and F32 are copied
/// exactly; other types are converted to F32). Streams tensor by tensor in bounded memory.
public enum FingerprintWriter {
    public struct Summary: Sendable, Codable {
        public let path: String
        public let id: String
        public let bytes: Int64
        public let sourceBytes: Int64
        public let tensors: Int
        public let rate: Double
        /// The spectral sample carried (`--spectral-ancestor`): against which model, for how many tensors, in how many bytes.
        public var spectralAncestor: String? = nil
        public var spectralTensors: Int = 0
        public var spectralBytes: Int64 = 0
        public var fraction: Double { Double(bytes) / Double(max(sourceBytes, 1)) }
        public var spectralFraction: Double { Double(spectralBytes) / Double(max(sourceBytes, 1)) }
    }

    public static func write(
        checkpoint path: String, id: String, to output: String, rate: Double = ColumnSampling.defaultRate,
        seed: UInt64 = ColumnSampling.defaultSeed, filter: TensorFilter = TensorFilter(),
        hashCache: HashCache? = nil, spectral: SpectralSampleBuild? = nil, progress: any ProgressSink = SilentProgress()
    ) throws -> Summary {
        guard rate > 0, rate <= 1 else { throw FingerprintError.badRate(rate: rate) }
        let file = try SafetensorsFile(path: path)
        if try Fingerprint(file: file, label: id) != nil {
            throw FingerprintError.badMetadata(path: path, key: Fingerprint.Key.format, reason: "marks this file as a fingerprint already; fingerprint the checkpoint itself")
        }
        let sha = try hashCache?.sha256(of: file, progress: progress) ?? CheckpointHasher.sha256(reader: file.reader, progress: progress)
        let tensors = file.header.tensors.filter { filter.admits($0.name) && $0.dtype.convertsToFloat32 }

        let sampling = ColumnSampling.plan(for: tensors.map { ColumnSampling.TensorShape(name: $0.name, shape: $0.shape) }, rate: rate, seed: seed)
        let plans = tensors.map { tensor -> (tensor: TensorInfo, columns: [Int], stored: DType) in
            let columns = sampling[tensor.name] ?? []
            let exact: Set<DType> = [.f16, .bf16, .f32]
            return (tensor, columns, exact.contains(tensor.dtype) ? tensor.dtype : .f32)
        }
        var shapes: [String: [Int]] = [:]
        for plan in plans { shapes[plan.tensor.name] = plan.tensor.shape }
        let shapesJSON = String(decoding: try JSONEncoder.sorted.encode(shapes), as: UTF8.self)
        if let spectral, spectral.descendantSHA256 != sha {
            throw FingerprintError.badMetadata(path: path, key: SpectralSampleLayout.Key.version, reason: "the spectral sample was made from another file (SHA-256 \(spectral.descendantSHA256.prefix(16))…)")
        }
        var metadata = [
            Fingerprint.Key.format: Fingerprint.formatVersion, Fingerprint.Key.sampling: ColumnSampling.version,
            Fingerprint.Key.rate: String(rate), Fingerprint.Key.seed: String(seed), Fingerprint.Key.sourceSHA256: sha,
            Fingerprint.Key.sourceName: URL(fileURLWithPath: path).lastPathComponent, Fingerprint.Key.id: id,
            Fingerprint.Key.architecture: Architecture.detect(names: file.header.tensorNames).rawValue,
            Fingerprint.Key.toolVersion: ToolInfo.version, Fingerprint.Key.shapes: shapesJSON,
        ]
        let sampled = (spectral?.tensors ?? []).filter { shapes[$0.name] != nil }.sorted { $0.name < $1.name }
        let spectralEntries = sampled.flatMap { SpectralSampleWriting.entries($0, stored: spectral?.storedTypes[$0.name] ?? .f32) }
        if let spectral { metadata.merge(SpectralSampleWriting.metadata(spectral)) { _, new in new } }
        let entries = plans.map { SafetensorsWriter.Entry(name: $0.tensor.name, dtype: $0.stored, shape: [$0.tensor.rows, $0.columns.count]) }
            + spectralEntries
        let writer = try SafetensorsWriter(path: output, entries: entries, metadata: metadata)

        progress.begin(label: "fingerprinting", totalItems: plans.count, totalBytes: plans.reduce(0) { $0 + Int64($1.tensor.byteCount) })
        defer { progress.finish() }
        let scratch = ScratchSpace()
        for plan in plans {
            try copySampledColumns(plan.tensor, columns: plan.columns, stored: plan.stored, from: file, to: writer, scratch: scratch)
            progress.advance(items: 1, bytes: Int64(plan.tensor.byteCount))
        }
        for rows in sampled {
            try SpectralSampleWriting.append(rows, stored: spectral?.storedTypes[rows.name] ?? .f32, to: writer)
        }
        // The fingerprint must be of one version of the checkpoint, the one its hash names.
        try file.reader.checkUnchanged()
        try writer.finish()
        let size = ((try? FileManager.default.attributesOfItem(atPath: output))?[.size] as? Int64) ?? 0
        let spectralBytes = spectralEntries.reduce(Int64(0)) { $0 + Int64($1.byteCount) }
        return Summary(path: output, id: id, bytes: size, sourceBytes: file.fileSize, tensors: plans.count, rate: rate,
                       spectralAncestor: spectral?.ancestorID, spectralTensors: sampled.count, spectralBytes: spectralBytes)
    }

    /// Streams the sampled columns of `tensor` into the writer, a chunk of rows at a time:
    /// exact bytes when the stored type is the checkpoint's, Float32 otherwise.
    private static func copySampledColumns(
        _ tensor: TensorInfo, columns: [Int], stored: DType, from file: SafetensorsFile, to writer: SafetensorsWriter, scratch: ScratchSpace
    ) throws {
        let rowsPerChunk = max(1, (1 << 20) / max(tensor.columns, 1))
        var floats: [Float] = []
        var start = 0
        while start < tensor.rows {
            let rows = start ..< min(tensor.rows, start + rowsPerChunk)
            if stored == tensor.dtype {
                try file.withSampledColumnBytes(tensor, rows: rows, columns: columns, scratch: scratch) { try writer.append($0) }
            } else {
                floats.removeAll(keepingCapacity: true)
                floats.append(contentsOf: repeatElement(0, count: rows.count * columns.count))
                try floats.withUnsafeMutableBufferPointer { buffer in
                    try file.readSampledColumns(tensor, rows: rows, columns: columns, into: buffer, scratch: scratch)
                }
                try floats.withUnsafeBytes { try writer.append($0) }
            }
            start = rows.upperBound
        }
    }
}

/// How a spectral sample is laid out in a fingerprint (read back by `SpectralSampleLayout`).
enum SpectralSampleWriting {
    static func metadata(_ build: SpectralSampleBuild) -> [String: String] {
        typealias Key = SpectralSampleLayout.Key
        return [Key.version: SpectralSample.version, Key.ancestorID: build.ancestorID, Key.ancestorSHA256: build.ancestorSHA256,
                Key.divisor: String(build.divisor), Key.seed: String(build.seed), Key.rowRate: String(SpectralSample.rowRate),
                Key.ranks: SpectralPass.ranks.map(String.init).joined(separator: ",")]
    }

    static func entries(_ rows: SpectralSample.Rows, stored: DType) -> [SafetensorsWriter.Entry] {
        let kept = rows.indices.count
        var list = [SafetensorsWriter.Entry(name: SpectralSampleLayout.entryName(rows.name, "ancestor"), dtype: stored, shape: [kept, rows.cols]),
                    SafetensorsWriter.Entry(name: SpectralSampleLayout.entryName(rows.name, "descendant"), dtype: stored, shape: [kept, rows.cols])]
        if rows.decomposed {
            list.append(.init(name: SpectralSampleLayout.entryName(rows.name, "low"), dtype: .f16, shape: [rows.ranks.count, kept, rows.cols]))
        }
        return list
    }

    /// In `entries`' order: A's rows, D's rows (in `stored`), then L_k's rows in F16.
    static func append(_ rows: SpectralSample.Rows, stored: DType, to writer: SafetensorsWriter) throws {
        try append(rows.ancestor, as: stored, to: writer)
        try append(rows.descendant, as: stored, to: writer)
        if rows.decomposed { try append(rows.low, as: .f16, to: writer) }
    }

    /// `values` as a reader gets them back once stored in `dtype` (F16 and BF16 round;
    /// F32 is kept), so that a sample measured as made and one read from a file agree.
    static func roundTrip(_ values: [Float], as dtype: DType) -> [Float] {
        guard let bits = halfBits(values, as: dtype) else { return values }
        var back = [Float](repeating: 0, count: values.count)
        bits.withUnsafeBytes { half in
            back.withUnsafeMutableBufferPointer { out in
                guard let from = half.baseAddress, let to = out.baseAddress else { return }
                // SAFETY: half holds values.count 16-bit values, out values.count floats.
                precondition(half.count == 2 * out.count)
                if dtype == .f16 { pk_f16_to_f32(from, to, out.count) } else { pk_bf16_to_f32(from, to, out.count) }
            }
        }
        return back
    }

    private static func append(_ values: [Float], as dtype: DType, to writer: SafetensorsWriter) throws {
        if let bits = halfBits(values, as: dtype) {
            try bits.withUnsafeBytes { try writer.append($0) }
        } else {
            try values.withUnsafeBytes { try writer.append($0) }
        }
    }

    /// `values` in F16 or BF16 bits; nil for any other type (stored as F32).
    private static func halfBits(_ values: [Float], as dtype: DType) -> [UInt16]? {
        guard dtype == .f16 || dtype == .bf16 else { return nil }
        var bits = [UInt16](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { source in
            bits.withUnsafeMutableBytes { destination in
                guard let from = source.baseAddress, let to = destination.baseAddress else { return }
                // SAFETY: source holds values.count floats, destination values.count 16-bit slots.
                precondition(destination.count >= 2 * source.count)
                if dtype == .f16 { pk_f32_to_f16(from, to, values.count) } else { pk_f32_to_bf16(from, to, values.count) }
            }
        }
        return bits
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
