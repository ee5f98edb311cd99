import PedigreeCompute
import PedigreeFormat
import PedigreeSupport
import PedigreeTestSupport
import Synchronization
import Testing

/// Every tensor row of every file is read exactly once, whatever the number of references.
struct OnePassTests {
    /// Wraps a source and counts the rows it hands out per tensor.
    final class CountingSource: TensorSource, @unchecked Sendable {
        let inner: any TensorSource
        let counts = Mutex<[String: Int]>([:])
        init(_ inner: any TensorSource) { self.inner = inner }
        var label: String { inner.label }
        var path: String { inner.path }
        var shapes: [String: [Int]] { inner.shapes }
        var dtypes: [String: DType] { inner.dtypes }
        func heldColumns(of name: String) -> [Int]? { inner.heldColumns(of: name) }
        func bytesPerRow(of name: String) -> Int { inner.bytesPerRow(of: name) }
        func readRows(_ name: String, rows: Range<Int>, columns: [Int]?, into destination: UnsafeMutableBufferPointer<Float>, scratch: ScratchSpace) throws {
            counts.withLock { $0[name, default: 0] += rows.count }
            try inner.readRows(name, rows: rows, columns: columns, into: destination, scratch: scratch)
        }
    }

    @Test(arguments: [1, 2, 4], [7, 1 << 16])
    func eachRowIsReadOnce(workers: Int, chunk: Int) throws {
        let dir = try TemporaryDirectory()
        for (i, name) in ["c", "r1", "r2", "r3"].enumerated() {
            try SyntheticFiles.write([(1, SyntheticFiles.component(seed: 10)), (0.2, SyntheticFiles.component(seed: UInt64(20 + i)))], to: dir.file("\(name).safetensors"))
        }
        let sources = try ["c", "r1", "r2", "r3"].map { CountingSource(CheckpointSource(label: $0, file: try SafetensorsFile(path: dir.file("\($0).safetensors")))) }
        let (tensors, skipped) = ComparisonPlanner.plan(sources: sources.map { .init(label: $0.label, shapes: $0.shapes, dtypes: $0.dtypes) }, filter: TensorFilter())
        #expect(skipped.isEmpty)
        let stats = try OnePassEngine(workers: workers, chunkElements: chunk).run(sources: sources, tensors: tensors, progress: SilentProgress())
        #expect(stats.count == tensors.count)
        for source in sources {
            let counts = source.counts.withLock { $0 }
            for tensor in tensors { #expect(counts[tensor.name] == tensor.rows, "\(source.label) \(tensor.name)") }
        }
        // Chunking and threading must not change the figures.
        let reference = try OnePassEngine(workers: 1, chunkElements: 1 << 20).run(sources: sources, tensors: tensors, progress: SilentProgress())
        for (a, b) in zip(stats, reference) {
            #expect(a.tensor.name == b.tensor.name)
            // Only float32 rounding of the 16-row partial sums may differ (≈1e-8 per column).
            for (x, y) in zip(a.columnCosineSum, b.columnCosineSum) { #expect(abs(x - y) < 1e-7 * Double(a.comparedColumns)) }
        }
    }

    @Test func missingKeysAndShapeMismatchesAreReportedNotFatal() throws {
        let dir = try TemporaryDirectory()
        try SyntheticFiles.write([(1, SyntheticFiles.component(seed: 1))], to: dir.file("c.safetensors"))
        // A reference lacking one tensor and disagreeing on another's shape.
        let shapes = SyntheticFiles.shapes
        let entries = [SafetensorsWriter.Entry(name: shapes[0].0, dtype: .f32, shape: shapes[0].1),
                       SafetensorsWriter.Entry(name: shapes[1].0, dtype: .f32, shape: [64, 80])]
        let writer = try SafetensorsWriter(path: dir.file("r.safetensors"), entries: entries)
        for entry in entries {
            let values = [Float](repeating: 0.5, count: entry.shape.reduce(1, *))
            try values.withUnsafeBytes { try writer.write(name: entry.name, bytes: $0) }
        }
        try writer.finish()
        let result = try Comparison.run(
            ComparisonRequest(candidate: dir.file("c.safetensors"), references: [.init(id: "r", path: dir.file("r.safetensors"))], identifyFiles: false),
            hashCache: nil)
        #expect(result.keysCompared == 1)
        #expect(result.skipped.contains { $0.name == shapes[1].0 && $0.reason == .shapeMismatch })
        #expect(result.skipped.filter { $0.reason == .missing }.count == shapes.count - 2)
    }
}
