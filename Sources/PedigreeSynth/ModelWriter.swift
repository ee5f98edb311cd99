import CPedigreeKernels
import PedigreeFormat
import PedigreeSupport

/// Streams one model of a recipe to a safetensors file: tensors in SDXLLayout order, cut
/// into chunks of whole rows, generated on worker threads, converted to the output dtype
/// with the C kernels, and appended through `SafetensorsWriter` on the calling thread.
struct ModelWriter {
    /// Some rows of one tensor.
    struct Segment {
        let tensor: Int
        let rows: Range<Int>
        let isLastOfTensor: Bool
    }

    /// The unit handed between threads: up to `chunkElements` elements, possibly spanning
    /// several small tensors. Packing the ~1,500 small tensors (biases, norms) together
    /// keeps thread hand-overs, and their wake-up latency on a busy machine, rare.
    struct Chunk {
        var segments: [Segment] = []
        var elements = 0
    }

    let recipe: SynthRecipe
    let model: SynthRecipe.Model
    let entries: [SafetensorsWriter.Entry]
    let chunks: [Chunk]
    let chunkElements: Int
    let widthDivisor: Int
    let statistics: MergeStatistics

    init(recipe: SynthRecipe, model: SynthRecipe.Model, widthDivisor: Int, dtype: DType, chunkElements: Int,
         statistics: MergeStatistics = MergeStatistics()) {
        self.recipe = recipe
        self.model = model
        self.widthDivisor = widthDivisor
        self.statistics = statistics
        let dtype = model.dtype ?? dtype
        self.entries = SDXLLayout.tensors.map {
            SafetensorsWriter.Entry(name: $0.name, dtype: dtype, shape: SDXLLayout.scaledShape($0.shape, widthDivisor: widthDivisor))
        }
        let limit = max(chunkElements, 1)
        self.chunkElements = limit
        var chunks: [Chunk] = []
        var current = Chunk()
        for (index, entry) in entries.enumerated() {
            let (rows, cols) = SynthField.geometry(of: entry.shape)
            var start = 0
            while start < rows {
                // A chunk holds whole rows, at least one however long.
                if current.elements > 0, current.elements + cols > limit {
                    chunks.append(current)
                    current = Chunk()
                }
                let take = min(rows - start, max(1, (limit - current.elements) / max(cols, 1)))
                current.segments.append(Segment(tensor: index, rows: start ..< start + take, isLastOfTensor: start + take == rows))
                current.elements += take * cols
                start += take
            }
        }
        if current.elements > 0 { chunks.append(current) }
        self.chunks = chunks
    }

    var totalBytes: Int { entries.reduce(0) { $0 + $1.byteCount } }

    /// The largest chunk, in elements (more than `chunkElements` only for a row longer than that).
    var largestChunkElements: Int { chunks.reduce(1) { max($0, $1.elements) } }

    func write(to path: String, workers: Int, progress: any ProgressSink) throws {
        let writer = try SafetensorsWriter(path: path, entries: entries, metadata: ["format": "pt"])
        let elementBytes = entries.first.map { $0.dtype.bitSize / 8 } ?? 4
        let largest = largestChunkElements
        let producers = (0 ..< max(workers, 1)).map { _ in ChunkSynthesizer(plan: self, scratchElements: largest) }
        progress.begin(label: model.name, totalItems: entries.count, totalBytes: Int64(totalBytes))
        defer { progress.finish() }
        try ChunkPipeline.run(chunkCount: chunks.count, producers: producers, slotBytes: largest * elementBytes) { index, bytes in
            // The writer checks sizes tensor by tensor, so a packed chunk goes in per segment.
            var offset = 0
            for segment in chunks[index].segments {
                let count = segment.rows.count * SynthField.geometry(of: entries[segment.tensor].shape).cols * elementBytes
                try writer.append(UnsafeRawBufferPointer(rebasing: bytes[offset ..< min(offset + count, bytes.count)]))
                offset += count
            }
            progress.advance(items: chunks[index].segments.filter(\.isLastOfTensor).count, bytes: Int64(bytes.count))
        }
        try writer.finish()
    }
}

/// One worker's generator: keeps the source tree of the tensor it is working on (its column
/// coefficients, packed factors and merge pre-passes cost more than a chunk of noise for
/// wide tensors) and a Float32 scratch.
///
/// SAFETY: `@unchecked Sendable` because each instance is used by exactly one worker
/// thread (ChunkPipeline gives producer w only to worker w); its mutable cache and scratch
/// are never shared.
private final class ChunkSynthesizer: ChunkProducer, @unchecked Sendable {
    private let plan: ModelWriter
    private var cachedTensor = -1
    private var cached: (any TensorSource)?
    private let scratch: UnsafeMutablePointer<Float>
    private let scratchElements: Int

    init(plan: ModelWriter, scratchElements: Int) {
        self.plan = plan
        self.scratchElements = scratchElements
        self.scratch = .allocate(capacity: scratchElements)
    }

    deinit { scratch.deallocate() }

    func produce(chunk index: Int, into slot: UnsafeMutableRawBufferPointer) -> Int {
        guard let destination = slot.baseAddress else { return 0 }
        var written = 0
        for segment in plan.chunks[index].segments {
            written += produce(segment, into: destination + written, capacity: slot.count - written)
        }
        return written
    }

    /// Generates one segment at `destination`; returns its byte count.
    private func produce(_ segment: ModelWriter.Segment, into destination: UnsafeMutableRawPointer, capacity: Int) -> Int {
        let entry = plan.entries[segment.tensor]
        if cachedTensor != segment.tensor {
            cached = TensorPlanner(recipe: plan.recipe, widthDivisor: plan.widthDivisor, tensor: entry.name, shape: entry.shape,
                                   statistics: plan.statistics).source(for: plan.model)
            cachedTensor = segment.tensor
        }
        guard let synthesis = cached else { return 0 }
        let count = segment.rows.count * SynthField.geometry(of: entry.shape).cols
        // SAFETY: a chunk's segments together hold at most `largestChunkElements` elements,
        // the capacity of the slot (in the output dtype) and of the Float32 scratch, and
        // `destination` is the slot's start plus the bytes of the segments before this one;
        // checked here, since the kernels below trust `count`.
        precondition(count <= scratchElements && count * max(entry.dtype.bitSize / 8, 1) <= capacity, "synth chunk overflows its slot")
        switch entry.dtype {
        case .f32:
            let floats = destination.bindMemory(to: Float.self, capacity: count)
            synthesis.fill(floats, rows: segment.rows)
            return count * 4
        case .bf16:
            synthesis.fill(scratch, rows: segment.rows)
            pk_f32_to_bf16(scratch, destination, count)
            return count * 2
        case .f8e4m3:
            synthesis.fill(scratch, rows: segment.rows)
            ps_f32_to_f8e4m3(scratch, destination, count)
            return count
        default:
            synthesis.fill(scratch, rows: segment.rows)
            pk_f32_to_f16(scratch, destination, count)
            return count * 2
        }
    }
}
