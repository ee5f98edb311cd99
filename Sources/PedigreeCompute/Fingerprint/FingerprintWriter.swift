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
        public var fraction: Double { Double(bytes) / Double(max(sourceBytes, 1)) }
    }

    public static func write(
        checkpoint path: String, id: String, to output: String, rate: Double = ColumnSampling.defaultRate,
        seed: UInt64 = ColumnSampling.defaultSeed, filter: TensorFilter = TensorFilter(),
        hashCache: HashCache = HashCache(), progress: any ProgressSink = SilentProgress()
    ) throws -> Summary {
        guard rate > 0, rate <= 1 else { throw FingerprintError.badRate(rate: rate) }
        let file = try SafetensorsFile(path: path)
        if try Fingerprint(file: file, label: id) != nil {
            throw FingerprintError.badMetadata(path: path, key: Fingerprint.Key.format, reason: "marks this file as a fingerprint already; fingerprint the checkpoint itself")
        }
        let sha = try hashCache.hashes(of: file, progress: progress).sha256
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
        let metadata = [
            Fingerprint.Key.format: Fingerprint.formatVersion, Fingerprint.Key.sampling: ColumnSampling.version,
            Fingerprint.Key.rate: String(rate), Fingerprint.Key.seed: String(seed), Fingerprint.Key.sourceSHA256: sha,
            Fingerprint.Key.sourceName: URL(fileURLWithPath: path).lastPathComponent, Fingerprint.Key.id: id,
            Fingerprint.Key.architecture: Architecture.detect(names: file.header.tensorNames).rawValue,
            Fingerprint.Key.toolVersion: ToolInfo.version, Fingerprint.Key.shapes: shapesJSON,
        ]
        let entries = plans.map { SafetensorsWriter.Entry(name: $0.tensor.name, dtype: $0.stored, shape: [$0.tensor.rows, $0.columns.count]) }
        let writer = try SafetensorsWriter(path: output, entries: entries, metadata: metadata)

        progress.begin(label: "fingerprinting", totalItems: plans.count, totalBytes: plans.reduce(0) { $0 + Int64($1.tensor.byteCount) })
        defer { progress.finish() }
        let scratch = ScratchSpace()
        for plan in plans {
            try copySampledColumns(plan.tensor, columns: plan.columns, stored: plan.stored, from: file, to: writer, scratch: scratch)
            progress.advance(items: 1, bytes: Int64(plan.tensor.byteCount))
        }
        try writer.finish()
        let size = ((try? FileManager.default.attributesOfItem(atPath: output))?[.size] as? Int64) ?? 0
        return Summary(path: output, id: id, bytes: size, sourceBytes: file.fileSize, tensors: plans.count, rate: rate)
    }

    private static func copySampledColumns(
        _ tensor: TensorInfo, columns: [Int], stored: DType, from file: SafetensorsFile, to writer: SafetensorsWriter, scratch: ScratchSpace
    ) throws {
        let width = tensor.columns
        let rowsPerChunk = max(1, (1 << 20) / max(width, 1))
        var start = 0
        while start < tensor.rows {
            let end = min(tensor.rows, start + rowsPerChunk)
            let elements = (start * width) ..< (end * width)
            var out: [UInt8]
            if stored == tensor.dtype {
                // Exact copy of each sampled element's bytes.
                let size = tensor.dtype.bitSize / 8
                let raw = scratch.stagingBuffer(bytes: elements.count * size)
                try file.reader.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[0 ..< elements.count * size]),
                                     at: file.fileOffset(of: tensor) + Int64(elements.lowerBound * size))
                out = [UInt8](repeating: 0, count: (end - start) * columns.count * size)
                for r in 0 ..< (end - start) {
                    for (i, column) in columns.enumerated() {
                        let from = (r * width + column) * size
                        let to = (r * columns.count + i) * size
                        for b in 0 ..< size { out[to + b] = raw[from + b] }
                    }
                }
            } else {
                let wide = scratch.wideBuffer(elements: elements.count)
                let staging = UnsafeMutableRawBufferPointer.allocate(byteCount: SafetensorsFile.stagingBytes(for: elements.count, dtype: tensor.dtype), alignment: 64)
                defer { staging.deallocate() }
                try file.readFloat32(tensor, elements: elements, into: wide, staging: staging)
                var floats = [Float](repeating: 0, count: (end - start) * columns.count)
                for r in 0 ..< (end - start) {
                    for (i, column) in columns.enumerated() { floats[r * columns.count + i] = wide[r * width + column] }
                }
                out = floats.withUnsafeBytes { Array($0) }
            }
            try out.withUnsafeBytes { try writer.append($0) }
            start = end
        }
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
